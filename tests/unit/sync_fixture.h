/*
 * sync_fixture.h — the helpers the tests of keys and bundles share: a
 * village and a town that trust each other (the village trusts the town's
 * key, the town enrolls the village's device), the device keys of a store
 * read or failing the test, an emptied folder for bundle files, and stick
 * trips (export from one store, import into another).
 *
 * Linked into every unit test binary with fixture.c by the Makefile
 * (tests/unit/sync_fixture.c). Every helper fails the running cmocka test
 * with the library's message when a step does not succeed.
 */
#ifndef TZ_TEST_SYNC_FIXTURE_H
#define TZ_TEST_SYNC_FIXTURE_H

#include <stddef.h>

#include "fixture.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"

/* Make this process what the program is before it opens a store: libsodium
 * started, and every store opened recording its changes for sync
 * (sync_capture_attach, as store_set_open_hook). For a test binary's main.
 * Returns 0, or -1 when libsodium cannot start. */
int sync_fixture_init(void);

/* A fixture of one or two villages and their town, each village linked with
 * the town (sync_fixture_link), the stores in the fixture's directory. */
struct sync_stores {
	struct fixture fx;
	struct store *v1;   /* v1.tzs, fixture_village_id */
	struct store *v2;   /* v2.tzs, or NULL when there is no second village */
	struct store *town; /* t.tzs, fixture_town_id */
};
/* A zeroed block of nbytes (at least sizeof (struct sync_stores)) that begins
 * with a struct sync_stores, its stores created and linked; v2_id the second
 * village's identity (NULL: none). Fails the test when a step fails; NULL when
 * the directory cannot be made. */
void *sync_fixture_new(size_t nbytes, const struct store_identity *v2_id);
/* cmocka teardown of a sync_fixture_new'ed block: its stores closed, the rest
 * as fixture_teardown. */
int sync_fixture_teardown(void **state);

/* The village trusts the town's key and the town enrolls the village's
 * device key, each as the first change of its kind. */
void sync_fixture_link(struct store *village, struct store *town);
/* The public keys of s. */
struct sync_public_key sync_fixture_public(struct store *s);
/* The device keys of s, made if needed; the caller frees them with
 * sync_keys_free. */
struct sync_keys *sync_fixture_keys(struct store *s);
/* The folder dir/name, emptied (removed with everything below it, made again);
 * its path in a static buffer, good until the next call. */
const char *sync_fixture_folder(const char *dir, const char *name);

struct bundle_header;
struct payload;
/* Write to path the bundle of payload p that the device of `from` signs and
 * encrypts for the device of `to`, under header h: its seq and prev_hash as
 * the caller set them, schema_version, sender and recipient filled in here. */
void sync_fixture_forge(struct store *from, struct store *to, struct bundle_header *h,
			const struct payload *p, const char *path);

/* Export s into the folder dir/name (emptied first); the number of files.
 * Fails the test when the export fails. */
size_t sync_fixture_export(const char *dir, struct store *s, const char *name);
/* Import the folder dir/name into s: the worst status; *outcome and msg (cap
 * bytes; either may be NULL) get the outcome and message of the last file not
 * skipped (files go in order of seq: the newest bundle). */
int sync_fixture_import(const char *dir, struct store *s, const char *name,
			enum sync_outcome *outcome, char *msg, size_t cap);
/* One stick trip: from exports into dir/stick, to imports it; as
 * sync_fixture_import. */
int sync_fixture_trip(const char *dir, struct store *from, struct store *to,
		      enum sync_outcome *outcome, char *msg, size_t cap);

#endif
