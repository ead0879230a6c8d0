/*
 * fontseed: small TrueType fonts for the font tests and the fuzz_font
 * seeds, made from the CJK font this machine has (cjk_font_find) by
 * HarfBuzz's subsetter: a few glyphs, a few kilobytes, nothing copied into
 * the repository. font_break_cmap() turns one into the font that crashed
 * libharu 2.3.0: a format 4 cmap segment mapping past the last glyph.
 *
 * Header-only (static functions), shared by tests/unit/test_font_cmap.c
 * and tests/tools/mkfontseed.c.
 */
#ifndef LICPACK_FONTSEED_H
#define LICPACK_FONTSEED_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>

/* The characters of a seed: Latin, digits and the cover's common hanzi. */
#define FONTSEED_TEXT "AZaz09:-()/ 材料清单营业执照申请表证书"

/* Face index of path subset to the code points of text (UTF-8) into *out
 * (malloc'ed) of *len bytes. Returns 0, or -1. */
static int font_subset(const char *path, int index, const char *text, uint8_t **out, size_t *len)
{
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path), *res;
	hb_face_t *face, *sub = NULL;
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_buffer_t *buf = hb_buffer_create();
	unsigned n = 0;
	hb_glyph_info_t *gi;
	const char *data;
	unsigned dlen = 0;
	int ret = -1;

	*out = NULL;
	*len = 0;
	if (!blob || !in)
		goto cleanup;
	face = hb_face_create(blob, (unsigned)index);
	hb_buffer_add_utf8(buf, text, -1, 0, -1);
	gi = hb_buffer_get_glyph_infos(buf, &n);
	for (unsigned i = 0; i < n; i++)
		hb_set_add(hb_subset_input_unicode_set(in), gi[i].codepoint);
	sub = hb_subset_or_fail(face, in);
	hb_face_destroy(face);
	if (!sub)
		goto cleanup;
	res = hb_face_reference_blob(sub);
	data = hb_blob_get_data(res, &dlen);
	if (dlen && (*out = malloc(dlen)) != NULL) {
		memcpy(*out, data, dlen);
		*len = dlen;
		ret = 0;
	}
	hb_blob_destroy(res);
cleanup:
	hb_face_destroy(sub);
	hb_buffer_destroy(buf);
	hb_subset_input_destroy(in);
	hb_blob_destroy(blob);
	return ret;
}

static unsigned fs_u16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t fs_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void fs_set16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Offset of table tag in the single font f (len bytes), or 0. */
static size_t fs_table(const uint8_t *f, size_t len, const char *tag, size_t min_len)
{
	unsigned n = len >= 12 ? fs_u16(f + 4) : 0;

	for (unsigned i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= len; i++) {
		const uint8_t *r = f + 12 + 16 * (size_t)i;
		uint32_t off = fs_u32(r + 8), tlen = fs_u32(r + 12);
		if (memcmp(r, tag, 4) == 0 && tlen >= min_len && off <= len && tlen <= len - off)
			return off;
	}
	return 0;
}

/* Offset of the first Windows Unicode (3,1) format 4 map in f (a single
 * font), as libharu picks it, or 0. */
static size_t font_cmap4(const uint8_t *f, size_t len)
{
	size_t cmap = fs_table(f, len, "cmap", 4);
	unsigned n_sub = cmap ? fs_u16(f + cmap + 2) : 0;

	for (unsigned i = 0; i < n_sub && cmap + 4 + 8 * (size_t)(i + 1) <= len; i++) {
		const uint8_t *r = f + cmap + 4 + 8 * (size_t)i;
		size_t sub = cmap + fs_u32(r + 4);
		if (fs_u16(r) == 3 && fs_u16(r + 2) == 1 && sub + 16 <= len && fs_u16(f + sub) == 4)
			return sub;
	}
	return 0;
}

/* In f, make the first segment of that map send its first code point to
 * glyph numGlyphs (one past the last). Returns that code point, or -1 when
 * f has no such map. */
static long font_break_cmap(uint8_t *f, size_t len)
{
	size_t maxp = fs_table(f, len, "maxp", 6), sub = font_cmap4(f, len);
	unsigned n_glyphs, seg2, start;

	if (!maxp || !sub)
		return -1;
	n_glyphs = fs_u16(f + maxp + 4);
	seg2 = fs_u16(f + sub + 6);
	if (seg2 < 2 || sub + 16 + 4 * (size_t)seg2 > len)
		return -1;
	start = fs_u16(f + sub + 16 + seg2);
	/* idDelta so that start + delta = numGlyphs (mod 65536), no idRangeOffset */
	fs_set16(f + sub + 16 + 2 * (size_t)seg2, (n_glyphs - start) & 0xFFFF);
	fs_set16(f + sub + 16 + 3 * (size_t)seg2, 0);
	return (long)start;
}

#endif
