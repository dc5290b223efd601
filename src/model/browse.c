/*
 * browse.c — the lists and counts behind the officer's screens
 * (include/taizhang/browse.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/browse.h"
#include "taizhang/date.h"
#include "taizhang/model.h"
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

int browse_village_households(struct store *s, const char *village_code, const char *query,
			      const char *status, size_t limit, struct household_row **rows,
			      size_t *n, size_t *total, struct tz_error *err)
{
	*rows = NULL;
	*n = 0;
	*total = 0;
	static const char sql[] =
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
	sqlite3_stmt *st;
	int rc = store_prepare(s, sql, &st, "查找住户", err);
	if (rc != TZ_OK)
		return rc;
	if (query != NULL && query[0] != '\0')
		sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	if (status != NULL && status[0] != '\0')
		sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	if (village_code != NULL)
		sqlite3_bind_text(st, 4, village_code, -1, SQLITE_STATIC);
	struct household_row *out = xcalloc(limit, sizeof *out);
	size_t k = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < limit) {
		struct household_row *r = &out[k++];
		copy_text(r->id, sizeof r->id, sqlite3_column_text(st, 0));
		copy_text(r->head, sizeof r->head, sqlite3_column_text(st, 1));
		copy_text(r->idcard, sizeof r->idcard, sqlite3_column_text(st, 2));
		copy_text(r->group, sizeof r->group, sqlite3_column_text(st, 3));
		copy_text(r->status, sizeof r->status, sqlite3_column_text(st, 4));
		r->nmembers = sqlite3_column_int(st, 5);
		*total = (size_t)sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(out);
		return store_sqlite_error(s, rc, "查找住户", err);
	}
	*rows = out;
	*n = k;
	return TZ_OK;
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
