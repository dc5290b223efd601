#!/bin/sh
# Run every unit test binary of a build variant, side by side (tests/run-jobs.sh):
#   tests/run-unit.sh build/asan [valgrind]
# One line per binary, a failing one's output, and "unit: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
kind=${2:-unit}
for t in "$dir"/tests/test_*; do
	case $t in *.d) continue ;; esac
	[ -x "$t" ] && echo "$kind $t"
done | "$here/run-jobs.sh" "$kind"
