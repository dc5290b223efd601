# test_record.sh — `taizhang record`: entering, changing and showing any ledger
# row from the command line, through the model's one rule set.
. "$(dirname "$0")/lib.sh"
S="$WORK/v.tzs"
P="$WORK/p"
export TAIZHANG_TODAY=2019-04-20
printf 'record passphrase\n' >"$P"
run_tz 0 "demo store" demo --store "$S" --households 10 --seed 2 --passphrase-file "$P" --kdf-cost min
run_tz 0 "record tables" record tables
check "tables listed with Chinese names" contains "$WORK/out" "走访记录"
run_tz 0 "record fields" record fields schooling --store "$S" --passphrase-file "$P"
check "code list values shown" contains "$WORK/out" "辍学（dropped_out）"
run_tz 2 "unknown table" record fields nosuch --store "$S" --passphrase-file "$P"
"$TZ_BIN" query --store "$S" --passphrase-file "$P" "SELECT id FROM villager_groups LIMIT 1" | tail -n 1 >"$WORK/group"
G=$(cat "$WORK/group")
run_tz 0 "add a household by Chinese field names" record add households --store "$S" --passphrase-file "$P" \
	村民小组="$G" 户状态=帮扶中 年人均纯收入=3,456.7 识别日期=2018年3月5日
H=$(sed -n 's/^已保存建档立卡户 \([0-9a-f]*\)。$/\1/p' "$WORK/out")
check "the new id is printed" test ${#H} -eq 32
run_tz 0 "money stored in 分" query --store "$S" --passphrase-file "$P" "SELECT income_cents, identified_on FROM households WHERE id = '$H'"
check "3456.70 元 and the date normalised" sh -c "tail -n 1 '$WORK/out' | grep -qx '345670,2018-03-05'"
run_tz 0 "add its head" record add members --store "$S" --passphrase-file "$P" \
	household_id="$H" 姓名=王秀英 身份证号=11010519491231002x 与户主关系=户主
run_tz 1 "an ID number already registered is refused" record add members --store "$S" --passphrase-file "$P" \
	household_id="$H" 姓名=王秀英 身份证号=11010519491231002X 与户主关系=配偶
check "the message names the field" contains "$WORK/err" "身份证号 11010519491231002X 已登记"
run_tz 1 "a bad check digit is refused" record add members --store "$S" --passphrase-file "$P" \
	household_id="$H" 姓名=王小二 身份证号=110105194912310021 与户主关系=子女
check "the message says what to check" contains "$WORK/err" "校验码"
run_tz 1 "exited without an exit date is refused" record edit households "$H" --store "$S" --passphrase-file "$P" 户状态=已脱贫
check "asks for the exit date" contains "$WORK/err" "请填写脱贫日期"
run_tz 0 "exit with a date" record edit households "$H" --store "$S" --passphrase-file "$P" 户状态=已脱贫 脱贫日期=2019-01-10
run_tz 0 "status history kept" query --store "$S" --passphrase-file "$P" \
	"SELECT status FROM household_status_history WHERE household_id = '$H' ORDER BY on_date"
check "helped, then exited" sh -c "printf 'status\nhelped\nexited\n' | cmp -s - '$WORK/out'"
run_tz 0 "show the row" record show households "$H" --store "$S" --passphrase-file "$P"
check "show prints labels and values" sh -c "grep -q '年人均纯收入 *3456.70' '$WORK/out'"
check "show prints a code as its label" sh -c "grep -q '户状态 *已脱贫' '$WORK/out' && ! grep -q 'exited' '$WORK/out'"
run_tz 2 "unknown field" record add households --store "$S" --passphrase-file "$P" 颜色=红
run_tz 2 "malformed pair" record add households --store "$S" --passphrase-file "$P" 户状态
run_tz 1 "editing a missing row" record edit households 0123456789abcdef0123456789abcdef --store "$S" --passphrase-file "$P" 住址=x
finish
