/*
 * packet_job: check one applicant folder, write its reports and its packet
 * (see packet_job.h). What `build` does, minus the command line; `batch` runs
 * the same function in a child process per applicant.
 */
#include "cmd/packet_job.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "packet/atomic.h"
#include "packet/ident.h"
#include "packet/manifest.h"
#include "packet/zipout.h"
#include "pdf/font.h"
#include "pdf/packet_pdf.h"

#include "cmd/msg.h"

/* An error that came back from packet/ or pdf/ in err, put into the message
 * language in place (msg_lib), so that err is one language throughout. */
static void lib_err(char *err, size_t errlen, const char *fallback_zh)
{
	char buf[2048];
	const char *t;

	if (!errlen || !err[0])
		return;
	t = msg_lib(err, fallback_zh, buf, sizeof buf);
	if (t != err)
		snprintf(err, errlen, "%s", t);
}

/* Make outdir (0700) and refuse one inside the applicant folder: the next
 * check would read our own outputs as materials. */
static lp_exit prepare_outdir(const char *outdir, const char *dir, char *err, size_t errlen)
{
	char *ro = NULL, *rd = NULL;
	lp_exit ret = LP_EXIT_IO;
	size_t n;

	if (mkdir(outdir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, TR("cannot create '%s': %s", "无法创建 '%s'（%s）"), outdir, msg_strerror(errno));
		return LP_EXIT_IO;
	}
	ro = realpath(outdir, NULL);
	rd = realpath(dir, NULL);
	if (!ro || !rd) {
		snprintf(err, errlen, TR("cannot resolve '%s': %s", "无法解析路径 '%s'（%s）"), ro ? dir : outdir,
			 msg_strerror(errno));
		goto cleanup;
	}
	n = strlen(rd);
	if (strcmp(ro, rd) == 0 || (strncmp(ro, rd, n) == 0 && ro[n] == '/')) {
		snprintf(err, errlen, TR("'%s': the output folder must not be inside the applicant folder",
					 "'%s'：输出文件夹不能放在申请材料文件夹里面（请用 -o 指定别处）"), outdir);
		ret = LP_EXIT_USAGE;
		goto cleanup;
	}
	ret = LP_EXIT_OK;
cleanup:
	free(ro);
	free(rd);
	return ret;
}

/* Remove what an earlier build of this packet left behind when it was
 * killed (SIGKILL gives it no chance to clean up): its temporary files in
 * OUTDIR hold personal data. Only names this build itself would use. */
static void remove_stale_temporaries(const char *outdir, const char *name)
{
	char *prefixes[8] = {
		lp_strdupf("%s.zip.tmp-", name), lp_strdupf(".%s.pdf.", name), lp_strdupf(".%s.cover.pdf", name),
		lp_strdupf("..%s.cover.pdf.", name), strdup("manifest.json.tmp-"), strdup("report.json.tmp-"),
		strdup("report.txt.tmp-"), strdup(".result.json.tmp-"),
	};
	DIR *d = opendir(outdir);
	struct dirent *de;
	size_t i;

	while (d && (de = readdir(d))) {
		struct stat st;
		char *path;
		int match = 0;
		for (i = 0; i < 8; i++)
			match |= prefixes[i] && strncmp(de->d_name, prefixes[i], strlen(prefixes[i])) == 0;
		if (!match || !(path = lp_path_join(outdir, de->d_name)))
			continue;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	for (i = 0; i < 8; i++)
		free(prefixes[i]);
}

static lp_exit write_output(const char *outdir, const char *name, const char *text, int sync, char *err,
			    size_t errlen)
{
	char *path = lp_path_join(outdir, name);
	int r;

	if (!path) {
		snprintf(err, errlen, "%s", TR("out of memory", "内存不足"));
		return LP_EXIT_IO;
	}
	r = atomic_write_file(path, text, strlen(text), sync, err, errlen);
	free(path);
	if (r != 0)
		lib_err(err, errlen, "无法写入输出文件");
	return r != 0 ? LP_EXIT_IO : LP_EXIT_OK;
}

/* The zip's entry time: SOURCE_DATE_EPOCH, else the newest input's mtime, so
 * that the same inputs give the same bytes. */
static time_t zip_time(const check_result *r)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (sde && sde[0]) {
		long long t = strtoll(sde, &end, 10);
		if (!*end && t >= 0)
			return (time_t)t;
	}
	return r->newest_mtime > 0 ? (time_t)r->newest_mtime : 315532800; /* 1980-01-01 */
}

/* Asking fontconfig for the font (7 ms here, its configuration parsed
 * anew) goes on beside the check, whose threads wait on the disk and on
 * each other now and then. */
typedef struct {
	pthread_t tid;
	int started;
	int found;            /* 0 found; -1 none */
	char path[PATH_MAX];
	int index;
} font_search;

static void *font_search_run(void *arg)
{
	font_search *fs = arg;
	fs->found = cjk_font_find(fs->path, sizeof fs->path, &fs->index);
	return NULL;
}

static void font_search_start(font_search *fs)
{
	fs->started = pthread_create(&fs->tid, NULL, font_search_run, fs) == 0;
}

/* The font's path and index: 0, or -1 when fontconfig knows none. */
static int font_search_wait(font_search *fs, char *path, size_t len, int *index)
{
	if (fs->started) {
		pthread_join(fs->tid, NULL);
		fs->started = 0;
	} else {
		font_search_run(fs);
	}
	if (fs->found != 0 || strlen(fs->path) >= len)
		return -1;
	snprintf(path, len, "%s", fs->path);
	*index = fs->index;
	return 0;
}

typedef struct {
	const packet_job *job;
	const check_result *r;
	char **names;         /* packet name per checked file */
	char date[16];
	font_search *font;    /* NULL with job->font */
} packet_ctx;

/* A material's bytes for the zip, read again at commit when the check did
 * not keep them (check_file_bytes verifies they are the ones hashed). */
typedef struct {
	const check_result *r;
	size_t i;
	lp_buffer *scratch;
} zip_file;

static int load_for_zip(void *arg, const uint8_t **data, size_t *len, char *err, size_t errlen)
{
	const zip_file *zf = arg;
	return check_file_bytes(zf->r, zf->i, zf->scratch, data, len, err, errlen);
}

/* The zip, left in its temporary file (*tmp, for write_packet to rename):
 * the cover from memory, the materials, manifest.json. */
static int write_zip(const packet_ctx *p, const uint8_t *cover, size_t cover_len, const char *manifest,
		     char **tmp, char *err, size_t errlen)
{
	char *zpath = lp_strdupf("%s/%s.zip", p->job->outdir, p->job->name);
	zipout *z = NULL;
	lp_buffer scratch = { NULL, 0 };
	zip_file *zf = calloc(p->r->n_files + 1, sizeof *zf);
	size_t i;
	int ret = -1;

	if (!zpath || !zf) {
		snprintf(err, errlen, "%s", TR("out of memory", "内存不足"));
		goto cleanup;
	}
	if (zipout_open(&z, zpath, zip_time(p->r), err, errlen) != 0)
		goto cleanup;
	zipout_set_sync(z, p->job->sync);
	if (zipout_add_borrowed(z, packet_cover_name(p->job->ascii_names), cover, cover_len, ZIPOUT_STORE, err,
				errlen) != 0)
		goto abort;
	/* The materials go in from the bytes the check read and hashed: those
	 * it kept, not read from disk again, and the others read again at
	 * commit, one at a time, their hashes checked: exactly what the
	 * manifest's SHA-256 describes even if a file changes meanwhile. */
	for (i = 0; i < p->r->n_files; i++) {
		const checked_file *f = &p->r->files[i];
		zipout_method how = zipout_method_for_name(p->names[i]);
		int r;
		if (!pdf_file_included(f))
			continue;
		zf[i].r = p->r;
		zf[i].i = i;
		zf[i].scratch = &scratch;
		r = f->data ? zipout_add_borrowed(z, p->names[i], f->data, f->len, how, err, errlen)
			    : zipout_add_loaded(z, p->names[i], f->bytes, load_for_zip, &zf[i], how, err, errlen);
		if (r != 0)
			goto abort;
	}
	if (zipout_add_buffer(z, "manifest.json", manifest, strlen(manifest), ZIPOUT_DEFLATE, err, errlen) != 0)
		goto abort;
	ret = zipout_commit_aside(z, tmp, err, errlen);
	z = NULL;
	if (ret != 0)
		lib_err(err, errlen, "无法生成 zip 压缩包");
	goto cleanup;
abort:
	lib_err(err, errlen, "无法生成 zip 压缩包");
	zipout_abort(z);
cleanup:
	free(scratch.data);
	free(zf);
	free(zpath);
	return ret;
}

/* The cover, handed from the PDF's thread (pdf_packet_job.cover_ready, as
 * soon as its pages are drawn) to the zip's, which waits for it: one
 * rendering serves the PDF's first pages and the zip's 00_封面.pdf. */
typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	int done;      /* the PDF's thread has handed it over */
	uint8_t *pdf;  /* NULL: the PDF failed before its cover */
	size_t len;
	int pages;
} cover_handoff;

static void cover_handoff_put(void *arg, uint8_t *pdf, size_t len, int pages)
{
	cover_handoff *h = arg;

	pthread_mutex_lock(&h->lock);
	h->pdf = pdf;
	h->len = len;
	h->pages = pages;
	h->done = 1;
	pthread_cond_signal(&h->ready);
	pthread_mutex_unlock(&h->lock);
}

/* The cover, once handed over (the caller frees *pdf); 0, or -1 when the
 * PDF failed before it. */
static int cover_handoff_take(cover_handoff *h, uint8_t **pdf, size_t *len, int *pages)
{
	pthread_mutex_lock(&h->lock);
	while (!h->done)
		pthread_cond_wait(&h->ready, &h->lock);
	*pdf = h->pdf;
	*len = h->len;
	*pages = h->pages;
	h->pdf = NULL;
	pthread_mutex_unlock(&h->lock);
	return *pdf != NULL ? 0 : -1;
}

/* The cover (from the PDF's thread), manifest.json and the zip: one of the
 * two halves of a packet, which write_packet runs beside the other, the
 * packet PDF. What it writes is left in temporary files for write_packet
 * to rename. */
typedef struct {
	packet_ctx *p;
	const pdf_packet_job *pj;
	cover_handoff *cover;
	atomic_file manifest;  /* written, not committed */
	char *zip_tmp;
	int ok;
	char err[1024];
} zip_half;

static void *zip_half_run(void *arg)
{
	zip_half *h = arg;
	const packet_job *job = h->p->job;
	uint8_t *cover = NULL;
	size_t cover_len = 0;
	int cover_pages = 0;
	char *manifest = NULL, *mpath = NULL;

	h->err[0] = '\0';
	if (cover_handoff_take(h->cover, &cover, &cover_len, &cover_pages) != 0) {
		/* the PDF's own error is the one reported */
		snprintf(h->err, sizeof h->err, "%s", TR("cannot build the PDF", "无法生成 PDF"));
		goto cleanup;
	}
	manifest = manifest_json(h->p->r, job->ascii_names, h->p->date, cover_pages);
	mpath = lp_path_join(job->outdir, "manifest.json");
	if (!manifest || !mpath) {
		snprintf(h->err, sizeof h->err, "%s", TR("out of memory", "内存不足"));
		goto cleanup;
	}
	if (atomic_begin(&h->manifest, mpath, job->sync, h->err, sizeof h->err) != 0 ||
	    atomic_write(&h->manifest, manifest, strlen(manifest), h->err, sizeof h->err) != 0 ||
	    atomic_flush(&h->manifest, h->err, sizeof h->err) != 0) {
		lib_err(h->err, sizeof h->err, "无法写入输出文件");
		goto cleanup;
	}
	if (write_zip(h->p, cover, cover_len, manifest, &h->zip_tmp, h->err, sizeof h->err) != 0)
		goto cleanup;
	h->ok = 1;
cleanup:
	free(cover);
	free(manifest);
	free(mpath);
	return NULL;
}

typedef struct {
	const char *from, *to;
	int err;
} renaming;

static void *rename_run(void *arg)
{
	renaming *r = arg;
	r->err = rename(r->from, r->to) == 0 ? 0 : errno;
	return NULL;
}

/* The packet: the PDF on this thread, and beside it (zip_half_run) the
 * cover, manifest.json and the zip, which do not depend on the PDF; with
 * two CPUs or more the two halves take the time of the longer one. Every
 * file is written aside (and with --sync flushed to disk), and only when
 * all of them are whole are they renamed into place, the folder flushed
 * last with --sync: a packet never mixes files of two builds because one
 * failed. */
static lp_exit write_packet(packet_ctx *p, char *err, size_t errlen)
{
	const packet_job *job = p->job;
	const check_result *r = p->r;
	pdf_packet_job pj;
	zip_half zh;
	cover_handoff cover;
	pthread_t tid;
	int threaded;
	char font_path[PATH_MAX];
	char *pdf_path = NULL, *zip_path = NULL, *pdf_tmp = NULL, *wm = NULL;
	int font_index = 0, pdf_ok;
	lp_exit ret = LP_EXIT_IO;

	memset(&zh, 0, sizeof zh);
	zh.manifest.fd = -1;
	if (job->font) {
		snprintf(font_path, sizeof font_path, "%s", job->font);
		font_index = job->font_index;
	} else if (font_search_wait(p->font, font_path, sizeof font_path, &font_index) != 0) {
		snprintf(err, errlen, "%s",
			 TR("no Chinese font found: install one (apt-get install fonts-wqy-microhei) or give --font PATH",
			    "找不到中文字体：请安装一种（apt-get install fonts-wqy-microhei），或用 --font PATH 指定字体文件"));
		return LP_EXIT_IO;
	}
	wm = lp_strdupf("%s %s", r->tpl->purpose.zh ? r->tpl->purpose.zh : r->tpl->title.zh, p->date);
	pdf_path = lp_strdupf("%s/%s.pdf", job->outdir, job->name);
	zip_path = lp_strdupf("%s/%s.zip", job->outdir, job->name);
	if (!wm || !pdf_path || !zip_path) {
		snprintf(err, errlen, "%s", TR("out of memory", "内存不足"));
		goto cleanup;
	}
	memset(&pj, 0, sizeof pj);
	pj.r = r;
	pj.font_path = font_path;
	pj.font_index = font_index;
	pj.watermark = r->tpl->watermark && !job->no_watermark;
	pj.watermark_text = wm;
	pj.incomplete = !r->complete;
	pj.build_date = p->date;
	pj.packet_names = p->names;
	pj.title = job->name;
	pj.sync = job->sync;

	/* the cover, drawn once by the PDF's build, goes to the zip too */
	memset(&cover, 0, sizeof cover);
	pthread_mutex_init(&cover.lock, NULL);
	pthread_cond_init(&cover.ready, NULL);
	pj.cover_ready = cover_handoff_put;
	pj.cover_arg = &cover;
	zh.p = p;
	zh.pj = &pj;
	zh.cover = &cover;
	threaded = pthread_create(&tid, NULL, zip_half_run, &zh) == 0;
	pdf_ok = pdf_write_packet_aside(&pj, pdf_path, &pdf_tmp, NULL, err, errlen) == 0;
	if (!pdf_ok)
		lib_err(err, errlen, "无法生成 PDF");
	if (threaded)
		pthread_join(tid, NULL);
	else
		zip_half_run(&zh); /* no thread to be had: one after the other */
	pthread_cond_destroy(&cover.ready);
	pthread_mutex_destroy(&cover.lock);
	if (pdf_ok && !zh.ok)
		snprintf(err, errlen, "%s", zh.err);
	if (!pdf_ok || !zh.ok)
		goto cleanup;

	/* all whole: into place. Renaming over the previous packet frees its
	 * files (16 MB each for a dozen scans, some 12 ms apiece here): the
	 * zip's rename on a thread of its own, beside the PDF's. */
	{
		renaming zr = { zh.zip_tmp, zip_path, 0 };
		int zr_threaded = pthread_create(&tid, NULL, rename_run, &zr) == 0;
		int pdf_errno = rename(pdf_tmp, pdf_path) == 0 ? 0 : errno;
		if (zr_threaded)
			pthread_join(tid, NULL);
		else
			rename_run(&zr);
		if (pdf_errno == 0) {
			free(pdf_tmp);
			pdf_tmp = NULL;
		}
		if (zr.err == 0) {
			free(zh.zip_tmp);
			zh.zip_tmp = NULL;
		}
		if (pdf_errno != 0 || zr.err != 0) {
			snprintf(err, errlen, TR("cannot write '%s': %s", "无法写入 '%s'（%s）"),
				 pdf_errno ? pdf_path : zip_path, msg_strerror(pdf_errno ? pdf_errno : zr.err));
			goto cleanup;
		}
	}
	/* last: with --sync its rename fsyncs the folder, which makes all
	 * three durable */
	if (atomic_commit(&zh.manifest, err, errlen) != 0) {
		lib_err(err, errlen, "无法写入输出文件");
		goto cleanup;
	}
	if (job->out)
		fprintf(job->out, "%s/%s.pdf\n%s/%s.zip\n%s/manifest.json\n", job->outdir, job->name,
			job->outdir, job->name, job->outdir);
	ret = LP_EXIT_OK;
cleanup:
	if (pdf_tmp) {
		unlink(pdf_tmp);
		free(pdf_tmp);
	}
	if (zh.zip_tmp) {
		unlink(zh.zip_tmp);
		free(zh.zip_tmp);
	}
	atomic_abort(&zh.manifest);
	free(wm);
	free(pdf_path);
	free(zip_path);
	return ret;
}

lp_exit packet_job_run(const packet_job *job, packet_job_result *res, char *err, size_t errlen)
{
	check_options opt = job->check;
	packet_ctx p;
	font_search fs;
	char *text = NULL, *json = NULL;
	size_t i;
	lp_exit ret;

	memset(res, 0, sizeof *res);
	memset(&p, 0, sizeof p);
	memset(&fs, 0, sizeof fs);
	if (errlen)
		err[0] = '\0';
	if (!job->check_only && !job->font) {
		font_search_start(&fs);
		p.font = &fs;
	}
	/* the packet embeds each file's bytes as they were checked */
	opt.keep_data = !job->check_only;
	ret = check_folder(job->set, job->dir, &opt, &res->r, err, errlen);
	if (ret != LP_EXIT_OK) {
		lib_err(err, errlen, "无法检查该文件夹");
		goto cleanup;
	}
	res->checked = 1;
	if ((ret = prepare_outdir(job->outdir, job->dir, err, errlen)) != LP_EXIT_OK)
		goto cleanup;
	remove_stale_temporaries(job->outdir, job->name);
	text = report_text(&res->r, job->dir, job->lang, 0);
	json = report_json(&res->r, job->dir, job->lang);
	if (!text || !json) {
		snprintf(err, errlen, "%s", TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = write_output(job->outdir, "report.json", json, job->sync, err, errlen)) != LP_EXIT_OK ||
	    (ret = write_output(job->outdir, "report.txt", text, job->sync, err, errlen)) != LP_EXIT_OK)
		goto cleanup;
	res->reports_written = 1;
	if (job->out && job->colour) {
		char *shown = report_text(&res->r, job->dir, job->lang, 1);
		fputs(shown ? shown : text, job->out);
		free(shown);
	} else if (job->out) {
		fputs(text, job->out);
	}
	if (job->check_only) {
		ret = res->r.complete ? LP_EXIT_OK : LP_EXIT_INCOMPLETE;
		goto cleanup;
	}
	if (!res->r.complete && !job->allow_incomplete) {
		snprintf(err, errlen,
			 TR("'%s': incomplete; no packet written (see %s/report.txt; --allow-incomplete builds anyway)",
			    "'%s'：材料不全，未生成材料包（见 %s/report.txt；--allow-incomplete 可强制生成）"),
			 job->dir, job->outdir);
		ret = LP_EXIT_INCOMPLETE;
		goto cleanup;
	}
	p.job = job;
	p.r = &res->r;
	date_format(job->check.today, p.date, sizeof p.date);
	p.names = calloc(res->r.n_files + 1, sizeof *p.names);
	for (i = 0; p.names && i < res->r.n_files; i++)
		if (!(p.names[i] = packet_file_name(&res->r, i, job->ascii_names)))
			break;
	if (!p.names || i < res->r.n_files) {
		snprintf(err, errlen, "%s", TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = write_packet(&p, err, errlen)) != LP_EXIT_OK)
		goto cleanup;
	res->packet_written = 1;
	ret = res->r.complete ? LP_EXIT_OK : LP_EXIT_INCOMPLETE;
cleanup:
	if (fs.started) /* no packet after all: the search is not needed */
		pthread_join(fs.tid, NULL);
	for (i = 0; p.names && i < res->r.n_files; i++)
		free(p.names[i]);
	free(p.names);
	free(text);
	free(json);
	return ret;
}

void packet_job_result_release(packet_job_result *res)
{
	check_result_release(&res->r);
	memset(res, 0, sizeof *res);
}
