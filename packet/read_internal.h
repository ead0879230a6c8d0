/*
 * read_internal: what the reading engine's files share (packet/read*.c):
 * a decoded grey image and the resolution recognition is fed at.
 */
#ifndef LICPACK_READ_INTERNAL_H
#define LICPACK_READ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "packet/probe.h"

/* reading-notes: identifiers read well at 60 % of 200 dpi, OSD needs
 * 100 dpi or more; 150 dpi serves both with a margin for small print
 * (ID cards). The longer side is capped for scans that do not say their
 * density. */
#define READ_TARGET_DPI 150.0
#define READ_MAX_SIDE 2000.0
#define READ_SMALL 2.5e6

typedef struct {
	uint8_t *px;      /* w*h grey bytes, rows top down */
	uint32_t w, h;
	double dpi;       /* of the decoded image; 0 when unknown */
} read_img;

typedef enum {
	READ_IMG_OK = 0,
	READ_IMG_CORRUPT,
	READ_IMG_TOO_LARGE,
	READ_IMG_FORMAT,
	READ_IMG_NOMEM
} read_img_status;

/* Decode JPEG or PNG bytes to grey, scaled down to READ_TARGET_DPI /
 * READ_MAX_SIDE; never more than max_pixels decoded. On READ_IMG_OK the
 * caller owns img (read_img_release); otherwise img holds nothing. */
read_img_status read_img_decode(const uint8_t *data, size_t len, file_format fmt, uint64_t max_pixels,
				read_img *img);
/* Turn img clockwise by deg (a multiple of 90). Returns 0, or -1 out of memory. */
int read_img_turn(read_img *img, int deg);
void read_img_release(read_img *img);

#endif
