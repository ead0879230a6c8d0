/*
 * Unit tests for packet/probe_jpeg.c: damaged JPEGs (issue 17 items 7-8),
 * the pixel analysis that stops early, and the marker walk's limits.
 *
 * Every file is encoded here with libjpeg, then damaged the way the issue
 * found them: entropy data cut short and closed with an end marker, a
 * header declaring more rows than the data holds, bytes left over after a
 * scan, a progressive file missing scans or its DC scan, restart markers
 * missing, a DNL height, sides beyond PDF's 65500. Each must be `corrupt`
 * (or refused), never `greyscale` or whole. The early answers (colour,
 * seal) must be the answers of a decode of every row; and every JPEG of the
 * shared corpus that libjpeg decodes without a warning must still pass
 * (skipped, with a message, when the corpus is not there).
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

#include "packet/probe.h"
#include "tests/fuzz/fuzz_probe.h"
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

/* --- taking a JPEG apart --- */

/* Where each scan of a file libjpeg wrote starts (its SOS marker) and where
 * its entropy-coded data ends (the FF of the marker after it). */
typedef struct {
	size_t sos[64], end[64];
	unsigned n;
} scans_at;

static scans_at find_scans(const uint8_t *d, size_t n)
{
	scans_at s;
	size_t p = 2;

	memset(&s, 0, sizeof s);
	while (p + 4 <= n) {
		assert_int_equal(d[p], 0xFF);
		uint8_t m = d[p + 1];
		if (m == 0xD9)
			break;
		size_t seg = 2 + ((size_t)d[p + 2] << 8 | d[p + 3]);
		if (m != 0xDA) {
			p += seg;
			continue;
		}
		assert_true(s.n < 64);
		s.sos[s.n] = p;
		size_t q = p + seg;
		while (q + 1 < n && !(d[q] == 0xFF && d[q + 1] != 0 && (d[q + 1] < 0xD0 || d[q + 1] > 0xD7)))
			q++;
		s.end[s.n++] = q;
		p = q;
	}
	assert_true(s.n > 0);
	return s;
}

/* d[0..at) then an end-of-image marker (a stuffed FF is not split). */
static uint8_t *cut_eoi(const uint8_t *d, size_t at, size_t *outlen)
{
	if (d[at - 1] == 0xFF)
		at--;
	uint8_t *o = malloc(at + 2);
	assert_non_null(o);
	memcpy(o, d, at);
	o[at] = 0xFF;
	o[at + 1] = 0xD9;
	*outlen = at + 2;
	return o;
}

/* d with cut bytes at at replaced by ins. */
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

/* The offset of the frame header's height field. */
static size_t sof_height_at(const uint8_t *d, size_t n)
{
	size_t p = 2;
	while (p + 4 <= n && d[p] == 0xFF) {
		if (d[p + 1] == 0xC0 || d[p + 1] == 0xC2)
			return p + 5;
		p += 2 + ((size_t)d[p + 2] << 8 | d[p + 3]);
	}
	fail_msg("no frame header");
	return 0;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* --- what the probe says --- */

enum {
	AS_TEMPLATE = PROBE_PIXELS_COLOUR | PROBE_PIXELS_SEAL, /* stops early */
	NO_PIXELS = 0,                                          /* the walk alone */
};

static const char R_DAMAGED[] = "JPEG image data is damaged (corrupt, missing or extra data in the scan)";
static const char R_RESTARTS[] = "JPEG image data cut short (restart markers missing)";
static const char R_RST_ORDER[] = "JPEG image data damaged (restart markers out of order)";
static const char R_PARTIAL[] = "progressive JPEG incomplete (scans missing)";
static const char R_NO_DC[] = "progressive JPEG without its first (DC) scan";

static void expect(const char *what, const uint8_t *d, size_t n, unsigned want, probe_status st,
		   const char *reason)
{
	probe_limits l = { 100000000ULL, want };
	file_info fi;

	if (probe_buffer(d, n, &l, &fi) != st || (reason && (!fi.reason_en || strcmp(fi.reason_en, reason))))
		fail_msg("%s (pixels %u): status %d '%s', expected %d '%s'", what, want, fi.status,
			 fi.reason_en ? fi.reason_en : "", st, reason ? reason : "");
}

/* An A4-like page of 1200x1600, 4:2:0; grey: every pixel grey. */
static uint8_t *page(int grey, int progressive, int restart, size_t *n)
{
	enc e = { .w = 1200, .h = 1600, .comps = 3, .hs = { 2, 1, 1 }, .vs = { 2, 1, 1 }, .quality = 75,
		  .seal = 1, .grey_scene = grey, .progressive = progressive, .restart_mcus = restart };
	return encode(&e, n);
}

/* --- issue 17 item 7: damaged JPEGs that passed --- */

/* Entropy data cut short and closed with an end marker: libjpeg fills the
 * rest with grey and, with no error manager watching, the page passed as
 * complete. The decode warns where it meets the cut, and every JPEG is
 * decoded to its end: on a material that needs neither colour nor seal
 * (no pixels analysed), and on a colour page whose colour shows above the
 * cut (the answer settled at once), the cut is met all the same. */
static void test_cut_short_eoi(void **state)
{
	(void)state;
	size_t n, m;
	uint8_t *d = page(0, 0, 0, &n), *g = page(1, 0, 0, &m), *c;
	scans_at s = find_scans(d, n), sg = find_scans(g, m);
	size_t cn;

	expect("whole page", d, n, AS_TEMPLATE, PROBE_OK, NULL);
	/* cut at 5 %: above the page's first colour */
	c = cut_eoi(d, s.sos[0] + (s.end[0] - s.sos[0]) / 20, &cn);
	expect("colour page cut at 5%", c, cn, AS_TEMPLATE, PROBE_CORRUPT, R_DAMAGED);
	expect("colour page cut at 5%", c, cn, PROBE_PIXELS_ALL, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	/* a colour page cut at 90 %, decoded whole */
	c = cut_eoi(d, s.sos[0] + (s.end[0] - s.sos[0]) * 9 / 10, &cn);
	expect("colour page cut at 90%", c, cn, PROBE_PIXELS_ALL, PROBE_CORRUPT, R_DAMAGED);
	/* ... its colour seen in the first rows: the answer is settled far
	 * above the cut, which the decode still reaches */
	expect("colour page cut at 90%", c, cn, PROBE_PIXELS_COLOUR, PROBE_CORRUPT, R_DAMAGED);
	expect("colour page cut at 90%", c, cn, AS_TEMPLATE, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	/* a material that needs neither colour nor seal: no pixels analysed */
	static const unsigned at[] = { 5, 50, 90, 99 };
	for (size_t i = 0; i < COUNT(at); i++) {
		char what[64];
		c = cut_eoi(d, s.sos[0] + (s.end[0] - s.sos[0]) * at[i] / 100, &cn);
		snprintf(what, sizeof what, "colour page cut at %u%%", at[i]);
		expect(what, c, cn, NO_PIXELS, PROBE_CORRUPT, R_DAMAGED);
		free(c);
		c = cut_eoi(g, sg.sos[0] + (sg.end[0] - sg.sos[0]) * at[i] / 100, &cn);
		snprintf(what, sizeof what, "grey page cut at %u%%", at[i]);
		expect(what, c, cn, NO_PIXELS, PROBE_CORRUPT, R_DAMAGED);
		free(c);
	}
	/* a black-and-white copy saved in colour, cut at 50 %: corrupt, not greyscale */
	c = cut_eoi(g, sg.sos[0] + (sg.end[0] - sg.sos[0]) / 2, &cn);
	expect("grey page cut at 50%", c, cn, AS_TEMPLATE, PROBE_CORRUPT, R_DAMAGED);
	expect("grey page cut at 50%", c, cn, PROBE_PIXELS_COLOUR, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	free(d);
	free(g);
}

/* A header declaring more rows than the data holds (the height doubled):
 * it was called `greyscale` (the rows made up are grey) or passed. Asked
 * only for a seal, or for nothing, the colour page's answers are settled
 * above the missing rows: the decode goes on to them all the same. */
static void test_header_taller_than_data(void **state)
{
	(void)state;
	size_t n;
	uint8_t *g = page(1, 0, 0, &n), *d;

	put16(g + sof_height_at(g, n), 3200);
	expect("grey page, height doubled", g, n, AS_TEMPLATE, PROBE_CORRUPT, R_DAMAGED);
	free(g);
	d = page(0, 0, 0, &n);
	put16(d + sof_height_at(d, n), 3200);
	expect("colour page, height doubled", d, n, PROBE_PIXELS_ALL, PROBE_CORRUPT, R_DAMAGED);
	expect("colour page, height doubled", d, n, PROBE_PIXELS_SEAL, PROBE_CORRUPT, R_DAMAGED);
	expect("colour page, height doubled", d, n, NO_PIXELS, PROBE_CORRUPT, R_DAMAGED);
	free(d);
}

/* Bytes that are no part of the scan: after its last MCU (libjpeg:
 * "extraneous bytes before marker 0xd9") and right after the SOS header. */
static void test_extraneous_bytes(void **state)
{
	(void)state;
	static const uint8_t junk[64] = { 0x55, 0x13, 0x37, 0x42 };
	size_t n, cn;
	uint8_t *g = page(1, 0, 0, &n), *d = page(0, 0, 0, &cn), *c;
	scans_at s = find_scans(g, n), sd = find_scans(d, cn);
	size_t len;

	c = splice(g, n, s.end[0], 0, junk, sizeof junk, &len);
	expect("grey page, bytes after the scan", c, len, AS_TEMPLATE, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	c = splice(d, cn, sd.end[0], 0, junk, sizeof junk, &len);
	expect("colour page, bytes after the scan", c, len, PROBE_PIXELS_ALL, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	size_t after_sos = sd.sos[0] + 2 + ((size_t)d[sd.sos[0] + 2] << 8 | d[sd.sos[0] + 3]);
	c = splice(d, cn, after_sos, 0, junk, sizeof junk, &len);
	expect("colour page, bytes after SOS", c, len, PROBE_PIXELS_ALL, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	free(g);
	free(d);
}

/* What libjpeg warns of without damage to the pixels passes: a sequential
 * scan header with odd spectral parameters (Se 0 for 63; libjpeg decodes
 * the scan whole and warns "Invalid SOS parameters for sequential JPEG"). */
static void test_harmless_warnings(void **state)
{
	(void)state;
	size_t n;
	uint8_t *d = page(0, 0, 0, &n);
	scans_at s = find_scans(d, n);
	size_t ns = d[s.sos[0] + 4];

	assert_int_equal(d[s.sos[0] + 5 + 2 * ns + 1], 63);
	d[s.sos[0] + 5 + 2 * ns + 1] = 0;
	expect("sequential scan, Se 0", d, n, PROBE_PIXELS_ALL, PROBE_OK, NULL);
	expect("sequential scan, Se 0", d, n, AS_TEMPLATE, PROBE_OK, NULL);
	free(d);
}

/* A progressive file missing its last scans (a partial download closed with
 * an end marker), cut inside a scan, or without its DC scan: the walk sees
 * these for every material, pixels analysed or not. */
static void test_partial_progressive(void **state)
{
	(void)state;
	size_t n, cn;
	uint8_t *d = page(0, 1, 0, &n), *c;
	scans_at s = find_scans(d, n);

	assert_true(s.n >= 6);
	expect("progressive page", d, n, NO_PIXELS, PROBE_OK, NULL);
	expect("progressive page", d, n, AS_TEMPLATE, PROBE_OK, NULL);
	c = cut_eoi(d, s.end[2], &cn); /* three scans of ten */
	expect("first three scans", c, cn, NO_PIXELS, PROBE_CORRUPT, R_PARTIAL);
	expect("first three scans", c, cn, AS_TEMPLATE, PROBE_CORRUPT, R_PARTIAL);
	free(c);
	c = cut_eoi(d, (s.sos[4] + s.end[4]) / 2, &cn); /* inside the fifth */
	expect("cut in the fifth scan", c, cn, NO_PIXELS, PROBE_CORRUPT, R_PARTIAL);
	free(c);
	/* inside the last scan: only the decode sees it, pixels analysed or not */
	c = cut_eoi(d, s.sos[s.n - 1] + (s.end[s.n - 1] - s.sos[s.n - 1]) / 3, &cn);
	expect("cut in the last scan", c, cn, AS_TEMPLATE, PROBE_CORRUPT, R_DAMAGED);
	expect("cut in the last scan", c, cn, NO_PIXELS, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	/* inside the first (DC) scan: the scans after it are all there */
	c = splice(d, n, s.sos[0] + (s.end[0] - s.sos[0]) / 2, s.end[0] - s.sos[0] - (s.end[0] - s.sos[0]) / 2,
		   "", 0, &cn);
	expect("DC scan cut short", c, cn, NO_PIXELS, PROBE_CORRUPT, R_DAMAGED);
	expect("DC scan cut short", c, cn, PROBE_PIXELS_COLOUR, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	c = splice(d, n, s.sos[0], s.end[0] - s.sos[0], "", 0, &cn); /* no DC scan */
	expect("no DC scan", c, cn, NO_PIXELS, PROBE_CORRUPT, R_NO_DC);
	expect("no DC scan", c, cn, AS_TEMPLATE, PROBE_CORRUPT, R_NO_DC);
	free(c);
	free(d);
}

/* With restart markers, the walk counts them: data cut short is seen for
 * every material; markers out of order too. Whole files of every layout
 * pass, so that the count is the right one. */
static void test_restart_markers(void **state)
{
	(void)state;
	static const struct {
		uint32_t w, h;
		int comps, hs0, vs0, progressive, interval;
	} ok[] = {
		{ 1200, 1600, 3, 2, 2, 0, 4 },  { 1001, 777, 3, 2, 2, 0, 3 }, { 1001, 777, 3, 2, 1, 0, 7 },
		{ 1001, 777, 3, 1, 1, 0, 1 },   { 999, 555, 1, 1, 1, 0, 5 },  { 1001, 777, 3, 2, 2, 1, 2 },
		{ 17, 9, 3, 2, 2, 0, 1 },       { 640, 480, 3, 1, 2, 0, 40 }, { 640, 480, 3, 2, 2, 0, 10000 },
	};
	for (size_t i = 0; i < COUNT(ok); i++) {
		enc e = { .w = ok[i].w, .h = ok[i].h, .comps = ok[i].comps, .hs = { ok[i].hs0, 1, 1 },
			  .vs = { ok[i].vs0, 1, 1 }, .progressive = ok[i].progressive,
			  .restart_mcus = ok[i].interval, .seal = 1 };
		size_t n;
		uint8_t *d = encode(&e, &n);
		char what[64];
		snprintf(what, sizeof what, "layout %zu with restarts", i);
		expect(what, d, n, NO_PIXELS, PROBE_OK, NULL);
		expect(what, d, n, PROBE_PIXELS_ALL, PROBE_OK, NULL);
		free(d);
	}

	size_t n, cn;
	uint8_t *d = page(0, 0, 4, &n), *c;
	scans_at s = find_scans(d, n);
	c = cut_eoi(d, s.sos[0] + (s.end[0] - s.sos[0]) / 2, &cn);
	expect("restarts, cut at 50%", c, cn, NO_PIXELS, PROBE_CORRUPT, R_RESTARTS);
	expect("restarts, cut at 50%", c, cn, AS_TEMPLATE, PROBE_CORRUPT, R_RESTARTS);
	free(c);
	/* the fourth restart marker made a sixth */
	size_t k = s.sos[0], seen = 0;
	while (seen < 4) {
		k++;
		if (d[k] == 0xFF && d[k + 1] >= 0xD0 && d[k + 1] <= 0xD7)
			seen++;
	}
	d[k + 1] = 0xD5;
	expect("restart markers out of order", d, n, NO_PIXELS, PROBE_CORRUPT, R_RST_ORDER);
	free(d);
}

/* --- issue 17 item 8: DNL height, PDF's 65500 --- */

/* Height 0 in the frame header and the real one in a DNL marker after the
 * scan: poppler shows such a page blank, so the file is refused. */
static void test_dnl_refused(void **state)
{
	(void)state;
	enc e = { .w = 64, .h = 48, .comps = 3 };
	size_t n, cn;
	uint8_t *d = encode(&e, &n), *c;
	scans_at s = find_scans(d, n);
	static const uint8_t dnl[] = { 0xFF, 0xDC, 0x00, 0x04, 0x00, 48 };

	put16(d + sof_height_at(d, n), 0);
	c = splice(d, n, s.end[0], 0, dnl, sizeof dnl, &cn);
	for (unsigned want = 0; want <= PROBE_PIXELS_ALL; want += PROBE_PIXELS_ALL) {
		probe_limits l = { 100000000ULL, want };
		file_info fi;
		assert_int_equal(probe_buffer(c, cn, &l, &fi), PROBE_REFUSED);
		assert_string_equal(fi.reason_en,
				    "a JPEG with its height after the image data (DNL marker, shown blank by PDF readers)");
		assert_int_equal(fi.height, 48);
	}
	free(c);
	free(d);
}

/* 65500 pixels on a side pass; 65501 are refused from the header (libjpeg
 * writes no more than 65500: the larger sides are patched in). */
static void test_pdf_side_limit(void **state)
{
	(void)state;
	static const uint32_t sizes[][3] = { { 65500, 8, PROBE_OK }, { 65501, 8, PROBE_TOO_LARGE },
					     { 8, 65501, PROBE_TOO_LARGE }, { 65535, 16, PROBE_TOO_LARGE } };
	for (size_t i = 0; i < COUNT(sizes); i++) {
		enc e = { .w = sizes[i][0] > 65500 ? 65500 : sizes[i][0],
			  .h = sizes[i][1] > 65500 ? 65500 : sizes[i][1], .comps = 1 };
		size_t n;
		uint8_t *d = encode(&e, &n);
		size_t at = sof_height_at(d, n);
		probe_limits l = { 0, 0 };
		file_info fi;
		put16(d + at, sizes[i][1]);
		put16(d + at + 2, sizes[i][0]);
		assert_int_equal(probe_buffer(d, n, &l, &fi), (probe_status)sizes[i][2]);
		assert_int_equal(fi.width, sizes[i][0]);
		assert_int_equal(fi.height, sizes[i][1]);
		if (sizes[i][2] != PROBE_OK)
			assert_string_equal(fi.reason_en,
					    "wider or taller than 65500 pixels, the most a PDF page can show");
		free(d);
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

/* Once the answers are certain, the rest of the image is skipped
 * (entropy-decoded, not drawn), never left unread: a colour page cut at
 * 90 % is judged a colour copy from its first rows, and is still corrupt;
 * whole, it passes with the answer the whole decode gives. */
static void test_settled_reads_on(void **state)
{
	(void)state;
	size_t n, cn;
	uint8_t *d = page(0, 0, 0, &n), *c;
	scans_at s = find_scans(d, n);
	probe_limits colour = { 100000000ULL, PROBE_PIXELS_COLOUR };
	file_info fi;

	assert_int_equal(probe_buffer(d, n, &colour, &fi), PROBE_OK);
	assert_int_equal(fi.pixels, COLOUR_COLOUR);
	c = cut_eoi(d, s.sos[0] + (s.end[0] - s.sos[0]) * 9 / 10, &cn);
	assert_int_equal(probe_buffer(c, cn, &colour, &fi), PROBE_CORRUPT);
	assert_string_equal(fi.reason_en, R_DAMAGED);
	free(c);
	/* cut in the very last MCU row: the row that is read, not skipped */
	c = cut_eoi(d, s.end[0] - 40, &cn);
	expect("colour page, last bytes cut", c, cn, PROBE_PIXELS_COLOUR, PROBE_CORRUPT, R_DAMAGED);
	expect("colour page, last bytes cut", c, cn, NO_PIXELS, PROBE_CORRUPT, R_DAMAGED);
	free(c);
	free(d);
}

/* --- the decoded rows handed over (report.html's thumbnails) --- */

/* What the probe handed over: fuzz_probe.h's account of it (in order, each
 * once), and the pixels. */
typedef struct {
	rows_seen seen;
	uint8_t *px;
} rows_got;

static int got_begin(void *ctx, uint32_t w, uint32_t h)
{
	rows_got *g = ctx;
	rows_begin(&g->seen, w, h);
	g->px = calloc((size_t)w * h, 3);
	return g->px != NULL;
}

static void got_row(void *ctx, uint32_t y, const uint8_t *rgb)
{
	rows_got *g = ctx;
	rows_row(&g->seen, y, rgb);
	if (!g->seen.disorder)
		memcpy(g->px + (size_t)y * g->seen.w * 3, rgb, (size_t)g->seen.w * 3);
}

/* file d decoded by libjpeg alone at 1/denom, as the probe decodes it, RGB */
static uint8_t *ref_rgb(const uint8_t *d, size_t n, unsigned denom, uint32_t *w, uint32_t *h)
{
	struct jpeg_decompress_struct ci;
	struct jpeg_error_mgr jerr;
	ci.err = jpeg_std_error(&jerr);
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, d, (unsigned long)n);
	jpeg_read_header(&ci, TRUE);
	ci.scale_num = 1;
	ci.scale_denom = denom;
	ci.dct_method = JDCT_IFAST;
	ci.do_fancy_upsampling = FALSE;
	ci.do_block_smoothing = FALSE;
	ci.out_color_space = JCS_RGB;
	jpeg_start_decompress(&ci);
	uint8_t *px = malloc((size_t)ci.output_width * ci.output_height * 3);
	assert_non_null(px);
	while (ci.output_scanline < ci.output_height) {
		JSAMPROW r = px + (size_t)ci.output_scanline * ci.output_width * 3;
		jpeg_read_scanlines(&ci, &r, 1);
	}
	*w = ci.output_width;
	*h = ci.output_height;
	jpeg_finish_decompress(&ci);
	jpeg_destroy_decompress(&ci);
	return px;
}

/* Every row, in order, equal to libjpeg's own decode at the scale chosen:
 * 1/8 when nothing is analysed and 1/8 keeps min_edge, finer when not;
 * the analysis's scale (1/4 for an A4 page of 2480x3508) when it is. Grey
 * files come as RGB. A damaged file's rows may stop short; its status says
 * so. */
static void test_rows(void **state)
{
	(void)state;
	static const struct {
		uint32_t w, h;
		int comps, progressive;
		unsigned want, min_edge, denom;
	} cases[] = {
		{ 2480, 3508, 3, 0, NO_PIXELS, 240, 8 },   { 2480, 3508, 3, 0, AS_TEMPLATE, 240, 4 },
		{ 2480, 3508, 3, 1, NO_PIXELS, 240, 8 },   { 1200, 1600, 1, 0, NO_PIXELS, 240, 4 },
		{ 1200, 1600, 3, 0, PROBE_PIXELS_ALL, 240, 2 }, { 700, 500, 3, 0, NO_PIXELS, 240, 2 },
		{ 2480, 3508, 3, 0, NO_PIXELS, 1000, 2 },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		enc e = { .w = cases[i].w, .h = cases[i].h, .comps = cases[i].comps, .hs = { 2, 1, 1 },
			  .vs = { 2, 1, 1 }, .quality = 75, .seal = 1, .progressive = cases[i].progressive };
		size_t n;
		uint8_t *d = encode(&e, &n);
		rows_got g = { 0 };
		probe_rows rows = { got_begin, got_row, &g, cases[i].min_edge };
		probe_limits l = { 100000000ULL, cases[i].want };
		file_info fi;
		uint32_t rw, rh;
		assert_int_equal(probe_buffer_rows(d, n, &l, &rows, &fi), PROBE_OK);
		uint8_t *ref = ref_rgb(d, n, cases[i].denom, &rw, &rh);
		if (g.seen.begun != 1 || g.seen.disorder || g.seen.next != g.seen.h || g.seen.w != rw ||
		    g.seen.h != rh || memcmp(g.px, ref, (size_t)rw * rh * 3))
			fail_msg("case %zu: %u rows of %ux%u (begun %d, order %d), libjpeg at 1/%u: %ux%u%s", i,
				 g.seen.next, g.seen.w, g.seen.h, g.seen.begun, !g.seen.disorder, cases[i].denom, rw, rh,
				 g.seen.w == rw && g.seen.h == rh ? ", pixels differ" : "");
		free(ref);
		free(g.px);
		free(d);
	}
	/* declined: no rows, the file judged as ever */
	{
		size_t n, cn;
		uint8_t *d = page(0, 0, 0, &n), *c;
		scans_at s = find_scans(d, n);
		rows_got g = { 0 };
		probe_rows rows = { got_begin, got_row, &g, 240 };
		probe_limits l = { 100000000ULL, NO_PIXELS };
		file_info fi;
		c = cut_eoi(d, s.sos[0] + (s.end[0] - s.sos[0]) / 2, &cn);
		assert_int_equal(probe_buffer_rows(c, cn, &l, &rows, &fi), PROBE_CORRUPT);
		assert_string_equal(fi.reason_en, R_DAMAGED);
		assert_int_equal(g.seen.begun, 1);
		assert_true(g.seen.next < g.seen.h);
		free(g.px);
		free(c);
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
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	int warned;
} ref_err;

static void ref_on_error(j_common_ptr c)
{
	longjmp(((ref_err *)c->err)->jump, 1);
}

static void ref_on_message(j_common_ptr c, int level)
{
	if (level < 0)
		((ref_err *)c->err)->warned = 1;
}

static void ref_on_output(j_common_ptr c)
{
	(void)c;
}

typedef struct {
	struct jpeg_decompress_struct ci;
	ref_err err;
} ref_state;

/* 1 when libjpeg decodes the whole file at 1/8 scale with no warning at
 * all, 0 otherwise. */
static int libjpeg_clean(ref_state *r, const uint8_t *d, size_t n)
{
	memset(r, 0, sizeof *r);
	r->ci.err = jpeg_std_error(&r->err.pub);
	r->err.pub.error_exit = ref_on_error;
	r->err.pub.emit_message = ref_on_message;
	r->err.pub.output_message = ref_on_output;
	if (setjmp(r->err.jump)) {
		jpeg_destroy_decompress(&r->ci);
		return 0;
	}
	jpeg_create_decompress(&r->ci);
	jpeg_mem_src(&r->ci, d, (unsigned long)n);
	jpeg_read_header(&r->ci, TRUE);
	r->ci.scale_num = 1;
	r->ci.scale_denom = 8;
	jpeg_start_decompress(&r->ci);
	JSAMPARRAY row = (*r->ci.mem->alloc_sarray)((j_common_ptr)&r->ci, JPOOL_IMAGE,
						     r->ci.output_width * (JDIMENSION)r->ci.output_components, 1);
	while (r->ci.output_scanline < r->ci.output_height)
		jpeg_read_scanlines(&r->ci, row, 1);
	jpeg_finish_decompress(&r->ci);
	jpeg_destroy_decompress(&r->ci);
	return !r->err.warned;
}

typedef struct {
	long clean, other;
} sweep_count;

/* Every file libjpeg decodes cleanly must not be called corrupt, asked
 * every way. */
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
		ref_state ref;
		if (!data)
			continue;
		if (!libjpeg_clean(&ref, data, flen)) {
			n->other++;
			free(data);
			continue;
		}
		n->clean++;
		fuzz_probe_one(data, flen); /* the fuzz harness's own checks, on real files */
		static const unsigned wants[] = { NO_PIXELS, AS_TEMPLATE, PROBE_PIXELS_ALL };
		for (size_t w = 0; w < COUNT(wants); w++) {
			probe_limits l = { 100000000ULL, wants[w] };
			file_info fi;
			rows_got g = { 0 };
			probe_rows rows = { got_begin, got_row, &g, 240 };
			if (probe_buffer_rows(data, flen, &l, w == 0 ? &rows : NULL, &fi) == PROBE_CORRUPT)
				fail_msg("'%s' (pixels %u): libjpeg decodes it cleanly, the probe says '%s'", sub,
					 wants[w], fi.reason_en);
			if (w == 0 && g.seen.begun && (g.seen.disorder || g.seen.next != g.seen.h))
				fail_msg("'%s': %u rows of %u handed over", sub, g.seen.next, g.seen.h);
			free(g.px);
		}
		free(data);
	}
	closedir(d);
}

static void test_corpus(void **state)
{
	(void)state;
	struct stat st;
	sweep_count n = { 0, 0 };

	if (stat(corpus_dir(), &st) != 0) {
		printf("SKIPPED: shared corpus not found (set LICPACK_CORPUS)\n");
		return;
	}
	sweep(corpus_dir(), "jpeg", &n);
	sweep(corpus_dir(), "jpegsuite", &n);
	sweep(corpus_dir(), "exif", &n);
	print_message("corpus: %ld decoded cleanly by libjpeg and passed, %ld others\n", n.clean, n.other);
	assert_true(n.clean >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_short_eoi),
		cmocka_unit_test(test_header_taller_than_data),
		cmocka_unit_test(test_extraneous_bytes),
		cmocka_unit_test(test_harmless_warnings),
		cmocka_unit_test(test_partial_progressive),
		cmocka_unit_test(test_restart_markers),
		cmocka_unit_test(test_dnl_refused),
		cmocka_unit_test(test_pdf_side_limit),
		cmocka_unit_test(test_probe_answers),
		cmocka_unit_test(test_settled_reads_on),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
