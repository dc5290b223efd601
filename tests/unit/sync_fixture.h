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

#include "taizhang/store.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"

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
