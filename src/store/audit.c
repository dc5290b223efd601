/*
 * audit.c — the store's audit log: appending a row (store_audit, inside a
 * transaction of tx.c) and checking the whole chain (store_audit_verify, for
 * `taizhang verify`).
 *
 * Each row's hash is BLAKE2b-256 (crypto_generichash) over the previous row's
 * hash (32 zero bytes for the first row) and this row's fields seq, at, user,
 * action, subject, detail, each preceded by its length in bytes (4 bytes,
 * little-endian; NULL hashes as empty). Rows are numbered from 1 without gaps.
 * So editing, inserting or removing a row in the middle breaks the chain at that
 * row: its prev_hash, its hash or its seq no longer fits. The chain is a second
 * wall behind the page encryption (only a holder of the master key can change a
 * row at all); it does not show rows cut off at the end, since nothing outside
 * the log remembers its length.
 */
#include <inttypes.h>
#include <string.h>

#include <sodium.h>

#include "taizhang/date.h"
#include "store_internal.h"
#include "taizhang/bytes.h"

static void hash_field(crypto_generichash_state *h, const char *text)
{
	unsigned char len[4];
	size_t n = text ? strlen(text) : 0;
	bytes_store_le32(len, (uint32_t)n);
	crypto_generichash_update(h, len, sizeof len);
	if (n > 0)
		crypto_generichash_update(h, (const unsigned char *)text, n);
}

void store_audit_hash(const unsigned char prev[32], const char *seq, const char *at,
		      const char *user, const char *action, const char *subject,
		      const char *detail, unsigned char out[32])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, prev, 32);
	hash_field(&h, seq);
	hash_field(&h, at);
	hash_field(&h, user);
	hash_field(&h, action);
	hash_field(&h, subject);
	hash_field(&h, detail);
	crypto_generichash_final(&h, out, 32);
}

int store_audit(struct store *s, const char *action, const char *subject,
		const char *detail, struct tz_error *err)
{
	if (!s->in_tx)
		return tz_error_set(err, TZ_EFAIL, "内部错误：审计记录必须在事务中写入");
	unsigned char prev[32] = { 0 };
	sqlite3_int64 seq = 1;
	sqlite3_stmt *last;
	int rc = store_query_one(s, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", NULL,
				 0, &last, "写入审计记录", err);
	if (rc != TZ_OK)
		return rc;
	if (last != NULL) {
		seq = sqlite3_column_int64(last, 0) + 1;
		if (sqlite3_column_bytes(last, 1) == 32)
			memcpy(prev, sqlite3_column_blob(last, 1), 32);
		sqlite3_finalize(last);
	}

	char at[DATE_STAMP_NCHARS + 1];
	date_now_stamp(at);
	char seq_text[24];
	snprintf(seq_text, sizeof seq_text, "%lld", (long long)seq);
	unsigned char hash[32];
	store_audit_hash(prev, seq_text, at, s->user, action, subject, detail, hash);

	sqlite3_stmt *st;
	rc = store_prepare(s,
			   "INSERT INTO audit_log(seq, at, user, action, subject, detail, prev_hash, hash)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			   &st, "写入审计记录", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, s->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, detail, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, prev, sizeof prev, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 8, hash, sizeof hash, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "写入审计记录", err);
	return TZ_OK;
}

/* Whether the row st is at (seq, at, user, action, subject, detail, prev_hash,
 * hash) follows a row numbered want - 1 whose hash is prev; why not in why. */
static int row_fits(sqlite3_stmt *st, sqlite3_int64 want, const unsigned char prev[32],
		    const char **why)
{
	sqlite3_int64 seq = sqlite3_column_int64(st, 0);
	if (sqlite3_column_type(st, 0) != SQLITE_INTEGER || seq != want) {
		*why = want == 1 ? "编号不是从 1 开始" : "编号不连续（前面有记录被删除或插入）";
		return 0;
	}
	if (sqlite3_column_bytes(st, 6) != 32 ||
	    sodium_memcmp(sqlite3_column_blob(st, 6), prev, 32) != 0) {
		*why = "前一条的哈希对不上（前面的记录被改动、删除或插入）";
		return 0;
	}
	const char *f[6];
	for (int i = 0; i < 6; i++)
		f[i] = (const char *)sqlite3_column_text(st, i);
	unsigned char hash[32];
	store_audit_hash(prev, f[0], f[1], f[2], f[3], f[4], f[5], hash);
	if (sqlite3_column_bytes(st, 7) != 32 ||
	    sodium_memcmp(sqlite3_column_blob(st, 7), hash, 32) != 0) {
		*why = "内容与哈希不符（这条记录被改动过）";
		return 0;
	}
	return 1;
}

int store_audit_verify(sqlite3 *db, struct store_audit_report *r)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT seq, at, user, action, subject, detail, prev_hash, hash"
				    " FROM audit_log ORDER BY seq",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	unsigned char prev[32] = { 0 };
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *why = NULL;
		if (!row_fits(st, (sqlite3_int64)r->nrows + 1, prev, &why)) {
			r->broken = 1;
			r->bad_seq = sqlite3_column_int64(st, 0);
			snprintf(r->why, sizeof r->why, "%s", why);
			rc = SQLITE_DONE;
			break;
		}
		memcpy(prev, sqlite3_column_blob(st, 7), 32);
		r->nrows++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
