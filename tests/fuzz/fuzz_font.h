/*
 * fuzz_font: a --font file, as build uses it. The input is written to a
 * file and loaded (pdf_font_load: HarfBuzz reads the face, libharu loads it
 * for the PDF); a font that loads must then measure, wrap and draw text on
 * a page, be subset (hb-subset) and be saved: libharu 2.3.0 trusts the
 * font's tables while doing so, and a font it would read past its arrays
 * for must be refused at load. Properties checked, not just "no crash":
 * a refusal says why and leaves the document without a libharu error; a
 * width is finite and not negative; the saved PDF starts "%PDF-".
 *
 * Seeds are made when the fuzzer runs (tests/tools/mkfontseed: subsets of
 * this machine's CJK font, one intact and one whose cmap maps past the last
 * glyph, the input that crashed libharu): no font is kept in the repository.
 * The harness is a header, as the others are; fuzz_font.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_FONT_H
#define LICPACK_FUZZ_FONT_H

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "pdf/font.h"

/* The file each input is written to (one per fuzzing process). */
static char fuzz_font_path[64];

static int fuzz_font_init(void)
{
	int fd;

	snprintf(fuzz_font_path, sizeof fuzz_font_path, "/tmp/licpack-fuzz-font-XXXXXX");
	if ((fd = mkstemp(fuzz_font_path)) < 0)
		return -1;
	close(fd);
	return 0;
}

static void fuzz_font_draw(HPDF_Doc doc, pdf_font *f)
{
	static const char *const texts[] = { "材料清单 Materials: 营业执照 (1/2)", "ICP 证书 A-Z a-z 0-9",
					     "，。、（）《》“”" };
	HPDF_Page page = HPDF_AddPage(doc);
	pdf_text_line lines[8];
	size_t n;

	if (!page || HPDF_Page_SetFontAndSize(page, pdf_font_handle(f), 12) != HPDF_OK)
		return;
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		float w = pdf_text_width(f, 12, texts[t]);
		if (!(w >= 0) || !isfinite(w))
			abort();
		if (pdf_text_wrap(f, 12, texts[t], 80, lines, 8, &n) != 0)
			abort();
		HPDF_Page_BeginText(page);
		HPDF_Page_TextOut(page, 20, 700 - 20 * (float)t, texts[t]);
		HPDF_Page_EndText(page);
	}
}

static int fuzz_font_one(const uint8_t *data, size_t size)
{
	HPDF_Doc doc;
	pdf_font *f = NULL;
	lp_err err;
	int fd, index = size >= 4 && memcmp(data, "ttcf", 4) == 0 ? data[size - 1] % 4 : 0;

	if (!fuzz_font_path[0] && fuzz_font_init() != 0)
		return 0;
	if ((fd = open(fuzz_font_path, O_WRONLY | O_TRUNC)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	close(fd);
	if (!(doc = HPDF_New(NULL, NULL)))
		return 0;
	lp_error_clear(&err);
	if (pdf_font_load(doc, fuzz_font_path, index, &f, &err) != 0) {
		/* a refusal always says why, with a code, in both languages */
		if (err.code == LP_OK || !err.en[0] || !err.zh[0] || HPDF_GetError(doc) != HPDF_OK)
			abort();
	} else {
		fuzz_font_draw(doc, f);
		if (pdf_font_fix_subset(f) >= 0 && HPDF_SaveToStream(doc) == HPDF_OK) {
			char head[5] = "";
			HPDF_UINT32 len = sizeof head;
			HPDF_ResetStream(doc);
			if (HPDF_ReadFromStream(doc, (HPDF_BYTE *)head, &len) != HPDF_OK || len != 5 ||
			    memcmp(head, "%PDF-", 5) != 0)
				abort();
		}
	}
	HPDF_Free(doc);
	pdf_font_free(f);
	return 0;
}

#endif
