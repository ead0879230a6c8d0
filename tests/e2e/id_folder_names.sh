#!/bin/sh
# id_folder_names: an applicant folder named after a person's ID number
# (issue 17 item 17's last part). A folder 张三_11010519491231002X must give
# 张三_110105********002X.pdf/.zip, in 张三_110105********002X-packet (build)
# or OUTDIR/张三_110105********002X/ (batch), and the number must be in no
# output but packet.json: file and folder names, stdout, stderr, report.*,
# manifest.json, summary.csv/json, index.html, the zip's names, the PDF's
# text, batch's progress. Two folders whose masked names are the same get
# _2 (in name order), alike in every run and every shard; a folder whose
# name has no ID number keeps it.
# Scratch folders stay in tests/out/e2e/id_folder_names/CASE/.
#   sh tests/e2e/id_folder_names.sh [CASE...]
. "$(dirname "$0")/lib.sh"

e2e_init id_folder_names
H=$E2E_ROOT/$E2E_OUT
CHECK="--lang en --today 2026-11-28"
ID1=11010519491231002X   # valid (check character X)
ID2=11010519500118002X   # valid, and masked alike: 110105********002X
MASKED='110105********002X'

new_case() {
	dir=$H/$1
	rm -rf "$dir"
	mkdir -p "$dir"
}

expect_lines() { # FILE LINES...
	_f=$1
	shift
	printf '%s\n' "$@" >"$_f"
}

# no_id LABEL DIR: no file under DIR (but packet.json) holds ID1 or ID2
# whole, in its name or its bytes; nor do the zips' entry names or the
# PDFs' text (when unzip and pdftotext are there)
no_id() {
	_l=$1 _d=$2
	find "$_d" -name '*.zip' | while IFS= read -r z; do unzip -Z1 "$z" >"$z.names" 2>&1; done
	command -v pdftotext >/dev/null 2>&1 &&
		find "$_d" -name '*.pdf' | while IFS= read -r p; do pdftotext "$p" "$p.txt"; done
	for id in "$ID1" "$ID2"; do
		find "$_d" -name packet.json -prune -o -print | grep -F "$id" | sed "s|^|$_l: a name shows $id: |" >"$_d.names"
		if [ -s "$_d.names" ]; then
			e2e_fail "$(head -n 1 "$_d.names")"
		fi
		grep -rlaF --exclude=packet.json "$id" "$_d" >"$_d.bytes"
		if [ -s "$_d.bytes" ]; then
			e2e_fail "$_l: $id in full in: $(tr '\n' ' ' <"$_d.bytes")"
		fi
	done
	rm -f "$_d.names" "$_d.bytes"
}

# the complete folder as ROOT/NAME
applicant() {
	mkdir -p "$(dirname "$1")"
	complete_folder "$1" || exit 1
}

case_build_id_folder() {
	new_case build-id-folder
	applicant "$dir/in/张三_$ID1"
	run_licpack "$dir" build "$dir/in/张三_$ID1" $CHECK
	same_exit build-id-folder 0 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	tail -n 4 "$dir/stdout" >"$dir/got"
	P="$dir/in/张三_$MASKED-packet"
	expect_lines "$dir/want" "$P/张三_$MASKED.pdf" "$P/张三_$MASKED.zip" "$P/manifest.json" "$P/upload/"
	same_text "build-id-folder: stdout" "$dir/want" "$dir/got"
	(cd "$dir/in/张三_$MASKED-packet" && ls) >"$dir/got"
	expect_lines "$dir/want" manifest.json report.html report.json report.txt upload "张三_$MASKED.pdf" "张三_$MASKED.zip"
	same_text "build-id-folder: outputs" "$dir/want" "$dir/got"
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["folder"])' \
		"$dir/in/张三_$MASKED-packet/report.json" >"$dir/got"
	expect_lines "$dir/want" "$dir/in/张三_$MASKED"
	same_text "build-id-folder: report.json's folder" "$dir/want" "$dir/got"
	cp "$dir/stdout" "$dir/in/stdout.txt"
	cp "$dir/stderr" "$dir/in/stderr.txt"
	mv "$dir/in/张三_$ID1" "$dir/folder" # the input itself is the user's
	no_id build-id-folder "$dir/in"
	# --name with an ID number: masked too
	run_licpack "$dir" build "$dir/folder" -o "$dir/named" -n "王五_$ID2" $CHECK
	same_exit "build-id-folder: --name" 0 "$RC"
	ls "$dir/named" | grep -F '.pdf' >"$dir/got"
	expect_lines "$dir/want" "王五_$MASKED.pdf"
	same_text "build-id-folder: --name" "$dir/want" "$dir/got"
	no_id "build-id-folder: --name" "$dir/named"
}

# three folders: two masked alike, one plain; the first in name order keeps
# the masked name, the second gets _2
batch_root() {
	applicant "$dir/root/张三_$ID1"
	applicant "$dir/root/张三_$ID2"
	applicant "$dir/root/王五"
}

case_batch_id_folders() {
	new_case batch-id-folders
	batch_root
	run_licpack "$dir" batch "$dir/root" -o "$dir/out" -j 1 $CHECK
	same_exit batch-id-folders 0 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	(cd "$dir/out" && ls) >"$dir/got"
	expect_lines "$dir/want" index.html summary.csv summary.json 张三_$MASKED 张三_${MASKED}_2 王五
	same_text "batch-id-folders: OUTDIR" "$dir/want" "$dir/got"
	ls "$dir/out/张三_${MASKED}_2" | grep -E '\.(pdf|zip)$' >"$dir/got"
	expect_lines "$dir/want" "张三_${MASKED}_2.pdf" "张三_${MASKED}_2.zip"
	same_text "batch-id-folders: packet names" "$dir/want" "$dir/got"
	# the second folder in name order is the _2 one: its report names it
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["folder"])' \
		"$dir/out/张三_${MASKED}_2/report.json" >"$dir/got"
	expect_lines "$dir/want" "$dir/root/张三_$MASKED"
	same_text "batch-id-folders: report.json's folder" "$dir/want" "$dir/got"
	sed '1s/^\xEF\xBB\xBF//' "$dir/out/summary.csv" | cut -d, -f1,10,11 >"$dir/got"
	expect_lines "$dir/want" applicant,packet,zip \
		"张三_$MASKED,张三_$MASKED/张三_$MASKED.pdf,张三_$MASKED/张三_$MASKED.zip" \
		"张三_${MASKED}_2,张三_${MASKED}_2/张三_${MASKED}_2.pdf,张三_${MASKED}_2/张三_${MASKED}_2.zip" \
		"王五,王五/王五.pdf,王五/王五.zip"
	same_text "batch-id-folders: summary.csv" "$dir/want" "$dir/got"
	# (张三 and the stars percent-encoded)
	grep -c 'href="%E5%BC%A0%E4%B8%89_110105%2A%2A%2A%2A%2A%2A%2A%2A002X/report.html"' "$dir/out/index.html" >"$dir/got"
	expect_lines "$dir/want" 1
	same_text "batch-id-folders: index.html's link" "$dir/want" "$dir/got"
	grep -F '[' "$dir/stderr" >"$dir/got"
	expect_lines "$dir/want" "[1/3] 张三_$MASKED: complete" "[2/3] 张三_${MASKED}_2: complete" "[3/3] 王五: complete"
	same_text "batch-id-folders: progress" "$dir/want" "$dir/got"
	cp "$dir/stdout" "$dir/out/stdout.txt"
	cp "$dir/stderr" "$dir/out/stderr.txt"
	no_id batch-id-folders "$dir/out"
	# again: everything up to date, found under the same names
	run_licpack "$dir" batch "$dir/root" -o "$dir/out" $CHECK
	same_exit "batch-id-folders: again" 0 "$RC"
	grep -c 'skipped: up to date' "$dir/stderr" >"$dir/got"
	expect_lines "$dir/want" 3
	same_text "batch-id-folders: again, skipped" "$dir/want" "$dir/got"
	cp "$dir/stderr" "$dir/out/stderr2.txt"
	no_id "batch-id-folders: again" "$dir/out"
}

# each shard names a folder's outputs as the whole run does: the folders
# that share a masked name may be in different shards
case_batch_id_shards() {
	new_case batch-id-shards
	batch_root
	for k in 1 2 3; do
		run_licpack "$dir" batch "$dir/root" -o "$dir/shard$k" --shard "$k/3" --check-only $CHECK
		[ "$RC" -le 1 ] || e2e_fail "batch-id-shards: shard $k/3 exit $RC"
	done
	(cd "$dir" && ls -d shard*/*/ | sed 's|^shard./||; s|/$||' | sort) >"$dir/got"
	printf '%s\n' 张三_$MASKED 张三_${MASKED}_2 王五 | sort >"$dir/want"
	same_text "batch-id-shards: names across shards" "$dir/want" "$dir/got"
	for k in 1 2 3; do
		no_id "batch-id-shards: shard $k/3" "$dir/shard$k"
	done
}

ALL="build_id_folder batch_id_folders batch_id_shards"
need_mkfixture
[ $# -gt 0 ] || set -- $ALL
run_cases "$@"
e2e_finish
