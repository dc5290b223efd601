/*
 * bytes.h — fixed-width integers in byte arrays, little- and big-endian; and
 * byte strings compared in SQLite's BINARY order.
 *
 * On-disk and on-stick structures are byte arrays (never padded integers); these
 * are the one way taizhang reads and writes their integer fields. The keyring
 * copies, bundle headers and payloads are little-endian; SQLite's own journal
 * page numbers are big-endian.
 *
 * Deliberately not here: any knowledge of a format's offsets (its writer has them).
 */
#ifndef TAIZHANG_BYTES_H
#define TAIZHANG_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Store v at p[0..1] / p[0..3] / p[0..7], least significant byte first. */
static inline void bytes_store_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void bytes_store_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline void bytes_store_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The value stored at p, least significant byte first. */
static inline uint16_t bytes_load_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t bytes_load_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t bytes_load_le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Store v at p, most significant byte first. */
static inline void bytes_store_be16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline void bytes_store_be32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * (3 - i)));
}

static inline void bytes_store_be64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * (7 - i)));
}

/* The value stored at p, most significant byte first. */
static inline uint16_t bytes_load_be16(const unsigned char *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t bytes_load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t bytes_load_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* a[0..na) against b[0..nb) as SQLite's BINARY collation orders texts (and
 * BLOBs): the common bytes by memcmp, then the shorter first. <0, 0, >0. For
 * the C passes that must agree with a statement's = and ORDER BY. */
static inline int bytes_cmp_binary(const void *a, size_t na, const void *b, size_t nb)
{
	int c = na == 0 || nb == 0 ? 0 : memcmp(a, b, na < nb ? na : nb);
	if (c != 0)
		return c;
	return na < nb ? -1 : na > nb;
}

#endif
