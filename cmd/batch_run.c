/*
 * batch_run: running a batch's applicants (see batch.c's opening comment for
 * the design): whether an applicant is up to date, the child that builds one
 * applicant, and the parent's loop that starts children, reaps them, takes
 * signals and draws the progress.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cmd/cmd.h"
#include "cmd/batch_index.h"
#include "cmd/batch_progress.h"
#include "cmd/packet_job.h"
#include "packet/applicant.h"
#include "packet/ident.h"
#include "packet/jsontext.h"
#include "packet/normalise.h"
#include "packet/output.h"
#include "packet/scan.h"
#include "packet/summary.h"
#include "pdf/font.h"
#include "cmd/batch.h"

static int ts_ge(const struct timespec *x, const struct timespec *y)
{
	return x->tv_sec > y->tv_sec || (x->tv_sec == y->tv_sec && x->tv_nsec >= y->tv_nsec);
}

static void ts_max(struct timespec *m, const struct timespec *t)
{
	if (ts_ge(t, m))
		*m = *t;
}

/* The clock file systems stamp modification times with: anything written
 * after this moment gets an mtime at or after it. */
static void now_fs(struct timespec *t)
{
#ifdef CLOCK_REALTIME_COARSE
	if (clock_gettime(CLOCK_REALTIME_COARSE, t) == 0)
		return;
#endif
	clock_gettime(CLOCK_REALTIME, t);
}

/* ---- up to date? ---- */

/* 1 when path, or anything under it that is not hidden, was modified at or
 * after t, or cannot be examined. follow: path itself may be a link to a
 * folder (an applicant in ROOT). Links inside are not followed into
 * folders, as the scan does not follow them. */
static int changed_since(const char *path, const struct timespec *t, int follow, int depth, int max_depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (lstat(path, &st) != 0 || ts_ge(&st.st_mtim, t))
		return 1;
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) != 0)
			return follow;  /* a dangling link inside is what it is; the applicant itself must be re-read */
		if (ts_ge(&st.st_mtim, t))
			return 1;
		if (!follow || !S_ISDIR(st.st_mode))
			return 0;
	}
	if (!S_ISDIR(st.st_mode) || depth > max_depth + 1)
		return 0;
	if (!(d = opendir(path)))
		return 1;
	while (!ret && (de = readdir(d)) != NULL) {
		char *child;
		if (de->d_name[0] == '.')
			continue;
		if (!(child = lp_path_join(path, de->d_name))) {
			ret = 1;
			break;
		}
		ret = changed_since(child, t, 0, depth + 1, max_depth);
		free(child);
	}
	closedir(d);
	return ret;
}

/* 1 when OUTDIR/rel exists (rel NULL: nothing to look for). */
static int output_exists(const batch *b, const char *rel)
{
	char *p;
	struct stat st;
	int r;

	if (!rel)
		return 1;
	if (!(p = lp_path_join(b->a->outdir, rel)))
		return 0;
	r = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return r;
}

/* The previous row of applicant i when its outputs are up to date, else NULL. */
static cJSON *up_to_date(const batch *b, size_t i)
{
	char *rpath = lp_strdupf("%s/%s/%s", b->a->outdir, b->e[i].out, SUMMARY_RESULT_FILE);
	char *dir = lp_path_join(b->a->root, b->e[i].name), *options = NULL;
	const cJSON *ex;
	struct timespec started;
	cJSON *row = NULL;
	int ok = 0;

	if (!rpath || !dir)
		goto cleanup;
	row = summary_result_read(rpath, &options, &started, NULL);
	if (!row || strcmp(options, b->options) != 0)
		goto cleanup;
	/* I/O errors and crashes may not happen again: always retried */
	ex = cJSON_GetObjectItemCaseSensitive(row, "exit");
	if (!cJSON_IsNumber(ex) || ex->valueint >= LP_EXIT_IO)
		goto cleanup;
	if (ts_ge(&b->templates_mtime, &started))
		goto cleanup;
	if (!output_exists(b, json_get_str(row, "report")) || !output_exists(b, json_get_str(row, "packet")) ||
	    !output_exists(b, json_get_str(row, "zip")))
		goto cleanup;
	if (changed_since(dir, &started, 1, 0, b->a->f.check.max_depth))
		goto cleanup;
	ok = 1;
cleanup:
	if (!ok) {
		cJSON_Delete(row);
		row = NULL;
	}
	free(options);
	free(rpath);
	free(dir);
	return row;
}

/* The newest of the licpack binary (its built-in templates) and --templates DIR. */
void templates_time(const char *dir, struct timespec *m)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	m->tv_sec = 0;
	m->tv_nsec = 0;
	if (stat("/proc/self/exe", &st) != 0) {
		/* cannot tell how old the built-in templates are: nothing is up to date */
		m->tv_sec = (time_t)INT64_MAX / 2;
		return;
	}
	ts_max(m, &st.st_mtim);
	if (!dir)
		return;
	if (stat(dir, &st) == 0)
		ts_max(m, &st.st_mtim);
	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d)) != NULL) {
		char *p = lp_path_join(dir, de->d_name);
		if (p && de->d_name[0] != '.' && stat(p, &st) == 0)
			ts_max(m, &st.st_mtim);
		free(p);
	}
	closedir(d);
}

/* Everything besides the inputs that the outputs depend on. */
char *options_string(const batch *b)
{
	const batch_args *a = b->a;
	char today[16], *s, *upload, max_pdf[40] = "";

	date_format(a->f.check.today, today, sizeof today);
	if (a->f.max_pdf_bytes) /* only then: the string of a batch without volumes is as it was */
		snprintf(max_pdf, sizeof max_pdf, " max-pdf=%llu", (unsigned long long)a->f.max_pdf_bytes);
	/* the upload folder's options */
	upload = lp_strdupf(" portal=%s profiles=%s max-file=%llu max-pixels-upload=%llu id-layout=%s%s",
			    a->f.no_upload ? "none" : a->f.check.portal ? a->f.check.portal : "-", a->f.check.profiles_dir ? a->f.check.profiles_dir : "-",
			    (unsigned long long)a->f.check.upload_max_bytes, (unsigned long long)a->f.check.upload_max_pixels,
			    a->f.id_separate ? "separate" : "together", max_pdf);
	if (!upload)
		return NULL;
	s = lp_strdupf("v1 root=%s check-only=%d allow-incomplete=%d watermark=%d zip-names=%s "
			  "template=%s region=%s templates=%s lang=%s today=%s max-pixels=%llu max-depth=%d font=%s#%d thumbnails=%d "
			  "read=%s",
			  a->root, a->check_only, a->f.allow_incomplete, !a->f.no_watermark,
			  a->f.ascii_names ? "ascii" : "zh", a->f.check.template_id ? a->f.check.template_id : "-",
			  a->f.check.region ? a->f.check.region : "-", a->f.templates_dir ? a->f.templates_dir : "-",
			  b->lang == LANG_ZH ? "zh" : "en", today, (unsigned long long)a->f.check.max_pixels,
			  a->f.check.max_depth, b->font ? b->font : "-", b->font_index, !a->f.no_thumbnails,
			  /* reading on, off or without its data: results differ */
			  !a->f.check.read ? "off" : a->f.read.rd ? reader_version(a->f.read.rd) : "unavailable");
	if (s) {
		char *all = lp_strdupf("%s%s", s, upload);
		free(s);
		s = all;
	}
	free(upload);
	return s;
}

/* ---- one applicant, in the child ---- */

/* The row of an applicant that failed before or outside its job (crash,
 * no result): company, template and region from its packet.json. Caller
 * frees; NULL when out of memory. */
cJSON *failed_row(const batch *b, const entry *e, const char *message)
{
	char *dir = lp_path_join(b->a->root, e->name);
	finding_list fl = { 0 };
	applicant app;
	summary_row_in in;
	cJSON *row;

	memset(&app, 0, sizeof app);
	if (dir)
		applicant_load(dir, &app, &fl);
	memset(&in, 0, sizeof in);
	in.applicant = e->out;
	in.company = app.company_name;
	in.template_id = app.template_id ? app.template_id : b->a->f.check.template_id;
	in.region = app.region ? app.region : b->a->f.check.region;
	in.exit_code = LP_EXIT_IO;
	in.message = message;
	in.lang = b->lang;
	row = summary_row_new(&in);
	applicant_release(&app);
	findings_release(&fl);
	free(dir);
	return row;
}

/* Run applicant e (its folder e->name, its outputs under e->out, which no
 * ID number is in); write its result file. Returns its exit code. */
static int run_applicant(const batch *b, const entry *e)
{
	const batch_args *a = b->a;
	const char *name = e->out;
	char *dir = lp_path_join(a->root, e->name), *outdir = lp_path_join(a->outdir, name);
	char *rpath = lp_strdupf("%s/%s/%s", a->outdir, name, SUMMARY_RESULT_FILE);
	const char *crash = getenv("LICPACK_TEST_CRASH");
	finding_list fl = { 0 };
	applicant app;
	packet_job job;
	packet_job_result res;
	summary_row_in in;
	struct timespec started;
	lp_err err = { 0 };
	lp_err werr = { 0 };
	cJSON *row = NULL;
	DIR *probe;
	int code;

	now_fs(&started);
	memset(&app, 0, sizeof app);
	memset(&res, 0, sizeof res);
	if (!dir || !outdir || !rpath) {
		lp_error(TR("out of memory", "内存不足"));
		code = LP_EXIT_IO;
		goto cleanup;
	}
	/* for the test suite only: a child that dies of a signal */
	if (crash && strcmp(crash, e->name) == 0)
		kill(getpid(), SIGKILL);
	/* A folder that cannot be listed fails here, as an I/O error: the check
	 * would first miss its packet.json and call it a template problem. */
	if (!(probe = opendir(dir))) {
		lp_fail_sys(&err, LP_E_READ, errno, dir);
		code = LP_EXIT_IO;
		goto record;
	}
	closedir(probe);
	/* packet.json's template and region win; the flags are the defaults */
	applicant_load(dir, &app, &fl);
	memset(&job, 0, sizeof job);
	job.set = b->set;
	job.dir = dir;
	job.outdir = outdir;
	job.name = name;
	job.check = a->f.check;
	job.check.template_id = app.template_id ? NULL : a->f.check.template_id;
	job.check.region = app.region ? NULL : a->f.check.region;
	job.lang = b->lang;
	job.check_only = a->check_only;
	job.allow_incomplete = a->f.allow_incomplete;
	job.no_watermark = a->f.no_watermark;
	job.id_separate = a->f.id_separate;
	job.no_upload = a->f.no_upload;
	job.max_pdf_bytes = a->f.max_pdf_bytes;
	job.no_thumbnails = a->f.no_thumbnails;
	job.sync = a->f.sync;
	job.force = a->force;
	job.ascii_names = a->f.ascii_names;
	job.font = b->font;
	job.font_index = b->font_index;
	code = packet_job_run(&job, &res, &err);
record:
	memset(&in, 0, sizeof in);
	in.applicant = name;
	in.company = app.company_name;
	in.template_id = app.template_id ? app.template_id : a->f.check.template_id;
	in.region = app.region ? app.region : a->f.check.region;
	in.exit_code = code;
	in.r = res.checked ? &res.r : NULL;
	in.reports_written = res.reports_written;
	in.packet_written = res.packet_written;
	in.pdf_name = res.pdf[0] ? res.pdf : NULL;
	in.message = msg_err(&err);
	in.lang = b->lang;
	if (!(row = summary_row_new(&in))) {
		lp_error(TR("'%s': out of memory", "'%s'：内存不足"), name);
		code = LP_EXIT_IO;
	} else if (summary_result_write(rpath, b->options, &started, row, a->f.sync, &werr) != 0) {
		/* the parent records the applicant as failed; say why here */
		lp_error(TR("'%s': %s", "'%s'：%s"), name, msg_err(&werr));
		code = LP_EXIT_IO;
	}
cleanup:
	cJSON_Delete(row);
	packet_job_result_release(&res);
	applicant_release(&app);
	findings_release(&fl);
	free(dir);
	free(outdir);
	free(rpath);
	return code;
}

/* ---- the run ---- */

static void note_row(runner *rn, size_t i, const cJSON *row, int skipped)
{
	entry *e = &rn->b->e[i];
	int errors = 0, warnings = 0, st = summary_row_status(row, &errors, &warnings);

	e->state = E_DONE;
	e->status = st == 0 ? S_COMPLETE : st == 1 ? S_INCOMPLETE : S_FAILED;
	e->skipped = (unsigned char)skipped;
	progress_item(&rn->prog, e->out, e->status, errors, warnings, skipped, json_get_str(row, "message"));
}

/* Applicant i failed outside its job: record it (result file, or memory). */
static void note_failure(runner *rn, size_t i, const struct timespec *started, const char *message)
{
	batch *b = rn->b;
	entry *e = &b->e[i];
	char *rpath = lp_strdupf("%s/%s/%s", b->a->outdir, e->out, SUMMARY_RESULT_FILE);
	cJSON *row = failed_row(b, e, message);
	lp_err err = { 0 };

	if (!rpath || !row || summary_result_write(rpath, b->options, started, row, b->a->f.sync, &err) != 0)
		e->message = strdup(message);
	e->state = E_DONE;
	e->status = S_FAILED;
	progress_item(&rn->prog, e->out, S_FAILED, 0, 0, 0, message);
	cJSON_Delete(row);
	free(rpath);
}

/* Start applicant i. Returns 0 (started, or finished already), or -1 when no
 * process could be made now and others are running (try again later). */
static int start(runner *rn, size_t i)
{
	batch *b = rn->b;
	entry *e = &b->e[i];
	char *outdir = lp_path_join(b->a->outdir, e->out);
	char *rpath = lp_strdupf("%s/%s/%s", b->a->outdir, e->out, SUMMARY_RESULT_FILE);
	char msg[1024];
	lp_err err = { 0 };
	struct timespec started;
	pid_t pid;
	size_t s;
	int ret = 0, claim;

	now_fs(&started);
	if (!outdir || !rpath) {
		note_failure(rn, i, &started, TR("out of memory", "内存不足"));
		goto cleanup;
	}
	/* made, or an existing one taken as licpack's (output.h): a folder of
	 * someone else's files is refused before anything is written there,
	 * the result file included */
	if ((claim = output_dir_claim(outdir, b->a->force, &err)) != OUTPUT_DIR_OK) {
		if (claim == OUTPUT_DIR_NOT_OURS)
			packet_job_not_ours(outdir, &err);
		snprintf(msg, sizeof msg, "%s", msg_err(&err));
		e->state = E_DONE;
		e->status = S_FAILED;
		e->message = strdup(msg);
		progress_item(&rn->prog, e->out, S_FAILED, 0, 0, 0, msg);
		goto cleanup;
	}
	/* the result says the outputs are current: it goes first, comes back last */
	if (unlink(rpath) != 0 && errno != ENOENT) {
		snprintf(msg, sizeof msg, TR("cannot remove '%s': %s", "无法删除 '%s'（%s）"), rpath, msg_strerror(errno));
		note_failure(rn, i, &started, msg);
		goto cleanup;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		if (rn->running > 0) {
			ret = -1;
			goto cleanup;
		}
		snprintf(msg, sizeof msg, TR("cannot start a process: %s", "无法启动子进程（%s）"), msg_strerror(errno));
		note_failure(rn, i, &started, msg);
		goto cleanup;
	}
	if (pid == 0) {
		int code;
		/* (what the child does not need, freed so that valgrind's leak check
		 * at its _exit sees nothing lost) */
		free(outdir);
		free(rpath);
		/* the child takes signals as any program does */
		signal(SIGCHLD, SIG_DFL);
		if (sigismember(&rn->waitset, SIGINT))
			signal(SIGINT, SIG_DFL);
		if (sigismember(&rn->waitset, SIGTERM))
			signal(SIGTERM, SIG_DFL);
		sigprocmask(SIG_UNBLOCK, &rn->waitset, NULL);
		code = run_applicant(b, e);
		_exit(code);
	}
	for (s = 0; s < rn->n_slots && rn->slots[s].pid; s++)
		;
	rn->slots[s].pid = pid;
	rn->slots[s].index = i;
	rn->slots[s].started = started;
	rn->running++;
	e->state = E_RUNNING;
cleanup:
	free(outdir);
	free(rpath);
	return ret;
}

/* A child has ended with wait status ws. */
static void finished(runner *rn, pid_t pid, int ws)
{
	batch *b = rn->b;
	slot *sl = NULL;
	entry *e;
	char *outdir, *rpath, msg[768];
	lp_err err = { 0 };
	cJSON *row;
	size_t s;

	for (s = 0; s < rn->n_slots; s++)
		if (rn->slots[s].pid == pid)
			sl = &rn->slots[s];
	if (!sl)
		return;
	e = &b->e[sl->index];
	outdir = lp_path_join(b->a->outdir, e->out);
	rpath = lp_strdupf("%s/%s/%s", b->a->outdir, e->out, SUMMARY_RESULT_FILE);
	/* a child killed: its temporaries, unless another run holds the
	 * folder now (and has removed them itself) */
	if (WIFSIGNALED(ws) && outdir)
		output_dir_clean_if_idle(outdir);
	row = rpath ? summary_result_read(rpath, NULL, NULL, &err) : NULL;
	if (row) {
		/* a finished result counts even when the child was then stopped */
		note_row(rn, sl->index, row, 0);
	} else if (WIFSIGNALED(ws) && rn->stop && (WTERMSIG(ws) == SIGINT || WTERMSIG(ws) == SIGTERM)) {
		e->state = E_INTERRUPTED;
	} else {
		if (WIFSIGNALED(ws) && msg_lang() == LANG_ZH)
			snprintf(msg, sizeof msg, "崩溃：被信号 %d 终止", WTERMSIG(ws));
		else if (WIFSIGNALED(ws))
			snprintf(msg, sizeof msg, "crashed: killed by signal %d (%s)", WTERMSIG(ws), strsignal(WTERMSIG(ws)));
		else
			snprintf(msg, sizeof msg, TR("stopped with exit status %d and left no result (%s)",
						     "以退出码 %d 结束，但没有留下结果（%s）"),
				 WEXITSTATUS(ws), rpath ? msg_err(&err) : TR("out of memory", "内存不足"));
		note_failure(rn, sl->index, &sl->started, msg);
	}
	cJSON_Delete(row);
	free(outdir);
	free(rpath);
	sl->pid = 0;
	rn->running--;
}

void on_sigchld(int sig)
{
	(void)sig;  /* only to have SIGCHLD queued, not discarded */
}

/* Take every signal that is pending; wait up to timeout_ms for the first. */
static void take_signals(runner *rn, long timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	int sig;
	size_t s;

	while ((sig = sigtimedwait(&rn->waitset, NULL, &ts)) > 0 || (sig < 0 && errno == EINTR)) {
		ts.tv_sec = 0;
		ts.tv_nsec = 0;
		if (sig != SIGINT && sig != SIGTERM)
			continue;
		if (!rn->stop)
			rn->stop = sig;
		for (s = 0; s < rn->n_slots; s++)
			if (rn->slots[s].pid)
				kill(rn->slots[s].pid, sig);
	}
}

static void reap(runner *rn)
{
	pid_t pid;
	int ws;

	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
		finished(rn, pid, ws);
}

/* Start, wait, reap until every applicant is done or a signal stops the run. */
void run_all(runner *rn)
{
	batch *b = rn->b;
	size_t next = 0;

	for (;;) {
		while (!rn->stop && rn->running < rn->n_slots && next < b->n) {
			cJSON *row = b->a->force ? NULL : up_to_date(b, next);
			if (row) {
				note_row(rn, next++, row, 1);
				cJSON_Delete(row);
				continue;
			}
			if (start(rn, next) != 0)
				break;
			next++;
		}
		if (rn->running == 0 && (rn->stop || next >= b->n))
			break;
		take_signals(rn, rn->running ? 250 : 0);
		reap(rn);
		progress_draw(&rn->prog, 0);
	}
	/* a signal that came during the last step still stops the run */
	take_signals(rn, 0);
}

