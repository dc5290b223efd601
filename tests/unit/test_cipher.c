/*
 * test_cipher.c — each store records the cipher of its pages, as a
 * specification: which cipher a new store takes and how it is chosen, that a
 * portable store is laid out exactly as every store was before the cipher was
 * recorded (so those open unchanged), that a store is never called damaged on a
 * processor that lacks its cipher, and that no write reuses a nonce. What every
 * store must do under either cipher (damage, moved pages, journals) is
 * test_store.c, which runs once per cipher.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/keyring.h"
#include "taizhang/page_cipher.h"
#include "taizhang/store.h"
#include "taizhang/store_vfs.h"

#include "fixture.h"
#include "unit.h"

#define PASS FIXTURE_PASS
#define CIPHER_BYTE 45 /* in each keyring copy (src/store/keyring.c) */

static int aes_ni(void)
{
	return page_cipher_usable(PAGE_CIPHER_AES256GCM, NULL) == TZ_OK;
}

/* Each test starts from the process's defaults: no preference, no variable. */
static int setup(void **state)
{
	page_cipher_prefer_default();
	page_cipher_pretend_no_aesni(0);
	unsetenv(PAGE_CIPHER_ENV);
	return fixture_setup_dir(state);
}

static int teardown(void **state)
{
	page_cipher_prefer_default();
	page_cipher_pretend_no_aesni(0);
	unsetenv(PAGE_CIPHER_ENV);
	return fixture_teardown(state);
}

static unsigned char file_byte(const char *path, off_t offset)
{
	unsigned char b = 0xEE;
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, offset), 1);
	close(fd);
	return b;
}

static void read_reserved(const char *path, uint32_t pgno, unsigned char out[STORE_RESERVE_NBYTES])
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	off_t off = KEYRING_REGION_NBYTES + (off_t)(pgno - 1) * STORE_PAGE_NBYTES +
		    STORE_PAGE_DATA_NBYTES;
	assert_int_equal(pread(fd, out, STORE_RESERVE_NBYTES, off), STORE_RESERVE_NBYTES);
	close(fd);
}

/* Whether the last 12 bytes of page pgno's reserved area are zero: where an
 * AES-GCM page's 12-byte nonce leaves them so after the nonce and the 16-byte
 * tag, and an XChaCha20-Poly1305 page's 24-byte nonce does not. */
static int reserved_tail_is_zero(const char *path, uint32_t pgno)
{
	unsigned char tail[STORE_RESERVE_NBYTES], zero[12] = { 0 };
	read_reserved(path, pgno, tail);
	return memcmp(tail + 28, zero, sizeof zero) == 0;
}

/* The cipher byte of both keyring copies of the store at path. */
static void assert_cipher_byte(const char *path, unsigned char want)
{
	assert_int_equal(file_byte(path, CIPHER_BYTE), want);
	assert_int_equal(file_byte(path, KEYRING_COPY_NBYTES + CIPHER_BYTE), want);
}

/* A store at path with a table t of n rows, closed. */
static void make_store(const char *path, int n)
{
	struct store *s = fixture_create(path, &fixture_village_id);
	fixture_sql(s, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
	for (int i = 0; i < n; i++)
		fixture_sql(s, "INSERT INTO t(v) VALUES (hex(randomblob(40)))");
	store_close(s);
}

/* The store at path, opened: its keyring names cipher and its table t has
 * nrows rows. */
static struct store *open_with(const char *path, enum page_cipher cipher, int nrows)
{
	struct store *s = fixture_open(path, NULL, NULL);
	assert_int_equal(store_keyring(s)->cipher, cipher);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM t"), nrows);
	return s;
}

UNIT_TEST(a_new_store_takes_aes_256_gcm_where_the_processor_has_aes_ni, setup, teardown)
{
	struct fixture *f = *state;
	if (!aes_ni())
		skip();
	enum page_cipher c = PAGE_CIPHER_XCHACHA20POLY1305;
	struct tz_error err;
	assert_int_equal(page_cipher_for_new_store(&c, &err), TZ_OK);
	assert_int_equal(c, PAGE_CIPHER_AES256GCM);
	make_store(f->path, 5);
	assert_cipher_byte(f->path, PAGE_CIPHER_AES256GCM);
	store_close(open_with(f->path, PAGE_CIPHER_AES256GCM, 5));
	/* Its pages: a 12-byte nonce, the tag, then 12 zero bytes. */
	assert_true(reserved_tail_is_zero(f->path, 2));
}

UNIT_TEST(a_portable_store_is_laid_out_as_every_store_was_before_and_opens, setup, teardown)
{
	struct fixture *f = *state;
	page_cipher_prefer(PAGE_CIPHER_XCHACHA20POLY1305);
	make_store(f->path, 5);
	/* Byte 45 of the keyring was "zero" before it named the cipher: a store
	 * made by an earlier taizhang reads as XChaCha20-Poly1305, unchanged. */
	assert_cipher_byte(f->path, 0);
	page_cipher_prefer_default(); /* this process would make AES-GCM stores now */
	struct store *s = open_with(f->path, PAGE_CIPHER_XCHACHA20POLY1305, 5);
	fixture_sql(s, "INSERT INTO t(v) VALUES ('after')");
	store_close(s);
	assert_cipher_byte(f->path, 0);
	struct store_verify_report r;
	struct tz_error err;
	assert_int_equal(store_open(f->path, NULL, PASS, strlen(PASS),
				    STORE_OPEN_READONLY | STORE_OPEN_NO_SQL, &s, &err), TZ_OK);
	assert_int_equal(store_verify(s, &r, &err), TZ_OK);
	store_close(s);
	/* Its pages: a 24-byte nonce and the tag, no zero run at the end. */
	assert_false(reserved_tail_is_zero(f->path, 2));
}

UNIT_TEST(an_aes_store_without_aes_ni_is_refused_as_such_not_as_damaged, setup, teardown)
{
	struct fixture *f = *state;
	if (!aes_ni())
		skip();
	page_cipher_prefer(PAGE_CIPHER_AES256GCM);
	make_store(f->path, 3);
	page_cipher_pretend_no_aesni(1);
	struct store *s = NULL;
	struct tz_error err;
	const unsigned flags[] = { 0, STORE_OPEN_READONLY, STORE_OPEN_READONLY | STORE_OPEN_NO_SQL };
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		int rc = store_open(f->path, NULL, PASS, strlen(PASS), flags[i], &s, &err);
		assert_int_equal(rc, TZ_EFAIL);
		assert_null(s);
		assert_non_null(strstr(err.msg, "AES-NI"));
		assert_non_null(strstr(err.msg, "--portable"));
		assert_non_null(strstr(err.msg, "没有损坏"));
	}
	/* The file was not touched: on a processor with AES-NI it opens. */
	page_cipher_pretend_no_aesni(0);
	s = fixture_open(f->path, NULL, NULL);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM t"), 3);
	store_close(s);
}

UNIT_TEST(without_aes_ni_a_new_store_is_portable_and_aes_cannot_be_asked_for, setup, teardown)
{
	struct fixture *f = *state;
	page_cipher_pretend_no_aesni(1);
	make_store(f->path, 1);
	assert_cipher_byte(f->path, PAGE_CIPHER_XCHACHA20POLY1305);
	enum page_cipher c;
	struct tz_error err;
	setenv(PAGE_CIPHER_ENV, "aes-256-gcm", 1);
	assert_int_equal(page_cipher_for_new_store(&c, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "AES-NI"));
	struct store *s = NULL;
	char other[FIXTURE_PATH_NBYTES];
	assert_int_equal(store_create(fixture_file(f, "o.tzs", other), &fixture_village_id,
				      FIXTURE_USER, PASS, strlen(PASS), KDF_COST_MIN, &s, &err),
			 TZ_EFAIL);
	assert_null(s);
	assert_int_equal(access(other, F_OK), -1); /* nothing left behind */
}

UNIT_TEST(the_environment_picks_the_cipher_and_a_preference_overrides_it, setup, teardown)
{
	struct fixture *f = *state;
	enum page_cipher c;
	struct tz_error err;
	setenv(PAGE_CIPHER_ENV, "xchacha20-poly1305", 1);
	assert_int_equal(page_cipher_for_new_store(&c, &err), TZ_OK);
	assert_int_equal(c, PAGE_CIPHER_XCHACHA20POLY1305);
	make_store(f->path, 1);
	assert_cipher_byte(f->path, PAGE_CIPHER_XCHACHA20POLY1305);
	if (aes_ni()) {
		setenv(PAGE_CIPHER_ENV, "aes-256-gcm", 1);
		assert_int_equal(page_cipher_for_new_store(&c, &err), TZ_OK);
		assert_int_equal(c, PAGE_CIPHER_AES256GCM);
		page_cipher_prefer(PAGE_CIPHER_XCHACHA20POLY1305);
		assert_int_equal(page_cipher_for_new_store(&c, &err), TZ_OK);
		assert_int_equal(c, PAGE_CIPHER_XCHACHA20POLY1305);
		page_cipher_prefer_default();
	}
	setenv(PAGE_CIPHER_ENV, "aes", 1);
	assert_int_equal(page_cipher_for_new_store(&c, &err), TZ_EUSAGE);
	assert_non_null(strstr(err.msg, PAGE_CIPHER_ENV));
	assert_non_null(strstr(err.msg, "xchacha20-poly1305"));
}

/* Every write of a page takes a nonce no earlier write used, in one open and
 * across opens (cipher.c: a random prefix per open file and a counter).
 * nonce_nbytes: 24 for XChaCha20-Poly1305, 12 for AES-256-GCM. */
static void nonces_never_repeat(const char *path, size_t nonce_nbytes)
{
	enum { NWRITES = 6 };
	unsigned char seen[NWRITES][STORE_RESERVE_NBYTES];
	for (int i = 0; i < NWRITES; i++) {
		struct store *s = fixture_open(path, NULL, NULL);
		uint32_t root = (uint32_t)fixture_int(s, "SELECT rootpage FROM sqlite_schema WHERE name = 't'");
		fixture_sql(s, "UPDATE t SET v = hex(randomblob(40)) WHERE id = 1");
		if (i % 2 == 0) /* twice in the same open, too */
			fixture_sql(s, "UPDATE t SET v = hex(randomblob(40)) WHERE id = 1");
		store_close(s);
		read_reserved(path, root, seen[i]);
		for (int j = 0; j < i; j++)
			if (memcmp(seen[i], seen[j], nonce_nbytes) == 0)
				fail_msg("write %d of page %u reused the nonce of write %d", i, root, j);
	}
}

UNIT_TEST(no_write_reuses_a_nonce_under_either_cipher, setup, teardown)
{
	struct fixture *f = *state;
	page_cipher_prefer(PAGE_CIPHER_XCHACHA20POLY1305);
	make_store(f->path, 1);
	nonces_never_repeat(f->path, 24);
	if (!aes_ni())
		return;
	char other[FIXTURE_PATH_NBYTES];
	page_cipher_prefer(PAGE_CIPHER_AES256GCM);
	make_store(fixture_file(f, "aes.tzs", other), 1);
	nonces_never_repeat(other, 12);
}

int main(void)
{
	return unit_run("cipher", NULL, NULL);
}
