/*
 * test_keys.c — device keys and trust as a specification: keys made once and
 * kept, never in clear on disk, the fingerprint and public key file exactly as
 * documented in src/sync/keys.c, every damaged key file refused, and the trust
 * rules of village and town (trust, enroll, revoke) — against real store files.
 */
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
#include "taizhang/store.h"
#include "taizhang/sync_keys.h"

#include "fixture.h"
#include "sync_fixture.h"
#include "unit.h"

static const struct store_identity other_town_id = { STORE_KIND_TOWN, "341522105000", "别的镇" };

UNIT_TEST(keys_are_made_once_and_stay_the_same_across_reopen, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *s = fixture_create(f->village, &fixture_village_id);
	struct tz_error err;
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM sync_device_keys"), 0);
	int created = 0;
	assert_int_equal(sync_keys_ensure(s, &created, &err), TZ_OK);
	assert_true(created);
	assert_int_equal(sync_keys_ensure(s, &created, &err), TZ_OK);
	assert_false(created);
	struct sync_public_key first = sync_fixture_public(s);
	assert_int_equal(first.kind, STORE_KIND_VILLAGE);
	assert_string_equal(first.division_code, "341522104201");
	store_close(s);

	s = fixture_open(f->village, NULL, NULL);
	struct sync_public_key again = sync_fixture_public(s);
	assert_memory_equal(&first, &again, sizeof first);
	struct sync_keys *k = sync_fixture_keys(s);
	assert_memory_equal(&k->pub, &first, sizeof first);
	/* The secret halves belong to the public ones. */
	unsigned char pk[32];
	assert_int_equal(crypto_sign_ed25519_sk_to_pk(pk, k->sign_sk), 0);
	assert_memory_equal(pk, first.sign_pk, 32);
	crypto_scalarmult_base(pk, k->box_sk);
	assert_memory_equal(pk, first.box_pk, 32);
	sync_keys_free(k);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM sync_device_keys"), 1);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM audit_log WHERE action = 'sync.keys.create'"), 1);

	/* Nothing may change or remove them. */
	assert_int_equal(store_tx_begin(s, &err), TZ_OK);
	assert_int_not_equal(store_exec(s, "UPDATE sync_device_keys SET created_at = 'x'", &err), TZ_OK);
	assert_int_not_equal(store_exec(s, "DELETE FROM sync_device_keys", &err), TZ_OK);
	store_tx_rollback(s);
	again = sync_fixture_public(s);
	assert_memory_equal(&first, &again, sizeof first);
	store_close(s);
}

UNIT_TEST(ensure_joins_the_callers_transaction, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *s = fixture_create(f->village, &fixture_village_id);
	struct tz_error err;
	int created = 0;
	assert_int_equal(store_tx_begin(s, &err), TZ_OK);
	assert_int_equal(sync_keys_ensure(s, &created, &err), TZ_OK);
	assert_true(created);
	assert_true(store_tx_active(s));
	store_tx_rollback(s);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM sync_device_keys"), 0);
	assert_int_equal(sync_keys_ensure(s, &created, &err), TZ_OK);
	assert_true(created);
	assert_false(store_tx_active(s));
	store_close(s);
}

UNIT_TEST(two_stores_get_different_keys, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *v = fixture_create(f->village, &fixture_village_id);
	struct store *t = fixture_create(f->town, &fixture_town_id);
	struct sync_public_key a = sync_fixture_public(v), b = sync_fixture_public(t);
	assert_memory_not_equal(a.sign_pk, b.sign_pk, 32);
	assert_memory_not_equal(a.box_pk, b.box_pk, 32);
	assert_memory_not_equal(a.device_id, b.device_id, 8);
	assert_int_equal(b.kind, STORE_KIND_TOWN);
	store_close(v);
	store_close(t);
}

UNIT_TEST(secret_keys_never_appear_in_clear_in_the_store_file, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *s = fixture_create(f->village, &fixture_village_id);
	struct sync_keys *k = sync_fixture_keys(s);
	unsigned char sign_sk[64], box_sk[32], sign_pk[32];
	memcpy(sign_sk, k->sign_sk, sizeof sign_sk);
	memcpy(box_sk, k->box_sk, sizeof box_sk);
	memcpy(sign_pk, k->pub.sign_pk, sizeof sign_pk);
	sync_keys_free(k);
	store_close(s);

	/* The search works: it finds what is there. */
	char control[160];
	snprintf(control, sizeof control, "%s/control", f->fx.dir);
	FILE *fp = fopen(control, "wb");
	fwrite("xx", 1, 2, fp);
	fwrite(box_sk, 1, sizeof box_sk, fp);
	fclose(fp);
	assert_true(fixture_file_has(control, box_sk, sizeof box_sk));

	assert_false(fixture_file_has(f->village, sign_sk, 32)); /* the Ed25519 seed */
	assert_false(fixture_file_has(f->village, sign_sk, 64));
	assert_false(fixture_file_has(f->village, sign_sk + 8, 16));
	assert_false(fixture_file_has(f->village, box_sk, 32));
	assert_false(fixture_file_has(f->village, box_sk + 8, 16));
	/* Not even the public key: every page is encrypted. */
	assert_false(fixture_file_has(f->village, sign_pk, 32));
	assert_false(fixture_file_has(f->village, (const unsigned char *)"sync_device_keys", 16));
}

/* The fingerprint as documented, computed here independently. */
static void documented_fingerprint(const struct sync_public_key *k, char out[48])
{
	unsigned char h[64];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)"taizhang-fingerprint-v1", 23);
	crypto_generichash_update(&st, k->sign_pk, 32);
	crypto_generichash_update(&st, k->box_pk, 32);
	crypto_generichash_final(&st, h, sizeof h);
	char *p = out;
	for (int g = 0; g < 8; g++) {
		uint64_t v = 0;
		for (int i = 0; i < 5; i++)
			v = v * 256 + h[5 * g + i];
		p += sprintf(p, "%s%05llu", g ? " " : "", (unsigned long long)(v % 100000));
	}
}

UNIT_TEST(the_fingerprint_is_eight_groups_of_five_digits, NULL, NULL)
{
	assert_true(sodium_init() >= 0);
	struct sync_public_key k;
	memset(&k, 0, sizeof k);
	for (int i = 0; i < 32; i++) {
		k.sign_pk[i] = (unsigned char)i;
		k.box_pk[i] = (unsigned char)(0x80 + i);
	}
	char fp[SYNC_FINGERPRINT_NCHARS + 1], want[48];
	sync_fingerprint(&k, fp);
	assert_int_equal(strlen(fp), 47);
	for (int i = 0; i < 47; i++) {
		if (i % 6 == 5)
			assert_int_equal(fp[i], ' ');
		else
			assert_true(fp[i] >= '0' && fp[i] <= '9');
	}
	documented_fingerprint(&k, want);
	assert_string_equal(fp, want);
	/* Frozen: a change here breaks every fingerprint already compared. */
	assert_string_equal(fp, "66005 14751 64191 98604 32042 19016 78633 00093");

	/* Either key changes it; the claimed identity does not. */
	char other[SYNC_FINGERPRINT_NCHARS + 1];
	k.box_pk[31] ^= 1;
	sync_fingerprint(&k, other);
	assert_string_not_equal(fp, other);
	k.box_pk[31] ^= 1;
	k.sign_pk[0] ^= 1;
	sync_fingerprint(&k, other);
	assert_string_not_equal(fp, other);
	k.sign_pk[0] ^= 1;
	k.kind = STORE_KIND_TOWN;
	memcpy(k.division_code, "341522104000", 13);
	sync_fingerprint(&k, other);
	assert_string_equal(fp, other);
}

UNIT_TEST(the_device_id_is_a_short_hash_of_the_signing_key, NULL, NULL)
{
	assert_true(sodium_init() >= 0);
	unsigned char pk[32], id[8], h[32];
	randombytes_buf(pk, sizeof pk);
	sync_device_id(pk, id);
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)"taizhang-device-id-v1", 21);
	crypto_generichash_update(&st, pk, 32);
	crypto_generichash_final(&st, h, sizeof h);
	assert_memory_equal(id, h, 8);
	char hex[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(id, hex);
	assert_int_equal(strlen(hex), 16);
	unsigned char back[8];
	assert_int_equal(sync_device_id_parse(hex, back), 0);
	assert_memory_equal(back, id, 8);
	for (char *p = hex; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	assert_int_equal(sync_device_id_parse(hex, back), 0);
	assert_memory_equal(back, id, 8);
	assert_int_equal(sync_device_id_parse("0123456789abcde", back), -1);
	assert_int_equal(sync_device_id_parse("0123456789abcdef0", back), -1);
	assert_int_equal(sync_device_id_parse("0123456789abcdeg", back), -1);
	assert_int_equal(sync_device_id_parse("", back), -1);
}

/* This device's key file and public keys. */
static void export_of(struct store *s, char file[SYNC_PUBKEY_FILE_NBYTES + 1],
		      struct sync_public_key *pub)
{
	struct sync_keys *k = sync_fixture_keys(s);
	sync_pubkey_file(k, file);
	*pub = k->pub;
	sync_keys_free(k);
}

static int parse(const void *data, size_t n, struct sync_public_key *out, struct tz_error *err)
{
	return sync_pubkey_parse(data, n, out, err);
}

UNIT_TEST(the_public_key_file_is_laid_out_as_documented, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *s = fixture_create(f->village, &fixture_village_id);
	char file[SYNC_PUBKEY_FILE_NBYTES + 1];
	struct sync_public_key pub;
	export_of(s, file, &pub);
	store_close(s);
	assert_int_equal(strlen(file), 230);
	assert_memory_equal(file, "taizhang-key ", 13);
	assert_int_equal(file[229], '\n');
	unsigned char rec[160];
	size_t n;
	assert_int_equal(sodium_base642bin(rec, sizeof rec, file + 13, 216, NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(n, 160);
	assert_memory_equal(rec, "TZPUBKEY", 8);
	assert_int_equal(rec[8], 1);
	assert_int_equal(rec[9], STORE_KIND_VILLAGE);
	assert_int_equal(rec[10] | rec[11], 0);
	assert_memory_equal(rec + 12, "341522104201", 12);
	assert_memory_equal(rec + 24, pub.device_id, 8);
	assert_memory_equal(rec + 32, pub.sign_pk, 32);
	assert_memory_equal(rec + 64, pub.box_pk, 32);
	unsigned char msg[22 + 96];
	memcpy(msg, "taizhang-public-key-v1", 22);
	memcpy(msg + 22, rec, 96);
	assert_int_equal(crypto_sign_verify_detached(rec + 96, msg, sizeof msg, pub.sign_pk), 0);

	struct sync_public_key back;
	struct tz_error err;
	assert_int_equal(parse(file, 230, &back, &err), TZ_OK);
	assert_memory_equal(&back, &pub, sizeof pub);
	/* What editors do to the last line is accepted, and nothing else. */
	assert_int_equal(parse(file, 229, &back, &err), TZ_OK);
	char crlf[232];
	memcpy(crlf, file, 229);
	memcpy(crlf + 229, "\r\n", 2);
	assert_int_equal(parse(crlf, 231, &back, &err), TZ_OK);
	assert_memory_equal(&back, &pub, sizeof pub);
}

/* The key file and public keys of a town store made at f->town for the test. */
static void new_town_key_file(struct fixture_stores *f, char file[SYNC_PUBKEY_FILE_NBYTES + 1],
			      struct sync_public_key *pub)
{
	struct store *s = fixture_create(f->town, &fixture_town_id);
	export_of(s, file, pub);
	store_close(s);
}

UNIT_TEST(every_damaged_key_file_is_refused, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	char file[SYNC_PUBKEY_FILE_NBYTES + 1];
	struct sync_public_key pub, out;
	new_town_key_file(f, file, &pub);
	struct tz_error err;
	static const unsigned char masks[] = { 0x01, 0x20, 0x80, 0xFF };
	for (size_t off = 0; off < 230; off++) {
		for (size_t m = 0; m < sizeof masks; m++) {
			unsigned char copy[230];
			memcpy(copy, file, 230);
			copy[off] ^= masks[m];
			int rc = parse(copy, 230, &out, &err);
			if (rc != TZ_EDAMAGED)
				fail_msg("flip 0x%02x at offset %zu: status %d", masks[m], off, rc);
			assert_true(err.msg[0] != '\0');
		}
	}
	for (size_t len = 0; len < 229; len++) {
		unsigned char *cut = malloc(len ? len : 1);
		memcpy(cut, file, len);
		int rc = parse(cut, len, &out, &err);
		free(cut);
		if (rc != TZ_EDAMAGED)
			fail_msg("truncation to %zu bytes: status %d", len, rc);
	}
	char longer[240];
	memcpy(longer, file, 230);
	memcpy(longer + 230, "x", 1);
	assert_int_equal(parse(longer, 231, &out, &err), TZ_EDAMAGED);
	memcpy(longer + 229, "\n\n", 2);
	assert_int_equal(parse(longer, 231, &out, &err), TZ_EDAMAGED);
	assert_int_equal(parse("hello", 5, &out, &err), TZ_EDAMAGED);
	assert_non_null(strstr(err.msg, "不是 taizhang 公钥文件"));
	/* On failure nothing half-read is handed back. */
	struct sync_public_key zero;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(&out, &zero, sizeof out);
}

UNIT_TEST(a_key_file_signed_by_another_key_is_refused, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	char file[SYNC_PUBKEY_FILE_NBYTES + 1];
	struct sync_public_key pub, out;
	new_town_key_file(f, file, &pub);
	unsigned char rec[160];
	size_t n;
	assert_int_equal(sodium_base642bin(rec, sizeof rec, file + 13, 216, NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	unsigned char other_pk[32], other_sk[64], msg[22 + 96];
	crypto_sign_keypair(other_pk, other_sk);
	struct tz_error err;

	/* Another key's signature over the genuine record. */
	memcpy(msg, "taizhang-public-key-v1", 22);
	memcpy(msg + 22, rec, 96);
	crypto_sign_detached(rec + 96, NULL, msg, sizeof msg, other_sk);
	char forged[231];
	memcpy(forged, file, 13);
	sodium_bin2base64(forged + 13, 217, rec, sizeof rec, sodium_base64_VARIANT_ORIGINAL);
	forged[229] = '\n';
	assert_int_equal(parse(forged, 230, &out, &err), TZ_EDAMAGED);
	assert_non_null(strstr(err.msg, "自签名"));

	/* A new box key under the genuine signing key, signed by someone else. */
	memcpy(rec + 64, other_pk, 32);
	memcpy(msg + 22, rec, 96);
	crypto_sign_detached(rec + 96, NULL, msg, sizeof msg, other_sk);
	sodium_bin2base64(forged + 13, 217, rec, sizeof rec, sodium_base64_VARIANT_ORIGINAL);
	forged[229] = '\n';
	assert_int_equal(parse(forged, 230, &out, &err), TZ_EDAMAGED);
}

/* sync_trust_town or sync_enroll: s takes key on as its town or a village. */
typedef int trust_fn(struct store *s, const struct sync_public_key *key, unsigned flags,
		     enum sync_change *change, struct tz_error *err);

/* What taking on a new key must do: a check says it would be added and
 * writes nothing (keys_sql still counts 0), then it is added once, and
 * taking it on again changes nothing. */
static void assert_taken_on_once(trust_fn *take, struct store *s, const struct sync_public_key *key,
				 const char *keys_sql)
{
	enum sync_change change;
	struct tz_error err;
	assert_int_equal(take(s, key, SYNC_TRUST_CHECK_ONLY, &change, &err), TZ_OK);
	assert_int_equal(change, SYNC_ADDED);
	assert_int_equal(fixture_int(s, keys_sql), 0);
	assert_int_equal(take(s, key, 0, &change, &err), TZ_OK);
	assert_int_equal(change, SYNC_ADDED);
	assert_int_equal(take(s, key, 0, &change, &err), TZ_OK);
	assert_int_equal(change, SYNC_UNCHANGED);
}

UNIT_TEST(a_village_trusts_its_own_town_once, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *t = fixture_create(f->town, &fixture_town_id);
	struct store *o = fixture_create(f->town2, &other_town_id);
	struct store *v = fixture_create(f->village, &fixture_village_id);
	struct sync_public_key town = sync_fixture_public(t), other = sync_fixture_public(o), self = sync_fixture_public(v);
	struct tz_error err;
	enum sync_change change;

	assert_taken_on_once(sync_trust_town, v, &town, "SELECT count(*) FROM sync_town_key");

	/* Not a town key; a town of another township; trust at a town. */
	assert_int_equal(sync_trust_town(v, &self, 0, &change, &err), TZ_EFAIL);
	assert_int_equal(sync_trust_town(v, &other, 0, &change, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "341522105000"));
	assert_int_equal(sync_trust_town(t, &town, 0, &change, &err), TZ_EUSAGE);

	/* Another key of the same town replaces the old one only on purpose. */
	struct sync_public_key second = other;
	memcpy(second.division_code, "341522104000", 13);
	assert_int_equal(sync_trust_town(v, &second, 0, &change, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "--replace"));
	assert_int_equal(sync_trust_town(v, &second, SYNC_TRUST_REPLACE, &change, &err), TZ_OK);
	assert_int_equal(change, SYNC_REPLACED);
	assert_int_equal(fixture_int(v, "SELECT count(*) FROM audit_log WHERE action LIKE 'sync.trust%'"), 2);

	/* The village accepts bundles signed by the trusted town key only. */
	enum bundle_sender status;
	unsigned char pk[32];
	assert_int_equal(sync_keys_bundle_lookup(v, second.device_id, pk, &status, &err), TZ_OK);
	assert_int_equal(status, BUNDLE_SENDER_TRUSTED);
	assert_memory_equal(pk, second.sign_pk, 32);
	assert_int_equal(sync_keys_bundle_lookup(v, town.device_id, pk, &status, &err), TZ_OK);
	assert_int_equal(status, BUNDLE_SENDER_UNKNOWN);
	store_close(v);
	store_close(o);
	store_close(t);
}

static int count_peers(void *ctx, const struct sync_peer *p)
{
	int *n = ctx;
	n[0]++;
	n[1] += p->revoked;
	return 0;
}

UNIT_TEST(the_town_enrolls_and_revokes_village_devices, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *t = fixture_create(f->town, &fixture_town_id);
	struct store *v = fixture_create(f->village, &fixture_village_id);
	struct sync_public_key town = sync_fixture_public(t), village = sync_fixture_public(v);
	struct tz_error err;
	enum sync_change change;

	assert_int_equal(sync_enroll(v, &village, 0, &change, &err), TZ_EUSAGE);
	assert_int_equal(sync_enroll(t, &town, 0, &change, &err), TZ_EFAIL);
	struct sync_public_key elsewhere = village;
	memcpy(elsewhere.division_code, "341522999201", 13);
	assert_int_equal(sync_enroll(t, &elsewhere, 0, &change, &err), TZ_EFAIL);

	assert_taken_on_once(sync_enroll, t, &village, "SELECT count(*) FROM sync_village_devices");

	enum bundle_sender status;
	unsigned char pk[32];
	assert_int_equal(sync_keys_bundle_lookup(t, village.device_id, pk, &status, &err), TZ_OK);
	assert_int_equal(status, BUNDLE_SENDER_TRUSTED);
	assert_memory_equal(pk, village.sign_pk, 32);

	unsigned char unknown[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	assert_int_equal(sync_revoke(t, unknown, &change, &err), TZ_EFAIL);
	assert_int_equal(sync_revoke(v, village.device_id, &change, &err), TZ_EUSAGE);
	assert_int_equal(sync_revoke(t, village.device_id, &change, &err), TZ_OK);
	assert_int_equal(change, SYNC_REVOKED);
	assert_int_equal(sync_revoke(t, village.device_id, &change, &err), TZ_OK);
	assert_int_equal(change, SYNC_UNCHANGED);
	assert_int_equal(sync_keys_bundle_lookup(t, village.device_id, pk, &status, &err), TZ_OK);
	assert_int_equal(status, BUNDLE_SENDER_REVOKED);

	/* Revoked for good. */
	assert_int_equal(sync_enroll(t, &village, 0, &change, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "吊销"));
	assert_int_equal(store_tx_begin(t, &err), TZ_OK);
	assert_int_not_equal(store_exec(t, "UPDATE sync_village_devices SET revoked = 0, revoked_at = NULL,"
					 " revoked_by = NULL", &err), TZ_OK);
	assert_int_not_equal(store_exec(t, "DELETE FROM sync_village_devices", &err), TZ_OK);
	store_tx_rollback(t);

	int n[2] = { 0, 0 };
	assert_int_equal(sync_peers_list(t, count_peers, n, &err), TZ_OK);
	assert_int_equal(n[0], 1);
	assert_int_equal(n[1], 1);
	assert_int_equal(fixture_int(t, "SELECT count(*) FROM audit_log WHERE action IN ('sync.enroll', 'sync.revoke')"), 2);
	store_close(v);
	store_close(t);
}

UNIT_TEST(a_village_bundle_reaches_the_town_through_the_stored_keys, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *t = fixture_create(f->town, &fixture_town_id);
	struct store *v = fixture_create(f->village, &fixture_village_id);
	struct tz_error err;
	enum sync_change change;

	/* Exchange key files, as on sticks. */
	char town_file[SYNC_PUBKEY_FILE_NBYTES + 1], village_file[SYNC_PUBKEY_FILE_NBYTES + 1];
	struct sync_public_key town_pub, village_pub, parsed;
	export_of(t, town_file, &town_pub);
	export_of(v, village_file, &village_pub);
	assert_int_equal(parse(town_file, 230, &parsed, &err), TZ_OK);
	assert_int_equal(sync_trust_town(v, &parsed, 0, &change, &err), TZ_OK);
	assert_int_equal(parse(village_file, 230, &parsed, &err), TZ_OK);
	assert_int_equal(sync_enroll(t, &parsed, 0, &change, &err), TZ_OK);

	/* The village seals a payload to the town it trusts. */
	struct sync_keys *vk = sync_fixture_keys(v);
	struct bundle_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.sender, vk->pub.device_id, 8);
	memcpy(h.recipient, town_pub.device_id, 8);
	h.seq = 1;
	unsigned char *file;
	size_t n;
	assert_int_equal(bundle_encode(&h, vk->sign_sk, town_pub.box_pk,
				       (const unsigned char *)"changeset", 9, &file, &n, &err), TZ_OK);
	sync_keys_free(vk);

	/* The town opens it with its stored keys and its enrolment table. */
	struct sync_keys *tk = sync_fixture_keys(t);
	struct bundle_recipient me;
	memcpy(me.device_id, tk->pub.device_id, 8);
	me.box_pk = tk->pub.box_pk;
	me.box_sk = tk->box_sk;
	me.lookup = sync_keys_bundle_lookup;
	me.lookup_ctx = t;
	struct bundle_header got;
	unsigned char *payload;
	size_t payload_n;
	enum bundle_fault fault;
	assert_int_equal(bundle_decode(file, n, &me, &got, &payload, &payload_n, &fault, &err), TZ_OK);
	assert_int_equal(payload_n, 9);
	assert_memory_equal(payload, "changeset", 9);
	bundle_payload_free(payload, payload_n);

	/* After revocation the same file is refused. */
	assert_int_equal(sync_revoke(t, village_pub.device_id, &change, &err), TZ_OK);
	assert_int_equal(bundle_decode(file, n, &me, &got, &payload, &payload_n, &fault, &err), TZ_EAUTH);
	assert_int_equal(fault, BUNDLE_FAULT_REVOKED_SENDER);
	sync_keys_free(tk);
	free(file);
	store_close(v);
	store_close(t);
}

/* ---- key files on disk: export, read back, found on a stick ---- */

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

UNIT_TEST(key_files_are_found_on_a_stick_by_content_not_by_name, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct store *t = fixture_create(f->town, &fixture_town_id);
	char stick[FIXTURE_PATH_NBYTES], deep[FIXTURE_PATH_NBYTES + 32], too_deep[FIXTURE_PATH_NBYTES + 64];
	char path[FIXTURE_PATH_NBYTES + 256], name[128];
	fixture_file(&f->fx, "stick", stick);
	snprintf(deep, sizeof deep, "%s/u/盘", stick);
	snprintf(too_deep, sizeof too_deep, "%s/a/b/c", stick);
	static const char *const folders[] = { "", "/u", "/u/盘", "/a", "/a/b", "/a/b/c" };
	for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
		snprintf(path, sizeof path, "%s%s", stick, folders[i]);
		assert_int_equal(mkdir(path, 0700), 0);
	}

	/* Exported under the name given to a folder: read back as written. */
	struct sync_public_key pub, back;
	struct tz_error err;
	assert_int_equal(sync_keys_public(t, &pub, &err), TZ_OK);
	sync_pubkey_file_name(&pub, name, sizeof name);
	assert_non_null(strstr(name, "341522104000-镇公钥-"));
	snprintf(path, sizeof path, "%s/%s", deep, name);
	assert_int_equal(sync_pubkey_export(t, path, &back, &err), TZ_OK);
	assert_memory_equal(back.sign_pk, pub.sign_pk, SYNC_SIGN_PK_NBYTES);
	assert_int_equal(sync_pubkey_export(t, path, NULL, &err), TZ_EFAIL); /* never over a file */
	assert_int_equal(sync_pubkey_read(path, &back, &err), TZ_OK);
	assert_memory_equal(back.box_pk, pub.box_pk, SYNC_BOX_NBYTES);

	/* A renamed copy is found; other files and one three folders down are not. */
	char *data;
	size_t nbytes;
	assert_int_equal(bundle_file_read(path, 4096, (unsigned char **)&data, &nbytes, &err), TZ_OK);
	snprintf(path, sizeof path, "%s/镇里给的.txt", stick);
	write_text(path, data);
	snprintf(path, sizeof path, "%s/d.key", too_deep);
	write_text(path, data);
	free(data);
	snprintf(path, sizeof path, "%s/notes.key", stick);
	write_text(path, "not a key\n");
	char **paths;
	size_t n;
	assert_int_equal(sync_key_files_find(stick, 2, &paths, &n, &err), TZ_OK);
	assert_int_equal(n, 2);
	assert_non_null(strstr(paths[0], "/u/盘/341522104000-镇公钥-"));
	assert_non_null(strstr(paths[1], "/镇里给的.txt"));
	sync_key_files_free(paths, n);

	/* Not a folder: said in Chinese, naming it. */
	assert_int_equal(sync_key_files_find(path, 2, &paths, &n, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "不是文件夹"));
	assert_int_equal(sync_key_files_find("/nonexistent/tz", 2, &paths, &n, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "文件或文件夹不存在"));
	assert_int_equal(sync_pubkey_read(path, &back, &err), TZ_EDAMAGED);
	assert_non_null(strstr(err.msg, path));
	store_close(t);
}

int main(void)
{
	return unit_run("keys", NULL, NULL);
}
