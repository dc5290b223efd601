/*
 * tx.c — the one way to write to a store: store_tx_begin / store_tx_commit, and
 * the hash-chained audit log written inside those transactions.
 *
 * Every write in taizhang is BEGIN IMMEDIATE ... COMMIT through these functions,
 * so that (a) a failure anywhere leaves nothing half-written, and (b) the sync
 * module's change capture, attached with store_set_tx_hooks, sees every write.
 *
 * The audit log: each row's hash is BLAKE2b-256 over the previous row's hash and
 * this row's fields (each length-prefixed), so that removing or editing a row
 * breaks the chain from there on.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store_internal.h"
#include "taizhang/bytes.h"

void store_set_tx_hooks(struct store *s, const struct store_tx_hooks *hooks, void *ctx)
{
	if (s->hooks.detach != NULL)
		s->hooks.detach(s->hooks_ctx);
	if (hooks != NULL)
		s->hooks = *hooks;
	else
		memset(&s->hooks, 0, sizeof s->hooks);
	s->hooks_ctx = ctx;
}

void *store_tx_hooks_ctx(const struct store *s)
{
	return s->hooks_ctx;
}

int store_tx_active(const struct store *s)
{
	return s->in_tx;
}

int store_tx_begin(struct store *s, struct tz_error *err)
{
	if (s->in_tx)
		return tz_error_set(err, TZ_EFAIL, "内部错误：事务不能嵌套");
	int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "开始保存", err);
	s->in_tx = 1;
	if (s->hooks.begin != NULL) {
		int hrc = s->hooks.begin(s->hooks_ctx, s->db, err);
		if (hrc != TZ_OK) {
			store_tx_rollback(s);
			return hrc;
		}
	}
	return TZ_OK;
}

int store_tx_commit(struct store *s, struct tz_error *err)
{
	if (!s->in_tx)
		return tz_error_set(err, TZ_EFAIL, "内部错误：没有打开的事务");
	if (s->hooks.before_commit != NULL) {
		int hrc = s->hooks.before_commit(s->hooks_ctx, s->db, err);
		if (hrc != TZ_OK) {
			store_tx_rollback(s);
			return hrc;
		}
	}
	int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int status = store_sqlite_error(s, rc, "保存", err);
		store_tx_rollback(s);
		return status;
	}
	s->in_tx = 0;
	if (s->hooks.end != NULL)
		s->hooks.end(s->hooks_ctx, s->db, 1);
	return TZ_OK;
}

void store_tx_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
	if (s->hooks.end != NULL)
		s->hooks.end(s->hooks_ctx, s->db, 0);
}

int store_tx_end(struct store *s, int rc, struct tz_error *err)
{
	if (rc == TZ_OK)
		return store_tx_commit(s, err);
	store_tx_rollback(s);
	return rc;
}

static void hash_field(crypto_generichash_state *h, const char *text)
{
	unsigned char len[4];
	size_t n = text ? strlen(text) : 0;
	bytes_store_le32(len, (uint32_t)n);
	crypto_generichash_update(h, len, sizeof len);
	if (n > 0)
		crypto_generichash_update(h, (const unsigned char *)text, n);
}

int store_audit(struct store *s, const char *action, const char *subject,
		const char *detail, struct tz_error *err)
{
	if (!s->in_tx)
		return tz_error_set(err, TZ_EFAIL, "内部错误：审计记录必须在事务中写入");
	unsigned char prev[32] = { 0 };
	sqlite3_int64 seq = 1;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db,
				    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "写入审计记录", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0) + 1;
		if (sqlite3_column_bytes(st, 1) == 32)
			memcpy(prev, sqlite3_column_blob(st, 1), 32);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "写入审计记录", err);

	char at[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	char seq_text[24];
	snprintf(seq_text, sizeof seq_text, "%lld", (long long)seq);

	unsigned char hash[32];
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof hash);
	crypto_generichash_update(&h, prev, sizeof prev);
	hash_field(&h, seq_text);
	hash_field(&h, at);
	hash_field(&h, s->user);
	hash_field(&h, action);
	hash_field(&h, subject);
	hash_field(&h, detail);
	crypto_generichash_final(&h, hash, sizeof hash);

	rc = sqlite3_prepare_v2(s->db,
				"INSERT INTO audit_log(seq, at, user, action, subject, detail, prev_hash, hash)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "写入审计记录", err);
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
