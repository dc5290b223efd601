/*
 * report_csv.c — the report as CSV files (report_write_csv in report.h).
 *
 * One file per section, since CSV holds one table: the summary goes to the
 * name asked for (r.csv), every other section to r-KEY.csv beside it
 * (report_csv_path), the cover included (r-cover.csv: the village, period and
 * generation time, as 项目,内容 rows). Each file is RFC 4180: a UTF-8
 * byte-order mark (EF BB BF) so that Excel reads the Chinese as UTF-8 rather
 * than the system's GBK, the header row, one line per row, CRLF line ends,
 * fields quoted when they hold a comma, a quote or a line end (quotes doubled).
 * Figures are plain for programs: 12345.67 (元, two decimals), 95.7%,
 * 2019-05-31; an empty cell is an empty field. Notes are not written: they are
 * in the text and xlsx reports.
 *
 * All files are written as .part first and renamed only once every one of them
 * was written and flushed; a failure removes the parts and leaves any earlier
 * report's files as they were. (A failure between two renames, e.g. the disk
 * pulled out, can leave a mix of new and old files: each file is whole.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/csv.h"

static void put_section(FILE *out, const struct report_section *sec)
{
	fputs(CSV_UTF8_BOM, out);
	for (size_t c = 0; c < sec->ncolumns; c++) {
		if (c > 0)
			putc(',', out);
		csv_write_text(out, sec->columns[c].title, CSV_FOR_SPREADSHEET);
	}
	fputs("\r\n", out);
	char buf[REPORT_NUMBER_NBYTES];
	for (size_t r = 0; r < sec->nrows; r++) {
		for (size_t c = 0; c < sec->ncolumns; c++) {
			if (c > 0)
				putc(',', out);
			csv_write_text(out, report_cell_text(sec->columns[c].type, report_at(sec, r, c),
							REPORT_STYLE_PLAIN, buf), CSV_FOR_SPREADSHEET);
		}
		fputs("\r\n", out);
	}
}

int report_write_csv(const struct report *r, const char *path, struct tz_error *err)
{
	char name[4096];
	/* Checks the name: it must end in .csv and leave room for the siblings. */
	int rc = report_csv_path(path, "summary", name, sizeof name, err);
	if (rc != TZ_OK)
		return rc;
	struct report_file *files = xcalloc(r->nsections, sizeof *files);
	size_t nopen = 0;
	for (size_t i = 0; i < r->nsections && rc == TZ_OK; i++) {
		const struct report_section *sec = &r->sections[i];
		if (strcmp(sec->key, "summary") == 0)
			snprintf(name, sizeof name, "%s", path);
		else if ((rc = report_csv_path(path, sec->key, name, sizeof name, err)) != TZ_OK)
			break;
		rc = report_file_open(&files[i], name, 1, err);
		nopen = i + 1;
		if (rc != TZ_OK)
			break;
		put_section(files[i].fp, sec);
		rc = report_file_finish(&files[i], err);
	}
	for (size_t i = 0; i < nopen && rc == TZ_OK; i++)
		rc = report_file_commit(&files[i], err);
	for (size_t i = 0; i < nopen; i++)
		report_file_discard(&files[i]);
	free(files);
	return rc;
}
