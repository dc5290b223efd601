/*
 * roster_header.c — finding a roster's header row and mapping its cells to the
 * import's columns.
 *
 * The header is the first record that names every required column; up to
 * HEADER_SEARCH_RECORDS records above it (a title row such as
 * "某某村建档立卡户花名册") are skipped. Header cells are compared after
 * folding full-width characters ("（元）" = "(元)"), dropping spaces, a leading
 * "*" and a trailing ":"; each column has synonyms (the column tables of
 * roster_households.c and roster_dibao.c). A column named twice refuses the
 * file; cells naming no column are ignored and listed in the report. When no
 * record qualifies, the message names what the best candidate lacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/textenc.h"

#include "roster_internal.h"

#define HEADER_SEARCH_RECORDS 10

/* A header cell or column name as compared: full-width folded, spaces removed,
 * a leading '*' and a trailing ':' dropped. Into out (cap bytes). */
static void header_key(const char *text, char *out, size_t cap)
{
	char *t = xstrdup(text);
	textenc_fold_ascii(t);
	size_t w = 0;
	const char *p = t;
	while (*p == '*')
		p++;
	for (; *p && w + 1 < cap; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			out[w++] = *p;
	while (w > 0 && out[w - 1] == ':')
		w--;
	out[w] = '\0';
	free(t);
}

/* The column a header cell names, or -1. */
static int column_of(const struct column *cols, size_t ncols, const char *cell)
{
	char key[256], name[256];
	header_key(cell, key, sizeof key);
	if (key[0] == '\0')
		return -1;
	for (size_t c = 0; c < ncols; c++)
		for (size_t k = 0; k < MAX_NAMES && cols[c].names[k]; k++) {
			header_key(cols[c].names[k], name, sizeof name);
			if (strcmp(key, name) == 0)
				return (int)c;
		}
	return -1;
}

/* How many of the required columns record names, and whether all. */
static size_t required_found(const struct column *cols, size_t ncols,
			     const struct csv_record *rec, int *all)
{
	int seen[MAX_COLUMNS] = { 0 };
	for (size_t i = 0; i < rec->nfields; i++) {
		int c = column_of(cols, ncols, rec->fields[i]);
		if (c >= 0)
			seen[c] = 1;
	}
	size_t n = 0;
	*all = 1;
	for (size_t c = 0; c < ncols; c++) {
		if (!(cols[c].flags & COL_REQUIRED))
			continue;
		if (seen[c])
			n++;
		else
			*all = 0;
	}
	return n;
}

/* Whether every cell of rec is empty or spaces. */
int roster_record_blank(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		char *t = xstrdup(rec->fields[i]);
		int empty = textenc_trim(t)[0] == '\0';
		free(t);
		if (!empty)
			return 0;
	}
	return 1;
}

int roster_header_read(struct csv_reader *r, const struct sheet *sh, int map[CSV_MAX_FIELDS],
		       size_t *line, size_t *nfields, char **ignored_columns, struct tz_error *err)
{
	struct csv_record rec;
	int more = 0;
	int rc = TZ_OK;

	/* Find the header among the first records. */
	size_t header_nfields = 0, header_line = 0;
	size_t best = 0, best_line = 0, seen = 0;
	char *best_missing = NULL;
	int found = 0;
	while (rc == TZ_OK && !found && seen < HEADER_SEARCH_RECORDS &&
	       (rc = csv_next(r, &rec, &more, err)) == TZ_OK && more) {
		if (roster_record_blank(&rec))
			continue;
		seen++;
		int all;
		size_t n = required_found(sh->cols, sh->ncols, &rec, &all);
		if (all) {
			found = 1;
			header_line = rec.line;
			header_nfields = rec.nfields;
			break;
		}
		if (n > best || best_missing == NULL) {
			/* Remember what the best candidate lacks, for the message. */
			int present[MAX_COLUMNS] = { 0 };
			for (size_t i = 0; i < rec.nfields; i++) {
				int c = column_of(sh->cols, sh->ncols, rec.fields[i]);
				if (c >= 0)
					present[c] = 1;
			}
			free(best_missing);
			best_missing = xstrdup("");
			for (size_t c = 0; c < sh->ncols; c++) {
				if (!(sh->cols[c].flags & COL_REQUIRED) || present[c])
					continue;
				char *joined = xasprintf("%s%s%s", best_missing,
						       best_missing[0] ? "、" : "", sh->cols[c].names[0]);
				free(best_missing);
				best_missing = joined;
			}
			best = n;
			best_line = rec.line;
		}
	}
	if (rc == TZ_OK && !found) {
		if (best_missing == NULL)
			rc = tz_error_set(err, TZ_EFAIL, "文件是空的，没有表头也没有数据");
		else
			rc = tz_error_set(err, TZ_EFAIL,
					  "找不到表头：表格缺少必需的列 %s（按第 %zu 行的表头看）；"
					  "请检查列名是否写对，或是否选错了文件",
					  best_missing, best_line);
	}
	free(best_missing);

	/* Map the header's cells to columns. */
	char *ignored = NULL;
	if (rc == TZ_OK) {
		size_t first_cell[MAX_COLUMNS] = { 0 };
		int have[MAX_COLUMNS] = { 0 };
		for (size_t i = 0; i < rec.nfields && rc == TZ_OK; i++) {
			int c = column_of(sh->cols, sh->ncols, rec.fields[i]);
			map[i] = c;
			if (c < 0) {
				char *cell = xstrdup(rec.fields[i]);
				if (textenc_trim(cell)[0] != '\0') {
					char *joined = xasprintf("%s%s%s", ignored ? ignored : "",
							       ignored ? "、" : "", cell);
					free(ignored);
					ignored = joined;
				}
				free(cell);
				continue;
			}
			if (have[c])
				rc = tz_error_set(err, TZ_EFAIL,
						  "第 %zu 行：表头第 %zu 列“%s”和第 %zu 列“%s”都是%s，"
						  "只能保留一列",
						  header_line, first_cell[c] + 1, rec.fields[first_cell[c]],
						  i + 1, rec.fields[i], sh->cols[c].names[0]);
			have[c] = 1;
			first_cell[c] = i;
		}
	}
	*ignored_columns = ignored;
	*line = header_line;
	*nfields = header_nfields;
	return rc;
}
