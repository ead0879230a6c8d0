/*
 * font: the CJK font of the combined PDF, and text measured in it.
 *
 * cjk_font_find() asks a private fontconfig configuration, built and
 * destroyed per call, so this module keeps no global state. The pdf_font
 * layer loads one face of a .ttf or .ttc into libharu and makes its
 * embedded subset with HarfBuzz's hb-subset: the glyphs drawn, every
 * component a composite glyph needs (the glyph closure libharu 2.3.0 gets
 * wrong, see font.h), and only the tables a PDF font program needs; the
 * widths, the CID-to-glyph map and a correct ToUnicode CMap are written
 * here. Of the font's tables this module reads two numbers itself (head's
 * unitsPerEm and hhea's numberOfHMetrics, which libharu trusts to its
 * harm): libharu and HarfBuzz parse the file. The text helpers declared in font.h are in text.c.
 */
#include "pdf/font.h"
#include "pdf/internal.h"
#include "pdf/testing.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hb-subset.h>
#include <hb.h>

/* Bigger than any CJK TrueType collection shipped today (a full Noto CJK
 * TTC is about 30 MB); a larger "font" is more likely a wrong path. */
#define FONT_MAX_BYTES ((size_t)256 << 20)

/* ---- finding a font ------------------------------------------------------ */

/* Whether a fontconfig font pattern is one libharu can embed for Chinese
 * text; with need_latin, also whether it has Latin letters and digits. */
static int usable_face(FcPattern *p, int need_latin)
{
	FcChar8 *s;
	FcLangSet *langs;
	FcCharSet *chars;
	int idx;
	FcBool variable;

	if (FcPatternGetString(p, FC_FONTFORMAT, 0, &s) != FcResultMatch ||
	    strcmp((const char *)s, "TrueType") != 0)
		return 0;
	if (FcPatternGetInteger(p, FC_INDEX, 0, &idx) != FcResultMatch || idx < 0 ||
	    (idx >> 16) != 0)
		return 0; /* high bits: a named instance of a variable font */
	if (FcPatternGetBool(p, FC_VARIABLE, 0, &variable) == FcResultMatch && variable)
		return 0;
	if (FcPatternGetLangSet(p, FC_LANG, 0, &langs) != FcResultMatch ||
	    FcLangSetHasLang(langs, (const FcChar8 *)"zh-cn") != FcLangEqual)
		return 0;
	if (need_latin) {
		if (FcPatternGetCharSet(p, FC_CHARSET, 0, &chars) != FcResultMatch)
			return 0;
		for (const char *c = "Aaz09"; *c; c++)
			if (!FcCharSetHasChar(chars, (FcChar32)*c))
				return 0;
	}
	return FcPatternGetString(p, FC_FILE, 0, &s) == FcResultMatch;
}

int cjk_font_find(char *path, size_t pathlen, int *index)
{
	FcConfig *cfg = NULL;
	FcPattern *pat = NULL;
	FcFontSet *set = NULL;
	FcResult res;
	int ret = -1;

	if (path == NULL || pathlen == 0 || index == NULL)
		return -1;
	/* A configuration of our own, not fontconfig's process-wide one, so
	 * that everything is freed when we are done. */
	cfg = FcInitLoadConfigAndFonts();
	if (cfg == NULL)
		goto cleanup;
	pat = FcPatternCreate();
	if (pat == NULL || !FcPatternAddString(pat, FC_LANG, (const FcChar8 *)"zh-cn"))
		goto cleanup;
	if (!FcConfigSubstitute(cfg, pat, FcMatchPattern))
		goto cleanup;
	FcDefaultSubstitute(pat);
	set = FcFontSort(cfg, pat, FcFalse, NULL, &res);
	if (set == NULL)
		goto cleanup;
	/* fontconfig's order is the user's preference; take the first font
	 * that fits, and accept one without Latin only when none has it. */
	for (int need_latin = 1; need_latin >= 0 && ret != 0; need_latin--) {
		for (int i = 0; i < set->nfont; i++) {
			FcChar8 *file;
			int idx;

			if (!usable_face(set->fonts[i], need_latin))
				continue;
			FcPatternGetString(set->fonts[i], FC_FILE, 0, &file);
			FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &idx);
			if (strlen((const char *)file) >= pathlen)
				continue;
			strcpy(path, (const char *)file);
			*index = idx;
			ret = 0;
			break;
		}
	}
cleanup:
	if (set != NULL)
		FcFontSetDestroy(set);
	if (pat != NULL)
		FcPatternDestroy(pat);
	if (cfg != NULL)
		FcConfigDestroy(cfg);
	return ret;
}

/* ---- the libharu font ---------------------------------------------------- */

struct pdf_font {
	HPDF_Font font;            /* owned by the document */
	HPDF_Doc doc;
	HPDF_FontDef def;
	HPDF_TTFontDefAttr tt;     /* libharu's parsed face, inside the document */
	pdf_font_mode mode;
	uint8_t *data;             /* the font file, mapped */
	size_t size;
	hb_blob_t *blob;           /* data, for HarfBuzz */
	hb_face_t *face;           /* the face, as HarfBuzz reads it */
	hb_face_t *program_face;   /* its font program's tables (program_table) */
	unsigned num_glyphs;
	/* PDF_FONT_SUBSET: the program made by pdf_font_fix_subset, in the
	 * document (made on its first call, filled again on later ones) */
	HPDF_Dict program;
	unsigned long subset_glyphs; /* glyphs it holds: 0 before the first */
	size_t subset_bytes;         /* its length, before compression */
};

/* Map a whole regular file read-only. The font is a system file (or one
 * given with --font) that nobody shrinks while a build runs; reading only
 * the pages used makes a page of text cheap. The open does not wait: a
 * FIFO or a device named as the font is refused, not read until someone
 * writes to it. Returns 0, or -1 with err. */
static int map_font_file(const char *path, uint8_t **out, size_t *outlen,
			 lp_err *err)
{
	struct stat st;
	void *p;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		return lp_fail_sys(err, LP_E_FONT_OPEN, errno, path);
	}
	if (fstat(fd, &st) != 0) {
		lp_fail_sys(err, LP_E_FONT_READ, errno, path);
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		lp_fail(err, LP_E_FONT_NOT_REGULAR, path);
		goto cleanup;
	}
	if ((uint64_t)st.st_size > FONT_MAX_BYTES) {
		char mib[24];
		snprintf(mib, sizeof mib, "%zu", FONT_MAX_BYTES >> 20);
		lp_fail(err, LP_E_FONT_TOO_LARGE, path, mib);
		goto cleanup;
	}
	if (st.st_size < 12) {
		lp_fail(err, LP_E_FONT_TOO_SHORT, path);
		goto cleanup;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		lp_fail_sys(err, LP_E_FONT_READ, errno, path);
		goto cleanup;
	}
	*out = p;
	*outlen = (size_t)st.st_size;
	ret = 0;
cleanup:
	close(fd);
	return ret;
}

/* The tables of a CIDFontType2 font program (ISO 32000-1 9.9: head, hhea,
 * hmtx, loca, maxp, glyf; cvt, fpgm and prep when the face has them). */
static const char PROGRAM_TABLES[][5] = { "head", "hhea", "hmtx", "loca", "maxp", "glyf",
					  "cvt ", "fpgm", "prep" };

/* The face as hb-subset sees it: those tables of the real face, and no
 * other. What is not there is neither copied nor followed: no glyph joins
 * for a substitution (GSUB) the PDF never makes, and the character map,
 * which HarfBuzz would otherwise read whole for every subset (20 of the
 * 24 ms of a cover sheet's subset here), is not read at all. */
static hb_blob_t *program_table(hb_face_t *face, hb_tag_t tag, void *user_data)
{
	(void)face;
	for (size_t i = 0; i < sizeof PROGRAM_TABLES / sizeof PROGRAM_TABLES[0]; i++)
		if (hb_tag_from_string(PROGRAM_TABLES[i], 4) == tag)
			return hb_face_reference_table(user_data, tag);
	return hb_blob_get_empty();
}

/* 1 when HarfBuzz finds table tag in the face, with at least one byte. */
static int has_table(hb_face_t *face, hb_tag_t tag)
{
	hb_blob_t *t = hb_face_reference_table(face, tag);
	int has = hb_blob_get_length(t) > 0;

	hb_blob_destroy(t);
	return has;
}

#define NO_TABLE 0x10000u

/* The big-endian 16-bit number at byte off of table tag, which must be at
 * least min_len bytes long (else 0); NO_TABLE when the face has no such
 * table. The only numbers of the font this module reads itself: those
 * libharu 2.3.0 trusts to its harm. */
static unsigned table_u16(hb_face_t *face, hb_tag_t tag, unsigned min_len, unsigned off)
{
	hb_blob_t *t = hb_face_reference_table(face, tag);
	unsigned len = 0, v;
	const uint8_t *p = (const uint8_t *)hb_blob_get_data(t, &len);

	v = len == 0 ? NO_TABLE : len >= min_len && off + 2 <= len ? (unsigned)p[off] << 8 | p[off + 1] : 0;
	hb_blob_destroy(t);
	return v;
}

/* The glyph libharu 2.3.0 (HPDF_TTFontDef_GetGlyphid) finds for code point
 * cp in segment i of the format 4 map m (n bytes, its glyph id array of
 * count entries), or -1 when it would read one entry past that array. */
static long map4_glyph(const uint8_t *m, unsigned seg_count, unsigned count, unsigned i, unsigned cp)
{
	const uint8_t *start = m + 16 + 2 * seg_count, *delta = start + 2 * seg_count, *range = delta + 2 * seg_count;
	unsigned ro = lp_be16(range + 2 * i), idx;

	if (ro == 0)
		return (cp + lp_be16(delta + 2 * i)) & 0xFFFF;
	idx = ro / 2 + (cp - lp_be16(start + 2 * i)) - (seg_count - i);
	if (idx > count)
		return 0;
	if (idx == count)
		return -1;
	return (lp_be16(range + 2 * seg_count + 2 * idx) + lp_be16(delta + 2 * i)) & 0xFFFF;
}

/* libharu 2.3.0 looks characters up in its own reading of the cmap (the
 * first Windows Unicode (3,1) map of format 4) and reads the glyph's loca
 * entry and metrics without a bound, while loading too (the heights of 'H'
 * and 'x'): a map naming a glyph past numGlyphs, one whose glyph id array
 * is read one entry past its end, or whose last segment does not end at
 * U+FFFF (the search runs off the segments) makes it read past its arrays
 * (a crash in HPDF_TTFontDef_GetCharBBox, found by fuzzing). The map is
 * read here as libharu will read it, before libharu sees the font. */
static int cmap_in_range(hb_face_t *face, unsigned num_glyphs, const char *path, lp_err *err)
{
	hb_blob_t *t = hb_face_reference_table(face, HB_TAG('c', 'm', 'a', 'p'));
	unsigned len = 0, n_sub, seg_count, count, length;
	const uint8_t *p = (const uint8_t *)hb_blob_get_data(t, &len), *m = NULL;
	char u[8], gs[24], ns[16];
	int ret = 0;

	n_sub = len >= 4 ? lp_be16(p + 2) : 0;
	for (unsigned i = 0; i < n_sub && 4 + 8 * (i + 1) <= len && !m; i++) {
		const uint8_t *r = p + 4 + 8 * i;
		uint32_t off = (uint32_t)lp_be16(r + 4) << 16 | lp_be16(r + 6);
		if (lp_be16(r) == 3 && lp_be16(r + 2) == 1 && off <= len - 2 && lp_be16(p + off) == 4)
			m = p + off;
	}
	if (!m)
		goto done; /* libharu refuses the font itself */
	seg_count = (size_t)(m - p) + 14 <= len ? lp_be16(m + 6) / 2 : 0;
	length = seg_count ? lp_be16(m + 2) : 0;
	if (!seg_count || length < 16 + 8 * seg_count || (size_t)(m - p) + length > len) {
		ret = lp_fail(err, LP_E_FONT_CMAP_SHORT, path);
		goto done;
	}
	count = (length - (16 + 8 * seg_count)) / 2;
	if (lp_be16(m + 14 + 2 * (seg_count - 1)) != 0xFFFF) {
		ret = lp_fail(err, LP_E_FONT_CMAP_END, path);
		goto done;
	}
	for (unsigned i = 0; i < seg_count && !ret; i++)
		for (unsigned cp = lp_be16(m + 16 + 2 * seg_count + 2 * i); cp <= lp_be16(m + 14 + 2 * i) && !ret; cp++) {
			long g = map4_glyph(m, seg_count, count, i, cp);
			snprintf(u, sizeof u, "%04X", cp);
			if (g < 0) {
				ret = lp_fail(err, LP_E_FONT_CMAP_PAST, path, u);
			} else if ((unsigned long)g >= num_glyphs) {
				snprintf(gs, sizeof gs, "%ld", g);
				snprintf(ns, sizeof ns, "%u", num_glyphs);
				ret = lp_fail(err, LP_E_FONT_CMAP_GLYPH, path, u, gs, ns);
			}
		}
done:
	hb_blob_destroy(t);
	return ret;
}

/* 0 when the face has the table (a four-letter tag), else -1 with err
 * (naming the font at path). */
static int need_table(hb_face_t *face, const char *tag, const char *path, lp_err *err)
{
	if (has_table(face, hb_tag_from_string(tag, 4)))
		return 0;
	return lp_fail(err, LP_E_FONT_NO_TABLE, path, tag);
}

/* Open face index of the mapped file with HarfBuzz and check that it is one
 * libharu can embed: TrueType outlines (glyf, loca), not CFF. HarfBuzz
 * checks every offset it follows against the file. 0, or -1 with err
 * naming the font at path and the reason. */
static int open_face(pdf_font *f, unsigned index, const char *path, lp_err *err)
{
	int is_ttc = memcmp(f->data, "ttcf", 4) == 0;
	unsigned count, upem, metrics;
	char n1[16], n2[16];

	f->blob = hb_blob_create((const char *)f->data, (unsigned)f->size, HB_MEMORY_MODE_READONLY,
				 NULL, NULL);
	count = hb_face_count(f->blob);
	if (is_ttc && index >= count) {
		snprintf(n1, sizeof n1, "%u", index);
		return lp_fail(err, LP_E_FONT_NO_FACE, path, n1);
	}
	if (!is_ttc && index != 0) {
		snprintf(n1, sizeof n1, "%u", index);
		return lp_fail(err, LP_E_FONT_SINGLE_FACE, path, n1);
	}
	f->face = hb_face_create(f->blob, index);
	if (memcmp(f->data, "OTTO", 4) == 0 || has_table(f->face, HB_TAG('C', 'F', 'F', ' ')) ||
	    has_table(f->face, HB_TAG('C', 'F', 'F', '2'))) {
		return lp_fail(err, LP_E_FONT_CFF, path);
	}
	if (count == 0 || !has_table(f->face, HB_TAG('h', 'e', 'a', 'd'))) {
		return lp_fail(err, LP_E_FONT_NOT_TRUETYPE, path);
	}
	/* libharu divides by the head table's unitsPerEm (bytes 18-19), and a
	 * zero there kills the process (SIGFPE). The range is the OpenType
	 * spec's. */
	upem = table_u16(f->face, HB_TAG('h', 'e', 'a', 'd'), 54, 18);
	if (upem < 16 || upem > 16384) {
		snprintf(n1, sizeof n1, "%u", upem);
		return lp_fail(err, LP_E_FONT_BAD_HEAD, path, n1);
	}
	f->num_glyphs = hb_face_get_glyph_count(f->face);
	if (need_table(f->face, "maxp", path, err) != 0)
		return -1;
	if (f->num_glyphs == 0) {
		return lp_fail(err, LP_E_FONT_NO_GLYPHS, path);
	}
	if (need_table(f->face, "loca", path, err) != 0 || need_table(f->face, "glyf", path, err) != 0)
		return -1;
	/* libharu reads hhea's numberOfHMetrics metrics (bytes 34-35) into an
	 * array of numGlyphs: more would be written past its end. The spec
	 * asks for 1 to numGlyphs. (No hhea: libharu says it is missing.) */
	metrics = table_u16(f->face, HB_TAG('h', 'h', 'e', 'a'), 36, 34);
	if (metrics != NO_TABLE && (metrics == 0 || metrics > f->num_glyphs)) {
		snprintf(n1, sizeof n1, "%u", metrics);
		snprintf(n2, sizeof n2, "%u", f->num_glyphs);
		return lp_fail(err, LP_E_FONT_BAD_HHEA, path, n1, n2);
	}
	if (cmap_in_range(f->face, f->num_glyphs, path, err) != 0)
		return -1;
	f->program_face = hb_face_create_for_tables(program_table, hb_face_reference(f->face),
						    (hb_destroy_func_t)hb_face_destroy);
	hb_face_set_index(f->program_face, index);
	hb_face_set_upem(f->program_face, upem);
	hb_face_set_glyph_count(f->program_face, f->num_glyphs);
	return 0;
}

/* The face libharu parsed, reached through the structures its installed
 * headers declare; NULL when the font is not an embedded TrueType face. */
static HPDF_TTFontDefAttr tt_attr_of(HPDF_Font font)
{
	HPDF_FontAttr fa;
	HPDF_FontDef def;

	if (!HPDF_Font_Validate(font))
		return NULL;
	fa = (HPDF_FontAttr)font->attr;
	if (fa == NULL || fa->type != HPDF_FONT_TYPE0_TT || fa->fontdef == NULL)
		return NULL;
	def = fa->fontdef;
	if (def->sig_bytes != HPDF_FONTDEF_SIG_BYTES || def->type != HPDF_FONTDEF_TYPE_TRUETYPE ||
	    def->attr == NULL)
		return NULL;
	return (HPDF_TTFontDefAttr)def->attr;
}

/* What HPDF_LoadTTFontFromFile2 does (hpdf_doc.c, LoadTTFontFromStream2),
 * from the mapped file instead of the file: the face into the document's
 * font definitions, its name tagged as a subset. NULL with the document's
 * error set on failure. */
static const char *load_from_memory(HPDF_Doc doc, const uint8_t *data, size_t len, int is_ttc,
				    unsigned index)
{
	HPDF_MMgr mm = doc->mmgr;
	/* read from the mapping by libharu's loader, a few bytes a call
	 * (pages.c's stream over bytes in place, not stdio) */
	pdf_source src = { data, NULL, NULL, NULL, NULL };
	pdf_span all = { 0, len };
	HPDF_Stream s;
	HPDF_FontDef def, known;

	if (len > 0x7FFFFFFFu) {
		HPDF_SetError(&doc->error, HPDF_TTF_INVALID_FOMAT, 0);
		return NULL;
	}
	s = pdf_span_stream(mm, &doc->error, &src, &all, 1);
	if (s == NULL)
		return NULL;
	/* the stream becomes the definition's, freed with it */
	def = is_ttc ? HPDF_TTFontDef_Load2(mm, s, index, HPDF_TRUE) : HPDF_TTFontDef_Load(mm, s, HPDF_TRUE);
	if (def == NULL)
		return NULL;
	known = HPDF_Doc_FindFontDef(doc, def->base_font);
	if (known != NULL) {
		HPDF_FontDef_Free(def);
		return known->base_font;
	}
	if (HPDF_List_Add(doc->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	/* the next subset tag of the document, as libharu counts them */
	if (doc->ttfont_tag[0] == 0) {
		memcpy(doc->ttfont_tag, "HPDFAA", 6);
	} else {
		for (int i = 5; i >= 0; i--) {
			doc->ttfont_tag[i] += 1;
			if (doc->ttfont_tag[i] > 'Z')
				doc->ttfont_tag[i] = 'A';
			else
				break;
		}
	}
	HPDF_TTFontDef_SetTagName(def, (char *)doc->ttfont_tag);
	return def->base_font;
}

/* HPDF_GetFont for a TrueType face makes the CIDFontType2 dictionary and,
 * for the UTF-8 encoder, fills its widths and CID-to-glyph map for all
 * 65,536 code points, each looked up through the whole character map
 * (CIDFontType2_New, hpdf_font_cid.c): most of the time of a cover sheet's
 * font. With PDF_FONT_SUBSET those are written again by fix_subset from the
 * code points drawn, so the font is made with a map that has no code point
 * at all (one segment, for U+FFFF, mapping to glyph 0), and the real one is
 * put back after. */
static HPDF_Font get_font_fast(HPDF_Doc doc, const char *name)
{
	HPDF_FontDef def = HPDF_Doc_FindFontDef(doc, name);
	HPDF_TTFontDefAttr tt;
	HPDF_TTF_CmapRange real;
	HPDF_UINT16 end = 0xFFFF, start = 0xFFFF, range = 0;
	HPDF_INT16 delta = 1;
	HPDF_Font font;

	if (def == NULL || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || def->attr == NULL ||
	    HPDF_Doc_FindFont(doc, name, "UTF-8") != NULL)
		return HPDF_GetFont(doc, name, "UTF-8");
	tt = def->attr;
	if (tt->cmap.format != 4)
		return HPDF_GetFont(doc, name, "UTF-8");
	real = tt->cmap;
	tt->cmap.seg_count_x2 = 2;
	tt->cmap.end_count = &end;
	tt->cmap.start_count = &start;
	tt->cmap.id_delta = &delta;
	tt->cmap.id_range_offset = &range;
	tt->cmap.glyph_id_array = NULL;
	tt->cmap.glyph_id_array_count = 0;
	font = HPDF_GetFont(doc, name, "UTF-8");
	tt->cmap = real;
	return font;
}

int pdf_font_load(HPDF_Doc doc, const char *path, int index, pdf_font **out,
		  lp_err *err)
{
	return pdf_font_load_mode(doc, path, index, PDF_FONT_SUBSET, out, err);
}

int pdf_font_load_mode(HPDF_Doc doc, const char *path, int index, pdf_font_mode mode, pdf_font **out,
		       lp_err *err)
{
	pdf_font *f = NULL;
	const char *name;
	int is_ttc;
	char n1[16], n2[16];
	lp_err why;

	if (out != NULL)
		*out = NULL;
	if (doc == NULL || path == NULL || out == NULL || index < 0) {
		return lp_fail(err, LP_E_PDF_ARGS);
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return lp_nomem(err);
	f->doc = doc;
	f->mode = mode;
	if (map_font_file(path, &f->data, &f->size, err) != 0)
		goto fail;
	if (open_face(f, (unsigned)index, path, err) != 0)
		goto fail;
	is_ttc = memcmp(f->data, "ttcf", 4) == 0;

	if (HPDF_Doc_FindEncoder(doc, "UTF-8") == NULL && HPDF_UseUTFEncodings(doc) != HPDF_OK)
		goto hpdf_fail;
	if (HPDF_SetCurrentEncoder(doc, "UTF-8") != HPDF_OK)
		goto hpdf_fail;
	if (mode == PDF_FONT_SUBSET) {
		name = load_from_memory(doc, f->data, f->size, is_ttc, (unsigned)index);
		if (name == NULL)
			goto hpdf_fail;
		f->font = get_font_fast(doc, name);
	} else {
		/* libharu takes the path again and reads the file its own
		 * way; the checks below make sure it saw the same face */
		name = is_ttc ? HPDF_LoadTTFontFromFile2(doc, path, (HPDF_UINT)index, HPDF_TRUE)
			      : HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);
		if (name == NULL)
			goto hpdf_fail;
		f->font = HPDF_GetFont(doc, name, "UTF-8");
	}
	if (f->font == NULL)
		goto hpdf_fail;
	f->tt = tt_attr_of(f->font);
	if (f->tt == NULL || f->tt->glyph_tbl.flgs == NULL || !f->tt->embedding) {
		lp_fail(err, LP_E_FONT_NOT_EMBEDDED, path);
		goto fail;
	}
	f->def = ((HPDF_FontAttr)f->font->attr)->fontdef;
	if (f->tt->num_glyphs != f->num_glyphs) {
		snprintf(n1, sizeof n1, "%u", (unsigned)f->tt->num_glyphs);
		snprintf(n2, sizeof n2, "%u", f->num_glyphs);
		lp_fail(err, LP_E_FONT_REPLACED, path, n1, n2);
		goto fail;
	}
	*out = f;
	return 0;

hpdf_fail:
	snprintf(n1, sizeof n1, "%04lX", (unsigned long)HPDF_GetError(doc));
	snprintf(n2, sizeof n2, "%lu", (unsigned long)HPDF_GetErrorDetail(doc));
	lp_fail(&why, pdf_hpdf_error(HPDF_GetError(doc)), n1, n2);
	lp_fail_in(err, LP_E_FONT_LIBHARU, &why, path);
	HPDF_ResetError(doc);
fail:
	pdf_font_free(f);
	return -1;
}

HPDF_Font pdf_font_handle(const pdf_font *f)
{
	return f != NULL ? f->font : NULL;
}

int pdf_font_has_glyph(const pdf_font *f, uint32_t cp)
{
	HPDF_UINT16 gid;

	if (f == NULL || cp > 0xFFFF)
		return 0;
	gid = HPDF_TTFontDef_GetGlyphid(((HPDF_FontAttr)f->font->attr)->fontdef,
					(HPDF_UINT16)cp);
	return gid != 0 && gid < f->num_glyphs;
}

/* The glyph of code point cp in segment i of libharu's (format 4) map, as
 * HPDF_TTFontDef_GetGlyphid finds it; 0 for none. */
static unsigned cmap_glyph(const HPDF_TTF_CmapRange *m, unsigned i, unsigned cp)
{
	unsigned seg_count = m->seg_count_x2 / 2, idx;

	if (m->id_range_offset[i] == 0)
		return (uint16_t)(cp + (unsigned)(uint16_t)m->id_delta[i]);
	idx = m->id_range_offset[i] / 2 + (cp - m->start_count[i]) - (seg_count - i);
	if (idx >= m->glyph_id_array_count)
		return 0;
	return (uint16_t)(m->glyph_id_array[idx] + (unsigned)(uint16_t)m->id_delta[i]);
}

/* One block of n bfrange lines, each run mapping to itself. */
static HPDF_STATUS put_bfranges(HPDF_Stream ms, const unsigned *starts, const unsigned *ends, unsigned n)
{
	char line[64];
	HPDF_STATUS st;

	snprintf(line, sizeof line, "%u beginbfrange\n", n);
	st = HPDF_Stream_WriteStr(ms, line);
	for (unsigned i = 0; i < n && st == HPDF_OK; i++) {
		snprintf(line, sizeof line, "<%04X> <%04X> <%04X>\n", starts[i], ends[i], starts[i]);
		st = HPDF_Stream_WriteStr(ms, line);
	}
	return st != HPDF_OK ? st : HPDF_Stream_WriteStr(ms, "endbfrange\n");
}

/* The font's ToUnicode CMap (ISO 32000-1 9.10.3), written again for the
 * code points whose CIDs map[] gives a glyph: CID = code point, so each run
 * of consecutive CIDs (within one last byte, as bfrange asks) maps to
 * itself. libharu 2.3.0 writes its UTF-8 encoder's CID CMap there instead
 * (begincidrange, all codes to CID 0), which a reader may take for the
 * text of every character, or reject (poppler: "Invalid 'begincidrange'
 * operator in ToUnicode CMap"). 0, or -1 with the old stream kept. */
static int write_to_unicode(pdf_font *f, const uint8_t *map, unsigned max_cid)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)f->font->attr;
	static const char *const drop[] = { "Type", "CMapName", "CIDSystemInfo", "WMode" };
	unsigned starts[100], ends[100], n = 0; /* at most 100 a block (the CMap spec) */
	HPDF_Stream ms;
	HPDF_STATUS st;

	if (fa->cmap_stream == NULL)
		return 0; /* none to put right */
	ms = HPDF_MemStream_New(f->font->mmgr, 1u << 12);
	if (ms == NULL)
		return -1;
	st = HPDF_Stream_WriteStr(ms, "/CIDInit /ProcSet findresource begin\n"
				  "12 dict begin\n"
				  "begincmap\n"
				  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
				  "/CMapName /Adobe-Identity-UCS def\n"
				  "/CMapType 2 def\n"
				  "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (unsigned cp = 1; cp <= max_cid && st == HPDF_OK; cp++) {
		if ((map[cp * 2] | map[cp * 2 + 1]) == 0)
			continue; /* not drawn */
		if (n > 0 && cp == ends[n - 1] + 1 && (cp & 0xFF) != 0) {
			ends[n - 1] = cp;
			continue;
		}
		if (n == 100) {
			st = put_bfranges(ms, starts, ends, n);
			n = 0;
		}
		starts[n] = ends[n] = cp;
		n++;
	}
	if (n > 0 && st == HPDF_OK)
		st = put_bfranges(ms, starts, ends, n);
	if (st == HPDF_OK)
		st = HPDF_Stream_WriteStr(ms, "endcmap\n"
					  "CMapName currentdict /CMap defineresource pop\n"
					  "end\n"
					  "end\n");
	if (st != HPDF_OK) {
		HPDF_Stream_Free(ms);
		return -1;
	}
	HPDF_Stream_Free(fa->cmap_stream->stream);
	fa->cmap_stream->stream = ms;
	/* the keys of a CMap resource, which a ToUnicode stream has no use for */
	for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
		(void)HPDF_Dict_RemoveElement(fa->cmap_stream, drop[i]);
	return 0;
}

/* HarfBuzz's plan for the subset of the glyphs used[] (num_glyphs flags)
 * and glyph 0: their closure under "is a component of", renumbered 0, 1,
 * 2... in the order of their old ids, from the program's tables alone.
 * Glyph 0 keeps its outline, drawn for a character the font lacks. NULL
 * when memory runs out or HarfBuzz cannot subset the face. */
static hb_subset_plan_t *plan_subset(const pdf_font *f, const unsigned char *used)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_subset_plan_t *plan = NULL;
	hb_set_t *gids;

	if (in == NULL)
		return NULL;
	gids = hb_subset_input_glyph_set(in);
	hb_set_add(gids, 0);
	for (unsigned i = 1; i < f->num_glyphs; i++)
		if (used[i])
			hb_set_add(gids, i);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
	if (hb_set_allocation_successful(gids))
		plan = hb_subset_plan_create_or_fail(f->program_face, in);
	hb_subset_input_destroy(in);
	return plan;
}

/* The font descriptor libharu writes for the font, with the program as its
 * FontFile2 (a stream of the document, flate-compressed when written):
 * libharu writes the descriptor it finds on the font definition and makes
 * none of its own (CIDFontType2_BeforeWrite_Func). Made on the first call;
 * later ones empty the program for a new one. 0, or -1. */
static int program_stream(pdf_font *f)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)f->font->attr;
	HPDF_MMgr mm = f->font->mmgr;
	HPDF_STATUS st = HPDF_OK;
	HPDF_Dict desc, prog;
	HPDF_Stream fresh;

	if (f->program != NULL) {
		fresh = HPDF_MemStream_New(mm, 1u << 16);
		if (fresh == NULL)
			return -1;
		HPDF_Stream_Free(f->program->stream);
		f->program->stream = fresh;
		return 0;
	}
	desc = HPDF_Dict_New(mm);
	prog = HPDF_DictStream_New(mm, fa->xref);
	if (desc == NULL || prog == NULL || HPDF_Xref_Add(fa->xref, desc) != HPDF_OK)
		return -1;
	/* the keys libharu's own descriptor has (CIDFontType2_BeforeWrite_Func) */
	st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	st |= HPDF_Dict_AddNumber(desc, "Ascent", f->def->ascent);
	st |= HPDF_Dict_AddNumber(desc, "Descent", f->def->descent);
	st |= HPDF_Dict_AddNumber(desc, "Flags", f->def->flags);
	st |= HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, f->def->font_bbox));
	st |= HPDF_Dict_AddName(desc, "FontName", f->tt->base_font);
	st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", f->def->italic_angle);
	st |= HPDF_Dict_AddNumber(desc, "StemV", f->def->stemv);
	st |= HPDF_Dict_AddNumber(desc, "XHeight", f->def->x_height);
	st |= HPDF_Dict_Add(desc, "FontFile2", prog);
	if (st != HPDF_OK)
		return -1;
	prog->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	f->def->descriptor = desc;
	f->program = prog;
	return 0;
}

/* PDF_FONT_SUBSET: write what libharu was kept from making (get_font_fast)
 * for the glyphs drawn: the font program HarfBuzz makes by plan, the
 * CID-to-glyph map and the widths of every code point whose glyph was
 * drawn, and the ToUnicode CMap. 0, or -1. */
static int install_subset(pdf_font *f, const unsigned char *drawn, hb_subset_plan_t *plan)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)f->font->attr;
	HPDF_MMgr mm = f->font->mmgr;
	const HPDF_TTF_CmapRange *m = &f->tt->cmap;
	const hb_map_t *new_gid = hb_subset_plan_old_to_new_glyph_mapping(plan);
	hb_face_t *sub = NULL;
	hb_blob_t *prog = NULL;
	const char *prog_data;
	unsigned prog_len = 0;
	uint8_t *map = NULL;
	unsigned max_cid = 0;
	HPDF_Array w = NULL, run = NULL;
	HPDF_Stream ms = NULL;
	HPDF_STATUS st = HPDF_OK;
	int ret = -1;

	sub = hb_subset_plan_execute_or_fail(plan);
	if (sub == NULL)
		goto cleanup;
	prog = hb_face_reference_blob(sub);
	prog_data = hb_blob_get_data(prog, &prog_len);
	if (prog_len == 0)
		goto cleanup;
	/* CID = the code point (Identity-H, libharu's UTF-8 encoder) */
	map = calloc(65536, 2);
	w = HPDF_Array_New(mm);
	if (map == NULL || w == NULL || m->format != 4)
		goto cleanup;
	for (unsigned i = 0; i < m->seg_count_x2 / 2u; i++) {
		long last = -2;
		for (unsigned cp = m->start_count[i]; cp <= m->end_count[i] && cp < 0xFFFF; cp++) {
			unsigned gid = cmap_glyph(m, i, cp), to;
			int width;
			if (gid == 0 || gid >= f->num_glyphs || !drawn[gid])
				continue;
			to = hb_map_get(new_gid, gid);
			if (to > 0xFFFF)
				goto cleanup; /* not in the subset: cannot be */
			map[(size_t)cp * 2] = (uint8_t)(to >> 8);
			map[(size_t)cp * 2 + 1] = (uint8_t)to;
			if (cp > max_cid)
				max_cid = cp;
			/* the widths libharu laid the text out with, in
			 * runs of consecutive CIDs: [c [w w ...] ...] */
			width = HPDF_TTFontDef_GetGidWidth(f->def, (HPDF_UINT16)gid);
			if ((long)cp != last + 1) {
				run = HPDF_Array_New(mm);
				st |= HPDF_Array_AddNumber(w, (HPDF_INT32)cp);
				st |= run ? HPDF_Array_Add(w, run) : HPDF_FAILD_TO_ALLOC_MEM;
			}
			if (run != NULL)
				st |= HPDF_Array_AddNumber(run, width);
			last = cp;
		}
	}
	if (st != HPDF_OK || program_stream(f) != 0)
		goto cleanup;
	if (HPDF_Stream_Write(f->program->stream, (const HPDF_BYTE *)prog_data, prog_len) != HPDF_OK ||
	    HPDF_Dict_AddNumber(f->program, "Length1", (HPDF_INT32)prog_len) != HPDF_OK)
		goto cleanup;
	/* the map: two bytes a CID, up to the last one drawn */
	ms = HPDF_MemStream_New(mm, 1u << 16);
	if (ms == NULL || fa->map_stream == NULL ||
	    HPDF_Stream_Write(ms, map, (HPDF_UINT)(max_cid + 1) * 2) != HPDF_OK)
		goto cleanup;
	HPDF_Stream_Free(fa->map_stream->stream);
	fa->map_stream->stream = ms;
	ms = NULL;
	if (write_to_unicode(f, map, max_cid) != 0)
		goto cleanup;
	/* and the widths, in place of libharu's (which knew no code point) */
	if (HPDF_Dict_Add(fa->descendant_font, "W", w) != HPDF_OK) {
		w = NULL; /* freed by libharu on failure */
		goto cleanup;
	}
	w = NULL;
	f->subset_glyphs = hb_face_get_glyph_count(sub);
	f->subset_bytes = prog_len;
	ret = 0;
cleanup:
	if (w != NULL)
		HPDF_Array_Free(w);
	if (ms != NULL)
		HPDF_Stream_Free(ms);
	free(map);
	hb_blob_destroy(prog);
	hb_face_destroy(sub);
	if (ret != 0)
		HPDF_ResetError(f->doc);
	return ret;
}

/* libharu 2.3.0's CheckCompositGryph (hpdf_fontdef_tt.c) reads a
 * component's glyph id as a signed 16-bit number and drops it when
 * negative, i.e. above 32767, and does not follow nested composites.
 * wqy-microhei keeps its radicals and phonetic parts above 32767:
 * 31085 of its 31440 composites lose their components, so 法 renders
 * as 去. libharu 2.4.4 fixed both (unsigned ids, recursion); until we
 * build against it, mark the closure here (HarfBuzz's, from the subset
 * plan), which is a no-op there. */
long pdf_font_fix_subset(pdf_font *f)
{
	unsigned char *flags, *drawn = NULL;
	hb_subset_plan_t *plan = NULL;
	const hb_map_t *old_gid;
	unsigned long used;
	long added = 0;

	if (f == NULL)
		return 0;
	flags = f->tt->glyph_tbl.flgs;
	plan = plan_subset(f, flags);
	if (plan == NULL)
		return -1;
	/* the glyphs drawn, before their components join them: the code
	 * points in the map are those of these */
	if (f->mode == PDF_FONT_SUBSET && (drawn = malloc(f->num_glyphs)) != NULL)
		memcpy(drawn, flags, f->num_glyphs);
	old_gid = hb_subset_plan_new_to_old_glyph_mapping(plan);
	used = hb_map_get_population(old_gid);
	for (unsigned i = 0; i < used; i++) {
		unsigned gid = hb_map_get(old_gid, i);
		if (gid != 0 && gid < f->num_glyphs && !flags[gid]) {
			flags[gid] = 1; /* glyph 0 is in every subset anyway */
			added++;
		}
	}
	if (f->mode == PDF_FONT_SUBSET) {
		/* made again only when something new was drawn */
		if (drawn == NULL || ((f->subset_glyphs == 0 || used != f->subset_glyphs || added > 0) &&
				      install_subset(f, drawn, plan) != 0))
			added = -1;
		free(drawn);
		hb_subset_plan_destroy(plan);
		return added;
	}
	hb_subset_plan_destroy(plan);
	/* libharu 2.3.0 (HPDF_TTFontDef_SaveFontData) copies the whole 'post'
	 * table into the subset: in wqy-microhei that is 540 KB of glyph names,
	 * 197 KB deflated, more than half of a cover sheet. A CIDFontType2
	 * program needs no glyph names (ISO 32000-1 9.9 lists the tables it
	 * requires), so have libharu copy none of it. It then writes a
	 * zero-length 'post', which FreeType, like Windows, reads as absent. */
	for (unsigned i = 0; i < f->tt->offset_tbl.num_tables; i++)
		if (memcmp(f->tt->offset_tbl.table[i].tag, "post", 4) == 0)
			f->tt->offset_tbl.table[i].length = 0;
	return added;
}

void pdf_font_embed_whole(pdf_font *f)
{
	if (f != NULL)
		memset(f->tt->glyph_tbl.flgs, 1, f->tt->num_glyphs);
}

const unsigned char *pdf_font_glyph_flags(const pdf_font *f, unsigned *num_glyphs)
{
	if (f == NULL) {
		if (num_glyphs != NULL)
			*num_glyphs = 0;
		return NULL;
	}
	if (num_glyphs != NULL)
		*num_glyphs = f->tt->num_glyphs;
	return f->tt->glyph_tbl.flgs;
}

size_t pdf_font_subset_size(const pdf_font *f, unsigned long *glyphs)
{
	if (glyphs != NULL)
		*glyphs = f != NULL ? f->subset_glyphs : 0;
	return f != NULL ? f->subset_bytes : 0;
}

void pdf_font_free(pdf_font *f)
{
	if (f == NULL)
		return;
	hb_face_destroy(f->program_face);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	if (f->data != NULL)
		munmap(f->data, f->size);
	free(f);
}
