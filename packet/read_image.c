/*
 * read_image: a scan's pixels as recognition wants them — one grey byte a
 * pixel, scaled down to the resolution text recognition needs, turned
 * upright on request.
 *
 * JPEG goes through libjpeg-turbo's scaled decode (1/8 steps, so a 600-dpi
 * scan is never held at full size), PNG through libpng with every CRC
 * checked; both are then averaged down to the target. The decoded image
 * never holds more than the caller's pixel limit: a file that would is
 * refused (READ_IMG_TOO_LARGE) before its pixels are decoded.
 */
#include "packet/read_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "packet/imageio.h"

/* The factor (<= 1) that brings a w x h scan of density dpi (0: unknown) to
 * the target: READ_TARGET_DPI when the density is known and the scan is
 * larger than READ_SMALL pixels (a small scan gains little from shrinking
 * and OSD grows unsure on it: a 717x384 page at 200 dpi, OSD confidence
 * 2.1, at 150 dpi 1.0), and never more than READ_MAX_SIDE pixels on the
 * longer side. */
static double target_factor(uint32_t w, uint32_t h, double dpi)
{
	double f = 1.0, side = w > h ? w : h;

	if (dpi >= 50 && dpi > READ_TARGET_DPI && (double)w * h > READ_SMALL)
		f = READ_TARGET_DPI / dpi;
	if (side * f > READ_MAX_SIDE)
		f = READ_MAX_SIDE / side;
	return f;
}

/* Area average of src (sw x sh) into dst (dw x dh), dw <= sw, dh <= sh. */
static void average_down(const uint8_t *src, uint32_t sw, uint32_t sh, uint8_t *dst, uint32_t dw, uint32_t dh)
{
	for (uint32_t y = 0; y < dh; y++) {
		uint32_t y0 = (uint32_t)((uint64_t)y * sh / dh), y1 = (uint32_t)((uint64_t)(y + 1) * sh / dh);

		if (y1 <= y0)
			y1 = y0 + 1;
		for (uint32_t x = 0; x < dw; x++) {
			uint32_t x0 = (uint32_t)((uint64_t)x * sw / dw), x1 = (uint32_t)((uint64_t)(x + 1) * sw / dw);
			uint64_t sum = 0;

			if (x1 <= x0)
				x1 = x0 + 1;
			for (uint32_t yy = y0; yy < y1; yy++)
				for (uint32_t xx = x0; xx < x1; xx++)
					sum += src[(size_t)yy * sw + xx];
			dst[(size_t)y * dw + x] = (uint8_t)(sum / ((uint64_t)(y1 - y0) * (x1 - x0)));
		}
	}
}

/* Replace img's pixels by the same averaged down by f (< 1). Returns 0 or -1. */
static int shrink(read_img *img, double f)
{
	uint32_t dw = (uint32_t)(img->w * f + 0.5), dh = (uint32_t)(img->h * f + 0.5);
	uint8_t *d;

	if (dw < 1)
		dw = 1;
	if (dh < 1)
		dh = 1;
	if (dw >= img->w && dh >= img->h)
		return 0;
	d = malloc((size_t)dw * dh);
	if (!d)
		return -1;
	average_down(img->px, img->w, img->h, d, dw, dh);
	free(img->px);
	img->px = d;
	img->w = dw;
	img->h = dh;
	return 0;
}

/* img, decoded, averaged down the rest of the way to the target (a step
 * under 5 % is not worth it, unless the longer side is over READ_MAX_SIDE:
 * a 12x2016 scan stayed 2016 high; found by fuzz_read_input). */
static read_img_status scale_to_target(read_img *img)
{
	double f = target_factor(img->w, img->h, img->dpi);

	if (f >= 0.95 && (img->w > img->h ? img->w : img->h) <= READ_MAX_SIDE)
		return READ_IMG_OK;
	if (shrink(img, f) != 0)
		return READ_IMG_NOMEM;
	img->dpi *= f;
	return READ_IMG_OK;
}

/* State kept outside decode_jpeg's setjmp frame. libjpeg's and libpng's
 * errors longjmp back, their warnings are ignored (packet/imageio.c): a
 * damaged scan reads as what can be read, the probe has already judged it. */
typedef struct {
	struct jpeg_decompress_struct c;
	imageio_err e;
	read_img *img;
} jpeg_state;

static read_img_status decode_jpeg(const uint8_t *data, size_t len, uint64_t max_pixels, read_img *img)
{
	jpeg_state *s = calloc(1, sizeof *s);
	volatile read_img_status ret = READ_IMG_CORRUPT; /* set across the setjmp */
	double f, dpi;

	if (!s)
		return READ_IMG_NOMEM;
	s->img = img;
	s->c.err = imageio_err_init(&s->e);
	if (setjmp(s->e.jb))
		goto cleanup;
	jpeg_create_decompress(&s->c);
	jpeg_mem_src(&s->c, data, (unsigned long)len);
	if (jpeg_read_header(&s->c, TRUE) != JPEG_HEADER_OK)
		goto cleanup;
	dpi = s->c.density_unit == 1 ? s->c.X_density : s->c.density_unit == 2 ? s->c.X_density * 2.54 : 0;
	f = target_factor(s->c.image_width, s->c.image_height, dpi);
	s->c.scale_num = (unsigned)(f * 8 + 0.999);
	if (s->c.scale_num < 1)
		s->c.scale_num = 1;
	if (s->c.scale_num > 8)
		s->c.scale_num = 8;
	s->c.scale_denom = 8;
	s->c.out_color_space = JCS_GRAYSCALE;
	s->c.dct_method = JDCT_ISLOW;
	jpeg_calc_output_dimensions(&s->c);
	if ((uint64_t)s->c.output_width * s->c.output_height > max_pixels) {
		ret = READ_IMG_TOO_LARGE;
		goto cleanup;
	}
	jpeg_start_decompress(&s->c);
	img->w = s->c.output_width;
	img->h = s->c.output_height;
	img->dpi = dpi * s->c.scale_num / 8;
	img->px = malloc((size_t)img->w * img->h);
	if (!img->px) {
		ret = READ_IMG_NOMEM;
		goto cleanup;
	}
	while (s->c.output_scanline < s->c.output_height) {
		JSAMPROW row = img->px + (size_t)s->c.output_scanline * img->w;

		jpeg_read_scanlines(&s->c, &row, 1);
	}
	jpeg_finish_decompress(&s->c);
	/* the rest of the way, from what libjpeg's 1/8 steps left */
	ret = scale_to_target(img);
cleanup:
	jpeg_destroy_decompress(&s->c);
	free(s);
	return ret;
}

/* State kept outside decode_png's setjmp frame. */
typedef struct {
	png_structp p;
	png_infop info;
	imageio_png_src src;
	png_bytep *rows;
} png_state;

static read_img_status decode_png(const uint8_t *data, size_t len, uint64_t max_pixels, read_img *img)
{
	png_state *s = calloc(1, sizeof *s);
	volatile read_img_status ret = READ_IMG_CORRUPT; /* set across the setjmp */
	png_uint_32 w, h, rx, ry;
	int unit;

	if (!s)
		return READ_IMG_NOMEM;
	s->src = (imageio_png_src){ data, len, 0 };
	s->p = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, imageio_png_error, imageio_png_warning);
	s->info = s->p ? png_create_info_struct(s->p) : NULL;
	if (!s->info) {
		ret = READ_IMG_NOMEM;
		goto cleanup;
	}
	if (setjmp(png_jmpbuf(s->p)))
		goto cleanup;
	png_set_read_fn(s->p, &s->src, imageio_png_read_mem);
	png_read_info(s->p, s->info);
	w = png_get_image_width(s->p, s->info);
	h = png_get_image_height(s->p, s->info);
	if ((uint64_t)w * h > max_pixels) {
		ret = READ_IMG_TOO_LARGE;
		goto cleanup;
	}
	img->dpi = 0;
	if (png_get_pHYs(s->p, s->info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER)
		img->dpi = rx * 0.0254;
	png_set_expand(s->p);
	png_set_strip_16(s->p);
	png_set_strip_alpha(s->p);
	png_set_rgb_to_gray_fixed(s->p, 1, -1, -1);
	png_set_interlace_handling(s->p);
	png_read_update_info(s->p, s->info);
	if (png_get_rowbytes(s->p, s->info) != w)
		goto cleanup;
	img->w = w;
	img->h = h;
	img->px = malloc((size_t)w * h);
	s->rows = malloc(sizeof *s->rows * h);
	if (!img->px || !s->rows) {
		ret = READ_IMG_NOMEM;
		goto cleanup;
	}
	for (png_uint_32 y = 0; y < h; y++)
		s->rows[y] = img->px + (size_t)y * w;
	png_read_image(s->p, s->rows);
	ret = scale_to_target(img);
cleanup:
	png_destroy_read_struct(s->p ? &s->p : NULL, s->info ? &s->info : NULL, NULL);
	free(s->rows);
	free(s);
	return ret;
}

read_img_status read_img_decode(const uint8_t *data, size_t len, file_format fmt, uint64_t max_pixels,
				read_img *img)
{
	read_img_status st;

	memset(img, 0, sizeof *img);
	if (fmt == FMT_JPEG)
		st = decode_jpeg(data, len, max_pixels, img);
	else if (fmt == FMT_PNG)
		st = decode_png(data, len, max_pixels, img);
	else
		return READ_IMG_FORMAT;
	if (st != READ_IMG_OK)
		read_img_release(img);
	return st;
}

int read_img_turn(read_img *img, int deg)
{
	uint32_t tw, th;
	uint8_t *t;

	deg = ((deg % 360) + 360) % 360;
	if (deg == 0)
		return 0;
	tw = deg == 180 ? img->w : img->h;
	th = deg == 180 ? img->h : img->w;
	t = malloc((size_t)tw * th);
	if (!t)
		return -1;
	for (uint32_t y = 0; y < img->h; y++)
		for (uint32_t x = 0; x < img->w; x++) {
			uint32_t nx, ny;

			if (deg == 90) {
				nx = img->h - 1 - y;
				ny = x;
			} else if (deg == 180) {
				nx = img->w - 1 - x;
				ny = img->h - 1 - y;
			} else {
				nx = y;
				ny = img->w - 1 - x;
			}
			t[(size_t)ny * tw + nx] = img->px[(size_t)y * img->w + x];
		}
	free(img->px);
	img->px = t;
	img->w = tw;
	img->h = th;
	return 0;
}

void read_img_release(read_img *img)
{
	free(img->px);
	img->px = NULL;
	img->w = img->h = 0;
}
