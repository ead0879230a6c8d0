/*
 * thumb: small JPEG pictures of scans for report.html.
 *
 * thumb_from_image() makes one from a JPEG (decoded by libjpeg-turbo at 1/8,
 * 1/4 or 1/2 scale, whichever is the smallest that still gives the long
 * edge THUMB_EDGE pixels: never a full decode) or a PNG (libpng), then
 * shrinks it to THUMB_EDGE on the long edge, turns it upright by its EXIF
 * orientation, draws the purpose watermark into its pixels when asked (an
 * ID card's thumbnail can be saved on its own: the mark must be in the
 * image, not over it) after blurring the picture to a mosaic in which no
 * digit of an ID number can be read, and encodes it as JPEG. thumb_from_rgb() does the
 * same from pixels another module decoded (a PDF page rendered in pdf/, a
 * JPEG's picture gathered by thumb_acc from the probe's decode).
 *
 * Nothing is printed; the libraries' warnings are swallowed.
 */
#ifndef LICPACK_THUMB_H
#define LICPACK_THUMB_H

#include <stddef.h>
#include <stdint.h>

#include "packet/error.h"
#include "packet/probe.h"
#include "packet/report_html.h"

/* The long edge of a thumbnail, in pixels. */
#define THUMB_EDGE 240

/* The watermark to draw: text (UTF-8) in the TrueType/OpenType face
 * font_index of font_path. text NULL: none. */
typedef struct {
	const char *text;
	const char *font_path;
	int font_index;
} thumb_mark;

/* 8-bit RGB pixels, w*h*3 bytes, rows top to bottom: check.h's type, in
 * which a check keeps a scan's picture (checked_file.preview). */
typedef check_picture thumb_rgb;

/* A thumbnail-sized picture gathered row by row from a decode made
 * elsewhere (the probe's: probe_buffer_rows), box-filtered down to
 * THUMB_EDGE on the long edge as the rows arrive, so that the decoded image
 * is never held whole and the scan is not decoded a second time. */
typedef struct {
	uint32_t w, h;        /* of the rows given */
	unsigned tw, th;      /* of the picture */
	uint32_t rows;        /* rows given so far */
	unsigned ty;          /* the picture's row being summed */
	uint64_t *sum;        /* its tw * 3 sums */
	uint32_t *x0;         /* tw + 1: the first column of each of the picture's columns */
	uint8_t *px;          /* tw * th * 3 */
	int failed;           /* begun twice, out of memory or rows out of order */
} thumb_acc;

void thumb_acc_init(thumb_acc *a);

/* What feeds a: probe_rows with min_edge THUMB_EDGE. Its begin() declines
 * rows shorter than THUMB_EDGE on the long edge (a small image, whose own
 * decode at full size is cheap) and a second image. */
probe_rows thumb_acc_rows(thumb_acc *a);

/* The picture, when every row came: moved to *out (the caller frees
 * out->px); returns 0. -1 when it is not whole (nothing in *out). */
int thumb_acc_take(thumb_acc *a, thumb_rgb *out);

void thumb_acc_release(thumb_acc *a);

/* A whole picture kept from a decode made elsewhere (the probe's), at the
 * decode's size, as its rows come: an ID card side's, for the upload's ID
 * page, so that the side is decoded once, not twice. */
typedef struct {
	thumb_rgb pic;
	uint32_t rows;        /* rows given so far */
	int failed;           /* begun twice, out of memory or rows out of order */
} thumb_keep;

/* What feeds k (min_edge 0: the decode's own scale). */
probe_rows thumb_keep_rows(thumb_keep *k);

/* The picture, when every row came: moved to *out (the caller frees
 * out->px); returns 0. -1 when it is not whole (nothing in *out). */
int thumb_keep_take(thumb_keep *k, thumb_rgb *out);

void thumb_keep_release(thumb_keep *k);

/* Rows for two: each of a and b is given the rows when its begin() takes
 * them; the decode keeps the larger min_edge. t lives as long as the
 * returned probe_rows is used. */
typedef struct {
	probe_rows a, b;
	int take_a, take_b;
} thumb_tee;

probe_rows thumb_tee_rows(thumb_tee *t, probe_rows a, probe_rows b);

/* A thumbnail of the image in data (fmt FMT_JPEG or FMT_PNG), upright by
 * orientation (EXIF 1-8; others: as stored), with mark unless mark is NULL
 * or has no text (a marked thumbnail is a mosaic under the mark). Fills *out (the caller frees out->jpeg). Returns 0, or -1
 * with err (for logs of tests only: the report shows a placeholder) when
 * the image cannot be decoded or the watermark cannot be drawn: a marked
 * thumbnail is never made without its mark. */
int thumb_from_image(const uint8_t *data, size_t len, file_format fmt, int orientation, const thumb_mark *mark,
		     html_thumb *out, lp_err *err);

/* The same from pixels: img is shrunk (img->px replaced and freed: the
 * caller still frees img->px at the end), marked and encoded. */
int thumb_from_rgb(thumb_rgb *img, int orientation, const thumb_mark *mark, html_thumb *out, lp_err *err);

/* mark drawn into img's pixels, across the whole image (the upload
 * folder's ID card copies carry it as the thumbnails do). 0, or -1 with err
 * when the font cannot be loaded. Nothing when mark or its text is NULL. */
int thumb_watermark(thumb_rgb *img, const thumb_mark *mark, lp_err *err);

#endif
