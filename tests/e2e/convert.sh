#!/bin/sh
# convert: what clients send is converted, not refused (issue 14 item 1).
# A folder (the complete sample) whose scans are a GIF, a HEIC, a WebP with
# EXIF orientation 6, a BMP, a 3-page LZW TIFF, a 2-page CCITT G4 TIFF and a
# JPEG-compressed TIFF (and a .docx when LibreOffice is installed) builds a
# complete packet: one `converted` notice per file; the images in the
# packet's PDF (pdfimages) and the converted TIFF's pages (pdftoppm) differ
# from the pages they were made from by under 3 % per channel; every page
# renders; the zip carries the converted files under names ending .jpg,
# .png, .pdf; manifest.json gives each original's SHA-256 and size beside
# the converted bytes' (which are the zip entry's). Bad input: a TIFF of
# 10 000 pages, TIFF and HEIC files declaring huge canvases are `too-large`
# in bounded time; a LibreOffice that hangs is killed with its process
# group after --office-timeout (a `corrupt` finding, no process or
# temporary folder left); without LibreOffice a .docx is refused naming the
# package to install; no output of a failed build is at its final name.
#   sh tests/e2e/convert.sh
. "$(dirname "$0")/lib.sh"

MKCONVERT=${MKCONVERT:-build/tools/mkconvert}
case $MKCONVERT in /*) ;; *) MKCONVERT=$E2E_ROOT/$MKCONVERT ;; esac
for tool in pdfimages pdftoppm pdftotext unzip python3; do e2e_need $tool $tool; done
e2e_init convert
need_mkfixture
[ -x "$MKCONVERT" ] || { echo "FAIL: $MKCONVERT is missing: make build/tools/mkconvert"; exit 1; }
H=$E2E_ROOT/$E2E_OUT
S=$H/src
ARGS="--today 2026-11-28 --lang en"
COMPARE="python3 $E2E_ROOT/tests/e2e/py/convert_compare.py"
# time limits below are for the plain and sanitizer builds; valgrind is
# some 30 times slower
SLOW=1
[ -z "$LICPACK_WRAP" ] || SLOW=30
mkdir -p "$S"

# --- the sources: A4 pages at 100 dpi (seal on the first), then the files ---
"$MKFIXTURE" png "$S/p1.png" 827x1169 --seal --text-lines --dpi 100 &&
	"$MKFIXTURE" png "$S/p2.png" 827x1169 --text-lines --variant 2 --dpi 100 &&
	"$MKFIXTURE" png "$S/p3.png" 827x1169 --text-lines --variant 3 --dpi 100 &&
	"$MKFIXTURE" png "$S/p4.png" 1654x2339 --text-lines --variant 4 --dpi 200 || exit 1
for p in p1 p2 p3 p4; do "$MKCONVERT" ppm "$S/$p.png" "$S/$p.ppm" || exit 1; done
A=$H/acme
cp -R "$E2E_ROOT/samples/icp-renewal-complete" "$A" || exit 1
(
	cd "$A" || exit 1
	rm -r 01_续期申请表.jpg 营业执照副本.jpg 服务器托管协议.jpg '依法经营承诺书(盖章).jpg' 现有许可证 股东会决议.pdf \
		域名证书_example.com.jpg
	"$MKCONVERT" gif "$S/p1.png" 01_续期申请表.gif &&
		"$MKCONVERT" heic "$S/p1.png" 营业执照副本.heic &&
		"$MKCONVERT" webp "$S/p1.png" 服务器托管协议.webp --orientation 6 &&
		"$MKCONVERT" bmp "$S/p1.png" '依法经营承诺书(盖章).bmp' &&
		"$MKCONVERT" tiff 现有许可证.tif --compression lzw --dpi 100 "$S/p1.png" "$S/p2.png" "$S/p3.png" &&
		"$MKCONVERT" tiff 股东会决议.tif --compression ccitt --dpi 100 "$S/p2.png" "$S/p3.png" &&
		"$MKCONVERT" tiff 域名证书_example.com.tif --compression jpeg --dpi 200 "$S/p4.png"
) || { e2e_fail "the fixtures could not be made"; e2e_finish; }
# The one LibreOffice case (it takes seconds): a .docx written by hand
SOFFICE=$(command -v soffice || true)
if [ -n "$SOFFICE" ]; then
	python3 - "$A/企业信用信息公示截图.docx" <<'EOF' || exit 1
import sys, zipfile
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>')
doc = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       '<w:body><w:p><w:r><w:t>LICPACK-DOCX-MARK credit record</w:t></w:r></w:p></w:body></w:document>')
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, body in (("[Content_Types].xml", ct), ("_rels/.rels", rels), ("word/document.xml", doc)):
        z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), body)
EOF
	# the credit screenshot takes images only: let this template take a PDF too
	rm "$A/企业信用信息公示截图.png"
	python3 -c '
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["files"] = {"credit-screenshot": ["企业信用信息公示截图.docx"]}
json.dump(d, open(p, "w"), ensure_ascii=False, indent=2)' "$A/packet.json"
else
	echo "SKIPPED: soffice is not installed: no .docx in the folder (apt-get install libreoffice-writer-nogui)"
fi
find "$A" -type f ! -name packet.json -exec sha256sum {} + | sort >"$H/inputs.before"

# --- the build ---
mkdir -p "$H/tmp"
E2E_TIMEOUT=${E2E_CONVERT_TIMEOUT:-$((180 * SLOW))} TMPDIR=$H/tmp run_licpack "$H" build "$A" -o "$H/out" $ARGS
same_exit "build of the converted folder" 0 "$RC" || sed 's/^/    /' "$H/stdout" "$H/stderr" | head -40
[ -z "$(ls -A "$H/tmp")" ] || e2e_fail "temporary files left in TMPDIR: $(ls -A "$H/tmp")"
find "$A" -type f ! -name packet.json -exec sha256sum {} + | sort >"$H/inputs.after"
same_text "the inputs are untouched" "$H/inputs.before" "$H/inputs.after"

{
	echo "converted|notice|credit-screenshot|企业信用信息公示截图.docx"
	echo "converted|notice|current-licence|现有许可证.tif"
	# the TIFFs' pages are checked as images: scanned at 100 dpi
	echo "low-dpi|warning|current-licence|现有许可证.tif"
	echo "low-dpi|warning|shareholder-resolution|股东会决议.tif"
	# and the domain certificate's TIFF and the BMP at 200: under the 300
	# the templates recommend for A4 pages
	echo "low-dpi|warning|domain-certificate|域名证书_example.com.tif"
	echo "low-dpi|warning|undertaking|依法经营承诺书(盖章).bmp"
	echo "converted|notice|domain-certificate|域名证书_example.com.tif"
	echo "converted|notice|hosting-contract|服务器托管协议.webp"
	echo "converted|notice|renewal-application|01_续期申请表.gif"
	echo "converted|notice|shareholder-resolution|股东会决议.tif"
	echo "converted|notice|undertaking|依法经营承诺书(盖章).bmp"
	echo "converted|notice|business-license|营业执照副本.heic"
} | { if [ -n "$SOFFICE" ]; then cat; else grep -v docx; fi; } | LC_ALL=C sort >"$H/expected-findings"
report "$H/out/report.json" findings >"$H/findings" || e2e_fail "report.json does not agree with itself"
LC_ALL=C sort "$H/findings" -o "$H/findings"
same_text "findings" "$H/expected-findings" "$H/findings"
grep -q "converted from HEIC (heif→jpeg q90)" "$H/out/report.txt" ||
	e2e_fail "report.txt does not say the HEIC was converted"

# manifest: the original's name, size and SHA-256 beside the converted bytes'
(cd "$H/out" && mkdir -p z && cd z && unzip -q ../acme.zip) || e2e_fail "the zip does not unpack"
python3 - "$H/out/manifest.json" "$A" "$H/out/z" >"$H/manifest.check" <<'EOF'
import hashlib, json, os, sys
m, src, z = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
for f in m["files"]:
    c = f.get("converted")
    if c is None:
        continue
    orig = os.path.join(src, f["original"])
    ok = (c["original_sha256"] == sha(orig) and c["original_bytes"] == os.path.getsize(orig) and
          f["sha256"] == sha(os.path.join(z, f["packet_name"])) and
          f["bytes"] == os.path.getsize(os.path.join(z, f["packet_name"])))
    print("%s|%s|%s|%s|%s" % (f["original"], c["from"], c["method"], os.path.splitext(f["packet_name"])[1],
                              "ok" if ok else "HASH OR SIZE MISMATCH"))
EOF
{
	echo "01_续期申请表.gif|gif|gif→png|.png|ok"
	echo "营业执照副本.heic|heif|heif→jpeg q90|.jpg|ok"
	echo "域名证书_example.com.tif|tiff|tiff→jpeg q90|.jpg|ok"
	echo "现有许可证.tif|tiff|tiff→pdf 3 pages, jpeg q90|.pdf|ok"
	echo "依法经营承诺书(盖章).bmp|bmp|bmp→jpeg q90|.jpg|ok"
	echo "股东会决议.tif|tiff|tiff→pdf 2 pages, 1-bit|.pdf|ok"
	echo "服务器托管协议.webp|webp|webp→jpeg q90|.jpg|ok"
	[ -z "$SOFFICE" ] || echo "企业信用信息公示截图.docx|zip|docx→pdf libreoffice|.pdf|ok"
} >"$H/manifest.expected"
same_text "manifest.json's converted files" "$H/manifest.expected" "$H/manifest.check"

# the pixels: every image of the packet's PDF, in page order, against its source
mkdir -p "$H/img"
pdfimages "$H/out/acme.pdf" "$H/img/i" || e2e_fail "pdfimages cannot read the packet"
pdfimages -list "$H/out/acme.pdf" >"$H/img/list"
# images in order: GIF, HEIC, ID x2, domain TIFF (JPEG), domain .cn, licence x3,
# BMP, resolution x2 (CCITT), WebP, ICP screenshot, [credit]
img() { ls "$H/img/" | grep "^i-" | sed -n "$1p" | sed "s|^|$H/img/|"; }
$COMPARE "$S/p1.ppm" "$(img 1)" "$(img 2)" "$(img 7)" "$(img 10)" >"$H/cmp" 2>&1 ||
	{ e2e_fail "GIF, HEIC, TIFF page 1 or BMP differ from their source"; sed 's/^/    /' "$H/cmp"; }
$COMPARE "$S/p4.ppm" "$(img 5)" >"$H/cmp" 2>&1 ||
	{ e2e_fail "the JPEG-compressed TIFF differs from its source"; sed 's/^/    /' "$H/cmp"; }
$COMPARE "$S/p2.ppm" "$(img 8)" >"$H/cmp" 2>&1 ||
	{ e2e_fail "TIFF page 2 differs from its source"; sed 's/^/    /' "$H/cmp"; }
$COMPARE "$S/p3.ppm" "$(img 9)" >"$H/cmp" 2>&1 ||
	{ e2e_fail "TIFF page 3 differs from its source"; sed 's/^/    /' "$H/cmp"; }
$COMPARE "$S/p1.ppm" "$(img 13)" --rotate 90 >"$H/cmp" 2>&1 ||
	{ e2e_fail "the WebP is not turned by its EXIF orientation 6"; sed 's/^/    /' "$H/cmp"; }
# the CCITT pages are bilevel: 1 bit in the PDF, and like their sources
awk 'NR > 2 && ($2 == 10 || $2 == 11) { print $7 "/" $8 }' "$H/img/list" | tr '\n' ' ' >"$H/ccitt"
[ "$(cat "$H/ccitt")" = "1/1 1/1 " ] || e2e_fail "the CCITT pages are not 1-bit grey in the PDF: $(cat "$H/ccitt")"
$COMPARE "$S/p2.ppm" "$(img 11)" --bilevel >"$H/cmp" 2>&1 ||
	{ e2e_fail "the CCITT page 1 differs from its source"; sed 's/^/    /' "$H/cmp"; }
# the converted TIFF in the zip, rendered at its 100 dpi, page by page
pdftoppm -r 100 "$H/out/z/06_现有许可证_1.pdf" "$H/img/lic" || e2e_fail "the zip's converted TIFF does not render"
$COMPARE "$S/p3.ppm" "$H/img/lic-3.ppm" >"$H/cmp" 2>&1 ||
	{ e2e_fail "page 3 of the zip's converted TIFF differs from its source"; sed 's/^/    /' "$H/cmp"; }
# every page of the packet renders
pdftoppm -r 10 "$H/out/acme.pdf" "$H/img/all" 2>"$H/img/render.err" || e2e_fail "the packet's pages do not render"
[ ! -s "$H/img/render.err" ] || e2e_fail "pdftoppm complains: $(head -n 3 "$H/img/render.err")"
if [ -n "$SOFFICE" ]; then
	pdftotext "$H/out/acme.pdf" - | grep -q LICPACK-DOCX-MARK || e2e_fail "the .docx's text is not in the packet"
fi

# --- bad input, bounded: each a folder of its own, check only ---
bad_case() { # NAME MATERIAL-FILE FINDING-CODE MESSAGE-PART SECONDS [OPTION...]
	B=$H/bad-$1 _file=$2 _code=$3 _part=$4 _secs=$5
	shift 5
	mkdir -p "$B"
	cp "$E2E_ROOT/samples/icp-renewal-complete/packet.json" "$B/"
	start=$(date +%s)
	run_licpack "$B" check "$B" $ARGS --format json "$@"
	took=$(($(date +%s) - start))
	[ "$took" -le $((_secs * SLOW)) ] || e2e_fail "$B: took ${took}s (limit $((_secs * SLOW)))"
	report "$B/stdout" messages | grep -F "$_code|$_file|" >"$B/msg"
	grep -qF "$_part" "$B/msg" ||
		e2e_fail "$B: no $_code finding on $_file saying '$_part' (got: $(report "$B/stdout" messages | grep -F "|$_file|"))"
}
"$MKCONVERT" tiff-pages "$H/pages.tif" 10000 || exit 1
"$MKCONVERT" tiff-canvas "$H/canvas.tif" 100000x100000 || exit 1
"$MKCONVERT" heic "$S/p1.png" "$H/canvas.heic" && "$MKCONVERT" heic-canvas "$H/canvas.heic" 60000x60000 || exit 1
mkdir -p "$H/bad-pages" "$H/bad-canvas" "$H/bad-heic"
cp "$H/pages.tif" "$H/bad-pages/现有许可证.tif"
bad_case pages 现有许可证.tif too-large "TIFF with more pages than the limit; not converted" 10
cp "$H/canvas.tif" "$H/bad-canvas/营业执照副本.tif"
bad_case canvas 营业执照副本.tif too-large "image has more pixels than the limit; not converted" 5
cp "$H/canvas.heic" "$H/bad-heic/营业执照副本.heic"
bad_case heic 营业执照副本.heic too-large "image has more pixels than the limit; not converted" 5

# 11 pages of 20x20 pixels with --max-pixels 400: each page fits, all of
# them (4400) are over 10 times the limit
"$MKFIXTURE" png "$S/tiny.png" 20x20 && mkdir -p "$H/bad-total" &&
	"$MKCONVERT" tiff "$H/bad-total/现有许可证.tif" --compression lzw \
		"$S/tiny.png" "$S/tiny.png" "$S/tiny.png" "$S/tiny.png" "$S/tiny.png" "$S/tiny.png" \
		"$S/tiny.png" "$S/tiny.png" "$S/tiny.png" "$S/tiny.png" "$S/tiny.png" || exit 1
bad_case total 现有许可证.tif too-large "TIFF whose pages hold more pixels in all than the limit; not converted" 5 \
	--max-pixels 400

# the pages of a multi-page TIFF are checked as images are: a black-and-white
# one where colour is needed
mkdir -p "$H/bad-grey"
cp "$A/股东会决议.tif" "$H/bad-grey/营业执照副本.tif"
bad_case grey 营业执照副本.tif greyscale "black-and-white (greyscale) image" 5

# an Office document that hangs LibreOffice: a stand-in soffice that sleeps
mkdir -p "$H/fake" "$H/bad-hang" "$H/tmp-hang"
printf '#!/bin/sh\necho $$ >"%s/fake.pid"\nexec sleep 300\n' "$H" >"$H/fake/soffice"
chmod +x "$H/fake/soffice"
cp "$E2E_ROOT/samples/icp-renewal-complete/packet.json" "$H/bad-hang/"
printf 'PK\003\004[Content_Types].xml' >"$H/bad-hang/依法经营承诺书.docx"
start=$(date +%s)
LICPACK_SOFFICE=$H/fake/soffice TMPDIR=$H/tmp-hang run_licpack "$H/bad-hang" build "$H/bad-hang" -o "$H/bad-hang-out" \
	$ARGS --office-timeout 2
took=$(($(date +%s) - start))
same_exit "a hanging LibreOffice" 1 "$RC"
[ "$took" -le $((10 * SLOW)) ] || e2e_fail "a hanging LibreOffice: took ${took}s with --office-timeout 2"
grep -qF "corrupt: '依法经营承诺书.docx': Office document that LibreOffice did not convert in the time allowed" "$H/bad-hang/stdout" ||
	e2e_fail "a hanging LibreOffice: no corrupt finding ($(grep 依法经营承诺书 "$H/bad-hang/stdout"))"
if [ -s "$H/fake.pid" ] && kill -0 "$(cat "$H/fake.pid")" 2>/dev/null; then
	e2e_fail "the hanging soffice (pid $(cat "$H/fake.pid")) is still running"
	kill "$(cat "$H/fake.pid")"
fi
[ -z "$(ls -A "$H/tmp-hang")" ] || e2e_fail "a hanging LibreOffice: temporary files left: $(ls -A "$H/tmp-hang")"
ls "$H/bad-hang-out" 2>/dev/null | grep -E '\.(pdf|zip)$|^manifest.json$' >"$H/bad-hang/packet-left" &&
	e2e_fail "a failed build left a packet: $(cat "$H/bad-hang/packet-left")"

# without LibreOffice: refused, naming what to install
LICPACK_SOFFICE=$H/no/soffice run_licpack "$H/bad-hang" check "$H/bad-hang" $ARGS
same_exit "a .docx without LibreOffice" 1 "$RC"
grep -qF "format: '依法经营承诺书.docx': Office document (LibreOffice, which would convert it, is not installed: apt-get install libreoffice-writer-nogui) is not accepted" "$H/bad-hang/stdout" ||
	e2e_fail "a .docx without LibreOffice: $(grep 依法经营承诺书 "$H/bad-hang/stdout")"

e2e_finish
