/*
 * mkconvert: the files licpack converts, written through their own
 * libraries from a PNG page that mkfixture made, so that a test can compare
 * what licpack packs with the page it came from. No ImageMagick, no real
 * person's documents; the same arguments give the same bytes (x265 too,
 * run on one thread).
 *
 *   mkconvert heic IN.png OUT [--quality Q]       HEVC through libheif (x265)
 *   mkconvert webp IN.png OUT [--orientation N]   lossy WebP (libwebp), an EXIF
 *                                                 chunk with orientation N
 *   mkconvert bmp  IN.png OUT [--dpi N]           24-bit BMP, written by hand
 *   mkconvert gif  IN.png OUT                     GIF (giflib), a 216-colour cube
 *   mkconvert tiff OUT [--compression none|lzw|jpeg|ccitt] [--dpi N]
 *                  [--orientation N] IN.png...    one page per PNG (libtiff);
 *                                                 ccitt: Group 4, bilevel
 *   mkconvert tiff-pages OUT N                    N pages of 1x1 pixel
 *   mkconvert tiff-canvas OUT WxH                 a page declaring WxH pixels,
 *                                                 with one byte of data
 *   mkconvert heic-canvas FILE WxH                FILE (a HEIC) edited to
 *                                                 declare WxH (its ispe box)
 *   mkconvert ppm  IN.png OUT                     the PNG as binary PPM, for
 *                                                 comparing with pdfimages' output
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>
#include <libheif/heif.h>
#include <png.h>
#include <tiffio.h>
#include <webp/encode.h>
#include <webp/mux.h>

#define TOOL_NAME "mkconvert"
#include "tool.h"

typedef struct {
	uint32_t w, h;
	uint8_t *rgb;
} image;

static image read_png(const char *path)
{
	png_image p;
	image im;

	memset(&p, 0, sizeof p);
	p.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&p, path))
		die("cannot read '%s': %s", path, p.message);
	p.format = PNG_FORMAT_RGB;
	im.w = p.width;
	im.h = p.height;
	im.rgb = malloc(PNG_IMAGE_SIZE(p));
	if (!im.rgb || !png_image_finish_read(&p, NULL, im.rgb, 0, NULL))
		die("cannot decode '%s'", path);
	return im;
}

static void parse_wxh(const char *s, uint32_t *w, uint32_t *h)
{
	unsigned long a, b;
	char x;

	if (sscanf(s, "%lu%c%lu", &a, &x, &b) != 3 || x != 'x' || !a || !b || a > 0xffffffffUL || b > 0xffffffffUL)
		die("bad size '%s'", s);
	*w = (uint32_t)a;
	*h = (uint32_t)b;
}

static void write_file(const char *path, const void *d, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(d, 1, n, f) != n || fclose(f) != 0)
		die("cannot write '%s'", path);
}

static void put_le(uint8_t *p, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* --- HEIC --- */

static void make_heic(const char *in, const char *out, int quality)
{
	image im = read_png(in);
	struct heif_context *ctx = heif_context_alloc();
	struct heif_encoder *enc = NULL;
	struct heif_image *img = NULL;
	struct heif_error e;
	uint8_t *plane;
	int stride;

	e = heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc);
	if (e.code)
		die("no HEVC encoder: %s", e.message);
	heif_encoder_set_lossy_quality(enc, quality);
	heif_encoder_set_parameter_integer(enc, "threads", 1);
	e = heif_image_create((int)im.w, (int)im.h, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &img);
	if (e.code == 0)
		e = heif_image_add_plane(img, heif_channel_interleaved, (int)im.w, (int)im.h, 8);
	if (e.code)
		die("heif image: %s", e.message);
	plane = heif_image_get_plane(img, heif_channel_interleaved, &stride);
	for (uint32_t y = 0; y < im.h; y++)
		memcpy(plane + (size_t)y * (size_t)stride, im.rgb + (size_t)y * im.w * 3, (size_t)im.w * 3);
	e = heif_context_encode_image(ctx, img, enc, NULL, NULL);
	if (e.code == 0)
		e = heif_context_write_to_file(ctx, out);
	if (e.code)
		die("cannot write '%s': %s", out, e.message);
	heif_image_release(img);
	heif_encoder_release(enc);
	heif_context_free(ctx);
	free(im.rgb);
}

/* Rewrite every 'ispe' box of a HEIC (the image's and its thumbnail's or
 * tiles'): what the file says the images measure, the pixels unchanged. */
static void heic_canvas(const char *path, const char *size)
{
	uint32_t w, h;
	FILE *f = fopen(path, "r+b");
	uint8_t buf[1 << 16];
	size_t n;
	int found = 0;

	parse_wxh(size, &w, &h);
	if (!f)
		die("cannot open '%s'", path);
	n = fread(buf, 1, sizeof buf, f);
	for (size_t i = 0; i + 16 <= n; i++)
		if (!memcmp(buf + i, "ispe", 4)) {
			uint8_t v[8] = { (uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w,
					 (uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h };
			if (fseek(f, (long)(i + 8), SEEK_SET) || fwrite(v, 1, 8, f) != 8)
				die("cannot write '%s'", path);
			found = 1;
		}
	if (fclose(f) != 0 || !found)
		die("no ispe box in '%s', or it cannot be written", path);
}

/* --- WebP --- */

static void make_webp(const char *in, const char *out, int orientation)
{
	image im = read_png(in);
	uint8_t *enc = NULL;
	size_t n = WebPEncodeRGB(im.rgb, (int)im.w, (int)im.h, (int)im.w * 3, 80.0f, &enc);

	if (!n)
		die("WebP encoding failed");
	if (orientation) {
		/* Exif header, little-endian TIFF, IFD0 with one entry: Orientation */
		uint8_t exif[6 + 26] = "Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0";
		WebPMux *mux;
		WebPData img = { enc, n }, chunk = { exif, sizeof exif }, res = { NULL, 0 };
		put_le(exif + 6 + 18, (uint32_t)orientation, 2);
		mux = WebPMuxCreate(&img, 1);
		if (!mux || WebPMuxSetChunk(mux, "EXIF", &chunk, 1) != WEBP_MUX_OK || WebPMuxAssemble(mux, &res) != WEBP_MUX_OK)
			die("WebP mux failed");
		write_file(out, res.bytes, res.size);
		WebPDataClear(&res);
		WebPMuxDelete(mux);
	} else {
		write_file(out, enc, n);
	}
	WebPFree(enc);
	free(im.rgb);
}

/* --- BMP --- */

static void make_bmp(const char *in, const char *out, int dpi)
{
	image im = read_png(in);
	size_t row = ((size_t)im.w * 3 + 3) & ~(size_t)3, size = 54 + row * im.h;
	uint8_t *b = calloc(1, size);
	uint32_t ppm = (uint32_t)(dpi / 0.0254 + 0.5);

	if (!b)
		die("out of memory");
	b[0] = 'B';
	b[1] = 'M';
	put_le(b + 2, (uint32_t)size, 4);
	put_le(b + 10, 54, 4);
	put_le(b + 14, 40, 4);
	put_le(b + 18, im.w, 4);
	put_le(b + 22, im.h, 4);  /* positive: rows bottom-up */
	put_le(b + 26, 1, 2);
	put_le(b + 28, 24, 2);
	put_le(b + 34, (uint32_t)(row * im.h), 4);
	put_le(b + 38, ppm, 4);
	put_le(b + 42, ppm, 4);
	for (uint32_t y = 0; y < im.h; y++)
		for (uint32_t x = 0; x < im.w; x++) {
			const uint8_t *s = im.rgb + ((size_t)(im.h - 1 - y) * im.w + x) * 3;
			uint8_t *o = b + 54 + (size_t)y * row + (size_t)x * 3;
			o[0] = s[2], o[1] = s[1], o[2] = s[0];
		}
	write_file(out, b, size);
	free(b);
	free(im.rgb);
}

/* --- GIF --- */

static void make_gif(const char *in, const char *out)
{
	image im = read_png(in);
	GifColorType cube[256];
	ColorMapObject *cm;
	GifFileType *g;
	GifPixelType *line = malloc(im.w);
	int err = 0;

	memset(cube, 0, sizeof cube);
	for (int i = 0; i < 216; i++) {
		cube[i].Red = (GifByteType)(i / 36 * 51);
		cube[i].Green = (GifByteType)(i / 6 % 6 * 51);
		cube[i].Blue = (GifByteType)(i % 6 * 51);
	}
	cm = GifMakeMapObject(256, cube);
	g = EGifOpenFileName(out, false, &err);
	if (!g || !cm || !line || EGifPutScreenDesc(g, (int)im.w, (int)im.h, 8, 0, cm) == GIF_ERROR ||
	    EGifPutImageDesc(g, 0, 0, (int)im.w, (int)im.h, false, NULL) == GIF_ERROR)
		die("cannot write '%s'", out);
	for (uint32_t y = 0; y < im.h; y++) {
		for (uint32_t x = 0; x < im.w; x++) {
			const uint8_t *s = im.rgb + ((size_t)y * im.w + x) * 3;
			line[x] = (GifPixelType)((s[0] + 25) / 51 * 36 + (s[1] + 25) / 51 * 6 + (s[2] + 25) / 51);
		}
		if (EGifPutLine(g, line, (int)im.w) == GIF_ERROR)
			die("cannot write '%s'", out);
	}
	if (EGifCloseFile(g, &err) == GIF_ERROR)
		die("cannot write '%s'", out);
	GifFreeMapObject(cm);
	free(line);
	free(im.rgb);
}

/* --- TIFF --- */

static void tiff_page(TIFF *t, const image *im, int comp, int dpi, int orientation)
{
	int bilevel = comp == COMPRESSION_CCITTFAX4;
	size_t rowlen = bilevel ? (im->w + 7) / 8 : (size_t)im->w * 3;
	uint8_t *row = malloc(rowlen);

	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, im->w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, im->h);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bilevel ? 1 : 8);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, bilevel ? 1 : 3);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, bilevel ? PHOTOMETRIC_MINISWHITE : PHOTOMETRIC_RGB);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_COMPRESSION, comp);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, comp == COMPRESSION_JPEG ? 16 : 64);
	if (comp == COMPRESSION_JPEG)
		TIFFSetField(t, TIFFTAG_JPEGQUALITY, 90);
	if (orientation)
		TIFFSetField(t, TIFFTAG_ORIENTATION, orientation);
	if (dpi) {
		TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)dpi);
		TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)dpi);
		TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	}
	TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	for (uint32_t y = 0; y < im->h; y++) {
		const uint8_t *s = im->rgb + (size_t)y * im->w * 3;
		if (bilevel) {
			memset(row, 0, rowlen);
			for (uint32_t x = 0; x < im->w; x++)
				if (s[x * 3] + s[x * 3 + 1] + s[x * 3 + 2] < 3 * 128)  /* dark: 1 in MINISWHITE */
					row[x / 8] |= (uint8_t)(0x80u >> (x % 8));
		} else {
			memcpy(row, s, rowlen);
		}
		if (TIFFWriteScanline(t, row, y, 0) < 0)
			die("TIFF scanline failed");
	}
	if (!TIFFWriteDirectory(t))
		die("TIFF directory failed");
	free(row);
}

static void make_tiff(int argc, char **argv)
{
	const char *out = argv[0];
	int comp = COMPRESSION_NONE, dpi = 0, orientation = 0, i;
	TIFF *t;

	for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
		if (i + 1 >= argc)
			die("%s needs a value", argv[i]);
		if (!strcmp(argv[i], "--compression"))
			comp = !strcmp(argv[i + 1], "lzw") ? COMPRESSION_LZW : !strcmp(argv[i + 1], "jpeg") ? COMPRESSION_JPEG
			       : !strcmp(argv[i + 1], "ccitt") ? COMPRESSION_CCITTFAX4 : COMPRESSION_NONE;
		else if (!strcmp(argv[i], "--dpi"))
			dpi = (int)tool_number(argv[i + 1], 1, 10000, "--dpi");
		else if (!strcmp(argv[i], "--orientation"))
			orientation = (int)tool_number(argv[i + 1], 1, 8, "--orientation");
		else
			die("unknown option '%s'", argv[i]);
	}
	if (i >= argc)
		die("tiff: no page");
	if (!(t = TIFFOpen(out, "w")))
		die("cannot write '%s'", out);
	for (; i < argc; i++) {
		image im = read_png(argv[i]);
		tiff_page(t, &im, comp, dpi, orientation);
		free(im.rgb);
	}
	TIFFClose(t);
}

static void tiff_pages(const char *out, long n)
{
	TIFF *t = TIFFOpen(out, "w");
	uint8_t px = 255;

	if (!t)
		die("cannot write '%s'", out);
	for (long i = 0; i < n; i++) {
		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 1);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, 1);
		TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
		TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
		TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
		if (TIFFWriteScanline(t, &px, 0, 0) < 0 || !TIFFWriteDirectory(t))
			die("cannot write '%s'", out);
	}
	TIFFClose(t);
}

/* By hand: libtiff would write every pixel the header declares. */
static void tiff_canvas(const char *out, const char *size)
{
	uint8_t b[8 + 2 + 8 * 12 + 4 + 1];
	uint32_t w, h, entries[][3] = {
		{ 256, 4, 0 }, { 257, 4, 0 }, { 258, 3, 8 }, { 259, 3, 1 },
		{ 262, 3, 1 }, { 273, 4, sizeof b - 1 }, { 278, 4, 0 }, { 279, 4, 1 },
	};

	parse_wxh(size, &w, &h);
	entries[0][2] = w;
	entries[1][2] = h;
	entries[6][2] = h;
	memset(b, 0, sizeof b);
	memcpy(b, "II*\0\x08\0\0\0", 8);
	put_le(b + 8, 8, 2);
	for (int i = 0; i < 8; i++) {
		uint8_t *e = b + 10 + 12 * i;
		put_le(e, entries[i][0], 2);
		put_le(e + 2, entries[i][1], 2);
		put_le(e + 4, 1, 4);
		put_le(e + 8, entries[i][2], entries[i][1] == 3 ? 2 : 4);
	}
	b[sizeof b - 1] = 0x80;
	write_file(out, b, sizeof b);
}

static void make_ppm(const char *in, const char *out)
{
	image im = read_png(in);
	FILE *f = fopen(out, "wb");

	if (!f || fprintf(f, "P6\n%u %u\n255\n", im.w, im.h) < 0 ||
	    fwrite(im.rgb, 3, (size_t)im.w * im.h, f) != (size_t)im.w * im.h || fclose(f) != 0)
		die("cannot write '%s'", out);
	free(im.rgb);
}

int main(int argc, char **argv)
{
	const char *k = argc > 1 ? argv[1] : "";

	if (argc >= 4 && !strcmp(k, "heic"))
		make_heic(argv[2], argv[3], argc >= 6 && !strcmp(argv[4], "--quality")
							       ? (int)tool_number(argv[5], 1, 100, "--quality") : 80);
	else if (argc >= 4 && !strcmp(k, "webp"))
		make_webp(argv[2], argv[3], argc >= 6 && !strcmp(argv[4], "--orientation")
							       ? (int)tool_number(argv[5], 1, 8, "--orientation") : 0);
	else if (argc >= 4 && !strcmp(k, "bmp"))
		make_bmp(argv[2], argv[3], argc >= 6 && !strcmp(argv[4], "--dpi")
							       ? (int)tool_number(argv[5], 1, 10000, "--dpi") : 200);
	else if (argc == 4 && !strcmp(k, "gif"))
		make_gif(argv[2], argv[3]);
	else if (argc >= 4 && !strcmp(k, "tiff"))
		make_tiff(argc - 2, argv + 2);
	else if (argc == 4 && !strcmp(k, "tiff-pages"))
		tiff_pages(argv[2], tool_number(argv[3], 1, 1000000, "pages"));
	else if (argc == 4 && !strcmp(k, "tiff-canvas"))
		tiff_canvas(argv[2], argv[3]);
	else if (argc == 4 && !strcmp(k, "ppm"))
		make_ppm(argv[2], argv[3]);
	else if (argc == 4 && !strcmp(k, "heic-canvas"))
		heic_canvas(argv[2], argv[3]);
	else
		die("usage: mkconvert heic|webp|bmp|gif IN.png OUT | tiff OUT [options] IN.png... | "
		    "tiff-pages OUT N | tiff-canvas OUT WxH | heic-canvas FILE WxH | ppm IN.png OUT");
	return 0;
}
