/*
 * pg_copy.c — a table's rows as PostgreSQL COPY text (the format of
 * https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"):
 *
 *   one line per row, ended by \n; the fields separated by one tab, the town
 *   key first, then the table's columns in the store's order; NULL is \N;
 *   in a value, backslash, tab, newline and carriage return are written \\,
 *   \t, \n and \r, every other byte as it is (text is UTF-8); bigint and
 *   double precision in decimal ("Infinity" for an infinite REAL), date as
 *   YYYY-MM-DD, timestamptz as YYYY-MM-DDTHH:MM:SSZ, bytea as \\x and hex.
 *
 * Each value is checked against its column's PostgreSQL type before it is
 * written, so that a value the database would refuse stops the export here,
 * with the row and column named, instead of half-way through a load.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pg_internal.h"
#include "taizhang/date.h"
#include "taizhang/utf8.h"

size_t export_pg_copy_escape(const char *s, size_t nbytes, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < nbytes; i++) {
		char c = s[i];
		const char *escaped = c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n"
				    : c == '\r' ? "\\r" : NULL;
		if (escaped != NULL) {
			out[n++] = escaped[0];
			out[n++] = escaped[1];
		} else {
			out[n++] = c;
		}
	}
	return n;
}

void pg_copy_write_text(FILE *fp, const char *s, size_t nbytes)
{
	if (s == NULL) {
		fputs("\\N", fp);
		return;
	}
	char buf[1024];
	for (size_t at = 0; at < nbytes; at += sizeof buf / 2) {
		size_t chunk = nbytes - at < sizeof buf / 2 ? nbytes - at : sizeof buf / 2;
		fwrite(buf, 1, export_pg_copy_escape(s + at, chunk, buf), fp);
	}
}

/* Whether text is exactly YYYY-MM-DDTHH:MM:SSZ naming a real moment. */
static int is_timestamp(const char *text, size_t nbytes)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	if (nbytes != sizeof shape - 1)
		return 0;
	for (size_t i = 0; i < nbytes; i++)
		if (shape[i] == 'd' ? text[i] < '0' || text[i] > '9' : text[i] != shape[i])
			return 0;
	char day[DATE_NCHARS + 1];
	memcpy(day, text, DATE_NCHARS);
	day[DATE_NCHARS] = '\0';
	int32_t d;
	int hour = atoi(text + 11), minute = atoi(text + 14), second = atoi(text + 17);
	return date_parse(day, &d) && hour < 24 && minute < 60 && second < 60;
}

static void write_bytea(FILE *fp, const unsigned char *bytes, size_t nbytes)
{
	fputs("\\\\x", fp);
	for (size_t i = 0; i < nbytes; i++)
		fprintf(fp, "%02x", bytes[i]);
}

/* Write column i of the current row as a field of type type; NULL for
 * success, else what the value is not. */
static const char *write_field(FILE *fp, sqlite3_stmt *st, int i, enum export_pg_type type)
{
	int stored = sqlite3_column_type(st, i);
	if (stored == SQLITE_NULL) {
		fputs("\\N", fp);
		return NULL;
	}
	switch (type) {
	case EXPORT_PG_BIGINT:
		if (stored != SQLITE_INTEGER)
			return "整数";
		fprintf(fp, "%" PRId64, (int64_t)sqlite3_column_int64(st, i));
		return NULL;
	case EXPORT_PG_DOUBLE: {
		if (stored != SQLITE_INTEGER && stored != SQLITE_FLOAT)
			return "数";
		double d = sqlite3_column_double(st, i);
		if (isinf(d))
			fputs(d > 0 ? "Infinity" : "-Infinity", fp);
		else
			fprintf(fp, "%.17g", d);
		return NULL;
	}
	case EXPORT_PG_BYTEA: {
		const void *bytes = sqlite3_column_blob(st, i);
		write_bytea(fp, bytes, (size_t)sqlite3_column_bytes(st, i));
		return NULL;
	}
	case EXPORT_PG_TEXT:
	case EXPORT_PG_DATE:
	case EXPORT_PG_TIMESTAMPTZ:
		break;
	}
	const char *text = (const char *)sqlite3_column_text(st, i);
	size_t nbytes = (size_t)sqlite3_column_bytes(st, i);
	int32_t day;
	if (text == NULL || !utf8_valid(text, nbytes))
		return "有效的 UTF-8 文字（不含 NUL）";
	if (type == EXPORT_PG_DATE && (nbytes != DATE_NCHARS || !date_parse(text, &day)))
		return "日期（YYYY-MM-DD）";
	if (type == EXPORT_PG_TIMESTAMPTZ && !is_timestamp(text, nbytes))
		return "时间（YYYY-MM-DDTHH:MM:SSZ）";
	pg_copy_write_text(fp, text, nbytes);
	return NULL;
}

/* SELECT "c1", "c2", ... FROM "t" (malloc'd). */
static char *select_sql(const struct pg_table *t)
{
	char *sql = NULL;
	size_t nbytes = 0;
	FILE *mem = open_memstream(&sql, &nbytes);
	if (mem == NULL)
		abort(); /* out of memory */
	fputs("SELECT ", mem);
	for (size_t i = 0; i < t->ncols; i++) {
		if (i > 0)
			fputs(", ", mem);
		pg_write_ident(mem, t->cols[i].name);
	}
	fputs(" FROM ", mem);
	pg_write_ident(mem, t->name);
	if (fclose(mem) != 0)
		abort(); /* out of memory */
	return sql;
}

/* The row's first key column as "column=value", for a message. */
static void describe_row(const struct pg_table *t, sqlite3_stmt *st, char *out, size_t cap)
{
	for (size_t i = 0; t->pk.n > 0 && i < t->ncols; i++)
		if (strcmp(t->cols[i].pg_name, t->pk.names[0]) == 0) {
			const unsigned char *v = sqlite3_column_text(st, (int)i);
			snprintf(out, cap, "%s=%.64s", t->cols[i].name, v ? (const char *)v : "NULL");
			return;
		}
	snprintf(out, cap, "（无主键）");
}

int pg_copy_write_table(struct store *s, const struct pg_table *t, const char *town, FILE *fp,
			long long *nrows, struct tz_error *err)
{
	*nrows = 0;
	char *sql = select_sql(t);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取台账", err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(town, fp);
		for (size_t i = 0; i < t->ncols; i++) {
			fputc('\t', fp);
			const char *not_a = write_field(fp, st, (int)i, t->cols[i].type);
			if (not_a != NULL) {
				char row[128];
				describe_row(t, st, row, sizeof row);
				tz_error_set(err, TZ_EFAIL,
					     "表 %s 中 %s 的一行，字段 %s 的值不是%s，PostgreSQL 不能接受：请先改正这个值再导出",
					     t->name, row, t->cols[i].name, not_a);
				sqlite3_finalize(st);
				return TZ_EFAIL;
			}
		}
		fputc('\n', fp);
		(*nrows)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取台账", err);
	return TZ_OK;
}
