/*
 * test_demo.c — the demo village (src/model/demo.c): what it writes, that the
 * records agree with each other, and that a seed reproduces it exactly.
 *
 * Three stores are built once for the group (seed 7 twice, seed 8 once, 50
 * households each) in a mkdtemp directory that is removed at the end. Where a
 * test checks a property with a query, it also shows that the query catches a
 * violation (inserted inside a transaction that is rolled back), so that a
 * query that could never find anything would not pass for a check.
 */
#include <dirent.h>
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
#include "taizhang/secret.h"
#include "taizhang/store.h"

#define VILLAGE "341522104201"
#define TODAY "2019-04-20"

struct fixture {
	char dir[64];
	struct store *a; /* seed 7 */
	struct store *b; /* seed 7 again */
	struct store *c; /* seed 8 */
};

static int create_store(struct fixture *fx, const char *name, struct store **out)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", fx->dir, name);
	struct tz_error err = { 0 };
	int rc = store_create(path,
			      &(struct store_identity){ STORE_KIND_VILLAGE, VILLAGE, "示范村" },
			      "admin", "passphrase1", 11, KDF_COST_MIN, out, &err);
	if (rc != TZ_OK)
		fprintf(stderr, "store_create %s: %s\n", path, err.msg);
	return rc;
}

static int populate(struct store *s, unsigned households, uint64_t seed)
{
	struct tz_error err = { 0 };
	int rc = demo_populate(s, &(struct demo_options){ households, seed, NULL }, &err);
	if (rc != TZ_OK)
		fprintf(stderr, "demo_populate: %s\n", err.msg);
	return rc;
}

static int group_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	if (fx == NULL || secret_init(NULL) != TZ_OK)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/taizhang-test-demo-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	*state = fx;
	if (create_store(fx, "a.tzs", &fx->a) != TZ_OK || populate(fx->a, 50, 7) != TZ_OK ||
	    create_store(fx, "b.tzs", &fx->b) != TZ_OK || populate(fx->b, 50, 7) != TZ_OK ||
	    create_store(fx, "c.tzs", &fx->c) != TZ_OK || populate(fx->c, 50, 8) != TZ_OK)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *fx = *state;
	if (fx == NULL)
		return 0;
	store_close(fx->a);
	store_close(fx->b);
	store_close(fx->c);
	DIR *dir = opendir(fx->dir);
	if (dir != NULL) {
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char path[512];
			snprintf(path, sizeof path, "%s/%s", fx->dir, e->d_name);
			unlink(path);
		}
		closedir(dir);
	}
	int rc = rmdir(fx->dir);
	free(fx);
	return rc;
}

/* The one integer a query returns. */
static sqlite3_int64 query_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sqlite3_int64 v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
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

static void exec_ok(struct store *s, const char *sql)
{
	struct tz_error err = { 0 };
	if (store_exec(s, sql, &err) != TZ_OK)
		fail_msg("%s: %s", sql, err.msg);
}

static void populating_writes_exactly_the_requested_households(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(query_int(fx->a, "SELECT count(*) FROM households"), 50);
	assert_int_equal(query_int(fx->a, "SELECT count(*) FROM households"
					  " WHERE owner = '" VILLAGE "' AND village_code = '" VILLAGE "'"),
			 50);
	sqlite3_int64 members = query_int(fx->a, "SELECT count(*) FROM members");
	assert_true(members >= 50 && members <= 50 * 6);
	/* Every household sits in one of the village's groups, at an address in it. */
	assert_int_equal(query_int(fx->a, "SELECT count(*) FROM households h"
					  " JOIN villager_groups g ON g.id = h.group_id"
					  " WHERE h.address LIKE g.name || ' % 号'"),
			 50);
}

static void populating_creates_six_to_ten_distinct_villager_groups(void **state)
{
	struct fixture *fx = *state;
	sqlite3_int64 groups = query_int(fx->a, "SELECT count(DISTINCT name) FROM villager_groups"
						" WHERE name LIKE '%组' AND owner = '" VILLAGE "'");
	assert_true(groups >= 6 && groups <= 10);
	assert_int_equal(query_int(fx->a, "SELECT count(*) FROM villager_groups"), groups);
}

static void every_household_has_exactly_one_head(void **state)
{
	struct fixture *fx = *state;
	static const char *const not_one_head =
		"SELECT count(*) FROM households h WHERE (SELECT count(*) FROM members m"
		" WHERE m.household_id = h.id AND m.relation = 'head') != 1";
	assert_int_equal(query_int(fx->a, not_one_head), 0);

	/* The query does find a household with a second head. */
	struct tz_error err = { 0 };
	assert_int_equal(store_tx_begin(fx->a, &err), TZ_OK);
	exec_ok(fx->a, "INSERT INTO members(id, owner, household_id, name, idcard, relation,"
		       " sex, birth_date, created_at, updated_at)"
		       " SELECT 'ffffffffffffffffffffffffffffffff', owner, id, '测试', "
		       " '11010519491231002X', 'head', 'F', '1949-12-31', 'x', 'x'"
		       " FROM households ORDER BY id LIMIT 1");
	assert_int_equal(query_int(fx->a, not_one_head), 1);
	store_tx_rollback(fx->a);
	assert_int_equal(query_int(fx->a, not_one_head), 0);
}

static void every_member_id_number_passes_and_agrees_with_sex_and_birth_date(void **state)
{
	struct fixture *fx = *state;
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

static void ids_are_well_formed_and_unique_and_id_numbers_unique_in_the_village(void **state)
{
	struct fixture *fx = *state;
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

	assert_int_equal(query_int(fx->a, "SELECT count(*) - count(DISTINCT id) FROM"
					  " (SELECT id FROM villager_groups UNION ALL"
					  "  SELECT id FROM households UNION ALL SELECT id FROM members)"),
			 0);
	assert_int_equal(query_int(fx->a, "SELECT count(*) - count(DISTINCT idcard) FROM members"),
			 0);
	/* Nor does the village of another seed. */
	assert_int_equal(query_int(fx->c, "SELECT count(*) - count(DISTINCT idcard) FROM members"),
			 0);
}

static void same_seed_gives_identical_rows_and_another_seed_does_not(void **state)
{
	struct fixture *fx = *state;
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

static void fewer_households_are_the_first_of_more_with_the_same_seed(void **state)
{
	struct fixture *fx = *state;
	struct store *more;
	assert_int_equal(create_store(fx, "more.tzs", &more), TZ_OK);
	assert_int_equal(populate(more, 120, 7), TZ_OK);
	assert_int_equal(query_int(more, "SELECT count(*) FROM households"), 120);
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

static void writes_one_audited_transaction_per_hundred_households(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(query_int(fx->a, "SELECT count(*) FROM audit_log"
					  " WHERE action = 'demo.populate'"),
			 1);
	struct store *s;
	assert_int_equal(create_store(fx, "big.tzs", &s), TZ_OK);
	assert_int_equal(populate(s, 250, 3), TZ_OK);
	assert_int_equal(query_int(s, "SELECT count(*) FROM audit_log"
				      " WHERE action = 'demo.populate' AND subject = '" VILLAGE "'"),
			 3);
	assert_int_equal(query_int(s, "SELECT count(*) FROM households"), 250);
	store_close(s);
}

static void refuses_a_store_that_already_has_households(void **state)
{
	struct fixture *fx = *state;
	struct tz_error err = { 0 };
	assert_int_equal(demo_populate(fx->a, &(struct demo_options){ 10, 99, NULL }, &err),
			 TZ_EFAIL);
	assert_non_null(strstr(err.msg, "空台账"));
	assert_int_equal(query_int(fx->a, "SELECT count(*) FROM households"), 50);
	assert_false(store_tx_active(fx->a));
}

static void refuses_impossible_options_and_accepts_a_later_today(void **state)
{
	struct fixture *fx = *state;
	struct store *s;
	struct tz_error err = { 0 };
	assert_int_equal(create_store(fx, "options.tzs", &s), TZ_OK);
	assert_int_equal(demo_populate(s, &(struct demo_options){ 0, 1, NULL }, &err), TZ_EUSAGE);
	assert_non_null(strstr(err.msg, "住户数"));
	assert_int_equal(demo_populate(s, &(struct demo_options){ 5, 1, "2019-02-30" }, &err),
			 TZ_EUSAGE);
	assert_non_null(strstr(err.msg, "2019-02-30"));
	assert_int_equal(demo_populate(s, &(struct demo_options){ 5, 1, "2010-01-01" }, &err),
			 TZ_EUSAGE);
	assert_int_equal(query_int(s, "SELECT count(*) FROM households"), 0);

	assert_int_equal(demo_populate(s, &(struct demo_options){ 5, 1, "2020-06-30" }, &err), TZ_OK);
	assert_int_equal(query_int(s, "SELECT count(*) FROM households"), 5);
	assert_int_equal(query_int(s, "SELECT count(*) FROM members WHERE birth_date > '2020-06-30'"
				      " OR created_at NOT LIKE '2020-06-30T%'"),
			 0);
	store_close(s);
}

/* Relations, ages, schooling, work ability, phones and statuses fit together. */
static void members_and_households_are_consistent(void **state)
{
	struct fixture *fx = *state;
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
	for (size_t i = 0; i < sizeof violations / sizeof violations[0]; i++) {
		sqlite3_int64 n = query_int(fx->a, violations[i]);
		if (n != 0)
			fail_msg("%lld rows: %s", (long long)n, violations[i]);
	}

	/* The same queries do catch a broken member: a 10-year-old labourer with a
	 * landline, whose spouse is a man like him. */
	struct tz_error err = { 0 };
	assert_int_equal(store_tx_begin(fx->a, &err), TZ_OK);
	exec_ok(fx->a, "UPDATE members SET work_ability = 'ordinary', birth_date = '2009-01-01',"
		       " phone = '05646012345' WHERE relation = 'spouse'");
	exec_ok(fx->a, "UPDATE members SET sex = 'M' WHERE relation IN ('head', 'spouse')");
	assert_true(query_int(fx->a, violations[0]) > 0);
	assert_true(query_int(fx->a, violations[4]) > 0);
	assert_true(query_int(fx->a, violations[7]) > 0);
	store_tx_rollback(fx->a);
	assert_int_equal(query_int(fx->a, violations[0]), 0);
}

static void a_few_exited_households_are_under_the_poverty_line(void **state)
{
	struct fixture *fx = *state;
	struct store *s;
	assert_int_equal(create_store(fx, "line.tzs", &s), TZ_OK);
	assert_int_equal(populate(s, 400, 11), TZ_OK);
	sqlite3_int64 exited = query_int(s, "SELECT count(*) FROM households"
					    " WHERE status IN ('exited', 'monitored')");
	sqlite3_int64 under = query_int(s, "SELECT count(*) FROM households"
					   " WHERE status IN ('exited', 'monitored')"
					   " AND income_cents < 370000");
	assert_true(exited > 400 / 2);
	assert_true(under > 0 && under < exited / 5);
	/* Every status of the campaign occurs. */
	assert_int_equal(query_int(s, "SELECT count(DISTINCT status) FROM households"), 5);
	store_close(s);
}

static void a_failing_transaction_is_rolled_back_and_earlier_ones_kept(void **state)
{
	struct fixture *fx = *state;
	struct store *s;
	assert_int_equal(create_store(fx, "fail.tzs", &s), TZ_OK);
	/* The 151st household cannot be written: the second transaction fails. */
	exec_ok(s, "CREATE TEMP TRIGGER refuse_151 BEFORE INSERT ON households"
		   " WHEN (SELECT count(*) FROM households) >= 150"
		   " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
	struct tz_error err = { 0 };
	assert_int_equal(demo_populate(s, &(struct demo_options){ 300, 5, NULL }, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "写入演示住户"));
	assert_false(store_tx_active(s));
	/* The first hundred, with their groups and audit row, were committed; nothing
	 * of households 101-150 remains. */
	assert_int_equal(query_int(s, "SELECT count(*) FROM households"), 100);
	assert_int_equal(query_int(s, "SELECT count(*) FROM members WHERE household_id NOT IN"
				      " (SELECT id FROM households)"),
			 0);
	assert_true(query_int(s, "SELECT count(*) FROM villager_groups") >= 6);
	assert_int_equal(query_int(s, "SELECT count(*) FROM audit_log WHERE action = 'demo.populate'"),
			 1);
	store_close(s);
}

static void refuses_a_town_store(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/town.tzs", fx->dir);
	struct store *s;
	struct tz_error err = { 0 };
	assert_int_equal(store_create(path,
				      &(struct store_identity){ STORE_KIND_TOWN, "341522104000", "示范镇" },
				      "admin", "passphrase1", 11, KDF_COST_MIN, &s, &err),
			 TZ_OK);
	assert_int_equal(demo_populate(s, &(struct demo_options){ 5, 1, NULL }, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "村级台账"));
	assert_int_equal(query_int(s, "SELECT count(*) FROM households"), 0);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(populating_writes_exactly_the_requested_households),
		cmocka_unit_test(populating_creates_six_to_ten_distinct_villager_groups),
		cmocka_unit_test(every_household_has_exactly_one_head),
		cmocka_unit_test(every_member_id_number_passes_and_agrees_with_sex_and_birth_date),
		cmocka_unit_test(ids_are_well_formed_and_unique_and_id_numbers_unique_in_the_village),
		cmocka_unit_test(same_seed_gives_identical_rows_and_another_seed_does_not),
		cmocka_unit_test(fewer_households_are_the_first_of_more_with_the_same_seed),
		cmocka_unit_test(writes_one_audited_transaction_per_hundred_households),
		cmocka_unit_test(refuses_a_store_that_already_has_households),
		cmocka_unit_test(a_failing_transaction_is_rolled_back_and_earlier_ones_kept),
		cmocka_unit_test(refuses_a_town_store),
		cmocka_unit_test(refuses_impossible_options_and_accepts_a_later_today),
		cmocka_unit_test(members_and_households_are_consistent),
		cmocka_unit_test(a_few_exited_households_are_under_the_poverty_line),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
