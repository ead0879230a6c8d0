/*
 * probe_png: what a PNG file holds and whether it is whole.
 *
 * libpng reads the file from memory and decodes every row, one at a time
 * into a single row buffer, so that a damaged zlib stream, a short IDAT or a
 * bad CRC anywhere up to IEND is found, while memory stays at one row
 * whatever the image size. An interlaced image is not put back together:
 * each Adam7 pass is fed to the pixel statistics as it comes, with its
 * pixels' true positions, which is all the statistics need. The pixel limit
 * is checked on the IHDR bytes before libpng sees the file. An eXIf chunk's
 * orientation is read as a JPEG's EXIF one, and applied the same way.
 */
#include <png.h>
#include <setjmp.h>
#include <string.h>

#include "packet/probe.h"
#include "packet/probe_internal.h"

/* Ancillary chunks (text, ICC profiles) larger than this are not kept in
 * memory: libpng skips them with a warning. Their CRC is still checked. */
#define PNG_CHUNK_MAX (16UL * 1024 * 1024)

/* Longest side decoded, whatever the pixel limit: libpng's own default
 * (PNG_USER_WIDTH_MAX). Memory goes with the width, not the pixel count:
 * libpng keeps two raw rows (8 bytes a pixel for 16-bit RGBA) and we one
 * more, so a 100-megapixel image one row tall, which a 780 KB file can
 * declare, would take 2 GB. At a million pixels a row is at most 8 MB, and
 * a real scan (A0 at 1200 dpi) is under 60 000 pixels wide. */
#define PNG_SIDE_MAX 1000000U

/* Text chunks (tEXt, zTXt, iTXt) say nothing licpack reads, and libpng
 * would inflate every zTXt and iTXt one into memory, however many there
 * are: 1000 zTXt chunks of 10 MB each took 37 s. Read as unknown chunks
 * never kept, they are skipped unread, their CRC still checked. */
void probe_png_ignore_text(struct png_struct_def *png)
{
	static const png_byte text[] = "tEXt\0zTXt\0iTXt";

	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, text, 3);
}

typedef enum { PNG_ERR_NONE = 0, PNG_ERR_TRUNCATED, PNG_ERR_CRC, PNG_ERR_INVALID } png_err;

/* Everything the decoder touches lives here, in the caller's frame, so that
 * nothing local to the function that calls setjmp changes before longjmp. */
typedef struct {
	png_structp png;
	png_infop info;
	const uint8_t *data;
	size_t len, pos;
	png_err err;
	png_bytep row;
	pixel_stats stats;
} png_state;

static void read_mem(png_structp png, png_bytep out, size_t n)
{
	png_state *s = png_get_io_ptr(png);
	if (n > s->len - s->pos) {
		s->err = PNG_ERR_TRUNCATED;
		png_error(png, "read past the end of the data");
	}
	memcpy(out, s->data + s->pos, n);
	s->pos += n;
}

/* The message may live in a buffer on libpng's stack, gone after the jump:
 * classify it here. */
static void on_error(png_structp png, png_const_charp msg)
{
	png_state *s = png_get_error_ptr(png);
	if (s->err == PNG_ERR_NONE)
		s->err = msg && strstr(msg, "CRC") ? PNG_ERR_CRC : PNG_ERR_INVALID;
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Decode the whole file. Returns 0, or -1 with s->err set. */
static int decode(png_state *s, const probe_limits *lim, file_info *out)
{
	png_structp png = s->png;
	png_infop info = s->info;

	if (setjmp(png_jmpbuf(png)))
		return -1;

	png_set_sig_bytes(png, 8);
	s->pos = 8;
	png_set_read_fn(png, s, read_mem);
	/* By default libpng only warns about a bad CRC in an ancillary chunk
	 * and drops the chunk; a damaged file is damaged wherever it is. */
	png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
	png_set_chunk_malloc_max(png, PNG_CHUNK_MAX);
	probe_png_ignore_text(png);
	/* A second guard behind the IHDR check in probe_png(): no side can
	 * exceed the pixel count, nor PNG_SIDE_MAX. */
	uint32_t side = PNG_SIDE_MAX;
	if (lim->max_pixels && lim->max_pixels < side)
		side = (uint32_t)lim->max_pixels;
	png_set_user_limits(png, side, side);

	png_read_info(png, info);
	png_uint_32 w, h;
	int depth, ctype, ilace, comp, filt;
	png_get_IHDR(png, info, &w, &h, &depth, &ctype, &ilace, &comp, &filt);
	out->width = w;
	out->height = h;
	out->bit_depth = depth;
	out->png_colour_type = ctype;
	out->interlaced = ilace == PNG_INTERLACE_ADAM7;
	out->components = png_get_channels(png, info);
	out->encoding = ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_GRAY_ALPHA
			? COLOUR_GREY : COLOUR_COLOUR;

	png_uint_32 rx, ry;
	int unit;
	if (png_get_pHYs(png, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER) {
		out->dpi_x = rx * 0.0254;
		out->dpi_y = ry * 0.0254;
	}

	int analysing = lim->analyse_pixels;
	if (analysing) {
		/* 8-bit grey, grey+alpha, RGB or RGBA: palettes and low bit
		 * depths expanded, tRNS made alpha, 16 bits cut to 8. */
		png_set_expand(png);
		png_set_strip_16(png);
	}
	/* No png_set_interlace_handling(): rows come pass by pass. */
	png_read_update_info(png, info);
	int channels = png_get_channels(png, info);
	s->row = png_malloc(png, png_get_rowbytes(png, info));
	pixel_stats_init(&s->stats, w, h);

	int passes = out->interlaced ? 7 : 1;
	for (int pass = 0; pass < passes; pass++) {
		uint32_t cols = w, rows = h, x0 = 0, dx = 1;
		if (out->interlaced) {
			cols = PNG_PASS_COLS(w, pass);
			rows = PNG_PASS_ROWS(h, pass);
			x0 = PNG_PASS_START_COL(pass);
			dx = PNG_PASS_COL_OFFSET(pass);
			if (cols == 0 || rows == 0)  /* libpng skips empty passes too */
				continue;
		}
		for (uint32_t r = 0; r < rows; r++) {
			png_read_row(png, s->row, NULL);
			if (!analysing)
				continue;
			uint32_t y = out->interlaced ? PNG_ROW_FROM_PASS_ROW(r, pass) : r;
			pixel_stats_add(&s->stats, s->row, cols, channels, y, x0, dx);
		}
	}
	/* On to IEND: the chunks after the image data are checked too (an
	 * eXIf chunk may come after them). */
	png_read_end(png, info);
	png_bytep exif;
	png_uint_32 exif_len;
	if (png_get_eXIf_1(png, info, &exif_len, &exif) & PNG_INFO_eXIf)
		out->orientation = probe_exif_orientation(exif, exif_len);
	if (analysing)
		pixel_stats_finish(&s->stats, out);
	return 0;
}

probe_status probe_png(const uint8_t *data, size_t len, const probe_limits *lim,
		       file_info *out)
{
	out->pages = 1;
	if (len < 8 || png_sig_cmp(data, 0, 8))
		return probe_fail(out, PROBE_CORRUPT,
				  "damaged PNG signature (the file was altered, e.g. by a text-mode transfer)",
				  "PNG 文件头损坏（文件被改动过，例如以文本方式传输）");

	/* The pixel limit and the side limit, before libpng allocates
	 * anything for the image. */
	if (len >= 24 && lp_be32(data + 8) == 13 && !memcmp(data + 12, "IHDR", 4)) {
		uint32_t w = lp_be32(data + 16), h = lp_be32(data + 20);
		if (probe_check_pixel_limit(lim, w, h, out)) {
			out->width = w;
			out->height = h;
			return PROBE_TOO_LARGE;
		}
		if (w > PNG_SIDE_MAX || h > PNG_SIDE_MAX) {
			out->width = w;
			out->height = h;
			return probe_fail(out, PROBE_TOO_LARGE,
					  "image is wider or taller than 1000000 pixels",
					  "图像宽度或高度超过 1000000 像素");
		}
	}

	png_state s;
	memset(&s, 0, sizeof s);
	s.data = data;
	s.len = len;
	s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s, on_error, on_warning);
	if (s.png)
		s.info = png_create_info_struct(s.png);
	if (!s.png || !s.info) {
		png_destroy_read_struct(&s.png, NULL, NULL);
		/* Only memory can fail here; the file is not to blame. */
		return probe_fail(out, PROBE_CORRUPT, "out of memory reading PNG",
				  "读取 PNG 时内存不足");
	}

	int rc = decode(&s, lim, out);
	png_free(s.png, s.row);
	png_destroy_read_struct(&s.png, &s.info, NULL);
	if (rc == 0)
		return PROBE_OK;

	out->pixels = COLOUR_UNKNOWN;
	out->red_seal = 0;
	switch (s.err) {
	case PNG_ERR_TRUNCATED:
		return probe_fail(out, PROBE_CORRUPT, "truncated PNG (the file ends early)",
				  "PNG 文件不完整（文件提前结束）");
	case PNG_ERR_CRC:
		return probe_fail(out, PROBE_CORRUPT,
				  "PNG checksum (CRC) error: the file is damaged",
				  "PNG 校验（CRC）错误：文件已损坏");
	default:
		return probe_fail(out, PROBE_CORRUPT, "damaged or invalid PNG data",
				  "PNG 数据损坏或无效");
	}
}
