/*
 * review.h — the town's review of what villages report (issue 14): a problem
 * the town dispatched (派单) that the village reports rectified (已整改, with
 * evidence), and a project the village applied for (村申请), go through the
 * town's steps
 *
 *	镇初审 (town_review) ──> 部门审核 (dept_review) ──> 领导组审定 (approved)
 *
 * each passed or sent back with an opinion. Passing 领导组审定 closes (销号)
 * the problem; sending a problem back at any step reopens it (重新整改, the
 * reason in its history) and its review starts again at 镇初审 once the village
 * reports it rectified again. A project's stage follows the steps (a project
 * sent back is 未通过). Every step is a reviews row (db/010_review.sql: who,
 * when, opinion) and an audit row; the rows travel to the village with the
 * town's next bundle, which is how the village sees the outcome.
 *
 * Only the town reviews: at a village store every writing function refuses
 * (TZ_EUSAGE). A village's program never records a town step; one written into
 * a village store by hand reaches the town as a proposal (src/sync/README.md,
 * rule A4).
 *
 * Not here: printing; the village's side of a problem (problem.h).
 */
#ifndef TAIZHANG_REVIEW_H
#define TAIZHANG_REVIEW_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/ids.h"
#include "taizhang/store.h"

#define REVIEW_OPINION_MAX_NCHARS 1000
#define REVIEW_STEP_NBYTES 16 /* the longest step code, "town_review", fits */

enum review_subject { REVIEW_PROBLEM, REVIEW_PROJECT };

/* One thing waiting at the town for its next step. Strings malloc'd. */
struct review_item {
	enum review_subject subject;
	char id[IDS_NCHARS + 1];
	char village_code[13];
	char *village_name;            /* the code when the town has no name for it */
	char *title;                   /* the problem's title, the project's name */
	char step[REVIEW_STEP_NBYTES]; /* the step it waits for */
	const char *step_label;        /* 镇初审, 部门审核, 领导组审定 (static) */
	char *since;                   /* YYYY-MM-DD it has waited since */
	char *detail;                  /* a problem's evidence; a project's funds and target */
};

/* At the town: every dispatched problem reported rectified and every project
 * under review, by the day they have waited since. Free with
 * review_items_free. TZ_OK, TZ_EUSAGE at a village, or a read error. */
int review_pending(struct store *s, struct review_item **out, size_t *n, struct tz_error *err);
void review_items_free(struct review_item *items, size_t n);

/* The problem or project whose id is text or begins with text (4+ hex
 * digits, one match over both ledgers), into *subject and id_out. TZ_OK;
 * TZ_EFAIL when none or several match. */
int review_resolve(struct store *s, const char *text, enum review_subject *subject,
		   char id_out[IDS_NCHARS + 1], struct tz_error *err);

/* At the town: pass the step problem or project id waits for, with an
 * optional opinion, by store_user(s) today (date_today). Passing 领导组审定
 * closes a problem (销号). One transaction (the caller's when one is open).
 * TZ_OK; TZ_EUSAGE at a village; TZ_EFAIL when it waits for no step (a problem
 * not dispatched by the town, not rectified, or without evidence; a project
 * already decided), the opinion is not acceptable text, or a write fails. */
int review_pass(struct store *s, enum review_subject subject, const char *id,
		const char *opinion, struct tz_error *err);

/* At the town: send it back at the step it waits for, with reason (required):
 * a problem is reopened (重新整改), a project is 未通过. Otherwise as
 * review_pass. */
int review_return(struct store *s, enum review_subject subject, const char *id,
		  const char *reason, struct tz_error *err);

/* One recorded step, or (at a village) one of the town's answers. Strings
 * malloc'd. */
struct review_record {
	enum review_subject subject;
	char subject_id[IDS_NCHARS + 1]; /* "" for an answer */
	char *title;                     /* what it concerns */
	char *what;                      /* 镇初审通过, 部门审核退回, 申请未同意, 数据包被拒收 ... */
	char *opinion;                   /* NULL when none */
	char *by_user, *on_date;
};

/* The steps recorded for problem or project id, oldest first. */
int review_history(struct store *s, enum review_subject subject, const char *id,
		   struct review_record **out, size_t *n, struct tz_error *err);

/* What the town said to this village, oldest first: every step of its
 * problems' and projects' review, and the town's answers to its proposals
 * and refused bundles (with the reason). At the town: every village's. */
int review_outcomes(struct store *s, struct review_record **out, size_t *n, struct tz_error *err);
void review_records_free(struct review_record *records, size_t n);

/* The label of a step code (镇初审 ...), or NULL for none. */
const char *review_step_label(const char *step);

#endif
