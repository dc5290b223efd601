/*
 * fixture.c — the unit tests' store in a temporary directory (see fixture.h).
 */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "tree.h"
#include "taizhang/file.h"
#include "taizhang/model.h"
#include "taizhang/report.h"
#include "taizhang/roster.h"
#include "taizhang/secret.h"

const struct store_identity fixture_village_id = { STORE_KIND_VILLAGE, FIXTURE_VILLAGE, "示范村" };
const struct store_identity fixture_town_id = { STORE_KIND_TOWN, FIXTURE_TOWN, "城关镇" };

int fixture_init(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	struct tz_error err;
	if (secret_init(&err) != TZ_OK) {
		fprintf(stderr, "fixture: %s\n", err.msg);
		return -1;
	}
	snprintf(fx->dir, sizeof fx->dir, "/tmp/tz-test-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		perror("fixture: mkdtemp");
		return -1;
	}
	fixture_file(fx, "s.tzs", fx->path);
	return 0;
}

int fixture_init_store(struct fixture *fx, const struct store_identity *id, const char *user)
{
	if (fixture_init(fx) != 0)
		return -1;
	struct tz_error err = { 0 };
	if (store_create(fx->path, id, user != NULL ? user : FIXTURE_USER, FIXTURE_PASS,
			 strlen(FIXTURE_PASS), KDF_COST_MIN, &fx->s, &err) != TZ_OK) {
		fprintf(stderr, "fixture: store_create %s: %s\n", fx->path, err.msg);
		fx->s = NULL;
		fixture_fini(fx);
		return -1;
	}
	return 0;
}

void fixture_remove_tree(const char *dir)
{
	tree_remove(dir);
}

void fixture_fini(struct fixture *fx)
{
	if (fx->s != NULL)
		store_close(fx->s);
	fx->s = NULL;
	if (fx->dir[0] != '\0')
		fixture_remove_tree(fx->dir);
	fx->dir[0] = '\0';
}

char *fixture_file(const struct fixture *fx, const char *name, char out[FIXTURE_PATH_NBYTES])
{
	snprintf(out, FIXTURE_PATH_NBYTES, "%s/%s", fx->dir, name);
	return out;
}

struct store *fixture_create(const char *path, const struct store_identity *id)
{
	struct store *s = NULL;
	struct tz_error err = { 0 };
	if (store_create(path, id, FIXTURE_USER, FIXTURE_PASS, strlen(FIXTURE_PASS), KDF_COST_MIN,
			 &s, &err) != TZ_OK)
		fail_msg("store_create %s: %s", path, err.msg);
	return s;
}

struct store *fixture_create_in(const struct fixture *fx, const char *name,
				const struct store_identity *id)
{
	char path[FIXTURE_PATH_NBYTES];
	return fixture_create(fixture_file(fx, name, path), id);
}

struct store *fixture_open(const char *path, const char *user, const char *pass)
{
	struct store *s = NULL;
	struct tz_error err = { 0 };
	if (pass == NULL)
		pass = FIXTURE_PASS;
	if (store_open(path, user, pass, strlen(pass), 0, &s, &err) != TZ_OK)
		fail_msg("store_open %s as %s: %s", path, user != NULL ? user : "(first)", err.msg);
	return s;
}

void fixture_exec(struct store *s, const char *text)
{
	struct tz_error err = { 0 };
	if (store_exec(s, text, &err) != TZ_OK)
		fail_msg("SQL failed: %s\n%s", err.msg, text);
}

void fixture_sql(struct store *s, const char *text)
{
	struct tz_error err = { 0 };
	assert_int_equal(store_tx_begin(s, &err), TZ_OK);
	if (store_exec(s, text, &err) != TZ_OK)
		fail_msg("SQL failed: %s\n%s", err.msg, text);
	assert_int_equal(store_tx_commit(s, &err), TZ_OK);
}

void fixture_sqlf(struct store *s, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	char *text = malloc((size_t)n + 1);
	assert_non_null(text);
	vsnprintf(text, (size_t)n + 1, fmt, again);
	va_end(again);
	fixture_sql(s, text);
	free(text);
}

sqlite3_int64 fixture_int(struct store *s, const char *text)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), text, -1, &st, NULL) != SQLITE_OK)
		fail_msg("SQL failed: %s\n%s", sqlite3_errmsg(store_db(s)), text);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sqlite3_int64 v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

void fixture_assert_ints(struct store *s, const struct fixture_count *counts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_int64 got = fixture_int(s, counts[i].sql);
		if (got != counts[i].want)
			fail_msg("%lld, not %lld: %s", (long long)got, (long long)counts[i].want,
				 counts[i].sql);
	}
}

void *fixture_new(size_t nbytes, const struct store_identity *id)
{
	struct fixture *fx = calloc(1, nbytes < sizeof *fx ? sizeof *fx : nbytes);
	if (fx == NULL) {
		fprintf(stderr, "fixture: out of memory\n");
		return NULL;
	}
	int rc = id != NULL ? fixture_init_store(fx, id, NULL) : fixture_init(fx);
	if (rc != 0) {
		free(fx);
		return NULL;
	}
	return fx;
}

int fixture_insert(struct store *s, const char *table, const char *const *pairs,
		   char id[IDS_NCHARS + 1], struct tz_error *err)
{
	const struct table_def *def = model_table(table);
	if (def == NULL)
		fail_msg("no table %s", table);
	struct record r;
	record_init(&r, def);
	for (size_t i = 0; pairs[i] != NULL; i += 2)
		if (record_set(&r, pairs[i], pairs[i + 1], err) != TZ_OK)
			fail_msg("%s", err->msg);
	int rc = store_tx_begin(s, err);
	if (rc == TZ_OK) {
		rc = record_insert(s, &r, err);
		if (rc == TZ_OK)
			rc = store_tx_commit(s, err);
		else
			store_tx_rollback(s);
	}
	if (id != NULL)
		memcpy(id, r.id, IDS_NCHARS + 1);
	record_free(&r);
	return rc;
}

void fixture_add_group(struct store *s, char id[IDS_NCHARS + 1])
{
	struct tz_error err = { 0 };
	if (fixture_insert(s, "villager_groups", (const char *[]){ "name", "张庄组", NULL }, id, &err) != TZ_OK)
		fail_msg("villager group: %s", err.msg);
}

void *fixture_new_village(size_t nbytes, const char *today)
{
	setenv("TAIZHANG_TODAY", today, 1);
	return fixture_new(nbytes, &fixture_village_id);
}

/* The fixture the latest setup made (fixture_running), and the last number
 * fixture_serial gave since. */
static struct fixture *running;
static unsigned serial;

/* setup of a fixture with a store of identity id (NULL: the directory only). */
static int setup_with(void **state, const struct store_identity *id)
{
	serial = 0;
	*state = running = fixture_new(sizeof(struct fixture), id);
	return *state != NULL ? 0 : -1;
}

unsigned fixture_serial(void)
{
	return ++serial;
}

struct fixture *fixture_running(void)
{
	return running;
}

int fixture_setup_village(void **state)
{
	return setup_with(state, &fixture_village_id);
}

int fixture_setup_town(void **state)
{
	return setup_with(state, &fixture_town_id);
}

int fixture_setup_dir(void **state)
{
	return setup_with(state, NULL);
}

void *fixture_new_stores(size_t nbytes)
{
	struct fixture_stores *f = fixture_new(nbytes < sizeof *f ? sizeof *f : nbytes, NULL);
	if (f == NULL)
		return NULL;
	fixture_file(&f->fx, "v.tzs", f->village);
	fixture_file(&f->fx, "w.tzs", f->village2);
	fixture_file(&f->fx, "t.tzs", f->town);
	fixture_file(&f->fx, "u.tzs", f->town2);
	return f;
}

int fixture_setup_stores(void **state)
{
	*state = fixture_new_stores(sizeof(struct fixture_stores));
	return *state != NULL ? 0 : -1;
}

int fixture_teardown(void **state)
{
	struct fixture *fx = *state;
	if (fx == running)
		running = NULL;
	if (fx != NULL) {
		fixture_fini(fx);
		free(fx);
	}
	*state = NULL;
	return 0;
}

struct store *fixture_store(void **state)
{
	return ((struct fixture *)*state)->s;
}

char *fixture_gb18030(const char *text, size_t *nbytes)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t in_left = strlen(text), cap = in_left * 2 + 16, out_left = cap;
	char *out = malloc(cap), *in = (char *)text, *o = out;
	assert_non_null(out);
	assert_int_not_equal(iconv(cd, &in, &in_left, &o, &out_left), (size_t)-1);
	iconv_close(cd);
	*nbytes = cap - out_left;
	return out;
}

char *fixture_report_text(const struct report *r)
{
	char *text = NULL;
	size_t nbytes = 0;
	FILE *out = open_memstream(&text, &nbytes);
	assert_non_null(out);
	struct tz_error err;
	if (report_write_text(r, out, &err) != TZ_OK)
		fail_msg("report_write_text: %s", err.msg);
	fclose(out);
	return text;
}

void fixture_write_file(const char *path, const void *data, size_t nbytes)
{
	FILE *fp = fopen(path, "wb");
	if (fp == NULL)
		fail_msg("cannot write %s", path);
	assert_int_equal(fwrite(data, 1, nbytes, fp), nbytes);
	assert_int_equal(fclose(fp), 0);
}

char *fixture_read_file(const char *path, size_t *nbytes)
{
	char *data;
	size_t n;
	struct tz_error err;
	if (file_read_all(path, (size_t)1 << 30, &data, &n, &err) != TZ_OK)
		fail_msg("cannot read %s: %s", path, err.msg);
	if (nbytes != NULL)
		*nbytes = n;
	return data;
}

int fixture_file_has(const char *path, const void *needle, size_t nbytes)
{
	char *data;
	size_t n;
	struct tz_error err;
	if (file_read_all(path, (size_t)1 << 30, &data, &n, &err) != TZ_OK)
		return 0;
	int found = memmem(data, n, needle, nbytes) != NULL;
	free(data);
	return found;
}

int fixture_file_has_text(const char *path, const char *text)
{
	return fixture_file_has(path, text, strlen(text));
}

void fixture_copy_file(const char *from, const char *to)
{
	size_t n;
	char *data = fixture_read_file(from, &n);
	fixture_write_file(to, data, n);
	free(data);
}

int fixture_has_problem(const struct roster_report *rep, size_t line, const char *fragment)
{
	char prefix[32];
	snprintf(prefix, sizeof prefix, "第 %zu 行：", line);
	for (size_t i = 0; i < rep->nproblems; i++)
		if (strncmp(rep->problems[i], prefix, strlen(prefix)) == 0 &&
		    strstr(rep->problems[i], fragment) != NULL)
			return 1;
	return 0;
}
