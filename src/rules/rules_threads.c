/*
 * rules_threads.c — a whole check run on two connections to the store at
 * once, one on the caller's thread and one on a worker thread.
 *
 * At a county (400,000 households) the rules take seconds each and wait on
 * nothing but the processor: two cores finish them in little more than half
 * the time. The work is split so that neither waits on the other:
 *
 *   - the worker, on a read-only second connection (store_open_reader), reads
 *     the members first (rules_members.c), which nearly every rule's
 *     statement needs for the heads it names, and cadre-missed-visit's visits
 *     (rules_visits_missed.c), while the caller's thread reads the procedure
 *     steps (rules_procedure.c), which only the three procedure rules need;
 *     both then share what they read (it is not changed after);
 *   - the caller's thread runs the procedure rules, then both take the other
 *     rules in their order, one at a time, each on its own connection.
 *
 * Findings are handed on exactly as the serial run hands them (rules_check):
 * in the rules' order, to o->each or appended to out, always on the caller's
 * thread (each may use the caller's connection, as `taizhang check` does for
 * the rules' area names), whenever it has run a rule or takes the next; a
 * rule run ahead keeps its findings until then, and no thread starts another
 * rule while more than BUFFERED_MAX findings wait for an earlier rule. A rule that fails stops
 * both from taking more; the rules before it are handed on, and its error is
 * the check's, as in the serial run.
 *
 * Both connections see the same data: the caller's holds a read transaction
 * (begun here unless one is open) and has read before the second begins its
 * own, and no writer can commit while either holds its lock. When the
 * caller's connection has changes of its own pending (which the second could
 * not see), on one core, or when the second connection cannot be had or
 * cannot begin, nothing is run here and rules_check runs the rules itself.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "taizhang/threads.h"

/* Findings of rules run ahead of an earlier one still running, above which
 * no more are started (memory: a county checked on today's date finds over a
 * million, most of them in one or two rules). */
#define BUFFERED_MAX 200000

enum slot_state { SLOT_WAITING, SLOT_RUNNING, SLOT_DONE, SLOT_HANDED };

/* One rule of the check and what running it gave. */
struct slot {
	const struct rule *r;
	int reserved; /* run by the caller's thread first: it reads the steps */
	enum slot_state state;
	int rc;
	struct tz_error err;
	struct findings found;
};

/* What the two threads share, under lock. */
struct run {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct slot *slots;
	size_t n;
	size_t next;     /* the first slot not yet taken (reserved ones are skipped) */
	size_t handed;   /* slots[0..handed) handed on */
	size_t buffered; /* findings of rules done, not yet handed on */
	int stop;        /* a rule failed: take no more */
	int rc;          /* the check's status: the first failure in the rules' order */
	struct tz_error *err;
	const struct rules_options *o;
	struct findings *out;
	int visits_missed; /* cadre-missed-visit is among the rules */
	int members_ready; /* the worker's read of the members is over */
	int members_rc;
	struct rules_ctx *worker; /* its context: the members it read are there */
};

/* Append f's findings to out; f keeps none. */
static void findings_move(struct findings *out, struct findings *f)
{
	VEC_RESERVE(out->items, out->cap, out->n + f->n);
	for (size_t i = 0; i < f->n; i++)
		out->items[out->n++] = f->items[i];
	f->n = 0;
}

/* Hand on the slots done at the head of the order (lock held; the caller's
 * thread only: o->each may use the caller's connection). */
static void hand_on(struct run *u)
{
	while (u->rc == TZ_OK && u->handed < u->n && u->slots[u->handed].state == SLOT_DONE) {
		struct slot *x = &u->slots[u->handed];
		if (x->rc != TZ_OK) {
			u->rc = x->rc;
			*u->err = x->err;
			break;
		}
		u->buffered -= x->found.n;
		int rc = TZ_OK;
		if (u->o != NULL && u->o->each != NULL)
			rc = u->o->each(u->o->each_arg, x->r, &x->found, u->err);
		else
			findings_move(u->out, &x->found);
		findings_free(&x->found);
		x->state = SLOT_HANDED;
		u->handed++;
		if (rc != TZ_OK) {
			u->rc = rc;
			u->stop = 1;
		}
	}
	pthread_cond_broadcast(&u->changed);
}

/* The next rule to run, marked running, or NULL when none is left (lock
 * held). Waits while too many findings wait for an earlier rule; on the
 * caller's thread (main), hands on what is done first. */
static struct slot *take(struct run *u, int main)
{
	for (;;) {
		if (main)
			hand_on(u);
		while (u->next < u->n && u->slots[u->next].reserved)
			u->next++;
		if (u->stop || u->rc != TZ_OK || u->next >= u->n)
			return NULL;
		if (u->buffered > BUFFERED_MAX && u->handed < u->next) {
			pthread_cond_wait(&u->changed, &u->lock);
			continue;
		}
		struct slot *x = &u->slots[u->next++];
		x->state = SLOT_RUNNING;
		return x;
	}
}

/* Run slot x's rule on ctx; on the caller's thread (main), hand on what is
 * done. */
static void run_slot(struct run *u, struct slot *x, struct rules_ctx *ctx, int main)
{
	struct findings found = { 0 };
	struct tz_error err = { 0 };
	int rc = rules_run_one(x->r, ctx, &found, &err);
	pthread_mutex_lock(&u->lock);
	x->found = found;
	x->rc = rc;
	x->err = err;
	x->state = SLOT_DONE;
	u->buffered += found.n;
	if (rc != TZ_OK)
		u->stop = 1;
	if (main)
		hand_on(u); /* which wakes the other thread too */
	else
		pthread_cond_broadcast(&u->changed);
	pthread_mutex_unlock(&u->lock);
}

/* Take and run rules until none is left. */
static void run_queue(struct run *u, struct rules_ctx *ctx, int main)
{
	for (;;) {
		pthread_mutex_lock(&u->lock);
		struct slot *x = take(u, main);
		pthread_mutex_unlock(&u->lock);
		if (x == NULL)
			return;
		run_slot(u, x, ctx, main);
	}
}

/* After a rule failed, both stopped taking rules: run here those before it
 * that were never started, in order, as the serial run would have before
 * meeting the failure; then hand on what is left (the worker has ended). */
static void run_before_failure(struct run *u, struct rules_ctx *ctx)
{
	size_t failed = u->n;
	for (size_t i = 0; i < u->n && failed == u->n; i++)
		if (u->slots[i].state == SLOT_DONE && u->slots[i].rc != TZ_OK)
			failed = i;
	for (size_t i = 0; i < failed && u->rc == TZ_OK; i++)
		if (u->slots[i].state == SLOT_WAITING)
			run_slot(u, &u->slots[i], ctx, 1);
	pthread_mutex_lock(&u->lock);
	hand_on(u);
	pthread_mutex_unlock(&u->lock);
}

static void *worker_main(void *arg)
{
	struct run *u = arg;
	struct tz_error err = { 0 };
	int rc = rules_members_read(u->worker, &err);
	/* cadre-missed-visit's pass too, while the caller's thread still reads
	 * the steps: run at its turn, among the last rules, it kept the other
	 * thread waiting. A failure here is met again, and reported, by the rule. */
	struct tz_error ignored = { 0 };
	if (rc == TZ_OK && u->visits_missed)
		rules_visits_missed_read(u->worker, &ignored);
	pthread_mutex_lock(&u->lock);
	u->members_ready = 1;
	u->members_rc = rc;
	pthread_cond_broadcast(&u->changed);
	pthread_mutex_unlock(&u->lock);
	/* Without the members the caller's thread reads them itself and runs
	 * what is left (and meets the same failure where the serial run would). */
	if (rc == TZ_OK)
		run_queue(u, u->worker, 0);
	return NULL;
}

/* The second connection, reading, with the rules' functions and a bulk cache
 * of its own, a quarter of the caller's: the members' pass streams through
 * it, and at 400,000 households a cache of 64 MiB checked as fast as one of
 * 256 (peak memory 430 MiB against 710 with 256 + 128); NULL when it cannot
 * be had. */
static struct store *reader_open(struct rules_ctx *ctx)
{
	struct store *r = store_open_reading(ctx->s, STORE_BULK_CACHE_KIB / 4);
	if (r != NULL && rules_members_functions(store_db(r)) != SQLITE_OK) {
		store_read_end(r);
		store_close(r);
		return NULL;
	}
	return r;
}

int rules_check_threads(struct rules_ctx *ctx, const struct rule *const *rules, size_t n,
			const struct rules_options *o, struct findings *out, int *ran,
			struct tz_error *err)
{
	*ran = 0;
	sqlite3 *db = store_db(ctx->s);
	if (tz_cores_available() < 2 || sqlite3_txn_state(db, "main") == SQLITE_TXN_WRITE)
		return TZ_OK;
	int own_tx = sqlite3_get_autocommit(db);
	if (own_tx ? !store_read_begin(ctx->s)
		   : sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) !=
			     SQLITE_OK)
		return TZ_OK;
	struct store *reader = reader_open(ctx);
	if (reader == NULL) {
		if (own_tx)
			store_read_end(ctx->s);
		return TZ_OK;
	}
	struct rules_ctx wctx = { .s = reader, .village = ctx->village };
	memcpy(wctx.as_of, ctx->as_of, sizeof wctx.as_of);
	struct run u = { .n = n, .o = o, .out = out, .err = err, .worker = &wctx };
	u.slots = xcalloc(n, sizeof *u.slots);
	int any_reserved = 0;
	for (size_t i = 0; i < n; i++) {
		u.slots[i].r = rules[i];
		u.slots[i].reserved = rules_reads_steps(rules[i]);
		u.visits_missed |= rules[i]->find == rule_cadre_missed_visit.find;
		any_reserved |= u.slots[i].reserved;
	}
	pthread_mutex_init(&u.lock, NULL);
	pthread_cond_init(&u.changed, NULL);
	pthread_t worker;
	int started = tz_thread_start(&worker, worker_main, &u) == 0;
	if (started) {
		*ran = 1;
		/* The steps now, beside the members; a failure here is met again,
		 * and reported, by the first rule that reads them. */
		struct tz_error ignored = { 0 };
		if (any_reserved)
			rules_steps_read(ctx, &ignored);
		pthread_mutex_lock(&u.lock);
		while (!u.members_ready)
			pthread_cond_wait(&u.changed, &u.lock);
		if (u.members_rc == TZ_OK) {
			ctx->members = wctx.members;
			ctx->visits_missed = wctx.visits_missed;
		}
		pthread_mutex_unlock(&u.lock);
		for (size_t i = 0; i < n; i++) {
			pthread_mutex_lock(&u.lock);
			int go = u.slots[i].reserved && !u.stop && u.rc == TZ_OK;
			if (go)
				u.slots[i].state = SLOT_RUNNING;
			pthread_mutex_unlock(&u.lock);
			if (go)
				run_slot(&u, &u.slots[i], ctx, 1);
		}
		run_queue(&u, ctx, 1);
		pthread_join(worker, NULL);
		run_before_failure(&u, ctx);
	}
	/* The members belong to the caller's context from now on. */
	if (ctx->members == wctx.members)
		wctx.members = NULL;
	if (ctx->visits_missed == wctx.visits_missed)
		wctx.visits_missed = NULL;
	rules_members_free(&wctx);
	rules_visits_missed_free(&wctx);
	rules_steps_free(&wctx);
	store_read_end(reader);
	store_close(reader);
	if (own_tx)
		store_read_end(ctx->s);
	for (size_t i = 0; i < n; i++)
		findings_free(&u.slots[i].found);
	free(u.slots);
	pthread_cond_destroy(&u.changed);
	pthread_mutex_destroy(&u.lock);
	return started ? u.rc : TZ_OK;
}
