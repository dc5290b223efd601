/*
 * vec.c — growable arrays and text buffers (see include/taizhang/vec.h).
 *
 * Capacity doubles, starting at 8 elements (64 bytes of text), so a long run of
 * appends moves each element a bounded number of times.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

void *vec_grow(void *items, size_t *cap, size_t need, size_t elem_nbytes)
{
	if (need <= *cap && items != NULL)
		return items;
	size_t grown = *cap ? *cap : 8;
	while (grown < need) {
		if (grown > SIZE_MAX / 2)
			grown = need;
		else
			grown *= 2;
	}
	items = xreallocarray(items, grown, elem_nbytes);
	*cap = grown;
	return items;
}

void vec_text_add(struct vec_text *t, const char *bytes, size_t nbytes)
{
	if (nbytes > SIZE_MAX - t->n - 1)
		abort(); /* a text the size of the address space: a broken caller */
	if (t->n + nbytes + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 64;
		t->text = vec_grow(t->text, &cap, t->n + nbytes + 1, 1);
		t->cap = cap;
	}
	memcpy(t->text + t->n, bytes, nbytes);
	t->n += nbytes;
	t->text[t->n] = '\0';
}

void vec_text_puts(struct vec_text *t, const char *s)
{
	vec_text_add(t, s, strlen(s));
}

void vec_text_printf(struct vec_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		vec_text_add(t, small, (size_t)n);
		return;
	}
	char *big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	vec_text_add(t, big, (size_t)n);
	free(big);
}

char *vec_text_take(struct vec_text *t)
{
	char *text = t->text ? t->text : xstrdup("");
	*t = (struct vec_text){ 0 };
	return text;
}

void vec_text_free(struct vec_text *t)
{
	free(t->text);
	*t = (struct vec_text){ 0 };
}
