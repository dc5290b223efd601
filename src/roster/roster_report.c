/*
 * roster_report.c — the report of an import's bad rows: every problem found
 * with the line it is on, said once, in line order ("第 N 行：..."), and the
 * message of a refused file. When any row is bad nothing is written: the
 * officer corrects every listed line and imports again.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/compare.h"
#include "taizhang/idcard.h"

#include "taizhang/vec.h"

#include "roster_internal.h"

void roster_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 0)
		qsort(base, n, size, cmp);
}

void roster_bad_row_add(struct bad_rows *p, size_t line, const char *msg)
{
	size_t seq = p->n;
	*VEC_PUSH(p->items, p->n, p->cap) = (struct bad_row){ line, seq, xstrdup(msg) };
}

void roster_bad_row_addf(struct bad_rows *p, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	roster_bad_row_add(p, line, msg);
	free(msg);
}

static int bad_row_cmp(const void *a, const void *b)
{
	const struct bad_row *x = a, *y = b;
	int c = compare_numbers(x->line, y->line);
	return c != 0 ? c : compare_numbers(x->seq, y->seq);
}

/* Move the problems, sorted and prefixed with their line, into rep. */
void roster_bad_rows_to_report(struct bad_rows *p, struct roster_report *rep)
{
	roster_sort(p->items, p->n, sizeof *p->items, bad_row_cmp);
	rep->problems = xrealloc(NULL, (p->n ? p->n : 1) * sizeof *rep->problems);
	rep->nproblems = 0;
	for (size_t i = 0; i < p->n; i++) {
		/* The same message twice for one line (a value checked both as the
		 * member's and as the household's) is said once. */
		if (i > 0 && p->items[i].line == p->items[i - 1].line &&
		    strcmp(p->items[i].msg, p->items[i - 1].msg) == 0)
			continue;
		rep->problems[rep->nproblems++] =
			xasprintf("第 %zu 行：%s", p->items[i].line, p->items[i].msg);
	}
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].msg);
	free(p->items);
	*p = (struct bad_rows){ 0 };
}

void roster_bad_rows_free(struct bad_rows *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].msg);
	free(p->items);
	*p = (struct bad_rows){ 0 };
}

void roster_report_free(struct roster_report *rep)
{
	for (size_t i = 0; i < rep->nproblems; i++)
		free(rep->problems[i]);
	free(rep->problems);
	free(rep->ignored_columns);
	free(rep->month);
	roster_diff_free(rep->diff);
	*rep = (struct roster_report){ 0 };
}

/* The message for a refused file, after the problems went to rep. */
int roster_refused(struct roster_report *rep, struct tz_error *err)
{
	return tz_error_set(err, TZ_EFAIL, "文件中发现 %zu 处错误，没有导入任何数据；请改正以下各行后重新导入",
			    rep->nproblems);
}

int roster_seen_id_cmp(const void *a, const void *b)
{
	const struct seen_id *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c != 0 ? c : compare_numbers(x->seq, y->seq);
}

void roster_report_repeated_ids(struct seen_id *ids, size_t n, struct bad_rows *probs,
				const char *label)
{
	roster_sort(ids, n, sizeof *ids, roster_seen_id_cmp);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		while (first > 0 && strcmp(ids[first - 1].key, ids[i].key) == 0)
			first--;
		if (strcmp(ids[first].key, ids[i].key) == 0)
			roster_bad_row_addf(probs, ids[i].line,
				     "%s %s 与第 %zu 行重复，同一个人只能登记一次", label, ids[i].key,
				     ids[first].line);
	}
}
