/*
 * campaign.h — running the campaign: its accountable units and the
 * deliverables every village and lead unit owes by the seed's schedule
 * (db/009_campaign.sql). src/model/unit.c, src/model/deliverable.c.
 *
 * Units are reference data (units, and code list 'unit'): a problem, a
 * measure, a project and a deliverable name one by its code. A unit's sheet
 * gathers what it owns: the tasks it leads or joins, the problems it must
 * rectify, the measures and projects it carries out, the deliverables it owes,
 * and what of that is done or late.
 *
 * Deliverables: one row per kind of deliverable_kinds and owing party (a
 * village or a unit), made by deliverable_generate. The party records the
 * hand-in (on, by, signed by, kept where); the town alone confirms receipt.
 * A deliverable is done when handed in, late when not and its due date is
 * before date_today() (which honours TAIZHANG_TODAY), open otherwise.
 *
 * Not here: printing (cli, tui, report), how a village's write of the town's
 * confirmation is set aside (sync/apply.c).
 */
#ifndef TAIZHANG_CAMPAIGN_H
#define TAIZHANG_CAMPAIGN_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/ids.h"
#include "taizhang/store.h"

struct record;

/* ---- units ---- */

struct unit {
	char *code, *name, *kind; /* kind: town_unit, village, group */
	int leads;                /* how many tasks it leads */
};

/* Every unit, town units first, then by code. Free with unit_list_free. */
int unit_list(struct store *s, struct unit **out, size_t *n, struct tz_error *err);
void unit_list_free(struct unit *v, size_t n);

/* *text (malloc'd, may be NULL or empty) as a unit's code: a code, a unit's
 * Chinese name, or the name without its leading 镇 (民政办). Replaces *text by
 * the code. TZ_EFAIL naming label ("责任单位") when it names no unit. */
int unit_code_normalize(struct store *s, const char *label, char **text, struct tz_error *err);

/* ---- deliverables ---- */

enum deliverable_state { DELIVERABLE_OPEN, DELIVERABLE_DONE, DELIVERABLE_LATE };

struct deliverable {
	char id[IDS_NCHARS + 1];
	char *kind, *what, *due;      /* due: YYYY-MM-DD */
	char *village_code, *unit;    /* exactly one is set: who owes it */
	char *party_name;             /* the village's or the unit's name */
	char *handed_in_on, *handed_in_by, *signed_by, *kept_where, *note;
	char *confirmed_on, *confirmed_by; /* NULL until the town confirms */
	int must_sign;                /* the kind asks for the head's signature */
	enum deliverable_state state;
};

struct deliverable_filter {
	const char *village_code; /* NULL: any */
	const char *unit;         /* NULL: any; a code */
	int of_villages;          /* 1: only the villages' own (各村(居)'s) */
	const char *kind;         /* NULL: any */
	int state;                /* -1: any, else an enum deliverable_state */
};

/* Make the rows this store should hold and does not: at a village store, its
 * own village's; at the town, every village's in villages and every unit's.
 * Rows already there keep their hand-in and confirmation; those not handed in
 * yet take their kind's text and due date as they now are (the town moved a
 * deadline, or set the schedule of the next campaign). Opens its own
 * transaction unless one is open. *added (may be NULL): how many rows were
 * made. */
int deliverable_generate(struct store *s, size_t *added, struct tz_error *err);

/* Only the second half of deliverable_generate: the rows not handed in yet
 * take their kind's text and due date (a village, after the town's bundle
 * moved a deadline). */
int deliverable_follow(struct store *s, struct tz_error *err);

/* The id of the deliverable of kind owed by party (a village or unit code):
 * the first 128 bits of BLAKE2b("taizhang deliverable", kind, party), in hex,
 * so every store derives the same row. */
void deliverable_id(const char *kind, const char *party, char out[IDS_NCHARS + 1]);

/* The deliverables matching f (NULL: all), by due date, party, kind. Free with
 * deliverable_list_free. */
int deliverable_list(struct store *s, const struct deliverable_filter *f,
		     struct deliverable **out, size_t *n, struct tz_error *err);
void deliverable_list_free(struct deliverable *v, size_t n);

/* 已完成, 未到期, 逾期. */
const char *deliverable_state_label(enum deliverable_state state);

/* Done / open / late of one party, or of all (party NULL). */
struct deliverable_count {
	char *party;      /* village or unit code; NULL for the total */
	char *name;       /* its name */
	int is_unit;
	int done, open, late, confirmed;
};

/* One count per village (by code) then per unit (by code), and the total in
 * *total. Free with deliverable_counts_free. */
int deliverable_counts(struct store *s, struct deliverable_count **out, size_t *n,
		       struct deliverable_count *total, struct tz_error *err);
void deliverable_counts_free(struct deliverable_count *v, size_t n);

/* What a party records when it hands in. on: a real date, not after today;
 * by: who handed it in; signed_by: required when the kind asks for the head's
 * signature; kept_where: a file name or the paper archive's place. */
struct deliverable_handin {
	const char *on, *by, *signed_by, *kept_where, *note;
};

/* Record the hand-in of deliverable id (its own row: a village's at the
 * village, a unit's at the town), through the model's fields (messages name
 * the field). Its own transaction unless one is open; audited. */
int deliverable_record(struct store *s, const char *id, const struct deliverable_handin *h,
		       struct tz_error *err);

/* At the town: confirm receipt of deliverable id, on the day on (NULL: today),
 * by the store's user. TZ_EUSAGE at a village (only the town confirms);
 * TZ_EFAIL when it is not handed in yet or there is no such row. The row is
 * changed at the town only. Audited. */
int deliverable_confirm(struct store *s, const char *id, const char *on, struct tz_error *err);

/* The id of the deliverable of kind owed by party, found by kind and party
 * (a code, or for a unit its name). TZ_EFAIL naming the kinds when none. */
int deliverable_find(struct store *s, const char *kind, const char *party,
		     char id[IDS_NCHARS + 1], struct tz_error *err);

/* The model's rule across the fields of a deliverables record (tables.c):
 * rows are made by deliverable_generate, never entered; a hand-in needs its
 * date, and the head's signature when the kind asks for it. */
int deliverable_check(struct store *s, struct record *r, struct tz_error *err);

/* ---- a unit's sheet ---- */

struct unit_task {
	int task;
	char *name;
	int lead; /* 1: 牵头, 0: 参加 */
};

struct unit_sheet {
	struct unit unit;
	struct unit_task *tasks;
	size_t ntasks;
	int problems, problems_closed, problems_late; /* late: past deadline, not rectified */
	int measures;                                 /* marginal households' measures */
	int projects;
	long long project_funds_cents;
	struct deliverable *deliverables;
	size_t ndeliverables;
	int done, open, late; /* of its deliverables */
};

/* The sheet of unit code (a code or a name). TZ_EFAIL when no such unit. Free
 * with unit_sheet_free. */
int unit_sheet_load(struct store *s, const char *code, struct unit_sheet *out,
		    struct tz_error *err);
void unit_sheet_free(struct unit_sheet *sh);

#endif
