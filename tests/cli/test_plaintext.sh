# test_plaintext.sh — nothing personal on disk in clear: after `demo`, and while
# a write transaction holds pages in the rollback journal, neither the store nor
# its journal contains any demo name or ID number.
. "$(dirname "$0")/lib.sh"
S="$WORK/v.tzs"
P="$WORK/p"
printf 'plaintext passphrase\n' >"$P"
run_tz 0 "demo store" demo --store "$S" --households 400 --seed 7 --passphrase-file "$P" --kdf-cost min
"$TZ_BIN" query --store "$S" --passphrase-file "$P" "SELECT name FROM members UNION SELECT idcard FROM members" \
	| tail -n +2 >"$WORK/needles"
check "there are many names and ID numbers to look for" test "$(wc -l <"$WORK/needles")" -gt 200
check "the needles are found in a clear-text copy (the search works)" grep -q -a -F -f "$WORK/needles" "$WORK/needles"
check "no name or ID number in the store" sh -c "! grep -q -a -F -f '$WORK/needles' '$S'"
check "no SQLite header in clear" sh -c "! grep -q -a 'SQLite format 3' '$S'"

mkfifo "$WORK/hold"
"$TOOLS/writer" "$S" "$P" hold <"$WORK/hold" >"$WORK/writer.out" 2>&1 &
pid=$!
exec 3>"$WORK/hold"
i=0
while ! grep -q holding "$WORK/writer.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "writer holds a write transaction" grep -q holding "$WORK/writer.out"
check "the journal exists and holds pages (more than the VFS buffers)" test "$(stat -c %s "$S-journal" 2>/dev/null || echo 0)" -gt 131072
check "no name or ID number in the journal" sh -c "! grep -q -a -F -f '$WORK/needles' '$S-journal'"
check "no name or ID number in the store mid-transaction" sh -c "! grep -q -a -F -f '$WORK/needles' '$S'"
exec 3>&-
wait $pid
check "journal gone after rollback" test ! -e "$S-journal"
run_tz 0 "verify after" verify --store "$S" --passphrase-file "$P"
finish
