#!/bin/sh
# mkdoc: the document generator of the reading tests (tests/tools/mkdoc.c,
# issue 12). The same seed gives the same bytes; every identifier in the
# ground truth validates (checked here in Python, not with ident.c), and a
# --bad-check page's truth expects nothing while its printed USCC fails the
# check; --set values reach the truth; --rotate 90 turns an ID card
# (1011x638 at 300 dpi) to 638x1011; a bad kind is a usage error (exit 2).
# With tesseract installed, a clean render reads back: USCC, company and
# kind exactly as the truth says (mkdoc, tesseract and packet/read_fields.c
# end to end).
. "$(dirname "$0")/lib.sh"

e2e_init mkdoc
M=build/tools/mkdoc
[ -x "$M" ] && [ -x build/tools/readfields ] || e2e_fail "build/tools/mkdoc or readfields is not built (make build/tools/mkdoc build/tools/readfields)"
D=$E2E_OUT

$M business-licence "$D/a.jpg" --seed 7 --font serif --noise 8 --skew 1.5 --quality 70 || e2e_fail "mkdoc failed"
$M business-licence "$D/b.jpg" --seed 7 --font serif --noise 8 --skew 1.5 --quality 70 --truth "$D/b.truth" || e2e_fail "mkdoc failed"
cmp -s "$D/a.jpg" "$D/b.jpg" || e2e_fail "the same seed gave different images"
cmp -s "$D/a.json" "$D/b.truth" || e2e_fail "the same seed gave different truths"
$M business-licence "$D/c.jpg" --seed 8 || e2e_fail "mkdoc failed"
cmp -s "$D/a.json" "$D/c.json" && e2e_fail "seeds 7 and 8 gave the same truth"
for s in 1 2 3 4 5 6; do
	$M id-portrait "$D/id$s.png" --seed $s || e2e_fail "mkdoc id-portrait failed"
	$M signed-form "$D/f$s.png" --seed $s --bad-check --dpi 60 || e2e_fail "mkdoc signed-form failed"
done
$M id-emblem "$D/r.jpg" --dpi 300 --rotate 90 --set id_issuer=样本市公安局 || e2e_fail "mkdoc --rotate failed"
$M domain-cert "$D/d.png" --dpi 60 --set domains=a-sample.cn,b-sample.com || e2e_fail "mkdoc --set domains failed"
$M passport "$D/x.jpg" 2>/dev/null; [ $? -eq 2 ] || e2e_fail "an unknown kind is not exit 2"

python3 - "$D" <<'PY' || e2e_fail "ground truth wrong"
import json, struct, sys
d = sys.argv[1]
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
def uscc_ok(s):
    return len(s) == 18 and all(c in A for c in s) and A[(31 - sum(A.index(c) * w for c, w in zip(s, W)) % 31) % 31] == s[17]
def id_ok(s):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return len(s) == 18 and s[:17].isdigit() and "10X98765432"[sum(int(c) * x for c, x in zip(s, w)) % 11] == s[17]
bad = []
t = json.load(open(f"{d}/a.json"))
if t["kind"] != "business-licence" or not uscc_ok(t["uscc"]) or t["uscc"] != t["printed"]["uscc"]:
    bad.append(f"licence truth {t}")
for s in range(1, 7):
    t = json.load(open(f"{d}/id{s}.json"))
    if not id_ok(t["id_number"]) or not t["id_name"]:
        bad.append(f"id truth {t}")
    f = json.load(open(f"{d}/f{s}.json"))
    if f["uscc"] != "" or uscc_ok(f["printed"]["uscc"]) or f["signed_date"][:4] != "2026":
        bad.append(f"bad-check truth {f}")
t = json.load(open(f"{d}/r.json"))
if t["id_issuer"] != "样本市公安局":
    bad.append(f"--set id_issuer {t}")
if json.load(open(f"{d}/d.json"))["domains"] != ["a-sample.cn", "b-sample.com"]:
    bad.append("--set domains")
j = open(f"{d}/r.jpg", "rb").read()
i = j.find(b"\xff\xc0")
h, w = struct.unpack(">HH", j[i + 5:i + 9])
if (w, h) != (638, 1011):
    bad.append(f"rotated card is {w}x{h}")
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx chi_sim; then
	$M business-licence "$D/ocr.jpg" --seed 11 --ocr-copy "$D/ocr.png" || e2e_fail "mkdoc --ocr-copy failed"
	OMP_THREAD_LIMIT=1 tesseract "$D/ocr.png" - -l chi_sim --psm 6 2>/dev/null | build/tools/readfields > "$D/ocr.read"
	python3 - "$D/ocr.json" "$D/ocr.read" <<'PY' || e2e_fail "a clean render did not read back"
import json, sys
t, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
wrong = [k for k in ("kind", "uscc", "company") if g[k] != t[k]]
for k in wrong:
    print(f"{k}: read {g[k]!r}, is {t[k]!r}")
sys.exit(1 if wrong else 0)
PY
else
	echo "SKIPPED: tesseract with chi_sim is not installed (make deps): the read-back case"
fi
e2e_finish
