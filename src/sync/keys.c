/*
 * keys.c — device keys, public key files, fingerprints and trust
 * (include/taizhang/sync_keys.h).
 *
 * Why this shape. Every store is one device. It signs what it sends with an
 * Ed25519 key and receives bundles encrypted to an X25519 key (bundle.c); the
 * secret halves never leave the encrypted store except into secret memory. The
 * two offices never meet online, so trust is set up by hand: the village gives
 * the town a public key file on a stick (the town runs `taizhang enroll`), the
 * town gives each village its own (the village runs `taizhang trust`), and the two
 * officers read the fingerprint to each other over the phone, which is what makes
 * a file swapped on the stick detectable. This is SSH's and Signal's model
 * (TOFU checked by an out-of-band fingerprint), with minisign's self-signed key
 * file so a damaged or half-edited file is refused rather than half-believed.
 *
 * Trust and recovery. Trusting a town key also writes the village keyring's
 * recovery slot (src/store/keyring.c): the store's master key sealed to the town's
 * X25519 key, so the town office can reopen the store when its officer is gone
 * (`taizhang recover`). The slot follows the trusted key: trust seals it, `trust
 * --replace` reseals it to the new key (the old town key opens nothing any more),
 * and trusting the same key again writes it if it is missing or stale
 * (SYNC_RESEALED). The keyring is not inside SQLite, so the two cannot commit as
 * one: the slot is written inside the trust transaction, just before COMMIT, and
 * put back as it was should the COMMIT fail. A crash between the two leaves the
 * slot sealed to the key the officer had just confirmed, never to a key nobody
 * chose; trusting the file again repairs the rest.
 *
 * What it is not: no key rotation (a replaced laptop is a new device: enroll the
 * new one, revoke the old), no certificate chains, no online anything.
 *
 * Device id: the first 8 bytes of BLAKE2b-256 over the ASCII string
 * "taizhang-device-id-v1" (21 bytes, no NUL) ‖ the 32-byte Ed25519 public key;
 * written as 16 lowercase hex digits. It names a device in bundles and commands;
 * it is never trusted on its own (bundles are checked against the full key).
 *
 * Fingerprint: BLAKE2b-512 over the ASCII string "taizhang-fingerprint-v1"
 * (23 bytes, no NUL) ‖ Ed25519 public key (32) ‖ X25519 public key (32). Its
 * bytes 5i .. 5i+4, read as a big-endian 40-bit number, modulo 100000, written
 * as 5 decimal digits, are group i (i = 0..7); groups are separated by one space:
 * "04719 88230 12345 67890 00042 99999 31415 27182". 8 groups carry about 133
 * bits; digits (not hex or words) because they read unambiguously over a
 * telephone in any dialect (Signal's safety numbers do the same).
 *
 * Public key file, version 1: one line of ASCII, exactly 230 bytes:
 *
 *   "taizhang-key " (13 bytes) ‖ base64 of the 160-byte record below (standard
 *   alphabet with "=" padding, 216 characters, canonical) ‖ "\n"
 *
 * A final "\r\n" instead of "\n", or no newline at all, is accepted (editors);
 * nothing else is. The record, all fields fixed size:
 *
 *   offset size  field
 *        0    8  magic "TZPUBKEY" (ASCII)
 *        8    1  format version = 1
 *        9    1  kind: 1 village, 2 town (enum store_kind)
 *       10    2  zero
 *       12   12  division code: 12 ASCII digits (the store's keyring code)
 *       24    8  device id (above); must match the Ed25519 key
 *       32   32  Ed25519 public key (signing)
 *       64   32  X25519 public key (bundles are encrypted to it)
 *       96   64  Ed25519 signature with the key at 32 over the ASCII string
 *                "taizhang-public-key-v1" (22 bytes, no NUL) ‖ bytes 0..95
 *
 * Reading a file checks, in order: prefix, length, base64 (canonical), magic,
 * version, kind, zero bytes, division code digits, device id, the X25519 key (not
 * of small order), the self-signature. Any failure is TZ_EDAMAGED (exit 4). The
 * self-signature proves the file is whole and was made by the holder of the
 * signing key; it proves nothing about *who* that is: that is the fingerprint's
 * job.
 *
 * Tables: db/005_sync.sql. Secret keys are stored as the 32-byte Ed25519 seed and
 * the 32-byte X25519 secret key; loading re-derives the public halves and checks
 * them against the stored ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "taizhang/date.h"
#include "taizhang/division.h"
#include "taizhang/sync_keys.h"
#include "taizhang/xalloc.h"

static const char device_id_context[] = "taizhang-device-id-v1";
static const char fingerprint_context[] = "taizhang-fingerprint-v1";
static const char pubkey_context[] = "taizhang-public-key-v1";
static const char pubkey_prefix[] = "taizhang-key ";
static const unsigned char pubkey_magic[8] = { 'T', 'Z', 'P', 'U', 'B', 'K', 'E', 'Y' };

#define PUBKEY_VERSION 1
#define RECORD_NBYTES 160
#define RECORD_SIGNED_NBYTES 96
#define PREFIX_NBYTES (sizeof pubkey_prefix - 1)
#define B64_NCHARS 216
#define TOWN_PREFIX_NCHARS 9 /* province 2, city 2, county 2, township 3 */

_Static_assert(PREFIX_NBYTES + B64_NCHARS + 1 == SYNC_PUBKEY_FILE_NBYTES, "key file size");
_Static_assert(crypto_sign_SECRETKEYBYTES == SYNC_SIGN_SK_NBYTES, "signing key size");
_Static_assert(crypto_box_PUBLICKEYBYTES == SYNC_BOX_NBYTES, "X25519 key size");
_Static_assert(sizeof device_id_context - 1 == 21, "documented context length");
_Static_assert(sizeof fingerprint_context - 1 == 23, "documented context length");
_Static_assert(sizeof pubkey_context - 1 == 22, "documented context length");

/* ---- ids, fingerprints, key files ---- */

void sync_device_id(const unsigned char sign_pk[SYNC_SIGN_PK_NBYTES],
		    unsigned char out[SYNC_DEVICE_ID_NBYTES])
{
	unsigned char h[32];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)device_id_context,
				  sizeof device_id_context - 1);
	crypto_generichash_update(&st, sign_pk, SYNC_SIGN_PK_NBYTES);
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(out, h, SYNC_DEVICE_ID_NBYTES);
}

void sync_device_id_hex(const unsigned char id[SYNC_DEVICE_ID_NBYTES],
			char out[SYNC_DEVICE_ID_NCHARS + 1])
{
	sodium_bin2hex(out, SYNC_DEVICE_ID_NCHARS + 1, id, SYNC_DEVICE_ID_NBYTES);
}

int sync_device_id_parse(const char *text, unsigned char out[SYNC_DEVICE_ID_NBYTES])
{
	if (text == NULL || strlen(text) != SYNC_DEVICE_ID_NCHARS)
		return -1;
	for (int i = 0; i < SYNC_DEVICE_ID_NBYTES; i++) {
		int v = 0;
		for (int j = 0; j < 2; j++) {
			char c = text[2 * i + j];
			int d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return -1;
			v = v * 16 + d;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

void sync_fingerprint(const struct sync_public_key *k, char out[SYNC_FINGERPRINT_NCHARS + 1])
{
	unsigned char h[crypto_generichash_BYTES_MAX];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)fingerprint_context,
				  sizeof fingerprint_context - 1);
	crypto_generichash_update(&st, k->sign_pk, sizeof k->sign_pk);
	crypto_generichash_update(&st, k->box_pk, sizeof k->box_pk);
	crypto_generichash_final(&st, h, sizeof h);
	char *p = out;
	for (int g = 0; g < SYNC_FINGERPRINT_NGROUPS; g++) {
		uint64_t v = 0;
		for (int i = 0; i < 5; i++)
			v = (v << 8) | h[5 * g + i];
		p += snprintf(p, 7, g == 0 ? "%05u" : " %05u", (unsigned)(v % 100000));
	}
	*p = '\0';
}

/* The signed part of the record for k. */
static void record_fill(const struct sync_public_key *k, unsigned char rec[RECORD_NBYTES])
{
	memset(rec, 0, RECORD_NBYTES);
	memcpy(rec, pubkey_magic, sizeof pubkey_magic);
	rec[8] = PUBKEY_VERSION;
	rec[9] = k->kind;
	memcpy(rec + 12, k->division_code, KEYRING_CODE_NCHARS);
	memcpy(rec + 24, k->device_id, SYNC_DEVICE_ID_NBYTES);
	memcpy(rec + 32, k->sign_pk, SYNC_SIGN_PK_NBYTES);
	memcpy(rec + 64, k->box_pk, SYNC_BOX_NBYTES);
}

/* The message the record's signature covers: context ‖ bytes 0..95. */
static void record_message(const unsigned char rec[RECORD_NBYTES],
			   unsigned char msg[sizeof pubkey_context - 1 + RECORD_SIGNED_NBYTES])
{
	memcpy(msg, pubkey_context, sizeof pubkey_context - 1);
	memcpy(msg + sizeof pubkey_context - 1, rec, RECORD_SIGNED_NBYTES);
}

void sync_pubkey_file(const struct sync_keys *k, char out[SYNC_PUBKEY_FILE_NBYTES + 1])
{
	unsigned char rec[RECORD_NBYTES];
	unsigned char msg[sizeof pubkey_context - 1 + RECORD_SIGNED_NBYTES];
	record_fill(&k->pub, rec);
	record_message(rec, msg);
	crypto_sign_detached(rec + RECORD_SIGNED_NBYTES, NULL, msg, sizeof msg, k->sign_sk);
	memcpy(out, pubkey_prefix, PREFIX_NBYTES);
	sodium_bin2base64(out + PREFIX_NBYTES, B64_NCHARS + 1, rec, sizeof rec,
			  sodium_base64_VARIANT_ORIGINAL);
	out[PREFIX_NBYTES + B64_NCHARS] = '\n';
	out[SYNC_PUBKEY_FILE_NBYTES] = '\0';
}

static int damaged(struct tz_error *err, const char *what)
{
	return tz_error_set(err, TZ_EDAMAGED, "公钥文件%s：文件已损坏或被改动，请让对方重新导出（taizhang keys export）",
			    what);
}

int sync_pubkey_parse(const unsigned char *data, size_t nbytes,
		      struct sync_public_key *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	if (secret_init(err) != TZ_OK)
		return TZ_EFAIL;
	if (nbytes < PREFIX_NBYTES || memcmp(data, pubkey_prefix, PREFIX_NBYTES) != 0)
		return tz_error_set(err, TZ_EDAMAGED,
				    "这不是 taizhang 公钥文件（文件开头应为“%.*s”）",
				    (int)PREFIX_NBYTES - 1, pubkey_prefix);
	size_t body = nbytes - PREFIX_NBYTES;
	if (body >= 1 && data[nbytes - 1] == '\n') {
		body--;
		if (body >= 1 && data[PREFIX_NBYTES + body - 1] == '\r')
			body--;
	}
	if (body != B64_NCHARS)
		return tz_error_set(err, TZ_EDAMAGED,
				    "公钥文件长度不对（%zu 字节，应为 %d 字节）：文件不完整或被改动",
				    nbytes, SYNC_PUBKEY_FILE_NBYTES);
	const char *b64 = (const char *)data + PREFIX_NBYTES;
	unsigned char rec[RECORD_NBYTES];
	size_t rec_nbytes = 0;
	const char *end = NULL;
	if (sodium_base642bin(rec, sizeof rec, b64, B64_NCHARS, NULL, &rec_nbytes, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    rec_nbytes != sizeof rec || end != b64 + B64_NCHARS)
		return damaged(err, "的内容不是有效的编码");
	char again[B64_NCHARS + 1];
	sodium_bin2base64(again, sizeof again, rec, sizeof rec, sodium_base64_VARIANT_ORIGINAL);
	if (memcmp(again, b64, B64_NCHARS) != 0)
		return damaged(err, "的编码不规范");
	if (memcmp(rec, pubkey_magic, sizeof pubkey_magic) != 0)
		return damaged(err, "的标记不对");
	if (rec[8] != PUBKEY_VERSION)
		return tz_error_set(err, TZ_EDAMAGED,
				    "公钥文件版本 %u 本程序不认识（只认识版本 %d）：文件已损坏，或需要升级程序",
				    rec[8], PUBKEY_VERSION);
	if (rec[9] != STORE_KIND_VILLAGE && rec[9] != STORE_KIND_TOWN)
		return damaged(err, "中的设备类别不对");
	if (rec[10] != 0 || rec[11] != 0)
		return damaged(err, "中的保留字节不为零");
	out->kind = rec[9];
	memcpy(out->division_code, rec + 12, KEYRING_CODE_NCHARS);
	out->division_code[KEYRING_CODE_NCHARS] = '\0';
	if (!division_code_valid(out->division_code)) {
		memset(out, 0, sizeof *out);
		return damaged(err, "中的行政区划代码不是 12 位数字");
	}
	memcpy(out->device_id, rec + 24, SYNC_DEVICE_ID_NBYTES);
	memcpy(out->sign_pk, rec + 32, SYNC_SIGN_PK_NBYTES);
	memcpy(out->box_pk, rec + 64, SYNC_BOX_NBYTES);
	unsigned char id[SYNC_DEVICE_ID_NBYTES];
	sync_device_id(out->sign_pk, id);
	int bad = 0;
	const char *why = NULL;
	if (memcmp(id, out->device_id, sizeof id) != 0) {
		bad = 1;
		why = "中的设备号与公钥不符";
	}
	if (!bad) {
		/* A clamped scalar kills any small-order component: a zero result
		 * means the key is of small order and useless for key agreement. */
		unsigned char scalar[crypto_scalarmult_SCALARBYTES], q[crypto_scalarmult_BYTES];
		randombytes_buf(scalar, sizeof scalar);
		if (crypto_scalarmult(q, scalar, out->box_pk) != 0) {
			bad = 1;
			why = "中的加密公钥无效";
		}
		sodium_memzero(scalar, sizeof scalar);
	}
	if (!bad) {
		unsigned char msg[sizeof pubkey_context - 1 + RECORD_SIGNED_NBYTES];
		record_message(rec, msg);
		if (crypto_sign_verify_detached(rec + RECORD_SIGNED_NBYTES, msg, sizeof msg,
						out->sign_pk) != 0) {
			bad = 1;
			why = "的自签名不正确";
		}
	}
	if (bad) {
		memset(out, 0, sizeof *out);
		return damaged(err, why);
	}
	return TZ_OK;
}

/* ---- this device's keys ---- */

/* Copy a BLOB column of exactly nbytes into out; 0 when it has another size. */
static int column_blob(sqlite3_stmt *st, int col, unsigned char *out, size_t nbytes)
{
	const void *p = sqlite3_column_blob(st, col);
	if (p == NULL || (size_t)sqlite3_column_bytes(st, col) != nbytes)
		return 0;
	memcpy(out, p, nbytes);
	return 1;
}

static int keys_exist(struct store *s, int *exists, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT count(*) FROM sync_device_keys", &st, "读取设备密钥", err);
	if (rc != TZ_OK)
		return rc;
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		*exists = sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	if (src != SQLITE_ROW)
		return store_sqlite_error(s, src, "读取设备密钥", err);
	return TZ_OK;
}

/* The secrets of a key generation, together in secret memory. */
struct new_keys {
	unsigned char seed[crypto_sign_SEEDBYTES];
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES];
	unsigned char box_sk[crypto_box_SECRETKEYBYTES];
};

static int generate(struct store *s, struct tz_error *err)
{
	struct new_keys *nk = secret_alloc(sizeof *nk);
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
	randombytes_buf(nk->seed, sizeof nk->seed);
	crypto_sign_seed_keypair(sign_pk, nk->sign_sk, nk->seed);
	crypto_box_keypair(box_pk, nk->box_sk);
	unsigned char id[SYNC_DEVICE_ID_NBYTES];
	char id_hex[SYNC_DEVICE_ID_NCHARS + 1], at[24];
	sync_device_id(sign_pk, id);
	sync_device_id_hex(id, id_hex);
	date_now_stamp(at);

	sqlite3_stmt *st;
	int rc = store_prepare(s,
			       "INSERT INTO sync_device_keys(device_id, sign_pk, sign_seed, box_pk, box_sk,"
			       " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			       &st, "保存设备密钥", err);
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, id_hex, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, sign_pk, sizeof sign_pk, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, nk->seed, sizeof nk->seed, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, box_pk, sizeof box_pk, SQLITE_STATIC);
		sqlite3_bind_blob(st, 5, nk->box_sk, sizeof nk->box_sk, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
		int src = sqlite3_step(st);
		sqlite3_clear_bindings(st);
		sqlite3_finalize(st);
		if (src != SQLITE_DONE)
			rc = store_sqlite_error(s, src, "保存设备密钥", err);
	}
	secret_free(nk);
	if (rc == TZ_OK)
		rc = store_audit(s, "sync.keys.create", id_hex, NULL, err);
	return rc;
}

int sync_keys_ensure(struct store *s, int *created, struct tz_error *err)
{
	if (created != NULL)
		*created = 0;
	int rc = secret_init(err);
	if (rc != TZ_OK)
		return rc;
	int exists = 0;
	rc = keys_exist(s, &exists, err);
	if (rc != TZ_OK || exists)
		return rc;
	int own_tx = !store_tx_active(s);
	if (own_tx) {
		rc = store_tx_begin(s, err);
		if (rc != TZ_OK)
			return rc;
		/* Another process may have made them since: look again under the lock. */
		rc = keys_exist(s, &exists, err);
	}
	if (rc == TZ_OK && !exists) {
		rc = generate(s, err);
		if (rc == TZ_OK && created != NULL)
			*created = 1;
	}
	if (own_tx) {
		if (rc == TZ_OK)
			rc = store_tx_commit(s, err);
		else
			store_tx_rollback(s);
	}
	if (rc != TZ_OK && created != NULL)
		*created = 0;
	return rc;
}

/* Fill the public part of this device's keys from a row of device_id, sign_pk,
 * box_pk. */
static int own_public_from_row(struct store *s, sqlite3_stmt *st, struct sync_public_key *out,
			       struct tz_error *err)
{
	const struct keyring *kr = store_keyring(s);
	out->kind = kr->kind;
	memcpy(out->division_code, kr->division_code, sizeof out->division_code);
	const char *id_hex = (const char *)sqlite3_column_text(st, 0);
	unsigned char id[SYNC_DEVICE_ID_NBYTES];
	if (sync_device_id_parse(id_hex, out->device_id) != 0 ||
	    !column_blob(st, 1, out->sign_pk, sizeof out->sign_pk) ||
	    !column_blob(st, 2, out->box_pk, sizeof out->box_pk))
		return tz_error_set(err, TZ_EDAMAGED, "本设备的密钥记录格式不对（台账可能被改动）");
	sync_device_id(out->sign_pk, id);
	if (memcmp(id, out->device_id, sizeof id) != 0)
		return tz_error_set(err, TZ_EDAMAGED, "本设备的设备号与公钥不符（台账可能被改动）");
	return TZ_OK;
}

int sync_keys_public(struct store *s, struct sync_public_key *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = sync_keys_ensure(s, NULL, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_stmt *st;
	rc = store_prepare(s, "SELECT device_id, sign_pk, box_pk FROM sync_device_keys", &st,
			   "读取设备公钥", err);
	if (rc != TZ_OK)
		return rc;
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		rc = own_public_from_row(s, st, out, err);
	else
		rc = store_sqlite_error(s, src == SQLITE_DONE ? SQLITE_CORRUPT : src,
					"读取设备公钥", err);
	sqlite3_finalize(st);
	return rc;
}

void sync_keys_free(struct sync_keys *k)
{
	if (k == NULL)
		return;
	secret_free(k->sign_sk);
	secret_free(k->box_sk);
	free(k);
}

int sync_keys_load(struct store *s, struct sync_keys **out, struct tz_error *err)
{
	*out = NULL;
	int rc = sync_keys_ensure(s, NULL, err);
	if (rc != TZ_OK)
		return rc;
	struct sync_keys *k = xcalloc(1, sizeof *k);
	unsigned char *seed = secret_alloc(crypto_sign_SEEDBYTES);
	k->sign_sk = secret_alloc(SYNC_SIGN_SK_NBYTES);
	k->box_sk = secret_alloc(SYNC_BOX_NBYTES);
	sqlite3_stmt *st;
	rc = store_prepare(s, "SELECT device_id, sign_pk, box_pk, sign_seed, box_sk FROM sync_device_keys",
			   &st, "读取设备密钥", err);
	if (rc == TZ_OK) {
		int src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			rc = own_public_from_row(s, st, &k->pub, err);
			if (rc == TZ_OK && (!column_blob(st, 3, seed, crypto_sign_SEEDBYTES) ||
					    !column_blob(st, 4, k->box_sk, SYNC_BOX_NBYTES)))
				rc = tz_error_set(err, TZ_EDAMAGED,
						  "本设备的密钥记录格式不对（台账可能被改动）");
		} else {
			rc = store_sqlite_error(s, src == SQLITE_DONE ? SQLITE_CORRUPT : src,
						"读取设备密钥", err);
		}
		sqlite3_finalize(st);
	}
	if (rc == TZ_OK) {
		unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
		crypto_sign_seed_keypair(sign_pk, k->sign_sk, seed);
		crypto_scalarmult_base(box_pk, k->box_sk);
		if (sodium_memcmp(sign_pk, k->pub.sign_pk, sizeof sign_pk) != 0 ||
		    sodium_memcmp(box_pk, k->pub.box_pk, sizeof box_pk) != 0)
			rc = tz_error_set(err, TZ_EDAMAGED,
					  "本设备的私钥与公钥不配对（台账可能被改动）");
	}
	secret_free(seed);
	if (rc != TZ_OK) {
		sync_keys_free(k);
		return rc;
	}
	*out = k;
	return TZ_OK;
}

/* ---- trust ---- */

static const char *kind_name(uint8_t kind)
{
	return kind == STORE_KIND_TOWN ? "镇" : "村";
}

/* Whether a village code and a town code name the same township. */
static int same_township(const char *a, const char *b)
{
	return memcmp(a, b, TOWN_PREFIX_NCHARS) == 0;
}

static int key_equal(const struct sync_public_key *a, const struct sync_public_key *b)
{
	return a->kind == b->kind && strcmp(a->division_code, b->division_code) == 0 &&
	       memcmp(a->device_id, b->device_id, sizeof a->device_id) == 0 &&
	       memcmp(a->sign_pk, b->sign_pk, sizeof a->sign_pk) == 0 &&
	       memcmp(a->box_pk, b->box_pk, sizeof a->box_pk) == 0;
}

/* Fill a peer key from columns device_id, division_code, sign_pk, box_pk starting
 * at column 0. */
static int peer_from_row(sqlite3_stmt *st, uint8_t kind, struct sync_public_key *out,
			 struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	const char *id_hex = (const char *)sqlite3_column_text(st, 0);
	const char *code = (const char *)sqlite3_column_text(st, 1);
	if (sync_device_id_parse(id_hex, out->device_id) != 0 || code == NULL ||
	    !division_code_valid(code) || !column_blob(st, 2, out->sign_pk, sizeof out->sign_pk) ||
	    !column_blob(st, 3, out->box_pk, sizeof out->box_pk))
		return tz_error_set(err, TZ_EDAMAGED, "受信任设备的记录格式不对（台账可能被改动）");
	memcpy(out->division_code, code, KEYRING_CODE_NCHARS + 1);
	return TZ_OK;
}

/* Run one statement that returns no rows; binds are done by the caller. */
static int step_done(struct store *s, sqlite3_stmt *st, const char *what, struct tz_error *err)
{
	int src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return store_sqlite_error(s, src, what, err);
	return TZ_OK;
}

static int require_kind(struct store *s, uint8_t kind, const char *what, struct tz_error *err)
{
	if (store_keyring(s)->kind == kind)
		return TZ_OK;
	if (kind == STORE_KIND_VILLAGE)
		return tz_error_set(err, TZ_EUSAGE,
				    "%s只能在村的台账上进行，这是镇的台账（镇里请用 taizhang enroll 登记村设备）",
				    what);
	return tz_error_set(err, TZ_EUSAGE,
			    "%s只能在镇扶贫办的台账上进行，这是村的台账（村里请用 taizhang trust 信任镇公钥）",
			    what);
}

/* Write k as the row sql inserts: ?1 k's device id in hex, ?2 its division
 * code, ?3 and ?4 its public keys, ?5 now, ?6 the store's user (the town's key
 * at a village, a village's device at the town). */
static int save_public_key(struct store *s, const char *sql, const struct sync_public_key *k,
			   const char *what, struct tz_error *err)
{
	char id_hex[SYNC_DEVICE_ID_NCHARS + 1], at[24];
	sync_device_id_hex(k->device_id, id_hex);
	date_now_stamp(at);
	sqlite3_stmt *st;
	int rc = store_prepare(s, sql, &st, what, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, k->division_code, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, k->sign_pk, sizeof k->sign_pk, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, k->box_pk, sizeof k->box_pk, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, store_user(s), -1, SQLITE_STATIC);
	return step_done(s, st, what, err);
}

static int trust_write(struct store *s, const struct sync_public_key *town, int existed,
		       const char *old_hex, struct tz_error *err)
{
	char id_hex[SYNC_DEVICE_ID_NCHARS + 1], detail[96];
	sync_device_id_hex(town->device_id, id_hex);
	int rc = save_public_key(s,
				 "INSERT OR REPLACE INTO sync_town_key(one, device_id, division_code, sign_pk,"
				 " box_pk, trusted_at, trusted_by) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
				 town, "保存镇公钥", err);
	if (rc != TZ_OK)
		return rc;
	if (existed)
		snprintf(detail, sizeof detail, "town %s replaces %s; recovery slot resealed",
			 town->division_code, old_hex);
	else
		snprintf(detail, sizeof detail, "town %s; recovery slot sealed",
			 town->division_code);
	return store_audit(s, existed ? "sync.trust.replace" : "sync.trust", id_hex, detail, err);
}

int sync_town_key_fits(const char *village_code, const struct sync_public_key *town,
		       struct tz_error *err)
{
	if (!division_code_valid(village_code))
		return tz_error_set(err, TZ_EUSAGE, "行政区划代码必须是 12 位数字，“%s”不是",
				    village_code);
	if (town->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EFAIL,
				    "这是%s设备（%s）的公钥文件，不是镇扶贫办的：请向镇扶贫办要镇的公钥文件",
				    kind_name(town->kind), town->division_code);
	if (!same_township(town->division_code, village_code))
		return tz_error_set(err, TZ_EFAIL,
				    "这个镇公钥属于行政区划 %s，不是本村（%s）所在的镇",
				    town->division_code, village_code);
	return TZ_OK;
}

/* Whether s's keyring has its recovery slot sealed to town's box key. */
static int recovery_sealed_to(struct store *s, const struct sync_public_key *town)
{
	const struct keyring *kr = store_keyring(s);
	int i = keyring_find_recovery(kr);
	return i >= 0 && memcmp(kr->slots[i].town_pk, town->box_pk, SYNC_BOX_NBYTES) == 0;
}

/* Inside the caller's transaction: seal the recovery slot to town, then commit
 * (a failed seal rolls back). Should the commit fail, the recovery slot is put
 * back as it was (best effort: resealed to the previous town key, or removed), so
 * that short of a crash in between, the keyring lets in only the town the
 * database trusts. */
static int seal_and_commit(struct store *s, const struct sync_public_key *town,
			   struct tz_error *err)
{
	const struct keyring *kr = store_keyring(s);
	int i = keyring_find_recovery(kr);
	struct keyring_slot prev;
	if (i >= 0)
		prev = kr->slots[i];
	int rc = store_recovery_seal(s, town->box_pk, town->division_code, err);
	if (rc != TZ_OK) {
		store_tx_rollback(s);
		return rc;
	}
	rc = store_tx_commit(s, err);
	if (rc != TZ_OK) {
		struct tz_error ignored;
		store_recovery_seal(s, i >= 0 ? prev.town_pk : NULL, i >= 0 ? prev.name : NULL,
				    &ignored);
	}
	return rc;
}

/* A village that trusts town already but whose recovery slot is missing or
 * sealed to another key (a keyring write that failed, or a store trusted before
 * the slot was written): seal it now. Audited. */
static int reseal(struct store *s, const struct sync_public_key *town, const char *id_hex,
		  struct tz_error *err)
{
	int rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	char detail[48];
	snprintf(detail, sizeof detail, "town %s", town->division_code);
	rc = store_audit(s, "sync.recovery.seal", id_hex, detail, err);
	if (rc != TZ_OK) {
		store_tx_rollback(s);
		return rc;
	}
	return seal_and_commit(s, town, err);
}

int sync_trust_town(struct store *s, const struct sync_public_key *town, unsigned flags,
		    enum sync_change *change, struct tz_error *err)
{
	*change = SYNC_UNCHANGED;
	int rc = require_kind(s, STORE_KIND_VILLAGE, "信任镇公钥", err);
	if (rc != TZ_OK)
		return rc;
	rc = sync_town_key_fits(store_keyring(s)->division_code, town, err);
	if (rc != TZ_OK)
		return rc;
	rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_stmt *st;
	rc = store_prepare(s, "SELECT device_id, division_code, sign_pk, box_pk FROM sync_town_key",
			   &st, "读取镇公钥", err);
	int existed = 0;
	struct sync_public_key old;
	if (rc == TZ_OK) {
		int src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			existed = 1;
			rc = peer_from_row(st, STORE_KIND_TOWN, &old, err);
		} else if (src != SQLITE_DONE) {
			rc = store_sqlite_error(s, src, "读取镇公钥", err);
		}
		sqlite3_finalize(st);
	}
	char old_hex[SYNC_DEVICE_ID_NCHARS + 1] = "";
	if (rc == TZ_OK && existed) {
		sync_device_id_hex(old.device_id, old_hex);
		if (key_equal(&old, town)) {
			store_tx_rollback(s);
			if (recovery_sealed_to(s, town))
				return TZ_OK;
			if (flags & SYNC_TRUST_CHECK_ONLY) {
				*change = SYNC_RESEALED;
				return TZ_OK;
			}
			rc = reseal(s, town, old_hex, err);
			if (rc == TZ_OK)
				*change = SYNC_RESEALED;
			return rc;
		}
		if (!(flags & SYNC_TRUST_REPLACE))
			rc = tz_error_set(err, TZ_EFAIL,
					  "本村已经信任了另一个镇公钥（设备号 %s）。如确需更换（例如镇里换了电脑），"
					  "请先与镇扶贫办电话核对新指纹，再加 --replace",
					  old_hex);
	}
	if (rc == TZ_OK && (flags & SYNC_TRUST_CHECK_ONLY)) {
		store_tx_rollback(s);
		*change = existed ? SYNC_REPLACED : SYNC_ADDED;
		return TZ_OK;
	}
	if (rc == TZ_OK)
		rc = trust_write(s, town, existed, old_hex, err);
	if (rc == TZ_OK)
		rc = seal_and_commit(s, town, err);
	else
		store_tx_rollback(s);
	if (rc == TZ_OK)
		*change = existed ? SYNC_REPLACED : SYNC_ADDED;
	return rc;
}

/* End the transaction an enrolment or a revocation opened: when rc is
 * TZ_OK, audit action on device id_hex of village code and commit; else (or
 * when that fails) roll back. Returns the status. */
static int finish_device_change(struct store *s, int rc, const char *action, const char *id_hex,
				const char *code, struct tz_error *err)
{
	if (rc == TZ_OK) {
		char detail[48];
		snprintf(detail, sizeof detail, "village %s", code);
		rc = store_audit(s, action, id_hex, detail, err);
	}
	if (rc == TZ_OK)
		return store_tx_commit(s, err);
	store_tx_rollback(s);
	return rc;
}

int sync_enroll(struct store *s, const struct sync_public_key *village, unsigned flags,
		enum sync_change *change, struct tz_error *err)
{
	*change = SYNC_UNCHANGED;
	int rc = require_kind(s, STORE_KIND_TOWN, "登记村设备", err);
	if (rc != TZ_OK)
		return rc;
	const char *own = store_keyring(s)->division_code;
	if (village->kind != STORE_KIND_VILLAGE)
		return tz_error_set(err, TZ_EFAIL,
				    "这是镇的公钥文件（%s），不是村设备的：请用村里 taizhang keys export 导出的文件",
				    village->division_code);
	if (!same_township(village->division_code, own))
		return tz_error_set(err, TZ_EFAIL,
				    "这个村设备属于行政区划 %s，不是本镇（%s）的村",
				    village->division_code, own);
	char id_hex[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(village->device_id, id_hex);
	rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_stmt *st;
	rc = store_prepare(s,
			   "SELECT device_id, division_code, sign_pk, box_pk, revoked, revoked_at"
			   " FROM sync_village_devices WHERE device_id = ?1 OR sign_pk = ?2",
			   &st, "读取已登记设备", err);
	int existed = 0, revoked = 0;
	char revoked_at[24] = "";
	struct sync_public_key old;
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, id_hex, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, village->sign_pk, sizeof village->sign_pk, SQLITE_STATIC);
		int src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			existed = 1;
			rc = peer_from_row(st, STORE_KIND_VILLAGE, &old, err);
			revoked = sqlite3_column_int(st, 4);
			const char *t = (const char *)sqlite3_column_text(st, 5);
			snprintf(revoked_at, sizeof revoked_at, "%s", t ? t : "");
		} else if (src != SQLITE_DONE) {
			rc = store_sqlite_error(s, src, "读取已登记设备", err);
		}
		sqlite3_finalize(st);
	}
	if (rc == TZ_OK && existed) {
		if (revoked)
			rc = tz_error_set(err, TZ_EFAIL,
					  "设备 %s 已于 %s 吊销，不能重新登记。换了电脑的村需要新建台账，用新设备的公钥登记",
					  id_hex, revoked_at);
		else if (!key_equal(&old, village))
			rc = tz_error_set(err, TZ_EFAIL,
					  "设备 %s 已经登记过，但登记的公钥或区划与这个文件不同：请核实文件来源",
					  id_hex);
		store_tx_rollback(s);
		return rc;
	}
	/* One live device per village: a second one would write the village's
	 * rows as the same owner on a chain of its own, and the two stores' rows
	 * collide at the town (README.md in src/sync/, rule A6). A replaced laptop
	 * is enrolled after the old one is revoked. */
	char live[SYNC_DEVICE_ID_NCHARS + 1] = "";
	if (rc == TZ_OK)
		rc = store_prepare(s,
				   "SELECT device_id FROM sync_village_devices WHERE division_code = ?1"
				   " AND revoked = 0 LIMIT 1",
				   &st, "读取已登记设备", err);
	if (rc == TZ_OK) {
		sqlite3_bind_text(st, 1, village->division_code, -1, SQLITE_STATIC);
		int src = sqlite3_step(st);
		if (src == SQLITE_ROW)
			snprintf(live, sizeof live, "%s", (const char *)sqlite3_column_text(st, 0));
		else if (src != SQLITE_DONE)
			rc = store_sqlite_error(s, src, "读取已登记设备", err);
		sqlite3_finalize(st);
	}
	if (rc == TZ_OK && live[0]) {
		store_tx_rollback(s);
		return tz_error_set(err, TZ_EFAIL,
				    "村 %s 已有登记的设备 %s：一个村只能有一台登记的电脑。"
				    "换了电脑请先吊销旧设备（taizhang revoke %s），再登记新设备",
				    village->division_code, live, live);
	}
	if (rc == TZ_OK && (flags & SYNC_TRUST_CHECK_ONLY)) {
		store_tx_rollback(s);
		*change = SYNC_ADDED;
		return TZ_OK;
	}
	if (rc == TZ_OK)
		rc = save_public_key(s,
				     "INSERT INTO sync_village_devices(device_id, division_code, sign_pk,"
				     " box_pk, enrolled_at, enrolled_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				     village, "登记村设备", err);
	rc = finish_device_change(s, rc, "sync.enroll", id_hex, village->division_code, err);
	if (rc == TZ_OK)
		*change = SYNC_ADDED;
	return rc;
}

int sync_revoke(struct store *s, const unsigned char id[SYNC_DEVICE_ID_NBYTES],
		enum sync_change *change, struct tz_error *err)
{
	*change = SYNC_UNCHANGED;
	int rc = require_kind(s, STORE_KIND_TOWN, "吊销村设备", err);
	if (rc != TZ_OK)
		return rc;
	char id_hex[SYNC_DEVICE_ID_NCHARS + 1], at[24];
	sync_device_id_hex(id, id_hex);
	rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	const char *params[] = { id_hex };
	sqlite3_stmt *row;
	rc = store_query_one(s, "SELECT revoked, division_code FROM sync_village_devices WHERE device_id = ?1",
			     params, 1, &row, "读取已登记设备", err);
	int found = row != NULL, revoked = 0;
	char code[KEYRING_CODE_NCHARS + 1] = "";
	if (row != NULL) {
		revoked = sqlite3_column_int(row, 0);
		const char *t = (const char *)sqlite3_column_text(row, 1);
		snprintf(code, sizeof code, "%s", t ? t : "");
		sqlite3_finalize(row);
	}
	if (rc == TZ_OK && !found)
		rc = tz_error_set(err, TZ_EFAIL,
				  "没有登记过设备号为 %s 的村设备（taizhang keys show 列出已登记的设备）",
				  id_hex);
	if (rc != TZ_OK || revoked) {
		store_tx_rollback(s);
		return rc;
	}
	date_now_stamp(at);
	const char *revoke[] = { id_hex, at, store_user(s) };
	rc = store_exec_params(s,
			       "UPDATE sync_village_devices SET revoked = 1, revoked_at = ?2, revoked_by = ?3"
			       " WHERE device_id = ?1",
			       revoke, 3, "吊销村设备", err);
	rc = finish_device_change(s, rc, "sync.revoke", id_hex, code, err);
	if (rc == TZ_OK)
		*change = SYNC_REVOKED;
	return rc;
}

int sync_peers_list(struct store *s, int (*each)(void *ctx, const struct sync_peer *p),
		    void *ctx, struct tz_error *err)
{
	int town = store_keyring(s)->kind == STORE_KIND_TOWN;
	const char *sql = town
		? "SELECT device_id, division_code, sign_pk, box_pk, enrolled_at, revoked, revoked_at"
		  " FROM sync_village_devices ORDER BY division_code, enrolled_at, device_id"
		: "SELECT device_id, division_code, sign_pk, box_pk, trusted_at, 0, NULL"
		  " FROM sync_town_key";
	sqlite3_stmt *st;
	int rc = store_prepare(s, sql, &st, "读取受信任设备", err);
	if (rc != TZ_OK)
		return rc;
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct sync_peer p;
		memset(&p, 0, sizeof p);
		rc = peer_from_row(st, town ? STORE_KIND_VILLAGE : STORE_KIND_TOWN, &p.key, err);
		if (rc != TZ_OK)
			break;
		const char *since = (const char *)sqlite3_column_text(st, 4);
		const char *revoked_at = (const char *)sqlite3_column_text(st, 6);
		p.revoked = sqlite3_column_int(st, 5);
		snprintf(p.since, sizeof p.since, "%s", since ? since : "");
		snprintf(p.revoked_at, sizeof p.revoked_at, "%s", revoked_at ? revoked_at : "");
		rc = each(ctx, &p);
		if (rc != 0)
			break;
	}
	sqlite3_finalize(st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(s, src, "读取受信任设备", err);
	return rc;
}

int sync_keys_bundle_lookup(void *ctx, const unsigned char sender[BUNDLE_DEVICE_ID_NBYTES],
			    unsigned char sign_pk[BUNDLE_SIGN_PK_NBYTES],
			    enum bundle_sender *status, struct tz_error *err)
{
	struct store *s = ctx;
	*status = BUNDLE_SENDER_UNKNOWN;
	int town = store_keyring(s)->kind == STORE_KIND_TOWN;
	char id_hex[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(sender, id_hex);
	sqlite3_stmt *st;
	int rc = store_prepare(s,
			       town ? "SELECT sign_pk, revoked FROM sync_village_devices WHERE device_id = ?1"
				    : "SELECT sign_pk, 0 FROM sync_town_key WHERE device_id = ?1",
			       &st, "查找发送设备", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id_hex, -1, SQLITE_STATIC);
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		if (!column_blob(st, 0, sign_pk, BUNDLE_SIGN_PK_NBYTES))
			rc = tz_error_set(err, TZ_EDAMAGED, "受信任设备的记录格式不对（台账可能被改动）");
		else
			*status = sqlite3_column_int(st, 1) ? BUNDLE_SENDER_REVOKED
							    : BUNDLE_SENDER_TRUSTED;
	} else if (src != SQLITE_DONE) {
		rc = store_sqlite_error(s, src, "查找发送设备", err);
	}
	sqlite3_finalize(st);
	return rc;
}
