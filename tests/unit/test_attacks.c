/*
 * test_attacks.c — an enrolled village attacking the town through its own
 * store (it holds the passphrase, so plain SQL is all it needs), and a village
 * holding a town bundle that is not its own, against real store files. One
 * test per numbered item of issue 13 and per rule of src/sync/README.md
 * (A1 ...), each refused with its stated outcome; and the normal two-village
 * round trip (edits, dispatch back, receipts) still working beside them.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/sync/sync_internal.h"
#include "taizhang/bundle.h"
#include "taizhang/demo.h"
#include "taizhang/idcard.h"
#include "taizhang/model.h"
#include "taizhang/problem.h"
#include "taizhang/project.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"
#include "taizhang/text_hygiene.h"

#include "fixture.h"
#include "sync_fixture.h"

#define PASS "correct horse"
#define V1 "341522104201"
#define V2 "341522104202"
#define TOWN "341522104000"
#define T0 "'2019-04-01T00:00:00Z'"

struct attack_fixture {
	char dir[64];
	struct store *v1, *v2, *town;
	char dispatched[IDS_NCHARS + 1]; /* the town's problem for village 1 */
};

static const struct store_identity v1_id = { STORE_KIND_VILLAGE, V1, "示范村" };
static const struct store_identity v2_id = { STORE_KIND_VILLAGE, V2, "李庄村" };
static const struct store_identity town_id = { STORE_KIND_TOWN, TOWN, "城关镇" };

static struct store *create(struct attack_fixture *f, const char *name, const struct store_identity *id)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	struct store *s = NULL;
	struct tz_error err;
	if (store_create(path, id, "admin", PASS, strlen(PASS), KDF_COST_MIN, &s, &err) != TZ_OK)
		fail_msg("store_create: %s", err.msg);
	return s;
}

static void text_of(struct store *s, const char *sql, char *out, size_t cap)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* SQL written with change capture paused: rows the village copies into its
 * store without sending them. */
static void sql_quietly(struct store *s, const char *text)
{
	sync_capture_pause(s, 1);
	fixture_sql(s, text);
	sync_capture_pause(s, 0);
}

/* SQL whose changes a store records into its own outbox by hand, for dest
 * ('town', or a village's code at the town), with a session on every table
 * (what capture would never record). */
static void sql_into_outbox_for(struct store *s, const char *dest, const char *text)
{
	sqlite3_session *session;
	struct tz_error err;
	sync_capture_pause(s, 1);
	assert_int_equal(store_tx_begin(s, &err), TZ_OK);
	assert_int_equal(sqlite3session_create(store_db(s), "main", &session), SQLITE_OK);
	assert_int_equal(sqlite3session_attach(session, NULL), SQLITE_OK);
	if (store_exec(s, text, &err) != TZ_OK)
		fail_msg("%s: %s", text, err.msg);
	int n;
	void *cs;
	assert_int_equal(sqlite3session_changeset(session, &n, &cs), SQLITE_OK);
	sqlite3session_delete(session);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s),
					    "INSERT INTO sync_outbox(dest, changeset, created_at, by_user)"
					    " VALUES (?2, ?1, 'x', 'admin')",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(st, 1, cs, n, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dest, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_free(cs);
	assert_int_equal(store_tx_commit(s, &err), TZ_OK);
	sync_capture_pause(s, 0);
}

static void sql_into_outbox(struct store *s, const char *text)
{
	sql_into_outbox_for(s, "town", text);
}

/* Export s into the folder name (emptied first); the number of files. */
static size_t export_to(struct attack_fixture *f, struct store *s, const char *name)
{
	return sync_fixture_export(f->dir, s, name);
}

/* Import the folder name into s: the worst status; outcome and message of the
 * last file not skipped (files go in order of seq: the newest bundle). */
static int import_from(struct attack_fixture *f, struct store *s, const char *name, enum sync_outcome *outcome,
		       char *msg, size_t cap)
{
	return sync_fixture_import(f->dir, s, name, outcome, msg, cap);
}

/* The village's store exported and imported at the town: the first outcome. */
static int village_to_town(struct attack_fixture *f, struct store *v, enum sync_outcome *outcome,
			   char *msg, size_t cap)
{
	export_to(f, v, "stick");
	return import_from(f, f->town, "stick", outcome, msg, cap);
}

static void town_to_villages(struct attack_fixture *f)
{
	export_to(f, f->town, "back");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	if (import_from(f, f->v1, "back", &o, msg, sizeof msg) != TZ_OK)
		fail_msg("village 1 import: %s", msg);
	if (import_from(f, f->v2, "back", &o, msg, sizeof msg) != TZ_OK)
		fail_msg("village 2 import: %s", msg);
}

/* A group and a household of village code, ids from prefix. */
static void household_sql(struct store *s, const char *code, const char *prefix)
{
	char text[1024];
	snprintf(text, sizeof text,
		 "INSERT OR IGNORE INTO villages(code, owner, name, created_at, updated_at)"
		 " VALUES ('%s', '%s', '村', " T0 ", " T0 ");"
		 "INSERT INTO villager_groups(id, owner, village_code, name, created_at, updated_at)"
		 " VALUES ('%s000000000000000000000000000001', '%s', '%s', '一组', " T0 ", " T0 ");"
		 "INSERT INTO households(id, owner, village_code, group_id, status, address,"
		 " created_at, updated_at) VALUES ('%s000000000000000000000000000002', '%s', '%s',"
		 " '%s000000000000000000000000000001', 'helped', '一组一号', " T0 ", " T0 ")",
		 code, code, prefix, code, code, prefix, code, code, prefix);
	fixture_sql(s, text);
}

/* Two villages with a household each, applied at the town and answered, and a
 * problem the town dispatched to village 1, received there. */
static int setup(void **state)
{
	struct attack_fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/tz-attack-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->v1 = create(f, "v1.tzs", &v1_id);
	f->v2 = create(f, "v2.tzs", &v2_id);
	f->town = create(f, "t.tzs", &town_id);
	sync_fixture_link(f->v1, f->town);
	sync_fixture_link(f->v2, f->town);
	household_sql(f->v1, V1, "a1");
	household_sql(f->v2, V2, "b2");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	if (village_to_town(f, f->v1, &o, msg, sizeof msg) != TZ_OK)
		fail_msg("setup v1: %s", msg);
	if (village_to_town(f, f->v2, &o, msg, sizeof msg) != TZ_OK)
		fail_msg("setup v2: %s", msg);
	struct tz_error err;
	struct problem_spec spec = { .village_code = V1, .area = 2, .task = 7,
				     .title = "危房未改造", .responsible_unit = "镇危改办",
				     .responsible_person = "李四", .deadline = "2019-05-30" };
	if (problem_create(f->town, &spec, f->dispatched, &err) != TZ_OK)
		fail_msg("dispatch: %s", err.msg);
	town_to_villages(f);
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM problems WHERE owner = '" TOWN "'"), 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct attack_fixture *f = *state;
	store_close(f->v1);
	store_close(f->v2);
	store_close(f->town);
	fixture_remove_tree(f->dir);
	free(f);
	return 0;
}

/* o is read after rc was computed (arguments are evaluated in any order). */
static void assert_refused(int rc, const enum sync_outcome *o, const char *msg, const char *needle)
{
	if (rc != TZ_EDAMAGED || *o != SYNC_REFUSED)
		fail_msg("expected a refusal, got status %d outcome %d: %s", rc, (int)*o, msg);
	if (needle != NULL && strstr(msg, needle) == NULL)
		fail_msg("refusal does not say “%s”: %s", needle, msg);
}

/* ---- the normal round trip still works ---- */

static void a_normal_round_trip_still_works(void **state)
{
	struct attack_fixture *f = *state;
	/* village 1 rectifies the dispatched problem, the town closes it */
	struct tz_error err;
	assert_int_equal(problem_move(f->v1, f->dispatched, "rectified", "已改造", "照片三张", NULL, &err),
			 TZ_OK);
	fixture_sql(f->v1, "UPDATE households SET address = '一组二号' WHERE id = 'a1000000000000000000000000000002'");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_int_equal(village_to_town(f, f->v1, &o, msg, sizeof msg), TZ_OK);
	assert_int_equal(o, SYNC_APPLIED);
	char state_text[32];
	char q[256];
	snprintf(q, sizeof q, "SELECT state FROM problems WHERE id = '%s'", f->dispatched);
	text_of(f->town, q, state_text, sizeof state_text);
	assert_string_equal(state_text, "rectified");
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '一组二号'"), 1);
	assert_int_equal(problem_move(f->town, f->dispatched, "closed", "验收合格", NULL, NULL, &err), TZ_OK);
	town_to_villages(f);
	text_of(f->v1, q, state_text, sizeof state_text);
	assert_string_equal(state_text, "closed");
	/* receipts: both villages' outboxes are clear, nothing is waiting */
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM sync_outbox"), 0);
	assert_int_equal(fixture_int(f->v2, "SELECT count(*) FROM sync_outbox"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_conflicts"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals"), 0);
}

/* ---- item 1 / rule A1: takeover by INSERT ---- */

static void item1_an_insert_on_another_villages_key_is_refused(void **state)
{
	struct attack_fixture *f = *state;
	/* village 1 deletes nothing: it inserts a row of its own under village 2's id */
	fixture_sql(f->v1, "INSERT INTO villager_groups(id, owner, village_code, name, created_at, updated_at)"
		   " VALUES ('b2000000000000000000000000000001', '" V1 "', '" V1 "', '抢占组', " T0 ", " T0 ")");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_refused(village_to_town(f, f->v1, &o, msg, sizeof msg), &o, msg, "编号与别的单位");
	assert_non_null(strstr(msg, V1));
	assert_non_null(strstr(msg, "villager_groups"));
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM villager_groups WHERE name = '抢占组'"), 0);
	/* the refusal is kept for the town, once however often the stick comes */
	assert_int_equal(import_from(f, f->town, "stick", &o, msg, sizeof msg), TZ_EDAMAGED);
	struct sync_refusal *r;
	size_t n;
	struct tz_error err;
	assert_int_equal(sync_refusals_list(f->town, &r, &n, &err), TZ_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].village, V1);
	assert_non_null(strstr(r[0].reason, "villager_groups"));
	sync_refusals_free(r, n);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM villager_groups"
					 " WHERE id = 'b2000000000000000000000000000001' AND owner = '" V2 "'"),
			 1);
}

/* Village 2's group b2…01 and household b2…02, copied into v quietly (not
 * sent), so that v's own foreign keys hold for edits on them. */
static void copy_village2_household(struct store *v)
{
	sql_quietly(v, "INSERT INTO villager_groups(id, owner, village_code, name, created_at,"
		       " updated_at) VALUES ('b2000000000000000000000000000001', '" V2 "', '" V2 "',"
		       " '一组', " T0 ", " T0 ");"
		       "INSERT INTO households(id, owner, village_code, group_id, status, created_at,"
		       " updated_at) VALUES ('b2000000000000000000000000000002', '" V2 "', '" V2 "',"
		       " 'b2000000000000000000000000000001', 'helped', " T0 ", " T0 ")");
}

static void rule_a1_an_update_of_another_villages_row_is_refused(void **state)
{
	struct attack_fixture *f = *state;
	/* village 1 copies village 2's group and household into its store, then edits them */
	copy_village2_household(f->v1);
	fixture_sql(f->v1, "UPDATE households SET address = '改了' WHERE id = 'b2000000000000000000000000000002'");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_refused(village_to_town(f, f->v1, &o, msg, sizeof msg), &o, msg, "不属于发送方");
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '改了'"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_received WHERE seq > 1"), 0);
}

/* ---- item 2 / rule A2: table names in another case, unknown tables ---- */

/* The changeset of v's newest outbox entry with table name from renamed to
 * (same length), signed as v's next bundle. */
static void forge_renamed(struct attack_fixture *f, struct store *v, const char *from, const char *to,
			  const char *name)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(v),
					    "SELECT id, changeset FROM sync_outbox ORDER BY id DESC LIMIT 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	size_t n = (size_t)sqlite3_column_bytes(st, 1);
	unsigned char *cs = malloc(n);
	memcpy(cs, sqlite3_column_blob(st, 1), n);
	uint64_t outbox_id = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	size_t len = strlen(from) + 1;
	assert_int_equal(strlen(to) + 1, len);
	int replaced = 0;
	for (size_t i = 0; i + len <= n; i++)
		if (memcmp(cs + i, from, len) == 0) {
			memcpy(cs + i, to, len);
			replaced++;
		}
	assert_true(replaced > 0);

	struct payload_entry e = { .outbox_id = outbox_id, .changeset = cs, .changeset_nbytes = n };
	struct payload p = { .kind = PAYLOAD_KIND_CHANGES, .from_kind = STORE_KIND_VILLAGE,
			     .outbox_from = 1, .outbox_upto = outbox_id, .entries = &e, .nentries = 1 };
	snprintf(p.from_code, sizeof p.from_code, "%s", store_keyring(v)->division_code);
	snprintf(p.village, sizeof p.village, "%s", store_keyring(v)->division_code);
	/* the next seq of v's chain at the town */
	char hex[SYNC_DEVICE_ID_NCHARS + 1], q[256];
	sync_device_id_hex(sync_fixture_public(v).device_id, hex);
	snprintf(q, sizeof q, "SELECT last_seq FROM sync_peer_in WHERE peer = '%s'", hex);
	struct bundle_header h = { .seq = (uint64_t)fixture_int(f->town, q) + 1 };
	snprintf(q, sizeof q, "SELECT last_hash FROM sync_peer_in WHERE peer = '%s'", hex);
	assert_int_equal(sqlite3_prepare_v2(store_db(f->town), q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	memcpy(h.prev_hash, sqlite3_column_blob(st, 0), sizeof h.prev_hash);
	sqlite3_finalize(st);
	char path[160];
	snprintf(path, sizeof path, "%s/x.tzb", sync_fixture_folder(f->dir, name));
	sync_fixture_forge(v, f->town, &h, &p, path);
	free(cs);
}

static void item2_upper_case_table_names_meet_the_same_rules(void **state)
{
	struct attack_fixture *f = *state;
	char q[256];
	/* PROBLEMS: closing and retitling the town's problem is still only asked */
	snprintf(q, sizeof q, "UPDATE problems SET state = 'closed', title = '已解决' WHERE id = '%s'",
		 f->dispatched);
	fixture_sql(f->v1, q);
	forge_renamed(f, f->v1, "problems", "PROBLEMS", "upper");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_int_equal(import_from(f, f->town, "upper", &o, msg, sizeof msg), TZ_OK);
	assert_int_equal(o, SYNC_APPLIED);
	char text[64];
	snprintf(q, sizeof q, "SELECT state || title FROM problems WHERE id = '%s'", f->dispatched);
	text_of(f->town, q, text, sizeof text);
	assert_string_equal(text, "open危房未改造");
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals WHERE table_name = 'problems'"
					 " AND state = 'open'"),
			 1);

	/* VILLAGES: village 1 renaming village 2 is refused */
	fixture_sql(f->v1, "INSERT INTO villages(code, owner, name, created_at, updated_at)"
		   " VALUES ('" V2 "', '" V1 "', '假村', " T0 ", " T0 ")");
	forge_renamed(f, f->v1, "villages", "VILLAGES", "upper2");
	assert_refused(import_from(f, f->town, "upper2", &o, msg, sizeof msg), &o, msg, "villages");
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM villages WHERE name = '假村'"), 0);
}

static void rule_a2_an_unknown_table_refuses_the_bundle(void **state)
{
	struct attack_fixture *f = *state;
	fixture_sql(f->v1, "UPDATE households SET address = '三号' WHERE id = 'a1000000000000000000000000000002'");
	forge_renamed(f, f->v1, "households", "householdz", "unknown");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_refused(import_from(f, f->town, "unknown", &o, msg, sizeof msg), &o, msg, "没有这张表");
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '三号'"), 0);
}

/* ---- item 3 / rule A3: children on others' parents ---- */

static void item3_a_child_on_another_villages_parent_is_refused(void **state)
{
	struct attack_fixture *f = *state;
	/* a member of village 1 hung on village 2's household (copied in quietly so
	 * that the village's own foreign keys hold) */
	copy_village2_household(f->v1);
	char idcard[IDCARD_NCHARS + 1], q[512];
	idcard_make(idcard, "110105", 1949, 12, 31, 2);
	snprintf(q, sizeof q,
		 "INSERT INTO members(id, owner, household_id, name, idcard, relation, sex,"
		 " birth_date, status, created_at, updated_at) VALUES"
		 " ('a1000000000000000000000000000009', '" V1 "', 'b2000000000000000000000000000002',"
		 " '王五', '%s', 'head', 'F', '1949-12-31', 'present', " T0 ", " T0 ")",
		 idcard);
	fixture_sql(f->v1, q);
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_refused(village_to_town(f, f->v1, &o, msg, sizeof msg), &o, msg, "别的村");
	assert_non_null(strstr(msg, "members"));
	assert_non_null(strstr(msg, "a1000000000000000000000000000009")); /* the row named */
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM members"), 0);
}

/* ---- item 4 / rule A4: town steps recorded by the village ---- */

static void item4_closing_a_dispatched_problem_becomes_a_proposal(void **state)
{
	struct attack_fixture *f = *state;
	struct tz_error err;
	/* the program itself refuses, and offers to ask */
	assert_int_equal(problem_move(f->v1, f->dispatched, "rectified", NULL, "照片", NULL, &err), TZ_OK);
	assert_int_equal(problem_move(f->v1, f->dispatched, "closed", NULL, NULL, NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "申请销号"));
	assert_int_equal(problem_request_close(f->v1, f->dispatched, "全部完成", "验收表", &err), TZ_OK);
	/* plain SQL closes it anyway, with an event */
	char q[512];
	snprintf(q, sizeof q,
		 "UPDATE problems SET state = 'closed' WHERE id = '%s';"
		 "INSERT INTO problem_events(id, owner, problem_id, from_state, to_state, by_user, at,"
		 " created_at, updated_at) VALUES ('a100000000000000000000000000000e', '" V1 "', '%s',"
		 " 'rectified', 'closed', 'admin', " T0 ", " T0 ", " T0 ")",
		 f->dispatched, f->dispatched);
	fixture_sql(f->v1, q);
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_int_equal(village_to_town(f, f->v1, &o, msg, sizeof msg), TZ_OK);
	assert_non_null(strstr(msg, "待镇里决定"));
	char text[32];
	snprintf(q, sizeof q, "SELECT state FROM problems WHERE id = '%s'", f->dispatched);
	text_of(f->town, q, text, sizeof text);
	assert_string_equal(text, "rectified"); /* what the village may write landed */
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM problem_events WHERE to_state = 'closed'"), 0);

	struct sync_proposal *p;
	size_t n;
	assert_int_equal(sync_proposals_list(f->town, 0, &p, &n, &err), TZ_OK);
	assert_int_equal(n, 2);
	assert_non_null(strstr(p[0].summary, "销号"));
	long long update = strcmp(p[0].table_name, "problems") == 0 ? p[0].id : p[1].id;
	long long event = update == p[0].id ? p[1].id : p[0].id;
	sync_proposals_free(p, n);
	/* a village cannot decide; the town accepts one and refuses the other */
	assert_int_equal(sync_proposal_accept(f->v1, update, NULL, &err), TZ_EUSAGE);
	assert_int_equal(sync_proposal_refuse(f->town, event, NULL, &err), TZ_EUSAGE);
	assert_int_equal(sync_proposal_accept(f->town, update, "验收合格", &err), TZ_OK);
	assert_int_equal(sync_proposal_refuse(f->town, event, "以镇里的销号记录为准", &err), TZ_OK);
	assert_int_equal(sync_proposal_accept(f->town, update, NULL, &err), TZ_EFAIL);
	text_of(f->town, q, text, sizeof text);
	assert_string_equal(text, "closed");
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals WHERE state = 'open'"), 0);
	/* the town's 销号 reaches the village as the town's own change */
	town_to_villages(f);
	text_of(f->v1, q, text, sizeof text);
	assert_string_equal(text, "closed");
}

static void item4_town_review_steps_on_a_project_become_proposals(void **state)
{
	struct attack_fixture *f = *state;
	/* a project the town knows, applied for */
	fixture_sql(f->v1, "INSERT INTO projects(id, owner, village_code, name, kind, year, funds_cents,"
		   " performance_target, stage, stage_on, created_at, updated_at) VALUES"
		   " ('a100000000000000000000000000000f', '" V1 "', '" V1 "', '道路硬化', 'infrastructure',"
		   " 2019, 100000, '修路一公里', 'applied', '2019-04-01', " T0 ", " T0 ")");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_int_equal(village_to_town(f, f->v1, &o, msg, sizeof msg), TZ_OK);
	/* the village records 镇初审 itself (the program lets it keep the town's
	 * word), and 领导组审定 by plain SQL */
	struct tz_error err;
	assert_int_equal(project_move(f->v1, "a100000000000000000000000000000f", "镇初审", NULL, NULL, &err),
			 TZ_OK);
	fixture_sql(f->v1, "UPDATE projects SET stage = 'approved' WHERE id = 'a100000000000000000000000000000f'");
	assert_int_equal(village_to_town(f, f->v1, &o, msg, sizeof msg), TZ_OK);
	assert_int_equal(o, SYNC_APPLIED);
	/* the town's project stays applied; three proposals wait (two moves, a record) */
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM projects WHERE stage = 'applied'"), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM project_stages"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals WHERE state = 'open'"
					 " AND village = '" V1 "'"),
			 3);
	/* the town accepts the record of its review: now it is the town's */
	long long id = fixture_int(f->town, "SELECT min(id) FROM sync_proposals WHERE table_name = 'project_stages'");
	assert_int_equal(sync_proposal_accept(f->town, id, "镇初审通过", &err), TZ_OK);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM project_stages WHERE stage = 'town_review'"), 1);

	/* policy numbers and reference data: the same (a village records them into
	 * its outbox by hand: its program never does) */
	sql_into_outbox(f->v1, "UPDATE policy SET value = 1 WHERE key = 'notice_days';"
			       "DELETE FROM code_list WHERE list = 'relation' AND code = 'other';"
			       "INSERT INTO code_list(list, code, label) VALUES ('relation', 'boss', '老板')");
	assert_int_equal(village_to_town(f, f->v1, &o, msg, sizeof msg), TZ_OK);
	assert_int_equal(fixture_int(f->town, "SELECT value FROM policy WHERE key = 'notice_days'"), 7);
	/* the deleted row is back, the inserted one gone */
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM code_list WHERE list = 'relation'"
					 " AND code = 'other'"),
			 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM code_list WHERE code = 'boss'"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals WHERE table_name = 'policy'"), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals WHERE table_name = 'code_list'"), 2);
}

/* ---- item 5 / rule A5: values no form would accept ---- */

static void item5_text_and_values_no_form_accepts_are_refused(void **state)
{
	struct attack_fixture *f = *state;
	static const struct {
		const char *set, *field;
	} bad[] = {
		{ "address = '一组' || char(27) || '[2J'", "住址" },    /* an escape sequence */
		{ "address = 'abc' || char(8238) || 'def'", "住址" },  /* a bidi override */
		{ "address = hex(zeroblob(1000))", "住址" },           /* 2000 characters */
		{ "status = 'rich'", "户状态" },                       /* no such code */
		{ "identified_on = '2019-02-30'", "识别日期" },        /* no such day */
		{ "income_cents = 200000000", "年人均纯收入" },        /* above the form's range */
		{ "phone = '12345'", "联系电话" },                     /* no phone number */
		{ "updated_at = x'1b5b324a'", "updated_at" },         /* bytes, not text */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char q[256];
		snprintf(q, sizeof q, "UPDATE households SET %s WHERE id = 'a1000000000000000000000000000002'",
			 bad[i].set);
		fixture_sql(f->v1, q);
		enum sync_outcome o;
		char msg[TZ_ERROR_NBYTES];
		assert_refused(village_to_town(f, f->v1, &o, msg, sizeof msg), &o, msg, bad[i].field);
		assert_non_null(strstr(msg, V1));
		assert_non_null(strstr(msg, "a1000000000000000000000000000002"));
		/* the refusal itself is safe to print */
		assert_null(strchr(msg, 27));
		/* nothing of it reached the town's row */
		assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '一组一号'"
						 " AND status = 'helped' AND identified_on IS NULL AND phone IS NULL"
						 " AND id = 'a1000000000000000000000000000002'"),
				 1);
		/* the refused bundle would be sent again and again: forget it here */
		fixture_sql(f->v1, "DELETE FROM sync_outbox");
		fixture_sql(f->v1, "DELETE FROM sync_sent WHERE bytes IS NOT NULL");
	}
	/* an ID number with a wrong check digit */
	fixture_sql(f->v2, "INSERT INTO members(id, owner, household_id, name, idcard, relation, sex,"
		   " birth_date, status, created_at, updated_at) VALUES"
		   " ('b2000000000000000000000000000009', '" V2 "', 'b2000000000000000000000000000002',"
		   " '王五', '110105194912310022', 'head', 'F', '1949-12-31', 'present', " T0 ", " T0 ")");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_refused(village_to_town(f, f->v2, &o, msg, sizeof msg), &o, msg, "身份证");
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM members"), 0);
}

static void rule_a5_the_text_rule_and_the_sanitizer(void **state)
{
	(void)state;
	size_t at;
	assert_int_equal(text_hygiene_check("张三", strlen("张三"), 0, 10, &at), TEXT_OK);
	assert_int_equal(text_hygiene_check("a\x1b[31m", 6, 0, 0, &at), TEXT_CONTROL);
	assert_int_equal(at, 1);
	assert_int_equal(text_hygiene_check("a\xc2\x9b" "1", 4, 0, 0, &at), TEXT_CONTROL); /* C1 CSI */
	assert_int_equal(text_hygiene_check("a\nb", 3, 0, 0, &at), TEXT_NEWLINE);
	assert_int_equal(text_hygiene_check("a\nb", 3, TEXT_ALLOW_NEWLINE, 0, &at), TEXT_OK);
	assert_int_equal(text_hygiene_check("a\tb", 3, TEXT_ALLOW_NEWLINE, 0, &at), TEXT_CONTROL);
	assert_int_equal(text_hygiene_check("\xe2\x80\xae", 3, 0, 0, &at), TEXT_INVISIBLE); /* RLO */
	assert_int_equal(text_hygiene_check("a\xe2\x80\x8b", 4, 0, 0, &at), TEXT_INVISIBLE); /* ZWSP */
	assert_int_equal(text_hygiene_check("\xef\xbb\xbf", 3, 0, 0, &at), TEXT_INVISIBLE); /* BOM */
	assert_int_equal(text_hygiene_check("\xff", 1, 0, 0, &at), TEXT_BAD_UTF8);
	assert_int_equal(text_hygiene_check("张三李四", strlen("张三李四"), 0, 3, &at), TEXT_TOO_LONG);
	assert_int_equal(at, 4);
	char *clean = text_sanitize("a\x1b[2Jb\xe2\x80\xae\n\xff", 0);
	assert_string_equal(clean, "a\xef\xbf\xbd[2Jb\xef\xbf\xbd \xef\xbf\xbd");
	free(clean);
	clean = text_sanitize("a\nb", TEXT_ALLOW_NEWLINE);
	assert_string_equal(clean, "a\nb");
	free(clean);
}

static void rule_a5_forms_refuse_the_same_text_and_listings_are_sanitized(void **state)
{
	struct attack_fixture *f = *state;
	struct tz_error err;
	static const char *const bad[] = { "一组\x1b]0;pwned\x07", "abc\xe2\x80\xae" "def", "a\xe2\x80\x8b" "b" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct record r;
		record_init(&r, model_table("households"));
		assert_int_equal(record_set(&r, "group_id", "a1000000000000000000000000000001", &err), TZ_OK);
		assert_int_equal(record_set(&r, "status", "helped", &err), TZ_OK);
		assert_int_equal(record_set(&r, "address", bad[i], &err), TZ_OK);
		assert_int_equal(store_tx_begin(f->v1, &err), TZ_OK);
		assert_int_equal(record_insert(f->v1, &r, &err), TZ_EFAIL);
		assert_non_null(strstr(err.msg, "住址"));
		store_tx_rollback(f->v1);
		record_free(&r);
	}
	/* a conflict row written before the rule: listed without its escape */
	fixture_sql(f->town, "INSERT INTO sync_conflicts(at, peer, village, seq, table_name, row_key, kind,"
		     " resolution, detail) VALUES ('x', 'p', '" V1 "', 1, 'households' || char(27) || '[2J',"
		     " 'k', 'data', 'ours', 'd' || char(8238))");
	struct sync_conflict *c;
	size_t n;
	assert_int_equal(sync_conflicts_list(f->town, 1, &c, &n, &err), TZ_OK);
	assert_int_equal(n, 1);
	assert_null(strchr(c[0].table_name, 27));
	assert_null(strstr(c[0].detail, "\xe2\x80\xae"));
	sync_conflicts_free(c, n);
}

/* Enroll village key k at the town as a store made before the one-device
 * rule could have (bypassing sync_enroll). */
static void enroll_anyway(struct store *town, const struct sync_public_key *k)
{
	char hex[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(k->device_id, hex);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(town),
					    "INSERT INTO sync_village_devices(device_id, division_code,"
					    " sign_pk, box_pk, enrolled_at, enrolled_by) VALUES (?1, ?2,"
					    " ?3, ?4, 'x', 'admin')",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, k->division_code, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, k->sign_pk, sizeof k->sign_pk, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, k->box_pk, sizeof k->box_pk, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* ---- item 6 / rule A6: two devices of one village; every conflict kind ---- */

static void item6_a_second_device_is_not_enrolled_and_never_crashes_the_town(void **state)
{
	struct attack_fixture *f = *state;
	struct store *again = create(f, "v1b.tzs", &v1_id);
	struct sync_public_key k, tk;
	struct tz_error err;
	enum sync_change change;
	assert_int_equal(sync_keys_public(again, &k, &err), TZ_OK);
	assert_int_equal(sync_enroll(f->town, &k, 0, &change, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "吊销旧设备"));
	/* a town store enrolled both before the rule */
	enroll_anyway(f->town, &k);
	char q[512];
	assert_int_equal(sync_keys_public(f->town, &tk, &err), TZ_OK);
	assert_int_equal(sync_trust_town(again, &tk, 0, &change, &err), TZ_OK);
	/* both laptops hold village 1 with their own groups of the same name */
	household_sql(again, V1, "c3");
	fixture_sql(f->v2, "UPDATE households SET address = '二号' WHERE id = 'b2000000000000000000000000000002'");
	/* one stick: the second laptop's bundle, village 2's, and a damaged file */
	const char *dir = sync_fixture_folder(f->dir, "mixed");
	struct sync_export_result r;
	assert_int_equal(sync_export(again, dir, &r, &err), TZ_OK);
	sync_export_result_free(&r);
	assert_int_equal(sync_export(f->v2, dir, &r, &err), TZ_OK);
	sync_export_result_free(&r);
	snprintf(q, sizeof q, "%s/0000-junk.tzb", dir);
	FILE *fp = fopen(q, "wb");
	fputs("not a bundle", fp);
	fclose(fp);
	struct sync_import_result res;
	snprintf(q, sizeof q, "%s/mixed", f->dir);
	int rc = sync_import(f->town, q, NULL, NULL, &res, &err);
	assert_int_equal(rc, TZ_EDAMAGED);
	assert_int_equal(res.nitems, 3);
	size_t refused = 0, applied = 0, dangling = 0;
	for (size_t i = 0; i < res.nitems; i++) {
		refused += res.items[i].outcome == SYNC_REFUSED;
		applied += res.items[i].outcome == SYNC_APPLIED;
		/* the FOREIGN_KEY conflict that crashed the town, named */
		dangling += strstr(res.items[i].message, "households 中有记录引用的 villager_groups") != NULL;
	}
	assert_int_equal(dangling, 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_refusals WHERE reason LIKE '%households 中有记录引用%'"),
			 1);
	sync_import_result_free(&res);
	assert_int_equal(refused, 2); /* the junk, and the second laptop's (its group clashes) */
	assert_int_equal(applied, 1); /* village 2's went in all the same */
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '二号'"), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE id LIKE 'c3%'"), 0);
	store_close(again);
}

/* The issue's reproduction: two `taizhang demo` laptops of one village, both
 * trusting the town and enrolled (as a town could before the rule), both
 * export to one stick, the town imports the folder. */
static void item6_two_demo_laptops_of_one_village_as_in_the_issue(void **state)
{
	struct attack_fixture *f = *state;
	static const struct store_identity v3_id = { STORE_KIND_VILLAGE, "341522104203", "王村" };
	struct store *laptop[2] = { create(f, "v3a.tzs", &v3_id), create(f, "v3b.tzs", &v3_id) };
	struct tz_error err;
	enum sync_change change;
	struct sync_public_key tk;
	assert_int_equal(sync_keys_public(f->town, &tk, &err), TZ_OK);
	const char *dir = sync_fixture_folder(f->dir, "two");
	for (int i = 0; i < 2; i++) {
		struct demo_options o = { .households = 4, .seed = (uint64_t)(11 + i) };
		if (demo_populate(laptop[i], &o, &err) != TZ_OK)
			fail_msg("demo: %s", err.msg);
		struct sync_public_key k;
		assert_int_equal(sync_keys_public(laptop[i], &k, &err), TZ_OK);
		assert_int_equal(sync_trust_town(laptop[i], &tk, 0, &change, &err), TZ_OK);
		enroll_anyway(f->town, &k);
		struct sync_export_result r;
		assert_int_equal(sync_export(laptop[i], dir, &r, &err), TZ_OK);
		sync_export_result_free(&r);
	}
	struct sync_import_result res;
	char path[128];
	snprintf(path, sizeof path, "%s/two", f->dir);
	int rc = sync_import(f->town, path, NULL, NULL, &res, &err);
	assert_int_equal(res.nitems, 2);
	size_t applied = 0;
	for (size_t i = 0; i < res.nitems; i++) {
		/* each is applied, or refused with a message: never a signal */
		assert_true(res.items[i].outcome == SYNC_APPLIED || res.items[i].outcome == SYNC_REFUSED);
		assert_true(res.items[i].message[0] != '\0');
		applied += res.items[i].outcome == SYNC_APPLIED;
	}
	sync_import_result_free(&res);
	assert_true(rc == TZ_OK || rc == TZ_EDAMAGED);
	assert_true(applied >= 1);
	assert_true(fixture_int(f->town, "SELECT count(*) FROM households WHERE village_code = '341522104203'") > 0);
	store_close(laptop[0]);
	store_close(laptop[1]);
}

static void rule_a6_an_unreadable_changeset_is_refused_not_applied(void **state)
{
	struct attack_fixture *f = *state;
	/* an outbox entry whose changeset is not one */
	fixture_sql(f->v1, "INSERT INTO sync_outbox(dest, changeset, created_at, by_user)"
		   " VALUES ('town', x'54ffffffff', 'x', 'admin')");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_refused(village_to_town(f, f->v1, &o, msg, sizeof msg), &o, msg, NULL);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_received WHERE seq > 1"), 0);
}

static void rule_a6_every_conflict_kind_is_recorded_not_a_crash(void **state)
{
	struct attack_fixture *f = *state;
	/* DATA: the village changes its household where the town's copy differs */
	sql_quietly(f->v1, "UPDATE households SET address = '悄悄改' WHERE id = 'a1000000000000000000000000000002'");
	fixture_sql(f->v1, "UPDATE households SET address = '二号' WHERE id = 'a1000000000000000000000000000002'");
	/* NOTFOUND: an update of a row the town never received */
	sql_quietly(f->v1, "INSERT INTO villager_groups(id, owner, village_code, name, created_at,"
			   " updated_at) VALUES ('a1000000000000000000000000000003', '" V1 "', '" V1 "',"
			   " '三组', " T0 ", " T0 ")");
	fixture_sql(f->v1, "UPDATE villager_groups SET name = '四组' WHERE id = 'a1000000000000000000000000000003'");
	/* CONSTRAINT: a new group named like one the town holds under another id */
	sql_quietly(f->v1, "UPDATE villager_groups SET name = '旧一组' WHERE id = 'a1000000000000000000000000000001'");
	fixture_sql(f->v1, "INSERT INTO villager_groups(id, owner, village_code, name, created_at, updated_at)"
		   " VALUES ('a1000000000000000000000000000004', '" V1 "', '" V1 "', '一组', " T0 ", " T0 ")");
	/* CONFLICT: its own row inserted again, with other values */
	static const char household5[] =
		"INSERT INTO households(id, owner, village_code, group_id, status, address, created_at,"
		" updated_at) VALUES ('a1000000000000000000000000000005', '" V1 "', '" V1 "',"
		" 'a1000000000000000000000000000001', 'helped', '%s', " T0 ", " T0 ")";
	char q[512];
	snprintf(q, sizeof q, household5, "五号");
	fixture_sql(f->v1, q);
	sql_quietly(f->v1, "DELETE FROM households WHERE id = 'a1000000000000000000000000000005'");
	snprintf(q, sizeof q, household5, "六号");
	fixture_sql(f->v1, q);
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_int_equal(village_to_town(f, f->v1, &o, msg, sizeof msg), TZ_OK);
	assert_int_equal(o, SYNC_APPLIED);
	static const char *const kinds[] = { "data", "notfound", "constraint", "conflict" };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		snprintf(q, sizeof q, "SELECT count(*) FROM sync_conflicts WHERE kind = '%s'", kinds[i]);
		if (fixture_int(f->town, q) != 1)
			fail_msg("no %s conflict recorded", kinds[i]);
	}
	/* the sender's version of its own row wins a DATA conflict */
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '二号'"), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '六号'"), 1);
	/* the update of a row the town lacks, and the clashing insert, are left out */
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM villager_groups WHERE name = '四组'"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM villager_groups"
					 " WHERE id = 'a1000000000000000000000000000004'"),
			 0);
}

/* Rule A7: a town bundle writes at a village only reference data and that
 * village's problems, judged like a village's at the town. */
static void rule_a7_a_town_bundle_writes_only_what_the_town_may(void **state)
{
	struct attack_fixture *f = *state;
	static const struct {
		const char *sql, *why;
	} bad[] = {
		{ "UPDATE households SET address = '镇里改的' WHERE id = 'a1000000000000000000000000000002'",
		  "只能下发问题和基础数据" },
		{ "INSERT INTO problems(id, owner, village_code, area, task, title, source,"
		  " responsible_unit, responsible_person, deadline, state, created_at, updated_at)"
		  " VALUES ('d4000000000000000000000000000001', '" TOWN "', '" V2 "', 1, 1, '别村的',"
		  " 'dispatch', 'fupin', '张三', '2019-05-30', 'open', " T0 ", " T0 ")",
		  "别的村" },
		{ "INSERT INTO problems(id, owner, village_code, area, task, title, source,"
		  " responsible_unit, responsible_person, deadline, state, created_at, updated_at)"
		  " VALUES ('d4000000000000000000000000000002', '" TOWN "', '" V1 "', 1, 1, '坏日期',"
		  " 'dispatch', 'fupin', '张三', '2019-02-30', 'open', " T0 ", " T0 ")",
		  "整改期限" },
		/* the town's review steps and answers: of this village, the town's own */
		{ "INSERT INTO reviews(id, owner, village_code, subject, subject_id, step, outcome,"
		  " by_user, on_date, created_at, updated_at) VALUES ('d4000000000000000000000000000003',"
		  " '" TOWN "', '" V2 "', 'project', 'x', 'approved', 'pass', '张三', '2019-05-01', " T0 ", " T0 ")",
		  "别的村" },
		{ "INSERT INTO town_answers(id, owner, village_code, kind, seq, subject, decision, by_user,"
		  " at, created_at, updated_at) VALUES ('d4000000000000000000000000000004', '" V1 "', '" V1 "',"
		  " 'proposal', 1, '申请', 'accepted', '张三', " T0 ", " T0 ", " T0 ")",
		  "所属单位不是发送方" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sql_into_outbox_for(f->town, V1, bad[i].sql);
		export_to(f, f->town, "down");
		enum sync_outcome o;
		char msg[TZ_ERROR_NBYTES];
		assert_refused(import_from(f, f->v1, "down", &o, msg, sizeof msg), &o, msg, bad[i].why);
		/* forget the refused bundle at the town, as the attack tests do */
		fixture_sql(f->town, "DELETE FROM sync_outbox");
		fixture_sql(f->town, "DELETE FROM sync_sent WHERE village = '" V1 "' AND seq = (SELECT max(seq)"
			     " FROM sync_sent WHERE village = '" V1 "')");
	}
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM households WHERE address = '镇里改的'"), 0);
	/* The two refused problems by their ids: the problem the setup dispatched
	 * has a random id, which begins with d4 one time in 256. */
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM problems WHERE id IN"
					    " ('d4000000000000000000000000000001',"
					    " 'd4000000000000000000000000000002')"),
			 0);
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM reviews")
			 + fixture_int(f->v1, "SELECT count(*) FROM town_answers"), 0);
}

static void a_village_holding_another_villages_town_bundle_gets_nothing(void **state)
{
	struct attack_fixture *f = *state;
	struct tz_error err;
	char id[IDS_NCHARS + 1];
	struct problem_spec spec = { .village_code = V1, .area = 1, .task = 1, .title = "第二单",
				     .responsible_unit = "镇扶贫办", .responsible_person = "张三",
				     .deadline = "2019-06-30" };
	assert_int_equal(problem_create(f->town, &spec, id, &err), TZ_OK);
	export_to(f, f->town, "stolen");
	/* village 2 imports the stick, naming village 1's bundle itself */
	char dir[128];
	snprintf(dir, sizeof dir, "%s/stolen", f->dir);
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t tried = 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, V1, strlen(V1)) != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct sync_import_result r;
		int rc = sync_import(f->v2, path, NULL, NULL, &r, &err);
		assert_int_equal(rc, TZ_EDAMAGED);
		assert_int_equal(r.items[0].outcome, SYNC_REFUSED);
		sync_import_result_free(&r);
		/* nor does the town take its own bundle back from a village */
		rc = sync_import(f->town, path, NULL, NULL, &r, &err);
		assert_int_not_equal(rc, TZ_OK);
		sync_import_result_free(&r);
		tried++;
	}
	closedir(d);
	assert_true(tried >= 1);
	char q[128];
	snprintf(q, sizeof q, "SELECT count(*) FROM problems WHERE id = '%s'", id);
	assert_int_equal(fixture_int(f->v2, q), 0);
}

int main(void)
{
	if (sync_fixture_init() != 0)
		return 1;
	setenv("TAIZHANG_TODAY", "2019-04-20", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_normal_round_trip_still_works, setup, teardown),
		cmocka_unit_test_setup_teardown(item1_an_insert_on_another_villages_key_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(rule_a1_an_update_of_another_villages_row_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(item2_upper_case_table_names_meet_the_same_rules, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rule_a2_an_unknown_table_refuses_the_bundle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(item3_a_child_on_another_villages_parent_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(item4_closing_a_dispatched_problem_becomes_a_proposal,
						setup, teardown),
		cmocka_unit_test_setup_teardown(item4_town_review_steps_on_a_project_become_proposals,
						setup, teardown),
		cmocka_unit_test_setup_teardown(item5_text_and_values_no_form_accepts_are_refused, setup,
						teardown),
		cmocka_unit_test(rule_a5_the_text_rule_and_the_sanitizer),
		cmocka_unit_test_setup_teardown(
			rule_a5_forms_refuse_the_same_text_and_listings_are_sanitized, setup, teardown),
		cmocka_unit_test_setup_teardown(
			item6_a_second_device_is_not_enrolled_and_never_crashes_the_town, setup, teardown),
		cmocka_unit_test_setup_teardown(item6_two_demo_laptops_of_one_village_as_in_the_issue,
						setup, teardown),
		cmocka_unit_test_setup_teardown(rule_a6_an_unreadable_changeset_is_refused_not_applied,
						setup, teardown),
		cmocka_unit_test_setup_teardown(rule_a6_every_conflict_kind_is_recorded_not_a_crash, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rule_a7_a_town_bundle_writes_only_what_the_town_may, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_village_holding_another_villages_town_bundle_gets_nothing,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
