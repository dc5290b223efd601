# test_report_town.sh — `taizhang report` in a town store: the township report
# of a demo town (`taizhang demo --town`: three villages as sync would leave
# them) as text (every part of every table aligned, wide tables in parts), as
# CSV (a file per section, the totals the ledger's) and as .xlsx (opened with
# unzip: sheet names in order, the lead units' sheets, figures in the sheet XML,
# key columns frozen); and `--village CODE`, which must give exactly the report
# the village makes of itself (its own demo store, same seed).
. "$(dirname "$0")/lib.sh"
with_passphrase 'town report passphrase'
export TAIZHANG_TODAY=2019-04-20
T="$WORK/t.tzs"
V="$WORK/v.tzs"
OT=$(store_opts "$T")
OV=$(store_opts "$V")

q() { "$TZ_BIN" query $OT "$1" | tail -n 1; }

run_tz 2 "--villages needs --town" demo --store "$WORK/x.tzs" --villages 3 --kdf-cost min --passphrase-file "$WORK/p"
run_tz 0 "a demo town of three villages" demo --store "$T" --town --villages 3 --households 20 --seed 5 --kdf-cost min --passphrase-file "$WORK/p"
check "it says what it made" contains "$WORK/out" "示范镇，3 个村，每村 20 户"
run_tz 0 "the first village's own store, same seed" demo --store "$V" --households 20 --seed 5 --kdf-cost min --passphrase-file "$WORK/p"
check "the town holds 60 households of 3 villages" test "$(q "SELECT count(*) || '/' || count(DISTINCT village_code) FROM households")" = "60/3"

# ---- text ----
run_tz 0 "township report as text" report $OT --out "$WORK/t.txt"
check "says it is the town's" contains "$WORK/out" "示范镇（全镇），2019-01-01 至 2019-04-20"
check "titled with the town" sh -c "head -n 1 '$WORK/t.txt' | grep -qx '示范镇“重精准、补短板、促攻坚”专项整改报表'"
check "the cover lists the villages" contains "$WORK/t.txt" "村（居）：3 个：示范村、李庄村、王岗村"
check "one line per task" contains "$WORK/t.txt" "【整改任务】"
check "a section per lead unit" sh -c "grep -q '^【镇卫生院牵头任务】' '$WORK/t.txt' && grep -q '^【各村(居)牵头任务】' '$WORK/t.txt'"
check "wide tables go on in parts" contains "$WORK/t.txt" "【户数与变化（续）】"
check "every line of a table is as wide as the others" widths_equal "$WORK/t.txt"
check "a section per task, 任务1 to 任务19" test "$(grep -c '^【任务[0-9]* ' "$WORK/t.txt")" -eq 19
check "task 1 in the seed's words" contains "$WORK/t.txt" "【任务1 确保扶贫对象管理精准】"
check "the sign-off page ends it" sh -c "sed -n '/^.【审核签字】/,\$p' '$WORK/t.txt' | grep -q '^审定人（镇扶贫开发领导小组组长）：__'"
check "task 5: its lead unit and participants" sh -c "grep '5. 狠抓健康脱贫政策落实  *镇卫生院  *镇民政办、各村(居)' '$WORK/t.txt' >/dev/null"

# ---- CSV ----
run_tz 0 "township report as CSV" report $OT --out "$WORK/t.csv"
check "a file per section (59)" test "$(ls "$WORK"/t*.csv | wc -l)" -eq 59
check "the lead units' files" sh -c "test -f '$WORK/t-unit-weishengyuan.csv' && test -f '$WORK/t-tasks.csv'"
check "households: the town first, then each village" sh -c "head -n 1 '$WORK/t-households.csv' | grep -q '^.*户状态,合计 期初户数,合计 期末户数,合计 增减,示范村 期初户数,示范村 期末户数,示范村 增减,李庄村 期初户数'"
total=$(grep '^合计,' "$WORK/t-households.csv" | cut -d, -f3,6,9,12 | tr -d '\r')
check "households at the end: 60 = 20 + 20 + 20" test "$total" = "60,20,20,20"
problems=$(q "SELECT count(*) FROM problems WHERE task = 5")
closed=$(q "SELECT count(*) FROM problems WHERE task = 5 AND state = 'closed'")
check "tasks: task 5's problems are the ledger's" contains "$WORK/t-tasks.csv" "5. 狠抓健康脱贫政策落实,镇卫生院,镇民政办、各村(居),$problems,$closed,$((problems - closed)),"
check "tasks: every problem of the town in the total" sh -c "grep -q '^合计,,,$(q "SELECT count(*) FROM problems"),' '$WORK/t-tasks.csv'"
check "a lead unit's file has its tasks only" sh -c "! cut -d, -f1 '$WORK/t-unit-weishengyuan.csv' | tail -n +2 | grep -v -e '^2\\.' -e '^5\\.' -e '^8\\.'"

# ---- .xlsx ----
run_tz 0 "township report as .xlsx" report $OT --out "$WORK/t.xlsx"
check "59 worksheets" test "$(unzip -l "$WORK/t.xlsx" | grep -c 'xl/worksheets/sheet[0-9]*\.xml')" -eq 59
unzip -p "$WORK/t.xlsx" xl/workbook.xml | grep -o '<sheet name="[^"]*"' | sed 's/<sheet name="//; s/"//' | tr '\n' ' ' >"$WORK/names"
check "sheets: cover, summary, tasks, each task, then the villages' sections" sh -c "grep -q '^封面 概况 整改任务 任务1 确保扶贫对象管理精准 任务2 确保分类施策靶向精准 .* 任务19 总结推广典型经验 户数与变化 本期户状态变化 家庭成员 ' '$WORK/names'"
check "sheets: each lead unit's, the deadlines, the deliverables, the units' sheets, the sign-off page last" sh -c "grep -q ' 各村(居)牵头任务 镇农综站牵头任务 ' '$WORK/names' && grep -q ' 时间节点 交付事项 责任单位台账 审核签字 \$' '$WORK/names'"
unzip -p "$WORK/t.xlsx" xl/sharedStrings.xml >"$WORK/strings"
check "headers name the villages" sh -c "grep -q '<t>合计 期末户数</t>' '$WORK/strings' && grep -q '<t>王岗村 期末户数</t>' '$WORK/strings'"
check "households: 60 at the end in the town (C8)" sh -c "unzip -p '$WORK/t.xlsx' xl/worksheets/sheet23.xml | grep -q '<c r=\"C8\"[^>]*><v>60</v></c>'"
check "households: 20 in 示范村 (F8)" sh -c "unzip -p '$WORK/t.xlsx' xl/worksheets/sheet23.xml | grep -q '<c r=\"F8\"[^>]*><v>20</v></c>'"
check "the key column stays in view (frozen)" sh -c "unzip -p '$WORK/t.xlsx' xl/worksheets/sheet23.xml | grep -q '<pane xSplit=\"1\" ySplit=\"2\" topLeftCell=\"B3\"'"

# ---- one village of the town ----
run_tz 2 "--village must be a code" report $OT --out - --village 示范村
run_tz 1 "a village the town does not have" report $OT --out - --village 341522104299
check "it names it" contains "$WORK/err" "341522104299"
run_tz 0 "the town's report of 示范村" report $OT --village 341522104201 --out "$WORK/in-town.csv"
run_tz 0 "示范村's own report" report $OV --out "$WORK/own.csv"
same=0
for f in "$WORK"/own*.csv; do
	g="$WORK/in-town${f#"$WORK"/own}"
	if grep -v '^生成时间' "$f" | cmp -s - "$(grep -v '^生成时间' "$g" >"$WORK/g"; echo "$WORK/g")"; then
		same=$((same + 1))
	else
		echo "# differs: $(basename "$f")"
	fi
done
check "all 41 files are the same (but for the time of generation)" test "$same" -eq 41
finish
