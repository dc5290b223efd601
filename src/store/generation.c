/*
 * generation.c — the database remembers which keyring it belongs to, so that an
 * old keyring spliced back into the file does not open it.
 *
 * The threat: `taizhang user remove` (an officer who left) and `user passwd` (a
 * passphrase that leaked) rewrite only the keyring region, the first 8 KiB of the
 * file (keyring.c). Someone who kept a copy of the file from before, or only of
 * its first 8 KiB, could copy those bytes back over the current file: the old
 * keyring is sound, its MAC verifies under the (unchanged) master key, and the
 * removed user's slot or the old passphrase would open today's data.
 *
 * The rule: every keyring write raises the keyring's generation (keyring.c), and
 * the generation is also kept inside the encrypted database, in store_meta under
 * the key 'keyring_generation'. An open compares them once SQLite is up:
 *
 *   keyring generation <  recorded  refused: TZ_EDAMAGED (exit 4), a message
 *                                   saying an older header was put back;
 *   keyring generation == recorded  the normal case;
 *   keyring generation >  recorded  accepted, and a writable open records it.
 *
 * Crash safety, and why the keyring is written first. users.c writes the new
 * keyring (generation N+1, both copies in turn), then records N+1 in the
 * database in its own transaction. A crash between the two leaves keyring N+1
 * with N recorded: accepted (N+1 > N), and the next writable open records it. A
 * crash while the keyring copies are written leaves copy B at N+1 and copy A at
 * N, or a torn copy B and copy A at N: either is accepted, as N is still the
 * recorded generation. Writing the database first would leave, after such a
 * crash, a store that refuses its own current keyring. The cost of this order is
 * a window of one transaction in which the old keyring still opens the store.
 * Stores made before this rule have no recorded generation (read as 0); their
 * first writable open records it.
 *
 * What this does NOT protect. The master key is not changed when a user is
 * removed or a passphrase changed: re-encrypting every page under a new key is
 * a larger operation this program does not do. So whoever once unwrapped the
 * master key (the removed officer, or anyone holding the old keyring and the old
 * passphrase) can, with their own tool rather than taizhang, derive the page key
 * and read every page of the current file, or forge a keyring with any
 * generation (the MAC key comes from the master key too). What the rule does
 * stop: opening today's data with taizhang itself through an old keyring, and
 * it makes the splice visible (`taizhang verify` reports it). Nor is the record
 * proof against someone who kept a whole old copy of the file: pages are
 * authenticated one by one (vfs.c), not as one file, so the old page holding
 * store_meta can be put back along with the old header (a page-level rollback
 * that page encryption alone does not stop); the rule raises the splice from
 * "copy 8 KiB" to "find and copy the right page too". A whole old copy
 * of the file (a backup) is not spliced: it opens with the users it had, and
 * shows the data of its day. A store whose key may have leaked must be rebuilt:
 * a new store filled from the town's snapshot (`restore`), which has a new
 * master key.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "store_internal.h"

#define META_KEY "keyring_generation"

int store_generation_recorded(sqlite3 *db, uint64_t *out)
{
	*out = 0;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "SELECT value FROM store_meta WHERE key = '" META_KEY "'",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0);
		*out = text ? strtoull(text, NULL, 10) : 0;
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Write s->kr.generation into store_meta, inside the caller's transaction. */
static int write_generation(struct store *s, struct tz_error *err)
{
	char value[24];
	snprintf(value, sizeof value, "%" PRIu64, s->kr.generation);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db,
				    "INSERT INTO store_meta(key, value) VALUES ('" META_KEY "', ?1)"
				    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
				    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "记录台账文件头的版本", err);
	return TZ_OK;
}

int store_generation_record(struct store *s, struct tz_error *err)
{
	if (s->db == NULL || (s->flags & STORE_OPEN_READONLY))
		return TZ_OK;
	if (s->in_tx)
		return write_generation(s, err);
	int rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	rc = write_generation(s, err);
	if (rc != TZ_OK) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int store_generation_check(struct store *s, struct tz_error *err)
{
	uint64_t recorded;
	int rc = store_generation_recorded(s->db, &recorded);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取台账文件头的版本", err);
	if (s->kr.generation < recorded)
		return tz_error_set(err, TZ_EDAMAGED,
				    "台账文件头（密钥区）比数据库旧：文件头是第 %" PRIu64
				    " 版，数据库记录的是第 %" PRIu64 " 版。有人把旧的文件头拼回了台账文件"
				    "（已删除的用户或改掉的旧口令会因此重新生效），已拒绝打开。"
				    "请用备份恢复，或联系镇扶贫办",
				    s->kr.generation, recorded);
	if (s->kr.generation > recorded)
		return store_generation_record(s, err);
	return TZ_OK;
}
