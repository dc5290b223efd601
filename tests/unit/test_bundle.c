/*
 * test_bundle.c — the bundle codec as a specification: what comes back from a
 * bundle, and every way a file can be wrong being refused for the right reason.
 *
 * Some tests build bundles independently of bundle_encode, straight from the
 * format documented in src/sync/bundle.c, so the documentation is checked too.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "taizhang/bundle.h"

#include "bundle_peers.h"
#include "unit.h"

/* Two devices and a stranger, made fresh for each test. */
struct world {
	unsigned char village_id[BUNDLE_DEVICE_ID_NBYTES];
	unsigned char village_sign_pk[32], village_sign_sk[64];
	unsigned char town_id[BUNDLE_DEVICE_ID_NBYTES];
	unsigned char town_box_pk[32], town_box_sk[32];
	unsigned char other_id[BUNDLE_DEVICE_ID_NBYTES];
	unsigned char other_sign_pk[32], other_sign_sk[64];
	unsigned char other_box_pk[32], other_box_sk[32];
	struct peers town_knows; /* the village only */
};

static int setup(void **state)
{
	assert_true(sodium_init() >= 0);
	struct world *w = calloc(1, sizeof *w);
	memcpy(w->village_id, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	memcpy(w->town_id, "\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8", 8);
	memcpy(w->other_id, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	crypto_sign_keypair(w->village_sign_pk, w->village_sign_sk);
	crypto_sign_keypair(w->other_sign_pk, w->other_sign_sk);
	crypto_box_keypair(w->town_box_pk, w->town_box_sk);
	crypto_box_keypair(w->other_box_pk, w->other_box_sk);
	peers_add(&w->town_knows, w->village_id, w->village_sign_pk, BUNDLE_SENDER_TRUSTED);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int failing_lookup(void *ctx, const unsigned char sender[BUNDLE_DEVICE_ID_NBYTES],
			  unsigned char sign_pk[BUNDLE_SIGN_PK_NBYTES], enum bundle_sender *status,
			  struct tz_error *err)
{
	(void)ctx, (void)sender, (void)sign_pk, (void)status;
	return tz_error_set(err, TZ_EFAIL, "lookup failed");
}

static struct bundle_header village_header(const struct world *w, uint64_t seq)
{
	struct bundle_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.sender, w->village_id, sizeof h.sender);
	memcpy(h.recipient, w->town_id, sizeof h.recipient);
	h.seq = seq;
	h.schema_version = 5;
	for (int i = 0; i < BUNDLE_HASH_NBYTES; i++)
		h.prev_hash[i] = (unsigned char)(0xC0 + i);
	return h;
}

static struct bundle_recipient town_recipient(struct world *w)
{
	return peers_recipient(w->town_id, w->town_box_pk, w->town_box_sk, &w->town_knows);
}

/* A bundle from the village to the town holding payload. Caller frees. */
static unsigned char *encode_ok(struct world *w, const unsigned char *payload, size_t n,
				size_t *out_nbytes)
{
	struct bundle_header h = village_header(w, 7);
	unsigned char *file = NULL;
	struct tz_error err;
	int rc = bundle_encode(&h, w->village_sign_sk, w->town_box_pk, payload, n, &file,
			       out_nbytes, &err);
	if (rc != TZ_OK)
		fail_msg("bundle_encode: %s", err.msg);
	return file;
}

/* Decode as the town; returns the status and sets *fault. */
static int decode_as(const struct bundle_recipient *r, const unsigned char *file, size_t n,
		     enum bundle_fault *fault, struct tz_error *err)
{
	struct bundle_header h;
	unsigned char *payload = (unsigned char *)"not touched";
	size_t payload_nbytes = 12345;
	int rc = bundle_decode(file, n, r, &h, &payload, &payload_nbytes, fault, err);
	if (rc == TZ_OK) {
		bundle_payload_free(payload, payload_nbytes);
	} else {
		assert_null(payload);
		assert_int_equal(payload_nbytes, 0);
		assert_true(err->msg[0] != '\0');
	}
	return rc;
}

/* A bundle as the town receives it: the file, the town's keys and lookup,
 * and what the last decode said. */
struct sent {
	unsigned char *file;
	size_t nbytes;
	struct bundle_recipient town;
	enum bundle_fault fault;
	struct tz_error err;
};

/* The village's bundle holding text (without its NUL), addressed to the town.
 * Free file with free(3). */
static struct sent send_text(struct world *w, const char *text)
{
	struct sent b = { .town = town_recipient(w), .fault = BUNDLE_FAULT_NONE };
	b.file = encode_ok(w, (const unsigned char *)text, strlen(text), &b.nbytes);
	return b;
}

/* Decode b as b->town; returns the status, b->fault and b->err say why. */
static int receive(struct sent *b)
{
	return decode_as(&b->town, b->file, b->nbytes, &b->fault, &b->err);
}

/* b is refused with status rc and fault. */
static void assert_refused(struct sent *b, int rc, enum bundle_fault fault)
{
	assert_int_equal(receive(b), rc);
	assert_int_equal(b->fault, fault);
}

static void round_trip(struct world *w, size_t n)
{
	unsigned char *payload = calloc(1, n ? n : 1);
	for (size_t i = 0; i < n; i++)
		payload[i] = (unsigned char)(i * 31 + (i >> 8));
	size_t file_nbytes;
	unsigned char *file = encode_ok(w, payload, n, &file_nbytes);
	size_t nchunks = n == 0 ? 1 : (n + BUNDLE_CHUNK_NBYTES - 1) / BUNDLE_CHUNK_NBYTES;
	assert_int_equal(file_nbytes, BUNDLE_HEADER_NBYTES + n + 17 * nchunks + 64);

	struct bundle_recipient r = town_recipient(w);
	struct bundle_header h;
	unsigned char *out = NULL;
	size_t out_nbytes = 1;
	enum bundle_fault fault = BUNDLE_FAULT_MAGIC;
	struct tz_error err;
	int rc = bundle_decode(file, file_nbytes, &r, &h, &out, &out_nbytes, &fault, &err);
	if (rc != TZ_OK)
		fail_msg("bundle_decode: %s", err.msg);
	assert_int_equal(fault, BUNDLE_FAULT_NONE);
	assert_int_equal(out_nbytes, n);
	if (n > 0)
		assert_memory_equal(out, payload, n);
	else
		assert_null(out);
	assert_int_equal(h.payload_nbytes, n);
	bundle_payload_free(out, out_nbytes);
	free(file);
	free(payload);
}

UNIT_TEST(an_empty_payload_round_trips, setup, teardown)
{
	round_trip(*state, 0);
}

UNIT_TEST(a_small_payload_round_trips, setup, teardown)
{
	round_trip(*state, 1);
	round_trip(*state, 100);
}

UNIT_TEST(multi_chunk_payloads_round_trip, setup, teardown)
{
	round_trip(*state, BUNDLE_CHUNK_NBYTES - 1);
	round_trip(*state, BUNDLE_CHUNK_NBYTES);
	round_trip(*state, BUNDLE_CHUNK_NBYTES + 1);
	round_trip(*state, 2 * BUNDLE_CHUNK_NBYTES);
	round_trip(*state, 3 * BUNDLE_CHUNK_NBYTES + 123);
}

UNIT_TEST(header_fields_come_back_exactly, setup, teardown)
{
	struct world *w = *state;
	struct bundle_header in = village_header(w, 0x0102030405060708ULL);
	in.schema_version = 0xA1B2C3D4u;
	unsigned char *file;
	size_t n;
	struct tz_error err;
	assert_int_equal(bundle_encode(&in, w->village_sign_sk, w->town_box_pk,
				       (const unsigned char *)"hello", 5, &file, &n, &err), TZ_OK);
	/* The documented offsets. */
	assert_memory_equal(file, "TZBUNDLE", 8);
	assert_memory_equal(file + 8, "\x01\x00\x01\x00", 4);
	assert_memory_equal(file + 12, "\xd4\xc3\xb2\xa1", 4);
	assert_memory_equal(file + 16, w->village_id, 8);
	assert_memory_equal(file + 24, w->town_id, 8);
	assert_memory_equal(file + 32, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
	assert_memory_equal(file + 40, "\x05\0\0\0\0\0\0\0", 8);
	assert_memory_equal(file + 48, in.prev_hash, 32);

	struct bundle_recipient r = town_recipient(w);
	struct bundle_header out;
	unsigned char *payload;
	size_t payload_nbytes;
	assert_int_equal(bundle_decode(file, n, &r, &out, &payload, &payload_nbytes, NULL, &err),
			 TZ_OK);
	assert_int_equal(out.version, BUNDLE_FORMAT_VERSION);
	assert_int_equal(out.suite, BUNDLE_SUITE);
	assert_int_equal(out.seq, 0x0102030405060708ULL);
	assert_int_equal(out.schema_version, 0xA1B2C3D4u);
	assert_int_equal(out.payload_nbytes, 5);
	assert_memory_equal(out.sender, w->village_id, 8);
	assert_memory_equal(out.recipient, w->town_id, 8);
	assert_memory_equal(out.prev_hash, in.prev_hash, 32);
	assert_memory_equal(payload, "hello", 5);
	bundle_payload_free(payload, payload_nbytes);

	/* bundle_read_header gives the same fields without any key. */
	struct bundle_header peek;
	assert_int_equal(bundle_read_header(file, n, &peek, NULL, &err), TZ_OK);
	assert_memory_equal(&peek, &out, sizeof peek);
	free(file);
}

/* The fault a flip at offset must be reported as, for a bundle whose payload
 * length is small: the fields checked before the signature say what they are,
 * everything else is caught by the signature. */
static enum bundle_fault fault_for_offset(size_t off)
{
	if (off < 8)
		return BUNDLE_FAULT_MAGIC;
	if (off < 10)
		return BUNDLE_FAULT_VERSION;
	if (off < 12)
		return BUNDLE_FAULT_SUITE;
	if (off >= 16 && off < 24)
		return BUNDLE_FAULT_UNKNOWN_SENDER;
	if (off >= 40 && off < 48)
		return BUNDLE_FAULT_NONE; /* length: truncated, trailing or impossible */
	return BUNDLE_FAULT_SIGNATURE;
}

UNIT_TEST(every_single_byte_flip_is_rejected, setup, teardown)
{
	struct sent b = send_text(*state, "a small payload");
	static const unsigned char masks[] = { 0x01, 0x80, 0xFF };
	for (size_t off = 0; off < b.nbytes; off++) {
		for (size_t m = 0; m < sizeof masks; m++) {
			b.file[off] ^= masks[m];
			b.fault = BUNDLE_FAULT_NONE;
			int rc = receive(&b);
			b.file[off] ^= masks[m];
			if (rc == TZ_OK)
				fail_msg("flip 0x%02x at offset %zu was accepted", masks[m], off);
			enum bundle_fault want = fault_for_offset(off);
			if (want == BUNDLE_FAULT_NONE) {
				assert_true(b.fault == BUNDLE_FAULT_TRUNCATED ||
					    b.fault == BUNDLE_FAULT_TRAILING ||
					    b.fault == BUNDLE_FAULT_LENGTH);
			} else if (b.fault != want) {
				fail_msg("flip at offset %zu: fault %d, wanted %d (%s)", off,
					 b.fault, want, b.err.msg);
			}
			assert_int_equal(rc, TZ_EDAMAGED);
		}
	}
	free(b.file);
}

UNIT_TEST(every_truncation_is_rejected, setup, teardown)
{
	struct sent whole = send_text(*state, "a small payload");
	for (size_t len = 0; len < whole.nbytes; len++) {
		/* A copy of exactly len bytes, so ASan sees any read past it. */
		struct sent cut = { .file = malloc(len ? len : 1), .nbytes = len, .town = whole.town };
		memcpy(cut.file, whole.file, len);
		int rc = receive(&cut);
		free(cut.file);
		if (rc == TZ_OK)
			fail_msg("truncation to %zu bytes was accepted", len);
		assert_int_equal(rc, TZ_EDAMAGED);
		assert_int_equal(cut.fault, BUNDLE_FAULT_TRUNCATED);
	}
	free(whole.file);
}

UNIT_TEST(trailing_bytes_are_rejected, setup, teardown)
{
	struct sent b = send_text(*state, "payload");
	size_t n = b.nbytes;
	unsigned char *longer = malloc(2 * n);
	memcpy(longer, b.file, n);
	memcpy(longer + n, b.file, n);
	free(b.file);
	b.file = longer;
	for (size_t extra = 1; extra <= n; extra += (extra < 70 ? 1 : 37)) {
		b.nbytes = n + extra;
		assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_TRAILING);
	}
	longer[n] = 0;
	b.nbytes = n + 1;
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_TRAILING);
	assert_non_null(strstr(b.err.msg, "多出"));
	free(longer);
}

UNIT_TEST(a_wrong_recipient_key_cannot_decrypt, setup, teardown)
{
	struct world *w = *state;
	struct sent b = send_text(w, "for the town");
	/* Right recipient id, wrong secret key: the signature holds, decryption fails. */
	b.town.box_pk = w->other_box_pk;
	b.town.box_sk = w->other_box_sk;
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_DECRYPT);
	/* Only the secret key differs from the public one given: still refused. */
	b.town.box_pk = w->town_box_pk;
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_DECRYPT);
	free(b.file);
}

UNIT_TEST(a_bundle_for_another_device_is_refused, setup, teardown)
{
	struct world *w = *state;
	struct sent b = send_text(w, "for the town");
	memcpy(b.town.device_id, w->other_id, sizeof b.town.device_id);
	b.town.box_pk = w->other_box_pk;
	b.town.box_sk = w->other_box_sk;
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_RECIPIENT);
	assert_non_null(strstr(b.err.msg, "a1a2a3a4a5a6a7a8"));
	free(b.file);
}

UNIT_TEST(an_unknown_sender_is_refused, setup, teardown)
{
	struct world *w = *state;
	struct bundle_header h = village_header(w, 1);
	memcpy(h.sender, w->other_id, sizeof h.sender);
	struct sent b = { .town = town_recipient(w) };
	assert_int_equal(bundle_encode(&h, w->other_sign_sk, w->town_box_pk,
				       (const unsigned char *)"x", 1, &b.file, &b.nbytes, &b.err), TZ_OK);
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_UNKNOWN_SENDER);
	assert_non_null(strstr(b.err.msg, "0102030405060708"));
	free(b.file);
}

UNIT_TEST(a_revoked_sender_is_not_authorised, setup, teardown)
{
	struct world *w = *state;
	struct sent b = send_text(w, "x");
	w->town_knows.peer[0].status = BUNDLE_SENDER_REVOKED;
	assert_refused(&b, TZ_EAUTH, BUNDLE_FAULT_REVOKED_SENDER);
	assert_non_null(strstr(b.err.msg, "吊销"));
	free(b.file);
}

UNIT_TEST(a_failing_lookup_is_passed_on, setup, teardown)
{
	struct sent b = send_text(*state, "x");
	b.town.lookup = failing_lookup;
	assert_refused(&b, TZ_EFAIL, BUNDLE_FAULT_LOCAL);
	assert_string_equal(b.err.msg, "lookup failed");
	free(b.file);
}

UNIT_TEST(a_bundle_resigned_by_another_key_is_refused, setup, teardown)
{
	struct world *w = *state;
	struct sent b = send_text(w, "genuine");

	/* The village's own signature, recomputed as documented, is accepted. */
	peers_sign_as_documented(b.file, b.nbytes, w->village_sign_sk);
	assert_int_equal(receive(&b), TZ_OK);

	/* Someone else's signature over the very same bytes is not. */
	peers_sign_as_documented(b.file, b.nbytes, w->other_sign_sk);
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_SIGNATURE);
	free(b.file);

	/* Nor is a whole bundle made by another key that claims the village's id. */
	struct bundle_header h = village_header(w, 8);
	assert_int_equal(bundle_encode(&h, w->other_sign_sk, w->town_box_pk,
				       (const unsigned char *)"forged", 6, &b.file, &b.nbytes, &b.err),
			 TZ_OK);
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_SIGNATURE);
	free(b.file);
}

/* Build a bundle by hand from the documented format, with a chosen tag per chunk
 * and optionally without the first chunk's additional data. */
static struct sent build_by_hand(struct world *w, const unsigned char *payload, size_t n,
				  const unsigned char *tags, size_t nchunks, int with_ad)
{
	size_t total = BUNDLE_HEADER_NBYTES + n + 17 * nchunks + 64;
	unsigned char *file = calloc(1, total);
	memcpy(file, "TZBUNDLE", 8);
	file[8] = 1;
	file[10] = 1;
	file[12] = 5;
	memcpy(file + 16, w->village_id, 8);
	memcpy(file + 24, w->town_id, 8);
	file[32] = 3;
	for (int i = 0; i < 8; i++)
		file[40 + i] = (unsigned char)((uint64_t)n >> (8 * i));
	unsigned char eph_sk[32], rx[32], tx[32];
	crypto_kx_keypair(file + 80, eph_sk);
	assert_int_equal(crypto_kx_client_session_keys(rx, tx, file + 80, eph_sk, w->town_box_pk), 0);
	crypto_secretstream_xchacha20poly1305_state st;
	crypto_secretstream_xchacha20poly1305_init_push(&st, file + 112, tx);
	unsigned char ad[32];
	crypto_generichash(ad, sizeof ad, file, BUNDLE_HEADER_NBYTES, NULL, 0);
	unsigned char *c = file + BUNDLE_HEADER_NBYTES;
	size_t at = 0;
	for (size_t i = 0; i < nchunks; i++) {
		size_t m = n - at < BUNDLE_CHUNK_NBYTES ? n - at : BUNDLE_CHUNK_NBYTES;
		if (i + 1 == nchunks)
			m = n - at;
		crypto_secretstream_xchacha20poly1305_push(&st, c, NULL, payload + at, m,
							   i == 0 && with_ad ? ad : NULL,
							   i == 0 && with_ad ? sizeof ad : 0, tags[i]);
		c += m + 17;
		at += m;
	}
	peers_sign_as_documented(file, total, w->village_sign_sk);
	return (struct sent){ .file = file, .nbytes = total, .town = town_recipient(w) };
}

UNIT_TEST(a_bundle_built_from_the_documented_format_decodes, setup, teardown)
{
	struct world *w = *state;
	size_t n = BUNDLE_CHUNK_NBYTES + 10;
	unsigned char *payload = malloc(n);
	randombytes_buf(payload, n);
	const unsigned char tags[] = { crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
				       crypto_secretstream_xchacha20poly1305_TAG_FINAL };
	struct sent b = build_by_hand(w, payload, n, tags, 2, 1);
	struct bundle_header h;
	unsigned char *out;
	size_t out_n;
	assert_int_equal(bundle_decode(b.file, b.nbytes, &b.town, &h, &out, &out_n, NULL, &b.err), TZ_OK);
	assert_int_equal(out_n, n);
	assert_memory_equal(out, payload, n);
	assert_int_equal(h.seq, 3);
	bundle_payload_free(out, out_n);
	free(b.file);
	free(payload);
}

UNIT_TEST(a_signed_bundle_without_its_final_tag_is_refused, setup, teardown)
{
	struct world *w = *state;
	size_t n = BUNDLE_CHUNK_NBYTES + 10;
	unsigned char *payload = calloc(1, n);

	/* The last chunk is tagged MESSAGE: the stream was cut at a chunk boundary. */
	const unsigned char no_final[] = { crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
					   crypto_secretstream_xchacha20poly1305_TAG_MESSAGE };
	struct sent b = build_by_hand(w, payload, n, no_final, 2, 1);
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_STREAM);
	free(b.file);

	/* A FINAL tag on the first chunk, more chunks after it. */
	const unsigned char early[] = { crypto_secretstream_xchacha20poly1305_TAG_FINAL,
					crypto_secretstream_xchacha20poly1305_TAG_FINAL };
	b = build_by_hand(w, payload, n, early, 2, 1);
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_STREAM);
	free(b.file);

	/* The first chunk without the header hash as additional data. */
	const unsigned char good[] = { crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
				       crypto_secretstream_xchacha20poly1305_TAG_FINAL };
	b = build_by_hand(w, payload, n, good, 2, 0);
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_DECRYPT);
	free(b.file);
	free(payload);
}

UNIT_TEST(an_impossible_length_and_unknown_versions_are_named, setup, teardown)
{
	struct sent b = send_text(*state, "x");
	unsigned char *file = b.file;
	file[47] = 0x40; /* 2^62 + 1 bytes */
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_LENGTH);
	file[47] = 0;
	file[8] = 2;
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_VERSION);
	assert_non_null(strstr(b.err.msg, "版本 2"));
	file[8] = 1;
	file[10] = 9;
	assert_refused(&b, TZ_EDAMAGED, BUNDLE_FAULT_SUITE);
	file[10] = 1;
	assert_int_equal(receive(&b), TZ_OK);
	struct sent zip = { .file = (unsigned char *)"PK\x03\x04 a zip file", .nbytes = 17, .town = b.town };
	assert_refused(&zip, TZ_EDAMAGED, BUNDLE_FAULT_MAGIC);
	free(file);
}

UNIT_TEST(each_encoding_is_fresh_and_the_hash_is_blake2b_of_the_file, setup, teardown)
{
	struct world *w = *state;
	size_t n1, n2;
	unsigned char *a = encode_ok(w, (const unsigned char *)"same", 4, &n1);
	unsigned char *b = encode_ok(w, (const unsigned char *)"same", 4, &n2);
	assert_int_equal(n1, n2);
	assert_memory_not_equal(a + 80, b + 80, 32); /* one-time keys */
	assert_memory_not_equal(a, b, n1);
	unsigned char ha[32], hb[32], want[32];
	bundle_hash(a, n1, ha);
	bundle_hash(b, n2, hb);
	crypto_generichash(want, sizeof want, a, n1, NULL, 0);
	assert_memory_equal(ha, want, 32);
	assert_memory_not_equal(ha, hb, 32);
	free(a);
	free(b);
}

UNIT_TEST(encode_refuses_unusable_input, setup, teardown)
{
	struct world *w = *state;
	struct bundle_header h = village_header(w, 1);
	unsigned char zero_pk[32] = { 0 };
	unsigned char *file = (unsigned char *)"untouched";
	size_t n = 99;
	struct tz_error err;
	assert_int_equal(bundle_encode(&h, w->village_sign_sk, zero_pk, (const unsigned char *)"x", 1,
				       &file, &n, &err), TZ_EFAIL);
	assert_null(file);
	assert_int_equal(n, 0);
	assert_int_equal(bundle_encode(&h, w->village_sign_sk, w->town_box_pk,
				       (const unsigned char *)"x",
				       (size_t)BUNDLE_MAX_PAYLOAD_NBYTES + 1, &file, &n, &err),
			 TZ_EFAIL);
	assert_null(file);
}

/* ---- files ---- */

UNIT_TEST(files_are_written_whole_and_never_over_another, setup, teardown)
{
	char dir[] = "/tmp/tz-bundle-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], part[140];
	snprintf(path, sizeof path, "%s/out.tzb", dir);
	snprintf(part, sizeof part, "%s.part", path);
	struct tz_error err;
	const unsigned char data[] = "bundle bytes\0with a zero";
	assert_int_equal(bundle_file_write(path, data, sizeof data, 0, &err), TZ_OK);
	struct stat st;
	assert_int_not_equal(stat(part, &st), 0);
	unsigned char *back;
	size_t n;
	assert_int_equal(bundle_file_read(path, 1024, &back, &n, &err), TZ_OK);
	assert_int_equal(n, sizeof data);
	assert_memory_equal(back, data, n);
	free(back);
	assert_int_equal(bundle_file_write(path, data, 3, 0, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "已经存在"));
	assert_int_equal(bundle_file_write(path, data, 3, 1, &err), TZ_OK);
	assert_int_equal(bundle_file_read(path, 2, &back, &n, &err), TZ_EFAIL);
	assert_int_equal(bundle_file_read(path, 3, &back, &n, &err), TZ_OK);
	assert_int_equal(n, 3);
	free(back);
	assert_int_equal(bundle_file_read(dir, 1024, &back, &n, &err), TZ_EFAIL);
	unlink(path);
	assert_int_equal(bundle_file_read(path, 1024, &back, &n, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "找不到"));
	rmdir(dir);
}

int main(void)
{
	return unit_run("bundle", NULL, NULL);
}
