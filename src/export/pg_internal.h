/*
 * pg_internal.h — what the PostgreSQL export's files share: the store's schema
 * as read from SQLite (pg_schema.c), the writer of a file put in place by
 * rename (pg_file.c), and the COPY writer (pg_copy.c). Not a public interface.
 */
#ifndef TAIZHANG_EXPORT_PG_INTERNAL_H
#define TAIZHANG_EXPORT_PG_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "taizhang/export_pg.h"
#include "taizhang/xalloc.h"

struct pg_column {
	char *name;    /* in the store */
	char *pg_name; /* in PostgreSQL (EXPORT_PG_RENAMED_PREFIX + name on a clash) */
	enum export_pg_type type;
	int notnull;
	char *dflt; /* a literal default as SQL text, or NULL */
};

/* A list of PostgreSQL column names. */
struct pg_names {
	size_t n;
	char **names;
};

struct pg_foreign_key {
	char *parent;
	struct pg_names from, to; /* PostgreSQL names, without the town key */
	char *on_delete;          /* "CASCADE", ... or NULL for NO ACTION */
};

struct pg_index {
	char *name;
	int unique;
	int constraint; /* a UNIQUE table constraint rather than CREATE INDEX */
	struct pg_names cols;
	char *where; /* a partial index's condition, or NULL */
};

struct pg_table {
	char *name;
	size_t ncols;
	struct pg_column *cols;
	struct pg_names pk; /* PostgreSQL names in key order; n == 0: none */
	size_t nfks;
	struct pg_foreign_key *fks;
	size_t nindexes;
	struct pg_index *indexes;
	size_t nchecks;
	char **checks; /* CHECK expressions as written in the store's schema */
};

/* The exported tables, parents before the tables that refer to them. */
struct pg_schema {
	uint32_t version; /* the store's schema version */
	size_t ntables;
	struct pg_table *tables;
};

/* Read the exported tables' schema from db. TZ_OK, or the store's status. */
int pg_schema_read(struct store *s, struct pg_schema *out, struct tz_error *err);
void pg_schema_free(struct pg_schema *schema);

/* Write schema.sql's text for schema to fp. */
void pg_schema_write_sql(const struct pg_schema *schema, FILE *fp);

/* Write "name" (double-quoted) to fp; names are checked to be [a-z_][a-z0-9_]*. */
void pg_write_ident(FILE *fp, const char *name);

/* Write table t's rows of s as COPY text to fp, each led by town; *nrows counts
 * them. TZ_EFAIL names the first value that does not fit its column. */
int pg_copy_write_table(struct store *s, const struct pg_table *t, const char *town, FILE *fp,
			long long *nrows, struct tz_error *err);

/* One COPY field of text (escaped), or \N for NULL. */
void pg_copy_write_text(FILE *fp, const char *s, size_t nbytes);

/* A file written as DIR/.NAME.part and renamed to DIR/NAME: created 0600. */
struct pg_file {
	char *path, *part_path;
	FILE *fp;
};
int pg_file_open(struct pg_file *f, const char *dir, const char *name, struct tz_error *err);
/* Flush, sync and rename into place. The file is closed either way. */
int pg_file_commit(struct pg_file *f, struct tz_error *err);
/* Close and remove an uncommitted file; free f's names. */
void pg_file_discard(struct pg_file *f);

#endif
