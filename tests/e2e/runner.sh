#!/bin/sh
# runner: tests/run.sh itself says when a test did not test.
#
# A copy of tests/run.sh runs in a scratch tree whose "test programs" are
# small scripts printing what cmocka programs and e2e scripts print. Every
# way of saying "not tested" must be counted as skipped, with its reason
# printed under the program's line: a cmocka test's "[  SKIPPED ]" (with the
# SKIPPED: line before it as its reason, or a note that none was given), a
# "SKIPPED:" line inside a test that passed, an e2e script's "SKIPPED:" line
# and an e2e case's "skip: CASE: reason". cmocka's closing list of skipped
# tests is not counted twice. The closing line stays "N passed, N failed, N
# skipped"; with CI=true any skip fails the run (exit 1), without it only a
# failure does. The outputs are compared whole.
. "$(dirname "$0")/lib.sh"

e2e_init runner
o=$E2E_OUT
R=$o/repo

mkdir -p "$R/tests/e2e" "$R/build/rel/tests" "$R/build/san/tests" || exit 3
cp tests/run.sh "$R/tests/run.sh" || exit 3

# prog NAME LINES...: an executable printing LINES (no single quotes in
# them); a line "exit N" makes it exit N
prog() {
	_f=$1; shift
	{
		echo '#!/bin/sh'
		for _l in "$@"; do
			case $_l in
			exit\ *) echo "$_l" ;;
			*) printf "printf '%%s\\\\n' '%s'\n" "$_l" ;;
			esac
		done
	} >"$_f"
	chmod +x "$_f"
}

# run.sh ends each test's line with its seconds, which vary: dropped here
untimed() { sed -E 's/ [0-9]+s$//' "$1" >"$1.t" && mv "$1.t" "$1"; }

U=$R/build/rel/tests
prog "$U/test_ok" '[==========] Running 1 test(s).' '[ RUN      ] a' '[       OK ] a' \
	'[==========] 1 test(s) run.' '[  PASSED  ] 1 test(s).'
prog "$U/test_skip" '[==========] Running 2 test(s).' '[ RUN      ] s' 'SKIPPED: no corpus at /x' \
	'[  SKIPPED ] s' '[ RUN      ] t' '[       OK ] t' '[==========] 2 test(s) run.' \
	'[  PASSED  ] 1 test(s).' '[  SKIPPED ] 1 test(s), listed below:' '[  SKIPPED ] s' '' \
	' 1 SKIPPED TEST(S)'
prog "$U/test_part" '[==========] Running 1 test(s).' '[ RUN      ] p' \
	'SKIPPED: gs is not installed' 'SKIPPED: qpdf is not installed' '[       OK ] p' \
	'[==========] 1 test(s) run.' '[  PASSED  ] 1 test(s).'
prog "$U/test_quiet" '[==========] Running 1 test(s).' '[ RUN      ] q' '[  SKIPPED ] q' \
	'[==========] 1 test(s) run.' '[  PASSED  ] 0 test(s).' '[  SKIPPED ] 1 test(s), listed below:' \
	'[  SKIPPED ] q'

cat >"$o/unit.expected" <<'EOF'
ok    plain unit test_ok
skip  plain unit test_part (2 not tested)
      p: gs is not installed
      p: qpdf is not installed
skip  plain unit test_quiet (1 not tested)
      q: skip() without a SKIPPED: line saying why
skip  plain unit test_skip (1 not tested)
      s: no corpus at /x

skipped: plain unit test_part plain unit test_quiet plain unit test_skip
1 passed, 0 failed, 3 skipped
EOF
env -u CI sh "$R/tests/run.sh" --unit-only >"$o/unit.out" 2>&1
same_exit "skips without CI" 0 $?
untimed "$o/unit.out"
same_text "skips without CI" "$o/unit.expected" "$o/unit.out"

{
	sed '$d' "$o/unit.expected"
	echo 'CI=true: 3 skipped; in CI every test must run (see the reasons above)'
	tail -n 1 "$o/unit.expected"
} >"$o/ci.expected"
CI=true sh "$R/tests/run.sh" --unit-only >"$o/ci.out" 2>&1
same_exit "skips with CI=true" 1 $?
untimed "$o/ci.out"
same_text "skips with CI=true" "$o/ci.expected" "$o/ci.out"

# without skips, CI=true passes; a failure fails either way
rm "$U/test_part" "$U/test_quiet" "$U/test_skip"
CI=true sh "$R/tests/run.sh" --unit-only >"$o/clean.out" 2>&1
same_exit "CI=true, nothing skipped" 0 $?
untimed "$o/clean.out"
printf 'ok    plain unit test_ok\n\n1 passed, 0 failed, 0 skipped\n' >"$o/clean.expected"
same_text "CI=true, nothing skipped" "$o/clean.expected" "$o/clean.out"
prog "$U/test_zfail" '[ RUN      ] f' '[  FAILED  ] f' 'exit 1'
env -u CI sh "$R/tests/run.sh" --unit-only >"$o/fail.out" 2>&1
same_exit "a failure" 1 $?
untimed "$o/fail.out"
tail -n 1 "$o/fail.out" >"$o/fail.last"
echo '1 passed, 1 failed, 0 skipped' >"$o/fail.expected"
same_text "a failure: closing line" "$o/fail.expected" "$o/fail.last"
rm "$U/test_zfail" "$U/test_ok"

# e2e scripts: a whole script skipped, a case skipped, lib.sh never run
E=$R/tests/e2e
echo 'echo "never run"; exit 1' >"$E/lib.sh"
printf '%s\n' 'echo "SKIPPED: groff is not installed"' 'exit 0' >"$E/man.sh"
printf '%s\n' 'echo "ok    a"' 'echo "skip: b: no setpriv"' 'echo "skipped: b"' >"$E/cases.sh"
printf '%s\n' 'echo "ok    c"' >"$E/plain.sh"
cat >"$o/e2e.expected" <<'EOF'
skip  plain e2e cases (1 not tested)
      b: no setpriv
skip  plain e2e man (1 not tested)
      groff is not installed
ok    plain e2e plain
skip  asan+ubsan e2e cases (1 not tested)
      b: no setpriv
skip  asan+ubsan e2e man (1 not tested)
      groff is not installed
ok    asan+ubsan e2e plain

skipped: plain e2e cases plain e2e man asan+ubsan e2e cases asan+ubsan e2e man
2 passed, 0 failed, 4 skipped
EOF
env -u CI sh "$R/tests/run.sh" >"$o/e2e.out" 2>&1
same_exit "e2e skips" 0 $?
untimed "$o/e2e.out"
same_text "e2e skips" "$o/e2e.expected" "$o/e2e.out"

e2e_finish
