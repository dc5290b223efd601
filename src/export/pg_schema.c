/*
 * pg_schema.c — the store's SQLite schema read as PostgreSQL tables, and
 * schema.sql written from it (include/taizhang/export_pg.h says what is
 * exported and how types map).
 *
 * Everything comes from SQLite itself: the tables from sqlite_schema, columns,
 * NOT NULL, defaults and primary keys from pragma table_info, foreign keys from
 * foreign_key_list, unique constraints and indexes from index_list/index_info.
 * Only two things are read from the CREATE text, which no pragma reports: the
 * CHECK expressions of a table and the WHERE of a partial index. They are
 * copied as written; the store's schema keeps to SQL that PostgreSQL reads the
 * same (IN, BETWEEN, IS NULL, length()), and the round-trip test loads it.
 *
 * Every key gets the town key column in front, so that rows of many towns sit
 * side by side; foreign keys are DEFERRABLE INITIALLY DEFERRED, so that a load
 * may delete and copy the tables of a town in any order within its transaction.
 * Not here: the rows (pg_copy.c), the files and load.sh (pg.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg_internal.h"
#include "taizhang/sync.h"
#include "taizhang/utf8.h"

static void names_add(struct pg_names *l, const char *name)
{
	l->names = xreallocarray(l->names, l->n + 1, sizeof *l->names);
	l->names[l->n++] = xstrdup(name);
}

static void names_free(struct pg_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	memset(l, 0, sizeof *l);
}

/* ---- types ---- */

static int named_as_date(const char *column)
{
	static const char *const names[] = { "since", "until", "due", "deadline", "as_of" };
	if (utf8_has_suffix(column, "_on", 0) || utf8_has_suffix(column, "_date", 0) ||
	    utf8_has_suffix(column, "_until", 0))
		return 1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(column, names[i]) == 0)
			return 1;
	return 0;
}

enum export_pg_type export_pg_column_type(const char *column, const char *decl)
{
	if (decl == NULL)
		decl = "";
	/* SQLite's affinity rules, in their order (datatype3.html, 3.1) */
	if (strcasestr(decl, "INT") != NULL)
		return EXPORT_PG_BIGINT;
	if (strcasestr(decl, "CHAR") != NULL || strcasestr(decl, "CLOB") != NULL ||
	    strcasestr(decl, "TEXT") != NULL || decl[0] == '\0') {
		if (named_as_date(column))
			return EXPORT_PG_DATE;
		if (strcmp(column, "at") == 0 || utf8_has_suffix(column, "_at", 0))
			return EXPORT_PG_TIMESTAMPTZ;
		return EXPORT_PG_TEXT;
	}
	if (strcasestr(decl, "BLOB") != NULL)
		return EXPORT_PG_BYTEA;
	if (strcasestr(decl, "REAL") != NULL || strcasestr(decl, "FLOA") != NULL ||
	    strcasestr(decl, "DOUB") != NULL)
		return EXPORT_PG_DOUBLE;
	return EXPORT_PG_TEXT; /* NUMERIC affinity: whatever was stored, as text */
}

const char *export_pg_type_name(enum export_pg_type type)
{
	switch (type) {
	case EXPORT_PG_BIGINT:
		return "bigint";
	case EXPORT_PG_DOUBLE:
		return "double precision";
	case EXPORT_PG_BYTEA:
		return "bytea";
	case EXPORT_PG_DATE:
		return "date";
	case EXPORT_PG_TIMESTAMPTZ:
		return "timestamptz";
	case EXPORT_PG_TEXT:
		break;
	}
	return "text";
}

/* ---- names ---- */

/* Whether name is a plain lower-case SQL name PostgreSQL keeps as it is
 * (at most 63 bytes): the only names written unescaped into load.sh. */
static int ident_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 63 || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

void pg_write_ident(FILE *fp, const char *name)
{
	fprintf(fp, "\"%s\"", name);
}

/* The PostgreSQL name of store column name (malloc'd). */
static char *pg_name_of(const char *name)
{
	if (strcmp(name, EXPORT_PG_TOWN_COLUMN) != 0)
		return xstrdup(name);
	return xasprintf("%s%s", EXPORT_PG_RENAMED_PREFIX, name);
}

static int bad_name(const char *what, const char *name, struct tz_error *err)
{
	return tz_error_set(err, TZ_EFAIL,
			    "%s名“%s”不是 PostgreSQL 能原样使用的名字（小写字母、数字、下划线），无法导出",
			    what, name);
}

/* ---- reading the CREATE text ---- */

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (unsigned char)c >= 0x80;
}

/* Past the string literal, quoted name or comment that starts at p; p itself
 * when none does. */
static const char *skip_quoted(const char *p)
{
	char close;
	switch (*p) {
	case '\'':
	case '"':
	case '`':
		close = *p;
		break;
	case '[':
		close = ']';
		break;
	case '-':
		if (p[1] != '-')
			return p;
		return p + strcspn(p, "\n");
	case '/':
		if (p[1] != '*')
			return p;
		{
			const char *end = strstr(p + 2, "*/");
			return end ? end + 2 : p + strlen(p);
		}
	default:
		return p;
	}
	for (p++; *p != '\0'; p++)
		if (*p == close) {
			if (close != ']' && p[1] == close) {
				p++;
				continue;
			}
			return p + 1;
		}
	return p;
}

/* Just past the ')' matching the '(' at p; NULL when there is none. */
static const char *match_paren(const char *p)
{
	int depth = 0;
	while (*p != '\0') {
		const char *q = skip_quoted(p);
		if (q != p) {
			p = q;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
		p++;
	}
	return NULL;
}

/* Whether keyword kw starts at p as a word of its own in text. */
static int keyword_at(const char *text, const char *p, const char *kw)
{
	size_t n = strlen(kw);
	return strncasecmp(p, kw, n) == 0 && !is_word(p[n]) && (p == text || !is_word(p[-1]));
}

static char *copy_span(const char *from, const char *to)
{
	while (from < to && strchr(" \t\r\n", *from) != NULL)
		from++;
	while (to > from && strchr(" \t\r\n;", to[-1]) != NULL)
		to--;
	return xstrndup(from, (size_t)(to - from));
}

/* Every CHECK ( expression ) of a CREATE TABLE text, as written. */
static void read_checks(struct pg_table *t, const char *sql)
{
	const char *p = sql;
	while (*p != '\0') {
		const char *q = skip_quoted(p);
		if (q != p) {
			p = q;
			continue;
		}
		if (!keyword_at(sql, p, "CHECK")) {
			p++;
			continue;
		}
		q = p + 5;
		while (*q != '\0' && (strchr(" \t\r\n", *q) != NULL || skip_quoted(q) != q))
			q = strchr(" \t\r\n", *q) != NULL ? q + 1 : skip_quoted(q);
		const char *end = *q == '(' ? match_paren(q) : NULL;
		if (end == NULL) {
			p = q;
			continue;
		}
		t->checks = xreallocarray(t->checks, t->nchecks + 1, sizeof *t->checks);
		t->checks[t->nchecks++] = copy_span(q + 1, end - 1);
		p = end;
	}
}

/* The condition of a partial CREATE INDEX text (after its column list), or
 * NULL. */
static char *partial_where(const char *sql)
{
	const char *p = strchr(sql, '(');
	p = p ? match_paren(p) : NULL;
	for (; p != NULL && *p != '\0'; p++) {
		const char *q = skip_quoted(p);
		if (q != p) {
			p = q - 1;
			continue;
		}
		if (keyword_at(sql, p, "WHERE"))
			return copy_span(p + 5, p + strlen(p));
	}
	return NULL;
}

/* ---- reading the pragmas ---- */

/* A default that is a plain literal (a string or a number); others are left
 * out: PostgreSQL need not read SQLite's expressions. */
static char *literal_default(const char *dflt)
{
	if (dflt == NULL)
		return NULL;
	size_t n = strlen(dflt);
	if (n >= 2 && dflt[0] == '\'' && dflt[n - 1] == '\'' && skip_quoted(dflt) == dflt + n)
		return xstrdup(dflt);
	const char *digits = dflt[0] == '-' ? dflt + 1 : dflt;
	size_t k = strspn(digits, "0123456789");
	if (k > 0 && (digits[k] == '\0' ||
		      (digits[k] == '.' && strspn(digits + k + 1, "0123456789") == strlen(digits + k + 1))))
		return xstrdup(dflt);
	return NULL;
}

struct reader {
	struct store *s;
	sqlite3 *db;
	struct tz_error *err;
};

static int prepare(struct reader *r, const char *sql, const char *arg, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(r->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(r->s, rc, "读取表结构", r->err);
	if (arg != NULL)
		sqlite3_bind_text(*st, 1, arg, -1, SQLITE_STATIC);
	return TZ_OK;
}

static int finish(struct reader *r, sqlite3_stmt *st, int rc)
{
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(r->s, rc, "读取表结构", r->err);
	return TZ_OK;
}

static const char *text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int read_columns(struct reader *r, struct pg_table *t)
{
	sqlite3_stmt *st;
	int rc = prepare(r,
			 "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1)"
			 " ORDER BY cid",
			 t->name, &st);
	if (rc != TZ_OK)
		return rc;
	int pk_pos[256] = { 0 };
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = text(st, 0);
		if (!ident_ok(name) || t->ncols >= sizeof pk_pos / sizeof pk_pos[0]) {
			rc = bad_name("字段", name, r->err);
			sqlite3_finalize(st);
			return rc;
		}
		t->cols = xreallocarray(t->cols, t->ncols + 1, sizeof *t->cols);
		struct pg_column *c = &t->cols[t->ncols];
		c->name = xstrdup(name);
		c->pg_name = pg_name_of(name);
		c->type = export_pg_column_type(name, text(st, 1));
		c->notnull = sqlite3_column_int(st, 2);
		c->dflt = literal_default(text(st, 3));
		pk_pos[t->ncols++] = sqlite3_column_int(st, 4);
	}
	rc = finish(r, st, rc);
	for (int k = 1; rc == TZ_OK && (size_t)k <= t->ncols; k++)
		for (size_t i = 0; i < t->ncols; i++)
			if (pk_pos[i] == k)
				names_add(&t->pk, t->cols[i].pg_name);
	return rc;
}

static int read_foreign_keys(struct reader *r, struct pg_table *t)
{
	sqlite3_stmt *st;
	int rc = prepare(r,
			 "SELECT id, \"table\", \"from\", \"to\", on_delete"
			 " FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
			 t->name, &st);
	if (rc != TZ_OK)
		return rc;
	int last_id = -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0);
		if (id != last_id) {
			t->fks = xreallocarray(t->fks, t->nfks + 1, sizeof *t->fks);
			struct pg_foreign_key *fk = &t->fks[t->nfks++];
			memset(fk, 0, sizeof *fk);
			fk->parent = xstrdup(text(st, 1));
			const char *action = text(st, 4);
			if (action != NULL && strcasecmp(action, "NO ACTION") != 0)
				fk->on_delete = xstrdup(action);
			last_id = id;
		}
		struct pg_foreign_key *fk = &t->fks[t->nfks - 1];
		char *from = pg_name_of(text(st, 2));
		names_add(&fk->from, from);
		free(from);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL) { /* NULL: the parent's key */
			char *to = pg_name_of(text(st, 3));
			names_add(&fk->to, to);
			free(to);
		}
	}
	return finish(r, st, rc);
}

static int read_index_columns(struct reader *r, struct pg_index *ix, int *expression)
{
	sqlite3_stmt *st;
	int rc = prepare(r, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", ix->name, &st);
	if (rc != TZ_OK)
		return rc;
	*expression = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
			*expression = 1;
			continue;
		}
		char *name = pg_name_of(text(st, 0));
		names_add(&ix->cols, name);
		free(name);
	}
	return finish(r, st, rc);
}

static void index_free(struct pg_index *ix)
{
	free(ix->name);
	free(ix->where);
	names_free(&ix->cols);
}

/* Unique constraints and indexes, by name; indexes on expressions are left
 * out (the store has none). */
static int read_indexes(struct reader *r, struct pg_table *t)
{
	sqlite3_stmt *st;
	int rc = prepare(r,
			 "SELECT l.name, l.\"unique\", l.origin, m.sql FROM pragma_index_list(?1) l"
			 " LEFT JOIN sqlite_schema m ON m.type = 'index' AND m.name = l.name"
			 " WHERE l.origin <> 'pk' ORDER BY l.name",
			 t->name, &st);
	if (rc != TZ_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pg_index ix = { 0 };
		ix.name = xstrdup(text(st, 0));
		ix.unique = sqlite3_column_int(st, 1);
		ix.constraint = strcmp(text(st, 2), "u") == 0;
		if (!ix.constraint) {
			if (!ident_ok(ix.name)) {
				rc = bad_name("索引", ix.name, r->err);
				index_free(&ix);
				sqlite3_finalize(st);
				return rc;
			}
			if (text(st, 3) != NULL)
				ix.where = partial_where(text(st, 3));
		}
		int expression;
		if ((rc = read_index_columns(r, &ix, &expression)) != TZ_OK) {
			index_free(&ix);
			sqlite3_finalize(st);
			return rc;
		}
		if (expression) {
			index_free(&ix);
			continue;
		}
		t->indexes = xreallocarray(t->indexes, t->nindexes + 1, sizeof *t->indexes);
		t->indexes[t->nindexes++] = ix;
	}
	return finish(r, st, rc);
}

static int read_table(struct reader *r, struct pg_table *t, const char *sql)
{
	int rc = read_columns(r, t);
	if (rc == TZ_OK)
		rc = read_foreign_keys(r, t);
	if (rc == TZ_OK)
		rc = read_indexes(r, t);
	if (rc == TZ_OK && sql != NULL)
		read_checks(t, sql);
	return rc;
}

static void table_free(struct pg_table *t)
{
	free(t->name);
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].pg_name);
		free(t->cols[i].dflt);
	}
	free(t->cols);
	names_free(&t->pk);
	for (size_t i = 0; i < t->nfks; i++) {
		free(t->fks[i].parent);
		free(t->fks[i].on_delete);
		names_free(&t->fks[i].from);
		names_free(&t->fks[i].to);
	}
	free(t->fks);
	for (size_t i = 0; i < t->nindexes; i++)
		index_free(&t->indexes[i]);
	free(t->indexes);
	for (size_t i = 0; i < t->nchecks; i++)
		free(t->checks[i]);
	free(t->checks);
	memset(t, 0, sizeof *t);
}

void pg_schema_free(struct pg_schema *schema)
{
	for (size_t i = 0; i < schema->ntables; i++)
		table_free(&schema->tables[i]);
	free(schema->tables);
	memset(schema, 0, sizeof *schema);
}

static struct pg_table *find_table(struct pg_schema *schema, const char *name)
{
	for (size_t i = 0; i < schema->ntables; i++)
		if (strcmp(schema->tables[i].name, name) == 0)
			return &schema->tables[i];
	return NULL;
}

/* Foreign keys to tables not exported are dropped; one naming no parent
 * columns takes the parent's primary key. */
static void resolve_foreign_keys(struct pg_schema *schema, struct pg_table *t)
{
	size_t kept = 0;
	for (size_t i = 0; i < t->nfks; i++) {
		struct pg_foreign_key *fk = &t->fks[i];
		struct pg_table *parent = find_table(schema, fk->parent);
		if (parent != NULL && fk->to.n == 0)
			for (size_t k = 0; k < parent->pk.n; k++)
				names_add(&fk->to, parent->pk.names[k]);
		if (parent == NULL || fk->to.n != fk->from.n) {
			free(fk->parent);
			free(fk->on_delete);
			names_free(&fk->from);
			names_free(&fk->to);
			continue;
		}
		t->fks[kept++] = *fk;
	}
	t->nfks = kept;
}

/* Whether every table t refers to (but itself) is among the first n. */
static int parents_before(const struct pg_schema *schema, const struct pg_table *t, size_t n)
{
	for (size_t i = 0; i < t->nfks; i++) {
		if (strcmp(t->fks[i].parent, t->name) == 0)
			continue;
		size_t k = 0;
		while (k < n && strcmp(schema->tables[k].name, t->fks[i].parent) != 0)
			k++;
		if (k == n)
			return 0;
	}
	return 1;
}

/* Put parents before the tables that refer to them (CREATE TABLE needs its
 * parents); the store's tables were created so, there can be no cycle. */
static int order_tables(struct pg_schema *schema, struct tz_error *err)
{
	for (size_t placed = 0; placed < schema->ntables; placed++) {
		size_t i = placed;
		while (i < schema->ntables && !parents_before(schema, &schema->tables[i], placed))
			i++;
		if (i == schema->ntables)
			return tz_error_set(err, TZ_EFAIL, "表 %s 的外键成环，无法排出建表顺序",
					    schema->tables[placed].name);
		struct pg_table chosen = schema->tables[i];
		memmove(&schema->tables[placed + 1], &schema->tables[placed],
			(i - placed) * sizeof chosen);
		schema->tables[placed] = chosen;
	}
	return TZ_OK;
}

int pg_schema_read(struct store *s, struct pg_schema *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	struct reader r = { s, store_db(s), err };
	int rc = store_schema_version(s, &out->version, err);
	sqlite3_stmt *st;
	if (rc == TZ_OK)
		rc = prepare(&r,
			     "SELECT m.name, m.sql,"
			     " EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'owner')"
			     " AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.pk > 0)"
			     " FROM sqlite_schema m"
			     " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' ORDER BY m.name",
			     NULL, &st);
	if (rc != TZ_OK)
		return rc;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = text(st, 0);
		if (!sqlite3_column_int(st, 2) && !sync_table_is_reference(name))
			continue;
		if (!ident_ok(name)) {
			rc = bad_name("表", name, err);
			break;
		}
		out->tables = xreallocarray(out->tables, out->ntables + 1, sizeof *out->tables);
		struct pg_table *t = &out->tables[out->ntables++];
		memset(t, 0, sizeof *t);
		t->name = xstrdup(name);
		if ((rc = read_table(&r, t, text(st, 1))) != TZ_OK)
			break;
	}
	if (rc == TZ_OK)
		rc = finish(&r, st, step);
	else
		sqlite3_finalize(st);
	for (size_t i = 0; rc == TZ_OK && i < out->ntables; i++)
		resolve_foreign_keys(out, &out->tables[i]);
	if (rc == TZ_OK)
		rc = order_tables(out, err);
	if (rc != TZ_OK)
		pg_schema_free(out);
	return rc;
}

/* ---- schema.sql ---- */

static void write_list(FILE *fp, const char *first, const struct pg_names *l)
{
	fputc('(', fp);
	if (first != NULL)
		pg_write_ident(fp, first);
	for (size_t i = 0; i < l->n; i++) {
		if (first != NULL || i > 0)
			fputs(", ", fp);
		pg_write_ident(fp, l->names[i]);
	}
	fputc(')', fp);
}

static void write_table(const struct pg_table *t, FILE *fp)
{
	fputs("CREATE TABLE IF NOT EXISTS ", fp);
	pg_write_ident(fp, t->name);
	fputs(" (\n    ", fp);
	pg_write_ident(fp, EXPORT_PG_TOWN_COLUMN);
	fputs(" text NOT NULL", fp);
	for (size_t i = 0; i < t->ncols; i++) {
		const struct pg_column *c = &t->cols[i];
		fputs(",\n    ", fp);
		pg_write_ident(fp, c->pg_name);
		fprintf(fp, " %s%s", export_pg_type_name(c->type), c->notnull ? " NOT NULL" : "");
		if (c->dflt != NULL)
			fprintf(fp, " DEFAULT %s", c->dflt);
	}
	if (t->pk.n > 0) {
		fputs(",\n    PRIMARY KEY ", fp);
		write_list(fp, EXPORT_PG_TOWN_COLUMN, &t->pk);
	}
	for (size_t i = 0; i < t->nindexes; i++)
		if (t->indexes[i].constraint) {
			fputs(",\n    UNIQUE ", fp);
			write_list(fp, EXPORT_PG_TOWN_COLUMN, &t->indexes[i].cols);
		}
	for (size_t i = 0; i < t->nchecks; i++)
		fprintf(fp, ",\n    CHECK (%s)", t->checks[i]);
	fputs(",\n    FOREIGN KEY (", fp);
	pg_write_ident(fp, EXPORT_PG_TOWN_COLUMN);
	fputs(") REFERENCES taizhang_towns (town_code) DEFERRABLE INITIALLY DEFERRED", fp);
	for (size_t i = 0; i < t->nfks; i++) {
		const struct pg_foreign_key *fk = &t->fks[i];
		fputs(",\n    FOREIGN KEY ", fp);
		write_list(fp, EXPORT_PG_TOWN_COLUMN, &fk->from);
		fputs(" REFERENCES ", fp);
		pg_write_ident(fp, fk->parent);
		fputc(' ', fp);
		write_list(fp, EXPORT_PG_TOWN_COLUMN, &fk->to);
		if (fk->on_delete != NULL)
			fprintf(fp, " ON DELETE %s", fk->on_delete);
		fputs(" DEFERRABLE INITIALLY DEFERRED", fp);
	}
	fputs("\n);\n", fp);
	for (size_t i = 0; i < t->nindexes; i++) {
		const struct pg_index *ix = &t->indexes[i];
		if (ix->constraint)
			continue;
		fprintf(fp, "CREATE %sINDEX IF NOT EXISTS ", ix->unique ? "UNIQUE " : "");
		pg_write_ident(fp, ix->name);
		fputs(" ON ", fp);
		pg_write_ident(fp, t->name);
		fputc(' ', fp);
		write_list(fp, EXPORT_PG_TOWN_COLUMN, &ix->cols);
		if (ix->where != NULL)
			fprintf(fp, " WHERE %s", ix->where);
		fputs(";\n", fp);
	}
	fprintf(fp, "COMMENT ON COLUMN \"%s\".\"%s\" IS '镇（乡）的 12 位区划代码：这一行来自哪个镇的台账';\n",
		t->name, EXPORT_PG_TOWN_COLUMN);
	for (size_t i = 0; i < t->ncols; i++) {
		const struct pg_column *c = &t->cols[i];
		if (c->type == EXPORT_PG_BIGINT && utf8_has_suffix(c->name, "_cents", 0))
			fprintf(fp, "COMMENT ON COLUMN \"%s\".\"%s\" IS '金额，单位为分（1 元 = 100 分）';\n",
				t->name, c->pg_name);
		else if (strcmp(c->name, c->pg_name) != 0)
			fprintf(fp, "COMMENT ON COLUMN \"%s\".\"%s\" IS '台账中的 %s 字段（改名以免与镇代码键相混）';\n",
				t->name, c->pg_name, c->name);
	}
	fputc('\n', fp);
}

void pg_schema_write_sql(const struct pg_schema *schema, FILE *fp)
{
	fprintf(fp,
		"-- schema.sql — written by taizhang export pg: the ledger tables of taizhang's\n"
		"-- store (schema version %u) for PostgreSQL, for any number of towns side by side.\n"
		"-- Every table has the town key column %s, first in every key. Safe to run again\n"
		"-- (IF NOT EXISTS); refuses a database made from another schema version.\n\n",
		(unsigned)schema->version, EXPORT_PG_TOWN_COLUMN);
	fprintf(fp,
		"CREATE TABLE IF NOT EXISTS taizhang_schema (\n"
		"    one integer PRIMARY KEY CHECK (one = 1),\n"
		"    version integer NOT NULL\n"
		");\n"
		"INSERT INTO taizhang_schema (one, version) VALUES (1, %u) ON CONFLICT (one) DO NOTHING;\n"
		"DO $$ BEGIN\n"
		"    IF (SELECT version FROM taizhang_schema) <> %u THEN\n"
		"        RAISE EXCEPTION '数据库中的台账表是第 %% 版表结构，这份导出是第 %u 版：请用同一版本的 taizhang 导出各镇',\n"
		"            (SELECT version FROM taizhang_schema);\n"
		"    END IF;\n"
		"END $$;\n\n",
		(unsigned)schema->version, (unsigned)schema->version, (unsigned)schema->version);
	fputs("CREATE TABLE IF NOT EXISTS taizhang_towns (\n"
	      "    town_code text PRIMARY KEY CHECK (town_code ~ '^[0-9]{12}$'),\n"
	      "    name text NOT NULL,\n"
	      "    schema_version integer NOT NULL,\n"
	      "    exported_at timestamptz NOT NULL\n"
	      ");\n"
	      "COMMENT ON TABLE taizhang_towns IS '装入的各镇：代码、名称、表结构版本、导出时间';\n\n",
	      fp);
	for (size_t i = 0; i < schema->ntables; i++)
		write_table(&schema->tables[i], fp);
}
