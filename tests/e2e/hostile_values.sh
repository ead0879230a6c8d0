#!/bin/sh
# hostile_values: packet.json and file names written to hurt the person who
# runs licpack on a client's folder (issue 17 items 12, 13, 17, 18, 19).
# Each case is the clean icp-renewal folder (setups/complete.setup) with one
# change, and checks exact outputs: exit codes, findings, messages, bytes.
#   - terminal escapes in packet.json values never reach stdout or
#     report.txt raw, and the JSON outputs stay valid JSON;
#   - a packet.json that is a link out of the folder is refused;
#   - an ID number in a file name is masked in every output but packet.json;
#   - empty, non-UTF-8, NUL-holding, repeated keys and trailing text in
#     packet.json are each a packet-json error naming the key;
#   - clear messages: the real reason a template is unknown, outputs named
#     after the folder's real name, NFD names, --max-depth, assigned
#     links/FIFOs/hidden files named as such.
# Scratch folders stay in tests/out/e2e/hostile_values/CASE/.
#   sh tests/e2e/hostile_values.sh [CASE...]
. "$(dirname "$0")/lib.sh"

e2e_init hostile_values
H=$E2E_ROOT/$E2E_OUT
CHECK="--lang en --today 2026-11-28"
ESC=$(printf '\033')
case $LICPACK in /*) LICPACK_ABS=$LICPACK ;; */*) LICPACK_ABS=$E2E_ROOT/$LICPACK ;; *) LICPACK_ABS=$(command -v "$LICPACK") ;; esac

# new_case NAME: $F is a copy of the complete folder in $dir/folder
new_case() {
	dir=$H/$1
	rm -rf "$dir"
	mkdir -p "$dir"
	complete_folder "$dir/folder" || exit 1
	F=$dir/folder
}

# pj PYTHON: packet.json rewritten as bytes by a python expression over d
# (the parsed dict) that yields the new text as bytes in `out`
pj() {
	python3 -c '
import json, sys
p = sys.argv[1]
d = json.load(open(p, encoding="utf-8"))
out = None
exec(sys.argv[2])
if out is None:
    out = json.dumps(d, ensure_ascii=False).encode()
open(p, "wb").write(out)
' "$F/packet.json" "$1"
}

# findings_of FILE: code|severity|material|file lines of a JSON report
findings_of() {
	report "$1" findings
}

# messages_of FILE CODE: the messages of CODE's findings, sorted
messages_of() {
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
for m in sorted(f["message"] for f in r["findings"] if f["code"] == sys.argv[2]):
    print(m)
' "$1" "$2"
}

expect_lines() { # FILE LINES...: FILE holds the lines to compare with
	_f=$1
	shift
	printf '%s\n' "$@" >"$_f"
}

valid_json() { # LABEL FILE
	python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$2" 2>"$2.err" ||
		e2e_fail "$1: $(basename "$2") is not valid JSON: $(tail -n 1 "$2.err")"
}

no_byte() { # LABEL FILE BYTES DESCRIPTION
	if grep -q "$3" "$2"; then
		e2e_fail "$1: $(basename "$2") holds $4"
	fi
	return 0
}

# --- 12: terminal escapes in values ------------------------------------------

case_escape_values() {
	new_case escape-values
	# \u001b in JSON escapes, a raw ESC byte inside a string (cJSON takes it),
	# U+202E (bidi override) in a domain and BEL in the licence number
	pj 'd["company"]["name"] = "\x1b]0;pwned\x07\x1b[2J示例网络科技有限公司"
d["legal_rep"]["name"] = "张三\u202e"
d["licence"]["number"] = "浙B2-20080101\x07"
out = json.dumps(d, ensure_ascii=True).encode().replace(b"\\u5f20\\u4e09", b"\x1b[31m\xe5\xbc\xa0\xe4\xb8\x89")'
	run_licpack "$dir" check "$F" $CHECK
	same_exit escape-values 1 "$RC"
	no_byte escape-values "$dir/stdout" "$ESC" "a raw ESC byte"
	no_byte escape-values "$dir/stdout" "$(printf '\007')" "a raw BEL byte"
	expect_lines "$dir/want" 'Applicant: \x1B]0;pwned\x07\x1B[2J示例网络科技有限公司'
	grep '^Applicant: ' "$dir/stdout" >"$dir/got"
	same_text "escape-values: applicant line" "$dir/want" "$dir/got"
	expect_lines "$dir/want" "licence-number|error|current-licence|packet.json"
	run_licpack "$dir" check "$F" $CHECK --format json
	cp "$dir/stdout" "$dir/check.json"
	valid_json escape-values "$dir/check.json"
	no_byte escape-values "$dir/check.json" "$ESC" "a raw ESC byte"
	findings_of "$dir/check.json" >"$dir/got"
	same_text "escape-values: findings" "$dir/want" "$dir/got"
	expect_lines "$dir/want" "licence number '浙B2-20080101\\x07': expected a form like 京B2-20212732"
	messages_of "$dir/check.json" licence-number >"$dir/got"
	same_text "escape-values: message" "$dir/want" "$dir/got"
	# build writes the reports and the manifest (incomplete: --allow-incomplete)
	run_licpack "$dir" build "$F" -o "$dir/out" $CHECK --allow-incomplete
	same_exit "escape-values: build" 1 "$RC"
	for f in report.txt report.json report.html manifest.json; do
		[ -f "$dir/out/$f" ] || { e2e_fail "escape-values: no $f"; continue; }
		no_byte escape-values "$dir/out/$f" "$ESC" "a raw ESC byte"
		no_byte escape-values "$dir/out/$f" "$(printf '\342\200\256')" "a raw U+202E"
	done
	valid_json escape-values "$dir/out/report.json"
	valid_json escape-values "$dir/out/manifest.json"
	python3 -c '
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
print(m["applicant"]["company"]["name"])
print(m["applicant"]["legal_rep"]["name"])
' "$dir/out/manifest.json" >"$dir/got" 2>&1
	expect_lines "$dir/want" '\x1B]0;pwned\x07\x1B[2J示例网络科技有限公司' '\x1B[31m张三\xE2\x80\xAE'
	same_text "escape-values: manifest names" "$dir/want" "$dir/got"
}

# --- 13: packet.json as a link -------------------------------------------------

# pj_link_case NAME EXPECTED-MESSAGE: packet.json made by the caller; check
# with -t exits 1 with exactly this packet-json message, and the outside
# file's company name is nowhere in the report
pj_link_case() {
	run_licpack "$dir" check "$F" $CHECK --format json --template icp-renewal
	same_exit "$1" 1 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	printf '%s\n' "$2" >"$dir/want"
	messages_of "$dir/stdout" packet-json >"$dir/got" 2>&1
	same_text "$1: packet-json messages" "$dir/want" "$dir/got"
	if grep -q '外部公司' "$dir/stdout"; then e2e_fail "$1: the outside packet.json was read"; fi
	return 0
}

case_packet_json_link_outside() {
	new_case packet-json-link-outside
	sed 's/厦门示例网络科技有限公司/外部公司/' "$F/packet.json" >"$dir/outside.json"
	rm "$F/packet.json"
	ln -s ../outside.json "$F/packet.json"
	pj_link_case packet-json-link-outside "'packet.json': symbolic link to a place outside the folder: refused"
	# an absolute link, and a link to a link out
	rm "$F/packet.json"
	ln -s "$dir/outside.json" "$F/packet.json"
	pj_link_case packet-json-link-absolute "'packet.json': symbolic link to a place outside the folder: refused"
	rm "$F/packet.json"
	mkdir "$F/meta"
	ln -s ../../outside.json "$F/meta/p.json"
	ln -s meta/p.json "$F/packet.json"
	pj_link_case packet-json-link-chain "'packet.json': symbolic link to a place outside the folder: refused"
}

case_packet_json_link_broken() {
	new_case packet-json-link-broken
	rm "$F/packet.json"
	ln -s nowhere.json "$F/packet.json"
	pj_link_case packet-json-link-broken "'packet.json': symbolic link to nothing (broken): refused"
}

case_packet_json_fifo() {
	new_case packet-json-fifo
	rm "$F/packet.json"
	mkfifo "$F/packet.json"
	pj_link_case packet-json-fifo "'packet.json': not a regular file (a folder, FIFO, socket or device)"
}

# a link to a file inside the folder is followed, as for materials
case_packet_json_link_inside() {
	new_case packet-json-link-inside
	mkdir "$F/.meta"
	mv "$F/packet.json" "$F/.meta/packet.json"
	ln -s .meta/packet.json "$F/packet.json"
	run_licpack "$dir" check "$F" $CHECK --format json
	same_exit packet-json-link-inside 0 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
}

# --- 17: ID numbers in file names ----------------------------------------------

# every output of check and build, as text, into $dir/all (packet.json
# excluded: it is the user's own); the zip's entry names and the manifest in
# it, and the cover's text
case_id_in_file_name() {
	new_case id-in-file-name
	mv "$F/身份证人像面.jpg" "$F/身份证人像面_11010519491231002X.jpg"
	mv "$F/身份证国徽面.jpg" "$F/身份证国徽面_110105194912310021x.jpg"     # 19 characters: not an ID
	mkdir "$F/440304199001011233"
	mv "$F/股东会决议.jpg" "$F/440304199001011233/股东会决议.jpg"
	printf 'x' >"$F/scan_320102198512120014.dat"                        # unrecognised
	printf 'x' >"$F/order_320102198512120015.dat"                       # wrong check digit: not an ID
	printf 'x' >"$F/ref_3201021985121200149.dat"                        # 19 digits: not an ID
	run_licpack "$dir" check "$F" $CHECK --format json
	same_exit id-in-file-name 0 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	cp "$dir/stdout" "$dir/check.json"
	{
		report "$dir/check.json" files | cut -d'|' -f2
		report "$dir/check.json" unrecognized
	} >"$dir/got"
	expect_lines "$dir/want" 续期申请表.jpg 营业执照副本.jpg '身份证人像面_110105********002X.jpg' \
		身份证国徽面_110105194912310021x.jpg 域名证书_example.com.jpg 域名证书_example.cn.jpg 现有许可证.jpg \
		依法经营承诺书.jpg '440304********1233/股东会决议.jpg' 服务器托管协议.jpg ICP备案截图.png \
		order_320102198512120015.dat ref_3201021985121200149.dat 'scan_320102********0014.dat'
	same_text "id-in-file-name: names in the report" "$dir/want" "$dir/got"
	run_licpack "$dir" check "$F" $CHECK
	cp "$dir/stdout" "$dir/check.txt"
	run_licpack "$dir" build "$F" -o "$dir/out" $CHECK
	same_exit "id-in-file-name: build" 0 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	cp "$dir/stdout" "$dir/build.txt"
	if ! command -v unzip >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
		echo "SKIPPED: id-in-file-name: unzip or pdftotext is not installed (make deps-test)"
		return 0
	fi
	unzip -Z1 "$dir/out/folder.zip" >"$dir/zip-names"
	unzip -p "$dir/out/folder.zip" manifest.json >"$dir/zip-manifest.json"
	unzip -p "$dir/out/folder.zip" 00_封面.pdf >"$dir/zip-cover.pdf"
	pdftotext "$dir/out/folder.pdf" "$dir/pdf.txt"
	pdftotext "$dir/zip-cover.pdf" "$dir/zip-cover.txt"
	for f in check.json check.txt build.txt out/report.txt out/report.json out/report.html out/manifest.json zip-names \
		zip-manifest.json pdf.txt zip-cover.txt; do
		[ -s "$dir/$f" ] || { e2e_fail "id-in-file-name: $f is empty"; continue; }
		for id in 11010519491231002X 440304199001011233 320102198512120014; do
			if grep -Eq "(^|[^0-9])$id([^0-9Xx]|\$)" "$dir/$f"; then e2e_fail "id-in-file-name: $f shows $id in full"; fi
		done
	done
	grep -c '身份证人像面_110105\*\*\*\*\*\*\*\*002X.jpg' "$dir/pdf.txt" >"$dir/got"
	expect_lines "$dir/want" 1     # the page's caption (the cover names packet names)
	same_text "id-in-file-name: masked name in the PDF" "$dir/want" "$dir/got"
	python3 -c '
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
for f in m["files"]:
    if "股东" in f["original"] or "人像" in f["original"]:
        print(f["original"])
' "$dir/out/manifest.json" >"$dir/got"
	expect_lines "$dir/want" '身份证人像面_110105********002X.jpg' '440304********1233/股东会决议.jpg'
	same_text "id-in-file-name: manifest originals" "$dir/want" "$dir/got"
}

# --- 18: packet.json values cJSON lets pass -----------------------------------

# json_case NAME PYTHON EXPECTED-MESSAGE...: packet.json changed by PYTHON
# (see pj); check exits 1 with exactly these packet-json messages
json_case() {
	_n=$1 _py=$2
	shift 2
	new_case "$_n"
	pj "$_py"
	run_licpack "$dir" check "$F" $CHECK --format json --template icp-renewal
	same_exit "$_n" 1 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	valid_json "$_n" "$dir/stdout"
	printf '%s\n' "$@" >"$dir/want"
	messages_of "$dir/stdout" packet-json >"$dir/got" 2>&1
	same_text "$_n: packet-json messages" "$dir/want" "$dir/got"
}

case_blank_company_name() {
	json_case blank-company-name 'd["company"]["name"] = " \u3000 "' \
		"'packet.json': company.name: empty: give a value or leave the key out"
	json_case empty-company-name 'd["company"]["name"] = ""' \
		"'packet.json': company.name: empty: give a value or leave the key out"
}

case_not_utf8_value() {
	json_case not-utf8-value 'out = json.dumps(d, ensure_ascii=False).encode().replace("张三".encode(), "张三".encode("gbk"))' \
		"'packet.json': legal_rep.name: not valid UTF-8 text"
	# the manifest the build writes stays valid JSON
	run_licpack "$dir" build "$F" -o "$dir/out" $CHECK --allow-incomplete
	same_exit "not-utf8-value: build" 1 "$RC"
	valid_json not-utf8-value "$dir/out/manifest.json"
	valid_json not-utf8-value "$dir/out/report.json"
}

case_nul_value() {
	json_case nul-value 'd["company"]["name"] = "示例\x00网络科技有限公司"' \
		"'packet.json': company.name: holds a NUL character (\\u0000), which cuts it short"
	# an escaped backslash before u0000 is text, not a NUL
	json_case nul-value-text 'd["company"]["name"] = "示例\\u0000"; d["company"]["uscc"] = "bad\x00"' \
		"'packet.json': company.uscc: holds a NUL character (\\u0000), which cuts it short"
	json_case nul-byte 'out = json.dumps(d, ensure_ascii=False).encode().replace(b"\"uscc\"", b"\"us\x00cc\"")' \
		"'packet.json':1:68: a NUL byte: not JSON text"
}

case_duplicate_key() {
	json_case duplicate-key 'out = json.dumps(d, ensure_ascii=False).encode().replace(b"{\"name\": \"\xe5\xbc\xa0", b"{\"name\": \"" + "李四".encode() + b"\", \"name\": \"\xe5\xbc\xa0")' \
		"'packet.json': legal_rep.name: given more than once (only the first would count)"
	json_case duplicate-top-key 'out = json.dumps(d, ensure_ascii=False).encode().replace(b"{\"template\"", b"{\"template\": \"edi-new\", \"template\"")' \
		"'packet.json': template: given more than once (only the first would count)"
}

case_trailing_garbage() {
	json_case trailing-garbage 'out = json.dumps(d, ensure_ascii=False).encode() + b"\n\n  {\"template\": \"x\"}\n"' \
		"'packet.json':3:3: text after the end of the JSON value"
}

# --- 19: clear messages ----------------------------------------------------------

# no_template_case NAME EN ZH: check without -t exits 2 with exactly these
# messages on stderr (English, then Chinese)
no_template_case() {
	run_licpack "$dir" check "$F" --lang en --today 2026-11-28
	same_exit "$1" 2 "$RC"
	printf 'licpack: %s\n' "$2" >"$dir/want"
	same_text "$1: message" "$dir/want" "$dir/stderr"
	run_licpack "$dir" check "$F" --lang zh --today 2026-11-28
	same_exit "$1: zh" 2 "$RC"
	printf 'licpack: %s\n' "$3" >"$dir/want"
	same_text "$1: zh message" "$dir/want" "$dir/stderr"
}

case_no_template_not_json() {
	new_case no-template-not-json
	printf '{"template": "icp-renewal",\n  "company": {"name": "x"\n' >"$F/packet.json"
	no_template_case no-template-not-json \
		"'$F': no template: packet.json cannot be used ('packet.json':2:26: not valid JSON): fix it or give --template ID" \
		"'$F'：无法确定模板：packet.json 无法使用（'packet.json' 第 2 行第 26 列：不是有效的 JSON）：请修正它，或用 --template ID 指定"
}

case_no_template_oversize() {
	new_case no-template-oversize
	python3 -c '
import sys
open(sys.argv[1], "w").write("{\"template\": \"icp-renewal\", \"comment\": \"" + " " * (2 << 20) + "\"}")
' "$F/packet.json"
	no_template_case no-template-oversize \
		"'$F': no template: packet.json cannot be used ('packet.json': larger than 1048576 bytes): fix it or give --template ID" \
		"'$F'：无法确定模板：packet.json 无法使用（'packet.json'：超过 1048576 字节）：请修正它，或用 --template ID 指定"
}

case_no_template_too_deep() {
	new_case no-template-too-deep
	python3 -c '
import sys
open(sys.argv[1], "w").write("{\"template\": \"icp-renewal\", \"comment\": " + "[" * 1200 + "]" * 1200 + "}")
' "$F/packet.json"
	no_template_case no-template-too-deep \
		"'$F': no template: packet.json cannot be used ('packet.json':1:1039: nested more than 1000 arrays or objects deep): fix it or give --template ID" \
		"'$F'：无法确定模板：packet.json 无法使用（'packet.json' 第 1 行第 1039 列：数组或对象嵌套超过 1000 层）：请修正它，或用 --template ID 指定"
}

case_no_template_link_outside() {
	new_case no-template-link-outside
	mv "$F/packet.json" "$dir/outside.json"
	ln -s ../outside.json "$F/packet.json"
	no_template_case no-template-link-outside \
		"'$F': no template: packet.json cannot be used ('packet.json': symbolic link to a place outside the folder: refused): fix it or give --template ID" \
		"'$F'：无法确定模板：packet.json 无法使用（'packet.json'：符号链接指向文件夹之外，已拒绝）：请修正它，或用 --template ID 指定"
}

# assigned files the scan does not take are named for what they are
case_assigned_not_taken() {
	new_case assigned-not-taken
	mv "$F/营业执照副本.jpg" "$dir/yyzz.jpg"
	ln -s ../yyzz.jpg "$F/a-link.jpg"
	mkfifo "$F/a-fifo.jpg"
	cp "$dir/yyzz.jpg" "$F/.hidden.jpg"
	mkdir "$F/.scans" "$F/folder"
	cp "$dir/yyzz.jpg" "$F/.scans/yyzz.jpg"
	pj 'd["files"] = {"business-license": ["a-link.jpg", "a-fifo.jpg", ".hidden.jpg", ".scans/yyzz.jpg", "folder",
	                                       "gone.jpg", "sfz_11010519491231002X.jpg"]}'
	run_licpack "$dir" check "$F" $CHECK --format json
	same_exit assigned-not-taken 1 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	messages_of "$dir/stdout" assignment >"$dir/got"
	expect_lines "$dir/want" \
		"'.hidden.jpg': assigned in packet.json, but it is a hidden or system file, which licpack skips (a name starting with '.' or '~', or in such a folder): rename it" \
		"'.scans/yyzz.jpg': assigned in packet.json, but it is a hidden or system file, which licpack skips (a name starting with '.' or '~', or in such a folder): rename it" \
		"'a-fifo.jpg': assigned in packet.json, but it is not a regular file (FIFO, socket or device)" \
		"'a-link.jpg': assigned in packet.json, but it is a symbolic link to a place outside the folder: refused" \
		"'folder': assigned in packet.json, but it is a folder: assign the files in it" \
		"'gone.jpg': assigned in packet.json but not found in the folder" \
		"'sfz_110105********002X.jpg': assigned in packet.json but not found in the folder"
	same_text "assigned-not-taken: messages" "$dir/want" "$dir/got"
}

# `build .` and `build ..`: outputs named after the folder's real name
case_build_dot() {
	new_case build-dot
	(cd "$F" && LICPACK=$LICPACK_ABS run_licpack "$dir" build . $CHECK && echo "$RC" >"$dir/rc")
	same_exit "build-dot" 0 "$(cat "$dir/rc")"
	(cd "$dir/folder-packet" 2>/dev/null && ls) >"$dir/got"
	expect_lines "$dir/want" folder.pdf folder.zip manifest.json report.html report.json report.txt upload
	same_text "build-dot: outputs in ../folder-packet" "$dir/want" "$dir/got"
	mkdir "$F/sub"
	(cd "$F/sub" && LICPACK=$LICPACK_ABS run_licpack "$dir" build .. -o "$dir/out" $CHECK && echo "$RC" >"$dir/rc")
	same_exit "build-dotdot" 0 "$(cat "$dir/rc")"
	(cd "$dir/out" && ls) >"$dir/got"
	same_text "build-dotdot: outputs" "$dir/want" "$dir/got"
	if ls -a "$F" | grep -q -- '-packet'; then e2e_fail "build-dot: an output folder inside the applicant folder"; fi
	return 0
}

# --max-depth N on check, build and batch (the default, 16, is hostile.sh's deep-tree)
case_max_depth() {
	new_case max-depth
	mkdir -p "$F/a/b/c"
	mv "$F/股东会决议.jpg" "$F/a/b/c/股东会决议.jpg"
	run_licpack "$dir" check "$F" $CHECK --format json --max-depth 3
	same_exit "max-depth 3" 1 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	findings_of "$dir/stdout" >"$dir/got"
	expect_lines "$dir/want" 'missing|error|shareholder-resolution|-' 'unreadable|error|-|a/b/c'
	same_text "max-depth 3: findings" "$dir/want" "$dir/got"
	messages_of "$dir/stdout" unreadable >"$dir/got"
	expect_lines "$dir/want" "'a/b/c': nested more than 3 folders deep; not read (move its files up, or --max-depth)"
	same_text "max-depth 3: message" "$dir/want" "$dir/got"
	run_licpack "$dir" check "$F" $CHECK --max-depth 4
	same_exit "max-depth 4" 0 "$RC"
	run_licpack "$dir" build "$F" -o "$dir/out" $CHECK --max-depth 3
	same_exit "max-depth 3: build" 1 "$RC"
	run_licpack "$dir" build "$F" -o "$dir/out" $CHECK --max-depth 4
	same_exit "max-depth 4: build" 0 "$RC"
	mkdir "$dir/root" && mv "$F" "$dir/root/acme"
	run_licpack "$dir" batch "$dir/root" -o "$dir/batch" $CHECK --check-only --max-depth 3 -j 1
	same_exit "max-depth 3: batch" 1 "$RC"
	run_licpack "$dir" batch "$dir/root" -o "$dir/batch4" $CHECK --check-only --max-depth 4 -j 1
	same_exit "max-depth 4: batch" 0 "$RC"
	run_licpack "$dir" check "$dir/root/acme" --lang en --max-depth 0
	same_exit "max-depth 0" 2 "$RC"
	printf "licpack: --max-depth: '0' is not a whole number from 1 to 1000\nTry 'licpack check --help'.\n" >"$dir/want"
	same_text "max-depth 0: message" "$dir/want" "$dir/stderr"
}

# a name packet.json assigns in NFC matches the same name written NFD on disk
case_nfd_assignment() {
	new_case nfd-assignment
	python3 -c '
import os, sys, unicodedata
f = sys.argv[1]
os.rename(os.path.join(f, "营业执照副本.jpg"), os.path.join(f, unicodedata.normalize("NFD", "scan_café.jpg")))
os.rename(os.path.join(f, "现有许可证.jpg"), os.path.join(f, unicodedata.normalize("NFD", "スキャン_ガイド.jpg")))
' "$F"
	pj 'import unicodedata
d["files"] = {"business-license": [unicodedata.normalize("NFC", "scan_café.jpg")],
              "current-licence": [unicodedata.normalize("NFC", "スキャン_ガイド.jpg")]}'
	run_licpack "$dir" check "$F" $CHECK --format json
	same_exit nfd-assignment 0 "$RC" || sed 's/^/    stderr: /' "$dir/stderr" | head -n 3
	findings_of "$dir/stdout" >"$dir/got"
	: >"$dir/want"
	same_text "nfd-assignment: findings" "$dir/want" "$dir/got"
	report "$dir/stdout" files | grep -E '^(business-license|current-licence)\|' | cut -d'|' -f1,3 >"$dir/got"
	expect_lines "$dir/want" 'business-license|packet.json' 'current-licence|packet.json'
	same_text "nfd-assignment: matched by" "$dir/want" "$dir/got"
}

# a client's folder name with a terminal escape: batch's progress lines and
# the text reports show it escaped
case_escape_folder_name() {
	new_case escape-folder-name
	mkdir "$dir/root"
	evil=$(printf 'acme\033[2J\033]0;x\007')
	mv "$F" "$dir/root/$evil"
	run_licpack "$dir" batch "$dir/root" -o "$dir/out" $CHECK --check-only -j 1
	same_exit escape-folder-name 0 "$RC"
	no_byte escape-folder-name "$dir/stderr" "$ESC" "a raw ESC byte"
	grep '^\[1/1\]' "$dir/stderr" >"$dir/got"
	expect_lines "$dir/want" '[1/1] acme\x1B[2J\x1B]0;x\x07: complete'
	same_text "escape-folder-name: progress line" "$dir/want" "$dir/got"
	for f in "$dir/out/$evil/report.txt"; do
		[ -f "$f" ] || { e2e_fail "escape-folder-name: no report.txt"; continue; }
		no_byte escape-folder-name "$f" "$ESC" "a raw ESC byte"
	done
	run_licpack "$dir" check "$dir/root/$evil" $CHECK
	same_exit "escape-folder-name: check" 0 "$RC"
	no_byte escape-folder-name "$dir/stdout" "$ESC" "a raw ESC byte"
}

# --- run -------------------------------------------------------------------------

ALL="escape_values id_in_file_name blank_company_name not_utf8_value nul_value duplicate_key trailing_garbage
packet_json_link_outside packet_json_link_broken packet_json_fifo packet_json_link_inside
no_template_not_json no_template_oversize no_template_too_deep no_template_link_outside
assigned_not_taken build_dot max_depth nfd_assignment escape_folder_name"
need_mkfixture
[ $# -gt 0 ] || set -- $ALL
run_cases "$@"
e2e_finish
