/*
 * roster_compare.c — the registered households compared with the 低保 roster
 * (`taizhang compare dibao`, task 11: 建档立卡与低保比对), household by
 * household, with names, places and the person found on both sides.
 *
 * Which roster: a village store's own; at a town, each village's own roster
 * or its rows of the town's county roster, whichever is newer
 * (roster_source.c), the villages' results put together with a line each.
 * A 低保 household's people are its 保障人数 as the roster gives it (else its
 * rows). The ledger's own 低保 (social_security, kind dibao, running today) is
 * set against the roster both ways.
 *
 * Matching is by ID number, of any person on either side, as roster_idcard_key
 * folds it. On the registered side only members 在户 (status present) count: a
 * daughter married out, now on 低保 with her husband's household, does not put
 * her parents' household on 低保. roster_counts.c gives the same numbers
 * without the lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/compare.h"
#include "taizhang/date.h"
#include "taizhang/idcard.h"
#include "taizhang/keyring.h"
#include "taizhang/ids.h"
#include "taizhang/textenc.h"

#include "taizhang/vec.h"

#include "roster_internal.h"

void roster_idcard_key(const char *text, char *out, size_t cap)
{
	/* Printable ASCII without spaces (as an ID number is written almost
	 * always) has nothing to fold or trim: only x to upper case. */
	size_t n = 0;
	while (text[n] > ' ' && text[n] < 0x7f)
		n++;
	if (text[n] == '\0') {
		size_t w = 0;
		for (; w < n && w + 1 < cap; w++)
			out[w] = text[w] == 'x' ? 'X' : text[w];
		if (cap > 0)
			out[w] = '\0';
		return;
	}
	char *t = xstrdup(text);
	textenc_fold_ascii(t);
	size_t w = 0;
	for (const char *p = t; *p && w + 1 < cap; p++)
		out[w++] = *p == 'x' ? 'X' : *p;
	if (cap > 0)
		out[w] = '\0';
	free(t);
}

/* A person of either side: the key of their ID number, and their household. */
struct person {
	char key[IDS_NCHARS + 8]; /* an ID number's key; or a household id (load_registered) */
	size_t household;
	const char *name;   /* owned by the side's strings */
	const char *idcard;
};

static int person_cmp(const void *a, const void *b)
{
	const struct person *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c != 0 ? c : compare_numbers(x->household, y->household);
}

static const struct person *find_person(const struct person *people, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(people[mid].key, key);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(people[lo].key, key) == 0 ? &people[lo] : NULL;
}

struct side {
	struct roster_household *households;
	size_t nhouseholds, households_cap;
	struct person *people;
	size_t npeople, people_cap;
	char **strings; /* every string the people point at */
	size_t nstrings, strings_cap;
};

static char *side_keep(struct side *sd, const char *text)
{
	return *VEC_PUSH(sd->strings, sd->nstrings, sd->strings_cap) = xstrdup(text);
}

static void side_add_person(struct side *sd, size_t household, const char *name,
			    const char *idcard)
{
	struct person *p = VEC_PUSH(sd->people, sd->npeople, sd->people_cap);
	roster_idcard_key(idcard, p->key, sizeof p->key);
	p->household = household;
	p->name = side_keep(sd, name);
	p->idcard = side_keep(sd, idcard);
}

static struct roster_household *side_add_household(struct side *sd)
{
	struct roster_household *h = VEC_PUSH(sd->households, sd->nhouseholds, sd->households_cap);
	*h = (struct roster_household){ 0 };
	return h;
}

static void household_free(struct roster_household *h)
{
	free(h->head_name);
	free(h->head_idcard);
	free(h->place);
	free(h->status);
	free(h->matched_name);
	free(h->matched_idcard);
}

static void side_free(struct side *sd)
{
	for (size_t i = 0; i < sd->nhouseholds; i++)
		household_free(&sd->households[i]);
	free(sd->households);
	free(sd->people);
	for (size_t i = 0; i < sd->nstrings; i++)
		free(sd->strings[i]);
	free(sd->strings);
	*sd = (struct side){ 0 };
}

const char *roster_col_text(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? t : "";
}

/* The registered side: households (of village, NULL: all) in order of group
 * and head, with their present members. */
static int load_registered(struct store *s, const char *village, struct side *sd,
			   struct tz_error *err)
{
	/* heads first (materialized, the outer loop): a village's households are
	 * found by one pass over households, not by looking each household of the
	 * store up in heads. */
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		store_db(s),
		"WITH heads AS MATERIALIZED ("
		"  SELECT h.id AS hid,"
		"   (SELECT m.id FROM members m WHERE m.household_id = h.id"
		"     ORDER BY m.relation = 'head' DESC, m.status = 'present' DESC, m.name, m.id"
		"     LIMIT 1) AS head_id"
		"  FROM households h WHERE ?1 IS NULL OR h.village_code = ?1)"
		" SELECT h.id, coalesce(g.name, ''), coalesce(c.label, h.status),"
		"  coalesce(hm.name, '（无成员）'), coalesce(hm.idcard, ''),"
		"  (SELECT count(*) FROM members m WHERE m.household_id = h.id"
		"    AND m.status = 'present'), " LEDGER_DIBAO_SQL
		" FROM heads CROSS JOIN households h ON h.id = heads.hid"
		" LEFT JOIN members hm ON hm.id = heads.head_id"
		" LEFT JOIN villager_groups g ON g.id = h.group_id"
		" LEFT JOIN code_list c ON c.list = 'household_status' AND c.code = h.status"
		" ORDER BY g.name, hm.name, h.id",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	sqlite3_bind_text(st, 9, today, -1, SQLITE_TRANSIENT);
	/* Household ids, to attach the members below. */
	char **ids = NULL;
	size_t ids_cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct roster_household *h = side_add_household(sd);
		VEC_RESERVE(ids, ids_cap, sd->nhouseholds);
		ids[sd->nhouseholds - 1] = xstrdup(roster_col_text(st, 0));
		h->place = xstrdup(roster_col_text(st, 1));
		h->status = xstrdup(roster_col_text(st, 2));
		h->head_name = xstrdup(roster_col_text(st, 3));
		h->head_idcard = xstrdup(roster_col_text(st, 4));
		h->nmembers = (size_t)sqlite3_column_int64(st, 5);
		h->ledger_dibao = sqlite3_column_int(st, 6) != 0;
	}
	sqlite3_finalize(st);
	/* A village's members through its households (CROSS JOIN keeps that
	 * order of the loops: members are found by household). */
	if (rc == SQLITE_DONE)
		rc = sqlite3_prepare_v2(store_db(s),
					village == NULL
						? "SELECT household_id, name, idcard FROM members"
						  " WHERE status = 'present' ORDER BY household_id"
						: "SELECT m.household_id, m.name, m.idcard FROM households h"
						  " CROSS JOIN members m ON m.household_id = h.id"
						  " WHERE h.village_code = ?1 AND m.status = 'present'"
						  " ORDER BY m.household_id",
					-1, &st, NULL);
	if (rc == SQLITE_OK && village != NULL)
		sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		/* ids are in display order; find each member's household by a sorted
		 * index of them. */
		struct person *index = xrealloc(NULL, (sd->nhouseholds ? sd->nhouseholds : 1) *
							      sizeof *index);
		for (size_t i = 0; i < sd->nhouseholds; i++) {
			snprintf(index[i].key, sizeof index[i].key, "%s", ids[i]);
			index[i].household = i;
		}
		roster_sort(index, sd->nhouseholds, sizeof *index, person_cmp);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const struct person *hh = find_person(index, sd->nhouseholds, roster_col_text(st, 0));
			if (hh != NULL)
				side_add_person(sd, hh->household, roster_col_text(st, 1), roster_col_text(st, 2));
		}
		sqlite3_finalize(st);
		free(index);
	}
	for (size_t i = 0; i < sd->nhouseholds; i++)
		free(ids[i]);
	free(ids);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	roster_sort(sd->people, sd->npeople, sizeof *sd->people, person_cmp);
	return TZ_OK;
}

/* The 低保 side: households by head ID number, in order of village and head;
 * a household's people are its 保障人数 when the roster gives it. */
static int load_dibao(struct store *s, const struct dibao_source *src, struct side *sd,
		      struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		store_db(s),
		"SELECT head_idcard, head_name, coalesce(village, ''), name, idcard, coalesce(covered, -1)"
		" FROM dibao_roster WHERE" DIBAO_SOURCE_WHERE
		" ORDER BY min(coalesce(village, '')) OVER (PARTITION BY head_idcard),"
		"  min(head_name) OVER (PARTITION BY head_idcard), head_idcard, line",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	roster_dibao_source_bind(st, src);
	char last[IDCARD_NCHARS + 8] = "";
	long long covered = -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char key[IDCARD_NCHARS + 8];
		roster_idcard_key(roster_col_text(st, 0), key, sizeof key);
		if (sd->nhouseholds == 0 || strcmp(key, last) != 0) {
			if (sd->nhouseholds > 0 && covered >= 0)
				sd->households[sd->nhouseholds - 1].nmembers = (size_t)covered;
			covered = -1;
			struct roster_household *h = side_add_household(sd);
			h->head_idcard = xstrdup(roster_col_text(st, 0));
			h->head_name = xstrdup(roster_col_text(st, 1));
			h->place = xstrdup(roster_col_text(st, 2));
			snprintf(last, sizeof last, "%s", key);
		}
		sd->households[sd->nhouseholds - 1].nmembers++;
		if (sqlite3_column_int64(st, 5) > covered)
			covered = sqlite3_column_int64(st, 5);
		side_add_person(sd, sd->nhouseholds - 1, roster_col_text(st, 3), roster_col_text(st, 4));
	}
	if (sd->nhouseholds > 0 && covered >= 0)
		sd->households[sd->nhouseholds - 1].nmembers = (size_t)covered;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	/* The head counts as a person of the household even without a row. */
	for (size_t i = 0; i < sd->nhouseholds; i++)
		side_add_person(sd, i, sd->households[i].head_name, sd->households[i].head_idcard);
	roster_sort(sd->people, sd->npeople, sizeof *sd->people, person_cmp);
	return TZ_OK;
}

static void list_add(struct roster_household_list *l, struct roster_household *h)
{
	if (l->n % 64 == 0)
		l->items = xrealloc(l->items, (l->n + 64) * sizeof *l->items);
	l->items[l->n++] = *h;
	*h = (struct roster_household){ 0 };
}

/* Sort each household of from into matched or only, by whether one of its
 * people is among other's. */
static void split(struct side *from, const struct side *other,
		  struct roster_household_list *matched, struct roster_household_list *only)
{
	const struct person **found = xrealloc(NULL, (from->nhouseholds ? from->nhouseholds : 1) *
							     sizeof *found);
	for (size_t i = 0; i < from->nhouseholds; i++)
		found[i] = NULL;
	/* people are sorted by key then household: the first match of a
	 * household in that order is its lowest ID number, which is stable. */
	for (size_t i = 0; i < from->npeople; i++) {
		const struct person *p = &from->people[i];
		if (p->key[0] == '\0' || found[p->household] != NULL)
			continue;
		if (find_person(other->people, other->npeople, p->key) != NULL)
			found[p->household] = p;
	}
	for (size_t i = 0; i < from->nhouseholds; i++) {
		struct roster_household *h = &from->households[i];
		if (found[i] != NULL) {
			h->matched_name = xstrdup(found[i]->name);
			h->matched_idcard = xstrdup(found[i]->idcard);
			list_add(matched, h);
		} else {
			list_add(only, h);
		}
	}
	free(found);
}

int roster_compare_dibao(struct store *s, struct roster_comparison *out, struct tz_error *err)
{
	return roster_compare_dibao_village(s, NULL, out, err);
}

static char *dup_or_null(const char *t)
{
	return t ? xstrdup(t) : NULL;
}

/* A copy of h into l. */
static void list_add_copy(struct roster_household_list *l, const struct roster_household *h)
{
	struct roster_household c = *h;
	c.head_name = dup_or_null(h->head_name);
	c.head_idcard = dup_or_null(h->head_idcard);
	c.place = dup_or_null(h->place);
	c.status = dup_or_null(h->status);
	c.matched_name = dup_or_null(h->matched_name);
	c.matched_idcard = dup_or_null(h->matched_idcard);
	list_add(l, &c);
}

/* One village (or, at a village store, NULL: the whole store) against src. */
static int compare_one(struct store *s, const char *village, const struct dibao_source *src,
		       struct roster_comparison *out, struct tz_error *err)
{
	struct side reg = { 0 }, dib = { 0 };
	int status = load_registered(s, village, &reg, err);
	if (status == TZ_OK)
		status = load_dibao(s, src, &dib, err);
	if (status == TZ_OK) {
		out->registered = reg.nhouseholds;
		out->dibao = dib.nhouseholds;
		for (size_t i = 0; i < reg.nhouseholds; i++)
			out->ledger_dibao += reg.households[i].ledger_dibao != 0;
		for (size_t i = 0; i < dib.nhouseholds; i++)
			out->dibao_persons += dib.households[i].nmembers;
		split(&reg, &dib, &out->registered_matched, &out->registered_only);
		split(&dib, &reg, &out->dibao_matched, &out->dibao_only);
		for (size_t i = 0; i < out->registered_only.n; i++)
			if (out->registered_only.items[i].ledger_dibao)
				list_add_copy(&out->ledger_not_on_roster, &out->registered_only.items[i]);
		for (size_t i = 0; i < out->registered_matched.n; i++)
			if (!out->registered_matched.items[i].ledger_dibao)
				list_add_copy(&out->roster_not_in_ledger, &out->registered_matched.items[i]);
	}
	side_free(&reg);
	side_free(&dib);
	return status;
}

/* Move the households of from to the end of to. */
static void list_append(struct roster_household_list *to, struct roster_household_list *from)
{
	for (size_t i = 0; i < from->n; i++)
		list_add(to, &from->items[i]);
	free(from->items);
	*from = (struct roster_household_list){ 0 };
}

/* A town's village against src (NULL: it has none, listed without
 * figures): its line of out->villages, its lists added to out's. */
static int compare_town_village(struct store *s, const char *code, const char *name,
				const struct dibao_source *src, struct roster_comparison *out,
				struct tz_error *err)
{
	out->villages = xrealloc(out->villages, (out->nvillages + 1) * sizeof *out->villages);
	struct roster_village_comparison *v = &out->villages[out->nvillages++];
	*v = (struct roster_village_comparison){ 0 };
	snprintf(v->code, sizeof v->code, "%s", code);
	v->name = xstrdup(name);
	if (src == NULL)
		return TZ_OK;
	struct roster_comparison one = { 0 };
	int status = compare_one(s, code, src, &one, err);
	if (status == TZ_OK) {
		v->file_name = xstrdup(src->file_name);
		v->imported_at = xstrdup(src->imported_at);
		v->county = src->county;
		v->registered = one.registered;
		v->dibao = one.dibao;
		v->dibao_persons = one.dibao_persons;
		v->registered_only = one.registered_only.n;
		v->dibao_only = one.dibao_only.n;
		v->ledger_not_on_roster = one.ledger_not_on_roster.n;
		out->registered += one.registered;
		out->dibao += one.dibao;
		out->dibao_persons += one.dibao_persons;
		out->ledger_dibao += one.ledger_dibao;
		list_append(&out->registered_matched, &one.registered_matched);
		list_append(&out->dibao_matched, &one.dibao_matched);
		list_append(&out->registered_only, &one.registered_only);
		list_append(&out->dibao_only, &one.dibao_only);
		list_append(&out->ledger_not_on_roster, &one.ledger_not_on_roster);
		list_append(&out->roster_not_in_ledger, &one.roster_not_in_ledger);
	}
	roster_comparison_free(&one);
	return status;
}

/* roster_village_fn for the comparison (ctx: the struct roster_comparison):
 * one village's (or a village store's) comparison is out itself; a town's
 * villages are put together. */
static int compare_village(struct store *s, const char *village, const char *name,
			   const struct dibao_source *src, void *ctx, struct tz_error *err)
{
	struct roster_comparison *out = ctx;
	if (name != NULL)
		return compare_town_village(s, village, name, src, out, err);
	return compare_one(s, village, src, out, err);
}

int roster_compare_dibao_village(struct store *s, const char *village,
				 struct roster_comparison *out, struct tz_error *err)
{
	*out = (struct roster_comparison){ 0 };
	int status = roster_compare_each(s, village, compare_village, out, &out->imported_at,
					 &out->file_name, err);
	if (status == TZ_OK && out->nvillages > 0)
		out->unassigned = roster_unassigned(s);
	if (status != TZ_OK)
		roster_comparison_free(out);
	return status;
}

static void list_free(struct roster_household_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		household_free(&l->items[i]);
	free(l->items);
	*l = (struct roster_household_list){ 0 };
}

void roster_comparison_free(struct roster_comparison *c)
{
	free(c->imported_at);
	free(c->file_name);
	list_free(&c->registered_matched);
	list_free(&c->dibao_matched);
	list_free(&c->registered_only);
	list_free(&c->dibao_only);
	list_free(&c->ledger_not_on_roster);
	list_free(&c->roster_not_in_ledger);
	for (size_t i = 0; i < c->nvillages; i++) {
		free(c->villages[i].name);
		free(c->villages[i].file_name);
		free(c->villages[i].imported_at);
	}
	free(c->villages);
	*c = (struct roster_comparison){ 0 };
}
