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

echo "== 1/3  a complete ICP renewal folder (expect: complete, exit 0)"
echo "\$ $LICPACK check samples/icp-renewal-complete --today $TODAY"
"$LICPACK" check samples/icp-renewal-complete --today "$TODAY"
expect "complete sample" 0 $?
echo

echo "== 2/3  the same company with planted problems (expect: incomplete, exit 1)"
echo "\$ $LICPACK check samples/icp-renewal-incomplete --today $TODAY"
"$LICPACK" check samples/icp-renewal-incomplete --today "$TODAY"
expect "incomplete sample" 1 $?

echo
echo "== 3/3  build the packet of the complete folder (expect: exit 0)"
echo "\$ $LICPACK build samples/icp-renewal-complete --today $TODAY"
"$LICPACK" build samples/icp-renewal-complete --today "$TODAY"
expect "build" 0 $?
echo "The packet is in samples/icp-renewal-complete-packet/:"
ls -l samples/icp-renewal-complete-packet/

if [ "$status" -eq 0 ]; then
	echo
	echo "demo: OK"
fi
exit "$status"
