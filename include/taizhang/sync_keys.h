/*
 * sync_keys.h — device keys and trust for sync: every store's own Ed25519 signing
 * and X25519 encryption key pairs, the public key file that carries a device's
 * public keys between offices, fingerprints people compare over the phone, and
 * whom a store trusts (a village: its town office; the town: enrolled village
 * devices, revocable).
 *
 * Keys are created lazily (sync_keys_ensure) and kept in tables of the encrypted
 * store (db/005_sync.sql). Secret keys leave the store only into secret memory
 * (secret.h), through sync_keys_load, and are wiped by sync_keys_free. The public
 * key file format, the device id and the fingerprint are documented byte by byte
 * in src/sync/keys.c.
 *
 * Every function taking a store needs it open with SQL (not STORE_OPEN_NO_SQL);
 * the ones that write need it writable.
 */
#ifndef TAIZHANG_SYNC_KEYS_H
#define TAIZHANG_SYNC_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/bundle.h"
#include "taizhang/error.h"
#include "taizhang/keyring.h"
#include "taizhang/store.h"

#define SYNC_DEVICE_ID_NBYTES BUNDLE_DEVICE_ID_NBYTES
#define SYNC_DEVICE_ID_NCHARS (2 * SYNC_DEVICE_ID_NBYTES) /* lowercase hex */
#define SYNC_FINGERPRINT_NGROUPS 8
#define SYNC_FINGERPRINT_NCHARS (SYNC_FINGERPRINT_NGROUPS * 6 - 1) /* "12345 67890 ..." */
#define SYNC_SIGN_PK_NBYTES 32
#define SYNC_SIGN_SK_NBYTES 64
#define SYNC_BOX_NBYTES 32
#define SYNC_PUBKEY_FILE_NBYTES 230     /* what sync_pubkey_file writes, newline included */
#define SYNC_PUBKEY_FILE_MAX_NBYTES 4096 /* larger files are not read at all */

/* A device's public keys and who it says it is, as a public key file carries them. */
struct sync_public_key {
	uint8_t kind; /* enum store_kind */
	char division_code[KEYRING_CODE_NCHARS + 1];
	unsigned char device_id[SYNC_DEVICE_ID_NBYTES];
	unsigned char sign_pk[SYNC_SIGN_PK_NBYTES]; /* Ed25519 */
	unsigned char box_pk[SYNC_BOX_NBYTES];      /* X25519 */
};

/* This device's keys, loaded. Free with sync_keys_free. */
struct sync_keys {
	struct sync_public_key pub;
	unsigned char *sign_sk; /* SYNC_SIGN_SK_NBYTES of secret memory (libsodium layout) */
	unsigned char *box_sk;  /* SYNC_BOX_NBYTES of secret memory */
};

/* What a trust change did. */
enum sync_change {
	SYNC_ADDED = 1,     /* a new key is now trusted */
	SYNC_UNCHANGED = 2, /* it already was (or was already revoked): nothing written */
	SYNC_REPLACED = 3,  /* trust --replace put a different town key in place */
	SYNC_REVOKED = 4,   /* the device is now revoked */
	SYNC_RESEALED = 5,  /* trust: key already trusted; its recovery slot was (re)written */
};

/* A trusted device as sync_peers_list reports it. */
struct sync_peer {
	struct sync_public_key key;
	int revoked;
	char since[24];      /* when it was enrolled / trusted, UTC ISO 8601 */
	char revoked_at[24]; /* "" unless revoked */
};

/* ---- this device's keys ---- */

/* Make sure s has its device keys, generating both key pairs on first use. Runs
 * inside the caller's transaction if one is open, else in its own (store_tx_*).
 * *created (may be NULL) says whether keys were made now. Returns TZ_OK, or the
 * store's status (a read-only store cannot get keys: TZ_EFAIL). */
int sync_keys_ensure(struct store *s, int *created, struct tz_error *err);

/* This device's public keys (ensuring they exist). Touches no secret. */
int sync_keys_public(struct store *s, struct sync_public_key *out, struct tz_error *err);

/* This device's keys with the secret halves in secret memory (ensuring they
 * exist). Checks that the stored secret and public halves belong together
 * (TZ_EDAMAGED otherwise). On TZ_OK *out is the caller's: sync_keys_free. */
int sync_keys_load(struct store *s, struct sync_keys **out, struct tz_error *err);

/* Wipe and free; NULL is ignored. */
void sync_keys_free(struct sync_keys *k);

/* ---- ids, fingerprints, public key files (pure) ---- */

/* The device id of the device whose Ed25519 public key is sign_pk. */
void sync_device_id(const unsigned char sign_pk[SYNC_SIGN_PK_NBYTES],
		    unsigned char out[SYNC_DEVICE_ID_NBYTES]);

/* A device id as 16 lowercase hex digits. */
void sync_device_id_hex(const unsigned char id[SYNC_DEVICE_ID_NBYTES],
			char out[SYNC_DEVICE_ID_NCHARS + 1]);

/* Parse 16 hex digits (either case); returns 0, or -1 when text is not one. */
int sync_device_id_parse(const char *text, unsigned char out[SYNC_DEVICE_ID_NBYTES]);

/* The fingerprint of a device's two public keys: 8 groups of 5 decimal digits
 * separated by single spaces, e.g. "04719 88230 ... 51007". */
void sync_fingerprint(const struct sync_public_key *k,
		      char out[SYNC_FINGERPRINT_NCHARS + 1]);

/* The public key file of this device (self-signed with k->sign_sk): exactly
 * SYNC_PUBKEY_FILE_NBYTES bytes of ASCII ending in a newline, NUL-terminated
 * in out. */
void sync_pubkey_file(const struct sync_keys *k, char out[SYNC_PUBKEY_FILE_NBYTES + 1]);

/* Read a public key file's bytes: checks the layout and the self-signature.
 * Returns TZ_OK with *out filled, or TZ_EDAMAGED with a message saying what is
 * wrong (not a key file, damaged, altered). */
int sync_pubkey_parse(const unsigned char *data, size_t nbytes,
		      struct sync_public_key *out, struct tz_error *err);

/* ---- public key files on disk (key_files.c) ---- */

/* Read and check the public key file at path (a larger file than
 * SYNC_PUBKEY_FILE_MAX_NBYTES is refused unread). TZ_OK with *out filled; else
 * the reader's status (TZ_EFAIL cannot read, TZ_EDAMAGED not a whole key file)
 * with a message that begins with path. */
int sync_pubkey_read(const char *path, struct sync_public_key *out, struct tz_error *err);

/* Write this device's public key file at path (an existing file is refused,
 * TZ_EFAIL), then read it back and check it as the other office will. *pub
 * (may be NULL) gets the key written. */
int sync_pubkey_export(struct store *s, const char *path, struct sync_public_key *pub,
		       struct tz_error *err);

/* The file name a key file of k is given when only a folder is chosen:
 * "341522104201-村公钥-<device id>.key" (镇公钥 for a town). */
void sync_pubkey_file_name(const struct sync_public_key *k, char *out, size_t out_nbytes);

/* The public key files in folder dir and its subfolders down to depth levels
 * (a USB stick appears as /media/USER/STICK): small regular files that begin
 * as a key file does, whatever their names, as paths sorted by name. *paths
 * (caller frees with sync_key_files_free) may be empty. TZ_EFAIL when dir is
 * not a folder that can be read. */
int sync_key_files_find(const char *dir, int depth, char ***paths, size_t *n,
			struct tz_error *err);
void sync_key_files_free(char **paths, size_t n);

/* ---- trust ---- */

/* Flags of sync_trust_town and sync_enroll. */
enum sync_trust_flags {
	SYNC_TRUST_REPLACE = 1 << 0,    /* trust: a different town key may replace the old */
	SYNC_TRUST_CHECK_ONLY = 1 << 1, /* make every check, report *change, write nothing */
};

/* Whether town can be the town office key of the village with village_code: a
 * town key whose division code names the village's town (same first 9 digits).
 * Pure: TZ_OK, or TZ_EFAIL saying why not (e.g. before a store exists). */
int sync_town_key_fits(const char *village_code, const struct sync_public_key *town,
		       struct tz_error *err);

/* At a village store: trust town as the town office's keys (sync_town_key_fits),
 * and seal the keyring's recovery slot to town's box key (store_recovery_seal),
 * so that the town can reopen the store (store_open_recovery).
 * Trusting the same key again is SYNC_UNCHANGED, or SYNC_RESEALED when its
 * recovery slot was missing or stale and has been written; a different key is
 * refused (TZ_EFAIL) unless flags has SYNC_TRUST_REPLACE (then SYNC_REPLACED,
 * and the recovery slot is resealed to the new key). TZ_EUSAGE at a town store;
 * TZ_EFAIL for a key that does not fit or a keyring with no free slot. With
 * SYNC_TRUST_CHECK_ONLY nothing is written and *change says what would happen
 * (so a command can ask for confirmation only when something will). Audited. */
int sync_trust_town(struct store *s, const struct sync_public_key *town, unsigned flags,
		    enum sync_change *change, struct tz_error *err);

/* At a town store: enroll a village device. The key must be a village key of
 * this town (same first 9 digits). Enrolling it again is SYNC_UNCHANGED; a
 * revoked device cannot come back (TZ_EFAIL). TZ_EUSAGE at a village store.
 * flags: SYNC_TRUST_CHECK_ONLY as for sync_trust_town. Audited. */
int sync_enroll(struct store *s, const struct sync_public_key *village, unsigned flags,
		enum sync_change *change, struct tz_error *err);

/* At a town store: revoke the enrolled device id (SYNC_REVOKED, or
 * SYNC_UNCHANGED when it already was). TZ_EFAIL for a device never enrolled;
 * TZ_EUSAGE at a village store. Audited. */
int sync_revoke(struct store *s, const unsigned char id[SYNC_DEVICE_ID_NBYTES],
		enum sync_change *change, struct tz_error *err);

/* Call each for every device s trusts: at a village its town key (if trusted),
 * at the town every enrolled device, revoked ones included, by division code.
 * A non-zero return from each stops the walk (and is returned). */
int sync_peers_list(struct store *s, int (*each)(void *ctx, const struct sync_peer *p),
		    void *ctx, struct tz_error *err);

/* A bundle_lookup_fn over a store (ctx is the struct store *): at a village the
 * trusted town key, at the town the enrolled devices (revoked ones reported as
 * BUNDLE_SENDER_REVOKED). */
int sync_keys_bundle_lookup(void *ctx, const unsigned char sender[BUNDLE_DEVICE_ID_NBYTES],
			    unsigned char sign_pk[BUNDLE_SIGN_PK_NBYTES],
			    enum bundle_sender *status, struct tz_error *err);

#endif
