/*
 * packet_pdf: the combined PDF of a packet, from start to rename.
 *
 * One build runs in this order, so that "共 N 页" is known before the first
 * page is drawn and the font subset is fixed after the last text:
 *   1. open the PDF materials with qpdf (merge.c) and count their pages;
 *   2. lay out the cover without drawing (cover.c) to count its pages;
 *   3. draw the cover; when the job asks (cover_ready), save the document
 *      as it is then, the cover pages alone, into memory and hand it over
 *      (the zip's 00_封面.pdf: one rendering serves both); then one page
 *      per image material (pages.c; image data is borrowed from the check
 *      result, not copied);
 *   4. repair the font subset (pdf_font_fix_subset);
 *   5. without PDF materials (and for the cover alone), add the bookmarks
 *      and the document info to the libharu document (merge.c) and let
 *      libharu write it into the output's temporary file (an output_file,
 *      packet/output.h), with an /ID made from a hash of everything before
 *      the trailer; with PDF materials, libharu writes the drawn pages to a
 *      second temporary file which qpdf reads, puts the PDF materials'
 *      pages in place, adds the bookmarks and the document info, and writes
 *      the output's temporary file (by its path: qpdf 11 does not report a
 *      failed flush or close of a file it writes, so the file is verified
 *      before it takes its name: the trailer and startxref at its end);
 *   6. that file is verified, flushed to disk with sync and renamed over
 *      the output (output_commit), or left for the caller to commit with
 *      the rest of the packet (pdf_write_packet_into).
 * Everything a build allocates is freed on every path; on failure no output
 * and no temporary file is left. This file also holds the small drawing
 * helpers the others share (internal.h).
 */
#include "pdf/packet_pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <openssl/evp.h>

#include "packet/manifest.h"
#include "pdf/internal.h"
#include "pdf/testing.h"

int pdf_file_included(const checked_file *f)
{
	return packet_file_included(f);
}

/* ---- errors ---- */

int pdf_fail_set(pdf_ctx *c, lp_errcode code, int errnum, const lp_err *inner, size_t nargs,
		 const char *const *args)
{
	if (c->failed)
		return -1;
	c->failed = 1;
	return lp_error_set(c->err, code, errnum, inner, nargs, args);
}

int pdf_fail_err(pdf_ctx *c, const lp_err *e)
{
	if (c->failed)
		return -1;
	c->failed = 1;
	lp_error_copy(c->err, e);
	return -1;
}

/* libharu calls this on every error, with the context as user data: no
 * global state, so that batch can build several packets at once. */
static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	pdf_ctx *c = user_data;

	if (c->hpdf_err == HPDF_OK) {
		c->hpdf_err = error_no;
		c->hpdf_detail = detail_no;
	}
}

lp_errcode pdf_hpdf_error(HPDF_STATUS e)
{
	switch (e) {
	case HPDF_FAILD_TO_ALLOC_MEM: return LP_E_HPDF_NOMEM;
	case HPDF_INVALID_JPEG_DATA: return LP_E_HPDF_JPEG;
	case HPDF_UNSUPPORTED_JPEG_FORMAT: return LP_E_HPDF_JPEG_FORMAT;
	case HPDF_INVALID_IMAGE: return LP_E_HPDF_IMAGE;
	case HPDF_PAGE_OUT_OF_RANGE: return LP_E_HPDF_RANGE;
	case HPDF_STREAM_EOF: return LP_E_HPDF_EOF;
	case HPDF_INVALID_STREAM: return LP_E_HPDF_STREAM;
	case HPDF_FILE_IO_ERROR: return LP_E_HPDF_IO;
	case HPDF_TTF_CANNOT_EMBEDDING_FONT: return LP_E_HPDF_LICENCE;
	case HPDF_INVALID_TTC_INDEX: return LP_E_HPDF_NO_FACE;
	case HPDF_INVALID_TTC_FILE: return LP_E_HPDF_NOT_TTC;
	case HPDF_TTF_INVALID_CMAP: return LP_E_HPDF_CMAP;
	case HPDF_TTF_INVALID_FOMAT: return LP_E_HPDF_TTF;
	case HPDF_TTF_MISSING_TABLE: return LP_E_HPDF_TTF_TABLE;
	default: return LP_E_HPDF;
	}
}

int pdf_hpdf_check(pdf_ctx *c, lp_errcode stage, const char *file)
{
	char no[16], detail[16];
	lp_err why;

	if (c->hpdf_err == HPDF_OK)
		return c->failed ? -1 : 0;
	snprintf(no, sizeof no, "%04X", (unsigned)c->hpdf_err);
	snprintf(detail, sizeof detail, "%u", (unsigned)c->hpdf_detail);
	lp_fail(&why, pdf_hpdf_error(c->hpdf_err), no, detail);
	return pdf_fail_in(c, stage, &why, file);
}

/* ---- drawing helpers ---- */

HPDF_Page pdf_new_page(pdf_ctx *c, int landscape)
{
	HPDF_Page page = HPDF_AddPage(c->doc);

	if (page == NULL ||
	    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4,
			      landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT) != HPDF_OK) {
		pdf_hpdf_check(c, LP_E_PDF_DRAW_NEW_PAGE, NULL);
		pdf_fail(c, LP_E_PDF_NEW_PAGE);
		return NULL;
	}
	c->page_no++;
	return page;
}

void pdf_text(pdf_ctx *c, HPDF_Page page, float x, float y, float size, const char *utf8,
	      size_t len)
{
	char small[256];
	char *s = small;

	if (len == 0)
		return;
	if (len >= sizeof small) {
		s = malloc(len + 1);
		if (s == NULL) {
			pdf_fail(c, LP_E_NOMEM);
			return;
		}
	}
	memcpy(s, utf8, len);
	s[len] = '\0';
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, c->hfont, size);
	HPDF_Page_TextOut(page, x, y, s);
	HPDF_Page_EndText(page);
	if (s != small)
		free(s);
}

void pdf_text_centred(pdf_ctx *c, HPDF_Page page, float x, float y, float size,
		      const char *utf8)
{
	float w = pdf_text_width(c->font, size, utf8);

	pdf_text(c, page, x - w / 2, y, size, utf8, strlen(utf8));
}

/* Length of the UTF-8 sequence led by byte b (the text is clean). */
static size_t utf8_len(unsigned char b)
{
	return b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

void pdf_text_fit(pdf_ctx *c, float size, const char *utf8, size_t len, float max_width,
		  char *buf, size_t buflen)
{
	static const char ell[] = "\xE2\x80\xA6"; /* … */
	size_t keep = 0, next;

	if (buflen == 0)
		return;
	if (len >= buflen) {
		/* cut, then back up to the start of the character cut into */
		len = buflen - 1;
		while (len > 0 && ((unsigned char)utf8[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(buf, utf8, len);
	buf[len] = '\0';
	if (pdf_text_width(c->font, size, buf) <= max_width)
		return;
	/* the longest prefix that leaves room for the ellipsis */
	while (keep < len) {
		char save;
		next = keep + utf8_len((unsigned char)buf[keep]);
		if (next > len)
			break;
		save = buf[next];
		buf[next] = '\0';
		if (pdf_text_width(c->font, size, buf) + pdf_text_width(c->font, size, ell) >
		    max_width) {
			buf[next] = save;
			break;
		}
		buf[next] = save;
		keep = next;
	}
	if (buflen < sizeof ell) {
		buf[0] = '\0';
		return;
	}
	if (keep + sizeof ell > buflen) {
		keep = buflen - sizeof ell;
		while (keep > 0 && ((unsigned char)buf[keep] & 0xC0) == 0x80)
			keep--;
	}
	memcpy(buf + keep, ell, sizeof ell);
}

int pdf_in_volume(const pdf_ctx *c, size_t i)
{
	const pdf_packet_job *j = c->job;

	return j->n_volumes <= 0 || j->volume_of[c->r->files[i].material] == j->volume;
}

void pdf_page_footer(pdf_ctx *c, HPDF_Page page, float page_width)
{
	const pdf_packet_job *j = c->job;
	char s[160];

	if (j->n_volumes > 0 && j->en)
		snprintf(s, sizeof s, "第 %d 册 / 共 %d 册 (Volume %d of %d)  ·  第 %d 页 / 共 %d 页", j->volume,
			 j->n_volumes, j->volume, j->n_volumes, c->page_no, c->total_pages);
	else if (j->n_volumes > 0)
		snprintf(s, sizeof s, "第 %d 册 / 共 %d 册  ·  第 %d 页 / 共 %d 页", j->volume, j->n_volumes, c->page_no,
			 c->total_pages);
	else
		snprintf(s, sizeof s, "第 %d 页 / 共 %d 页", c->page_no, c->total_pages);
	HPDF_Page_SetRGBFill(page, 0.25f, 0.25f, 0.25f);
	pdf_text_centred(c, page, page_width / 2, PDF_FOOTER_Y, PDF_FOOTER_SIZE, s);
	HPDF_Page_SetRGBFill(page, 0, 0, 0);
}

/* ---- the build ---- */

/* ---- saving ---- */

/* Where libharu's output goes: a file, written in large blocks, every byte
 * also fed to a hash when the document gets an /ID. */
struct out_file {
	int fd;          /* -1: everything stays in buf, which grows (memory) */
	uint8_t *buf;
	size_t n, cap;
	EVP_MD_CTX *md;  /* NULL: no /ID */
	uint64_t unhashed;  /* bytes to come that the /ID takes as their hash */
	int err;         /* errno of the first failed write */
};
typedef struct out_file out_file;

/* 0, or -1 with o->err set. */
static int out_put(out_file *o, const uint8_t *p, size_t n)
{
	if (o->fd < 0) { /* in memory: the buffer is the output */
		if (n > o->cap - o->n) {
			size_t cap = o->cap;
			uint8_t *nb;
			while (n > cap - o->n)
				cap *= 2;
			nb = realloc(o->buf, cap);
			if (nb == NULL) {
				o->err = ENOMEM;
				return -1;
			}
			o->buf = nb;
			o->cap = cap;
		}
		memcpy(o->buf + o->n, p, n);
		o->n += n;
		return 0;
	}
	while (n > 0) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->err = w < 0 ? errno : EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int out_flush(out_file *o)
{
	int r;

	if (o->fd < 0)
		return 0;
	r = out_put(o, o->buf, o->n);
	o->n = 0;
	return r;
}

static HPDF_STATUS out_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT size)
{
	out_file *o = s->attr;
	size_t skip = o->unhashed < size ? (size_t)o->unhashed : size;

	/* an image's bytes, which the /ID has as their file's SHA-256 */
	o->unhashed -= skip;
	if (o->md != NULL && size > skip && EVP_DigestUpdate(o->md, ptr + skip, size - skip) != 1)
		return HPDF_SetError(s->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
	if (o->fd < 0) {
		if (out_put(o, ptr, size) != 0)
			return HPDF_SetError(s->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
		return HPDF_OK;
	}
	if (size > o->cap - o->n && out_flush(o) != 0)
		return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)o->err);
	if (size > o->cap) { /* larger than the buffer: straight through */
		if (out_put(o, ptr, size) != 0)
			return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)o->err);
		return HPDF_OK;
	}
	memcpy(o->buf + o->n, ptr, size);
	o->n += size;
	return HPDF_OK;
}

int pdf_id_image(pdf_ctx *c, const char *sha256, const pdf_span *spans, size_t n, uint64_t total)
{
	out_file *o = c->out;

	if (o == NULL || o->md == NULL || sha256 == NULL || sha256[0] == '\0')
		return 0; /* hashed as they go out */
	if (EVP_DigestUpdate(o->md, sha256, strlen(sha256)) != 1 ||
	    EVP_DigestUpdate(o->md, spans, n * sizeof *spans) != 1)
		return -1;
	o->unhashed += total;
	return 1;
}

/* The trailer's before-write callback: by then everything else is written,
 * and the hash of it all (up to "trailer <<") becomes the /ID, as qpdf's
 * deterministic /ID is a hash of the file: the same inputs give the same
 * bytes, different ones a different /ID. Image data is hashed as the
 * SHA-256 of its file (pdf_id_image): 16 MB of scans need not be hashed
 * twice to tell one packet from another. */
static HPDF_STATUS add_id(HPDF_Dict trailer)
{
	out_file *o = trailer->attr;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *copy = EVP_MD_CTX_new();
	HPDF_Array id;
	HPDF_STATUS st = HPDF_OK;
	int ok;

	ok = copy != NULL && EVP_MD_CTX_copy_ex(copy, o->md) == 1 &&
	     EVP_DigestFinal_ex(copy, md, &mdlen) == 1 && mdlen >= 16;
	EVP_MD_CTX_free(copy);
	id = ok ? HPDF_Array_New(trailer->mmgr) : NULL;
	if (id == NULL || HPDF_Dict_Add(trailer, "ID", id) != HPDF_OK)
		return HPDF_SetError(trailer->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
	/* the first 16 bytes, twice: this is the document's first version */
	st |= HPDF_Array_Add(id, HPDF_Binary_New(trailer->mmgr, md, 16));
	st |= HPDF_Array_Add(id, HPDF_Binary_New(trailer->mmgr, md, 16));
	return st;
}

/* Write the libharu document into file (begun), or with file NULL into a
 * new buffer (*mem, *memlen; caller frees), with an /ID when with_id.
 * Returns 0, or -1 with the error recorded. */
static int save_doc(pdf_ctx *c, output_file *file, uint8_t **mem, size_t *memlen, int with_id)
{
	HPDF_Doc doc = c->doc;
	HPDF_Stream s = NULL;
	out_file o;
	int ret = -1;

	memset(&o, 0, sizeof o);
	o.fd = -1;
	if (file != NULL) {
		o.cap = 1 << 20; /* a few hundred write(2)s for a packet of scans, not thousands */
		o.fd = file->fd;
	} else {
		o.cap = 256 << 10; /* a cover sheet */
	}
	o.buf = malloc(o.cap);
	s = HPDF_GetMem(doc->mmgr, sizeof *s);
	if (o.buf == NULL || s == NULL) {
		pdf_fail(c, LP_E_NOMEM);
		goto cleanup;
	}
	if (with_id) {
		o.md = EVP_MD_CTX_new();
		if (o.md == NULL || EVP_DigestInit_ex(o.md, EVP_sha256(), NULL) != 1) {
			pdf_fail(c, LP_E_PDF_HASH);
			goto cleanup;
		}
		doc->trailer->before_write_fn = add_id;
		doc->trailer->attr = &o;
	}
	memset(s, 0, sizeof *s);
	s->sig_bytes = HPDF_STREAM_SIG_BYTES;
	s->type = HPDF_STREAM_CALLBACK;
	s->mmgr = doc->mmgr;
	s->error = doc->mmgr->error;
	s->write_fn = out_write;
	s->attr = &o;
	/* HPDF_SaveToStream writes to the document's stream, whatever it is:
	 * libharu 2.3.0 has no public call that saves to a stream of the
	 * caller's, and HPDF_SaveToFile writes through stdio in 4 KiB pieces
	 * with no way to hash what goes out. */
	doc->stream = s;
	c->out = &o;
	if (HPDF_SaveToStream(doc) != HPDF_OK || out_flush(&o) != 0) {
		if (o.err != 0 && file != NULL)
			pdf_fail_sys(c, LP_E_WRITE, o.err, file->final_path);
		else if (o.err != 0)
			pdf_fail_sys(c, LP_E_PDF_WRITE_COVER, o.err);
		else if (pdf_hpdf_check(c, LP_E_PDF_DRAW_SAVING, NULL) == 0)
			pdf_fail(c, LP_E_PDF_SAVE);
		goto cleanup;
	}
	if (file != NULL) {
		output_set_external(file, pdf_verify_file);
	} else {
		*mem = o.buf;
		*memlen = o.n;
		o.buf = NULL;
	}
	ret = 0;
cleanup:
	c->out = NULL;
	doc->stream = NULL;
	doc->trailer->before_write_fn = NULL;
	doc->trailer->attr = NULL;
	if (s != NULL)
		HPDF_FreeMem(doc->mmgr, s);
	EVP_MD_CTX_free(o.md);
	free(o.buf);
	return ret;
}

/* The last bytes of a PDF: "startxref", its offset, "%%EOF". */
#define PDF_TAIL 1024

lp_errcode pdf_verify_file(int fd, uint64_t size)
{
	char tail[PDF_TAIL + 1], at[8];
	size_t n = size < PDF_TAIL ? (size_t)size : PDF_TAIL, k;
	ssize_t r = pread(fd, tail, n, (off_t)(size - n));
	char *sx = NULL, *end;
	unsigned long long xref;

	if (r != (ssize_t)n)
		return LP_E_PDF_READ_BACK;
	tail[n] = '\0';
	for (k = 0; k + 9 <= n; k++) /* the last startxref (there may be NULs before it) */
		if (memcmp(tail + k, "startxref", 9) == 0)
			sx = tail + k;
	if (sx == NULL || strstr(sx, "%%EOF") == NULL)
		return LP_E_PDF_NO_TRAILER;
	xref = strtoull(sx + 9, &end, 10);
	if (end == sx + 9 || xref + 4 >= size || pread(fd, at, 4, (off_t)xref) != 4 ||
	    (memcmp(at, "xref", 4) != 0 && (at[0] < '0' || at[0] > '9')))
		return LP_E_PDF_BAD_XREF;
	return LP_OK;
}

static int check_job(pdf_ctx *c, const pdf_packet_job *job, const char *out_path)
{
	if (job == NULL || job->r == NULL || job->r->tpl == NULL || out_path == NULL ||
	    *out_path == '\0')
		return pdf_fail(c, LP_E_PDF_ARGS);
	if (job->font_path == NULL)
		return pdf_fail(c, LP_E_PDF_NO_FONT);
	for (size_t i = 0; i < job->r->n_files; i++) {
		const checked_file *f = &job->r->files[i];
		if (f->material < 0 || (size_t)f->material >= job->r->tpl->n_materials)
			return pdf_fail(c, LP_E_PDF_NO_MATERIAL, f->rel);
	}
	return 0;
}

int pdf_write_packet(const pdf_packet_job *job, const char *out_path, int cover_only, int *pages,
		     lp_err *err)
{
	pdf_output out = { out_path, NULL, NULL, NULL };
	return pdf_write_packet_route(job, &out, cover_only, PDF_ROUTE_AUTO, pages, err);
}

int pdf_write_packet_into(const pdf_packet_job *job, output_file *file, int *pages, lp_err *err)
{
	pdf_output out = { file->final_path, file, NULL, NULL };
	return pdf_write_packet_route(job, &out, 0, PDF_ROUTE_AUTO, pages, err);
}

int pdf_write_cover(const pdf_packet_job *job, uint8_t **pdf, size_t *len, int *pages, lp_err *err)
{
	pdf_output out = { NULL, NULL, pdf, len };
	return pdf_write_packet_route(job, &out, 1, PDF_ROUTE_AUTO, pages, err);
}

/* The cover pages drawn so far, saved alone into memory for
 * job->cover_ready, before the materials' pages join them in the same
 * document: with the font subset of what they draw (made again, larger,
 * before the packet is saved), the document info and an /ID, as
 * pdf_write_cover makes them. 0, or -1 with the error recorded. */
static int cover_copy(pdf_ctx *c, int cover_pages)
{
	uint8_t *mem = NULL;
	size_t len = 0;

	if (pdf_hpdf_check(c, LP_E_PDF_DRAW_DRAWING, NULL) != 0 || pdf_direct_finish(c, cover_pages, 1) != 0)
		return -1;
	if (pdf_font_fix_subset(c->font) < 0)
		return pdf_fail(c, LP_E_NOMEM);
	if (save_doc(c, NULL, &mem, &len, 1) != 0)
		return -1;
	c->job->cover_ready(c->job->cover_arg, mem, len, cover_pages);
	return 0;
}

/* A new document in c->doc, compressed, with the CJK font loaded.
 * 0, or -1 with the error recorded. */
static int open_doc(pdf_ctx *c)
{
	lp_err why;

	c->doc = HPDF_New(on_hpdf_error, c);
	if (c->doc == NULL)
		return pdf_fail(c, LP_E_NOMEM);
	/* Flate for content, fonts and the decoded PNGs; JPEGs keep their
	 * DCTDecode stream as it is (libharu never re-filters those). */
	if (HPDF_SetCompressionMode(c->doc, HPDF_COMP_ALL) != HPDF_OK) {
		pdf_hpdf_check(c, LP_E_PDF_DRAW_SETUP, NULL);
		return -1;
	}
	if (pdf_font_load(c->doc, c->job->font_path, c->job->font_index, &c->font, &why) != 0)
		return pdf_fail_err(c, &why);
	c->hfont = pdf_font_handle(c->font);
	c->ascent = (float)HPDF_Font_GetAscent(c->hfont) / 1000.0f;
	if (c->ascent <= 0.1f || c->ascent > 1.5f)
		c->ascent = 0.8f;
	return 0;
}

/* The packet's pages: the cover's, and those of every material in this
 * volume (an emblem side shares its portrait's page). */
static int count_pages(pdf_ctx *c, pdf_sources *src, int cover_pages, int cover_only)
{
	int total = cover_pages;

	if (!cover_only)
		for (size_t i = 0; i < c->r->n_files; i++) {
			long partner = pdf_id_partner(c, i);
			if (!pdf_in_volume(c, i))
				continue;
			if (partner < 0 || (size_t)partner > i) /* an emblem side shares its portrait's page */
				total += pdf_sources_pages(src, c->r, i);
		}
	return total;
}

/* The materials' pages after the cover, in packet order: an image (or an
 * ID card's two sides) drawn on its page; a PDF's pages left to go in
 * later, in place, or with volumes a page with the footer only for each
 * of them, which merge.c lays over the page. 0, or -1 with the error
 * recorded. */
static int draw_materials(pdf_ctx *c, pdf_sources *src)
{
	for (size_t i = 0; i < c->r->n_files; i++) {
		const checked_file *f = &c->r->files[i];
		long partner = pdf_id_partner(c, i);
		if (!pdf_file_included(f) || !pdf_in_volume(c, i))
			continue;
		if (!pdf_file_is_image(f) && c->job->n_volumes > 0) {
			for (int k = pdf_sources_pages(src, c->r, i); k > 0; k--) {
				HPDF_Page page = pdf_new_page(c, 0);
				if (page == NULL)
					return -1;
				pdf_page_footer(c, page, PDF_A4_W);
			}
		} else if (!pdf_file_is_image(f))
			c->page_no += pdf_sources_pages(src, c->r, i); /* go in later, in place */
		else if (partner >= 0 && (size_t)partner < i)
			continue; /* drawn with its portrait side */
		else if (partner >= 0 ? id_pair_page(c, f, &c->r->files[partner]) != 0 : image_page(c, f) != 0)
			return -1;
	}
	return 0;
}

/* (Longer than most: it owns the PDF from the first page drawn to the
 * commit, for three outputs (a path, an output_file the caller began,
 * memory) and two routes (saved directly, or drawn pages merged with the
 * PDF materials by qpdf), and its one cleanup aborts whatever was not
 * committed and answers a caller still waiting for the cover.) */
int pdf_write_packet_route(const pdf_packet_job *job, const pdf_output *out, int cover_only,
			  pdf_route route, int *pages, lp_err *err)
{
	pdf_ctx c;
	pdf_sources *src = NULL;
	const char *out_path = out->path;
	output_file own, haru, *file = out->file;
	int cover_pages = 0, total, direct, ret = -1;
	int cover_owed = !cover_only && job != NULL && job->cover_ready != NULL;

	memset(&c, 0, sizeof c);
	own.fd = haru.fd = -1;
	own.tmp_path = haru.tmp_path = NULL;
	own.final_path = haru.final_path = NULL;
	c.err = err;
	lp_error_clear(err);
	if (pages != NULL)
		*pages = 0;
	if (out->mem != NULL) {
		*out->mem = NULL;
		*out->mem_len = 0;
	}
	if (check_job(&c, job, out->mem != NULL ? "memory" : out_path) != 0)
		goto cleanup;
	if (out->mem != NULL && (!cover_only || route != PDF_ROUTE_AUTO)) {
		pdf_fail(&c, LP_E_PDF_MEMORY_COVER_ONLY);
		goto cleanup;
	}
	c.job = job;
	c.r = job->r;

	if (!cover_only) {
		if (pdf_sources_open(&c, &src) != 0)
			goto cleanup;
		c.src = src;
	}

	if (open_doc(&c) != 0 || cover_render(&c, 0, &cover_pages) != 0)
		goto cleanup;
	c.total_pages = total = count_pages(&c, src, cover_pages, cover_only);
	c.page_no = 0;
	if (cover_render(&c, 1, &cover_pages) != 0)
		goto cleanup;
	if (cover_owed) {
		if (cover_copy(&c, cover_pages) != 0)
			goto cleanup;
		cover_owed = 0;
	}
	if ((!cover_only && draw_materials(&c, src) != 0) || pdf_hpdf_check(&c, LP_E_PDF_DRAW_DRAWING, NULL) != 0)
		goto cleanup;
	direct = route == PDF_ROUTE_AUTO && !pdf_sources_any(src);
	if (direct && pdf_direct_finish(&c, cover_pages, cover_only) != 0)
		goto cleanup;
	/* After the last text, before saving (see pdf/font.h). */
	if (pdf_font_fix_subset(c.font) < 0) {
		pdf_fail(&c, LP_E_NOMEM);
		goto cleanup;
	}
	if (out->mem != NULL) {
		if (save_doc(&c, NULL, out->mem, out->mem_len, 1) != 0)
			goto cleanup;
		if (pages != NULL)
			*pages = total;
		ret = 0;
		goto cleanup;
	}
	if (file == NULL) {
		if (output_begin(&own, out_path, job->sync, err) != 0) {
			c.failed = 1;
			goto cleanup;
		}
		file = &own;
	}
	if (direct) {
		if (save_doc(&c, file, NULL, NULL, 1) != 0)
			goto cleanup;
	} else {
		/* the drawn pages, for qpdf to read: a temporary of ours too */
		if (output_begin(&haru, out_path, 0, err) != 0) {
			c.failed = 1;
			goto cleanup;
		}
		if (save_doc(&c, &haru, NULL, NULL, 0) != 0)
			goto cleanup;
		/* The document's memory goes before qpdf makes its copies. */
		HPDF_Free(c.doc);
		c.doc = NULL;
		if (pdf_merge_write(&c, haru.tmp_path, cover_pages, src, cover_only, file->tmp_path,
				    file->final_path) != 0)
			goto cleanup;
		output_set_external(file, pdf_verify_file);
	}
	/* verified (and flushed with sync) now, while the drawn pages' file
	 * still takes its room: a full disk is then found full */
	if (output_close(file, err) != 0) {
		c.failed = 1;
		goto cleanup;
	}
	if (file == &own && output_commit(&own, err) != 0) {
		c.failed = 1;
		goto cleanup;
	}
	if (pages != NULL)
		*pages = total;
	ret = 0;
cleanup:
	output_abort(&own);
	output_abort(&haru);
	if (c.doc != NULL)
		HPDF_Free(c.doc);
	pdf_font_free(c.font);
	pdf_sources_free(src);
	free(c.scratch.data);
	free(c.refs);
	if (ret != 0 && !c.failed)
		pdf_fail(&c, LP_E_PDF_BUILD);
	if (cover_owed) /* failed before the cover: the caller may be waiting */
		job->cover_ready(job->cover_arg, NULL, 0, 0);
	return ret;
}
