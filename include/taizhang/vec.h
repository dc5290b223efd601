/*
 * vec.h — growable arrays and text buffers.
 *
 * A growable array is three variables the caller owns: a typed pointer, a count
 * and a capacity (in elements). VEC_RESERVE makes room, doubling the capacity,
 * so appending n elements one by one costs O(n); VEC_PUSH appends one slot and
 * gives its address. They abort on out-of-memory (xalloc.h), so no caller checks.
 *
 *     struct finding *items = NULL; size_t n = 0, cap = 0;
 *     *VEC_PUSH(items, n, cap) = f;
 *
 * struct vec_text is the same for bytes, always NUL-terminated.
 *
 * Deliberately not here: ownership of what the elements point to.
 */
#ifndef TAIZHANG_VEC_H
#define TAIZHANG_VEC_H

#include <stddef.h>

/* items (of elem_nbytes each, *cap of them allocated) grown so that at least
 * need fit; returns the (possibly moved) array and updates *cap. The new slots
 * are not initialised. Never NULL: aborts on out-of-memory or overflow. */
void *vec_grow(void *items, size_t *cap, size_t need, size_t elem_nbytes);

/* Room for at least need elements in the array items with capacity cap (lvalues). */
#define VEC_RESERVE(items, cap, need) \
	((items) = vec_grow((items), &(cap), (need), sizeof *(items)))

/* Append one uninitialised element to items[0..n) and give its address; n grows by one. */
#define VEC_PUSH(items, n, cap) (VEC_RESERVE(items, cap, (n) + 1), &(items)[(n)++])

/* A text being built: text[0..n) and a NUL; text is NULL until something is added. */
struct vec_text {
	char *text;
	size_t n, cap; /* bytes used (without the NUL), bytes allocated */
};

/* Append nbytes of bytes to t (they may hold NULs; t->text stays NUL-terminated). */
void vec_text_add(struct vec_text *t, const char *bytes, size_t nbytes);

/* Append the NUL-terminated s. */
void vec_text_puts(struct vec_text *t, const char *s);

/* Append printf-formatted text. */
void vec_text_printf(struct vec_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The text, owned by the caller from now on ("" when nothing was added); t is empty again. */
char *vec_text_take(struct vec_text *t);

/* Free the text and empty t. */
void vec_text_free(struct vec_text *t);

#endif
