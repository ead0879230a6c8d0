/*
 * convert_decode: the image decoders of the formats licpack converts.
 *
 * HEIC/HEIF (libheif), WebP (libwebp, the first frame of an animation),
 * TIFF (libtiff: every page, any compression it knows, CCITT, LZW, JPEG
 * included), BMP (stb_image) and GIF (giflib, the first frame), each read
 * from memory into a conv_image. Every decoder reads the canvas size from
 * the file's header first and refuses one over the pixel limit before a
 * pixel is decoded, and every library's own messages are silenced: what
 * went wrong is returned, as a status and two string literals, never
 * printed.
 */
#include <gif_lib.h>
#include <libheif/heif.h>
#include <stdarg.h>
#include <stb/stb_image.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "packet/convert_internal.h"
#include "packet/probe_internal.h"

static conv_result res(int status, const char *en, const char *zh)
{
	conv_result r = { status, en, zh };
	return r;
}

/* PDF and JPEG cannot hold a side longer than 65500 pixels (probe.h). */
#define CONV_SIDE_MAX 65500u

int conv_too_large(const convert_limits *lim, uint64_t w, uint64_t h, conv_result *r)
{
	if (w <= CONV_SIDE_MAX && h <= CONV_SIDE_MAX && (!lim->max_pixels || w * h <= lim->max_pixels))
		return 0;
	*r = res(CONV_TOO_LARGE, "image has more pixels than the limit", "图像像素数超过上限");
	return 1;
}

int conv_image_alloc(conv_image *img, uint32_t w, uint32_t h, int ch)
{
	img->w = w;
	img->h = h;
	img->ch = ch;
	img->px = w && h ? malloc((size_t)w * h * (size_t)ch) : NULL;
	return img->px ? CONV_OK : CONV_NOMEM;
}

void conv_image_release(conv_image *img)
{
	free(img->px);
	img->px = NULL;
}

/* Compose an 8-bit alpha over white paper. */
static uint8_t over_white(unsigned v, unsigned a)
{
	return (uint8_t)((v * a + 255u * (255u - a) + 127u) / 255u);
}

/* --- HEIF --- */

conv_result conv_decode_heif(const uint8_t *d, size_t n, const convert_limits *lim, conv_image *img)
{
	struct heif_context *ctx = heif_context_alloc();
	struct heif_image_handle *h = NULL;
	struct heif_image *im = NULL;
	struct heif_error e;
	conv_result r = res(CONV_OK, NULL, NULL);
	const uint8_t *plane;
	int w, hh, stride;

	if (!ctx)
		return res(CONV_NOMEM, NULL, NULL);
	/* libheif's own guard on the canvas, before our limit on the image */
	heif_context_set_maximum_image_size_limit(ctx, (int)CONV_SIDE_MAX);
	e = heif_context_read_from_memory_without_copy(ctx, d, n, NULL);
	if (e.code == heif_error_Ok)
		e = heif_context_get_primary_image_handle(ctx, &h);
	if (e.code != heif_error_Ok) {
		r = e.code == heif_error_Memory_allocation_error ? res(CONV_NOMEM, NULL, NULL)
		    : e.subcode == heif_suberror_Security_limit_exceeded
			? res(CONV_TOO_LARGE, "image has more pixels than the limit", "图像像素数超过上限")
			: res(CONV_CORRUPT, "damaged HEIF/HEIC image (cannot be read)", "HEIF/HEIC 图片已损坏，无法读取");
		goto cleanup;
	}
	/* the size before and after the container's rotation: the larger decides */
	w = heif_image_handle_get_width(h);
	hh = heif_image_handle_get_height(h);
	if (w <= 0 || hh <= 0) {
		r = res(CONV_CORRUPT, "damaged HEIF/HEIC image (no size)", "HEIF/HEIC 图片已损坏（无尺寸）");
		goto cleanup;
	}
	if (conv_too_large(lim, (uint64_t)w, (uint64_t)hh, &r) ||
	    conv_too_large(lim, (uint64_t)heif_image_handle_get_ispe_width(h),
			   (uint64_t)heif_image_handle_get_ispe_height(h), &r))
		goto cleanup;
	/* libheif applies the container's rotation and mirroring (irot, imir),
	 * which is what HEIF says is upright; an EXIF orientation inside is
	 * informative only (ISO/IEC 23008-12) and is not applied again. */
	e = heif_decode_image(h, &im, heif_colorspace_RGB,
			      heif_image_handle_has_alpha_channel(h) ? heif_chroma_interleaved_RGBA
								    : heif_chroma_interleaved_RGB, NULL);
	if (e.code != heif_error_Ok) {
		r = e.code == heif_error_Memory_allocation_error ? res(CONV_NOMEM, NULL, NULL)
		    : res(CONV_CORRUPT, "damaged HEIF/HEIC image (the picture cannot be decoded)",
			  "HEIF/HEIC 图片已损坏（图像无法解码）");
		goto cleanup;
	}
	w = heif_image_get_width(im, heif_channel_interleaved);
	hh = heif_image_get_height(im, heif_channel_interleaved);
	plane = heif_image_get_plane_readonly(im, heif_channel_interleaved, &stride);
	if (!plane || w <= 0 || hh <= 0 || conv_too_large(lim, (uint64_t)w, (uint64_t)hh, &r)) {
		if (r.status == CONV_OK)
			r = res(CONV_CORRUPT, "damaged HEIF/HEIC image", "HEIF/HEIC 图片已损坏");
		goto cleanup;
	}
	if (conv_image_alloc(img, (uint32_t)w, (uint32_t)hh, 3) != CONV_OK) {
		r = res(CONV_NOMEM, NULL, NULL);
		goto cleanup;
	}
	for (int y = 0; y < hh; y++) {
		const uint8_t *s = plane + (size_t)y * (size_t)stride;
		uint8_t *o = img->px + (size_t)y * (size_t)w * 3;
		if (!heif_image_handle_has_alpha_channel(h)) { /* rows as they are (7 % of a HEIC build per pixel) */
			memcpy(o, s, (size_t)w * 3);
			continue;
		}
		for (int x = 0; x < w; x++, s += 4, o += 3)
			for (int c = 0; c < 3; c++)
				o[c] = over_white(s[c], s[3]);
	}
cleanup:
	heif_image_release(im);
	heif_image_handle_release(h);
	heif_context_free(ctx);
	return r;
}

/* --- WebP --- */

conv_result conv_decode_webp(const uint8_t *d, size_t n, const convert_limits *lim, conv_image *img)
{
	WebPData wd = { d, n };
	WebPDemuxer *dmx = WebPDemux(&wd);
	WebPIterator it;
	WebPChunkIterator ci;
	conv_result r = res(CONV_OK, NULL, NULL);
	uint32_t cw, ch;
	uint8_t *rgba = NULL;
	int fw = 0, fh = 0, have_frame = 0;

	memset(&it, 0, sizeof it);
	if (!dmx) {
		r = res(CONV_CORRUPT, "damaged WebP image (cannot be read)", "'WebP' 图片已损坏，无法读取");
		goto cleanup;
	}
	cw = WebPDemuxGetI(dmx, WEBP_FF_CANVAS_WIDTH);
	ch = WebPDemuxGetI(dmx, WEBP_FF_CANVAS_HEIGHT);
	if (conv_too_large(lim, cw, ch, &r))
		goto cleanup;
	if (!WebPDemuxGetFrame(dmx, 1, &it)) {
		r = res(CONV_CORRUPT, "damaged WebP image (no picture in it)", "'WebP' 图片已损坏（没有图像）");
		goto cleanup;
	}
	have_frame = 1;
	/* a frame lies inside the canvas (the demuxer checks it) */
	rgba = WebPDecodeRGBA(it.fragment.bytes, it.fragment.size, &fw, &fh);
	if (!rgba || fw != it.width || fh != it.height || cw == 0 || ch == 0) {
		r = res(CONV_CORRUPT, "damaged WebP image (the picture cannot be decoded)", "'WebP' 图片已损坏（图像无法解码）");
		goto cleanup;
	}
	if (conv_image_alloc(img, cw, ch, 3) != CONV_OK) {
		r = res(CONV_NOMEM, NULL, NULL);
		goto cleanup;
	}
	/* the first frame over a white canvas: an animation's first picture */
	memset(img->px, 255, (size_t)cw * ch * 3);
	for (int y = 0; y < fh && (uint32_t)(it.y_offset + y) < ch; y++)
		for (int x = 0; x < fw && (uint32_t)(it.x_offset + x) < cw; x++) {
			const uint8_t *s = rgba + ((size_t)y * (size_t)fw + (size_t)x) * 4;
			uint8_t *o = img->px + ((size_t)(it.y_offset + y) * cw + (size_t)(it.x_offset + x)) * 3;
			for (int c = 0; c < 3; c++)
				o[c] = over_white(s[c], s[3]);
		}
	/* an EXIF chunk's orientation, as a JPEG's */
	if (WebPDemuxGetChunk(dmx, "EXIF", 1, &ci)) {
		const uint8_t *e = ci.chunk.bytes;
		size_t en = ci.chunk.size;
		if (en >= 6 && !memcmp(e, "Exif\0\0", 6)) {
			e += 6;
			en -= 6;
		}
		img->orientation = probe_exif_orientation(e, en);
		WebPDemuxReleaseChunkIterator(&ci);
	}
cleanup:
	WebPFree(rgba);
	if (have_frame)
		WebPDemuxReleaseIterator(&it);
	WebPDemuxDelete(dmx);
	return r;
}

/* --- BMP --- */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* When every pixel of img is black or white, make it one grey channel,
 * marked bilevel; else leave it. CONV_OK or CONV_NOMEM. */
static int to_bilevel(conv_image *img)
{
	size_t np = (size_t)img->w * img->h, ch = (size_t)img->ch;
	uint8_t *grey;

	for (size_t i = 0; i < np * ch; i++)
		if (img->px[i] != 0 && img->px[i] != 255)
			return CONV_OK;
	for (size_t i = 0; ch == 3 && i < np; i++)
		if (img->px[i * 3] != img->px[i * 3 + 1] || img->px[i * 3] != img->px[i * 3 + 2])
			return CONV_OK;
	if (ch == 3) {
		if (!(grey = malloc(np)))
			return CONV_NOMEM;
		for (size_t i = 0; i < np; i++)
			grey[i] = img->px[i * 3];
		free(img->px);
		img->px = grey;
		img->ch = 1;
	}
	img->bilevel = 1;
	return CONV_OK;
}

conv_result conv_decode_bmp(const uint8_t *d, size_t n, const convert_limits *lim, conv_image *img)
{
	conv_result r = res(CONV_OK, NULL, NULL);
	int w = 0, h = 0, comp = 0, len = n > INT32_MAX ? INT32_MAX : (int)n;
	uint8_t *px = NULL;

	if (!stbi_info_from_memory(d, len, &w, &h, &comp) || w <= 0 || h <= 0)
		return res(CONV_CORRUPT, "damaged BMP image (cannot be read)", "BMP 图片已损坏，无法读取");
	if (conv_too_large(lim, (uint64_t)w, (uint64_t)h, &r))
		return r;
	px = stbi_load_from_memory(d, len, &w, &h, &comp, 0);
	if (!px || comp < 1 || comp > 4)
		r = res(CONV_CORRUPT, "damaged BMP image (the picture cannot be decoded)", "BMP 图片已损坏（图像无法解码）");
	else if (conv_image_alloc(img, (uint32_t)w, (uint32_t)h, comp <= 2 ? 1 : 3) != CONV_OK)
		r = res(CONV_NOMEM, NULL, NULL);
	else {
		size_t np = (size_t)w * (size_t)h;
		int och = img->ch;
		for (size_t i = 0; i < np; i++) {
			const uint8_t *s = px + i * (size_t)comp;
			unsigned a = comp == 2 ? s[1] : comp == 4 ? s[3] : 255;
			for (int c = 0; c < och; c++)
				img->px[i * (size_t)och + (size_t)c] = over_white(s[c], a);
		}
		/* BITMAPINFOHEADER and later: pixels a metre */
		if (n >= 46 && le32(d + 14) >= 40) {
			img->dpi_x = le32(d + 38) * 0.0254;
			img->dpi_y = le32(d + 42) * 0.0254;
		}
		/* 1 bit a pixel, its palette black and white: a bilevel page
		 * (stb_image hands the palette's colours back as RGB) */
		if (n >= 30 && d[28] == 1 && d[29] == 0 && to_bilevel(img) != CONV_OK)
			r = res(CONV_NOMEM, NULL, NULL);
	}
	stbi_image_free(px);
	return r;
}

/* --- GIF --- */

typedef struct {
	const uint8_t *d;
	size_t n, pos;
} mem_reader;

static int gif_read(GifFileType *g, GifByteType *out, int want)
{
	mem_reader *m = g->UserData;
	size_t k = want < 0 ? 0 : (size_t)want;

	if (k > m->n - m->pos)
		k = m->n - m->pos;
	memcpy(out, m->d + m->pos, k);
	m->pos += k;
	return (int)k;
}

/* The first frame only: a GIF's later frames are an animation, and giflib's
 * DGifSlurp would read them all into memory. */
conv_result conv_decode_gif(const uint8_t *d, size_t n, const convert_limits *lim, conv_image *img)
{
	static const conv_result bad = { CONV_CORRUPT, "damaged GIF image (cannot be read)", "GIF 图片已损坏，无法读取" };
	mem_reader m = { d, n, 0 };
	int err = 0, transparent = -1;
	GifFileType *g = DGifOpen(&m, gif_read, &err);
	GifRecordType rt;
	GifPixelType *line = NULL;
	conv_result r = res(CONV_OK, NULL, NULL);

	if (!g)
		return err == D_GIF_ERR_NOT_ENOUGH_MEM ? res(CONV_NOMEM, NULL, NULL) : bad;
	if (g->SWidth <= 0 || g->SHeight <= 0) {
		r = bad;
		goto cleanup;
	}
	if (conv_too_large(lim, (uint64_t)g->SWidth, (uint64_t)g->SHeight, &r))
		goto cleanup;
	for (;;) {
		if (DGifGetRecordType(g, &rt) == GIF_ERROR || rt == TERMINATE_RECORD_TYPE) {
			r = bad;
			goto cleanup;
		}
		if (rt == EXTENSION_RECORD_TYPE) {
			int code;
			GifByteType *ext;
			if (DGifGetExtension(g, &code, &ext) == GIF_ERROR) {
				r = bad;
				goto cleanup;
			}
			if (code == GRAPHICS_EXT_FUNC_CODE && ext) {
				GraphicsControlBlock gcb;
				if (DGifExtensionToGCB(ext[0], ext + 1, &gcb) == GIF_OK)
					transparent = gcb.TransparentColor;
			}
			while (ext) {
				if (DGifGetExtensionNext(g, &ext) == GIF_ERROR) {
					r = bad;
					goto cleanup;
				}
			}
			continue;
		}
		if (rt == IMAGE_DESC_RECORD_TYPE)
			break;
	}
	if (DGifGetImageDesc(g) == GIF_ERROR) {
		r = bad;
		goto cleanup;
	}
	{
		const GifImageDesc *id = &g->Image;
		const ColorMapObject *cm = id->ColorMap ? id->ColorMap : g->SColorMap;
		int fw = id->Width, fh = id->Height;
		static const int start[] = { 0, 4, 2, 1 }, step[] = { 8, 8, 4, 2 };
		if (!cm || fw <= 0 || fh <= 0 || id->Left < 0 || id->Top < 0 ||
		    conv_too_large(lim, (uint64_t)fw, (uint64_t)fh, &r)) {
			if (r.status == CONV_OK)
				r = bad;
			goto cleanup;
		}
		if (conv_image_alloc(img, (uint32_t)g->SWidth, (uint32_t)g->SHeight, 3) != CONV_OK ||
		    !(line = malloc((size_t)fw))) {
			r = res(CONV_NOMEM, NULL, NULL);
			goto cleanup;
		}
		memset(img->px, 255, (size_t)img->w * img->h * 3);
		img->palette = 1;
		for (int pass = 0; pass < (id->Interlace ? 4 : 1); pass++)
			for (int y = id->Interlace ? start[pass] : 0; y < fh; y += id->Interlace ? step[pass] : 1) {
				if (DGifGetLine(g, line, fw) == GIF_ERROR) {
					r = res(CONV_CORRUPT, "damaged GIF image (the picture is cut short)",
						"GIF 图片已损坏（图像数据不完整）");
					goto cleanup;
				}
				if ((uint32_t)(id->Top + y) >= img->h)
					continue;
				for (int x = 0; x < fw && (uint32_t)(id->Left + x) < img->w; x++) {
					uint8_t *o = img->px + ((size_t)(id->Top + y) * img->w + (size_t)(id->Left + x)) * 3;
					if (line[x] == transparent || line[x] >= cm->ColorCount)
						continue;
					o[0] = cm->Colors[line[x]].Red;
					o[1] = cm->Colors[line[x]].Green;
					o[2] = cm->Colors[line[x]].Blue;
				}
			}
	}
cleanup:
	free(line);
	DGifCloseFile(g, &err);
	return r;
}

/* --- TIFF --- */

struct conv_tiff {
	TIFF *tif;
	mem_reader m;
};

static tmsize_t tiff_read(thandle_t h, void *buf, tmsize_t size)
{
	mem_reader *m = h;
	size_t k = size < 0 ? 0 : (size_t)size;

	if (m->pos > m->n)
		return 0;
	if (k > m->n - m->pos)
		k = m->n - m->pos;
	memcpy(buf, m->d + m->pos, k);
	m->pos += k;
	return (tmsize_t)k;
}

static tmsize_t tiff_write(thandle_t h, void *buf, tmsize_t size)
{
	(void)h, (void)buf, (void)size;
	return 0;
}

static toff_t tiff_seek(thandle_t h, toff_t off, int whence)
{
	mem_reader *m = h;
	uint64_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->n : 0;

	if (off > UINT64_MAX - base)
		return (toff_t)-1;
	m->pos = (size_t)(base + off);
	return (toff_t)m->pos;
}

static int tiff_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t tiff_size(thandle_t h)
{
	return ((mem_reader *)h)->n;
}

static int tiff_quiet(TIFF *t, void *user, const char *module, const char *fmt, va_list ap)
{
	(void)t, (void)user, (void)module, (void)fmt, (void)ap;
	return 1;  /* handled: nothing printed */
}

conv_result conv_tiff_open(const uint8_t *d, size_t n, const convert_limits *lim, conv_tiff **out, int *pages)
{
	static const conv_result bad = { CONV_CORRUPT, "damaged TIFF image (cannot be read)", "TIFF 图片已损坏，无法读取" };
	conv_tiff *t = calloc(1, sizeof *t);
	TIFFOpenOptions *o = TIFFOpenOptionsAlloc();
	int max = lim->max_pages > 0 ? lim->max_pages : CONVERT_MAX_PAGES, k = 0;
	uint64_t total = 0;
	conv_result r = res(CONV_OK, NULL, NULL);

	*out = NULL;
	*pages = 0;
	if (!t || !o) {
		r = res(CONV_NOMEM, NULL, NULL);
		goto cleanup;
	}
	t->m.d = d;
	t->m.n = n;
	TIFFOpenOptionsSetErrorHandlerExtR(o, tiff_quiet, NULL);
	TIFFOpenOptionsSetWarningHandlerExtR(o, tiff_quiet, NULL);
	/* one allocation at most the pixels of the largest page allowed, RGBA */
	TIFFOpenOptionsSetMaxSingleMemAlloc(o, (tmsize_t)256 * 1024 * 1024);
	/* "m": not memory-mapped (there is no file); "h": read the header only */
	t->tif = TIFFClientOpenExt("tiff", "rm", &t->m, tiff_read, tiff_write, tiff_seek, tiff_close, tiff_size,
				   NULL, NULL, o);
	if (!t->tif) {
		r = bad;
		goto cleanup;
	}
	/* count the pages, walking no further than one past the limit: a
	 * file listing 10 000 pages is refused after max + 1 headers; and
	 * add up the pixels they declare, at most CONVERT_TIFF_PIXELS_FACTOR
	 * times the limit of one page (a few KB of CCITT can declare a
	 * hundred blank pages of 100 megapixels each) */
	do {
		uint32_t w = 0, h = 0;
		if (++k > max) {
			r = res(CONV_TOO_LARGE, "TIFF with more pages than the limit", "TIFF 页数超过上限");
			goto cleanup;
		}
		TIFFGetField(t->tif, TIFFTAG_IMAGEWIDTH, &w);
		TIFFGetField(t->tif, TIFFTAG_IMAGELENGTH, &h);
		if (conv_too_large(lim, w, h, &r))  /* one page over the limit */
			goto cleanup;
		total += (uint64_t)w * h;
		if (lim->max_pixels && total > lim->max_pixels * CONVERT_TIFF_PIXELS_FACTOR) {
			r = res(CONV_TOO_LARGE, "TIFF whose pages hold more pixels in all than the limit",
				"TIFF 各页像素总数超过上限");
			goto cleanup;
		}
	} while (TIFFReadDirectory(t->tif));
	if (!TIFFSetDirectory(t->tif, 0)) {
		r = bad;
		goto cleanup;
	}
	*pages = k;
	*out = t;
	t = NULL;
cleanup:
	TIFFOpenOptionsFree(o);
	conv_tiff_close(t);
	return r;
}

void conv_tiff_close(conv_tiff *t)
{
	if (!t)
		return;
	if (t->tif)
		TIFFClose(t->tif);
	free(t);
}

static double tiff_dpi(TIFF *tif, ttag_t tag)
{
	float v = 0;
	uint16_t unit = RESUNIT_INCH;

	if (!TIFFGetField(tif, tag, &v) || !(v > 0) || v > 1e6)
		return 0;
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
	return unit == RESUNIT_CENTIMETER ? v * 2.54 : unit == RESUNIT_NONE ? 0 : v;
}

conv_result conv_tiff_page(conv_tiff *t, int page, const convert_limits *lim, conv_image *img)
{
	static const conv_result bad = { CONV_CORRUPT, "damaged TIFF image (a page cannot be decoded)",
					 "TIFF 图片已损坏（有页面无法解码）" };
	TIFF *tif = t->tif;
	uint32_t w = 0, h = 0, *raster = NULL;
	uint16_t bps = 1, spp = 1, photo = 0, orient = ORIENTATION_TOPLEFT;
	conv_result r = res(CONV_OK, NULL, NULL);
	char emsg[1024];
	int grey;

	if (page < 0 || page > 65535 || !TIFFSetDirectory(tif, (tdir_t)page) ||
	    !TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h) || !w || !h)
		return bad;
	if (conv_too_large(lim, w, h, &r))
		return r;
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo);
	TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orient);
	grey = spp <= 2 && (photo == PHOTOMETRIC_MINISBLACK || photo == PHOTOMETRIC_MINISWHITE);
	img->bilevel = grey && bps == 1;
	img->dpi_x = tiff_dpi(tif, TIFFTAG_XRESOLUTION);
	img->dpi_y = tiff_dpi(tif, TIFFTAG_YRESOLUTION);
	img->orientation = orient >= 1 && orient <= 8 ? orient : 1;
	/* libtiff's RGBA reader mirrors orientations 5-8 as if they were 1-4
	 * (tif_getimage.c); read the rows as stored and turn them ourselves */
	TIFFSetField(tif, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
	if (!TIFFRGBAImageOK(tif, emsg))
		return res(CONV_CORRUPT, "TIFF of a kind that cannot be decoded", "无法解码的 TIFF 类型");
	raster = malloc((size_t)w * h * 4);
	if (!raster || conv_image_alloc(img, w, h, grey ? 1 : 3) != CONV_OK) {
		r = res(CONV_NOMEM, NULL, NULL);
		goto cleanup;
	}
	if (!TIFFReadRGBAImageOriented(tif, w, h, raster, ORIENTATION_TOPLEFT, 0)) {
		r = bad;
		goto cleanup;
	}
	for (size_t i = 0, np = (size_t)w * h; i < np; i++) {
		uint32_t p = raster[i];
		unsigned a = TIFFGetA(p);
		if (grey)
			img->px[i] = over_white(TIFFGetR(p), a);
		else {
			img->px[i * 3] = over_white(TIFFGetR(p), a);
			img->px[i * 3 + 1] = over_white(TIFFGetG(p), a);
			img->px[i * 3 + 2] = over_white(TIFFGetB(p), a);
		}
	}
cleanup:
	free(raster);
	if (r.status != CONV_OK)
		conv_image_release(img);
	return r;
}
