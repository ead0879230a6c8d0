/*
 * jpeg_dc: a JPEG's 1/8-scale image from its DC coefficients (jpeg_dc.h).
 *
 * Why a decoder of our own beside libjpeg-turbo: the pixel analysis needs
 * one value per 8x8 block, its mean. libjpeg-turbo's 1/8-scale decode gets
 * there by the general road (every coefficient through its Huffman decoder,
 * the chroma of a 4:2:0 image kept at 2x2 per block, the output through its
 * colour and upsampling pipeline) and takes about twice as long on an A4
 * scan as stepping over the AC codes here does; and it cannot stop halfway
 * with an answer, which this one can (see probe_jpeg.c). The format is
 * ITU-T T.81 (Annex B for the markers, F.2 and G.1.2 for Huffman decoding,
 * sequential and progressive); colour spaces follow JFIF and Adobe's APP14
 * as libjpeg guesses them.
 *
 * Two walks over the markers. The first parses and checks everything, to
 * the end of the file, as strictly as libjpeg would fail on it and stricter
 * (one frame, known markers only, whole tables, scan parameters that make
 * sense, every table a scan uses defined and well formed); any doubt is
 * JPEG_DC_FALLBACK before a single row is delivered. The second decodes.
 * A sequential image of one interleaved scan is delivered MCU row by MCU
 * row as it is decoded, so that the caller may stop early; otherwise rows
 * come after the last scan. The DC coefficients of a progressive image are
 * in its first scans: its AC scans are skipped unread.
 *
 * Decoding runs on a copy of each scan's entropy-coded data with the
 * stuffed zero bytes and the restart markers taken out and PAD zero bytes
 * after it, read through a 64-bit bit buffer. The data is checked for
 * running short after every MCU, before the reader can pass the padding; a
 * scan whose data is short, whose restart markers are out of order or
 * whose codes are not in its tables falls back to libjpeg, which has its
 * own ways of making the best of broken data.
 */
#include "packet/jpeg_dc.h"

#include <stdlib.h>
#include <string.h>

/* Huffman codes of up to FAST_BITS bits are decoded by one table lookup;
 * 2^13 entries of two tables per AC table measured fastest on A4 scans
 * (12 and 14 bits were slower). */
enum { FAST_BITS = 13, FAST_SIZE = 1 << FAST_BITS };

/* The most bits one MCU can take (10 blocks of 64 codes of 16 bits plus 15
 * magnitude bits) is under 2.5 KiB: data that runs short is caught after
 * the MCU that overran it, still inside this much zero padding. */
enum { PAD = 4096 };

enum { MAX_COMP = 3 };
#define MAX_BLOCKS (1u << 23)

/* A Huffman table as defined by a DHT segment. */
typedef struct {
	int defined;
	uint8_t counts[17]; /* codes of each length 1..16 */
	uint8_t vals[256];
	int nvals;
	unsigned version;   /* bumped by each definition, to know when to rebuild */
} huff_spec;

/* A Huffman table ready for decoding. */
typedef struct {
	/* Codes of at most FAST_BITS bits, indexed by the next FAST_BITS bits:
	 * the code's length | its symbol << 8; 0 for a longer code. */
	uint16_t fast[FAST_SIZE];
	/* AC tables: the whole units (a code and the magnitude bits after it)
	 * that lie in the next FAST_BITS bits: their bits | the coefficients
	 * they advance << RUN_K_SHIFT | RUN_EOB when they end with end-of-block.
	 * 0 when not even one unit fits. */
	uint16_t run[FAST_SIZE];
	/* Longer codes, by the canonical ordering (T.81 Annex C, F.2.2.3):
	 * maxcode[l] the largest code of length l (-1 none), first[l] the
	 * index in vals of the first code of length l minus that code. */
	int32_t maxcode[17];
	int32_t first[17];
	uint8_t vals[256];
	int nvals;
	const huff_spec *from;
	unsigned version;
} huff;

enum { RUN_K_SHIFT = 4, RUN_EOB = 1 << 11 };

typedef struct {
	uint8_t id, h, v, tq;
	int q0;            /* DC quantiser, latched at the component's first scan */
	int latched;
	uint32_t bw, bh;   /* blocks across and down, padded to whole MCUs */
	uint32_t rbw, rbh; /* blocks that hold image (a one-component scan's) */
	int16_t *dc;
	int dc_al;         /* progressive: the lowest DC bit not yet known; -1 none decoded */
} comp;

typedef struct {
	int ncomp;
	int ci[4];   /* frame component of each scan component */
	int td[4], ta[4];
	int ss, se, ah, al;
	size_t data; /* entropy-coded data from here */
	size_t end;  /* to the marker that ends it */
} scan;

typedef struct {
	const uint8_t *d;
	size_t n;

	int have_sof, progressive;
	uint32_t width, height;
	int ncomp, hmax, vmax;
	uint32_t mcux, mcuy;
	comp c[MAX_COMP];
	int rgb;           /* three components that are R, G, B, not YCbCr */
	int jfif, adobe, adobe_transform, seen_sos;

	int qdef[4];
	int q0[4];
	huff_spec dc_spec[4], ac_spec[4];
	unsigned spec_version;
	unsigned restart;
	unsigned nscans;

	/* decoding */
	huff *tables;      /* [0..3] DC, [4..7] AC */
	uint8_t *clean;
	size_t clean_cap;
	size_t *seg;       /* offsets in clean where each restart interval starts */
	size_t nseg, seg_cap;
	uint8_t *rowbuf;
	const uint8_t **rows;
	uint32_t rows_cap;
	uint8_t *mean[MAX_COMP]; /* block means along the row being delivered */
	uint32_t mean_by[MAX_COMP];
	struct sink *sink;
	size_t *ends;      /* where each scan's data ends, found by the first walk */
	const jpeg_scan_span *known; /* the caller's spans, for the first walk */
	unsigned n_known;
} dec;

/* ---- markers ---- */

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

size_t jpeg_entropy_end(const uint8_t *d, size_t n, size_t p)
{
	while (p < n) {
		const uint8_t *ff = memchr(d + p, 0xFF, n - p);
		if (!ff)
			return n;
		size_t i = (size_t)(ff - d);
		if (i + 1 >= n)
			return n;
		uint8_t b = d[i + 1];
		if (b == 0x00 || (b >= 0xD0 && b <= 0xD7))
			p = i + 2;
		else if (b == 0xFF)
			p = i + 1;
		else
			return i;
	}
	return n;
}

/* DHT: one or more tables, filling the segment exactly. */
static int parse_dht(dec *j, const uint8_t *s, size_t len)
{
	while (len > 0) {
		if (len < 17)
			return -1;
		unsigned tc = s[0] >> 4, th = s[0] & 15;
		if (tc > 1 || th > 3)
			return -1;
		int total = 0;
		for (int l = 1; l <= 16; l++)
			total += s[l];
		if (total > 256 || (size_t)total > len - 17)
			return -1;
		huff_spec *h = tc ? &j->ac_spec[th] : &j->dc_spec[th];
		h->defined = 1;
		h->counts[0] = 0;
		memcpy(h->counts + 1, s + 1, 16);
		memcpy(h->vals, s + 17, (size_t)total);
		h->nvals = total;
		h->version = ++j->spec_version;
		s += 17 + total;
		len -= 17 + (size_t)total;
	}
	return 0;
}

/* DQT: whole tables of 8 or 16 bits. Only each table's DC quantiser is
 * kept: it is all a block's mean needs. */
static int parse_dqt(dec *j, const uint8_t *s, size_t len)
{
	while (len > 0) {
		unsigned pq = s[0] >> 4, tq = s[0] & 15;
		size_t need = 1 + (pq ? 128 : 64);
		if (pq > 1 || tq > 3 || len < need)
			return -1;
		j->q0[tq] = pq ? (int)be16(s + 1) : s[1];
		j->qdef[tq] = 1;
		s += need;
		len -= need;
	}
	return 0;
}

static uint32_t div_up(uint64_t a, uint64_t b)
{
	return (uint32_t)((a + b - 1) / b);
}

static int parse_sof(dec *j, uint8_t marker, const uint8_t *s, size_t len)
{
	if (j->have_sof || (marker != 0xC0 && marker != 0xC1 && marker != 0xC2))
		return -1;
	if (len < 6 || s[0] != 8)
		return -1;
	j->height = be16(s + 1);
	j->width = be16(s + 3);
	j->ncomp = s[5];
	if (j->width == 0 || j->height == 0 || (j->ncomp != 1 && j->ncomp != 3) ||
	    len != 6 + 3 * (size_t)j->ncomp)
		return -1;
	j->have_sof = 1;
	j->progressive = marker == 0xC2;
	j->hmax = j->vmax = 1;
	for (int i = 0; i < j->ncomp; i++) {
		comp *c = &j->c[i];
		c->id = s[6 + 3 * i];
		c->h = s[7 + 3 * i] >> 4;
		c->v = s[7 + 3 * i] & 15;
		c->tq = s[8 + 3 * i];
		c->dc_al = -1;
		if (c->h < 1 || c->h > 4 || c->v < 1 || c->v > 4 || c->tq > 3)
			return -1;
		for (int k = 0; k < i; k++)
			if (j->c[k].id == c->id)
				return -1; /* libjpeg renames duplicates: not for us */
		if (c->h > j->hmax)
			j->hmax = c->h;
		if (c->v > j->vmax)
			j->vmax = c->v;
	}
	j->mcux = div_up(j->width, 8u * (unsigned)j->hmax);
	j->mcuy = div_up(j->height, 8u * (unsigned)j->vmax);
	uint64_t blocks = 0;
	for (int i = 0; i < j->ncomp; i++) {
		comp *c = &j->c[i];
		/* whole ratios only: libjpeg refuses the others to upsample */
		if (j->hmax % c->h || j->vmax % c->v)
			return -1;
		c->bw = j->mcux * c->h;
		c->bh = j->mcuy * c->v;
		c->rbw = div_up((uint64_t)j->width * c->h, 8u * (unsigned)j->hmax);
		c->rbh = div_up((uint64_t)j->height * c->v, 8u * (unsigned)j->vmax);
		blocks += (uint64_t)c->bw * c->bh;
	}
	/* The probe refuses images over its pixel limit before any decoding
	 * (100 megapixels: under 5 million blocks); more than this is for
	 * libjpeg and its memory bound, not for planes of our own. */
	return blocks <= MAX_BLOCKS ? 0 : -1;
}

/* A Huffman table as libjpeg accepts it (jpeg_make_d_derived_tbl): the
 * codes fit their lengths, none is all ones, and a DC table's symbols are
 * magnitude categories of at most 15 bits. */
static int spec_valid(const huff_spec *h, int dc)
{
	uint32_t code = 0;
	int k = 0;

	if (!h->defined)
		return 0;
	for (int l = 1; l <= 16; l++) {
		code += h->counts[l];
		k += h->counts[l];
		if (code >= (1u << l) && h->counts[l])
			return 0;
		code <<= 1;
	}
	if (dc)
		for (int i = 0; i < k; i++)
			if (h->vals[i] > 15)
				return 0;
	return 1;
}

static int parse_sos(dec *j, const uint8_t *s, size_t len, scan *sc)
{
	if (!j->have_sof || len < 1)
		return -1;
	sc->ncomp = s[0];
	if (sc->ncomp < 1 || sc->ncomp > 4 || len != 4 + 2 * (size_t)sc->ncomp)
		return -1;
	int blocks = 0;
	for (int i = 0; i < sc->ncomp; i++) {
		uint8_t id = s[1 + 2 * i];
		int ci = -1;
		for (int k = 0; k < j->ncomp; k++)
			if (j->c[k].id == id)
				ci = k;
		if (ci < 0)
			return -1;
		for (int k = 0; k < i; k++)
			if (sc->ci[k] == ci)
				return -1;
		sc->ci[i] = ci;
		sc->td[i] = s[2 + 2 * i] >> 4;
		sc->ta[i] = s[2 + 2 * i] & 15;
		blocks += j->c[ci].h * j->c[ci].v;
	}
	const uint8_t *p = s + 1 + 2 * sc->ncomp;
	sc->ss = p[0];
	sc->se = p[1];
	sc->ah = p[2] >> 4;
	sc->al = p[2] & 15;
	if (sc->ncomp > 1 && blocks > 10)
		return -1; /* libjpeg: too many blocks in an MCU */

	if (!j->progressive) {
		if (sc->ss != 0 || sc->se != 63 || sc->ah != 0 || sc->al != 0)
			return -1;
		/* one scan with every component, the only one */
		if (sc->ncomp != j->ncomp || j->nscans > 0)
			return -1;
	} else {
		/* libjpeg's rules (its JERR_BAD_PROGRESSION), then ours: each
		 * component's DC bits come first, then are refined bit by bit */
		if (sc->ss == 0 ? sc->se != 0 : (sc->se < sc->ss || sc->se > 63 || sc->ncomp != 1))
			return -1;
		if ((sc->ah != 0 && sc->al != sc->ah - 1) || sc->al > 13)
			return -1;
		for (int i = 0; i < sc->ncomp && sc->ss == 0; i++) {
			comp *c = &j->c[sc->ci[i]];
			if (sc->ah == 0 ? c->dc_al != -1 : c->dc_al != sc->ah)
				return -1;
			c->dc_al = sc->al;
		}
	}
	for (int i = 0; i < sc->ncomp; i++) {
		int need_dc = sc->ss == 0 && sc->ah == 0, need_ac = sc->se > 0;
		if (need_dc && (sc->td[i] > 3 || !spec_valid(&j->dc_spec[sc->td[i]], 1)))
			return -1;
		if (need_ac && (sc->ta[i] > 3 || !spec_valid(&j->ac_spec[sc->ta[i]], 0)))
			return -1;
		comp *c = &j->c[sc->ci[i]];
		/* libjpeg latches each component's quantisation table at its
		 * first scan; a later DQT does not change it */
		if (!c->latched) {
			if (!j->qdef[c->tq])
				return -1;
			c->q0 = j->q0[c->tq];
			c->latched = 1;
		}
	}
	if (++j->nscans > JPEG_MAX_SCANS)
		return -1;
	return 0;
}

/* Walk the markers from SOI. With sc_fn NULL, only check them; otherwise
 * call sc_fn for each scan (whose tables are then current). Returns 0 when
 * the file is one this decoder takes, 1 when sc_fn asked to stop, -1 for
 * fallback (or sc_fn's failure, -2 for no memory). */
typedef int (*scan_fn)(dec *j, const scan *sc);

static int walk(dec *j, scan_fn sc_fn)
{
	const uint8_t *d = j->d;
	size_t n = j->n, p = 2;

	for (;;) {
		/* a marker right here: no junk, fill bytes allowed */
		if (p >= n || d[p] != 0xFF)
			return -1;
		while (p < n && d[p] == 0xFF)
			p++;
		if (p >= n)
			return -1;
		uint8_t m = d[p++];
		if (m == 0xD9)
			return j->have_sof && j->nscans > 0 ? 0 : -1;
		if (n - p < 2)
			return -1;
		size_t seglen = be16(d + p);
		if (seglen < 2 || seglen > n - p)
			return -1;
		const uint8_t *s = d + p + 2;
		size_t len = seglen - 2;
		p += seglen;

		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (parse_sof(j, m, s, len) != 0)
				return -1;
		} else if (m == 0xC4) {
			if (parse_dht(j, s, len) != 0)
				return -1;
		} else if (m == 0xDB) {
			if (parse_dqt(j, s, len) != 0)
				return -1;
		} else if (m == 0xDD) {
			if (len != 2)
				return -1;
			j->restart = be16(s);
		} else if (m == 0xE0) {
			if (!j->seen_sos && len >= 14 && !memcmp(s, "JFIF\0", 5))
				j->jfif = 1;
		} else if (m == 0xEE) {
			if (!j->seen_sos && len >= 12 && !memcmp(s, "Adobe", 5)) {
				j->adobe = 1;
				j->adobe_transform = s[11];
			}
		} else if (m == 0xDA) {
			scan sc;
			memset(&sc, 0, sizeof sc);
			if (!j->seen_sos) {
				j->seen_sos = 1;
				/* libjpeg's guess of the colour space, made here */
				if (j->ncomp == 3)
					j->rgb = j->jfif ? 0
					       : j->adobe ? j->adobe_transform == 0
					       : j->c[0].id == 'R' && j->c[1].id == 'G' && j->c[2].id == 'B';
			}
			if (parse_sos(j, s, len, &sc) != 0)
				return -1;
			sc.data = p;
			/* the first walk finds where each scan ends (or is
			 * told, by the probe's walk), the second knows */
			unsigned k = j->nscans - 1;
			if (sc_fn)
				sc.end = j->ends[k];
			else if (k < j->n_known && j->known[k].data == p && j->known[k].end >= p)
				sc.end = j->ends[k] = j->known[k].end;
			else
				sc.end = j->ends[k] = jpeg_entropy_end(d, n, p);
			if (sc.end >= n)
				return -1;
			p = sc.end;
			if (sc_fn) {
				int r = sc_fn(j, &sc);
				if (r != 0)
					return r;
			}
		} else if (!((m >= 0xE1 && m <= 0xEF) || m == 0xFE)) {
			/* DAC, DNL, EXP, JPGn, reserved: libjpeg refuses most,
			 * and none of them is for us */
			return -1;
		}
	}
}

/* ---- Huffman tables ---- */

/* The decoding tables of s (with the run table when ac). */
static void build_huff(huff *t, const huff_spec *s, int ac)
{
	uint32_t code = 0;
	int k = 0;

	memset(t->fast, 0, sizeof t->fast);
	for (int l = 1; l <= 16; l++) {
		t->first[l] = k - (int32_t)code;
		for (int i = 0; i < s->counts[l]; i++, k++, code++) {
			t->vals[k] = s->vals[k];
			if (l <= FAST_BITS) {
				uint32_t lo = code << (FAST_BITS - l), hi = lo + (1u << (FAST_BITS - l));
				uint16_t e = (uint16_t)(l | s->vals[k] << 8);
				for (uint32_t x = lo; x < hi; x++)
					t->fast[x] = e;
			}
		}
		t->maxcode[l] = s->counts[l] ? (int32_t)code - 1 : -1;
		code <<= 1;
	}
	t->nvals = k;
	t->from = s;
	t->version = s->version;
	if (!ac)
		return;
	/* Step over as many whole AC units as the window holds: a unit is a
	 * code and its magnitude bits; run r then size s advances r + 1
	 * coefficients, ZRL (15, 0) 16, and any other (r, 0) ends the block. */
	for (uint32_t idx = 0; idx < FAST_SIZE; idx++) {
		unsigned pos = 0, kadv = 0, eob = 0;
		while (pos < FAST_BITS && kadv <= 64) {
			uint16_t e = t->fast[(idx << pos) & (FAST_SIZE - 1)];
			unsigned l = e & 31, sym = e >> 8, sz = sym & 15, r = sym >> 4;
			if (l == 0 || l + sz > FAST_BITS - pos)
				break;
			pos += l + sz;
			if (sz)
				kadv += r + 1;
			else if (r == 15)
				kadv += 16;
			else {
				eob = 1;
				break;
			}
		}
		t->run[idx] = pos ? (uint16_t)(pos | kadv << RUN_K_SHIFT | (eob ? RUN_EOB : 0)) : 0;
	}
}

/* The decoding table for spec s (slot: 0-3 DC, 4-7 AC), built when it
 * changed since it was last built. */
static const huff *table(dec *j, int slot, const huff_spec *s)
{
	huff *t = &j->tables[slot];
	if (t->from != s || t->version != s->version)
		build_huff(t, s, slot >= 4);
	return t;
}

/* ---- bits ---- */

typedef struct {
	const uint8_t *p;
	uint64_t buf;  /* the next bits, first at the top */
	unsigned bits; /* how many of them are valid */
} bitreader;

static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* At least 56 valid bits afterwards. Reads 8 bytes at p, which the padding
 * after the data keeps inside the buffer. */
static inline void refill(bitreader *b)
{
	b->buf |= load_be64(b->p) >> b->bits;
	b->p += (63 - b->bits) >> 3;
	b->bits |= 56;
}

static inline void drop(bitreader *b, unsigned n)
{
	b->buf <<= n;
	b->bits -= n;
}

/* n (1-16) bits, which the buffer holds. */
static inline uint32_t take(bitreader *b, unsigned n)
{
	uint32_t v = (uint32_t)(b->buf >> (64 - n));
	drop(b, n);
	return v;
}

/* One symbol; the buffer holds at least 16 bits. -1 for a code that is in
 * no table. */
static inline int decode_sym(const huff *t, bitreader *b)
{
	uint16_t e = t->fast[b->buf >> (64 - FAST_BITS)];
	if (e) {
		drop(b, e & 31);
		return e >> 8;
	}
	for (int l = FAST_BITS + 1; l <= 16; l++) {
		int32_t code = (int32_t)(b->buf >> (64 - l));
		if (code <= t->maxcode[l]) {
			int32_t i = t->first[l] + code;
			if (i < 0 || i >= t->nvals)
				return -1;
			drop(b, (unsigned)l);
			return t->vals[i];
		}
	}
	return -1;
}

/* A DC difference of s bits (T.81 F.2.2.1, EXTEND). */
static inline int extend(uint32_t v, unsigned s)
{
	return v < (1u << (s - 1)) ? (int)v - (int)(1u << s) + 1 : (int)v;
}

/* Step over one block's AC codes. 0, or -1 for a code in no table.
 *
 * A refill leaves at least 56 bits and a step of the run table takes at
 * most FAST_BITS, so four steps go between refills: the refill, whose load
 * waits for the bits consumed, is then off the path of three lookups in
 * four. A unit the run table cannot take (a long code, or units that would
 * pass the end of the block) is decoded alone, after a refill. */
#define RUN_STEPS (56 / FAST_BITS)

static inline int skip_ac(const huff *t, bitreader *b)
{
	unsigned k = 1;
	for (;;) {
		refill(b);
		for (int i = 0; i < RUN_STEPS; i++) {
			uint16_t m = t->run[b->buf >> (64 - FAST_BITS)];
			unsigned nk = k + ((m >> RUN_K_SHIFT) & 127);
			/* the units must end inside this block: an end-of-block
			 * with a coefficient left to code, or at most the 63rd */
			if (m & RUN_EOB) {
				if (nk > 63)
					goto one;
				drop(b, m & 15);
				return 0;
			}
			if (m == 0 || nk > 64)
				goto one;
			drop(b, m & 15);
			k = nk;
			if (k == 64)
				return 0;
		}
		continue;
one:
		refill(b);
		int sym = decode_sym(t, b);
		if (sym < 0)
			return -1;
		unsigned s = (unsigned)sym & 15, r = (unsigned)sym >> 4;
		if (s) {
			drop(b, s);
			k += r + 1;
		} else if (r == 15) {
			k += 16;
		} else {
			return 0;
		}
		if (k >= 64)
			return 0;
	}
}

/* ---- scans ---- */

/* Copy the scan's entropy-coded data into j->clean without stuffing, one
 * segment per restart interval (RST0-RST7 in turn between them). 0, -1
 * when the restart markers are out of order, -2 no memory. */
static int unstuff(dec *j, const scan *sc)
{
	size_t raw = sc->end - sc->data, p = sc->data, out = 0;
	const uint8_t *d = j->d;
	unsigned next_rst = 0;

	if (j->clean_cap < raw + PAD) {
		free(j->clean);
		j->clean_cap = raw + PAD;
		j->clean = malloc(j->clean_cap);
		if (!j->clean) {
			j->clean_cap = 0;
			return -2;
		}
	}
	j->nseg = 0;
	for (;;) {
		if (j->nseg == j->seg_cap) {
			size_t cap = j->seg_cap ? 2 * j->seg_cap : 64;
			size_t *s = realloc(j->seg, cap * sizeof *s);
			if (!s)
				return -2;
			j->seg = s;
			j->seg_cap = cap;
		}
		j->seg[j->nseg++] = out;
		/* up to the next marker: FF 00 is a data FF, FF FF fill */
		for (;;) {
			const uint8_t *ff = memchr(d + p, 0xFF, sc->end - p);
			size_t i = ff ? (size_t)(ff - d) : sc->end;
			memcpy(j->clean + out, d + p, i - p);
			out += i - p;
			p = i;
			if (p >= sc->end)
				break;
			if (d[p + 1] == 0x00) {
				j->clean[out++] = 0xFF;
				p += 2;
			} else if (d[p + 1] == 0xFF) {
				p++;
			} else {
				break; /* RSTn */
			}
		}
		if (p >= sc->end)
			break;
		if (d[p + 1] != 0xD0 + next_rst)
			return -1;
		next_rst = (next_rst + 1) & 7;
		p += 2;
	}
	/* the segments' ends are the next one's start; the last's is out */
	if (j->nseg == j->seg_cap) {
		size_t *s = realloc(j->seg, (j->seg_cap + 1) * sizeof *s);
		if (!s)
			return -2;
		j->seg = s;
		j->seg_cap++;
	}
	j->seg[j->nseg] = out;
	memset(j->clean + out, 0, PAD);
	return 0;
}

/* Deliver rows y0 to y1 - 1 of the 1/8-scale image to the caller; 1 when
 * it asks to stop, -2 no memory. */
typedef struct sink {
	jpeg_dc_rows_fn fn;
	void *arg;
	jpeg_dc_image img;
} sink;

static inline uint8_t clamp255(int v)
{
	return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* A block's mean from its quantised DC coefficient: DC * Q / 8 rounded,
 * level-shifted by 128 (the 1x1 inverse DCT). */
static inline int block_mean(int dc, int q)
{
	int64_t v = ((int64_t)dc * q + 4) >> 3;
	return v < -128 ? 0 : v > 127 ? 255 : (int)v + 128;
}

/* Component c's block means along output row y, one per output pixel, in
 * j->mean[c] (made again only when the row of blocks changes). */
static void mean_row(dec *j, int c, uint32_t y, uint32_t w)
{
	const comp *cp = &j->c[c];
	uint32_t by = y * cp->v / (unsigned)j->vmax, step = (uint32_t)(j->hmax / cp->h);
	const int16_t *line = cp->dc + (size_t)by * cp->bw;
	uint8_t *m = j->mean[c];

	if (j->mean_by[c] == by)
		return;
	j->mean_by[c] = by;
	if (step == 1) {
		for (uint32_t x = 0; x < w; x++)
			m[x] = (uint8_t)block_mean(line[x], cp->q0);
		return;
	}
	for (uint32_t x = 0, bx = 0; x < w; bx++) {
		uint8_t v = (uint8_t)block_mean(line[bx], cp->q0);
		for (uint32_t i = 0; i < step && x < w; i++)
			m[x++] = v;
	}
}

static int deliver(dec *j, sink *k, uint32_t y0, uint32_t y1)
{
	uint32_t w = k->img.width, rows = y1 - y0;
	int ch = k->img.channels;

	if (!j->mean[0]) {
		for (int c = 0; c < j->ncomp; c++) {
			j->mean[c] = malloc(w);
			j->mean_by[c] = UINT32_MAX;
			if (!j->mean[c])
				return -2;
		}
	}
	if (rows > j->rows_cap) {
		free(j->rowbuf);
		free(j->rows);
		j->rowbuf = malloc((size_t)rows * w * (size_t)ch);
		j->rows = malloc(rows * sizeof *j->rows);
		if (!j->rowbuf || !j->rows) {
			j->rows_cap = 0;
			return -2;
		}
		j->rows_cap = rows;
	}
	for (uint32_t y = y0; y < y1; y++) {
		uint8_t *out = j->rowbuf + (size_t)(y - y0) * w * (size_t)ch;
		j->rows[y - y0] = out;
		for (int c = 0; c < j->ncomp; c++)
			mean_row(j, c, y, w);
		const uint8_t *m0 = j->mean[0], *m1 = j->mean[1], *m2 = j->mean[2];
		if (ch == 1) {
			memcpy(out, m0, w);
			continue;
		}
		if (j->rgb) {
			for (uint32_t x = 0; x < w; x++, out += 3) {
				out[0] = m0[x];
				out[1] = m1[x];
				out[2] = m2[x];
			}
			continue;
		}
		/* JFIF's YCbCr to RGB, in 16-bit fixed point:
		 * R = Y + 1.402 Cr', G = Y - 0.344136 Cb' - 0.714136 Cr',
		 * B = Y + 1.772 Cb' (Cb' = Cb - 128, Cr' = Cr - 128) */
		for (uint32_t x = 0; x < w; x++, out += 3) {
			int a = m0[x], cb = m1[x] - 128, cr = m2[x] - 128;
			out[0] = clamp255(a + ((91881 * cr + 32768) >> 16));
			out[1] = clamp255(a + ((-22554 * cb - 46802 * cr + 32768) >> 16));
			out[2] = clamp255(a + ((116130 * cb + 32768) >> 16));
		}
	}
	return k->fn(k->arg, &k->img, j->rows, y0, y1) ? 1 : 0;
}

/* Bits used so far in segment s: more than it has means the data ran short. */
static int overran(const dec *j, const bitreader *b, size_t s)
{
	size_t used = (size_t)(b->p - j->clean) * 8 - b->bits;
	return used > j->seg[s + 1] * 8;
}

/* Decode one scan into the components' DC planes. Sequential scans are
 * delivered MCU row by MCU row when k is not NULL. 0, 1 stopped, -1
 * fallback, -2 no memory. */
static int decode_scan(dec *j, const scan *sc, sink *k)
{
	const huff *dct[4] = { 0 }, *act[4] = { 0 };
	int pred[4] = { 0 };
	int first = j->progressive && sc->ah == 0, refine = j->progressive && sc->ah != 0;
	uint32_t mx_n, my_n, total, restart = j->restart, ri = 0, seg = 0;
	bitreader b;
	int r;

	if ((r = unstuff(j, sc)) != 0)
		return r;
	for (int i = 0; i < sc->ncomp; i++) {
		if (!refine)
			dct[i] = table(j, sc->td[i], &j->dc_spec[sc->td[i]]);
		if (!j->progressive)
			act[i] = table(j, 4 + sc->ta[i], &j->ac_spec[sc->ta[i]]);
	}
	if (sc->ncomp == 1) { /* one component: its own blocks, no padding */
		mx_n = j->c[sc->ci[0]].rbw;
		my_n = j->c[sc->ci[0]].rbh;
	} else {
		mx_n = j->mcux;
		my_n = j->mcuy;
	}
	total = mx_n * my_n;
	if (restart ? j->nseg < div_up(total, restart) : j->nseg != 1)
		return -1;
	b.p = j->clean;
	b.buf = 0;
	b.bits = 0;
	for (uint32_t my = 0; my < my_n; my++) {
		for (uint32_t mx = 0; mx < mx_n; mx++) {
			if (restart && ri == restart) { /* the next interval */
				if (overran(j, &b, seg))
					return -1;
				seg++;
				ri = 0;
				memset(pred, 0, sizeof pred);
				b.p = j->clean + j->seg[seg];
				b.buf = 0;
				b.bits = 0;
			}
			ri++;
			for (int i = 0; i < sc->ncomp; i++) {
				comp *c = &j->c[sc->ci[i]];
				int bh = sc->ncomp == 1 ? 1 : c->h, bv = sc->ncomp == 1 ? 1 : c->v;
				for (int v = 0; v < bv; v++)
					for (int h = 0; h < bh; h++) {
						uint32_t x = mx * (uint32_t)bh + (uint32_t)h;
						uint32_t y = my * (uint32_t)bv + (uint32_t)v;
						int16_t *dc = &c->dc[(size_t)y * c->bw + x];
						refill(&b);
						if (refine) {
							if (take(&b, 1))
								*dc = (int16_t)(uint16_t)((uint16_t)*dc | (1u << sc->al));
							continue;
						}
						int s = decode_sym(dct[i], &b);
						if (s < 0)
							return -1;
						if (s) {
							pred[i] += extend(take(&b, (unsigned)s), (unsigned)s);
							/* real DC values are 12 bits at most */
							if (pred[i] < -32768 || pred[i] > 32767)
								return -1;
						}
						if (first) {
							int64_t v = (int64_t)pred[i] * (1 << sc->al);
							if (v < -32768 || v > 32767)
								return -1;
							*dc = (int16_t)v;
						} else {
							*dc = (int16_t)pred[i];
							if (skip_ac(act[i], &b) != 0)
								return -1;
						}
					}
			}
			if (overran(j, &b, seg))
				return -1;
		}
		if (k && !j->progressive) {
			/* an MCU row is vmax rows of blocks, or one in a scan of one component */
			uint32_t band = sc->ncomp == 1 ? 1 : (uint32_t)j->vmax;
			uint32_t y0 = my * band, y1 = y0 + band;
			if (y1 > k->img.height)
				y1 = k->img.height;
			if (y0 < y1 && (r = deliver(j, k, y0, y1)) != 0)
				return r;
		}
	}
	/* extra intervals past the image hold nothing */
	for (seg++; seg < j->nseg; seg++)
		if (j->seg[seg + 1] != j->seg[seg])
			return -1;
	return 0;
}

/* The second walk's scans: the planes are made at the first. */
static int on_scan(dec *j, const scan *sc)
{
	sink *k = j->sink;

	if (!j->c[0].dc) {
		for (int c = 0; c < j->ncomp; c++) {
			size_t blocks = (size_t)j->c[c].bw * j->c[c].bh;
			j->c[c].dc = calloc(blocks, sizeof *j->c[c].dc);
			if (!j->c[c].dc)
				return -2;
		}
		k->img.width = div_up(j->width, 8);
		k->img.height = div_up(j->height, 8);
		k->img.channels = j->ncomp == 1 ? 1 : 3;
		k->img.ncomp = j->ncomp;
	}
	if (j->progressive && sc->ss != 0)
		return 0; /* AC: nothing for us */
	return decode_scan(j, sc, k);
}

static void dec_free(dec *j)
{
	free(j->tables);
	free(j->clean);
	free(j->seg);
	free(j->rowbuf);
	free(j->rows);
	for (int c = 0; c < MAX_COMP; c++) {
		free(j->c[c].dc);
		free(j->mean[c]);
	}
}

void jpeg_dc_image_release(jpeg_dc_image *img)
{
	for (int c = 0; c < img->ncomp && c < MAX_COMP; c++)
		free((void *)img->dc[c]);
	memset(img, 0, sizeof *img);
}

jpeg_dc_result jpeg_dc_decode(const uint8_t *d, size_t n, const jpeg_scan_span *known, unsigned n_known,
			      jpeg_dc_rows_fn fn, void *arg, jpeg_dc_image *keep)
{
	dec j;
	sink k;
	size_t ends[JPEG_MAX_SCANS];
	int r;
	jpeg_dc_result ret = JPEG_DC_FALLBACK;

	if (keep)
		memset(keep, 0, sizeof *keep);
	if (!d || n < 4 || d[0] != 0xFF || d[1] != 0xD8)
		return JPEG_DC_FALLBACK;
	/* first walk: is it ours, all of it? (it allocates nothing) */
	memset(&j, 0, sizeof j);
	j.d = d;
	j.n = n;
	j.ends = ends;
	j.known = known;
	j.n_known = known ? n_known : 0;
	if (walk(&j, NULL) != 0)
		return JPEG_DC_FALLBACK;
	for (int c = 0; j.progressive && c < j.ncomp; c++)
		if (j.c[c].dc_al != 0)
			return JPEG_DC_FALLBACK; /* some DC bits never came */

	/* second walk, from the start again, decoding */
	memset(&j, 0, sizeof j);
	j.d = d;
	j.n = n;
	j.ends = ends;
	memset(&k, 0, sizeof k);
	k.fn = fn;
	k.arg = arg;
	j.sink = &k;
	j.tables = malloc(8 * sizeof *j.tables);
	if (!j.tables)
		goto nomem;
	for (int i = 0; i < 8; i++)
		j.tables[i].from = NULL;
	r = walk(&j, on_scan);
	if (r == 1) {
		ret = JPEG_DC_DONE; /* the caller has seen enough */
		goto done;
	}
	if (r == -2)
		goto nomem;
	if (r != 0)
		goto done;
	for (int c = 0; c < j.ncomp; c++) {
		k.img.bw[c] = j.c[c].bw;
		k.img.bh[c] = j.c[c].bh;
		k.img.dc[c] = j.c[c].dc;
	}
	for (uint32_t y = 0; j.progressive && y < k.img.height; y += 16) {
		uint32_t y1 = y + 16 > k.img.height ? k.img.height : y + 16;
		if ((r = deliver(&j, &k, y, y1)) == 1)
			break;
		if (r == -2)
			goto nomem;
	}
	ret = JPEG_DC_DONE;
	if (keep) {
		*keep = k.img;
		for (int c = 0; c < j.ncomp; c++)
			j.c[c].dc = NULL; /* now the caller's */
	}
	goto done;
nomem:
	ret = JPEG_DC_NOMEM;
done:
	dec_free(&j);
	return ret;
}
