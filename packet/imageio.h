/*
 * imageio: libjpeg-turbo and libpng the way licpack uses them wherever it
 * decodes or encodes a picture of its own (thumbnails, upload files,
 * converted inputs, pages for reading). The probe (probe_jpeg.c,
 * probe_png.c) keeps its own error handling: it judges the libraries'
 * warnings, which everyone else drops.
 *
 * libjpeg's errors end in a longjmp back to the caller's setjmp with its
 * message kept; libpng's likewise (imageio_png_error); warnings are
 * dropped (packet/ never prints).
 */
#ifndef LICPACK_IMAGEIO_H
#define LICPACK_IMAGEIO_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jpeglib.h>
#include <png.h>

#include "packet/error.h"
#include "packet/check.h"

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jb;                   /* the caller's setjmp */
	char msg[JMSG_LENGTH_MAX];    /* libjpeg's message, after the jump */
} imageio_err;

/* e set up (longjmp on error, warnings dropped): for a struct's .err. */
struct jpeg_error_mgr *imageio_err_init(imageio_err *e);

/* How imageio_encode writes. */
typedef struct {
	int quality;        /* 1-100 */
	int full_chroma;    /* 1: colour at full resolution (thin red strokes
			       stay sharp), 0: libjpeg's 4:2:0 */
	int optimize;       /* optimised Huffman tables (smaller, slower) */
	double dpi_x, dpi_y; /* JFIF density; 0 (or >= 65535.5): none written */
} imageio_enc;

/* w x h pixels of ch (1: grey, 3: RGB) 8-bit channels, rows top to bottom,
 * as a baseline JPEG into *out (malloc'ed, the caller's) of *len bytes.
 * Returns 0; -1 with err when libjpeg fails, -2 when memory runs out. */
int imageio_encode(const uint8_t *px, uint32_t w, uint32_t h, int ch, const imageio_enc *o, uint8_t **out,
		  size_t *len, lp_err *err);

/* The same, each row asked for when libjpeg takes it: row_fn(arg, y)
 * returns row y's w * ch bytes, valid until the next call (rows in order,
 * each once). A picture made row by row needs no buffer of its own. */
typedef const uint8_t *(*imageio_row_fn)(void *arg, uint32_t y);
int imageio_encode_rows(uint32_t w, uint32_t h, int ch, imageio_row_fn row_fn, void *arg, const imageio_enc *o,
			uint8_t **out, size_t *len, lp_err *err);

/* How fast a decode may be: the fast integer DCT and plain upsampling,
 * always, or only when the decode is scaled (its error is then below what
 * a further shrink averages away). */
enum { IMAGEIO_FAST_ALWAYS, IMAGEIO_FAST_SCALED };

/* data decoded to RGB (CMYK composed) at the smallest of 1/8, 1/4, 1/2 and
 * full scale that keeps the long edge at least want pixels, into *img
 * (img->px the caller's). Returns 0; -1 with err when it cannot be decoded,
 * -2 when memory runs out. */
int imageio_decode_rgb(const uint8_t *data, size_t len, uint32_t want, int fast, check_picture *img,
		      lp_err *err);

/* A PNG decoded to RGB, transparency composed over white as on paper,
 * into *img (img->px the caller's). Returns 0; -1 with err when it cannot
 * be decoded, -2 when memory runs out. */
int imageio_decode_png_rgb(const uint8_t *data, size_t len, check_picture *img, lp_err *err);

/* libpng error and warning handlers for png_create_*_struct: an error
 * longjmps to the png_struct's setjmp without a word, a warning is dropped. */
void imageio_png_error(png_structp p, png_const_charp msg);
void imageio_png_warning(png_structp p, png_const_charp msg);

/* libpng reading from memory: png_set_read_fn(p, &src, imageio_png_read_mem)
 * with src = { data, len, 0 }; running past the end is png_error() "PNG data
 * ends early". */
typedef struct {
	const uint8_t *data;
	size_t len, pos;
} imageio_png_src;
void imageio_png_read_mem(png_structp p, png_bytep out, size_t n);

/* A PNG read a row at a time as RGB (classic libpng), for the PNGs that
 * decode so as imageio_decode_png_rgb decodes them: 8-bit or less, grey,
 * RGB or palette, no transparency, not interlaced, sRGB or no gamma said. */
typedef struct {
	uint32_t w, h;
	int failed;        /* libpng gave up on a row: the rest came white */
	struct imageio_png_state *s;
} imageio_png_rows;

/* r ready to give data's rows: 0; 1 for another PNG (decode it whole); -1
 * with err when its header cannot be read, -2 when memory runs out. r is
 * closed unless 0 is returned. */
int imageio_png_rows_open(imageio_png_rows *r, const uint8_t *data, size_t len, lp_err *err);

/* The next row, w * 3 bytes (an imageio_row_fn; arg is the
 * imageio_png_rows). After a failure, white rows and r->failed set. */
const uint8_t *imageio_png_row(void *arg, uint32_t y);

void imageio_png_rows_close(imageio_png_rows *r);

/* img (RGB) turned upright by EXIF orientation o (1-8; others: left as it
 * is): img->px replaced. Returns 0, or -1 when memory runs out. */
int imageio_upright(check_picture *img, int o);

/* img turned upright by o into new pixels *out (the caller frees out->px;
 * o 1 or unknown: a copy). 0, or -1 when out of memory. */
int imageio_upright_copy(const check_picture *img, int o, check_picture *out);

/* The size in the frame header (libjpeg reads the header only). Returns 0, or -1. */
int imageio_header_size(const uint8_t *data, size_t len, uint32_t *w, uint32_t *h);

#endif
