#!/bin/sh
# Run every command-line test script against a build variant, side by side
# (tests/run-jobs.sh): tests/run-cli.sh build/asan
# Each tests/cli/test_*.sh gets TZ_BIN (the taizhang binary), TOOLS (test tools)
# and a private WORK directory; it prints "ok"/"not ok" lines and exits non-zero
# on failure. One line per script, and "cli: N passed, N failed" counting checks.
set -u
here=$(cd "$(dirname "$0")" && pwd)
for t in "$here"/cli/test_*.sh; do echo "cli $1 $t"; done | "$here/run-jobs.sh" cli
