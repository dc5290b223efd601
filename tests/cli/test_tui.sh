# test_tui.sh — the officer's screen in a real terminal, walked as a new officer
# would: tmux at 80x24 (-f /dev/null, a private socket, LANG=C.UTF-8), Chinese
# typed with send-keys -l, every screen checked with capture-pane.
#
# Unlock with a wrong then the right passphrase; add a household with a Chinese
# name and members, an invalid ID number refused with the field named and
# everything typed kept, a second head refused with the cursor back on the
# relation; find it again by part of the name; record a visit; open
# a problem and close it off; resize to 100x30 and back (and below 80x24); quit,
# reopen, and everything is still there; the report screen shows its bars and
# its sections. Home, the closed problem (80x24 and 120x40) and the too-small
# notice are also compared whole with golden screens (tests/golden/tui-*).
# At 160x24 a household's visits (16) page by the 15 rows the tab shows.
. "$(dirname "$0")/lib.sh"
tui_setup tui 2019-04-20 'tui passphrase'
TUI_SESSION=tui
tui_demo_village 30 4

HEAD_ID=$(idcard 34152219800305162)
CHILD_ID=$(idcard 34152220080911301)
GIRL_ID=$(idcard 34152220120305302)
BAD_ID="${HEAD_ID%?}$(( (${HEAD_ID#?????????????????} + 1) % 10 ))"
[ "${HEAD_ID#?????????????????}" = X ] && BAD_ID="${HEAD_ID%?}0"

start() { tui_start tui 80 24 "" "$S"; }
# (the trap tui_setup set kills whichever server TUI_SOCK names when the script ends)

start
check "the unlock screen asks for the passphrase" tui_wait "口令："
tui_type "not the passphrase"
tui_keys Enter
check "a wrong passphrase says so" tui_wait "口令不正确"
check "and the screen stays on unlock" tui_wait "台账 | 解锁"
tui_type "tui passphrase"
tui_keys Enter
check "the right one opens the home screen" tui_wait "首页"
check "home shows the village at a glance" tui_wait "建档立卡户 30 户"
check "home shows the deadlines with days left" tui_wait "还有 11 天"
tui_golden tui-home-80x24 "还有 11 天"

tui_keys 1
check "the household list" tui_wait "住户台账"
tui_keys F3
check "a new household's form" tui_wait "*村民小组"
tui_keys F4
check "the villager group picker" tui_wait "上下键 选择  Enter 确定"
tui_keys Enter
tui_keys Tab
tui_keys Tab
tui_keys Tab
# a phone number of five digits: the message (about 90 columns) says how to
# write one, and its end shows on the line above the key bar's
tui_type "12345"
tui_keys F2
check "a wrong phone number is refused, the field named" tui_wait "联系电话“12345”不对"
check "and the end of the message, how to write it, is not cut off" tui_wait "0564-1234567）"
tui_keys C-u
tui_keys Tab
tui_type "帮扶中"
tui_keys Tab
tui_keys Tab
tui_type "3456.5"
tui_keys F2
check "saved, the new household opens for its members" tui_wait "请按 F3 登记户主"
tui_keys F3
check "the member form" tui_wait "*身份证号"
tui_type "欧阳秀兰"
tui_keys Tab
tui_type "$BAD_ID"
tui_keys Tab
tui_type "户主"
tui_keys F2
check "an invalid ID number is refused, naming the field" tui_wait "身份证号最后一位校验码不对"
check "what was typed is kept: the name" tui_wait "欧阳秀兰"
check "what was typed is kept: the ID number" tui_wait "$BAD_ID"
check "what was typed is kept: the relation" tui_wait "户主"
tui_keys BSpace
tui_type "${HEAD_ID#?????????????????}"
check "sex and age are computed from the ID number" tui_wait "39"
tui_keys F2
check "the head is saved and listed" tui_wait "欧阳秀兰"
tui_keys F3
tui_wait "*身份证号"
tui_type "欧阳小明"
tui_keys Tab
tui_type "$CHILD_ID"
tui_keys Tab
tui_type "户主"
tui_keys Tab
tui_keys F2
check "a second head is refused by the household's rule" tui_wait "一户只能有一位户主"
# The cursor went back to the relation: the fix is typed there.
tui_keys BSpace
tui_keys BSpace
tui_type "子女"
tui_keys F2
check "a second member" tui_wait "欧阳小明"
# A third, added with the selection on the second row: the list (newest
# first) then selects the one just added, wherever it lands.
tui_keys Down
tui_keys F3
tui_wait "*身份证号"
tui_type "王小红"
tui_keys Tab
tui_type "$GIRL_ID"
tui_keys Tab
tui_type "子女"
tui_keys F2
check "a third member" tui_wait "王小红"
row_of() { tui_screen | grep -n -F -- "$1" | head -n 1 | cut -d: -f1; }
cursor_row() { echo $(( $(tui display -p -t "$TUI_SESSION" '#{cursor_y}') + 1 )); }
on_row() { [ "$(row_of "$1")" = "$(cursor_row)" ]; }
check "the selection stays on the member just added" tui_poll "" on_row "王小红"
tui_keys Escape
check "back to the list" tui_wait "住户台账"
tui_type "欧阳"
check "search as you type finds it by part of the name" tui_wait "欧阳秀兰"
check "and only it" tui_wait "共 1 户"

tui_keys Enter
tui_wait "户主：欧阳秀兰"
for i in 1 2 3 4; do tui_keys Left; done # 走访, the last ledger before 问题, 成员变动, 历史
check "the visits tab" tui_wait "帮扶责任人"
tui_keys F3
check "the visit form" tui_wait "*走访日期"
tui_keys F4
tui_wait "上下键 选择  Enter 确定"
tui_keys Enter
tui_keys Tab
tui_type "2019-04-25"
tui_keys Tab
tui_keys Space
tui_keys F2
check "a visit in the future is refused" tui_wait "不能晚于今天"
for i in 1 2 3 4 5 6 7 8 9 10; do tui_keys BSpace; done
tui_type "2019-04-18"
tui_keys F2
check "the visit is recorded" tui_wait "2019-04-18"

tui_keys Escape
tui_keys Escape
check "home again" tui_wait "数字键 直接打开"
tui_keys 2
check "the problem ledger" tui_wait "F6 方面"
tui_keys F3
check "the problem form" tui_wait "*整改期限"
tui_type "欧阳秀兰家未签约家庭医生"
tui_keys Tab
tui_keys Tab
tui_type "1"
tui_keys Tab
tui_type "5"
tui_keys Tab
tui_type "自查"
tui_keys Tab
tui_keys Tab
tui_type "镇卫生院"
tui_keys Tab
tui_type "王芳"
tui_keys Tab
tui_type "2019-05-31"
tui_keys F2
check "the new problem's page" tui_wait "问题：欧阳秀兰家未签约家庭医生"
check "it is open" tui_wait "状态：待整改"
check "an open problem's key bar offers its moves only" tui_wait "F4 修改  F6 整改中  F7 已整改  Esc 返回"
check "its unit by name (stored as a code)" tui_wait "责任单位：镇卫生院"
tui_keys F6
tui_wait "Enter 确定  Esc 取消"
tui_keys Enter
check "rectifying" tui_wait "状态：整改中"
tui_keys F7
tui_wait "Enter 确定  Esc 取消"
tui_type "已签约"
tui_keys Enter
check "rectified" tui_wait "状态：已整改"
tui_keys F8
tui_wait "予以销号"
tui_keys y
tui_wait "整改佐证"
tui_type "签约协议已存档"
tui_keys Enter
tui_wait "销号说明"
tui_keys Enter
check "closed off with its evidence" tui_wait "状态：已销号"
tui_keys Escape
check "closed problems leave the default list" tui_lacks "欧阳秀兰家未签约家庭医生" "F6 方面"
tui_keys F5
tui_keys F5
check "the full ledger lists it as closed" tui_match '已销号.*欧阳秀兰家未签约家庭医生'
tui_keys /
tui_wait "查找问题"
tui_type "欧阳"
tui_keys Enter
check "/ finds problems by a word of their title" tui_wait "共 1 个"
tui_keys Enter
tui_wait "状态：已销号"
check "the history names the user" tui_wait "管理员"

tui resize-window -t tui -x 100 -y 30
check "resized to 100x30; a closed problem offers only to reopen it" tui_wait "F1 帮助  F4 修改  F9 重新整改  Esc 返回"
tui resize-window -t tui -x 120 -y 40
tui_wait_row 40 "F1 帮助"
tui_golden tui-problem-closed-120x40 "F1 帮助  F4 修改  F9 重新整改  Esc 返回"
tui resize-window -t tui -x 60 -y 20
check "below 80x24 a notice instead of a broken layout" tui_wait "终端窗口太小"
tui_golden tui-too-small-60x20 "终端窗口太小"
tui resize-window -t tui -x 80 -y 24
check "back at 80x24" tui_wait "状态：已销号"
tui_wait_row 24 "F1 帮助"
tui_golden tui-problem-closed-80x24 "状态：已销号"
tui_keys Escape
tui_keys Escape
tui_wait "数字键 直接打开"
tui_keys Escape
check "quitting asks first" tui_wait "退出台账程序"
tui_keys y
check "the program exits cleanly" tui_wait_file "$WORK/tui.err" "exit 0"
check "no sanitizer report" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/tui.err'"
tui kill-server 2>/dev/null
TUI_SOCK="$TUI_SOCK-again" # a fresh server: the old one may still be going away

start
tui_wait "口令："
tui_type "tui passphrase"
tui_keys Enter
tui_wait "首页"
tui_keys 1
tui_type "欧阳"
check "after reopening, the household is still there" tui_wait "欧阳秀兰"

# The report screen: bars first, then the report's sections one by one.
tui_keys Escape
tui_wait "数字键 直接打开"
n=$(tui_screen | sed -n 's/^ *\([0-9]\)  整改报表.*/\1/p')
check "home offers the report" test -n "$n"
tui_keys "$n"
check "the report opens on its charts" tui_wait "[图表]"
check "problems closed off per responsible person" tui_wait "问题销号率（按责任人）"
check "a bar drawn in #, then its rate" tui_match '#\{4,\}[.]* *[0-9]*[.][0-9]%'
check "the person who closed the problem has a full bar" tui_match '王芳.*100[.]0%  1/1'
check "visits per cadre" tui_wait "走访达标率（按帮扶责任人）"
tui_keys F5
check "F5: the report's sections, the cover first" tui_wait "[报表 1/41：封面]"
tui_keys Tab
check "Tab: the next section, as the text report has it" tui_wait "【概况】"
check "its figures" tui_wait "建档立卡户（期末，户）"
tui_keys Escape
check "back home from the report" tui_wait "数字键 直接打开"
tui_keys Escape
tui_wait "退出台账程序"
tui_keys y
check "after the report the program exits cleanly" tui_wait_file "$WORK/tui.err" "exit 0"
check "and no sanitizer spoke" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/tui.err'"

# A household's tab with more rows than the screen: PgDn moves by the rows
# shown. At 160x24 the tabs take one line (two at 80 columns), so the table's
# header is line 6 and its 15 rows lines 7-21; the household with the most
# visits gets nine more, 16 at least.
# tzq SQL: the last line of a query's CSV.
tzq() { "$TZ_BIN" query --store "$S" --passphrase-file "$P" "$1" | tail -n 1; }
tzq "SELECT household_id, cadre_id FROM visits GROUP BY household_id
     ORDER BY count(*) DESC, household_id LIMIT 1" >"$WORK/most"
IFS=, read -r most cadre <"$WORK/most"
for d in 01 02 03 04 05 06 07 08 09; do
	run_tz 0 "visit $d added" record add visits household_id="$most" cadre_id="$cadre" \
		visited_on="2019-03-$d" explain_policy=是 --store "$S" --passphrase-file "$P"
done
head=$(tzq "SELECT name FROM members WHERE household_id = '$most' AND relation = 'head'")
TUI_SESSION=wide
tui_start wide 160 24 "" "$S"
tui_wait "口令：" >/dev/null
tui_type "tui passphrase"
tui_keys Enter
tui_wait "数字键 直接打开" >/dev/null
tui_keys 1
tui_type "$head"
tui_keys Enter
check "the household opens at 160x24" tui_wait "户主：$head"
for tab in 历史 成员变动 问题 走访; do
	tui_screen >"$WORK/tab.before"
	tui_keys Left
	tui_poll "" tui_changed "$WORK/tab.before"
done
check "its visits' tab, the fourth from the end" tui_wait_row 6 "日期        帮扶责任人"
check "the first visit is picked" tui_wait_cursor_row 7
tui_pages_by_rows 7 21 "住户 走访"
tui_back "打字即查找"
tui_back "数字键 直接打开"
tui_keys Escape
tui_wait "退出台账程序" >/dev/null
tui_keys y
check "the wide screen exits cleanly" tui_wait_file "$WORK/wide.err" "exit 0"
check "and no sanitizer spoke there" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/wide.err'"
tui kill-server 2>/dev/null
trap - EXIT
# Under a locale that is not UTF-8 the screen refuses to start, saying why.
TUI_SOCK="$TUI_SOCK-c"
TUI_SESSION=c
tui -f /dev/null new-session -d -s c -x 80 -y 24 -e LANG=C -e LC_ALL=C \
	"'$TZ_BIN' --store '$S' 2>'$WORK/c.err'; echo \"exit \$?\" >>'$WORK/c.err'; sleep 30"
check "a non-UTF-8 locale is refused" tui_wait_file "$WORK/c.err" "不是 UTF-8"
check "and the program exits with 1" tui_wait_file "$WORK/c.err" "exit 1"
tui kill-server 2>/dev/null
run_tz 0 "query the visit and the problem" query --store "$S" --passphrase-file "$P" \
	"SELECT (SELECT count(*) FROM visits v JOIN members m ON m.household_id = v.household_id
	         WHERE m.name = '欧阳秀兰' AND v.visited_on = '2019-04-18' AND v.explain_policy + v.collect_info >= 1),
	        (SELECT state || ':' || evidence FROM problems WHERE title = '欧阳秀兰家未签约家庭医生'),
	        (SELECT count(*) FROM members WHERE name LIKE '欧阳%')"
check "everything was saved" sh -c "tail -n 1 '$WORK/out' | grep -qx '1,closed:签约协议已存档,2'"
# Every screen's help (F1) reads as written at 80 columns: each line fits the
# box's 74 columns inside (the box wraps a longer line rather than cut it, but
# a wrap in mid-sentence reads badly). wc -L counts a Chinese character as 2.
wide=$(for f in "$(dirname "$0")"/../../src/tui/help/*.txt; do
	n=$(LC_ALL=C.UTF-8 wc -L <"$f")
	[ "$n" -le 74 ] || printf '%s:%s ' "$(basename "$f")" "$n"
done)
check "every help line fits 74 columns${wide:+ (not: $wide)}" test -z "$wide"
finish
