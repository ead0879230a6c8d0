/*
 * gen: scanned-looking pages for the benchmark (make bench), so that it
 * needs no ImageMagick and no real person's documents.
 *
 *   gen jpeg OUT [--grey] [--variant N] [--size WxH] [--dpi N] [--quality Q]
 *   gen png  OUT [--grey] [--variant N] [--size WxH] [--dpi N]
 *
 * Defaults: A4 at 300 dpi (2480x3508), JPEG quality 80. A page is off-white
 * paper with a scanner's noise on it, a blue title band, some thirty lines
 * of blocky "characters", and a red seal (a ring round a star-like dot), so
 * that files have the size and the entropy of real scans (about 1.3 MB for
 * a colour A4 JPEG) and the seal and colour checks see what they expect.
 * --variant changes the text and the noise, so that two pages never have
 * the same bytes. The same arguments always give the same bytes.
 *
 * tests/tools/mkfixture.c makes clean synthetic pages for the tests; those
 * compress to a few hundred kilobytes, which would flatter every tool in a
 * benchmark, hence this separate generator.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#define TOOL_NAME "gen"
#include "../tools/tool.h"

typedef struct {
	uint32_t w, h;
	int grey, dpi, quality;
	uint32_t variant;
} opts;

/* A small, well mixed hash (Murmur3's finaliser) for glyph shapes and noise. */
static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85EBCA6Bu;
	x ^= x >> 13;
	x *= 0xC2B2AE35u;
	x ^= x >> 16;
	return x;
}

/* Ink density 0..255 of the page's "print" at (x, y), and its colour kind:
 * 0 black ink, 1 blue band, 2 red seal. */
static int ink(const opts *o, uint32_t x, uint32_t y, int *kind)
{
	uint32_t W = o->w, H = o->h, m = W < H ? W : H;

	/* the seal, lower right: a ring and a filled centre */
	{
		int64_t cx = W * 70 / 100, cy = H * 80 / 100, R = m * 12 / 100;
		int64_t dx = (int64_t)x - cx, dy = (int64_t)y - cy, d2 = dx * dx + dy * dy;
		if ((d2 <= R * R && d2 >= R * R * 81 / 100) || d2 <= R * R / 12) {
			*kind = 2;
			return 200 + (int)(mix(x * 31u + y) & 55u);
		}
	}
	/* title band */
	if (y >= H * 5 / 100 && y < H * 8 / 100 && x >= W * 20 / 100 && x < W * 80 / 100) {
		*kind = 1;
		return 230;
	}
	*kind = 0;
	/* text: lines of square glyphs, each a few strokes on a 5x5 grid */
	if (y >= H * 12 / 100 && y < H * 88 / 100 && x >= W * 10 / 100 && x < W * 90 / 100) {
		uint32_t cell = m / 58 + 1, pitch = cell * 2;
		uint32_t line = (y - H * 12 / 100) / pitch, within_y = (y - H * 12 / 100) % pitch;
		uint32_t col = (x - W * 10 / 100) / cell, within_x = (x - W * 10 / 100) % cell;
		uint32_t len = 20 + mix(line * 977u + o->variant * 131u) % 36;
		uint32_t g, gx, gy, sw = cell / 12 + 1;
		if (within_y >= cell || col >= len || within_x >= cell * 9 / 10)
			return 0;
		g = mix(line * 65537u + col * 257u + o->variant * 7919u + 1u);
		gx = within_x * 5 / cell;
		gy = within_y * 5 / cell;
		/* horizontal stroke in row gy, vertical in column gx */
		if (((g >> gy) & 1) && within_y % (cell / 5 + 1) < sw)
			return 235;
		if (((g >> (5 + gx)) & 1) && within_x % (cell / 5 + 1) < sw)
			return 235;
	}
	return 0;
}

/* One row of the page, RGB (or grey when o->grey), noise included. */
static void render_row(const opts *o, uint32_t y, uint8_t *row)
{
	static const int paper[3] = { 243, 241, 236 };
	static const int colours[3][3] = { { 25, 25, 30 }, { 35, 70, 170 }, { 205, 30, 35 } };
	uint32_t state = mix(y * 2654435761u + o->variant * 40503u + 7u) | 1u;

	for (uint32_t x = 0; x < o->w; x++) {
		int kind, a = ink(o, x, y, &kind), n, v[3];
		/* xorshift32: triangular noise of about +-6 levels, as a flatbed gives */
		state ^= state << 13;
		state ^= state >> 17;
		state ^= state << 5;
		n = (int)(state & 7) + (int)((state >> 3) & 7) - 7;
		for (int k = 0; k < 3; k++) {
			int c = paper[k] + (colours[kind][k] - paper[k]) * a / 255 + n;
			v[k] = c < 0 ? 0 : c > 255 ? 255 : c;
		}
		if (o->grey)
			row[x] = (uint8_t)((v[0] * 299 + v[1] * 587 + v[2] * 114 + 500) / 1000);
		else
			row[3 * x] = (uint8_t)v[0], row[3 * x + 1] = (uint8_t)v[1],
			row[3 * x + 2] = (uint8_t)v[2];
	}
}

static void write_jpeg(const char *path, const opts *o)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr err;
	FILE *f = fopen(path, "wb");
	uint8_t *row = malloc((size_t)o->w * 3);

	if (f == NULL || row == NULL)
		die("cannot create '%s': %s", path, strerror(errno));
	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = o->w;
	c.image_height = o->h;
	c.input_components = o->grey ? 1 : 3;
	c.in_color_space = o->grey ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, o->quality, TRUE);
	c.write_JFIF_header = TRUE;
	c.density_unit = 1;
	c.X_density = c.Y_density = (UINT16)o->dpi;
	jpeg_start_compress(&c, TRUE);
	for (uint32_t y = 0; y < o->h; y++) {
		JSAMPROW r = row;
		render_row(o, y, row);
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	if (ferror(f) | fclose(f))
		die("cannot write '%s'", path);
}

static void write_png(const char *path, const opts *o)
{
	FILE *f = fopen(path, "wb");
	uint8_t *row = malloc((size_t)o->w * 3);
	png_structp png;
	png_infop info;
	png_uint_32 ppm = (png_uint_32)(o->dpi / 0.0254 + 0.5);

	if (f == NULL || row == NULL)
		die("cannot create '%s': %s", path, strerror(errno));
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (info == NULL)
		die("out of memory");
	if (setjmp(png_jmpbuf(png)))
		die("libpng failed writing '%s'", path);
	png_init_io(png, f);
	png_set_IHDR(png, info, o->w, o->h, 8, o->grey ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
	png_write_info(png, info);
	for (uint32_t y = 0; y < o->h; y++) {
		render_row(o, y, row);
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	if (ferror(f) | fclose(f))
		die("cannot write '%s'", path);
}

int main(int argc, char **argv)
{
	opts o = { 2480, 3508, 0, 300, 80, 0 };
	int is_png;

	if (argc < 3 || (strcmp(argv[1], "jpeg") && strcmp(argv[1], "png")))
		die("usage: gen jpeg|png OUT [--grey] [--variant N] [--size WxH] [--dpi N] [--quality Q]");
	is_png = !strcmp(argv[1], "png");
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--grey")) {
			o.grey = 1;
		} else if (!strcmp(a, "--variant") && v) {
			o.variant = (uint32_t)tool_number(argv[++i], 0, 1000000, "--variant");
		} else if (!strcmp(a, "--dpi") && v) {
			o.dpi = (int)tool_number(argv[++i], 1, 65535, "--dpi");
		} else if (!strcmp(a, "--quality") && v && !is_png) {
			o.quality = (int)tool_number(argv[++i], 1, 100, "--quality");
		} else if (!strcmp(a, "--size") && v) {
			unsigned long w, h;
			char x, extra;
			if (sscanf(argv[++i], "%lu%c%lu%c", &w, &x, &h, &extra) != 3 || x != 'x' ||
			    w < 16 || h < 16 || w > 20000 || h > 20000)
				die("--size: '%s' is not WxH (16-20000 each)", argv[i]);
			o.w = (uint32_t)w;
			o.h = (uint32_t)h;
		} else {
			die("unknown or incomplete option '%s'", a);
		}
	}
	if (is_png)
		write_png(argv[2], &o);
	else
		write_jpeg(argv[2], &o);
	return 0;
}
