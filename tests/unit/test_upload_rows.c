/*
 * test_upload_rows: the upload folder's pictures made without buffers of
 * their own. fit_rows (packet/upload_fit.h) encodes a picture made row by
 * row as imageio_encode encodes the same pixels, and leaves to fit_pixels
 * what must be fitted; thumb_keep (packet/thumb.h) keeps the probe's decode
 * of a scan whole, exactly as libjpeg-turbo decodes it at that scale, and
 * thumb_tee gives the same rows to a thumbnail beside it;
 * imageio_upright_copy turns a picture it does not own. A PNG's rows
 * (imageio_png_rows) are the pixels of its whole decode, and serve an
 * upright PNG's upload copy (fit_image) and its thumbnail (thumb_from_image)
 * without that decode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "packet/imageio.h"
#include "packet/probe.h"
#include "packet/thumb.h"
#include "packet/upload_fit.h"
#include "tests/unit/support.h"

/* A w x h colour picture that is not flat (a JPEG of it is not trivial). */
static uint8_t *picture(uint32_t w, uint32_t h)
{
	uint8_t *px = malloc((size_t)w * h * 3);
	uint32_t x, y;

	assert_non_null(px);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint8_t *p = px + ((size_t)y * w + x) * 3;
			p[0] = (uint8_t)(x * 7 + y);
			p[1] = (uint8_t)((x ^ y) * 3);
			p[2] = (uint8_t)(((x / 16 + y / 16) & 1) ? 230 : 20);
		}
	return px;
}

typedef struct {
	const uint8_t *px;
	uint32_t w;
	uint32_t asked;     /* rows asked for, to be in order */
} rows_of;

static const uint8_t *row_of(void *arg, uint32_t y)
{
	rows_of *r = arg;

	assert_int_equal(y, r->asked);
	r->asked++;
	return r->px + (size_t)y * r->w * 3;
}

static void test_fit_rows(void **state)
{
	const uint32_t w = 300, h = 200;
	uint8_t *px = picture(w, h), *want;
	size_t want_len;
	rows_of rows = { px, w, 0 };
	fit_limits lim = { 0 };
	fit_out out;
	lp_err err;
	/* page_mm 297 and 200 px on the long edge: 300 * 25.4 / 297 dpi */
	imageio_enc how = { .quality = FIT_QUALITY, .dpi_x = 300 * 25.4 / 297.0, .dpi_y = 300 * 25.4 / 297.0 };

	(void)state;
	assert_int_equal(imageio_encode(px, w, h, 3, &how, &want, &want_len, &err), 0);
	lim.page_mm = 297.0;
	lim.max_bytes = want_len;
	lim.max_long_edge = w;
	assert_int_equal(fit_rows(w, h, row_of, &rows, &lim, &out, &err), FIT_OK);
	assert_int_equal(rows.asked, h);
	assert_int_equal(out.len, want_len);
	assert_memory_equal(out.jpeg, want, want_len);
	assert_int_equal(out.w, w);
	assert_int_equal(out.h, h);
	assert_int_equal(out.quality, FIT_QUALITY);
	assert_int_equal(out.reduced, 0);
	free(out.jpeg);

	/* a byte over the limit: the pixels are wanted, nothing is kept */
	lim.max_bytes = want_len - 1;
	rows.asked = 0;
	assert_int_equal(fit_rows(w, h, row_of, &rows, &lim, &out, &err), FIT_PIXELS);
	assert_null(out.jpeg);
	assert_int_equal(out.len, 0);
	/* too long an edge, too many pixels, a smaller first try: not encoded */
	lim.max_bytes = 0;
	lim.max_long_edge = w - 1;
	rows.asked = 0;
	assert_int_equal(fit_rows(w, h, row_of, &rows, &lim, &out, &err), FIT_PIXELS);
	assert_int_equal(rows.asked, 0);
	lim.max_long_edge = 0;
	lim.max_pixels = (uint64_t)w * h - 1;
	assert_int_equal(fit_rows(w, h, row_of, &rows, &lim, &out, &err), FIT_PIXELS);
	assert_int_equal(rows.asked, 0);
	lim.max_pixels = 0;
	lim.start_edge = w - 10;
	assert_int_equal(fit_rows(w, h, row_of, &rows, &lim, &out, &err), FIT_PIXELS);
	assert_int_equal(rows.asked, 0);
	free(want);
	free(px);
}

static void test_keep_and_tee(void **state)
{
	/* 1600 on the long edge: the probe's colour analysis decodes at 1/2 */
	const uint32_t w = 1600, h = 1000;
	uint8_t *px = picture(w, h), *jpeg;
	size_t len;
	imageio_enc how = { .quality = 85 };
	probe_limits lim = { 0, PROBE_PIXELS_COLOUR };
	file_info info;
	thumb_keep keep;
	thumb_acc acc, alone;
	thumb_tee tee;
	thumb_rgb kept, thumb, thumb_alone, none;
	check_picture dec;
	probe_rows rows, keep_rows, acc_rows, alone_rows;
	lp_err err;

	(void)state;
	assert_int_equal(imageio_encode(px, w, h, 3, &how, &jpeg, &len, &err), 0);
	keep_rows = thumb_keep_rows(&keep);
	assert_int_equal(keep_rows.min_edge, 0);
	thumb_acc_init(&acc);
	acc_rows = thumb_acc_rows(&acc);
	rows = thumb_tee_rows(&tee, keep_rows, acc_rows);
	assert_int_equal(rows.min_edge, THUMB_EDGE);
	assert_int_equal(probe_buffer_rows(jpeg, len, &lim, &rows, &info), PROBE_OK);
	assert_int_equal(thumb_keep_take(&keep, &kept), 0);
	assert_int_equal(thumb_acc_take(&acc, &thumb), 0);
	/* taken once */
	assert_int_equal(thumb_keep_take(&keep, &dec), -1);

	/* the picture kept is libjpeg-turbo's decode at that scale */
	assert_int_equal(kept.w, w / 2);
	assert_int_equal(kept.h, h / 2);
	assert_int_equal(imageio_decode_rgb(jpeg, len, w / 2, IMAGEIO_FAST_SCALED, &dec, &err), 0);
	assert_int_equal(dec.w, kept.w);
	assert_int_equal(dec.h, kept.h);
	assert_memory_equal(dec.px, kept.px, (size_t)kept.w * kept.h * 3);

	/* the thumbnail beside it is the one made alone */
	thumb_acc_init(&alone);
	alone_rows = thumb_acc_rows(&alone);
	assert_int_equal(probe_buffer_rows(jpeg, len, &lim, &alone_rows, &info), PROBE_OK);
	assert_int_equal(thumb_acc_take(&alone, &thumb_alone), 0);
	assert_int_equal(thumb.w, thumb_alone.w);
	assert_int_equal(thumb.h, thumb_alone.h);
	assert_memory_equal(thumb.px, thumb_alone.px, (size_t)thumb.w * thumb.h * 3);

	/* a JPEG cut short: nothing kept */
	keep_rows = thumb_keep_rows(&keep);
	probe_buffer_rows(jpeg, len / 2, &lim, &keep_rows, &info);
	assert_int_not_equal(info.status, PROBE_OK);
	assert_int_equal(thumb_keep_take(&keep, &none), -1);
	thumb_keep_release(&keep);

	thumb_acc_release(&acc);
	thumb_acc_release(&alone);
	free(thumb_alone.px);
	free(thumb.px);
	free(kept.px);
	free(dec.px);
	free(jpeg);
	free(px);
}

static void test_upright_copy(void **state)
{
	uint8_t in[3 * 2 * 3];
	check_picture src = { in, 3, 2 }, out, owned;
	uint32_t x, y, sx, sy;
	int o;

	(void)state;
	for (x = 0; x < sizeof in; x++)
		in[x] = (uint8_t)(x * 11 + 1);
	for (o = 1; o <= 8; o++) {
		assert_int_equal(imageio_upright_copy(&src, o, &out), 0);
		assert_ptr_not_equal(out.px, in);
		assert_int_equal(out.w, o >= 5 ? 2u : 3u);
		assert_int_equal(out.h, o >= 5 ? 3u : 2u);
		for (y = 0; y < out.h; y++)
			for (x = 0; x < out.w; x++) {
				lp_orient_source(o, 3, 2, x, y, &sx, &sy);
				assert_memory_equal(out.px + (y * out.w + x) * 3, in + (sy * 3 + sx) * 3, 3);
			}
		/* the source untouched; the same pixels as imageio_upright's */
		for (x = 0; x < sizeof in; x++)
			assert_int_equal(in[x], (uint8_t)(x * 11 + 1));
		owned.px = malloc(sizeof in);
		assert_non_null(owned.px);
		memcpy(owned.px, in, sizeof in);
		owned.w = 3;
		owned.h = 2;
		assert_int_equal(imageio_upright(&owned, o), 0);
		assert_int_equal(owned.w, out.w);
		assert_memory_equal(owned.px, out.px, sizeof in);
		free(owned.px);
		free(out.px);
	}
	/* EXIF 6: a quarter turn clockwise, the bottom-left pixel top left */
	assert_int_equal(imageio_upright_copy(&src, 6, &out), 0);
	assert_memory_equal(out.px, in + 3 * 3, 3);
	free(out.px);
}

static void test_png_rows(void **state)
{
	static const uint32_t fmts[] = { PNG_FORMAT_RGB, PNG_FORMAT_GRAY };
	imageio_png_rows rows;
	check_picture img;
	uint8_t *png;
	size_t len;
	uint32_t y;
	lp_err err;

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		png = png_of(301, 203, fmts[k], &len);
		assert_int_equal(imageio_decode_png_rgb(png, len, &img, &err), 0);
		assert_int_equal(imageio_png_rows_open(&rows, png, len, &err), 0);
		assert_int_equal(rows.w, 301);
		assert_int_equal(rows.h, 203);
		for (y = 0; y < rows.h; y++)
			assert_memory_equal(imageio_png_row(&rows, y), img.px + (size_t)y * 301 * 3, 301 * 3);
		assert_int_equal(rows.failed, 0);
		imageio_png_rows_close(&rows);
		free(img.px);
		free(png);
	}
	/* transparency to compose, 16 bits to convert: not given as rows */
	png = png_of(40, 30, PNG_FORMAT_RGBA, &len);
	assert_int_equal(imageio_png_rows_open(&rows, png, len, &err), 1);
	free(png);
	png = png_of(40, 30, PNG_FORMAT_LINEAR_RGB, &len);
	assert_int_equal(imageio_png_rows_open(&rows, png, len, &err), 1);
	free(png);
	/* cut short: the header reads, the rows past the cut come white and
	 * failed is set */
	png = png_of(301, 203, PNG_FORMAT_RGB, &len);
	assert_int_equal(imageio_png_rows_open(&rows, png, len / 2, &err), 0);
	for (y = 0; y < rows.h; y++)
		(void)imageio_png_row(&rows, y);
	assert_int_equal(rows.failed, 1);
	assert_int_equal(imageio_png_row(&rows, 0)[0], 255);
	imageio_png_rows_close(&rows);
	/* not a PNG at all */
	assert_int_equal(imageio_png_rows_open(&rows, png + 8, len - 8, &err), -1);
	assert_int_equal(err.code, LP_E_PNG_DECODE);
	free(png);
}

/* An upright PNG's upload copy is its rows encoded as they come: the bytes
 * of imageio_encode over its whole decode with the same tables; one over
 * the limit, or on its side, is decoded whole and fitted as before. */
static void test_png_fit(void **state)
{
	imageio_enc plain = { .quality = FIT_QUALITY, .dpi_x = 301 * 25.4 / 297.0, .dpi_y = 301 * 25.4 / 297.0 };
	fit_limits lim = { 0 };
	check_picture img;
	fit_out out;
	uint8_t *png, *jpeg;
	size_t len, jl;
	lp_err err;

	(void)state;
	png = png_of(301, 203, PNG_FORMAT_RGB, &len);
	assert_int_equal(imageio_decode_png_rgb(png, len, &img, &err), 0);
	assert_int_equal(imageio_encode(img.px, img.w, img.h, 3, &plain, &jpeg, &jl, &err), 0);
	lim.page_mm = 297.0;
	assert_int_equal(fit_image(png, len, FMT_PNG, 1, &lim, &out, &err), FIT_OK);
	assert_int_equal(out.len, jl);
	assert_memory_equal(out.jpeg, jpeg, jl);
	assert_int_equal(out.reduced, 0);
	free(out.jpeg);
	/* a byte under that: fitted from the whole decode */
	lim.max_bytes = jl - 1;
	assert_int_equal(fit_image(png, len, FMT_PNG, 1, &lim, &out, &err), FIT_OK);
	assert_true(out.len <= jl - 1);
	free(out.jpeg);
	/* on its side (EXIF 6): turned */
	lim.max_bytes = 0;
	assert_int_equal(fit_image(png, len, FMT_PNG, 6, &lim, &out, &err), FIT_OK);
	assert_int_equal(out.w, 203);
	assert_int_equal(out.h, 301);
	free(out.jpeg);
	/* cut short: an error, no copy */
	assert_int_equal(fit_image(png, len / 2, FMT_PNG, 1, &lim, &out, &err), FIT_ERROR);
	assert_int_equal(err.code, LP_E_PNG_DECODE);
	assert_null(out.jpeg);
	free(jpeg);
	free(img.px);
	free(png);
}

/* A PNG's thumbnail from its rows is the one made from its whole decode. */
static void test_png_thumb(void **state)
{
	static const uint32_t fmts[] = { PNG_FORMAT_RGB, PNG_FORMAT_RGBA };
	html_thumb a, b;
	check_picture img;
	uint8_t *png;
	size_t len;
	lp_err err;

	(void)state;
	/* RGBA: composed over white by the whole decode, both ways */
	for (size_t k = 0; k < 2; k++) {
		png = png_of(900, 600, fmts[k], &len);
		assert_int_equal(thumb_from_image(png, len, FMT_PNG, 6, NULL, &a, &err), 0);
		assert_int_equal(imageio_decode_png_rgb(png, len, &img, &err), 0);
		assert_int_equal(thumb_from_rgb(&img, 6, NULL, &b, &err), 0);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.jpeg, b.jpeg, a.len);
		free(a.jpeg);
		free(b.jpeg);
		free(img.px);
		free(png);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_rows),
		cmocka_unit_test(test_keep_and_tee),
		cmocka_unit_test(test_upright_copy),
		cmocka_unit_test(test_png_rows),
		cmocka_unit_test(test_png_fit),
		cmocka_unit_test(test_png_thumb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
