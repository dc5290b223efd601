/*
 * browse.c — the lists and counts behind the officer's screens
 * (include/taizhang/browse.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/browse.h"
#include "taizhang/date.h"
#include "taizhang/model.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

static void copy_text(char *dst, size_t cap, const unsigned char *src)
{
	snprintf(dst, cap, "%s", src ? (const char *)src : "");
}

int browse_households(struct store *s, const char *query, const char *status, size_t limit,
		      struct household_row **rows, size_t *n, size_t *total, struct tz_error *err)
{
	return browse_village_households(s, NULL, query, status, limit, rows, n, total, err);
}

/* The households screen's search from search_households (db/015_county_index.sql,
 * which says why instr over names and ids is exactly the old test): ?1 the
 * text, ?2 status, ?3 limit, ?4 village, ?5 the FTS5 query giving candidates
 * of a text of three characters or more, ?6 a JSON array of rids. One pass
 * finds the matching rows (SEARCH_FTS or SEARCH_SCAN), counting them and
 * noting their rids while they are few; the list is then read by those rids
 * (SEARCH_RIDS) or, when they are many, in its order until the limit
 * (SEARCH_WALK). */
enum search_way {
	SEARCH_FTS,  /* the trigram index's candidates (a superset, narrowed by instr) */
	SEARCH_SCAN, /* every row of the store or of the village (its index) */
	SEARCH_WALK, /* the rows in the list's order (the order indexes), until the limit */
	SEARCH_RIDS, /* the rows noted */
};

/* The statement for way: the rows in the list's order, or (count) the rids
 * of the matching rows. */
static char *search_sql(enum search_way way, int count, const char *query, const char *status,
			const char *village)
{
	struct vec_text b = { 0 };
	vec_text_puts(&b, count ? "SELECT s.rid"
				: "SELECT s.household_id, coalesce(s.head, '（未登记户主）'),"
				  " coalesce(s.idcard, ''), coalesce(s.grp, ''),"
				  " coalesce(c.label, s.status), s.nm");
	if (way == SEARCH_FTS)
		vec_text_puts(&b, " FROM search_fts f CROSS JOIN search_households s ON s.rid = f.rowid");
	else if (way == SEARCH_WALK)
		vec_text_puts(&b, village ? " FROM search_households s INDEXED BY search_households_village"
					  : " FROM search_households s INDEXED BY search_households_order");
	else
		vec_text_puts(&b, " FROM search_households s");
	if (!count)
		vec_text_puts(&b, " LEFT JOIN code_list c ON c.list = 'household_status'"
				  " AND c.code = s.status");
	vec_text_puts(&b, " WHERE 1");
	if (way == SEARCH_RIDS) /* found by the pass, with every condition below */
		query = status = village = NULL;
	if (way == SEARCH_RIDS)
		vec_text_puts(&b, " AND s.rid IN (SELECT value FROM json_each(?6))");
	if (way == SEARCH_FTS)
		vec_text_puts(&b, " AND search_fts MATCH ?5");
	if (status != NULL)
		vec_text_puts(&b, " AND s.status = ?2");
	if (village != NULL)
		vec_text_puts(&b, " AND s.village_code = ?4");
	if (query != NULL)
		vec_text_puts(&b, " AND (instr(s.names, ?1) > 0 OR instr(s.ids, upper(?1)) > 0)");
	if (!count)
		vec_text_puts(&b, village && way == SEARCH_WALK
					  ? " ORDER BY s.village_code, s.grp, s.head, s.household_id LIMIT ?3"
					  : " ORDER BY s.grp, s.head, s.household_id LIMIT ?3");
	return b.text;
}

/* The same from the tables themselves, for a text holding char(31), the
 * separator of search_households' names and ids. */
static const char scan_sql[] =
	"WITH hit AS ("
	" SELECT h.id, h.status, g.name AS grp,"
	"  (SELECT m.name FROM members m WHERE m.household_id = h.id AND m.relation = 'head'"
	"   AND m.status = 'present' LIMIT 1) AS head,"
	"  (SELECT m.idcard FROM members m WHERE m.household_id = h.id AND m.relation = 'head'"
	"   AND m.status = 'present' LIMIT 1) AS idcard,"
	"  (SELECT count(*) FROM members m WHERE m.household_id = h.id AND m.status = 'present') AS nm"
	" FROM households h LEFT JOIN villager_groups g ON g.id = h.group_id"
	" WHERE (?2 IS NULL OR h.status = ?2) AND (?4 IS NULL OR h.village_code = ?4)"
	"  AND (?1 IS NULL OR instr(g.name, ?1) > 0 OR EXISTS (SELECT 1 FROM members m"
	"   WHERE m.household_id = h.id AND (instr(m.name, ?1) > 0 OR instr(m.idcard, upper(?1)) > 0))))"
	" SELECT hit.id, coalesce(head, '（未登记户主）'), coalesce(idcard, ''), coalesce(grp, ''),"
	"  coalesce(c.label, hit.status), nm, count(*) OVER ()"
	" FROM hit LEFT JOIN code_list c ON c.list = 'household_status' AND c.code = hit.status"
	" ORDER BY grp, head, hit.id LIMIT ?3";

/* The bytes of the UTF-8 character at p (1 at the end of a broken one). */
static size_t char_nbytes(const char *p)
{
	size_t n = 1;
	while ((p[n] & 0xC0) == 0x80)
		n++;
	return n;
}

/* The text from .. end appended to b as one FTS5 token: in double quotes,
 * a double quote inside doubled. */
static void fts_token(struct vec_text *b, const char *from, const char *end)
{
	vec_text_add(b, "\"", 1);
	for (const char *c = from; c < end; c++) {
		if (*c == '"')
			vec_text_add(b, "\"", 1);
		vec_text_add(b, c, 1);
	}
	vec_text_add(b, "\"", 1);
}

/* The FTS5 query giving the candidates of query from the trigram index: every
 * trigram of it, each a quoted token (double quotes doubled), joined by AND;
 * a new string. NULL when the query has fewer than min_nchars (at least 3:
 * the index cannot answer fewer) characters. */
static char *trigram_query(const char *query, size_t min_nchars)
{
	if (query == NULL || utf8_nchars(query) < min_nchars)
		return NULL;
	struct vec_text b = { 0 };
	for (const char *p = query; *p != '\0'; p += char_nbytes(p)) {
		const char *end = p;
		int k = 0;
		while (k < 3 && *end != '\0') {
			end += char_nbytes(end);
			k++;
		}
		if (k < 3)
			break;
		if (p != query)
			vec_text_puts(&b, " AND ");
		fts_token(&b, p, end);
	}
	return b.text;
}

/* At most this many trigrams begin with a two-character text for the index
 * to answer it (bigram_query); a text followed by more characters than this
 * is read from every row instead. */
#define BIGRAM_MAX_TERMS 400

/* Whether the trigram index folds c (the UTF-8 character at p, n bytes) as
 * bigram_query does: ASCII (letters to lower case) and the CJK ideographs
 * (U+3400..U+9FFF, which have no case). */
static int bigram_char(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	if (n == 1)
		return u[0] >= 0x20 && u[0] < 0x7F;
	return n == 3 && ((u[0] == 0xE3 && u[1] >= 0x90) || (u[0] >= 0xE4 && u[0] <= 0xE9));
}

/* The FTS5 query giving the candidates of a two-character query from the
 * trigram index, which cannot take fewer than three: the trigrams the index
 * holds that begin with the two (read from its vocabulary, in temp.search_vocab),
 * joined by OR. Every match has one: names and ids end each name and number
 * with char(31), so the two characters are always followed by a third. *phrase
 * is a new string, or NULL when the index cannot answer (not two characters,
 * a character it folds otherwise, too many trigrams); *none is set when no
 * trigram begins with them (nothing matches). */
static int bigram_query(struct store *s, const char *query, char **phrase, int *none,
			struct tz_error *err)
{
	*phrase = NULL;
	*none = 0;
	if (query == NULL || utf8_nchars(query) != 2)
		return TZ_OK;
	char folded[8];
	size_t n = 0;
	for (const char *p = query; *p != '\0';) {
		size_t k = char_nbytes(p);
		if (!bigram_char(p, k) || n + k >= sizeof folded)
			return TZ_OK;
		for (size_t i = 0; i < k; i++, p++)
			folded[n++] = (char)(k == 1 && *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	}
	folded[n] = '\0';
	int rc = sqlite3_exec(store_db(s),
			      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab"
			      " USING fts5vocab(main, search_fts, row)",
			      NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "查找住户", err);
	sqlite3_stmt *st;
	rc = store_prepare(s, "SELECT term FROM temp.search_vocab WHERE term >= ?1"
			      " AND term < ?1 || char(1114111) LIMIT ?2",
			   &st, "查找住户", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, folded, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, BIGRAM_MAX_TERMS + 1);
	struct vec_text b = { 0 };
	int nterms = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text(st, 0);
		if (nterms++)
			vec_text_puts(&b, " OR ");
		fts_token(&b, term, term != NULL ? term + strlen(term) : NULL);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		vec_text_free(&b);
		return store_sqlite_error(s, rc, "查找住户", err);
	}
	if (nterms == 0 || nterms > BIGRAM_MAX_TERMS) {
		vec_text_free(&b);
		*none = nterms == 0;
		return TZ_OK;
	}
	*phrase = b.text;
	return TZ_OK;
}

/* Prepare sql (taken) with the search's parameters bound; phrase is not taken. */
static int search_prepare(struct store *s, char *sql, const char *query, const char *status,
			  size_t limit, const char *village, const char *phrase, const char *rids,
			  sqlite3_stmt **st, struct tz_error *err)
{
	int rc = store_prepare(s, sql, st, "查找住户", err);
	free(sql);
	if (rc != TZ_OK)
		return rc;
	/* Parameters a statement does not use are not bound (SQLITE_RANGE). */
	sqlite3_bind_text(*st, 1, query, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(*st, 3, (sqlite3_int64)limit);
	sqlite3_bind_text(*st, 4, village, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 5, phrase, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 6, rids, -1, SQLITE_STATIC);
	return TZ_OK;
}

/* How many households match (way SEARCH_FTS or SEARCH_SCAN) into *total,
 * counted up to count_max (more: count_max + 1); their rids as a JSON array
 * into *rids (malloc'd) when at most cap, else NULL. */
static int search_match(struct store *s, enum search_way way, const char *query,
			const char *status, const char *village, const char *phrase, size_t cap,
			size_t count_max, size_t *total, char **rids, struct tz_error *err)
{
	*rids = NULL;
	sqlite3_stmt *st;
	int rc = search_prepare(s, search_sql(way, 1, query, status, village), query, status, 0,
				village, phrase, NULL, &st, err);
	if (rc != TZ_OK)
		return rc;
	struct vec_text b = { 0 };
	vec_text_puts(&b, "[");
	size_t n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++n <= cap)
			vec_text_printf(&b, "%s%lld", n > 1 ? "," : "", sqlite3_column_int64(st, 0));
		if (n > count_max) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	vec_text_puts(&b, "]");
	*total = n;
	if (rc != SQLITE_DONE || n > cap) {
		vec_text_free(&b);
		return rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, "查找住户", err);
	}
	*rids = b.text;
	return TZ_OK;
}

/* The rows of st (stepped here, finalized) into out (at most limit); *n. */
static int search_rows(struct store *s, sqlite3_stmt *st, struct household_row *out, size_t limit,
		       size_t *n, size_t *total, int with_total, struct tz_error *err)
{
	int rc;
	size_t k = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < limit) {
		struct household_row *r = &out[k++];
		copy_text(r->id, sizeof r->id, sqlite3_column_text(st, 0));
		copy_text(r->head, sizeof r->head, sqlite3_column_text(st, 1));
		copy_text(r->idcard, sizeof r->idcard, sqlite3_column_text(st, 2));
		copy_text(r->group, sizeof r->group, sqlite3_column_text(st, 3));
		copy_text(r->status, sizeof r->status, sqlite3_column_text(st, 4));
		r->nmembers = sqlite3_column_int(st, 5);
		if (with_total)
			*total = (size_t)sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	*n = k;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "查找住户", err);
	return TZ_OK;
}

/* More than WALK_SHARE * limit households found: the rows are read in the
 * list's order until the limit (about WALK_SHARE * limit rows when the
 * matches are spread evenly), not every match sorted. With a text, counting
 * stops there too (browse.h): a one-character surname or the digits of a birth
 * year match a large share of a county's households, and counting them all
 * cost a keystroke 160 ms at 400,000 households. */
#define WALK_SHARE BROWSE_COUNT_SHARE

int browse_village_households(struct store *s, const char *village_code, const char *query,
			      const char *status, size_t limit, struct household_row **rows,
			      size_t *n, size_t *total, struct tz_error *err)
{
	*rows = NULL;
	*n = 0;
	*total = 0;
	if (query != NULL && query[0] == '\0')
		query = NULL;
	if (status != NULL && status[0] == '\0')
		status = NULL;
	struct household_row *out = xcalloc(limit ? limit : 1, sizeof *out);
	sqlite3_stmt *st;
	int rc;
	if (query != NULL && strchr(query, '\x1f') != NULL) {
		rc = store_prepare(s, scan_sql, &st, "查找住户", err);
		if (rc == TZ_OK) {
			sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
			sqlite3_bind_text(st, 4, village_code, -1, SQLITE_STATIC);
			rc = search_rows(s, st, out, limit, n, total, 1, err);
		}
	} else {
		/* One village is read whole sooner than a common text's candidates
		 * in every village are narrowed to it. */
		char *phrase = trigram_query(query, village_code != NULL ? 4 : 3);
		char *rids = NULL;
		int none = 0;
		rc = TZ_OK;
		if (phrase == NULL && village_code == NULL)
			rc = bigram_query(s, query, &phrase, &none, err);
		if (rc == TZ_OK && none)
			rids = xstrdup("[]");
		else if (rc == TZ_OK)
			rc = search_match(s, phrase != NULL ? SEARCH_FTS : SEARCH_SCAN, query, status,
					  village_code, phrase, WALK_SHARE * limit,
					  query != NULL ? WALK_SHARE * limit : SIZE_MAX, total, &rids,
					  err);
		enum search_way way = rids != NULL ? SEARCH_RIDS : SEARCH_WALK;
		if (rc == TZ_OK)
			rc = search_prepare(s, search_sql(way, 0, query, status, village_code), query,
					    status, limit, village_code, phrase, rids, &st, err);
		if (rc == TZ_OK)
			rc = search_rows(s, st, out, limit, n, total, 0, err);
		free(phrase);
		free(rids);
	}
	if (rc != TZ_OK) {
		free(out);
		*n = 0;
		*total = 0;
		return rc;
	}
	*rows = out;
	return TZ_OK;
}

/* The households noted while the index was deferred, refreshed: what
 * db/015's trigger search_refresh_now does for one household (its row removed
 * when the household is gone, else set from the view, made when missing),
 * done here for all of them in three statements instead of three trigger
 * statements each. */
#define SEARCH_COLUMNS "village_code, status, grp, head, idcard, nm, names, ids"
static const char search_refresh_noted[] =
	"UPDATE search_state SET deferred = 0;"
	"DELETE FROM search_households WHERE household_id IN (SELECT household_id FROM search_dirty)"
	" AND NOT EXISTS (SELECT 1 FROM households WHERE id = search_households.household_id);"
	"UPDATE search_households SET (" SEARCH_COLUMNS ") = (SELECT " SEARCH_COLUMNS
	" FROM search_households_source v WHERE v.household_id = search_households.household_id)"
	" WHERE household_id IN (SELECT household_id FROM search_dirty);"
	"INSERT INTO search_households(household_id, " SEARCH_COLUMNS ")"
	" SELECT household_id, " SEARCH_COLUMNS " FROM search_households_source v"
	" WHERE v.household_id IN (SELECT household_id FROM search_dirty)"
	" AND NOT EXISTS (SELECT 1 FROM search_households x WHERE x.household_id = v.household_id);"
	"DELETE FROM search_dirty";
#undef SEARCH_COLUMNS

int browse_search_defer(struct store *s, int on)
{
	return sqlite3_exec(store_db(s), on ? "UPDATE search_state SET deferred = 1" : search_refresh_noted,
			    NULL, NULL, NULL);
}

/* The first column of a one-row query with :today bound. */
static int scalar(struct store *s, const char *sql, const char *today, int *out,
		  struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, sql, &st, "统计", err);
	if (rc != TZ_OK)
		return rc;
	int i = sqlite3_bind_parameter_index(st, ":today");
	if (i > 0)
		sqlite3_bind_text(st, i, today, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "统计", err);
	return TZ_OK;
}

int browse_home(struct store *s, struct home_summary *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	int32_t today_day = date_today();
	snprintf(out->code, sizeof out->code, "%s", store_keyring(s)->division_code);
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT value FROM store_meta WHERE key = 'name'",
				  &st, "读取概况", err);
	if (rc != TZ_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		copy_text(out->village, sizeof out->village, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);

	rc = store_prepare(s, "SELECT c.code, c.label, count(h.id) FROM code_list c"
			      " LEFT JOIN households h ON h.status = c.code"
			      " WHERE c.list = 'household_status' GROUP BY c.code ORDER BY c.sort",
			      &st, "读取概况", err);
	if (rc != TZ_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->nstatuses < BROWSE_MAX_STATUSES) {
		copy_text(out->statuses[out->nstatuses].code, sizeof out->statuses[0].code,
			  sqlite3_column_text(st, 0));
		copy_text(out->statuses[out->nstatuses].label, sizeof out->statuses[0].label,
			  sqlite3_column_text(st, 1));
		out->statuses[out->nstatuses].count = sqlite3_column_int(st, 2);
		out->households += out->statuses[out->nstatuses++].count;
	}
	sqlite3_finalize(st);

	struct {
		const char *sql;
		int *out;
	} counts[] = {
		{ "SELECT count(*) FROM members WHERE status = 'present'", &out->members },
		{ "SELECT count(*) FROM visits WHERE visited_on BETWEEN substr(:today, 1, 8) || '01' AND :today",
		  &out->visits_this_month },
		{ "SELECT count(*) FROM cadre_assignments a WHERE a.since <= :today"
		  " AND (a.until IS NULL OR a.until >= :today) AND NOT EXISTS (SELECT 1 FROM visits v"
		  "  WHERE v.cadre_id = a.cadre_id AND v.household_id = a.household_id"
		  "  AND v.visited_on BETWEEN substr(:today, 1, 8) || '01' AND :today)",
		  &out->visits_owed },
		{ "SELECT count(*) FROM problems WHERE state <> 'closed'", &out->problems_open },
		{ "SELECT count(*) FROM problems WHERE state <> 'closed' AND deadline < :today",
		  &out->problems_overdue },
	};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		if ((rc = scalar(s, counts[i].sql, today, counts[i].out, err)) != TZ_OK)
			return rc;

	rc = sqlite3_prepare_v2(store_db(s), "SELECT label, due FROM deadlines ORDER BY due, key", -1,
				&st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取时间节点", err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->ndeadlines < BROWSE_MAX_DEADLINES) {
		int32_t due = 0;
		copy_text(out->deadlines[out->ndeadlines].label, sizeof out->deadlines[0].label,
			  sqlite3_column_text(st, 0));
		copy_text(out->deadlines[out->ndeadlines].due, sizeof out->deadlines[0].due,
			  sqlite3_column_text(st, 1));
		date_parse(out->deadlines[out->ndeadlines].due, &due);
		out->deadlines[out->ndeadlines++].days_left = (int)(due - today_day);
	}
	sqlite3_finalize(st);
	return TZ_OK;
}

void browse_rows_free(struct browse_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		for (size_t c = 0; c < BROWSE_MAX_COLUMNS; c++)
			free(rows[i].cells[c]);
	free(rows);
}

/* How a reference (or a numbered INT) is named in a list: the SQL naming the
 * row of ref_table whose key is %1$s (the column of alias t), as
 * browse_ref_choices names it, without the ID number a picker adds. */
static const struct {
	const char *ref_table;
	const char *expr;
} ref_names[] = {
	{ "members", "(SELECT name FROM members WHERE id = t.%1$s)" },
	{ "cadres", "(SELECT name FROM cadres WHERE id = t.%1$s)" },
	{ "villager_groups", "(SELECT name FROM villager_groups WHERE id = t.%1$s)" },
	{ "households", "(SELECT coalesce((SELECT name FROM members m WHERE m.household_id = t.%1$s"
			" AND m.relation = 'head' AND m.status = 'present'), '（未登记户主）'))" },
	{ "projects", "(SELECT name FROM projects WHERE id = t.%1$s)" },
	{ "marginal_households", "(SELECT head_name FROM marginal_households WHERE id = t.%1$s)" },
	{ "villages", "(SELECT name FROM villages WHERE code = t.%1$s)" },
	{ "problem_areas", "coalesce((SELECT label || name FROM problem_areas WHERE area = t.%1$s), t.%1$s)" },
	{ "tasks", "coalesce((SELECT task || '. ' || name FROM tasks WHERE task = t.%1$s), t.%1$s)" },
};

/* The SQL expression that shows column f of table alias t as an officer reads it. */
static void display_expr(const struct field_def *f, char *out, size_t cap)
{
	switch (f->type) {
	case FIELD_ENUM:
		snprintf(out, cap, "coalesce((SELECT label FROM code_list WHERE list = '%s' AND code = t.%s), t.%s)",
			 f->code_list, f->column, f->column);
		return;
	case FIELD_MONEY:
		snprintf(out, cap, "coalesce(tz_yuan(t.%s), '')", f->column);
		return;
	case FIELD_CODES: /* "a,b" as "甲、乙", in the list's order */
		snprintf(out, cap,
			 "coalesce((SELECT group_concat(label, '、') FROM (SELECT label FROM code_list"
			 " WHERE list = '%s' AND instr(',' || t.%s || ',', ',' || code || ',') > 0"
			 " ORDER BY sort)), t.%s)",
			 f->code_list, f->column, f->column);
		return;
	case FIELD_BOOL:
		snprintf(out, cap, "CASE t.%s WHEN 1 THEN '是' WHEN 0 THEN '否' ELSE '' END", f->column);
		return;
	case FIELD_INT:
	case FIELD_REF:
		/* A reference, or a number named by a reference table: the name. */
		for (size_t i = 0; f->ref_table != NULL && i < sizeof ref_names / sizeof ref_names[0]; i++)
			if (strcmp(f->ref_table, ref_names[i].ref_table) == 0) {
				snprintf(out, cap, ref_names[i].expr, f->column);
				return;
			}
		snprintf(out, cap, f->type == FIELD_REF ? "''" : "t.%s", f->column);
		return;
	default:
		snprintf(out, cap, "t.%s", f->column);
		return;
	}
}

/* Run sql (parameter ?1 = p1 if given) collecting id + ncells text cells. */
static int collect(struct store *s, const char *sql, const char *p1, size_t ncells,
		   struct browse_row **rows, size_t *n, struct tz_error *err)
{
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = store_prepare(s, sql, &st, "读取列表", err);
	if (rc != TZ_OK)
		return rc;
	if (p1 != NULL)
		sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
	size_t cap = 0;
	struct browse_row *out = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct browse_row *r = VEC_PUSH(out, *n, cap);
		memset(r, 0, sizeof *r);
		copy_text(r->id, sizeof r->id, sqlite3_column_text(st, 0));
		for (size_t c = 0; c < ncells && c < BROWSE_MAX_COLUMNS; c++) {
			const unsigned char *v = sqlite3_column_text(st, (int)c + 1);
			r->cells[c] = xstrdup(v ? (const char *)v : "");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		browse_rows_free(out, *n);
		*n = 0;
		return store_sqlite_error(s, rc, "读取列表", err);
	}
	*rows = out;
	return TZ_OK;
}

int browse_children(struct store *s, const struct table_def *def, const char *household_id,
		    const char *const *columns, size_t ncolumns, struct browse_row **rows,
		    size_t *n, struct tz_error *err)
{
	char sql[4096];
	size_t used = (size_t)snprintf(sql, sizeof sql, "SELECT t.id");
	for (size_t i = 0; i < ncolumns && i < BROWSE_MAX_COLUMNS; i++) {
		const struct field_def *f = model_field(def, columns[i]);
		const char *colon = strchr(columns[i], ':');
		char expr[512];
		if (f != NULL) {
			display_expr(f, expr, sizeof expr);
		} else if (colon != NULL && strspn(columns[i], "abcdefghijklmnopqrstuvwxyz_:") == strlen(columns[i])) {
			/* "column:code_list": a column outside the model, shown by its label. */
			struct field_def shown = { 0 };
			char column[64], list[64];
			snprintf(column, sizeof column, "%.*s", (int)(colon - columns[i]), columns[i]);
			snprintf(list, sizeof list, "%s", colon + 1);
			shown.column = column;
			shown.type = FIELD_ENUM;
			shown.code_list = list;
			display_expr(&shown, expr, sizeof expr);
		} else {
			snprintf(expr, sizeof expr, "''");
		}
		used += (size_t)snprintf(sql + used, sizeof sql - used, ", %s", expr);
	}
	/* Newest first: by the first date column shown, then by entry. */
	const char *order = "t.created_at";
	for (size_t i = 0; i < ncolumns && i < BROWSE_MAX_COLUMNS; i++) {
		const struct field_def *f = model_field(def, columns[i]);
		if (f != NULL && f->type == FIELD_DATE) {
			order = f->column;
			break;
		}
	}
	const char *where = household_id == NULL ? "1"
			    : model_field(def, "household_id") ? "t.household_id = ?1"
			    : model_field(def, "member_id")
				    ? "t.member_id IN (SELECT id FROM members WHERE household_id = ?1)"
				    : "0";
	snprintf(sql + used, sizeof sql - used,
		 " FROM %s t WHERE %s ORDER BY t.%s DESC, t.created_at DESC, t.id LIMIT 500", def->table,
		 where, strchr(order, '.') ? order + 2 : order);
	return collect(s, sql, household_id, ncolumns, rows, n, err);
}

/* What a reference field picks from, by the table it names: every row; the
 * rows of one household (?1; NULL: not by household); the rows of one
 * village (?1; NULL: every row). */
static const struct ref_choices {
	const char *table, *all, *of_household, *of_village;
} ref_choices[] = {
	{ "members", "SELECT id, name || '  ' || idcard FROM members WHERE status = 'present' ORDER BY name",
	  "SELECT id, name || '  ' || idcard FROM members WHERE household_id = ?1"
	  " AND status = 'present' ORDER BY relation = 'head' DESC, birth_date",
	  "SELECT m.id, m.name || '  ' || m.idcard FROM members m"
	  " JOIN households h ON h.id = m.household_id"
	  " WHERE h.village_code = ?1 AND m.status = 'present' ORDER BY m.name" },
	{ "cadres", "SELECT id, name || '  ' || unit FROM cadres ORDER BY name", NULL, NULL },
	{ "villager_groups", "SELECT id, name FROM villager_groups ORDER BY name", NULL, NULL },
	{ "households",
	  "SELECT h.id, coalesce((SELECT name || '  ' || idcard FROM members m WHERE m.household_id = h.id"
	  " AND m.relation = 'head' AND m.status = 'present'), '（未登记户主）') FROM households h ORDER BY 2",
	  NULL,
	  "SELECT h.id, coalesce((SELECT name || '  ' || idcard FROM members m"
	  " WHERE m.household_id = h.id AND m.relation = 'head' AND m.status = 'present'),"
	  " '（未登记户主）') FROM households h WHERE h.village_code = ?1 ORDER BY 2" },
	{ "projects", "SELECT id, name FROM projects ORDER BY name", NULL, NULL },
	{ "marginal_households",
	  "SELECT id, head_name || '  ' || head_idcard FROM marginal_households ORDER BY head_name", NULL,
	  NULL },
	{ "villages", "SELECT code, name FROM villages ORDER BY code", NULL, NULL },
	/* numbered: the id is the number */
	{ "problem_areas", "SELECT area, label || name FROM problem_areas ORDER BY area", NULL, NULL },
	{ "tasks", "SELECT task, task || '. ' || name FROM tasks ORDER BY task", NULL, NULL },
	/* the town's units, then groups of units */
	{ "units", "SELECT code, name FROM units ORDER BY kind <> 'town_unit', rowid", NULL, NULL },
};

static const struct ref_choices *ref_choices_of(const char *table)
{
	for (size_t i = 0; i < sizeof ref_choices / sizeof ref_choices[0]; i++)
		if (strcmp(ref_choices[i].table, table) == 0)
			return &ref_choices[i];
	return NULL;
}

int browse_ref_choices(struct store *s, const char *table, const char *household_id,
		       struct browse_row **rows, size_t *n, struct tz_error *err)
{
	const struct ref_choices *c = ref_choices_of(table);
	if (c == NULL)
		return tz_error_set(err, TZ_EFAIL, "内部错误：不能从“%s”中选择", table);
	if (household_id != NULL && c->of_household != NULL)
		return collect(s, c->of_household, household_id, 1, rows, n, err);
	return collect(s, c->all, NULL, 1, rows, n, err);
}

int browse_village_ref_choices(struct store *s, const char *table, const char *village_code,
			       struct browse_row **rows, size_t *n, struct tz_error *err)
{
	const struct ref_choices *c = ref_choices_of(table);
	if (c != NULL && c->of_village != NULL)
		return collect(s, c->of_village, village_code, 1, rows, n, err);
	return browse_ref_choices(s, table, NULL, rows, n, err);
}

int browse_villages(struct store *s, struct browse_row **rows, size_t *n, struct tz_error *err)
{
	return collect(s,
		       "SELECT v.code, v.name,"
		       " (SELECT count(*) FROM households h WHERE h.village_code = v.code),"
		       " (SELECT count(*) FROM problems p WHERE p.village_code = v.code"
		       "  AND p.state <> 'closed')"
		       " FROM villages v ORDER BY v.code",
		       NULL, 3, rows, n, err);
}

int browse_ref_label(struct store *s, const char *table, const char *id, char *out,
		     size_t out_nbytes, struct tz_error *err)
{
	struct browse_row *rows;
	size_t n;
	out[0] = '\0';
	int rc = browse_ref_choices(s, table, NULL, &rows, &n, err);
	if (rc != TZ_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].id, id) == 0)
			snprintf(out, out_nbytes, "%s", rows[i].cells[0]);
	browse_rows_free(rows, n);
	return TZ_OK;
}

int browse_codes(struct store *s, const char *list, struct browse_row **rows, size_t *n,
		 struct tz_error *err)
{
	char sql[256];
	sqlite3_snprintf(sizeof sql, sql, "SELECT code, label FROM code_list WHERE list = %Q ORDER BY sort", list);
	return collect(s, sql, NULL, 1, rows, n, err);
}
