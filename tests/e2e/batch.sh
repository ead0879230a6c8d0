#!/bin/sh
# batch: `licpack batch` and `licpack batch-merge` end to end.
#
# Generates a ROOT of 200 applicants in a second (hard links to the samples),
# with a known mix planted by name:
#   complete-NNN, 公司-NNN, quote,"co"   complete copies of samples/icp-renewal-complete
#   crash-001         complete, but LICPACK_TEST_CRASH kills its child (SIGKILL) in run 1
#   incomplete-NNN    samples/icp-renewal-incomplete
#   corrupt-NNN       the complete sample with every file cut in half (incomplete: corrupt)
#   badtpl-NNN        packet.json names a template that does not exist (failed, exit 2)
#   broken-NNN        a dangling symbolic link (failed, exit 3)
#   unreadable-NNN    chmod 000 when not root; as root chmod stops nothing, so a
#                     symbolic link to itself (ELOOP) instead (failed, exit 3)
#   .hidden-001, notes.txt   not applicants
# and checks: the summary counts and every row against what was planted; the
# CSV (BOM, CRLF, RFC 4180, Chinese) with python's csv module; a re-run skips
# everything but the exit-3 failures, fast; touching one file or editing one
# packet.json re-runs only that applicant; shards 1/3 + 2/3 + 3/3 merged are
# byte-identical to one run; shard membership is FNV-1a 64 mod N; batch writes
# what build writes; SIGINT (timeout, to the process group) and SIGTERM (to
# the parent alone) in the middle of a build leave no temporary file and no
# packet that fails qpdf --check / unzip -t, and exit 130 / 143.
. "$(dirname "$0")/lib.sh"

if [ -n "$LICPACK_WRAP" ]; then
	# 200 applicants, each a process under valgrind: many minutes. The plain and
	# ASan+UBSan runs cover batch; a small batch was checked under valgrind by hand.
	echo "SKIPPED: batch's 200 applicants are too slow under $LICPACK_WRAP"
	exit 0
fi
# the first run does real work for 200 applicants: more than lib.sh's default;
# under ASan, beside the plain suite on a 2-CPU machine, run 1 took over 120 s
[ "$E2E_TIMEOUT" -lt 300 ] && E2E_TIMEOUT=300
# a chmod 000 folder from an earlier run would stop e2e_init's rm -rf (not as root)
[ -d "${E2E_OUT_ROOT:-tests/out/e2e}/batch" ] && find "${E2E_OUT_ROOT:-tests/out/e2e}/batch" -type d -exec chmod u+rwx {} + 2>/dev/null
e2e_init batch

TODAY="--today 2026-11-28"
SAMPLES=$E2E_ROOT/samples
ROOT=$E2E_OUT/root
OUT=$E2E_OUT/out
SOURCE_DATE_EPOCH=1764288000
export SOURCE_DATE_EPOCH
unset LICPACK_TEST_CRASH NO_COLOR

# copy a folder as hard links (fast, no space), or for real when that fails
link_copy() {
	cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2"; cp -r "$1" "$2"; }
}

now_ms() { date +%s%3N; }

# ---- the root ----
mkdir -p "$ROOT"
cp -r "$SAMPLES/icp-renewal-complete" "$ROOT/complete-001"   # real copy: touched later
i=2
while [ $i -le 109 ]; do link_copy "$SAMPLES/icp-renewal-complete" "$ROOT/complete-$(printf %03d $i)"; i=$((i + 1)); done
i=1
while [ $i -le 10 ]; do link_copy "$SAMPLES/icp-renewal-complete" "$ROOT/公司-$(printf %03d $i)"; i=$((i + 1)); done
cp -r "$SAMPLES/icp-renewal-complete" "$ROOT/quote,\"co\""
sed 's/示例科技有限公司/Acme, \\"Quoted\\" 有限公司/' "$SAMPLES/icp-renewal-complete/packet.json" >"$ROOT/quote,\"co\"/packet.json"
link_copy "$SAMPLES/icp-renewal-complete" "$ROOT/crash-001"
i=1
while [ $i -le 60 ]; do link_copy "$SAMPLES/icp-renewal-incomplete" "$ROOT/incomplete-$(printf %03d $i)"; i=$((i + 1)); done
PROTO=$E2E_OUT/proto-corrupt
(cd "$SAMPLES/icp-renewal-complete" && find . -type d) | while IFS= read -r d; do mkdir -p "$PROTO/$d"; done
(cd "$SAMPLES/icp-renewal-complete" && find . -type f ! -name packet.json) | while IFS= read -r f; do
	n=$(wc -c <"$SAMPLES/icp-renewal-complete/$f")
	head -c $((n / 2)) "$SAMPLES/icp-renewal-complete/$f" >"$PROTO/$f"
done
cp "$SAMPLES/icp-renewal-complete/packet.json" "$PROTO/packet.json"
i=1
while [ $i -le 9 ]; do link_copy "$PROTO" "$ROOT/corrupt-$(printf %03d $i)"; i=$((i + 1)); done
for i in 001 002 003 004; do
	mkdir "$ROOT/badtpl-$i"
	printf '{"template": "no-such-template"}\n' >"$ROOT/badtpl-$i/packet.json"
	ln "$SAMPLES/icp-renewal-complete/营业执照副本.jpg" "$ROOT/badtpl-$i/" 2>/dev/null ||
		cp "$SAMPLES/icp-renewal-complete/营业执照副本.jpg" "$ROOT/badtpl-$i/"
done
for i in 001 002 003; do ln -s "does-not-exist-$i" "$ROOT/broken-$i"; done
if [ "$(id -u)" = 0 ]; then
	for i in 001 002 003; do ln -s "unreadable-$i" "$ROOT/unreadable-$i"; done
else
	for i in 001 002 003; do link_copy "$SAMPLES/icp-renewal-complete" "$ROOT/unreadable-$i"; chmod 000 "$ROOT/unreadable-$i"; done
fi
link_copy "$SAMPLES/icp-renewal-complete" "$ROOT/.hidden-001"
echo "not an applicant" >"$ROOT/notes.txt"

E2E_PY_BATCH='
import csv, io, json, os, re, sys

def kind(name):
    if name == "quote,\"co\"" or name.startswith("公司-"):
        return "complete"
    return name.rsplit("-", 1)[0]

# kind -> (status, exit)
EXPECT = {"complete": ("complete", 0), "incomplete": ("incomplete", 1), "corrupt": ("incomplete", 1),
          "badtpl": ("failed", 2), "broken": ("failed", 3), "unreadable": ("failed", 3),
          "crash": ("failed", 3)}

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def rows(path):
    return {r["applicant"]: r for r in load(path)["applicants"]}

def fail(msg):
    print("FAIL:", msg)
    return 1

def fnv1a64(s):
    h = 14695981039346656037
    for b in s.encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h

def check_first(summary, csvpath, root, outdir, stderr):
    bad = 0
    doc = load(summary)
    apps = doc["applicants"]
    names = [r["applicant"] for r in apps]
    on_disk = sorted((n for n in os.listdir(root) if not n.startswith(".") and n != "notes.txt"), key=lambda s: s.encode())
    if names != on_disk:
        bad += fail("applicants %d, expected the %d folders, sorted bytewise" % (len(names), len(on_disk)))
    want = {"applicants": 200, "complete": 120, "incomplete": 69, "failed": 11, "fresh": 200, "skipped": 0}
    if doc["counts"] != want:
        bad += fail("counts %s, expected %s" % (doc["counts"], want))
    if doc["shard"] is not None or doc["interrupted"] is not False:
        bad += fail("shard/interrupted: %s %s" % (doc["shard"], doc["interrupted"]))
    for r in apps:
        k = kind(r["applicant"])
        st, ex = EXPECT[k]
        if k == "crash":
            pass
        if (r["status"], r["exit"]) != (st, ex):
            bad += fail("%s: %s exit %s, expected %s exit %s (%s)" % (r["applicant"], r["status"], r["exit"], st, ex, r["message"]))
            continue
        codes = {f["code"] for f in r["findings"]}
        errs = sum(1 for f in r["findings"] if f["severity"] == "error")
        if r["errors"] != errs or r["warnings"] != len(r["findings"]) - errs:
            bad += fail("%s: counts do not match the findings" % r["applicant"])
        if r["result"] != "fresh" or r["packet"] is not None or r["zip"] is not None:
            bad += fail("%s: result %s packet %s (check-only)" % (r["applicant"], r["result"], r["packet"]))
        if st == "failed":
            if not r["message"] or r["report"] is not None:
                bad += fail("%s: failed without a message, or with a report" % r["applicant"])
        else:
            if r["message"] is not None or r["report"] != r["applicant"] + "/report.json":
                bad += fail("%s: message %r report %r" % (r["applicant"], r["message"], r["report"]))
            elif not os.path.isfile(os.path.join(outdir, r["report"])):
                bad += fail("%s: %s is missing" % (r["applicant"], r["report"]))
        if k == "complete" and (r["errors"] or r["missing"] or r["template"] != "icp-renewal"):
            bad += fail("%s: a complete one with errors or missing materials" % r["applicant"])
        if k == "incomplete" and not r["missing"]:
            bad += fail("%s: incomplete but nothing missing" % r["applicant"])
        if k == "corrupt" and "corrupt" not in codes:
            bad += fail("%s: no corrupt finding: %s" % (r["applicant"], sorted(codes)))
        if k == "badtpl" and "no-such-template" not in r["message"]:
            bad += fail("%s: message %r" % (r["applicant"], r["message"]))
        if k in ("broken", "unreadable") and "cannot read" not in r["message"]:
            bad += fail("%s: message %r" % (r["applicant"], r["message"]))
        if k == "crash" and not r["message"].startswith("crashed: killed by signal 9"):
            bad += fail("%s: message %r" % (r["applicant"], r["message"]))
        if k == "complete" and r["applicant"].startswith("quote") and r["company"] != "Acme, \"Quoted\" 有限公司":
            bad += fail("%s: company %r" % (r["applicant"], r["company"]))
    # progress: one plain line per applicant (stderr is not a terminal)
    with open(stderr, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if re.match(r"\[\d+/200\] ", l)]
    if len(lines) != 200 or "[" + str(200) + "/200]" not in lines[-1]:
        bad += fail("%d progress lines, expected 200" % len(lines))
    for want_line in ("incomplete-001: incomplete (", "broken-001: failed: cannot read", "complete-002: complete"):
        if not any(want_line in l for l in lines):
            bad += fail("no progress line with %r" % want_line)
    bad += check_csv(csvpath, doc)
    return bad

def check_csv(path, doc):
    bad = 0
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"\xef\xbb\xbf"):
        return fail("summary.csv has no BOM")
    text = data[3:].decode("utf-8")
    if text.replace("\r\n", "").count("\n") or not text.endswith("\r\n"):
        # a bare LF may only appear inside a quoted field; none of ours has one
        bad += fail("summary.csv: a line not ended by CRLF")
    recs = list(csv.reader(io.StringIO(text, newline="")))
    head = "applicant,company,template,region,status,result,errors,warnings,missing,packet,zip,message".split(",")
    if recs[0] != head:
        bad += fail("csv header %s" % recs[0])
    by_json = {r["applicant"]: r for r in doc["applicants"]}
    if len(recs) - 1 != len(by_json):
        bad += fail("csv has %d records, json %d" % (len(recs) - 1, len(by_json)))
    for rec in recs[1:]:
        d = dict(zip(head, rec))
        j = by_json.get(d["applicant"])
        if j is None:
            bad += fail("csv applicant %r not in the json" % d["applicant"])
            continue
        for key in ("company", "template", "region", "status", "result", "packet", "zip", "message"):
            if d[key] != (j[key] or "") and not d[key].startswith("\x27"):
                bad += fail("csv %s %s %r != json %r" % (d["applicant"], key, d[key], j[key]))
        if d["missing"] != ";".join(j["missing"]) or int(d["errors"]) != j["errors"] or int(d["warnings"]) != j["warnings"]:
            bad += fail("csv %s: counts or missing differ from the json" % d["applicant"])
    names = [r[0] for r in recs[1:]]
    if "公司-001" not in names or "quote,\"co\"" not in names:
        bad += fail("csv: the Chinese or the quoted applicant name did not survive")
    if not any(r[1] == "示例科技有限公司" for r in recs[1:]) or not any(r[1] == "Acme, \"Quoted\" 有限公司" for r in recs[1:]):
        bad += fail("csv: the company names did not survive")
    return bad

def check_rerun(summary, before, fresh_expected, changed):
    """fresh_expected: names run again; changed: those whose row may differ"""
    bad = 0
    now, old = rows(summary), rows(before)
    fresh = sorted(n for n, r in now.items() if r["result"] == "fresh")
    if fresh != sorted(fresh_expected):
        bad += fail("run again: %s, expected %s" % (fresh, sorted(fresh_expected)))
    for n, r in now.items():
        if n in changed or n not in old:
            continue
        a, b = dict(r), dict(old[n])
        a.pop("result"); b.pop("result")
        if a != b:
            bad += fail("%s: the row changed on a re-run" % n)
    return bad

def check_shards(paths, n):
    bad = 0
    seen = set()
    for k, p in enumerate(paths, 1):
        doc = load(p)
        if doc["shard"] != "%d/%d" % (k, n):
            bad += fail("%s: shard %r" % (p, doc["shard"]))
        for r in doc["applicants"]:
            if fnv1a64(r["applicant"]) % n != k - 1:
                bad += fail("%s is in shard %d, FNV-1a says %d" % (r["applicant"], k, fnv1a64(r["applicant"]) % n + 1))
            if r["applicant"] in seen:
                bad += fail("%s in two shards" % r["applicant"])
            seen.add(r["applicant"])
    return bad

def check_interrupted(summary, outdir, sig):
    bad = 0
    doc = load(summary)
    if doc["interrupted"] is not True:
        bad += fail("%s: interrupted is %s" % (summary, doc["interrupted"]))
    results = sorted(d for d in os.listdir(outdir) if os.path.isfile(os.path.join(outdir, d, ".result.json")))
    names = [r["applicant"] for r in doc["applicants"]]
    if names != results:
        bad += fail("summary lists %s, result files %s" % (names, results))
    for r in doc["applicants"]:
        if r["status"] != "complete" or not r["packet"] or not os.path.isfile(os.path.join(outdir, r["packet"])):
            bad += fail("%s: %s, packet %s" % (r["applicant"], r["status"], r["packet"]))
    if doc["counts"]["applicants"] >= 40:
        bad += fail("%s: every applicant finished: the signal came too late to test anything" % sig)
    return bad

cmd = sys.argv[1]
if cmd == "first":
    sys.exit(1 if check_first(*sys.argv[2:]) else 0)
if cmd == "rerun":
    sys.exit(1 if check_rerun(sys.argv[2], sys.argv[3], sys.argv[4].split(), sys.argv[5].split()) else 0)
if cmd == "shards":
    sys.exit(1 if check_shards(sys.argv[3:], int(sys.argv[2])) else 0)
if cmd == "interrupted":
    sys.exit(1 if check_interrupted(*sys.argv[2:]) else 0)
if cmd == "csv":
    sys.exit(1 if check_csv(sys.argv[2], load(sys.argv[3])) else 0)
if cmd == "allfresh":
    c = load(sys.argv[2])["counts"]
    sys.exit(0 if c["applicants"] > 0 and c["fresh"] == c["applicants"] else fail("counts %s" % c))
if cmd == "status":
    r = rows(sys.argv[2])[sys.argv[3]]
    print(r["status"], r["exit"], r["result"])
'
py() { python3 -c "$E2E_PY_BATCH" "$@"; }

# failed with exit 3 (I/O, crash): run again every time
RETRIED="broken-001 broken-002 broken-003 unreadable-001 unreadable-002 unreadable-003"

# ---- run 1: 200 applicants, check only, 2 at once; one child crashes ----
mkdir -p "$E2E_OUT/run1"
LICPACK_TEST_CRASH=crash-001
export LICPACK_TEST_CRASH
run_licpack "$E2E_OUT/run1" batch "$ROOT" -o "$OUT" --check-only -j 2 $TODAY
unset LICPACK_TEST_CRASH
same_exit "run 1 (failed wins)" 3 "$RC"
printf '%s\n%s\n%s\n' "$OUT/summary.csv" "$OUT/summary.json" "$OUT/index.html" >"$E2E_OUT/run1/expected-stdout"
same_text "run 1 stdout: the summary paths and nothing else" "$E2E_OUT/run1/expected-stdout" "$E2E_OUT/run1/stdout"
py first "$OUT/summary.json" "$OUT/summary.csv" "$ROOT" "$OUT" "$E2E_OUT/run1/stderr" || e2e_fail "run 1 summary"
cp "$OUT/summary.json" "$E2E_OUT/run1/summary.json"
# the CSV as a spreadsheet reads it: LibreOffice turns it into xlsx and back,
# and the Chinese company names must come through intact
if command -v libreoffice >/dev/null 2>&1; then
	lo=$E2E_OUT/lo; mkdir -p "$lo"
	HOME=$E2E_ROOT/$lo timeout 120 libreoffice --headless --infilter=CSV:44,34,76 --convert-to xlsx --outdir "$lo" "$OUT/summary.csv" >"$lo/log" 2>&1 &&
		HOME=$E2E_ROOT/$lo timeout 120 libreoffice --headless --convert-to csv:"Text - txt - csv (StarCalc)":44,34,76 \
			--outdir "$lo/back" "$lo/summary.xlsx" >>"$lo/log" 2>&1 ||
		e2e_fail "libreoffice could not convert summary.csv to xlsx and back (see $lo/log)"
	python3 - "$OUT/summary.csv" "$lo/back/summary.csv" <<'PY' || e2e_fail "summary.csv through LibreOffice: Chinese not intact"
import csv, sys
a = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
b = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig", newline="")))
col = a[0].index("company")
names_a = sorted(r[col] for r in a[1:] if r[col])
names_b = sorted(r[col] for r in b[1:] if r[col])
if len(a) != len(b) or names_a != names_b or not any(ord(c) > 0x4e00 for n in names_b for c in n):
    sys.exit(f"rows {len(a)} vs {len(b)}; company names differ: {names_a[:3]} vs {names_b[:3]}")
PY
else
	echo "SKIPPED: libreoffice is not installed: the xlsx conversion of summary.csv was not tried"
fi
held=$(cd "$OUT/complete-002" && LC_ALL=C ls -A | tr '\n' ' ')
[ "$held" = ".licpack .result.json report.html report.json report.txt " ] || e2e_fail "run 1: OUTDIR/complete-002 holds $held"
[ ! -e "$OUT/.hidden-001" ] && [ ! -e "$OUT/notes.txt" ] || e2e_fail "run 1: a hidden folder or a file was taken for an applicant"

# ---- run 2: nothing changed: only the exit-3 failures run again (the crash one now passes) ----
mkdir -p "$E2E_OUT/run2"
t0=$(now_ms)
run_licpack "$E2E_OUT/run2" batch "$ROOT" -o "$OUT" --check-only -j 2 $TODAY
t1=$(now_ms)
same_exit "run 2" 3 "$RC"
py rerun "$OUT/summary.json" "$E2E_OUT/run1/summary.json" "$RETRIED crash-001" "$RETRIED crash-001" || e2e_fail "run 2 skips"
[ "$(py status "$OUT/summary.json" crash-001)" = "complete 0 fresh" ] || e2e_fail "run 2: crash-001 is $(py status "$OUT/summary.json" crash-001)"
[ $((t1 - t0)) -lt 5000 ] || e2e_fail "run 2 took $((t1 - t0)) ms for 7 applicants and 193 up to date"
grep -q '^\[[0-9]*/200\] complete-002: complete (skipped: up to date)$' "$E2E_OUT/run2/stderr" || e2e_fail "run 2: no 'skipped: up to date' line"
cp "$OUT/summary.json" "$E2E_OUT/run2/summary.json"

# ---- run 3: one file touched, one packet.json fixed: those two run again ----
mkdir -p "$E2E_OUT/run3"
sleep 0.01
touch "$ROOT/complete-001/营业执照副本.jpg"
printf '{"template": "icp-renewal"}\n' >"$ROOT/badtpl-001/packet.json"
run_licpack "$E2E_OUT/run3" batch "$ROOT" -o "$OUT" --check-only -j 2 $TODAY
same_exit "run 3" 3 "$RC"
py rerun "$OUT/summary.json" "$E2E_OUT/run2/summary.json" "$RETRIED complete-001 badtpl-001" "$RETRIED badtpl-001" || e2e_fail "run 3 re-runs"
[ "$(py status "$OUT/summary.json" badtpl-001)" = "incomplete 1 fresh" ] || e2e_fail "run 3: badtpl-001 is $(py status "$OUT/summary.json" badtpl-001)"
# other options (here --today): nothing is up to date; then back as it was
mkdir -p "$E2E_OUT/run3b"
run_licpack "$E2E_OUT/run3b" batch "$ROOT" -o "$OUT" --check-only -j 2 --today 2026-11-29 --shard 1/40 -q
py allfresh "$OUT/summary-1-of-40.json" || e2e_fail "another --today: applicants still skipped"
run_licpack "$E2E_OUT/run3b" batch "$ROOT" -o "$OUT" --check-only -j 2 $TODAY --shard 1/40 -q
rm -f "$OUT"/summary-1-of-40.*

# ---- shards: 1/3 + 2/3 + 3/3 merged == one run (no --force: mostly up to date) ----
mkdir -p "$E2E_OUT/shards"
for k in 1 2 3; do
	run_licpack "$E2E_OUT/shards" batch "$ROOT" -o "$OUT" --check-only -j 2 $TODAY --shard $k/3 -q
	same_exit "shard $k/3" 3 "$RC"
done
py shards 3 "$OUT/summary-1-of-3.json" "$OUT/summary-2-of-3.json" "$OUT/summary-3-of-3.json" || e2e_fail "shard membership"
run_licpack "$E2E_OUT/shards" batch-merge "$OUT" -o "$E2E_OUT/merged"
same_exit "batch-merge" 3 "$RC"
run_licpack "$E2E_OUT/shards" batch "$ROOT" -o "$OUT" --check-only -j 2 $TODAY -q
cmp "$OUT/summary.json" "$E2E_OUT/merged/summary.json" || e2e_fail "merged summary.json differs from one run's"
cmp "$OUT/summary.csv" "$E2E_OUT/merged/summary.csv" || e2e_fail "merged summary.csv differs from one run's"
run_licpack "$E2E_OUT/shards" batch-merge "$OUT/summary-1-of-3.json" "$OUT/summary-1-of-3.json" -o "$E2E_OUT/merged2"
same_exit "batch-merge of one shard twice" 2 "$RC"
grep -q "does not fit" "$E2E_OUT/shards/stderr" || e2e_fail "batch-merge of one shard twice: $(cat "$E2E_OUT/shards/stderr")"

# ---- shards with real work: a small root, --force, each shard in its own OUTDIR ----
ROOT2=$E2E_OUT/root2
mkdir -p "$ROOT2" "$E2E_OUT/force"
for n in complete-001 complete-002 complete-003 公司-001 incomplete-001 incomplete-002 incomplete-003 corrupt-001 badtpl-002 broken-001 'quote,"co"'; do
	cp -P -r "$ROOT/$n" "$ROOT2/$n" 2>/dev/null || link_copy "$ROOT/$n" "$ROOT2/$n"
done
i=10
while [ $i -le 22 ]; do link_copy "$SAMPLES/icp-renewal-incomplete" "$ROOT2/i$i"; i=$((i + 1)); done
run_licpack "$E2E_OUT/force" batch "$ROOT2" -o "$E2E_OUT/force/full" --check-only -j 2 $TODAY -q --force
for k in 1 2 3; do
	run_licpack "$E2E_OUT/force" batch "$ROOT2" -o "$E2E_OUT/force/s$k" --check-only -j 2 $TODAY -q --force --shard $k/3
done
run_licpack "$E2E_OUT/force" batch-merge "$E2E_OUT/force/s1" "$E2E_OUT/force/s2" "$E2E_OUT/force/s3"
same_exit "batch-merge of three folders" 3 "$RC"
cmp "$E2E_OUT/force/full/summary.json" "$E2E_OUT/force/s1/summary.json" || e2e_fail "forced shards: merged summary.json differs from one run's"
cmp "$E2E_OUT/force/full/summary.csv" "$E2E_OUT/force/s1/summary.csv" || e2e_fail "forced shards: merged summary.csv differs from one run's"

# ---- batch writes what build writes ----
ROOT4=$E2E_OUT/root4
mkdir -p "$ROOT4" "$E2E_OUT/same"
link_copy "$SAMPLES/icp-renewal-complete" "$ROOT4/c1"
link_copy "$SAMPLES/icp-renewal-incomplete" "$ROOT4/i1"
run_licpack "$E2E_OUT/same" batch "$ROOT4" -o "$E2E_OUT/same/batch" -j 2 $TODAY --allow-incomplete -q
same_exit "batch --allow-incomplete" 1 "$RC"
run_licpack "$E2E_OUT/same" build "$ROOT4/c1" -o "$E2E_OUT/same/c1" $TODAY
run_licpack "$E2E_OUT/same" build "$ROOT4/i1" -o "$E2E_OUT/same/i1" $TODAY --allow-incomplete
for n in c1 i1; do
	for f in "$n.pdf" "$n.zip" manifest.json report.json report.txt; do
		cmp "$E2E_OUT/same/batch/$n/$f" "$E2E_OUT/same/$n/$f" || e2e_fail "batch's $n/$f differs from build's"
	done
done

# ---- little things: usage, an empty root, OUTDIR inside ROOT ----
mkdir -p "$E2E_OUT/misc" "$E2E_OUT/empty"
run_licpack "$E2E_OUT/misc" batch "$ROOT4"
same_exit "no -o" 2 "$RC"
grep -q "no output folder" "$E2E_OUT/misc/stderr" || e2e_fail "no -o: $(cat "$E2E_OUT/misc/stderr")"
for bad in "--shard 0/3" "--shard 4/3" "--shard 3" "-j 0" "--zip-names x"; do
	# shellcheck disable=SC2086
	run_licpack "$E2E_OUT/misc" batch "$ROOT4" -o "$E2E_OUT/misc/o" $bad
	same_exit "batch $bad" 2 "$RC"
done
run_licpack "$E2E_OUT/misc" batch "$E2E_OUT/nonexistent" -o "$E2E_OUT/misc/o"
same_exit "ROOT missing" 3 "$RC"
run_licpack "$E2E_OUT/misc" batch "$E2E_OUT/empty" -o "$E2E_OUT/misc/empty-out"
same_exit "empty ROOT" 0 "$RC"
printf '\357\273\277applicant,company,template,region,status,result,errors,warnings,missing,packet,zip,message\r\n' >"$E2E_OUT/misc/empty.csv"
same_text "empty ROOT's summary.csv" "$E2E_OUT/misc/empty.csv" "$E2E_OUT/misc/empty-out/summary.csv"
ROOT5=$E2E_OUT/root5
mkdir -p "$ROOT5"
link_copy "$SAMPLES/icp-renewal-complete" "$ROOT5/c1"
run_licpack "$E2E_OUT/misc" batch "$ROOT5" -o "$ROOT5/out" --check-only
same_exit "OUTDIR inside ROOT" 0 "$RC"
grep -q "skipping 'out': it holds the output folder" "$E2E_OUT/misc/stderr" || e2e_fail "OUTDIR inside ROOT: $(cat "$E2E_OUT/misc/stderr")"
run_licpack "$E2E_OUT/misc" batch "$ROOT5" -o "$ROOT5" --check-only
same_exit "OUTDIR = ROOT" 2 "$RC"

# ---- signals in the middle of a build: nothing half-written ----
no_partial() { # label outdir
	_bad=$(find "$2" -name '.licpack-tmp.*' -print)
	[ -z "$_bad" ] || e2e_fail "$1: temporary files left: $_bad"
	find "$2" -name '*.pdf' | while IFS= read -r f; do
		qpdf --check "$f" >/dev/null 2>&1 || echo "$f"
	done >"$E2E_OUT/sig/bad-pdf"
	[ -s "$E2E_OUT/sig/bad-pdf" ] && e2e_fail "$1: PDF that fails qpdf --check: $(cat "$E2E_OUT/sig/bad-pdf")"
	find "$2" -name '*.zip' | while IFS= read -r f; do
		unzip -tq "$f" >/dev/null 2>&1 || echo "$f"
	done >"$E2E_OUT/sig/bad-zip"
	[ -s "$E2E_OUT/sig/bad-zip" ] && e2e_fail "$1: zip that fails unzip -t: $(cat "$E2E_OUT/sig/bad-zip")"
}
if ! command -v qpdf >/dev/null || ! command -v unzip >/dev/null; then
	e2e_fail "qpdf and unzip are needed (make deps-test)"
else
	ROOT3=$E2E_OUT/root3
	mkdir -p "$ROOT3" "$E2E_OUT/sig"
	i=1
	while [ $i -le 40 ]; do link_copy "$SAMPLES/icp-renewal-complete" "$ROOT3/c$(printf %02d $i)"; i=$((i + 1)); done
	# SIGINT to the whole process group, as a terminal's ^C
	timeout --preserve-status -s INT 1 "$LICPACK" batch "$ROOT3" -o "$E2E_OUT/sig/out" -j 2 $TODAY \
		>"$E2E_OUT/sig/stdout" 2>"$E2E_OUT/sig/stderr"
	same_exit "SIGINT" 130 "$?"
	grep -q "stopped by SIGINT" "$E2E_OUT/sig/stderr" || e2e_fail "SIGINT: $(tail -3 "$E2E_OUT/sig/stderr")"
	no_partial "SIGINT" "$E2E_OUT/sig/out"
	py interrupted "$E2E_OUT/sig/out/summary.json" "$E2E_OUT/sig/out" SIGINT || e2e_fail "SIGINT summary"
	# SIGTERM to the parent alone: it passes it on to its children
	"$LICPACK" batch "$ROOT3" -o "$E2E_OUT/sig/out2" -j 2 $TODAY >"$E2E_OUT/sig/stdout2" 2>"$E2E_OUT/sig/stderr2" &
	pid=$!
	sleep 1
	kill -TERM "$pid"
	wait "$pid"
	same_exit "SIGTERM" 143 "$?"
	grep -q "stopped by SIGTERM" "$E2E_OUT/sig/stderr2" || e2e_fail "SIGTERM: $(tail -3 "$E2E_OUT/sig/stderr2")"
	no_partial "SIGTERM" "$E2E_OUT/sig/out2"
	py interrupted "$E2E_OUT/sig/out2/summary.json" "$E2E_OUT/sig/out2" SIGTERM || e2e_fail "SIGTERM summary"
	# (licpack processes only: the checks above ran qpdf on the same paths)
	ps -eo args | grep -F "$E2E_OUT/sig/out2" | grep -F " batch " | grep -v grep && e2e_fail "SIGTERM: a child outlived the batch"
fi

# leave nothing that the next e2e_init cannot remove
# directories only: the files are hard links to samples/, whose modes must not change
find "$E2E_OUT" -type d -exec chmod u+rwx {} + 2>/dev/null
e2e_finish
