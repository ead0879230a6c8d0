/*
 * font: the CJK font of the combined PDF, and text measured in it.
 *
 * The cover sheet is Chinese with English subtitles, so one TrueType font with
 * both hanzi and Latin glyphs (WenQuanYi Micro Hei on Debian) serves all text.
 * cjk_font_find() asks fontconfig for it; pdf_font_load() loads it into a
 * libharu document as a CID font with the UTF-8 encoder, embedded as a subset.
 *
 * libharu 2.3.0 (Debian 12's libhpdf 2.3.0+dfsg-1) builds that subset from the
 * glyphs the text uses, but not from the component glyphs that a composite
 * glyph refers to: many hanzi are composites (radical + phonetic part), so
 * without help 法 renders as 去 and 证 as 正 while pdftotext still reads them
 * right. pdf_font_fix_subset() repairs this before the document is saved:
 * HarfBuzz's hb-subset takes the closure of the used glyphs under "is a
 * component of" and makes the font program of those glyphs alone. No font
 * table is read here: libharu and HarfBuzz parse the file.
 *
 * The text helpers (text.c) measure and wrap UTF-8 with the widths libharu
 * itself uses to place text, so what is measured is what is drawn. Nothing here prints;
 * errors are return values plus, where useful, an lp_err (packet/error.h)
 * in both languages.
 */
#ifndef LICPACK_FONT_H
#define LICPACK_FONT_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "packet/error.h"

/* Find a font for Simplified Chinese that libharu can embed: TrueType outlines
 * (a glyf table; CFF-flavoured OpenType is skipped), preferring one that also
 * has Latin letters. Writes the file's path (NUL-terminated) and its index in
 * a TrueType collection (0 for a plain .ttf). Returns 0, or -1 when fontconfig
 * knows no such font or the path does not fit in pathlen. */
int cjk_font_find(char *path, size_t pathlen, int *index);

typedef struct pdf_font pdf_font;

/* Load font number index of the TrueType file or collection at path into doc,
 * switching the document to UTF-8 text (HPDF_UseUTFEncodings unless already
 * registered, and the current encoder), and embedding the font as a subset
 * that pdf_font_fix_subset() makes and which the document must not be saved
 * without. Loading the same face again gives a second handle on the same
 * libharu font. On success *out maps the font file and must be released
 * with pdf_font_free(), after the document has been saved; the HPDF_Font
 * inside belongs to doc. On failure returns -1, fills err (may be NULL;
 * the LP_E_FONT_* codes name why the file is refused) and clears the document's libharu error so that doc
 * stays usable. */
int pdf_font_load(HPDF_Doc doc, const char *path, int index, pdf_font **out,
		  lp_err *err);

/* The libharu font, for HPDF_Page_SetFontAndSize(). */
HPDF_Font pdf_font_handle(const pdf_font *f);

/* 1 when the font maps code point cp to a real glyph (not .notdef), else 0. */
int pdf_font_has_glyph(const pdf_font *f, uint32_t cp);

/* Make the subset, after the last text is drawn or measured and before the
 * document is saved: mark every glyph that a used glyph needs, directly or
 * through nested composites (the libharu 2.3.0 bug described above), and,
 * for PDF_FONT_SUBSET (pdf/testing.h), write the font program of those glyphs alone
 * (hb-subset), the widths of the code points drawn and their map to
 * the program's glyph ids into the font's dictionaries; for
 * PDF_FONT_LIBHARU, keep the font's glyph names (the 'post' table, which a
 * PDF does not use) out of libharu's subset. Calling it again is harmless
 * and takes in what was drawn since (a document saved twice, as the packet
 * is after its cover); the components an earlier call added then count as
 * drawn, so that a character drawn later whose glyph was one of them is
 * mapped too. Returns the number of glyphs it
 * newly marked, or -1 when memory runs out or the font cannot be subset. */
long pdf_font_fix_subset(pdf_font *f);

/* Release what pdf_font_load() allocated; the document is not touched, so
 * this may come before or after HPDF_Free(). NULL is fine. */
void pdf_font_free(pdf_font *f);

/* Width in points of utf8 drawn at size points, as HPDF_Page_ShowText() will
 * advance (no character or word spacing). Measuring marks the glyphs as used,
 * like drawing does: measure what you are going to draw. Bytes that are not
 * valid UTF-8 are measured as '?': pass text through pdf_text_clean() first. */
float pdf_text_width(const pdf_font *f, float size, const char *utf8);

/* Copy src into dst (dstlen bytes, NUL-terminated when dstlen > 0), making it
 * safe to draw: every byte that is not valid UTF-8, every control character
 * other than '\n' (a tab becomes a space) and every character outside the
 * Basic Multilingual Plane becomes '?'. libharu 2.3.0's UTF-8 encoder would
 * otherwise silently drop stray bytes and draw characters above U+FFFF as
 * spaces, and file names need not be UTF-8 at all. Never splits a character.
 * Returns the length the whole result needs, excluding the NUL, as snprintf
 * does: a result >= dstlen means dst was truncated. */
size_t pdf_text_clean(char *dst, size_t dstlen, const char *src);

/* One line of wrapped text: bytes [start, start + len) of the input, trailing
 * spaces excluded, and its width in points. */
typedef struct {
	size_t start;
	size_t len;
	float width;
} pdf_text_line;

/* Break utf8 into lines no wider than max_width points at size points.
 * Lines break between CJK characters, and between Latin words at spaces or
 * after '-', '/' and '_'; never before closing punctuation (，。、）》 ...) or
 * after opening punctuation (（《“ ...). A word longer than a line is split
 * between characters, and every line holds at least one character, so any
 * max_width makes progress. '\n' forces a break. Spaces at a soft break are
 * dropped. Fills up to max_lines entries of lines (may be NULL when
 * max_lines is 0) and sets *nlines to the number of lines the whole text
 * needs, which may be more. "" gives no lines. Returns 0, or -1 when f, utf8
 * or nlines is NULL. */
int pdf_text_wrap(const pdf_font *f, float size, const char *utf8, float max_width,
		  pdf_text_line *lines, size_t max_lines, size_t *nlines);

/* The subset pdf_font_fix_subset() last made (PDF_FONT_SUBSET): its glyphs
 * (glyph 0 included) and the length of its font program in bytes, before
 * the PDF's compression; 0 before the first. For tests and measurements. */
size_t pdf_font_subset_size(const pdf_font *f, unsigned long *glyphs);

#endif
