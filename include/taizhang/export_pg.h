/*
 * export_pg.h — a town store's ledgers as files PostgreSQL loads (src/export/):
 * for a county or province that keeps many towns in one database.
 *
 * export_pg_write fills a directory with
 *   schema.sql     the PostgreSQL tables, mapped from the store's SQLite schema
 *                  (read from sqlite_schema and the table_info, foreign_key_list,
 *                  index_list pragmas): types, NOT NULL, defaults, CHECKs,
 *                  primary and unique keys, foreign keys and indexes, every key
 *                  led by the town key column EXPORT_PG_TOWN_COLUMN, so that any
 *                  number of towns share the tables without clashes. Idempotent
 *                  (IF NOT EXISTS), and it refuses a database made by another
 *                  schema version (taizhang_schema).
 *   TABLE.copy     one per table, PostgreSQL's text COPY format in UTF-8: a
 *                  row per line, columns separated by a tab, the town key first;
 *                  backslash, tab, newline and carriage return escaped with a
 *                  backslash, NULL as \N.
 *   taizhang_towns.copy   the town's own row (code, name, schema version, when).
 *   load.sh        `sh load.sh [psql options]`: runs psql in the directory, in
 *                  one transaction: schema.sql, then every table's rows of this
 *                  town deleted and copied in again. Loading a town twice
 *                  leaves it once; other towns' rows are never touched.
 *
 * Which tables: the ledgers (every table with an owner column and a primary
 * key) and the reference tables sync carries (code lists, tasks, units,
 * policy, deadlines...). Never the store's own tables (store_meta, the audit
 * log) nor the sync state, which holds the device's secret keys.
 *
 * Type mapping (export_pg_column_type): INTEGER → bigint (money in 分 too,
 * commented as such), REAL → double precision, BLOB → bytea, TEXT → text, but a
 * TEXT column named as a date (…_on, …_date, …_until, since, until, due,
 * deadline, as_of) → date and one named as a time (…_at, at) → timestamptz.
 * A value that does not fit its column's type stops the export with a message
 * naming table, row and column: nothing is dropped or truncated.
 *
 * The files are NOT encrypted: they hold names, ID numbers, phone numbers and
 * addresses. The directory is created mode 0700 (an existing one must already
 * be closed to group and others) and every file 0600; the command asks for an
 * explicit flag before writing them.
 */
#ifndef TAIZHANG_EXPORT_PG_H
#define TAIZHANG_EXPORT_PG_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/store.h"

/* The column added to every table and put first in every key. */
#define EXPORT_PG_TOWN_COLUMN "town_code"
/* What a store column that has the town key's name is called in PostgreSQL
 * (villages.town_code, the town a village row names). */
#define EXPORT_PG_RENAMED_PREFIX "recorded_"

enum export_pg_type {
	EXPORT_PG_TEXT,
	EXPORT_PG_BIGINT,
	EXPORT_PG_DOUBLE,
	EXPORT_PG_BYTEA,
	EXPORT_PG_DATE,        /* YYYY-MM-DD */
	EXPORT_PG_TIMESTAMPTZ, /* YYYY-MM-DDTHH:MM:SSZ (UTC) */
};

/* The PostgreSQL type of a store column named column with SQLite declared type
 * decl (NULL or "" is no declared type: text), by SQLite's affinity rules and
 * the column naming conventions above. */
enum export_pg_type export_pg_column_type(const char *column, const char *decl);

/* The SQL name of a type: "text", "bigint", "double precision", ... */
const char *export_pg_type_name(enum export_pg_type type);

/* Escape nbytes of s for a text-format COPY field into out, which must hold
 * 2 * nbytes bytes: backslash, tab, newline and carriage return become \\, \t,
 * \n, \r. Returns the bytes written (not NUL-terminated). */
size_t export_pg_copy_escape(const char *s, size_t nbytes, char *out);

/* What export_pg_write wrote: one entry per table, in the order load.sh loads
 * them. Free with export_pg_summary_free. */
struct export_pg_table {
	char *name;
	long long nrows;
};
struct export_pg_summary {
	char town_code[13];
	size_t ntables;
	struct export_pg_table *tables;
	long long nrows; /* all tables */
};

/* Export the town store s (open with SQL) into directory dir: created with
 * mode 0700 when it does not exist (its parent must); an existing one must be a
 * directory of this user closed to group and others. Files there of an
 * earlier export are replaced, each written beside its name and renamed into
 * place; load.sh is removed first and written last, so an export that fails
 * leaves no load.sh to load a mixture. All rows are read in one read
 * transaction. On TZ_OK *out is filled (free it with export_pg_summary_free).
 * Returns TZ_EUSAGE for a village store or an unusable directory, TZ_EFAIL for
 * a value that does not fit its column or a failed write, or the store's
 * status when reading fails. */
int export_pg_write(struct store *s, const char *dir, struct export_pg_summary *out,
		    struct tz_error *err);

/* Free what export_pg_write filled; a zeroed summary is fine. */
void export_pg_summary_free(struct export_pg_summary *sum);

#endif
