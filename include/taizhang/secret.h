/*
 * secret.h — where key material lives: libsodium's guarded memory, key
 * derivation from passphrases, and keeping secrets out of core dumps.
 *
 * Everything secret (passphrases, master keys, page keys) is held in memory from
 * secret_alloc() and released with secret_free(), which wipes it. Nothing here
 * implements a primitive: it is a thin layer over libsodium.
 */
#ifndef TAIZHANG_SECRET_H
#define TAIZHANG_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/error.h"

#define SECRET_KEY_NBYTES 32
#define SECRET_SALT_NBYTES 16

/* Initialise libsodium. Returns TZ_OK, or TZ_EFAIL with a message. Safe to call
 * more than once. */
int secret_init(struct tz_error *err);

/* nbytes of guarded, locked memory, never NULL (aborts when out of memory, as
 * xalloc.h does; libsodium must be initialised). Free with secret_free(). */
void *secret_alloc(size_t nbytes);

/* Wipe and release memory from secret_alloc(); NULL is ignored. */
void secret_free(void *p);

/* While at least one hold is taken, the process writes no core dump and cannot
 * be attached to by unprivileged debuggers. Each hold must be released once. */
void secret_hold_no_dumps(void);
void secret_release_no_dumps(void);

/* The Argon2id cost of a passphrase slot. MODERATE is the default (about 0.7 s
 * and 256 MiB); MIN exists for tests and is chosen only by an explicit option. */
enum kdf_cost {
	KDF_COST_MIN,
	KDF_COST_INTERACTIVE,
	KDF_COST_MODERATE,
	KDF_COST_SENSITIVE,
};

/* Parse "min", "interactive", "moderate" or "sensitive". Returns TZ_OK or
 * TZ_EUSAGE with a message. */
int kdf_cost_parse(const char *name, enum kdf_cost *out, struct tz_error *err);

/* The crypto_pwhash limits for a cost level. */
void kdf_cost_limits(enum kdf_cost cost, uint64_t *opslimit, uint64_t *memlimit);

/* Whether limits read from a file are within what this program accepts
 * (so a hostile file cannot make it spend hours or gigabytes). */
int kdf_limits_acceptable(uint64_t opslimit, uint64_t memlimit);

/* Derive a 32-byte key from a passphrase with Argon2id. out must be secret
 * memory. Returns TZ_OK, or TZ_EFAIL when memory runs out. */
int kdf_derive(unsigned char out[SECRET_KEY_NBYTES], const char *pass,
	       size_t pass_nbytes, const unsigned char salt[SECRET_SALT_NBYTES],
	       uint64_t opslimit, uint64_t memlimit, struct tz_error *err);

#endif
