"""jpeg_pdf.py OUT WIDTH_PT HEIGHT_PT PAGE...: a PDF whose pages each draw
one JPEG file over the whole page, as scanners and phone apps write them.

PAGE is KIND:FILE, KIND one of
  scan        the JPEG alone (DCTDecode), drawn over the page
  text        the same, with a filled rectangle drawn over it (as a stamp
              or a signature would be: anything more than the image; no
              font, whose lookup by poppler leaks inside fontconfig)
  cut         the JPEG's entropy data cut in half and closed with an end marker
  cutflate    that cut JPEG behind FlateDecode ([/FlateDecode /DCTDecode])
The image's width and height in its dictionary are read from the JPEG."""
import struct
import sys
import zlib


def jpeg_size(data):
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            raise SystemExit("not a JPEG marker at %d" % i)
        marker, seg = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h, data[i + 9]
        i += 2 + seg
    raise SystemExit("no frame header")


def main():
    out, pw, ph = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    pages = [a.split(":", 1) for a in sys.argv[4:]]
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", None]
    kids = []
    for kind, path in pages:
        jpg = open(path, "rb").read()
        w, h, comps = jpeg_size(jpg)
        filt = b"/DCTDecode"
        if kind in ("cut", "cutflate"):
            sos = jpg.index(b"\xff\xda")
            jpg = jpg[:sos + (len(jpg) - sos) // 2] + b"\xff\xd9"
        if kind == "cutflate":
            jpg, filt = zlib.compress(jpg), b"[/FlateDecode /DCTDecode]"
        draw = b"q %g 0 0 %g 0 0 cm /Im0 Do Q" % (pw, ph)
        if kind == "text":
            draw += b" 0 0 1 rg 72 72 144 36 re f"
        cs = b"/DeviceGray" if comps == 1 else b"/DeviceRGB"
        n = len(objs)  # objects n+1 (page), n+2 (content), n+3 (image)
        objs.append(b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %g %g]/Resources<</XObject<</Im0 %d 0 R>>>>"
                    b"/Contents %d 0 R>>"
                    % (pw, ph, n + 3, n + 2))
        objs.append(b"<</Length %d>>stream\n" % len(draw) + draw + b"\nendstream")
        objs.append(b"<</Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace%s/BitsPerComponent 8"
                    b"/Filter%s/Length %d>>stream\n" % (w, h, cs, filt, len(jpg)) + jpg + b"\nendstream")
        kids.append(b"%d 0 R" % (n + 1))
    objs[1] = b"<</Type/Pages/Kids[%s]/Count %d>>" % (b" ".join(kids), len(kids))
    body, offs = b"%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offs.append(len(body))
        body += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offs)
    body += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    open(out, "wb").write(body)


main()
