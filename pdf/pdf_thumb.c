/*
 * pdf_thumb: PDF pages rendered small by poppler (pdf_thumb.h).
 *
 * The function pointers are filled once (pthread_once) and read-only after,
 * as qpdf_lazy.c's are: what the dynamic loader would have done at start,
 * done later. Rendering takes a lock: poppler keeps process-wide state
 * (its GlobalParams, font caches) that its documentation does not promise
 * is safe to use from several threads at once, and the report's other
 * thumbnails keep the other threads busy meanwhile.
 */
#include "pdf/pdf_thumb.h"

#include <cairo.h>
#include <dlfcn.h>
#include <math.h>
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Debian 12's poppler-glib (libpoppler-glib8). */
#define POPPLER_GLIB_SONAME "libpoppler-glib.so.8"

#define F(name) __typeof__(&name) name
typedef struct {
	F(poppler_document_new_from_bytes);
	F(poppler_document_get_n_pages);
	F(poppler_document_get_page);
	F(poppler_page_get_size);
	F(poppler_page_render);
	F(g_bytes_new_static);
	F(g_bytes_unref);
	F(g_object_unref);
	F(g_error_free);
	F(cairo_image_surface_create);
	F(cairo_image_surface_get_data);
	F(cairo_image_surface_get_stride);
	F(cairo_surface_flush);
	F(cairo_surface_status);
	F(cairo_surface_destroy);
	F(cairo_create);
	F(cairo_scale);
	F(cairo_set_source_rgb);
	F(cairo_paint);
	F(cairo_destroy);
} poppler_api;
#undef F

static poppler_api api;
static int api_ok;
static pthread_once_t api_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;

static void api_load(void)
{
	void *lib = dlopen(POPPLER_GLIB_SONAME, RTLD_NOW | RTLD_LOCAL);
	int ok = lib != NULL;

	/* dlsym on the handle also finds what its dependencies (glib, gobject,
	 * cairo) define */
#define L(name) ok = ok && (*(void **)&api.name = dlsym(lib, #name)) != NULL
	L(poppler_document_new_from_bytes);
	L(poppler_document_get_n_pages);
	L(poppler_document_get_page);
	L(poppler_page_get_size);
	L(poppler_page_render);
	L(g_bytes_new_static);
	L(g_bytes_unref);
	L(g_object_unref);
	L(g_error_free);
	L(cairo_image_surface_create);
	L(cairo_image_surface_get_data);
	L(cairo_image_surface_get_stride);
	L(cairo_surface_flush);
	L(cairo_surface_status);
	L(cairo_surface_destroy);
	L(cairo_create);
	L(cairo_scale);
	L(cairo_set_source_rgb);
	L(cairo_paint);
	L(cairo_destroy);
#undef L
	api_ok = ok;
}

/* Page i rendered with its long edge `edge` pixels (0: at dpi), as RGB;
 * *mm its long edge in millimetres when mm is not NULL. */
static int render_page(PopplerDocument *doc, int i, unsigned edge, double dpi, thumb_rgb *img, double *mm)
{
	PopplerPage *page = api.poppler_document_get_page(doc, i);
	cairo_surface_t *s = NULL;
	cairo_t *cr;
	double w, h, k;
	const uint8_t *px;
	unsigned x, y;
	int stride, ret = -1;

	if (!page)
		return -1;
	api.poppler_page_get_size(page, &w, &h);
	if (!(w > 0 && h > 0 && w < 1e6 && h < 1e6))
		goto cleanup;
	if (mm)
		*mm = (w > h ? w : h) * 25.4 / 72;
	k = dpi / 72;
	if (edge && (!dpi || (w > h ? w : h) * k > edge))
		k = edge / (w > h ? w : h);
	img->w = (unsigned)ceil(w * k);
	img->h = (unsigned)ceil(h * k);
	s = api.cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)img->w, (int)img->h);
	if (api.cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		goto cleanup;
	cr = api.cairo_create(s);
	api.cairo_set_source_rgb(cr, 1, 1, 1);
	api.cairo_paint(cr);
	api.cairo_scale(cr, k, k);
	api.poppler_page_render(page, cr);
	api.cairo_destroy(cr);
	api.cairo_surface_flush(s);
	px = api.cairo_image_surface_get_data(s);
	stride = api.cairo_image_surface_get_stride(s);
	if (!px || !(img->px = malloc((size_t)img->w * img->h * 3)))
		goto cleanup;
	/* CAIRO_FORMAT_RGB24: one native-endian 32-bit word a pixel, 0xXXRRGGBB */
	for (y = 0; y < img->h; y++)
		for (x = 0; x < img->w; x++) {
			uint32_t v;
			memcpy(&v, px + (size_t)y * (size_t)stride + 4 * x, 4);
			img->px[3 * ((size_t)y * img->w + x)] = (uint8_t)(v >> 16);
			img->px[3 * ((size_t)y * img->w + x) + 1] = (uint8_t)(v >> 8);
			img->px[3 * ((size_t)y * img->w + x) + 2] = (uint8_t)v;
		}
	ret = 0;
cleanup:
	if (s)
		api.cairo_surface_destroy(s);
	api.g_object_unref(page);
	return ret;
}

/* The thumbnails of pages that are all scans (scans[0..count), each one
 * JPEG over its page: pdf_page_jpeg.c), from their JPEGs at 1/8 scale as a
 * JPEG file's: poppler is not needed. Returns 0, or -1 (out empty) when one
 * cannot be made. */
static int scan_thumbs(const pdf_jpeg_page *scans, int count, int more, const thumb_mark *mark, html_thumbs *out)
{
	lp_err err;

	if (!(out->pages = calloc((size_t)count, sizeof *out->pages)))
		return -1;
	out->n = (size_t)count;
	out->more = more;
	for (int i = 0; i < count; i++)
		if (thumb_from_image(scans[i].jpeg, scans[i].len, FMT_JPEG, 1, mark, &out->pages[i], &err)) {
			html_thumbs_release(out);
			memset(out, 0, sizeof *out);
			return -1;
		}
	return 0;
}

/* Poppler loaded, render_lock taken, and data (len bytes) opened as *doc
 * (NULL when poppler cannot read it); doc_close lets go of all three.
 * Returns -1, the lock not taken, when poppler cannot be loaded. */
static int doc_open(const uint8_t *data, size_t len, GBytes **bytes, PopplerDocument **doc, GError **gerr)
{
	pthread_once(&api_once, api_load);
	if (!api_ok)
		return -1;
	pthread_mutex_lock(&render_lock);
	*bytes = api.g_bytes_new_static(data, len);
	*doc = api.poppler_document_new_from_bytes(*bytes, NULL, gerr);
	return 0;
}

static void doc_close(GBytes *bytes, PopplerDocument *doc, GError *gerr)
{
	if (gerr)
		api.g_error_free(gerr);
	if (doc)
		api.g_object_unref(doc);
	if (bytes)
		api.g_bytes_unref(bytes);
	pthread_mutex_unlock(&render_lock);
}

/* The thumbnails drawn by poppler, except the pages scans[] holds (NULL:
 * none known, n_scans entries), which are taken from their JPEGs. */
static int drawn_thumbs(const uint8_t *data, size_t len, int max_pages, const pdf_jpeg_page *scans, int n_scans,
			const thumb_mark *mark, html_thumbs *out)
{
	GBytes *bytes = NULL;
	PopplerDocument *doc = NULL;
	GError *gerr = NULL;
	int n, i, ret = -1;

	if (doc_open(data, len, &bytes, &doc, &gerr) != 0)
		return -1;
	if (!doc)
		goto cleanup;
	n = api.poppler_document_get_n_pages(doc);
	if (n <= 0)
		goto cleanup;
	out->n = (size_t)(n < max_pages ? n : max_pages);
	out->more = n - (int)out->n;
	if (!(out->pages = calloc(out->n, sizeof *out->pages))) {
		out->n = 0;
		out->more = 0;
		goto cleanup;
	}
	for (i = 0; i < (int)out->n; i++) {
		thumb_rgb img = { NULL, 0, 0 };
		lp_err err;
		/* a scanned page: its JPEG at 1/8 scale, as a JPEG file's */
		if (i < n_scans && scans[i].jpeg &&
		    thumb_from_image(scans[i].jpeg, scans[i].len, FMT_JPEG, 1, mark, &out->pages[i], &err) == 0)
			continue;
		/* a page that fails stays a placeholder (jpeg NULL) */
		if (render_page(doc, i, THUMB_EDGE, 0, &img, NULL) == 0)
			thumb_from_rgb(&img, 1, mark, &out->pages[i], &err);
		free(img.px);
	}
	ret = 0;
cleanup:
	doc_close(bytes, doc, gerr);
	return ret;
}

int pdf_thumbs(const uint8_t *data, size_t len, int n_pages, int max_pages, const thumb_mark *mark,
	       html_thumbs *out)
{
	int count = n_pages > 0 ? (n_pages < max_pages ? n_pages : max_pages) : max_pages, n_scans = 0, ret;
	pdf_jpeg_page *scans = count > 0 ? calloc((size_t)count, sizeof *scans) : NULL;

	memset(out, 0, sizeof *out);
	if (scans)
		n_scans = pdf_page_jpegs(data, len, 0, count, scans);
	/* every page shown a scan: no need of poppler (nor of its libraries' start) */
	if (n_pages > 0 && scans && n_scans == count && scan_thumbs(scans, count, n_pages - count, mark, out) == 0)
		ret = 0;
	else
		ret = drawn_thumbs(data, len, max_pages, scans, scans ? count : 0, mark, out);
	for (int i = 0; scans && i < count; i++)
		free(scans[i].jpeg);
	free(scans);
	return ret;
}

int pdf_page_render(const uint8_t *data, size_t len, int page, double dpi, uint32_t max_edge, thumb_rgb *img,
		    double *page_mm)
{
	GBytes *bytes = NULL;
	PopplerDocument *doc = NULL;
	GError *gerr = NULL;
	int ret = -1;

	memset(img, 0, sizeof *img);
	if (doc_open(data, len, &bytes, &doc, &gerr) != 0)
		return -1;
	if (doc && page >= 0 && page < api.poppler_document_get_n_pages(doc))
		ret = render_page(doc, page, max_edge, dpi, img, page_mm);
	doc_close(bytes, doc, gerr);
	return ret;
}
