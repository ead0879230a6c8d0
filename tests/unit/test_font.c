/*
 * test_font: the CJK font layer (pdf/font.c).
 *
 * Small fonts built here, broken in the ways a --font file may be, must be
 * refused with a message naming the file (and a FIFO without waiting). The
 * subset (hb-subset) is checked twice on the installed CJK font: the flags
 * must equal a closure computed here by an independent (recursive) reader,
 * the program must hold exactly those glyphs, and
 * pages rendered with pdftoppm must be pixel-identical to the same page with
 * the whole font embedded, while the page without the repair must differ.
 * The PDFs, renders and sizes are left in tests/out/ (or $LICPACK_TEST_OUT)
 * for people to look at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pdf/font.h"
#include "pdf/testing.h"
#include "tests/unit/support.h"

/* Characters that are composites in wqy-microhei, and the titles the cover
 * prints; the first render of libharu 2.3.0 showed 法 as 去 and 证 as 正. */
static const char COMPOSITES[] =
	"法 证 营 业 执 照 续 期 申 请 表 域 名 许 可 承 诺 书 决 议 托 管 协 备 案 截 图";
static const char TITLE1[] = "法定代表人身份证人像面";
static const char TITLE2[] = "依法经营承诺书";

/* Over 300 distinct hanzi: common characters plus the cover's vocabulary. */
static const char HANZI[] =
	"的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生"
	"自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与"
	"好看学进种将还分此心前面又定见只主没公从知使全己外民第长由问意力现想本点相加它开"
	"实正些表部理已化明很教做因间利高动手机重电关信两给气解系体月政回被象把期新各名样"
	"几反题放处老最头什通路走件品位入物直议治口证营业执照续申请域许承诺书决托管协备案"
	"截图依代身份像徽章复印盖司息安保障措施网站接服务器互联增值范围股东结构技术员社缴"
	"纳材料清单页码共核验签字统会码住所注册资万元效至状态完整缺失错误警告附扫描彩色黑"
	"白辨率小格式北京海广州深圳杭南成武汉西津庆省市区县街号楼室邮编话传真箱";

/* ---- helpers ------------------------------------------------------------- */

typedef struct {
	HPDF_STATUS error;
	HPDF_STATUS detail;
} hpdf_errors;

/* libharu reports errors through this handler; the context arrives as
 * user_data, so the test keeps no global state either. */
static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user_data)
{
	hpdf_errors *e = user_data;

	if (e->error == HPDF_OK) {
		e->error = error;
		e->detail = detail;
	}
}

static const char *out_dir(void)
{
	const char *d = getenv("LICPACK_TEST_OUT");

	return d != NULL && *d != '\0' ? d : "tests/out";
}

static void make_out_dir(void)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s", out_dir());
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0777);
			*p = '/';
		}
	mkdir(buf, 0777);
}

static void out_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", out_dir(), name);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int is_collection(const char *path)
{
	char tag[4] = "";
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fread(tag, 1, 4, f), 4);
	fclose(f);
	return memcmp(tag, "ttcf", 4) == 0;
}

static void find_font(char *path, size_t len, int *index)
{
	assert_int_equal(cjk_font_find(path, len, index), 0);
}

/* A document with compression on (as the cover uses it) and the CJK font. */
static HPDF_Doc new_doc_mode(hpdf_errors *errs, pdf_font **font, pdf_font_mode mode)
{
	char path[1024];
	lp_err err;
	int index;
	HPDF_Doc doc;

	find_font(path, sizeof(path), &index);
	doc = HPDF_New(on_hpdf_error, errs);
	assert_non_null(doc);
	assert_int_equal(HPDF_SetCompressionMode(doc, HPDF_COMP_ALL), HPDF_OK);
	if (pdf_font_load_mode(doc, path, index, mode, font, &err) != 0)
		fail_msg("pdf_font_load: %s", err.en);
	return doc;
}

static HPDF_Doc new_doc(hpdf_errors *errs, pdf_font **font)
{
	return new_doc_mode(errs, font, PDF_FONT_SUBSET);
}

static unsigned count_flags(const unsigned char *flags, unsigned n)
{
	unsigned c = 0;

	for (unsigned i = 0; i < n; i++)
		c += flags[i] != 0;
	return c;
}

/* ---- cjk_font_find and pdf_font_load --------------------------------------- */

static void test_find(void **state)
{
	char path[1024], small[4];
	int index = -1;
	struct stat st;
	hpdf_errors errs = { 0, 0 };
	pdf_font *f;
	HPDF_Doc doc;

	(void)state;
	find_font(path, sizeof(path), &index);
	assert_true(index >= 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* A path that does not fit is not a font found. */
	assert_int_equal(cjk_font_find(small, sizeof(small), &index), -1);

	/* The font found serves Chinese and English (notes: wqy-microhei has
	 * Latin; DroidSansFallback does not and must not be chosen first). */
	doc = new_doc(&errs, &f);
	assert_true(pdf_font_has_glyph(f, 0x6CD5)); /* 法 */
	assert_true(pdf_font_has_glyph(f, 0x8BC1)); /* 证 */
	assert_true(pdf_font_has_glyph(f, 'A'));
	assert_true(pdf_font_has_glyph(f, 'z'));
	assert_true(pdf_font_has_glyph(f, '7'));
	assert_false(pdf_font_has_glyph(f, 0x1F600)); /* above the BMP: never */
	assert_non_null(pdf_font_handle(f));
	pdf_font_free(f);
	HPDF_Free(doc);
	assert_int_equal(errs.error, HPDF_OK);
}

static void test_load_errors(void **state)
{
	char path[1024], want[2048], bad[1024];
	lp_err err;
	int index;
	hpdf_errors errs = { 0, 0 };
	pdf_font *f = (pdf_font *)&errs; /* must be reset to NULL */
	HPDF_Doc doc;
	FILE *fp;

	(void)state;
	find_font(path, sizeof(path), &index);
	doc = HPDF_New(on_hpdf_error, &errs);
	assert_non_null(doc);

	assert_int_equal(pdf_font_load(doc, "/nonexistent/font.ttf", 0, &f, &err), -1);
	assert_null(f);
	snprintf(want, sizeof(want), "cannot open font '/nonexistent/font.ttf': %s",
		 strerror(ENOENT));
	assert_string_equal(err.en, want);
	assert_int_equal(err.code, LP_E_FONT_OPEN);
	assert_int_equal(err.errnum, ENOENT);

	assert_int_equal(pdf_font_load(doc, "/", 0, &f, &err), -1);
	assert_string_equal(err.en, "cannot read font '/': not a regular file");
	assert_string_equal(err.zh, "无法读取字体 '/'（不是普通文件）");
	assert_int_equal(err.code, LP_E_FONT_NOT_REGULAR);

	make_out_dir();
	out_path(bad, sizeof(bad), "font_not_a_font.otf");
	fp = fopen(bad, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite("OTTO\0\0\0\0\0\0\0\0\0\0\0\0", 1, 16, fp), 16);
	fclose(fp);
	assert_int_equal(pdf_font_load(doc, bad, 0, &f, &err), -1);
	snprintf(want, sizeof(want), "cannot use font '%s': CFF outlines (OpenType/CFF), "
		 "which libharu cannot embed", bad);
	assert_string_equal(err.en, want);
	assert_int_equal(err.code, LP_E_FONT_CFF);
	snprintf(want, sizeof(want), "无法使用字体 '%s'（是 CFF 轮廓的 OTF 字体，无法嵌入 PDF（请改用 TTF/TTC 字体））",
		 bad);
	assert_string_equal(err.zh, want);

	assert_int_equal(pdf_font_load(doc, path, 99, &f, &err), -1);
	snprintf(want, sizeof(want), "cannot use font '%s': %s", path,
		 is_collection(path) ? "font collection has no font number 99"
				     : "font number 99 asked of a single font");
	assert_string_equal(err.en, want);
	assert_int_equal(err.code, is_collection(path) ? LP_E_FONT_NO_FACE : LP_E_FONT_SINGLE_FACE);

	/* A FIFO is not opened for reading, which would wait for a writer
	 * for ever: the alarm fails the test rather than hang it. */
	out_path(bad, sizeof(bad), "font_fifo.ttf");
	unlink(bad);
	assert_int_equal(mkfifo(bad, 0600), 0);
	alarm(10);
	assert_int_equal(pdf_font_load(doc, bad, 0, &f, &err), -1);
	alarm(0);
	snprintf(want, sizeof(want), "cannot read font '%s': not a regular file", bad);
	assert_string_equal(err.en, want);
	unlink(bad);

	/* No error to fill at all. */
	assert_int_equal(pdf_font_load(doc, "/", 0, &f, NULL), -1);
	assert_int_equal(pdf_font_load(NULL, path, 0, &f, &err), -1);
	assert_string_equal(err.en, "invalid arguments");
	assert_int_equal(err.code, LP_E_PDF_ARGS);

	/* After all that the document is still usable. */
	assert_int_equal(HPDF_GetError(doc), HPDF_OK);
	assert_int_equal(pdf_font_load(doc, path, index, &f, &err), 0);
	pdf_font_free(f);
	pdf_font_free(NULL);
	HPDF_Free(doc);
	assert_int_equal(errs.error, HPDF_OK);
}

/* ---- small fonts built here ------------------------------------------------ */

typedef struct {
	uint8_t b[256];
	size_t n;
} glyph_rec;

typedef struct {
	uint8_t *data;
	size_t len, cap;
} buf_t;

static void put(buf_t *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->data = realloc(b->data, b->cap);
		assert_non_null(b->data);
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void put16(buf_t *b, unsigned v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(b, x, 2);
}

static void put32(buf_t *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	put(b, x, 4);
}

static void set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void g16(glyph_rec *g, unsigned v)
{
	g->b[g->n++] = (uint8_t)(v >> 8);
	g->b[g->n++] = (uint8_t)v;
}

/* A simple glyph: one contour, a bounding box, and padding. */
static void simple_glyph(glyph_rec *g)
{
	memset(g, 0, sizeof(*g));
	g16(g, 1);
	g->n += 10;
}

enum { T_HEAD, T_MAXP, T_LOCA, T_GLYF, T_HHEA };

typedef struct {
	int long_loca;
	int loca_format;     /* written to head; -1: from long_loca */
	int head_len;        /* 0: 54 */
	int loca_glyphs;     /* entries - 1 written to loca; -1: num_glyphs */
	int skip_glyf;       /* leave the glyf table out */
	unsigned maxp_glyphs_add;
	int with_hhea;       /* add an hhea table ... */
	unsigned hhea_metrics; /* ... with this numberOfHMetrics */
} font_opts;

/* An sfnt with head, maxp, loca and glyf, holding the glyphs given. */
static buf_t build_font(const glyph_rec *glyphs, unsigned n, const font_opts *o)
{
	buf_t t[5] = { { 0 } }, out = { 0 };
	unsigned ntables = o->skip_glyf ? 3 : o->with_hhea ? 5 : 4;
	static const char *tags[] = { "head", "maxp", "loca", "glyf", "hhea" };
	uint32_t off, pos = 0;
	int fmt = o->loca_format >= 0 ? o->loca_format : o->long_loca;
	int loca_n = o->loca_glyphs >= 0 ? o->loca_glyphs : (int)n;

	for (int i = 0; i < (o->head_len ? o->head_len : 54); i++)
		put(&t[T_HEAD], (uint8_t[]){ 0 }, 1);
	if (t[T_HEAD].len >= 20)
		t[T_HEAD].data[18] = 0x04; /* unitsPerEm 1024 */
	if (t[T_HEAD].len >= 52) {
		t[T_HEAD].data[50] = (uint8_t)(fmt >> 8);
		t[T_HEAD].data[51] = (uint8_t)fmt;
	}
	for (int i = 0; i < 34; i++)
		put(&t[T_HHEA], (uint8_t[]){ i == 1 ? 1 : 0 }, 1); /* version 1.0 */
	put16(&t[T_HHEA], o->hhea_metrics);
	put32(&t[T_MAXP], 0x00005000);
	put16(&t[T_MAXP], n + o->maxp_glyphs_add);
	for (unsigned i = 0; i < n; i++) {
		/* Short loca counts 16-bit words: keep records even-sized. */
		size_t len = glyphs[i].n + (glyphs[i].n & 1);

		if ((int)i <= loca_n)
			o->long_loca ? put32(&t[T_LOCA], pos) : put16(&t[T_LOCA], pos / 2);
		put(&t[T_GLYF], glyphs[i].b, len);
		pos += (uint32_t)len;
	}
	if (loca_n >= (int)n)
		o->long_loca ? put32(&t[T_LOCA], pos) : put16(&t[T_LOCA], pos / 2);

	put32(&out, 0x00010000);
	put16(&out, ntables);
	put16(&out, 0);
	put16(&out, 0);
	put16(&out, 0);
	off = 12 + 16 * ntables;
	for (unsigned i = 0; i < ntables; i++) {
		put(&out, tags[i], 4);
		put32(&out, 0);
		put32(&out, off);
		put32(&out, (uint32_t)t[i].len);
		off += (uint32_t)t[i].len;
	}
	for (unsigned i = 0; i < 5; i++) {
		if (i < ntables)
			put(&out, t[i].data, t[i].len);
		free(t[i].data);
	}
	return out;
}

static const font_opts DEFAULT_OPTS = { 1, -1, 0, -1, 0, 0, 0, 0 };

/* Write data to tests/out/NAME and try to load it as font number index:
 * it must fail with code and exactly "cannot use font 'PATH': why" (a
 * why ending in '*': that prefix), and leave the document usable. */
static void expect_load_error(HPDF_Doc doc, const char *name, const void *data, size_t len,
			      int index, lp_errcode code, const char *why)
{
	char path[1024], want[2048];
	lp_err err;
	pdf_font *f = NULL;
	FILE *fp;

	make_out_dir();
	out_path(path, sizeof(path), name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(pdf_font_load(doc, path, index, &f, &err), -1);
	assert_null(f);
	assert_int_equal(err.code, code);
	snprintf(want, sizeof(want), "cannot use font '%s': %s", path, why);
	if (want[strlen(want) - 1] == '*')
		assert_memory_equal(err.en, want, strlen(want) - 1);
	else
		assert_string_equal(err.en, want);
	assert_int_equal(HPDF_GetError(doc), HPDF_OK);
}

/* Fonts built here, broken in the ways a --font file may be: HarfBuzz
 * reads the face for us, and what it refuses (or libharu after it) is an
 * error naming the file, never a crash (ASan in build/san). */
static void test_load_hostile(void **state)
{
	glyph_rec gl[3];
	font_opts o;
	buf_t f;
	uint8_t *ttc;
	hpdf_errors errs = { 0, 0 };
	HPDF_Doc doc = HPDF_New(on_hpdf_error, &errs);

	(void)state;
	assert_non_null(doc);
	for (int i = 0; i < 3; i++)
		simple_glyph(&gl[i]);
	expect_load_error(doc, "font_short.ttf", "\0\1\0\0\0\0", 6, 0, LP_E_FONT_TOO_SHORT, "not a TrueType font (too short)");
	expect_load_error(doc, "font_woff.ttf", "wOFF\0\4\0\0\0\0\0\0", 12, 0, LP_E_FONT_NOT_TRUETYPE, "not a TrueType font");
	expect_load_error(doc, "font_otto.ttf", "OTTO\0\0\0\0\0\0\0\0", 12, 0,
			  LP_E_FONT_CFF, "CFF outlines (OpenType/CFF), which libharu cannot embed");
	/* Sixteen tables declared, none there. */
	expect_load_error(doc, "font_no_tables.ttf", "\0\1\0\0\0\x10\0\0\0\0\0\0", 12, 0,
			  LP_E_FONT_NOT_TRUETYPE, "not a TrueType font");

	f = build_font(gl, 3, &DEFAULT_OPTS);
	expect_load_error(doc, "font_single.ttf", f.data, f.len, 1, LP_E_FONT_SINGLE_FACE, "font number 1 asked of a single font");
	/* unitsPerEm 0, which libharu 2.3.0 divides by (SIGFPE) */
	f.data[12 + 4 * 16 + 18] = 0;
	expect_load_error(doc, "font_upem_0.ttf", f.data, f.len, 0, LP_E_FONT_BAD_HEAD, "invalid 'head' table (units per em 0)");
	f.data[12 + 4 * 16 + 18] = 0x41; /* 16640: more than 16384 */
	f.data[12 + 4 * 16 + 19] = 0x00;
	expect_load_error(doc, "font_upem_big.ttf", f.data, f.len, 0, LP_E_FONT_BAD_HEAD, "invalid 'head' table (units per em 16640)");
	f.data[12 + 4 * 16 + 18] = 0x04; /* 1024 */
	/* HarfBuzz takes these tables; libharu then misses the others (cmap,
	 * hhea, ...) and says so */
	expect_load_error(doc, "font_few_tables.ttf", f.data, f.len, 0,
			  LP_E_FONT_LIBHARU, "a required TrueType table is missing*");
	/* the glyf table's length pushed past the end of the file, and its
	 * offset too, so that offset + length wraps in 32 bits */
	set32(f.data + 12 + 3 * 16 + 12, 0x7FFFFFF0);
	expect_load_error(doc, "font_glyf_long.ttf", f.data, f.len, 0, LP_E_FONT_LIBHARU, "a required TrueType table is missing*");
	set32(f.data + 12 + 3 * 16 + 8, 0xFFFFFFF0);
	set32(f.data + 12 + 3 * 16 + 12, 0x20);
	expect_load_error(doc, "font_glyf_wraps.ttf", f.data, f.len, 0, LP_E_FONT_NO_TABLE, "no 'glyf' table");
	free(f.data);

	/* more horizontal metrics than glyphs, which libharu 2.3.0 writes past
	 * the end of its array (found by fuzzing pdf_font_load), or none */
	o = DEFAULT_OPTS;
	o.with_hhea = 1;
	o.hhea_metrics = 4;
	f = build_font(gl, 3, &o);
	expect_load_error(doc, "font_hhea_4.ttf", f.data, f.len, 0, LP_E_FONT_BAD_HHEA, "invalid 'hhea' table (4 metrics for 3 glyphs)");
	free(f.data);
	o.hhea_metrics = 0;
	f = build_font(gl, 3, &o);
	expect_load_error(doc, "font_hhea_0.ttf", f.data, f.len, 0, LP_E_FONT_BAD_HHEA, "invalid 'hhea' table (0 metrics for 3 glyphs)");
	free(f.data);
	o.hhea_metrics = 3;
	f = build_font(gl, 3, &o);
	expect_load_error(doc, "font_hhea_3.ttf", f.data, f.len, 0, LP_E_FONT_LIBHARU, "a required TrueType table is missing*");
	free(f.data);

	o = DEFAULT_OPTS;
	o.skip_glyf = 1;
	f = build_font(gl, 3, &o);
	expect_load_error(doc, "font_no_glyf.ttf", f.data, f.len, 0, LP_E_FONT_NO_TABLE, "no 'glyf' table");
	free(f.data);

	f = build_font(gl, 0, &DEFAULT_OPTS);
	expect_load_error(doc, "font_no_glyphs.ttf", f.data, f.len, 0, LP_E_FONT_NO_GLYPHS, "font has no glyphs");
	free(f.data);

	/* A collection: header, then the font, whose table offsets are from
	 * the start of the file and so move by the header's size. */
	f = build_font(gl, 3, &DEFAULT_OPTS);
	ttc = calloc(1, f.len + 16);
	assert_non_null(ttc);
	memcpy(ttc, "ttcf\0\1\0\0\0\0\0\1\0\0\0\x10", 16);
	memcpy(ttc + 16, f.data, f.len);
	for (int i = 0; i < 4; i++) {
		uint8_t *rec = ttc + 16 + 12 + i * 16;
		uint32_t off = ((uint32_t)rec[8] << 24) | ((uint32_t)rec[9] << 16) |
			       ((uint32_t)rec[10] << 8) | rec[11];

		set32(rec + 8, off + 16);
	}
	expect_load_error(doc, "font_ttc.ttc", ttc, f.len + 16, 0, LP_E_FONT_LIBHARU, "a required TrueType table is missing*");
	expect_load_error(doc, "font_ttc_1.ttc", ttc, f.len + 16, 1, LP_E_FONT_NO_FACE, "font collection has no font number 1");
	set32(ttc + 8, 0x40000000); /* a billion faces: the offsets are beyond the file */
	expect_load_error(doc, "font_ttc_huge.ttc", ttc, f.len + 16, 0x3FFFFFFF,
			  LP_E_FONT_NO_FACE, "font collection has no font number 1073741823");
	free(ttc);
	free(f.data);
	HPDF_Free(doc);
}

/* ---- an independent closure over the real font ----------------------------- */

typedef struct {
	const uint8_t *d;
	size_t n;
	size_t glyf, glyf_len, loca;
	int long_loca;
	unsigned num_glyphs;
} indep_font;

static unsigned rd16(const indep_font *f, size_t off)
{
	assert_true(off + 2 <= f->n);
	return (unsigned)f->d[off] << 8 | f->d[off + 1];
}

static size_t rd32(const indep_font *f, size_t off)
{
	return (size_t)rd16(f, off) << 16 | rd16(f, off + 2);
}

static void indep_open(indep_font *f, const uint8_t *d, size_t n, int index)
{
	size_t face = 0, head = 0, maxp = 0;

	memset(f, 0, sizeof(*f));
	f->d = d;
	f->n = n;
	if (memcmp(d, "ttcf", 4) == 0)
		face = rd32(f, 12 + 4 * (size_t)index);
	for (unsigned i = 0; i < rd16(f, face + 4); i++) {
		size_t rec = face + 12 + 16 * (size_t)i;

		if (memcmp(d + rec, "head", 4) == 0)
			head = rd32(f, rec + 8);
		if (memcmp(d + rec, "maxp", 4) == 0)
			maxp = rd32(f, rec + 8);
		if (memcmp(d + rec, "loca", 4) == 0)
			f->loca = rd32(f, rec + 8);
		if (memcmp(d + rec, "glyf", 4) == 0) {
			f->glyf = rd32(f, rec + 8);
			f->glyf_len = rd32(f, rec + 12);
		}
	}
	assert_true(head && maxp && f->loca && f->glyf);
	f->long_loca = rd16(f, head + 50) == 1;
	f->num_glyphs = rd16(f, maxp + 4);
}

static size_t indep_loca(const indep_font *f, unsigned gid)
{
	return f->long_loca ? rd32(f, f->loca + 4 * (size_t)gid) : 2 * (size_t)rd16(f, f->loca + 2 * (size_t)gid);
}

/* Straight from the OpenType spec, recursively, as a cross-check. */
static void indep_mark(const indep_font *f, unsigned gid, unsigned char *mark, int depth)
{
	size_t p = f->glyf + indep_loca(f, gid), end = f->glyf + indep_loca(f, gid + 1);
	unsigned flags;

	assert_true(depth < 64);
	mark[gid] = 1;
	if (end - p < 10 || (int16_t)rd16(f, p) >= 0)
		return;
	p += 10;
	do {
		unsigned c;

		flags = rd16(f, p);
		c = rd16(f, p + 2);
		assert_true(c < f->num_glyphs);
		p += 4 + ((flags & 1) ? 4 : 2) +
		     ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
		if (!mark[c])
			indep_mark(f, c, mark, depth + 1);
	} while (flags & 0x20);
}

static void draw_text(HPDF_Page page, pdf_font *f, float size, float x, float y,
		      const char *text)
{
	assert_int_equal(HPDF_Page_SetFontAndSize(page, pdf_font_handle(f), size), HPDF_OK);
	assert_int_equal(HPDF_Page_TextOut(page, x, y, text), HPDF_OK);
}

static void test_closure_real_font(void **state)
{
	char path[1024];
	int index;
	hpdf_errors errs = { 0, 0 };
	pdf_font *f;
	HPDF_Doc doc = new_doc(&errs, &f);
	HPDF_Page page = HPDF_AddPage(doc);
	const unsigned char *flags;
	unsigned char *before, *expect;
	unsigned n, n_before, n_after, n_expect;
	uint8_t *file;
	size_t file_len;
	indep_font ind;
	long added;
	struct timespec t0, t1;

	(void)state;
	assert_int_equal(HPDF_Page_BeginText(page), HPDF_OK);
	draw_text(page, f, 20, 40, 760, COMPOSITES);
	draw_text(page, f, 20, 40, 720, TITLE1);
	draw_text(page, f, 20, 40, 680, TITLE2);
	assert_int_equal(HPDF_Page_EndText(page), HPDF_OK);

	flags = pdf_font_glyph_flags(f, &n);
	assert_non_null(flags);
	before = malloc(n);
	expect = calloc(n, 1);
	assert_non_null(before);
	assert_non_null(expect);
	memcpy(before, flags, n);
	n_before = count_flags(before, n);

	find_font(path, sizeof(path), &index);
	file = read_file(path, &file_len);
	assert_non_null(file);
	indep_open(&ind, file, file_len, index);
	assert_int_equal(ind.num_glyphs, n);
	for (unsigned i = 0; i < n; i++)
		if (before[i] && !expect[i])
			indep_mark(&ind, i, expect, 0);
	n_expect = count_flags(expect, n);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	added = pdf_font_fix_subset(f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("pdf_font_fix_subset (closure and program, hb-subset): %.2f ms\n",
		      (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	n_after = count_flags(flags, n);
	print_message("glyphs in font %u; used by libharu %u; after the fix %u (+%ld)\n",
		      n, n_before, n_after, added);
	/* The bug exists: libharu's own set misses components ... */
	assert_true(n_expect > n_before);
	/* ... the fix adds exactly the missing closure, nothing else ... */
	assert_int_equal(added, (long)(n_expect - n_before));
	assert_memory_equal(flags, expect, n);
	/* ... and HarfBuzz's program holds exactly those glyphs and glyph 0. */
	{
		unsigned long glyphs;
		size_t bytes = pdf_font_subset_size(f, &glyphs);

		assert_int_equal(glyphs, n_expect + !expect[0]);
		assert_true(bytes > 1000 && bytes < 200 * 1024);
		print_message("subset program: %lu glyphs, %zu bytes\n", glyphs, bytes);
	}
	/* ... and is a small part of the font. */
	assert_true(n_after < n / 100);
	/* Idempotent. */
	assert_int_equal(pdf_font_fix_subset(f), 0);

	free(file);
	free(before);
	free(expect);
	pdf_font_free(f);
	HPDF_Free(doc);
	assert_int_equal(errs.error, HPDF_OK);
}

/* ---- rendering --------------------------------------------------------------- */

typedef enum { SUBSET_FIXED, SUBSET_WHOLE, SUBSET_UNFIXED } subset_mode;

/* One A4 page like a cover: the composites and titles large, 300+ hanzi
 * wrapped, an English line. Returns the file's size. */
static long write_page(const char *name, subset_mode mode)
{
	char path[1024];
	hpdf_errors errs = { 0, 0 };
	pdf_font *f;
	/* the fixed subset is licpack's own font program; the references are
	 * libharu's: the whole font, and its own subset without the fix */
	HPDF_Doc doc = new_doc_mode(&errs, &f, mode == SUBSET_FIXED ? PDF_FONT_SUBSET : PDF_FONT_LIBHARU);
	HPDF_Page page = HPDF_AddPage(doc);
	pdf_text_line lines[40];
	size_t nlines;
	float y = 640;

	assert_int_equal(HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT), HPDF_OK);
	assert_int_equal(HPDF_Page_BeginText(page), HPDF_OK);
	draw_text(page, f, 26, 40, 780, TITLE1);
	draw_text(page, f, 26, 40, 740, TITLE2);
	draw_text(page, f, 14, 40, 700, COMPOSITES);
	draw_text(page, f, 11, 40, 670,
		  "Business licence, ID card (portrait side), ICP licence renewal 2025-09-30");
	assert_int_equal(pdf_text_wrap(f, 12, HANZI, 515, lines, 40, &nlines), 0);
	assert_true(nlines <= 40);
	for (size_t i = 0; i < nlines; i++, y -= 18) {
		char line[1024];

		memcpy(line, HANZI + lines[i].start, lines[i].len);
		line[lines[i].len] = '\0';
		draw_text(page, f, 12, 40, y, line);
	}
	assert_int_equal(HPDF_Page_EndText(page), HPDF_OK);

	if (mode == SUBSET_FIXED)
		assert_true(pdf_font_fix_subset(f) > 0);
	else if (mode == SUBSET_WHOLE)
		pdf_font_embed_whole(f);
	make_out_dir();
	out_path(path, sizeof(path), name);
	assert_int_equal(HPDF_SaveToFile(doc, path), HPDF_OK);
	pdf_font_free(f);
	HPDF_Free(doc);
	assert_int_equal(errs.error, HPDF_OK);
	return file_size(path);
}

/* Render name.pdf to name.pgm (grey, 100 dpi) and name.png for people. */
static void render(const char *name)
{
	const char *dir = out_dir();

	/* poppler warns about libharu's ToUnicode CMap ("Invalid
	 * 'begincidrange' operator"): known, harmless, kept out of the way. */
	assert_int_equal(sh("pdftoppm -r 100 -gray -singlefile '%s/%s.pdf' '%s/%s' 2>>'%s/pdftoppm.log' && "
			    "pdftoppm -r 100 -png -singlefile '%s/%s.pdf' '%s/%s' 2>>'%s/pdftoppm.log'",
			    dir, name, dir, name, dir, dir, name, dir, name, dir),
			 0);
}

/* The same with Ghostscript, whose TrueType rasteriser is not FreeType's:
 * a second opinion on the subset, the zero-length 'post' table included. */
static void render_gs(const char *name)
{
	const char *dir = out_dir();

	assert_int_equal(sh("gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pgmraw -r100 "
			    "-o '%s/%s.gs.pgm' '%s/%s.pdf' >>'%s/gs.log' 2>&1",
			    dir, name, dir, name, dir),
			 0);
}

static uint8_t *read_render(const char *name, size_t *len)
{
	char path[1024], file[256];
	uint8_t *data;

	snprintf(file, sizeof(file), "%s.pgm", name);
	out_path(path, sizeof(path), file);
	data = read_file(path, len);
	assert_non_null(data);
	return data;
}

/* The three pages as one renderer drew them (font_*.pgm, or with ext
 * ".gs" font_*.gs.pgm) compared: the reference shows text at all, or
 * identity proves nothing; the repaired subset draws exactly what the
 * whole font draws; the unfixed one is as large. Returns how many of the
 * *n pixels the unfixed subset draws otherwise. */
static size_t compare_renders(const char *ext, size_t *n)
{
	char name[64];
	uint8_t *a, *b, *c;
	size_t la, lb, lc, dark = 0, differ = 0;

	snprintf(name, sizeof name, "font_fixed%s", ext);
	a = read_render(name, &la);
	snprintf(name, sizeof name, "font_whole%s", ext);
	b = read_render(name, &lb);
	snprintf(name, sizeof name, "font_unfixed%s", ext);
	c = read_render(name, &lc);
	for (size_t i = 0; i < lb; i++)
		dark += b[i] < 128;
	assert_true(dark > 5000);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_int_equal(lc, lb);
	for (size_t i = 0; i < lb; i++)
		differ += b[i] != c[i];
	free(a);
	free(b);
	free(c);
	*n = lb;
	return differ;
}

static void test_render(void **state)
{
	long fixed, whole, unfixed;
	size_t n, differ;

	(void)state;
	if (!have_tool("pdftoppm"))
		skip();
	fixed = write_page("font_fixed.pdf", SUBSET_FIXED);
	whole = write_page("font_whole.pdf", SUBSET_WHOLE);
	unfixed = write_page("font_unfixed.pdf", SUBSET_UNFIXED);
	render("font_fixed");
	render("font_whole");
	render("font_unfixed");
	/* without the repair libharu's subset draws something else */
	differ = compare_renders("", &n);
	assert_true(differ > 1000);
	print_message("cover page with %s: fixed subset %ld bytes, whole font %ld bytes, "
		      "unfixed subset %ld bytes; %zu of %zu pixels differ without the fix\n",
		      "the titles and 300+ hanzi", fixed, whole, unfixed, differ, n);
	assert_true(fixed < 300 * 1024);
	assert_true(whole > 5 * fixed);

	if (!have_tool("gs"))
		return;  /* have_tool said SKIPPED: no second rendering */
	render_gs("font_fixed");
	render_gs("font_whole");
	render_gs("font_unfixed");
	assert_true(compare_renders(".gs", &n) > 0);
}

/* ---- text helpers ------------------------------------------------------------ */

static void test_text_width(void **state)
{
	hpdf_errors errs = { 0, 0 };
	pdf_font *f;
	HPDF_Doc doc = new_doc(&errs, &f);
	HPDF_Page page = HPDF_AddPage(doc);
	static const char *const samples[] = {
		"营业执照", "ICP licence", "法定代表人身份证人像面 (portrait)", "0123456789",
		"a", "", "wide ＡＢＣ，。", "\xF0\x9F\x98\x80 emoji",
	};
	static const float sizes[] = { 7, 9.5f, 10, 11.3f, 12, 26 };

	(void)state;
	/* The widths libharu places text with, to the last bit. */
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		assert_int_equal(HPDF_Page_SetFontAndSize(page, pdf_font_handle(f), sizes[s]), HPDF_OK);
		for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
			float mine = pdf_text_width(f, sizes[s], samples[i]);
			float theirs = HPDF_Page_TextWidth(page, samples[i]);

			if (mine != theirs)
				fail_msg("'%s' at %g: %.9g != %.9g", samples[i], sizes[s], mine, theirs);
		}
	}
	/* wqy-microhei: hanzi are one em, 'A' 607/1000, space 259/1000. */
	assert_true(pdf_text_width(f, 10, "营业") == 20.0f);
	assert_true(pdf_text_width(f, 1000, "A ") == 866.0f);
	/* A stray byte measures as '?'. */
	assert_true(pdf_text_width(f, 1000, "\xff") == pdf_text_width(f, 1000, "?"));
	assert_true(pdf_text_width(NULL, 10, "a") == 0.0f);
	assert_true(pdf_text_width(f, 10, NULL) == 0.0f);
	pdf_font_free(f);
	HPDF_Free(doc);
	assert_int_equal(errs.error, HPDF_OK);
}

typedef struct {
	const char *text;
	const char *lines[8]; /* expected, NULL-terminated */
} wrap_case;

static void check_wrap(pdf_font *f, float size, float max_width, const wrap_case *c)
{
	pdf_text_line lines[16];
	size_t n, want = 0;

	while (c->lines[want] != NULL)
		want++;
	assert_int_equal(pdf_text_wrap(f, size, c->text, max_width, lines, 16, &n), 0);
	if (n != want)
		fail_msg("'%s': %zu lines, expected %zu", c->text, n, want);
	for (size_t i = 0; i < n; i++) {
		if (strlen(c->lines[i]) != lines[i].len ||
		    memcmp(c->lines[i], c->text + lines[i].start, lines[i].len) != 0)
			fail_msg("'%s' line %zu: '%.*s', expected '%s'", c->text, i,
				 (int)lines[i].len, c->text + lines[i].start, c->lines[i]);
		if (!(lines[i].width == pdf_text_width(f, size, c->lines[i])))
			fail_msg("'%s' line %zu: width %g", c->text, i, lines[i].width);
		/* Only a line of one character may exceed the width. */
		if (lines[i].width > max_width)
			assert_true(lines[i].len <= 4);
	}
}

static void test_wrap(void **state)
{
	hpdf_errors errs = { 0, 0 };
	pdf_font *f;
	HPDF_Doc doc = new_doc(&errs, &f);
	pdf_text_line lines[2];
	size_t n;
	/* At size 10 a hanzi is 10 points wide. */
	static const wrap_case cjk[] = {
		{ "营业执照续期申请表", { "营业执", "照续期", "申请表", NULL } },
		/* Never start a line with a comma: 照 goes down with it. */
		{ "营业执，照续", { "营业", "执，照", "续", NULL } },
		/* Nor end one with an opening bracket. */
		{ "营业（执照）", { "营业", "（执", "照）", NULL } },
		{ "", { NULL } },
		{ "营\n\n业", { "营", "", "业", NULL } },
		{ "营业\n", { "营业", NULL } },
		/* Between CJK and Latin a break is allowed. */
		{ "营业ICP", { "营业", "ICP", NULL } },
	};
	wrap_case latin[] = {
		{ "hello world foo", { "hello world", "foo", NULL } },
		{ "hello   world  ", { "hello", "world", NULL } },
		{ "abcdefghijklmnop", { NULL } },
		{ "licence-renewal/path_name", { "licence-", "renewal/", "path_name", NULL } },
	};
	float w_hw;

	(void)state;
	for (size_t i = 0; i < sizeof(cjk) / sizeof(cjk[0]); i++)
		check_wrap(f, 10, 30, &cjk[i]);

	w_hw = pdf_text_width(f, 10, "hello world");
	check_wrap(f, 10, w_hw, &latin[0]);
	check_wrap(f, 10, pdf_text_width(f, 10, "hello wo"), &latin[1]);
	/* A word longer than the line is split between characters, as many
	 * as fit on each line. */
	{
		float w = pdf_text_width(f, 10, "abcdef");
		pdf_text_line l[8];
		size_t k;

		assert_int_equal(pdf_text_wrap(f, 10, latin[2].text, w, l, 8, &k), 0);
		assert_int_equal(k, 3);
		assert_int_equal(l[0].start, 0);
		assert_int_equal(l[1].start, l[0].len);
		assert_int_equal(l[2].start, l[0].len + l[1].len);
		assert_int_equal(l[2].start + l[2].len, strlen(latin[2].text));
		for (size_t i = 0; i < k; i++)
			assert_true(l[i].width <= w);
		/* Each line is as long as it can be. */
		for (size_t i = 0; i + 1 < k; i++) {
			char buf[32];

			memcpy(buf, latin[2].text + l[i].start, l[i].len + 1);
			buf[l[i].len + 1] = '\0';
			assert_true(pdf_text_width(f, 10, buf) > w);
		}
	}
	check_wrap(f, 10, pdf_text_width(f, 10, "renewal/pa"), &latin[3]);

	/* One character per line when nothing fits, and never zero. */
	{
		static const wrap_case narrow = { "营业a", { "营", "业", "a", NULL } };

		check_wrap(f, 10, 1, &narrow);
	}

	/* Counting only, and more lines than room. */
	assert_int_equal(pdf_text_wrap(f, 10, "营业执照续期申请表", 30, NULL, 0, &n), 0);
	assert_int_equal(n, 3);
	lines[1].start = 12345;
	assert_int_equal(pdf_text_wrap(f, 10, "营业执照续期申请表", 30, lines, 1, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(lines[0].len, 9);
	assert_int_equal(lines[1].start, 12345);
	assert_int_equal(pdf_text_wrap(NULL, 10, "a", 30, lines, 2, &n), -1);
	assert_int_equal(pdf_text_wrap(f, 10, NULL, 30, lines, 2, &n), -1);
	assert_int_equal(pdf_text_wrap(f, 10, "a", 30, lines, 2, NULL), -1);

	pdf_font_free(f);
	HPDF_Free(doc);
	assert_int_equal(errs.error, HPDF_OK);
}

static void test_clean(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(pdf_text_clean(out, sizeof(out), "营业执照 ok\n"), 16);
	assert_string_equal(out, "营业执照 ok\n");
	assert_int_equal(pdf_text_clean(out, sizeof(out), "a\tb\x01" "c\x7f"), 6);
	assert_string_equal(out, "a b?c?");
	/* Not UTF-8, a C1 control, a lone continuation byte, an overlong '/',
	 * a surrogate, and a character above the BMP: one '?' per unit. */
	assert_int_equal(pdf_text_clean(out, sizeof(out), "x\xff\xc2\x85\x80\xc0\xaf"), 6);
	assert_string_equal(out, "x?????");
	assert_int_equal(pdf_text_clean(out, sizeof(out), "\xed\xa0\x80|\xF0\x9F\x98\x80|"), 6);
	assert_string_equal(out, "???|?|");
	/* Truncation never splits a character, and reports the full length. */
	assert_int_equal(pdf_text_clean(out, 5, "中文"), 6);
	assert_string_equal(out, "中");
	assert_int_equal(pdf_text_clean(out, 3, "中a"), 4);
	assert_string_equal(out, "");
	assert_int_equal(pdf_text_clean(NULL, 0, "中文"), 6);
	assert_int_equal(pdf_text_clean(out, sizeof(out), NULL), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_hostile),
		cmocka_unit_test(test_closure_real_font),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
