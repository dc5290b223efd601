# test_tui_forms.sh — every form in forms/ can be reached from the home screen
# by keys, at 80x24: the household's sector ledgers from its tabs, the village's
# own ledgers from 村级台账, the campaign's from 攻坚任务. For each file of
# forms/ the route below is typed from home, the form's screen must come up
# (its title in the title bar and F2 to save, or 只读 for the status history,
# which the program writes), and Esc goes back home. A form with no route here
# fails the test: a new ledger must be given a way in.
#
# Then labels, never codes: each household ledger's first row of a household
# that has one is opened for editing from its tab, and neither that form nor
# the tab's list shows a lowercase ASCII identifier (poor, exited, male ...).
. "$(dirname "$0")/lib.sh"
tui_setup forms 2019-04-20 'forms passphrase'
FORMS=$(cd "$(dirname "$0")/../../forms" && pwd)
TUI_SESSION=forms
tui_demo_village 12 7
# A household with a status history, found by its head's name.
run_tz 0 "a household with a status history" query --store "$S" --passphrase-file "$P" \
	"SELECT m.name FROM household_status_history s JOIN members m ON m.household_id = s.household_id
	 AND m.relation = 'head' ORDER BY m.name LIMIT 1"
HEAD=$(tail -n 1 "$WORK/out")
check "the demo has one" test -n "$HEAD"

HOME_MARK="数字键 直接打开  Esc 退出"
# The routes: form, the keys from home (=TEXT types TEXT), how many Esc lead
# home again. Household tabs: Right moves one tab on (家庭成员 is the first),
# Left one back (from the first, to the last: 历史).
H="1 =$HEAD Enter"
routes() {
	cat <<ROUTES
households|1 F3|2
members|$H F3|3
procedure_steps|$H Right F3|3
four_lists|$H Right Right F3|3
schooling|$H Right Right Right Right Right Right F3|3
housing|$H Right Right Right Right Right Right Right Right F3|3
family_doctor|$H Right Right Right F3|3
visits|$H Left Left Left Left F3|3
loans|$H Left Left Left Left Left Left Left F3|3
social_security|$H Left Left Left Left Left F3|3
industry|$H Right Right Right Right Right Right Right Right Right F3|3
employment|$H Left Left Left Left Left Left Left Left F3|3
insurance|$H Left Left Left Left Left Left F3|3
chronic_illness|$H Right Right Right Right F3|3
medical_reimbursements|$H Right Right Right Right Right F3|3
yulu_subsidies|$H Right Right Right Right Right Right Right F3|3
member_changes|$H Left Left F3|3
household_status_history|$H Left Enter|3
problems|2 F3|2
complaints|4 4 F3|3
typical_cases|4 5 F3|3
inspections|4 6 F3|3
deliverables|4 7 Enter|3
villager_groups|5 1 F3|3
staff|5 2 F3|3
cadres|5 3 F3|3
unit_assignments|5 4 F3|3
cadre_assignments|5 5 F3|3
project_monitoring|5 8 F3|3
projects|5 7 F3|3
business_leaders|5 9 F3|3
training_bases|5 Down Down Down Down Down Down Down Down Down Enter F3|3
trainings|5 Down Down Down Down Down Down Down Down Down Down Enter F3|3
marginal_households|5 Down Down Down Down Down Down Down Down Down Down Down Enter F3|3
marginal_measures|5 Down Down Down Down Down Down Down Down Down Down Down Down Enter F3|3
ROUTES
}

tui_start forms 80 24 "" "$S"
tui_wait "口令：" >/dev/null
tui_type "forms passphrase"
tui_keys Enter
check "home" tui_wait "$HOME_MARK"

# No code on a screen: no lowercase ASCII word (key names are capitalised;
# the title bar, with the store's path-free division code, is left out).
no_codes() { ! tui_screen | sed '1d' | grep -q -E '(^|[^A-Za-z0-9_])[a-z][a-z_]*[a-z]([^A-Za-z0-9_]|$)'; }
show_codes() { tui_screen | sed '1d' | grep -E '(^|[^A-Za-z0-9_])[a-z][a-z_]*[a-z]([^A-Za-z0-9_]|$)' | sed 's/^/#   /'; }

# reach FORM KEYS ESCAPES: type the route, wait for the form, go home again.
reach() {
	form=$1 keys=$2 escapes=$3
	title=$(sed -n 's/^title = //p' "$FORMS/$form.form")
	label=$title
	mark="F2 保存"
	if [ "$form" = household_status_history ]; then label="$title（只读）"; mark="只读"; fi
	for k in $keys; do
		case $k in =*) tui_type "${k#=}" ;; *) tui_keys "$k" ;; esac
	done
	check "$form.form is reached: its title" tui_wait "| $label |"
	check "$form.form: its keys" tui_wait "$mark"
	check "$form.form: no code on its screen" no_codes || show_codes
	i=0
	while [ "$i" -lt "$escapes" ]; do tui_keys Escape; i=$((i + 1)); done
	check "$form.form: home again" tui_wait "$HOME_MARK"
}

routes >"$WORK/routes"
while IFS='|' read -r form keys escapes; do
	reach "$form" "$keys" "$escapes"
done <"$WORK/routes"


# edit TABLE TAB JOIN: a household with a row of TABLE (JOIN: how TABLE
# reaches the household), opened, its tab (the TAB-th, 家庭成员 being 0), its
# first row for editing.
edit() {
	table=$1 rights=$2 join=$3
	"$TZ_BIN" query --store "$S" --passphrase-file "$P" \
		"SELECT m.name FROM members m WHERE m.relation = 'head' AND m.status = 'present'
		 AND m.household_id IN ($join)
		 AND (SELECT count(*) FROM members o WHERE instr(o.name, m.name) > 0) = 1
		 ORDER BY m.name LIMIT 1" >"$WORK/who" 2>/dev/null
	name=$(sed -n 2p "$WORK/who")
	if [ -z "$name" ]; then echo "# the demo has no row of $table to open"; return; fi
	form=$(grep -l "^table = $table\$" "$FORMS"/*.form | head -n 1)
	title=$(sed -n 's/^title = //p' "$form")
	mark="F2 保存"
	[ "$table" = household_status_history ] && { title="户状态记录（只读）"; mark="只读"; }
	tui_keys 1
	tui_type "$name"
	tui_keys Enter
	tui_wait "户主：$name" >/dev/null
	# the nearer way round the 18 tabs
	if [ "$rights" -le 9 ]; then n=$rights key=Right; else n=$((18 - rights)) key=Left; fi
	i=0
	while [ "$i" -lt "$n" ]; do tui_keys "$key"; i=$((i + 1)); done
	tui_keys Enter
	check "a row of $table opens from its tab" tui_wait "| $title |"
	tui_wait "$mark" >/dev/null
	check "$table: the row is shown in words, not codes" tui_poll 2 no_codes || show_codes
	tui_keys Escape
	tui_wait "户主：$name" >/dev/null
	check "$table: its tab lists words, not codes" no_codes || show_codes
	tui_keys Escape Escape
	tui_wait "$HOME_MARK" >/dev/null
}
BY_HH="SELECT household_id FROM"
BY_MEMBER="SELECT p.household_id FROM members p JOIN"
edit members 0 "$BY_HH members"
edit procedure_steps 1 "$BY_HH procedure_steps"
edit four_lists 2 "$BY_HH four_lists"
edit schooling 6 "$BY_MEMBER schooling x ON x.member_id = p.id"
edit housing 8 "$BY_HH housing"
edit family_doctor 3 "$BY_HH family_doctor"
edit visits 14 "$BY_HH visits"
edit loans 11 "$BY_HH loans"
edit social_security 13 "$BY_HH social_security"
edit industry 9 "$BY_HH industry"
edit employment 10 "$BY_MEMBER employment x ON x.member_id = p.id"
edit insurance 12 "$BY_HH insurance"
edit chronic_illness 4 "$BY_MEMBER chronic_illness x ON x.member_id = p.id"
edit medical_reimbursements 5 "$BY_MEMBER medical_reimbursements x ON x.member_id = p.id"
edit yulu_subsidies 7 "$BY_MEMBER yulu_subsidies x ON x.member_id = p.id"
edit member_changes 16 "$BY_HH member_changes"
edit household_status_history 17 "$BY_HH household_status_history"

# Every ledger of the two shelves lists its rows in words, not codes.
shelf_lists() {
	shelf=$1; shift
	for entry in "$@"; do
		digit=${entry%%:*} table=${entry#*:}
		form=$(grep -l "^table = $table\$" "$FORMS"/*.form | head -n 1)
		title=$(sed -n 's/^title = //p' "$form")
		tui_keys "$shelf" "$digit"
		tui_wait "| $title |" >/dev/null
		tui_wait "F3 新增" >/dev/null
		check "the $table list shows words, not codes" no_codes || show_codes
		tui_keys Escape Escape
		tui_wait "$HOME_MARK" >/dev/null
	done
}
shelf_lists 4 4:complaints 5:typical_cases 6:inspections
shelf_lists 5 1:villager_groups 2:staff 3:cadres 4:unit_assignments 5:cadre_assignments 6:visits \
	7:projects 8:project_monitoring 9:business_leaders

# A paste too long for a name is kept whole and refused at F2, naming the
# field (30 characters, then 200): never cut to fit.
tui_keys 1
tui_type "$HEAD"
tui_keys Enter
tui_wait "户主：$HEAD" >/dev/null
tui_keys F3
tui_wait "*身份证号" >/dev/null
tui_type "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
tui_keys F2
check "a pasted name of 30 characters is refused, naming the field" tui_wait "姓名最多 15 个字，现在有 30 个"
tui_keys C-u
tui_type "$(printf '%0200d' 0 | tr 0 a)"
tui_keys F2
check "and one of 200" tui_wait "姓名最多 15 个字，现在有 200 个"
tui_keys Escape
tui_wait "放弃这些修改吗" >/dev/null
tui_keys y Escape Escape
check "nothing was saved: home again" tui_wait "$HOME_MARK"

# The problem ledger filters by area and task chosen by name, found by a word.
tui_keys 2
tui_wait "F6 方面" >/dev/null
tui_keys F6
check "F6 offers the ten areas by name" tui_wait "（十）扶贫领域工作作风不实、精神状态不佳"
tui_type "作风"
tui_keys Enter
check "a word finds the area; the list is filtered by it" tui_wait "方面（十）（F6）"
tui_keys F7
check "F7 offers the nineteen tasks by name" tui_wait "5. 狠抓健康脱贫政策落实"
tui_type "jk"
tui_keys Enter
check "pinyin initials find a task" tui_wait "任务 5（F7）"
tui_keys F6
tui_wait "全部方面" >/dev/null
tui_keys Enter
check "all areas again" tui_wait "各方面（F6）"
tui_keys Escape
tui_wait "$HOME_MARK" >/dev/null

for f in "$FORMS"/*.form; do
	name=$(basename "$f" .form)
	check "forms/$name.form has a route from home" grep -q "^$name|" "$WORK/routes"
done

tui_keys Escape
tui_wait "退出台账程序" >/dev/null
tui_keys y
check "the program exits cleanly" tui_wait_file "$WORK/forms.err" "exit 0"
check "no sanitizer report" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/forms.err'"
tui kill-server 2>/dev/null
trap - EXIT
finish
