/*
 * test_demo.c — the demo village (src/demo/): what it writes, that the
 * records agree with each other and with the model's validation, that every
 * precision rule has something to find, and that a seed reproduces it exactly.
 *
 * Four stores are built once for the group (seed 7 twice, seed 8 once, 50
 * households each; seed 7 with 120 households) in a mkdtemp directory that is
 * removed at the end; the town tests build town stores holding two villages
 * (seeds 7 and 8) and compare a village's rows there with its own store's.
 * The stores live in the fixture's directory (fixture.h). The precision rules
 * are the real ones (rules_check), not queries written again here. Where a
 * test checks a property with a query, it also
 * shows that the query catches a violation (inserted inside a transaction that
 * is rolled back), so that a query that could never find anything would not
 * pass for a check.
 *
 * The rows the demo leaves invalid on purpose are those whose id begins with
 * DEMO_INVALID_ID_PREFIX (demo.h); the validation test checks that exactly
 * those fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/demo.h"
#include "taizhang/idcard.h"
#include "taizhang/ids.h"
#include "taizhang/model.h"
#include "taizhang/rules.h"
#include "taizhang/secret.h"
#include "taizhang/store.h"

#include "fixture.h"
#include "unit.h"

#define VILLAGE FIXTURE_VILLAGE
#define TODAY "2019-04-20"

/* The group's directory (fixture.h) and its four demo villages. */
struct demo_fixture {
	struct fixture fx;
	struct store *a; /* seed 7 */
	struct store *b; /* seed 7 again */
	struct store *c; /* seed 8 */
	struct store *d; /* seed 7, 120 households */
};

/* A village store (fixture_village_id) named name in the group's directory. */
static struct store *create_store(struct demo_fixture *fx, const char *name)
{
	char path[FIXTURE_PATH_NBYTES];
	return fixture_create(fixture_file(&fx->fx, name, path), &fixture_village_id);
}

static int populate(struct store *s, unsigned households, uint64_t seed)
{
	struct tz_error err = { 0 };
	struct demo_options o = { .households = households, .seed = seed };
	int rc = demo_populate(s, &o, &err);
	if (rc != TZ_OK)
		fprintf(stderr, "demo_populate: %s\n", err.msg);
	return rc;
}

static int group_setup(void **state)
{
	struct demo_fixture *fx = fixture_new(sizeof *fx, NULL);
	if (fx == NULL)
		return -1;
	*state = fx;
	fx->a = create_store(fx, "a.tzs");
	fx->b = create_store(fx, "b.tzs");
	fx->c = create_store(fx, "c.tzs");
	fx->d = create_store(fx, "d.tzs");
	if (populate(fx->a, 50, 7) != TZ_OK || populate(fx->b, 50, 7) != TZ_OK ||
	    populate(fx->c, 50, 8) != TZ_OK || populate(fx->d, 120, 7) != TZ_OK)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	struct demo_fixture *fx = *state;
	if (fx == NULL)
		return 0;
	store_close(fx->a);
	store_close(fx->b);
	store_close(fx->c);
	store_close(fx->d);
	return fixture_teardown(state);
}

/* Every row and column a query returns, as text (NULL shown as \N); caller
 * frees. */
static char *dump(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);
	assert_non_null(out);
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			size_t n = strlen(v ? v : "\\N") + 2;
			while (len + n + 1 > cap) {
				cap *= 2;
				out = realloc(out, cap);
				assert_non_null(out);
			}
			len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "\\N",
						i + 1 < sqlite3_column_count(st) ? '|' : '\n');
		}
	}
	sqlite3_finalize(st);
	return out;
}

UNIT_TEST(populating_writes_exactly_the_requested_households, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	assert_int_equal(fixture_int(fx->a, "SELECT count(*) FROM households"), 50);
	assert_int_equal(fixture_int(fx->a, "SELECT count(*) FROM households"
					  " WHERE owner = '" VILLAGE "' AND village_code = '" VILLAGE "'"),
			 50);
	sqlite3_int64 members = fixture_int(fx->a, "SELECT count(*) FROM members");
	assert_true(members >= 50 && members <= 50 * 6);
	/* Every household sits in one of the village's groups, at an address in it. */
	assert_int_equal(fixture_int(fx->a, "SELECT count(*) FROM households h"
					  " JOIN villager_groups g ON g.id = h.group_id"
					  " WHERE h.address LIKE g.name || ' % 号'"),
			 50);
}

UNIT_TEST(populating_creates_six_to_ten_distinct_villager_groups, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	sqlite3_int64 groups = fixture_int(fx->a, "SELECT count(DISTINCT name) FROM villager_groups"
						" WHERE name LIKE '%组' AND owner = '" VILLAGE "'");
	assert_true(groups >= 6 && groups <= 10);
	assert_int_equal(fixture_int(fx->a, "SELECT count(*) FROM villager_groups"), groups);
}

UNIT_TEST(every_household_has_exactly_one_head, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	static const char *const not_one_head =
		"SELECT count(*) FROM households h WHERE (SELECT count(*) FROM members m"
		" WHERE m.household_id = h.id AND m.relation = 'head') != 1";
	assert_int_equal(fixture_int(fx->a, not_one_head), 0);

	/* The query does find a household with a second head. */
	struct tz_error err = { 0 };
	assert_int_equal(store_tx_begin(fx->a, &err), TZ_OK);
	fixture_exec(fx->a, "INSERT INTO members(id, owner, household_id, name, idcard, relation,"
		       " sex, birth_date, created_at, updated_at)"
		       " SELECT 'ffffffffffffffffffffffffffffffff', owner, id, '测试', "
		       " '11010519491231002X', 'head', 'F', '1949-12-31', 'x', 'x'"
		       " FROM households ORDER BY id LIMIT 1");
	assert_int_equal(fixture_int(fx->a, not_one_head), 1);
	store_tx_rollback(fx->a);
	assert_int_equal(fixture_int(fx->a, not_one_head), 0);
}

UNIT_TEST(every_member_id_number_passes_and_agrees_with_sex_and_birth_date, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(fx->a),
					    "SELECT idcard, sex, birth_date FROM members", -1, &st,
					    NULL),
			 SQLITE_OK);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *idcard = (const char *)sqlite3_column_text(st, 0);
		const char *sex = (const char *)sqlite3_column_text(st, 1);
		const char *birth = (const char *)sqlite3_column_text(st, 2);
		struct idcard_info info;
		struct tz_error err = { 0 };
		if (idcard_check(idcard, TODAY, &info, &err) != TZ_OK)
			fail_msg("%s: %s", idcard, err.msg);
		assert_string_equal(info.normalized, idcard);
		assert_int_equal(info.sex, sex[0]);
		char from_id[16];
		snprintf(from_id, sizeof from_id, "%04d-%02d-%02d", info.year, info.month, info.day);
		assert_string_equal(from_id, birth);

		/* One digit changed is caught by the same check. */
		char altered[IDCARD_NCHARS + 1];
		memcpy(altered, idcard, sizeof altered);
		altered[15] = altered[15] == '9' ? '0' : (char)(altered[15] + 1);
		assert_int_equal(idcard_check(altered, TODAY, NULL, NULL), TZ_EFAIL);
		n++;
	}
	sqlite3_finalize(st);
	assert_true(n >= 50);
}

UNIT_TEST(ids_are_well_formed_and_unique_and_id_numbers_unique_in_the_village, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(fx->a),
					    "SELECT id FROM villager_groups UNION ALL"
					    " SELECT id FROM households UNION ALL SELECT id FROM members",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		assert_true(ids_valid((const char *)sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	assert_false(ids_valid("0123456789ABCDEF0123456789abcdef"));
	assert_false(ids_valid("0123456789abcdef0123456789abcde"));

	assert_int_equal(fixture_int(fx->a, "SELECT count(*) - count(DISTINCT id) FROM"
					  " (SELECT id FROM villager_groups UNION ALL"
					  "  SELECT id FROM households UNION ALL SELECT id FROM members)"),
			 0);
	/* ID numbers are unique but for the one person deliberately registered in
	 * two households, whose two rows are marked invalid. */
	static const char *const unmarked_duplicates =
		"SELECT count(*) - count(DISTINCT idcard) FROM members"
		" WHERE id NOT LIKE '" DEMO_INVALID_ID_PREFIX "%'";
	static const char *const marked_duplicates =
		"SELECT count(*) FROM members m WHERE m.id LIKE '" DEMO_INVALID_ID_PREFIX "%'"
		" AND (SELECT count(*) FROM members o WHERE o.idcard = m.idcard) = 2";
	assert_int_equal(fixture_int(fx->a, unmarked_duplicates), 0);
	assert_int_equal(fixture_int(fx->a, "SELECT count(*) - count(DISTINCT idcard) FROM members"), 1);
	assert_int_equal(fixture_int(fx->a, marked_duplicates), 2);
	/* Nor does the village of another seed. */
	assert_int_equal(fixture_int(fx->c, unmarked_duplicates), 0);
	assert_int_equal(fixture_int(fx->c, marked_duplicates), 2);
}

UNIT_TEST(same_seed_gives_identical_rows_and_another_seed_does_not, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	static const char *const queries[] = {
		"SELECT * FROM villager_groups ORDER BY id",
		"SELECT * FROM households ORDER BY id",
		"SELECT * FROM members ORDER BY id",
	};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		char *a = dump(fx->a, queries[i]);
		char *b = dump(fx->b, queries[i]);
		char *c = dump(fx->c, queries[i]);
		assert_true(strlen(a) > 100);
		assert_string_equal(a, b);
		assert_string_not_equal(a, c);
		free(a);
		free(b);
		free(c);
	}
}

UNIT_TEST(fewer_households_are_the_first_of_more_with_the_same_seed, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	struct store *more;
	more = create_store(fx, "more.tzs");
	assert_int_equal(populate(more, 120, 7), TZ_OK);
	assert_int_equal(fixture_int(more, "SELECT count(*) FROM households"), 120);
	char *few = dump(fx->a, "SELECT * FROM households ORDER BY id");
	char *first = dump(more, "SELECT * FROM households WHERE rowid <= 50 ORDER BY id");
	char *all = dump(more, "SELECT * FROM households ORDER BY id");
	assert_string_equal(few, first);
	assert_string_not_equal(few, all);
	free(few);
	free(first);
	free(all);
	store_close(more);
}

UNIT_TEST(writes_one_audited_transaction_per_hundred_households, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	assert_int_equal(fixture_int(fx->a, "SELECT count(*) FROM audit_log"
					  " WHERE action = 'demo.populate'"),
			 1);
	struct store *s;
	s = create_store(fx, "big.tzs");
	assert_int_equal(populate(s, 250, 3), TZ_OK);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM audit_log"
				      " WHERE action = 'demo.populate' AND subject = '" VILLAGE "'"),
			 3);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM households"), 250);
	store_close(s);
}

UNIT_TEST(refuses_a_store_that_already_has_households, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	struct tz_error err = { 0 };
	assert_int_equal(demo_populate(fx->a, &(struct demo_options){ .households = 10, .seed = 99 }, &err),
			 TZ_EFAIL);
	assert_non_null(strstr(err.msg, "空台账"));
	assert_int_equal(fixture_int(fx->a, "SELECT count(*) FROM households"), 50);
	assert_false(store_tx_active(fx->a));
}

UNIT_TEST(a_failing_transaction_is_rolled_back_and_earlier_ones_kept, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	struct store *s;
	s = create_store(fx, "fail.tzs");
	/* The 151st household cannot be written: the second transaction fails. */
	fixture_exec(s, "CREATE TEMP TRIGGER refuse_151 BEFORE INSERT ON households"
		   " WHEN (SELECT count(*) FROM households) >= 150"
		   " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
	struct tz_error err = { 0 };
	assert_int_equal(demo_populate(s, &(struct demo_options){ .households = 300, .seed = 5 }, &err),
			 TZ_EFAIL);
	assert_non_null(strstr(err.msg, "写入演示住户"));
	assert_false(store_tx_active(s));
	/* The first hundred, with their groups and audit row, were committed; nothing
	 * of households 101-150 remains. */
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM households"), 100);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM members WHERE household_id NOT IN"
				      " (SELECT id FROM households)"),
			 0);
	assert_true(fixture_int(s, "SELECT count(*) FROM villager_groups") >= 6);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM audit_log WHERE action = 'demo.populate'"),
			 1);
	store_close(s);
}

UNIT_TEST(refuses_a_town_store, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	char path[FIXTURE_PATH_NBYTES];
	struct store *s = fixture_create(fixture_file(&fx->fx, "town.tzs", path), &fixture_town_id);
	struct tz_error err = { 0 };
	assert_int_equal(demo_populate(s, &(struct demo_options){ .households = 5, .seed = 1 }, &err),
			 TZ_EFAIL);
	assert_non_null(strstr(err.msg, "村级台账"));
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM households"), 0);
	store_close(s);
}

UNIT_TEST(refuses_impossible_options_and_accepts_a_later_today, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	struct store *s;
	struct tz_error err = { 0 };
	s = create_store(fx, "options.tzs");
	assert_int_equal(demo_populate(s, &(struct demo_options){ .households = 0, .seed = 1 }, &err),
			 TZ_EUSAGE);
	assert_non_null(strstr(err.msg, "住户数"));
	assert_int_equal(demo_populate(s, &(struct demo_options){ .households = 5, .seed = 1, .today = "2019-02-30" }, &err),
			 TZ_EUSAGE);
	assert_non_null(strstr(err.msg, "2019-02-30"));
	assert_int_equal(demo_populate(s, &(struct demo_options){ .households = 5, .seed = 1, .today = "2010-01-01" }, &err),
			 TZ_EUSAGE);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM households"), 0);

	assert_int_equal(demo_populate(s, &(struct demo_options){ .households = 5, .seed = 1,
							       .today = "2020-06-30" }, &err),
			 TZ_OK);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM households"), 5);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM members WHERE birth_date > '2020-06-30'"
				      " OR created_at NOT LIKE '2020-06-30T%'"),
			 0);
	store_close(s);
}

/* Each of the n queries counts the rows of s that break one rule: all of
 * them count none. */
static void assert_none_break(struct store *s, const char *const *queries, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_int64 rows = fixture_int(s, queries[i]);
		if (rows != 0)
			fail_msg("%lld rows: %s", (long long)rows, queries[i]);
	}
}
#define ASSERT_NONE_BREAK(s, queries) assert_none_break(s, queries, sizeof queries / sizeof queries[0])

/* Relations, ages, schooling, work ability, phones and statuses fit together. */
UNIT_TEST(members_and_households_are_consistent, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	static const char *const violations[] = {
		/* a spouse of the same sex as the head */
		"SELECT count(*) FROM members s JOIN members h ON h.household_id = s.household_id"
		" AND h.relation = 'head' WHERE s.relation = 'spouse' AND s.sex = h.sex",
		/* a spouse more than ten years from the head's age */
		"SELECT count(*) FROM members s JOIN members h ON h.household_id = s.household_id"
		" AND h.relation = 'head' WHERE s.relation = 'spouse'"
		" AND abs(julianday(s.birth_date) - julianday(h.birth_date)) > 10 * 365.25",
		/* a child fewer than 17 years younger than the head */
		"SELECT count(*) FROM members c JOIN members h ON h.household_id = c.household_id"
		" AND h.relation = 'head' WHERE c.relation = 'child'"
		" AND julianday(c.birth_date) - julianday(h.birth_date) < 17 * 365.25",
		/* a parent fewer than 17 years older than the head */
		"SELECT count(*) FROM members p JOIN members h ON h.household_id = p.household_id"
		" AND h.relation = 'head' WHERE p.relation = 'parent'"
		" AND julianday(h.birth_date) - julianday(p.birth_date) < 17 * 365.25",
		/* a child under 16, or someone 65 or older, counted as labour */
		"SELECT count(*) FROM members WHERE work_ability != 'none'"
		" AND (birth_date > '2003-04-20' OR birth_date <= '1954-04-20')",
		/* preschool for anyone but the under-sixes, or an under-six not preschool */
		"SELECT count(*) FROM members WHERE (schooling = 'preschool') != (birth_date > '2013-04-20')",
		/* a head who is not present */
		"SELECT count(*) FROM members WHERE relation = 'head' AND status != 'present'",
		/* a phone that is not a mainland mobile number */
		"SELECT count(*) FROM (SELECT phone FROM members UNION ALL SELECT phone FROM households)"
		" WHERE phone IS NOT NULL AND NOT (phone GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')",
		/* exited households without an exit date after identification, others with one */
		"SELECT count(*) FROM households WHERE (status IN ('exited', 'monitored'))"
		" != (exited_on IS NOT NULL AND exited_on > identified_on)",
		/* identification outside the campaign */
		"SELECT count(*) FROM households WHERE identified_on < '2014-01-01' OR identified_on > '" TODAY "'",
		/* an income outside 2,500-15,000 元 */
		"SELECT count(*) FROM households WHERE income_cents NOT BETWEEN 250000 AND 1500000",
		/* a disability text without a disability, or the reverse */
		"SELECT count(*) FROM members WHERE (health = 'disabled') != (coalesce(disability, '') LIKE '___级')",
		/* a code that is not in the code list */
		"SELECT count(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM code_list"
		" WHERE list = 'relation' AND code = m.relation) OR NOT EXISTS (SELECT 1 FROM code_list"
		" WHERE list = 'schooling' AND code = m.schooling) OR NOT EXISTS (SELECT 1 FROM code_list"
		" WHERE list = 'work_ability' AND code = m.work_ability) OR NOT EXISTS (SELECT 1 FROM code_list"
		" WHERE list = 'member_status' AND code = m.status)",
		"SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM code_list"
		" WHERE list = 'household_status' AND code = h.status) OR NOT EXISTS (SELECT 1 FROM code_list"
		" WHERE list = 'poverty_cause' AND code = h.poverty_cause)",
	};
	ASSERT_NONE_BREAK(fx->a, violations);

	/* The same queries do catch a broken member: a 10-year-old labourer with a
	 * landline, whose spouse is a man like him. */
	struct tz_error err = { 0 };
	assert_int_equal(store_tx_begin(fx->a, &err), TZ_OK);
	fixture_exec(fx->a, "UPDATE members SET work_ability = 'ordinary', birth_date = '2009-01-01',"
		       " phone = '05646012345' WHERE relation = 'spouse'");
	fixture_exec(fx->a, "UPDATE members SET sex = 'M' WHERE relation IN ('head', 'spouse')");
	assert_true(fixture_int(fx->a, violations[0]) > 0);
	assert_true(fixture_int(fx->a, violations[4]) > 0);
	assert_true(fixture_int(fx->a, violations[7]) > 0);
	store_tx_rollback(fx->a);
	assert_int_equal(fixture_int(fx->a, violations[0]), 0);
}

UNIT_TEST(a_few_exited_households_are_under_the_poverty_line, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	struct store *s;
	s = create_store(fx, "line.tzs");
	assert_int_equal(populate(s, 400, 11), TZ_OK);
	sqlite3_int64 exited = fixture_int(s, "SELECT count(*) FROM households"
					    " WHERE status IN ('exited', 'monitored')");
	sqlite3_int64 under = fixture_int(s, "SELECT count(*) FROM households"
					   " WHERE status IN ('exited', 'monitored')"
					   " AND income_cents < 370000");
	assert_true(exited > 400 / 2);
	assert_true(under > 0 && under < exited / 5);
	/* Every status of the campaign occurs. */
	assert_int_equal(fixture_int(s, "SELECT count(DISTINCT status) FROM households"), 5);
	store_close(s);
}

/* ---- every ledger, valid, reproducible, fast ---- */

/* The ledger tables of db/004_ledgers.sql. */
static const char *const ledger_tables[] = {
	"villages", "household_status_history", "member_changes", "marginal_households",
	"marginal_measures", "procedure_steps", "four_lists", "family_doctor", "chronic_illness",
	"medical_reimbursements", "schooling", "yulu_subsidies", "housing", "industry",
	"employment", "loans", "insurance", "social_security", "cadres", "unit_assignments",
	"cadre_assignments", "visits", "staff", "business_leaders", "training_bases", "trainings",
	"typical_cases", "complaints", "projects", "project_stages", "project_monitoring",
	"problems", "problem_events", "roster_imports", "dibao_roster",
};
#define NLEDGERS (sizeof ledger_tables / sizeof ledger_tables[0])

static int is_ledger_table(const char *name)
{
	for (size_t i = 0; i < NLEDGERS; i++)
		if (strcmp(ledger_tables[i], name) == 0)
			return 1;
	return 0;
}

UNIT_TEST(every_ledger_table_has_rows_for_120_households, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	/* The list above is the migration's: every CREATE TABLE of the file is in it
	 * (checked when the test runs from the source tree, as make test does). */
	FILE *f = fopen("db/004_ledgers.sql", "r");
	if (f != NULL) {
		char line[512];
		size_t seen = 0;
		while (fgets(line, sizeof line, f) != NULL) {
			char name[128];
			if (sscanf(line, "CREATE TABLE %127[a-z_]", name) == 1) {
				if (!is_ledger_table(name))
					fail_msg("db/004_ledgers.sql has table %s, not in ledger_tables", name);
				seen++;
			}
		}
		fclose(f);
		assert_int_equal(seen, NLEDGERS);
	}
	for (size_t i = 0; i < NLEDGERS; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", ledger_tables[i]);
		sqlite3_int64 n = fixture_int(fx->d, sql);
		printf("  %-26s %6lld\n", ledger_tables[i], (long long)n);
		if (n == 0)
			fail_msg("no rows in %s", ledger_tables[i]);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE owner <> '" VILLAGE "'",
			 ledger_tables[i]);
		assert_int_equal(fixture_int(fx->d, sql), 0);
	}
}

/* Load every row of every table the model describes and validate it "as of" the
 * demo's today: all pass, except the rows marked invalid on purpose, which all
 * fail. */
UNIT_TEST(every_row_passes_validation_except_those_marked_invalid, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	const char *before = getenv("TAIZHANG_TODAY");
	char *saved = before ? strdup(before) : NULL;
	assert_int_equal(setenv("TAIZHANG_TODAY", TODAY, 1), 0);
	size_t ndefs;
	const struct table_def *const *defs = model_tables(&ndefs);
	size_t checked = 0, marked = 0;
	for (size_t t = 0; t < ndefs; t++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT id FROM %s ORDER BY rowid", defs[t]->table);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(store_db(fx->d), sql, -1, &st, NULL), SQLITE_OK);
		size_t rows = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			char id[IDS_NCHARS + 1];
			snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
			struct record r;
			struct tz_error err = { 0 };
			if (record_load(fx->d, defs[t], id, &r, &err) != TZ_OK)
				fail_msg("%s %s: %s", defs[t]->table, id, err.msg);
			int rc = record_validate(fx->d, &r, &err);
			record_free(&r);
			int invalid = strncmp(id, DEMO_INVALID_ID_PREFIX, strlen(DEMO_INVALID_ID_PREFIX)) == 0;
			if (!invalid && rc != TZ_OK)
				fail_msg("%s %s is refused: %s", defs[t]->table, id, err.msg);
			if (invalid && rc == TZ_OK)
				fail_msg("%s %s is marked invalid but passes", defs[t]->table, id);
			marked += invalid;
			rows++;
		}
		sqlite3_finalize(st);
		checked += rows;
	}
	printf("  %zu rows validated, %zu marked invalid\n", checked, marked);
	/* The marked rows are few, and only the kinds demo.h lists. */
	assert_true(marked >= 4 && marked * 100 < checked);
	assert_int_equal(fixture_int(fx->d, "SELECT count(*) FROM members WHERE id LIKE '"
					  DEMO_INVALID_ID_PREFIX "%'"),
			 2);
	assert_int_equal(fixture_int(fx->d, "SELECT count(*) FROM procedure_steps WHERE id LIKE '"
					  DEMO_INVALID_ID_PREFIX "%'") + 2,
			 (sqlite3_int64)marked);
	if (saved != NULL) {
		setenv("TAIZHANG_TODAY", saved, 1);
		free(saved);
	} else {
		unsetenv("TAIZHANG_TODAY");
	}
}

UNIT_TEST(same_seed_gives_identical_rows_in_every_table, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	sqlite3_stmt *st;
	/* Every table but the audit log and the store's identity (they hold the
	 * real time of writing). */
	assert_int_equal(sqlite3_prepare_v2(store_db(fx->a),
					    "SELECT name FROM sqlite_master WHERE type = 'table'"
					    " AND name NOT IN ('audit_log', 'store_meta')"
					    " AND name NOT LIKE 'sqlite_%' ORDER BY name",
					    -1, &st, NULL),
			 SQLITE_OK);
	size_t tables = 0, differing = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1",
			 (const char *)sqlite3_column_text(st, 0));
		char *a = dump(fx->a, sql);
		char *b = dump(fx->b, sql);
		char *c = dump(fx->c, sql);
		if (strcmp(a, b) != 0)
			fail_msg("%s differs with the same seed", (const char *)sqlite3_column_text(st, 0));
		differing += strcmp(a, c) != 0;
		tables++;
		free(a);
		free(b);
		free(c);
	}
	sqlite3_finalize(st);
	assert_true(tables > NLEDGERS);
	/* Another seed differs in every ledger but the reference rows. */
	assert_true(differing >= NLEDGERS);
}

/* ---- the records agree with each other ---- */

UNIT_TEST(ledgers_agree_with_households_and_members, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	static const char *const violations[] = {
		/* the last status of the history is not the household's */
		"SELECT count(*) FROM households h WHERE h.status <> (SELECT s.status FROM"
		" household_status_history s WHERE s.household_id = h.id"
		" ORDER BY s.on_date DESC, s.rowid DESC LIMIT 1)",
		/* the history starts elsewhere than at identification */
		"SELECT count(*) FROM households h WHERE (SELECT s.on_date FROM household_status_history s"
		" WHERE s.household_id = h.id AND s.status = 'identified') IS NOT h.identified_on",
		/* a departure without its change, or a change against the member's status */
		"SELECT count(*) FROM members m WHERE m.status <> 'present' AND NOT EXISTS (SELECT 1 FROM"
		" member_changes c WHERE c.member_id = m.id AND c.kind = CASE m.status"
		" WHEN 'deceased' THEN 'death' WHEN 'moved_out' THEN 'move_out' ELSE 'marry_out' END)",
		"SELECT count(*) FROM member_changes c JOIN members m ON m.id = c.member_id"
		" WHERE (c.kind IN ('birth', 'marry_in')) != (m.status = 'present')",
		"SELECT count(*) FROM member_changes c JOIN members m ON m.id = c.member_id"
		" WHERE c.kind = 'birth' AND c.on_date <> m.birth_date",
		/* a present child of compulsory school age without a schooling row */
		"SELECT count(*) FROM members m WHERE m.status = 'present'"
		" AND m.birth_date <= date('" TODAY "', '-6 years')"
		" AND m.birth_date > date('" TODAY "', '-16 years')"
		" AND NOT EXISTS (SELECT 1 FROM schooling s WHERE s.member_id = m.id)",
		/* a dropout reason without a dropout */
		"SELECT count(*) FROM schooling WHERE (state = 'dropped_out') != (dropout_reason IS NOT NULL)",
		/* a household without a housing rating, a household still helped without a cadre */
		"SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM housing x"
		" WHERE x.household_id = h.id)",
		"SELECT count(*) FROM households h WHERE h.status <> 'exited' AND NOT EXISTS"
		" (SELECT 1 FROM cadre_assignments a WHERE a.household_id = h.id)",
		/* identification and exit procedures: six steps ending on the date the
		 * household has (or fewer: the planted gaps) */
		"SELECT count(*) FROM households h WHERE (SELECT p.on_date FROM procedure_steps p"
		" WHERE p.household_id = h.id AND p.procedure = 'identify' AND p.step = 'announcement')"
		" <> h.identified_on",
		"SELECT count(*) FROM households h WHERE h.status IN ('exited', 'monitored') AND"
		" (SELECT count(*) FROM procedure_steps p WHERE p.household_id = h.id AND p.procedure = 'exit'"
		" AND (p.step <> 'announcement' OR p.on_date = h.exited_on)) <> 6",
		/* a 雨露计划 subsidy for someone not in vocational school or college */
		"SELECT count(*) FROM yulu_subsidies y WHERE NOT EXISTS (SELECT 1 FROM schooling s"
		" WHERE s.member_id = y.member_id AND s.stage IN ('vocational', 'college'))",
		/* a visit by a cadre not assigned to the household */
		"SELECT count(*) FROM visits v WHERE NOT EXISTS (SELECT 1 FROM cadre_assignments a"
		" WHERE a.cadre_id = v.cadre_id AND a.household_id = v.household_id)",
		/* a loan not due yet marked repaid at term, or a repaid loan not repaid in full */
		"SELECT count(*) FROM loans WHERE (state = 'repaid') != (repaid_cents = amount_cents"
		" AND repaid_on IS NOT NULL)",
		/* a problem whose last event is not its state */
		"SELECT count(*) FROM problems p WHERE p.state <> (SELECT e.to_state FROM problem_events e"
		" WHERE e.problem_id = p.id ORDER BY e.at DESC LIMIT 1)",
		/* a project whose last stage move is not its stage */
		"SELECT count(*) FROM projects p WHERE p.stage <> (SELECT s.stage FROM project_stages s"
		" WHERE s.project_id = p.id ORDER BY s.on_date DESC LIMIT 1)"
		" OR p.stage_on <> (SELECT max(on_date) FROM project_stages s WHERE s.project_id = p.id)",
		/* the roster's count of rows */
		"SELECT count(*) FROM roster_imports r WHERE r.rows <> (SELECT count(*) FROM dibao_roster d"
		" WHERE d.import_id = r.id)",
		/* a date after today anywhere it is an event */
		"SELECT (SELECT count(*) FROM visits WHERE visited_on > '" TODAY "')"
		" + (SELECT count(*) FROM procedure_steps WHERE coalesce(end_date, on_date) > '" TODAY "')"
		" + (SELECT count(*) FROM household_status_history WHERE on_date > '" TODAY "')"
		" + (SELECT count(*) FROM problem_events WHERE at > '" TODAY "T23:59:59Z')"
		" + (SELECT count(*) FROM project_stages WHERE on_date > '" TODAY "')",
	};
	ASSERT_NONE_BREAK(fx->d, violations);
	/* The same queries catch a household whose status moved on without its
	 * history, and a visit by a stranger. */
	struct tz_error err = { 0 };
	assert_int_equal(store_tx_begin(fx->d, &err), TZ_OK);
	fixture_exec(fx->d, "UPDATE households SET status = 'fell_back' WHERE rowid = 1");
	fixture_exec(fx->d, "UPDATE visits SET cadre_id = (SELECT id FROM cadres ORDER BY id LIMIT 1)"
		       " WHERE rowid IN (SELECT v.rowid FROM visits v WHERE v.cadre_id <>"
		       " (SELECT id FROM cadres ORDER BY id LIMIT 1) LIMIT 1)");
	assert_int_equal(fixture_int(fx->d, violations[0]), 1);
	assert_true(fixture_int(fx->d, violations[12]) > 0);
	store_tx_rollback(fx->d);
}

/* ---- every precision rule has a few findings, none has many ---- */

/* How many findings a rule (by id) makes on the 120-household village. */
struct expected_finding {
	const char *rule;
	long long min, max;
};

/* The number of findings of rule r in f. */
static long long findings_of(const struct findings *f, const struct rule *r)
{
	long long n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->items[i].rule == r;
	return n;
}

/* The real rules (src/rules/, as `taizhang check` runs them) as of the demo's
 * today: every rule has an expectation here, and each finds what the demo
 * planted for it — a few, never many. */
UNIT_TEST(every_precision_rule_has_a_few_findings, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	static const struct expected_finding expected[] = {
		{ "exited-dropout-child", 1, 6 },
		{ "exited-unsafe-house", 1, 6 },
		{ "exited-no-family-doctor", 1, 6 },
		{ "exited-low-income", 1, 12 },
		{ "poor-no-family-doctor", 1, 6 },
		{ "poor-child-out-of-school", 1, 6 },
		{ "poor-unsafe-house", 1, 8 },
		/* The unsafe houses planted, exited or not, have unsafe water. */
		{ "household-unsafe-water", 2, 8 },
		/* Every household has its basic medical insurance of the year. */
		{ "household-no-medical-insurance", 0, 0 },
		{ "procedure-step-missing", 1, 6 },
		{ "procedure-step-order", 1, 6 },
		{ "procedure-notice-short", 1, 6 },
		{ "duplicate-idcard", 1, 1 },
		{ "member-too-old", 1, 1 },
		{ "member-born-after-record", 1, 1 },
		{ "cadre-missed-visit", 1, 8 },
		{ "poor-village-few-leaders", 1, 1 },
		{ "problem-overdue", 1, 8 },
		{ "project-stuck", 1, 2 },
		{ "marginal-no-measure", 1, 3 },
		/* By design, none: the village has its training base and its staff. */
		{ "village-few-bases", 0, 0 },
		{ "staff-out-of-range", 0, 0 },
	};
	size_t nrules;
	rules_all(&nrules);
	assert_int_equal(nrules, sizeof expected / sizeof expected[0]);
	struct findings f = { 0 };
	struct tz_error err = { 0 };
	if (rules_check(fx->d, &(struct rules_options){ .as_of = TODAY }, &f, &err) != TZ_OK)
		fail_msg("rules_check: %s", err.msg);
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		const struct rule *r = rules_find(expected[i].rule);
		if (r == NULL)
			fail_msg("no rule %s", expected[i].rule);
		long long n = findings_of(&f, r);
		printf("  %-26s %lld\n", expected[i].rule, n);
		if (n < expected[i].min || n > expected[i].max)
			fail_msg("%s: %lld findings, expected %lld..%lld", expected[i].rule, n,
				 expected[i].min, expected[i].max);
	}
	findings_free(&f);
	/* A small village gets the per-household findings only as its size allows,
	 * and none of the anomalies across households. */
	struct findings small = { 0 };
	const struct rule *born = rules_find("member-born-after-record");
	assert_int_equal(rules_check(fx->a, &(struct rules_options){ .as_of = TODAY, .only = born },
				     &small, &err),
			 TZ_OK);
	assert_int_equal(findings_of(&small, born), 1);
	findings_free(&small);
}

/* The registered households and the 低保 roster overlap in part: each side has
 * households the other lacks, and some match only through a member who is not
 * the registered head. */
UNIT_TEST(the_dibao_roster_overlaps_the_registered_households_in_part, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	/* Each of these is more than none. */
	static const struct {
		const char *what, *sql;
	} parts[] = {
		{ "registered only",
		  "SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM members m"
		  " JOIN dibao_roster d ON d.idcard = m.idcard WHERE m.household_id = h.id)" },
		{ "低保 only",
		  "SELECT count(DISTINCT head_idcard) FROM dibao_roster d WHERE NOT EXISTS (SELECT 1"
		  " FROM dibao_roster o JOIN members m ON m.idcard = o.idcard"
		  " WHERE o.head_idcard = d.head_idcard)" },
		{ "matched",
		  "SELECT count(DISTINCT h.id) FROM households h JOIN members m ON m.household_id = h.id"
		  " JOIN dibao_roster d ON d.idcard = m.idcard" },
		{ "matched through another member",
		  "SELECT count(DISTINCT d.head_idcard) FROM dibao_roster d JOIN members m"
		  " ON m.idcard = d.head_idcard WHERE m.relation <> 'head'" },
		{ "低保 in the ledger but not on the roster",
		  "SELECT count(*) FROM social_security s WHERE s.kind = 'dibao' AND NOT EXISTS"
		  " (SELECT 1 FROM members m JOIN dibao_roster d ON d.idcard = m.idcard"
		  " WHERE m.household_id = s.household_id)" },
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		sqlite3_int64 n = fixture_int(fx->d, parts[i].sql);
		printf("  %s: %lld\n", parts[i].what, (long long)n);
		if (n <= 0)
			fail_msg("none %s", parts[i].what);
	}
	assert_int_equal(fixture_int(fx->d, "SELECT count(*) FROM roster_imports"), 1);
	assert_int_equal(fixture_int(fx->d, "SELECT count(*) - count(DISTINCT line) FROM dibao_roster"), 0);
}

UNIT_TEST(the_village_row_is_the_stores_own, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	static const struct fixture_count counts[] = {
		{ "SELECT count(*) FROM villages WHERE code = '" VILLAGE "'"
		  " AND name = (SELECT value FROM store_meta WHERE key = 'name')"
		  " AND town_code = '341522104000' AND kind = 'poor'"
		  " AND population > (SELECT count(*) FROM members)", 1 },
		{ "SELECT count(*) FROM villages", 1 },
		/* Two units, cadres with mobile phones, every assignment to a known cadre. */
		{ "SELECT count(*) FROM unit_assignments", 2 },
		{ "SELECT count(*) FROM cadres WHERE phone IS NULL OR NOT"
		  " (phone GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')", 0 },
		{ "SELECT count(DISTINCT role) FROM cadres", 4 },
		{ "SELECT count(DISTINCT state) FROM problems", 5 },
		{ "SELECT count(*) FROM problems WHERE state = 'closed'"
		  " AND coalesce(evidence, '') = ''", 0 },
		{ "SELECT count(DISTINCT kind) FROM complaints", 2 },
		{ "SELECT count(DISTINCT kind) FROM employment", 4 },
		{ "SELECT count(DISTINCT kind) FROM member_changes WHERE kind IN"
		  " ('birth', 'death', 'marry_in', 'marry_out')", 4 },
		{ "SELECT count(DISTINCT kind) FROM social_security WHERE kind IN"
		  " ('dibao', 'tekun', 'pension')", 3 },
	};
	FIXTURE_ASSERT_INTS(fx->d, counts);
	assert_true(fixture_int(fx->d, "SELECT count(DISTINCT stage) FROM projects") >= 4);
	assert_true(fixture_int(fx->d, "SELECT count(*) FROM complaints WHERE state = 'concluded'"
				     " AND result IS NOT NULL AND closed_on IS NOT NULL") >= 1);
}

/* ---- a town store ---- */

#define TOWN FIXTURE_TOWN
#define VILLAGE2 "341522104202"

/* A town store holding two demo villages (seeds 7 and 8, 50 households each). */
static struct store *demo_town(struct demo_fixture *fx, const char *name)
{
	char path[FIXTURE_PATH_NBYTES];
	struct store *s = fixture_create(fixture_file(&fx->fx, name, path), &fixture_town_id);
	struct tz_error err = { 0 };
	struct demo_options o = { .households = 50, .seed = 7, .village_code = VILLAGE,
				  .village_name = "示范村" };
	if (demo_populate(s, &o, &err) != TZ_OK)
		fail_msg("demo_populate: %s", err.msg);
	o = (struct demo_options){ .households = 50, .seed = 8, .village_code = VILLAGE2,
				   .village_name = "李庄村" };
	if (demo_populate(s, &o, &err) != TZ_OK)
		fail_msg("demo_populate: %s", err.msg);
	return s;
}

UNIT_TEST(a_town_holds_each_village_exactly_as_its_own_store_does, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	struct store *town = demo_town(fx, "town-same.tzs");
	/* Every table with an owner: the village's rows in the town are the rows of
	 * its own store made with the same seed (fx->a: seed 7, 50 households). */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(fx->a),
					    "SELECT m.name FROM sqlite_master m WHERE m.type = 'table'"
					    " AND m.name <> 'audit_log' AND EXISTS (SELECT 1 FROM"
					    " pragma_table_info(m.name) c WHERE c.name = 'owner')"
					    " ORDER BY m.name",
					    -1, &st, NULL),
			 SQLITE_OK);
	size_t tables = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(st, 0);
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" WHERE owner = '" VILLAGE "' ORDER BY 1",
			 table);
		char *own = dump(fx->a, sql), *in_town = dump(town, sql);
		if (strcmp(own, in_town) != 0)
			fail_msg("%s: the town's rows of the village differ from its own", table);
		free(own);
		free(in_town);
		tables++;
	}
	sqlite3_finalize(st);
	assert_true(tables > NLEDGERS);
	/* The other village's rows are its own and say so. */
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM households WHERE village_code = '"
					 VILLAGE2 "' AND owner = '" VILLAGE2 "'"),
			 50);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM households"), 100);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM members m JOIN households h"
					 " ON h.id = m.household_id WHERE m.owner <> h.village_code"),
			 0);
	/* Both villages are registered, in the town. */
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM villages WHERE town_code = '" TOWN "'"
					 " AND ((code = '" VILLAGE "' AND name = '示范村')"
					 " OR (code = '" VILLAGE2 "' AND name = '李庄村'))"),
			 2);
	store_close(town);
}

UNIT_TEST(a_town_refuses_a_village_twice_or_not_its_own, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	struct store *town = demo_town(fx, "town-refuse.tzs");
	struct tz_error err = { 0 };
	struct demo_options o = { .households = 5, .seed = 9, .village_code = VILLAGE2 };
	assert_int_equal(demo_populate(town, &o, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, VILLAGE2));
	o.village_code = "341523104201"; /* another town's */
	assert_int_equal(demo_populate(town, &o, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "不是本镇"));
	o.village_code = TOWN;
	assert_int_equal(demo_populate(town, &o, &err), TZ_EFAIL);
	o.village_code = "34152210420";
	assert_int_equal(demo_populate(town, &o, &err), TZ_EUSAGE);
	o.village_code = "341522104203";
	o.village_name = "一个名字长得超过了二十个字的村子不能作为演示村的名称";
	assert_int_equal(demo_populate(town, &o, &err), TZ_EUSAGE);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM households"), 100);
	/* A village store takes only its own village. */
	o = (struct demo_options){ .households = 5, .seed = 1, .village_code = VILLAGE2 };
	assert_int_equal(demo_populate(fx->a, &o, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "本村"));
	store_close(town);
}

UNIT_TEST(a_demo_town_names_its_villages, NULL, NULL)
{
	char code[13];
	const char *name;
	struct tz_error err;
	assert_int_equal(demo_town_village(TOWN, 0, code, &name, &err), TZ_OK);
	assert_string_equal(code, VILLAGE);
	assert_string_equal(name, "示范村");
	assert_int_equal(demo_town_village(TOWN, 29, code, &name, &err), TZ_OK);
	assert_string_equal(code, "341522104230");
	/* Forty villages, forty names. */
	const char *names[DEMO_TOWN_MAX_VILLAGES];
	for (unsigned i = 0; i < DEMO_TOWN_MAX_VILLAGES; i++) {
		assert_int_equal(demo_town_village(TOWN, i, code, &names[i], &err), TZ_OK);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(names[i], names[j]);
	}
	assert_int_equal(demo_town_village(TOWN, DEMO_TOWN_MAX_VILLAGES, code, &name, &err),
			 TZ_EUSAGE);
	assert_int_equal(demo_town_village("3415", 0, code, &name, &err), TZ_EUSAGE);
}

/* A village of a thousand households is written whole: ten transactions of a
 * hundred, every household with its members and ledgers. (How long 5,000 take
 * is bench/demo.c's question, not a test's.) */
UNIT_TEST(populating_a_thousand_households_writes_them_all, NULL, NULL)
{
	struct demo_fixture *fx = *state;
	struct store *s = create_store(fx, "big1000.tzs");
	assert_int_equal(populate(s, 1000, 1), TZ_OK);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM households"), 1000);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM households h WHERE NOT EXISTS"
					" (SELECT 1 FROM members m WHERE m.household_id = h.id)"),
			 0);
	assert_true(fixture_int(s, "SELECT count(*) FROM members") > 2000);
	assert_true(fixture_int(s, "SELECT count(*) FROM visits") > 0);
	assert_true(fixture_int(s, "SELECT count(*) FROM procedure_steps") > 6000);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM audit_log"
					" WHERE action = 'demo.populate'"),
			 10);
	store_close(s);
}

int main(void)
{
	return unit_run("demo", group_setup, group_teardown);
}
