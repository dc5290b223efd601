/*
 * report.h — the report (报表) of a village for a period: the campaign's figures
 * as a list of sections, and the writers that put them into a spreadsheet
 * (.xlsx), CSV files or aligned plain text.
 *
 * A report is data. Each section is one table: a stable ASCII key
 * ("households"), a Chinese title (户数与变化), typed columns (text, whole
 * number, money, percentage, date) with Chinese headers, and rows of cells. The
 * queries of src/report/ compute the sections from a store; the writers take
 * the sections and know nothing of SQL, of the store or of what a section means.
 *
 * The period is from..to, both days included. A figure is one of three kinds,
 * and its header says which: "本期" counts what is dated within the period (a
 * household that exited, a loan issued, a step of a procedure); "期末" is the
 * state on `to` (records dated after it are not counted: a schooling status, a
 * housing assessment, a problem's state from its history); "期初" is the state on
 * the day before `from`. What the ledger dates only by when it was entered (a
 * four-list item, a problem's moves) counts as entered by the end of `to`, or
 * everything entered so far when the period reaches today (entry times come
 * from the clock, while today may be set by TAIZHANG_TODAY). Money is kept in 分 and shown in 元 with two decimals;
 * a percentage is kept as numerator and denominator, exactly, and shown with
 * one decimal.
 *
 * Town reports (report_build_town, in a town store). Every section is computed
 * for one village — the queries take the village's code (owner, village_code,
 * or through household_id to households.village_code), never "the store" — so a
 * town store holding every village builds the same sections once per village
 * (report_build_village with options.village builds exactly the report that
 * village builds of itself). The first nkeys columns of a section name its rows
 * (户状态; 任务 and 指标), the rest are that village's figures: a town report
 * joins the villages' sections on those key columns and puts each village's
 * figures side by side, one group of columns per village after a group for the
 * town (合计: sums, and rates of summed numerators and denominators). That is
 * why column titles are owned by the section, not static: a town section's are
 * "合计 户数", "示范村 户数", "李庄村 户数", ... A section whose rows are the
 * village's own people (visits, per cadre) or a list (nkeys == 0: overdue
 * problems) is stacked instead, with the village as its first column. Beyond
 * the villages' sections, a town report has one line per task of the 19 (its
 * lead and participating units, problems open and closed, indicators met) and
 * one section per lead unit with only its tasks' figures.
 *
 * Bars (report_charts): the rates the report screen draws as bars — problems
 * closed off and visits that met the monthly rule — per cadre (责任人, 帮扶责任人)
 * in a village report, per village in a town report.
 *
 * Deliberately not here: printing to the terminal, option parsing
 * (src/cli/cmd_report.c), and any judgement beyond the policy table's numbers.
 */
#ifndef TAIZHANG_REPORT_H
#define TAIZHANG_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "taizhang/date.h"
#include "taizhang/error.h"
#include "taizhang/store.h"

enum report_type {
	REPORT_TEXT,    /* a string */
	REPORT_INT,     /* a whole number */
	REPORT_MONEY,   /* 分, shown as 元 with two decimals */
	REPORT_PERCENT, /* num / den, shown as a percentage with one decimal */
	REPORT_DATE,    /* YYYY-MM-DD */
};

struct report_column {
	char *title; /* Chinese header (malloc'd) */
	enum report_type type;
};

/* One cell. Which members count depends on its column's type. */
struct report_cell {
	int empty;     /* no value (a figure that does not apply): shown as nothing */
	long long num; /* INT: the number; MONEY: 分; PERCENT: the numerator */
	long long den; /* PERCENT: the denominator, > 0 (a zero one makes the cell empty) */
	char *text;    /* TEXT, DATE: malloc'd, never NULL unless empty */
};

enum report_section_flags {
	/* Label/value pairs (the cover), not a list: no filter in a spreadsheet,
	 * "label：value" lines in text. */
	REPORT_SECTION_FORM = 1 << 0,
	/* The last row is the total of the rows above it (合计): kept out of a
	 * spreadsheet's filter and sort range, set apart in text. */
	REPORT_SECTION_TOTAL = 1 << 1,
	/* Printed on a page of its own (the sign-off page): a form feed before it
	 * in text. */
	REPORT_SECTION_PAGE = 1 << 2,
};

struct report_section {
	const char *key;               /* stable ASCII: "summary", "households", ... */
	char *title;                   /* Chinese, at most 31 characters (a sheet name) */
	struct report_column *columns; /* ncolumns of them */
	size_t ncolumns;
	size_t nkeys;                  /* the first nkeys columns name a row; 0: a list */
	struct report_cell *cells;     /* nrows * ncolumns, row after row */
	size_t nrows;
	size_t cap_rows;               /* allocated rows (internal) */
	char *note;                    /* how the figures are counted, or NULL */
	unsigned flags;                /* enum report_section_flags */
	/* Town reports: the columns after the nkeys key columns come in groups of
	 * this many, 合计 first, then one per village (struct report's villages,
	 * in order); 0: not grouped. */
	size_t group_ncolumns;
	char *key_owned;               /* internal: the storage of a key made at run time */
};

#define REPORT_CODE_NCHARS 12
#define REPORT_STAMP_NCHARS 19 /* YYYY-MM-DD HH:MM:SS */

/* A village of a town report. */
struct report_village {
	char code[REPORT_CODE_NCHARS + 1];
	char *name;
};

struct report {
	int town;                                   /* a town report (report_build_town) */
	char village_code[REPORT_CODE_NCHARS + 1];  /* the village's; a town report: the town's */
	char *village_name;                         /* likewise */
	char from[DATE_NCHARS + 1], to[DATE_NCHARS + 1];
	char generated_at[REPORT_STAMP_NCHARS + 1]; /* local time */
	struct report_section *sections;            /* the cover first, then the summary */
	size_t nsections;
	struct report_village *villages;            /* a town report: its villages, in the */
	size_t nvillages;                           /* order of their column groups */
};

struct report_options {
	const char *from;         /* first day; NULL: 1 January of to's year */
	const char *to;           /* last day; NULL: date_today() */
	const char *generated_at; /* the stamp shown as the generation time, as given;
				     NULL: now, local time. Tests fix it. */
	const char *village;      /* report_build_village: the village's code; NULL: the
				     store's own (a village store). A town store needs it.
				     report_build: NULL in a town store builds the town report. */
	int one_thread;           /* a town report: its checks, passes and sections on the
				     caller's thread alone (0: on two connections at once
				     where the machine has two cores). The same report
				     either way; tests compare them. */
};

/* Build the report of one village for the period of o (NULL: defaults): the
 * store's own village (a village store), or o->village (a village store: its
 * own code only; a town store: a village in its villages table). Dates may be
 * written as an officer types them (date.h, date_parse_loose). Everything is
 * read in one read transaction, so the figures agree with each other, unless
 * the caller already has one open. Sections, in order: cover, summary,
 * households, changes, members, procedures, four-lists, sectors, visits,
 * staffing, problems, overdue, findings, deadlines. The findings are the
 * precision checks as the store runs them (rules.h): in a town store they also
 * see what only shows between villages (one ID number in two villages).
 * Returns TZ_OK; TZ_EUSAGE when a date is not one or from is after to; TZ_EFAIL
 * when the village is not one the store may report on (a town store without
 * o->village, a village it does not know), a policy number the report needs is
 * missing from the policy table, or reading fails; TZ_EDAMAGED. Free *out with
 * report_free (also after a failure). */
int report_build_village(struct store *s, const struct report_options *o, struct report *out,
			 struct tz_error *err);

/* Build the township report of the town store s for the period of o
 * (o->village ignored): every village of its villages table (by code), each
 * built as report_build_village builds it, in one read transaction, the precision
 * checks run once for all. Sections, in order: cover (the town, its villages),
 * summary, tasks (one line per task of the 19), the villages' sections side by
 * side as the header says (households ... findings; visits and overdue
 * stacked), one section per lead unit ("unit-" and the unit's code: its tasks'
 * problems and indicators, per village), deadlines. Returns as
 * report_build_village, and TZ_EFAIL when s is not a town store or its villages
 * table is empty. Free *out with report_free. */
int report_build_town(struct store *s, const struct report_options *o, struct report *out,
		      struct tz_error *err);

/* What `taizhang report` builds: a village store's own report; in a town store
 * the report of o->village when given, else the township report. Returns as
 * those. */
int report_build(struct store *s, const struct report_options *o, struct report *out,
		 struct tz_error *err);

/* Free everything r holds and zero it; a zeroed report is fine. */
void report_free(struct report *r);

/* The section with this key, or NULL. */
const struct report_section *report_find(const struct report *r, const char *key);

/* The cell at row, col of sec (both in range). */
const struct report_cell *report_at(const struct report_section *sec, size_t row, size_t col);

/* ---- bars ---- */

/* One bar: a rate num / den (den 0: nothing to rate, drawn as such). */
struct report_bar {
	char *label;        /* a person's or a village's name */
	long long num, den;
};

struct report_chart {
	const char *title;  /* "问题销号率（按村）" */
	const char *unit;   /* what num and den count: "个", "户·月" */
	struct report_bar *bars;
	size_t nbars;
};

struct report_charts {
	struct report_chart closed;  /* problems closed off of those there on `to` */
	struct report_chart visits;  /* visits meeting the monthly rule, of those due */
};

/* The bars of report r (built from s, for its period): in a town report one bar
 * per village (in r's order) of both rates, from r's summary; in a village
 * report, problems by their responsible person (责任人, as entered, in their
 * state on `to` as the problems section counts them) and visits by cadre (his
 * rows of r's visits section added up), each sorted by name. Returns TZ_OK or
 * TZ_EFAIL when reading fails. Free *out with report_charts_free (also after a
 * failure). */
int report_charts(struct store *s, const struct report *r, struct report_charts *out,
		  struct tz_error *err);
void report_charts_free(struct report_charts *c);

/* How a figure is written. DISPLAY: for people (thousands separators in money:
 * "12,345.67"); PLAIN: for programs (CSV: "12345.67"). Both write percentages
 * "95.7%", dates YYYY-MM-DD, and an empty cell as "". */
enum report_style { REPORT_STYLE_DISPLAY, REPORT_STYLE_PLAIN };

#define REPORT_NUMBER_NBYTES 40

/* The text of cell c of a column of type type: a TEXT or DATE cell's own text,
 * or the figure formatted into buf. Valid while both c and buf are. */
const char *report_cell_text(enum report_type type, const struct report_cell *c,
			     enum report_style style, char buf[REPORT_NUMBER_NBYTES]);

/* ---- writers ----
 *
 * Every writer that makes files writes each to FILE.part beside it, flushes it
 * to disk and renames it over FILE, so a failure never leaves a half-written
 * report under the name asked for (an existing file of that name is replaced);
 * files are created readable by their owner only (0600): the report is
 * personal data taken out of the encrypted store.
 */

enum report_format { REPORT_FORMAT_NONE, REPORT_FORMAT_XLSX, REPORT_FORMAT_CSV, REPORT_FORMAT_TEXT };

/* The format a path asks for: "-" and *.txt text, *.csv CSV, *.xlsx a
 * spreadsheet (extensions in any case); REPORT_FORMAT_NONE otherwise. */
enum report_format report_format_of(const char *path);

/* Write r to path in the format its name asks for ("-": text on stdout).
 * Returns TZ_OK; TZ_EUSAGE for a name of no known format; TZ_EFAIL when
 * writing fails (nothing is left under the name asked for; for CSV see
 * report_write_csv). */
int report_write(const struct report *r, const char *path, struct tz_error *err);

/* The aligned plain-text report, for printing: a heading with the cover's
 * lines, then each section as "【title】" and a table whose every column is as
 * wide (in terminal columns, utf8.h: CJK characters count two) on every line;
 * text is left-aligned and wrapped at REPORT_TEXT_MAX_NCOLS columns, figures
 * right-aligned; the section's note follows ("注：..."). Returns TZ_OK, or
 * TZ_EFAIL when out fails. */
#define REPORT_TEXT_MAX_NCOLS 30
/* A table whose figures come in groups (a town report) and that would be wider
 * than this is printed in parts, each with the key columns and as many whole
 * groups as fit, every part after the first headed "【title（续）】". */
#define REPORT_TEXT_PAGE_NCOLS 160
int report_write_text(const struct report *r, FILE *out, struct tz_error *err);

/* One section as report_write_text prints it ("【title】", the table or a
 * form's lines, the note), without the report's heading: for a screen that
 * shows one section at a time. Returns TZ_OK, or TZ_EFAIL when out fails. */
int report_write_section_text(const struct report_section *sec, FILE *out, struct tz_error *err);

/* CSV (RFC 4180, UTF-8 with a byte-order mark so that Excel reads it as
 * UTF-8, CRLF line ends): the summary to path, every other section, the cover
 * included, to a sibling named by report_csv_path. Each file is one header row
 * and the section's rows, figures PLAIN. All files are written as .part first
 * and renamed only when all were written. Returns TZ_OK or TZ_EFAIL. */
int report_write_csv(const struct report *r, const char *path, struct tz_error *err);

/* The file a section other than the summary goes to: "dir/r.csv" and key
 * "four-lists" give "dir/r-four-lists.csv". Returns TZ_OK, TZ_EFAIL when path
 * does not end in .csv or out (cap bytes) is too small. */
int report_csv_path(const char *path, const char *key, char *out, size_t cap,
		    struct tz_error *err);

/* An .xlsx workbook written with libxlsxwriter: a cover sheet (title, the
 * cover's lines, and a list of the sheets linking to them), then one sheet per
 * section named by its title: the title and period in row 1, the Chinese headers
 * in row 2 (both frozen, and repeated on every printed page), an autofilter
 * over the headers and rows, real numbers with number formats (money
 * #,##0.00, percentages 0.0%, dates yyyy-mm-dd), and every column as wide as
 * its widest cell in terminal columns (CJK characters count two), within limits.
 * Temporary files go beside path, never to /tmp. Returns TZ_OK or TZ_EFAIL. */
int report_write_xlsx(const struct report *r, const char *path, struct tz_error *err);

#endif
