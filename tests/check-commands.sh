#!/bin/sh
# Usage: tests/check-commands.sh BINARY
#
# 1. The command table and the manual agree: the first word of each line of
#    `BINARY --list-commands` and the NAME of each `.It Ic NAME ...` (or
#    `.It Xo Ic NAME`) item in man/kmemsh.1, backslashes stripped, must be the
#    same set.  Differences are listed both ways.
# 2. The manual's examples run: in the `.Sh EXAMPLES` section of man/kmemsh.1,
#    every line of a `.Bd -literal` ... `.Ed` block that starts with "$ " is a
#    shell command.  Its roff escapes are decoded (\e \- \& \(aq \(dq ...), a line
#    ending in \e joins the next one, and it runs under `bash -o pipefail -c`,
#    from the top of the repository, with stdin from /dev/null and `kmemsh` on
#    PATH meaning BINARY.  It must exit 0.
#
# If BINARY or the man page does not exist yet: SKIP, a failure only when CI=true.
set -u
[ $# -eq 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
# shellcheck source=tests/env.sh
. "$(dirname "$0")/env.sh"
bin=$(absbin "$1")
cd "$(dirname "$0")/.." || exit 2
man=man/kmemsh.1

skip() {
	echo "SKIP $1"
	[ "${CI:-}" = true ] && exit 1
	exit 0
}
[ -x "$bin" ] || skip "$bin does not exist yet"
[ -f "$man" ] || skip "$man does not exist yet"

st=0
if ! run "$bin" --list-commands > "$TESTTMP/list" 2>&1; then
	echo "FAIL $bin --list-commands exited non-zero:"
	sed 's/^/    /' "$TESTTMP/list"
	st=1
fi
awk 'NF { print $1 }' "$TESTTMP/list" | sort -u > "$TESTTMP/table"
awk '/^\.It[ \t]/ { for (i = 2; i < NF; i++) if ($i == "Ic") { print $(i + 1); break } }' "$man" |
	sed 's/\\&//g; s/\\//g' | sort -u > "$TESTTMP/manual"
if [ ! -s "$TESTTMP/table" ]; then
	echo "FAIL $bin --list-commands lists no command"
	st=1
fi
undoc=$(comm -23 "$TESTTMP/table" "$TESTTMP/manual")
unimpl=$(comm -13 "$TESTTMP/table" "$TESTTMP/manual")
if [ -n "$undoc" ]; then
	echo "FAIL in the command table but not in $man:"
	printf '%s\n' "$undoc" | sed 's/^/    /'
	st=1
fi
if [ -n "$unimpl" ]; then
	echo "FAIL in $man but not in the command table:"
	printf '%s\n' "$unimpl" | sed 's/^/    /'
	st=1
fi
[ -n "$undoc$unimpl" ] || [ ! -s "$TESTTMP/table" ] ||
	echo "PASS $(wc -l < "$TESTTMP/table") commands, table and $man agree"

# The examples, decoded, one command per line.
awk '
/^\.Sh[ \t]/ { ex = ($2 == "EXAMPLES" || $2 == "\"EXAMPLES\""); lit = 0; next }
ex && /^\.Bd[ \t].*-literal/ { lit = 1; next }
ex && lit && /^\.Ed/ { lit = 0; next }
ex && lit {
	if (cmd != "") line = cmd " " $0
	else if (substr($0, 1, 2) == "$ ") line = substr($0, 3)
	else next
	if (line ~ /\\e$/) { cmd = substr(line, 1, length(line) - 2); next }
	cmd = ""
	print line
}' "$man" | sed '
	s/\\-/-/g; s/\\&//g; s/\\|//g; s/\\^//g; s/\\ / /g
	s/\\(aq/'"'"'/g; s/\\(dq/"/g; s/\\(ga/`/g; s/\\(ti/~/g; s/\\(ha/^/g
	s/\\e/\\/g' > "$TESTTMP/examples"

mkdir -p "$TESTTMP/bin" && ln -sf "$bin" "$TESTTMP/bin/kmemsh"
PATH="$TESTTMP/bin:$PATH"
n=0 bad=0
while IFS= read -r cmd; do
	n=$((n + 1))
	if run bash -o pipefail -c "$cmd" < /dev/null > "$TESTTMP/log" 2>&1; then
		printf 'PASS example: $ %s\n' "$cmd"
	else
		printf 'FAIL example (exit %s): $ %s\n' "$?" "$cmd"
		tail -n 20 "$TESTTMP/log" | sed 's/^/    /'
		bad=$((bad + 1))
	fi
done < "$TESTTMP/examples"
if [ "$n" -eq 0 ]; then
	echo "WARN no \"\$ \" command lines in the EXAMPLES section of $man"
	[ "${CI:-}" = true ] && st=1
fi
[ "$bad" -eq 0 ] || st=1
exit $st
