/*
 * icc: a scan's embedded ICC colour profile, carried into the PDF as an
 * ICCBased colour space (PDF 32000-1 8.6.5.5), as img2pdf does, so that a
 * scan saved in Adobe RGB or in a scanner's own profile keeps its colours
 * (dropped, its colours shifted by up to 100/255).
 *
 * Where the profile comes from:
 *   - PNG: the iCCP chunk, read by libpng (which inflates it, with the
 *     chunk size limit of the probe, and checks it against the image's
 *     colour type);
 *   - JPEG: the APP2 "ICC_PROFILE" segments before the first scan, each
 *     numbered (1..count), put together in their numbers' order; a profile
 *     over 64 KB is split over several.
 * A profile is used only when it is whole and its colour space has as many
 * components as the image as it goes into the PDF (GRAY 1, RGB 3, CMYK 4);
 * anything else leaves the image in its Device colour space, as before.
 * Palette PNGs keep /Indexed /DeviceRGB.
 */
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "packet/imageio.h"
#include "pdf/internal.h"

/* No scanner's profile comes near this; a table-heavy one is under 1 MB. */
#define ICC_MAX (4u * 1024 * 1024)
#define ICC_HEADER 128

/* Components of a profile's data colour space, 0 when not one of
 * GRAY/RGB/CMYK or not a profile. */
static int icc_components(const uint8_t *p, size_t n)
{
	if (n < ICC_HEADER + 4 || memcmp(p + 36, "acsp", 4) != 0)
		return 0;
	if (memcmp(p + 16, "GRAY", 4) == 0)
		return 1;
	if (memcmp(p + 16, "RGB ", 4) == 0)
		return 3;
	if (memcmp(p + 16, "CMYK", 4) == 0)
		return 4;
	return 0;
}

/* ---- JPEG ---- */

enum { ICC_MAX_PARTS = 255 };

/* The profile of the JPEG at d[0..len), put together from its APP2
 * segments (ICC.1:2010 B.4). Returns a malloc'ed copy (the caller frees
 * it) and its length, or NULL when there is none, or it is incomplete,
 * repeated or too large. Every length is checked against the bytes. */
uint8_t *pdf_icc_from_jpeg(const uint8_t *d, size_t len, size_t *out_len)
{
	static const char tag[] = "ICC_PROFILE"; /* and its NUL: 12 bytes */
	const uint8_t *part[ICC_MAX_PARTS + 1] = { 0 };
	size_t part_len[ICC_MAX_PARTS + 1] = { 0 };
	size_t p = 2, total = 0;
	int count = 0;
	uint8_t *out;

	*out_len = 0;
	if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
		return NULL;
	while (p + 4 <= len) {
		if (d[p] != 0xFF)
			return NULL;
		uint8_t marker = d[p + 1];
		if (marker == 0xFF) { /* fill byte */
			p++;
			continue;
		}
		if (marker == 0xDA || marker == 0xD9)  /* SOS, EOI: no more headers */
			break;
		if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
			p += 2;
			continue;
		}
		size_t seg = (size_t)d[p + 2] << 8 | d[p + 3];
		if (seg < 2 || seg > len - p - 2)
			return NULL;
		const uint8_t *s = d + p + 4;
		size_t n = seg - 2;
		if (marker == 0xE2 && n > 14 && memcmp(s, tag, sizeof tag) == 0) {
			int seq = s[12], cnt = s[13];
			if (cnt == 0 || seq == 0 || seq > cnt || (count && cnt != count) || part[seq])
				return NULL;
			count = cnt;
			part[seq] = s + 14;
			part_len[seq] = n - 14;
			total += n - 14;
			if (total > ICC_MAX)
				return NULL;
		}
		p += 2 + seg;
	}
	if (count == 0)
		return NULL;
	for (int i = 1; i <= count; i++)
		if (part[i] == NULL)
			return NULL;
	out = malloc(total);
	if (out == NULL)
		return NULL;
	for (int i = 1, at = 0; i <= count; at += (int)part_len[i], i++)
		memcpy(out + at, part[i], part_len[i]);
	*out_len = total;
	return out;
}

/* ---- PNG ---- */

typedef struct {
	imageio_png_src in;
	uint8_t *icc;
	size_t icc_len;
} icc_png_job;

/* libpng reads the chunks up to the image data; the profile, if any, is
 * copied into j (heap memory, which a longjmp leaves intact). */
static void icc_png_header(png_structp png, png_infop info, icc_png_job *j)
{
	png_charp name;
	int method;
	png_bytep prof;
	png_uint_32 n;

	if (setjmp(png_jmpbuf(png)))
		return;
	png_set_read_fn(png, &j->in, imageio_png_read_mem);
	png_set_chunk_malloc_max(png, ICC_MAX);
	probe_png_ignore_text(png);
	png_read_info(png, info);
	if (!(png_get_iCCP(png, info, &name, &method, &prof, &n) & PNG_INFO_iCCP) || n == 0)
		return;
	j->icc = malloc(n);
	if (j->icc == NULL)
		return;
	memcpy(j->icc, prof, n);
	j->icc_len = n;
}

/* The inflated iCCP profile of the PNG at d[0..len): a malloc'ed copy (the
 * caller frees it) and its length, or NULL. */
uint8_t *pdf_icc_from_png(const uint8_t *d, size_t len, size_t *out_len)
{
	icc_png_job j = { { d, len, 0 }, NULL, 0 };
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, imageio_png_error,
						 imageio_png_warning);
	png_infop info = png != NULL ? png_create_info_struct(png) : NULL;

	*out_len = 0;
	if (png != NULL && info != NULL)
		icc_png_header(png, info, &j);
	png_destroy_read_struct(&png, info != NULL ? &info : NULL, NULL);
	*out_len = j.icc_len;
	return j.icc;
}

/* ---- the colour space ---- */

/* Components of img's colour space when it is a Device one; 0 otherwise
 * (an /Indexed array, or none). */
static int device_components(HPDF_Doc doc, HPDF_Image img)
{
	HPDF_Name cs = HPDF_Dict_GetItem(img, "ColorSpace", HPDF_OCLASS_NAME);

	if (cs == NULL) {
		/* libharu 2.3.0 records a lookup of another class (the
		 * /Indexed array) as an error of the document, which every
		 * later call would then fail with: it is none here */
		HPDF_Error_Reset(&doc->error);
		return 0;
	}
	if (strcmp(cs->value, "DeviceGray") == 0)
		return 1;
	if (strcmp(cs->value, "DeviceRGB") == 0)
		return 3;
	if (strcmp(cs->value, "DeviceCMYK") == 0)
		return 4;
	return 0;
}

int pdf_image_icc(HPDF_Doc doc, HPDF_Image img, file_format fmt, const uint8_t *data, size_t len)
{
	size_t n = 0;
	uint8_t *icc = fmt == FMT_JPEG ? pdf_icc_from_jpeg(data, len, &n)
		     : fmt == FMT_PNG ? pdf_icc_from_png(data, len, &n) : NULL;
	int comps = device_components(doc, img), ret = 0;
	HPDF_Dict stream;
	HPDF_Array cs;

	if (icc == NULL || comps == 0 || icc_components(icc, n) != comps)
		goto cleanup;
	stream = HPDF_DictStream_New(doc->mmgr, doc->xref);
	cs = HPDF_Array_New(doc->mmgr);
	if (stream == NULL || cs == NULL) {
		ret = -1;
		goto cleanup;
	}
	stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (HPDF_Dict_AddNumber(stream, "N", comps) != HPDF_OK ||
	    HPDF_Stream_Write(stream->stream, icc, (HPDF_UINT)n) != HPDF_OK ||
	    HPDF_Array_AddName(cs, "ICCBased") != HPDF_OK || HPDF_Array_Add(cs, stream) != HPDF_OK ||
	    HPDF_Dict_Add(img, "ColorSpace", cs) != HPDF_OK)
		ret = -1;
cleanup:
	free(icc);
	return ret;
}
