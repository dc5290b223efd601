/*
 * pg.c — export_pg_write: a town store into a directory PostgreSQL loads
 * (include/taizhang/export_pg.h), and load.sh, the script that loads it.
 *
 * Order on disk: load.sh is removed first; then every table's COPY file,
 * the town's row, schema.sql; load.sh last. Each file lands whole (pg_file.c),
 * and without load.sh nothing is loaded, so a failed export cannot be loaded
 * as a mixture of two exports.
 *
 * load.sh (version 1 of its layout) is a POSIX sh script running one psql
 * session on a here-document: BEGIN; an advisory lock (loads of several towns
 * one after another, not interleaved: CREATE TABLE IF NOT EXISTS is not safe
 * against a concurrent twin); schema.sql; DELETE of the town's rows from every
 * table, children first; \copy of every COPY file, parents first; COMMIT.
 * ON_ERROR_STOP ends psql at the first error and the transaction is rolled
 * back: the database keeps the town's rows of the previous load. The script
 * holds only the town's 12 digits and the table and column names (checked to
 * be plain lower-case names): nothing in it needs quoting beyond them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/date.h"
#include "pg_internal.h"
#include "taizhang/keyring.h"
#include "taizhang/os_error.h"

#define TOWNS_TABLE "taizhang_towns"
#define LOAD_LOCK_KEY 0x747a7067 /* "tzpg": the advisory lock of every load */

/* Create dir 0700, or check that an existing one is this user's own
 * directory closed to group and others. */
static int prepare_dir(const char *dir, struct tz_error *err)
{
	if (mkdir(dir, 0700) == 0)
		return TZ_OK;
	if (errno != EEXIST)
		return tz_error_set(err, TZ_EUSAGE, "无法建立目录 %s：%s", dir, os_error_text(errno));
	struct stat st;
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return tz_error_set(err, TZ_EUSAGE, "%s 已存在但不是目录：请换一个目录名", dir);
	if (st.st_uid != geteuid())
		return tz_error_set(err, TZ_EUSAGE, "目录 %s 不属于当前用户：请换一个新目录", dir);
	if ((st.st_mode & 077) != 0)
		return tz_error_set(err, TZ_EUSAGE,
				    "目录 %s 别的用户也能进入（权限 %03o）：导出的文件含个人信息，"
				    "请先执行 chmod 700 %s，或换一个新目录",
				    dir, (unsigned)(st.st_mode & 0777), dir);
	return TZ_OK;
}

/* Make the renames into dir durable (best effort: the files are whole either
 * way). */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int read_town_name(struct store *s, char **name, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT value FROM store_meta WHERE key = 'name'",
				  &st, "读取镇名", err);
	if (rc != TZ_OK)
		return rc;
	rc = sqlite3_step(st);
	*name = xstrdup(rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取镇名", err);
	return TZ_OK;
}

static int write_copy_file(struct store *s, const char *dir, const struct pg_table *t,
			   const char *town, long long *nrows, struct tz_error *err)
{
	char name[80];
	snprintf(name, sizeof name, "%s.copy", t->name);
	struct pg_file f;
	int rc = pg_file_open(&f, dir, name, err);
	if (rc == TZ_OK)
		rc = pg_copy_write_table(s, t, town, f.fp, nrows, err);
	if (rc == TZ_OK)
		rc = pg_file_commit(&f, err);
	pg_file_discard(&f);
	return rc;
}

static int write_town_row(const char *dir, const char *town, const char *name,
			  uint32_t version, struct tz_error *err)
{
	char now[DATE_STAMP_NCHARS + 1];
	date_now_stamp(now);
	struct pg_file f;
	int rc = pg_file_open(&f, dir, TOWNS_TABLE ".copy", err);
	if (rc == TZ_OK) {
		fprintf(f.fp, "%s\t", town);
		pg_copy_write_text(f.fp, name, strlen(name));
		fprintf(f.fp, "\t%u\t%s\n", (unsigned)version, now);
		rc = pg_file_commit(&f, err);
	}
	pg_file_discard(&f);
	return rc;
}

static int write_schema_file(const char *dir, const struct pg_schema *schema,
			     struct tz_error *err)
{
	struct pg_file f;
	int rc = pg_file_open(&f, dir, "schema.sql", err);
	if (rc == TZ_OK) {
		pg_schema_write_sql(schema, f.fp);
		rc = pg_file_commit(&f, err);
	}
	pg_file_discard(&f);
	return rc;
}

static void write_copy_command(FILE *fp, const char *table, const char *first,
			       const struct pg_table *t)
{
	fputs("\\copy ", fp);
	pg_write_ident(fp, table);
	fputs(" (", fp);
	pg_write_ident(fp, first);
	for (size_t i = 0; t != NULL && i < t->ncols; i++) {
		fputs(", ", fp);
		pg_write_ident(fp, t->cols[i].pg_name);
	}
	if (t == NULL)
		fputs(", \"name\", \"schema_version\", \"exported_at\"", fp);
	fprintf(fp, ") FROM '%s.copy' WITH (FORMAT text, ENCODING 'UTF8')\n", table);
}

static void write_load_script(FILE *fp, const struct pg_schema *schema, const char *town)
{
	fprintf(fp,
		"#!/bin/sh\n"
		"# load.sh — written by taizhang export pg: loads town %s into PostgreSQL\n"
		"# with psql, in one transaction: the tables (schema.sql) where missing, then this\n"
		"# town's rows replaced by those of the .copy files beside this script. Loading\n"
		"# again replaces the town's rows; other towns' rows are never touched.\n"
		"#\n"
		"#   sh load.sh [psql options]        e.g. sh load.sh -h db.county -d fupin\n"
		"#\n"
		"# The connection is psql's: options, or PGHOST, PGPORT, PGDATABASE, PGUSER...\n"
		"# The files here hold personal data in clear: delete them once loaded.\n"
		"set -eu\n"
		"cd \"$(dirname \"$0\")\"\n"
		"PGCLIENTENCODING=UTF8\n"
		"export PGCLIENTENCODING\n"
		"exec psql -X -q -v ON_ERROR_STOP=1 \"$@\" <<'TAIZHANG_LOAD'\n"
		"BEGIN;\n"
		"SET LOCAL client_min_messages = warning;\n"
		"DO $$ BEGIN PERFORM pg_advisory_xact_lock(%d); END $$;\n"
		"\\i schema.sql\n",
		town, LOAD_LOCK_KEY);
	for (size_t i = schema->ntables; i-- > 0;) {
		fputs("DELETE FROM ", fp);
		pg_write_ident(fp, schema->tables[i].name);
		fprintf(fp, " WHERE \"%s\" = '%s';\n", EXPORT_PG_TOWN_COLUMN, town);
	}
	fprintf(fp, "DELETE FROM " TOWNS_TABLE " WHERE town_code = '%s';\n", town);
	write_copy_command(fp, TOWNS_TABLE, "town_code", NULL);
	for (size_t i = 0; i < schema->ntables; i++)
		write_copy_command(fp, schema->tables[i].name, EXPORT_PG_TOWN_COLUMN,
				   &schema->tables[i]);
	fputs("COMMIT;\nTAIZHANG_LOAD\n", fp);
}

static int write_load_file(const char *dir, const struct pg_schema *schema, const char *town,
			   struct tz_error *err)
{
	struct pg_file f;
	int rc = pg_file_open(&f, dir, "load.sh", err);
	if (rc == TZ_OK) {
		write_load_script(f.fp, schema, town);
		rc = pg_file_commit(&f, err);
	}
	pg_file_discard(&f);
	return rc;
}

/* Everything but load.sh, read in one transaction. */
static int write_data(struct store *s, const char *dir, const char *town,
		      struct pg_schema *schema, struct export_pg_summary *out,
		      struct tz_error *err)
{
	char *name = NULL;
	int rc = pg_schema_read(s, schema, err);
	if (rc == TZ_OK)
		rc = read_town_name(s, &name, err);
	if (rc == TZ_OK) {
		out->tables = xcalloc(schema->ntables ? schema->ntables : 1, sizeof *out->tables);
	}
	for (size_t i = 0; rc == TZ_OK && i < schema->ntables; i++) {
		struct export_pg_table *e = &out->tables[out->ntables++];
		e->name = xstrdup(schema->tables[i].name);
		rc = write_copy_file(s, dir, &schema->tables[i], town, &e->nrows, err);
		out->nrows += e->nrows;
	}
	if (rc == TZ_OK)
		rc = write_town_row(dir, town, name, schema->version, err);
	if (rc == TZ_OK)
		rc = write_schema_file(dir, schema, err);
	free(name);
	return rc;
}

int export_pg_write(struct store *s, const char *dir, struct export_pg_summary *out,
		    struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	const struct keyring *kr = store_keyring(s);
	if (kr->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EUSAGE,
				    "只能从镇台账导出到 PostgreSQL：这是村台账（%s），"
				    "村的数据同步到镇以后随镇台账导出",
				    kr->division_code);
	snprintf(out->town_code, sizeof out->town_code, "%s", kr->division_code);
	int rc = prepare_dir(dir, err);
	if (rc != TZ_OK)
		return rc;
	char *load_path = xasprintf("%s/load.sh", dir);
	if (unlink(load_path) != 0 && errno != ENOENT)
		rc = tz_error_set(err, TZ_EFAIL, "无法删除旧的 %s：%s", load_path, os_error_text(errno));
	free(load_path);
	if (rc != TZ_OK)
		return rc;

	sqlite3 *db = store_db(s);
	int own_tx = sqlite3_get_autocommit(db);
	if (own_tx && (rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
		return store_sqlite_error(s, rc, "开始读取台账", err);
	struct pg_schema schema;
	rc = write_data(s, dir, out->town_code, &schema, out, err);
	if (own_tx)
		sqlite3_exec(db, rc == TZ_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	if (rc == TZ_OK)
		rc = write_load_file(dir, &schema, out->town_code, err);
	pg_schema_free(&schema);
	if (rc == TZ_OK)
		sync_dir(dir);
	if (rc != TZ_OK)
		export_pg_summary_free(out);
	return rc;
}

void export_pg_summary_free(struct export_pg_summary *sum)
{
	for (size_t i = 0; i < sum->ntables; i++)
		free(sum->tables[i].name);
	free(sum->tables);
	memset(sum, 0, sizeof *sum);
}
