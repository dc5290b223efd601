/*
 * page_cipher.h — the ciphers a store's pages can be sealed with (src/store/cipher.c).
 *
 * Every store records its page cipher in its keyring (keyring.h, enum
 * page_cipher). New stores take AES-256-GCM where the processor has AES-NI and
 * PCLMULQDQ (about 2.5x fewer instructions a page than XChaCha20-Poly1305 there),
 * XChaCha20-Poly1305 otherwise or when a portable store is asked for. Stores made
 * before the choice existed are XChaCha20-Poly1305 and open as they always did.
 *
 * This module seals and opens single pages and chooses the cipher of a new store;
 * the VFS shim (vfs.c) decides which pages to seal and where they go.
 */
#ifndef TAIZHANG_PAGE_CIPHER_H
#define TAIZHANG_PAGE_CIPHER_H

#include <stdint.h>

#include "taizhang/error.h"
#include "taizhang/keyring.h"

/* The environment variable that picks the cipher of stores created by this
 * process: "xchacha20-poly1305" (portable: opens on any processor) or
 * "aes-256-gcm"; unset or empty: AES-256-GCM when this processor has AES-NI. */
#define PAGE_CIPHER_ENV "TAIZHANG_PAGE_CIPHER"

/* Which file a page image belongs to; bound into its additional data. */
enum page_domain { PAGE_DOMAIN_MAIN = 0, PAGE_DOMAIN_JOURNAL = 1 };

/* What seals one store's pages: its cipher, page key (SECRET_KEY_NBYTES), UUID
 * (KEYRING_UUID_NBYTES) and key epoch. The pointers are borrowed. */
struct page_sealer {
	enum page_cipher cipher;
	const unsigned char *key;
	const unsigned char *uuid;
	uint32_t epoch;
};

/* The cipher's name as users see it ("AES-256-GCM", "XChaCha20-Poly1305"); a
 * static string. */
const char *page_cipher_name(enum page_cipher cipher);

/* Whether this processor can open pages sealed with cipher: TZ_OK, or TZ_EFAIL
 * with a message naming the problem and what to do (AES-256-GCM without AES-NI). */
int page_cipher_usable(enum page_cipher cipher, struct tz_error *err);

/* The cipher for a store created now: the one given to page_cipher_prefer, else
 * PAGE_CIPHER_ENV, else AES-256-GCM when usable and XChaCha20-Poly1305 when not.
 * Returns TZ_OK with *out; TZ_EUSAGE for an unknown value of the variable;
 * TZ_EFAIL when AES-256-GCM is asked for on a processor without AES-NI. */
int page_cipher_for_new_store(enum page_cipher *out, struct tz_error *err);

/* From now on, stores created by this process use cipher (over the environment
 * variable); for `taizhang init --portable` and for tests. */
void page_cipher_prefer(enum page_cipher cipher);

/* Forget page_cipher_prefer: back to the environment variable and the processor. */
void page_cipher_prefer_default(void);

/* For tests: behave (1) as on a processor without AES-NI, or (0) as this one. */
void page_cipher_pretend_no_aesni(int on);

/* Seal page (STORE_PAGE_NBYTES) in place under the nonce already in its reserved
 * bytes (page_cipher_next_nonce): its first STORE_PAGE_DATA_NBYTES become
 * ciphertext, the tag goes after the nonce, and for AES-256-GCM the last 12
 * bytes are zeroed. Additional data: pgno ‖ UUID ‖ epoch ‖ domain. */
void page_cipher_seal(const struct page_sealer *ps, uint32_t pgno, enum page_domain domain,
		      unsigned char *page);

/* Open a page sealed by page_cipher_seal, in place. Returns 0 and zeroes the
 * reserved bytes; -1 when the page fails authentication (wrong position, store,
 * domain or key, altered bytes, or for AES-256-GCM reserved bytes past the tag
 * that are not zero), leaving page unchanged. The cipher must be usable
 * (page_cipher_usable): a page is never called damaged for want of AES-NI. */
int page_cipher_open(const struct page_sealer *ps, uint32_t pgno, enum page_domain domain,
		     unsigned char *page);

/* The next nonce for a page sealed with cipher, into the page's reserved bytes
 * (page is STORE_PAGE_NBYTES): the file's random prefix (16 bytes, drawn when the
 * file was opened; redrawn here when the counter runs out) and *counter, which is
 * advanced. Why a prefix and a counter, and how often AES-GCM's 96-bit nonce may
 * repeat: src/store/cipher.c. */
void page_cipher_next_nonce(enum page_cipher cipher, unsigned char prefix[16],
			    uint64_t *counter, unsigned char *page);

#endif
