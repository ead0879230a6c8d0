#!/bin/sh
# check_cases: the data-driven end-to-end cases of `licpack check`.
#
# Each directory tests/data/e2e/check/NAME/ is one case: a `setup` recipe that
# builds the applicant folder, the command's arguments, and the expected exit
# code, findings, files, messages or stderr. tests/data/e2e/README.md describes
# the format. Every case's folder and outputs are left in tests/out/e2e/check/NAME/
# for inspection.
#   sh tests/e2e/check_cases.sh [NAME...]     all cases, or the ones named
. "$(dirname "$0")/lib.sh"

CASES=tests/data/e2e/check
SETUPS=$E2E_ROOT/tests/data/e2e/setups
DEFAULT_ARGS="--today 2026-11-28"

# drop_words N LINE: LINE without its first N words (and the blanks after them).
drop_words() {
	_n=$1 _rest=$2
	while [ "$_n" -gt 0 ]; do
		_rest=${_rest#"${_rest%%[! 	]*}"}
		_rest=${_rest#"${_rest%%[ 	]*}"}
		_n=$((_n - 1))
	done
	printf '%s' "${_rest#"${_rest%%[! 	]*}"}"
}

E2E_PY_JSONSET='
import json, re, sys
path, key = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    doc = json.load(f)
steps = [int(i) if i else n for i, n in re.findall(r"\[(\d+)\]|([^.\[\]]+)", key)]
node = doc
for s in steps[:-1]:
    node = node[s]
if len(sys.argv) > 3:
    node[steps[-1]] = json.loads(sys.argv[3])
else:
    del node[steps[-1]]
with open(path, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=2)
    f.write("\n")
'

# run_setup FILE: carry out a setup recipe in the current directory (the
# applicant folder). Prints what went wrong and returns 1 on the first error.
run_setup() {
	_file=$1 _block='' _lineno=0
	while IFS= read -r _line || [ -n "$_line" ]; do
		_lineno=$((_lineno + 1))
		if [ -n "$_block" ]; then
			if [ "$_line" = end ]; then _block=; else printf '%s\n' "$_line" >>"$_block"; fi
			continue
		fi
		case $_line in '' | '#'*) continue ;; esac
		set -f
		# shellcheck disable=SC2086  # words of the recipe line
		set -- $_line
		set +f
		_cmd=$1
		case $_cmd in
		include) include_setup "$2" ;;
		jpeg | png | pdf | heic | webp | tiff | gif | bmp | zip) shift; fixture "$_cmd" "$@" ;;
		copy) mkdir -p "$(dirname "$3")" && cp -P "$2" "$3" ;;
		move) mkdir -p "$(dirname "$3")" && mv "$2" "$3" ;;
		remove) [ -e "$2" ] || [ -L "$2" ] && rm -rf "$2" ;;
		mkdir) mkdir -p "$2" ;;
		truncate | flip) "$MKFIXTURE" "$_cmd" "$2" "$3" ;;
		jpeg-damage) shift; "$MKFIXTURE" jpeg-damage "$@" ;;
		empty) mkdir -p "$(dirname "$2")" && : >"$2" ;;
		text) mkdir -p "$(dirname "$2")" && printf '%s\n' "$(drop_words 2 "$_line")" >"$2" ;;
		json | file) mkdir -p "$(dirname "$2")" && : >"$2" && _block=$2 ;;
		jsonset) python3 -c "$E2E_PY_JSONSET" "$2" "$3" "$(drop_words 3 "$_line")" ;;
		jsondel) python3 -c "$E2E_PY_JSONSET" "$2" "$3" ;;
		symlink) mkdir -p "$(dirname "$3")" && ln -s "$2" "$3" ;;
		fifo) mkdir -p "$(dirname "$2")" && mkfifo "$2" ;;
		*) echo "$_file:$_lineno: unknown setup command '$_cmd'"; false ;;
		esac || { echo "$_file:$_lineno: failed: $_line"; return 1; }
	done <"$_file"
	if [ -n "$_block" ]; then
		echo "$_file: '$_block' has no 'end' line"
		return 1
	fi
	return 0
}

# include_setup NAME: the folder tests/data/e2e/setups/NAME.setup makes, copied
# into the current directory. It is built once per version of the recipe and
# of mkfixture, in the fixture cache (the recipe may not write outside it).
include_setup() {
	_inc=$SETUPS/$1.setup
	[ -f "$_inc" ] || { echo "no setup $_inc"; return 1; }
	fixture_cache_init || return 1
	_incdir=$E2E_CACHE/setup-$1-$(cat "$_inc" "$MKFIXTURE" | cksum | cut -d' ' -f1)
	if [ ! -d "$_incdir" ]; then
		rm -rf "$_incdir.$$"
		if ! mkdir -p "$_incdir.$$" || ! (cd "$_incdir.$$" && run_setup "$_inc") ||
			! mv "$_incdir.$$" "$_incdir"; then
			rm -rf "$_incdir.$$"
			return 1
		fi
	fi
	cp -PR "$_incdir/." .
}

# normalise FILE: the scratch paths written as @DIR and @CASE.
normalise() {
	sed "s|$folder|@DIR|g; s|$dir|@CASE|g" "$1"
}

run_case() {
	name=$1 src=$CASES/$1
	dir=$E2E_OUT/$1
	folder=$dir/folder
	before=$E2E_FAILED
	mkdir -p "$folder"
	if [ ! -f "$src/expected-exit" ]; then
		e2e_fail "$name: no expected-exit file"
		return
	fi
	if [ -f "$src/setup" ] && ! (cd "$folder" && run_setup "$E2E_ROOT/$src/setup") >"$dir/setup.log" 2>&1; then
		e2e_fail "$name: setup failed"
		sed 's/^/    /' "$dir/setup.log"
		return
	fi
	if [ -f "$src/command" ]; then
		has_expect=
		for e in "$src"/expected-std* "$src"/expected-findings; do
			[ -f "$e" ] && has_expect=1
		done
		if [ -z "$has_expect" ]; then
			e2e_fail "$name: a case with a command needs expected-stdout, -stderr or -findings"
			return
		fi
		words=$(cat "$src/command")
	elif [ -f "$src/args" ]; then
		words="check @DIR --format json --lang en $(cat "$src/args")"
	else
		words="check @DIR --format json --lang en $DEFAULT_ARGS"
	fi
	words=$(printf '%s\n' "$words" | sed "s|@DIR|$folder|g; s|@CASE|$dir|g")
	set -f
	# shellcheck disable=SC2086  # the words of the command line
	set -- $words
	set +f
	run_licpack "$dir" "$@"
	normalise "$dir/stdout" >"$dir/stdout.norm"
	normalise "$dir/stderr" >"$dir/stderr.norm"

	same_exit "$name" "$(cat "$src/expected-exit")" "$RC"
	if [ -f "$src/expected-stderr" ]; then
		same_text "$name: stderr" "$src/expected-stderr" "$dir/stderr.norm"
	elif [ -s "$dir/stderr" ] && [ ! -f "$src/expected-stderr-grep" ]; then
		e2e_fail "$name: unexpected output on stderr:"
		sed 's/^/    /' "$dir/stderr" | head -n 40
	fi
	if [ -f "$src/expected-stderr-grep" ]; then
		while IFS= read -r re; do
			[ -n "$re" ] || continue
			grep -Eq -e "$re" "$dir/stderr.norm" || e2e_fail "$name: no line of stderr matches /$re/"
		done <"$src/expected-stderr-grep"
	fi
	# A usage or I/O error prints no report.
	if [ "$RC" -ge 2 ] && [ -s "$dir/stdout" ] && [ ! -f "$src/expected-stdout" ] && [ ! -f "$src/expected-stdout-grep" ]; then
		e2e_fail "$name: exit $RC, yet something on stdout:"
		sed 's/^/    /' "$dir/stdout" | head -n 20
	fi
	if [ -f "$src/expected-stdout" ]; then
		same_text "$name: stdout" "$src/expected-stdout" "$dir/stdout.norm"
	fi
	if [ -f "$src/expected-stdout-grep" ]; then
		while IFS= read -r re; do
			[ -n "$re" ] || continue
			grep -Eq -e "$re" "$dir/stdout.norm" || e2e_fail "$name: no line of stdout matches /$re/"
		done <"$src/expected-stdout-grep"
	fi
	# A JSON report: it must agree with itself, and with the expectations.
	if [ -f "$src/expected-findings" ] || { [ ! -f "$src/command" ] && [ "$RC" -le 1 ]; }; then
		if ! report "$dir/stdout" all "$dir" >"$dir/check" 2>&1; then
			e2e_fail "$name: the JSON report is inconsistent:"
			sed 's/^/    /' "$dir/check"
		fi
		if [ ! -f "$src/expected-findings" ]; then
			e2e_fail "$name: no expected-findings file"
		else
			same_text "$name: findings" "$src/expected-findings" "$dir/findings"
		fi
		for what in files unrecognized; do
			[ -f "$src/expected-$what" ] || continue
			same_text "$name: $what" "$src/expected-$what" "$dir/$what"
		done
		if [ -f "$src/expected-message-parts" ]; then
			while IFS='|' read -r code file part; do
				[ -n "$code" ] || continue
				grep -F -e "$code|$file|" "$dir/messages" | grep -Fq -e "$part" || {
					e2e_fail "$name: no $code finding on '$file' whose message contains '$part'"
					sed 's/^/    actual: /' "$dir/messages"
				}
			done <"$src/expected-message-parts"
		fi
		if [ -f "$src/expected-messages" ]; then
			while IFS= read -r m; do
				[ -n "$m" ] || continue
				grep -Fxq -e "$m" "$dir/messages" || {
					e2e_fail "$name: no finding with this message: $m"
					sed 's/^/    actual: /' "$dir/messages"
				}
			done <"$src/expected-messages"
		fi
	fi
	[ "$E2E_FAILED" -eq "$before" ] && echo "ok    $name"
	return 0
}

e2e_init check
need_mkfixture
if [ $# -eq 0 ]; then
	for c in "$CASES"/*/; do
		c=${c%/}
		set -- "$@" "${c##*/}"
	done
	# the sanitizer suite runs every other case (e2e_sample)
	set -- $(e2e_sample 2 "$@")
fi
ncases=0
for c in "$@"; do
	if [ ! -d "$CASES/$c" ]; then
		e2e_fail "$c: no such case in $CASES"
		continue
	fi
	ncases=$((ncases + 1))
	run_case "$c"
done
echo "$ncases cases"
e2e_finish
