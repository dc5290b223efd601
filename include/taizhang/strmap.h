/*
 * strmap.h — a map from byte strings to numbers (most often an index into the
 * caller's own array), for the passes that read a whole table once and group
 * its rows by a text key in C: a household id, an ID number.
 *
 * Keys are hashed with SipHash-2-4 (libsodium's crypto_shorthash) under a key
 * drawn at random for each map. The keys come from stores and bundles, which a
 * dishonest village can craft; with a fixed hash it could pick ids that all
 * collide, and every lookup would then walk all of them.
 *
 * The map copies the keys it holds; values are the caller's.
 *
 *     struct strmap m;
 *     strmap_init(&m);
 *     int added;
 *     size_t *v = strmap_put(&m, id, strlen(id), &added);
 *     if (added) *v = n_households++;
 *     ...
 *     strmap_free(&m);
 */
#ifndef TAIZHANG_STRMAP_H
#define TAIZHANG_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/vec.h"

struct strmap_slot;

struct strmap {
	struct strmap_slot *slots; /* open addressing, a power of two of them */
	size_t mask;               /* their number - 1 (0 while there are none) */
	size_t n;                  /* keys held */
	struct vec_text keys;      /* the keys, one after another */
	unsigned char hash_key[16];
};

/* An empty map with a fresh random hash key. */
void strmap_init(struct strmap *m);

/* Room for n keys in all, so that putting them does not grow the map again
 * and again (a hint: it may hold more). */
void strmap_reserve(struct strmap *m, size_t n);

/* The value of key[0..nkey) (never NULL; it may hold NULs), added with value 0 when it was
 * not there (*added 1, else 0; added may be NULL). The pointer is good until
 * the next strmap_put. Aborts on out-of-memory, like vec.h. */
size_t *strmap_put(struct strmap *m, const char *key, size_t nkey, int *added);

/* Room for n keys in all, so that putting them does not grow the map again
 * and again (a hint: it may hold more). */
void strmap_reserve(struct strmap *m, size_t n);

/* The value of key[0..nkey), or NULL when the map does not hold it. */
const size_t *strmap_get(const struct strmap *m, const char *key, size_t nkey);

/* Free what the map holds; it is empty again (and may be reused). */
void strmap_free(struct strmap *m);

#endif
