# test_recover.sh — the recovery slot from the command line: a village that trusts
# its town (trust, or init --town-key) gets the slot; the town's store reopens the
# village with `taizhang recover` and gives a new officer a passphrase, changing
# nothing else; another town's store, a store without a slot and the wrong kinds
# of store are refused before anything changes; trust --replace moves the slot to
# the new town key and locks the old one out.
. "$(dirname "$0")/lib.sh"
export TAIZHANG_TODAY=2019-04-20
V="$WORK/v.tzs"   # the demo village, trusting the town
N="$WORK/n.tzs"   # a village that never trusted any town
I="$WORK/i.tzs"   # a village made with init --town-key
T="$WORK/t.tzs"   # the town office
T2="$WORK/t2.tzs" # the town office's new computer (same town, another key)
printf 'village passphrase\n' >"$WORK/pv"
printf 'town passphrase\n' >"$WORK/pt"
printf 'new officer passphrase\n' >"$WORK/pn"
printf 'another new passphrase\n' >"$WORK/pn2"
# value LABEL: the text after "LABEL：" on the first such line of $WORK/out.
value() { sed -n "s/^ *$1： *//p" "$WORK/out" | head -n 1; }
# households STORE USER PASSFILE: the households' ids and statuses, as CSV.
households() {
	"$TZ_BIN" query --store "$1" --user "$2" --passphrase-file "$3" \
		"SELECT id, status FROM households ORDER BY id"
}

run_tz 0 "help lists recover" --help
check "help names recover" sh -c "grep -q '^  recover ' '$WORK/out'"
run_tz 0 "recover --help" recover --help
check "recover usage names --town-store" contains "$WORK/out" "--town-store"
check "recover usage names --new-passphrase-file" contains "$WORK/out" "--new-passphrase-file"

run_tz 0 "a demo village" demo --store "$V" --households 5 --seed 3 --passphrase-file "$WORK/pv" --kdf-cost min
run_tz 0 "a village that trusts nobody" init --store "$N" --village 341522104202 --name 二村 --passphrase-file "$WORK/pv" --kdf-cost min
run_tz 0 "the town" init --store "$T" --town 341522104000 --name 城关镇 --passphrase-file "$WORK/pt" --kdf-cost min
run_tz 0 "the town's new computer" init --store "$T2" --town 341522104000 --name 城关镇 --passphrase-file "$WORK/pt" --kdf-cost min
run_tz 0 "export the town key" keys export "$WORK/t.key" --store "$T" --passphrase-file "$WORK/pt"
tfp=$(value 指纹)
run_tz 0 "export the new town key" keys export "$WORK/t2.key" --store "$T2" --passphrase-file "$WORK/pt"
run_tz 0 "export a village key" keys export "$WORK/n.key" --store "$N" --passphrase-file "$WORK/pv"

# No slot before trust; trust writes it and says so.
run_tz 0 "user list before trust" user list --store "$V" --passphrase-file "$WORK/pv"
check "no recovery slot before trust" sh -c "! grep -q '镇恢复槽' '$WORK/out'"
run_tz 0 "the village trusts the town" trust "$WORK/t.key" --yes --store "$V" --passphrase-file "$WORK/pv"
check "trust says the recovery slot was written" contains "$WORK/out" "镇恢复槽"
run_tz 0 "user list after trust" user list --store "$V" --passphrase-file "$WORK/pv"
check "the users are listed as before" sh -c "grep -qx '管理员' '$WORK/out'"
check "the recovery slot is listed last, with the town's code" sh -c "tail -n 1 '$WORK/out' | grep -qx '(镇恢复槽，封给镇 341522104000 的公钥)'"
check "exactly one recovery slot" test "$(grep -c '镇恢复槽' "$WORK/out")" -eq 1
run_tz 3 "the recovery slot is not a user" status --store "$V" --user '(镇恢复槽，封给镇' --passphrase-file "$WORK/pv"
households "$V" 管理员 "$WORK/pv" >"$WORK/before.csv"
check "the demo village has households" test "$(wc -l <"$WORK/before.csv")" -gt 5

# Usage errors: found from the keyrings, before any passphrase.
run_tz 2 "recover without --town-store" recover --store "$V"
run_tz 2 "recover without --store" recover --town-store "$T"
run_tz 2 "recover with the stores swapped" recover --store "$T" --town-store "$V"
check "it says which should be which" contains "$WORK/err" "--store 应当是村的台账"
run_tz 2 "recover into a bad user name" recover --store "$V" --town-store "$T" --user 'a b'
run_tz 1 "recover a missing file" recover --store "$WORK/nothing.tzs" --town-store "$T"

# A village without a recovery slot: exit 3, nothing asked, nothing changed.
cp "$N" "$WORK/n.orig"
run_tz 3 "a store without a recovery slot" recover --store "$N" --town-store "$T" --passphrase-file "$WORK/pt" --new-passphrase-file "$WORK/pn" --kdf-cost min
check "it says the store has no recovery slot" contains "$WORK/err" "没有镇恢复槽"
check "that village is unchanged" cmp -s "$N" "$WORK/n.orig"

# Another town's store (same town code, another key): exit 3, village untouched.
cp "$V" "$WORK/v.orig"
run_tz 3 "another town store is refused" recover --store "$V" --town-store "$T2" --passphrase-file "$WORK/pt" --new-passphrase-file "$WORK/pn" --kdf-cost min
check "it says the slot is sealed to another key" contains "$WORK/err" "不是封给这个镇台账"
check "the village store is byte for byte unchanged" cmp -s "$V" "$WORK/v.orig"
printf 'wrong passphrase\n' >"$WORK/bad"
run_tz 3 "the town's passphrase must be right" recover --store "$V" --town-store "$T" --passphrase-file "$WORK/bad" --new-passphrase-file "$WORK/pn" --kdf-cost min
check "the village store is still unchanged" cmp -s "$V" "$WORK/v.orig"
printf 'short\n' >"$WORK/short"
run_tz 1 "a too short new passphrase is refused" recover --store "$V" --town-store "$T" --passphrase-file "$WORK/pt" --new-passphrase-file "$WORK/short" --kdf-cost min
check "and the village is not changed" cmp -s "$V" "$WORK/v.orig"

# The right town: a new user, who sees the data; the old officer is untouched.
run_tz 0 "the town recovers the village" recover --store "$V" --town-store "$T" --passphrase-file "$WORK/pt" --new-passphrase-file "$WORK/pn" --kdf-cost min
check "it names the new user" contains "$WORK/out" "已增加用户“镇恢复”"
run_tz 0 "the new user opens the village" user list --store "$V" --user 镇恢复 --passphrase-file "$WORK/pn"
check "both users are listed" sh -c "grep -qx '管理员' '$WORK/out' && grep -qx '镇恢复' '$WORK/out'"
check "the recovery slot stays" contains "$WORK/out" "(镇恢复槽，封给镇 341522104000 的公钥)"
households "$V" 镇恢复 "$WORK/pn" >"$WORK/after.csv"
check "the new user sees the same households" cmp -s "$WORK/before.csv" "$WORK/after.csv"
run_tz 0 "the old officer's passphrase still works" status --store "$V" --user 管理员 --passphrase-file "$WORK/pv"
run_tz 0 "the village's audit log" query --store "$V" --user 镇恢复 --passphrase-file "$WORK/pn" "SELECT user, action, subject FROM audit_log WHERE action = 'store.recover'"
check "records the recovery, by the recovery slot" sh -c "tail -n 1 '$WORK/out' | grep -qx '镇扶贫办 恢复槽,store.recover,镇恢复'"
run_tz 0 "the town's audit log" query --store "$T" --passphrase-file "$WORK/pt" "SELECT action, subject, detail FROM audit_log WHERE action = 'sync.recover'"
check "records which village it opened" sh -c "tail -n 1 '$WORK/out' | grep -qx 'sync.recover,341522104201,added user 镇恢复'"

# A named user that exists gets a new passphrase (stdin carries both).
printf 'town passphrase\nanother new passphrase\n' |
	"$TZ_BIN" recover --store "$V" --town-store "$T" --user 管理员 --passphrase-file - --new-passphrase-file - --kdf-cost min >"$WORK/out" 2>"$WORK/err"
check "recover --user resets an existing user's passphrase" test $? -eq 0
check "it says it reset it" contains "$WORK/out" "已重设用户“管理员”的口令"
run_tz 3 "the old passphrase no longer opens it" status --store "$V" --user 管理员 --passphrase-file "$WORK/pv"
run_tz 0 "the new one does" status --store "$V" --user 管理员 --passphrase-file "$WORK/pn2"
run_tz 0 "the village store verifies" verify --store "$V" --passphrase-file "$WORK/pn2"

# trust --replace reseals to the new town key: the old town is locked out.
run_tz 0 "trust --replace with the new town key" trust "$WORK/t2.key" --yes --replace --store "$V" --passphrase-file "$WORK/pn2"
check "it says the slot moved to the new key" contains "$WORK/out" "原来的镇公钥不能再恢复本台账"
run_tz 0 "user list after replace" user list --store "$V" --passphrase-file "$WORK/pn2"
check "still exactly one recovery slot" test "$(grep -c '镇恢复槽' "$WORK/out")" -eq 1
cp "$V" "$WORK/v.orig"
run_tz 3 "the old town can no longer recover" recover --store "$V" --town-store "$T" --user 新人 --passphrase-file "$WORK/pt" --new-passphrase-file "$WORK/pn" --kdf-cost min
check "the village is unchanged by the refusal" cmp -s "$V" "$WORK/v.orig"
run_tz 0 "the new town can" recover --store "$V" --town-store "$T2" --user 新人 --passphrase-file "$WORK/pt" --new-passphrase-file "$WORK/pn" --kdf-cost min
run_tz 0 "its new user opens the village" status --store "$V" --user 新人 --passphrase-file "$WORK/pn"

# init --town-key: refused before any file is made unless everything fits.
run_tz 2 "--town-key is for villages only" init --store "$I" --town 341522104000 --name 镇 --town-key "$WORK/t.key" --yes --passphrase-file "$WORK/pv" --kdf-cost min
run_tz 1 "a village key is not a town key" init --store "$I" --village 341522104203 --name 三村 --town-key "$WORK/n.key" --yes --passphrase-file "$WORK/pv" --kdf-cost min
check "no store was made" test ! -e "$I"
run_tz 1 "a town of another township" init --store "$I" --village 341522105203 --name 外村 --town-key "$WORK/t.key" --yes --passphrase-file "$WORK/pv" --kdf-cost min
check "no store was made for it" test ! -e "$I"
head -c 100 "$WORK/t.key" >"$WORK/bad.key"
run_tz 4 "a damaged key file" init --store "$I" --village 341522104203 --name 三村 --town-key "$WORK/bad.key" --yes --passphrase-file "$WORK/pv" --kdf-cost min
check "no store was made for a damaged key" test ! -e "$I"
if command -v setsid >/dev/null 2>&1; then
	printf '#!/bin/sh\nexec setsid -w "%s" "$@" </dev/null\n' "$TZ_BIN" >"$WORK/notty"
	chmod +x "$WORK/notty"
	saved=$TZ_BIN
	TZ_BIN="$WORK/notty"
	run_tz 2 "init --town-key without --yes and without a terminal" init --store "$I" --village 341522104203 --name 三村 --town-key "$WORK/t.key" --passphrase-file "$WORK/pv" --kdf-cost min
	TZ_BIN=$saved
	check "it showed the fingerprint first" contains "$WORK/out" "$tfp"
	check "nothing was made without confirmation" test ! -e "$I"
else
	ok "init --town-key without a terminal # SKIP no setsid"
fi
run_tz 0 "init --town-key" init --store "$I" --village 341522104203 --name 三村 --town-key "$WORK/t.key" --yes --passphrase-file "$WORK/pv" --kdf-cost min
check "it shows the town's fingerprint" contains "$WORK/out" "$tfp"
check "it says the town is trusted" contains "$WORK/out" "已信任镇扶贫办的公钥"
run_tz 0 "keys show names the trusted town" keys show --store "$I" --passphrase-file "$WORK/pv"
check "the town's fingerprint is listed" contains "$WORK/out" "$tfp"
run_tz 0 "trusting the same file again" trust "$WORK/t.key" --yes --store "$I" --passphrase-file "$WORK/pv"
check "there is nothing to do" contains "$WORK/out" "无需再做"
run_tz 0 "the town recovers a village made with --town-key" recover --store "$I" --town-store "$T" --passphrase-file "$WORK/pt" --new-passphrase-file "$WORK/pn" --kdf-cost min
run_tz 0 "and its new user opens it" verify --store "$I" --user 镇恢复 --passphrase-file "$WORK/pn"
finish
