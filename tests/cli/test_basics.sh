# test_basics.sh — the command line as documented: init, users, query, help,
# usage errors and exit codes.
. "$(dirname "$0")/lib.sh"
S="$WORK/v.tzs"
printf 'first passphrase\n' >"$WORK/p1"
printf 'second passphrase\n' >"$WORK/p2"
printf 'third passphrase\n' >"$WORK/p3"
printf 'short\n' >"$WORK/short"

run_tz 0 "--help" --help
check "help lists the commands" contains "$WORK/out" "verify"
run_tz 0 "--version" --version
check "version printed" contains "$WORK/out" "taizhang 0."
run_tz 0 "init --help" init --help
check "init usage names --village" contains "$WORK/out" "--village"
run_tz 2 "unknown command is a usage error" frobnicate
check "usage error says so in Chinese" contains "$WORK/err" "没有“frobnicate”这个命令"
run_tz 2 "unknown option is a usage error" init --bogus
run_tz 2 "missing option argument is a usage error" init --store
run_tz 2 "init without a code" init --store "$S" --name 示范村 --passphrase-file "$WORK/p1"
run_tz 2 "init with a bad code" init --store "$S" --village 12345 --name 示范村 --passphrase-file "$WORK/p1" --kdf-cost min
check "bad code names the field" contains "$WORK/err" "12 位"
run_tz 2 "bad --kdf-cost" init --store "$S" --village 341522104201 --name 示范村 --kdf-cost fast
run_tz 1 "too short a passphrase" init --store "$S" --village 341522104201 --name 示范村 --passphrase-file "$WORK/short" --kdf-cost min
check "no file left after a refused init" test ! -e "$S"

run_tz 0 "init a village store" init --store "$S" --village 341522104201 --name 示范村 --user 王芳 --passphrase-file "$WORK/p1" --kdf-cost min
run_tz 1 "init refuses an existing file" init --store "$S" --village 341522104201 --name 示范村 --passphrase-file "$WORK/p1" --kdf-cost min

# The page cipher: --portable (and TAIZHANG_PAGE_CIPHER) for XChaCha20-Poly1305,
# recorded in the keyring's byte 45 as 0, as in every store made before.
run_tz 0 "init --portable" init --store "$WORK/portable.tzs" --village 341522104201 --name 示范村 --passphrase-file "$WORK/p1" --kdf-cost min --portable
check "init --portable names XChaCha20-Poly1305" contains "$WORK/out" "XChaCha20-Poly1305"
check "the keyring records it as 0" test "$(od -An -tu1 -j45 -N1 "$WORK/portable.tzs" | tr -d ' ')" = 0
run_tz 0 "the portable store opens" status --store "$WORK/portable.tzs" --passphrase-file "$WORK/p1"
TAIZHANG_PAGE_CIPHER=rot13 run_tz 2 "an unknown TAIZHANG_PAGE_CIPHER is a usage error" init --store "$WORK/x.tzs" --village 341522104201 --name 示范村 --passphrase-file "$WORK/p1" --kdf-cost min
check "it names the variable" contains "$WORK/err" "TAIZHANG_PAGE_CIPHER"
check "and leaves no file" test ! -e "$WORK/x.tzs"

run_tz 3 "wrong passphrase exits 3" status --store "$S" --passphrase-file "$WORK/p2"
check "wrong passphrase message" contains "$WORK/err" "口令不正确"
run_tz 3 "unknown user exits 3" status --store "$S" --user nobody --passphrase-file "$WORK/p1"
TAIZHANG_STORE="$S" run_tz 0 "TAIZHANG_STORE names the store" status --passphrase-file "$WORK/p1"
check "status names the village" contains "$WORK/out" "示范村"
run_tz 2 "no store named" status --passphrase-file "$WORK/p1"

run_tz 0 "user add" user add 李明 --store "$S" --passphrase-file "$WORK/p1" --new-passphrase-file "$WORK/p2" --kdf-cost min
run_tz 1 "user add twice" user add 李明 --store "$S" --passphrase-file "$WORK/p1" --new-passphrase-file "$WORK/p2" --kdf-cost min
run_tz 0 "the new user opens the store" user list --store "$S" --user 李明 --passphrase-file "$WORK/p2"
check "user list shows both" sh -c "grep -qx 王芳 '$WORK/out' && grep -qx 李明 '$WORK/out'"
run_tz 0 "passwd of another user" user passwd 李明 --store "$S" --passphrase-file "$WORK/p1" --new-passphrase-file "$WORK/p3" --kdf-cost min
run_tz 3 "old passphrase no longer opens" status --store "$S" --user 李明 --passphrase-file "$WORK/p2"
run_tz 0 "new passphrase opens" status --store "$S" --user 李明 --passphrase-file "$WORK/p3"
run_tz 0 "first user unaffected by passwd" status --store "$S" --passphrase-file "$WORK/p1"
printf 'first passphrase\nstdin new passphrase\n' | run_tz 0 "passphrases from stdin, one a line" user add zhao --store "$S" --passphrase-file - --new-passphrase-file - --kdf-cost min
printf 'stdin new passphrase\n' | run_tz 0 "stdin passphrase opens" status --store "$S" --user zhao --passphrase-file -
run_tz 0 "remove a user" user remove zhao --store "$S" --passphrase-file "$WORK/p1"
run_tz 0 "remove another" user remove 李明 --store "$S" --passphrase-file "$WORK/p1"
run_tz 1 "the last user cannot be removed" user remove 王芳 --store "$S" --passphrase-file "$WORK/p1"
check "last-user message" contains "$WORK/err" "最后一个用户"
run_tz 2 "user with no subcommand" user --store "$S" --passphrase-file "$WORK/p1"

run_tz 0 "query prints CSV with a header" query --store "$S" --passphrase-file "$WORK/p1" "SELECT key, value FROM store_meta WHERE key IN ('name','code') ORDER BY key"
check "CSV header and rows" sh -c "printf 'key,value\ncode,341522104201\nname,示范村\n' | cmp -s - '$WORK/out'"
run_tz 0 "CSV quoting" query --store "$S" --passphrase-file "$WORK/p1" "SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z"
check "quoted fields" sh -c "printf 'x,y,z\n\"a,b\",\"say \"\"hi\"\"\",\n' | cmp -s - '$WORK/out'"
run_tz 2 "query refuses writes" query --store "$S" --passphrase-file "$WORK/p1" "DELETE FROM store_meta"
run_tz 2 "query refuses two statements" query --store "$S" --passphrase-file "$WORK/p1" "SELECT 1; SELECT 2"
run_tz 2 "query reports SQL errors as usage" query --store "$S" --passphrase-file "$WORK/p1" "SELEC 1"
# store_meta: kind, code, name, created_at, keyring_generation
run_tz 0 "data intact after refused writes" query --store "$S" --passphrase-file "$WORK/p1" "SELECT count(*) AS n FROM store_meta"
check "store_meta still has its rows" sh -c "printf 'n\n5\n' | cmp -s - '$WORK/out'"
run_tz 0 "verify a fresh store" verify --store "$S" --passphrase-file "$WORK/p1"
check "verify says OK" contains "$WORK/out" "OK"

T="$WORK/t.tzs"
run_tz 0 "init a town store" init --store "$T" --town 341522104000 --name 城关镇 --passphrase-file "$WORK/p1" --kdf-cost min
run_tz 0 "town status" status --store "$T" --passphrase-file "$WORK/p1"
check "town store says so" contains "$WORK/out" "镇扶贫办"
finish
