# test_tui_roster.sh — importing a 低保 roster from the screen (issue 14/15),
# in tmux at 80x24 as test_tui.sh does: a file whose headers differ is refused
# with the headers found, then read with the column mapping typed in; the demo
# village has a roster already, so the difference is shown and the screen asks
# before replacing it; the comparison then shows the new roster's figures.
. "$(dirname "$0")/lib.sh"
tui_setup tui-roster 2019-04-20 'tui passphrase'
TUI_SESSION=tui
tui_demo_village 12 3
q() { "$TZ_BIN" query --store "$S" --passphrase-file "$P" "$1" | tail -n 1 | tr -d '"'; }
H1=$(q "SELECT name || ',' || idcard FROM members WHERE relation = 'head' ORDER BY idcard LIMIT 1")
printf '低保名单\n编号,户名,证件,保障人数\n1,%s,2\n' "$H1" >"$WORK/odd.csv"

tui_start tui 80 24 "" "$S"
check "the unlock screen" tui_wait "口令："
tui_type "tui passphrase"
tui_keys Enter
check "home" tui_wait "首页"
tui_menu_open "低保"
check "the 低保 comparison with the demo's roster" tui_wait "低保名册：霍邱县"
tui_keys F3
check "it asks for the file" tui_wait "低保名册 CSV 文件的位置"
tui_type "$WORK/odd.csv"
tui_keys Enter
check "no header: the headers found are shown" tui_wait "“编号”、“户名”、“证件”、“保障人数”"
check "and how to map them" tui_wait "界面上在“列名对应”里填写同样的内容"
tui_keys Enter
check "it asks for the mapping" tui_wait "列名对应（如 身份证号=证件号码"
tui_type "户主姓名=户名 户主身份证号=证件"
tui_keys Enter
check "the difference from the roster there is shown" tui_wait "新的低保名册与原来的相比"
check "with the household count" tui_match "户数 [0-9]* → 1"
tui_keys Enter
check "it asks before replacing" tui_wait "用新名册替换原来的低保名册吗？"
tui_keys y
check "imported" tui_wait "已导入低保名册（每户一行）：1 户，保障 2 人"
check "the comparison shows the new roster" tui_wait "低保名册：odd.csv"
check "stored: one household of 2" test "$(q "SELECT count(*) || '/' || sum(covered) FROM dibao_roster WHERE import_id = (SELECT id FROM roster_imports ORDER BY rowid DESC LIMIT 1)")" = "1/2"

# demo_open NAME HOUSEHOLDS SEED: a demo village of that many households in
# $WORK/NAME.tzs, opened and unlocked at 80x24 in tmux session NAME.
demo_open() {
	run_tz 0 "a demo of $2 households" demo --store "$WORK/$1.tzs" --households "$2" --seed "$3" \
		--passphrase-file "$P" --kdf-cost min
	TUI_SESSION=$1
	tui_start "$1" 80 24 "" "$WORK/$1.tzs"
	check "$1: unlock" tui_wait "口令："
	tui_type "tui passphrase"
	tui_keys Enter
}

# ---- a list longer than the screen: all four lists named, and it pages ----
# 40 households: the first list (registered, not on the roster) has more rows
# than the 13 lines 9-21 of an 80x24 screen hold.
demo_open dibao 40 3
tui_menu_open "低保"
check "all four lists are named at 80 columns" tui_wait "4 在名册台账未登记低保"
check "which rows show, of how many" tui_match "建档立卡户未纳入低保：第 1–13 户，共 [0-9]* 户（PgDn 下一屏）"
last_shown=$(tui_screen | sed -n 21p)
tui_keys NPage
check "PgDn shows the next 13" tui_match "：第 14–26 户，共"
tui_keys Up
check "Up shows first the row that was last before PgDn: none skipped" tui_wait_row 9 "$last_shown"
tui_keys End
check "End: the last rows, and says so" tui_match "第 [0-9]*–[0-9]* 户，共 [0-9]* 户（已到末尾，PgUp 上一屏）"
end_screen=$(tui_screen | sed -n 9,21p)
# keys past the end, then the help and back (a redraw after them) to compare
tui_keys NPage Down F1
check "the help says how to page" tui_wait "PgUp/PgDn 整屏"
check "and it shows to its last line" tui_wait "有错的行会逐行列出，全部改正后才导入。"
tui_back "（已到末尾，PgUp 上一屏）"
check "nothing scrolled past the end" test "$(tui_screen | sed -n 9,21p)" = "$end_screen"
tui_keys Home
check "Home: the first rows again" tui_match "：第 1–13 户，共"

# ---- more households found than the list holds (1,000): the screen says so ----
demo_open many 1050 4
tui_menu_open "住户台账"
check "all 1,050 are counted" tui_wait "共 1050 户"
check "and the screen says only the first 1,000 are listed" tui_wait "只列出了前 1000 户；多输入几个字可以缩小范围。"
finish
