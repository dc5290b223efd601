#!/bin/sh
# Run test jobs side by side and close with their total:
#   ... | tests/run-jobs.sh LABEL
# Reads one job a line ("KIND ARG...", as tests/run-one.sh takes them), runs
# TEST_JOBS of them at a time (default: nproc), and besides those the screen
# tests (command-line tests that drive the program in tmux) in a lane of their
# own, TEST_SCREEN_JOBS at a time (default 2): they spend most of their time
# waiting for the program to redraw (measured: test_tui_walk 26.5 s wall, 6.2 s
# of CPU), so they overlap the CPU-bound jobs instead of queueing behind them.
# Within each lane the jobs run longest first by the times the
# last run left in build/test-times (on a fresh checkout, by the times committed
# in tests/test-times.default, so that CI starts the long jobs first too), prints each job's line as it finishes and
# ends with "LABEL: N passed, N failed"; exits non-zero when anything failed.
set -u
label=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
times="$root/build/test-times"
results=$(mktemp -d /tmp/tz-results-XXXXXX)
trap 'rm -rf "$results"' EXIT

# Longest first (the last run's seconds; a new job counts as long).
cat >"$results/jobs"
known=$times
[ -f "$known" ] || known="$here/test-times.default"
awk -v times="$known" 'BEGIN { while ((getline l < times) > 0) { split(l, f, "\t"); t[f[2]] = f[1] } }
	{ print (($0 in t) ? t[$0] : 1000) "\t" $0 }' "$results/jobs" |
	sort -t "$(printf '\t')" -k1,1 -g -r | cut -f 2- >"$results/order"

# The screen tests' lane and the others'.
screen_jobs=${TEST_SCREEN_JOBS:-2}
: >"$results/order.screen"
: >"$results/order.other"
while IFS= read -r job; do
	set -- $job
	if [ "$1" = cli ] && grep -q -e 'new-session' -e 'tui_start' "$root/$3" 2>/dev/null; then
		echo "$job" >>"$results/order.screen"
	else
		echo "$job" >>"$results/order.other"
	fi
done <"$results/order"

# run_lane ORDER JOBS: run the jobs listed in ORDER, JOBS at a time.
run_lane() {
	# shellcheck disable=SC2016
	tr '\n' '\0' <"$1" |
		xargs -0 -r -P "$2" -I JOB sh -c 'exec "$1" "$2" $3' sh "$here/run-one.sh" "$results" JOB
}
run_lane "$results/order.screen" "$screen_jobs" &
screen_lane=$!
run_lane "$results/order.other" "$jobs"
wait "$screen_lane"

passed=0
failed=0
mkdir -p "$root/build"
: >"$times.new"
while IFS= read -r job; do
	set -- $job
	case $1 in cli) name=$(basename "$3" .sh) ;; *) name=$(basename "$2") ;; esac
	count="$results/$1-$name.count"
	if [ -f "$count" ]; then
		read -r p f s <"$count"
	else
		p=0 f=1 s=0
		echo "FAIL  $job: did not run"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%s\t%s\n' "$s" "$job" >>"$times.new"
done <"$results/jobs"
# Keep the times of jobs this run did not have (make test-fast runs fewer).
[ -f "$times" ] && awk -F '\t' 'NR == FNR { seen[$2] = 1; next } !($2 in seen)' \
	"$times.new" "$times" >"$results/kept"
cat "$results/kept" >>"$times.new" 2>/dev/null
mv "$times.new" "$times"
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
