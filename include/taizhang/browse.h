/*
 * browse.h — what the officer's screens list and count: household search, the
 * village at a glance, a household's related rows, the villages a town store
 * holds. SQL lives here, not in tui/.
 */
#ifndef TAIZHANG_BROWSE_H
#define TAIZHANG_BROWSE_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/ids.h"
#include "taizhang/model.h"
#include "taizhang/store.h"

struct household_row {
	char id[IDS_NCHARS + 1];
	char head[64];   /* the head of household's name, or "（未登记户主）" */
	char idcard[20]; /* the head's ID number */
	char group[64];  /* villager group */
	char status[32]; /* Chinese label */
	int nmembers;    /* members present */
};

/* Households whose head or any member's name contains query, whose members' ID
 * numbers contain it, or whose villager group's name contains it; query NULL
 * or empty lists all. status: a household_status code, or NULL for all. At
 * most limit rows (by group, then head's name) into *rows (caller frees); *n
 * their number, *total how many match in all. With a text, the matches are
 * counted up to BROWSE_COUNT_SHARE * limit and no further: more give that
 * number plus one ("more than": browse_total_is_more), so that a keystroke
 * costs about the same in a village and in a county-sized town. */
#define BROWSE_COUNT_SHARE 10
#define browse_total_is_more(total, limit, query)                                           \
	((query) != NULL && (query)[0] != '\0' && (total) > BROWSE_COUNT_SHARE * (size_t)(limit))
int browse_households(struct store *s, const char *query, const char *status, size_t limit,
		      struct household_row **rows, size_t *n, size_t *total, struct tz_error *err);

/* The same, limited to the households of one village (village_code: 12 digits;
 * NULL: every village, as browse_households). At the town, whose store holds
 * every village's rows, this is how one village is looked at. */
int browse_village_households(struct store *s, const char *village_code, const char *query,
			      const char *status, size_t limit, struct household_row **rows,
			      size_t *n, size_t *total, struct tz_error *err);

/* The households search index (db/015_county_index.sql) while rows are
 * written in bulk, inside the caller's transaction: on (1), its triggers only
 * note the households written; off (0), each household noted is refreshed once
 * (a bundle or a demo village writes a household and then each of its members:
 * refreshed row by row, the index cost more than the rest of an import).
 * Returns an SQLite status; turn it off even when the writing failed. */
int browse_search_defer(struct store *s, int on);

#define BROWSE_MAX_STATUSES 8
#define BROWSE_MAX_DEADLINES 8

struct home_summary {
	char village[64];
	char code[16];
	struct {
		char code[24], label[32];
		int count;
	} statuses[BROWSE_MAX_STATUSES];
	int nstatuses;
	int households, members;
	int visits_this_month;  /* visits made this calendar month (to today) */
	int visits_owed;        /* assigned households not visited yet this month */
	int problems_open;      /* not closed */
	int problems_overdue;   /* not closed, deadline before today */
	struct {
		char label[160];
		char due[12];
		int days_left; /* negative when past */
	} deadlines[BROWSE_MAX_DEADLINES];
	int ndeadlines;
};

/* The numbers of the home screen, as of date_today(). */
int browse_home(struct store *s, struct home_summary *out, struct tz_error *err);

/* One row of a list: its id and display texts, one per asked column. */
#define BROWSE_MAX_COLUMNS 8
struct browse_row {
	char id[IDS_NCHARS + 1];
	char *cells[BROWSE_MAX_COLUMNS]; /* malloc'd display text */
};
void browse_rows_free(struct browse_row *rows, size_t n);

/* Rows of def belonging to household household_id: by its household_id column,
 * or through member_id for tables about a person; every row of def when
 * household_id is NULL. Each cell is the column shown
 * as an officer reads it: a code as its label, 分 as 元, a reference as the
 * name of what it points at. A column outside the model may be asked for as
 * "column:code_list" (a project's stage) and is shown by its label. At most 500
 * rows, newest first. */
int browse_children(struct store *s, const struct table_def *def, const char *household_id,
		    const char *const *columns, size_t ncolumns, struct browse_row **rows,
		    size_t *n, struct tz_error *err);

/* Choices for a reference field pointing at table: id and a label (a member's
 * name and ID number, a cadre's name and unit, a village's name with its code
 * as id, ...), limited to household_id's
 * members when table is members and household_id is given. Also the numbered
 * reference rows (problem_areas, tasks: id = the number, the label with its
 * name) and the town's units (units: id = its code, the label its name). */
int browse_ref_choices(struct store *s, const char *table, const char *household_id,
		       struct browse_row **rows, size_t *n, struct tz_error *err);

/* The same, limited to one village (the town choosing for a village's row):
 * households and members of village_code only; any other table as
 * browse_ref_choices with no household. */
int browse_village_ref_choices(struct store *s, const char *table, const char *village_code,
			       struct browse_row **rows, size_t *n, struct tz_error *err);

/* The villages whose ledgers this store holds (a village store: itself; the
 * town: every village that has handed in), by code: id = the 12-digit code,
 * cells[0] = its name, cells[1] = registered households, cells[2] = problems
 * not closed (both as decimal text). Caller frees with browse_rows_free. */
int browse_villages(struct store *s, struct browse_row **rows, size_t *n, struct tz_error *err);

/* The label of row id of table (as in browse_ref_choices) into out. */
int browse_ref_label(struct store *s, const char *table, const char *id, char *out,
		     size_t out_nbytes, struct tz_error *err);

/* The codes and labels of a code list, in order (cells[0] = label, id = code). */
int browse_codes(struct store *s, const char *list, struct browse_row **rows, size_t *n,
		 struct tz_error *err);

#endif
