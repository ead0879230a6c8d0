/*
 * text: UTF-8 text measured, wrapped and made safe to draw in the CJK font
 * (the pdf_text_* functions of font.h), for the cover sheet's layout.
 *
 * Widths are libharu's own for the font (HPDF_Font_GetUnicodeWidth), summed
 * in the order HPDF_Page_TextWidth() sums them, so that what is measured is
 * what is drawn. Lines break as Chinese typesetting does: between CJK
 * characters, at spaces and after '-', '/' and '_' in Latin text, never
 * before closing or after opening punctuation. Nothing here prints or keeps
 * state.
 */
#include "pdf/font.h"

#include "packet/normalise.h"

#include <stdint.h>
#include <string.h>


/* The code point at s (NUL-terminated) and its length in bytes (at least 1):
 * a byte that does not start valid UTF-8 reads as '?', one byte long. */
static size_t next_cp(const char *s, uint32_t *cp)
{
	size_t avail = 0;
	size_t n;

	while (avail < 4 && s[avail] != '\0')
		avail++;
	n = utf8_decode(s, avail, cp);
	if (n == 0) {
		*cp = '?';
		n = 1;
	}
	return n;
}

/* Advance width of cp in thousandths of the font size, as libharu computes
 * it when placing text. */
static int cp_width(const pdf_font *f, uint32_t cp)
{
	/* libharu 2.3.0's UTF-8 encoder draws characters above U+FFFF as a
	 * space (UTF8_Encoder_ToUnicode_Func), so measure them as one. */
	if (cp > 0xFFFF)
		cp = ' ';
	return (int)HPDF_Font_GetUnicodeWidth(pdf_font_handle(f), (HPDF_UNICODE)cp);
}

/* Points from thousandths, in float and in the order HPDF_Page_TextWidth()
 * computes them, so that the result equals libharu's to the last bit. */
static float units_to_points(long units, float size)
{
	return (float)units * size / 1000;
}

float pdf_text_width(const pdf_font *f, float size, const char *utf8)
{
	long units = 0;

	if (f == NULL || utf8 == NULL)
		return 0;
	while (*utf8 != '\0') {
		uint32_t cp;

		utf8 += next_cp(utf8, &cp);
		units += cp_width(f, cp);
	}
	return units_to_points(units, size);
}

size_t pdf_text_clean(char *dst, size_t dstlen, const char *src)
{
	size_t need = 0, used = 0;
	int full = 0;

	if (src == NULL)
		src = "";
	while (*src != '\0') {
		uint32_t cp;
		size_t avail = 0, n;

		while (avail < 4 && src[avail] != '\0')
			avail++;
		n = utf8_decode(src, avail, &cp);
		if (n == 0) {
			cp = '?';
			n = 1;
		} else if (cp == '\t') {
			cp = ' ';
		} else if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0) || cp > 0xFFFF) {
			cp = '?';
		}
		/* What is copied: the original bytes for a character kept,
		 * one ASCII byte for a replacement. */
		char ascii = (char)cp;
		const char *bytes = cp < 0x80 ? &ascii : src;
		size_t len = cp < 0x80 ? 1 : n;

		if (!full && dstlen > 0 && used + len < dstlen) {
			memcpy(dst + used, bytes, len);
			used += len;
		} else {
			full = 1; /* never resume after a character that did not fit */
		}
		need += len;
		src += n;
	}
	if (dstlen > 0)
		dst[used] = '\0';
	return need;
}

static int is_wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x11FF) ||  /* Hangul Jamo */
	       (c >= 0x2E80 && c <= 0x303F) ||  /* CJK radicals, symbols, punctuation */
	       (c >= 0x3040 && c <= 0x4DBF) ||  /* kana, bopomofo, ..., extension A */
	       (c >= 0x4E00 && c <= 0x9FFF) ||  /* CJK unified ideographs */
	       (c >= 0xA000 && c <= 0xA4CF) ||  /* Yi */
	       (c >= 0xAC00 && c <= 0xD7AF) ||  /* Hangul syllables */
	       (c >= 0xF900 && c <= 0xFAFF) ||  /* compatibility ideographs */
	       (c >= 0xFE30 && c <= 0xFE4F) ||  /* CJK compatibility forms */
	       (c >= 0xFF00 && c <= 0xFFEF);    /* full-width forms */
}

/* Closing punctuation: a line must not start with it. */
static int no_break_before(uint32_t c)
{
	static const uint32_t set[] = {
		',', '.', ';', ':', '!', '?', ')', ']', '}', '%',
		0x3001, 0x3002, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, /* 、。〉》」』】〕 */
		0x2019, 0x201D, 0x2026, 0x00B7,                                 /* ’”…· */
		0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D, 0xFF5D,
	};
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (c == set[i])
			return 1;
	return 0;
}

/* Opening punctuation: a line must not end with it. */
static int no_break_after(uint32_t c)
{
	static const uint32_t set[] = {
		'(', '[', '{',
		0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, /* 〈《「『【〔 */
		0x2018, 0x201C, 0xFF08, 0xFF3B, 0xFF5B,         /* ‘“（［｛ */
	};
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (c == set[i])
			return 1;
	return 0;
}

/* Whether a line may break between a and b. */
static int may_break(uint32_t a, uint32_t b)
{
	if (b == ' ' || no_break_before(b) || no_break_after(a))
		return 0;
	if (a == ' ' || a == '-' || a == '/' || a == '_')
		return 1;
	return is_wide(a) || is_wide(b);
}

/* Width in thousandths of [start, end) of s. */
static long span_units(const pdf_font *f, const char *s, size_t start, size_t end)
{
	long units = 0;

	for (size_t i = start; i < end;) {
		uint32_t cp;

		i += next_cp(s + i, &cp);
		units += cp_width(f, cp);
	}
	return units;
}

static void emit_line(const pdf_font *f, float size, const char *s, size_t start,
		      size_t end, pdf_text_line *lines, size_t max_lines, size_t *n)
{
	while (end > start && s[end - 1] == ' ')
		end--;
	if (*n < max_lines) {
		lines[*n].start = start;
		lines[*n].len = end - start;
		lines[*n].width = units_to_points(span_units(f, s, start, end), size);
	}
	(*n)++;
}

int pdf_text_wrap(const pdf_font *f, float size, const char *utf8, float max_width,
		  pdf_text_line *lines, size_t max_lines, size_t *nlines)
{
	size_t pos = 0, n = 0;

	if (f == NULL || utf8 == NULL || nlines == NULL)
		return -1;
	if (lines == NULL)
		max_lines = 0;
	while (utf8[pos] != '\0') {
		size_t start = pos, p = pos, brk = 0;
		long units = 0;
		uint32_t prev = 0;
		int ink = 0; /* a character other than a space on this line */

		for (;;) {
			uint32_t cp;
			size_t len;

			if (utf8[p] == '\0') {
				emit_line(f, size, utf8, start, p, lines, max_lines, &n);
				pos = p;
				break;
			}
			len = next_cp(utf8 + p, &cp);
			if (cp == '\n') {
				emit_line(f, size, utf8, start, p, lines, max_lines, &n);
				pos = p + len;
				break;
			}
			if (ink && may_break(prev, cp))
				brk = p;
			units += cp_width(f, cp);
			/* A space never overflows: it hangs at the line's end.
			 * The test is on the width emit_line() will report. */
			if (cp != ' ' && ink && units_to_points(units, size) > max_width) {
				pos = brk > start ? brk : p;
				emit_line(f, size, utf8, start, pos, lines, max_lines, &n);
				while (utf8[pos] == ' ')
					pos++;
				break;
			}
			if (cp != ' ')
				ink = 1;
			prev = cp;
			p += len;
		}
	}
	*nlines = n;
	return 0;
}
