/*
 * test_packet_pdf: the packet PDF (pdf/packet_pdf.h), built from real
 * folders and read back by other tools.
 *
 * Each test makes an applicant folder of generated files (JPEGs written
 * with libjpeg, grey, RGB and CMYK, with and without an EXIF orientation;
 * PNGs of every colour type written with libpng; small PDFs written with
 * libharu) and a packet.json, checks it with check_folder(keep_data) against
 * the built-in icp-renewal template, and builds the PDF. The result is then
 * judged from outside: qpdf --check, pdfinfo's page count, pdftotext of the
 * cover, every input JPEG's bytes found unchanged in the file, two builds
 * byte-identical, mode 0600, the outline read back with qpdf's C API, and
 * pages rendered by pdftoppm and compared pixel by pixel (EXIF
 * orientations, CMYK colours). The PNG decoder, the Adobe-marker scan and
 * the orientation matrices are also tested directly, against values
 * computed here from the definitions, not with the code under test.
 *
 * The EXIF corpus (/work/shared/corpus/exif, via $LICPACK_CORPUS or
 * ../shared/corpus) is used when present; without it that one test is
 * skipped, saying so (SKIPPED:, which tests/run.sh counts), and the rest
 * still runs. A missing tool (qpdf, poppler-utils) is reported the same way
 * by support's have_tool.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/support.h"
#include <hpdf.h>
#include <jpeglib.h>
#include <png.h>
#include <qpdf/qpdf-c.h>

#include "packet/check.h"
#include "packet/ident.h"
#include "packet/manifest.h"
#include "pdf/font.h"
#include "pdf/internal.h"
#include "pdf/packet_pdf.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- small helpers ---- */

static void write_in(const char *dir, const char *name, const void *data, size_t len)
{
	char *path = xstrdupf("%s/%s", dir, name);
	write_file(path, data, len);
	free(path);
}


/* Run a shell command; its exit status (-1 when it could not run). */

/* A command's standard output (caller frees). */
static char *sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sh_out(const char *fmt, ...)
{
	va_list ap;
	char cmd[4096];
	FILE *p;
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, p);
		n += got;
	} while (got > 0);
	pclose(p);
	buf[n] = '\0';
	return buf;
}

/* 1 when text holds want, spaces and line breaks aside: pdftotext guesses
 * the spaces between CJK and Latin text from the glyph positions, and
 * breaks table cells into lines of its own choosing. */
static int has_text(const char *text, const char *want)
{
	char *t = malloc(strlen(text) + 1), *w = malloc(strlen(want) + 1), *q;
	int found;

	assert_non_null(t);
	assert_non_null(w);
	q = t;
	for (const char *p = text; *p; p++)
		if (*p != ' ' && *p != '\n' && *p != '\f')
			*q++ = *p;
	*q = '\0';
	q = w;
	for (const char *p = want; *p; p++)
		if (*p != ' ')
			*q++ = *p;
	*q = '\0';
	found = strstr(t, w) != NULL;
	free(t);
	free(w);
	return found;
}

/* Page page of pdf (pdftotext) shows the footer "第 page 页 / 共 of 页",
 * and holds also (NULL: nothing more). */
static void assert_footer(const char *pdf, int page, int of, const char *also)
{
	char want[64], *text = sh_out("pdftotext -f %d -l %d '%s' - 2>/dev/null", page, page, pdf);

	snprintf(want, sizeof want, "第 %d 页 / 共 %d 页", page, of);
	assert_true(has_text(text, want));
	if (also)
		assert_true(has_text(text, also));
	free(text);
}

/* ---- generated inputs ---- */

/* EXIF APP1 payload holding only IFD0's Orientation (big-endian TIFF). */
static void exif_orientation(uint8_t out[32], int o)
{
	static const uint8_t tpl[32] = {
		'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
		0, 1,                       /* one entry */
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, /* Orientation, SHORT, 1 */
		0, 0, 0, 0                  /* no next IFD */
	};
	memcpy(out, tpl, sizeof tpl);
	out[25] = (uint8_t)o;
}

/* A JPEG of w x h pixels of comps components (1 grey, 3 RGB, 4 CMYK),
 * with an EXIF orientation when o > 0, and for CMYK an Adobe marker when
 * adobe. Returns the bytes (caller frees). */
static uint8_t *make_jpeg(int w, int h, int comps, const uint8_t *px, int o, int adobe,
			  size_t *len)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	unsigned char *buf = NULL;
	unsigned long n = 0;

	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &buf, &n);
	ci.image_width = (JDIMENSION)w;
	ci.image_height = (JDIMENSION)h;
	ci.input_components = comps;
	ci.in_color_space = comps == 1 ? JCS_GRAYSCALE : comps == 3 ? JCS_RGB : JCS_CMYK;
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, 92, TRUE);
	ci.density_unit = 1;
	ci.X_density = ci.Y_density = 300;
	if (comps == 4)
		ci.write_Adobe_marker = adobe ? TRUE : FALSE;
	jpeg_start_compress(&ci, TRUE);
	if (o > 0) {
		uint8_t exif[32];
		exif_orientation(exif, o);
		jpeg_write_marker(&ci, JPEG_APP0 + 1, exif, sizeof exif);
	}
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW row = (JSAMPROW)(px + (size_t)ci.next_scanline * w * comps);
		jpeg_write_scanlines(&ci, &row, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	*len = n;
	return buf;
}

/* An RGB test card: a gradient with a dark block top left. */
static uint8_t *rgb_card(int w, int h)
{
	uint8_t *px = malloc((size_t)w * h * 3);
	assert_non_null(px);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = px + ((size_t)y * w + x) * 3;
			int dark = x < w / 3 && y < h / 4;
			p[0] = dark ? 20 : (uint8_t)(120 + x * 100 / w);
			p[1] = dark ? 20 : (uint8_t)(160 + y * 80 / h);
			p[2] = dark ? 90 : 210;
		}
	return px;
}

static void put_jpeg(const char *dir, const char *name, int w, int h, int comps, int o, int adobe,
		     const uint8_t *px)
{
	size_t len;
	uint8_t *j = make_jpeg(w, h, comps, px, o, adobe, &len);
	write_in(dir, name, j, len);
	free(j);
}

/* Insert n fill bytes (0xFF) after the JPEG's SOI marker: valid (ISO
 * 10918-1 B.1.1.2), read by libjpeg, not by libharu 2.3.0's header reader. */
static void add_fill_bytes(const char *dir, const char *name, size_t n)
{
	char *path = xstrdupf("%s/%s", dir, name);
	size_t len;
	uint8_t *d = read_file(path, &len), *out = malloc(len + n);

	assert_non_null(d);
	assert_non_null(out);
	memcpy(out, d, 2);
	memset(out + 2, 0xFF, n);
	memcpy(out + 2 + n, d + 2, len - 2);
	write_file(path, out, len + n);
	free(out);
	free(d);
	free(path);
}

/* A solid CMYK JPEG of pure red (C 0, M 100%, Y 100%, K 0); Adobe files
 * store the samples inverted, plain ones as they are. */
static void put_cmyk_red(const char *dir, const char *name, int adobe)
{
	const int w = 320, h = 240;
	uint8_t *px = malloc((size_t)w * h * 4);
	assert_non_null(px);
	for (size_t i = 0; i < (size_t)w * h; i++) {
		uint8_t cmyk[4] = { 0, 255, 255, 0 };
		for (int k = 0; k < 4; k++)
			px[i * 4 + k] = adobe ? (uint8_t)(255 - cmyk[k]) : cmyk[k];
	}
	put_jpeg(dir, name, w, h, 4, 0, adobe, px);
	free(px);
}


static int png_channels(int ct)
{
	switch (ct) {
	case PNG_COLOR_TYPE_GRAY: return 1;
	case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
	case PNG_COLOR_TYPE_RGB: return 3;
	case PNG_COLOR_TYPE_PALETTE: return 1;
	default: return 4;
	}
}

/* The sample of channel c at (x, y), for bit depth bd. */
static unsigned sample(int x, int y, int c, int bd)
{
	if (bd == 16)
		return (unsigned)(x * 977 + y * 1531 + c * 2311 + 12345) & 0xFFFFu;
	return (unsigned)(x * 3 + y * 5 + c * 7 + 1) % (1u << bd);
}

typedef struct {
	int ct, bd, interlace, trns;
} png_case;

/* Palette entry i, and its alpha when the case has tRNS. */
static void pal_entry(int i, uint8_t rgb[3], uint8_t *alpha)
{
	rgb[0] = (uint8_t)(i * 37 + 11);
	rgb[1] = (uint8_t)(i * 91 + 3);
	rgb[2] = (uint8_t)(255 - i * 13);
	*alpha = (uint8_t)(i * 53 + 7);
}

/* The tRNS colour of grey and RGB cases: the sample at (1, 0). */
static unsigned trns_sample(int c, int bd)
{
	return sample(1, 0, c, bd);
}

static uint8_t *make_png(const png_case *pc, int w, int h, size_t *len)
{
	membuf m = { NULL, 0, 0 };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	int ch = png_channels(pc->ct), bd = pc->bd;
	size_t rowbytes = ((size_t)w * ch * bd + 7) / 8;
	uint8_t *row = calloc(rowbytes, 1);

	assert_non_null(png);
	assert_non_null(info);
	assert_non_null(row);
	if (setjmp(png_jmpbuf(png)))
		fail_msg("libpng failed writing a test PNG");
	png_set_write_fn(png, &m, png_mem_write, png_mem_flush);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, bd, pc->ct,
		     pc->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (pc->ct == PNG_COLOR_TYPE_PALETTE) {
		png_color pal[256];
		png_byte alpha[256];
		int n = 1 << bd;
		for (int i = 0; i < n; i++) {
			uint8_t rgb[3];
			pal_entry(i, rgb, &alpha[i]);
			pal[i].red = rgb[0];
			pal[i].green = rgb[1];
			pal[i].blue = rgb[2];
		}
		png_set_PLTE(png, info, pal, n);
		if (pc->trns)
			png_set_tRNS(png, info, alpha, n, NULL);
	} else if (pc->trns) {
		png_color_16 t;
		memset(&t, 0, sizeof t);
		if (pc->ct == PNG_COLOR_TYPE_GRAY)
			t.gray = (png_uint_16)trns_sample(0, bd);
		else {
			t.red = (png_uint_16)trns_sample(0, bd);
			t.green = (png_uint_16)trns_sample(1, bd);
			t.blue = (png_uint_16)trns_sample(2, bd);
		}
		png_set_tRNS(png, info, NULL, 0, &t);
	}
	png_write_info(png, info);
	{
		int passes = png_set_interlace_handling(png);
		for (int pass = 0; pass < passes; pass++)
			for (int y = 0; y < h; y++) {
				memset(row, 0, rowbytes);
				for (int x = 0; x < w; x++)
					for (int c = 0; c < ch; c++) {
						unsigned v = sample(x, y, c, bd);
						size_t bit = ((size_t)x * ch + c) * bd;
						if (bd == 16) {
							row[bit / 8] = (uint8_t)(v >> 8);
							row[bit / 8 + 1] = (uint8_t)v;
						} else {
							row[bit / 8] |= (uint8_t)(v << (8 - bd - bit % 8));
						}
					}
				png_write_row(png, row);
			}
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	*len = m.len;
	return m.buf;
}

/* What pdf_png_decode must give for pixel (x, y), channel k of out_ch. */
static uint8_t expect_png(const png_case *pc, int x, int y, int k)
{
	int bd = pc->bd;
	unsigned v[4], a = 255;
	uint8_t rgb[3];

	if (pc->ct == PNG_COLOR_TYPE_PALETTE) {
		uint8_t al;
		pal_entry((int)sample(x, y, 0, bd), rgb, &al);
		v[0] = rgb[0];
		v[1] = rgb[1];
		v[2] = rgb[2];
		if (pc->trns)
			a = al;
	} else {
		int ch = png_channels(pc->ct), colour = pc->ct & PNG_COLOR_MASK_COLOR;
		int transparent = pc->trns;
		for (int c = 0; c < ch; c++) {
			unsigned s = sample(x, y, c, bd);
			if (c < (colour ? 3 : 1) && pc->trns && s != trns_sample(c, bd))
				transparent = 0;
			/* widening copies the bits (v * 255 / max), 16 bits keep the high byte */
			v[c] = bd == 16 ? s >> 8 : s * 255u / ((1u << bd) - 1);
		}
		if (pc->ct & PNG_COLOR_MASK_ALPHA)
			a = v[ch - 1];
		else if (transparent)
			a = 0;
	}
	return (uint8_t)((v[k] * a + 255u * (255u - a) + 127u) / 255u);
}

/* A small PDF of n pages (libharu, base-14 font). */
static void put_pdf(const char *dir, const char *name, int n)
{
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	HPDF_Font font;
	char *path = xstrdupf("%s/%s", dir, name);

	assert_non_null(doc);
	font = HPDF_GetFont(doc, "Helvetica", NULL);
	for (int i = 0; i < n; i++) {
		HPDF_Page p = HPDF_AddPage(doc);
		char s[64];
		HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
		HPDF_Page_Rectangle(p, 100, 500, 300, 200);
		HPDF_Page_Stroke(p);
		snprintf(s, sizeof s, "%s page %d of %d", name, i + 1, n);
		HPDF_Page_BeginText(p);
		HPDF_Page_SetFontAndSize(p, font, 14);
		HPDF_Page_TextOut(p, 110, 600, s);
		HPDF_Page_EndText(p);
	}
	assert_int_equal(HPDF_SaveToFile(doc, path), HPDF_OK);
	HPDF_Free(doc);
	free(path);
}

/* ---- one applicant folder, checked (support's packet_fixture) ---- */

typedef packet_fixture fixture;

/* Check fx->in and fill the job the way `build` does, keeping up to
 * keep_bytes of the files' bytes (the rest are read again when written). */
static void check_in_keeping(fixture *fx, uint64_t keep_bytes)
{
	packet_fixture_check(fx, keep_bytes);
}

static void check_in(fixture *fx)
{
	packet_fixture_check(fx, CHECK_KEEP_BYTES);
}

/* Pages the built PDF must have after the cover. */
static int material_pages(const check_result *r)
{
	int n = 0;
	for (size_t i = 0; i < r->n_files; i++)
		if (pdf_file_included(&r->files[i]))
			n += r->files[i].info.pages;
	return n;
}

static char *build(fixture *fx, const char *name, int cover_only, int *pages)
{
	lp_err err;
	char *path = xstrdupf("%s/%s", fx->out, name);

	if (pdf_write_packet(&fx->job, path, cover_only, pages, &err) != 0)
		fail_msg("pdf_write_packet: %s", err.en);
	return path;
}

static int pdfinfo_pages(const char *pdf)
{
	char *out = sh_out("pdfinfo '%s' 2>/dev/null", pdf);
	char *p = strstr(out, "\nPages:");
	int n = p ? atoi(p + 7) : -1;
	free(out);
	return n;
}

/* No temporary file left beside the output. */
static void assert_no_temp(const fixture *fx)
{
	char *out = sh_out("ls -A '%s' | grep '^\\.' || true", fx->out);
	if (out[0] != '\0')
		fail_msg("temporary files left in %s: %s", fx->out, out);
	free(out);
}

/* ---- rendering ---- */

typedef struct {
	int w, h, ch;       /* ch 1 (PGM) or 3 (PPM) */
	uint8_t *px;
} raster;

/* Page p (1-based) of pdf rendered by pdftoppm at dpi, grey or colour. */
static raster render(const fixture *fx, const char *pdf, int p, int dpi, int grey)
{
	raster r = { 0, 0, 0, NULL };
	char *prefix = xstrdupf("%s/render", fx->dir);
	char *file = xstrdupf("%s.%s", prefix, grey ? "pgm" : "ppm");
	uint8_t *data;
	size_t len;
	int maxval, off = 0;

	if (sh("pdftoppm -r %d %s -f %d -l %d -singlefile '%s' '%s' 2>/dev/null", dpi,
	       grey ? "-gray" : "", p, p, pdf, prefix) != 0)
		fail_msg("pdftoppm failed on page %d of %s", p, pdf);
	data = read_file(file, &len);
	assert_non_null(data);
	assert_int_equal(sscanf((char *)data, grey ? "P5 %d %d %d%n" : "P6 %d %d %d%n", &r.w, &r.h,
				&maxval, &off), 3);
	assert_int_equal(maxval, 255);
	r.ch = grey ? 1 : 3;
	off++; /* the single whitespace after maxval */
	assert_true(len >= (size_t)off + (size_t)r.w * r.h * r.ch);
	r.px = malloc((size_t)r.w * r.h * r.ch);
	assert_non_null(r.px);
	memcpy(r.px, data + off, (size_t)r.w * r.h * r.ch);
	free(data);
	unlink(file);
	free(file);
	free(prefix);
	return r;
}

/* Mean absolute difference of two grey renderings between rows y0 and
 * h - y1 (the caption and footer bands, whose text differs, left out). */
static double raster_diff(const raster *a, const raster *b, int y0, int y1)
{
	double sum = 0;
	long n = 0;

	assert_int_equal(a->w, b->w);
	assert_int_equal(a->h, b->h);
	for (int y = y0; y < a->h - y1; y++)
		for (int x = 0; x < a->w; x++, n++)
			sum += abs((int)a->px[(size_t)y * a->w + x] - (int)b->px[(size_t)y * b->w + x]);
	return n ? sum / n : 0;
}

/* ---- reading the output back with qpdf ---- */

typedef struct {
	char title[256];
	int page;          /* 0-based */
} outline_item;

/* The top-level outline items of pdf, in order; returns their number. */
static int read_outline(const char *pdf, outline_item *items, int max, char *pagemode, size_t pmlen)
{
	qpdf_data q = qpdf_init();
	qpdf_oh root, outlines, it;
	int n = 0;

	qpdf_silence_errors(q);
	assert_false(qpdf_read(q, pdf, "") & QPDF_ERRORS);
	root = qpdf_get_root(q);
	pagemode[0] = '\0';
	if (qpdf_oh_has_key(q, root, "/PageMode"))
		snprintf(pagemode, pmlen, "%s", qpdf_oh_get_name(q, qpdf_oh_get_key(q, root, "/PageMode")));
	if (!qpdf_oh_has_key(q, root, "/Outlines")) {
		qpdf_cleanup(&q);
		return 0;
	}
	outlines = qpdf_oh_get_key(q, root, "/Outlines");
	assert_true(qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, outlines, "/Type"), "/Outlines"));
	it = qpdf_oh_get_key(q, outlines, "/First");
	while (qpdf_oh_is_dictionary(q, it) && n < max) {
		qpdf_oh dest = qpdf_oh_get_key(q, it, "/Dest");
		snprintf(items[n].title, sizeof items[n].title, "%s",
			 qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, it, "/Title")));
		assert_true(qpdf_oh_is_array(q, dest));
		assert_true(qpdf_oh_is_name_and_equals(q, qpdf_oh_get_array_item(q, dest, 1), "/Fit"));
		items[n].page = qpdf_find_page_by_oh(q, qpdf_oh_get_array_item(q, dest, 0));
		/* the links hold together both ways */
		assert_int_equal(qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, it, "/Parent")),
				 qpdf_oh_get_object_id(q, outlines));
		n++;
		if (!qpdf_oh_has_key(q, it, "/Next")) {
			assert_int_equal(qpdf_oh_get_object_id(q, it),
					 qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, outlines, "/Last")));
			break;
		}
		it = qpdf_oh_get_key(q, it, "/Next");
	}
	assert_int_equal(qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, outlines, "/Count")), n);
	assert_false(qpdf_has_error(q));
	qpdf_cleanup(&q);
	return n;
}

/* Per page of pdf: 1 when it shows a CMYK image with a /Decode array, 0 for
 * one without, -1 when it shows no CMYK image. */
static void cmyk_decode(const char *pdf, int *out, int npages)
{
	qpdf_data q = qpdf_init();

	qpdf_silence_errors(q);
	assert_false(qpdf_read(q, pdf, "") & QPDF_ERRORS);
	assert_int_equal(qpdf_get_num_pages(q), npages);
	for (int i = 0; i < npages; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		qpdf_oh xo = qpdf_oh_get_key(q, qpdf_oh_get_key(q, page, "/Resources"), "/XObject");
		out[i] = -1;
		if (!qpdf_oh_is_dictionary(q, xo))
			continue;
		qpdf_oh_begin_dict_key_iter(q, xo);
		while (qpdf_oh_dict_more_keys(q)) {
			const char *key = qpdf_oh_dict_next_key(q);
			qpdf_oh d = qpdf_oh_get_dict(q, qpdf_oh_get_key(q, xo, key));
			if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/ColorSpace"), "/DeviceCMYK"))
				out[i] = qpdf_oh_has_key(q, d, "/Decode");
		}
	}
	qpdf_cleanup(&q);
}

/* ---- the tests ---- */

/* test_full_packet's folder: JPEGs in colour, grey, landscape and CMYK
 * (with and without Adobe's marker), PNGs with alpha, a palette and 16-bit
 * grey, and two PDFs: eleven files, every one of them shown. */
static void put_every_kind(fixture *fx)
{
	const int w = 624, h = 880; /* A4 proportions */
	uint8_t *rgb = rgb_card(w, h), *grey = malloc((size_t)w * h);
	static const png_case rgba = { PNG_COLOR_TYPE_RGB_ALPHA, 8, 0, 0 };
	static const png_case pal = { PNG_COLOR_TYPE_PALETTE, 4, 1, 1 };
	static const png_case g16 = { PNG_COLOR_TYPE_GRAY, 16, 0, 0 };

	assert_non_null(grey);
	for (size_t i = 0; i < (size_t)w * h; i++)
		grey[i] = (uint8_t)(i * 7 % 251);
	put_jpeg(fx->in, "续期申请表.jpg", w, h, 3, 0, 0, rgb);
	{
		uint8_t *other = rgb_card(w - 16, h); /* not a duplicate */
		put_jpeg(fx->in, "营业执照.jpg", w - 16, h, 3, 0, 0, other);
		free(other);
		other = rgb_card(h, w);
		put_jpeg(fx->in, "托管协议.jpg", h, w, 3, 0, 0, other); /* landscape */
		free(other);
	}
	put_jpeg(fx->in, "身份证国徽面.jpg", 856, 540, 1, 0, 0, grey);
	put_cmyk_red(fx->in, "许可证_1_adobe.jpg", 1);
	put_cmyk_red(fx->in, "许可证_2_plain.jpg", 0);
	{
		size_t len;
		uint8_t *p = make_png(&rgba, 856, 540, &len);
		write_in(fx->in, "身份证人像面.png", p, len);
		free(p);
		p = make_png(&pal, 300, 420, &len);
		write_in(fx->in, "承诺书.png", p, len);
		free(p);
		p = make_png(&g16, 400, 300, &len);
		write_in(fx->in, "备案截图.png", p, len);
		free(p);
	}
	put_pdf(fx->in, "域名证书_example.com.pdf", 2);
	put_pdf(fx->in, "股东会决议.pdf", 3);
	free(rgb);
	free(grey);
	check_in(fx);
	/* everything was recognised and can be shown */
	assert_int_equal(fx->r.n_unrecognized, 0);
	assert_int_equal(fx->r.n_files, 11);
	for (size_t i = 0; i < fx->r.n_files; i++)
		if (!pdf_file_included(&fx->r.files[i]))
			fail_msg("'%s' left out", fx->r.files[i].rel);
}

/* A check that keeps none of the bytes (a budget of none, or one a byte
 * short of them all: all or none are kept): they are read again when the
 * PDF is written, and it is the same PDF (a, alen). */
static void assert_same_when_bytes_dropped(fixture *fx, const uint8_t *a, size_t alen)
{
	uint64_t total = 0;

	for (size_t i = 0; i < fx->r.n_files; i++)
		total += fx->r.files[i].bytes;
	uint64_t budgets[] = { 0, total - 1, total };
	uint8_t *b;
	size_t blen;

	for (size_t k = 0; k < sizeof budgets / sizeof budgets[0]; k++) {
		check_in_keeping(fx, budgets[k]);
		for (size_t i = 0; i < fx->r.n_files; i++)
			assert_int_equal(fx->r.files[i].data != NULL, k == 2);
		char *pdf3 = build(fx, "packet3.pdf", 0, NULL);
		b = read_file(pdf3, &blen);
		assert_int_equal(alen, blen);
		assert_memory_equal(a, b, alen);
		free(b);
		free(pdf3);
	}
	check_in(fx);
}

/* What pdftotext reads: the cover's company, identifiers (the ID number
 * masked), titles and hashes; the footers; the PDF materials' own pages in
 * place. */
static void assert_cover_text(const fixture *fx, const char *pdf, const char *cover, int cover_pages, int total)
{
	char *text;

	if (!have_tool("pdftotext"))
		return;
	text = sh_out("pdftotext -f 1 -l %d '%s' - 2>/dev/null", cover_pages, pdf);
	assert_true(has_text(text, "测试网络科技有限公司"));
	assert_true(has_text(text, "91350200776049653A"));
	assert_true(has_text(text, "110105********002X"));
	assert_null(strstr(text, "11010519491231002X"));
	assert_true(has_text(text, "京B2-20212732"));
	assert_true(has_text(text, "ICP经营许可证续期"));
	for (size_t m = 0; m < fx->r.tpl->n_materials; m++)
		if (!has_text(text, fx->r.tpl->materials[m].title.zh))
			fail_msg("cover lacks '%s'", fx->r.tpl->materials[m].title.zh);
	for (size_t i = 0; i < fx->r.n_files; i++) {
		char h8[9];
		snprintf(h8, sizeof h8, "%.8s", fx->r.files[i].sha256);
		if (!has_text(text, h8))
			fail_msg("cover lacks the hash of '%s'", fx->r.files[i].rel);
	}
	assert_true(has_text(text, "05_域名证书_example.com.pdf"));
	free(text);
	/* footers on the drawn pages: the first and the last */
	assert_footer(pdf, 1, total, NULL);
	assert_footer(pdf, total, total, "10 ICP备案截图");
	/* the cover alone counts only itself */
	assert_footer(cover, 1, cover_pages, NULL);
	/* the PDF materials' own pages, in place */
	text = sh_out("pdftotext -f %d -l %d '%s' - 2>/dev/null", cover_pages + 5,
		      cover_pages + 6, pdf);
	assert_true(has_text(text, "page 1 of 2"));
	assert_true(has_text(text, "page 2 of 2"));
	free(text);
}

/* One bookmark per material with pages, after the cover's; none in the
 * cover alone. */
static void assert_outline(const char *pdf, const char *cover, int cover_pages)
{
	outline_item items[32];
	char pagemode[64];
	int n;

	n = read_outline(pdf, items, 32, pagemode, sizeof pagemode);
	assert_string_equal(pagemode, "/UseOutlines");
	{
		static const struct { const char *title; int page; } want[] = {
			{ "封面 Cover", 0 }, { "01 续期申请表", 1 }, { "02 营业执照副本", 2 },
			{ "03 法定代表人身份证人像面", 3 }, { "04 法定代表人身份证国徽面", 4 },
			{ "05 域名证书", 5 }, { "06 现有许可证", 7 }, { "07 依法经营承诺书", 9 },
			{ "08 股东会决议", 10 }, { "09 服务器托管或接入协议", 13 },
			{ "10 ICP备案截图", 14 },
		};
		assert_int_equal(n, (int)COUNT(want));
		for (int i = 0; i < n; i++) {
			assert_string_equal(items[i].title, want[i].title);
			assert_int_equal(items[i].page, want[i].page + (i > 0 ? cover_pages - 1 : 0));
		}
	}
	assert_int_equal(read_outline(cover, items, 32, pagemode, sizeof pagemode), 0);
}

/* A folder with every kind of input; the whole PDF judged from outside. */
static void test_full_packet(void **state)
{
	fixture *fx = *state;
	int pages = 0, cover_pages = 0, total;
	char *pdf, *pdf2, *cover, *text;
	uint8_t *a, *b;
	size_t alen, blen;
	struct stat st;
	int dec[64];

	put_every_kind(fx);

	pdf = build(fx, "packet.pdf", 0, &pages);
	cover = build(fx, "cover.pdf", 1, &cover_pages);
	total = cover_pages + material_pages(&fx->r);
	assert_int_equal(total, cover_pages + 14);
	assert_int_equal(pages, total);
	assert_no_temp(fx);

	/* mode 0600, for both */
	assert_int_equal(stat(pdf, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(cover, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* the same inputs give the same bytes */
	pdf2 = build(fx, "packet2.pdf", 0, NULL);
	a = read_file(pdf, &alen);
	b = read_file(pdf2, &blen);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(b);

	/* every input JPEG is in the PDF byte for byte */
	for (size_t i = 0; i < fx->r.n_files; i++) {
		const checked_file *f = &fx->r.files[i];
		if (f->info.format == FMT_JPEG && occurrences(a, alen, f->data, f->len) == 0)
			fail_msg("the bytes of '%s' are not in the PDF", f->rel);
	}

	assert_same_when_bytes_dropped(fx, a, alen);
	free(a);

	if (have_tool("qpdf")) {
		assert_int_equal(sh("qpdf --check '%s' >/dev/null 2>&1", pdf), 0);
		assert_int_equal(sh("qpdf --check '%s' >/dev/null 2>&1", cover), 0);
	}
	if (have_tool("pdfinfo")) {
		assert_int_equal(pdfinfo_pages(pdf), total);
		assert_int_equal(pdfinfo_pages(cover), cover_pages);
		text = sh_out("pdfinfo '%s' 2>/dev/null", pdf);
		assert_true(has_text(text, "Producer:        licpack"));
		assert_true(has_text(text, "Title:           测试网络科技有限公司 ICP经营许可证续期"));
		assert_null(strstr(text, "CreationDate"));
		free(text);
	}
	assert_cover_text(fx, pdf, cover, cover_pages, total);

	assert_outline(pdf, cover, cover_pages);

	/* CMYK: /Decode for the Adobe file only; both show red */
	cmyk_decode(pdf, dec, total);
	assert_int_equal(dec[cover_pages + 6], 1);
	assert_int_equal(dec[cover_pages + 7], 0);
	if (have_tool("pdftoppm")) {
		for (int k = 6; k <= 7; k++) {
			raster r = render(fx, pdf, cover_pages + k + 1, 20, 0);
			const uint8_t *c = r.px + ((size_t)(r.h / 2) * r.w + r.w / 2) * 3;
			if (!(c[0] > 180 && c[1] < 90 && c[2] < 90))
				fail_msg("CMYK page %d shows %u,%u,%u, not red", k, c[0], c[1], c[2]);
			free(r.px);
		}
		/* the landscape image got a landscape page */
		raster r = render(fx, pdf, cover_pages + 13, 20, 1);
		assert_true(r.w > r.h);
		free(r.px);
	}
	free(pdf);
	free(pdf2);
	free(cover);
}

/* An asymmetric upright picture, stored for EXIF orientation o so that it
 * shows the same way for every o. */
static uint8_t *oriented(int o, int uw, int uh, int *sw, int *sh)
{
	int w = o >= 5 ? uh : uw, h = o >= 5 ? uw : uh;
	uint8_t *s = malloc((size_t)w * h);

	assert_non_null(s);
	for (int r = 0; r < h; r++)
		for (int c = 0; c < w; c++) {
			int dc, dr, v;
			switch (o) {
			case 2: dc = w - 1 - c; dr = r; break;
			case 3: dc = w - 1 - c; dr = h - 1 - r; break;
			case 4: dc = c; dr = h - 1 - r; break;
			case 5: dc = r; dr = c; break;
			case 6: dc = h - 1 - r; dr = c; break;
			case 7: dc = h - 1 - r; dr = w - 1 - c; break;
			case 8: dc = r; dr = w - 1 - c; break;
			default: dc = c; dr = r; break;
			}
			/* upright: a black block top left, a grey bar bottom right,
			 * a dark stripe down from the top right of centre */
			v = 255;
			if (dc < uw * 2 / 5 && dr < uh * 2 / 5)
				v = 0;
			else if (dc > uw * 3 / 5 && dr > uh * 3 / 4)
				v = 110;
			else if (dc > uw * 2 / 3 && dc < uw * 3 / 4 && dr < uh / 2)
				v = 50;
			s[(size_t)r * w + c] = (uint8_t)v;
		}
	*sw = w;
	*sh = h;
	return s;
}

/* The same picture stored eight ways shows the same eight times. */
static void test_exif_orientation(void **state)
{
	fixture *fx = *state;
	const int uw = 480, uh = 320;
	char *pdf;
	int cover_pages, first;
	raster ref;

	for (int o = 1; o <= 8; o++) {
		int w, h;
		uint8_t *px = oriented(o, uw, uh, &w, &h);
		char name[64];
		snprintf(name, sizeof name, "托管协议_%d.jpg", o);
		put_jpeg(fx->in, name, w, h, 1, o, 0, px);
		free(px);
	}
	{
		/* control: stored turned 180° but tagged upright */
		int w, h;
		uint8_t *px = oriented(3, uw, uh, &w, &h);
		put_jpeg(fx->in, "托管协议_9.jpg", w, h, 1, 1, 0, px);
		free(px);
	}
	check_in(fx);
	for (size_t i = 0; i < fx->r.n_files; i++)
		if (fx->r.files[i].k <= 8)
			assert_int_equal(fx->r.files[i].info.orientation, fx->r.files[i].k);
	pdf = build(fx, "o.pdf", 0, NULL);
	free(build(fx, "c.pdf", 1, &cover_pages));
	if (!have_tool("pdftoppm")) {
		free(pdf);
		return;
	}
	first = cover_pages + 1;
	ref = render(fx, pdf, first, 20, 1);
	assert_true(ref.w > ref.h); /* a landscape picture, a landscape page */
	for (int o = 2; o <= 9; o++) {
		raster r = render(fx, pdf, first + o - 1, 20, 1);
		double d = raster_diff(&ref, &r, 14, 12);
		if (o <= 8 && d > 3.0)
			fail_msg("orientation %d renders differently (mean difference %.2f)", o, d);
		if (o == 9 && d < 20.0)
			fail_msg("the control should differ (mean difference %.2f)", d);
		free(r.px);
	}
	free(ref.px);
	free(pdf);
}

/* The EXIF corpus: Landscape_1..8.jpg all show the same upright photo. */
static void test_exif_corpus(void **state)
{
	fixture *fx = *state;
	const char *env = getenv("LICPACK_CORPUS");
	char corpus[1024], *pdf;
	int cover_pages, first;
	raster ref;
	struct stat st;
	double wrong;

	if (env != NULL && *env)
		snprintf(corpus, sizeof corpus, "%s/exif", env);
	else
		snprintf(corpus, sizeof corpus, "../shared/corpus/exif");
	if (stat(corpus, &st) != 0) {
		printf("SKIPPED: no EXIF corpus at %s (set LICPACK_CORPUS)\n", corpus);
		skip();
	}
	if (!have_tool("pdftoppm"))
		skip();
	for (int o = 1; o <= 8; o++)
		assert_int_equal(sh("cp '%s/Landscape_%d.jpg' '%s/托管协议_%d.jpg'", corpus, o, fx->in, o), 0);
	check_in(fx);
	pdf = build(fx, "corpus.pdf", 0, NULL);
	free(build(fx, "c.pdf", 1, &cover_pages));
	first = cover_pages + 1;
	ref = render(fx, pdf, first, 20, 1);
	{
		/* the scale of a wrong answer: the photo mirrored left to right
		 * (it is centred on the page, so mirroring whole rows does it) */
		raster m = ref;
		m.px = malloc((size_t)ref.w * ref.h);
		assert_non_null(m.px);
		for (int y = 0; y < ref.h; y++)
			for (int x = 0; x < ref.w; x++)
				m.px[(size_t)y * ref.w + x] = ref.px[(size_t)y * ref.w + ref.w - 1 - x];
		wrong = raster_diff(&ref, &m, 14, 12);
		free(m.px);
	}
	for (int o = 2; o <= 8; o++) {
		raster r = render(fx, pdf, first + o - 1, 20, 1);
		double d = raster_diff(&ref, &r, 14, 12);
		fprintf(stderr, "Landscape_%d.jpg: mean difference %.2f (mirrored: %.2f)\n", o, d, wrong);
		if (d > 8.0 || d > wrong / 4)
			fail_msg("Landscape_%d.jpg renders unlike Landscape_1.jpg (mean difference %.2f, "
				 "mirrored %.2f)", o, d, wrong);
		free(r.px);
	}
	free(ref.px);
	free(pdf);
}

/* JPEGs libharu's own reader refuses still go in unchanged, once each. */
static void test_jpeg_fallback(void **state)
{
	fixture *fx = *state;
	uint8_t *rgb = rgb_card(400, 560), *a;
	int cover_pages, total;
	size_t alen;
	char *pdf;
	int dec[16];

	put_jpeg(fx->in, "营业执照.jpg", 400, 560, 3, 0, 0, rgb);
	free(rgb);
	put_cmyk_red(fx->in, "许可证_1.jpg", 1);
	put_cmyk_red(fx->in, "许可证_2.jpg", 0);
	add_fill_bytes(fx->in, "营业执照.jpg", 3);
	add_fill_bytes(fx->in, "许可证_1.jpg", 1);
	add_fill_bytes(fx->in, "许可证_2.jpg", 2);
	check_in(fx);
	for (size_t i = 0; i < fx->r.n_files; i++)
		assert_true(pdf_file_included(&fx->r.files[i]));
	free(build(fx, "c.pdf", 1, &cover_pages));
	pdf = build(fx, "p.pdf", 0, &total);
	assert_int_equal(total, cover_pages + 3);
	a = read_file(pdf, &alen);
	for (size_t i = 0; i < fx->r.n_files; i++) {
		const checked_file *f = &fx->r.files[i];
		/* exactly once: what libharu's failed attempt left is dropped */
		int seen = occurrences(a, alen, f->data, f->len);
		if (seen != 1)
			fail_msg("'%s' is in the PDF %d times", f->rel, seen);
	}
	free(a);
	cmyk_decode(pdf, dec, total);
	assert_int_equal(dec[cover_pages + 1], 1);
	assert_int_equal(dec[cover_pages + 2], 0);
	if (have_tool("qpdf"))
		assert_int_equal(sh("qpdf --check '%s' >/dev/null 2>&1", pdf), 0);
	if (have_tool("pdftoppm")) {
		raster r = render(fx, pdf, cover_pages + 1, 20, 1);
		/* the card's dark block shows top left */
		assert_true(r.px[(size_t)(r.h / 4) * r.w + r.w / 4] < 100);
		free(r.px);
		for (int k = 2; k <= 3; k++) {
			raster c = render(fx, pdf, cover_pages + k, 20, 0);
			const uint8_t *px = c.px + ((size_t)(c.h / 2) * c.w + c.w / 2) * 3;
			if (!(px[0] > 180 && px[1] < 90 && px[2] < 90))
				fail_msg("CMYK page %d shows %u,%u,%u, not red", k, px[0], px[1], px[2]);
			free(c.px);
		}
	}
	free(pdf);
}

/* A long checklist runs over several cover pages, each stamped. */
static void test_cover_pages(void **state)
{
	fixture *fx = *state;
	uint8_t px[64 * 48];
	int cover_pages, total;
	char *cover, *pdf;

	memset(px, 200, sizeof px);
	for (int i = 1; i <= 70; i++) {
		char name[64];
		snprintf(name, sizeof name, "许可证_p%d.jpg", i);
		put_jpeg(fx->in, name, 64, 48, 1, 0, 0, px);
	}
	check_in(fx);
	assert_true(fx->job.incomplete); /* materials are missing */
	cover = build(fx, "cover.pdf", 1, &cover_pages);
	pdf = build(fx, "all.pdf", 0, &total);
	assert_true(cover_pages >= 2);
	assert_int_equal(total, cover_pages + 70);
	if (have_tool("pdftotext")) {
		for (int p = 1; p <= cover_pages; p++) {
			char *text = sh_out("pdftotext -f %d -l %d '%s' - 2>/dev/null", p, p, cover);
			char want[64];
			assert_true(has_text(text, "材料不全 / INCOMPLETE"));
			assert_true(has_text(text, "序号"));
			snprintf(want, sizeof want, "第 %d 页 / 共 %d 页", p, cover_pages);
			assert_true(has_text(text, want));
			if (p > 1)
				assert_true(has_text(text, "Checklist (continued)"));
			free(text);
		}
		/* every file is listed once */
		char *text = sh_out("pdftotext -layout '%s' - 2>/dev/null", cover);
		for (int i = 1; i <= 70; i++) {
			char name[64];
			snprintf(name, sizeof name, "06_现有许可证_%d.jpg", i);
			if (!has_text(text, name))
				fail_msg("cover lacks %s", name);
		}
		free(text);
	}
	if (have_tool("pdfinfo"))
		assert_int_equal(pdfinfo_pages(pdf), total);
	free(cover);
	free(pdf);
}

/* What pdf_packet_job.cover_ready received. */
typedef struct {
	int calls;
	uint8_t *pdf;
	size_t len;
	int pages;
} cover_got;

static void on_cover(void *arg, uint8_t *pdf, size_t len, int pages)
{
	cover_got *g = arg;

	g->calls++;
	free(g->pdf);
	g->pdf = pdf;
	g->len = len;
	g->pages = pages;
}

/* One rendering of the cover serves the packet's first pages and the cover
 * alone (the zip's 00_封面.pdf): the copy is handed over once, with the
 * packet's page count in its footers, and draws the same pixels as the
 * packet's first pages; on both routes (with a PDF material, through qpdf,
 * and without). A build that fails before the cover still calls back once,
 * with nothing. */
static void test_cover_handed_over(void **state)
{
	fixture *fx = *state;
	uint8_t px[64 * 48];
	lp_err err;

	memset(px, 90, sizeof px);
	put_jpeg(fx->in, "营业执照.jpg", 64, 48, 1, 0, 0, px);
	put_jpeg(fx->in, "身份证人像面.jpg", 64, 48, 1, 0, 0, px);
	for (int route = 0; route < 2; route++) {
		cover_got got = { 0, NULL, 0, 0 };
		char *all, *alone, *text, want[64];
		int total, cover_pages;

		if (route == 1)
			put_pdf(fx->in, "股东会决议.pdf", 2);
		check_in(fx);
		fx->job.cover_ready = on_cover;
		fx->job.cover_arg = &got;
		all = build(fx, route ? "all-qpdf.pdf" : "all.pdf", 0, &total);
		assert_int_equal(got.calls, 1);
		assert_non_null(got.pdf);
		assert_true(got.len > 1000);
		assert_memory_equal(got.pdf, "%PDF-", 5);
		/* the cover alone, as pdf_write_cover makes it: same page count */
		fx->job.cover_ready = NULL;
		free(build(fx, "cover-only.pdf", 1, &cover_pages));
		assert_int_equal(got.pages, cover_pages);
		assert_int_equal(total, cover_pages + material_pages(&fx->r));
		alone = xstrdupf("%s/handed-%d.pdf", fx->out, route);
		write_file(alone, got.pdf, got.len);
		if (have_tool("pdfinfo"))
			assert_int_equal(pdfinfo_pages(alone), cover_pages);
		if (have_tool("pdftotext")) {
			text = sh_out("pdftotext -l 1 '%s' - 2>/dev/null", alone);
			snprintf(want, sizeof want, "第 1 页 / 共 %d 页", total);
			if (!has_text(text, want))
				fail_msg("the handed-over cover lacks '%s': %s", want, text);
			free(text);
		}
		if (have_tool("pdftoppm")) {
			char *a = sh_out("pdftoppm -r 50 -gray -f 1 -l %d '%s' 2>/dev/null | md5sum",
					 cover_pages, alone);
			char *b = sh_out("pdftoppm -r 50 -gray -f 1 -l %d '%s' 2>/dev/null | md5sum",
					 cover_pages, all);
			assert_string_equal(a, b);
			free(a);
			free(b);
		}
		free(got.pdf);
		free(alone);
		free(all);
	}
	{
		cover_got got = { 0, NULL, 0, 0 };
		char *path = xstrdupf("%s/fails.pdf", fx->out);

		fx->job.cover_ready = on_cover;
		fx->job.cover_arg = &got;
		fx->job.font_path = "/nonexistent/font.ttf";
		assert_int_equal(pdf_write_packet(&fx->job, path, 0, NULL, &err), -1);
		assert_int_equal(got.calls, 1);
		assert_null(got.pdf);
		/* not for the cover alone: nobody waits for a copy of it */
		got.calls = 0;
		assert_int_equal(pdf_write_packet(&fx->job, path, 1, NULL, &err), -1);
		assert_int_equal(got.calls, 0);
		free(path);
	}
	assert_no_temp(fx);
}

/* Failures leave nothing behind, and an existing output stays as it was. */
static void test_failure_is_atomic(void **state)
{
	fixture *fx = *state;
	uint8_t px[64 * 48];
	lp_err err;
	char *path = xstrdupf("%s/p.pdf", fx->out);
	size_t len;
	uint8_t *old;

	memset(px, 128, sizeof px);
	put_jpeg(fx->in, "营业执照.jpg", 64, 48, 1, 0, 0, px);
	put_pdf(fx->in, "股东会决议.pdf", 1);
	check_in(fx);
	assert_int_equal(fx->r.n_files, 2);
	write_file(path, "old", 3);

	fx->job.font_path = "/nonexistent/font.ttf";
	assert_int_equal(pdf_write_packet(&fx->job, path, 0, NULL, &err), -1);
	assert_int_equal(err.code, LP_E_FONT_OPEN);
	assert_non_null(strstr(err.en, "cannot open font '/nonexistent/font.ttf': "));
	assert_non_null(strstr(err.zh, "无法打开字体 '/nonexistent/font.ttf'（"));
	old = read_file(path, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(old, "old", 3);
	free(old);
	assert_no_temp(fx);

	/* a folder that does not exist */
	fx->job.font_path = fx->font;
	{
		char *bad = xstrdupf("%s/missing/p.pdf", fx->out);
		assert_int_equal(pdf_write_packet(&fx->job, bad, 0, NULL, &err), -1);
		assert_int_equal(err.code, LP_E_CREATE);
		assert_non_null(strstr(err.en, "cannot create '"));
		assert_non_null(strstr(err.en, "/missing/p.pdf': No such file or directory"));
		free(bad);
	}
	/* bytes the check did not keep are read again when the PDF is
	 * written, and must be the very bytes it hashed */
	{
		checked_file *f = &fx->r.files[0];
		uint8_t *keep = f->data, *bytes;
		char *in = xstrdupf("%s/%s", fx->in, f->raw);
		size_t n;
		f->data = NULL;
		assert_int_equal(pdf_write_packet(&fx->job, path, 0, NULL, &err), 0);
		bytes = read_file(in, &n);
		assert_true(n > 10);
		bytes[n - 3] ^= 0x01; /* same size, other bytes */
		write_file(in, bytes, n);
		assert_int_equal(pdf_write_packet(&fx->job, path, 0, NULL, &err), -1);
		assert_non_null(strstr(err.en, "'营业执照.jpg' changed since it was checked"));
		bytes[n - 3] ^= 0x01;
		write_file(in, bytes, n);
		free(bytes);
		free(in);
		f->data = keep;
	}
	/* a PDF that qpdf cannot read after all (the probe read other bytes) */
	{
		static uint8_t junk[] = "%PDF-1.4\nnot really a PDF\n";
		checked_file *f = &fx->r.files[1];
		uint8_t *keep = f->data;
		size_t keep_len = f->len;
		assert_int_equal(f->info.format, FMT_PDF);
		f->data = junk;
		f->len = sizeof junk - 1;
		assert_int_equal(pdf_write_packet(&fx->job, path, 0, NULL, &err), -1);
		/* qpdf's own words inside ours */
		assert_int_equal(err.code, LP_E_PDF_INCLUDE);
		assert_memory_equal(err.en, "cannot include '股东会决议.pdf': ", strlen("cannot include '股东会决议.pdf': "));
		assert_memory_equal(err.zh, "无法放入 '股东会决议.pdf'（", strlen("无法放入 '股东会决议.pdf'（"));
		f->data = keep;
		f->len = keep_len;
	}
	/* a JPEG a PDF reader cannot show as it is (here: lossless, SOF3) is
	 * left out, not re-encoded (check reports it as `format`) */
	{
		checked_file *f = &fx->r.files[0];
		int sof = f->info.jpeg_sof;
		f->info.jpeg_sof = 3;
		assert_int_equal(pdf_file_included(f), 0);
		f->info.jpeg_sof = sof;
		assert_int_equal(pdf_file_included(f), 1);
	}
	assert_no_temp(fx);
	/* and then it works, replacing the old file */
	assert_int_equal(pdf_write_packet(&fx->job, path, 0, NULL, &err), 0);
	old = read_file(path, &len);
	assert_true(len > 1000);
	assert_memory_equal(old, "%PDF-", 5);
	free(old);
	free(path);
}

/* pdf_png_decode against every colour type and bit depth. */
static void test_png_decode(void **state)
{
	static const png_case cases[] = {
		{ PNG_COLOR_TYPE_GRAY, 1, 0, 0 }, { PNG_COLOR_TYPE_GRAY, 2, 0, 0 },
		{ PNG_COLOR_TYPE_GRAY, 4, 0, 0 }, { PNG_COLOR_TYPE_GRAY, 8, 0, 0 },
		{ PNG_COLOR_TYPE_GRAY, 16, 0, 0 }, { PNG_COLOR_TYPE_GRAY, 2, 0, 1 },
		{ PNG_COLOR_TYPE_GRAY, 8, 1, 1 }, { PNG_COLOR_TYPE_GRAY, 16, 0, 1 },
		{ PNG_COLOR_TYPE_RGB, 8, 0, 0 }, { PNG_COLOR_TYPE_RGB, 16, 0, 0 },
		{ PNG_COLOR_TYPE_RGB, 8, 1, 1 }, { PNG_COLOR_TYPE_RGB, 16, 1, 1 },
		{ PNG_COLOR_TYPE_PALETTE, 1, 0, 0 }, { PNG_COLOR_TYPE_PALETTE, 2, 0, 0 },
		{ PNG_COLOR_TYPE_PALETTE, 4, 1, 0 }, { PNG_COLOR_TYPE_PALETTE, 8, 0, 0 },
		{ PNG_COLOR_TYPE_PALETTE, 8, 0, 1 }, { PNG_COLOR_TYPE_PALETTE, 2, 1, 1 },
		{ PNG_COLOR_TYPE_GRAY_ALPHA, 8, 0, 0 }, { PNG_COLOR_TYPE_GRAY_ALPHA, 16, 1, 0 },
		{ PNG_COLOR_TYPE_RGB_ALPHA, 8, 1, 0 }, { PNG_COLOR_TYPE_RGB_ALPHA, 16, 0, 0 },
	};
	const int w = 37, h = 23; /* odd sizes: partial bytes, every Adam7 pass */
	(void)state;

	for (size_t i = 0; i < COUNT(cases); i++) {
		const png_case *pc = &cases[i];
		size_t len;
		uint8_t *png = make_png(pc, w, h, &len), *px = NULL;
		uint32_t ow, oh;
		int ch, want_ch = pc->ct & PNG_COLOR_MASK_COLOR ? 3 : 1;
		lp_err err;

		if (pdf_png_decode(png, len, &px, &ow, &oh, &ch, &err) != 0)
			fail_msg("case %zu (type %d, %d bits): %s", i, pc->ct, pc->bd, err.en);
		assert_int_equal(ow, w);
		assert_int_equal(oh, h);
		assert_int_equal(ch, want_ch);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int k = 0; k < ch; k++) {
					uint8_t got = px[((size_t)y * w + x) * ch + k];
					uint8_t want = expect_png(pc, x, y, k);
					if (got != want)
						fail_msg("case %zu (type %d, %d bits, interlace %d, tRNS %d): "
							 "pixel %d,%d channel %d is %u, want %u", i, pc->ct,
							 pc->bd, pc->interlace, pc->trns, x, y, k, got, want);
				}
		free(px);
		/* cut short: an error, nothing returned, nothing leaked */
		assert_int_equal(pdf_png_decode(png, len / 2, &px, &ow, &oh, &ch, &err), -1);
		assert_null(px);
		assert_int_equal(err.code, LP_E_PNG_DECODE_PDF);
		assert_non_null(strstr(err.en, "cannot decode the PNG: "));
		free(png);
	}
}

/* Where the stored image's top-left and top-right corners land for each
 * orientation (EXIF 2.3, TIFF 6.0 Orientation), as box corners: 0 top left,
 * 1 top right, 2 bottom right, 3 bottom left. */
static void test_orient_matrix(void **state)
{
	static const int tl[9] = { 0, 0, 1, 2, 3, 0, 1, 2, 3 };
	static const int tr[9] = { 0, 1, 0, 3, 2, 3, 2, 1, 0 };
	const float x = 10, y = 20, bw = 300, bh = 200;
	const float cx[4] = { x, x + bw, x + bw, x }, cy[4] = { y + bh, y + bh, y, y };
	(void)state;

	for (int o = 0; o <= 9; o++) {
		int e = o >= 1 && o <= 8 ? o : 1;
		float m[6], px, py;
		pdf_orient_matrix(o, x, y, bw, bh, m);
		/* unit square (u, v) -> (a u + c v + e, b u + d v + f); top left is (0, 1) */
		px = m[2] + m[4];
		py = m[3] + m[5];
		assert_float_equal(px, cx[tl[e]], 1e-3);
		assert_float_equal(py, cy[tl[e]], 1e-3);
		px = m[0] + m[2] + m[4];
		py = m[1] + m[3] + m[5];
		assert_float_equal(px, cx[tr[e]], 1e-3);
		assert_float_equal(py, cy[tr[e]], 1e-3);
		/* and the square fills the box: |det| = bw * bh */
		assert_float_equal(fabsf(m[0] * m[3] - m[1] * m[2]), bw * bh, 1e-1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_decode),
		cmocka_unit_test(test_orient_matrix),
		cmocka_unit_test_setup_teardown(test_full_packet, packet_fixture_setup, packet_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_jpeg_fallback, packet_fixture_setup, packet_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_exif_orientation, packet_fixture_setup, packet_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_exif_corpus, packet_fixture_setup, packet_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cover_pages, packet_fixture_setup, packet_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cover_handed_over, packet_fixture_setup, packet_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_failure_is_atomic, packet_fixture_setup, packet_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
