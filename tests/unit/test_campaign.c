/*
 * test_campaign.c — the campaign's units and deliverables (src/model/unit.c,
 * src/model/deliverable.c, db/009_campaign.sql) as a specification, with the
 * seed's own figures: the lead units of its task list, its schedule (plans by
 * 5月1日 signed by the head, the summary by 5月30日, rectification by the end
 * of May, projects and business leaders by the end of June), done / open /
 * late against TAIZHANG_TODAY, an unknown unit refused, and a village that
 * cannot confirm its own deliverable, not even over a bundle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taizhang/campaign.h"
#include "taizhang/migrate.h"
#include "taizhang/model.h"
#include "taizhang/reference.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"
#include "taizhang/village.h"

#include "fixture.h"
#include "sync_fixture.h"

#define V1 FIXTURE_VILLAGE
#define V2 "341522104202"
#define T0 "'2019-04-20T01:00:00Z'"

/* The town's lead units in the seed's task list (三、主要内容, 牵头责任单位):
 * every 镇 unit leads at least one task. */
static const char *const seed_lead_units[] = {
	"caizheng", "canlian", "fupin", "jiwei", "linye", "minzheng", "nongzong", "shebao",
	"shuili", "weigai", "weishengyuan", "wenguang", "xuanchuan", "zhongxinxiao", "zuzhi",
};
#define NLEADS (sizeof seed_lead_units / sizeof seed_lead_units[0])

static void set_today(const char *day)
{
	assert_int_equal(setenv("TAIZHANG_TODAY", day, 1), 0);
}

static void add_villages(struct store *town)
{
	fixture_sql(town, "INSERT INTO villages(code, owner, name, town_code, kind, created_at, updated_at)"
			  " VALUES ('" V1 "', '" V1 "', '示范村', '" FIXTURE_TOWN "', 'poor', " T0 ", " T0 "),"
			  " ('" V2 "', '" V2 "', '李庄村', '" FIXTURE_TOWN "', 'non_poor', " T0 ", " T0 ")");
}

static size_t generate(struct store *s)
{
	size_t added;
	struct tz_error err;
	if (deliverable_generate(s, &added, &err) != TZ_OK)
		fail_msg("generate: %s", err.msg);
	return added;
}

static const char *id_of(const char *kind, const char *party)
{
	static char id[IDS_NCHARS + 1];
	deliverable_id(kind, party, id);
	return id;
}

static enum deliverable_state state_of(struct store *s, const char *kind, const char *party)
{
	struct deliverable_filter f = { .kind = kind, .state = -1 };
	if (strspn(party, "0123456789") == strlen(party))
		f.village_code = party;
	else
		f.unit = party;
	struct deliverable *v;
	size_t n;
	struct tz_error err;
	if (deliverable_list(s, &f, &v, &n, &err) != TZ_OK)
		fail_msg("list: %s", err.msg);
	assert_int_equal(n, 1);
	enum deliverable_state st = v[0].state;
	deliverable_list_free(v, n);
	return st;
}

/* ---- units ---- */

static void the_units_are_the_seeds_with_their_lead_tasks(void **state)
{
	struct store *s = fixture_store(state);
	struct unit *v;
	size_t n;
	struct tz_error err;
	assert_int_equal(unit_list(s, &v, &n, &err), TZ_OK);
	/* 15 town units first, then 各村(居) and the groups (领导小组, 双包, 其他) */
	assert_int_equal(n, NLEADS + 4);
	for (size_t i = 0; i < NLEADS; i++) {
		assert_string_equal(v[i].code, seed_lead_units[i]);
		assert_string_equal(v[i].kind, "town_unit");
		assert_true(v[i].leads >= 1);
	}
	unit_list_free(v, n);

	/* 镇卫生院 leads tasks 2, 5 and 8 and joins none; 镇扶贫办 leads task 8 */
	struct unit_sheet sh;
	assert_int_equal(unit_sheet_load(s, "镇卫生院", &sh, &err), TZ_OK);
	assert_string_equal(sh.unit.code, "weishengyuan");
	assert_int_equal(sh.ntasks, 3);
	assert_int_equal(sh.tasks[0].task, 2);
	assert_int_equal(sh.tasks[1].task, 5);
	assert_string_equal(sh.tasks[1].name, "狠抓健康脱贫政策落实");
	assert_int_equal(sh.tasks[2].task, 8);
	for (size_t i = 0; i < sh.ntasks; i++)
		assert_int_equal(sh.tasks[i].lead, 1);
	unit_sheet_free(&sh);
	assert_int_equal(unit_sheet_load(s, "fupin", &sh, &err), TZ_OK);
	assert_string_equal(sh.unit.name, "镇扶贫办");
	int leads = 0;
	for (size_t i = 0; i < sh.ntasks; i++)
		leads += sh.tasks[i].lead ? sh.tasks[i].task : 0;
	assert_int_equal(leads, 8);
	unit_sheet_free(&sh);
}

static void an_unknown_unit_is_refused_naming_the_field(void **state)
{
	struct store *s = fixture_store(state);
	struct tz_error err;
	char *code = NULL;
	const struct field_def *f = model_field(model_table("projects"), "unit");
	assert_non_null(f);
	assert_int_equal(field_check(s, f, "住建所", &code, &err), TZ_EFAIL);
	assert_null(code);
	assert_non_null(strstr(err.msg, "责任单位"));
	assert_non_null(strstr(err.msg, "住建所"));
	/* a code or the unit's name is stored as the code */
	assert_int_equal(field_check(s, f, "镇农综站", &code, &err), TZ_OK);
	assert_string_equal(code, "nongzong");
	free(code);
	f = model_field(model_table("problems"), "responsible_unit");
	assert_int_equal(field_check(s, f, "weishengyuan", &code, &err), TZ_OK);
	assert_string_equal(code, "weishengyuan");
	free(code);
	/* as a peer's bundle would carry it */
	sqlite3_value *v = NULL;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT '住建所'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_value(st, 0);
	assert_int_equal(field_check_stored(s, f, v, NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "责任单位"));
	sqlite3_finalize(st);
	/* and the unit's sheet of what is not a unit */
	struct unit_sheet sh;
	assert_int_equal(unit_sheet_load(s, "住建所", &sh, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "住建所"));
}

/* A store made before units were data: its free-text units become codes when
 * db/009 migrates it; text that names no unit is kept in the note. */
static void free_text_units_become_codes_and_the_rest_is_kept(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	int m = 0;
	for (; m < migrations_count && migrations[m].version < 9; m++)
		assert_int_equal(sqlite3_exec(db, migrations[m].sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(migrations[m].version, 9);
	static const char old_rows[] =
		"INSERT INTO store_meta(key, value) VALUES ('code', '" V1 "'), ('name', '示范村');"
		"INSERT INTO problems(id, owner, village_code, area, task, title, source,"
		" responsible_unit, responsible_person, deadline, created_at, updated_at) VALUES"
		" ('p1', '" V1 "', '" V1 "', 7, 5, 'a', 'self_check', '镇卫生院', '何', '2019-05-31', " T0 ", " T0 "),"
		" ('p2', '" V1 "', '" V1 "', 10, 18, 'b', 'complaint', '民政办', '韩', '2019-05-31', " T0 ", " T0 "),"
		" ('p3', '" V1 "', '" V1 "', 1, 1, 'c', 'self_check', '示范村', '高', '2019-05-31', " T0 ", " T0 "),"
		" ('p4', '" V1 "', '" V1 "', 7, 7, 'd', 'dispatch', '住建所', '李', '2019-05-31', " T0 ", " T0 "),"
		" ('p5', '" V1 "', '" V1 "', 3, 3, 'e', 'dispatch', 'caizheng', '赵', '2019-05-31', " T0 ", " T0 ");";
	assert_int_equal(sqlite3_exec(db, old_rows, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, migrations[m].sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(responsible_unit || '/' ||"
						" COALESCE(responsible_unit_note, ''), ' ') FROM"
						" (SELECT * FROM problems ORDER BY id)", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
			    "weishengyuan/ minzheng/ villages/ other/住建所 caizheng/");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- generation ---- */

static void the_town_owes_the_schedule_for_every_village_and_lead_unit(void **state)
{
	struct store *town = fixture_store(state);
	add_villages(town);
	/* per village: plans, staff, summary, rectification, projects, leaders; per
	 * lead unit plans, summary, rectification; task 8's 7 lead units the
	 * projects, task 9's 2 the leaders; 镇扶贫办 the town's summary */
	size_t want = 2 * 6 + NLEADS * 3 + 7 + 2 + 1;
	assert_int_equal(generate(town), want);
	assert_int_equal(generate(town), 0); /* again: nothing more */
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM deliverables"), (long long)want);
	for (size_t i = 0; i < NLEADS; i++) {
		char sql[160];
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM deliverables WHERE unit = '%s' AND kind = 'plans'"
			 " AND due = '2019-05-01'", seed_lead_units[i]);
		assert_int_equal(fixture_int(town, sql), 1);
	}
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM deliverables WHERE kind = 'summary'"
					   " AND due = '2019-05-30'"), 2 + NLEADS);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM deliverables"
					   " WHERE kind = 'rectification' AND due = '2019-05-31'"), 2 + NLEADS);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM deliverables WHERE kind = 'projects'"
					   " AND due = '2019-06-30' AND unit IN ('nongzong', 'shebao',"
					   " 'weigai', 'caizheng', 'zhongxinxiao', 'weishengyuan', 'fupin')"), 7);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM deliverables WHERE kind = 'leaders'"
					   " AND due = '2019-06-30' AND unit IN ('shebao', 'nongzong')"), 2);
	/* a village's row is the village's, with the id every store derives */
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM deliverables WHERE village_code = '" V2
					   "' AND owner = '" V2 "'"), 6);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM deliverables WHERE id = '%s' AND village_code = '" V2 "'",
		 id_of("plans", V2));
	assert_int_equal(fixture_int(town, sql), 1);

	/* a village added later gets its rows, and only those */
	fixture_sql(town, "INSERT INTO villages(code, owner, name, town_code, kind, created_at, updated_at)"
			  " VALUES ('341522104203', '341522104203', '王岗村', '" FIXTURE_TOWN "', 'poor', "
			  T0 ", " T0 ")");
	assert_int_equal(generate(town), 6);

	/* 各村(居)'s sheet lists the villages' rows (the report counts them so),
	 * a unit's sheet its own */
	struct unit_sheet sh;
	struct tz_error err;
	assert_int_equal(unit_sheet_load(town, "villages", &sh, &err), TZ_OK);
	assert_int_equal(sh.ndeliverables, 3 * 6);
	for (size_t i = 0; i < sh.ndeliverables; i++)
		assert_non_null(sh.deliverables[i].village_code);
	unit_sheet_free(&sh);
	assert_int_equal(unit_sheet_load(town, "fupin", &sh, &err), TZ_OK);
	assert_int_equal((long long)sh.ndeliverables,
			 fixture_int(town, "SELECT count(*) FROM deliverables WHERE unit = 'fupin'"));
	unit_sheet_free(&sh);
}

static void a_village_owes_its_own_six(void **state)
{
	struct store *v = fixture_store(state);
	assert_int_equal(generate(v), 6);
	assert_int_equal(generate(v), 0);
	assert_int_equal(fixture_int(v, "SELECT count(*) FROM deliverables WHERE unit IS NOT NULL"), 0);
}

/* ---- state, hand-in, confirmation ---- */

static void late_open_and_done_follow_today(void **state)
{
	struct store *town = fixture_store(state);
	add_villages(town);
	generate(town);
	struct tz_error err;
	set_today("2019-04-30");
	assert_int_equal(state_of(town, "plans", "fupin"), DELIVERABLE_OPEN);
	set_today("2019-05-01"); /* due that day: still open */
	assert_int_equal(state_of(town, "plans", "fupin"), DELIVERABLE_OPEN);
	set_today("2019-05-02");
	assert_int_equal(state_of(town, "plans", "fupin"), DELIVERABLE_LATE);
	assert_int_equal(state_of(town, "plans", V1), DELIVERABLE_LATE);
	assert_int_equal(state_of(town, "summary", "fupin"), DELIVERABLE_OPEN);

	/* the plans must be signed by the head */
	struct deliverable_handin h = { .on = "2019-04-30", .by = "李四", .kept_where = "扶贫办档案柜 A-3" };
	assert_int_equal(deliverable_record(town, id_of("plans", "fupin"), &h, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "审签人"));
	h.signed_by = "王镇长";
	assert_int_equal(deliverable_record(town, id_of("plans", "fupin"), &h, &err), TZ_OK);
	assert_int_equal(state_of(town, "plans", "fupin"), DELIVERABLE_DONE);
	/* not after today */
	h.on = "2019-05-03";
	assert_int_equal(deliverable_record(town, id_of("summary", "fupin"), &h, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "提交日期"));
	/* a village's deliverable is recorded by the village */
	h.on = "2019-04-29";
	assert_int_equal(deliverable_record(town, id_of("plans", V1), &h, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "示范村"));

	struct deliverable_count *c, total;
	size_t n;
	assert_int_equal(deliverable_counts(town, &c, &n, &total, &err), TZ_OK);
	assert_int_equal(n, 2 + NLEADS);
	assert_string_equal(c[0].name, "示范村");
	assert_int_equal(c[0].late, 1); /* plans */
	assert_int_equal(c[0].open, 5);
	assert_int_equal(total.done, 1);
	assert_int_equal(total.late, 2 + NLEADS - 1);
	assert_int_equal(total.done + total.open + total.late,
			 fixture_int(town, "SELECT count(*) FROM deliverables"));
	deliverable_counts_free(c, n);

	/* the town confirms receipt of what was handed in, and only that */
	assert_int_equal(deliverable_confirm(town, id_of("summary", "fupin"), NULL, &err), TZ_EFAIL);
	assert_int_equal(deliverable_confirm(town, id_of("plans", "fupin"), "2019-05-02", &err), TZ_OK);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT confirmed_on = '2019-05-02' AND confirmed_by = '" FIXTURE_USER
		 "' FROM deliverables WHERE id = '%s'", id_of("plans", "fupin"));
	assert_int_equal(fixture_int(town, sql), 1);

	/* the town moves the deadline: what is not handed in follows it */
	assert_int_equal(state_of(town, "plans", "caizheng"), DELIVERABLE_LATE);
	assert_int_equal(reference_deadline_set(town, "plans", "2019-05-06", &err), TZ_OK);
	assert_int_equal(state_of(town, "plans", "caizheng"), DELIVERABLE_OPEN);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM deliverables WHERE kind = 'plans'"
					   " AND due = '2019-05-06'"), 2 + NLEADS - 1);
	assert_int_equal(fixture_int(town, "SELECT count(*) FROM deliverables WHERE kind = 'plans'"
					   " AND due = '2019-05-01' AND unit = 'fupin'"), 1);
	assert_int_equal(generate(town), 0);
	unsetenv("TAIZHANG_TODAY");
}

/* A village and its town, trusting each other (sync_fixture.h). */
static int trio_setup(void **state)
{
	*state = sync_fixture_new(sizeof(struct sync_stores), NULL);
	return *state != NULL ? 0 : -1;
}

static int trio_teardown(void **state)
{
	unsetenv("TAIZHANG_TODAY");
	return sync_fixture_teardown(state);
}

static void carry(struct sync_stores *t, struct store *from, struct store *to, const char *name)
{
	const char *dir = sync_fixture_folder(t->fx.dir, name);
	struct sync_export_result r;
	struct sync_import_result in;
	struct tz_error err;
	if (sync_export(from, dir, &r, &err) != TZ_OK)
		fail_msg("export: %s", err.msg);
	if (sync_import(to, dir, NULL, NULL, &in, &err) != TZ_OK)
		fail_msg("import: %s", err.msg);
	for (size_t i = 0; i < in.nitems; i++)
		if (in.items[i].outcome != SYNC_APPLIED && in.items[i].outcome != SYNC_DUPLICATE)
			fail_msg("import: %s", in.items[i].message);
	sync_export_result_free(&r);
	sync_import_result_free(&in);
}

static void a_village_cannot_confirm_its_own_deliverable_even_over_a_bundle(void **state)
{
	struct sync_stores *t = *state;
	struct tz_error err;
	set_today("2019-05-02");
	/* both sides make the village's rows: the same rows */
	fixture_sql(t->town, "INSERT INTO villages(code, owner, name, town_code, kind, created_at,"
			     " updated_at) VALUES ('" V1 "', '" V1 "', '示范村', '" FIXTURE_TOWN "', 'poor', "
			     T0 ", " T0 ")");
	generate(t->town);
	assert_int_equal(generate(t->v1), 6);
	struct deliverable_handin h = { .on = "2019-04-30", .by = "高刚", .signed_by = "张书记",
					.kept_where = "村部档案室 2019-05 盒" };
	assert_int_equal(deliverable_record(t->v1, id_of("plans", V1), &h, &err), TZ_OK);
	/* the program refuses, and says who confirms */
	assert_int_equal(deliverable_confirm(t->v1, id_of("plans", V1), NULL, &err), TZ_EUSAGE);
	assert_non_null(strstr(err.msg, "镇扶贫办"));
	/* a village that writes the confirmation itself */
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE deliverables SET confirmed_on = '2019-05-01',"
		 " confirmed_by = '高刚' WHERE id = '%s'", id_of("plans", V1));
	fixture_sql(t->v1, sql);
	carry(t, t->v1, t->town, "up");

	/* the hand-in arrived, the confirmation did not: it waits as a proposal */
	snprintf(sql, sizeof sql, "SELECT handed_in_on = '2019-04-30' AND signed_by = '张书记'"
		 " AND confirmed_on IS NULL FROM deliverables WHERE id = '%s'", id_of("plans", V1));
	assert_int_equal(fixture_int(t->town, sql), 1);
	assert_int_equal(fixture_int(t->town, "SELECT count(*) FROM sync_proposals WHERE state = 'open'"
					     " AND table_name = 'deliverables'"), 1);
	assert_int_equal(fixture_int(t->town, "SELECT count(*) FROM sync_conflicts"), 0);
	assert_int_equal(fixture_int(t->town, "SELECT count(*) FROM deliverables"), 6 + NLEADS * 3 + 10);
	/* the town confirms receipt itself */
	assert_int_equal(deliverable_confirm(t->town, id_of("plans", V1), NULL, &err), TZ_OK);
	snprintf(sql, sizeof sql, "SELECT confirmed_on = '2019-05-02' FROM deliverables WHERE id = '%s'",
		 id_of("plans", V1));
	assert_int_equal(fixture_int(t->town, sql), 1);
}

static void a_village_new_to_the_town_gets_its_deliverables_there(void **state)
{
	struct sync_stores *t = *state;
	struct tz_error err;
	/* a village whose store never made its rows (made before 009) */
	assert_int_equal(village_register(t->v1, "示范村", "poor", &err), TZ_OK);
	assert_int_equal(fixture_int(t->town, "SELECT count(*) FROM deliverables"), 0);
	carry(t, t->v1, t->town, "up");
	assert_int_equal(fixture_int(t->town, "SELECT count(*) FROM deliverables WHERE village_code = '" V1
					     "' AND owner = '" V1 "'"), 6);
	assert_int_equal(fixture_int(t->town, "SELECT count(*) FROM deliverables WHERE unit IS NOT NULL"),
			 NLEADS * 3 + 10);
	/* and when the village makes them later, they are the same rows */
	assert_int_equal(generate(t->v1), 6);
	carry(t, t->v1, t->town, "up2");
	assert_int_equal(fixture_int(t->town, "SELECT count(*) FROM deliverables"), 6 + NLEADS * 3 + 10);
	assert_int_equal(fixture_int(t->town, "SELECT count(*) FROM sync_conflicts"), 0);
}

int main(void)
{
	/* every store opened records its changes for sync, as the program's do */
	store_set_open_hook(sync_capture_attach);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_units_are_the_seeds_with_their_lead_tasks,
						fixture_setup_town, fixture_teardown),
		cmocka_unit_test_setup_teardown(an_unknown_unit_is_refused_naming_the_field,
						fixture_setup_village, fixture_teardown),
		cmocka_unit_test(free_text_units_become_codes_and_the_rest_is_kept),
		cmocka_unit_test_setup_teardown(the_town_owes_the_schedule_for_every_village_and_lead_unit,
						fixture_setup_town, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_village_owes_its_own_six, fixture_setup_village,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(late_open_and_done_follow_today, fixture_setup_town,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(a_village_cannot_confirm_its_own_deliverable_even_over_a_bundle,
						trio_setup, trio_teardown),
		cmocka_unit_test_setup_teardown(a_village_new_to_the_town_gets_its_deliverables_there,
						trio_setup, trio_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
