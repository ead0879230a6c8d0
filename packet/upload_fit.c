/*
 * upload_fit: decoding, turning, shrinking and encoding scans for the
 * upload folder (upload_fit.h). libjpeg-turbo and libpng do the codecs
 * (packet/imageio.c);
 * the shrink is a box filter (each output pixel the mean of the source
 * pixels it covers), which keeps thin strokes of text legible where a
 * nearest-pixel shrink would drop them.
 */
#include "packet/upload_fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/imageio.h"


/* Bytes per pixel of a document scan re-encoded at quality 90, for the
 * estimate of a PNG's size as JPEG (scans measured here: 0.2-0.4). */
#define PNG_AS_JPEG_BPP 0.4
/* How much smaller quality FIT_MIN_QUALITY makes a scan than FIT_QUALITY. */
#define MIN_QUALITY_GAIN 0.5
#define MAX_TRIES 16

double fit_jpeg_guess(uint64_t bytes, uint32_t w, uint32_t h, file_format fmt)
{
	return fmt == FMT_JPEG ? (double)bytes : (double)w * h * PNG_AS_JPEG_BPP;
}

uint32_t fit_min_edge(uint32_t dpi, double page_mm)
{
	return dpi ? (uint32_t)ceil(dpi * page_mm / 25.4) : 0;
}

/* The long edge lim lets an image of w x h keep (no larger than it is). */
static uint32_t target_edge(uint32_t w, uint32_t h, const fit_limits *lim)
{
	uint32_t lng = w > h ? w : h, sht = w > h ? h : w;
	double e = lng;

	if (lim->max_long_edge && e > lim->max_long_edge)
		e = lim->max_long_edge;
	if (lim->max_pixels && sht && (double)w * h > (double)lim->max_pixels) {
		double k = sqrt((double)lim->max_pixels / ((double)w * h));
		if (floor(lng * k) < e)
			e = floor(lng * k);
	}
	return (uint32_t)e;
}

fit_verdict fit_estimate(uint64_t bytes, uint32_t w, uint32_t h, file_format fmt, const fit_limits *lim)
{
	uint32_t lng = w > h ? w : h, edge, floor_edge = lim->min_long_edge < lng ? lim->min_long_edge : lng;
	double est, k;

	if (!w || !h || (fmt != FMT_JPEG && fmt != FMT_PNG))
		return FIT_NONE;
	edge = target_edge(w, h, lim);
	if (edge == lng && (!lim->max_bytes || bytes <= lim->max_bytes))
		return FIT_NONE;
	if (edge < floor_edge)
		return FIT_NO;
	k = (double)edge / lng;
	est = fit_jpeg_guess(bytes, w, h, fmt) * k * k;
	if (!lim->max_bytes || est <= (double)lim->max_bytes)
		return FIT_YES;
	/* at the smallest edge allowed, at the lowest quality */
	if (floor_edge) {
		k = (double)floor_edge / edge;
		est *= k * k;
	} else {
		est = 0;
	}
	return est * MIN_QUALITY_GAIN <= (double)lim->max_bytes ? FIT_YES : FIT_NO;
}

/* ---- pixels ---- */

int fit_shrink(const thumb_rgb *src, uint32_t edge, thumb_rgb *dst)
{
	unsigned lng = src->w > src->h ? src->w : src->h, tw, th, x, y, sx, sy, c;

	if (edge >= lng) {
		tw = src->w;
		th = src->h;
	} else {
		tw = (unsigned)((uint64_t)src->w * edge / lng);
		th = (unsigned)((uint64_t)src->h * edge / lng);
	}
	tw = tw ? tw : 1;
	th = th ? th : 1;
	if (!(dst->px = malloc((size_t)tw * th * 3)))
		return -1;
	dst->w = tw;
	dst->h = th;
	if (tw == src->w && th == src->h) {  /* the common case: nothing to shrink */
		memcpy(dst->px, src->px, (size_t)tw * th * 3);
		return 0;
	}
	for (y = 0; y < th; y++) {
		unsigned y0 = (unsigned)((uint64_t)y * src->h / th), y1 = (unsigned)((uint64_t)(y + 1) * src->h / th);
		y1 = y1 > y0 ? y1 : y0 + 1;
		for (x = 0; x < tw; x++) {
			unsigned x0 = (unsigned)((uint64_t)x * src->w / tw), x1 = (unsigned)((uint64_t)(x + 1) * src->w / tw);
			uint32_t sum[3] = { 0, 0, 0 }, n;
			x1 = x1 > x0 ? x1 : x0 + 1;
			for (sy = y0; sy < y1; sy++) {
				const uint8_t *p = src->px + ((size_t)sy * src->w + x0) * 3;
				for (sx = x0; sx < x1; sx++, p += 3)
					for (c = 0; c < 3; c++)
						sum[c] += p[c];
			}
			n = (y1 - y0) * (x1 - x0);
			for (c = 0; c < 3; c++)
				dst->px[((size_t)y * tw + x) * 3 + c] = (uint8_t)((sum[c] + n / 2) / n);
		}
	}
	return 0;
}

/* img as a baseline JPEG at quality q, its JFIF density dpi (0: none). */
static int encode_jpeg(const thumb_rgb *img, int q, double dpi, uint8_t **out, size_t *len, lp_err *err)
{
	imageio_enc how = { .quality = q, .optimize = 1, .dpi_x = dpi, .dpi_y = dpi };

	return imageio_encode(img->px, img->w, img->h, 3, &how, out, len, err) ? FIT_ERROR : FIT_OK;
}

int fit_rows(uint32_t w, uint32_t h, imageio_row_fn row_fn, void *arg, const fit_limits *lim, fit_out *out,
	     lp_err *err)
{
	uint32_t lng = w > h ? w : h;
	double dpi = lim->page_mm > 0 ? lng * 25.4 / lim->page_mm : 0;
	/* standard Huffman tables: optimised ones would keep every
	 * coefficient of the picture in memory until the end */
	imageio_enc how = { .quality = lim->quality ? lim->quality : FIT_QUALITY, .dpi_x = dpi, .dpi_y = dpi };

	memset(out, 0, sizeof *out);
	if (target_edge(w, h, lim) < lng || (lim->start_edge && lim->start_edge < lng))
		return FIT_PIXELS;
	if (imageio_encode_rows(w, h, 3, row_fn, arg, &how, &out->jpeg, &out->len, err) != 0)
		return FIT_ERROR;
	if (lim->max_bytes && out->len > lim->max_bytes) {
		free(out->jpeg);
		memset(out, 0, sizeof *out);
		return FIT_PIXELS;
	}
	out->w = w;
	out->h = h;
	out->quality = how.quality;
	return FIT_OK;
}

/* FIT_TOO_LARGE with its four numbers written out. */
static void fail_too_large(lp_err *err, size_t len, uint32_t edge, int q, uint64_t max_bytes)
{
	char a[24], b[16], c[16], d[24];

	snprintf(a, sizeof a, "%zu", len);
	snprintf(b, sizeof b, "%u", edge);
	snprintf(c, sizeof c, "%d", q);
	snprintf(d, sizeof d, "%llu", (unsigned long long)max_bytes);
	lp_fail(err, LP_E_FIT_TOO_LARGE, a, b, c, d);
}

int fit_pixels(thumb_rgb *img, const fit_limits *lim, fit_out *out, lp_err *err)
{
	uint32_t lng = img->w > img->h ? img->w : img->h, edge = target_edge(img->w, img->h, lim);
	/* never shrunk below the minimum resolution; a smaller image is only
	 * re-encoded */
	uint32_t floor_edge = lim->min_long_edge < lng ? lim->min_long_edge : lng;

	if (lim->start_edge && lim->start_edge < edge)
		edge = lim->start_edge > floor_edge ? lim->start_edge : floor_edge;
	int q = lim->quality ? lim->quality : FIT_QUALITY, tries, ret = FIT_ERROR;
	thumb_rgb cur = { NULL, 0, 0 };

	memset(out, 0, sizeof *out);
	if (edge < floor_edge) {
		char e1[16], e2[16];

		snprintf(e1, sizeof e1, "%u", edge);
		snprintf(e2, sizeof e2, "%u", floor_edge);
		lp_fail(err, LP_E_FIT_BELOW_MIN_EDGE, e1, e2);
		ret = FIT_CANNOT;
		goto cleanup;
	}
	for (tries = 0; tries < MAX_TRIES; tries++) {
		double dpi = 0;
		/* at full size the image itself is encoded: a copy of its
		 * pixels cost a fifth of a check's time (page faults) */
		const thumb_rgb *enc = img;
		free(cur.px);
		cur.px = NULL;
		if (edge < lng) {
			if (fit_shrink(img, edge, &cur) != 0) {
				lp_nomem(err);
				goto cleanup;
			}
			enc = &cur;
		}
		if (lim->page_mm > 0)
			dpi = (enc->w > enc->h ? enc->w : enc->h) * 25.4 / lim->page_mm;
		free(out->jpeg);
		out->jpeg = NULL;
		if (encode_jpeg(enc, q, dpi, &out->jpeg, &out->len, err) != FIT_OK)
			goto cleanup;
		if (!lim->max_bytes || out->len <= lim->max_bytes) {
			out->w = enc->w;
			out->h = enc->h;
			out->quality = q;
			out->reduced = edge < lng;
			ret = FIT_OK;
			goto cleanup;
		}
		/* fewer pixels first (text stays sharp longer than with a
		 * lower quality), down to the smallest edge allowed; then a
		 * lower quality at that edge */
		if (edge > floor_edge || !floor_edge) {
			uint32_t next = (uint32_t)(edge * sqrt((double)lim->max_bytes / (double)out->len) * 0.95);
			edge = next < floor_edge ? floor_edge : next;
			if (edge < 16)
				break;
		} else if (q > FIT_MIN_QUALITY) {
			q = q - 5 < FIT_MIN_QUALITY ? FIT_MIN_QUALITY : q - 5;
		} else {
			break;
		}
	}
	fail_too_large(err, out->len, edge, q, lim->max_bytes);
	free(out->jpeg);
	out->jpeg = NULL;
	ret = FIT_CANNOT;
cleanup:
	free(cur.px);
	free(img->px);
	img->px = NULL;
	if (ret != FIT_OK) {
		free(out->jpeg);
		memset(out, 0, sizeof *out);
	}
	return ret;
}

int fit_decode_upright(const uint8_t *data, size_t len, file_format fmt, int orientation, uint32_t want_edge,
		       thumb_rgb *img, lp_err *err)
{
	int r;

	memset(img, 0, sizeof *img);
	if (fmt == FMT_JPEG)
		r = imageio_decode_rgb(data, len, want_edge, IMAGEIO_FAST_SCALED, img, err) ? FIT_ERROR : FIT_OK;
	else if (fmt == FMT_PNG)
		r = imageio_decode_png_rgb(data, len, img, err) ? FIT_ERROR : FIT_OK;
	else {
		lp_fail(err, LP_E_FIT_NOT_IMAGE);
		return FIT_ERROR;
	}
	if (r != FIT_OK)
		return r;
	if (imageio_upright(img, orientation) != 0) {
		free(img->px);
		img->px = NULL;
		lp_nomem(err);
		return FIT_ERROR;
	}
	return FIT_OK;
}

/* fit_rows over the PNG in data's rows: FIT_PIXELS also for a PNG the
 * rows cannot give (imageio_png_rows_open). */
static int png_rows(const uint8_t *data, size_t len, const fit_limits *lim, fit_out *out, lp_err *err)
{
	imageio_png_rows rows;
	int r = imageio_png_rows_open(&rows, data, len, err);

	if (r != 0)
		return r > 0 ? FIT_PIXELS : FIT_ERROR;
	r = fit_rows(rows.w, rows.h, imageio_png_row, &rows, lim, out, err);
	if (r == FIT_OK && rows.failed) {
		free(out->jpeg);
		memset(out, 0, sizeof *out);
		lp_fail(err, LP_E_PNG_DECODE, "libpng error");
		r = FIT_ERROR;
	}
	imageio_png_rows_close(&rows);
	return r;
}

int fit_image(const uint8_t *data, size_t len, file_format fmt, int orientation, const fit_limits *lim, fit_out *out,
	      lp_err *err)
{
	thumb_rgb img;
	/* the edge wanted, for a JPEG's scaled decode: the target before
	 * any byte fitting */
	uint32_t want = lim->max_long_edge ? lim->max_long_edge : 65535;
	fit_limits l = *lim;
	int r;

	memset(out, 0, sizeof *out);
	/* a JPEG's bytes go roughly with its pixels: a first guess at the
	 * edge that fits saves encoding the full size to learn it, and lets
	 * libjpeg-turbo decode at 1/2 or 1/4 */
	if (fmt == FMT_JPEG && l.max_bytes && len > l.max_bytes) {
		file_info in;
		uint32_t guess;
		memset(&in, 0, sizeof in);
		if (imageio_header_size(data, len, &in.width, &in.height) == 0) {
			guess = (uint32_t)((in.width > in.height ? in.width : in.height) *
					   sqrt((double)l.max_bytes * 0.9 / (double)len));
			if (!l.start_edge || guess < l.start_edge)
				l.start_edge = guess;
			if (guess < want)
				want = guess;
		}
	}
	if (l.min_long_edge && want < l.min_long_edge)
		want = l.min_long_edge;
	/* an upright PNG that may keep its size goes from libpng's rows
	 * straight into the encoder: no picture held; decoded whole only
	 * when it must be fitted */
	if (fmt == FMT_PNG && orientation <= 1 && (r = png_rows(data, len, &l, out, err)) != FIT_PIXELS)
		return r;
	if ((r = fit_decode_upright(data, len, fmt, orientation, want, &img, err)) != FIT_OK)
		return r;
	return fit_pixels(&img, &l, out, err);
}
