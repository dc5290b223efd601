# test_sync.sh — sync by USB stick, end to end with real files: two villages
# and a town; export, import, receipts, dispatch and close-off; replays, gaps,
# forks (a copied store), unknown / revoked devices, another town's bundle;
# kill -9 during an import; no personal data in clear in any bundle.
. "$(dirname "$0")/lib.sh"
P="$WORK/p"
printf 'sync passphrase\n' >"$P"
export TAIZHANG_TODAY=2019-04-20
V1="$WORK/v1.tzs" V2="$WORK/v2.tzs" T="$WORK/t.tzs"
USB="$WORK/usb" BACK="$WORK/back"
mkdir -p "$USB" "$BACK"

tz() { "$TZ_BIN" "$@" --passphrase-file "$P"; }
# q STORE SQL: one value from a query (the last line of its CSV)
q() { "$TZ_BIN" query --store "$1" --passphrase-file "$P" "$2" | tail -n 1; }

run_tz 0 "bundle --help" bundle --help
check "usage names export and import" sh -c "grep -q 'bundle export' '$WORK/out' && grep -q 'bundle import' '$WORK/out'"
run_tz 2 "bundle without an action" bundle --store "$T" --passphrase-file "$P"
run_tz 2 "bundle export without --to" bundle export --store "$T" --passphrase-file "$P"
run_tz 2 "bundle import without a path" bundle import --store "$T" --passphrase-file "$P"

# ---- two villages, one town ----
# idcard FIRST17: an 18-digit ID number with its GB 11643 check digit.
idcard() { awk -v b="$1" 'BEGIN { split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); s = 0
	for (i = 1; i <= 17; i++) s += substr(b, i, 1) * w[i]; print b substr("10X98765432", s % 11 + 1, 1) }'; }
run_tz 0 "demo village 1" demo --store "$V1" --households 12 --seed 1 --passphrase-file "$P" --kdf-cost min
run_tz 0 "init village 2" init --store "$V2" --village 341522104202 --name 李庄村 --passphrase-file "$P" --kdf-cost min
run_tz 0 "village 2 adds a group" record add villager_groups name=一组 --store "$V2" --passphrase-file "$P"
g=$(q "$V2" "SELECT id FROM villager_groups")
run_tz 0 "village 2 adds a household" record add households group_id="$g" address=李庄村一组八号 status=helped --store "$V2" --passphrase-file "$P"
h=$(q "$V2" "SELECT id FROM households")
run_tz 0 "village 2 adds its head" record add members household_id="$h" name=李大山 idcard="$(idcard 34152219650312001)" relation=head --store "$V2" --passphrase-file "$P"
run_tz 0 "village 2 adds a member" record add members household_id="$h" name=李小花 idcard="$(idcard 34152219900708002)" relation=child --store "$V2" --passphrase-file "$P"
run_tz 0 "init the town" init --store "$T" --town 341522104000 --name 城关镇 --passphrase-file "$P" --kdf-cost min

run_tz 1 "a village cannot export before it trusts the town" bundle export --to "$USB" --store "$V1" --passphrase-file "$P"
check "it says to trust the town key" contains "$WORK/err" "taizhang trust"

tz keys export "$WORK/t.key" --store "$T" >/dev/null
tz keys export "$WORK/v1.key" --store "$V1" >/dev/null
tz keys export "$WORK/v2.key" --store "$V2" >/dev/null
run_tz 0 "village 1 trusts the town" trust "$WORK/t.key" --yes --store "$V1" --passphrase-file "$P"
run_tz 0 "village 2 trusts the town" trust "$WORK/t.key" --yes --store "$V2" --passphrase-file "$P"
run_tz 0 "the town enrolls village 1" enroll "$WORK/v1.key" --yes --store "$T" --passphrase-file "$P"
run_tz 0 "the town enrolls village 2" enroll "$WORK/v2.key" --yes --store "$T" --passphrase-file "$P"

check "village 1's outbox holds its changes" test "$(q "$V1" 'SELECT count(*) > 0 FROM sync_outbox')" = 1
check "the sync tables are never captured" test "$(q "$T" 'SELECT count(*) FROM sync_outbox')" = 0

run_tz 0 "village 1 exports" bundle export --to "$USB" --store "$V1" --passphrase-file "$P"
check "the file name says village, seq and date" sh -c "ls '$USB' | grep -q '^341522104201-to-town-[0-9a-f]\{8\}-000001-20190420\.tzb$'"
check "no part file left" sh -c "! ls '$USB' | grep -q part"
run_tz 0 "village 2 exports to the same stick" bundle export --to "$USB" --store "$V2" --passphrase-file "$P"
cp "$USB"/*.tzb "$BACK/"

# no personal data in clear: every name and ID number of village 1's members
"$TZ_BIN" query --store "$V1" --passphrase-file "$P" "SELECT name FROM members UNION SELECT idcard FROM members UNION SELECT address FROM households WHERE address IS NOT NULL" | tail -n +2 >"$WORK/secrets"
leaks=0
while read -r secret; do
	if grep -q -a -F -- "$secret" "$USB"/*.tzb; then leaks=$((leaks + 1)); echo "# in clear: $secret"; fi
done <"$WORK/secrets"
check "no name, ID number or address in clear in the bundles ($(wc -l <"$WORK/secrets") checked)" test "$leaks" -eq 0

run_tz 0 "the town imports the folder" bundle import "$USB" --store "$T" --passphrase-file "$P"
check "two bundles applied" contains "$WORK/out" "已导入 2"
check "a result line per bundle" test "$(grep -c '^已导入 ' "$WORK/out")" -eq 2
check "village 1's projects past 村申请 wait for the town" test "$(q "$T" "SELECT count(*) FROM sync_proposals WHERE table_name = 'projects'")" -gt 0
check "the town accepts them (rule A4)" accept_proposals "$T" "$P"
for table in households members visits problems cadres; do
	for v in 1 2; do
		eval store=\$V$v
		code=34152210420$v
		mine=$(q "$store" "SELECT count(*) FROM $table")
		town=$(q "$T" "SELECT count(*) FROM $table WHERE owner = '$code'")
		check "the town's $table of village $v equal the village's ($mine)" test "$mine" = "$town"
	done
done
sum1=$(q "$V1" "SELECT sum(income_cents) || '/' || group_concat(status, '') FROM (SELECT * FROM households ORDER BY id)")
sumt=$(q "$T" "SELECT sum(income_cents) || '/' || group_concat(status, '') FROM (SELECT * FROM households WHERE village_code = '341522104201' ORDER BY id)")
check "the town's figures equal village 1's" test "$sum1" = "$sumt"

run_tz 0 "a replay of the same folder changes nothing" bundle import "$USB" --store "$T" --passphrase-file "$P"
check "both reported as duplicates" contains "$WORK/out" "重复 2"
check "still one receipt per bundle" test "$(q "$T" 'SELECT count(*) FROM sync_received')" = 2

run_tz 0 "bundle status at the town" bundle status --store "$T" --passphrase-file "$P"
check "status lists both villages" sh -c "grep -q '^341522104201' '$WORK/out' && grep -q '^341522104202' '$WORK/out'"

# ---- receipts and dispatch ----
run_tz 1 "a problem at the town needs a village" problem add --area 2 --task 3 --title 无村 --unit 镇危改办 --person 李四 --deadline 2019-05-30 --store "$T" --passphrase-file "$P"
run_tz 1 "a problem for an unknown village is refused" problem add --village 341522104299 --area 2 --task 3 --title 无此村 --unit 镇危改办 --person 李四 --deadline 2019-05-30 --store "$T" --passphrase-file "$P"
run_tz 0 "the town dispatches a problem to village 1" problem add --village 341522104201 --area 2 --task 3 --title 镇督查发现危房未改造 --unit 镇危改办 --person 李四 --deadline 2019-05-30 --store "$T" --passphrase-file "$P"
pid=$(sed -n 's/^已登记问题 \([0-9a-f]*\)：.*/\1/p' "$WORK/out")
check "the problem has an id" test -n "$pid"
rm -f "$USB"/*
run_tz 0 "the town exports" bundle export --to "$USB" --store "$T" --passphrase-file "$P"
check "one bundle per village" test "$(ls "$USB" | wc -l)" -eq 2
check "named from the town" sh -c "ls '$USB' | grep -q '^341522104201-from-town-'"
run_tz 0 "village 1 imports the stick (skipping village 2's bundle)" bundle import "$USB" --store "$V1" --passphrase-file "$P"
check "one applied, one skipped" sh -c "grep -q '已导入 1' '$WORK/out' && grep -q '跳过 1' '$WORK/out'"
check "the receipt cleared village 1's outbox" test "$(q "$V1" 'SELECT count(*) FROM sync_outbox')" = 0
check "the dispatched problem arrived" test "$(q "$V1" "SELECT state || source FROM problems WHERE id = '$pid'")" = opendispatch
run_tz 0 "village 2 imports the stick" bundle import "$USB" --store "$V2" --passphrase-file "$P"
check "village 2 did not get village 1's problem" test "$(q "$V2" "SELECT count(*) FROM problems WHERE id = '$pid'")" = 0
check "village 2's outbox is cleared too" test "$(q "$V2" 'SELECT count(*) FROM sync_outbox')" = 0

run_tz 0 "village 1 starts rectifying" problem move "$pid" rectifying --note 已开工 --store "$V1" --passphrase-file "$P"
run_tz 0 "village 1 reports it rectified" problem move "$pid" rectified --evidence 改造后照片三张 --store "$V1" --passphrase-file "$P"
rm -f "$USB"/*
run_tz 0 "village 1 exports the rectification" bundle export --to "$USB" --store "$V1" --passphrase-file "$P"
run_tz 0 "the town imports it" bundle import "$USB" --store "$T" --passphrase-file "$P"
check "the town sees it rectified" test "$(q "$T" "SELECT state FROM problems WHERE id = '$pid'")" = rectified
run_tz 0 "the town closes it off" problem close "$pid" --note 验收合格 --store "$T" --passphrase-file "$P"
rm -f "$USB"/*
run_tz 0 "the town exports the close-off" bundle export --to "$USB" --store "$T" --passphrase-file "$P"
run_tz 0 "village 1 imports it" bundle import "$USB" --store "$V1" --passphrase-file "$P"
check "village 1 sees it closed" test "$(q "$V1" "SELECT state FROM problems WHERE id = '$pid'")" = closed
check "both sides hold the same four moves" test "$(q "$V1" "SELECT count(*) FROM problem_events WHERE problem_id = '$pid'")" = "$(q "$T" "SELECT count(*) FROM problem_events WHERE problem_id = '$pid'")"
check "no conflicts on the way" test "$(q "$T" 'SELECT count(*) FROM sync_conflicts')" = 0

# ---- reference data: the town sets it, every village follows ----
run_tz 2 "a village cannot change a policy number" policy set notice_days 5 --store "$V1" --passphrase-file "$P"
check "it says the town sets them" contains "$WORK/err" "镇扶贫办统一设定"
run_tz 1 "an unknown policy key is refused, listing the keys" policy set no_such_key 5 --store "$T" --passphrase-file "$P"
check "the message lists notice_days" contains "$WORK/err" "notice_days"
run_tz 1 "a deadline that is no date is refused" policy deadline rectification 2019-02-30 --store "$T" --passphrase-file "$P"
run_tz 0 "the town moves a deadline" policy deadline rectification 2019年6月15日 --store "$T" --passphrase-file "$P"
run_tz 0 "and changes the notice days" policy set notice_days 5 --store "$T" --passphrase-file "$P"
check "routed to every village" test "$(q "$T" "SELECT count(*) FROM sync_outbox WHERE dest = '*'")" = 2
rm -f "$USB"/*
run_tz 0 "the town exports" bundle export --to "$USB" --store "$T" --passphrase-file "$P"
run_tz 0 "village 1 imports" bundle import "$USB" --store "$V1" --passphrase-file "$P"
run_tz 0 "village 2 imports" bundle import "$USB" --store "$V2" --passphrase-file "$P"
for v in 1 2; do
	eval store=\$V$v
	check "village $v has the new deadline" test "$(q "$store" "SELECT due FROM deadlines WHERE key = 'rectification'")" = 2019-06-15
	check "village $v has the new notice days" test "$(q "$store" "SELECT value FROM policy WHERE key = 'notice_days'")" = 5
done
run_tz 0 "policy list at a village" policy list --store "$V1" --passphrase-file "$P"
check "it shows the deadline" sh -c "grep 'rectification' '$WORK/out' | grep -q '2019-06-15'"

# ---- comparison results: the town's 低保 comparison dispatched to the villages ----
v1roster=$(q "$T" "SELECT count(*) FROM dibao_roster WHERE owner = '341522104201'")
printf '户主姓名,户主身份证号,姓名,身份证号,所在村\n李大山,%s,李大山,%s,李庄村\n王二,%s,王二,%s,李庄村\n' \
	"$(idcard 34152219650312001)" "$(idcard 34152219650312001)" "$(idcard 34152219700101003)" "$(idcard 34152219700101003)" >"$WORK/county-dibao.csv"
run_tz 0 "the town imports the county's 低保 roster" roster import dibao "$WORK/county-dibao.csv" --store "$T" --passphrase-file "$P"
check "the villages' own rosters at the town are left alone" test "$(q "$T" "SELECT count(*) FROM dibao_roster WHERE owner = '341522104201'")" = "$v1roster"
run_tz 2 "dispatching needs a deadline, a person and a unit" compare dibao --dispatch --store "$T" --passphrase-file "$P"
run_tz 2 "a village cannot dispatch" compare dibao --dispatch --deadline 2019-05-31 --person 张三 --unit 民政办 --store "$V1" --passphrase-file "$P"
run_tz 0 "the town dispatches the comparison" compare dibao --dispatch --deadline 2019-05-31 --person 张三 --unit 民政办 --store "$T" --passphrase-file "$P"
n1=$(q "$T" "SELECT count(*) FROM problems WHERE finding_rule = 'dibao-compare' AND village_code = '341522104201'")
check "village 1's registered households not on the roster are dispatched ($n1)" test "$n1" -gt 0
check "village 2: only the 低保 household it has not registered" test "$(q "$T" "SELECT title FROM problems WHERE finding_rule = 'dibao-compare' AND village_code = '341522104202'")" = "低保比对：低保户王二未识别为建档立卡户，请核实是否应纳入"
run_tz 0 "dispatching again sends nothing twice" compare dibao --dispatch --deadline 2019-05-31 --person 张三 --unit 民政办 --store "$T" --passphrase-file "$P"
check "it says none are new" contains "$WORK/out" "新派单 0 条"
rm -f "$USB"/*
run_tz 0 "the town exports the comparison results" bundle export --to "$USB" --store "$T" --passphrase-file "$P"
run_tz 0 "village 1 imports them" bundle import "$USB" --store "$V1" --passphrase-file "$P"
run_tz 0 "village 2 imports them" bundle import "$USB" --store "$V2" --passphrase-file "$P"
check "village 1 has its $n1 comparison problems" test "$(q "$V1" "SELECT count(*) FROM problems WHERE finding_rule = 'dibao-compare'")" = "$n1"
check "village 2 has its one" test "$(q "$V2" "SELECT count(*) FROM problems WHERE finding_rule = 'dibao-compare' AND source = 'dispatch'")" = 1

# ---- a conflict: both sides move the same problem of village 1 ----
cp=$(q "$V1" "SELECT id FROM problems WHERE state = 'open' AND owner = '341522104201' ORDER BY id LIMIT 1")
check "village 1 has an open problem of its own" test -n "$cp"
run_tz 0 "the town starts it (rectifying)" problem move "$cp" rectifying --note 镇里督办 --store "$T" --passphrase-file "$P"
run_tz 0 "meanwhile the village starts it too" problem move "$cp" rectifying --note 村里开工 --measures 先行加固 --store "$V1" --passphrase-file "$P"
rm -f "$USB"/*
run_tz 0 "village 1 exports" bundle export --to "$USB" --store "$V1" --passphrase-file "$P"
run_tz 0 "the town imports" bundle import "$USB" --store "$T" --passphrase-file "$P"
check "the conflict is reported" contains "$WORK/out" "1 处冲突"
check "the conflict ledger has it" test "$(q "$T" "SELECT count(*) FROM sync_conflicts WHERE row_key = '$cp' AND handled_at IS NULL")" = 1
run_tz 0 "bundle conflicts lists it" bundle conflicts --store "$T" --passphrase-file "$P"
check "it names the table, in Chinese, and the row" grep -q "问题  记录 $cp" "$WORK/out"
check "it says the town's version stands" contains "$WORK/out" "保留本机的"
check "both moves are in the town's history" test "$(q "$T" "SELECT count(*) FROM problem_events WHERE problem_id = '$cp' AND to_state = 'rectifying'")" = 2
cid=$(q "$T" "SELECT id FROM sync_conflicts WHERE row_key = '$cp'")
run_tz 2 "resolve needs a note" bundle resolve "$cid" --store "$T" --passphrase-file "$P"
run_tz 0 "the town marks it handled" bundle resolve "$cid" --note 已电话核实，以镇里为准 --store "$T" --passphrase-file "$P"
run_tz 0 "no open conflicts left" bundle conflicts --store "$T" --passphrase-file "$P"
check "it says so" contains "$WORK/out" "没有未处理的冲突"
rm -f "$USB"/*
run_tz 0 "the town exports" bundle export --to "$USB" --store "$T" --passphrase-file "$P"
run_tz 0 "village 1 imports" bundle import "$USB" --store "$V1" --passphrase-file "$P"
row="SELECT state || '|' || updated_at || '|' || coalesce(measures, '') FROM problems WHERE id = '$cp'"
check "both sides now hold the same row" test "$(q "$V1" "$row")" = "$(q "$T" "$row")"

# ---- the town's report of a village equals the village's own, after sync ----
mkdir -p "$WORK/rep"
run_tz 0 "village 1's own report" report --out "$WORK/rep/v.csv" --store "$V1" --passphrase-file "$P"
run_tz 0 "the town's report of village 1" report --village 341522104201 --out "$WORK/rep/t.csv" --store "$T" --passphrase-file "$P"
nsec=0
for f in "$WORK"/rep/v-*.csv "$WORK/rep/v.csv"; do
	case "$f" in *-cover.csv) continue ;; esac
	g="$WORK/rep/t${f#"$WORK"/rep/v}"
	nsec=$((nsec + 1))
	check "section $(basename "$f" .csv | sed 's/^v-\{0,1\}//') equal at the town" cmp -s "$f" "$g"
done
check "every section compared ($nsec)" test "$nsec" -ge 12

# ---- gaps: a lost stick ----
run_tz 0 "village 2 adds a cadre" record add cadres name=王五 unit=县农业局 role=帮扶单位干部 --store "$V2" --passphrase-file "$P"
rm -f "$USB"/*
run_tz 0 "village 2 exports (this stick is lost)" bundle export --to "$USB" --store "$V2" --passphrase-file "$P"
run_tz 0 "village 2 adds another cadre" record add cadres name=赵六 unit=县农业局 role=帮扶单位干部 --store "$V2" --passphrase-file "$P"
rm -f "$USB"/*
run_tz 0 "village 2 exports again" bundle export --to "$USB" --store "$V2" --passphrase-file "$P"
check "the unacknowledged bundle is written again" contains "$WORK/out" "重写"
ls "$USB" | sort | tail -n 1 >"$WORK/newest"
mkdir -p "$WORK/only-new"
cp "$USB/$(cat "$WORK/newest")" "$WORK/only-new/"
run_tz 1 "the town gets only the newer bundle: held" bundle import "$WORK/only-new" --store "$T" --passphrase-file "$P"
check "it says what is missing" contains "$WORK/out" "已暂存"
check "nothing of it applied yet" test "$(q "$T" "SELECT count(*) FROM cadres WHERE name = '赵六'")" = 0
run_tz 0 "the full stick fills the gap" bundle import "$USB" --store "$T" --passphrase-file "$P"
check "both cadres are there now" test "$(q "$T" "SELECT count(*) FROM cadres WHERE name IN ('王五', '赵六')")" = 2
check "nothing is held any more" test "$(q "$T" 'SELECT count(*) FROM sync_held')" = 0

# ---- attacks ----
small=$(ls "$USB"/*.tzb | head -n 1)
before=$(q "$T" 'SELECT count(*) FROM sync_received')
for off in 0 9 12 20 30 40 60 100 140 200; do
	cp "$small" "$WORK/flip.tzb"
	b=$(od -An -tu1 -j "$off" -N1 "$WORK/flip.tzb" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$WORK/flip.tzb" bs=1 seek="$off" conv=notrunc 2>/dev/null
	run_tz 4 "a bundle with byte $off flipped is refused" bundle import "$WORK/flip.tzb" --store "$T" --passphrase-file "$P"
done
head -c 300 "$small" >"$WORK/cut.tzb"
run_tz 4 "a truncated bundle is refused" bundle import "$WORK/cut.tzb" --store "$T" --passphrase-file "$P"
check "nothing was applied by the damaged bundles" test "$(q "$T" 'SELECT count(*) FROM sync_received')" = "$before"

V3="$WORK/v3.tzs"
run_tz 0 "init a third village" init --store "$V3" --village 341522104203 --name 王村 --passphrase-file "$P" --kdf-cost min
run_tz 0 "it trusts the town" trust "$WORK/t.key" --yes --store "$V3" --passphrase-file "$P"
run_tz 0 "it records a cadre" record add cadres name=孙七 unit=县林业局 role=帮扶单位干部 --store "$V3" --passphrase-file "$P"
mkdir -p "$WORK/v3usb"
run_tz 0 "it exports" bundle export --to "$WORK/v3usb" --store "$V3" --passphrase-file "$P"
run_tz 4 "a bundle from a device never enrolled is refused" bundle import "$WORK/v3usb" --store "$T" --passphrase-file "$P"
check "it says the device is unknown" contains "$WORK/out" "未登记"
tz keys export "$WORK/v3.key" --store "$V3" >/dev/null
run_tz 0 "the town enrolls it" enroll "$WORK/v3.key" --yes --store "$T" --passphrase-file "$P"
v3id=$(sed -n 's/^设备号：*//p' "$WORK/out" | head -n 1)
v3id=$(tz keys show --store "$V3" | sed -n 's/^ *设备号： *//p' | head -n 1)
run_tz 0 "and revokes it (laptop lost)" revoke "$v3id" --store "$T" --passphrase-file "$P"
run_tz 4 "a bundle from a revoked device is refused" bundle import "$WORK/v3usb" --store "$T" --passphrase-file "$P"
check "it says the device was revoked" contains "$WORK/out" "吊销"
check "nothing of it applied" test "$(q "$T" "SELECT count(*) FROM cadres WHERE name = '孙七'")" = 0

T2="$WORK/t2.tzs" V4="$WORK/v4.tzs"
run_tz 0 "init another town" init --store "$T2" --town 341522105000 --name 东乡 --passphrase-file "$P" --kdf-cost min
run_tz 0 "init a village of that town" init --store "$V4" --village 341522105201 --name 东村 --passphrase-file "$P" --kdf-cost min
tz keys export "$WORK/t2.key" --store "$T2" >/dev/null
tz keys export "$WORK/v4.key" --store "$V4" >/dev/null
run_tz 0 "it trusts its own town" trust "$WORK/t2.key" --yes --store "$V4" --passphrase-file "$P"
run_tz 0 "it records a cadre" record add cadres name=周八 unit=县林业局 role=帮扶单位干部 --store "$V4" --passphrase-file "$P"
mkdir -p "$WORK/v4usb"
run_tz 0 "it exports to its town" bundle export --to "$WORK/v4usb" --store "$V4" --passphrase-file "$P"
run_tz 4 "our town refuses a bundle from a device of another town" bundle import "$WORK/v4usb"/*.tzb --store "$T" --passphrase-file "$P"
run_tz 4 "a bundle addressed to another town is refused" bundle import "$WORK/v4usb"/*.tzb --store "$T" --passphrase-file "$P"

# ---- a fork: village 1's store copied to a second laptop ----
cp "$V1" "$WORK/v1-copy.tzs"
run_tz 0 "the original adds a cadre" record add cadres name=吴九 unit=县水利局 role=帮扶单位干部 --store "$V1" --passphrase-file "$P"
run_tz 0 "the copy adds another" record add cadres name=郑十 unit=县水利局 role=帮扶单位干部 --store "$WORK/v1-copy.tzs" --passphrase-file "$P"
mkdir -p "$WORK/orig" "$WORK/copy"
run_tz 0 "the original exports" bundle export --to "$WORK/orig" --store "$V1" --passphrase-file "$P"
run_tz 0 "the copy exports" bundle export --to "$WORK/copy" --store "$WORK/v1-copy.tzs" --passphrase-file "$P"
run_tz 0 "the town imports the original" bundle import "$WORK/orig" --store "$T" --passphrase-file "$P"
run_tz 4 "the copy's bundle is a fork: refused" bundle import "$WORK/copy" --store "$T" --passphrase-file "$P"
check "with an alarm" contains "$WORK/out" "警报"
check "the alarm is recorded" test "$(q "$T" 'SELECT count(*) FROM sync_alarms')" = 1
check "the copy's cadre was not applied" test "$(q "$T" "SELECT count(*) FROM cadres WHERE name = '郑十'")" = 0
run_tz 0 "status shows the alarm" bundle status --store "$T" --passphrase-file "$P"
check "one alarm for village 1" sh -c "grep '^341522104201' '$WORK/out' | awk '{ exit \$NF == 1 ? 0 : 1 }'"

# ---- a replacement laptop: snapshot at the town, restore with the code ----
mkdir -p "$WORK/snap"
run_tz 2 "snapshot needs a village and a folder" snapshot export --store "$T" --passphrase-file "$P"
run_tz 1 "no snapshot of a village the town never heard of" snapshot export --village 341522104299 --to "$WORK/snap" --store "$T" --passphrase-file "$P"
run_tz 2 "no snapshot at a village store" snapshot export --village 341522104201 --to "$WORK/snap" --store "$V1" --passphrase-file "$P"
run_tz 0 "the town writes village 1's snapshot" snapshot export --village 341522104201 --to "$WORK/snap" --store "$T" --passphrase-file "$P"
sed -n 's/^恢复码：//p' "$WORK/out" >"$WORK/code"
check "a recovery code of 8 groups of 5 digits" sh -c "grep -qx '[0-9]\{5\}\( [0-9]\{5\}\)\{7\}' '$WORK/code'"
snap=$(ls "$WORK/snap"/*.tzsnap)
leaks=0
while read -r secret; do
	if grep -q -a -F -- "$secret" "$snap"; then leaks=$((leaks + 1)); fi
done <"$WORK/secrets"
check "no personal data in clear in the snapshot" test "$leaks" -eq 0
echo "11111 22222 33333 44444 55555 66666 77777 88888" >"$WORK/badcode"
run_tz 3 "a wrong recovery code is refused" restore "$snap" --store "$WORK/new.tzs" --code-file "$WORK/badcode" --passphrase-file "$P" --kdf-cost min --yes
check "and leaves no store behind" test ! -e "$WORK/new.tzs"
cp "$snap" "$WORK/snap-bad.tzsnap"
printf 'x' | dd of="$WORK/snap-bad.tzsnap" bs=1 seek=600 conv=notrunc 2>/dev/null
run_tz 4 "an altered snapshot is refused" restore "$WORK/snap-bad.tzsnap" --store "$WORK/new.tzs" --code-file "$WORK/code" --passphrase-file "$P" --kdf-cost min --yes
run_tz 0 "the new laptop restores with the right code" restore "$snap" --store "$WORK/new.tzs" --code-file "$WORK/code" --passphrase-file "$P" --kdf-cost min --yes
for table in households members visits cadres; do
	check "the restored $table equal the town's" test "$(q "$WORK/new.tzs" "SELECT count(*) FROM $table")" = "$(q "$T" "SELECT count(*) FROM $table WHERE owner = '341522104201'")"
done
check "the restored problems equal the town's" test "$(q "$WORK/new.tzs" "SELECT count(*) FROM problems")" = "$(q "$T" "SELECT count(*) FROM problems WHERE village_code = '341522104201'")"
check "the restored problem moves equal the town's" test "$(q "$WORK/new.tzs" "SELECT count(*) FROM problem_events")" = "$(q "$T" "SELECT count(*) FROM problem_events WHERE problem_id IN (SELECT id FROM problems WHERE village_code = '341522104201')")"
check "nothing waits in the new outbox" test "$(q "$WORK/new.tzs" 'SELECT count(*) FROM sync_outbox')" = 0
old=$(tz keys show --store "$V1" | sed -n 's/^ *设备号： *//p' | head -n 1)
run_tz 0 "the town revokes the old laptop" revoke "$old" --store "$T" --passphrase-file "$P"
tz keys export "$WORK/new.key" --store "$WORK/new.tzs" >/dev/null
run_tz 0 "and enrolls the new one" enroll "$WORK/new.key" --yes --store "$T" --passphrase-file "$P"
run_tz 0 "the new laptop records a cadre" record add cadres name=冯十一 unit=县民政局 role=帮扶单位干部 --store "$WORK/new.tzs" --passphrase-file "$P"
rm -rf "$WORK/newusb"; mkdir -p "$WORK/newusb"
run_tz 0 "the new laptop exports" bundle export --to "$WORK/newusb" --store "$WORK/new.tzs" --passphrase-file "$P"
run_tz 0 "the town imports it" bundle import "$WORK/newusb" --store "$T" --passphrase-file "$P"
check "the new cadre arrived" test "$(q "$T" "SELECT count(*) FROM cadres WHERE name = '冯十一'")" = 1
run_tz 4 "the old laptop's bundles are refused now" bundle import "$WORK/orig" --store "$T" --passphrase-file "$P"
rm -rf "$WORK/newusb"; mkdir -p "$WORK/newusb"
run_tz 0 "the town answers the new laptop" bundle export --to "$WORK/newusb" --store "$T" --passphrase-file "$P"
run_tz 0 "the new laptop imports its answer" bundle import "$WORK/newusb" --store "$WORK/new.tzs" --passphrase-file "$P"
check "what it already had raised no conflicts" test "$(q "$WORK/new.tzs" 'SELECT count(*) FROM sync_conflicts')" = 0
check "its outbox is clear" test "$(q "$WORK/new.tzs" 'SELECT count(*) FROM sync_outbox')" = 0

# ---- kill -9 during an import, then import again: applied exactly once ----
BIG="$WORK/big.tzs" TK="$WORK/tk.tzs"
run_tz 0 "a bigger village" demo --store "$BIG" --households 300 --seed 7 --passphrase-file "$P" --kdf-cost min
run_tz 0 "a fresh town" init --store "$TK" --town 341522104000 --name 城关镇 --passphrase-file "$P" --kdf-cost min
tz keys export "$WORK/tk.key" --store "$TK" >/dev/null
tz keys export "$WORK/big.key" --store "$BIG" >/dev/null
tz trust "$WORK/tk.key" --yes --store "$BIG" >/dev/null
tz enroll "$WORK/big.key" --yes --store "$TK" >/dev/null
mkdir -p "$WORK/bigusb"
run_tz 0 "the bigger village exports" bundle export --to "$WORK/bigusb" --store "$BIG" --passphrase-file "$P"
killed=0
awk 'BEGIN { srand(5); for (i = 0; i < 20; i++) printf "%.3f\n", 0.003 + rand() * 0.06 }' >"$WORK/delays"
while read -r d; do
	"$TZ_BIN" bundle import "$WORK/bigusb" --store "$TK" --passphrase-file "$P" >/dev/null 2>&1 &
	k=$!
	sleep "$d"
	if kill -9 $k 2>/dev/null; then killed=$((killed + 1)); fi
	wait $k 2>/dev/null
	[ "$(q "$TK" 'SELECT count(*) FROM sync_received')" = 1 ] && break
done <"$WORK/delays"
echo "# $killed imports killed"
check "at least one import was killed midway ($killed)" test "$killed" -ge 1
run_tz 0 "the store verifies after the kills" verify --store "$TK" --passphrase-file "$P"
run_tz 0 "import again" bundle import "$WORK/bigusb" --store "$TK" --passphrase-file "$P"
check "applied exactly once" test "$(q "$TK" 'SELECT count(*) FROM sync_received')" = 1
check "every household once" test "$(q "$TK" 'SELECT count(*) FROM households')" = "$(q "$BIG" 'SELECT count(*) FROM households')"
check "every member once" test "$(q "$TK" 'SELECT count(*) FROM members')" = "$(q "$BIG" 'SELECT count(*) FROM members')"
run_tz 0 "a third import is a duplicate" bundle import "$WORK/bigusb" --store "$TK" --passphrase-file "$P"
check "reported as such" contains "$WORK/out" "重复 1"

finish
