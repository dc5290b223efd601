/*
 * report_internal.h — what the files of src/report/ share and nobody else
 * sees: the build context, the section definitions the table in report.c
 * lists (and how a town report shows each), the helpers that fill a section,
 * the SQL fragments the queries are built from, and the atomic file writing
 * the writers use.
 *
 * A section is defined by a const struct report_section_def: key, title,
 * columns, how many of them are keys, a note, and either one SQL statement (run
 * by report_build_sql) or a build function of its own. A statement may use the
 * named parameters :village (the village's code: every query counts the rows
 * of that village only — by village_code, or through household_id and the
 * village's households — never "the store", which in a town holds every
 * village's), :from and :to (the period,
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
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

/* Statements kept prepared from one village's build to the next's (a township
 * report builds the same sections 30 times): keyed by the address of their
 * SQL text, which is static. report_stmts_free finalizes them. */
struct report_stmts {
	const char **sql;
	sqlite3_stmt **st;
	size_t n, cap;
};
void report_stmts_free(struct report_stmts *k);

struct roster_registered;

struct report_ctx {
	struct store *s;
	struct report_stmts *stmts;              /* NULL: each statement prepared anew */
	const char *village;                     /* the village reported on */
	char from[DATE_NCHARS + 1], to[DATE_NCHARS + 1];
	const char *cutoff;                      /* to, or NULL when to is today or later */
	struct report *r;                        /* the sections built so far */
	/* rules_check as of to, run once (for a town: once for every village):
	 * findings points at own_findings or at the town's; NULL until run. */
	const struct findings *findings;
	struct findings own_findings;
	/* The village's members as two sections count them, read by the first
	 * that needs them, or for a town's every village at once before the
	 * sections (report_people.c); report_build_sections frees them. */
	struct report_members *members;
	/* A town's villages' registered side of the 低保 comparison, read once
	 * for all of them (report_sectors_town), or NULL: each reads its own. */
	const struct roster_registered *dibao_registered;
	/* A town's village's procedure figures, counted for every village at
	 * once (report_procedures_read_town), one [4] per procedure and step of
	 * the code lists; NULL: the village counts its own. */
	long long (*procedure_counts)[4];
	size_t nprocedure_counts;
	/* A town's village's sector figures from the contracts, the houses and
	 * the loans, counted for every village at once (report_sectors_town);
	 * NULL: the village counts its own. */
	struct report_sector_town *sector_town;
	/* A town's village's four lists counted for every village at once
	 * (report_four_lists_read_town); NULL: the village counts its own. */
	struct report_four_lists *four_lists;
	/* A town's village's visits of the period, each with its assignment,
	 * read for every village at once (report_visits_read_town); NULL: the
	 * village reads its own. */
	struct report_visits_town *visits;
	int one_thread; /* report_options.one_thread: no second connection */
	/* A town's second connection, with a report_hh of its own, from the
	 * households' preparation to the last section (report_town_reader), or
	 * NULL: everything on s. */
	struct store *reader;
	/* A town's: every village's status records of the period, from the pass
	 * that made report_hh (report_town_reader), or NULL; freed by
	 * report_town_reader_close. */
	struct report_changes *town_changes;
	/* The village's of them, as JSON (report_changes_of), bound as :changes;
	 * NULL: the changes section finds them itself. */
	const char *changes;
};

/* The village's school-age children (members present in households registered
 * on `to`, whole years on `to` within policy school_age_min..max): how many,
 * and of them in school, dropped out, otherwise (their latest schooling record
 * on or before `to`; none counts as otherwise). */
int report_school(struct report_ctx *c, long long out[4], struct tz_error *err);
void report_members_free(struct report_ctx *c);

/* ---- a town's passes: each reads a table once for every village of
 * cs[0..ncs) (a town's, whose report_hh holds them all) before the sections,
 * instead of a lookup for each household, village after village; the same
 * counts. report_build_sections_each makes households once for all of them. ---- */

/* Every household of report_hh whose village is one of cs[0..ncs), mapped by
 * its id to a value that says the village's index in cs (REPORT_HH_VILLAGE)
 * and whether the household is registered at the end of the period
 * (REPORT_HH_REGISTERED) and not exited (REPORT_HH_LISTS_DUE). */
struct strmap;
int report_households_by_village(struct report_ctx *cs, size_t ncs, struct strmap *out,
				 struct tz_error *err);
#define REPORT_HH_VILLAGE(value) ((value) / 4)
#define REPORT_HH_REGISTERED(value) ((value) & 1)
/* ... and whether its four lists are due (registered and not exited). */
#define REPORT_HH_LISTS_DUE(value) (((value) >> 1) & 1)
/* The value of the household whose id is column col of st, or NULL when it
 * is none of the villages'. */
const size_t *report_village_of(const struct strmap *households, sqlite3_stmt *st, int col);

/* The visits section's visits of every village of cs[0..ncs), in one pass
 * over the assignments (report_work.c); report_visits_free. */
int report_visits_read_town(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			    struct tz_error *err);
void report_visits_free(struct report_ctx *c);

/* The four lists section's counts of every village of cs[0..ncs), in one pass
 * over the items (report_people.c); report_four_lists_free. */
int report_four_lists_read_town(struct report_ctx *cs, size_t ncs, const struct strmap *households,
				struct tz_error *err);
void report_four_lists_free(struct report_ctx *c);

/* The members section's counts of every village, in one pass over the members
 * (report_people.c). */
int report_members_read_town(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			      struct tz_error *err);

/* The procedures section's figures of every village of cs[0..ncs), counted
 * in one pass over the steps (report_people.c); report_procedures_free. */
int report_procedures_read_town(struct report_ctx *cs, size_t ncs,
				const struct strmap *households, struct tz_error *err);
void report_procedures_free(struct report_ctx *c);

/* For a town's villages cs[0..ncs): the sector figures of every village
 * from one pass over the contracts, the houses and the loans (each village's
 * cs[v].sector_town; report_sectors_town_free), and the registered side of the
 * 低保 comparison of every village, read once into *reg (when any roster was
 * imported; else *reg stays NULL) and lent to each cs[v] (report_sector.c).
 * The caller frees *reg with roster_registered_free after the sections. */
int report_sectors_town(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			struct roster_registered **reg, struct tz_error *err);
void report_sectors_town_free(struct report_ctx *c);

/* The passes asked for (members, sectors, procedures, four lists, visits: 0
 * or 1 each), as the functions above, two at once on a second connection where they can
 * (report_passes.c); *dibao as report_sectors_town's *reg. */
int report_town_passes(struct report_ctx *cs, size_t ncs, const struct strmap *households,
		       int members, int sectors, int procedures, int four_lists, int visits,
		       struct roster_registered **dibao, struct tz_error *err);


/* How a town report shows a section of the villages' reports
 * (report_town.c). */
enum report_town_mode {
	REPORT_TOWN_JOIN = 0, /* rows joined on the key columns, figures side by side */
	REPORT_TOWN_STACK,    /* the villages' rows one after another, the village first */
	REPORT_TOWN_ONCE,     /* the same for every village (reference data): shown once */
	REPORT_TOWN_NONE,     /* not shown (the cover: the town has its own) */
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
	/* At a county (400,000 households) the section takes a second or more
	 * for every village: a town's two threads take these first, so that
	 * they finish close together (report_sections.c). */
	int town_heavy;
	enum report_town_mode town;
	/* REPORT_TOWN_JOIN: a statement listing every key a village may have, in
	 * the order they are shown (rows of the villages are joined in that order;
	 * NULL: in the order the villages' own sections have them). */
	const char *town_keys_sql;
	const char *town_note;  /* the note in a town report, when the village's
				   is about that village alone; NULL: the same */
	/* Fill sec (initialised from this definition, no rows yet). */
	int (*build)(const struct report_section_def *d, struct report_ctx *c,
		     struct report_section *sec, struct tz_error *err);
	const char *sql;  /* for report_build_sql */
};

/* The columns of a definition, from an array: REPORT_COLUMNS(array). */
#define REPORT_COLUMNS(a) .columns = (a), .ncolumns = sizeof(a) / sizeof((a)[0])

/* A section of one row per code of a code list (every code in the list's
 * order, zero rows too) and a total, built by report_build_sql_total: its
 * statement, over code_list cl, ends with REPORT_PER_CODE_ROWS(list), and a
 * town report shows the codes' labels in that order. */
#define REPORT_PER_CODE(list)                       \
	.nkeys = 1, .build = report_build_sql_total, \
	.town_keys_sql = "SELECT label FROM code_list WHERE list = '" list "' ORDER BY sort"
#define REPORT_PER_CODE_ROWS(list) " WHERE cl.list = '" list "' GROUP BY cl.code ORDER BY cl.sort"

/* The definitions, by file. */
extern const struct report_section_def report_cover, report_summary; /* report_work.c */
extern const struct report_section_def report_households, report_changes, report_members,
	report_procedures, report_four_lists;                       /* report_people.c */
extern const struct report_section_def report_sectors;              /* report_sector.c */
extern const struct report_section_def report_visits, report_staffing, report_problems,
	report_overdue, report_findings, report_deadlines;           /* report_work.c */
extern const struct report_section_def report_projects, report_marginal, report_complaints,
	report_trainings, report_cases, report_inspections;          /* report_ledgers.c */

/* The columns of the findings section (report_work.c) that others read. */
#define FINDINGS_TASK 2
#define FINDINGS_COUNT 3
extern const struct report_section_def report_deliverables, report_unit_sheets; /* report_units.c */

/* A row "label | value" of a cover section (two text columns, report_cover's;
 * report_work.c). */
void report_cover_row(struct report_section *sec, const char *label, const char *value);

/* The rows every cover ends with, village's or town's: the period from..to,
 * when and by whom it was generated, and how to read the figures (the common
 * text, then more when not NULL). */
void report_cover_end(struct report_section *sec, const char *from, const char *to,
		      const char *generated_at, const char *user, const char *more);

/* The sections of a village report, in order (report.c). */
extern const struct report_section_def *const report_village_sections[];
extern const size_t report_village_nsections;

/* Build the sections defs[0..n) for c->village into c->r (allocated here;
 * build_last ones after the others). */
int report_build_sections(struct report_ctx *c, const struct report_section_def *const *defs,
			  size_t n, struct tz_error *err);
/* The same for ncs contexts at once (a town's villages, each its own report),
 * a section at a time for every one of them: one section's statements read
 * the same tables and indexes for every village while those pages are in the
 * page cache, instead of every section's pages for one village, then again
 * for the next (a county-sized town's store is many times the cache). An
 * error names the village (its report's village_name). */
int report_build_sections_each(struct report_ctx *cs, size_t ncs,
			       const struct report_section_def *const *defs, size_t n,
			       struct tz_error *err);
/* Section d of c's village into sec (zeroed: initialised here), on c's
 * connection; an error names the section, and the village when name_village
 * (its report's village_name: in a town). */
int report_build_one(const struct report_section_def *d, struct report_ctx *c,
		     struct report_section *sec, int name_village, struct tz_error *err);
/* The sections defs[0..n) that are not built last, each for every village
 * of cs[0..ncs), two at once on a second connection where they can (not
 * when cs[0].one_thread), else one after the other (report_sections.c); an error as report_build_one's, of the
 * first section in defs' order that failed. */
int report_town_sections(struct report_ctx *cs, size_t ncs,
			 const struct report_section_def *const *defs, size_t n, struct tz_error *err);

/* The period of o into c (dates as typed, defaults, from <= to), and the
 * generation stamp into r. */
int report_resolve_period(const struct report_options *o, struct report_ctx *c,
			  struct report *r, struct tz_error *err);

/* A section with no rows: key (static), title, ncolumns columns (titles NULL
 * until set with report_set_column), nkeys, note (copied, may be NULL). */
void report_section_new(struct report_section *sec, const char *key, const char *title,
			size_t ncolumns, size_t nkeys, const char *note);
void report_set_column(struct report_section *sec, size_t col, const char *title,
		       enum report_type type);
void report_section_free(struct report_section *sec);

/* The town report's own parts (report_town.c): the per-village section of task
 * figures that the task and lead-unit sections are made of. */
extern const struct report_section_def report_task_figures;

/* The columns of the task figures (report_town.c): the task ("5. 狠抓..."),
 * the indicator, its target, then per group (合计, each village) value, base,
 * rate and verdict; the verdicts' words; the row of a task's overdue problems. */
enum {
	REPORT_TF_TASK, REPORT_TF_LABEL, REPORT_TF_TARGET,
	REPORT_TF_VALUE, REPORT_TF_BASE, REPORT_TF_RATE, REPORT_TF_MET
};
#define REPORT_MET "达标"
#define REPORT_NOT_MET "未达标"
#define REPORT_L_TASK_OVERDUE "其中逾期"

/* The town report's section for each of the 19 tasks (report_tasks.c): into
 * secs (room for cap), from r's sections as built so far (the joined projects
 * and the stacked overdue problems) and tf, the task figures joined over r's
 * villages. *n: how many were made. Returns TZ_OK, or TZ_EFAIL when reading
 * the tasks fails. */
int report_task_sections(struct store *s, const struct report *r, const struct report_section *tf,
			 struct report_section *secs, size_t cap, size_t *n, struct tz_error *err);

/* The tasks of the seed (tasks table: CHECK 1..19). */
#define REPORT_NTASKS 19

/* One task as report_each_task reads it: its number and name, and the names
 * of its lead and participating units in the implementation plan's order,
 * joined with "、" (NULL: none). */
struct report_task {
	int task;
	const char *name, *leads, *participants;
};

/* Call each(ctx, task, err) for every task, in order (tasks, task_units),
 * until one returns other than TZ_OK, which is returned; TZ_OK after the last;
 * TZ_EFAIL when reading the tasks fails. */
int report_each_task(struct store *s, int (*each)(void *ctx, const struct report_task *t,
						  struct tz_error *err),
		     void *ctx, struct tz_error *err);

/* The task a row's task cell names ("5. 狠抓健康脱贫政策落实" names 5), or 0
 * when it names none (empty, 合计). */
int report_task_number(const struct report_cell *x);

/* Build the task sections of r from tf (report_task_sections) and insert them
 * into r's sections at index at. Returns as report_task_sections. */
int report_insert_tasks(struct store *s, struct report *r, struct report_section *tf,
			size_t at, struct tz_error *err);

/* A village report built with the task figures among its sections: take them
 * out, and put the village's own task sections after its summary. Returns
 * TZ_OK, TZ_EFAIL when the task figures are missing or reading fails. */
int report_village_tasks(struct store *s, struct report *r, struct tz_error *err);

/* The sign-off page of a town report (report_tasks.c): a form of who drew it
 * up, reviewed and approved it, with lines to sign and date by hand. */
void report_signoff(const struct report *r, struct report_section *sec);

/* The build function of sections whose whole logic is d->sql. */
int report_build_sql(const struct report_section_def *d, struct report_ctx *c,
		     struct report_section *sec, struct tz_error *err);

/* report_build_sql followed by a total row (report_add_total). */
int report_build_sql_total(const struct report_section_def *d, struct report_ctx *c,
			   struct report_section *sec, struct tz_error *err);

/* Run sql with its parameters bound (see above) and append every result row to
 * sec. */
int report_sql_rows(struct report_ctx *c, struct report_section *sec, const char *sql,
		    struct tz_error *err);

/* Prepare sql (static text: c->stmts keeps statements by its address) into *st
 * with its parameters bound as report_sql_rows binds them, for a build function
 * that reads the rows itself; hand it back with report_release (*st is NULL on
 * failure). */
int report_prepare(struct report_ctx *c, const char *sql, sqlite3_stmt **st,
		   struct tz_error *err);
/* Reset st for the next use when c->stmts keeps it, else finalize it; NULL is
 * fine. */
void report_release(struct report_ctx *c, sqlite3_stmt *st);

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

/* The households of the report's village(s) with their status at the end of the
 * period (st, NULL when not registered yet) and at its start (st0), worked out
 * once per report into the in-memory table temp.report_hh (report_households_
 * prepare) rather than once per section: every section reads them, and a
 * town's households table holds every village's. Queries that go from the
 * village's households to their other rows drive from it (CROSS JOIN keeps it
 * the outer loop, so the other table is reached through its household_id
 * index and never scanned whole). */
#define REPORT_HH_TABLE "temp.report_hh"
#define REPORT_HH_CREATE                                                                \
	"CREATE TEMP TABLE IF NOT EXISTS report_hh (village_code TEXT NOT NULL,"        \
	" id TEXT NOT NULL, st TEXT, st0 TEXT, PRIMARY KEY (village_code, id)) WITHOUT ROWID"
#define REPORT_HH_CTE \
	"hh AS (SELECT id, st, st0 FROM " REPORT_HH_TABLE " WHERE village_code = :village)"

/* Fill temp.report_hh for the households of village (NULL: every village of the
 * store) for c's period; report_households_drop removes it. */
int report_households_prepare(struct report_ctx *c, const char *village, struct tz_error *err);
void report_households_drop(struct report_ctx *c);
/* A town's: report_households_prepare for every village on c's connection
 * and, where two cores and a second connection can be had, at the same time
 * on that connection, kept in c->reader (report_sections.c); the report's
 * result is that of c's. report_town_reader_close ends the second. */
int report_town_reader(struct report_ctx *c, struct tz_error *err);
/* A whole store's report_hh rows read once into memory (report_hh.c), or
 * *out NULL when its data is not plain enough to take that way (then
 * report_households_prepare); report_hh_fill writes them into c's
 * connection's report_hh (made, or emptied, first). */
struct report_hh_rows;
int report_hh_read(struct report_ctx *c, struct report_hh_rows **out, struct tz_error *err);
int report_hh_fill(struct report_ctx *c, const struct report_hh_rows *h, struct tz_error *err);
void report_hh_free(struct report_hh_rows *h);
/* The period's status records of each village, found by the same pass: for
 * the changes section (report_people.c), taken from the rows to outlive them
 * (report_hh_take_changes); report_changes_of gives a village's as JSON
 * [[rowid, previous record's rowid or null], ...] ("[]": none; NULL when ch is
 * NULL). */
struct report_changes;
struct report_changes *report_hh_take_changes(struct report_hh_rows *h);
const char *report_changes_of(const struct report_changes *ch, const char *village);
void report_changes_free(struct report_changes *ch);
void report_town_reader_close(struct report_ctx *c);
/* Copies of cs[0..ncs) on cs[0].reader, preparing their statements into
 * stmts, with no findings of their own; the caller frees the array (and
 * stmts, with report_stmts_free). */
struct report_ctx *report_reader_contexts(const struct report_ctx *cs, size_t ncs,
					  struct report_stmts *stmts);

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

/* CTE p: the village's problems with their state on :to (st, NULL when not
 * created yet) — their current state when the period reaches today (:cutoff
 * NULL) — and the local day they were opened. */
#define REPORT_PROBLEMS_CTE \
	"p AS (SELECT pr.*, CASE WHEN :cutoff IS NULL THEN pr.state ELSE" \
	" COALESCE((SELECT e.to_state FROM problem_events e WHERE e.problem_id = pr.id" \
	"  AND " REPORT_LOCAL_DATE("e.at") " <= :cutoff ORDER BY e.at DESC, e.rowid DESC" \
	"  LIMIT 1)," \
	"  CASE WHEN NOT EXISTS (SELECT 1 FROM problem_events e WHERE e.problem_id = pr.id)" \
	"  AND " REPORT_LOCAL_DATE("pr.created_at") " <= :cutoff THEN pr.state END) END AS st," \
	" COALESCE((SELECT min(" REPORT_LOCAL_DATE("e.at") ") FROM problem_events e" \
	"  WHERE e.problem_id = pr.id), " REPORT_LOCAL_DATE("pr.created_at") ") AS opened" \
	" FROM problems pr WHERE pr.village_code = :village)"

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
#define REPORT_L_UNDONE "C、D 级危房未改造"
#define REPORT_L_LOANS_LATE "其中已到期（笔）"
#define REPORT_L_STAFF "扶贫工作室专职人员（不含主任）"
#define REPORT_L_LEADERS "创业致富带头人"
#define REPORT_L_BASES "致富带头人培训基地"
#define REPORT_L_VISITS_MET "走访达到每月要求（户·月）"
#define REPORT_L_PROBLEMS_OPEN "问题未销号（期末，个）"
#define REPORT_L_REGISTERED "建档立卡户（期末，户）"
#define REPORT_L_MARGINAL "边缘户（户）"
#define REPORT_L_MARGINAL_HELPED "风险边缘户已落实帮扶（户）"
#define REPORT_L_EXITED "脱贫户（含脱贫监测，期末，户）"
#define REPORT_L_FELL_BACK "本期返贫（户）"

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

/* A libxlsxwriter error (an lxw_error) in Chinese, for "写 Excel 文件 … 失败：…"
 * (lxw_strerror speaks English): its file errors are the operating system's,
 * which errno still holds (os_error_text); others numbered in buf. */
const char *report_xlsx_error_text(int e, char *buf, size_t nbytes);

/* ---- the writers' shared layout ---- */

/* The widest cell of column col (its header included) in terminal columns,
 * figures formatted DISPLAY. */
size_t report_column_ncols(const struct report_section *sec, size_t col);

/* Whether a column holds figures (right-aligned, number formats). */
int report_is_figure(enum report_type type);

/* "示范村 扶贫专项整改报表": the report's title, malloc'd. */
char *report_title(const struct report *r);

#endif
