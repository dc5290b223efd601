# test_crash.sh — kill -9 at 50 random moments while a writer commits
# transactions in a loop. Afterwards the store verifies, and every transaction
# the writer reported committed (it logs after COMMIT returns) is there.
. "$(dirname "$0")/lib.sh"
S="$WORK/v.tzs"
P="$WORK/p"
LOG="$WORK/committed"
printf 'crash passphrase\n' >"$P"
run_tz 0 "init" init --store "$S" --village 341522104201 --name 示范村 --passphrase-file "$P" --kdf-cost min
: >"$LOG"
awk -v seed="${CRASH_SEED:-4242}" 'BEGIN { srand(seed); for (i = 0; i < 50; i++) printf "%.3f\n", 0.05 + rand() * 0.25 }' >"$WORK/delays"
while read -r d; do
	"$TOOLS/writer" "$S" "$P" loop "$LOG" 2>>"$WORK/writer.err" &
	pid=$!
	sleep "$d"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
done <"$WORK/delays"
reported=$(wc -l <"$LOG")
last=$(tail -n 1 "$LOG")
echo "# $reported transactions reported committed, last $last"
check "the writer committed across the runs" test "$reported" -gt 100
check "no writer failed on its own" test ! -s "$WORK/writer.err"
run_tz 0 "verify after 50 kills" verify --store "$S" --passphrase-file "$P"
run_tz 0 "query the rows" query --store "$S" --passphrase-file "$P" "SELECT count(*), max(i) FROM crash"
count=$(tail -n 1 "$WORK/out" | cut -d, -f1)
max=$(tail -n 1 "$WORK/out" | cut -d, -f2)
check "no gaps: every transaction is whole ($count rows, max $max)" test "$count" -eq "$max"
check "every reported commit is present (max $max >= last reported $last)" test "$max" -ge "$last"
finish
