/*
 * report_internal.h — what the files of src/report/ share and nobody else
 * sees: the build context, the section definitions the table in report.c
 * lists, the helpers that fill a section, the SQL fragments the queries are
 * built from, and the atomic file writing the writers use.
 *
 * A section is defined by a const struct report_section_def: key, title,
 * columns, how many of them are keys, a note, and either one SQL statement (run
 * by report_build_sql) or a build function of its own. A statement may use the
 * named parameters :village (the village's code), :from and :to (the period,
 * YYYY-MM-DD), :cutoff (see below) and :policy_KEY (the policy table's value of
 * KEY: a missing one is an error, never a default).
 *
 * :cutoff is for what the ledger dates only by when it was entered (a four-list
 * item's created_at, a problem move's at): the day after which entries do not
 * count, i.e. :to — or NULL when the period reaches today (date_today()), and
 * then everything entered so far counts. Entry times come from the clock while
 * "today" may be set (TAIZHANG_TODAY: demos, tests, a look back), and a report
 * up to today must show what the ledger holds now. Its result columns fill the section's columns
 * in order, except that a PERCENT column takes two: numerator, denominator.
 */
#ifndef TAIZHANG_REPORT_INTERNAL_H
#define TAIZHANG_REPORT_INTERNAL_H

#include "taizhang/report.h"
#include "taizhang/rules.h"

struct report_ctx {
	struct store *s;
	const char *village;                     /* the village reported on */
	char from[DATE_NCHARS + 1], to[DATE_NCHARS + 1];
	const char *cutoff;                      /* to, or NULL when to is today or later */
	struct report *r;                        /* the sections built so far */
	struct findings findings;                /* rules_check as of to, run once */
	int have_findings;
};

struct report_column_def {
	const char *title;
	enum report_type type;
};

struct report_section_def {
	const char *key;
	const char *title;
	const struct report_column_def *columns;
	size_t ncolumns;
	size_t nkeys;
	const char *note; /* may be replaced by the build function */
	unsigned flags;   /* enum report_section_flags, copied to the section */
	int build_last;   /* built after every other section (it reads them) */
	/* Fill sec (initialised from this definition, no rows yet). */
	int (*build)(const struct report_section_def *d, struct report_ctx *c,
		     struct report_section *sec, struct tz_error *err);
	const char *sql;  /* for report_build_sql */
};

/* The columns of a definition, from an array: REPORT_COLUMNS(array). */
#define REPORT_COLUMNS(a) .columns = (a), .ncolumns = sizeof(a) / sizeof((a)[0])

/* The definitions, by file. */
extern const struct report_section_def report_cover, report_summary; /* report_work.c */
extern const struct report_section_def report_households, report_changes, report_members,
	report_procedures, report_four_lists;                       /* report_people.c */
extern const struct report_section_def report_sectors;              /* report_sector.c */
extern const struct report_section_def report_visits, report_staffing, report_problems,
	report_overdue, report_findings, report_deadlines;           /* report_work.c */

/* The build function of sections whose whole logic is d->sql. */
int report_build_sql(const struct report_section_def *d, struct report_ctx *c,
		     struct report_section *sec, struct tz_error *err);

/* Run sql with its parameters bound (see above) and append every result row to
 * sec. */
int report_sql_rows(struct report_ctx *c, struct report_section *sec, const char *sql,
		    struct tz_error *err);

/* The policy table's value of key; TZ_EFAIL naming the key when it is missing. */
int report_policy(struct report_ctx *c, const char *key, long long *value,
		  struct tz_error *err);

/* ---- filling a section ---- */

/* Append an empty row (every cell empty) and return its first cell. */
struct report_cell *report_add_row(struct report_section *sec);
void report_set_text(struct report_cell *cell, const char *text); /* NULL: empty */
void report_set_int(struct report_cell *cell, long long n);
void report_set_percent(struct report_cell *cell, long long num, long long den);
/* Append a row "合计" (in the first column; sets REPORT_SECTION_TOTAL) summing every INT and MONEY figure
 * column (those after the nkeys key columns) over the rows so far (0 when there
 * are none), and every PERCENT one as the sum of numerators over the sum of
 * denominators; key and text columns are left empty. */
void report_add_total(struct report_section *sec);
/* Replace sec's note with a printf-formatted one. */
void report_set_note(struct report_section *sec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The first row of sec whose column col's text is text, or -1. */
long report_row_of(const struct report_section *sec, size_t col, const char *text);

char *report_strdup(const char *text);  /* aborts when out of memory; NULL -> NULL */
void *report_alloc(size_t nbytes);      /* zeroed; aborts when out of memory */

/* ---- SQL fragments ---- */

/* The status of household alias h on day (an SQL expression), from its status
 * history: the latest row dated on or before day. A household with no history
 * at all has its current status from the day it was identified (or created). */
#define REPORT_STATUS_ON(day) \
	"COALESCE((SELECT x.status FROM household_status_history x" \
	" WHERE x.household_id = h.id AND x.on_date <= " day \
	" ORDER BY x.on_date DESC, x.created_at DESC, x.id DESC LIMIT 1)," \
	" CASE WHEN NOT EXISTS (SELECT 1 FROM household_status_history x" \
	"  WHERE x.household_id = h.id)" \
	" AND COALESCE(h.identified_on, substr(h.created_at, 1, 10)) <= " day \
	" THEN h.status END)"

/* CTE hh: the village's households with their status at the end of the period
 * (st, NULL when not registered yet) and at its start (st0). */
#define REPORT_HH_CTE \
	"hh AS (SELECT h.*, " REPORT_STATUS_ON(":to") " AS st, " \
	REPORT_STATUS_ON("date(:from, '-1 day')") " AS st0" \
	" FROM households h WHERE h.village_code = :village)"

/* The Chinese label of a code (the code itself if the list lacks it). */
#define REPORT_LABEL(list, code) \
	"COALESCE((SELECT cl.label FROM code_list cl WHERE cl.list = '" list "'" \
	" AND cl.code = " code "), " code ")"

/* Whole years from birth (YYYY-MM-DD expression) to :to. */
#define REPORT_AGE_ON_TO(birth) \
	"(CAST(substr(:to, 1, 4) AS INTEGER) - CAST(substr(" birth ", 1, 4) AS INTEGER)" \
	" - (substr(:to, 6) < substr(" birth ", 6)))"

/* The local date of a stored UTC time (created_at, problem_events.at). */
#define REPORT_LOCAL_DATE(t) "date(" t ", 'localtime')"

/* Row labels other sections look up (the summary reads them). */
#define REPORT_L_TOTAL "合计"
#define REPORT_L_NEW "（建档）"
#define REPORT_L_FOUR_ALL "四个清单齐全"
#define REPORT_L_DOCTOR "家庭医生签约户（期末有效）"
#define REPORT_L_IN_SCHOOL "义务教育阶段儿童在校"
#define REPORT_L_DROPOUT "义务教育阶段儿童辍学"
#define REPORT_L_RENOVATED "C、D 级危房已改造"
#define REPORT_L_DIBAO "享受低保的建档立卡户（期末）"
#define REPORT_L_REGISTERED_ONLY "建档立卡户未享受低保（比对）"
#define REPORT_L_DIBAO_ONLY "低保户未建档立卡（比对）"

/* ---- files ---- */

/* A file being written atomically: FILE.part, renamed over FILE at the end. */
struct report_file {
	char *path;      /* FILE */
	char *part_path; /* FILE.part */
	FILE *fp;        /* open on part_path, or NULL once closed */
	int committed;   /* renamed over FILE */
};

/* Create FILE.part (mode 0600, replacing a stale one) and open it for writing
 * (fp; f->fp NULL when open_stream is 0: the caller writes the part itself,
 * as libxlsxwriter does). */
int report_file_open(struct report_file *f, const char *path, int open_stream,
		     struct tz_error *err);
/* Close fp (if open), flush the part to disk. Does not rename. */
int report_file_finish(struct report_file *f, struct tz_error *err);
/* Rename the part over FILE and flush the directory. */
int report_file_commit(struct report_file *f, struct tz_error *err);
/* Close and remove the part if it is still there; free f's strings. Call
 * after commit too. */
void report_file_discard(struct report_file *f);

/* ---- the writers' shared layout ---- */

/* The widest cell of column col (its header included) in terminal columns,
 * figures formatted DISPLAY. */
size_t report_column_ncols(const struct report_section *sec, size_t col);

/* Whether a column holds figures (right-aligned, number formats). */
int report_is_figure(enum report_type type);

/* "示范村 扶贫专项整改报表": the report's title, malloc'd. */
char *report_title(const struct report *r);

#endif
