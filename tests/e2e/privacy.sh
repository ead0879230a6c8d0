#!/bin/sh
# privacy: a packet holds ID card scans and ID numbers (personal data), so
#   1. every file `licpack build` creates, final or temporary, is created
#      inside OUTDIR with no access for group or others (0600), OUTDIR
#      itself included (no group/other access), and nothing is opened for
#      writing anywhere else (/tmp, $TMPDIR, $HOME...): traced with strace
#      (skipped, with a message, when strace is missing or cannot trace);
#   2. every output ends up mode 0600;
#   3. the legal representative's full ID number appears in no output and
#      no log: not in report.json, report.txt, manifest.json, the zip's
#      entries, the PDF's text, stdout or stderr, of check (text and JSON)
#      and of build, for a valid number and for mistyped ones (wrong check
#      digit, lowercase x, the old 15-digit form, blanks inside).
# Scratch in tests/out/e2e/privacy/ (never /tmp: that is what is tested).
#   sh tests/e2e/privacy.sh
. "$(dirname "$0")/lib.sh"

e2e_init privacy
H=$E2E_ROOT/$E2E_OUT
ARGS="--today 2026-11-28 --lang en --template icp-renewal"
case $LICPACK in /*) LICPACK_ABS=$LICPACK ;; */*) LICPACK_ABS=$E2E_ROOT/$LICPACK ;; *) LICPACK_ABS=$(command -v "$LICPACK") ;; esac

# the clean folder of setups/complete.setup (its jpeg, png and json commands)

need_mkfixture
complete_folder "$H/folder" || { echo "FAIL: cannot build the folder"; exit 1; }

# --- 1 and 2: where files are created, and their modes ------------------------

PY_TRACE='
import os, re, sys
trace, outdir, cwd = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3]
allowed_extra = [p for p in sys.argv[4:] if p]
bad, notes = [], []
created_excl = set()
writes = 0
WRITE = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND")

def resolve(dirarg, path):
    # strace -y prints a descriptor as 3</real/path>, AT_FDCWD as AT_FDCWD</cwd>
    if path.startswith("/"):
        p = path
    elif dirarg is None or dirarg.startswith("AT_FDCWD"):
        p = os.path.join(cwd, path)
    else:
        m = re.match(r"\d+<(.*)>$", dirarg)
        p = os.path.join(m.group(1) if m else "?", path)
    return os.path.normpath(p)

def inside(p):
    return p == outdir or p.startswith(outdir + "/")

def where(p, line):
    if inside(p):
        return True
    if p == "/dev/null" or any(p.startswith(a.rstrip("/") + "/") for a in allowed_extra):
        notes.append("written outside OUTDIR, allowed: " + p)
        return True
    bad.append("written outside OUTDIR: " + line.strip())
    return False

for line in open(trace, encoding="utf-8", errors="replace"):
    m = re.search(r"\b(open|openat|creat)\((?:(AT_FDCWD(?:<[^>]*>)?|\d+<[^>]*>), )?\"((?:[^\"\\\\]|\\\\.)*)\", ([^,)]*)(?:, (0\d*))?\) = (-?\d+)", line)
    if m:
        call, dirarg, path, flags, mode, rc = m.groups()
        if call == "creat":
            flags, mode = "O_CREAT|O_WRONLY|O_TRUNC", flags
        if int(rc.split("<")[0]) < 0 or not WRITE.search(flags):
            continue
        p = resolve(dirarg, path)
        where(p, line)
        writes += 1
        if "O_CREAT" in flags:
            if "O_EXCL" in flags:
                created_excl.add(p)
            if p not in created_excl and mode and int(mode, 8) & 0o077:
                bad.append("created with group/other access (%s): %s" % (mode, p))
            elif "O_EXCL" in flags and mode and int(mode, 8) & 0o077:
                bad.append("created with group/other access (%s): %s" % (mode, p))
        continue
    m = re.search(r"\b(mkdir|mkdirat)\((?:(AT_FDCWD(?:<[^>]*>)?|\d+<[^>]*>), )?\"([^\"]*)\", (0\d*)\) = (-?\d+)", line)
    if m:
        call, dirarg, path, mode, rc = m.groups()
        if int(rc.split("<")[0]) < 0:
            continue
        p = resolve(dirarg, path)
        where(p, line)
        if int(mode, 8) & 0o077:
            bad.append("folder created with group/other access (%s): %s" % (mode, p))
        continue
    m = re.search(r"\b(rename|renameat|renameat2|link|linkat|symlink|symlinkat|unlink|unlinkat|chmod|fchmodat)\(", line)
    if m and not re.search(r"= -1", line):
        for dirarg, path in re.findall(r"(?:(AT_FDCWD(?:<[^>]*>)?|\d+<[^>]*>), )?\"([^\"]*)\"", line):
            where(resolve(dirarg, path), line)
for n in sorted(set(notes)):
    print("note: " + n)
print("writes: %d" % writes)
if writes < 5:
    bad.append("only %d opens for writing recognised in the trace: is its format new?" % writes)
for b in bad:
    print("BAD: " + b)
sys.exit(1 if bad else 0)
'

if e2e_can_strace "where files are created is not traced"; then
	d=$H/trace
	mkdir -p "$d/tmp" "$d/home"
	# under valgrind the trace would show valgrind's own files: trace the
	# binary alone. LeakSanitizer cannot run under ptrace: leaks are the
	# other tests' business.
	# one trace file per thread (-ff): a build writes its PDF and its zip
	# on two threads, whose calls would otherwise be cut in two in one file
	rm -f "$d"/trace "$d"/trace.*
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 TMPDIR=$d/tmp HOME=$d/home strace -ff -qq -y \
		-e trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,unlink,unlinkat,chmod,fchmodat \
		-o "$d/trace" "$LICPACK_ABS" build "$H/folder" -o "$d/out" $ARGS >"$d/stdout" 2>"$d/stderr" </dev/null
	rc=$?
	cat "$d"/trace.* >"$d/trace"
	same_exit "traced build" 0 "$rc" || sed 's/^/    /' "$d/stderr" | head -n 5
	if ! python3 -c "$PY_TRACE" "$d/trace" "$d/out" "$E2E_ROOT" "${XDG_CACHE_HOME:-$d/home/.cache}/fontconfig" >"$d/verdict" 2>&1; then
		e2e_fail "traced build: files created outside OUTDIR or open to others (trace: $d/trace):"
		sed 's/^/    /' "$d/verdict" | head -n 20
	else
		sed -n 's/^note: /note: traced build: /p' "$d/verdict"
	fi
	[ -z "$(ls -A "$d/tmp")" ] || e2e_fail "traced build: files left in TMPDIR: $(ls -A "$d/tmp")"
	n=$(sed -n 's/^writes: //p' "$d/verdict")
	echo "note: traced build: $n opens for writing, every one inside OUTDIR and 0600"
fi

# every output, and OUTDIR, without group/other access
d=$H/modes
mkdir -p "$d"
run_licpack "$H" build "$H/folder" -o "$d/out" $ARGS
same_exit "build" 0 "$RC" || sed 's/^/    /' "$H/stderr" | head -n 5
# modes_private OUT LABEL: files 0600; folders (upload/ and its slots) 0700
modes_private() {
	for f in $(find "$1" -mindepth 1); do
		m=$(stat -c %a "$f")
		want=600
		[ -d "$f" ] && want=700
		[ "$m" = $want ] || e2e_fail "$2: ${f#"$1/"} is mode $m, not $want"
	done
}
modes_private "$d/out" modes
m=$(stat -c %a "$d/out")
[ "$((0$m & 077))" = 0 ] || echo "note: modes: OUTDIR made with mode $m (its files are 0600)"
# a umask that would give everyone access changes nothing
d=$H/modes-umask
mkdir -p "$d"
(umask 000 && run_licpack "$H" build "$H/folder" -o "$d/out" $ARGS)
modes_private "$d/out" "modes with umask 000"

# --- 3: the full ID number appears nowhere -------------------------------------

# set_id VALUE: the legal representative's ID number in packet.json
set_id() {
	python3 -c '
import json, sys
p = sys.argv[1]
d = json.load(open(p, encoding="utf-8"))
d["legal_rep"]["id_number"] = sys.argv[2]
json.dump(d, open(p, "w", encoding="utf-8"), ensure_ascii=False)
' "$H/folder/packet.json" "$1"
}

# no_id LABEL ID FILE...: the ID (and its digits without blanks) in none of the files
no_id() {
	_label=$1 _id=$2
	shift 2
	_plain=$(printf '%s' "$_id" | tr -d ' ')
	for _f in "$@"; do
		[ -f "$_f" ] || continue
		if grep -Fq -e "$_id" -e "$_plain" "$_f"; then
			e2e_fail "$_label: the full ID number is in $(basename "$_f"):"
			grep -F -e "$_id" -e "$_plain" "$_f" | head -n 3 | cut -c1-200 | sed 's/^/    /'
		fi
	done
}

i=0
for id in 11010519491231002X 110105194912310021 11010519491231002x 110105491231002 '110105 19491231 002X'; do
	i=$((i + 1))
	set_id "$id"
	d=$H/id-$i
	mkdir -p "$d"
	run_licpack "$d" check "$H/folder" --format json $ARGS
	mv "$d/stdout" "$d/check.json"
	mv "$d/stderr" "$d/check.json.err"
	run_licpack "$d" check "$H/folder" $ARGS
	mv "$d/stdout" "$d/check.txt"
	mv "$d/stderr" "$d/check.txt.err"
	run_licpack "$d" build "$H/folder" -o "$d/out" --allow-incomplete $ARGS
	mv "$d/stdout" "$d/build.out"
	mv "$d/stderr" "$d/build.err"
	if [ -f "$d/out/folder.zip" ]; then
		mkdir -p "$d/zip"
		(cd "$d/zip" && unzip -q -o ../out/folder.zip) || e2e_fail "id $i: cannot unzip the packet"
		find "$d/zip" -name '*.json' -exec cat {} + >"$d/zip-json.txt"
	fi
	[ -f "$d/out/folder.pdf" ] && pdftotext "$d/out/folder.pdf" "$d/pdf.txt" 2>/dev/null
	[ -s "$d/pdf.txt" ] || [ ! -f "$d/out/folder.pdf" ] || e2e_fail "id $i: no text in the PDF (pdftotext)"
	# the PDF's bytes too: metadata (Info, XMP) is not compressed
	no_id "id '$id'" "$id" "$d/check.json" "$d/check.json.err" "$d/check.txt" "$d/check.txt.err" \
		"$d/build.out" "$d/build.err" "$d/out/report.json" "$d/out/report.txt" "$d/out/manifest.json" \
		"$d/zip-json.txt" "$d/pdf.txt" "$d/out/folder.pdf"
	[ -f "$d/out/manifest.json" ] || e2e_fail "id '$id': no manifest.json (build exit $RC)"
done
e2e_finish
