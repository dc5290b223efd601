# lib.sh — helpers for the command-line tests (sourced). Each check prints
# "ok - WHAT" or "not ok - WHAT" and the script's exit status says whether all
# passed. Uses $TZ_BIN, $TOOLS and $WORK from tests/run-cli.sh.
set -u
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TAIZHANG_STORE TAIZHANG_USER
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

# ---- the program's screen in tmux (test_tui*.sh) ----
# A script sets TUI_SOCK (its private tmux server) and TUI_SESSION (the session
# whose pane it reads and types into). Keys are sent at once, without pauses:
# the program reads them in order, and every check waits for what the screen
# must come to show, polling capture-pane every 0.05 s until it does or
# TUI_TIMEOUT seconds (default 10) have passed — then the check fails and the
# screen is printed. Nothing waits a fixed time.
TUI_TIMEOUT=${TUI_TIMEOUT:-10}
tui() { tmux -L "$TUI_SOCK" "$@"; }
tui_screen() { tui capture-pane -p -t "$TUI_SESSION"; }
# tui_keys KEY...: press keys (tmux key names: Enter, Tab, F2, C-u, y, ...).
tui_keys() { tui send-keys -t "$TUI_SESSION" "$@"; }
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
tui_matches() { tui_screen | grep -q -- "$1"; }
file_has() { grep -q -F -- "$2" "$1" 2>/dev/null; }
# Print the screen, prefixed, after a failed wait.
tui_dump() { echo "# $1"; tui_screen | sed 's/^/#   /'; }

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
