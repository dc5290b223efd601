#!/bin/sh
# Every test `make test` runs, after its builds, as jobs side by side
# (tests/run-jobs.sh; TEST_JOBS at a time): the unit tests and the command-line
# tests on the ASan+UBSan build, each fuzz target (tests/fuzz/run.sh's fixed,
# deterministic number of inputs; make fuzz runs them for a time), and the
# unit tests named in VALGRIND_TESTS under valgrind on the debug build (gcc).
#   tests/run-all.sh           as make test
#   tests/run-all.sh --fast    the unit tests on the release build only (make test-fast)
# One line per test file; ends with "total: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
{
	if [ "${1:-}" = --fast ]; then
		for t in build/release/tests/test_*; do
			case $t in *.d) continue ;; esac
			echo "unit $t"
		done
	else
		for t in build/asan/tests/test_*; do
			case $t in *.d) continue ;; esac
			echo "unit $t"
		done
		for t in tests/cli/test_*.sh; do echo "cli build/asan $t"; done
		for t in tests/fuzz/fuzz_*.c; do
			t=$(basename "$t" .c)
			echo "fuzz ${t#fuzz_}"
		done
		for t in ${VALGRIND_TESTS:-}; do echo "valgrind build/debug/tests/$t"; done
	fi
} | tests/run-jobs.sh total
