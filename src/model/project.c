/*
 * project.c — moving a project through its approval stages (include/taizhang/project.h).
 * At the town a move is one of the town's review steps (model/review.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/date.h"
#include "taizhang/model.h"
#include "taizhang/project.h"
#include "taizhang/review.h"

static const char *const order[] = { "applied", "town_review", "dept_review", "approved" };
#define NSTAGES (sizeof order / sizeof order[0])

static int stage_index(const char *code)
{
	for (size_t i = 0; i < NSTAGES; i++)
		if (strcmp(order[i], code) == 0)
			return (int)i;
	return -1;
}

static int move_in_tx(struct store *s, const char *id, const char *to, const char *on,
		      const char *note, struct tz_error *err)
{
	sqlite3 *db = store_db(s);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "SELECT stage, coalesce(stage_on, ''), name FROM projects"
					" WHERE id = ?1 AND owner = ?2", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取项目", err);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, store_keyring(s)->division_code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? tz_error_set(err, TZ_EFAIL, "找不到这个项目，或它不属于本村")
					 : store_sqlite_error(s, rc, "读取项目", err);
	}
	char from[32], since[16], name[200];
	snprintf(from, sizeof from, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(since, sizeof since, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(name, sizeof name, "%s", (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);

	int a = stage_index(from), b = stage_index(to);
	int reject = strcmp(to, "rejected") == 0;
	if (!(b == a + 1 && a >= 0) && !(reject && a >= 0 && a < (int)NSTAGES - 1)) {
		if (a < 0 || a == (int)NSTAGES - 1)
			return tz_error_set(err, TZ_EFAIL, "项目“%s”已经审定或未通过，不能再变更审批环节", name);
		return tz_error_set(err, TZ_EFAIL,
				    "项目“%s”须按 村申请 → 镇初审 → 部门审核 → 领导组审定 的顺序逐级审批，不能跳过或倒退",
				    name);
	}
	int32_t day, prev;
	if (!date_parse(on, &day) || day > date_today())
		return tz_error_set(err, TZ_EFAIL, "审批日期“%s”无效或晚于今天", on);
	if (since[0] && date_parse(since, &prev) && day < prev)
		return tz_error_set(err, TZ_EFAIL, "审批日期不能早于上一环节的日期 %s", since);

	char now[32], row[IDS_NCHARS + 1];
	model_now(now);
	ids_new(row);
	const char *stage_params[] = { to, on, now, id };
	rc = store_exec_params(s, "UPDATE projects SET stage = ?1, stage_on = ?2, updated_at = ?3 WHERE id = ?4",
			       stage_params, 4, "变更项目审批环节", err);
	const char *row_params[] = { row, store_keyring(s)->division_code, id, to, on, store_user(s), note, now };
	if (rc == TZ_OK)
		rc = store_exec_params(s, "INSERT INTO project_stages(id, owner, project_id, stage, on_date,"
					  " by_user, note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
				       row_params, 8, "变更项目审批环节", err);
	if (rc != TZ_OK)
		return rc;
	char subject[80];
	snprintf(subject, sizeof subject, "projects:%s", id);
	return store_audit(s, "project.move", subject, to, err);
}

/* At the town: the move to stage to is the review step the project waits for
 * (passed), or rejected (sent back). */
static int town_step(struct store *s, const char *id, const char *to, const char *note,
		     struct tz_error *err)
{
	if (strcmp(to, "rejected") == 0)
		return review_return(s, REVIEW_PROJECT, id, note, err);
	char from[32] = "";
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT stage FROM projects WHERE id = ?1", &st, "读取项目", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(from, sizeof from, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	int a = stage_index(from), b = stage_index(to);
	if (a >= 0 && b != a + 1)
		return tz_error_set(err, TZ_EFAIL,
				    "项目须按 村申请 → 镇初审 → 部门审核 → 领导组审定 的顺序逐级审批，不能跳过或倒退");
	return review_pass(s, REVIEW_PROJECT, id, note, err);
}

int project_move(struct store *s, const char *id, const char *stage, const char *on_date,
		 const char *note, struct tz_error *err)
{
	static const struct field_def stage_field = { "stage", "审批环节", FIELD_ENUM, FIELD_REQUIRED,
						      0, 0, "project_stage", NULL };
	char *code = NULL;
	int rc = field_check(s, &stage_field, stage, &code, err);
	if (rc == TZ_OK && store_keyring(s)->kind == STORE_KIND_TOWN) {
		rc = town_step(s, id, code, note, err);
		free(code);
		return rc;
	}
	if (rc != TZ_OK)
		return rc;
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	int own_tx = !store_tx_active(s);
	if (own_tx && (rc = store_tx_begin(s, err)) != TZ_OK) {
		free(code);
		return rc;
	}
	rc = move_in_tx(s, id, code, on_date ? on_date : today, note, err);
	free(code);
	if (own_tx)
		rc = store_tx_end(s, rc, err);
	return rc;
}
