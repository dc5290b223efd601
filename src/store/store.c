/*
 * store.c — opening, creating and closing an encrypted store; migrations;
 * mapping SQLite errors to taizhang's.
 *
 * Order of an open, and why: (1) read and check the keyring region before any
 * passphrase is tried, so a damaged header is reported as damage (exit 4), not as a
 * wrong passphrase; (2) one Argon2id derivation for the chosen user's slot; a wrong
 * passphrase stops here, before SQLite sees anything (store_open_recovery instead
 * unseals the recovery slot with the town office's key, see keyring.c); (3) the
 * keyring's MAC under the master key, which catches a header altered by someone
 * without the key (or a recovery slot copied from another store);
 * (4) the page key goes to the VFS shim's registry and SQLite is opened through the
 * shim. A store whose page cipher this processor lacks (AES-256-GCM without AES-NI,
 * cipher.c) is refused right after (1), as such, not as damage. A new store takes
 * the cipher page_cipher_for_new_store picks and records it in its keyring. The file descriptor used for the keyring stays open until SQLite is closed:
 * closing any descriptor of a file drops the process's POSIX locks on it, which
 * would silently break SQLite's locking.
 *
 * (5) once SQLite is up, the keyring's generation is compared with the one the
 * database recorded, so an old keyring spliced back is refused (generation.c).
 * A new store is built in a hidden file beside its name and renamed into place
 * by store_publish (aside.c). Every connection is hardened (guard.c).
 *
 * Running statements is in query.c; transactions, the audit log, users and
 * verification live in tx.c, audit.c, users.c and verify.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "taizhang/date.h"
#include "store_internal.h"
#include "taizhang/migrate.h"
#include "taizhang/money.h"
#include "taizhang/store_vfs.h"
#include "taizhang/xalloc.h"
#include "taizhang/os_error.h"

sqlite3 *store_db(struct store *s)
{
	return s->db;
}

const char *store_user(const struct store *s)
{
	return s->user;
}

const struct keyring *store_keyring(const struct store *s)
{
	return &s->kr;
}

const char *store_notice(const struct store *s)
{
	return s->notice[0] != '\0' ? s->notice : NULL;
}

int store_sqlite_error(struct store *s, int rc, const char *what, struct tz_error *err)
{
	uint32_t pgno;
	enum page_domain domain;
	int primary = rc & 0xFF;
	if (s != NULL && store_vfs_damage(s->fullpath, &pgno, &domain)) {
		if (domain == PAGE_DOMAIN_JOURNAL)
			return tz_error_set(err, TZ_EDAMAGED,
					    "%s失败：台账的回滚日志已损坏或被篡改（日志中第 %u 页的副本）",
					    what, pgno);
		return tz_error_set(err, TZ_EDAMAGED,
				    "%s失败：台账文件已损坏或被篡改（第 %u 页校验不通过）",
				    what, pgno);
	}
	if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ||
	    rc == SQLITE_IOERR_DATA)
		return tz_error_set(err, TZ_EDAMAGED, "%s失败：台账文件已损坏或被篡改（%s）",
				    what, s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return tz_error_set(err, TZ_EFAIL,
				    "%s失败：台账正被另一个程序使用，请稍后再试", what);
	if (primary == SQLITE_FULL)
		return tz_error_set(err, TZ_EFAIL, "%s失败：磁盘已满", what);
	if (primary == SQLITE_READONLY)
		return tz_error_set(err, TZ_EFAIL, "%s失败：台账以只读方式打开，不能修改",
				    what);
	return tz_error_set(err, TZ_EFAIL, "%s失败：%s", what,
			    s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
}

/* A zeroed store with its key buffers; libsodium is initialised first, since
 * sodium_malloc needs it. */
static struct store *store_alloc(void)
{
	if (secret_init(NULL) != TZ_OK)
		return NULL;
	struct store *s = xcalloc(1, sizeof *s);
	s->fd = -1;
	s->master = secret_alloc(SECRET_KEY_NBYTES);
	s->page_key = secret_alloc(SECRET_KEY_NBYTES);
	return s;
}

static store_open_hook_fn open_hook;

void store_set_open_hook(store_open_hook_fn fn)
{
	open_hook = fn;
}

/* Close SQLite (rolling back an open transaction) and take the page key from
 * the shim; s->fd stays open. */
static void close_sqlite(struct store *s)
{
	if (s->db != NULL) {
		if (store_tx_active(s))
			store_tx_rollback(s);
		store_set_tx_hooks(s, NULL, NULL);
		sqlite3_close_v2(s->db);
		s->db = NULL;
	}
	if (s->attached)
		store_vfs_detach(s->fullpath);
	s->attached = 0;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	close_sqlite(s);
	if (s->fd >= 0)
		close(s->fd);
	if (s->aside)
		store_aside_discard(s->fullpath);
	secret_free(s->master);
	secret_free(s->page_key);
	if (s->held_no_dumps)
		secret_release_no_dumps();
	sodium_memzero(s, sizeof *s);
	free(s);
}

/* Pragmas every connection to a store runs; none of them may be changed later. */
static const char connection_pragmas[] =
	"PRAGMA temp_store=MEMORY;"
	"PRAGMA secure_delete=ON;"
	"PRAGMA mmap_size=0;"
	"PRAGMA journal_mode=DELETE;"
	"PRAGMA synchronous=FULL;"
	"PRAGMA foreign_keys=ON;"
	"PRAGMA trusted_schema=OFF;"
	"PRAGMA cell_size_check=ON;"
	"PRAGMA cache_size=-16384;";

static int latest_migration(void)
{
	return migrations_count > 0 ? migrations[migrations_count - 1].version : 0;
}

/* Tests only (store_test_stop_migrations_at): the migration stores stop at,
 * as a program of that version made them; 0: the latest. */
static int migrations_stop_at;

void store_test_stop_migrations_at(int version)
{
	migrations_stop_at = version;
}

/* The version migrate brings a store to. */
static int target_migration(void)
{
	int latest = latest_migration();
	return migrations_stop_at > 0 && migrations_stop_at < latest ? migrations_stop_at : latest;
}

static int read_user_version(struct store *s, int *out, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取台账版本", err);
	return TZ_OK;
}

int store_schema_version(struct store *s, uint32_t *out, struct tz_error *err)
{
	int v = 0;
	int rc = read_user_version(s, &v, err);
	*out = (uint32_t)v;
	return rc;
}

/* A new store, empty: the pages of the migrations' result copied in from the
 * schema image (migrate.h, schema_image.c) by SQLite's backup, in one
 * transaction of its own. Returns SQLITE_OK, or SQLITE_NOTFOUND when the store
 * is not empty (the migrations then run, and fail on what is there), or the
 * error. */
static int copy_schema_image(struct store *s)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	int entries = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	rc = sqlite3_finalize(st);
	if (rc != SQLITE_OK || entries != 0)
		return rc != SQLITE_OK ? rc : SQLITE_NOTFOUND;
	sqlite3 *image = schema_image_open();
	if (image == NULL)
		return SQLITE_NOMEM;
	sqlite3_backup *copy = sqlite3_backup_init(s->db, "main", image, "main");
	if (copy == NULL) {
		rc = sqlite3_errcode(s->db);
	} else {
		rc = sqlite3_backup_step(copy, -1);
		int finished = sqlite3_backup_finish(copy);
		rc = rc == SQLITE_DONE ? finished : rc;
	}
	sqlite3_close(image);
	return rc;
}

/* Apply every migration newer than user_version, all in one transaction; a
 * new store is copied from the schema image instead. */
static int migrate(struct store *s, struct tz_error *err)
{
	int version = 0;
	int rc = read_user_version(s, &version, err);
	if (rc != TZ_OK)
		return rc;
	if (version > latest_migration())
		return tz_error_set(err, TZ_EFAIL,
				    "这个台账文件由更新版本的 taizhang 建立（数据版本 %d，本程序只认识到 %d），请升级程序",
				    version, latest_migration());
	int target = target_migration();
	if (version >= target)
		return TZ_OK;
	if (s->flags & STORE_OPEN_READONLY)
		return tz_error_set(err, TZ_EFAIL,
				    "台账需要升级数据结构，请先以可写方式打开一次（例如运行 taizhang verify 以外的任一命令）");
	if (version == 0 && schema_snapshot_version == target) {
		int src = copy_schema_image(s);
		if (src != SQLITE_OK && src != SQLITE_NOTFOUND)
			return store_sqlite_error(s, src, "建立数据结构", err);
		if (src == SQLITE_OK && (rc = read_user_version(s, &version, err)) != TZ_OK)
			return rc;
		if (version == target)
			return TZ_OK;
	}
	rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	for (int i = 0; i < migrations_count; i++) {
		if (migrations[i].version <= version || migrations[i].version > target)
			continue;
		int src = sqlite3_exec(s->db, migrations[i].sql, NULL, NULL, NULL);
		if (src != SQLITE_OK) {
			store_sqlite_error(s, src, "升级数据结构", err);
			tz_error_prefix(err, "迁移 %s", migrations[i].name);
			store_tx_rollback(s);
			return err ? err->code : TZ_EFAIL;
		}
	}
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", target);
	rc = store_exec(s, sql, err);
	if (rc != TZ_OK) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

/* The SQL functions tz_yuan(分) and tz_yuan_short(分): an amount as 元 text,
 * money_format's (money.h) "-0.50" and "3700"/"3070.87"; NULL stays NULL. So
 * queries that build text show money exactly as the screens and reports do. */
static void sql_yuan(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const unsigned *flags = sqlite3_user_data(ctx);
	char buf[MONEY_TEXT_NBYTES];
	sqlite3_result_text(ctx, money_format(sqlite3_value_int64(argv[0]), *flags, buf), -1,
			    SQLITE_TRANSIENT);
}

static int add_sql_functions(sqlite3 *db)
{
	static const unsigned plain = 0, short_form = MONEY_SHORT;
	int how = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc = sqlite3_create_function(db, "tz_yuan", 1, how, (void *)&plain, sql_yuan, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "tz_yuan_short", 1, how, (void *)&short_form, sql_yuan,
					     NULL, NULL);
	return rc;
}

/* Open SQLite on the (attached) store file and prepare the connection. */
static int open_sqlite(struct store *s, int creating, struct tz_error *err)
{
	int oflags = (s->flags & STORE_OPEN_READONLY) ? SQLITE_OPEN_READONLY
						       : SQLITE_OPEN_READWRITE;
	int rc = sqlite3_open_v2(s->fullpath, &s->db, oflags | SQLITE_OPEN_NOMUTEX,
				 STORE_VFS_NAME);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "打开台账数据库", err);
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	store_harden(s->db);
	rc = add_sql_functions(s->db);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "准备台账数据库", err);
	if (creating) {
		int reserve = STORE_RESERVE_NBYTES;
		rc = store_exec(s, "PRAGMA page_size=4096", err);
		if (rc != TZ_OK)
			return rc;
		if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_RESERVE_BYTES,
					 &reserve) != SQLITE_OK)
			return tz_error_set(err, TZ_EFAIL, "无法为加密保留页空间");
	}
	rc = store_exec(s, connection_pragmas, err);
	/* The schema is authenticated with every page (nobody without the key
	 * can add a trigger to it), so trusted_schema=OFF is a second line; an
	 * SQLite whose FTS5 it would forbid the search index's triggers gets ON. */
	if (rc == TZ_OK && !store_library_fts5_innocuous())
		rc = store_exec(s, "PRAGMA trusted_schema=ON", err);
	if (rc != TZ_OK)
		return rc;
	/* Touch the schema now, so damage to page 1 shows at open. */
	rc = sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取台账", err);
	int reserve = -1;
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
	if (reserve != STORE_RESERVE_NBYTES)
		return tz_error_set(err, TZ_EDAMAGED,
				    "台账文件的页格式不对（保留字节 %d，应为 %d），文件已损坏或不是本程序建立的",
				    reserve, STORE_RESERVE_NBYTES);
	return TZ_OK;
}

/* Attach the page key and cipher to the shim for s->fullpath. */
static int attach_key(struct store *s, struct tz_error *err)
{
	keyring_page_key(s->master, s->page_key);
	const struct page_sealer ps = { (enum page_cipher)s->kr.cipher, s->page_key, s->kr.uuid,
					s->kr.epoch };
	int rc = store_vfs_attach(s->fullpath, &ps, err);
	if (rc == TZ_OK)
		s->attached = 1;
	return rc;
}

static int prepare(struct store *s, const char *path, struct tz_error *err)
{
	int rc = store_vfs_register(err);
	if (rc == TZ_OK)
		rc = store_vfs_fullpath(path, s->fullpath, sizeof s->fullpath, err);
	if (rc == TZ_OK) {
		secret_hold_no_dumps();
		s->held_no_dumps = 1;
	}
	return rc;
}

/* How an open gets the master key: a user's passphrase slot, or (town_sk not
 * NULL) the recovery slot unsealed with the town office's X25519 key pair. */
struct unlock {
	const char *user;
	const char *pass;
	size_t pass_nbytes;
	const unsigned char *town_pk;
	const unsigned char *town_sk;
};

/* Unwrap s->master from s->kr as u says, and name s->user. */
static int unlock_master(struct store *s, const struct unlock *u, struct tz_error *err)
{
	if (u->town_sk != NULL) {
		s->slot = keyring_find_recovery(&s->kr);
		snprintf(s->user, sizeof s->user, "%s", STORE_RECOVERY_ACTOR);
		return keyring_unseal_recovery(&s->kr, u->town_pk, u->town_sk, s->master, err);
	}
	s->slot = keyring_find_user(&s->kr, u->user);
	if (s->slot < 0)
		return tz_error_set(err, TZ_EAUTH, "台账中没有名为“%s”的用户",
				    u->user ? u->user : "");
	memcpy(s->user, s->kr.slots[s->slot].name, sizeof s->user);
	return keyring_unlock(&s->kr, s->slot, u->pass, u->pass_nbytes, s->master, err);
}

/* The end of opening or creating a store: on success (rc TZ_OK) s is given
 * to *out, after a failure it is closed. Returns rc. */
static int hand_over(struct store *s, int rc, struct store **out)
{
	if (rc != TZ_OK) {
		store_close(s);
		return rc;
	}
	*out = s;
	return TZ_OK;
}

static int open_with(const char *path, const struct unlock *u, unsigned flags,
		     struct store **out, struct tz_error *err)
{
	*out = NULL;
	struct store *s = store_alloc();
	if (s == NULL)
		return tz_error_set(err, TZ_EFAIL, "无法初始化加密库 libsodium");
	s->flags = flags;
	int rc = prepare(s, path, err);
	if (rc != TZ_OK)
		goto done;
	s->fd = open(s->fullpath, ((flags & STORE_OPEN_READONLY) ? O_RDONLY : O_RDWR) |
					  O_CLOEXEC);
	if (s->fd < 0) {
		rc = tz_error_set(err, TZ_EFAIL,
				  errno == ENOENT ? "找不到台账文件 %s" : "无法打开台账文件 %s：%s",
				  path, os_error_text(errno));
		goto done;
	}
	struct stat st;
	if (fstat(s->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = tz_error_set(err, TZ_EFAIL, "%s 不是普通文件", path);
		goto done;
	}
	struct keyring_health health;
	rc = keyring_read(s->fd, &s->kr, &health, err);
	if (rc == TZ_OK) /* an AES-256-GCM store on a processor without AES-NI */
		rc = page_cipher_usable((enum page_cipher)s->kr.cipher, err);
	if (rc != TZ_OK)
		goto done;
	if ((st.st_size - KEYRING_REGION_NBYTES) % STORE_PAGE_NBYTES != 0 &&
	    !(flags & STORE_OPEN_NO_SQL)) {
		rc = tz_error_set(err, TZ_EDAMAGED,
				  "台账文件长度不对（末尾缺了半页或多出数据），文件已损坏");
		goto done;
	}
	rc = unlock_master(s, u, err);
	if (rc != TZ_OK)
		goto done;
	rc = keyring_check_mac(&s->kr, s->master, err);
	if (rc != TZ_OK)
		goto done;
	s->health = health;
	if (!(flags & (STORE_OPEN_READONLY | STORE_OPEN_NO_SQL)) &&
	    (health.copy_damaged[0] || health.copy_damaged[1] || health.copies_differ)) {
		if (flock(s->fd, LOCK_EX) == 0) {
			rc = keyring_write(s->fd, &s->kr, s->master, err);
			flock(s->fd, LOCK_UN);
			if (rc != TZ_OK)
				goto done;
		}
		if (health.copy_damaged[0] || health.copy_damaged[1])
			snprintf(s->notice, sizeof s->notice,
				 "提示：台账文件头的副本 %s 已损坏，已用另一副本修复。",
				 health.copy_damaged[0] ? "A" : "B");
	}
	rc = attach_key(s, err);
	if (rc != TZ_OK || (flags & STORE_OPEN_NO_SQL))
		goto done;
	rc = open_sqlite(s, 0, err);
	if (rc == TZ_OK)
		rc = migrate(s, err);
	if (rc == TZ_OK)
		rc = store_generation_check(s, err);
	if (rc == TZ_OK && open_hook != NULL && !(flags & STORE_OPEN_READONLY))
		rc = open_hook(s, err);
done:
	return hand_over(s, rc, out);
}

int store_open(const char *path, const char *user, const char *pass,
	       size_t pass_nbytes, unsigned flags, struct store **out,
	       struct tz_error *err)
{
	const struct unlock u = { user, pass, pass_nbytes, NULL, NULL };
	return open_with(path, &u, flags, out, err);
}

int store_open_recovery(const char *path, const unsigned char town_pk[KEYRING_TOWN_PK_NBYTES],
			const unsigned char *town_sk, unsigned flags, struct store **out,
			struct tz_error *err)
{
	const struct unlock u = { NULL, NULL, 0, town_pk, town_sk };
	return open_with(path, &u, flags, out, err);
}

int store_open_reader(struct store *s, struct store **out, struct tz_error *err)
{
	*out = NULL;
	if (s->db == NULL || !s->attached)
		return tz_error_set(err, TZ_EUSAGE, "内部错误：台账没有打开数据库，不能再开读连接");
	struct store *r = store_alloc();
	if (r == NULL)
		return tz_error_set(err, TZ_EFAIL, "无法初始化加密库");
	memcpy(r->fullpath, s->fullpath, sizeof r->fullpath);
	r->flags = s->flags | STORE_OPEN_READONLY;
	r->kr = s->kr;
	r->health = s->health;
	r->slot = s->slot;
	memcpy(r->user, s->user, sizeof r->user);
	memcpy(r->page_key, s->page_key, SECRET_KEY_NBYTES);
	secret_hold_no_dumps();
	r->held_no_dumps = 1;
	const struct page_sealer ps = { (enum page_cipher)r->kr.cipher, r->page_key, r->kr.uuid,
					r->kr.epoch };
	int rc = store_vfs_attach(r->fullpath, &ps, err);
	if (rc == TZ_OK) {
		r->attached = 1;
		rc = open_sqlite(r, 0, err);
	}
	return hand_over(r, rc, out);
}

int store_read_begin(struct store *s)
{
	sqlite3 *db = store_db(s);
	if (db == NULL || sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return 0;
	}
	return 1;
}

void store_read_end(struct store *s)
{
	sqlite3_exec(store_db(s), "COMMIT", NULL, NULL, NULL);
}

struct store *store_open_reading(struct store *s, int cache_kib)
{
	struct store *r = NULL;
	struct tz_error ignored = { 0 };
	if (store_open_reader(s, &r, &ignored) != TZ_OK)
		return NULL;
	store_cache_raise(r, cache_kib);
	if (!store_read_begin(r)) {
		store_close(r);
		return NULL;
	}
	return r;
}

int store_peek(const char *path, struct keyring *out, struct tz_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tz_error_set(err, TZ_EFAIL,
				    errno == ENOENT ? "找不到台账文件 %s" : "无法打开台账文件 %s：%s",
				    path, os_error_text(errno));
	int rc = keyring_read(fd, out, NULL, err);
	close(fd);
	return rc;
}

static int write_meta(struct store *s, const struct store_identity *id,
		      struct tz_error *err)
{
	char created[DATE_STAMP_NCHARS + 1];
	date_now_stamp(created);
	const char *pairs[][2] = {
		{ "kind", id->kind == STORE_KIND_TOWN ? "town" : "village" },
		{ "code", id->code },
		{ "name", id->name },
		{ "created_at", created },
	};
	int rc = TZ_OK;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0] && rc == TZ_OK; i++)
		rc = store_exec_params(s, "INSERT INTO store_meta(key, value) VALUES (?1, ?2)", pairs[i],
				       2, "写入台账信息", err);
	return rc;
}

int store_create_aside(const char *path, const struct store_identity *id,
		       const char *user, const char *pass, size_t pass_nbytes,
		       enum kdf_cost cost, struct store **out, struct tz_error *err)
{
	*out = NULL;
	if (id->name == NULL || id->name[0] == '\0')
		return tz_error_set(err, TZ_EUSAGE, "必须给出村（镇）名称");
	if (!keyring_name_valid(user))
		return tz_error_set(err, TZ_EUSAGE,
				    "用户名“%s”不可用：须为 1 到 %d 字节，不含空格和控制字符",
				    user, KEYRING_NAME_MAX_NBYTES);
	struct store *s = store_alloc();
	if (s == NULL)
		return tz_error_set(err, TZ_EFAIL, "无法初始化加密库 libsodium");
	int rc = prepare(s, path, err);
	if (rc != TZ_OK)
		goto done;
	rc = keyring_init(&s->kr, id->kind, id->code, err);
	enum page_cipher cipher = PAGE_CIPHER_XCHACHA20POLY1305;
	if (rc == TZ_OK)
		rc = page_cipher_for_new_store(&cipher, err);
	if (rc != TZ_OK)
		goto done;
	s->kr.cipher = (uint8_t)cipher;
	memcpy(s->target, s->fullpath, sizeof s->target);
	rc = store_aside_open(s->target, s->fullpath, sizeof s->fullpath, &s->fd, err);
	if (rc != TZ_OK)
		goto done;
	s->aside = 1;
	randombytes_buf(s->master, SECRET_KEY_NBYTES);
	s->slot = 0;
	rc = keyring_set_passphrase(&s->kr, 0, user, pass, pass_nbytes, cost, s->master, err);
	if (rc == TZ_OK)
		rc = keyring_write(s->fd, &s->kr, s->master, err);
	if (rc != TZ_OK)
		goto done;
	memcpy(s->user, user, strlen(user) + 1);
	rc = attach_key(s, err);
	if (rc == TZ_OK)
		rc = open_sqlite(s, 1, err);
	if (rc == TZ_OK)
		rc = migrate(s, err);
	if (rc == TZ_OK && (rc = store_tx_begin(s, err)) == TZ_OK) {
		rc = write_meta(s, id, err);
		if (rc == TZ_OK)
			rc = store_generation_record(s, err);
		if (rc == TZ_OK)
			rc = store_audit(s, "store.create", id->code, id->name, err);
		if (rc == TZ_OK)
			rc = store_tx_commit(s, err);
		else
			store_tx_rollback(s);
	}
	if (rc == TZ_OK && open_hook != NULL)
		rc = open_hook(s, err);
done:
	return hand_over(s, rc, out);
}

int store_publish(struct store *s, struct tz_error *err)
{
	if (!s->aside)
		return TZ_OK;
	if (s->in_tx)
		return tz_error_set(err, TZ_EFAIL, "内部错误：事务未结束，不能保存新台账");
	close_sqlite(s);
	int rc = store_aside_publish(s->fd, s->fullpath, s->target, err);
	if (rc != TZ_OK)
		return rc;
	s->aside = 0;
	memcpy(s->fullpath, s->target, sizeof s->fullpath);
	rc = attach_key(s, err);
	if (rc == TZ_OK)
		rc = open_sqlite(s, 0, err);
	if (rc == TZ_OK && open_hook != NULL)
		rc = open_hook(s, err);
	return rc;
}

int store_create(const char *path, const struct store_identity *id,
		 const char *user, const char *pass, size_t pass_nbytes,
		 enum kdf_cost cost, struct store **out, struct tz_error *err)
{
	int rc = store_create_aside(path, id, user, pass, pass_nbytes, cost, out, err);
	if (rc == TZ_OK && (rc = store_publish(*out, err)) != TZ_OK) {
		store_close(*out);
		*out = NULL;
	}
	return rc;
}
