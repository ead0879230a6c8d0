#!/bin/sh
# completion: the bash and zsh completions in cmd/completion/.
#
# bash: with the licpack under test first on PATH, completing
# `licpack check --template ""` offers exactly the 21 template ids that
# `licpack templates list` prints; and the commands, a command's options (as
# its parser's table lists them), the regions, the portal names (`--portal`,
# `portals show`, with `--profiles DIR`'s), the finding codes and folders.
# zsh (when installed): the file loads with compinit and no error, and
# registers _licpack for licpack; with the zpty module, a few completions are
# run for real.
. "$(dirname "$0")/lib.sh"

e2e_init completion
o=$E2E_OUT
BASH_COMP=$E2E_ROOT/cmd/completion/licpack.bash
ZSH_COMP=$E2E_ROOT/cmd/completion/_licpack

# a bin folder holding the licpack under test as "licpack" (wrapped, when a
# wrapper is set), first on PATH
mkdir -p "$o/bin"
case $LICPACK in /*) bin=$LICPACK ;; *) bin=$E2E_ROOT/$LICPACK ;; esac
if [ -n "$LICPACK_WRAP" ]; then
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$LICPACK_WRAP" "$bin" >"$o/bin/licpack"
	chmod +x "$o/bin/licpack"
else
	ln -sf "$bin" "$o/bin/licpack"
fi
PATH=$E2E_ROOT/$o/bin:$PATH
export PATH

# comp NAME WORDS...: complete the last word with bash; COMPREPLY, one a line, sorted, in $o/NAME
comp() {
	_name=$1
	shift
	_words=
	for w in "$@"; do
		_words="$_words '$w'"
	done
	bash -c "source '$BASH_COMP'; COMP_WORDS=($_words); COMP_CWORD=$(($# - 1)); _licpack; "'printf "%s\n" "${COMPREPLY[@]}"' \
		>"$o/$_name.raw" 2>"$o/$_name.err"
	sort "$o/$_name.raw" >"$o/$_name"
	if [ -s "$o/$_name.err" ]; then
		e2e_fail "bash completion of '$*' wrote to stderr:"
		sed 's/^/    /' "$o/$_name.err"
	fi
}

expect() { # NAME: $o/NAME must be $o/NAME.expected
	sort "$o/$1.expected" >"$o/$1.sorted"
	same_text "bash: $1" "$o/$1.sorted" "$o/$1"
}

if ! command -v bash >/dev/null 2>&1; then
	echo "SKIPPED: bash is not installed"
	exit 0
fi

# the case of the issue, exactly as written there
bash -c 'source cmd/completion/licpack.bash; COMP_WORDS=(licpack check --template ""); COMP_CWORD=3; _licpack; printf "%s\n" "${COMPREPLY[@]}"' \
	>"$o/template.raw" 2>"$o/template.err"
licpack templates list --lang en | awk '{ print $1 }' >"$o/template.expected"
[ "$(wc -l <"$o/template.expected")" -eq 21 ] || e2e_fail "templates list: $(wc -l <"$o/template.expected") templates, not 21"
same_text "bash: check --template ''" "$o/template.expected" "$o/template.raw"
[ -s "$o/template.err" ] && e2e_fail "bash: check --template '': stderr: $(cat "$o/template.err")"

comp template-prefix licpack build -t icp-r
printf '%s\n' icp-renewal >"$o/template-prefix.expected"
expect template-prefix
comp template-eq licpack check --template = idc
printf '%s\n' idc-new idc-renewal >"$o/template-eq.expected"
expect template-eq

comp commands licpack ''
{ licpack --list-commands; printf '%s\n' --help --version; } >"$o/commands.expected"
expect commands

for c in $(licpack --list-commands); do
	comp "options-$c" licpack "$c" --
	licpack --list-options "$c" | awk '{ sub(/=$/, "", $1); print $1 }' >"$o/options-$c.expected"
	expect "options-$c"
done

comp regions licpack check DIR --region ''
licpack templates regions | awk '{ print $1 }' >"$o/regions.expected"
expect regions
comp regions-show licpack templates show icp-renewal --region j
printf '%s\n' jiangsu >"$o/regions-show.expected"
expect regions-show

comp lang licpack batch ROOT --lang ''
printf '%s\n' en zh >"$o/lang.expected"
expect lang
comp format licpack explain --format ''
printf '%s\n' roff text >"$o/format.expected"
expect format

comp verbs licpack templates ''
printf '%s\n' lint list regions show >"$o/verbs.expected"
expect verbs

comp codes licpack explain ''
licpack explain --lang en | awk 'NF && $1 !~ /^'\''/ { print $1 }' >"$o/codes.expected"
expect codes

# portal names, from `licpack portals list` (with --profiles DIR's too)
licpack portals list --lang en | awk '{ print $1 }' >"$o/portal.expected"
[ "$(wc -l <"$o/portal.expected")" -eq 3 ] || e2e_fail "portals list: $(wc -l <"$o/portal.expected") portals, not 3"
comp portal licpack build DIR --portal ''
expect portal
comp portal-check licpack check DIR --portal=
cp "$o/portal.expected" "$o/portal-check.expected"
expect portal-check
comp portal-prefix licpack batch ROOT -o OUT --portal v
printf '%s\n' volcengine >"$o/portal-prefix.expected"
expect portal-prefix
comp portal-show licpack portals show ''
cp "$o/portal.expected" "$o/portal-show.expected"
expect portal-show
mkdir -p "$o/profiles"
sed 's/"id": "miit"/"id": "my-portal"/' profiles/miit.json >"$o/profiles/my-portal.json"
comp portal-profiles licpack build DIR --profiles "$o/profiles" --portal m
printf '%s\n' miit my-portal >"$o/portal-profiles.expected"
expect portal-profiles
comp portals-verbs licpack portals ''
printf '%s\n' list show >"$o/portals-verbs.expected"
expect portals-verbs
comp id-layout licpack build DIR --id-layout ''
printf '%s\n' separate together >"$o/id-layout.expected"
expect id-layout
# a value option before DIR is skipped: DIR is still completed as a folder
mkdir -p "$o/ptree/gamma-dir"
comp portal-dir licpack build --portal miit "$o/ptree/ga"
printf '%s\n' "$o/ptree/gamma-dir" >"$o/portal-dir.expected"
expect portal-dir

# DIR arguments: folders, not files
mkdir -p "$o/tree/alpha-dir" "$o/tree/beta-dir"
: >"$o/tree/alpha-file.jpg"
comp dirs licpack check "$o/tree/al"
printf '%s\n' "$o/tree/alpha-dir" >"$o/dirs.expected"
expect dirs

# ---- zsh ----
if ! command -v zsh >/dev/null 2>&1; then
	echo "SKIPPED: zsh is not installed: zsh completion not tested (apt-get install zsh)"
	e2e_finish
fi
zsh -f -c "autoload -U compinit; compinit -u -d '$o/zcompdump'; source '$ZSH_COMP'; print -r -- \${_comps[licpack]}" \
	>"$o/zsh-load" 2>"$o/zsh-load.err"
[ -s "$o/zsh-load.err" ] && { e2e_fail "zsh: loading _licpack wrote to stderr:"; sed 's/^/    /' "$o/zsh-load.err"; }
[ "$(cat "$o/zsh-load")" = _licpack ] || e2e_fail "zsh: _licpack is not the completion of licpack: '$(cat "$o/zsh-load")'"
# autoloaded from fpath, as make install puts it
zsh -f -c "fpath=('$E2E_ROOT/cmd/completion' \$fpath); autoload -U compinit; compinit -u -d '$o/zcompdump2'; print -r -- \${_comps[licpack]}" \
	>"$o/zsh-fpath" 2>&1
[ "$(cat "$o/zsh-fpath")" = _licpack ] || e2e_fail "zsh: from fpath, licpack's completion is '$(cat "$o/zsh-fpath")'"

# Real completions, in an interactive zsh on a pseudo-terminal: compadd is
# wrapped to write the matches it is given to a file.
if zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
	zcomp() { # NAME LINE
		rm -f "$o/$1.zraw"
		zsh -f -c '
			zmodload zsh/zpty
			zpty z zsh -f -i
			zpty -w z "PROMPT= ; autoload -U compinit; compinit -u -d $1/zcompdump3; source $2"
			zpty -w z "compadd () { local -a __h; builtin compadd -O __h \"\$@\"; print -rl -- \"\${__h[@]}\" >>$3; }"
			zpty -w z "$4"$'"'\t'"'
			for i in {1..100}; do [[ -s $3 ]] && break; sleep 0.1; done
			sleep 0.3
			zpty -d z
		' zcomp "$o" "$ZSH_COMP" "$o/$1.zraw" "$2" 2>/dev/null
		sort -u "$o/$1.zraw" 2>/dev/null | grep -v '^$' >"$o/$1"
	}
	zcomp zsh-template 'licpack check --template '
	same_text "zsh: check --template" "$o/template.expected" "$o/zsh-template"
	zcomp zsh-region 'licpack check -t icp-renewal --region '
	same_text "zsh: check --region" "$o/regions.expected" "$o/zsh-region"
	zcomp zsh-codes 'licpack explain '
	sort "$o/codes.expected" >"$o/codes.sorted"
	same_text "zsh: explain" "$o/codes.sorted" "$o/zsh-codes"
	sort "$o/portal.expected" >"$o/portal.sorted"
	zcomp zsh-portal 'licpack build DIR --portal '
	same_text "zsh: build --portal" "$o/portal.sorted" "$o/zsh-portal"
	zcomp zsh-portal-show 'licpack portals show '
	same_text "zsh: portals show" "$o/portal.sorted" "$o/zsh-portal-show"
else
	echo "zsh: no zpty module, completions not run"
fi

e2e_finish
