# test_tui_monitor.sh — the monitoring screen (返贫致贫监测) in a real
# terminal (tmux at 80x24, as test_tui.sh): opened from the village's home
# (menu 9), it lists the watched households with what of 两不愁三保障 fails and
# their income against the line, the selected one's measures and cadre below,
# and Enter opens the household. The findings screen says how long the month
# still runs and names the unit of the selected finding.
. "$(dirname "$0")/lib.sh"
tui_setup mon 2019-05-15 'tui passphrase'
TUI_SESSION=tui
tui_demo_village 30 4
"$TZ_BIN" check --monitor --store "$S" --passphrase-file "$P" >"$WORK/monitor"
n=$(sed -n 's/^共监测 \([0-9]*\) 户.*/\1/p' "$WORK/monitor")
first=$(sed -n 's/^  \(脱贫监测户\|返贫户\|边缘户\) 户主 \([^（]*\)（.*/\2/p' "$WORK/monitor" | head -n 1)
check "the demo has watched households" test "${n:-0}" -gt 0

tui_start tui 80 24 "" "$S"
check "the unlock screen" tui_wait "口令："
tui_type "tui passphrase"
tui_keys Enter
check "home offers the monitoring screen" tui_wait "9  返贫致贫监测"
tui_keys 9
check "the monitoring screen" tui_wait "返贫致贫监测"
check "it counts the watched households as check --monitor does" tui_wait "监测 $n 户"
check "it says the days left in the month" tui_wait "本月尚余 17 天"
check "each row says what fails and the income" tui_match "未保障：.*收入："
check "the first household is listed" tui_wait "$first"
check "the selected one's measures are shown" tui_wait "帮扶措施："
tui_keys Enter
check "Enter opens the household" tui_wait "家庭成员"
tui_keys Escape
check "back on the monitoring screen" tui_wait "帮扶措施："
tui_keys Escape
check "back home" tui_wait "9  返贫致贫监测"
tui_keys 4 3 # 攻坚任务, then 精准核查
check "the findings screen says May is still running" tui_wait "本月尚余 17 天，走访只核查已结束的月份"
check "a finding names its unit" tui_wait "（责任单位："
tui_keys Escape Escape
check "home again" tui_wait "9  返贫致贫监测"
tui_keys q
tui_wait "退出台账程序" >/dev/null
tui_keys y
check "the program ends cleanly" tui_wait_file "$WORK/tui.err" "exit 0"
check "no sanitizer report" sh -c "! grep -q -e AddressSanitizer -e 'runtime error:' -e LeakSanitizer '$WORK/tui.err'"
tui kill-server 2>/dev/null
finish
