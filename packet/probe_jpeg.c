/*
 * probe_jpeg: what a JPEG file holds and whether it is whole.
 *
 * The file's markers are walked here, by hand and bounds-checked at every
 * step, rather than by libjpeg: the walk must reach the end-of-image marker
 * (libjpeg invents one when the data runs out, so a truncated scan would pass
 * unnoticed), must read the EXIF orientation and density (libjpeg does not),
 * and must refuse an image that declares too many pixels, or more than PDF's
 * 65500 on a side, before any decoder allocates for it. The walk also judges
 * what the structure alone can tell, for every file: a progressive file
 * whose scans leave coefficients half sent (a missing DC scan, a partial
 * download closed with an end marker), a component no scan carries, and
 * entropy data with fewer restart markers than its restart interval and
 * size require (cut short). What it cannot tell is a sequential scan
 * without restart markers that ends early: only decoding finds that, so
 * every JPEG is decoded.
 *
 * The decode is libjpeg-turbo's, at 1/8, 1/4 or 1/2 scale (1/8 when no
 * pixel analysis is asked for; analysis_scale when the caller asks whether
 * the copy is in colour or sealed), never at full resolution, row by row,
 * and always to the end of the entropy data: once the answers asked for
 * are certain, the remaining rows are skipped (entropy-decoded, not drawn)
 * rather than left unread. A decode that fails, or whose error manager
 * warns of damaged data (corrupt or missing entropy data, extraneous
 * bytes, a premature end), makes the file `corrupt`, never `greyscale`:
 * libjpeg has filled what it could not read with grey, so the pixels are
 * not the scan's. A caller may take the decoded rows (probe_buffer_rows),
 * so that report.html's thumbnail costs no second decode. Only files
 * beyond the work bound (DECODE_WORK_MAX) are judged by the walk alone.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>  /* jpeglib.h needs FILE and size_t declared first */
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "packet/probe.h"
#include "packet/probe_internal.h"

/* Decoding work, as scans times pixels, beyond which the pixels are not
 * analysed (the file is still judged whole by its markers). One pixel-scan
 * costs about 0.5 ns at 1/8 scale, so this bounds a decode at about 2 s; a
 * 100-megapixel progressive JPEG of 10 scans needs a quarter of it. */
#define DECODE_WORK_MAX 4000000000ULL

/* Bound on libjpeg's working memory. At 1/8 scale, only progressive and
 * multi-scan files need a whole-image buffer: 2 bytes per coefficient, up to
 * 6 bytes per pixel for 4:4:4 colour, so this covers images of about 90
 * megapixels. A larger one is left unanalysed rather than taking a worker's
 * memory in a parallel batch. */
#define JPEG_MEM_MAX (512UL * 1024 * 1024)

/* No real encoder writes more than a few dozen scans (progressive JPEGs use
 * about 10, one scan per DCT coefficient and component is under 300);
 * hundreds of empty scans are a known way to make a decoder spend seconds on
 * a small file, as each scan visits every block of the image. libjpeg-turbo
 * suggests 500 as the limit for untrusted input. */
#define JPEG_MAX_SCANS 500

/* PDF's limit on an image's width and height (ISO 32000, Annex C). */
#define PDF_MAX_SIDE 65500

/* Components whose scans the walk follows; more are left to libjpeg. */
#define WALK_COMPS 4

static const char TRUNC_EN[] = "truncated JPEG (no end-of-image marker)";
static const char TRUNC_ZH[] = "JPEG 文件不完整（缺少结束标记）";

/* What the marker walk found. */
typedef struct {
	int have_sof, have_sos;
	uint8_t sof;            /* n of SOFn */
	uint8_t precision;
	uint8_t ncomp;
	uint32_t width, height; /* height may come from a DNL marker */
	int dnl;                /* the height came from a DNL marker */
	unsigned scans;
	unsigned restart;       /* DRI's interval, in MCUs; 0 none */
	int track;              /* the scans are followed (see parse_sof) */
	uint8_t comp_id[WALK_COMPS], hs[WALK_COMPS], vs[WALK_COMPS], hmax, vmax;
	/* Progressive: the lowest bit of each coefficient sent so far, per
	 * component (-1 none yet); sequential: [c][0] >= 0 once a scan
	 * carried component c. */
	int8_t coef_bit[WALK_COMPS][64];

	int have_jfif;
	uint8_t jfif_units;     /* 0 aspect ratio only, 1 dots/inch, 2 dots/cm */
	uint16_t jfif_x, jfif_y;

	int have_exif;
	int orientation;        /* as file_info.orientation */
	double exif_x, exif_y;  /* 0 when absent or unusable */
	uint16_t exif_unit;     /* TIFF ResolutionUnit: 1 none, 2 inch, 3 cm */

	int have_adobe;
	uint8_t adobe_transform;
} jpeg_markers;

/* --- EXIF (a TIFF structure inside APP1) --- */

typedef struct {
	const uint8_t *d;
	size_t n;
	int little;  /* "II" byte order */
} tiff_view;

static uint16_t tiff16(const tiff_view *t, size_t off)
{
	const uint8_t *p = t->d + off;
	return t->little ? (uint16_t)(p[0] | p[1] << 8) : lp_be16(p);
}

static uint32_t tiff32(const tiff_view *t, size_t off)
{
	const uint8_t *p = t->d + off;
	return t->little ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				   (uint32_t)p[3] << 24
			 : lp_be32(p);
}

enum { TIFF_SHORT = 3, TIFF_RATIONAL = 5 };
enum { TAG_ORIENTATION = 0x0112, TAG_XRES = 0x011A, TAG_YRES = 0x011B, TAG_RES_UNIT = 0x0128 };

/* A RATIONAL entry's value, stored at an offset; 0 when unusable. */
static double tiff_rational(const tiff_view *t, const uint8_t *entry_value, uint16_t type,
			    uint32_t count)
{
	if (type != TIFF_RATIONAL || count < 1)
		return 0;
	uint32_t off = tiff32(t, (size_t)(entry_value - t->d));
	if (off > t->n || t->n - off < 8)
		return 0;
	uint32_t num = tiff32(t, off), den = tiff32(t, off + 4);
	return den ? (double)num / den : 0;
}

/* IFD0 of the EXIF block: orientation and resolution. A damaged block is
 * read as far as it goes; only the orientation can be judged invalid. */
static void parse_exif(const uint8_t *d, size_t n, jpeg_markers *m)
{
	tiff_view t = { d, n, 0 };
	if (n < 8)
		return;
	if (d[0] == 'I' && d[1] == 'I')
		t.little = 1;
	else if (!(d[0] == 'M' && d[1] == 'M'))
		return;
	if (tiff16(&t, 2) != 42)
		return;
	uint32_t ifd = tiff32(&t, 4);
	if (ifd < 8 || ifd > n - 2)
		return;
	uint32_t count = tiff16(&t, ifd);
	size_t fits = (n - ifd - 2) / 12;
	if (count > fits)
		count = (uint32_t)fits;
	for (uint32_t i = 0; i < count; i++) {
		size_t e = ifd + 2 + (size_t)12 * i;
		uint16_t tag = tiff16(&t, e), type = tiff16(&t, e + 2);
		uint32_t cnt = tiff32(&t, e + 4);
		switch (tag) {
		case TAG_ORIENTATION: {
			uint16_t v = type == TIFF_SHORT && cnt >= 1 ? tiff16(&t, e + 8) : 0xFFFF;
			/* 0 is what some writers put for "undefined": no rotation,
			 * as if absent. Anything else outside 1-8 is invalid. */
			m->orientation = v <= 8 ? v : -1;
			break;
		}
		case TAG_XRES:
			m->exif_x = tiff_rational(&t, d + e + 8, type, cnt);
			break;
		case TAG_YRES:
			m->exif_y = tiff_rational(&t, d + e + 8, type, cnt);
			break;
		case TAG_RES_UNIT:
			if (type == TIFF_SHORT && cnt >= 1)
				m->exif_unit = tiff16(&t, e + 8);
			break;
		}
	}
}

/* The orientation in a bare EXIF (TIFF) block, as file_info.orientation:
 * what a PNG's eXIf chunk holds. */
int probe_exif_orientation(const uint8_t *d, size_t n)
{
	jpeg_markers m;

	memset(&m, 0, sizeof m);
	parse_exif(d, n, &m);
	return m.orientation;
}

/* --- the marker walk --- */

static int is_sof(uint8_t marker)
{
	/* C4 is DHT, C8 is reserved (JPG), CC is DAC: not frames. */
	return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
	       marker != 0xCC;
}

/* PDF's limit on a side (and the pixel limit), from the header: refused
 * before any decoder sees the image. */
static int too_large(const probe_limits *lim, uint32_t w, uint32_t h, file_info *out)
{
	if (probe_check_pixel_limit(lim, w, h, out))
		return 1;
	if (w <= PDF_MAX_SIDE && h <= PDF_MAX_SIDE)
		return 0;
	probe_fail(out, PROBE_TOO_LARGE, "wider or taller than 65500 pixels, the most a PDF page can show",
		   "宽或高超过 65500 像素（PDF 的上限）");
	return 1;
}

static probe_status parse_sof(const uint8_t *seg, size_t len, uint8_t marker,
			      const probe_limits *lim, jpeg_markers *m, file_info *out)
{
	if (m->have_sof)  /* hierarchical files have several; the first rules */
		return PROBE_OK;
	if (len < 6 || seg[5] == 0 || len < 6 + (size_t)3 * seg[5])
		return probe_fail(out, PROBE_CORRUPT, "invalid JPEG frame header (SOF)",
				  "JPEG 帧头（SOF）无效");
	m->have_sof = 1;
	m->sof = (uint8_t)(marker - 0xC0);
	m->precision = seg[0];
	m->height = lp_be16(seg + 1);
	m->width = lp_be16(seg + 3);
	m->ncomp = seg[5];
	out->width = m->width;
	out->height = m->height;
	/* Refuse now, before reading on: nothing past this point matters. */
	if (too_large(lim, m->width, m->height, out))
		return PROBE_TOO_LARGE;
	/* Scans are followed in the DCT frames libjpeg reads (sequential and
	 * progressive, Huffman or arithmetic), not in lossless or
	 * hierarchical ones. */
	static const uint8_t followed[] = { 0, 1, 2, 9, 10 };
	m->track = memchr(followed, m->sof, sizeof followed) != NULL && m->ncomp <= WALK_COMPS;
	memset(m->coef_bit, 0xFF, sizeof m->coef_bit);
	for (unsigned c = 0; m->track && c < m->ncomp; c++) {
		const uint8_t *ci = seg + 6 + 3 * c;
		m->comp_id[c] = ci[0];
		m->hs[c] = ci[1] >> 4;
		m->vs[c] = ci[1] & 15;
		if (m->hs[c] < 1 || m->hs[c] > 4 || m->vs[c] < 1 || m->vs[c] > 4)
			m->track = 0; /* libjpeg refuses it; not a walk's question */
		if (m->hs[c] > m->hmax)
			m->hmax = m->hs[c];
		if (m->vs[c] > m->vmax)
			m->vmax = m->vs[c];
	}
	return PROBE_OK;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* Skip entropy-coded data from p. Inside it, FF 00 is a stuffed FF, FF D0-D7
 * a restart marker and FF FF fill; any other FF xx ends the scan. Returns the
 * offset of that marker's FF, or n when the data runs out first. Counts the
 * restart markers in *rst, and sets *disorder when one is not the next in
 * the cycle RST0, RST1, ... RST7, RST0. */
static size_t entropy_end(const uint8_t *d, size_t n, size_t p, uint64_t *rst, int *disorder)
{
	while (p < n) {
		const uint8_t *ff = memchr(d + p, 0xFF, n - p);
		if (!ff)
			return n;
		size_t i = (size_t)(ff - d);
		if (i + 1 >= n)
			return n;
		uint8_t b = d[i + 1];
		if (b >= 0xD0 && b <= 0xD7) {
			if ((unsigned)(b - 0xD0) != (*rst & 7))
				*disorder = 1;
			++*rst;
			p = i + 2;
		} else if (b == 0x00) {
			p = i + 2;
		} else if (b == 0xFF) {
			p = i + 1;
		} else {
			return i;
		}
	}
	return n;
}

/* A progressive scan's coefficients against what earlier scans sent, as
 * ISO 10918-1 G.1.1.1 orders them (libjpeg warns of the same and decodes
 * on). comps are the scan's components (indexes), ns of them. */
static probe_status progression(jpeg_markers *m, const unsigned *comps, unsigned ns,
				const uint8_t *spec, file_info *out)
{
	unsigned ss = spec[0], se = spec[1], ah = spec[2] >> 4, al = spec[2] & 15;

	if (ss > se || se > 63 || (ss == 0 && se != 0) || (ss > 0 && ns != 1) || al > 13 ||
	    (ah != 0 && al != ah - 1))
		return probe_fail(out, PROBE_CORRUPT, "invalid progressive JPEG scan header",
				  "渐进式 JPEG 扫描头无效");
	for (unsigned i = 0; i < ns; i++) {
		int8_t *bit = m->coef_bit[comps[i]];
		if (ss > 0 && bit[0] < 0)
			return probe_fail(out, PROBE_CORRUPT,
					  "progressive JPEG without its first (DC) scan",
					  "渐进式 JPEG 缺少第一个（DC）扫描");
		for (unsigned k = ss; k <= se; k++) {
			if (ah == 0 ? bit[k] >= 0 : bit[k] != (int)ah)
				return probe_fail(out, PROBE_CORRUPT,
						  "progressive JPEG scans out of order or repeated",
						  "渐进式 JPEG 扫描顺序错误或重复");
			bit[k] = (int8_t)al;
		}
	}
	return PROBE_OK;
}

/* One scan: its header (SOS segment seg), then its entropy-coded data from
 * *pp, after which *pp is the FF of the marker that ends it. */
static probe_status walk_scan(const uint8_t *d, size_t n, size_t *pp, const uint8_t *seg, size_t len,
			      jpeg_markers *m, file_info *out)
{
	unsigned comps[WALK_COMPS], ns = len ? seg[0] : 0;
	uint64_t rst = 0;
	int disorder = 0;

	if (ns < 1 || ns > 4 || len < 1 + 2 * (size_t)ns + 3)
		return probe_fail(out, PROBE_CORRUPT, "invalid JPEG scan header (SOS)",
				  "JPEG 扫描头（SOS）无效");
	*pp = entropy_end(d, n, *pp, &rst, &disorder);
	if (*pp >= n)
		return probe_fail(out, PROBE_CORRUPT, TRUNC_EN, TRUNC_ZH);
	if (!m->track)
		return PROBE_OK;
	for (unsigned i = 0; i < ns; i++) {
		unsigned c = 0;
		while (c < m->ncomp && m->comp_id[c] != seg[1 + 2 * i])
			c++;
		if (c == m->ncomp)
			return probe_fail(out, PROBE_CORRUPT, "JPEG scan names a component the frame lacks",
					  "JPEG 扫描引用了帧中不存在的分量");
		comps[i] = c;
	}
	if (m->sof == 2 || m->sof == 10) {
		probe_status st = progression(m, comps, ns, seg + 1 + 2 * ns, out);
		if (st != PROBE_OK)
			return st;
	} else {
		for (unsigned i = 0; i < ns; i++)
			m->coef_bit[comps[i]][0] = 0;
	}
	if (disorder && m->restart > 0)
		return probe_fail(out, PROBE_CORRUPT, "JPEG image data damaged (restart markers out of order)",
				  "JPEG 图像数据损坏（重启标记顺序错误）");
	if (m->restart == 0 || m->height == 0)
		return PROBE_OK;
	/* The restart markers the scan must hold: one between every two
	 * intervals of its MCUs (a lone component's MCU is one block). */
	uint64_t mcus;
	if (ns == 1) {
		unsigned c = comps[0];
		mcus = ceil_div(ceil_div((uint64_t)m->width * m->hs[c], m->hmax), 8) *
		       ceil_div(ceil_div((uint64_t)m->height * m->vs[c], m->vmax), 8);
	} else {
		mcus = ceil_div(m->width, 8u * m->hmax) * ceil_div(m->height, 8u * m->vmax);
	}
	if (rst + 1 < ceil_div(mcus, m->restart))
		return probe_fail(out, PROBE_CORRUPT, "JPEG image data cut short (restart markers missing)",
				  "JPEG 图像数据不完整（缺少重启标记）");
	return PROBE_OK;
}

/* After the walk: every component in some scan (sequential); for a
 * progressive frame, every component's DC scan, and, unless the file is
 * DC scans alone, every DC coefficient to full precision and each
 * component's AC coefficients all to full precision or none. Files of DC
 * scans alone are whole to libjpeg and to viewers (a blurred image; the
 * corpus has one, progressive-missing-ac.jpg), so a partial download cut
 * right after its first scan passes; one cut later does not. */
static probe_status scans_complete(const jpeg_markers *m, file_info *out)
{
	int progressive = m->sof == 2 || m->sof == 10, any_ac = 0;

	if (!m->track)
		return PROBE_OK;
	for (unsigned c = 0; c < m->ncomp; c++) {
		if (m->coef_bit[c][0] < 0)
			return progressive
				   ? probe_fail(out, PROBE_CORRUPT, "progressive JPEG without its first (DC) scan",
						"渐进式 JPEG 缺少第一个（DC）扫描")
				   : probe_fail(out, PROBE_CORRUPT, "JPEG lacks the scan of a colour component",
						"JPEG 缺少某个颜色分量的扫描");
		for (unsigned k = 1; progressive && k < 64; k++)
			any_ac |= m->coef_bit[c][k] >= 0;
	}
	for (unsigned c = 0; any_ac && c < m->ncomp; c++) {
		const int8_t *bit = m->coef_bit[c];
		unsigned sent = 0;
		int unrefined = bit[0] != 0;
		for (unsigned k = 1; k < 64; k++) {
			sent += bit[k] >= 0;
			unrefined |= bit[k] > 0;
		}
		if (unrefined || (sent != 0 && sent != 63))
			return probe_fail(out, PROBE_CORRUPT, "progressive JPEG incomplete (scans missing)",
					  "渐进式 JPEG 不完整（缺少扫描）");
	}
	return PROBE_OK;
}

/* Walk from SOI to EOI. Returns PROBE_OK when the structure is whole. */
static probe_status walk_markers(const uint8_t *d, size_t n, const probe_limits *lim,
				 jpeg_markers *m, file_info *out)
{
	size_t p = 2;  /* past SOI */
	for (;;) {
		/* Junk between segments is tolerated (libjpeg skips it with a
		 * warning, and so do viewers); fill bytes precede a marker. */
		while (p < n && d[p] != 0xFF)
			p++;
		while (p < n && d[p] == 0xFF)
			p++;
		if (p >= n)
			return probe_fail(out, PROBE_CORRUPT, TRUNC_EN, TRUNC_ZH);
		uint8_t marker = d[p++];
		if (marker == 0xD9)
			return PROBE_OK;
		/* Stand-alone markers: TEM, RSTn, SOI (and FF 00 out of place). */
		if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8))
			continue;
		if (n - p < 2)
			return probe_fail(out, PROBE_CORRUPT, TRUNC_EN, TRUNC_ZH);
		uint16_t seglen = lp_be16(d + p);
		if (seglen < 2)
			return probe_fail(out, PROBE_CORRUPT, "invalid JPEG segment length",
					  "JPEG 数据段长度无效");
		if (seglen > n - p)
			return probe_fail(out, PROBE_CORRUPT, TRUNC_EN, TRUNC_ZH);
		const uint8_t *seg = d + p + 2;
		size_t len = seglen - 2u;
		p += seglen;

		if (is_sof(marker)) {
			probe_status st = parse_sof(seg, len, marker, lim, m, out);
			if (st != PROBE_OK)
				return st;
		} else if (marker == 0xF7) {
			/* SOF55: JPEG-LS, another codec behind the same SOI;
			 * neither libjpeg nor PDF readers decode it. */
			return probe_fail(out, PROBE_REFUSED, "JPEG-LS image (not ordinary JPEG)",
					  "JPEG-LS 图片（不是普通 JPEG）");
		} else if (marker == 0xDA) {
			if (!m->have_sof)
				return probe_fail(out, PROBE_CORRUPT,
						  "JPEG scan comes before its frame header",
						  "JPEG 图像数据出现在帧头之前");
			m->have_sos = 1;
			if (++m->scans > JPEG_MAX_SCANS)
				return probe_fail(out, PROBE_CORRUPT,
						  "JPEG has an implausible number of scans",
						  "JPEG 扫描段数量异常");
			probe_status st = walk_scan(d, n, &p, seg, len, m, out);
			if (st != PROBE_OK)
				return st;
		} else if (marker == 0xDD) {
			if (len >= 2)
				m->restart = lp_be16(seg);
		} else if (marker == 0xDC) {
			/* DNL: the frame said height 0, "given after the first scan". */
			if (len >= 2 && m->have_sof && m->height == 0) {
				m->height = lp_be16(seg);
				m->dnl = 1;
				out->height = m->height;
				if (too_large(lim, m->width, m->height, out))
					return PROBE_TOO_LARGE;
			}
		} else if (marker == 0xE0) {
			if (!m->have_jfif && len >= 12 && !memcmp(seg, "JFIF\0", 5)) {
				m->have_jfif = 1;
				m->jfif_units = seg[7];
				m->jfif_x = lp_be16(seg + 8);
				m->jfif_y = lp_be16(seg + 10);
			}
		} else if (marker == 0xE1) {
			if (!m->have_exif && len >= 6 && !memcmp(seg, "Exif\0", 5)) {
				m->have_exif = 1;
				parse_exif(seg + 6, len - 6, m);
			}
		} else if (marker == 0xEE) {
			/* as libjpeg reads it: the whole 12 bytes, before the first scan */
			if (!m->have_adobe && !m->have_sos && len >= 12 && !memcmp(seg, "Adobe", 5)) {
				m->have_adobe = 1;
				m->adobe_transform = seg[11];
			}
		}
	}
}

static void set_density(const jpeg_markers *m, file_info *out)
{
	if (m->have_jfif && m->jfif_x && m->jfif_y &&
	    (m->jfif_units == 1 || m->jfif_units == 2)) {
		double k = m->jfif_units == 2 ? 2.54 : 1.0;
		out->dpi_x = m->jfif_x * k;
		out->dpi_y = m->jfif_y * k;
		return;
	}
	/* TIFF's ResolutionUnit defaults to inches; 1 means "no unit". */
	uint16_t unit = m->exif_unit ? m->exif_unit : 2;
	if (m->exif_x > 0 && m->exif_y > 0 && (unit == 2 || unit == 3)) {
		double k = unit == 3 ? 2.54 : 1.0;
		out->dpi_x = m->exif_x * k;
		out->dpi_y = m->exif_y * k;
	}
}

/* --- decoding at a reduced scale, by libjpeg-turbo --- */

/* 1/8 scale keeps an A4 scan's analysis cheap; a small image (an ID card
 * photographed at low resolution) at 1/8 leaves a company seal only a few
 * pixels wide, so it gets the coarsest scale that keeps ~500 pixels on the
 * long edge, and never full resolution. Returns the denominator. */
static unsigned analysis_scale(uint32_t width, uint32_t height)
{
	uint32_t long_edge = width > height ? width : height;
	return long_edge >= 8 * 500 ? 8 : long_edge >= 4 * 500 ? 4 : 2;
}

typedef enum { DECODE_OK, DECODE_UNSUPPORTED, DECODE_FAILED, DECODE_DAMAGED } decode_result;

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	int reading_data; /* past the header: warnings now are about image data */
	int damaged;      /* a warning of damaged data came while reading_data */
} decode_error;

/* Everything the decoder touches lives here, in the caller's frame, so that
 * nothing local to the function that calls setjmp changes before longjmp. */
typedef struct {
	struct jpeg_decompress_struct cinfo;
	decode_error err;
	pixel_stats stats;
} decode_state;

static void on_decode_error(j_common_ptr cinfo)
{
	decode_error *e = (decode_error *)cinfo->err;
	longjmp(e->jump, 1);
}

/* The warnings that mean libjpeg met damaged image data and made up what
 * it could not read (grey blocks, a skipped stretch). Others (an unknown
 * JFIF version, an odd Adobe transform, a bad ICC chunk, odd but harmless
 * scan parameters in a sequential file) say nothing of the pixels. Junk
 * between the segments before the first scan is tolerated, as by the
 * marker walk, and comes before reading_data. */
static int is_damage(int code)
{
	switch (code) {
	case JWRN_ARITH_BAD_CODE:
	case JWRN_BOGUS_PROGRESSION:
	case JWRN_EXTRANEOUS_DATA:
	case JWRN_HIT_MARKER:
	case JWRN_HUFF_BAD_CODE:
	case JWRN_JPEG_EOF:
	case JWRN_MUST_RESYNC:
		return 1;
	default:
		return 0;
	}
}

/* libjpeg would print warnings to stderr; note them instead. */
static void on_decode_message(j_common_ptr cinfo, int level)
{
	decode_error *e = (decode_error *)cinfo->err;
	if (level >= 0)
		return;
	e->pub.num_warnings++;
	if (e->reading_data && is_damage(e->pub.msg_code))
		e->damaged = 1;
}

static void on_decode_output(j_common_ptr cinfo)
{
	(void)cinfo;
}

/* Errors that say this libjpeg cannot decode a valid file (12-bit, lossless,
 * DNL, a memory bound), as opposed to errors in the data. */
static int is_unsupported(int code)
{
	switch (code) {
	case JERR_ARITH_NOTIMPL:
	case JERR_BAD_PRECISION:
	case JERR_CCIR601_NOTIMPL:
	case JERR_CONVERSION_NOTIMPL:
	case JERR_EMPTY_IMAGE:
	case JERR_FRACT_SAMPLE_NOTIMPL:
	case JERR_IMAGE_TOO_BIG:
	case JERR_NOTIMPL:
	case JERR_NOT_COMPILED:
	case JERR_NO_BACKING_STORE:
	case JERR_OUT_OF_MEMORY:
	case JERR_SOF_UNSUPPORTED:
	case JERR_WIDTH_OVERFLOW:
		return 1;
	default:
		return 0;
	}
}

/* CMYK (or YCCK, which libjpeg turns into CMYK) to RGB, crudely: enough to
 * judge grey and red. Adobe applications, which write the APP14 marker,
 * store the ink amounts inverted (0 = full ink). */
static void cmyk_to_rgb(const uint8_t *in, uint8_t *out, uint32_t n, int inverted)
{
	for (uint32_t i = 0; i < n; i++, in += 4, out += 3) {
		unsigned c = in[0], mg = in[1], y = in[2], k = in[3];
		if (!inverted) {
			c = 255 - c;
			mg = 255 - mg;
			y = 255 - y;
			k = 255 - k;
		}
		out[0] = (uint8_t)((c * k + 127) / 255);
		out[1] = (uint8_t)((mg * k + 127) / 255);
		out[2] = (uint8_t)((y * k + 127) / 255);
	}
}

/* The scale of the decode: analysis_scale when pixels are analysed, else
 * 1/8 (the entropy data is all that is judged); halved while the long edge
 * would be shorter than rows->min_edge, down to 1/2. */
static unsigned decode_scale(uint32_t width, uint32_t height, unsigned want, const probe_rows *rows)
{
	uint32_t long_edge = width > height ? width : height;
	unsigned denom = want ? analysis_scale(width, height) : 8;

	while (rows && denom > 2 && (long_edge + denom - 1) / denom < rows->min_edge)
		denom /= 2;
	return denom;
}

/* Decode at decode_scale, row by row into s->stats (when want asks for
 * answers) and to rows (when it takes them), always to the end of the
 * entropy data: a sequential scan cut short and closed with an end marker
 * shows only there (libjpeg warns where the data runs out). Once the
 * answers are settled and no one takes the rows, the rest is skipped
 * (jpeg_skip_scanlines entropy-decodes what it skips, without the inverse
 * DCT and colour conversion, but a skip to the very end decodes nothing:
 * so the last row is read). jpeg_finish_decompress then reads on to the
 * end-of-image marker and so sees data left over after the last row. A
 * progressive file is read whole by jpeg_start_decompress. */
static decode_result decode_scaled(decode_state *s, const uint8_t *d, size_t n, const jpeg_markers *m,
				   unsigned want, const probe_rows *rows)
{
	struct jpeg_decompress_struct *ci = &s->cinfo;

	if (setjmp(s->err.jump)) {
		int code = s->err.pub.msg_code;
		jpeg_destroy_decompress(ci);
		return is_unsupported(code) ? DECODE_UNSUPPORTED : DECODE_FAILED;
	}
	jpeg_create_decompress(ci);
	ci->mem->max_memory_to_use = JPEG_MEM_MAX;
	jpeg_mem_src(ci, d, (unsigned long)n);
	jpeg_read_header(ci, TRUE);
	s->err.reading_data = 1;

	int comps = ci->num_components;
	if (comps == 1)
		ci->out_color_space = JCS_GRAYSCALE;
	else if (comps == 3)
		ci->out_color_space = JCS_RGB;
	else if (comps == 4)
		ci->out_color_space = JCS_CMYK;
	else {
		jpeg_destroy_decompress(ci);
		return DECODE_UNSUPPORTED;
	}
	ci->scale_num = 1;
	ci->scale_denom = decode_scale(ci->image_width, ci->image_height, want, rows);
	ci->dct_method = JDCT_IFAST;
	ci->do_fancy_upsampling = FALSE;
	ci->do_block_smoothing = FALSE;
	jpeg_start_decompress(ci);

	/* Never a full-resolution decode, whatever this libjpeg supports. */
	if (ci->output_width > (ci->image_width + ci->scale_denom - 1) / ci->scale_denom ||
	    ci->output_height > (ci->image_height + ci->scale_denom - 1) / ci->scale_denom ||
	    ci->scale_denom < 2) {
		jpeg_destroy_decompress(ci);
		return DECODE_UNSUPPORTED;
	}
	JDIMENSION w = ci->output_width;
	int take = rows && rows->begin(rows->ctx, w, ci->output_height);
	JSAMPARRAY row = (*ci->mem->alloc_sarray)((j_common_ptr)ci, JPOOL_IMAGE, w * (JDIMENSION)comps, 1);
	JSAMPARRAY rgb = NULL;
	if (comps == 4 || (comps == 1 && take))
		rgb = (*ci->mem->alloc_sarray)((j_common_ptr)ci, JPOOL_IMAGE, w * 3, 1);
	if (want)
		pixel_stats_init(&s->stats, w, ci->output_height);
	int settled = !want;
	while (ci->output_scanline < ci->output_height && !s->err.damaged) {
		uint32_t y = ci->output_scanline, left = ci->output_height - y;
		if (settled && !take && left > 1) {
			if (jpeg_skip_scanlines(ci, left - 1) != left - 1)
				break;
			continue;
		}
		if (jpeg_read_scanlines(ci, row, 1) != 1)
			break;
		const uint8_t *px = row[0];
		int ch = comps;
		if (comps == 4) {
			cmyk_to_rgb(row[0], rgb[0], w, m->have_adobe);
			px = rgb[0];
			ch = 3;
		}
		if (!settled) {
			pixel_stats_add(&s->stats, px, w, ch, y, 0, 1);
			settled = pixel_stats_settled(&s->stats, want);
		}
		if (take && comps == 1) {
			for (JDIMENSION x = 0; x < w; x++)
				rgb[0][3 * x] = rgb[0][3 * x + 1] = rgb[0][3 * x + 2] = row[0][x];
			px = rgb[0];
		}
		if (take)
			rows->row(rows->ctx, y, px);
	}
	if (s->err.damaged)
		jpeg_abort_decompress(ci);
	else
		jpeg_finish_decompress(ci);
	jpeg_destroy_decompress(ci);
	return s->err.damaged ? DECODE_DAMAGED : DECODE_OK;
}

static probe_status analyse(const uint8_t *d, size_t n, const jpeg_markers *m, unsigned want,
			    const probe_rows *rows, file_info *out)
{
	decode_state s;

	memset(&s, 0, sizeof s);
	s.cinfo.err = jpeg_std_error(&s.err.pub);
	s.err.pub.error_exit = on_decode_error;
	s.err.pub.emit_message = on_decode_message;
	s.err.pub.output_message = on_decode_output;

	switch (decode_scaled(&s, d, n, m, want, rows)) {
	case DECODE_OK:
		if (want)
			pixel_stats_finish(&s.stats, out);
		return PROBE_OK;
	case DECODE_UNSUPPORTED:
		return PROBE_OK;  /* a valid file this decoder cannot read: not judged */
	case DECODE_DAMAGED:
		return probe_fail(out, PROBE_CORRUPT,
				  "JPEG image data is damaged (corrupt, missing or extra data in the scan)",
				  "JPEG 图像数据损坏（扫描数据有错、缺失或多余）");
	default:
		return probe_fail(out, PROBE_CORRUPT, "JPEG image data cannot be decoded",
				  "JPEG 图像数据无法解码");
	}
}

probe_status probe_jpeg(const uint8_t *data, size_t len, const probe_limits *lim,
			const probe_rows *rows, file_info *out)
{
	jpeg_markers m;
	memset(&m, 0, sizeof m);
	out->pages = 1;

	probe_status st = walk_markers(data, len, lim, &m, out);
	if (m.have_sof) {
		out->jpeg_sof = m.sof;
		out->bit_depth = m.precision;
		out->components = m.ncomp;
		out->cmyk = m.ncomp == 4;
		/* Progressive: SOF2, SOF6, SOF10, SOF14. */
		out->interlaced = (m.sof & 3) == 2;
		out->encoding = m.ncomp == 1 ? COLOUR_GREY
			      : m.ncomp >= 3 ? COLOUR_COLOUR : COLOUR_UNKNOWN;
	}
	out->orientation = m.orientation;
	out->jpeg_adobe = m.have_adobe;
	set_density(&m, out);
	if (st != PROBE_OK)
		return st;

	if (!m.have_sof)
		return probe_fail(out, PROBE_CORRUPT,
				  "JPEG has no frame header (no start-of-frame marker)",
				  "JPEG 文件缺少帧头（SOF 标记）");
	if (!m.have_sos)
		return probe_fail(out, PROBE_CORRUPT,
				  "JPEG has no image data (no start-of-scan marker)",
				  "JPEG 文件缺少图像数据（SOS 标记）");
	if (m.width == 0 || m.height == 0)
		return probe_fail(out, PROBE_CORRUPT, "JPEG declares a zero width or height",
				  "JPEG 图像的宽度或高度为零");
	if (m.dnl)
		return probe_fail(out, PROBE_REFUSED,
				  "a JPEG with its height after the image data (DNL marker, shown blank by PDF readers)",
				  "高度写在图像数据之后的 JPEG（DNL 标记，PDF 阅读器显示为空白）");
	st = scans_complete(&m, out);
	if (st != PROBE_OK)
		return st;
	/* Beyond the work bound the walk's checks are the whole judgement:
	 * truncation, a missing end marker, restart markers, progressive
	 * scans; not a sequential scan without restart markers cut short and
	 * closed with an end marker. */
	if ((uint64_t)m.scans * m.width * m.height > DECODE_WORK_MAX)
		return PROBE_OK;
	return analyse(data, len, &m, lim->analyse_pixels, rows, out);
}
