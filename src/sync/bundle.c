/*
 * bundle.c — the bundle codec (include/taizhang/bundle.h): a payload signed by the
 * sending device and encrypted to the receiving one, as one file for a USB stick.
 *
 * Why this shape. A bundle crosses an untrusted medium (a stick that passes
 * through many hands) between two devices that never talk online, so it must be
 * self-contained, checkable before anything in it is trusted, and boring to parse.
 * It follows age (a one-time X25519 key per file, a chunked STREAM construction
 * with a final flag so truncation is detected) and minisign (Ed25519 over a
 * BLAKE2b hash of the whole file, verified first). All primitives are libsodium's;
 * the only thing defined here is the layout and the order of the checks.
 *
 * What it is not: it does not know stores, sequence numbers' meaning, replay or
 * fork detection (the importer compares seq and prev_hash), nor which devices are
 * trusted (the caller's lookup says). It never writes the clear payload anywhere.
 *
 * Bundle file, format version 1, cipher suite 1. Integers little-endian.
 *
 *   offset size  field
 *        0    8  magic "TZBUNDLE" (ASCII)
 *        8    2  format version = 1
 *       10    2  cipher suite = 1 (below)
 *       12    4  schema version: the sender store's PRAGMA user_version
 *       16    8  sender device id (sync_keys.h: first 8 bytes of a BLAKE2b-256
 *                of the sender's Ed25519 public key)
 *       24    8  recipient device id
 *       32    8  seq: the sender's bundle counter (the caller's; 1 for the first)
 *       40    8  payload length in bytes, at most 2^30
 *       48   32  hash of the previous bundle from this sender (bundle_hash), zero
 *                for the first
 *       80   32  one-time X25519 public key E (fresh for every bundle)
 *      112   24  crypto_secretstream_xchacha20poly1305 header
 *      136    C  ciphertext: the payload in chunks of 65536 bytes (the last one
 *                shorter; an empty payload is one empty chunk), each chunk
 *                secretstream-encrypted into its length + 17 bytes. Every chunk is
 *                tagged MESSAGE except the last, which is tagged FINAL. The first
 *                chunk's additional data is BLAKE2b-256(bytes 0..135); the others
 *                have none. So C = L + 17 * max(1, ceil(L / 65536)) for length L.
 *  136 + C   64  Ed25519 signature (crypto_sign_detached) by the sender over the
 *                64-byte BLAKE2b-512 of the ASCII string
 *                "taizhang-bundle-signature-v1" (28 bytes, no NUL) ‖ bytes
 *                0 .. 136 + C - 1
 *
 * The file ends there: a byte more is an error, as is a byte less.
 *
 * Cipher suite 1. Key agreement is libsodium's crypto_kx with the sender as the
 * client holding the one-time key pair (E, e) and the recipient as the server
 * with its long-term X25519 key pair (R, r): both sides compute
 * BLAKE2b-512(X25519(e, R) ‖ E ‖ R) and use its second half (the client's tx, the
 * server's rx) as the 32-byte secretstream key. X25519 results that are all zero
 * (small-order keys) are refused by libsodium. The one-time secret key and the
 * stream key are wiped as soon as the payload is encrypted, so a bundle can be
 * read only with the recipient's secret key (not even by its sender).
 *
 * Order of checks when decoding, each a distinct enum bundle_fault: magic,
 * version, suite, payload length and file length (truncated / trailing), the
 * sender's key by device id (unknown / revoked), the signature over everything,
 * and only then the recipient id, the key agreement and the chunks (decryption,
 * final tag). Nothing signed is interpreted before the signature verifies except
 * what is needed to find the signature and the key that checks it.
 *
 * bundle_hash is BLAKE2b-256 of the whole file, signature included (Ed25519
 * signatures from libsodium are deterministic and non-malleable, so one bundle
 * has one hash). It is what `b2sum -l 256` prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "taizhang/bytes.h"
#include "taizhang/file.h"
#include "taizhang/bundle.h"
#include "taizhang/secret.h"
#include "taizhang/xalloc.h"
#include "taizhang/os_error.h"

static const unsigned char magic[BUNDLE_MAGIC_NBYTES] = { 'T', 'Z', 'B', 'U', 'N', 'D', 'L', 'E' };
static const char signature_context[] = "taizhang-bundle-signature-v1";

#define OFF_VERSION 8
#define OFF_SUITE 10
#define OFF_SCHEMA 12
#define OFF_SENDER 16
#define OFF_RECIPIENT 24
#define OFF_SEQ 32
#define OFF_LENGTH 40
#define OFF_PREV 48
#define OFF_EPHEMERAL 80
#define OFF_STREAM 112

#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HEADERBYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES

_Static_assert(OFF_STREAM + SS_HEADERBYTES == BUNDLE_HEADER_NBYTES, "header layout");
_Static_assert(SS_ABYTES == BUNDLE_CHUNK_OVERHEAD_NBYTES, "chunk overhead");
_Static_assert(crypto_sign_BYTES == BUNDLE_SIGNATURE_NBYTES, "signature size");
_Static_assert(crypto_sign_SECRETKEYBYTES == BUNDLE_SIGN_SK_NBYTES, "signing key size");
_Static_assert(crypto_sign_PUBLICKEYBYTES == BUNDLE_SIGN_PK_NBYTES, "signing key size");
_Static_assert(crypto_kx_PUBLICKEYBYTES == BUNDLE_BOX_NBYTES, "X25519 key size");
_Static_assert(crypto_kx_SESSIONKEYBYTES == crypto_secretstream_xchacha20poly1305_KEYBYTES,
	       "stream key size");
_Static_assert(sizeof signature_context - 1 == 28, "documented context length");

/* The secrets of one encode or decode, kept together in secret memory. */
struct bundle_secrets {
	unsigned char eph_sk[crypto_kx_SECRETKEYBYTES];
	unsigned char rx[crypto_kx_SESSIONKEYBYTES];
	unsigned char tx[crypto_kx_SESSIONKEYBYTES];
	crypto_secretstream_xchacha20poly1305_state state;
};

static void device_hex(const unsigned char id[BUNDLE_DEVICE_ID_NBYTES],
		       char out[2 * BUNDLE_DEVICE_ID_NBYTES + 1])
{
	sodium_bin2hex(out, 2 * BUNDLE_DEVICE_ID_NBYTES + 1, id, BUNDLE_DEVICE_ID_NBYTES);
}

/* Number of chunks for a payload of nbytes (an empty payload is one chunk). */
static uint64_t chunk_count(uint64_t nbytes)
{
	return nbytes == 0 ? 1 : (nbytes + BUNDLE_CHUNK_NBYTES - 1) / BUNDLE_CHUNK_NBYTES;
}

/* Ciphertext bytes for a payload of nbytes (nbytes <= BUNDLE_MAX_PAYLOAD_NBYTES,
 * so nothing here can overflow). */
static uint64_t body_nbytes(uint64_t nbytes)
{
	return nbytes + chunk_count(nbytes) * SS_ABYTES;
}

/* The domain-separated hash the signature covers: BLAKE2b-512 of the context
 * string ‖ header ‖ ciphertext (signed_nbytes bytes from file). */
static void signature_hash(const unsigned char *file, size_t signed_nbytes,
			   unsigned char out[crypto_generichash_BYTES_MAX])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, crypto_generichash_BYTES_MAX);
	crypto_generichash_update(&h, (const unsigned char *)signature_context,
				  sizeof signature_context - 1);
	crypto_generichash_update(&h, file, signed_nbytes);
	crypto_generichash_final(&h, out, crypto_generichash_BYTES_MAX);
}

void bundle_hash(const unsigned char *file, size_t file_nbytes,
		 unsigned char out[BUNDLE_HASH_NBYTES])
{
	crypto_generichash(out, BUNDLE_HASH_NBYTES, file, file_nbytes, NULL, 0);
}

void bundle_payload_free(unsigned char *payload, size_t payload_nbytes)
{
	if (payload == NULL)
		return;
	sodium_memzero(payload, payload_nbytes);
	free(payload);
}

static int fault_set(enum bundle_fault *fault, enum bundle_fault f)
{
	if (fault != NULL)
		*fault = f;
	return f == BUNDLE_FAULT_NONE ? TZ_OK : TZ_EDAMAGED;
}

int bundle_peek_order(const unsigned char *head, size_t nbytes,
		      unsigned char sender[BUNDLE_DEVICE_ID_NBYTES], uint64_t *seq)
{
	if (nbytes < BUNDLE_HEADER_NBYTES || memcmp(head, magic, BUNDLE_MAGIC_NBYTES) != 0)
		return -1;
	memcpy(sender, head + OFF_SENDER, BUNDLE_DEVICE_ID_NBYTES);
	*seq = bytes_load_le64(head + OFF_SEQ);
	return 0;
}

int bundle_read_header(const unsigned char *file, size_t file_nbytes,
		       struct bundle_header *h, enum bundle_fault *fault,
		       struct tz_error *err)
{
	memset(h, 0, sizeof *h);
	size_t have = file_nbytes < BUNDLE_MAGIC_NBYTES ? file_nbytes : BUNDLE_MAGIC_NBYTES;
	if (have > 0 && memcmp(file, magic, have) != 0) {
		fault_set(fault, BUNDLE_FAULT_MAGIC);
		return tz_error_set(err, TZ_EDAMAGED,
				    "这不是 taizhang 数据包（文件开头的标记不对）");
	}
	if (file_nbytes >= OFF_VERSION + 2 && bytes_load_le16(file + OFF_VERSION) != BUNDLE_FORMAT_VERSION) {
		fault_set(fault, BUNDLE_FAULT_VERSION);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包格式版本 %u 本程序不认识（只认识版本 %u）：文件已损坏，或需要升级程序",
				    bytes_load_le16(file + OFF_VERSION), BUNDLE_FORMAT_VERSION);
	}
	if (file_nbytes >= OFF_SUITE + 2 && bytes_load_le16(file + OFF_SUITE) != BUNDLE_SUITE) {
		fault_set(fault, BUNDLE_FAULT_SUITE);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包的加密方式（套件 %u）本程序不认识（只认识套件 %u）：文件已损坏，或需要升级程序",
				    bytes_load_le16(file + OFF_SUITE), BUNDLE_SUITE);
	}
	if (file_nbytes < BUNDLE_HEADER_NBYTES) {
		fault_set(fault, BUNDLE_FAULT_TRUNCATED);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包不完整（只有 %zu 字节，连文件头都不全）：可能没有拷贝完，或U盘已损坏",
				    file_nbytes);
	}
	uint64_t length = bytes_load_le64(file + OFF_LENGTH);
	if (length > BUNDLE_MAX_PAYLOAD_NBYTES) {
		fault_set(fault, BUNDLE_FAULT_LENGTH);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包头部的长度不合理（%llu 字节）：文件已损坏或被篡改",
				    (unsigned long long)length);
	}
	uint64_t want = BUNDLE_HEADER_NBYTES + body_nbytes(length) + BUNDLE_SIGNATURE_NBYTES;
	if ((uint64_t)file_nbytes < want) {
		fault_set(fault, BUNDLE_FAULT_TRUNCATED);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包不完整（应有 %llu 字节，只有 %zu 字节）：可能没有拷贝完，或U盘已损坏",
				    (unsigned long long)want, file_nbytes);
	}
	if ((uint64_t)file_nbytes > want) {
		fault_set(fault, BUNDLE_FAULT_TRAILING);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包末尾多出 %llu 字节：文件已被改动或拼接",
				    (unsigned long long)(file_nbytes - want));
	}
	h->version = bytes_load_le16(file + OFF_VERSION);
	h->suite = bytes_load_le16(file + OFF_SUITE);
	h->schema_version = bytes_load_le32(file + OFF_SCHEMA);
	memcpy(h->sender, file + OFF_SENDER, BUNDLE_DEVICE_ID_NBYTES);
	memcpy(h->recipient, file + OFF_RECIPIENT, BUNDLE_DEVICE_ID_NBYTES);
	h->seq = bytes_load_le64(file + OFF_SEQ);
	h->payload_nbytes = length;
	memcpy(h->prev_hash, file + OFF_PREV, BUNDLE_HASH_NBYTES);
	return fault_set(fault, BUNDLE_FAULT_NONE);
}

int bundle_encode(const struct bundle_header *h, const unsigned char *sign_sk,
		  const unsigned char *recipient_box_pk, const unsigned char *payload,
		  size_t payload_nbytes, unsigned char **out, size_t *out_nbytes,
		  struct tz_error *err)
{
	*out = NULL;
	*out_nbytes = 0;
	if (secret_init(err) != TZ_OK)
		return TZ_EFAIL;
	if ((uint64_t)payload_nbytes > BUNDLE_MAX_PAYLOAD_NBYTES)
		return tz_error_set(err, TZ_EFAIL,
				    "要打包的内容太大（%zu 字节，一个数据包最多 %llu 字节）",
				    payload_nbytes, (unsigned long long)BUNDLE_MAX_PAYLOAD_NBYTES);
	size_t total = BUNDLE_HEADER_NBYTES + (size_t)body_nbytes(payload_nbytes) +
		       BUNDLE_SIGNATURE_NBYTES;
	unsigned char *file = xmalloc(total);
	struct bundle_secrets *sec = secret_alloc(sizeof *sec);
	int rc = TZ_OK;

	/* The fixed header, up to the one-time key. */
	memcpy(file, magic, BUNDLE_MAGIC_NBYTES);
	bytes_store_le16(file + OFF_VERSION, BUNDLE_FORMAT_VERSION);
	bytes_store_le16(file + OFF_SUITE, BUNDLE_SUITE);
	bytes_store_le32(file + OFF_SCHEMA, h->schema_version);
	memcpy(file + OFF_SENDER, h->sender, BUNDLE_DEVICE_ID_NBYTES);
	memcpy(file + OFF_RECIPIENT, h->recipient, BUNDLE_DEVICE_ID_NBYTES);
	bytes_store_le64(file + OFF_SEQ, h->seq);
	bytes_store_le64(file + OFF_LENGTH, payload_nbytes);
	memcpy(file + OFF_PREV, h->prev_hash, BUNDLE_HASH_NBYTES);

	/* Key agreement with a one-time key pair; the stream key is the client's tx. */
	crypto_kx_keypair(file + OFF_EPHEMERAL, sec->eph_sk);
	if (crypto_kx_client_session_keys(sec->rx, sec->tx, file + OFF_EPHEMERAL, sec->eph_sk,
					  recipient_box_pk) != 0) {
		rc = tz_error_set(err, TZ_EFAIL, "收件设备的加密公钥不可用（不是有效的 X25519 公钥）");
		goto done;
	}
	sodium_memzero(sec->eph_sk, sizeof sec->eph_sk);
	crypto_secretstream_xchacha20poly1305_init_push(&sec->state, file + OFF_STREAM, sec->tx);
	sodium_memzero(sec->tx, sizeof sec->tx);
	sodium_memzero(sec->rx, sizeof sec->rx);

	unsigned char ad[32];
	crypto_generichash(ad, sizeof ad, file, BUNDLE_HEADER_NBYTES, NULL, 0);
	uint64_t nchunks = chunk_count(payload_nbytes);
	unsigned char *c = file + BUNDLE_HEADER_NBYTES;
	size_t done_nbytes = 0;
	for (uint64_t i = 0; i < nchunks; i++) {
		size_t m = payload_nbytes - done_nbytes;
		if (m > BUNDLE_CHUNK_NBYTES)
			m = BUNDLE_CHUNK_NBYTES;
		unsigned char tag = i + 1 == nchunks ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
						     : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
		crypto_secretstream_xchacha20poly1305_push(&sec->state, c, NULL,
							   m ? payload + done_nbytes : NULL, m,
							   i == 0 ? ad : NULL, i == 0 ? sizeof ad : 0,
							   tag);
		c += m + SS_ABYTES;
		done_nbytes += m;
	}

	size_t signed_nbytes = total - BUNDLE_SIGNATURE_NBYTES;
	unsigned char digest[crypto_generichash_BYTES_MAX];
	signature_hash(file, signed_nbytes, digest);
	crypto_sign_detached(file + signed_nbytes, NULL, digest, sizeof digest, sign_sk);
done:
	secret_free(sec);
	if (rc != TZ_OK) {
		free(file);
		return rc;
	}
	*out = file;
	*out_nbytes = total;
	return TZ_OK;
}

/* Decrypt the chunks of a verified bundle into *payload. */
static int decrypt_body(const unsigned char *file, const struct bundle_header *h,
			struct bundle_secrets *sec, unsigned char **payload,
			enum bundle_fault *fault, struct tz_error *err)
{
	unsigned char *plain = NULL;
	if (h->payload_nbytes > 0) /* no more than the file holds (bundle_read_header) */
		plain = xmalloc((size_t)h->payload_nbytes);
	if (crypto_secretstream_xchacha20poly1305_init_pull(&sec->state, file + OFF_STREAM,
							    sec->rx) != 0) {
		bundle_payload_free(plain, (size_t)h->payload_nbytes);
		fault_set(fault, BUNDLE_FAULT_DECRYPT);
		return tz_error_set(err, TZ_EDAMAGED, "数据包无法解密：加密头无效");
	}
	unsigned char ad[32];
	crypto_generichash(ad, sizeof ad, file, BUNDLE_HEADER_NBYTES, NULL, 0);
	uint64_t nchunks = chunk_count(h->payload_nbytes);
	const unsigned char *c = file + BUNDLE_HEADER_NBYTES;
	size_t done_nbytes = 0;
	for (uint64_t i = 0; i < nchunks; i++) {
		size_t m = (size_t)h->payload_nbytes - done_nbytes;
		if (m > BUNDLE_CHUNK_NBYTES)
			m = BUNDLE_CHUNK_NBYTES;
		unsigned char tag = 0;
		unsigned char scratch[1];
		if (crypto_secretstream_xchacha20poly1305_pull(&sec->state,
							       m ? plain + done_nbytes : scratch,
							       NULL, &tag, c, m + SS_ABYTES,
							       i == 0 ? ad : NULL,
							       i == 0 ? sizeof ad : 0) != 0) {
			bundle_payload_free(plain, (size_t)h->payload_nbytes);
			fault_set(fault, BUNDLE_FAULT_DECRYPT);
			return tz_error_set(err, TZ_EDAMAGED,
					    "数据包无法解密（第 %llu 段）：它不是用本设备的密钥加密的，或内容已损坏",
					    (unsigned long long)i + 1);
		}
		int last = i + 1 == nchunks;
		unsigned char want = last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
					  : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
		if (tag != want) {
			bundle_payload_free(plain, (size_t)h->payload_nbytes);
			fault_set(fault, BUNDLE_FAULT_STREAM);
			return tz_error_set(err, TZ_EDAMAGED,
					    last ? "数据包内容缺少结束标记：文件不完整或已被改动"
						 : "数据包内容在第 %llu 段提前结束：文件已被改动",
					    (unsigned long long)i + 1);
		}
		c += m + SS_ABYTES;
		done_nbytes += m;
	}
	*payload = plain;
	return TZ_OK;
}

int bundle_decode(const unsigned char *file, size_t file_nbytes,
		  const struct bundle_recipient *me, struct bundle_header *h,
		  unsigned char **payload, size_t *payload_nbytes,
		  enum bundle_fault *fault, struct tz_error *err)
{
	*payload = NULL;
	*payload_nbytes = 0;
	struct bundle_header hdr;
	int rc = bundle_read_header(file, file_nbytes, &hdr, fault, err);
	memset(h, 0, sizeof *h);
	if (rc != TZ_OK)
		return rc;
	if (secret_init(err) != TZ_OK) {
		fault_set(fault, BUNDLE_FAULT_LOCAL);
		return TZ_EFAIL;
	}

	char sender_hex[2 * BUNDLE_DEVICE_ID_NBYTES + 1];
	device_hex(hdr.sender, sender_hex);
	unsigned char sign_pk[BUNDLE_SIGN_PK_NBYTES];
	enum bundle_sender status = BUNDLE_SENDER_UNKNOWN;
	rc = me->lookup(me->lookup_ctx, hdr.sender, sign_pk, &status, err);
	if (rc != TZ_OK) {
		if (fault != NULL)
			*fault = BUNDLE_FAULT_LOCAL;
		return rc;
	}
	if (status == BUNDLE_SENDER_REVOKED) {
		fault_set(fault, BUNDLE_FAULT_REVOKED_SENDER);
		return tz_error_set(err, TZ_EAUTH,
				    "数据包来自已吊销的设备 %s，拒绝接收", sender_hex);
	}
	if (status != BUNDLE_SENDER_TRUSTED) {
		fault_set(fault, BUNDLE_FAULT_UNKNOWN_SENDER);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包来自未登记的设备 %s，无法验证：请先登记（镇）或信任（村）该设备的公钥",
				    sender_hex);
	}

	size_t signed_nbytes = file_nbytes - BUNDLE_SIGNATURE_NBYTES;
	unsigned char digest[crypto_generichash_BYTES_MAX];
	signature_hash(file, signed_nbytes, digest);
	if (crypto_sign_verify_detached(file + signed_nbytes, digest, sizeof digest, sign_pk) != 0) {
		fault_set(fault, BUNDLE_FAULT_SIGNATURE);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包签名不正确（发送设备 %s）：文件已损坏或被篡改", sender_hex);
	}

	if (sodium_memcmp(hdr.recipient, me->device_id, BUNDLE_DEVICE_ID_NBYTES) != 0) {
		char to_hex[2 * BUNDLE_DEVICE_ID_NBYTES + 1], me_hex[2 * BUNDLE_DEVICE_ID_NBYTES + 1];
		device_hex(hdr.recipient, to_hex);
		device_hex(me->device_id, me_hex);
		fault_set(fault, BUNDLE_FAULT_RECIPIENT);
		return tz_error_set(err, TZ_EDAMAGED,
				    "这个数据包是发给设备 %s 的，不是本设备（%s）", to_hex, me_hex);
	}

	struct bundle_secrets *sec = secret_alloc(sizeof *sec);
	if (crypto_kx_server_session_keys(sec->rx, sec->tx, me->box_pk, me->box_sk,
					  file + OFF_EPHEMERAL) != 0) {
		secret_free(sec);
		fault_set(fault, BUNDLE_FAULT_DECRYPT);
		return tz_error_set(err, TZ_EDAMAGED,
				    "数据包无法解密：其中的一次性公钥无效");
	}
	unsigned char *plain = NULL;
	rc = decrypt_body(file, &hdr, sec, &plain, fault, err);
	secret_free(sec);
	if (rc != TZ_OK)
		return rc;
	*h = hdr;
	*payload = plain;
	*payload_nbytes = (size_t)hdr.payload_nbytes;
	return fault_set(fault, BUNDLE_FAULT_NONE);
}

/* ---- files on sticks ---- */

int bundle_file_read(const char *path, size_t max_nbytes, unsigned char **data,
		     size_t *nbytes, struct tz_error *err)
{
	char *text;
	int rc = file_read_all(path, max_nbytes, &text, nbytes, err);
	*data = (unsigned char *)text;
	return rc;
}

static int write_all(int fd, const unsigned char *data, size_t nbytes)
{
	while (nbytes > 0) {
		ssize_t w = write(fd, data, nbytes);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		data += w;
		nbytes -= (size_t)w;
	}
	return 0;
}

/* fsync the directory holding path, so that a rename in it is durable. */
static int sync_parent(const char *path)
{
	char copy[PATH_MAX];
	if (strlen(path) >= sizeof copy)
		return -1;
	strcpy(copy, path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	/* Some file systems (and FAT on some kernels) refuse fsync on a directory. */
	if (rc != 0 && (errno == EINVAL || errno == EBADF))
		rc = 0;
	close(fd);
	return rc;
}

/* Read path back from the device (not the page cache) and compare with data. */
static int read_back_matches(const char *path, const unsigned char *data, size_t nbytes)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	unsigned char buf[8192];
	size_t at = 0;
	int same = 1;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			same = same && r == 0 && at == nbytes;
			break;
		}
		if (at + (size_t)r > nbytes || memcmp(buf, data + at, (size_t)r) != 0) {
			same = 0;
			break;
		}
		at += (size_t)r;
	}
	close(fd);
	return same;
}

int bundle_file_write(const char *path, const unsigned char *data, size_t nbytes,
		      int replace, struct tz_error *err)
{
	char part[PATH_MAX];
	if (snprintf(part, sizeof part, "%s.part", path) >= (int)sizeof part)
		return tz_error_set(err, TZ_EFAIL, "文件名太长：%s", path);
	struct stat st;
	if (!replace && lstat(path, &st) == 0)
		return tz_error_set(err, TZ_EFAIL, "文件 %s 已经存在，不会覆盖它", path);
	int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return tz_error_set(err, TZ_EFAIL, "无法建立文件 %s：%s", part, os_error_text(errno));
	if (write_all(fd, data, nbytes) != 0 || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(part);
		return tz_error_set(err, TZ_EFAIL, "写入 %s 失败：%s", part, os_error_text(e));
	}
	if (close(fd) != 0) {
		int e = errno;
		unlink(part);
		return tz_error_set(err, TZ_EFAIL, "写入 %s 失败：%s", part, os_error_text(e));
	}
	if (rename(part, path) != 0) {
		int e = errno;
		unlink(part);
		return tz_error_set(err, TZ_EFAIL, "无法把 %s 改名为 %s：%s", part, path, os_error_text(e));
	}
	if (sync_parent(path) != 0) {
		int e = errno;
		unlink(path);
		return tz_error_set(err, TZ_EFAIL, "无法把目录写入磁盘（%s）：%s", path, os_error_text(e));
	}
	if (!read_back_matches(path, data, nbytes)) {
		unlink(path);
		return tz_error_set(err, TZ_EFAIL,
				    "写入 %s 后读回的内容不一致，已删除该文件：U盘可能已损坏，请换一个再试",
				    path);
	}
	return TZ_OK;
}
