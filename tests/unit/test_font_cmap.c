/*
 * test_font_cmap: a --font whose cmap maps a character past the last glyph
 * is refused with a message naming the file and the character, instead of
 * libharu reading past its arrays (libharu 2.3.0 crashed in
 * HPDF_TTFontDef_GetCharBBox; found by fuzz_font). The fonts are subsets
 * of this machine's CJK font made by tests/tools/fontseed.h; the intact
 * subset must load, so the refusal is about the broken map alone. Also
 * refused: a map whose last segment does not end at U+FFFF (libharu's
 * search would run off its segments) and a map cut short.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pdf/font.h"
#include "tests/tools/fontseed.h"
#include "tests/unit/support.h"

static void out_file(char *path, size_t len, const char *name, const uint8_t *data, size_t n)
{
	const char *d = getenv("LICPACK_TEST_OUT");

	d = d && *d ? d : "tests/out";
	mkdir(d, 0777);
	snprintf(path, len, "%s/%s", d, name);
	write_file(path, data, n);
}

/* sub (len bytes) written as NAME after edit, loaded into a document of
 * its own: refused with why. The edit is undone after. */
static void expect_refused(const uint8_t *sub, size_t len, const char *name, size_t at, unsigned value,
			   lp_errcode code, const char *why)
{
	uint8_t *copy = malloc(len);
	char path[1100], want[1400];
	lp_err err;
	pdf_font *f = NULL;
	HPDF_Doc doc = HPDF_New(NULL, NULL);

	assert_non_null(copy);
	assert_non_null(doc);
	memcpy(copy, sub, len);
	fs_set16(copy + at, value);
	out_file(path, sizeof path, name, copy, len);
	assert_int_equal(pdf_font_load(doc, path, 0, &f, &err), -1);
	snprintf(want, sizeof want, "cannot use font '%s': %s", path, why);
	assert_string_equal(err.en, want);
	assert_int_equal(err.code, code);
	HPDF_Free(doc);
	free(copy);
}

static void test_cmap_shape(void **state)
{
	char font[1024];
	int index;
	uint8_t *sub;
	size_t len, map;
	unsigned seg2;

	(void)state;
	assert_int_equal(cjk_font_find(font, sizeof font, &index), 0);
	assert_int_equal(font_subset(font, index, FONTSEED_TEXT, &sub, &len), 0);
	assert_true((map = font_cmap4(sub, len)) > 0);
	seg2 = fs_u16(sub + map + 6);
	expect_refused(sub, len, "font_cmap_last_segment.ttf", map + 14 + seg2 - 2, 0xFFFE, LP_E_FONT_CMAP_END,
		       "invalid 'cmap' table (its last segment does not end at U+FFFF)");
	expect_refused(sub, len, "font_cmap_cut_short.ttf", map + 2, 16 + 4 * seg2 - 2, LP_E_FONT_CMAP_SHORT,
		       "invalid 'cmap' table (format 4 map cut short)");
	free(sub);
}

static void test_cmap_past_last_glyph(void **state)
{
	char font[1024], path[1100], want[1400];
	lp_err err;
	int index;
	uint8_t *sub;
	size_t len;
	long cp;
	unsigned n_glyphs;
	pdf_font *f = NULL;
	HPDF_Doc doc = HPDF_New(NULL, NULL);

	(void)state;
	assert_non_null(doc);
	assert_int_equal(cjk_font_find(font, sizeof font, &index), 0);
	assert_int_equal(font_subset(font, index, FONTSEED_TEXT, &sub, &len), 0);

	/* the subset as it is: a font libharu takes */
	out_file(path, sizeof path, "font_subset.ttf", sub, len);
	assert_int_equal(pdf_font_load(doc, path, 0, &f, &err), 0);
	pdf_font_free(f);
	f = NULL;
	/* a document of its own: libharu would find the intact face by its name */
	HPDF_Free(doc);
	assert_non_null(doc = HPDF_New(NULL, NULL));

	/* one segment of its map sent one past the last glyph */
	cp = font_break_cmap(sub, len);
	assert_true(cp > 0);
	n_glyphs = fs_u16(sub + fs_table(sub, len, "maxp", 6) + 4);
	out_file(path, sizeof path, "font_cmap_past_end.ttf", sub, len);
	assert_int_equal(pdf_font_load(doc, path, 0, &f, &err), -1);
	assert_null(f);
	snprintf(want, sizeof want, "cannot use font '%s': invalid 'cmap' table (U+%04lX maps to glyph %u of %u)",
		 path, cp, n_glyphs, n_glyphs);
	assert_string_equal(err.en, want);
	assert_int_equal(err.code, LP_E_FONT_CMAP_GLYPH);
	HPDF_ResetError(doc);
	free(sub);
	HPDF_Free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmap_past_last_glyph),
		cmocka_unit_test(test_cmap_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
