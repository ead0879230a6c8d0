#!/bin/sh
# convert_interrupt: a build interrupted (SIGTERM) while LibreOffice converts
# an Office document leaves nothing of the conversion behind (issue 14): no
# process of soffice's (its group: the script and what it started) and no
# private folder (licpack-office.XXXXXX, with its profile) under TMPDIR,
# as soon as licpack has exited (143). First with a stand-in soffice
# (LICPACK_SOFFICE) that starts a child and sleeps, recording both pids and
# the folder it was given, so the case needs no LibreOffice; then, when
# LibreOffice is installed, with the real one, interrupted once soffice.bin
# runs with licpack's private profile (skipped, visibly, without it).
. "$(dirname "$0")/lib.sh"

e2e_init convert_interrupt
H=$E2E_ROOT/$E2E_OUT
T=2026-11-28

# start_build CASE: licpack build in the background (pid $BPID), TMPDIR=$H/CASE/tmp
start_build() {
	mkdir -p "$H/$1/tmp"
	# shellcheck disable=SC2086  # the wrapper is a command line
	TMPDIR=$H/$1/tmp $LICPACK_WRAP "$LICPACK" build "$H/$1/in" -o "$H/$1/out" --today $T --office-timeout 300 \
		>"$H/$1/stdout" 2>"$H/$1/stderr" </dev/null &
	BPID=$!
}

# stop_build CASE: SIGTERM to licpack, then wait for it: exit 143; nothing of
# the conversion left in TMPDIR; no temporary in the output folder
stop_build() {
	kill -TERM "$BPID"
	wait "$BPID"
	rc=$?
	same_exit "$1: build interrupted by SIGTERM" 143 "$rc"
	[ -z "$(ls -A "$H/$1/tmp")" ] || e2e_fail "$1: left in TMPDIR after exit: $(ls -A "$H/$1/tmp")"
	ls -A "$H/$1/out" 2>/dev/null | grep -q '^\.licpack-tmp\.' && e2e_fail "$1: a temporary left in the output folder"
}

# a folder whose undertaking is a .docx (by content: a zip with [Content_Types].xml)
office_folder() {
	mkdir -p "$1"
	cp "$E2E_ROOT/samples/icp-renewal-complete/packet.json" "$1/"
	if [ -n "${2:-}" ]; then
		cp "$2" "$1/依法经营承诺书.docx"
	else
		printf 'PK\003\004[Content_Types].xml' >"$1/依法经营承诺书.docx"
	fi
}

# 1. The stand-in: soffice's process and its child, both recorded, both must go.
mkdir -p "$H/fake"
cat >"$H/fake/soffice" <<EOF
#!/bin/sh
echo "\$TMPDIR" >"$H/fake/dir"
sleep 300 &
echo "\$\$ \$!" >"$H/fake/pids.tmp" && mv "$H/fake/pids.tmp" "$H/fake/pids"
wait
EOF
chmod +x "$H/fake/soffice"
office_folder "$H/a/in"
LICPACK_SOFFICE=$H/fake/soffice
export LICPACK_SOFFICE
start_build a
n=0
while [ ! -s "$H/fake/pids" ] && [ $n -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
if [ -s "$H/fake/pids" ]; then
	pids=$(cat "$H/fake/pids")
	dir=$(cat "$H/fake/dir")
	case $dir in
	"$H/a/tmp/licpack-office."*) ;;
	*) e2e_fail "the stand-in soffice ran with TMPDIR '$dir', not a private folder in $H/a/tmp" ;;
	esac
	[ -d "$dir" ] || e2e_fail "the private folder '$dir' is not there while soffice runs"
	stop_build a
	for p in $pids; do
		if kill -0 "$p" 2>/dev/null; then
			e2e_fail "stand-in soffice: process $p is still running after licpack exited"
			kill -KILL "$p" 2>/dev/null
		fi
	done
	[ -e "$dir" ] && e2e_fail "stand-in soffice: '$dir' is still there"
else
	e2e_fail "the stand-in soffice never started: $(cat "$H/a/stderr")"
	kill -KILL "$BPID" 2>/dev/null
fi
unset LICPACK_SOFFICE

# 2. The real LibreOffice: interrupted once soffice.bin runs with the
# private profile (its command line names it).
SOFFICE=$(command -v soffice || true)
if [ -z "$SOFFICE" ] || ! command -v pgrep >/dev/null 2>&1; then
	echo "SKIPPED: soffice (or pgrep) is not installed: the interruption of a real LibreOffice is not tested (apt-get install libreoffice-writer-nogui procps)"
	e2e_finish
fi
python3 - "$H/real.docx" <<'EOF' || exit 1
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>undertaking</w:t></w:r></w:p></w:body></w:document>')
EOF
office_folder "$H/b/in" "$H/real.docx"
start_build b
n=0
while ! pgrep -f "soffice.bin.*$H/b/tmp/licpack-office" >/dev/null 2>&1 && [ $n -lt 300 ] &&
	kill -0 "$BPID" 2>/dev/null; do
	sleep 0.05
	n=$((n + 1))
done
# soffice.bin caught running, or not at all (licpack finished first): either
# way nothing may stay
running=$(pgrep -f "soffice.bin.*$H/b/tmp/licpack-office" || true)
stop_build b
left=$(pgrep -f "$H/b/tmp/licpack-office" || true)
if [ -n "$left" ]; then
	e2e_fail "LibreOffice: processes still running after licpack exited: $(ps -o pid,args -p "$(echo $left | tr ' ' ,)")"
	kill -KILL $left 2>/dev/null
fi
[ -n "$running" ] || e2e_fail "LibreOffice: soffice.bin was never seen running: the case did not test it"
e2e_finish
