/*
 * pdf_thumb: thumbnails of a PDF's pages for report.html, rendered by
 * poppler (poppler-glib and cairo).
 *
 * poppler is loaded the first time a PDF page is rendered (dlopen), not when
 * licpack starts: it brings glib, cairo and some twenty more libraries that
 * the loader would otherwise map at every start, as packet/qpdf_lazy.c
 * explains for libqpdf. Without the library, pdf_thumbs() makes nothing and
 * the report shows placeholders.
 */
#ifndef LICPACK_PDF_THUMB_H
#define LICPACK_PDF_THUMB_H

#include <stddef.h>
#include <stdint.h>

#include "packet/report_html.h"
#include "packet/thumb.h"

/* Thumbnails of the first max_pages pages of the PDF in data (out->n of
 * them; a page that cannot be rendered is a placeholder), out->more the
 * pages beyond; each marked with mark when it is not NULL. n_pages is the
 * document's page count when known (the probe's), else 0: when it is known
 * and every page shown is a scan, poppler is not loaded at all. Returns 0,
 * or -1 when the document cannot be opened or poppler is not installed
 * (out then holds nothing). */
int pdf_thumbs(const uint8_t *data, size_t len, int n_pages, int max_pages, const thumb_mark *mark,
	       html_thumbs *out);

/* Page `page` (0-based) of the PDF in data rendered at dpi, its long edge
 * no more than max_edge pixels (0: no limit), into *img (the caller frees
 * img->px); *page_mm its long edge in millimetres. For the upload folder.
 * Returns 0, or -1 when it cannot be opened or rendered, or poppler is not
 * installed. */
int pdf_page_render(const uint8_t *data, size_t len, int page, double dpi, uint32_t max_edge, thumb_rgb *img,
		    double *page_mm);

#endif
