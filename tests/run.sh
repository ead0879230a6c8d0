#!/bin/sh
# Run every test: the cmocka unit tests and the end-to-end cases, first with
# the normal build, then with the ASan+UBSan build. Prints one line per test
# program and ends with "N passed, N failed" (N skipped when the shared corpus
# is absent). Exit status 0 only when nothing failed.
#   tests/run.sh               everything
#   tests/run.sh --unit-only   the normal build's unit tests
#   tests/run.sh --valgrind    unit and e2e tests under valgrind
cd "$(dirname "$0")/.." || exit 3
mode=${1:-all}
passed=0 failed=0 skipped=0 failures=
out=tests/out
mkdir -p "$out"

if [ -z "${LICPACK_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
	LICPACK_CORPUS=$(cd ../shared/corpus && pwd)
fi
export LICPACK_CORPUS

run() { # name, command...
	name=$1; shift
	log="$out/$(echo "$name" | tr '/ ' '__').log"
	if "$@" >"$log" 2>&1; then
		if grep -q '^SKIPPED:' "$log"; then
			skipped=$((skipped + 1)); echo "skip  $name ($(grep -m1 '^SKIPPED:' "$log" | cut -c10-))"
		else
			passed=$((passed + 1)); echo "ok    $name"
		fi
	else
		failed=$((failed + 1)); failures="$failures $name"
		echo "FAIL  $name (log: $log)"; tail -n 30 "$log" | sed 's/^/      /'
	fi
}

suite() { # label, binary dir, licpack binary, wrapper
	label=$1 bindir=$2 bin=$3 wrap=$4
	for t in "$bindir"/test_*; do
		[ -x "$t" ] || continue
		run "$label unit $(basename "$t")" $wrap "$t"
	done
	[ "$mode" = --unit-only ] && return
	for t in tests/e2e/*.sh; do
		[ -f "$t" ] || continue
		[ "$(basename "$t")" = lib.sh ] && continue
		run "$label e2e $(basename "$t" .sh)" env LICPACK="$bin" LICPACK_WRAP="$wrap" sh "$t"
	done
}

case "$mode" in
--valgrind)
	# libjpeg-turbo 2.1.5's SIMD code makes memcheck report uninitialised
	# reads (its own djpeg shows them too); the C path decodes the same pixels
	JSIMD_FORCENONE=1; export JSIMD_FORCENONE
	suite valgrind build/rel/tests ./licpack \
		"valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --suppressions=tests/valgrind.supp"
	;;
--unit-only)
	suite plain build/rel/tests ./licpack ""
	;;
*)
	suite plain build/rel/tests ./licpack ""
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export ASAN_OPTIONS UBSAN_OPTIONS
	suite asan+ubsan build/san/tests build/licpack-san ""
	;;
esac

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
