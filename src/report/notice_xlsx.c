/*
 * notice_xlsx.c — a public notice on disk: the text file and an Excel sheet
 * laid out to print on A4 (notice_write_files in notice.h), written with
 * libxlsxwriter, each file atomically through report_file.c (FILE.part, mode
 * 0600, renamed at the end) since a notice holds names and ID numbers.
 *
 * The sheet, landscape, one page wide, the table's header repeated on every
 * page:
 *
 *	row 1   the title, merged across the table, bold, centred
 *	row 2   the preamble (households, persons, the period, where to object),
 *	        merged, wrapped
 *	row 4   the headers (bold, bordered), then one bordered row per household
 *	…       a blank row, the issuer and the date, right-aligned
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "notice_internal.h"
#include "report_internal.h"
#include "xlsx_file.h"

static const struct {
	const char *header; /* NULL: the notice's own */
	double width;
} sheet_columns[] = {
	{ "序号", 6 },	  { "村民小组", 12 }, { "户主", 10 }, { "身份证号", 22 },
	{ "家庭人口", 10 }, { NULL, 16 },	  { NULL, 16 },
};
#define NCOLUMNS (sizeof sheet_columns / sizeof sheet_columns[0])

static void write_sheet(lxw_workbook *wb, lxw_worksheet *ws, const struct notice *n,
			lxw_error *first)
{
	lxw_format *title = workbook_add_format(wb), *pre = workbook_add_format(wb);
	lxw_format *head = workbook_add_format(wb), *cell = workbook_add_format(wb);
	lxw_format *sign = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 18);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_text_wrap(pre);
	format_set_align(pre, LXW_ALIGN_VERTICAL_TOP);
	format_set_font_size(pre, 12);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_border(cell, LXW_BORDER_THIN);
	format_set_align(cell, LXW_ALIGN_CENTER);
	format_set_align(sign, LXW_ALIGN_RIGHT);
	format_set_font_size(sign, 12);
	const lxw_col_t last = NCOLUMNS - 1;
	char *t = notice_title(n);
	xlsx_check(worksheet_merge_range(ws, 0, 0, 0, last, t, title), first);
	free(t);
	xlsx_check(worksheet_set_row(ws, 0, 30, NULL), first);
	char *p = notice_preamble(n);
	xlsx_check(worksheet_merge_range(ws, 1, 0, 1, last, p, pre), first);
	free(p);
	xlsx_check(worksheet_set_row(ws, 1, 72, NULL), first);
	for (lxw_col_t c = 0; c < NCOLUMNS; c++) {
		const char *h = sheet_columns[c].header;
		if (h == NULL)
			h = c == 5 ? notice_basis_header(n) : notice_stage_def(n->stage)->prior_header;
		xlsx_check(worksheet_set_column(ws, c, c, sheet_columns[c].width, NULL), first);
		xlsx_check(worksheet_write_string(ws, 3, c, h, head), first);
	}
	for (size_t i = 0; i < n->n; i++) {
		const struct notice_row *r = &n->rows[i];
		lxw_row_t row = (lxw_row_t)(4 + i);
		xlsx_check(worksheet_write_number(ws, row, 0, (double)(i + 1), cell), first);
		xlsx_check(worksheet_write_string(ws, row, 1, r->group_name, cell), first);
		xlsx_check(worksheet_write_string(ws, row, 2, r->head_name, cell), first);
		xlsx_check(worksheet_write_string(ws, row, 3, r->idcard, cell), first);
		xlsx_check(worksheet_write_number(ws, row, 4, r->size, cell), first);
		xlsx_check(worksheet_write_string(ws, row, 5, r->basis, cell), first);
		xlsx_check(worksheet_write_string(ws, row, 6, r->prior_on, cell), first);
	}
	lxw_row_t end = (lxw_row_t)(4 + n->n + 1);
	char date[32];
	notice_chinese_date(n->from, date);
	char *issuer = xasprintf("%s（盖章）", n->issuer);
	xlsx_check(worksheet_merge_range(ws, end, 0, end, last, issuer, sign), first);
	xlsx_check(worksheet_merge_range(ws, end + 1, 0, end + 1, last, date, sign), first);
	free(issuer);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_landscape(ws);
	worksheet_center_horizontally(ws);
	xlsx_check(worksheet_repeat_rows(ws, 3, 3), first);
	worksheet_fit_to_pages(ws, 1, 0);
}

static int write_xlsx(const struct notice *n, const char *path, struct tz_error *err)
{
	struct xlsx_file x;
	int rc = xlsx_file_open(&x, path, err);
	if (rc != TZ_OK)
		return rc;
	lxw_worksheet *ws = workbook_add_worksheet(x.wb, notice_stage_def(n->stage)->name);
	if (ws != NULL)
		write_sheet(x.wb, ws, n, &x.first);
	else
		x.first = LXW_ERROR_MEMORY_MALLOC_FAILED;
	return xlsx_file_close(&x, rc, err);
}

static int write_txt(const struct notice *n, const char *path, struct tz_error *err)
{
	struct report_file file;
	int rc = report_file_open(&file, path, 1, err);
	if (rc == TZ_OK) {
		notice_write_text(file.fp, n);
		rc = report_file_finish(&file, err);
	}
	if (rc == TZ_OK)
		rc = report_file_commit(&file, err);
	report_file_discard(&file);
	return rc;
}

int notice_write_files(const struct notice *n, const char *dir, char **txt_path,
		       char **xlsx_path, struct tz_error *err)
{
	*txt_path = *xlsx_path = NULL;
	char *title = notice_title(n);
	char *base = xasprintf("%s/公示_%s_%s", dir, title, n->from);
	free(title);
	char *txt = xasprintf("%s.txt", base), *xlsx = xasprintf("%s.xlsx", base);
	free(base);
	int rc = write_txt(n, txt, err);
	if (rc == TZ_OK)
		rc = write_xlsx(n, xlsx, err);
	if (rc != TZ_OK) {
		free(txt);
		free(xlsx);
		return rc;
	}
	*txt_path = txt;
	*xlsx_path = xlsx;
	return TZ_OK;
}
