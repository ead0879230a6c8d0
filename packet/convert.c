/*
 * convert: a HEIC, WebP, TIFF, BMP, GIF or Office file into a JPEG, PNG or
 * PDF (convert.h says which and why).
 *
 * This file chooses the decoder, turns the decoded image upright, and
 * encodes it: JPEG through libjpeg-turbo (quality CONVERT_JPEG_QUALITY,
 * chroma 4:2:0, the DPI in its JFIF header), PNG through libpng (1-bit grey
 * for a bilevel page, the DPI in pHYs). The encoders write into memory; the
 * output of the same input is the same bytes every time, so that a file
 * converted for the check and converted again for the packet can be checked
 * against the first one's SHA-256.
 */
#include <stdio.h>
#include <stdlib.h>

#include <png.h>
#include <stdarg.h>
#include <string.h>

#include "packet/convert.h"
#include "packet/convert_internal.h"
#include "packet/imageio.h"
#include "packet/probe_internal.h"
#include "packet/util.h"

void conv_buf_put(conv_buf *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap - b->len < n) {
			if (cap > SIZE_MAX / 2) {
				b->failed = 1;
				return;
			}
			cap *= 2;
		}
		uint8_t *d = realloc(b->data, cap);
		if (!d) {
			b->failed = 1;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

void conv_buf_printf(conv_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof tmp)
		b->failed = 1;
	else
		conv_buf_put(b, tmp, (size_t)k);
}

/* 1 when the NUL-terminated s occurs in the n bytes at d. */
static int find_bytes(const uint8_t *d, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (d[i] == (uint8_t)s[0] && !memcmp(d + i, s, k))
			return 1;
	return 0;
}

int convert_wanted(file_format f, const uint8_t *data, size_t len)
{
	switch (f) {
	case FMT_HEIF: case FMT_WEBP: case FMT_TIFF: case FMT_BMP: case FMT_GIF: case FMT_OLE:
		return 1;
	case FMT_ZIP:
		/* an Office Open XML package ([Content_Types].xml, named in
		 * the central directory at the end whatever the order of the
		 * entries) or an OpenDocument one (its "mimetype" entry first,
		 * stored); a plain zip archive stays refused */
		return find_bytes(data, len, "[Content_Types].xml") ||
		       find_bytes(data, len < 4096 ? len : 4096, "mimetypeapplication/vnd.oasis.opendocument");
	default:
		return 0;
	}
}

/* --- orientation --- */

int conv_orient(conv_image *img)
{
	int o = img->orientation;
	uint32_t w = img->w, h = img->h, nw, nh;
	size_t ch = (size_t)img->ch;
	uint8_t *px;

	if (o < 2 || o > 8) {
		img->orientation = 1;
		return CONV_OK;
	}
	/* 5-8 swap the sides (EXIF: the stored 0th row is a column) */
	nw = o >= 5 ? h : w;
	nh = o >= 5 ? w : h;
	px = malloc((size_t)w * h * ch);
	if (!px)
		return CONV_NOMEM;
	for (uint32_t y = 0; y < nh; y++)
		for (uint32_t x = 0; x < nw; x++) {
			uint32_t sx, sy;  /* the stored pixel shown at (x, y) */
			lp_orient_source(o, w, h, x, y, &sx, &sy);
			memcpy(px + ((size_t)y * nw + x) * ch, img->px + ((size_t)sy * w + sx) * ch, ch);
		}
	free(img->px);
	img->px = px;
	img->w = nw;
	img->h = nh;
	if (o >= 5) {
		double t = img->dpi_x;
		img->dpi_x = img->dpi_y;
		img->dpi_y = t;
	}
	img->orientation = 1;
	return CONV_OK;
}

/* --- JPEG --- */

int conv_encode_jpeg(const conv_image *img, int q, conv_buf *b)
{
	/* reproducible bytes: the default DCT, no optimisation that could
	 * differ between libjpeg builds; JFIF density from the source */
	imageio_enc how = { .quality = q, .dpi_x = img->dpi_x, .dpi_y = img->dpi_y };
	uint8_t *mem;
	size_t len;
	/* why libjpeg failed is not kept: CONV_CORRUPT says enough */
	int r = imageio_encode(img->px, img->w, img->h, img->ch, &how, &mem, &len, NULL);

	if (r)
		return r == -2 ? CONV_NOMEM : CONV_CORRUPT;
	conv_buf_put(b, mem, len);
	free(mem);
	return b->failed ? CONV_NOMEM : CONV_OK;
}

/* --- PNG --- */

static void png_put(png_structp p, png_bytep d, size_t n)
{
	conv_buf_put(png_get_io_ptr(p), d, n);
}

static void png_flush_none(png_structp p)
{
	(void)p;
}

/* Everything across setjmp in one struct of the caller's. */
typedef struct {
	png_structp png;
	png_infop info;
	uint8_t *row;
	int bits, ret;
} png_enc;

int conv_encode_png(const conv_image *img, conv_buf *b)
{
	png_enc e = { NULL, NULL, NULL, img->bilevel && img->ch == 1 ? 1 : 8, CONV_OK };

	e.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, imageio_png_error,
					 imageio_png_warning);
	if (!e.png || !(e.info = png_create_info_struct(e.png)) ||
	    !(e.row = malloc(((size_t)img->w * (size_t)img->ch * (size_t)e.bits + 7) / 8))) {
		e.ret = CONV_NOMEM;
		goto cleanup;
	}
	if (setjmp(png_jmpbuf(e.png))) {
		e.ret = b->failed ? CONV_NOMEM : CONV_CORRUPT;
		goto cleanup;
	}
	png_set_write_fn(e.png, b, png_put, png_flush_none);
	png_set_IHDR(e.png, e.info, img->w, img->h, e.bits, img->ch == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (img->dpi_x > 0 && img->dpi_y > 0 && img->dpi_x < 1e6 && img->dpi_y < 1e6)
		png_set_pHYs(e.png, e.info, (png_uint_32)(img->dpi_x / 0.0254 + 0.5),
			     (png_uint_32)(img->dpi_y / 0.0254 + 0.5), PNG_RESOLUTION_METER);
	png_write_info(e.png, e.info);
	for (uint32_t y = 0; y < img->h; y++) {
		const uint8_t *s = img->px + (size_t)y * img->w * (size_t)img->ch;
		if (e.bits == 1) {
			memset(e.row, 0, ((size_t)img->w + 7) / 8);
			for (uint32_t x = 0; x < img->w; x++)
				if (s[x] >= 128)
					e.row[x / 8] |= (uint8_t)(0x80u >> (x % 8));
			png_write_row(e.png, e.row);
		} else {
			png_write_row(e.png, s);
		}
	}
	png_write_end(e.png, e.info);
	if (b->failed)
		e.ret = CONV_NOMEM;
cleanup:
	png_destroy_write_struct(e.png ? &e.png : NULL, e.info ? &e.info : NULL);
	free(e.row);
	return e.ret;
}

/* --- the whole conversion --- */

static int fail_to(file_info *fail, file_format fmt, const conv_result *r)
{
	memset(fail, 0, sizeof *fail);
	fail->format = fmt;
	fail->png_colour_type = -1;
	fail->jpeg_sof = -1;
	if (r->status == CONV_NOMEM)
		return -1;
	probe_fail(fail, r->status == CONV_TOO_LARGE ? PROBE_TOO_LARGE : PROBE_CORRUPT, r->en, r->zh);
	return 1;
}

/* Encode one upright image: PNG when bilevel or a palette image, else JPEG. */
static int encode_one(conv_image *img, conv_buf *b, file_format *to)
{
	int st = conv_orient(img);

	if (st != CONV_OK)
		return st;
	*to = img->bilevel || img->palette ? FMT_PNG : FMT_JPEG;
	return *to == FMT_PNG ? conv_encode_png(img, b) : conv_encode_jpeg(img, CONVERT_JPEG_QUALITY, b);
}

/* Fold one page of a multi-page TIFF into *all (convert_info.images):
 * called first with its pixels (jpeg NULL) for size and DPI, then, for a
 * page that is not bilevel, with its JPEG, probed for colour and seal as
 * the file's material asks. A bilevel page is grey. */
static void pages_seen(file_info *all, const conv_image *img, const uint8_t *jpeg, size_t len,
		       const convert_limits *lim, int first)
{
	if (!jpeg) {
		double dpi = img->dpi_x < img->dpi_y || img->dpi_y == 0 ? img->dpi_x : img->dpi_y;
		double all_dpi = all->dpi_x < all->dpi_y || all->dpi_y == 0 ? all->dpi_x : all->dpi_y;
		if (first) {
			memset(all, 0, sizeof *all);
			all->format = FMT_TIFF;
			all->pixels = COLOUR_GREY;
			all->encoding = COLOUR_GREY;
			all->png_colour_type = -1;
			all->jpeg_sof = -1;
		}
		if (first || (uint64_t)img->w * img->h < (uint64_t)all->width * all->height) {
			all->width = img->w;
			all->height = img->h;
		}
		if (first || (dpi > 0 && (all_dpi == 0 || dpi < all_dpi))) {
			all->dpi_x = img->dpi_x;
			all->dpi_y = img->dpi_y;
		}
		all->pages++;
		return;
	}
	{
		probe_limits pl = { 0, lim->analyse_pixels };
		file_info pi;
		if (probe_buffer(jpeg, len, &pl, &pi) != PROBE_OK)
			return;
		if (pi.encoding == COLOUR_COLOUR)
			all->encoding = COLOUR_COLOUR;
		if (pi.pixels == COLOUR_COLOUR || pi.pixels == COLOUR_UNKNOWN)
			all->pixels = pi.pixels == COLOUR_UNKNOWN && all->pixels != COLOUR_COLOUR ? COLOUR_UNKNOWN
												  : COLOUR_COLOUR;
		if (pi.red_seal) {
			all->red_seal = 1;
			all->pixels = COLOUR_COLOUR;
		}
	}
}

/* A TIFF: one page as an image, several as a PDF of them. */
static conv_result convert_tiff(const uint8_t *d, size_t n, const convert_limits *lim, conv_buf *b,
				convert_info *ci)
{
	conv_tiff *t = NULL;
	conv_pdf_page *pg = NULL;
	conv_buf *enc = NULL;
	int pages = 0, i, st;
	conv_result r = conv_tiff_open(d, n, lim, &t, &pages);

	if (r.status != CONV_OK)
		return r;
	if (pages == 1) {
		conv_image one = { 0 };
		r = conv_tiff_page(t, 0, lim, &one);
		if (r.status == CONV_OK && (st = encode_one(&one, b, &ci->to)) != CONV_OK)
			r.status = st, r.en = "TIFF image that cannot be converted", r.zh = "TIFF 图片无法转换";
		conv_image_release(&one);
		ci->pages = 1;
		goto cleanup;
	}
	pg = calloc((size_t)pages, sizeof *pg);
	enc = calloc((size_t)pages, sizeof *enc);
	if (!pg || !enc) {
		r.status = CONV_NOMEM;
		goto cleanup;
	}
	/* Pages are decoded one at a time; only their encodings are kept */
	for (i = 0; i < pages; i++) {
		conv_image img = { 0 };
		r = conv_tiff_page(t, i, lim, &img);
		if (r.status == CONV_OK && (st = conv_orient(&img)) != CONV_OK)
			r.status = st;
		if (r.status == CONV_OK) {
			pages_seen(&ci->images, &img, NULL, 0, lim, i == 0);
			st = img.bilevel ? conv_pack_bilevel(&img, &enc[i])
					 : conv_encode_jpeg(&img, CONVERT_JPEG_QUALITY, &enc[i]);
			if (st != CONV_OK)
				r.status = st, r.en = "TIFF image that cannot be converted", r.zh = "TIFF 图片无法转换";
			else if (!img.bilevel)
				pages_seen(&ci->images, &img, enc[i].data, enc[i].len, lim, 0);
		}
		pg[i] = (conv_pdf_page){ img.w, img.h, img.ch, img.dpi_x, img.dpi_y, img.bilevel, enc[i].data,
					 enc[i].len };
		conv_image_release(&img);
		if (r.status != CONV_OK)
			goto cleanup;
	}
	if ((st = conv_write_pdf(pg, pages, b)) != CONV_OK) {
		r.status = st, r.en = "TIFF image that cannot be converted", r.zh = "TIFF 图片无法转换";
		goto cleanup;
	}
	ci->to = FMT_PDF;
	ci->pages = pages;
	{
		int bilevel = 0;
		for (i = 0; i < pages; i++)
			bilevel += pg[i].bilevel;
		snprintf(ci->method, sizeof ci->method, "tiff→pdf %d pages%s%s", pages,
			 bilevel < pages ? ", jpeg q" CONVERT_JPEG_QUALITY_TEXT : "", bilevel ? ", 1-bit" : "");
	}
cleanup:
	for (i = 0; enc && i < pages; i++)
		free(enc[i].data);
	free(pg);
	free(enc);
	conv_tiff_close(t);
	return r;
}

int convert_buffer(const uint8_t *data, size_t len, file_format fmt, const char *ext,
		   const convert_limits *lim, uint8_t **out, size_t *out_len, convert_info *ci,
		   file_info *fail)
{
	conv_buf b = { NULL, 0, 0, 0 };
	conv_image img = { 0 };
	conv_result r = { CONV_OK, NULL, NULL };
	int st;

	*out = NULL;
	*out_len = 0;
	memset(ci, 0, sizeof *ci);
	ci->from = fmt;
	switch (fmt) {
	case FMT_HEIF: r = conv_decode_heif(data, len, lim, &img); break;
	case FMT_WEBP: r = conv_decode_webp(data, len, lim, &img); break;
	case FMT_BMP: r = conv_decode_bmp(data, len, lim, &img); break;
	case FMT_GIF: r = conv_decode_gif(data, len, lim, &img); break;
	case FMT_TIFF: r = convert_tiff(data, len, lim, &b, ci); break;
	case FMT_ZIP: case FMT_OLE:
		st = conv_office(data, len, fmt, ext, lim, &b, &r, ci);
		if (st != 0) {
			free(b.data);
			if (st < 0)
				return -1;
			memset(fail, 0, sizeof *fail);
			fail->format = fmt;
			fail->png_colour_type = -1;
			fail->jpeg_sof = -1;
			probe_fail(fail, r.status == CONV_TOO_LARGE ? PROBE_TOO_LARGE
					 : r.status == CONV_CORRUPT ? PROBE_CORRUPT : PROBE_REFUSED, r.en, r.zh);
			return 1;
		}
		goto done;
	default:
		r.status = CONV_CORRUPT, r.en = "a format licpack does not convert", r.zh = "licpack 不转换的格式";
		break;
	}
	if (r.status == CONV_OK && fmt != FMT_TIFF) {
		ci->pages = 1;
		if ((st = encode_one(&img, &b, &ci->to)) != CONV_OK)
			r.status = st, r.en = "image that cannot be converted", r.zh = "图片无法转换";
	}
	conv_image_release(&img);
	if (r.status != CONV_OK || b.failed) {
		free(b.data);
		if (b.failed)
			r.status = CONV_NOMEM;
		return fail_to(fail, fmt, &r);
	}
	if (ci->to == FMT_PDF)
		;  /* a multi-page TIFF: convert_tiff said how */
	else if (ci->to == FMT_JPEG)
		snprintf(ci->method, sizeof ci->method, "%s→jpeg q%d", format_name(fmt), CONVERT_JPEG_QUALITY);
	else
		snprintf(ci->method, sizeof ci->method, "%s→png", format_name(fmt));
done:
	*out = b.data;
	*out_len = b.len;
	return 0;
}
