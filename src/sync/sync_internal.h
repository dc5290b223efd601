/*
 * sync_internal.h — what the files of src/sync/ share and nothing else sees: the
 * payload codec (payload.c), applying a peer's changesets (apply.c), and small
 * helpers.
 */
#ifndef TAIZHANG_SYNC_INTERNAL_H
#define TAIZHANG_SYNC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "taizhang/error.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"

/* ---- payload (payload.c) ---- */

#define PAYLOAD_VERSION 1
#define PAYLOAD_KIND_CHANGES 1
#define PAYLOAD_KIND_SNAPSHOT 2 /* snapshot.c: a whole village, to restore */

struct payload_entry {
	uint64_t outbox_id;          /* the sender's outbox id, > the previous entry's */
	const unsigned char *changeset; /* borrowed from the payload bytes / the encoder's input */
	size_t changeset_nbytes;
};

struct payload {
	uint8_t kind;                             /* PAYLOAD_KIND_CHANGES */
	uint8_t from_kind;                        /* enum store_kind of the sender */
	char from_code[SYNC_CODE_NCHARS + 1];     /* the sender store's division code */
	char village[SYNC_CODE_NCHARS + 1];       /* the village the bundle concerns */
	uint64_t ack_seq;                         /* receipt: the receiver's seqs applied */
	uint64_t outbox_from, outbox_upto;        /* entries carried lie in from..upto */
	struct payload_entry *entries;
	size_t nentries;
	unsigned char *inflated; /* decoder's own copy of a packed payload (internal) */
	size_t inflated_nbytes;
};

/* Encode p into *out (malloc'd, *out_nbytes). TZ_OK or TZ_EFAIL (memory). */
int payload_encode(const struct payload *p, unsigned char **out, size_t *out_nbytes,
		   struct tz_error *err);

/* Pack an encoded payload for a bundle: deflated (zlib) when that makes it
 * smaller, else as it is. *out is malloc'd (caller frees). */
void payload_pack(const unsigned char *plain, size_t nbytes, unsigned char **out,
		  size_t *out_nbytes);

/* Parse nbytes of data (an encoded payload, packed or not) into p; p->entries (malloc'd, free with payload_free)
 * point into data (or into p's own inflated copy), which must outlive p. TZ_OK or TZ_EDAMAGED naming what is
 * wrong. */
int payload_decode(const unsigned char *data, size_t nbytes, struct payload *p,
		   struct tz_error *err);
void payload_free(struct payload *p);

/* ---- apply (apply.c) ---- */

/* Who sent the changes being applied, and where they land. */
struct apply_context {
	struct store *s;
	int at_town;                            /* this store is the town's */
	int snapshot;                           /* restoring a town-signed snapshot:
						   every synced table allowed */
	const char *sender_code;                /* the sender store's division code */
	const char *village;                    /* the village concerned */
	const char *peer;                       /* sender device id, hex */
	uint64_t seq;
	size_t changes;                         /* out: rows changed */
	size_t conflicts;                       /* out: conflict ledger rows added */
};

/* Check every change of changeset against what the sender may write, then
 * apply it inside the caller's open transaction, recording conflicts. Returns
 * TZ_OK; TZ_EDAMAGED when a change is not the sender's to make or the changeset
 * does not fit this database (nothing of this changeset applied; the caller
 * rolls back); TZ_EFAIL otherwise. */
int apply_changeset(struct apply_context *a, const unsigned char *changeset,
		    size_t nbytes, struct tz_error *err);

/* The current UTC time as YYYY-MM-DDTHH:MM:SSZ. */
void sync_now(char out[SYNC_STAMP_NCHARS + 1]);

#endif
