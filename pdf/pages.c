/*
 * pages: one PDF page per image material.
 *
 * Each JPEG or PNG gets an A4 page of its own, portrait or landscape,
 * whichever shows it larger, with a caption above (material, original file
 * name, k/n) and the page footer below. The image is placed upright by its
 * EXIF orientation with a transformation matrix: no pixel is moved. Image
 * data that goes in unchanged is not copied either: the XObject's stream
 * reads the bytes the check kept (pdf_image_xobject), at the moment the PDF
 * is written. A JPEG goes in whole (DCTDecode); a PNG either as its own
 * IDAT data (png_pass.c) or, when PDF cannot take that data as it is,
 * decoded with libpng and embedded as flate-compressed samples
 * (pdf_png_decode). ID card sides get the purpose watermark across them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <png.h>

#include "packet/imageio.h"
#include "packet/upload.h"
#include "pdf/internal.h"
#include "packet/read_check.h"

#define SIDE 34.0f        /* 12 mm left and right */
#define TOP_BAND 42.0f    /* the caption lives here */
#define BOTTOM_BAND 36.0f /* and the footer here */
#define CAPTION_SIZE 9.0f

int pdf_file_is_image(const checked_file *f)
{
	return f->info.format == FMT_JPEG || f->info.format == FMT_PNG;
}

/* ---- image data the PDF borrows ---- */

/* The stream of an image XObject made by pdf_image_xobject: it reads the
 * spans in order, as one run of bytes, from where the source has them
 * (loaded at the first read when the source says so). */
typedef struct {
	pdf_source src;
	const uint8_t *base;   /* the source's bytes, once known */
	size_t base_len;
	pdf_span *spans;
	size_t n_spans;
	size_t total;
	size_t pos;            /* offset in the run */
	size_t idx, off;       /* the span pos is in, and the offset within it */
	int id_noted;          /* the document's /ID has these bytes (pdf_id_image) */
} borrowed;

static HPDF_STATUS borrowed_read(HPDF_Stream s, HPDF_BYTE *buf, HPDF_UINT *size)
{
	borrowed *b = s->attr;
	size_t want = *size, got = 0;

	/* the first read: the bytes are about to be written */
	if (!b->id_noted && b->pos == 0 && b->src.ctx != NULL) {
		if (pdf_id_image(b->src.ctx, b->src.sha256, b->spans, b->n_spans, b->total) < 0) {
			*size = 0;
			return HPDF_SetError(s->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
		}
		b->id_noted = 1;
	}
	if (b->base == NULL && b->n_spans > 0) {
		if (b->src.data != NULL) {
			b->base = b->src.data;
			b->base_len = SIZE_MAX;
		} else if (b->src.load == NULL || b->src.load(b->src.arg, &b->base, &b->base_len) != 0) {
			b->base = NULL;
			*size = 0;
			return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
		}
		for (size_t i = 0; i < b->n_spans; i++)
			if (b->spans[i].off > b->base_len || b->spans[i].len > b->base_len - b->spans[i].off) {
				b->base = NULL;
				*size = 0;
				return HPDF_SetError(s->error, HPDF_INVALID_STREAM, 0);
			}
	}
	while (got < want && b->idx < b->n_spans) {
		const pdf_span *sp = &b->spans[b->idx];
		size_t n = sp->len - b->off;
		if (n > want - got)
			n = want - got;
		memcpy(buf + got, b->base + sp->off + b->off, n);
		got += n;
		b->off += n;
		if (b->off == sp->len) {
			b->idx++;
			b->off = 0;
		}
	}
	b->pos += got;
	*size = (HPDF_UINT)got;
	/* the bytes are needed again only if the stream is read again */
	if (b->idx == b->n_spans && b->src.data == NULL)
		b->base = NULL;
	/* as libharu's own streams do: a short read is the end, and no error */
	return got < want ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS borrowed_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	borrowed *b = s->attr;
	long long to = mode == HPDF_SEEK_CUR ? (long long)b->pos + pos
		       : mode == HPDF_SEEK_END ? (long long)b->total + pos : pos;

	if (to < 0 || (unsigned long long)to > b->total)
		return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
	b->pos = (size_t)to;
	b->idx = 0;
	b->off = 0;
	for (size_t left = b->pos; b->idx < b->n_spans; b->idx++) {
		if (left < b->spans[b->idx].len) {
			b->off = left;
			break;
		}
		left -= b->spans[b->idx].len;
	}
	return HPDF_OK;
}

static HPDF_INT32 borrowed_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((borrowed *)s->attr)->pos;
}

static HPDF_UINT32 borrowed_size(HPDF_Stream s)
{
	return (HPDF_UINT32)((borrowed *)s->attr)->total;
}

static void borrowed_free(HPDF_Stream s)
{
	borrowed *b = s->attr;

	if (b != NULL) {
		HPDF_FreeMem(s->mmgr, b->spans);
		HPDF_FreeMem(s->mmgr, b);
	}
	s->attr = NULL;
}

HPDF_Stream pdf_span_stream(HPDF_MMgr mm, HPDF_Error error, const pdf_source *src, const pdf_span *spans,
			    size_t n)
{
	HPDF_Stream s;
	borrowed *b;
	size_t total = 0;

	for (size_t i = 0; i < n; i++) {
		if (spans[i].len > 0x7FFFFFFFu - total)
			return NULL; /* libharu counts stream lengths in 32 bits */
		total += spans[i].len;
	}
	s = HPDF_GetMem(mm, sizeof *s);
	b = HPDF_GetMem(mm, sizeof *b);
	if (s == NULL || b == NULL) {
		HPDF_FreeMem(mm, s);
		HPDF_FreeMem(mm, b);
		return NULL;
	}
	memset(b, 0, sizeof *b);
	b->spans = HPDF_GetMem(mm, (HPDF_UINT)((n ? n : 1) * sizeof *b->spans));
	if (b->spans == NULL) {
		HPDF_FreeMem(mm, s);
		HPDF_FreeMem(mm, b);
		return NULL;
	}
	if (n > 0)
		memcpy(b->spans, spans, n * sizeof *spans);
	b->src = *src;
	b->n_spans = n;
	b->total = total;
	memset(s, 0, sizeof *s);
	s->sig_bytes = HPDF_STREAM_SIG_BYTES;
	s->type = HPDF_STREAM_CALLBACK;
	s->mmgr = mm;
	s->error = error;
	s->read_fn = borrowed_read;   /* no write_fn: the stream is read only */
	s->seek_fn = borrowed_seek;
	s->tell_fn = borrowed_tell;
	s->size_fn = borrowed_size;
	s->free_fn = borrowed_free;
	s->attr = b;
	return s;
}

HPDF_Image pdf_image_xobject(HPDF_Doc doc, const pdf_source *src, const pdf_span *spans, size_t n)
{
	HPDF_MMgr mm = doc->mmgr;
	HPDF_Dict img;
	HPDF_Stream s;

	img = HPDF_DictStream_New(mm, doc->xref);
	if (img == NULL)
		return NULL;
	/* The dictionary stays in the document's cross-reference table, which
	 * frees it with the document, whatever fails from here on. */
	img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT; /* so that pages accept it */
	if (HPDF_Dict_AddName(img, "Type", "XObject") != HPDF_OK ||
	    HPDF_Dict_AddName(img, "Subtype", "Image") != HPDF_OK)
		return NULL;
	s = pdf_span_stream(mm, mm->error, src, spans, n);
	if (s == NULL)
		return NULL;
	/* in place of the memory stream HPDF_DictStream_New made */
	HPDF_Stream_Free(img->stream);
	img->stream = s;
	return img;
}

/* The checked files of a build, as sources. */
struct pdf_file_ref {
	pdf_ctx *c;
	size_t i;
};

static int load_file(void *arg, const uint8_t **data, size_t *len)
{
	struct pdf_file_ref *ref = arg;
	return pdf_file_bytes(ref->c, &ref->c->r->files[ref->i], data, len);
}

int pdf_file_bytes(pdf_ctx *c, const checked_file *f, const uint8_t **data, size_t *len)
{
	lp_err why;

	if (check_file_bytes(c->r, (size_t)(f - c->r->files), &c->scratch, data, len, &why) != 0)
		return pdf_fail_err(c, &why);
	return 0;
}

void pdf_file_source(pdf_ctx *c, const checked_file *f, pdf_source *src)
{
	size_t i = (size_t)(f - c->r->files);

	memset(src, 0, sizeof *src);
	src->ctx = c;
	src->sha256 = f->sha256;
	if (f->data != NULL) {
		src->data = f->data;
		return;
	}
	if (c->refs == NULL) {
		c->refs = calloc(c->r->n_files + 1, sizeof *c->refs);
		if (c->refs == NULL)
			return; /* no load: the first read fails, as out of memory */
		for (size_t k = 0; k < c->r->n_files; k++) {
			c->refs[k].c = c;
			c->refs[k].i = k;
		}
	}
	src->load = load_file;
	src->arg = &c->refs[i];
}

/* ---- JPEG ---- */

/* The image XObject of a JPEG, from what the probe read, over the file's
 * bytes unchanged (DCTDecode). Not HPDF_LoadJpegImageFromMem: that copies
 * the bytes into the document, and libharu 2.3.0's reader of the header
 * (LoadJpegHeader in hpdf_image.c) refuses valid files: fill bytes (0xFF
 * runs) before a marker, which ISO 10918-1 allows and libjpeg reads, make it
 * fail. The probe read the same frame header with every length checked. */
static HPDF_Image image_from_jpeg(pdf_ctx *c, const checked_file *f)
{
	const file_info *in = &f->info;
	pdf_span all = { 0, (size_t)f->bytes };
	pdf_source src;
	HPDF_Image img;
	HPDF_STATUS st = HPDF_OK;

	/* check reports these as `format`; a build with --allow-incomplete may still meet one */
	if (!probe_jpeg_embeddable(in)) {
		char sof[16], bits[16], comps[16];
		snprintf(sof, sizeof sof, "%d", in->jpeg_sof);
		snprintf(bits, sizeof bits, "%d", in->bit_depth);
		snprintf(comps, sizeof comps, "%d", in->components);
		pdf_fail(c, LP_E_PDF_JPEG_KIND, f->rel, sof, bits, comps);
		return NULL;
	}
	if (f->bytes > 0x7FFFFFFFu) {
		pdf_fail(c, LP_E_PDF_TOO_LARGE, f->rel);
		return NULL;
	}
	pdf_file_source(c, f, &src);
	img = pdf_image_xobject(c->doc, &src, &all, 1);
	if (img == NULL) {
		pdf_hpdf_check(c, LP_E_PDF_DRAW_FILE, f->rel);
		pdf_fail(c, LP_E_PDF_JPEG, f->rel);
		return NULL;
	}
	img->filter = HPDF_STREAM_FILTER_DCT_DECODE;
	st |= HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)in->width);
	st |= HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)in->height);
	st |= HPDF_Dict_AddName(img, "ColorSpace", in->components == 1 ? "DeviceGray"
						   : in->components == 3 ? "DeviceRGB"
									 : "DeviceCMYK");
	st |= HPDF_Dict_AddNumber(img, "BitsPerComponent", 8);
	/* Adobe's convention (an APP14 marker, which nearly every CMYK JPEG
	 * has) stores CMYK samples inverted: /Decode turns them back. Plain
	 * CMYK samples must not be inverted. */
	if (in->components == 4 && in->jpeg_adobe) {
		HPDF_Array dec = HPDF_Array_New(c->doc->mmgr);
		if (dec == NULL || HPDF_Dict_Add(img, "Decode", dec) != HPDF_OK)
			st |= HPDF_FAILD_TO_ALLOC_MEM;
		for (int i = 0; dec != NULL && i < 8; i++)
			st |= HPDF_Array_AddNumber(dec, 1 - i % 2);
	}
	if (st != HPDF_OK) {
		pdf_hpdf_check(c, LP_E_PDF_DRAW_FILE, f->rel);
		pdf_fail(c, LP_E_PDF_JPEG, f->rel);
		return NULL;
	}
	return img;
}

/* ---- PNG ---- */

typedef struct {
	imageio_png_src in;  /* first: libpng's io pointer */
	lp_errcode code;   /* why the decoding failed: PNG_DECODE with libpng's msg, or another */
	char msg[200];
	uint8_t *raw;        /* decoded rows */
	png_bytep *rows;
	uint32_t w, h;
	int ch;
} png_job;

static void png_on_error(png_structp png, png_const_charp msg)
{
	png_job *j = png_get_error_ptr(png);

	j->code = LP_E_PNG_DECODE_PDF;
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
	png_set_read_fn(png, &j->in, imageio_png_read_mem);
	probe_png_ignore_text(png);
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
		j->code = LP_E_PNG_LAYOUT;
		return -1;
	}
	if (h > SIZE_MAX / rowbytes / 2) {
		j->code = LP_E_PNG_TOO_LARGE;
		return -1;
	}
	j->raw = malloc((size_t)h * rowbytes);
	j->rows = malloc((size_t)h * sizeof *j->rows);
	if (j->raw == NULL || j->rows == NULL) {
		j->code = LP_E_PNG_NOMEM;
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
		   uint32_t *height, int *channels, lp_err *err)
{
	png_job *j = calloc(1, sizeof *j);
	png_structp png = NULL;
	png_infop info = NULL;
	int out_ch, ret = -1;

	*pixels = NULL;
	if (j == NULL) {
		lp_nomem(err);
		return -1;
	}
	j->in.data = data;
	j->in.len = len;
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_on_error, png_on_warning);
	if (png != NULL)
		info = png_create_info_struct(png);
	if (png == NULL || info == NULL) {
		lp_nomem(err);
		goto cleanup;
	}
	if (png_decode_rows(png, info, j) != 0) {
		lp_fail(err, j->code != LP_OK ? j->code : LP_E_PNG_DECODE_PDF, j->msg);
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

/* A PNG's way into the PDF is chosen by pdf_png_image (png_pass.c). */
static HPDF_Image image_from_png(pdf_ctx *c, const checked_file *f)
{
	lp_err why;
	const uint8_t *data;
	size_t len;
	pdf_source src;
	HPDF_Image img;

	/* read now to choose the route and find the IDAT data, and again
	 * from src when written if the check did not keep the bytes */
	if (pdf_file_bytes(c, f, &data, &len) != 0)
		return NULL;
	pdf_file_source(c, f, &src);
	img = pdf_png_image(c->doc, data, len, &src, PDF_PNG_AUTO, NULL, &why);
	if (img == NULL) {
		pdf_hpdf_check(c, LP_E_PDF_DRAW_FILE, f->rel);
		pdf_fail_in(c, LP_E_PDF_FILE, &why, f->rel);
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
			pdf_hpdf_check(c, LP_E_PDF_DRAW_WATERMARK, NULL);
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

/* The scan's own ICC profile, when it has one, as the image's colour
 * space (icc.c). */
static int add_icc(pdf_ctx *c, const checked_file *f, HPDF_Image img)
{
	const uint8_t *data;
	size_t len;

	if (pdf_file_bytes(c, f, &data, &len) != 0)
		return -1;
	if (pdf_image_icc(c->doc, img, f->info.format, data, len) != 0) {
		pdf_hpdf_check(c, LP_E_PDF_DRAW_FILE, f->rel);
		return pdf_fail(c, LP_E_PDF_ICC, f->rel);
	}
	return 0;
}

/* f's image XObject with its colour profile, *o its orientation (1-8)
 * and *dw x *dh its size shown upright; NULL on failure (recorded). */
static HPDF_Image upright_image(pdf_ctx *c, const checked_file *f, int *o, float *dw, float *dh)
{
	HPDF_Image img = f->info.format == FMT_JPEG ? image_from_jpeg(c, f) : image_from_png(c, f);
	float sw, sh;

	if (img == NULL || add_icc(c, f, img) != 0)
		return NULL;
	sw = (float)HPDF_Image_GetWidth(img);
	sh = (float)HPDF_Image_GetHeight(img);
	if (sw <= 0 || sh <= 0) {
		pdf_fail(c, LP_E_PDF_NO_SIZE, f->rel);
		return NULL;
	}
	*o = f->info.orientation < 1 || f->info.orientation > 8 ? 1 : f->info.orientation;
	/* a scan read as turned (upside-down, rotated) is shown upright: the
	 * turn OSD saw in the stored pixels, unless EXIF mirrors them */
	if (f->read && f->read->shown_turn && (*o == 1 || *o == 3 || *o == 6 || *o == 8))
		*o = read_upright_exif(f->read->turn);
	/* orientations 5-8 turn the image a quarter: shown w and h swap */
	*dw = *o >= 5 ? sh : sw;
	*dh = *o >= 5 ? sw : sh;
	return img;
}

int image_page(pdf_ctx *c, const checked_file *f)
{
	const material *m = &c->r->tpl->materials[f->material];
	int o, landscape;
	float dw, dh, sp, sl, scale, pw, ph, aw, ah, bx, by, mtx[6];
	HPDF_Image img;
	HPDF_Page page;

	if ((img = upright_image(c, f, &o, &dw, &dh)) == NULL)
		return -1;
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
	return pdf_hpdf_check(c, LP_E_PDF_DRAW_FILE, f->rel);
}

/* ---- ID card sides on one page ---- */

/* A true ID card (GB/T 14916, ISO/IEC 7810 ID-1): 85.6 x 54 mm, in points. */
#define CARD_W (85.6f * 72 / 25.4f)
#define CARD_H (54.0f * 72 / 25.4f)
#define CARD_GAP (15.0f * 72 / 25.4f)

long pdf_id_partner(const pdf_ctx *c, size_t i)
{
	return c->job->id_pairs ? upload_id_partner(c->r, i) : -1;
}

/* Image f drawn upright, as large as fits the box (x, y, w, h), centred. */
static int card_image(pdf_ctx *c, HPDF_Page page, const checked_file *f, float x, float y, float w, float h)
{
	int o;
	float dw, dh, k, mtx[6];
	HPDF_Image img = upright_image(c, f, &o, &dw, &dh);

	if (img == NULL)
		return -1;
	k = fminf(w / dw, h / dh);
	dw *= k;
	dh *= k;
	pdf_orient_matrix(o, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh, mtx);
	HPDF_Page_GSave(page);
	HPDF_Page_Concat(page, mtx[0], mtx[1], mtx[2], mtx[3], mtx[4], mtx[5]);
	HPDF_Page_ExecuteXObject(page, img);
	HPDF_Page_GRestore(page);
	return 0;
}

int id_pair_page(pdf_ctx *c, const checked_file *portrait, const checked_file *emblem)
{
	const material *m = &c->r->tpl->materials[portrait->material];
	float x = (PDF_A4_W - CARD_W) / 2, y0 = (PDF_A4_H - 2 * CARD_H - CARD_GAP) / 2;
	HPDF_Page page = pdf_new_page(c, 0);

	if (page == NULL)
		return -1;
	/* the portrait side above, the emblem side below, each at true size */
	if (card_image(c, page, portrait, x, y0 + CARD_H + CARD_GAP, CARD_W, CARD_H) != 0 ||
	    card_image(c, page, emblem, x, y0, CARD_W, CARD_H) != 0)
		return -1;
	if (c->job->watermark && m->watermark)
		watermark(c, page, x, y0, CARD_W, 2 * CARD_H + CARD_GAP);
	caption(c, page, portrait, PDF_A4_W, PDF_A4_H);
	pdf_page_footer(c, page, PDF_A4_W);
	return pdf_hpdf_check(c, LP_E_PDF_DRAW_FILE, portrait->rel);
}
