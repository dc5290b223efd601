/*
 * sync_fixture.c — villages and their town trusting each other, device keys,
 * forged bundles and empty bundle folders for the unit tests (see
 * sync_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include <cmocka.h>

#include "../../src/sync/sync_internal.h"
#include "fixture.h"
#include "sync_fixture.h"
#include "taizhang/bundle.h"

int sync_fixture_init(void)
{
	if (sodium_init() < 0)
		return -1;
	store_set_open_hook(sync_capture_attach);
	return 0;
}

void *sync_fixture_new(size_t nbytes, const struct store_identity *v2_id)
{
	struct sync_stores *f = fixture_new(nbytes < sizeof *f ? sizeof *f : nbytes, NULL);
	if (f == NULL)
		return NULL;
	f->v1 = fixture_create_in(&f->fx, "v1.tzs", &fixture_village_id);
	if (v2_id != NULL)
		f->v2 = fixture_create_in(&f->fx, "v2.tzs", v2_id);
	f->town = fixture_create_in(&f->fx, "t.tzs", &fixture_town_id);
	sync_fixture_link(f->v1, f->town);
	if (f->v2 != NULL)
		sync_fixture_link(f->v2, f->town);
	return f;
}

int sync_fixture_teardown(void **state)
{
	struct sync_stores *f = *state;
	if (f != NULL) {
		store_close(f->v1);
		if (f->v2 != NULL)
			store_close(f->v2);
		store_close(f->town);
	}
	return fixture_teardown(state);
}

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

size_t sync_fixture_export(const char *dir, struct store *s, const char *name)
{
	const char *folder = sync_fixture_folder(dir, name);
	struct sync_export_result r;
	struct tz_error err;
	if (sync_export(s, folder, &r, &err) != TZ_OK)
		fail_msg("export: %s", err.msg);
	size_t n = r.nfiles;
	sync_export_result_free(&r);
	return n;
}

int sync_fixture_import(const char *dir, struct store *s, const char *name,
			enum sync_outcome *outcome, char *msg, size_t cap)
{
	char path[FIXTURE_PATH_NBYTES];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct sync_import_result r;
	struct tz_error err;
	int rc = sync_import(s, path, NULL, NULL, &r, &err);
	if (outcome)
		*outcome = 0;
	if (msg)
		msg[0] = '\0';
	for (size_t i = 0; i < r.nitems; i++) {
		if (r.items[i].outcome == SYNC_SKIPPED)
			continue;
		if (outcome) /* the newest bundle's, those before it being replays */
			*outcome = r.items[i].outcome;
		if (msg)
			snprintf(msg, cap, "%s", r.items[i].message);
	}
	sync_import_result_free(&r);
	return rc;
}

int sync_fixture_trip(const char *dir, struct store *from, struct store *to,
		      enum sync_outcome *outcome, char *msg, size_t cap)
{
	sync_fixture_export(dir, from, "stick");
	return sync_fixture_import(dir, to, "stick", outcome, msg, cap);
}

void sync_fixture_forge(struct store *from, struct store *to, struct bundle_header *h,
			const struct payload *p, const char *path)
{
	struct sync_keys *k = sync_fixture_keys(from);
	struct sync_public_key recipient = sync_fixture_public(to);
	struct tz_error err;
	unsigned char *payload, *file;
	size_t payload_nbytes, file_nbytes;
	if (payload_encode(p, &payload, &payload_nbytes, &err) != TZ_OK)
		fail_msg("payload_encode: %s", err.msg);
	h->schema_version = (uint32_t)fixture_int(from, "PRAGMA user_version");
	memcpy(h->sender, k->pub.device_id, sizeof h->sender);
	memcpy(h->recipient, recipient.device_id, sizeof h->recipient);
	if (bundle_encode(h, k->sign_sk, recipient.box_pk, payload, payload_nbytes, &file,
			  &file_nbytes, &err) != TZ_OK)
		fail_msg("bundle_encode: %s", err.msg);
	fixture_write_file(path, file, file_nbytes);
	free(payload);
	free(file);
	sync_keys_free(k);
}
