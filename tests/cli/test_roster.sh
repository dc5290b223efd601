# test_roster.sh — 低保 rosters as counties send them (issue 14), as an officer
# runs `taizhang roster import dibao` and `taizhang compare dibao`: a
# household-level roster in GB18030 (made here with iconv from the UTF-8 text
# below) with a title row, CRLF, a 合计 row and signatures; a newer roster
# refused until --replace, its difference shown first; headers that differ,
# refused with the headers found and then mapped with --column; a county roster
# at a demo town, split by village code and name, each village compared with
# its own roster.
. "$(dirname "$0")/lib.sh"
export TAIZHANG_TODAY=2019-04-20
P="$WORK/p"
printf 'roster passphrase\n' >"$P"
V="$WORK/v.tzs"
T="$WORK/t.tzs"
qv() { "$TZ_BIN" query --store "$V" --passphrase-file "$P" "$1" | tail -n 1 | tr -d '"'; }
qt() { "$TZ_BIN" query --store "$T" --passphrase-file "$P" "$1" | tail -n 1 | tr -d '"'; }

run_tz 0 "a demo village" demo --store "$V" --households 12 --seed 3 --kdf-cost min --passphrase-file "$P"
# Two registered heads; one person nobody registered.
H1=$(qv "SELECT m.name || ',' || m.idcard FROM members m WHERE m.relation = 'head' ORDER BY m.idcard LIMIT 1")
H2=$(qv "SELECT m.name || ',' || m.idcard FROM members m WHERE m.relation = 'head' ORDER BY m.idcard LIMIT 1 OFFSET 1")
OUT=341522196606060617   # not registered; check digit right

# ---- a household-level roster, GB18030, title row, CRLF ----
printf 'XX县2019年4月农村低保花名册,,,,,\r\n,,,,,\r\n序号,户主姓名,户主身份证号,家庭人口,保障人数,月保障金额\r\n1,%s,3,2,600\r\n2,%s,4,4,1200\r\n3,外来户,%s,1,1,300\r\n,,,,,\r\n合计,,,8,7,2100\r\n制表人：李会计,,,,,\r\n' \
	"$H1" "$H2" "$OUT" >"$WORK/county-utf8.csv"
iconv -f UTF-8 -t GB18030 "$WORK/county-utf8.csv" >"$WORK/county.csv"
check "the fixture really is GB18030" sh -c "! iconv -f UTF-8 -t UTF-8 '$WORK/county.csv' >/dev/null 2>&1"
run_tz 1 "a roster replacing the demo's is refused without --replace" roster import dibao "$WORK/county.csv" --store "$V" --passphrase-file "$P"
check "the difference is shown first" contains "$WORK/out" "户数"
check "with the households added" contains "$WORK/out" "新增：外来户（$OUT）1 人，月保障金 300.00 元"
check "it asks for --replace" contains "$WORK/err" "确认用新名册替换请加 --replace"
check "nothing replaced" test "$(qv "SELECT count(*) FROM roster_imports")" = 1
run_tz 0 "with --replace it imports" roster import dibao "$WORK/county.csv" --replace --store "$V" --passphrase-file "$P"
check "households and 保障人数 as the roster has them" contains "$WORK/out" "已导入低保名册：3 户 7 人（文件编码 GB18030）"
check "its layout and month" contains "$WORK/out" "名册格式：每户一行；名册月份：2019-04。"
check "the 合计 and signature rows skipped" contains "$WORK/out" "表尾的合计、说明等 2 行已跳过。"
check "stored with its layout and month" test "$(qv "SELECT layout || '/' || month FROM roster_imports ORDER BY rowid DESC LIMIT 1")" = "household/2019-04"
run_tz 0 "compare dibao" compare dibao --store "$V" --passphrase-file "$P"
check "the roster's households" contains "$WORK/out" "低保户 3 户：有成员已建档立卡 2 户，没有 1 户。"
check "the roster's persons" contains "$WORK/out" "低保名册保障人数 7 人。"
check "the one not registered" sh -c "sed -n '/二、/,/三、/p' '$WORK/out' | grep -q '外来户.*$OUT *1\$'"
ledger=$(qv "SELECT count(DISTINCT household_id) FROM social_security WHERE kind = 'dibao' AND start_on <= '2019-04-20' AND (end_on IS NULL OR end_on >= '2019-04-20')")
check "the ledger's 低保 households counted ($ledger)" contains "$WORK/out" "台账登记享受低保 $ledger 户"
run_tz 0 "the same roster again, with --replace" roster import dibao "$WORK/county.csv" --replace --store "$V" --passphrase-file "$P"
check "no change" contains "$WORK/out" "新增 0 户，减少 0 户，变化 0 户"

# ---- headers that differ ----
printf '低保名单\n编号,户名,证件,保障人数\n1,%s,2\n' "$H1" >"$WORK/odd.csv"
run_tz 1 "headers it does not know are refused" roster import dibao "$WORK/odd.csv" --replace --store "$V" --passphrase-file "$P"
check "it says which columns are missing" contains "$WORK/err" "找不到表头：表格缺少必需的列 户主姓名、户主身份证号"
check "it lists the headers found" contains "$WORK/err" "“编号”、“户名”、“证件”、“保障人数”"
check "and how to map them" contains "$WORK/err" "--column 户主姓名=表里的列名"
run_tz 2 "a mapping not of the form 列=表头" roster import dibao "$WORK/odd.csv" --column 户名 --store "$V" --passphrase-file "$P"
run_tz 2 "a mapping to a column there is not" roster import dibao "$WORK/odd.csv" --column 户号=户名 --store "$V" --passphrase-file "$P"
check "it lists the columns" contains "$WORK/err" "没有“户号”这一列"
run_tz 0 "mapped, it imports" roster import dibao "$WORK/odd.csv" --column 户主姓名=户名 --column "户主身份证号=证件" --replace --store "$V" --passphrase-file "$P"
check "one household of 2" contains "$WORK/out" "已导入低保名册：1 户 2 人"

# ---- a county roster at a demo town ----
run_tz 0 "a demo town" demo --store "$T" --town --villages 3 --households 10 --seed 5 --kdf-cost min --passphrase-file "$P"
run_tz 0 "compare at the town" compare dibao --store "$T" --passphrase-file "$P"
check "every village with its own roster" test "$(grep -c '霍邱县农村低保对象名册' "$WORK/out")" -eq 3
check "the town's households are all compared" contains "$WORK/out" "建档立卡户 30 户"
own=$(qt "SELECT count(DISTINCT upper(head_idcard)) FROM dibao_roster")
check "the town's 低保 households are the villages' rosters' ($own)" contains "$WORK/out" "低保户 $own 户"
V2=$(qt "SELECT code FROM villages WHERE name = '李庄村'")
W2=$(qt "SELECT m.name || ',' || m.idcard FROM members m JOIN households h ON h.id = m.household_id WHERE h.village_code = '$V2' AND m.relation = 'head' ORDER BY m.idcard LIMIT 1")
W3=$(qt "SELECT m.name || ',' || m.idcard FROM members m JOIN households h ON h.id = m.household_id JOIN villages v ON v.code = h.village_code WHERE v.name = '王岗村' AND m.relation = 'head' ORDER BY m.idcard LIMIT 1")
printf '县2019年5月农村低保花名册\n户主姓名,户主身份证号,保障人数,村代码,村（居）\n%s,2,%s,\n%s,3,,王岗\n外镇人,%s,1,341522105201,外村\n' \
	"$W2" "$V2" "$W3" "$OUT" >"$WORK/town.csv"
run_tz 0 "the town imports the county's roster" roster import dibao "$WORK/town.csv" --store "$T" --passphrase-file "$P"
check "one household is another town's" contains "$WORK/out" "有 1 户的所在村（村代码）不是本台账的村"
check "rows assigned by code and by name, the other town's set aside" test "$(qt "SELECT group_concat(coalesce(nullif(roster_village, ''), '-'), ' ') FROM (SELECT roster_village FROM dibao_roster d JOIN roster_imports r ON r.id = d.import_id WHERE r.owner = '341522104000' ORDER BY line)")" = "$V2 $(qt "SELECT code FROM villages WHERE name = '王岗村'") -"
run_tz 0 "compare at the town again" compare dibao --store "$T" --passphrase-file "$P"
check "李庄村 is compared with its rows of the county roster" sh -c "grep '^  李庄村' '$WORK/out' | grep -q '县名册：town.csv  *10  *1  *2 '"
check "王岗村 too" sh -c "grep '^  王岗村' '$WORK/out' | grep -q '县名册：town.csv  *10  *1  *3 '"
check "示范村 keeps its own" sh -c "grep '^  示范村' '$WORK/out' | grep -q '霍邱县农村低保对象名册'"
check "the household of no village is counted" contains "$WORK/out" "有 1 户没有分到本镇的村"
finish
