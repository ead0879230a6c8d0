/*
 * pdf_page_jpeg: the JPEG a scanned PDF page is.
 *
 * A scanner's or phone app's PDF page is usually one JPEG image drawn over
 * the whole page and nothing else. For such a page the JPEG itself is the
 * page's picture: report.html's thumbnail decodes it at 1/8 scale (as for
 * a JPEG file) and the upload folder takes its bytes, where poppler would
 * decode the whole image and draw it again. Measured on the sample's
 * 2-page, 300-dpi PDF: poppler (cairo) took 0.33 s to draw both pages as
 * thumbnails, most of a `batch --check-only` applicant's 0.55 s.
 *
 * Only what draws exactly that is taken: content made of q, Q, one cm and
 * one Do; the image a lone-DCTDecode RGB or grey image without mask, decode
 * array or soft mask; drawn unrotated over the MediaBox (within 2 %); no
 * CropBox narrower than it, no /Rotate, no annotations. Anything else is
 * left to poppler.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <qpdf/qpdf-c.h>

#include "packet/probe.h"
#include "packet/probe_internal.h"
#include "packet/qpdf_lazy.h"

/* Content streams longer than this are not one image's drawing. */
enum { MAX_SIMPLE_CONTENT = 4096 };

typedef struct {
	double m[6];  /* the one cm's operands */
	int cms, dos;
	char name[128];  /* the Do's operand, with its slash */
} page_ops;

static int is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

/* Reads the content: 1 when it is only q, Q, one cm (six numbers) and one
 * Do (a name), in any nesting of q/Q; 0 otherwise. */
static int read_ops(const char *s, size_t n, page_ops *ops)
{
	double nums[6];
	int nnum = 0, have_name = 0;
	size_t i = 0;

	memset(ops, 0, sizeof *ops);
	while (i < n) {
		if (is_space(s[i])) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && !is_space(s[j]) && !strchr("/[]<>()%", s[j]))
			j++;
		size_t tl = j - i;
		if (s[i] == '/') {
			if (have_name || nnum || tl >= sizeof ops->name)
				return 0;
			memcpy(ops->name, s + i, tl);
			ops->name[tl] = 0;
			have_name = 1;
		} else if (strchr("+-.0123456789", s[i])) {
			char num[32], *end;
			if (nnum == 6 || have_name || tl >= sizeof num)
				return 0;
			memcpy(num, s + i, tl);
			num[tl] = 0;
			nums[nnum++] = strtod(num, &end);
			if (*end || !isfinite(nums[nnum - 1]))
				return 0;
		} else if (tl == 1 && (s[i] == 'q' || s[i] == 'Q')) {
			if (nnum || have_name)
				return 0;
		} else if (tl == 2 && !memcmp(s + i, "cm", 2)) {
			if (nnum != 6 || have_name || ops->cms++ || ops->dos)
				return 0;
			memcpy(ops->m, nums, sizeof nums);
			nnum = 0;
		} else if (tl == 2 && !memcmp(s + i, "Do", 2)) {
			if (!have_name || nnum || ops->dos++)
				return 0;
			have_name = 0;
		} else {
			return 0;  /* any other operator, string, array, comment */
		}
		i = j;
	}
	return ops->cms == 1 && ops->dos == 1 && !nnum && !have_name;
}

/* The page's box (x0 y0 x1 y1) under key; 0 when absent or not 4 numbers. */
static int page_box(qpdf_data q, qpdf_oh page, const char *key, double box[4])
{
	qpdf_oh a = qpdf_oh_get_key(q, page, key);
	if (!qpdf_oh_is_array(q, a) || qpdf_oh_get_array_n_items(q, a) != 4)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!qpdf_oh_get_value_as_number(q, qpdf_oh_get_array_item(q, a, i), &box[i]) ||
		    !isfinite(box[i]))
			return 0;
	return 1;
}

static int near(double a, double b, double scale)
{
	return fabs(a - b) <= 0.02 * scale;
}

/* 1 when the image dictionary is one the JPEG alone shows: a lone
 * DCTDecode, RGB or grey (by name or ICC profile of 1 or 3 components), no
 * masks, no decode array. */
static int plain_jpeg_image(qpdf_data q, qpdf_oh d)
{
	static const char *const refused[] = { "/SMask", "/Mask", "/Decode", "/ImageMask", "/SMaskInData" };
	qpdf_oh cs = qpdf_oh_get_key(q, d, "/ColorSpace");

	if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Subtype"), "/Image"))
		return 0;
	if (probe_pdf_dct_filter(q, d) != 1)
		return 0;
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (qpdf_oh_has_key(q, d, refused[i]))
			return 0;
	if (qpdf_oh_is_name_and_equals(q, cs, "/DeviceRGB") || qpdf_oh_is_name_and_equals(q, cs, "/DeviceGray"))
		return 1;
	if (qpdf_oh_is_array(q, cs) && qpdf_oh_get_array_n_items(q, cs) == 2 &&
	    qpdf_oh_is_name_and_equals(q, qpdf_oh_get_array_item(q, cs, 0), "/ICCBased")) {
		qpdf_oh icc = qpdf_oh_get_array_item(q, cs, 1);
		if (qpdf_oh_is_stream(q, icc)) {
			int n = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, icc), "/N"));
			return n == 1 || n == 3;
		}
	}
	return 0;
}

/* The JPEG of the page, or 0 (see the top of the file). */
static int sole_jpeg(qpdf_data q, int index, pdf_jpeg_page *out)
{
	qpdf_oh page = qpdf_get_page_n(q, (size_t)index);
	double mb[4], cb[4];
	unsigned char *content = NULL, *buf = NULL;
	size_t clen = 0, blen = 0;
	page_ops ops;
	int ok = 0;

	if (!qpdf_oh_is_dictionary(q, page) || !page_box(q, page, "/MediaBox", mb))
		return 0;
	double w = fabs(mb[2] - mb[0]), h = fabs(mb[3] - mb[1]);
	if (!(w > 0 && h > 0))
		return 0;
	if (page_box(q, page, "/CropBox", cb) &&
	    !(near(cb[0], mb[0], w) && near(cb[1], mb[1], h) && near(cb[2], mb[2], w) && near(cb[3], mb[3], h)))
		return 0;
	if (qpdf_oh_has_key(q, page, "/Rotate") &&
	    qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, page, "/Rotate")) % 360 != 0)
		return 0;
	qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
	if (qpdf_oh_is_array(q, annots) && qpdf_oh_get_array_n_items(q, annots) > 0)
		return 0;
	if (qpdf_oh_get_page_content_data(q, page, &content, &clen) & QPDF_ERRORS) {
		qpdf_get_error(q);
		goto cleanup;
	}
	if (!content || clen > MAX_SIMPLE_CONTENT || !read_ops((const char *)content, clen, &ops))
		goto cleanup;
	const double *m = ops.m;
	if (m[1] != 0 || m[2] != 0 || !near(m[0], w, w) || !near(m[3], h, h) ||
	    !near(m[4], fmin(mb[0], mb[2]), w) || !near(m[5], fmin(mb[1], mb[3]), h))
		goto cleanup;
	qpdf_oh xo = qpdf_oh_get_key(q, qpdf_oh_get_key(q, page, "/Resources"), "/XObject");
	qpdf_oh img = qpdf_oh_get_key(q, xo, ops.name);
	if (!qpdf_oh_is_stream(q, img) || !plain_jpeg_image(q, qpdf_oh_get_dict(q, img)))
		goto cleanup;
	if (qpdf_oh_get_stream_data(q, img, qpdf_dl_none, NULL, &buf, &blen) & QPDF_ERRORS) {
		qpdf_get_error(q);
		goto cleanup;
	}
	if (buf && blen) {
		out->jpeg = buf;
		out->len = blen;
		out->long_mm = (w > h ? w : h) * 25.4 / 72;
		buf = NULL;
		ok = 1;
	}
cleanup:
	free(content);
	free(buf);
	return ok;
}

int pdf_page_jpegs(const uint8_t *data, size_t len, int first, int count, pdf_jpeg_page *pages)
{
	qpdf_data q;
	int n = 0;

	if (count <= 0)
		return 0;
	memset(pages, 0, sizeof *pages * (size_t)count);
	if (first < 0 || qpdf_lazy_load(NULL) != 0 || !(q = qpdf_init()))
		return 0;
	probe_pdf_silence(q);
	if (qpdf_read_memory(q, "input", (const char *)data, (unsigned long long)len, NULL) & QPDF_ERRORS ||
	    qpdf_push_inherited_attributes_to_page(q) & QPDF_ERRORS) {
		qpdf_get_error(q);
		qpdf_cleanup(&q);
		return 0;
	}
	int total = qpdf_get_num_pages(q);
	for (int i = 0; i < count && first + i < total; i++) {
		n += sole_jpeg(q, first + i, &pages[i]);
		qpdf_oh_release_all(q);
	}
	while (qpdf_more_warnings(q))
		qpdf_next_warning(q);
	if (qpdf_has_error(q))
		qpdf_get_error(q);
	qpdf_cleanup(&q);
	return n;
}
