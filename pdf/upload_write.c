/*
 * upload_write: the upload folder's files (see upload_write.h).
 */
#include "pdf/upload_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "packet/util.h"
#include "pdf/pdf_thumb.h"

#define A4_W_PT 595.276f
#define A4_H_PT 841.89f
/* What a PDF of n JPEG pages adds to their bytes (objects, xref): a
 * generous bound, so that the pages' shares leave room for it. */
#define PDF_OVERHEAD(n) (4096 + 1024 * (uint64_t)(n))

/* One page as an upload image: its bytes (owned when a fit made them). */
typedef struct {
	const uint8_t *data;
	uint8_t *owned;
	size_t len;
	uint32_t w, h;
	int fitted;
} page_img;

static void page_img_release(page_img *p)
{
	free(p->owned);
	memset(p, 0, sizeof *p);
}

/* A JPEG that a PDF reader (and libharu's loader) takes as it is. */
static int plain_jpeg(const checked_file *f)
{
	return f->info.format == FMT_JPEG && (f->info.jpeg_sof == 0 || f->info.jpeg_sof == 1) && !f->info.cmyk &&
	       f->info.orientation <= 1;
}

/* Page pg of its file as a JPEG (or the file's own PNG, with copy) within
 * lim. may_copy: the file's own bytes may serve as they are when they fit. */
static int one_page(const check_result *r, const upload_page *pg, int may_copy, fit_limits lim, lp_buffer *scratch,
		    page_img *out, char *err, size_t errlen)
{
	const checked_file *f = &r->files[pg->file];
	const uint8_t *d;
	size_t l;
	fit_out fo;
	char why[512];
	int rc;

	memset(out, 0, sizeof *out);
	if (check_file_bytes(r, pg->file, scratch, &d, &l, err, errlen) != 0)
		return -1;
	if (f->info.format == FMT_PDF) {
		thumb_rgb img;
		double mm = FIT_A4_MM, dpi = lim.min_long_edge ? lim.min_long_edge * 25.4 / lim.page_mm : 0;
		if (dpi < UPLOAD_RENDER_DPI)
			dpi = UPLOAD_RENDER_DPI;
		if (pdf_page_render(d, l, pg->page, dpi, lim.max_long_edge ? lim.max_long_edge : 5000, &img, &mm) != 0) {
			snprintf(err, errlen, "cannot render page %d of '%s'", pg->page + 1, f->rel);
			return -1;
		}
		lim.page_mm = mm;
		lim.min_long_edge = lim.min_long_edge ? (uint32_t)(lim.min_long_edge * mm / FIT_A4_MM) : 0;
		rc = fit_pixels(&img, &lim, &fo, why, sizeof why);
	} else if (may_copy) {
		out->data = d;
		out->len = l;
		out->w = f->info.width;
		out->h = f->info.height;
		return 0;
	} else {
		rc = fit_image(d, l, f->info.format, f->info.orientation, &lim, &fo, why, sizeof why);
	}
	if (rc != FIT_OK) {
		snprintf(err, errlen, "cannot make the upload copy of '%s': %s", f->rel, why);
		return -1;
	}
	out->data = out->owned = fo.jpeg;
	out->len = fo.len;
	out->w = fo.w;
	out->h = fo.h;
	out->fitted = fo.reduced || (lim.max_bytes && l > lim.max_bytes);
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

/* The item's pages as one PDF, each an A4 page (landscape for a landscape
 * image) with the image fitted on it. */
static int write_pdf_item(const check_result *r, const upload_plan *plan, upload_item *it, output_tree *tree,
			  lp_buffer *scratch, char *err, size_t errlen)
{
	const material *m = &r->tpl->materials[it->material];
	const upload_overrides ov = { plan->max_bytes, plan->max_pixels };
	fit_limits lim = upload_limits(plan->profile, &ov, m, 0);
	uint64_t share = 0;
	haru_err he = { HPDF_OK, 0 };
	HPDF_Doc doc = HPDF_New(on_haru_error, &he);
	HPDF_UINT32 size = 0;
	uint8_t *pdf = NULL;
	size_t i;
	int ret = -1;

	if (!doc) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (lim.max_bytes) {
		share = lim.max_bytes > PDF_OVERHEAD(it->n_pages) ? (lim.max_bytes - PDF_OVERHEAD(it->n_pages)) / it->n_pages : 1;
		lim.max_bytes = share;
	}
	for (i = 0; i < it->n_pages; i++) {
		const checked_file *f = &r->files[it->pages[i].file];
		page_img pi;
		HPDF_Image img;
		HPDF_Page page;
		float pw, ph, k;
		int copy = plain_jpeg(f) &&
			   fit_estimate(f->bytes, f->info.width, f->info.height, FMT_JPEG, &lim) == FIT_NONE;
		if (one_page(r, &it->pages[i], copy, lim, scratch, &pi, err, errlen) != 0)
			goto cleanup;
		it->fitted |= pi.fitted;
		img = HPDF_LoadJpegImageFromMem(doc, pi.data, (HPDF_UINT)pi.len);
		page = img ? HPDF_AddPage(doc) : NULL;
		pw = pi.w > pi.h ? A4_H_PT : A4_W_PT;
		ph = pi.w > pi.h ? A4_W_PT : A4_H_PT;
		k = pw / (float)pi.w < ph / (float)pi.h ? pw / (float)pi.w : ph / (float)pi.h;
		if (page && (HPDF_Page_SetWidth(page, pw) != HPDF_OK || HPDF_Page_SetHeight(page, ph) != HPDF_OK ||
			     HPDF_Page_DrawImage(page, img, (pw - pi.w * k) / 2, (ph - pi.h * k) / 2, pi.w * k, pi.h * k) !=
				     HPDF_OK))
			page = NULL;
		page_img_release(&pi);
		if (!page) {
			snprintf(err, errlen, "cannot make '%s': libharu error 0x%04X", it->name, (unsigned)he.e);
			goto cleanup;
		}
	}
	if (HPDF_SaveToStream(doc) != HPDF_OK || !(size = HPDF_GetStreamSize(doc)) || !(pdf = malloc(size)) ||
	    HPDF_ReadFromStream(doc, pdf, &size) != HPDF_OK) {
		snprintf(err, errlen, "cannot make '%s': libharu error 0x%04X", it->name, (unsigned)he.e);
		goto cleanup;
	}
	if (plan->max_bytes && size > plan->max_bytes) {
		snprintf(err, errlen, "cannot make '%s' smaller than %llu bytes (%u)", it->name,
			 (unsigned long long)plan->max_bytes, (unsigned)size);
		goto cleanup;
	}
	if (output_tree_put(tree, it->name, pdf, size, err, errlen) != 0)
		goto cleanup;
	it->bytes = size;
	lp_sha256_hex(pdf, size, it->sha256);
	ret = 0;
cleanup:
	free(pdf);
	HPDF_Free(doc);
	return ret;
}

static int write_image_item(const check_result *r, const upload_plan *plan, upload_item *it, output_tree *tree,
			    lp_buffer *scratch, char *err, size_t errlen)
{
	const material *m = &r->tpl->materials[it->material];
	const upload_overrides ov = { plan->max_bytes, plan->max_pixels };
	page_img pi;
	int ret;

	if (one_page(r, &it->pages[0], it->kind == UPLOAD_COPY, upload_limits(plan->profile, &ov, m, 0), scratch, &pi,
		     err, errlen) != 0)
		return -1;
	ret = output_tree_put(tree, it->name, pi.data, pi.len, err, errlen);
	it->bytes = pi.len;
	it->width = pi.w;
	it->height = pi.h;
	it->fitted = pi.fitted;
	lp_sha256_hex(pi.data, pi.len, it->sha256);
	page_img_release(&pi);
	return ret;
}

int upload_write(const check_result *r, upload_plan *plan, output_tree *tree, char *err, size_t errlen)
{
	lp_buffer scratch = { NULL, 0 };
	size_t i;
	int ret = -1;

	for (i = 0; i < plan->n_folders; i++)
		if (output_tree_mkdir(tree, plan->folders[i], err, errlen) != 0)
			goto cleanup;
	for (i = 0; i < plan->n_items; i++) {
		upload_item *it = &plan->items[i];
		int rc = it->kind == UPLOAD_PDF ? write_pdf_item(r, plan, it, tree, &scratch, err, errlen)
						: write_image_item(r, plan, it, tree, &scratch, err, errlen);
		if (rc != 0)
			goto cleanup;
	}
	ret = 0;
cleanup:
	free(scratch.data);
	return ret;
}
