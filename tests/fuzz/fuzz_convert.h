/*
 * fuzz_convert: convert_buffer() (packet/convert.h) on arbitrary bytes that
 * sniff as HEIC/HEIF, WebP, TIFF, BMP or GIF, as check.c calls it, with a
 * pixel limit of 1 megapixel (the product's is 100) and at most 8 TIFF
 * pages. What a page costs goes with the pixels it declares, not with the
 * bytes of the file: a 1 KB TIFF declaring 16 megapixels of blank took
 * 0.3 s to convert twice under ASan, and 8 pages of 4 megapixels 0.5 s, over
 * the 2-second limit on a busy machine; the limit is the product's defence (--max-pixels), and a lower
 * one here keeps the fuzzer on finding bugs rather than slow pages. Office documents are left out: converting one runs
 * LibreOffice, a process, not a decoder of ours.
 *
 * Beyond "no crash, no leak, no read outside the buffer": a conversion
 * either succeeds, and then its output is a whole JPEG, PNG or PDF that the
 * probe accepts as the format it says, with a method named; or it fails
 * with a status of corrupt or too large and a reason in both languages.
 * The same input converted twice gives the same bytes (check.c converts a
 * file again for the packet and compares SHA-256 sums).
 *
 * A header so that tests/unit/test_hostile.c replays the seeds through this
 * very code; fuzz_convert.c is libFuzzer's entry point. The seeds are made
 * by tests/fuzz/seeds-convert.sh.
 */
#ifndef LICPACK_FUZZ_CONVERT_H
#define LICPACK_FUZZ_CONVERT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/convert.h"
#include "packet/probe.h"

static int fuzz_convert_one(const uint8_t *data, size_t size)
{
	static const convert_limits lim = { 1000000ULL, 8, 1, "/nonexistent/soffice", PROBE_PIXELS_ALL };
	file_info in, fail, out_info;
	convert_info ci, ci2;
	uint8_t *out = NULL, *again = NULL;
	size_t n = 0, n2 = 0;
	int rc, rc2;

	probe_buffer(data, size, NULL, &in);
	if (in.format == FMT_ZIP || in.format == FMT_OLE || !convert_wanted(in.format, data, size))
		return 0;
	rc = convert_buffer(data, size, in.format, NULL, &lim, &out, &n, &ci, &fail);
	if (rc < 0)
		return 0;  /* out of memory */
	if (rc > 0) {
		if ((fail.status != PROBE_CORRUPT && fail.status != PROBE_TOO_LARGE) || !fail.reason_en ||
		    !fail.reason_zh || fail.format != in.format || out)
			abort();
		return 0;
	}
	if (!out || n == 0 || ci.from != in.format || !ci.method[0] || ci.pages < 1 ||
	    (ci.to != FMT_JPEG && ci.to != FMT_PNG && ci.to != FMT_PDF))
		abort();
	/* a PDF is probed through libqpdf: only the images here */
	if (ci.to != FMT_PDF &&
	    (probe_buffer(out, n, NULL, &out_info) != PROBE_OK || out_info.format != ci.to))
		abort();
	rc2 = convert_buffer(data, size, in.format, NULL, &lim, &again, &n2, &ci2, &fail);
	if (rc2 == 0 && (n2 != n || memcmp(again, out, n) != 0))
		abort();
	free(again);
	free(out);
	return 0;
}

#endif
