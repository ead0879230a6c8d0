#!/bin/sh
# bench.sh — the benchmark behind `make bench` (SPEC §9, issue 8).
#
# Generates its inputs once (tests/bench/gen.c; nothing is downloaded) into
# $BENCH_DIR/data, then measures, all in this one run so that the ratios
# compare like with like on whatever else the machine is doing:
#   1. licpack build of 12 colour A4 300-dpi JPEG scans, against
#      img2pdf + zip -0 of the same files;
#   2. the same for 6 grey A4 300-dpi PNG scans;
#   3. licpack check, licpack build --sync and licpack build --no-thumbnails
#      (what report.html's thumbnails cost), against licpack build of
#      the 12-scan folder; licpack check against sha256sum of its files
#      (issue 16 item 3: check reads and judges no slower than a hash);
#   4. the peak memory (GNU time's maximum resident set size) of licpack
#      build of a 50-scan JPEG folder;
#   5. licpack batch --check-only -j1 against -j2 on 200 applicants, when
#      this licpack has a batch command; beside it, what the machine gives
#      two processes at once at that moment (one CPU-bound task twice, in
#      turn and together), the best -j2 can do there.
#   6. reading the scans (issue 12): a cold check of the 12-scan folder
#      (reading on, no cache) against the tesseract command line over the
#      same pages, one after the other; a warm re-check (every read
#      cached) against check --no-read; peak memory of the cold check.
#      The rows before read nothing (LICPACK_NO_READ=1), as before.
#      BENCH_ONLY=read runs these rows alone; BENCH_ONLY=noread all but
#      these (they take most of the run: tesseract's command line over 12
#      pages, cold, several times).
# Timings are wall-clock medians over BENCH_ROUNDS rounds (default 4) of
# BENCH_RUNS hyperfine runs per command (default 3); the commands of a
# comparison alternate from round to round (A B, then B A, ...), so that a
# slow spell of the machine hits both. The batch comparison uses
# BENCH_BATCH_ROUNDS (default 2). Peak memory is the median of 3 runs.
#
# Prints the table and writes it to $BENCH_DIR/results.md (with the raw
# hyperfine JSON in $BENCH_DIR/raw), and the README's section (table and
# command) to /tmp/bench-README-section.md. Exit status 0 when every
# measurement ran, whether or not the targets were met; 1 on a failure.
#
# Run from the repository root by `make bench`, which builds ./licpack and
# build/bench/gen first and installs hyperfine, img2pdf, zip and time.
set -eu
cd "$(dirname "$0")/../.." || exit 1

BENCH_DIR=${BENCH_DIR:-bench}
ROUNDS=${BENCH_ROUNDS:-4}
RUNS=${BENCH_RUNS:-3}
BATCH_ROUNDS=${BENCH_BATCH_ROUNDS:-2}
LICPACK=$(pwd)/licpack
ONLY=${BENCH_ONLY:-}
# every row but the reading ones measures licpack without reading
LICPACK_NO_READ=1
export LICPACK_NO_READ
GEN=$(pwd)/build/bench/gen
TODAY=2026-11-28
DATA=$BENCH_DIR/data
OUT=$BENCH_DIR/out
RAW=$BENCH_DIR/raw
README_SECTION=/tmp/bench-README-section.md

for t in hyperfine img2pdf zip python3 /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: '$t' not found (make deps-bench)" >&2; exit 1; }
done
[ -x "$LICPACK" ] && [ -x "$GEN" ] || { echo "bench: build ./licpack and build/bench/gen first (make bench)" >&2; exit 1; }

mkdir -p "$DATA" "$OUT" "$RAW"
DATA=$(cd "$DATA" && pwd)
OUT=$(cd "$OUT" && pwd)
RAW=$(cd "$RAW" && pwd)
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
rm -f "$RAW"/*.json "$RAW"/*.mem "$RAW"/hyperfine.log

# ---- inputs -------------------------------------------------------------

# The generator's version: inputs made by another version are made again.
STAMP="gen $(cksum <tests/bench/gen.c | cut -d' ' -f1) layout 1"

PACKET_JSON='{
  "template": "icp-renewal",
  "company": {"name": "示例科技有限公司", "uscc": "91350200776049653A"},
  "legal_rep": {"name": "张三", "id_number": "11010519491231002X", "id_expiry": "2035-06-30"},
  "licence": {"number": "浙B2-20080101", "expiry": "2027-04-30"},
  "domains": [{"name": "example.com", "expiry": "2028-05-01"}]
}'

# The ten required materials of icp-renewal, one file each.
REQUIRED="营业执照副本 身份证人像面 身份证国徽面 域名证书_example.com 依法经营承诺书 服务器托管协议 ICP备案截图 续期申请表 股东会决议 许可证_p1"

# gen_set DIR KIND NAMES... -- KIND: jpeg | png-grey | jpeg200 (A4 at 200 dpi)
gen_set() {
	dir=$1 kind=$2
	shift 2
	[ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$STAMP" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir"
	printf '%s\n' "$PACKET_JSON" >"$dir/packet.json"
	v=0
	for n in "$@"; do
		v=$((v + 1))
		case $kind in
		jpeg) "$GEN" jpeg "$dir/$n.jpg" --variant "$v" & ;;
		jpeg200) "$GEN" jpeg "$dir/$n.jpg" --variant "$((v + 500))" --size 1654x2339 --dpi 200 --quality 75 & ;;
		png-grey) "$GEN" png "$dir/$n.png" --grey --variant "$((v + 100))" & ;;
		esac
		# two at a time: as many as most machines have cores
		[ $((v % 2)) -eq 0 ] && wait
	done
	wait
	echo "$STAMP" >"$dir/.stamp"
}

echo "bench: generating inputs in $DATA (once; kept for the next run)" >&2
gen_set "$DATA/jpeg12" jpeg $REQUIRED 许可证_p2 企业信用信息公示截图
HAVE_BATCH=0
if [ "$ONLY" != read ]; then
gen_set "$DATA/png6" png-grey 营业执照副本 续期申请表 许可证_p1 股东会决议 依法经营承诺书 服务器托管协议
JPEG50=$(for i in $(seq 2 40); do printf '许可证_p%d ' "$i"; done)
gen_set "$DATA/jpeg50" jpeg $REQUIRED 企业信用信息公示截图 $JPEG50
fi

if [ "$ONLY" != read ] && "$LICPACK" batch --help >/dev/null 2>&1; then
	HAVE_BATCH=1
	gen_set "$DATA/pool200" jpeg200 $REQUIRED
	if ! [ -f "$DATA/batch/.stamp" ] || [ "$(cat "$DATA/batch/.stamp")" != "$STAMP" ]; then
		rm -rf "$DATA/batch"
		mkdir -p "$DATA/batch"
		# 200 applicants, each the ten files (hard links into one pool:
		# a check reads them all the same, and the disk holds one copy)
		for i in $(seq -w 1 200); do
			mkdir "$DATA/batch/applicant-$i"
			for f in "$DATA/pool200"/*; do
				ln "$f" "$DATA/batch/applicant-$i/" 2>/dev/null || cp "$f" "$DATA/batch/applicant-$i/"
			done
		done
		echo "$STAMP" >"$DATA/batch/.stamp"
	fi
fi

# ---- the commands ---------------------------------------------------------

q() { printf "'%s'" "$1"; } # quote a path for the shell hyperfine runs

lp_build() { # SET -> a licpack build of data/SET into out/SET
	echo "$(q "$LICPACK") build $(q "$DATA/$1") -o $(q "$OUT/$1") --today $TODAY --allow-incomplete >/dev/null"
}
lp_sync() { # a build that flushes every output to disk (--sync)
	echo "$(q "$LICPACK") build $(q "$DATA/$1") -o $(q "$OUT/$1-sync") --today $TODAY --allow-incomplete --sync >/dev/null"
}
lp_nothumbs() { # a build whose report.html has no thumbnails
	echo "$(q "$LICPACK") build $(q "$DATA/$1") -o $(q "$OUT/$1-nothumbs") --today $TODAY --allow-incomplete --no-thumbnails >/dev/null"
}
lp_noupload() { # a build without the upload folder
	echo "$(q "$LICPACK") build $(q "$DATA/$1") -o $(q "$OUT/$1-noupload") --today $TODAY --allow-incomplete --no-upload >/dev/null"
}
lp_check() {
	echo "$(q "$LICPACK") check $(q "$DATA/$1") --today $TODAY >/dev/null"
}
ref() { # SET EXT -> img2pdf + zip -0 of the same files
	echo "rm -f $(q "$OUT/ref-$1.zip") && img2pdf $(q "$DATA/$1")/*.$2 -o $(q "$OUT/ref-$1.pdf") && zip -q -0 -j $(q "$OUT/ref-$1.zip") $(q "$DATA/$1")/*.$2"
}
sha() { # SET EXT -> sha256sum of the same files
	echo "sha256sum $(q "$DATA/$1")/*.$2 >/dev/null"
}
lp_read() { # SET CACHE-OPTION -> a check that reads (cold: --no-cache)
	echo "LICPACK_NO_READ= $(q "$LICPACK") check $(q "$DATA/$1") --today $TODAY $2 >/dev/null"
}
lp_noread() {
	echo "$(q "$LICPACK") check $(q "$DATA/$1") --today $TODAY --no-read >/dev/null"
}
tess() { # SET EXT -> the tesseract command line over the same pages
	echo "for f in $(q "$DATA/$1")/*.$2; do tesseract \"\$f\" - -l chi_sim+eng >/dev/null 2>&1; done"
}
batch() { # JOBS
	echo "$(q "$LICPACK") batch $(q "$DATA/batch") -o $(q "$OUT/batch-j$1") -j $1 --check-only -q >/dev/null 2>&1"
}

# Each command once, outside the timing: it must work, and its outputs
# must be there (licpack exits 1 for an incomplete folder built anyway).
sanity() { # LABEL COMMAND
	set +e
	sh -c "$2"
	rc=$?
	set -e
	if [ "$rc" -gt 1 ]; then
		echo "bench: '$1' failed (exit $rc): $2" >&2
		exit 1
	fi
}
if [ "$ONLY" != read ]; then
sanity "licpack build jpeg12" "$(lp_build jpeg12)"
[ -s "$OUT/jpeg12/jpeg12.pdf" ] && [ -s "$OUT/jpeg12/jpeg12.zip" ] || { echo "bench: no packet for jpeg12" >&2; exit 1; }
sanity "licpack build png6" "$(lp_build png6)"
[ -s "$OUT/png6/png6.pdf" ] || { echo "bench: no packet for png6" >&2; exit 1; }
sanity "licpack check jpeg12" "$(lp_check jpeg12)"
sanity "licpack build --sync jpeg12" "$(lp_sync jpeg12)"
sanity "img2pdf + zip jpeg12" "$(ref jpeg12 jpg)"
sanity "img2pdf + zip png6" "$(ref png6 png)"
if [ "$HAVE_BATCH" = 1 ]; then
	rm -rf "$OUT/batch-j1" "$OUT/batch-j2"
	sanity "licpack batch" "$(batch 2)"
	[ -s "$OUT/batch-j2/summary.csv" ] || { echo "bench: batch wrote no summary.csv" >&2; exit 1; }
fi
fi
if [ "$ONLY" = noread ]; then
	echo "bench: BENCH_ONLY=noread: the reading rows are left out" >&2
	READCACHE=
elif command -v tesseract >/dev/null 2>&1; then
	READCACHE=$OUT/readcache
	rm -rf "$READCACHE"
	sanity "licpack check, reading" "$(lp_read jpeg12 "--cache $(q "$READCACHE")")"
	sanity "tesseract" "$(tess jpeg12 jpg)"
else
	echo "bench: tesseract not found: the reading rows are left out (make deps)" >&2
	READCACHE=
fi

# compare GROUP FIRST LAST NAME1 CMD1 NAME2 CMD2 [PREPARE1 PREPARE2]
# Rounds FIRST to LAST of a comparison: odd rounds run 1 then 2, even ones
# 2 then 1; the first round of all warms up first. Raw times go to
# $RAW/GROUP-ROUND.json. WARMUP (default 1): warm-up runs before round 1.
compare() {
	group=$1 r=$2 last=$3 n1=$4 c1=$5 n2=$6 c2=$7 p1=${8:-true} p2=${9:-true}
	while [ "$r" -le "$last" ]; do
		warm=0
		[ "$r" = 1 ] && warm=${WARMUP:-1}
		echo "bench: $group, round $r" >&2
		if [ $((r % 2)) -eq 1 ]; then
			hyperfine --style none -i --warmup "$warm" --runs "$RUNS" --export-json "$RAW/$group-$r.json" \
				--prepare "$p1" -n "$n1" "$c1" --prepare "$p2" -n "$n2" "$c2" >/dev/null 2>>"$RAW/hyperfine.log"
		else
			hyperfine --style none -i --warmup "$warm" --runs "$RUNS" --export-json "$RAW/$group-$r.json" \
				--prepare "$p2" -n "$n2" "$c2" --prepare "$p1" -n "$n1" "$c1" >/dev/null 2>>"$RAW/hyperfine.log"
		fi
		r=$((r + 1))
	done
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

if [ -n "$READCACHE" ]; then
	compare readcold 1 "$ROUNDS" "licpack check, reading" "$(lp_read jpeg12 --no-cache)" \
		"tesseract, page by page" "$(tess jpeg12 jpg)"
	compare readwarm 1 "$ROUNDS" "licpack check, reads cached" "$(lp_read jpeg12 "--cache $(q "$READCACHE")")" \
		"licpack check --no-read" "$(lp_noread jpeg12)"
	for i in 1 2 3; do
		echo "bench: peak memory of a cold read, run $i of 3" >&2
		/usr/bin/time -f '%M' -o "$RAW/read12-$i.mem" sh -c "$(lp_read jpeg12 --no-cache)" || [ $? -le 1 ]
	done
fi
if [ "$ONLY" != read ]; then
compare jpeg12 1 "$ROUNDS" "licpack build" "$(lp_build jpeg12)" "img2pdf + zip -0" "$(ref jpeg12 jpg)"
compare png6 1 "$ROUNDS" "licpack build" "$(lp_build png6)" "img2pdf + zip -0" "$(ref png6 png)"
compare checkbuild 1 "$ROUNDS" "licpack check" "$(lp_check jpeg12)" "licpack build" "$(lp_build jpeg12)"
compare checksha 1 "$ROUNDS" "licpack check" "$(lp_check jpeg12)" "sha256sum" "$(sha jpeg12 jpg)"
compare sync 1 "$ROUNDS" "licpack build --sync" "$(lp_sync jpeg12)" "licpack build" "$(lp_build jpeg12)"
compare thumbs 1 "$ROUNDS" "licpack build" "$(lp_build jpeg12)" "licpack build --no-thumbnails" "$(lp_nothumbs jpeg12)"
compare upload 1 "$ROUNDS" "licpack build" "$(lp_build jpeg12)" "licpack build --no-upload" "$(lp_noupload jpeg12)"
if [ "$HAVE_BATCH" = 1 ]; then
	# What the machine gives two processes at once right now: the same
	# CPU-bound task (drawing one page) twice, one after the other and
	# together. -j2 cannot beat this speed-up; other work on the machine
	# lowers it.
	ONE="$(q "$GEN") jpeg /dev/null --variant 1"
	calib_one="$ONE && $ONE"
	calib_two="$ONE & $ONE; wait"
	RUNS_SAVED=$RUNS
	br=1
	while [ "$br" -le "$BATCH_ROUNDS" ]; do
		RUNS=3
		compare calib "$br" "$br" "two pages one after the other" "$calib_one" "two pages at once" "$calib_two"
		RUNS=1
		# no warm-up: the sanity run above has read every file once
		WARMUP=0 compare batch "$br" "$br" "batch -j1" "$(batch 1)" "batch -j2" "$(batch 2)" \
			"rm -rf '$OUT/batch-j1'" "rm -rf '$OUT/batch-j2'"
		br=$((br + 1))
	done
	RUNS=$RUNS_SAVED
fi

# Peak memory: GNU time's maximum resident set size, three runs.
for i in 1 2 3; do
	echo "bench: peak memory, run $i of 3" >&2
	/usr/bin/time -f '%M' -o "$RAW/jpeg50-build-$i.mem" sh -c "exec $(lp_build jpeg50)" || [ $? -le 1 ]
	/usr/bin/time -f '%M' -o "$RAW/jpeg50-ref-$i.mem" sh -c "$(ref jpeg50 jpg)"
done
[ -s "$OUT/jpeg50/jpeg50.pdf" ] || { echo "bench: no packet for jpeg50" >&2; exit 1; }
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
# what the table says of them is taken before they go
REPORT_BYTES=$(stat -c %s "$OUT/jpeg12/report.html" 2>/dev/null || echo 0)
# the packets and PDFs made (about 0.5 GB) are not kept; the inputs are
rm -rf "$OUT"

# ---- the table ------------------------------------------------------------

export RAW DATA OUT BENCH_DIR README_SECTION HAVE_BATCH LOAD_BEFORE LOAD_AFTER ROUNDS RUNS BATCH_ROUNDS REPORT_BYTES
python3 - <<'PY'
import glob, json, os, platform, statistics, subprocess

raw = os.environ["RAW"]
data = os.environ["DATA"]

def runs(group):
    """command -> (wall times of every run, CPU seconds (user + system) of every run)"""
    out = {}
    for path in sorted(glob.glob(os.path.join(raw, group + "-*.json"))):
        for r in json.load(open(path))["results"]:
            t, c = out.setdefault(r["command"], ([], []))
            t.extend(r["times"])
            # hyperfine reports CPU time as a mean over the runs of one call
            c.extend([r["user"] + r["system"]] * len(r["times"]))
    return out

def med(group, name):
    t, c = runs(group)[name]
    return statistics.median(t), statistics.mean(c), len(t)

def mem(prefix):
    v = [int(open(p).read().split()[-1]) for p in sorted(glob.glob(os.path.join(raw, prefix + "-*.mem")))]
    return statistics.median(v) / 1024.0 if v else None  # MiB

def size(d, ext):
    files = [f for f in glob.glob(os.path.join(data, d, "*." + ext))]
    return len(files), sum(os.path.getsize(f) for f in files) / 1e6

def secs(x):
    return "%.3f s" % x

# (what, name a, wall a, cpu a, name b, wall b, cpu b, wall ratio, cpu ratio, target, met)
rows = []
def timed(what, group, a, b, target, ok, invert=False):
    if not runs(group):  # not measured in this run (BENCH_ONLY, no tesseract)
        return
    wa, ca, _ = med(group, a)
    wb, cb, _ = med(group, b)
    if invert:  # a speed-up: b's time over a's
        rw, rc = wb / wa, cb / ca
    else:
        rw, rc = wa / wb, ca / cb
    rows.append((what, a, secs(wa), secs(ca), b, secs(wb), secs(cb), "%.2fx" % rw, "%.2fx" % rc,
                 target, ok(rw)))

n, mb = size("jpeg12", "jpg")
timed("build, %d colour A4 300-dpi JPEG scans (%.1f MB)" % (n, mb), "jpeg12", "licpack build",
      "img2pdf + zip -0", "<= 0.3x", lambda r: r <= 0.3)
n, mb = size("png6", "png")
timed("build, %d grey A4 300-dpi PNG scans (%.1f MB)" % (n, mb), "png6", "licpack build",
      "img2pdf + zip -0", "<= 0.25x", lambda r: r <= 0.25)
n, mb = size("jpeg12", "jpg")
timed("reading, cold: check of the %d JPEG scans, every page read (no cache)" % n, "readcold",
      "licpack check, reading", "tesseract, page by page", "<= 0.5x", lambda r: r <= 0.5)
timed("reading, warm: the same check again, every read cached", "readwarm",
      "licpack check, reads cached", "licpack check --no-read", "<= 1.5x", lambda r: r <= 1.5)
timed("check against build, the %d JPEG scans" % n, "checkbuild", "licpack check", "licpack build",
      "<= 0.2x", lambda r: r <= 0.2)
timed("check against sha256sum of the same %d JPEG scans" % n, "checksha", "licpack check", "sha256sum",
      "<= 1.0x", lambda r: r <= 1.0)
timed("what --sync costs: build of the %d JPEG scans, every output flushed to disk" % n, "sync",
      "licpack build --sync", "licpack build", "", lambda r: True)
if runs("thumbs"):
    timed("what report.html's thumbnails cost: build of the %d JPEG scans (report.html %.0f KB)"
          % (n, int(os.environ["REPORT_BYTES"]) / 1024), "thumbs",
          "licpack build", "licpack build --no-thumbnails", "<= 1.15x", lambda r: r <= 1.15)
if runs("upload"):
    timed("what upload/ costs: build of the %d JPEG scans, none of which needs fitting (issue 14)" % n, "upload",
          "licpack build", "licpack build --no-upload", "<= 1.25x", lambda r: r <= 1.25)
parallel = ""
if os.environ["HAVE_BATCH"] == "1" and runs("batch"):
    timed("batch --check-only, 200 applicants of 10 A4 200-dpi scans (speed-up)", "batch",
          "batch -j2", "batch -j1", ">= 1.8x", lambda r: r >= 1.8, invert=True)
    timed("the machine: two CPU-bound processes at once (what -j2 can reach at best)", "calib",
          "two pages at once", "two pages one after the other", "", lambda r: True, invert=True)
    w1, c1, _ = med("batch", "batch -j1")
    w2, c2, _ = med("batch", "batch -j2")
    ncpu = os.cpu_count() or 1
    parallel = ("Batch: -j1 kept %.2f CPUs busy on average and -j2 %.2f (CPU time over wall time), "
                "-j2 taking %.2fx the CPU time of -j1 in all."
                % (c1 / w1, c2 / w2, c2 / c1))
    if c2 / w2 < 0.9 * min(2, ncpu):
        parallel += (" With %d CPUs, -j2 could keep up to %d busy: the rest were taken by other work "
                     "on the machine, which limits the speed-up measured here." % (ncpu, min(2, ncpu)))
    parallel += "\n\n"
m = mem("jpeg50-build")
mr = mem("jpeg50-ref")
n, mb = size("jpeg50", "jpg") if m is not None else (0, 0)

head = ("| measurement | licpack | wall | CPU | reference | wall | CPU | wall ratio | CPU ratio | target | met |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n")
lines = []
for (what, a, wa, ca, b, wb, cb, rw, rc, target, ok) in rows:
    lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                 % (what, a, wa, ca, b, wb, cb, rw, rc, target,
                    "" if not target else "yes" if ok else "**no**"))
if os.environ["HAVE_BATCH"] != "1" and m is not None:
    lines.append("| batch --check-only -j2 against -j1 | | | | | | | | | >= 1.8x | skipped: this licpack has no batch command |")
if m is not None:
    lines.append("| peak memory, build of %d JPEG scans (%.1f MB) | licpack build | %.1f MiB | | img2pdf + zip -0 | %.1f MiB | | | | < 40 MiB | %s |"
                 % (n, mb, m, mr, "yes" if m < 40 else "**no**"))
mread = mem("read12")
if mread is not None:
    lines.append("| peak memory, check of the 12 JPEG scans reading them (no cache) | licpack check | %.1f MiB | | | | | | | < 200 MiB | %s |"
                 % (mread, "yes" if mread < 200 else "**no**"))
table = head + "\n".join(lines) + "\n"

def tool(cmd, want=""):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()
        return next((l.strip() for l in out if want in l), "?")
    except Exception:
        return "?"

cpu = "?"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
busy = ""
try:
    if float(os.environ["LOAD_BEFORE"].split()[0]) > 0.5 * (os.cpu_count() or 1):
        busy = ("The machine was busy with other work (see the load averages): wall-clock times "
                "and their ratios suffer from it, the CPU columns much less.\n\n")
except ValueError:
    pass
notes = (
    "Wall: median wall-clock time of %s rounds x %s runs per command (batch: %s x 1), the commands "
    "of each comparison alternating from round to round. CPU: mean user + system time of the same "
    "runs. Ratios are licpack's time over the reference's, except batch (-j1 over -j2: the "
    "speed-up). Targets are judged on wall-clock ratios. Peak memory: GNU time's maximum resident "
    "set size, median of 3 runs. licpack build does everything a packet needs: check (SHA-256 and "
    "probe of every file, pixel analysis), cover, PDF, zip, manifest and reports, each output "
    "written aside and renamed into place; like img2pdf and zip it leaves writing them to disk to the "
    "system unless --sync is given (its own row). img2pdf + zip -0 only copy the images into a PDF "
    "and a zip.\n\n%s%s"
    "Machine: %s, %d CPUs, %s; load average %s before, %s after. %s; %s; %s.\n"
    % (os.environ["ROUNDS"], os.environ["RUNS"], os.environ["BATCH_ROUNDS"], parallel, busy, cpu,
       os.cpu_count(), platform.platform(), os.environ["LOAD_BEFORE"], os.environ["LOAD_AFTER"],
       tool(["hyperfine", "--version"]), tool(["img2pdf", "--version"]),
       tool(["zip", "-v"], "This is Zip").rstrip(".")))

print()
print(table)
print(notes)
with open(os.path.join(os.environ["BENCH_DIR"], "results.md"), "w") as f:
    f.write("# licpack benchmark\n\n" + table + "\n" + notes)
with open(os.environ["README_SECTION"], "w") as f:
    f.write("## Performance\n\n`make bench` generates scanned-looking test pages (no real documents, "
            "nothing downloaded) and compares licpack with img2pdf + zip -0 on the same files, in "
            "the same run (it needs hyperfine, img2pdf, zip and GNU time: `make deps-bench`, as "
            "root). Measured on one machine:\n\n" + table + "\n" + notes)
print("bench: wrote %s/results.md and %s" % (os.environ["BENCH_DIR"], os.environ["README_SECTION"]))
PY
