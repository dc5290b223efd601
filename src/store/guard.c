/*
 * guard.c — what a connection to a store may do: the settings every
 * connection gets (store_harden), and the guard on `taizhang query`, the one
 * place where an officer's own SQL runs (store_query_prepare).
 *
 * Every connection: no extension loading, no two-argument fts3_tokenizer (it
 * takes a C function pointer from SQL: a crash or code execution), defensive
 * mode (no writes to the schema or shadow tables by SQL, no PRAGMA writable_schema),
 * and no trust in functions named by the schema (views and triggers may call
 * only functions marked innocuous).
 *
 * The query guard. The statement runs on a connection with PRAGMA query_only,
 * must be sqlite3_stmt_readonly, and is judged action by action by an SQLite
 * authorizer while it is prepared (and re-prepared):
 *   - reading a table is allowed, except the secret columns: every column of
 *     secret_columns below (the device's Ed25519 seed and X25519 secret key,
 *     db/005_sync.sql) and every column whose name says it holds key material
 *     (ends in "_sk" or "_seed", contains "secret" or "private") — a rule on the
 *     name, so that a secret column added later is refused without anyone
 *     remembering this list; and the raw page table sqlite_dbpage, which would
 *     show decrypted pages whole;
 *   - functions: all but fts3_tokenizer (its one-argument form returns a C
 *     pointer: an address-space leak), load_extension, and the shell's file
 *     functions (readfile, writefile, edit), should a build ever have them;
 *   - PRAGMA: only those describing the schema (table_info ...), and the
 *     versions read without an argument;
 *   - anything else (writes, ATTACH, DDL, transactions) is refused, but the
 *     pseudo-write of sqlite_master SQLite asks for when a table-valued
 *     function is first used (query_only and defensive mode still stop a real
 *     one).
 * What an officer may read otherwise is the store's own data, which they can
 * see anyway; the guard is about key material and about the process itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

void store_harden(sqlite3 *db)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
}

static const struct {
	const char *table, *column;
} secret_columns[] = {
	{ "sync_device_keys", "sign_seed" },
	{ "sync_device_keys", "box_sk" },
};

static const char *const refused_functions[] = {
	"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit",
};

static const char *const schema_pragmas[] = {
	"table_info", "table_xinfo", "table_list", "index_list", "index_info",
	"index_xinfo", "foreign_key_list", "collation_list", "function_list",
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int secret_column(const char *table, const char *column)
{
	if (strcasecmp(table, "sqlite_dbpage") == 0)
		return 1;
	for (size_t i = 0; i < sizeof secret_columns / sizeof secret_columns[0]; i++)
		if (strcasecmp(table, secret_columns[i].table) == 0 &&
		    strcasecmp(column, secret_columns[i].column) == 0)
			return 1;
	return ends_with(column, "_sk") || ends_with(column, "_seed") ||
	       strcasestr(column, "secret") != NULL || strcasestr(column, "private") != NULL;
}

static int listed(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return 1;
	return 0;
}

/* Refuse the action, keeping the first reason (in Chinese) for the caller. */
static int deny(struct store *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int deny(struct store *s, int code, const char *fmt, ...)
{
	if (s->denied[0] == '\0') {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(s->denied, sizeof s->denied, fmt, ap);
		va_end(ap);
		s->denied_code = code;
	}
	return SQLITE_DENY;
}

static int authorize(void *ctx, int action, const char *a1, const char *a2, const char *db,
		     const char *via)
{
	struct store *s = ctx;
	(void)db;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_UPDATE:
		/* SQLite asks this (a pseudo-write of the schema table) when a
		 * table-valued function such as pragma_table_info is first used; a
		 * real write to it is refused by query_only and defensive mode. */
		if (a1 != NULL && strcmp(a1, "sqlite_master") == 0 && via == NULL)
			return SQLITE_OK;
		break;
	case SQLITE_READ:
		if (a1 != NULL && secret_column(a1, a2 ? a2 : ""))
			return deny(s, TZ_EAUTH,
				    "不能查询“%s.%s”：这一列保存的是密钥（本机的私钥等），"
				    "query 不读取任何密钥。请去掉这一列（或不用 *）再查",
				    a1, a2 ? a2 : "");
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		if (a2 != NULL && listed(a2, refused_functions,
					 sizeof refused_functions / sizeof refused_functions[0]))
			return deny(s, TZ_EAUTH,
				    "不能在 query 中调用函数 %s()：它会泄露程序内存地址或访问台账以外的文件",
				    a2);
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		if (a1 != NULL &&
		    (listed(a1, schema_pragmas, sizeof schema_pragmas / sizeof schema_pragmas[0]) ||
		     (a2 == NULL && (strcasecmp(a1, "user_version") == 0 ||
				     strcasecmp(a1, "schema_version") == 0))))
			return SQLITE_OK;
		return deny(s, TZ_EAUTH,
			    "不能在 query 中执行 PRAGMA %s：只允许查看表结构的 PRAGMA（如 table_info）",
			    a1 ? a1 : "");
	default:
		break;
	}
	return deny(s, TZ_EUSAGE, "query 只执行只读查询，这条语句会修改数据，已拒绝");
}

int store_query_prepare(struct store *s, const char *sql, sqlite3_stmt **out,
			struct tz_error *err)
{
	*out = NULL;
	sqlite3_set_authorizer(s->db, NULL, NULL); /* the guard's own PRAGMA */
	int rc = sqlite3_exec(s->db, "PRAGMA query_only=ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "查询", err);
	sqlite3_set_authorizer(s->db, authorize, s);
	s->denied[0] = '\0';
	sqlite3_stmt *st;
	const char *tail;
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, &tail);
	if (s->denied[0] != '\0') {
		sqlite3_finalize(st);
		return tz_error_set(err, s->denied_code, "%s", s->denied);
	}
	if (rc != SQLITE_OK)
		return tz_error_set(err, (rc & 0xFF) == SQLITE_ERROR ? TZ_EUSAGE : TZ_EFAIL,
				    "SQL 语句有误：%s", sqlite3_errmsg(s->db));
	if (st == NULL)
		return tz_error_set(err, TZ_EUSAGE, "没有给出 SQL 语句");
	while (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';')
		tail++;
	if (*tail != '\0') {
		sqlite3_finalize(st);
		return tz_error_set(err, TZ_EUSAGE, "一次只能执行一条语句");
	}
	if (!sqlite3_stmt_readonly(st)) {
		sqlite3_finalize(st);
		return tz_error_set(err, TZ_EUSAGE,
				    "query 只执行只读查询，这条语句会修改数据，已拒绝");
	}
	*out = st;
	return TZ_OK;
}
