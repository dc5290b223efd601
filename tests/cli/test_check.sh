# test_check.sh — `taizhang check` and `taizhang problem` as documented: text
# and CSV findings, usage errors, findings turned into problems once, and a
# problem moved through its states from the command line with and without
# evidence. Runs on a demo village; assumes only that it has households and
# members, and makes everything else it needs through the commands.
. "$(dirname "$0")/lib.sh"
S="$WORK/d.tzs"
export TAIZHANG_TODAY=2019-05-15

demo_village "$S" 'demo passphrase' --households 40

# ---- the rules ----
run_tz 0 "check --list-rules needs no store" check --list-rules
check "rule list names each rule in Chinese, with its area and task" sh -c "grep -q '^已脱贫户人均纯收入低于脱贫标准  （一）任务 4$' '$WORK/out'"
check "rule list shows no rule id" sh -c "! grep -q 'exited-low-income' '$WORK/out'"
"$TZ_BIN" check --list-rules | grep -v '^ ' | sed 's/  （.*//' >"$WORK/ids"
check "at least 22 rules listed" test "$(wc -l <"$WORK/ids")" -ge 22
run_tz 2 "--list-rules takes no other option" check --list-rules --csv

# A problem already overdue, so that there is at least one finding whatever the demo holds.
run_tz 0 "problem add (overdue)" problem add $O --area 10 --task 18 --title "群众反映低保评定不公开" \
	--unit 镇民政办 --person 韩桂英 --deadline 2019-05-01
late=$(sed -n 's/^已登记问题 \([0-9a-f]*\)：.*/\1/p' "$WORK/out")
check "add prints the new id" test "${#late}" -eq 32

run_tz 0 "check exits 0 even with findings" check $O
check "text names the as-of date" contains "$WORK/out" "核查日期：2019-05-15"
check "text says how long the month still runs" contains "$WORK/out" "本月尚余 17 天"
check "text groups findings under the rule's title" contains "$WORK/out" "【问题超过整改期限未销号】（"
check "text names no rule id" sh -c "! grep -q 'problem-overdue\|exited-' '$WORK/out'"
check "text names the unit responsible" contains "$WORK/out" "  责任单位：镇卫生院"
check "text names the area and task" sh -c "grep -q '问题方面：（十）' '$WORK/out' && grep -q '整改任务：16. 压紧压实攻坚责任' '$WORK/out'"
check "text lists the finding" contains "$WORK/out" "问题“群众反映低保评定不公开”（责任单位 镇民政办，责任人 韩桂英）整改期限 2019-05-01 已过"
check "summary line counts per rule" sh -c "grep -q '^合计 [0-9]* 条发现：识别或退出程序缺少步骤 [0-9]*，' '$WORK/out'"
total=$(sed -n 's/^合计 \([0-9]*\) 条发现.*/\1/p' "$WORK/out")

run_tz 0 "check --csv" check $O --csv
bom=$(printf '\357\273\277')
check "CSV header in Chinese, after a UTF-8 BOM (for Excel)" test "$(head -n 1 "$WORK/out" | tr -d '\r')" = "${bom}核查规则,问题方面,整改任务,责任单位,村代码,表,记录编号,户编号,发现内容"
check "CSV has one row per finding" test "$(($(wc -l <"$WORK/out") - 1))" -eq "$total"
cr=$(printf '\r')
check "CSV lines end in CRLF (RFC 4180)" test "$(grep -c "$cr\$" "$WORK/out")" -eq "$(wc -l <"$WORK/out")"
check "CSV row of the overdue problem" grep -q "^问题超过整改期限未销号,10,16,[^,]*,341522104201,problems,$late,," "$WORK/out"
tail -n +2 "$WORK/out" | cut -d, -f1 | sort -u >"$WORK/used"
check "every CSV row names a listed rule" sh -c "! grep -vxF -f '$WORK/ids' '$WORK/used'"

run_tz 0 "--rule runs one rule" check $O --csv --rule problem-overdue
check "only that rule's rows" sh -c "tail -n +2 '$WORK/out' | cut -d, -f1 | sort -u | grep -qx 问题超过整改期限未销号 && test \$(tail -n +2 '$WORK/out' | cut -d, -f1 | sort -u | wc -l) -eq 1"
cp "$WORK/out" "$WORK/by-id"
run_tz 0 "--rule takes the Chinese title too" check $O --csv --rule 问题超过整改期限未销号
check "the same rows by title as by id" cmp -s "$WORK/out" "$WORK/by-id"
run_tz 0 "--as-of before the deadline" check $O --csv --rule problem-overdue --as-of 2019年5月1日
check "not overdue on its deadline" sh -c "! grep -q '$late' '$WORK/out'"

run_tz 2 "unknown --rule is a usage error" check $O --rule no-such-rule
check "usage error lists the valid rules by title" sh -c "grep -q '没有“no-such-rule”这条核查规则' '$WORK/err' && grep -q '已脱贫户家中有辍学子女' '$WORK/err'"
run_tz 2 "a bad --as-of is a usage error" check $O --as-of 2019-02-30
run_tz 2 "--deadline needs --to-problems" check $O --deadline 2019-06-30
run_tz 2 "--csv and --to-problems do not mix" check $O --csv --to-problems
run_tz 2 "extra argument" check $O everything

# ---- findings -> problems ----
before=$(query "SELECT count(*) FROM problems")
run_tz 0 "check --to-problems" check $O --to-problems --person 高刚
created=$(sed -n 's/.*建立问题 \([0-9]*\) 个.*/\1/p' "$WORK/out")
check "to-problems made problems" test "${created:-0}" -gt 0
check "one problem per finding made" test "$(query "SELECT count(*) FROM problems")" -eq $((before + created))
check "they come from findings, with the person given" test \
	"$(query "SELECT count(*) FROM problems WHERE source = 'finding' AND finding_rule IS NOT NULL AND responsible_person = '高刚' AND deadline = '2019-05-31'")" -eq "$created"
check "overdue problems are not turned into problems" test \
	"$(query "SELECT count(*) FROM problems WHERE finding_rule = 'problem-overdue'")" -eq 0
run_tz 0 "check --to-problems again" check $O --to-problems
check "the second run creates none" contains "$WORK/out" "建立问题 0 个；$created 条已有未销号的问题"
check "the ledger did not grow" test "$(query "SELECT count(*) FROM problems")" -eq $((before + created))

# ---- a problem through its states ----
run_tz 0 "problem add" problem add $O --area 1 --task 6 --title "张小明辍学未劝返" --unit 镇中心校 \
	--person 李老师 --deadline 2019年5月31日 --measures "上门劝返"
id=$(sed -n 's/^已登记问题 \([0-9a-f]*\)：.*/\1/p' "$WORK/out")
short=$(printf '%s' "$id" | cut -c1-8)
run_tz 0 "problem list shows it" problem list $O
check "listed with its state and deadline" sh -c "grep '^$short' '$WORK/out' | grep -q '待整改.*2019-05-31.*张小明辍学未劝返'"
run_tz 1 "closing an open problem is refused" problem close $id $O --evidence "复学证明"
check "refusal names the allowed moves" contains "$WORK/err" "现在可以改为：整改中（rectifying）、已整改（rectified）"
run_tz 0 "move by a short id" problem move $short rectifying $O --note "已上门两次"
check "move prints old and new state" contains "$WORK/out" "待整改 → 整改中"
run_tz 0 "move to rectified" problem move $id 已整改 $O
run_tz 1 "closing without evidence is refused" problem close $id $O
check "refusal asks for evidence" contains "$WORK/err" "还没有整改佐证材料，不能销号"
check "state unchanged after a refusal" test "$(query "SELECT state FROM problems WHERE id = '$id'")" = rectified
run_tz 0 "close with evidence" problem close $id $O --evidence "复学证明，存村部档案柜" --note "镇中心校复核"
run_tz 0 "problem show" problem show $short $O
check "show says closed" contains "$WORK/out" "状态：已销号"
check "show has the evidence" contains "$WORK/out" "整改佐证材料：复学证明，存村部档案柜"
check "show lists every move" test "$(grep -c ' → ' "$WORK/out")" -eq 4
check "moves name the user" contains "$WORK/out" "管理员  已整改 → 已销号：镇中心校复核"
run_tz 0 "reopen a closed problem" problem move $id reopened $O --note "回访发现再次辍学"
run_tz 2 "an unknown state is a usage error" problem move $id finished $O
run_tz 1 "an unknown id fails" problem show 0000 $O
run_tz 2 "problem without a subcommand" problem $O
run_tz 2 "an unknown subcommand" problem delete $id $O
run_tz 2 "add without --person" problem add $O --area 1 --task 6 --title t --unit 镇中心校 --deadline 2019-05-31
run_tz 2 "add with --area out of range" problem add $O --area 11 --task 6 --title t --unit 镇中心校 --person p --deadline 2019-05-31
run_tz 2 "add with a date that is not one" problem add $O --area 1 --task 6 --title t --unit 镇中心校 --person p --deadline 2019-06-31
run_tz 1 "add with an empty title" problem add $O --area 1 --task 6 --title "  " --unit 镇中心校 --person p --deadline 2019-05-31
check "empty title named" contains "$WORK/err" "问题标题不能为空"
run_tz 2 "list takes no --note" problem list $O --note x
run_tz 2 "move needs a state" problem move $id $O

run_tz 0 "problem list --overdue" problem list $O --overdue --csv
check "overdue list matches the ledger" test "$(($(wc -l <"$WORK/out") - 1))" -eq \
	"$(query "SELECT count(*) FROM problems WHERE state <> 'closed' AND deadline < '2019-05-15'")"
check "overdue list has the late problem" contains "$WORK/out" "$late"
check "problem CSV has Chinese headers after a UTF-8 BOM" test "$(head -n 1 "$WORK/out" | tr -d '\r')" = "${bom}编号,状态,问题方面,整改任务,问题标题,问题描述,责任单位,责任人,整改期限,村代码,户编号,来源,核查规则,发现记录编号,整改措施,整改佐证,登记时间,更新时间"
tail -n +2 "$WORK/out" | cut -d, -f2 >"$WORK/states"
check "problem CSV rows say the state in Chinese" sh -c "test -s '$WORK/states' && ! grep -q '^[a-z_]*\$' '$WORK/states'"
run_tz 0 "problem list --state closed" problem list $O --state closed --csv
check "closed list matches the ledger" test "$(($(wc -l <"$WORK/out") - 1))" -eq \
	"$(query "SELECT count(*) FROM problems WHERE state = 'closed'")"
run_tz 0 "the store verifies after all this" verify $O
finish
