/*
 * fuzz_payload.c — a libFuzzer target for the payload decoder (src/sync/payload.c):
 * what a bundle carries once its signature has been verified and it has been
 * decrypted. A stolen or broken village laptop can sign anything, so the
 * decoder must hold against every input: each accepted payload's entries must
 * lie inside the input, rise strictly and stay within the declared range, and
 * encoding the decoded payload again must give back the same bytes (for a
 * packed one: the bytes it inflated to).
 *
 * Started with TZ_FUZZ_SEEDS=DIR it writes a small seed corpus instead
 * (fuzz_common.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sync/sync_internal.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct payload p;
	struct tz_error err;
	if (payload_decode(data, size, &p, &err) != TZ_OK)
		return 0;
	/* entries point into the input, or into the decoder's inflated copy */
	const unsigned char *base = p.inflated ? p.inflated : data;
	size_t base_nbytes = p.inflated ? p.inflated_nbytes : size;
	uint64_t prev = p.outbox_from - 1;
	for (size_t i = 0; i < p.nentries; i++) {
		const struct payload_entry *e = &p.entries[i];
		if (e->changeset < base || e->changeset + e->changeset_nbytes > base + base_nbytes ||
		    e->outbox_id <= prev || e->outbox_id > p.outbox_upto)
			abort();
		prev = e->outbox_id;
	}
	unsigned char *again;
	size_t again_nbytes;
	if (payload_encode(&p, &again, &again_nbytes, &err) != TZ_OK)
		abort();
	if (again_nbytes != base_nbytes || memcmp(again, base, base_nbytes) != 0)
		abort();
	free(again);
	payload_free(&p);
	return 0;
}

static int write_seeds(const char *dir)
{
	static const unsigned char cs1[] = "T\x02\x01" "t\0\x12\x01x";
	static unsigned char cs2[1500]; /* repetitive: packs to a real zlib stream */
	for (size_t i = 0; i < sizeof cs2; i++)
		cs2[i] = (unsigned char)"changeset"[i % 9];
	struct payload_entry entries[2] = {
		{ .outbox_id = 3, .changeset = cs1, .changeset_nbytes = sizeof cs1 },
		{ .outbox_id = 7, .changeset = cs2, .changeset_nbytes = sizeof cs2 },
	};
	struct payload p = { .kind = PAYLOAD_KIND_CHANGES, .from_kind = 1, .ack_seq = 4,
			     .outbox_from = 2, .outbox_upto = 9, .entries = entries, .nentries = 2 };
	strcpy(p.from_code, "341522104201");
	strcpy(p.village, "341522104201");
	for (int i = 0; i < 3; i++) {
		p.nentries = (size_t)i;
		if (i == 0)
			p.outbox_upto = 1, p.outbox_from = 2;
		else
			p.outbox_upto = 9;
		unsigned char *out;
		size_t n;
		struct tz_error err;
		if (payload_encode(&p, &out, &n, &err) != TZ_OK)
			return 1;
		char path[512];
		snprintf(path, sizeof path, "%s/seed-%d", dir, i);
		FILE *f = fopen(path, "wb");
		if (f == NULL || fwrite(out, 1, n, f) != n)
			return 1;
		fclose(f);
		unsigned char *packed;
		size_t packed_nbytes;
		payload_pack(out, n, &packed, &packed_nbytes);
		snprintf(path, sizeof path, "%s/seed-%d-packed", dir, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(packed, 1, packed_nbytes, f) != packed_nbytes)
			return 1;
		fclose(f);
		free(packed);
		free(out);
	}
	return 0;
}

FUZZ_SEEDS_FROM(write_seeds)
