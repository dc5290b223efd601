/*
 * bundle_peers.h — the receiving side of a bundle as the bundle tests
 * (tests/unit/test_bundle.c) and the bundle fuzz target (tests/fuzz/
 * fuzz_bundle.c) both play it: a small directory of known senders behind
 * bundle_recipient's lookup, and a bundle's signature made straight from the
 * format documented in src/sync/bundle.c, without bundle_encode.
 *
 * Header only, because each fuzz target is a single translation unit. Not the
 * program's lookup (that reads the store's keys, src/sync/keys.c).
 */
#ifndef TZ_TEST_BUNDLE_PEERS_H
#define TZ_TEST_BUNDLE_PEERS_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "taizhang/bundle.h"

#define PEERS_MAX 4

/* The senders a receiver knows: each device id with its signing key and
 * standing. */
struct peers {
	size_t n;
	struct peer {
		unsigned char id[BUNDLE_DEVICE_ID_NBYTES];
		const unsigned char *sign_pk; /* BUNDLE_SIGN_PK_NBYTES, not owned */
		enum bundle_sender status;
	} peer[PEERS_MAX];
};

/* Add the sender id with sign_pk (kept, not copied) and status to p. */
static inline void peers_add(struct peers *p, const unsigned char *id, const unsigned char *sign_pk,
			     enum bundle_sender status)
{
	if (p->n == PEERS_MAX)
		abort();
	struct peer *e = &p->peer[p->n++];
	memcpy(e->id, id, BUNDLE_DEVICE_ID_NBYTES);
	e->sign_pk = sign_pk;
	e->status = status;
}

/* A bundle_lookup_fn over the struct peers at ctx: a known sender's key and
 * standing, BUNDLE_SENDER_UNKNOWN for anyone else. Always TZ_OK. */
static inline int peers_lookup(void *ctx, const unsigned char sender[BUNDLE_DEVICE_ID_NBYTES],
			       unsigned char sign_pk[BUNDLE_SIGN_PK_NBYTES], enum bundle_sender *status,
			       struct tz_error *err)
{
	(void)err;
	const struct peers *p = ctx;
	*status = BUNDLE_SENDER_UNKNOWN;
	for (size_t i = 0; i < p->n; i++) {
		if (memcmp(sender, p->peer[i].id, BUNDLE_DEVICE_ID_NBYTES) == 0) {
			memcpy(sign_pk, p->peer[i].sign_pk, BUNDLE_SIGN_PK_NBYTES);
			*status = p->peer[i].status;
		}
	}
	return TZ_OK;
}

/* The receiver device id with the box key pair box_pk/box_sk (kept, not
 * copied), looking senders up in p. */
static inline struct bundle_recipient peers_recipient(const unsigned char *id, const unsigned char *box_pk,
						      const unsigned char *box_sk, struct peers *p)
{
	struct bundle_recipient r;
	memcpy(r.device_id, id, sizeof r.device_id);
	r.box_pk = box_pk;
	r.box_sk = box_sk;
	r.lookup = peers_lookup;
	r.lookup_ctx = p;
	return r;
}

/* Sign the bundle file of n bytes (at least the signature's) with sign_sk as
 * documented: Ed25519 over BLAKE2b-512(context ‖ everything before the
 * signature), written over its last BUNDLE_SIGNATURE_NBYTES. */
static inline void peers_sign_as_documented(unsigned char *file, size_t n, const unsigned char *sign_sk)
{
	unsigned char digest[64];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof digest);
	crypto_generichash_update(&st, (const unsigned char *)"taizhang-bundle-signature-v1", 28);
	crypto_generichash_update(&st, file, n - BUNDLE_SIGNATURE_NBYTES);
	crypto_generichash_final(&st, digest, sizeof digest);
	crypto_sign_detached(file + n - BUNDLE_SIGNATURE_NBYTES, NULL, digest, sizeof digest, sign_sk);
}

#endif
