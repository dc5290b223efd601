/*
 * threads.h — the little the program's own threads share: how many cores the
 * process may use, and starting a thread that leaves signals to the caller.
 *
 * Deliberately not here: pools or queues (each user keeps its own: the page
 * cipher's workers in src/store/workers.c, a check's second connection in
 * src/rules/rules_threads.c, a town report's second connection in
 * src/report/report_sections.c).
 */
#ifndef TAIZHANG_THREADS_H
#define TAIZHANG_THREADS_H

#include <pthread.h>

/* The cores this process may run on: TAIZHANG_CORES when it is set to a
 * number 1..TZ_CORES_MAX (1: every piece of work on one thread, as on a
 * one-core machine; 2 on one core: the two-thread paths run all the same,
 * which tests use), else its CPU affinity where the system says (a container
 * or `taskset` may allow fewer than the machine has), else the cores online;
 * at least 1. */
#define TZ_CORES_MAX 256
int tz_cores_available(void);

/* Start fn(arg) on a new thread with every signal blocked in it, so that
 * SIGINT, SIGTERM and the terminal's signals reach the thread that handles
 * them (the caller's). Returns 0, or pthread_create's error. */
int tz_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
