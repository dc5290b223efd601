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
#include "taizhang/xalloc.h"

static void unit_free(struct unit *u)
{
	free(u->code);
	free(u->name);
	free(u->kind);
	memset(u, 0, sizeof *u);
}

static void unit_drop(void *item)
{
	unit_free(item);
}

#define UNIT_SELECT                                                                        \
	"SELECT u.code, u.name, u.kind,"                                                   \
	" (SELECT count(*) FROM task_units tu WHERE tu.unit = u.code AND tu.role = 'lead')" \
	" FROM units u"

static void read_unit(sqlite3_stmt *st, void *item)
{
	struct unit *u = item;
	u->code = store_column_dup(st, 0);
	u->name = store_column_dup(st, 1);
	u->kind = store_column_dup(st, 2);
	u->leads = sqlite3_column_int(st, 3);
}

STORE_ROWS_DEFINE(unit_rows, unit_list_free, struct unit, read_unit, unit_drop, "读取单位", NULL,
		  0)

int unit_list(struct store *s, struct unit **out, size_t *n, struct tz_error *err)
{
	return store_rows_query(s, UNIT_SELECT " ORDER BY u.kind <> 'town_unit', u.kind, u.code",
				NULL, 0, &unit_rows, out, n, err);
}

int unit_code_normalize(struct store *s, const char *label, char **text, struct tz_error *err)
{
	if (*text == NULL || (*text)[0] == '\0')
		return TZ_OK;
	const char *params[] = { *text };
	sqlite3_stmt *row;
	int rc = store_query_one(s,
				 "SELECT code FROM units WHERE code = ?1 OR name = ?1 OR name = '镇' || ?1"
				 " ORDER BY code = ?1 DESC LIMIT 1",
				 params, 1, &row, "核对单位", err);
	if (rc != TZ_OK)
		return rc;
	if (row != NULL) {
		char *code = store_column_dup(row, 0);
		sqlite3_finalize(row);
		free(*text);
		*text = code;
		return TZ_OK;
	}
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
	if (rc == TZ_OK) {
		const char *params[] = { c };
		sqlite3_stmt *row;
		rc = store_query_one(s, UNIT_SELECT " WHERE u.code = ?1", params, 1, &row, "读取单位",
				     err);
		if (row != NULL) {
			read_unit(row, u);
			sqlite3_finalize(row);
		}
	}
	free(c);
	return rc;
}

static void read_task(sqlite3_stmt *st, void *item)
{
	struct unit_task *t = item;
	t->task = sqlite3_column_int(st, 0);
	t->name = store_column_dup(st, 1);
	t->lead = sqlite3_column_int(st, 2);
}

static const size_t task_texts[] = { offsetof(struct unit_task, name) };

static const struct store_rows task_rows = { sizeof(struct unit_task), read_task, NULL,
					     "读取单位的任务", STORE_TEXTS(task_texts) };

static int load_tasks(struct store *s, struct unit_sheet *sh, struct tz_error *err)
{
	const char *params[] = { sh->unit.code };
	return store_rows_query(s,
				"SELECT tu.task, t.name, tu.role = 'lead' FROM task_units tu"
				" JOIN tasks t ON t.task = tu.task WHERE tu.unit = ?1 ORDER BY tu.task",
				params, 1, &task_rows, &sh->tasks, &sh->ntasks, err);
}

static int load_figures(struct store *s, struct unit_sheet *sh, struct tz_error *err)
{
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	const char *params[] = { sh->unit.code, today };
	long long v[6];
	int rc = store_query_ints(
		s,
		"SELECT (SELECT count(*) FROM problems WHERE responsible_unit = ?1),"
		" (SELECT count(*) FROM problems WHERE responsible_unit = ?1 AND state = 'closed'),"
		" (SELECT count(*) FROM problems WHERE responsible_unit = ?1"
		"  AND state NOT IN ('rectified', 'closed') AND deadline < ?2),"
		" (SELECT count(*) FROM marginal_measures WHERE unit = ?1),"
		" (SELECT count(*) FROM projects WHERE unit = ?1),"
		" (SELECT COALESCE(sum(funds_cents), 0) FROM projects WHERE unit = ?1)",
		params, 2, v, 6, "读取单位的台账", err);
	sh->problems = (int)v[0];
	sh->problems_closed = (int)v[1];
	sh->problems_late = (int)v[2];
	sh->measures = (int)v[3];
	sh->projects = (int)v[4];
	sh->project_funds_cents = v[5];
	return rc;
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
		/* 各村(居) owes the villages' deliverables, as the report counts them */
		int villages = out->unit.kind != NULL && strcmp(out->unit.kind, "village") == 0;
		struct deliverable_filter f = { .unit = villages ? NULL : out->unit.code,
						.of_villages = villages, .state = -1 };
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
	store_rows_free(&task_rows, sh->tasks, sh->ntasks);
	deliverable_list_free(sh->deliverables, sh->ndeliverables);
	memset(sh, 0, sizeof *sh);
}
