/*
 * probe: the format of a file judged by its bytes, and the shared parts of
 * probing it.
 *
 * This file sniffs the format from the leading bytes (the extension is never
 * consulted), names the formats, gives the advice for refused ones, and
 * dispatches the accepted formats to probe_jpeg.c, probe_png.c and
 * probe_pdf.c. It also holds the pixel statistics that the JPEG and PNG
 * probes share: whether the pixels are grey and whether a red seal (公章)
 * shows. Nothing here allocates or prints.
 */
#include <string.h>
#include <strings.h>

#include "packet/probe.h"
#include "packet/probe_internal.h"

/* Per format: name, what to call it when refusing it, how to convert it. */
static const struct format_desc {
	const char *name;
	const char *what_en, *what_zh;
	const char *advice_en, *advice_zh;
} formats[FMT__COUNT] = {
	[FMT_UNKNOWN] = { "unknown",
		"unrecognised file format", "无法识别的文件格式",
		"scan or export the document as PDF, JPEG or PNG",
		"请将文件扫描或导出为 PDF、JPEG 或 PNG" },
	[FMT_EMPTY] = { "empty",
		"empty file (0 bytes)", "空文件（0 字节）",
		"the file is empty: copy it again from the original",
		"文件为空：请从原件重新复制" },
	/* The accepted formats are never refused as a whole; their advice is
	 * for the odd file that is (a JPEG-LS stream, for instance). */
	[FMT_JPEG] = { "jpeg", NULL, NULL,
		"save it again as an ordinary JPEG (or as PNG)",
		"请重新另存为普通 JPEG（或 PNG）" },
	[FMT_PNG] = { "png", NULL, NULL,
		"save it again as PNG or JPEG",
		"请重新另存为 PNG 或 JPEG" },
	[FMT_PDF] = { "pdf", NULL, NULL,
		"save or print it again as PDF",
		"请重新保存或打印为 PDF" },
	[FMT_HEIF] = { "heif",
		"HEIF/HEIC image", "HEIF/HEIC 图片",
		"export it as JPEG (iPhone: Settings > Camera > Formats > Most Compatible)",
		"请导出为 JPEG（iPhone：设置 > 相机 > 格式 > 兼容性最佳）" },
	[FMT_WEBP] = { "webp",
		"WebP image", "WebP 图片",
		"save it as JPEG or PNG (open it in an image editor and export it)",
		"请用图片编辑软件打开并另存为 JPEG 或 PNG" },
	[FMT_TIFF] = { "tiff",
		"TIFF image", "TIFF 图片",
		"save it as PDF or JPEG (most scanners can save PDF or JPEG directly)",
		"请另存为 PDF 或 JPEG（多数扫描仪可直接保存为 PDF 或 JPEG）" },
	[FMT_BMP] = { "bmp",
		"BMP image", "BMP 图片",
		"save it as PNG or JPEG",
		"请另存为 PNG 或 JPEG" },
	[FMT_GIF] = { "gif",
		"GIF image", "GIF 图片",
		"save it as PNG",
		"请另存为 PNG" },
	[FMT_ZIP] = { "zip",
		"zip archive or Office document (docx/xlsx/pptx/odt)",
		"zip 压缩包或 Office 文档（docx/xlsx/pptx/odt）",
		"export documents as PDF (File > Save As > PDF); unpack archives and add the files in them",
		"文档请导出为 PDF（文件 > 另存为 > PDF）；压缩包请解压后放入其中的文件" },
	[FMT_OLE] = { "ole",
		"Office document (doc/xls/ppt)", "Office 文档（doc/xls/ppt）",
		"export it as PDF (File > Save As > PDF)",
		"请导出为 PDF（文件 > 另存为 > PDF）" },
	[FMT_TEXT] = { "text",
		"text file", "文本文件",
		"print it to PDF, or scan the signed paper copy as PDF or JPEG",
		"请打印为 PDF，或将签字盖章的纸质件扫描为 PDF 或 JPEG" },
};

const char *format_name(file_format f)
{
	if ((unsigned)f >= FMT__COUNT)
		f = FMT_UNKNOWN;
	return formats[f].name;
}

file_format format_from_name(const char *name)
{
	if (!name)
		return FMT_UNKNOWN;
	if (!strcasecmp(name, "jpeg") || !strcasecmp(name, "jpg"))
		return FMT_JPEG;
	if (!strcasecmp(name, "png"))
		return FMT_PNG;
	if (!strcasecmp(name, "pdf"))
		return FMT_PDF;
	return FMT_UNKNOWN;
}

void format_advice(file_format f, const char **en, const char **zh)
{
	if ((unsigned)f >= FMT__COUNT)
		f = FMT_UNKNOWN;
	*en = formats[f].advice_en;
	*zh = formats[f].advice_zh;
}

probe_status probe_fail(file_info *out, probe_status st, const char *en, const char *zh)
{
	out->status = st;
	out->reason_en = en;
	out->reason_zh = zh;
	return st;
}

int probe_check_pixel_limit(const probe_limits *lim, uint32_t w, uint32_t h, file_info *out)
{
	if (!lim->max_pixels || (uint64_t)w * h <= lim->max_pixels)
		return 0;
	probe_fail(out, PROBE_TOO_LARGE, "image has more pixels than the limit",
		   "图像像素数超过上限");
	return 1;
}

/* --- sniffing --- */

static int starts_with(const uint8_t *d, size_t n, const char *magic, size_t mlen)
{
	return n >= mlen && !memcmp(d, magic, mlen);
}

/* ISO BMFF: the first box is 'ftyp'; a HEIF/AVIF file lists one of these
 * brands as its major or a compatible brand. Other ftyp files (MP4, MOV)
 * are not images and stay unknown. */
static int is_heif(const uint8_t *d, size_t n)
{
	static const char brands[][5] = {
		"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs",
		"mif1", "msf1", "avif", "avis",
	};
	if (n < 12 || memcmp(d + 4, "ftyp", 4))
		return 0;
	uint32_t size = lp_be32(d);
	size_t end = n;
	if (size >= 8 && size < end)  /* 0 means "to the end"; 1 a 64-bit size */
		end = size;
	for (size_t off = 8; off + 4 <= end; off += 4) {
		if (off == 12)  /* minor_version, not a brand */
			continue;
		for (size_t b = 0; b < sizeof brands / sizeof brands[0]; b++)
			if (!memcmp(d + off, brands[b], 4))
				return 1;
	}
	return 0;
}

/* "BM" alone is common at the start of text; a real BMP also has a known
 * DIB header size and a pixel-data offset past the headers. */
static int is_bmp(const uint8_t *d, size_t n)
{
	if (n < 18 || d[0] != 'B' || d[1] != 'M')
		return 0;
	uint32_t offset = (uint32_t)d[10] | (uint32_t)d[11] << 8 | (uint32_t)d[12] << 16 |
			  (uint32_t)d[13] << 24;
	uint32_t dib = (uint32_t)d[14] | (uint32_t)d[15] << 8 | (uint32_t)d[16] << 16 |
		       (uint32_t)d[17] << 24;
	switch (dib) {
	case 12: case 16: case 40: case 52: case 56: case 64: case 108: case 124:
		return offset >= 14 + dib;
	default:
		return 0;
	}
}

/* A PNG whose signature was damaged (by a text-mode transfer that rewrote
 * CR/LF, or by a flipped bit) is still a PNG, and a corrupt one: it must
 * not be refused as "unknown format". The IHDR chunk type right after the
 * signature, or "PNG" in it, gives it away. */
static int looks_like_png(const uint8_t *d, size_t n)
{
	if (n >= 4 && !memcmp(d + 1, "PNG", 3))
		return 1;
	for (size_t off = 11; off <= 13; off++)
		if (n >= off + 4 && !memcmp(d + off, "IHDR", 4))
			return 1;
	return 0;
}

static int contains(const uint8_t *d, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (d[i] == (uint8_t)s[0] && !memcmp(d + i, s, k))
			return 1;
	return 0;
}

/* PDF readers (and qpdf) accept junk before the header, within 1 KiB. */
static int has_pdf_header(const uint8_t *d, size_t n)
{
	return contains(d, n < 1024 ? n : 1024, "%PDF-");
}

/* A PDF that lost its header (cut off, or overwritten) but still holds PDF
 * objects or a cross-reference trailer is a damaged PDF, not an unknown
 * format: qpdf, like viewers, may still recover it. */
static int looks_like_headerless_pdf(const uint8_t *d, size_t n)
{
	size_t span = n < 4096 ? n : 4096;
	if (contains(d, span, " obj") && contains(d, span, "endobj"))
		return 1;
	return contains(d + n - span, span, "startxref");
}

/* Text: no NUL and no control bytes other than whitespace and ESC in the
 * first 4 KiB. Bytes >= 0x80 are allowed so that UTF-8 and GBK pass. */
static int looks_like_text(const uint8_t *d, size_t n)
{
	size_t lim = n < 4096 ? n : 4096;
	for (size_t i = 0; i < lim; i++) {
		uint8_t c = d[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
		    c != '\v' && c != 0x1b)
			return 0;
		if (c == 0x7f)
			return 0;
	}
	return 1;
}

static file_format sniff(const uint8_t *d, size_t n)
{
	if (n == 0)
		return FMT_EMPTY;
	/* SOI and the next marker's FF; SOI alone is a JPEG cut short. */
	if (n >= 2 && d[0] == 0xFF && d[1] == 0xD8 && (n == 2 || d[2] == 0xFF))
		return FMT_JPEG;
	if (starts_with(d, n, "\x89PNG\r\n\x1a\n", 8) || looks_like_png(d, n))
		return FMT_PNG;
	if (starts_with(d, n, "GIF87a", 6) || starts_with(d, n, "GIF89a", 6))
		return FMT_GIF;
	if (n >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4))
		return FMT_WEBP;
	/* Classic and BigTIFF, either byte order. */
	if (starts_with(d, n, "II*\0", 4) || starts_with(d, n, "MM\0*", 4) ||
	    starts_with(d, n, "II+\0", 4) || starts_with(d, n, "MM\0+", 4))
		return FMT_TIFF;
	if (is_heif(d, n))
		return FMT_HEIF;
	/* Local file header, or the end record of an empty or spanned zip. */
	if (starts_with(d, n, "PK\3\4", 4) || starts_with(d, n, "PK\5\6", 4) ||
	    starts_with(d, n, "PK\7\x08", 4))
		return FMT_ZIP;
	if (starts_with(d, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return FMT_OLE;
	if (is_bmp(d, n))
		return FMT_BMP;
	if (has_pdf_header(d, n) || looks_like_headerless_pdf(d, n))
		return FMT_PDF;
	return looks_like_text(d, n) ? FMT_TEXT : FMT_UNKNOWN;
}

probe_status probe_buffer(const uint8_t *data, size_t len, const probe_limits *lim,
			  file_info *out)
{
	return probe_buffer_rows(data, len, lim, NULL, out);
}

probe_status probe_buffer_rows(const uint8_t *data, size_t len, const probe_limits *lim,
			       const probe_rows *rows, file_info *out)
{
	static const probe_limits no_limits = { 0, 0 };

	memset(out, 0, sizeof *out);
	out->png_colour_type = -1;
	out->jpeg_sof = -1;
	if (!lim)
		lim = &no_limits;
	if (!data)
		len = 0;

	out->format = sniff(data, len);
	switch (out->format) {
	case FMT_JPEG:
		return probe_jpeg(data, len, lim, rows, out);
	case FMT_PNG:
		return probe_png(data, len, lim, out);
	case FMT_PDF:
		return probe_pdf(data, len, out);
	default:  /* FMT_EMPTY too: its advice says to copy the file again */
		return probe_fail(out, PROBE_REFUSED, formats[out->format].what_en,
				  formats[out->format].what_zh);
	}
}

/* --- pixel statistics --- */

/* A pixel is grey when its channels agree within this much (of 255): scans
 * of black-and-white pages saved in colour carry some chroma noise, and
 * JPEG adds more. */
enum { GREY_TOLERANCE = 12 };

void pixel_stats_init(pixel_stats *s, uint32_t width, uint32_t height)
{
	memset(s, 0, sizeof *s);
	s->width = width ? width : 1;
	s->height = height ? height : 1;
}

static uint32_t grid_cell(uint32_t v, uint32_t size)
{
	uint64_t c = (uint64_t)v * PIXSTAT_GRID / size;
	return c < PIXSTAT_GRID ? (uint32_t)c : PIXSTAT_GRID - 1;
}

/* Seal ink: red clearly dominates (by at least 48 of 255 and by a third of
 * red itself, so pale pink paper does not count), the hue is within about
 * 30 degrees of pure red (|g - b| small next to the chroma), and it is not
 * so dark that it could be black toner. Written without branches: on a
 * scan's noise, which way each test goes is anybody's guess. */
static inline int is_seal_red(int r, int g, int b)
{
	int hi = g > b ? g : b, lo = g < b ? g : b;
	return (r >= 96) & (r >= hi + 48) & (3 * (r - hi) >= r) & (2 * (hi - lo) <= r - lo);
}

/* Alpha-blend v over white, as a transparent image would print. */
static unsigned over_white(unsigned v, unsigned a)
{
	return (v * a + 255 * (255 - a) + 127) / 255;
}

void pixel_stats_add(pixel_stats *s, const uint8_t *px, uint32_t n, int channels,
		     uint32_t y, uint32_t x0, uint32_t dx)
{
	s->total += n;
	if (channels <= 2)  /* grey with or without alpha: grey, never red */
		return;
	s->colour_rows = 1;
	uint32_t cy = grid_cell(y, s->height);
	uint64_t nongrey = 0;
	for (uint32_t i = 0; i < n; i++, px += channels) {
		int r = px[0], g = px[1], b = px[2];
		if (channels == 4) {
			r = (int)over_white((unsigned)r, px[3]);
			g = (int)over_white((unsigned)g, px[3]);
			b = (int)over_white((unsigned)b, px[3]);
		}
		int hi = r > g ? r : g, lo = r < g ? r : g;
		hi = b > hi ? b : hi;
		lo = b < lo ? b : lo;
		nongrey += hi - lo > GREY_TOLERANCE;
		if (is_seal_red(r, g, b)) {
			s->red++;
			s->red_cells[cy][grid_cell(x0 + i * dx, s->width)]++;
		}
	}
	s->nongrey += nongrey;
}

/* The red seal test: enough red pixels inside one window of WINDOW x WINDOW
 * grid cells (a quarter of the page's width and height, more than a 4.2 cm
 * seal on A4 needs). The amount is a share of the image (0.05%) but at least
 * a few pixels, so that on small images a speck does not count. */
enum { SEAL_WINDOW = 4, SEAL_MIN_PIXELS = 20, SEAL_SHARE_DIV = 2000 };
/* Up to 0.5% of the pixels may be coloured in a grey image: JPEG ringing
 * and scanner fringes round black text. */
enum { GREY_OUTLIER_DIV = 200 };

static uint64_t seal_need(uint64_t total)
{
	uint64_t need = total / SEAL_SHARE_DIV;
	return need < SEAL_MIN_PIXELS ? SEAL_MIN_PIXELS : need;
}

/* 1 when some window holds at least need red pixels. */
static int seal_seen(const pixel_stats *s, uint64_t need)
{
	if (s->red < need)
		return 0;
	for (int r0 = 0; r0 + SEAL_WINDOW <= PIXSTAT_GRID; r0++)
		for (int c0 = 0; c0 + SEAL_WINDOW <= PIXSTAT_GRID; c0++) {
			uint64_t sum = 0;
			for (int r = r0; r < r0 + SEAL_WINDOW; r++)
				for (int c = c0; c < c0 + SEAL_WINDOW; c++)
					sum += s->red_cells[r][c];
			if (sum >= need)
				return 1;
		}
	return 0;
}

void pixel_stats_finish(const pixel_stats *s, file_info *out)
{
	if (s->total == 0)
		return;
	out->pixels = s->nongrey * GREY_OUTLIER_DIV <= s->total ? COLOUR_GREY : COLOUR_COLOUR;
	out->red_seal = 0;
	if (seal_seen(s, seal_need(s->total))) {
		/* A seal in colour makes the copy a colour copy, however
		 * small its share. */
		out->red_seal = 1;
		out->pixels = COLOUR_COLOUR;
	}
}

/* The whole image has width * height pixels: what finish says of it can
 * be told early when the counts already pass the thresholds of the whole
 * (which are at least those of any part of it). Grey rows (one or two
 * channels) are grey and never red, from the first. */
int pixel_stats_settled(const pixel_stats *s, unsigned want)
{
	uint64_t whole = (uint64_t)s->width * s->height;
	int seal, colour;

	if (want & PROBE_PIXELS_ALL || s->total == 0)
		return 0;
	if (!s->colour_rows)
		return 1;
	seal = seal_seen(s, seal_need(whole));
	colour = seal || s->nongrey * GREY_OUTLIER_DIV > whole;
	return (!(want & PROBE_PIXELS_SEAL) || seal) && (!(want & PROBE_PIXELS_COLOUR) || colour);
}

int probe_jpeg_embeddable(const file_info *in)
{
	return in->format == FMT_JPEG && in->jpeg_sof >= 0 && in->jpeg_sof <= 2 && in->bit_depth == 8 &&
	       (in->components == 1 || in->components == 3 || in->components == 4) && in->width > 0 &&
	       in->height > 0;
}
