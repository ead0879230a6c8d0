#!/bin/sh
# nonet: licpack needs no network, ever (SPEC §8). `check` and `build` of the
# bundled sample (samples/icp-renewal-complete) run in a new network
# namespace with no interface but a downed loopback (unshare -n) and must
# give the same exit codes and the same bytes as outside it. Skipped, with
# a message, where the platform does not allow a network namespace (no
# unshare, or no privilege for it).
#   sh tests/e2e/nonet.sh
. "$(dirname "$0")/lib.sh"

e2e_init nonet
H=$E2E_ROOT/$E2E_OUT
SAMPLE=$E2E_ROOT/samples/icp-renewal-complete
ARGS="--today 2026-11-28 --lang en"
case $LICPACK in /*) LICPACK_ABS=$LICPACK ;; */*) LICPACK_ABS=$E2E_ROOT/$LICPACK ;; *) LICPACK_ABS=$(command -v "$LICPACK") ;; esac

if [ ! -d "$SAMPLE" ]; then
	echo "FAIL: no sample folder $SAMPLE"
	exit 1
fi
if ! command -v unshare >/dev/null 2>&1; then
	echo "SKIPPED: unshare is not installed"
	exit 0
fi
# as root: unshare -n; otherwise a user namespace may allow it (-r)
NONET=
for try in "unshare -n" "unshare -rn"; do
	# shellcheck disable=SC2086
	if $try sh -c 'exit 0' 2>/dev/null; then
		NONET=$try
		break
	fi
done
if [ -z "$NONET" ]; then
	echo "SKIPPED: this platform does not allow a network namespace (unshare -n: $(unshare -n true 2>&1 | head -n 1))"
	exit 0
fi
# the namespace really has no network: only a loopback, and it is down
# shellcheck disable=SC2086
ifaces=$($NONET cat /proc/net/dev | sed '1,2d' | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')
[ "$ifaces" = "lo " ] || e2e_fail "the namespace has interfaces: '$ifaces'"

# run_both NAME ARGS...: the command outside and inside the namespace
run_both() {
	_n=$1
	shift
	mkdir -p "$H/$_n-net" "$H/$_n-nonet"
	run_licpack "$H/$_n-net" "$@"
	_rc_net=$RC
	# shellcheck disable=SC2086  # the wrapper words
	timeout -k 5 "$E2E_TIMEOUT" $NONET $LICPACK_WRAP "$LICPACK_ABS" "$@" \
		>"$H/$_n-nonet/stdout" 2>"$H/$_n-nonet/stderr" </dev/null
	RC=$?
	same_exit "$_n without network" "$_rc_net" "$RC" || sed 's/^/    /' "$H/$_n-nonet/stderr" | head -n 5
	same_text "$_n without network: stdout" "$H/$_n-net/stdout" "$H/$_n-nonet/stdout"
	same_text "$_n without network: stderr" "$H/$_n-net/stderr" "$H/$_n-nonet/stderr"
}

run_both check-json check "$SAMPLE" --format json $ARGS
same_exit "check of the sample" 0 "$RC"
run_both check-text check "$SAMPLE" $ARGS
mkdir -p "$H/net" "$H/nonet"
# build: the same folder into two output folders
# shellcheck disable=SC2086
(timeout -k 5 "$E2E_TIMEOUT" $LICPACK_WRAP "$LICPACK_ABS" build "$SAMPLE" -o "$H/net/out" -n sample $ARGS) \
	>"$H/net/stdout" 2>"$H/net/stderr" </dev/null
rc_net=$?
# shellcheck disable=SC2086
(timeout -k 5 "$E2E_TIMEOUT" $NONET $LICPACK_WRAP "$LICPACK_ABS" build "$SAMPLE" -o "$H/nonet/out" -n sample $ARGS) \
	>"$H/nonet/stdout" 2>"$H/nonet/stderr" </dev/null
RC=$?
same_exit "build without network" "$rc_net" "$RC" || sed 's/^/    /' "$H/nonet/stderr" | head -n 5
same_exit "build of the sample" 0 "$RC"
for f in sample.pdf sample.zip manifest.json report.json report.txt; do
	if [ ! -f "$H/nonet/out/$f" ]; then
		e2e_fail "build without network: no $f"
	elif ! cmp -s "$H/net/out/$f" "$H/nonet/out/$f"; then
		e2e_fail "build without network: $f differs from the build with network"
	fi
done
[ "$E2E_FAILED" = 0 ] && echo "note: check and build of the sample without network ($NONET): same exit codes and bytes"
e2e_finish
