/*
 * schema-snapshot.c — a build tool: run every migration (db/NNN_name.sql, as
 * embedded by scripts/embed.sh sql) into an empty in-memory database, write the
 * SQL that builds the same schema and reference rows in one go, run that SQL
 * into a database laid out as a store's (4096-byte pages, STORE_RESERVE_NBYTES
 * reserved on each), and write that database's image, compressed with zstd, as
 * a C file: what a new store is made of (src/store/schema_image.c).
 *
 * Why: a new store used to run the migrations one by one, and every
 * ALTER TABLE ... ADD COLUMN among them makes SQLite re-read the whole schema;
 * then it ran the SQL in one go, which still parsed every statement twice (to
 * run it, and when SQLite read back the entry it made): three quarters of
 * creating a store, which the test suite does hundreds of times. Copying pages
 * parses nothing. The image is generated from the migrations themselves at
 * build time, so it cannot drift from them; tests/unit/test_schema.c opens it
 * and compares every schema entry and every row with the migrations'.
 *
 * The SQL's order: tables (and virtual tables), their rows, the sequence
 * counters, then indexes, views and triggers in the order they were made. Rows
 * go in before any trigger exists, so a trigger cannot fire twice for one row.
 * A shadow table of a virtual table is left out (the virtual table makes it
 * again); rows in a virtual table are refused, as nothing here could carry them.
 *
 * Usage: schema-snapshot OUT.c (written through OUT.c.tmp, renamed when whole).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <zstd.h>

#include "taizhang/migrate.h"
#include "taizhang/store_vfs.h"

static int latest_version(void)
{
	return migrations_count > 0 ? migrations[migrations_count - 1].version : 0;
}

static void die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "schema-snapshot: %s%s%s\n", what, db ? ": " : "",
		db ? sqlite3_errmsg(db) : "");
	exit(1);
}

/* BYTES as the body of a C array, 24 a line. */
static void write_array(FILE *f, const unsigned char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%u,%s", bytes[i], i % 24 == 23 ? "\n" : "");
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
static void emit_rows(sqlite3 *db, FILE *out, const char *table)
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
		fputs(head, out);
		fputs(") VALUES(", out);
		fputs((const char *)sqlite3_column_text(st, 0), out);
		fputs(");\n", out);
	}
	if (rc != SQLITE_DONE)
		die(table, db);
	sqlite3_finalize(st);
	sqlite3_free(head);
	sqlite3_free(values);
}

static void emit_entries(sqlite3 *db, FILE *out, const char *where)
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
		fputs((const char *)sqlite3_column_text(st, 1), out);
		fputs(";\n", out);
	}
	if (rc != SQLITE_DONE)
		die("reading the schema", db);
	sqlite3_finalize(st);
}

static void emit_all_rows(sqlite3 *db, FILE *out)
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
			emit_rows(db, out, name);
	}
	if (rc != SQLITE_DONE)
		die("reading the tables", db);
	sqlite3_finalize(st);
	/* AUTOINCREMENT counters: set as the migrations left them. */
	st = prepare(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'");
	int have_sequence = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	if (have_sequence) {
		fputs("DELETE FROM sqlite_sequence;\n", out);
		emit_rows(db, out, "sqlite_sequence");
	}
}

/* SQL run into an in-memory database laid out as a store's; its image
 * (sqlite3_free it) into *n. */
static unsigned char *image_of(const char *sql, sqlite3_int64 *n)
{
	sqlite3 *db;
	int reserve = STORE_RESERVE_NBYTES;
	char page_size[64];
	snprintf(page_size, sizeof page_size, "PRAGMA page_size=%d", STORE_PAGE_NBYTES);
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, page_size, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK)
		die("laying out the image", db);
	char version[64];
	snprintf(version, sizeof version, "PRAGMA user_version=%d; COMMIT", latest_version());
	if (sqlite3_exec(db, "PRAGMA foreign_keys=ON; BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, version, NULL, NULL, NULL) != SQLITE_OK)
		die("running the snapshot", db);
	reserve = -1;
	sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
	if (reserve != STORE_RESERVE_NBYTES)
		die("the image's pages lack the reserved bytes", NULL);
	unsigned char *image = sqlite3_serialize(db, "main", n, 0);
	if (image == NULL)
		die("serializing the image", db);
	sqlite3_close(db);
	return image;
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
	char *sql = NULL;
	size_t sql_nbytes = 0;
	FILE *out = open_memstream(&sql, &sql_nbytes); /* the SQL, as it is written */
	if (out == NULL)
		die("out of memory", NULL);
	emit_entries(db, out, "type = 'table'");
	emit_all_rows(db, out);
	emit_entries(db, out, "type = 'index'");
	emit_entries(db, out, "type = 'view'");
	emit_entries(db, out, "type = 'trigger'");
	if (fclose(out) != 0)
		die("out of memory", NULL);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);

	sqlite3_int64 image_nbytes;
	unsigned char *image = image_of(sql, &image_nbytes);
	size_t cap = ZSTD_compressBound((size_t)image_nbytes);
	unsigned char *packed = malloc(cap);
	if (packed == NULL)
		die("out of memory", NULL);
	size_t packed_nbytes = ZSTD_compress(packed, cap, image, (size_t)image_nbytes, 19);
	if (ZSTD_isError(packed_nbytes))
		die(ZSTD_getErrorName(packed_nbytes), NULL);

	size_t tmp_len = strlen(argv[1]) + 5;
	char *tmp = malloc(tmp_len);
	if (tmp == NULL)
		die("out of memory", NULL);
	snprintf(tmp, tmp_len, "%s.tmp", argv[1]);
	FILE *f = fopen(tmp, "w");
	if (f == NULL) {
		perror(tmp);
		return 1;
	}
	fprintf(f, "/* Generated by scripts/schema-snapshot.c from the migrations: do not edit. */\n"
		   "#include <stddef.h>\n\n"
		   "#include \"taizhang/migrate.h\"\n\n"
		   "const unsigned char schema_image_zst[] = {\n");
	write_array(f, packed, packed_nbytes);
	fprintf(f, "\n};\n\nconst size_t schema_image_zst_nbytes = %zu;\n"
		   "const size_t schema_image_nbytes = %lld;\n"
		   "const int schema_snapshot_version = %d;\n",
		packed_nbytes, (long long)image_nbytes, latest_version());
	int bad = ferror(f);
	if (fclose(f) != 0 || bad || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		remove(tmp);
		return 1;
	}
	free(tmp);
	free(packed);
	sqlite3_free(image);
	free(sql);
	return 0;
}
