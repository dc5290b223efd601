/*
 * xalloc.h — taizhang's one policy for running out of memory: say so and abort.
 *
 * STYLE.md allows aborting only on out-of-memory or a broken invariant. Every
 * allocation in the library goes through these, so no caller checks for NULL
 * and no caller invents its own policy (some used to return "内存不足", some
 * aborted, some did not check at all).
 *
 * Deliberately not here: wiping secrets (libsodium's sodium_malloc/sodium_free).
 */
#ifndef TAIZHANG_XALLOC_H
#define TAIZHANG_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Say that nbytes could not be allocated, and abort: for a library that reports
 * its own allocation failure (libinih, SQLite's SQLITE_NOMEM). */
_Noreturn void xalloc_die(size_t nbytes);

/* malloc(nbytes), never NULL: on failure prints "内存不足" to stderr and aborts.
 * A request for 0 bytes returns a unique pointer that free() accepts. */
void *xmalloc(size_t nbytes);

/* calloc(n, elem_nbytes): zeroed, never NULL; aborts if n * elem_nbytes overflows. */
void *xcalloc(size_t n, size_t elem_nbytes);

/* realloc(p, nbytes), never NULL (p as realloc takes it; 0 bytes gives a live
 * pointer, p is not freed behind the caller's back). */
void *xrealloc(void *p, size_t nbytes);

/* realloc(p, n * elem_nbytes), aborting if the product overflows. */
void *xreallocarray(void *p, size_t n, size_t elem_nbytes);

/* strdup(s) / strndup(s, nbytes), never NULL for a string; xstrdup(NULL) is NULL
 * (an optional text stays absent). */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t nbytes);

/* printf into a new string (caller frees), never NULL. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
