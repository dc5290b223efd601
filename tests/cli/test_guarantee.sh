# test_guarantee.sh — 两不愁三保障 for every registered household, the
# monitoring view, findings turned into problems for the unit and the cadre,
# the month in progress, and the public notices, from the command line as
# documented, on a demo village as of 2019-05-15 (plus a few rows recorded
# through `taizhang record`).
. "$(dirname "$0")/lib.sh"
S="$WORK/d.tzs"
export TAIZHANG_TODAY=2019-05-15

demo_village "$S" 'demo passphrase' --households 40

# ---- a poor household with a house whose water is unsafe ----
hh=$(query "SELECT id FROM households WHERE status NOT IN ('exited', 'monitored') ORDER BY id LIMIT 1")
head=$(query "SELECT name FROM members WHERE household_id = '$hh' AND relation = 'head'")
check "the demo has a poor household" test "${#hh}" -eq 32
run_tz 0 "record a house assessment with unsafe water" record add housing $O \
	household_id="$hh" rating=B assessed_on=2019-05-10 renovation=none drinking_water=unsafe
run_tz 0 "check --rule by Chinese title" check $O --rule 建档立卡户饮水不安全
check "the unsafe water is found, with its unit" sh -c "grep -q '贫困户（.*）户主 $head（.*）饮水不安全（2019-05-10 鉴定）' '$WORK/out' && grep -q '责任单位：镇水利站' '$WORK/out'"
check "the as-of line tells the days left in May" contains "$WORK/out" "本月尚余 17 天"

# ---- the month in progress is not failing ----
run_tz 0 "check visits as CSV" check $O --csv --rule cadre-missed-visit
check "no cadre is failing May, which is not over" sh -c "! grep -q '2019年5月' '$WORK/out'"
check "April is checked" grep -q '2019年4月' "$WORK/out"

# ---- the monitoring view ----
run_tz 0 "check --monitor" check $O --monitor
n=$(query "SELECT (SELECT count(*) FROM households WHERE status IN ('monitored', 'fell_back')) + (SELECT count(*) FROM marginal_households WHERE state = 'watching')")
check "monitor counts every watched household" contains "$WORK/out" "共监测 $n 户"
check "monitor lists 脱贫监测户 with what fails, income, measures and cadre" sh -c "grep -q '^  脱贫监测户 户主 ' '$WORK/out' && grep -q '^    未保障：' '$WORK/out' && grep -q '^    人均纯收入：.*元，[高低]于标准 .* 元' '$WORK/out' && grep -q '^    帮扶责任人：' '$WORK/out'"
check "the dropout child of the demo shows as 义务教育 not met" grep -q '^    未保障：.*义务教育' "$WORK/out"
run_tz 0 "check --monitor --csv" check $O --monitor --csv
check "monitor CSV has Chinese headers after a UTF-8 BOM" test "$(head -n 1 "$WORK/out" | tr -d '\r')" = "$(printf '\357\273\277')村,户类型,户主,人均纯收入与标准,未保障项目,致贫风险,帮扶措施,帮扶责任人"
check "monitor CSV has a row per household" test "$(($(wc -l <"$WORK/out") - 1))" -eq "$n"
run_tz 2 "--monitor and --to-problems do not mix" check $O --monitor --to-problems

# ---- findings -> problems for the unit and the cadre ----
run_tz 0 "check --to-problems" check $O --to-problems
created=$(sed -n 's/.*建立问题 \([0-9]*\) 个.*/\1/p' "$WORK/out")
check "problems made" test "${created:-0}" -gt 0
check "every unit is a unit code" test \
	"$(query "SELECT count(*) FROM problems WHERE finding_rule IS NOT NULL AND responsible_unit NOT IN (SELECT code FROM units)")" -eq 0
check "the water problem is 镇水利站's and its cadre's" test \
	"$(query "SELECT count(*) FROM problems p WHERE p.finding_rule = 'household-unsafe-water' AND p.household_id = '$hh' AND p.responsible_unit = 'shuili' AND p.responsible_person = (SELECT c.name FROM cadre_assignments a JOIN cadres c ON c.id = a.cadre_id WHERE a.household_id = '$hh' AND a.since <= '2019-05-15' AND (a.until IS NULL OR a.until >= '2019-05-15') ORDER BY a.since DESC, a.created_at DESC, a.id DESC LIMIT 1)")" -eq 1
wp=$(query "SELECT id FROM problems WHERE finding_rule = 'household-unsafe-water' AND household_id = '$hh'")
run_tz 0 "problem show of the water problem" problem show "$wp" $O
check "problem show names the rule in Chinese" contains "$WORK/out" "规则“建档立卡户饮水不安全”"
check "and not by its id" sh -c "! grep -q 'household-unsafe-water' '$WORK/out'"
login=$("$TZ_BIN" user list $O | head -n 1)
check "the login user is known" test -n "$login"
check "no problem found goes to the login user" test \
	"$(query "SELECT count(*) FROM problems WHERE finding_rule IS NOT NULL AND responsible_person = '$login'")" -eq 0

# ---- public notices ----
d=$(query "SELECT on_date FROM procedure_steps WHERE procedure = 'identify' AND step = 'village_notice' ORDER BY on_date DESC LIMIT 1")
nh=$(query "SELECT count(DISTINCT household_id) FROM procedure_steps WHERE procedure = 'identify' AND step = 'village_notice' AND on_date = '$d'")
who=$(query "SELECT m.name FROM procedure_steps s JOIN members m ON m.household_id = s.household_id AND m.relation = 'head' WHERE s.procedure = 'identify' AND s.step = 'village_notice' AND s.on_date = '$d' LIMIT 1")
run_tz 0 "notice identify prints the village notice" notice identify $O --from "$d"
check "the notice names the village, procedure and stage" contains "$WORK/out" "示范村贫困户识别（纳入）村内公示"
check "the notice lists the household" contains "$WORK/out" "$who"
check "the notice counts the households" contains "$WORK/out" "拟将以下 $nh 户"
check "the notice gives the objection period" sh -c "grep -q '公示期 [0-9]* 天：' '$WORK/out' && grep -q '如有异议' '$WORK/out'"
run_tz 0 "notice identify --out writes txt and xlsx" notice identify $O --from "$d" --out "$WORK/notices"
check "says which files" contains "$WORK/out" "已生成 示范村"
check "the txt file is there" sh -c "ls '$WORK/notices'/公示_*村内公示_$d.txt >/dev/null"
check "the xlsx holds the household" sh -c "unzip -p '$WORK/notices'/公示_*村内公示_$d.xlsx xl/sharedStrings.xml | grep -q '$who'"
run_tz 0 "nothing to announce today" notice exit $O --stage announce
run_tz 2 "a notice needs identify or exit" notice $O
run_tz 2 "an unknown stage is a usage error" notice exit $O --stage board

finish
