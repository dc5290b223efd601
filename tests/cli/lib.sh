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

finish() { [ "$failures" -eq 0 ]; exit $?; }
