# test_export_pg.sh — `taizhang export pg` round trip through a real PostgreSQL:
# two demo towns (different codes, seeds and sizes) are exported and loaded
# into one database by their load.sh; every table then holds, per town, the
# rows the town's store holds; the township report's households by status
# and open problems per village come out of SQL as taizhang's report has them;
# a value with tab, newline and backslashes arrives byte for byte; loading a
# town again replaces its rows and leaves the other town alone; the files are
# 0600 in a 0700 directory and nothing is written without --unencrypted.
#
# The server is Debian's (postgresql package): initdb and pg_ctl in a
# temporary directory, as a user other than root (PostgreSQL refuses root),
# listening only on a private Unix socket, stopped on exit. Without the
# PostgreSQL binaries the test says "skip" and checks nothing.
. "$(dirname "$0")/lib.sh"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ] || ! command -v psql >/dev/null; then
	echo "skip - PostgreSQL 未安装（/usr/lib/postgresql/*/bin/initdb），不测试 export pg"
	exit 0
fi

P="$WORK/p"
printf 'export pg passphrase\n' >"$P"
A="$WORK/a.tzs"
B="$WORK/b.tzs"
CODE_A=341522104000
CODE_B=341522105000
export TAIZHANG_TODAY=2019-04-20

# ---- the server ----
PGROOT=$(mktemp -d /tmp/tz-pg-XXXXXX)
as_server() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	pg_user=postgres
	id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
	chown "$pg_user" "$PGROOT"
	as_server() { runuser -u "$pg_user" -- "$@"; }
fi
stop_server() {
	as_server "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$PGROOT"
}
trap stop_server EXIT
trap 'exit 1' INT TERM
PORT=$((20000 + $$ % 20000))
as_server "$PGBIN/initdb" -N -D "$PGROOT/data" -U tz --auth=trust -E UTF8 --locale=C.UTF-8 \
	>"$PGROOT/initdb.log" 2>&1 ||
	{ cat "$PGROOT/initdb.log"; not_ok "initdb"; finish; }
as_server "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
	-o "-c listen_addresses='' -c unix_socket_directories='$PGROOT' -p $PORT -c fsync=off" \
	start >/dev/null 2>&1
check "a private PostgreSQL server runs" test -S "$PGROOT/.s.PGSQL.$PORT" ||
	{ cat "$PGROOT/server.log"; finish; }
PSQL="-h $PGROOT -p $PORT -U tz -d postgres"
# sql QUERY: its rows, unaligned, fields separated by a comma
sql() { psql -X -q -A -t -F, $PSQL -c "$1"; }

# ---- two towns, exported ----
run_tz 0 "demo town A" demo --town --store "$A" --households 12 --villages 2 --seed 3 \
	--passphrase-file "$P" --kdf-cost min
run_tz 0 "demo town B, another code" demo --town --code "$CODE_B" --store "$B" --households 9 \
	--villages 3 --seed 8 --passphrase-file "$P" --kdf-cost min
run_tz 0 "a town problem whose description has a tab, newlines and backslashes" \
	problem add --store "$A" --passphrase-file "$P" --village 341522104201 --area 1 --task 1 \
	--title '转义\测试' --unit fupin --person 张三 --deadline 2019-05-30 --source dispatch \
	--description "第一行	制表\\反斜杠
第二行\\N\\\\"

run_tz 2 "no export without --unencrypted" export pg "$WORK/ea" --store "$A" --passphrase-file "$P"
check "...and nothing written" test ! -e "$WORK/ea"
check "...saying why" contains "$WORK/err" "--unencrypted"
run_tz 0 "export town A" export pg "$WORK/ea" --unencrypted --store "$A" --passphrase-file "$P"
check "...with a warning about personal data" contains "$WORK/err" "不加密"
check "...and how to load it" contains "$WORK/out" "load.sh"
run_tz 0 "export town B" export pg "$WORK/eb" --unencrypted --store "$B" --passphrase-file "$P"
check "every town gets the same schema.sql (one schema for all)" cmp -s "$WORK/ea/schema.sql" "$WORK/eb/schema.sql"
check "the directory is 0700" test "$(stat -c %a "$WORK/ea")" = 700
check "every file is 0600" test -z "$(find "$WORK/ea" -type f ! -perm 0600)"
check "schema.sql, load.sh and COPY files" test -f "$WORK/ea/schema.sql" -a -f "$WORK/ea/load.sh" \
	-a -f "$WORK/ea/households.copy" -a -f "$WORK/ea/members.copy"
check "no secret or store-internal table is exported" \
	test -z "$(ls "$WORK/ea" | grep -e '^sync_' -e '^audit_log' -e '^store_meta')"
check "the COPY text escapes tab, newline and backslash" \
	contains "$WORK/ea/problems.copy" '第一行\t制表\\反斜杠\n第二行\\N\\\\'
chmod 755 "$WORK/eb"
run_tz 2 "an existing directory others can enter is refused" export pg "$WORK/eb" --unencrypted \
	--store "$B" --passphrase-file "$P"
chmod 700 "$WORK/eb"
run_tz 0 "a demo village store" demo --store "$WORK/v.tzs" --households 3 --passphrase-file "$P" \
	--kdf-cost min
run_tz 2 "a village store is refused" export pg "$WORK/ev" --unencrypted --store "$WORK/v.tzs" \
	--passphrase-file "$P"

# ---- loaded into one database ----
check "load town A" sh "$WORK/ea/load.sh" $PSQL
check "load town B" sh "$WORK/eb/load.sh" $PSQL
check "load town A again (replaces its rows)" sh "$WORK/ea/load.sh" $PSQL
check "both towns are registered" test "$(sql "SELECT string_agg(town_code, ' ' ORDER BY town_code) FROM taizhang_towns")" = "$CODE_A $CODE_B"

# Row counts, every table, each town: the store's own against PostgreSQL's.
tables=$(cd "$WORK/ea" && ls *.copy | sed 's/\.copy$//' | grep -v '^taizhang_towns$')
count_sql=""
for t in $tables; do
	count_sql="$count_sql${count_sql:+ UNION ALL }SELECT '$t', count(*) FROM \"$t\""
done
for town in A B; do
	eval store=\$$town code=\$CODE_$town
	"$TZ_BIN" query --store "$store" --passphrase-file "$P" "$count_sql" | tail -n +2 | tr -d '\r"' \
		| sort >"$WORK/counts.$town.store"
	sql "$(echo "$count_sql" | sed "s/FROM \"\([a-z_]*\)\"/FROM \"\1\" WHERE town_code = '$code'/g")" \
		| sort >"$WORK/counts.$town.pg"
	check "town $town: $(wc -l <"$WORK/counts.$town.store") tables, the same rows in each" \
		cmp -s "$WORK/counts.$town.store" "$WORK/counts.$town.pg" ||
		diff "$WORK/counts.$town.store" "$WORK/counts.$town.pg"
done
check "town A has households and members to compare" \
	test "$(sql "SELECT count(*) FROM members WHERE town_code = '$CODE_A'")" -gt 20

# The township report's figures, from the report's CSV and from SQL.
for town in A B; do
	eval store=\$$town code=\$CODE_$town
	run_tz 0 "town $town: report" report --out "$WORK/r$town.csv" --store "$store" --passphrase-file "$P"
	# households by status at the end of the period (合计 期末户数), by label
	tr -d '\r' <"$WORK/r$town-households.csv" | sed '1s/^\xef\xbb\xbf//' \
		| awk -F, 'NR > 1 && $1 != "合计" && $3 > 0 { print $1 "," $3 }' | sort >"$WORK/hs.$town.report"
	sql "SELECT c.label, count(*) FROM households h JOIN code_list c
	     ON c.town_code = h.town_code AND c.list = 'household_status' AND c.code = h.status
	     WHERE h.town_code = '$code' GROUP BY c.label" | sort >"$WORK/hs.$town.pg"
	check "town $town: households by status as in the report ($(tr '\n' ' ' <"$WORK/hs.$town.pg"))" \
		cmp -s "$WORK/hs.$town.report" "$WORK/hs.$town.pg"
	# open problems (待整改) per village: the 合计 row, one 待整改 column per village
	tr -d '\r' <"$WORK/r$town-problems.csv" | sed '1s/^\xef\xbb\xbf//' | awk -F, '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ / 待整改$/ && $i !~ /^合计/) { v = $i; sub(/ 待整改$/, "", v); col[i] = v } }
		$1 == "合计" { for (i in col) print col[i] "," $i }' | sort >"$WORK/open.$town.report"
	sql "SELECT v.name, count(p.id) FROM villages v LEFT JOIN problems p
	     ON p.town_code = v.town_code AND p.village_code = v.code AND p.state = 'open'
	     WHERE v.town_code = '$code' GROUP BY v.name" | sort >"$WORK/open.$town.pg"
	check "town $town: open problems per village as in the report ($(tr '\n' ' ' <"$WORK/open.$town.pg"))" \
		cmp -s "$WORK/open.$town.report" "$WORK/open.$town.pg"
done
check "the reports had villages to compare" test "$(wc -l <"$WORK/open.B.report")" -eq 3

# Values arrive byte for byte.
"$TZ_BIN" query --store "$A" --passphrase-file "$P" \
	"SELECT lower(hex(description)) FROM problems WHERE title = '转义\\测试'" | tail -n 1 | tr -d '\r' >"$WORK/hex.store"
sql "SELECT encode(convert_to(description, 'UTF8'), 'hex') FROM problems WHERE title = '转义\\测试'" >"$WORK/hex.pg"
check "tab, newline and backslashes round-trip" cmp -s "$WORK/hex.store" "$WORK/hex.pg"
check "...and the value is there" test -s "$WORK/hex.pg"
check "a money column is bigint, a date column date, a time timestamptz" test \
	"$(sql "SELECT string_agg(data_type, '|' ORDER BY column_name) FROM information_schema.columns
	        WHERE table_name = 'households' AND column_name IN ('income_cents', 'exited_on', 'created_at')")" \
	= "timestamp with time zone|date|bigint"
check "the town key leads the primary key" test \
	"$(sql "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'households_pkey'")" \
	= "PRIMARY KEY (town_code, id)"

# A load that fails leaves the town as it was.
sed -i '1s/^/zz\t/' "$WORK/eb/members.copy"
sh "$WORK/eb/load.sh" $PSQL >/dev/null 2>&1
check "a broken COPY file fails the load" test $? -ne 0
check "...and town B keeps all its rows" test \
	"$(sql "SELECT count(*) FROM members WHERE town_code = '$CODE_B'")" = \
	"$(grep "^members," "$WORK/counts.B.store" | cut -d, -f2)"
finish
