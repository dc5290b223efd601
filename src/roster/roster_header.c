/*
 * roster_header.c — finding a roster's header row and mapping its cells to the
 * import's columns.
 *
 * The header is the first record that names every required column (or every
 * column of one of the sheet's alternatives: a 低保 roster has one row per
 * person or one per household); up to HEADER_SEARCH_RECORDS records above it
 * (a title row such as "XX县2019年4月农村低保花名册", notes) are skipped, the
 * first of them kept as the sheet's title. Header cells are compared after
 * folding full-width characters ("（元）" = "(元)"), dropping spaces, a leading
 * "*" and a trailing ":"; the user's mappings ("身份证号=证件号码") come first,
 * then each column's synonyms (the column tables of roster_households.c and
 * roster_dibao.c). A column named twice refuses the file; cells naming no
 * column are ignored and listed in the report. When no record qualifies, the
 * message names what the best candidate lacks and the cells it has, and how to
 * map them. Header text is hostile: it reaches messages through text_sanitize.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/text_hygiene.h"
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

/* The column one of whose names is key (header_key'd), or -1. */
static int named_column(const struct sheet *sh, const char *key)
{
	char name[256];
	for (size_t c = 0; c < sh->ncols; c++)
		for (size_t n = 0; n < MAX_NAMES && sh->cols[c].names[n]; n++) {
			header_key(sh->cols[c].names[n], name, sizeof name);
			if (strcmp(key, name) == 0)
				return (int)c;
		}
	return -1;
}

/* The column of the mapping whose header cell is key (header_key'd), or -1. */
static int mapped_column(const struct sheet *sh, const char *key)
{
	char k[256];
	for (size_t m = 0; m < sh->nmap; m++) {
		header_key(sh->map[m].header, k, sizeof k);
		if (strcmp(k, key) != 0)
			continue;
		header_key(sh->map[m].column, k, sizeof k);
		int c = named_column(sh, k);
		if (c >= 0)
			return c;
	}
	return -1;
}

int roster_column_of(const struct sheet *sh, const char *cell)
{
	char key[256], name[256];
	header_key(cell, key, sizeof key);
	if (key[0] == '\0')
		return -1;
	int c = mapped_column(sh, key);
	if (c >= 0)
		return c;
	for (size_t k = 0; k < sh->nmap; k++) {
		/* A cell mapped to something else no longer names its default. */
		header_key(sh->map[k].header, name, sizeof name);
		if (strcmp(key, name) == 0)
			return -1;
	}
	return named_column(sh, key);
}

/* The columns a header must name, as alternatives (bit c: column c). */
static size_t required_sets(const struct sheet *sh, unsigned sets[8])
{
	if (sh->nalternatives > 0) {
		size_t n = sh->nalternatives < 8 ? sh->nalternatives : 8;
		memcpy(sets, sh->alternatives, n * sizeof *sets);
		return n;
	}
	sets[0] = 0;
	for (size_t c = 0; c < sh->ncols; c++)
		if (sh->cols[c].flags & COL_REQUIRED)
			sets[0] |= 1u << c;
	return 1;
}

static size_t bits(unsigned x)
{
	size_t n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

/* The columns record names (bit c: column c). */
static unsigned columns_named(const struct sheet *sh, const struct csv_record *rec)
{
	unsigned seen = 0;
	for (size_t i = 0; i < rec->nfields; i++) {
		int c = roster_column_of(sh, rec->fields[i]);
		if (c >= 0)
			seen |= 1u << c;
	}
	return seen;
}

/* How many columns of the closest alternative record names; *all whether all
 * of one; *missing the columns that alternative lacks. */
static size_t required_found(const struct sheet *sh, const struct csv_record *rec, int *all,
			     unsigned *missing)
{
	unsigned sets[8];
	size_t nsets = required_sets(sh, sets);
	unsigned seen = columns_named(sh, rec);
	size_t best = 0;
	*all = 0;
	*missing = sets[0];
	for (size_t i = 0; i < nsets; i++) {
		size_t n = bits(sets[i] & seen);
		if ((sets[i] & ~seen) == 0) {
			*all = 1;
			*missing = 0;
			return n;
		}
		if (n > best || i == 0) {
			best = n;
			*missing = sets[i] & ~seen;
		}
	}
	return best;
}

/* The non-empty cells of rec, sanitized, joined with "、" (malloc'd; "" none). */
static char *cells_joined(const struct csv_record *rec, size_t max)
{
	char *out = xstrdup("");
	size_t n = 0;
	for (size_t i = 0; i < rec->nfields && n < max; i++) {
		char *cell = text_sanitize(rec->fields[i], 0);
		if (textenc_trim(cell)[0] != '\0') {
			char *joined = xasprintf("%s%s“%s”", out, n ? "、" : "", cell);
			free(out);
			out = joined;
			n++;
		}
		free(cell);
	}
	return out;
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

/* The names of the columns in set, "姓名、身份证号" (malloc'd). */
static char *column_names(const struct sheet *sh, unsigned set)
{
	char *out = xstrdup("");
	for (size_t c = 0; c < sh->ncols; c++) {
		if (!(set & (1u << c)))
			continue;
		char *joined = xasprintf("%s%s%s", out, out[0] ? "、" : "", sh->cols[c].names[0]);
		free(out);
		out = joined;
	}
	return out;
}

/* The refusal when no record is a header: what the best candidate (its line,
 * missing columns, cells) lacks, and how to map. */
static int no_header(const struct sheet *sh, size_t line, unsigned missing, const char *cells,
		     struct tz_error *err)
{
	char *names = column_names(sh, missing);
	char *how = NULL;
	if (sh->mappable) {
		unsigned first = missing & (~missing + 1);
		char *one = column_names(sh, first);
		how = xasprintf("如果表里有这些列，只是列名不同，请指出哪一列是哪一列：命令行加 "
				"--column %s=表里的列名（可以写多次），界面上在“列名对应”里填写同样的内容",
				one);
		free(one);
	} else {
		how = xstrdup("请检查列名是否写对，或是否选错了文件");
	}
	int rc = tz_error_set(err, TZ_EFAIL,
			      "找不到表头：表格缺少必需的列 %s（按第 %zu 行的表头看，这一行的列名是：%s）；%s",
			      names, line, cells[0] ? cells : "（空）", how);
	free(names);
	free(how);
	return rc;
}

int roster_header_read(struct csv_reader *r, struct sheet *sh, int map[CSV_MAX_FIELDS],
		       size_t *line, size_t *nfields, char **ignored_columns, struct tz_error *err)
{
	struct csv_record rec;
	int more = 0;
	int rc = TZ_OK;

	/* Find the header among the first records. */
	size_t header_nfields = 0, header_line = 0;
	size_t best = 0, best_line = 0, seen = 0, best_ncells = 0;
	unsigned best_missing = 0;
	char *best_cells = NULL;
	int found = 0;
	while (rc == TZ_OK && !found && seen < HEADER_SEARCH_RECORDS &&
	       (rc = csv_next(r, &rec, &more, err)) == TZ_OK && more) {
		if (roster_record_blank(&rec))
			continue;
		seen++;
		int all;
		unsigned missing;
		size_t n = required_found(sh, &rec, &all, &missing);
		if (all) {
			found = 1;
			sh->present = columns_named(sh, &rec);
			header_line = rec.line;
			header_nfields = rec.nfields;
			break;
		}
		if (sh->title == NULL && n == 0)
			sh->title = cells_joined(&rec, 4);
		/* The best candidate names most columns; of those, has most cells (a
		 * header rather than the title above it). */
		size_t ncells = 0;
		for (size_t i = 0; i < rec.nfields; i++)
			ncells += rec.fields[i][strspn(rec.fields[i], " \t")] != '\0';
		if (n > best || best_cells == NULL || (n == best && ncells > best_ncells)) {
			best_ncells = ncells;
			free(best_cells);
			best_cells = cells_joined(&rec, 40);
			best_missing = missing;
			best = n;
			best_line = rec.line;
		}
	}
	if (rc == TZ_OK && !found) {
		if (best_cells == NULL)
			rc = tz_error_set(err, TZ_EFAIL, "文件是空的，没有表头也没有数据");
		else
			rc = no_header(sh, best_line, best_missing, best_cells, err);
		sh->no_header = best_cells != NULL;
	}
	free(best_cells);

	/* Map the header's cells to columns. */
	char *ignored = NULL;
	if (rc == TZ_OK) {
		size_t first_cell[MAX_COLUMNS] = { 0 };
		int have[MAX_COLUMNS] = { 0 };
		for (size_t i = 0; i < rec.nfields && rc == TZ_OK; i++) {
			int c = roster_column_of(sh, rec.fields[i]);
			map[i] = c;
			char *cell = text_sanitize(rec.fields[i], 0);
			if (c < 0) {
				if (textenc_trim(cell)[0] != '\0') {
					char *joined = xasprintf("%s%s%s", ignored ? ignored : "",
							       ignored ? "、" : "", cell);
					free(ignored);
					ignored = joined;
				}
				free(cell);
				continue;
			}
			if (have[c]) {
				char *before = text_sanitize(rec.fields[first_cell[c]], 0);
				rc = tz_error_set(err, TZ_EFAIL,
						  "第 %zu 行：表头第 %zu 列“%s”和第 %zu 列“%s”都是%s，"
						  "只能保留一列",
						  header_line, first_cell[c] + 1, before, i + 1, cell,
						  sh->cols[c].names[0]);
				free(before);
			}
			free(cell);
			have[c] = 1;
			first_cell[c] = i;
		}
	}
	*ignored_columns = ignored;
	*line = header_line;
	*nfields = header_nfields;
	return rc;
}
