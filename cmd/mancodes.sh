#!/bin/sh
# mancodes: the FINDING CODES section of the man page, made from the table of
# finding codes in packet/finding.c (by way of `licpack explain --all
# --format roff`), between the BEGIN and END comment lines of cmd/licpack.1.
#   sh cmd/mancodes.sh LICPACK PAGE           rewrite PAGE's section (make man)
#   sh cmd/mancodes.sh --check LICPACK PAGE   exit 1 when it is not current (make check-man)
check=
if [ "$1" = --check ]; then
	check=1
	shift
fi
licpack=${1:?usage: mancodes.sh [--check] LICPACK PAGE}
page=${2:?usage: mancodes.sh [--check] LICPACK PAGE}

codes=$(mktemp) || exit 3
new=$(mktemp) || { rm -f "$codes"; exit 3; }
trap 'rm -f "$codes" "$new"' EXIT
"$licpack" explain --all --format roff --lang en >"$codes" || exit 3

# the page with the lines between BEGIN and END replaced by the codes
awk -v codes="$codes" '
	/^\.\\" BEGIN FINDING CODES/ { print; while ((getline l < codes) > 0) print l; skip = 1; found++; next }
	/^\.\\" END FINDING CODES/ { skip = 0 }
	!skip { print }
	END { if (found != 1) exit 2 }
' "$page" >"$new" || { echo "mancodes: $page has no BEGIN FINDING CODES line" >&2; exit 3; }

if [ -n "$check" ]; then
	if ! cmp -s "$page" "$new"; then
		echo "mancodes: the FINDING CODES section of $page is not current: run 'make man'" >&2
		diff -u "$page" "$new" | head -n 20 >&2
		exit 1
	fi
	exit 0
fi
cmp -s "$page" "$new" || cat "$new" >"$page"
