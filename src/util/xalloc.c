/*
 * xalloc.c — allocation that aborts on out-of-memory (see include/taizhang/xalloc.h).
 *
 * One message, one exit: a half-written ledger is safer rolled back by SQLite
 * than carried on by code that met a NULL it never expected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/xalloc.h"

_Noreturn void xalloc_die(size_t nbytes)
{
	fprintf(stderr, "taizhang：内存不足（申请 %zu 字节失败），程序停止；请关闭其他程序后重试\n", nbytes);
	abort();
}

void *xmalloc(size_t nbytes)
{
	void *p = malloc(nbytes ? nbytes : 1);
	if (p == NULL)
		xalloc_die(nbytes);
	return p;
}

void *xcalloc(size_t n, size_t elem_nbytes)
{
	if (elem_nbytes != 0 && n > SIZE_MAX / elem_nbytes)
		xalloc_die(SIZE_MAX);
	void *p = calloc(n ? n : 1, elem_nbytes ? elem_nbytes : 1);
	if (p == NULL)
		xalloc_die(n * elem_nbytes);
	return p;
}

void *xrealloc(void *p, size_t nbytes)
{
	void *q = realloc(p, nbytes ? nbytes : 1);
	if (q == NULL)
		xalloc_die(nbytes);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t elem_nbytes)
{
	if (elem_nbytes != 0 && n > SIZE_MAX / elem_nbytes)
		xalloc_die(SIZE_MAX);
	return xrealloc(p, n * elem_nbytes);
}

char *xstrdup(const char *s)
{
	if (s == NULL)
		return NULL;
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t nbytes)
{
	size_t n = strnlen(s, nbytes);
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *out = NULL;
	if (vasprintf(&out, fmt, ap) < 0)
		xalloc_die(strlen(fmt));
	return out;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *out = xvasprintf(fmt, ap);
	va_end(ap);
	return out;
}
