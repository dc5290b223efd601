/*
 * textenc.c — detecting and converting the encoding of files officers bring in
 * (see include/taizhang/textenc.h).
 *
 * Detection is by elimination, in this order: a UTF-16 BOM (refused), a UTF-8
 * BOM (the rest must be UTF-8), valid UTF-8, else GB18030. UTF-16 without a BOM
 * is recognised by its zero bytes in the first characters (ASCII text in UTF-16
 * has every other byte zero) and refused the same way. GB18030 text is almost
 * never valid UTF-8 (its lead bytes 0x81..0xFE are followed by bytes that do
 * not continue a UTF-8 sequence), so the order does not misread real files.
 *
 * Offsets in messages count bytes of the original file, from 0 — what a hex
 * editor shows; lines count from 1 (csv_line_of). GB18030 never uses the bytes
 * of CR and LF inside a character, so counting them in the original is exact.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/csv.h"
#include "taizhang/textenc.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

static const char resave_hint[] =
	"请在 Excel 中用“另存为”，保存类型选“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”，"
	"再导入另存的文件";

/* Whether data looks like UTF-16 without a BOM: zero bytes at every other
 * position of its first characters. */
static int looks_like_utf16(const unsigned char *u, size_t nbytes)
{
	if (nbytes < 4)
		return 0;
	return (u[0] != 0 && u[1] == 0 && u[2] != 0 && u[3] == 0) ||
	       (u[0] == 0 && u[1] != 0 && u[2] == 0 && u[3] != 0);
}

/* Offset of the first byte of data that is not well-formed UTF-8 (NUL bytes are
 * allowed here: the CSV reader reports them by line), or nbytes if all is. */
static size_t utf8_bad_offset(const char *data, size_t nbytes)
{
	size_t i = 0;
	while (i < nbytes) {
		uint32_t cp;
		size_t n = utf8_decode(data + i, nbytes - i, &cp);
		if (n == 0)
			return i;
		i += n;
	}
	return nbytes;
}

/* A NUL-terminated malloc'd copy of nbytes of data. */
static int copy_text(const char *data, size_t nbytes, char **out, size_t *out_nbytes)
{
	char *copy = xmalloc(nbytes + 1);
	memcpy(copy, data, nbytes);
	copy[nbytes] = '\0';
	*out = copy;
	*out_nbytes = nbytes;
	return TZ_OK;
}

/* Convert data from GB18030 with iconv(3). */
static int from_gb18030(const char *data, size_t nbytes, char **out, size_t *out_nbytes,
			struct tz_error *err)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return tz_error_set(err, TZ_EFAIL,
				    "这台电脑不支持 GB18030 编码转换（iconv），无法读取这个文件；"
				    "请把文件另存为“CSV UTF-8（逗号分隔）”");
	/* A GB18030 character of 2 bytes becomes at most 3 bytes of UTF-8, one of 4
	 * at most 4: 3/2 of the input is always enough; grow anyway if not. */
	size_t cap = nbytes + nbytes / 2 + 16;
	char *buf = xmalloc(cap);
	char *in = (char *)data;
	size_t in_left = nbytes;
	char *o = buf;
	size_t o_left = cap - 1;
	int status = TZ_OK;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &o, &o_left) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - buf);
			VEC_RESERVE(buf, cap, cap + 1);
			o = buf + used;
			o_left = cap - 1 - used;
			continue;
		}
		size_t offset = (size_t)(in - data);
		status = tz_error_set(
			err, TZ_EFAIL,
			"文件编码无法识别：既不是 UTF-8，也不是 GB18030/GBK；第 %zu 行（文件第 %zu 字节）"
			"有%s的字节 0x%02X。%s",
			csv_line_of(data, nbytes, offset), offset,
			errno == EINVAL ? "不完整" : "无法转换", (unsigned char)data[offset],
			resave_hint);
		break;
	}
	iconv_close(cd);
	if (status != TZ_OK) {
		free(buf);
		return status;
	}
	*o = '\0';
	*out = buf;
	*out_nbytes = (size_t)(o - buf);
	return TZ_OK;
}

int textenc_to_utf8(const char *data, size_t nbytes, char **out, size_t *out_nbytes,
		    const char **encoding, struct tz_error *err)
{
	const unsigned char *u = (const unsigned char *)data;
	*out = NULL;
	*out_nbytes = 0;
	if ((nbytes >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
	    looks_like_utf16(u, nbytes))
		return tz_error_set(err, TZ_EFAIL,
				    "这个文件是 UTF-16（Excel 的“Unicode 文本”）格式，不能直接导入。%s",
				    resave_hint);
	if (nbytes >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		size_t bad = utf8_bad_offset(data + 3, nbytes - 3);
		if (bad < nbytes - 3)
			return tz_error_set(
				err, TZ_EFAIL,
				"文件开头标明是 UTF-8，但第 %zu 行（文件第 %zu 字节）不是有效的 UTF-8 "
				"文字，文件可能已损坏或被别的程序改过。%s",
				csv_line_of(data, nbytes, bad + 3), bad + 3, resave_hint);
		*encoding = TEXTENC_UTF8_BOM;
		return copy_text(data + 3, nbytes - 3, out, out_nbytes);
	}
	if (utf8_bad_offset(data, nbytes) == nbytes) {
		*encoding = TEXTENC_UTF8;
		return copy_text(data, nbytes, out, out_nbytes);
	}
	int rc = from_gb18030(data, nbytes, out, out_nbytes, err);
	if (rc == TZ_OK)
		*encoding = TEXTENC_GB18030;
	return rc;
}

/* The length of a space at s (ASCII space or tab, U+3000, U+00A0), or 0. */
static size_t space_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == ' ' || u[0] == '\t')
		return 1;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) /* U+3000 */
		return 3;
	if (u[0] == 0xC2 && u[1] == 0xA0) /* U+00A0 */
		return 2;
	return 0;
}

char *textenc_trim(char *text)
{
	size_t start = 0, n;
	while ((n = space_at(text + start)) > 0)
		start += n;
	size_t len = strlen(text + start);
	memmove(text, text + start, len + 1);
	/* Find the end of the last character that is not a space. */
	size_t i = 0, keep = 0;
	while (i < len) {
		n = space_at(text + i);
		if (n > 0) {
			i += n;
			continue;
		}
		uint32_t cp;
		size_t clen = utf8_decode(text + i, len - i, &cp);
		i += clen ? clen : 1;
		keep = i;
	}
	text[keep] = '\0';
	return text;
}

char *textenc_fold_ascii(char *text)
{
	size_t len = strlen(text), r = 0, w = 0;
	while (r < len) {
		uint32_t cp;
		size_t n = utf8_decode(text + r, len - r, &cp);
		if (n == 0) { /* not valid UTF-8: keep the byte as it is */
			text[w++] = text[r++];
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E) {
			text[w++] = (char)(cp - 0xFF01 + 0x21);
		} else if (cp == 0x3000 || cp == 0xA0) {
			text[w++] = ' ';
		} else {
			memmove(text + w, text + r, n);
			w += n;
		}
		r += n;
	}
	text[w] = '\0';
	return textenc_trim(text);
}
