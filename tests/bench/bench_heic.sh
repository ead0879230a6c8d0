#!/bin/sh
# bench_heic.sh — the HEIC row of `make bench` (issue 14): licpack build of a
# folder of 6 HEIC phone photos (4032x3024, as an iPhone takes them), which
# converts them to JPEG and packs them, against what one does by hand:
# heif-convert (libheif-examples) of each to JPEG at the same quality (90),
# then img2pdf of the JPEGs. Goal: licpack at most 0.8x the wall time.
#
# The photos are made once into $BENCH_DIR/data/heic6 from tests/bench/gen.c
# pages through build/tools/mkconvert (x265 by libheif); timings are wall-
# clock medians of BENCH_ROUNDS alternating rounds (default 4) of
# BENCH_RUNS hyperfine runs (default 3), as in bench.sh. Prints one table
# row (and writes it to $BENCH_DIR/heic.md); bench.sh runs it last, and it
# runs alone too:
#   make licpack build/bench/gen build/tools/mkconvert && sh tests/bench/bench_heic.sh
set -eu
cd "$(dirname "$0")/../.." || exit 1

BENCH_DIR=${BENCH_DIR:-bench}
ROUNDS=${BENCH_ROUNDS:-4}
RUNS=${BENCH_RUNS:-3}
LICPACK=$(pwd)/licpack
GEN=$(pwd)/build/bench/gen
MKCONVERT=$(pwd)/build/tools/mkconvert
TODAY=2026-11-28

for t in hyperfine heif-convert img2pdf python3; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench_heic: '$t' not found (make deps-bench)" >&2; exit 1; }
done
for b in "$LICPACK" "$GEN" "$MKCONVERT"; do
	[ -x "$b" ] || { echo "bench_heic: $b is missing (make licpack build/bench/gen build/tools/mkconvert)" >&2; exit 1; }
done
mkdir -p "$BENCH_DIR/data" "$BENCH_DIR/out" "$BENCH_DIR/raw"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
DATA=$BENCH_DIR/data/heic6
OUT=$BENCH_DIR/out/heic6
RAW=$BENCH_DIR/raw
STAMP="gen $(cksum <tests/bench/gen.c | cut -d' ' -f1) heic 1"

if ! [ -f "$DATA/.stamp" ] || [ "$(cat "$DATA/.stamp")" != "$STAMP" ]; then
	echo "bench_heic: making 6 HEIC photos in $DATA (once)" >&2
	rm -rf "$DATA"
	mkdir -p "$DATA"
	cat >"$DATA/packet.json" <<'EOF'
{ "template": "icp-renewal", "company": {"name": "示例科技有限公司"} }
EOF
	v=0
	for n in 营业执照副本 身份证人像面 身份证国徽面 依法经营承诺书 服务器托管协议 续期申请表; do
		v=$((v + 1))
		"$GEN" png "$DATA/$n.png" --variant "$((v + 700))" --size 4032x3024 --dpi 72
		"$MKCONVERT" heic "$DATA/$n.png" "$DATA/$n.heic" --quality 50
		rm "$DATA/$n.png"
	done
	echo "$STAMP" >"$DATA/.stamp"
fi

q() { printf "'%s'" "$1"; }
LP="$(q "$LICPACK") build $(q "$DATA") -o $(q "$OUT/lp") --today $TODAY --allow-incomplete --no-thumbnails >/dev/null"
REF="rm -rf $(q "$OUT/ref") && mkdir -p $(q "$OUT/ref") && for f in $(q "$DATA")/*.heic; do heif-convert -q 90 \"\$f\" $(q "$OUT/ref")/\"\$(basename \"\$f\" .heic)\".jpg >/dev/null || exit 1; done && img2pdf $(q "$OUT/ref")/*.jpg -o $(q "$OUT/ref.pdf")"
mkdir -p "$OUT"
sh -c "$LP" || [ $? -le 1 ]
[ -s "$OUT/lp/heic6.pdf" ] || { echo "bench_heic: licpack built no packet" >&2; exit 1; }
sh -c "$REF"
rm -f "$RAW"/heic6-*.json
r=1
while [ "$r" -le "$ROUNDS" ]; do
	echo "bench_heic: round $r" >&2
	warm=0
	[ "$r" = 1 ] && warm=1
	if [ $((r % 2)) -eq 1 ]; then
		hyperfine --style none -i --warmup "$warm" --runs "$RUNS" --export-json "$RAW/heic6-$r.json" \
			-n "licpack build" "$LP" -n "heif-convert + img2pdf" "$REF" >/dev/null
	else
		hyperfine --style none -i --warmup "$warm" --runs "$RUNS" --export-json "$RAW/heic6-$r.json" \
			-n "heif-convert + img2pdf" "$REF" -n "licpack build" "$LP" >/dev/null
	fi
	r=$((r + 1))
done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
export RAW DATA LOAD
python3 - <<'PY' | tee "$BENCH_DIR/heic.md"
import glob, json, os, statistics
t, c = {}, {}
for p in sorted(glob.glob(os.path.join(os.environ["RAW"], "heic6-*.json"))):
    for r in json.load(open(p))["results"]:
        t.setdefault(r["command"], []).extend(r["times"])
        c.setdefault(r["command"], []).extend([r["user"] + r["system"]] * len(r["times"]))
a, b = "licpack build", "heif-convert + img2pdf"
wa, wb = statistics.median(t[a]), statistics.median(t[b])
ca, cb = statistics.mean(c[a]), statistics.mean(c[b])
mb = sum(os.path.getsize(f) for f in glob.glob(os.path.join(os.environ["DATA"], "*.heic"))) / 1e6
print("| build, 6 HEIC phone photos 4032x3024 (%.1f MB), converted to JPEG q90 | %s | %.3f s | %.3f s | %s | %.3f s | %.3f s | %.2fx | %.2fx | <= 0.8x | %s |"
      % (mb, a, wa, ca, b, wb, cb, wa / wb, ca / cb, "yes" if wa / wb <= 0.8 else "**no**"))
print("\nHEIC row: %d runs each; load average at the end %s." % (len(t[a]), os.environ["LOAD"]))
PY
rm -rf "$OUT"
