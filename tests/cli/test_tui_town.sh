# test_tui_town.sh — the town office's screen in a real terminal, walked as the
# town's officer would: tmux at 80x24 (-f /dev/null, a private socket,
# LANG=C.UTF-8), Chinese typed with send-keys -l, every screen checked with
# capture-pane.
#
# A demo village and a town store, keys exchanged on the command line (keys
# export, trust --yes, enroll --yes), the village's bundle written with
# `bundle export`. Then in the town's screen: the town home; a bad folder
# refused in plain words; the folder imported with one result line per bundle;
# the village in 各村上报情况; the empty conflict ledger; a problem dispatched
# with a Chinese title (and found by `problem list`); the village's households,
# a member, its problem ledger and a problem read-only, every edit key refused;
# a problem closed off at the town while the village reopened it; the village's
# next bundle written from the village's own screen (数据包 on its home);
# imported at the town it makes a conflict, seen in the ledger and marked
# handled with a Chinese note; the town's bundle back to the village carries the
# dispatched problem. 审核 (18 rows) and an import under the fork alert (13
# bundles) page by the rows they show.
. "$(dirname "$0")/lib.sh"
tui_setup town 2019-04-20 'town passphrase'
V="$WORK/v.tzs"
T="$WORK/t.tzs"
mkdir -p "$WORK/usb" "$WORK/usb2" "$WORK/usb3"

run_tz 0 "demo village" demo --store "$V" --households 12 --seed 5 --passphrase-file "$P" --kdf-cost min
run_tz 0 "town store" init --store "$T" --town 341522104000 --name 城关镇 --passphrase-file "$P" --kdf-cost min
run_tz 0 "the village's key" keys export "$WORK/v.key" --store "$V" --passphrase-file "$P"
run_tz 0 "the town's key" keys export "$WORK/t.key" --store "$T" --passphrase-file "$P"
run_tz 0 "the village trusts the town" trust "$WORK/t.key" --yes --store "$V" --passphrase-file "$P"
run_tz 0 "the town enrols the village" enroll "$WORK/v.key" --yes --store "$T" --passphrase-file "$P"
run_tz 0 "the village writes its bundle" bundle export --to "$WORK/usb" --store "$V" --passphrase-file "$P"
# A problem the village has rectified (with evidence): the town will close it off.
run_tz 0 "a rectified problem" query --store "$V" --passphrase-file "$P" \
	"SELECT id, title FROM problems WHERE state = 'rectified' AND evidence IS NOT NULL ORDER BY deadline, id LIMIT 1"
RECT_ID=$(tail -n 1 "$WORK/out" | cut -d, -f1)
RECT_TITLE=$(tail -n 1 "$WORK/out" | cut -d, -f2)
check "the demo has a rectified problem" test -n "$RECT_TITLE"

TUI_SESSION=town
# start SESSION STORE: the screen on STORE in a new tmux session, unlocked.
start() {
	TUI_SESSION=$1
	tui_start "$1" 80 24 "" "$2"
	tui_wait "口令：" >/dev/null
	tui_type "town passphrase"
	tui_keys Enter
}
# quit: from a home screen, leave the program.
quit() {
	tui_keys Escape
	tui_wait "退出台账程序" >/dev/null
	tui_keys y
}
# ask_folder PATH: answer the folder prompt (which offers the last one) with PATH.
ask_folder() {
	tui_wait "Enter 确定  Esc 取消" >/dev/null
	tui_keys C-u
	tui_type "$1"
	tui_keys Enter
}

start town "$T"
check "a town store opens on the town's home" tui_wait "首页（镇扶贫办）"
check "the home names the town office" tui_wait "城关镇（341522104000）镇扶贫办"
check "no village has handed in yet" tui_wait "已上报的村 0 个（共 1 个）"
check "the town's menu: import" tui_wait "1  导入数据包"
check "the town's menu: read-only look at villages" tui_wait "6  查看各村台账（只读）"
check "the village's menu is not shown" tui_lacks "攻坚任务（精准核查" "6  查看各村台账（只读）"
check "at 80x24 the home still names the earliest deadline" tui_wait "时间节点共 7 个，最早：2019-05-01"

tui_keys 1
check "import asks for the folder, offering /media" tui_wait "/media"
ask_folder "$WORK/nothing-here"
check "a missing folder is said in plain words, on the screen" tui_wait "没有导入："
tui_keys F5
ask_folder "$WORK/usb"
check "the import lists the bundle with its outcome and village" tui_wait "已导入    示范村"
check "the import's summary" tui_wait "共 1 个：已导入 1，重复 0"
check "the selected bundle's file" tui_wait "文件：341522104201-to-town-"
tui_keys Down
check "the result stays until the officer leaves" tui_wait "已导入    示范村"
check "the import's key bar" tui_wait "F5 再导入  Esc 返回"
tui_keys Escape
check "home counts the village as handed in" tui_wait "已上报的村 1 个（共 1 个）"
check "home counts its households" tui_wait "各村建档立卡户合计 12 户"

tui_keys 3
check "each village's hand-ins" tui_wait "341522104201  示范村"
check "the villages screen says the last hand-in" tui_wait "已导入到第 1 号数据包"
check "the villages screen's key bar" tui_wait "Enter 查看该村台账（只读）"
tui_back "数字键 直接打开"
tui_keys 4
check "the conflict ledger, empty" tui_wait "没有未处理的冲突。"
check "the conflict ledger's key bar" tui_wait "F6 标为已处理"
tui_back "数字键 直接打开"

tui_keys 5
check "dispatch: choose the village" tui_wait "派单给哪个村"
check "the village is listed with its households" tui_wait "12 户"
tui_keys Enter
check "the dispatch form names the village" tui_wait "派给 示范村（341522104201）"
check "the source is preset to dispatch" tui_wait "镇派单"
tui_type "镇里派单：低保评议结果未公示"
tui_keys Tab
tui_keys Tab
tui_type "6"
tui_keys Tab
tui_type "11"
tui_keys Tab
tui_keys Tab
tui_keys Tab
tui_keys Tab
tui_type "李明"
tui_keys Tab
tui_type "2019年5月31日"
tui_keys F2
check "the dispatched problem's page" tui_wait "问题：镇里派单：低保评议结果未公示"
check "it says dispatched, to the village" tui_wait "已派单给示范村"
check "its village is shown" tui_wait "村：示范村（341522104201）  镇派单"
run_tz 0 "problem list at the town" problem list --store "$T" --passphrase-file "$P"
check "problem list at the town has the dispatched problem" contains "$WORK/out" "镇里派单：低保评议结果未公示"
run_tz 0 "query the dispatched problem" query --store "$T" --passphrase-file "$P" \
	"SELECT village_code, source, owner, deadline FROM problems WHERE title = '镇里派单：低保评议结果未公示'"
check "dispatched to the village, from the town, with its deadline" \
	sh -c "tail -n 1 '$WORK/out' | grep -qx '341522104201,dispatch,341522104000,2019-05-31'"
tui_keys Escape
tui_keys Escape
tui_wait "首页（镇扶贫办）" >/dev/null

tui_keys 6
check "look at a village: choose it" tui_wait "查看哪个村的台账"
tui_keys Enter
check "the village's read-only menu" tui_wait "示范村（只读）"
tui_keys 1
check "its households, read-only" tui_wait "住户台账（示范村，只读）"
check "all of its households" tui_wait "共 12 户"
check "the key bar says 只读" tui_wait "F1 帮助  只读"
check "no add key is offered" tui_lacks "F3 新增" "F1 帮助  只读"
tui_keys F3
check "F3 is refused as read-only" tui_wait "只读：这里只能查看"
check "and no form opened" tui_lacks "*村民小组" "只读：这里只能查看"
tui_keys Enter
check "a household, read-only" tui_wait "住户（只读）"
check "its members are listed" tui_wait "户主"
tui_keys F5
check "editing the household is refused" tui_wait "只读：这里只能查看"
tui_keys Enter
check "a member, read-only, codes as words" tui_wait "家庭成员（只读）"
tui_type "x"
check "typing into a read-only record is refused" tui_wait "只读：这里只能查看，不能修改"
tui_keys F2
check "nothing to save: still read-only" tui_wait "家庭成员（只读）"
tui_keys Escape
tui_keys Escape
tui_keys Escape
tui_wait "示范村（只读）" >/dev/null
tui_keys 2
check "its problem ledger, read-only" tui_wait "问题台账（示范村，只读）"
check "the dispatched problem is in the village's ledger" tui_wait "镇里派单：低保评议结果未公示"
tui_keys F3
check "filing a problem here is refused" tui_wait "只读：这里只能查看，不能登记问题"
tui_keys Enter
check "a problem, read-only" tui_wait "问题（只读）"
tui_keys F8
check "closing off is refused in the read-only view" tui_wait "只读：这里只能查看，不能修改"
check "and nothing moved" tui_lacks "已销号" "只读：这里只能查看，不能修改"
tui_keys Escape
tui_keys Escape
tui_wait "示范村（只读）" >/dev/null
# The village's 低保 comparison: with the roster the village handed in, then
# with the county's the town imports, which is newer (one 低保 household of
# 示范村 that is not registered).
check "the read-only menu offers the village's 低保 comparison" tui_wait "3  低保比对"
tui_keys 3
check "the village's 低保 comparison opens" tui_wait "低保比对（示范村）"
check "with the roster the village handed in" tui_wait "低保名册：霍邱县农村低保对象名册"
check "and the village's registered households" tui_wait "建档立卡 12 户"
tui_keys Escape
tui_wait "示范村（只读）" >/dev/null
printf '户主姓名,户主身份证号,姓名,身份证号,所在村\n赵四,%s,赵四,%s,示范村\n' \
	"$(idcard 34152219580101002)" "$(idcard 34152219580101002)" >"$WORK/county-dibao.csv"
tui_keys 3
tui_wait "低保名册：霍邱县农村低保对象名册" >/dev/null
tui_keys F3
check "F3 there asks for the county roster's file" tui_wait "低保名册 CSV 文件的位置"
tui_type "$WORK/county-dibao.csv"
tui_keys Enter
check "the town imports it" tui_wait "已导入低保名册"
check "now the village is compared with its rows of the county roster" tui_wait "低保名册：county-dibao.csv"
check "its one 低保 household is not registered" tui_wait "低保户未建档立卡 1 户"
check "the fourth list is named too" tui_wait "4 在名册台账未登记低保"
tui_keys Right
check "the 低保 household not registered is listed" tui_wait "赵四"
tui_keys Escape
tui_keys Escape
tui_keys Escape
tui_wait "首页（镇扶贫办）" >/dev/null

# The town closes off a problem the village had rectified ...
tui_keys 7
check "the town's problem ledger names each problem's village" tui_wait "问题台账（全镇）"
check "with a village column" tui_wait "示范村"
tui_keys /
tui_wait "查找问题" >/dev/null
tui_type "$RECT_TITLE"
tui_keys Enter
check "the rectified problem found" tui_wait "共 1 个"
tui_keys Enter
tui_wait "状态：已整改" >/dev/null
tui_keys F8
tui_wait "予以销号" >/dev/null
tui_keys y
tui_wait "销号说明" >/dev/null
tui_type "镇扶贫办核实验收资料"
tui_keys Enter
check "the town closes it off" tui_wait "状态：已销号"
tui_keys Escape
tui_keys Escape
tui_wait "首页（镇扶贫办）" >/dev/null

# ... while the village reopened it, and hands in again from its own screen.
run_tz 0 "the village reopens the same problem" problem move "$RECT_ID" reopened --note 资料还缺一页 \
	--store "$V" --passphrase-file "$P"
start village "$V"
check "a village store keeps the village's home" tui_wait "4  攻坚任务（精准核查"
check "with the bundle entry" tui_wait "7  数据包"
tui_keys 0
check "the village's users screen" tui_wait "能打开这个台账的用户"
check "it says the town's recovery slot is there and is no user" tui_wait "另有一个镇恢复槽（不是用户）"
tui_back "数字键 直接打开"
tui_keys 7
check "the village's bundle menu" tui_wait "1  导出数据包"
check "it says what is not yet acknowledged" tui_wait "镇里还没确认收到的数据包 1 个"
tui_keys 1
ask_folder "$WORK/usb2"
check "the village's export lists what it wrote" tui_wait "已写出 2 个数据包（新 1 个）"
check "the bundle written again is said so" tui_wait "重写"
tui_keys Escape
tui_keys Escape
quit
check "the village's screen exits cleanly" tui_wait_file "$WORK/village.err" "exit 0"
TUI_SESSION=town

tui_keys 1
check "the folder offered is the last one" tui_wait "$WORK/usb"
ask_folder "$WORK/usb2"
check "the replay is a duplicate" tui_wait "重复      示范村"
check "the new bundle is applied" tui_wait "已导入    示范村        第 2 号"
check "its conflict is announced" tui_wait "有 1 处冲突记进了冲突台账"
tui_keys Escape
check "home shows the open conflict" tui_wait "未处理的冲突 1 条"
tui_keys 3
check "the village's line counts the conflict" tui_match '341522104201  示范村 .* 1    0$'
tui_back "数字键 直接打开"
tui_keys 4
check "the conflict is listed" tui_wait "两边都改过，保留本机的"
tui_keys Enter
check "its detail names the problem" tui_wait "记录：问题“$RECT_TITLE”（现在：已销号）"
check "and the village" tui_wait "村：示范村（341522104201）    第 2 号数据包"
tui_keys F6
check "marking it handled asks what was done" tui_wait "是怎么处理的"
tui_type "已与村里核实，以镇里的销号为准"
tui_keys Enter
check "the conflict is marked handled" tui_wait "冲突 #1 已标为处理过。"
check "with the note typed in Chinese" tui_wait "标为已处理：已与村里核实，以镇里的销号为准"
tui_keys Escape
check "no open conflict left" tui_wait "没有未处理的冲突。"
tui_keys F5
check "the full ledger lists it as handled" tui_wait "已处理"
tui_back "数字键 直接打开"

tui_keys 2
ask_folder "$WORK/usb3"
check "the town writes the village's bundle" tui_wait "已写出 1 个数据包"
check "the town's export lists the village" tui_wait "新写  示范村"
tui_keys Escape
quit
check "the town's screen exits cleanly" tui_wait_file "$WORK/town.err" "exit 0"
check "no sanitizer report" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/town.err' '$WORK/village.err'"
tui kill-server 2>/dev/null
trap - EXIT

run_tz 0 "the conflict ledger from the command line" bundle conflicts --all --store "$T" --passphrase-file "$P"
check "the town accepts the demo projects' stages (proposals: A4)" accept_proposals "$T" "$P"
check "the note was saved" contains "$WORK/out" "已与村里核实，以镇里的销号为准"
run_tz 0 "the village imports the town's bundle" bundle import "$WORK/usb3" --store "$V" --passphrase-file "$P"
run_tz 0 "the village's problem list" problem list --store "$V" --passphrase-file "$P"
check "the dispatched problem reached the village" contains "$WORK/out" "镇里派单：低保评议结果未公示"
# ---- 销号 of a dispatched problem: the village asks (F8), the town decides (待审事项) ----
DISP="镇里派单：低保评议结果未公示"
DISP_ID=$("$TZ_BIN" query --store "$V" --passphrase-file "$P" "SELECT id FROM problems WHERE title = '$DISP'" | tail -n 1)
trap 'tui kill-server 2>/dev/null' EXIT
start village2 "$V"
tui_wait "2  问题台账" >/dev/null
tui_keys 2
tui_wait "问题台账" >/dev/null
tui_keys /
tui_wait "查找问题" >/dev/null
tui_type "$DISP"
tui_keys Enter
check "the village finds the dispatched problem" tui_wait "共 1 个"
tui_keys Enter
check "its page" tui_wait "问题：$DISP"
tui_keys F8
check "F8 on a dispatched problem offers to ask the town" tui_wait "向镇里申请销号"
tui_keys y
check "asking needs evidence" tui_wait "整改佐证"
tui_type "评议结果公示照片两张，存村部"
tui_keys Enter
check "and a note" tui_wait "申请销号说明"
tui_type "已在村务公开栏公示"
tui_keys Enter
check "the screen says 销号 was asked of the town" tui_wait "已申请销号"
check "the problem is rectified, not closed, at the village" tui_wait "状态：已整改"
tui_keys Escape
tui_keys Escape
tui_wait "2  问题台账" >/dev/null
tui_keys 7
tui_wait "5  镇里的审核结果和答复" >/dev/null
tui_keys 5
check "the village's 数据包 menu 5 shows what the town said" tui_wait "镇里的审核结果和答复（随镇里的数据包带回）"
check "the village has no keys to pass or return" test "$(tui_screen | grep -c -e 'F6 通过' -e 'F7 退回')" -eq 0
tui_keys Escape
tui_keys Escape
quit
check "the village's screen exits cleanly" tui_wait_file "$WORK/village2.err" "exit 0"
tui kill-server 2>/dev/null
# The village's store, edited by hand, closes it anyway (with an event).
"$TOOLS/writer" "$V" "$P" sql "UPDATE problems SET state = 'closed' WHERE id = '$DISP_ID';
INSERT INTO problem_events(id, owner, problem_id, from_state, to_state, by_user, at, created_at, updated_at)
VALUES ('c100000000000000000000000000000e', '341522104201', '$DISP_ID', 'rectified', 'closed', '管理员',
'2019-04-20T09:00:00Z', '2019-04-20T09:00:00Z', '2019-04-20T09:00:00Z')"
mkdir -p "$WORK/usb4"
run_tz 0 "the village hands in" bundle export --to "$WORK/usb4" --store "$V" --passphrase-file "$P"
run_tz 0 "the town imports it" bundle import "$WORK/usb4" --store "$T" --passphrase-file "$P"
check "two changes wait for the town" contains "$WORK/out" "待镇里决定"

start town2 "$T"
tui_wait "首页（镇扶贫办）" >/dev/null
check "the town's menu has 待审事项" tui_wait "0  待审事项"
tui_keys 0
check "待审事项 lists the village's request" tui_wait "村里申请销号"
check "and the event it recorded" tui_wait "村里为派单问题记录了"
check "its key bar" tui_wait "F6 同意  F7 不同意"
tui_keys Enter
check "a proposal's detail names the problem and its state here" tui_wait "记录：问题“$DISP”（现在：已整改）"
check "and the village" tui_wait "村：341522104201"
tui_keys F4
check "F4 opens the problem it is about" tui_wait "整改期限："
tui_keys Escape
tui_wait "村：341522104201" >/dev/null
tui_keys Escape
tui_wait "村里为派单问题记录了" >/dev/null
tui_keys Down
tui_keys Home
# the list is in order of arrival: find which row is the event
ROW_EVENT=$(tui capture-pane -p -t town2 | grep -n "村里为派单问题记录了" | cut -d: -f1)
ROW_CLOSE=$(tui capture-pane -p -t town2 | grep -n "村里申请销号" | cut -d: -f1)
[ "$ROW_EVENT" -gt "$ROW_CLOSE" ] && tui_keys Down
tui_keys F7
check "refusing asks why" tui_wait "不同意申请"
tui_type "以镇里的销号记录为准"
tui_keys Enter
check "the refusal is recorded" tui_wait "已记为不同意"
tui_wait "村里申请销号" >/dev/null
tui_keys Home
tui_keys F6
check "accepting asks for a note" tui_wait "同意申请"
tui_type "已实地验收"
tui_keys Enter
check "the acceptance is written" tui_wait "已同意，已作为镇里的修改写入"
check "no proposal waits any more" tui_wait "没有待决定的申请。"
tui_keys F5
check "the full list shows the acceptance" tui_wait "已同意"
check "and the refusal" tui_wait "不同意"
tui_keys Escape
quit
check "the town's screen exits cleanly" tui_wait_file "$WORK/town2.err" "exit 0"
tui kill-server 2>/dev/null
check "the town closed it" test "$("$TZ_BIN" query --store "$T" --passphrase-file "$P" "SELECT state FROM problems WHERE id = '$DISP_ID'" | tail -n 1)" = closed
mkdir -p "$WORK/usb5"
run_tz 0 "the town writes the decision back" bundle export --to "$WORK/usb5" --store "$T" --passphrase-file "$P"
run_tz 0 "the village imports it" bundle import "$WORK/usb5" --store "$V" --passphrase-file "$P"
check "the village holds it closed by the town" test "$("$TZ_BIN" query --store "$V" --passphrase-file "$P" "SELECT count(*) FROM problem_events WHERE problem_id = '$DISP_ID' AND note LIKE '同意村里的申请%'" | tail -n 1)" = 1

# ---- the second wall on the screen: a title with ESC, a bidi override and a
# zero-width space, put in the town's store by SQL, is drawn sanitized ----
"$TOOLS/writer" "$T" "$P" sql "UPDATE problems SET title = 'A' || char(27) || '[31mB' || char(8238) || 'C' || char(8203) || 'D' WHERE id = '$DISP_ID'"
start town3 "$T"
tui_wait "首页（镇扶贫办）" >/dev/null
tui_keys 0
tui_wait "没有待决定的申请" >/dev/null
tui_keys F5
tui_wait "已同意" >/dev/null
# the problem's two proposals came last (the demo projects' stages first):
# open the one about the problem itself, not its event
tui_keys End
tui_keys Enter
tui_poll "" tui_shows "记录：" || true
if tui_shows "记录：problem_events"; then tui_keys Escape; tui_keys Up; tui_keys Enter; fi
check "the hostile title is drawn with U+FFFD for ESC, the override and the zero-width space" tui_wait "记录：问题“A�[31mB�C�D”"
tui_keys Escape
tui_keys Escape
# ---- 审核: the last line of the town's menu, under 待审事项 ----
tui_wait "首页（镇扶贫办）" >/dev/null
tui_keys Down
tui_keys Enter
check "the review screen lists what waits" tui_wait "显示：待审核（F5）"
check "with the step each waits for" tui_wait "待办环节"
check "its key bar" tui_wait "F6 通过  F7 退回"
tui_keys F5
check "F5 shows the record of steps and answers" tui_wait "显示：审核记录（F5）"
check "the town's answers to the village are in it" tui_wait "申请已同意"
tui_keys Escape
quit
# ---- 审核 with more rows than the screen: PgDn moves by the rows shown ----
# 80x24: the list's 14 rows are lines 6-19, the picked one's details line 21.
run_tz 0 "a demo town of six villages" demo --store "$WORK/t6.tzs" --town --villages 6 --households 5 \
	--passphrase-file "$P" --kdf-cost min
start town6 "$WORK/t6.tzs"
tui_menu_open "审核" >/dev/null
check "the review list has more rows than fit" tui_wait "共 18 条"
tui_pages_by_rows 6 19 "审核"
tui_keys Escape
quit
# ---- 导入数据包 under the fork alert, with more rows than the screen ----
# A village's store copied to a second laptop: both write their first bundle,
# the town imports the original; then a folder with the copy's bundle (a fork)
# and the original's twelve times again (duplicates). 80x24: the summary and
# the alert are lines 4-5, the header line 7, 12 rows lines 8-19.
TF="$WORK/tf.tzs"
VF="$WORK/vf.tzs"
run_tz 0 "a town for the fork" init --store "$TF" --town 341522104000 --name 城关镇 \
	--passphrase-file "$P" --kdf-cost min
run_tz 0 "a village for the fork" init --store "$VF" --village 341522104202 --name 李庄村 \
	--passphrase-file "$P" --kdf-cost min
run_tz 0 "its key" keys export "$WORK/vf.key" --store "$VF" --passphrase-file "$P"
run_tz 0 "the town's key" keys export "$WORK/tf.key" --store "$TF" --passphrase-file "$P"
run_tz 0 "the village trusts the town" trust "$WORK/tf.key" --yes --store "$VF" --passphrase-file "$P"
run_tz 0 "the town enrols the village" enroll "$WORK/vf.key" --yes --store "$TF" --passphrase-file "$P"
cp "$VF" "$WORK/vf-copy.tzs"
run_tz 0 "the village records a cadre" record add cadres name=吴九 unit=县水利局 role=帮扶单位干部 \
	--store "$VF" --passphrase-file "$P"
run_tz 0 "the copy records another" record add cadres name=郑十 unit=县水利局 role=帮扶单位干部 \
	--store "$WORK/vf-copy.tzs" --passphrase-file "$P"
mkdir -p "$WORK/orig" "$WORK/fork"
run_tz 0 "the village writes its bundle" bundle export --to "$WORK/orig" --store "$VF" --passphrase-file "$P"
run_tz 0 "the copy writes its own" bundle export --to "$WORK/fork" --store "$WORK/vf-copy.tzs" \
	--passphrase-file "$P"
run_tz 0 "the town imports the village's" bundle import "$WORK/orig" --store "$TF" --passphrase-file "$P"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do cp "$WORK/orig"/*.tzb "$WORK/fork/again-$i.tzb"; done
start townf "$TF"
tui_menu_open "导入数据包"
ask_folder "$WORK/fork"
check "the import lists its 13 bundles" tui_wait "共 13 个"
check "under the fork alert" tui_wait "警报：有数据包与已导入的同号数据包不同"
tui_pages_by_rows 8 19 "导入数据包"
tui_back "首页（镇扶贫办）"
quit
check "the fork's screen exits cleanly" tui_wait_file "$WORK/townf.err" "exit 0"
# ---- 责任单位台账 of 各村(居): the villages' 36 deliverables, scrolled ----
start town6b "$WORK/t6.tzs"
tui_menu_open "交付事项和责任单位" >/dev/null
tui_menu_open "责任单位台账" >/dev/null
tui_wait "其他单位" >/dev/null
tui_keys End
tui_keys Enter
check "各村(居)'s sheet counts the villages' deliverables" tui_wait "交付事项 36 项"
check "each named by its village" tui_wait "李庄村：专项整改行动具体实施方案"
check "the sheet starts at the earliest" tui_wait_row 10 "2019-05-01"
tui_keys End
check "End scrolls to the last" tui_wait_row 10 "2019-06-30"
tui_keys Home
check "Home back to the first" tui_wait_row 10 "2019-05-01"
tui_keys Escape
tui_keys Escape
tui_keys Escape
quit
check "no sanitizer report in the new walks" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/village2.err' '$WORK/town2.err' '$WORK/town3.err' '$WORK/town6.err' '$WORK/townf.err'"
tui kill-server 2>/dev/null
trap - EXIT
finish
