/*
 * convert_internal: what the convert*.c files share, and nothing else may use.
 *
 * Each decoder (convert_decode.c) fills a conv_image: 8-bit pixels, one
 * channel (grey) or three (RGB), alpha already composed over white as
 * paper. convert.c turns it upright and encodes it (JPEG, PNG) or puts
 * several into a PDF (convert_pdf.c); convert_office.c runs LibreOffice.
 */
#ifndef LICPACK_CONVERT_INTERNAL_H
#define LICPACK_CONVERT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "packet/convert.h"

typedef struct {
	uint32_t w, h;
	int ch;            /* 1 or 3 */
	uint8_t *px;       /* w*h*ch bytes, rows top to bottom; owned */
	double dpi_x, dpi_y;
	int bilevel;       /* the source had 1 bit a pixel: every pixel 0 or 255 */
	int palette;       /* the source was a palette image (GIF): PNG keeps it exact */
	int orientation;   /* EXIF/TIFF 1-8 still to apply; 0 or 1: none */
} conv_image;

/* A growing byte buffer for the encoders; data malloc'ed, owned. */
typedef struct {
	uint8_t *data;
	size_t len, cap;
	int failed;        /* out of memory (or a size overflow) once: stays set */
} conv_buf;

void conv_buf_put(conv_buf *b, const void *p, size_t n);
void conv_buf_printf(conv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Statuses the decoders return. */
enum { CONV_OK = 0, CONV_CORRUPT, CONV_TOO_LARGE, CONV_NOMEM, CONV_REFUSED };

/* A decoder's verdict: status and, for a failure, the reasons (string
 * literals, English and Chinese). */
typedef struct {
	int status;
	const char *en, *zh;
} conv_result;

/* 1 when w*h is over the limit (or a side over 65500, PDF's and JPEG's
 * limit); sets r to CONV_TOO_LARGE. */
int conv_too_large(const convert_limits *lim, uint64_t w, uint64_t h, conv_result *r);

/* Allocate img->px for w x h x ch; CONV_NOMEM on failure. */
int conv_image_alloc(conv_image *img, uint32_t w, uint32_t h, int ch);
void conv_image_release(conv_image *img);

/* The decoders: one image (the first frame; for TIFF page `page`, 0-based). */
conv_result conv_decode_heif(const uint8_t *d, size_t n, const convert_limits *lim, conv_image *img);
conv_result conv_decode_webp(const uint8_t *d, size_t n, const convert_limits *lim, conv_image *img);
conv_result conv_decode_bmp(const uint8_t *d, size_t n, const convert_limits *lim, conv_image *img);
conv_result conv_decode_gif(const uint8_t *d, size_t n, const convert_limits *lim, conv_image *img);

/* TIFF: an open file read from memory, its pages counted (at most
 * max_pages + 1 are walked: more is CONV_TOO_LARGE). */
typedef struct conv_tiff conv_tiff;
conv_result conv_tiff_open(const uint8_t *d, size_t n, const convert_limits *lim, conv_tiff **t, int *pages);
conv_result conv_tiff_page(conv_tiff *t, int page, const convert_limits *lim, conv_image *img);
void conv_tiff_close(conv_tiff *t);

/* Apply img->orientation (2-8) to the pixels; then it is 1. CONV_NOMEM. */
int conv_orient(conv_image *img);

/* Encode img as JPEG (quality q) or PNG (1-bit grey when bilevel) into b.
 * CONV_OK, CONV_NOMEM, or CONV_CORRUPT when the library refuses. */
int conv_encode_jpeg(const conv_image *img, int q, conv_buf *b);
int conv_encode_png(const conv_image *img, conv_buf *b);

/* A PDF of n pages, page i showing image i (its JPEG bytes, DCTDecode, or
 * a bilevel image's bits packed and deflated by conv_pack_bilevel,
 * FlateDecode) at its DPI (200 when it has none). Only the encodings are
 * kept while the pages are decoded one after another: a 100-page TIFF
 * never holds more than one page's pixels. */
typedef struct {
	uint32_t w, h;
	int ch;                   /* 1 or 3 (JPEG); bilevel pages are 1 bit grey */
	double dpi_x, dpi_y;
	int bilevel;
	const uint8_t *data;
	size_t len;
} conv_pdf_page;
int conv_write_pdf(const conv_pdf_page *pages, int n, conv_buf *b);
/* img's pixels (bilevel: 0 or 255) packed 8 a byte, 1 = white, deflated
 * into b. CONV_OK or CONV_NOMEM. */
int conv_pack_bilevel(const conv_image *img, conv_buf *b);

/* Office documents through LibreOffice (convert_office.c). */
int conv_office(const uint8_t *d, size_t n, file_format fmt, const char *ext, const convert_limits *lim,
		conv_buf *out, conv_result *r, convert_info *ci);

#endif
