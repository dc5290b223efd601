/*
 * rng.c — xoshiro256** seeded by splitmix64 (see include/taizhang/rng.h).
 *
 * Both algorithms are the public-domain reference versions by David Blackman and
 * Sebastiano Vigna (https://prng.di.unimi.it/). xoshiro256** is fast, passes the
 * usual statistical batteries and has a period of 2^256 - 1; splitmix64 turns one
 * 64-bit seed into the four state words, which is the seeding its authors
 * recommend.
 *
 * Deliberately not here: anything cryptographic. This generator exists so that a
 * seed reproduces a demo village byte for byte; it must never be used where an
 * attacker could profit from guessing the next value.
 */
#include <assert.h>

#include "taizhang/rng.h"

/* One step of splitmix64: advance *state and return its mixed value. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t state = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&state);
	/* splitmix64 is a bijection of its counter, so four consecutive outputs
	 * cannot all be zero; keep the invariant explicit all the same. */
	if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
		r->s[0] = 1;
}

void rng_seed_stream(struct rng *r, uint64_t seed, uint64_t stream)
{
	/* Mix the seed first so that (seed, stream) and (seed + 1, stream - 1)
	 * do not land on the same splitmix64 counter. */
	uint64_t state = seed;
	uint64_t mixed = splitmix64(&state);
	state = stream ^ rotl(mixed, 17);
	rng_seed(r, splitmix64(&state) ^ mixed);
}

uint64_t rng_next_u64(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	assert(n >= 1);
	/* Values below threshold would make some results one more likely than
	 * others (2^64 is rarely a multiple of n); draw again when one comes up.
	 * threshold = 2^64 mod n, computed without 128-bit arithmetic. */
	uint64_t threshold = (0 - n) % n;
	for (;;) {
		uint64_t x = rng_next_u64(r);
		if (x >= threshold)
			return x % n;
	}
}

int rng_range(struct rng *r, int lo, int hi)
{
	assert(lo <= hi);
	uint64_t span = (uint64_t)((int64_t)hi - (int64_t)lo) + 1;
	return (int)((int64_t)lo + (int64_t)rng_below(r, span));
}

int rng_percent(struct rng *r, unsigned percent)
{
	assert(percent <= 100);
	return rng_below(r, 100) < percent;
}

size_t rng_weighted(struct rng *r, const unsigned *weights, size_t count)
{
	uint64_t total = 0;
	for (size_t i = 0; i < count; i++)
		total += weights[i];
	assert(total >= 1);
	uint64_t x = rng_below(r, total);
	for (size_t i = 0; i < count; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	assert(!"rng_weighted: unreachable");
	return count - 1;
}
