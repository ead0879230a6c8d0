/*
 * convert_pdf: a multi-page TIFF's pages as one PDF, one image a page.
 *
 * The smallest PDF that holds images: a catalog, a page tree, and per page
 * the page, its content stream (draw the image over the whole page) and the
 * image, each page sized by its image's DPI (200 dpi when the file gives
 * none, a scanner's usual setting). A photographic page is its JPEG bytes
 * (DCTDecode), a bilevel one its packed bits compressed with zlib
 * (FlateDecode, 1 bit DeviceGray). The packet then treats the result as any
 * PDF material (probed by qpdf, its pages merged in place). No dates, no ID
 * from the clock: the same pages give the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "packet/convert_internal.h"

#define DEFAULT_DPI 200.0

int conv_pack_bilevel(const conv_image *img, conv_buf *b)
{
	size_t row = ((size_t)img->w + 7) / 8, raw_len = row * img->h;
	uint8_t *raw = calloc(raw_len ? raw_len : 1, 1);
	uLongf zlen;
	uint8_t *z = NULL;
	int ret = CONV_NOMEM;

	if (!raw)
		return CONV_NOMEM;
	for (uint32_t y = 0; y < img->h; y++)
		for (uint32_t x = 0; x < img->w; x++)
			if (img->px[(size_t)y * img->w + x] >= 128)
				raw[(size_t)y * row + x / 8] |= (uint8_t)(0x80u >> (x % 8));
	zlen = compressBound((uLong)raw_len);
	z = malloc(zlen);
	if (z && compress2(z, &zlen, raw, (uLong)raw_len, 6) == Z_OK) {
		conv_buf_put(b, z, zlen);
		ret = b->failed ? CONV_NOMEM : CONV_OK;
	}
	free(z);
	free(raw);
	return ret;
}

int conv_write_pdf(const conv_pdf_page *pages, int n, conv_buf *b)
{
	/* objects: 1 catalog, 2 pages, then 3 per page (page, content, image) */
	size_t nobj = 2 + 3 * (size_t)n, *off = calloc(nobj + 1, sizeof *off);
	int ret = CONV_OK;

	if (!off)
		return CONV_NOMEM;
	conv_buf_printf(b, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
	off[1] = b->len;
	conv_buf_printf(b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = b->len;
	conv_buf_printf(b, "2 0 obj\n<< /Type /Pages /Count %d /Kids [", n);
	for (int i = 0; i < n; i++)
		conv_buf_printf(b, " %d 0 R", 3 + 3 * i);
	conv_buf_printf(b, " ] >>\nendobj\n");
	for (int i = 0; i < n && !b->failed; i++) {
		const conv_pdf_page *img = &pages[i];
		int o = 3 + 3 * i;
		double dx = img->dpi_x > 0 ? img->dpi_x : DEFAULT_DPI, dy = img->dpi_y > 0 ? img->dpi_y : DEFAULT_DPI;
		double pw = img->w * 72.0 / dx, ph = img->h * 72.0 / dy;
		char content[128];
		int cl = snprintf(content, sizeof content, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n", pw, ph);

		off[o] = b->len;
		conv_buf_printf(b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
			       "/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>\nendobj\n",
			       o, pw, ph, o + 2, o + 1);
		off[o + 1] = b->len;
		conv_buf_printf(b, "%d 0 obj\n<< /Length %d >>\nstream\n", o + 1, cl);
		conv_buf_put(b, content, (size_t)cl);
		conv_buf_printf(b, "endstream\nendobj\n");
		off[o + 2] = b->len;
		conv_buf_printf(b, "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %u /Height %u "
			       "/ColorSpace /%s /BitsPerComponent %d /Filter /%s /Length %zu >>\nstream\n",
			       o + 2, img->w, img->h, img->ch == 1 || img->bilevel ? "DeviceGray" : "DeviceRGB",
			       img->bilevel ? 1 : 8, img->bilevel ? "FlateDecode" : "DCTDecode", img->len);
		conv_buf_put(b, img->data, img->len);
		conv_buf_printf(b, "\nendstream\nendobj\n");
	}
	off[0] = b->len;  /* where the cross-reference table starts */
	conv_buf_printf(b, "xref\n0 %zu\n0000000000 65535 f \n", nobj + 1);
	for (size_t k = 1; k <= nobj; k++)
		conv_buf_printf(b, "%010zu 00000 n \n", off[k]);
	conv_buf_printf(b, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", nobj + 1, off[0]);
	if (b->failed)
		ret = CONV_NOMEM;
	free(off);
	return ret;
}
