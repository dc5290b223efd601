/*
 * qr.c — QR codes as text (include/taizhang/qr.h), over libqrencode.
 *
 * Two modules per character cell: the top module picks the upper half block,
 * the bottom one the lower, both the full block, so a code of width w modules
 * (plus the quiet zone, 4 on each side) takes w + 8 columns and (w + 8 + 1) / 2
 * rows. The blocks are East-Asian-ambiguous: a terminal set to draw ambiguous
 * characters double-width stretches the picture, which is why callers also
 * show the text it encodes.
 */
#include <stdlib.h>
#include <string.h>

#ifdef TZ_HAVE_QRENCODE
#include <qrencode.h>
#endif

#include "taizhang/qr.h"
#include "taizhang/xalloc.h"

#define QUIET 4

#ifdef TZ_HAVE_QRENCODE
static int dark(const QRcode *qr, int x, int y)
{
	x -= QUIET;
	y -= QUIET;
	if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
		return 0;
	return qr->data[y * qr->width + x] & 1;
}
#endif

int qr_text_supported(struct tz_error *err)
{
#ifdef TZ_HAVE_QRENCODE
	(void)err;
	return TZ_OK;
#else
	return tz_error_set(err, TZ_EFAIL,
			    "这个 taizhang 编译时没有带二维码支持（libqrencode）：请用 taizhang keys export 导出公钥文件");
#endif
}

int qr_text_make(const char *text, struct qr_text *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
#ifdef TZ_HAVE_QRENCODE
	/* encodeString picks numeric, alphanumeric or byte mode segment by
	 * segment: 40 digits of a fingerprint fit version 2 (25 modules). */
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
	if (qr == NULL)
		return tz_error_set(err, TZ_EFAIL, "无法生成二维码");
	int size = qr->width + 2 * QUIET;
	out->ncols = size;
	out->nrows = (size + 1) / 2;
	out->lines = xcalloc((size_t)out->nrows, sizeof *out->lines);
	for (int row = 0; row < out->nrows; row++) {
		char *line = xmalloc((size_t)size * 3 + 1), *at = line;
		int y = 2 * row;
		for (int x = 0; x < size; x++) {
			int top = dark(qr, x, y), bottom = y + 1 < size && dark(qr, x, y + 1);
			const char *cell = top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
			size_t n = strlen(cell);
			memcpy(at, cell, n);
			at += n;
		}
		*at = '\0';
		out->lines[row] = line;
	}
	QRcode_free(qr);
	return TZ_OK;
#else
	(void)text;
	return qr_text_supported(err);
#endif
}

void qr_text_free(struct qr_text *q)
{
	for (int i = 0; i < q->nrows; i++)
		free(q->lines[i]);
	free(q->lines);
	memset(q, 0, sizeof *q);
}
