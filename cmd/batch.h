/*
 * batch.h: what cmd/batch.c (arguments, the applicants, the summary) and
 * cmd/batch_run.c (up-to-date test, one applicant's child, the parent's
 * loop) share. Private to cmd/batch*.c.
 */
#ifndef CMD_BATCH_H
#define CMD_BATCH_H

#include <signal.h>
#include <sys/types.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/batch_progress.h"
#include "packet/template.h"
#include <cjson/cJSON.h>

/* The command line, parsed. */
typedef struct {
	const char *root;
	const char *outdir;
	folder_args f;             /* -t and -r: defaults for folders whose packet.json names none */
	long jobs;
	unsigned long shard_k, shard_n;   /* 0/0: no shard */
	int check_only;
	int force;
	int quiet;
} batch_args;

enum { E_PENDING = 0, E_RUNNING, E_DONE, E_INTERRUPTED };

/* What the parent keeps per applicant: a few bytes, whatever the batch size. */
typedef struct {
	char *name;
	unsigned char state;     /* E_* */
	unsigned char status;    /* S_*, when E_DONE */
	unsigned char skipped;   /* up to date: not run */
	char *message;           /* failed, and its result file could not be written */
} entry;

typedef struct {
	pid_t pid;
	size_t index;
	struct timespec started;
} slot;  /* one running child */

/* The run: the applicants and what every child is given. */
typedef struct {
	const batch_args *a;
	const template_set *set;
	lp_lang lang;
	const char *font;          /* found once by the parent, for every child */
	int font_index;
	char *options;             /* what the outputs depend on besides the inputs */
	struct timespec templates_mtime;
	entry *e;
	size_t n;
	char *outdir_real;         /* realpath of -o */
} batch;

/* The parent's loop state (batch_run.c). */
typedef struct {
	batch *b;
	progress prog;
	slot *slots;
	size_t n_slots, running;
	int stop;               /* the signal that stopped the run, or 0 */
	sigset_t waitset;
} runner;

/* The newest modification time among the templates: the licpack binary's
 * own (the built-in ones are inside it) and --templates DIR's files. */
void templates_time(const char *dir, struct timespec *m);

/* What the outputs depend on besides the inputs, as one string (malloc'd),
 * or NULL for no memory. */
char *options_string(const batch *b);

/* The row of an applicant that failed before or outside its job (crash,
 * no result): company, template and region from its packet.json. Caller
 * frees; NULL when out of memory. */
cJSON *failed_row(const batch *b, const char *name, const char *message);

/* SIGCHLD's handler: does nothing; its being set makes the blocked signal
 * pending for run_all's sigtimedwait() instead of discarded. */
void on_sigchld(int sig);

/* Start the applicants, at most rn->n_slots at once, until all are done
 * or a signal stops the run (rn->stop). */
void run_all(runner *rn);

#endif
