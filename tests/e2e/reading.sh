#!/bin/sh
# reading: the scans' content read with tesseract (issue 12). Small pages
# drawn by build/tools/mkpage with the text of a business licence, the two
# sides of an ID card and an undertaking: the portrait side upside down,
# the emblem side turned a quarter clockwise, the undertaking signed 26 days
# before --today. check reads them (LICPACK_NO_READ unset): upside-down
# (error), rotated (warning) and signed-too-early (error) name their files,
# report.json carries each file's read object (the ID number masked). A
# second folder: packet.json's USCC and ID number differ from the scans
# (content-mismatch, masked), and 营业执照副本.jpg is an ID card
# (wrong-document). Files named IMG_*.jpg are matched by what they read
# ("matched_by": "content", a notice in the text report). build shows the turned pages upright in the PDF and
# says so in manifest.json. --no-read and LICPACK_NO_READ=1 read nothing;
# without the language data one read-unavailable warning. The cache:
# entries 0700/0600 by SHA-256, no recognised text and no whole ID number
# in them, a warm check takes its word, a damaged entry is written anew.
# PDF materials whose pages are scans are read; one that is not a scan gets
# a not-read notice.
. "$(dirname "$0")/lib.sh"

MKPAGE=$E2E_ROOT/build/tools/mkpage
if [ ! -d /usr/share/tesseract-ocr/5/tessdata ] && [ -z "${TESSDATA_PREFIX:-}" ]; then
	echo "SKIPPED: tesseract's language data is not installed; make deps"
	exit 0
fi
[ -x "$MKPAGE" ] || { echo "FAIL: $MKPAGE is missing: make build/tools/mkpage"; exit 1; }
e2e_init reading

folder=$E2E_OUT/applicant
mkdir -p "$folder"
cp samples/icp-renewal-complete/packet.json "$folder/"
"$MKPAGE" "$folder/营业执照副本.jpg" --px 32 '营业执照 样本' '统一社会信用代码 91350200776049653A' '名称 示例科技有限公司' '法定代表人 张三'
"$MKPAGE" "$folder/身份证人像面.jpg" --px 32 --rotate 180 '姓名 张三' '公民身份号码 11010519491231002X'
"$MKPAGE" "$folder/身份证国徽面.png" --px 32 --rotate 90 '中华人民共和国 居民身份证' '签发机关 北京市公安局朝阳分局' '有效期限 2015.06.30-2035.06.30'
"$MKPAGE" "$folder/依法经营承诺书.jpg" --px 32 '依法经营承诺书' '承诺单位 示例科技有限公司' '2026 年 11 月 02 日'
cache=$E2E_OUT/cache
CODES='^(upside-down|rotated|illegible|content-unconfirmed|content-mismatch|wrong-document|signed-too-early|read-unavailable|expired|expires-soon)\|'

# --no-read, LICPACK_NO_READ=1: nothing read, no read object
for how in --no-read env; do
	if [ "$how" = env ]; then
		LICPACK_NO_READ=1 run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28 --no-cache
	else
		LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28 --no-read
	fi
	n=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(sum(1 for m in r["materials"] for f in m["files"] if "read" in f) +
      sum(1 for f in r["findings"] if f["code"] in ("upside-down", "rotated", "read-unavailable")))
' "$E2E_OUT/stdout")
	[ "$n" = 0 ] || e2e_fail "$how: $n files read or reading findings"
done

# without the language data: one warning saying what to install
TESSDATA_PREFIX=$E2E_OUT/no-such-dir LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$folder" --lang en --today 2026-11-28 --no-cache
same_exit "check without the language data" 1 "$RC"
grep -F 'read-unavailable' "$E2E_OUT/stdout" | sed 's/^ *//' >"$E2E_OUT/got-unavailable"
cat >"$E2E_OUT/want-unavailable" <<'EOT'
! read-unavailable: scans not read: the language data is not installed (chi_sim.traineddata missing); apt-get install tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr
EOT
same_text "read-unavailable" "$E2E_OUT/want-unavailable" "$E2E_OUT/got-unavailable"

# Under valgrind only the parts above: recognition there takes minutes a
# page, and the plain and ASan runs read.
case $LICPACK_WRAP in
*valgrind*)
	echo "ok    not reading under valgrind: --no-read, LICPACK_NO_READ and read-unavailable checked"
	e2e_finish
	;;
esac

LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28 --cache "$cache"
same_exit "check, reading" 1 "$RC"
report "$E2E_OUT/stdout" messages | grep -E "$CODES" >"$E2E_OUT/got-turns"
cat >"$E2E_OUT/want-turns" <<'EOT'
upside-down|身份证人像面.jpg|'身份证人像面.jpg': the page is upside down; the packet's PDF shows it upright, scan it again the right way up for the portal
rotated|身份证国徽面.png|'身份证国徽面.png': the page is turned 90° clockwise; the packet's PDF shows it upright
signed-too-early|依法经营承诺书.jpg|'依法经营承诺书.jpg': signed 2026-11-02, 26 days before the build date; a form for this application may be at most 10 days old
EOT
same_text "what the pages say" "$E2E_OUT/want-turns" "$E2E_OUT/got-turns"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for m in r["materials"]:
    for f in m["files"]:
        rd = f.get("read")
        if rd is None:
            print(f["path"], None)
            continue
        fields = ",".join("%s=%s" % (k, v) for k, v in sorted(rd["fields"].items()))
        print(f["path"], rd["as"], rd["orientation"], "ok" if 60 <= rd["confidence"] <= 100 else rd["confidence"], fields)
' "$E2E_OUT/stdout" >"$E2E_OUT/got-read"
cat >"$E2E_OUT/want-read" <<'EOT'
营业执照副本.jpg business-license 0 ok company=示例科技有限公司,legal_rep=张三,uscc=91350200776049653A
身份证人像面.jpg legal-rep-id-portrait 180 ok id_number=110105********002X
身份证国徽面.png legal-rep-id-emblem 90 ok id_valid_until=2035-06-30
依法经营承诺书.jpg undertaking 0 ok company=示例科技有限公司,signed=2026-11-02
EOT
same_text "report.json's read objects" "$E2E_OUT/want-read" "$E2E_OUT/got-read"
if grep -q 11010519491231002X "$E2E_OUT/stdout"; then e2e_fail "report.json shows a whole ID number"; fi

# another company's values in packet.json; an ID card named as the licence
other=$E2E_OUT/other
mkdir -p "$other"
sed -e 's/91350200776049653A/91110108MA01ABCDEN/' -e 's/11010519491231002X/110101199003074477/' \
	samples/icp-renewal-complete/packet.json >"$other/packet.json"
cp "$folder/身份证人像面.jpg" "$folder/营业执照副本.jpg" "$other/"
"$MKPAGE" "$other/身份证国徽面.jpg" --px 32 '姓名 张三' '公民身份号码 11010519491231002X'
LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$other" --format json --lang en --today 2026-11-28 --no-cache
same_exit "check, mismatches" 1 "$RC"
report "$E2E_OUT/stdout" messages | grep -E "$CODES" >"$E2E_OUT/got-mismatch"
cat >"$E2E_OUT/want-mismatch" <<'EOT'
content-mismatch|营业执照副本.jpg|'营业执照副本.jpg': the licence's 统一社会信用代码 is 91350200776049653A, packet.json says 91110108MA01ABCDEN: the business licence of another company?
upside-down|身份证人像面.jpg|'身份证人像面.jpg': the page is upside down; the packet's PDF shows it upright, scan it again the right way up for the portal
content-mismatch|身份证人像面.jpg|'身份证人像面.jpg': the card's 公民身份号码 is 110105********002X, packet.json says 110101********4477: another person's card?
wrong-document|身份证国徽面.jpg|'身份证国徽面.jpg': named as an ID card's emblem side but reads as an ID card's portrait side
EOT
same_text "content-mismatch and wrong-document" "$E2E_OUT/want-mismatch" "$E2E_OUT/got-mismatch"

# the cache: four entries, private, holding no text read
n=$(find "$cache" -name 'read-*.json' | wc -l)
[ "$n" -eq 4 ] || e2e_fail "the cache holds $n entries, expected 4"
[ "$(stat -c %a "$cache")" = 700 ] || e2e_fail "the cache folder is mode $(stat -c %a "$cache"), expected 700"
for e in "$cache"/read-*.json; do
	[ "$(stat -c %a "$e")" = 600 ] || e2e_fail "$e is mode $(stat -c %a "$e"), expected 600"
done
if grep -l -e 依法经营承诺书 -e 11010519491231002X -e 北京市公安局 "$cache"/read-* >/dev/null 2>&1; then
	e2e_fail "the cache holds text read from a scan, or a whole ID number"
fi
[ "$(stat -c %a "$cache/key")" = 600 ] || e2e_fail "the cache's key is not mode 600"
sha=$(sha256sum "$folder/身份证人像面.jpg" | cut -d' ' -f1)
# a warm check reads nothing: the entries are what it uses (an entry
# saying 0 degrees makes the upside-down page upright)
printf '{"reader":"%s","status":"ok","turn":0,"confidence":77,"fields":{"kind":2}}' \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reader"])' "$cache/read-$sha.json")" \
	>"$cache/read-$sha.json"
LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28 --cache "$cache"
report "$E2E_OUT/stdout" findings | grep -E '^(upside-down|rotated|content-unconfirmed)\|' >"$E2E_OUT/got-warm"
cat >"$E2E_OUT/want-warm" <<'EOT'
content-unconfirmed|warning|legal-rep-id-portrait|身份证人像面.jpg
rotated|warning|legal-rep-id-emblem|身份证国徽面.png
EOT
same_text "a warm check takes the cache's word" "$E2E_OUT/want-warm" "$E2E_OUT/got-warm"
# a damaged entry is ignored (the page read again) and written anew
printf '{"reader":' >"$cache/read-$sha.json"
LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28 --cache "$cache"
report "$E2E_OUT/stdout" messages | grep -E "$CODES" >"$E2E_OUT/got-damaged"
same_text "a damaged cache entry" "$E2E_OUT/want-turns" "$E2E_OUT/got-damaged"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["turn"] != 180)' "$cache/read-$sha.json" ||
	e2e_fail "the damaged cache entry was not written anew"

# files no name matches, found by what they read: the licence and the
# emblem side as IMG_*, a domain certificate for one of packet.json's
# domains; a page that reads as nothing stays unrecognized (the cache
# already holds the first two)
unnamed=$E2E_OUT/unnamed
mkdir -p "$unnamed"
cp "$folder/packet.json" "$unnamed/"
cp "$folder/营业执照副本.jpg" "$unnamed/IMG_2041.jpg"
cp "$folder/身份证国徽面.png" "$unnamed/IMG_2042.png"
"$MKPAGE" "$unnamed/IMG_2043.jpg" --px 32 '域名证书' '域名 example.com' '注册者 示例科技有限公司' '到期日期 2028-05-01'
"$MKPAGE" "$unnamed/IMG_2044.jpg" --px 32 'hello'
LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$unnamed" --format json --lang en --today 2026-11-28 --cache "$cache"
same_exit "check, unnamed files" 1 "$RC"
{ report "$E2E_OUT/stdout" files; report "$E2E_OUT/stdout" unrecognized; } >"$E2E_OUT/got-unnamed"
cat >"$E2E_OUT/want-unnamed" <<'EOT'
business-license|IMG_2041.jpg|content|-|1
legal-rep-id-emblem|IMG_2042.png|content|-|1
domain-certificate|IMG_2043.jpg|content|example.com|1
IMG_2044.jpg
EOT
same_text "files found by content" "$E2E_OUT/want-unnamed" "$E2E_OUT/got-unnamed"
LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$unnamed" --lang en --today 2026-11-28 --cache "$cache"
grep -c 'IMG_204[123].*(recognised by its content, not its name)$' "$E2E_OUT/stdout" >"$E2E_OUT/got-notice"
echo 3 >"$E2E_OUT/want-notice"
same_text "the text report's notice" "$E2E_OUT/want-notice" "$E2E_OUT/got-notice"

# PDF materials: a PDF whose pages are scans is read (its first page; a
# signed form's last page too, where the date is); one whose first page is
# more than a scan gets a not-read notice; a PDF's page upside down is said
# so without the promise of turning it
pdfs=$E2E_OUT/pdfs
mkdir -p "$pdfs"
cp "$folder/packet.json" "$pdfs/"
JPEG_PDF="python3 $E2E_ROOT/tests/e2e/py/jpeg_pdf.py"
"$MKPAGE" "$E2E_OUT/form-page1.jpg" --px 32 '依法经营承诺书' '承诺单位 示例科技有限公司'
$JPEG_PDF "$pdfs/营业执照副本.pdf" 595.276 841.89 scan:"$folder/营业执照副本.jpg"
$JPEG_PDF "$pdfs/依法经营承诺书.pdf" 595.276 841.89 scan:"$E2E_OUT/form-page1.jpg" scan:"$folder/依法经营承诺书.jpg"
$JPEG_PDF "$pdfs/身份证人像面.pdf" 595.276 841.89 scan:"$folder/身份证人像面.jpg"
"$MKPAGE" "$E2E_OUT/emblem.jpg" --px 32 '签发机关 北京市公安局朝阳分局'
$JPEG_PDF "$pdfs/身份证国徽面.pdf" 595.276 841.89 text:"$E2E_OUT/emblem.jpg"
LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$pdfs" --format json --lang en --today 2026-11-28 --cache "$cache"
same_exit "check, PDF materials" 1 "$RC"
report "$E2E_OUT/stdout" findings | grep -E '^(not-read|upside-down|signed-too-early|content-unconfirmed)\|' >"$E2E_OUT/got-pdfs"
report "$E2E_OUT/stdout" messages | grep -E '^(not-read|upside-down|signed-too-early)\|' | cut -d'|' -f3 >>"$E2E_OUT/got-pdfs"
cat >"$E2E_OUT/want-pdfs" <<'EOT'
not-read|notice|legal-rep-id-emblem|身份证国徽面.pdf
signed-too-early|error|undertaking|依法经营承诺书.pdf
upside-down|error|legal-rep-id-portrait|身份证人像面.pdf
'身份证人像面.pdf': its first page is upside down; scan it again the right way up
'身份证国徽面.pdf': not read: its first page is not a plain scan (it has text, drawings or several images); its content was not checked
'依法经营承诺书.pdf': signed 2026-11-02, 26 days before the build date; a form for this application may be at most 10 days old
EOT
same_text "PDF materials" "$E2E_OUT/want-pdfs" "$E2E_OUT/got-pdfs"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
f = [f for m in r["materials"] for f in m["files"] if f["path"] == "营业执照副本.pdf"][0]
print(f["read"]["as"], ",".join("%s=%s" % kv for kv in sorted(f["read"]["fields"].items())))
' "$E2E_OUT/stdout" >"$E2E_OUT/got-pdf-read"
echo 'business-license company=示例科技有限公司,legal_rep=张三,uscc=91350200776049653A' >"$E2E_OUT/want-pdf-read"
same_text "a scanned PDF's read object" "$E2E_OUT/want-pdf-read" "$E2E_OUT/got-pdf-read"
# the packet takes a PDF's pages as they are: the manifest says none turned
LICPACK_NO_READ= run_licpack "$E2E_OUT" build "$pdfs" -o "$E2E_OUT/out-pdfs" --allow-incomplete --lang en --today 2026-11-28 --cache "$cache"
same_exit "build, PDF materials" 1 "$RC"
[ -f "$E2E_OUT/out-pdfs/manifest.json" ] || e2e_fail "build, PDF materials: no manifest.json"
if grep -q turned_in_pdf "$E2E_OUT/out-pdfs/manifest.json"; then e2e_fail "manifest.json says a PDF's page was turned"; fi

# build: the turned pages upright in the PDF, the manifest says so, the
# inputs untouched
before=$(cat "$folder"/*.jpg "$folder"/*.png | sha256sum)
LICPACK_NO_READ= run_licpack "$E2E_OUT" build "$folder" -o "$E2E_OUT/out" --allow-incomplete --lang en --today 2026-11-28 --cache "$cache"
same_exit "build" 1 "$RC"
python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
for f in m["files"]:
    print(f["original"], f.get("turned_in_pdf"))
' "$E2E_OUT/out/manifest.json" >"$E2E_OUT/got-manifest" 2>&1
cat >"$E2E_OUT/want-manifest" <<'EOT'
营业执照副本.jpg None
身份证人像面.jpg 180
身份证国徽面.png 270
依法经营承诺书.jpg None
EOT
same_text "manifest's turned_in_pdf" "$E2E_OUT/want-manifest" "$E2E_OUT/got-manifest"
[ "$before" = "$(cat "$folder"/*.jpg "$folder"/*.png | sha256sum)" ] || e2e_fail "build changed the scans"
e2e_finish
