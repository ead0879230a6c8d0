#!/bin/sh
# Install the Debian packages named as arguments that are not installed yet.
# Used by `make deps` and `make deps-test`; needs root (apt-get) only when
# something is missing.
missing=
for p in "$@"; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$s" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "licpack: missing Debian packages:$missing" >&2
	echo "licpack: run 'make deps' as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "licpack: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null
