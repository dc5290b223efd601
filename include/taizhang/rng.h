/*
 * rng.h — a small deterministic pseudo-random generator for demo and test data
 * (src/util/rng.c).
 *
 * xoshiro256** (Blackman and Vigna), seeded through splitmix64, so that one
 * 64-bit seed always gives the same sequence on every machine and compiler. That
 * is its only purpose: reproducible demo villages and test fixtures.
 *
 * NOT FOR CRYPTOGRAPHY. The output is predictable from a few values; never use it
 * for keys, nonces, salts, passphrases or real row ids. Real ids come from
 * ids_new() (libsodium's randombytes_buf).
 */
#ifndef TAIZHANG_RNG_H
#define TAIZHANG_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s[4]; /* never all zero */
};

/* Seed r from seed (any value, 0 included). */
void rng_seed(struct rng *r, uint64_t seed);

/* Seed r for one independent stream of a seed, e.g. one per generated household,
 * so that what one stream draws never shifts another. Different (seed, stream)
 * pairs give unrelated sequences. */
void rng_seed_stream(struct rng *r, uint64_t seed, uint64_t stream);

/* The next 64 uniformly distributed bits. */
uint64_t rng_next_u64(struct rng *r);

/* A uniform integer in [0, n), without modulo bias; n must be at least 1. */
uint64_t rng_below(struct rng *r, uint64_t n);

/* A uniform integer in [lo, hi] (both included); lo <= hi. */
int rng_range(struct rng *r, int lo, int hi);

/* 1 with probability percent/100 (percent 0..100), else 0. */
int rng_percent(struct rng *r, unsigned percent);

/* An index in [0, count) chosen with probability weights[i] / sum(weights). The
 * sum must be at least 1. */
size_t rng_weighted(struct rng *r, const unsigned *weights, size_t count);

/* A uniformly chosen element of a true array (not a pointer). */
#define rng_pick(r, array) \
	((array)[rng_below((r), sizeof(array) / sizeof((array)[0]))])

#endif
