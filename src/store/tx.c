/*
 * tx.c — the one way to write to a store: store_tx_begin / store_tx_commit.
 *
 * Every write in taizhang is BEGIN IMMEDIATE ... COMMIT through these functions,
 * so that (a) a failure anywhere leaves nothing half-written, and (b) the sync
 * module's change capture, attached with store_set_tx_hooks, sees every write.
 *
 * The hash-chained audit log written inside these transactions is in audit.c.
 */
#include <string.h>

#include "store_internal.h"

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
