/*
 * keyring.c — the keyring region at the head of a store file.
 *
 * Why this shape: one file must be the whole store (a copied file keeps its keys),
 * a passphrase change must rewrite a few hundred bytes and not the database, and a
 * power cut while writing must never lose the keys. So the first 8192 bytes of the
 * file hold two copies of the keyring, written one after the other with a sync
 * between; readers take the sound copy with the higher generation. LUKS keeps its
 * header twice for the same reason.
 *
 * On-disk format, version 1. All integers little-endian. One copy, 4096 bytes:
 *
 *   offset size  field
 *        0    8  magic "TZSTORE1"
 *        8    2  format version = 1
 *       10    2  copy size = 4096
 *       12    4  SQLite page size = 4096
 *       16    8  generation (grows by one at every write)
 *       24   16  store UUID (random)
 *       40    4  key epoch (bound into every page's additional data)
 *       44    1  store kind: 1 village, 2 town
 *       45    1  page cipher: 0 XChaCha20-Poly1305, 1 AES-256-GCM (cipher.c);
 *                0 in every store made before this byte was given a meaning
 *                (it was "zero"), so those open as they always did
 *       46    2  zero
 *       48   12  division code: 12 ASCII digits (村 or 镇 administrative code)
 *       60    4  zero
 *       64 3840  24 slots of 160 bytes (below)
 *     3904  128  zero
 *     4032   32  MAC: BLAKE2b-256 keyed with a subkey of the master key, over
 *                bytes 0..4031 — detects changes by anyone without the key
 *     4064   32  checksum: BLAKE2b-256 (unkeyed) over bytes 0..4063 — detects
 *                damage before any passphrase is tried
 *
 * Slot, 160 bytes; an empty slot is all zero:
 *        0    1  kind: 0 empty, 1 passphrase, 2 recovery
 *        1    1  name length in bytes (1..47)
 *        2    6  zero
 *   passphrase slot:
 *        8    8  Argon2id opslimit
 *       16    8  Argon2id memlimit (bytes)
 *       24   16  salt
 *       40   24  nonce
 *       64   48  master key wrapped with XChaCha20-Poly1305 under the Argon2id
 *                key; additional data = UUID ‖ opslimit ‖ memlimit ‖ salt ‖ name
 *      112   48  user name, UTF-8, zero padded
 *   recovery slot (at most one per keyring; a copy with two is not sound):
 *        8   80  master key sealed (crypto_box_seal) to the town's X25519 key
 *       88   32  the town's X25519 public key
 *      120   40  label, UTF-8, zero padded: the town's 12-digit division code
 *                (length 0..40; shown by `taizhang user list`)
 *
 * Copy A is at file offset 0, copy B at 4096. SQLite's pages follow at 8192.
 *
 * The generation. It grows by one at every keyring write, and the database
 * records it too (store_meta 'keyring_generation', kept in step by store.c and
 * users.c): an open refuses a keyring older than the database (exit 4), so an
 * old 8 KiB header copied back after `user remove` or `user passwd` does not
 * bring the removed user or the old passphrase back. The keyring is always
 * written before the database records its generation, so a crash in between
 * leaves a store that still opens. What this does and does not protect (the
 * master key itself is not changed) is in generation.c.
 *
 * The recovery slot. A village store whose officer has left (or forgotten the
 * passphrase) must not be lost: DESIGN.md gives the town office (镇扶贫办) a way
 * back in. When a village trusts its town's public key (`taizhang trust`, `init
 * --town-key`), the village's master key is sealed to the town's X25519 box key
 * with crypto_box_seal (an ephemeral X25519 key, XSalsa20-Poly1305; 32 + 48
 * bytes) and kept here; `trust --replace` reseals it to the new key, so the old
 * town key no longer opens the store. Only the holder of the town's secret box
 * key (inside the town's own encrypted store) can unseal it; `taizhang recover`
 * then adds a passphrase user. There is no passphrase and no Argon2id in this
 * slot: its strength is the town's key. A sealed box carries no additional data,
 * so the slot is bound to this store by the keyring MAC instead: a recovery slot
 * copied from another store unseals to a master key under which this keyring's
 * MAC does not verify, and the open fails as altered. The town's public key is
 * kept in clear so that the wrong town is told so (exit 3) before any unsealing.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "taizhang/bytes.h"
#include "taizhang/division.h"
#include "taizhang/file.h"
#include "taizhang/keyring.h"
#include "taizhang/os_error.h"

#define MAGIC "TZSTORE1"
#define FORMAT_VERSION 1
#define SLOT_NBYTES 160
#define SLOTS_OFFSET 64
#define MAC_OFFSET 4032
#define CHECKSUM_OFFSET 4064

static const char kdf_ctx_pages[8] = { 't', 'z', 'p', 'a', 'g', 'e', 's', '_' };
static const char kdf_ctx_header[8] = { 't', 'z', 'h', 'd', 'r', 'm', 'a', 'c' };

static int all_zero(const unsigned char *p, size_t nbytes)
{
	unsigned char acc = 0;
	for (size_t i = 0; i < nbytes; i++)
		acc |= p[i];
	return acc == 0;
}

int keyring_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > KEYRING_NAME_MAX_NBYTES)
		return 0;
	const unsigned char *p = (const unsigned char *)name;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t len;
		uint32_t cp;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7F || c == ' ')
				return 0;
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0))
			return 0;
		i += len;
	}
	return 1;
}

int keyring_init(struct keyring *kr, enum store_kind kind,
		 const char *division_code, struct tz_error *err)
{
	if (!division_code_valid(division_code))
		return tz_error_set(err, TZ_EUSAGE,
				    "行政区划代码必须是 12 位数字，“%s”不是", division_code);
	memset(kr, 0, sizeof *kr);
	randombytes_buf(kr->uuid, sizeof kr->uuid);
	kr->epoch = 1;
	kr->kind = (uint8_t)kind;
	memcpy(kr->division_code, division_code, KEYRING_CODE_NCHARS + 1);
	return TZ_OK;
}

/* The bytes of the wrapped key's additional data for slot s. */
static size_t slot_ad(const struct keyring *kr, const struct keyring_slot *s,
		      unsigned char *ad)
{
	size_t n = 0;
	memcpy(ad + n, kr->uuid, KEYRING_UUID_NBYTES);
	n += KEYRING_UUID_NBYTES;
	bytes_store_le64(ad + n, s->opslimit);
	n += 8;
	bytes_store_le64(ad + n, s->memlimit);
	n += 8;
	memcpy(ad + n, s->salt, sizeof s->salt);
	n += sizeof s->salt;
	size_t name_n = strlen(s->name);
	memcpy(ad + n, s->name, name_n);
	return n + name_n;
}

static void encode_slot(const struct keyring_slot *s, unsigned char *p)
{
	memset(p, 0, SLOT_NBYTES);
	if (s->kind == SLOT_EMPTY)
		return;
	size_t name_n = strlen(s->name);
	p[0] = s->kind;
	p[1] = (unsigned char)name_n;
	if (s->kind == SLOT_PASSPHRASE) {
		bytes_store_le64(p + 8, s->opslimit);
		bytes_store_le64(p + 16, s->memlimit);
		memcpy(p + 24, s->salt, 16);
		memcpy(p + 40, s->nonce, 24);
		memcpy(p + 64, s->wrapped, 48);
		memcpy(p + 112, s->name, name_n);
	} else {
		memcpy(p + 8, s->sealed, 80);
		memcpy(p + 88, s->town_pk, 32);
		memcpy(p + 120, s->name, name_n);
	}
}

/* Decode one slot; 0 when its layout is impossible. */
static int decode_slot(const unsigned char *p, struct keyring_slot *s)
{
	memset(s, 0, sizeof *s);
	if (p[0] == SLOT_EMPTY)
		return all_zero(p, SLOT_NBYTES);
	if (p[0] != SLOT_PASSPHRASE && p[0] != SLOT_RECOVERY)
		return 0;
	if (!all_zero(p + 2, 6))
		return 0;
	size_t name_n = p[1];
	s->kind = p[0];
	if (s->kind == SLOT_PASSPHRASE) {
		if (name_n == 0 || name_n > KEYRING_NAME_MAX_NBYTES ||
		    !all_zero(p + 112 + name_n, 48 - name_n))
			return 0;
		s->opslimit = bytes_load_le64(p + 8);
		s->memlimit = bytes_load_le64(p + 16);
		memcpy(s->salt, p + 24, 16);
		memcpy(s->nonce, p + 40, 24);
		memcpy(s->wrapped, p + 64, 48);
		if (memchr(p + 112, 0, name_n) != NULL)
			return 0; /* a NUL inside the name: not a keyring this program wrote */
		memcpy(s->name, p + 112, name_n);
		if (!kdf_limits_acceptable(s->opslimit, s->memlimit))
			return 0;
	} else {
		if (name_n > KEYRING_RECOVERY_LABEL_MAX_NBYTES ||
		    !all_zero(p + 120 + name_n, 40 - name_n))
			return 0;
		if (memchr(p + 120, 0, name_n) != NULL)
			return 0;
		memcpy(s->sealed, p + 8, 80);
		memcpy(s->town_pk, p + 88, 32);
		memcpy(s->name, p + 120, name_n);
	}
	s->name[name_n] = '\0';
	return keyring_name_valid(s->name) || (s->kind == SLOT_RECOVERY && name_n == 0);
}

/* Serialise kr into one 4096-byte copy, without MAC and checksum. */
static void encode_copy(const struct keyring *kr, unsigned char *copy)
{
	memset(copy, 0, KEYRING_COPY_NBYTES);
	memcpy(copy, MAGIC, 8);
	bytes_store_le16(copy + 8, FORMAT_VERSION);
	bytes_store_le16(copy + 10, KEYRING_COPY_NBYTES);
	bytes_store_le32(copy + 12, KEYRING_PAGE_NBYTES);
	bytes_store_le64(copy + 16, kr->generation);
	memcpy(copy + 24, kr->uuid, KEYRING_UUID_NBYTES);
	bytes_store_le32(copy + 40, kr->epoch);
	copy[44] = kr->kind;
	copy[45] = kr->cipher;
	memcpy(copy + 48, kr->division_code, KEYRING_CODE_NCHARS);
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
		encode_slot(&kr->slots[i], copy + SLOTS_OFFSET + i * SLOT_NBYTES);
}

static void header_mac(const unsigned char *copy, const unsigned char *master,
		       unsigned char out[32])
{
	unsigned char mac_key[32];
	crypto_kdf_derive_from_key(mac_key, sizeof mac_key, 2, kdf_ctx_header, master);
	crypto_generichash(out, 32, copy, MAC_OFFSET, mac_key, sizeof mac_key);
	sodium_memzero(mac_key, sizeof mac_key);
}

/* Decode and check one copy; 0 when it is not sound. */
static int decode_copy(const unsigned char *copy, struct keyring *kr)
{
	unsigned char sum[32];
	crypto_generichash(sum, sizeof sum, copy, CHECKSUM_OFFSET, NULL, 0);
	if (sodium_memcmp(sum, copy + CHECKSUM_OFFSET, 32) != 0)
		return 0;
	if (memcmp(copy, MAGIC, 8) != 0 || bytes_load_le16(copy + 8) != FORMAT_VERSION ||
	    bytes_load_le16(copy + 10) != KEYRING_COPY_NBYTES ||
	    bytes_load_le32(copy + 12) != KEYRING_PAGE_NBYTES)
		return 0;
	if (!all_zero(copy + 46, 2) || !all_zero(copy + 60, 4) ||
	    !all_zero(copy + 3904, 128))
		return 0;
	memset(kr, 0, sizeof *kr);
	kr->generation = bytes_load_le64(copy + 16);
	memcpy(kr->uuid, copy + 24, KEYRING_UUID_NBYTES);
	kr->epoch = bytes_load_le32(copy + 40);
	kr->kind = copy[44];
	if (kr->kind != STORE_KIND_VILLAGE && kr->kind != STORE_KIND_TOWN)
		return 0;
	kr->cipher = copy[45];
	if (kr->cipher != PAGE_CIPHER_XCHACHA20POLY1305 && kr->cipher != PAGE_CIPHER_AES256GCM)
		return 0;
	memcpy(kr->division_code, copy + 48, KEYRING_CODE_NCHARS);
	kr->division_code[KEYRING_CODE_NCHARS] = '\0';
	if (!division_code_valid(kr->division_code))
		return 0;
	int nrecovery = 0;
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++) {
		if (!decode_slot(copy + SLOTS_OFFSET + i * SLOT_NBYTES, &kr->slots[i]))
			return 0;
		nrecovery += kr->slots[i].kind == SLOT_RECOVERY;
	}
	if (nrecovery > 1)
		return 0;
	memcpy(kr->mac, copy + MAC_OFFSET, 32);
	return 1;
}

int keyring_read(int fd, struct keyring *kr, struct keyring_health *health,
		 struct tz_error *err)
{
	unsigned char copy[KEYRING_COPY_NBYTES];
	struct keyring found[2];
	int sound[2];
	for (int c = 0; c < 2; c++) {
		sound[c] = file_pread_all(fd, copy, sizeof copy,
				     (off_t)c * KEYRING_COPY_NBYTES) == 0 &&
			   decode_copy(copy, &found[c]);
	}
	if (health != NULL) {
		health->copy_damaged[0] = !sound[0];
		health->copy_damaged[1] = !sound[1];
		health->copies_differ = sound[0] && sound[1] &&
					found[0].generation != found[1].generation;
	}
	if (!sound[0] && !sound[1]) {
		if (file_pread_all(fd, copy, 8, 0) != 0 || memcmp(copy, MAGIC, 8) != 0)
			return tz_error_set(err, TZ_EDAMAGED,
					    "这不是 taizhang 台账文件，或者文件头已损坏");
		return tz_error_set(err, TZ_EDAMAGED,
				    "台账文件头（密钥区）的两个副本都已损坏或被篡改，无法打开");
	}
	int pick = !sound[0] ? 1 : !sound[1] ? 0
				 : (found[1].generation > found[0].generation ? 1 : 0);
	*kr = found[pick];
	return TZ_OK;
}

int keyring_find_user(const struct keyring *kr, const char *name)
{
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++) {
		if (kr->slots[i].kind != SLOT_PASSPHRASE)
			continue;
		if (name == NULL || strcmp(kr->slots[i].name, name) == 0)
			return i;
	}
	return -1;
}

int keyring_user_count(const struct keyring *kr)
{
	int n = 0;
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
		n += kr->slots[i].kind == SLOT_PASSPHRASE;
	return n;
}

int keyring_free_slot(const struct keyring *kr)
{
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
		if (kr->slots[i].kind == SLOT_EMPTY)
			return i;
	return -1;
}

int keyring_unlock(const struct keyring *kr, int index, const char *pass,
		   size_t pass_nbytes, unsigned char *master, struct tz_error *err)
{
	const struct keyring_slot *s = &kr->slots[index];
	unsigned char *kek = secret_alloc(SECRET_KEY_NBYTES);
	int rc = kdf_derive(kek, pass, pass_nbytes, s->salt, s->opslimit, s->memlimit, err);
	if (rc == TZ_OK) {
		unsigned char ad[KEYRING_UUID_NBYTES + 32 + KEYRING_NAME_MAX_NBYTES];
		size_t ad_n = slot_ad(kr, s, ad);
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(
			    master, NULL, NULL, s->wrapped, sizeof s->wrapped, ad, ad_n,
			    s->nonce, kek) != 0)
			rc = tz_error_set(err, TZ_EAUTH, "用户“%s”的口令不正确", s->name);
	}
	secret_free(kek);
	return rc;
}

int keyring_check_mac(const struct keyring *kr, const unsigned char *master,
		      struct tz_error *err)
{
	unsigned char copy[KEYRING_COPY_NBYTES];
	unsigned char mac[32];
	encode_copy(kr, copy);
	header_mac(copy, master, mac);
	if (sodium_memcmp(mac, kr->mac, sizeof mac) != 0)
		return tz_error_set(err, TZ_EDAMAGED,
				    "台账文件头（密钥区）被改动过，校验不通过");
	return TZ_OK;
}

int keyring_set_passphrase(struct keyring *kr, int index, const char *name,
			   const char *pass, size_t pass_nbytes, enum kdf_cost cost,
			   const unsigned char *master, struct tz_error *err)
{
	if (!keyring_name_valid(name))
		return tz_error_set(err, TZ_EUSAGE,
				    "用户名“%s”不可用：须为 1 到 %d 字节，不含空格和控制字符",
				    name, KEYRING_NAME_MAX_NBYTES);
	struct keyring_slot s;
	memset(&s, 0, sizeof s);
	s.kind = SLOT_PASSPHRASE;
	memcpy(s.name, name, strlen(name) + 1);
	kdf_cost_limits(cost, &s.opslimit, &s.memlimit);
	randombytes_buf(s.salt, sizeof s.salt);
	randombytes_buf(s.nonce, sizeof s.nonce);
	unsigned char *kek = secret_alloc(SECRET_KEY_NBYTES);
	int rc = kdf_derive(kek, pass, pass_nbytes, s.salt, s.opslimit, s.memlimit, err);
	if (rc == TZ_OK) {
		unsigned char ad[KEYRING_UUID_NBYTES + 32 + KEYRING_NAME_MAX_NBYTES];
		size_t ad_n = slot_ad(kr, &s, ad);
		crypto_aead_xchacha20poly1305_ietf_encrypt(s.wrapped, NULL, master,
							   SECRET_KEY_NBYTES, ad, ad_n,
							   NULL, s.nonce, kek);
		kr->slots[index] = s;
	}
	secret_free(kek);
	return rc;
}

int keyring_find_recovery(const struct keyring *kr)
{
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
		if (kr->slots[i].kind == SLOT_RECOVERY)
			return i;
	return -1;
}

int keyring_set_recovery(struct keyring *kr, const unsigned char town_pk[KEYRING_TOWN_PK_NBYTES],
			 const char *label, const unsigned char *master, struct tz_error *err)
{
	int index = keyring_find_recovery(kr);
	if (town_pk == NULL) {
		if (index >= 0)
			memset(&kr->slots[index], 0, sizeof kr->slots[index]);
		return TZ_OK;
	}
	size_t label_n = strlen(label);
	if (label_n > KEYRING_RECOVERY_LABEL_MAX_NBYTES ||
	    (label_n > 0 && !keyring_name_valid(label)))
		return tz_error_set(err, TZ_EUSAGE, "恢复槽的标签“%s”不可用", label);
	if (index < 0)
		index = keyring_free_slot(kr);
	if (index < 0)
		return tz_error_set(err, TZ_EFAIL,
				    "台账文件头的 %d 个槽位已满，写不下镇恢复槽：请先用 taizhang user remove 删除一个不用的用户",
				    KEYRING_MAX_SLOTS);
	struct keyring_slot s;
	memset(&s, 0, sizeof s);
	s.kind = SLOT_RECOVERY;
	memcpy(s.name, label, label_n + 1);
	memcpy(s.town_pk, town_pk, sizeof s.town_pk);
	/* Fails only for a public key of small order (no shared secret). */
	if (crypto_box_seal(s.sealed, master, SECRET_KEY_NBYTES, s.town_pk) != 0)
		return tz_error_set(err, TZ_EFAIL, "镇的加密公钥无效，无法写入镇恢复槽");
	kr->slots[index] = s;
	return TZ_OK;
}

int keyring_unseal_recovery(const struct keyring *kr,
			    const unsigned char town_pk[KEYRING_TOWN_PK_NBYTES],
			    const unsigned char *town_sk, unsigned char *master,
			    struct tz_error *err)
{
	int index = keyring_find_recovery(kr);
	if (index < 0)
		return tz_error_set(err, TZ_EAUTH,
				    "这个台账没有镇恢复槽（它从未信任过镇扶贫办的公钥），镇里无法恢复它");
	const struct keyring_slot *s = &kr->slots[index];
	if (sodium_memcmp(s->town_pk, town_pk, KEYRING_TOWN_PK_NBYTES) != 0)
		return tz_error_set(err, TZ_EAUTH,
				    "这个台账的镇恢复槽封给的是另一个镇公钥（写入时信任的镇：%s），"
				    "这个镇台账的密钥打不开它",
				    s->name[0] ? s->name : "未标明");
	if (crypto_box_seal_open(master, s->sealed, sizeof s->sealed, town_pk, town_sk) != 0)
		return tz_error_set(err, TZ_EDAMAGED,
				    "镇恢复槽解不开：台账文件头已损坏或被篡改");
	return TZ_OK;
}

int keyring_write(int fd, struct keyring *kr, const unsigned char *master,
		  struct tz_error *err)
{
	unsigned char copy[KEYRING_COPY_NBYTES];
	struct keyring next = *kr;
	next.generation++;
	encode_copy(&next, copy);
	header_mac(copy, master, copy + MAC_OFFSET);
	crypto_generichash(copy + CHECKSUM_OFFSET, 32, copy, CHECKSUM_OFFSET, NULL, 0);
	/* B first: while it is being written, A still holds the previous keyring. */
	if (file_pwrite_all(fd, copy, sizeof copy, KEYRING_COPY_NBYTES) != 0 ||
	    fdatasync(fd) != 0 || file_pwrite_all(fd, copy, sizeof copy, 0) != 0 ||
	    fdatasync(fd) != 0)
		return tz_error_set(err, TZ_EFAIL, "写入台账文件头失败：%s",
				    os_error_text(errno));
	memcpy(next.mac, copy + MAC_OFFSET, 32);
	*kr = next;
	return TZ_OK;
}

void keyring_page_key(const unsigned char *master, unsigned char *out)
{
	crypto_kdf_derive_from_key(out, SECRET_KEY_NBYTES, 1, kdf_ctx_pages, master);
}
