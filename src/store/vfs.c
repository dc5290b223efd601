/*
 * vfs.c — the encrypting VFS shim under every taizhang store.
 *
 * Stock SQLite has no codec API, so encryption happens one level down, in a VFS
 * that wraps the default unix VFS (the approach of SQLite's ext/misc/cksumvfs.c and
 * of SQLite3MultipleCiphers). What it does:
 *
 *   Main file.  The store file starts with the keyring region (KEYRING_REGION_NBYTES,
 *   see keyring.c); SQLite never sees it: every offset is shifted past it, and the
 *   file size reported is the size less the region. Each 4096-byte page is
 *   encrypted with the store's page cipher (AES-256-GCM or XChaCha20-Poly1305,
 *   recorded in its keyring; cipher.c): bytes 0..4055 are the ciphertext, then the
 *   nonce and the tag fill the 40 bytes SQLite keeps reserved on every page
 *   (SQLITE_FCNTL_RESERVE_BYTES, set by store.c before the first write). The
 *   additional data is page number ‖ store UUID ‖ key epoch ‖ domain, so a page
 *   cannot be moved to another position, another store, or between the journal
 *   and the database. Partial reads (SQLite reads the 100-byte
 *   header at offset 0, and 16 bytes at 24) are served from the whole decrypted
 *   page. After decryption the reserved bytes are zeroed, so SQLite's in-memory
 *   image of a page never depends on the nonce it was stored under.
 *
 *   Rollback journal.  Its layout is a header (one sector), then per page: a 4-byte
 *   big-endian page number, the page image, a 4-byte checksum. Page images are the
 *   only writes of exactly one page at an offset that is not a multiple of 512 (the
 *   record starts sector-aligned plus 4104*k, so the image is at 4 mod 8). SQLite
 *   journals a page's committed content before it first changes it, and that
 *   content is exactly what the database file holds at that moment, encrypted. So
 *   the shim copies the page's ciphertext from the database file into the journal
 *   instead of encrypting it again: the journal holds database-domain pages under
 *   their own page numbers, and a write transaction costs one encryption per page
 *   instead of two (the benchmark's write phase was mostly that second encryption).
 *   Only if the page cannot be read from the file is the image encrypted afresh,
 *   the same way. Header, page numbers and checksums carry nothing personal and
 *   stay as SQLite wrote them.
 *
 *   Fewer writes.  SQLite writes a journal record as three writes (page number,
 *   image, checksum) and a commit's pages one write each; on the benchmark's
 *   machine those system calls cost the store's write phase about as much as the
 *   cipher did (bench/README.md). So the shim holds writes back and passes them
 *   on together:
 *   - journal: bytes written at the end of the run being buffered are appended to
 *     it (up to JOURNAL_BUF_NBYTES, about 30 records); any other write, and every
 *     other method of the journal, passes the run on first. The buffer holds
 *     only what the journal file would: ciphertext, page numbers, checksums.
 *   - database: xWrite copies the page into the file's pending list (a page
 *     written again replaces its pending copy). Before every other method of
 *     the main file (read, size, truncate, sync, file control, unlock, close)
 *     the list is flushed: the pages are encrypted on every core (workers.c;
 *     the journal's sync tells the workers that a commit's pages are coming),
 *     then written as runs of consecutive pages, one write per run.
 *   Order is kept where it matters. The commit point of a rollback journal is its
 *   deletion (or truncation, or zeroed header), and SQLite writes the database
 *   pages after syncing the journal and before finishing it; so before the
 *   journal is written outside its page images, truncated, synced, closed or
 *   deleted, the pending pages of every main file of the store are written
 *   first. Another connection sees the file only after the writer unlocks, which
 *   writes them too. A held-back write that fails is reported by the method that
 *   passed it on, and the rest are dropped, as if their xWrite had failed; SQLite
 *   then fails the statement or the commit and rolls back from the journal.
 *
 *   Every other file (temp databases, statement journals, WAL, super-journals, or a
 *   database whose key was not registered) is refused with SQLITE_CANTOPEN, so
 *   nothing can be written in clear. The store runs with temp_store=MEMORY so
 *   SQLite does not need them. The io methods are version 1: no xFetch (mmap would
 *   bypass decryption), no shared memory (so no WAL).
 *
 *   Damage.  A page that fails authentication makes xRead return SQLITE_IOERR_DATA
 *   and is remembered, so the store can name the page in its message.
 *
 * What it deliberately does not do: protect against rolling a page back to an older
 * version of itself from the same store (AEAD per page cannot see that; the sync
 * module's hash chain and integrity_check catch most consequences), or hide the
 * file's size.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "taizhang/bytes.h"
#include "taizhang/secret.h"
#include "taizhang/store.h"
#include "taizhang/store_vfs.h"
#include "taizhang/xalloc.h"
#include "workers.h"

#define PENDING_MAX_PAGES 256 /* 1 MiB of deferred writes per main file */
#define PARALLEL_MIN_PAGES 8  /* fewer are encrypted by the writing thread alone */
#define WRITE_MAX_PAGES 16     /* per write: the unix VFS writes < 128 KiB a call */
#define JOURNAL_BUF_NBYTES (30 * (STORE_PAGE_NBYTES + 8)) /* 30 records, < 128 KiB */

/* One registered store: its key and what went wrong with its pages. */
struct key_entry {
	struct key_entry *next;
	char *fullpath;
	unsigned char *page_key; /* secret memory */
	unsigned char uuid[KEYRING_UUID_NBYTES];
	struct page_sealer sealer; /* cipher, epoch; key and uuid point at the above */
	int attach_count; /* store_vfs_attach minus detach */
	int open_files;   /* files of the shim using this entry */
	struct tz_file *main_files; /* open main-database files, linked by next_main */
	uint32_t damaged_pgno;
	enum page_domain damaged_domain;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct key_entry *registry;
static sqlite3_vfs *base_vfs;

static unsigned fault_read_every, fault_write_every;
static unsigned long fault_read_count, fault_write_count;

struct tz_file {
	sqlite3_file base;
	sqlite3_file *real; /* the unix VFS file, allocated just after this struct */
	struct key_entry *key;
	struct tz_file *next_main; /* in key->main_files */
	int is_journal;
	unsigned char *scratch; /* one page */
	/* Page 1, decrypted, and the nonce and tag it was stored under: SQLite reads
	 * 16 bytes of page 1 before every statement to see whether the file changed;
	 * when the nonce and tag on disk are the ones cached, the cached page is
	 * served instead of decrypting 4 KiB again. Every write of a page takes a
	 * fresh nonce, so unchanged nonce and tag mean an unchanged page. */
	unsigned char *page1;
	unsigned char page1_tail[STORE_RESERVE_NBYTES];
	int page1_valid;
	/* Nonces: a random prefix per open file and a counter (page_cipher_next_nonce). */
	unsigned char nonce_prefix[16];
	uint64_t nonce_counter;
	/* The journal's last 4-byte page number written or read, and where. */
	sqlite3_int64 pgno_offset;
	uint32_t pgno_value;
	/* Main file: pages SQLite wrote, not yet encrypted and written (see "Fewer
	 * writes" above): room for PENDING_MAX_PAGES pages and their numbers, in the
	 * order first written; allocated on the first write. */
	unsigned char *pending;
	uint32_t *pending_pgno;
	int pending_count;
	/* Journal: bytes written but not yet passed on, one contiguous run at
	 * jbuf_offset (see "Fewer writes" above); allocated on the first write. */
	unsigned char *jbuf;
	sqlite3_int64 jbuf_offset;
	int jbuf_len;
};

/* ---- registry ---- */

static struct key_entry *find_entry_locked(const char *fullpath, size_t nbytes)
{
	for (struct key_entry *e = registry; e != NULL; e = e->next)
		if (strlen(e->fullpath) == nbytes && memcmp(e->fullpath, fullpath, nbytes) == 0)
			return e;
	return NULL;
}

static void free_entry_if_unused_locked(struct key_entry *e)
{
	if (e->attach_count > 0 || e->open_files > 0)
		return;
	for (struct key_entry **pp = &registry; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	secret_free(e->page_key);
	free(e->fullpath);
	free(e);
}

int store_vfs_attach(const char *fullpath, const struct page_sealer *ps, struct tz_error *err)
{
	pthread_mutex_lock(&registry_lock);
	struct key_entry *e = find_entry_locked(fullpath, strlen(fullpath));
	if (e != NULL) {
		int same = sodium_memcmp(e->page_key, ps->key, SECRET_KEY_NBYTES) == 0 &&
			   memcmp(e->uuid, ps->uuid, KEYRING_UUID_NBYTES) == 0 &&
			   e->sealer.epoch == ps->epoch && e->sealer.cipher == ps->cipher;
		if (same)
			e->attach_count++;
		pthread_mutex_unlock(&registry_lock);
		if (!same)
			return tz_error_set(err, TZ_EFAIL,
					    "同一台账文件正以另一把密钥打开着：%s", fullpath);
		return TZ_OK;
	}
	e = xcalloc(1, sizeof *e);
	e->fullpath = xstrdup(fullpath);
	e->page_key = secret_alloc(SECRET_KEY_NBYTES);
	memcpy(e->page_key, ps->key, SECRET_KEY_NBYTES);
	memcpy(e->uuid, ps->uuid, KEYRING_UUID_NBYTES);
	e->sealer = (struct page_sealer){ ps->cipher, e->page_key, e->uuid, ps->epoch };
	e->attach_count = 1;
	e->next = registry;
	registry = e;
	pthread_mutex_unlock(&registry_lock);
	return TZ_OK;
}

void store_vfs_detach(const char *fullpath)
{
	pthread_mutex_lock(&registry_lock);
	struct key_entry *e = find_entry_locked(fullpath, strlen(fullpath));
	if (e != NULL && e->attach_count > 0) {
		e->attach_count--;
		free_entry_if_unused_locked(e);
	}
	pthread_mutex_unlock(&registry_lock);
}

int store_vfs_damage(const char *fullpath, uint32_t *pgno, enum page_domain *domain)
{
	int found = 0;
	pthread_mutex_lock(&registry_lock);
	struct key_entry *e = find_entry_locked(fullpath, strlen(fullpath));
	if (e != NULL && e->damaged_pgno != 0) {
		*pgno = e->damaged_pgno;
		*domain = e->damaged_domain;
		found = 1;
	}
	pthread_mutex_unlock(&registry_lock);
	return found;
}

static void note_damage(struct key_entry *e, uint32_t pgno, enum page_domain domain)
{
	pthread_mutex_lock(&registry_lock);
	e->damaged_pgno = pgno;
	e->damaged_domain = domain;
	pthread_mutex_unlock(&registry_lock);
}

void store_vfs_inject_faults(unsigned every_nth_read, unsigned every_mth_write)
{
	fault_read_every = every_nth_read;
	fault_write_every = every_mth_write;
	fault_read_count = 0;
	fault_write_count = 0;
}

/* Counted atomically: two connections of one store may read at once (a
 * check's two threads). */
static int fault_read(void)
{
	return fault_read_every != 0 &&
	       __atomic_add_fetch(&fault_read_count, 1, __ATOMIC_RELAXED) % fault_read_every == 0;
}

static int fault_write(void)
{
	return fault_write_every != 0 &&
	       __atomic_add_fetch(&fault_write_count, 1, __ATOMIC_RELAXED) % fault_write_every == 0;
}

/* ---- io methods ---- */

static sqlite3_int64 real_offset(const struct tz_file *f, sqlite3_int64 offset)
{
	return f->is_journal ? offset : offset + KEYRING_REGION_NBYTES;
}

/* Give page the next nonce of f (cipher.c says how) and seal it. */
static void encrypt_page(struct tz_file *f, uint32_t pgno, enum page_domain domain,
			 unsigned char *page)
{
	const struct page_sealer *ps = &f->key->sealer;
	page_cipher_next_nonce(ps->cipher, f->nonce_prefix, &f->nonce_counter, page);
	page_cipher_seal(ps, pgno, domain, page);
}

/* ---- held-back writes ---- */

static void remember_page1(struct tz_file *f, const unsigned char *plain,
			   const unsigned char *tail)
{
	memcpy(f->page1, plain, STORE_PAGE_NBYTES);
	memcpy(f->page1_tail, tail, STORE_RESERVE_NBYTES);
	f->page1_valid = 1;
}

/* Page 1 as queue_page left it in f->page1 is now encrypted into page: the
 * cache stands for what the file holds once page is written (see tz_read). */
static void page1_encrypted(struct tz_file *f, const unsigned char *page)
{
	memcpy(f->page1_tail, page + STORE_PAGE_DATA_NBYTES, STORE_RESERVE_NBYTES);
	f->page1_valid = 1;
}

struct encrypt_batch {
	const struct key_entry *key;
	unsigned char *pages;
	const uint32_t *pgnos;
};

static void encrypt_slot(void *ctx, size_t i)
{
	const struct encrypt_batch *b = ctx;
	page_cipher_seal(&b->key->sealer, b->pgnos[i], PAGE_DOMAIN_MAIN,
			 b->pages + i * STORE_PAGE_NBYTES);
}

/* Encrypt f's pending pages and write them, runs of consecutive pages with one
 * write each. On failure they are dropped all the same: the caller's error
 * stands for them. */
static int flush_pending(struct tz_file *f)
{
	int n = f->pending_count;
	if (n == 0)
		return SQLITE_OK;
	f->pending_count = 0;
	int page1_slot = -1;
	for (int i = 0; i < n; i++) {
		page_cipher_next_nonce(f->key->sealer.cipher, f->nonce_prefix, &f->nonce_counter,
				       f->pending + (size_t)i * STORE_PAGE_NBYTES);
		if (f->pending_pgno[i] == 1)
			page1_slot = i;
	}
	struct encrypt_batch batch = { f->key, f->pending, f->pending_pgno };
	workers_for((size_t)n, PARALLEL_MIN_PAGES, encrypt_slot, &batch);
	if (page1_slot >= 0) {
		/* f->page1 has the plaintext since queue_page; the cache is valid once
		 * the page is in the file, and if the write fails the tails differ. */
		page1_encrypted(f, f->pending + (size_t)page1_slot * STORE_PAGE_NBYTES);
	}
	int rc = SQLITE_OK;
	for (int i = 0; i < n && rc == SQLITE_OK;) {
		int end = i + 1;
		while (end < n && end - i < WRITE_MAX_PAGES &&
		       f->pending_pgno[end] == f->pending_pgno[end - 1] + 1)
			end++;
		sqlite3_int64 offset = (sqlite3_int64)(f->pending_pgno[i] - 1) * STORE_PAGE_NBYTES;
		rc = fault_write() ? SQLITE_IOERR_WRITE
				   : f->real->pMethods->xWrite(
					     f->real, f->pending + (size_t)i * STORE_PAGE_NBYTES,
					     (end - i) * STORE_PAGE_NBYTES, real_offset(f, offset));
		i = end;
	}
	return rc;
}

/* Flush the pending pages of every main file of key: before its journal is
 * finished. Only a writer has pending pages, and a store has one writer at a
 * time, so in practice this is the journal's own connection. */
static int flush_store_mains_locked(struct key_entry *key)
{
	int rc = SQLITE_OK;
	for (struct tz_file *m = key->main_files; m != NULL; m = m->next_main) {
		int mrc = flush_pending(m);
		if (rc == SQLITE_OK)
			rc = mrc;
	}
	return rc;
}

static int flush_store_mains(struct key_entry *key)
{
	pthread_mutex_lock(&registry_lock);
	int rc = flush_store_mains_locked(key);
	pthread_mutex_unlock(&registry_lock);
	return rc;
}

/* Copy page pgno into the pending list for the next flush (or, if the list
 * cannot be allocated, encrypt and write it now). A page already pending is
 * replaced. */
static int queue_page(struct tz_file *f, uint32_t pgno, const void *buf)
{
	sqlite3_int64 offset = (sqlite3_int64)(pgno - 1) * STORE_PAGE_NBYTES;
	if (f->pending == NULL) {
		f->pending = malloc((size_t)PENDING_MAX_PAGES * STORE_PAGE_NBYTES);
		f->pending_pgno = malloc(PENDING_MAX_PAGES * sizeof *f->pending_pgno);
		if (f->pending == NULL || f->pending_pgno == NULL) {
			free(f->pending);
			free(f->pending_pgno);
			f->pending = NULL;
			f->pending_pgno = NULL;
		}
	}
	int slot = -1;
	for (int i = f->pending_count - 1; i >= 0; i--) {
		if (f->pending_pgno[i] == pgno) {
			slot = i;
			break;
		}
	}
	if (slot < 0 && f->pending_count == PENDING_MAX_PAGES) {
		int rc = flush_pending(f);
		if (rc != SQLITE_OK)
			return rc;
	}
	unsigned char *page = f->scratch;
	if (f->pending != NULL) {
		if (slot < 0) {
			slot = f->pending_count++;
			f->pending_pgno[slot] = pgno;
		}
		page = f->pending + (size_t)slot * STORE_PAGE_NBYTES;
	}
	memcpy(page, buf, STORE_PAGE_NBYTES);
	if (pgno == 1) {
		memcpy(f->page1, buf, STORE_PAGE_NBYTES);
		memset(f->page1 + STORE_PAGE_DATA_NBYTES, 0, STORE_RESERVE_NBYTES);
		f->page1_valid = 0;
	}
	if (f->pending != NULL)
		return SQLITE_OK;
	encrypt_page(f, pgno, PAGE_DOMAIN_MAIN, page);
	int rc = f->real->pMethods->xWrite(f->real, page, STORE_PAGE_NBYTES, real_offset(f, offset));
	if (rc == SQLITE_OK && pgno == 1)
		page1_encrypted(f, page);
	return rc;
}

/* Pass the journal's buffered bytes on to the file. */
static int flush_journal(struct tz_file *f)
{
	int n = f->jbuf_len;
	if (n == 0)
		return SQLITE_OK;
	f->jbuf_len = 0;
	if (fault_write())
		return SQLITE_IOERR_WRITE;
	return f->real->pMethods->xWrite(f->real, f->jbuf, n, f->jbuf_offset);
}

/* Write to the journal: appended to the buffered run when it continues it,
 * otherwise the run is passed on and a new one starts here. */
static int journal_write(struct tz_file *f, const void *data, int iAmt, sqlite3_int64 offset)
{
	if (f->jbuf_len > 0 && offset == f->jbuf_offset + f->jbuf_len &&
	    f->jbuf_len + iAmt <= JOURNAL_BUF_NBYTES) {
		memcpy(f->jbuf + f->jbuf_len, data, (size_t)iAmt);
		f->jbuf_len += iAmt;
		return SQLITE_OK;
	}
	int rc = flush_journal(f);
	if (rc != SQLITE_OK)
		return rc;
	if (f->jbuf == NULL)
		f->jbuf = malloc(JOURNAL_BUF_NBYTES);
	if (f->jbuf == NULL || iAmt > JOURNAL_BUF_NBYTES)
		return f->real->pMethods->xWrite(f->real, data, iAmt, offset);
	memcpy(f->jbuf, data, (size_t)iAmt);
	f->jbuf_offset = offset;
	f->jbuf_len = iAmt;
	return SQLITE_OK;
}

/* Before every method but xWrite (and locks and hints): a main file's pending
 * pages; for a journal, the store's pending pages (the method may be finishing
 * the journal), then the journal's own buffered bytes. */
static int flush_before(struct tz_file *f)
{
	if (!f->is_journal)
		return flush_pending(f);
	int rc = flush_store_mains(f->key);
	int jrc = flush_journal(f);
	return rc != SQLITE_OK ? rc : jrc;
}

/* The start of a method that may fail by injection (faulted: fault_read() or
 * fault_write(), asked first): fault_rc when it did, else flush_before. */
static int flush_first(struct tz_file *f, int faulted, int fault_rc)
{
	return faulted ? fault_rc : flush_before(f);
}

static int tz_close(sqlite3_file *file)
{
	struct tz_file *f = (struct tz_file *)file;
	int flush_rc = flush_before(f);
	int rc = f->real->pMethods->xClose(f->real);
	if (rc == SQLITE_OK)
		rc = flush_rc;
	free(f->scratch);
	free(f->page1);
	free(f->pending);
	free(f->pending_pgno);
	free(f->jbuf);
	pthread_mutex_lock(&registry_lock);
	for (struct tz_file **pp = &f->key->main_files; *pp != NULL; pp = &(*pp)->next_main) {
		if (*pp == f) {
			*pp = f->next_main;
			break;
		}
	}
	f->key->open_files--;
	free_entry_if_unused_locked(f->key);
	pthread_mutex_unlock(&registry_lock);
	return rc;
}

/* The page number stored 4 bytes before offset in the journal. */
static int journal_pgno_before(struct tz_file *f, sqlite3_int64 offset, uint32_t *pgno)
{
	if (f->pgno_offset == offset - 4) {
		*pgno = f->pgno_value;
		return SQLITE_OK;
	}
	unsigned char b[4];
	int rc = flush_journal(f);
	if (rc != SQLITE_OK)
		return rc;
	rc = f->real->pMethods->xRead(f->real, b, 4, offset - 4);
	if (rc != SQLITE_OK)
		return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_IOERR_READ : rc;
	*pgno = bytes_load_be32(b);
	return SQLITE_OK;
}

static int is_journal_page(int iAmt, sqlite3_int64 offset)
{
	return iAmt == STORE_PAGE_NBYTES && offset % 512 != 0 && offset >= 4;
}

static void remember_pgno(struct tz_file *f, const void *buf, int iAmt, sqlite3_int64 offset)
{
	if (iAmt != 4)
		return;
	const unsigned char *b = buf;
	f->pgno_offset = offset;
	f->pgno_value = bytes_load_be32(b);
}

/* Decrypt a page read from f (database pages, and their copies in the journal,
 * are all in the main domain); damage is noted against the file it was found in. */
static int decrypt_or_flag(struct tz_file *f, uint32_t pgno, unsigned char *page)
{
	struct key_entry *k = f->key;
	if (page_cipher_open(&k->sealer, pgno, PAGE_DOMAIN_MAIN, page) != 0) {
		note_damage(k, pgno, f->is_journal ? PAGE_DOMAIN_JOURNAL : PAGE_DOMAIN_MAIN);
		return SQLITE_IOERR_DATA;
	}
	return SQLITE_OK;
}

/* The ciphertext of database page pgno, read from an open main file of the same
 * store into out. Returns SQLITE_OK, or an error when there is none to read. */
static int read_raw_main_page(struct tz_file *f, uint32_t pgno, unsigned char *out)
{
	pthread_mutex_lock(&registry_lock);
	struct tz_file *m = f->key->main_files;
	pthread_mutex_unlock(&registry_lock);
	if (m == NULL)
		return SQLITE_IOERR_READ;
	return m->real->pMethods->xRead(m->real, out, STORE_PAGE_NBYTES,
					KEYRING_REGION_NBYTES + (sqlite3_int64)(pgno - 1) * STORE_PAGE_NBYTES);
}

static int tz_read(sqlite3_file *file, void *buf, int iAmt, sqlite3_int64 offset)
{
	struct tz_file *f = (struct tz_file *)file;
	int flush_rc = flush_first(f, fault_read(), SQLITE_IOERR_READ);
	if (flush_rc != SQLITE_OK)
		return flush_rc;
	if (f->is_journal) {
		int rc = f->real->pMethods->xRead(f->real, buf, iAmt, offset);
		if (rc != SQLITE_OK)
			return rc;
		remember_pgno(f, buf, iAmt, offset);
		if (!is_journal_page(iAmt, offset))
			return SQLITE_OK;
		uint32_t pgno;
		rc = journal_pgno_before(f, offset, &pgno);
		if (rc != SQLITE_OK)
			return rc;
		return decrypt_or_flag(f, pgno, buf);
	}

	sqlite3_int64 page_index = offset / STORE_PAGE_NBYTES;
	sqlite3_int64 within = offset % STORE_PAGE_NBYTES;
	if (iAmt <= 0 || within + iAmt > STORE_PAGE_NBYTES || page_index >= UINT32_MAX)
		return SQLITE_IOERR_READ;
	uint32_t pgno = (uint32_t)page_index + 1;
	int whole = within == 0 && iAmt == STORE_PAGE_NBYTES;
	if (pgno == 1 && !whole && f->page1_valid) {
		unsigned char tail[STORE_RESERVE_NBYTES];
		int rc = f->real->pMethods->xRead(f->real, tail, sizeof tail,
						  real_offset(f, STORE_PAGE_DATA_NBYTES));
		if (rc == SQLITE_OK && memcmp(tail, f->page1_tail, sizeof tail) == 0) {
			memcpy(buf, f->page1 + within, (size_t)iAmt);
			return SQLITE_OK;
		}
	}
	unsigned char *page = whole ? buf : f->scratch;
	int rc = f->real->pMethods->xRead(f->real, page, STORE_PAGE_NBYTES,
					  real_offset(f, page_index * STORE_PAGE_NBYTES));
	if (rc == SQLITE_IOERR_SHORT_READ) {
		/* Past the end: the unix VFS zero-filled. A partial page is damage. */
		if (!sodium_is_zero(page, STORE_PAGE_NBYTES)) {
			note_damage(f->key, pgno, PAGE_DOMAIN_MAIN);
			return SQLITE_IOERR_DATA;
		}
		if (!whole)
			memset(buf, 0, (size_t)iAmt);
		return SQLITE_IOERR_SHORT_READ;
	}
	if (rc != SQLITE_OK)
		return rc;
	unsigned char tail[STORE_RESERVE_NBYTES];
	if (pgno == 1)
		memcpy(tail, page + STORE_PAGE_DATA_NBYTES, sizeof tail);
	rc = decrypt_or_flag(f, pgno, page);
	if (rc == SQLITE_OK && pgno == 1)
		remember_page1(f, page, tail);
	if (rc == SQLITE_OK && !whole)
		memcpy(buf, page + within, (size_t)iAmt);
	return rc;
}

static int tz_write(sqlite3_file *file, const void *buf, int iAmt, sqlite3_int64 offset)
{
	struct tz_file *f = (struct tz_file *)file;
	if (fault_write())
		return SQLITE_IOERR_WRITE;
	if (f->is_journal) {
		if (!is_journal_page(iAmt, offset)) {
			/* A header may be finishing the journal (journal_mode=PERSIST
			 * zeroes it), so the database pages go first. Page numbers and
			 * checksums (4 bytes each) cannot: no lock taken for them. */
			int rc = iAmt == 4 ? SQLITE_OK : flush_store_mains(f->key);
			if (rc != SQLITE_OK)
				return rc;
			remember_pgno(f, buf, iAmt, offset);
			return journal_write(f, buf, iAmt, offset);
		}
		uint32_t pgno;
		int rc = journal_pgno_before(f, offset, &pgno);
		if (rc != SQLITE_OK)
			return rc;
		if (read_raw_main_page(f, pgno, f->scratch) != SQLITE_OK) {
			memcpy(f->scratch, buf, STORE_PAGE_NBYTES);
			encrypt_page(f, pgno, PAGE_DOMAIN_MAIN, f->scratch);
		}
		return journal_write(f, f->scratch, iAmt, offset);
	}
	if (iAmt != STORE_PAGE_NBYTES || offset % STORE_PAGE_NBYTES != 0 ||
	    offset / STORE_PAGE_NBYTES >= UINT32_MAX)
		return SQLITE_IOERR_WRITE;
	return queue_page(f, (uint32_t)(offset / STORE_PAGE_NBYTES) + 1, buf);
}


static int tz_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct tz_file *f = (struct tz_file *)file;
	int flush_rc = flush_first(f, fault_write(), SQLITE_IOERR_TRUNCATE);
	if (flush_rc != SQLITE_OK)
		return flush_rc;
	if (!f->is_journal && size < STORE_PAGE_NBYTES)
		f->page1_valid = 0;
	return f->real->pMethods->xTruncate(f->real, real_offset(f, size));
}

static int tz_sync(sqlite3_file *file, int flags)
{
	struct tz_file *f = (struct tz_file *)file;
	int flush_rc = flush_first(f, fault_write(), SQLITE_IOERR_FSYNC);
	if (flush_rc != SQLITE_OK)
		return flush_rc;
	if (f->is_journal)
		workers_expect(); /* the commit's pages come once the journal is synced */
	return f->real->pMethods->xSync(f->real, flags);
}

static int tz_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct tz_file *f = (struct tz_file *)file;
	int rc = flush_before(f);
	if (rc != SQLITE_OK)
		return rc;
	rc = f->real->pMethods->xFileSize(f->real, size);
	if (rc == SQLITE_OK && !f->is_journal)
		*size = *size > KEYRING_REGION_NBYTES ? *size - KEYRING_REGION_NBYTES : 0;
	return rc;
}

static int tz_lock(sqlite3_file *file, int level)
{
	struct tz_file *f = (struct tz_file *)file;
	return f->real->pMethods->xLock(f->real, level);
}

static int tz_unlock(sqlite3_file *file, int level)
{
	struct tz_file *f = (struct tz_file *)file;
	int flush_rc = flush_before(f);
	int rc = f->real->pMethods->xUnlock(f->real, level);
	return flush_rc != SQLITE_OK ? flush_rc : rc;
}

static int tz_check_reserved_lock(sqlite3_file *file, int *out)
{
	struct tz_file *f = (struct tz_file *)file;
	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int tz_file_control(sqlite3_file *file, int op, void *arg)
{
	struct tz_file *f = (struct tz_file *)file;
	switch (op) {
	case SQLITE_FCNTL_SIZE_HINT:
	case SQLITE_FCNTL_CHUNK_SIZE:
		return SQLITE_OK; /* hints only; they would ignore the offset shift */
	case SQLITE_FCNTL_MMAP_SIZE:
		return SQLITE_NOTFOUND; /* never map the file: pages must be decrypted */
	default: {
		int flush_rc = flush_before(f);
		if (flush_rc != SQLITE_OK)
			return flush_rc;
		return f->real->pMethods->xFileControl(f->real, op, arg);
	}
	}
}

static int tz_sector_size(sqlite3_file *file)
{
	struct tz_file *f = (struct tz_file *)file;
	return f->real->pMethods->xSectorSize(f->real);
}

static int tz_device_characteristics(sqlite3_file *file)
{
	struct tz_file *f = (struct tz_file *)file;
	int dc = f->real->pMethods->xDeviceCharacteristics(f->real);
	/* Our writes are not the device's: never claim atomicity on its behalf. */
	return dc & ~(SQLITE_IOCAP_ATOMIC | SQLITE_IOCAP_ATOMIC512 | SQLITE_IOCAP_ATOMIC1K |
		      SQLITE_IOCAP_ATOMIC2K | SQLITE_IOCAP_ATOMIC4K | SQLITE_IOCAP_ATOMIC8K |
		      SQLITE_IOCAP_ATOMIC16K | SQLITE_IOCAP_ATOMIC32K |
		      SQLITE_IOCAP_ATOMIC64K | SQLITE_IOCAP_BATCH_ATOMIC);
}

static const sqlite3_io_methods tz_io_methods = {
	.iVersion = 1,
	.xClose = tz_close,
	.xRead = tz_read,
	.xWrite = tz_write,
	.xTruncate = tz_truncate,
	.xSync = tz_sync,
	.xFileSize = tz_file_size,
	.xLock = tz_lock,
	.xUnlock = tz_unlock,
	.xCheckReservedLock = tz_check_reserved_lock,
	.xFileControl = tz_file_control,
	.xSectorSize = tz_sector_size,
	.xDeviceCharacteristics = tz_device_characteristics,
};

/* ---- vfs methods ---- */

static int tz_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file,
		   int flags, int *out_flags)
{
	(void)vfs;
	struct tz_file *f = (struct tz_file *)file;
	memset(f, 0, sizeof *f);
	if (name == NULL || !(flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL)))
		return SQLITE_CANTOPEN; /* temp, WAL, super-journal: never in clear */
	f->is_journal = (flags & SQLITE_OPEN_MAIN_JOURNAL) != 0;
	size_t nbytes = strlen(name);
	if (f->is_journal) {
		static const char suffix[] = "-journal";
		if (nbytes < sizeof suffix - 1 ||
		    strcmp(name + nbytes - (sizeof suffix - 1), suffix) != 0)
			return SQLITE_CANTOPEN;
		nbytes -= sizeof suffix - 1;
	}
	pthread_mutex_lock(&registry_lock);
	struct key_entry *e = find_entry_locked(name, nbytes);
	if (e != NULL && e->attach_count > 0)
		e->open_files++;
	else
		e = NULL;
	pthread_mutex_unlock(&registry_lock);
	if (e == NULL)
		return SQLITE_CANTOPEN; /* no key: refuse rather than write in clear */
	f->key = e;
	f->pgno_offset = -1;
	f->scratch = malloc(STORE_PAGE_NBYTES);
	f->page1 = malloc(STORE_PAGE_NBYTES);
	randombytes_buf(f->nonce_prefix, sizeof f->nonce_prefix);
	f->real = (sqlite3_file *)(f + 1);
	int rc = f->scratch == NULL || f->page1 == NULL ? SQLITE_NOMEM
				    : base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		if (f->real->pMethods != NULL)
			f->real->pMethods->xClose(f->real);
		free(f->scratch);
		free(f->page1);
		pthread_mutex_lock(&registry_lock);
		e->open_files--;
		free_entry_if_unused_locked(e);
		pthread_mutex_unlock(&registry_lock);
		f->base.pMethods = NULL;
		return rc;
	}
	f->base.pMethods = &tz_io_methods;
	if (!f->is_journal) {
		pthread_mutex_lock(&registry_lock);
		f->next_main = e->main_files;
		e->main_files = f;
		pthread_mutex_unlock(&registry_lock);
	}
	return SQLITE_OK;
}

static int tz_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	/* Deleting a journal commits its transaction: the database pages first. */
	static const char suffix[] = "-journal";
	size_t nbytes = strlen(name);
	if (nbytes >= sizeof suffix - 1 &&
	    strcmp(name + nbytes - (sizeof suffix - 1), suffix) == 0) {
		pthread_mutex_lock(&registry_lock);
		struct key_entry *e = find_entry_locked(name, nbytes - (sizeof suffix - 1));
		int rc = e != NULL ? flush_store_mains_locked(e) : SQLITE_OK;
		pthread_mutex_unlock(&registry_lock);
		if (rc != SQLITE_OK)
			return rc;
	}
	return base_vfs->xDelete(base_vfs, name, sync_dir);
}

static int tz_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return base_vfs->xAccess(base_vfs, name, flags, out);
}

static int tz_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return base_vfs->xFullPathname(base_vfs, name, n, out);
}

static void *tz_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	(void)name;
	return NULL; /* extensions are never loaded into a store */
}

static void tz_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	if (n > 0)
		sqlite3_snprintf(n, msg, "extensions are disabled");
}

static void (*tz_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	(void)h;
	(void)sym;
	return NULL;
}

static void tz_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	(void)h;
}

static int tz_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	randombytes_buf(out, (size_t)n);
	return n;
}

static int tz_sleep(sqlite3_vfs *vfs, int microseconds)
{
	(void)vfs;
	return base_vfs->xSleep(base_vfs, microseconds);
}

static int tz_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return base_vfs->xCurrentTime(base_vfs, out);
}

static int tz_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return base_vfs->xGetLastError(base_vfs, n, out);
}

static int tz_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

static sqlite3_vfs tz_vfs = {
	.iVersion = 2,
	.zName = STORE_VFS_NAME,
	.xOpen = tz_open,
	.xDelete = tz_delete,
	.xAccess = tz_access,
	.xFullPathname = tz_full_pathname,
	.xDlOpen = tz_dl_open,
	.xDlError = tz_dl_error,
	.xDlSym = tz_dl_sym,
	.xDlClose = tz_dl_close,
	.xRandomness = tz_randomness,
	.xSleep = tz_sleep,
	.xCurrentTime = tz_current_time,
	.xGetLastError = tz_get_last_error,
	.xCurrentTimeInt64 = tz_current_time_int64,
};

int store_vfs_register(struct tz_error *err)
{
	static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
	int rc = TZ_OK;
	store_library_init(); /* before sqlite3_vfs_find initialises SQLite */
	pthread_mutex_lock(&once);
	if (base_vfs == NULL) {
		sqlite3_vfs *unix_vfs = sqlite3_vfs_find("unix");
		if (unix_vfs == NULL || unix_vfs->iVersion < 2) {
			rc = tz_error_set(err, TZ_EFAIL, "SQLite 缺少 unix 文件系统层");
		} else {
			tz_vfs.szOsFile = (int)sizeof(struct tz_file) + unix_vfs->szOsFile;
			tz_vfs.mxPathname = unix_vfs->mxPathname;
			base_vfs = unix_vfs;
			if (sqlite3_vfs_register(&tz_vfs, 0) != SQLITE_OK) {
				base_vfs = NULL;
				rc = tz_error_set(err, TZ_EFAIL, "无法注册加密文件层");
			}
		}
	}
	pthread_mutex_unlock(&once);
	return rc;
}

int store_vfs_fullpath(const char *path, char *out, size_t out_nbytes,
		       struct tz_error *err)
{
	int rc = store_vfs_register(err);
	if (rc != TZ_OK)
		return rc;
	if (out_nbytes > INT_MAX || (int)out_nbytes < base_vfs->mxPathname + 1)
		return tz_error_set(err, TZ_EFAIL, "路径缓冲区太小");
	if (base_vfs->xFullPathname(base_vfs, path, (int)out_nbytes, out) != SQLITE_OK)
		return tz_error_set(err, TZ_EFAIL, "无法解析路径：%s", path);
	return TZ_OK;
}
