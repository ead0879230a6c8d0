#!/bin/sh
# corpus: every file of the shared test corpora checked by licpack, without a
# crash (under the ASan+UBSan binary: "every corpus file checked without a
# crash under ASan/UBSan"), and the known-damaged ones reported.
#
# For each set (a folder of $LICPACK_CORPUS with a MANIFEST.tsv), the files are
# copied, at test time and into the scratch folder only, to
# tests/out/e2e/corpus/SET/folder/现有许可证/ (the current-licence material:
# any number of pages, JPEG, PNG or PDF), '/' in their paths written as '__'
# so that names stay unique, next to a packet.json that assigns nothing. Then
# `licpack check` must exit 0 or 1 (never 2 or more, a signal or a time-out),
# print nothing on stderr, and write a consistent JSON report in which
#   - every file of the set is listed under current-licence (none lost);
#   - every known-damaged file has a finding naming it with an expected code;
#   - no known-good file is reported corrupt or empty;
#   - every EXIF orientation example reports the orientation in its name.
# Which files are known to be damaged or good comes from the corpus's own
# records (SOURCES.md and each MANIFEST.tsv's 'check' column), judged as
# explained in E2E_PY_CORPUS below, never from licpack's output.
. "$(dirname "$0")/lib.sh"

CORPUS=${LICPACK_CORPUS:-}
if [ -z "$CORPUS" ] || [ ! -d "$CORPUS" ]; then
	echo "SKIPPED: shared corpus not found (set LICPACK_CORPUS)"
	exit 0
fi
e2e_init corpus

E2E_PY_CORPUS='
import json, os, re, shutil, sys

mode, corpus, set_name, folder = sys.argv[1:5]
MATERIAL = "现有许可证"

def manifest():
    rows = []
    with open(os.path.join(corpus, set_name, "MANIFEST.tsv"), encoding="utf-8") as f:
        for i, line in enumerate(f):
            cols = line.rstrip("\n").split("\t")
            if i == 0 or len(cols) < 5:
                continue
            rows.append((cols[0], cols[4]))
    return rows

def flat(path):
    return MATERIAL + "/" + path.replace("/", "__")

# The 14 deliberately corrupt PngSuite files, as SOURCES.md lists them.
def pngsuite_corrupt():
    text = open(os.path.join(corpus, "SOURCES.md"), encoding="utf-8").read()
    m = re.search(r"corrupt `x\*\.png` files: ([^.]*)\.", text)
    names = re.findall(r"x[a-z0-9]+", m.group(1)) if m else []
    return {n + ".png" for n in names}

DAMAGED = {"corrupt", "format", "empty"}

# qpdf files whose structure is sound but whose streams are not (issue 17
# item 9): qpdf 11.3 opens them without a warning, and only decoding every
# stream (or tokenising the content of the pages) shows the damage. The code
# each must get, from qpdf --check of a later qpdf (the MANIFEST check
# column; that of 11.3 passes terminate-parsing, an unclosed dictionary): data that
# cannot be decoded is corrupt, pages whose content is cut short or
# unbalanced are repaired.
STREAM_DAMAGE = {
    "qpdf/broken/bad-data.pdf": {"corrupt"},
    "qpdf/broken/bad-jpeg.pdf": {"corrupt"},
    "qpdf/broken/broken-lzw.pdf": {"corrupt"},
    "qpdf/broken/damaged-stream.pdf": {"corrupt"},
    "qpdf/broken/issue-1688a.pdf": {"corrupt"},
    "qpdf/broken/content-stream-errors.pdf": {"repaired"},
    "qpdf/broken/eof-in-inline-image.pdf": {"repaired"},
    "qpdf/broken/terminate-parsing.pdf": {"repaired"},
}

def judge(path, check):
    """(expected codes, or None when the file is not known to be damaged;
    True when it is known to be good)"""
    if set_name == "pngsuite":
        if path in pngsuite_corrupt():
            return DAMAGED, False
        return None, check.startswith("pngcheck:OK") or path == "cm7n0g04.png"
    if set_name in ("jpeg", "jpegsuite", "exif"):
        if check.startswith("identify:OK"):
            return None, True
        # ImageMagick errors that mean "no image data": hard failures. The
        # conformance suite (jpegsuite) is valid by construction (SOURCES.md),
        # and there the same message only means that ImageMagick cannot decode
        # lossless and JPEG-LS streams. Errors about unsupported processes,
        # precisions, DNL or sizes, and every warning, are not judged.
        if set_name == "jpeg" and "insufficient image data" in check:
            return DAMAGED, False
        return None, False
    if set_name == "pdf":
        if path in STREAM_DAMAGE:
            return STREAM_DAMAGE[path], False
        if check.startswith("qpdf--check:rc=0"):
            # broken/ files that qpdf passes are subtly malformed (no pages...)
            return None, path.startswith("qpdf/edge/")
        if check.startswith("qpdf--check:rc=2"):
            if "can\x27t find PDF header" in check:
                return DAMAGED, False
            if "invalid password" in check:
                return ({"encrypted"} if "userpw" in path else {"encrypted", "corrupt"}), False
            if "file is damaged" in check:
                # qpdf gave up or needed repairs: licpack may call it repaired,
                # or (a damaged encryption dictionary) password-protected
                return DAMAGED | {"repaired", "encrypted"}, False
        return None, False
    return None, False

if mode == "copy":
    for path, _ in manifest():
        dst = os.path.join(folder, flat(path))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(corpus, set_name, path), dst)
    with open(os.path.join(folder, "packet.json"), "w", encoding="utf-8") as f:
        json.dump({"template": "icp-renewal", "files": {}}, f)
    sys.exit(0)

report = json.load(open(sys.argv[5], encoding="utf-8"))
by_file = {}
for f in report["findings"]:
    by_file.setdefault(f["file"], []).append(f["code"])
listed = {x["path"]: x for m in report["materials"] for x in m["files"] if m["id"] == "current-licence"}
bad, n_damaged, n_good = [], 0, 0
for path, check in manifest():
    name = flat(path)
    codes = by_file.get(name, [])
    expect, good = judge(path, check)
    if set_name == "pdf" and path in STREAM_DAMAGE and len(codes) != 1:
        bad.append("%s: one finding expected, got %s" % (path, codes))
    if name not in listed:
        bad.append("%s: not listed under current-licence (findings: %s)" % (path, codes))
    if expect is not None:
        n_damaged += 1
        if not expect & set(codes):
            bad.append("%s: known damaged (%s), but no %s finding (findings: %s)"
                       % (path, check[:70], "/".join(sorted(expect)), codes or "none"))
    if good:
        n_good += 1
        wrong = [c for c in codes if c in ("corrupt", "empty")]
        if wrong:
            msg = [f["message"] for f in report["findings"] if f["file"] == name]
            bad.append("%s: known good, but reported %s: %s" % (path, "/".join(wrong), msg))
    m = re.match(r"(Landscape|Portrait)_(\d)\.jpg$", path)
    if set_name == "exif" and m and name in listed:
        want = int(m.group(2))
        got = listed[name].get("orientation", 0)
        if got != want:
            bad.append("%s: orientation %s, expected %d" % (path, got, want))
for b in bad:
    print(b)
print("%s: %d files, %d known damaged, %d known good, %d problem(s)"
      % (set_name, len(manifest()), n_damaged, n_good, len(bad)), file=sys.stderr)
sys.exit(1 if bad else 0)
'

for manifest in "$CORPUS"/*/MANIFEST.tsv; do
	[ -f "$manifest" ] || continue
	set=$(basename "$(dirname "$manifest")")
	dir=$E2E_OUT/$set
	mkdir -p "$dir/folder"
	if ! python3 -c "$E2E_PY_CORPUS" copy "$CORPUS" "$set" "$dir/folder"; then
		e2e_fail "$set: cannot copy the corpus"
		continue
	fi
	run_licpack "$dir" check "$dir/folder" --format json --lang en --today 2026-11-28
	case $RC in
	0 | 1) ;;
	124) e2e_fail "$set: timed out after ${E2E_TIMEOUT}s"; continue ;;
	*)
		e2e_fail "$set: exit code $RC (a crash, a sanitizer report or an internal error)"
		tail -n 40 "$dir/stderr" | sed 's/^/    /'
		continue
		;;
	esac
	if [ -s "$dir/stderr" ]; then
		e2e_fail "$set: output on stderr:"
		head -n 20 "$dir/stderr" | sed 's/^/    /'
	fi
	if ! report "$dir/stdout" check >"$dir/report-check" 2>&1; then
		e2e_fail "$set: the JSON report is inconsistent:"
		sed 's/^/    /' "$dir/report-check"
		continue
	fi
	if python3 -c "$E2E_PY_CORPUS" verify "$CORPUS" "$set" "$dir/folder" "$dir/stdout" >"$dir/problems" 2>"$dir/summary"; then
		echo "ok    $(cat "$dir/summary")"
	else
		e2e_fail "$(cat "$dir/summary")"
		sed 's/^/    /' "$dir/problems"
	fi
done
e2e_finish
