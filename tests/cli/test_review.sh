# test_review.sh — the town's review (issue 14; src/model/review.c) from the
# command line, over real stick trips: a dispatched problem reported rectified
# goes 镇初审 → 部门审核 (sent back: 重新整改 with the reason, seen at the
# village) → rectified again → 镇初审 → 部门审核 → 领导组审定 → 销号, seen at
# the village; a project goes 村申请 → 镇初审 → 部门审核 → 领导组审定, another
# is sent back (未通过); a village that records a town step in its own store by
# hand gets a proposal, never a step, and the town's refusal note comes back; a
# village whose bundle the town refused learns why, corrects its data and hands
# in a bundle the town accepts (rule A8). Every step is in the audit chain.
. "$(dirname "$0")/lib.sh"
P="$WORK/p"
printf 'review passphrase\n' >"$P"
export TAIZHANG_TODAY=2019-05-20
V="$WORK/v.tzs" T="$WORK/t.tzs" USB="$WORK/usb"
VC=341522104201
mkdir -p "$USB"
tz() { "$TZ_BIN" "$@" --passphrase-file "$P"; }
q() { "$TZ_BIN" query --store "$1" --passphrase-file "$P" "$2" | tail -n 1; }
hand() { "$TOOLS/writer" "$1" "$P" sql "$2"; }
# one hand-in by stick, each way; the import's exit status is checked
village_to_town() { want=$1; shift; rm -f "$USB"/*; tz bundle export --to "$USB" --store "$V" >"$WORK/export" &&
	run_tz "$want" "$1" bundle import "$USB" --store "$T" --passphrase-file "$P"; }
town_to_village() { rm -f "$USB"/*; tz bundle export --to "$USB" --store "$T" >/dev/null &&
	run_tz 0 "$1" bundle import "$USB" --store "$V" --passphrase-file "$P"; }

run_tz 0 "init the village" init --store "$V" --village $VC --name 示范村 --passphrase-file "$P" --kdf-cost min
run_tz 0 "init the town" init --store "$T" --town 341522104000 --name 城关镇 --passphrase-file "$P" --kdf-cost min
tz keys export "$WORK/t.key" --store "$T" >/dev/null
tz keys export "$WORK/v.key" --store "$V" >/dev/null
run_tz 0 "the village trusts the town" trust "$WORK/t.key" --yes --store "$V" --passphrase-file "$P"
run_tz 0 "the town enrolls the village" enroll "$WORK/v.key" --yes --store "$T" --passphrase-file "$P"
run_tz 0 "the village adds a group" record add villager_groups name=一组 --store "$V" --passphrase-file "$P"
g=$(q "$V" "SELECT id FROM villager_groups")
run_tz 0 "the village adds a household" record add households group_id="$g" address=东街一号 status=helped --store "$V" --passphrase-file "$P"
for name in 道路硬化 光伏电站; do
	run_tz 0 "the village applies for project $name" record add projects name=$name kind=infrastructure year=2019 funds_cents=100000 performance_target=修路一公里 --store "$V" --passphrase-file "$P"
done
road=$(q "$V" "SELECT id FROM projects WHERE name = '道路硬化'")
solar=$(q "$V" "SELECT id FROM projects WHERE name = '光伏电站'")
village_to_town 0 "first hand-in"

# ---- only the town reviews ----
run_tz 2 "a village cannot pass a step" review pass "$road" --store "$V" --passphrase-file "$P"
check "it says the town reviews" contains "$WORK/err" "镇扶贫办"
run_tz 2 "return needs a reason" review return "$road" --store "$T" --passphrase-file "$P"
check "it asks for --opinion" contains "$WORK/err" "--opinion"

# ---- a dispatched problem: village → town review → 重新整改 → 销号 ----
run_tz 0 "the town dispatches a problem" problem add --village $VC --area 2 --task 3 --title 危房未改造 --unit 镇危改办 --person 李四 --deadline 2019-05-30 --store "$T" --passphrase-file "$P"
pid=$(q "$T" "SELECT id FROM problems WHERE title = '危房未改造'")
run_tz 1 "an open problem waits for no review" review pass "$pid" --store "$T" --passphrase-file "$P"
check "it says it must be reported rectified first" contains "$WORK/err" "已整改"
town_to_village "the problem reaches the village"
run_tz 0 "the village reports it rectified with evidence" problem close "$pid" --evidence 改造后照片三张 --store "$V" --passphrase-file "$P"
village_to_town 0 "stick trip 1: the report reaches the town"
run_tz 0 "the town lists what waits" review list --store "$T" --passphrase-file "$P"
check "the problem waits for 镇初审" sh -c "grep -F '${pid%"${pid#????????}"}' '$WORK/out' | grep -q 镇初审"
check "both projects wait for 镇初审" test "$(grep -c '项目 镇初审' "$WORK/out")" -eq 2
check "the evidence is shown" contains "$WORK/out" "改造后照片三张"
run_tz 0 "镇初审 passes" review pass "${pid%"${pid#??????}"}" --opinion 材料齐全 --store "$T" --passphrase-file "$P"
check "it says so" contains "$WORK/out" "镇初审通过"
run_tz 0 "部门审核 sends it back" review return "$pid" --opinion 照片看不清，请补拍 --store "$T" --passphrase-file "$P"
check "the town's problem is reopened" test "$(q "$T" "SELECT state FROM problems WHERE id = '$pid'")" = reopened
town_to_village "stick trip 2: the outcome reaches the village"
check "the village sees 重新整改" test "$(q "$V" "SELECT state FROM problems WHERE id = '$pid'")" = reopened
run_tz 0 "the village reads the town's word" review list --store "$V" --passphrase-file "$P"
check "with the reason" sh -c "grep -F 部门审核退回 '$WORK/out' | grep -q 照片看不清"
check "and the passed step" contains "$WORK/out" "镇初审通过"
run_tz 0 "the problem's history says why too" problem show "$pid" --store "$V" --passphrase-file "$P"
check "in the move's note" contains "$WORK/out" "照片看不清，请补拍"

run_tz 0 "the village reports it rectified again" problem close "$pid" --evidence 补拍照片五张 --store "$V" --passphrase-file "$P"
village_to_town 0 "stick trip 3"
run_tz 0 "镇初审 again" review pass "$pid" --store "$T" --passphrase-file "$P"
run_tz 0 "部门审核" review pass "$pid" --opinion 住建所已核实 --store "$T" --passphrase-file "$P"
check "not closed before 领导组审定" test "$(q "$T" "SELECT state FROM problems WHERE id = '$pid'")" = rectified
run_tz 0 "领导组审定: 销号" review pass "$pid" --opinion 同意销号 --store "$T" --passphrase-file "$P"
check "it says 销号" contains "$WORK/out" "已销号"
check "the town's problem is closed" test "$(q "$T" "SELECT state FROM problems WHERE id = '$pid'")" = closed
run_tz 1 "a closed problem waits for nothing" review pass "$pid" --store "$T" --passphrase-file "$P"

# ---- projects: all the town's steps, and one sent back ----
for step in 镇初审 部门审核 领导组审定; do
	run_tz 0 "project $step" review pass "$road" --opinion "$step 同意" --store "$T" --passphrase-file "$P"
done
run_tz 1 "an approved project waits for nothing" review pass "$road" --store "$T" --passphrase-file "$P"
run_tz 0 "the other project is sent back at 镇初审" review return "$solar" --opinion 选址未定 --store "$T" --passphrase-file "$P"
check "the town holds the stages" test "$(q "$T" "SELECT group_concat(stage, '/') FROM (SELECT stage FROM projects ORDER BY name)")" = rejected/approved
run_tz 0 "the town's project shows its steps" review show "$road" --store "$T" --passphrase-file "$P"
check "three steps" test "$(grep -c '通过' "$WORK/out")" -eq 3
town_to_village "stick trip 4: 销号 and the projects' steps reach the village"
check "the village sees 销号" test "$(q "$V" "SELECT state FROM problems WHERE id = '$pid'")" = closed
run_tz 0 "the village's problem page" problem show "$pid" --store "$V" --passphrase-file "$P"
check "lists the town's steps" sh -c "grep -q '^镇里审核：' '$WORK/out' && grep -q '部门审核通过：住建所已核实' '$WORK/out'"
check "the village sees its projects' stages" test "$(q "$V" "SELECT group_concat(stage, '/') FROM (SELECT stage FROM projects ORDER BY name)")" = rejected/approved
check "with the town's stage records" test "$(q "$V" "SELECT count(*) FROM project_stages WHERE by_user <> '' AND stage <> 'applied'")" = 4
check "both sides hold the same steps" test "$(q "$V" 'SELECT count(*) FROM reviews')" = "$(q "$T" 'SELECT count(*) FROM reviews')"
run_tz 0 "the village reads the outcome" review list --store "$V" --passphrase-file "$P"
check "领导组审定 passed" contains "$WORK/out" "领导组审定通过"
check "the project not passed, with why" sh -c "grep -F 未通过 '$WORK/out' | grep -q 选址未定"
village_to_town 0 "the village's receipt"
check "no proposals from the town's own steps" test "$(q "$T" "SELECT count(*) FROM sync_proposals")" = 0

# ---- a village recording a town step itself gets a proposal, never a step ----
hand "$V" "INSERT INTO reviews(id, owner, village_code, subject, subject_id, step, outcome, by_user, on_date, created_at, updated_at) VALUES ('abcdef0123456789abcdef0123456789', '$VC', '$VC', 'problem', '$pid', 'approved', 'pass', 'x', '2019-05-20', 'x', 'x'); UPDATE projects SET stage = 'approved' WHERE id = '$solar'"
village_to_town 0 "the hand-made steps reach the town"
check "they wait as proposals" test "$(q "$T" "SELECT count(*) FROM sync_proposals WHERE state = 'open'")" = 2
check "no step was applied" test "$(q "$T" "SELECT count(*) FROM reviews WHERE owner = '$VC'")/$(q "$T" "SELECT stage FROM projects WHERE id = '$solar'")" = 0/rejected
rid=$(q "$T" "SELECT id FROM sync_proposals WHERE table_name = 'reviews'")
run_tz 1 "a hand-made step is never accepted as it came" bundle accept "$rid" --store "$T" --passphrase-file "$P"
run_tz 0 "the town refuses it with a note" bundle refuse "$rid" --note 审核由镇里办理，请勿自行登记 --store "$T" --passphrase-file "$P"
town_to_village "the refusal reaches the village"
run_tz 0 "the village reads the answer" review list --store "$V" --passphrase-file "$P"
check "the refusal's note came back" sh -c "grep -F 申请未同意 '$WORK/out' | grep -q 请勿自行登记"
check "the step the village wrote itself is not listed as the town's" test "$(grep -c 领导组审定通过 "$WORK/out")" -eq 2

# ---- a refused bundle: the village learns why, corrects, hands in again ----
h=$(q "$V" "SELECT id FROM households")
hand "$V" "UPDATE households SET address = '东街' || char(27) || '[2J' WHERE id = '$h'"
rm -f "$USB"/*
tz bundle export --to "$USB" --store "$V" >/dev/null
# the carrier renamed the file too: its name, with an escape, goes back in the answer
for f in "$USB"/*.tzb; do mv "$f" "$USB/$(printf 'x\033[2J')$(basename "$f")"; done
run_tz 4 "the town refuses a bundle with a control character" bundle import "$USB" --store "$T" --passphrase-file "$P"
cp "$USB"/*.tzb "$WORK/refused.tzb"
check "the town's household is unchanged" test "$(q "$T" "SELECT address FROM households WHERE id = '$h'")" = 东街一号
town_to_village "the refusal is carried back"
run_tz 0 "the village reads why" review list --store "$V" --passphrase-file "$P"
check "it names the refusal" contains "$WORK/out" "数据包被镇里拒收"
check "and the field" contains "$WORK/out" "households"
hand "$V" "UPDATE households SET address = '东街二号' WHERE id = '$h'"
village_to_town 0 "the corrected bundle is accepted"
check "the export said it wrote the refused bundle anew" contains "$WORK/export" "镇里拒收了第"
check "the town holds the corrected address" test "$(q "$T" "SELECT address FROM households WHERE id = '$h'")" = 东街二号
run_tz 0 "the old refused file met again is skipped, not a fork" bundle import "$WORK/refused.tzb" --store "$T" --passphrase-file "$P"
check "it says so" contains "$WORK/out" "以前被拒收"
check "no alarm" test "$(q "$T" 'SELECT count(*) FROM sync_alarms')" = 0
town_to_village "the receipt"
village_to_town 0 "the chain goes on"

# ---- every step in the audit chain ----
run_tz 0 "the town's store verifies" verify --store "$T" --passphrase-file "$P"
check "each review step is audited" test "$(q "$T" "SELECT count(*) FROM audit_log WHERE action IN ('review.pass', 'review.return')")" = "$(q "$T" 'SELECT count(*) FROM reviews')"
check "that is nine steps" test "$(q "$T" 'SELECT count(*) FROM reviews')" = 9
run_tz 0 "the village's store verifies" verify --store "$V" --passphrase-file "$P"
finish
