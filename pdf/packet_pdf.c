/*
 * packet_pdf: the combined PDF of a packet, from start to rename.
 *
 * One build runs in this order, so that "共 N 页" is known before the first
 * page is drawn and the font subset is fixed after the last text:
 *   1. open the PDF materials with qpdf (merge.c) and count their pages;
 *   2. lay out the cover without drawing (cover.c) to count its pages;
 *   3. draw the cover, then one page per image material (pages.c);
 *   4. repair the font subset (pdf_font_fix_subset), save to memory;
 *   5. qpdf puts the PDF materials' pages in place, adds the bookmarks and
 *      the document info, and writes a temporary file beside the output
 *      (mode 0600), which is renamed over it when complete.
 * Everything a build allocates is freed on every path; on failure no output
 * and no temporary file is left. This file also holds the small drawing
 * helpers the others share (internal.h).
 */
#include "pdf/packet_pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf/internal.h"

int pdf_file_included(const checked_file *f)
{
	if (f == NULL || f->data == NULL || f->len == 0)
		return 0;
	if (f->info.status != PROBE_OK && f->info.status != PROBE_REPAIRED)
		return 0;
	if (f->info.format == FMT_JPEG)
		return probe_jpeg_embeddable(&f->info);
	return f->info.format == FMT_PNG || f->info.format == FMT_PDF;
}

/* ---- errors ---- */

int pdf_fail(pdf_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return -1;
	c->failed = 1;
	if (c->err != NULL && c->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
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

static const char *hpdf_error_name(HPDF_STATUS e)
{
	switch (e) {
	case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
	case HPDF_INVALID_JPEG_DATA: return "invalid JPEG data";
	case HPDF_UNSUPPORTED_JPEG_FORMAT: return "unsupported JPEG format";
	case HPDF_INVALID_IMAGE: return "invalid image";
	case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
	case HPDF_STREAM_EOF: return "unexpected end of stream";
	case HPDF_INVALID_STREAM: return "invalid stream";
	case HPDF_FILE_IO_ERROR: return "I/O error";
	default: return "libharu error";
	}
}

int pdf_hpdf_check(pdf_ctx *c, const char *what)
{
	if (c->hpdf_err == HPDF_OK)
		return c->failed ? -1 : 0;
	return pdf_fail(c, "cannot draw the PDF (%s): %s (libharu 0x%04X, detail %u)", what,
			hpdf_error_name(c->hpdf_err), (unsigned)c->hpdf_err,
			(unsigned)c->hpdf_detail);
}

/* ---- drawing helpers ---- */

HPDF_Page pdf_new_page(pdf_ctx *c, int landscape)
{
	HPDF_Page page = HPDF_AddPage(c->doc);

	if (page == NULL ||
	    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4,
			      landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT) != HPDF_OK) {
		pdf_hpdf_check(c, "new page");
		pdf_fail(c, "cannot add a page to the PDF");
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
			pdf_fail(c, "out of memory");
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

void pdf_page_footer(pdf_ctx *c, HPDF_Page page, float page_width)
{
	char s[64];

	snprintf(s, sizeof s, "第 %d 页 / 共 %d 页", c->page_no, c->total_pages);
	HPDF_Page_SetRGBFill(page, 0.25f, 0.25f, 0.25f);
	pdf_text_centred(c, page, page_width / 2, PDF_FOOTER_Y, PDF_FOOTER_SIZE, s);
	HPDF_Page_SetRGBFill(page, 0, 0, 0);
}

/* ---- the build ---- */

/* Save the libharu document into a malloc'ed buffer the caller frees. */
static int save_to_memory(pdf_ctx *c, uint8_t **out, size_t *outlen)
{
	HPDF_UINT32 size, got;
	uint8_t *buf;

	*out = NULL;
	*outlen = 0;
	if (HPDF_SaveToStream(c->doc) != HPDF_OK)
		return pdf_hpdf_check(c, "saving") ? -1 : pdf_fail(c, "cannot save the PDF");
	size = HPDF_GetStreamSize(c->doc);
	if (size == 0)
		return pdf_fail(c, "cannot save the PDF: libharu wrote nothing");
	buf = malloc(size);
	if (buf == NULL)
		return pdf_fail(c, "out of memory");
	if (HPDF_ResetStream(c->doc) != HPDF_OK) {
		free(buf);
		return pdf_hpdf_check(c, "saving") ? -1 : pdf_fail(c, "cannot save the PDF");
	}
	/* Asking for exactly the stream's size reads it in one call; libharu
	 * 2.3.0 reports the end of its memory stream as an error only when a
	 * read goes past it. */
	got = size;
	if (HPDF_ReadFromStream(c->doc, buf, &got) != HPDF_OK || got != size) {
		free(buf);
		HPDF_ResetError(c->doc);
		return pdf_fail(c, "cannot save the PDF: read %lu of %lu bytes back from libharu",
				(unsigned long)got, (unsigned long)size);
	}
	*out = buf;
	*outlen = size;
	return 0;
}

/* The temporary file beside out_path: "<dir>/.<base>.XXXXXX", created 0600.
 * Returns its path (caller frees) or NULL with the error recorded. */
static char *make_temp(pdf_ctx *c, const char *out_path)
{
	const char *slash = strrchr(out_path, '/');
	size_t dirlen = slash ? (size_t)(slash - out_path) + 1 : 0;
	const char *base = out_path + dirlen;
	size_t n = dirlen + 1 + strlen(base) + 8 + 1;
	char *tmp = malloc(n);
	int fd;

	if (tmp == NULL) {
		pdf_fail(c, "out of memory");
		return NULL;
	}
	snprintf(tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, out_path, base);
	fd = mkstemp(tmp);
	if (fd < 0) {
		pdf_fail(c, "cannot create a temporary file beside '%s': %s", out_path,
			 strerror(errno));
		free(tmp);
		return NULL;
	}
	/* mkstemp gives 0600 already; say so, whatever the C library does */
	if (fchmod(fd, 0600) != 0) {
		pdf_fail(c, "cannot set the mode of '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	close(fd);
	return tmp;
}

/* Flush the finished temporary file to disk and rename it over out_path. */
static int commit(pdf_ctx *c, const char *tmp, const char *out_path)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return pdf_fail(c, "cannot write '%s': %s", out_path, strerror(e));
	}
	close(fd);
	if (rename(tmp, out_path) != 0)
		return pdf_fail(c, "cannot rename '%s' to '%s': %s", tmp, out_path,
				strerror(errno));
	return 0;
}

static int check_job(pdf_ctx *c, const pdf_packet_job *job, const char *out_path)
{
	if (job == NULL || job->r == NULL || job->r->tpl == NULL || out_path == NULL ||
	    *out_path == '\0')
		return pdf_fail(c, "invalid arguments");
	if (job->font_path == NULL)
		return pdf_fail(c, "no font given for the PDF");
	for (size_t i = 0; i < job->r->n_files; i++) {
		const checked_file *f = &job->r->files[i];
		if (f->material < 0 || (size_t)f->material >= job->r->tpl->n_materials)
			return pdf_fail(c, "file '%s' has no material", f->rel);
		/* read (it has a hash) but not kept: the check ran without keep_data */
		if (f->sha256[0] != '\0' && f->bytes > 0 && f->data == NULL)
			return pdf_fail(c, "no data kept for '%s': check the folder with keep_data", f->rel);
	}
	return 0;
}

int pdf_write_packet(const pdf_packet_job *job, const char *out_path, int cover_only, int *pages,
		     char *err, size_t errlen)
{
	pdf_ctx c;
	pdf_sources *src = NULL;
	uint8_t *haru = NULL;
	size_t haru_len = 0;
	char *tmp = NULL;
	int cover_pages = 0, total, ret = -1;
	char why[512];

	memset(&c, 0, sizeof c);
	c.err = err;
	c.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (pages != NULL)
		*pages = 0;
	if (check_job(&c, job, out_path) != 0)
		return -1;
	c.job = job;
	c.r = job->r;

	if (!cover_only) {
		if (pdf_sources_open(&c, &src) != 0)
			goto cleanup;
		c.src = src;
	}

	c.doc = HPDF_New(on_hpdf_error, &c);
	if (c.doc == NULL) {
		pdf_fail(&c, "out of memory");
		goto cleanup;
	}
	/* Flate for content, fonts and the decoded PNGs; JPEGs keep their
	 * DCTDecode stream as it is (libharu never re-filters those). */
	if (HPDF_SetCompressionMode(c.doc, HPDF_COMP_ALL) != HPDF_OK) {
		pdf_hpdf_check(&c, "setting up");
		goto cleanup;
	}
	if (pdf_font_load(c.doc, job->font_path, job->font_index, &c.font, why, sizeof why) != 0) {
		pdf_fail(&c, "%s", why);
		goto cleanup;
	}
	c.hfont = pdf_font_handle(c.font);
	c.ascent = (float)HPDF_Font_GetAscent(c.hfont) / 1000.0f;
	if (c.ascent <= 0.1f || c.ascent > 1.5f)
		c.ascent = 0.8f;

	if (cover_render(&c, 0, &cover_pages) != 0)
		goto cleanup;
	total = cover_pages;
	if (!cover_only)
		for (size_t i = 0; i < c.r->n_files; i++)
			total += pdf_sources_pages(src, c.r, i);
	c.total_pages = total;
	c.page_no = 0;
	if (cover_render(&c, 1, &cover_pages) != 0)
		goto cleanup;
	if (!cover_only)
		for (size_t i = 0; i < c.r->n_files; i++) {
			const checked_file *f = &c.r->files[i];
			if (!pdf_file_included(f))
				continue;
			if (!pdf_file_is_image(f))
				c.page_no += pdf_sources_pages(src, c.r, i); /* go in later, in place */
			else if (image_page(&c, f) != 0)
				goto cleanup;
		}
	if (pdf_hpdf_check(&c, "drawing") != 0)
		goto cleanup;
	/* After the last text, before saving (see pdf/font.h). */
	if (pdf_font_fix_subset(c.font) < 0) {
		pdf_fail(&c, "out of memory");
		goto cleanup;
	}
	if (save_to_memory(&c, &haru, &haru_len) != 0)
		goto cleanup;
	/* The document's memory goes before qpdf makes its copies. */
	HPDF_Free(c.doc);
	c.doc = NULL;

	tmp = make_temp(&c, out_path);
	if (tmp == NULL)
		goto cleanup;
	if (pdf_merge_write(&c, haru, haru_len, cover_pages, src, cover_only, tmp) != 0)
		goto cleanup;
	if (commit(&c, tmp, out_path) != 0)
		goto cleanup;
	free(tmp);
	tmp = NULL;
	if (pages != NULL)
		*pages = total;
	ret = 0;
cleanup:
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(haru);
	if (c.doc != NULL)
		HPDF_Free(c.doc);
	pdf_font_free(c.font);
	pdf_sources_free(src);
	if (ret != 0 && !c.failed)
		pdf_fail(&c, "cannot build the PDF");
	return ret;
}
