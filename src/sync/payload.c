/*
 * payload.c — what a bundle carries once decrypted: a receipt for the peer's
 * bundles and the sender's outbox entries (session changesets).
 *
 * The payload is only ever read after bundle_decode has verified the sender's
 * signature and decrypted it, so it comes from a device we enrolled or trust;
 * it is still parsed as hostile (every length checked against what is left,
 * nothing trailing), because that device may be a stolen or broken laptop.
 *
 * Format, version 1 (integers little-endian):
 *
 *   offset  size  field
 *   0       4     magic "TZPL"
 *   4       2     version (1)
 *   6       1     kind (1 = changes, 2 = a snapshot: snapshot.c)
 *   7       1     sender store kind (1 village, 2 town)
 *   8       12    sender store division code (ASCII digits)
 *   20      12    village concerned (ASCII digits)
 *   32      8     ack_seq: the highest seq of the receiver's own bundles the
 *                 sender has applied (0: none) — the receipt
 *   40      8     outbox_from: first outbox id this bundle covers
 *   48      8     outbox_upto: last outbox id it covers (from - 1 when none)
 *   56      4     n: number of entries
 *   60      ...   n entries: outbox id (8), changeset length (4), changeset
 *
 * Entry ids rise strictly and lie within outbox_from..outbox_upto.
 *
 * Packed (what a bundle carries; payload_pack): changesets repeat column
 * values and ids a great deal, so the encoded payload is deflated with zlib
 * when that makes it smaller (a village's first bundle: 9.1 MB -> about 2 MB):
 *
 *   0       4     magic "TZPZ"
 *   4       8     length of the encoded payload above, at most 2^30
 *   12      ...   zlib stream (RFC 1950) of exactly that many bytes, nothing after
 *
 * Since issue 16 a bundle is packed with Zstandard instead (the town reads
 * 30 villages' bundles: zstd unpacks in a fraction of inflate's instructions,
 * at a size no larger); the zlib form above is still read, so that bundles
 * written before stay readable:
 *
 *   0       4     magic "TZPS"
 *   4       8     length of the encoded payload, at most 2^30
 *   12      ...   one zstd frame (RFC 8878) whose content is exactly that many
 *                 bytes, nothing after
 *
 * Compression comes before encryption; there is no online attacker to learn
 * from the lengths (the CRIME kind of attack needs one choosing plaintext).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zlib.h>
#include <zstd.h>

#include "sync_internal.h"
#include "taizhang/bytes.h"
#include "taizhang/division.h"
#include "taizhang/xalloc.h"

#define PAYLOAD_MAGIC "TZPL"
#define PACKED_MAGIC "TZPZ"     /* zlib, read only */
#define PACKED_ZSTD_MAGIC "TZPS" /* zstd, what payload_pack writes */
#define PACKED_ZSTD_LEVEL 3
#define PACKED_HEADER_NBYTES 12
#define PACKED_MAX_NBYTES ((uint64_t)1 << 30)
#define PAYLOAD_FIXED_NBYTES 60
#define PAYLOAD_ENTRY_FIXED_NBYTES 12

int payload_encode(const struct payload *p, unsigned char **out, size_t *out_nbytes,
		   struct tz_error *err)
{
	*out = NULL;
	*out_nbytes = 0;
	if (!division_code_valid(p->from_code) || !division_code_valid(p->village))
		return tz_error_set(err, TZ_EFAIL, "内部错误：数据包的村代码不对");
	size_t total = PAYLOAD_FIXED_NBYTES;
	for (size_t i = 0; i < p->nentries; i++) {
		if (p->entries[i].changeset_nbytes > UINT32_MAX)
			return tz_error_set(err, TZ_EFAIL, "一次保存的修改太大，无法打包");
		total += PAYLOAD_ENTRY_FIXED_NBYTES + p->entries[i].changeset_nbytes;
	}
	unsigned char *buf = xmalloc(total);
	memcpy(buf, PAYLOAD_MAGIC, 4);
	bytes_store_le16(buf + 4, PAYLOAD_VERSION);
	buf[6] = p->kind;
	buf[7] = p->from_kind;
	memcpy(buf + 8, p->from_code, SYNC_CODE_NCHARS);
	memcpy(buf + 20, p->village, SYNC_CODE_NCHARS);
	bytes_store_le64(buf + 32, p->ack_seq);
	bytes_store_le64(buf + 40, p->outbox_from);
	bytes_store_le64(buf + 48, p->outbox_upto);
	bytes_store_le32(buf + 56, (uint32_t)p->nentries);
	size_t at = PAYLOAD_FIXED_NBYTES;
	for (size_t i = 0; i < p->nentries; i++) {
		bytes_store_le64(buf + at, p->entries[i].outbox_id);
		bytes_store_le32(buf + at + 8, (uint32_t)p->entries[i].changeset_nbytes);
		at += PAYLOAD_ENTRY_FIXED_NBYTES;
		if (p->entries[i].changeset_nbytes > 0)
			memcpy(buf + at, p->entries[i].changeset, p->entries[i].changeset_nbytes);
		at += p->entries[i].changeset_nbytes;
	}
	*out = buf;
	*out_nbytes = total;
	return TZ_OK;
}

static int damaged(struct payload *p, struct tz_error *err, const char *what)
{
	payload_free(p);
	return tz_error_set(err, TZ_EDAMAGED, "数据包内容不对（%s），已拒绝，没有导入任何内容", what);
}

void payload_pack(const unsigned char *plain, size_t nbytes, unsigned char **out,
		  size_t *out_nbytes)
{
	*out = NULL;
	*out_nbytes = 0;
	size_t bound = ZSTD_compressBound(nbytes);
	unsigned char *buf = xmalloc(PACKED_HEADER_NBYTES + bound);
	size_t packed = nbytes <= PACKED_MAX_NBYTES
				? ZSTD_compress(buf + PACKED_HEADER_NBYTES, bound, plain, nbytes,
						PACKED_ZSTD_LEVEL)
				: 0;
	if (nbytes <= PACKED_MAX_NBYTES && !ZSTD_isError(packed) &&
	    PACKED_HEADER_NBYTES + packed < nbytes) {
		memcpy(buf, PACKED_ZSTD_MAGIC, 4);
		bytes_store_le64(buf + 4, nbytes);
		*out = buf;
		*out_nbytes = PACKED_HEADER_NBYTES + packed;
		return;
	}
	free(buf);
	buf = xmalloc(nbytes);
	memcpy(buf, plain, nbytes);
	*out = buf;
	*out_nbytes = nbytes;
}

int payload_encode_packed(const struct payload *p, unsigned char **out, size_t *out_nbytes,
			  struct tz_error *err)
{
	*out = NULL;
	*out_nbytes = 0;
	unsigned char *plain = NULL;
	size_t plain_nbytes = 0;
	int rc = payload_encode(p, &plain, &plain_nbytes, err);
	if (rc == TZ_OK)
		payload_pack(plain, plain_nbytes, out, out_nbytes);
	if (plain != NULL)
		sodium_memzero(plain, plain_nbytes);
	free(plain);
	return rc;
}

static int parse(const unsigned char *data, size_t nbytes, struct payload *p,
		 struct tz_error *err);
static int unpacked(unsigned char *buf, size_t nbytes, struct payload *p, struct tz_error *err);

int payload_decode(const unsigned char *data, size_t nbytes, struct payload *p,
		   struct tz_error *err)
{
	memset(p, 0, sizeof *p);
	int zstd = nbytes >= 4 && memcmp(data, PACKED_ZSTD_MAGIC, 4) == 0;
	if (nbytes < 4 || (!zstd && memcmp(data, PACKED_MAGIC, 4) != 0))
		return parse(data, nbytes, p, err);
	if (nbytes < PACKED_HEADER_NBYTES)
		return damaged(p, err, "压缩头");
	uint64_t plain = bytes_load_le64(data + 4);
	/* deflate cannot expand more than 1032:1, so a claim beyond that is a lie
	 * (and would only make us allocate for nothing); a zstd frame must say
	 * its content's size, and say the same */
	uint64_t stream = nbytes - PACKED_HEADER_NBYTES;
	if (plain < PAYLOAD_FIXED_NBYTES || plain > PACKED_MAX_NBYTES ||
	    (!zstd && plain / 1032 > stream) ||
	    (zstd && ZSTD_getFrameContentSize(data + PACKED_HEADER_NBYTES, (size_t)stream) != plain))
		return damaged(p, err, "压缩长度");
	/* up to 1 GiB claimed by a file from a stick: refused, not fatal, when it
	 * cannot be had (the one allocation here not through xalloc.h) */
	unsigned char *buf = malloc((size_t)plain);
	if (buf == NULL)
		return tz_error_set(err, TZ_EFAIL, "内存不足，无法解开数据包（解压后 %llu 字节）",
				    (unsigned long long)plain);
	if (zstd) {
		/* exactly one frame, exactly plain bytes, nothing after it */
		size_t frame = ZSTD_findFrameCompressedSize(data + PACKED_HEADER_NBYTES, (size_t)stream);
		size_t got = ZSTD_isError(frame) || frame != stream
				     ? 0
				     : ZSTD_decompress(buf, (size_t)plain, data + PACKED_HEADER_NBYTES,
						       (size_t)stream);
		if (ZSTD_isError(got) || got != plain) {
			free(buf);
			return damaged(p, err, "压缩内容");
		}
		return unpacked(buf, (size_t)plain, p, err);
	}
	/* inflate exactly plain bytes from exactly the rest of the input */
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK) {
		free(buf);
		return tz_error_set(err, TZ_EFAIL, "内存不足");
	}
	int zrc = Z_OK;
	size_t in_left = nbytes - PACKED_HEADER_NBYTES, out_left = (size_t)plain;
	z.next_in = (unsigned char *)data + PACKED_HEADER_NBYTES;
	z.next_out = buf;
	while (zrc == Z_OK) {
		uInt in_step = in_left > UINT32_MAX ? UINT32_MAX : (uInt)in_left;
		uInt out_step = out_left > UINT32_MAX ? UINT32_MAX : (uInt)out_left;
		z.avail_in = in_step;
		z.avail_out = out_step;
		zrc = inflate(&z, Z_NO_FLUSH);
		in_left -= in_step - z.avail_in;
		out_left -= out_step - z.avail_out;
		if (zrc == Z_OK && in_step == z.avail_in && out_step == z.avail_out)
			zrc = Z_DATA_ERROR; /* no progress: the stream is cut short */
	}
	inflateEnd(&z);
	if (zrc != Z_STREAM_END || in_left != 0 || out_left != 0) {
		free(buf);
		return damaged(p, err, "压缩内容");
	}
	return unpacked(buf, (size_t)plain, p, err);
}

/* Parse the unpacked payload buf (nbytes), which p then owns (freed on error). */
static int unpacked(unsigned char *buf, size_t nbytes, struct payload *p, struct tz_error *err)
{
	int rc = parse(buf, nbytes, p, err);
	if (rc != TZ_OK) {
		free(buf);
		return rc;
	}
	p->inflated = buf;
	p->inflated_nbytes = nbytes;
	return TZ_OK;
}

static int parse(const unsigned char *data, size_t nbytes, struct payload *p,
		 struct tz_error *err)
{
	memset(p, 0, sizeof *p);
	if (nbytes < PAYLOAD_FIXED_NBYTES || memcmp(data, PAYLOAD_MAGIC, 4) != 0)
		return damaged(p, err, "格式标记");
	if (bytes_load_le16(data + 4) != PAYLOAD_VERSION)
		return damaged(p, err, "内容版本");
	p->kind = data[6];
	p->from_kind = data[7];
	if ((p->kind != PAYLOAD_KIND_CHANGES && p->kind != PAYLOAD_KIND_SNAPSHOT) ||
	    (p->from_kind != 1 && p->from_kind != 2))
		return damaged(p, err, "内容种类");
	memcpy(p->from_code, data + 8, SYNC_CODE_NCHARS);
	memcpy(p->village, data + 20, SYNC_CODE_NCHARS);
	if (!division_code_valid(p->from_code) || !division_code_valid(p->village))
		return damaged(p, err, "村代码");
	p->ack_seq = bytes_load_le64(data + 32);
	p->outbox_from = bytes_load_le64(data + 40);
	p->outbox_upto = bytes_load_le64(data + 48);
	uint32_t n = bytes_load_le32(data + 56);
	if (p->outbox_from == 0 || p->outbox_upto + 1 < p->outbox_from)
		return damaged(p, err, "修改编号范围");
	size_t left = nbytes - PAYLOAD_FIXED_NBYTES;
	if (n > left / PAYLOAD_ENTRY_FIXED_NBYTES)
		return damaged(p, err, "条目数");
	if (n > 0)
		p->entries = xcalloc(n, sizeof *p->entries); /* n <= nbytes / 12: no larger than data */
	const unsigned char *at = data + PAYLOAD_FIXED_NBYTES;
	uint64_t prev = p->outbox_from - 1;
	for (uint32_t i = 0; i < n; i++) {
		if (left < PAYLOAD_ENTRY_FIXED_NBYTES)
			return damaged(p, err, "条目被截断");
		uint64_t id = bytes_load_le64(at);
		uint32_t len = bytes_load_le32(at + 8);
		at += PAYLOAD_ENTRY_FIXED_NBYTES;
		left -= PAYLOAD_ENTRY_FIXED_NBYTES;
		if (id <= prev || id > p->outbox_upto)
			return damaged(p, err, "修改编号");
		if (len == 0 || len > left)
			return damaged(p, err, "条目长度");
		p->entries[i].outbox_id = id;
		p->entries[i].changeset = at;
		p->entries[i].changeset_nbytes = len;
		at += len;
		left -= len;
		prev = id;
	}
	p->nentries = n;
	if (left != 0)
		return damaged(p, err, "末尾有多余内容");
	return TZ_OK;
}

void payload_free(struct payload *p)
{
	free(p->entries);
	p->entries = NULL;
	p->nentries = 0;
	if (p->inflated != NULL) {
		sodium_memzero(p->inflated, p->inflated_nbytes);
		free(p->inflated);
	}
	p->inflated = NULL;
	p->inflated_nbytes = 0;
}
