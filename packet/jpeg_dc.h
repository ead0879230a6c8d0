/*
 * jpeg_dc: a JPEG's image at 1/8 scale, made from the DC coefficients alone.
 *
 * At 1/8 scale every 8x8 block of a JPEG becomes one pixel, the block's
 * mean, which is its DC coefficient: no inverse DCT is needed, only the
 * entropy decoding, and of that only enough to find where each block's AC
 * codes end. This decoder does just that, with tables that step over
 * several AC codes at once, and can stop as soon as its caller has seen
 * enough (the pixel analysis of probe_jpeg.c stops once the answers it was
 * asked for are certain). See jpeg_dc.c for what it takes and why.
 *
 * It decodes only what it understands completely: 8-bit Huffman-coded
 * sequential (SOF0, SOF1) and progressive (SOF2) frames of one or three
 * components, every table and scan header well formed, restart markers in
 * order, the entropy-coded data long enough. Anything else is
 * JPEG_DC_FALLBACK, and the caller uses libjpeg-turbo instead, which judges
 * those files as it always did. Nothing is printed; every read is checked.
 */
#ifndef LICPACK_JPEG_DC_H
#define LICPACK_JPEG_DC_H

#include <stddef.h>
#include <stdint.h>

/* No real encoder writes more than a few dozen scans (progressive JPEGs use
 * about 10, one scan per DCT coefficient and component is under 300);
 * hundreds of empty scans are a known way to make a decoder spend seconds on
 * a small file, as each scan visits every block of the image. libjpeg-turbo
 * suggests 500 as the limit for untrusted input: probe_jpeg.c refuses more,
 * and this decoder leaves more to libjpeg. */
enum { JPEG_MAX_SCANS = 500 };

/* Where one scan's entropy-coded data lies in the file: from data (just
 * after its SOS segment) to end, the FF of the marker that ends it. */
typedef struct {
	size_t data, end;
} jpeg_scan_span;

typedef enum {
	JPEG_DC_DONE = 0,   /* rows delivered (all, or until the callback said stop) */
	JPEG_DC_FALLBACK,   /* not for this decoder: use libjpeg */
	JPEG_DC_NOMEM
} jpeg_dc_result;

/* The 1/8-scale image, as jpeg_dc_decode delivers it: width x height
 * pixels (the image's size divided by 8, rounded up, as libjpeg's 1/8-scale
 * output), 1 channel (grey) or 3 (RGB: YCbCr is converted). */
typedef struct {
	uint32_t width, height;
	int channels;
	/* Each component's quantised DC coefficients, one per block over the
	 * whole frame padded to full MCUs (bw[c] blocks across, bh[c] down),
	 * for the tests to compare with libjpeg's coefficients. */
	int ncomp;
	uint32_t bw[3], bh[3];
	const int16_t *dc[3];
} jpeg_dc_image;

/* Called with rows y0 to y1 - 1 of the 1/8-scale image, in order, each row
 * width * channels bytes at rows[y - y0]; return nonzero to stop decoding
 * (the result is still JPEG_DC_DONE). */
typedef int (*jpeg_dc_rows_fn)(void *arg, const jpeg_dc_image *img, const uint8_t *const *rows,
			       uint32_t y0, uint32_t y1);

/* Decode the JPEG at d[0..n) (a whole file, whose markers probe_jpeg has
 * already walked from SOI to EOI) and deliver its 1/8-scale rows to fn.
 * known (n_known of them, or NULL) are the spans of its scans as that walk
 * found them, in order: a scan whose data starts where its span says is not
 * searched for its end again. When keep is not NULL, the DC coefficients
 * stay there for the caller (release with jpeg_dc_image_release) once every
 * row has been decoded. */
jpeg_dc_result jpeg_dc_decode(const uint8_t *d, size_t n, const jpeg_scan_span *known, unsigned n_known,
			      jpeg_dc_rows_fn fn, void *arg, jpeg_dc_image *keep);

void jpeg_dc_image_release(jpeg_dc_image *img);

/* Skip entropy-coded data from p. Inside it, FF 00 is a stuffed FF, FF D0-D7
 * a restart marker and FF FF fill; any other FF xx ends the scan. Returns the
 * offset of that marker's FF, or n when the data runs out first. (Also the
 * probe's marker walk, probe_jpeg.c.) */
size_t jpeg_entropy_end(const uint8_t *d, size_t n, size_t p);

#endif
