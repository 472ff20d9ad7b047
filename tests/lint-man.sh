#!/bin/sh
# Usage: tests/lint-man.sh
#
# man/kmemsh.1 and man/kmemsh.7 must format without a single message:
#   groff -mandoc -ww -z FILE          (as typeset, the default device)
#   groff -mandoc -ww -z -Tutf8 FILE   (as man(1) shows it at a terminal)
#   mandoc -Tutf8 FILE                 (its rendering messages, on stderr)
#   mandoc -Tlint -W warning FILE      (STYLE messages are not reported)
# groff's exit status does not reflect warnings, so its output is tested.
# (The pages are mdoc, so groff reads them with -mandoc, which picks the
# mdoc macros; -man would read mdoc source as plain man and warn on every
# macro.)
#
# Then the text as a reader sees it (mandoc -Tutf8, overstrikes removed)
# must hold no classes of error that format silently:
#   - stray hyphen-words: a word rendered with a leading '-' or '--' that the
#     source never writes as an option (".Fl word" or "-word" in a literal).
#     A macro that swallows the rest of its line (".Pq ... Fl \-x , its
#     checks") renders "--its --checks": each is reported.
#   - unbalanced quotes: in each paragraph the double quotes (“ ”) must
#     open and close in turn and end closed; a .Dq that swallows the
#     line renders “a “b”” and is reported.
#   - prose in a function call: .Fn takes the rest of its line as the
#     function's arguments, so ".Pq the caller's own Fn f would look the
#     same" renders "f(would, look, the, same)"; an argument that is one of
#     a few English words (the, would, is, ...) is reported.
# A page that does not exist yet is a WARN, and a failure only when CI=true.
set -u
cd "$(dirname "$0")/.." || exit 2
command -v groff >/dev/null 2>&1 || { echo "FAIL groff is not installed (make deps)"; exit 1; }
mandoc=mandoc
if ! command -v mandoc >/dev/null 2>&1; then
	mandoc=
	echo "NOTE mandoc is not installed; mandoc checks skipped"
fi
tmp=${TMPDIR:-/tmp}/lint-man.$$
trap 'rm -f "$tmp".*' EXIT INT TERM

# the text as read: groff, or mandoc when installed; overstrike removed
render() {
	if [ -n "$mandoc" ]; then
		mandoc -Tutf8 "$1" 2>/dev/null
	else
		groff -mandoc -Tutf8 -P-c "$1" 2>/dev/null
	fi | sed 's/.\x08//g'
}

# hyphen-words of the rendering that the source never writes as options
stray_hyphens() {
	# the options the source writes: "Fl word" gives -word, "\-" is '-'
	sed 's/\\-/-/g' "$1" | grep -oE '(Fl|Op Fl|Ar) -?[a-zA-Z][a-zA-Z0-9_-]*' |
		sed -E 's/^(Op )?(Fl|Ar) /-/' >"$tmp.opts"
	sed 's/\\-/-/g' "$1" | grep -oE '(^|[^a-zA-Z0-9_])--?[a-zA-Z][a-zA-Z0-9_-]*' |
		sed -E 's/^[^-]//' >>"$tmp.opts"
	render "$1" | LC_ALL=C grep -noE '(^|[[:space:]([])--?[a-zA-Z][a-zA-Z0-9_-]*' |
		sed -E 's/:[[:space:]([]*/: /' |
		awk -v opts="$tmp.opts" '
			BEGIN { while ((getline o < opts) > 0) known[o] = 1 }
			{ w = $2; sub(/[-]+$/, "", w); if (!(w in known) && !($2 in known)) print "line " $1 " stray hyphen-word: " $2 }'
}

# paragraphs whose double quotes do not open and close in turn
unbalanced_quotes() {
	render "$1" | LC_ALL=C awk '
		function check() { if (depth != 0 || bad) print "line " start ": unbalanced quotes: " substr(para, 1, 120); depth = 0; bad = 0; para = "" }
		/^[[:space:]]*$/ { check(); next }
		{
			if (para == "") start = NR
			para = para " " $0
			s = $0
			while ((i = index(s, "\342\200\234")) || (j = index(s, "\342\200\235"))) {
				i = index(s, "\342\200\234"); j = index(s, "\342\200\235")
				if (i && (!j || i < j)) { if (depth) bad = 1; depth = 1; s = substr(s, i + 3) }
				else { if (!depth) bad = 1; depth = 0; s = substr(s, j + 3) }
			}
		}
		END { check() }'
}

# function calls of the rendering whose arguments are English words
prose_in_calls() {
	render "$1" | LC_ALL=C grep -noE '[A-Za-z_][A-Za-z_0-9]*[(][^()]*[)]' |
		awk '{
			n = index($0, ":"); line = substr($0, 1, n - 1); call = substr($0, n + 1)
			args = call; sub(/^[^(]*[(]/, "", args); sub(/[)]$/, "", args)
			k = split(args, w, /, */)
			for (i = 1; i <= k; i++)
				if (w[i] ~ /^(the|a|an|would|will|is|are|was|of|to|in|and|or|that|it|its|be|as|not|with|for|on|by)$/) {
					print "line " line " prose in a function call: " call; break
				}
		}'
}

st=0
# the help topics are kmemsh.7's text (tests/gen-topics.sh): they must not drift
if [ -n "$mandoc" ] && [ -f man/kmemsh.7 ]; then
	if sh tests/gen-topics.sh man/kmemsh.7 >"$tmp.topics" && cmp -s "$tmp.topics" src/cli/help_topics.c; then
		echo "PASS src/cli/help_topics.c is kmemsh.7's text"
	else
		echo "FAIL src/cli/help_topics.c differs from kmemsh.7 (sh tests/gen-topics.sh > src/cli/help_topics.c)"
		diff -u src/cli/help_topics.c "$tmp.topics" | head -20 | sed 's/^/    /'
		st=1
	fi
fi
for f in man/kmemsh.1 man/kmemsh.7; do
	if [ ! -f "$f" ]; then
		echo "WARN $f does not exist yet"
		[ "${CI:-}" = true ] && st=1
		continue
	fi
	msg=$( {
		groff -mandoc -ww -z "$f"
		groff -mandoc -ww -z -Tutf8 "$f"
		if [ -n "$mandoc" ]; then
			mandoc -Tutf8 "$f" >/dev/null
			mandoc -Tlint -W warning "$f" | grep -v 'STYLE:'
		fi
		stray_hyphens "$f"
		unbalanced_quotes "$f"
		prose_in_calls "$f"
	} 2>&1 | awk '!seen[$0]++')
	if [ -n "$msg" ]; then
		echo "FAIL $f"
		printf '%s\n' "$msg" | sed 's/^/    /'
		st=1
	else
		echo "PASS $f (groff${mandoc:+, mandoc}, hyphen-words, quotes, calls)"
	fi
done
exit $st
