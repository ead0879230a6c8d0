/*
 * testing: routes through pdf/ that only the tests take. The product always
 * takes the first (the direct route, our own font subset); these others stay
 * so that the unit tests can compare what the product makes with a
 * reference made another way:
 *   - the qpdf route: every packet written through qpdf, as the packets with
 *     PDF materials are (tests/unit/test_pdf_direct.c compares both routes);
 *   - libharu's font route: the font embedded by libharu itself, with only
 *     its composite-glyph bug worked around, or whole (tests/unit/test_font.c
 *     renders the cover with each and compares the pixels).
 * cmd/ never includes this header; pdf/ includes it where these routes are
 * defined.
 */
#ifndef LICPACK_PDF_TESTING_H
#define LICPACK_PDF_TESTING_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "packet/error.h"
#include "packet/output.h"
#include "pdf/font.h"
#include "pdf/packet_pdf.h"

/* ---- packet_pdf.c: the route to the file ---- */

typedef enum {
	PDF_ROUTE_AUTO = 0, /* libharu writes the file unless there are PDF materials */
	PDF_ROUTE_QPDF      /* tests only: always through qpdf */
} pdf_route;

/* Where a build goes: to path (renamed into place), into file (an
 * output_file the caller began and commits), or into memory (*mem,
 * *mem_len: the cover alone). */
typedef struct {
	const char *path;
	output_file *file;
	uint8_t **mem;
	size_t *mem_len;
} pdf_output;

/* pdf_write_packet and friends (packet_pdf.h), with the route to the file
 * chosen: they call it with PDF_ROUTE_AUTO. */
int pdf_write_packet_route(const pdf_packet_job *job, const pdf_output *out, int cover_only,
			  pdf_route route, int *pages, lp_err *err);

/* ---- font.c: libharu's font route ---- */

/* How the font goes into the PDF. PDF_FONT_SUBSET (what pdf_font_load does)
 * writes the font program, the widths and the CID-to-glyph map itself, from
 * the glyphs used (see pdf_font_fix_subset): libharu 2.3.0 would spend
 * 65,536 glyph look-ups on a map of every code point when the font is made,
 * and write all 49,000 glyph slots of wqy-microhei, for a page of text.
 * PDF_FONT_LIBHARU (tests only) leaves all of it to libharu, with only its
 * composite glyph bug worked around: the tests' reference. */
typedef enum { PDF_FONT_SUBSET = 0, PDF_FONT_LIBHARU } pdf_font_mode;

/* pdf_font_load with the route chosen. */
int pdf_font_load_mode(HPDF_Doc doc, const char *path, int index, pdf_font_mode mode, pdf_font **out,
		       lp_err *err);

/* Mark every glyph, so that the whole font is embedded (several MB): with
 * PDF_FONT_LIBHARU, the reference the rendering test compares the subset
 * against. */
void pdf_font_embed_whole(pdf_font *f);

/* libharu's used-glyph flags (1 = embed), one per glyph, and their count.
 * Read-only view for the tests; valid while the document lives. */
const unsigned char *pdf_font_glyph_flags(const pdf_font *f, unsigned *num_glyphs);

#endif
