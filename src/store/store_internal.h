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
};

#endif
