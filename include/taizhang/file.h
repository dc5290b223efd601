/*
 * file.h — reading a whole file into memory, within a size limit.
 *
 * The one reader behind roster spreadsheets (CSV), form files and bundles on USB
 * sticks. It refuses what is not a regular file and what is larger than the
 * caller's limit before reading it, and says why in words an officer reads
 * (os_error.h).
 *
 * Also the positioned reads and writes of a whole buffer that the store's file
 * layout is made of.
 *
 * Deliberately not here: writing files (each writer has its own atomic rename).
 */
#ifndef TAIZHANG_FILE_H
#define TAIZHANG_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "taizhang/error.h"

/* Read the regular file at path into *data (malloc'd, caller frees, with a NUL
 * after the *nbytes bytes so text can be used as a string). Fails with TZ_EFAIL
 * and a message naming path if it cannot be opened (why, in Chinese), is not a
 * regular file, is larger than max_nbytes, or grew past it while being read.
 * On failure *data is NULL and *nbytes 0. */
int file_read_all(const char *path, size_t max_nbytes, char **data, size_t *nbytes,
		  struct tz_error *err);

/* Read exactly nbytes at offset of fd into buf, going on after short reads and
 * EINTR. Returns 0, or -1 on an error or end of file before nbytes (errno set
 * for an error). */
int file_pread_all(int fd, void *buf, size_t nbytes, off_t offset);

/* Write exactly the nbytes of buf at offset of fd, going on after short writes
 * and EINTR. Returns 0, or -1 on an error (errno set). */
int file_pwrite_all(int fd, const void *buf, size_t nbytes, off_t offset);

#endif
