#!/bin/sh
# png_exif: a PNG's eXIf orientation is read and applied as a JPEG's EXIF
# one is (issue 17 item 10). A 2000x1000 PNG, left half red and right half
# blue, stored with orientation 6 (turn a quarter clockwise to view), must
# show red above blue on its page of the packet's PDF (rendered with
# pdftoppm); the check reports orientation 6; an eXIf orientation of 9 is an
# `orientation` warning naming the file.
. "$(dirname "$0")/lib.sh"

e2e_need pdftoppm "pdftoppm (poppler-utils)"
e2e_init png_exif

E2E_PY_EXIF='
import struct, sys, zlib
out, orientation = sys.argv[1], int(sys.argv[2])
w, h = 2000, 1000
row = b"\0" + bytes([220, 20, 20]) * (w // 2) + bytes([20, 20, 220]) * (w // 2)
# EXIF, big-endian TIFF: IFD0 with one entry, Orientation (0x0112) SHORT 1
exif = b"MM\0\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
exif += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"pHYs", struct.pack(">IIB", 11811, 11811, 1))  # 300 dpi
png += chunk(b"eXIf", exif)
png += chunk(b"IDAT", zlib.compress(row * h)) + chunk(b"IEND", b"")
open(out, "wb").write(png)
'

# which way up: rows of the reddest and the bluest pixels of the page that
# has most of both (pdftoppm -r 15, binary PPM pages)
E2E_PY_UPRIGHT='
import glob, sys
best = None
for path in sorted(glob.glob(sys.argv[1] + "-*.ppm")):
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    w, h, px = int(parts[1]), int(parts[2]), parts[4]
    red, blue = [], []
    for y in range(h):
        for x in range(w):
            r, g, b = px[3 * (y * w + x):3 * (y * w + x) + 3]
            if r > 150 and g < 90 and b < 90:
                red.append((x, y))
            elif b > 150 and r < 90 and g < 90:
                blue.append((x, y))
    if red and blue and (best is None or len(red) + len(blue) > best[0]):
        best = (len(red) + len(blue), red, blue)
if best is None:
    print("no page shows the red and blue image")
    sys.exit(1)
_, red, blue = best
ry = sum(y for _, y in red) / len(red)
by = sum(y for _, y in blue) / len(blue)
rx = sum(x for x, _ in red) / len(red)
bx = sum(x for x, _ in blue) / len(blue)
print("red centre (%.1f, %.1f), blue centre (%.1f, %.1f)" % (rx, ry, bx, by))
sys.exit(0 if ry < by and abs(rx - bx) < 2 else 1)
'

folder=$E2E_OUT/applicant
cp -r samples/icp-renewal-complete "$folder"
python3 -c "$E2E_PY_PNG_CHUNK$E2E_PY_EXIF" "$folder/ICP备案截图.png" 6
run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
o = [f.get("orientation") for m in r["materials"] for f in m["files"] if f["path"] == "ICP备案截图.png"]
print(o)
' "$E2E_OUT/stdout" >"$E2E_OUT/got-orientation"
echo "[6]" >"$E2E_OUT/want-orientation"
same_text "the eXIf orientation in the report" "$E2E_OUT/want-orientation" "$E2E_OUT/got-orientation"

run_licpack "$E2E_OUT" build "$folder" -o "$E2E_OUT/out" --lang en --today 2026-11-28
same_exit "build" 0 "$RC"
if [ -f "$E2E_OUT/out/applicant.pdf" ]; then
	pdftoppm -r 15 "$E2E_OUT/out/applicant.pdf" "$E2E_OUT/page"
	if python3 -c "$E2E_PY_UPRIGHT" "$E2E_OUT/page" >"$E2E_OUT/upright"; then
		echo "ok    eXIf orientation 6 shown upright: $(cat "$E2E_OUT/upright")"
	else
		e2e_fail "eXIf orientation 6 not applied: $(cat "$E2E_OUT/upright")"
	fi
else
	e2e_fail "no applicant.pdf written"
fi

python3 -c "$E2E_PY_PNG_CHUNK$E2E_PY_EXIF" "$folder/ICP备案截图.png" 9
run_licpack "$E2E_OUT" check "$folder" --format json --lang en --today 2026-11-28
report "$E2E_OUT/stdout" messages | grep '^orientation|' >"$E2E_OUT/got-bad"
cat >"$E2E_OUT/want-bad" <<'EOF'
orientation|ICP备案截图.png|'ICP备案截图.png': the EXIF orientation is not 1-8; the image is shown as stored
EOF
same_text "an invalid eXIf orientation" "$E2E_OUT/want-bad" "$E2E_OUT/got-bad"
e2e_finish
