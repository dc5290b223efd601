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
};

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
 * failure. TZ_EFAIL with err saying which columns are missing, or which column
 * is named twice. */
int roster_header_read(struct csv_reader *r, const struct sheet *sh, int map[CSV_MAX_FIELDS],
		       size_t *line, size_t *nfields, char **ignored_columns, struct tz_error *err);
/* Whether every cell of rec is empty or spaces. */
int roster_record_blank(const struct csv_record *rec);

/* ---- roster_compare.c: shared with roster_counts.c ---- */

/* Column col of the row st is on, as text ("" for NULL). */
const char *roster_col_text(sqlite3_stmt *st, int col);
/* The 低保 roster village imported last (NULL: the store's last) that has rows:
 * its id into import_id, and when and from which file (malloc'd). TZ_EFAIL when
 * there is none. */
int roster_last_dibao_import(struct store *s, const char *village,
			     char import_id[IDS_NCHARS + 1], char **imported_at, char **file_name,
			     struct tz_error *err);

#endif
