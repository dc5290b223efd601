# test_report.sh — `taizhang report` as documented: usage errors; a small
# village entered with `taizhang record` (so every figure is known) reported as
# .xlsx — opened with unzip and checked in its XML: sheet names and order,
# numbers and their formats, frozen headers, filters, CJK-wide columns, real
# dates — as CSV (BOM, CRLF, exact rows) and as text (every line of a table
# as wide as the others); files replaced whole, never left as .part; then the
# demo village, whose report must agree with `query` and `check`.
. "$(dirname "$0")/lib.sh"
with_passphrase 'report passphrase'
export TAIZHANG_TODAY=2019-04-30
S="$WORK/v.tzs"
O=$(store_opts "$S")
PERIOD="--from 2019-04-01 --to 2019-04-30"

# add TABLE FIELD=VALUE...: add a record, print its id.
add() { "$TZ_BIN" record add "$@" $O | sed -n 's/.* \([0-9a-f]\{32\}\)。*$/\1/p'; }
# sheet N: the XML of the Nth worksheet of $WORK/r.xlsx.
sheet() { unzip -p "$WORK/r.xlsx" "xl/worksheets/sheet$1.xml"; }
# has_cell N REF VALUE: sheet N has cell REF holding the number VALUE.
has_cell() { sheet "$1" | grep -q "<c r=\"$2\"[^>]*><v>$3</v></c>"; }

check "unzip is installed (Debian package unzip)" sh -c 'command -v unzip >/dev/null'

# ---- usage ----
run_tz 0 "report --help" report --help
check "usage says files are overwritten" contains "$WORK/out" "会被覆盖"
run_tz 2 "--out is required" report --store x.tzs
run_tz 2 "an unknown extension is a usage error" report --store x.tzs --out r.xls
check "the message names the kinds" contains "$WORK/err" ".xlsx、.csv 或 .txt"
run_tz 2 "a date that is not one" report --store x.tzs --out - --from 2019-02-30
run_tz 2 "--from after --to" report --store x.tzs --out - --from 2019-05-01 --to 2019-04-01
run_tz 2 "an extra argument" report --store x.tzs --out - everything
run_tz 2 "a village code that is not 12 digits" report --store x.tzs --out - --village 3415

# ---- a village whose figures are known ----
run_tz 0 "init" init --store "$S" --village 341522104201 --name 示范村 --passphrase-file "$WORK/p" --kdf-cost min
G=$(add villager_groups name=张庄组)
H1=$(add households group_id=$G status=helped identified_on=2018-03-01)
H2=$(add households group_id=$G status=identified identified_on=2019-04-05)
H3=$(add households group_id=$G status=helped identified_on=2018-05-01)
check "three households entered" test ${#H1} -eq 32 -a ${#H2} -eq 32 -a ${#H3} -eq 32
F1=$(add family_doctor household_id=$H1 signed_on=2019-04-10 doctor=刘医生)
L1=$(add loans household_id=$H1 bank=农商行 amount_cents=12345.67 issued_on=2019-04-03 term_months=36 due_on=2022-04-03 state=active)
L2=$(add loans household_id=$H3 bank=邮储银行 amount_cents=50000 issued_on=2019-04-15 term_months=36 due_on=2022-04-15 state=active)
check "a contract and two loans entered" test ${#F1} -eq 32 -a ${#L1} -eq 32 -a ${#L2} -eq 32

# .xlsx
run_tz 0 "report to .xlsx" report $O $PERIOD --out "$WORK/r.xlsx"
check "says what it wrote" contains "$WORK/out" "已生成报表 $WORK/r.xlsx：示范村，2019-04-01 至 2019-04-30，41 个工作表"
check "no .part left" test ! -e "$WORK/r.xlsx.part"
check "readable by its owner only" test "$(stat -c %a "$WORK/r.xlsx")" = 600
check "a zip with 41 worksheets" test "$(unzip -l "$WORK/r.xlsx" | grep -c 'xl/worksheets/sheet[0-9]*\.xml')" -eq 41
unzip -p "$WORK/r.xlsx" xl/workbook.xml | grep -o '<sheet name="[^"]*"' | sed 's/<sheet name="//; s/"//' | tr '\n' ' ' >"$WORK/names"
check "sheets named in Chinese, cover first" test "$(cat "$WORK/names")" = \
	"封面 概况 任务1 确保扶贫对象管理精准 任务2 确保分类施策靶向精准 任务3 确保资金安排使用精准 任务4 确保稳定脱贫成效精准 任务5 狠抓健康脱贫政策落实 任务6 实现教育扶贫政策全覆盖 任务7 增强住房安全保障 任务8 加大产业扶贫力度，健全项目库建设 任务9 着力推进就业扶贫，培育贫困村创业致富带头人 任务10 加快金融扶贫进度 任务11 完善保障性扶贫方式 任务12 夯实基础工作，加强业务培训 任务13 配齐配强扶贫队伍 任务14 强化精准帮扶，开展“百名干部走基层” 任务15 激发贫困户脱贫内生动力 任务16 压紧压实攻坚责任 任务17 严格规范考核检查 任务18 强化推进作风建设 任务19 总结推广典型经验 户数与变化 本期户状态变化 家庭成员 识别退出程序 四个清单 行业部门指标 干部走访 队伍与基地 项目与资金 边缘户与返贫监测 信访与问题线索 业务培训 督查检查 典型经验 问题整改 逾期问题 精准核查发现 时间节点 交付事项 责任单位台账 "
unzip -p "$WORK/r.xlsx" xl/sharedStrings.xml >"$WORK/strings"
check "Chinese headers in the shared strings" sh -c "grep -q '<t>户状态</t>' '$WORK/strings' && grep -q '<t>期末户数</t>' '$WORK/strings' && grep -q '<t>金额（元）</t>' '$WORK/strings'"
check "cover has the period" contains "$WORK/strings" "<t>2019-04-01 至 2019-04-30</t>"
check "cover has the village" contains "$WORK/strings" "<t>示范村</t>"
check "households: 2 helped at the start" has_cell 22 B4 2
check "households: 1 identified at the end" has_cell 22 C3 1
check "households: total 3 at the end" has_cell 22 C8 3
check "households: headers frozen (2 rows)" sh -c "unzip -p '$WORK/r.xlsx' xl/worksheets/sheet22.xml | grep -q '<pane ySplit=\"2\" topLeftCell=\"A3\" activePane=\"bottomLeft\" state=\"frozen\"/>'"
check "households: filter over headers and rows, not the total" sh -c "unzip -p '$WORK/r.xlsx' xl/worksheets/sheet22.xml | grep -q '<autoFilter ref=\"A2:D7\"/>'"
check "households: first column as wide as 脱贫监测 (8 columns) + 2" sh -c "unzip -p '$WORK/r.xlsx' xl/worksheets/sheet22.xml | grep -q '<col min=\"1\" max=\"1\" width=\"10.7109375\"'"
check "sectors: label column counts CJK double (16 characters, 32 + 2)" sh -c "unzip -p '$WORK/r.xlsx' xl/worksheets/sheet27.xml | grep -q '<col min=\"2\" max=\"2\" width=\"34.7109375\"'"
check "sectors: 1 family-doctor contract" has_cell 27 C3 1
check "sectors: of 3 registered households" has_cell 27 D3 3
check "sectors: the rate is the fraction 1/3" sh -c "unzip -p '$WORK/r.xlsx' xl/worksheets/sheet27.xml | grep -q '<c r=\"E3\" s=\"[0-9]*\"><v>0.33333333333333'"
check "sectors: two loans issued" has_cell 27 C11 2
check "sectors: 62345.67 元 issued, as a number" has_cell 27 F11 62345.67
unzip -p "$WORK/r.xlsx" xl/styles.xml >"$WORK/styles"
check "money format #,##0.00" contains "$WORK/styles" 'formatCode="#,##0.00"'
check "percent format 0.0%" contains "$WORK/styles" 'formatCode="0.0%"'
check "date format yyyy-mm-dd" contains "$WORK/styles" 'formatCode="yyyy-mm-dd"'
check "deadlines: 2019-05-01 is a real date (serial 43586)" has_cell 39 B3 43586
check "deadlines: 1 day left" has_cell 39 C3 1

# .csv
run_tz 0 "report to .csv" report $O $PERIOD --out "$WORK/c.csv"
check "41 files" test "$(ls "$WORK"/c*.csv | wc -l)" -eq 41
check "lists the files it wrote" contains "$WORK/out" "$WORK/c-households.csv  户数与变化"
check "summary starts with a BOM" test "$(head -c 3 "$WORK/c.csv" | od -An -tx1 | tr -d ' \n')" = efbbbf
check "summary header" sh -c "head -n 1 '$WORK/c.csv' | grep -q '指标,数值,基数,比例'"
printf '\357\273\277户状态,期初户数,期末户数,增减\r\n新识别,0,1,1\r\n帮扶中,2,2,0\r\n已脱贫,0,0,0\r\n脱贫监测,0,0,0\r\n返贫,0,0,0\r\n合计,2,3,1\r\n' >"$WORK/want"
check "households CSV exactly" cmp -s "$WORK/want" "$WORK/c-households.csv"
check "sectors CSV: loans issued, plain money" contains "$WORK/c-sectors.csv" "金融扶贫,本期发放小额信贷（笔）,2,,,62345.67"
check "sectors CSV: family doctors, percentage" contains "$WORK/c-sectors.csv" "健康扶贫,家庭医生签约户（期末有效）,1,3,33.3%,"
check "no .part left" sh -c "! ls '$WORK' | grep -q '\.part\$'"

# text
run_tz 0 "report to stdout" report $O $PERIOD --out -
grep -v '^生成时间' "$WORK/out" >"$WORK/stdout.txt"
check "stdout is the report only" sh -c "head -n 1 '$WORK/out' | grep -qx '示范村“重精准、补短板、促攻坚”专项整改报表'"
check "every line of a table is as wide as the others" widths_equal "$WORK/out"
check "loans in 元 with separators" sh -c "grep '本期发放小额信贷' '$WORK/out' | grep -q '62,345.67'"
printf 'an old report\n' >"$WORK/r.txt"
run_tz 0 "report to .txt replaces the old file" report $O $PERIOD --out "$WORK/r.txt"
check "the old text is gone" sh -c "! grep -q 'an old report' '$WORK/r.txt'"
check "the file is the text report (but for the time)" sh -c "grep -v '^生成时间' '$WORK/r.txt' | cmp -s - '$WORK/stdout.txt'"
run_tz 1 "a directory that does not exist" report $O --out "$WORK/no/such/r.xlsx"
check "nothing written there" test ! -e "$WORK/no"

T="$WORK/t.tzs"
run_tz 0 "a town store" init --store "$T" --town 341522104000 --name 城关镇 --passphrase-file "$WORK/p" --kdf-cost min
run_tz 1 "a town without villages has no township report yet" report --store "$T" --passphrase-file "$WORK/p" --out -
check "it says why" contains "$WORK/err" "镇级汇总报表"
run_tz 1 "a village store reports on its own village only" report $O --out - --village 341522104202
check "it names its own" contains "$WORK/err" "341522104201"

# ---- the demo village ----
export TAIZHANG_TODAY=2019-04-20
D="$WORK/d.tzs"
OD=$(store_opts "$D")
run_tz 0 "demo store" demo --store "$D" --households 40 --kdf-cost min --passphrase-file "$WORK/p"
run_tz 0 "demo report to .xlsx" report $OD --out "$WORK/r.xlsx"
check "demo: period defaults to the year so far" contains "$WORK/out" "2019-01-01 至 2019-04-20"
n=$("$TZ_BIN" query $OD "SELECT count(*) FROM households" | tail -n 1)
check "demo: households total = the ledger's" has_cell 22 C8 "$n"
found=$("$TZ_BIN" check $OD | sed -n 's/^合计 \([0-9]*\) 条发现.*/\1/p')
run_tz 0 "demo report to .csv" report $OD --out "$WORK/d.csv"
check "demo: findings total = check's" contains "$WORK/d-findings.csv" "合计,,,$found"
check "demo: CSV lines end in CRLF" sh -c "test \$(grep -c \"\$(printf '\r')\$\" '$WORK/d-visits.csv') -eq \$(wc -l <'$WORK/d-visits.csv')"
run_tz 0 "demo report as text" report $OD --out -
check "demo: every line of a table is as wide as the others" widths_equal "$WORK/out"
check "demo: every section is there" test "$(grep -c '^【' "$WORK/out")" -eq 40
finish
