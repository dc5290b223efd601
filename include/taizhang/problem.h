/*
 * problem.h — the problem ledger (四、工作要求): every problem found by
 * self-check, inspection, a precision check or dispatch from the township, with
 * its area (one of the ten), task (one of the 19), responsible unit and person,
 * deadline, measures and evidence, moved through
 *
 *	open ──> rectifying ──> rectified ──> closed (销号)
 *	  └──────────────────────────^  │        │
 *	                 reopened <─────┴────────┘
 *	                 reopened ──> rectifying | rectified
 *
 * (open -> rectifying | rectified, rectifying -> rectified, rectified -> closed |
 * reopened, reopened -> rectifying | rectified, closed -> reopened). Closing
 * needs evidence of the rectification. Every move, and the creation itself, is a
 * problem_events row (who, when, from, to, note); problems.state is the latest.
 *
 * States are the codes of code_list problem_state (open, rectifying, rectified,
 * closed, reopened); functions that take a state accept its Chinese label too
 * (待整改, 整改中, 已整改, 已销号, 重新整改).
 *
 * Not here: the precision checks that turn records into problems (rules.h), and
 * any printing.
 */
#ifndef TAIZHANG_PROBLEM_H
#define TAIZHANG_PROBLEM_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/ids.h"
#include "taizhang/store.h"

/* Longest texts accepted, in characters (never truncated: longer is refused). */
#define PROBLEM_TITLE_MAX_NCHARS 200
#define PROBLEM_NAME_MAX_NCHARS 50   /* responsible unit and person */
#define PROBLEM_TEXT_MAX_NCHARS 2000 /* description, measures, evidence, note */

/* What a new problem says. Every pointer is borrowed; NULL or "" means absent. */
struct problem_spec {
	const char *village_code;       /* 12 digits; NULL: the household's village when a
					   household is given, else the store's code */
	int area;                       /* 1..10, a row of problem_areas */
	int task;                       /* 1..19, a row of tasks */
	const char *title;              /* required */
	const char *description;
	const char *source;             /* code_list problem_source; NULL: self_check */
	const char *finding_rule;       /* the precision check that found it (rules.h) */
	const char *finding_ref;        /* the record it points at; given with finding_rule */
	const char *household_id;       /* a row of households */
	const char *responsible_unit;   /* required: a unit code or its Chinese name (units) */
	const char *responsible_person; /* required */
	const char *deadline;           /* required: a real date, YYYY-MM-DD or as typed
					   (2019年5月31日, 2019/5/31 ...) */
	const char *measures;
	const char *evidence;
};

/* Create a problem in state open, with its first problem_events row (from NULL to
 * open) and an audit row. Validates every field and says in Chinese which one is
 * wrong. Writes inside the caller's transaction when one is open
 * (store_tx_active), else in its own. On success the new id is in id_out.
 * Returns TZ_OK, TZ_EFAIL (invalid input — nothing written — or a failed
 * write), TZ_EDAMAGED. */
int problem_create(struct store *s, const struct problem_spec *spec,
		   char id_out[IDS_NCHARS + 1], struct tz_error *err);

/* Move problem id to to_state (a code or its Chinese label), recording a
 * problem_events row (owner = the store's code, by_user = store_user(s), at =
 * now, from, to, note) and updating problems.state and updated_at; evidence
 * and measures, when not NULL or "", replace the problem's. Moving to closed
 * needs evidence, given now or already on the problem. Writes inside the
 * caller's transaction when one is open, else in its own.
 * Returns TZ_OK; TZ_EUSAGE when to_state is no state at all; TZ_EFAIL when the
 * problem does not exist, the move is not allowed from its state (the message
 * lists the allowed ones), evidence is missing for closing, or a write fails. */
int problem_move(struct store *s, const char *id, const char *to_state, const char *note,
		 const char *evidence, const char *measures, struct tz_error *err);

/* At a village, a problem dispatched by the town (owner: the town) is closed
 * (销号) or reopened only by the town (src/sync/README.md, rule A4):
 * problem_move refuses those moves there, with a message saying to ask. This
 * asks: the problem is moved to rectified (with evidence, required unless it
 * already has some) with the note "申请销号：note"; when it already is
 * rectified, new evidence replaces the old and nothing else changes. The
 * town sees it rectified and reviews it (review.h: 镇初审, 部门审核,
 * 领导组审定 closes it; or sends it back, reopened). For a problem of the
 * store's own (or at the town) it is problem_move(..., "closed", ...).
 * `taizhang problem close` and the problems screen call this. TZ_OK,
 * TZ_EFAIL (no evidence, a move not allowed from its state, a write failed). */
int problem_request_close(struct store *s, const char *id, const char *note, const char *evidence,
			  struct tz_error *err);

/* Whether a move from one state code to another is allowed (pure). */
int problem_move_allowed(const char *from, const char *to);

/* The problem whose id is text, or whose id begins with text (at least 4 hex
 * digits, matching only one problem), into id_out. Returns TZ_OK; TZ_EFAIL when
 * none or several match (the message says which). */
int problem_resolve(struct store *s, const char *text, char id_out[IDS_NCHARS + 1],
		    struct tz_error *err);

/* One problem as stored, with the labels an officer reads. Strings are malloc'd
 * (NULL when the column is NULL) and freed by problem_free. */
struct problem {
	char id[IDS_NCHARS + 1];
	char *owner, *village_code;
	int area, task;
	char *area_label;  /* （一）扶贫对象识别准确率、退出准确率不高 */
	char *task_name;   /* 确保扶贫对象管理精准 */
	char *title, *description;
	char *source, *source_label;
	char *finding_rule, *finding_ref, *household_id;
	char *responsible_unit, *responsible_person; /* the unit's code (units) */
	char *responsible_unit_name; /* the unit's Chinese name: 镇卫生院 */
	char *deadline;    /* YYYY-MM-DD */
	char *measures, *evidence;
	char *state, *state_label;
	char *created_at, *updated_at;
};

/* One row of a problem's history. */
struct problem_event {
	char id[IDS_NCHARS + 1];
	char *owner;
	char *from_state, *from_label; /* NULL for the creation */
	char *to_state, *to_label;
	char *by_user, *at, *note;
};

/* Which problems problem_list returns; a zeroed filter returns them all. */
struct problem_filter {
	const char *state;         /* a state code or label; NULL: any */
	int unclosed;              /* only problems not closed */
	const char *overdue_as_of; /* YYYY-MM-DD: only problems not closed whose
				      deadline is before it; NULL: no such filter */
	int area;                  /* 0: any */
	int task;                  /* 0: any */
	const char *village_code;  /* NULL: any */
	const char *household_id;  /* NULL: any */
};

struct problem_list {
	struct problem *items;
	size_t n;
};

/* Load problem id into p. Returns TZ_OK, TZ_EFAIL when there is no such problem. */
int problem_get(struct store *s, const char *id, struct problem *p, struct tz_error *err);
void problem_free(struct problem *p);

/* The problems matching f, by deadline, then creation. Free with
 * problem_list_free. Returns TZ_OK; TZ_EUSAGE for an unknown state or a date that
 * is not one; TZ_EFAIL/TZ_EDAMAGED when reading fails. */
int problem_list(struct store *s, const struct problem_filter *f, struct problem_list *out,
		 struct tz_error *err);
void problem_list_free(struct problem_list *l);

/* A problem's history, oldest first. *out and *n are set; free with
 * problem_events_free(*out, n). */
int problem_events(struct store *s, const char *id, struct problem_event **out, size_t *n,
		   struct tz_error *err);
void problem_events_free(struct problem_event *events, size_t n);

#endif
