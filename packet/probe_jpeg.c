/*
 * probe_jpeg: what a JPEG file holds and whether it is whole.
 *
 * The file's markers are walked here, by hand and bounds-checked at every
 * step, rather than by libjpeg: the walk must reach the end-of-image marker
 * (libjpeg invents one when the data runs out, so a truncated scan would pass
 * unnoticed), must read the EXIF orientation and density (libjpeg does not),
 * and must refuse an image that declares too many pixels before any decoder
 * allocates for it. Only when the caller asks for pixel analysis is the image
 * decoded, and never at full resolution: first by jpeg_dc.c, which makes the
 * 1/8-scale image from the DC coefficients alone and stops once the answers
 * asked for (a colour copy? a seal?) are certain; then, for what it leaves
 * (CMYK, arithmetic coding, anything irregular) and for a small image in
 * which 1/8 scale showed no seal or only grey, by libjpeg-turbo at 1/8, 1/4
 * or 1/2 scale (analysis_scale), reading every entropy-coded byte so that
 * hard decoding errors show.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>  /* jpeglib.h needs FILE and size_t declared first */
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "packet/jpeg_dc.h"
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

static const char TRUNC_EN[] = "truncated JPEG (no end-of-image marker)";
static const char TRUNC_ZH[] = "JPEG 文件不完整（缺少结束标记）";

/* What the marker walk found. */
typedef struct {
	int have_sof, have_sos;
	uint8_t sof;            /* n of SOFn */
	uint8_t precision;
	uint8_t ncomp;
	uint32_t width, height; /* height may come from a DNL marker */
	unsigned scans;
	jpeg_scan_span span[JPEG_MAX_SCANS]; /* where each scan's data lies, for jpeg_dc */

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
	return t->little ? (uint16_t)(p[0] | p[1] << 8) : probe_be16(p);
}

static uint32_t tiff32(const tiff_view *t, size_t off)
{
	const uint8_t *p = t->d + off;
	return t->little ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				   (uint32_t)p[3] << 24
			 : probe_be32(p);
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
	m->height = probe_be16(seg + 1);
	m->width = probe_be16(seg + 3);
	m->ncomp = seg[5];
	out->width = m->width;
	out->height = m->height;
	/* Refuse now, before reading on: nothing past this point matters. */
	if (probe_check_pixel_limit(lim, m->width, m->height, out))
		return PROBE_TOO_LARGE;
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
		uint16_t seglen = probe_be16(d + p);
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
			m->span[m->scans - 1].data = p;
			p = jpeg_entropy_end(d, n, p);
			if (p >= n)
				return probe_fail(out, PROBE_CORRUPT, TRUNC_EN, TRUNC_ZH);
			m->span[m->scans - 1].end = p;
		} else if (marker == 0xDC) {
			/* DNL: the frame said height 0, "given after the first scan". */
			if (len >= 2 && m->have_sof && m->height == 0) {
				m->height = probe_be16(seg);
				out->height = m->height;
				if (probe_check_pixel_limit(lim, m->width, m->height, out))
					return PROBE_TOO_LARGE;
			}
		} else if (marker == 0xE0) {
			if (!m->have_jfif && len >= 12 && !memcmp(seg, "JFIF\0", 5)) {
				m->have_jfif = 1;
				m->jfif_units = seg[7];
				m->jfif_x = probe_be16(seg + 8);
				m->jfif_y = probe_be16(seg + 10);
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

/* --- decoding at 1/8 scale, by libjpeg-turbo --- */

/* 1/8 scale keeps an A4 scan's analysis cheap; a small image (an ID card
 * photographed at low resolution) at 1/8 leaves a company seal only a few
 * pixels wide, so it gets the coarsest scale that keeps ~500 pixels on the
 * long edge, and never full resolution. Returns the denominator. */
static unsigned analysis_scale(uint32_t width, uint32_t height)
{
	uint32_t long_edge = width > height ? width : height;
	return long_edge >= 8 * 500 ? 8 : long_edge >= 4 * 500 ? 4 : 2;
}

typedef enum { DECODE_OK, DECODE_UNSUPPORTED, DECODE_FAILED } decode_result;

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
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

/* libjpeg would print warnings to stderr; count them instead. */
static void on_decode_message(j_common_ptr cinfo, int level)
{
	if (level < 0)
		cinfo->err->num_warnings++;
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

static decode_result decode_scaled(decode_state *s, const uint8_t *d, size_t n,
				   const jpeg_markers *m)
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
	ci->scale_denom = analysis_scale(ci->image_width, ci->image_height);
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
	JSAMPARRAY row = (*ci->mem->alloc_sarray)((j_common_ptr)ci, JPOOL_IMAGE,
						   ci->output_width * (JDIMENSION)comps, 1);
	JSAMPARRAY rgb = NULL;
	if (comps == 4)
		rgb = (*ci->mem->alloc_sarray)((j_common_ptr)ci, JPOOL_IMAGE,
					       ci->output_width * 3, 1);
	pixel_stats_init(&s->stats, ci->output_width, ci->output_height);
	while (ci->output_scanline < ci->output_height) {
		uint32_t y = ci->output_scanline;
		if (jpeg_read_scanlines(ci, row, 1) != 1)
			break;
		if (comps == 4) {
			cmyk_to_rgb(row[0], rgb[0], ci->output_width, m->have_adobe);
			pixel_stats_add(&s->stats, rgb[0], ci->output_width, 3, y, 0, 1);
		} else {
			pixel_stats_add(&s->stats, row[0], ci->output_width, comps, y, 0, 1);
		}
	}
	jpeg_finish_decompress(ci);
	jpeg_destroy_decompress(ci);
	return DECODE_OK;
}

/* The DC decoder's rows, into the statistics; stop when the answers asked
 * for are certain. */
typedef struct {
	pixel_stats stats;
	unsigned want;
	int started;
	int settled;  /* the answers were certain before the end */
} dc_feed;

static int feed_rows(void *arg, const jpeg_dc_image *img, const uint8_t *const *rows, uint32_t y0,
		     uint32_t y1)
{
	dc_feed *f = arg;

	if (!f->started) {
		pixel_stats_init(&f->stats, img->width, img->height);
		f->started = 1;
	}
	for (uint32_t y = y0; y < y1; y++)
		pixel_stats_add(&f->stats, rows[y - y0], img->width, img->channels, y, 0, 1);
	f->settled = pixel_stats_settled(&f->stats, f->want);
	return f->settled;
}

static probe_status analyse(const uint8_t *d, size_t n, const jpeg_markers *m, unsigned want,
			    file_info *out)
{
	decode_state s;
	dc_feed f;

	/* The DC decoder first (jpeg_dc.c): its 1/8-scale image is the answer
	 * where 1/8 is the scale of the analysis, and otherwise as far as it
	 * sees a colour copy or a seal (what shows at 1/8 shows at 1/4). What
	 * it cannot take, and a small image in which it saw no seal, or only
	 * grey, goes to libjpeg-turbo at the image's own scale. */
	memset(&f, 0, sizeof f);
	f.want = want;
	switch (jpeg_dc_decode(d, n, m->span, m->scans, feed_rows, &f, NULL)) {
	case JPEG_DC_DONE:
		if (!f.started)
			return PROBE_OK;
		if (f.settled || analysis_scale(m->width, m->height) == 8) {
			pixel_stats_finish(&f.stats, out);
			return PROBE_OK;
		}
		break;
	case JPEG_DC_NOMEM:
		return PROBE_OK; /* as libjpeg's memory bound: not judged */
	case JPEG_DC_FALLBACK:
		break;
	}
	memset(&s, 0, sizeof s);
	s.cinfo.err = jpeg_std_error(&s.err.pub);
	s.err.pub.error_exit = on_decode_error;
	s.err.pub.emit_message = on_decode_message;
	s.err.pub.output_message = on_decode_output;

	switch (decode_scaled(&s, d, n, m)) {
	case DECODE_OK:
		/* Warnings (corrupt entropy data that libjpeg worked round)
		 * are tolerated: the markers were whole and the image shows. */
		pixel_stats_finish(&s.stats, out);
		return PROBE_OK;
	case DECODE_UNSUPPORTED:
		return PROBE_OK;  /* a valid file this decoder cannot read: not judged */
	default:
		return probe_fail(out, PROBE_CORRUPT, "JPEG image data cannot be decoded",
				  "JPEG 图像数据无法解码");
	}
}

probe_status probe_jpeg(const uint8_t *data, size_t len, const probe_limits *lim,
			file_info *out)
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
	if (!lim->analyse_pixels || (uint64_t)m.scans * m.width * m.height > DECODE_WORK_MAX)
		return PROBE_OK;
	return analyse(data, len, &m, lim->analyse_pixels, out);
}
