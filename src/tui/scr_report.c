/*
 * scr_report.c — the report on screen (issue 6): the same report `taizhang
 * report` writes (report_build: the village's own, or in a town store the
 * township report), for the same default period, in two views switched with
 * F5:
 *   - 图表: two charts of horizontal bars, the rate of problems closed off and
 *     the rate of visits that met the monthly rule, per cadre in a village
 *     store and per village in a town store (report_charts). A bar is drawn
 *     with '#' on a track of '.', both plain ASCII: no block or box characters,
 *     whose width differs between terminals (East-Asian ambiguous);
 *   - 报表: one section at a time, as the text report prints it
 *     (report_write_section_text), scrolled up and down and, for a town's wide
 *     tables, left and right; Tab and Shift-Tab go to the next and previous
 *     section.
 * F6 asks for another period. The report is built once when the screen opens
 * (and when the period changes), in one read transaction, like the command.
 *
 * Deliberately not here: any SQL or figure (src/report/), writing files (the
 * command does that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/date.h"
#include "taizhang/report.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

#define LABEL_NCOLS 14  /* a bar's label column */
#define FIGURE_NCOLS 20 /* " 100.0%  1234/5678" after the bar */
#define HSTEP 8         /* columns per Left/Right */

struct report_screen {
	struct report r;
	struct report_charts charts;
	int loaded;
	int tables;             /* 0: charts, 1: a section */
	size_t section;         /* the section shown (tables) */
	char **lines;           /* the view's lines (charts, or the section's text) */
	size_t nlines, cap;     /* lines used and allocated (vec.h) */
	size_t top;             /* first line shown */
	size_t left;            /* first column shown (tables) */
	int ncols;              /* the screen width the lines were made for */
	char from[DATE_NCHARS + 1], to[DATE_NCHARS + 1]; /* asked for; "" = default */
};

static void free_lines(struct report_screen *rs)
{
	for (size_t i = 0; i < rs->nlines; i++)
		free(rs->lines[i]);
	free(rs->lines);
	rs->lines = NULL;
	rs->nlines = rs->cap = 0;
}

static void add_line(struct report_screen *rs, const char *text)
{
	*VEC_PUSH(rs->lines, rs->nlines, rs->cap) = xstrdup(text);
}

/* ---- charts ---- */

/* "示范村        ########......  80.0%  12/15" in ncols columns. */
static void bar_line(struct report_screen *rs, const struct report_chart *ch,
		     const struct report_bar *b, int ncols)
{
	char label[64], line[512];
	utf8_pad(label, sizeof label - 1, b->label, LABEL_NCOLS - 1);
	strcat(label, " ");
	int track = ncols - LABEL_NCOLS - FIGURE_NCOLS;
	if (track < 10)
		track = 10;
	size_t n = strlen(label);
	memcpy(line, label, n);
	if (b->den <= 0) {
		snprintf(line + n, sizeof line - n, "（没有应计的%s）", ch->unit);
		add_line(rs, line);
		return;
	}
	long long filled = (b->num * track + b->den / 2) / b->den;
	if (filled > track)
		filled = track;
	for (int i = 0; i < track && n + 1 < sizeof line; i++)
		line[n++] = i < filled ? '#' : '.';
	long long tenths = (b->num * 2000 + b->den) / (2 * b->den);
	snprintf(line + n, sizeof line - n, " %3lld.%lld%%  %lld/%lld", tenths / 10, tenths % 10,
		 b->num, b->den);
	add_line(rs, line);
}

static void chart_lines(struct report_screen *rs, const struct report_chart *ch, int ncols)
{
	char line[256];
	long long num = 0, den = 0;
	for (size_t i = 0; i < ch->nbars; i++) {
		num += ch->bars[i].num;
		den += ch->bars[i].den;
	}
	snprintf(line, sizeof line, "%s（%s，共 %zu 项）", ch->title, ch->unit, ch->nbars);
	add_line(rs, line);
	for (size_t i = 0; i < ch->nbars; i++)
		bar_line(rs, ch, &ch->bars[i], ncols);
	if (ch->nbars == 0)
		add_line(rs, "（没有）");
	else if (ch->nbars > 1)
		bar_line(rs, ch, &(struct report_bar){ .label = "合计", .num = num, .den = den }, ncols);
	add_line(rs, "");
}

/* ---- the view ---- */

/* The lines of the view shown now. */
static void make_lines(struct tui *t, struct report_screen *rs)
{
	free_lines(rs);
	rs->ncols = t->cols;
	if (!rs->loaded)
		return;
	if (!rs->tables) {
		chart_lines(rs, &rs->charts.closed, t->cols - 4);
		chart_lines(rs, &rs->charts.visits, t->cols - 4);
		return;
	}
	char *text = NULL;
	size_t nbytes = 0;
	FILE *out = open_memstream(&text, &nbytes);
	if (out == NULL)
		xalloc_die(0); /* open_memstream fails only for want of memory */
	struct tz_error err;
	int rc = report_write_section_text(&rs->r.sections[rs->section], out, &err);
	fclose(out);
	tui_say_failure(t, rc, &err);
	for (char *p = text; p != NULL && *p;) {
		char *nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		add_line(rs, p);
		p = nl != NULL ? nl + 1 : NULL;
	}
	free(text);
}

static void load(struct tui *t, void *st)
{
	struct report_screen *rs = st;
	if (rs->loaded) {
		report_charts_free(&rs->charts);
		report_free(&rs->r);
	}
	rs->loaded = 0;
	struct report_options o = {
		.from = rs->from[0] ? rs->from : NULL,
		.to = rs->to[0] ? rs->to : NULL,
	};
	struct tz_error err;
	int rc = report_build(t->s, &o, &rs->r, &err);
	if (rc == TZ_OK)
		rc = report_charts(t->s, &rs->r, &rs->charts, &err);
	if (rc != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		report_charts_free(&rs->charts);
		report_free(&rs->r);
	}
	rs->loaded = rc == TZ_OK;
	if (rs->loaded && rs->section >= rs->r.nsections)
		rs->section = 0;
	rs->top = rs->left = 0;
	make_lines(t, rs);
}

/* Draw text from its display column skip on, in ncols columns (a double-width
 * character cut by skip is drawn as a space). */
static void put_from(int y, int x, const char *text, size_t skip, int ncols)
{
	size_t col = 0, n = strlen(text), i = 0;
	while (i < n && col < skip) {
		uint32_t cp;
		size_t len = utf8_decode(text + i, n - i, &cp);
		if (len == 0)
			return;
		int w = utf8_cp_ncols(cp);
		col += w > 0 ? (size_t)w : 0;
		i += len;
	}
	int pad = col > skip ? (int)(col - skip) : 0;
	for (int k = 0; k < pad && k < ncols; k++)
		mvaddch(y, x + k, ' ');
	if (pad < ncols)
		tui_put(y, x + pad, text + i, ncols - pad);
}

static int visible_rows(const struct tui *t)
{
	return t->rows - 3 - (TUI_TOP + 2);
}

static void draw(struct tui *t, void *st)
{
	struct report_screen *rs = st;
	if (!rs->loaded) {
		tui_put(TUI_TOP, 2, "报表没有生成（原因见下方）。按 F6 换一个统计期间再试。", t->cols - 4);
		return;
	}
	if (rs->ncols != t->cols)
		make_lines(t, rs); /* resized: the bars fit the width */
	char line[512];
	if (rs->tables)
		snprintf(line, sizeof line, "%s  %s 至 %s  [报表 %zu/%zu：%s]", rs->r.village_name,
			 rs->r.from, rs->r.to, rs->section + 1, rs->r.nsections,
			 rs->r.sections[rs->section].title);
	else
		snprintf(line, sizeof line, "%s  %s 至 %s  [图表]", rs->r.village_name, rs->r.from,
			 rs->r.to);
	attron(A_BOLD);
	tui_put_padded(TUI_TOP, 2, line, t->cols - 4);
	attroff(A_BOLD);
	int y = TUI_TOP + 2, visible = visible_rows(t);
	for (int i = 0; i < visible && rs->top + (size_t)i < rs->nlines; i++)
		put_from(y + i, 2, rs->lines[rs->top + (size_t)i], rs->left, t->cols - 4);
	if (rs->nlines > (size_t)visible) {
		snprintf(line, sizeof line, "第 %zu-%zu 行，共 %zu 行", rs->top + 1,
			 rs->top + (size_t)visible < rs->nlines ? rs->top + (size_t)visible : rs->nlines,
			 rs->nlines);
		tui_put(t->rows - 3, 2, line, t->cols - 4);
	}
	move(TUI_TOP, 2);
}

/* Ask for a period: "2019-04-01 2019-04-30" (either may be left out). */
static void ask_period(struct tui *t, struct report_screen *rs)
{
	char text[128];
	if (!tui_prompt(t, "统计期间：起始日 截止日（如 2019-04-01 2019-04-30；空白为今年 1 月 1 日至今天）",
			text, sizeof text))
		return;
	char a[64] = "", b[64] = "";
	int n = sscanf(text, "%63s %63s", a, b);
	int32_t from, to;
	if (n >= 1 && !date_parse_loose(a, &from)) {
		tui_say(t, 1, "“%s”不是有效日期，请写成 2019-04-01", a);
		return;
	}
	if (n >= 2 && !date_parse_loose(b, &to)) {
		tui_say(t, 1, "“%s”不是有效日期，请写成 2019-04-30", b);
		return;
	}
	if (n >= 2 && from > to) {
		tui_say(t, 1, "起始日晚于截止日");
		return;
	}
	rs->from[0] = rs->to[0] = '\0';
	if (n >= 1)
		date_format(from, rs->from);
	if (n >= 2)
		date_format(to, rs->to);
	load(t, rs);
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct report_screen *rs = st;
	if (k.is_code && k.ch == KEY_F(6)) {
		ask_period(t, rs);
		return TUI_STAY;
	}
	if (!rs->loaded)
		return TUI_STAY;
	int visible = visible_rows(t);
	size_t last = rs->nlines > (size_t)visible ? rs->nlines - (size_t)visible : 0;
	if (k.is_code && k.ch == KEY_F(5)) {
		rs->tables = !rs->tables;
		rs->top = rs->left = 0;
		make_lines(t, rs);
	} else if ((!k.is_code && k.ch == '\t') || (k.is_code && k.ch == KEY_BTAB)) {
		if (!rs->tables) {
			rs->tables = 1;
		} else {
			size_t n = rs->r.nsections;
			rs->section = k.is_code ? (rs->section + n - 1) % n : (rs->section + 1) % n;
		}
		rs->top = rs->left = 0;
		make_lines(t, rs);
	} else if (k.is_code && k.ch == KEY_RIGHT && rs->tables) {
		rs->left += HSTEP;
	} else if (k.is_code && k.ch == KEY_LEFT && rs->tables) {
		rs->left = rs->left > HSTEP ? rs->left - HSTEP : 0;
	} else if (tui_list_key(k, &rs->top, last + 1, visible)) {
		/* the top line moved */
	}
	return TUI_STAY;
}

static void destroy(void *st)
{
	struct report_screen *rs = st;
	if (rs->loaded) {
		report_charts_free(&rs->charts);
		report_free(&rs->r);
	}
	free_lines(rs);
}

TUI_SCREEN_LOADED(screen_report_push, struct report_screen, load, "整改报表",
		  " F1 帮助  F5 图表/报表  Tab 下一表  方向键 翻动  F6 统计期间  Esc 返回", report,
		  .draw = draw, .key = key, .destroy = destroy)
