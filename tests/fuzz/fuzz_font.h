/*
 * fuzz_font: the TrueType glyf/loca reader behind pdf_font_fix_subset(), on
 * arbitrary font data.
 *
 * The first byte picks the face index (a collection has several); the rest
 * is the font file. On a font that parses, the closure runs from a set of
 * used glyphs taken from the data, and every glyph's component list is read.
 * Checked: the closure only ever adds flags, everything it adds is a
 * component of a flagged glyph, and a second closure adds nothing. Then the
 * subset program of those glyphs (ttf_subset_make) must read back as a
 * font of exactly those glyphs, in order, each the same bytes but for its
 * components' ids, which must be the new ids of the old components, and
 * must have the checksum every TrueType file has.
 *
 * The harness is a header so that tests/unit/test_hostile.c replays the
 * seeds and regressions through this very code; fuzz_font.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_FONT_H
#define LICPACK_FUZZ_FONT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/font.h"

static int fuzz_font_one(const uint8_t *data, size_t size)
{
	ttf_glyf g;
	char err[128];
	unsigned char *flags, *before;
	uint16_t comps[8];
	unsigned i;
	long added;

	if (size < 1)
		return 0;
	/* an exact-size copy, so that ASan sees any read past the font */
	uint8_t *font = malloc(size - 1 ? size - 1 : 1);
	if (!font)
		return 0;
	memcpy(font, data + 1, size - 1);
	if (ttf_glyf_parse(font, size - 1, data[0] & 3, &g, err, sizeof err) != 0) {
		if (!err[0])
			abort();
		free(font);
		return 0;
	}
	flags = calloc(g.num_glyphs, 1);
	before = calloc(g.num_glyphs, 1);
	if (!flags || !before)
		abort();
	/* used glyphs: glyph 0 and every glyph whose index appears as a byte */
	flags[0] = 1;
	for (i = 1; i < size && i < 64; i++)
		if (data[i] < g.num_glyphs)
			flags[data[i]] = 1;
	memcpy(before, flags, g.num_glyphs);
	added = ttf_glyf_closure(&g, flags);
	if (added < 0)
		abort();
	long count = 0;
	for (i = 0; i < g.num_glyphs; i++) {
		if (before[i] && !flags[i])
			abort();
		count += flags[i] && !before[i];
	}
	if (count != added)
		abort();
	if (ttf_glyf_closure(&g, flags) != 0)
		abort();
	for (i = 0; i < g.num_glyphs; i++) {
		long n = ttf_glyf_components(&g, i, comps, sizeof comps / sizeof comps[0]);
		for (long k = 0; k < n && k < 8; k++)
			if (comps[k] >= g.num_glyphs || (flags[i] && !flags[comps[k]]))
				abort();
	}
	(void)ttf_glyf_components(&g, g.num_glyphs, comps, 8);
	{
		ttf_subset sub;
		ttf_glyf h;
		unsigned n = 0, k = 0;
		if (ttf_subset_make(&g, flags, &sub, err, sizeof err) == 0) {
			uint32_t sum = 0;
			for (size_t b = 0; b + 4 <= sub.len; b += 4)
				sum += (uint32_t)sub.data[b] << 24 | (uint32_t)sub.data[b + 1] << 16 |
				       (uint32_t)sub.data[b + 2] << 8 | sub.data[b + 3];
			if (sub.len % 4 || sum != 0xB1B0AFBAu)
				abort();
			if (ttf_glyf_parse(sub.data, sub.len, 0, &h, err, sizeof err) != 0)
				abort();
			for (i = 0; i < g.num_glyphs; i++)
				n += i == 0 || flags[i];
			if (h.num_glyphs != n || sub.num_glyphs != n)
				abort();
			for (i = 0; i < g.num_glyphs; i++) {
				uint16_t oc[8], nc[8];
				long a, b;
				if (i != 0 && !flags[i])
					continue;
				if (sub.new_gid[i] != k++)
					abort();
				a = ttf_glyf_components(&g, i, oc, 8);
				b = ttf_glyf_components(&h, sub.new_gid[i], nc, 8);
				if (a >= 0 && a != b)
					abort();
				for (long c = 0; c < a && c < 8; c++)
					if (nc[c] != sub.new_gid[oc[c]])
						abort();
			}
			ttf_glyf_release(&h);
		} else if (!err[0]) {
			abort();
		}
		ttf_subset_release(&sub);
	}
	free(flags);
	free(before);
	ttf_glyf_release(&g);
	free(font);
	return 0;
}

#endif
