#!/bin/sh
# Usage: tests/check-po.sh POT PODIR
#
# The message catalogues are complete.  POT is a .pot that xgettext made
# from today's sources (the Makefile's $(B)/kmemsh.pot, the same command as
# `make pot`); for every PODIR/LANG.po, each msgid of POT must have a
# translation in LANG.po that is not empty and not fuzzy, and msgfmt --check
# must accept it (for c-format messages: the same printf conversions, in
# the same order, as the msgid).  A message added to the sources without a
# translation fails here: run `make pot` and translate it in po/LANG.po.
set -u
[ $# -eq 2 ] || { echo "usage: $0 POT PODIR" >&2; exit 2; }
pot=$1 podir=$2
for t in msgmerge msgattrib msgfmt; do
	command -v $t >/dev/null 2>&1 || { echo "po: $t not found (install GNU gettext)"; exit 1; }
done
[ -f "$pot" ] || { echo "po: $pot: no such file"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmemsh-po.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
st=0 n=0
for po in "$podir"/*.po; do
	[ -f "$po" ] || continue
	n=$((n + 1))
	lang=${po##*/}
	lang=${lang%.po}
	# LANG.po's translations for exactly the sources' msgids (no fuzzy guesses)
	msgmerge -q --no-fuzzy-matching --no-wrap -o "$tmp/$lang.po" "$po" "$pot" || { st=1; continue; }
	stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
	case $stats in
	*fuzzy*|*untranslated*)
		echo "FAIL $lang: $stats; these need a translation in $po:"
		msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | grep '^msgid "..*"' | sed 's/^/  /' | head -40
		msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/$lang.po" | grep '^msgid "..*"' | sed 's/^/  fuzzy: /' | head -40
		st=1 ;;
	esac
	# empty translations count as untranslated above; none may be empty
	if ! msgfmt --check -o /dev/null "$tmp/$lang.po"; then
		echo "FAIL $lang: msgfmt --check"
		st=1
	fi
	# every msgid of the .pot made it into the merged catalogue translated
	total=$(grep -c '^msgid ' "$pot")
	[ $st = 0 ] && echo "ok   $lang: $stats (the .pot has $total msgids)"
done
[ $n -gt 0 ] || { echo "po: no $podir/*.po"; exit 1; }
exit $st
