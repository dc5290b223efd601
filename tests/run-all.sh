#!/bin/sh
# Everything `make test` runs, after the builds: unit tests and command-line tests
# on the sanitizer build, unit tests under valgrind on the release build. Ends
# with one "total: N passed, N failed" line.
set -u
passed=0
failed=0
status=0
tally() {
	line=$(tail -n 1 "$1")
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
}
log=$(mktemp)
echo "== unit tests (ASan + UBSan) =="
tests/run-unit.sh build/asan | tee "$log" || status=1
tally "$log"
echo "== command-line tests (ASan + UBSan) =="
tests/run-cli.sh build/asan | tee "$log" || status=1
tally "$log"
echo "== unit tests under valgrind =="
tests/run-unit.sh build/release valgrind | tee "$log" || status=1
tally "$log"
rm -f "$log"
echo "total: $passed passed, $failed failed"
exit $status
