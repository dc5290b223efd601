/*
 * snapshot.c — a whole village's ledgers from the town store, to set up a
 * replacement laptop (the old one lost, broken or stolen — and revoked).
 *
 * Export (at the town): every row the village owns, the town's problems of the
 * village and their events, and the reference data, as one session changeset
 * of INSERTs. The changeset is made the way capture makes one: the rows are
 * copied into an in-memory database with the same tables while a session
 * watches it (nothing of it touches the disk), so restoring is the same apply
 * as for any bundle.
 *
 * The new laptop has no keys yet, so the snapshot cannot be encrypted to its
 * device. It is encrypted to a one-time recovery code the town prints (8
 * groups of 5 digits, 132 bits from the system's random generator) and signed
 * by the town's device key; the officer types the code on the new laptop.
 * Because the code is random and long, a fast hash derives the key from it
 * (BLAKE2b-256 of a domain string, the salt and the code, as the seed of an
 * X25519 key pair: crypto_box_seed_keypair); no passphrase-grade stretching is
 * needed. The bundle inside is an ordinary bundle (bundle.c) addressed to that
 * key pair.
 *
 * File format, version 1:
 *
 *   offset  size  field
 *   0       8     magic "TZSNAP01"
 *   8       16    salt (random)
 *   24      230   the town's public key file (keys.c; self-signed), so the new
 *                 laptop can verify the signature and trust the town: the
 *                 officer compares its fingerprint before anything is applied
 *   254     ...   a bundle (bundle.c) from the town's device to the code's key
 *                 pair, seq 1, whose payload (payload.c) has kind 2 (snapshot),
 *                 the village's code, and one entry: the changeset
 *
 * Nothing before the bundle is trusted on its own: a different salt gives a
 * different key (the bundle does not decrypt), a different key file a
 * different signer (the signature fails or the fingerprint differs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sync_internal.h"
#include "taizhang/bundle.h"
#include "taizhang/date.h"
#include "taizhang/keyring.h"
#include "taizhang/sync_keys.h"
#include "taizhang/xalloc.h"

#define SNAP_MAGIC "TZSNAP01"
#define SNAP_SALT_NBYTES SYNC_SNAPSHOT_SALT_NBYTES
#define SNAP_PREFIX_NBYTES (8 + SNAP_SALT_NBYTES + SYNC_PUBKEY_FILE_NBYTES)

/* ---- the recovery code ---- */

static void make_code(char out[SYNC_RECOVERY_CODE_NCHARS + 1])
{
	size_t at = 0;
	for (int g = 0; g < 8; g++) {
		uint32_t v = randombytes_uniform(100000);
		at += (size_t)snprintf(out + at, SYNC_RECOVERY_CODE_NCHARS + 1 - at, "%s%05u",
				       g ? " " : "", (unsigned)v);
	}
}

/* The code's 40 digits, whatever the officer typed around them; -1 when it is
 * not 40 digits. */
static int code_digits(const char *code, char out[41])
{
	size_t n = 0;
	for (const char *p = code; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == 40)
				return -1;
			out[n++] = *p;
		} else if (*p != ' ' && *p != '-' && *p != '\t' && *p != '\n' && *p != '\r') {
			return -1;
		}
	}
	out[n] = '\0';
	return n == 40 ? 0 : -1;
}

void sync_snapshot_code_keypair(const char digits[41], const unsigned char salt[SYNC_SNAPSHOT_SALT_NBYTES],
				unsigned char pk[32], unsigned char *sk)
{
	static const char domain[] = "taizhang snapshot code v1";
	unsigned char seed[crypto_box_SEEDBYTES];
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof seed);
	crypto_generichash_update(&h, (const unsigned char *)domain, sizeof domain);
	crypto_generichash_update(&h, salt, SYNC_SNAPSHOT_SALT_NBYTES);
	crypto_generichash_update(&h, (const unsigned char *)digits, 40);
	crypto_generichash_final(&h, seed, sizeof seed);
	crypto_box_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
}

/* ---- export ---- */

/* Which rows of table go into village v's snapshot. */
static const char *row_filter(sqlite3 *db, const char *table)
{
	if (sync_table_is_reference(table))
		return "1";
	if (strcmp(table, "problem_events") == 0)
		return "owner = ?1 OR problem_id IN (SELECT id FROM problems WHERE village_code = ?1)";
	if (strcmp(table, "villages") == 0)
		return "code = ?1";
	sqlite3_stmt *st;
	int has_village = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = 'village_code'",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		has_village = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return has_village ? "owner = ?1 OR village_code = ?1" : "owner = ?1";
}

static int copy_table(sqlite3 *from, sqlite3 *mem, const char *table, const char *create,
		      const char *village, size_t *rows, struct tz_error *err)
{
	if (sqlite3_exec(mem, create, NULL, NULL, NULL) != SQLITE_OK)
		return tz_error_set(err, TZ_EFAIL, "无法准备快照（%s）：%s", table, sqlite3_errmsg(mem));
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" WHERE %s", table, row_filter(from, table));
	sqlite3_stmt *sel, *ins = NULL;
	if (sqlite3_prepare_v2(from, sql, -1, &sel, NULL) != SQLITE_OK)
		return tz_error_set(err, TZ_EFAIL, "无法读取 %s：%s", table, sqlite3_errmsg(from));
	if (sqlite3_bind_parameter_count(sel) >= 1)
		sqlite3_bind_text(sel, 1, village, -1, SQLITE_STATIC);
	int ncol = sqlite3_column_count(sel);
	size_t used = (size_t)snprintf(sql, sizeof sql, "INSERT INTO \"%s\" VALUES (", table);
	for (int i = 0; i < ncol && used < sizeof sql; i++)
		used += (size_t)snprintf(sql + used, sizeof sql - used, "%s?", i ? "," : "");
	if (used < sizeof sql)
		snprintf(sql + used, sizeof sql - used, ")");
	int status = TZ_OK;
	if (sqlite3_prepare_v2(mem, sql, -1, &ins, NULL) != SQLITE_OK)
		status = tz_error_set(err, TZ_EFAIL, "无法准备快照（%s）", table);
	int rc;
	while (status == TZ_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++)
			sqlite3_bind_value(ins, i + 1, sqlite3_column_value(sel, i));
		if (sqlite3_step(ins) != SQLITE_DONE)
			status = tz_error_set(err, TZ_EFAIL, "无法复制 %s：%s", table, sqlite3_errmsg(mem));
		sqlite3_reset(ins);
		(*rows)++;
	}
	if (status == TZ_OK && rc != SQLITE_DONE)
		status = tz_error_set(err, TZ_EFAIL, "无法读取 %s：%s", table, sqlite3_errmsg(from));
	sqlite3_finalize(ins);
	sqlite3_finalize(sel);
	return status;
}

/* The changeset inserting every row of village's snapshot (sqlite3_free it). */
static int snapshot_changeset(struct store *s, const char *village, void **cs, int *n,
			      size_t *rows, struct tz_error *err)
{
	sqlite3 *from = store_db(s), *mem = NULL;
	*cs = NULL;
	*n = 0;
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(mem);
		return tz_error_set(err, TZ_EFAIL, "内存不足");
	}
	sqlite3_exec(mem, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
	sqlite3_session *session = NULL;
	int status = TZ_OK;
	if (sqlite3session_create(mem, "main", &session) != SQLITE_OK ||
	    sqlite3session_attach(session, NULL) != SQLITE_OK)
		status = tz_error_set(err, TZ_EFAIL, "无法准备快照");
	sqlite3_stmt *st = NULL;
	if (status == TZ_OK &&
	    sqlite3_prepare_v2(from,
			       "SELECT m.name, m.sql FROM sqlite_schema m WHERE m.type = 'table'"
			       " AND m.name NOT LIKE 'sqlite%' AND EXISTS (SELECT 1 FROM"
			       " pragma_table_info(m.name) c WHERE c.pk > 0) AND (EXISTS (SELECT 1"
			       " FROM pragma_table_info(m.name) c WHERE c.name = 'owner')"
			       " OR m.name IN ('code_list', 'deadlines', 'deliverable_kinds', 'policy',"
			       " 'problem_areas', 'task_units', 'tasks', 'units')) ORDER BY m.rowid",
			       -1, &st, NULL) != SQLITE_OK)
		status = store_sqlite_error(s, sqlite3_errcode(from), "准备快照", err);
	sqlite3_exec(mem, "BEGIN", NULL, NULL, NULL);
	while (status == TZ_OK && sqlite3_step(st) == SQLITE_ROW)
		status = copy_table(from, mem, (const char *)sqlite3_column_text(st, 0),
				    (const char *)sqlite3_column_text(st, 1), village, rows, err);
	sqlite3_finalize(st);
	if (status == TZ_OK && sqlite3session_changeset(session, n, cs) != SQLITE_OK)
		status = tz_error_set(err, TZ_EFAIL, "无法生成快照");
	sqlite3session_delete(session);
	sqlite3_close(mem);
	return status;
}

static int write_snapshot(struct store *s, const char *village, const char *path,
			  char code[SYNC_RECOVERY_CODE_NCHARS + 1], size_t *rows,
			  struct tz_error *err)
{
	struct sync_keys *k = NULL;
	void *cs = NULL;
	int n = 0;
	unsigned char *payload = NULL, *bundle = NULL, *file = NULL;
	size_t payload_nbytes = 0, bundle_nbytes = 0;
	unsigned char *sk = secret_alloc(crypto_box_SECRETKEYBYTES);
	int rc = sync_keys_load(s, &k, err);
	if (rc == TZ_OK)
		rc = snapshot_changeset(s, village, &cs, &n, rows, err);
	uint32_t schema = 0;
	if (rc == TZ_OK)
		rc = store_schema_version(s, &schema, err);
	if (rc == TZ_OK) {
		struct payload_entry e = { .outbox_id = 1, .changeset = cs,
					   .changeset_nbytes = (size_t)n };
		struct payload p = { .kind = PAYLOAD_KIND_SNAPSHOT, .from_kind = STORE_KIND_TOWN,
				     .outbox_from = 1, .outbox_upto = 1, .entries = &e,
				     .nentries = n > 0 };
		snprintf(p.from_code, sizeof p.from_code, "%s", store_keyring(s)->division_code);
		snprintf(p.village, sizeof p.village, "%s", village);
		rc = payload_encode_packed(&p, &payload, &payload_nbytes, err);
	}
	unsigned char salt[SNAP_SALT_NBYTES], pk[32];
	if (rc == TZ_OK) {
		make_code(code);
		char digits[41];
		code_digits(code, digits);
		randombytes_buf(salt, sizeof salt);
		sync_snapshot_code_keypair(digits, salt, pk, sk);
		sodium_memzero(digits, sizeof digits);
		struct bundle_header h = { .schema_version = schema, .seq = 1 };
		memcpy(h.sender, k->pub.device_id, sizeof h.sender);
		sync_device_id(pk, h.recipient);
		rc = bundle_encode(&h, k->sign_sk, pk, payload, payload_nbytes, &bundle,
				   &bundle_nbytes, err);
	}
	if (rc == TZ_OK) {
		file = xmalloc(SNAP_PREFIX_NBYTES + bundle_nbytes);
		char keyfile[SYNC_PUBKEY_FILE_NBYTES + 1];
		sync_pubkey_file(k, keyfile);
		memcpy(file, SNAP_MAGIC, 8);
		memcpy(file + 8, salt, sizeof salt);
		memcpy(file + 24, keyfile, SYNC_PUBKEY_FILE_NBYTES);
		memcpy(file + SNAP_PREFIX_NBYTES, bundle, bundle_nbytes);
		rc = bundle_file_write(path, file, SNAP_PREFIX_NBYTES + bundle_nbytes, 0, err);
	}
	if (payload != NULL)
		sodium_memzero(payload, payload_nbytes);
	free(payload);
	free(bundle);
	free(file);
	sqlite3_free(cs);
	sodium_free(sk);
	sync_keys_free(k);
	return rc;
}

int sync_snapshot_export(struct store *s, const char *village, const char *dir, char **path_out,
			 char code[SYNC_RECOVERY_CODE_NCHARS + 1], size_t *rows,
			 struct tz_error *err)
{
	*path_out = NULL;
	*rows = 0;
	if (store_keyring(s)->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EUSAGE, "快照只能在镇扶贫办的台账上导出");
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(store_db(s), "SELECT 1 FROM villages WHERE code = ?1", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	if (!found)
		return tz_error_set(err, TZ_EFAIL, "镇台账里没有代码为 %s 的村（该村还没有上报过数据包）",
				    village);
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	char path[4096];
	int len = snprintf(path, sizeof path, "%s/%s-snapshot-%.4s%.2s%.2s%s", dir, village, today,
			   today + 5, today + 8, SYNC_SNAPSHOT_SUFFIX);
	if (len < 0 || (size_t)len >= sizeof path)
		return tz_error_set(err, TZ_EUSAGE, "文件夹路径太长：%s", dir);
	/* the town's keys, made first if need be: not inside the read transaction */
	int rc = sync_keys_ensure(s, NULL, err);
	if (rc != TZ_OK)
		return rc;
	/* a read transaction: the snapshot is one consistent state */
	rc = store_exec(s, "BEGIN", err);
	if (rc != TZ_OK)
		return rc;
	rc = write_snapshot(s, village, path, code, rows, err);
	store_exec(s, "COMMIT", NULL);
	if (rc != TZ_OK)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc == TZ_OK) {
		rc = store_audit(s, "sync.snapshot", village, path, err);
		if (rc == TZ_OK)
			rc = store_tx_commit(s, err);
		else
			store_tx_rollback(s);
	}
	*path_out = xstrdup(path);
	return rc;
}

/* ---- restore ---- */

int sync_snapshot_peek(const unsigned char *file, size_t nbytes, struct sync_public_key *town,
		       char village[SYNC_CODE_NCHARS + 1], struct tz_error *err)
{
	if (nbytes < SNAP_PREFIX_NBYTES + BUNDLE_HEADER_NBYTES || memcmp(file, SNAP_MAGIC, 8) != 0)
		return tz_error_set(err, TZ_EDAMAGED, "这不是台账快照文件，或文件已损坏");
	int rc = sync_pubkey_parse(file + 24, SYNC_PUBKEY_FILE_NBYTES, town, err);
	if (rc != TZ_OK)
		return tz_error_set(err, TZ_EDAMAGED, "快照里的镇公钥已损坏或被篡改");
	if (town->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EDAMAGED, "快照不是镇扶贫办导出的");
	village[0] = '\0';
	return TZ_OK;
}

struct snap_lookup {
	const struct sync_public_key *town;
};

static int snap_lookup(void *ctx, const unsigned char sender[BUNDLE_DEVICE_ID_NBYTES],
		       unsigned char sign_pk[BUNDLE_SIGN_PK_NBYTES], enum bundle_sender *status,
		       struct tz_error *err)
{
	struct snap_lookup *l = ctx;
	(void)err;
	if (memcmp(sender, l->town->device_id, BUNDLE_DEVICE_ID_NBYTES) == 0) {
		memcpy(sign_pk, l->town->sign_pk, BUNDLE_SIGN_PK_NBYTES);
		*status = BUNDLE_SENDER_TRUSTED;
	} else {
		*status = BUNDLE_SENDER_UNKNOWN;
	}
	return TZ_OK;
}

int sync_snapshot_restore(const unsigned char *file, size_t nbytes, const char *code,
			  const char *path, const char *user, const char *pass, size_t pass_nbytes,
			  enum kdf_cost cost, struct store **out, struct tz_error *err)
{
	*out = NULL;
	struct sync_public_key town;
	char village[SYNC_CODE_NCHARS + 1];
	int rc = sync_snapshot_peek(file, nbytes, &town, village, err);
	if (rc != TZ_OK)
		return rc;
	char digits[41];
	if (code_digits(code, digits) != 0)
		return tz_error_set(err, TZ_EUSAGE, "恢复码应为 40 位数字（8 组，每组 5 位）");
	unsigned char pk[32];
	unsigned char *sk = secret_alloc(crypto_box_SECRETKEYBYTES);
	sync_snapshot_code_keypair(digits, file + 8, pk, sk);
	sodium_memzero(digits, sizeof digits);
	struct snap_lookup lookup = { &town };
	struct bundle_recipient me = { .box_pk = pk, .box_sk = sk, .lookup = snap_lookup,
				       .lookup_ctx = &lookup };
	sync_device_id(pk, me.device_id);
	struct bundle_header h;
	unsigned char *payload = NULL;
	size_t payload_nbytes = 0;
	enum bundle_fault fault;
	rc = bundle_decode(file + SNAP_PREFIX_NBYTES, nbytes - SNAP_PREFIX_NBYTES, &me, &h, &payload,
			   &payload_nbytes, &fault, err);
	sodium_free(sk);
	if (rc != TZ_OK) {
		if (fault == BUNDLE_FAULT_RECIPIENT || fault == BUNDLE_FAULT_DECRYPT)
			return tz_error_set(err, TZ_EAUTH, "恢复码不对：请核对镇扶贫办给的 8 组数字");
		return rc;
	}
	struct payload p;
	rc = payload_decode(payload, payload_nbytes, &p, err);
	if (rc == TZ_OK && (p.kind != PAYLOAD_KIND_SNAPSHOT || p.from_kind != STORE_KIND_TOWN ||
			    strcmp(p.from_code, town.division_code) != 0 || p.nentries != 1))
		rc = tz_error_set(err, TZ_EDAMAGED, "快照内容不对，已拒绝");
	struct store *s = NULL;
	if (rc == TZ_OK) {
		struct store_identity id = { STORE_KIND_VILLAGE, p.village, "（恢复中）" };
		rc = store_create_aside(path, &id, user, pass, pass_nbytes, cost, &s, err);
	}
	uint32_t schema = 0;
	if (rc == TZ_OK)
		rc = store_schema_version(s, &schema, err);
	if (rc == TZ_OK) {
		if (schema != h.schema_version)
			rc = tz_error_set(err, TZ_EFAIL,
					  "快照来自另一个版本的程序（数据库版本 %u，本机 %u），请先升级到同一版本",
					  h.schema_version, schema);
	}
	if (rc == TZ_OK) {
		sync_capture_pause(s, 1);
		rc = store_tx_begin(s, err);
		if (rc == TZ_OK) {
			struct apply_context a = { .s = s, .snapshot = 1, .sender_code = p.from_code,
						   .village = p.village, .peer = "snapshot", .seq = 1 };
			rc = apply_changeset(&a, p.entries[0].changeset, p.entries[0].changeset_nbytes,
					     err);
			if (rc == TZ_OK)
				rc = apply_context_finish(&a, err);
			apply_context_free(&a);
			if (rc == TZ_OK)
				rc = store_exec(s,
						"UPDATE store_meta SET value = coalesce((SELECT name FROM"
						" villages WHERE code = (SELECT value FROM store_meta WHERE"
						" key = 'code')), value) WHERE key = 'name'",
						err);
			if (rc == TZ_OK)
				rc = store_audit(s, "sync.restore", p.village, town.division_code, err);
			if (rc == TZ_OK)
				rc = store_tx_commit(s, err);
			else
				store_tx_rollback(s);
		}
		sync_capture_pause(s, 0);
	}
	if (rc == TZ_OK) {
		enum sync_change change;
		rc = sync_trust_town(s, &town, 0, &change, err);
	}
	if (rc == TZ_OK)
		rc = store_publish(s, err);
	payload_free(&p);
	bundle_payload_free(payload, payload_nbytes);
	if (rc != TZ_OK) {
		store_close(s); /* an unpublished store leaves nothing at path */
		return rc;
	}
	*out = s;
	return TZ_OK;
}
