/*
 * test_report_html: report.html (packet/report_html.c, pdf/report_page.c)
 * and its thumbnails (packet/thumb.c).
 *
 * Escaping is checked byte for byte per case (metacharacters, quotes,
 * newlines, bidirectional overrides, invalid UTF-8). A whole report is then
 * made from a folder built here whose template texts, packet.json values and
 * file names are hostile: none of their markup may reach the page, which
 * must stay valid UTF-8, reference nothing outside itself, and hold one row
 * per material and one <img> per thumbnail. Thumbnails are decoded again
 * here to check their size, their orientation and the watermark's red.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include <jpeglib.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/check.h"
#include "packet/normalise.h"
#include "packet/report_html.h"
#include "packet/thumb.h"
#include "packet/util.h"
#include "pdf/font.h"
#include "pdf/report_page.h"
#include "tests/fuzz/fuzz_html.h"
#include "tests/unit/support.h"

static void expect_escape(const char *in, const char *want)
{
	char *got = html_escape(in);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_escape_metacharacters(void **state)
{
	(void)state;
	expect_escape("<b>&x</b>", "&lt;b&gt;&amp;x&lt;/b&gt;");
	expect_escape("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
	expect_escape(NULL, "");
	expect_escape("营业执照.jpg", "营业执照.jpg");
}

static void test_escape_quotes(void **state)
{
	(void)state;
	expect_escape("\"onmouseover=\"x", "&quot;onmouseover=&quot;x");
	expect_escape("it's", "it&#39;s");
}

static void test_escape_newlines_controls(void **state)
{
	(void)state;
	expect_escape("a\nb", "a\xE2\x90\x8A" "b");       /* U+240A */
	expect_escape("a\r\tb", "a\xE2\x90\x8D\xE2\x90\x89" "b");
	expect_escape("\x1b[31m", "\xE2\x90\x9B[31m");     /* ESC: U+241B */
	expect_escape("\x7f", "\xE2\x90\xA1");
	expect_escape("\xC2\x85", "[U+0085]");             /* C1 NEL */
}

static void test_escape_bidi(void **state)
{
	(void)state;
	expect_escape("gpj.\xE2\x80\xAE" "exe", "gpj.[U+202E]exe");
	expect_escape("\xE2\x81\xA6x\xE2\x81\xA9", "[U+2066]x[U+2069]");
	expect_escape("\xE2\x80\x8F", "[U+200F]");
}

static void test_escape_invalid_utf8(void **state)
{
	(void)state;
	expect_escape("a\xFF" "b", "a\xEF\xBF\xBD" "b");
	expect_escape("\xC0\xBC", "\xEF\xBF\xBD\xEF\xBF\xBD");          /* overlong '<' */
	expect_escape("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
	expect_escape("end\xE4\xB8", "end\xEF\xBF\xBD\xEF\xBF\xBD");   /* cut short */
}

static void test_url_path(void **state)
{
	char *u;

	(void)state;
	u = html_url_path("a b/#?\"'<.html");
	assert_string_equal(u, "a%20b/%23%3F%22%27%3C.html");
	free(u);
	u = html_url_path("公司/report.html");
	assert_string_equal(u, "%E5%85%AC%E5%8F%B8/report.html");
	free(u);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void assert_utf8(const char *s)
{
	assert_true(utf8_valid(s, strlen(s)));
}

/* Every src= is a data: URI and every href= a fragment on the page. */
static void assert_self_contained(const char *html)
{
	const char *p;

	for (p = html; (p = strstr(p, " src=\"")); p++)
		assert_memory_equal(p + 6, "data:image/jpeg;base64,", 23);
	for (p = html; (p = strstr(p, " href=\"")); p++)
		assert_int_equal(p[7], '#');
	assert_null(strstr(html, "http:"));
	assert_null(strstr(html, "https:"));
	assert_null(strstr(html, "//"));
}

/* The thumbnail's pixels (RGB), decoded again. */
static uint8_t *decode(const html_thumb *t, unsigned *w, unsigned *h)
{
	struct jpeg_decompress_struct d;
	struct jpeg_error_mgr e;
	uint8_t *px;

	d.err = jpeg_std_error(&e);
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, t->jpeg, (unsigned long)t->len);
	jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_RGB;
	jpeg_start_decompress(&d);
	*w = d.output_width;
	*h = d.output_height;
	px = malloc((size_t)*w * *h * 3);
	assert_non_null(px);
	while (d.output_scanline < d.output_height) {
		JSAMPROW r = px + (size_t)d.output_scanline * *w * 3;
		jpeg_read_scanlines(&d, &r, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return px;
}

static void test_thumb_jpeg_scaled_upright(void **state)
{
	size_t len;
	uint8_t *jpg = half_black_jpeg(2000, 1000, 3, 0, &len), *px;
	html_thumb t;
	lp_err err;
	unsigned w, h;

	(void)state;
	assert_int_equal(thumb_from_image(jpg, len, FMT_JPEG, 1, NULL, &t, &err), 0);
	assert_int_equal(t.width, 240);
	assert_int_equal(t.height, 120);
	px = decode(&t, &w, &h);
	assert_int_equal(w, 240);
	assert_true(px[(60 * 240 + 10) * 3] < 40);    /* left: black */
	assert_true(px[(60 * 240 + 230) * 3] > 215);  /* right: white */
	free(px);
	free(t.jpeg);
	/* EXIF 6: turned 90° clockwise, the left half is now on top */
	assert_int_equal(thumb_from_image(jpg, len, FMT_JPEG, 6, NULL, &t, &err), 0);
	assert_int_equal(t.width, 120);
	assert_int_equal(t.height, 240);
	px = decode(&t, &w, &h);
	assert_true(px[(10 * 120 + 60) * 3] < 40);
	assert_true(px[(230 * 120 + 60) * 3] > 215);
	free(px);
	free(t.jpeg);
	/* cut short: no thumbnail, an error */
	assert_int_equal(thumb_from_image(jpg, 200, FMT_JPEG, 1, NULL, &t, &err), -1);
	assert_int_equal(err.code, LP_E_JPEG_DECODE);
	assert_true(strncmp(err.en, "cannot decode JPEG: ", 20) == 0);
	assert_true(strncmp(err.zh, "无法解码 JPEG 图片（", strlen("无法解码 JPEG 图片（")) == 0);
	assert_null(t.jpeg);
	free(jpg);
}

/* libpng's description of a w x h RGB image, to write one. */
static void rgb_image(png_image *im, unsigned w, unsigned h)
{
	memset(im, 0, sizeof *im);
	im->version = PNG_IMAGE_VERSION;
	im->width = w;
	im->height = h;
	im->format = PNG_FORMAT_RGB;
}

static void test_thumb_png(void **state)
{
	png_image im;
	uint8_t px[300 * 30 * 3];
	void *buf = NULL;
	png_alloc_size_t n = 0;
	html_thumb t;
	lp_err err;

	(void)state;
	memset(px, 200, sizeof px);
	rgb_image(&im, 300, 30);
	assert_true(png_image_write_get_memory_size(im, n, 0, px, 0, NULL));
	buf = malloc(n);
	assert_true(png_image_write_to_memory(&im, buf, &n, 0, px, 0, NULL));
	assert_int_equal(thumb_from_image(buf, n, FMT_PNG, 0, NULL, &t, &err), 0);
	assert_int_equal(t.width, 240);
	assert_int_equal(t.height, 24);
	free(t.jpeg);
	assert_int_equal(thumb_from_image(buf, 40, FMT_PNG, 0, NULL, &t, &err), -1);
	assert_int_equal(err.code, LP_E_PNG_DECODE);
	assert_true(strncmp(err.en, "cannot decode PNG: ", 19) == 0);
	/* neither a JPEG nor a PNG */
	assert_int_equal(thumb_from_image(buf, n, FMT_PDF, 0, NULL, &t, &err), -1);
	assert_int_equal(err.code, LP_E_THUMB_FORMAT);
	assert_string_equal(err.en, "no thumbnail for pdf");
	assert_string_equal(err.zh, "无法为 pdf 文件生成缩略图");
	free(buf);
}

/* Pixels clearly red: the watermark's colour on a white and black image. */
static size_t red_pixels(const html_thumb *t)
{
	unsigned w, h, i;
	uint8_t *px = decode(t, &w, &h);
	size_t n = 0;

	for (i = 0; i < w * h; i++)
		n += px[3 * i] > px[3 * i + 1] + 60 && px[3 * i] > px[3 * i + 2] + 60;
	free(px);
	return n;
}

static void test_thumb_watermark_in_pixels(void **state)
{
	char path[4096];
	lp_err err;
	int index;
	size_t len;
	uint8_t *jpg = half_black_jpeg(1000, 630, 3, 0, &len);
	html_thumb plain, marked;
	thumb_mark mk = { "仅供ICP经营许可证续期使用 2026-06-01", path, 0 };

	(void)state;
	/* fonts-wqy-microhei is a build dependency (Makefile BUILD_DEBS) */
	assert_int_equal(cjk_font_find(path, sizeof path, &index), 0);
	mk.font_index = index;
	assert_int_equal(thumb_from_image(jpg, len, FMT_JPEG, 1, NULL, &plain, &err), 0);
	assert_int_equal(thumb_from_image(jpg, len, FMT_JPEG, 1, &mk, &marked, &err), 0);
	assert_int_equal(red_pixels(&plain), 0);
	assert_true(red_pixels(&marked) > 300);
	free(plain.jpeg);
	/* no font: no marked thumbnail at all */
	mk.font_path = "/nonexistent/font.ttf";
	assert_int_equal(thumb_from_image(jpg, len, FMT_JPEG, 1, &mk, &plain, &err), -1);
	assert_int_equal(err.code, LP_E_WATERMARK_FONT_LOAD);
	assert_string_equal(err.en, "cannot load the watermark font");
	assert_string_equal(err.zh, "无法加载水印字体");
	free(marked.jpeg);
	free(jpg);
}

/* A folder whose template texts, packet.json values and file names try to
 * inject markup; one material ("one") with a PNG, and unrecognised files. */
static char *make_hostile_folder(void)
{
	char *root = xstrdupf("%s/report_html.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	png_image im;
	uint8_t px[64 * 48 * 3];

	assert_non_null(mkdtemp(root));
	assert_int_equal(sh("mkdir -p '%s/tpl' '%s/app'", root, root), 0);
	assert_int_equal(sh("printf '%%s' '{\"id\": \"evil\", \"version\": 1, "
			    "\"title\": {\"zh\": \"<script>alert(1)</script>\", \"en\": \"<script>alert(2)</script>\"}, "
			    "\"materials\": [{\"id\": \"one\", \"title\": {\"zh\": \"\\\"><b onmouseover=x>\", "
			    "\"en\": \"\\\"><b onmouseover=x>\"}, \"formats\": [\"png\"]}]}' > '%s/tpl/evil.json'",
			    root),
			 0);
	assert_int_equal(sh("printf '%%s' '{\"template\": \"evil\", \"company\": {\"name\": "
			    "\"<img src=x onerror=alert(3)>\\u202e\"}, \"legal_rep\": {\"name\": \"a\\nb&c\"}}' "
			    "> '%s/app/packet.json'",
			    root),
			 0);
	memset(px, 90, sizeof px);
	rgb_image(&im, 64, 48);
	{
		char *p = xstrdupf("%s/app/one.png", root);
		assert_true(png_image_write_to_file(&im, p, 0, px, 0, NULL));
		free(p);
	}
	assert_int_equal(sh("cd '%s/app' && printf x > '<b>\"q'\\''.txt' && printf x > \"$(printf 'bad\\377.txt')\" && "
			    "printf x > \"$(printf 'gpj.\\342\\200\\256exe')\"",
			    root),
			 0);
	return root;
}

/* Mean difference of horizontally adjacent grey levels (red channel): how
 * much fine detail a thumbnail keeps. */
static double detail(const html_thumb *t)
{
	unsigned w, h, x, y;
	uint8_t *px = decode(t, &w, &h);
	double sum = 0;

	for (y = 0; y < h; y++)
		for (x = 1; x < w; x++)
			sum += abs((int)px[(y * w + x) * 3] - (int)px[(y * w + x - 1) * 3]);
	free(px);
	return sum / ((double)h * (w - 1));
}

/* An identity document's thumbnail is a mosaic under its mark: stripes 2
 * pixels wide (finer than an ID number's strokes at THUMB_EDGE) are gone,
 * the picture's mean brightness kept; the plain thumbnail keeps them. */
static void test_thumb_marked_is_mosaic(void **state)
{
	char path[4096];
	lp_err err;
	int index;
	unsigned w = 240, h = 150, x, y, mean_plain = 0, mean_marked = 0;
	html_thumb plain, marked;
	thumb_mark mk = { "仅供ICP经营许可证续期使用 2026-06-01", path, 0 };
	thumb_rgb img;
	uint8_t *px;

	(void)state;
	assert_int_equal(cjk_font_find(path, sizeof path, &index), 0);
	mk.font_index = index;
	for (int marked_pass = 0; marked_pass < 2; marked_pass++) {
		img.w = w;
		img.h = h;
		img.px = malloc((size_t)w * h * 3);
		assert_non_null(img.px);
		for (y = 0; y < h; y++)
			for (x = 0; x < w; x++)
				memset(img.px + ((size_t)y * w + x) * 3, (x / 2) % 2 ? 255 : 0, 3);
		assert_int_equal(thumb_from_rgb(&img, 1, marked_pass ? &mk : NULL, marked_pass ? &marked : &plain, &err), 0);
		free(img.px);
	}
	assert_true(detail(&plain) > 100);
	assert_true(detail(&marked) < 20);
	/* the blocks are means: the picture is as bright as before (the mark's
	 * red strokes darken the green channel a little) */
	px = decode(&plain, &x, &y);
	for (size_t i = 0; i < (size_t)x * y; i++)
		mean_plain += px[3 * i];
	free(px);
	px = decode(&marked, &x, &y);
	for (size_t i = 0; i < (size_t)x * y; i++)
		mean_marked += px[3 * i];
	free(px);
	assert_true(abs((int)(mean_plain / (w * h)) - (int)(mean_marked / (w * h))) < 12);
	free(plain.jpeg);
	free(marked.jpeg);
}

static void test_report_hostile_folder(void **state)
{
	char *root = make_hostile_folder(), *tdir = xstrdupf("%s/tpl", root), *adir = xstrdupf("%s/app", root);
	char *html, *html0;
	lp_err err;
	template_set *set;
	check_options opt;
	check_result r;
	report_page_opts po = { NULL, LANG_EN, 20606, 1, NULL, 0, 0 };

	(void)state;
	assert_int_equal(template_set_new(&set, &err), 0);
	assert_int_equal(template_set_add_dir(set, tdir, &err), 0);
	check_options_init(&opt);
	opt.today = 20606;
	assert_int_equal(check_folder(set, adir, &opt, &r, &err), LP_EXIT_OK);
	po.dir = adir;
	html = html_report_make(&r, &po);
	po.thumbnails = 0;
	po.lang = LANG_ZH;
	html0 = html_report_make(&r, &po);
	assert_non_null(html);
	assert_non_null(html0);
	assert_utf8(html);
	assert_self_contained(html);
	assert_self_contained(html0);
	/* nothing from outside became markup */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b "));
	assert_null(strstr(html, "<img src=x"));
	assert_null(strstr(html, "\xE2\x80\xAE"));
	assert_non_null(strstr(html, "<h1>&lt;script&gt;alert(2)&lt;/script&gt;</h1>"));
	assert_non_null(strstr(html0, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
	assert_non_null(strstr(html, "&quot;&gt;&lt;b onmouseover=x&gt;<br><code>one</code>"));
	/* packet.json's values come escaped from applicant.c (escape_name), as
	 * in the text report: the page shows that text, HTML-escaped */
	assert_non_null(strstr(html, "<td>&lt;img src=x onerror=alert(3)&gt;\\xE2\\x80\\xAE</td>"));
	assert_non_null(strstr(html, "<td>a\\x0Ab&amp;c</td>"));
	assert_non_null(strstr(html, "&lt;b&gt;&quot;q&#39;.txt"));
	assert_non_null(strstr(html, "gpj.\\xE2\\x80\\xAEexe")); /* scan.c writes it so */
	assert_non_null(strstr(html, "bad\\xFF.txt"));
	/* structure: one row per material, one thumbnail (the PNG; the
	 * unrecognised files are not images: placeholders) */
	assert_int_equal(count(html, "<tr class=\"material "), r.tpl->n_materials);
	assert_int_equal(count(html, "<img "), 1);
	assert_int_equal(count(html, "<span class=\"ph\">"), 3);
	assert_int_equal(count(html0, "<img "), 0);
	assert_int_equal(count(html, "<figure "), 4);
	assert_non_null(strstr(html, "<html lang=\"zh-CN\">"));
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	/* each finding's code links to its explanation on the page */
	assert_non_null(strstr(html, "<a href=\"#x-unrecognized\"><code>unrecognized</code></a>"));
	assert_non_null(strstr(html, "<dt id=\"x-unrecognized\">"));
	free(html);
	free(html0);
	check_result_release(&r);
	template_set_free(set);
	assert_int_equal(sh("rm -rf '%s'", root), 0);
	free(root);
	free(tdir);
	free(adir);
}

/* The box filter fed row by row (thumb_acc, as the probe feeds it) against
 * the mean of each box computed here, pixel for pixel; rows out of order,
 * a second image and one too small to need shrinking are refused. */
static void test_thumb_acc_box_filter(void **state)
{
	const unsigned w = 701, h = 300; /* 240 x 102: boxes of 2 or 3 columns and rows */
	uint8_t *src = malloc((size_t)w * h * 3);
	thumb_acc a;
	probe_rows rows;
	thumb_rgb out;
	unsigned x, y, tx, ty, c;

	(void)state;
	assert_non_null(src);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			for (c = 0; c < 3; c++)
				src[((size_t)y * w + x) * 3 + c] = (uint8_t)((x * 7 + y * 13 + c * 50) % 251);
	thumb_acc_init(&a);
	rows = thumb_acc_rows(&a);
	assert_int_equal(rows.min_edge, THUMB_EDGE);
	assert_int_equal(rows.begin(rows.ctx, w, h), 1);
	for (y = 0; y < h; y++)
		rows.row(rows.ctx, y, src + (size_t)y * w * 3);
	assert_int_equal(thumb_acc_take(&a, &out), 0);
	assert_int_equal(out.w, 240);
	assert_int_equal(out.h, 102);
	for (ty = 0; ty < out.h; ty++)
		for (tx = 0; tx < out.w; tx++)
			for (c = 0; c < 3; c++) {
				unsigned x0 = tx * w / out.w, x1 = (tx + 1) * w / out.w;
				unsigned y0 = ty * h / out.h, y1 = (ty + 1) * h / out.h;
				unsigned long sum = 0;
				for (y = y0; y < y1; y++)
					for (x = x0; x < x1; x++)
						sum += src[((size_t)y * w + x) * 3 + c];
				if (out.px[((size_t)ty * out.w + tx) * 3 + c] != sum / ((y1 - y0) * (x1 - x0)))
					fail_msg("pixel %u,%u channel %u: %u, the box's mean %lu", tx, ty, c,
						 out.px[((size_t)ty * out.w + tx) * 3 + c], sum / ((y1 - y0) * (x1 - x0)));
			}
	free(out.px);
	thumb_acc_release(&a);
	/* a row missing: no picture */
	thumb_acc_init(&a);
	assert_int_equal(rows.begin(rows.ctx, w, h), 1);
	for (y = 0; y < h; y++)
		if (y != 100)
			rows.row(rows.ctx, y, src + (size_t)y * w * 3);
	assert_int_equal(thumb_acc_take(&a, &out), -1);
	thumb_acc_release(&a);
	/* a second image begun: neither is taken */
	thumb_acc_init(&a);
	assert_int_equal(rows.begin(rows.ctx, w, h), 1);
	assert_int_equal(rows.begin(rows.ctx, w, h), 0);
	for (y = 0; y < h; y++)
		rows.row(rows.ctx, y, src + (size_t)y * w * 3);
	assert_int_equal(thumb_acc_take(&a, &out), -1);
	thumb_acc_release(&a);
	/* rows cut short: no picture */
	thumb_acc_init(&a);
	assert_int_equal(rows.begin(rows.ctx, w, h), 1);
	for (y = 0; y < h / 2; y++)
		rows.row(rows.ctx, y, src + (size_t)y * w * 3);
	assert_int_equal(thumb_acc_take(&a, &out), -1);
	thumb_acc_release(&a);
	/* smaller than a thumbnail: its own decode is cheap and sharper */
	thumb_acc_init(&a);
	assert_int_equal(rows.begin(rows.ctx, 239, 100), 0);
	assert_int_equal(thumb_acc_take(&a, &out), -1);
	thumb_acc_release(&a);
	free(src);
}

/* report.html's JPEG thumbnails come from the check's decode: with
 * check_options.thumbnails the check keeps each JPEG's picture, and the
 * page is made without reading the scan again (here: after it is gone);
 * without, the scan is read again, and a scan gone gets the placeholder. */
static void test_report_thumbs_from_check(void **state)
{
	char *root = xstrdupf("%s/report_thumbs.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	char *tdir, *adir, *jp, *html;
	lp_err err;
	template_set *set;
	check_options opt;
	check_result r;
	report_page_opts po = { NULL, LANG_EN, 20606, 1, NULL, 0, 0 };
	size_t len;
	uint8_t *jpg = half_black_jpeg(2000, 1000, 3, 0, &len);
	const uint8_t *px;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	tdir = xstrdupf("%s/tpl", root);
	adir = xstrdupf("%s/app", root);
	jp = xstrdupf("%s/app/one.jpg", root);
	assert_int_equal(sh("mkdir -p '%s' '%s'", tdir, adir), 0);
	assert_int_equal(sh("printf '%%s' '{\"id\": \"t\", \"version\": 1, \"title\": {\"zh\": \"t\", \"en\": \"t\"}, "
			    "\"materials\": [{\"id\": \"one\", \"title\": {\"zh\": \"one\", \"en\": \"one\"}, "
			    "\"formats\": [\"jpeg\"]}]}' > '%s/t.json' && printf '%%s' '{\"template\": \"t\"}' > '%s/packet.json'",
			    tdir, adir),
			 0);
	assert_int_equal(template_set_new(&set, &err), 0);
	assert_int_equal(template_set_add_dir(set, tdir, &err), 0);
	po.dir = adir;
	for (int keep = 1; keep >= 0; keep--) {
		assert_non_null(f = fopen(jp, "wb"));
		assert_int_equal(fwrite(jpg, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
		check_options_init(&opt);
		opt.today = 20606;
		opt.thumbnails = keep;
		assert_int_equal(check_folder(set, adir, &opt, &r, &err), LP_EXIT_OK);
		assert_int_equal(r.n_files, 1);
		if (keep) {
			/* 2000 x 1000 decoded at 1/8 (nothing analysed), shrunk to 240 x 120 */
			assert_non_null(r.files[0].preview.px);
			assert_int_equal(r.files[0].preview.w, 240);
			assert_int_equal(r.files[0].preview.h, 120);
			/* the picture is the scan: left half black, right half white */
			px = r.files[0].preview.px;
			assert_true(px[(60 * 240 + 10) * 3] < 40);
			assert_true(px[(60 * 240 + 230) * 3] > 215);
		} else {
			assert_null(r.files[0].preview.px);
		}
		assert_int_equal(unlink(jp), 0);
		assert_non_null(html = html_report_make(&r, &po));
		assert_int_equal(count(html, "<img "), keep);
		assert_int_equal(count(html, "<span class=\"ph\">"), !keep);
		free(html);
		check_result_release(&r);
	}
	template_set_free(set);
	assert_int_equal(sh("rm -rf '%s'", root), 0);
	free(jpg);
	free(jp);
	free(root);
	free(tdir);
	free(adir);
}

/* The fuzz target's seeds and regressions, through its very harness. */
static void test_fuzz_html_inputs(void **state)
{
	(void)state;
	/* the seeds are there: the test tests something */
	assert_true(fuzz_replay("html", fuzz_html_one) >= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_metacharacters),
		cmocka_unit_test(test_escape_quotes),
		cmocka_unit_test(test_escape_newlines_controls),
		cmocka_unit_test(test_escape_bidi),
		cmocka_unit_test(test_escape_invalid_utf8),
		cmocka_unit_test(test_url_path),
		cmocka_unit_test(test_thumb_jpeg_scaled_upright),
		cmocka_unit_test(test_thumb_png),
		cmocka_unit_test(test_thumb_watermark_in_pixels),
		cmocka_unit_test(test_thumb_marked_is_mosaic),
		cmocka_unit_test(test_report_hostile_folder),
		cmocka_unit_test(test_thumb_acc_box_filter),
		cmocka_unit_test(test_report_thumbs_from_check),
		cmocka_unit_test(test_fuzz_html_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
