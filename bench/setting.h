/*
 * setting.h — what the one-file benchmarks (check, demo, report, search) share
 * besides the clock: the date they run as of, their scratch folder under
 * /tmp, and the one line that says they were called wrong or that a library
 * call failed (bench/setting.c).
 *
 * Not for bench/store and its anchors, which link no taizhang code
 * (workload.h).
 */
#ifndef TZ_BENCH_SETTING_H
#define TZ_BENCH_SETTING_H

#include "taizhang/error.h"

/* The date every benchmark runs as of (TAIZHANG_TODAY). */
#define BENCH_TODAY "2019-04-20"

/* Run as of BENCH_TODAY, in a new folder made from the template dir (a path
 * ending in XXXXXX, replaced as mkdtemp does). Returns 0, or -1 (said on
 * stderr) when the folder cannot be made. */
int bench_start(char *dir);

/* Say "usage: " and usage on stderr; returns 2, the exit status of a
 * benchmark called wrong. */
int bench_usage(const char *usage);

/* Say "NAME bench: " and err's message on stderr; returns 1, the exit status
 * of a benchmark that failed. */
int bench_failed(const char *name, const struct tz_error *err);

#endif
