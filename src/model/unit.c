/*
 * unit.c — the accountable units (include/taizhang/campaign.h): listing them,
 * turning what an officer types into a unit's code, and one unit's sheet —
 * the tasks it leads or joins, and the problems, measures, projects and
 * deliverables that name it, with what is done and what is late.
 *
 * Units are reference data (db/003, db/009): read here, written only by the
 * migrations and, at the town, sent to every village by sync.
 *
 * Not here: the deliverables themselves (deliverable.c), printing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/campaign.h"
#include "taizhang/date.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

static char *col_dup(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? xstrdup(t) : NULL;
}

static void unit_free(struct unit *u)
{
	free(u->code);
	free(u->name);
	free(u->kind);
	memset(u, 0, sizeof *u);
}

void unit_list_free(struct unit *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		unit_free(&v[i]);
	free(v);
}

#define UNIT_SELECT                                                                        \
	"SELECT u.code, u.name, u.kind,"                                                   \
	" (SELECT count(*) FROM task_units tu WHERE tu.unit = u.code AND tu.role = 'lead')" \
	" FROM units u"

static void read_unit(sqlite3_stmt *st, struct unit *u)
{
	u->code = col_dup(st, 0);
	u->name = col_dup(st, 1);
	u->kind = col_dup(st, 2);
	u->leads = sqlite3_column_int(st, 3);
}

int unit_list(struct store *s, struct unit **out, size_t *n, struct tz_error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = store_prepare(s, UNIT_SELECT " ORDER BY u.kind <> 'town_unit', u.kind, u.code", &st,
			       "读取单位", err);
	if (rc != TZ_OK)
		return rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_unit(st, VEC_PUSH(*out, *n, cap));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		unit_list_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_sqlite_error(s, rc, "读取单位", err);
	}
	return TZ_OK;
}

int unit_code_normalize(struct store *s, const char *label, char **text, struct tz_error *err)
{
	if (*text == NULL || (*text)[0] == '\0')
		return TZ_OK;
	sqlite3_stmt *st;
	int rc = store_prepare(s,
			       "SELECT code FROM units WHERE code = ?1 OR name = ?1 OR name = '镇' || ?1"
			       " ORDER BY code = ?1 DESC LIMIT 1",
			       &st, "核对单位", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, *text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		char *code = col_dup(st, 0);
		sqlite3_finalize(st);
		free(*text);
		*text = code;
		return TZ_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "核对单位", err);
	return tz_error_set(err, TZ_EFAIL,
			    "%s“%s”不是本镇的单位：请写单位代码或名称，如 fupin 或 镇扶贫办"
			    "（taizhang unit list 列出全部单位）",
			    label, *text);
}

/* ---- a unit's sheet ---- */

static int load_unit(struct store *s, const char *code, struct unit *u, struct tz_error *err)
{
	char *c = xstrdup(code);
	int rc = unit_code_normalize(s, "单位", &c, err);
	sqlite3_stmt *st = NULL;
	if (rc == TZ_OK)
		rc = store_prepare(s, UNIT_SELECT " WHERE u.code = ?1", &st, "读取单位", err);
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, c, -1, SQLITE_STATIC);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW)
			read_unit(st, u);
		else
			rc = store_sqlite_error(s, step, "读取单位", err);
		sqlite3_finalize(st);
	}
	free(c);
	return rc;
}

static int load_tasks(struct store *s, struct unit_sheet *sh, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s,
			       "SELECT tu.task, t.name, tu.role = 'lead' FROM task_units tu"
			       " JOIN tasks t ON t.task = tu.task WHERE tu.unit = ?1 ORDER BY tu.task",
			       &st, "读取单位的任务", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, sh->unit.code, -1, SQLITE_STATIC);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct unit_task *t = VEC_PUSH(sh->tasks, sh->ntasks, cap);
		t->task = sqlite3_column_int(st, 0);
		t->name = col_dup(st, 1);
		t->lead = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, "读取单位的任务", err);
}

static int load_figures(struct store *s, struct unit_sheet *sh, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(
		s,
		"SELECT (SELECT count(*) FROM problems WHERE responsible_unit = ?1),"
		" (SELECT count(*) FROM problems WHERE responsible_unit = ?1 AND state = 'closed'),"
		" (SELECT count(*) FROM problems WHERE responsible_unit = ?1"
		"  AND state NOT IN ('rectified', 'closed') AND deadline < ?2),"
		" (SELECT count(*) FROM marginal_measures WHERE unit = ?1),"
		" (SELECT count(*) FROM projects WHERE unit = ?1),"
		" (SELECT COALESCE(sum(funds_cents), 0) FROM projects WHERE unit = ?1)",
		&st, "读取单位的台账", err);
	if (rc != TZ_OK)
		return rc;
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	sqlite3_bind_text(st, 1, sh->unit.code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sh->problems = sqlite3_column_int(st, 0);
		sh->problems_closed = sqlite3_column_int(st, 1);
		sh->problems_late = sqlite3_column_int(st, 2);
		sh->measures = sqlite3_column_int(st, 3);
		sh->projects = sqlite3_column_int(st, 4);
		sh->project_funds_cents = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? TZ_OK : store_sqlite_error(s, rc, "读取单位的台账", err);
}

int unit_sheet_load(struct store *s, const char *code, struct unit_sheet *out,
		    struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = load_unit(s, code, &out->unit, err);
	if (rc == TZ_OK)
		rc = load_tasks(s, out, err);
	if (rc == TZ_OK)
		rc = load_figures(s, out, err);
	if (rc == TZ_OK) {
		struct deliverable_filter f = { .unit = out->unit.code, .state = -1 };
		rc = deliverable_list(s, &f, &out->deliverables, &out->ndeliverables, err);
	}
	for (size_t i = 0; rc == TZ_OK && i < out->ndeliverables; i++) {
		enum deliverable_state st = out->deliverables[i].state;
		out->done += st == DELIVERABLE_DONE;
		out->open += st == DELIVERABLE_OPEN;
		out->late += st == DELIVERABLE_LATE;
	}
	if (rc != TZ_OK)
		unit_sheet_free(out);
	return rc;
}

void unit_sheet_free(struct unit_sheet *sh)
{
	unit_free(&sh->unit);
	for (size_t i = 0; i < sh->ntasks; i++)
		free(sh->tasks[i].name);
	free(sh->tasks);
	deliverable_list_free(sh->deliverables, sh->ndeliverables);
	memset(sh, 0, sizeof *sh);
}
