#!/bin/sh
# Usage: tests/lint-man.sh
#
# man/kmemsh.1 and man/kmemsh.7 must format without a single message:
#   groff -mandoc -ww -z FILE          (as typeset, the default device)
#   groff -mandoc -ww -z -Tutf8 FILE   (as man(1) shows it at a terminal)
#   mandoc -Tlint -W warning FILE      (when mandoc is installed; STYLE
#                                       messages are not reported)
# groff's exit status does not reflect warnings, so its output is tested.
# A page that does not exist yet is a WARN, and a failure only when CI=true.
set -u
cd "$(dirname "$0")/.." || exit 2
command -v groff >/dev/null 2>&1 || { echo "FAIL groff is not installed (make deps)"; exit 1; }
mandoc=mandoc
if ! command -v mandoc >/dev/null 2>&1; then
	mandoc=
	echo "NOTE mandoc is not installed; mandoc -Tlint skipped"
fi

st=0
for f in man/kmemsh.1 man/kmemsh.7; do
	if [ ! -f "$f" ]; then
		echo "WARN $f does not exist yet"
		[ "${CI:-}" = true ] && st=1
		continue
	fi
	msg=$( {
		groff -mandoc -ww -z "$f"
		groff -mandoc -ww -z -Tutf8 "$f"
		[ -z "$mandoc" ] || mandoc -Tlint -W warning "$f" | grep -v 'STYLE:'
	} 2>&1 | awk '!seen[$0]++')
	if [ -n "$msg" ]; then
		echo "FAIL $f"
		printf '%s\n' "$msg" | sed 's/^/    /'
		st=1
	else
		echo "PASS $f (groff${mandoc:+, mandoc})"
	fi
done
exit $st
