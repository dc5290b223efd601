/*
 * bundle.h — the bundle codec: one signed, encrypted file carried on a USB stick
 * from one device to another (a village's changes to the town office, the town's
 * receipts and dispatches back), and the careful file I/O those sticks need.
 *
 * The codec is pure: it knows nothing of stores, outboxes or SQL. It turns a
 * payload plus the sender's signing key and the recipient's encryption key into
 * file bytes, and back. The layout is documented byte by byte in
 * src/sync/bundle.c.
 *
 * Decoding verifies the sender's Ed25519 signature over the whole file before it
 * decrypts or interprets anything beyond the few fixed header fields it needs to
 * find that signature and the sender's key. Every way a file can be wrong is a
 * distinct enum bundle_fault with its own message; all of them are TZ_EDAMAGED
 * (exit 4), except a sender whose device was revoked (TZ_EAUTH, exit 3).
 */
#ifndef TAIZHANG_BUNDLE_H
#define TAIZHANG_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/error.h"

#define BUNDLE_FORMAT_VERSION 1
#define BUNDLE_SUITE 1                  /* the one cipher suite (bundle.c) */
#define BUNDLE_MAGIC_NBYTES 8
#define BUNDLE_HEADER_NBYTES 136
#define BUNDLE_SIGNATURE_NBYTES 64
#define BUNDLE_DEVICE_ID_NBYTES 8
#define BUNDLE_HASH_NBYTES 32
#define BUNDLE_CHUNK_NBYTES 65536       /* plaintext bytes per secretstream chunk */
#define BUNDLE_CHUNK_OVERHEAD_NBYTES 17 /* crypto_secretstream_xchacha20poly1305_ABYTES */
#define BUNDLE_MAX_PAYLOAD_NBYTES ((uint64_t)1 << 30)
#define BUNDLE_SIGN_SK_NBYTES 64        /* crypto_sign_SECRETKEYBYTES */
#define BUNDLE_SIGN_PK_NBYTES 32
#define BUNDLE_BOX_NBYTES 32            /* X25519 public and secret keys */

/* The fixed header fields a bundle carries (all covered by its signature). */
struct bundle_header {
	uint16_t version;        /* BUNDLE_FORMAT_VERSION */
	uint16_t suite;          /* BUNDLE_SUITE */
	uint32_t schema_version; /* the sender store's PRAGMA user_version */
	unsigned char sender[BUNDLE_DEVICE_ID_NBYTES];
	unsigned char recipient[BUNDLE_DEVICE_ID_NBYTES];
	uint64_t seq;            /* per sending device, counted by the caller */
	uint64_t payload_nbytes;
	unsigned char prev_hash[BUNDLE_HASH_NBYTES]; /* bundle_hash of the previous one */
};

/* Everything that can be wrong with a bundle file, in the order the decoder
 * checks. */
enum bundle_fault {
	BUNDLE_FAULT_NONE = 0,
	BUNDLE_FAULT_MAGIC,          /* not a taizhang bundle at all */
	BUNDLE_FAULT_VERSION,        /* a format version this program does not know */
	BUNDLE_FAULT_SUITE,          /* a cipher suite this program does not know */
	BUNDLE_FAULT_LENGTH,         /* the payload length field is impossible */
	BUNDLE_FAULT_TRUNCATED,      /* the file ends early */
	BUNDLE_FAULT_TRAILING,       /* bytes after the signature */
	BUNDLE_FAULT_UNKNOWN_SENDER, /* no key for the sender device: unverifiable */
	BUNDLE_FAULT_REVOKED_SENDER, /* the sender device was revoked (TZ_EAUTH) */
	BUNDLE_FAULT_SIGNATURE,      /* the signature does not verify: altered */
	BUNDLE_FAULT_RECIPIENT,      /* signed, but addressed to another device */
	BUNDLE_FAULT_DECRYPT,        /* a chunk does not decrypt (wrong key or damage) */
	BUNDLE_FAULT_STREAM,         /* chunk tags wrong: final tag missing or early */
	BUNDLE_FAULT_LOCAL,          /* not the file's fault: the lookup failed, or memory */
};

/* What a lookup says about a sender device. */
enum bundle_sender {
	BUNDLE_SENDER_UNKNOWN = 0,
	BUNDLE_SENDER_TRUSTED = 1,
	BUNDLE_SENDER_REVOKED = 2,
};

/* Look up the Ed25519 public key of the device sender. On TZ_OK *status says
 * what the device is, and sign_pk is filled when it is BUNDLE_SENDER_TRUSTED.
 * Any other return means the lookup itself failed (err filled); the decoder
 * passes that status on as BUNDLE_FAULT_LOCAL. */
typedef int (*bundle_lookup_fn)(void *ctx, const unsigned char sender[BUNDLE_DEVICE_ID_NBYTES],
				unsigned char sign_pk[BUNDLE_SIGN_PK_NBYTES],
				enum bundle_sender *status, struct tz_error *err);

/* The receiving device, as the decoder needs it. box_sk should live in secret
 * memory (secret.h). */
struct bundle_recipient {
	unsigned char device_id[BUNDLE_DEVICE_ID_NBYTES];
	const unsigned char *box_pk; /* X25519 public key, BUNDLE_BOX_NBYTES */
	const unsigned char *box_sk; /* X25519 secret key, BUNDLE_BOX_NBYTES */
	bundle_lookup_fn lookup;     /* finds the sender's signing key */
	void *lookup_ctx;
};

/* Encode payload (payload_nbytes bytes, at most BUNDLE_MAX_PAYLOAD_NBYTES; NULL
 * is fine when 0) into a bundle from h->sender to h->recipient with h->seq,
 * h->prev_hash and h->schema_version; h->version, h->suite and
 * h->payload_nbytes are ignored. sign_sk is the sender's Ed25519 secret key,
 * recipient_box_pk the recipient's X25519 public key. A fresh one-time key is
 * drawn for every call, so two encodings of the same payload differ.
 * On TZ_OK *out (malloc'd, caller frees) holds *out_nbytes bytes. Returns
 * TZ_EFAIL (message in err) when the payload is too large, the recipient key is
 * unusable or memory runs out. */
int bundle_encode(const struct bundle_header *h, const unsigned char *sign_sk,
		  const unsigned char *recipient_box_pk, const unsigned char *payload,
		  size_t payload_nbytes, unsigned char **out, size_t *out_nbytes,
		  struct tz_error *err);

/* Decode the bundle file (file_nbytes bytes) addressed to me. Checks, in order:
 * magic, version, suite, lengths; looks up the sender; verifies the signature;
 * checks the recipient; decrypts every chunk and requires the final tag on the
 * last one and only there. On TZ_OK *h holds the header fields and *payload
 * (malloc'd, free with bundle_payload_free; NULL when empty) holds
 * *payload_nbytes bytes. On failure nothing is returned but the status, err and
 * *fault (may be NULL); *h is zeroed. */
int bundle_decode(const unsigned char *file, size_t file_nbytes,
		  const struct bundle_recipient *me, struct bundle_header *h,
		  unsigned char **payload, size_t *payload_nbytes,
		  enum bundle_fault *fault, struct tz_error *err);

/* Parse only the fixed header, WITHOUT verifying anything cryptographic: for
 * showing what a file on a stick claims to be before it is imported. Performs
 * the decoder's structural checks (magic, version, suite, lengths). Returns TZ_OK
 * or TZ_EDAMAGED with *fault (may be NULL) and err. */
int bundle_read_header(const unsigned char *file, size_t file_nbytes,
		       struct bundle_header *h, enum bundle_fault *fault,
		       struct tz_error *err);

/* Only the sender and seq from the first BUNDLE_HEADER_NBYTES of a file, for
 * ordering the files of a folder before importing them: nothing is verified.
 * Returns 0, or -1 when head is too short or not a bundle's. */
int bundle_peek_order(const unsigned char *head, size_t nbytes,
		      unsigned char sender[BUNDLE_DEVICE_ID_NBYTES], uint64_t *seq);

/* Wipe and free a payload from bundle_decode; NULL is ignored. */
void bundle_payload_free(unsigned char *payload, size_t payload_nbytes);

/* The hash that chains a device's bundles: BLAKE2b-256 of the whole file (the
 * same value as `b2sum -l 256 FILE`). */
void bundle_hash(const unsigned char *file, size_t file_nbytes,
		 unsigned char out[BUNDLE_HASH_NBYTES]);

/* ---- files on sticks ---- */

/* Read the whole regular file at path, refusing files over max_nbytes. On TZ_OK
 * *data (malloc'd, caller frees; never NULL, NUL-terminated for convenience)
 * holds *nbytes bytes. Returns TZ_EFAIL with a message otherwise. */
int bundle_file_read(const char *path, size_t max_nbytes, unsigned char **data,
		     size_t *nbytes, struct tz_error *err);

/* Write data to path the way a USB stick needs: path.part, fsync, rename over
 * path, fsync the directory, then read the file back from the device and compare.
 * Unless replace, an existing path is refused (TZ_EFAIL). On failure the .part
 * file is removed and path is either untouched or (only if the final read-back
 * fails) left for the caller to judge: the message says which. */
int bundle_file_write(const char *path, const unsigned char *data, size_t nbytes,
		      int replace, struct tz_error *err);

#endif
