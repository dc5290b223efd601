/*
 * keyring.h — the keyring at the head of every store file.
 *
 * A store file begins with a plaintext region of KEYRING_REGION_NBYTES holding two
 * copies of the keyring (the layout is documented byte by byte in
 * src/store/keyring.c). The keyring holds the store's identity (UUID, kind,
 * division code) and up to KEYRING_MAX_SLOTS slots, each of which wraps the one
 * random master key: one slot per user (Argon2id of the user's passphrase), plus
 * an optional recovery slot sealed to the town office's public key.
 *
 * This module only reads, checks, unlocks and writes that region. It knows
 * nothing about SQLite.
 */
#ifndef TAIZHANG_KEYRING_H
#define TAIZHANG_KEYRING_H

#include <stdint.h>

#include "taizhang/error.h"
#include "taizhang/secret.h"

#define KEYRING_COPY_NBYTES 4096
#define KEYRING_REGION_NBYTES (2 * KEYRING_COPY_NBYTES)
#define KEYRING_MAX_SLOTS 24
#define KEYRING_NAME_MAX_NBYTES 47
#define KEYRING_UUID_NBYTES 16
#define KEYRING_CODE_NCHARS 12
#define KEYRING_PAGE_NBYTES 4096
#define KEYRING_TOWN_PK_NBYTES 32           /* the town's X25519 public key */
#define KEYRING_RECOVERY_LABEL_MAX_NBYTES 40 /* a recovery slot's name field */

enum store_kind { STORE_KIND_VILLAGE = 1, STORE_KIND_TOWN = 2 };
/* The cipher of a store's pages (src/store/cipher.c); 0 in every store made
 * before the keyring recorded it. */
enum page_cipher { PAGE_CIPHER_XCHACHA20POLY1305 = 0, PAGE_CIPHER_AES256GCM = 1 };
enum slot_kind { SLOT_EMPTY = 0, SLOT_PASSPHRASE = 1, SLOT_RECOVERY = 2 };

struct keyring_slot {
	uint8_t kind; /* enum slot_kind */
	char name[KEYRING_NAME_MAX_NBYTES + 1];
	uint64_t opslimit, memlimit;
	unsigned char salt[SECRET_SALT_NBYTES];
	unsigned char nonce[24];
	unsigned char wrapped[SECRET_KEY_NBYTES + 16];
	unsigned char sealed[SECRET_KEY_NBYTES + 48];   /* recovery slot only */
	unsigned char town_pk[KEYRING_TOWN_PK_NBYTES]; /* recovery slot only */
};

struct keyring {
	uint64_t generation; /* grows by one at every write */
	unsigned char uuid[KEYRING_UUID_NBYTES];
	uint32_t epoch; /* key epoch, bound into every page */
	uint8_t kind;   /* enum store_kind */
	uint8_t cipher; /* enum page_cipher */
	char division_code[KEYRING_CODE_NCHARS + 1];
	unsigned char mac[32]; /* as read from disk */
	struct keyring_slot slots[KEYRING_MAX_SLOTS];
};

/* What keyring_read found of the two copies. */
struct keyring_health {
	int copy_damaged[2]; /* checksum or layout wrong in copy A / copy B */
	int copies_differ;   /* both sound, different generations (interrupted write) */
};

/* Fill kr with a new keyring: random UUID, epoch 1, generation 0, no slots,
 * pages sealed with XChaCha20-Poly1305 (the caller may set kr->cipher).
 * division_code must be 12 ASCII digits. */
int keyring_init(struct keyring *kr, enum store_kind kind,
		 const char *division_code, struct tz_error *err);

/* Read both copies from fd (the store file), pick the sound copy with the higher
 * generation into kr, and report the state of each copy in health (may be NULL).
 * Returns TZ_OK; TZ_EDAMAGED when no copy is sound or the file is not a store. */
int keyring_read(int fd, struct keyring *kr, struct keyring_health *health,
		 struct tz_error *err);

/* Index of the passphrase slot named name, or of the first passphrase slot when
 * name is NULL; -1 when there is none. */
int keyring_find_user(const struct keyring *kr, const char *name);

/* Number of passphrase slots. */
int keyring_user_count(const struct keyring *kr);

/* Unwrap the master key from slot index with the passphrase. One Argon2id
 * derivation. master must be SECRET_KEY_NBYTES of secret memory. Returns TZ_OK,
 * TZ_EAUTH when the passphrase is wrong. */
int keyring_unlock(const struct keyring *kr, int index, const char *pass,
		   size_t pass_nbytes, unsigned char *master, struct tz_error *err);

/* Whether kr's MAC (as read) matches the one computed with master: tells a keyring
 * altered by someone without the key. Returns TZ_OK or TZ_EDAMAGED. */
int keyring_check_mac(const struct keyring *kr, const unsigned char *master,
		      struct tz_error *err);

/* Put a passphrase slot for name at index (a new salt each time), wrapping
 * master. name: 1..KEYRING_NAME_MAX_NBYTES bytes of UTF-8, no control chars. */
int keyring_set_passphrase(struct keyring *kr, int index, const char *name,
			   const char *pass, size_t pass_nbytes, enum kdf_cost cost,
			   const unsigned char *master, struct tz_error *err);

/* Index of an empty slot, or -1 when the keyring is full. */
int keyring_free_slot(const struct keyring *kr);

/* Whether name is acceptable as a user name (see keyring_set_passphrase). */
int keyring_name_valid(const char *name);

/* ---- the recovery slot (at most one; see src/store/keyring.c) ---- */

/* Index of the recovery slot, or -1 when there is none. */
int keyring_find_recovery(const struct keyring *kr);

/* Put the recovery slot: master sealed (crypto_box_seal) to town_pk, the town
 * office's X25519 public key, with label (0..KEYRING_RECOVERY_LABEL_MAX_NBYTES
 * bytes, a valid name when not empty: the town's division code). Replaces the
 * recovery slot if there is one, else takes a free slot. town_pk NULL removes the
 * recovery slot (label ignored). Returns TZ_OK; TZ_EFAIL when no slot is free or
 * town_pk is unusable; TZ_EUSAGE for a bad label. Changes kr only. */
int keyring_set_recovery(struct keyring *kr, const unsigned char town_pk[KEYRING_TOWN_PK_NBYTES],
			 const char *label, const unsigned char *master, struct tz_error *err);

/* Unseal the master key from the recovery slot with the town office's X25519 key
 * pair (town_sk: 32 bytes, secret memory). master must be SECRET_KEY_NBYTES of
 * secret memory. Returns TZ_OK; TZ_EAUTH when there is no recovery slot or it is
 * sealed to another public key; TZ_EDAMAGED when it is sealed to town_pk but does
 * not open (altered). The caller still checks the keyring MAC with master. */
int keyring_unseal_recovery(const struct keyring *kr,
			    const unsigned char town_pk[KEYRING_TOWN_PK_NBYTES],
			    const unsigned char *town_sk, unsigned char *master,
			    struct tz_error *err);

/* Write kr (generation + 1) to fd crash-safely: copy B, sync, copy A, sync. On
 * success kr->generation and kr->mac are updated. */
int keyring_write(int fd, struct keyring *kr, const unsigned char *master,
		  struct tz_error *err);

/* The page key (for the VFS) derived from master: out is SECRET_KEY_NBYTES of
 * secret memory. */
void keyring_page_key(const unsigned char *master, unsigned char *out);

#endif
