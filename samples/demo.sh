#!/bin/sh
# demo.sh — run licpack on the bundled sample folders (what `make demo` shows).
#
# The complete folder must pass (exit 0) and the incomplete one must be reported incomplete
# (exit 1): its problems are planted (see samples/README.md), so finding them is success.
# Any other outcome, e.g. a crash (exit 3) or a usage error (exit 2), fails the demo.
#
# Run from anywhere; LICPACK overrides the binary (default ./licpack at the repository root).
# The samples' dates are chosen relative to 2026-11-28, hence --today.

cd "$(dirname "$0")/.." || exit 3
LICPACK=${LICPACK:-./licpack}
TODAY=2026-11-28
status=0

# expect LABEL EXPECTED ACTUAL
expect() {
	if [ "$3" -eq "$2" ]; then
		printf -- '-- %s: exit %s, as expected\n' "$1" "$3"
	else
		printf -- '-- %s: exit %s, expected %s\n' "$1" "$3" "$2" >&2
		status=1
	fi
}

echo "== 1/2  a complete ICP renewal folder (expect: complete, exit 0)"
echo "\$ $LICPACK check samples/icp-renewal-complete --today $TODAY"
"$LICPACK" check samples/icp-renewal-complete --today "$TODAY"
expect "complete sample" 0 $?
echo

echo "== 2/2  the same company with planted problems (expect: incomplete, exit 1)"
echo "\$ $LICPACK check samples/icp-renewal-incomplete --today $TODAY"
"$LICPACK" check samples/icp-renewal-incomplete --today "$TODAY"
expect "incomplete sample" 1 $?

# ---- BUILD STEP: not yet wired in ------------------------------------------------------
# When `licpack build` works, build the complete sample's packet here, for example:
#
#   out=${TMPDIR:-/tmp}/licpack-demo.$$
#   echo
#   echo "== 3/3  build the packet for the complete folder (expect: exit 0)"
#   echo "\$ $LICPACK build samples/icp-renewal-complete -o $out --today $TODAY"
#   "$LICPACK" build samples/icp-renewal-complete -o "$out" --today "$TODAY"
#   expect "build" 0 $?
#   ls -l "$out"/*
#
# (and, to show the refusal, `build` on the incomplete folder expecting exit 1 and no packet)
# ----------------------------------------------------------------------------------------

if [ "$status" -eq 0 ]; then
	echo
	echo "demo: OK"
fi
exit "$status"
