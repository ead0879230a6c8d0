/*
 * report_page: thumbnails for report.html, then the page (report_page.h).
 */
#include "pdf/report_page.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/ident.h"
#include "packet/pool.h"
#include "packet/report_html.h"
#include "packet/scan.h"
#include "packet/thumb.h"
#include "packet/util.h"
#include "pdf/font.h"
#include "pdf/pdf_thumb.h"

/* Largest unrecognised file read for its thumbnail. */
#define UNRECOGNIZED_MAX_BYTES (64u * 1024 * 1024)

/* The watermark and its font, found before the threads start (and only
 * when some thumbnail needs it); read-only after. */
typedef struct {
	char text[512];
	char path[4096];
	int index;
	int found;
} mark_ctx;

static void mark_prepare(mark_ctx *m, const check_result *r, const report_page_opts *o)
{
	char date[16];
	size_t i;
	int needed = r->n_unrecognized > 0;

	date_format(o->today, date, sizeof date);
	snprintf(m->text, sizeof m->text, "%s %s", r->tpl->purpose.zh ? r->tpl->purpose.zh : r->tpl->title.zh, date);
	for (i = 0; i < r->n_files; i++)
		needed |= r->tpl->materials[r->files[i].material].watermark;
	if (!needed)
		return;
	if (o->font_path) {
		snprintf(m->path, sizeof m->path, "%s", o->font_path);
		m->index = o->font_index;
		m->found = 1;
	} else {
		m->found = cjk_font_find(m->path, sizeof m->path, &m->index) == 0;
	}
}

/* The mark to draw, or NULL when none can be (no font): the caller then
 * shows a placeholder rather than an unmarked ID card. */
static const thumb_mark *mark_get(const mark_ctx *m, thumb_mark *out)
{
	if (!m->found)
		return NULL;
	out->text = m->text;
	out->font_path = m->path;
	out->font_index = m->index;
	return out;
}

/* One thumbnail of an image in t (n = 1), or nothing (a placeholder):
 * from the picture the check kept of it (pre, not NULL: a copy of it is
 * shrunk, turned and marked), or else decoded from data. */
static void thumb_image(const uint8_t *data, size_t len, const thumb_rgb *pre, const file_info *fi, int marked,
			const mark_ctx *mc, html_thumbs *t)
{
	thumb_mark mk;
	const thumb_mark *pm = NULL;
	thumb_rgb img = { NULL, 0, 0 };
	lp_err err;
	int ret;

	if ((fi->format != FMT_JPEG && fi->format != FMT_PNG) || fi->status != PROBE_OK)
		return;
	if (marked && !(pm = mark_get(mc, &mk)))
		return;
	if (!(t->pages = calloc(1, sizeof *t->pages)))
		return;
	if (pre) {
		img.w = pre->w;
		img.h = pre->h;
		ret = (img.px = malloc((size_t)pre->w * pre->h * 3)) != NULL ? 0 : -1;
		if (ret == 0) {
			memcpy(img.px, pre->px, (size_t)pre->w * pre->h * 3);
			ret = thumb_from_rgb(&img, fi->orientation, pm, &t->pages[0], &err);
		}
		free(img.px);
	} else {
		ret = thumb_from_image(data, len, fi->format, fi->orientation, pm, &t->pages[0], &err);
	}
	if (ret != 0) {
		free(t->pages);
		t->pages = NULL;
		return;
	}
	t->n = 1;
}

/* An image's thumbnail, or a PDF's first pages'. */
static void thumb_file(const uint8_t *data, size_t len, const file_info *fi, int marked, const mark_ctx *mc,
		       html_thumbs *t)
{
	thumb_mark mk;
	const thumb_mark *pm = NULL;

	if (fi->format != FMT_PDF) {
		thumb_image(data, len, NULL, fi, marked, mc, t);
		return;
	}
	if (marked && !(pm = mark_get(mc, &mk)))
		return;
	pdf_thumbs(data, len, fi->pages, REPORT_PDF_PAGES, pm, t);
}

/* The files' thumbnails, made by a few threads taking the next file in
 * turn: each decode is independent, and a scan's decode (even at 1/8) is
 * most of the report's cost. */
typedef struct {
	const check_result *r;
	const mark_ctx *mc;
	html_thumbs *files;
} thumbs_work;

/* pool_run's work: file i's thumbnails, with the thread's scratch buffer */
static int thumbs_file(void *arg, size_t i, void *scratch, lp_err *err)
{
	thumbs_work *w = arg;
	const checked_file *f = &w->r->files[i];
	const uint8_t *data;
	size_t len;

	if (f->info.status != PROBE_OK && !(f->info.format == FMT_PDF && f->info.status == PROBE_REPAIRED))
		return 0;
	if (f->preview.px) { /* the check's decode: the file is not read again */
		thumb_image(NULL, 0, &f->preview, &f->info, w->r->tpl->materials[f->material].watermark, w->mc,
			    &w->files[i]);
		return 0;
	}
	/* a file that cannot be read again is shown without a thumbnail */
	if (check_file_bytes(w->r, i, scratch, &data, &len, err) == 0)
		thumb_file(data, len, &f->info, w->r->tpl->materials[f->material].watermark, w->mc, &w->files[i]);
	return 0;
}

/* Returns 0, or -1 out of memory. */
static int thumbs_files(const check_result *r, const mark_ctx *mc, int threads, html_thumbs *files)
{
	thumbs_work w = { r, mc, files };
	pool_job job = { r->n_files, threads, sizeof(lp_buffer), NULL, pool_buffer_done, thumbs_file, &w };
	lp_err err;

	if (threads < 1) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		job.threads = cpus < 1 ? 1 : (int)cpus;
	}
	if (job.threads > CHECK_MAX_THREADS)
		job.threads = CHECK_MAX_THREADS;
	return pool_run(&job, &err);
}

/* Unrecognised files: read again (they were only listed), probed, and
 * shown when they are images. Their names are the ones for people; one
 * that had to be written with \xHH cannot be opened by it and gets the
 * placeholder. */
static void thumbs_unrecognized(const check_result *r, const mark_ctx *mc, html_thumbs *out)
{
	size_t i;

	for (i = 0; i < r->n_unrecognized; i++) {
		uint8_t *data = NULL;
		size_t len = 0;
		file_info fi;
		probe_limits lim = { 100000000, 0 };
		int fd;
		if (strchr(r->unrecognized[i], '\\') || !r->root_real)
			continue;
		fd = scan_open_root(r->root_real, r->dir, r->unrecognized[i]);
		if (fd < 0)
			continue;
		if (lp_read_fd(fd, UNRECOGNIZED_MAX_BYTES, &data, &len) == 0 &&
		    probe_buffer(data, len, &lim, &fi) == PROBE_OK)
			thumb_file(data, len, &fi, 1, mc, &out[i]);
		close(fd);
		free(data);
	}
}

char *html_report_make(const check_result *r, const report_page_opts *o)
{
	html_thumbs *files = NULL, *unrec = NULL;
	report_html_opts ho;
	mark_ctx mc;
	char *out = NULL;
	size_t i;

	memset(&mc, 0, sizeof mc);
	memset(&ho, 0, sizeof ho);
	ho.dir = o->dir;
	ho.lang = o->lang;
	ho.today = o->today;
	if (o->thumbnails) {
		files = calloc(r->n_files + 1, sizeof *files);
		unrec = calloc(r->n_unrecognized + 1, sizeof *unrec);
		if (!files || !unrec)
			goto cleanup;
		mark_prepare(&mc, r, o);
		if (thumbs_files(r, &mc, o->threads, files) != 0)
			goto cleanup;
		thumbs_unrecognized(r, &mc, unrec);
		ho.files = files;
		ho.unrecognized = unrec;
	}
	out = report_html(r, &ho);
cleanup:
	for (i = 0; files && i < r->n_files; i++)
		html_thumbs_release(&files[i]);
	for (i = 0; unrec && i < r->n_unrecognized; i++)
		html_thumbs_release(&unrec[i]);
	free(files);
	free(unrec);
	return out;
}
