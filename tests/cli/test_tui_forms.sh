# test_tui_forms.sh — every form in forms/ can be reached from the home screen
# by keys, at 80x24: the household's sector ledgers from its tabs, the village's
# own ledgers from 村级台账, the campaign's from 攻坚任务. For each file of
# forms/ the route below is typed from home, the form's screen must come up
# (its title in the title bar and F2 to save, or 只读 for the status history,
# which the program writes), and Esc goes back home. A form with no route here
# fails the test: a new ledger must be given a way in.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { not_ok "tmux is not installed"; finish; }
FORMS=$(cd "$(dirname "$0")/../../forms" && pwd)
S="$WORK/v.tzs"
P="$WORK/p"
TUI_SOCK="tz-forms-$$"
TUI_SESSION=forms
export TAIZHANG_TODAY=2019-04-20
printf 'forms passphrase\n' >"$P"
run_tz 0 "demo store" demo --store "$S" --households 12 --seed 7 --passphrase-file "$P" --kdf-cost min
# A household with a status history, found by its head's name.
run_tz 0 "a household with a status history" query --store "$S" --passphrase-file "$P" \
	"SELECT m.name FROM household_status_history s JOIN members m ON m.household_id = s.household_id
	 AND m.relation = 'head' ORDER BY m.name LIMIT 1"
HEAD=$(tail -n 1 "$WORK/out")
check "the demo has one" test -n "$HEAD"

HOME_MARK="数字键 直接打开"
# The routes: form, the keys from home (=TEXT types TEXT), how many Esc lead
# home again. Household tabs: Right moves one tab on (家庭成员 is the first).
H="1 =$HEAD Enter"
routes() {
	cat <<ROUTES
households|1 F3|2
members|$H F3|3
procedure_steps|$H Right F3|3
four_lists|$H Right Right F3|3
schooling|$H Right Right Right F3|3
housing|$H Right Right Right Right F3|3
family_doctor|$H Right Right Right Right Right F3|3
visits|$H Right Right Right Right Right Right F3|3
loans|$H Right Right Right Right Right Right Right F3|3
social_security|$H Right Right Right Right Right Right Right Right F3|3
industry|$H Right Right Right Right Right Right Right Right Right F3|3
employment|$H Left Left Left Left Left Left Left Left F3|3
insurance|$H Left Left Left Left Left Left Left F3|3
chronic_illness|$H Left Left Left Left Left Left F3|3
medical_reimbursements|$H Left Left Left Left Left F3|3
yulu_subsidies|$H Left Left Left Left F3|3
member_changes|$H Left Left F3|3
household_status_history|$H Left Enter|3
problems|2 F3|2
complaints|4 4 F3|3
typical_cases|4 5 F3|3
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

tui -f /dev/null new-session -d -s forms -x 80 -y 24 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
	-e TAIZHANG_TODAY=2019-04-20 -e ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
	"cd '$WORK' && '$TZ_BIN' --store '$S' 2>'$WORK/forms.err'; echo \"exit \$?\" >>'$WORK/forms.err'; sleep 30"
trap 'tui kill-server 2>/dev/null' EXIT
tui_wait "口令：" >/dev/null
tui_type "forms passphrase"
tui_keys Enter
check "home" tui_wait "$HOME_MARK"

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
	i=0
	while [ "$i" -lt "$escapes" ]; do tui_keys Escape; i=$((i + 1)); done
	check "$form.form: home again" tui_wait "$HOME_MARK"
}

routes >"$WORK/routes"
while IFS='|' read -r form keys escapes; do
	reach "$form" "$keys" "$escapes"
done <"$WORK/routes"

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
