/*
 * test_recovery.c — the recovery slot as a specification: trusting a town seals
 * the village's master key to the town's box key (one slot, replaced with the
 * trusted key), only that town's key pair reopens the store, the reopened store
 * gives a new officer a passphrase and changes nothing else, and a slot that is
 * missing, sealed elsewhere, duplicated or copied from another store is refused
 * — against real store files (src/store/keyring.c, users.c, src/sync/keys.c).
 */
#include <fcntl.h>
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

#include "taizhang/store.h"
#include "taizhang/sync_keys.h"

#include "fixture.h"
#include "sync_fixture.h"
#include "unit.h"

#define PASS FIXTURE_PASS
#define NEW_PASS "new officer pass"
#define SLOT_NBYTES 160
#define SLOTS_OFFSET 64
#define CHECKSUM_OFFSET 4064

static const struct store_identity village2_id = { STORE_KIND_VILLAGE, "341522104202", "二村" };

static void trust(struct store *v, const struct sync_public_key *town, unsigned flags,
		  enum sync_change want)
{
	struct tz_error err;
	enum sync_change change;
	if (sync_trust_town(v, town, flags, &change, &err) != TZ_OK)
		fail_msg("sync_trust_town: %s", err.msg);
	assert_int_equal(change, want);
}

static int recovery_slots(const struct keyring *kr)
{
	int n = 0;
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
		n += kr->slots[i].kind == SLOT_RECOVERY;
	return n;
}

static struct keyring peek(const char *path)
{
	struct keyring kr;
	struct tz_error err;
	if (store_peek(path, &kr, &err) != TZ_OK)
		fail_msg("store_peek: %s", err.msg);
	return kr;
}

/* A new town store at f->town (closed again, its public key in town_pub)
 * and a new village store at f->village, returned open, that does not trust
 * it yet. */
static struct store *village_and_town(struct fixture_stores *f, struct sync_public_key *town_pub)
{
	struct store *t = fixture_create(f->town, &fixture_town_id);
	struct tz_error err;
	assert_int_equal(sync_keys_public(t, town_pub, &err), TZ_OK);
	store_close(t);
	return fixture_create(f->village, &fixture_village_id);
}

/* The fixture of the tests that begin with a village trusting its town. */
struct trusting {
	struct fixture_stores at;
	struct sync_public_key town; /* the town's public key */
};

/* cmocka setup: village_and_town, the village with data and one user,
 * trusting the town, and closed. */
static int setup_trusting(void **state)
{
	struct trusting *t = fixture_new_stores(sizeof *t);
	if (t == NULL)
		return -1;
	struct store *v = village_and_town(&t->at, &t->town);
	fixture_sql(v, "CREATE TABLE ledger(id INTEGER PRIMARY KEY, name TEXT);"
		       "INSERT INTO ledger(name) VALUES ('王秀英'), ('李明')");
	trust(v, &t->town, 0, SYNC_ADDED);
	store_close(v);
	*state = t;
	return 0;
}

/* Open the store at village_path through its recovery slot with the keys of
 * the town store at town_path. Returns the status; *r the store opened. */
static int recover_with(const char *town_path, const char *village_path, struct store **r,
			struct tz_error *err)
{
	struct store *t = fixture_open(town_path, NULL, PASS);
	struct sync_keys *k = sync_fixture_keys(t);
	*r = NULL;
	int rc = store_open_recovery(village_path, k->pub.box_pk, k->box_sk, 0, r, err);
	sync_keys_free(k);
	store_close(t);
	return rc;
}

/* Add the users u1, u2, ... to s until the keyring has KEYRING_MAX_SLOTS
 * slots or one is refused (err says why). Returns how many were added. */
static int add_users_until_full(struct store *s, struct tz_error *err)
{
	int added = 0;
	for (int i = 1; i < KEYRING_MAX_SLOTS; i++) {
		char name[16];
		snprintf(name, sizeof name, "u%d", i);
		if (store_user_add(s, name, PASS, strlen(PASS), KDF_COST_MIN, err) != TZ_OK)
			break;
		added++;
	}
	return added;
}

UNIT_TEST(trusting_a_town_seals_one_recovery_slot_to_its_box_key, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct sync_public_key town;
	struct store *v = village_and_town(f, &town);
	struct tz_error err;

	assert_int_equal(keyring_find_recovery(store_keyring(v)), -1);
	trust(v, &town, SYNC_TRUST_CHECK_ONLY, SYNC_ADDED);
	assert_int_equal(recovery_slots(store_keyring(v)), 0);
	trust(v, &town, 0, SYNC_ADDED);
	store_close(v);

	struct keyring kr = peek(f->village);
	assert_int_equal(recovery_slots(&kr), 1);
	assert_int_equal(keyring_user_count(&kr), 1);
	const struct keyring_slot *slot = &kr.slots[keyring_find_recovery(&kr)];
	assert_memory_equal(slot->town_pk, town.box_pk, SYNC_BOX_NBYTES);
	assert_string_equal(slot->name, "341522104000");
	/* Not a user: it cannot be picked by name or as the default user. */
	assert_int_equal(keyring_find_user(&kr, "341522104000"), -1);
	assert_int_equal(kr.slots[keyring_find_user(&kr, NULL)].kind, SLOT_PASSPHRASE);

	/* The town's key pair unseals exactly the key the store is encrypted under. */
	struct store *r;
	assert_int_equal(recover_with(f->town, f->village, &r, &err), TZ_OK);
	assert_string_equal(store_user(r), STORE_RECOVERY_ACTOR);
	assert_int_equal(fixture_int(r, "SELECT count(*) FROM audit_log WHERE action = 'sync.trust'"), 1);
	store_close(r);
}

/* The town opens t's village through the recovery slot and gives user the
 * passphrase NEW_PASS (detail: for the audit row). Returns whether user was
 * an existing user whose passphrase was reset. */
static int town_grants(struct trusting *t, const char *user, const char *detail)
{
	struct store *r;
	struct tz_error err;
	assert_int_equal(recover_with(t->at.town, t->at.village, &r, &err), TZ_OK);
	int reset = -1;
	assert_int_equal(store_recovery_grant(r, user, NEW_PASS, strlen(NEW_PASS), KDF_COST_MIN, detail,
					      &reset, &err),
			 TZ_OK);
	store_close(r);
	return reset;
}

UNIT_TEST(the_town_gives_a_new_officer_a_passphrase_and_nothing_else_changes, setup_trusting, fixture_teardown)
{
	struct trusting *t = *state;
	struct fixture_stores *f = &t->at;
	assert_int_equal(town_grants(t, "镇恢复", "town 341522104000"), 0);

	/* The new officer opens the store and sees the data. */
	struct store *v = fixture_open(f->village, "镇恢复", NEW_PASS);
	assert_int_equal(fixture_int(v, "SELECT count(*) FROM ledger WHERE name IN ('王秀英', '李明')"), 2);
	assert_int_equal(fixture_int(v, "SELECT count(*) FROM audit_log WHERE action = 'store.recover'"
				  " AND user = '" STORE_RECOVERY_ACTOR "' AND subject = '镇恢复'"
				  " AND detail = 'town 341522104000'"),
			 1);
	store_close(v);
	/* The old officer still opens it with the old passphrase; the slot stays. */
	v = fixture_open(f->village, FIXTURE_USER, PASS);
	store_close(v);
	struct keyring kr = peek(f->village);
	assert_int_equal(keyring_user_count(&kr), 2);
	assert_int_equal(recovery_slots(&kr), 1);
}

UNIT_TEST(recovery_resets_the_passphrase_of_an_existing_user, setup_trusting, fixture_teardown)
{
	struct trusting *t = *state;
	struct fixture_stores *f = &t->at;
	assert_int_equal(town_grants(t, FIXTURE_USER, NULL), 1);
	struct tz_error err;
	struct store *r;
	int reset = 0;
	assert_int_equal(store_open(f->village, FIXTURE_USER, PASS, strlen(PASS), 0, &r, &err), TZ_EAUTH);
	r = fixture_open(f->village, FIXTURE_USER, NEW_PASS);
	assert_int_equal(keyring_user_count(store_keyring(r)), 1);
	/* Granting needs a store opened through the recovery slot. */
	assert_int_equal(store_recovery_grant(r, "x", NEW_PASS, strlen(NEW_PASS), KDF_COST_MIN,
					      NULL, &reset, &err),
			 TZ_EUSAGE);
	store_close(r);
}

UNIT_TEST(another_towns_key_is_refused_and_the_village_is_untouched, setup_trusting, fixture_teardown)
{
	struct trusting *t = *state;
	struct fixture_stores *f = &t->at;
	store_close(fixture_create(f->town2, &fixture_town_id)); /* same town code, another key */
	size_t before_n, after_n;
	char *before = fixture_read_file(f->village, &before_n);
	struct tz_error err;
	struct store *r;
	assert_int_equal(recover_with(f->town2, f->village, &r, &err), TZ_EAUTH);
	assert_null(r);
	assert_non_null(strstr(err.msg, "另一个镇公钥"));
	/* Right public key, wrong secret key: the seal does not open. */
	unsigned char *wrong_sk = sodium_malloc(SYNC_BOX_NBYTES);
	randombytes_buf(wrong_sk, SYNC_BOX_NBYTES);
	assert_int_equal(store_open_recovery(f->village, t->town.box_pk, wrong_sk, 0, &r, &err),
			 TZ_EDAMAGED);
	sodium_free(wrong_sk);
	char *after = fixture_read_file(f->village, &after_n);
	assert_int_equal(before_n, after_n);
	assert_memory_equal(before, after, before_n);
	free(before);
	free(after);
}

UNIT_TEST(a_store_without_a_recovery_slot_cannot_be_recovered, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	store_close(fixture_create(f->town, &fixture_town_id));
	store_close(fixture_create(f->village, &fixture_village_id));
	struct tz_error err;
	struct store *r;
	assert_int_equal(recover_with(f->town, f->village, &r, &err), TZ_EAUTH);
	assert_non_null(strstr(err.msg, "没有镇恢复槽"));
	/* A town store never gets one either. */
	assert_int_equal(recover_with(f->town, f->town, &r, &err), TZ_EAUTH);
}

UNIT_TEST(replacing_the_town_key_reseals_and_locks_the_old_town_out, setup_trusting, fixture_teardown)
{
	struct trusting *t = *state;
	struct fixture_stores *f = &t->at;
	struct store *v = fixture_open(f->village, NULL, PASS);
	struct store *u = fixture_create(f->town2, &fixture_town_id);
	struct sync_keys *k2 = sync_fixture_keys(u);
	trust(v, &k2->pub, SYNC_TRUST_REPLACE | SYNC_TRUST_CHECK_ONLY, SYNC_REPLACED);
	struct keyring kr = peek(f->village);
	assert_memory_equal(kr.slots[keyring_find_recovery(&kr)].town_pk, t->town.box_pk, 32);
	trust(v, &k2->pub, SYNC_TRUST_REPLACE, SYNC_REPLACED);
	store_close(v);

	kr = peek(f->village);
	assert_int_equal(recovery_slots(&kr), 1);
	assert_memory_equal(kr.slots[keyring_find_recovery(&kr)].town_pk, k2->pub.box_pk, 32);
	sync_keys_free(k2);
	store_close(u);
	struct tz_error err;
	struct store *r;
	assert_int_equal(recover_with(f->town, f->village, &r, &err), TZ_EAUTH);
	assert_int_equal(recover_with(f->town2, f->village, &r, &err), TZ_OK);
	store_close(r);
}

UNIT_TEST(trusting_the_same_key_again_repairs_a_missing_slot, setup_trusting, fixture_teardown)
{
	struct trusting *t = *state;
	struct store *v = fixture_open(t->at.village, NULL, PASS);
	struct tz_error err;
	assert_int_equal(store_recovery_seal(v, NULL, NULL, &err), TZ_OK);
	assert_int_equal(recovery_slots(store_keyring(v)), 0);
	trust(v, &t->town, SYNC_TRUST_CHECK_ONLY, SYNC_RESEALED);
	assert_int_equal(recovery_slots(store_keyring(v)), 0);
	trust(v, &t->town, 0, SYNC_RESEALED);
	assert_int_equal(recovery_slots(store_keyring(v)), 1);
	trust(v, &t->town, 0, SYNC_UNCHANGED);
	assert_int_equal(fixture_int(v, "SELECT count(*) FROM audit_log WHERE action = 'sync.recovery.seal'"),
			 1);
	store_close(v);
	struct keyring kr = peek(t->at.village);
	assert_int_equal(recovery_slots(&kr), 1);
}

UNIT_TEST(a_full_keyring_refuses_trust_and_trusts_nothing, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct sync_public_key town;
	struct store *v = village_and_town(f, &town);
	struct tz_error err;
	assert_int_equal(add_users_until_full(v, &err), KEYRING_MAX_SLOTS - 1);
	enum sync_change change;
	assert_int_equal(sync_trust_town(v, &town, 0, &change, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "镇恢复槽"));
	assert_int_equal(fixture_int(v, "SELECT count(*) FROM sync_town_key"), 0);
	assert_int_equal(recovery_slots(store_keyring(v)), 0);
	store_close(v);
}

/* With the recovery slot taking one of the slots, the store holds one user
 * fewer, and says so when it is full. */
UNIT_TEST(with_a_recovery_slot_the_keyring_holds_one_user_fewer, setup_trusting, fixture_teardown)
{
	struct trusting *t = *state;
	struct store *v = fixture_open(t->at.village, NULL, PASS);
	struct tz_error err;
	/* admin and the recovery slot take two */
	assert_int_equal(add_users_until_full(v, &err), KEYRING_MAX_SLOTS - 2);
	assert_non_null(strstr(err.msg, "用户已满（最多 23 个"));
	assert_non_null(strstr(err.msg, "镇恢复槽"));
	store_close(v);
}

/* Recompute the unkeyed checksum of one 4096-byte keyring copy. */
static void fix_checksum(unsigned char *copy)
{
	crypto_generichash(copy + CHECKSUM_OFFSET, 32, copy, CHECKSUM_OFFSET, NULL, 0);
}

UNIT_TEST(a_recovery_slot_copied_from_another_store_is_refused_as_altered, setup_trusting, fixture_teardown)
{
	struct trusting *t = *state;
	struct fixture_stores *f = &t->at;
	struct store *w = fixture_create(f->village2, &village2_id);
	trust(w, &t->town, 0, SYNC_ADDED);
	store_close(w);
	/* Put village 2's recovery slot (sealed to the same town) into village 1,
	 * with checksums made good: only the MAC can tell. */
	struct keyring kv = peek(f->village), kw = peek(f->village2);
	int iv = keyring_find_recovery(&kv), iw = keyring_find_recovery(&kw);
	unsigned char slot[SLOT_NBYTES], copy[KEYRING_COPY_NBYTES];
	int fw = open(f->village2, O_RDONLY);
	assert_int_equal(pread(fw, slot, sizeof slot, SLOTS_OFFSET + iw * SLOT_NBYTES),
			 (ssize_t)sizeof slot);
	close(fw);
	int fv = open(f->village, O_RDWR);
	for (int c = 0; c < 2; c++) {
		off_t base = (off_t)c * KEYRING_COPY_NBYTES;
		assert_int_equal(pread(fv, copy, sizeof copy, base), (ssize_t)sizeof copy);
		memcpy(copy + SLOTS_OFFSET + iv * SLOT_NBYTES, slot, sizeof slot);
		fix_checksum(copy);
		assert_int_equal(pwrite(fv, copy, sizeof copy, base), (ssize_t)sizeof copy);
	}
	close(fv);

	struct tz_error err;
	struct store *r;
	assert_int_equal(recover_with(f->town, f->village, &r, &err), TZ_EDAMAGED);
	assert_null(r);
}

UNIT_TEST(a_keyring_with_two_recovery_slots_is_not_sound, fixture_setup_stores, fixture_teardown)
{
	struct fixture_stores *f = *state;
	struct tz_error err;
	struct keyring kr;
	unsigned char *master = sodium_malloc(SECRET_KEY_NBYTES);
	unsigned char pk[32], sk[32];
	crypto_box_keypair(pk, sk);
	randombytes_buf(master, SECRET_KEY_NBYTES);
	assert_int_equal(keyring_init(&kr, STORE_KIND_VILLAGE, "341522104201", &err), TZ_OK);
	assert_int_equal(keyring_set_passphrase(&kr, 0, FIXTURE_USER, PASS, strlen(PASS), KDF_COST_MIN,
						master, &err),
			 TZ_OK);
	assert_int_equal(keyring_set_recovery(&kr, pk, "341522104000", master, &err), TZ_OK);
	assert_int_equal(keyring_set_recovery(&kr, pk, "341522104000", master, &err), TZ_OK);
	assert_int_equal(recovery_slots(&kr), 1); /* setting again replaces */
	int fd = open(f->village, O_RDWR | O_CREAT, 0600);
	assert_int_equal(keyring_write(fd, &kr, master, &err), TZ_OK);
	struct keyring back;
	assert_int_equal(keyring_read(fd, &back, NULL, &err), TZ_OK);
	assert_int_equal(recovery_slots(&back), 1);
	/* The unsealed key is the master key. */
	unsigned char *got = sodium_malloc(SECRET_KEY_NBYTES);
	assert_int_equal(keyring_unseal_recovery(&back, pk, sk, got, &err), TZ_OK);
	assert_memory_equal(got, master, SECRET_KEY_NBYTES);
	sodium_free(got);

	kr.slots[5] = kr.slots[keyring_find_recovery(&kr)];
	assert_int_equal(keyring_write(fd, &kr, master, &err), TZ_OK);
	assert_int_equal(keyring_read(fd, &back, NULL, &err), TZ_EDAMAGED);
	close(fd);
	sodium_free(master);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	return unit_run("recovery", NULL, NULL);
}
