/*
 * pool: a fixed set of threads working through numbered items.
 *
 * Checking, reading, filling, the report's thumbnails and the upload files
 * all do the same: n independent items (files, pages), each worth a thread
 * while a scan is decoded or read. pool_run() starts up to job->threads
 * threads (the calling thread is one of them, so when no other thread can
 * be started the work is still done, on the calling thread alone); each takes
 * the next item not taken yet, under a lock, until none is left or an item
 * failed. Every item is given to work() at most once, and each exactly once
 * when none fails. Each thread has a context of its own (job->ctx_size bytes,
 * zeroed, then ctx_init()'ed, ctx_done()'ed when the thread stops): scratch
 * buffers that live across the items a thread does.
 *
 * When work() fails (returns non-zero, err filled), no thread takes a new
 * item; the items under way finish, and pool_run() returns -1 with the
 * error of the item that failed first.
 */
#ifndef LICPACK_POOL_H
#define LICPACK_POOL_H

#include <stddef.h>

#include "packet/error.h"

/* The most threads a pool runs (the calling one among them). */
#define POOL_MAX_THREADS 16

typedef struct {
	size_t n_items;
	int threads;     /* wanted; fewer when there are fewer items, at least 1 */
	size_t ctx_size; /* bytes of each thread's context; 0: none (ctx NULL) */
	void (*ctx_init)(void *ctx, void *arg); /* NULL: zeroed is ready */
	void (*ctx_done)(void *ctx, void *arg); /* NULL: nothing to let go */
	/* Do item; 0, or non-zero with err filled (no new items are taken). */
	int (*work)(void *arg, size_t item, void *ctx, lp_err *err);
	void *arg; /* given to every callback */
} pool_job;

/* Run job (see above). Returns 0, or -1 with err filled: the first item's
 * that failed, or out of memory (before any item was given out). */
int pool_run(const pool_job *job, lp_err *err);

/* A ctx_done for a context that is an lp_buffer (packet/util.h): frees its
 * data. The most common context: a thread's scratch buffer for files read. */
void pool_buffer_done(void *ctx, void *arg);

#endif
