/*
 * fuzz_probe: probe_buffer() on arbitrary bytes, with pixel analysis on and
 * the product's default pixel limit, as check.c calls it.
 *
 * libFuzzer rarely gets a PNG past libpng's CRC check by mutation alone, so
 * an input that sniffs as PNG is probed twice: as it is, and with every
 * chunk's CRC recomputed, which lets the mutations reach IHDR, the zlib
 * stream and the row decoder. Beyond "no crash, no leak, no read outside
 * the buffer", the result must be consistent: a known status and format, and
 * a reason for every status but OK. JPEG and PNG inputs also go through the
 * build's ICC profile readers (pdf_icc_from_jpeg, pdf_icc_from_png); a
 * whole PDF goes through pdf_page_jpegs (the scanned page's JPEG, for
 * thumbnails and uploads), whose JPEGs must be whole buffers.
 *
 * The harness is a header so that tests/unit/test_hostile.c replays the
 * seeds and regressions through this very code; fuzz_probe.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_PROBE_H
#define LICPACK_FUZZ_PROBE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "packet/probe.h"
#include "pdf/internal.h"

static void consistent(const file_info *in, probe_status st)
{
	if (st != in->status || (unsigned)in->status > PROBE_REFUSED ||
	    (unsigned)in->format >= FMT__COUNT)
		abort();
	if (in->status != PROBE_OK && (!in->reason_en || !in->reason_zh))
		abort();
	if (in->orientation < -1 || in->orientation > 8)
		abort();
	if (in->red_seal && in->pixels != COLOUR_COLOUR)
		abort();
	(void)format_name(in->format);
}

/* What a taker of a JPEG's decoded rows was given. */
typedef struct {
	uint32_t w, h, next;
	int begun, disorder;
} rows_seen;

static int rows_begin(void *ctx, uint32_t w, uint32_t h)
{
	rows_seen *r = ctx;
	r->begun++;
	r->w = w;
	r->h = h;
	return w > 0 && h > 0;
}

static void rows_row(void *ctx, uint32_t y, const uint8_t *rgb)
{
	rows_seen *r = ctx;
	volatile uint8_t touch = rgb[0] ^ rgb[(size_t)r->w * 3 - 1]; /* the whole row is there (ASan) */
	(void)touch;
	if (y != r->next++ || y >= r->h)
		r->disorder = 1;
}

static void probe_once(const uint8_t *data, size_t len)
{
	static const probe_limits lim = { 100000000ULL, 1 };
	file_info in;
	probe_status st = probe_buffer(data, len, &lim, &in);

	consistent(&in, st);
	if (in.format == FMT_JPEG) {
		/* again as a template asks, which skips the rows left once
		 * colour and seal are settled (jpeg_skip_scanlines) */
		static const probe_limits early = { 100000000ULL, PROBE_PIXELS_COLOUR | PROBE_PIXELS_SEAL };
		static const probe_limits none = { 100000000ULL, 0 };
		rows_seen seen = { 0 };
		const probe_rows rows = { rows_begin, rows_row, &seen, 240 };
		(void)probe_jpeg_embeddable(&in);
		st = probe_buffer(data, len, &early, &in);
		consistent(&in, st);
		/* and as a thumbnail takes the rows: in order, each once, all
		 * of them when the file is whole */
		st = probe_buffer_rows(data, len, &none, &rows, &in);
		consistent(&in, st);
		if (seen.begun > 1 || seen.disorder || (st == PROBE_OK && seen.begun && seen.next != seen.h))
			abort();
	}
	/* a scanned page's JPEG, as thumbnails and the upload folder take it */
	if (in.format == FMT_PDF && st == PROBE_OK) {
		pdf_jpeg_page pages[4];
		int n = pdf_page_jpegs(data, len, 0, 4, pages), found = 0;
		for (int i = 0; i < 4; i++) {
			if (pages[i].jpeg) {
				volatile uint8_t touch = pages[i].jpeg[0] ^ pages[i].jpeg[pages[i].len - 1];
				(void)touch;
				found++;
			}
			free(pages[i].jpeg);
		}
		if (found != n)
			abort();
	}
	/* the ICC profile readers of the build (pdf/icc.c), on the same bytes */
	if (in.format == FMT_JPEG || in.format == FMT_PNG) {
		size_t n = 0;
		uint8_t *icc = in.format == FMT_JPEG ? pdf_icc_from_jpeg(data, len, &n)
						     : pdf_icc_from_png(data, len, &n);
		if ((icc == NULL) != (n == 0))
			abort();
		free(icc);
	}
}

/* Rewrite the CRC of every whole chunk after the signature, in place. */
static void fix_png_crcs(uint8_t *d, size_t n)
{
	size_t p = 8;

	while (n - p >= 12) {
		uint32_t len = (uint32_t)d[p] << 24 | (uint32_t)d[p + 1] << 16 | (uint32_t)d[p + 2] << 8 | d[p + 3];
		if (len > n - p - 12)
			break;
		uint32_t crc = (uint32_t)crc32(0L, d + p + 4, (uInt)len + 4);
		uint8_t *c = d + p + 8 + len;
		c[0] = (uint8_t)(crc >> 24);
		c[1] = (uint8_t)(crc >> 16);
		c[2] = (uint8_t)(crc >> 8);
		c[3] = (uint8_t)crc;
		p += 12 + (size_t)len;
	}
}

static int fuzz_probe_one(const uint8_t *data, size_t size)
{
	probe_once(data, size);
	if (size > 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8)) {
		uint8_t *copy = malloc(size);
		if (!copy)
			return 0;
		memcpy(copy, data, size);
		fix_png_crcs(copy, size);
		if (memcmp(copy, data, size) != 0)
			probe_once(copy, size);
		free(copy);
	}
	return 0;
}

#endif
