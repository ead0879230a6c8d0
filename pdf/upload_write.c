/*
 * upload_write: the upload folder's files (see upload_write.h).
 */
#include "pdf/upload_write.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "packet/pool.h"
#include "packet/util.h"
#include "pdf/pdf_thumb.h"

#define A4_W_PT 595.276f
#define A4_H_PT 841.89f

/* One page as an upload image: its bytes (owned when a fit made them). */
typedef struct {
	const uint8_t *data;
	uint8_t *owned;
	size_t len;
	uint32_t w, h;
	int fitted;
	int copied;           /* the checked file's own bytes: its SHA-256 is known */
	lp_err *unfit;        /* it could not be fitted: why */
} page_img;

static void page_img_release(page_img *p)
{
	free(p->owned);
	free(p->unfit);
	memset(p, 0, sizeof *p);
}

/* What a page or an item that cannot be fitted returns: err says why. */
#define UNFIT (-2)

/* err kept in *keep (a copy the caller frees): the page or item is left
 * out, the work goes on. 0, or -1 when out of memory. */
static int keep_unfit(lp_err **keep, const lp_err *err)
{
	if (!*keep && !(*keep = malloc(sizeof **keep)))
		return -1;
	lp_error_copy(*keep, err);
	return 0;
}

/* A JPEG that a PDF reader (and libharu's loader) takes as it is. */
static int plain_jpeg(const checked_file *f)
{
	return f->info.format == FMT_JPEG && (f->info.jpeg_sof == 0 || f->info.jpeg_sof == 1) && !f->info.cmyk &&
	       f->info.orientation <= 1;
}

/* What a worker keeps from one page to the next: its buffer for the files'
 * bytes, and the scanned pages of the last PDF it met (pdf_page_jpegs reads
 * them all in one parse, not one parse a page). */
typedef struct {
	lp_buffer scratch;
	long scans_file;          /* the file they are of; -1: none */
	int n_scans;
	pdf_jpeg_page *scans;
} page_ctx;

static void page_ctx_clear_scans(page_ctx *c)
{
	for (int i = 0; i < c->n_scans; i++)
		free(c->scans[i].jpeg);
	free(c->scans);
	c->scans = NULL;
	c->n_scans = 0;
	c->scans_file = -1;
}

/* Page page of PDF file (data d, l bytes; n_pages pages) when it is a scan:
 * its JPEG, from c's pages of that file. NULL when it is not. */
static const pdf_jpeg_page *scanned_page(page_ctx *c, size_t file, int n_pages, const uint8_t *d, size_t l,
					 int page)
{
	if (c->scans_file != (long)file) {
		page_ctx_clear_scans(c);
		if (n_pages <= 0 || !(c->scans = calloc((size_t)n_pages, sizeof *c->scans)))
			return NULL;
		c->n_scans = n_pages;
		c->scans_file = (long)file;
		pdf_page_jpegs(d, l, 0, n_pages, c->scans);
	}
	return page >= 0 && page < c->n_scans && c->scans[page].jpeg ? &c->scans[page] : NULL;
}

/* Where a page's picture comes from: encoded bytes (an image file, or a
 * scanned PDF page's JPEG), or pixels poppler drew. */
typedef struct {
	const uint8_t *d;
	size_t l;
	file_format fmt;
	int orientation;
	uint32_t w, h;
	int may_copy;             /* the bytes may serve as they are when they fit */
	thumb_rgb drawn;          /* px not NULL: a PDF page drawn, d unused */
} page_src;

/* The source of page pg, and lim adjusted to its page size. A scanned PDF
 * page (one JPEG over the whole page) serves as that JPEG would; other PDF
 * pages are drawn by poppler. */
static int page_source(const check_result *r, const upload_page *pg, int may_copy, page_ctx *c, fit_limits *lim,
		       page_src *src, lp_err *err)
{
	const checked_file *f = &r->files[pg->file];
	const pdf_jpeg_page *scan;
	file_info si;
	double mm = FIT_A4_MM, dpi;

	memset(src, 0, sizeof *src);
	if (check_file_bytes(r, pg->file, &c->scratch, &src->d, &src->l, err) != 0)
		return -1;
	src->fmt = f->info.format;
	src->orientation = f->info.orientation;
	src->w = f->info.width;
	src->h = f->info.height;
	src->may_copy = may_copy;
	if (src->fmt != FMT_PDF)
		return 0;
	/* the EXIF orientation of a JPEG inside a PDF is not shown by PDF
	 * readers: a scan with one is drawn */
	if ((scan = scanned_page(c, pg->file, f->info.pages, src->d, src->l, pg->page)) &&
	    probe_buffer(scan->jpeg, scan->len, NULL, &si) == PROBE_OK && si.orientation <= 1) {
		lim->min_long_edge = lim->min_long_edge ? (uint32_t)(lim->min_long_edge * scan->long_mm / FIT_A4_MM) : 0;
		lim->page_mm = scan->long_mm;
		src->d = scan->jpeg;
		src->l = scan->len;
		src->fmt = FMT_JPEG;
		src->orientation = 1;
		src->w = si.width;
		src->h = si.height;
		src->may_copy = (si.jpeg_sof == 0 || si.jpeg_sof == 1) && !si.cmyk &&
				fit_estimate(src->l, src->w, src->h, FMT_JPEG, lim) == FIT_NONE;
		return 0;
	}
	dpi = lim->min_long_edge ? lim->min_long_edge * 25.4 / FIT_A4_MM : 0;
	if (dpi < UPLOAD_RENDER_DPI)
		dpi = UPLOAD_RENDER_DPI;
	if (pdf_page_render(src->d, src->l, pg->page, dpi, lim->max_long_edge ? lim->max_long_edge : 5000, &src->drawn,
			    &mm) != 0) {
		char no[16];
		snprintf(no, sizeof no, "%d", pg->page + 1);
		return lp_fail(err, LP_E_UPLOAD_RENDER, no, f->rel);
	}
	lim->page_mm = mm;
	lim->min_long_edge = lim->min_long_edge ? (uint32_t)(lim->min_long_edge * mm / FIT_A4_MM) : 0;
	return 0;
}

/* Page pg of its file as a JPEG (or the file's own PNG, with may_copy)
 * within lim; the bytes themselves when they may serve and no mark is
 * drawn (copied out of c when they are a scanned PDF page's). */
static int one_page(const check_result *r, const upload_page *pg, int may_copy, const thumb_mark *mark, fit_limits lim,
		    page_ctx *c, page_img *out, lp_err *err)
{
	page_src src;
	fit_out fo;
	lp_err why;
	int rc;

	memset(out, 0, sizeof *out);
	if (page_source(r, pg, may_copy, c, &lim, &src, err) != 0)
		return -1;
	if (!src.drawn.px && src.may_copy && !mark) {
		out->data = src.d;
		if (src.d != r->files[pg->file].data) {
			/* bytes in c (the file read into its buffer, or a scanned
			 * page's JPEG), which the worker's next page replaces: a
			 * PDF item's pages are all kept until it is written */
			if (!(out->owned = malloc(src.l))) {
				lp_nomem(err);
				return -1;
			}
			memcpy(out->owned, src.d, src.l);
			out->data = out->owned;
		}
		out->len = src.l;
		out->w = src.w;
		out->h = src.h;
		/* check_file_bytes gave the bytes the check hashed, unless they
		 * are a page's JPEG from inside a PDF */
		out->copied = r->files[pg->file].info.format != FMT_PDF;
		return 0;
	}
	if (src.drawn.px) {
		rc = fit_pixels(&src.drawn, &lim, &fo, &why);
	} else if (mark) {
		thumb_rgb img;
		rc = fit_decode_upright(src.d, src.l, src.fmt, src.orientation,
					lim.max_long_edge ? lim.max_long_edge : 65535, &img, &why);
		if (rc == FIT_OK && thumb_watermark(&img, mark, &why) != 0) {
			free(img.px);
			rc = FIT_ERROR;
		} else if (rc == FIT_OK) {
			rc = fit_pixels(&img, &lim, &fo, &why);
		}
	} else {
		rc = fit_image(src.d, src.l, src.fmt, src.orientation, &lim, &fo, &why);
	}
	if (rc != FIT_OK) {
		lp_fail_in(err, LP_E_UPLOAD_COPY, &why, r->files[pg->file].rel);
		return rc == FIT_CANNOT ? UNFIT : -1;
	}
	out->data = out->owned = fo.jpeg;
	out->len = fo.len;
	out->w = fo.w;
	out->h = fo.h;
	out->fitted = fo.reduced || (lim.max_bytes && src.l > lim.max_bytes);
	return 0;
}

typedef struct {
	HPDF_STATUS e, detail;
} haru_err;

static void on_haru_error(HPDF_STATUS e, HPDF_STATUS detail, void *arg)
{
	haru_err *h = arg;

	if (h->e == HPDF_OK) {
		h->e = e;
		h->detail = detail;
	}
}

/* The limits of one page of PDF item it: its share of the byte limit. */
static fit_limits pdf_page_limits(const check_result *r, const upload_plan *plan, const upload_item *it)
{
	const upload_overrides ov = { plan->max_bytes, plan->max_pixels };
	return upload_limits(plan->profile, &ov, &r->tpl->materials[it->material], (int)it->n_pages);
}

/* Page k of PDF item it, as the JPEG that goes on its page. */
static int pdf_page_prepare(const check_result *r, const upload_plan *plan, const upload_item *it, size_t k,
			    const thumb_mark *mark, page_ctx *c, page_img *out, lp_err *err)
{
	const checked_file *f = &r->files[it->pages[k].file];
	fit_limits lim = pdf_page_limits(r, plan, it);
	int copy = plain_jpeg(f) && fit_estimate(f->bytes, f->info.width, f->info.height, FMT_JPEG, &lim) == FIT_NONE;

	return one_page(r, &it->pages[k], copy, r->tpl->materials[it->material].watermark ? mark : NULL, lim, c, out,
			err);
}

/* The item's pages (prepared) as one PDF, each an A4 page (landscape for a
 * landscape image) with the image fitted on it. */
static int write_pdf_item(const upload_plan *plan, upload_item *it, page_img *pages, output_tree *tree, lp_err *err)
{
	haru_err he = { HPDF_OK, 0 };
	HPDF_Doc doc = HPDF_New(on_haru_error, &he);
	HPDF_UINT32 size = 0;
	uint8_t *pdf = NULL;
	size_t i;
	char no[16], limit[24], got[16];
	int ret = -1;

	if (!doc) {
		lp_nomem(err);
		return -1;
	}
	for (i = 0; i < it->n_pages; i++)
		if (pages[i].unfit) { /* a page that did not fit: the PDF is not made */
			it->unfit = pages[i].unfit;
			it->unfit_file = it->pages[i].file;
			pages[i].unfit = NULL;
			HPDF_Free(doc);
			return 0;
		}
	for (i = 0; i < it->n_pages; i++) {
		const page_img *pi = &pages[i];
		HPDF_Image img = HPDF_LoadJpegImageFromMem(doc, pi->data, (HPDF_UINT)pi->len);
		HPDF_Page page = img ? HPDF_AddPage(doc) : NULL;
		float pw = pi->w > pi->h ? A4_H_PT : A4_W_PT, ph = pi->w > pi->h ? A4_W_PT : A4_H_PT;
		float k = pw / (float)pi->w < ph / (float)pi->h ? pw / (float)pi->w : ph / (float)pi->h;
		it->fitted |= pi->fitted;
		if (page && (HPDF_Page_SetWidth(page, pw) != HPDF_OK || HPDF_Page_SetHeight(page, ph) != HPDF_OK ||
			     HPDF_Page_DrawImage(page, img, (pw - pi->w * k) / 2, (ph - pi->h * k) / 2, pi->w * k,
						 pi->h * k) != HPDF_OK))
			page = NULL;
		if (!page) {
			snprintf(no, sizeof no, "%04X", (unsigned)he.e);
			lp_fail(err, LP_E_UPLOAD_HPDF, it->name, no);
			goto cleanup;
		}
	}
	if (HPDF_SaveToStream(doc) != HPDF_OK || !(size = HPDF_GetStreamSize(doc)) || !(pdf = malloc(size)) ||
	    HPDF_ReadFromStream(doc, pdf, &size) != HPDF_OK) {
		snprintf(no, sizeof no, "%04X", (unsigned)he.e);
		lp_fail(err, LP_E_UPLOAD_HPDF, it->name, no);
		goto cleanup;
	}
	if (plan->max_bytes && size > plan->max_bytes) {
		lp_err why;
		snprintf(limit, sizeof limit, "%llu", (unsigned long long)plan->max_bytes);
		snprintf(got, sizeof got, "%u", (unsigned)size);
		lp_fail(&why, LP_E_UPLOAD_TOO_BIG, it->name, limit, got);
		it->unfit_file = it->pages[0].file;
		ret = keep_unfit(&it->unfit, &why) == 0 ? 0 : lp_nomem(err);
		goto cleanup;
	}
	if (output_tree_put(tree, it->name, pdf, size, err) != 0)
		goto cleanup;
	it->bytes = size;
	lp_sha256_hex(pdf, size, it->sha256);
	ret = 0;
cleanup:
	free(pdf);
	HPDF_Free(doc);
	return ret;
}

/* ---- both sides of an ID card on one A4 page ---- */

#define ID_PAGE_DPI 200
#define MM(dpi, mm) ((unsigned)((mm) * (dpi) / 25.4 + 0.5))

/* src (upright pixels) pasted into page at (x, y), shrunk to fit w x h,
 * centred in that box. 0, or -1 when out of memory. */
static int paste_fitted(thumb_rgb *page, const thumb_rgb *src, unsigned x, unsigned y, unsigned w, unsigned h)
{
	double k = (double)w / src->w < (double)h / src->h ? (double)w / src->w : (double)h / src->h;
	unsigned lng = src->w > src->h ? src->w : src->h, row;
	thumb_rgb s;

	if (fit_shrink(src, (uint32_t)(lng * (k < 1 ? k : 1)), &s) != 0)
		return -1;
	x += (w - (s.w < w ? s.w : w)) / 2;
	y += (h - (s.h < h ? s.h : h)) / 2;
	for (row = 0; row < s.h && y + row < page->h; row++)
		memcpy(page->px + ((size_t)(y + row) * page->w + x) * 3, s.px + (size_t)row * s.w * 3,
		       (size_t)(s.w < page->w - x ? s.w : page->w - x) * 3);
	free(s.px);
	return 0;
}

/* The long edge an image of in (turned upright) has once shrunk into a
 * w x h box: what its decode needs, no more (a side scanned on a whole A4
 * page needs an eighth of its pixels: libjpeg-turbo decodes it at 1/8). */
static uint32_t box_edge(const file_info *in, unsigned w, unsigned h)
{
	int turned = in->orientation >= 5 && in->orientation <= 8;
	double iw = turned ? in->height : in->width, ih = turned ? in->width : in->height;
	double k = iw && ih ? ((double)w / iw < (double)h / ih ? (double)w / iw : (double)h / ih) : 1;

	return (uint32_t)ceil((iw > ih ? iw : ih) * (k < 1 ? k : 1));
}

/* ID card file i's picture, upright, at least want pixels on its long
 * edge (where it has them) into *side: the check's, from its decode, when
 * that is large enough (as it is, when upright: *own NULL); else a new one
 * (*own: its pixels, the caller frees them). */
static int side_picture(const check_result *r, size_t i, uint32_t want, lp_buffer *scratch, thumb_rgb *side,
			uint8_t **own, lp_err *err)
{
	const checked_file *f = &r->files[i];
	const check_picture *p = &f->picture;
	const uint8_t *d;
	size_t l;
	lp_err why;

	*own = NULL;
	if (p->px && (p->w > p->h ? p->w : p->h) >= want) {
		*side = *p;
		if (f->info.orientation <= 1)
			return 0;
		if (imageio_upright_copy(p, f->info.orientation, side) != 0)
			return lp_nomem(err);
		*own = side->px;
		return 0;
	}
	if (check_file_bytes(r, i, scratch, &d, &l, err) != 0)
		return -1;
	if (fit_decode_upright(d, l, f->info.format, f->info.orientation, want, side, &why) != FIT_OK)
		return lp_fail_in(err, LP_E_UPLOAD_COPY, &why, f->rel);
	*own = side->px;
	return 0;
}

/* The ID page's rows (imageio_row_fn): white, and the two sides where
 * they go; the page itself is never held in memory. */
typedef struct {
	const thumb_rgb *stack;  /* both sides, the mark across them */
	unsigned x, y;           /* where the stack's top left goes */
	uint8_t *white, *row;    /* a row of white; a row with the stack's in it */
} id_rows;

static const uint8_t *id_row(void *arg, uint32_t y)
{
	id_rows *r = arg;
	size_t n = (size_t)r->stack->w * 3;

	if (y < r->y || y >= r->y + r->stack->h)
		return r->white;
	memcpy(r->row + (size_t)r->x * 3, r->stack->px + (size_t)(y - r->y) * n, n);
	return r->row;
}

/* The page of item it (pages: portrait, emblem): an A4 page at 200 dpi (or
 * the profile's minimum if higher), both sides at true size (85.6 x 54
 * mm) one above the other, as the packet's PDF draws it, the watermark
 * across both; encoded as its rows come, unless it must be fitted. */
static int id_pair_image(const check_result *r, const upload_item *it, const thumb_mark *mark, fit_limits lim,
			 lp_buffer *scratch, page_img *out, lp_err *err)
{
	unsigned dpi = lim.min_long_edge && lim.min_long_edge * 25.4 / FIT_A4_MM > ID_PAGE_DPI
			       ? (unsigned)(lim.min_long_edge * 25.4 / FIT_A4_MM + 0.5)
			       : ID_PAGE_DPI;
	unsigned cw = MM(dpi, 85.6), ch = MM(dpi, 54.0), gap = MM(dpi, 15.0);
	unsigned pw = MM(dpi, 210.0), ph = MM(dpi, 297.0), k, row;
	thumb_rgb stack = { NULL, cw, 2 * ch + gap }, page = { NULL, pw, ph };
	id_rows rows = { &stack, (pw - cw) / 2, (ph - stack.h) / 2, NULL, NULL };
	lp_err why;
	fit_out fo;
	int ret = -1, rc;

	memset(out, 0, sizeof *out);
	stack.px = malloc((size_t)stack.w * stack.h * 3);
	rows.white = malloc((size_t)pw * 3);
	rows.row = malloc((size_t)pw * 3);
	if (!stack.px || !rows.white || !rows.row) {
		lp_nomem(err);
		goto cleanup;
	}
	memset(stack.px, 255, (size_t)stack.w * stack.h * 3);
	memset(rows.white, 255, (size_t)pw * 3);
	memset(rows.row, 255, (size_t)pw * 3);
	for (k = 0; k < 2; k++) {
		const checked_file *f = &r->files[it->pages[k].file];
		thumb_rgb side;
		uint8_t *own;
		if (side_picture(r, it->pages[k].file, box_edge(&f->info, cw, ch), scratch, &side, &own, err) != 0) {
			free(own);
			goto cleanup;
		}
		row = k == 0 ? 0 : ch + gap;
		rc = paste_fitted(&stack, &side, 0, row, cw, ch);
		free(own);
		if (rc != 0) {
			lp_nomem(err);
			goto cleanup;
		}
	}
	/* the mark across both sides */
	if (mark && thumb_watermark(&stack, mark, &why) != 0) {
		lp_fail_in(err, LP_E_UPLOAD_MAKE, &why, it->name);
		goto cleanup;
	}
	lim.page_mm = FIT_A4_MM;
	lim.min_long_edge = fit_min_edge((unsigned)(lim.min_long_edge * 25.4 / FIT_A4_MM + 0.5), FIT_A4_MM);
	rc = fit_rows(pw, ph, id_row, &rows, &lim, &fo, &why);
	if (rc == FIT_PIXELS) {
		/* over a limit: the page's pixels, to be fitted as any page's */
		if (!(page.px = malloc((size_t)pw * ph * 3))) {
			lp_nomem(err);
			goto cleanup;
		}
		for (row = 0; row < ph; row++)
			memcpy(page.px + (size_t)row * pw * 3, id_row(&rows, row), (size_t)pw * 3);
		rc = fit_pixels(&page, &lim, &fo, &why);
	}
	if (rc != FIT_OK) {
		lp_fail_in(err, LP_E_UPLOAD_MAKE, &why, it->name);
		ret = rc == FIT_CANNOT ? UNFIT : -1;
		goto cleanup;
	}
	out->data = out->owned = fo.jpeg;
	out->len = fo.len;
	out->w = fo.w;
	out->h = fo.h;
	out->fitted = fo.reduced;
	ret = 0;
cleanup:
	free(page.px);
	free(stack.px);
	free(rows.white);
	free(rows.row);
	return ret;
}

/* keep: for an ID pair, its page (the other side's slot takes the same
 * bytes, made once); the caller frees keep->owned. */
static int write_image_item(const check_result *r, const upload_plan *plan, upload_item *it, output_tree *tree,
			    const thumb_mark *mark, page_ctx *c, page_img *keep, lp_err *err)
{
	const material *m = &r->tpl->materials[it->material];
	const upload_overrides ov = { plan->max_bytes, plan->max_pixels };
	page_img pi;
	int ret;

	if (it->kind == UPLOAD_ID_PAIR) {
		/* the page's limits are A4's, not one side's */
		fit_limits lim = upload_limits(plan->profile, &ov, NULL, 0);
		lim.max_bytes = upload_limits(plan->profile, &ov, m, 0).max_bytes;
		ret = id_pair_image(r, it, m->watermark ? mark : NULL, lim, &c->scratch, &pi, err);
	} else {
		ret = one_page(r, &it->pages[0], it->kind == UPLOAD_COPY, m->watermark ? mark : NULL,
			       upload_limits(plan->profile, &ov, m, 0), c, &pi, err);
	}
	if (ret == UNFIT) {
		it->unfit_file = it->pages[0].file;
		if (keep_unfit(&it->unfit, err) != 0)
			return lp_nomem(err);
		lp_error_clear(err);
		return 0;
	}
	if (ret != 0)
		return -1;
	ret = output_tree_put(tree, it->name, pi.data, pi.len, err);
	it->bytes = pi.len;
	it->width = pi.w;
	it->height = pi.h;
	it->fitted = pi.fitted;
	if (pi.copied)
		memcpy(it->sha256, r->files[it->pages[0].file].sha256, sizeof it->sha256);
	else
		lp_sha256_hex(pi.data, pi.len, it->sha256);
	if (keep && it->kind == UPLOAD_ID_PAIR && pi.owned) {
		*keep = pi;
		return ret;
	}
	page_img_release(&pi);
	return ret;
}

/* ---- the work, on a few threads ---- */

/* Most threads that make upload files at once. */
#define UPLOAD_THREADS 4

/* A task: a whole image item, or one page of a PDF item (page >= 0). */
typedef struct {
	size_t item;
	long page;
} task;

typedef struct {
	const check_result *r;
	upload_plan *plan;
	output_tree *tree;
	const thumb_mark *mark;
	task *tasks;
	size_t n_tasks;
	page_img **pages;        /* per item: its prepared pages (PDF items) */
	page_img *pair;          /* per item: an ID pair's page, for its twin */
	long *twin;              /* per item: the earlier ID pair item of the same page, or -1 */
} work;

/* A thread's page_ctx, for pool_run: made ready (no scans kept), let go */
static void page_ctx_init(void *ctx, void *arg)
{
	(void)arg;
	page_ctx_clear_scans(ctx);
}

static void page_ctx_done(void *ctx, void *arg)
{
	page_ctx *c = ctx;

	page_ctx_clear_scans(c);
	pool_buffer_done(&c->scratch, arg);
}

/* pool_run's work: task t (a PDF item's page, or an image item) */
static int work_task(void *arg, size_t t, void *c, lp_err *err)
{
	work *w = arg;
	upload_item *it = &w->plan->items[w->tasks[t].item];
	page_img *pi;
	int ret;

	if (w->tasks[t].page < 0)
		return write_image_item(w->r, w->plan, it, w->tree, w->mark, c, &w->pair[w->tasks[t].item], err);
	pi = &w->pages[w->tasks[t].item][w->tasks[t].page];
	ret = pdf_page_prepare(w->r, w->plan, it, (size_t)w->tasks[t].page, w->mark, c, pi, err);
	if (ret != UNFIT)
		return ret;
	/* the page's own slot: no other task writes it */
	if (keep_unfit(&pi->unfit, err) != 0)
		return lp_nomem(err);
	lp_error_clear(err);
	return 0;
}

int upload_write(const check_result *r, upload_plan *plan, output_tree *tree, const thumb_mark *mark, lp_err *err)
{
	work w;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	pool_job job = { 0, cpus > 1 ? (int)(cpus < UPLOAD_THREADS ? cpus : UPLOAD_THREADS) : 1, sizeof(page_ctx),
			 page_ctx_init, page_ctx_done, work_task, &w };
	size_t i, k;
	int ret = -1;

	memset(&w, 0, sizeof w);
	w.r = r;
	w.plan = plan;
	w.tree = tree;
	w.mark = mark;
	for (i = 0; i < plan->n_folders; i++)
		if (output_tree_mkdir(tree, plan->folders[i], err) != 0)
			goto cleanup;
	for (i = 0; i < plan->n_items; i++)
		w.n_tasks += plan->items[i].kind == UPLOAD_PDF ? plan->items[i].n_pages : 1;
	w.tasks = calloc(w.n_tasks + 1, sizeof *w.tasks);
	w.pages = calloc(plan->n_items + 1, sizeof *w.pages);
	w.pair = calloc(plan->n_items + 1, sizeof *w.pair);
	w.twin = calloc(plan->n_items + 1, sizeof *w.twin);
	if (!w.tasks || !w.pages || !w.pair || !w.twin) {
		lp_nomem(err);
		goto cleanup;
	}
	for (i = 0, w.n_tasks = 0; i < plan->n_items; i++) {
		const upload_item *it = &plan->items[i];
		w.twin[i] = -1;
		/* an ID pair's page is made once, for the first of its two slots */
		for (k = 0; it->kind == UPLOAD_ID_PAIR && k < i; k++)
			if (plan->items[k].kind == UPLOAD_ID_PAIR && plan->items[k].pages[0].file == it->pages[0].file &&
			    plan->items[k].pages[1].file == it->pages[1].file)
				w.twin[i] = (long)k;
		if (w.twin[i] >= 0 || it->too_big)
			continue;
		if (plan->items[i].kind != UPLOAD_PDF) {
			w.tasks[w.n_tasks].item = i;
			w.tasks[w.n_tasks++].page = -1;
			continue;
		}
		if (!(w.pages[i] = calloc(plan->items[i].n_pages + 1, sizeof **w.pages))) {
			lp_nomem(err);
			goto cleanup;
		}
		for (k = 0; k < plan->items[i].n_pages; k++) {
			w.tasks[w.n_tasks].item = i;
			w.tasks[w.n_tasks++].page = (long)k;
		}
	}
	/* on the threads there are CPUs for */
	job.n_items = w.n_tasks;
	if (pool_run(&job, err) != 0)
		goto cleanup;
	for (i = 0; i < plan->n_items; i++) {
		upload_item *it = &plan->items[i];
		if (it->too_big)
			continue;
		if (it->kind == UPLOAD_PDF && write_pdf_item(plan, it, w.pages[i], tree, err) != 0)
			goto cleanup;
		if (w.twin[i] >= 0) { /* the other side's slot: the same page */
			const page_img *pi = &w.pair[w.twin[i]];
			const upload_item *first = &plan->items[w.twin[i]];
			if (first->unfit) {
				it->unfit_file = first->unfit_file;
				if (keep_unfit(&it->unfit, first->unfit) != 0) {
					lp_nomem(err);
					goto cleanup;
				}
				continue;
			}
			if (!pi->data || output_tree_put(tree, it->name, pi->data, pi->len, err) != 0) {
				if (!pi->data)
					lp_fail(err, LP_E_UPLOAD_MISSING, it->name);
				goto cleanup;
			}
			it->bytes = first->bytes;
			it->width = first->width;
			it->height = first->height;
			it->fitted = first->fitted;
			memcpy(it->sha256, first->sha256, sizeof it->sha256);
		}
	}
	ret = 0;
cleanup:
	for (i = 0; w.pages && i < plan->n_items; i++)
		for (k = 0; w.pages[i] && k < plan->items[i].n_pages; k++)
			page_img_release(&w.pages[i][k]);
	for (i = 0; w.pages && i < plan->n_items; i++)
		free(w.pages[i]);
	for (i = 0; w.pair && i < plan->n_items; i++)
		page_img_release(&w.pair[i]);
	free(w.pair);
	free(w.twin);
	free(w.pages);
	free(w.tasks);
	return ret;
}
