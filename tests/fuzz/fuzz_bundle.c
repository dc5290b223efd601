/*
 * fuzz_bundle.c — a libFuzzer target for the bundle decoder (src/sync/bundle.c).
 *
 * The first input byte picks a mode, the rest is a bundle file:
 *   even  decoded as it is: magic, version, lengths, sender lookup and the
 *         signature check (which a mutated file almost never passes);
 *   odd   re-signed first with the fuzzer's own village key (when it is long
 *         enough to have a signature), so that the fuzzer also reaches what lies
 *         behind the signature: the recipient check, the key agreement with a
 *         mutated one-time key, the chunk layout, decryption and the tags.
 * bundle_read_header sees every input too. The keys come from fixed seeds, so
 * the seed corpus decodes and every run is reproducible.
 *
 * Started with TZ_FUZZ_SEEDS=DIR it writes that seed corpus instead
 * (fuzz_common.h); tests/fuzz/run.sh does so, then runs a session.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fuzz_common.h"
#include "taizhang/bundle.h"

#include "../unit/bundle_peers.h"

struct keys {
	unsigned char village_id[BUNDLE_DEVICE_ID_NBYTES];
	unsigned char village_sign_pk[32], village_sign_sk[64];
	unsigned char town_id[BUNDLE_DEVICE_ID_NBYTES];
	unsigned char town_box_pk[32], town_box_sk[32];
	struct peers town_knows; /* the village, and a revoked device with its key */
};

static struct keys *keys_get(void)
{
	static struct keys k;
	static int ready;
	if (!ready) {
		if (sodium_init() < 0)
			abort();
		unsigned char seed[32];
		memset(seed, 0x01, sizeof seed);
		crypto_sign_seed_keypair(k.village_sign_pk, k.village_sign_sk, seed);
		memset(seed, 0x02, sizeof seed);
		crypto_box_seed_keypair(k.town_box_pk, k.town_box_sk, seed);
		memcpy(k.village_id, "village1", 8);
		memcpy(k.town_id, "townhall", 8);
		peers_add(&k.town_knows, k.village_id, k.village_sign_pk, BUNDLE_SENDER_TRUSTED);
		peers_add(&k.town_knows, (const unsigned char *)"revoked!", k.village_sign_pk,
			  BUNDLE_SENDER_REVOKED);
		ready = 1;
	}
	return &k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct keys *k = keys_get();
	size_t n = size - 1;
	/* An exact-size copy, so any read past the end is caught. */
	unsigned char *file = malloc(n ? n : 1);
	if (file == NULL)
		return 0;
	memcpy(file, data + 1, n);
	if ((data[0] & 1) && n >= BUNDLE_SIGNATURE_NBYTES)
		peers_sign_as_documented(file, n, k->village_sign_sk);

	struct bundle_header h;
	enum bundle_fault fault;
	struct tz_error err;
	int rc = bundle_read_header(file, n, &h, &fault, &err);
	if ((rc == TZ_OK) != (fault == BUNDLE_FAULT_NONE))
		abort();

	struct bundle_recipient me = peers_recipient(k->town_id, k->town_box_pk, k->town_box_sk, &k->town_knows);
	unsigned char *payload = NULL;
	size_t payload_nbytes = 0;
	rc = bundle_decode(file, n, &me, &h, &payload, &payload_nbytes, &fault, &err);
	if (rc == TZ_OK) {
		/* Whatever decodes must say exactly what it holds. */
		if (fault != BUNDLE_FAULT_NONE || h.payload_nbytes != payload_nbytes ||
		    (payload_nbytes > 0) != (payload != NULL))
			abort();
		bundle_payload_free(payload, payload_nbytes);
	} else if (payload != NULL || payload_nbytes != 0 || fault == BUNDLE_FAULT_NONE ||
		   err.msg[0] == '\0') {
		abort();
	}
	free(file);
	return 0;
}

static int write_seeds(const char *dir)
{
	struct keys *k = keys_get();
	static const size_t sizes[] = { 0, 1, 37, 300 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char payload[300];
		for (size_t j = 0; j < sizeof payload; j++)
			payload[j] = (unsigned char)(j * 7);
		struct bundle_header h;
		memset(&h, 0, sizeof h);
		memcpy(h.sender, i == 3 ? (const unsigned char *)"stranger" : k->village_id, 8);
		memcpy(h.recipient, i == 2 ? (const unsigned char *)"otherone" : k->town_id, 8);
		h.seq = i + 1;
		h.schema_version = 5;
		unsigned char *file;
		size_t n;
		struct tz_error err;
		if (bundle_encode(&h, k->village_sign_sk, k->town_box_pk, payload, sizes[i], &file, &n,
				  &err) != TZ_OK) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		char name[32];
		snprintf(name, sizeof name, "plain-%zu", i);
		fuzz_seed_write_mode(dir, name, 0, file, n);
		snprintf(name, sizeof name, "resign-%zu", i);
		fuzz_seed_write_mode(dir, name, 1, file, n);
		free(file);
	}
	return 0;
}

FUZZ_SEEDS_FROM(write_seeds)
