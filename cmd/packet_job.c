/*
 * packet_job: check one applicant folder, write its reports and its packet
 * (see packet_job.h). What `build` does, minus the command line; `batch` runs
 * the same function in a child process per applicant.
 */
#include "cmd/packet_job_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "packet/ident.h"
#include "packet/manifest.h"
#include "packet/output.h"
#include "packet/upload.h"
#include "packet/volume.h"
#include "packet/zipout.h"
#include "pdf/font.h"
#include "pdf/packet_pdf.h"
#include "pdf/report_page.h"
#include "pdf/upload_write.h"

#include "cmd/msg.h"

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
	int done;             /* found (or not): font_search_wait answers from here */
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
	} else if (!fs->done) {
		font_search_run(fs);
	}
	fs->done = 1;
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
	volume_plan vols;     /* --max-pdf-mb: the volumes (n_volumes 0: one PDF) */
	double *scale;        /* per material: of the volumes' estimates (volume.h) */
	int replan;           /* set by write_packet when a volume came out over the
			       * limit: scale raised, plan again */
	finding_list late;    /* set by write_packet: too-big findings of upload
			       * files that could not be fitted though the check
			       * expected they could (its estimate missed) */
	char *pdf;            /* packet_job_result.pdf, set when the packet is in place */
	size_t pdf_len;
} packet_ctx;

/* A material's bytes for the zip, read again at commit when the check did
 * not keep them (check_file_bytes verifies they are the ones hashed). */
typedef struct {
	const check_result *r;
	size_t i;
	lp_buffer *scratch;
} zip_file;

static int load_for_zip(void *arg, const uint8_t **data, size_t *len, lp_err *err)
{
	const zip_file *zf = arg;
	return check_file_bytes(zf->r, zf->i, zf->scratch, data, len, err);
}

/* The zip, into its output_file zf (committed by write_packet): the cover
 * from memory, the materials, manifest.json. */
static int write_zip(const packet_ctx *p, const uint8_t *cover, size_t cover_len, const char *manifest,
		     output_file *zout, lp_err *err)
{
	zipout *z = NULL;
	lp_buffer scratch = { NULL, 0 };
	zip_file *zf = calloc(p->r->n_files + 1, sizeof *zf);
	size_t i;
	int ret = -1;

	if (!zf) {
		lp_nomem(err);
		goto cleanup;
	}
	if (zipout_open_into(&z, zout, zip_time(p->r), err) != 0)
		goto fail;
	if (zipout_add_borrowed(z, packet_cover_name(p->job->ascii_names), cover, cover_len, ZIPOUT_STORE, err) != 0)
		goto fail;
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
		r = f->data ? zipout_add_borrowed(z, p->names[i], f->data, f->len, how, err)
			    : zipout_add_loaded(z, p->names[i], f->bytes, load_for_zip, &zf[i], how, err);
		if (r != 0)
			goto fail;
	}
	if (zipout_add_buffer(z, "manifest.json", manifest, strlen(manifest), ZIPOUT_DEFLATE, err) != 0)
		goto fail;
	ret = zipout_close(z, err);
	z = NULL;
	if (ret == 0)
		goto cleanup;
fail:
	zipout_abort(z);
cleanup:
	free(scratch.data);
	free(zf);
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
 * packet PDF. Both files are left closed (verified, and flushed with
 * --sync), for write_packet to commit with the PDF. */
typedef struct {
	packet_ctx *p;
	const pdf_packet_job *pj;
	cover_handoff *cover;
	output_file *manifest, *zip;
	upload_plan *plan;    /* NULL: no upload folder (no portal) */
	output_tree *upload;
	thumb_mark mark;      /* the watermark of the upload's ID card copies */
	int ok;
	lp_err err;
} zip_half;

static void *zip_half_run(void *arg)
{
	zip_half *h = arg;
	const packet_job *job = h->p->job;
	uint8_t *cover = NULL;
	size_t cover_len = 0;
	int cover_pages = 0;
	char *manifest = NULL;
	int upload_ok;

	lp_error_clear(&h->err);
	/* the upload folder first, while the PDF's thread draws the cover:
	 * the manifest lists its files */
	upload_ok = !h->plan || upload_write(h->p->r, h->plan, h->upload, h->pj->watermark ? &h->mark : NULL, &h->err) == 0;
	if (cover_handoff_take(h->cover, &cover, &cover_len, &cover_pages) != 0) {
		/* the PDF's own error is the one reported */
		msg_text(&h->err, "cannot build the PDF", "无法生成 PDF");
		goto cleanup;
	}
	if (!upload_ok)
		goto cleanup;
	manifest = manifest_json_upload(h->p->r, job->ascii_names, h->p->date, cover_pages, h->plan,
					job->max_pdf_bytes ? &h->p->vols : NULL);
	if (!manifest) {
		lp_nomem(&h->err);
		goto cleanup;
	}
	if (output_write(h->manifest, manifest, strlen(manifest), &h->err) != 0 ||
	    output_close(h->manifest, &h->err) != 0)
		goto cleanup;
	if (write_zip(h->p, cover, cover_len, manifest, h->zip, &h->err) != 0)
		goto cleanup;
	if (output_close(h->zip, &h->err) != 0)
		goto cleanup;
	h->ok = 1;
cleanup:
	free(cover);
	free(manifest);
	return NULL;
}

/* The combined PDF on this thread: the whole packet into pdfs[0], or with
 * volumes each volume into pdfs[k - 1], one after the other (the first
 * hands its cover over to the zip). 1 when all are written and closed. */
static int write_pdfs(packet_ctx *p, pdf_packet_job *pj, output_file *pdfs, lp_err *err)
{
	const volume_plan *v = &p->vols;
	int k;

	if (v->n_volumes == 0)
		return pdf_write_packet_into(pj, &pdfs[0], NULL, err) == 0 &&
		       output_close(&pdfs[0], err) == 0;
	pj->n_volumes = v->n_volumes;
	pj->volume_of = v->of_material;
	pj->volume_names = v->names;
	pj->en = p->job->lang == LANG_EN;
	for (k = 1; k <= v->n_volumes; k++) {
		pj->volume = k;
		if (k > 1)
			pj->cover_ready = NULL; /* the zip's cover is the first volume's */
		if (pdf_write_packet_into(pj, &pdfs[k - 1], NULL, err) != 0 ||
		    output_close(&pdfs[k - 1], err) != 0)
			return 0;
	}
	return 1;
}

/* With --max-pdf-mb, after the PDFs are written: 0 when each is under the
 * limit or holds one material alone (volume-too-big said so); else 1, with
 * p->scale raised for the materials of those over it (volume.h), to plan
 * again; -1 when out of memory. */
static int pdfs_over(packet_ctx *p, const output_file *pdfs, size_t n)
{
	const volume_plan *v = &p->vols;
	uint64_t *bytes;
	int again;
	size_t k;

	if (!p->job->max_pdf_bytes || (v->n_volumes == 0 && v->n_groups <= 1))
		return 0;
	if (!(bytes = calloc(n, sizeof *bytes)))
		return -1;
	for (k = 0; k < n; k++) {
		struct stat st;
		bytes[k] = stat(pdfs[k].tmp_path, &st) == 0 ? (uint64_t)st.st_size : 0;
	}
	again = volume_plan_rescale(p->r, v, bytes, p->scale);
	free(bytes);
	return again;
}

/* With --max-pdf-mb, p->vols: the volumes of r at p->scale (a fresh plan
 * replaces the one before); volume-too-big findings with add_findings. */
static lp_exit plan_volumes(packet_ctx *p, check_result *r, int add_findings, lp_err *err)
{
	const packet_job *job = p->job;

	volume_plan_release(&p->vols);
	if (!job->max_pdf_bytes)
		return LP_EXIT_OK;
	if (volume_plan_make(r, job->max_pdf_bytes, p->scale, !job->id_separate, job->name, job->ascii_names,
			     add_findings, &p->vols) != 0) {
		lp_nomem(err);
		return LP_EXIT_IO;
	}
	return LP_EXIT_OK;
}

/* Into late, a too-big finding for each item of plan that could not be
 * fitted (upload_write left it out) when no too-big finding names its file
 * yet: the check judged it would fit. 0, or -1 when out of memory. */
static int unfit_findings(const check_result *r, const upload_plan *plan, finding_list *late)
{
	for (size_t i = 0; i < plan->n_items; i++) {
		const upload_item *it = &plan->items[i];
		const char *rel = it->unfit ? r->files[it->unfit_file].rel : NULL;
		/* not when the check said it, or this list did (the other side
		 * of an ID pair) */
		if (!rel || findings_name(&r->findings, "too-big", rel) || findings_name(late, "too-big", rel))
			continue;
		if (findings_add(late, "too-big", r->tpl->materials[it->material].id, rel,
				 lp_strdupf("%s; scan it again at a lower resolution or save it with more compression",
					    it->unfit->en),
				 lp_strdupf("%s；请降低分辨率重新扫描，或提高压缩率另存", it->unfit->zh)) != 0)
			return -1;
	}
	return 0;
}

/* The packet: the PDF on this thread, and beside it (zip_half_run) the
 * cover, manifest.json and the zip, which do not depend on the PDF; with
 * two CPUs or more the two halves take the time of the longer one. Every
 * file is written aside, verified (and with --sync flushed to disk) by
 * output.c, and only when all of them are whole are they renamed into
 * place as one step, the folder flushed last with --sync: a packet never
 * mixes files of two builds because one failed. */
/* (Longer than most: it owns every output file of the packet, from begin
 * to commit, and its one cleanup aborts whatever was not committed.) */
static lp_exit write_packet(packet_ctx *p, lp_err *err)
{
	const packet_job *job = p->job;
	const check_result *r = p->r;
	pdf_packet_job pj;
	zip_half zh;
	cover_handoff cover;
	pthread_t tid;
	int threaded;
	char font_path[PATH_MAX];
	char **pdf_paths = NULL, *zip_path = NULL, *man_path = NULL, *wm = NULL;
	size_t npdf = p->vols.n_volumes > 0 ? (size_t)p->vols.n_volumes : 1, k;
	output_file *pdfs = calloc(npdf, sizeof *pdfs), zip = { .fd = -1 }, man = { .fd = -1 };
	output_file **all = calloc(npdf + 2, sizeof *all);
	output_tree upload = { NULL, NULL, 0 };
	upload_plan plan;
	char *upload_path = NULL;
	int font_index = 0, pdf_ok;
	lp_exit ret = LP_EXIT_IO;

	memset(&zh, 0, sizeof zh);
	memset(&plan, 0, sizeof plan);
	pdf_paths = calloc(npdf, sizeof *pdf_paths);
	if (!pdfs || !all || !pdf_paths) {
		lp_nomem(err);
		goto cleanup;
	}
	for (k = 0; k < npdf; k++) {
		pdfs[k].fd = -1;
		all[k] = &pdfs[k];
	}
	all[npdf] = &zip;
	all[npdf + 1] = &man;
	if (job->font) {
		snprintf(font_path, sizeof font_path, "%s", job->font);
		font_index = job->font_index;
	} else if (font_search_wait(p->font, font_path, sizeof font_path, &font_index) != 0) {
		msg_text(err, "no Chinese font found: install one (apt-get install fonts-wqy-microhei) or give --font PATH",
			 "找不到中文字体：请安装一种（apt-get install fonts-wqy-microhei），或用 --font PATH 指定字体文件");
		goto cleanup;
	}
	wm = lp_strdupf("%s %s", r->tpl->purpose.zh ? r->tpl->purpose.zh : r->tpl->title.zh, p->date);
	for (k = 0; k < npdf; k++)
		if (!(pdf_paths[k] = p->vols.n_volumes ? lp_path_join(job->outdir, p->vols.names[k])
							: lp_strdupf("%s/%s.pdf", job->outdir, job->name)))
			break;
	zip_path = lp_strdupf("%s/%s.zip", job->outdir, job->name);
	man_path = lp_path_join(job->outdir, "manifest.json");
	upload_path = lp_path_join(job->outdir, "upload");
	if (r->portal && !job->no_upload) {
		const upload_overrides ov = { r->upload_max_bytes, r->upload_max_pixels };
		if (upload_plan_make(r, r->portal, &ov, job->ascii_names, !job->id_separate, &plan) != 0) {
			lp_nomem(err);
			goto cleanup;
		}
		zh.plan = &plan;
		zh.upload = &upload;
	}
	if (!wm || k < npdf || !zip_path || !man_path || !upload_path) {
		lp_nomem(err);
		goto cleanup;
	}
	for (k = 0; k < npdf; k++)
		if (output_begin(&pdfs[k], pdf_paths[k], job->sync, err) != 0)
			break;
	if (k < npdf || output_begin(&zip, zip_path, job->sync, err) != 0 ||
	    output_begin(&man, man_path, job->sync, err) != 0 ||
	    (zh.plan && output_tree_begin(&upload, upload_path, job->sync, err) != 0)) {
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
	pj.id_pairs = !job->id_separate;
	pj.sync = job->sync;

	/* the cover, drawn once by the PDF's build, goes to the zip too */
	memset(&cover, 0, sizeof cover);
	pthread_mutex_init(&cover.lock, NULL);
	pthread_cond_init(&cover.ready, NULL);
	pj.cover_ready = cover_handoff_put;
	pj.cover_arg = &cover;
	zh.p = p;
	zh.pj = &pj;
	zh.mark.text = wm;
	zh.mark.font_path = font_path;
	zh.mark.font_index = font_index;
	zh.manifest = &man;
	zh.zip = &zip;
	zh.cover = &cover;
	threaded = pthread_create(&tid, NULL, zip_half_run, &zh) == 0;
	pdf_ok = write_pdfs(p, &pj, pdfs, err);
	if (threaded)
		pthread_join(tid, NULL);
	else
		zip_half_run(&zh); /* no thread to be had: one after the other */
	pthread_cond_destroy(&cover.ready);
	pthread_mutex_destroy(&cover.lock);
	if (pdf_ok && !zh.ok)
		lp_error_copy(err, &zh.err);
	if (!pdf_ok || !zh.ok)
		goto cleanup;
	if (zh.plan && unfit_findings(r, &plan, &p->late) != 0) {
		lp_nomem(err);
		goto cleanup;
	}
	if (p->late.n) {
		msg_text(err, "an upload file could not be fitted", "有上传文件无法压缩到限制以内");
		goto cleanup; /* the caller takes the findings */
	}
	if ((p->replan = pdfs_over(p, pdfs, npdf)) != 0) {
		if (p->replan < 0)
			lp_nomem(err);
		else
			msg_text(err, "a volume of the PDF came out over --max-pdf-mb", "PDF 分册超过 --max-pdf-mb");
		p->replan = p->replan > 0;
		goto cleanup; /* the caller plans again */
	}
	/* all whole: into place, the folder flushed once with --sync */
	if (output_commit_all(all, npdf + 2, err) != 0 || (zh.plan && output_tree_commit(&upload, err) != 0)) {
		/* an upload folder that could not take its name: the packet
		 * just committed goes too (packet_job_run removes it) */
		goto cleanup;
	}
	remove_other_pdfs(job, &p->vols); /* an earlier build's other layout */
	snprintf(p->pdf, p->pdf_len, "%s", strrchr(pdf_paths[0], '/') + 1);
	for (k = 0; job->out && k < npdf; k++)
		fprintf(job->out, "%s\n", pdf_paths[k]);
	if (job->out)
		fprintf(job->out, "%s/%s.zip\n%s/manifest.json\n", job->outdir, job->name, job->outdir);
	if (job->out && zh.plan)
		fprintf(job->out, "%s/\n", upload_path);
	if (!zh.plan)
		remove_upload(job); /* --no-upload: none of an earlier build's stays beside this packet */
	ret = LP_EXIT_OK;
cleanup:
	for (k = 0; pdfs && k < npdf; k++)
		output_abort(&pdfs[k]);
	for (k = 0; pdf_paths && k < npdf; k++)
		free(pdf_paths[k]);
	free(pdf_paths);
	free(pdfs);
	free(all);
	output_abort(&zip);
	output_abort(&man);
	output_tree_abort(&upload);
	upload_plan_release(&plan);
	free(upload_path);
	free(wm);
	free(zip_path);
	free(man_path);
	return ret;
}

/* report.html made on a thread of its own while the packet is written:
 * its thumbnails cost decoding every scan (at 1/8), the PDF and the zip
 * only copying them, so the two share the machine well. */
typedef struct {
	pthread_t tid;
	int started;
	const check_result *r;
	report_page_opts po;
	char *html;
} html_bg;

static void *html_bg_run(void *arg)
{
	html_bg *h = arg;

	h->html = html_report_make(h->r, &h->po);
	return NULL;
}

/* The page: the thread's, or made now when no thread ran. Caller frees. */
static char *html_bg_take(html_bg *h)
{
	char *html;

	if (h->started) {
		pthread_join(h->tid, NULL);
		h->started = 0;
	} else if (!h->html) {
		h->html = html_report_make(h->r, &h->po);
	}
	html = h->html;
	h->html = NULL;
	return html;
}

/* An incomplete folder without --allow-incomplete: err says so. */
static lp_exit no_packet(const packet_job *job, lp_err *err)
{
	msg_fail(err, "'%s': incomplete; no packet written (see %s/report.txt; --allow-incomplete builds anyway)",
		 "'%s'：材料不全，未生成材料包（见 %s/report.txt；--allow-incomplete 可强制生成）", job->dir,
		 job->outdir);
	return LP_EXIT_INCOMPLETE;
}

/* The late findings of write_packet (upload files it could not fit) into
 * r, said on the output: the packet is incomplete now. LP_EXIT_OK to build
 * it again without those files (--allow-incomplete), else
 * LP_EXIT_INCOMPLETE with err saying no packet was written. */
static lp_exit take_late(packet_ctx *p, check_result *r, lp_err *err)
{
	const packet_job *job = p->job;

	for (size_t i = 0; i < p->late.n; i++) {
		finding *f = &p->late.v[i];
		for (size_t k = 0; k < r->n_files; k++)
			if (!strcmp(r->files[k].rel, f->file))
				r->files[k].errors++;
		if (job->out)
			fprintf(job->out, "    ✗ too-big: %s\n", job->lang == LANG_EN ? f->msg_en : f->msg_zh);
		if (findings_add(&r->findings, f->code, f->material, f->file, f->msg_en, f->msg_zh) != 0) {
			f->msg_en = f->msg_zh = NULL;
			findings_release(&p->late);
			lp_nomem(err);
			return LP_EXIT_IO;
		}
		f->msg_en = f->msg_zh = NULL; /* r's now */
	}
	findings_release(&p->late);
	r->complete = 0;
	return job->allow_incomplete ? LP_EXIT_OK : no_packet(job, err);
}

/* The packet; with --max-pdf-mb a volume over the limit after all (the
 * plan is an estimate) has the volumes planned again from what they
 * measured, a few times at most (*replanned then 1). A new plan has its
 * own volume-too-big findings: report.html, made from the findings on
 * its thread meanwhile, waits and is made again at the end. */
static lp_exit write_packet_fitted(packet_ctx *p, check_result *r, html_bg *hb, int *replanned, lp_err *err)
{
	lp_exit ret;
	int i;

	*replanned = 0;
	for (i = 0; (ret = write_packet(p, err)) != LP_EXIT_OK && (p->replan || p->late.n) && i < 4; i++) {
		*replanned = 1;
		if (hb->started)
			pthread_join(hb->tid, NULL);
		hb->started = 0;
		free(hb->html);
		hb->html = NULL;
		if (p->late.n && (ret = take_late(p, r, err)) != LP_EXIT_OK)
			break;
		if (p->replan) {
			p->replan = 0;
			if (plan_volumes(p, r, 1, err) != LP_EXIT_OK)
				break;
		}
	}
	return ret;
}

/* Per material of r (caller frees): 1 when a volume-too-big finding
 * names it. NULL when out of memory. */
static char *warned_materials(const check_result *r)
{
	char *w = calloc(r->tpl->n_materials + 1, 1);

	for (size_t i = 0; w && i < r->findings.n; i++)
		for (size_t m = 0; r->findings.v[i].material && m < r->tpl->n_materials; m++)
			if (!strcmp(r->findings.v[i].code, "volume-too-big") &&
			    !strcmp(r->findings.v[i].material, r->tpl->materials[m].id))
				w[m] = 1;
	return w;
}

/* After the volumes were planned again (their volume-too-big findings now
 * the final plan's): report.json and report.txt written again (*text and
 * *json replaced), and the findings of materials not warned of before
 * (warned: warned_materials() of the first plan) said on the output. */
static lp_exit report_replanned(const packet_job *job, const check_result *r, const char *warned, char **text,
				char **json, lp_err *err)
{
	char *now = warned_materials(r);

	free(*text);
	free(*json);
	*text = report_text(r, job->dir, job->lang, 0);
	*json = report_json(r, job->dir, job->lang);
	if (!now || !*text || !*json) {
		free(now);
		lp_nomem(err);
		return LP_EXIT_IO;
	}
	for (size_t i = 0; job->out && i < r->findings.n; i++)
		for (size_t m = 0; r->findings.v[i].material && m < r->tpl->n_materials; m++)
			if (now[m] && !(warned && warned[m]) && !strcmp(r->findings.v[i].code, "volume-too-big") &&
			    !strcmp(r->findings.v[i].material, r->tpl->materials[m].id))
				fprintf(job->out, "    ! volume-too-big: %s\n", finding_message(&r->findings.v[i], job->lang));
	free(now);
	return write_reports(job, *json, *text, err);
}

/* What packet_job_run carries from step to step; run_release frees it. */
typedef struct {
	const packet_job *job;
	packet_job_result *res;
	check_options opt;
	packet_ctx p;
	font_search fs;
	html_bg hb;
	char *text, *json, *html;
	char *warned;             /* with --max-pdf-mb: warned_materials() of the first plan */
	char font_path[PATH_MAX];
} job_run;

/* The check, the output folder claimed, and with a packet to come the
 * volumes planned: before the reports, as a material alone over the
 * limit is a finding (volume-too-big). */
static lp_exit run_check(job_run *j, lp_err *err)
{
	const packet_job *job = j->job;
	packet_job_result *res = j->res;
	lp_exit ret;

	if (!job->check_only && !job->font) {
		font_search_start(&j->fs);
		j->p.font = &j->fs;
	}
	/* the packet embeds each file's bytes as they were checked; report.html
	 * takes its JPEG thumbnails from the check's decode */
	j->opt = job->check;
	j->opt.keep_data = !job->check_only;
	j->opt.thumbnails = !job->no_thumbnails;
	/* the upload's ID page takes both sides' pictures from that decode */
	j->opt.id_pictures = !job->check_only && !job->no_upload && !job->id_separate;
	if ((ret = check_folder(job->set, job->dir, &j->opt, &res->r, err)) != LP_EXIT_OK)
		return ret;
	res->checked = 1;
	if ((ret = open_outdir(job, &res->outdir, err)) != LP_EXIT_OK)
		return ret;
	j->p.job = job;
	j->p.r = &res->r;
	if (job->max_pdf_bytes && !(j->p.scale = calloc(res->r.tpl->n_materials + 1, sizeof *j->p.scale))) {
		lp_nomem(err);
		return LP_EXIT_IO;
	}
	if (!job->check_only && (res->r.complete || job->allow_incomplete) &&
	    (ret = plan_volumes(&j->p, &res->r, 1, err)) != LP_EXIT_OK)
		return ret;
	res->outdir_locked = 1;
	return LP_EXIT_OK;
}

/* report.json and report.txt written and said; report.html made on its
 * own thread when a packet is written meanwhile, else now and written. */
static lp_exit run_reports(job_run *j, lp_err *err)
{
	const packet_job *job = j->job;
	packet_job_result *res = j->res;
	html_bg *hb = &j->hb;
	lp_exit ret;

	j->text = report_text(&res->r, job->dir, job->lang, 0);
	j->json = report_json(&res->r, job->dir, job->lang);
	hb->r = &res->r;
	hb->po.dir = job->dir;
	hb->po.lang = job->lang;
	hb->po.today = job->check.today;
	hb->po.thumbnails = !job->no_thumbnails;
	hb->po.font_path = job->font;
	hb->po.font_index = job->font_index;
	hb->po.threads = j->opt.threads;
	if (!hb->po.font_path && j->p.font &&
	    font_search_wait(j->p.font, j->font_path, sizeof j->font_path, &hb->po.font_index) == 0)
		hb->po.font_path = j->font_path; /* the packet's font, found beside the check */
	if (!job->check_only && (res->r.complete || job->allow_incomplete)) {
		hb->po.threads = 1; /* this thread writes the packet meanwhile */
		hb->started = pthread_create(&hb->tid, NULL, html_bg_run, hb) == 0;
	} else {
		j->html = html_bg_take(hb);
	}
	if (!j->text || !j->json || (!hb->started && !j->html)) {
		lp_nomem(err);
		return LP_EXIT_IO;
	}
	if ((ret = write_reports(job, j->json, j->text, err)) != LP_EXIT_OK ||
	    (j->html && (ret = write_html(job, j->html, err)) != LP_EXIT_OK))
		return ret;
	res->reports_written = 1;
	if (job->out && job->colour) {
		char *shown = report_text(&res->r, job->dir, job->lang, 1);
		fputs(shown ? shown : j->text, job->out);
		free(shown);
	} else if (job->out) {
		fputs(j->text, job->out);
	}
	return LP_EXIT_OK;
}

/* The packet, then report.html; when the build found what the check
 * could not (volumes planned again, upload files that did not fit), the
 * reports are written again first. */
static lp_exit run_packet(job_run *j, lp_err *err)
{
	const packet_job *job = j->job;
	packet_job_result *res = j->res;
	packet_ctx *p = &j->p;
	int replanned = 0;
	size_t i;
	lp_exit ret;

	p->pdf = res->pdf;
	p->pdf_len = sizeof res->pdf;
	date_format(job->check.today, p->date, sizeof p->date);
	p->names = calloc(res->r.n_files + 1, sizeof *p->names);
	for (i = 0; p->names && i < res->r.n_files; i++)
		if (!(p->names[i] = packet_file_name(&res->r, i, job->ascii_names)))
			break;
	if (!p->names || i < res->r.n_files || (job->max_pdf_bytes && !(j->warned = warned_materials(&res->r)))) {
		lp_nomem(err);
		return LP_EXIT_IO;
	}
	ret = write_packet_fitted(p, &res->r, &j->hb, &replanned, err);
	if (replanned && (ret == LP_EXIT_OK || ret == LP_EXIT_INCOMPLETE)) {
		/* the reports say what the final plan found */
		lp_err rerr;
		lp_exit rr = report_replanned(job, &res->r, j->warned, &j->text, &j->json, &rerr);
		char *late_html = ret == LP_EXIT_INCOMPLETE && rr == LP_EXIT_OK ? html_bg_take(&j->hb) : NULL;
		if (rr == LP_EXIT_OK && late_html)
			rr = write_html(job, late_html, &rerr);
		free(late_html);
		if (rr != LP_EXIT_OK) {
			lp_error_copy(err, &rerr);
			ret = rr;
		}
	}
	if (ret != LP_EXIT_OK)
		return ret;
	res->packet_written = 1;
	if (!(j->html = html_bg_take(&j->hb))) {
		lp_nomem(err);
		return LP_EXIT_IO;
	}
	if ((ret = write_html(job, j->html, err)) != LP_EXIT_OK)
		return ret;
	return res->r.complete ? LP_EXIT_OK : LP_EXIT_INCOMPLETE;
}

/* The end of a run that came to ret: what it leaves behind, and its memory. */
static void run_release(job_run *j, lp_exit ret)
{
	const packet_job *job = j->job;
	packet_job_result *res = j->res;

	if (j->hb.started) /* the packet failed: its report.html is not written */
		pthread_join(j->hb.tid, NULL);
	free(j->hb.html);
	/* No new packet: none of an earlier run stays to be taken for this
	 * run's (a complete folder checked only keeps it). A failed run
	 * leaves no reports that an earlier run wrote either. */
	if (res->outdir_locked && !res->packet_written && !(job->check_only && ret == LP_EXIT_OK)) {
		remove_packet(job);
		if (ret == LP_EXIT_IO && !res->reports_written)
			remove_reports(job);
	}
	if (j->fs.started) /* no packet after all: the search is not needed */
		pthread_join(j->fs.tid, NULL);
	for (size_t i = 0; j->p.names && i < res->r.n_files; i++)
		free(j->p.names[i]);
	free(j->p.names);
	volume_plan_release(&j->p.vols);
	findings_release(&j->p.late);
	free(j->p.scale);
	free(j->warned);
	free(j->text);
	free(j->json);
	free(j->html);
}

lp_exit packet_job_run(const packet_job *job, packet_job_result *res, lp_err *err)
{
	job_run j;
	lp_exit ret;

	memset(res, 0, sizeof *res);
	memset(&j, 0, sizeof j);
	j.job = job;
	j.res = res;
	lp_error_clear(err);
	if ((ret = run_check(&j, err)) == LP_EXIT_OK && (ret = run_reports(&j, err)) == LP_EXIT_OK) {
		if (job->check_only)
			ret = res->r.complete ? LP_EXIT_OK : LP_EXIT_INCOMPLETE;
		else if (!res->r.complete && !job->allow_incomplete)
			ret = no_packet(job, err);
		else
			ret = run_packet(&j, err);
	}
	run_release(&j, ret);
	return ret;
}

void packet_job_result_release(packet_job_result *res)
{
	check_result_release(&res->r);
	if (res->outdir_locked)
		output_dir_close(&res->outdir);
	memset(res, 0, sizeof *res);
}
