/*
 * sync_fixture.c — trust between a village and a town, device keys and
 * empty bundle folders for the unit tests (see sync_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "fixture.h"
#include "sync_fixture.h"

void sync_fixture_link(struct store *village, struct store *town)
{
	struct sync_public_key vk = sync_fixture_public(village);
	struct sync_public_key tk = sync_fixture_public(town);
	struct tz_error err;
	enum sync_change change;
	if (sync_trust_town(village, &tk, 0, &change, &err) != TZ_OK)
		fail_msg("sync_trust_town: %s", err.msg);
	if (sync_enroll(town, &vk, 0, &change, &err) != TZ_OK)
		fail_msg("sync_enroll: %s", err.msg);
}

struct sync_public_key sync_fixture_public(struct store *s)
{
	struct sync_public_key k;
	struct tz_error err;
	if (sync_keys_public(s, &k, &err) != TZ_OK)
		fail_msg("sync_keys_public: %s", err.msg);
	return k;
}

struct sync_keys *sync_fixture_keys(struct store *s)
{
	struct sync_keys *k = NULL;
	struct tz_error err;
	if (sync_keys_load(s, &k, &err) != TZ_OK)
		fail_msg("sync_keys_load: %s", err.msg);
	return k;
}

const char *sync_fixture_folder(const char *dir, const char *name)
{
	static char path[FIXTURE_PATH_NBYTES];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	fixture_remove_tree(path);
	assert_int_equal(mkdir(path, 0700), 0);
	return path;
}
