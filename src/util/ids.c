/*
 * ids.c — primary keys for synced rows (see include/taizhang/ids.h).
 *
 * An id is 128 bits from libsodium's randombytes_buf written as 32 lowercase hex
 * digits. With 128 random bits, villages and devices never need to agree on
 * anything before creating rows: a collision is not a practical possibility.
 *
 * Deliberately not here: ids for demo data, which must be reproducible from a
 * seed; src/demo/ derives those from struct rng (rng.h) instead.
 */
#include <string.h>

#include <sodium.h>

#include "taizhang/ids.h"

void ids_new(char out[IDS_NCHARS + 1])
{
	unsigned char bytes[IDS_NCHARS / 2];
	randombytes_buf(bytes, sizeof bytes);
	sodium_bin2hex(out, IDS_NCHARS + 1, bytes, sizeof bytes);
}

int ids_valid(const char *text)
{
	if (text == NULL)
		return 0;
	size_t i;
	for (i = 0; text[i] != '\0'; i++) {
		if (i >= IDS_NCHARS)
			return 0;
		char c = text[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return i == IDS_NCHARS;
}

int ids_prefix_valid(const char *text)
{
	size_t len = text ? strlen(text) : 0;
	int hex = len >= IDS_PREFIX_MIN_NCHARS && len <= IDS_NCHARS;
	for (size_t i = 0; hex && i < len; i++)
		hex = (text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f');
	return hex;
}
