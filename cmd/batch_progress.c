/*
 * batch_progress: batch's progress on stderr (see batch_progress.h).
 */
#include "cmd/batch_progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "packet/normalise.h"

void progress_init(progress *p, int mode, size_t total)
{
	memset(p, 0, sizeof *p);
	p->mode = mode;
	p->total = total;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

void progress_draw(progress *p, int force)
{
	char bar[32], eta[32];
	double el, rate;
	struct winsize ws;
	int width = 80, fill, i;

	if (p->mode != P_BAR || (!force && p->on_screen && seconds_since(&p->drawn_at) < 0.1))
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->drawn_at);
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		width = ws.ws_col;
	el = seconds_since(&p->t0);
	rate = el > 0 ? (double)p->done / el : 0;
	if (p->done == p->total)
		snprintf(eta, sizeof eta, TR("%.0fs", "用时 %.0f 秒"), el);
	else if (rate > 0) {
		long s = (long)((double)(p->total - p->done) / rate + 0.5);
		snprintf(eta, sizeof eta, TR("ETA %ld:%02ld:%02ld", "预计还需 %ld:%02ld:%02ld"), s / 3600, s / 60 % 60, s % 60);
	} else
		snprintf(eta, sizeof eta, "%s", TR("ETA --:--:--", "预计还需 --:--:--"));
	fill = p->total ? (int)(20 * p->done / p->total) : 20;
	for (i = 0; i < 20; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[20] = '\0';
	fprintf(stderr, "\r\033[K");
	if (width >= 100)
		fprintf(stderr, "[%s] ", bar);
	fprintf(stderr, TR("%zu/%zu  complete %zu  incomplete %zu  failed %zu  %.1f/s  %s",
			   "%zu/%zu  齐全 %zu  不全 %zu  失败 %zu  %.1f 个/秒  %s"), p->done, p->total,
		p->count[S_COMPLETE], p->count[S_INCOMPLETE], p->count[S_FAILED], rate, eta);
	p->on_screen = 1;
}

static void progress_item_shown(progress *p, const char *name, int status, int errors, int warnings,
				int skipped, const char *message);

/* One applicant finished (or skipped as up to date). Its folder's name, and
 * the message (which may quote it), are a client's text: shown as file names
 * are (display_name), so that no name can drive the terminal. */
void progress_item(progress *p, const char *name, int status, int errors, int warnings, int skipped,
		   const char *message)
{
	char *shown = display_name(name), *said = message ? display_name(message) : NULL;

	progress_item_shown(p, shown ? shown : "?", status, errors, warnings, skipped,
			    message ? (said ? said : "?") : NULL);
	free(shown);
	free(said);
}

static void progress_item_shown(progress *p, const char *name, int status, int errors, int warnings,
				int skipped, const char *message)
{
	char detail[128] = "";
	const char *word = status == S_COMPLETE ? TR("complete", "齐全")
			 : status == S_INCOMPLETE ? TR("incomplete", "材料不全") : TR("failed", "失败");

	p->done++;
	p->count[status]++;
	p->skipped += skipped != 0;
	if (status == S_FAILED) {
		if (p->mode == P_LINES) {
			fprintf(stderr, TR("[%zu/%zu] %s: failed: %s%s\n", "[%zu/%zu] %s：失败：%s%s\n"), p->done, p->total,
				name, message ? message : TR("no message", "没有说明"),
				skipped ? TR(" (skipped: up to date)", "（已是最新，跳过）") : "");
		} else {
			if (p->on_screen)
				fprintf(stderr, "\r\033[K");
			p->on_screen = 0;
			lp_error(TR("'%s': %s", "'%s'：%s"), name, message ? message : TR("failed", "失败"));
			progress_draw(p, 1);
		}
		return;
	}
	if (p->mode == P_LINES) {
		if (msg_lang() == LANG_ZH) {
			if (errors && warnings)
				snprintf(detail, sizeof detail, "%d 个错误，%d 个警告", errors, warnings);
			else if (errors || warnings)
				snprintf(detail, sizeof detail, "%d 个%s", errors ? errors : warnings, errors ? "错误" : "警告");
		} else if (errors && warnings) {
			snprintf(detail, sizeof detail, "%d error%s, %d warning%s", errors, errors == 1 ? "" : "s",
				 warnings, warnings == 1 ? "" : "s");
		} else if (errors || warnings) {
			snprintf(detail, sizeof detail, "%d %s%s", errors ? errors : warnings,
				 errors ? "error" : "warning", (errors ? errors : warnings) == 1 ? "" : "s");
		}
		if (skipped)
			snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "%s%s",
				 detail[0] ? TR("; ", "；") : "", TR("skipped: up to date", "已是最新，跳过"));
		fprintf(stderr, TR("[%zu/%zu] %s: %s%s%s%s\n", "[%zu/%zu] %s：%s%s%s%s\n"), p->done, p->total, name, word,
			detail[0] ? TR(" (", "（") : "", detail, detail[0] ? TR(")", "）") : "");
	}
	progress_draw(p, p->done == p->total);
}

void progress_end(progress *p)
{
	if (p->mode != P_BAR)
		return;
	progress_draw(p, 1);
	fputc('\n', stderr);
}
