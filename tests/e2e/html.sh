#!/bin/sh
# html: report.html and the batch's index.html (issue 15), read as a browser
# reads them.
#   1. `check --format html` of both samples (en, zh, --no-thumbnails): exit
#      codes; one table row per material of report.json; one <img> per JPEG
#      or PNG file of the folder (matched or unrecognised) that is not
#      corrupt, one per PDF page up to 4 (REPORT_PDF_PAGES), and a
#      placeholder for the corrupt one; nothing outside the
#      file referenced (no http:, https: or // once the data: URIs are
#      taken out); tidy finds no error.
#   2. `build` writes report.html, mode 0600, the same bytes as check's.
#   3. `batch` writes one report.html per applicant and index.html (0600),
#      one row per applicant, every link pointing at a file that exists.
#   4. In headless Chromium (Debian's chromium; SKIPPED without it, except
#      in CI where it must be there): the report and the index load from
#      file:// with no console message, and no request to anything but the
#      browser's own update service (its net log; the browser runs with no
#      network at all, unshare -n, where the platform allows); the DOM has
#      the rows and images counted in 1; a screenshot is a PNG of the window's
#      size that is not blank; the index opened as
#      index.html#sort=errors&order=desc&q=incomplete shows the incomplete
#      applicant first and hides the complete one (the sort and filter the
#      page's script does on a click, taken from the address).
#   Between 3 and 4: the ID card's thumbnail is a mosaic under the
#   watermark: tesseract reads none of its number, where it reads the same
#   card shown unmarked.
#   sh tests/e2e/html.sh
. "$(dirname "$0")/lib.sh"

e2e_init html
H=$E2E_ROOT/$E2E_OUT
ARGS="--today 2026-06-01"
S=samples

if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIPPED: python3 is not installed"
	exit 0
fi

# counts FILE.html REPORT.json DIR: "rows imgs expected-rows expected-imgs"
counts() {
	python3 - "$1" "$2" "$3" <<'EOF'
import json, os, sys
html = open(sys.argv[1], encoding="utf-8").read()
rep = json.load(open(sys.argv[2], encoding="utf-8"))
d = sys.argv[3]
def image(p):
    try:
        b = open(os.path.join(d, p), "rb").read(8)
    except OSError:
        return False
    return b[:2] == b"\xff\xd8" or b == b"\x89PNG\r\n\x1a\n"
bad = {f["file"] for f in rep["findings"] if f["code"] in ("corrupt", "too-large", "format")}
imgs = sum(1 for m in rep["materials"] for f in m["files"] if f["format"] in ("jpeg", "png") and f["path"] not in bad)
imgs += sum(min(f["pages"], 4) for m in rep["materials"] for f in m["files"] if f["format"] == "pdf" and f["path"] not in bad)
imgs += sum(1 for u in rep["unrecognized"] if image(u))
print(html.count('<tr class="material '), html.count("<img "), len(rep["materials"]), imgs)
EOF
}

# offline FILE: the page with its data: URIs taken out references nothing
offline() {
	if sed 's#data:image/jpeg;base64,[A-Za-z0-9+/=]*##g' "$1" | grep -n -i -E 'https?:|//' >"$1.refs"; then
		e2e_fail "$1 references something outside itself: $(head -n 3 "$1.refs")"
	fi
}

tidy_ok() {
	if command -v tidy >/dev/null 2>&1; then
		tidy -errors -q "$1" >"$1.tidy" 2>&1 || e2e_fail "tidy: $1: $(head -n 5 "$1.tidy")"
	elif [ -n "${CI:-}" ]; then
		e2e_fail "tidy is not installed (make deps-test)"
	fi
}

# ---- 1. check --format html ------------------------------------------------
for s in complete incomplete; do
	want=0
	[ $s = incomplete ] && want=1
	mkdir -p "$H/check-$s"
	run_licpack "$H/check-$s" check "$S/icp-renewal-$s" $ARGS --lang en --format json
	cp "$H/check-$s/stdout" "$H/$s.json"
	for lang in en zh; do
		run_licpack "$H/check-$s" check "$S/icp-renewal-$s" $ARGS --lang $lang --format html
		same_exit "check --format html $s $lang" $want "$RC"
		cp "$H/check-$s/stdout" "$H/$s-$lang.html"
		set -- $(counts "$H/$s-$lang.html" "$H/$s.json" "$S/icp-renewal-$s")
		[ "$1" = "$3" ] || e2e_fail "$s $lang: $1 material rows, report.json has $3 materials"
		[ "$2" = "$4" ] || e2e_fail "$s $lang: $2 images, the folder has $4 JPEG/PNG files"
		[ "$4" -gt 0 ] || e2e_fail "$s: no images expected: the test tests nothing"
		offline "$H/$s-$lang.html"
		tidy_ok "$H/$s-$lang.html"
		grep -q '^<html lang="zh-CN">$' "$H/$s-$lang.html" || e2e_fail "$s $lang: no <html lang=\"zh-CN\">"
	done
	grep -q '<h2>Materials</h2>' "$H/$s-en.html" || e2e_fail "$s en: labels not in English"
	grep -q '<h2>材料</h2>' "$H/$s-zh.html" || e2e_fail "$s zh: labels not in Chinese"
	run_licpack "$H/check-$s" check "$S/icp-renewal-$s" $ARGS --lang en --format html --no-thumbnails
	same_exit "check --format html --no-thumbnails $s" $want "$RC"
	n=$(grep -c '<img ' "$H/check-$s/stdout")
	[ "$n" = 0 ] || e2e_fail "--no-thumbnails: $n images"
done
grep -q '<figure class="err"><span class="ph">no preview</span><figcaption>现有许可证.jpg<' "$H/incomplete-en.html" ||
	e2e_fail "the corrupt JPEG has no placeholder framed red"
# a finding on a material that names another file (packet.json) shows in its row
python3 -c 'import sys; s = open(sys.argv[1], encoding="utf-8").read(); i = s.index("id=\"m-legal-rep-id-portrait\""); sys.exit("#x-idcard-checksum" not in s[i:s.index("<tr", i)])' \
	"$H/incomplete-en.html" || e2e_fail "the ID card row does not show the idcard-checksum finding"
grep -q '110105\*\*\*\*\*\*\*\*002X' "$H/complete-en.html" || e2e_fail "the ID number is not shown masked"
if grep -q '11010519491231002X' "$H/complete-en.html"; then e2e_fail "the ID number is shown unmasked"; fi

# ---- 2. build ----------------------------------------------------------------
mkdir -p "$H/build"
run_licpack "$H/build" build "$S/icp-renewal-complete" -o "$H/build/out" $ARGS --lang en
same_exit "build" 0 "$RC"
if [ -f "$H/build/out/report.html" ]; then
	mode=$(stat -c %a "$H/build/out/report.html")
	[ "$mode" = 600 ] || e2e_fail "build: report.html has mode $mode, not 600"
	cmp -s "$H/build/out/report.html" "$H/complete-en.html" || e2e_fail "build's report.html differs from check --format html"
else
	e2e_fail "build wrote no report.html"
fi

# ---- 3. batch ----------------------------------------------------------------
mkdir -p "$H/root" "$H/batch"
cp -r "$S/icp-renewal-complete" "$S/icp-renewal-incomplete" "$H/root/"
run_licpack "$H/batch" batch "$H/root" -o "$H/batch/out" -j 2 $ARGS --lang en
same_exit "batch" 1 "$RC"
I=$H/batch/out/index.html
if [ -f "$I" ]; then
	[ "$(stat -c %a "$I")" = 600 ] || e2e_fail "index.html has mode $(stat -c %a "$I"), not 600"
	[ "$(grep -c '^<tr class="s-' "$I")" = 2 ] || e2e_fail "index.html: not one row per applicant"
	grep -q '2 applicants: 1 complete, 1 incomplete, 0 failed' "$I" || e2e_fail "index.html: no counts"
	for l in $(grep -o 'href="[^"#]*"' "$I" | sed 's/^href="//; s/"$//' | sort -u); do
		f=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' "$l")
		[ -f "$H/batch/out/$f" ] || e2e_fail "index.html links to '$f', which is not there"
	done
	[ "$(grep -o 'href="icp-renewal-[a-z]*/report.html"' "$I" | wc -l)" = 4 ] || e2e_fail "index.html: not two links to each report"
	offline "$I"
	tidy_ok "$I"
else
	e2e_fail "batch wrote no index.html"
fi
for s in complete incomplete; do
	[ -f "$H/batch/out/icp-renewal-$s/report.html" ] || e2e_fail "batch: no report.html for $s"
done

# ---- privacy: an ID card's thumbnail cannot be read --------------------------
# The portrait side's thumbnail (a mosaic under the watermark) gives
# tesseract no 4 characters in a row of the sample's ID number; the same
# picture as the thumbnail of a material without the watermark (the domain
# certificate's name) does: proof that the reading below can read it.
# thumb_ocr HTML ALT OUT: the thumbnail whose alt text is ALT, read
thumb_ocr() {
	python3 - "$1" "$2" "$3.jpg" <<'EOF2' || e2e_fail "$1: no thumbnail '$2'"
import base64, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'src="data:image/jpeg;base64,([^"]+)"[^>]*alt="' + re.escape(sys.argv[2]) + '"', s)
sys.exit(1) if not m else open(sys.argv[3], "wb").write(base64.b64decode(m.group(1)))
EOF2
	tesseract "$3.jpg" "$3" -l eng --psm 11 >/dev/null 2>&1 || e2e_fail "tesseract could not read $3.jpg"
}
# id_digits FILE.txt: the 4-character runs of the sample's ID number the text has
id_digits() {
	python3 -c 'import sys; t = "".join(c for c in open(sys.argv[1]).read().upper() if c in "0123456789X"); n = "11010519491231002X"; print(" ".join(sorted({n[i:i + 4] for i in range(len(n) - 3) if n[i:i + 4] in t})))' "$1"
}
if command -v tesseract >/dev/null 2>&1; then
	mkdir -p "$H/privacy/folder"
	cp -r "$S/icp-renewal-complete/." "$H/privacy/folder/"
	cp "$S/icp-renewal-complete/身份证人像面.jpg" "$H/privacy/folder/域名证书_example.com.jpg"
	run_licpack "$H/privacy" check "$H/privacy/folder" $ARGS --lang en --format html
	cp "$H/privacy/stdout" "$H/privacy/report.html"
	thumb_ocr "$H/privacy/report.html" "身份证人像面.jpg 1" "$H/privacy/id"
	thumb_ocr "$H/privacy/report.html" "域名证书_example.com.jpg 1" "$H/privacy/control"
	[ -z "$(id_digits "$H/privacy/id.txt")" ] ||
		e2e_fail "the ID card's thumbnail shows its number: tesseract read $(id_digits "$H/privacy/id.txt")"
	[ -n "$(id_digits "$H/privacy/control.txt")" ] ||
		e2e_fail "the control (the card as an unmarked thumbnail) read no digits of the number: the test tests nothing"
elif [ -n "${CI:-}" ]; then
	e2e_fail "tesseract is not installed (make deps)"
else
	echo "SKIPPED: the ID thumbnail's privacy: tesseract is not installed (make deps)"
fi

# ---- 4. in a browser -----------------------------------------------------------
CHROMIUM=
for c in chromium chromium-browser; do
	command -v $c >/dev/null 2>&1 && { CHROMIUM=$c; break; }
done
if [ -z "$CHROMIUM" ]; then
	[ -n "${CI:-}" ] && { e2e_fail "chromium is not installed (make deps-test)"; e2e_finish; }
	echo "SKIPPED: the browser checks: chromium is not installed (make deps-test)"
	e2e_finish
fi
NONET=
for try in "unshare -n" "unshare -rn"; do
	# shellcheck disable=SC2086
	command -v unshare >/dev/null 2>&1 && $try sh -c 'exit 0' 2>/dev/null && { NONET=$try; break; }
done
# Quiet: as little of the browser's own background work as its flags
# allow; what remains (update checks, model downloads: Google's hosts, which
# the net log shows and this test leaves out) never comes from the pages,
# which name no host at all (offline, in 1).
BFLAGS="--headless --disable-gpu --no-sandbox --hide-scrollbars --no-first-run --disable-sync \
--disable-background-networking --disable-component-update --disable-default-apps --disable-extensions \
--enable-logging=stderr --v=0 --user-data-dir=$H/profile"
# browse NAME URL ARGS...: $H/NAME.dom, NAME.log, NAME.net
browse() {
	_n=$1 _u=$2
	shift 2
	# shellcheck disable=SC2086
	timeout 120 $NONET $CHROMIUM $BFLAGS --log-net-log="$H/$_n.net" "$@" "$_u" >"$H/$_n.dom" 2>"$H/$_n.log"
	_rc=$?
	[ $_rc = 0 ] || e2e_fail "$_n: chromium exited with $_rc: $(grep -v dbus "$H/$_n.log" | tail -n 3)"
	if grep -a 'CONSOLE' "$H/$_n.log" >"$H/$_n.console"; then
		e2e_fail "$_n: console messages: $(head -n 3 "$H/$_n.console")"
	fi
	grep -a -o '"url":"[^"]*"' "$H/$_n.net" 2>/dev/null | sed 's/^"url":"//; s/"$//' |
		grep -v -E '^https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com)/' |
		grep -v -E '^(file|data):' >"$H/$_n.requests"
	[ -s "$H/$_n.requests" ] && e2e_fail "$_n: requests: $(head -n 3 "$H/$_n.requests")"
	[ -f "$H/$_n.net" ] || e2e_fail "$_n: no net log"
}

R=$H/build/out/report.html
browse report "file://$R" --dump-dom
set -- $(counts "$H/report.dom" "$H/complete.json" "$S/icp-renewal-complete")
[ "$1" = "$3" ] && [ "$2" = "$4" ] || e2e_fail "report in the browser: $1 rows, $2 images; want $3 and $4"
browse shot "file://$R" --window-size=1000,1400 --screenshot="$H/report.png"
python3 - "$H/report.png" >"$H/report.png.check" 2>&1 <<'EOF' || e2e_fail "screenshot: $(cat "$H/report.png.check")"
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h, depth, ctype = struct.unpack(">IIBB", b[16:26])
assert (w, h) == (1000, 1400), "size %dx%d" % (w, h)
pos, idat = 8, b""
while pos < len(b):
    n, = struct.unpack(">I", b[pos:pos + 4])
    if b[pos + 4:pos + 8] == b"IDAT":
        idat += b[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
assert len(set(raw)) > 64, "blank: %d distinct byte values" % len(set(raw))
assert raw.count(255) < 0.97 * len(raw), "nearly all white"
EOF
if [ -f "$I" ]; then
	browse index "file://$I#sort=errors&order=desc&q=incomplete" --dump-dom
	rows=$(grep -o '<tr class="s-[a-z]*"[^>]*>' "$H/index.dom" | tr '\n' ' ')
	[ "$rows" = '<tr class="s-incomplete"> <tr class="s-complete" hidden=""> ' ] ||
		e2e_fail "index sorted by errors (descending) and filtered on 'incomplete': rows $rows"
	grep -q 'id="shown">1 / 2<' "$H/index.dom" || e2e_fail "index: the count of rows shown is not '1 / 2'"
	browse index-plain "file://$I" --dump-dom
	rows=$(grep -o '<tr class="s-[a-z]*"[^>]*>' "$H/index-plain.dom" | tr '\n' ' ')
	[ "$rows" = '<tr class="s-complete"> <tr class="s-incomplete"> ' ] || e2e_fail "index as it comes: rows $rows"
fi
e2e_finish
