/*
 * index_html: a batch's index.html, made from its summary.json.
 *
 * One table of every applicant (company, folder, status, errors, warnings,
 * missing materials, links to its report.html and its packet), the counts
 * at the top. Complete without script; a small inline script sorts by a
 * column (click its heading) and filters the rows (a box above the table),
 * and takes both from the page's address too, "index.html#sort=errors&
 * order=desc&q=incomplete", so that a link (or a test) can open it sorted
 * and filtered. Nothing outside the file is referenced; the links are
 * relative, so the folder works when opened from the file system, moved,
 * or made by batch-merge from the shards' summaries.
 */
#ifndef LICPACK_INDEX_HTML_H
#define LICPACK_INDEX_HTML_H

#include <stddef.h>

#include "packet/error.h"
#include "packet/report.h"

/* The page for the summary JSON text (summary.json as summary.h writes
 * it). Returns the page (caller frees), or NULL with err filled when the
 * text is not a summary or memory runs out. */
char *index_html(const char *summary_json, size_t len, lp_lang lang, lp_err *err);

#endif
