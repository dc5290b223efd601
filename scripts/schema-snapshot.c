/*
 * schema-snapshot.c — a build tool: run every migration (db/NNN_name.sql, as
 * embedded by scripts/embed.sh sql) into an empty in-memory database and write,
 * as a C file, the SQL that builds the same schema and reference rows in one go.
 *
 * Why: a new store used to run the migrations one by one, and every
 * ALTER TABLE ... ADD COLUMN among them makes SQLite re-read the whole schema
 * (about a third of creating a store, and much of the test suite under valgrind).
 * The snapshot is generated from the migrations themselves at build time, so it
 * cannot drift from them; store.c runs it for a store at version 0 and the
 * migrations for an older store. tests/unit/test_schema.c builds one database
 * each way and compares every schema entry and every row.
 *
 * Output order: tables (and virtual tables), their rows, the sequence counters,
 * then indexes, views and triggers in the order they were made. Rows go in before
 * any trigger exists, so a trigger cannot fire twice for one row. A shadow table
 * of a virtual table is left out (the virtual table makes it again); rows in a
 * virtual table are refused, as nothing here could carry them.
 *
 * Usage: schema-snapshot OUT.c (written through OUT.c.tmp, renamed when whole).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "taizhang/migrate.h"

struct out {
	FILE *f;
	unsigned long column; /* bytes on the current line of the array */
};

static void die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "schema-snapshot: %s%s%s\n", what, db ? ": " : "",
		db ? sqlite3_errmsg(db) : "");
	exit(1);
}

static void emit(struct out *o, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		fprintf(o->f, "%u,", *p);
		if (++o->column == 24) {
			fputc('\n', o->f);
			o->column = 0;
		}
	}
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, db);
	return st;
}

/* 1 if NAME is a table a virtual table keeps its data in. */
static int is_shadow(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = prepare(db, "SELECT 1 FROM pragma_table_list WHERE name = ?1 AND type = 'shadow'");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int shadow = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return shadow;
}

/* INSERT statements for every row of TABLE, columns named:
 * INSERT INTO "t"("a","b") VALUES(<quote(a)>,<quote(b)>); */
static void emit_rows(sqlite3 *db, struct out *o, const char *table)
{
	char *head = sqlite3_mprintf("INSERT INTO \"%w\"(", table);
	char *values = sqlite3_mprintf("SELECT ''");
	char *sql = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q) ORDER BY cid", table);
	sqlite3_stmt *st = prepare(db, sql);
	sqlite3_free(sql);
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *column = (const char *)sqlite3_column_text(st, 0);
		char *h = sqlite3_mprintf("%s%s\"%w\"", head, n ? "," : "", column);
		char *v = sqlite3_mprintf("%s || %s quote(\"%w\")", values, n ? "',' ||" : "", column);
		sqlite3_free(head);
		sqlite3_free(values);
		head = h;
		values = v;
		n++;
	}
	if (rc != SQLITE_DONE || n == 0 || head == NULL || values == NULL)
		die("reading a table's columns", db);
	sqlite3_finalize(st);
	sql = sqlite3_mprintf("%s FROM \"%w\"", values, table);
	st = prepare(db, sql);
	sqlite3_free(sql);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		emit(o, head);
		emit(o, ") VALUES(");
		emit(o, (const char *)sqlite3_column_text(st, 0));
		emit(o, ");\n");
	}
	if (rc != SQLITE_DONE)
		die(table, db);
	sqlite3_finalize(st);
	sqlite3_free(head);
	sqlite3_free(values);
}

static void emit_entries(sqlite3 *db, struct out *o, const char *where)
{
	char *sql = sqlite3_mprintf("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL"
				    " AND name NOT LIKE 'sqlite\\_%%' ESCAPE '\\' AND (%s) ORDER BY rowid", where);
	sqlite3_stmt *st = prepare(db, sql);
	sqlite3_free(sql);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (is_shadow(db, name))
			continue;
		emit(o, (const char *)sqlite3_column_text(st, 1));
		emit(o, ";\n");
	}
	if (rc != SQLITE_DONE)
		die("reading the schema", db);
	sqlite3_finalize(st);
}

static void emit_all_rows(sqlite3 *db, struct out *o)
{
	sqlite3_stmt *st = prepare(db, "SELECT name, sql LIKE 'CREATE VIRTUAL %' FROM sqlite_schema"
				   " WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (is_shadow(db, name))
			continue;
		char *count_sql = sqlite3_mprintf("SELECT count(*) FROM %Q", name);
		sqlite3_stmt *count = prepare(db, count_sql);
		sqlite3_free(count_sql);
		if (sqlite3_step(count) != SQLITE_ROW)
			die(name, db);
		int rows = sqlite3_column_int(count, 0);
		sqlite3_finalize(count);
		if (rows > 0 && sqlite3_column_int(st, 1))
			die("a migration leaves rows in a virtual table; the snapshot cannot carry them", NULL);
		if (rows > 0)
			emit_rows(db, o, name);
	}
	if (rc != SQLITE_DONE)
		die("reading the tables", db);
	sqlite3_finalize(st);
	/* AUTOINCREMENT counters: set as the migrations left them. */
	st = prepare(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'");
	int have_sequence = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	if (have_sequence) {
		emit(o, "DELETE FROM sqlite_sequence;\n");
		emit_rows(db, o, "sqlite_sequence");
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: schema-snapshot OUT.c\n");
		return 2;
	}
	sqlite3 *db;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		die("opening an in-memory database", db);
	if (sqlite3_exec(db, "PRAGMA foreign_keys=ON; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		die("BEGIN", db);
	for (int i = 0; i < migrations_count; i++) {
		if (sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "schema-snapshot: migration %s: %s\n", migrations[i].name,
				sqlite3_errmsg(db));
			return 1;
		}
	}

	size_t tmp_len = strlen(argv[1]) + 5;
	char *tmp = malloc(tmp_len);
	if (tmp == NULL)
		die("out of memory", NULL);
	snprintf(tmp, tmp_len, "%s.tmp", argv[1]);
	struct out o = { fopen(tmp, "w"), 0 };
	if (o.f == NULL) {
		perror(tmp);
		return 1;
	}
	fprintf(o.f, "/* Generated by scripts/schema-snapshot.c from the migrations: do not edit. */\n"
		     "#include \"taizhang/migrate.h\"\n\n"
		     "const char schema_snapshot_sql[] = {\n");
	emit_entries(db, &o, "type = 'table'");
	emit_all_rows(db, &o);
	emit_entries(db, &o, "type = 'index'");
	emit_entries(db, &o, "type = 'view'");
	emit_entries(db, &o, "type = 'trigger'");
	fprintf(o.f, "0\n};\n\nconst int schema_snapshot_version = %d;\n",
		migrations_count > 0 ? migrations[migrations_count - 1].version : 0);
	int bad = ferror(o.f);
	if (fclose(o.f) != 0 || bad || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		remove(tmp);
		return 1;
	}
	free(tmp);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return 0;
}
