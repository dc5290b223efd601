/*
 * setting.c — the date, the scratch folder and the usage and failure lines of
 * the one-file benchmarks (see setting.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "setting.h"

int bench_start(char *dir)
{
	setenv("TAIZHANG_TODAY", BENCH_TODAY, 1);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		return -1;
	}
	return 0;
}

int bench_usage(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	return 2;
}

int bench_failed(const char *name, const struct tz_error *err)
{
	fprintf(stderr, "%s bench: %s\n", name, err->msg);
	return 1;
}
