# test_tui_walk.sh — a new village officer's first day, typed at 80x24 with
# Chinese input, compared screen by screen with golden files (issue 15's "done
# when"): open the demo store; add a household and its members; fill two of
# its sector ledgers (住房, 医疗); record a visit; open a problem and close it
# off; trust the town office's key (its fingerprint confirmed); export the
# first bundle. The walk runs twice, under TERM=xterm-256color and TERM=linux,
# against the same golden screens.
#
# On every screen of the walk no lowercase ASCII identifier shows (a code such
# as `poor` or `household_id` leaking past its Chinese label): words of
# lowercase letters are looked for after taking away paths, key and bundle file
# names and device ids (hex), the only lowercase an officer is meant to see;
# key names (F2, Enter, Esc, Tab) are capitalised and pass.
#
# The walk finds menu items and tabs by their words (tui_menu_open,
# tui_tab_to), never by their places: menus move. When screens change on
# purpose, `make golden` (tests/cli/golden.sh --refresh) rewrites the files.
. "$(dirname "$0")/lib.sh"
# A bundle's size in bytes depends on when its rows were written.
GOLDEN_MASK_EXTRA='s/\(项 *\)[0-9]\{4,\}$/\1######/'
tui_setup walk 2019-04-20 taizhang-demo
T="$WORK/t.tzs"
USB="$WORK/usb"
mkdir -p "$USB"
run_tz 0 "the town office's store" init --store "$T" --town 341522104000 --name 示范镇 \
	--passphrase-file "$P" --kdf-cost min
run_tz 0 "the town's key file on the stick" keys export "$USB/镇扶贫办公钥.key" --store "$T" \
	--passphrase-file "$P"
TOWN_FP=$(sed -n 's/^  指纹： *//p' "$WORK/out" | head -n 1)

HEAD_ID=$(idcard 34152219800305162)
CHILD_ID=$(idcard 34152220080911301)

# The lowercase ASCII words on the screen, once paths, file names and device
# ids are taken away.
identifiers() {
	tui_screen | sed -e 's|[^ ：（“]*/[^ ）”]*||g' \
		-e 's/[A-Za-z0-9_.-]*\.\(tzb\|key\|tzs\|csv\|xlsx\)//g' |
		grep -o '[A-Za-z0-9_]\{2,\}' | grep '[a-z]' | grep -v '[A-Z]' |
		grep -v -x '[0-9a-f]\{8,16\}' | sort -u | tr '\n' ' '
}
# look WHAT: the screen now shows no identifier.
look() {
	words=$(identifiers)
	if [ -z "$words" ]; then ok "$TERM_NOW: no identifier on $1"
	else not_ok "$TERM_NOW: identifiers on $1: $words"; tui_dump "$1"; fi
}
# shot NAME ANCHOR: the golden screen NAME, and no identifier on it.
shot() {
	tui_golden "walk-$1" "$2"
	look "$1"
}
ask_folder() {
	tui_wait "Enter 确定  Esc 取消" >/dev/null
	tui_keys C-u
	tui_type "$1"
	tui_keys Enter
}
pick_first() {
	tui_keys F4
	tui_wait "上下键 选择  Enter 确定" >/dev/null
	tui_keys Enter
}

walk() {
	TERM_NOW=$1
	S="$WORK/v-$1.tzs"
	rm -f "$USB"/*.tzb
	run_tz 0 "$1: a fresh demo village" demo --store "$S" --passphrase-file "$P" --kdf-cost min
	TUI_SOCK="tz-walk-$$-$1"
	TUI_SESSION=walk
	tui_start walk 80 24 "$1" "$S"

	# open demo
	tui_wait "口令：" >/dev/null
	look "the unlock screen"
	tui_type taizhang-demo
	tui_keys Enter
	shot 01-home "还有 11 天"

	# a household with members
	tui_menu_open "住户台账"
	tui_wait "F3 新增" >/dev/null
	tui_keys F3
	tui_wait "*村民小组" >/dev/null
	pick_first
	tui_keys Tab Tab Tab Tab
	tui_type "帮扶中"
	tui_keys Tab Tab
	tui_type "3456.5"
	look "the household form, filled"
	tui_keys F2
	shot 02-new-household "请按 F3 登记户主"
	tui_keys F3
	tui_wait "*身份证号" >/dev/null
	tui_type "欧阳秀兰"
	tui_keys Tab
	tui_type "$HEAD_ID"
	tui_keys Tab
	tui_type "户主"
	look "the member form, filled"
	tui_keys F2
	shot 03-head "已保存"
	tui_keys F3
	tui_wait "*身份证号" >/dev/null
	tui_type "欧阳小明"
	tui_keys Tab
	tui_type "$CHILD_ID"
	tui_keys Tab
	tui_type "子女"
	tui_keys F2
	# (two members are listed in no fixed order: no golden screen here)
	check "$1: the second member is listed" tui_wait "欧阳小明    子女"
	look "the members"

	# its sector ledgers: housing, then the family doctor
	tui_tab_to "鉴定日期"
	tui_keys F3
	tui_wait "*房屋安全等级" >/dev/null
	tui_type "C 级危房"
	tui_keys Tab
	tui_type "2019-03-12"
	tui_keys Tab
	tui_type "已列入计划"
	look "the housing form, filled"
	tui_keys F2
	shot 04-housing "已保存"
	tui_tab_to "签约医生"
	tui_keys F3
	tui_wait "*签约日期" >/dev/null
	tui_type "2019-01-08"
	tui_keys Tab
	tui_type "2019-12-31"
	tui_keys Tab
	tui_type "李建国"
	look "the family doctor form, filled"
	tui_keys F2
	shot 05-doctor "已保存"

	# a visit
	tui_tab_to "帮扶责任人"
	tui_keys F3
	tui_wait "*走访日期" >/dev/null
	pick_first
	tui_keys Tab
	tui_type "2019-04-18"
	tui_keys Tab Space
	look "the visit form, filled"
	tui_keys F2
	shot 06-visit "已保存"
	tui_back "F3 新增"
	tui_back "Esc 退出"

	# a problem, opened and closed off
	tui_menu_open "问题台账"
	tui_wait "F6 方面" >/dev/null
	tui_keys F3
	tui_wait "*整改期限" >/dev/null
	tui_type "欧阳秀兰家未签约家庭医生"
	tui_keys Tab Tab
	tui_type "1"
	tui_keys Tab
	tui_type "5"
	tui_keys Tab
	tui_type "自查"
	tui_keys Tab Tab
	tui_type "各村(居)"
	tui_keys Tab
	tui_type "王芳"
	tui_keys Tab
	tui_type "2019-05-31"
	look "the problem form, filled"
	tui_keys F2
	tui_wait "状态：待整改" >/dev/null
	tui_keys F6
	tui_wait "Enter 确定  Esc 取消" >/dev/null
	tui_keys Enter
	tui_wait "状态：整改中" >/dev/null
	tui_keys F7
	tui_wait "Enter 确定  Esc 取消" >/dev/null
	tui_type "已签约"
	tui_keys Enter
	tui_wait "状态：已整改" >/dev/null
	tui_keys F8
	tui_wait "予以销号" >/dev/null
	tui_keys y
	tui_wait "整改佐证" >/dev/null
	tui_type "签约协议已存档"
	tui_keys Enter
	tui_wait "销号说明" >/dev/null
	tui_keys Enter
	shot 07-problem-closed "状态：已销号"
	tui_back "F6 方面"
	tui_back "Esc 退出"

	# trust the town's key, then export the bundle
	tui_menu_open "数据包"
	tui_wait "1  导出数据包" >/dev/null
	tui_menu_open "导出数据包"
	shot 08-no-town-key "还不能导出数据包"
	tui_keys y
	tui_wait "镇扶贫办的公钥：还没有导入" >/dev/null
	tui_keys F3
	ask_folder "$USB"
	shot 09-key-files "找到的公钥文件 1 个"
	tui_keys Enter
	shot 10-confirm "指纹完全一致吗"
	check "$1: the town's fingerprint is shown to compare" \
		tui_wait "$(echo "$TOWN_FP" | cut -c25-)"
	tui_keys y
	shot 11-trusted "信任的镇扶贫办公钥"
	tui_back "1  导出数据包"
	tui_menu_open "导出数据包"
	ask_folder "$USB"
	shot 12-exported "已写出 1 个数据包（新 1 个）"
	check "$1: the bundle is on the stick" sh -c "ls '$USB'/*.tzb >/dev/null 2>&1"
	tui_back "1  导出数据包"
	tui_back "Esc 退出"
	tui_keys Escape
	tui_wait "退出台账程序" >/dev/null
	tui_keys y
	check "$1: the program exits cleanly" tui_wait_file "$WORK/walk.err" "exit 0"
	check "$1: no sanitizer spoke" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/walk.err'"
	tui kill-server 2>/dev/null
	run_tz 0 "$1: what the walk entered is in the store" query --store "$S" --passphrase-file "$P" \
		"SELECT (SELECT count(*) FROM members WHERE name LIKE '欧阳%'),
		        (SELECT count(*) FROM housing h JOIN members m ON m.household_id = h.household_id
		         WHERE m.name = '欧阳秀兰' AND h.assessed_on = '2019-03-12'),
		        (SELECT count(*) FROM family_doctor WHERE doctor = '李建国'),
		        (SELECT count(*) FROM visits v JOIN members m ON m.household_id = v.household_id
		         WHERE m.name = '欧阳秀兰' AND v.visited_on = '2019-04-18'),
		        (SELECT state FROM problems WHERE title = '欧阳秀兰家未签约家庭医生')"
	check "$1: members, housing, doctor, visit and the closed problem" \
		sh -c "tail -n 1 '$WORK/out' | grep -qx '2,1,1,1,closed'"
}

walk xterm-256color
walk linux
trap - EXIT
finish
