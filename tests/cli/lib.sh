# lib.sh — helpers for the command-line tests (sourced). Each check prints
# "ok - WHAT" or "not ok - WHAT" and the script's exit status says whether all
# passed. Uses $TZ_BIN, $TOOLS and $WORK from tests/run-cli.sh.
set -u
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TAIZHANG_STORE TAIZHANG_USER TAIZHANG_PAGE_CIPHER
# The screens wait 250 ms after Esc for a digit (Esc 1 = F1) before Esc means
# "back"; the tests press Esc hundreds of times and send Esc-digit in one write,
# so they shorten the wait (the tmux server they start inherits it).
export TAIZHANG_ESC_MS="${TAIZHANG_ESC_MS:-40}"
failures=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }

# check WHAT CONDITION...: ok when the command succeeds.
check() {
	what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# run_tz EXPECTED_EXIT WHAT ARGS...: run taizhang, keep stdout in $WORK/out and
# stderr in $WORK/err, check the exit code and that no sanitizer spoke.
run_tz() {
	want=$1; what=$2; shift 2
	"$TZ_BIN" "$@" >"$WORK/out" 2>"$WORK/err"
	got=$?
	if grep -q -e 'AddressSanitizer' -e 'runtime error:' -e 'LeakSanitizer' "$WORK/err"; then
		not_ok "$what: sanitizer report"; cat "$WORK/err"; return
	fi
	if [ "$got" -eq "$want" ]; then ok "$what"
	else not_ok "$what (exit $got, wanted $want)"; cat "$WORK/out" "$WORK/err"; fi
}

# contains FILE TEXT: whether FILE contains TEXT (bytes, not a pattern).
contains() { grep -q -F -- "$2" "$1"; }

# widths_equal FILE: every line of each table of a text report (from its
# 【title】 to a note, a blank line or the next title) is as wide, in terminal
# columns, as the others (report tests).
widths_equal() {
	awk '/^【/ { n++; getline; print n "\t" $0; intable = 1; next }
	     /^$/ || /^  注：/ { intable = 0 }
	     intable { print n "\t" $0 }' "$1" >"$WORK/tables"
	bad=0
	for t in $(cut -f1 "$WORK/tables" | sort -u); do
		w=$(grep "^$t	" "$WORK/tables" | cut -f2- | while IFS= read -r line; do
			printf '%s\n' "$line" | wc -L; done | sort -u | wc -l)
		[ "$w" -eq 1 ] || { echo "table $t has lines of $w widths"; bad=1; }
	done
	[ $bad -eq 0 ]
}

# accept_proposals STORE PASSFILE: the town accepts every open proposal, in
# order. A demo village's projects arrive at stages only the town gives
# (镇初审 and later: src/sync/README.md, rule A4); a test that wants the town
# to hold the village's ledger as the village has it accepts them first.
accept_proposals() {
	for id in $("$TZ_BIN" query --store "$1" --passphrase-file "$2" \
		"SELECT id FROM sync_proposals WHERE state = 'open' ORDER BY id" | tail -n +2); do
		"$TZ_BIN" bundle accept "$id" --store "$1" --passphrase-file "$2" >/dev/null || return 1
	done
}

finish() { [ "$failures" -eq 0 ]; exit $?; }

# with_passphrase TEXT: TEXT becomes the passphrase of the script's stores, in
# the file $WORK/p that store_opts names.
with_passphrase() { printf '%s\n' "$1" >"$WORK/p"; }
# store_opts PATH: the options that open the store at PATH with $WORK/p.
store_opts() { echo "--store $1 --passphrase-file $WORK/p"; }
# demo_village STORE PASSPHRASE DEMO-OPTION...: PASSPHRASE becomes the
# script's (with_passphrase), O the options that open STORE, and a demo village
# is made at STORE with the cheapest key derivation (checked as "demo store").
demo_village() {
	store=$1
	with_passphrase "$2"
	shift 2
	O=$(store_opts "$store")
	run_tz 0 "demo store" demo $O "$@" --kdf-cost min
}
# query SQL: the last line (the one value) of a read-only query of the store $O opens.
query() { "$TZ_BIN" query $O "$1" | tail -n 1; }

# idcard FIRST17: the 18-character ID number that begins with the 17 digits
# FIRST17 (birth date and sequence), its check digit as GB 11643 computes it.
idcard() {
	echo "$1" | awk '{ split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); s = 0
		for (i = 1; i <= 17; i++) s += substr($0, i, 1) * w[i]
		print $0 substr("10X98765432", s % 11 + 1, 1) }'
}

# ---- the program's screen in tmux (test_tui*.sh) ----
# A script sets TUI_SOCK (its private tmux server) and TUI_SESSION (the session
# whose pane it reads and types into). Keys are sent at once, without pauses:
# the program reads them in order, and every check waits for what the screen
# must come to show, polling capture-pane every 0.05 s until it does or
# TUI_TIMEOUT seconds (default 10) have passed — then the check fails and the
# screen is printed. Nothing waits a fixed time.
TUI_TIMEOUT=${TUI_TIMEOUT:-10}
tui() { tmux -L "$TUI_SOCK" "$@"; }
# tui_setup NAME TODAY PASSPHRASE: a screen test begins. Without tmux it fails
# and ends; TUI_SOCK is its private server tz-NAME-PID, killed when the script
# exits; TAIZHANG_TODAY is TODAY (exported); P is the passphrase file, holding
# PASSPHRASE.
tui_setup() {
	command -v tmux >/dev/null || { not_ok "tmux is not installed"; finish; }
	TUI_SOCK="tz-$1-$$"
	export TAIZHANG_TODAY="$2"
	P="$WORK/p"
	with_passphrase "$3"
	trap 'tui kill-server 2>/dev/null' EXIT
}
# tui_demo_village HOUSEHOLDS SEED: S is a demo village of HOUSEHOLDS
# households made from SEED, opened with $P (checked as "demo store").
tui_demo_village() {
	S="$WORK/v.tzs"
	run_tz 0 "demo store" demo --store "$S" --households "$1" --seed "$2" --passphrase-file "$P" \
		--kdf-cost min
}
tui_screen() { tui capture-pane -p -t "$TUI_SESSION"; }
# tui_keys KEY...: press keys (tmux key names: Enter, Tab, F2, C-u, y, ...).
tui_keys() { tui send-keys -t "$TUI_SESSION" "$@"; }
# tui_back TEXT: press Esc and wait until the screen has changed and shows
# TEXT (the screen it goes back to). A digit pressed within TAIZHANG_ESC_MS of Esc is an F-key
# (Esc 1 = F1, for terminals without F-keys), so a digit after Esc waits for the screen.
tui_back() {
	tui_screen >"$WORK/back.before"
	tui_keys Escape
	tui_poll "" tui_changed "$WORK/back.before" || { tui_dump "Esc changed nothing"; return 1; }
	tui_wait "$1" >/dev/null
}
# tui_type TEXT: type TEXT as it is (Chinese included).
tui_type() { tui send-keys -t "$TUI_SESSION" -l "$1"; }

# tui_poll SECONDS COMMAND ARGS...: run COMMAND until it succeeds; fails after
# SECONDS (empty: TUI_TIMEOUT).
tui_poll() {
	tries=$(( ${1:-$TUI_TIMEOUT} * 20 ))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}
tui_shows() { tui_screen | grep -q -F -- "$1"; }
tui_hides() { ! tui_shows "$1"; }
# tui_changed FILE: the screen is not what FILE holds (an earlier capture).
tui_changed() { ! tui_screen | cmp -s - "$1"; }
tui_matches() { tui_screen | grep -q -- "$1"; }
file_has() { grep -q -F -- "$2" "$1" 2>/dev/null; }
# Print the screen, prefixed, after a failed wait.
tui_dump() { echo "# $1"; tui_screen | sed 's/^/#   /'; }

# tui_wait_row ROW TEXT: until line ROW (from 1) of the screen shows TEXT, e.g.
# the key bar on the last line once a resized screen has been drawn again.
tui_row_shows() { tui_screen | sed -n "$1p" | grep -q -F -- "$2"; }
tui_wait_row() {
	tui_poll "" tui_row_shows "$1" "$2" || { tui_dump "screen while waiting for “$2” on line $1"; return 1; }
}
# tui_wait_cursor_row ROW: until the cursor is on line ROW (from 1): a list
# leaves it on its selected row.
tui_cursor_on() { [ "$(tui display-message -p -t "$TUI_SESSION" '#{cursor_y}')" -eq $(($1 - 1)) ]; }
tui_wait_cursor_row() {
	tui_poll "" tui_cursor_on "$1" || { tui_dump "screen while waiting for the cursor on line $1"; return 1; }
}
# tui_pages_by_rows FIRST LAST WHAT: a list drawn on lines FIRST to LAST (from
# 1), its first row picked, more rows below than show. PgDn picks the last row
# shown and the list does not scroll (the cursor on line LAST, line FIRST as it
# was); the next PgDn scrolls (line FIRST changes). Checked as WHAT: ...
tui_row_changed() { ! tui_row_shows "$1" "$2"; }
tui_pages_by_rows() {
	page_first=$(tui_screen | sed -n "$1p")
	tui_keys NPage
	check "$3: PgDn picks the last row shown" tui_wait_cursor_row "$2"
	check "$3: and the list has not scrolled" tui_wait_row "$1" "$page_first"
	tui_keys NPage
	check "$3: the next PgDn scrolls" tui_poll "" tui_row_changed "$1" "$page_first"
}
# tui_wait TEXT [SECONDS]: until the screen shows TEXT (bytes, not a pattern).
tui_wait() {
	tui_poll "${2:-}" tui_shows "$1" || { tui_dump "screen while waiting for: $1"; return 1; }
}
# tui_match PATTERN [SECONDS]: until a line of the screen matches PATTERN (grep).
tui_match() {
	tui_poll "${2:-}" tui_matches "$1" || { tui_dump "screen while waiting for /$1/"; return 1; }
}
# tui_lacks TEXT ANCHOR: once the screen shows ANCHOR (the screen TEXT must be
# missing from has been drawn), until it does not show TEXT.
tui_lacks() {
	tui_wait "$2" || return 1
	tui_poll "" tui_hides "$1" || { tui_dump "screen still showing: $1"; return 1; }
}
# tui_wait_file FILE TEXT [SECONDS]: until FILE (the program's stderr, with the
# exit line the session's shell appends) contains TEXT.
tui_wait_file() {
	tui_poll "${3:-}" file_has "$1" "$2" ||
		{ echo "# $1 while waiting for: $2"; sed 's/^/#   /' "$1" 2>/dev/null; return 1; }
}

# ---- golden screens (the way tmux's regress/ compares captured panes) ----
# tui_golden NAME ANCHOR: once the screen shows ANCHOR, the whole screen must
# come to equal tests/golden/NAME.txt (polled until it does or TUI_TIMEOUT
# passes; then the check fails with a diff, and the screen is kept in
# $WORK/NAME.actual). What differs from run to run is masked first, in the
# capture and never in the file's meaning: fingerprints, device ids, key file
# and bundle names' device part, clock times and today's date (keys are made
# now), the QR code's modules (each row of it: [二维码]), and $WORK. With
# GOLDEN_REFRESH=1 (tests/cli/golden.sh --refresh, make golden) the screen,
# once it has stopped changing, is written to the file instead: review the
# change with git diff. A script masks more with GOLDEN_MASK_EXTRA (a sed
# expression).
GOLDEN_DIR=${GOLDEN_DIR:-$(cd "$(dirname "$0")/../golden" 2>/dev/null && pwd)}
GOLDEN_REFRESH=${GOLDEN_REFRESH:-0}
golden_mask() {
	sed -e "s|$WORK|\$WORK|g" \
	    -e 's/[0-9]\{5\}\( [0-9]\{5\}\)\{3\}/##### ##### ##### #####/g' \
	    -e 's/\<[0-9a-f]\{16\}\>/################/g' \
	    -e 's/-[0-9a-f]\{8\}-/-########-/g' \
	    -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]\([T ]\)[0-9][0-9]:[0-9][0-9]/####-##-##\1##:##/g' \
	    -e 's/  *[█▀▄][█▀▄ ]*$/  [二维码]/' -e "s/$(date +%Y-%m-%d)/####-##-##/g" \
	    -e "${GOLDEN_MASK_EXTRA:-}"
}
golden_capture() { tui_screen | golden_mask >"$WORK/golden.now"; }
golden_equal() { golden_capture && cmp -s "$WORK/golden.now" "$1"; }
# Stable: the same capture five times in a row, 0.05 s apart (the poll's pace).
golden_stable() {
	cp "$WORK/golden.now" "$WORK/golden.was" 2>/dev/null || : >"$WORK/golden.was"
	golden_capture || return 1
	if cmp -s "$WORK/golden.now" "$WORK/golden.was"; then golden_same=$((golden_same + 1))
	else golden_same=0; fi
	[ "$golden_same" -ge 4 ]
}
tui_golden() {
	name=$1 anchor=$2 file="$GOLDEN_DIR/$1.txt"
	if ! tui_wait "$anchor"; then not_ok "golden screen $name: never showed “$anchor”"; return 1; fi
	if [ "$GOLDEN_REFRESH" = 1 ]; then
		: >"$WORK/golden.now"
		golden_same=0
		tui_poll "" golden_stable || { not_ok "golden screen $name: never stopped changing"; return 1; }
		if cmp -s "$WORK/golden.now" "$file"; then ok "golden screen $name (unchanged)"
		else cp "$WORK/golden.now" "$file"; ok "golden screen $name (refreshed)"; fi
		return 0
	fi
	if [ ! -f "$file" ]; then
		not_ok "golden screen $name: no $file (make golden writes it)"; return 1
	fi
	if tui_poll "" golden_equal "$file"; then ok "golden screen $name"; return 0; fi
	cp "$WORK/golden.now" "$WORK/$name.actual"
	not_ok "golden screen $name differs (make golden refreshes it if the change is intended):"
	diff -u "$file" "$WORK/$name.actual" | sed 's/^/#   /'
	return 1
}

# tui_start SESSION COLS ROWS TERM STORE: the program on STORE in a new session
# of the private server (started if need be), COLS x ROWS, with TERM as the
# terminal type (empty: tmux's own default, as new-session -e cannot set TERM),
# stderr and the exit line in $WORK/SESSION.err; the pane stays a minute after
# the program ends. With a TERM given, line drawing is asked for as Unicode
# (NCURSES_NO_UTF8_ACS=1): with the VT100 charset that xterm's entry uses,
# capture-pane shows a box's border as the letters "lqqk", so the same screen
# would capture differently under each TERM.
tui_start() {
	term=
	[ -n "$4" ] && term="env TERM='$4' NCURSES_NO_UTF8_ACS=1 "
	tui -f /dev/null new-session -d -s "$1" -x "$2" -y "$3" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
		-e TAIZHANG_TODAY="${TAIZHANG_TODAY:-}" -e ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
		"cd '$WORK' && $term'$TZ_BIN' --store '$5' 2>'$WORK/$1.err'; echo \"exit \$?\" >>'$WORK/$1.err'; sleep 60"
}

# tui_menu_open TEXT: open the menu item whose label begins with TEXT, by its
# digit when it has one, else by the arrows from the first item (menus change:
# a walk names items by their words, never by their places).
tui_menu_open() {
	tui_wait "$1" >/dev/null || return 1
	digit=$(tui_screen | sed -n "s/^ *\([0-9]\)  $1.*/\1/p" | head -n 1)
	if [ -n "$digit" ]; then tui_keys "$digit"; return 0; fi
	at=$(tui_screen | grep -n -- "$1" | head -n 1 | cut -d: -f1)
	first=$(tui_screen | grep -n '^ *1  ' | head -n 1 | cut -d: -f1)
	while [ "$first" -lt "$at" ]; do tui_keys Down; first=$((first + 1)); done
	tui_keys Enter
}
# tui_tab_to TEXT: press Right (the next tab) until the screen shows TEXT,
# each time waiting for the screen to change; fails after 16 tabs.
tui_tab_to() {
	tries=16
	while [ "$tries" -gt 0 ]; do
		tui_shows "$1" && return 0
		tui_screen >"$WORK/tab.before"
		tui_keys Right
		tui_poll "" tui_changed "$WORK/tab.before" || return 1
		tries=$((tries - 1))
	done
	tui_dump "no tab shows: $1"; return 1
}
