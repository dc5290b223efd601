#!/bin/sh
# golden.sh [--refresh] [BUILD_DIR] — run the TUI tests that compare whole
# screens with tests/golden/*.txt; with --refresh, write what the screens show
# now into those files instead (after an intended change of a screen: review
# with `git diff tests/golden`). BUILD_DIR defaults to build/asan (make golden
# builds it). Each test gets its own WORK directory, as tests/run-cli.sh gives.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
GOLDEN_REFRESH=0
if [ "${1:-}" = --refresh ]; then GOLDEN_REFRESH=1; shift; fi
build=$(cd "${1:-$root/build/asan}" && pwd) || exit 2
export GOLDEN_REFRESH TZ_BIN="$build/taizhang" TOOLS="$build/tools"
status=0
for t in $(grep -l tui_golden "$here"/test_*.sh); do
	WORK=$(mktemp -d) || exit 1
	export WORK
	echo "== $(basename "$t")"
	if sh "$t" >"$WORK/log" 2>&1; then
		grep -e '^not ok' -e 'golden screen' "$WORK/log"
		rm -rf "$WORK"
	else
		cat "$WORK/log"
		echo "($(basename "$t") failed; its files are in $WORK)"
		status=1
	fi
done
exit $status
