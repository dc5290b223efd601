/*
 * report.c — building a report (include/taizhang/report.h): the table of
 * sections in the order they are shown, the run that builds them in one read
 * transaction, the runner of their SQL, and the small helpers that fill a
 * section and format its cells.
 *
 * The sections themselves are defined one group to a file: report_people.c
 * (households, their status changes, members, procedures, the four lists),
 * report_sector.c (the sector figures) and report_work.c (the cover and
 * summary, visits, staffing, problems, findings, deadlines). The summary reads
 * the other sections rather than the store, so its figures cannot disagree
 * with theirs; it is therefore built last, though shown second. The township
 * report is report_town.c's, built from these same sections per village.
 *
 * Before the sections, the village's households and their status at both ends
 * of the period go into the in-memory table temp.report_hh (report_households_
 * prepare): every section starts from them, and in a town store, whose
 * households table holds every village's, the sections then reach the other
 * tables through their household_id indexes instead of scanning them. The
 * table lives for one build and is dropped after it; the township report fills
 * it once for all its villages.
 *
 * Speed (bench/report: the township report of 30 villages x 1,000 households
 * under 2 s). A section whose figures are counts by a handful of codes (status,
 * procedure step, list, cadre and month) reads its rows once and counts them in
 * C, where SQLite's GROUP BY would sort every row first; the statements stay
 * prepared from one village's build to the next's (struct report_stmts); and
 * what two sections read alike is read once per village (the members present:
 * struct report_members, report_people.c). The indexes they lean on are
 * db/007_report_indexes.sql's.
 *
 * Deliberately not here: writing files (report_txt.c, report_csv.c,
 * report_xlsx.c, report_file.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/date.h"
#include "report_internal.h"
#include "taizhang/division.h"
#include "taizhang/money.h"
#include "taizhang/roster.h"
#include "taizhang/strmap.h"
#include "taizhang/utf8.h"

#define POLICY_PREFIX ":policy_"

/* The sections of a village report, in the order they are shown. */
const struct report_section_def *const report_village_sections[] = {
	&report_cover,	   &report_summary,  &report_households, &report_changes,
	&report_members,   &report_procedures, &report_four_lists, &report_sectors,
	&report_visits,	   &report_staffing, &report_projects, &report_marginal,
	&report_complaints, &report_trainings, &report_inspections, &report_cases,
	&report_problems,  &report_overdue,
	&report_findings,  &report_deadlines,
	&report_deliverables, &report_unit_sheets, /* report_units.c */
};
#define NSECTIONS (sizeof report_village_sections / sizeof report_village_sections[0])
const size_t report_village_nsections = NSECTIONS;

/* ---- sections ---- */

void report_section_new(struct report_section *sec, const char *key, const char *title,
			size_t ncolumns, size_t nkeys, const char *note)
{
	memset(sec, 0, sizeof *sec);
	sec->key = key;
	sec->title = xstrdup(title);
	sec->ncolumns = ncolumns;
	sec->nkeys = nkeys;
	sec->note = xstrdup(note);
	sec->columns = xcalloc(ncolumns, sizeof *sec->columns);
}

void report_set_column(struct report_section *sec, size_t col, const char *title,
		       enum report_type type)
{
	free(sec->columns[col].title);
	sec->columns[col].title = xstrdup(title);
	sec->columns[col].type = type;
}

static void section_init(struct report_section *sec, const struct report_section_def *d)
{
	report_section_new(sec, d->key, d->title, d->ncolumns, d->nkeys, d->note);
	sec->flags = d->flags;
	for (size_t i = 0; i < d->ncolumns; i++)
		report_set_column(sec, i, d->columns[i].title, d->columns[i].type);
}

void report_section_free(struct report_section *sec)
{
	for (size_t i = 0; i < sec->nrows * sec->ncolumns; i++)
		free(sec->cells[i].text);
	free(sec->cells);
	for (size_t i = 0; i < sec->ncolumns; i++)
		free(sec->columns[i].title);
	free(sec->columns);
	free(sec->title);
	free(sec->note);
	free(sec->key_owned);
	memset(sec, 0, sizeof *sec);
}

struct report_cell *report_add_row(struct report_section *sec)
{
	if (sec->nrows == sec->cap_rows) {
		/* rows of ncolumns cells: the array grows by whole rows */
		size_t ncells = sec->cap_rows * sec->ncolumns;
		VEC_RESERVE(sec->cells, ncells, (sec->nrows + 1) * sec->ncolumns);
		sec->cap_rows = sec->ncolumns ? ncells / sec->ncolumns : sec->nrows + 1;
	}
	struct report_cell *row = &sec->cells[sec->nrows++ * sec->ncolumns];
	for (size_t i = 0; i < sec->ncolumns; i++)
		row[i] = (struct report_cell){ .empty = 1 };
	return row;
}

void report_set_text(struct report_cell *cell, const char *text)
{
	free(cell->text);
	*cell = (struct report_cell){ .empty = text == NULL, .text = xstrdup(text) };
}

void report_set_int(struct report_cell *cell, long long n)
{
	free(cell->text);
	*cell = (struct report_cell){ .num = n };
}

void report_set_percent(struct report_cell *cell, long long num, long long den)
{
	free(cell->text);
	*cell = (struct report_cell){ .empty = den == 0, .num = num, .den = den };
}

void report_add_total(struct report_section *sec)
{
	size_t nrows = sec->nrows;
	struct report_cell *total = report_add_row(sec);
	sec->flags |= REPORT_SECTION_TOTAL;
	report_set_text(&total[0], REPORT_L_TOTAL);
	for (size_t c = sec->nkeys > 1 ? sec->nkeys : 1; c < sec->ncolumns; c++) {
		enum report_type type = sec->columns[c].type;
		if (type != REPORT_INT && type != REPORT_MONEY && type != REPORT_PERCENT)
			continue;
		long long num = 0, den = 0;
		int any = 0;
		for (size_t r = 0; r < nrows; r++) {
			const struct report_cell *x = report_at(sec, r, c);
			if (x->empty)
				continue;
			any = 1;
			num += x->num;
			den += x->den;
		}
		if (type == REPORT_PERCENT)
			report_set_percent(&total[c], num, den);
		else if (any || nrows == 0)
			report_set_int(&total[c], num);
	}
}

void report_set_note(struct report_section *sec, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	free(sec->note);
	sec->note = text;
}

const struct report_cell *report_at(const struct report_section *sec, size_t row, size_t col)
{
	return &sec->cells[row * sec->ncolumns + col];
}

long report_row_of(const struct report_section *sec, size_t col, const char *text)
{
	for (size_t r = 0; r < sec->nrows; r++) {
		const struct report_cell *x = report_at(sec, r, col);
		if (!x->empty && x->text != NULL && strcmp(x->text, text) == 0)
			return (long)r;
	}
	return -1;
}

const struct report_section *report_find(const struct report *r, const char *key)
{
	for (size_t i = 0; i < r->nsections; i++)
		if (r->sections[i].key != NULL && strcmp(r->sections[i].key, key) == 0)
			return &r->sections[i];
	return NULL;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nsections; i++)
		report_section_free(&r->sections[i]);
	free(r->sections);
	free(r->village_name);
	for (size_t i = 0; i < r->nvillages; i++)
		free(r->villages[i].name);
	free(r->villages);
	memset(r, 0, sizeof *r);
}

/* ---- formatting cells ---- */

_Static_assert(REPORT_NUMBER_NBYTES >= MONEY_TEXT_NBYTES, "a money cell must fit a report number");

int report_is_figure(enum report_type type)
{
	return type == REPORT_INT || type == REPORT_MONEY || type == REPORT_PERCENT;
}

const char *report_cell_text(enum report_type type, const struct report_cell *c,
			     enum report_style style, char buf[REPORT_NUMBER_NBYTES])
{
	buf[0] = '\0';
	if (c->empty)
		return buf;
	switch (type) {
	case REPORT_TEXT:
	case REPORT_DATE:
		return c->text ? c->text : buf;
	case REPORT_INT:
		snprintf(buf, REPORT_NUMBER_NBYTES, "%lld", c->num);
		return buf;
	case REPORT_MONEY:
		return money_format(c->num, style == REPORT_STYLE_DISPLAY ? MONEY_GROUPED : 0, buf);
	case REPORT_PERCENT: {
		if (c->den == 0) /* never set so; defensive */
			return buf;
		/* Tenths of a percent, rounded half away from zero. */
		long long num = c->num < 0 ? -c->num : c->num, den = c->den < 0 ? -c->den : c->den;
		long long tenths = (num * 2000 + den) / (2 * den);
		int negative = (c->num < 0) != (c->den < 0) && tenths != 0;
		snprintf(buf, REPORT_NUMBER_NBYTES, "%s%lld.%lld%%", negative ? "-" : "",
			 tenths / 10, tenths % 10);
		return buf;
	}
	}
	return buf;
}

size_t report_column_ncols(const struct report_section *sec, size_t col)
{
	size_t widest = utf8_ncols(sec->columns[col].title);
	char buf[REPORT_NUMBER_NBYTES];
	for (size_t r = 0; r < sec->nrows; r++) {
		size_t n = utf8_ncols(report_cell_text(sec->columns[col].type, report_at(sec, r, col),
						       REPORT_STYLE_DISPLAY, buf));
		if (n > widest)
			widest = n;
	}
	return widest;
}

char *report_title(const struct report *r)
{
	return xasprintf("%s“重精准、补短板、促攻坚”专项整改报表",
			 r->village_name ? r->village_name : r->village_code);
}

/* ---- SQL ---- */

/* Statements kept across villages (struct report_stmts). */

void report_stmts_free(struct report_stmts *k)
{
	for (size_t i = 0; i < k->n; i++)
		sqlite3_finalize(k->st[i]);
	free(k->sql);
	free(k->st);
	memset(k, 0, sizeof *k);
}

/* sql prepared into *st: the one kept in c->stmts, reset, or a new one (kept
 * there when there is a c->stmts). */
static int stmt_get(struct report_ctx *c, const char *sql, sqlite3_stmt **st,
		    const char *what, struct tz_error *err)
{
	struct report_stmts *k = c->stmts;
	for (size_t i = 0; k != NULL && i < k->n; i++) {
		if (k->sql[i] == sql) {
			*st = k->st[i];
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return TZ_OK;
		}
	}
	int rc = sqlite3_prepare_v2(store_db(c->s), sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return store_sqlite_error(c->s, rc, what, err);
	}
	if (k != NULL) {
		if (k->n == k->cap) {
			size_t cap = k->cap; /* the two arrays grow in step */
			VEC_RESERVE(k->sql, cap, k->n + 1);
			VEC_RESERVE(k->st, k->cap, k->n + 1);
		}
		k->sql[k->n] = sql;
		k->st[k->n++] = *st;
	}
	return TZ_OK;
}

void report_release(struct report_ctx *c, sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; c->stmts != NULL && i < c->stmts->n; i++) {
		if (c->stmts->st[i] == st) {
			sqlite3_reset(st);
			return;
		}
	}
	sqlite3_finalize(st);
}

int report_policy(struct report_ctx *c, const char *key, long long *value, struct tz_error *err)
{
	static const char sql[] = "SELECT value FROM policy WHERE key = ?1";
	sqlite3_stmt *st;
	int rc = stmt_get(c, sql, &st, "读取政策参数", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int64(st, 0);
	report_release(c, st);
	if (rc == SQLITE_DONE)
		return tz_error_set(err, TZ_EFAIL,
				    "政策参数“%s”不在参数表（policy）中，无法生成报表；请向镇扶贫办索取最新参考数据",
				    key);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(c->s, rc, "读取政策参数", err);
	return TZ_OK;
}

static int bind_parameters(struct report_ctx *c, sqlite3_stmt *st, struct tz_error *err)
{
	int n = sqlite3_bind_parameter_count(st);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		if (name == NULL)
			return tz_error_set(err, TZ_EFAIL, "内部错误：报表查询有未命名的参数");
		if (strcmp(name, ":village") == 0) {
			sqlite3_bind_text(st, i, c->village, -1, SQLITE_STATIC);
		} else if (strcmp(name, ":from") == 0) {
			sqlite3_bind_text(st, i, c->from, -1, SQLITE_STATIC);
		} else if (strcmp(name, ":to") == 0) {
			sqlite3_bind_text(st, i, c->to, -1, SQLITE_STATIC);
		} else if (strcmp(name, ":changes") == 0) {
			sqlite3_bind_text(st, i, c->changes != NULL ? c->changes : "[]", -1,
					  SQLITE_STATIC);
		} else if (strcmp(name, ":cutoff") == 0) {
			if (c->cutoff != NULL)
				sqlite3_bind_text(st, i, c->cutoff, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, i);
		} else if (strncmp(name, POLICY_PREFIX, strlen(POLICY_PREFIX)) == 0) {
			long long value = 0;
			int rc = report_policy(c, name + strlen(POLICY_PREFIX), &value, err);
			if (rc != TZ_OK)
				return rc;
			sqlite3_bind_int64(st, i, value);
		} else {
			return tz_error_set(err, TZ_EFAIL, "内部错误：报表查询的参数 %s 无法识别", name);
		}
	}
	return TZ_OK;
}

int report_prepare(struct report_ctx *c, const char *sql, sqlite3_stmt **st,
		   struct tz_error *err)
{
	int rc = stmt_get(c, sql, st, "生成报表", err);
	if (rc != TZ_OK)
		return rc;
	rc = bind_parameters(c, *st, err);
	if (rc != TZ_OK) {
		report_release(c, *st);
		*st = NULL;
	}
	return rc;
}

int report_sql_rows(struct report_ctx *c, struct report_section *sec, const char *sql,
		    struct tz_error *err)
{
	int want = 0;
	for (size_t i = 0; i < sec->ncolumns; i++)
		want += sec->columns[i].type == REPORT_PERCENT ? 2 : 1;
	sqlite3_stmt *st;
	int rc = report_prepare(c, sql, &st, err);
	if (rc != TZ_OK)
		return rc;
	if (sqlite3_column_count(st) != want) {
		int have = sqlite3_column_count(st);
		report_release(c, st);
		return tz_error_set(err, TZ_EFAIL, "内部错误：报表“%s”的查询有 %d 列，应为 %d 列",
				    sec->title, have, want);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct report_cell *row = report_add_row(sec);
		int k = 0;
		for (size_t i = 0; i < sec->ncolumns; i++) {
			int null = sqlite3_column_type(st, k) == SQLITE_NULL;
			switch (sec->columns[i].type) {
			case REPORT_TEXT:
			case REPORT_DATE:
				report_set_text(&row[i], null ? NULL
							  : (const char *)sqlite3_column_text(st, k));
				k++;
				break;
			case REPORT_INT:
			case REPORT_MONEY:
				if (!null)
					report_set_int(&row[i], sqlite3_column_int64(st, k));
				k++;
				break;
			case REPORT_PERCENT:
				if (!null && sqlite3_column_type(st, k + 1) != SQLITE_NULL)
					report_set_percent(&row[i], sqlite3_column_int64(st, k),
							   sqlite3_column_int64(st, k + 1));
				k += 2;
				break;
			}
		}
	}
	report_release(c, st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(c->s, rc, "生成报表", err);
	return TZ_OK;
}

int report_build_sql(const struct report_section_def *d, struct report_ctx *c,
		     struct report_section *sec, struct tz_error *err)
{
	return report_sql_rows(c, sec, d->sql, err);
}

int report_build_sql_total(const struct report_section_def *d, struct report_ctx *c,
			   struct report_section *sec, struct tz_error *err)
{
	int rc = report_sql_rows(c, sec, d->sql, err);
	if (rc == TZ_OK)
		report_add_total(sec);
	return rc;
}

/* ---- the build ---- */

int report_resolve_period(const struct report_options *o, struct report_ctx *c,
			  struct report *r, struct tz_error *err)
{
	int32_t from, to;
	if (o != NULL && o->to != NULL) {
		if (!date_parse_loose(o->to, &to))
			return tz_error_set(err, TZ_EUSAGE,
					    "截止日期“%s”不是有效日期，请写成 2019-05-31 或 2019年5月31日", o->to);
	} else {
		to = date_today();
	}
	if (o != NULL && o->from != NULL) {
		if (!date_parse_loose(o->from, &from))
			return tz_error_set(err, TZ_EUSAGE,
					    "起始日期“%s”不是有效日期，请写成 2019-05-01 或 2019年5月1日", o->from);
	} else {
		from = date_from_civil(date_year(to), 1, 1);
	}
	date_format(from, c->from);
	date_format(to, c->to);
	c->one_thread = o != NULL && o->one_thread;
	c->cutoff = to < date_today() ? c->to : NULL;
	if (from > to)
		return tz_error_set(err, TZ_EUSAGE, "起始日期 %s 晚于截止日期 %s", c->from, c->to);
	memcpy(r->from, c->from, sizeof r->from);
	memcpy(r->to, c->to, sizeof r->to);
	if (o != NULL && o->generated_at != NULL) {
		if (strlen(o->generated_at) > REPORT_STAMP_NCHARS)
			return tz_error_set(err, TZ_EUSAGE, "生成时间“%s”太长（最多 %d 个字符）",
					    o->generated_at, REPORT_STAMP_NCHARS);
		snprintf(r->generated_at, sizeof r->generated_at, "%s", o->generated_at);
	} else {
		char now[DATE_LOCAL_NCHARS + 1];
		date_now_local(now);
		snprintf(r->generated_at, sizeof r->generated_at, "%s", now);
	}
	return TZ_OK;
}

int report_households_prepare(struct report_ctx *c, const char *village, struct tz_error *err)
{
	sqlite3 *db = store_db(c->s);
	int rc = sqlite3_exec(db, REPORT_HH_CREATE "; DELETE FROM " REPORT_HH_TABLE, NULL, NULL,
			      NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(c->s, rc, "准备报表", err);
	/* Every household of a town in the order of their ids (the primary key's
	 * index), so that their status histories, an index by household first,
	 * are read from one end to the other: in the order they were stored
	 * (village by village) every lookup landed somewhere else in it. */
#define INSERT_HH \
	"INSERT INTO " REPORT_HH_TABLE " SELECT h.village_code, h.id, " REPORT_STATUS_ON(":to") \
	", " REPORT_STATUS_ON("date(:from, '-1 day')")
	sqlite3_stmt *st;
	rc = sqlite3_prepare_v2(db,
				village == NULL ? INSERT_HH " FROM households hx CROSS JOIN households h"
							    " ON h.rowid = hx.rowid ORDER BY hx.id"
						: INSERT_HH " FROM households h WHERE h.village_code = :village",
				-1, &st, NULL);
#undef INSERT_HH
	if (rc != SQLITE_OK)
		return store_sqlite_error(c->s, rc, "准备报表", err);
	if (village != NULL)
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":village"), village, -1,
				  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":from"), c->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":to"), c->to, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(c->s, rc, "准备报表", err);
	return TZ_OK;
}

int report_households_by_village(struct report_ctx *cs, size_t ncs, struct strmap *out,
				 struct tz_error *err)
{
	struct strmap villages;
	strmap_init(&villages);
	for (size_t v = 0; v < ncs; v++)
		*strmap_put(&villages, cs[v].village, strlen(cs[v].village), NULL) = v;
	sqlite3_stmt *st;
	int src = SQLITE_DONE;
	int rc = report_prepare(&cs[0],
				"SELECT village_code, id, st IS NOT NULL,"
				" st IS NOT NULL AND st <> 'exited' FROM " REPORT_HH_TABLE,
				&st, err);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const size_t *v = strmap_get(&villages, code, (size_t)sqlite3_column_bytes(st, 0));
		if (v == NULL)
			continue;
		const char *id = (const char *)sqlite3_column_text(st, 1);
		*strmap_put(out, id, (size_t)sqlite3_column_bytes(st, 1), NULL) =
			*v * 4 + (sqlite3_column_int(st, 2) != 0) +
			2 * (sqlite3_column_int(st, 3) != 0);
	}
	report_release(&cs[0], st);
	strmap_free(&villages);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(cs[0].s, src, "生成报表", err);
	return rc;
}

const size_t *report_village_of(const struct strmap *households, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_TEXT)
		return NULL; /* no household's id */
	const char *hid = (const char *)sqlite3_column_text(st, col);
	return strmap_get(households, hid, (size_t)sqlite3_column_bytes(st, col));
}

void report_households_drop(struct report_ctx *c)
{
	sqlite3_exec(store_db(c->s), "DROP TABLE IF EXISTS " REPORT_HH_TABLE, NULL, NULL, NULL);
}

/* The village's name and whether the store knows it: its row in villages,
 * else (the store's own village only) the store's own name. *known is 0 when
 * neither. */
static int village_name(struct report_ctx *c, int *known, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(c->s, "SELECT COALESCE((SELECT name FROM villages WHERE code = ?1),"
				     " (SELECT value FROM store_meta WHERE key = 'name' AND ?1 = ?2))",
				     &st, "读取村名", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, c->village, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, store_keyring(c->s)->division_code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*known = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (rc == SQLITE_ROW)
		c->r->village_name = xstrdup(*known ? (const char *)sqlite3_column_text(st, 0)
							  : c->village);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(c->s, rc, "读取村名", err);
	return TZ_OK;
}

int report_build_one(const struct report_section_def *d, struct report_ctx *c,
		     struct report_section *sec, int name_village, struct tz_error *err)
{
	section_init(sec, d);
	int rc = d->build(d, c, sec, err);
	if (rc != TZ_OK) {
		tz_error_prefix(err, "生成报表“%s”", d->title);
		if (name_village)
			tz_error_prefix(err, "%s", c->r->village_name);
	}
	return rc;
}

int report_build_sections(struct report_ctx *c, const struct report_section_def *const *defs,
			  size_t n, struct tz_error *err)
{
	return report_build_sections_each(c, 1, defs, n, err);
}

int report_build_sections_each(struct report_ctx *cs, size_t ncs,
			       const struct report_section_def *const *defs, size_t n,
			       struct tz_error *err)
{
	for (size_t v = 0; v < ncs; v++) {
		cs[v].r->sections = xcalloc(n, sizeof *cs[v].r->sections);
		cs[v].r->nsections = n; /* every slot is zeroed or initialised */
	}
	int rc = TZ_OK;
	/* What several villages' sections read of the same tables, read for a
	 * town's every village in one pass: village by village, each read its
	 * rows at random across whole tables (at a county's 5 GB store, most of
	 * them again each time). The members, counted by two sections; the
	 * contracts, houses, loans and the registered side of the 低保
	 * comparison; the procedures' steps; the four lists' items; the visits. */
	struct roster_registered *dibao = NULL;
	int members = 0, sectors = 0, procedures = 0, four_lists = 0, visits = 0;
	for (size_t i = 0; ncs > 1 && i < n; i++) {
		members |= defs[i] == &report_members || defs[i] == &report_sectors;
		sectors |= defs[i] == &report_sectors;
		procedures |= defs[i] == &report_procedures;
		four_lists |= defs[i] == &report_four_lists;
		visits |= defs[i] == &report_visits;
	}
	struct strmap households; /* the passes' households, each to its village */
	strmap_init(&households);
	if (members || sectors || procedures || four_lists || visits)
		rc = report_households_by_village(cs, ncs, &households, err);
	if (rc == TZ_OK)
		rc = report_town_passes(cs, ncs, &households, members, sectors, procedures,
					four_lists, visits, &dibao, err);
	strmap_free(&households);
	/* In a town, the sections that read no other two at once; then the
	 * rest (or, in a village, every section) one after the other. */
	int last = 0;
	if (rc == TZ_OK && ncs > 1) {
		rc = report_town_sections(cs, ncs, defs, n, err);
		last = 1;
	}
	for (; last <= 1 && rc == TZ_OK; last++) {
		for (size_t i = 0; i < n && rc == TZ_OK; i++) {
			if (defs[i]->build_last != last)
				continue;
			for (size_t v = 0; v < ncs && rc == TZ_OK; v++)
				rc = report_build_one(defs[i], &cs[v], &cs[v].r->sections[i], ncs > 1,
						      err);
		}
	}
	for (size_t v = 0; v < ncs; v++) {
		report_members_free(&cs[v]);
		report_procedures_free(&cs[v]);
		report_four_lists_free(&cs[v]);
		report_visits_free(&cs[v]);
		report_sectors_town_free(&cs[v]);
		cs[v].dibao_registered = NULL;
	}
	roster_registered_free(dibao);
	return rc;
}

int report_build_village(struct store *s, const struct report_options *o, struct report *out,
			 struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	const struct keyring *kr = store_keyring(s);
	const char *village = o != NULL ? o->village : NULL;
	if (kr->kind == STORE_KIND_TOWN && village == NULL)
		return tz_error_set(err, TZ_EFAIL,
				    "这是镇台账：村级报表要指定是哪个村（--village 村代码），"
				    "不指定时生成镇级汇总报表");
	if (kr->kind != STORE_KIND_TOWN && village != NULL &&
	    strcmp(village, kr->division_code) != 0)
		return tz_error_set(err, TZ_EFAIL, "这是村级台账，只有本村（%s）的数据，不能生成 %s 的报表",
				    kr->division_code, village);
	if (village == NULL)
		village = kr->division_code;
	if (!division_code_valid(village))
		return tz_error_set(err, TZ_EUSAGE, "村代码“%s”应为 12 位数字", village);
	struct report_stmts stmts = { 0 };
	struct report_ctx c = { .s = s, .stmts = &stmts, .village = village, .r = out };
	int rc = report_resolve_period(o, &c, out, err);
	if (rc != TZ_OK)
		return rc;
	snprintf(out->village_code, sizeof out->village_code, "%s", village);

	sqlite3 *db = store_db(s);
	int own_tx = sqlite3_get_autocommit(db);
	if (own_tx && (rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
		return store_sqlite_error(s, rc, "开始读取", err);
	int known = 0;
	rc = village_name(&c, &known, err);
	if (rc == TZ_OK && !known && kr->kind == STORE_KIND_TOWN)
		rc = tz_error_set(err, TZ_EFAIL, "镇台账中没有村 %s（villages 表中没有这个村）", village);
	if (rc == TZ_OK)
		rc = report_households_prepare(&c, village, err);
	/* With the task figures, which become the village's task sections. */
	const struct report_section_def *defs[NSECTIONS + 1];
	memcpy(defs, report_village_sections, sizeof report_village_sections);
	defs[NSECTIONS] = &report_task_figures;
	if (rc == TZ_OK)
		rc = report_build_sections(&c, defs, NSECTIONS + 1, err);
	if (rc == TZ_OK)
		rc = report_village_tasks(s, out, err);
	report_stmts_free(&stmts);
	report_households_drop(&c);
	if (own_tx)
		sqlite3_exec(db, rc == TZ_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	findings_free(&c.own_findings);
	return rc;
}

int report_build(struct store *s, const struct report_options *o, struct report *out,
		 struct tz_error *err)
{
	if (store_keyring(s)->kind == STORE_KIND_TOWN && (o == NULL || o->village == NULL))
		return report_build_town(s, o, out, err);
	return report_build_village(s, o, out, err);
}
