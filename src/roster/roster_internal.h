/*
 * roster_internal.h — what the files of the roster importer share (not a
 * public header; the public one is include/taizhang/roster.h).
 *
 * The roster layer brings spreadsheets in: the bulk load of registered
 * households, the civil-affairs 低保 roster, their comparison, and the town's
 * dispatch of that comparison. It is not part of the model: it checks and
 * writes rows through the model's public functions (model.h, problem.h) and
 * the store's (store.h), reads CSV with the util layer's reader (csv.h,
 * textenc.h), and never calls the tui or the commands, which print what it
 * reports.
 *
 *   roster_sheet.c       a file's bytes to a sheet of cells by column: the
 *                        file, its encoding, CSV, each cell as its column wants;
 *   roster_header.c      finding the header row and mapping its cells to
 *                        columns (names, synonyms, duplicates, ignored cells);
 *   roster_households.c  `import households`: rows grouped into households,
 *                        checked through the model, written with record_insert;
 *   roster_dibao.c       `roster import dibao`: the 低保 roster replaced;
 *   roster_dibao_rows.c  its rows: heads filled in, villages assigned;
 *   roster_diff.c        a new 低保 roster against the one it replaces;
 *   roster_report.c      the report of bad rows ("第 N 行：...", in line order);
 *   roster_compare.c     the comparison of the two, household by household;
 *   roster_counts.c      the same comparison's counts alone (for reports);
 *   dibao_dispatch.c     the town's comparison sent to the villages as problems;
 *
 * Deliberately not here: printing (the commands), and updating households that
 * already exist — the bulk load is for a new store; changes go through the
 * ledger's own screens and commands.
 */
#ifndef TAIZHANG_ROSTER_INTERNAL_H
#define TAIZHANG_ROSTER_INTERNAL_H

#include <stddef.h>

#include "taizhang/csv.h"
#include "taizhang/error.h"
#include "taizhang/idcard.h"
#include "taizhang/ids.h"
#include "taizhang/roster.h"
#include "taizhang/store.h"
#include "taizhang/xalloc.h"

#define MAX_NAMES 8
#define MAX_COLUMNS 20

/* Memory: the util layer's xalloc.h (running out ends the program, so reading
 * a sheet of many thousand cells need not check every copy). */

/* ---- roster_report.c: bad rows, sorted by line when done ---- */

/* qsort, except that an empty array may be NULL (qsort's may not). */
void roster_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

struct bad_row {
	size_t line;
	size_t seq; /* order of finding, for a stable sort */
	char *msg;
};

/* Zero it before the first use. */
struct bad_rows {
	struct bad_row *items;
	size_t n, cap;
};

void roster_bad_row_add(struct bad_rows *p, size_t line, const char *msg);
void roster_bad_row_addf(struct bad_rows *p, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Move the bad rows, sorted and prefixed with their line, into rep->problems
 * (p is empty afterwards). */
void roster_bad_rows_to_report(struct bad_rows *p, struct roster_report *rep);
void roster_bad_rows_free(struct bad_rows *p);
/* The message for a refused file, after the bad rows went to rep: returns
 * TZ_EFAIL with err set. */
int roster_refused(struct roster_report *rep, struct tz_error *err);

/* An ID number and the line it is on, to find the same number twice. */
struct seen_id {
	char key[IDCARD_NCHARS + 8];
	size_t line;
	size_t seq;
};

/* Order by key, then by seq (the order of finding). */
int roster_seen_id_cmp(const void *a, const void *b);
/* Report every ID number that appears more than once in ids (n of them, sorted
 * here), at each later line, naming the first; label names the column. */
void roster_report_repeated_ids(struct seen_id *ids, size_t n, struct bad_rows *probs,
				const char *label);

/* ---- roster_sheet.c and roster_header.c: a file as a sheet ---- */

enum column_flags {
	COL_REQUIRED = 1 << 0,
	COL_FOLD = 1 << 1,       /* fold full-width characters (numbers, IDs, dates) */
	COL_YEAR_MONTH = 1 << 2, /* a year and month means the 1st of the month */
	COL_RELATION = 1 << 3,   /* map the wordings of relation_aliases */
	COL_ID = 1 << 4,         /* an ID number: a row without any is maybe a 合计 row */
};

struct column {
	const char *names[MAX_NAMES]; /* the first is the column's name in messages */
	unsigned flags;               /* enum column_flags */
	const char *field;            /* the model column it fills */
};

/* A table of rows, each cell indexed like the columns; NULL = empty. */
struct row {
	size_t line;
	char *cells[MAX_COLUMNS];
};

struct sheet {
	const struct column *cols;
	size_t ncols;
	struct row *rows;
	size_t nrows, rows_cap;
	/* Set by the import before reading (zero: none). The header must name
	 * every column of one of alternatives (bit c: column c); none: every
	 * COL_REQUIRED column. map: header cells named by the user first;
	 * mappable: the refusal tells how to map (--column). */
	const unsigned *alternatives;
	size_t nalternatives;
	const struct roster_column_map *map;
	size_t nmap;
	int mappable;
	/* Found while reading: the columns the header names (bit c); the title
	 * above the header (non-empty cells of the first non-blank record before
	 * it, joined; NULL: none); rows skipped below the data (合计, notes). */
	unsigned present;
	int no_header; /* refused: no record named the required columns */
	char *title;
	size_t skipped;
};

/* Rows a roster may have: more is refused before checking any. */
#define ROSTER_MAX_ROWS 500000u

/* Convert, parse and map data into sh (sh->cols and sh->ncols set, no rows
 * yet): rows of cells by column. File-level problems (encoding, CSV syntax,
 * header) return TZ_EFAIL in err; bad rows the sheet can already see (cells
 * beyond the header) go to probs. rep gets the encoding, the row count and the
 * ignored header cells. Free sh with roster_sheet_free (also after a failure). */
int roster_read_sheet(const char *data, size_t nbytes, struct sheet *sh,
		      struct roster_report *rep, struct bad_rows *probs, struct tz_error *err);
void roster_sheet_free(struct sheet *sh);

/* Read records of r up to the header: the first of the first
 * HEADER_SEARCH_RECORDS non-blank records naming every required column of sh.
 * map[i] is then the column of header cell i (-1: none), *line the header's
 * line, *nfields its number of cells; *ignored_columns the non-empty cells
 * that name no column ("序号、备注", caller frees; NULL: none), set also on
 * failure; sh->title the title above it. TZ_EFAIL with err saying which
 * columns are missing (and the cells found), or which column is named twice. */
int roster_header_read(struct csv_reader *r, struct sheet *sh, int map[CSV_MAX_FIELDS],
		       size_t *line, size_t *nfields, char **ignored_columns, struct tz_error *err);
/* Whether every cell of rec is empty or spaces. */
int roster_record_blank(const struct csv_record *rec);
/* The column of cols the header cell (or column name) text names, with the
 * user's mappings of sh first; -1: none. */
int roster_column_of(const struct sheet *sh, const char *text);

/* ---- roster_dibao.c and roster_dibao_rows.c: the 低保 roster's rows ---- */

enum dcol { DC_HEAD_NAME, DC_HEAD_IDCARD, DC_NAME, DC_IDCARD, DC_RELATION, DC_SIZE,
	    DC_COVERED, DC_MONTHLY, DC_VILLAGE, DC_VILLAGE_CODE, DC_COUNT };

/* One checked row: values in stored form (NULL: empty); bad: the columns
 * (bit c) already reported; village: the roster_village to store (NULL: the
 * row says nothing, "": another place's, else a village code). */
struct dibao_row {
	size_t line;
	char *v[DC_COUNT];
	unsigned bad;
	char *village;
};

/* Fill in what the layout leaves out: a household row's person is its 户主
 * (and its 保障人数, when not given, its 家庭人口);
 * a person row without 户主 columns belongs to the 户主 above it (the row
 * whose relation is 户主/本人, or whose 姓名 is the 户主姓名 cell). present:
 * the columns the header has (bit c). Rows still lacking a 户主 or a person
 * are bad rows. */
void dibao_fill_heads(struct dibao_row *rows, size_t n, unsigned present, struct bad_rows *probs);

/* Assign each row a village of s (dibao_row.village) from its 村代码 or 村
 * name; *outside: households (by 户主) whose rows fell to no village of s (at
 * a village store, only those naming another village). A 村代码 that is not
 * 12 digits is a bad row. */
int dibao_assign_villages(struct store *s, struct dibao_row *rows, size_t n, size_t *outside,
			  struct bad_rows *probs, struct tz_error *err);

/* ---- roster_diff.c: a new 低保 roster against the one it replaces ---- */

/* A row of a 低保 roster as the difference reads it (the strings are the
 * caller's; the keys are filled in here). covered, cents: -1 when not given. */
struct roster_diff_row {
	const char *head_name, *head_idcard, *name, *idcard;
	long long covered, cents;
	char head_key[IDCARD_NCHARS + 8], key[IDCARD_NCHARS + 8];
};

/* Households (distinct 户主身份证号) and 保障人数 of rows, as the difference
 * counts them (rows reordered here). */
struct roster_diff_totals {
	size_t households, persons;
};
void roster_diff_totals(struct roster_diff_row *rows, size_t nrows, struct roster_diff_totals *t);

/* The difference of rows (nrows, reordered here) from owner's last 低保 import
 * in s: *out (free with roster_diff_free), NULL when owner has none. */
int roster_diff_against(struct store *s, const char *owner, struct roster_diff_row *rows,
			size_t nrows, struct roster_diff **out, struct tz_error *err);

/* ---- roster_compare.c: shared with roster_counts.c ---- */

/* Column col of the row st is on, as text ("" for NULL). */
const char *roster_col_text(sqlite3_stmt *st, int col);
/* The 低保 rows a village is compared with: one import's rows, of one
 * village (roster_village), and those saying nothing when the import is the
 * village's own. */
struct dibao_source {
	char import_id[IDS_NCHARS + 1];
	char *imported_at, *file_name; /* malloc'd */
	char village[16];              /* "": every row of the import */
	int own;                       /* rows with roster_village NULL count too */
	int county;                    /* the town's own (county) roster */
};

/* The roster village is compared with (see roster_compare_dibao_village; at a
 * village store village may be NULL: its own). TZ_EFAIL when there is none. */
int roster_dibao_source(struct store *s, const char *village, struct dibao_source *src,
			struct tz_error *err);
void roster_dibao_source_free(struct dibao_source *src);
/* TZ_EFAIL: no 低保 roster has been imported (and how to import one). */
int roster_no_roster(struct tz_error *err);
/* A town's comparison of many villages: when its rosters were imported (the
 * newest) and from which file (the county roster's, else "各村导入的低保名册"),
 * with src, one village's, noted. */
void roster_source_note(const struct dibao_source *src, char **imported_at, char **file_name);
/* The WHERE clause of a source's rows in dibao_roster (parameters ?1 import,
 * ?2 village or NULL, ?3 own), and binding them to st. Written as three index
 * searches, of which only those whose constant condition holds run: as one OR,
 * SQLite read every row of the import for each village, so comparing a town's
 * villages with a county's roster read the whole roster once per village. */
#define DIBAO_SOURCE_WHERE \
	" rowid IN (SELECT rowid FROM dibao_roster WHERE import_id = ?1 AND ?2 IS NULL" \
	" UNION ALL SELECT rowid FROM dibao_roster WHERE import_id = ?1 AND roster_village = ?2" \
	" UNION ALL SELECT rowid FROM dibao_roster WHERE ?3 AND ?2 IS NOT NULL AND import_id = ?1" \
	" AND roster_village IS NULL)"
void roster_dibao_source_bind(sqlite3_stmt *st, const struct dibao_source *src);

/* The villages of a town store, in order of code (code, then name, strings
 * malloc'd into *codes and *names, n of them; free with
 * roster_town_villages_free). */
int roster_town_villages(struct store *s, char ***codes, char ***names, size_t *n,
			 struct tz_error *err);
void roster_town_villages_free(char **codes, char **names, size_t n);

/* What a comparison does with one village: village is its code (NULL at a
 * village store comparing all of itself), name its name at a town's
 * comparison of every village (else NULL), src the roster it is compared with
 * (NULL at a town for a village that has none, listed without figures). */
typedef int roster_village_fn(struct store *s, const char *village, const char *name,
			      const struct dibao_source *src, void *ctx, struct tz_error *err);
/* The walk the comparison and its counts share: for village (see
 * roster_compare_dibao_village), fn once with its roster, whose import time
 * and file go to *imported_at and *file_name (malloc'd); at a town with
 * village NULL, fn for every village in order of code, the rosters noted by
 * roster_source_note. Stops at the first failure of fn. TZ_EFAIL when there
 * is no roster (at a town: no village has one). */
int roster_compare_each(struct store *s, const char *village, roster_village_fn *fn, void *ctx,
			char **imported_at, char **file_name, struct tz_error *err);
/* The ledger's "records 低保 now" of household h (an SQL expression over the
 * households row h, with ?9 today). */
#define LEDGER_DIBAO_SQL \
	"EXISTS (SELECT 1 FROM social_security ss WHERE ss.household_id = h.id" \
	" AND ss.kind = 'dibao' AND ss.start_on <= ?9 AND (ss.end_on IS NULL OR ss.end_on >= ?9))"
/* Households of the town's own (county) roster assigned to no village. */
size_t roster_unassigned(struct store *s);

#endif
