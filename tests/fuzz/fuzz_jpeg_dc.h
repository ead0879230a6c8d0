/*
 * fuzz_jpeg_dc: the DC decoder (packet/jpeg_dc.c) on arbitrary bytes,
 * against libjpeg-turbo.
 *
 * Beyond "no crash, no leak, no read outside the buffer": whenever the DC
 * decoder takes a file (JPEG_DC_DONE), libjpeg-turbo must read the same
 * file's coefficients without failing, and every block's DC coefficient
 * must be the one libjpeg-turbo read. A file the decoder takes but libjpeg
 * refuses, or a single DC value that differs, aborts. The rows delivered
 * must be as many as the image is tall, in order.
 *
 * A header, so that tests/unit/test_hostile.c replays the regressions
 * through this very code; fuzz_jpeg_dc.c is libFuzzer's entry point.
 */
#ifndef LICPACK_FUZZ_JPEG_DC_H
#define LICPACK_FUZZ_JPEG_DC_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "packet/jpeg_dc.h"

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
} fuzz_jpeg_err;

static void fuzz_jpeg_on_error(j_common_ptr c)
{
	longjmp(((fuzz_jpeg_err *)c->err)->jump, 1);
}

static void fuzz_jpeg_on_message(j_common_ptr c, int level)
{
	(void)c;
	(void)level;
}

typedef struct {
	uint32_t next_row;
	int bad;
} fuzz_rows;

static int fuzz_jpeg_rows(void *arg, const jpeg_dc_image *img, const uint8_t *const *rows,
			  uint32_t y0, uint32_t y1)
{
	fuzz_rows *r = arg;
	if (y0 != r->next_row || y1 <= y0 || y1 > img->height || !rows || !rows[0])
		r->bad = 1;
	r->next_row = y1;
	return 0;
}

/* libjpeg-turbo's DC coefficients of the file against the decoder's. */
static void fuzz_jpeg_compare(const uint8_t *data, size_t size, const jpeg_dc_image *img)
{
	struct jpeg_decompress_struct ci;
	fuzz_jpeg_err e;

	memset(&ci, 0, sizeof ci);
	ci.err = jpeg_std_error(&e.pub);
	e.pub.error_exit = fuzz_jpeg_on_error;
	e.pub.emit_message = fuzz_jpeg_on_message;
	if (setjmp(e.jump))
		abort(); /* taken by the DC decoder, refused by libjpeg */
	jpeg_create_decompress(&ci);
	ci.mem->max_memory_to_use = 512L * 1024 * 1024;
	jpeg_mem_src(&ci, data, (unsigned long)size);
	jpeg_read_header(&ci, TRUE);
	jvirt_barray_ptr *coef = jpeg_read_coefficients(&ci);
	if (ci.num_components != img->ncomp)
		abort();
	for (int c = 0; c < ci.num_components; c++) {
		const jpeg_component_info *cp = &ci.comp_info[c];
		if (cp->width_in_blocks > img->bw[c] || cp->height_in_blocks > img->bh[c])
			abort();
		for (JDIMENSION y = 0; y < cp->height_in_blocks; y++) {
			JBLOCKARRAY row = ci.mem->access_virt_barray((j_common_ptr)&ci, coef[c], y, 1, FALSE);
			for (JDIMENSION x = 0; x < cp->width_in_blocks; x++)
				if (row[0][x][0] != img->dc[c][(size_t)y * img->bw[c] + x])
					abort();
		}
	}
	jpeg_destroy_decompress(&ci);
}

static int fuzz_jpeg_dc_one(const uint8_t *data, size_t size)
{
	jpeg_dc_image img;
	fuzz_rows rows = { 0, 0 };

	if (jpeg_dc_decode(data, size, NULL, 0, fuzz_jpeg_rows, &rows, &img) == JPEG_DC_DONE) {
		if (rows.bad || rows.next_row != img.height || img.width == 0)
			abort();
		fuzz_jpeg_compare(data, size, &img);
		jpeg_dc_image_release(&img);
	}
	return 0;
}

#endif
