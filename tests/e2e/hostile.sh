#!/bin/sh
# hostile: `licpack check` on folders built to hurt it (SPEC §8): links out
# of the folder, link loops, FIFOs and sockets, unreadable sub-folders and
# files, 10 000 files, names that are not UTF-8 or are 255 bytes long, images
# whose headers declare billions of pixels, empty files, packet.json
# assignments that leave the folder, a packet.json that is not JSON or is
# 50 MB. Each case is the clean icp-renewal folder (setups/complete.setup, no
# finding on 2026-11-28) with one hostile change, and expects an exact exit
# code and an exact list of findings. For every case:
#   - the run ends within the time limit (a FIFO must never block);
#   - the JSON report is valid JSON (UTF-8) and agrees with itself;
#   - the folder (and anything outside it that a link points to) is
#     byte-identical before and after: names, types, modes, sizes, mtimes,
#     link targets and the SHA-256 of every regular file.
# Scratch folders stay in tests/out/e2e/hostile/CASE/ for inspection.
#   sh tests/e2e/hostile.sh [CASE...]      all cases, or the ones named
#
# One `build` case too: a matched file whose name is not UTF-8 must leave
# report.json and manifest.json valid JSON.
#
# Not covered here: a file that vanishes (or turns into a FIFO or a link out)
# between the scan and the read. The window is inside check_folder() and
# cannot be hit from outside without an LD_PRELOAD shim; scan_open(), which
# re-checks the file as it opens it, is tested for each of those changes in
# tests/unit/test_hostile.c.
. "$(dirname "$0")/lib.sh"

e2e_init hostile
H=$E2E_ROOT/$E2E_OUT
CHECK="--format json --lang en --today 2026-11-28 --template icp-renewal"
BUILD_ARGS="--lang en --today 2026-11-28 --template icp-renewal"
SKIPPED_CASES=
case $LICPACK in /*) LICPACK_ABS=$LICPACK ;; */*) LICPACK_ABS=$E2E_ROOT/$LICPACK ;; *) LICPACK_ABS=$(command -v "$LICPACK") ;; esac

# --- helpers -----------------------------------------------------------------


# tree_sum DIR: one hash of everything under DIR that a run could change:
# names, types, modes, sizes, mtimes, link targets and the SHA-256 of every
# regular file. FIFOs and sockets are listed, never opened; paths longer than
# PATH_MAX are reached step by step (os.fwalk).
tree_sum() {
	python3 -c "$PY_TREE_SUM" "$1"
}

# python3 snippets over a JSON report ($1) ----------------------------------
PY_COUNT='
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
code = sys.argv[2]
print(sum(1 for f in r["findings"] if f["code"] == code))
'
PY_FILES_OF='
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
for m in r["materials"]:
    for x in m["files"]:
        print(x["path"])
'

# run_case NAME EXPECTED-EXIT [WRAPPER...]: check $dir/folder (made by the
# caller), compare the exit code, the findings with $dir/expected (lines
# code|severity|material|file, sorted, as lib.sh's `report findings` prints
# them; no file: not compared) and the tree under $dir/tree (folder and
# outside) before and after. Runs under the wrapper words when given
# (setpriv ...).
run_case() {
	_name=$1 _want=$2
	shift 2
	_sum0=$(tree_sum "$dir/tree")
	if [ $# -gt 0 ]; then
		_t0=$(date +%s)
		# shellcheck disable=SC2086  # LICPACK_WRAP is a command line
		timeout -k 5 "$E2E_TIMEOUT" "$@" $LICPACK_WRAP "$LICPACK_ABS" check "$dir/tree/folder" $CHECK \
			>"$dir/stdout" 2>"$dir/stderr" </dev/null
		RC=$?
		echo "$RC" >"$dir/rc"
	else
		_t0=$(date +%s)
		# shellcheck disable=SC2086  # the options
		run_licpack "$dir" check "$dir/tree/folder" $CHECK
	fi
	_t1=$(date +%s)
	ELAPSED=$((_t1 - _t0))
	_sum1=$(tree_sum "$dir/tree")
	REPORT_OK=
	same_exit "$_name" "$_want" "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 5
	if grep -Eq 'runtime error|Sanitizer|valgrind|==[0-9]+==' "$dir/stderr"; then
		e2e_fail "$_name: sanitizer or valgrind report:"
		grep -E -m 3 'runtime error|ERROR|SUMMARY' "$dir/stderr" | sed 's/^/    /'
		return 0
	fi
	[ "$_sum0" = "$_sum1" ] || e2e_fail "$_name: the folder changed during the run"
	if [ "$RC" -le 1 ]; then
		if ! report "$dir/stdout" all "$dir" >"$dir/check" 2>&1; then
			e2e_fail "$_name: the JSON report is not valid, or inconsistent:"
			sed 's/^/    /' "$dir/check" | head -n 10
			return
		fi
		REPORT_OK=1
		if [ -f "$dir/expected" ]; then
			same_text "$_name: findings" "$dir/expected" "$dir/findings"
		fi
		[ -s "$dir/stderr" ] && { e2e_fail "$_name: unexpected output on stderr:"; sed 's/^/    /' "$dir/stderr" | head -n 5; }
	fi
	return 0
}

# new_case NAME: $dir/tree/folder is the complete folder; $dir/tree/outside
# an empty sibling for link targets.
new_case() {
	dir=$H/$1
	rm -rf "$dir"
	mkdir -p "$dir/tree/outside"
	complete_folder "$dir/tree/folder" || exit 1
	F=$dir/tree/folder
}

expect() { # lines of the expected findings
	printf '%s\n' "$@" | LC_ALL=C sort >"$dir/expected"
}

# unprivileged CMD...: how to run a command that the mode bits bind: as root
# without the capabilities that override them (lib.sh root_obeys_modes), or
# else as nobody; nothing when this machine has no way (then the case is
# skipped). Root reads anything whatever the mode bits, so the unreadable
# cases must not run with root's full power.
unprivileged() {
	if [ "$(id -u)" != 0 ]; then
		UNPRIV=" "   # already unprivileged: run as is
	elif UNPRIV=$(root_obeys_modes "$H"); then
		:
	elif command -v setpriv >/dev/null 2>&1 &&
		setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		# a TMPDIR nobody may write, for valgrind's own files (/tmp need not
		# be world-writable)
		mkdir -p "$H/.nobody-tmp" && chmod 1777 "$H/.nobody-tmp"
		UNPRIV="setpriv --reuid=65534 --regid=65534 --clear-groups env TMPDIR=$H/.nobody-tmp"
	else
		UNPRIV=
	fi
}

# unprivileged_can_read: nobody can reach the case's folder and run the
# binary (not so when the repository lies below a private home folder)
unprivileged_can_read() {
	# shellcheck disable=SC2086
	if $UNPRIV test -r "$F/packet.json" && $UNPRIV test -x "$LICPACK_ABS"; then
		return 0
	fi
	SKIPPED_CASES="$SKIPPED_CASES $(basename "$dir")"
	echo "skip: $(basename "$dir"): the unprivileged user cannot reach $F or $LICPACK_ABS"
	return 1
}

# The files the clean folder holds, by material (for the empty case).
MATERIAL_FILES='renewal-application|续期申请表.jpg
business-license|营业执照副本.jpg
legal-rep-id-portrait|身份证人像面.jpg
legal-rep-id-emblem|身份证国徽面.jpg
domain-certificate|域名证书_example.com.jpg
domain-certificate|域名证书_example.cn.jpg
current-licence|现有许可证.jpg
undertaking|依法经营承诺书.jpg
shareholder-resolution|股东会决议.jpg
hosting-contract|服务器托管协议.jpg
icp-filing-screenshot|ICP备案截图.png'

# --- the cases -----------------------------------------------------------------

case_clean() { # the base every case changes: no finding at all
	new_case clean
	: >"$dir/expected"
	run_case clean 0
}

case_symlink_file_outside() {
	new_case symlink-file-outside
	cp "$F/营业执照副本.jpg" "$dir/tree/outside/secret.jpg"
	ln -s ../outside/secret.jpg "$F/营业执照副本_2.jpg"
	ln -s "$dir/tree/outside/secret.jpg" "$F/营业执照副本_3.jpg"
	expect 'symlink|warning|-|营业执照副本_2.jpg' 'symlink|warning|-|营业执照副本_3.jpg'
	run_case symlink-file-outside 0
	python3 -c "$PY_FILES_OF" "$dir/stdout" 2>/dev/null | grep -q '营业执照副本_[23]' &&
		e2e_fail "symlink-file-outside: a link out of the folder went into the packet"
}

case_symlink_dir_outside() {
	new_case symlink-dir-outside
	mkdir -p "$dir/tree/outside/licence"
	cp "$F/现有许可证.jpg" "$dir/tree/outside/licence/p2.jpg"
	ln -s ../outside/licence "$F/现有许可证附页"
	ln -s / "$F/root"
	expect 'symlink|warning|-|现有许可证附页' 'symlink|warning|-|root'
	run_case symlink-dir-outside 0
}

case_symlink_loop() {
	new_case symlink-loop
	ln -s loop-b "$F/loop-a"
	ln -s loop-a "$F/loop-b"
	ln -s self "$F/self"
	mkdir "$F/sub"
	ln -s .. "$F/sub/up"      # a link to a folder inside: not followed
	expect 'symlink|warning|-|loop-a' 'symlink|warning|-|loop-b' 'symlink|warning|-|self' \
		'symlink|warning|-|sub/up'
	run_case symlink-loop 0
}

case_fifo_socket() {
	new_case fifo-socket
	mkfifo "$F/营业执照副本_fifo.jpg"
	mkdir "$F/sub"
	mkfifo "$F/sub/pipe"
	if python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$F/身份证人像面_socket.jpg" 2>/dev/null; then
		expect 'not-regular|warning|-|sub/pipe' 'not-regular|warning|-|营业执照副本_fifo.jpg' \
			'not-regular|warning|-|身份证人像面_socket.jpg'
	else
		echo "skip: fifo-socket: cannot make a socket here; FIFOs only"
		expect 'not-regular|warning|-|sub/pipe' 'not-regular|warning|-|营业执照副本_fifo.jpg'
	fi
	run_case fifo-socket 0
}

case_unreadable_dir() {
	unprivileged
	if [ -z "$UNPRIV" ]; then
		SKIPPED_CASES="$SKIPPED_CASES unreadable-dir"
		echo "skip: unreadable-dir: running as root without setpriv; root reads any folder"
		return
	fi
	new_case unreadable-dir
	unprivileged_can_read || return
	mkdir "$F/private"
	cp "$F/营业执照副本.jpg" "$F/private/营业执照副本_2.jpg"
	chmod 000 "$F/private"
	expect 'unreadable|error|-|private'
	# shellcheck disable=SC2086  # the wrapper's words
	run_case unreadable-dir 1 $UNPRIV
	chmod 755 "$F/private"
}

case_unreadable_file() {
	unprivileged
	if [ -z "$UNPRIV" ]; then
		SKIPPED_CASES="$SKIPPED_CASES unreadable-file"
		echo "skip: unreadable-file: running as root without setpriv; root reads any file"
		return
	fi
	new_case unreadable-file
	unprivileged_can_read || return
	chmod 000 "$F/营业执照副本.jpg"
	expect 'unreadable|error|business-license|营业执照副本.jpg'
	# shellcheck disable=SC2086
	run_case unreadable-file 1 $UNPRIV
}

case_many_files() {
	dir=$H/many-files
	rm -rf "$dir"
	mkdir -p "$dir/tree/folder"
	# 10 000 files that match no material, in one folder, and nothing else
	python3 -c '
import os, sys
d = sys.argv[1]
for i in range(10000):
    with open(os.path.join(d, "scan-%05d.dat" % i), "wb") as f:
        f.write(b"x")
' "$dir/tree/folder"
	run_case many-files 1
	[ -n "$REPORT_OK" ] || return
	n=$(python3 -c "$PY_COUNT" "$dir/stdout" unrecognized)
	[ "$n" = 10000 ] || e2e_fail "many-files: $n unrecognized findings, expected 10000"
	m=$(python3 -c "$PY_COUNT" "$dir/stdout" missing)
	[ "$m" = 10 ] || e2e_fail "many-files: $m missing findings, expected 10 (every required material)"
	echo "note: many-files: 10000 files checked in ${ELAPSED}s"
	[ "$ELAPSED" -le 10 ] || [ -n "$LICPACK_WRAP" ] || e2e_fail "many-files: took ${ELAPSED}s (more than 10s)"
}

case_not_utf8_names() {
	new_case not-utf8-names
	# Latin-1 and GBK bytes, a lone continuation byte, an overlong '/', a
	# control character (ESC, which would drive a terminal) and U+202E (a
	# bidirectional override that shows "gpj.exe" as "exe.jpg")
	cp "$F/营业执照副本.jpg" "$F/$(printf 'caf\351.jpg')"
	printf 'x' >"$F/$(printf '\323\252\322\265\326\264\325\325.jpg')"   # 营业执照 in GBK
	printf 'x' >"$F/$(printf 'a\200b\300\257c.txt')"
	printf 'x' >"$F/$(printf 'esc\033[31mred.txt')"
	printf 'x' >"$F/$(printf 'bidi\342\200\256gpj.exe')"
	run_case not-utf8-names 0
	if [ -n "$REPORT_OK" ]; then
		n=$(python3 -c "$PY_COUNT" "$dir/stdout" unrecognized 2>/dev/null)
		[ "$n" = 5 ] || e2e_fail "not-utf8-names: ${n:-no} unrecognized findings, expected 5"
	fi
	grep -q "$(printf '\033')" "$dir/stdout" && e2e_fail "not-utf8-names: a raw ESC byte in the report"
	grep -q "$(printf '\342\200\256')" "$dir/stdout" && e2e_fail "not-utf8-names: a raw U+202E in the report"
	# the text report, which goes to a terminal, must not carry it either
	run_licpack "$dir" check "$F" --lang en --today 2026-11-28 --template icp-renewal
	grep -q "$(printf '\033')\\[31m" "$dir/stdout" && e2e_fail "not-utf8-names: the text report prints a file name's raw ESC sequence"
	grep -q "$(printf '\342\200\256')" "$dir/stdout" && e2e_fail "not-utf8-names: the text report prints a raw U+202E"
	python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$dir/stdout" 2>/dev/null ||
		e2e_fail "not-utf8-names: the text report is not valid UTF-8 (a file name printed raw)"
	return 0
}

# a matched file whose name is not UTF-8: the packet's JSON files (which
# name the original files) must stay valid JSON
case_not_utf8_build() {
	new_case not-utf8-build
	mv "$F/营业执照副本.jpg" "$F/$(printf '营业执照副本\377.jpg')"
	_s0=$(tree_sum "$dir/tree")
	run_licpack "$dir" build "$F" -o "$dir/out" $BUILD_ARGS
	same_exit not-utf8-build 0 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 5
	for j in report.json manifest.json; do
		[ -f "$dir/out/$j" ] || { e2e_fail "not-utf8-build: no $j"; continue; }
		python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$dir/out/$j" 2>"$dir/$j.err" ||
			e2e_fail "not-utf8-build: $j is not valid JSON: $(tail -n 1 "$dir/$j.err")"
	done
	[ "$_s0" = "$(tree_sum "$dir/tree")" ] || e2e_fail "not-utf8-build: the folder changed during the run"
}

case_long_names() {
	new_case long-names
	# 255 bytes, the most a Linux file name may have: 营业执照副本 (18 bytes)
	# + "_" + 232 digits + ".jpg"
	long=营业执照副本_$(printf '%0232d' 0).jpg
	[ "$(printf '%s' "$long" | wc -c)" = 255 ] || e2e_fail "long-names: the name is not 255 bytes"
	mv "$F/营业执照副本.jpg" "$F/$long"
	other=$(printf '%0251d' 7).dat
	printf 'x' >"$F/$other"
	expect "unrecognized|warning|-|$other"
	run_case long-names 0
	python3 -c "$PY_FILES_OF" "$dir/stdout" 2>/dev/null | grep -qF "$long" ||
		e2e_fail "long-names: the 255-byte name is not in the packet as business-license"
}

case_deep_tree() {
	new_case deep-tree
	# 20 levels of 250-byte folder names: deeper than the scan goes
	# (SCAN_MAX_DEPTH 16) and, in all, longer than PATH_MAX (4096)
	# (the shell's cd cannot go below PATH_MAX; python's chdir goes step by step)
	python3 -c '
import os, sys
os.chdir(sys.argv[1])
for i in range(1, 21):
    n = "%02d" % i + "0" * 248
    os.mkdir(n)
    os.chdir(n)
open("deep.dat", "w").write("x")
' "$F" || e2e_fail "deep-tree: cannot make the tree"
	deep=
	for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16; do
		deep=$deep${deep:+/}$i$(printf '%0248d' 0)
	done
	expect "unreadable|error|-|$deep"
	run_case deep-tree 1
}

# a PNG signature and IHDR with a correct CRC, declaring W x H, then a tiny
# IDAT and IEND: refused from its header, never decoded
PY_PNG='
import struct, sys, zlib
w, h = int(sys.argv[2]), int(sys.argv[3])
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
data += chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(data)
'
# a JPEG header declaring W x H (baseline, 3 components), an empty scan, EOI
PY_JPEG='
import struct, sys
w, h = int(sys.argv[2]), int(sys.argv[3])
d = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\x01\0\xc8\0\xc8\0\0"
d += b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, h, w, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
d += b"\xff\xda" + struct.pack(">HB", 12, 3) + b"\x01\x00\x02\x11\x03\x11\x00\x3f\x00" + b"\0" * 16
d += b"\xff\xd9"
open(sys.argv[1], "wb").write(d)
'

case_huge_png() {
	new_case huge-png
	rm "$F/营业执照副本.jpg"
	python3 -c "$PY_PNG" "$F/营业执照副本.png" 100000 100000
	expect 'too-large|error|business-license|营业执照副本.png'
	run_case huge-png 1
	[ "$ELAPSED" -le 10 ] || [ -n "$LICPACK_WRAP" ] || e2e_fail "huge-png: took ${ELAPSED}s: decoded?"
}

case_huge_jpeg() {
	new_case huge-jpeg
	rm "$F/营业执照副本.jpg"
	python3 -c "$PY_JPEG" "$F/营业执照副本.jpg" 65535 65535
	expect 'too-large|error|business-license|营业执照副本.jpg'
	run_case huge-jpeg 1
	[ "$ELAPSED" -le 10 ] || [ -n "$LICPACK_WRAP" ] || e2e_fail "huge-jpeg: took ${ELAPSED}s: decoded?"
}

case_empty_files() {
	new_case empty-files
	exp=
	printf '%s\n' "$MATERIAL_FILES" >"$dir/materials"
	while IFS='|' read -r mat file; do
		: >"$F/$file"
		exp="${exp}empty|error|$mat|$file
"
	done <"$dir/materials"
	printf '%s' "$exp" | LC_ALL=C sort >"$dir/expected"
	run_case empty-files 1
}

# set_json KEY JSON: packet.json's KEY (top-level) set to JSON
set_json() {
	python3 -c '
import json, sys
p, k, v = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
d = json.load(open(p, encoding="utf-8"))
d[k] = v
json.dump(d, open(p, "w", encoding="utf-8"), ensure_ascii=False)
' "$F/packet.json" "$1" "$2"
}

case_assignment_outside() {
	new_case assignment-outside
	set_json files '{"business-license": ["../../etc/passwd", "/etc/passwd", "./../folder/营业执照副本.jpg"]}'
	expect 'assignment|error|business-license|../../etc/passwd' \
		'assignment|error|business-license|/etc/passwd' \
		'assignment|error|business-license|./../folder/营业执照副本.jpg'
	run_case assignment-outside 1
	grep -q 'root:' "$dir/stdout" && e2e_fail "assignment-outside: /etc/passwd's content is in the report"
	return 0
}

case_packet_json_not_json() {
	new_case packet-json-not-json
	printf '{"template": "icp-renewal", \377\376 <<<\n' >"$F/packet.json"
	expect 'packet-json|error|-|packet.json'
	run_case packet-json-not-json 1
}

case_packet_json_huge() {
	new_case packet-json-huge
	# 50 MB: valid JSON, a string of spaces in "comment"
	python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("{\"template\": \"icp-renewal\", \"comment\": \"")
    f.write(" " * (50 * 1024 * 1024))
    f.write("\"}\n")
' "$F/packet.json"
	expect 'packet-json|error|-|packet.json'
	run_case packet-json-huge 1
	[ "$ELAPSED" -le 10 ] || [ -n "$LICPACK_WRAP" ] || e2e_fail "packet-json-huge: took ${ELAPSED}s"
}

# --- run -------------------------------------------------------------------------

ALL="clean symlink_file_outside symlink_dir_outside symlink_loop fifo_socket unreadable_dir
unreadable_file many_files not_utf8_names not_utf8_build long_names deep_tree huge_png huge_jpeg empty_files
assignment_outside packet_json_not_json packet_json_huge"
need_mkfixture
[ $# -gt 0 ] || set -- $ALL
run_cases "$@"
e2e_finish
