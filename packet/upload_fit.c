/*
 * upload_fit: decoding, turning, shrinking and encoding scans for the
 * upload folder (upload_fit.h). libjpeg-turbo and libpng do the codecs;
 * the shrink is a box filter (each output pixel the mean of the source
 * pixels it covers), which keeps thin strokes of text legible where a
 * nearest-pixel shrink would drop them.
 */
#include "packet/upload_fit.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

/* Bytes per pixel of a document scan re-encoded at quality 90, for the
 * estimate of a PNG's size as JPEG (scans measured here: 0.2-0.4). */
#define PNG_AS_JPEG_BPP 0.4
/* How much smaller quality FIT_MIN_QUALITY makes a scan than 90. */
#define MIN_QUALITY_GAIN 0.5
#define MAX_TRIES 16

uint32_t fit_min_edge(uint32_t dpi, double page_mm)
{
	return dpi ? (uint32_t)ceil(dpi * page_mm / 25.4) : 0;
}

/* The long edge lim lets an image of w x h keep (no larger than it is). */
static uint32_t target_edge(uint32_t w, uint32_t h, const fit_limits *lim)
{
	uint32_t lng = w > h ? w : h, sht = w > h ? h : w;
	double e = lng;

	if (lim->max_long_edge && e > lim->max_long_edge)
		e = lim->max_long_edge;
	if (lim->max_pixels && sht && (double)w * h > (double)lim->max_pixels) {
		double k = sqrt((double)lim->max_pixels / ((double)w * h));
		if (floor(lng * k) < e)
			e = floor(lng * k);
	}
	return (uint32_t)e;
}

fit_verdict fit_estimate(uint64_t bytes, uint32_t w, uint32_t h, file_format fmt, const fit_limits *lim)
{
	uint32_t lng = w > h ? w : h, edge, floor_edge = lim->min_long_edge < lng ? lim->min_long_edge : lng;
	double est, k;

	if (!w || !h || (fmt != FMT_JPEG && fmt != FMT_PNG))
		return FIT_NONE;
	edge = target_edge(w, h, lim);
	if (edge == lng && (!lim->max_bytes || bytes <= lim->max_bytes))
		return FIT_NONE;
	if (edge < floor_edge)
		return FIT_NO;
	k = (double)edge / lng;
	est = fmt == FMT_JPEG ? (double)bytes * k * k : (double)w * h * k * k * PNG_AS_JPEG_BPP;
	if (!lim->max_bytes || est <= (double)lim->max_bytes)
		return FIT_YES;
	/* at the smallest edge allowed, at the lowest quality */
	if (floor_edge) {
		k = (double)floor_edge / edge;
		est *= k * k;
	} else {
		est = 0;
	}
	return est * MIN_QUALITY_GAIN <= (double)lim->max_bytes ? FIT_YES : FIT_NO;
}

/* ---- decoding ---- */

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
} fit_jerr;

static void fit_jerr_exit(j_common_ptr c)
{
	fit_jerr *e = (fit_jerr *)c->err;

	c->err->format_message(c, e->msg);
	longjmp(e->jb, 1);
}

static void fit_jerr_silent(j_common_ptr c, int level)
{
	(void)c;
	(void)level;
}

/* What a longjmp must not lose lives here, off the stack frame. */
typedef struct {
	struct jpeg_decompress_struct d;
	fit_jerr e;
	uint8_t *px, *row;
} fit_dec;

/* data decoded at the smallest of 1/8, 1/4, 1/2, 1 that keeps the long
 * edge at least want. */
static int decode_jpeg_for(const uint8_t *data, size_t len, uint32_t want, thumb_rgb *img, char *err, size_t errlen)
{
	fit_dec *s = calloc(1, sizeof *s);
	unsigned denom, lng, x, c;
	volatile int ret = FIT_ERROR;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return FIT_ERROR;
	}
	s->d.err = jpeg_std_error(&s->e.pub);
	s->e.pub.error_exit = fit_jerr_exit;
	s->e.pub.emit_message = fit_jerr_silent;
	if (setjmp(s->e.jb)) {
		snprintf(err, errlen, "cannot decode JPEG: %s", s->e.msg);
		goto cleanup;
	}
	jpeg_create_decompress(&s->d);
	jpeg_mem_src(&s->d, data, (unsigned long)len);
	jpeg_read_header(&s->d, TRUE);
	lng = s->d.image_width > s->d.image_height ? s->d.image_width : s->d.image_height;
	for (denom = 8; denom > 1 && (lng + denom - 1) / denom < want; denom /= 2)
		;
	s->d.scale_num = 1;
	s->d.scale_denom = denom;
	/* a scaled decode is shrunk further anyway: the fast DCT's error is
	 * below what the box filter averages away */
	if (denom > 1) {
		s->d.dct_method = JDCT_IFAST;
		s->d.do_fancy_upsampling = FALSE;
	}
	s->d.out_color_space =
		s->d.jpeg_color_space == JCS_CMYK || s->d.jpeg_color_space == JCS_YCCK ? JCS_CMYK : JCS_RGB;
	jpeg_start_decompress(&s->d);
	s->px = malloc((size_t)s->d.output_width * s->d.output_height * 3);
	s->row = malloc((size_t)s->d.output_width * (size_t)s->d.output_components);
	if (!s->px || !s->row) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	while (s->d.output_scanline < s->d.output_height) {
		JSAMPROW rp = s->row;
		uint8_t *o = s->px + (size_t)s->d.output_scanline * s->d.output_width * 3;
		jpeg_read_scanlines(&s->d, &rp, 1);
		if (s->d.out_color_space == JCS_RGB) {
			memcpy(o, s->row, (size_t)s->d.output_width * 3);
			continue;
		}
		/* Adobe CMYK as libjpeg hands it over is inverted: c*k/255 is each colour */
		for (x = 0; x < s->d.output_width; x++)
			for (c = 0; c < 3; c++)
				o[3 * x + c] = (uint8_t)(s->row[4 * x + c] * s->row[4 * x + 3] / 255);
	}
	jpeg_finish_decompress(&s->d);
	img->px = s->px;
	img->w = s->d.output_width;
	img->h = s->d.output_height;
	s->px = NULL;
	ret = FIT_OK;
cleanup:
	jpeg_destroy_decompress(&s->d);
	free(s->px);
	free(s->row);
	free(s);
	return ret;
}

static int decode_png_rgb(const uint8_t *data, size_t len, thumb_rgb *img, char *err, size_t errlen)
{
	png_image im;
	png_color white = { 255, 255, 255 };

	memset(&im, 0, sizeof im);
	im.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&im, data, len)) {
		snprintf(err, errlen, "cannot decode PNG: %s", im.message);
		return FIT_ERROR;
	}
	im.format = PNG_FORMAT_RGB; /* transparency over white, as on paper */
	if (!(img->px = malloc(PNG_IMAGE_SIZE(im)))) {
		png_image_free(&im);
		snprintf(err, errlen, "out of memory");
		return FIT_ERROR;
	}
	if (!png_image_finish_read(&im, &white, img->px, 0, NULL)) {
		snprintf(err, errlen, "cannot decode PNG: %s", im.message);
		png_image_free(&im);
		free(img->px);
		img->px = NULL;
		return FIT_ERROR;
	}
	img->w = im.width;
	img->h = im.height;
	return FIT_OK;
}

/* ---- pixels ---- */

/* Where output pixel (x, y) of an image turned by EXIF orientation o comes
 * from in the stored one (w x h as stored). */
static size_t oriented_source(int o, unsigned w, unsigned h, unsigned x, unsigned y)
{
	unsigned sx, sy;

	switch (o) {
	case 2: sx = w - 1 - x; sy = y; break;
	case 3: sx = w - 1 - x; sy = h - 1 - y; break;
	case 4: sx = x; sy = h - 1 - y; break;
	case 5: sx = y; sy = x; break;
	case 6: sx = y; sy = h - 1 - x; break;
	case 7: sx = w - 1 - y; sy = h - 1 - x; break;
	case 8: sx = w - 1 - y; sy = x; break;
	default: sx = x; sy = y; break;
	}
	return (size_t)sy * w + sx;
}

static int turn_upright(thumb_rgb *img, int o)
{
	unsigned W = o >= 5 && o <= 8 ? img->h : img->w, H = o >= 5 && o <= 8 ? img->w : img->h, x, y;
	uint8_t *out;

	if (o < 2 || o > 8)
		return 0;
	if (!(out = malloc((size_t)W * H * 3)))
		return -1;
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			memcpy(out + ((size_t)y * W + x) * 3, img->px + 3 * oriented_source(o, img->w, img->h, x, y), 3);
	free(img->px);
	img->px = out;
	img->w = W;
	img->h = H;
	return 0;
}

int fit_shrink(const thumb_rgb *src, uint32_t edge, thumb_rgb *dst)
{
	unsigned lng = src->w > src->h ? src->w : src->h, tw, th, x, y, sx, sy, c;

	if (edge >= lng) {
		tw = src->w;
		th = src->h;
	} else {
		tw = (unsigned)((uint64_t)src->w * edge / lng);
		th = (unsigned)((uint64_t)src->h * edge / lng);
	}
	tw = tw ? tw : 1;
	th = th ? th : 1;
	if (!(dst->px = malloc((size_t)tw * th * 3)))
		return -1;
	dst->w = tw;
	dst->h = th;
	if (tw == src->w && th == src->h) {  /* the common case: nothing to shrink */
		memcpy(dst->px, src->px, (size_t)tw * th * 3);
		return 0;
	}
	for (y = 0; y < th; y++) {
		unsigned y0 = (unsigned)((uint64_t)y * src->h / th), y1 = (unsigned)((uint64_t)(y + 1) * src->h / th);
		y1 = y1 > y0 ? y1 : y0 + 1;
		for (x = 0; x < tw; x++) {
			unsigned x0 = (unsigned)((uint64_t)x * src->w / tw), x1 = (unsigned)((uint64_t)(x + 1) * src->w / tw);
			uint32_t sum[3] = { 0, 0, 0 }, n;
			x1 = x1 > x0 ? x1 : x0 + 1;
			for (sy = y0; sy < y1; sy++) {
				const uint8_t *p = src->px + ((size_t)sy * src->w + x0) * 3;
				for (sx = x0; sx < x1; sx++, p += 3)
					for (c = 0; c < 3; c++)
						sum[c] += p[c];
			}
			n = (y1 - y0) * (x1 - x0);
			for (c = 0; c < 3; c++)
				dst->px[((size_t)y * tw + x) * 3 + c] = (uint8_t)((sum[c] + n / 2) / n);
		}
	}
	return 0;
}

typedef struct {
	struct jpeg_compress_struct c;
	fit_jerr e;
	unsigned char *buf;
	unsigned long len;
} fit_enc;

/* img as a baseline JPEG at quality q, its JFIF density dpi (0: none). */
static int encode_jpeg(const thumb_rgb *img, int q, double dpi, uint8_t **out, size_t *len, char *err, size_t errlen)
{
	fit_enc *s = calloc(1, sizeof *s);
	volatile int ret = FIT_ERROR;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return FIT_ERROR;
	}
	s->c.err = jpeg_std_error(&s->e.pub);
	s->e.pub.error_exit = fit_jerr_exit;
	s->e.pub.emit_message = fit_jerr_silent;
	if (setjmp(s->e.jb)) {
		snprintf(err, errlen, "cannot encode JPEG: %s", s->e.msg);
		goto cleanup;
	}
	jpeg_create_compress(&s->c);
	jpeg_mem_dest(&s->c, &s->buf, &s->len);
	s->c.image_width = img->w;
	s->c.image_height = img->h;
	s->c.input_components = 3;
	s->c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&s->c);
	jpeg_set_quality(&s->c, q, TRUE);
	s->c.optimize_coding = TRUE;
	if (dpi > 0 && dpi < 65535) {
		s->c.density_unit = 1;
		s->c.X_density = s->c.Y_density = (UINT16)lround(dpi);
	}
	jpeg_start_compress(&s->c, TRUE);
	while (s->c.next_scanline < s->c.image_height) {
		JSAMPROW row = (JSAMPROW)(img->px + (size_t)s->c.next_scanline * img->w * 3);
		jpeg_write_scanlines(&s->c, &row, 1);
	}
	jpeg_finish_compress(&s->c);
	*out = s->buf;
	*len = s->len;
	s->buf = NULL;
	ret = FIT_OK;
cleanup:
	jpeg_destroy_compress(&s->c);
	free(s->buf);
	free(s);
	return ret;
}

int fit_pixels(thumb_rgb *img, const fit_limits *lim, fit_out *out, char *err, size_t errlen)
{
	uint32_t lng = img->w > img->h ? img->w : img->h, edge = target_edge(img->w, img->h, lim);
	/* never shrunk below the minimum resolution; a smaller image is only
	 * re-encoded */
	uint32_t floor_edge = lim->min_long_edge < lng ? lim->min_long_edge : lng;

	if (lim->start_edge && lim->start_edge < edge)
		edge = lim->start_edge > floor_edge ? lim->start_edge : floor_edge;
	int q = lim->quality ? lim->quality : 90, tries, ret = FIT_ERROR;
	thumb_rgb cur = { NULL, 0, 0 };

	memset(out, 0, sizeof *out);
	if (edge < floor_edge) {
		snprintf(err, errlen, "%u pixels on the long side would be fewer than the %u the minimum resolution needs",
			 edge, floor_edge);
		ret = FIT_CANNOT;
		goto cleanup;
	}
	for (tries = 0; tries < MAX_TRIES; tries++) {
		double dpi = 0;
		free(cur.px);
		cur.px = NULL;
		if (fit_shrink(img, edge, &cur) != 0) {
			snprintf(err, errlen, "out of memory");
			goto cleanup;
		}
		if (lim->page_mm > 0)
			dpi = (cur.w > cur.h ? cur.w : cur.h) * 25.4 / lim->page_mm;
		free(out->jpeg);
		out->jpeg = NULL;
		if (encode_jpeg(&cur, q, dpi, &out->jpeg, &out->len, err, errlen) != FIT_OK)
			goto cleanup;
		if (!lim->max_bytes || out->len <= lim->max_bytes) {
			out->w = cur.w;
			out->h = cur.h;
			out->quality = q;
			out->reduced = edge < lng;
			ret = FIT_OK;
			goto cleanup;
		}
		/* fewer pixels first (text stays sharp longer than with a
		 * lower quality), down to the smallest edge allowed; then a
		 * lower quality at that edge */
		if (edge > floor_edge || !floor_edge) {
			uint32_t next = (uint32_t)(edge * sqrt((double)lim->max_bytes / (double)out->len) * 0.95);
			edge = next < floor_edge ? floor_edge : next;
			if (edge < 16)
				break;
		} else if (q > FIT_MIN_QUALITY) {
			q = q - 5 < FIT_MIN_QUALITY ? FIT_MIN_QUALITY : q - 5;
		} else {
			break;
		}
	}
	snprintf(err, errlen, "%zu bytes at %u pixels on the long side and quality %d is still more than the %llu allowed",
		 out->len, edge, q, (unsigned long long)lim->max_bytes);
	free(out->jpeg);
	out->jpeg = NULL;
	ret = FIT_CANNOT;
cleanup:
	free(cur.px);
	free(img->px);
	img->px = NULL;
	if (ret != FIT_OK) {
		free(out->jpeg);
		memset(out, 0, sizeof *out);
	}
	return ret;
}

/* The JPEG's size from its frame header (libjpeg reads only the header). */
static int jpeg_header_size(const uint8_t *data, size_t len, uint32_t *w, uint32_t *h)
{
	fit_dec *s = calloc(1, sizeof *s);
	volatile int ret = -1;

	if (!s)
		return -1;
	s->d.err = jpeg_std_error(&s->e.pub);
	s->e.pub.error_exit = fit_jerr_exit;
	s->e.pub.emit_message = fit_jerr_silent;
	if (setjmp(s->e.jb))
		goto cleanup;
	jpeg_create_decompress(&s->d);
	jpeg_mem_src(&s->d, data, (unsigned long)len);
	jpeg_read_header(&s->d, TRUE);
	*w = s->d.image_width;
	*h = s->d.image_height;
	ret = 0;
cleanup:
	jpeg_destroy_decompress(&s->d);
	free(s);
	return ret;
}

int fit_decode_upright(const uint8_t *data, size_t len, file_format fmt, int orientation, uint32_t want_edge,
		       thumb_rgb *img, char *err, size_t errlen)
{
	int r;

	memset(img, 0, sizeof *img);
	if (fmt == FMT_JPEG)
		r = decode_jpeg_for(data, len, want_edge, img, err, errlen);
	else if (fmt == FMT_PNG)
		r = decode_png_rgb(data, len, img, err, errlen);
	else {
		snprintf(err, errlen, "not an image");
		return FIT_ERROR;
	}
	if (r != FIT_OK)
		return r;
	if (turn_upright(img, orientation) != 0) {
		free(img->px);
		img->px = NULL;
		snprintf(err, errlen, "out of memory");
		return FIT_ERROR;
	}
	return FIT_OK;
}

int fit_image(const uint8_t *data, size_t len, file_format fmt, int orientation, const fit_limits *lim, fit_out *out,
	      char *err, size_t errlen)
{
	thumb_rgb img;
	/* the edge wanted, for a JPEG's scaled decode: the target before
	 * any byte fitting */
	uint32_t want = lim->max_long_edge ? lim->max_long_edge : 65535;
	fit_limits l = *lim;
	int r;

	memset(out, 0, sizeof *out);
	/* a JPEG's bytes go roughly with its pixels: a first guess at the
	 * edge that fits saves encoding the full size to learn it, and lets
	 * libjpeg-turbo decode at 1/2 or 1/4 */
	if (fmt == FMT_JPEG && l.max_bytes && len > l.max_bytes) {
		file_info in;
		uint32_t guess;
		memset(&in, 0, sizeof in);
		if (jpeg_header_size(data, len, &in.width, &in.height) == 0) {
			guess = (uint32_t)((in.width > in.height ? in.width : in.height) *
					   sqrt((double)l.max_bytes * 0.9 / (double)len));
			if (!l.start_edge || guess < l.start_edge)
				l.start_edge = guess;
			if (guess < want)
				want = guess;
		}
	}
	if (l.min_long_edge && want < l.min_long_edge)
		want = l.min_long_edge;
	if ((r = fit_decode_upright(data, len, fmt, orientation, want, &img, err, errlen)) != FIT_OK)
		return r;
	return fit_pixels(&img, &l, out, err, errlen);
}
