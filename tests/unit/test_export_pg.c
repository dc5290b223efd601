/*
 * test_export_pg.c — the PostgreSQL export (export_pg.h) as a specification,
 * without a server (tests/cli/test_export_pg.sh loads the files into a real one):
 *
 *   - types follow SQLite's affinity and the store's naming of dates and times,
 *     and agree with the model: every date field is a date column, every money
 *     field bigint, and no other field is a date or a time;
 *   - COPY text escapes backslash, tab, newline and carriage return, nothing else;
 *   - an export of a town writes 0600 files into a 0700 directory: schema.sql
 *     keying every table by town, a COPY file per ledger and reference table
 *     with a line per row led by the town's code, load.sh; never the sync
 *     state, the audit log or store_meta;
 *   - a value its column's type cannot hold stops the export, names the table
 *     and column, and leaves no load.sh; a village store and a directory open
 *     to others are refused.
 */
#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/demo.h"
#include "taizhang/export_pg.h"
#include "taizhang/model.h"
#include "taizhang/store.h"

#include "fixture.h"
#include "unit.h"

#define TOWN "341522104000"
#define VILLAGE "341522104201"

static char dir[64];
static struct store *town;

static struct store *make_store(const char *file, enum store_kind kind, const char *code)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	struct tz_error err;
	struct store *s;
	if (store_create(path, &(struct store_identity){ kind, code, "示范" }, "王芳", "passphrase1",
			 11, KDF_COST_MIN, &s, &err) != TZ_OK) {
		fprintf(stderr, "store_create: %s\n", err.msg);
		return NULL;
	}
	return s;
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TAIZHANG_TODAY", "2019-04-20", 1);
	snprintf(dir, sizeof dir, "/tmp/tz-export-pg-XXXXXX");
	if (mkdtemp(dir) == NULL || (town = make_store("town.tzs", STORE_KIND_TOWN, TOWN)) == NULL)
		return -1;
	struct demo_options o = { .households = 8, .seed = 5, .village_code = VILLAGE };
	struct tz_error err;
	if (demo_populate(town, &o, &err) != TZ_OK) {
		fprintf(stderr, "demo_populate: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int group_teardown(void **state)
{
	(void)state;
	store_close(town);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* The whole of file name in export directory out (malloc'd), or NULL. */
static char *slurp(const char *out, const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", out, name);
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return NULL;
	char *text = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = 2 * cap + 4096 + 1;
			text = realloc(text, cap);
			assert_non_null(text);
		}
		size_t got = fread(text + n, 1, 4096, fp);
		n += got;
		if (got == 0)
			break;
	}
	fclose(fp);
	text[n] = '\0';
	return text;
}

static long long count_rows(struct store *s, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
	return fixture_int(s, sql);
}

UNIT_TEST(test_types_follow_sqlite_affinity_and_the_names_of_dates_and_times, NULL, NULL)
{
	static const struct {
		const char *column, *decl;
		enum export_pg_type want;
	} cases[] = {
		{ "year", "INTEGER", EXPORT_PG_BIGINT },
		{ "income_cents", "INTEGER", EXPORT_PG_BIGINT },
		{ "exited_on", "INTEGER", EXPORT_PG_BIGINT }, /* the declared type first */
		{ "ratio", "REAL", EXPORT_PG_DOUBLE },
		{ "hash", "BLOB", EXPORT_PG_BYTEA },
		{ "name", "TEXT", EXPORT_PG_TEXT },
		{ "name", "VARCHAR(20)", EXPORT_PG_TEXT },
		{ "name", NULL, EXPORT_PG_TEXT },
		{ "exited_on", "TEXT", EXPORT_PG_DATE },
		{ "birth_date", "TEXT", EXPORT_PG_DATE },
		{ "valid_until", "TEXT", EXPORT_PG_DATE },
		{ "since", "TEXT", EXPORT_PG_DATE },
		{ "deadline", "TEXT", EXPORT_PG_DATE },
		{ "created_at", "TEXT", EXPORT_PG_TIMESTAMPTZ },
		{ "at", "TEXT", EXPORT_PG_TIMESTAMPTZ },
		{ "person", "TEXT", EXPORT_PG_TEXT }, /* "on" but not "_on" */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (export_pg_column_type(cases[i].column, cases[i].decl) != cases[i].want)
			fail_msg("%s %s: not %s", cases[i].column, cases[i].decl ? cases[i].decl : "(none)",
				 export_pg_type_name(cases[i].want));
	assert_string_equal(export_pg_type_name(EXPORT_PG_DOUBLE), "double precision");
	assert_string_equal(export_pg_type_name(EXPORT_PG_TIMESTAMPTZ), "timestamptz");
}

/* The declared type of table.column in s. */
static void declared_type(struct store *s, const char *table, const char *column, char *out,
			  size_t cap)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s),
					    "SELECT type FROM pragma_table_info(?1) WHERE name = ?2",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

UNIT_TEST(test_the_model_and_the_mapping_agree_on_every_field, NULL, NULL)
{
	size_t ntables, ndates = 0;
	const struct table_def *const *defs = model_tables(&ntables);
	for (size_t i = 0; i < ntables; i++)
		for (size_t k = 0; k < defs[i]->nfields; k++) {
			const struct field_def *f = &defs[i]->fields[k];
			char decl[32];
			declared_type(town, defs[i]->table, f->column, decl, sizeof decl);
			enum export_pg_type t = export_pg_column_type(f->column, decl);
			if (t == EXPORT_PG_DATE || f->type == FIELD_DATE) {
				if (t != EXPORT_PG_DATE || f->type != FIELD_DATE)
					fail_msg("%s.%s: model type %d, PostgreSQL %s", defs[i]->table,
						 f->column, (int)f->type, export_pg_type_name(t));
				ndates++;
			}
			if (f->type == FIELD_MONEY || f->type == FIELD_INT || f->type == FIELD_BOOL)
				assert_int_equal(t, EXPORT_PG_BIGINT);
			if (t == EXPORT_PG_TIMESTAMPTZ)
				fail_msg("%s.%s is a field, not a time stamp", defs[i]->table, f->column);
		}
	assert_true(ndates > 20);
}

UNIT_TEST(test_copy_text_escapes_backslash_tab_newline_and_return_only, NULL, NULL)
{
	const char in[] = "a\\b\tc\nd\re 张\\N";
	char out[2 * sizeof in];
	size_t n = export_pg_copy_escape(in, sizeof in - 1, out);
	const char want[] = "a\\\\b\\tc\\nd\\re 张\\\\N";
	assert_int_equal(n, sizeof want - 1);
	assert_memory_equal(out, want, n);
}

/* How many lines of text start with prefix, and how many lines in all. */
static void count_lines(const char *text, const char *prefix, size_t *nprefixed, size_t *nlines)
{
	*nprefixed = *nlines = 0;
	for (const char *p = text; *p != '\0';) {
		(*nlines)++;
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			(*nprefixed)++;
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
}

UNIT_TEST(test_a_town_export_keys_every_table_by_town_in_private_files, NULL, NULL)
{
	char out[128];
	snprintf(out, sizeof out, "%s/export", dir);
	struct export_pg_summary sum;
	struct tz_error err;
	assert_int_equal(export_pg_write(town, out, &sum, &err), TZ_OK);
	assert_string_equal(sum.town_code, TOWN);

	struct stat st;
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	DIR *d = opendir(out);
	assert_non_null(d);
	struct dirent *e;
	size_t nfiles = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", out, e->d_name);
		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_true(strncmp(e->d_name, "sync_", 5) != 0);
		assert_true(strncmp(e->d_name, "audit_log", 9) != 0);
		assert_true(strncmp(e->d_name, "store_meta", 10) != 0);
		nfiles++;
	}
	closedir(d);
	/* a COPY file per table, the town's row, schema.sql, load.sh */
	assert_int_equal(nfiles, sum.ntables + 3);

	long long total = 0;
	int saw_households = 0, saw_code_list = 0;
	for (size_t i = 0; i < sum.ntables; i++) {
		char name[96];
		snprintf(name, sizeof name, "%s.copy", sum.tables[i].name);
		char *text = slurp(out, name);
		assert_non_null(text);
		size_t nprefixed, nlines;
		count_lines(text, TOWN "\t", &nprefixed, &nlines);
		assert_int_equal(nlines, (size_t)sum.tables[i].nrows);
		assert_int_equal(nprefixed, nlines);
		assert_int_equal(sum.tables[i].nrows, count_rows(town, sum.tables[i].name));
		free(text);
		total += sum.tables[i].nrows;
		saw_households |= strcmp(sum.tables[i].name, "households") == 0;
		saw_code_list |= strcmp(sum.tables[i].name, "code_list") == 0;
	}
	assert_true(saw_households && saw_code_list);
	assert_int_equal(total, sum.nrows);

	char *schema = slurp(out, "schema.sql");
	assert_non_null(schema);
	assert_non_null(strstr(schema, "CREATE TABLE IF NOT EXISTS \"households\""));
	assert_non_null(strstr(schema, "PRIMARY KEY (\"town_code\", \"id\")"));
	assert_non_null(strstr(schema, "FOREIGN KEY (\"town_code\", \"household_id\") REFERENCES "
				       "\"households\" (\"town_code\", \"id\") DEFERRABLE INITIALLY DEFERRED"));
	assert_non_null(strstr(schema, "\"income_cents\" bigint,"));
	assert_non_null(strstr(schema, "\"exited_on\" date,"));
	assert_non_null(strstr(schema, "\"created_at\" timestamptz NOT NULL"));
	assert_non_null(strstr(schema, "CHECK (income_cents IS NULL OR income_cents >= 0)"));
	assert_non_null(strstr(schema, "\"recorded_town_code\" text")); /* villages.town_code */
	assert_null(strstr(schema, "sync_"));
	assert_null(strstr(schema, "audit_log"));
	free(schema);
	char *load = slurp(out, "load.sh");
	assert_non_null(load);
	assert_non_null(strstr(load, "DELETE FROM \"households\" WHERE \"town_code\" = '" TOWN "';"));
	assert_non_null(strstr(load, "\\copy \"households\" (\"town_code\", \"id\""));
	free(load);
	export_pg_summary_free(&sum);
}

UNIT_TEST(test_a_value_its_type_cannot_hold_stops_the_export, NULL, NULL)
{
	struct tz_error err;
	assert_int_equal(store_exec(town,
				    "UPDATE households SET exited_on = '去年' WHERE rowid ="
				    " (SELECT min(rowid) FROM households)",
				    &err),
			 TZ_OK);
	char out[128];
	snprintf(out, sizeof out, "%s/bad", dir);
	struct export_pg_summary sum;
	assert_int_equal(export_pg_write(town, out, &sum, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "households"));
	assert_non_null(strstr(err.msg, "exited_on"));
	assert_non_null(strstr(err.msg, "日期"));
	char path[160];
	snprintf(path, sizeof path, "%s/load.sh", out);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(store_exec(town, "UPDATE households SET exited_on = NULL"
					  " WHERE exited_on = '去年'", &err),
			 TZ_OK);
}

UNIT_TEST(test_a_village_store_and_an_open_directory_are_refused, NULL, NULL)
{
	struct store *village = make_store("village.tzs", STORE_KIND_VILLAGE, VILLAGE);
	assert_non_null(village);
	char out[128];
	snprintf(out, sizeof out, "%s/v", dir);
	struct export_pg_summary sum;
	struct tz_error err;
	assert_int_equal(export_pg_write(village, out, &sum, &err), TZ_EUSAGE);
	assert_int_equal(access(out, F_OK), -1);
	store_close(village);

	snprintf(out, sizeof out, "%s/open", dir);
	assert_int_equal(mkdir(out, 0700), 0);
	assert_int_equal(chmod(out, 0750), 0);
	assert_int_equal(export_pg_write(town, out, &sum, &err), TZ_EUSAGE);
	assert_non_null(strstr(err.msg, "chmod 700"));
}

int main(void)
{
	return unit_run("export_pg", group_setup, group_teardown);
}
