/*
 * test_png_pass: PNG passthrough (pdf/png_pass.c) against the decoding
 * route, rendered.
 *
 * Every valid PNG of PngSuite (../shared/corpus/pngsuite, or
 * $LICPACK_CORPUS/pngsuite) and a few PNGs made here go into two PDFs, one
 * page per image: once by pdf_png_image's own choice (PDF_PNG_AUTO) and once
 * forced through libpng (PDF_PNG_DECODE). pdftoppm renders both at 72 dpi
 * and every page must come out identical, byte for byte. Which route was
 * taken is judged from outside too: the test reads each file's IHDR and
 * looks for a tRNS chunk itself, expects the passthrough exactly for
 * non-interlaced grey, RGB and palette images of at most 8 bits without
 * tRNS, and counts "/Predictor 15" in the PDFs. "Valid" means the probe
 * (packet/probe.h) accepts the file, as a build would; PngSuite's x*.png
 * files are not. Damaged files (every prefix of a PNG, chunks out of order)
 * must give an error or the decoding route, never a crash (run under ASan
 * and valgrind by tests/run.sh).
 *
 * Without the corpus the made-up PNGs still run, and the output says
 * "SKIPPED: ..." for the corpus part.
 */
#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "packet/util.h"

#include "tests/unit/support.h"
#include <hpdf.h>
#include <png.h>

#include "packet/probe.h"
#include "pdf/internal.h"

#define SCALE 4 /* each image pixel becomes SCALE x SCALE rendered pixels */

/* ---- helpers ---- */

/* What the test expects of a PNG, from its own reading of the chunks:
 * passthrough for non-interlaced grey, RGB and palette images of at most 8
 * bits with no tRNS chunk. */
static int expect_pass(const uint8_t *d, size_t len)
{
	int ct, depth, ilace, trns = 0;
	size_t p = 8;

	assert_true(len > 33);
	depth = d[24];
	ct = d[25];
	ilace = d[28];
	while (p + 12 <= len) {
		uint32_t n = lp_be32(d + p);
		if (memcmp(d + p + 4, "tRNS", 4) == 0)
			trns = 1;
		if (memcmp(d + p + 4, "IEND", 4) == 0 || n > len - p - 12)
			break;
		p += 12 + (size_t)n;
	}
	return !ilace && (ct == 0 || ct == 2 || ct == 3) && depth <= 8 && !trns;
}

static size_t count(const uint8_t *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), c = 0;

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			c++;
	return c;
}

static int rm_cb(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

/* ---- PNGs made here ---- */


/* A w x h PNG of colour type ct and bit depth bd, its samples a pattern of
 * the coordinates; npal palette entries (palette images may use indices
 * past them); a tiny zlib buffer so that the data spans many IDAT chunks. */
static uint8_t *make_png(int ct, int bd, int w, int h, int npal, int interlace, size_t *len)
{
	membuf m = { NULL, 0, 0 };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	int ch = ct == PNG_COLOR_TYPE_RGB ? 3 : ct == PNG_COLOR_TYPE_RGB_ALPHA ? 4
		 : ct == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
	size_t rowbytes = ((size_t)w * ch * bd + 7) / 8;
	uint8_t *row = calloc(1, rowbytes);
	int maxv = (1 << bd) - 1, passes;

	assert_non_null(png);
	assert_non_null(info);
	assert_non_null(row);
	if (setjmp(png_jmpbuf(png)))
		fail_msg("libpng failed making a test PNG");
	png_set_write_fn(png, &m, png_mem_write, png_mem_flush);
	png_set_check_for_invalid_index(png, 0); /* indices past the palette, on purpose */
	png_set_compression_buffer_size(png, 64);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, bd, ct,
		     interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	if (ct == PNG_COLOR_TYPE_PALETTE) {
		png_color pal[256];
		for (int i = 0; i < npal; i++) {
			pal[i].red = (png_byte)(40 + 70 * i);
			pal[i].green = (png_byte)(200 - 50 * i);
			pal[i].blue = (png_byte)(90 * i);
		}
		png_set_PLTE(png, info, pal, npal);
	}
	png_write_info(png, info);
	if (bd < 8)
		png_set_packing(png);
	passes = interlace ? png_set_interlace_handling(png) : 1;
	for (int y = 0; y < h * passes; y++) {
		uint8_t full[4 * 64];
		assert_true(w <= 64);
		for (int x = 0; x < w; x++)
			for (int k = 0; k < ch; k++) {
				int v = (x * 3 + (y % h) * 5 + k * 7) % (maxv + 1);
				if (ct == PNG_COLOR_TYPE_PALETTE)
					v = (x + y % h) % (maxv + 1); /* every index, some past the palette */
				full[x * ch + k] = (uint8_t)v;
			}
		if (bd == 16) {
			for (int i = w * ch - 1; i >= 0; i--) {
				unsigned v = (unsigned)full[i] * 257u + (unsigned)i;
				row[2 * i] = (uint8_t)(v >> 8);
				row[2 * i + 1] = (uint8_t)v;
			}
			png_write_row(png, row);
		} else {
			png_write_row(png, full);
		}
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	*len = m.len;
	return m.buf;
}

/* ---- the comparison ---- */

typedef struct {
	char name[256];
	uint8_t *data;
	size_t len;
	int want_pass;
} sample;

typedef struct {
	sample *v;
	size_t n, cap;
} sample_list;

static void add_sample(sample_list *l, const char *name, uint8_t *data, size_t len)
{
	file_info info;
	sample *s;

	/* what a build would include: the probe accepts it */
	if (probe_buffer(data, len, NULL, &info) != PROBE_OK || info.format != FMT_PNG) {
		free(data);
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		assert_non_null(l->v);
	}
	s = &l->v[l->n++];
	snprintf(s->name, sizeof s->name, "%s", name);
	s->data = data;
	s->len = len;
	s->want_pass = expect_pass(data, len);
}

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *user)
{
	(void)user;
	fail_msg("libharu error 0x%04X (detail %u)", (unsigned)e, (unsigned)detail);
}

/* One PDF, one page per sample, each image by route; the samples' bytes
 * are borrowed until the save. Returns the number of passthroughs. */
static size_t write_pdf(const sample_list *l, pdf_png_route route, const char *path)
{
	HPDF_Doc doc = HPDF_New(on_error, NULL);
	size_t passes = 0;

	assert_non_null(doc);
	assert_int_equal(HPDF_SetCompressionMode(doc, HPDF_COMP_ALL), HPDF_OK);
	for (size_t i = 0; i < l->n; i++) {
		const sample *s = &l->v[i];
		lp_err err;
		int passed = -1;
		HPDF_Image img = pdf_png_image(doc, s->data, s->len, NULL, route, &passed, &err);
		HPDF_Page page;
		float w, h;

		if (img == NULL)
			fail_msg("'%s': %s", s->name, err.en);
		if (route == PDF_PNG_DECODE && passed != 0)
			fail_msg("'%s': passed through although decoding was forced", s->name);
		if (route == PDF_PNG_AUTO && passed != s->want_pass)
			fail_msg("'%s': %s, expected the %s", s->name,
				 passed ? "passed through" : "decoded",
				 s->want_pass ? "passthrough" : "decoding route");
		passes += (size_t)passed;
		w = (float)HPDF_Image_GetWidth(img);
		h = (float)HPDF_Image_GetHeight(img);
		assert_true(w >= 1 && h >= 1);
		page = HPDF_AddPage(doc);
		assert_non_null(page);
		assert_int_equal(HPDF_Page_SetWidth(page, w * SCALE), HPDF_OK);
		assert_int_equal(HPDF_Page_SetHeight(page, h * SCALE), HPDF_OK);
		assert_int_equal(HPDF_Page_DrawImage(page, img, 0, 0, w * SCALE, h * SCALE), HPDF_OK);
	}
	assert_int_equal(HPDF_SaveToFile(doc, path), HPDF_OK);
	HPDF_Free(doc);
	return passes;
}

/* Render both PDFs and compare every page. */
static void compare_routes(const sample_list *l, const char *label)
{
	char dir[] = "/tmp/test_png_pass.XXXXXX", pass_pdf[128], dec_pdf[128];
	uint8_t *pdf;
	size_t len, passes, want = 0, bad = 0;
	int digits = 1;

	assert_non_null(mkdtemp(dir));
	snprintf(pass_pdf, sizeof pass_pdf, "%s/pass.pdf", dir);
	snprintf(dec_pdf, sizeof dec_pdf, "%s/decode.pdf", dir);
	for (size_t i = 0; i < l->n; i++)
		want += (size_t)l->v[i].want_pass;
	passes = write_pdf(l, PDF_PNG_AUTO, pass_pdf);
	assert_int_equal(passes, want);
	assert_int_equal(write_pdf(l, PDF_PNG_DECODE, dec_pdf), 0);

	/* the passthrough's mark in the files: one per passed image */
	pdf = read_file(pass_pdf, &len);
	assert_non_null(pdf);
	assert_int_equal(count(pdf, len, "/Predictor 15"), want);
	free(pdf);
	pdf = read_file(dec_pdf, &len);
	assert_non_null(pdf);
	assert_int_equal(count(pdf, len, "/Predictor"), 0);
	free(pdf);

	if (sh("command -v pdftoppm >/dev/null 2>&1") != 0) {
		printf("SKIPPED: pdftoppm not installed; %s: routes not compared by rendering\n", label);
		goto cleanup;
	}
	assert_int_equal(sh("pdftoppm -r 72 '%s' '%s/p' && pdftoppm -r 72 '%s' '%s/d'", pass_pdf, dir,
			    dec_pdf, dir), 0);
	for (size_t n = l->n; n >= 10; n /= 10)
		digits++;
	for (size_t i = 0; i < l->n; i++) {
		char a[4096], b[4096];
		uint8_t *pa, *pb;
		size_t la, lb;

		/* pdftoppm pads page numbers to the digits of the last one */
		if (snprintf(a, sizeof a, "%s/p-%0*zu.ppm", dir, digits, i + 1) >= (int)sizeof a ||
		    snprintf(b, sizeof b, "%s/d-%0*zu.ppm", dir, digits, i + 1) >= (int)sizeof b)
			fail_msg("path too long");
		pa = read_file(a, &la);
		pb = read_file(b, &lb);
		if (pa == NULL || pb == NULL)
			fail_msg("no rendering of page %zu ('%s')", i + 1, l->v[i].name);
		if (la != lb || memcmp(pa, pb, la) != 0) {
			fprintf(stderr, "'%s' (%s): renders differently\n", l->v[i].name,
				l->v[i].want_pass ? "passed through" : "decoded");
			bad++;
		}
		free(pa);
		free(pb);
	}
	printf("%s: %zu images, %zu passed through, %zu decoded, %zu differ\n", label, l->n, want,
	       l->n - want, bad);
	assert_int_equal(bad, 0);
cleanup:
	nftw(dir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

static void free_samples(sample_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].data);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int png_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 4 && strcmp(e->d_name + n - 4, ".png") == 0;
}

static void test_pngsuite(void **state)
{
	const char *env = getenv("LICPACK_CORPUS");
	char dir[1024];
	struct dirent **names = NULL;
	sample_list l = { NULL, 0, 0 };
	int n;

	(void)state;
	if (env != NULL && *env)
		snprintf(dir, sizeof dir, "%s/pngsuite", env);
	else
		snprintf(dir, sizeof dir, "../shared/corpus/pngsuite");
	n = scandir(dir, &names, png_name, alphasort);
	if (n <= 0) {
		printf("SKIPPED: no PngSuite corpus at %s\n", dir);
		free(names);
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[2048];
		size_t len;
		uint8_t *data;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		data = read_file(path, &len);
		assert_non_null(data);
		add_sample(&l, names[i]->d_name, data, len);
		free(names[i]);
	}
	free(names);
	/* 175 test images and the logo; the 14 broken x*.png are refused */
	assert_true(l.n >= 150);
	compare_routes(&l, "PngSuite");
	free_samples(&l);
}

static void test_made_here(void **state)
{
	static const struct {
		int ct, bd, npal, interlace;
	} cases[] = {
		{ PNG_COLOR_TYPE_PALETTE, 8, 3, 0 },  /* indices past the palette: black */
		{ PNG_COLOR_TYPE_PALETTE, 4, 16, 0 },
		{ PNG_COLOR_TYPE_PALETTE, 2, 2, 0 },
		{ PNG_COLOR_TYPE_PALETTE, 1, 1, 0 },
		{ PNG_COLOR_TYPE_GRAY, 1, 0, 0 },
		{ PNG_COLOR_TYPE_GRAY, 2, 0, 0 },
		{ PNG_COLOR_TYPE_GRAY, 4, 0, 0 },
		{ PNG_COLOR_TYPE_GRAY, 8, 0, 0 },
		{ PNG_COLOR_TYPE_GRAY, 16, 0, 0 },
		{ PNG_COLOR_TYPE_RGB, 8, 0, 0 },
		{ PNG_COLOR_TYPE_RGB, 16, 0, 0 },
		{ PNG_COLOR_TYPE_RGB, 8, 0, 1 },
		{ PNG_COLOR_TYPE_RGB_ALPHA, 8, 0, 0 },
		{ PNG_COLOR_TYPE_GRAY_ALPHA, 8, 0, 0 },
	};
	sample_list l = { NULL, 0, 0 };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[64];
		size_t len;
		/* odd widths: rows that end inside a byte */
		uint8_t *png = make_png(cases[i].ct, cases[i].bd, 37, 23, cases[i].npal,
					cases[i].interlace, &len);
		snprintf(name, sizeof name, "made-%zu (type %d, %d bits)", i, cases[i].ct, cases[i].bd);
		add_sample(&l, name, png, len);
	}
	assert_int_equal(l.n, sizeof cases / sizeof cases[0]);
	compare_routes(&l, "made here");
	free_samples(&l);
}

/* Cut short anywhere, or with its chunks shuffled: an error or the
 * decoding route, never the passthrough, never a crash. */
static void test_damaged(void **state)
{
	size_t len;
	uint8_t *png = make_png(PNG_COLOR_TYPE_PALETTE, 4, 37, 23, 16, 0, &len), *bad;
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	size_t p = 8, first_idat = 0, second = 0;

	(void)state;
	assert_non_null(doc);
	for (size_t cut = 0; cut < len; cut++) {
		lp_err err = { LP_OK, 0, "", "" };
		int passed = -1;
		HPDF_Image img = pdf_png_image(doc, png, cut, NULL, PDF_PNG_AUTO, &passed, &err);
		/* libpng may still decode a file whose IEND is cut off */
		if (passed != 0)
			fail_msg("cut to %zu of %zu bytes: passed through", cut, len);
		if (img == NULL)
			assert_true(err.code != LP_OK && err.en[0] != '\0' && err.zh[0] != '\0');
		HPDF_ResetError(doc);
	}
	/* IDAT chunks that do not follow each other: an ancillary chunk between
	 * the first two; the walk must not pass such a file through */
	while (p + 12 <= len) {
		uint32_t n = lp_be32(png + p);
		if (memcmp(png + p + 4, "IDAT", 4) == 0) {
			if (first_idat == 0)
				first_idat = p;
			else if (second == 0)
				second = p;
		}
		p += 12 + (size_t)n;
	}
	assert_true(first_idat > 0 && second > first_idat);
	bad = malloc(len + 12);
	assert_non_null(bad);
	{
		static const uint8_t chunk[12] = { 0, 0, 0, 0, 't', 'e', 'S', 't', 0, 0, 0, 0 };
		lp_err err = { LP_OK, 0, "", "" };
		int passed = -1;
		HPDF_Image img;
		memcpy(bad, png, second);
		memcpy(bad + second, chunk, sizeof chunk);
		memcpy(bad + second + 12, png + second, len - second);
		img = pdf_png_image(doc, bad, len + 12, NULL, PDF_PNG_AUTO, &passed, &err);
		assert_int_equal(passed, 0);
		if (img == NULL)
			assert_true(err.code != LP_OK && err.en[0] != '\0' && err.zh[0] != '\0');
		HPDF_ResetError(doc);
	}
	/* an unknown critical chunk before the data */
	{
		static const uint8_t chunk[12] = { 0, 0, 0, 0, 'Z', 'Z', 'Z', 'Z', 0, 0, 0, 0 };
		uint8_t *odd = malloc(len + 12);
		lp_err err = { LP_OK, 0, "", "" };
		int passed = -1;
		assert_non_null(odd);
		memcpy(odd, png, first_idat);
		memcpy(odd + first_idat, chunk, sizeof chunk);
		memcpy(odd + first_idat + 12, png + first_idat, len - first_idat);
		assert_null(pdf_png_image(doc, odd, len + 12, NULL, PDF_PNG_AUTO, &passed, &err));
		assert_int_equal(passed, 0);
		/* libpng's own words, after ours */
		assert_int_equal(err.code, LP_E_PNG_DECODE_PDF);
		assert_memory_equal(err.en, "cannot decode the PNG: ", 23);
		assert_memory_equal(err.zh, "无法解码 PNG 图片（", strlen("无法解码 PNG 图片（"));
		HPDF_ResetError(doc);
		free(odd);
	}
	HPDF_Free(doc);
	free(bad);
	free(png);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_made_here),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_pngsuite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
