#!/bin/sh
# Usage: tests/run-unit.sh TEST...
# Runs each cmocka test executable (built by make from tests/unit/test_*.c);
# one PASS/FAIL line per executable, non-zero exit if any failed.
set -u
n=0 failed=0
for t in "$@"; do
	n=$((n + 1))
	if "$t"; then
		echo "PASS $t"
	else
		echo "FAIL $t (exit $?)"
		failed=$((failed + 1))
	fi
done
[ "$n" -gt 0 ] || echo "unit: no tests/unit/test_*.c yet"
echo "unit: $((n - failed))/$n passed"
[ "$failed" -eq 0 ]
