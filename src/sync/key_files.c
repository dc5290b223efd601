/*
 * key_files.c — public key files on disk and on USB sticks: reading one,
 * writing this device's, and finding the ones a folder holds (include/
 * taizhang/sync_keys.h). The commands (`trust`, `enroll`, `keys export`,
 * `init --town-key`) and the keys screen (src/tui/scr_keys.c) share these, so
 * a file is judged the same wherever it is given.
 *
 * The format itself (230 bytes, self-signed) is keys.c's; here only the file
 * around it: a size limit before anything is read, the writer's read-back
 * (a bad stick shows at the office that wrote it, not at the other one), and
 * the search, which looks at the first bytes of each small regular file rather
 * than trusting names: officers rename files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "taizhang/bundle.h"
#include "taizhang/os_error.h"
#include "taizhang/sync_keys.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#define KEY_FILE_PREFIX "taizhang-key "

int sync_pubkey_read(const char *path, struct sync_public_key *out, struct tz_error *err)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > SYNC_PUBKEY_FILE_MAX_NBYTES)
		return tz_error_set(err, TZ_EDAMAGED,
				    "%s 不是 taizhang 公钥文件（公钥文件只有 %d 字节，这个文件有 %lld 字节）",
				    path, SYNC_PUBKEY_FILE_NBYTES, (long long)st.st_size);
	unsigned char *data;
	size_t nbytes;
	int rc = bundle_file_read(path, SYNC_PUBKEY_FILE_MAX_NBYTES, &data, &nbytes, err);
	if (rc == TZ_OK) {
		rc = sync_pubkey_parse(data, nbytes, out, err);
		free(data);
	}
	if (rc != TZ_OK)
		tz_error_prefix(err, "%s", path);
	return rc;
}

int sync_pubkey_export(struct store *s, const char *path, struct sync_public_key *pub,
		       struct tz_error *err)
{
	struct sync_keys *k;
	int rc = sync_keys_load(s, &k, err);
	if (rc != TZ_OK)
		return rc;
	char file[SYNC_PUBKEY_FILE_NBYTES + 1];
	sync_pubkey_file(k, file);
	if (pub != NULL)
		*pub = k->pub;
	sync_keys_free(k);
	rc = bundle_file_write(path, (const unsigned char *)file, SYNC_PUBKEY_FILE_NBYTES, 0, err);
	if (rc != TZ_OK)
		return rc;
	/* Read it back as the other office will, so a bad stick shows here. */
	struct sync_public_key check;
	rc = sync_pubkey_read(path, &check, err);
	if (rc != TZ_OK)
		tz_error_prefix(err, "导出后读回失败");
	return rc;
}

void sync_pubkey_file_name(const struct sync_public_key *k, char *out, size_t out_nbytes)
{
	char id[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(k->device_id, id);
	snprintf(out, out_nbytes, "%s-%s公钥-%s.key", k->division_code,
		 k->kind == STORE_KIND_TOWN ? "镇" : "村", id);
}

/* Whether path is a small regular file that begins as a public key file does. */
static int looks_like_key_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > SYNC_PUBKEY_FILE_MAX_NBYTES ||
	    st.st_size < (off_t)strlen(KEY_FILE_PREFIX))
		return 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	char head[sizeof KEY_FILE_PREFIX];
	size_t got = fread(head, 1, strlen(KEY_FILE_PREFIX), f);
	fclose(f);
	return got == strlen(KEY_FILE_PREFIX) && memcmp(head, KEY_FILE_PREFIX, got) == 0;
}

struct found {
	char **paths;
	size_t n, cap;
};

static void search(const char *dir, int depth, struct found *fd)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t nbytes = strlen(dir) + strlen(e->d_name) + 2;
		char *path = xmalloc(nbytes);
		snprintf(path, nbytes, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth > 0)
				search(path, depth - 1, fd);
			free(path);
		} else if (looks_like_key_file(path)) {
			*VEC_PUSH(fd->paths, fd->n, fd->cap) = path;
		} else {
			free(path);
		}
	}
	closedir(d);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sync_key_files_find(const char *dir, int depth, char ***paths, size_t *n,
			struct tz_error *err)
{
	*paths = NULL;
	*n = 0;
	struct stat st;
	if (dir[0] == '\0' || stat(dir, &st) != 0)
		return tz_error_set(err, TZ_EFAIL, "无法打开文件夹“%s”：%s", dir,
				    os_error_text(dir[0] ? errno : ENOENT));
	if (!S_ISDIR(st.st_mode))
		return tz_error_set(err, TZ_EFAIL, "“%s”不是文件夹", dir);
	struct found fd = { 0 };
	search(dir, depth, &fd);
	if (fd.n > 1)
		qsort(fd.paths, fd.n, sizeof fd.paths[0], by_path);
	*paths = fd.paths;
	*n = fd.n;
	return TZ_OK;
}

void sync_key_files_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
