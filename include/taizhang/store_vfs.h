/*
 * store_vfs.h — the encrypting VFS shim under the store (src/store/vfs.c).
 *
 * The shim sits on the system's default unix VFS. It encrypts every page of a
 * store's main file and every page image in its rollback journal; it refuses to
 * open any other file (temp files, WAL, super-journals) so that nothing is ever
 * written in clear. Keys reach it through a registry keyed by the file's full
 * path, never through a URI.
 */
#ifndef TAIZHANG_STORE_VFS_H
#define TAIZHANG_STORE_VFS_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/error.h"
#include "taizhang/keyring.h"
#include "taizhang/page_cipher.h"

#define STORE_VFS_NAME "taizhang"
#define STORE_PAGE_NBYTES KEYRING_PAGE_NBYTES
/* Per page: XChaCha20-Poly1305's 24-byte nonce and 16-byte tag, or AES-256-GCM's
 * 12-byte nonce, 16-byte tag and 12 zero bytes (src/store/cipher.c). */
#define STORE_RESERVE_NBYTES 40
#define STORE_PAGE_DATA_NBYTES (STORE_PAGE_NBYTES - STORE_RESERVE_NBYTES)

/* Register the VFS with SQLite (once per process; later calls do nothing). */
int store_vfs_register(struct tz_error *err);

/* The absolute path SQLite will use for path, in out (out_nbytes). */
int store_vfs_fullpath(const char *path, char *out, size_t out_nbytes,
		       struct tz_error *err);

/* Make the page key and cipher for the store at fullpath known to the shim
 * (ps->key is copied into secret memory). Attach/detach calls nest (counted);
 * attaching again with another key, UUID, epoch or cipher is refused (TZ_EFAIL).
 * The caller has checked that ps->cipher is usable (page_cipher_usable). */
int store_vfs_attach(const char *fullpath, const struct page_sealer *ps, struct tz_error *err);
void store_vfs_detach(const char *fullpath);

/* The last page of fullpath that failed authentication since attach: returns 1
 * and fills pgno (SQLite page number, from 1) and domain, or 0 if none. */
int store_vfs_damage(const char *fullpath, uint32_t *pgno, enum page_domain *domain);

/* Fault injection for tests: from now on every nth read (and every mth write or
 * sync) through the shim fails with an I/O error; 0 turns it off. */
void store_vfs_inject_faults(unsigned every_nth_read, unsigned every_mth_write);

#endif
