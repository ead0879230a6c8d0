/*
 * pool: a fixed set of threads working through numbered items, each thread
 * taking the next under one lock, the first error kept (see pool.h).
 */
#include "packet/pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "packet/util.h"

typedef struct {
	const pool_job *job;
	pthread_mutex_t lock;
	size_t next;  /* the next item to give out, under lock */
	int failed;   /* an item failed: none is given out any more */
	lp_err first; /* the error of the item that failed first */
} pool_state;

typedef struct {
	pool_state *ps;
	void *ctx;
} pool_thread;

/* One thread's loop: take the next item, do it, until none is left. */
static void *pool_thread_run(void *arg)
{
	pool_thread *t = arg;
	pool_state *ps = t->ps;
	const pool_job *job = ps->job;
	lp_err err;

	if (job->ctx_init)
		job->ctx_init(t->ctx, job->arg);
	for (;;) {
		size_t i;

		pthread_mutex_lock(&ps->lock);
		i = ps->failed ? job->n_items : ps->next++;
		pthread_mutex_unlock(&ps->lock);
		if (i >= job->n_items)
			break;
		lp_error_clear(&err);
		if (job->work(job->arg, i, t->ctx, &err) == 0)
			continue;
		pthread_mutex_lock(&ps->lock);
		if (!ps->failed)
			lp_error_copy(&ps->first, &err);
		ps->failed = 1;
		pthread_mutex_unlock(&ps->lock);
	}
	if (job->ctx_done)
		job->ctx_done(t->ctx, job->arg);
	return NULL;
}

int pool_run(const pool_job *job, lp_err *err)
{
	pool_state ps = { job, PTHREAD_MUTEX_INITIALIZER, 0, 0, { LP_OK, 0, "", "" } };
	pool_thread th[POOL_MAX_THREADS];
	pthread_t tid[POOL_MAX_THREADS];
	unsigned char *ctx = NULL;
	size_t n = job->threads > 1 ? (size_t)job->threads : 1, started = 0, i;

	if (job->n_items == 0)
		return 0;
	if (n > POOL_MAX_THREADS)
		n = POOL_MAX_THREADS;
	if (n > job->n_items)
		n = job->n_items;
	if (job->ctx_size && !(ctx = calloc(n, job->ctx_size)))
		return lp_nomem(err);
	for (i = 0; i < n; i++) {
		th[i].ps = &ps;
		th[i].ctx = ctx ? ctx + i * job->ctx_size : NULL;
	}
	/* the calling thread works too (th[0]); the others are a bonus when
	 * they start */
	for (i = 1; i < n; i++)
		if (pthread_create(&tid[started], NULL, pool_thread_run, &th[started + 1]) == 0)
			started++;
	pool_thread_run(&th[0]);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&ps.lock);
	free(ctx);
	if (ps.failed) {
		lp_error_copy(err, &ps.first);
		return -1;
	}
	return 0;
}

void pool_buffer_done(void *ctx, void *arg)
{
	lp_buffer *b = ctx;

	(void)arg;
	free(b->data);
	b->data = NULL;
	b->cap = 0;
}
