/*
 * roster_dibao_rows.c — the 低保 roster's rows made whole before they are
 * written (roster_dibao.c reads and checks them): the person of a household
 * row, the 户主 of a person row that has no 户主 columns, and the village each
 * row belongs to.
 *
 * Villages: a 村代码 cell (12 digits) names the village when it is one of the
 * store's villages (the villages table), else another place (""); otherwise
 * the 村 cell is matched against the villages' names, exactly or as one
 * containing the other ("李庄" / "李庄村" / "李庄村委会"), when exactly one
 * village matches. At a town store a row that matches no village is another
 * place's (a county roster lists every town); at a village store a 村 name
 * that matches none is taken as the village's own (it wrote its own roster),
 * and only a row naming another known village is set aside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/division.h"
#include "taizhang/keyring.h"
#include "taizhang/vec.h"

#include "roster_internal.h"

static int is_head_relation(const char *rel)
{
	return rel != NULL && (strcmp(rel, "户主") == 0 || strcmp(rel, "本人") == 0 ||
			       strcmp(rel, "户主本人") == 0);
}

static void set_copy(char **slot, const char *text)
{
	if (*slot == NULL && text != NULL)
		*slot = xstrdup(text);
}

static int row_id_cmp(const void *a, const void *b)
{
	const struct dibao_row *x = *(const struct dibao_row *const *)a;
	const struct dibao_row *y = *(const struct dibao_row *const *)b;
	return strcmp(x->v[DC_IDCARD], y->v[DC_IDCARD]);
}

static const char *const missing_label[DC_COUNT] = {
	[DC_HEAD_NAME] = "户主姓名", [DC_HEAD_IDCARD] = "户主身份证号",
	[DC_NAME] = "姓名", [DC_IDCARD] = "身份证号",
};

void dibao_fill_heads(struct dibao_row *rows, size_t n, unsigned present, struct bad_rows *probs)
{
	int person_rows = (present & (1u << DC_NAME)) && (present & (1u << DC_IDCARD));
	int head_ids = (present & (1u << DC_HEAD_IDCARD)) != 0;
	size_t cur = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		struct dibao_row *d = &rows[i];
		if (!person_rows) {
			/* One row per household: its person is its 户主 (and bad as it is). */
			d->bad |= (d->bad & (1u << DC_HEAD_NAME)) ? 1u << DC_NAME : 0;
			d->bad |= (d->bad & (1u << DC_HEAD_IDCARD)) ? 1u << DC_IDCARD : 0;
			set_copy(&d->v[DC_NAME], d->v[DC_HEAD_NAME]);
			set_copy(&d->v[DC_IDCARD], d->v[DC_HEAD_IDCARD]);
			set_copy(&d->v[DC_RELATION], "户主");
			/* Without 保障人数 the household's 家庭人口 are its persons. */
			if (!(d->bad & (1u << DC_SIZE)))
				set_copy(&d->v[DC_COVERED], d->v[DC_SIZE]);
			continue;
		}
		if (!head_ids) {
			/* Persons under the 户主 above them. */
			int head = is_head_relation(d->v[DC_RELATION]) || cur == (size_t)-1 ||
				   (d->v[DC_HEAD_NAME] != NULL && d->v[DC_NAME] != NULL &&
				    strcmp(d->v[DC_HEAD_NAME], d->v[DC_NAME]) == 0) ||
				   (d->v[DC_HEAD_NAME] != NULL && rows[cur].v[DC_HEAD_NAME] != NULL &&
				    strcmp(d->v[DC_HEAD_NAME], rows[cur].v[DC_HEAD_NAME]) != 0);
			if (head)
				cur = i;
			const struct dibao_row *h = &rows[cur];
			/* A 户主 whose own cells were bad leaves its household's 户主 bad. */
			d->bad |= (h->bad & (1u << DC_NAME)) ? 1u << DC_HEAD_NAME : 0;
			d->bad |= (h->bad & (1u << DC_IDCARD)) ? 1u << DC_HEAD_IDCARD : 0;
			set_copy(&d->v[DC_HEAD_NAME], h->v[DC_NAME]);
			set_copy(&d->v[DC_HEAD_IDCARD], h->v[DC_IDCARD]);
			if (h != d)
				set_copy(&d->v[DC_HEAD_NAME], h->v[DC_HEAD_NAME]);
			continue;
		}
		if (d->v[DC_HEAD_NAME] == NULL && d->v[DC_HEAD_IDCARD] != NULL && d->v[DC_IDCARD] != NULL &&
		    strcmp(d->v[DC_HEAD_IDCARD], d->v[DC_IDCARD]) == 0)
			set_copy(&d->v[DC_HEAD_NAME], d->v[DC_NAME]);
	}
	/* 户主姓名 from the 户主's own row, when only the number was given: the
	 * rows by ID number, searched (not a pass over all rows for each). */
	if (head_ids && n > 0) {
		struct dibao_row **by_id = xrealloc(NULL, n * sizeof *by_id);
		size_t nby = 0;
		for (size_t i = 0; i < n; i++)
			if (rows[i].v[DC_IDCARD] != NULL && rows[i].v[DC_NAME] != NULL)
				by_id[nby++] = &rows[i];
		roster_sort(by_id, nby, sizeof *by_id, row_id_cmp);
		for (size_t i = 0; i < n; i++) {
			struct dibao_row *d = &rows[i];
			if (d->v[DC_HEAD_NAME] != NULL || d->v[DC_HEAD_IDCARD] == NULL)
				continue;
			struct dibao_row key = { 0 }, *pk = &key;
			key.v[DC_IDCARD] = d->v[DC_HEAD_IDCARD];
			struct dibao_row **hit = nby ? bsearch(&pk, by_id, nby, sizeof *by_id, row_id_cmp) : NULL;
			if (hit != NULL)
				set_copy(&d->v[DC_HEAD_NAME], (*hit)->v[DC_NAME]);
		}
		free(by_id);
	}
	for (size_t i = 0; i < n; i++) {
		static const enum dcol needed[] = { DC_HEAD_NAME, DC_HEAD_IDCARD, DC_NAME, DC_IDCARD };
		for (size_t k = 0; k < sizeof needed / sizeof needed[0]; k++) {
			enum dcol c = needed[k];
			if (rows[i].v[c] == NULL && !(rows[i].bad & (1u << c))) {
				roster_bad_row_addf(probs, rows[i].line, "缺少%s", missing_label[c]);
				rows[i].bad |= 1u << c;
			}
		}
	}
}

struct village {
	char code[DIVISION_CODE_NCHARS + 1];
	char *name;
};

/* The village of name among v (n of them): exactly, or one containing the
 * other when only one does; NULL: none or several. */
static const struct village *village_named(const struct village *v, size_t n, const char *name)
{
	const struct village *found = NULL;
	size_t nfound = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	for (size_t i = 0; i < n; i++)
		if (v[i].name[0] != '\0' && (strstr(name, v[i].name) != NULL || strstr(v[i].name, name) != NULL)) {
			found = &v[i];
			nfound++;
		}
	return nfound == 1 ? found : NULL;
}

static const struct village *village_coded(const struct village *v, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			return &v[i];
	return NULL;
}

static int head_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dibao_assign_villages(struct store *s, struct dibao_row *rows, size_t n, size_t *outside,
			  struct bad_rows *probs, struct tz_error *err)
{
	const struct keyring *k = store_keyring(s);
	int town = k->kind == STORE_KIND_TOWN;
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT code, name FROM villages WHERE code <> ?1", &st, "读取村名单", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, town ? k->division_code : "", -1, SQLITE_STATIC);
	struct village *v = NULL;
	size_t nv = 0, cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct village *x = VEC_PUSH(v, nv, cap);
		snprintf(x->code, sizeof x->code, "%s", roster_col_text(st, 0));
		x->name = xstrdup(roster_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		rc = store_sqlite_error(s, step, "读取村名单", err);
	char **heads = xrealloc(NULL, (n ? n : 1) * sizeof *heads);
	size_t nheads = 0;
	for (size_t i = 0; rc == TZ_OK && i < n; i++) {
		struct dibao_row *d = &rows[i];
		const struct village *x = NULL;
		const char *code = d->v[DC_VILLAGE_CODE], *name = d->v[DC_VILLAGE];
		if (code != NULL && !division_code_valid(code)) {
			roster_bad_row_addf(probs, d->line, "村代码“%s”应为 12 位数字（统计用区划代码）", code);
			continue;
		}
		if (code != NULL)
			x = village_coded(v, nv, code);
		else if (name != NULL)
			x = village_named(v, nv, name);
		if (x != NULL)
			d->village = xstrdup(x->code);
		else if (code != NULL && !town && strcmp(code, k->division_code) == 0)
			d->village = xstrdup(code);
		else if (code != NULL || (name != NULL && town))
			d->village = xstrdup("");
		else if (town)
			d->village = NULL; /* says nothing: no village of the town */
		int counted = town ? (d->village == NULL || d->village[0] == '\0')
				   : (d->village != NULL && strcmp(d->village, k->division_code) != 0);
		if (counted && d->v[DC_HEAD_IDCARD] != NULL)
			heads[nheads++] = d->v[DC_HEAD_IDCARD];
	}
	roster_sort(heads, nheads, sizeof *heads, head_cmp);
	*outside = nheads > 0;
	for (size_t i = 1; i < nheads; i++)
		*outside += strcmp(heads[i], heads[i - 1]) != 0;
	free(heads);
	for (size_t i = 0; i < nv; i++)
		free(v[i].name);
	free(v);
	return rc;
}
