/*
 * error.h — the one error convention of taizhang.
 *
 * Library functions return an int status (one of enum tz_status) and fill a
 * struct tz_error with a message written for the officer, in Chinese, naming what
 * went wrong and how to fix it. Only the edge (a command or a screen) prints it.
 * The status values are also the program's exit codes.
 */
#ifndef TAIZHANG_ERROR_H
#define TAIZHANG_ERROR_H

#include <stddef.h>

enum tz_status {
	TZ_OK = 0,       /* success */
	TZ_EFAIL = 1,    /* the operation failed (bad input, I/O, ...) */
	TZ_EUSAGE = 2,   /* the command line was wrong */
	TZ_EAUTH = 3,    /* wrong passphrase or not authorised */
	TZ_EDAMAGED = 4, /* store or bundle damaged, altered or unverifiable */
};

#define TZ_ERROR_NBYTES 768

struct tz_error {
	int code;                  /* an enum tz_status; TZ_OK when nothing failed */
	char msg[TZ_ERROR_NBYTES]; /* UTF-8, never ends with a newline */
};

/* Set *err (if err is not NULL) and return code, so callers can write
 * `return tz_error_set(err, TZ_EFAIL, "...")`. A message too long for the buffer
 * is cut at a UTF-8 character boundary. */
int tz_error_set(struct tz_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "prefix: " before the message already in err (keeps the code). */
void tz_error_prefix(struct tz_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reset err to TZ_OK with an empty message. */
void tz_error_clear(struct tz_error *err);

#endif
