#!/bin/sh
# manpage: cmd/licpack.1 renders without a warning, its FINDING CODES section
# is current, and it documents every command, every option and every finding
# code.
#
# "Every option" is what each command's parser accepts: its getopt_long table,
# which `licpack --list-options CMD` prints (the table itself, not a copy).
# Each long option (and its short form) must appear in the command's --help,
# English and Chinese, and in the command's section of the man page
# (.SS "licpack CMD ..."); each command must have such a section and a line in
# `licpack --help`.
. "$(dirname "$0")/lib.sh"

e2e_init manpage
o=$E2E_OUT
PAGE=cmd/licpack.1

if ! command -v groff >/dev/null 2>&1; then
	echo "SKIPPED: groff is not installed (apt-get install groff-base)"
	exit 0
fi

# groff: not one warning, at the strictest level
groff -ww -man -Tutf8 "$PAGE" >/dev/null 2>"$o/groff.err"
if [ -s "$o/groff.err" ]; then
	e2e_fail "groff -ww -man -Tutf8 $PAGE warns:"
	sed 's/^/    /' "$o/groff.err" | head -n 20
fi
LC_ALL=C grep -n '[^ -~	]' "$PAGE" >"$o/non-ascii" &&
	{ e2e_fail "$PAGE has non-ASCII bytes (write \\[uXXXX]):"; head -n 5 "$o/non-ascii" | sed 's/^/    /'; }

# the FINDING CODES section is what `licpack explain --all --format roff` says
sh cmd/mancodes.sh --check "$LICPACK" "$PAGE" >"$o/mancodes" 2>&1 ||
	{ e2e_fail "the FINDING CODES section is not current (make man):"; sed 's/^/    /' "$o/mancodes" | head -n 20; }

# The page as plain text (no bold, no underline), and each command's section
# of it: from its heading ("   licpack CMD ...", a .SS) to the next heading.
groff -man -Tutf8 -P-cbou "$PAGE" >"$o/page.txt" 2>/dev/null
"$LICPACK" --list-commands >"$o/commands" || e2e_fail "licpack --list-commands failed"
[ "$(wc -l <"$o/commands")" -ge 7 ] || e2e_fail "licpack --list-commands lists $(wc -l <"$o/commands") commands"
"$LICPACK" --help >"$o/main-help" || e2e_fail "licpack --help failed"
for c in $(cat "$o/commands"); do
	awk -v cmd="$c" '
		/^[^ ]/ || /^   [^ ]/ { on = index($0, "   licpack " cmd " ") == 1 }
		on
	' "$o/page.txt" >"$o/section-$c"
	[ -s "$o/section-$c" ] || e2e_fail "$PAGE has no section .SS \"licpack $c ...\""
	grep -q "^  $c " "$o/main-help" || e2e_fail "licpack --help does not list $c"
	"$LICPACK" --list-options "$c" >"$o/options-$c" || e2e_fail "licpack --list-options $c failed"
	grep -q '^--help -h$' "$o/options-$c" || e2e_fail "$c: no --help/-h in its option table"
	"$LICPACK" "$c" --help --lang en >"$o/help-$c-en" || e2e_fail "$c --help failed"
	"$LICPACK" "$c" --help --lang zh >"$o/help-$c-zh" || e2e_fail "$c --help --lang zh failed"
	while read -r long short; do
		name=${long%=}
		for f in "$o/help-$c-en" "$o/help-$c-zh" "$o/section-$c"; do
			grep -Eq -e "(^|[^-a-z])$name([^-a-z]|\$)" "$f" || e2e_fail "$c: $name is not in $(basename "$f")"
			[ -z "$short" ] && continue
			grep -Eq -e "(^|[^-a-zA-Z])$short, $name([^-a-z]|\$)" "$f" ||
				e2e_fail "$c: '$short, $name' is not in $(basename "$f")"
		done
	done <"$o/options-$c"
done
# the rendered page shows the options as they are typed (\- is an ASCII hyphen)
grep -q -- '--allow-incomplete' "$o/page.txt" || e2e_fail "the rendered page has no '--allow-incomplete'"

# every finding code, in the rendered page's FINDING CODES section
sed -n '/^FINDING CODES/,/^EXIT STATUS/p' "$o/page.txt" >"$o/codes-section"
"$LICPACK" explain --lang en | awk 'NF && $1 !~ /^'\''/ { print $1 }' >"$o/codes"
[ "$(wc -l <"$o/codes")" -ge 40 ] || e2e_fail "licpack explain lists $(wc -l <"$o/codes") codes"
while read -r code; do
	grep -Eq "^       $code( |\$)" "$o/codes-section" || e2e_fail "FINDING CODES has no entry for $code"
done <"$o/codes"

# the sections the page promises
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "THE APPLICANT FOLDER" PACKET.JSON "FINDING CODES" "EXIT STATUS" \
	ENVIRONMENT FILES EXAMPLES; do
	grep -q "^$s\$" "$o/page.txt" || e2e_fail "the page has no section $s"
done
for v in NO_COLOR LANG LC_ALL LC_MESSAGES SOURCE_DATE_EPOCH; do
	sed -n '/^ENVIRONMENT/,/^FILES/p' "$o/page.txt" | grep -q "$v" || e2e_fail "ENVIRONMENT does not mention $v"
done

# man itself reads it
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$PAGE" >"$o/man.txt" 2>"$o/man.err" || e2e_fail "man -l $PAGE failed: $(cat "$o/man.err")"
	[ -s "$o/man.err" ] && { e2e_fail "man -l $PAGE warns:"; sed 's/^/    /' "$o/man.err" | head; }
	grep -q '^NAME' "$o/man.txt" || e2e_fail "man -l $PAGE: no NAME section"
else
	echo "SKIPPED: man is not installed: the page was not read by man (apt-get install man-db)"
fi

e2e_finish
