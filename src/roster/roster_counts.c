/*
 * roster_counts.c — only the counts of the 低保 comparison (what a report
 * shows): the same numbers as roster_compare.c, without its lists, names or
 * order, and so much cheaper on a town's many villages. A town's report
 * reads the registered side of all its villages at once
 * (roster_registered_read) and counts each village from it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/date.h"
#include "taizhang/idcard.h"
#include "taizhang/keyring.h"
#include "taizhang/ids.h"

#include "taizhang/strmap.h"
#include "taizhang/vec.h"

#include "roster_internal.h"

/* The counts need no names, places or order: only which households have
 * people with which ID numbers (keys). A person here is a key and a household
 * number; a set of keys answers "is this number on the other side". */
struct keyed {
	char key[IDS_NCHARS + 8];
	size_t household;
};

struct key_side {
	struct keyed *people;
	size_t npeople, cap;
	size_t nhouseholds;
	unsigned char *ledger; /* registered: the ledger records 低保 (by household) */
	size_t ledger_cap;
	size_t persons;        /* 低保: 保障人数 in all */
};

static void key_side_add(struct key_side *sd, const char *idcard, size_t household)
{
	struct keyed *p = VEC_PUSH(sd->people, sd->npeople, sd->cap);
	roster_idcard_key(idcard, p->key, sizeof p->key);
	p->household = household;
}

/* An open-addressing set of the keys of a side's people (pointers into them). */
struct key_set {
	const char **slots;
	size_t mask;
};

static uint64_t key_hash(const char *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static void key_set_build(struct key_set *set, const struct key_side *sd)
{
	size_t n = 16;
	while (n < 2 * sd->npeople)
		n *= 2;
	set->slots = xrealloc(NULL, n * sizeof *set->slots);
	memset(set->slots, 0, n * sizeof *set->slots);
	set->mask = n - 1;
	for (size_t i = 0; i < sd->npeople; i++) {
		const char *key = sd->people[i].key;
		size_t at = (size_t)key_hash(key) & set->mask;
		while (set->slots[at] != NULL && strcmp(set->slots[at], key) != 0)
			at = (at + 1) & set->mask;
		set->slots[at] = key;
	}
}

static int key_set_has(const struct key_set *set, const char *key)
{
	size_t at = (size_t)key_hash(key) & set->mask;
	while (set->slots[at] != NULL) {
		if (strcmp(set->slots[at], key) == 0)
			return 1;
		at = (at + 1) & set->mask;
	}
	return 0;
}

/* How many households of from have no person (with a key) among other's: the
 * n of split's only list; found (may be NULL; nhouseholds) marks the others. */
static size_t count_only(const struct key_side *from, const struct key_set *other,
			 unsigned char *found_out)
{
	unsigned char *found = xrealloc(NULL, from->nhouseholds ? from->nhouseholds : 1);
	memset(found, 0, from->nhouseholds ? from->nhouseholds : 1);
	size_t nfound = 0;
	for (size_t i = 0; i < from->npeople; i++) {
		const struct keyed *p = &from->people[i];
		if (p->key[0] == '\0' || found[p->household])
			continue;
		if (key_set_has(other, p->key)) {
			found[p->household] = 1;
			nfound++;
		}
	}
	if (found_out != NULL)
		memcpy(found_out, found, from->nhouseholds);
	free(found);
	return from->nhouseholds - nfound;
}

/* Add the row of st (household rowid at column col, its member's ID number
 * or NULL next, then whether the ledger records 低保) to sd, whose last
 * household is *last (rowid): the rows of a household come together. */
static void registered_row_add(struct key_side *sd, sqlite3_stmt *st, int col, sqlite3_int64 *last)
{
	sqlite3_int64 rowid = sqlite3_column_int64(st, col);
	if (sd->nhouseholds == 0 || rowid != *last) {
		sd->nhouseholds++;
		VEC_RESERVE(sd->ledger, sd->ledger_cap, sd->nhouseholds);
		sd->ledger[sd->nhouseholds - 1] = sqlite3_column_int(st, col + 2) != 0;
		*last = rowid;
	}
	if (sqlite3_column_type(st, col + 1) != SQLITE_NULL) /* else no member present */
		key_side_add(sd, roster_col_text(st, col + 1), sd->nhouseholds - 1);
}

/* The registered side (load_registered's households and people): every
 * household of village (NULL: all), and the ID numbers of its present members. */
static int load_registered_keys(struct store *s, const char *village, struct key_side *sd,
				struct tz_error *err)
{
	/* Households through households_village (007), members through the
	 * covering members_household: no table row of a member is read. */
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		store_db(s),
		village == NULL
			? "SELECT h.rowid, m.idcard, " LEDGER_DIBAO_SQL " FROM households h LEFT JOIN members m"
			  " ON m.household_id = h.id AND m.status = 'present'"
			: "SELECT h.rowid, m.idcard, " LEDGER_DIBAO_SQL " FROM households h LEFT JOIN members m"
			  " ON m.household_id = h.id AND m.status = 'present'"
			  " WHERE h.village_code = ?1",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	if (village != NULL)
		sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	sqlite3_bind_text(st, 9, today, -1, SQLITE_TRANSIENT);
	sqlite3_int64 last = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		registered_row_add(sd, st, 0, &last);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	return TZ_OK;
}

/* ---- the registered side of every village at once ---- */

struct roster_registered {
	struct strmap villages; /* village code → index in sides */
	struct key_side *sides;
	size_t nsides, cap;
};

void roster_registered_free(struct roster_registered *reg)
{
	if (reg == NULL)
		return;
	for (size_t i = 0; i < reg->nsides; i++) {
		free(reg->sides[i].people);
		free(reg->sides[i].ledger);
	}
	free(reg->sides);
	strmap_free(&reg->villages);
	free(reg);
}

/* The side of reg (its index) for the village code of column col of st,
 * made when new. */
static size_t village_side(struct roster_registered *reg, sqlite3_stmt *st, int col)
{
	const char *code = roster_col_text(st, col);
	int added;
	size_t *v = strmap_put(&reg->villages, code, strlen(code), &added);
	if (added) {
		*v = reg->nsides;
		*VEC_PUSH(reg->sides, reg->nsides, reg->cap) = (struct key_side){ 0 };
	}
	return *v;
}

/* As one statement: the households in the order of their ids (the primary
 * key's index), so that members_household and social_security's index, both
 * by household first, are read from one end to the other. */
static int registered_by_statement(struct store *s, struct roster_registered *reg,
				   struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s),
				    "SELECT h.village_code, h.rowid, m.idcard, " LEDGER_DIBAO_SQL
				    " FROM households hx CROSS JOIN households h ON h.rowid = hx.rowid"
				    " LEFT JOIN members m ON m.household_id = h.id AND m.status = 'present'"
				    " ORDER BY hx.id",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	sqlite3_bind_text(st, 9, today, -1, SQLITE_TRANSIENT);
	sqlite3_int64 last = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t side = village_side(reg, st, 0); /* may move the sides */
		/* a household's rows come together, whichever village it is of */
		registered_row_add(&reg->sides[side], st, 1, &last);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	return TZ_OK;
}

/* A household of the pass: its side (index in the sides) and its number there. */
struct pass_household {
	size_t side, at;
};

/* Column 0 of st, a household id, to its household in map (NULL when it is
 * not a text, or no household's: = with a household's id, a text, is false). */
static const struct pass_household *household_of(const struct strmap *map,
						 const struct pass_household *hh, sqlite3_stmt *st)
{
	if (sqlite3_column_type(st, 0) != SQLITE_TEXT)
		return NULL;
	const char *id = (const char *)sqlite3_column_blob(st, 0);
	const size_t *v = strmap_get(map, id != NULL ? id : "", (size_t)sqlite3_column_bytes(st, 0));
	return v != NULL ? &hh[*v] : NULL;
}

/* As three passes, each over one table in its stored order: the households,
 * then which of them the ledger records 低保 for (the statement's EXISTS, as
 * a scan of social_security), then their present members. The counts need
 * no order (the households' and people's numbers only tie them together), so
 * no table is read in another's order. *plain is 0 when a household's id is
 * not a text (a BLOB equals a BLOB): the statement decides then. */
static int registered_by_passes(struct store *s, struct roster_registered *reg, int *plain,
				struct tz_error *err)
{
	struct strmap map; /* household id → index in hh */
	strmap_init(&map);
	struct pass_household *hh = NULL;
	size_t nhh = 0, cap = 0;
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT id, village_code FROM households", &st, "读取建档立卡户",
			       err);
	*plain = 1;
	int src = SQLITE_DONE;
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_TEXT) {
			*plain = 0;
			src = SQLITE_DONE;
			break;
		}
		size_t side = village_side(reg, st, 1);
		struct key_side *sd = &reg->sides[side];
		sd->nhouseholds++;
		VEC_RESERVE(sd->ledger, sd->ledger_cap, sd->nhouseholds);
		sd->ledger[sd->nhouseholds - 1] = 0;
		const char *id = (const char *)sqlite3_column_blob(st, 0);
		*strmap_put(&map, id != NULL ? id : "", (size_t)sqlite3_column_bytes(st, 0), NULL) = nhh;
		*VEC_PUSH(hh, nhh, cap) = (struct pass_household){ side, sd->nhouseholds - 1 };
	}
	if (rc == TZ_OK) {
		sqlite3_finalize(st);
		if (src != SQLITE_DONE)
			rc = store_sqlite_error(s, src, "读取建档立卡户", err);
	}
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	if (rc == TZ_OK && *plain) {
		rc = store_prepare(s, "SELECT ss.household_id FROM social_security ss"
				      " WHERE ss.kind = 'dibao' AND ss.start_on <= ?1"
				      " AND (ss.end_on IS NULL OR ss.end_on >= ?1)",
				   &st, "读取建档立卡户", err);
		if (rc == TZ_OK) {
			sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				const struct pass_household *h = household_of(&map, hh, st);
				if (h != NULL)
					reg->sides[h->side].ledger[h->at] = 1;
			}
			rc = rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, "读取建档立卡户", err);
			sqlite3_finalize(st);
		}
	}
	if (rc == TZ_OK && *plain) {
		rc = store_prepare(s, "SELECT m.household_id, m.idcard FROM members m"
				      " WHERE m.status = 'present' AND m.idcard IS NOT NULL",
				   &st, "读取建档立卡户", err);
		if (rc == TZ_OK) {
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				const struct pass_household *h = household_of(&map, hh, st);
				if (h != NULL)
					key_side_add(&reg->sides[h->side], roster_col_text(st, 1),
						     h->at);
			}
			rc = rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, "读取建档立卡户", err);
			sqlite3_finalize(st);
		}
	}
	free(hh);
	strmap_free(&map);
	return rc;
}

int roster_registered_read(struct store *s, struct roster_registered **out, struct tz_error *err)
{
	*out = NULL;
	struct roster_registered *reg = xcalloc(1, sizeof *reg);
	strmap_init(&reg->villages);
	int plain = 1;
	int rc = registered_by_passes(s, reg, &plain, err);
	if (rc == TZ_OK && !plain) {
		roster_registered_free(reg);
		reg = xcalloc(1, sizeof *reg);
		strmap_init(&reg->villages);
		rc = registered_by_statement(s, reg, err);
	}
	if (rc != TZ_OK) {
		roster_registered_free(reg);
		return rc;
	}
	*out = reg;
	return TZ_OK;
}

/* The side of village in reg (one with no household when it has none). */
static const struct key_side *registered_side(const struct roster_registered *reg,
					      const char *village)
{
	static const struct key_side none = { 0 };
	const size_t *v = village != NULL ? strmap_get(&reg->villages, village, strlen(village)) : NULL;
	return v != NULL ? &reg->sides[*v] : &none;
}

/* A row of the 低保 roster, and a 户主身份证号 with its rows (load_dibao's
 * order: by the smallest village of its rows, the smallest 户主姓名, then the
 * number itself). */
struct dibao_line {
	char *head, *head_name, *village, *idcard;
	long long covered;
};

struct dibao_head {
	const char *head, *village, *head_name; /* the number; its rows' smallest village, name */
	size_t first, n;                        /* its rows, in rows sorted by head */
};

static int dibao_line_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dibao_line *)a)->head, ((const struct dibao_line *)b)->head);
}

static int dibao_head_cmp(const void *a, const void *b)
{
	const struct dibao_head *x = a, *y = b;
	int c = strcmp(x->village, y->village);
	if (c == 0)
		c = strcmp(x->head_name, y->head_name);
	return c != 0 ? c : strcmp(x->head, y->head);
}

/* The 低保 side as load_dibao groups it into households: in its order, a
 * household is a run of rows whose 户主身份证号 have one key; its people are
 * its rows and its head. */
static int load_dibao_keys(struct store *s, const struct dibao_source *src, struct key_side *sd,
			   struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT head_idcard, head_name, coalesce(village, ''), idcard,"
				  " coalesce(covered, -1) FROM dibao_roster WHERE" DIBAO_SOURCE_WHERE,
			       &st, "读取低保名册", err);
	if (rc != TZ_OK)
		return rc;
	roster_dibao_source_bind(st, src);
	struct dibao_line *rows = NULL;
	size_t nrows = 0, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*VEC_PUSH(rows, nrows, cap) = (struct dibao_line){ xstrdup(roster_col_text(st, 0)), xstrdup(roster_col_text(st, 1)),
						    xstrdup(roster_col_text(st, 2)), xstrdup(roster_col_text(st, 3)),
						    sqlite3_column_int64(st, 4) };
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		/* The numbers, each with the smallest village and name of its rows
		 * (min() OVER (PARTITION BY head_idcard) in load_dibao). */
		if (nrows > 0)
			roster_sort(rows, nrows, sizeof *rows, dibao_line_cmp);
		struct dibao_head *groups = xrealloc(NULL, (nrows ? nrows : 1) * sizeof *groups);
		size_t ngroups = 0;
		for (size_t i = 0; i < nrows; i++) {
			if (ngroups == 0 || strcmp(groups[ngroups - 1].head, rows[i].head) != 0)
				groups[ngroups++] = (struct dibao_head){ rows[i].head, rows[i].village,
									 rows[i].head_name, i, 0 };
			struct dibao_head *g = &groups[ngroups - 1];
			g->n++;
			if (strcmp(rows[i].village, g->village) < 0)
				g->village = rows[i].village;
			if (strcmp(rows[i].head_name, g->head_name) < 0)
				g->head_name = rows[i].head_name;
		}
		if (ngroups > 0)
			roster_sort(groups, ngroups, sizeof *groups, dibao_head_cmp);
		char last[IDS_NCHARS + 8] = "", key[IDS_NCHARS + 8];
		size_t nrows_hh = 0;
		long long covered = -1;
		for (size_t i = 0; i < ngroups; i++) {
			roster_idcard_key(groups[i].head, key, sizeof key);
			if (i == 0 || strcmp(key, last) != 0) {
				/* A new household; its head counts as one of its people. */
				if (sd->nhouseholds > 0)
					sd->persons += covered >= 0 ? (size_t)covered : nrows_hh;
				nrows_hh = 0;
				covered = -1;
				sd->nhouseholds++;
				key_side_add(sd, groups[i].head, sd->nhouseholds - 1);
				snprintf(last, sizeof last, "%s", key);
			}
			for (size_t k = 0; k < groups[i].n; k++) {
				const struct dibao_line *l = &rows[groups[i].first + k];
				key_side_add(sd, l->idcard, sd->nhouseholds - 1);
				if (l->covered > covered)
					covered = l->covered;
				nrows_hh++;
			}
		}
		if (sd->nhouseholds > 0)
			sd->persons += covered >= 0 ? (size_t)covered : nrows_hh;
		free(groups);
	}
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].head);
		free(rows[i].head_name);
		free(rows[i].village);
		free(rows[i].idcard);
	}
	free(rows);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	return TZ_OK;
}

/* What count_one adds to, and the registered side it may take from. */
struct count_ctx {
	struct roster_comparison_counts *out;
	const struct roster_registered *reg; /* NULL: read each village's */
};

/* One village (NULL at a village store: all) against src, added to the
 * struct count_ctx ctx (roster_village_fn: a village of a town without a
 * roster adds nothing). */
static int count_one(struct store *s, const char *village, const char *name,
		     const struct dibao_source *src, void *ctx, struct tz_error *err)
{
	(void)name;
	const struct count_ctx *c = ctx;
	struct roster_comparison_counts *out = c->out;
	if (src == NULL)
		return TZ_OK;
	struct key_side own = { 0 }, dib = { 0 };
	const struct key_side *reg = &own;
	int status = TZ_OK;
	if (c->reg != NULL && village != NULL)
		reg = registered_side(c->reg, village);
	else
		status = load_registered_keys(s, village, &own, err);
	if (status == TZ_OK)
		status = load_dibao_keys(s, src, &dib, err);
	if (status == TZ_OK) {
		struct key_set reg_keys, dib_keys;
		key_set_build(&reg_keys, reg);
		key_set_build(&dib_keys, &dib);
		unsigned char *found = xrealloc(NULL, reg->nhouseholds ? reg->nhouseholds : 1);
		out->registered += reg->nhouseholds;
		out->dibao += dib.nhouseholds;
		out->dibao_persons += dib.persons;
		out->registered_only += count_only(reg, &dib_keys, found);
		out->dibao_only += count_only(&dib, &reg_keys, NULL);
		for (size_t i = 0; i < reg->nhouseholds; i++) {
			out->ledger_dibao += reg->ledger[i];
			out->ledger_not_on_roster += reg->ledger[i] && !found[i];
			out->roster_not_in_ledger += !reg->ledger[i] && found[i];
		}
		free(found);
		free(reg_keys.slots);
		free(dib_keys.slots);
	}
	free(own.people);
	free(own.ledger);
	free(dib.people);
	return status;
}

int roster_compare_dibao_counts_with(struct store *s, const char *village,
				     const struct roster_registered *reg,
				     struct roster_comparison_counts *out, struct tz_error *err)
{
	*out = (struct roster_comparison_counts){ 0 };
	struct count_ctx c = { out, reg };
	int status = roster_compare_each(s, village, count_one, &c, &out->imported_at,
					 &out->file_name, err);
	if (status != TZ_OK)
		roster_comparison_counts_free(out);
	return status;
}

int roster_compare_dibao_counts(struct store *s, const char *village,
				struct roster_comparison_counts *out, struct tz_error *err)
{
	return roster_compare_dibao_counts_with(s, village, NULL, out, err);
}

void roster_comparison_counts_free(struct roster_comparison_counts *c)
{
	free(c->imported_at);
	free(c->file_name);
	*c = (struct roster_comparison_counts){ 0 };
}
