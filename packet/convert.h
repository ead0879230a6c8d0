/*
 * convert: the files clients send that the filing systems do not take,
 * turned into ones they do.
 *
 * convert_buffer() takes the bytes of a HEIC/HEIF, WebP, TIFF, BMP or GIF
 * image (sniffed by probe_buffer(), never by extension), decodes it into
 * pixels (libheif, libwebp, libtiff, stb_image, giflib), turns it upright by
 * its EXIF or TIFF orientation, and encodes it again: a photograph or a
 * colour scan as JPEG (libjpeg-turbo, quality CONVERT_JPEG_QUALITY, 4:2:0),
 * a bilevel page (1 bit a pixel) or a GIF as PNG, a TIFF of several pages as
 * a PDF of those pages, one image a page. Office documents (doc, docx, xls,
 * xlsx, odt, wps) become PDF through LibreOffice (convert_office.c) when
 * `soffice` is installed. The result goes through probe_buffer() like any
 * file, so every check (pixels, DPI, colour, seal) is made on the decoded
 * pixels. Nothing here reads or writes the applicant's folder: the bytes come
 * in and go out in memory (LibreOffice works on a copy in a private
 * temporary folder). Decoding is bounded: a canvas over the pixel limit is
 * refused before any pixel is decoded, a TIFF over CONVERT_MAX_PAGES pages
 * before its first page is, and LibreOffice is killed (its whole process
 * group) after office_timeout_s seconds. No global state; safe on several
 * threads at once.
 */
#ifndef LICPACK_CONVERT_H
#define LICPACK_CONVERT_H

#include <stddef.h>
#include <stdint.h>

#include "packet/probe.h"

#define CONVERT_JPEG_QUALITY 90
#define CONVERT_JPEG_QUALITY_TEXT "90"
/* Pages of a TIFF converted at most; a file with more is refused as
 * too large (a scanner's multi-page TIFF holds a document, not a book). */
#define CONVERT_MAX_PAGES 100
/* The pixels of all a TIFF's pages together: at most this many times the
 * limit of one page (10 x 100 megapixels by default: a hundred A4 pages at
 * 300 dpi are 870). */
#define CONVERT_TIFF_PIXELS_FACTOR 10
/* Seconds LibreOffice may take for one document. */
#define CONVERT_OFFICE_TIMEOUT 120

typedef struct {
	uint64_t max_pixels;     /* per page, as probe_limits.max_pixels; 0 = none */
	int max_pages;           /* 0: CONVERT_MAX_PAGES */
	int office_timeout_s;    /* 0: CONVERT_OFFICE_TIMEOUT */
	const char *soffice;     /* the program to run; NULL: "soffice" found on PATH */
	unsigned analyse_pixels; /* probe_limits.analyse_pixels for the pages of a
				  * TIFF converted to PDF (convert_info.images) */
} convert_limits;

typedef struct {
	file_format from;        /* the original's format */
	file_format to;          /* FMT_JPEG, FMT_PNG or FMT_PDF */
	char method[48];         /* how: "heif→jpeg q90", "tiff→pdf 3 pages", "docx→pdf soffice" */
	int pages;               /* pages converted */
	/* A TIFF of several pages (to FMT_PDF): its images as the probe saw
	 * them, all pages together, so that the checks of images apply to it:
	 * the smallest page's width, height and DPI; encoding and pixels
	 * COLOUR when any page is; red_seal when any page shows one.
	 * images.format is FMT_UNKNOWN otherwise. */
	file_info images;
} convert_info;

/* 1 when a file of format f, whose first bytes are data, is one that
 * convert_buffer() converts (a zip only when it is an Office document). */
int convert_wanted(file_format f, const uint8_t *data, size_t len);

/* Convert len bytes at data, of format fmt (as probe_buffer() sniffed it).
 * ext: the original's extension without the dot, or NULL (LibreOffice reads
 * some formats better for it). On success returns 0 with *out (malloc'ed;
 * the caller frees) holding *out_len bytes and *ci filled. When the file
 * cannot be converted returns 1 with fail->status and its reasons set
 * (PROBE_CORRUPT, PROBE_TOO_LARGE, or PROBE_REFUSED when no converter is
 * installed), fail->format fmt. Returns -1 when memory runs out. */
int convert_buffer(const uint8_t *data, size_t len, file_format fmt, const char *ext,
		   const convert_limits *lim, uint8_t **out, size_t *out_len, convert_info *ci,
		   file_info *fail);

#endif
