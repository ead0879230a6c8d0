#!/bin/sh
# volumes: `build --max-pdf-mb N` splits the combined PDF into volumes under
# N MB (issue 14 item 5), checked with stat, pdfinfo, pdftotext, unzip and
# the manifest: every volume under N (by its size on disk), each opening
# with the cover that lists every material and the volume holding it, its
# own materials' pages after it (the page counts add up to the one PDF's
# plus a cover per volume), "第 k 册 / 共 n 册" in the footer of every page,
# a PDF material's own pages too (and "Volume k of n" with --lang en),
# upright at the bottom of pages turned by /Rotate or boxed off the origin,
# qpdf --check on each, the manifest's list,
# the zip unchanged (it never held the combined PDF); a material alone over
# N gets a volume of its own and a volume-too-big warning naming it; ASCII
# names; rebuilds remove the other layout's PDFs; batch (the summary names
# the first volume; a second run skips); a bad N is exit 2.
. "$(dirname "$0")/lib.sh"

for tool in pdfinfo pdftotext qpdf unzip python3; do e2e_need $tool $tool; done
e2e_init volumes
T=2026-11-28
SOURCE_DATE_EPOCH=1764288000; export SOURCE_DATE_EPOCH
S=$E2E_OUT/acme
cp -r samples/icp-renewal-complete "$S" || exit 3
run_in() { mkdir -p "$1"; run_licpack "$@"; }
# too_big DIR MATERIAL LABEL: DIR/out/report.json's one volume-too-big names MATERIAL
too_big() {
	report "$1/out/report.json" findings | grep '^volume-too-big|' >"$1/found"
	printf 'volume-too-big|warning|%s|-\n' "$2" >"$1/want"
	same_text "$3" "$1/want" "$1/found"
}
# packed DIR BYTES LANG: DIR/packed/acme, the sample with a 1-page
# 股东会决议.pdf whose BYTES-byte array is packed into an object stream
# (DIR/loose.pdf unpacked), built into DIR/one (one PDF) and DIR/out
# (--max-pdf-mb 0.6), both exit 0
packed() {
	rm -rf "$1"
	mkdir -p "$1/packed"
	cp -r "$S" "$1/packed/acme" || exit 3
	fixture pdf "$1/loose.pdf" 1 --private "$2" || exit 3
	qpdf --object-streams=generate "$1/loose.pdf" "$1/packed/acme/股东会决议.pdf" || exit 3
	run_in "$1" build "$1/packed/acme" -o "$1/one" --today $T --lang "$3"
	same_exit "build, $2 bytes packed in a PDF, one PDF" 0 "$RC"
	run_in "$1" build "$1/packed/acme" -o "$1/out" --today $T --max-pdf-mb 0.6 --lang "$3"
	same_exit "build --max-pdf-mb 0.6, $2 bytes packed in a PDF" 0 "$RC"
}

# python3 -c "$E2E_PY_VOLS" OUT NAME MAX LANG ONE_PDF: the volumes of packet
# OUT against the manifest and the one PDF ONE_PDF of the same folder
E2E_PY_VOLS='
import json, os, re, subprocess, sys
out, name, limit, lang, one = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
bad = []
m = json.load(open(out + "/manifest.json", encoding="utf-8"))
vols = m["pdf"]["volumes"]
n = len(vols)
if m["pdf"]["max_bytes"] != limit:
    bad.append("max_bytes %s" % m["pdf"]["max_bytes"])
def pages(p):
    info = subprocess.run(["pdfinfo", p], capture_output=True, text=True).stdout
    return int([l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")][0])
ascii_names = name.endswith("!ascii")
name = name.replace("!ascii", "")
want = [name + ("_vol%d.pdf" if ascii_names else "_第%d册.pdf") % (k + 1) for k in range(n)]
on_disk = sorted(f for f in os.listdir(out) if f.endswith(".pdf"))
if [v["name"] for v in vols] != want or on_disk != sorted(want):
    bad.append("volumes %s, on disk %s, expected %s" % ([v["name"] for v in vols], on_disk, want))
if n < 2:
    bad.append("only %d volume(s)" % n)
# every material with files in exactly one volume, in template order
mats = []
for f in m["files"]:
    if f["material"] not in mats:
        mats.append(f["material"])
listed = [x for v in vols for x in v["materials"]]
if listed != mats:
    bad.append("volumes list %s, files are of %s" % (listed, mats))
for f in m["files"]:
    k = [i + 1 for i, v in enumerate(vols) if f["material"] in v["materials"]]
    if f.get("volume") != k[0]:
        bad.append("%s: volume %s, listed in %s" % (f["packet_name"], f.get("volume"), k))
total = 0
for k, v in enumerate(vols, 1):
    p = out + "/" + v["name"]
    size = os.stat(p).st_size
    if size >= limit and not v["over_limit"]:
        bad.append("%s: %d bytes, not under %d" % (v["name"], size, limit))
    if v["over_limit"] and len(v["materials"]) != 1:
        bad.append("%s: over the limit with %s" % (v["name"], v["materials"]))
    np = pages(p)
    total += np - m["cover"]["pages"]
    text = subprocess.run(["pdftotext", p, "-"], capture_output=True, text=True).stdout
    # the cover: this volume of n, every volume named, each material with its volume
    head = "第 %d 册 / 共 %d 册 (volume %d of %d)" % (k, n, k, n)
    flat = re.sub(r"\s", "", text)  # pdftotext spaces CJK text as it likes
    if re.sub(r"\s", "", head) not in flat or any(x["name"] not in flat for x in vols):
        bad.append("%s: cover does not say %r and name every volume" % (v["name"], head))
    for j, x in enumerate(vols, 1):
        if flat.count("第%d册Vol.%d" % (j, j)) != len(x["materials"]):
            bad.append("%s: cover gives volume %d to fewer than its %d materials" % (v["name"], j, len(x["materials"])))
    # the footer of every page, the pages of a PDF material too
    foot = "第%d册/共%d册%s·第" % (k, n, "(Volume%dof%d)" % (k, n) if lang == "en" else "")
    drawn = np
    if subprocess.run(["qpdf", "--check", p], capture_output=True).returncode != 0:
        bad.append("%s: qpdf --check fails" % v["name"])
    for i in range(1, np + 1):
        t = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), p, "-"], capture_output=True, text=True).stdout
        t = re.sub(r"\s", "", t)
        if foot in t:
            drawn -= 1
            if "第%d页/共%d页" % (i, np) not in t:
                bad.append("%s page %d: footer without its page number" % (v["name"], i))
    if drawn != 0:
        bad.append("%s: %d page(s) without the footer %r" % (v["name"], drawn, foot))
if total != pages(one) - m["cover"]["pages"]:
    bad.append("the volumes hold %d pages of materials, the one PDF %d" % (total, pages(one) - m["cover"]["pages"]))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
'

# 1. Without the option: one PDF, no "pdf" section, no volume in the manifest.
run_in "$E2E_OUT/a" build "$S" -o "$E2E_OUT/a/out" --today $T
same_exit "build without --max-pdf-mb" 0 "$RC"
ls "$E2E_OUT/a/out" | grep '\.pdf$' >"$E2E_OUT/a/pdfs"
printf 'acme.pdf\n' >"$E2E_OUT/a/want"
same_text "one PDF without the option" "$E2E_OUT/a/want" "$E2E_OUT/a/pdfs"
grep -q '"volumes"\|"volume":' "$E2E_OUT/a/out/manifest.json" && e2e_fail "manifest without --max-pdf-mb has volumes"
unzip -Z1 "$E2E_OUT/a/out/acme.zip" | grep -v manifest.json >"$E2E_OUT/a/zip"

# 2. --max-pdf-mb 0.6 --lang zh: volumes under 600000 bytes, nothing over.
run_in "$E2E_OUT/b" build "$S" -o "$E2E_OUT/b/out" --today $T --max-pdf-mb 0.6 --lang zh
same_exit "build --max-pdf-mb 0.6" 0 "$RC"
python3 -c "$E2E_PY_VOLS" "$E2E_OUT/b/out" acme 600000 zh "$E2E_OUT/a/out/acme.pdf" || e2e_fail "volumes of 0.6 MB"
grep -q volume-too-big "$E2E_OUT/b/out/report.json" && e2e_fail "0.6 MB: volume-too-big with every material under it"
grep -q '"over_limit": true' "$E2E_OUT/b/out/manifest.json" && e2e_fail "0.6 MB: a volume over the limit"
# stdout names each volume, then the zip and the manifest
grep "^$E2E_OUT/b/out/" "$E2E_OUT/b/stdout" | sed "s|^$E2E_OUT/b/out/||" | grep -v upload/ >"$E2E_OUT/b/said"
(cd "$E2E_OUT/b/out" && ls acme_*.pdf; printf 'acme.zip\nmanifest.json\n') >"$E2E_OUT/b/want"
same_text "paths printed" "$E2E_OUT/b/want" "$E2E_OUT/b/said"
# the zip holds what it held without volumes: the cover, the materials, the manifest
unzip -Z1 "$E2E_OUT/b/out/acme.zip" | grep -v manifest.json >"$E2E_OUT/b/zip"
same_text "zip entries with volumes" "$E2E_OUT/a/zip" "$E2E_OUT/b/zip"
unzip -p "$E2E_OUT/b/out/acme.zip" manifest.json | cmp -s - "$E2E_OUT/b/out/manifest.json" ||
	e2e_fail "the zip's manifest.json is not the one beside it"
ls -A "$E2E_OUT/b/out" | grep -q '^\.licpack-tmp\.' && e2e_fail "a temporary file was left"
for f in "$E2E_OUT"/b/out/acme_*.pdf; do
	[ "$(stat -c %a "$f")" = 600 ] || e2e_fail "$f: mode $(stat -c %a "$f")"
done

# 3. --lang en: the footer says the volume in English too; a rebuild over
# the single PDF's folder removes acme.pdf.
cp -r "$E2E_OUT/a/out" "$E2E_OUT/c-out"
run_in "$E2E_OUT/c" build "$S" -o "$E2E_OUT/c-out" --today $T --max-pdf-mb 0.6 --lang en
same_exit "build --max-pdf-mb 0.6 --lang en" 0 "$RC"
python3 -c "$E2E_PY_VOLS" "$E2E_OUT/c-out" acme 600000 en "$E2E_OUT/a/out/acme.pdf" || e2e_fail "volumes, --lang en"
grep -q "removed the previous packet's '$E2E_OUT/c-out/acme.pdf'" "$E2E_OUT/c/stdout" ||
	e2e_fail "rebuild with volumes: acme.pdf not said removed"
# and back: one PDF again, the volumes removed
run_in "$E2E_OUT/c" build "$S" -o "$E2E_OUT/c-out" --today $T
same_exit "rebuild without --max-pdf-mb" 0 "$RC"
ls "$E2E_OUT/c-out" | grep '\.pdf$' >"$E2E_OUT/c/pdfs"
same_text "rebuild without volumes" "$E2E_OUT/a/want" "$E2E_OUT/c/pdfs"

# 4. A material alone over N: 现有许可证's three scans (432 KB) with the
# cover come to more than 0.45 MB: its own volume, a warning naming it.
run_in "$E2E_OUT/d" build "$S" -o "$E2E_OUT/d/out" --today $T --max-pdf-mb 0.45 --lang en
same_exit "build --max-pdf-mb 0.45" 0 "$RC"
python3 -c "$E2E_PY_VOLS" "$E2E_OUT/d/out" acme 450000 en "$E2E_OUT/a/out/acme.pdf" || e2e_fail "volumes of 0.45 MB"
too_big "$E2E_OUT/d" current-licence "a material alone over the limit"
grep -q "volume-too-big: 'Current licence (all pages)' alone takes about 0\.[0-9] MB of the PDF, over --max-pdf-mb 0\.45: volume [0-9] of [0-9] holds it on its own" \
	"$E2E_OUT/d/stdout" || e2e_fail "volume-too-big's message"
python3 - "$E2E_OUT/d/out" <<'PY' || e2e_fail "the material over the limit is not alone in its volume"
import json, os, sys
m = json.load(open(sys.argv[1] + "/manifest.json", encoding="utf-8"))
over = [v for v in m["pdf"]["volumes"] if v["over_limit"]]
if [v["materials"] for v in over] != [["current-licence"]]:
    sys.exit("over the limit: %s" % over)
if os.stat(sys.argv[1] + "/" + over[0]["name"]).st_size <= 450000:
    sys.exit("%s is under the limit, yet marked over" % over[0]["name"])
# 0.45 MB holds 续期申请表, 营业执照副本 and the portrait side but not the
# emblem side as well: both sides, on one page, go to the next volume
side = {x: v["volume"] for v in m["pdf"]["volumes"] for x in v["materials"]}
if side["legal-rep-id-portrait"] != side["legal-rep-id-emblem"] or side["legal-rep-id-portrait"] != 2:
    sys.exit("ID card sides in volumes %s" % side)
PY

# 5. ASCII names.
run_in "$E2E_OUT/e" build "$S" -o "$E2E_OUT/e/out" --today $T --max-pdf-mb 0.6 --zip-names ascii --lang zh
same_exit "build --max-pdf-mb 0.6 --zip-names ascii" 0 "$RC"
python3 -c "$E2E_PY_VOLS" "$E2E_OUT/e/out" 'acme!ascii' 600000 zh "$E2E_OUT/a/out/acme.pdf" || e2e_fail "volumes, ASCII names"

# 6. batch --max-pdf-mb: each applicant's volumes, the summary's packet is
# the first volume, a second run skips them; without the option the
# applicants are built again, one PDF each.
mkdir -p "$E2E_OUT/g/root"
cp -r "$S" "$E2E_OUT/g/root/acme" && cp -r "$S" "$E2E_OUT/g/root/beta" || exit 3
run_in "$E2E_OUT/g" batch "$E2E_OUT/g/root" -o "$E2E_OUT/g/out" --today $T --max-pdf-mb 0.6 --lang zh -j 2
same_exit "batch --max-pdf-mb 0.6" 0 "$RC"
for a in acme beta; do
	python3 -c "$E2E_PY_VOLS" "$E2E_OUT/g/out/$a" "$a" 600000 zh "$E2E_OUT/a/out/acme.pdf" || e2e_fail "batch: volumes of $a"
done
python3 - "$E2E_OUT/g/out/summary.json" "fresh" "_第1册" <<'PY' || e2e_fail "batch --max-pdf-mb: the summary"
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))["applicants"]
got = [(r["applicant"], r["packet"], r["result"]) for r in rows]
want = [(a, "%s/%s%s.pdf" % (a, a, sys.argv[3]), sys.argv[2]) for a in ("acme", "beta")]
if got != want:
    sys.exit("summary rows %s, expected %s" % (got, want))
PY
run_in "$E2E_OUT/g" batch "$E2E_OUT/g/root" -o "$E2E_OUT/g/out" --today $T --max-pdf-mb 0.6 --lang zh -j 2
same_exit "batch --max-pdf-mb 0.6 again" 0 "$RC"
python3 - "$E2E_OUT/g/out/summary.json" "skipped" "_第1册" <<'PY' || e2e_fail "batch --max-pdf-mb again: not skipped"
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))["applicants"]
got = [(r["packet"], r["result"]) for r in rows]
if got != [("%s/%s%s.pdf" % (a, a, sys.argv[3]), sys.argv[2]) for a in ("acme", "beta")]:
    sys.exit("rows %s" % got)
PY
run_in "$E2E_OUT/g" batch "$E2E_OUT/g/root" -o "$E2E_OUT/g/out" --today $T --lang zh -j 2
same_exit "batch without --max-pdf-mb after it" 0 "$RC"
ls "$E2E_OUT/g/out/acme" | grep '\.pdf$' >"$E2E_OUT/g/pdfs"
same_text "batch without volumes after them" "$E2E_OUT/a/want" "$E2E_OUT/g/pdfs"

# 8. A PDF material's pages turned by /Rotate (0, 90, 180, 270, also
# inherited from the page tree, and -90, 450), with media boxes away from
# the origin, landscape, cropped, narrower than A4: the footer on every page
# of every volume, inside the page as the reader sees it (pdftotext
# -bbox-layout gives the words where the reader sees them), at its bottom,
# centred, upright (the words left to right on one line), and drawn there
# (pdftoppm: ink in that band).
E2E_PY_FOOT='
import re, subprocess, sys
out, n = sys.argv[1], int(sys.argv[2])
bad = []
for k in range(1, n + 1):
    p = "%s/acme_第%d册.pdf" % (out, k)
    xml = subprocess.run(["pdftotext", "-cropbox", "-bbox-layout", p, "-"], capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", p], capture_output=True, text=True).stdout
    rot = [int(r) for r in re.findall(r"^Page +\d+ rot: +(\d+)", info, re.M)]
    pages = re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", xml, re.S)
    for i, (w, h, body) in enumerate(pages, 1):
        w, h = (float(h), float(w)) if rot[i - 1] % 180 else (float(w), float(h))  # as the reader sees it
        foot = []
        for line in re.findall(r"<line (.*?)</line>", body, re.S):
            words = re.findall(r"<word xMin=\"([\d.-]+)\" yMin=\"([\d.-]+)\" xMax=\"([\d.-]+)\" yMax=\"([\d.-]+)\">([^<]*)</word>", line)
            text = "".join(x[4] for x in words)
            if re.fullmatch("第%d册/共%d册·第\\d+页/共\\d+页" % (k, n), text):
                foot.append((text, [tuple(float(v) for v in x[:4]) for x in words]))
        if len(foot) != 1:
            bad.append("%s page %d: %d footer lines" % (p, i, len(foot)))
            continue
        text, boxes = foot[0]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        where = "%s page %d (%gx%g): footer at %.0f,%.0f-%.0f,%.0f" % (p, i, w, h, x0, y0, x1, y1)
        if not text.endswith("第%d页/共%d页" % (i, len(pages))):
            bad.append(where + ": says " + text)
        if x0 < 0 or y0 < 0 or x1 > w or y1 > h:
            bad.append(where + ": not inside the page")
        if y0 < h - 40 or abs((x0 + x1) / 2 - w / 2) > 2:
            bad.append(where + ": not at the bottom centre")
        if x1 - x0 < 6 * (y1 - y0) or any(b[0] >= c[0] for b, c in zip(boxes, boxes[1:])):
            bad.append(where + ": not upright (words not left to right on one line)")
        # drawn: dark pixels in the band, rendered at 144 dpi
        pgm = subprocess.run(["pdftoppm", "-cropbox", "-gray", "-r", "144", "-f", str(i), "-l", str(i), "-x", str(int(2 * x0)),
                              "-y", str(int(2 * y0)), "-W", str(int(2 * (x1 - x0)) + 1), "-H", str(int(2 * (y1 - y0)) + 1), p],
                             capture_output=True).stdout
        m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", pgm)
        if not m or min(pgm[m.end():]) > 128:
            bad.append(where + ": nothing drawn there")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
'
rot_case() { # NAME VOLUMES MKFIXTURE-PDF-ARGS...: 股东会决议.pdf made so
	_name=$1 _n=$2
	shift 2
	rm -rf "$E2E_OUT/$_name"
	mkdir -p "$E2E_OUT/$_name"
	cp -r "$S" "$E2E_OUT/$_name/acme" || exit 3
	fixture pdf "$E2E_OUT/$_name/acme/股东会决议.pdf" "$@" || exit 3
	run_in "$E2E_OUT/$_name" build "$E2E_OUT/$_name/acme" -o "$E2E_OUT/$_name/out" --today $T --max-pdf-mb 0.6 --lang zh
	same_exit "turned pages ($_name)" 0 "$RC"
	python3 -c "$E2E_PY_FOOT" "$E2E_OUT/$_name/out" "$_n" || e2e_fail "footers on turned pages ($_name)"
}
rot_case rot-own 4 4 --rotate 0,90,180,270 --box 100,-50,695,792
rot_case rot-tree 4 3 --rotate -1,-90,450 --tree-rotate 90 --tree-box --box 30,40,872,635 --crop 60,60,842,600
rot_case rot-sizes 4 2 --rotate 180,270 --box 0,0,300,400/-20,-20,1170,822

# 9. The plan is an estimate: a PDF whose pages take far more in the packet
# than its file (an array of 300 KB packed into an object stream of 1 KB,
# written out whole: the packet's PDF has no object streams) makes the
# volume that holds it come out over N; it is planned again, its estimate
# scaled up from what was measured, until every volume is under N. The
# same folder with a plain 1-page PDF shows the volume that would have
# been over; the manifest and the covers give the final plan, "over_limit"
# only for a volume over N (none here), no temporary file is left.
packed "$E2E_OUT/h" 300000 zh
mkdir -p "$E2E_OUT/h/plain"
cp -r "$S" "$E2E_OUT/h/plain/acme" || exit 3
fixture pdf "$E2E_OUT/h/plain/acme/股东会决议.pdf" 1 || exit 3
run_in "$E2E_OUT/h" build "$E2E_OUT/h/plain/acme" -o "$E2E_OUT/h/plain-out" --today $T --max-pdf-mb 0.6 --lang zh
same_exit "build --max-pdf-mb 0.6, plain PDF" 0 "$RC"
python3 -c "$E2E_PY_VOLS" "$E2E_OUT/h/out" acme 600000 zh "$E2E_OUT/h/one/acme.pdf" || e2e_fail "volumes planned again"
python3 - "$E2E_OUT/h" 600000 <<'PY' || e2e_fail "the plan's second try"
import json, os, sys
h, limit = sys.argv[1], int(sys.argv[2])
packed = os.stat(h + "/packed/acme/股东会决议.pdf").st_size
loose = os.stat(h + "/loose.pdf").st_size
def plan(out):
    m = json.load(open(out + "/manifest.json", encoding="utf-8"))
    return [(v["materials"], os.stat(out + "/" + v["name"]).st_size, v["over_limit"]) for v in m["pdf"]["volumes"]]
first, final = plan(h + "/plain-out"), plan(h + "/out")
# the plain PDF's plan is the first try's (the two files' estimates differ
# by less than 1 KB): the packed PDF's 300 KB would have put that volume over
if packed > 2048 or loose < 300000:
    sys.exit("fixture: %d bytes packed, %d loose" % (packed, loose))
held = [b for mats, b, o in first if "shareholder-resolution" in mats][0]
if held + 300000 <= limit:
    sys.exit("the first plan had room for the packed PDF (%d bytes): no second try needed" % held)
if [mats for mats, b, o in final] == [mats for mats, b, o in first]:
    sys.exit("the same plan as the first try: %s" % final)
for mats, b, o in final:
    if b > limit or o:
        sys.exit("volume of %s: %d bytes, over_limit %s" % (mats, b, o))
PY
grep -q volume-too-big "$E2E_OUT/h/out/report.json" && e2e_fail "planned again: volume-too-big with every volume under N"
ls -A "$E2E_OUT/h/out" | grep -q '^\.licpack-tmp\.' && e2e_fail "planned again: a temporary file was left"

# 10. Such a PDF over N on its own (700 KB packed into 1 KB): planned again,
# it gets a volume of its own, over the limit, and the volume-too-big
# warning the first plan could not give: in report.json, report.txt,
# report.html and on the output; the build succeeds (a warning: exit 0)
# and the other volumes are under N.
packed "$E2E_OUT/i" 700000 en
python3 -c "$E2E_PY_VOLS" "$E2E_OUT/i/out" acme 600000 en "$E2E_OUT/i/one/acme.pdf" || e2e_fail "volumes, a PDF over N found late"
too_big "$E2E_OUT/i" shareholder-resolution "a PDF over N found late: the warning"
msg="volume-too-big: 'Shareholders' resolution approving the renewal' alone takes about 0\.7 MB of the PDF, over --max-pdf-mb 0\.6: volume [0-9] of [0-9] holds it on its own"
grep -q "^    ! $msg\$" "$E2E_OUT/i/stdout" || e2e_fail "a PDF over N found late: not said on the output"
grep -q "$msg" "$E2E_OUT/i/out/report.txt" || e2e_fail "a PDF over N found late: not in report.txt"
grep -q 'volume-too-big' "$E2E_OUT/i/out/report.html" || e2e_fail "a PDF over N found late: not in report.html"
python3 - "$E2E_OUT/i/out" 600000 <<'PY' || e2e_fail "a PDF over N found late: the volumes"
import json, os, sys
out, limit = sys.argv[1], int(sys.argv[2])
m = json.load(open(out + "/manifest.json", encoding="utf-8"))
for v in m["pdf"]["volumes"]:
    size = os.stat(out + "/" + v["name"]).st_size
    alone = v["materials"] == ["shareholder-resolution"]
    if v["over_limit"] != alone or (size > limit) != alone:
        sys.exit("%s: %s, %d bytes, over_limit %s" % (v["name"], v["materials"], size, v["over_limit"]))
PY
ls -A "$E2E_OUT/i/out" | grep -q '^\.licpack-tmp\.' && e2e_fail "a PDF over N found late: a temporary file was left"

# 7. N that is not a positive number: usage error, nothing written.
for n in 0 -1 abc '' 1e99 0x; do
	run_in "$E2E_OUT/f" build "$S" -o "$E2E_OUT/f/out" --today $T --max-pdf-mb "$n" --lang en
	same_exit "--max-pdf-mb '$n'" 2 "$RC"
	grep -qF "licpack: --max-pdf-mb: '$n' is not a positive number" "$E2E_OUT/f/stderr" ||
		e2e_fail "--max-pdf-mb '$n': $(cat "$E2E_OUT/f/stderr")"
	[ -e "$E2E_OUT/f/out" ] && e2e_fail "--max-pdf-mb '$n': output folder made"
done
e2e_finish
