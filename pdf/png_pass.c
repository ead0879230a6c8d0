/*
 * png_pass: a PNG into the PDF without decoding it, where PDF can take its
 * data as it is.
 *
 * A PNG's IDAT chunks, put end to end, are one zlib stream of filtered
 * rows, each row led by its filter type byte. That is exactly what a PDF
 * FlateDecode stream with /DecodeParms << /Predictor 15 ... >> holds (PDF
 * 32000-1 7.4.4.4, "PNG prediction"), so such an image goes in as it is:
 * no inflating, no pixel touched, no deflating again. pdf_png_image() takes
 * that route for non-interlaced images without transparency whose samples
 * PDF reads natively:
 *   grey     1, 2, 4, 8 bits  /DeviceGray
 *   RGB      8 bits           /DeviceRGB
 *   palette  1, 2, 4, 8 bits  /Indexed /DeviceRGB over the PLTE bytes
 * and decodes the rest with pdf_png_decode() (pages.c), which flattens
 * alpha onto white and cuts 16 bits to 8:
 *   - Adam7 interlacing: PDF has no interlaced images;
 *   - an alpha channel, or a tRNS chunk (transparency for one grey or RGB
 *     value, or per palette entry): the page shows it flattened onto white,
 *     which needs the pixels;
 *   - 16 bits per sample, also without alpha. PDF takes 16-bit samples
 *     only from version 1.5 on, and readers bring them down to 8 bits each
 *     in their own way, so the page would no longer match the decoded route
 *     pixel for pixel; scans of 16 bits are rare, so they are decoded (as
 *     before) rather than the packet's PDF version raised for them.
 * Colour chunks (sRGB, gAMA, cHRM, iCCP) are ignored on both routes: the
 * samples go in as DeviceGray/DeviceRGB values, as the decoded route has
 * always done; sBIT changes nothing either (libpng is not asked to shift).
 *
 * The chunks are walked again here with every length checked against the
 * bytes there are (the probe has already read the whole file and checked
 * every CRC, but this file trusts no length it has not checked). Anything
 * unexpected (an unknown critical chunk, IDAT chunks that are not
 * consecutive, no IEND) sends the image to the decoding route, whose libpng
 * then has the last word.
 *
 * The IDAT data is not copied: the XObject's stream reads it where it lies
 * (pdf_image_xobject), so the bytes must outlive the document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "pdf/internal.h"

typedef struct {
	uint32_t width, height;
	int depth, ctype;
	const uint8_t *plte;   /* PLTE data, plte_len bytes */
	uint32_t plte_len;
	size_t n_idat;
} png_layout;

enum { WALK_PASS = 1, WALK_DECODE = 0, WALK_MALFORMED = -1 };

/* Walk the chunks of data[0..len). Fills *lo; with spans non-NULL (room
 * for lo->n_idat, known from a first walk) also the IDAT data. Returns
 * WALK_PASS, or WALK_DECODE with *why set, or WALK_MALFORMED. */
static int walk(const uint8_t *d, size_t len, png_layout *lo, pdf_span *spans, const char **why)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	size_t p = 8, k = 0;
	int seen_idat = 0, idat_done = 0, trns = 0, ilace, ok_depth;

	memset(lo, 0, sizeof *lo);
	*why = "damaged PNG";
	if (len < 8 + 25 || memcmp(d, sig, 8) != 0)
		return WALK_MALFORMED;
	/* IHDR first, 13 bytes */
	if (lp_be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return WALK_MALFORMED;
	lo->width = lp_be32(d + 16);
	lo->height = lp_be32(d + 20);
	lo->depth = d[24];
	lo->ctype = d[25];
	ilace = d[28];
	if (lo->width == 0 || lo->height == 0 || lo->width > 0x7FFFFFFFu ||
	    lo->height > 0x7FFFFFFFu || d[26] != 0 || d[27] != 0 || ilace > 1)
		return WALK_MALFORMED;
	switch (lo->ctype) {
	case 0: ok_depth = lo->depth == 1 || lo->depth == 2 || lo->depth == 4 || lo->depth == 8 ||
			   lo->depth == 16; break;
	case 3: ok_depth = lo->depth == 1 || lo->depth == 2 || lo->depth == 4 || lo->depth == 8; break;
	case 2: case 4: case 6: ok_depth = lo->depth == 8 || lo->depth == 16; break;
	default: ok_depth = 0; break;
	}
	if (!ok_depth)
		return WALK_MALFORMED;
	p = 8 + 12 + 13;

	for (;;) {
		uint32_t n;
		const uint8_t *type;

		if (len - p < 12)
			return WALK_MALFORMED; /* no IEND */
		n = lp_be32(d + p);
		if (n > 0x7FFFFFFFu || n > len - p - 12)
			return WALK_MALFORMED;
		type = d + p + 4;
		if (memcmp(type, "IDAT", 4) == 0) {
			if (idat_done)
				return WALK_MALFORMED; /* IDAT chunks must follow each other */
			seen_idat = 1;
			if (n > 0) {
				if (spans != NULL) {
					spans[k].off = p + 8;
					spans[k].len = n;
				}
				k++;
			}
		} else {
			if (seen_idat)
				idat_done = 1;
			if (memcmp(type, "IEND", 4) == 0)
				break;
			if (memcmp(type, "PLTE", 4) == 0) {
				if (lo->plte != NULL || seen_idat || n == 0 || n % 3 != 0 || n > 768)
					return WALK_MALFORMED;
				lo->plte = d + p + 8;
				lo->plte_len = n;
			} else if (memcmp(type, "tRNS", 4) == 0) {
				trns = 1;
			} else if (memcmp(type, "IHDR", 4) == 0) {
				return WALK_MALFORMED;
			} else if (!(type[0] & 0x20)) {
				/* an unknown critical chunk: only a decoder may judge it */
				return WALK_MALFORMED;
			}
			/* other ancillary chunks: text, pHYs, sRGB, gAMA, iCCP... ignored */
		}
		p += 12 + (size_t)n;
	}
	lo->n_idat = k;
	if (k == 0 || (lo->ctype == 3 && lo->plte == NULL))
		return WALK_MALFORMED;
	if (ilace) {
		*why = "interlaced";
		return WALK_DECODE;
	}
	if (lo->ctype == 4 || lo->ctype == 6) {
		*why = "alpha channel";
		return WALK_DECODE;
	}
	if (trns) {
		*why = "transparency (tRNS)";
		return WALK_DECODE;
	}
	if (lo->depth == 16) {
		*why = "16 bits per sample";
		return WALK_DECODE;
	}
	*why = NULL;
	return WALK_PASS;
}

/* libharu 2.3.0's HPDF_Dict_Write removes the /Filter key of a stream
 * whose filter is NONE, and any other filter would have libharu compress
 * the data (again). The data is flate already: the key comes from here,
 * the dictionary's own write callback, which runs after its keys. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
	(void)dict;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* The passthrough XObject of an image walk() found passable. */
static HPDF_Image pass_image(HPDF_Doc doc, const png_layout *lo, const pdf_source *src, const pdf_span *spans)
{
	HPDF_MMgr mm = doc->mmgr;
	HPDF_Image img = pdf_image_xobject(doc, src, spans, lo->n_idat);
	HPDF_Dict parms;
	HPDF_STATUS st = HPDF_OK;
	int colours = lo->ctype == 2 ? 3 : 1;

	if (img == NULL)
		return NULL;
	img->write_fn = write_flate_filter;
	st |= HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)lo->width);
	st |= HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)lo->height);
	if (lo->ctype == 3) {
		/* The lookup table has an entry for every index the bit depth
		 * can hold: libpng (which the decoding route uses) shows an
		 * index past the palette's end as black, and so does this. */
		uint8_t table[768];
		uint32_t entries = 1u << lo->depth;
		HPDF_Array cs = HPDF_Array_New(mm);
		HPDF_Binary lookup;

		memset(table, 0, sizeof table);
		memcpy(table, lo->plte, lo->plte_len > entries * 3 ? entries * 3 : lo->plte_len);
		lookup = HPDF_Binary_New(mm, table, entries * 3);
		if (cs == NULL || lookup == NULL || HPDF_Dict_Add(img, "ColorSpace", cs) != HPDF_OK)
			return NULL;
		st |= HPDF_Array_AddName(cs, "Indexed");
		st |= HPDF_Array_AddName(cs, "DeviceRGB");
		st |= HPDF_Array_AddNumber(cs, (HPDF_INT32)entries - 1);
		st |= HPDF_Array_Add(cs, lookup);
	} else {
		st |= HPDF_Dict_AddName(img, "ColorSpace", lo->ctype == 2 ? "DeviceRGB" : "DeviceGray");
	}
	st |= HPDF_Dict_AddNumber(img, "BitsPerComponent", lo->depth);
	parms = HPDF_Dict_New(mm);
	if (parms == NULL || HPDF_Dict_Add(img, "DecodeParms", parms) != HPDF_OK)
		return NULL;
	st |= HPDF_Dict_AddNumber(parms, "Predictor", 15);
	st |= HPDF_Dict_AddNumber(parms, "Colors", colours);
	st |= HPDF_Dict_AddNumber(parms, "BitsPerComponent", lo->depth);
	st |= HPDF_Dict_AddNumber(parms, "Columns", (HPDF_INT32)lo->width);
	return st == HPDF_OK ? img : NULL;
}

/* The decoding route: 8-bit grey or RGB samples, compressed by libharu. */
static HPDF_Image decoded_image(HPDF_Doc doc, const uint8_t *data, size_t len, lp_err *err)
{
	uint8_t *px = NULL;
	uint32_t w, h;
	int ch;
	HPDF_Image img;

	if (pdf_png_decode(data, len, &px, &w, &h, &ch, err) != 0)
		return NULL;
	img = HPDF_LoadRawImageFromMem(doc, px, w, h,
				       ch == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
	free(px);
	if (img == NULL)
		lp_fail(err, LP_E_PNG_DECODED_HPDF);
	return img;
}

HPDF_Image pdf_png_image(HPDF_Doc doc, const uint8_t *data, size_t len, const pdf_source *src,
			 pdf_png_route route, int *passed, lp_err *err)
{
	png_layout lo;
	pdf_span *spans;
	const char *why;
	HPDF_Image img;
	pdf_source own = { data, NULL, NULL, NULL, NULL };

	if (passed != NULL)
		*passed = 0;
	if (route == PDF_PNG_DECODE || walk(data, len, &lo, NULL, &why) != WALK_PASS)
		return decoded_image(doc, data, len, err);
	spans = malloc(lo.n_idat * sizeof *spans);
	if (spans == NULL) {
		lp_nomem(err);
		return NULL;
	}
	if (walk(data, len, &lo, spans, &why) != WALK_PASS) { /* cannot happen: same bytes */
		free(spans);
		return decoded_image(doc, data, len, err);
	}
	img = pass_image(doc, &lo, src != NULL ? src : &own, spans);
	free(spans);
	if (img == NULL) {
		lp_fail(err, LP_E_PNG_PASS);
		return NULL;
	}
	if (passed != NULL)
		*passed = 1;
	return img;
}
