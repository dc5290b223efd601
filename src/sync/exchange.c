/*
 * exchange.c — writing bundles to a stick and importing them: the chains of
 * seqs, receipts, duplicates, held bundles and forks (see sync.h for the
 * protocol; payload.c for what a bundle carries, apply.c for how it lands).
 *
 * Chains. Every sending device numbers its bundles to one recipient device
 * 1, 2, 3 ... and each bundle's header carries the hash of the previous one
 * (bundle_hash of the whole file). The recipient keeps, per sender, the last
 * seq applied and its hash (sync_peer_in) and every applied bundle's hash
 * (sync_received). A new bundle must be last + 1 and name the last one's hash;
 * a lower seq with a known hash is a replay; anything else with a used seq, or
 * a right seq naming another predecessor, is a fork: two stores writing as one
 * device (a copied store file, a laptop restored from a backup) — refused and
 * recorded as an alarm, because applying either branch would lose the other.
 *
 * Bundles are disjoint: each carries the outbox entries after the previous
 * bundle's (outbox_from..outbox_upto), so they must be applied in order; an
 * early arrival is verified and held (sync_held) until the gap is filled. The
 * sender keeps every bundle's bytes until a receipt says it was applied, and
 * writes all of them again at each export, so the gap is filled by the next
 * stick even when one was lost. The receiver additionally skips entries at or
 * below what it has applied (applied_upto), so nothing is applied twice.
 *
 * Receipts ride in every bundle: ack_seq is the last seq of the receiver's
 * chain applied by the sender. On a receipt the acknowledged bundles' bytes are
 * dropped and, at a village, the outbox entries they carried are deleted.
 *
 * One transaction per bundle: the chain position, the changes, the conflict
 * rows, the receipt and the audit row commit together or not at all, so a
 * crash (kill -9) mid-import leaves the store as it was and the next import
 * applies the bundle exactly once.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "sync_internal.h"
#include "taizhang/campaign.h"
#include "taizhang/bundle.h"
#include "taizhang/compare.h"
#include "taizhang/date.h"
#include "taizhang/keyring.h"
#include "taizhang/sync_keys.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"
#include "taizhang/os_error.h"

#define HEX_NCHARS SYNC_DEVICE_ID_NCHARS

/* A device this store exchanges bundles with. */
struct peer {
	char device[HEX_NCHARS + 1];
	unsigned char device_id[SYNC_DEVICE_ID_NBYTES];
	char code[SYNC_CODE_NCHARS + 1];    /* its store's division code */
	char village[SYNC_CODE_NCHARS + 1]; /* the village bundles with it concern */
	unsigned char box_pk[SYNC_BOX_NBYTES];
	int revoked;
};

struct peers {
	struct peer *v;
	size_t n, cap;
	const struct keyring *kr;
};

static int collect_peer(void *ctx, const struct sync_peer *p)
{
	struct peers *ps = ctx;
	struct peer *q = VEC_PUSH(ps->v, ps->n, ps->cap);
	memset(q, 0, sizeof *q);
	sync_device_id_hex(p->key.device_id, q->device);
	memcpy(q->device_id, p->key.device_id, sizeof q->device_id);
	snprintf(q->code, sizeof q->code, "%s", p->key.division_code);
	if (ps->kr->kind == STORE_KIND_TOWN)
		snprintf(q->village, sizeof q->village, "%s", p->key.division_code);
	else
		snprintf(q->village, sizeof q->village, "%s", ps->kr->division_code);
	memcpy(q->box_pk, p->key.box_pk, sizeof q->box_pk);
	q->revoked = p->revoked;
	return 0;
}

static int load_peers(struct store *s, struct peers *ps, struct tz_error *err)
{
	memset(ps, 0, sizeof *ps);
	ps->kr = store_keyring(s);
	return sync_peers_list(s, collect_peer, ps, err);
}

static const struct peer *find_peer(const struct peers *ps, const char *device)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].device, device) == 0)
			return &ps->v[i];
	return NULL;
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct tz_error *err)
{
	return store_prepare(s, sql, st, "同步", err);
}

/* Step a statement that returns no rows (or whose rows are ignored), finalize it. */
static int finish(struct store *s, sqlite3_stmt *st, struct tz_error *err)
{
	int rc = sqlite3_step(st);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, "同步", err);
}

static int path_join(char out[PATH_MAX], const char *dir, const char *name, struct tz_error *err)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
	if (n < 0 || n >= PATH_MAX)
		return tz_error_set(err, TZ_EUSAGE, "文件夹路径太长：%s", dir);
	return TZ_OK;
}

/* ======================= export ======================= */

/* The far end of a chain of bundles as a table records it: the last seq, its
 * hash, and two numbers that depend on the table (see the two readers). */
struct chain_end {
	uint64_t seq;
	unsigned char hash[BUNDLE_HASH_NBYTES];
	uint64_t a, b;
};

/* Run sql (one row of seq, hash, a, b for peer ?1, or none: all zero). */
static int read_chain_end(struct store *s, const char *sql, const char *peer,
			  struct chain_end *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	int rc = prepare(s, sql, &st, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->seq = (uint64_t)sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == BUNDLE_HASH_NBYTES)
			memcpy(out->hash, sqlite3_column_blob(st, 1), BUNDLE_HASH_NBYTES);
		out->a = (uint64_t)sqlite3_column_int64(st, 2);
		out->b = (uint64_t)sqlite3_column_int64(st, 3);
		step = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, step, "同步", err);
}

/* Our chain to peer: the last bundle sent; a = the last outbox id it carried,
 * b = the receipt it carried. */
static int read_sent_state(struct store *s, const char *peer, struct chain_end *out,
			   struct tz_error *err)
{
	return read_chain_end(s,
			      "SELECT seq, hash, outbox_upto, ack_seq FROM sync_sent WHERE peer = ?1"
			      " ORDER BY seq DESC LIMIT 1",
			      peer, out, err);
}

/* Peer's chain to us: the last bundle applied; a = the last of its outbox ids
 * applied. */
static int read_chain(struct store *s, const char *peer, struct chain_end *c, struct tz_error *err)
{
	return read_chain_end(s,
			      "SELECT last_seq, last_hash, applied_upto, 0 FROM sync_peer_in"
			      " WHERE peer = ?1",
			      peer, c, err);
}

/* Whether the peer's bundles applied here after seq from up to seq to carried
 * any change. */
static int receipt_worth_sending(struct store *s, const char *peer, uint64_t from, uint64_t to,
				 int *worth, struct tz_error *err)
{
	*worth = 0;
	if (to <= from)
		return TZ_OK;
	char from_text[24], to_text[24];
	snprintf(from_text, sizeof from_text, "%llu", (unsigned long long)from);
	snprintf(to_text, sizeof to_text, "%llu", (unsigned long long)to);
	const char *params[] = { peer, from_text, to_text };
	long long exists;
	int rc = store_query_ints(s,
				  "SELECT EXISTS (SELECT 1 FROM sync_received WHERE peer = ?1"
				  " AND seq > ?2 AND seq <= ?3 AND entries > 0)",
				  params, 3, &exists, 1, "同步", err);
	*worth = exists != 0;
	return rc;
}

static void bundle_file_name(char *out, size_t cap, int at_town, const char *village,
			     const char *sender_device, uint64_t seq)
{
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	char compact[9];
	snprintf(compact, sizeof compact, "%.4s%.2s%.2s", today, today + 5, today + 8);
	snprintf(out, cap, "%s-%s-%.8s-%06llu-%s%s", village, at_town ? "from-town" : "to-town",
		 sender_device, (unsigned long long)seq, compact, SYNC_BUNDLE_SUFFIX);
}

/* Make the next bundle for peer when there is something to say; *made says
 * whether one was recorded. Runs in its own transaction. */
static int make_bundle(struct store *s, const struct sync_keys *k, const struct peer *p,
		       int at_town, int *made, struct tz_error *err)
{
	*made = 0;
	char me[HEX_NCHARS + 1];
	sync_device_id_hex(k->pub.device_id, me);
	uint32_t schema;
	int rc = store_schema_version(s, &schema, err);
	if (rc != TZ_OK)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	struct chain_end sent;
	uint64_t ack = 0;
	rc = read_sent_state(s, p->device, &sent, err);
	struct chain_end in = { 0 };
	if (rc == TZ_OK)
		rc = read_chain(s, p->device, &in, err);
	ack = in.seq; /* the receipt we owe: the last of the peer's bundles applied */
	if (rc != TZ_OK)
		goto out;

	/* the outbox entries after the last bundle's */
	sqlite3_stmt *st;
	rc = prepare(s,
		     at_town ? "SELECT id, changeset FROM sync_outbox"
			       " WHERE id > ?1 AND (dest = ?2 OR dest = '*') ORDER BY id"
			     : "SELECT id, changeset FROM sync_outbox WHERE id > ?1 AND dest = 'town'"
			       " ORDER BY id",
		     &st, err);
	if (rc != TZ_OK)
		goto out;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)sent.a);
	if (at_town)
		sqlite3_bind_text(st, 2, p->village, -1, SQLITE_STATIC);
	struct payload pl = { .kind = PAYLOAD_KIND_CHANGES,
			      .from_kind = at_town ? STORE_KIND_TOWN : STORE_KIND_VILLAGE,
			      .ack_seq = ack,
			      .outbox_from = sent.a + 1,
			      .outbox_upto = sent.a };
	snprintf(pl.from_code, sizeof pl.from_code, "%s", store_keyring(s)->division_code);
	snprintf(pl.village, sizeof pl.village, "%s", p->village);
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct payload_entry *e = VEC_PUSH(pl.entries, pl.nentries, cap);
		e->outbox_id = (uint64_t)sqlite3_column_int64(st, 0);
		e->changeset_nbytes = (size_t)sqlite3_column_bytes(st, 1);
		unsigned char *copy = xmalloc(e->changeset_nbytes);
		memcpy(copy, sqlite3_column_blob(st, 1), e->changeset_nbytes);
		e->changeset = copy;
		pl.outbox_upto = e->outbox_id;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		rc = store_sqlite_error(s, step, "读取待发送的修改", err);
		goto free_entries;
	}
	if (pl.nentries == 0) {
		/* A bundle only to say "received": worth it when what we received
		 * carried changes (the peer clears its outbox on it), never to
		 * acknowledge a bare receipt — or two offices would ping-pong. */
		int worth = 0;
		rc = receipt_worth_sending(s, p->device, sent.b, ack, &worth, err);
		if (rc != TZ_OK || !worth)
			goto free_entries;
	}

	unsigned char *payload = NULL, *file = NULL;
	size_t payload_nbytes = 0, file_nbytes = 0;
	rc = payload_encode_packed(&pl, &payload, &payload_nbytes, err);
	if (rc != TZ_OK)
		goto free_entries;
	struct bundle_header h = { .schema_version = schema, .seq = sent.seq + 1 };
	memcpy(h.sender, k->pub.device_id, sizeof h.sender);
	memcpy(h.recipient, p->device_id, sizeof h.recipient);
	memcpy(h.prev_hash, sent.hash, sizeof h.prev_hash);
	rc = bundle_encode(&h, k->sign_sk, p->box_pk, payload, payload_nbytes, &file,
			   &file_nbytes, err);
	sodium_memzero(payload, payload_nbytes);
	free(payload);
	if (rc != TZ_OK)
		goto free_entries;

	unsigned char hash[BUNDLE_HASH_NBYTES];
	bundle_hash(file, file_nbytes, hash);
	char name[128], now[SYNC_STAMP_NCHARS + 1];
	bundle_file_name(name, sizeof name, at_town, p->village, me, h.seq);
	sync_now(now);
	rc = prepare(s,
		     "INSERT INTO sync_sent(peer, seq, hash, village, outbox_from, outbox_upto,"
		     " ack_seq, file_name, bytes, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
		     &st, err);
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)h.seq);
		sqlite3_bind_blob(st, 3, hash, sizeof hash, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, p->village, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)pl.outbox_from);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)pl.outbox_upto);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)ack);
		sqlite3_bind_text(st, 8, name, -1, SQLITE_STATIC);
		sqlite3_bind_blob64(st, 9, file, file_nbytes, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
		rc = finish(s, st, err);
	}
	free(file);
	if (rc == TZ_OK) {
		char detail[96];
		snprintf(detail, sizeof detail, "seq %llu, %zu 项修改",
			 (unsigned long long)h.seq, pl.nentries);
		rc = store_audit(s, "sync.export", p->village, detail, err);
	}
	if (rc == TZ_OK)
		*made = 1;
free_entries:
	for (size_t i = 0; i < pl.nentries; i++)
		free((void *)pl.entries[i].changeset);
	free(pl.entries);
out:
	if (rc == TZ_OK)
		rc = store_tx_commit(s, err);
	else
		store_tx_rollback(s);
	return rc;
}

static void add_export_file(struct sync_export_result *r, const char *path, const char *village,
			    uint64_t seq, size_t nbytes, size_t nentries, int again)
{
	r->files = xreallocarray(r->files, r->nfiles + 1, sizeof *r->files);
	struct sync_export_file *f = &r->files[r->nfiles];
	f->path = xstrdup(path);
	snprintf(f->village, sizeof f->village, "%s", village);
	f->seq = seq;
	f->nbytes = nbytes;
	f->nentries = nentries;
	f->again = again;
	r->nfiles++;
	if (!again)
		r->nnew++;
}

/* Write every unacknowledged bundle to peer into dir; new_seq is the one just
 * made (0: none). */
static int write_unacked(struct store *s, const struct peer *p, const char *dir,
			 uint64_t new_seq, struct sync_export_result *r, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = prepare(s,
			 "SELECT seq, file_name, bytes, outbox_upto - outbox_from + 1 FROM sync_sent"
			 " WHERE peer = ?1 AND bytes IS NOT NULL ORDER BY seq",
			 &st, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
	int step;
	while (rc == TZ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const unsigned char *bytes = sqlite3_column_blob(st, 2);
		size_t nbytes = (size_t)sqlite3_column_bytes(st, 2);
		char path[PATH_MAX];
		rc = path_join(path, dir, name, err);
		if (rc == TZ_OK)
			rc = bundle_file_write(path, bytes, nbytes, 1, err);
		if (rc == TZ_OK)
			add_export_file(r, path, p->village, seq, nbytes,
					(size_t)sqlite3_column_int64(st, 3), seq != new_seq);
	}
	if (rc == TZ_OK && step != SQLITE_DONE)
		rc = store_sqlite_error(s, step, "写出数据包", err);
	sqlite3_finalize(st);
	return rc;
}

int sync_export(struct store *s, const char *dir, struct sync_export_result *out,
		struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return tz_error_set(err, TZ_EFAIL, "找不到文件夹“%s”（U盘是否插好？）", dir);
	int at_town = store_keyring(s)->kind == STORE_KIND_TOWN;
	struct sync_keys *k = NULL;
	struct peers ps;
	int rc = load_peers(s, &ps, err);
	if (rc == TZ_OK)
		rc = sync_keys_load(s, &k, err);
	if (rc != TZ_OK)
		goto out;
	size_t live = 0;
	for (size_t i = 0; i < ps.n; i++)
		live += !ps.v[i].revoked;
	if (live == 0) {
		rc = tz_error_set(err, TZ_EFAIL,
				  at_town ? "还没有登记任何村的设备：请先用 taizhang enroll 村公钥文件 登记"
					  : "还没有镇扶贫办的公钥：请先用 taizhang trust 镇公钥文件 导入");
		goto out;
	}
	for (size_t i = 0; i < ps.n && rc == TZ_OK; i++) {
		const struct peer *p = &ps.v[i];
		if (p->revoked)
			continue;
		int made = 0;
		if (!at_town) /* A8: the town refused a bundle of ours: write it anew */
			rc = sync_refused_rewind(s, p->device, &out->rewound, err);
		if (rc == TZ_OK)
			rc = make_bundle(s, k, p, at_town, &made, err);
		if (rc != TZ_OK)
			break;
		uint64_t new_seq = 0;
		if (made) {
			struct chain_end sent;
			rc = read_sent_state(s, p->device, &sent, err);
			new_seq = sent.seq;
		}
		if (rc == TZ_OK)
			rc = write_unacked(s, p, dir, new_seq, out, err);
	}
out:
	sync_keys_free(k);
	free(ps.v);
	return rc;
}

void sync_export_result_free(struct sync_export_result *r)
{
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i].path);
	free(r->files);
	memset(r, 0, sizeof *r);
}

/* ======================= import ======================= */

struct importer {
	struct store *s;
	int at_town;
	struct sync_keys *k;
	char me[HEX_NCHARS + 1];
	struct peers ps;
	uint32_t schema;
	struct bundle_recipient recipient;
	struct sync_phases clock; /* where the time goes (sync_import_result.seconds) */
};

static enum sync_outcome outcome_of_fault(enum bundle_fault f)
{
	if (f == BUNDLE_FAULT_REVOKED_SENDER)
		return SYNC_FROM_REVOKED;
	if (f == BUNDLE_FAULT_LOCAL)
		return SYNC_FAILED;
	return SYNC_REFUSED;
}

/* Record, in a transaction of its own (the bundle's was rolled back), an
 * incident with a bundle: sql inserts (at, peer, village, seq, file, detail)
 * as ?1..?6; action names it in the audit log. Best effort: a failure to
 * record does not change the bundle's outcome. */
static void record_incident(struct importer *im, const char *sql, const char *action,
			    const char *peer, const char *village, uint64_t seq, const char *file,
			    const char *detail)
{
	struct tz_error ignored;
	if (store_tx_begin(im->s, &ignored) != TZ_OK)
		return;
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	sqlite3_stmt *st;
	int rc = prepare(im->s, sql, &st, &ignored);
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, peer, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, village, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)seq);
		sqlite3_bind_text(st, 5, file, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, detail, -1, SQLITE_STATIC);
		rc = finish(im->s, st, &ignored);
	}
	if (rc == TZ_OK && sqlite3_changes(store_db(im->s)) > 0)
		rc = store_audit(im->s, action, village, detail, &ignored);
	if (rc == TZ_OK)
		store_tx_commit(im->s, &ignored);
	else
		store_tx_rollback(im->s);
}

static void record_alarm(struct importer *im, const char *peer, const char *village,
			 uint64_t seq, const char *file, const char *detail)
{
	record_incident(im,
			"INSERT INTO sync_alarms(at, peer, village, seq, kind, file_name, detail)"
			" VALUES (?1, ?2, ?3, ?4, 'fork', ?5, ?6)",
			"sync.fork", peer, village, seq, file, detail);
}

/* A bundle refused for what it carries (src/sync/README.md, A1-A6): kept in
 * sync_refusals, once per sender, seq and reason, for the town to follow up;
 * at the town also answered to the village (A8, refused.c). */
static void record_refusal(struct importer *im, const char *peer, const char *village,
			   uint64_t seq, const char *file, const char *reason,
			   const unsigned char hash[BUNDLE_HASH_NBYTES])
{
	record_incident(im,
			"INSERT OR IGNORE INTO sync_refusals(at, peer, village, seq, file_name, reason)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			"sync.refuse", peer, village, seq, file, reason);
	struct tz_error ignored;
	if (!im->at_town || store_tx_begin(im->s, &ignored) != TZ_OK)
		return;
	int rc = sync_refused_answer(im->s, village, seq, file, reason, hash, &ignored);
	store_tx_end(im->s, rc, &ignored);
}

/* The hash recorded for peer's seq: 1 found, 0 not, < 0 error. */
static int received_hash(struct store *s, const char *peer, uint64_t seq,
			 unsigned char out[BUNDLE_HASH_NBYTES])
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT hash FROM sync_received WHERE peer = ?1 AND seq = ?2", -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	int found = 0;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_bytes(st, 0) == BUNDLE_HASH_NBYTES) {
		memcpy(out, sqlite3_column_blob(st, 0), BUNDLE_HASH_NBYTES);
		found = 1;
	} else if (step != SQLITE_DONE && step != SQLITE_ROW) {
		found = -1;
	}
	sqlite3_finalize(st);
	return found;
}

/* Process the receipt ack for our own bundles to peer. */
static int take_receipt(struct importer *im, const struct peer *p, uint64_t ack, size_t *acked,
			struct tz_error *err)
{
	*acked = 0;
	if (ack == 0)
		return TZ_OK;
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	sqlite3_stmt *st;
	/* the outbox entries our acknowledged bundles carried are done with */
	int rc = prepare(im->s,
			 im->at_town
				 ? "DELETE FROM sync_outbox WHERE dest = ?2 AND id <= (SELECT"
				   " coalesce(max(outbox_upto), 0) FROM sync_sent WHERE peer = ?1"
				   " AND seq <= ?3)"
				 : "DELETE FROM sync_outbox WHERE dest = 'town' AND id <= (SELECT"
				   " coalesce(max(outbox_upto), 0) FROM sync_sent WHERE peer = ?1"
				   " AND seq <= ?3) AND ?2 IS NOT NULL",
			 &st, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->village, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)ack);
	rc = finish(im->s, st, err);
	if (rc != TZ_OK)
		return rc;
	rc = prepare(im->s,
		     "UPDATE sync_sent SET bytes = NULL, acked_at = ?3"
		     " WHERE peer = ?1 AND seq <= ?2 AND bytes IS NOT NULL",
		     &st, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)ack);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	rc = finish(im->s, st, err);
	*acked = (size_t)sqlite3_changes(store_db(im->s));
	return rc;
}

/* Apply the verified, decrypted bundle (seq = chain's last + 1) in one
 * transaction. */
static int apply_bundle(struct importer *im, const struct peer *p, const struct bundle_header *h,
			const unsigned char hash[BUNDLE_HASH_NBYTES], const unsigned char *payload,
			size_t payload_nbytes, const char *file_name, struct sync_import_item *item,
			struct tz_error *err)
{
	struct payload pl;
	int back = sync_phase(&im->clock, SYNC_PHASE_UNPACK);
	int rc = payload_decode(payload, payload_nbytes, &pl, err);
	sync_phase(&im->clock, SYNC_PHASE_LEDGER);
	if (rc != TZ_OK) {
		sync_phase(&im->clock, back);
		return rc;
	}
	const char *expect_kind_town = im->at_town ? "村" : "镇";
	if (strcmp(pl.from_code, p->code) != 0 || strcmp(pl.village, p->village) != 0 ||
	    pl.from_kind != (im->at_town ? STORE_KIND_VILLAGE : STORE_KIND_TOWN)) {
		rc = tz_error_set(err, TZ_EDAMAGED,
				  "数据包里写的单位（%s，涉及 %s）与发送设备登记的%s（%s）不符，已拒绝",
				  pl.from_code, pl.village, expect_kind_town, p->code);
		payload_free(&pl);
		sync_phase(&im->clock, back);
		return rc;
	}
	struct chain_end c;
	sync_capture_pause(im->s, 1); /* the peer's changes are not ours to send back */
	rc = store_tx_begin(im->s, err);
	if (rc != TZ_OK) {
		sync_capture_pause(im->s, 0);
		payload_free(&pl);
		sync_phase(&im->clock, back);
		return rc;
	}
	rc = read_chain(im->s, p->device, &c, err);
	struct apply_context a = { .s = im->s, .at_town = im->at_town, .sender_code = p->code,
				   .village = p->village, .peer = p->device, .seq = h->seq,
				   .phases = &im->clock };
	size_t applied_entries = 0;
	for (size_t i = 0; rc == TZ_OK && i < pl.nentries; i++) {
		if (pl.entries[i].outbox_id <= c.a)
			continue;
		rc = apply_changeset(&a, pl.entries[i].changeset, pl.entries[i].changeset_nbytes, err);
		applied_entries++;
	}
	if (rc == TZ_OK)
		rc = apply_context_finish(&a, err);
	size_t acked = 0;
	if (rc == TZ_OK)
		rc = take_receipt(im, p, pl.ack_seq, &acked, err);
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	sqlite3_stmt *st;
	if (rc == TZ_OK)
		rc = prepare(im->s,
			     "INSERT INTO sync_peer_in(peer, village, last_seq, last_hash, applied_upto,"
			     " acked_by_peer, last_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
			     " ON CONFLICT(peer) DO UPDATE SET last_seq = ?3, last_hash = ?4,"
			     " applied_upto = max(applied_upto, ?5),"
			     " acked_by_peer = max(acked_by_peer, ?6), last_at = ?7",
			     &st, err);
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->village, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)h->seq);
		sqlite3_bind_blob(st, 4, hash, BUNDLE_HASH_NBYTES, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)pl.outbox_upto);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)pl.ack_seq);
		sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
		rc = finish(im->s, st, err);
	}
	if (rc == TZ_OK)
		rc = prepare(im->s,
			     "INSERT INTO sync_received(peer, seq, hash, village, entries, changes,"
			     " conflicts, file_name, applied_at, applied_by)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
			     &st, err);
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)h->seq);
		sqlite3_bind_blob(st, 3, hash, BUNDLE_HASH_NBYTES, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, p->village, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)applied_entries);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)a.changes);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)a.conflicts);
		sqlite3_bind_text(st, 8, file_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, store_user(im->s), -1, SQLITE_STATIC);
		rc = finish(im->s, st, err);
	}
	if (rc == TZ_OK && prepare(im->s, "DELETE FROM sync_held WHERE peer = ?1 AND seq = ?2",
				   &st, err) == TZ_OK) {
		sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)h->seq);
		rc = finish(im->s, st, err);
	}
	if (rc == TZ_OK) {
		char detail[128];
		snprintf(detail, sizeof detail, "设备 %s 第 %llu 号，%zu 行修改，%zu 处冲突", p->device,
			 (unsigned long long)h->seq, a.changes, a.conflicts);
		rc = store_audit(im->s, "sync.import", p->village, detail, err);
	}
	sync_phase(&im->clock, SYNC_PHASE_COMMIT);
	if (rc == TZ_OK)
		rc = store_tx_commit(im->s, err);
	else
		store_tx_rollback(im->s);
	sync_phase(&im->clock, back);
	sync_capture_pause(im->s, 0);
	payload_free(&pl);
	apply_context_free(&a);
	if (rc == TZ_OK) {
		item->changes += a.changes;
		item->conflicts += a.conflicts;
		item->proposals += a.proposals;
		item->acked += acked;
	}
	return rc;
}

static int hold_bundle(struct importer *im, const struct peer *p, uint64_t seq,
		       const unsigned char *file, size_t nbytes, const char *name,
		       struct tz_error *err)
{
	int rc = store_tx_begin(im->s, err);
	if (rc != TZ_OK)
		return rc;
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	sqlite3_stmt *st;
	rc = prepare(im->s,
		     "INSERT OR IGNORE INTO sync_held(peer, seq, village, file_name, bytes, held_at)"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		     &st, err);
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
		sqlite3_bind_text(st, 3, p->village, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
		sqlite3_bind_blob64(st, 5, file, nbytes, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
		rc = finish(im->s, st, err);
	}
	if (rc == TZ_OK)
		rc = store_tx_commit(im->s, err);
	else
		store_tx_rollback(im->s);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The outcome of a file; its message may quote what the file claims, so it
 * goes through the one sanitizer (util/text_hygiene.h). */
static int settle(struct sync_import_item *item, enum sync_outcome o, int status,
		  const char *message)
{
	item->outcome = o;
	item->status = status;
	char *clean = text_sanitize(message, 0);
	snprintf(item->message, sizeof item->message, "%s", clean ? clean : "");
	free(clean);
	return status;
}

static int import_bytes(struct importer *im, const unsigned char *file, size_t nbytes,
			const char *name, int from_held, struct sync_import_item *item);

/* After peer's chain moved on, apply what was held for it, in order. */
static void release_held(struct importer *im, const struct peer *p, struct sync_import_item *item)
{
	for (;;) {
		struct chain_end c;
		struct tz_error err;
		if (read_chain(im->s, p->device, &c, &err) != TZ_OK)
			return;
		sqlite3_stmt *st;
		if (prepare(im->s,
			    "SELECT bytes, file_name FROM sync_held WHERE peer = ?1 AND seq = ?2", &st,
			    &err) != TZ_OK)
			return;
		sqlite3_bind_text(st, 1, p->device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)(c.seq + 1));
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			return;
		}
		size_t nbytes = (size_t)sqlite3_column_bytes(st, 0);
		unsigned char *copy = xmalloc(nbytes);
		char *name = xstrdup((const char *)sqlite3_column_text(st, 1));
		memcpy(copy, sqlite3_column_blob(st, 0), nbytes);
		sqlite3_finalize(st);
		struct sync_import_item held = { 0 };
		int rc = import_bytes(im, copy, nbytes, name, 1, &held);
		free(copy);
		free(name);
		if (rc != TZ_OK || held.outcome != SYNC_APPLIED)
			return;
		item->released++;
		item->changes += held.changes;
		item->conflicts += held.conflicts;
	}
}

static int import_bytes(struct importer *im, const unsigned char *file, size_t nbytes,
			const char *name, int from_held, struct sync_import_item *item)
{
	struct tz_error err;
	struct bundle_header h;
	unsigned char *payload = NULL;
	size_t payload_nbytes = 0;
	enum bundle_fault fault = BUNDLE_FAULT_NONE;
	int back = sync_phase(&im->clock, SYNC_PHASE_VERIFY);
	int rc = bundle_decode(file, nbytes, &im->recipient, &h, &payload, &payload_nbytes, &fault,
			       &err);
	sync_phase(&im->clock, back);
	if (rc != TZ_OK) {
		/* a revoked sender is refused like any unverifiable bundle (exit 4):
		 * what it signed after the revocation cannot be trusted */
		if (fault == BUNDLE_FAULT_REVOKED_SENDER)
			rc = TZ_EDAMAGED;
		return settle(item, outcome_of_fault(fault), rc, err.msg);
	}
	char sender[HEX_NCHARS + 1];
	sync_device_id_hex(h.sender, sender);
	const struct peer *p = find_peer(&im->ps, sender);
	item->seq = h.seq;
	if (p == NULL || p->revoked) { /* the lookup said trusted: cannot happen */
		bundle_payload_free(payload, payload_nbytes);
		return settle(item, SYNC_REFUSED, TZ_EDAMAGED, "发送设备未登记，已拒绝");
	}
	snprintf(item->village, sizeof item->village, "%s", p->village);
	if (h.schema_version != im->schema) {
		bundle_payload_free(payload, payload_nbytes);
		char msg[TZ_ERROR_NBYTES];
		snprintf(msg, sizeof msg,
			 "对方的程序版本与本机不同（数据库版本 %u，本机 %u），没有导入：请两边升级到同一版本后再导入",
			 h.schema_version, im->schema);
		return settle(item, SYNC_VERSION, TZ_EFAIL, msg);
	}
	unsigned char hash[BUNDLE_HASH_NBYTES];
	bundle_hash(file, nbytes, hash);
	struct chain_end c;
	rc = read_chain(im->s, p->device, &c, &err);
	char msg[TZ_ERROR_NBYTES];
	if (rc != TZ_OK) {
		bundle_payload_free(payload, payload_nbytes);
		return settle(item, SYNC_FAILED, rc, err.msg);
	}
	/* A8: a file the town refused, met again once the village wrote its seq
	 * anew, or one chained to a refused file, is skipped (refused.c) */
	int again = im->at_town && sync_refused_known(im->s, hash);
	int after = im->at_town && !again && sync_refused_known(im->s, h.prev_hash);
	if ((again && h.seq != c.seq + 1) || after) {
		bundle_payload_free(payload, payload_nbytes);
		if (after) {
			snprintf(msg, sizeof msg,
				 "第 %llu 号数据包接在被拒收的数据包之后，没有导入：该村改正后会重新上报",
				 (unsigned long long)h.seq);
			record_refusal(im, p->device, p->village, h.seq, name, msg, hash);
		} else {
			snprintf(msg, sizeof msg, "第 %llu 号数据包以前被拒收，该村已重新上报，跳过",
				 (unsigned long long)h.seq);
		}
		return settle(item, SYNC_SKIPPED, TZ_OK, msg);
	}
	if (h.seq <= c.seq) {
		unsigned char known[BUNDLE_HASH_NBYTES];
		int found = received_hash(im->s, p->device, h.seq, known);
		bundle_payload_free(payload, payload_nbytes);
		if (found == 1 && sodium_memcmp(known, hash, sizeof hash) == 0) {
			snprintf(msg, sizeof msg, "第 %llu 号数据包以前已导入，这次未做改动",
				 (unsigned long long)h.seq);
			return settle(item, SYNC_DUPLICATE, TZ_OK, msg);
		}
		snprintf(msg, sizeof msg,
			 "警报：第 %llu 号数据包与以前导入的同号数据包内容不同（可能是复制或还原过的电脑），"
			 "已拒绝。请联系该村核实，不要再用那台电脑上报",
			 (unsigned long long)h.seq);
		record_alarm(im, p->device, p->village, h.seq, name, msg);
		return settle(item, SYNC_FORK, TZ_EDAMAGED, msg);
	}
	if (h.seq > c.seq + 1) {
		bundle_payload_free(payload, payload_nbytes);
		if (from_held)
			return settle(item, SYNC_HELD, TZ_EFAIL, "仍缺少前面的数据包");
		rc = hold_bundle(im, p, h.seq, file, nbytes, name, &err);
		if (rc != TZ_OK)
			return settle(item, SYNC_FAILED, rc, err.msg);
		snprintf(msg, sizeof msg,
			 "缺少第 %llu 号到第 %llu 号数据包，这一个（第 %llu 号）已暂存，"
			 "等缺的数据包导入后自动导入；请让对方重新导出一次",
			 (unsigned long long)(c.seq + 1), (unsigned long long)(h.seq - 1),
			 (unsigned long long)h.seq);
		return settle(item, SYNC_HELD, TZ_EFAIL, msg);
	}
	if (sodium_memcmp(h.prev_hash, c.hash, sizeof hash) != 0) {
		bundle_payload_free(payload, payload_nbytes);
		snprintf(msg, sizeof msg,
			 "警报：第 %llu 号数据包接不上已导入的第 %llu 号（可能是复制或还原过的电脑），"
			 "已拒绝。请联系该村核实",
			 (unsigned long long)h.seq, (unsigned long long)c.seq);
		record_alarm(im, p->device, p->village, h.seq, name, msg);
		return settle(item, SYNC_FORK, TZ_EDAMAGED, msg);
	}
	rc = apply_bundle(im, p, &h, hash, payload, payload_nbytes, name, item, &err);
	bundle_payload_free(payload, payload_nbytes);
	if (rc == TZ_EDAMAGED)
		record_refusal(im, p->device, p->village, h.seq, name, err.msg, hash);
	if (rc != TZ_OK)
		return settle(item, rc == TZ_EDAMAGED ? SYNC_REFUSED : SYNC_FAILED, rc, err.msg);
	if (item->proposals > 0)
		snprintf(msg, sizeof msg, "已导入第 %llu 号：%zu 行修改，%zu 处冲突，%zu 项申请待镇里决定",
			 (unsigned long long)h.seq, item->changes, item->conflicts, item->proposals);
	else
		snprintf(msg, sizeof msg, "已导入第 %llu 号：%zu 行修改，%zu 处冲突",
			 (unsigned long long)h.seq, item->changes, item->conflicts);
	settle(item, SYNC_APPLIED, TZ_OK, msg);
	if (!from_held) {
		release_held(im, p, item);
		if (item->released > 0) {
			size_t used = strlen(item->message);
			snprintf(item->message + used, sizeof item->message - used,
				 "；另导入了暂存的 %zu 个数据包", item->released);
		}
	}
	return TZ_OK;
}

static int import_one(struct importer *im, const char *path, int in_folder,
		      struct sync_import_item *item)
{
	struct tz_error err;
	unsigned char *file = NULL;
	size_t nbytes = 0;
	int back = sync_phase(&im->clock, SYNC_PHASE_READ);
	int rc = bundle_file_read(path, SYNC_MAX_BUNDLE_NBYTES, &file, &nbytes, &err);
	sync_phase(&im->clock, back);
	if (rc != TZ_OK)
		return settle(item, SYNC_FAILED, rc, err.msg);
	struct bundle_header h;
	if (in_folder && bundle_read_header(file, nbytes, &h, NULL, &err) == TZ_OK) {
		char sender[HEX_NCHARS + 1], recipient[HEX_NCHARS + 1];
		sync_device_id_hex(h.sender, sender);
		sync_device_id_hex(h.recipient, recipient);
		if (strcmp(sender, im->me) == 0) {
			free(file);
			return settle(item, SYNC_SKIPPED, TZ_OK, "本机写出的数据包，跳过");
		}
		if (!im->at_town && strcmp(recipient, im->me) != 0) {
			free(file);
			return settle(item, SYNC_SKIPPED, TZ_OK, "给其他村的数据包，跳过");
		}
	}
	rc = import_bytes(im, file, nbytes, base_name(path), 0, item);
	free(file);
	return rc;
}

/* Files of a folder with their headers, for ordering. */
struct listed {
	char *path;
	char sender[HEX_NCHARS + 1];
	uint64_t seq;
};

static int cmp_listed(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	int c = strcmp(x->sender, y->sender);
	if (c != 0)
		return c;
	if (x->seq != y->seq)
		return compare_numbers(x->seq, y->seq);
	return strcmp(x->path, y->path);
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);
	return n > m && strcmp(name + n - m, suffix) == 0;
}

static int list_folder(const char *dir, struct listed **out, size_t *n, struct tz_error *err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (d == NULL)
		return tz_error_set(err, TZ_EFAIL, "无法打开文件夹“%s”：%s", dir, os_error_text(errno));
	struct dirent *e;
	size_t cap = 0;
	int rc = TZ_OK;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !has_suffix(e->d_name, SYNC_BUNDLE_SUFFIX))
			continue;
		char path[PATH_MAX];
		if ((rc = path_join(path, dir, e->d_name, err)) != TZ_OK)
			break;
		struct stat sb;
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		struct listed *l = VEC_PUSH(*out, *n, cap);
		*l = (struct listed){ .path = xstrdup(path) };
		/* sender and seq, unverified, only to order the files; a file that
		 * is not a bundle sorts first and fails properly when imported */
		FILE *f = fopen(path, "rb");
		unsigned char head[BUNDLE_HEADER_NBYTES], sender[BUNDLE_DEVICE_ID_NBYTES];
		if (f != NULL && fread(head, 1, sizeof head, f) == sizeof head &&
		    bundle_peek_order(head, sizeof head, sender, &l->seq) == 0)
			sync_device_id_hex(sender, l->sender);
		if (f != NULL)
			fclose(f);
	}
	closedir(d);
	if (rc == TZ_OK && *n > 1) /* qsort is not given a NULL array */
		qsort(*out, *n, sizeof **out, cmp_listed);
	return rc;
}

static int worse(int a, int b)
{
	/* EDAMAGED > EAUTH > EFAIL > OK */
	static const int rank[] = { [TZ_OK] = 0, [TZ_EFAIL] = 1, [TZ_EUSAGE] = 1,
				    [TZ_EAUTH] = 2, [TZ_EDAMAGED] = 3 };
	return rank[b] > rank[a] ? b : a;
}

int sync_import(struct store *s, const char *path, sync_progress_fn progress, void *ctx,
		struct sync_import_result *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	struct importer im = { .s = s, .at_town = store_keyring(s)->kind == STORE_KIND_TOWN };
	sync_phases_start(&im.clock, out->seconds, SYNC_PHASE_OTHER);
	struct stat sb;
	if (stat(path, &sb) != 0)
		return tz_error_set(err, TZ_EUSAGE, "找不到“%s”（U盘是否插好？）", path);
	int in_folder = S_ISDIR(sb.st_mode);
	if (!in_folder && !S_ISREG(sb.st_mode))
		return tz_error_set(err, TZ_EUSAGE, "“%s”既不是文件也不是文件夹", path);

	int rc = load_peers(s, &im.ps, err);
	if (rc == TZ_OK)
		rc = sync_keys_load(s, &im.k, err);
	if (rc == TZ_OK)
		rc = store_schema_version(s, &im.schema, err);
	struct listed *files = NULL;
	size_t nfiles = 0;
	if (rc == TZ_OK && in_folder) {
		rc = list_folder(path, &files, &nfiles, err);
	} else if (rc == TZ_OK) {
		files = xcalloc(1, sizeof *files);
		files[0].path = xstrdup(path);
		nfiles = 1;
	}
	if (rc == TZ_OK && nfiles > 0)
		out->items = xcalloc(nfiles, sizeof *out->items);
	if (rc != TZ_OK)
		goto out;
	sync_device_id_hex(im.k->pub.device_id, im.me);
	memcpy(im.recipient.device_id, im.k->pub.device_id, sizeof im.recipient.device_id);
	im.recipient.box_pk = im.k->pub.box_pk;
	im.recipient.box_sk = im.k->box_sk;
	im.recipient.lookup = sync_keys_bundle_lookup;
	im.recipient.lookup_ctx = s;

	/* A town store holds every village: hundreds of MB whose rows (random
	 * ids) are touched all over. With the usual 16 MiB page cache most pages
	 * would leave it and come back, each time decrypted again (bench/sync:
	 * import 2.4x plain SQLite; with 256 MiB 1.8x). */
	long long old_cache = store_cache_raise(s, STORE_BULK_CACHE_KIB);

	int worst = TZ_OK;
	for (size_t i = 0; i < nfiles; i++) {
		struct sync_import_item *item = &out->items[out->nitems++];
		item->path = xstrdup(files[i].path);
		int one = import_one(&im, files[i].path, in_folder, item);
		worst = worse(worst, one);
		if (progress != NULL)
			progress(ctx, i + 1, nfiles, item);
	}
	store_cache_restore(s, old_cache);
	rc = worst;
	if (rc != TZ_OK)
		tz_error_set(err, rc, "有数据包没有导入，见上面各行");
	/* at the town, a village new to it owes the campaign's deliverables too
	 * (its rows stay at the town); at a village, a deadline the town moved
	 * moves its deliverables not handed in yet (model/deliverable.c) */
	size_t applied = 0;
	for (size_t i = 0; i < out->nitems; i++)
		applied += out->items[i].outcome == SYNC_APPLIED;
	sync_phase(&im.clock, SYNC_PHASE_AFTER);
	if (rc == TZ_OK && applied > 0)
		rc = store_keyring(s)->kind == STORE_KIND_TOWN ? deliverable_generate(s, NULL, err)
							       : deliverable_follow(s, err);
	sync_phase(&im.clock, SYNC_PHASE_OTHER);
out:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i].path);
	free(files);
	sync_keys_free(im.k);
	free(im.ps.v);
	sync_phase(&im.clock, SYNC_PHASE_OTHER); /* the last moments too */
	return rc;
}

void sync_import_result_free(struct sync_import_result *r)
{
	for (size_t i = 0; i < r->nitems; i++)
		free(r->items[i].path);
	free(r->items);
	memset(r, 0, sizeof *r);
}
