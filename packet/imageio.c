/*
 * imageio: libjpeg-turbo and libpng set up once for the modules that decode
 * and encode pictures of their own (imageio.h says which and how errors
 * travel).
 */
#include "packet/imageio.h"

#include <stdlib.h>
#include <string.h>

#include "packet/util.h"

static void imageio_exit(j_common_ptr c)
{
	imageio_err *e = (imageio_err *)c->err;

	c->err->format_message(c, e->msg);
	longjmp(e->jb, 1);
}

static void imageio_quiet(j_common_ptr c, int level)
{
	(void)c;
	(void)level;
}

struct jpeg_error_mgr *imageio_err_init(imageio_err *e)
{
	struct jpeg_error_mgr *m = jpeg_std_error(&e->pub);

	m->error_exit = imageio_exit;
	m->emit_message = imageio_quiet;
	e->msg[0] = '\0';
	return m;
}

/* What a longjmp must not lose lives here, off the stack frame. */
typedef struct {
	struct jpeg_compress_struct c;
	imageio_err e;
	unsigned char *buf;
	unsigned long len;
} enc_state;

int imageio_encode_rows(uint32_t w, uint32_t h, int ch, imageio_row_fn row_fn, void *arg, const imageio_enc *o,
			uint8_t **out, size_t *len, lp_err *err)
{
	enc_state *s = calloc(1, sizeof *s);
	volatile int ret = -1;

	*out = NULL;
	*len = 0;
	if (!s) {
		lp_nomem(err);
		return -2;
	}
	s->c.err = imageio_err_init(&s->e);
	if (setjmp(s->e.jb)) {
		lp_fail(err, LP_E_JPEG_ENCODE, s->e.msg);
		goto cleanup;
	}
	jpeg_create_compress(&s->c);
	jpeg_mem_dest(&s->c, &s->buf, &s->len);
	s->c.image_width = w;
	s->c.image_height = h;
	s->c.input_components = ch;
	s->c.in_color_space = ch == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&s->c);
	jpeg_set_quality(&s->c, o->quality, TRUE);
	s->c.optimize_coding = o->optimize ? TRUE : FALSE;
	if (o->full_chroma && ch == 3)
		s->c.comp_info[0].h_samp_factor = s->c.comp_info[0].v_samp_factor = 1;
	if (o->dpi_x > 0 && o->dpi_y > 0 && o->dpi_x < 65535.5 && o->dpi_y < 65535.5) {
		s->c.density_unit = 1;
		s->c.X_density = (UINT16)(o->dpi_x + 0.5);
		s->c.Y_density = (UINT16)(o->dpi_y + 0.5);
	}
	jpeg_start_compress(&s->c, TRUE);
	while (s->c.next_scanline < s->c.image_height) {
		JSAMPROW row = (JSAMPROW)row_fn(arg, s->c.next_scanline);
		jpeg_write_scanlines(&s->c, &row, 1);
	}
	jpeg_finish_compress(&s->c);
	*out = s->buf;
	*len = s->len;
	s->buf = NULL;
	ret = 0;
cleanup:
	jpeg_destroy_compress(&s->c);
	free(s->buf);
	free(s);
	return ret;
}

/* imageio_encode's rows: a picture's, one after the other */
typedef struct {
	const uint8_t *px;
	size_t stride;
} pixel_rows;

static const uint8_t *pixel_row(void *arg, uint32_t y)
{
	const pixel_rows *p = arg;

	return p->px + (size_t)y * p->stride;
}

int imageio_encode(const uint8_t *px, uint32_t w, uint32_t h, int ch, const imageio_enc *o, uint8_t **out,
		  size_t *len, lp_err *err)
{
	pixel_rows p = { px, (size_t)w * (size_t)ch };

	return imageio_encode_rows(w, h, ch, pixel_row, &p, o, out, len, err);
}

typedef struct {
	struct jpeg_decompress_struct d;
	imageio_err e;
	uint8_t *px, *row;
} dec_state;

int imageio_decode_rgb(const uint8_t *data, size_t len, uint32_t want, int fast, check_picture *img,
		      lp_err *err)
{
	dec_state *s = calloc(1, sizeof *s);
	unsigned denom, longest, x, c;
	volatile int ret = -1;

	if (!s) {
		lp_nomem(err);
		return -2;
	}
	s->d.err = imageio_err_init(&s->e);
	if (setjmp(s->e.jb)) {
		lp_fail(err, LP_E_JPEG_DECODE, s->e.msg);
		goto cleanup;
	}
	jpeg_create_decompress(&s->d);
	jpeg_mem_src(&s->d, data, (unsigned long)len);
	jpeg_read_header(&s->d, TRUE);
	longest = s->d.image_width > s->d.image_height ? s->d.image_width : s->d.image_height;
	for (denom = 8; denom > 1 && (longest + denom - 1) / denom < want; denom /= 2)
		;
	s->d.scale_num = 1;
	s->d.scale_denom = denom;
	if (fast == IMAGEIO_FAST_ALWAYS || denom > 1) {
		s->d.dct_method = JDCT_IFAST;
		s->d.do_fancy_upsampling = FALSE;
	}
	s->d.out_color_space =
		s->d.jpeg_color_space == JCS_CMYK || s->d.jpeg_color_space == JCS_YCCK ? JCS_CMYK : JCS_RGB;
	jpeg_start_decompress(&s->d);
	s->px = malloc((size_t)s->d.output_width * s->d.output_height * 3);
	s->row = malloc((size_t)s->d.output_width * (size_t)s->d.output_components);
	if (!s->px || !s->row) {
		lp_nomem(err);
		ret = -2;
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
		/* CMYK as libjpeg gives it from an Adobe file is stored inverted;
		 * either way, c*k/255 is the value of each colour */
		for (x = 0; x < s->d.output_width; x++)
			for (c = 0; c < 3; c++)
				o[3 * x + c] = (uint8_t)(s->row[4 * x + c] * s->row[4 * x + 3] / 255);
	}
	jpeg_finish_decompress(&s->d);
	img->px = s->px;
	img->w = s->d.output_width;
	img->h = s->d.output_height;
	s->px = NULL;
	ret = 0;
cleanup:
	jpeg_destroy_decompress(&s->d);
	free(s->px);
	free(s->row);
	free(s);
	return ret;
}

int imageio_header_size(const uint8_t *data, size_t len, uint32_t *w, uint32_t *h)
{
	dec_state *s = calloc(1, sizeof *s);
	volatile int ret = -1;

	if (!s)
		return -1;
	s->d.err = imageio_err_init(&s->e);
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

/* 1 when chunk type t is a text chunk (tEXt, zTXt, iTXt). */
static int is_text_chunk(const uint8_t *t)
{
	return !memcmp(t, "tEXt", 4) || !memcmp(t, "zTXt", 4) || !memcmp(t, "iTXt", 4);
}

/* The PNG in data without its text chunks, in *copy (the caller frees),
 * when it has any; else *copy NULL. libpng's simplified reader inflates
 * every zTXt and iTXt chunk, and cannot be told not to (probe_png.c skips
 * them in its own reader): a PNG of 1000 zTXt chunks of 10 MB each took
 * 20 s and more to decode. Their CRCs were checked by the probe. 0, or -1
 * when out of memory. */
static int png_without_text(const uint8_t *data, size_t len, uint8_t **copy, size_t *copy_len)
{
	size_t at = 8, out = 8, n;
	int any = 0;

	*copy = NULL;
	for (at = 8; at + 12 <= len && (n = lp_be32(data + at)) <= len - at - 12; at += n + 12)
		any |= is_text_chunk(data + at + 4);
	if (!any)
		return 0;
	if (!(*copy = malloc(len)))
		return -1;
	memcpy(*copy, data, 8);
	for (at = 8; at + 12 <= len && (n = lp_be32(data + at)) <= len - at - 12; at += n + 12)
		if (!is_text_chunk(data + at + 4)) {
			memcpy(*copy + out, data + at, n + 12);
			out += n + 12;
		}
	/* what follows the last whole chunk (a cut file) as it was */
	memcpy(*copy + out, data + at, len - at);
	*copy_len = out + (len - at);
	return 0;
}

static int decode_png(const uint8_t *data, size_t len, check_picture *img, lp_err *err)
{
	png_image im;
	png_color white = { 255, 255, 255 };

	memset(&im, 0, sizeof im);
	im.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&im, data, len)) {
		lp_fail(err, LP_E_PNG_DECODE, im.message);
		return -1;
	}
	im.format = PNG_FORMAT_RGB;
	if (!(img->px = malloc(PNG_IMAGE_SIZE(im)))) {
		png_image_free(&im);
		lp_nomem(err);
		return -2;
	}
	if (!png_image_finish_read(&im, &white, img->px, 0, NULL)) {
		lp_fail(err, LP_E_PNG_DECODE, im.message);
		png_image_free(&im);
		free(img->px);
		img->px = NULL;
		return -1;
	}
	img->w = im.width;
	img->h = im.height;
	return 0;
}

int imageio_decode_png_rgb(const uint8_t *data, size_t len, check_picture *img, lp_err *err)
{
	uint8_t *copy = NULL;
	size_t copy_len = 0;
	int ret;

	if (len >= 8 && png_without_text(data, len, &copy, &copy_len) != 0) {
		lp_nomem(err);
		return -2;
	}
	ret = copy ? decode_png(copy, copy_len, img, err) : decode_png(data, len, img, err);
	free(copy);
	return ret;
}

void imageio_png_read_mem(png_structp p, png_bytep out, size_t n)
{
	imageio_png_src *s = png_get_io_ptr(p);

	if (n > s->len - s->pos)
		png_error(p, "PNG data ends early");
	memcpy(out, s->data + s->pos, n);
	s->pos += n;
}

/* ---- a PNG a row at a time ---- */

struct imageio_png_state {
	png_structp p;
	png_infop info;
	imageio_png_src src;
	uint8_t *row;
};

/* Whether s's PNG (its header read) decodes to RGB here as the simplified
 * reader decodes it: nothing to compose, no gamma to convert. */
static int png_streamable(const struct imageio_png_state *s)
{
	png_fixed_point g;
	int depth = png_get_bit_depth(s->p, s->info), type = png_get_color_type(s->p, s->info);

	if (depth > 8 || (type & PNG_COLOR_MASK_ALPHA) || png_get_valid(s->p, s->info, PNG_INFO_tRNS) ||
	    png_get_interlace_type(s->p, s->info) != PNG_INTERLACE_NONE)
		return 0;
	/* sRGB's gamma is 1/2.2 (45455 in a gAMA chunk) */
	return !png_get_gAMA_fixed(s->p, s->info, &g) || (g > 44000 && g < 47000);
}

int imageio_png_rows_open(imageio_png_rows *r, const uint8_t *data, size_t len, lp_err *err)
{
	struct imageio_png_state *s = calloc(1, sizeof *s);

	memset(r, 0, sizeof *r);
	if (!s) {
		lp_nomem(err);
		return -2;
	}
	r->s = s;
	s->src = (imageio_png_src){ data, len, 0 };
	s->p = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, imageio_png_error, imageio_png_warning);
	s->info = s->p ? png_create_info_struct(s->p) : NULL;
	if (!s->info) {
		imageio_png_rows_close(r);
		lp_nomem(err);
		return -2;
	}
	if (setjmp(png_jmpbuf(s->p))) {
		imageio_png_rows_close(r);
		lp_fail(err, LP_E_PNG_DECODE, "libpng error");
		return -1;
	}
	png_set_read_fn(s->p, &s->src, imageio_png_read_mem);
	probe_png_ignore_text(s->p);
	png_read_info(s->p, s->info);
	if (!png_streamable(s)) {
		imageio_png_rows_close(r);
		return 1;
	}
	r->w = png_get_image_width(s->p, s->info);
	r->h = png_get_image_height(s->p, s->info);
	png_set_expand(s->p);
	png_set_gray_to_rgb(s->p);
	png_read_update_info(s->p, s->info);
	if (png_get_rowbytes(s->p, s->info) != (size_t)r->w * 3) {
		imageio_png_rows_close(r);
		return 1;
	}
	if (!(s->row = malloc((size_t)r->w * 3))) {
		imageio_png_rows_close(r);
		lp_nomem(err);
		return -2;
	}
	return 0;
}

const uint8_t *imageio_png_row(void *arg, uint32_t y)
{
	imageio_png_rows *r = arg;
	struct imageio_png_state *s = r->s;

	(void)y;
	if (!r->failed) {
		if (setjmp(png_jmpbuf(s->p)) == 0) {
			png_read_row(s->p, s->row, NULL);
			return s->row;
		}
		r->failed = 1;
	}
	/* libpng gave up: white rows to the end, for the caller to drop */
	memset(s->row, 255, (size_t)r->w * 3);
	return s->row;
}

void imageio_png_rows_close(imageio_png_rows *r)
{
	struct imageio_png_state *s = r->s;

	if (s) {
		png_destroy_read_struct(s->p ? &s->p : NULL, s->info ? &s->info : NULL, NULL);
		free(s->row);
		free(s);
	}
	r->s = NULL;
}

void imageio_png_error(png_structp p, png_const_charp msg)
{
	(void)msg;
	png_longjmp(p, 1);
}

void imageio_png_warning(png_structp p, png_const_charp msg)
{
	(void)p;
	(void)msg;
}

int imageio_upright_copy(const check_picture *img, int o, check_picture *out)
{
	uint32_t W = o >= 5 && o <= 8 ? img->h : img->w, H = o >= 5 && o <= 8 ? img->w : img->h, x, y, sx, sy;

	if (o < 2 || o > 8)
		W = img->w, H = img->h;
	if (!(out->px = malloc((size_t)W * H * 3)))
		return -1;
	out->w = W;
	out->h = H;
	if (o < 2 || o > 8) {
		memcpy(out->px, img->px, (size_t)W * H * 3);
		return 0;
	}
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			lp_orient_source(o, img->w, img->h, x, y, &sx, &sy);
			memcpy(out->px + ((size_t)y * W + x) * 3, img->px + ((size_t)sy * img->w + sx) * 3, 3);
		}
	return 0;
}

int imageio_upright(check_picture *img, int o)
{
	check_picture out;

	if (o < 2 || o > 8)
		return 0;
	if (imageio_upright_copy(img, o, &out) != 0)
		return -1;
	free(img->px);
	*img = out;
	return 0;
}
