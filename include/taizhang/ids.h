/*
 * ids.h — primary keys for synced rows: 32 lowercase hex digits (128 random bits),
 * unique across every village and device without coordination.
 */
#ifndef TAIZHANG_IDS_H
#define TAIZHANG_IDS_H

#define IDS_NCHARS 32

/* A new random id into out (IDS_NCHARS + 1 bytes). libsodium must be initialised. */
void ids_new(char out[IDS_NCHARS + 1]);

/* Whether text is a well-formed id. */
int ids_valid(const char *text);

/* The fewest leading digits an officer may type for an id. */
#define IDS_PREFIX_MIN_NCHARS 4

/* Whether text (NULL: no) is an id or its first IDS_PREFIX_MIN_NCHARS or more
 * digits (lowercase hex), as typed to name a row in short. */
int ids_prefix_valid(const char *text);

#endif
