#!/bin/sh
# Run the libFuzzer targets built by tests/fuzz/fuzz.mk (make fuzz / make
# fuzz-short call this; run from the repository root).
#   sh tests/fuzz/run.sh [--seconds N] [--keep] [TARGET...]
# Each target first runs every seed and every file in
# tests/fuzz/regressions/TARGET/, then fuzzes for N seconds (default 3).
# With --keep, new inputs go to build/fuzz/corpus/TARGET and are kept for the
# next run; without, to a scratch directory emptied first (so that a short
# run costs the same every time). Prints one line per target (runs, speed,
# corpus) and a last line saying whether all passed. A crash, leak, failed
# property check, or a unit that is slow or big fails the run: over
# FUZZ_TIMEOUT seconds (default 2: -timeout), over FUZZ_RSS_MB of memory
# (default 512: -rss_limit_mb, and -malloc_limit_mb for one allocation), or
# over FUZZ_SLOW seconds (default 2: -report_slow_units, which libFuzzer
# itself only reports; its "Slowest unit" line and slow-unit- file are
# counted here as a failure). One hostile file that costs seconds or
# gigabytes is a denial of service in `batch`, which multiplies it (issue 17
# item 14). The input is saved under build/fuzz/crashes/TARGET/ and its
# path printed. Exit status 0 only when every target passed.
cd "$(dirname "$0")/../.." || exit 3
seconds=3 keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--) shift; break ;;
	-*) echo "usage: sh tests/fuzz/run.sh [--seconds N] [--keep] [TARGET...]" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 0 ] && set -- probe template applicant normalise match html convert profile read_fields read_input

timeout=${FUZZ_TIMEOUT:-2} rss_mb=${FUZZ_RSS_MB:-512} slow=${FUZZ_SLOW:-2}

if [ -z "${LICPACK_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
	LICPACK_CORPUS=$(cd ../shared/corpus && pwd)
fi

# Seed directories of a target (read only), one per line.
seeds() {
	[ -d "tests/fuzz/regressions/$1" ] && echo "tests/fuzz/regressions/$1"
	[ -d "tests/fuzz/seeds/$1" ] && echo "tests/fuzz/seeds/$1"
	case $1 in
	template)
		echo templates
		[ -d tests/data/templates ] && echo tests/data/templates
		;;
	profile)
		echo profiles
		;;
	font)
		# made here from this machine's CJK font, never kept in the repository
		mkdir -p build/fuzz/seeds-font &&
			build/tools/mkfontseed build/fuzz/seeds-font >&2 &&
			echo build/fuzz/seeds-font
		;;
	probe | html)
		if [ -n "${LICPACK_CORPUS:-}" ] && [ -d "$LICPACK_CORPUS" ]; then
			for d in pngsuite jpeg jpegsuite exif pdf; do
				[ -d "$LICPACK_CORPUS/$d" ] && echo "$LICPACK_CORPUS/$d"
			done
		fi
		;;
	esac
}

total_runs=0 failed= note=
[ -n "${LICPACK_CORPUS:-}" ] && [ -d "$LICPACK_CORPUS" ] ||
	note=" (shared corpus not found: probe ran from its regressions only)"
mkdir -p build/fuzz/logs
# fuzz_one TARGET: run one target; print its line (and, when it failed,
# what failed); its count of runs in build/fuzz/logs/TARGET.runs.
fuzz_one() {
	t=$1
	bin=build/fuzz/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "FAIL  fuzz_$t: $bin is not built (make fuzz-build)"
		return 1
	fi
	if [ "$keep" = 1 ]; then
		work=build/fuzz/corpus/$t
	else
		work=build/fuzz/short/$t
		rm -rf "$work"
	fi
	crashes=build/fuzz/crashes/$t
	log=build/fuzz/logs/$t.log
	mkdir -p "$work" "$crashes"
	dict=
	case $t in template | applicant | profile) dict=-dict=tests/fuzz/json.dict ;; esac
	# The probe decodes every stream of a PDF (and html thumbnails whole images): a whole 825 KB corpus file
	# of 415 Flate image strips (qpdf's pclm-in.pdf, 96 MB decoded) takes
	# 0.6 s plain and over 2 s under ASan. Seeds are cut to 128 KB, like
	# the inputs libFuzzer makes; tests/e2e/corpus.sh checks every corpus
	# file whole, under ASan too.
	case $t in probe | html) dict="$dict -max_len=${FUZZ_MAX_LEN:-131072}" ;; esac
	# ASan holds freed memory back to catch use after free (256 MB by
	# default), which counts in the RSS limit: with the shared corpus loaded,
	# fuzz_probe started at 407-573 MB and failed the 512 MB limit with no
	# heavy unit (the heaviest seed: 226 MB peak alone). 32 MB of quarantine
	# keeps the limit about what a unit allocates.
	# shellcheck disable=SC2046  # one word per seed directory (no blanks in them)
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=32} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" \
		-malloc_limit_mb="$rss_mb" -report_slow_units="$slow" -print_final_stats=1 -artifact_prefix="$crashes/" $dict \
		"$work" $(seeds "$t") >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	corpus=$(ls "$work" | wc -l)
	runs=${runs:-0} secs=${secs:-$seconds}
	rate=$((runs / (secs > 0 ? secs : 1)))
	# libFuzzer exits 0 after a slow unit: its report makes it a failure
	slowest=$(sed -n 's/^Slowest unit: \([0-9]*\) s:.*/\1/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$slowest" ]; then
		rc=1
		echo "FAIL  fuzz_$t: a unit took $slowest s (limit $slow s; log: $log)"
	fi
	if [ "$rc" -eq 0 ]; then
		echo "$runs" >"build/fuzz/logs/$t.runs"
		printf 'ok    fuzz_%-10s %9s runs in %3s s (%s/s), %s new corpus inputs\n' "$t" "$runs" "$secs" "$rate" "$corpus"
	else
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "FAIL  fuzz_$t (exit $rc, log: $log)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|ALARM|==[0-9]+== ERROR)' "$log" | head -n 5 | sed 's/^/      /'
		[ -n "$artifact" ] && echo "      input: $artifact (reproduce: $bin $artifact; once fixed, keep it in tests/fuzz/regressions/$t/)"
	fi
	return "$rc"
}

# The targets run FUZZ_JOBS at a time (default: one per CPU), each for its
# seconds; their lines are printed in order once a group is done. One at a
# time, the eleven took 37 s here, two at a time 21 s.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
group=
flush() {
	wait
	for g in $group; do
		cat "build/fuzz/logs/$g.out"
		if [ "$(cat "build/fuzz/logs/$g.rc")" -eq 0 ]; then
			total_runs=$((total_runs + $(cat "build/fuzz/logs/$g.runs")))
		else
			failed="$failed $g"
		fi
	done
	group=
}
for t in "$@"; do
	rm -f "build/fuzz/logs/$t.runs"
	(fuzz_one "$t" >"build/fuzz/logs/$t.out" 2>&1; echo $? >"build/fuzz/logs/$t.rc") &
	group="$group $t"
	[ "$(echo $group | wc -w)" -ge "$jobs" ] && flush
done
flush
if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed"
	exit 1
fi
echo "fuzz: passed: $# targets, $total_runs runs in all, no crash$note"
