# test_keys.sh — device keys and trust from the command line: keys show and
# export, trust at a village, enroll and revoke at the town, usage errors for the
# wrong kind of store, and damaged key files refused with exit 4.
. "$(dirname "$0")/lib.sh"
V="$WORK/v.tzs"
T="$WORK/t.tzs"
P="$WORK/p"
printf 'keys passphrase\n' >"$P"

# flip FILE OFFSET: xor one byte of FILE with 1.
flip() {
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# value LABEL: the text after "LABEL：" on the first such line of $WORK/out.
value() { sed -n "s/^ *$1： *//p" "$WORK/out" | head -n 1; }

run_tz 0 "help lists the trust commands" --help
check "help names keys, trust, enroll, revoke" sh -c "grep -q '^  keys ' '$WORK/out' && grep -q '^  trust ' '$WORK/out' && grep -q '^  enroll ' '$WORK/out' && grep -q '^  revoke ' '$WORK/out'"
run_tz 0 "keys --help" keys --help
check "keys usage names export" contains "$WORK/out" "keys export"
run_tz 0 "enroll --help" enroll --help
check "enroll usage names --yes" contains "$WORK/out" "--yes"

run_tz 0 "init a village" init --store "$V" --village 341522104201 --name 示范村 --passphrase-file "$P" --kdf-cost min
run_tz 0 "init the town" init --store "$T" --town 341522104000 --name 城关镇 --passphrase-file "$P" --kdf-cost min

run_tz 0 "keys show at a village" keys show --store "$V" --passphrase-file "$P"
check "first show says keys were made" contains "$WORK/out" "已为本设备生成"
vid=$(value 设备号)
vfp=$(value 指纹)
check "device id is 16 hex digits" sh -c "echo '$vid' | grep -qx '[0-9a-f]\{16\}'"
check "fingerprint is 8 groups of 5 digits" sh -c "echo '$vfp' | grep -qx '[0-9]\{5\}\( [0-9]\{5\}\)\{7\}'"
check "no town trusted yet" contains "$WORK/out" "还没有信任镇扶贫办的公钥"
run_tz 0 "keys show again" keys show --store "$V" --passphrase-file "$P"
check "keys are made only once" sh -c "! grep -q '已为本设备生成' '$WORK/out'"
check "same fingerprint on the second show" test "$(value 指纹)" = "$vfp"

run_tz 2 "keys without a subcommand" keys --store "$V" --passphrase-file "$P"
run_tz 2 "keys with an unknown subcommand" keys frob --store "$V" --passphrase-file "$P"
run_tz 2 "keys export without a file" keys export --store "$V" --passphrase-file "$P"
run_tz 2 "keys show with an argument" keys show extra --store "$V" --passphrase-file "$P"
run_tz 2 "--qr with export" keys export "$WORK/x.key" --qr --store "$V" --passphrase-file "$P"

run_tz 0 "keys export at the village" keys export "$WORK/v.key" --store "$V" --passphrase-file "$P"
check "key file is 230 bytes" test "$(stat -c %s "$WORK/v.key")" -eq 230
check "key file starts with its name" sh -c "head -c 13 '$WORK/v.key' | grep -q '^taizhang-key $'"
check "no .part left behind" test ! -e "$WORK/v.key.part"
check "export shows the same fingerprint" test "$(value 指纹)" = "$vfp"
run_tz 1 "export refuses to overwrite a file" keys export "$WORK/v.key" --store "$V" --passphrase-file "$P"
# Operating-system errors are said in Chinese (os_error_text), never strerror's English.
run_tz 1 "export into a folder that is not there fails" keys export "$WORK/nowhere/x.key" \
	--store "$V" --passphrase-file "$P"
check "saying so in Chinese" contains "$WORK/err" "文件或文件夹不存在"
run_tz 1 "export below a file fails" keys export "$WORK/v.key/x.key" --store "$V" --passphrase-file "$P"
check "saying a part of the path is no folder" contains "$WORK/err" "路径中有一段不是文件夹"
check "and no English" sh -c "! grep -q -e 'No such' -e 'Not a directory' '$WORK/err'"
run_tz 1 "export refuses to overwrite the store itself" keys export "$V" --store "$V" --passphrase-file "$P"
run_tz 0 "the store still opens" status --store "$V" --passphrase-file "$P"

"$TZ_BIN" keys show --qr --store "$V" --passphrase-file "$P" >"$WORK/out" 2>"$WORK/err"
rc=$?
if grep -q '没有带二维码支持' "$WORK/err"; then
	ok "keys show --qr # SKIP built without libqrencode (TZ_HAVE_QRENCODE)"
else
	check "keys show --qr exits 0" test "$rc" -eq 0
	check "keys show --qr draws a QR code" sh -c "grep -q '█' '$WORK/out' && grep -q '▀' '$WORK/out'"
	check "the QR code is about 61 columns wide" sh -c "test \$(grep '█' '$WORK/out' | head -n 1 | wc -m) -le 80"
fi

run_tz 0 "keys export at the town" keys export "$WORK/t.key" --store "$T" --passphrase-file "$P"
tid=$(value 设备号)
tfp=$(value 指纹)

# Wrong kinds of store: usage errors, before any passphrase is asked.
run_tz 2 "trust at a town is a usage error" trust "$WORK/t.key" --yes --store "$T"
check "trust at a town says where it belongs" contains "$WORK/err" "只能在村的台账上使用"
run_tz 2 "enroll at a village is a usage error" enroll "$WORK/v.key" --yes --store "$V"
check "enroll at a village says where it belongs" contains "$WORK/err" "只能在镇扶贫办的台账上使用"
run_tz 2 "revoke at a village is a usage error" revoke "$vid" --store "$V"
run_tz 2 "enroll has no --replace" enroll "$WORK/v.key" --replace --store "$T" --passphrase-file "$P"
run_tz 2 "trust without a file" trust --store "$V" --passphrase-file "$P"

# Wrong kinds of key file.
run_tz 1 "a village refuses a village key as its town" trust "$WORK/v.key" --yes --store "$V" --passphrase-file "$P"
run_tz 1 "the town refuses its own kind of key" enroll "$WORK/t.key" --yes --store "$T" --passphrase-file "$P"
run_tz 1 "a missing key file" trust "$WORK/nothing.key" --yes --store "$V" --passphrase-file "$P"

# Damaged key files: exit 4, whatever byte was changed.
for off in 0 12 13 40 100 150 200 228; do
	cp "$WORK/t.key" "$WORK/bad.key"
	flip "$WORK/bad.key" "$off"
	run_tz 4 "trust refuses a key file with byte $off flipped" trust "$WORK/bad.key" --yes --store "$V" --passphrase-file "$P"
done
check "the refusal says the file was altered" contains "$WORK/err" "公钥文件"
head -c 200 "$WORK/v.key" >"$WORK/bad.key"
run_tz 4 "enroll refuses a truncated key file" enroll "$WORK/bad.key" --yes --store "$T" --passphrase-file "$P"
cp "$WORK/v.key" "$WORK/bad.key"
flip "$WORK/bad.key" 77
run_tz 4 "enroll refuses a key file with a flipped byte" enroll "$WORK/bad.key" --yes --store "$T" --passphrase-file "$P"
printf 'x' >>"$WORK/bad.key"
run_tz 4 "enroll refuses trailing bytes" enroll "$WORK/bad.key" --yes --store "$T" --passphrase-file "$P"
run_tz 4 "a store file is not a key file" enroll "$V" --yes --store "$T" --passphrase-file "$P"
run_tz 0 "nothing was enrolled by the refused files" keys show --store "$T" --passphrase-file "$P"
check "the town still has no village devices" contains "$WORK/out" "还没有登记村设备"

# Without --yes the fingerprint must be confirmed on a terminal; with none, refuse.
if command -v setsid >/dev/null 2>&1; then
	printf '#!/bin/sh\nexec setsid -w "%s" "$@" </dev/null\n' "$TZ_BIN" >"$WORK/notty"
	chmod +x "$WORK/notty"
	saved=$TZ_BIN
	TZ_BIN="$WORK/notty"
	run_tz 2 "enroll without --yes and without a terminal is refused" enroll "$WORK/v.key" --store "$T" --passphrase-file "$P"
	TZ_BIN=$saved
	check "it says how to confirm" contains "$WORK/err" "--yes"
	check "it showed the fingerprint first" contains "$WORK/out" "$vfp"
else
	ok "enroll without a terminal # SKIP no setsid"
fi

# once_then_again VERB KEY STORE FINGERPRINT DONE: VERB (trust or enroll) the
# key file KEY at STORE shows FINGERPRINT and says DONE; the same key a second
# time has nothing to do.
once_then_again() {
	run_tz 0 "$1 $2 at $3" "$1" "$2" --yes --store "$3" --passphrase-file "$P"
	check "$1 shows the other side's fingerprint" contains "$WORK/out" "$4"
	check "$1 says it is done" contains "$WORK/out" "$5"
	run_tz 0 "$1 the same key again" "$1" "$2" --yes --store "$3" --passphrase-file "$P"
	check "says there was nothing to do" contains "$WORK/out" "无需再做"
}

once_then_again trust "$WORK/t.key" "$V" "$tfp" "已信任镇扶贫办的公钥"
run_tz 0 "keys show at the village names the town" keys show --store "$V" --passphrase-file "$P"
check "the trusted town's device id is listed" contains "$WORK/out" "$tid"

once_then_again enroll "$WORK/v.key" "$T" "$vfp" "已登记村 341522104201 的设备 $vid"
run_tz 0 "keys show at the town lists the device" keys show --store "$T" --passphrase-file "$P"
check "listed as valid" sh -c "grep '$vid' '$WORK/out' | grep -q '有效'"

run_tz 2 "revoke with something that is not a device id" revoke 12345 --store "$T" --passphrase-file "$P"
run_tz 1 "revoke a device never enrolled" revoke 0123456789abcdef --store "$T" --passphrase-file "$P"
run_tz 0 "revoke the village device" revoke "$vid" --store "$T" --passphrase-file "$P"
check "revoke says so" contains "$WORK/out" "已吊销设备 $vid"
run_tz 0 "revoking twice is harmless" revoke "$vid" --store "$T" --passphrase-file "$P"
check "says it already was" contains "$WORK/out" "早已吊销"
run_tz 1 "a revoked device cannot be enrolled again" enroll "$WORK/v.key" --yes --store "$T" --passphrase-file "$P"
check "the refusal names the revocation" contains "$WORK/err" "吊销"
run_tz 0 "keys show at the town" keys show --store "$T" --passphrase-file "$P"
check "listed as revoked" sh -c "grep '$vid' '$WORK/out' | grep -q '已吊销'"

run_tz 0 "the audit log records it all" query --store "$T" --passphrase-file "$P" "SELECT action FROM audit_log WHERE action LIKE 'sync.%' ORDER BY seq"
check "keys, enroll, revoke in order" sh -c "printf 'action\nsync.keys.create\nsync.enroll\nsync.revoke\n' | cmp -s - '$WORK/out'"
run_tz 0 "the village store verifies" verify --store "$V" --passphrase-file "$P"
run_tz 0 "the town store verifies" verify --store "$T" --passphrase-file "$P"
finish
