/*
 * strmap.c — a map from byte strings to numbers (strmap.h): open addressing
 * with linear probing, at most three quarters full, keys kept one after
 * another in one text buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "taizhang/strmap.h"
#include "taizhang/xalloc.h"

struct strmap_slot {
	uint32_t hash;   /* the key's hash (key_hash) */
	uint32_t nkey;   /* the key's length (SQLite's texts are at most 1 GB) */
	size_t key_at;   /* where the key starts in keys, + 1; 0: the slot is empty */
	size_t value;
};

void strmap_init(struct strmap *m)
{
	*m = (struct strmap){ 0 };
	if (sodium_init() < 0)
		abort(); /* as xalloc does when memory runs out: nothing to go on with */
	randombytes_buf(m->hash_key, sizeof m->hash_key);
}

/* The low 32 bits of SipHash-2-4: a map holds far fewer than 2^32 keys. */
static uint32_t key_hash(const struct strmap *m, const char *key, size_t nkey)
{
	unsigned char out[crypto_shorthash_BYTES];
	crypto_shorthash(out, (const unsigned char *)key, nkey, m->hash_key);
	uint32_t h;
	memcpy(&h, out, sizeof h);
	return h;
}

/* The slot of key (hash h) in slots[0..mask], or the empty one where it would go. */
static struct strmap_slot *find_slot(struct strmap_slot *slots, size_t mask, const char *keys,
				     uint32_t h, const char *key, size_t nkey)
{
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct strmap_slot *s = &slots[i];
		if (s->key_at == 0)
			return s;
		if (s->hash == h && s->nkey == nkey && memcmp(keys + s->key_at - 1, key, nkey) == 0)
			return s;
	}
}

/* Move every key into nslots slots (a power of two, more than the keys). */
static void rehash(struct strmap *m, size_t nslots)
{
	struct strmap_slot *slots = xcalloc(nslots, sizeof *slots);
	for (size_t i = 0; m->slots != NULL && i <= m->mask; i++) {
		const struct strmap_slot *s = &m->slots[i];
		if (s->key_at == 0)
			continue;
		for (size_t j = (size_t)s->hash & (nslots - 1);; j = (j + 1) & (nslots - 1)) {
			if (slots[j].key_at == 0) {
				slots[j] = *s;
				break;
			}
		}
	}
	free(m->slots);
	m->slots = slots;
	m->mask = nslots - 1;
}

/* Whether n keys fit in nslots slots, at most three quarters full. */
static int fits(size_t n, size_t nslots)
{
	return n <= nslots / 4 * 3;
}

void strmap_reserve(struct strmap *m, size_t n)
{
	size_t nslots = m->mask == 0 ? 64 : m->mask + 1;
	while (!fits(n, nslots)) {
		if (nslots > SIZE_MAX / 2 / sizeof(struct strmap_slot))
			abort(); /* as xalloc does on a size that cannot be */
		nslots *= 2;
	}
	if (nslots != m->mask + 1)
		rehash(m, nslots);
}

size_t *strmap_put(struct strmap *m, const char *key, size_t nkey, int *added)
{
	if (nkey > UINT32_MAX)
		abort(); /* no key of a store is this long (SQLite's limit is 1 GB) */
	if (m->mask == 0 || !fits(m->n + 1, m->mask + 1))
		strmap_reserve(m, m->n + 1);
	uint32_t h = key_hash(m, key, nkey);
	struct strmap_slot *s = find_slot(m->slots, m->mask, m->keys.text, h, key, nkey);
	if (added != NULL)
		*added = s->key_at == 0;
	if (s->key_at == 0) {
		*s = (struct strmap_slot){ h, (uint32_t)nkey, m->keys.n + 1, 0 };
		vec_text_add(&m->keys, key, nkey);
		m->n++;
	}
	return &s->value;
}

const size_t *strmap_get(const struct strmap *m, const char *key, size_t nkey)
{
	if (m->n == 0 || nkey > UINT32_MAX)
		return NULL;
	uint32_t h = key_hash(m, key, nkey);
	const struct strmap_slot *s = find_slot(m->slots, m->mask, m->keys.text, h, key, nkey);
	return s->key_at == 0 ? NULL : &s->value;
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	vec_text_free(&m->keys);
	m->slots = NULL;
	m->mask = 0;
	m->n = 0;
}
