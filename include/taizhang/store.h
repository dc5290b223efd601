/*
 * store.h — the encrypted local store: create, unlock, transactions, users,
 * verification.
 *
 * A store is one file: the keyring region (keyring.h) followed by SQLite pages
 * encrypted by the VFS shim (store_vfs.h). Opening a store means unwrapping the
 * master key with one user's passphrase (one Argon2id derivation), checking the
 * keyring's MAC, registering the page key with the shim and opening SQLite on it
 * with the pragmas that keep everything on disk encrypted (journal_mode=DELETE,
 * temp_store=MEMORY, no mmap) and durable (synchronous=FULL), then applying the
 * migrations in db/.
 *
 * Every write goes through store_tx_begin / store_tx_commit: that is where change
 * capture for sync attaches (store_set_tx_hooks).
 */
#ifndef TAIZHANG_STORE_H
#define TAIZHANG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "taizhang/error.h"
#include "taizhang/keyring.h"
#include "taizhang/secret.h"

struct store;

struct store_identity {
	enum store_kind kind;
	const char *code; /* 12-digit administrative division code */
	const char *name; /* the village's or town's name, e.g. "示范村" */
};

enum store_open_flags {
	STORE_OPEN_READONLY = 1 << 0, /* no writes at all: no migrations, no repairs */
	STORE_OPEN_NO_SQL = 1 << 1,   /* unlock only; SQLite is not opened (verify) */
};

/* Configure the process's SQLite for the store before SQLite initialises
 * (src/store/library.c says what and why). Call it first thing in main, before
 * anything touches SQLite; store_create and store_open call it too (through
 * store_vfs_register), so a program or test that reaches SQLite only through the
 * store needs nothing. Idempotent and thread-safe. Returns 1 when the
 * configuration is in force, 0 when SQLite was already initialised by something
 * else (then it keeps its defaults: slower, behaving the same). The configuration
 * is the whole process's: any other SQLite connection in it runs under it too. */
int store_library_init(void);

/* Whether this SQLite's FTS5 may be written from a trigger under PRAGMA
 * trusted_schema=OFF (1), as the store's search index needs; when not (an
 * older SQLite, e.g. Debian's 3.40), every connection to a store runs with
 * trusted_schema=ON instead (src/store/library.c). Probed once. */
int store_library_fts5_innocuous(void);

/* Create a new store for path (which must not exist) with one user, built
 * aside: in a temporary file of path's directory (".NAME.tmp-XXXXXX", mode
 * 0600) that appears at path only on store_publish. Until then nothing is at
 * path, and store_close (after any failure), SIGINT, SIGTERM or SIGHUP removes
 * the temporary file; kill -9 or a power cut may leave it, hidden, never in the
 * way of path. For commands that fill a new store before it counts as made
 * (init, demo, snapshot restore). On success *out is the open store. */
int store_create_aside(const char *path, const struct store_identity *id,
		       const char *user, const char *pass, size_t pass_nbytes,
		       enum kdf_cost cost, struct store **out, struct tz_error *err);

/* Put a store made by store_create_aside at its path: no transaction may be
 * open. The file is synced, renamed into place without replacing anything (a
 * file that appeared at path meanwhile is kept: TZ_EFAIL, and the new store is
 * discarded by store_close), and the directory synced. s stays open at path, as
 * store_open would leave it; after a failure s can only be closed. On any other
 * store it does nothing. */
int store_publish(struct store *s, struct tz_error *err);

/* store_create_aside and store_publish at once: a store with its identity,
 * one user and nothing else. On failure nothing is left at path. */
int store_create(const char *path, const struct store_identity *id,
		 const char *user, const char *pass, size_t pass_nbytes,
		 enum kdf_cost cost, struct store **out, struct tz_error *err);

/* Open the store at path as user (NULL: the first user) with pass. Returns
 * TZ_OK; TZ_EAUTH for an unknown user or a wrong passphrase; TZ_EDAMAGED when the
 * file is damaged or altered; TZ_EFAIL otherwise. */
int store_open(const char *path, const char *user, const char *pass,
	       size_t pass_nbytes, unsigned flags, struct store **out,
	       struct tz_error *err);

/* What the audit log names as the user of a store opened with
 * store_open_recovery (a real user name cannot contain the space). */
#define STORE_RECOVERY_ACTOR "镇扶贫办 恢复槽"

/* Open the store at path with its recovery slot (src/store/keyring.c) instead of
 * a passphrase: the master key is unsealed with the town office's X25519 key pair
 * (town_pk, and town_sk: 32 bytes of secret memory, not kept). Everything else is
 * as store_open; store_user() is STORE_RECOVERY_ACTOR. Returns TZ_OK; TZ_EAUTH
 * when the store has no recovery slot or it is sealed to another key (nothing
 * was unsealed); TZ_EDAMAGED when the file or the slot is damaged or altered;
 * TZ_EFAIL otherwise. */
int store_open_recovery(const char *path, const unsigned char town_pk[KEYRING_TOWN_PK_NBYTES],
			const unsigned char *town_sk, unsigned flags, struct store **out,
			struct tz_error *err);

/* Read the keyring of the store at path without unlocking it: the identity and
 * the user names, e.g. to ask which user is unlocking. Nothing in it is secret.
 * Never call it while this process has the store open: closing its descriptor
 * would drop SQLite's POSIX locks on the file.
 * Returns TZ_OK, TZ_EFAIL when the file cannot be read, TZ_EDAMAGED. */
int store_peek(const char *path, struct keyring *out, struct tz_error *err);

/* A second connection to the open store s, read-only, for work run on
 * another thread beside s's own (s and the reader each used by one thread at
 * a time): the same file and key, no passphrase asked again. It sees what
 * is committed, so work split between the two sees the same data only while
 * the caller keeps a read transaction open on each, the one on s begun
 * first, with no changes of s's own pending. Closed with store_close, before
 * s. Returns TZ_OK and *out, or an error. */
int store_open_reader(struct store *s, struct store **out, struct tz_error *err);

/* Begin a read transaction on s and take its lock at once (a read of the
 * schema), so that no writer commits until store_read_end: 1, or 0 when it
 * cannot (a transaction is open, or the store is busy). */
int store_read_begin(struct store *s);
void store_read_end(struct store *s);

/* store_open_reader with a cache of cache_kib KiB, reading
 * (store_read_begin): the second connection a check or a township report
 * runs beside s, which must be in a read transaction of its own that has read.
 * NULL when any of it cannot be had (the caller then works on s alone); end
 * it with store_read_end and store_close. */
struct store *store_open_reading(struct store *s, int cache_kib);

/* Close the store, wiping every key; NULL is ignored. An open transaction is
 * rolled back. */
void store_close(struct store *s);

/* The SQLite handle (NULL when opened with STORE_OPEN_NO_SQL). Owned by s. */
sqlite3 *store_db(struct store *s);

/* The user who unlocked the store, and the store's identity from its keyring. */
const char *store_user(const struct store *s);
const struct keyring *store_keyring(const struct store *s);

/* A message the edge should show once after opening (e.g. a repaired keyring
 * copy), or NULL. */
const char *store_notice(const struct store *s);

/* Turn a SQLite result code into a tz status and message; reports a damaged
 * page by number. what names the operation ("读取住户"). Returns the status. */
int store_sqlite_error(struct store *s, int rc, const char *what, struct tz_error *err);

/* The store's schema version (PRAGMA user_version: the last migration applied),
 * e.g. for sync, whose bundles carry it. TZ_OK or the store's status. */
int store_schema_version(struct store *s, uint32_t *out, struct tz_error *err);

/* ---- page cache for bulk work ---- */

/* The store's page cache holds 16 MiB of decrypted pages, enough for the
 * officer's screens. Work that touches a store larger than that all over
 * (generating a village, importing bundles, building the town report) would
 * decrypt and re-encrypt the same pages again and again: it raises the cache to
 * at least kib KiB while it runs (memory only, taken as pages are read) and puts
 * it back afterwards. store_cache_raise returns what to give store_cache_restore
 * (0: the cache was left as it was). */
#define STORE_BULK_CACHE_KIB 262144 /* 256 MiB */
long long store_cache_raise(struct store *s, int kib);
void store_cache_restore(struct store *s, long long old);

/* Run SQL with no result rows (one or more statements). */
int store_exec(struct store *s, const char *sql, struct tz_error *err);
/* Prepare sql on s's database into *st (the caller finalizes it). An error
 * names what was being done ("读取问题状态"); *st is then NULL. */
int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st, const char *what,
		  struct tz_error *err);
/* Run the one statement sql (a write) with params[0..nparams) bound as text to
 * ?1, ?2, ... (NULL binds NULL; they need only last the call). An error names
 * what was being done ("登记本村"). */
int store_exec_params(struct store *s, const char *sql, const char *const *params,
		      int nparams, const char *what, struct tz_error *err);
/* Run the query sql with params bound as store_exec_params does and step it
 * once: TZ_OK with *row on its first row (the caller reads it, then finalizes
 * *row), or TZ_OK with *row NULL when there is no row. An error names what was
 * being done; *row is then NULL. */
int store_query_one(struct store *s, const char *sql, const char *const *params, int nparams,
		    sqlite3_stmt **row, const char *what, struct tz_error *err);
/* The same, reading the first ncols columns of the first row as integers into
 * out[0..ncols) (SQL NULL: 0); all 0 when there is no row (counts, sums). */
int store_query_ints(struct store *s, const char *sql, const char *const *params, int nparams,
		     long long *out, int ncols, const char *what, struct tz_error *err);
/* Column col of the row st is on as malloc'd text; NULL for SQL NULL. */
char *store_column_dup(sqlite3_stmt *st, int col);
/* The same, with "" for SQL NULL (for rows printed as they are). */
char *store_column_dup_or_empty(sqlite3_stmt *st, int col);
/* Read the row st is on, from column 0, into the places that follow types:
 * one letter a column, in the order of the columns: 'i' an int *, 'I' a
 * long long *, 't' a char ** (malloc'd text, "" for SQL NULL, as
 * store_column_dup_or_empty), '_' a column not read (no place). Any other
 * letter is a broken invariant (abort). */
void store_row_read(sqlite3_stmt *st, const char *types, ...);

/* How a query's rows become an array of items (store_rows_query): items of
 * item_nbytes each; read fills one, zeroed, from the row st is on. What one
 * item owns is freed as texts and drop say: texts lists the offsets of its
 * malloc'd char * members (STORE_TEXTS), each freed; drop (NULL: none) frees
 * anything else, not the item. */
struct store_rows {
	size_t item_nbytes;
	void (*read)(sqlite3_stmt *st, void *item);
	void (*drop)(void *item);
	const char *what; /* what a message names: "读取单位" */
	const size_t *texts;
	size_t ntexts;
};
/* The texts and ntexts of a struct store_rows, from a static array of
 * offsetof()s: STORE_TEXTS(event_texts). */
#define STORE_TEXTS(offsets) (offsets), sizeof(offsets) / sizeof((offsets)[0])
/* Run sql with params bound as store_exec_params does, an item per row into
 * a malloc'd array of *n (NULL when none). items_out is the address of the
 * caller's pointer to its item type (a `struct unit **`), which is set to the
 * array: the caller returns the status as it is. On failure nothing is kept
 * (the pointer NULL, *n 0) and the error names how->what. */
int store_rows_query(struct store *s, const char *sql, const char *const *params, int nparams,
		     const struct store_rows *how, void *items_out, size_t *n, struct tz_error *err);
/* The same for st, prepared and bound by the caller; st is finalized. */
int store_rows_step(struct store *s, sqlite3_stmt *st, const struct store_rows *how,
		    void *items_out, size_t *n, struct tz_error *err);
/* Drop each of the n items read as how says, and free the array. */
void store_rows_free(const struct store_rows *how, void *items, size_t n);
/* Columns first_col, first_col + 1, ... of the row st is on as malloc'd text
 * (NULL for SQL NULL) into item's char * members at texts[0..ntexts), for a
 * read function whose texts are consecutive columns. */
void store_columns_dup_into(sqlite3_stmt *st, int first_col, void *item, const size_t *texts,
			    size_t ntexts);
/* Defines a list's descriptor `static const struct store_rows rows` (the
 * fields after item_nbytes given in order) and the list's public
 * `void free_fn(type *items, size_t n)` (store_rows_free with rows), so that
 * how a list type is read and how it is freed are said once, in one place:
 * STORE_ROWS_DEFINE(unit_rows, unit_list_free, struct unit, read_unit, NULL,
 * "读取单位", STORE_TEXTS(unit_texts)) */
#define STORE_ROWS_DEFINE(rows, free_fn, type, ...)                              \
	static const struct store_rows rows = { sizeof(type), __VA_ARGS__ };      \
	void free_fn(type *items, size_t n)                                        \
	{                                                                          \
		store_rows_free(&rows, items, n);                                   \
	}

/* ---- transactions ---- */

/* Hooks the sync module attaches: begin runs after BEGIN, before_commit just
 * before COMMIT (an error there rolls back), end after COMMIT or ROLLBACK. */
struct store_tx_hooks {
	int (*begin)(void *ctx, sqlite3 *db, struct tz_error *err);
	int (*before_commit)(void *ctx, sqlite3 *db, struct tz_error *err);
	void (*end)(void *ctx, sqlite3 *db, int committed);
	/* Called once when the hooks are replaced or the store closes: frees ctx. */
	void (*detach)(void *ctx);
};
/* Attach hooks (NULL: none); the previous hooks' detach runs first. */
void store_set_tx_hooks(struct store *s, const struct store_tx_hooks *hooks, void *ctx);
/* The hooks' context as attached (NULL when none), e.g. for the sync module to
 * pause its own capture while it applies a peer's changes. */
void *store_tx_hooks_ctx(const struct store *s);

/* A function every writable store_open and store_create calls once the store is
 * ready (migrations applied), before returning it: main installs the sync
 * module's change capture here, so that no write of the program escapes it. An
 * error fails the open. NULL removes it. Process-wide; set it before opening. */
typedef int (*store_open_hook_fn)(struct store *s, struct tz_error *err);
void store_set_open_hook(store_open_hook_fn fn);

/* Tests only: stores created or upgraded from now on stop at migration version
 * (db/NNN), as a program of that version left them, so that a test can open
 * them with this one; 0 (the start) brings them to the latest. Process-wide. */
void store_test_stop_migrations_at(int version);

/* BEGIN IMMEDIATE. Transactions do not nest: a second begin is TZ_EFAIL. */
int store_tx_begin(struct store *s, struct tz_error *err);
/* COMMIT (after the before_commit hook). On failure the transaction is rolled
 * back and nothing is kept. */
int store_tx_commit(struct store *s, struct tz_error *err);
/* ROLLBACK; safe to call when no transaction is open. */
void store_tx_rollback(struct store *s);
/* End the open transaction by how its work went: commit when rc is TZ_OK
 * (returning the commit's status), else roll back and return rc (err is left
 * as the work filled it). */
int store_tx_end(struct store *s, int rc, struct tz_error *err);
/* Whether a transaction is open. */
int store_tx_active(const struct store *s);

/* Append to the hash-chained audit log (inside an open transaction). */
int store_audit(struct store *s, const char *action, const char *subject,
		const char *detail, struct tz_error *err);

/* ---- users (passphrase slots) ---- */

int store_user_add(struct store *s, const char *name, const char *pass,
		   size_t pass_nbytes, enum kdf_cost cost, struct tz_error *err);
/* Change name's passphrase (name NULL: the current user). Other slots and all
 * data are untouched. */
int store_user_passwd(struct store *s, const char *name, const char *pass,
		      size_t pass_nbytes, enum kdf_cost cost, struct tz_error *err);
/* Remove a user; the last user cannot be removed. */
int store_user_remove(struct store *s, const char *name, struct tz_error *err);

/* ---- the recovery slot ---- */

/* Write the recovery slot: s's master key sealed to town_pk, the town office's
 * X25519 public key, labelled with label (the town's division code). Replaces
 * the old recovery slot, if any (at most one); town_pk NULL removes it. Written
 * like a user change (re-read under flock, MAC checked, both copies in turn).
 * Not audited: the caller records why, in its own transaction (which may be
 * open). Returns TZ_OK; TZ_EFAIL when the keyring is full or the write fails. */
int store_recovery_seal(struct store *s, const unsigned char town_pk[KEYRING_TOWN_PK_NBYTES],
			const char *label, struct tz_error *err);

/* On a store opened with store_open_recovery: give user name the passphrase pass,
 * adding the user, or resetting its passphrase when it exists (*reset says
 * which). Audited as "store.recover" (subject name, with detail, may be NULL);
 * no other slot and no other data change. TZ_EUSAGE when s was not opened by
 * recovery; TZ_EFAIL when the keyring is full. */
int store_recovery_grant(struct store *s, const char *name, const char *pass,
			 size_t pass_nbytes, enum kdf_cost cost, const char *detail,
			 int *reset, struct tz_error *err);

/* ---- the audit log's chain (src/store/audit.c) ---- */

struct store_audit_report {
	uint64_t nrows;  /* rows that chain correctly, from the first */
	int broken;      /* a row does not fit the chain */
	int64_t bad_seq; /* the first such row's seq */
	char why[128];   /* in what way, in Chinese */
};

/* Walk audit_log from seq 1 and recompute every row's hash; the first row that
 * does not fit is reported in r. Returns a SQLite code (SQLITE_OK also when the
 * chain is broken: r says so). */
int store_audit_verify(sqlite3 *db, struct store_audit_report *r);

/* ---- the query guard (src/store/guard.c) ---- */

/* Prepare one officer's statement for `taizhang query` under the query guard: the
 * connection becomes query_only and an authorizer refuses any write, ATTACH, any
 * PRAGMA but the schema-describing ones, reading a secret column (the device's
 * private keys, anything whose name says it is key material), and functions
 * that reveal pointers or reach outside the store (fts3_tokenizer,
 * load_extension ...). The guard stays on s for the rest of its life: open a
 * store for query alone. *tail as sqlite3_prepare_v2's. Returns TZ_OK; TZ_EAUTH
 * with a Chinese message naming what was refused; TZ_EUSAGE when the SQL is
 * wrong or not one read-only statement. */
int store_query_prepare(struct store *s, const char *sql, sqlite3_stmt **out,
			struct tz_error *err);

/* ---- verification ---- */

#define STORE_VERIFY_MAX_LISTED 64

struct store_verify_report {
	int header_copy_damaged[2];
	int header_copies_differ;
	uint32_t npages;       /* pages in the file */
	uint32_t nbad;         /* pages failing authentication */
	uint32_t bad[STORE_VERIFY_MAX_LISTED]; /* the first of them */
	int partial_tail;      /* the file ends in part of a page */
	int integrity_ok;      /* PRAGMA integrity_check said ok (only if nbad == 0) */
	char integrity[TZ_ERROR_NBYTES]; /* its first complaint otherwise */
	int keyring_stale;     /* the keyring is older than the database records */
	uint64_t keyring_generation, recorded_generation;
	struct store_audit_report audit; /* only if integrity_ok */
};

/* Decrypt and authenticate every page, then run integrity_check, compare the
 * keyring's generation with the database's (generation.c) and walk the audit
 * chain. s must have been
 * opened with STORE_OPEN_NO_SQL; unless it was also opened STORE_OPEN_READONLY, a
 * hot journal left by a crash is rolled back first. Returns TZ_OK when the
 * store is sound, TZ_EDAMAGED when the report lists damage. */
int store_verify(struct store *s, struct store_verify_report *r, struct tz_error *err);

#endif
