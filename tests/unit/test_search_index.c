/*
 * test_search_index.c — the households search (browse_village_households)
 * answered from its index (db/015_county_index.sql: search_households kept in
 * step by triggers, and the FTS5 trigram index over it) as a specification:
 * for texts of one, two, three and more characters taken from the store's own
 * names, ID numbers and groups (a lower-case x, a double quote, a text found
 * nowhere), over one village and every village, with and without a status,
 * it lists exactly the households, in the same order, with the same head, ID
 * number, group, status, members and total, as the plain query over the
 * tables that the search meant before the index (REFERENCE_SQL below), the
 * first 25 of them and the first 2 (when the households found are many, the
 * list is read in its order until the limit instead of sorted); and
 * still does after the rows the index is made of change as an import or an
 * officer changes them: a member renamed, given another number, made head,
 * moved out, moved to another household or deleted, a household's group or
 * status changed, a group renamed or deleted, a household deleted, rows
 * written by a bundle in an order where a household comes before its group;
 * and at a town, after a village's bundle is applied (the index then noted
 * each household written and refreshed it once, at the end).
 *
 * The store: a demo village (demo_populate, 60 households, seed 11) with a
 * second village's households written beside them, as at a town.
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

#include "taizhang/browse.h"
#include "taizhang/demo.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"

#include "fixture.h"
#include "sync_fixture.h"
#include "unit.h"

#define VA FIXTURE_VILLAGE
#define VB "341522104202"

/* What a search means, over the tables themselves (browse.c's query before
 * the index): ?1 text, ?2 status, ?3 limit, ?4 village. */
#define REFERENCE_SQL                                                                          \
	"WITH hit AS ("                                                                         \
	" SELECT h.id, h.status, g.name AS grp,"                                                \
	"  (SELECT m.name FROM members m WHERE m.household_id = h.id AND m.relation = 'head'"   \
	"   AND m.status = 'present' LIMIT 1) AS head,"                                         \
	"  (SELECT m.idcard FROM members m WHERE m.household_id = h.id AND m.relation = 'head'" \
	"   AND m.status = 'present' LIMIT 1) AS idcard,"                                       \
	"  (SELECT count(*) FROM members m WHERE m.household_id = h.id"                         \
	"   AND m.status = 'present') AS nm"                                                    \
	" FROM households h LEFT JOIN villager_groups g ON g.id = h.group_id"                   \
	" WHERE (?2 IS NULL OR h.status = ?2) AND (?4 IS NULL OR h.village_code = ?4)"          \
	"  AND (?1 IS NULL OR instr(g.name, ?1) > 0 OR EXISTS (SELECT 1 FROM members m"         \
	"   WHERE m.household_id = h.id AND (instr(m.name, ?1) > 0"                             \
	"   OR instr(m.idcard, upper(?1)) > 0))))"                                              \
	" SELECT hit.id, coalesce(head, '（未登记户主）'), coalesce(idcard, ''),"               \
	"  coalesce(grp, ''), coalesce(c.label, hit.status), nm, count(*) OVER ()"              \
	" FROM hit LEFT JOIN code_list c ON c.list = 'household_status'"                        \
	"  AND c.code = hit.status ORDER BY grp, head, hit.id LIMIT ?3"

static int setup(void **state)
{
	if (fixture_setup_village(state) != 0)
		return -1;
	struct tz_error err;
	struct demo_options o = { .households = 60, .seed = 11, .today = "2019-04-20" };
	if (demo_populate(fixture_store(state), &o, &err) != TZ_OK) {
		fprintf(stderr, "demo_populate: %s\n", err.msg);
		return -1;
	}
	/* A second village's households, as a town holds them: copies of ten of
	 * the first village's, with their members, under new ids. */
	fixture_sql(fixture_store(state),
		    "INSERT INTO households(id, owner, village_code, group_id, status, created_at,"
		    " updated_at) SELECT 'z' || substr(id, 2), '" VB "', '" VB "', group_id, status,"
		    " created_at, updated_at FROM households ORDER BY id LIMIT 10;"
		    "INSERT INTO members(id, owner, household_id, name, idcard, relation, sex,"
		    " birth_date, status, created_at, updated_at) SELECT 'z' || substr(m.id, 2),"
		    " '" VB "', 'z' || substr(m.household_id, 2), m.name, m.idcard, m.relation, m.sex,"
		    " m.birth_date, m.status, m.created_at, m.updated_at FROM members m"
		    " WHERE 'z' || substr(m.household_id, 2) IN (SELECT id FROM households)");
	return 0;
}

/* Searches whose matches were more than were counted (assert_same_listed). */
static size_t searches_counted_more;

#define REFERENCE_LIMIT 25

/* What REFERENCE_SQL lists for a search: its first REFERENCE_LIMIT rows, and
 * how many households match in all. */
struct reference {
	struct household_row rows[REFERENCE_LIMIT];
	size_t n, total;
};

static sqlite3_stmt *reference_prepare(struct store *s)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), REFERENCE_SQL, -1, &st, NULL), SQLITE_OK);
	return st;
}

/* st: REFERENCE_SQL prepared on the store, reset and unbound when done. */
static void reference_search(sqlite3_stmt *st, const char *village, const char *text,
			     const char *status, struct reference *ref)
{
	if (text != NULL && text[0] != '\0')
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	if (status != NULL)
		sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, REFERENCE_LIMIT);
	if (village != NULL)
		sqlite3_bind_text(st, 4, village, -1, SQLITE_STATIC);
	memset(ref, 0, sizeof *ref);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct household_row *r = &ref->rows[ref->n++];
		snprintf(r->id, sizeof r->id, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(r->head, sizeof r->head, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(r->idcard, sizeof r->idcard, "%s", (const char *)sqlite3_column_text(st, 2));
		snprintf(r->group, sizeof r->group, "%s", (const char *)sqlite3_column_text(st, 3));
		snprintf(r->status, sizeof r->status, "%s", (const char *)sqlite3_column_text(st, 4));
		r->nmembers = sqlite3_column_int(st, 5);
		ref->total = (size_t)sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* browse_village_households with at most limit households listed against the
 * first limit rows of the reference (its order is total: by group, head, id). */
static void assert_same_listed(struct store *s, const char *village, const char *text,
			       const char *status, size_t limit, const struct reference *ref)
{
	struct household_row *rows;
	size_t n, total;
	struct tz_error err;
	if (browse_village_households(s, village, text, status, limit, &rows, &n, &total, &err) !=
	    TZ_OK)
		fail_msg("browse_village_households(\"%s\"): %s", text ? text : "", err.msg);
	size_t want_n = ref->n < limit ? ref->n : limit;
	if (n != want_n)
		fail_msg("\"%s\" in %s: %zu households listed, %zu expected", text ? text : "",
			 village ? village : "every village", n, want_n);
	for (size_t k = 0; k < n; k++) {
		assert_string_equal(rows[k].id, ref->rows[k].id);
		assert_string_equal(rows[k].head, ref->rows[k].head);
		assert_string_equal(rows[k].idcard, ref->rows[k].idcard);
		assert_string_equal(rows[k].group, ref->rows[k].group);
		assert_string_equal(rows[k].status, ref->rows[k].status);
		assert_int_equal(rows[k].nmembers, ref->rows[k].nmembers);
	}
	/* With a text, counted up to BROWSE_COUNT_SHARE * limit, then "more". */
	size_t count_max = BROWSE_COUNT_SHARE * limit;
	if (text != NULL && text[0] != '\0' && ref->total > count_max) {
		assert_int_equal(total, count_max + 1);
		assert_true(browse_total_is_more(total, limit, text));
		searches_counted_more++;
	} else {
		assert_int_equal(total, ref->total);
		assert_false(browse_total_is_more(total, limit, text));
	}
	free(rows);
}

/* One search both ways, with at most 25 households listed (every match
 * sorted) and at most 2 (a common match is read in the list's order until the
 * limit); the reference query runs once for both. */
static void assert_same_with(struct store *s, sqlite3_stmt *reference, const char *village,
			     const char *text, const char *status)
{
	struct reference ref;
	reference_search(reference, village, text, status, &ref);
	assert_same_listed(s, village, text, status, REFERENCE_LIMIT, &ref);
	assert_same_listed(s, village, text, status, 2, &ref);
}

static void assert_same(struct store *s, const char *village, const char *text, const char *status)
{
	sqlite3_stmt *reference = reference_prepare(s);
	assert_same_with(s, reference, village, text, status);
	sqlite3_finalize(reference);
}

/* Each text in every scope: one village, the other, every village; any
 * status and one status. */
static void assert_all_same(struct store *s, const char *const *texts, size_t ntexts)
{
	static const char *const villages[] = { VA, VB, NULL };
	static const char *const statuses[] = { NULL, "poor" };
	sqlite3_stmt *reference = reference_prepare(s);
	for (size_t t = 0; t < ntexts; t++)
		for (size_t v = 0; v < 3; v++)
			for (size_t k = 0; k < 2; k++)
				assert_same_with(s, reference, villages[v], texts[t], statuses[k]);
	sqlite3_finalize(reference);
}

/* Texts from the store: pieces of members' names (first character, first
 * two, whole, last two), of their ID numbers (one, two, three and eight
 * digits, a lower-case x), group names, some found nowhere (two characters
 * of them too: over every village the trigram index answers two characters
 * through its vocabulary), and the index's
 * separator char(31), which no name holds (answered by the old query). Into
 * texts[0..*n), each malloc'd. */
static void store_texts(struct store *s, char **texts, size_t cap, size_t *n)
{
	static const char *const fixed[] = { NULL, "", "x", "X", "1", "19", "341", "\"", "王\"",
					     "9X", "9x", "龘龘", "zz", "a\"", /* two characters */
					     "不存在的名字", "组", "张庄组", "99999999",
					     "\x1f", "组\x1f" /* the index's separator: the old query */ };
	*n = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		texts[(*n)++] = fixed[i] ? strdup(fixed[i]) : NULL;
	sqlite3_stmt *st;
	assert_int_equal(
		sqlite3_prepare_v2(store_db(s),
				   "SELECT substr(m.name, 1, 1), substr(m.name, 1, 2), m.name,"
				   " substr(m.name, -2), substr(m.idcard, 7, 3), substr(m.idcard, 11, 8),"
				   " substr(m.idcard, 12, 2), lower(substr(m.idcard, 16, 3)),"
				   " (SELECT g.name FROM villager_groups g JOIN households h"
				   "  ON h.group_id = g.id WHERE h.id = m.household_id)"
				   " FROM members m ORDER BY m.id LIMIT 12",
				   -1, &st, NULL),
		SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(st) && *n < cap; c++)
			texts[(*n)++] = sqlite3_column_text(st, c)
						? strdup((const char *)sqlite3_column_text(st, c))
						: NULL;
	sqlite3_finalize(st);
}

static void check_store(struct store *s)
{
	char *texts[160];
	size_t n;
	store_texts(s, texts, sizeof texts / sizeof texts[0], &n);
	assert_true(n > 100);
	size_t more_before = searches_counted_more;
	assert_all_same(s, (const char *const *)texts, n);
	assert_true(searches_counted_more > more_before); /* "1", "341" at limit 2 */
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
}

UNIT_TEST(the_index_lists_what_the_tables_say, setup, fixture_teardown)
{
	check_store(fixture_store(state));
	/* and it is the index that answered: every household has its row */
	assert_int_equal(fixture_int(fixture_store(state), "SELECT count(*) FROM search_households"),
			 fixture_int(fixture_store(state), "SELECT count(*) FROM households"));
}

/* One member renamed to name, another given the ID number idcard, a third
 * made head, and a head moved out (the household shows another head, or
 * none). */
/* Members renamed, renumbered, made head and moved out, each picked by its
 * id among the members for which among (an SQL condition on members) holds. */
#define MEMBERS_CHANGED_SQL(name, idcard, among)                                                \
	"UPDATE members SET name = '" name "' WHERE id = (SELECT min(id) FROM members"           \
	" WHERE " among ");"                                                                      \
	"UPDATE members SET idcard = '" idcard "'"                                                \
	" WHERE id = (SELECT max(id) FROM members WHERE relation <> 'head' AND " among ");"      \
	"UPDATE members SET relation = 'head' WHERE id = (SELECT id FROM members"                 \
	" WHERE relation <> 'head' AND " among " ORDER BY id LIMIT 1 OFFSET 3);"                  \
	"UPDATE members SET status = (SELECT code FROM code_list WHERE list = 'member_status'"   \
	" AND code <> 'present' ORDER BY sort LIMIT 1)"                                           \
	" WHERE id = (SELECT id FROM members WHERE relation = 'head' AND " among " ORDER BY id"    \
	" LIMIT 1 OFFSET 5);"

UNIT_TEST(the_index_follows_members_changed, setup, fixture_teardown)
{
	struct store *s = fixture_store(state);
	fixture_sql(s,
		    /* renamed, renumbered (a lower-case x), made head, a head moved out */
		    MEMBERS_CHANGED_SQL("欧阳明月", "34152219800101123x", "1")
		    /* moved to another household, deleted */
		    "UPDATE members SET household_id = (SELECT max(id) FROM households)"
		    " WHERE id = (SELECT id FROM members ORDER BY id LIMIT 1 OFFSET 7);"
		    "DELETE FROM members WHERE id = (SELECT id FROM members WHERE id LIKE 'z%'"
		    " AND relation <> 'head' ORDER BY id LIMIT 1 OFFSET 2);");
	check_store(s);
	assert_same(s, NULL, "欧阳明月", NULL);
	assert_same(s, NULL, "23x", NULL);
}

UNIT_TEST(the_index_follows_households_and_groups_changed, setup, fixture_teardown)
{
	struct store *s = fixture_store(state);
	fixture_sql(s,
		    "UPDATE households SET status = 'exited' WHERE id IN (SELECT id FROM households"
		    " ORDER BY id LIMIT 5);"
		    "UPDATE households SET group_id = (SELECT max(id) FROM villager_groups)"
		    " WHERE id IN (SELECT id FROM households ORDER BY id DESC LIMIT 4);"
		    "UPDATE villager_groups SET name = '试点九组' WHERE id = (SELECT min(id)"
		    " FROM villager_groups);"
		    "DELETE FROM members WHERE household_id = (SELECT max(id) FROM households);"
		    "DELETE FROM households WHERE id = (SELECT max(id) FROM households);");
	check_store(s);
	assert_same(s, NULL, "试点九组", NULL);
	/* a group gone (its households keep the id, as a bundle may leave them
	 * for a moment) and come back under another name */
	fixture_exec(s, "PRAGMA foreign_keys = OFF");
	fixture_sql(s, "CREATE TEMP TABLE g AS SELECT * FROM villager_groups WHERE name = '试点九组';"
		       "DELETE FROM villager_groups WHERE name = '试点九组'");
	assert_same(s, NULL, "点九", NULL);
	assert_same(s, NULL, NULL, NULL);
	fixture_sql(s, "INSERT INTO villager_groups SELECT id, owner, village_code, '复建十组',"
		       " created_at, updated_at FROM temp.g");
	fixture_exec(s, "PRAGMA foreign_keys = ON");
	check_store(s);
	assert_same(s, NULL, "复建十组", NULL);
	assert_same(s, NULL, "试点九组", NULL);
}
/* A village store of 40 demo households (seed) and a town store, linked
 * (the town enrols the village, the village trusts the town). */
static void village_and_town(struct fixture *fx, uint64_t seed, struct store **village,
			     struct store **town)
{
	char path[FIXTURE_PATH_NBYTES];
	*village = fixture_create(fixture_file(fx, "v.tzs", path), &fixture_village_id);
	*town = fixture_create(fixture_file(fx, "t.tzs", path), &fixture_town_id);
	sync_fixture_link(*village, *town);
	struct tz_error err;
	struct demo_options o = { .households = 40, .seed = seed, .today = "2019-04-20" };
	assert_int_equal(demo_populate(*village, &o, &err), TZ_OK);
}

UNIT_TEST(the_index_follows_a_bundle_applied_at_the_town, fixture_setup_dir, fixture_teardown)
{
	struct fixture *fx = *state;
	struct store *village, *town;
	village_and_town(fx, 12, &village, &town);
	enum sync_outcome outcome;
	char msg[256];
	assert_int_equal(sync_fixture_trip(fx->dir, village, town, &outcome, msg, sizeof msg), TZ_OK);
	assert_int_equal(outcome, SYNC_APPLIED);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM households"), 40);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM search_dirty"), 0);
	assert_int_equal(fixture_int(town, "SELECT deferred FROM search_state"), 0);
	check_store(town);
	/* and a second bundle, changing rows the first brought */
	fixture_sql(village, "UPDATE members SET name = '司马光明' WHERE id = (SELECT min(id)"
			     " FROM members)");
	assert_int_equal(sync_fixture_trip(fx->dir, village, town, &outcome, msg, sizeof msg), TZ_OK);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM members WHERE name = '司马光明'"), 1);
	assert_same(town, NULL, "司马光明", NULL);
	assert_same(town, NULL, "司马", NULL);
	check_store(town);
	store_close(village);
	store_close(town);
}

/* The index holds exactly what its view computes from the tables, every row
 * and column, and FTS5 agrees with it; no TEMP trigger of an import is left
 * and the store's own triggers are on again. */
static void assert_index_exact(struct store *s)
{
#define INDEX_COLUMNS "household_id, village_code, status, grp, head, idcard, nm, names, ids"
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM (SELECT " INDEX_COLUMNS
				     " FROM search_households EXCEPT SELECT " INDEX_COLUMNS
				     " FROM search_households_source)"),
			 0);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM (SELECT " INDEX_COLUMNS
				     " FROM search_households_source EXCEPT SELECT " INDEX_COLUMNS
				     " FROM search_households)"),
			 0);
#undef INDEX_COLUMNS
	fixture_sql(s, "INSERT INTO search_fts(search_fts) VALUES ('integrity-check')");
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM search_dirty"), 0);
	assert_int_equal(fixture_int(s, "SELECT deferred FROM search_state"), 0);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM temp.sqlite_schema WHERE type = 'trigger'"),
			 0);
	int on = 0;
	sqlite3_db_config(store_db(s), SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &on);
	assert_int_equal(on, 1);
}

/* A bundle that brings every kind of change the index is made of: the town
 * applies it with its own triggers off, the households noted by the
 * import's TEMP triggers (src/sync/search_note.c), and the index must come
 * out as if every trigger had run. */
UNIT_TEST(the_index_follows_every_change_a_bundle_brings, fixture_setup_dir, fixture_teardown)
{
	struct fixture *fx = *state;
	struct store *village, *town;
	village_and_town(fx, 13, &village, &town);
	/* two households copied under new ids, with their members: rows no
	 * ledger refers to, for the second bundle to delete */
	fixture_sql(village,
		    "CREATE TEMP TABLE copied AS SELECT id AS old, lower(hex(randomblob(16))) AS new"
		    " FROM households ORDER BY id LIMIT 2;"
		    "INSERT INTO households(id, owner, village_code, group_id, status, created_at,"
		    " updated_at) SELECT c.new, owner, village_code, group_id, status,"
		    " created_at, updated_at FROM households JOIN temp.copied c ON c.old = id;"
		    "INSERT INTO members(id, owner, household_id, name, idcard, relation, sex,"
		    " birth_date, status, created_at, updated_at) SELECT lower(hex(randomblob(16))),"
		    " m.owner, c.new, m.name, m.idcard, m.relation, m.sex,"
		    " m.birth_date, m.status, m.created_at, m.updated_at FROM members m"
		    " JOIN temp.copied c ON c.old = m.household_id");
	enum sync_outcome outcome;
	char msg[256];
	assert_int_equal(sync_fixture_trip(fx->dir, village, town, &outcome, msg, sizeof msg), TZ_OK);
	assert_int_equal(outcome, SYNC_APPLIED);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM households"), 42);
	assert_index_exact(town);
	char group[IDS_NCHARS + 1];
	fixture_add_group(village, group);
	fixture_sql(village,
		    /* members renamed, renumbered (an import takes only the capital
		     * X), made head, moved out, none of the copies' (whose random
		     * ids could put them first, and whose rows are deleted below);
		     * then moved to another household, deleted */
		    MEMBERS_CHANGED_SQL("慕容秋水", "34152219800101123X",
					"household_id NOT IN (SELECT new FROM temp.copied)")
		    "UPDATE members SET household_id = (SELECT min(id) FROM households)"
		    " WHERE id = (SELECT id FROM members WHERE household_id NOT IN"
		    " (SELECT new FROM temp.copied) ORDER BY id LIMIT 1 OFFSET 7);"
		    "DELETE FROM members WHERE id = (SELECT max(id) FROM members"
		    " WHERE household_id = (SELECT min(new) FROM temp.copied));"
		    /* households to another status and group, a group renamed */
		    "UPDATE households SET status = 'exited' WHERE id IN (SELECT id FROM households"
		    " ORDER BY id LIMIT 3);"
		    "UPDATE villager_groups SET name = '东山新组' WHERE id = (SELECT min(id)"
		    " FROM villager_groups);");
	fixture_sqlf(village,
		     "UPDATE households SET group_id = '%s' WHERE id IN (SELECT id FROM households"
		     " ORDER BY id DESC LIMIT 4 OFFSET 1)",
		     group);
	/* a household gone with its members */
	fixture_sql(village, "DELETE FROM members WHERE household_id = (SELECT max(new) FROM temp.copied);"
			     "DELETE FROM households WHERE id = (SELECT max(new) FROM temp.copied)");
	assert_int_equal(sync_fixture_trip(fx->dir, village, town, &outcome, msg, sizeof msg), TZ_OK);
	assert_int_equal(outcome, SYNC_APPLIED);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM households"),
			 fixture_int(village, "SELECT count(*) FROM households"));
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM members WHERE name = '慕容秋水'"), 1);
	assert_index_exact(town);
	check_store(town);
	assert_same(town, NULL, "慕容秋水", NULL);
	assert_same(town, NULL, "东山新组", NULL);
	assert_same(town, NULL, "23x", NULL);
	/* after the import, the town's own change is in the index at once */
	fixture_sql(town, "UPDATE members SET name = '上官云起' WHERE id = (SELECT max(id) FROM members)");
	assert_same(town, NULL, "上官云起", NULL);
	assert_index_exact(town);
	store_close(village);
	store_close(town);
}

int main(void)
{
	if (sync_fixture_init() != 0)
		return 1;
	return unit_run("search_index", NULL, NULL);
}
