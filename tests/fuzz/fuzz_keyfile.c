/*
 * fuzz_keyfile.c — a libFuzzer target for public key files (sync_pubkey_parse,
 * src/sync/keys.c): what `taizhang trust` and `enroll` read from a USB stick,
 * which anyone may have written. The first input byte picks how:
 *   even  the rest is the file, parsed as it is (layout, encoding, magic,
 *         then the self-signature, which a mutated file almost never passes);
 *   odd   the rest gives the public fields (kind, reserved bytes, division
 *         code, device id, box key: the key record's bytes 9..95) of a file
 *         the target writes and signs itself (sync_pubkey_file with a fixed
 *         signing key), so that the checks behind the signature (the kind,
 *         the code, the device id, a small-order box key) see fuzzed values.
 * An accepted key must be one the rest of the program can use: a known kind,
 * a valid 12-digit code, a device id that is its signing key's.
 *
 * Seeds (TZ_FUZZ_SEEDS=DIR): the key files of a real village and town store,
 * as written, with CRLF, and without the newline; and the fields of each.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fuzz_common.h"
#include "taizhang/division.h"
#include "taizhang/sync_keys.h"

/* The record's fields after the magic and version, as keys.c lays them out. */
#define FIELDS_NBYTES (1 + 1 + 2 + KEYRING_CODE_NCHARS + SYNC_DEVICE_ID_NBYTES + SYNC_SIGN_PK_NBYTES + SYNC_BOX_NBYTES)

static void check_accepted(const struct sync_public_key *k)
{
	unsigned char id[SYNC_DEVICE_ID_NBYTES];
	sync_device_id(k->sign_pk, id);
	if ((k->kind != STORE_KIND_VILLAGE && k->kind != STORE_KIND_TOWN) ||
	    !division_code_valid(k->division_code) || memcmp(id, k->device_id, sizeof id) != 0)
		abort();
	char fp[SYNC_FINGERPRINT_NCHARS + 1];
	sync_fingerprint(k, fp);
	struct tz_error err;
	sync_town_key_fits("341522104201", k, &err);
}

/* A key file for fields (FIELDS_NBYTES, shorter ones zero-padded) signed with
 * a fixed key; the signing key in the fields is replaced by that key. */
static void signed_file(const unsigned char *fields, size_t n, char out[SYNC_PUBKEY_FILE_NBYTES + 1])
{
	static unsigned char sign_pk[SYNC_SIGN_PK_NBYTES], sign_sk[SYNC_SIGN_SK_NBYTES];
	static int ready;
	if (!ready) {
		unsigned char seed[32];
		memset(seed, 0x07, sizeof seed);
		crypto_sign_seed_keypair(sign_pk, sign_sk, seed);
		ready = 1;
	}
	unsigned char f[FIELDS_NBYTES] = { 0 };
	memcpy(f, fields, n < sizeof f ? n : sizeof f);
	struct sync_keys k = { .sign_sk = sign_sk };
	k.pub.kind = f[0];
	memcpy(k.pub.division_code, f + 4, KEYRING_CODE_NCHARS); /* as bytes, not checked here */
	memcpy(k.pub.device_id, f + 16, SYNC_DEVICE_ID_NBYTES);
	if (f[1] & 1) /* mostly the right id, sometimes the fuzzer's */
		sync_device_id(sign_pk, k.pub.device_id);
	memcpy(k.pub.sign_pk, sign_pk, sizeof sign_pk);
	memcpy(k.pub.box_pk, f + 16 + SYNC_DEVICE_ID_NBYTES + SYNC_SIGN_PK_NBYTES, SYNC_BOX_NBYTES);
	sync_pubkey_file(&k, out);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = size - 1;
	unsigned char *file = malloc(n ? n : 1); /* exact size: a read past the end is caught */
	if (file == NULL)
		return 0;
	memcpy(file, data + 1, n);
	char made[SYNC_PUBKEY_FILE_NBYTES + 1];
	const unsigned char *in = file;
	size_t in_n = n;
	if (data[0] & 1) {
		signed_file(file, n, made);
		in = (const unsigned char *)made;
		in_n = SYNC_PUBKEY_FILE_NBYTES;
	}
	struct sync_public_key k;
	struct tz_error err;
	int rc = sync_pubkey_parse(in, in_n, &k, &err);
	if (rc == TZ_OK)
		check_accepted(&k);
	else if (rc != TZ_EDAMAGED || err.msg[0] == '\0' || k.kind != 0)
		abort();
	free(file);
	return 0;
}

static void store_seeds(const char *dir, const char *name, enum store_kind kind, const char *code)
{
	struct store *s = fuzz_store_create(name, kind, code, "单位");
	struct sync_keys *k;
	struct tz_error err;
	if (sync_keys_load(s, &k, &err) != TZ_OK) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
	char file[SYNC_PUBKEY_FILE_NBYTES + 1], seedname[64];
	sync_pubkey_file(k, file);
	snprintf(seedname, sizeof seedname, "%s-key", name);
	fuzz_seed_write_mode(dir, seedname, 0, file, SYNC_PUBKEY_FILE_NBYTES);
	snprintf(seedname, sizeof seedname, "%s-key-no-newline", name);
	fuzz_seed_write_mode(dir, seedname, 0, file, SYNC_PUBKEY_FILE_NBYTES - 1);
	file[SYNC_PUBKEY_FILE_NBYTES - 1] = '\r';
	char crlf[SYNC_PUBKEY_FILE_NBYTES + 1];
	memcpy(crlf, file, SYNC_PUBKEY_FILE_NBYTES);
	crlf[SYNC_PUBKEY_FILE_NBYTES] = '\n';
	snprintf(seedname, sizeof seedname, "%s-key-crlf", name);
	fuzz_seed_write_mode(dir, seedname, 0, crlf, sizeof crlf);
	unsigned char f[FIELDS_NBYTES] = { 0 };
	f[0] = k->pub.kind;
	f[1] = 1;
	memcpy(f + 4, k->pub.division_code, KEYRING_CODE_NCHARS);
	memcpy(f + 16, k->pub.device_id, SYNC_DEVICE_ID_NBYTES);
	memcpy(f + 16 + SYNC_DEVICE_ID_NBYTES, k->pub.sign_pk, SYNC_SIGN_PK_NBYTES);
	memcpy(f + 16 + SYNC_DEVICE_ID_NBYTES + SYNC_SIGN_PK_NBYTES, k->pub.box_pk, SYNC_BOX_NBYTES);
	snprintf(seedname, sizeof seedname, "%s-fields", name);
	fuzz_seed_write_mode(dir, seedname, 1, f, sizeof f);
	sync_keys_free(k);
	store_close(s);
}

static int write_seeds(const char *dir)
{
	store_seeds(dir, "village", STORE_KIND_VILLAGE, "341522104201");
	store_seeds(dir, "town", STORE_KIND_TOWN, "341522104000");
	return 0;
}

FUZZ_SEEDS_FROM(write_seeds)
