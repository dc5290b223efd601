/*
 * review.c — the town's review of dispatched problems and projects
 * (include/taizhang/review.h).
 *
 * Which step a thing waits for is read from what is stored, never kept apart:
 *  - a project: its stage (applied waits for 镇初审, town_review for 部门审核,
 *    dept_review for 领导组审定; approved and rejected wait for nothing);
 *  - a dispatched problem in state rectified: the step after its latest
 *    reviews row when that row passed a step short of 领导组审定, else 镇初审
 *    (its first review, or a new one after it was sent back or reopened).
 * A step is one transaction: the reviews row, the audit row and, for a
 * problem, the move problem_move makes (closed after 领导组审定, reopened when
 * sent back). A project's stage and its project_stages row are written by the
 * trigger reviews_move_project (db/010_review.sql), which does the same at the
 * village when the town's bundle brings the step there.
 *
 * Deliberately not here: who may send what where (src/sync/), printing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/date.h"
#include "taizhang/keyring.h"
#include "taizhang/model.h"
#include "taizhang/names.h"
#include "taizhang/problem.h"
#include "taizhang/review.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"

/* The steps, in order. */
static const struct name_text steps[] = {
	{ "town_review", "镇初审" },
	{ "dept_review", "部门审核" },
	{ "approved", "领导组审定" },
};
#define NSTEPS NAMES_COUNT(steps)

const char *review_step_label(const char *step)
{
	return names_text(steps, NSTEPS, step);
}

/* The step after step (NULL: the first); NULL after the last. */
static const char *step_after(const char *step)
{
	if (step == NULL)
		return steps[0].name;
	for (size_t i = 0; i + 1 < NSTEPS; i++)
		if (strcmp(steps[i].name, step) == 0)
			return steps[i + 1].name;
	return NULL;
}

static const char *subject_code(enum review_subject subject)
{
	return subject == REVIEW_PROBLEM ? "problem" : "project";
}

static int at_town(struct store *s, struct tz_error *err)
{
	if (store_keyring(s)->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EUSAGE,
				    "镇初审、部门审核、领导组审定和销号由镇扶贫办办理，村的台账上不能审核");
	return TZ_OK;
}

/* The step a problem waits for, from its latest review (step, outcome; NULL
 * when none). */
static const char *problem_next_step(const char *last_step, const char *last_outcome)
{
	if (last_step == NULL || last_outcome == NULL || strcmp(last_outcome, "pass") != 0)
		return steps[0].name;
	const char *next = step_after(last_step);
	return next ? next : steps[0].name; /* reopened after 销号 and rectified again */
}

/* The step a project at stage waits for, or NULL. */
static const char *project_next_step(const char *stage)
{
	if (stage != NULL && strcmp(stage, "applied") == 0)
		return steps[0].name;
	for (size_t i = 0; stage != NULL && i + 1 < NSTEPS; i++)
		if (strcmp(steps[i].name, stage) == 0)
			return steps[i + 1].name;
	return NULL;
}

/* ---- the list of what waits ---- */

static void read_item(sqlite3_stmt *st, void *item)
{
	struct review_item *it = item;
	it->subject = sqlite3_column_int(st, 0) ? REVIEW_PROJECT : REVIEW_PROBLEM;
	snprintf(it->id, sizeof it->id, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(it->village_code, sizeof it->village_code, "%s",
		 (const char *)sqlite3_column_text(st, 2));
	it->village_name = store_column_dup(st, 3);
	it->title = store_column_dup(st, 4);
	const char *a = (const char *)sqlite3_column_text(st, 5);
	const char *b = (const char *)sqlite3_column_text(st, 6);
	const char *next = it->subject == REVIEW_PROBLEM ? problem_next_step(a, b)
							 : project_next_step(a);
	snprintf(it->step, sizeof it->step, "%s", next ? next : "");
	it->step_label = review_step_label(it->step);
	it->since = store_column_dup(st, 7);
	it->detail = store_column_dup(st, 8);
}

static const size_t item_texts[] = {
	offsetof(struct review_item, village_name),
	offsetof(struct review_item, title),
	offsetof(struct review_item, since),
	offsetof(struct review_item, detail),
};

STORE_ROWS_DEFINE(item_rows, review_items_free, struct review_item, read_item, NULL,
		  "读取待审核事项", STORE_TEXTS(item_texts))

int review_pending(struct store *s, struct review_item **out, size_t *n, struct tz_error *err)
{
	*out = NULL;
	*n = 0;
	int rc = at_town(s, err);
	if (rc != TZ_OK)
		return rc;
	const char *params[] = { store_keyring(s)->division_code };
	return store_rows_query(
		s,
		"SELECT 0, p.id, p.village_code, coalesce(v.name, p.village_code), p.title,"
		"  r.step, r.outcome, substr(max(p.updated_at, coalesce(r.created_at, '')), 1, 10),"
		"  coalesce(p.evidence, '')"
		" FROM problems p LEFT JOIN villages v ON v.code = p.village_code"
		" LEFT JOIN reviews r ON r.rowid = (SELECT rowid FROM reviews"
		"   WHERE subject = 'problem' AND subject_id = p.id"
		"   ORDER BY created_at DESC, rowid DESC LIMIT 1)"
		" WHERE p.owner = ?1 AND p.state = 'rectified'"
		" UNION ALL "
		"SELECT 1, x.id, x.village_code, coalesce(v.name, x.village_code), x.name,"
		"  x.stage, NULL, coalesce(x.stage_on, substr(x.created_at, 1, 10)),"
		"  '资金 ' || tz_yuan(x.funds_cents) || ' 元；绩效目标：' || x.performance_target"
		" FROM projects x LEFT JOIN villages v ON v.code = x.village_code"
		" WHERE x.stage IN ('applied', 'town_review', 'dept_review')"
		" ORDER BY 8, 5, 2",
		params, 1, &item_rows, out, n, err);
}

int review_resolve(struct store *s, const char *text, enum review_subject *subject,
		   char id_out[IDS_NCHARS + 1], struct tz_error *err)
{
	if (!ids_prefix_valid(text))
		return tz_error_set(err, TZ_EFAIL,
				    "编号“%s”不对：应为问题或项目的 32 位编号或其前 %d 位以上（小写十六进制）",
				    text ? text : "", IDS_PREFIX_MIN_NCHARS);
	int kind;
	int rc = model_find_by_prefix(
		s,
		"SELECT 0, id FROM problems WHERE id >= ?1 AND id < ?1 || 'g'"
		" UNION ALL SELECT 1, id FROM projects WHERE id >= ?1 AND id < ?1 || 'g'"
		" LIMIT 2",
		text, "问题或项目", &kind, id_out, err);
	if (rc == TZ_OK)
		*subject = kind ? REVIEW_PROJECT : REVIEW_PROBLEM;
	return rc;
}

/* ---- recording a step ---- */

/* What a step is about: the thing, its village, and the step it waits for. */
struct target {
	char village[13];
	char title[PROBLEM_TITLE_MAX_NCHARS * 4 + 1];
	char step[REVIEW_STEP_NBYTES]; /* "" when it waits for none */
	int has_evidence;
};

/* Load the target id from the row sql reads (its ?1 the id; ?2 this town's
 * code, for a query that asks; its first columns the village code and the
 * title), the rest as judge says; or the message that there is no noun
 * ("问题") with that id. */
static int load_target(struct store *s, const char *sql, const char *id, const char *noun,
		       int (*judge)(sqlite3_stmt *row, struct target *t, struct tz_error *err),
		       struct target *t, struct tz_error *err)
{
	const char *params[] = { id, store_keyring(s)->division_code };
	char what[32];
	snprintf(what, sizeof what, "读取%s", noun);
	sqlite3_stmt *row;
	int rc = store_query_one(s, sql, params, 2, &row, what, err);
	if (rc != TZ_OK)
		return rc;
	if (row == NULL)
		return tz_error_set(err, TZ_EFAIL, "没有编号为“%s”的%s", id, noun);
	snprintf(t->village, sizeof t->village, "%s", (const char *)sqlite3_column_text(row, 0));
	snprintf(t->title, sizeof t->title, "%s", (const char *)sqlite3_column_text(row, 1));
	rc = judge(row, t, err);
	sqlite3_finalize(row);
	return rc;
}

/* A problem as the town reviews it: dispatched by this town, rectified. */
static int judge_problem(sqlite3_stmt *st, struct target *t, struct tz_error *err)
{
	int rectified = strcmp((const char *)sqlite3_column_text(st, 2), "rectified") == 0;
	int dispatched = sqlite3_column_int(st, 3);
	t->has_evidence = sqlite3_column_int(st, 4);
	snprintf(t->step, sizeof t->step, "%s",
		 problem_next_step((const char *)sqlite3_column_text(st, 5),
				   (const char *)sqlite3_column_text(st, 6)));
	if (!dispatched)
		return tz_error_set(err, TZ_EFAIL,
				    "问题“%s”是村里自查登记的，由村里自己销号；镇里审核的是镇里派的单", t->title);
	if (!rectified)
		return tz_error_set(err, TZ_EFAIL,
				    "问题“%s”现在是“%s”，不在待审核：村里上报“已整改”并附佐证材料后才能审核",
				    t->title, (const char *)sqlite3_column_text(st, 7));
	return TZ_OK;
}

/* A project waiting for a step. */
static int judge_project(sqlite3_stmt *st, struct target *t, struct tz_error *err)
{
	const char *next = project_next_step((const char *)sqlite3_column_text(st, 2));
	t->has_evidence = 1;
	if (next == NULL)
		return tz_error_set(err, TZ_EFAIL, "项目“%s”已经是“%s”，审批已经结束", t->title,
				    (const char *)sqlite3_column_text(st, 3));
	snprintf(t->step, sizeof t->step, "%s", next);
	return TZ_OK;
}

static int load_problem(struct store *s, const char *id, struct target *t, struct tz_error *err)
{
	return load_target(
		s,
		"SELECT p.village_code, p.title, p.state, p.owner = ?2, coalesce(p.evidence, '') <> '',"
		"  (SELECT step FROM reviews WHERE subject = 'problem' AND subject_id = p.id"
		"   ORDER BY created_at DESC, rowid DESC LIMIT 1),"
		"  (SELECT outcome FROM reviews WHERE subject = 'problem' AND subject_id = p.id"
		"   ORDER BY created_at DESC, rowid DESC LIMIT 1),"
		"  coalesce(sl.label, p.state)"
		" FROM problems p LEFT JOIN code_list sl ON sl.list = 'problem_state' AND sl.code = p.state"
		" WHERE p.id = ?1",
		id, "问题", judge_problem, t, err);
}

static int load_project(struct store *s, const char *id, struct target *t, struct tz_error *err)
{
	return load_target(s,
			   "SELECT x.village_code, x.name, x.stage, coalesce(l.label, x.stage)"
			   " FROM projects x LEFT JOIN code_list l ON l.list = 'project_stage'"
			   " AND l.code = x.stage WHERE x.id = ?1",
			   id, "项目", judge_project, t, err);
}

/* The opinion, checked by the one text rule; "" when none (required: a
 * reason is needed). */
static int check_opinion(const char *text, int required, struct tz_error *err)
{
	if (text == NULL || text[0] == '\0')
		return required ? tz_error_set(err, TZ_EFAIL, "退回要写明理由（哪里不合格、要怎么整改）")
				: TZ_OK;
	size_t at;
	enum text_fault f = text_hygiene_check(text, strlen(text), TEXT_ALLOW_NEWLINE,
					       REVIEW_OPINION_MAX_NCHARS, &at);
	if (f == TEXT_TOO_LONG)
		return tz_error_set(err, TZ_EFAIL, "审核意见太长（%zu 个字），最多 %d 个字，请精简", at,
				    REVIEW_OPINION_MAX_NCHARS);
	if (f != TEXT_OK)
		return tz_error_set(err, TZ_EFAIL, "审核意见%s，请重写", text_fault_label(f));
	return TZ_OK;
}

/* Record the step t waits for with outcome, inside an open transaction. */
static int record_step(struct store *s, enum review_subject subject, const char *id,
		       const struct target *t, const char *outcome, const char *opinion,
		       struct tz_error *err)
{
	char row[IDS_NCHARS + 1], now[32], today[DATE_NCHARS + 1];
	ids_new(row);
	model_now(now);
	date_today_text(today);
	const char *params[] = { row,     store_keyring(s)->division_code,
				 t->village, subject_code(subject),
				 id,      t->step,
				 outcome, opinion && opinion[0] ? opinion : NULL,
				 store_user(s), today,
				 now };
	int rc = store_exec_params(s,
				   "INSERT INTO reviews(id, owner, village_code, subject, subject_id, step,"
				   " outcome, opinion, by_user, on_date, created_at, updated_at)"
				   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
				   params, 11, "记录审核", err);
	if (rc != TZ_OK)
		return rc;
	char subj[80], detail[REVIEW_OPINION_MAX_NCHARS * 4 + 64];
	snprintf(subj, sizeof subj, "%s:%s", subject_code(subject), id);
	snprintf(detail, sizeof detail, "%s%s%s%s", review_step_label(t->step),
		 strcmp(outcome, "pass") == 0 ? "通过" : "退回", opinion && opinion[0] ? "：" : "",
		 opinion ? opinion : "");
	return store_audit(s, strcmp(outcome, "pass") == 0 ? "review.pass" : "review.return", subj,
			   detail, err);
}

static int decide(struct store *s, enum review_subject subject, const char *id, int pass,
		  const char *opinion, struct tz_error *err)
{
	int rc = at_town(s, err);
	if (rc == TZ_OK)
		rc = check_opinion(opinion, !pass, err);
	if (rc != TZ_OK)
		return rc;
	int own_tx = !store_tx_active(s);
	if (own_tx && (rc = store_tx_begin(s, err)) != TZ_OK)
		return rc;
	struct target t;
	rc = subject == REVIEW_PROBLEM ? load_problem(s, id, &t, err) : load_project(s, id, &t, err);
	if (rc == TZ_OK && pass && !t.has_evidence)
		rc = tz_error_set(err, TZ_EFAIL,
				  "问题“%s”没有整改佐证材料，不能通过审核：请退回，让村里补上佐证材料",
				  t.title);
	if (rc == TZ_OK)
		rc = record_step(s, subject, id, &t, pass ? "pass" : "return", opinion, err);
	if (rc == TZ_OK && subject == REVIEW_PROBLEM && (!pass || strcmp(t.step, "approved") == 0)) {
		char note[REVIEW_OPINION_MAX_NCHARS * 4 + 64];
		snprintf(note, sizeof note, "%s%s%s%s", review_step_label(t.step),
			 pass ? "通过，销号" : "退回，重新整改", opinion && opinion[0] ? "：" : "",
			 opinion ? opinion : "");
		rc = problem_move(s, id, pass ? "closed" : "reopened", note, NULL, NULL, err);
	}
	if (own_tx)
		rc = store_tx_end(s, rc, err);
	return rc;
}

int review_pass(struct store *s, enum review_subject subject, const char *id, const char *opinion,
		struct tz_error *err)
{
	return decide(s, subject, id, 1, opinion, err);
}

int review_return(struct store *s, enum review_subject subject, const char *id, const char *reason,
		  struct tz_error *err)
{
	return decide(s, subject, id, 0, reason, err);
}

/* ---- what was recorded ---- */

static void read_record(sqlite3_stmt *st, void *item)
{
	struct review_record *r = item;
	r->subject = sqlite3_column_int(st, 0) ? REVIEW_PROJECT : REVIEW_PROBLEM;
	snprintf(r->subject_id, sizeof r->subject_id, "%s",
		 sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "");
	r->title = store_column_dup(st, 2);
	const char *step = (const char *)sqlite3_column_text(st, 3);
	const char *outcome = (const char *)sqlite3_column_text(st, 4);
	const char *label = review_step_label(step);
	char what[128];
	if (label != NULL) /* a step */
		snprintf(what, sizeof what, "%s%s", label,
			 outcome && strcmp(outcome, "pass") == 0 ? "通过"
			 : r->subject == REVIEW_PROBLEM      ? "退回，重新整改"
							     : "未通过");
	else /* an answer: step holds its kind */
		snprintf(what, sizeof what, "%s",
			 step && strcmp(step, "bundle") == 0 ? "数据包被镇里拒收"
			 : outcome && strcmp(outcome, "accepted") == 0 ? "申请已同意"
								       : "申请未同意");
	r->what = xstrdup(what);
	r->opinion = store_column_dup(st, 5);
	r->by_user = store_column_dup(st, 6);
	r->on_date = store_column_dup(st, 7);
}

static const size_t record_texts[] = {
	offsetof(struct review_record, title),	 offsetof(struct review_record, what),
	offsetof(struct review_record, opinion), offsetof(struct review_record, by_user),
	offsetof(struct review_record, on_date),
};

STORE_ROWS_DEFINE(record_rows, review_records_free, struct review_record, read_record, NULL,
		  "读取审核记录", STORE_TEXTS(record_texts))

/* The columns read_record reads, from reviews r. */
#define REVIEW_RECORD_COLUMNS                                                               \
	"r.subject = 'project', r.subject_id,"                                             \
	" coalesce((SELECT title FROM problems WHERE id = r.subject_id),"                  \
	"          (SELECT name FROM projects WHERE id = r.subject_id), r.subject_id),"     \
	" r.step, r.outcome, r.opinion, r.by_user, r.on_date"

/* A step the town recorded: a row a village wrote into its own store by hand
 * (owner: the village) is no step (db/010_review.sql). */
#define TOWN_WRITTEN "r.owner <> r.village_code"

int review_history(struct store *s, enum review_subject subject, const char *id,
		   struct review_record **out, size_t *n, struct tz_error *err)
{
	const char *params[] = { subject_code(subject), id };
	return store_rows_query(s,
				"SELECT " REVIEW_RECORD_COLUMNS " FROM reviews r"
				" WHERE r.subject = ?1 AND r.subject_id = ?2 AND " TOWN_WRITTEN
				" ORDER BY r.created_at, r.rowid",
				params, 2, &record_rows, out, n, err);
}

int review_outcomes(struct store *s, struct review_record **out, size_t *n, struct tz_error *err)
{
	return store_rows_query(
		s,
		"SELECT " REVIEW_RECORD_COLUMNS ", r.created_at AS at FROM reviews r"
		" WHERE " TOWN_WRITTEN " UNION ALL "
		"SELECT 0, '', a.subject, a.kind, a.decision, a.note, a.by_user, substr(a.at, 1, 10),"
		" a.created_at FROM town_answers a"
		" ORDER BY 9",
		NULL, 0, &record_rows, out, n, err);
}
