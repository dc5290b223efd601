/*
 * roster_sheet.c — a roster file's bytes to a sheet: rows of cells indexed by
 * the import's columns, each as its column wants it.
 *
 * How a file is read, for both imports:
 *   1. textenc_to_utf8: UTF-8, UTF-8 with BOM or GB18030; UTF-16 refused.
 *   2. csv.h: comma- or tab-separated; line numbers from the reader.
 *   3. the header (roster_header.c).
 *   4. Every data row is kept; rows whose cells are all empty (Excel writes
 *      ",,,," for formatted but empty rows) are skipped, and cells beyond the
 *      header's are a bad row; below the data, a row with no ID number
 *      whose first cell starts 合计, 总计, 小计, 注, 备注, 说明, 制表, 填表,
 *      审核 or 负责人 (the totals and signatures county systems add) is
 *      skipped and counted. More than ROSTER_MAX_ROWS rows refuse the file.
 *      Cells are trimmed; ID numbers, phones, amounts,
 *      dates and numbers also have their full-width characters folded
 *      (textenc_fold_ascii); a year and month (2014-10, 2014年10月, 201410)
 *      becomes the 1st of the month; the common wordings of a relation to the
 *      head (本人, 妻, 之子, ...: relation_aliases) become its code_list label.
 * Checking the values is the imports' (through the model), not the sheet's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "taizhang/file.h"
#include "taizhang/textenc.h"
#include "taizhang/vec.h"

#include "roster_internal.h"

int roster_read_file(const char *path, char **data, size_t *nbytes, struct tz_error *err)
{
	return file_read_all(path, CSV_MAX_FILE_NBYTES, data, nbytes, err);
}

void roster_sheet_free(struct sheet *sh)
{
	for (size_t i = 0; i < sh->nrows; i++)
		for (size_t c = 0; c < sh->ncols; c++)
			free(sh->rows[i].cells[c]);
	free(sh->rows);
	sh->rows = NULL;
	free(sh->title);
	sh->title = NULL;
	sh->nrows = sh->rows_cap = 0;
}

/* "2014-10", "2014/10", "2014.10", "2014年10月", "201410" become "2014-10-01" in
 * place (text has room: the result is never longer than 10 bytes and these
 * forms are at least 6); anything else is left for the date check. */
static void year_month_to_date(char *text, size_t cap)
{
	int y = 0, m = 0, n = 0;
	size_t len = strlen(text);
	if (len == 6 && strspn(text, "0123456789") == 6) {
		y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
		m = (text[4] - '0') * 10 + (text[5] - '0');
	} else if ((sscanf(text, "%4d-%2d%n", &y, &m, &n) == 2 ||
		    sscanf(text, "%4d/%2d%n", &y, &m, &n) == 2 ||
		    sscanf(text, "%4d.%2d%n", &y, &m, &n) == 2) &&
		   (size_t)n == len) {
		/* matched */
	} else if (sscanf(text, "%4d年%2d月%n", &y, &m, &n) == 2 && (size_t)n == len) {
		/* matched */
	} else {
		return;
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || cap < 11)
		return;
	snprintf(text, cap, "%04d-%02d-01", y, m);
}

/* The common wordings of relations to the head, under the code_list label
 * they become. */
static const struct {
	const char *label;
	const char *aliases[12]; /* up to the first NULL */
} relation_aliases[] = {
	{ "户主", { "本人", "户主本人" } },
	{ "配偶", { "妻", "妻子", "夫", "丈夫" } },
	{ "子女", { "子", "女", "儿子", "女儿", "之子", "之女", "长子", "次子", "长女", "次女" } },
	{ "儿媳或女婿", { "儿媳", "女婿", "之儿媳", "之女婿" } },
	{ "孙子女", { "孙子", "孙女", "之孙子", "之孙女", "外孙子", "外孙女" } },
	{ "父母", { "父亲", "母亲", "之父", "之母" } },
	{ "祖父母", { "祖父", "祖母" } },
	{ "兄弟姐妹", { "兄弟", "姐妹", "兄", "弟", "姐", "妹" } },
};

static char *relation_label(char *text)
{
	for (size_t i = 0; i < sizeof relation_aliases / sizeof relation_aliases[0]; i++)
		for (const char *const *alias = relation_aliases[i].aliases; *alias; alias++)
			if (strcmp(text, *alias) == 0) {
				free(text);
				return xstrdup(relation_aliases[i].label);
			}
	return text;
}

/* The text of a cell as the column wants it (malloc'd), or NULL when empty. */
static char *cell_value(const struct column *col, const char *raw)
{
	size_t cap = strlen(raw) + 16;
	char *v = xrealloc(NULL, cap);
	memcpy(v, raw, strlen(raw) + 1);
	if (col->flags & (COL_FOLD | COL_YEAR_MONTH))
		textenc_fold_ascii(v);
	else
		textenc_trim(v);
	if (v[0] == '\0') {
		free(v);
		return NULL;
	}
	if (col->flags & COL_YEAR_MONTH)
		year_month_to_date(v, cap);
	if (col->flags & COL_RELATION)
		v = relation_label(v);
	return v;
}

/* Whether rec, below the header, is a total or a note rather than data: no
 * cell of an ID column, and its first non-empty cell starts with one of the
 * words county systems write there. */
static int total_or_note(const struct sheet *sh, const struct csv_record *rec, const int *map,
			 size_t header_nfields)
{
	static const char *const words[] = { "合计", "总计", "小计", "共计", "注", "备注", "说明",
					     "制表", "填表", "审核", "负责人", "打印" };
	const char *first = NULL;
	for (size_t i = 0; i < rec->nfields; i++) {
		char *t = xstrdup(rec->fields[i]);
		int empty = textenc_trim(t)[0] == '\0';
		free(t);
		if (empty)
			continue;
		if (i < header_nfields && map[i] >= 0 && (sh->cols[map[i]].flags & COL_ID))
			return 0;
		if (first == NULL)
			first = rec->fields[i];
	}
	if (first == NULL)
		return 0;
	while (*first == ' ' || *first == '\t')
		first++;
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
		if (strncmp(first, words[k], strlen(words[k])) == 0)
			return 1;
	return 0;
}

int roster_read_sheet(const char *data, size_t nbytes, struct sheet *sh,
		      struct roster_report *rep, struct bad_rows *probs, struct tz_error *err)
{
	char *text = NULL;
	size_t text_nbytes = 0;
	int rc = textenc_to_utf8(data, nbytes, &text, &text_nbytes, &rep->encoding, err);
	if (rc != TZ_OK)
		return rc;
	struct csv_reader r;
	struct csv_record rec;
	int more = 0;
	rc = csv_open(&r, text, text_nbytes, err);

	int map[CSV_MAX_FIELDS];
	size_t header_nfields = 0, header_line = 0;
	char *ignored = NULL;
	if (rc == TZ_OK)
		rc = roster_header_read(&r, sh, map, &header_line, &header_nfields, &ignored, err);
	rep->ignored_columns = ignored;

	/* The rows. */
	while (rc == TZ_OK && (rc = csv_next(&r, &rec, &more, err)) == TZ_OK && more) {
		if (roster_record_blank(&rec))
			continue;
		if (total_or_note(sh, &rec, map, header_nfields)) {
			sh->skipped++;
			continue;
		}
		if (sh->nrows >= ROSTER_MAX_ROWS) {
			rc = tz_error_set(err, TZ_EFAIL,
					  "第 %zu 行：名册超过 %u 行，太大了；请按村或按月分成几个文件导入",
					  rec.line, ROSTER_MAX_ROWS);
			break;
		}
		struct row row = { .line = rec.line };
		size_t extra = 0;
		for (size_t i = 0; i < rec.nfields; i++) {
			if (i >= header_nfields) {
				char *t = xstrdup(rec.fields[i]);
				extra += textenc_trim(t)[0] != '\0';
				free(t);
				continue;
			}
			if (map[i] < 0)
				continue;
			row.cells[map[i]] = cell_value(&sh->cols[map[i]], rec.fields[i]);
		}
		if (extra > 0)
			roster_bad_row_addf(probs, rec.line,
				     "这一行比表头（第 %zu 行）多出 %zu 格内容；请检查是否有格子里的逗号"
				     "没有用引号括起来，或删去表头右边多余的内容",
				     header_line, extra);
		*VEC_PUSH(sh->rows, sh->nrows, sh->rows_cap) = row;
	}
	csv_close(&r);
	free(text);
	rep->rows = sh->nrows;
	return rc;
}
