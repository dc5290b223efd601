/*
 * capture.c — change capture: every write transaction's changes go into the
 * outbox, in the same transaction, as one SQLite session changeset.
 *
 * Attached to a store through store_tx_hooks (main installs sync_capture_attach
 * as the store open hook, so every store the program opens for writing has it):
 * begin creates a session on "main", before_commit asks it for the changeset
 * and inserts that into sync_outbox (a table the session does not track, so the
 * insert is not captured itself), end deletes the session.
 *
 * What is captured:
 *  - at a village, every table with an owner column: those are the village's
 *    ledgers (db/002, db/004; the reference tables, the sync tables and the
 *    audit log have none). All of it goes to the town.
 *  - at the town, the problem ledger (problems, problem_events: 派单 and 销号),
 *    the town's review steps and answers (reviews, town_answers:
 *    db/010_review.sql) and the reference tables (policy, deadlines, tasks,
 *    ...). Each change is routed to the village it concerns — a problem's,
 *    review's or answer's village_code, an event's problem's — or to every
 *    village for reference data. A changeset cannot be
 *    split by row with the SQLite at hand (3.40 has no
 *    sqlite3changegroup_add_change), so one town transaction may concern one
 *    village, or reference data only; a transaction that mixes villages is
 *    refused with a message rather than sending one village another's rows.
 *    Other tables written at the town (its own notes, demo data) stay local.
 *
 * The session extension records only tables with a PRIMARY KEY; every synced
 * table has one (db/). DDL is never captured: schema changes travel as
 * program versions, and bundles carry the schema version (apply refuses a
 * mismatch).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/date.h"
#include "sync_internal.h"
#include "taizhang/keyring.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

struct capture {
	struct store *s;
	int at_town;
	int paused;
	char code[SYNC_CODE_NCHARS + 1];
	sqlite3_session *session;
	char **tables; /* captured tables, sorted */
	size_t ntables, tables_cap;
};

static const char *const reference_tables[] = {
	"code_list", "deadlines", "deliverable_kinds", "policy", "problem_areas", "task_units",
	"tasks", "units",
};

int sync_table_is_reference(const char *table)
{
	for (size_t i = 0; i < sizeof reference_tables / sizeof reference_tables[0]; i++)
		if (strcmp(table, reference_tables[i]) == 0)
			return 1;
	return 0;
}

void sync_now(char out[SYNC_STAMP_NCHARS + 1])
{
	date_now_stamp(out);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int captured(const struct capture *c, const char *table)
{
	return bsearch(&table, c->tables, c->ntables, sizeof *c->tables, cmp_str) != NULL;
}

static int table_filter(void *ctx, const char *table)
{
	return captured(ctx, table);
}

static void capture_free(void *ctx)
{
	struct capture *c = ctx;
	if (c == NULL)
		return;
	if (c->session != NULL)
		sqlite3session_delete(c->session);
	for (size_t i = 0; i < c->ntables; i++)
		free(c->tables[i]);
	free(c->tables);
	free(c);
}

static int on_begin(void *ctx, sqlite3 *db, struct tz_error *err)
{
	struct capture *c = ctx;
	if (c->paused)
		return TZ_OK;
	int rc = sqlite3session_create(db, "main", &c->session);
	if (rc == SQLITE_OK)
		rc = sqlite3session_attach(c->session, NULL);
	if (rc != SQLITE_OK) {
		if (c->session != NULL)
			sqlite3session_delete(c->session);
		c->session = NULL;
		return tz_error_set(err, TZ_EFAIL, "无法记录修改（同步）：%s", sqlite3_errstr(rc));
	}
	sqlite3session_table_filter(c->session, table_filter, c);
	return TZ_OK;
}

static int text_column(sqlite3_changeset_iter *it, int op, int col, const char **out)
{
	sqlite3_value *v = NULL;
	*out = NULL;
	if (op != SQLITE_DELETE && sqlite3changeset_new(it, col, &v) == SQLITE_OK && v != NULL) {
		*out = (const char *)sqlite3_value_text(v);
		return SQLITE_OK;
	}
	if (op != SQLITE_INSERT && sqlite3changeset_old(it, col, &v) == SQLITE_OK && v != NULL)
		*out = (const char *)sqlite3_value_text(v);
	return SQLITE_OK;
}

/* The village a town change concerns, into out ("" when it cannot be told). */
static int lookup_text(sqlite3 *db, const char *sql, const char *key, char *out, size_t cap)
{
	sqlite3_stmt *st;
	out[0] = '\0';
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		snprintf(out, cap, "%s", t ? t : "");
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Column index of name in table, or -1. */
static int column_index(sqlite3 *db, const char *table, const char *name)
{
	sqlite3_stmt *st;
	int idx = -1;
	if (sqlite3_prepare_v2(db, "SELECT cid FROM pragma_table_info(?1) WHERE name = ?2", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		idx = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return idx;
}

static int route_change(sqlite3 *db, sqlite3_changeset_iter *it, char dest[SYNC_CODE_NCHARS + 2])
{
	const char *table;
	int ncol, op, indirect;
	sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
	if (sync_table_is_reference(table)) {
		strcpy(dest, "*");
		return SQLITE_OK;
	}
	const char *key = NULL, *village = NULL;
	char found[64];
	if (strcmp(table, "reviews") == 0 || strcmp(table, "town_answers") == 0) {
		/* written once, never updated: the row names its village */
		text_column(it, op, column_index(db, table, "village_code"), &village);
	} else if (strcmp(table, "problems") == 0) {
		int vc = column_index(db, "problems", "village_code");
		text_column(it, op, vc, &village);
		if (village == NULL) {
			text_column(it, op, column_index(db, "problems", "id"), &key);
			int rc = lookup_text(db, "SELECT village_code FROM problems WHERE id = ?1",
					     key ? key : "", found, sizeof found);
			if (rc != SQLITE_OK)
				return rc;
			village = found;
		}
	} else { /* problem_events */
		const char *problem = NULL;
		text_column(it, op, column_index(db, "problem_events", "problem_id"), &problem);
		if (problem == NULL) {
			text_column(it, op, column_index(db, "problem_events", "id"), &key);
			char pid[64];
			int rc = lookup_text(db, "SELECT problem_id FROM problem_events WHERE id = ?1",
					     key ? key : "", pid, sizeof pid);
			if (rc != SQLITE_OK)
				return rc;
			rc = lookup_text(db, "SELECT village_code FROM problems WHERE id = ?1", pid,
					 found, sizeof found);
			if (rc != SQLITE_OK)
				return rc;
		} else {
			int rc = lookup_text(db, "SELECT village_code FROM problems WHERE id = ?1",
					     problem, found, sizeof found);
			if (rc != SQLITE_OK)
				return rc;
		}
		village = found;
	}
	if (village == NULL || strlen(village) != SYNC_CODE_NCHARS)
		village = "";
	memcpy(dest, village, strlen(village) + 1);
	return SQLITE_OK;
}

/* At the town: the one destination of changeset, into dest. */
static int town_destination(struct capture *c, sqlite3 *db, void *cs, int n,
			    char dest[SYNC_CODE_NCHARS + 2], struct tz_error *err)
{
	sqlite3_changeset_iter *it;
	dest[0] = '\0';
	int rc = sqlite3changeset_start(&it, n, cs);
	if (rc != SQLITE_OK)
		return tz_error_set(err, TZ_EFAIL, "无法记录修改（同步）：%s", sqlite3_errstr(rc));
	int status = TZ_OK;
	while (status == TZ_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
		char one[SYNC_CODE_NCHARS + 2];
		rc = route_change(db, it, one);
		if (rc != SQLITE_OK) {
			status = tz_error_set(err, TZ_EFAIL, "无法记录修改（同步）：%s",
					      sqlite3_errstr(rc));
		} else if ((strlen(one) != SYNC_CODE_NCHARS && strcmp(one, "*") != 0) ||
			   strcmp(one, c->code) == 0) {
			/* a problem "of the town itself" would reach no village */
			status = tz_error_set(err, TZ_EFAIL,
					      "镇扶贫办登记的问题要派给一个村：请用派单（界面上的“派单”，或 taizhang problem add --village 村代码）");
		} else if (dest[0] == '\0') {
			strcpy(dest, one);
		} else if (strcmp(dest, one) != 0) {
			status = tz_error_set(err, TZ_EFAIL,
					      "一次保存只能涉及一个村的问题（或只改基础数据），"
					      "请分开保存");
		}
	}
	sqlite3changeset_finalize(it);
	return status;
}

static int on_before_commit(void *ctx, sqlite3 *db, struct tz_error *err)
{
	struct capture *c = ctx;
	if (c->session == NULL)
		return TZ_OK;
	int n = 0;
	void *cs = NULL;
	int rc = sqlite3session_changeset(c->session, &n, &cs);
	if (rc != SQLITE_OK)
		return tz_error_set(err, TZ_EFAIL, "无法记录修改（同步）：%s", sqlite3_errstr(rc));
	int status = TZ_OK;
	char dest[SYNC_CODE_NCHARS + 2] = "town";
	if (n > 0 && c->at_town)
		status = town_destination(c, db, cs, n, dest, err);
	if (n > 0 && status == TZ_OK) {
		char now[SYNC_STAMP_NCHARS + 1];
		sync_now(now);
		sqlite3_stmt *st;
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO sync_outbox(dest, changeset, created_at, by_user)"
					" VALUES (?1, ?2, ?3, ?4)",
					-1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
			sqlite3_bind_blob(st, 2, cs, n, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, store_user(c->s), -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			sqlite3_finalize(st);
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK)
			status = store_sqlite_error(c->s, rc, "记录修改（同步）", err);
	}
	sqlite3_free(cs);
	return status;
}

static void on_end(void *ctx, sqlite3 *db, int committed)
{
	struct capture *c = ctx;
	(void)db;
	(void)committed;
	if (c->session != NULL)
		sqlite3session_delete(c->session);
	c->session = NULL;
}

static void add_table(struct capture *c, const char *name)
{
	*VEC_PUSH(c->tables, c->ntables, c->tables_cap) = xstrdup(name);
}

static int list_tables(struct capture *c, struct tz_error *err)
{
	if (c->at_town) {
		for (size_t i = 0; i < sizeof reference_tables / sizeof reference_tables[0]; i++)
			add_table(c, reference_tables[i]);
		add_table(c, "problems");
		add_table(c, "problem_events");
		add_table(c, "reviews");
		add_table(c, "town_answers");
	} else {
		sqlite3_stmt *st;
		int rc = store_prepare(c->s,
				       "SELECT m.name FROM sqlite_schema m"
				       " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'"
				       " AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c"
				       "             WHERE c.name = 'owner')"
				       " AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c"
				       "             WHERE c.pk > 0)",
				       &st, "准备同步", err);
		if (rc != TZ_OK)
			return rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			add_table(c, (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return store_sqlite_error(c->s, rc, "准备同步", err);
	}
	qsort(c->tables, c->ntables, sizeof *c->tables, cmp_str);
	return TZ_OK;
}

int sync_capture_attach(struct store *s, struct tz_error *err)
{
	struct capture *c = xcalloc(1, sizeof *c);
	const struct keyring *kr = store_keyring(s);
	c->s = s;
	c->at_town = kr->kind == STORE_KIND_TOWN;
	snprintf(c->code, sizeof c->code, "%s", kr->division_code);
	int rc = list_tables(c, err);
	if (rc != TZ_OK) {
		capture_free(c);
		return rc;
	}
	static const struct store_tx_hooks hooks = {
		.begin = on_begin,
		.before_commit = on_before_commit,
		.end = on_end,
		.detach = capture_free,
	};
	store_set_tx_hooks(s, &hooks, c);
	return TZ_OK;
}

void sync_capture_pause(struct store *s, int paused)
{
	struct capture *c = store_tx_hooks_ctx(s);
	if (c != NULL)
		c->paused = paused;
}
