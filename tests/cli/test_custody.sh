# test_custody.sh — who holds the store, from the command line: the old header
# (its first 8 KiB) copied back after `user remove` or `user passwd` does not open
# it (exit 4); `verify` names an altered audit row (exit 4); `demo` and `restore`
# killed at any moment leave either nothing or the whole store at the name, and
# the next run succeeds and sweeps the dead runs' hidden leftovers; `query`
# reads no private key and no pointer.
. "$(dirname "$0")/lib.sh"
S="$WORK/v.tzs"
P="$WORK/p"
printf 'custody passphrase\n' >"$P"
printf 'bob passphrase one\n' >"$WORK/pb"
printf 'bob passphrase two\n' >"$WORK/pb2"
header() { dd if="$1" of="$2" bs=8192 count=1 2>/dev/null; }
splice() { dd if="$2" of="$1" bs=8192 count=1 conv=notrunc 2>/dev/null; }

# ---- an old header spliced back ----
run_tz 0 "a village store" init --store "$S" --village 341522104201 --name 示范村 --passphrase-file "$P" --kdf-cost min
run_tz 0 "bob is added" user add bob --store "$S" --passphrase-file "$P" --new-passphrase-file "$WORK/pb" --kdf-cost min
header "$S" "$WORK/with-bob"
run_tz 0 "bob opens it" status --store "$S" --user bob --passphrase-file "$WORK/pb"
run_tz 0 "bob is removed" user remove bob --store "$S" --passphrase-file "$P"
run_tz 3 "bob no longer opens it" status --store "$S" --user bob --passphrase-file "$WORK/pb"
cp "$S" "$WORK/current"
splice "$S" "$WORK/with-bob"
run_tz 4 "the header from before the removal is refused to bob" status --store "$S" --user bob --passphrase-file "$WORK/pb"
check "it says the header is older than the database" contains "$WORK/err" "比数据库旧"
run_tz 4 "and to everyone else" query --store "$S" --passphrase-file "$P" "SELECT count(*) FROM households"
check "nothing was printed" test ! -s "$WORK/out"
run_tz 4 "verify names the old header" verify --store "$S" --passphrase-file "$P"
check "verify says the header is older" contains "$WORK/out" "文件头：比数据库旧"
header "$WORK/current" "$WORK/now"
splice "$S" "$WORK/now"
run_tz 0 "the current header put back opens again" verify --store "$S" --passphrase-file "$P"

run_tz 0 "bob is added again" user add bob --store "$S" --passphrase-file "$P" --new-passphrase-file "$WORK/pb" --kdf-cost min
header "$S" "$WORK/old-pass"
run_tz 0 "bob changes his passphrase" user passwd --store "$S" --user bob --passphrase-file "$WORK/pb" --new-passphrase-file "$WORK/pb2" --kdf-cost min
run_tz 3 "the old passphrase no longer opens it" status --store "$S" --user bob --passphrase-file "$WORK/pb"
splice "$S" "$WORK/old-pass"
run_tz 4 "the header from before passwd is refused" status --store "$S" --user bob --passphrase-file "$WORK/pb"
check "it says the header is older than the database" contains "$WORK/err" "比数据库旧"

# ---- the audit chain ----
cp "$WORK/current" "$S"
run_tz 0 "an intact store verifies" verify --store "$S" --passphrase-file "$P"
check "verify counts the audit rows (create, register, the deliverables made, add, remove)" contains "$WORK/out" "审计记录 5 条"
"$TOOLS/writer" "$S" "$P" edit-audit 2 2>"$WORK/writer.err"
check "the writer altered audit row 2" test $? -eq 0
run_tz 4 "an altered audit row fails verify" verify --store "$S" --passphrase-file "$P"
check "verify names audit row 2" contains "$WORK/out" "审计记录第 2 条"

# ---- a new store appears whole or not at all ----
# kill_at DELAY CMD...: start taizhang, kill -9 it after DELAY seconds.
# building DIR NAME: how many hidden leftovers of NAME a killed build left in DIR
building() { ls -A "$1" | grep "^\.$2\.tmp-" | grep -c -v -- '-journal$'; }
kill_at() {
	d=$1; shift
	"$TZ_BIN" "$@" >/dev/null 2>>"$WORK/killed.err" &
	pid=$!
	sleep "$d"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
}
# households_in STORE: how many households the store at STORE holds.
households_in() {
	"$TZ_BIN" query --store "$1" --passphrase-file "$P" "SELECT count(*) FROM households" | tail -n 1
}
# kill_each STORE WANT "DELAYS" ARGS...: for each delay, start taizhang ARGS
# (which makes the store at STORE) and kill -9 it after that long; each time
# STORE must be absent or hold all WANT households (then it is removed for
# the next run). Counts the kills that came before the end in cut_short (mid:
# while building), the whole stores in whole and the partial ones in bad.
kill_each() {
	store=$1 want=$2 delays=$3
	shift 3
	cut_short=0 whole=0 bad=0 mid=0
	for d in $delays; do
		kill_at "$d" "$@"
		if [ -e "$store" ]; then
			n=$(households_in "$store")
			if [ "$n" = "$want" ]; then whole=$((whole + 1))
			else bad=$((bad + 1)); not_ok "a killed $1 left $n of $want households at the name"; fi
			rm -f "$store"
		else
			cut_short=$((cut_short + 1))
			[ "$(building "$(dirname "$store")" "$(basename "$store")")" -gt 0 ] && mid=$((mid + 1))
		fi
	done
}
D="$WORK/demo"
mkdir "$D"
kill_each "$D/d.tzs" 120 "0.03 0.06 0.1 0.15 0.3 0.6 1.0 2.0 6.0" \
	demo --store "$D/d.tzs" --households 120 --seed 5 --passphrase-file "$P" --kdf-cost min
echo "# demo: $cut_short kills before the end ($mid while building), $whole after"
check "some kills came while demo was building" test "$mid" -gt 0
check "no killed demo left a partial store at its name" test "$bad" -eq 0
run_tz 0 "demo after the kills" demo --store "$D/d.tzs" --households 120 --seed 5 --passphrase-file "$P" --kdf-cost min
run_tz 0 "it verifies" verify --store "$D/d.tzs" --passphrase-file "$P"
check "and it swept the killed runs' leftovers" test -z "$(ls -A "$D" | grep '^\.')"

# SIGTERM removes the temporary file too.
"$TZ_BIN" demo --store "$D/e.tzs" --households 400 --seed 5 --passphrase-file "$P" --kdf-cost min >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -TERM $pid 2>/dev/null
wait $pid 2>/dev/null
rc=$?
if [ $rc -ne 0 ]; then
	check "a terminated demo leaves no store" test ! -e "$D/e.tzs"
	check "and no temporary file" test -z "$(ls -A "$D" | grep '^\.e\.tzs\.tmp-')"
else
	ok "demo finished before SIGTERM (nothing to check)"
fi
run_tz 1 "init never overwrites a store" init --store "$D/d.tzs" --village 341522104201 --name 示范村 --passphrase-file "$P" --kdf-cost min
check "it says so" contains "$WORK/err" "已经存在"
run_tz 0 "init to a fresh name" init --store "$D/i.tzs" --village 341522104201 --name 示范村 --passphrase-file "$P" --kdf-cost min
check "no temporary file is left by a finished init or demo" test -z "$(ls -A "$D" | grep '^\.')"
check "the new store is private (0600)" test "$(stat -c %a "$D/i.tzs")" = 600

# restore, killed at any moment: nothing or the whole village.
T="$WORK/t.tzs"
run_tz 0 "a demo town" demo --town --store "$T" --households 60 --seed 2 --passphrase-file "$P" --kdf-cost min
village=$("$TZ_BIN" query --store "$T" --passphrase-file "$P" "SELECT code FROM villages ORDER BY code LIMIT 1" | tail -n 1)
expect=$("$TZ_BIN" query --store "$T" --passphrase-file "$P" "SELECT count(*) FROM households WHERE owner = '$village'" | tail -n 1)
echo "# village $village: $expect households"
mkdir "$WORK/snap"
run_tz 0 "the town's device keys" keys export "$WORK/t.key" --store "$T" --passphrase-file "$P"
run_tz 0 "the town writes a snapshot" snapshot export --village "$village" --to "$WORK/snap" --store "$T" --passphrase-file "$P"
sed -n 's/^恢复码：//p' "$WORK/out" >"$WORK/code"
snap=$(ls "$WORK/snap"/*.tzsnap)
R="$WORK/restore"
mkdir "$R"
kill_each "$R/n.tzs" "$expect" "0.03 0.06 0.1 0.2 0.4 0.8 1.5" \
	restore "$snap" --store "$R/n.tzs" --code-file "$WORK/code" --passphrase-file "$P" --kdf-cost min --yes
echo "# restore: $cut_short kills before the end ($mid while building)"
check "some kills came while restore was building" test "$mid" -gt 0
check "no killed restore left a partial store at its name" test "$bad" -eq 0
run_tz 0 "restore after the kills" restore "$snap" --store "$R/n.tzs" --code-file "$WORK/code" --passphrase-file "$P" --kdf-cost min --yes
check "restore swept the killed runs' leftovers" test -z "$(ls -A "$R" | grep '^\.')"
check "the restored village is whole" test "$(households_in "$R/n.tzs")" = "$expect"

# ---- query reads no key and no pointer ----
run_tz 0 "the store has device keys" keys export "$WORK/v.key" --store "$D/i.tzs" --passphrase-file "$P"
run_tz 3 "query refuses the device key table's secrets" query --store "$D/i.tzs" --passphrase-file "$P" "SELECT * FROM sync_device_keys"
check "it names the secret column, in Chinese" contains "$WORK/err" "sync_device_keys.sign_seed"
check "and says why" contains "$WORK/err" "密钥"
check "nothing was printed" test ! -s "$WORK/out"
run_tz 3 "query refuses box_sk through a subquery" query --store "$D/i.tzs" --passphrase-file "$P" "SELECT hex(k) FROM (SELECT box_sk AS k FROM sync_device_keys)"
run_tz 0 "the public key still reads" query --store "$D/i.tzs" --passphrase-file "$P" "SELECT device_id FROM sync_device_keys"
check "one device" test "$(wc -l <"$WORK/out")" -eq 2
run_tz 3 "query refuses fts3_tokenizer" query --store "$D/i.tzs" --passphrase-file "$P" "SELECT fts3_tokenizer('simple')"
check "it names the function" contains "$WORK/err" "fts3_tokenizer"
run_tz 3 "query refuses load_extension" query --store "$D/i.tzs" --passphrase-file "$P" "SELECT load_extension('/tmp/x.so')"
run_tz 3 "query refuses a writing PRAGMA" query --store "$D/i.tzs" --passphrase-file "$P" "PRAGMA writable_schema=ON"
run_tz 2 "query refuses ATTACH" query --store "$D/i.tzs" --passphrase-file "$P" "ATTACH '$WORK/x.db' AS x"
run_tz 0 "query reads the schema" query --store "$D/i.tzs" --passphrase-file "$P" "PRAGMA table_info(households)"
finish
