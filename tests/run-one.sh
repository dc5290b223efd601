#!/bin/sh
# Run one test file and say in one line how it went:
#   tests/run-one.sh RESULTS KIND ARG...
#     unit BINARY            a cmocka binary (counts its tests)
#     valgrind BINARY        the same under valgrind (errors and definite leaks fail)
#     cli BUILD_DIR SCRIPT   a tests/cli script against BUILD_DIR (counts its checks)
#     fuzz NAME              tests/fuzz/run.sh's deterministic run of one target against
#                            the ASan build's library (one check)
# The output goes to a log; on failure the whole log is printed after the line.
# RESULTS is the directory tests/run-jobs.sh collects counts and times in (one
# file per job: "PASSED FAILED SECONDS"). Printing holds a lock on RESULTS/lock
# so that lines of jobs running side by side do not mix.
set -u
results=$1 kind=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
case $kind in
	cli) name=$(basename "$2" .sh) ;;
	*) name=$(basename "$1") ;;
esac
id="$kind-$name"
log="$results/$id.log"
start=$(date +%s.%N)

case $kind in
unit)
	"$1" >"$log" 2>&1 ;;
valgrind)
	TZ_TEST_UNDER_VALGRIND=1 valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$1" >"$log" 2>&1 ;;
cli)
	dir=$(cd "$1" && pwd)
	work=$(mktemp -d /tmp/tz-cli-XXXXXX)
	TZ_BIN="$dir/taizhang" TOOLS="$dir/tools" WORK="$work" \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 sh "$2" >"$log" 2>&1
	rc=$?
	rm -rf "$work"
	(exit $rc) ;;
fuzz)
	FUZZ_TARGETS="$1" FUZZ_LIB=asan "$here/fuzz/run.sh" >"$log" 2>&1 ;;
*)
	echo "run-one.sh: unknown kind $kind" >"$log"; false ;;
esac
rc=$?
seconds=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')

case $kind in
unit|valgrind)
	# A binary may run more than one group (test_store: one per page cipher).
	ok=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{ n += $1 } END { print n + 0 }')
	bad=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{ n += $1 } END { print n + 0 }')
	what=tests ;;
cli)
	ok=$(grep -c '^ok ' "$log")
	bad=$(grep -c '^not ok ' "$log")
	what=checks ;;
fuzz)
	ok=$(sed -n 's/^fuzz: \([0-9]*\) passed.*/\1/p' "$log")
	bad=$(sed -n 's/^fuzz: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$log")
	what=targets ;;
esac
ok=${ok:-0} bad=${bad:-0}
# A file that failed without a failing test or check still counts one failure.
[ "$rc" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
echo "$ok $bad $seconds" >"$results/$id.count"

{
	flock 9
	if [ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]; then
		printf 'ok    %-9s %-22s %4s %-7s %6s s\n' "$kind" "$name" "$ok" "$what" "$seconds"
	else
		sed 's/^/    | /' "$log"
		printf 'FAIL  %-9s %-22s %4s %-7s %6s s (exit %s)\n' "$kind" "$name" "$bad" "failed" \
			"$seconds" "$rc"
	fi
} 9>>"$results/lock"
exit 0
