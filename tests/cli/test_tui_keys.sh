# test_tui_keys.sh — the first hand-in without the command line, and the keys
# under every terminal an officer may have.
#
# A fresh demo village and a new town office, each on its own screen (tmux,
# 80x24): the town writes its key file to the stick from 密钥和设备; the
# village's bundle export, with no town key, says what to do and opens 密钥;
# there the town's key file is found on the stick, its fingerprint (the town's,
# as `keys show` prints it) confirmed — N changes nothing, Y trusts — and the
# village's own key file written; the export then writes the bundle. The town
# enrols the village's key (fingerprint confirmed), imports the bundle, and
# revokes the device. Screens are compared with golden files (lib.sh,
# tui_golden), the keys screen also at 120x40 where its QR code fits. A town of
# nine devices pages its list at 80x24 by the seven rows it shows.
#
# Then under TERM xterm-256color, tmux-256color, screen, linux and vt100: F1,
# Esc 1 (F1 where there are no F-keys), F3 and F5, Home, End and Delete in the
# line editor, each doing what it says (tmux sends xterm's sequences whatever
# TERM says: without the alternatives taught to curses, linux and vt100 got
# F1 and Home as Esc and letters).
. "$(dirname "$0")/lib.sh"
tui_setup keys 2019-04-20 taizhang-demo
S="$WORK/v.tzs"
T="$WORK/t.tzs"
USB="$WORK/usb"
mkdir -p "$USB"
run_tz 0 "a fresh demo village" demo --store "$S" --passphrase-file "$P" --kdf-cost min
run_tz 0 "a new town office" init --store "$T" --town 341522104000 --name 示范镇 \
	--passphrase-file "$P" --kdf-cost min
# fingerprint STORE: the device's fingerprint as `keys show` prints it.
fingerprint() {
	"$TZ_BIN" keys show --store "$1" --passphrase-file "$P" | sed -n 's/^  指纹： *//p' | head -n 1
}

unlock() {
	tui_wait "口令：" >/dev/null
	tui_type taizhang-demo
	tui_keys Enter
	tui_wait "$1" >/dev/null
}
# ask_folder PATH: answer a folder prompt with PATH.
ask_folder() {
	tui_wait "Enter 确定  Esc 取消" >/dev/null
	tui_keys C-u
	tui_type "$1"
	tui_keys Enter
}
quit() {
	tui_keys Escape
	tui_wait "退出台账程序" >/dev/null
	tui_keys y
}
# The town's 密钥和设备 (an item after the tenth: reached by the arrows).
town_keys() {
	tui_menu_open "密钥和设备"
	tui_wait "F3 登记村设备" >/dev/null
}

# ---- the town's key onto the stick ----
TUI_SESSION=town
tui_start town 80 24 tmux-256color "$T"
unlock "首页（镇扶贫办）"
town_keys
tui_golden keys-town-empty-80x24 "还没有登记村的设备"
check "at 80x24 the town says the QR code needs a larger window" tui_wait "放不下指纹的二维码"
tui resize-window -t town -x 120 -y 40
tui_wait_row 40 "F1 帮助"
tui_golden keys-town-empty-120x40 "还没有登记村的设备"
check "at 120x40 the QR code is drawn" tui_match '█'
tui resize-window -t town -x 80 -y 24
tui_wait_row 24 "F1 帮助"
tui_keys F5
ask_folder "$USB"
check "the town's key file is written" tui_wait "已导出本机公钥"
check "named by the town's code" sh -c "ls '$USB' | grep -q '^341522104000-镇公钥-[0-9a-f]*\.key$'"
TOWN_FP=$(fingerprint "$T")

# ---- the village: no key, then the key, then the bundle ----
TUI_SESSION=village
tui_start village 80 24 xterm-256color "$S"
unlock "数字键 直接打开"
tui_menu_open "数据包"
tui_wait "1  导出数据包" >/dev/null
tui_keys 1
tui_golden export-without-town-key-80x24 "还不能导出数据包"
check "it says where the town's key comes from" tui_wait "请镇扶贫办在“密钥和设备”画面按 F5"
tui_keys y
tui_golden keys-village-80x24 "镇扶贫办的公钥：还没有导入"
check "the village's QR code fits at 80x24" tui_match '█'
check "the village's own fingerprint, in two halves" \
	tui_wait "$(fingerprint "$S" | cut -c1-23)"
tui_keys F3
ask_folder "$USB"
tui_golden key-files-village-80x24 "找到的公钥文件 1 个"
tui_keys Enter
tui_golden trust-confirm-80x24 "指纹完全一致吗"
check "the box shows the town's fingerprint, first half" tui_wait "$(echo "$TOWN_FP" | cut -c1-23)"
check "and second half" tui_wait "$(echo "$TOWN_FP" | cut -c25-)"
tui_keys n
check "N trusts nothing" tui_wait "已取消，什么也没有改"
tui_keys Enter
tui_wait "指纹完全一致吗" >/dev/null
tui_keys y
check "Y trusts the town's key" tui_wait "信任的镇扶贫办公钥"
tui_golden keys-village-trusted-80x24 "信任的镇扶贫办公钥"
tui_keys F5
ask_folder "$USB"
check "the village's key file is written" tui_wait "已导出本机公钥"
tui_back "1  导出数据包"
tui_keys 1
ask_folder "$USB"
check "now the export writes the bundle" tui_wait "已写出 1 个数据包（新 1 个）"
tui_back "1  导出数据包"
tui_back "Esc 退出"
quit
check "the village's screen exits cleanly" tui_wait_file "$WORK/village.err" "exit 0"
run_tz 0 "trust at the village is what trust on the command line records" keys show --store "$S" \
	--passphrase-file "$P"
check "keys show names the town's key" contains "$WORK/out" "$TOWN_FP"

# ---- the town: enrol, import, revoke ----
TUI_SESSION=town
tui_keys F3
ask_folder "$USB"
tui_wait "找到的公钥文件 2 个" >/dev/null
n=$(tui_screen | grep -n '341522104201-村公钥' | cut -d: -f1)
first=$(tui_screen | grep -n '341522104000-镇公钥' | cut -d: -f1)
[ "$n" -gt "$first" ] && tui_keys Down
tui_keys Enter
tui_golden enrol-confirm-80x24 "指纹完全一致吗"
check "the box shows the village's fingerprint" tui_wait "$(fingerprint "$S" | cut -c25-)"
tui_keys y
check "the device is enrolled" tui_wait "已登记村 341522104201 的设备"
tui_golden keys-town-enrolled-80x24 "有效（"
tui_back "数字键 直接打开"
tui_keys 1
ask_folder "$USB"
check "the first hand-in is imported at the town" tui_wait "已导入    示范村        第 1 号"
tui_back "数字键 直接打开"
town_keys
tui_keys F8
check "revoking asks first" tui_wait "吊销后拒收它的数据包"
tui_keys y
check "the device is revoked" tui_wait "已吊销（"
tui_back "Esc 退出"
quit
check "the town's screen exits cleanly" tui_wait_file "$WORK/town.err" "exit 0"
check "no sanitizer spoke" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK'/*.err"

# ---- 密钥和设备 with more devices than the screen: PgDn moves by the rows shown ----
# At 80x24 the QR code does not fit and the line saying so pushes the list one
# row down: of nine devices seven show.
T9="$WORK/t9.tzs"
run_tz 0 "a town for nine devices" init --store "$T9" --town 341522104000 --name 示范镇 \
	--passphrase-file "$P" --kdf-cost min
# enrol_village I: a new village 34152210420I whose key the town T9 enrols.
enrol_village() {
	"$TZ_BIN" init --store "$WORK/v$1.tzs" --village "34152210420$1" --name "村$1" \
		--passphrase-file "$P" --kdf-cost min >/dev/null 2>&1 &&
		"$TZ_BIN" keys export "$WORK/v$1.key" --store "$WORK/v$1.tzs" --passphrase-file "$P" \
			>/dev/null 2>&1 &&
		"$TZ_BIN" enroll "$WORK/v$1.key" --yes --store "$T9" --passphrase-file "$P" >/dev/null 2>&1
}
for i in 1 2 3 4 5 6 7 8 9; do check "village $i's device is enrolled" enrol_village "$i"; done
TUI_SESSION=town9
tui_start town9 80 24 "" "$T9"
unlock "首页（镇扶贫办）"
town_keys
check "the town lists its nine devices" tui_wait "已登记的村设备 9 台"
row=$(tui_screen | grep -n '^  341522104201 ' | cut -d: -f1)
tui_pages_by_rows "$row" $((row + 6)) "密钥和设备"
tui_back "数字键 直接打开"
quit
check "the town's screen exits cleanly" tui_wait_file "$WORK/town9.err" "exit 0"
check "no sanitizer spoke there" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/town9.err'"

# ---- the keys under every terminal ----
for term in xterm-256color tmux-256color screen linux vt100; do
	tui kill-server 2>/dev/null
	TUI_SOCK="tz-keys-$$-$term"
	TUI_SESSION=k
	tui_start k 80 24 "$term" "$S"
	unlock "数字键 直接打开"
	tui_keys F1
	check "$term: F1 opens the help" tui_wait "按任意键返回"
	tui_keys Space
	tui_lacks "按任意键返回" "数字键 直接打开" >/dev/null
	tui_keys Escape 1
	check "$term: Esc 1 is F1" tui_wait "按任意键返回"
	tui_keys Space
	check "$term: and any key closes it" tui_lacks "按任意键返回" "数字键 直接打开"
	tui_menu_open "数据包"
	tui_menu_open "密钥"
	tui_wait "F3 导入镇扶贫办的公钥" >/dev/null
	tui_keys F5
	check "$term: F5 asks for a folder" tui_wait "把本机的公钥文件存到哪个文件夹"
	tui_keys C-u
	tui_type "media"
	tui_keys Home
	tui_type "X"
	tui_keys End
	tui_type "Y"
	check "$term: Home and End move in the line editor" tui_wait "Xmedia" &&
		check "$term: End" tui_wait "XmediaY"
	tui_keys Home DC
	check "$term: Delete deletes under the cursor" tui_lacks "XmediaY" "mediaY"
	tui_back "F3 导入镇扶贫办的公钥"
	tui_keys F3
	check "$term: F3 asks for the town's key file" tui_wait "镇扶贫办的公钥文件在哪个文件夹"
	tui_back "F3 导入镇扶贫办的公钥"
	tui_back "1  导出数据包"
	tui_back "Esc 退出"
	quit
	check "$term: exits cleanly" tui_wait_file "$WORK/k.err" "exit 0"
	check "$term: no sanitizer spoke" sh -c "! grep -q -e Sanitizer -e 'runtime error' '$WORK/k.err'"
done
tui kill-server 2>/dev/null
trap - EXIT
finish
