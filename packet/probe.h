/*
 * probe: what a file is, judged by its bytes alone.
 *
 * probe_buffer() sniffs the format from the content (never the extension) and,
 * for the formats licpack accepts (JPEG, PNG, PDF), reads what the checks need:
 * pixel dimensions, density, colour, EXIF orientation, page count, and whether
 * the file is complete. It works on a buffer in memory so that one read of a
 * file serves hashing, probing and (later) embedding, and so that fuzzers can
 * drive it directly. It never prints and never allocates memory it keeps.
 */
#ifndef LICPACK_PROBE_H
#define LICPACK_PROBE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	FMT_UNKNOWN = 0,
	FMT_EMPTY,   /* zero bytes */
	FMT_JPEG,
	FMT_PNG,
	FMT_PDF,
	FMT_HEIF,    /* HEIC/HEIF/AVIF (ISO BMFF 'ftyp' with heic/heix/mif1/avif...) */
	FMT_WEBP,
	FMT_TIFF,
	FMT_BMP,
	FMT_GIF,
	FMT_ZIP,     /* zip container: .docx/.xlsx/.pptx/.odt or a plain zip */
	FMT_OLE,     /* old Office .doc/.xls/.ppt (OLE2 compound file) */
	FMT_TEXT,    /* plain text / other */
	FMT__COUNT
} file_format;

/* Bit for a format in a set of accepted formats (material.formats). */
#define FMT_BIT(f) (1u << (f))

/* Stable lowercase name: "jpeg", "png", "pdf", "heif", "webp", "tiff", "bmp",
 * "gif", "zip", "ole", "text", "empty", "unknown". */
const char *format_name(file_format f);
/* Inverse of format_name for "jpeg"/"jpg", "png", "pdf"; FMT_UNKNOWN otherwise. */
file_format format_from_name(const char *name);

typedef enum {
	PROBE_OK = 0,
	PROBE_CORRUPT,     /* unreadable or incomplete: truncated, CRC error, no trailer */
	PROBE_REPAIRED,    /* PDF readable only after qpdf repaired it: a warning */
	PROBE_TOO_LARGE,   /* header declares more pixels than the limit: not decoded */
	PROBE_ENCRYPTED,   /* PDF that needs a password to open */
	PROBE_REFUSED      /* a format licpack does not accept (HEIF, WebP, ...) */
} probe_status;

typedef enum { COLOUR_UNKNOWN = 0, COLOUR_GREY, COLOUR_COLOUR } colour_kind;

/* What the pixel analysis is to answer (probe_limits.analyse_pixels):
 * PROBE_PIXELS_ALL looks at every pixel, so that both file_info.pixels and
 * .red_seal describe the whole image; PROBE_PIXELS_COLOUR and
 * PROBE_PIXELS_SEAL (either or both) let a JPEG's decoding stop as soon as
 * that answer is certain: whether the copy is in colour (.pixels; a seal
 * found also makes it colour), whether a red seal shows (.red_seal). The
 * answers asked for are the ones PROBE_PIXELS_ALL would give; the others
 * may then be left short. */
enum { PROBE_PIXELS_ALL = 1, PROBE_PIXELS_COLOUR = 2, PROBE_PIXELS_SEAL = 4 };

typedef struct {
	uint64_t max_pixels; /* width*height above this: PROBE_TOO_LARGE; 0 = no limit */
	unsigned analyse_pixels; /* 0, or PROBE_PIXELS_*: decode (JPEG at 1/8 scale) to
				  * judge grey pixels and red seals; a JPEG's
				  * entropy data is decoded to its end either way */
} probe_limits;

typedef struct {
	file_format format;
	probe_status status;
	/* Why, when status != PROBE_OK: a short phrase in English and in Chinese,
	 * both string literals, e.g. "truncated JPEG (no end-of-image marker)". */
	const char *reason_en;
	const char *reason_zh;

	uint32_t width, height;   /* pixels, as stored (before EXIF rotation) */
	double dpi_x, dpi_y;      /* 0 when the file does not say */
	int components;           /* JPEG: 1, 3 or 4; PNG: channels */
	int bit_depth;            /* PNG bit depth; JPEG precision (8/12) */
	int png_colour_type;      /* PNG IHDR colour type, -1 for others */
	int interlaced;           /* PNG Adam7 or progressive JPEG */
	int cmyk;                 /* JPEG with 4 components (CMYK/YCCK) */
	colour_kind encoding;     /* what the file's colour model says */
	colour_kind pixels;       /* what the (sampled) pixels show; UNKNOWN if not analysed */
	int red_seal;             /* 1 when a patch of saturated red was seen (analysed
				   * only); pixels is then COLOUR */
	int orientation;          /* EXIF orientation 1-8; 0 when absent (or the tag
				   * holds 0, "undefined"); -1 when invalid */
	int pages;                /* PDF page count; 1 for images; 0 when unknown */
	int jpeg_adobe;           /* JPEG with an Adobe APP14 segment before its first
				   * scan: CMYK samples stored inverted, by Adobe's
				   * convention */
	int jpeg_sof;             /* JPEG frame type n of SOFn (0 baseline, 1 extended,
				   * 2 progressive, 3 lossless, 9+ arithmetic), so that
				   * embedding can tell what a PDF reader can show;
				   * -1 for other formats */
	int pdf_restricted;       /* PDF encrypted with an owner password only: it
				   * opens without one, but its bytes stay encrypted */
} file_info;

/* Probe len bytes at data. Fills *out entirely (zeroing it first). Returns
 * out->status. Never crashes on hostile input; reads no byte outside the buffer.
 * Refused: every format but JPEG, PNG and PDF, an empty file (FMT_EMPTY) and
 * JPEG-LS. lim NULL: no pixel limit, no analysis. */
probe_status probe_buffer(const uint8_t *data, size_t len, const probe_limits *lim,
			  file_info *out);

/* Where a JPEG's decoded rows go as the probe decodes them, so that one
 * decode serves the checks and a picture of the page (report.html's
 * thumbnail): begin() is told the size of the decoded (reduced) image and
 * returns 1 to be given its rows, 0 to decline; row() then gets row y
 * (0, 1, ... in order) as width RGB pixels. The rows are the file's as
 * stored (before EXIF rotation). They are all given only when the file is
 * whole (status PROBE_OK); the decode is at a scale that keeps at least
 * min_edge pixels on the long edge where 1/2 scale does. */
typedef struct {
	int (*begin)(void *ctx, uint32_t width, uint32_t height);
	void (*row)(void *ctx, uint32_t y, const uint8_t *rgb);
	void *ctx;
	uint32_t min_edge;
} probe_rows;

/* probe_buffer, with a JPEG's decoded rows handed to rows (NULL: none). */
probe_status probe_buffer_rows(const uint8_t *data, size_t len, const probe_limits *lim,
			       const probe_rows *rows, file_info *out);

/* 1 when a JPEG can go into a PDF unchanged (what a reader's DCTDecode
 * shows: SOF0-2, 8 bits, 1, 3 or 4 components); lossless, arithmetic-coded
 * and 12-bit JPEGs would need decoding. 0 for anything else. */
int probe_jpeg_embeddable(const file_info *in);

/* Have a libpng reader (a png_structp) skip the text chunks unread, CRC
 * checked; for every reader of untrusted PNGs. */
struct png_struct_def;
void probe_png_ignore_text(struct png_struct_def *png);

/* Advice, in English and Chinese string literals, for converting a refused
 * format into an accepted one (e.g. for HEIF: "export it as JPEG ..."). The
 * accepted formats have advice too, for the odd file of theirs refused. */
void format_advice(file_format f, const char **en, const char **zh);

/* The JPEG each of count pages of a PDF, from page first (0-based), is
 * when the page only draws one JPEG image over its whole surface (a scan;
 * pdf_page_jpeg.c): pages[i].jpeg (malloc'd; the caller frees it), .len
 * and the page's long edge in millimetres; jpeg NULL for a page that draws
 * anything else, and for every page of a PDF that cannot be read. Returns
 * how many pages have one. pages has count entries. */
typedef struct {
	uint8_t *jpeg;
	size_t len;
	double long_mm;
} pdf_jpeg_page;

int pdf_page_jpegs(const uint8_t *data, size_t len, int first, int count, pdf_jpeg_page *pages);

#endif
