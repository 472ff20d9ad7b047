#!/bin/sh
# Usage: tests/run-samples.sh BINARY
#
# Every samples/*.kms must run cleanly: from the top of the repository,
#     BINARY --check < samples/NAME.kms
# must exit 0.  A sample with lines "#@ run: OPTIONS" runs once per such line
# with those options instead (e.g. under each slab allocator).  One PASS/FAIL
# line per run; a failure shows the end of the output.  Environment as in tests/env.sh.
set -u
[ $# -eq 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
# shellcheck source=tests/env.sh
. "$(dirname "$0")/env.sh"
bin=$(absbin "$1")
cd "$(dirname "$0")/.." || exit 2
[ -x "$bin" ] || { echo "samples: $bin: not an executable" >&2; exit 2; }
set -- samples/*.kms
[ -e "$1" ] || { echo "samples: no samples/*.kms yet"; exit 0; }

pass=0 fail=0
for s; do
	runs=$(sed -n 's/^#@ run: *//p' "$s")
	[ -n "$runs" ] || runs="-"
	while IFS= read -r opts; do
		[ "$opts" = "-" ] && opts=""
		# shellcheck disable=SC2086 # the options are words
		run "$bin" --check $opts < "$s" > "$TESTTMP/log" 2>&1
		st=$?
		name="$s${opts:+ ($opts)}"
		if [ $st -eq 0 ]; then
			echo "PASS $name"
			pass=$((pass + 1))
		else
			echo "FAIL $name (exit $st)"
			tail -n 20 "$TESTTMP/log" | sed 's/^/    /'
			fail=$((fail + 1))
		fi
	done <<EOF
$runs
EOF
done
echo "samples: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
