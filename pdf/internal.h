/*
 * internal: what the files behind pdf/packet_pdf.h share, and nothing else
 * includes (tests excepted). The routes only the tests take are in
 * pdf/testing.h.
 *
 * packet_pdf.c runs a build: it owns the libharu document and the context
 * below, and calls cover.c (the cover sheet and its checklist), pages.c (one
 * page per material image: JPEG passed through, PNG decoded, EXIF
 * orientation as a matrix, caption, watermark; png_pass.c passes a PNG's
 * own compressed data through where it can) and merge.c (qpdf: the PDF
 * materials' own pages put in place, bookmarks, document info, the
 * deterministic write). Errors travel up as -1 with the first error kept
 * in the context, an lp_err (packet/error.h); nothing here prints.
 * Without PDF materials, merge.c's pdf_direct_finish() adds bookmarks and
 * info to the libharu document, which is then the output itself (no qpdf
 * pass).
 */
#ifndef LICPACK_PDF_INTERNAL_H
#define LICPACK_PDF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>
#include <qpdf/qpdf-c.h>

#include "packet/error.h"
#include "pdf/font.h"
#include "packet/output.h"
#include "pdf/packet_pdf.h"

/* A4 in points, and the page furniture every page licpack draws shares. */
#define PDF_A4_W 595.276f
#define PDF_A4_H 841.89f
#define PDF_FOOTER_SIZE 9.0f  /* "第 n 页 / 共 N 页" */
#define PDF_FOOTER_Y 20.0f    /* its baseline */

/* One build. Set up by pdf_write_packet(); the other files read it and
 * report through pdf_fail() / pdf_hpdf_check(). */
typedef struct pdf_sources pdf_sources;

typedef struct {
	const pdf_packet_job *job;
	const check_result *r;
	const pdf_sources *src; /* the PDF materials (merge.c); NULL for the cover alone */
	HPDF_Doc doc;
	pdf_font *font;
	HPDF_Font hfont;
	float ascent;           /* font ascent per point of size (> 0) */
	HPDF_ExtGState wm_gs;   /* the watermark's translucency, made on first use */
	int page_no;            /* number of the last page begun, 1-based */
	int total_pages;        /* N of "共 N 页" */
	struct out_file *out;   /* where the document is being saved (packet_pdf.c) */
	lp_buffer scratch;      /* files read again (not kept by the check), one at a time */
	struct pdf_file_ref *refs; /* one per checked file: what a source's load() gets */
	HPDF_STATUS hpdf_err;   /* the first libharu error, from the handler */
	HPDF_STATUS hpdf_detail;
	int failed;             /* an error is in err */
	lp_err *err;            /* the caller's (may be NULL) */
} pdf_ctx;

/* Record the first failure as lp_fail() would (code and string arguments;
 * pdf_fail_sys with an errno, pdf_fail_in around an inner error) and
 * return -1. A later failure does not overwrite the first, which is the
 * cause. */
#define pdf_fail(c, code, ...) \
	pdf_fail_set((c), (code), 0, NULL, LP_ERROR_NARGS(__VA_ARGS__), LP_ERROR_ARGS(__VA_ARGS__))
#define pdf_fail_sys(c, code, errnum, ...) \
	pdf_fail_set((c), (code), (errnum), NULL, LP_ERROR_NARGS(__VA_ARGS__), LP_ERROR_ARGS(__VA_ARGS__))
#define pdf_fail_in(c, code, inner, ...) \
	pdf_fail_set((c), (code), 0, (inner), LP_ERROR_NARGS(__VA_ARGS__), LP_ERROR_ARGS(__VA_ARGS__))
int pdf_fail_set(pdf_ctx *c, lp_errcode code, int errnum, const lp_err *inner, size_t nargs,
		 const char *const *args);

/* Record e, an error a callee filled, as the failure (unless one is
 * recorded already); -1. */
int pdf_fail_err(pdf_ctx *c, const lp_err *e);

/* -1 (with the error stage, one of the LP_E_PDF_DRAW_* codes, around
 * libharu's: LP_E_PDF_DRAW_FILE names file) when libharu reported an
 * error since the start of the build, else 0. Call after each group of
 * drawing calls. */
int pdf_hpdf_check(pdf_ctx *c, lp_errcode stage, const char *file);

/* The LP_E_HPDF_* code saying what libharu's error e means (its texts take
 * the error number in hex and the detail). */
lp_errcode pdf_hpdf_error(HPDF_STATUS e);

/* A new A4 page (landscape when asked), counted in c->page_no; NULL with
 * the error recorded when libharu fails. */
HPDF_Page pdf_new_page(pdf_ctx *c, int landscape);

/* Draw len bytes of utf8 (already clean) with its baseline at (x, y), in
 * the fill colour set on the page. */
void pdf_text(pdf_ctx *c, HPDF_Page page, float x, float y, float size, const char *utf8,
	      size_t len);

/* The same, centred on x. */
void pdf_text_centred(pdf_ctx *c, HPDF_Page page, float x, float y, float size,
		      const char *utf8);

/* Write into buf (NUL-terminated) the longest start of utf8[0..len) that,
 * followed by "…", is at most max_width wide; the whole text when it fits
 * without. Never splits a character. */
void pdf_text_fit(pdf_ctx *c, float size, const char *utf8, size_t len, float max_width,
		  char *buf, size_t buflen);

/* 1 when checked file i goes into this build's pages: always, unless the
 * job is one volume of several (packet_pdf.h) that holds another
 * material. */
int pdf_in_volume(const pdf_ctx *c, size_t i);

/* "第 n 页 / 共 N 页" at the bottom centre of page (c->page_no of
 * c->total_pages). */
void pdf_page_footer(pdf_ctx *c, HPDF_Page page, float page_width);

/* ---- cover.c ---- */

/* Lay out (draw = 0) or draw (draw = 1) the cover pages. Both passes take
 * the same decisions, so the first tells the second's page count through
 * *pages. Returns 0, or -1 with the error recorded. */
int cover_render(pdf_ctx *c, int draw, int *pages);

/* ---- pages.c ---- */

/* Where the bytes of an image XObject are when the PDF is written: at data
 * (valid and unchanged until the document is freed), or, with data NULL,
 * wherever load() puts them at the first read of the stream (valid while
 * that stream is written; load returns 0, or -1 with the error recorded
 * by whoever arg belongs to). */
typedef struct {
	const uint8_t *data;
	int (*load)(void *arg, const uint8_t **data, size_t *len);
	void *arg;
	/* optional: the document (for its /ID) and the SHA-256 of the bytes */
	pdf_ctx *ctx;
	const char *sha256;
} pdf_source;

/* A run of the source's bytes. */
typedef struct {
	size_t off;
	size_t len;
} pdf_span;

/* A read-only libharu stream whose bytes are the n spans of src one after
 * the other, read from where they are (nothing is copied); errors go to
 * error. Freed with HPDF_Stream_Free by whoever it is handed to. NULL when
 * memory runs out or the spans add up to more than 2^31 - 1 bytes. */
HPDF_Stream pdf_span_stream(HPDF_MMgr mm, HPDF_Error error, const pdf_source *src, const pdf_span *spans,
			    size_t n);

/* A new image XObject of doc (/Type /XObject /Subtype /Image; the caller
 * adds the rest, and sets its filter or write_fn) whose stream is
 * pdf_span_stream's: the PDF reads the spans when it is written. The
 * XObject belongs to doc. NULL when libharu fails or the spans add up to
 * more than 2^31 - 1 bytes. */
HPDF_Image pdf_image_xobject(HPDF_Doc doc, const pdf_source *src, const pdf_span *spans, size_t n);

/* The /ID of the document being saved (packet_pdf.c) takes the next total
 * bytes written, an image's data made of the n spans of a file whose
 * SHA-256 is sha256, as that hash and those spans rather than hashing them.
 * Returns 1 when it does so, 0 when they are to be hashed as usual (no /ID,
 * or no hash), -1 when hashing fails. */
int pdf_id_image(pdf_ctx *c, const char *sha256, const pdf_span *spans, size_t n, uint64_t total);

/* Where checked file f's bytes will be when c's document is written: the
 * kept bytes, or read again then (check_file_bytes into c's scratch). */
void pdf_file_source(pdf_ctx *c, const checked_file *f, pdf_source *src);

/* Checked file f's bytes now, in the same way; they stay valid until the
 * next call or the next read of a source. 0, or -1 with the error recorded. */
int pdf_file_bytes(pdf_ctx *c, const checked_file *f, const uint8_t **data, size_t *len);

/* 1 for a JPEG or PNG that becomes one page of its own. */
int pdf_file_is_image(const checked_file *f);

/* With job->id_pairs, the index of the file that shows the other side of
 * ID card file i on the same page (an emblem side after its portrait, or
 * the portrait before an emblem), else -1. */
long pdf_id_partner(const pdf_ctx *c, size_t i);

/* Both sides of one ID card on one A4 page, each at true size (85.6 x 54
 * mm), the portrait side above, the watermark across both. */
int id_pair_page(pdf_ctx *c, const checked_file *portrait, const checked_file *emblem);

/* Draw checked file f (an image, pdf_file_is_image) on a page of its own.
 * Returns 0, or -1 with the error recorded. */
int image_page(pdf_ctx *c, const checked_file *f);

/* Decode a PNG held in memory to 8-bit grey (*channels = 1) or RGB (3):
 * palette expanded, low bit depths widened, 16 bits cut to 8, alpha and
 * tRNS flattened onto white, Adam7 de-interlaced. *pixels (rows top down,
 * width * channels bytes each) is malloc'ed for the caller to free. Returns
 * 0, or -1 with a message in err. Never prints: libpng's warnings are
 * dropped and its errors come back here. */
int pdf_png_decode(const uint8_t *data, size_t len, uint8_t **pixels, uint32_t *width,
		   uint32_t *height, int *channels, lp_err *err);

/* ---- png_pass.c ---- */

typedef enum {
	PDF_PNG_AUTO = 0, /* IDAT data passed through where PDF takes it, else decoded */
	PDF_PNG_DECODE    /* tests only: always decoded (test_png_pass compares both routes) */
} pdf_png_route;

/* The image XObject of the PNG at data[0..len), in doc: its own IDAT data
 * as a FlateDecode stream with PNG predictors (nothing decoded, nothing
 * copied: the stream reads the same bytes from src when the PDF is written,
 * or from data itself, which must then outlive doc, when src is NULL) when
 * the image is not interlaced, has no alpha and no tRNS, and 1-8 bits per
 * sample; otherwise decoded now with pdf_png_decode. *passed (may be NULL)
 * says which route was taken. NULL with a message in err when neither
 * works. See png_pass.c. */
HPDF_Image pdf_png_image(HPDF_Doc doc, const uint8_t *data, size_t len, const pdf_source *src,
			 pdf_png_route route, int *passed, lp_err *err);

/* The placement of an image of w x h stored pixels shown upright by EXIF
 * orientation (1-8; anything else is 1) in the box (x, y, bw, bh), where bw
 * x bh is the box as displayed: the PDF matrix [a b c d e f] that maps the
 * image's unit square onto the box. */
void pdf_orient_matrix(int orientation, float x, float y, float bw, float bh, float m[6]);

/* ---- icc.c ---- */

/* The ICC profile embedded in a JPEG (APP2 segments) or a PNG (iCCP), put
 * together: a malloc'ed copy (the caller frees it) and its length, or NULL
 * when there is none or it is incomplete. */
uint8_t *pdf_icc_from_jpeg(const uint8_t *data, size_t len, size_t *out_len);
uint8_t *pdf_icc_from_png(const uint8_t *data, size_t len, size_t *out_len);

/* Give img (an image XObject of doc, in a Device colour space) the ICC
 * profile embedded in its file data[0..len) of format fmt, as a
 * [/ICCBased stream] colour space, when there is one whose components fit.
 * Returns 0 (also when nothing is changed), -1 when libharu fails. */
int pdf_image_icc(HPDF_Doc doc, HPDF_Image img, file_format fmt, const uint8_t *data, size_t len);

/* ---- merge.c ---- */

/* pdf_sources: the PDF materials of a build, opened with qpdf before
 * anything is drawn so that their page counts are known; kept open until
 * the write, since qpdf copies their pages then. */

/* Open every included PDF material of c->r. Returns 0, or -1 with the error
 * recorded; *out is set either way (NULL on failure) and freed with
 * pdf_sources_free. */
int pdf_sources_open(pdf_ctx *c, pdf_sources **out);

/* Pages of checked file i in the packet: its PDF's page count (with s
 * NULL, the count the probe read), 1 for an included image, 0 for a file
 * left out. */
int pdf_sources_pages(const pdf_sources *s, const check_result *r, size_t i);

void pdf_sources_free(pdf_sources *s);

/* 1 when s holds at least one PDF material (NULL: none). */
int pdf_sources_any(const pdf_sources *s);

/* Put the libharu document (saved at haru_path: the cover pages then one
 * page per image, in packet order) and the PDF materials in s (NULL with
 * cover_only) together with qpdf, add the outline (not with cover_only)
 * and the document info, and write the result to path, deterministically;
 * a failure to write it names it as name (the packet's final name).
 * Returns 0, or -1 with the error recorded; path may then hold a partial
 * file. */
int pdf_merge_write(pdf_ctx *c, const char *haru_path, int cover_pages, pdf_sources *s,
		    int cover_only, const char *path, const char *name);

/* Record q's failure to create or write a file as licpack's own failed
 * writes are said: code (LP_E_CREATE, LP_E_WRITE) naming name, with the
 * system's errno. qpdf's C API reports such a failure as qpdf_e_system
 * without its errno, but its message ends in strerror() of the errno it
 * threw for, which errno still holds when the call returns (e, read
 * then; qpdf 11.3). When the two disagree, or the error is of another
 * kind, qpdf's own words are kept (LP_E_PDF_WRITE_PDF). Returns -1. */
int pdf_qpdf_write_fail(pdf_ctx *c, qpdf_data q, int e, lp_errcode code, const char *name);

/* For a packet without PDF materials, or the cover alone: add to c->doc
 * itself the outline (not with cover_only) and the document info that
 * pdf_merge_write would add, so that libharu's own output is the packet
 * PDF. Draws nothing. Returns 0, or -1 with the error recorded. */
int pdf_direct_finish(pdf_ctx *c, int cover_pages, int cover_only);

#endif
