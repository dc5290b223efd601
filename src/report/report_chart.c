/*
 * report_chart.c — the rates the report screen draws as bars (report_charts in
 * report.h): problems closed off, and visits that met the monthly rule.
 *
 * A town report has them per village in its summary (问题未销号 of all problems,
 * 走访达到每月要求 of the households due), so they are read from there, one bar
 * per village in the report's order. A village report has visits per cadre in
 * its visits section (one row per cadre and month: added up per cadre). Problems
 * per responsible person are in no section, so they are counted here with the
 * same reading of a problem's state on `to` as the problems section
 * (REPORT_PROBLEMS_CTE): the person as entered (责任人 may name two people, "何德勇,
 * 刘芳": that is one bar, as the ledger has it).
 *
 * Deliberately not here: drawing (src/tui/scr_report.c).
 */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static struct report_bar *add_bar(struct report_chart *ch, const char *label, long long num,
				  long long den)
{
	ch->bars = xreallocarray(ch->bars, ch->nbars + 1, sizeof *ch->bars);
	ch->bars[ch->nbars] = (struct report_bar){ xstrdup(label), num, den };
	return &ch->bars[ch->nbars++];
}

/* The figure at group g (0: 合计), column col of the group, of the summary row
 * label; 0 when empty or missing. */
static long long summary_figure(const struct report_section *sum, const char *label, size_t g,
				size_t col)
{
	long row = report_row_of(sum, 0, label);
	if (row < 0)
		return 0;
	const struct report_cell *x =
		report_at(sum, (size_t)row, sum->nkeys + g * sum->group_ncolumns + col);
	return x->empty ? 0 : x->num;
}

static void town_charts(const struct report *r, struct report_charts *out)
{
	const struct report_section *sum = report_find(r, "summary");
	for (size_t v = 0; sum != NULL && sum->group_ncolumns >= 2 && v < r->nvillages; v++) {
		long long open = summary_figure(sum, REPORT_L_PROBLEMS_OPEN, v + 1, 0);
		long long all = summary_figure(sum, REPORT_L_PROBLEMS_OPEN, v + 1, 1);
		add_bar(&out->closed, r->villages[v].name, all - open, all);
		add_bar(&out->visits, r->villages[v].name,
			summary_figure(sum, REPORT_L_VISITS_MET, v + 1, 0),
			summary_figure(sum, REPORT_L_VISITS_MET, v + 1, 1));
	}
}

/* Visits per cadre: the rows of the visits section (by cadre, then month)
 * added up while name and unit stay the same. */
static void cadre_visits(const struct report *r, struct report_chart *ch)
{
	const struct report_section *sec = report_find(r, "visits");
	size_t n = sec == NULL ? 0 : sec->nrows - (sec->flags & REPORT_SECTION_TOTAL ? 1 : 0);
	const char *name = NULL, *unit = NULL;
	struct report_bar *bar = NULL;
	for (size_t row = 0; row < n; row++) {
		const struct report_cell *a = report_at(sec, row, 0), *b = report_at(sec, row, 1);
		const char *this_name = a->empty ? "" : a->text, *this_unit = b->empty ? "" : b->text;
		if (bar == NULL || strcmp(name, this_name) != 0 || strcmp(unit, this_unit) != 0) {
			bar = add_bar(ch, this_name, 0, 0);
			name = this_name;
			unit = this_unit;
		}
		/* The rate's own numbers: a month in progress has none (not judged). */
		const struct report_cell *rate = report_at(sec, row, 7);
		bar->num += rate->empty ? 0 : rate->num;
		bar->den += rate->empty ? 0 : rate->den;
	}
}

static const struct report_column_def person_columns[] = {
	{ "责任人", REPORT_TEXT },
	{ "销号率", REPORT_PERCENT },
};

static const struct report_section_def person_def = {
	.key = "closed-by-person",
	.title = "问题销号率",
	REPORT_COLUMNS(person_columns),
	.nkeys = 1,
	.sql = "WITH " REPORT_PROBLEMS_CTE
	       " SELECT responsible_person, sum(st = 'closed'), count(*) FROM p"
	       " WHERE st IS NOT NULL GROUP BY responsible_person ORDER BY responsible_person",
};

static int person_closed(struct store *s, const struct report *r, struct report_chart *ch,
			 struct tz_error *err)
{
	struct report_ctx c = { .s = s, .village = r->village_code };
	memcpy(c.from, r->from, sizeof c.from);
	memcpy(c.to, r->to, sizeof c.to);
	int32_t to;
	if (!date_parse(r->to, &to))
		return tz_error_set(err, TZ_EFAIL, "内部错误：报表的截止日期“%s”无效", r->to);
	c.cutoff = to < date_today() ? c.to : NULL;
	struct report_section sec;
	report_section_new(&sec, person_def.key, person_def.title, person_def.ncolumns,
			   person_def.nkeys, NULL);
	for (size_t i = 0; i < person_def.ncolumns; i++)
		report_set_column(&sec, i, person_def.columns[i].title, person_def.columns[i].type);
	int rc = report_sql_rows(&c, &sec, person_def.sql, err);
	for (size_t row = 0; rc == TZ_OK && row < sec.nrows; row++) {
		const struct report_cell *a = report_at(&sec, row, 0), *b = report_at(&sec, row, 1);
		add_bar(ch, a->empty ? "（未填写）" : a->text, b->empty ? 0 : b->num,
			b->empty ? 0 : b->den);
	}
	report_section_free(&sec);
	return rc;
}

int report_charts(struct store *s, const struct report *r, struct report_charts *out,
		  struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	if (r->town) {
		out->closed = (struct report_chart){ .title = "问题销号率（按村）", .unit = "个" };
		out->visits = (struct report_chart){ .title = "走访达标率（按村）", .unit = "户月" };
		town_charts(r, out);
		return TZ_OK;
	}
	out->closed = (struct report_chart){ .title = "问题销号率（按责任人）", .unit = "个" };
	out->visits = (struct report_chart){ .title = "走访达标率（按帮扶责任人）", .unit = "户月" };
	cadre_visits(r, &out->visits);
	return person_closed(s, r, &out->closed, err);
}

static void chart_free(struct report_chart *ch)
{
	for (size_t i = 0; i < ch->nbars; i++)
		free(ch->bars[i].label);
	free(ch->bars);
	ch->bars = NULL;
	ch->nbars = 0;
}

void report_charts_free(struct report_charts *c)
{
	chart_free(&c->closed);
	chart_free(&c->visits);
}
