/*
 * store_internal.h — the struct behind struct store, shared by the files of the
 * store module (store.c, tx.c, users.c, verify.c) and nothing else.
 */
#ifndef TAIZHANG_STORE_INTERNAL_H
#define TAIZHANG_STORE_INTERNAL_H

#include <limits.h>

#include "taizhang/store.h"

struct store {
	char fullpath[PATH_MAX + 1];
	int fd; /* the store file, for the keyring; open until SQLite is closed */
	sqlite3 *db;
	unsigned flags; /* enum store_open_flags */
	struct keyring kr;
	struct keyring_health health; /* as found at open */
	unsigned char *master;        /* secret memory */
	unsigned char *page_key;      /* secret memory */
	int slot;                     /* the unlocking user's slot */
	char user[KEYRING_NAME_MAX_NBYTES + 1];
	int attached;      /* the page key is registered with the shim */
	int held_no_dumps; /* secret_hold_no_dumps() was taken */
	int in_tx;
	struct store_tx_hooks hooks;
	void *hooks_ctx;
	char notice[160];
	int aside;                        /* made by store_create, not yet published */
	char target[PATH_MAX + 1];        /* where store_publish puts it */
	char denied[TZ_ERROR_NBYTES];     /* why the query guard refused, or "" */
	int denied_code;                  /* and with which status */
};

/* ---- aside.c: a new store is built beside its name, then renamed ---- */

/* Create ".NAME.tmp-XXXXXX" beside target (mode 0600; its name into tmp, its
 * descriptor into *fd); until published or discarded, SIGINT/SIGTERM/SIGHUP
 * remove it. TZ_EFAIL when target exists or the file cannot be made. */
int store_aside_open(const char *target, char *tmp, size_t tmp_nbytes, int *fd,
		     struct tz_error *err);
/* Sync fd, rename tmp to target without replacing anything, sync the directory. */
int store_aside_publish(int fd, const char *tmp, const char *target, struct tz_error *err);
/* Remove tmp and its journal, and stop watching for it. */
void store_aside_discard(const char *tmp);

/* ---- generation.c: the keyring generation the database has seen ---- */

/* The generation recorded in store_meta (0 when none): a SQLite code. */
int store_generation_recorded(sqlite3 *db, uint64_t *out);
/* Record s->kr.generation (in the open transaction, else in one of its own);
 * nothing on a read-only store. */
int store_generation_record(struct store *s, struct tz_error *err);
/* Refuse (TZ_EDAMAGED) a keyring older than the database; record a newer one. */
int store_generation_check(struct store *s, struct tz_error *err);

/* ---- guard.c: what every connection turns off ---- */

/* Turn off extension loading, fts3_tokenizer, untrusted schema; defensive on. */
void store_harden(sqlite3 *db);

/* ---- audit.c ---- */

/* The audit row hash: BLAKE2b-256 of prev ‖ each field length-prefixed (NULL as
 * empty), the rule written in db/001_core.sql. */
void store_audit_hash(const unsigned char prev[32], const char *seq, const char *at,
		      const char *user, const char *action, const char *subject,
		      const char *detail, unsigned char out[32]);

#endif
