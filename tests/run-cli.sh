#!/bin/sh
# Run every command-line test script against a build variant:
#   tests/run-cli.sh build/asan
# Each tests/cli/test_*.sh gets TZ (the taizhang binary), TOOLS (test tools) and a
# private WORK directory; it prints "ok"/"not ok" lines and exits non-zero on
# failure. Closes with "N passed, N failed" counting the checks.
set -u
dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
for t in "$here"/cli/test_*.sh; do
	name=$(basename "$t" .sh)
	work=$(mktemp -d /tmp/tz-cli-XXXXXX)
	out="$work.log"
	TZ_BIN="$dir/taizhang" TOOLS="$dir/tools" WORK="$work" \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		sh "$t" >"$out" 2>&1
	rc=$?
	ok=$(grep -c '^ok ' "$out")
	bad=$(grep -c '^not ok ' "$out")
	passed=$((passed + ok))
	if [ $rc -ne 0 ] || [ "$bad" -ne 0 ]; then
		failed=$((failed + (bad > 0 ? bad : 1)))
		cat "$out"
		echo "FAIL: $name (exit $rc)"
	else
		echo "ok:   $name ($ok checks)"
	fi
	rm -rf "$work" "$out"
done
echo "cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
