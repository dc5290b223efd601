/*
 * fuzz_snapshot.c — a libFuzzer target for the snapshot reader
 * (sync_snapshot_restore, src/sync/snapshot.c): the file a new village laptop
 * is set up from, read before and after its signature and decryption. The
 * first input byte picks how the rest is used (modulo 2):
 *   0  the rest is a snapshot file, restored with this target's recovery
 *      code: the magic, the town's key file, the bundle's header, its
 *      signature and decryption see the fuzzer's bytes;
 *   1  the rest is a payload (payload.c, packed or not) that this target
 *      wraps into a valid snapshot file — signed by its own town key, whose
 *      key file it carries, and encrypted to its recovery code — so that what
 *      lies behind the signature is fuzzed: the payload's kind and codes, the
 *      new store made from them, and the changeset applied into it.
 * A restore that succeeds leaves an open store, closed and deleted here; one
 * that fails must say why and leave no file behind.
 *
 * The town key, salt and code are fixed, so a file wrapped by one process
 * restores in another. The code's key pair is derived here as snapshot.c
 * documents it; the seed writer restores a wrapped real snapshot, so a change
 * of that derivation fails the seeds loudly instead of weakening the target.
 *
 * Seeds (TZ_FUZZ_SEEDS=DIR): a real town's snapshot of a demo village
 * (sync_snapshot_export), its payload re-wrapped as a whole file and bare;
 * and small unpacked payloads of a few of the same rows (villages, groups,
 * households, members, problems), which mutate into more than inflate errors.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../src/sync/sync_internal.h"
#include "fuzz_common.h"
#include "taizhang/bundle.h"
#include "taizhang/demo.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"

#define TOWN "341522104000"
#define V1 "341522104201"
#define MAGIC_NBYTES 8
#define SALT_NBYTES SYNC_SNAPSHOT_SALT_NBYTES
#define PREFIX_NBYTES (MAGIC_NBYTES + SALT_NBYTES + SYNC_PUBKEY_FILE_NBYTES)
#define CODE "12345 67890 13579 24680 11223 34455 66778 89900"

struct fixed {
	struct sync_keys town;
	unsigned char sign_sk[SYNC_SIGN_SK_NBYTES], box_sk[SYNC_BOX_NBYTES];
	unsigned char salt[SALT_NBYTES];
	unsigned char code_pk[32], code_sk[32];
	uint32_t schema;
};

/* The code's key pair for salt: the library's own derivation (snapshot.c). */
static void code_keypair(const char *code, const unsigned char *salt, unsigned char pk[32],
			 unsigned char sk[32])
{
	char digits[41];
	size_t n = 0;
	for (const char *p = code; *p && n < 40; p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	digits[n] = '\0';
	sync_snapshot_code_keypair(digits, salt, pk, sk);
}

static struct fixed *fixed_get(void)
{
	static struct fixed f;
	static int ready;
	if (ready)
		return &f;
	if (sodium_init() < 0)
		abort();
	unsigned char seed[32];
	memset(seed, 0x11, sizeof seed);
	crypto_sign_seed_keypair(f.town.pub.sign_pk, f.sign_sk, seed);
	memset(seed, 0x12, sizeof seed);
	crypto_box_seed_keypair(f.town.pub.box_pk, f.box_sk, seed);
	f.town.pub.kind = STORE_KIND_TOWN;
	memcpy(f.town.pub.division_code, TOWN, sizeof TOWN);
	sync_device_id(f.town.pub.sign_pk, f.town.pub.device_id);
	f.town.sign_sk = f.sign_sk;
	f.town.box_sk = f.box_sk;
	memset(f.salt, 0x33, sizeof f.salt);
	code_keypair(CODE, f.salt, f.code_pk, f.code_sk);
	/* the schema version a restored store will have */
	struct store *s = fuzz_store_create("schema.tzs", STORE_KIND_VILLAGE, V1, "村");
	struct tz_error err;
	if (store_schema_version(s, &f.schema, &err) != TZ_OK)
		abort();
	store_close(s);
	remove(fuzz_path("schema.tzs"));
	ready = 1;
	return &f;
}

/* payload wrapped into a snapshot file from the fixed town to the fixed code
 * (malloc'd, *n bytes). */
static unsigned char *wrap(const unsigned char *payload, size_t payload_n, size_t *n)
{
	struct fixed *f = fixed_get();
	struct bundle_header h = { .schema_version = f->schema, .seq = 1 };
	memcpy(h.sender, f->town.pub.device_id, sizeof h.sender);
	sync_device_id(f->code_pk, h.recipient);
	unsigned char *bundle;
	size_t bundle_n;
	struct tz_error err;
	if (bundle_encode(&h, f->sign_sk, f->code_pk, payload, payload_n, &bundle, &bundle_n, &err) !=
	    TZ_OK)
		abort();
	unsigned char *file = malloc(PREFIX_NBYTES + bundle_n);
	if (file == NULL)
		abort();
	char keyfile[SYNC_PUBKEY_FILE_NBYTES + 1];
	sync_pubkey_file(&f->town, keyfile);
	memcpy(file, "TZSNAP01", MAGIC_NBYTES);
	memcpy(file + MAGIC_NBYTES, f->salt, SALT_NBYTES);
	memcpy(file + MAGIC_NBYTES + SALT_NBYTES, keyfile, SYNC_PUBKEY_FILE_NBYTES);
	memcpy(file + PREFIX_NBYTES, bundle, bundle_n);
	free(bundle);
	*n = PREFIX_NBYTES + bundle_n;
	return file;
}

/* Restore file with the fixed code; the status. */
static int restore(const unsigned char *file, size_t n, struct tz_error *err)
{
	const char *path = fuzz_path("restored.tzs");
	struct store *s = NULL;
	int rc = sync_snapshot_restore(file, n, CODE, path, "admin", FUZZ_PASS, strlen(FUZZ_PASS),
				       KDF_COST_MIN, &s, err);
	if (rc == TZ_OK) {
		if (s == NULL)
			abort();
		store_close(s);
		remove(path);
	} else if (s != NULL || err->msg[0] == '\0' || access(path, F_OK) == 0) {
		abort(); /* a failed restore says why and leaves no file */
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size < 1)
		return 0;
	fixed_get();
	size_t n = size - 1;
	unsigned char *body = malloc(n ? n : 1); /* exact size: a read past the end is caught */
	if (body == NULL)
		return 0;
	memcpy(body, data + 1, n);
	struct tz_error err;
	if (data[0] & 1) {
		size_t file_n;
		unsigned char *file = wrap(body, n, &file_n);
		restore(file, file_n, &err);
		free(file);
	} else {
		restore(body, n, &err);
	}
	free(body);
	return 0;
}

/* ---- seeds ---- */

static int lookup(void *ctx, const unsigned char sender[BUNDLE_DEVICE_ID_NBYTES],
		  unsigned char sign_pk[BUNDLE_SIGN_PK_NBYTES], enum bundle_sender *status,
		  struct tz_error *err)
{
	(void)sender;
	(void)err;
	memcpy(sign_pk, ctx, BUNDLE_SIGN_PK_NBYTES); /* the key file's, checked by restore */
	*status = BUNDLE_SENDER_TRUSTED;
	return TZ_OK;
}

/* A small snapshot payload: the INSERTs of the town's rows of village V1 in
 * the tables of sql's deletions (a session on the town's database, rolled
 * back, inverted), unpacked, as one seed. */
static void small_seed(const char *dir, const char *name, struct store *town, const char *sql)
{
	sqlite3 *db = store_db(town);
	sqlite3_session *session;
	int n = 0, in = 0;
	void *cs = NULL, *inv = NULL;
	sqlite3_exec(db, "PRAGMA defer_foreign_keys = ON; BEGIN", NULL, NULL, NULL);
	if (sqlite3session_create(db, "main", &session) != SQLITE_OK)
		exit(1);
	sqlite3session_attach(session, NULL);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3session_changeset(session, &n, &cs) != SQLITE_OK ||
	    sqlite3changeset_invert(n, cs, &in, &inv) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3session_delete(session);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	struct payload_entry e = { .outbox_id = 1, .changeset = inv, .changeset_nbytes = (size_t)in };
	struct payload p = { .kind = PAYLOAD_KIND_SNAPSHOT, .from_kind = STORE_KIND_TOWN,
			     .outbox_from = 1, .outbox_upto = 1, .entries = &e, .nentries = 1 };
	memcpy(p.from_code, TOWN, sizeof TOWN);
	memcpy(p.village, V1, sizeof V1);
	unsigned char *plain;
	size_t plain_n;
	struct tz_error err;
	if (payload_encode(&p, &plain, &plain_n, &err) != TZ_OK)
		exit(1);
	fuzz_seed_write_mode(dir, name, 1, plain, plain_n);
	free(plain);
	sqlite3_free(cs);
	sqlite3_free(inv);
}

static int write_seeds(const char *dir)
{
	struct store *town = fuzz_store_create("town.tzs", STORE_KIND_TOWN, TOWN, "城关镇");
	struct demo_options o = { .households = 1, .seed = 1, .village_code = V1 };
	struct tz_error err;
	char *path = NULL, code[SYNC_RECOVERY_CODE_NCHARS + 1];
	size_t rows;
	struct sync_public_key mine;
	if (sync_keys_public(town, &mine, &err) != TZ_OK || /* the town's keys made first */
	    demo_populate(town, &o, &err) != TZ_OK ||
	    sync_snapshot_export(town, V1, fuzz_path(""), &path, code, &rows, &err) != TZ_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	small_seed(dir, "small-village", town, "DELETE FROM villages WHERE code = '" V1 "'");
	small_seed(dir, "small-households", town,
		   "DELETE FROM villages WHERE code = '" V1 "';"
		   "DELETE FROM villager_groups WHERE village_code = '" V1 "';"
		   "DELETE FROM households WHERE rowid = (SELECT min(rowid) FROM households)");
	small_seed(dir, "small-members", town,
		   "DELETE FROM members WHERE rowid IN (SELECT rowid FROM members LIMIT 3)");
	small_seed(dir, "small-problems", town,
		   "DELETE FROM problem_events WHERE rowid IN (SELECT rowid FROM problem_events LIMIT 2);"
		   "DELETE FROM problems WHERE rowid = (SELECT min(rowid) FROM problems)");
	store_close(town);
	FILE *fp = fopen(path, "rb");
	static unsigned char file[1 << 20];
	size_t n = fp != NULL ? fread(file, 1, sizeof file, fp) : 0;
	if (fp == NULL || n < PREFIX_NBYTES || n == sizeof file)
		return 1;
	fclose(fp);
	free(path);
	/* its payload, decrypted with its own code */
	struct sync_public_key tk;
	if (sync_pubkey_parse(file + MAGIC_NBYTES + SALT_NBYTES, SYNC_PUBKEY_FILE_NBYTES, &tk, &err) !=
	    TZ_OK)
		return 1;
	unsigned char pk[32], sk[32];
	code_keypair(code, file + MAGIC_NBYTES, pk, sk);
	struct bundle_recipient me = { .box_pk = pk, .box_sk = sk, .lookup = lookup,
				       .lookup_ctx = tk.sign_pk };
	sync_device_id(pk, me.device_id);
	struct bundle_header h;
	unsigned char *payload;
	size_t payload_n;
	enum bundle_fault fault;
	if (bundle_decode(file + PREFIX_NBYTES, n - PREFIX_NBYTES, &me, &h, &payload, &payload_n,
			  &fault, &err) != TZ_OK) {
		fprintf(stderr, "decode: %s\n", err.msg);
		return 1;
	}
	fuzz_seed_write_mode(dir, "payload", 1, payload, payload_n);
	size_t wrapped_n;
	unsigned char *wrapped = wrap(payload, payload_n, &wrapped_n);
	if (restore(wrapped, wrapped_n, &err) != TZ_OK) {
		fprintf(stderr, "the re-wrapped snapshot does not restore: %s\n", err.msg);
		return 1;
	}
	fuzz_seed_write_mode(dir, "file", 0, wrapped, wrapped_n);
	free(wrapped);
	bundle_payload_free(payload, payload_n);
	fprintf(stderr, "snapshot seeds: %zu rows, payload %zu bytes, file %zu bytes\n", rows,
		payload_n, wrapped_n);
	return 0;
}

FUZZ_SEEDS_FROM(write_seeds)
