#!/bin/sh
# pdf_damage: PDFs that open but are not whole, or not free (issue 17 items
# 9, 14, 19), each made here from mkfixture's plain PDF, and checked for its
# exact finding, file and message:
#   - a content stream whose Flate data is garbage: corrupt (only decoding
#     every stream shows it; qpdf opens the file without a warning);
#   - a wrong startxref offset: repaired, "damaged" said once in the message;
#   - an owner-password-only PDF (opens without a password, stays encrypted
#     in the zip): a restricted warning;
#   - a user-password PDF: encrypted, and the text report does not say
#     "0 pages";
#   - a page drawing a JPEG image whose entropy data is cut short and closed
#     with an end marker (only a decode to the end shows it; probe_pdf reads
#     JPEG images itself, not through qpdf): corrupt, as a lone DCTDecode
#     stream and behind FlateDecode; the same image whole: no finding;
#   - a 180-byte xref stream with /Columns 4000000000 (qpdf 11.3 alone took
#     7 s and 1.6 GB): corrupt, in under a second and 100 MB of RSS (measured
#     when the binary runs unwrapped).
. "$(dirname "$0")/lib.sh"

e2e_need qpdf "qpdf (the command)"
e2e_init pdf_damage
need_mkfixture

E2E_PY_PDF='
import re, sys, zlib
kind, src, out = sys.argv[1:4]
if kind == "columns":
    data = zlib.compress(b"\x02\x01\x00\x10\x00" * 3)
    obj = (b"1 0 obj\n<</Type/XRef/Size 3/W[1 2 1]/Filter/FlateDecode"
           b"/DecodeParms<</Predictor 12/Columns 4000000000>>/Length %d>>stream\n" % len(data)
           + data + b"\nendstream\nendobj\n")
    open(out, "wb").write(b"%PDF-1.5\n" + obj + b"startxref\n9\n%%EOF\n")
    sys.exit(0)
pdf = open(src, "rb").read()
if kind == "badstream":
    # the first page content stream: same length, Flate data replaced by noise
    m = re.search(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", pdf)
    n = int(m.group(1))
    noise = bytes((i * 73 + 41) % 256 for i in range(n))
    head = pdf[:m.start()] + b"/Length %d /Filter /FlateDecode>>\nstream\n" % n
    pdf = head + noise + pdf[m.end() + n:]
    # offsets moved: qpdf would repair them (a warning, not this case)
    open(out + ".tmp", "wb").write(pdf)
    sys.exit(0)
if kind == "badxref":
    i = pdf.rindex(b"startxref")
    pdf = pdf[:i] + b"startxref\n12345\n%%EOF\n"
open(out, "wb").write(pdf)
'

dir=$E2E_OUT/folder
mkdir -p "$dir/现有许可证"
echo '{"template": "icp-renewal", "files": {}}' >"$dir/packet.json"
fixture pdf "$E2E_OUT/plain.pdf" 1 || exit 1
lic=$dir/现有许可证
python3 -c "$E2E_PY_PDF" badstream "$E2E_OUT/plain.pdf" "$E2E_OUT/badstream.pdf"
# rewrite with correct offsets, streams left as they are, so that the only
# damage is in the data
qpdf --stream-data=preserve --object-streams=disable "$E2E_OUT/badstream.pdf.tmp" \
	"$lic/badstream.pdf" 2>/dev/null
[ -s "$lic/badstream.pdf" ] || e2e_fail "qpdf could not rewrite the damaged stream fixture"
python3 -c "$E2E_PY_PDF" badxref "$E2E_OUT/plain.pdf" "$lic/badxref.pdf"
qpdf --encrypt "" owner 256 --print=none --modify=none -- "$E2E_OUT/plain.pdf" "$lic/owner.pdf"
qpdf --encrypt user owner 256 -- "$E2E_OUT/plain.pdf" "$lic/userpw.pdf"
python3 -c "$E2E_PY_PDF" columns - "$lic/columns.pdf"
fixture jpeg "$E2E_OUT/page.jpg" 600x900 --dpi 300 --variant 3 || exit 1
for k in scan cut cutflate; do
	python3 "$E2E_ROOT/tests/e2e/py/jpeg_pdf.py" "$lic/jpeg$k.pdf" 200 300 $k:"$E2E_OUT/page.jpg"
done
mv "$lic/jpegscan.pdf" "$lic/jpegok.pdf"

run_licpack "$E2E_OUT" check "$dir" --format json --lang en --today 2026-11-28
same_exit "check" 1 "$RC"
[ -s "$E2E_OUT/stderr" ] && e2e_fail "output on stderr: $(head -n 3 "$E2E_OUT/stderr")"
report "$E2E_OUT/stdout" messages | grep '^[a-z-]*|现有许可证/' | sort >"$E2E_OUT/got"
cat >"$E2E_OUT/want" <<'EOF'
corrupt|现有许可证/badstream.pdf|'现有许可证/badstream.pdf': damaged PDF: some of its data cannot be decoded
corrupt|现有许可证/columns.pdf|'现有许可证/columns.pdf': damaged PDF with impossible stream parameters
corrupt|现有许可证/jpegcut.pdf|'现有许可证/jpegcut.pdf': damaged PDF: some of its data cannot be decoded
corrupt|现有许可证/jpegcutflate.pdf|'现有许可证/jpegcutflate.pdf': damaged PDF: some of its data cannot be decoded
encrypted|现有许可证/userpw.pdf|'现有许可证/userpw.pdf': the PDF is password-protected; save a copy without a password
repaired|现有许可证/badxref.pdf|'现有许可证/badxref.pdf': the PDF is damaged (its structure had to be repaired); re-save it before submitting
restricted|现有许可证/owner.pdf|'现有许可证/owner.pdf': the PDF is encrypted, though it opens without a password; the zip gets it still encrypted: save a copy without security
EOF
same_text "findings for the damaged PDFs" "$E2E_OUT/want" "$E2E_OUT/got"

# the text report: no "0 pages" for what could not be counted
run_licpack "$E2E_OUT" check "$dir" --lang en --today 2026-11-28
grep -F '现有许可证/' "$E2E_OUT/stdout" | grep -v ': ' >"$E2E_OUT/got-text"
cat >"$E2E_OUT/want-text" <<'EOF'
    现有许可证/badstream.pdf  pdf 1 page
    现有许可证/badxref.pdf  pdf 1 page
    现有许可证/columns.pdf  pdf
    现有许可证/jpegcut.pdf  pdf 1 page
    现有许可证/jpegcutflate.pdf  pdf 1 page
    现有许可证/jpegok.pdf  pdf 1 page
    现有许可证/owner.pdf  pdf 1 page
    现有许可证/userpw.pdf  pdf
EOF
same_text "text report's file lines" "$E2E_OUT/want-text" "$E2E_OUT/got-text"

# cost of the /Columns file alone: wall time and peak RSS of the process
if [ -z "$LICPACK_WRAP" ]; then
	mkdir -p "$E2E_OUT/one/现有许可证"
	cp "$dir/packet.json" "$E2E_OUT/one/"
	cp "$lic/columns.pdf" "$E2E_OUT/one/现有许可证/"
	cost=$(python3 -c '
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.3f %d" % (time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
' "$LICPACK" check "$E2E_OUT/one" --today 2026-11-28)
	set -- $cost
	echo "columns.pdf: $1 s, $2 KB peak RSS"
	python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 1.0 else 1)' "$1" ||
		e2e_fail "columns.pdf: $1 s (limit 1 s)"
	[ "$2" -lt 102400 ] || e2e_fail "columns.pdf: $2 KB peak RSS (limit 100 MB)"
fi
e2e_finish
