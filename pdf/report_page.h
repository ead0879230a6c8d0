/*
 * report_page: report.html for a check, thumbnails and all.
 *
 * html_report_make() makes a thumbnail of every page of every file (images
 * through packet/thumb.c; PDF pages rendered by poppler, up to
 * REPORT_PDF_PAGES a file, "+N pages" beyond), with the purpose watermark
 * drawn into the thumbnails of the materials that bear it (ID cards) and of
 * the unrecognised files (they may be ID cards too), and hands them to
 * packet/report_html.c. It lives in pdf/ because only pdf/ may know PDF.
 * A file that cannot be decoded gets a placeholder (its finding is already
 * in the check); a thumbnail that would need a watermark when no font can
 * be found is left out the same way.
 */
#ifndef LICPACK_REPORT_PAGE_H
#define LICPACK_REPORT_PAGE_H

#include "packet/check.h"
#include "packet/report.h"

/* Pages of a PDF material shown as thumbnails; the rest are counted. */
#define REPORT_PDF_PAGES 4

typedef struct {
	const char *dir;        /* the folder as the user named it */
	lp_lang lang;
	long today;
	int thumbnails;         /* 0: --no-thumbnails */
	const char *font_path;  /* for the watermark; NULL: found with fontconfig when needed */
	int font_index;
	int threads;            /* thumbnails made at once; 0: online CPUs (at most CHECK_MAX_THREADS) */
} report_page_opts;

/* The page (report_html). Caller frees; NULL when out of memory. */
char *html_report_make(const check_result *r, const report_page_opts *o);

#endif
