/*
 * refused.c — a refused bundle does not stop a village (rule A8 of
 * src/sync/README.md).
 *
 * When the town refuses a village's bundle for what it carries (A1-A6), the
 * chain of that village's bundles cannot go on from it: every later bundle
 * names the refused one as its predecessor. So:
 *  - the town answers: a town_answers row (kind 'bundle', the reason, the
 *    refused file's hash in hex; db/010_review.sql) goes to the village with
 *    the town's next bundle (sync_refused_answer);
 *  - the village, at its next export, drops the refused bundle and every one
 *    after it (not yet acknowledged, so never applied at the town) and
 *    combines the outbox entries they carried, with whatever it corrected
 *    since, into one entry (sqlite3changegroup: an insert and its later
 *    correction become the corrected insert), which the next bundle carries
 *    under the refused one's seq (sync_refused_rewind);
 *  - the town, meeting the old files again on a stick, knows them by their
 *    hash: the refused file once its seq is taken, or a file chained to a
 *    refused one, is skipped rather than taken for a fork
 *    (sync_refused_known).
 *
 * Not here: the refusal itself (apply.c), the chain rules (exchange.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sync_internal.h"
#include "taizhang/bundle.h"
#include "taizhang/keyring.h"
#include "taizhang/text_hygiene.h"

static void hash_hex(const unsigned char hash[BUNDLE_HASH_NBYTES],
		     char hex[2 * BUNDLE_HASH_NBYTES + 1])
{
	sodium_bin2hex(hex, 2 * BUNDLE_HASH_NBYTES + 1, hash, BUNDLE_HASH_NBYTES);
}

int sync_refused_answer(struct store *s, const char *village, uint64_t seq, const char *file_name,
			const char *reason, const unsigned char hash[BUNDLE_HASH_NBYTES],
			struct tz_error *err)
{
	char hex[2 * BUNDLE_HASH_NBYTES + 1], now[SYNC_STAMP_NCHARS + 1];
	hash_hex(hash, hex);
	sync_now(now);
	/* the file's name came on the stick (S): the village takes only what a
	 * form would store (A5), so it goes as the sanitizer leaves it */
	char *name = text_sanitize(file_name, 0);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s),
				    "INSERT OR IGNORE INTO town_answers(id, owner, village_code, kind, seq,"
				    " bundle_hash, subject, decision, note, by_user, at, created_at,"
				    " updated_at) VALUES (substr(?1, 1, 32), ?2, ?3, 'bundle', ?4, ?1, ?5,"
				    " 'refused', ?6, ?7, ?8, ?8, ?8)",
				    -1, &st, NULL);
	if (rc != SQLITE_OK) {
		free(name);
		return store_sqlite_error(s, rc, "答复村里", err);
	}
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, store_keyring(s)->division_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, village, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)seq);
	sqlite3_bind_text(st, 5, name ? name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, store_user(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(name);
	return rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, "答复村里", err);
}

int sync_refused_known(struct store *s, const unsigned char hash[BUNDLE_HASH_NBYTES])
{
	char hex[2 * BUNDLE_HASH_NBYTES + 1];
	hash_hex(hash, hex);
	const char *params[] = { hex };
	sqlite3_stmt *row;
	struct tz_error none;
	store_query_one(s, "SELECT 1 FROM town_answers WHERE kind = 'bundle' AND bundle_hash = ?1",
			params, 1, &row, "读取镇里的答复", &none);
	int found = row != NULL;
	sqlite3_finalize(row);
	return found;
}

/* The first of our unacknowledged bundles to peer the town refused: its seq
 * and the first outbox id it carried (seq 0: none). */
static int first_refused(struct store *s, const char *peer, uint64_t *seq, uint64_t *from,
			 struct tz_error *err)
{
	const char *params[] = { peer };
	long long found[2];
	int rc = store_query_ints(s,
				  "SELECT x.seq, x.outbox_from FROM sync_sent x JOIN town_answers a"
				  " ON a.kind = 'bundle' AND a.decision = 'refused'"
				  " AND a.bundle_hash = lower(hex(x.hash)) AND a.seq = x.seq"
				  " WHERE x.peer = ?1 AND x.bytes IS NOT NULL ORDER BY x.seq LIMIT 1",
				  params, 1, found, 2, "读取镇里的答复", err);
	*seq = (uint64_t)found[0];
	*from = (uint64_t)found[1];
	return rc;
}

/* Replace the outbox entries for the town from id from on by one entry, their
 * combination (none when they cancel out). */
static int combine_outbox(struct store *s, uint64_t from, struct tz_error *err)
{
	sqlite3 *db = store_db(s);
	sqlite3_changegroup *g = NULL;
	sqlite3_stmt *st = NULL;
	void *out = NULL;
	int n = 0;
	int rc = sqlite3changegroup_new(&g);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"SELECT changeset FROM sync_outbox WHERE dest = 'town' AND id >= ?1"
					" ORDER BY id",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (sqlite3changegroup_add(g, sqlite3_column_bytes(st, 0),
						   (void *)sqlite3_column_blob(st, 0)) != SQLITE_OK)
				break;
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc == SQLITE_ROW ? SQLITE_CORRUPT : rc;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3changegroup_output(g, &n, &out);
	sqlite3changegroup_delete(g);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "DELETE FROM sync_outbox WHERE dest = 'town' AND id >= ?1",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK && n > 0) {
		char now[SYNC_STAMP_NCHARS + 1];
		sync_now(now);
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO sync_outbox(dest, changeset, created_at, by_user)"
					" VALUES ('town', ?1, ?2, ?3)",
					-1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_blob(st, 1, out, n, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, store_user(s), -1, SQLITE_STATIC);
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
			sqlite3_finalize(st);
		}
	}
	sqlite3_free(out);
	return rc == SQLITE_OK ? TZ_OK : store_sqlite_error(s, rc, "重新整理待发送的修改", err);
}

int sync_refused_rewind(struct store *s, const char *peer, uint64_t *rewound, struct tz_error *err)
{
	*rewound = 0;
	uint64_t seq, from;
	int rc = first_refused(s, peer, &seq, &from, err);
	if (rc != TZ_OK || seq == 0)
		return rc;
	if ((rc = store_tx_begin(s, err)) != TZ_OK)
		return rc;
	rc = combine_outbox(s, from, err);
	sqlite3_stmt *st;
	if (rc == TZ_OK) {
		int src = sqlite3_prepare_v2(store_db(s),
					     "DELETE FROM sync_sent WHERE peer = ?1 AND seq >= ?2", -1, &st,
					     NULL);
		if (src == SQLITE_OK) {
			sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
			src = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(store_db(s));
			sqlite3_finalize(st);
		}
		if (src != SQLITE_OK)
			rc = store_sqlite_error(s, src, "重新整理待发送的修改", err);
	}
	if (rc == TZ_OK) {
		char detail[96];
		snprintf(detail, sizeof detail, "镇里拒收了第 %llu 号数据包，从它起重新写出",
			 (unsigned long long)seq);
		rc = store_audit(s, "sync.rewind", store_keyring(s)->division_code, detail, err);
	}
	rc = store_tx_end(s, rc, err);
	if (rc == TZ_OK)
		*rewound = seq;
	return rc;
}
