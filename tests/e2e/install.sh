#!/bin/sh
# install: `make install` and `make uninstall` with PREFIX and DESTDIR.
#
# Installs into a DESTDIR under tests/out, then runs the installed binary from
# another directory (its templates are built in: all 21 listed, and a check of
# samples/icp-renewal-complete by absolute path passes), reads the installed
# man page with man -l, and checks that uninstall leaves no file behind.
#
# make install installs ./licpack (the Makefile's binary, `make -o licpack`:
# not rebuilt here), whatever LICPACK is.
. "$(dirname "$0")/lib.sh"

e2e_init install
o=$E2E_OUT
dest=$E2E_ROOT/$o/root

if ! command -v make >/dev/null 2>&1; then
	echo "SKIPPED: make is not installed"
	exit 0
fi
# not the flags of a make that runs this test (make test)
MAKEFLAGS=
MAKELEVEL=
MFLAGS=
export MAKEFLAGS MAKELEVEL MFLAGS
if [ ! -x ./licpack ]; then
	e2e_fail "./licpack is not built (make licpack)"
	e2e_finish
fi

# DESTDIR and PREFIX: every file under $dest/opt/lp
make --no-print-directory -o licpack install DESTDIR="$dest" PREFIX=/opt/lp >"$o/install.log" 2>&1 ||
	{ e2e_fail "make install failed:"; sed 's/^/    /' "$o/install.log"; e2e_finish; }
(cd "$dest" && find . -type f | sort) >"$o/installed"
cat >"$o/installed.expected" <<'END'
./opt/lp/bin/licpack
./opt/lp/share/bash-completion/completions/licpack
./opt/lp/share/doc/licpack/templates.md
./opt/lp/share/man/man1/licpack.1
./opt/lp/share/zsh/site-functions/_licpack
END
same_text "installed files" "$o/installed.expected" "$o/installed"
[ -x "$dest/opt/lp/bin/licpack" ] || e2e_fail "the installed licpack is not executable"
cmp -s cmd/licpack.1 "$dest/opt/lp/share/man/man1/licpack.1" || e2e_fail "the installed man page differs from cmd/licpack.1"
make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/opt/lp >"$o/uninstall.log" 2>&1 ||
	{ e2e_fail "make uninstall failed:"; sed 's/^/    /' "$o/uninstall.log"; }
[ -z "$(find "$dest" -type f)" ] || e2e_fail "uninstall left: $(find "$dest" -type f | tr '\n' ' ')"

# the default PREFIX, /usr/local
rm -rf "$dest"
make --no-print-directory -o licpack install DESTDIR="$dest" >"$o/install2.log" 2>&1 ||
	{ e2e_fail "make install (default PREFIX) failed:"; sed 's/^/    /' "$o/install2.log"; e2e_finish; }
bin=$dest/usr/local/bin/licpack
for f in "$bin" "$dest/usr/local/share/man/man1/licpack.1" "$dest/usr/local/share/bash-completion/completions/licpack" \
	"$dest/usr/local/share/zsh/site-functions/_licpack" "$dest/usr/local/share/doc/licpack/templates.md"; do
	[ -f "$f" ] || e2e_fail "not installed: $f"
done

# the installed binary, run from elsewhere
n=$(cd /tmp && "$bin" templates list | wc -l)
[ "$n" -eq 21 ] || e2e_fail "installed licpack, run from /tmp: templates list gives $n lines, not 21"
(cd /tmp && "$bin" check "$E2E_ROOT/samples/icp-renewal-complete" --today 2026-11-28 >"$E2E_ROOT/$o/check.out" 2>&1)
rc=$?
same_exit "installed licpack check samples/icp-renewal-complete (from /tmp)" 0 "$rc" || sed 's/^/    /' "$o/check.out"

# the installed man page renders
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$dest/usr/local/share/man/man1/licpack.1" >"$o/man.txt" 2>"$o/man.err" ||
		e2e_fail "man -l of the installed page failed: $(cat "$o/man.err")"
	[ -s "$o/man.err" ] && e2e_fail "man -l of the installed page: $(cat "$o/man.err")"
	grep -q '^NAME' "$o/man.txt" && grep -q 'licpack explain' "$o/man.txt" ||
		e2e_fail "man -l of the installed page: not the licpack page"
else
	echo "SKIPPED: man is not installed: the installed page was not rendered (apt-get install man-db)"
fi

# uninstall removes every file it installed
make --no-print-directory uninstall DESTDIR="$dest" >"$o/uninstall2.log" 2>&1 ||
	{ e2e_fail "make uninstall failed:"; sed 's/^/    /' "$o/uninstall2.log"; }
if [ -n "$(find "$dest" -type f -o -type l)" ]; then
	e2e_fail "uninstall left files behind:"
	find "$dest" -type f -o -type l | sed 's/^/    /'
fi

e2e_finish
