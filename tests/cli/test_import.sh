# test_import.sh — `taizhang import households`, `taizhang roster import dibao`
# and `taizhang compare dibao` as an officer runs them: files in UTF-8, UTF-8
# with BOM and GB18030 (made here with iconv), CRLF, quoted fields; refused
# files print every bad row with its line and change nothing; usage errors
# exit 2, refusals 1.
. "$(dirname "$0")/lib.sh"
S="$WORK/v.tzs"
P="$WORK/p"
printf 'import passphrase\n' >"$P"

# idc DIGITS17: the 18-character ID number with its check character (GB 11643).
idc() {
	echo "$1" | awk '{
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		s = 0; for (i = 1; i <= 17; i++) s += substr($0, i, 1) * w[i]
		printf "%s%s\n", $0, substr("10X98765432", s % 11 + 1, 1) }'
}
H1=$(idc 34152219600101001)   # 张大山, head of 0001
S1=$(idc 34152219620202002)   # 李秀英, his wife
C1=$(idc 34152219900303003)   # 张小军, their son (heads his own 低保 household)
H2=$(idc 34152219550505005)   # 李老四, head of 0002 (not on 低保)
H3=$(idc 34152219660606007)   # 周七, head of 0003 (GB18030 file)
D1=$(idc 34152219700707007)   # 王五, on 低保 only
D2=$(idc 34152219720808008)   # 赵六, his wife
# A full-width copy of H3's number, as Excel leaves them.
H3W=$(printf '%s' "$H3" | sed 's/0/０/g; s/1/１/g; s/2/２/g; s/3/３/g; s/4/４/g; s/5/５/g; s/6/６/g; s/7/７/g; s/8/８/g; s/9/９/g; s/X/Ｘ/g')

# tz EXPECTED_EXIT WHAT ARGS...: run_tz on the store.
tz() {
	tz_want=$1; tz_what=$2; shift 2
	run_tz "$tz_want" "$tz_what" "$@" --store "$S" --passphrase-file "$P"
}
counts() {
	"$TZ_BIN" query --store "$S" --passphrase-file "$P" "SELECT (SELECT count(*) FROM villager_groups)
		|| '/' || (SELECT count(*) FROM households) || '/' || (SELECT count(*) FROM members)
		|| '/' || (SELECT count(*) FROM dibao_roster) || '/' || (SELECT count(*) FROM roster_imports)
		|| '/' || (SELECT count(*) FROM audit_log) AS n" | tail -n 1
}

run_tz 0 "init" init --store "$S" --village 341522104201 --name 示范村 --passphrase-file "$P" --kdf-cost min

# ---- usage ----
run_tz 0 "import --help" import --help
check "import usage lists the columns" contains "$WORK/out" "与户主关系"
check "import usage names the household number" contains "$WORK/out" "户编号"
run_tz 2 "import without a subcommand" import --store "$S" --passphrase-file "$P"
run_tz 2 "import of an unknown kind" import people x.csv --store "$S" --passphrase-file "$P"
run_tz 2 "import households without a file" import households --store "$S" --passphrase-file "$P"
run_tz 2 "import households with two files" import households a.csv b.csv --store "$S" --passphrase-file "$P"
run_tz 2 "import with a bad option" import households a.csv --frobnicate
run_tz 0 "roster --help" roster --help
check "roster usage lists 户主身份证号" contains "$WORK/out" "户主身份证号"
run_tz 2 "roster without a subcommand" roster --store "$S" --passphrase-file "$P"
run_tz 2 "roster import of an unknown roster" roster import wubao x.csv --store "$S" --passphrase-file "$P"
run_tz 2 "roster import dibao without a file" roster import dibao --store "$S" --passphrase-file "$P"
run_tz 0 "compare --help" compare --help
run_tz 2 "compare without a subject" compare --store "$S" --passphrase-file "$P"
run_tz 2 "compare of an unknown subject" compare wubao --store "$S" --passphrase-file "$P"
tz 1 "compare before any 低保 roster" compare dibao
check "it says to import the roster first" contains "$WORK/err" "roster import dibao"
tz 1 "a file that does not exist" import households "$WORK/nonexistent.csv"
check "it names the file" contains "$WORK/err" "nonexistent.csv"

# ---- a good roster: UTF-8, quoted comma, relations by common wording ----
cat >"$WORK/hh.csv" <<EOF
户编号,村民小组,姓名,身份证号,与户主关系,户状态,性别,人均纯收入（元）,识别年月,脱贫日期,地址,序号
0001,张庄组,张大山,$H1,户主,已脱贫,男,"4,500.5",2014-10,2018-12-01,"霍邱县,张庄",1
0001,,李秀英,$S1,配偶,,女,,,,,2
0001,,张小军,$C1,之子,,,,,,,3
0002,李洼组,李老四,$H2,户主,帮扶中,,,2014年10月,,,4
EOF
tz 0 "import a UTF-8 roster" import households "$WORK/hh.csv"
check "counts reported" contains "$WORK/out" "2 户、成员 4 人，新建村民小组 2 个（文件编码 UTF-8）"
check "unknown column reported" contains "$WORK/err" "以下列不认识，已忽略：序号"
check "rows written" test "$(counts | cut -d/ -f1-3)" = "2/2/4"
tz 0 "household values stored normalised" query "SELECT status || '|' || income_cents || '|' || identified_on || '|' || address AS v FROM households WHERE household_no = '0001'"
check "status code, 分, date and quoted address" contains "$WORK/out" "exited|450050|2014-10-01|霍邱县,张庄"

# ---- GB18030 with CRLF and full-width digits; BOM ----
printf '户编号,组别,姓名,证件号码,户主关系,贫困户状态\r\n0003,张庄组,周七,%s,本人,新识别\r\n' "$H3W" |
	iconv -f UTF-8 -t GB18030 >"$WORK/gb.csv"
tz 0 "import a GB18030 roster with CRLF and full-width digits" import households "$WORK/gb.csv"
check "encoding reported" contains "$WORK/out" "GB18030"
check "the existing group was reused" contains "$WORK/out" "新建村民小组 0 个"
tz 0 "name and ID stored as UTF-8 and ASCII" query "SELECT name || idcard AS v FROM members WHERE relation = 'head' AND name = '周七'"
check "周七 with an ASCII ID number" contains "$WORK/out" "周七$H3"

# ---- refusals: every bad row, by line; nothing written ----
before=$(counts)
# D2 with a wrong check character.
if [ "$(printf '%s' "$D2" | cut -c18)" = 0 ]; then wrong=1; else wrong=0; fi
BAD_CHECK=$(printf '%s' "$D2" | cut -c1-17)$wrong
cat >"$WORK/bad.csv" <<EOF
户编号,村民小组,姓名,身份证号,与户主关系,户状态,性别,人均纯收入（元）
0101,红星组,王五,$D1,户主,帮扶中,,
0101,,赵六,$BAD_CHECK,配偶,,,
0101,,王小五,$(idc 34152219950101011),邻居,,,
0101,,王小六,$(idc 34152219960101012),子女,,男,
0102,红星组,钱一,$(idc 34152219500101013),户主,帮扶中,,12.345
0102,,钱二,$D1,子女,,,
0103,红星组,孙一,$(idc 34152219510101015),户主,帮扶中,,
0103,,孙二,$(idc 34152219520101017),户主,,,
0104,红星组,李一,$(idc 34152219530101019),配偶,帮扶中,,
0105,红星组,重复,$H2,户主,帮扶中,,
EOF
tz 1 "a roster with bad rows is refused" import households "$WORK/bad.csv"
check "summary says nothing was imported" contains "$WORK/err" "没有导入任何数据"
check "bad check digit at line 3" contains "$WORK/err" "第 3 行：身份证号最后一位校验码不对"
check "unknown relation at line 4" contains "$WORK/err" "第 4 行：与户主关系不能是“邻居”"
check "sex disagreeing with the ID at line 5" contains "$WORK/err" "第 5 行：性别与身份证号不符"
check "bad money at line 6" contains "$WORK/err" "第 6 行：年人均纯收入最多两位小数"
check "ID twice in the file at line 7" contains "$WORK/err" "第 7 行：身份证号 $D1 与第 2 行重复"
check "two heads at line 9" contains "$WORK/err" "第 9 行：户编号 0103 这一户已有户主（第 8 行）"
check "no head at line 10" contains "$WORK/err" "第 10 行：户编号 0104 这一户（共 1 人）没有户主"
check "ID already in the store at line 11" contains "$WORK/err" "第 11 行：身份证号 $H2 已登记"
check "nothing written" test "$(counts)" = "$before"

printf '户编号,姓名,身份证号\n0201,某某,%s\n' "$D1" >"$WORK/nocol.csv"
tz 1 "a missing required column is refused" import households "$WORK/nocol.csv"
check "the missing columns are named" contains "$WORK/err" "缺少必需的列 村民小组、与户主关系、户状态"
printf '户编号,村民小组,姓名,身份证号,与户主关系,户状态\n' | iconv -f UTF-8 -t UTF-16 >"$WORK/u16.csv"
tz 1 "a UTF-16 file is refused" import households "$WORK/u16.csv"
check "it says how to save the file" contains "$WORK/err" "CSV UTF-8"
printf '户编号,村民小组,姓名,身份证号,与户主关系,户状态\n0301,红星组,"某某,%s,户主,帮扶中\n0302,红星组,某,%s,户主,帮扶中\n' "$D1" "$D2" >"$WORK/quote.csv"
tz 1 "an unterminated quote is refused" import households "$WORK/quote.csv"
check "the quote's line is named" contains "$WORK/err" "第 2 行：这一行有个引号"
truncate -s 101M "$WORK/big.csv"
tz 1 "a file over 100 MB is refused before it is read" import households "$WORK/big.csv"
check "it says the file is too big" contains "$WORK/err" "太大"
rm -f "$WORK/big.csv"
check "nothing written by the refused files" test "$(counts)" = "$before"

# ---- the 低保 roster ----
cat >"$WORK/dibao.csv" <<EOF
某县农村低保对象花名册
户主姓名,户主身份证号,成员姓名,身份证号,与户主关系,家庭人口,月保障金（元）,村（居）
张小军,$C1,张小军,$C1,本人,1,250,示范村
王五,$D1,王五,$D1,本人,2,300,示范村
王五,$D1,赵六,$D2,妻,2,300,示范村
EOF
iconv -f UTF-8 -t GB18030 "$WORK/dibao.csv" >"$WORK/dibao-gb.csv"
tz 0 "import a GB18030 低保 roster with a title row" roster import dibao "$WORK/dibao-gb.csv"
check "counts reported" contains "$WORK/out" "2 户 3 人（文件编码 GB18030）"
tz 1 "importing it again without --replace is refused" roster import dibao "$WORK/dibao.csv"
check "it shows the difference first" contains "$WORK/out" "新增 0 户，减少 0 户，变化 0 户"
check "and asks for --replace" contains "$WORK/err" "--replace"
check "nothing replaced yet" test "$(counts | cut -d/ -f4-5)" = "3/1"
tz 0 "import it again in UTF-8 with --replace" roster import dibao "$WORK/dibao.csv" --replace
check "the previous roster is replaced" contains "$WORK/out" "替换了上一次导入的 3 人"
check "rows replaced, both imports kept" test "$(counts | cut -d/ -f4-5)" = "3/2"

before=$(counts)
cat >"$WORK/dibao-bad.csv" <<EOF
户主姓名,户主身份证号,姓名,身份证号,月保障金（元）
王五,$D1,王五,$D1,300
王五五,$D1,赵六,$BAD_CHECK,12.345
EOF
tz 1 "a 低保 roster with bad rows is refused" roster import dibao "$WORK/dibao-bad.csv"
check "head name conflict at line 3" contains "$WORK/err" "第 3 行：户主身份证号 $D1 在第 2 行的户主姓名是“王五”"
check "bad check digit at line 3" contains "$WORK/err" "第 3 行：身份证号最后一位校验码不对"
check "bad money at line 3" contains "$WORK/err" "第 3 行：月保障金最多两位小数"
check "the previous roster is kept" test "$(counts)" = "$before"

# ---- compare ----
tz 0 "compare dibao" compare dibao
check "summary of registered households" contains "$WORK/out" "建档立卡户 3 户：有成员在低保名册中 1 户，没有 2 户。"
check "summary of 低保 households" contains "$WORK/out" "低保户 2 户：有成员已建档立卡 1 户，没有 1 户。"
check "registered only: 李老四" sh -c "sed -n '/一、/,/二、/p' '$WORK/out' | grep -q '李老四.*$H2'"
check "registered only: 周七" sh -c "sed -n '/一、/,/二、/p' '$WORK/out' | grep -q '周七'"
check "张大山 matched through his son, not listed as unmatched" sh -c "! sed -n '/一、/,/三、/p' '$WORK/out' | grep -q 张大山"
check "张大山 is on the roster but his ledger records no 低保" sh -c "sed -n '/四、/,\$p' '$WORK/out' | grep -q '张大山.*张小军 $C1'"
check "the roster's persons counted" contains "$WORK/out" "低保名册保障人数 3 人。"
check "低保 only: 王五 with 2 people" sh -c "sed -n '/二、/,\$p' '$WORK/out' | grep -q '王五.*$D1.*2'"
tz 0 "compare dibao --all" compare dibao --all
check "matched household shown with the member matched" sh -c "grep '张大山' '$WORK/out' | grep -q '张小军 $C1'"
tz 0 "compare dibao --csv" compare dibao --csv
check "CSV header" contains "$WORK/out" "类别,来源,村民小组或所在村,户主姓名,户主身份证号,户状态,人数"
check "CSV starts with a UTF-8 BOM (Excel), not the U+FFFD the output wall makes of it" \
	test "$(head -c 3 "$WORK/out" | od -An -tx1 | tr -d ' ')" = efbbbf
check "CSV row for 王五" contains "$WORK/out" "低保户未建档立卡,低保名册,示范村,王五,$D1,,2,,"
check "CSV row for 李老四" contains "$WORK/out" "建档立卡户未享受低保,建档立卡,李洼组,李老四,$H2,帮扶中,1,,"
check "CSV row for 张大山, on the roster, ledger without 低保" contains "$WORK/out" "在低保名册但台账未登记低保,建档立卡,张庄组,张大山,$H1,已脱贫,3,张小军,$C1"
check "CSV has 4 rows and a header" test "$(wc -l <"$WORK/out")" -eq 5
finish
