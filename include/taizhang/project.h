/*
 * project.h — the project library's staged approval (task 8):
 * 村申请 (applied) → 镇初审 (town_review) → 部门审核 (dept_review) →
 * 领导组审定 (approved); a review may instead reject it (rejected).
 *
 * A project is entered with record_insert on table "projects" (it starts as
 * applied); its stage moves only through project_move, which keeps every move in
 * project_stages with who moved it and when.
 */
#ifndef TAIZHANG_PROJECT_H
#define TAIZHANG_PROJECT_H

#include "taizhang/error.h"
#include "taizhang/store.h"

/* Move project id to stage (a code of code_list project_stage, or its label) on
 * on_date (YYYY-MM-DD; NULL: today), with an optional note. Only the next stage
 * in order, or rejected from a stage under review, is allowed. Opens its own
 * transaction unless one is open. At the town the move is the town's review
 * step (review.h: review_pass, or review_return for rejected, note then
 * required), dated today, on any village's project; at a village it writes the
 * store's own project only (a town step recorded there reaches the town as a
 * proposal: src/sync/README.md, A4). */
int project_move(struct store *s, const char *id, const char *stage, const char *on_date,
		 const char *note, struct tz_error *err);

#endif
