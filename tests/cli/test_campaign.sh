# test_campaign.sh — `taizhang deliverable` and `taizhang unit` on a demo town
# and a demo village: the seed's schedule generated for every village and lead
# unit, late / open / done as of TAIZHANG_TODAY, a hand-in recorded and the
# town's confirmation, the village refused when it confirms, units by code or
# name, an unknown unit refused; and the unit code on a problem.
. "$(dirname "$0")/lib.sh"
printf 'campaign passphrase\n' >"$WORK/p"
export TAIZHANG_TODAY=2019-05-02
T="$WORK/t.tzs"
V="$WORK/v.tzs"
OT="--store $T --passphrase-file $WORK/p"
OV="--store $V --passphrase-file $WORK/p"
q() { "$TZ_BIN" query $1 "$2" | tail -n 1; }

run_tz 0 "a demo town of three villages" demo --store "$T" --town --villages 3 --households 10 --seed 5 --kdf-cost min --passphrase-file "$WORK/p"
run_tz 0 "a demo village" demo --store "$V" --households 10 --seed 5 --kdf-cost min --passphrase-file "$WORK/p"

# ---- the schedule, generated ----
# 3 villages x 6, 15 lead units x 3 (plans, summary, rectification), task 8's
# 7 lead units the projects, task 9's 2 the leaders, 镇扶贫办 the town's summary
check "the town holds 73 deliverables" test "$(q "$OT" "SELECT count(*) FROM deliverables")" = 73
check "the village holds its own 6" test "$(q "$OV" "SELECT count(*) FROM deliverables")" = 6
run_tz 0 "generating again adds nothing" deliverable generate $OT
check "it says so" contains "$WORK/out" "新生成交付事项 0 项"

# ---- late, open, done ----
run_tz 0 "the late ones" deliverable list --state late $OT
check "plans due 5月1日 are late on 5月2日" contains "$WORK/out" "2019-05-01  镇扶贫办          逾期    plans"
check "18 of them: 3 villages and 15 units" contains "$WORK/out" "共 18 项。"
run_tz 1 "the plans need the head's signature" deliverable record plans --unit 镇扶贫办 --on 2019-04-30 $OT
check "the message names the field" contains "$WORK/err" "请填写审签人"
run_tz 0 "the town records 镇扶贫办's plans" deliverable record plans --unit fupin --on 2019-04-30 --by 李四 --signed-by 王镇长 --kept-where "扶贫办档案柜 A-3" $OT
run_tz 0 "and confirms receipt" deliverable confirm plans --unit fupin $OT
run_tz 0 "list 镇扶贫办's" deliverable list --unit 镇扶贫办 $OT
check "done, by whom, kept where, confirmed" contains "$WORK/out" "已完成  plans  专项整改行动具体实施方案（经单位主要负责同志审签后报镇扶贫办）；2019-04-30 由 李四 提交，审签 王镇长，存于 扶贫办档案柜 A-3；镇扶贫办 2019-05-02 确认收到"
run_tz 0 "counts" deliverable counts $OT
check "the total: 1 done, 17 late" sh -c "grep '^合计' '$WORK/out' | grep -q ' 1 .* 17 '"
run_tz 1 "the town does not record a village's" deliverable record plans --village 341522104201 --on 2019-04-30 --signed-by 张书记 $OT
check "it says the village records it" contains "$WORK/err" "由村里登记提交"
run_tz 1 "a deliverable the schedule does not have" deliverable record nosuch --unit fupin --on 2019-04-30 $OT
check "the kinds are listed" contains "$WORK/err" "plans、staff"
TAIZHANG_TODAY=2019-04-30 run_tz 0 "before the due date" deliverable list --state late $OT
check "nothing is late on 4月30日" contains "$WORK/out" "共 0 项。"

# ---- the village records its own; it cannot confirm ----
run_tz 0 "the village records its plans" deliverable record plans --on 2019-04-30 --by 高刚 --signed-by 张书记 --kept-where "村部档案室" $OV
run_tz 2 "the village cannot confirm" deliverable confirm plans $OV
check "only the town confirms" contains "$WORK/err" "确认收到由镇扶贫办办理"
check "the row is not confirmed" test "$(q "$OV" "SELECT count(*) FROM deliverables WHERE confirmed_on IS NOT NULL")" = 0

# ---- units ----
run_tz 0 "unit list" unit list $OT
check "镇扶贫办 is a unit" contains "$WORK/out" "fupin           镇扶贫办"
run_tz 0 "unit show by name" unit show 镇卫生院 $OT
check "it leads task 5" contains "$WORK/out" "牵头 任务5 狠抓健康脱贫政策落实"
check "its problems of three villages" contains "$WORK/out" "问题：3 个"
check "its deliverables" contains "$WORK/out" "交付事项：4 项，已完成 0，未到期 3，逾期 1"
run_tz 1 "an unknown unit" unit show 住建所 $OT
check "is named in the refusal" contains "$WORK/err" "“住建所”不是本镇的单位"
run_tz 1 "a problem for an unknown unit" problem add --area 7 --task 7 --title 危房 --unit 住建所 --person 李四 --deadline 2019-05-30 $OV
check "the message names the field" contains "$WORK/err" "责任单位“住建所”不是本镇的单位"
run_tz 0 "a problem for a unit by its name" problem add --area 7 --task 7 --title 危房 --unit 镇危改办 --person 李四 --deadline 2019-05-30 $OV
check "is stored as the unit's code" test "$(q "$OV" "SELECT responsible_unit FROM problems WHERE title = '危房'")" = weigai
run_tz 0 "problem list" problem list $OV
check "shows the unit's name" contains "$WORK/out" "镇危改办"

# ---- on screen, at the town ----
if command -v tmux >/dev/null; then
	TUI_SOCK="tz-campaign-$$"
	TUI_SESSION=town
	trap 'tui kill-server 2>/dev/null' EXIT
	tui -f /dev/null new-session -d -s town -x 80 -y 24 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
		-e TAIZHANG_TODAY=2019-05-02 -e ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
		"cd '$WORK' && '$TZ_BIN' --store '$T' 2>'$WORK/tui.err'; echo \"exit \$?\" >>'$WORK/tui.err'; sleep 60"
	tui_wait "口令：" >/dev/null
	tui_type "campaign passphrase"
	tui_keys Enter
	check "the town's home counts the deliverables" tui_wait "交付事项 完成 1，未到期 55，逾期 17"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do tui_keys Down; done # the last item
	tui_keys Enter
	check "the town's menu of deliverables and units" tui_wait "2  责任单位台账"
	tui_keys 1
	check "every deliverable listed" tui_wait "显示：全部（F5）  共 73 项"
	tui_keys F5
	check "F5: the late ones" tui_wait "显示：逾期的（F5）  共 17 项"
	tui_keys Down
	tui_keys F2
	check "a village's hand-in is the village's" tui_wait "由村里登记提交；镇里收到后按 F6 确认收到"
	tui_keys Escape
	tui_wait "2  责任单位台账" >/dev/null # a digit right after Esc would read as F2
	tui_keys 2
	check "the units" tui_wait "镇财政所"
	tui_keys Enter
	check "a unit's sheet" tui_wait "镇财政所（caizheng）"
	check "its tasks" tui_wait "任务：牵头2，牵头3，牵头8，参加10"
	check "its late deliverable" tui_wait "交付事项 4 项：已完成 0，未到期 3，逾期 1"
	tui_keys Escape Escape Escape Escape
	tui_wait "退出台账程序" >/dev/null
	tui_keys y
	check "the screen exits cleanly" tui_wait_file "$WORK/tui.err" "exit 0"
	check "and no sanitizer spoke" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/tui.err'"
fi

finish
