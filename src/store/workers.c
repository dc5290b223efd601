/*
 * workers.c — a few threads that run one parallel loop at a time.
 *
 * Encrypting a page costs about 4 µs on the benchmark's machine, and a commit
 * writes a hundred pages or more: on one core that is most of what the store
 * adds to a write (bench/README.md). The VFS hands a commit's pages to
 * workers_for, which encrypts them on the calling thread and on the worker
 * threads together.
 *
 * The threads are started on first use, one fewer than the cores the process
 * may use (tz_cores_available: its CPU affinity) and at most WORKERS_MAX,
 * with every signal blocked (signals such as SIGWINCH and
 * SIGINT belong to the main thread). They wait on a condition variable for a job,
 * take items by an atomic counter until none are left, and tell the caller when
 * they are done; the caller takes items the same way, then waits for the workers
 * still busy. One loop runs at a time: a second caller, or a loop too small to be
 * worth it, runs on its own thread. A forked child (whose threads did not follow
 * it) always runs alone. The threads live as long as the process.
 *
 * Waking a sleeping thread is quick, but the scheduler tends to run it on the
 * waker's core, where it only takes turns with the caller: measured there, a
 * 100-page loop posted to sleeping workers ran hardly faster than on one
 * thread. So the VFS calls workers_expect when a commit is about to write its
 * pages (at the journal's sync, while the writer waits for the disk): the
 * workers wake, then poll for the loop for at most EXPECT_NS, yielding the core
 * at every turn, and stop polling as soon as any loop has run. bench/store's
 * write phase: 1.12 times plain SQLite's on one thread, 1.07 so (2 cores).
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "taizhang/threads.h"
#include "workers.h"

#define WORKERS_MAX 3
#define EXPECT_NS 5000000L /* 5 ms: a slow disk's sync, then the page writes */

struct job {
	size_t n;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	atomic_size_t next; /* the next item to take */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_posted = PTHREAD_COND_INITIALIZER;
static pthread_cond_t workers_idle = PTHREAD_COND_INITIALIZER;

/* Guarded by lock. */
static int started;	     /* worker threads running */
static int start_tried;	     /* started is final */
static int busy;	     /* a loop is running */
static int job_open;	     /* workers may still join the current job */
static unsigned long job_id; /* counts jobs, so a worker joins each once */
static int active;	     /* workers inside the current job */
static struct job job;

/* Read without the lock by polling workers. */
static atomic_ulong loops_run;	  /* counts workers_for calls that ran */
static atomic_ulong expectations; /* counts workers_expect calls */
static atomic_ulong loops_at_expect; /* loops_run at the last workers_expect */
static atomic_int owner_pid;	  /* the process the threads belong to */

static void take_items(struct job *j)
{
	for (;;) {
		size_t i = atomic_fetch_add(&j->next, 1);
		if (i >= j->n)
			return;
		j->fn(j->ctx, i);
	}
}

static long ns_since(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - since->tv_sec) * 1000000000L + (now.tv_nsec - since->tv_nsec);
}

/* Poll until a loop runs (or a job is posted) or EXPECT_NS pass; lock not held. */
static void poll_for_loop(unsigned long loops_seen)
{
	struct timespec since;
	clock_gettime(CLOCK_MONOTONIC, &since);
	for (unsigned turn = 1; atomic_load(&loops_run) == loops_seen; turn++) {
		sched_yield();
		if (turn % 64 == 0 && ns_since(&since) > EXPECT_NS)
			return;
	}
}

static void *worker_main(void *arg)
{
	(void)arg;
	unsigned long joined = 0, expected = 0;
	pthread_mutex_lock(&lock);
	for (;;) {
		while ((!job_open || job_id == joined) && atomic_load(&expectations) == expected)
			pthread_cond_wait(&job_posted, &lock);
		if (!job_open || job_id == joined) {
			expected = atomic_load(&expectations);
			unsigned long loops_seen = atomic_load(&loops_at_expect);
			pthread_mutex_unlock(&lock);
			poll_for_loop(loops_seen);
			pthread_mutex_lock(&lock);
			continue;
		}
		joined = job_id;
		active++;
		pthread_mutex_unlock(&lock);
		take_items(&job);
		pthread_mutex_lock(&lock);
		if (--active == 0)
			pthread_cond_signal(&workers_idle);
	}
	return NULL;
}

/* Start the threads once per process; lock held. */
static void start_locked(void)
{
	if (start_tried)
		return;
	start_tried = 1;
	atomic_store(&owner_pid, (int)getpid());
	int want = tz_cores_available() - 1;
	if (want > WORKERS_MAX)
		want = WORKERS_MAX;
	if (want == 0)
		return;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) == 0) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		for (int k = 0; k < want; k++) {
			pthread_t t;
			if (pthread_create(&t, &attr, worker_main, NULL) != 0)
				break;
			started++;
		}
		pthread_attr_destroy(&attr);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int in_owner_process(void)
{
	int pid = atomic_load(&owner_pid);
	return pid == 0 || pid == (int)getpid();
}

void workers_expect(void)
{
	if (!in_owner_process())
		return;
	pthread_mutex_lock(&lock);
	start_locked();
	if (started > 0 && !busy) {
		atomic_store(&loops_at_expect, atomic_load(&loops_run));
		atomic_fetch_add(&expectations, 1);
		pthread_cond_broadcast(&job_posted);
	}
	pthread_mutex_unlock(&lock);
}

void workers_for(size_t n, size_t min_parallel, void (*fn)(void *ctx, size_t i), void *ctx)
{
	int shared = 0;
	if (n >= 2 && n >= min_parallel && in_owner_process()) {
		pthread_mutex_lock(&lock);
		start_locked();
		if (started > 0 && !busy) {
			busy = 1;
			job.n = n;
			job.fn = fn;
			job.ctx = ctx;
			atomic_store(&job.next, 0);
			job_open = 1;
			job_id++;
			pthread_cond_broadcast(&job_posted);
			shared = 1;
		}
		pthread_mutex_unlock(&lock);
	}
	atomic_fetch_add(&loops_run, 1); /* pollers stop polling */
	if (!shared) {
		for (size_t i = 0; i < n; i++)
			fn(ctx, i);
		return;
	}
	take_items(&job);
	pthread_mutex_lock(&lock);
	job_open = 0;
	while (active > 0)
		pthread_cond_wait(&workers_idle, &lock);
	busy = 0;
	pthread_mutex_unlock(&lock);
}
