/*
 * cipher.c — sealing one store page, with the cipher its store records.
 *
 * A page is STORE_PAGE_NBYTES (4096). SQLite keeps its last STORE_RESERVE_NBYTES
 * (40) for us; the first 4056 bytes are sealed with an AEAD from libsodium and
 * the reserved bytes hold what opening them needs:
 *
 *   cipher (keyring byte 45)   bytes 4056..4095 of the page
 *   0  XChaCha20-Poly1305      24-byte nonce, 16-byte tag
 *   1  AES-256-GCM             12-byte nonce, 16-byte tag, 12 zero bytes
 *
 * The additional data of both is page number (le32) ‖ store UUID (16) ‖ key epoch
 * (le32) ‖ domain (1 byte: main file or journal), so a page cannot be moved to
 * another position, another store, another epoch or between journal and database.
 * AES-256-GCM's 12 trailing zero bytes are outside the AEAD; opening refuses a
 * page where they are not zero, so no byte of a page can change unnoticed.
 *
 * Why two ciphers. XChaCha20-Poly1305 was the only one: constant-time in
 * software on any processor, with a nonce long enough to draw at random. But
 * every page a cold read touches is decrypted, and on the x86-64 processors
 * taizhang runs on (AES-NI and PCLMULQDQ since about 2011) libsodium's
 * AES-256-GCM opens a 4056-byte page in about 15.3 k instructions against 37.9 k
 * (callgrind; 3.7–4.0 µs against 5.0–6.0 µs of CPU time on the project's VM,
 * bench/README.md). libsodium has AES-256-GCM only with those instructions
 * (crypto_aead_aes256gcm_is_available), and a software AES would not be
 * constant-time anyway; so a new store takes AES-256-GCM only where it is
 * available, and the choice is kept in the store's keyring: a store made with
 * AES-256-GCM and copied to a processor without AES-NI is refused at open with a
 * message saying so (page_cipher_usable), never reported as damaged. A store that
 * must open anywhere is made with XChaCha20-Poly1305 (`taizhang init --portable`,
 * or PAGE_CIPHER_ENV for any command that creates a store).
 *
 * Nonces (page_cipher_next_nonce). A nonce must never repeat under one key: the
 * page key is derived from the master key (keyring_page_key) and stays the same
 * for the store's whole life (the key epoch is bound into the additional data but
 * nothing changes it yet: there is no rekey), so the bound is over every page
 * ever written to the store, by every process. Drawing 24 or 12 random bytes a
 * page (randombytes_buf, a getrandom call) was about 7% of a write; instead each
 * open file draws a random 16-byte prefix and counts pages.
 *   XChaCha20-Poly1305: the 16-byte prefix ‖ 64-bit counter. Repeats need two
 *   opens drawing the same 128-bit prefix: never, in practice.
 *   AES-256-GCM: 8 bytes of the prefix ‖ 32-bit counter; when the counter has
 *   gone round, a new prefix is drawn. A repeat needs two runs of up to 2^32
 *   pages drawing the same 64-bit prefix: for r runs (file opens, and every 2^32
 *   pages within one) the chance is at most r^2 / 2^65, about 2^-32 after 92,000
 *   opens that write, and 2^-25 after a million. Random 96-bit nonces per page
 *   would give q^2 / 2^97 for q pages written, the reason for NIST's limit of
 *   2^32 messages per key: the prefix and counter are at least as good as long as
 *   an open writes fewer than 65,536 pages on average (256 MiB), as the product's
 *   do; and 2^32 pages is 16 TiB, far beyond a store's life either way.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "taizhang/bytes.h"
#include "taizhang/page_cipher.h"
#include "taizhang/store_vfs.h"

#define AD_NBYTES (4 + KEYRING_UUID_NBYTES + 4 + 1)
#define XC_NONCE_NBYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define GCM_NONCE_NBYTES crypto_aead_aes256gcm_NPUBBYTES
#define TAG_NBYTES 16
#define GCM_PAD_NBYTES (STORE_RESERVE_NBYTES - GCM_NONCE_NBYTES - TAG_NBYTES)

_Static_assert(XC_NONCE_NBYTES + TAG_NBYTES == STORE_RESERVE_NBYTES,
	       "XChaCha20-Poly1305's nonce and tag fill the reserved bytes");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == TAG_NBYTES &&
		       crypto_aead_aes256gcm_ABYTES == TAG_NBYTES,
	       "both tags are 16 bytes");
_Static_assert(crypto_aead_aes256gcm_KEYBYTES == SECRET_KEY_NBYTES &&
		       crypto_aead_xchacha20poly1305_ietf_KEYBYTES == SECRET_KEY_NBYTES,
	       "one page key serves both ciphers");

static int preferred = -1; /* enum page_cipher, or -1: none */
static int pretend_no_aesni;

const char *page_cipher_name(enum page_cipher cipher)
{
	return cipher == PAGE_CIPHER_AES256GCM ? "AES-256-GCM" : "XChaCha20-Poly1305";
}

/* Whether libsodium's AES-256-GCM runs here (it needs sodium_init to have seen
 * the processor's features first). */
static int aesni_available(void)
{
	return !pretend_no_aesni && sodium_init() >= 0 && crypto_aead_aes256gcm_is_available();
}

int page_cipher_usable(enum page_cipher cipher, struct tz_error *err)
{
	if (cipher == PAGE_CIPHER_AES256GCM && !aesni_available())
		return tz_error_set(err, TZ_EFAIL,
				    "这个台账的数据页用 AES-256-GCM 加密，而这台电脑的处理器没有 AES 硬件指令"
				    "（AES-NI），打不开它（文件没有损坏）。请在 2011 年以后的电脑上打开；"
				    "要在这台电脑上用，请在别的电脑上用 taizhang init --portable 建立可移植的台账");
	return TZ_OK;
}

void page_cipher_prefer(enum page_cipher cipher)
{
	preferred = (int)cipher;
}

void page_cipher_prefer_default(void)
{
	preferred = -1;
}

void page_cipher_pretend_no_aesni(int on)
{
	pretend_no_aesni = on;
}

int page_cipher_for_new_store(enum page_cipher *out, struct tz_error *err)
{
	const char *env = getenv(PAGE_CIPHER_ENV);
	if (preferred >= 0) {
		*out = (enum page_cipher)preferred;
	} else if (env == NULL || env[0] == '\0') {
		*out = aesni_available() ? PAGE_CIPHER_AES256GCM : PAGE_CIPHER_XCHACHA20POLY1305;
		return TZ_OK;
	} else if (strcmp(env, "xchacha20-poly1305") == 0) {
		*out = PAGE_CIPHER_XCHACHA20POLY1305;
	} else if (strcmp(env, "aes-256-gcm") == 0) {
		*out = PAGE_CIPHER_AES256GCM;
	} else {
		return tz_error_set(err, TZ_EUSAGE,
				    "环境变量 %s 只能是 xchacha20-poly1305（可移植）或 aes-256-gcm，"
				    "不能是“%s”；不设则自动选择",
				    PAGE_CIPHER_ENV, env);
	}
	return page_cipher_usable(*out, err);
}

void page_cipher_next_nonce(enum page_cipher cipher, unsigned char prefix[16],
			    uint64_t *counter, unsigned char *page)
{
	unsigned char *nonce = page + STORE_PAGE_DATA_NBYTES;
	++*counter;
	if (cipher == PAGE_CIPHER_AES256GCM) {
		if ((uint32_t)*counter == 0)
			randombytes_buf(prefix, 8); /* the 32-bit counter went round */
		memcpy(nonce, prefix, 8);
		bytes_store_le32(nonce + 8, (uint32_t)*counter);
		return;
	}
	memcpy(nonce, prefix, 16);
	bytes_store_le64(nonce + 16, *counter);
}

static void additional_data(const struct page_sealer *ps, uint32_t pgno,
			    enum page_domain domain, unsigned char ad[AD_NBYTES])
{
	bytes_store_le32(ad, pgno);
	memcpy(ad + 4, ps->uuid, KEYRING_UUID_NBYTES);
	bytes_store_le32(ad + 4 + KEYRING_UUID_NBYTES, ps->epoch);
	ad[AD_NBYTES - 1] = (unsigned char)domain;
}

void page_cipher_seal(const struct page_sealer *ps, uint32_t pgno, enum page_domain domain,
		      unsigned char *page)
{
	unsigned char ad[AD_NBYTES];
	unsigned char *nonce = page + STORE_PAGE_DATA_NBYTES;
	additional_data(ps, pgno, domain, ad);
	if (ps->cipher == PAGE_CIPHER_AES256GCM) {
		unsigned char *tag = nonce + GCM_NONCE_NBYTES;
		memset(tag + TAG_NBYTES, 0, GCM_PAD_NBYTES);
		crypto_aead_aes256gcm_encrypt_detached(page, tag, NULL, page,
						       STORE_PAGE_DATA_NBYTES, ad, sizeof ad,
						       NULL, nonce, ps->key);
		return;
	}
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
		page, nonce + XC_NONCE_NBYTES, NULL, page, STORE_PAGE_DATA_NBYTES, ad,
		sizeof ad, NULL, nonce, ps->key);
}

int page_cipher_open(const struct page_sealer *ps, uint32_t pgno, enum page_domain domain,
		     unsigned char *page)
{
	unsigned char ad[AD_NBYTES];
	unsigned char *nonce = page + STORE_PAGE_DATA_NBYTES;
	additional_data(ps, pgno, domain, ad);
	/* Decrypt in place only after the tag checks, so a bad page is left as is. */
	int rc;
	if (ps->cipher == PAGE_CIPHER_AES256GCM) {
		unsigned char *tag = nonce + GCM_NONCE_NBYTES;
		rc = !sodium_is_zero(tag + TAG_NBYTES, GCM_PAD_NBYTES) ||
		     crypto_aead_aes256gcm_decrypt_detached(page, NULL, page,
							    STORE_PAGE_DATA_NBYTES, tag, ad,
							    sizeof ad, nonce, ps->key) != 0;
	} else {
		rc = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
			     page, NULL, page, STORE_PAGE_DATA_NBYTES, nonce + XC_NONCE_NBYTES,
			     ad, sizeof ad, nonce, ps->key) != 0;
	}
	if (rc)
		return -1;
	sodium_memzero(nonce, STORE_RESERVE_NBYTES);
	return 0;
}
