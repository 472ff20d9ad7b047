#!/bin/sh
# Usage: tests/run-golden.sh BINARY [NAME...]
#
# Golden transcripts.  For every tests/golden/NAME.kms (or only the NAMEs given),
# from the top of the repository, run
#
#     BINARY $(cat tests/golden/NAME.args) < tests/golden/NAME.kms
#
# and compare its stdout and stderr, merged, followed by a line "[exit N]", with
# tests/golden/NAME.out (diff -u).  NAME.args is optional; its words are split on
# white space, without quoting or globbing.  The environment is tests/env.sh's:
# NO_COLOR=1, LC_ALL=C, an empty temporary HOME (so no history file is written).
#
# UPDATE=1 (re)writes the .out files from the binary.  That is for developers
# only: every rewritten .out must be read line by line against the kernel being
# modelled (its /proc files and messages, its mm/ source) before it is committed.
# Never accept an output blindly: a transcript kmemsh wrote about itself tests
# nothing.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BINARY [NAME...]" >&2; exit 2; }
# shellcheck source=tests/env.sh
. "$(dirname "$0")/env.sh"
bin=$(absbin "$1")
shift
cd "$(dirname "$0")/.." || exit 2
[ -x "$bin" ] || { echo "golden: $bin: not an executable" >&2; exit 2; }
dir=tests/golden
if [ $# -eq 0 ]; then
	set -- "$dir"/*.kms
	[ -e "$1" ] || { echo "golden: no $dir/*.kms yet"; exit 0; }
fi

pass=0 fail=0
for t; do
	name=${t##*/}
	name=${name%.kms}
	out=$TESTTMP/$name.out
	if [ ! -f "$dir/$name.kms" ]; then
		echo "FAIL $name (no $dir/$name.kms)"
		fail=$((fail + 1))
		continue
	fi
	args=
	[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
	set -f
	# shellcheck disable=SC2086 # split on white space, on purpose
	run "$bin" $args < "$dir/$name.kms" > "$out" 2>&1
	echo "[exit $?]" >> "$out"
	set +f

	if [ "${UPDATE:-}" = 1 ]; then
		if cmp -s "$out" "$dir/$name.out"; then
			echo "SAME $name"
		else
			cp "$out" "$dir/$name.out" && echo "WROTE $dir/$name.out (review it by hand)"
		fi
	elif [ ! -f "$dir/$name.out" ]; then
		echo "FAIL $name (no $dir/$name.out: write it with UPDATE=1, then review it)"
		fail=$((fail + 1))
	elif diff -u -L "$name.out (expected)" -L "$name (actual)" "$dir/$name.out" "$out"; then
		echo "PASS $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name"
		fail=$((fail + 1))
	fi
done
[ "${UPDATE:-}" = 1 ] && exit 0
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
