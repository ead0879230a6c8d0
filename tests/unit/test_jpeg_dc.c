/*
 * Unit tests for packet/jpeg_dc: the 1/8-scale image of a JPEG from its DC
 * coefficients, and the probe's use of it.
 *
 * The reference is libjpeg-turbo itself: for every file the decoder takes,
 * each block's DC coefficient must be the one jpeg_read_coefficients()
 * reads, and where libjpeg's own 1/8-scale output is made of DC values alone
 * (every component at full resolution, or grey) the rows must be its rows,
 * byte for byte. Files are encoded here with libjpeg in every layout the
 * decoder claims (sampling factors, restart intervals, progressive scans,
 * optimised tables, RGB, odd sizes); the ones it must leave to libjpeg are
 * made by patching good ones or taken from the shared corpus, which is also
 * swept whole when present (skipped, with a message, when it is not).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jpeglib.h>

#include "packet/jpeg_dc.h"
#include "packet/probe.h"
#include "tests/unit/support.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- encoding test images with libjpeg --- */

typedef struct {
	uint32_t w, h;
	int comps;          /* 1 or 3 */
	int rgb;            /* store R, G, B rather than YCbCr (Adobe transform 0) */
	int hs[3], vs[3];   /* sampling factors; 0 means 1 */
	int restart_mcus;   /* DRI interval; 0 none */
	int progressive;
	int optimize;       /* Huffman tables made for the image */
	int quality;        /* 0 means 85 */
	int seal;           /* a red disk right of the centre, low on the page */
	int grey_scene;     /* every pixel grey, whatever the encoding */
} enc;

/* A page-like scene: paper, text-like noise, a blue band, and a seal. */
static void scene(const enc *e, uint32_t x, uint32_t y, uint8_t px[3])
{
	uint32_t h = (x * 2654435761u) ^ (y * 40503u);
	int v = 235 + (int)(h >> 28) - 8;
	px[0] = px[1] = px[2] = (uint8_t)v;
	if ((h & 0xFF) < 20 && y % 16 < 9)
		px[0] = px[1] = px[2] = 30; /* ink */
	if (y > e->h / 12 && y < e->h / 8) {
		px[0] = 40;
		px[1] = 80;
		px[2] = 200;
	}
	if (e->seal) {
		int64_t dx = (int64_t)x - e->w * 6 / 10, dy = (int64_t)y - e->h * 7 / 10;
		int64_t r = (e->w < e->h ? e->w : e->h) / 6;
		if (dx * dx + dy * dy <= r * r) {
			px[0] = 220;
			px[1] = 30;
			px[2] = 40;
		}
	}
	if (e->grey_scene)
		px[0] = px[2] = px[1];
}

static uint8_t *encode(const enc *e, size_t *len)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	unsigned char *out = NULL;
	unsigned long outlen = 0;
	uint8_t *row = malloc((size_t)e->w * 3);

	assert_non_null(row);
	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &out, &outlen);
	ci.image_width = e->w;
	ci.image_height = e->h;
	ci.input_components = e->comps;
	ci.in_color_space = e->comps == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&ci);
	if (e->rgb)
		jpeg_set_colorspace(&ci, JCS_RGB);
	jpeg_set_quality(&ci, e->quality ? e->quality : 85, TRUE);
	for (int c = 0; c < e->comps; c++) {
		ci.comp_info[c].h_samp_factor = e->hs[c] ? e->hs[c] : 1;
		ci.comp_info[c].v_samp_factor = e->vs[c] ? e->vs[c] : 1;
	}
	ci.restart_interval = (unsigned)e->restart_mcus;
	ci.optimize_coding = e->optimize ? TRUE : FALSE;
	if (e->progressive)
		jpeg_simple_progression(&ci);
	jpeg_start_compress(&ci, TRUE);
	while (ci.next_scanline < ci.image_height) {
		for (uint32_t x = 0; x < e->w; x++) {
			uint8_t px[3];
			scene(e, x, ci.next_scanline, px);
			if (e->comps == 1)
				row[x] = px[1];
			else
				memcpy(row + 3 * x, px, 3);
		}
		JSAMPROW r = row;
		jpeg_write_scanlines(&ci, &r, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	free(row);
	*len = outlen;
	return out;
}

/* --- libjpeg as the reference --- */

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
} err_mgr;

static void on_error(j_common_ptr c)
{
	longjmp(((err_mgr *)c->err)->jump, 1);
}

static void on_message(j_common_ptr c, int level)
{
	(void)c;
	(void)level;
}

/* Every block's DC coefficient as libjpeg reads it must be img's. Returns
 * the number of blocks compared, or -1 when libjpeg refuses the file. */
static long compare_dc(const uint8_t *d, size_t n, const jpeg_dc_image *img)
{
	struct jpeg_decompress_struct ci;
	err_mgr e;
	volatile long blocks = 0;

	ci.err = jpeg_std_error(&e.pub);
	e.pub.error_exit = on_error;
	e.pub.emit_message = on_message;
	jpeg_create_decompress(&ci);
	if (setjmp(e.jump)) {
		jpeg_destroy_decompress(&ci);
		return -1;
	}
	jpeg_mem_src(&ci, d, (unsigned long)n);
	jpeg_read_header(&ci, TRUE);
	jvirt_barray_ptr *coef = jpeg_read_coefficients(&ci);
	assert_int_equal(ci.num_components, img->ncomp);
	assert_int_equal(img->width, (ci.image_width + 7) / 8);
	assert_int_equal(img->height, (ci.image_height + 7) / 8);
	for (int c = 0; c < ci.num_components; c++) {
		const jpeg_component_info *cp = &ci.comp_info[c];
		assert_true(cp->width_in_blocks <= img->bw[c]);
		assert_true(cp->height_in_blocks <= img->bh[c]);
		for (JDIMENSION y = 0; y < cp->height_in_blocks; y++) {
			JBLOCKARRAY row = ci.mem->access_virt_barray((j_common_ptr)&ci, coef[c], y, 1, FALSE);
			for (JDIMENSION x = 0; x < cp->width_in_blocks; x++, blocks++)
				if (row[0][x][0] != img->dc[c][(size_t)y * img->bw[c] + x])
					fail_msg("component %d block (%u, %u): DC %d, libjpeg %d", c, x, y,
						 img->dc[c][(size_t)y * img->bw[c] + x], row[0][x][0]);
		}
	}
	jpeg_destroy_decompress(&ci);
	return blocks;
}

/* libjpeg's own 1/8-scale image (RGB or grey), rows top down. */
static uint8_t *libjpeg_eighth(const uint8_t *d, size_t n, uint32_t *w, uint32_t *h, int *ch)
{
	struct jpeg_decompress_struct ci;
	err_mgr e;
	uint8_t *px;

	ci.err = jpeg_std_error(&e.pub);
	e.pub.error_exit = on_error;
	e.pub.emit_message = on_message;
	jpeg_create_decompress(&ci);
	if (setjmp(e.jump))
		fail_msg("libjpeg cannot decode the image");
	jpeg_mem_src(&ci, d, (unsigned long)n);
	jpeg_read_header(&ci, TRUE);
	ci.out_color_space = ci.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
	ci.scale_num = 1;
	ci.scale_denom = 8;
	ci.do_fancy_upsampling = FALSE;
	jpeg_start_decompress(&ci);
	*w = ci.output_width;
	*h = ci.output_height;
	*ch = ci.output_components;
	px = malloc((size_t)*w * *h * (size_t)*ch);
	assert_non_null(px);
	while (ci.output_scanline < ci.output_height) {
		JSAMPROW r = px + (size_t)ci.output_scanline * *w * (size_t)*ch;
		jpeg_read_scanlines(&ci, &r, 1);
	}
	jpeg_finish_decompress(&ci);
	jpeg_destroy_decompress(&ci);
	return px;
}

/* --- the rows the decoder delivers --- */

typedef struct {
	uint8_t *px;      /* the whole image, as delivered */
	uint32_t w, h, next;
	int ch;
	int calls;
	int stop_after;   /* stop after this many calls; 0 never */
} collected;

static int collect(void *arg, const jpeg_dc_image *img, const uint8_t *const *rows, uint32_t y0,
		   uint32_t y1)
{
	collected *c = arg;

	if (!c->px) {
		c->w = img->width;
		c->h = img->height;
		c->ch = img->channels;
		c->px = calloc((size_t)c->w * c->h, (size_t)c->ch);
		assert_non_null(c->px);
	}
	assert_int_equal(y0, c->next); /* in order, none twice */
	assert_true(y1 > y0 && y1 <= c->h);
	for (uint32_t y = y0; y < y1; y++)
		memcpy(c->px + (size_t)y * c->w * (size_t)c->ch, rows[y - y0], (size_t)c->w * (size_t)c->ch);
	c->next = y1;
	c->calls++;
	return c->stop_after && c->calls >= c->stop_after;
}

static int collect_none(void *arg, const jpeg_dc_image *img, const uint8_t *const *rows, uint32_t y0,
			uint32_t y1)
{
	(void)arg;
	(void)img;
	(void)rows;
	(void)y0;
	(void)y1;
	return 0;
}

/* The spans of d's scans, found as probe_jpeg's marker walk finds them
 * (d is one of ours: no junk between segments). Returns their number. */
static unsigned find_spans(const uint8_t *d, size_t n, jpeg_scan_span *spans, unsigned max)
{
	size_t p = 2;
	unsigned k = 0;

	while (p + 4 <= n && d[p] == 0xFF && d[p + 1] != 0xD9) {
		size_t seglen = (size_t)d[p + 2] << 8 | d[p + 3];
		p += 2 + seglen;
		if (d[p - seglen - 1] == 0xDA && k < max) {
			spans[k].data = p;
			p = spans[k].end = jpeg_entropy_end(d, n, p);
			k++;
		}
	}
	return k;
}

/* Decode d and check its DC values against libjpeg; returns the rows. The
 * same decode given the scans' spans (as the probe gives them) delivers
 * the same rows. */
static collected decode_checked(const uint8_t *d, size_t n)
{
	collected c, c2;
	jpeg_dc_image img;
	jpeg_scan_span spans[JPEG_MAX_SCANS];
	unsigned ns = find_spans(d, n, spans, JPEG_MAX_SCANS);

	memset(&c, 0, sizeof c);
	assert_int_equal(jpeg_dc_decode(d, n, NULL, 0, collect, &c, &img), JPEG_DC_DONE);
	assert_int_equal(c.next, c.h); /* every row */
	assert_true(compare_dc(d, n, &img) > 0);
	jpeg_dc_image_release(&img);

	assert_true(ns > 0);
	memset(&c2, 0, sizeof c2);
	assert_int_equal(jpeg_dc_decode(d, n, spans, ns, collect, &c2, NULL), JPEG_DC_DONE);
	assert_int_equal(c2.next, c.h);
	assert_memory_equal(c2.px, c.px, (size_t)c.w * c.h * (size_t)c.ch);
	free(c2.px);
	return c;
}

/* --- tests --- */

/* Every layout the decoder claims, against libjpeg's coefficients. */
static void test_dc_matches_libjpeg(void **state)
{
	(void)state;
	static const uint32_t sizes[][2] = { { 1, 1 }, { 7, 9 }, { 8, 8 }, { 17, 33 }, { 130, 70 }, { 301, 17 } };
	static const int samp[][6] = {
		/* h0 v0 h1 v1 h2 v2 */
		{ 1, 1, 1, 1, 1, 1 }, { 2, 2, 1, 1, 1, 1 }, { 2, 1, 1, 1, 1, 1 }, { 1, 2, 1, 1, 1, 1 },
		{ 4, 1, 1, 1, 1, 1 }, { 2, 2, 2, 1, 1, 2 }, { 4, 1, 2, 1, 1, 1 },
	};
	static const int restarts[] = { 0, 1, 3 };
	int done = 0;

	for (size_t s = 0; s < COUNT(sizes); s++)
		for (size_t m = 0; m < COUNT(samp); m++)
			for (size_t r = 0; r < COUNT(restarts); r++)
				for (int prog = 0; prog <= 1; prog++) {
					enc e = { .w = sizes[s][0], .h = sizes[s][1], .comps = 3,
						  .hs = { samp[m][0], samp[m][2], samp[m][4] },
						  .vs = { samp[m][1], samp[m][3], samp[m][5] },
						  .restart_mcus = restarts[r], .progressive = prog,
						  .optimize = (int)(s + m) % 2, .seal = 1 };
					size_t n;
					uint8_t *d = encode(&e, &n);
					collected c = decode_checked(d, n);
					free(c.px);
					free(d);
					done++;
				}
	/* grey, RGB, low and high quality */
	for (int q = 0; q < 3; q++) {
		enc grey = { .w = 250, .h = 190, .comps = 1, .restart_mcus = q, .progressive = q == 2,
			     .optimize = q == 1, .quality = q == 0 ? 20 : q == 1 ? 75 : 100 };
		enc rgb = { .w = 90, .h = 260, .comps = 3, .rgb = 1, .restart_mcus = q == 1 ? 2 : 0,
			    .progressive = q == 0, .optimize = q == 2, .quality = q == 0 ? 30 : 95, .seal = 1 };
		size_t n;
		uint8_t *d = encode(&grey, &n);
		collected c = decode_checked(d, n);
		assert_int_equal(c.ch, 1);
		free(c.px);
		free(d);
		d = encode(&rgb, &n);
		c = decode_checked(d, n);
		assert_int_equal(c.ch, 3);
		free(c.px);
		free(d);
		done += 2;
	}
	print_message("%d images decoded, every DC value libjpeg's\n", done);
}

/* Where libjpeg's 1/8 scale is DC alone (components at full resolution,
 * or grey), its rows are the decoder's, byte for byte: the block means and
 * the YCbCr to RGB conversion agree. */
static void test_rows_match_libjpeg(void **state)
{
	(void)state;
	const enc cases[] = {
		{ .w = 403, .h = 287, .comps = 3, .quality = 90, .seal = 1 },
		{ .w = 403, .h = 287, .comps = 3, .restart_mcus = 4, .progressive = 1, .optimize = 1, .quality = 40,
		  .seal = 1 },
		{ .w = 160, .h = 96, .comps = 3, .rgb = 1, .quality = 85, .seal = 1 },
		{ .w = 333, .h = 111, .comps = 1, .restart_mcus = 2, .progressive = 1, .quality = 60 },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		size_t n;
		uint32_t w, h;
		int ch;
		uint8_t *d = encode(&cases[i], &n);
		collected c = decode_checked(d, n);
		uint8_t *ref = libjpeg_eighth(d, n, &w, &h, &ch);
		assert_int_equal(w, c.w);
		assert_int_equal(h, c.h);
		assert_int_equal(ch, c.ch);
		assert_memory_equal(ref, c.px, (size_t)w * h * (size_t)ch);
		free(ref);
		free(c.px);
		free(d);
	}
}

/* A callback that has seen enough stops the decoding: no row after. */
static void test_stop_early(void **state)
{
	(void)state;
	enc e = { .w = 640, .h = 480, .comps = 3, .hs = { 2, 1, 1 }, .vs = { 2, 1, 1 }, .quality = 80, .seal = 1 };
	size_t n;
	uint8_t *d = encode(&e, &n);
	collected c;

	memset(&c, 0, sizeof c);
	c.stop_after = 3;
	assert_int_equal(jpeg_dc_decode(d, n, NULL, 0, collect, &c, NULL), JPEG_DC_DONE);
	assert_int_equal(c.calls, 3);
	assert_int_equal(c.next, 3 * 2); /* three MCU rows of 2 block rows */
	free(c.px);
	/* progressive: rows come after the last scan, and stop as well */
	free(d);
	e.progressive = 1;
	d = encode(&e, &n);
	memset(&c, 0, sizeof c);
	c.stop_after = 1;
	assert_int_equal(jpeg_dc_decode(d, n, NULL, 0, collect, &c, NULL), JPEG_DC_DONE);
	assert_int_equal(c.calls, 1);
	assert_true(c.next < c.h);
	free(c.px);
	free(d);
}

/* The spans given are believed when a scan's data starts where one says
 * (an end that is no marker then makes the file one for libjpeg), and
 * ignored when it starts elsewhere. */
static void test_known_spans(void **state)
{
	(void)state;
	enc e = { .w = 64, .h = 48, .comps = 3, .hs = { 2, 1, 1 }, .vs = { 2, 1, 1 }, .seal = 1 };
	size_t n;
	uint8_t *d = encode(&e, &n);
	jpeg_scan_span spans[4], wrong;
	collected c;

	assert_int_equal(find_spans(d, n, spans, 4), 1);
	wrong = spans[0];
	wrong.end -= 1; /* inside the data, not at its marker */
	memset(&c, 0, sizeof c);
	assert_int_equal(jpeg_dc_decode(d, n, &wrong, 1, collect, &c, NULL), JPEG_DC_FALLBACK);
	assert_int_equal(c.calls, 0);
	wrong = spans[0];
	wrong.data += 1; /* another scan's, as far as this one can tell */
	wrong.end -= 1;
	assert_int_equal(jpeg_dc_decode(d, n, &wrong, 1, collect, &c, NULL), JPEG_DC_DONE);
	assert_int_equal(c.next, c.h);
	free(c.px);
	free(d);
}

/* --- files the decoder must leave to libjpeg --- */

/* Offset of the first marker m (FF m) before the first scan's data, or of
 * the first SOS, in a file made by encode(). */
static size_t find_marker(const uint8_t *d, size_t n, uint8_t m)
{
	size_t p = 2;
	while (p + 4 <= n && d[p] == 0xFF) {
		if (d[p + 1] == m)
			return p;
		if (d[p + 1] == 0xDA)
			break;
		p += 2 + ((size_t)d[p + 2] << 8 | d[p + 3]);
	}
	fail_msg("marker %02X not found", m);
	return 0;
}

static uint8_t *splice(const uint8_t *d, size_t n, size_t at, size_t cut, const void *ins, size_t inslen,
		       size_t *outlen)
{
	uint8_t *o = malloc(n - cut + inslen);
	assert_non_null(o);
	memcpy(o, d, at);
	memcpy(o + at, ins, inslen);
	memcpy(o + at + inslen, d + at + cut, n - at - cut);
	*outlen = n - cut + inslen;
	return o;
}

/* A w x h image of comps channels of colour space cs, every sample value,
 * with libjpeg's defaults or the given scan script. */
static uint8_t *encode_flat(uint32_t w, uint32_t h, int comps, J_COLOR_SPACE cs, uint8_t value,
			    const jpeg_scan_info *scans, int nscans, size_t *len)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	unsigned char *out = NULL;
	unsigned long outlen = 0;
	uint8_t *row = malloc((size_t)w * (size_t)comps);

	assert_non_null(row);
	memset(row, value, (size_t)w * (size_t)comps);
	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &out, &outlen);
	ci.image_width = w;
	ci.image_height = h;
	ci.input_components = comps;
	ci.in_color_space = cs;
	jpeg_set_defaults(&ci);
	if (scans != NULL) {
		ci.scan_info = scans;
		ci.num_scans = nscans;
	}
	jpeg_start_compress(&ci, TRUE);
	while (ci.next_scanline < h) {
		JSAMPROW r = row;
		jpeg_write_scanlines(&ci, &r, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	free(row);
	*len = outlen;
	return out;
}

static void expect_fallback(const char *what, const uint8_t *d, size_t n)
{
	collected c;

	memset(&c, 0, sizeof c);
	if (jpeg_dc_decode(d, n, NULL, 0, collect, &c, NULL) != JPEG_DC_FALLBACK)
		fail_msg("%s: decoded, should be left to libjpeg", what);
	assert_int_equal(c.calls, 0); /* nothing delivered before saying so */
	free(c.px);
}

static void test_fallbacks(void **state)
{
	(void)state;
	enc base = { .w = 200, .h = 120, .comps = 3, .hs = { 2, 1, 1 }, .vs = { 2, 1, 1 }, .restart_mcus = 2,
		     .quality = 80, .seal = 1 };
	size_t n, m;
	uint8_t *d = encode(&base, &n), *x;
	size_t sos = find_marker(d, n, 0xDA);
	size_t data = sos + 2 + ((size_t)d[sos + 2] << 8 | d[sos + 3]);

	/* the good file is taken */
	collected c = decode_checked(d, n);
	free(c.px);

	/* an unknown marker before the scan (libjpeg refuses JPGn) */
	static const uint8_t jpg1[] = { 0xFF, 0xF1, 0x00, 0x04, 0x00, 0x00 };
	x = splice(d, n, sos, 0, jpg1, sizeof jpg1, &m);
	expect_fallback("JPG1 marker", x, m);
	free(x);
	/* junk between segments */
	x = splice(d, n, sos, 0, "junk", 4, &m);
	expect_fallback("junk", x, m);
	free(x);
	/* a second frame header */
	size_t sof = find_marker(d, n, 0xC0);
	size_t soflen = 2 + ((size_t)d[sof + 2] << 8 | d[sof + 3]);
	x = splice(d, n, sos, 0, d + sof, soflen, &m);
	expect_fallback("two SOF", x, m);
	free(x);
	/* an arithmetic-coded frame's marker in place of baseline's */
	x = splice(d, n, 0, 0, "", 0, &m);
	x[sof + 1] = 0xC9;
	expect_fallback("SOF9", x, m);
	free(x);
	/* a 4:2:0 frame saying 3x2 for luma: not a whole ratio of chroma 2x1 */
	x = splice(d, n, 0, 0, "", 0, &m);
	x[sof + 2 + 2 + 6 + 1] = 0x32;
	x[sof + 2 + 2 + 6 + 4] = 0x21;
	expect_fallback("3x2 with 2x1", x, m);
	free(x);
	/* restart markers out of order: swap the first RST0 for RST5 */
	x = splice(d, n, 0, 0, "", 0, &m);
	for (size_t p = data; p + 1 < m; p++)
		if (x[p] == 0xFF && x[p + 1] == 0xD0) {
			x[p + 1] = 0xD5;
			break;
		}
	expect_fallback("RST out of order", x, m);
	free(x);
	/* entropy-coded data cut short, the file still ending in EOI */
	x = splice(d, n, data + (n - data) / 2, (n - data) / 2 - 2, "", 0, &m);
	expect_fallback("short data", x, m);
	free(x);
	/* a Huffman table with more codes of 2 bits than 2 bits can hold */
	size_t dht = find_marker(d, n, 0xC4);
	x = splice(d, n, 0, 0, "", 0, &m);
	x[dht + 5 + 2] = 5;
	x[dht + 5 + 3] = 0; /* keep the count of symbols the same */
	expect_fallback("overfull table", x, m);
	free(x);
	/* a restart interval whose segment length is wrong */
	size_t dri = find_marker(d, n, 0xDD);
	x = splice(d, n, 0, 0, "", 0, &m);
	x[dri + 3] = 5;
	expect_fallback("DRI length", x, m);
	free(x);
	free(d);

	/* CMYK (4 components) */
	{
		size_t len;
		uint8_t *cmyk = encode_flat(16, 16, 4, JCS_CMYK, 100, NULL, 0, &len);
		expect_fallback("CMYK", cmyk, len);
		free(cmyk);
	}
	/* sequential, one scan per component */
	{
		static jpeg_scan_info scans[3];
		size_t len;
		uint8_t *seq;
		for (int i = 0; i < 3; i++) {
			scans[i].comps_in_scan = 1;
			scans[i].component_index[0] = i;
			scans[i].Ss = 0;
			scans[i].Se = 63;
			scans[i].Ah = scans[i].Al = 0;
		}
		seq = encode_flat(32, 32, 3, JCS_RGB, 90, scans, 3, &len);
		expect_fallback("non-interleaved sequential", seq, len);
		free(seq);
	}
}

/* --- the probe: early answers are the full answers --- */

/* A page at the size of an A4 scan, through the probe three ways: every
 * pixel (PROBE_PIXELS_ALL), and asking only what a template asks, which
 * lets the decoding stop early. The answers asked for must agree. */
static void test_probe_answers(void **state)
{
	(void)state;
	static const uint32_t sizes[][2] = { { 2480, 3508 }, { 1654, 2339 }, { 4961, 7016 }, { 600, 800 } };
	for (size_t s = 0; s < COUNT(sizes); s++)
		for (int seal = 0; seal <= 1; seal++)
			for (int grey = 0; grey <= 1; grey++) {
				enc e = { .w = sizes[s][0], .h = sizes[s][1], .comps = 3, .hs = { 2, 1, 1 },
					  .vs = { 2, 1, 1 }, .quality = 75, .seal = seal };
				size_t n;
				uint8_t *d;
				file_info all, colour, sealq, both;
				probe_limits l_all = { 100000000ULL, PROBE_PIXELS_ALL };
				probe_limits l_colour = { 100000000ULL, PROBE_PIXELS_COLOUR };
				probe_limits l_seal = { 100000000ULL, PROBE_PIXELS_SEAL };
				probe_limits l_both = { 100000000ULL, PROBE_PIXELS_COLOUR | PROBE_PIXELS_SEAL };
				e.grey_scene = grey; /* a black-and-white copy saved in colour */
				d = encode(&e, &n);
				assert_int_equal(probe_buffer(d, n, &l_all, &all), PROBE_OK);
				assert_int_equal(probe_buffer(d, n, &l_colour, &colour), PROBE_OK);
				assert_int_equal(probe_buffer(d, n, &l_seal, &sealq), PROBE_OK);
				assert_int_equal(probe_buffer(d, n, &l_both, &both), PROBE_OK);
				assert_int_equal(colour.pixels, all.pixels);
				assert_int_equal(both.pixels, all.pixels);
				assert_int_equal(sealq.red_seal, all.red_seal);
				assert_int_equal(both.red_seal, all.red_seal);
				assert_int_equal(all.red_seal, seal && !grey);
				assert_int_equal(all.pixels, grey ? COLOUR_GREY : COLOUR_COLOUR);
				free(d);
			}
}

/* --- the shared corpus --- */

static const char *corpus_dir(void)
{
	const char *env = getenv("LICPACK_CORPUS");
	return env && *env ? env : "../shared/corpus";
}

typedef struct {
	long done, fallback, blocks;
} sweep_count;

/* What the decoder must do with a jpegsuite file, by the set and name the
 * suite gives it: decode the 8-bit Huffman sequential and progressive ones
 * of one or three components interleaved, leave the rest. -1: no rule. */
static int jpegsuite_rule(const char *rel)
{
	if (strncmp(rel, "jpegsuite/", 10) != 0)
		return -1;
	const char *set = rel + 10;
	const char *name = strchr(set, '/');
	if (!name)
		return -1;
	name++;
	int huff = !strncmp(set, "baseline/", 9) || !strncmp(set, "extended_huffman/", 17) ||
		   !strncmp(set, "progressive_huffman/", 20);
	if (!huff)
		return 0; /* arithmetic, lossless, JPEG-LS */
	if (strstr(name, "x12_") || strstr(name, "_dnl") || strstr(name, "cmyk"))
		return 0;
	int progressive = !strncmp(set, "progressive_huffman/", 20);
	/* sequential files of several components, not interleaved */
	if (!progressive && (strstr(name, "_rgb.") || strstr(name, "_ycbcr.") || strstr(name, "_ycbcr_2x2_1x1_1x1.") ||
			     strstr(name, "_ycbcr_2x2_2x1_1x2.") || strstr(name, "_ycbcr_quantization.")))
		return 0;
	return 1;
}

static void sweep(const char *root, const char *rel, sweep_count *n)
{
	char path[8192];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d))) {
		char sub[2048];
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof sub, "%s/%s", rel, de->d_name) >= (int)sizeof sub)
			continue;
		snprintf(path, sizeof path, "%s/%s", root, sub);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			sweep(root, sub, n);
			continue;
		}
		size_t len = strlen(de->d_name);
		if (len < 4 || (strcmp(de->d_name + len - 4, ".jpg") && strcmp(de->d_name + len - 4, ".JPG") &&
				(len < 5 || strcmp(de->d_name + len - 5, ".jpeg"))))
			continue;
		size_t flen;
		uint8_t *data = read_file(path, &flen);
		if (!data)
			continue;
		jpeg_dc_image img;
		jpeg_dc_result r = jpeg_dc_decode(data, flen, NULL, 0, collect_none, NULL, &img);
		int rule = jpegsuite_rule(sub);
		if (r == JPEG_DC_DONE) {
			long b = compare_dc(data, flen, &img);
			if (b < 0)
				fail_msg("'%s': decoded, but libjpeg refuses it", sub);
			if (rule == 0)
				fail_msg("'%s': decoded, but it is one to leave to libjpeg", sub);
			n->done++;
			n->blocks += b;
			jpeg_dc_image_release(&img);
		} else {
			assert_int_equal(r, JPEG_DC_FALLBACK);
			if (rule == 1)
				fail_msg("'%s': left to libjpeg, but it is one to decode", sub);
			n->fallback++;
		}
		free(data);
	}
	closedir(d);
}

static void test_corpus(void **state)
{
	(void)state;
	struct stat st;
	sweep_count n = { 0, 0, 0 };

	if (stat(corpus_dir(), &st) != 0) {
		printf("SKIPPED: shared corpus not found (set LICPACK_CORPUS)\n");
		return;
	}
	sweep(corpus_dir(), "jpeg", &n);
	sweep(corpus_dir(), "jpegsuite", &n);
	sweep(corpus_dir(), "exif", &n);
	print_message("corpus: %ld decoded (%ld blocks, every DC libjpeg's), %ld left to libjpeg\n", n.done,
		      n.blocks, n.fallback);
	assert_true(n.done >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dc_matches_libjpeg),
		cmocka_unit_test(test_known_spans),
		cmocka_unit_test(test_rows_match_libjpeg),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_probe_answers),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
