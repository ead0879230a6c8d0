/*
 * upload_fit: scans made to fit a portal's limits (upload_profile.h).
 *
 * fit_estimate() is the check's answer, from the header alone: does a file
 * need fitting, and can fitting bring it under the limits without going
 * below the smallest long edge the page's size allows at the profile's
 * min_dpi? fit_image() does it: decodes (a JPEG scaled by libjpeg-turbo no
 * further down than the target needs: never a full decode of a scan twice
 * the size it must become), turns the pixels upright by the EXIF
 * orientation, shrinks them (box filter) and encodes JPEG, lowering the
 * long edge (then the quality, 90 down to 70) until the bytes fit. Pixels
 * from elsewhere (a PDF page rendered in pdf/) go through fit_pixels().
 *
 * Errors come back as lp_err (packet/error.h); nothing is printed.
 */
#ifndef LICPACK_UPLOAD_FIT_H
#define LICPACK_UPLOAD_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "packet/error.h"
#include "packet/imageio.h"
#include "packet/probe.h"
#include "packet/thumb.h"

/* Page sizes, long edge, for the resolution of a scan. */
#define FIT_A4_MM 297.0
#define FIT_ID_CARD_MM 85.6
/* The quality a fit starts at, and the lowest it goes to. */
#define FIT_QUALITY 90
#define FIT_MIN_QUALITY 70

typedef struct {
	uint64_t max_bytes;      /* 0: none */
	uint32_t max_long_edge;  /* 0: none */
	uint64_t max_pixels;     /* 0: none */
	uint32_t min_long_edge;  /* never fitted below (fit_min_edge); 0: none */
	int quality;             /* the first try */
	double page_mm;          /* the page's long edge: for the JFIF density */
	uint32_t start_edge;     /* the first try's long edge, when smaller (fit_image's
				  * guess from the bytes); 0: none */
} fit_limits;

/* The long edge in pixels that a page of long edge page_mm has at dpi. */
uint32_t fit_min_edge(uint32_t dpi, double page_mm);

typedef enum {
	FIT_NONE = 0,   /* within every limit: goes up as it is */
	FIT_YES,        /* over a limit; fitting brings it under */
	FIT_NO          /* over a limit that fitting cannot meet */
} fit_verdict;

/* About how many bytes an image of bytes, w x h pixels takes as a JPEG at
 * full size: a JPEG's own; a PNG's pixels at a scan's bytes per pixel. */
double fit_jpeg_guess(uint64_t bytes, uint32_t w, uint32_t h, file_format fmt);

/* From the header: bytes long, w x h pixels (as stored). */
fit_verdict fit_estimate(uint64_t bytes, uint32_t w, uint32_t h, file_format fmt, const fit_limits *lim);

/* The result of a fit: a JPEG (malloc'ed, the caller frees jpeg). */
typedef struct {
	uint8_t *jpeg;
	size_t len;
	uint32_t w, h;
	int quality;
	int reduced;    /* 1 when pixels were dropped (fitted), 0 re-encoded only */
} fit_out;

enum { FIT_OK = 0, FIT_ERROR = -1, FIT_CANNOT = -2, FIT_PIXELS = -3 };

/* The image in data (JPEG or PNG, fmt), upright by orientation (EXIF 1-8),
 * within lim, as JPEG. FIT_OK; FIT_CANNOT (err says which limit) when it
 * would have to go below lim->min_long_edge; FIT_ERROR (err) when it
 * cannot be decoded or memory runs out. */
int fit_image(const uint8_t *data, size_t len, file_format fmt, int orientation, const fit_limits *lim, fit_out *out,
	      lp_err *err);

/* The image in data decoded (a JPEG no smaller than want_edge on its long
 * side, when it is larger) and turned upright by orientation, into *img
 * (the caller frees img->px). FIT_OK or FIT_ERROR with err. */
int fit_decode_upright(const uint8_t *data, size_t len, file_format fmt, int orientation, uint32_t want_edge,
		       thumb_rgb *img, lp_err *err);

/* src shrunk (box filter) to long edge `edge` into dst (new pixels; never
 * enlarged). 0, or -1 when out of memory. */
int fit_shrink(const thumb_rgb *src, uint32_t edge, thumb_rgb *dst);

/* The same from pixels (img->px is consumed: freed, set NULL). */
int fit_pixels(thumb_rgb *img, const fit_limits *lim, fit_out *out, lp_err *err);

/* A w x h RGB picture made row by row (row_fn, imageio.h), encoded as its
 * rows come, without a buffer of its pixels, when it may keep its size
 * (lim's long edge and pixels) and its JPEG at the first quality is within
 * lim->max_bytes: FIT_OK (reduced 0). FIT_PIXELS when it needs fitting:
 * the caller makes its pixels and calls fit_pixels. FIT_ERROR with err. */
int fit_rows(uint32_t w, uint32_t h, imageio_row_fn row_fn, void *arg, const fit_limits *lim, fit_out *out,
	     lp_err *err);

#endif
