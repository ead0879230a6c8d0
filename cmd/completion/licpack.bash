# bash completion for licpack(1)                          -*- shell-script -*-
#
# Installed as share/bash-completion/completions/licpack (make install), or
# sourced by hand: `source cmd/completion/licpack.bash`.
#
# Nothing here lists licpack's commands or options: they come from the
# licpack being completed (`licpack --list-commands`, `licpack --list-options
# CMD`, which prints the parser's own getopt table), and so do the template
# ids (`licpack templates list`), the regions (`licpack templates regions
# [ID]`), the portal names (`licpack portals list`) and the finding codes
# (`licpack explain`). What this file knows is
# which options take which kind of value. It needs bash 4 and nothing of the
# bash-completion package.

# The ids in the first column of a licpack listing: _licpack_ids ARGS...
_licpack_ids()
{
	local line
	"${_licpack_prog:-licpack}" "$@" 2>/dev/null | while read -r line rest; do
		[[ -n $line ]] && printf '%s\n' "$line"
	done
}

# COMPREPLY from a word list, matching $cur.
_licpack_words()
{
	local w
	COMPREPLY=()
	while IFS= read -r w; do
		COMPREPLY+=("$w")
	done < <(compgen -W "$1" -- "$cur")
}

# COMPREPLY: folders (dirs) or files (files), matching $cur.
_licpack_paths()
{
	local p
	COMPREPLY=()
	compopt -o filenames 2>/dev/null
	while IFS= read -r p; do
		COMPREPLY+=("$p")
	done < <(if [[ $1 == dirs ]]; then compgen -d -- "$cur"; else compgen -f -- "$cur"; fi)
}

_licpack()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i w opt
	local _licpack_prog=${COMP_WORDS[0]}
	local -a extra=() pextra=() positional=()

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# the command: the first word after the program that is not an option
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -z $cmd ]]; then
			[[ $w != -* ]] && cmd=$w
			continue
		fi
		# what the line says already: --templates DIR changes the template
		# list; a template id narrows the regions; positional words count
		case $w in
		--templates) extra+=(--templates "${COMP_WORDS[i + 1]}") ;;
		--templates=*) extra+=("$w") ;;
		--profiles) pextra+=(--profiles "${COMP_WORDS[i + 1]}") ;;
		--profiles=*) pextra+=("$w") ;;
		esac
	done
	if [[ -z $cmd ]]; then
		_licpack_words "$("$_licpack_prog" --list-commands 2>/dev/null) --help --version"
		return 0
	fi

	# an option's value: "--opt value" or "--opt=value"
	opt=$prev
	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		cur=${cur#*=}
	elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		# bash splits "--opt=" into "--opt" "=" (COMP_WORDBREAKS)
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == = ]]; then
		opt=$prev
		cur=
	fi
	case $opt in
	-t | --template)
		_licpack_words "$(_licpack_ids templates list "${extra[@]}")"
		return 0
		;;
	-r | --region)
		# the regions of the template given on the line, else of all
		local tid=
		for ((i = 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			-t | --template) tid=${COMP_WORDS[i + 1]} ;;
			--template=*) tid=${COMP_WORDS[i]#*=} ;;
			esac
		done
		if [[ $cmd == templates && -z $tid ]]; then
			# templates show ID --region R
			for ((i = 2; i < COMP_CWORD; i++)); do
				[[ ${COMP_WORDS[i - 1]} == show ]] && tid=${COMP_WORDS[i]}
			done
		fi
		_licpack_words "$(_licpack_ids templates regions $tid "${extra[@]}")"
		return 0
		;;
	--portal)
		_licpack_words "$(_licpack_ids portals list "${pextra[@]}")"
		return 0
		;;
	--id-layout)
		_licpack_words "together separate"
		return 0
		;;
	--templates | --profiles | --cache | -o | --output)
		_licpack_paths dirs
		return 0
		;;
	--font)
		_licpack_paths files
		return 0
		;;
	-f | --format)
		if [[ $cmd == explain ]]; then _licpack_words "text roff"
		elif [[ $cmd == check ]]; then _licpack_words "text json html"
		else _licpack_words "text json"; fi
		return 0
		;;
	--lang)
		_licpack_words "zh en"
		return 0
		;;
	--zip-names)
		_licpack_words "zh ascii"
		return 0
		;;
	-j | --jobs | -n | --name | --today | --max-pixels | --max-depth | --office-timeout | --shard | --max-pdf-mb | \
		--max-file-mb | --max-pixels-upload)
		COMPREPLY=()
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		local opts
		opts=$("$_licpack_prog" --list-options "$cmd" 2>/dev/null | while read -r long short; do
			printf '%s\n' "${long%=}"
		done)
		_licpack_words "$opts"
		return 0
	fi

	# the positional arguments so far (words that are neither options nor
	# their values)
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-t | -r | -o | -f | -j | -n | --template | --region | --templates | --output | --format | --lang | \
			--today | --max-pixels | --max-depth | --office-timeout | --zip-names | --font | --jobs | --name | --shard | \
			--max-pdf-mb | --portal | --profiles | --cache | --id-layout | --max-file-mb | --max-pixels-upload)
			((i++))
			;;
		-*) ;;
		*) positional+=("$w") ;;
		esac
	done
	# positional[0] is the command itself
	case $cmd in
	check | build | init | batch)
		_licpack_paths dirs
		;;
	batch-merge)
		_licpack_paths files
		;;
	templates)
		case ${#positional[@]} in
		1) _licpack_words "list show regions lint" ;;
		2)
			case ${positional[1]} in
			show | regions) _licpack_words "$(_licpack_ids templates list "${extra[@]}")" ;;
			lint) _licpack_paths files ;;
			*) COMPREPLY=() ;;
			esac
			;;
		*) COMPREPLY=() ;;
		esac
		;;
	explain)
		_licpack_words "$(_licpack_ids explain --lang en | grep -v "^'")"
		;;
	portals)
		case ${#positional[@]} in
		1) _licpack_words "list show" ;;
		2) [[ ${positional[1]} == show ]] && _licpack_words "$(_licpack_ids portals list "${pextra[@]}")" ;;
		*) COMPREPLY=() ;;
		esac
		;;
	*)
		COMPREPLY=()
		;;
	esac
	return 0
}

complete -F _licpack licpack
