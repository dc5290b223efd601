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
# its sections.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { not_ok "tmux is not installed"; finish; }
S="$WORK/v.tzs"
P="$WORK/p"
SOCK="tz-tui-$$"
export TAIZHANG_TODAY=2019-04-20
printf 'tui passphrase\n' >"$P"
run_tz 0 "demo store" demo --store "$S" --households 30 --seed 4 --passphrase-file "$P" --kdf-cost min

# A valid ID number for a birth date and sequence (GB 11643 check digit).
idcard() {
	echo "$1" | awk '{ split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); s = 0
		for (i = 1; i <= 17; i++) s += substr($0, i, 1) * w[i]
		print $0 substr("10X98765432", s % 11 + 1, 1) }'
}
HEAD_ID=$(idcard 34152219800305162)
CHILD_ID=$(idcard 34152220080911301)
BAD_ID="${HEAD_ID%?}$(( (${HEAD_ID#?????????????????} + 1) % 10 ))"
[ "${HEAD_ID#?????????????????}" = X ] && BAD_ID="${HEAD_ID%?}0"

tm() { tmux -L "$SOCK" "$@"; }
screen() { tm capture-pane -p -t tui; }
keys() { tm send-keys -t tui "$@"; sleep 0.15; }
type_text() { tm send-keys -t tui -l "$1"; sleep 0.15; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
	i=0
	while [ $i -lt $(( ${2:-10} * 10 )) ]; do
		screen | grep -q -F -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# screen while waiting for: $1"
	screen | sed 's/^/#   /'
	return 1
}
start() {
	tm -f /dev/null new-session -d -s tui -x 80 -y 24 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
		-e TAIZHANG_TODAY=2019-04-20 -e ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
		"cd '$WORK' && '$TZ_BIN' --store '$S' 2>'$WORK/tui.err'; echo \"exit \$?\" >>'$WORK/tui.err'; sleep 30"
}
trap 'tm kill-server 2>/dev/null' EXIT
# (the trap kills whichever server SOCK names when the script ends)

start
check "the unlock screen asks for the passphrase" wait_for "口令："
type_text "not the passphrase"
keys Enter
check "a wrong passphrase says so" wait_for "口令不正确"
check "and the screen stays on unlock" wait_for "台账 | 解锁"
type_text "tui passphrase"
keys Enter
check "the right one opens the home screen" wait_for "首页"
check "home shows the village at a glance" wait_for "建档立卡户 30 户"
check "home shows the deadlines with days left" wait_for "还有 11 天"

keys 1
check "the household list" wait_for "住户台账"
keys F3
check "a new household's form" wait_for "*村民小组"
keys F4
check "the villager group picker" wait_for "上下键 选择  Enter 确定"
keys Enter
keys Tab
keys Tab
keys Tab
keys Tab
type_text "帮扶中"
keys Tab
keys Tab
type_text "3456.5"
keys F2
check "saved, the new household opens for its members" wait_for "请按 F3 登记户主"
keys F3
check "the member form" wait_for "*身份证号"
type_text "欧阳秀兰"
keys Tab
type_text "$BAD_ID"
keys Tab
type_text "户主"
keys F2
check "an invalid ID number is refused, naming the field" wait_for "身份证号最后一位校验码不对"
check "what was typed is kept: the name" sh -c "tmux -L '$SOCK' capture-pane -p -t tui | grep -q '欧阳秀兰'"
check "what was typed is kept: the ID number" sh -c "tmux -L '$SOCK' capture-pane -p -t tui | grep -q -F '$BAD_ID'"
check "what was typed is kept: the relation" sh -c "tmux -L '$SOCK' capture-pane -p -t tui | grep -q '户主'"
keys BSpace
type_text "${HEAD_ID#?????????????????}"
check "sex and age are computed from the ID number" wait_for "39"
keys F2
check "the head is saved and listed" wait_for "欧阳秀兰"
keys F3
wait_for "*身份证号"
type_text "欧阳小明"
keys Tab
type_text "$CHILD_ID"
keys Tab
type_text "户主"
keys Tab
keys F2
check "a second head is refused by the household's rule" wait_for "一户只能有一位户主"
# The cursor went back to the relation: the fix is typed there.
keys BSpace
keys BSpace
type_text "子女"
keys F2
check "a second member" wait_for "欧阳小明"
keys Escape
check "back to the list" wait_for "住户台账"
type_text "欧阳"
check "search as you type finds it by part of the name" wait_for "欧阳秀兰"
check "and only it" wait_for "共 1 户"

keys Enter
wait_for "户主：欧阳秀兰"
for i in 1 2 3 4 5 6; do keys Right; done
check "the visits tab" wait_for "帮扶责任人"
keys F3
check "the visit form" wait_for "*走访日期"
keys F4
wait_for "上下键 选择  Enter 确定"
keys Enter
keys Tab
type_text "2019-04-25"
keys Tab
keys Space
keys F2
check "a visit in the future is refused" wait_for "不能晚于今天"
for i in 1 2 3 4 5 6 7 8 9 10; do keys BSpace; done
type_text "2019-04-18"
keys F2
check "the visit is recorded" wait_for "2019-04-18"

keys Escape
keys Escape
check "home again" wait_for "数字键 直接打开"
keys 2
check "the problem ledger" wait_for "F6 方面"
keys F3
check "the problem form" wait_for "*整改期限"
type_text "欧阳秀兰家未签约家庭医生"
keys Tab
keys Tab
type_text "1"
keys Tab
type_text "5"
keys Tab
type_text "自查"
keys Tab
keys Tab
type_text "示范村"
keys Tab
type_text "王芳"
keys Tab
type_text "2019-05-31"
keys F2
check "the new problem's page" wait_for "问题：欧阳秀兰家未签约家庭医生"
check "it is open" wait_for "状态：待整改"
keys F6
wait_for "Enter 确定  Esc 取消"
keys Enter
check "rectifying" wait_for "状态：整改中"
keys F7
wait_for "Enter 确定  Esc 取消"
type_text "已签约"
keys Enter
check "rectified" wait_for "状态：已整改"
keys F8
wait_for "予以销号"
keys y
wait_for "整改佐证"
type_text "签约协议已存档"
keys Enter
wait_for "销号说明"
keys Enter
check "closed off with its evidence" wait_for "状态：已销号"
keys Escape
check "closed problems leave the default list" sh -c "! tmux -L '$SOCK' capture-pane -p -t tui | grep -q '欧阳秀兰家未签约家庭医生'"
keys F5
keys F5
check "the full ledger lists it as closed" sh -c "sleep 0.3; tmux -L '$SOCK' capture-pane -p -t tui | grep -q '已销号.*欧阳秀兰家未签约家庭医生'"
keys /
wait_for "查找问题"
type_text "欧阳"
keys Enter
check "/ finds problems by a word of their title" wait_for "共 1 个"
keys Enter
wait_for "状态：已销号"
check "the history names the user" wait_for "管理员"

tm resize-window -t tui -x 100 -y 30
check "resized to 100x30" wait_for "F6 整改中  F7 已整改  F8 销号  F9 重新整改  Esc 返回"
tm resize-window -t tui -x 60 -y 20
check "below 80x24 a notice instead of a broken layout" wait_for "终端窗口太小"
tm resize-window -t tui -x 80 -y 24
check "back at 80x24" wait_for "状态：已销号"
keys Escape
keys Escape
wait_for "数字键 直接打开"
keys Escape
check "quitting asks first" wait_for "退出台账程序"
keys y
check "the program exits cleanly" sh -c "sleep 1; grep -q 'exit 0' '$WORK/tui.err'"
check "no sanitizer report" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/tui.err'"
tm kill-server 2>/dev/null
SOCK="$SOCK-again" # a fresh server: the old one may still be going away

start
wait_for "口令："
type_text "tui passphrase"
keys Enter
wait_for "首页"
keys 1
type_text "欧阳"
check "after reopening, the household is still there" wait_for "欧阳秀兰"

# The report screen: bars first, then the report's sections one by one.
keys Escape
wait_for "数字键 直接打开"
n=$(screen | sed -n 's/^ *\([0-9]\)  整改报表.*/\1/p')
check "home offers the report" test -n "$n"
keys "$n"
check "the report opens on its charts" wait_for "[图表]"
check "problems closed off per responsible person" wait_for "问题销号率（按责任人）"
check "a bar drawn in #, then its rate" sh -c "tmux -L '$SOCK' capture-pane -p -t tui | grep -q '#\{4,\}[.]* *[0-9]*[.][0-9]%'"
check "the person who closed the problem has a full bar" sh -c "tmux -L '$SOCK' capture-pane -p -t tui | grep -q '王芳.*100[.]0%  1/1'"
check "visits per cadre" wait_for "走访达标率（按帮扶责任人）"
keys F5
check "F5: the report's sections, the cover first" wait_for "[报表 1/14：封面]"
keys Tab
check "Tab: the next section, as the text report has it" wait_for "【概况】"
check "its figures" wait_for "建档立卡户（期末，户）"
keys Escape
check "back home from the report" wait_for "数字键 直接打开"
keys Escape
wait_for "退出台账程序"
keys y
check "after the report the program exits cleanly" sh -c "sleep 1; grep -q 'exit 0' '$WORK/tui.err'"
check "and no sanitizer spoke" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/tui.err'"
tm kill-server 2>/dev/null
trap - EXIT
# Under a locale that is not UTF-8 the screen refuses to start, saying why.
SOCK="$SOCK-c"
tm -f /dev/null new-session -d -s c -x 80 -y 24 -e LANG=C -e LC_ALL=C \
	"'$TZ_BIN' --store '$S' 2>'$WORK/c.err'; echo \"exit \$?\" >>'$WORK/c.err'; sleep 30"
sleep 1
check "a non-UTF-8 locale is refused" sh -c "grep -q '不是 UTF-8' '$WORK/c.err' && grep -q 'exit 1' '$WORK/c.err'"
tm kill-server 2>/dev/null
run_tz 0 "query the visit and the problem" query --store "$S" --passphrase-file "$P" \
	"SELECT (SELECT count(*) FROM visits v JOIN members m ON m.household_id = v.household_id
	         WHERE m.name = '欧阳秀兰' AND v.visited_on = '2019-04-18' AND v.explain_policy + v.collect_info >= 1),
	        (SELECT state || ':' || evidence FROM problems WHERE title = '欧阳秀兰家未签约家庭医生'),
	        (SELECT count(*) FROM members WHERE name LIKE '欧阳%')"
check "everything was saved" sh -c "tail -n 1 '$WORK/out' | grep -qx '1,closed:签约协议已存档,2'"
finish
