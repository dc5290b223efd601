/*
 * test_custody.c — who holds the store, as a specification: an old keyring
 * spliced back after a user is removed or a passphrase changed does not open the
 * store (and a keyring write cut short never locks the store out); `verify`
 * walks the audit chain and names the first broken row; a new store appears at
 * its name only when complete; `query`'s guard refuses key material, writes and
 * pointer-revealing functions, and every connection has them off. Real files.
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/store.h"

#include "fixture.h"
#include "unit.h"

#define PASS FIXTURE_PASS
#define BOB_PASS "bob passphrase"

/* How many names dir holds, dotfiles included. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

static const struct store_identity village = { STORE_KIND_VILLAGE, "341522104201", "示范村" };

/* store_create or store_create_aside (a store built aside, published later). */
typedef int create_fn(const char *path, const struct store_identity *id, const char *user, const char *pass,
		      size_t pass_nbytes, enum kdf_cost cost, struct store **out, struct tz_error *err);

/* The village store for path, user "admin", made by create. */
static struct store *made_by(create_fn *create, const char *path)
{
	struct store *s = NULL;
	struct tz_error err;
	if (create(path, &village, "admin", PASS, strlen(PASS), KDF_COST_MIN, &s, &err) != TZ_OK)
		fail_msg("creating %s: %s", path, err.msg);
	return s;
}

static struct store *create_store(const char *path)
{
	return made_by(store_create, path);
}

/* A store created at path (create_store) and closed after sql was run in it. */
static void created_with(const char *path, const char *sql)
{
	struct store *s = create_store(path);
	fixture_exec(s, sql);
	store_close(s);
}

static int try_open(const char *path, const char *user, const char *pass, unsigned flags,
		    struct store **s, struct tz_error *err)
{
	*s = NULL;
	return store_open(path, user, pass, strlen(pass), flags, s, err);
}

static void read_header(const char *path, unsigned char *buf)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, KEYRING_REGION_NBYTES, 0), KEYRING_REGION_NBYTES);
	close(fd);
}

static void write_at(const char *path, const unsigned char *buf, size_t nbytes, off_t at)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, buf, nbytes, at), (ssize_t)nbytes);
	close(fd);
}

#define RECORDED "SELECT value FROM store_meta WHERE key = 'keyring_generation'"

/* ---- 1. an old keyring spliced back ---- */

/* The store with admin and bob; header holds the keyring from then. */
static void store_with_bob(const char *path, unsigned char *header)
{
	struct tz_error err;
	struct store *s = create_store(path);
	assert_int_equal(store_user_add(s, "bob", BOB_PASS, strlen(BOB_PASS), KDF_COST_MIN, &err), TZ_OK);
	store_close(s);
	read_header(path, header);
}

static void assert_refused_as_stale(const char *path, const char *user, const char *pass)
{
	struct store *s;
	struct tz_error err;
	assert_int_equal(try_open(path, user, pass, 0, &s, &err), TZ_EDAMAGED);
	assert_null(s);
	assert_non_null(strstr(err.msg, "比数据库旧"));
	assert_int_equal(try_open(path, user, pass, STORE_OPEN_READONLY, &s, &err), TZ_EDAMAGED);
}

/* A store at path with bob (store_with_bob), changed by change (opened as
 * user with pass) so that bob's passphrase no longer opens it; then the
 * keyring from before the change written back over the new one. */
static void splice_back_after(const char *path, const char *user, const char *pass,
			      int (*change)(struct store *s, struct tz_error *err))
{
	unsigned char old[KEYRING_REGION_NBYTES];
	store_with_bob(path, old);
	struct store *s;
	struct tz_error err;
	assert_int_equal(try_open(path, user, pass, 0, &s, &err), TZ_OK);
	assert_int_equal(change(s, &err), TZ_OK);
	store_close(s);
	assert_int_equal(try_open(path, "bob", BOB_PASS, 0, &s, &err), TZ_EAUTH);
	write_at(path, old, sizeof old, 0);
}

static int remove_bob(struct store *s, struct tz_error *err)
{
	return store_user_remove(s, "bob", err);
}

static int change_own_passphrase(struct store *s, struct tz_error *err)
{
	return store_user_passwd(s, NULL, "bob new one", 11, KDF_COST_MIN, err);
}

UNIT_TEST(an_old_keyring_spliced_back_after_user_remove_is_refused, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	splice_back_after(f->path, "admin", PASS, remove_bob);
	assert_refused_as_stale(f->path, "bob", BOB_PASS);
	assert_refused_as_stale(f->path, "admin", PASS);

	/* verify opens without SQL, and names the splice. */
	struct store *s;
	struct tz_error err;
	assert_int_equal(try_open(f->path, "admin", PASS, STORE_OPEN_NO_SQL, &s, &err), TZ_OK);
	struct store_verify_report r;
	assert_int_equal(store_verify(s, &r, &err), TZ_EDAMAGED);
	assert_true(r.keyring_stale);
	assert_true(r.keyring_generation < r.recorded_generation);
	store_close(s);
}

UNIT_TEST(an_old_keyring_spliced_back_after_passwd_is_refused, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	splice_back_after(f->path, "bob", BOB_PASS, change_own_passphrase);
	assert_refused_as_stale(f->path, "bob", BOB_PASS);
}

/* users.c's first step alone: bob added to the keyring, the database not told. */
static void keyring_only_add_bob(const char *path)
{
	struct tz_error err;
	struct keyring kr;
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(keyring_read(fd, &kr, NULL, &err), TZ_OK);
	unsigned char *master = secret_alloc(SECRET_KEY_NBYTES);
	assert_int_equal(keyring_unlock(&kr, keyring_find_user(&kr, "admin"), PASS, strlen(PASS),
					master, &err), TZ_OK);
	assert_int_equal(keyring_set_passphrase(&kr, keyring_free_slot(&kr), "bob", BOB_PASS,
						strlen(BOB_PASS), KDF_COST_MIN, master, &err), TZ_OK);
	assert_int_equal(keyring_write(fd, &kr, master, &err), TZ_OK);
	secret_free(master);
	close(fd);
}

/* What a crash leaves between the keyring write (first) and the database's
 * record of its generation (second), or inside the keyring write itself: a
 * store that opens, with the keyring it has. */
UNIT_TEST(a_crash_between_the_two_writes_leaves_a_store_that_opens, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct tz_error err;
	struct store *s = create_store(f->path);
	long long recorded = fixture_int(s, RECORDED);
	store_close(s);
	unsigned char old[KEYRING_REGION_NBYTES], new[KEYRING_REGION_NBYTES];
	unsigned char mixed[KEYRING_REGION_NBYTES];
	read_header(f->path, old);
	keyring_only_add_bob(f->path);
	read_header(f->path, new);

	/* Both copies new, database behind. */
	assert_int_equal(try_open(f->path, "bob", BOB_PASS, STORE_OPEN_READONLY, &s, &err), TZ_OK);
	assert_int_equal(fixture_int(s, RECORDED), recorded);
	store_close(s);
	/* Cut after copy B, before copy A: B new, A old. */
	memcpy(mixed, old, KEYRING_COPY_NBYTES);
	memcpy(mixed + KEYRING_COPY_NBYTES, new + KEYRING_COPY_NBYTES, KEYRING_COPY_NBYTES);
	write_at(f->path, mixed, sizeof mixed, 0);
	assert_int_equal(try_open(f->path, "bob", BOB_PASS, STORE_OPEN_READONLY, &s, &err), TZ_OK);
	store_close(s);
	/* Cut while copy B was written: B torn, A old. */
	mixed[KEYRING_COPY_NBYTES + 100] ^= 0x5a;
	write_at(f->path, mixed, sizeof mixed, 0);
	assert_int_equal(try_open(f->path, "admin", PASS, STORE_OPEN_READONLY, &s, &err), TZ_OK);
	assert_int_equal(store_keyring(s)->generation, (uint64_t)recorded);
	store_close(s);

	/* The next writable open with the new keyring catches the database up,
	 * and from then on the old keyring is refused. */
	write_at(f->path, new, sizeof new, 0);
	assert_int_equal(try_open(f->path, "bob", BOB_PASS, 0, &s, &err), TZ_OK);
	assert_int_equal(fixture_int(s, RECORDED), recorded + 1);
	store_close(s);
	write_at(f->path, old, sizeof old, 0);
	assert_refused_as_stale(f->path, "admin", PASS);
}

UNIT_TEST(a_store_from_before_the_rule_records_its_generation_at_first_open, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct tz_error err;
	struct store *s;
	created_with(f->path, "DELETE FROM store_meta WHERE key = 'keyring_generation'");
	assert_int_equal(try_open(f->path, "admin", PASS, STORE_OPEN_READONLY, &s, &err), TZ_OK);
	store_close(s);
	assert_int_equal(try_open(f->path, "admin", PASS, 0, &s, &err), TZ_OK);
	assert_int_equal(fixture_int(s, RECORDED), (long long)store_keyring(s)->generation);
	store_close(s);
}

/* ---- 2. the audit chain ---- */

static struct store *store_with_audit_rows(const char *path)
{
	struct tz_error err;
	struct store *s = create_store(path);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(store_tx_begin(s, &err), TZ_OK);
		assert_int_equal(store_audit(s, "test.row", "subject", i % 2 ? NULL : "detail", &err), TZ_OK);
		assert_int_equal(store_tx_commit(s, &err), TZ_OK);
	}
	return s;
}

static int verify(const char *path, struct store_verify_report *r)
{
	struct store *s;
	struct tz_error err;
	assert_int_equal(try_open(path, "admin", PASS, STORE_OPEN_NO_SQL, &s, &err), TZ_OK);
	int rc = store_verify(s, r, &err);
	store_close(s);
	return rc;
}

UNIT_TEST(an_intact_audit_chain_verifies, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct store *s = store_with_audit_rows(f->path);
	long long n = fixture_int(s, "SELECT count(*) FROM audit_log");
	store_close(s);
	struct store_verify_report r;
	assert_int_equal(verify(f->path, &r), TZ_OK);
	assert_false(r.audit.broken);
	assert_int_equal((long long)r.audit.nrows, n);
	assert_int_equal(n, 5);
}

UNIT_TEST(an_edited_audit_row_is_named_by_verify, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct store *s = store_with_audit_rows(f->path);
	fixture_exec(s, "DROP TRIGGER audit_log_no_update;"
		   "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3");
	store_close(s);
	struct store_verify_report r;
	assert_int_equal(verify(f->path, &r), TZ_EDAMAGED);
	assert_true(r.audit.broken);
	assert_int_equal(r.audit.bad_seq, 3);
	assert_int_equal((long long)r.audit.nrows, 2);
	assert_non_null(strstr(r.audit.why, "改动"));
}

UNIT_TEST(a_removed_audit_row_is_named_by_verify, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct store *s = store_with_audit_rows(f->path);
	fixture_exec(s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2");
	store_close(s);
	struct store_verify_report r;
	assert_int_equal(verify(f->path, &r), TZ_EDAMAGED);
	assert_int_equal(r.audit.bad_seq, 3);

	/* Renumbered to hide the gap: the hashes still give it away. */
	s = NULL;
	struct tz_error err;
	assert_int_equal(try_open(f->path, "admin", PASS, 0, &s, &err), TZ_OK);
	fixture_exec(s, "DROP TRIGGER audit_log_no_update;"
		   "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2");
	store_close(s);
	assert_int_equal(verify(f->path, &r), TZ_EDAMAGED);
	assert_int_equal(r.audit.bad_seq, 2);
}

/* ---- 3. a new store appears whole or not at all ---- */

UNIT_TEST(a_store_built_aside_appears_only_when_published, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct tz_error err;
	struct store *s = made_by(store_create_aside, f->path);
	assert_int_not_equal(access(f->path, F_OK), 0);
	assert_int_equal(count_entries(f->dir), 1); /* the hidden temporary file */
	fixture_exec(s, "CREATE TABLE t(x); INSERT INTO t VALUES (42)");
	assert_int_equal(store_publish(s, &err), TZ_OK);
	assert_int_equal(access(f->path, F_OK), 0);
	assert_int_equal(count_entries(f->dir), 1);
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Still open, now at its name: writes go on. */
	fixture_exec(s, "INSERT INTO t VALUES (43)");
	store_close(s);
	assert_int_equal(try_open(f->path, "admin", PASS, 0, &s, &err), TZ_OK);
	assert_int_equal(fixture_int(s, "SELECT sum(x) FROM t"), 85);
	store_close(s);
	assert_int_equal(count_entries(f->dir), 1);
}

UNIT_TEST(a_store_closed_before_publishing_leaves_nothing, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct tz_error err;
	struct store *s = made_by(store_create_aside, f->path);
	fixture_exec(s, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
	assert_int_equal(store_tx_begin(s, &err), TZ_OK);
	fixture_exec(s, "INSERT INTO t VALUES (2)");
	store_close(s); /* a failure halfway: the command just closes */
	assert_int_equal(count_entries(f->dir), 0);
}

UNIT_TEST(a_file_that_appears_meanwhile_is_never_overwritten, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct tz_error err;
	struct store *s = made_by(store_create_aside, f->path);
	FILE *fp = fopen(f->path, "w");
	fputs("precious", fp);
	fclose(fp);
	assert_int_equal(store_publish(s, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "已经存在"));
	store_close(s);
	char buf[16] = { 0 };
	fp = fopen(f->path, "r");
	assert_non_null(fgets(buf, sizeof buf, fp));
	fclose(fp);
	assert_string_equal(buf, "precious");
	assert_int_equal(count_entries(f->dir), 1);
	/* And a store is not even begun over an existing file. */
	assert_int_equal(store_create_aside(f->path, &village, "admin", PASS, strlen(PASS),
					    KDF_COST_MIN, &s, &err), TZ_EFAIL);
	assert_int_equal(count_entries(f->dir), 1);
}

/* In a child: build aside, fill a little, then die by sig, which ends the
 * process as it does an officer's program (a test runner started in the
 * background by a script may have been given SIGINT ignored). */
static void die_while_building(const char *path, int sig)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *s = NULL;
		struct tz_error err;
		signal(sig, SIG_DFL);
		if (store_create_aside(path, &village, "admin", PASS, strlen(PASS), KDF_COST_MIN, &s,
				       &err) != TZ_OK) {
			fprintf(stderr, "child: store_create_aside: %s\n", err.msg);
			_exit(1);
		}
		if (store_exec(s, "CREATE TABLE t(x); BEGIN; INSERT INTO t VALUES (1)", &err) != TZ_OK)
			fprintf(stderr, "child: store_exec: %s\n", err.msg);
		raise(sig);
		fprintf(stderr, "child: still alive after signal %d\n", sig);
		_exit(2);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status))
		fprintf(stderr, "child for signal %d exited with status %d\n", sig,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), sig);
}

UNIT_TEST(a_signal_while_building_leaves_nothing_and_a_kill_leaves_the_name_free_and_is_swept, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	die_while_building(f->path, SIGTERM);
	assert_int_equal(count_entries(f->dir), 0);
	die_while_building(f->path, SIGINT);
	assert_int_equal(count_entries(f->dir), 0);
	die_while_building(f->path, SIGKILL);
	die_while_building(f->path, SIGKILL);
	assert_int_not_equal(access(f->path, F_OK), 0);
	assert_true(count_entries(f->dir) >= 2); /* the hidden leftovers */
	/* A build in progress in another process is left alone ... */
	int ready[2], go[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) { /* ends when told, or when the parent is gone (EOF) */
		close(ready[0]);
		close(go[1]);
		struct store *other = NULL;
		struct tz_error e2;
		char c = 'r';
		if (store_create_aside(f->path, &village, "admin", PASS, strlen(PASS), KDF_COST_MIN,
				       &other, &e2) != TZ_OK || write(ready[1], &c, 1) != 1 ||
		    read(go[0], &c, 1) != 1)
			_exit(1);
		store_close(other);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	/* ... the next store under the name removes the dead ones. */
	struct store *s = create_store(f->path);
	store_close(s);
	assert_int_equal(count_entries(f->dir), 2); /* the store and the live build */
	assert_int_equal(write(go[1], "g", 1), 1);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(count_entries(f->dir), 1);
	close(ready[0]);
	close(go[1]);
	struct tz_error err;
	assert_int_equal(try_open(f->path, "admin", PASS, 0, &s, &err), TZ_OK);
	store_close(s);
}

/* A process started with SIGINT ignored (run in the background by a script)
 * is not ended by ^C: the store it builds is not removed under it either, and
 * publishes. */
UNIT_TEST(an_ignored_sigint_leaves_the_build_to_finish, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *s = NULL;
		struct tz_error err;
		signal(SIGINT, SIG_IGN);
		if (store_create_aside(f->path, &village, "admin", PASS, strlen(PASS), KDF_COST_MIN,
				       &s, &err) != TZ_OK ||
		    store_exec(s, "CREATE TABLE t(x); INSERT INTO t VALUES (7)", &err) != TZ_OK)
			_exit(1);
		raise(SIGINT);
		_exit(store_publish(s, &err) == TZ_OK ? 0 : 2);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(count_entries(f->dir), 1);
	struct store *s = NULL;
	struct tz_error err;
	assert_int_equal(try_open(f->path, "admin", PASS, 0, &s, &err), TZ_OK);
	assert_int_equal(fixture_int(s, "SELECT sum(x) FROM t"), 7);
	store_close(s);
}

/* ---- 4. the query guard, and every connection ---- */

static int guarded(struct store *s, const char *sql, struct tz_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = store_query_prepare(s, sql, &st, err);
	if (rc == TZ_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
	} else {
		assert_null(st);
	}
	return rc;
}

UNIT_TEST(query_refuses_private_keys_and_allows_the_rest, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct tz_error err;
	struct store *s;
	created_with(f->path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT, api_secret TEXT, x_sk BLOB)");
	assert_int_equal(try_open(f->path, "admin", PASS, 0, &s, &err), TZ_OK);
	assert_int_equal(guarded(s, "SELECT * FROM sync_device_keys", &err), TZ_EAUTH);
	assert_non_null(strstr(err.msg, "sync_device_keys.sign_seed"));
	assert_non_null(strstr(err.msg, "密钥"));
	assert_int_equal(guarded(s, "SELECT hex(box_sk) FROM sync_device_keys", &err), TZ_EAUTH);
	assert_int_equal(guarded(s, "SELECT x FROM (SELECT box_sk AS x FROM sync_device_keys)", &err),
			 TZ_EAUTH);
	assert_int_equal(guarded(s, "WITH k AS (SELECT * FROM SYNC_DEVICE_KEYS) SELECT 1 FROM k", &err),
			 TZ_EAUTH);
	/* Named as key material: refused without being listed. */
	assert_int_equal(guarded(s, "SELECT api_secret FROM notes", &err), TZ_EAUTH);
	assert_int_equal(guarded(s, "SELECT x_sk FROM notes", &err), TZ_EAUTH);
	/* The public parts and everything else read as before. */
	assert_int_equal(guarded(s, "SELECT device_id, sign_pk FROM sync_device_keys", &err), TZ_OK);
	assert_int_equal(guarded(s, "SELECT id, body FROM notes", &err), TZ_OK);
	assert_int_equal(guarded(s, "SELECT seq, action FROM audit_log", &err), TZ_OK);
	assert_int_equal(guarded(s, "PRAGMA table_info(households)", &err), TZ_OK);
	assert_int_equal(guarded(s, "SELECT name FROM pragma_table_info('households')", &err), TZ_OK);
	store_close(s);
}

UNIT_TEST(query_refuses_writes_attach_pragmas_and_dangerous_functions, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct tz_error err;
	struct store *s = create_store(f->path);
	assert_int_equal(guarded(s, "SELECT fts3_tokenizer('simple')", &err), TZ_EAUTH);
	assert_non_null(strstr(err.msg, "fts3_tokenizer"));
	assert_int_equal(guarded(s, "SELECT load_extension('/tmp/x.so')", &err), TZ_EAUTH);
	assert_int_equal(guarded(s, "PRAGMA writable_schema = ON", &err), TZ_EAUTH);
	assert_int_equal(guarded(s, "PRAGMA query_only = OFF", &err), TZ_EAUTH);
	assert_int_equal(guarded(s, "DELETE FROM store_meta", &err), TZ_EUSAGE);
	assert_int_equal(guarded(s, "ATTACH '/tmp/other.db' AS o", &err), TZ_EUSAGE);
	assert_int_equal(guarded(s, "CREATE TEMP VIEW v AS SELECT box_sk FROM sync_device_keys", &err),
			 TZ_EUSAGE);
	assert_int_equal(guarded(s, "SELECT 1; DELETE FROM store_meta", &err), TZ_EUSAGE);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM store_meta") > 0, 1);
	store_close(s);
}

UNIT_TEST(every_connection_has_fts3_tokenizer_and_extensions_off, fixture_setup_dir, fixture_teardown)
{
	struct fixture *f = *state;
	struct store *s = create_store(f->path);
	sqlite3 *db = store_db(s);
	sqlite3_stmt *st = NULL;
	/* The two-argument form takes a C pointer from SQL. */
	int rc = sqlite3_prepare_v2(db, "SELECT fts3_tokenizer('evil', zeroblob(8))", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	assert_int_not_equal(rc, SQLITE_ROW);
	assert_int_not_equal(rc, SQLITE_DONE);
	char *msg = NULL;
	assert_int_not_equal(sqlite3_exec(db, "SELECT load_extension('/nonexistent.so')", NULL, NULL, &msg),
			     SQLITE_OK);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "not authorized"));
	sqlite3_free(msg);
	int on = -1;
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
	assert_int_equal(on, 1);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &on);
	assert_int_equal(on, !store_library_fts5_innocuous()); /* OFF but on an old SQLite (store.h) */
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, -1, &on);
	assert_int_equal(on, 0);
	store_close(s);
}

int main(void)
{
	return unit_run("custody", NULL, NULL);
}
