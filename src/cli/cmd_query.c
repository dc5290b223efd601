/*
 * cmd_query.c — `taizhang query 'SQL'`: one read-only statement, CSV to stdout.
 *
 * The store layer's query guard prepares the statement (store_query_prepare):
 * read-only (twice over), no key material, no pointer-revealing functions.
 * Output is RFC 4180 CSV with a header row; NULL is an empty field, a BLOB is
 * written as hex. The result is gathered in memory and written only once the
 * statement has run to the end, so a query that fails halfway (a damaged page)
 * prints nothing but its error.
 *
 * To a terminal the result passes the output wall (outwall.c: controls, bidi
 * overrides, zero-width characters shown as U+FFFD); to a file or a pipe it is
 * the stored bytes as they are, since an extract must be what is stored (the
 * entry says CLI_RAW_STDOUT, so cli_run leaves the choice here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/cli.h"
#include "taizhang/csv.h"
#include "taizhang/xalloc.h"
#include "cli_help.h"

static void put_value(FILE *out, sqlite3_stmt *st, int col)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL:
		break;
	case SQLITE_BLOB: {
		const unsigned char *b = sqlite3_column_blob(st, col);
		int n = sqlite3_column_bytes(st, col);
		for (int i = 0; i < n; i++)
			fprintf(out, "%02x", b[i]);
		break;
	}
	default: {
		const char *t = (const char *)sqlite3_column_text(st, col);
		csv_write_field(out, t ? t : "", (size_t)sqlite3_column_bytes(st, col), 0);
		break;
	}
	}
}

static int run_query(struct store *s, const char *sql, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_query_prepare(s, sql, &st, err);
	if (rc != TZ_OK)
		return rc;
	char *text = NULL;
	size_t text_nbytes = 0;
	FILE *out = open_memstream(&text, &text_nbytes);
	if (out == NULL)
		xalloc_die(0);
	int ncols = sqlite3_column_count(st);
	for (int i = 0; i < ncols; i++) {
		const char *name = sqlite3_column_name(st, i);
		if (i > 0)
			putc(',', out);
		csv_write_field(out, name, strlen(name), 0);
	}
	if (ncols > 0)
		putc('\n', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++) {
			if (i > 0)
				putc(',', out);
			put_value(out, st, i);
		}
		putc('\n', out);
	}
	sqlite3_finalize(st);
	int status = TZ_OK;
	if (fclose(out) != 0) /* a memory stream fails only for memory */
		xalloc_die(0);
	if (rc != SQLITE_DONE)
		status = store_sqlite_error(s, rc, "查询", err);
	else if (fwrite(text, 1, text_nbytes, stdout) != text_nbytes || fflush(stdout) != 0)
		status = tz_error_set(err, TZ_EFAIL, "写出查询结果失败");
	free(text);
	return status;
}

static int run(const struct cli_args *a)
{
	struct tz_error err;
	if (a->argc != 1)
		return cli_usage_error("query", a->argc == 0 ? "请给出一条 SQL 查询语句"
							     : "只能给出一条 SQL 语句（记得用引号括起来）");
	struct store *s;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	if (isatty(STDOUT_FILENO))
		cli_out_sanitize_begin();
	rc = run_query(s, a->argv[0], &err);
	store_close(s);
	return cli_status(a, rc, &err);
}

CLI_COMMAND(query, "执行只读 SQL 查询，输出 CSV",
	    CLI_HELP_query, NULL, NULL, CLI_STORE | CLI_RAW_STDOUT, CLI_ARGS_ANY, run);
