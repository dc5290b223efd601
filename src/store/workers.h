/*
 * workers.h — a few threads that run one parallel loop at a time (workers.c).
 *
 * Internal to the store module: the encrypting VFS encrypts a commit's pages
 * on every core with it (vfs.c, flush_pending).
 */
#ifndef TAIZHANG_STORE_WORKERS_H
#define TAIZHANG_STORE_WORKERS_H

#include <stddef.h>

/* Call fn(ctx, i) once for every i in [0, n), on the calling thread and on up to
 * three worker threads (one fewer than the machine has cores), and return when
 * every call has returned. fn must be safe to run concurrently for different i.
 * Loops of fewer than min_parallel items, a loop started while another is
 * running, and every loop in a forked child run on the calling thread alone.
 * Cannot fail: when no thread can be started, the caller does all the work. */
void workers_for(size_t n, size_t min_parallel, void (*fn)(void *ctx, size_t i), void *ctx);

/* A loop is coming soon: wake the workers now, so that they are running on
 * their own cores when it starts. They poll for it (yielding at every turn) for
 * at most a few milliseconds, and stop as soon as any loop has run. */
void workers_expect(void);

#endif
