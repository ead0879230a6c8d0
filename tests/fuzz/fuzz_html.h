/*
 * fuzz_html: report.html's handling of untrusted bytes — html_escape() on
 * any text, and a thumbnail of any image (packet/thumb.c).
 *
 * The input, NUL-terminated, is escaped: the result must be valid UTF-8 and
 * hold none of < > " ' and no & that does not start one of the references
 * html_escape writes, and no C0 control or bidirectional override. The
 * same bytes are probed; when they are a JPEG or PNG that probes OK within
 * a small pixel limit, a thumbnail is made (upright by an orientation taken
 * from the last byte): it must be a JPEG of at most THUMB_EDGE pixels on
 * each side, or an error with no bytes. A JPEG's thumbnail is also made as
 * a check with thumbnails makes it, from the rows of the probe's decode
 * (thumb_acc): the same must hold of it. The probe's rows also go whole
 * to a thumb_keep beside the thumbnail (an ID card side's picture, for the
 * upload's ID page): taken from a whole JPEG only, at most its size. And
 * the image is fitted as an upload copy (fit_image, 20 000 bytes and 256
 * pixels at most; an upright PNG from its rows, as the check and the build
 * fit it): a JPEG within the limit, or an error with no bytes.
 *
 * The harness is a header so that a unit test can replay inputs through
 * this very code; fuzz_html.c is libFuzzer's entry point.
 */
#ifndef LICPACK_FUZZ_HTML_H
#define LICPACK_FUZZ_HTML_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/imageio.h"
#include "packet/normalise.h"
#include "packet/probe.h"
#include "packet/report_html.h"
#include "packet/thumb.h"
#include "packet/upload_fit.h"
#include "tests/fuzz/fuzz_text.h"

static void fuzz_html_check_escape(const char *s)
{
	char *e = html_escape(s);
	size_t i, n = fuzz_clean_text(e);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)e[i];
		if (c == '<' || c == '>' || c == '"' || c == '\'')
			abort();
		if (c == '&' && strncmp(e + i, "&amp;", 5) != 0 && strncmp(e + i, "&lt;", 4) != 0 &&
		    strncmp(e + i, "&gt;", 4) != 0 && strncmp(e + i, "&quot;", 6) != 0 && strncmp(e + i, "&#39;", 5) != 0)
			abort();
	}
	if (strstr(e, "\xE2\x80\xAE") || strstr(e, "\xE2\x80\xAB") || strstr(e, "\xE2\x81\xA6"))
		abort();
	free(e);
}

/* t is a thumbnail (ret 0) or nothing (ret -1), as thumb.h says. */
static void fuzz_html_check_thumb(int ret, html_thumb *t)
{
	if (ret == 0) {
		if (!t->jpeg || t->len < 4 || t->jpeg[0] != 0xFF || t->jpeg[1] != 0xD8 || t->width < 1 ||
		    t->height < 1 || t->width > THUMB_EDGE || t->height > THUMB_EDGE)
			abort();
		free(t->jpeg);
	} else if (t->jpeg) {
		abort();
	}
}

static int fuzz_html_one(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	probe_limits lim = { 4000000, 0 };
	file_info fi;
	html_thumb t;
	thumb_acc acc;
	thumb_keep keep;
	thumb_tee tee;
	probe_rows rows, keep_rows;
	thumb_rgb pic = { NULL, 0, 0 }, whole;
	lp_err err;
	int orientation = size ? data[size - 1] % 9 : 1;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_html_check_escape(s);
	free(s);
	/* as a check with thumbnails probes: the picture gathered from the
	 * probe's own decode, whole only for a whole file */
	thumb_acc_init(&acc);
	keep_rows = thumb_keep_rows(&keep);
	rows = thumb_tee_rows(&tee, thumb_acc_rows(&acc), keep_rows);
	if (probe_buffer_rows(data, size, &lim, &rows, &fi) == PROBE_OK && thumb_acc_take(&acc, &pic) == 0) {
		if (fi.format != FMT_JPEG || pic.w < 1 || pic.h < 1 || pic.w > THUMB_EDGE || pic.h > THUMB_EDGE)
			abort();
		fuzz_html_check_thumb(thumb_from_rgb(&pic, orientation, NULL, &t, &err), &t);
	}
	/* taken, as the check takes it, from a whole file only (every row may
	 * come before damage further on is found) */
	if (fi.status == PROBE_OK && thumb_keep_take(&keep, &whole) == 0) {
		if (fi.format != FMT_JPEG || whole.w < 1 || whole.h < 1 || whole.w > fi.width || whole.h > fi.height)
			abort();
		free(whole.px);
	}
	free(pic.px);
	thumb_acc_release(&acc);
	thumb_keep_release(&keep);
	if (fi.status != PROBE_OK || (fi.format != FMT_JPEG && fi.format != FMT_PNG))
		return 0;
	fuzz_html_check_thumb(thumb_from_image(data, size, fi.format, orientation, NULL, &t, &err), &t);
	{
		fit_limits fl = { .max_bytes = 20000, .max_long_edge = 256, .page_mm = 297.0 };
		fit_out fo;
		int r = fit_image(data, size, fi.format, orientation, &fl, &fo, &err);
		if ((r == FIT_OK) != (fo.jpeg != NULL) || (r == FIT_OK && (fo.len > 20000 || fo.len < 4)))
			abort();
		free(fo.jpeg);
	}
	return 0;
}

#endif
