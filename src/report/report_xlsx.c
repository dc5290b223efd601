/*
 * report_xlsx.c — the report as an Excel workbook, written with libxlsxwriter
 * (report_write_xlsx in report.h). We never write the OOXML ourselves.
 *
 * Sheets: the cover first (named by the cover section's title, 封面): the
 * report's title, the cover's label/value lines, and 目录, a list of the other
 * sheets, each a link to it. Then one sheet per section, named by its title:
 *
 *	row 1   "示范村 户数与变化（2019-01-01 至 2019-04-20）"   (bold)
 *	row 2   the Chinese headers (bold, shaded, bordered)
 *	row 3…  the rows: text as strings, figures as numbers
 *	…       a blank row, then "注：…" (the section's note)
 *
 * Rows 1-2 are frozen and repeated on every printed page (in a town report's
 * sections with a group of columns per village, the key columns are frozen
 * too, so the row names stay in view while scrolling across); the autofilter
 * spans the headers and the rows, but not a total row (REPORT_SECTION_TOTAL),
 * which is bold and would otherwise be sorted in among the rows. Number formats: whole numbers 0, money
 * #,##0.00 (the cell holds 元: 分 / 100; the header says （元）), percentages
 * 0.0% (the cell holds the fraction num / den), dates yyyy-mm-dd (real dates,
 * so that they sort and filter as dates; a date cell that is not YYYY-MM-DD
 * stays a string). Each column is as wide as its widest cell, header included,
 * counted in terminal columns (utf8_ncols: a CJK character is two, as it is
 * about two of Excel's width units), plus 2, within MIN_WIDTH..MAX_WIDTH; a
 * text column cut by MAX_WIDTH wraps. Pages print landscape on A4, one page
 * wide.
 *
 * libxlsxwriter keeps the workbook in memory and writes each part through a
 * temporary file in the directory of the output before zipping it to
 * FILE.part, renamed at the end (xlsx_file.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "report_internal.h"
#include "xlsx_file.h"
#include "taizhang/utf8.h"

#define MIN_WIDTH 6
#define MAX_WIDTH 60

struct formats {
	lxw_format *title, *header, *wrap, *note, *link, *label;
	/* Figures by type, [0] for rows and [1] for a total row (bold). */
	lxw_format *integer[2], *money[2], *percent[2], *date[2];
};

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	format_set_bg_color(f->header, 0xDDEBF7);
	format_set_border(f->header, LXW_BORDER_THIN);
	format_set_align(f->header, LXW_ALIGN_CENTER);
	format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);
	for (int total = 0; total <= 1; total++) {
		struct {
			lxw_format **format;
			const char *num_format;
		} figures[] = {
			{ &f->integer[total], "0" },
			{ &f->money[total], "#,##0.00" },
			{ &f->percent[total], "0.0%" },
			{ &f->date[total], "yyyy-mm-dd" },
		};
		for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
			*figures[i].format = workbook_add_format(wb);
			format_set_num_format(*figures[i].format, figures[i].num_format);
			if (total)
				format_set_bold(*figures[i].format);
		}
	}
	f->wrap = workbook_add_format(wb);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	f->note = workbook_add_format(wb);
	format_set_italic(f->note);
	f->link = workbook_add_format(wb);
	format_set_underline(f->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(f->link, LXW_COLOR_BLUE);
	f->label = workbook_add_format(wb);
	format_set_bold(f->label);
}

/* Excel's width for a column whose widest cell takes ncols terminal columns. */
static double width_of(size_t ncols)
{
	size_t w = ncols + 2;
	return (double)(w < MIN_WIDTH ? MIN_WIDTH : w > MAX_WIDTH ? MAX_WIDTH : w);
}

/* Note the first libxlsxwriter error in *first. */
/* Write cell c; text_format for text, total: the row is a total row. */
static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		       const struct report_column *column, const struct report_cell *c,
		       const struct formats *f, lxw_format *text_format, int total,
		       lxw_error *first)
{
	if (c->empty)
		return;
	switch (column->type) {
	case REPORT_TEXT:
		xlsx_check(worksheet_write_string(ws, row, col, c->text, text_format), first);
		break;
	case REPORT_INT:
		xlsx_check(worksheet_write_number(ws, row, col, (double)c->num, f->integer[total]), first);
		break;
	case REPORT_MONEY:
		xlsx_check(worksheet_write_number(ws, row, col, (double)c->num / 100.0,
					     f->money[total]), first);
		break;
	case REPORT_PERCENT:
		xlsx_check(worksheet_write_number(ws, row, col, (double)c->num / (double)c->den,
					     f->percent[total]),
		      first);
		break;
	case REPORT_DATE: {
		int32_t day;
		if (c->text != NULL && date_parse(c->text, &day)) {
			lxw_datetime dt = { 0 };
			date_to_civil(day, &dt.year, &dt.month, &dt.day);
			xlsx_check(worksheet_write_datetime(ws, row, col, &dt, f->date[total]), first);
		} else {
			xlsx_check(worksheet_write_string(ws, row, col, c->text, NULL), first);
		}
		break;
	}
	}
}

static void write_section(lxw_worksheet *ws, const struct report *r,
			  const struct report_section *sec, const struct formats *f,
			  lxw_error *first)
{
	char *heading = xasprintf("%s %s（%s 至 %s）", r->village_name, sec->title, r->from, r->to);
	xlsx_check(worksheet_write_string(ws, 0, 0, heading, f->title), first);
	free(heading);
	lxw_format **text_formats = xcalloc(sec->ncolumns, sizeof *text_formats);
	for (size_t c = 0; c < sec->ncolumns; c++) {
		size_t ncols = report_column_ncols(sec, c);
		int cut = !report_is_figure(sec->columns[c].type) && ncols + 2 > MAX_WIDTH;
		text_formats[c] = cut ? f->wrap : NULL;
		xlsx_check(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width_of(ncols),
					   text_formats[c]),
		      first);
		xlsx_check(worksheet_write_string(ws, 1, (lxw_col_t)c, sec->columns[c].title, f->header),
		      first);
	}
	size_t ndata = sec->nrows - (sec->nrows > 0 && (sec->flags & REPORT_SECTION_TOTAL));
	for (size_t row = 0; row < sec->nrows; row++) {
		int total = row == ndata;
		for (size_t c = 0; c < sec->ncolumns; c++)
			write_cell(ws, (lxw_row_t)(row + 2), (lxw_col_t)c, &sec->columns[c],
				   report_at(sec, row, c), f, total ? f->label : text_formats[c],
				   total, first);
	}
	free(text_formats);
	/* A town's table (figures per village) keeps its key columns in view too. */
	worksheet_freeze_panes(ws, 2, sec->group_ncolumns > 0 ? (lxw_col_t)sec->nkeys : 0);
	xlsx_check(worksheet_autofilter(ws, 1, 0, (lxw_row_t)(1 + ndata),
				   (lxw_col_t)(sec->ncolumns - 1)),
	      first);
	if (sec->note != NULL) {
		char *note = xasprintf("注：%s", sec->note);
		xlsx_check(worksheet_write_string(ws, (lxw_row_t)(sec->nrows + 3), 0, note, f->note),
		      first);
		free(note);
	}
	xlsx_check(worksheet_repeat_rows(ws, 0, 1), first);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
}

static void write_cover(lxw_worksheet *ws, const struct report *r,
			const struct report_section *cover, const struct formats *f,
			lxw_error *first)
{
	char *title = cover == &r->sections[0] ? report_title(r) : xstrdup(cover->title);
	xlsx_check(worksheet_write_string(ws, 0, 0, title, f->title), first);
	free(title);
	size_t label_ncols = utf8_ncols("目录"), value_ncols = 0;
	lxw_row_t row = 2;
	char buf[REPORT_NUMBER_NBYTES], vbuf[REPORT_NUMBER_NBYTES];
	for (size_t i = 0; i < cover->nrows; i++, row++) {
		const char *label = report_cell_text(cover->columns[0].type, report_at(cover, i, 0),
						     REPORT_STYLE_DISPLAY, buf);
		const char *value = cover->ncolumns > 1
					    ? report_cell_text(cover->columns[1].type,
							       report_at(cover, i, 1),
							       REPORT_STYLE_DISPLAY, vbuf)
					    : "";
		xlsx_check(worksheet_write_string(ws, row, 0, label, f->label), first);
		xlsx_check(worksheet_write_string(ws, row, 1, value, NULL), first);
		if (utf8_ncols(label) > label_ncols)
			label_ncols = utf8_ncols(label);
		if (utf8_ncols(value) > value_ncols)
			value_ncols = utf8_ncols(value);
	}
	row++;
	if (cover == &r->sections[0]) {
		xlsx_check(worksheet_write_string(ws, row++, 0, "目录", f->label), first);
		for (size_t i = 1; i < r->nsections; i++, row++) {
			const struct report_section *sec = &r->sections[i];
			char *url = xasprintf("internal:'%s'!A1", sec->title);
			xlsx_check(worksheet_write_url_opt(ws, row, 1, url, f->link, sec->title, NULL),
			      first);
			free(url);
			if (utf8_ncols(sec->title) > value_ncols)
				value_ncols = utf8_ncols(sec->title);
		}
	} else if (cover->note != NULL) {
		/* A later form (the sign-off page): its note instead of contents. */
		char *note = xasprintf("注：%s", cover->note);
		xlsx_check(worksheet_write_string(ws, row, 0, note, f->note), first);
		free(note);
	}
	xlsx_check(worksheet_set_column(ws, 0, 0, width_of(label_ncols), NULL), first);
	xlsx_check(worksheet_set_column(ws, 1, 1, width_of(value_ncols), f->wrap), first);
	worksheet_set_paper(ws, 9); /* A4 */
}

int report_write_xlsx(const struct report *r, const char *path, struct tz_error *err)
{
	struct xlsx_file x;
	int rc = xlsx_file_open(&x, path, err);
	if (rc != TZ_OK)
		return rc;
	struct formats f;
	make_formats(x.wb, &f);
	char *title = report_title(r);
	lxw_doc_properties props = { .title = title, .company = r->village_name };
	xlsx_check(workbook_set_properties(x.wb, &props), &x.first);
	for (size_t i = 0; i < r->nsections; i++) {
		const struct report_section *sec = &r->sections[i];
		lxw_worksheet *ws = workbook_add_worksheet(x.wb, sec->title);
		if (ws == NULL) {
			rc = tz_error_set(err, TZ_EFAIL, "内部错误：“%s”不能作为 Excel 工作表名",
					  sec->title);
			break;
		}
		if (sec->flags & REPORT_SECTION_FORM)
			write_cover(ws, r, sec, &f, &x.first);
		else
			write_section(ws, r, sec, &f, &x.first);
	}
	rc = xlsx_file_close(&x, rc, err);
	free(title);
	return rc;
}
