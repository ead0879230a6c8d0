/*
 * pages: one PDF page per image material.
 *
 * Each JPEG or PNG gets an A4 page of its own, portrait or landscape,
 * whichever shows it larger, with a caption above (material, original file
 * name, k/n) and the page footer below. The image is placed upright by its
 * EXIF orientation with a transformation matrix: no pixel is moved, and a
 * JPEG's bytes go into the PDF unchanged (DCTDecode). A PNG is decoded with
 * libpng and embedded as flate-compressed raw samples; that path is
 * image_from_png() alone, so that a passthrough of the PNG's own IDAT data
 * can replace it. ID card sides get the purpose watermark across them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <png.h>

#include "pdf/internal.h"

#define SIDE 34.0f        /* 12 mm left and right */
#define TOP_BAND 42.0f    /* the caption lives here */
#define BOTTOM_BAND 36.0f /* and the footer here */
#define CAPTION_SIZE 9.0f

int pdf_file_is_image(const checked_file *f)
{
	return f->info.format == FMT_JPEG || f->info.format == FMT_PNG;
}

/* ---- JPEG ---- */

int pdf_jpeg_has_adobe(const uint8_t *d, size_t n)
{
	size_t p = 2;

	if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
		return 0;
	while (p + 2 <= n) {
		uint8_t m;
		size_t seglen;

		if (d[p] != 0xFF)
			return 0;
		m = d[p + 1];
		if (m == 0xFF) { /* fill byte */
			p++;
			continue;
		}
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
			p += 2;
			continue;
		}
		if (m == 0xDA || m == 0xD9 || p + 4 > n)
			return 0;
		seglen = ((size_t)d[p + 2] << 8) | d[p + 3];
		if (seglen < 2 || seglen > n - p - 2)
			return 0;
		if (m == 0xEE && seglen - 2 >= 5 && memcmp(d + p + 4, "Adobe", 5) == 0)
			return 1;
		p += 2 + seglen;
	}
	return 0;
}

/* The image XObject libharu's JPEG loader makes, made here from what the
 * probe read: for JPEGs that loader cannot parse although they are valid.
 * libharu 2.3.0's LoadJpegHeader (hpdf_image.c) reads markers naively:
 * fill bytes (0xFF runs) before a marker, which ISO 10918-1 allows and
 * libjpeg reads, make it fail. The bytes go in unchanged either way. */
static HPDF_Image jpeg_xobject(pdf_ctx *c, const checked_file *f, int adobe)
{
	const file_info *in = &f->info;
	HPDF_Dict img = HPDF_DictStream_New(c->doc->mmgr, c->doc->xref);
	HPDF_STATUS st = HPDF_OK;

	if (img == NULL)
		return NULL;
	img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT; /* so that pages accept it */
	img->filter = HPDF_STREAM_FILTER_DCT_DECODE;
	st |= HPDF_Dict_AddName(img, "Type", "XObject");
	st |= HPDF_Dict_AddName(img, "Subtype", "Image");
	st |= HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)in->width);
	st |= HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)in->height);
	st |= HPDF_Dict_AddName(img, "ColorSpace", in->components == 1 ? "DeviceGray"
						   : in->components == 3 ? "DeviceRGB"
									 : "DeviceCMYK");
	st |= HPDF_Dict_AddNumber(img, "BitsPerComponent", 8);
	if (in->components == 4 && adobe) {
		HPDF_Array dec = HPDF_Array_New(c->doc->mmgr);
		if (dec == NULL || HPDF_Dict_Add(img, "Decode", dec) != HPDF_OK)
			return NULL;
		for (int i = 0; i < 8; i++)
			st |= HPDF_Array_AddNumber(dec, 1 - i % 2);
	}
	st |= HPDF_Stream_Write(img->stream, f->data, (HPDF_UINT)f->len);
	return st == HPDF_OK ? img : NULL;
}

static HPDF_Image image_from_jpeg(pdf_ctx *c, const checked_file *f)
{
	const file_info *in = &f->info;
	int adobe = in->components == 4 && pdf_jpeg_has_adobe(f->data, f->len);
	HPDF_Image img;

	/* check reports these as `format`; a build with --allow-incomplete may still meet one */
	if (!probe_jpeg_embeddable(in)) {
		pdf_fail(c, "'%s': this kind of JPEG (frame type SOF%d, %d-bit, %d components) cannot "
			 "go into a PDF unchanged; save it again as an ordinary (baseline) JPEG",
			 f->rel, in->jpeg_sof, in->bit_depth, in->components);
		return NULL;
	}
	if (f->len > 0x7FFFFFFFu) {
		pdf_fail(c, "'%s': too large for the PDF", f->rel);
		return NULL;
	}
	img = HPDF_LoadJpegImageFromMem(c->doc, f->data, (HPDF_UINT)f->len);
	/* libharu reads the size from the first frame header it meets; the
	 * probe read the same one with every length checked. When they
	 * disagree, or libharu gives up, the probe is right. */
	if (img == NULL || HPDF_Image_GetWidth(img) != in->width ||
	    HPDF_Image_GetHeight(img) != in->height) {
		/* the failed attempt is no error of the build's; an image object
		 * it may have left is referred to by nothing, and qpdf drops it */
		HPDF_ResetError(c->doc);
		c->hpdf_err = HPDF_OK;
		img = jpeg_xobject(c, f, adobe);
		if (img == NULL) {
			pdf_hpdf_check(c, f->rel);
			pdf_fail(c, "'%s': cannot put the JPEG into the PDF", f->rel);
		}
		return img;
	}
	/* libharu 2.3.0 (LoadJpegHeader in hpdf_image.c) gives every
	 * 4-component JPEG /Decode [1 0 1 0 1 0 1 0]. That is right for the
	 * Adobe convention (an APP14 marker, samples stored inverted), which
	 * nearly every CMYK JPEG follows, and wrong for the others: there the
	 * samples are plain CMYK and must not be inverted. */
	if (in->components == 4 && !adobe && HPDF_Dict_RemoveElement(img, "Decode") != HPDF_OK) {
		HPDF_ResetError(c->doc);
		pdf_fail(c, "'%s': cannot set the CMYK decode array", f->rel);
		return NULL;
	}
	return img;
}

/* ---- PNG ---- */

typedef struct {
	const uint8_t *data;
	size_t len, pos;
	char msg[200];
	uint8_t *raw;        /* decoded rows */
	png_bytep *rows;
	uint32_t w, h;
	int ch;
} png_job;

static void png_read_mem(png_structp png, png_bytep out, size_t n)
{
	png_job *j = png_get_io_ptr(png);

	if (n > j->len - j->pos)
		png_error(png, "PNG data ends early");
	memcpy(out, j->data + j->pos, n);
	j->pos += n;
}

static void png_on_error(png_structp png, png_const_charp msg)
{
	png_job *j = png_get_error_ptr(png);

	snprintf(j->msg, sizeof j->msg, "%s", msg);
	png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg; /* the check has reported what matters; a build prints nothing */
}

/* The part of the decoding that libpng may leave by longjmp: everything it
 * makes goes into j (heap memory, which a longjmp leaves intact). */
static int png_decode_rows(png_structp png, png_infop info, png_job *j)
{
	png_uint_32 w, h;
	size_t rowbytes;
	int ch;

	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_set_read_fn(png, j, png_read_mem);
	png_read_info(png, info);
	png_set_expand(png);            /* palette to RGB, grey < 8 bits to 8, tRNS to alpha */
	png_set_strip_16(png);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	w = png_get_image_width(png, info);
	h = png_get_image_height(png, info);
	ch = png_get_channels(png, info);
	rowbytes = png_get_rowbytes(png, info);
	if (w == 0 || h == 0 || ch < 1 || ch > 4 || rowbytes != (size_t)w * ch ||
	    png_get_bit_depth(png, info) != 8) {
		snprintf(j->msg, sizeof j->msg, "unexpected layout after expansion");
		return -1;
	}
	if (h > SIZE_MAX / rowbytes / 2) {
		snprintf(j->msg, sizeof j->msg, "image too large");
		return -1;
	}
	j->raw = malloc((size_t)h * rowbytes);
	j->rows = malloc((size_t)h * sizeof *j->rows);
	if (j->raw == NULL || j->rows == NULL) {
		snprintf(j->msg, sizeof j->msg, "out of memory");
		return -1;
	}
	for (png_uint_32 y = 0; y < h; y++)
		j->rows[y] = j->raw + (size_t)y * rowbytes;
	png_read_image(png, j->rows);
	j->w = w;
	j->h = h;
	j->ch = ch;
	return 0;
}

int pdf_png_decode(const uint8_t *data, size_t len, uint8_t **pixels, uint32_t *width,
		   uint32_t *height, int *channels, char *err, size_t errlen)
{
	png_job *j = calloc(1, sizeof *j);
	png_structp png = NULL;
	png_infop info = NULL;
	int out_ch, ret = -1;

	*pixels = NULL;
	if (j == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	j->data = data;
	j->len = len;
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_on_error, png_on_warning);
	if (png != NULL)
		info = png_create_info_struct(png);
	if (png == NULL || info == NULL) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	if (png_decode_rows(png, info, j) != 0) {
		snprintf(err, errlen, "cannot decode the PNG: %s", j->msg);
		goto cleanup;
	}
	/* Alpha flattened onto white, in place: each output pixel is written
	 * at or before the input pixel it comes from. */
	out_ch = j->ch <= 2 ? 1 : 3;
	if (j->ch == 2 || j->ch == 4) {
		size_t npix = (size_t)j->w * j->h;
		int ch = j->ch;
		uint8_t *px = j->raw;
		for (size_t i = 0; i < npix; i++) {
			const uint8_t *s = px + i * ch;
			uint8_t *d = px + i * out_ch;
			unsigned a = s[ch - 1];
			for (int k = 0; k < out_ch; k++)
				d[k] = (uint8_t)((s[k] * a + 255u * (255u - a) + 127u) / 255u);
		}
	}
	*pixels = j->raw;
	j->raw = NULL;
	*width = j->w;
	*height = j->h;
	*channels = out_ch;
	ret = 0;
cleanup:
	if (png != NULL)
		png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	free(j->raw);
	free(j->rows);
	free(j);
	return ret;
}

/* The one PNG path (see the top of this file). */
static HPDF_Image image_from_png(pdf_ctx *c, const checked_file *f)
{
	uint8_t *px = NULL;
	uint32_t w, h;
	int ch;
	char why[256];
	HPDF_Image img;

	if (pdf_png_decode(f->data, f->len, &px, &w, &h, &ch, why, sizeof why) != 0) {
		pdf_fail(c, "'%s': %s", f->rel, why);
		return NULL;
	}
	img = HPDF_LoadRawImageFromMem(c->doc, px, w, h,
				       ch == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
	free(px);
	if (img == NULL) {
		pdf_hpdf_check(c, f->rel);
		pdf_fail(c, "'%s': libharu cannot take the decoded PNG", f->rel);
	}
	return img;
}

/* ---- placement ---- */

void pdf_orient_matrix(int o, float x, float y, float bw, float bh, float m[6])
{
	/* The image's unit square has the stored top-left pixel at (0, 1).
	 * Each case maps it to where EXIF orientation o shows that pixel,
	 * inside the box of the displayed size at (x, y). */
	switch (o) {
	case 2: /* mirrored left-right */
		m[0] = -bw; m[1] = 0; m[2] = 0; m[3] = bh; m[4] = x + bw; m[5] = y;
		break;
	case 3: /* turned 180° */
		m[0] = -bw; m[1] = 0; m[2] = 0; m[3] = -bh; m[4] = x + bw; m[5] = y + bh;
		break;
	case 4: /* mirrored top-bottom */
		m[0] = bw; m[1] = 0; m[2] = 0; m[3] = -bh; m[4] = x; m[5] = y + bh;
		break;
	case 5: /* transposed */
		m[0] = 0; m[1] = -bh; m[2] = -bw; m[3] = 0; m[4] = x + bw; m[5] = y + bh;
		break;
	case 6: /* to be turned 90° clockwise */
		m[0] = 0; m[1] = -bh; m[2] = bw; m[3] = 0; m[4] = x; m[5] = y + bh;
		break;
	case 7: /* transversed */
		m[0] = 0; m[1] = bh; m[2] = bw; m[3] = 0; m[4] = x; m[5] = y;
		break;
	case 8: /* to be turned 90° counter-clockwise */
		m[0] = 0; m[1] = bh; m[2] = -bw; m[3] = 0; m[4] = x + bw; m[5] = y;
		break;
	default: /* 1, and 0 or -1: as stored */
		m[0] = bw; m[1] = 0; m[2] = 0; m[3] = bh; m[4] = x; m[5] = y;
		break;
	}
}

/* Where the line through the box's centre, moved off by d along the normal
 * (-sn, cs), enters and leaves the box: *t0 < *t1 along (cs, sn) from the
 * moved centre. Both angles' sines and cosines are positive here. */
static void chord(float w, float h, float cs, float sn, float d, float *t0, float *t1)
{
	float ox = -sn * d, oy = cs * d; /* the moved centre, relative to the box's */
	float ax = (-w / 2 - ox) / cs, bx = (w / 2 - ox) / cs;
	float ay = (-h / 2 - oy) / sn, by = (h / 2 - oy) / sn;

	*t0 = ax > ay ? ax : ay;
	*t1 = bx < by ? bx : by;
}

/* The purpose watermark: the text three times, parallel to the box's
 * diagonal, in translucent red, each copy whole inside the box. */
static void watermark(pdf_ctx *c, HPDF_Page page, float x, float y, float w, float h)
{
	const char *raw = c->job->watermark_text;
	char text[512];
	float ang, cs, sn, size, tw, spread, t0[3], t1[3];

	if (raw == NULL || *raw == '\0')
		raw = c->r->tpl->purpose.zh;
	if (raw == NULL || *raw == '\0' || w < 20 || h < 20)
		return;
	pdf_text_clean(text, sizeof text, raw);
	for (char *q = text; *q; q++)
		if (*q == '\n')
			*q = ' ';
	if (c->wm_gs == NULL) {
		c->wm_gs = HPDF_CreateExtGState(c->doc);
		if (c->wm_gs == NULL || HPDF_ExtGState_SetAlphaFill(c->wm_gs, 0.35f) != HPDF_OK) {
			pdf_hpdf_check(c, "watermark");
			return;
		}
	}
	ang = atan2f(h, w);
	if (ang > 0.70f)
		ang = 0.70f; /* about 40°, also on tall images */
	if (ang < 0.35f)
		ang = 0.35f;
	cs = cosf(ang);
	sn = sinf(ang);
	tw = pdf_text_width(c->font, 1, text);
	if (tw <= 0)
		return;
	/* lines about a quarter of the box's extent across the text apart,
	 * the text as large as lets every copy fit its chord with a margin */
	spread = (w * sn + h * cs) / 4.2f;
	size = 0.3f * spread;
	for (int k = 0; k < 3; k++) {
		float fit;
		chord(w, h, cs, sn, (k - 1) * spread, &t0[k], &t1[k]);
		/* the text's height eats into the chord at both ends */
		fit = (t1[k] - t0[k]) * 0.88f / (tw + 1.2f * (cs / sn + sn / cs) / 2);
		if (fit < size)
			size = fit;
	}
	if (size < 6)
		return; /* too small a box to say anything legible */
	tw *= size;

	HPDF_Page_GSave(page);
	HPDF_Page_Rectangle(page, x, y, w, h);
	HPDF_Page_Clip(page);
	HPDF_Page_EndPath(page);
	HPDF_Page_SetExtGState(page, c->wm_gs);
	HPDF_Page_SetRGBFill(page, 0.85f, 0.05f, 0.05f);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, c->hfont, size);
	for (int k = 0; k < 3; k++) {
		/* the middle of this line's chord, then back half the text
		 * along the line and down to put the em box's middle on it */
		float off = (k - 1) * spread, mid = (t0[k] + t1[k]) / 2;
		float cx = x + w / 2 - sn * off + cs * mid, cy = y + h / 2 + cs * off + sn * mid;
		float drop = (c->ascent - 0.5f) * size;
		float tx = cx - cs * tw / 2 + sn * drop, ty = cy - sn * tw / 2 - cs * drop;
		HPDF_Page_SetTextMatrix(page, cs, sn, -sn, cs, tx, ty);
		HPDF_Page_ShowText(page, text);
	}
	HPDF_Page_EndText(page);
	HPDF_Page_GRestore(page);
}

/* "01 续期申请表 · scan/申请表.jpg · 1/2", shortened to fit. */
static void caption(pdf_ctx *c, HPDF_Page page, const checked_file *f, float page_w, float page_h)
{
	const material *m = &c->r->tpl->materials[f->material];
	char name[512], cap[1024], fitted[1024];

	pdf_text_clean(name, sizeof name, f->rel);
	for (char *q = name; *q; q++)
		if (*q == '\n')
			*q = ' ';
	snprintf(cap, sizeof cap, "%02d %s · %d/%d · %s", f->material + 1, m->title.zh, f->k,
		 c->r->count[f->material], name);
	pdf_text_fit(c, CAPTION_SIZE, cap, strlen(cap), page_w - 2 * SIDE, fitted, sizeof fitted);
	HPDF_Page_SetRGBFill(page, 0.2f, 0.2f, 0.2f);
	pdf_text(c, page, SIDE, page_h - 26, CAPTION_SIZE, fitted, strlen(fitted));
	HPDF_Page_SetRGBFill(page, 0, 0, 0);
}

int image_page(pdf_ctx *c, const checked_file *f)
{
	const material *m = &c->r->tpl->materials[f->material];
	int o = f->info.orientation, landscape;
	float sw, sh, dw, dh, sp, sl, scale, pw, ph, aw, ah, bx, by, mtx[6];
	HPDF_Image img;
	HPDF_Page page;

	img = f->info.format == FMT_JPEG ? image_from_jpeg(c, f) : image_from_png(c, f);
	if (img == NULL)
		return -1;
	sw = (float)HPDF_Image_GetWidth(img);
	sh = (float)HPDF_Image_GetHeight(img);
	if (sw <= 0 || sh <= 0)
		return pdf_fail(c, "'%s': the image has no size", f->rel);
	if (o < 1 || o > 8)
		o = 1;
	/* orientations 5-8 turn the image a quarter: shown w and h swap */
	dw = o >= 5 ? sh : sw;
	dh = o >= 5 ? sw : sh;
	aw = PDF_A4_W - 2 * SIDE;
	ah = PDF_A4_H - TOP_BAND - BOTTOM_BAND;
	sp = fminf(aw / dw, ah / dh);
	sl = fminf((PDF_A4_H - 2 * SIDE) / dw, (PDF_A4_W - TOP_BAND - BOTTOM_BAND) / dh);
	landscape = sl > sp * 1.0001f;
	scale = landscape ? sl : sp;
	pw = landscape ? PDF_A4_H : PDF_A4_W;
	ph = landscape ? PDF_A4_W : PDF_A4_H;
	dw *= scale;
	dh *= scale;
	/* centred in the space between the bands */
	bx = (pw - dw) / 2;
	by = BOTTOM_BAND + (ph - TOP_BAND - BOTTOM_BAND - dh) / 2;

	page = pdf_new_page(c, landscape);
	if (page == NULL)
		return -1;
	pdf_orient_matrix(o, bx, by, dw, dh, mtx);
	HPDF_Page_GSave(page);
	HPDF_Page_Concat(page, mtx[0], mtx[1], mtx[2], mtx[3], mtx[4], mtx[5]);
	HPDF_Page_ExecuteXObject(page, img);
	HPDF_Page_GRestore(page);
	if (c->job->watermark && m->watermark)
		watermark(c, page, bx, by, dw, dh);
	caption(c, page, f, pw, ph);
	pdf_page_footer(c, page, pw);
	return pdf_hpdf_check(c, f->rel);
}
