/*
 * font: the CJK font of the combined PDF, and text measured in it.
 *
 * Three parts. A small TrueType reader (ttf_glyf_*) that finds one face in a
 * .ttf or .ttc held in memory and lists the components of composite glyphs;
 * every number it takes from the file is checked against the bytes there.
 * The pdf_font layer, which loads the face into libharu and uses that reader
 * to repair libharu 2.3.0's glyph subset (see font.h). And the text helpers
 * the cover sheet lays out its checklist with, measured with libharu's own
 * widths. cjk_font_find() asks a private fontconfig configuration, built and
 * destroyed per call, so this module keeps no global state.
 */
#include "pdf/font.h"
#include "pdf/internal.h"
#include "pdf/testing.h"

#include "packet/normalise.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

/* Bigger than any CJK TrueType collection shipped today (a full Noto CJK
 * TTC is about 30 MB); a larger "font" is more likely a wrong path. */
#define FONT_MAX_BYTES ((size_t)256 << 20)

/* Composite glyph component flags (OpenType glyf table). */
#define ARG_1_AND_2_ARE_WORDS    0x0001u
#define WE_HAVE_A_SCALE          0x0008u
#define MORE_COMPONENTS          0x0020u
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040u
#define WE_HAVE_A_TWO_BY_TWO     0x0080u

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

/* 1 when [off, off + len) lies inside a buffer of size bytes. Written so that
 * no sum can wrap around. */
static int in_bounds(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* ---- the TrueType reader ------------------------------------------------ */

typedef struct {
	uint32_t off;
	uint32_t len;
} table_ref;

/* Find the table tagged tag in the directory of the face at face_off (already
 * checked to lie inside the buffer, num_tables records included). */
static int find_table(const uint8_t *data, size_t size, size_t face_off,
		      unsigned num_tables, const char *tag, table_ref *out)
{
	for (unsigned i = 0; i < num_tables; i++) {
		const uint8_t *rec = data + face_off + 12 + (size_t)i * 16;

		if (memcmp(rec, tag, 4) != 0)
			continue;
		out->off = be32(rec + 8);
		out->len = be32(rec + 12);
		return in_bounds(size, out->off, out->len) ? 0 : -2;
	}
	return -1;
}

int ttf_glyf_parse(const uint8_t *data, size_t size, unsigned index, ttf_glyf *out,
		   char *err, size_t errlen)
{
	static const char *const need[] = { "head", "maxp", "loca", "glyf" };
	table_ref t[4];
	size_t face_off = 0;
	unsigned num_tables, num_glyphs, i;
	int long_loca;

	memset(out, 0, sizeof(*out));
	if (data == NULL || size < 12) {
		set_err(err, errlen, "not a TrueType font (too short)");
		return -1;
	}
	if (memcmp(data, "ttcf", 4) == 0) {
		uint32_t num_fonts = be32(data + 8);

		if (index >= num_fonts || !in_bounds(size, 12 + (uint64_t)index * 4, 4)) {
			set_err(err, errlen, "font collection has no font number %u", index);
			return -1;
		}
		face_off = be32(data + 12 + (size_t)index * 4);
	} else if (index != 0) {
		set_err(err, errlen, "font number %u asked of a single font", index);
		return -1;
	}
	if (!in_bounds(size, face_off, 12)) {
		set_err(err, errlen, "font directory outside the file");
		return -1;
	}
	if (memcmp(data + face_off, "OTTO", 4) == 0) {
		set_err(err, errlen, "CFF outlines (OpenType/CFF), which libharu cannot embed");
		return -1;
	}
	if (be32(data + face_off) != 0x00010000u && memcmp(data + face_off, "true", 4) != 0) {
		set_err(err, errlen, "not a TrueType font");
		return -1;
	}
	num_tables = be16(data + face_off + 4);
	if (!in_bounds(size, face_off + 12, (uint64_t)num_tables * 16)) {
		set_err(err, errlen, "font directory outside the file");
		return -1;
	}
	for (i = 0; i < 4; i++) {
		int r = find_table(data, size, face_off, num_tables, need[i], &t[i]);

		if (r == -1) {
			set_err(err, errlen, "no '%s' table%s", need[i],
				i == 3 ? " (no TrueType outlines)" : "");
			return -1;
		}
		if (r == -2) {
			set_err(err, errlen, "'%s' table outside the file", need[i]);
			return -1;
		}
	}
	if (t[0].len < 54 || t[1].len < 6) {
		set_err(err, errlen, "'%s' table too short", t[0].len < 54 ? "head" : "maxp");
		return -1;
	}
	switch (be16(data + t[0].off + 50)) { /* head.indexToLocFormat */
	case 0: long_loca = 0; break;
	case 1: long_loca = 1; break;
	default:
		set_err(err, errlen, "unknown 'loca' format %u", be16(data + t[0].off + 50));
		return -1;
	}
	num_glyphs = be16(data + t[1].off + 4); /* maxp.numGlyphs */
	if (num_glyphs == 0) {
		set_err(err, errlen, "font has no glyphs");
		return -1;
	}
	if ((uint64_t)t[2].len < ((uint64_t)num_glyphs + 1) * (long_loca ? 4 : 2)) {
		set_err(err, errlen, "'loca' table too short for %u glyphs", num_glyphs);
		return -1;
	}
	out->loca = malloc(((size_t)num_glyphs + 1) * sizeof(*out->loca));
	if (out->loca == NULL) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	/* Short offsets count 16-bit words; store bytes for both formats.
	 * Offsets are checked against glyf_len when a record is read, since
	 * fonts in the wild have a few bad ones that no renderer touches. */
	for (i = 0; i <= num_glyphs; i++) {
		const uint8_t *p = data + t[2].off;

		out->loca[i] = long_loca ? be32(p + (size_t)i * 4)
					 : (uint32_t)be16(p + (size_t)i * 2) * 2;
	}
	out->glyf = data + t[3].off;
	out->glyf_len = t[3].len;
	out->num_glyphs = num_glyphs;
	out->file = data;
	out->file_size = size;
	out->face_off = face_off;
	out->num_tables = num_tables;
	return 0;
}

void ttf_glyf_release(ttf_glyf *g)
{
	if (g == NULL)
		return;
	free(g->loca);
	memset(g, 0, sizeof(*g));
}

/* Walks the component records of one composite glyph. */
typedef struct {
	const uint8_t *p;  /* next component record */
	size_t left;       /* bytes of the glyph record from p on */
	int more;          /* MORE_COMPONENTS of the previous record */
} comp_iter;

/* Start on glyph gid: returns 1 for a composite (then call comp_next), 0 for
 * a simple or empty glyph, -1 when gid is out of range or its record does not
 * lie inside glyf. */
static int comp_start(const ttf_glyf *g, unsigned gid, comp_iter *it)
{
	uint32_t start, end;

	if (gid >= g->num_glyphs)
		return -1;
	start = g->loca[gid];
	end = g->loca[gid + 1];
	if (start > end || end > g->glyf_len)
		return -1;
	if (start == end)
		return 0; /* no outline, e.g. the space */
	if (end - start < 10)
		return -1;
	/* numberOfContours < 0 marks a composite; the spec says -1, and any
	 * other negative value is treated the same way. */
	if ((int16_t)be16(g->glyf + start) >= 0)
		return 0;
	it->p = g->glyf + start + 10; /* past the bounding box */
	it->left = end - start - 10;
	it->more = 1;
	return 1;
}

/* Next component: 1 and *gid, 0 after the last one, -1 when the record is cut
 * short or names a glyph the font does not have. */
static int comp_next(comp_iter *it, unsigned num_glyphs, uint16_t *gid)
{
	uint16_t flags;
	size_t len;

	if (!it->more)
		return 0;
	if (it->left < 4)
		return -1;
	flags = be16(it->p);
	*gid = be16(it->p + 2);
	len = 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
	/* The three transform flags exclude one another; a font that sets
	 * several is read in this order, as FreeType does. */
	if (flags & WE_HAVE_A_SCALE)
		len += 2;
	else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
		len += 4;
	else if (flags & WE_HAVE_A_TWO_BY_TWO)
		len += 8;
	if (it->left < len || *gid >= num_glyphs)
		return -1;
	it->p += len;
	it->left -= len;
	it->more = (flags & MORE_COMPONENTS) != 0;
	return 1;
}

long ttf_glyf_components(const ttf_glyf *g, unsigned gid, uint16_t *comps, size_t max)
{
	comp_iter it;
	uint16_t c;
	long n = 0;
	int r = comp_start(g, gid, &it);

	if (r <= 0)
		return r;
	while ((r = comp_next(&it, g->num_glyphs, &c)) == 1) {
		if ((size_t)n < max)
			comps[n] = c;
		n++;
	}
	return r < 0 ? -1 : n;
}

long ttf_glyf_closure(const ttf_glyf *g, unsigned char *flags)
{
	/* Depth-first with an explicit stack rather than recursion, so that
	 * deep nesting cannot exhaust the C stack. A glyph is pushed only when
	 * it becomes flagged (or was flagged to begin with), so each is pushed
	 * at most once: the stack never exceeds num_glyphs, and a cycle of
	 * composites naming each other ends when it meets a flagged glyph. */
	uint16_t *stack = malloc((size_t)g->num_glyphs * sizeof(*stack));
	size_t top = 0;
	long added = 0;

	if (stack == NULL)
		return -1;
	for (unsigned i = 0; i < g->num_glyphs; i++)
		if (flags[i]) {
			flags[i] = 1;
			stack[top++] = (uint16_t)i;
		}
	while (top > 0) {
		comp_iter it;
		uint16_t c;

		if (comp_start(g, stack[--top], &it) != 1)
			continue;
		/* A malformed record still gives the components before the
		 * fault: they are what a renderer would draw too. */
		while (comp_next(&it, g->num_glyphs, &c) == 1) {
			if (flags[c])
				continue;
			flags[c] = 1;
			added++;
			stack[top++] = c;
		}
	}
	free(stack);
	return added;
}

/* ---- a subset font program ---------------------------------------------- */

/* A growing byte buffer for the program; ok turns 0 when memory runs out. */
typedef struct {
	uint8_t *p;
	size_t n, cap;
	int ok;
} obuf;

static void ob_need(obuf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;

	if (!b->ok || more <= b->cap - b->n)
		return;
	while (more > cap - b->n)
		cap *= 2;
	uint8_t *np = realloc(b->p, cap);
	if (np == NULL) {
		b->ok = 0;
		return;
	}
	b->p = np;
	b->cap = cap;
}

static void ob_put(obuf *b, const void *src, size_t len)
{
	ob_need(b, len);
	if (b->ok && len) {
		memcpy(b->p + b->n, src, len);
		b->n += len;
	}
}

static void ob_u16(obuf *b, unsigned v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	ob_put(b, x, 2);
}

static void ob_u32(obuf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	ob_put(b, x, 4);
}

static void ob_pad4(obuf *b)
{
	static const uint8_t zero[3] = { 0, 0, 0 };
	if (b->n % 4)
		ob_put(b, zero, 4 - b->n % 4);
}

static void put_be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The TrueType checksum: the sum of the big-endian 32-bit words, the last
 * one padded with zeros. */
static uint32_t tt_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		sum += be32(p + i);
	if (i < len) {
		uint8_t last[4] = { 0, 0, 0, 0 };
		memcpy(last, p + i, len - i);
		sum += be32(last);
	}
	return sum;
}

/* Copy one glyph record of the face into glyf, a composite's component ids
 * made new ones. 0, or -1 when it names a glyph the subset lacks. */
static int put_glyph(obuf *glyf, const ttf_glyf *g, unsigned old, const uint16_t *new_gid,
		     const unsigned char *used)
{
	uint32_t start = g->loca[old], end = g->loca[old + 1];
	size_t at = glyf->n;
	comp_iter it;
	uint16_t c;
	int r;

	/* a record outside glyf, or reversed, is an empty glyph: what
	 * renderers make of it */
	if (start >= end || end > g->glyf_len)
		return 0;
	ob_put(glyf, g->glyf + start, end - start);
	if (!glyf->ok || comp_start(g, old, &it) != 1)
		return 0;
	/* the components, read in the face and renumbered in the copy */
	for (;;) {
		const uint8_t *rec = it.p;
		size_t id_at = at + (size_t)(rec - (g->glyf + start)) + 2;
		if ((r = comp_next(&it, g->num_glyphs, &c)) == 0)
			return 0;
		if (r < 0) {
			/* cut short: left as it is, as renderers would, but
			 * for an id it holds, which must be in the subset */
			if (it.left < 4)
				return 0;
			c = be16(rec + 2);
		}
		if (c >= g->num_glyphs || !used[c])
			return -1;
		put_be16(glyf->p + id_at, new_gid[c]);
		if (r < 0)
			return 0;
	}
}

int ttf_subset_make(const ttf_glyf *g, const unsigned char *used, ttf_subset *out, char *err,
		    size_t errlen)
{
	/* in the order of their tags, as the directory must list them */
	static const char *const order[] = { "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx",
					     "loca", "maxp", "prep" };
	enum { N_ORDER = sizeof order / sizeof order[0] };
	table_ref head, hhea, maxp, hmtx, extra[N_ORDER];
	obuf glyf = { NULL, 0, 0, 1 }, loca = { NULL, 0, 0, 1 }, hm = { NULL, 0, 0, 1 };
	obuf prog = { NULL, 0, 0, 1 };
	uint8_t head_b[64], hhea_b[36], maxp_b[32];
	const uint8_t *tdata[N_ORDER];
	size_t tlen[N_ORDER], dir_off[N_ORDER];
	unsigned n_hmetrics, nt = 0, k;
	int ret = -1;

	memset(out, 0, sizeof *out);
	if (g->file == NULL || g->num_glyphs == 0) {
		set_err(err, errlen, "no font to subset");
		return -1;
	}
	if (find_table(g->file, g->file_size, g->face_off, g->num_tables, "head", &head) != 0 ||
	    find_table(g->file, g->file_size, g->face_off, g->num_tables, "hhea", &hhea) != 0 ||
	    find_table(g->file, g->file_size, g->face_off, g->num_tables, "maxp", &maxp) != 0 ||
	    find_table(g->file, g->file_size, g->face_off, g->num_tables, "hmtx", &hmtx) != 0 ||
	    head.len < 54 || head.len > sizeof head_b || hhea.len < 36 || maxp.len < 6 ||
	    maxp.len > sizeof maxp_b) {
		set_err(err, errlen, "the font lacks a table a PDF font program needs (head, hhea, maxp, hmtx)");
		return -1;
	}
	n_hmetrics = be16(g->file + hhea.off + 34);
	if (n_hmetrics == 0 || n_hmetrics > g->num_glyphs ||
	    (uint64_t)hmtx.len < (uint64_t)n_hmetrics * 4 + ((uint64_t)g->num_glyphs - n_hmetrics) * 2) {
		set_err(err, errlen, "the font's 'hmtx' table is too short");
		return -1;
	}
	out->new_gid = calloc(g->num_glyphs, sizeof *out->new_gid);
	if (out->new_gid == NULL)
		goto nomem;

	/* new ids in old order, glyph 0 (.notdef) first whatever is used */
	for (unsigned o = 0; o < g->num_glyphs; o++)
		if (o == 0 || used[o])
			out->new_gid[o] = (uint16_t)out->num_glyphs++;
	for (unsigned o = 0; o < g->num_glyphs; o++) {
		const uint8_t *m;
		unsigned adv;
		int lsb;
		if (o != 0 && !used[o])
			continue;
		ob_u32(&loca, (uint32_t)glyf.n);
		if (put_glyph(&glyf, g, o, out->new_gid, used) != 0) {
			set_err(err, errlen, "glyph %u names a component that is not in the subset", o);
			goto cleanup;
		}
		ob_pad4(&glyf);
		/* hmtx: a long metric for each glyph of the program */
		m = g->file + hmtx.off;
		adv = be16(m + (size_t)(o < n_hmetrics ? o : n_hmetrics - 1) * 4);
		lsb = o < n_hmetrics ? (int16_t)be16(m + (size_t)o * 4 + 2)
				     : (int16_t)be16(m + (size_t)n_hmetrics * 4 + (size_t)(o - n_hmetrics) * 2);
		ob_u16(&hm, adv);
		ob_u16(&hm, (unsigned)(uint16_t)lsb);
	}
	ob_u32(&loca, (uint32_t)glyf.n);
	if (!glyf.ok || !loca.ok || !hm.ok)
		goto nomem;
	if (glyf.n > 0x7FFFFFFFu) {
		set_err(err, errlen, "the subset is too large");
		goto cleanup;
	}

	/* head: long loca offsets, checkSumAdjustment set at the end;
	 * hhea: a long metric each; maxp: the new count */
	memcpy(head_b, g->file + head.off, head.len);
	put_be32(head_b + 8, 0);
	put_be16(head_b + 50, 1);
	memcpy(hhea_b, g->file + hhea.off, 36);
	put_be16(hhea_b + 34, out->num_glyphs);
	memcpy(maxp_b, g->file + maxp.off, maxp.len);
	put_be16(maxp_b + 4, out->num_glyphs);

	for (k = 0; k < N_ORDER; k++) {
		const char *tag = order[k];
		tdata[k] = NULL;
		tlen[k] = 0;
		if (!strcmp(tag, "glyf")) {
			tdata[k] = glyf.p ? glyf.p : (const uint8_t *)"";
			tlen[k] = glyf.n;
		} else if (!strcmp(tag, "head")) {
			tdata[k] = head_b;
			tlen[k] = head.len;
		} else if (!strcmp(tag, "hhea")) {
			tdata[k] = hhea_b;
			tlen[k] = 36;
		} else if (!strcmp(tag, "hmtx")) {
			tdata[k] = hm.p;
			tlen[k] = hm.n;
		} else if (!strcmp(tag, "loca")) {
			tdata[k] = loca.p;
			tlen[k] = loca.n;
		} else if (!strcmp(tag, "maxp")) {
			tdata[k] = maxp_b;
			tlen[k] = maxp.len;
		} else if (find_table(g->file, g->file_size, g->face_off, g->num_tables, tag, &extra[k]) == 0) {
			/* cvt, fpgm, prep: the hinting, as the face has it */
			tdata[k] = g->file + extra[k].off;
			tlen[k] = extra[k].len;
		}
		if (tdata[k] != NULL)
			nt++;
	}

	/* the offset table, the directory, then each table on 4 bytes */
	{
		unsigned pow2 = 1, sel = 0;
		while (pow2 * 2 <= nt) {
			pow2 *= 2;
			sel++;
		}
		ob_u32(&prog, 0x00010000u);
		ob_u16(&prog, nt);
		ob_u16(&prog, pow2 * 16);
		ob_u16(&prog, sel);
		ob_u16(&prog, nt * 16 - pow2 * 16);
		for (k = 0; k < N_ORDER; k++) {
			if (tdata[k] == NULL)
				continue;
			dir_off[k] = prog.n;
			ob_put(&prog, order[k], 4);
			ob_u32(&prog, tt_checksum(tdata[k], tlen[k]));
			ob_u32(&prog, 0); /* offset, below */
			ob_u32(&prog, (uint32_t)tlen[k]);
		}
		for (k = 0; k < N_ORDER; k++) {
			if (tdata[k] == NULL)
				continue;
			if (prog.ok)
				put_be32(prog.p + dir_off[k] + 8, (uint32_t)prog.n);
			if (!strcmp(order[k], "head"))
				head.off = (uint32_t)prog.n; /* where it is now */
			ob_put(&prog, tdata[k], tlen[k]);
			ob_pad4(&prog);
		}
	}
	if (!prog.ok)
		goto nomem;
	put_be32(prog.p + head.off + 8, 0xB1B0AFBAu - tt_checksum(prog.p, prog.n));
	out->data = prog.p;
	out->len = prog.n;
	prog.p = NULL;
	ret = 0;
	goto cleanup;
nomem:
	set_err(err, errlen, "out of memory");
cleanup:
	free(glyf.p);
	free(loca.p);
	free(hm.p);
	free(prog.p);
	return ret;
}

void ttf_subset_release(ttf_subset *s)
{
	if (s == NULL)
		return;
	free(s->data);
	free(s->new_gid);
	memset(s, 0, sizeof *s);
}

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
	ttf_glyf glyf;             /* points into data */
	/* PDF_FONT_SUBSET: the program made by pdf_font_fix_subset, in the
	 * document (made on its first call, filled again on later ones) */
	HPDF_Dict program;
	unsigned long subset_glyphs; /* glyphs it holds: 0 before the first */
};

/* Map a whole regular file read-only. The font is a system file (or one
 * given with --font) that nobody shrinks while a build runs; reading only
 * the pages used makes a page of text cheap. Returns 0, or -1 with a
 * message. */
static int map_font_file(const char *path, uint8_t **out, size_t *outlen,
			 char *err, size_t errlen)
{
	struct stat st;
	void *p;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_err(err, errlen, "cannot open font '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		set_err(err, errlen, "cannot read font '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, errlen, "cannot read font '%s': not a regular file", path);
		goto cleanup;
	}
	if ((uint64_t)st.st_size > FONT_MAX_BYTES) {
		set_err(err, errlen, "cannot read font '%s': larger than %zu MiB", path,
			FONT_MAX_BYTES >> 20);
		goto cleanup;
	}
	if (st.st_size < 12) {
		set_err(err, errlen, "cannot use font '%s': not a TrueType font (too short)", path);
		goto cleanup;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		set_err(err, errlen, "cannot read font '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	*out = p;
	*outlen = (size_t)st.st_size;
	ret = 0;
cleanup:
	close(fd);
	return ret;
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

static const char *hpdf_error_text(HPDF_STATUS e)
{
	switch (e) {
	case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "the font's licence forbids embedding";
	case HPDF_INVALID_TTC_INDEX: return "no such font in the collection";
	case HPDF_INVALID_TTC_FILE: return "not a font collection";
	case HPDF_TTF_INVALID_CMAP: return "no usable Unicode character map";
	case HPDF_TTF_INVALID_FOMAT: return "invalid TrueType data";
	case HPDF_TTF_MISSING_TABLE: return "a required TrueType table is missing";
	case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
	case HPDF_FILE_IO_ERROR: return "I/O error";
	default: return "libharu error";
	}
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
		  char *err, size_t errlen)
{
	return pdf_font_load_mode(doc, path, index, PDF_FONT_SUBSET, out, err, errlen);
}

int pdf_font_load_mode(HPDF_Doc doc, const char *path, int index, pdf_font_mode mode, pdf_font **out,
		       char *err, size_t errlen)
{
	pdf_font *f = NULL;
	const char *name;
	int is_ttc;
	char why[160];

	if (out != NULL)
		*out = NULL;
	if (doc == NULL || path == NULL || out == NULL || index < 0) {
		set_err(err, errlen, "invalid arguments");
		return -1;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	f->doc = doc;
	f->mode = mode;
	if (map_font_file(path, &f->data, &f->size, err, errlen) != 0)
		goto fail;
	if (ttf_glyf_parse(f->data, f->size, (unsigned)index, &f->glyf, why, sizeof(why)) != 0) {
		set_err(err, errlen, "cannot use font '%s': %s", path, why);
		goto fail;
	}
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
		set_err(err, errlen, "cannot use font '%s': libharu did not load it as an "
			"embedded TrueType font", path);
		goto fail;
	}
	f->def = ((HPDF_FontAttr)f->font->attr)->fontdef;
	if (f->tt->num_glyphs != f->glyf.num_glyphs ||
	    f->tt->glyph_tbl.base_offset != (HPDF_UINT32)(f->glyf.glyf - f->data)) {
		set_err(err, errlen, "cannot use font '%s': libharu read a different face "
			"(%u glyphs, glyf at %lu; expected %u, %lu); was the file replaced?",
			path, (unsigned)f->tt->num_glyphs,
			(unsigned long)f->tt->glyph_tbl.base_offset, f->glyf.num_glyphs,
			(unsigned long)(f->glyf.glyf - f->data));
		goto fail;
	}
	*out = f;
	return 0;

hpdf_fail:
	set_err(err, errlen, "cannot use font '%s': %s (libharu 0x%04lX, detail %lu)", path,
		hpdf_error_text(HPDF_GetError(doc)), (unsigned long)HPDF_GetError(doc),
		(unsigned long)HPDF_GetErrorDetail(doc));
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
	return gid != 0 && gid < f->glyf.num_glyphs;
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

/* PDF_FONT_SUBSET: write what libharu was kept from making (get_font_fast)
 * for the glyphs marked used (drawn before the closure was added): the font
 * program of the subset as the descriptor's FontFile2, the CID-to-glyph map
 * and the widths of every code point whose glyph was drawn. libharu writes
 * the descriptor it finds on the font definition and makes none of its own
 * (CIDFontType2_BeforeWrite_Func). 0, or -1 with nothing changed. */
static int install_subset(pdf_font *f, const unsigned char *drawn)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)f->font->attr;
	HPDF_MMgr mm = f->font->mmgr;
	const HPDF_TTF_CmapRange *m = &f->tt->cmap;
	ttf_subset sub;
	uint8_t *map = NULL;
	unsigned max_cid = 0;
	HPDF_Array w = NULL, run = NULL;
	HPDF_Stream ms = NULL;
	HPDF_STATUS st = HPDF_OK;
	int ret = -1;

	if (ttf_subset_make(&f->glyf, f->tt->glyph_tbl.flgs, &sub, NULL, 0) != 0)
		goto cleanup;
	/* CID = the code point (Identity-H, libharu's UTF-8 encoder) */
	map = calloc(65536, 2);
	w = HPDF_Array_New(mm);
	if (map == NULL || w == NULL || m->format != 4)
		goto cleanup;
	for (unsigned i = 0; i < m->seg_count_x2 / 2u; i++) {
		long last = -2;
		for (unsigned cp = m->start_count[i]; cp <= m->end_count[i] && cp < 0xFFFF; cp++) {
			unsigned gid = cmap_glyph(m, i, cp);
			int width;
			if (gid == 0 || gid >= f->glyf.num_glyphs || !drawn[gid])
				continue;
			put_be16(map + (size_t)cp * 2, sub.new_gid[gid]);
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
	if (st != HPDF_OK)
		goto cleanup;
	/* the font program: a stream of the document, flate-compressed when
	 * written; made once, filled again by a later call */
	if (f->program == NULL) {
		HPDF_Dict desc = HPDF_Dict_New(mm);
		HPDF_Dict prog = HPDF_DictStream_New(mm, fa->xref);
		if (desc == NULL || prog == NULL || HPDF_Xref_Add(fa->xref, desc) != HPDF_OK)
			goto cleanup;
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
			goto cleanup;
		prog->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
		f->def->descriptor = desc;
		f->program = prog;
	} else {
		HPDF_Stream fresh = HPDF_MemStream_New(mm, 1u << 16);
		if (fresh == NULL)
			goto cleanup;
		HPDF_Stream_Free(f->program->stream);
		f->program->stream = fresh;
	}
	if (HPDF_Stream_Write(f->program->stream, sub.data, (HPDF_UINT)sub.len) != HPDF_OK ||
	    HPDF_Dict_AddNumber(f->program, "Length1", (HPDF_INT32)sub.len) != HPDF_OK)
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
	f->subset_glyphs = sub.num_glyphs;
	ret = 0;
cleanup:
	if (w != NULL)
		HPDF_Array_Free(w);
	if (ms != NULL)
		HPDF_Stream_Free(ms);
	free(map);
	ttf_subset_release(&sub);
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
 * build against it, mark the closure here, which is a no-op there. */
long pdf_font_fix_subset(pdf_font *f)
{
	unsigned char *drawn = NULL;
	long added;

	if (f == NULL)
		return 0;
	if (f->mode == PDF_FONT_SUBSET) {
		/* the glyphs drawn, before their components join them: the
		 * code points in the map are those of these */
		drawn = malloc(f->glyf.num_glyphs);
		if (drawn == NULL)
			return -1;
		memcpy(drawn, f->tt->glyph_tbl.flgs, f->glyf.num_glyphs);
	}
	added = ttf_glyf_closure(&f->glyf, f->tt->glyph_tbl.flgs);
	if (added < 0) {
		free(drawn);
		return -1;
	}
	if (f->mode == PDF_FONT_SUBSET) {
		/* made again only when something new was drawn */
		unsigned long used = 1; /* glyph 0, always in */
		for (unsigned i = 1; i < f->glyf.num_glyphs; i++)
			used += f->tt->glyph_tbl.flgs[i] != 0;
		if ((f->subset_glyphs == 0 || used != f->subset_glyphs || added > 0) &&
		    install_subset(f, drawn) != 0) {
			free(drawn);
			return -1;
		}
		free(drawn);
		return added;
	}
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

void pdf_font_free(pdf_font *f)
{
	if (f == NULL)
		return;
	ttf_glyf_release(&f->glyf);
	if (f->data != NULL)
		munmap(f->data, f->size);
	free(f);
}

/* ---- text ---------------------------------------------------------------- */

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
	return (int)HPDF_Font_GetUnicodeWidth(f->font, (HPDF_UNICODE)cp);
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
