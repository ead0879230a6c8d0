/*
 * probe_pdf: whether a PDF opens, how many pages it has, and its page size.
 *
 * PDF structure is left to qpdf (through its C API), which repairs what it
 * can the way viewers do: a file it opens only with warnings (a broken xref
 * table, a missing trailer it had to reconstruct) is reported as repaired, a
 * file it cannot open or that has no pages as corrupt, one that needs a
 * password as encrypted. qpdf tries the empty user password itself, so a
 * file that merely restricts printing or editing opens normally. Streams are
 * not decoded: this reads the structure, not the content.
 */
#include <math.h>
#include <qpdf/qpdf-c.h>

#include "packet/probe.h"
#include "packet/probe_internal.h"
#include "packet/qpdf_lazy.h"

/* Page-tree levels searched for an inherited MediaBox; qpdf has already
 * rejected loops, and real files have a handful of levels. */
enum { MAX_PAGE_TREE_DEPTH = 64 };

/* PDF's largest page side is 14400 units (200 in); UserUnit aside, anything
 * far beyond is a damaged number, not a page. */
#define MAX_PAGE_SIDE 1e6

/* First page's MediaBox (own or inherited), in points, as stored. Left at 0
 * when absent or unreadable: the page count is what matters. */
static void first_page_size(qpdf_data q, file_info *out)
{
	qpdf_oh node = qpdf_get_page_n(q, 0);
	for (int depth = 0; depth < MAX_PAGE_TREE_DEPTH && qpdf_oh_is_dictionary(q, node);
	     depth++) {
		if (qpdf_oh_has_key(q, node, "/MediaBox")) {
			qpdf_oh box = qpdf_oh_get_key(q, node, "/MediaBox");
			double v[4];
			if (!qpdf_oh_is_array(q, box) || qpdf_oh_get_array_n_items(q, box) != 4)
				return;
			for (int i = 0; i < 4; i++) {
				qpdf_oh item = qpdf_oh_get_array_item(q, box, i);
				if (!qpdf_oh_get_value_as_number(q, item, &v[i]) || !isfinite(v[i]))
					return;
			}
			double w = fabs(v[2] - v[0]), h = fabs(v[3] - v[1]);
			if (w < MAX_PAGE_SIDE && h < MAX_PAGE_SIDE) {
				out->width = (uint32_t)lround(w);
				out->height = (uint32_t)lround(h);
			}
			return;
		}
		node = qpdf_oh_get_key(q, node, "/Parent");
	}
}

/* A logger that drops everything: library code never prints. */
static void silence(qpdf_data q)
{
	qpdflogger_handle log = qpdflogger_create();
	qpdflogger_set_info(log, qpdf_log_dest_discard, NULL, NULL);
	qpdflogger_set_warn(log, qpdf_log_dest_discard, NULL, NULL);
	qpdflogger_set_error(log, qpdf_log_dest_discard, NULL, NULL);
	qpdf_set_logger(q, log);
	qpdflogger_cleanup(&log);  /* the qpdf object holds its own reference */
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
}

probe_status probe_pdf(const uint8_t *data, size_t len, file_info *out)
{
	probe_status st = PROBE_OK;
	qpdf_data q;

	/* check.c turns this into an error of the tool, not of the file */
	if (qpdf_lazy_load(NULL, 0) != 0)
		return probe_fail(out, PROBE_CORRUPT, "no PDF reader: libqpdf cannot be loaded",
				  "无法读取 PDF：无法加载 libqpdf");
	q = qpdf_init();
	if (!q)
		return probe_fail(out, PROBE_CORRUPT, "out of memory reading PDF",
				  "读取 PDF 时内存不足");
	silence(q);

	QPDF_ERROR_CODE rc = qpdf_read_memory(q, "input", (const char *)data,
					      (unsigned long long)len, NULL);
	if (rc & QPDF_ERRORS) {
		qpdf_error e = qpdf_get_error(q);
		if (e && qpdf_get_error_code(q, e) == qpdf_e_password)
			st = probe_fail(out, PROBE_ENCRYPTED, "PDF is password-protected",
					"PDF 文件有密码保护");
		else
			st = probe_fail(out, PROBE_CORRUPT, "damaged PDF that cannot be opened",
					"PDF 文件已损坏，无法打开");
		goto cleanup;
	}

	/* The page tree is read lazily: this is where a broken one shows. */
	int pages = qpdf_get_num_pages(q);
	if (pages < 0 || qpdf_has_error(q)) {
		st = probe_fail(out, PROBE_CORRUPT, "PDF page tree cannot be read",
				"PDF 页面结构无法读取");
		goto cleanup;
	}
	if (pages == 0) {
		st = probe_fail(out, PROBE_CORRUPT, "PDF has no pages", "PDF 文件没有页面");
		goto cleanup;
	}
	out->pages = pages;
	first_page_size(q, out);
	if (qpdf_has_error(q)) {  /* a damaged page dictionary: size unknown */
		qpdf_get_error(q);
		out->width = out->height = 0;
	}
	if (qpdf_more_warnings(q))
		st = probe_fail(out, PROBE_REPAIRED, "damaged PDF (readable after repair)",
				"PDF 文件已损坏（修复后可读）");

cleanup:
	/* An error left unretrieved makes qpdf_cleanup() print "application
	 * did not handle error" through qpdf's default logger, not ours
	 * (qpdf 11.3); retrieving it clears it. */
	if (qpdf_has_error(q))
		qpdf_get_error(q);
	qpdf_cleanup(&q);
	return st;
}
