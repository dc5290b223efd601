/*
 * test_workers.c — the store's parallel loop (src/store/workers.c): every item
 * runs exactly once, a loop runs on two threads at once when the machine has
 * cores to spare, and loops that may not share (too small, started while another runs,
 * in a forked child) still run every item, on the caller's thread.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/store/workers.h"
#include "unit.h"

#define NITEMS 4000

struct tally {
	atomic_int runs[NITEMS];
	pthread_t thread[NITEMS];
	unsigned work[NITEMS];
	unsigned spin; /* work per item, so that items overlap */
};

static void count_item(void *ctx, size_t i)
{
	struct tally *t = ctx;
	atomic_fetch_add(&t->runs[i], 1);
	t->thread[i] = pthread_self();
	unsigned acc = 0;
	for (unsigned k = 0; k < t->spin; k++)
		acc = acc * 31 + k;
	t->work[i] = acc; /* kept, so the loop is not optimised away */
}

static int threads_used(const struct tally *t, size_t n)
{
	pthread_t seen[8];
	int nseen = 0;
	for (size_t i = 0; i < n; i++) {
		int known = 0;
		for (int k = 0; k < nseen && !known; k++)
			known = pthread_equal(seen[k], t->thread[i]);
		if (!known && nseen < 8)
			seen[nseen++] = t->thread[i];
	}
	return nseen;
}

static void assert_each_once(const struct tally *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(atomic_load(&t->runs[i]), 1);
	for (size_t i = n; i < NITEMS; i++)
		assert_int_equal(atomic_load(&t->runs[i]), 0);
}

UNIT_TEST(every_item_runs_once, NULL, NULL)
{
	static struct tally t;
	for (size_t n = 0; n < 40; n++) {
		memset(&t, 0, sizeof t);
		workers_for(n, 2, count_item, &t);
		assert_each_once(&t, n);
	}
	for (int round = 0; round < 50; round++) {
		memset(&t, 0, sizeof t);
		t.spin = 2000;
		workers_expect();
		workers_for(NITEMS, 8, count_item, &t);
		assert_each_once(&t, NITEMS);
	}
}

struct rendezvous {
	atomic_int taken;
	pthread_t who[2];
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Each of the two items waits (yielding) until both are taken, or 3 s: only a
 * second thread can take the other item while the first one waits. */
static void meet(void *ctx, size_t i)
{
	struct rendezvous *r = ctx;
	r->who[i] = pthread_self();
	atomic_fetch_add(&r->taken, 1);
	double until = now_s() + 3;
	while (atomic_load(&r->taken) < 2 && now_s() < until)
		sched_yield();
}

UNIT_TEST(a_loop_runs_on_two_threads_when_cores_allow, NULL, NULL)
{
	struct rendezvous r;
	memset(&r, 0, sizeof r);
	workers_expect();
	workers_for(2, 2, meet, &r);
	assert_int_equal(atomic_load(&r.taken), 2);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		assert_false(pthread_equal(r.who[0], r.who[1]));
	else
		assert_true(pthread_equal(r.who[0], r.who[1]));
}

UNIT_TEST(small_loops_stay_on_the_caller, NULL, NULL)
{
	static struct tally t;
	memset(&t, 0, sizeof t);
	t.spin = 20000;
	workers_for(7, 8, count_item, &t);
	assert_each_once(&t, 7);
	for (size_t i = 0; i < 7; i++)
		assert_true(pthread_equal(t.thread[i], pthread_self()));
}

struct caller {
	struct tally t;
	int rounds;
};

static void *call_loops(void *arg)
{
	struct caller *c = arg;
	for (int r = 0; r < c->rounds; r++) {
		memset(c->t.runs, 0, sizeof c->t.runs);
		workers_for(NITEMS, 8, count_item, &c->t);
		for (size_t i = 0; i < NITEMS; i++)
			if (atomic_load(&c->t.runs[i]) != 1)
				return (void *)1;
	}
	return NULL;
}

/* Two threads (two stores, say) running loops at the same time: one shares the
 * workers, the other runs alone; both see every item once. */
UNIT_TEST(concurrent_callers_each_get_every_item, NULL, NULL)
{
	static struct caller a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.rounds = b.rounds = 30;
	a.t.spin = b.t.spin = 500;
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, call_loops, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, call_loops, &b), 0);
	void *ra, *rb;
	pthread_join(ta, &ra);
	pthread_join(tb, &rb);
	assert_null(ra);
	assert_null(rb);
}

/* A forked child has no workers: its loops must still run every item. */
UNIT_TEST(a_forked_child_runs_loops_alone, NULL, NULL)
{
	static struct tally t;
	workers_for(NITEMS, 8, count_item, &t); /* the parent's threads exist */
	pid_t pid = fork();
	if (pid == 0) {
		memset(&t, 0, sizeof t);
		workers_expect();
		workers_for(NITEMS, 8, count_item, &t);
		int ok = threads_used(&t, NITEMS) == 1;
		for (size_t i = 0; i < NITEMS; i++)
			ok &= atomic_load(&t.runs[i]) == 1;
		_exit(ok ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	return unit_run("workers", NULL, NULL);
}
