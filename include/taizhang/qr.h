/*
 * qr.h — a QR code as lines of text, two modules per character cell, for a
 * terminal: the `keys show --qr` command and the keys screen draw the same
 * picture from it.
 */
#ifndef TAIZHANG_QR_H
#define TAIZHANG_QR_H

#include <stddef.h>

#include "taizhang/error.h"

/* A QR code drawn with the half blocks U+2580 ▀, U+2584 ▄, U+2588 █ and spaces,
 * dark modules as blocks, with the 4-module quiet zone: nrows lines of ncols
 * character cells each (one column each on a terminal that draws ambiguous
 * characters narrow). Meant to be shown black on white. */
struct qr_text {
	char **lines; /* nrows NUL-terminated UTF-8 lines */
	int nrows, ncols;
};

/* Encode text (error correction level L, the smallest code) and draw it into *out (caller frees
 * with qr_text_free). TZ_EFAIL when it cannot be encoded, or when taizhang was
 * built without libqrencode (TZ_HAVE_QRENCODE undefined), saying so. */
int qr_text_make(const char *text, struct qr_text *out, struct tz_error *err);
void qr_text_free(struct qr_text *q);

/* TZ_OK when this build can draw QR codes, else TZ_EFAIL saying it cannot. */
int qr_text_supported(struct tz_error *err);

#endif
