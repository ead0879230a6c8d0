#!/bin/sh
# licpack build on the bundled samples, checked with other tools: qpdf,
# poppler, unzip, 7z and python3's zipfile (issue 3's acceptance).
. tests/e2e/lib.sh
e2e_init build
S=samples/icp-renewal-complete
T=2026-11-28
SOURCE_DATE_EPOCH=1764288000; export SOURCE_DATE_EPOCH
run_in() { mkdir -p "$1"; run_licpack "$@"; }

run_in "$E2E_OUT/a" build "$S" -o "$E2E_OUT/a/out" --today $T
same_exit "build complete sample" 0 "$RC"
P=$E2E_OUT/a/out
for f in icp-renewal-complete.pdf icp-renewal-complete.zip manifest.json report.json report.txt report.html; do
	[ -f "$P/$f" ] || e2e_fail "missing output $f"
	mode=$(stat -c %a "$P/$f" 2>/dev/null)
	[ "$mode" = 600 ] || e2e_fail "$f has mode $mode, expected 600"
done
ls -A "$P" | grep -q '^\.licpack-tmp\.' && e2e_fail "a temporary file was left in $P"
qpdf --check "$P/icp-renewal-complete.pdf" >/dev/null 2>&1 || e2e_fail "qpdf --check failed on the packet PDF"

# pages: cover pages + every material's pages, as the manifest counts them
python3 - "$P" <<'PY' || e2e_fail "page count or cover text wrong"
import json, subprocess, sys
p = sys.argv[1]
m = json.load(open(p + "/manifest.json", encoding="utf-8"))
# both sides of an ID card share a page (--id-layout together, the default)
pairs = sum(1 for f in m["files"] if f["material"].endswith("-id-emblem") and
            any(g["material"] == f["material"][:-6] + "portrait" and g["person"] == f["person"] for g in m["files"]))
want = m["cover"]["pages"] + sum(f["pages"] for f in m["files"]) - pairs
info = subprocess.run(["pdfinfo", p + "/icp-renewal-complete.pdf"], capture_output=True, text=True).stdout
got = int([l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")][0])
if got != want:
    sys.exit(f"pdfinfo says {got} pages, manifest {want}")
cover = subprocess.run(["pdftotext", "-l", str(m["cover"]["pages"]), p + "/icp-renewal-complete.pdf", "-"],
                       capture_output=True, text=True).stdout
flat = cover.replace(" ", "").replace("\n", "")
titles = json.load(open(p + "/report.json", encoding="utf-8"))["materials"]
need = [m["applicant"]["company"]["name"]] + ["续期申请表", "营业执照副本", "法定代表人身份证人像面", "法定代表人身份证国徽面",
        "域名证书", "现有许可证", "依法经营承诺书", "股东会决议", "服务器托管或接入协议", "ICP备案截图", "企业信用信息公示截图", "公司章程"]
missing = [t for t in need if t not in flat]
if missing:
    sys.exit(f"cover text lacks {missing}")
if "11010519491231002X" in cover or "110105********002X" not in cover:
    sys.exit("the ID number is not masked on the cover")
PY
# the text licpack draws reads back as itself: in the cover (the zip's
# 00_封面.pdf, all of it licpack's) the font's ToUnicode CMap maps every
# code shown (CID = code point) to that code point; poppler reads the
# packet without a complaint (libharu's own CMap drew one)
unzip -p "$P/icp-renewal-complete.zip" 00_封面.pdf >"$E2E_OUT/a/cover.pdf"
qpdf --qdf --object-streams=disable "$E2E_OUT/a/cover.pdf" "$E2E_OUT/a/qdf.pdf" 2>/dev/null
pdftotext "$P/icp-renewal-complete.pdf" /dev/null 2>"$E2E_OUT/a/pdftotext.err"
[ -s "$E2E_OUT/a/pdftotext.err" ] && e2e_fail "pdftotext complains: $(head -c 300 "$E2E_OUT/a/pdftotext.err")"
python3 - "$E2E_OUT/a/qdf.pdf" <<'PY' || e2e_fail "the font's ToUnicode CMap is wrong"
import re, sys
pdf = open(sys.argv[1], "rb").read()
ref = re.search(rb"/Subtype /Type0.*?/ToUnicode (\d+) 0 R", pdf, re.S) or re.search(rb"/ToUnicode (\d+) 0 R", pdf)
if not ref:
    sys.exit("no ToUnicode")
obj = re.search(rb"\n" + ref.group(1) + rb" 0 obj.*?stream\n(.*?)endstream", pdf, re.S).group(1).decode("latin-1")
if "begincidrange" in obj or "beginbfrange" not in obj:
    sys.exit("not a bfrange CMap:\n" + obj[:400])
mapped = set()
for a, b, dst in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>", obj):
    a, b, dst = int(a, 16), int(b, 16), int(dst, 16)
    if dst != a or a >> 8 != b >> 8 or b < a:
        sys.exit(f"range {a:04X}-{b:04X} -> {dst:04X}")
    mapped.update(range(a, b + 1))
shown = set()
def literal(b):
    """the bytes of a PDF literal string's body (7.3.4.2 escapes)"""
    out, i = bytearray(), 0
    while i < len(b):
        c = b[i]
        if c == 0x5C and i + 1 < len(b):
            n = b[i + 1]
            i += 2
            if 0x30 <= n <= 0x37:
                j = i - 1
                while i < len(b) and i - j < 3 and 0x30 <= b[i] <= 0x37:
                    i += 1
                out.append(int(b[j:i], 8) & 0xFF)
            else:
                out += {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b",
                        ord("f"): b"\f", 0x0A: b""}.get(n, bytes([n]))
        else:
            out.append(c)
            i += 1
    return bytes(out)
# every text-showing operator: Tj, ' and " with a hex or (libharu, when every
# byte is printable) a literal string (TJ: none drawn)
for hexstr, lit in re.findall(rb"(?:<([0-9a-fA-F]+)>|\(((?:[^()\\]|\\.)*)\))\s*(?:Tj|'|\")", pdf):
    raw = bytes.fromhex(hexstr.decode()) if hexstr else literal(lit)
    shown.update(raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2))
if re.search(rb"\]\s*TJ", pdf):
    sys.exit("a TJ array: this check does not read those")
# (the map may name a few more: components of composite glyphs that have
# code points of their own, embedded for the glyphs drawn)
if not shown or not shown <= mapped or len(mapped - shown) > len(shown) // 10:
    sys.exit(f"shown but not mapped: {sorted(shown - mapped)[:10]}; mapped, not shown: {sorted(mapped - shown)[:10]}")
PY
# one rendering of the cover serves both: the zip's 00_封面.pdf draws the
# very pixels of the packet's first pages ("第 1 页 / 共 N 页" included)
cover_pages=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cover"]["pages"])' "$P/manifest.json")
pdftoppm -r 60 -gray "$E2E_OUT/a/cover.pdf" "$E2E_OUT/a/zip-cover"
pdftoppm -r 60 -gray -l "$cover_pages" "$P/icp-renewal-complete.pdf" "$E2E_OUT/a/pdf-cover"
n=0
for f in "$E2E_OUT"/a/zip-cover-*.pgm; do
	n=$((n + 1))
	g=$(ls "$E2E_OUT"/a/pdf-cover-*.pgm | sed -n "${n}p")
	cmp -s "$f" "$g" || e2e_fail "the zip's cover page $n differs from the packet PDF's page $n"
done
[ "$n" = "$cover_pages" ] || e2e_fail "the zip's cover has $n pages, the manifest says $cover_pages"
cover_size=$(unzip -p "$P/icp-renewal-complete.zip" 00_封面.pdf | wc -c)
[ "$cover_size" -lt 300000 ] || e2e_fail "cover PDF is $cover_size bytes, expected < 300 KB"

# the zip: three readers, Chinese names, stored images, the exact bytes
unzip -tq "$P/icp-renewal-complete.zip" >/dev/null || e2e_fail "unzip -t failed"
if command -v 7z >/dev/null; then 7z t "$P/icp-renewal-complete.zip" >/dev/null || e2e_fail "7z t failed"
else echo "SKIPPED: 7z is not installed: the zip was not tested by 7z"; fi
python3 -m zipfile -t "$P/icp-renewal-complete.zip" >/dev/null || e2e_fail "python3 zipfile -t failed"
python3 - "$P/icp-renewal-complete.zip" "$S" <<'PY' || e2e_fail "zip entries wrong"
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
expect = ["00_封面.pdf", "01_续期申请表_1.jpg", "02_营业执照副本.jpg", "03_法定代表人身份证人像面.jpg",
          "04_法定代表人身份证国徽面.jpg", "05_域名证书_example.com.jpg", "05_域名证书_example.cn.png",
          "06_现有许可证_1.jpg", "06_现有许可证_2.jpg", "06_现有许可证_3.jpg", "07_依法经营承诺书.jpg",
          "08_股东会决议_1.pdf", "09_服务器托管或接入协议_1.jpg", "10_ICP备案截图_1.png",
          "11_企业信用信息公示截图_1.png", "manifest.json"]
if names != expect:
    sys.exit(f"entries {names}")
m = json.loads(z.read("manifest.json"))
for i in z.infolist():
    store = i.filename.endswith((".jpg", ".png", ".pdf"))
    if i.compress_type != (0 if store else 8):
        sys.exit(f"{i.filename}: compress_type {i.compress_type}")
    if any(ord(c) > 127 for c in i.filename) and not i.flag_bits & 0x800:
        sys.exit(f"{i.filename}: no UTF-8 flag")
for f in m["files"]:
    data = z.read(f["packet_name"])
    if hashlib.sha256(data).hexdigest() != f["sha256"] or data != open(sys.argv[2] + "/" + f["original"], "rb").read():
        sys.exit(f"{f['packet_name']}: bytes differ from {f['original']}")
PY
unzip -Z1 "$P/icp-renewal-complete.zip" | grep -qx '02_营业执照副本.jpg' || e2e_fail "unzip does not show the Chinese names intact"

# temporaries a killed build left behind are removed (licpack's prefix, in
# a folder with licpack's stamp); other files are not, even named like the
# temporaries of older versions
mkdir -p "$E2E_OUT/b/out"
: >"$E2E_OUT/b/out/.licpack"
for t in .licpack-tmp.icp-renewal-complete.zip.AbC123 .licpack-tmp.report.json.000001 \
	icp-renewal-complete.zip.tmp-AbC123 .icp-renewal-complete.pdf.XyZ789 keep.txt; do
	echo stale >"$E2E_OUT/b/out/$t"
done
# the same inputs give the same bytes
run_in "$E2E_OUT/b" build "$S" -o "$E2E_OUT/b/out" --today $T
[ "$(ls -A "$E2E_OUT/b/out" | grep -c '^\.licpack-tmp\.')" = 0 ] || e2e_fail "stale temporary files were left: $(ls -A "$E2E_OUT/b/out")"
for t in keep.txt icp-renewal-complete.zip.tmp-AbC123 .icp-renewal-complete.pdf.XyZ789; do
	[ -f "$E2E_OUT/b/out/$t" ] || e2e_fail "'$t', not a licpack temporary, was removed"
done
rm -f "$E2E_OUT/b/out/icp-renewal-complete.zip.tmp-AbC123" "$E2E_OUT/b/out/.icp-renewal-complete.pdf.XyZ789"
cmp -s "$P/icp-renewal-complete.pdf" "$E2E_OUT/b/out/icp-renewal-complete.pdf" || e2e_fail "two builds give different PDFs"
cmp -s "$P/icp-renewal-complete.zip" "$E2E_OUT/b/out/icp-renewal-complete.zip" || e2e_fail "two builds give different zips"
cmp -s "$P/report.html" "$E2E_OUT/b/out/report.html" || e2e_fail "two builds give different report.html"

# the purpose watermark: on the ID card pages by default, none for Jiangsu or --no-watermark
# (the text is drawn diagonally: pdftotext -raw gives it a character a line)
wm_count() { pdftotext -raw "$1" - 2>/dev/null | tr -d ' \n' | grep -o '仅供ICP经营许可证续期使用' | wc -l; }
[ "$(wm_count "$P/icp-renewal-complete.pdf")" -ge 2 ] || e2e_fail "no purpose watermark on the ID card pages"
run_in "$E2E_OUT/nw" build "$S" -o "$E2E_OUT/nw/out" --today $T --no-watermark
[ "$(wm_count "$E2E_OUT/nw/out/icp-renewal-complete.pdf")" -eq 0 ] || e2e_fail "--no-watermark still draws the watermark"
mkdir -p "$E2E_OUT/js"; cp -r "$S" "$E2E_OUT/js/folder"
sed -i 's/"template": *"icp-renewal"/"template": "icp-renewal", "region": "jiangsu"/' "$E2E_OUT/js/folder/packet.json"
run_in "$E2E_OUT/js" build "$E2E_OUT/js/folder" -o "$E2E_OUT/js/out" --today $T --allow-incomplete
same_exit "jiangsu build (no evaluation report: incomplete)" 1 "$RC"
grep -q 'site-evaluation-report' "$E2E_OUT/js/out/report.json" || e2e_fail "jiangsu: the missing evaluation report is not reported"
[ "$(wm_count "$E2E_OUT/js/out/folder.pdf")" -eq 0 ] || e2e_fail "jiangsu: the watermark is drawn"
pdftotext -l 1 "$E2E_OUT/js/out/folder.pdf" - 2>/dev/null | grep -q 'INCOMPLETE' || e2e_fail "--allow-incomplete: the cover is not marked INCOMPLETE"

# ascii names
run_in "$E2E_OUT/ascii" build "$S" -o "$E2E_OUT/ascii/out" --today $T --zip-names ascii
unzip -Z1 "$E2E_OUT/ascii/out/icp-renewal-complete.zip" | LC_ALL=C grep -q '[^ -~]' && e2e_fail "--zip-names ascii: a non-ASCII entry name"
unzip -Z1 "$E2E_OUT/ascii/out/icp-renewal-complete.zip" | grep -qx '02_business-license.jpg' || e2e_fail "--zip-names ascii: no 02_business-license.jpg"

# an incomplete folder: reports, no packet, exit 1
run_in "$E2E_OUT/inc" build samples/icp-renewal-incomplete -o "$E2E_OUT/inc/out" --today $T
same_exit "build incomplete sample" 1 "$RC"
[ -f "$E2E_OUT/inc/out/report.json" ] && [ -f "$E2E_OUT/inc/out/report.txt" ] || e2e_fail "incomplete: no reports"
ls "$E2E_OUT/inc/out" | grep -Eq '\.(pdf|zip)$' && e2e_fail "incomplete: a packet was written"
[ -f "$E2E_OUT/inc/out/manifest.json" ] && e2e_fail "incomplete: a manifest was written"

# a folder larger than what a build keeps in memory from its check
# (CHECK_KEEP_BYTES, 16 MiB): the files past that are read again when
# packed, their hashes checked, and go in byte for byte all the same
L=$E2E_OUT/large
if [ ! -f "$L/folder/.made" ]; then
	rm -rf "$L"
	mkdir -p "$L"
	cp -r "$S" "$L/folder"
	i=4
	while [ $i -le 27 ]; do
		fixture jpeg "$L/folder/现有许可证/许可证_p$i.jpg" 3508x4960 --dpi 425 --text-lines --quality 100 \
			--variant $((300 + i)) || e2e_fail "cannot make the large scans"
		i=$((i + 1))
	done
	touch "$L/folder/.made"
fi
# (--no-upload: the licence's 27 pages, 17.5 MB, would be fitted into one
# PDF under the portal's 5 MB, 6 s of CPU that this case is not about;
# upload.sh tests the fitting)
run_in "$L" build "$L/folder" -o "$L/out" --today $T --no-upload
same_exit "build a folder over the kept bytes" 0 "$RC"
qpdf --check "$L/out/folder.pdf" >/dev/null 2>&1 || e2e_fail "large: qpdf --check failed"
python3 - "$L/out" "$L/folder" <<'PY' || e2e_fail "large: the packet is not made of the input bytes"
import hashlib, json, os, subprocess, sys, zipfile
out, folder = sys.argv[1], sys.argv[2]
m = json.load(open(out + "/manifest.json", encoding="utf-8"))
total = sum(os.path.getsize(folder + "/" + f["original"]) for f in m["files"])
if total <= 16 * 1024 * 1024:
    sys.exit(f"the folder holds only {total} bytes: not over the budget")
z = zipfile.ZipFile(out + "/folder.zip")
pdf = open(out + "/folder.pdf", "rb").read()
for f in m["files"]:
    src = open(folder + "/" + f["original"], "rb").read()
    data = z.read(f["packet_name"])
    if data != src or hashlib.sha256(data).hexdigest() != f["sha256"]:
        sys.exit(f"{f['packet_name']}: zip bytes differ from {f['original']}")
    if f["original"].endswith(".jpg") and src not in pdf:
        sys.exit(f"{f['original']}: not in the PDF byte for byte")
info = subprocess.run(["pdfinfo", out + "/folder.pdf"], capture_output=True, text=True).stdout
pages = int([l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")][0])
# both sides of an ID card share a page (--id-layout together, the default)
pairs = sum(1 for f in m["files"] if f["material"].endswith("-id-emblem") and
            any(g["material"] == f["material"][:-6] + "portrait" and g["person"] == f["person"] for g in m["files"]))
if pages != m["cover"]["pages"] + sum(f["pages"] for f in m["files"]) - pairs:
    sys.exit(f"{pages} pages")
PY

# durability: a build flushes nothing to disk by default (its outputs are
# whole or absent at their names all the same, being written aside), and
# with --sync fsyncs every output before its rename and the folder after.
# Traced with strace (the binary alone, as in privacy.sh); skipped without it.
if e2e_can_strace "--sync is not traced"; then
	D=$E2E_OUT/sync
	for mode in default sync; do
		mkdir -p "$D/$mode"
		rm -f "$D/$mode"/trace.*
		flag=; [ $mode = sync ] && flag=--sync
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -ff -qq -y \
			-e trace=fsync,fdatasync,sync,syncfs,msync -o "$D/$mode/trace" \
			"$LICPACK" build "$S" -o "$D/$mode/out" --today $T $flag \
			>"$D/$mode/stdout" 2>"$D/$mode/stderr" </dev/null
		same_exit "traced build ($mode)" 0 $? || sed 's/^/    /' "$D/$mode/stderr" | head -n 5
		cat "$D/$mode"/trace.* >"$D/$mode/trace.all"
	done
	python3 - "$D" "$(cd "$D" && pwd -P)" <<'PY' || e2e_fail "sync: outputs flushed wrongly (traces in $D/*/trace.all)"
import os, re, sys
d, real = sys.argv[1], sys.argv[2]
def flushed(mode):
    paths = []
    for line in open(f"{d}/{mode}/trace.all", encoding="utf-8", errors="replace"):
        m = re.match(r"(\w+)\((\d+<([^>]*)>)?", line)
        if m and not line.startswith("+++") and not line.startswith("---"):
            paths.append((m.group(1), m.group(3) or ""))
    return paths
bad = []
default = flushed("default")
if default:
    bad.append(f"a default build flushed {len(default)} time(s): {default[:3]}")
synced = flushed("sync")
out = f"{real}/sync/out"
names = sorted(n for n in os.listdir(f"{d}/sync/out") if n != ".licpack")
if len(names) != 7:
    bad.append(f"--sync wrote {names}")
files = [os.path.basename(p) for c, p in synced if c == "fsync" and os.path.dirname(p) == out]
for n in names:
    # written aside as .licpack-tmp.NAME.XXXXXX, fsynced there
    if not any(f.startswith(".licpack-tmp." + n + ".") for f in files):
        bad.append(f"--sync: {n} was not fsynced before its rename (fsyncs: {files})")
if ("fsync", out) not in synced:
    bad.append(f"--sync: the output folder was not fsynced")
for b in bad:
    print("BAD: " + b)
sys.exit(1 if bad else 0)
PY
	echo "note: sync: no flush by default; with --sync $(grep -c '^fsync' "$D/sync/trace.all") fsyncs"
fi

# an output folder inside the applicant folder is refused
mkdir -p "$E2E_OUT/inside"; cp -r "$S" "$E2E_OUT/inside/folder"
run_in "$E2E_OUT/inside" build "$E2E_OUT/inside/folder" -o "$E2E_OUT/inside/folder/out" --today $T
same_exit "output inside the folder" 2 "$RC"

# --font naming a FIFO is refused at once, in English and Chinese, not read
# until someone writes to it (run_licpack's timeout fails a hang)
F=$E2E_OUT/fifo
mkdir -p "$F"
mkfifo "$F/font.ttf" || e2e_fail "mkfifo failed"
for l in en zh; do
	run_in "$F/$l" build "$S" -o "$F/$l/out" --today $T --font "$F/font.ttf" --lang $l
	same_exit "--font FIFO ($l)" 3 "$RC"
	[ -e "$F/$l/out/icp-renewal-complete.pdf" ] && e2e_fail "--font FIFO ($l): a packet was written"
done
printf "licpack: cannot read font '%s': not a regular file\n" "$F/font.ttf" >"$F/en/want"
printf "licpack: 无法读取字体 '%s'（不是普通文件）\n" "$F/font.ttf" >"$F/zh/want"
same_text "--font FIFO (en)" "$F/en/want" "$F/en/stderr"
same_text "--font FIFO (zh)" "$F/zh/want" "$F/zh/stderr"
e2e_finish
