/*
 * fixture.h — the one fixture every unit test uses: a private temporary
 * directory holding a store created with the test passphrase at the cheapest
 * key-derivation cost, and its removal (the store closed, everything in the
 * directory deleted) when the test ends. Also the few helpers the tests of the
 * store's rows share: running SQL, reading one integer, a villager group;
 * and text fixtures: UTF-8 made GB18030, a report written as text.
 *
 * Linked into every unit test binary by the Makefile (tests/unit/fixture.c).
 * The helpers that check (fixture_create, fixture_open, fixture_exec,
 * fixture_sql, fixture_int, fixture_add_group) fail the running cmocka test with the store's message; the
 * setup functions return -1 after saying why on stderr, as cmocka expects.
 */
#ifndef TZ_TEST_FIXTURE_H
#define TZ_TEST_FIXTURE_H

#include <stddef.h>

#include <sqlite3.h>

#include "taizhang/ids.h"
#include "taizhang/store.h"

#define FIXTURE_PASS "correct horse"
#define FIXTURE_USER "王芳"
#define FIXTURE_VILLAGE "341522104201"
#define FIXTURE_TOWN "341522104000"
#define FIXTURE_PATH_NBYTES 128

struct fixture {
	char dir[64];                     /* /tmp/tz-test-XXXXXX, made by fixture_init */
	char path[FIXTURE_PATH_NBYTES];   /* dir/s.tzs: the fixture's store, if any */
	struct store *s;                  /* that store, open; NULL when none */
};

/* The identities of the village 示范村 and the town 城关镇 it belongs to. */
extern const struct store_identity fixture_village_id;
extern const struct store_identity fixture_town_id;

/* Make fx's private directory (fx->s = NULL), libsodium initialised (secret.h).
 * Returns 0, or -1 having said why. */
int fixture_init(struct fixture *fx);
/* fixture_init, then create fx->path as a store of identity id for user (NULL:
 * FIXTURE_USER) with FIXTURE_PASS, open in fx->s. Returns 0, or -1 having said
 * why (the directory is removed again). */
int fixture_init_store(struct fixture *fx, const struct store_identity *id, const char *user);
/* Close fx->s if open and remove fx's directory with everything below it. */
void fixture_fini(struct fixture *fx);
/* The path of name inside fx's directory, written to out. Returns out. */
char *fixture_file(const struct fixture *fx, const char *name, char out[FIXTURE_PATH_NBYTES]);

/* Remove dir and everything below it (files and directories). */
void fixture_remove_tree(const char *dir);

/* Create a store at path (identity id, user FIXTURE_USER, FIXTURE_PASS,
 * KDF_COST_MIN); fails the test when it cannot. */
struct store *fixture_create(const char *path, const struct store_identity *id);
/* fixture_create of the store called name in fx's directory. */
struct store *fixture_create_in(const struct fixture *fx, const char *name,
				const struct store_identity *id);
/* Open the store at path as user (NULL: the first) with pass (NULL:
 * FIXTURE_PASS); fails the test when it cannot. */
struct store *fixture_open(const char *path, const char *user, const char *pass);

/* Run text (one or more statements) in the transaction already open, or none;
 * fails the test with the SQL and the store's message when it does not succeed. */
void fixture_exec(struct store *s, const char *text);
/* Run text (one or more statements) in a transaction of its own; fails the
 * test with the SQL and the store's message when it does not succeed. */
void fixture_sql(struct store *s, const char *text);
/* fixture_sql of the text that printf makes of fmt and what follows (any length). */
void fixture_sqlf(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The one integer the query text returns. */
sqlite3_int64 fixture_int(struct store *s, const char *text);

/* A query and the one integer it must return. */
struct fixture_count {
	const char *sql;
	sqlite3_int64 want;
};
/* Each of the n queries at counts returns its integer on s; fails the test
 * with the query at the first that does not. */
void fixture_assert_ints(struct store *s, const struct fixture_count *counts, size_t n);
#define FIXTURE_ASSERT_INTS(s, counts) fixture_assert_ints(s, counts, sizeof counts / sizeof counts[0])

/* A zeroed block of nbytes (at least sizeof (struct fixture)) that begins with
 * a fixture: its directory made and, when id is not NULL, its store created
 * (fixture_init_store with FIXTURE_USER). A test that needs more than the
 * fixture declares a struct whose first member is the struct fixture and
 * frees it with fixture_teardown. Returns NULL having said why. */
void *fixture_new(size_t nbytes, const struct store_identity *id);

/* fixture_new with a village store (fixture_village_id), today being today
 * (TAIZHANG_TODAY set to it for the rest of the process). Returns NULL having
 * said why. */
void *fixture_new_village(size_t nbytes, const char *today);

/* Insert a row of table through the model (record_insert, so validated and
 * audited) in a transaction of its own, rolled back when it fails. pairs:
 * column, value, column, value, ..., NULL (a NULL value leaves the column
 * empty). Writes the new row's id to id unless id is NULL. Returns the status,
 * err saying why; fails the test when table or a column does not exist. */
int fixture_insert(struct store *s, const char *table, const char *const *pairs,
		   char id[IDS_NCHARS + 1], struct tz_error *err);

/* Insert the villager group 张庄组 through the model (its own transaction)
 * and write its id to id. Fails the test when it cannot. */
void fixture_add_group(struct store *s, char id[IDS_NCHARS + 1]);

/* cmocka setup functions: *state is a fixture_new'ed struct fixture with a
 * village store (fixture_village_id), a town store (fixture_town_id), or only
 * the directory. fixture_teardown finishes and frees any of them, or any
 * block from fixture_new. */
int fixture_setup_village(void **state);
int fixture_setup_town(void **state);
int fixture_setup_dir(void **state);
int fixture_teardown(void **state);
/* A fixture for tests of several stores: its directory and the paths of two
 * villages and two towns in it, none of them created. */
struct fixture_stores {
	struct fixture fx;
	char village[FIXTURE_PATH_NBYTES];  /* v.tzs */
	char village2[FIXTURE_PATH_NBYTES]; /* w.tzs */
	char town[FIXTURE_PATH_NBYTES];     /* t.tzs */
	char town2[FIXTURE_PATH_NBYTES];    /* u.tzs */
};
/* A zeroed block of nbytes (at least sizeof (struct fixture_stores)) that
 * begins with a struct fixture_stores, its paths filled in; fixture_teardown
 * frees it. Returns NULL having said why. */
void *fixture_new_stores(size_t nbytes);
/* cmocka setup function: *state a fixture_new_stores'ed struct fixture_stores
 * (fixture_teardown frees it). */
int fixture_setup_stores(void **state);

/* The fixture the latest of the setup functions above made, until its
 * teardown (NULL then): the running test's, for a test file's helpers that are
 * not handed state. */
struct fixture *fixture_running(void);

/* 1, 2, 3, ... from each setup by a function above on: numbers for the ids of
 * the rows a test makes. */
unsigned fixture_serial(void);

/* The store of the fixture a setup function above left in *state. */
struct store *fixture_store(void **state);

/* text converted from UTF-8 to GB18030 with iconv(3), malloc'd (the caller
 * frees it); *nbytes its length. Fails the test when iconv cannot. */
char *fixture_gb18030(const char *text, size_t *nbytes);

/* Write the nbytes at data to the file at path (made or emptied first); fails
 * the test when it cannot. */
void fixture_write_file(const char *path, const void *data, size_t nbytes);

/* The whole file at path, malloc'd with a NUL after its *nbytes bytes (the
 * caller frees); nbytes may be NULL. Fails the test when it cannot be read. */
char *fixture_read_file(const char *path, size_t *nbytes);

/* Whether the file at path holds the nbytes at needle anywhere; 0 when there
 * is no such file. fixture_file_has_text: the same for the string text. */
int fixture_file_has(const char *path, const void *needle, size_t nbytes);
int fixture_file_has_text(const char *path, const char *text);

/* Copy the file from to the file to (made or emptied first); fails the test
 * when it cannot. */
void fixture_copy_file(const char *from, const char *to);

struct roster_report;
/* Whether rep (an import's report) lists a problem that begins “第 line 行：”
 * and holds fragment. */
int fixture_has_problem(const struct roster_report *rep, size_t line, const char *fragment);

struct report;
/* The text report_write_text writes for r, malloc'd (the caller frees it).
 * Fails the test when it does not succeed. */
char *fixture_report_text(const struct report *r);

#endif
