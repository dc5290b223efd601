/*
 * fuzz_keyring.c — a libFuzzer target for the keyring at the head of a store
 * file (keyring_read, src/store/keyring.c): the 8 KiB region holding two
 * copies, read before any passphrase is asked, from whatever file an officer
 * opens. The first input byte picks how the rest (the region; a short one is
 * a truncated file) is read:
 *   even  as it is: a mutated copy almost never passes its checksum;
 *   odd   with each copy's checksum made right first, so that the layout
 *         checks behind it (version, kind, code, slots, names, KDF limits,
 *         one recovery slot at most) see fuzzed values.
 * An accepted keyring must answer every lookup, its MAC and recovery slot
 * must be checked without harm, and writing it back (with a fixed master key)
 * and reading that must give the same keyring, one generation on.
 *
 * Seeds (TZ_FUZZ_SEEDS=DIR): the regions of real store files: a village with
 * two users and a recovery slot sealed to its town, and the town's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sodium.h>

#include "fuzz_common.h"
#include "taizhang/keyring.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"

#define CHECKSUM_OFFSET 4064 /* as keyring.c lays a copy out */

static int memfd(void)
{
	int fd = memfd_create("keyring", 0);
	if (fd < 0)
		abort();
	return fd;
}

static void put(int fd, const unsigned char *bytes, size_t n)
{
	if (ftruncate(fd, 0) != 0 || (n > 0 && pwrite(fd, bytes, n, 0) != (ssize_t)n))
		abort();
}

static void fix_checksums(unsigned char *region, size_t n)
{
	for (size_t c = 0; c + KEYRING_COPY_NBYTES <= n && c < KEYRING_REGION_NBYTES;
	     c += KEYRING_COPY_NBYTES)
		crypto_generichash(region + c + CHECKSUM_OFFSET, 32, region + c, CHECKSUM_OFFSET, NULL, 0);
}

static void use(const struct keyring *kr, int out_fd)
{
	static unsigned char master[SECRET_KEY_NBYTES], town_pk[32], town_sk[32];
	static int ready;
	if (!ready) {
		memset(master, 0x5a, sizeof master);
		unsigned char seed[32];
		memset(seed, 0x03, sizeof seed);
		crypto_box_seed_keypair(town_pk, town_sk, seed);
		ready = 1;
	}
	struct tz_error err;
	int users = keyring_user_count(kr);
	int first = keyring_find_user(kr, NULL);
	if ((users == 0) != (first < 0) || keyring_find_user(kr, "admin") >= KEYRING_MAX_SLOTS)
		abort();
	int rec = keyring_find_recovery(kr);
	if (rec >= 0 && kr->slots[rec].kind != SLOT_RECOVERY)
		abort();
	keyring_free_slot(kr);
	keyring_check_mac(kr, master, &err);
	unsigned char opened[SECRET_KEY_NBYTES];
	keyring_unseal_recovery(kr, rec >= 0 ? kr->slots[rec].town_pk : town_pk, town_sk, opened,
				&err);
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
		if (kr->slots[i].kind != SLOT_EMPTY && !keyring_name_valid(kr->slots[i].name) &&
		    kr->slots[i].name[0] != '\0')
			abort();

	/* written back and read again: the same keyring, one generation on */
	struct keyring copy = *kr, again;
	put(out_fd, NULL, 0);
	if (keyring_write(out_fd, &copy, master, &err) != TZ_OK ||
	    keyring_read(out_fd, &again, NULL, &err) != TZ_OK ||
	    again.generation != kr->generation + 1 || again.kind != kr->kind ||
	    again.epoch != kr->epoch || strcmp(again.division_code, kr->division_code) != 0 ||
	    memcmp(again.uuid, kr->uuid, sizeof again.uuid) != 0 ||
	    memcmp(again.slots, kr->slots, sizeof again.slots) != 0 ||
	    keyring_check_mac(&again, master, &err) != TZ_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static int in_fd = -1, out_fd = -1;
	if (in_fd < 0) {
		in_fd = memfd();
		out_fd = memfd();
	}
	if (size < 1)
		return 0;
	size_t n = size - 1;
	unsigned char *region = malloc(n ? n : 1);
	if (region == NULL)
		return 0;
	memcpy(region, data + 1, n);
	if (data[0] & 1)
		fix_checksums(region, n);
	put(in_fd, region, n);
	struct keyring kr;
	struct keyring_health health;
	struct tz_error err;
	int rc = keyring_read(in_fd, &kr, &health, &err);
	if (rc == TZ_OK) {
		if (health.copy_damaged[0] && health.copy_damaged[1])
			abort();
		use(&kr, out_fd);
	} else if (rc != TZ_EDAMAGED || !health.copy_damaged[0] || !health.copy_damaged[1]) {
		abort();
	}
	free(region);
	return 0;
}

/* The region of the store file at path as seeds: as read (both modes), and
 * with copy B cut off. */
static void region_seeds(const char *dir, const char *name, const char *path)
{
	unsigned char buf[1 + KEYRING_REGION_NBYTES];
	FILE *fp = fopen(path, "rb");
	if (fp == NULL || fread(buf + 1, 1, KEYRING_REGION_NBYTES, fp) != KEYRING_REGION_NBYTES) {
		perror(path);
		exit(1);
	}
	fclose(fp);
	char seedname[64];
	buf[0] = 0;
	snprintf(seedname, sizeof seedname, "%s-region", name);
	fuzz_seed_write(dir, seedname, buf, sizeof buf);
	buf[0] = 1;
	snprintf(seedname, sizeof seedname, "%s-region-fixed", name);
	fuzz_seed_write(dir, seedname, buf, sizeof buf);
	snprintf(seedname, sizeof seedname, "%s-copy-a", name);
	fuzz_seed_write(dir, seedname, buf, 1 + KEYRING_COPY_NBYTES);
}

static int write_seeds(const char *dir)
{
	struct store *town = fuzz_store_create("town.tzs", STORE_KIND_TOWN, "341522104000", "城关镇");
	struct store *v = fuzz_store_create("village.tzs", STORE_KIND_VILLAGE, "341522104201", "示范村");
	struct sync_public_key tk;
	enum sync_change change;
	struct tz_error err;
	if (sync_keys_public(town, &tk, &err) != TZ_OK ||
	    sync_trust_town(v, &tk, 0, &change, &err) != TZ_OK ||
	    store_user_add(v, "李会计", "another pass", 12, KDF_COST_MIN, &err) != TZ_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	store_close(v);
	store_close(town);
	region_seeds(dir, "village", fuzz_path("village.tzs"));
	region_seeds(dir, "town", fuzz_path("town.tzs"));
	return 0;
}

FUZZ_SEEDS_FROM(write_seeds)
