# Shared helpers for the end-to-end tests (POSIX sh; sourced, not run).
#
# The scripts run from the repository root (tests/run.sh cds there) with
#   LICPACK       the binary under test (default ./licpack)
#   LICPACK_WRAP  an optional wrapper, e.g. valgrind with its options
# and use:
#   e2e_init NAME            scratch dir tests/out/e2e/NAME (under $E2E_OUT_ROOT when set:
#                            the sanitizer suite runs beside the plain one), recreated ($E2E_OUT)
#   run_licpack DIR ARGS...  run the binary (wrapped, under a timeout); stdout, stderr
#                            and the exit code go to DIR/stdout, DIR/stderr, DIR/rc; $RC
#   report FILE MODE [DIR]   read a JSON report: findings (code|severity|material|file,
#                            sorted), messages (code|file|message), files
#                            (material|path|matched_by|domain|pages, packet order),
#                            unrecognized, check (consistency of the report itself:
#                            exit 1 when not); all: each of those into DIR/MODE
#   same_text LABEL EXPECTED ACTUAL   compare two files exactly, print diff -u when not
#   same_exit LABEL EXPECTED ACTUAL   compare exit codes
#   fixture KIND OUT ARGS... a synthetic file by build/tools/mkfixture (cached)
#   e2e_fail MSG / e2e_finish   count failures; exit 1 when there were any
# null in a report prints as "-".

case $0 in
*/lib.sh | lib.sh)
	echo "lib.sh holds helpers for the other e2e scripts; nothing to test on its own"
	exit 0
	;;
esac

E2E_ROOT=$(pwd)
LICPACK=${LICPACK:-./licpack}
LICPACK_WRAP=${LICPACK_WRAP:-}
MKFIXTURE=${MKFIXTURE:-build/tools/mkfixture}
case $MKFIXTURE in /*) ;; *) MKFIXTURE=$E2E_ROOT/$MKFIXTURE ;; esac
E2E_FAILED=0
# Valgrind is slow; the plain and sanitizer builds are not.
if [ -n "$LICPACK_WRAP" ]; then E2E_TIMEOUT=${E2E_TIMEOUT:-300}; else E2E_TIMEOUT=${E2E_TIMEOUT:-20}; fi
# libjpeg-turbo 2.1.5's SIMD decoder (1/8-scale decode, merged upsampling)
# hands back rows that memcheck believes partly uninitialised: its own djpeg
# -scale 1/8 -nosmooth shows the same under valgrind, and the reports vanish
# with the SIMD code off. Under valgrind, turn it off (the C path decodes the
# same pixels) so that real errors are not drowned.
case $LICPACK_WRAP in
*valgrind*) JSIMD_FORCENONE=1; export JSIMD_FORCENONE ;;
esac
# Reading the scans' content (tesseract) costs seconds a folder: the e2e
# scripts check without it; tests/e2e/reading.sh turns it on for its few
# small pages (LICPACK_NO_READ= before its commands).
LICPACK_NO_READ=1
export LICPACK_NO_READ

# e2e_sample N WORD...: the words, or in the sanitizer suite (run.sh sets
# E2E_LANE=san) every Nth of them, the first included. For loops over data
# (every code's text, every template, every case): the plain suite checks
# the data whole; the sanitizers need each code path, not each datum.
e2e_sample() {
	_n=$1 _i=0
	shift
	for _w in "$@"; do
		if [ "${E2E_LANE:-}" != san ] || [ $((_i % _n)) -eq 0 ]; then
			printf '%s\n' "$_w"
		fi
		_i=$((_i + 1))
	done
}

# e2e_need COMMAND WHAT: the script cannot run without COMMAND: without
# it, a SKIPPED line (COMMAND is WHAT) and exit 0.
e2e_need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "SKIPPED: $2 is not installed; make deps-test"
	exit 0
}

# e2e_can_strace WHY: 0 when strace is here and may trace; else 1, after a
# SKIPPED line ending in WHY (what is not traced then).
e2e_can_strace() {
	if ! command -v strace >/dev/null 2>&1; then
		echo "SKIPPED: strace is not installed: $1"
		return 1
	fi
	if ! strace -f -qq -o /dev/null true 2>/dev/null; then
		echo "SKIPPED: strace cannot trace here (ptrace refused): $1"
		return 1
	fi
}

e2e_fail() {
	E2E_FAILED=$((E2E_FAILED + 1))
	printf 'FAIL: %s\n' "$*"
}

e2e_finish() {
	if [ "$E2E_FAILED" -ne 0 ]; then
		echo "$E2E_FAILED failure(s)"
		exit 1
	fi
	exit 0
}

e2e_init() {
	if [ ! -f tests/run.sh ]; then
		echo "run me from the repository root" >&2
		exit 3
	fi
	case $LICPACK in
	*/*) [ -x "$LICPACK" ] || { echo "FAIL: LICPACK=$LICPACK is not an executable"; exit 1; } ;;
	esac
	E2E_OUT=${E2E_OUT_ROOT:-tests/out/e2e}/$1
	rm -rf "$E2E_OUT"
	mkdir -p "$E2E_OUT" || exit 3
}

need_mkfixture() {
	if [ ! -x "$MKFIXTURE" ]; then
		echo "FAIL: $MKFIXTURE is missing: make build/tools/mkfixture"
		exit 1
	fi
}

# run_licpack DIR ARGS...: never hangs longer than E2E_TIMEOUT (exit 124 then).
run_licpack() {
	_dir=$1
	shift
	if command -v timeout >/dev/null 2>&1; then
		# shellcheck disable=SC2086  # the wrapper is a command line
		timeout -k 5 "$E2E_TIMEOUT" $LICPACK_WRAP "$LICPACK" "$@" >"$_dir/stdout" 2>"$_dir/stderr" </dev/null
	else
		# shellcheck disable=SC2086
		$LICPACK_WRAP "$LICPACK" "$@" >"$_dir/stdout" 2>"$_dir/stderr" </dev/null
	fi
	RC=$?
	echo "$RC" >"$_dir/rc"
	return 0
}

same_exit() { # label expected actual
	if [ "$2" != "$3" ]; then
		if [ "$3" = 124 ]; then
			e2e_fail "$1: timed out after ${E2E_TIMEOUT}s (expected exit $2)"
		else
			e2e_fail "$1: exit code $3, expected $2"
		fi
		return 1
	fi
	return 0
}

same_text() { # label expected-file actual-file
	if ! cmp -s "$2" "$3"; then
		e2e_fail "$1: differs from $2 (- expected, + actual)"
		diff -u "$2" "$3" | sed '1,2d; s/^/    /'
		return 1
	fi
	return 0
}

E2E_PY_REPORT='
import json, os, sys

def s(v):
    return "-" if v is None else str(v)

def views(r):
    """mode -> lines"""
    fs = r["findings"]
    v = {
        "findings": sorted("|".join(s(f.get(k)) for k in ("code", "severity", "material", "file")) for f in fs),
        "messages": ["%s|%s|%s" % (f["code"], s(f["file"]), f["message"]) for f in fs],
        "files": ["|".join([m["id"], x["path"], x["matched_by"], s(x["domain"]), s(x["pages"])])
                  for m in r["materials"] for x in m["files"]],
        "unrecognized": list(r["unrecognized"]),
    }
    # the report must agree with itself
    bad = []
    errors = sum(1 for f in fs if f["severity"] == "error")
    warnings = sum(1 for f in fs if f["severity"] == "warning")
    if any(f["severity"] not in ("error", "warning", "notice") for f in fs):
        bad.append("a severity other than error/warning/notice")
    if any(not f.get("message") for f in fs):
        bad.append("a finding without a message")
    if r["counts"]["errors"] != errors or r["counts"]["warnings"] != warnings:
        bad.append("counts %s, but %d error and %d warning findings" % (r["counts"], errors, warnings))
    if (r["status"] == "complete") != (errors == 0):
        bad.append("status %s with %d errors" % (r["status"], errors))
    nfiles = sum(len(m["files"]) for m in r["materials"])
    if r["counts"]["files"] != nfiles:
        bad.append("counts.files %s, but %d files listed" % (r["counts"]["files"], nfiles))
    unrec = sorted(f["file"] for f in fs if f["code"] == "unrecognized")
    if sorted(r["unrecognized"]) != unrec:
        bad.append("unrecognized %s, but unrecognized findings for %s" % (r["unrecognized"], unrec))
    for m in r["materials"]:
        if m["status"] not in ("complete", "missing", "invalid", "optional"):
            bad.append("material %s: status %s" % (m["id"], m["status"]))
    v["check"] = bad
    return v

path, mode = sys.argv[1], sys.argv[2]
try:
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    v = views(r)
except Exception as e:
    print("%s: not a JSON report of licpack check: %s: %s" % (path, type(e).__name__, e))
    sys.exit(1)
if mode == "all":
    # every view into a file of that name in directory argv[3]
    for name, lines in v.items():
        with open(os.path.join(sys.argv[3], name), "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in lines)
    sys.exit(1 if v["check"] else 0)
for line in v[mode]:
    print(line)
sys.exit(1 if mode == "check" and v["check"] else 0)
'

report() { # file mode [dir]
	python3 -c "$E2E_PY_REPORT" "$@"
}

# Python lines that define chunk(type, data): one PNG chunk with its length
# and CRC; put before a script that writes PNGs: python3 -c "$E2E_PY_PNG...".
E2E_PY_PNG_CHUNK='
import struct, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
'

fixture_cache_init() {
	[ -n "${E2E_TOOL_SUM:-}" ] && return 0
	need_mkfixture
	E2E_TOOL_SUM=$(cksum <"$MKFIXTURE" | cut -d' ' -f1)
	E2E_CACHE=$E2E_ROOT/tests/out/e2e/.fixtures  # shared: entries appear by rename
	mkdir -p "$E2E_CACHE"
}

# fixture KIND OUT ARGS...: mkfixture's output is a pure function of its
# arguments, so each distinct image is made once per mkfixture build and
# copied from tests/out/e2e/.fixtures afterwards.
fixture() {
	_kind=$1 _out=$2
	shift 2
	need_mkfixture
	case $_out in */*) mkdir -p "${_out%/*}" || return 1 ;; esac
	case $_kind in
	jpeg | png | pdf) ;;
	*) "$MKFIXTURE" "$_kind" "$_out" "$@"; return ;;
	esac
	fixture_cache_init || return 1
	_key=$(printf '%s %s %s' "$E2E_TOOL_SUM" "$_kind" "$*" | cksum | cut -d' ' -f1)
	_cached=$E2E_CACHE/$_kind-$_key
	if [ ! -f "$_cached" ]; then
		"$MKFIXTURE" "$_kind" "$_cached.$$" "$@" && mv -f "$_cached.$$" "$_cached" || return 1
	fi
	cp "$_cached" "$_out"
}

# complete_folder DIR: the clean icp-renewal folder of tests/data/e2e/setups/complete.setup
# (its jpeg, png and json commands), built once and copied.
complete_folder() {
	if [ ! -d "$E2E_ROOT/$E2E_OUT/.complete" ]; then
		mkdir -p "$E2E_ROOT/$E2E_OUT/.complete.tmp" || return 1
		(
			cd "$E2E_ROOT/$E2E_OUT/.complete.tmp" || exit 1
			block=
			while IFS= read -r line || [ -n "$line" ]; do
				if [ -n "$block" ]; then
					if [ "$line" = end ]; then block=; else printf '%s\n' "$line" >>"$block"; fi
					continue
				fi
				case $line in '' | '#'*) continue ;; esac
				set -f
				# shellcheck disable=SC2086  # the words of the recipe line
				set -- $line
				set +f
				case $1 in
				jpeg | png) kind=$1; shift; fixture "$kind" "$@" || exit 1 ;;
				json) : >"$2"; block=$2 ;;
				*) echo "complete.setup: '$1' is not handled by complete_folder"; exit 1 ;;
				esac
			done <"$E2E_ROOT/tests/data/e2e/setups/complete.setup"
		) || { echo "FAIL: cannot build the complete folder"; exit 1; }
		mv "$E2E_ROOT/$E2E_OUT/.complete.tmp" "$E2E_ROOT/$E2E_OUT/.complete"
	fi
	mkdir -p "$1" && cp -PR "$E2E_ROOT/$E2E_OUT/.complete/." "$1/"
}

# python3 -c "$PY_TREE_SUM" DIR: one hash of a whole tree (names, modes, sizes,
# times, link targets and contents), to show that a run changed nothing.
PY_TREE_SUM='
import hashlib, os, stat, sys
out = hashlib.sha256()
for top, dirs, files, dfd in os.fwalk(sys.argv[1].encode(), follow_symlinks=False):
    dirs.sort()
    for name in sorted(dirs + files):
        st = os.lstat(name, dir_fd=dfd)
        line = b"%o %d %d " % (st.st_mode, st.st_size, st.st_mtime_ns) + os.path.join(top, name)
        if stat.S_ISLNK(st.st_mode):
            line += b" -> " + os.readlink(name, dir_fd=dfd)
        elif stat.S_ISREG(st.st_mode):
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dfd)
            with os.fdopen(fd, "rb") as f:
                line += b" " + hashlib.sha256(f.read()).hexdigest().encode()
        out.update(line + b"\n")
print(out.hexdigest())
'

# With o set to an output folder:
# run NAME EXPECTED-EXIT ARGS...: run into $o/NAME/, check the exit code
run() {
	_name=$1 _exit=$2
	shift 2
	mkdir -p "$o/$_name"
	run_licpack "$o/$_name" "$@"
	same_exit "$_name" "$_exit" "$RC"
}

# root_obeys_modes DIR: print the wrapper words that run a command as root
# without the capabilities that override file modes (CAP_DAC_OVERRIDE,
# CAP_DAC_READ_SEARCH, CAP_FOWNER), so that the modes apply to it as to any
# user while every folder root owns stays reachable (CI runs as root, often
# below a private home folder); nothing, and status 1, when setpriv cannot
# drop them here. DIR is a scratch folder for the probe.
root_obeys_modes() {
	_w="setpriv --inh-caps=-dac_override,-dac_read_search,-fowner"
	_w="$_w --bounding-set=-dac_override,-dac_read_search,-fowner"
	command -v setpriv >/dev/null 2>&1 || return 1
	mkdir -p "$1/.modes-probe" && chmod 555 "$1/.modes-probe" || return 1
	# shellcheck disable=SC2086
	if $_w true 2>/dev/null && ! $_w test -w "$1/.modes-probe"; then
		echo "$_w"
		return 0
	fi
	return 1
}

# no_stderr NAME: fail when $o/NAME/stderr is not empty
no_stderr() {
	if [ -s "$o/$1/stderr" ]; then
		e2e_fail "$1: unexpected output on stderr:"
		sed 's/^/    /' "$o/$1/stderr"
	fi
}

# run_cases CASE...: call case_CASE for each (dashes or underscores), print
# "ok    CASE (N.Ns)" for each that added no failure and was not put in
# SKIPPED_CASES, then the skipped ones. The seconds say where a script's
# time goes (CI has a time budget).
run_cases() {
	for c in "$@"; do
		c=$(echo "$c" | tr - _)
		before=$E2E_FAILED
		_case_t0=$(date +%s%N)
		"case_$c"
		case " $SKIPPED_CASES " in
		*" $(echo "$c" | tr _ -) "*) ;;
		*) [ "$E2E_FAILED" = "$before" ] && _case_ds=$((($(date +%s%N) - _case_t0) / 100000000)) &&
			echo "ok    $(echo "$c" | tr _ -) ($((_case_ds / 10)).$((_case_ds % 10))s)" ;;
		esac
	done
	[ -z "$SKIPPED_CASES" ] || echo "skipped:$SKIPPED_CASES"
}
