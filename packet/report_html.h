/*
 * report_html: a check_result as one self-contained HTML page (report.html).
 *
 * The page is what the text report says, laid out for looking at: the
 * applicant block, the overall status, one table row per material in
 * template order with a thumbnail of every page of every file beside its
 * findings (errors framed red, warnings amber), the unrecognised files, and
 * the findings with their codes linked to the explanation further down the
 * page. It is UTF-8 with lang="zh-CN", inline CSS, no script and no reference
 * to anything outside the file (thumbnails are data: URIs), so it can be
 * mailed or sent by WeChat and opened from the file system.
 *
 * Every text that comes from outside licpack (file names, packet.json values,
 * template texts) goes through html_escape(): no markup can be injected, and
 * what cannot be shown safely is shown visibly (see html_escape).
 *
 * The thumbnails are made elsewhere (packet/thumb.c for images, pdf/ for
 * PDF pages) and handed in as JPEG bytes; this module only lays them out.
 */
#ifndef LICPACK_REPORT_HTML_H
#define LICPACK_REPORT_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "packet/check.h"
#include "packet/report.h"

/* One page's thumbnail: JPEG bytes, or jpeg == NULL when it could not be
 * made (the page shows a placeholder). */
typedef struct {
	uint8_t *jpeg;
	size_t len;
	unsigned width, height;
} html_thumb;

/* A file's thumbnails, one per page shown; more: pages left out beyond the
 * cap ("+N pages"). n == 0 and more == 0: nothing to show (a placeholder). */
typedef struct {
	html_thumb *pages;
	size_t n;
	int more;
} html_thumbs;

void html_thumbs_release(html_thumbs *t);

typedef struct {
	const char *dir;                    /* the folder, as the user named it */
	lp_lang lang;                       /* of the labels and messages */
	long today;                         /* days since 1970-01-01: the report's date */
	const html_thumbs *files;           /* one per r->files; NULL: no thumbnails */
	const html_thumbs *unrecognized;    /* one per r->unrecognized; NULL: none */
} report_html_opts;

/* The page. Caller frees; NULL when out of memory. */
char *report_html(const check_result *r, const report_html_opts *o);

/* s as HTML text, safe inside an element and inside a quoted attribute:
 * & < > " ' as character references; invalid UTF-8 as U+FFFD; control
 * characters as their visible pictures (newline: ␊, U+240A); bidirectional
 * controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) as
 * "[U+202E]", so that a name cannot reorder the text around it. NULL is "".
 * Caller frees; NULL when out of memory. */
char *html_escape(const char *s);

/* Writes html_escape(s) to f. Returns 0, or -1 when out of memory. */
int html_put(FILE *f, const char *s);

/* s as a relative URL path: bytes other than unreserved ASCII and '/'
 * percent-encoded (so "#", "?", ":" and quotes never leave the path).
 * Caller frees; NULL when out of memory. */
char *html_url_path(const char *s);

/* The CSS the report and the batch index share. */
extern const char html_style[];

#endif
