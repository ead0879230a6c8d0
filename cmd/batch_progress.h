/*
 * batch_progress: what `licpack batch` shows on stderr while it runs: a bar
 * with counts, rate and ETA on a terminal, one line per applicant otherwise,
 * only the failures with -q.
 */
#ifndef LICPACK_CMD_BATCH_PROGRESS_H
#define LICPACK_CMD_BATCH_PROGRESS_H

#include <stddef.h>
#include <time.h>

/* An applicant's status, as the summary counts it. */
enum { S_COMPLETE = 0, S_INCOMPLETE, S_FAILED };

enum { P_QUIET, P_LINES, P_BAR };

typedef struct {
	int mode;            /* P_QUIET, P_LINES or P_BAR */
	size_t total, done, count[3], skipped;
	struct timespec t0, drawn_at;
	int on_screen;       /* a bar is drawn and the cursor is at its end */
} progress;

/* Start counting total applicants now. */
void progress_init(progress *p, int mode, size_t total);

/* Redraw the bar (P_BAR only): at most ten times a second unless force. */
void progress_draw(progress *p, int force);

/* One applicant finished (or skipped as up to date); message: why it failed. */
void progress_item(progress *p, const char *name, int status, int errors, int warnings, int skipped,
		   const char *message);

/* The run is over: the bar's last state and a newline (P_BAR only). */
void progress_end(progress *p);

#endif
