/*
 * mkpage: a small scanned "page" of given text lines, for the reader's tests
 * (packet/read.c): black text on white, drawn with FreeType in a CJK font,
 * optionally turned, written as a grey PNG (with its density) or a JPEG.
 *
 *   mkpage OUT.png|OUT.jpg [--dpi N] [--px N] [--rotate 0|90|180|270]
 *          [--font PATH] LINE...
 *
 * --px is the text's height in pixels (default 40), --dpi the density the
 * file declares (default 200), --rotate turns the finished page clockwise
 * (a page scanned upside down: 180). The same arguments give the same bytes.
 * The tests/tools/mkdoc.c generator makes whole documents with random valid
 * identifiers; this one makes exactly the lines a test names.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <png.h>

#include "packet/imageio.h"

#define DEFAULT_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "mkpage: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

/* Next code point of UTF-8 text s at *i (no validation: the tests' own text). */
static uint32_t next_cp(const char *s, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s + *i;
	uint32_t c = u[0];
	int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;

	if (n)
		c &= 0x3F >> n;
	for (int k = 1; k <= n && u[k]; k++)
		c = c << 6 | (u[k] & 0x3F);
	*i += (size_t)n + 1;
	return c;
}

typedef struct {
	uint8_t *px;
	int w, h;
} canvas;

static int line_width(FT_Face face, const char *s)
{
	size_t i = 0;
	int w = 0;

	while (s[i]) {
		if (FT_Load_Char(face, next_cp(s, &i), FT_LOAD_DEFAULT) == 0)
			w += (int)(face->glyph->advance.x >> 6);
	}
	return w;
}

static void draw_line(canvas *c, FT_Face face, const char *s, int x, int baseline)
{
	size_t i = 0;

	while (s[i]) {
		FT_GlyphSlot g;

		if (FT_Load_Char(face, next_cp(s, &i), FT_LOAD_RENDER) != 0)
			continue;
		g = face->glyph;
		for (unsigned r = 0; r < g->bitmap.rows; r++) {
			int y = baseline - g->bitmap_top + (int)r;

			for (unsigned col = 0; col < g->bitmap.width; col++) {
				int xx = x + g->bitmap_left + (int)col;
				unsigned a = g->bitmap.buffer[r * (unsigned)g->bitmap.pitch + col];

				if (y >= 0 && y < c->h && xx >= 0 && xx < c->w && a)
					c->px[(size_t)y * (size_t)c->w + (size_t)xx] = (uint8_t)(255 - a * 235 / 255);
			}
		}
		x += (int)(g->advance.x >> 6);
	}
}

/* c turned clockwise by deg (90, 180 or 270). */
static canvas turn(const canvas *c, int deg)
{
	canvas t = { malloc((size_t)c->w * (size_t)c->h), deg == 180 ? c->w : c->h, deg == 180 ? c->h : c->w };

	if (!t.px)
		die("out of memory", NULL);
	for (int y = 0; y < c->h; y++)
		for (int x = 0; x < c->w; x++) {
			int tx, ty;

			if (deg == 90) {
				tx = c->h - 1 - y;
				ty = x;
			} else if (deg == 180) {
				tx = c->w - 1 - x;
				ty = c->h - 1 - y;
			} else {
				tx = y;
				ty = c->w - 1 - x;
			}
			t.px[(size_t)ty * (size_t)t.w + (size_t)tx] = c->px[(size_t)y * (size_t)c->w + (size_t)x];
		}
	return t;
}

static void write_png(const char *out, const canvas *c, int dpi)
{
	FILE *f = fopen(out, "wb");
	png_structp p;
	png_infop info;

	if (!f)
		die(strerror(errno), out);
	p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = p ? png_create_info_struct(p) : NULL;
	if (!info || setjmp(png_jmpbuf(p)))
		die("cannot write PNG", out);
	png_init_io(p, f);
	png_set_IHDR(p, info, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_pHYs(p, info, (png_uint_32)(dpi / 0.0254 + 0.5), (png_uint_32)(dpi / 0.0254 + 0.5),
		     PNG_RESOLUTION_METER);
	png_write_info(p, info);
	for (int y = 0; y < c->h; y++)
		png_write_row(p, c->px + (size_t)y * (size_t)c->w);
	png_write_end(p, NULL);
	png_destroy_write_struct(&p, &info);
	if (fclose(f) != 0)
		die(strerror(errno), out);
}

/* c (grey) as a baseline JPEG of quality 85 (packet/imageio.c's
 * encoder), declaring dpi. */
static void write_jpeg(const char *out, const canvas *c, int dpi)
{
	const imageio_enc o = { 85, 0, 0, dpi, dpi };
	uint8_t *jpg;
	size_t len;
	lp_err err;
	FILE *f;

	if (imageio_encode(c->px, (uint32_t)c->w, (uint32_t)c->h, 1, &o, &jpg, &len, &err) != 0)
		die("cannot encode the JPEG", out);
	f = fopen(out, "wb");
	if (!f || fwrite(jpg, 1, len, f) != len)
		die(strerror(errno), out);
	if (fclose(f) != 0)
		die(strerror(errno), out);
	free(jpg);
}

int main(int argc, char **argv)
{
	const char *out, *font = DEFAULT_FONT;
	int dpi = 200, px = 40, rot = 0, first, w = 0, margin;
	FT_Library lib;
	FT_Face face;
	canvas c;

	if (argc < 3)
		die("usage: mkpage OUT.png|OUT.jpg [--dpi N] [--px N] [--rotate DEG] [--font PATH] LINE...", NULL);
	out = argv[1];
	for (first = 2; first < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
		if (first + 1 >= argc)
			die("option without a value", argv[first]);
		if (strcmp(argv[first], "--dpi") == 0)
			dpi = atoi(argv[first + 1]);
		else if (strcmp(argv[first], "--px") == 0)
			px = atoi(argv[first + 1]);
		else if (strcmp(argv[first], "--rotate") == 0)
			rot = atoi(argv[first + 1]);
		else if (strcmp(argv[first], "--font") == 0)
			font = argv[first + 1];
		else
			die("unknown option", argv[first]);
	}
	if (dpi < 10 || dpi > 1200 || px < 6 || px > 400 || (rot != 0 && rot != 90 && rot != 180 && rot != 270))
		die("a value out of range", NULL);
	if (FT_Init_FreeType(&lib) != 0 || FT_New_Face(lib, font, 0, &face) != 0)
		die("cannot open the font", font);
	FT_Set_Pixel_Sizes(face, 0, (FT_UInt)px);
	for (int i = first; i < argc; i++) {
		int lw = line_width(face, argv[i]);

		w = lw > w ? lw : w;
	}
	margin = px * 2;
	c.w = w + 2 * margin;
	c.h = (argc - first) * px * 2 + 2 * margin;
	c.px = malloc((size_t)c.w * (size_t)c.h);
	if (!c.px)
		die("out of memory", NULL);
	memset(c.px, 255, (size_t)c.w * (size_t)c.h);
	for (int i = first; i < argc; i++)
		draw_line(&c, face, argv[i], margin, margin + (i - first) * px * 2 + px);
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
	if (rot) {
		canvas t = turn(&c, rot);

		free(c.px);
		c = t;
	}
	if (strlen(out) > 4 && strcmp(out + strlen(out) - 4, ".png") == 0)
		write_png(out, &c, dpi);
	else
		write_jpeg(out, &c, dpi);
	free(c.px);
	return 0;
}
