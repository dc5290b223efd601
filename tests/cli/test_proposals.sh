# test_proposals.sh — what only the town writes (src/sync/README.md, rule A4),
# from the command line: a village asks for 销号 of a dispatched problem
# (`problem close` at the village), the town closes it off; a village store
# edited by hand to close one itself reaches the town as proposals, which the
# town lists (`bundle proposals`), accepts or refuses with a note; the town's
# decision reaches the village on the next hand-in. Refused bundles are listed
# (`bundle refusals`). Stored text with terminal controls is printed sanitized.
. "$(dirname "$0")/lib.sh"
P="$WORK/p"
printf 'proposal passphrase\n' >"$P"
export TAIZHANG_TODAY=2019-04-20
V="$WORK/v.tzs" T="$WORK/t.tzs" USB="$WORK/usb"
mkdir -p "$USB"
tz() { "$TZ_BIN" "$@" --passphrase-file "$P"; }
q() { "$TZ_BIN" query --store "$1" --passphrase-file "$P" "$2" | tail -n 1; }
# hand STORE SQL: the store edited by hand, with change capture on
hand() { "$TOOLS/writer" "$1" "$P" sql "$2"; }
# village_to_town / town_to_village: one hand-in by USB stick
village_to_town() { rm -f "$USB"/*; tz bundle export --to "$USB" --store "$V" >/dev/null &&
	run_tz 0 "$1" bundle import "$USB" --store "$T" --passphrase-file "$P"; }
town_to_village() { rm -f "$USB"/*; tz bundle export --to "$USB" --store "$T" >/dev/null &&
	run_tz 0 "$1" bundle import "$USB" --store "$V" --passphrase-file "$P"; }

run_tz 0 "demo village" demo --store "$V" --households 6 --seed 3 --passphrase-file "$P" --kdf-cost min
run_tz 0 "init the town" init --store "$T" --town 341522104000 --name 城关镇 --passphrase-file "$P" --kdf-cost min
tz keys export "$WORK/t.key" --store "$T" >/dev/null
tz keys export "$WORK/v.key" --store "$V" >/dev/null
run_tz 0 "the village trusts the town" trust "$WORK/t.key" --yes --store "$V" --passphrase-file "$P"
run_tz 0 "the town enrolls the village" enroll "$WORK/v.key" --yes --store "$T" --passphrase-file "$P"
village_to_town "the town takes the village's first hand-in"
check "the demo's projects past 村申请 wait for the town (A4)" test "$(q "$T" "SELECT count(*) FROM sync_proposals WHERE table_name = 'projects'")" -gt 0
check "the town accepts them" accept_proposals "$T" "$P"

# ---- the town decides: only at the town ----
run_tz 2 "proposals are listed only at the town" bundle proposals --store "$V" --passphrase-file "$P"
check "it says the town decides" contains "$WORK/err" "镇扶贫办的台账"
run_tz 2 "accept needs a proposal number" bundle accept --store "$T" --passphrase-file "$P"
run_tz 2 "refuse needs a note" bundle refuse 1 --store "$T" --passphrase-file "$P"
check "it says to write why" contains "$WORK/err" "--note"
run_tz 2 "a proposal number is a number" bundle accept x1 --store "$T" --passphrase-file "$P"
run_tz 0 "no proposals yet" bundle proposals --store "$T" --passphrase-file "$P"
check "it says none wait" contains "$WORK/out" "没有待决定的申请"
run_tz 1 "accepting no such proposal fails" bundle accept 99 --store "$T" --passphrase-file "$P"
check "it names the number" contains "$WORK/err" "99"

# ---- two dispatched problems ----
for title in 危房未改造 饮水不安全; do
	run_tz 0 "the town dispatches $title" problem add --village 341522104201 --area 2 --task 3 --title "$title" --unit 镇危改办 --person 李四 --deadline 2019-05-30 --store "$T" --passphrase-file "$P"
done
a=$(q "$T" "SELECT id FROM problems WHERE title = '危房未改造'")
b=$(q "$T" "SELECT id FROM problems WHERE title = '饮水不安全'")
town_to_village "the village takes the dispatched problems"
check "both arrived open" test "$(q "$V" "SELECT group_concat(state, '/') FROM problems WHERE id IN ('$a', '$b')")" = open/open

# ---- the program's way: the village asks for 销号, the town closes off ----
run_tz 1 "asking for 销号 needs evidence" problem close "$a" --store "$V" --passphrase-file "$P"
check "it says evidence is needed" contains "$WORK/err" "佐证材料"
run_tz 0 "the village closes a dispatched problem: it asks" problem close "$a" --evidence 改造后照片三张 --note 已完工 --store "$V" --passphrase-file "$P"
check "it says 销号 was asked of the town" contains "$WORK/out" "已申请销号"
check "the village holds it rectified" test "$(q "$V" "SELECT state FROM problems WHERE id = '$a'")" = rectified
village_to_town "the town takes the request"
check "the town sees it rectified, no proposal needed" test "$(q "$T" "SELECT state FROM problems WHERE id = '$a'")/$(q "$T" "SELECT count(*) FROM sync_proposals WHERE table_name LIKE 'problem%'")" = rectified/0
check "the request's note reached the town" test "$(q "$T" "SELECT count(*) FROM problem_events WHERE problem_id = '$a' AND note LIKE '申请销号%'")" = 1
run_tz 0 "the town closes it off" problem close "$a" --note 验收合格 --store "$T" --passphrase-file "$P"
check "it does not say it asked" sh -c "! grep -q '已申请销号' '$WORK/out'"
check "the town holds it closed" test "$(q "$T" "SELECT state FROM problems WHERE id = '$a'")" = closed
town_to_village "the village takes the close-off"
check "the village holds it closed" test "$(q "$V" "SELECT state FROM problems WHERE id = '$a'")" = closed

# ---- a store edited by hand: the village closes one itself ----
run_tz 0 "the village reports the other rectified" problem move "$b" rectified --evidence 水质检测报告 --store "$V" --passphrase-file "$P"
hand "$V" "UPDATE problems SET state = 'closed' WHERE id = '$b';
INSERT INTO problem_events(id, owner, problem_id, from_state, to_state, by_user, at, created_at, updated_at)
VALUES ('b100000000000000000000000000000e', '341522104201', '$b', 'rectified', 'closed', '管理员',
'2019-04-20T08:00:00Z', '2019-04-20T08:00:00Z', '2019-04-20T08:00:00Z')"
check "the village's store says closed" test "$(q "$V" "SELECT state FROM problems WHERE id = '$b'")" = closed
village_to_town "the town imports the hand-closed problem"
check "the import says proposals wait for the town" contains "$WORK/out" "待镇里决定"
check "the town applied what the village may write (rectified), not the close" test "$(q "$T" "SELECT state FROM problems WHERE id = '$b'")" = rectified
run_tz 0 "bundle proposals lists them" bundle proposals --store "$T" --passphrase-file "$P"
check "two proposals wait" test "$(grep -c '^#' "$WORK/out")" -eq 2
check "they name the problem and ask for 销号" sh -c "grep -q '$b' '$WORK/out' && grep -q '销号' '$WORK/out'"
up=$(q "$T" "SELECT id FROM sync_proposals WHERE table_name = 'problems'")
ev=$(q "$T" "SELECT id FROM sync_proposals WHERE table_name = 'problem_events'")
check "one proposal is the update, one the event" sh -c "test -n '$up' && test -n '$ev' && test '$up' != '$ev'"
run_tz 2 "the village cannot accept" bundle accept "$up" --store "$V" --passphrase-file "$P"
run_tz 0 "the town refuses the event with a note" bundle refuse "$ev" --note 以镇里的销号记录为准 --store "$T" --passphrase-file "$P"
check "it says refused" contains "$WORK/out" "不同意"
run_tz 0 "the town accepts the close" bundle accept "$up" --note 验收合格 --store "$T" --passphrase-file "$P"
check "it says accepted" contains "$WORK/out" "已同意"
run_tz 1 "a decided proposal cannot be decided again" bundle refuse "$up" --note 再议 --store "$T" --passphrase-file "$P"
check "the town holds it closed" test "$(q "$T" "SELECT state FROM problems WHERE id = '$b'")" = closed
check "by the town's own move, not the village's event" test "$(q "$T" "SELECT count(*) FROM problem_events WHERE problem_id = '$b' AND to_state = 'closed'")/$(q "$T" "SELECT count(*) FROM problem_events WHERE id = 'b100000000000000000000000000000e'")" = 1/0
run_tz 0 "no proposal is open any more" bundle proposals --store "$T" --passphrase-file "$P"
check "it says none wait" contains "$WORK/out" "没有待决定的申请"
run_tz 0 "bundle proposals --all shows the decisions" bundle proposals --all --store "$T" --passphrase-file "$P"
check "with the refusal's note and the acceptance" sh -c "grep -q '以镇里的销号记录为准' '$WORK/out' && grep -q '已同意' '$WORK/out'"
town_to_village "the village takes the town's decision"
check "the village holds it closed, as the town" test "$(q "$V" "SELECT state FROM problems WHERE id = '$b'")" = closed
check "the town's close-off move reached the village" test "$(q "$V" "SELECT count(*) FROM problem_events WHERE problem_id = '$b' AND note LIKE '同意村里的申请%'")" = 1
run_tz 0 "the village reads the town's answers" review list --store "$V" --passphrase-file "$P"
check "the refusal's note reached the village" sh -c "grep -F 申请未同意 '$WORK/out' | grep -q 以镇里的销号记录为准"
check "and the acceptance" sh -c "grep -F 申请已同意 '$WORK/out' | grep -q 验收合格"

# ---- a close the state machine refuses now: exit 1, nothing written ----
run_tz 0 "the town dispatches a third problem" problem add --village 341522104201 --area 2 --task 3 --title 住房不安全 --unit 镇危改办 --person 李四 --deadline 2019-05-30 --store "$T" --passphrase-file "$P"
c=$(q "$T" "SELECT id FROM problems WHERE title = '住房不安全'")
town_to_village "the village takes it"
hand "$V" "UPDATE problems SET state = 'closed', evidence = '照片' WHERE id = '$c'"
village_to_town "the town imports a close of an open problem"
cp=$(q "$T" "SELECT id FROM sync_proposals WHERE row_key = '$c' AND table_name = 'problems'")
run_tz 1 "accepting a close from 待整改 is refused by the state machine" bundle accept "$cp" --store "$T" --passphrase-file "$P"
check "it names the states allowed" contains "$WORK/err" "现在可以改为"
check "nothing written: the problem is open, the proposal still open" test "$(q "$T" "SELECT state FROM problems WHERE id = '$c'")/$(q "$T" "SELECT state FROM sync_proposals WHERE id = '$cp'")" = open/open

# ---- refused bundles are listed ----
run_tz 0 "no bundle refused yet" bundle refusals --store "$T" --passphrase-file "$P"
check "it says none" contains "$WORK/out" "没有被拒收的数据包"
hand "$V" "UPDATE households SET address = 'x' || char(27) || '[2J' WHERE rowid = (SELECT min(rowid) FROM households)"
rm -f "$USB"/*; tz bundle export --to "$USB" --store "$V" >/dev/null
run_tz 4 "a bundle with a terminal control in a text is refused" bundle import "$USB" --store "$T" --passphrase-file "$P"
run_tz 0 "bundle refusals lists it" bundle refusals --store "$T" --passphrase-file "$P"
check "with its village and reason" sh -c "grep -q '341522104201' '$WORK/out' && grep -q 'households' '$WORK/out'"
check "and no raw escape reaches the terminal" sh -c "! grep -q -a \"\$(printf '\\033')\" '$WORK/out'"

# ---- the second wall: stored text printed sanitized ----
# Put in the store by SQL, bypassing the model (as a hostile village would):
# ESC, a bidi override and a zero-width space in a problem's title.
bad=$(printf 'A\033[31mB\342\200\256C\342\200\213D')
hand "$V" "UPDATE problems SET title = '$bad' WHERE id = '$a'"
esc=$(printf '\033')
rlo=$(printf '\342\200\256')
zws=$(printf '\342\200\213')
clean() { ! grep -q -a -e "$esc" -e "$rlo" -e "$zws" "$1"; }
run_tz 0 "query to a file writes the stored bytes as they are" query "SELECT title FROM problems WHERE id = '$a'" --store "$V" --passphrase-file "$P"
check "so the store does hold ESC, the override and the zero-width space" sh -c "grep -q -a '$esc' '$WORK/out' && grep -q -a '$rlo' '$WORK/out' && grep -q -a '$zws' '$WORK/out'"
run_tz 0 "problem list shows the hostile title" problem list --store "$V" --passphrase-file "$P"
check "problem list: no ESC, bidi override or zero-width character" clean "$WORK/out"
check "problem list: the visible letters stay" contains "$WORK/out" "A"
run_tz 0 "problem show shows it" problem show "$a" --store "$V" --passphrase-file "$P"
check "problem show: sanitized" clean "$WORK/out"
run_tz 0 "record show shows it" record show problems "$a" --store "$V" --passphrase-file "$P"
check "record show: sanitized" clean "$WORK/out"
check "record show: the title is there" contains "$WORK/out" "B"
finish
