/*
 * roster_diff.c — what a new 低保 roster changes against the one it replaces
 * (struct roster_diff, roster.h): households added, removed or changed, by
 * 户主身份证号; persons added and removed, by 身份证号; 保障人数 and 月保障金.
 *
 * A household's persons are its 保障人数 when the roster gives it (the largest
 * of its rows), else its rows; its amount is the sum of its rows' 月保障金 (a
 * household row carries the household's, a person row the person's). The old
 * roster is the store's own last 低保 import (roster_imports.owner), read back
 * from dibao_roster; the new one is the rows about to be written. Nothing is
 * written here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/money.h"
#include "taizhang/vec.h"

#include "roster_internal.h"

/* A household of one side, its rows a run of the side's rows sorted by head. */
struct diff_household {
	char key[IDCARD_NCHARS + 8];
	const char *head_name, *head_idcard;
	size_t first, n;     /* its rows */
	size_t persons;
	long long cents;
};

struct diff_side {
	struct roster_diff_row *rows;
	size_t nrows;
	struct diff_household *hh;
	size_t nhh;
	size_t persons;
	long long cents;
};

static int row_cmp(const void *a, const void *b)
{
	const struct roster_diff_row *x = a, *y = b;
	int c = strcmp(x->head_key, y->head_key);
	return c != 0 ? c : strcmp(x->key, y->key);
}

/* Sort side's rows by head and person, and group them into households. */
static void side_group(struct diff_side *sd)
{
	for (size_t i = 0; i < sd->nrows; i++) {
		roster_idcard_key(sd->rows[i].head_idcard, sd->rows[i].head_key,
				  sizeof sd->rows[i].head_key);
		roster_idcard_key(sd->rows[i].idcard, sd->rows[i].key, sizeof sd->rows[i].key);
	}
	roster_sort(sd->rows, sd->nrows, sizeof *sd->rows, row_cmp);
	sd->hh = xrealloc(NULL, (sd->nrows ? sd->nrows : 1) * sizeof *sd->hh);
	sd->nhh = 0;
	for (size_t i = 0; i < sd->nrows; i++) {
		const struct roster_diff_row *r = &sd->rows[i];
		if (sd->nhh == 0 || strcmp(sd->hh[sd->nhh - 1].key, r->head_key) != 0) {
			struct diff_household *h = &sd->hh[sd->nhh++];
			memset(h, 0, sizeof *h);
			snprintf(h->key, sizeof h->key, "%s", r->head_key);
			h->head_name = r->head_name;
			h->head_idcard = r->head_idcard;
			h->first = i;
		}
		struct diff_household *h = &sd->hh[sd->nhh - 1];
		h->n++;
		if (r->covered >= 0 && (size_t)r->covered > h->persons)
			h->persons = (size_t)r->covered;
		if (r->cents > 0)
			h->cents += r->cents;
	}
	for (size_t i = 0; i < sd->nhh; i++) {
		struct diff_household *h = &sd->hh[i];
		int any_covered = 0;
		for (size_t k = 0; k < h->n; k++)
			any_covered |= sd->rows[h->first + k].covered >= 0;
		if (!any_covered)
			h->persons = h->n;
		sd->persons += h->persons;
		sd->cents += h->cents;
	}
}

static void add_line(struct roster_diff *d, char *line)
{
	d->lines = xrealloc(d->lines, (d->nlines + 1) * sizeof *d->lines);
	d->lines[d->nlines++] = line;
}

static char *yuan(long long cents, char buf[MONEY_TEXT_NBYTES])
{
	return money_format(cents, 0, buf);
}

/* The persons of h (its rows, sorted by key) that other (NULL: none) lacks,
 * named and counted ("赵六、钱七"; malloc'd, NULL none): one merge of the two
 * sorted runs, linear however large a household a hostile file makes. */
static char *persons_missing(const struct diff_side *a, const struct diff_household *h,
			     const struct diff_side *b, const struct diff_household *other,
			     size_t *count)
{
	char *out = NULL;
	size_t k = 0, nk = other != NULL ? other->n : 0;
	for (size_t i = 0; i < h->n; i++) {
		const struct roster_diff_row *r = &a->rows[h->first + i];
		int c = 1;
		while (k < nk && (c = strcmp(b->rows[other->first + k].key, r->key)) < 0)
			k++;
		if (k < nk && c == 0)
			continue;
		(*count)++;
		if (*count > 20)
			continue; /* named up to 20; counted all */
		char *joined = xasprintf("%s%s%s", out ? out : "", out ? "、" : "",
					 *count == 20 ? "等" : r->name);
		free(out);
		out = joined;
	}
	return out;
}

static void household_text(char *buf, size_t cap, const struct diff_household *h)
{
	char m[MONEY_TEXT_NBYTES];
	snprintf(buf, cap, "%s（%s）%zu 人，月保障金 %s 元", h->head_name, h->head_idcard, h->persons,
		 yuan(h->cents, m));
}

/* Household h of side from, which other does not have: counted into
 * *households and (its persons) *persons, with a line "what：…". */
static void one_side_only(struct roster_diff *d, const struct diff_side *from,
			  const struct diff_household *h, const struct diff_side *other,
			  size_t *households, size_t *persons, const char *what)
{
	(*households)++;
	size_t none = 0;
	free(persons_missing(from, h, other, NULL, &none));
	*persons += none;
	char text[512];
	household_text(text, sizeof text, h);
	add_line(d, xasprintf("%s：%s", what, text));
}

static void compare_sides(struct diff_side *o, struct diff_side *n, struct roster_diff *d)
{
	size_t i = 0, k = 0;
	while (i < o->nhh || k < n->nhh) {
		int c = i >= o->nhh ? 1 : k >= n->nhh ? -1 : strcmp(o->hh[i].key, n->hh[k].key);
		if (c < 0) {
			one_side_only(d, o, &o->hh[i++], n, &d->removed_households, &d->removed_persons,
				      "减少");
		} else if (c > 0) {
			one_side_only(d, n, &n->hh[k++], o, &d->added_households, &d->added_persons,
				      "新增");
		} else {
			const struct diff_household *a = &o->hh[i++], *b = &n->hh[k++];
			size_t gone = 0, come = 0;
			char *out = persons_missing(o, a, n, b, &gone);
			char *in = persons_missing(n, b, o, a, &come);
			d->removed_persons += gone;
			d->added_persons += come;
			if (gone == 0 && come == 0 && a->persons == b->persons && a->cents == b->cents) {
				free(out);
				free(in);
				continue;
			}
			d->changed_households++;
			char m1[MONEY_TEXT_NBYTES], m2[MONEY_TEXT_NBYTES];
			char *line = xasprintf("变化：%s（%s）", b->head_name, b->head_idcard);
			char *more;
			if (a->persons != b->persons) {
				more = xasprintf("%s 保障人数 %zu→%zu", line, a->persons, b->persons);
				free(line);
				line = more;
			}
			if (a->cents != b->cents) {
				more = xasprintf("%s 月保障金 %s→%s 元", line, yuan(a->cents, m1),
						 yuan(b->cents, m2));
				free(line);
				line = more;
			}
			if (in != NULL) {
				more = xasprintf("%s 新增成员 %s", line, in);
				free(line);
				line = more;
			}
			if (out != NULL) {
				more = xasprintf("%s 减少成员 %s", line, out);
				free(line);
				line = more;
			}
			add_line(d, line);
			free(out);
			free(in);
		}
	}
}

/* The store's own last 低保 import with rows, into d's old_* fields, and its
 * rows into sd. Returns TZ_OK with *found 0 when there is none. */
static int load_old(struct store *s, const char *owner, struct roster_diff *d,
		    struct diff_side *sd, int *found, struct tz_error *err)
{
	*found = 0;
	const char *params[] = { owner };
	sqlite3_stmt *row;
	int rc = store_query_one(s, "SELECT r.id, r.file_name, r.imported_at, r.month FROM roster_imports r"
				    " WHERE r.kind = 'dibao' AND r.owner = ?1"
				    " AND EXISTS (SELECT 1 FROM dibao_roster d WHERE d.import_id = r.id)"
				    " ORDER BY r.imported_at DESC, r.rowid DESC LIMIT 1",
				 params, 1, &row, "读取低保名册", err);
	if (rc != TZ_OK || row == NULL)
		return rc;
	char import_id[IDS_NCHARS + 1];
	snprintf(import_id, sizeof import_id, "%s", roster_col_text(row, 0));
	d->old_file_name = xstrdup(roster_col_text(row, 1));
	d->old_imported_at = xstrdup(roster_col_text(row, 2));
	if (sqlite3_column_type(row, 3) != SQLITE_NULL)
		d->old_month = xstrdup(roster_col_text(row, 3));
	sqlite3_finalize(row);
	*found = 1;
	sqlite3_stmt *st;
	rc = store_prepare(s, "SELECT head_name, head_idcard, name, idcard, coalesce(covered, -1),"
			      " coalesce(monthly_cents, 0) FROM dibao_roster WHERE import_id = ?1",
			   &st, "读取低保名册", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, import_id, -1, SQLITE_STATIC);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct roster_diff_row *r = VEC_PUSH(sd->rows, sd->nrows, cap);
		memset(r, 0, sizeof *r);
		r->head_name = xstrdup(roster_col_text(st, 0));
		r->head_idcard = xstrdup(roster_col_text(st, 1));
		r->name = xstrdup(roster_col_text(st, 2));
		r->idcard = xstrdup(roster_col_text(st, 3));
		r->covered = sqlite3_column_int64(st, 4);
		r->cents = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_sqlite_error(s, step, "读取低保名册", err);
	return TZ_OK;
}

void roster_diff_totals(struct roster_diff_row *rows, size_t nrows, struct roster_diff_totals *t)
{
	struct diff_side sd = { rows, nrows, NULL, 0, 0, 0 };
	side_group(&sd);
	t->households = sd.nhh;
	t->persons = sd.persons;
	free(sd.hh);
}

int roster_diff_against(struct store *s, const char *owner, struct roster_diff_row *rows,
			size_t nrows, struct roster_diff **out, struct tz_error *err)
{
	*out = NULL;
	struct roster_diff *d = xcalloc(1, sizeof *d);
	struct diff_side o = { 0 }, n = { rows, nrows, NULL, 0, 0, 0 };
	int found = 0;
	int rc = load_old(s, owner, d, &o, &found, err);
	if (rc == TZ_OK && found) {
		side_group(&o);
		side_group(&n);
		d->old_households = o.nhh;
		d->old_persons = o.persons;
		d->old_amount_cents = o.cents;
		d->new_households = n.nhh;
		d->new_persons = n.persons;
		d->new_amount_cents = n.cents;
		compare_sides(&o, &n, d);
	}
	for (size_t i = 0; i < o.nrows; i++) {
		free((char *)o.rows[i].head_name);
		free((char *)o.rows[i].head_idcard);
		free((char *)o.rows[i].name);
		free((char *)o.rows[i].idcard);
	}
	free(o.rows);
	free(o.hh);
	free(n.hh);
	if (rc == TZ_OK && found)
		*out = d;
	else
		roster_diff_free(d);
	return rc;
}

void roster_diff_free(struct roster_diff *d)
{
	if (d == NULL)
		return;
	free(d->old_file_name);
	free(d->old_imported_at);
	free(d->old_month);
	for (size_t i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->lines);
	free(d);
}

char **roster_diff_text(const struct roster_diff *d, const char *new_month, size_t *n)
{
	char a[MONEY_TEXT_NBYTES], b[MONEY_TEXT_NBYTES];
	char **out = xcalloc(d->nlines + 4, sizeof *out);
	size_t k = 0;
	out[k++] = xasprintf("与 %.10s 导入的低保名册 %s%s%s%s 相比（新名册%s%s）：", d->old_imported_at,
			     d->old_file_name, d->old_month ? "（" : "", d->old_month ? d->old_month : "",
			     d->old_month ? "）" : "", new_month ? "：" : "未写月份",
			     new_month ? new_month : "");
	out[k++] = xasprintf("户数 %zu → %zu，保障人数 %zu → %zu，月保障金合计 %s → %s 元",
			     d->old_households, d->new_households, d->old_persons, d->new_persons,
			     yuan(d->old_amount_cents, a), yuan(d->new_amount_cents, b));
	out[k++] = xasprintf("新增 %zu 户，减少 %zu 户，变化 %zu 户；名单上新增 %zu 人，减少 %zu 人",
			     d->added_households, d->removed_households, d->changed_households,
			     d->added_persons, d->removed_persons);
	if (new_month != NULL && d->old_month != NULL && strcmp(new_month, d->old_month) < 0)
		out[k++] = xasprintf("注意：新名册的月份 %s 早于原来名册的 %s，请确认没有拿错文件",
				     new_month, d->old_month);
	for (size_t i = 0; i < d->nlines; i++)
		out[k++] = xstrdup(d->lines[i]);
	*n = k;
	return out;
}
