#!/bin/sh
# Run every unit test binary of a build variant: tests/run-unit.sh build/asan [valgrind]
# Prints each binary's cmocka summary and a closing "N passed, N failed" line.
set -u
dir=$1
mode=${2:-}
passed=0
failed=0
for t in "$dir"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if [ "$mode" = valgrind ]; then
		out=$(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$t" 2>&1)
	else
		out=$("$t" 2>&1)
	fi
	rc=$?
	n_ok=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	n_bad=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	passed=$((passed + ${n_ok:-0}))
	if [ $rc -ne 0 ]; then
		failed=$((failed + ${n_bad:-1}))
		printf '%s\n' "$out"
		echo "FAIL: $name (exit $rc)"
	else
		echo "ok:   $name (${n_ok:-0} tests)"
	fi
done
echo "unit: $passed passed, $failed failed"
[ $failed -eq 0 ]
