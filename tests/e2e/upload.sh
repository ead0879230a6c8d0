#!/bin/sh
# upload: the packet's upload/ folder (issue 14 items 2 and 3). Checked slot
# by slot against the portal profile: one folder per material in template
# order, JPG per page under the profile's page threshold and one PDF of the
# pages in order from it, every file under the byte and pixel limits, its
# bytes and SHA-256 as the manifest lists them; a JPEG that already fits is
# copied byte for byte; a scan stored on its side is turned upright (its
# pixels compared with the original turned by hand); scans over the limit
# are fitted (the `fitted` notice, the manifest's entry) or, when fitting
# would go below the minimum resolution, `too-big`; aliyun's ASCII names;
# an unknown portal; an incomplete rebuild removes the upload folder; a
# page of a PDF slot held to its share of the limit, and a page only the
# build can judge that does not fit: a finding, not a failed build.
. "$(dirname "$0")/lib.sh"

for tool in djpeg cjpeg pdfinfo; do e2e_need $tool $tool; done
e2e_init upload
T=2026-11-28
SOURCE_DATE_EPOCH=1764288000; export SOURCE_DATE_EPOCH
run_in() { mkdir -p "$1"; run_licpack "$@"; }

# python3 -c "$E2E_PY_SLOTS" OUT MAX_BYTES MAX_EDGE FORMATS PDF_FROM [ASCII]: the upload
# folder of packet OUT against the profile's figures and its manifest
E2E_PY_SLOTS='
import hashlib, json, os, re, struct, sys
out, max_bytes, max_edge, formats, pdf_from = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(","), int(sys.argv[5])
ascii_only = len(sys.argv) > 6
m = json.load(open(out + "/manifest.json", encoding="utf-8"))
up = m["upload"]
root = out + "/upload"
bad = []
def jpeg_size(b):
    i = 2
    while i < len(b):
        if b[i] != 0xFF:
            return None
        mk = b[i + 1]
        if mk in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", b[i + 5:i + 9])
            return w, h
        i += 2 + struct.unpack(">H", b[i + 2:i + 4])[0]
on_disk = sorted(os.path.join(d, f)[len(root) + 1:] for d, _, fs in os.walk(root) for f in fs)
listed = sorted(f["name"] for f in up["files"])
if on_disk != listed:
    bad.append("files on disk %s, manifest %s" % (on_disk, listed))
folders = sorted(os.listdir(root))
order = [int(f.split("_")[0]) for f in folders]
if order != sorted(set(order)):
    bad.append("folders not one per material: %s" % folders)
# template order: the materials of the files, in folder order, as the manifest lists the packet
mats = []
for f in m["files"]:
    if f["material"] not in mats:
        mats.append(f["material"])
slot_mats = []
for name in folders:
    inside = [f for f in up["files"] if f["name"].startswith(name + "/")]
    slot_mats.append(inside[0]["material"] if inside else None)
if slot_mats != mats:
    bad.append("slots %s, materials %s" % (slot_mats, mats))
pages = {}
for f in m["files"]:
    pages[f["material"]] = pages.get(f["material"], 0) + f["pages"]
for f in up["files"]:
    path = root + "/" + f["name"]
    b = open(path, "rb").read()
    ext = f["name"].rsplit(".", 1)[1]
    if ascii_only and not all(ord(c) < 128 for c in f["name"]):
        bad.append("%s: not ASCII" % f["name"])
    if len(b) != f["bytes"] or hashlib.sha256(b).hexdigest() != f["sha256"]:
        bad.append("%s: bytes or sha256 differ from the manifest" % f["name"])
    if len(b) >= max_bytes:
        bad.append("%s: %d bytes, not under %d" % (f["name"], len(b), max_bytes))
    if ext not in formats:
        bad.append("%s: %s is not among %s" % (f["name"], ext, formats))
    magic = {"jpg": b"\xff\xd8\xff", "png": b"\x89PNG", "pdf": b"%PDF-"}[ext]
    if not b.startswith(magic):
        bad.append("%s: not a %s" % (f["name"], ext))
    if os.stat(path).st_mode & 0o777 != 0o600:
        bad.append("%s: mode %o" % (f["name"], os.stat(path).st_mode & 0o777))
    n = pages[f["material"]]
    want_pdf = pdf_from and n >= pdf_from
    if (ext == "pdf") != bool(want_pdf):
        bad.append("%s: material of %d pages as %s" % (f["name"], n, ext))
    if ext == "jpg":
        w, h = jpeg_size(b)
        if (w, h) != (f["width"], f["height"]) or max(w, h) > max_edge:
            bad.append("%s: %dx%d (manifest %dx%d, limit %d)" % (f["name"], w, h, f["width"], f["height"], max_edge))
if bad:
    print("\n".join(bad))
    sys.exit(1)
print("%d files in %d slots" % (len(up["files"]), len(folders)))
'

# python3 -c "$E2E_PY_TURNED" ORIGINAL.ppm UPLOAD.ppm: the upload copy is the
# original turned a quarter clockwise (EXIF 6): mean absolute difference per
# channel under 3 %
E2E_PY_TURNED='
import sys
def ppm(p):
    d = open(p, "rb").read()
    parts = d.split(maxsplit=4)
    return int(parts[1]), int(parts[2]), parts[4]
w, h, a = ppm(sys.argv[1])
W, H, b = ppm(sys.argv[2])
if (W, H) != (h, w):
    sys.exit("upload copy %dx%d, original %dx%d: not turned" % (W, H, w, h))
tot = 0
for y in range(H):
    for x in range(W):
        # turned clockwise: (x, y) comes from the original (y, h - 1 - x)
        i, j = 3 * (y * W + x), 3 * ((h - 1 - x) * w + y)
        tot += abs(a[j] - b[i]) + abs(a[j + 1] - b[i + 1]) + abs(a[j + 2] - b[i + 2])
diff = tot / (W * H * 3) / 255
print("mean abs difference %.4f" % diff)
sys.exit(0 if diff < 0.03 else 1)
'

# 1. The complete folder under miit: JPG per page, JPEGs that fit copied as they are
complete_folder "$E2E_OUT/a/in"
run_in "$E2E_OUT/a" build "$E2E_OUT/a/in" -o "$E2E_OUT/a/out" --today $T
same_exit "build (miit)" 0 "$RC"
if python3 -c "$E2E_PY_SLOTS" "$E2E_OUT/a/out" 5000000 5000 jpg,pdf 5 >"$E2E_OUT/a/slots" 2>&1; then
	echo "ok    miit slots: $(cat "$E2E_OUT/a/slots")"
else
	e2e_fail "miit slots: $(cat "$E2E_OUT/a/slots")"
fi
cmp -s "$E2E_OUT/a/in/营业执照副本.jpg" "$E2E_OUT/a/out/upload/02_营业执照副本/02_营业执照副本.jpg" ||
	e2e_fail "a JPEG within the limits is not copied byte for byte"
[ -f "$E2E_OUT/a/out/upload/10_ICP备案截图/10_ICP备案截图_1.jpg" ] ||
	e2e_fail "the PNG screenshot is not a JPG for miit: $(ls "$E2E_OUT/a/out/upload/10_ICP备案截图" 2>&1)"
[ "$(stat -c %a "$E2E_OUT/a/out/upload")" = 700 ] || e2e_fail "upload/ is not mode 700"
ls -A "$E2E_OUT/a/out" | grep -q '^\.licpack-tmp\.' && e2e_fail "a temporary was left in the packet folder"
grep -qx "$E2E_OUT/a/out/upload/" "$E2E_OUT/a/stdout" || e2e_fail "build does not name the upload folder on stdout"

# ID card sides on one page (the default): both slots hold the same A4 page,
# 200 dpi, the portrait side above the emblem side, each 85.6 x 54 mm
# (674 x 425 pixels: the 1200x760 scans shrunk, aspect kept), the
# watermark's red across them; in the PDF one page for the two
E2E_PY_IDPAGE='
import sys
d = open(sys.argv[1], "rb").read()
p = d.split(maxsplit=4)
w, h, px = int(p[1]), int(p[2]), p[4]
if (w, h) != (1654, 2339):
    sys.exit("page %dx%d, not A4 at 200 dpi" % (w, h))
def frame(x, y):  # the gold printed border of the fixtures (190, 150, 60)
    r, g, b = px[3 * (y * w + x):3 * (y * w + x) + 3]
    return r > 150 and 120 < g < 175 and b < 110
# the rows of the frames'"'"' top and bottom edges: four runs, two a side
rows = [y for y in range(h) if sum(frame(x, y) for x in range(0, w, 2)) > 100]
blocks = []
for y in rows:
    if blocks and y - blocks[-1][1] <= 2:
        blocks[-1][1] = y
    else:
        blocks.append([y, y])
cols = [x for x in range(w) if sum(frame(x, y) for y in range(0, h, 2)) > 100]
red = sum(1 for i in range(0, len(px), 3) if px[i] > 150 and px[i + 1] < 110 and px[i + 2] < 110)
print("frames at rows %s, columns %d-%d, %d red pixels" % (blocks, cols[0], cols[-1], red))
# a 1200x760 scan at 85.6 mm wide (674 px): its frame (30 px in from each
# edge) 640 px wide, 393 high; the sides 54 mm + 15 mm apart (545 px)
ok = len(blocks) == 4 and all(abs(blocks[k + 1][1] - blocks[k][0] + 1 - 393) <= 8 for k in (0, 2))
ok = ok and abs(blocks[2][0] - blocks[0][0] - 545) <= 8 and abs((cols[-1] - cols[0] + 1) - 640) <= 8
ok = ok and abs((cols[0] + cols[-1]) / 2 - w / 2) <= 8 and red > 500
sys.exit(0 if ok else 1)
'
up=$E2E_OUT/a/out/upload
cmp -s "$up/03_法定代表人身份证人像面/03_法定代表人身份证人像面.jpg" "$up/04_法定代表人身份证国徽面/04_法定代表人身份证国徽面.jpg" ||
	e2e_fail "the two ID card slots do not hold the same page"
djpeg -pnm "$up/03_法定代表人身份证人像面/03_法定代表人身份证人像面.jpg" >"$E2E_OUT/a/id.ppm" 2>/dev/null
if python3 -c "$E2E_PY_IDPAGE" "$E2E_OUT/a/id.ppm" >"$E2E_OUT/a/idpage" 2>&1; then
	echo "ok    ID sides on one page: $(cat "$E2E_OUT/a/idpage")"
else
	e2e_fail "ID sides on one page: $(cat "$E2E_OUT/a/idpage")"
fi
# the same page when the check's decode of the sides is large enough to
# serve it (1500x950 scans decode at 1/2 there: 750 pixels, more than the
# 674 the page needs), the emblem side stored on its side (EXIF 6): both
# frames the same size, upright
complete_folder "$E2E_OUT/a3/in"
fixture jpeg "$E2E_OUT/a3/in/身份证人像面.jpg" 1500x950 --dpi 300 --variant 3
fixture jpeg "$E2E_OUT/a3/in/身份证国徽面.jpg" 950x1500 --dpi 300 --variant 4 --orientation 6
run_in "$E2E_OUT/a3" build "$E2E_OUT/a3/in" -o "$E2E_OUT/a3/out" --today $T
same_exit "build (ID sides the check decoded)" 0 "$RC"
djpeg -pnm "$E2E_OUT/a3/out/upload/03_法定代表人身份证人像面/03_法定代表人身份证人像面.jpg" >"$E2E_OUT/a3/id.ppm" 2>/dev/null
if python3 -c "$E2E_PY_IDPAGE" "$E2E_OUT/a3/id.ppm" >"$E2E_OUT/a3/idpage" 2>&1; then
	echo "ok    ID sides on one page, from the check's decode: $(cat "$E2E_OUT/a3/idpage")"
else
	e2e_fail "ID sides on one page, from the check's decode: $(cat "$E2E_OUT/a3/idpage")"
fi
pages_together=$(pdfinfo "$E2E_OUT/a/out/in.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
run_in "$E2E_OUT/a2" build "$E2E_OUT/a/in" -o "$E2E_OUT/a2/out" --today $T --id-layout separate
same_exit "build --id-layout separate" 0 "$RC"
pages_separate=$(pdfinfo "$E2E_OUT/a2/out/in.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
[ -n "$pages_together" ] && [ "$pages_separate" = $((pages_together + 1)) ] ||
	e2e_fail "ID pages: $pages_together together, $pages_separate separate"
python3 - "$E2E_OUT/a2/out/manifest.json" <<'PY' || e2e_fail "--id-layout separate: the ID slots are not each side's own copy"
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
ids = [(f["from"], f["width"], f["height"], f["how"]) for f in m["upload"]["files"] if "-id-" in f["material"]]
if ids != [(["身份证人像面.jpg"], 1200, 760, "re-encoded"), (["身份证国徽面.jpg"], 1200, 760, "re-encoded")]:
    sys.exit(str(ids))
PY

# 2. Five pages of the current licence go up as one PDF, the pages in order
# (page 3 is the landscape one); under aliyun (images only) as five JPGs with
# ASCII names, the PNG copied as PNG
complete_folder "$E2E_OUT/b/in"
rm "$E2E_OUT/b/in/现有许可证.jpg"
mkdir "$E2E_OUT/b/in/现有许可证"
for k in 1 2 3 4 5; do
	size=1654x2339
	[ $k = 3 ] && size=2339x1654
	fixture jpeg "$E2E_OUT/b/in/现有许可证/p$k.jpg" $size --dpi 200 --text-lines --variant $((20 + k))
done
run_in "$E2E_OUT/b" build "$E2E_OUT/b/in" -o "$E2E_OUT/b/out" --today $T
same_exit "build, 5 licence pages" 0 "$RC"
pdf=$E2E_OUT/b/out/upload/06_现有许可证/06_现有许可证.pdf
if [ "$(ls "$E2E_OUT/b/out/upload/06_现有许可证")" != 06_现有许可证.pdf ]; then
	e2e_fail "5 pages are not one PDF: $(ls "$E2E_OUT/b/out/upload/06_现有许可证")"
else
	sizes=$(pdfinfo -f 1 -l 5 "$pdf" 2>/dev/null | sed -n 's/^Page *\([0-9]\) size: *\([0-9.]*\) x \([0-9.]*\).*/\1:\2x\3/p' | tr '\n' ' ')
	[ "$sizes" = "1:595.276x841.89 2:595.276x841.89 3:841.89x595.276 4:595.276x841.89 5:595.276x841.89 " ] ||
		e2e_fail "the licence PDF's pages are not the 5 scans in order: $sizes"
fi
python3 -c "$E2E_PY_SLOTS" "$E2E_OUT/b/out" 5000000 5000 jpg,pdf 5 >"$E2E_OUT/b/slots" 2>&1 ||
	e2e_fail "miit slots (5 pages): $(cat "$E2E_OUT/b/slots")"
run_in "$E2E_OUT/b2" build "$E2E_OUT/b/in" -o "$E2E_OUT/b2/out" --today $T --portal aliyun
same_exit "build --portal aliyun" 0 "$RC"
if python3 -c "$E2E_PY_SLOTS" "$E2E_OUT/b2/out" 4000000 5000 jpg,png 0 ascii >"$E2E_OUT/b2/slots" 2>&1; then
	echo "ok    aliyun slots: $(cat "$E2E_OUT/b2/slots")"
else
	e2e_fail "aliyun slots: $(cat "$E2E_OUT/b2/slots")"
fi
(cd "$E2E_OUT/b2/out/upload" && find . -type f | sort) >"$E2E_OUT/b2/names"
cat >"$E2E_OUT/b2/names.want" <<'EOF'
./01_renewal-application/01_renewal-application_1.jpg
./02_business-license/02_business-license.jpg
./03_legal-rep-id-portrait/03_legal-rep-id-portrait.jpg
./04_legal-rep-id-emblem/04_legal-rep-id-emblem.jpg
./05_domain-certificate/05_domain-certificate_example.cn.jpg
./05_domain-certificate/05_domain-certificate_example.com.jpg
./06_current-licence/06_current-licence_1.jpg
./06_current-licence/06_current-licence_2.jpg
./06_current-licence/06_current-licence_3.jpg
./06_current-licence/06_current-licence_4.jpg
./06_current-licence/06_current-licence_5.jpg
./07_undertaking/07_undertaking.jpg
./08_shareholder-resolution/08_shareholder-resolution_1.jpg
./09_hosting-contract/09_hosting-contract_1.jpg
./10_icp-filing-screenshot/10_icp-filing-screenshot_1.png
EOF
same_text "aliyun upload names" "$E2E_OUT/b2/names.want" "$E2E_OUT/b2/names"

# 3. A scan stored on its side (EXIF 6) is turned upright in its upload copy
complete_folder "$E2E_OUT/c/in"
fixture jpeg "$E2E_OUT/c/in/营业执照副本.jpg" 2339x1654 --dpi 200 --seal --orientation 6 --variant 2
run_in "$E2E_OUT/c" build "$E2E_OUT/c/in" -o "$E2E_OUT/c/out" --today $T
same_exit "build, EXIF 6" 0 "$RC"
djpeg -scale 1/8 -pnm "$E2E_OUT/c/in/营业执照副本.jpg" >"$E2E_OUT/c/orig.ppm" 2>/dev/null
djpeg -scale 1/8 -pnm "$E2E_OUT/c/out/upload/02_营业执照副本/02_营业执照副本.jpg" >"$E2E_OUT/c/up.ppm" 2>/dev/null
if python3 -c "$E2E_PY_TURNED" "$E2E_OUT/c/orig.ppm" "$E2E_OUT/c/up.ppm" >"$E2E_OUT/c/turned" 2>&1; then
	echo "ok    EXIF 6 turned upright: $(cat "$E2E_OUT/c/turned")"
else
	e2e_fail "EXIF 6 not turned upright: $(cat "$E2E_OUT/c/turned")"
fi
python3 -c "$E2E_PY_SLOTS" "$E2E_OUT/c/out" 5000000 5000 jpg,pdf 5 >"$E2E_OUT/c/slots" 2>&1 ||
	e2e_fail "slots (EXIF 6): $(cat "$E2E_OUT/c/slots")"

# 4. Fitting: with --max-file-mb 0.09 the larger scans are fitted: a notice
# each from check and build, the manifest says so, the copies fit; with
# 0.01 fitting would go below 150 dpi: too-big, exit 1
run_in "$E2E_OUT/d" check "$E2E_OUT/a/in" --today $T --max-file-mb 0.09 --format json
same_exit "check --max-file-mb 0.09" 0 "$RC"
report "$E2E_OUT/d/stdout" findings | grep '^fitted|' >"$E2E_OUT/d/fitted"
report "$E2E_OUT/d/stdout" messages | grep '^fitted|营业执照副本' >"$E2E_OUT/d/msg"
size=$(stat -c %s "$E2E_OUT/a/in/营业执照副本.jpg")
echo "fitted|营业执照副本.jpg|'营业执照副本.jpg': $size bytes, 1654x2339 pixels, is more than portal 'miit' takes (90000 bytes, 5000 pixels a side); the upload copy is made smaller, no less than 150 dpi" >"$E2E_OUT/d/msg.want"
same_text "fitted message" "$E2E_OUT/d/msg.want" "$E2E_OUT/d/msg"
grep -q '^fitted|notice|business-license|营业执照副本.jpg$' "$E2E_OUT/d/fitted" || e2e_fail "no fitted notice for the business licence: $(cat "$E2E_OUT/d/fitted")"
run_in "$E2E_OUT/d" build "$E2E_OUT/a/in" -o "$E2E_OUT/d/out" --today $T --max-file-mb 0.09
same_exit "build --max-file-mb 0.09" 0 "$RC"
python3 -c "$E2E_PY_SLOTS" "$E2E_OUT/d/out" 90000 5000 jpg,pdf 5 >"$E2E_OUT/d/slots" 2>&1 ||
	e2e_fail "slots (fitted): $(cat "$E2E_OUT/d/slots")"
python3 - "$E2E_OUT/d/out/manifest.json" "$E2E_OUT/d/fitted" <<'PY' || e2e_fail "manifest's fitted entries do not match the notices"
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
noticed = sorted(l.split("|")[3].strip() for l in open(sys.argv[2], encoding="utf-8"))
# (an ID card's two sides on one page are a page licpack composes: the
# manifest says when that page was fitted; the check speaks of scans)
fitted = sorted(f["from"][0] for f in m["upload"]["files"] if f["fitted"] and f["how"] != "id-sides-on-one-page")
if not noticed or noticed != fitted:
    sys.exit("notices for %s, manifest fitted %s" % (noticed, fitted))
lic = [f for f in m["upload"]["files"] if f["material"] == "business-license"][0]
if lic["how"] != "re-encoded" or not lic["fitted"] or not 1754 <= lic["height"] <= 2339 or lic["bytes"] > 90000:
    sys.exit("business licence entry: %s" % lic)
PY
run_in "$E2E_OUT/e" check "$E2E_OUT/a/in" --today $T --max-file-mb 0.01 --format json
same_exit "check --max-file-mb 0.01" 1 "$RC"
report "$E2E_OUT/e/stdout" messages | grep '^too-big|营业执照副本' >"$E2E_OUT/e/msg"
echo "too-big|营业执照副本.jpg|'营业执照副本.jpg': $size bytes, 1654x2339 pixels, cannot be brought under what portal 'miit' takes (10000 bytes, 5000 pixels a side) without going below 150 dpi; scan it again at a lower resolution or save it with more compression" >"$E2E_OUT/e/msg.want"
same_text "too-big message" "$E2E_OUT/e/msg.want" "$E2E_OUT/e/msg"

# 5. An unknown portal is a usage error; portals list names the three
run_in "$E2E_OUT/f" build "$E2E_OUT/a/in" -o "$E2E_OUT/f/out" --today $T --portal nosuch
same_exit "--portal nosuch" 2 "$RC"
grep -q "unknown portal 'nosuch'" "$E2E_OUT/f/stderr" || e2e_fail "--portal nosuch: $(cat "$E2E_OUT/f/stderr")"

run_in "$E2E_OUT/f" portals list
same_exit "portals list" 0 "$RC"
[ "$(cut -d' ' -f1 "$E2E_OUT/f/stdout" | tr '\n' ' ')" = "aliyun miit volcengine " ] ||
	e2e_fail "portals list: $(cat "$E2E_OUT/f/stdout")"
run_in "$E2E_OUT/f" portals show miit --lang en
grep -q '^  largest file:       5000000 bytes (assumed)$' "$E2E_OUT/f/stdout" ||
	e2e_fail "portals show miit does not mark its assumed byte limit: $(cat "$E2E_OUT/f/stdout")"

# 6. An incomplete rebuild removes the upload folder with the packet
rm "$E2E_OUT/a/in/营业执照副本.jpg"
run_in "$E2E_OUT/a" build "$E2E_OUT/a/in" -o "$E2E_OUT/a/out" --today $T
same_exit "incomplete rebuild" 1 "$RC"
[ -e "$E2E_OUT/a/out/upload" ] && e2e_fail "an incomplete rebuild left the upload folder"
grep -q "removed the previous packet's '$E2E_OUT/a/out/upload'" "$E2E_OUT/a/stdout" ||
	e2e_fail "the removal of upload/ is not said: $(cat "$E2E_OUT/a/stdout" | tail -3)"

# 7. A scanned PDF page (one JPEG over the page) goes to its slot as that
# JPEG, byte for byte; a page with anything more (a rectangle) is drawn
# (poppler, 200 dpi: A4 is 1654x2339)
complete_folder "$E2E_OUT/g/in"
fixture jpeg "$E2E_OUT/g/page.jpg" 1240x1754 --dpi 150 --variant 5 || exit 1
python3 "$E2E_ROOT/tests/e2e/py/jpeg_pdf.py" "$E2E_OUT/g/in/股东会决议.pdf" 595.276 841.89 \
	scan:"$E2E_OUT/g/page.jpg" text:"$E2E_OUT/g/page.jpg"
run_in "$E2E_OUT/g" build "$E2E_OUT/g/in" -o "$E2E_OUT/g/out" --today $T
same_exit "build with a scanned PDF" 0 "$RC"
slot=$(ls -d "$E2E_OUT/g/out/upload/"*_股东会决议 2>/dev/null)
set -- "$slot"/*_p1.jpg "$slot"/*_p2.jpg
if [ -f "$1" ] && [ -f "$2" ]; then
	cmp -s "$1" "$E2E_OUT/g/page.jpg" || e2e_fail "scanned page: the upload copy is not the page's JPEG"
	cmp -s "$2" "$E2E_OUT/g/page.jpg" && e2e_fail "page with a rectangle: copied, not drawn"
	[ "$(djpeg "$2" | head -c 20 | sed -n 2p)" = "1654 2339" ] ||
		e2e_fail "page with a rectangle: not drawn at 200 dpi: $(djpeg "$2" | head -c 20 | sed -n 2p)"
else
	e2e_fail "scanned PDF: no p1/p2 JPEGs in '$slot': $(ls "$slot" 2>&1)"
fi

# 8. volcengine takes 500x300 to 5000x5000 pixels: a screenshot (a material
# with no minimum of its own) of 480x290 is too small to read, refused and
# not enlarged: too-small naming it and the minimum, either way up; 500x300
# passes; miit has no minimum
for case in 480x290:1 290x480:1 500x300:0 300x500:0; do
	size=${case%:*}
	complete_folder "$E2E_OUT/h$size/in"
	rm "$E2E_OUT/h$size/in/ICP备案截图.png"
	fixture png "$E2E_OUT/h$size/in/ICP备案截图.png" "$size" --variant 11 || exit 1
	run_in "$E2E_OUT/h$size" check "$E2E_OUT/h$size/in" --today $T --portal volcengine --format json --lang en
	same_exit "volcengine, a $size screenshot" "${case#*:}" "$RC"
	report "$E2E_OUT/h$size/stdout" messages | grep '^too-small|' >"$E2E_OUT/h$size/small"
	if [ "${case#*:}" = 1 ]; then
		w=${size%x*} h=${size#*x}
		printf "too-small|ICP备案截图.png|'ICP备案截图.png': %sx%s pixels, smaller than portal 'volcengine' takes (at least 500x300); too small to read, and not enlarged: scan it again at 200 to 300 dpi\n" \
			"$w" "$h" >"$E2E_OUT/h$size/want"
	else
		: >"$E2E_OUT/h$size/want"
	fi
	same_text "volcengine, a $size screenshot" "$E2E_OUT/h$size/want" "$E2E_OUT/h$size/small"
done
run_in "$E2E_OUT/h480x290" check "$E2E_OUT/h480x290/in" --today $T --portal miit --format json
same_exit "miit, a 480x290 screenshot" 0 "$RC"

# 10. The check and the build agree on what fits (the defect make bench
# found: check said nothing, build failed with exit 3).
# a. Five licence pages go up as one PDF, each page held to its share of
#    the byte limit: at --max-file-mb 0.3 every page is under 300000 bytes
#    alone but not under its share, 58156 bytes (300000 less the PDF's
#    4096 + 5 x 1024, over 5): too-big from check, naming the share, exit 1
run_in "$E2E_OUT/k" check "$E2E_OUT/b/in" --today $T --max-file-mb 0.3 --format json --lang en
same_exit "check --max-file-mb 0.3, 5 licence pages" 1 "$RC"
report "$E2E_OUT/k/stdout" findings | grep '^too-big|' | cut -d'|' -f1-4 >"$E2E_OUT/k/big"
printf 'too-big|error|current-licence|现有许可证/p%s.jpg\n' 1 2 3 4 5 >"$E2E_OUT/k/big.want"
same_text "too-big pages of the PDF slot" "$E2E_OUT/k/big.want" "$E2E_OUT/k/big"
report "$E2E_OUT/k/stdout" messages | grep '^too-big|现有许可证/p1.jpg' >"$E2E_OUT/k/msg"
size=$(stat -c %s "$E2E_OUT/b/in/现有许可证/p1.jpg")
echo "too-big|现有许可证/p1.jpg|'现有许可证/p1.jpg': $size bytes, 1654x2339 pixels, cannot be brought under what portal 'miit' takes (58156 bytes a page of a 5-page PDF of at most 300000 bytes, 5000 pixels a side) without going below 150 dpi; scan it again at a lower resolution or save it with more compression" >"$E2E_OUT/k/msg.want"
same_text "too-big message, a page's share" "$E2E_OUT/k/msg.want" "$E2E_OUT/k/msg"
# the build with --allow-incomplete: exit 1, the slot empty, the rest there
run_in "$E2E_OUT/k" build "$E2E_OUT/b/in" -o "$E2E_OUT/k/out" --today $T --max-file-mb 0.3 --allow-incomplete
same_exit "build --allow-incomplete, 5 pages over their share" 1 "$RC"
[ -z "$(ls "$E2E_OUT/k/out/upload/06_现有许可证" 2>&1)" ] ||
	e2e_fail "the licence's slot is not empty: $(ls "$E2E_OUT/k/out/upload/06_现有许可证" 2>&1)"
[ -f "$E2E_OUT/k/out/upload/02_营业执照副本/02_营业执照副本.jpg" ] || e2e_fail "the other slots were not written"
# b. A page the check cannot judge: a PDF page drawn over noise, which only
#    the build renders (1654x2339; at 150 dpi, 1240x1754, it is still about
#    950 KB as JPEG). check: complete, exit 0. build: too-big for that file
#    said and added to the reports, exit 1, no packet; with
#    --allow-incomplete the packet without its upload copy (slot empty, not
#    in the manifest's upload list), exit 1
complete_folder "$E2E_OUT/m/in"
rm "$E2E_OUT/m/in/股东会决议.jpg"
python3 -c 'import os, sys; sys.stdout.buffer.write(b"P6\n1654 2339\n255\n" + os.urandom(1654 * 2339 * 3))' >"$E2E_OUT/m/noise.ppm"
cjpeg -quality 75 "$E2E_OUT/m/noise.ppm" >"$E2E_OUT/m/noise.jpg"
python3 "$E2E_ROOT/tests/e2e/py/jpeg_pdf.py" "$E2E_OUT/m/in/股东会决议.pdf" 595.276 841.89 text:"$E2E_OUT/m/noise.jpg"
run_in "$E2E_OUT/m" check "$E2E_OUT/m/in" --today $T --max-file-mb 0.8
same_exit "check, a noisy drawn PDF page" 0 "$RC"
run_in "$E2E_OUT/m" build "$E2E_OUT/m/in" -o "$E2E_OUT/m/out" --today $T --max-file-mb 0.8 --lang en
same_exit "build, a noisy drawn PDF page" 1 "$RC"
grep -q "^    ✗ too-big: cannot make the upload copy of '股东会决议.pdf': [0-9]* bytes at 1754 pixels on the long side and quality 70 is still more than the 800000 allowed; scan it again at a lower resolution or save it with more compression$" "$E2E_OUT/m/stdout" ||
	e2e_fail "build did not say the PDF page's too-big: $(tail -n 3 "$E2E_OUT/m/stdout")"
grep -q "incomplete; no packet written" "$E2E_OUT/m/stderr" || e2e_fail "build: $(cat "$E2E_OUT/m/stderr")"
for f in m.pdf m.zip manifest.json upload; do
	[ -e "$E2E_OUT/m/out/$f" ] && e2e_fail "build wrote $f though the packet is incomplete"
done
for f in report.json report.html; do
	grep -q 'too-big' "$E2E_OUT/m/out/$f" || e2e_fail "$f does not hold the build's too-big"
done
run_in "$E2E_OUT/m" build "$E2E_OUT/m/in" -o "$E2E_OUT/m/out" --today $T --max-file-mb 0.8 --allow-incomplete
same_exit "build --allow-incomplete, a noisy drawn PDF page" 1 "$RC"
report "$E2E_OUT/m/out/report.json" findings | grep '^too-big|' >"$E2E_OUT/m/big"
echo 'too-big|error|shareholder-resolution|股东会决议.pdf' >"$E2E_OUT/m/big.want"
same_text "the build's too-big in report.json" "$E2E_OUT/m/big.want" "$E2E_OUT/m/big"
[ -f "$E2E_OUT/m/out/in.pdf" ] || e2e_fail "--allow-incomplete wrote no packet"
[ -z "$(ls "$E2E_OUT/m/out/upload/08_股东会决议" 2>&1)" ] ||
	e2e_fail "the resolution's slot is not empty: $(ls "$E2E_OUT/m/out/upload/08_股东会决议" 2>&1)"
python3 - "$E2E_OUT/m/out/manifest.json" <<'PY' || e2e_fail "manifest: the unfitted page is listed, or the others are not"
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
mats = [f["material"] for f in m["upload"]["files"]]
sys.exit("shareholder-resolution" in mats or "business-license" not in mats)
PY
big=$(find "$E2E_OUT/m/out/upload" -type f -size +800000c)
[ -z "$big" ] || e2e_fail "upload files over the limit: $big"

# 9. report.html of a PDF whose pages are all scans: its thumbnails come from
# the JPEGs and poppler is never loaded (LD_DEBUG=files names each library
# the loader opens); with a drawn page among them (folder g) it is loaded,
# and both reports hold the same number of pictures
complete_folder "$E2E_OUT/s/in"
python3 "$E2E_ROOT/tests/e2e/py/jpeg_pdf.py" "$E2E_OUT/s/in/股东会决议.pdf" 595.276 841.89 \
	scan:"$E2E_OUT/g/page.jpg" scan:"$E2E_OUT/g/page.jpg"
mkdir -p "$E2E_OUT/s" "$E2E_OUT/g/html"
wrap=$LICPACK_WRAP
LICPACK_WRAP="env LD_DEBUG=files $wrap"
run_in "$E2E_OUT/s" check "$E2E_OUT/s/in" --format html --today $T
same_exit "check --format html, scanned PDF" 0 "$RC"
run_in "$E2E_OUT/g/html" check "$E2E_OUT/g/in" --format html --today $T
same_exit "check --format html, PDF with a drawn page" 0 "$RC"
LICPACK_WRAP=$wrap
grep -q "libpoppler-glib" "$E2E_OUT/s/stderr" &&
	e2e_fail "report.html of a PDF of scans loaded poppler"
grep -q "libpoppler-glib" "$E2E_OUT/g/html/stderr" ||
	e2e_fail "report.html of a PDF with a drawn page did not load poppler (is LD_DEBUG seen?)"
n_h=$(grep -o 'data:image/jpeg' "$E2E_OUT/s/stdout" | wc -l)
n_g=$(grep -o 'data:image/jpeg' "$E2E_OUT/g/html/stdout" | wc -l)
[ "$n_h" -gt 2 ] && [ "$n_h" = "$n_g" ] ||
	e2e_fail "report.html pictures: $n_h with the scanned PDF, $n_g with the drawn page"

e2e_finish
