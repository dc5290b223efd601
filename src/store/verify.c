/*
 * verify.c — `taizhang verify`: authenticate every page of a store, then ask
 * SQLite for an integrity check.
 *
 * Reads the file directly (not through SQLite), so that a damaged page 1 does not
 * stop the scan, and every damaged page can be named; the one page SQLite never
 * uses (its lock bytes', past 1 GiB) is left alone while it is empty. Only when all pages
 * authenticate is SQLite opened for PRAGMA integrity_check; when that passes, the
 * keyring's generation is compared with the one the database recorded (an old
 * header spliced back, generation.c) and the audit log's hash chain is walked
 * from its first row (audit.c).
 *
 * A hot journal (left by a crash in the middle of a commit) is rolled back first,
 * the way any SQLite reader would: otherwise the scan would judge pages of a
 * transaction that never committed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_internal.h"
#include "taizhang/file.h"
#include "taizhang/store_vfs.h"
#include "taizhang/os_error.h"

/* The page holding SQLite's lock bytes (PENDING_BYTE, 1 GiB into the
 * database unless a test moved it: SQLITE_TESTCTRL_PENDING_BYTE, which with 0
 * only answers, and answers 0 in a SQLite built without its test controls):
 * SQLite never reads or writes it, so a store grown past it has a hole of zeros
 * there, which no cipher seals. It is sound when it is all zeros (or, should
 * anything ever write it, when it authenticates). */
static uint32_t lock_byte_page(void)
{
	int at = sqlite3_test_control(SQLITE_TESTCTRL_PENDING_BYTE, 0u);
	uint32_t pending = at > 0 ? (uint32_t)at : UINT32_C(0x40000000);
	return pending / STORE_PAGE_NBYTES + 1;
}

static int all_zero(const unsigned char *b, size_t n)
{
	unsigned char any = 0;
	for (size_t i = 0; i < n; i++)
		any |= b[i];
	return any == 0;
}

/* The keyring generation against the database's, and the audit chain, on the
 * integrity check's connection. Returns SQLITE_DONE or a SQLite code. */
static int check_custody(struct store *s, struct store_verify_report *r)
{
	r->keyring_generation = s->kr.generation;
	int rc = store_generation_recorded(s->db, &r->recorded_generation);
	if (rc == SQLITE_OK) {
		r->keyring_stale = r->keyring_generation < r->recorded_generation;
		rc = store_audit_verify(s->db, &r->audit);
	}
	return rc == SQLITE_OK ? SQLITE_DONE : rc;
}

static int run_integrity_check(struct store *s, struct store_verify_report *r,
			       struct tz_error *err)
{
	int rc = sqlite3_open_v2(s->fullpath, &s->db, SQLITE_OPEN_READONLY,
				 STORE_VFS_NAME);
	if (rc == SQLITE_OK) {
		store_harden(s->db);
		rc = sqlite3_exec(s->db, "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=0",
				  NULL, NULL, NULL);
	/* integrity_check looks every index entry up in its table: with SQLite's
	 * default 2 MiB cache a large store's pages were read and decrypted again
	 * and again (bench/county: 4 s of CPU for 135 MB) */
	if (rc == SQLITE_OK)
		store_cache_raise(s, STORE_BULK_CACHE_KIB);
	}
	sqlite3_stmt *st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(20)", -1, &st, NULL);
	r->integrity_ok = 1;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		if (line != NULL && strcmp(line, "ok") != 0 && r->integrity_ok) {
			r->integrity_ok = 0;
			snprintf(r->integrity, sizeof r->integrity, "%s", line);
		}
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE && r->integrity_ok)
		rc = check_custody(s, r);
	if (rc != SQLITE_DONE) {
		r->integrity_ok = 0;
		struct tz_error e;
		store_sqlite_error(s, rc, "完整性检查", &e);
		snprintf(r->integrity, sizeof r->integrity, "%s", e.msg);
		if (e.code != TZ_EDAMAGED)
			return tz_error_set(err, e.code, "%s", e.msg);
	}
	return TZ_OK;
}

/* Let SQLite roll back a hot journal, if there is one and the store is writable.
 * Errors are left for the scan to find. */
static void roll_back_hot_journal(struct store *s)
{
	char journal[sizeof s->fullpath + 16];
	snprintf(journal, sizeof journal, "%s-journal", s->fullpath);
	if ((s->flags & STORE_OPEN_READONLY) || access(journal, F_OK) != 0)
		return;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(s->fullpath, &db, SQLITE_OPEN_READWRITE, STORE_VFS_NAME) == SQLITE_OK) {
		store_harden(db);
		sqlite3_exec(db, "PRAGMA temp_store=MEMORY; SELECT count(*) FROM sqlite_schema",
			     NULL, NULL, NULL);
	}
	sqlite3_close(db);
}

int store_verify(struct store *s, struct store_verify_report *r, struct tz_error *err)
{
	memset(r, 0, sizeof *r);
	roll_back_hot_journal(s);
	r->header_copy_damaged[0] = s->health.copy_damaged[0];
	r->header_copy_damaged[1] = s->health.copy_damaged[1];
	r->header_copies_differ = s->health.copies_differ;
	struct stat st;
	if (fstat(s->fd, &st) != 0)
		return tz_error_set(err, TZ_EFAIL, "无法读取台账文件：%s", os_error_text(errno));
	off_t body = st.st_size > KEYRING_REGION_NBYTES ? st.st_size - KEYRING_REGION_NBYTES : 0;
	r->npages = (uint32_t)(body / STORE_PAGE_NBYTES);
	r->partial_tail = body % STORE_PAGE_NBYTES != 0;
	unsigned char page[STORE_PAGE_NBYTES];
	const struct page_sealer ps = { (enum page_cipher)s->kr.cipher, s->page_key, s->kr.uuid,
					s->kr.epoch };
	const uint32_t lock_page = lock_byte_page();
	for (uint32_t pgno = 1; pgno <= r->npages; pgno++) {
		off_t offset = KEYRING_REGION_NBYTES + (off_t)(pgno - 1) * STORE_PAGE_NBYTES;
		if (file_pread_all(s->fd, page, STORE_PAGE_NBYTES, offset) != 0)
			return tz_error_set(err, TZ_EFAIL, "读取台账文件第 %u 页失败：%s", pgno,
					    os_error_text(errno));
		if (pgno == lock_page && all_zero(page, sizeof page))
			continue;
		if (page_cipher_open(&ps, pgno, PAGE_DOMAIN_MAIN, page) != 0) {
			if (r->nbad < STORE_VERIFY_MAX_LISTED)
				r->bad[r->nbad] = pgno;
			r->nbad++;
		}
	}
	explicit_bzero(page, sizeof page);
	if (r->nbad == 0 && !r->partial_tail && r->npages > 0) {
		int rc = run_integrity_check(s, r, err);
		if (rc != TZ_OK)
			return rc;
	} else if (r->npages == 0) {
		r->integrity_ok = 0;
		snprintf(r->integrity, sizeof r->integrity, "台账中没有任何数据页");
	}
	int sound = !r->header_copy_damaged[0] && !r->header_copy_damaged[1] &&
		    r->nbad == 0 && !r->partial_tail && r->integrity_ok && !r->keyring_stale &&
		    !r->audit.broken;
	return sound ? TZ_OK : TZ_EDAMAGED;
}
