/*
 * thumb: decode small, shrink, turn upright, watermark, encode (thumb.h).
 *
 * A JPEG the probe has decoded comes here as rows (thumb_acc, fed through
 * probe_buffer_rows), shrunk as they arrive: the thumbnail then costs no
 * second decode, only the encode. A PNG's rows come from libpng
 * (imageio_png_rows) into the same box filter, the page never held whole.
 * imageio_decode_rgb() and imageio_decode_png_rgb() serve the others (an
 * unrecognised file, a small image, a check made without thumbnails, a PNG
 * with transparency or a gamma to convert).
 */
#include "packet/thumb.h"

#include <stdio.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "packet/imageio.h"
#include "packet/normalise.h"

/* --- the box filter, row by row --- */

void thumb_acc_init(thumb_acc *a)
{
	memset(a, 0, sizeof *a);
}

void thumb_acc_release(thumb_acc *a)
{
	free(a->sum);
	free(a->x0);
	free(a->px);
	memset(a, 0, sizeof *a);
}

/* The first source row of the picture's row t (t = th: the end). */
static uint32_t band_start(const thumb_acc *a, unsigned t)
{
	return (uint32_t)((uint64_t)t * a->h / a->th);
}

static int acc_begin(void *ctx, uint32_t w, uint32_t h)
{
	thumb_acc *a = ctx;
	uint32_t longest = w > h ? w : h;

	if (a->sum || a->px || a->failed || longest < THUMB_EDGE || w == 0 || h == 0) {
		a->failed |= a->sum || a->px;
		return 0;
	}
	a->w = w;
	a->h = h;
	a->tw = longest <= THUMB_EDGE ? w : (unsigned)((uint64_t)w * THUMB_EDGE / longest);
	a->th = longest <= THUMB_EDGE ? h : (unsigned)((uint64_t)h * THUMB_EDGE / longest);
	a->tw = a->tw ? a->tw : 1;
	a->th = a->th ? a->th : 1;
	a->sum = calloc((size_t)a->tw * 3, sizeof *a->sum);
	a->x0 = malloc(((size_t)a->tw + 1) * sizeof *a->x0);
	a->px = malloc((size_t)a->tw * a->th * 3);
	if (!a->sum || !a->x0 || !a->px) {
		a->failed = 1;
		return 0;
	}
	/* a column is never empty: tw is at most w */
	for (unsigned tx = 0; tx <= a->tw; tx++)
		a->x0[tx] = (uint32_t)((uint64_t)tx * w / a->tw);
	return 1;
}

/* Row y added to the sums of the picture's row ty; at the last row of its
 * band, the row is written as the sums' means. A band is never empty: th
 * is at most h, so band_start grows by at least 1. */
static void acc_row(void *ctx, uint32_t y, const uint8_t *rgb)
{
	thumb_acc *a = ctx;
	unsigned tx, c;

	if (a->failed || !a->sum || y != a->rows || y >= a->h || a->ty >= a->th) {
		a->failed = 1;
		return;
	}
	for (tx = 0; tx < a->tw; tx++) {
		uint32_t x0 = a->x0[tx], x1 = a->x0[tx + 1];
		const uint8_t *p = rgb + (size_t)x0 * 3;
		uint64_t *s = a->sum + (size_t)tx * 3;
		for (; x0 < x1; x0++, p += 3) {
			s[0] += p[0];
			s[1] += p[1];
			s[2] += p[2];
		}
	}
	a->rows++;
	if (a->rows < band_start(a, a->ty + 1))
		return;
	uint64_t rows_in = a->rows - band_start(a, a->ty);
	for (tx = 0; tx < a->tw; tx++) {
		uint64_t n = rows_in * (a->x0[tx + 1] - a->x0[tx]);
		for (c = 0; c < 3; c++)
			a->px[((size_t)a->ty * a->tw + tx) * 3 + c] = (uint8_t)(a->sum[(size_t)tx * 3 + c] / n);
	}
	memset(a->sum, 0, (size_t)a->tw * 3 * sizeof *a->sum);
	a->ty++;
}

probe_rows thumb_acc_rows(thumb_acc *a)
{
	probe_rows r = { acc_begin, acc_row, a, THUMB_EDGE };
	return r;
}

int thumb_acc_take(thumb_acc *a, thumb_rgb *out)
{
	if (a->failed || !a->px || a->rows != a->h || a->ty != a->th)
		return -1;
	out->px = a->px;
	out->w = a->tw;
	out->h = a->th;
	a->px = NULL;
	return 0;
}

/* --- a whole picture, row by row; rows for two --- */

static int keep_begin(void *ctx, uint32_t w, uint32_t h)
{
	thumb_keep *k = ctx;

	if (k->pic.px || k->failed || w == 0 || h == 0) {
		k->failed = 1;
		return 0;
	}
	if (!(k->pic.px = malloc((size_t)w * h * 3))) {
		k->failed = 1;
		return 0;
	}
	k->pic.w = w;
	k->pic.h = h;
	return 1;
}

static void keep_row(void *ctx, uint32_t y, const uint8_t *rgb)
{
	thumb_keep *k = ctx;

	if (k->failed || !k->pic.px || y != k->rows || y >= k->pic.h) {
		k->failed = 1;
		return;
	}
	memcpy(k->pic.px + (size_t)y * k->pic.w * 3, rgb, (size_t)k->pic.w * 3);
	k->rows++;
}

probe_rows thumb_keep_rows(thumb_keep *k)
{
	probe_rows r = { keep_begin, keep_row, k, 0 };

	memset(k, 0, sizeof *k);
	return r;
}

int thumb_keep_take(thumb_keep *k, thumb_rgb *out)
{
	if (k->failed || !k->pic.px || k->rows != k->pic.h)
		return -1;
	*out = k->pic;
	k->pic.px = NULL;
	return 0;
}

void thumb_keep_release(thumb_keep *k)
{
	free(k->pic.px);
	memset(k, 0, sizeof *k);
}

static int tee_begin(void *ctx, uint32_t w, uint32_t h)
{
	thumb_tee *t = ctx;

	t->take_a = t->a.begin(t->a.ctx, w, h);
	t->take_b = t->b.begin(t->b.ctx, w, h);
	return t->take_a || t->take_b;
}

static void tee_row(void *ctx, uint32_t y, const uint8_t *rgb)
{
	thumb_tee *t = ctx;

	if (t->take_a)
		t->a.row(t->a.ctx, y, rgb);
	if (t->take_b)
		t->b.row(t->b.ctx, y, rgb);
}

probe_rows thumb_tee_rows(thumb_tee *t, probe_rows a, probe_rows b)
{
	probe_rows r = { tee_begin, tee_row, t, a.min_edge > b.min_edge ? a.min_edge : b.min_edge };

	t->a = a;
	t->b = b;
	t->take_a = t->take_b = 0;
	return r;
}

/* img shrunk (box filter) so that its long edge is at most THUMB_EDGE. */
static int shrink(thumb_rgb *img)
{
	unsigned longest = img->w > img->h ? img->w : img->h, y;
	thumb_acc a;
	thumb_rgb out;
	int ret = -1;

	if (longest <= THUMB_EDGE)
		return 0;
	thumb_acc_init(&a);
	if (acc_begin(&a, img->w, img->h)) {
		for (y = 0; y < img->h; y++)
			acc_row(&a, y, img->px + (size_t)y * img->w * 3);
		if (thumb_acc_take(&a, &out) == 0) {
			free(img->px);
			*img = out;
			ret = 0;
		}
	}
	thumb_acc_release(&a);
	return ret;
}

/* Draw text along a line from (x0, y0) in image coordinates (y down) at
 * angle a (radians, counter-clockwise), red at about half strength. */
static void draw_line(FT_Face face, thumb_rgb *img, const char *text, double x0, double y0, double a)
{
	FT_Matrix m;
	FT_Vector pen;
	const char *p = text, *end = text + strlen(text);
	uint32_t cp;
	size_t n;

	m.xx = (FT_Fixed)(cos(a) * 0x10000);
	m.xy = (FT_Fixed)(-sin(a) * 0x10000);
	m.yx = (FT_Fixed)(sin(a) * 0x10000);
	m.yy = (FT_Fixed)(cos(a) * 0x10000);
	pen.x = (FT_Pos)(x0 * 64);
	pen.y = (FT_Pos)(((double)img->h - y0) * 64); /* FreeType's y grows upwards */
	for (; *p; p += n) {
		FT_GlyphSlot g = face->glyph;
		int r, c;
		if (!(n = utf8_decode(p, (size_t)(end - p), &cp))) {
			n = 1;
			continue;
		}
		FT_Set_Transform(face, &m, &pen);
		if (FT_Load_Char(face, cp, FT_LOAD_RENDER))
			continue;
		for (r = 0; r < (int)g->bitmap.rows; r++)
			for (c = 0; c < (int)g->bitmap.width; c++) {
				int ix = g->bitmap_left + c, iy = (int)img->h - g->bitmap_top + r;
				unsigned cov = g->bitmap.buffer[r * g->bitmap.pitch + c];
				uint8_t *px;
				if (ix < 0 || iy < 0 || ix >= (int)img->w || iy >= (int)img->h || !cov)
					continue;
				px = img->px + ((size_t)iy * img->w + (size_t)ix) * 3;
				cov = cov * 190 / 255; /* about 75 % at full coverage */
				px[0] = (uint8_t)((px[0] * (255 - cov) + 200 * cov) / 255);
				px[1] = (uint8_t)((px[1] * (255 - cov) + 20 * cov) / 255);
				px[2] = (uint8_t)((px[2] * (255 - cov) + 20 * cov) / 255);
			}
		pen.x += g->advance.x;
		pen.y += g->advance.y;
	}
}

/* The text's advance at the current size, unrotated, in pixels. */
static double text_width(FT_Face face, const char *text)
{
	const char *p = text, *end = text + strlen(text);
	uint32_t cp;
	size_t n;
	double w = 0;

	FT_Set_Transform(face, NULL, NULL);
	for (; *p; p += n) {
		if (!(n = utf8_decode(p, (size_t)(end - p), &cp))) {
			n = 1;
			continue;
		}
		if (FT_Load_Char(face, cp, FT_LOAD_DEFAULT) == 0)
			w += face->glyph->advance.x / 64.0;
	}
	return w;
}

/* The watermark three times along the image's rising diagonal, as the PDF
 * draws it across ID card pages. */
static int watermark(thumb_rgb *img, const thumb_mark *mk, lp_err *err)
{
	FT_Library lib = NULL;
	FT_Face face = NULL;
	double diag = hypot(img->w, img->h), a = atan2(img->h, img->w), w100, size, len, k;
	struct stat st;
	int ret = -1;

	/* a regular file only: FreeType's open of a FIFO (--font /some/fifo)
	 * would wait for a writer forever; the PDF's loader reports the error */
	if (!mk->font_path || stat(mk->font_path, &st) != 0 || !S_ISREG(st.st_mode) || FT_Init_FreeType(&lib) != 0 ||
	    FT_New_Face(lib, mk->font_path, mk->font_index, &face) != 0 || FT_Set_Pixel_Sizes(face, 0, 100) != 0) {
		lp_fail(err, LP_E_WATERMARK_FONT_LOAD);
		goto cleanup;
	}
	w100 = text_width(face, mk->text);
	if (w100 <= 0) {
		lp_fail(err, LP_E_WATERMARK_NO_GLYPHS);
		goto cleanup;
	}
	size = 100 * 0.8 * diag / w100;
	size = size < 9 ? 9 : size > 36 ? 36 : size;
	if (FT_Set_Pixel_Sizes(face, 0, (FT_UInt)size) != 0) {
		lp_fail(err, LP_E_WATERMARK_FONT_SIZE);
		goto cleanup;
	}
	len = text_width(face, mk->text);
	for (k = -1; k <= 1; k++) {
		/* centre of the line, moved along the diagonal's normal */
		double off = k * 0.3 * (img->w < img->h ? img->w : img->h);
		double cx = img->w / 2.0 - sin(a) * off, cy = img->h / 2.0 - cos(a) * off;
		draw_line(face, img, mk->text, cx - cos(a) * len / 2, cy + sin(a) * len / 2 + size / 3, a);
	}
	ret = 0;
cleanup:
	if (face)
		FT_Done_Face(face);
	if (lib)
		FT_Done_FreeType(lib);
	return ret;
}

static int encode(const thumb_rgb *img, html_thumb *out, lp_err *err)
{
	/* full-resolution colour: the watermark's thin red strokes would
	 * otherwise blur into the page at 4:2:0 */
	static const imageio_enc how = { .quality = 75, .full_chroma = 1 };
	uint8_t *buf;
	size_t len;

	if (imageio_encode(img->px, img->w, img->h, 3, &how, &buf, &len, err) != 0)
		return -1;
	out->jpeg = buf;
	out->len = len;
	out->width = img->w;
	out->height = img->h;
	return 0;
}

/* img as a mosaic of squares THUMB_MOSAIC_DIV to the short edge, each the
 * mean of its pixels. A marked thumbnail shows an identity document, and
 * report.html travels by WeChat and mail: at THUMB_EDGE an ID card's number,
 * name and address are still legible under the watermark (the sample card's
 * digits are 10 pixels high; tesseract read "231002X" from it), so they are
 * blurred to squares about a digit's height before the mark is drawn. What
 * the user looks for in the report stays: which side, colour or grey,
 * upright or not, the photo's place. */
#define THUMB_MOSAIC_DIV 16

static void mosaic(thumb_rgb *img)
{
	unsigned side = (img->w < img->h ? img->w : img->h) / THUMB_MOSAIC_DIV, x0, y0, x, y, c;

	if (side < 2)
		side = 2;
	for (y0 = 0; y0 < img->h; y0 += side)
		for (x0 = 0; x0 < img->w; x0 += side) {
			unsigned x1 = x0 + side < img->w ? x0 + side : img->w, y1 = y0 + side < img->h ? y0 + side : img->h;
			unsigned long sum[3] = { 0, 0, 0 }, n = (unsigned long)(x1 - x0) * (y1 - y0);

			for (y = y0; y < y1; y++)
				for (x = x0; x < x1; x++)
					for (c = 0; c < 3; c++)
						sum[c] += img->px[((size_t)y * img->w + x) * 3 + c];
			for (y = y0; y < y1; y++)
				for (x = x0; x < x1; x++)
					for (c = 0; c < 3; c++)
						img->px[((size_t)y * img->w + x) * 3 + c] = (uint8_t)((sum[c] + n / 2) / n);
		}
}

int thumb_from_rgb(thumb_rgb *img, int orientation, const thumb_mark *mark, html_thumb *out, lp_err *err)
{
	memset(out, 0, sizeof *out);
	if (shrink(img) != 0 || imageio_upright(img, orientation) != 0) {
		lp_nomem(err);
		return -1;
	}
	if (mark && mark->text)
		mosaic(img);
	if (mark && mark->text && watermark(img, mark, err) != 0)
		return -1;
	return encode(img, out, err);
}

/* A PNG's thumbnail-sized picture, its rows box-filtered as libpng gives
 * them (no picture of the whole page held); one decoded whole where the
 * rows cannot be had so, or it is smaller than a thumbnail. */
static int png_pixels(const uint8_t *data, size_t len, thumb_rgb *img, lp_err *err)
{
	imageio_png_rows rows;
	thumb_acc a;
	probe_rows to;
	uint32_t y;
	int r = imageio_png_rows_open(&rows, data, len, err);

	if (r < 0)
		return -1;
	thumb_acc_init(&a);
	to = thumb_acc_rows(&a);
	if (r == 0 && to.begin(to.ctx, rows.w, rows.h)) {
		for (y = 0; y < rows.h && !rows.failed; y++)
			to.row(to.ctx, y, imageio_png_row(&rows, y));
		if (rows.failed)
			r = lp_fail(err, LP_E_PNG_DECODE, "libpng error");
		else if (thumb_acc_take(&a, img) != 0)
			r = lp_nomem(err);
	} else {
		r = imageio_decode_png_rgb(data, len, img, err) ? -1 : 0;
	}
	imageio_png_rows_close(&rows);
	thumb_acc_release(&a);
	return r;
}

int thumb_from_image(const uint8_t *data, size_t len, file_format fmt, int orientation, const thumb_mark *mark,
		     html_thumb *out, lp_err *err)
{
	thumb_rgb img = { NULL, 0, 0 };
	int ret;

	memset(out, 0, sizeof *out);
	if (fmt == FMT_JPEG)
		ret = imageio_decode_rgb(data, len, THUMB_EDGE, IMAGEIO_FAST_ALWAYS, &img, err) ? -1 : 0;
	else if (fmt == FMT_PNG)
		ret = png_pixels(data, len, &img, err);
	else {
		lp_fail(err, LP_E_THUMB_FORMAT, format_name(fmt));
		ret = -1;
	}
	if (ret == 0)
		ret = thumb_from_rgb(&img, orientation, mark, out, err);
	free(img.px);
	return ret;
}

int thumb_watermark(thumb_rgb *img, const thumb_mark *mark, lp_err *err)
{
	return mark && mark->text ? watermark(img, mark, err) : 0;
}
