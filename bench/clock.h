/*
 * clock.h — the timing helpers a benchmark needs: a monotonic clock in
 * seconds, and sorting and the median of a few runs (bench/clock.c).
 */
#ifndef TZ_BENCH_CLOCK_H
#define TZ_BENCH_CLOCK_H

/* Seconds on the monotonic clock (only differences mean anything). */
double bench_now(void);
/* The process's CPU seconds (every thread: the store's workers too). */
double bench_cpu_now(void);
/* Sort the n values in v, smallest first. */
void bench_sort(double *v, int n);
/* The median of the n values in v (sorts v). */
double bench_median(double *v, int n);

#endif
