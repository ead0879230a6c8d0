/*
 * probe_internal: what the probe_*.c files share, and nothing else may use.
 *
 * probe.c sniffs the format and hands the buffer to probe_jpeg(),
 * probe_png() or probe_pdf(); those fill the file_info that probe_buffer()
 * has already zeroed and given its defaults. The JPEG and PNG probes feed
 * their decoded rows to one pixel_stats accumulator so that "grey" and
 * "red seal" mean the same thing whatever the image format.
 */
#ifndef LICPACK_PROBE_INTERNAL_H
#define LICPACK_PROBE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "packet/probe.h"
#include "packet/util.h"

/* Sets out->status and the reason (string literals); returns the status. */
probe_status probe_fail(file_info *out, probe_status st, const char *en, const char *zh);

/* When w*h exceeds lim->max_pixels: marks out PROBE_TOO_LARGE and returns
 * 1; else returns 0. */
int probe_check_pixel_limit(const probe_limits *lim, uint32_t w, uint32_t h, file_info *out);

/*
 * Pixel statistics over an image, fed one row (or one interlace pass's row)
 * at a time. Red pixels are also counted per cell of a coarse grid so that
 * a seal (one compact patch of red ink) can be told from red specks spread
 * thinly over the whole page.
 */
enum { PIXSTAT_GRID = 16 };

typedef struct {
	uint32_t width, height;  /* of the image the rows come from */
	uint64_t total;          /* pixels seen */
	uint64_t nongrey;        /* pixels whose channels differ by more than the tolerance */
	uint64_t red;            /* saturated red pixels */
	int colour_rows;         /* rows of 3 or 4 channels were seen */
	uint64_t red_cells[PIXSTAT_GRID][PIXSTAT_GRID];  /* [row][column] */
} pixel_stats;

void pixel_stats_init(pixel_stats *s, uint32_t width, uint32_t height);

/* Add n pixels of row y, 8 bits per channel; channels: 1 grey, 2 grey and
 * alpha, 3 RGB, 4 RGBA (alpha is composed over white, as paper). Pixel i
 * lies at column x0 + i*dx, which lets a PNG interlace pass be fed as it is
 * decoded. */
void pixel_stats_add(pixel_stats *s, const uint8_t *px, uint32_t n, int channels,
		     uint32_t y, uint32_t x0, uint32_t dx);

/* Set out->pixels and out->red_seal from what was seen. */
void pixel_stats_finish(const pixel_stats *s, file_info *out);

/* 1 when the answers that want (PROBE_PIXELS_COLOUR, PROBE_PIXELS_SEAL)
 * asks for are certain from the rows seen so far: more rows could not
 * change what pixel_stats_finish would say of them. Never for
 * PROBE_PIXELS_ALL. */
int pixel_stats_settled(const pixel_stats *s, unsigned want);

/* The format probes. data starts with the format's signature (as sniffed);
 * out has been reset by probe_buffer(). Each returns out->status. */
probe_status probe_jpeg(const uint8_t *data, size_t len, const probe_limits *lim,
			const probe_rows *rows, file_info *out);
probe_status probe_png(const uint8_t *data, size_t len, const probe_limits *lim,
		       file_info *out);
probe_status probe_pdf(const uint8_t *data, size_t len, file_info *out);

/* The EXIF orientation (1-8; 0 absent or "undefined"; -1 invalid) in a
 * TIFF-structured EXIF block of n bytes (probe_jpeg.c). */
int probe_exif_orientation(const uint8_t *d, size_t n);

/* 1 when a PDF page's content (decoded, joined) is well formed: strings,
 * arrays and dictionaries closed, inline images ended (probe_pdf.c). */
int probe_pdf_content_ok(const uint8_t *d, size_t len);

/* Sets q's logger to one that drops everything and silences its errors:
 * library code never prints (probe_pdf.c). */
struct _qpdf_data;
void probe_pdf_silence(struct _qpdf_data *q);

/* How an image stream dictionary d (a qpdf_oh) of q is filtered: 1 for
 * DCTDecode alone (a name or a one-entry array: the stream's bytes are the
 * JPEG file), 2 when DCTDecode ends a chain of filters, 0 otherwise
 * (probe_pdf.c; pdf_page_jpeg.c takes 1 as a scan's JPEG). */
int probe_pdf_dct_filter(struct _qpdf_data *q, unsigned d);

#endif
