#!/bin/sh
# faults: `licpack build` when writing the packet fails or is cut short.
#   outdir-is-file     -o names an existing regular file
#   outdir-missing     -o names a folder whose parent does not exist
#   outdir-readonly    -o names a folder the user may not write (run as nobody)
#   disk-full          the file-size limit (ulimit -f, SIGXFSZ ignored) makes
#                      writes fail with EFBIG at several points of the build
#   killed             SIGKILL at several moments of a build of a folder of
#                      40 large JPEGs
# Every fault case must exit 3 with a "licpack: ..." error on stderr that
# names what failed. In every case (the killed ones too): each final name
# (NAME.pdf, NAME.zip, manifest.json, report.json, report.txt, report.html) is either
# absent or byte-identical to what an undisturbed build writes (the build is
# deterministic), and the input folder is byte-identical before and after.
# Scratch folders stay in tests/out/e2e/faults/ for inspection.
#   sh tests/e2e/faults.sh [CASE...]
. "$(dirname "$0")/lib.sh"

e2e_init faults
H=$E2E_ROOT/$E2E_OUT
BUILD="--today 2026-11-28 --lang en --template icp-renewal"
OUTPUTS="folder.pdf folder.zip manifest.json report.json report.txt report.html"
SKIPPED_CASES=
case $LICPACK in /*) LICPACK_ABS=$LICPACK ;; */*) LICPACK_ABS=$E2E_ROOT/$LICPACK ;; *) LICPACK_ABS=$(command -v "$LICPACK") ;; esac


tree_sum() {
	python3 -c "$PY_TREE_SUM" "$1"
}

now_ms() {
	python3 -c 'import time; print(int(time.time() * 1000))'
}

# reference FOLDER REFDIR: an undisturbed build of FOLDER into REFDIR
reference() {
	rm -rf "$2"
	mkdir -p "$2.log"
	run_licpack "$2.log" build "$1" -o "$2" $BUILD
	if [ "$RC" != 0 ]; then
		e2e_fail "reference build of $1: exit $RC"
		sed 's/^/    /' "$2.log/stderr" | head -n 5
		return 1
	fi
	for f in $OUTPUTS; do
		[ -f "$2/$f" ] || { e2e_fail "reference build of $1: no $f"; return 1; }
	done
	return 0
}

# whole_or_absent LABEL OUTDIR REFDIR: each final name in OUTDIR is absent or
# the same bytes as in REFDIR; a partial file there fails. Leftover
# temporary files are listed (and must be 0600).
whole_or_absent() {
	_present=
	for f in $OUTPUTS; do
		[ -e "$2/$f" ] || continue
		_present="$_present $f"
		if ! cmp -s "$2/$f" "$3/$f"; then
			_why=
			case $f in
			*.pdf) qpdf --check "$2/$f" >/dev/null 2>&1 || _why=" (qpdf --check fails)" ;;
			*.zip) unzip -tq "$2/$f" >/dev/null 2>&1 || _why=" (unzip -t fails)" ;;
			*.json) python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$2/$f" 2>/dev/null || _why=" (not JSON)" ;;
			esac
			e2e_fail "$1: $f differs from an undisturbed build's$_why: $(wc -c <"$2/$f") bytes, expected $(wc -c <"$3/$f")"
		fi
	done
	# anything else in OUTDIR (hidden temporary files included)
	LEFTOVER=0 LEFTOVER_NAMES=
	for _e in "$2"/* "$2"/.[!.]* "$2"/..?*; do
		[ -e "$_e" ] || [ -L "$_e" ] || continue
		case " $OUTPUTS .licpack " in *" ${_e##*/} "*) continue ;; esac  # .licpack: the folder's stamp
		LEFTOVER=$((LEFTOVER + 1))
		LEFTOVER_NAMES="$LEFTOVER_NAMES ${_e##*/}"
	done
	_badmode=$(find "$2" -type f ! -perm 0600 2>/dev/null | head -n 3)
	[ -z "$_badmode" ] || e2e_fail "$1: files not mode 0600: $_badmode"
	PRESENT=${_present# }
}

# fault_exit LABEL DIR: exit 3 and a clear error
fault_exit() {
	same_exit "$1" 3 "$RC" || { sed 's/^/    stderr: /' "$2/stderr" | head -n 5; return 1; }
	if ! grep -Eq '^licpack: .*(cannot|could not|failed|error)' "$2/stderr"; then
		e2e_fail "$1: no 'licpack: cannot ...' error on stderr:"
		sed 's/^/    /' "$2/stderr" | head -n 5
		return 1
	fi
	return 0
}

# --- the cases -----------------------------------------------------------------

setup_base() {
	[ -d "$H/base/folder" ] && return 0
	complete_folder "$H/base/folder" || exit 1
	reference "$H/base/folder" "$H/base/ref" || exit 1
}

case_outdir_is_file() {
	setup_base
	d=$H/outdir-is-file
	rm -rf "$d"
	mkdir -p "$d"
	printf 'not a folder\n' >"$d/out"
	s0=$(tree_sum "$H/base/folder")
	run_licpack "$d" build "$H/base/folder" -o "$d/out" $BUILD
	fault_exit outdir-is-file "$d"
	[ "$(cat "$d/out")" = "not a folder" ] || e2e_fail "outdir-is-file: the file in the way was changed"
	[ "$(ls "$d")" = "$(printf 'out\nrc\nstderr\nstdout')" ] || e2e_fail "outdir-is-file: files appeared beside it: $(ls "$d" | tr '\n' ' ')"
	[ "$s0" = "$(tree_sum "$H/base/folder")" ] || e2e_fail "outdir-is-file: the input folder changed"
}

case_outdir_missing() {
	setup_base
	d=$H/outdir-missing
	rm -rf "$d"
	mkdir -p "$d"
	run_licpack "$d" build "$H/base/folder" -o "$d/no/such/out" $BUILD
	fault_exit outdir-missing "$d"
	[ -e "$d/no" ] && e2e_fail "outdir-missing: $d/no was created"
	grep -q "$d/no/such/out" "$d/stderr" || e2e_fail "outdir-missing: the error does not name the output folder"
	return 0
}

case_outdir_readonly() {
	setup_base
	if [ "$(id -u)" != 0 ]; then
		UNPRIV=
	elif UNPRIV=$(root_obeys_modes "$H"); then
		:
	elif command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		# a TMPDIR nobody may write, for valgrind's own files (/tmp need not
		# be world-writable)
		mkdir -p "$H/.nobody-tmp" && chmod 1777 "$H/.nobody-tmp"
		UNPRIV="setpriv --reuid=65534 --regid=65534 --clear-groups env TMPDIR=$H/.nobody-tmp"
	else
		SKIPPED_CASES="$SKIPPED_CASES outdir-readonly"
		echo "skip: outdir-readonly: running as root without setpriv; root writes anywhere"
		return
	fi
	# shellcheck disable=SC2086
	if ! $UNPRIV test -r "$H/base/folder/packet.json" || ! $UNPRIV test -x "$LICPACK_ABS"; then
		SKIPPED_CASES="$SKIPPED_CASES outdir-readonly"
		echo "skip: outdir-readonly: the unprivileged user cannot reach the folder or $LICPACK_ABS"
		return
	fi
	d=$H/outdir-readonly
	rm -rf "$d"
	mkdir -p "$d/out"
	chmod 555 "$d/out"
	s0=$(tree_sum "$H/base/folder")
	# shellcheck disable=SC2086  # the wrapper's words
	timeout -k 5 "$E2E_TIMEOUT" $UNPRIV $LICPACK_WRAP "$LICPACK_ABS" build "$H/base/folder" -o "$d/out" $BUILD \
		>"$d/stdout" 2>"$d/stderr" </dev/null
	RC=$?
	fault_exit outdir-readonly "$d"
	[ -z "$(ls -A "$d/out")" ] || e2e_fail "outdir-readonly: files appeared in the read-only folder"
	grep -q 'Permission denied' "$d/stderr" || e2e_fail "outdir-readonly: the error does not say why (Permission denied)"
	[ "$s0" = "$(tree_sum "$H/base/folder")" ] || e2e_fail "outdir-readonly: the input folder changed"
	chmod 755 "$d/out"
}

# disk-full: a file-size limit of N 512-byte blocks (dash's unit), from "the
# first report does not fit" to "only the PDF does not fit", and just under
# the PDF's and the zip's own sizes, so that the last write of each fails
case_disk_full() {
	setup_base
	s0=$(tree_sum "$H/base/folder")
	pdf_blocks=$((($(wc -c <"$H/base/ref/folder.pdf") - 1) / 512))
	pdf_blocks2=$((($(wc -c <"$H/base/ref/folder.pdf") - 3000) / 512))
	zip_blocks=$((($(wc -c <"$H/base/ref/folder.zip") - 1) / 512))
	for blocks in 1 8 64 1024 $zip_blocks $pdf_blocks2 $pdf_blocks; do
		d=$H/disk-full-$blocks
		rm -rf "$d"
		mkdir -p "$d"
		# SIGXFSZ ignored (inherited across exec): the write fails with EFBIG
		# shellcheck disable=SC2086
		(
			trap '' XFSZ
			ulimit -f "$blocks" || exit 125
			exec timeout -k 5 "$E2E_TIMEOUT" $LICPACK_WRAP "$LICPACK_ABS" build "$H/base/folder" -o "$d/out" $BUILD
		) >"$d/stdout" 2>"$d/stderr" </dev/null
		RC=$?
		if [ "$RC" = 125 ]; then
			SKIPPED_CASES="$SKIPPED_CASES disk-full"
			echo "skip: disk-full: ulimit -f is not available"
			return
		fi
		# the limit is bigger than the whole packet: nothing to see
		if [ "$RC" = 0 ]; then
			e2e_fail "disk-full ($blocks blocks): the build succeeded under the limit"
			continue
		fi
		fault_exit "disk-full ($blocks blocks)" "$d" || continue
		grep -Eq 'File too large|No space|too large|EFBIG' "$d/stderr" ||
			e2e_fail "disk-full ($blocks blocks): the error does not say why: $(head -n 1 "$d/stderr")"
		whole_or_absent "disk-full ($blocks blocks)" "$d/out" "$H/base/ref"
		[ "$LEFTOVER" = 0 ] || e2e_fail "disk-full ($blocks blocks): temporary files left in the output folder:$LEFTOVER_NAMES"
		echo "note: disk-full ($blocks blocks): outputs present: ${PRESENT:-none}"
	done
	[ "$s0" = "$(tree_sum "$H/base/folder")" ] || e2e_fail "disk-full: the input folder changed"
}

# killed: SIGKILL at 5%, 20%, 40%, 60% and 80% of an undisturbed build of a
# folder with 40 large scans (the current licence's pages), into an empty
# output folder and into one holding the previous packet (under valgrind:
# at 20% and 60%, into an empty one).
case_killed() {
	d=$H/killed
	if [ ! -d "$d/folder" ]; then
		complete_folder "$d/folder" || exit 1
		rm "$d/folder/现有许可证.jpg"
		mkdir "$d/folder/现有许可证"
		i=1
		while [ $i -le 40 ]; do
			fixture jpeg "$d/folder/现有许可证/p$i.jpg" 3508x4960 --dpi 425 --text-lines --quality 100 --variant $((100 + i)) ||
				{ e2e_fail "killed: cannot make the scans"; return; }
			i=$((i + 1))
		done
	fi
	t0=$(now_ms)
	# 40 pages of 3508x4960 over their share of the portal's limit: the
	# check fits each once to judge it, the build fits them again (about
	# 7 s here, three times that with ASan): longer than one run's usual
	# bound, which this case is not about
	bound=$E2E_TIMEOUT
	E2E_TIMEOUT=$((bound * 3))
	reference "$d/folder" "$d/ref" || { E2E_TIMEOUT=$bound; return; }
	E2E_TIMEOUT=$bound
	full=$(($(now_ms) - t0))
	echo "note: killed: an undisturbed build of 40 large scans takes ${full} ms"
	s0=$(tree_sum "$d/folder")
	# the sanitizer lane (17 s a build) at two of the moments, the plain
	# lane at all five: the ten took 70 s of CI's time under ASan
	pres="empty previous" pcts=$(e2e_sample 3 5 20 40 60 80)
	# under valgrind one build takes half a minute: fewer moments
	[ -n "$LICPACK_WRAP" ] && pres=empty pcts="20 60"
	for pre in $pres; do
		for pct in $pcts; do
			o=$d/out-$pre-$pct
			rm -rf "$o"
			[ "$pre" = previous ] && cp -pR "$d/ref" "$o"
			delay=$(python3 -c "print('%.3f' % ($full * $pct / 100000))")
			# shellcheck disable=SC2086
			$LICPACK_WRAP "$LICPACK_ABS" build "$d/folder" -o "$o" $BUILD >"$d/stdout" 2>"$d/stderr" </dev/null &
			pid=$!
			sleep "$delay"
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			rc=$?
			whole_or_absent "killed ($pre output folder, at $pct%)" "$o" "$d/ref"
			echo "note: killed at $pct% (${delay}s; exit $rc), $pre output folder: outputs present: ${PRESENT:-none}; temporary files left: $LEFTOVER$LEFTOVER_NAMES"
		done
	done
	[ "$s0" = "$(tree_sum "$d/folder")" ] || e2e_fail "killed: the input folder changed"
}

ALL="outdir_is_file outdir_missing outdir_readonly disk_full killed"
need_mkfixture
# shellcheck disable=SC2086
[ $# -gt 0 ] || set -- $ALL
run_cases "$@"
e2e_finish
