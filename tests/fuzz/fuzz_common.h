/*
 * fuzz_common.h — what the fuzz targets of tests/fuzz/ share: writing seeds
 * when started with TZ_FUZZ_SEEDS=DIR, a private temporary folder removed at
 * exit, and real store files made there by the library (cheapest KDF cost).
 *
 * Each target is one .c file linked with libFuzzer; this header holds static
 * functions only, so that every target stays a single translation unit. A
 * target calls fuzz_seeds_maybe(write_seeds) from LLVMFuzzerInitialize: with
 * TZ_FUZZ_SEEDS set, the process writes the seed corpus and exits instead of
 * fuzzing (tests/fuzz/run.sh does this before each run).
 */
#ifndef TAIZHANG_FUZZ_COMMON_H
#define TAIZHANG_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/store.h"

#include "../unit/tree.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_PASS "fuzz pass"

/* Write size bytes of data as the seed DIR/name; exits on failure. */
static inline void fuzz_seed_write(const char *dir, const char *name, const void *data, size_t size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (fp == NULL || fwrite(data, 1, size, fp) != size || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

/* The seed DIR/name of a target whose first input byte chooses what the rest
 * is: mode, then the size bytes of data; exits on failure. */
static inline void fuzz_seed_write_mode(const char *dir, const char *name, unsigned char mode,
					const void *data, size_t size)
{
	unsigned char *buf = malloc(size + 1);
	if (buf == NULL) {
		perror(name);
		exit(1);
	}
	buf[0] = mode;
	memcpy(buf + 1, data, size);
	fuzz_seed_write(dir, name, buf, size + 1);
	free(buf);
}

/* With TZ_FUZZ_SEEDS=DIR in the environment: write(DIR) and exit with its
 * status. Otherwise return (the process goes on fuzzing). */
static inline void fuzz_seeds_maybe(int (*write)(const char *dir))
{
	const char *dir = getenv("TZ_FUZZ_SEEDS");
	if (dir != NULL && dir[0] != '\0')
		exit(write(dir));
}

/* A target's LLVMFuzzerInitialize: write its seeds and exit when asked to
 * (fuzz_seeds_maybe), else go on fuzzing. */
#define FUZZ_SEEDS_FROM(write_seeds)                                            \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                       \
	{                                                                       \
		(void)argc;                                                     \
		(void)argv;                                                     \
		fuzz_seeds_maybe(write_seeds);                                  \
		return 0;                                                       \
	}

static char fuzz_dir[64];

static inline void fuzz_dir_remove(void)
{
	if (fuzz_dir[0] != '\0')
		tree_remove(fuzz_dir);
}

/* The path of name inside this process's temporary folder (made on first
 * use, removed at exit), in a static buffer. */
static inline const char *fuzz_path(const char *name)
{
	static char path[128];
	if (fuzz_dir[0] == '\0') {
		snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/tz-fuzz-XXXXXX");
		if (mkdtemp(fuzz_dir) == NULL) {
			perror("mkdtemp");
			exit(1);
		}
		atexit(fuzz_dir_remove);
	}
	snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
	return path;
}

/* A new store file name in the temporary folder, of kind and code, user
 * "admin"; exits on failure. */
static inline struct store *fuzz_store_create(const char *name, enum store_kind kind, const char *code,
				       const char *title)
{
	struct store_identity id = { kind, code, title };
	struct store *s = NULL;
	struct tz_error err;
	if (store_create(fuzz_path(name), &id, "admin", FUZZ_PASS, strlen(FUZZ_PASS), KDF_COST_MIN,
			 &s, &err) != TZ_OK) {
		fprintf(stderr, "store_create %s: %s\n", name, err.msg);
		exit(1);
	}
	return s;
}

/* Run sql on s in a transaction of its own; exits on failure. */
static inline void fuzz_sql(struct store *s, const char *sql)
{
	struct tz_error err;
	if (store_tx_begin(s, &err) != TZ_OK || store_exec(s, sql, &err) != TZ_OK ||
	    store_tx_commit(s, &err) != TZ_OK) {
		fprintf(stderr, "%s: %s\n", sql, err.msg);
		exit(1);
	}
}

#endif
