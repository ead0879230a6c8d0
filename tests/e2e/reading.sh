#!/bin/sh
# reading: the scans' content read with tesseract (issue 12). Three small
# pages drawn by build/tools/mkpage: one upright, one upside down, one
# turned a quarter clockwise. check reads them (LICPACK_NO_READ unset):
# upside-down (error) and rotated (warning) name their files, report.json
# carries each file's read object; build shows both pages upright in the
# PDF and says so in manifest.json. --no-read and LICPACK_NO_READ=1 read
# nothing; without the language data one read-unavailable warning. The
# cache: entries 0700/0600 by SHA-256, no recognised text in them, a second
# check reads nothing, a damaged entry is ignored and written anew.
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
lines='营业执照 样本|名称 示例科技有限公司|统一社会信用代码 91350200776049653A|法定代表人 张三'
page() { # out rotate
	_out=$1 _rot=$2
	IFS='|'
	# shellcheck disable=SC2086  # the lines, split at |
	"$MKPAGE" "$_out" --rotate "$_rot" --px 32 $lines
	unset IFS
}
page "$folder/营业执照副本.jpg" 0
page "$folder/身份证人像面.jpg" 180
page "$folder/身份证国徽面.png" 90
cache=$E2E_OUT/cache

LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28 --cache "$cache"
same_exit "check, reading" 1 "$RC"
report "$E2E_OUT/stdout" findings | grep -E '^(upside-down|rotated|illegible|content-unconfirmed|read-unavailable)\|' >"$E2E_OUT/got-turns"
cat >"$E2E_OUT/want-turns" <<'EOT'
rotated|warning|legal-rep-id-emblem|身份证国徽面.png
upside-down|error|legal-rep-id-portrait|身份证人像面.jpg
EOT
same_text "turned pages" "$E2E_OUT/want-turns" "$E2E_OUT/got-turns"
cp "$E2E_OUT/stdout" "$E2E_OUT/first.json"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for m in r["materials"]:
    for f in m["files"]:
        rd = f.get("read")
        ok = rd is not None and 60 <= rd["confidence"] <= 100 and rd["as"] is None
        print(f["path"], rd and rd["orientation"], "ok" if ok else rd)
' "$E2E_OUT/stdout" >"$E2E_OUT/got-read"
cat >"$E2E_OUT/want-read" <<'EOT'
营业执照副本.jpg 0 ok
身份证人像面.jpg 180 ok
身份证国徽面.png 90 ok
EOT
same_text "report.json's read objects" "$E2E_OUT/want-read" "$E2E_OUT/got-read"

# the cache: three entries, private, holding no text read
n=$(find "$cache" -name 'read-*.json' | wc -l)
[ "$n" -eq 3 ] || e2e_fail "the cache holds $n entries, expected 3"
[ "$(stat -c %a "$cache")" = 700 ] || e2e_fail "the cache folder is mode $(stat -c %a "$cache"), expected 700"
for e in "$cache"/read-*.json; do
	[ "$(stat -c %a "$e")" = 600 ] || e2e_fail "$e is mode $(stat -c %a "$e"), expected 600"
done
if grep -l -e 示例 -e 91350200776049653A -e 张三 "$cache"/* >/dev/null 2>&1; then
	e2e_fail "the cache holds text read from a scan"
fi
sha=$(sha256sum "$folder/身份证人像面.jpg" | cut -d' ' -f1)
# a warm check reads nothing: the entries are what it uses (an entry
# saying 0 degrees makes the upside-down page upright)
printf '{"reader":"%s","status":"ok","turn":0,"confidence":77}' \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reader"])' "$cache/read-$sha.json")" \
	>"$cache/read-$sha.json"
LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28 --cache "$cache"
report "$E2E_OUT/stdout" findings | grep -E '^(upside-down|rotated)\|' >"$E2E_OUT/got-warm"
echo 'rotated|warning|legal-rep-id-emblem|身份证国徽面.png' >"$E2E_OUT/want-warm"
same_text "a warm check takes the cache's word" "$E2E_OUT/want-warm" "$E2E_OUT/got-warm"
# a damaged entry is ignored (the page read again) and written anew
printf '{"reader":' >"$cache/read-$sha.json"
LICPACK_NO_READ= run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28 --cache "$cache"
report "$E2E_OUT/stdout" findings | grep -E '^(upside-down|rotated)\|' >"$E2E_OUT/got-damaged"
same_text "a damaged cache entry" "$E2E_OUT/want-turns" "$E2E_OUT/got-damaged"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["turn"] != 180)' "$cache/read-$sha.json" ||
	e2e_fail "the damaged cache entry was not written anew"

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
EOT
same_text "manifest's turned_in_pdf" "$E2E_OUT/want-manifest" "$E2E_OUT/got-manifest"
[ "$before" = "$(cat "$folder"/*.jpg "$folder"/*.png | sha256sum)" ] || e2e_fail "build changed the scans"
e2e_finish
