#!/bin/sh
# icc: a scan's ICC profile goes into the packet's PDF as its image's
# colour space, [/ICCBased N 0 R] over the profile's very bytes (issue 17
# item 10). A non-sRGB RGB profile (Adobe RGB primaries, gamma 2.2) made
# here is put into a PNG (iCCP chunk, an RGB image: the passthrough route)
# and into a sample JPEG (two APP2 ICC_PROFILE segments, stored in reverse
# order to test that they are put together by number); the built PDF is
# read back with qpdf's JSON.
. "$(dirname "$0")/lib.sh"

e2e_need qpdf "qpdf (the command)"
e2e_init icc

E2E_PY_ICC='
import struct, sys, zlib
folder, profile_out = sys.argv[1], sys.argv[2]

def s15(v):
    return struct.pack(">i", int(round(v * 65536)))

def xyz(x, y, z):
    return b"XYZ " + b"\0" * 4 + s15(x) + s15(y) + s15(z)

curve = b"curv" + b"\0" * 4 + struct.pack(">I", 1) + struct.pack(">H", int(2.2 * 256)) + b"\0\0"
desc_text = b"licpack test Adobe-like RGB\0"
desc = b"desc" + b"\0" * 4 + struct.pack(">I", len(desc_text)) + desc_text + b"\0" * 12 + b"\0" * 67
tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.6097, 0.3111, 0.0195)), (b"gXYZ", xyz(0.2053, 0.6257, 0.0609)),
        (b"bXYZ", xyz(0.1492, 0.0632, 0.7446)),
        (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0public domain\0")]
table = struct.pack(">I", len(tags))
body = b""
offset = 128 + 4 + 12 * len(tags)
for sig, data in tags:
    while (offset + len(body)) % 4:
        body += b"\0"
    table += sig + struct.pack(">II", offset + len(body), len(data))
    body += data
size = 128 + len(table) + len(body)
header = struct.pack(">I", size) + b"none" + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB " + b"XYZ "
header += b"\0" * 12 + b"acsp" + b"APPL" + b"\0" * 4 + b"none" + b"none" + b"\0" * 8 + b"\0" * 4
header += s15(0.9642) + s15(1.0) + s15(0.8249) + b"none" + b"\0" * 44
assert len(header) == 128
profile = header + table + body
open(profile_out, "wb").write(profile)

w, h = 1600, 1000
row = b"\0" + bytes([40, 160, 60]) * (w // 2) + bytes([230, 120, 20]) * (w // 2)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"iCCP", b"Adobe-like RGB\0\0" + zlib.compress(profile))
png += chunk(b"IDAT", zlib.compress(row * h)) + chunk(b"IEND", b"")
open(folder + "/ICP备案截图.png", "wb").write(png)

jpg_path = folder + "/营业执照副本.jpg"
jpg = open(jpg_path, "rb").read()
half = len(profile) // 2
parts = [(1, profile[:half]), (2, profile[half:])]
app2 = b""
for seq, data in reversed(parts):
    seg = b"ICC_PROFILE\0" + bytes([seq, 2]) + data
    app2 += b"\xff\xe2" + struct.pack(">H", len(seg) + 2) + seg
open(jpg_path, "wb").write(jpg[:2] + app2 + jpg[2:])
'

E2E_PY_FIND='
import base64, json, sys
doc = json.load(open(sys.argv[1]))
profile = open(sys.argv[2], "rb").read()
objs = doc["qpdf"][1]
found = 0
for key, o in objs.items():
    s = o.get("stream")
    if not s or s["dict"].get("/Subtype") != "/Image":
        continue
    cs = s["dict"].get("/ColorSpace")
    if isinstance(cs, list) and cs and cs[0] == "/ICCBased":
        ref = cs[1]
        icc = objs["obj:" + ref]["stream"]
        data = base64.b64decode(icc["data"])
        n = icc["dict"].get("/N")
        print("%dx%d image, /ColorSpace [/ICCBased], /N %s, profile %s" % (
            s["dict"]["/Width"], s["dict"]["/Height"], n,
            "the same bytes" if data == profile else "DIFFERENT (%d bytes)" % len(data)))
        found += 1
'

folder=$E2E_OUT/applicant
cp -r samples/icp-renewal-complete "$folder"
python3 -c "$E2E_PY_PNG_CHUNK$E2E_PY_ICC" "$folder" "$E2E_OUT/profile.icc"
run_licpack "$E2E_OUT" build "$folder" -o "$E2E_OUT/out" --lang en --today 2026-11-28
same_exit "build" 0 "$RC"
qpdf --json=2 --json-stream-data=inline --decode-level=generalized \
	"$E2E_OUT/out/applicant.pdf" "$E2E_OUT/pdf.json" 2>"$E2E_OUT/qpdf.err" ||
	e2e_fail "qpdf cannot read the packet: $(head -n 2 "$E2E_OUT/qpdf.err")"
python3 -c "$E2E_PY_FIND" "$E2E_OUT/pdf.json" "$E2E_OUT/profile.icc" | sort >"$E2E_OUT/got"
sample_jpeg=$(python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
p = 2
while p < len(d):
    m = d[p + 1]
    n = struct.unpack(">H", d[p + 2:p + 4])[0]
    if m in (0xC0, 0xC1, 0xC2):
        h, w = struct.unpack(">HH", d[p + 5:p + 9])
        print("%dx%d" % (w, h))
        break
    p += 2 + n
' "$folder/营业执照副本.jpg")
cat >"$E2E_OUT/want" <<EOF
1600x1000 image, /ColorSpace [/ICCBased], /N 3, profile the same bytes
$sample_jpeg image, /ColorSpace [/ICCBased], /N 3, profile the same bytes
EOF
sort "$E2E_OUT/want" -o "$E2E_OUT/want"
same_text "ICC profiles in the packet" "$E2E_OUT/want" "$E2E_OUT/got"
e2e_finish
