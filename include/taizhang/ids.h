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

#endif
