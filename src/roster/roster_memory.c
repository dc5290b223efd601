/*
 * roster_memory.c — allocation for the roster importer: running out of memory
 * is the one failure it does not report (the program ends), so that reading a
 * sheet of many thousand cells need not check every copy.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster_internal.h"

void roster_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 0)
		qsort(base, n, size, cmp);
}

void *roster_xrealloc(void *p, size_t nbytes)
{
	p = realloc(p, nbytes ? nbytes : 1);
	if (p == NULL)
		abort();
	return p;
}

char *roster_xstrdup(const char *s)
{
	char *copy = strdup(s ? s : "");
	if (copy == NULL)
		abort();
	return copy;
}

char *roster_xprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *out = NULL;
	int n = vasprintf(&out, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return out;
}
