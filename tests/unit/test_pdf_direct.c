/*
 * test_pdf_direct: the packet PDF's two routes to the file (pdf/merge.c)
 * give the same document.
 *
 * A packet without PDF materials is written by libharu itself, with the
 * bookmarks, the document info and an /ID added by pdf_direct_finish(); one
 * with PDF materials goes through qpdf. This test builds the same folder of
 * images (JPEG, and PNGs that are passed through and decoded) both ways,
 * forcing the qpdf route with PDF_ROUTE_QPDF, and compares from outside with
 * qpdf's C API and pdftoppm: page count and sizes, bookmarks (titles, pages,
 * links both ways), /PageMode, /Info, and every page rendered identically.
 * The direct route's own promises are checked too: qpdf --check passes, an
 * /ID of two 16-byte strings, two builds byte-identical, another input a
 * different /ID, no temporary file left, the JPEGs' bytes in the file once
 * each, and the cover alone has no bookmarks.
 */
#include <errno.h>
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

#include "tests/unit/support.h"
#include <jpeglib.h>
#include <png.h>
#include <qpdf/qpdf-c.h>

#include "packet/check.h"
#include "packet/ident.h"
#include "packet/manifest.h"
#include "packet/qpdf_lazy.h"
#include "pdf/font.h"
#include "pdf/internal.h"
#include "pdf/packet_pdf.h"
#include "pdf/testing.h"

/* ---- inputs ---- */

/* A w x h baseline JPEG of coloured bands, 200 dpi; variant shifts them. */
static void put_jpeg(const char *dir, const char *name, int w, int h, int grey, int variant)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	char *path = xstrdupf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	JSAMPLE *row = malloc((size_t)w * 3);

	assert_non_null(f);
	assert_non_null(row);
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = grey ? 1 : 3;
	c.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 85, TRUE);
	c.density_unit = 1;
	c.X_density = c.Y_density = 200;
	jpeg_start_compress(&c, TRUE);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			int band = ((x + y + variant * 7) / 40) % 4;
			uint8_t r = band == 1 ? 200 : 240, g = band == 2 ? 40 : 230, b = band == 3 ? 60 : 220;
			if (grey)
				row[x] = (uint8_t)((r + g + b) / 3);
			else
				row[3 * x] = r, row[3 * x + 1] = g, row[3 * x + 2] = b;
		}
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	assert_int_equal(fclose(f), 0);
	free(row);
	free(path);
}

/* A w x h PNG, 8-bit: palette (passed through) or RGBA (decoded). */
static void put_png(const char *dir, const char *name, int w, int h, int alpha)
{
	char *path = xstrdupf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	uint8_t *row = malloc((size_t)w * 4);
	png_color pal[4] = { { 250, 250, 250 }, { 30, 30, 30 }, { 200, 20, 20 }, { 20, 60, 160 } };
	png_uint_32 ppm = (png_uint_32)(200 / 0.0254 + 0.5);

	assert_non_null(f);
	assert_non_null(png);
	assert_non_null(info);
	assert_non_null(row);
	if (setjmp(png_jmpbuf(png)))
		fail_msg("libpng failed writing '%s'", path);
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
		     alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (!alpha)
		png_set_PLTE(png, info, pal, 4);
	png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			int k = ((x / 25) + (y / 25)) % 4;
			if (alpha) {
				row[4 * x] = pal[k].red;
				row[4 * x + 1] = pal[k].green;
				row[4 * x + 2] = pal[k].blue;
				row[4 * x + 3] = (uint8_t)(k == 0 ? 0 : 255);
			} else {
				row[x] = (uint8_t)k;
			}
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	assert_int_equal(fclose(f), 0);
	free(row);
	free(path);
}

/* ---- the fixture (support's packet_fixture) ---- */

typedef packet_fixture fixture;

/* Check fx->in and fill the job the way `build` does. */
static void check_in(fixture *fx)
{
	packet_fixture_check(fx, CHECK_KEEP_BYTES);
}

static char *build(fixture *fx, const char *name, int cover_only, pdf_route route, int *pages)
{
	lp_err err;
	char *path = xstrdupf("%s/%s", fx->out, name);
	pdf_output out = { path, NULL, NULL, NULL };

	if (pdf_write_packet_route(&fx->job, &out, cover_only, route, pages, &err) != 0)
		fail_msg("pdf_write_packet: %s", err.en);
	return path;
}

/* ---- reading back ---- */

typedef struct {
	int pages;
	float w[32], h[32];
	int n_marks;
	char title[32][256];
	int page[32];
	char pagemode[64];
	char info_title[256], info_subject[256], info_producer[64];
	size_t id_len[2];
	uint8_t id[2][64];
} doc_facts;

static void facts(const char *pdf, doc_facts *d)
{
	qpdf_data q = qpdf_init();
	qpdf_oh root, trailer, info, it;

	memset(d, 0, sizeof *d);
	qpdf_silence_errors(q);
	assert_false(qpdf_read(q, pdf, "") & QPDF_ERRORS);
	d->pages = qpdf_get_num_pages(q);
	assert_true(d->pages > 0 && d->pages <= 32);
	for (int i = 0; i < d->pages; i++) {
		qpdf_oh box = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/MediaBox");
		d->w[i] = (float)qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, box, 2));
		d->h[i] = (float)qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, box, 3));
	}
	root = qpdf_get_root(q);
	if (qpdf_oh_has_key(q, root, "/PageMode"))
		snprintf(d->pagemode, sizeof d->pagemode, "%s",
			 qpdf_oh_get_name(q, qpdf_oh_get_key(q, root, "/PageMode")));
	if (qpdf_oh_has_key(q, root, "/Outlines")) {
		qpdf_oh outlines = qpdf_oh_get_key(q, root, "/Outlines");
		assert_true(qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, outlines, "/Type"), "/Outlines"));
		it = qpdf_oh_get_key(q, outlines, "/First");
		while (qpdf_oh_is_dictionary(q, it) && d->n_marks < 32) {
			qpdf_oh dest = qpdf_oh_get_key(q, it, "/Dest");
			int n = d->n_marks;
			snprintf(d->title[n], sizeof d->title[n], "%s",
				 qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, it, "/Title")));
			assert_true(qpdf_oh_is_name_and_equals(q, qpdf_oh_get_array_item(q, dest, 1), "/Fit"));
			d->page[n] = qpdf_find_page_by_oh(q, qpdf_oh_get_array_item(q, dest, 0));
			assert_int_equal(qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, it, "/Parent")),
					 qpdf_oh_get_object_id(q, outlines));
			if (n > 0) /* and back */
				assert_int_equal(qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, it, "/Prev"), "/Next")),
						 qpdf_oh_get_object_id(q, it));
			d->n_marks++;
			if (!qpdf_oh_has_key(q, it, "/Next")) {
				assert_int_equal(qpdf_oh_get_object_id(q, it),
						 qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, outlines, "/Last")));
				break;
			}
			it = qpdf_oh_get_key(q, it, "/Next");
		}
		assert_int_equal(qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, outlines, "/Count")),
				 d->n_marks);
	}
	trailer = qpdf_get_trailer(q);
	info = qpdf_oh_get_key(q, trailer, "/Info");
	snprintf(d->info_title, sizeof d->info_title, "%s",
		 qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, info, "/Title")));
	snprintf(d->info_subject, sizeof d->info_subject, "%s",
		 qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, info, "/Subject")));
	snprintf(d->info_producer, sizeof d->info_producer, "%s",
		 qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, info, "/Producer")));
	assert_false(qpdf_oh_has_key(q, info, "/CreationDate"));
	assert_false(qpdf_oh_has_key(q, info, "/ModDate"));
	if (qpdf_oh_has_key(q, trailer, "/ID")) {
		qpdf_oh id = qpdf_oh_get_key(q, trailer, "/ID");
		assert_int_equal(qpdf_oh_get_array_n_items(q, id), 2);
		for (int k = 0; k < 2; k++) {
			size_t len = 0;
			const char *b = qpdf_oh_get_binary_string_value(q, qpdf_oh_get_array_item(q, id, k), &len);
			assert_true(len > 0 && len <= sizeof d->id[k]);
			memcpy(d->id[k], b, len);
			d->id_len[k] = len;
		}
	}
	assert_false(qpdf_has_error(q));
	qpdf_cleanup(&q);
}

/* Render both PDFs at low resolution and compare every page. */
static void same_renderings(const fixture *fx, const char *a, const char *b, int pages)
{
	if (!have_tool("pdftoppm"))
		return;  /* have_tool said SKIPPED: the renderings are not compared */
	assert_int_equal(sh("pdftoppm -r 30 '%s' '%s/ra' 2>/dev/null && pdftoppm -r 30 '%s' '%s/rb' 2>/dev/null",
			    a, fx->dir, b, fx->dir), 0);
	for (int p = 1; p <= pages; p++) {
		char *fa = xstrdupf("%s/ra-%0*d.ppm", fx->dir, pages >= 10 ? 2 : 1, p);
		char *fb = xstrdupf("%s/rb-%0*d.ppm", fx->dir, pages >= 10 ? 2 : 1, p);
		size_t la, lb;
		uint8_t *da = read_file(fa, &la), *db = read_file(fb, &lb);
		if (da == NULL || db == NULL)
			fail_msg("page %d was not rendered", p);
		if (la != lb || memcmp(da, db, la) != 0)
			fail_msg("page %d renders differently on the two routes", p);
		free(da);
		free(db);
		unlink(fa);
		unlink(fb);
		free(fa);
		free(fb);
	}
}

static void assert_no_temp(const fixture *fx)
{
	char *cmd = xstrdupf("ls -A '%s' | grep -q '^\\.'", fx->out);
	int found = sh("%s", cmd) == 0;
	free(cmd);
	if (found)
		fail_msg("a temporary file is left in %s", fx->out);
}

/* ---- the tests ---- */

/* The direct route's PDF (d, of pages pages) and qpdf's (q) alike: page
 * sizes, bookmarks, page mode and document info; the direct one with an
 * /ID, the same twice, of 16 bytes. */
static void assert_same_facts(const doc_facts *d, const doc_facts *q, int pages)
{
	assert_int_equal(d->pages, pages);
	assert_int_equal(d->pages, q->pages);
	for (int i = 0; i < d->pages; i++) {
		assert_true(d->w[i] > q->w[i] - 0.01f && d->w[i] < q->w[i] + 0.01f);
		assert_true(d->h[i] > q->h[i] - 0.01f && d->h[i] < q->h[i] + 0.01f);
	}
	/* the cover and six materials: 01 application, 02 licence, 03/04 ID
	 * card sides, 06 current licence (two pages) */
	assert_int_equal(d->n_marks, q->n_marks);
	assert_true(d->n_marks >= 5);
	for (int i = 0; i < d->n_marks; i++) {
		assert_string_equal(d->title[i], q->title[i]);
		assert_int_equal(d->page[i], q->page[i]);
	}
	assert_string_equal(d->title[0], "封面 Cover");
	assert_string_equal(d->pagemode, "/UseOutlines");
	assert_string_equal(q->pagemode, "/UseOutlines");
	assert_string_equal(d->info_title, q->info_title);
	assert_string_equal(d->info_title, "测试网络科技有限公司 ICP经营许可证续期");
	assert_string_equal(d->info_subject, q->info_subject);
	assert_string_equal(d->info_producer, "licpack");
	assert_string_equal(q->info_producer, "licpack");
	/* an /ID, the same twice, of 16 bytes */
	assert_int_equal(d->id_len[0], 16);
	assert_int_equal(d->id_len[1], 16);
	assert_memory_equal(d->id[0], d->id[1], 16);
}

static void test_routes_agree(void **state)
{
	fixture *fx = *state;
	doc_facts d, q;
	int pages_d, pages_q, cover_pages;
	char *direct, *via_qpdf, *again, *cover;
	uint8_t *a, *b;
	size_t la, lb;

	put_jpeg(fx->in, "营业执照副本.jpg", 400, 560, 0, 1);
	put_jpeg(fx->in, "身份证人像面.jpg", 428, 270, 0, 2);
	put_jpeg(fx->in, "身份证国徽面.jpg", 428, 270, 1, 3);
	put_png(fx->in, "许可证_p1.png", 300, 420, 0);
	put_png(fx->in, "许可证_p2.png", 300, 420, 1);
	put_jpeg(fx->in, "续期申请表.jpg", 560, 400, 0, 4); /* landscape */
	check_in(fx);
	for (size_t i = 0; i < fx->r.n_files; i++)
		assert_true(pdf_file_included(&fx->r.files[i]));

	direct = build(fx, "direct.pdf", 0, PDF_ROUTE_AUTO, &pages_d);
	via_qpdf = build(fx, "qpdf.pdf", 0, PDF_ROUTE_QPDF, &pages_q);
	assert_int_equal(pages_d, pages_q);
	assert_no_temp(fx);
	if (have_tool("qpdf"))
		assert_int_equal(sh("qpdf --check '%s' >/dev/null 2>&1", direct), 0);

	facts(direct, &d);
	facts(via_qpdf, &q);
	assert_same_facts(&d, &q, pages_d);
	same_renderings(fx, direct, via_qpdf, d.pages);

	/* each JPEG's bytes once, unchanged */
	a = read_file(direct, &la);
	assert_non_null(a);
	for (size_t i = 0; i < fx->r.n_files; i++) {
		const checked_file *f = &fx->r.files[i];
		if (f->info.format == FMT_JPEG && occurrences(a, la, f->data, f->len) != 1)
			fail_msg("'%s' is not in the PDF exactly once", f->rel);
	}

	/* deterministic: the same inputs, the same bytes */
	again = build(fx, "again.pdf", 0, PDF_ROUTE_AUTO, NULL);
	b = read_file(again, &lb);
	assert_non_null(b);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(b);

	/* the cover alone: no bookmarks, the same info */
	cover = build(fx, "cover.pdf", 1, PDF_ROUTE_AUTO, &cover_pages);
	{
		doc_facts c;
		facts(cover, &c);
		assert_int_equal(c.pages, cover_pages);
		assert_int_equal(c.n_marks, 0);
		assert_string_equal(c.pagemode, "");
		assert_string_equal(c.info_producer, "licpack");
		assert_int_equal(c.id_len[0], 16);
	}

	/* another input, another /ID */
	put_jpeg(fx->in, "营业执照副本.jpg", 400, 560, 0, 9);
	check_in(fx);
	free(again);
	again = build(fx, "other.pdf", 0, PDF_ROUTE_AUTO, NULL);
	{
		doc_facts o;
		facts(again, &o);
		assert_int_equal(o.id_len[0], 16);
		assert_memory_not_equal(o.id[0], d.id[0], 16);
	}
	assert_no_temp(fx);
	free(a);
	free(direct);
	free(via_qpdf);
	free(again);
	free(cover);
}

/* Writing fails (no such directory): an error, and nothing is left. */
static void test_direct_failure(void **state)
{
	fixture *fx = *state;
	lp_err err;
	char *path;

	put_jpeg(fx->in, "营业执照副本.jpg", 200, 280, 0, 1);
	check_in(fx);
	path = xstrdupf("%s/missing/p.pdf", fx->out);
	assert_int_equal(pdf_write_packet(&fx->job, path, 0, NULL, &err), -1);
	/* output_begin's error, kept as it said it (not "cannot build the PDF") */
	assert_int_equal(err.code, LP_E_CREATE);
	assert_int_equal(err.errnum, ENOENT);
	assert_non_null(strstr(err.en, "missing"));
	assert_non_null(strstr(err.zh, "missing"));
	free(path);
	assert_no_temp(fx);
}

/* qpdf's failure to write the packet (a system error, for which its C API
 * gives no errno) is said as licpack's own failed writes are: the final
 * name and the system's error, in both languages; another errno than the
 * one qpdf threw for, or another kind of error, keeps qpdf's words. */
static void test_qpdf_write_error(void **state)
{
	fixture *fx = *state;
	static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
				  "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
				  "trailer<</Root 1 0 R>>\n%%EOF\n";
	char *missing = xstrdupf("%s/missing/p.pdf", fx->out);
	lp_err err, lazy;
	pdf_ctx c;
	int e;

	assert_int_equal(qpdf_lazy_load(&lazy), 0);
	for (int round = 0; round < 3; round++) {
		qpdf_data q = qpdf_init();
		qpdf_silence_errors(q);
		qpdf_set_suppress_warnings(q, QPDF_TRUE);
		assert_false(qpdf_read_memory(q, "t.pdf", pdf, sizeof pdf - 1, "") & QPDF_ERRORS);
		errno = 0;
		assert_true(qpdf_init_write(q, missing) & QPDF_ERRORS);
		e = errno;
		assert_int_equal(e, ENOENT);
		memset(&c, 0, sizeof c);
		c.err = &err;
		if (round == 2) { /* qpdf's error taken away: qpdf's "failed" */
			qpdf_get_error(q);
			assert_int_equal(pdf_qpdf_write_fail(&c, q, e, LP_E_WRITE, "out/folder.pdf"), -1);
			assert_int_equal(err.code, LP_E_PDF_WRITE_PDF);
			qpdf_cleanup(&q);
			continue;
		}
		assert_int_equal(pdf_qpdf_write_fail(&c, q, round == 0 ? e : EIO, LP_E_WRITE, "out/folder.pdf"), -1);
		assert_int_equal(c.failed, 1);
		if (round == 0) {
			assert_int_equal(err.code, LP_E_WRITE);
			assert_int_equal(err.errnum, ENOENT);
			assert_string_equal(err.en, "cannot write 'out/folder.pdf': No such file or directory");
			assert_non_null(strstr(err.zh, "无法写入 'out/folder.pdf'"));
		} else { /* errno is not the one qpdf threw for: qpdf's own words */
			assert_int_equal(err.code, LP_E_PDF_WRITE_PDF);
			assert_int_equal(err.errnum, 0);
			assert_non_null(strstr(err.en, "cannot write the PDF: "));
			assert_non_null(strstr(err.en, "No such file or directory"));
			assert_null(strstr(err.en, "out/folder.pdf"));
		}
		qpdf_cleanup(&q);
	}
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_routes_agree, packet_fixture_setup, packet_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_direct_failure, packet_fixture_setup, packet_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_qpdf_write_error, packet_fixture_setup, packet_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
