#!/bin/sh
# safety: nothing wrong at a final name (issue 17, items 1-6 and 11).
#   disk-full-pdf       build and batch onto small tmpfs file systems, a
#   disk-full-images    folder with a PDF material and one without: exit 0
#                       with a whole packet, or exit 3 naming the output
#                       file, no packet at its final names, no temporary
#                       left, batch's row failed (SKIPPED when no tmpfs can
#                       be mounted here: root is needed)
#   user-files          build and batch refuse a non-empty output folder
#                       licpack did not make (exit 2 / failed), touch none
#                       of its files, and with --force keep them all
#   stale-packet        an incomplete rebuild removes the old packet; the
#                       batch summary and the files agree
#   concurrent          two builds at once into one OUTDIR, 5 times: never
#                       exit 3, never a mixed packet; two different folders
#                       of the same name likewise
#   too-many-files      --allow-incomplete with two files for a one-file
#                       material: the second is NN_<title>_2 in the zip
#   sigterm-build       SIGTERM and SIGINT in the middle of a build: no
#                       temporary left, exit 143 / 130
#   manifest-refused    a damaged file is listed under "refused", without
#                       packet name or pages, and not under "files"
#   sh tests/e2e/safety.sh [CASE...]
. "$(dirname "$0")/lib.sh"

e2e_init safety
need_mkfixture
H=$E2E_ROOT/$E2E_OUT
T=2026-11-28
SOURCE_DATE_EPOCH=1764288000
export SOURCE_DATE_EPOCH
BUILD="--today $T --lang en"
SAMPLE=$E2E_ROOT/samples/icp-renewal-complete
case $LICPACK in /*) LICPACK_ABS=$LICPACK ;; */*) LICPACK_ABS=$E2E_ROOT/$LICPACK ;; *) LICPACK_ABS=$(command -v "$LICPACK") ;; esac
SKIPPED=

# packet_ok LABEL OUTDIR NAME: the packet there is whole and one build's:
# qpdf and unzip accept it, and manifest.json (beside and inside the zip)
# names exactly the zip's materials with their SHA-256.
packet_ok() {
	qpdf --check "$2/$3.pdf" >/dev/null 2>&1 || { e2e_fail "$1: $3.pdf fails qpdf --check"; return 1; }
	unzip -tq "$2/$3.zip" >/dev/null 2>&1 || { e2e_fail "$1: $3.zip fails unzip -t"; return 1; }
	python3 - "$2" "$3" <<'PY' || { e2e_fail "$1: the packet's files disagree"; return 1; }
import hashlib, json, sys, zipfile
d, n = sys.argv[1], sys.argv[2]
m = json.load(open(f"{d}/manifest.json", encoding="utf-8"))
z = zipfile.ZipFile(f"{d}/{n}.zip")
if json.loads(z.read("manifest.json")) != m:
    sys.exit("manifest.json differs from the zip's")
for f in m["files"]:
    if hashlib.sha256(z.read(f["packet_name"])).hexdigest() != f["sha256"]:
        sys.exit(f"{f['packet_name']}: not the manifest's bytes")
PY
}

# no_temporaries LABEL DIR
no_temporaries() {
	_t=$(find "$2" -name '.licpack-tmp.*' 2>/dev/null)
	[ -z "$_t" ] || { e2e_fail "$1: temporary files left: $_t"; return 1; }
}

# no_packet LABEL OUTDIR NAME
no_packet() {
	for _f in "$3.pdf" "$3.zip" manifest.json; do
		[ ! -e "$2/$_f" ] || e2e_fail "$1: $_f is at its final name"
	done
}

# A folder without PDF materials: the sample's one PDF replaced by a scan.
images_folder() {
	[ -d "$H/images/folder" ] && return 0
	mkdir -p "$H/images"
	cp -r "$SAMPLE" "$H/images/folder" && rm "$H/images/folder/股东会决议.pdf" &&
		fixture jpeg "$H/images/folder/股东会决议.jpg" 1654x2339 --dpi 300 --variant 7
}

pdf_folder() {
	[ -d "$H/pdf/folder" ] && return 0
	mkdir -p "$H/pdf"
	cp -r "$SAMPLE" "$H/pdf/folder"
}

# ---- disk full ----
disk_full() { # label folder
	_d=$H/$1
	mkdir -p "$_d/mnt" "$_d/log"
	if ! mount -t tmpfs -o size=64k tmpfs "$_d/mnt" 2>/dev/null; then
		SKIPPED="$SKIPPED $1"
		echo "SKIPPED: $1: cannot mount a tmpfs here (needs root); the disk-full cases did not run"
		return
	fi
	umount "$_d/mnt"
	run_licpack "$_d/log" build "$2" -o "$_d/ref" $BUILD
	same_exit "$1: reference build" 0 "$RC" || return
	_kb=$(du -sk "$_d/ref" | cut -f1)
	_failed=0 _built=0
	# the sanitizer suite: the sizes that fail early and late (e2e_sample)
	for _pct in $(e2e_sample 4 5 40 100 120 200); do
		_size=$((_kb * _pct / 100 + 16))
		mount -t tmpfs -o size=${_size}k tmpfs "$_d/mnt" || { e2e_fail "$1: mount"; return; }
		run_licpack "$_d/log" build "$2" -o "$_d/mnt/out" $BUILD
		case $RC in
		0)
			_built=$((_built + 1))
			packet_ok "$1 (${_size} KiB): exit 0" "$_d/mnt/out" folder
			;;
		3)
			_failed=$((_failed + 1))
			grep -Eq "^licpack: cannot (write|create) '$_d/mnt/out/(folder\.pdf|folder\.zip|manifest\.json|report\.json|report\.txt|\.licpack|upload(/[^']*)?)': (Write error: )?No space left on device" "$_d/log/stderr" ||
				e2e_fail "$1 (${_size} KiB): the error does not name the file and the full disk: $(cat "$_d/log/stderr")"
			no_packet "$1 (${_size} KiB)" "$_d/mnt/out" folder
			;;
		*) e2e_fail "$1 (${_size} KiB): exit $RC: $(cat "$_d/log/stderr")" ;;
		esac
		no_temporaries "$1 (${_size} KiB)" "$_d/mnt"
		umount "$_d/mnt"
		# batch: the applicant's row says what happened
		mount -t tmpfs -o size=$((_size + 16))k tmpfs "$_d/mnt" || { e2e_fail "$1: mount"; return; }
		mkdir -p "$_d/root"
		[ -e "$_d/root/folder" ] || ln -s "$2" "$_d/root/folder"
		run_licpack "$_d/log" batch "$_d/root" -o "$_d/mnt/b" $BUILD -j 1
		if [ -f "$_d/mnt/b/summary.csv" ]; then
			_status=$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))); print(r[0]["status"], r[0]["packet"] or "-")' "$_d/mnt/b/summary.csv")
			case "$RC $_status" in
			"0 complete folder/folder.pdf") packet_ok "$1 batch (${_size} KiB)" "$_d/mnt/b/folder" folder ;;
			"3 failed -") no_packet "$1 batch (${_size} KiB)" "$_d/mnt/b/folder" folder ;;
			*) e2e_fail "$1 batch (${_size} KiB): exit $RC, row '$_status'" ;;
			esac
		elif [ "$RC" != 3 ]; then
			e2e_fail "$1 batch (${_size} KiB): no summary, exit $RC"
		fi
		no_temporaries "$1 batch (${_size} KiB)" "$_d/mnt"
		umount "$_d/mnt"
	done
	[ "$_failed" -gt 0 ] && [ "$_built" -gt 0 ] ||
		e2e_fail "$1: $_failed failed and $_built built: the sizes did not cover both"
	echo "note: $1: $_failed sizes failed cleanly, $_built built whole"
}

case_disk_full_pdf() {
	pdf_folder
	disk_full disk-full-pdf "$H/pdf/folder"
}

case_disk_full_images() {
	images_folder || { e2e_fail "disk-full-images: cannot make the folder"; return; }
	disk_full disk-full-images "$H/images/folder"
}

# ---- a folder of someone else's ----
case_user_files() {
	pdf_folder
	d=$H/user
	rm -rf "$d"
	mkdir -p "$d/out" "$d/log"
	for f in notes.txt report.txt draft.tmp-abc .photo.abcdef; do echo mine >"$d/out/$f"; done
	before=$(cd "$d/out" && ls -A | tr '\n' ' ')
	run_licpack "$d/log" build "$H/pdf/folder" -o "$d/out" $BUILD
	same_exit "user-files: build into a folder of other files" 2 "$RC"
	grep -q "^licpack: '$d/out' holds files that licpack did not write: .*--force" "$d/log/stderr" ||
		e2e_fail "user-files: unclear refusal: $(cat "$d/log/stderr")"
	[ "$(cd "$d/out" && ls -A | tr '\n' ' ')" = "$before" ] || e2e_fail "user-files: the folder changed: $(ls -A "$d/out")"
	run_licpack "$d/log" build "$H/pdf/folder" -o "$d/out" --today $T --lang zh
	same_exit "user-files: build (zh)" 2 "$RC"
	grep -q "不是 licpack 写的文件.*--force" "$d/log/stderr" || e2e_fail "user-files: no Chinese refusal: $(cat "$d/log/stderr")"
	run_licpack "$d/log" build "$H/pdf/folder" -o "$d/out" $BUILD --force
	same_exit "user-files: build --force" 0 "$RC"
	for f in notes.txt draft.tmp-abc .photo.abcdef; do
		[ "$(cat "$d/out/$f" 2>/dev/null)" = mine ] || e2e_fail "user-files: --force: '$f' was removed or changed"
	done
	packet_ok "user-files: --force" "$d/out" folder
	# an empty folder is taken
	mkdir -p "$d/empty"
	run_licpack "$d/log" build "$H/pdf/folder" -o "$d/empty" $BUILD
	same_exit "user-files: build into an empty folder" 0 "$RC"
	[ -f "$d/empty/.licpack" ] || e2e_fail "user-files: no stamp in the folder taken"

	# batch: OUTDIR/<applicant>/ holding a user's files
	mkdir -p "$d/root" "$d/b/folder"
	ln -s "$H/pdf/folder" "$d/root/folder"
	for f in notes.txt report.txt draft.tmp-abc .photo.abcdef; do echo mine >"$d/b/folder/$f"; done
	run_licpack "$d/log" batch "$d/root" -o "$d/b" $BUILD
	same_exit "user-files: batch" 3 "$RC"
	[ "$(cd "$d/b/folder" && ls -A | tr '\n' ' ')" = "$before" ] || e2e_fail "user-files: batch changed the folder: $(ls -A "$d/b/folder")"
	grep -q "^folder,.*,failed,fresh,.*holds files that licpack did not write" "$d/b/summary.csv" ||
		e2e_fail "user-files: batch's row: $(grep '^folder' "$d/b/summary.csv")"
	run_licpack "$d/log" batch "$d/root" -o "$d/b" $BUILD --force
	same_exit "user-files: batch --force" 0 "$RC"
	for f in notes.txt draft.tmp-abc .photo.abcdef; do
		[ "$(cat "$d/b/folder/$f" 2>/dev/null)" = mine ] || e2e_fail "user-files: batch --force: '$f' was removed or changed"
	done
}

# ---- stale packet ----
case_stale_packet() {
	d=$H/stale
	rm -rf "$d"
	mkdir -p "$d/root" "$d/log"
	cp -r "$SAMPLE" "$d/root/acme"
	run_licpack "$d/log" build "$d/root/acme" -o "$d/out" $BUILD
	same_exit "stale-packet: first build" 0 "$RC"
	run_licpack "$d/log" batch "$d/root" -o "$d/b" $BUILD
	same_exit "stale-packet: first batch" 0 "$RC"
	rm "$d/root/acme/营业执照副本.jpg"
	run_licpack "$d/log" build "$d/root/acme" -o "$d/out" $BUILD
	same_exit "stale-packet: rebuild, incomplete" 1 "$RC"
	no_packet "stale-packet: build" "$d/out" acme
	grep -q "removed the previous packet's '$d/out/acme.pdf'" "$d/log/stdout" || e2e_fail "stale-packet: the removal is not said"
	[ -f "$d/out/report.txt" ] || e2e_fail "stale-packet: no report"
	run_licpack "$d/log" batch "$d/root" -o "$d/b" $BUILD
	same_exit "stale-packet: batch again, incomplete" 1 "$RC"
	no_packet "stale-packet: batch" "$d/b/acme" acme
	grep -q '^acme,.*,incomplete,fresh,1,[0-9]*,business-license,,,' "$d/b/summary.csv" ||
		e2e_fail "stale-packet: batch's row: $(grep '^acme' "$d/b/summary.csv")"
}

# ---- concurrent runs ----
case_concurrent() {
	pdf_folder
	d=$H/concurrent
	rm -rf "$d"
	mkdir -p "$d/log1" "$d/log2" "$d/a" "$d/b"
	cp -r "$SAMPLE" "$d/a/acme"
	cp -r "$SAMPLE" "$d/b/acme"
	fixture jpeg "$d/b/acme/营业执照副本.jpg" 1654x2339 --dpi 300 --variant 9
	run_licpack "$d/log1" build "$d/a/acme" -o "$d/ref-a" $BUILD
	same_exit "concurrent: reference a" 0 "$RC"
	run_licpack "$d/log1" build "$d/b/acme" -o "$d/ref-b" $BUILD
	same_exit "concurrent: reference b" 0 "$RC"
	n=${CONCURRENT_RUNS:-5}
	[ -n "$LICPACK_WRAP" ] && n=3
	i=1
	while [ $i -le "$n" ]; do
		for pair in "a a" "a b"; do
			set -- $pair
			o=$d/out-$1$2-$i
			run_licpack "$d/log1" build "$d/$1/acme" -o "$o" $BUILD &
			p1=$!
			# the second a little later each time, so that one is writing
			# while the other starts, checks or renames
			sleep "0.$((i % 7 * 7))"
			(run_licpack "$d/log2" build "$d/$2/acme" -o "$o" $BUILD; exit "$RC") &
			p2=$!
			wait $p1
			wait $p2
			rc2=$?
			rc1=$(cat "$d/log1/rc")
			[ "$rc1 $rc2" = "0 0" ] || e2e_fail "concurrent ($1 $2, run $i): exits $rc1 and $rc2: $(cat "$d/log1/stderr" "$d/log2/stderr")"
			match=
			for ref in a b; do
				cmp -s "$o/acme.pdf" "$d/ref-$ref/acme.pdf" && cmp -s "$o/acme.zip" "$d/ref-$ref/acme.zip" &&
					cmp -s "$o/manifest.json" "$d/ref-$ref/manifest.json" && match=$ref
			done
			case "$1$2:$match" in
			aa:a | ab:a | ab:b) ;;
			*) e2e_fail "concurrent ($1 $2, run $i): the packet is not one build's (a mixed packet)" ;;
			esac
			no_temporaries "concurrent ($1 $2, run $i)" "$o"
		done
		i=$((i + 1))
	done
}

# ---- --allow-incomplete with too many files ----
case_too_many_files() {
	d=$H/too-many
	rm -rf "$d"
	mkdir -p "$d/log"
	cp -r "$SAMPLE" "$d/acme"
	fixture jpeg "$d/acme/营业执照副本_另一份.jpg" 1654x2339 --dpi 300 --variant 11
	run_licpack "$d/log" build "$d/acme" -o "$d/out" $BUILD --allow-incomplete
	same_exit "too-many-files: build --allow-incomplete" 1 "$RC"
	packet_ok "too-many-files" "$d/out" acme || return
	python3 - "$d/out" <<'PY' || e2e_fail "too-many-files: the names are wrong"
import json, sys, zipfile
d = sys.argv[1]
m = json.load(open(d + "/manifest.json", encoding="utf-8"))
names = sorted(f["packet_name"] for f in m["files"] if f["material"] == "business-license")
if len(names) != 2 or names[1] != names[0][:-4] + "_2.jpg":
    sys.exit(f"business-license: {names}")
z = zipfile.ZipFile(d + "/acme.zip").namelist()
if len(z) != len(set(z)) or not all(n in z for n in names):
    sys.exit(f"zip: {z}")
PY
}

# ---- signals ----
case_sigterm_build() {
	d=$H/sigterm
	if [ ! -d "$d/folder" ]; then
		mkdir -p "$d"
		cp -r "$SAMPLE" "$d/folder"
		i=1
		while [ $i -le 12 ]; do
			fixture jpeg "$d/folder/现有许可证/p$i.jpg" 3508x4960 --dpi 425 --text-lines --quality 100 --variant $((200 + i)) ||
				{ e2e_fail "sigterm-build: cannot make the scans"; return; }
			i=$((i + 1))
		done
	fi
	for sig in TERM INT; do
		o=$d/out-$sig
		rm -rf "$o"
		# a background job's SIGINT is ignored (and stays so): not here
		# shellcheck disable=SC2086
		env --default-signal=INT,TERM $LICPACK_WRAP "$LICPACK_ABS" build "$d/folder" -o "$o" $BUILD \
			>"$d/stdout" 2>"$d/stderr" </dev/null &
		pid=$!
		seen=0 n=0
		while [ $n -lt 400 ]; do
			# a temporary (whatever its name): any file but the final ones
			if ls -A "$o" 2>/dev/null | grep -qvx -e .licpack -e report.json -e report.txt; then seen=1; break; fi
			n=$((n + 1))
			sleep 0.05
		done
		kill -$sig $pid 2>/dev/null
		wait $pid
		rc=$?
		if [ $seen = 0 ]; then
			e2e_fail "sigterm-build ($sig): no temporary file was ever seen: the build was too fast to test (exit $rc)"
			continue
		fi
		want=143
		[ $sig = INT ] && want=130
		same_exit "sigterm-build ($sig)" $want $rc
		left=$(ls -A "$o" | grep -vx -e .licpack -e report.json -e report.txt -e folder.pdf -e folder.zip -e manifest.json)
		[ -z "$left" ] || e2e_fail "sigterm-build ($sig): temporary files left: $left"
		[ ! -e "$o/folder.pdf" ] || packet_ok "sigterm-build ($sig)" "$o" folder
	done
}

# ---- manifest of refused files ----
case_manifest_refused() {
	d=$H/refused
	rm -rf "$d"
	mkdir -p "$d/log"
	cp -r "$SAMPLE" "$d/acme"
	head -c 6000 "$SAMPLE/服务器托管协议.jpg" >"$d/acme/服务器托管协议.jpg"
	run_licpack "$d/log" build "$d/acme" -o "$d/out" $BUILD --allow-incomplete
	same_exit "manifest-refused: build --allow-incomplete" 1 "$RC"
	packet_ok "manifest-refused" "$d/out" acme || return
	python3 - "$d/out/manifest.json" <<'PY' || e2e_fail "manifest-refused: manifest.json is wrong"
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
bad = [f for f in m["files"] if f["original"] == "服务器托管协议.jpg"]
if bad:
    sys.exit(f"listed as packed: {bad}")
r = [f for f in m.get("refused", []) if f["original"] == "服务器托管协议.jpg"]
if len(r) != 1 or "packet_name" in r[0] or "pages" in r[0] or r[0]["material"] != "hosting-agreement" and not r[0]["material"]:
    sys.exit(f"refused: {m.get('refused')}")
PY
}

ALL="disk_full_pdf disk_full_images user_files stale_packet concurrent too_many_files sigterm_build manifest_refused"
# shellcheck disable=SC2086
[ $# -gt 0 ] || set -- $ALL
for c in "$@"; do
	"case_$c"
done
e2e_finish
