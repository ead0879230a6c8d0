/*
 * merge: the last step of the packet PDF — bookmarks, document info, the
 * PDF materials' own pages — and the write, on one of two routes.
 *
 * With PDF materials, on qpdf's C API: libharu's document (the cover and
 * the image pages, saved to a temporary file) is read back by qpdf, which
 * inserts each PDF material's own pages where the material stands in the
 * packet order (copying them, with what they use, from the material's own
 * qpdf object), adds one bookmark per material with pages and the document
 * info, and writes the file: deterministic /ID, no object streams, and
 * stream data left as it is (so JPEGs keep their exact bytes and nothing is
 * compressed twice). qpdf is told to keep quiet: errors are read back and
 * returned, warnings are dropped.
 *
 * Without PDF materials (and always for the cover alone) there is nothing
 * to merge, and qpdf's parse and rewrite of the whole file would be the
 * build's most expensive step after the check (make bench measures it):
 * pdf_direct_finish() adds the same bookmarks, the same info and an /ID to
 * libharu's document, which libharu then writes straight to the file.
 * Both routes take the bookmarks from outline_marks(), so they agree.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <qpdf/qpdf-c.h>

#include "packet/qpdf_lazy.h"
#include "pdf/internal.h"

struct pdf_sources {
	size_t n;          /* = r->n_files */
	qpdf_data *q;      /* per file: the opened PDF, or NULL */
	int *pages;        /* per file: its page count */
	lp_buffer *bytes;  /* per file: its bytes read again, when the check did not
			      keep them (qpdf reads them until the write) */
};

/* A qpdf_data that reports, never prints. */
static qpdf_data quiet_qpdf(void)
{
	qpdf_data q = qpdf_init();

	if (q != NULL) {
		qpdf_silence_errors(q);
		qpdf_set_suppress_warnings(q, QPDF_TRUE);
	}
	return q;
}

/* Record code (with its arguments a1, a2, which may be NULL) around
 * qpdf's error text, or, lacking one, "qpdf failed"; return -1. */
static int qpdf_fail(pdf_ctx *c, qpdf_data q, lp_errcode code, const char *a1, const char *a2)
{
	lp_err inner;

	if (q != NULL && qpdf_has_error(q))
		lp_fail(&inner, LP_E_PDF_QPDF, qpdf_get_error_full_text(q, qpdf_get_error(q)));
	else
		lp_fail(&inner, LP_E_PDF_QPDF_FAILED);
	return pdf_fail_in(c, code, &inner, a1, a2);
}

int pdf_sources_open(pdf_ctx *c, pdf_sources **out)
{
	const check_result *r = c->r;
	pdf_sources *s = calloc(1, sizeof *s);

	*out = NULL;
	if (s == NULL)
		return pdf_fail(c, LP_E_NOMEM);
	s->n = r->n_files;
	s->q = calloc(r->n_files + 1, sizeof *s->q);
	s->pages = calloc(r->n_files + 1, sizeof *s->pages);
	s->bytes = calloc(r->n_files + 1, sizeof *s->bytes);
	if (s->q == NULL || s->pages == NULL || s->bytes == NULL) {
		pdf_sources_free(s);
		return pdf_fail(c, LP_E_NOMEM);
	}
	for (size_t i = 0; i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		const uint8_t *data;
		size_t len;
		lp_err why;
		int n;

		if (!pdf_file_included(f) || f->info.format != FMT_PDF || !pdf_in_volume(c, i))
			continue;
		if (qpdf_lazy_load(&why) != 0) {
			pdf_sources_free(s);
			return pdf_fail_in(c, LP_E_PDF_INCLUDE, &why, f->rel);
		}
		/* the bytes the check hashed: kept, or read again (into a
		 * buffer of this file's, since qpdf reads them until the write) */
		if (check_file_bytes(r, i, &s->bytes[i], &data, &len, &why) != 0) {
			pdf_sources_free(s);
			return pdf_fail_err(c, &why);
		}
		s->q[i] = quiet_qpdf();
		if (s->q[i] == NULL) {
			pdf_sources_free(s);
			return pdf_fail(c, LP_E_NOMEM);
		}
		if ((qpdf_read_memory(s->q[i], f->rel, (const char *)data, len, "") &
		     QPDF_ERRORS) ||
		    (qpdf_push_inherited_attributes_to_page(s->q[i]) & QPDF_ERRORS)) {
			qpdf_fail(c, s->q[i], LP_E_PDF_INCLUDE, f->rel, NULL);
			pdf_sources_free(s);
			return -1;
		}
		n = qpdf_get_num_pages(s->q[i]);
		if (n < 0 || qpdf_has_error(s->q[i])) {
			qpdf_fail(c, s->q[i], LP_E_PDF_INCLUDE, f->rel, NULL);
			pdf_sources_free(s);
			return -1;
		}
		s->pages[i] = n;
	}
	*out = s;
	return 0;
}

int pdf_sources_pages(const pdf_sources *s, const check_result *r, size_t i)
{
	const checked_file *f = &r->files[i];

	if (!pdf_file_included(f))
		return 0;
	if (f->info.format != FMT_PDF)
		return 1;
	if (s != NULL && i < s->n && s->q[i] != NULL)
		return s->pages[i];
	return f->info.pages > 0 ? f->info.pages : 0;
}

void pdf_sources_free(pdf_sources *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; s->q != NULL && i < s->n; i++)
		if (s->q[i] != NULL)
			qpdf_cleanup(&s->q[i]);
	for (size_t i = 0; s->bytes != NULL && i < s->n; i++)
		free(s->bytes[i].data);
	free(s->q);
	free(s->pages);
	free(s->bytes);
	free(s);
}

/* ---- versions ---- */

typedef struct {
	int major, minor, ext;
} pdf_version;

static pdf_version version_of(qpdf_data q)
{
	pdf_version v = { 1, 3, 0 };
	const char *s = qpdf_get_pdf_version(q);

	if (s == NULL || sscanf(s, "%d.%d", &v.major, &v.minor) != 2)
		v.major = 1, v.minor = 3;
	v.ext = qpdf_get_pdf_extension_level(q);
	return v;
}

static int version_cmp(pdf_version a, pdf_version b)
{
	if (a.major != b.major)
		return a.major < b.major ? -1 : 1;
	if (a.minor != b.minor)
		return a.minor < b.minor ? -1 : 1;
	return a.ext < b.ext ? -1 : a.ext > b.ext;
}

/* ---- outline and info ---- */

typedef struct {
	char title[512];
	int page;          /* 0-based index in the output */
} mark;

/* The bookmarks: the cover, then one per material with pages, at its first
 * page. *marks (caller frees) has room for one per material and the cover.
 * Returns the number of marks, or -1 (out of memory, recorded). */
static long outline_marks(pdf_ctx *c, const pdf_sources *s, int cover_pages, int cover_only,
			  mark **marks)
{
	const check_result *r = c->r;
	int pos = cover_pages - 1, last_material = -1;
	long n = 0;
	mark *m = calloc(r->tpl->n_materials + 1, sizeof *m);

	*marks = m;
	if (m == NULL)
		return pdf_fail(c, LP_E_NOMEM);
	snprintf(m[n].title, sizeof m[n].title, "封面 Cover");
	m[n++].page = 0;
	for (size_t i = 0; !cover_only && i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		long partner = pdf_id_partner(c, i);
		int pages = pdf_sources_pages(s, r, i);

		if (!pdf_in_volume(c, i))
			continue;
		if (partner >= 0 && (size_t)partner < i) {
			/* an emblem side on its portrait's page: its bookmark goes there */
			pages = 0;
			if (f->material != last_material) {
				char t[400];
				pdf_text_clean(t, sizeof t, r->tpl->materials[f->material].title.zh);
				snprintf(m[n].title, sizeof m[n].title, "%02d %s", f->material + 1, t);
				m[n++].page = pos;
				last_material = f->material;
			}
		}
		if (pages == 0)
			continue;
		if (f->material != last_material) {
			char t[400];
			pdf_text_clean(t, sizeof t, r->tpl->materials[f->material].title.zh);
			snprintf(m[n].title, sizeof m[n].title, "%02d %s", f->material + 1, t);
			m[n++].page = pos + 1;
			last_material = f->material;
		}
		pos += pages;
	}
	return n;
}

static int add_outline(pdf_ctx *c, qpdf_data out, const mark *marks, size_t n)
{
	qpdf_oh root = qpdf_get_root(out), outlines, *items;

	if (n == 0)
		return 0;
	items = calloc(n, sizeof *items);
	if (items == NULL)
		return pdf_fail(c, LP_E_NOMEM);
	outlines = qpdf_make_indirect_object(out, qpdf_oh_new_dictionary(out));
	for (size_t i = 0; i < n; i++)
		items[i] = qpdf_make_indirect_object(out, qpdf_oh_new_dictionary(out));
	for (size_t i = 0; i < n; i++) {
		qpdf_oh dest = qpdf_oh_new_array(out);

		qpdf_oh_append_item(out, dest, qpdf_get_page_n(out, (size_t)marks[i].page));
		qpdf_oh_append_item(out, dest, qpdf_oh_new_name(out, "/Fit"));
		qpdf_oh_replace_key(out, items[i], "/Title",
				    qpdf_oh_new_unicode_string(out, marks[i].title));
		qpdf_oh_replace_key(out, items[i], "/Parent", outlines);
		qpdf_oh_replace_key(out, items[i], "/Dest", dest);
		if (i > 0)
			qpdf_oh_replace_key(out, items[i], "/Prev", items[i - 1]);
		if (i + 1 < n)
			qpdf_oh_replace_key(out, items[i], "/Next", items[i + 1]);
	}
	qpdf_oh_replace_key(out, outlines, "/Type", qpdf_oh_new_name(out, "/Outlines"));
	qpdf_oh_replace_key(out, outlines, "/First", items[0]);
	qpdf_oh_replace_key(out, outlines, "/Last", items[n - 1]);
	qpdf_oh_replace_key(out, outlines, "/Count", qpdf_oh_new_integer(out, (long long)n));
	qpdf_oh_replace_key(out, root, "/Outlines", outlines);
	qpdf_oh_replace_key(out, root, "/PageMode", qpdf_oh_new_name(out, "/UseOutlines"));
	free(items);
	return qpdf_has_error(out) ? qpdf_fail(c, out, LP_E_PDF_BOOKMARKS, NULL, NULL) : 0;
}

/* The document info's Title and Subject (clean UTF-8). */
static void info_texts(const pdf_ctx *c, char title[512], char subject[1100])
{
	const template *t = c->r->tpl;
	char clean[512];

	pdf_text_clean(clean, sizeof clean, t->title.zh ? t->title.zh : "");
	snprintf(subject, 1100, "%s / %s", clean, t->title.en ? t->title.en : "");
	pdf_text_clean(title, 512, c->job->title != NULL && *c->job->title ? c->job->title : subject);
}

/* /Info with Title, Subject and Producer, and no dates, so that the same
 * inputs give the same bytes. Replaces what libharu wrote. */
static int set_info(pdf_ctx *c, qpdf_data out)
{
	char title[512], subject[1100];
	qpdf_oh info = qpdf_make_indirect_object(out, qpdf_oh_new_dictionary(out));

	info_texts(c, title, subject);
	qpdf_oh_replace_key(out, info, "/Title", qpdf_oh_new_unicode_string(out, title));
	qpdf_oh_replace_key(out, info, "/Subject", qpdf_oh_new_unicode_string(out, subject));
	qpdf_oh_replace_key(out, info, "/Producer", qpdf_oh_new_unicode_string(out, "licpack"));
	qpdf_oh_replace_key(out, qpdf_get_trailer(out), "/Info", info);
	return qpdf_has_error(out) ? qpdf_fail(c, out, LP_E_PDF_INFO, NULL, NULL) : 0;
}

/* ---- the direct route ---- */

int pdf_sources_any(const pdf_sources *s)
{
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (s->q[i] != NULL)
			return 1;
	return 0;
}

/* A PDF text string object for clean UTF-8 text, as qpdf makes them: the
 * bytes themselves when all are printable ASCII, else UTF-16BE after a
 * byte order mark (written in hex). NULL when out of memory. */
static void *text_object(HPDF_MMgr mm, const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n = strlen(utf8), k = 2;
	uint8_t *u;
	void *obj;
	int ascii = 1;

	for (size_t i = 0; i < n; i++)
		ascii &= s[i] >= 0x20 && s[i] < 0x7F;
	if (ascii)
		return HPDF_String_New(mm, utf8, NULL);
	u = malloc(2 + 4 * n); /* a 1-byte character takes 2, a 4-byte one 4 */
	if (u == NULL)
		return NULL;
	u[0] = 0xFE;
	u[1] = 0xFF;
	for (size_t i = 0; i < n;) {
		uint32_t cp = s[i], need = cp < 0x80 ? 0 : cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 9;
		if (need == 9 || n - i <= need) {
			cp = 0xFFFD; /* cannot happen with clean text */
			i++;
		} else {
			if (need > 0)
				cp &= 0x3Fu >> need;
			for (uint32_t j = 1; j <= need; j++)
				cp = cp << 6 | (s[i + j] & 0x3Fu);
			i += 1 + need;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			u[k++] = (uint8_t)(0xD8 | (cp >> 18));
			u[k++] = (uint8_t)(cp >> 10);
			u[k++] = (uint8_t)(0xDC | ((cp >> 8) & 3));
			u[k++] = (uint8_t)cp;
		} else {
			u[k++] = (uint8_t)(cp >> 8);
			u[k++] = (uint8_t)cp;
		}
	}
	obj = HPDF_Binary_New(mm, u, (HPDF_UINT)k);
	free(u);
	return obj;
}

/* Add an indirect dictionary to doc; NULL when libharu fails. */
static HPDF_Dict new_indirect(HPDF_Doc doc)
{
	HPDF_Dict d = HPDF_Dict_New(doc->mmgr);

	if (d == NULL || HPDF_Xref_Add(doc->xref, d) != HPDF_OK)
		return NULL; /* Xref_Add frees d when it fails */
	return d;
}

int pdf_direct_finish(pdf_ctx *c, int cover_pages, int cover_only)
{
	HPDF_Doc doc = c->doc;
	HPDF_MMgr mm = doc->mmgr;
	HPDF_STATUS st = HPDF_OK;
	HPDF_Dict info = doc->info, outlines = NULL, *items = NULL;
	mark *marks = NULL;
	long n = outline_marks(c, NULL, cover_pages, cover_only, &marks);
	char title[512], subject[1100];
	int ret = -1;

	if (n < 0)
		goto cleanup;
	if (!cover_only && n > 0) {
		items = calloc((size_t)n, sizeof *items);
		outlines = new_indirect(doc);
		if (items == NULL || outlines == NULL)
			goto fail;
		for (long i = 0; i < n; i++)
			if ((items[i] = new_indirect(doc)) == NULL)
				goto fail;
		for (long i = 0; i < n; i++) {
			HPDF_Array dest = HPDF_Array_New(mm);
			HPDF_Page page = (size_t)marks[i].page < doc->page_list->count
					 ? HPDF_List_ItemAt(doc->page_list, (HPDF_UINT)marks[i].page) : NULL;
			void *t = text_object(mm, marks[i].title);

			if (dest == NULL || page == NULL || t == NULL)
				goto fail;
			st |= HPDF_Array_Add(dest, page);
			st |= HPDF_Array_AddName(dest, "Fit");
			st |= HPDF_Dict_Add(items[i], "Title", t);
			st |= HPDF_Dict_Add(items[i], "Parent", outlines);
			st |= HPDF_Dict_Add(items[i], "Dest", dest);
			if (i > 0)
				st |= HPDF_Dict_Add(items[i], "Prev", items[i - 1]);
			if (i + 1 < n)
				st |= HPDF_Dict_Add(items[i], "Next", items[i + 1]);
		}
		st |= HPDF_Dict_AddName(outlines, "Type", "Outlines");
		st |= HPDF_Dict_Add(outlines, "First", items[0]);
		st |= HPDF_Dict_Add(outlines, "Last", items[n - 1]);
		st |= HPDF_Dict_AddNumber(outlines, "Count", (HPDF_INT32)n);
		st |= HPDF_Dict_Add(doc->catalog, "Outlines", outlines);
		st |= HPDF_Dict_AddName(doc->catalog, "PageMode", "UseOutlines");
	}
	/* libharu's info holds its own Producer; the rest is licpack's */
	if (info == NULL && (info = doc->info = new_indirect(doc)) == NULL)
		goto fail;
	if (HPDF_Dict_GetItem(info, "Producer", HPDF_OCLASS_STRING) != NULL)
		st |= HPDF_Dict_RemoveElement(info, "Producer");
	info_texts(c, title, subject);
	{
		void *t = text_object(mm, title), *s = text_object(mm, subject),
		     *p = text_object(mm, "licpack");
		if (t == NULL || s == NULL || p == NULL)
			goto fail;
		st |= HPDF_Dict_Add(info, "Title", t);
		st |= HPDF_Dict_Add(info, "Subject", s);
		st |= HPDF_Dict_Add(info, "Producer", p);
	}
	if (st != HPDF_OK)
		goto fail;
	ret = 0;
	goto cleanup;
fail:
	pdf_hpdf_check(c, LP_E_PDF_DRAW_BOOKMARKS, NULL);
	pdf_fail(c, LP_E_PDF_OUTLINE_INFO);
cleanup:
	free(items);
	free(marks);
	return ret;
}

/* ---- the merge ---- */

/* A content stream of out holding text. */
static qpdf_oh content_stream(qpdf_data out, const char *text)
{
	qpdf_oh s = qpdf_oh_new_stream(out);

	qpdf_oh_replace_stream_data(out, s, (const unsigned char *)text, strlen(text), qpdf_oh_new_null(out),
				    qpdf_oh_new_null(out));
	return s;
}

/* How a PDF material's page is shown: its visible box (the crop box within
 * the media box, each inherited from the page tree when the page has none;
 * A4 when neither is usable) and its /Rotate (0, 90, 180 or 270: the turn
 * clockwise a viewer gives it; anything else is shown unturned). */
typedef struct {
	double box[4]; /* llx lly urx ury */
	int rotate;
} page_view;

/* key of page in q, or of the nearest page tree node above it that has it
 * (a null object when none has). */
static qpdf_oh inherited_key(qpdf_data q, qpdf_oh page, const char *key)
{
	qpdf_oh node = page;

	for (int depth = 0; depth < 64 && qpdf_oh_is_dictionary(q, node); depth++) {
		if (qpdf_oh_has_key(q, node, key))
			return qpdf_oh_get_key(q, node, key);
		node = qpdf_oh_get_key(q, node, "/Parent");
	}
	return qpdf_oh_new_null(q);
}

/* The rectangle key of page (normalised: ll below and left of ur) into b;
 * 0, or -1 when there is none usable (b unchanged). */
static int page_rect(qpdf_data q, qpdf_oh page, const char *key, double b[4])
{
	qpdf_oh a = inherited_key(q, page, key);
	double v[4];

	if (!qpdf_oh_is_array(q, a) || qpdf_oh_get_array_n_items(q, a) != 4)
		return -1;
	for (int k = 0; k < 4; k++) {
		qpdf_oh x = qpdf_oh_get_array_item(q, a, k);
		if (!qpdf_oh_is_number(q, x))
			return -1;
		v[k] = qpdf_oh_get_numeric_value(q, x);
	}
	b[0] = v[0] < v[2] ? v[0] : v[2];
	b[1] = v[1] < v[3] ? v[1] : v[3];
	b[2] = v[0] < v[2] ? v[2] : v[0];
	b[3] = v[1] < v[3] ? v[3] : v[1];
	return b[2] - b[0] > 1 && b[3] - b[1] > 1 ? 0 : -1;
}

/* The view of page, a page of the (source) document q. */
static page_view view_of(qpdf_data q, qpdf_oh page)
{
	page_view v = { { 0, 0, PDF_A4_W, PDF_A4_H }, 0 };
	qpdf_oh rot = inherited_key(q, page, "/Rotate");
	double crop[4];

	page_rect(q, page, "/MediaBox", v.box);
	if (page_rect(q, page, "/CropBox", crop) == 0) { /* what is shown: the crop box within the media box */
		double in[4] = { crop[0] > v.box[0] ? crop[0] : v.box[0], crop[1] > v.box[1] ? crop[1] : v.box[1],
				 crop[2] < v.box[2] ? crop[2] : v.box[2], crop[3] < v.box[3] ? crop[3] : v.box[3] };
		if (in[2] - in[0] > 1 && in[3] - in[1] > 1)
			memcpy(v.box, in, sizeof in);
	}
	if (qpdf_oh_is_number(q, rot)) {
		double r = fmod(qpdf_oh_get_numeric_value(q, rot), 360);
		r = r < 0 ? r + 360 : r;
		v.rotate = fmod(r, 90) != 0 ? 0 : (int)r;
	}
	return v;
}

/* The matrix from the page as the reader sees it (origin at its bottom
 * left, upright, w wide) to the page's own space, for view v: the footer
 * drawn in the first is upright at the bottom of the second, turned. */
static void view_matrix(const page_view *v, double m[6], double *w)
{
	const double *b = v->box;
	double turned[4][6] = {
		{ 1, 0, 0, 1, b[0], b[1] },    /* 0: as it is */
		{ 0, 1, -1, 0, b[2], b[1] },   /* 90: the reader's bottom is its right edge */
		{ -1, 0, 0, -1, b[2], b[3] },  /* 180: upside down */
		{ 0, -1, 1, 0, b[0], b[3] },   /* 270: the reader's bottom is its left edge */
	};

	memcpy(m, turned[v->rotate / 90], sizeof turned[0]);
	*w = v->rotate % 180 ? b[3] - b[1] : b[2] - b[0];
}

/* With volumes, page (a PDF material's, copied into out; v: how it is
 * shown) gets the footer that licpack drew for it on a page of its own,
 * footer ("第 k 册 / 共 n 册 · 第 i 页 / 共 N 页"): that page's content
 * stream becomes a form XObject (its resources: the font), drawn over the
 * page after the page's own content (wrapped in q/Q), upright at the bottom
 * centre of the page as the reader sees it, whatever its /Rotate and its
 * boxes' origin, as on an A4 page (scaled down to fit a page narrower than
 * A4). The caller removes the footer's page. Returns 0, or -1 with the
 * error recorded. */
static int overlay_footer(pdf_ctx *c, qpdf_data out, qpdf_oh page, const page_view *v, qpdf_oh footer, int n)
{
	qpdf_oh fcont = qpdf_oh_get_key(out, footer, "/Contents"), res, xo, contents, arr, dict, bbox;
	double m[6], w, s;
	char name[32], tail[256];

	if (qpdf_oh_is_array(out, fcont) && qpdf_oh_get_array_n_items(out, fcont) == 1)
		fcont = qpdf_oh_get_array_item(out, fcont, 0);
	if (!qpdf_oh_is_stream(out, fcont))
		return 0;
	view_matrix(v, m, &w);
	s = w < PDF_A4_W ? w / PDF_A4_W : 1;
	dict = qpdf_oh_get_dict(out, fcont);
	bbox = qpdf_oh_new_array(out);
	qpdf_oh_append_item(out, bbox, qpdf_oh_new_integer(out, 0));
	qpdf_oh_append_item(out, bbox, qpdf_oh_new_integer(out, 0));
	qpdf_oh_append_item(out, bbox, qpdf_oh_new_real_from_double(out, PDF_A4_W, 3));
	qpdf_oh_append_item(out, bbox, qpdf_oh_new_real_from_double(out, PDF_A4_H, 3));
	qpdf_oh_replace_key(out, dict, "/Type", qpdf_oh_new_name(out, "/XObject"));
	qpdf_oh_replace_key(out, dict, "/Subtype", qpdf_oh_new_name(out, "/Form"));
	qpdf_oh_replace_key(out, dict, "/BBox", bbox);
	qpdf_oh_replace_key(out, dict, "/Resources", qpdf_oh_get_key(out, footer, "/Resources"));
	res = qpdf_oh_get_key(out, page, "/Resources");
	if (!qpdf_oh_is_dictionary(out, res)) {
		res = qpdf_oh_new_dictionary(out);
		qpdf_oh_replace_key(out, page, "/Resources", res);
	}
	xo = qpdf_oh_get_key(out, res, "/XObject");
	if (!qpdf_oh_is_dictionary(out, xo)) {
		xo = qpdf_oh_new_dictionary(out);
		qpdf_oh_replace_key(out, res, "/XObject", xo);
	}
	snprintf(name, sizeof name, "/LicpackFooter%d", n);
	qpdf_oh_replace_key(out, xo, name, fcont);
	/* the reader's page to the page's space, then the A4 footer scaled
	 * and centred on the reader's page */
	snprintf(tail, sizeof tail, "\nQ q %g %g %g %g %.3f %.3f cm %.4f 0 0 %.4f %.3f 0 cm %s Do Q\n", m[0], m[1], m[2],
		 m[3], m[4], m[5], s, s, (w - PDF_A4_W * s) / 2, name);
	contents = qpdf_oh_get_key(out, page, "/Contents");
	arr = qpdf_oh_new_array(out);
	qpdf_oh_append_item(out, arr, content_stream(out, "q\n"));
	if (qpdf_oh_is_array(out, contents))
		for (int k = 0; k < qpdf_oh_get_array_n_items(out, contents); k++)
			qpdf_oh_append_item(out, arr, qpdf_oh_get_array_item(out, contents, k));
	else if (qpdf_oh_is_stream(out, contents))
		qpdf_oh_append_item(out, arr, contents);
	qpdf_oh_append_item(out, arr, content_stream(out, tail));
	qpdf_oh_replace_key(out, page, "/Contents", arr);
	return qpdf_has_error(out) ? qpdf_fail(c, out, LP_E_PDF_FOOTER, NULL, NULL) : 0;
}

/* The n pages of the PDF material file i put into out after page *pos
 * (0-based), *pos moved to the last of them. With volumes, licpack drew
 * each page's footer where the page goes: the page takes that place and
 * the footer is laid over it. Returns 0, or -1 with the error recorded. */
static int place_pdf_pages(pdf_ctx *c, qpdf_data out, pdf_sources *s, size_t i, int n, int *pos)
{
	const checked_file *f = &c->r->files[i];

	for (int k = 0; k < n; k++) {
		char no[16];
		qpdf_oh page = qpdf_get_page_n(s->q[i], (size_t)k), footer = 0;
		page_view view = view_of(s->q[i], page); /* read before the copy moves it */
		QPDF_ERROR_CODE e;
		if (c->job->n_volumes > 0) {
			footer = qpdf_get_page_n(out, (size_t)*pos + 1);
			e = qpdf_add_page_at(out, s->q[i], page, QPDF_TRUE, footer);
		} else {
			e = qpdf_add_page_at(out, s->q[i], page, QPDF_FALSE, qpdf_get_page_n(out, (size_t)*pos));
		}
		if (e & QPDF_ERRORS) {
			snprintf(no, sizeof no, "%d", k + 1);
			return qpdf_fail(c, out, LP_E_PDF_COPY_PAGE, no, f->rel);
		}
		if (footer && (overlay_footer(c, out, qpdf_get_page_n(out, (size_t)*pos + 1), &view, footer, *pos + 1) != 0 ||
			       (qpdf_remove_page(out, footer) & QPDF_ERRORS)))
			return qpdf_fail(c, out, LP_E_PDF_FOOTER, NULL, NULL);
		(*pos)++;
	}
	return 0;
}

int pdf_qpdf_write_fail(pdf_ctx *c, qpdf_data q, int e, lp_errcode code, const char *name)
{
	qpdf_error qe;
	const char *detail, *s;
	size_t n, k;
	lp_err inner;

	if (q == NULL || !qpdf_has_error(q))
		return qpdf_fail(c, q, LP_E_PDF_WRITE_PDF, NULL, NULL);
	qe = qpdf_get_error(q);
	detail = qpdf_get_error_message_detail(q, qe);
	if (e != 0 && detail != NULL && qpdf_get_error_code(q, qe) == qpdf_e_system) {
		s = strerror(e);
		n = strlen(detail);
		k = strlen(s);
		if (n >= k && strcmp(detail + n - k, s) == 0)
			return pdf_fail_sys(c, code, e, name);
	}
	lp_fail(&inner, LP_E_PDF_QPDF, qpdf_get_error_full_text(q, qe));
	return pdf_fail_in(c, LP_E_PDF_WRITE_PDF, &inner);
}

/* out written to path at the version of its newest part (best), every
 * stream's data as it came; a failure names the file as name. Returns 0,
 * or -1 with the error recorded. */
static int write_merged(pdf_ctx *c, qpdf_data out, const char *path, const char *name, pdf_version best)
{
	char ver[16];

	errno = 0;
	if (qpdf_init_write(out, path) & QPDF_ERRORS)
		return pdf_qpdf_write_fail(c, out, errno, LP_E_CREATE, name);
	if (best.major > 1 || best.minor > 3) {
		snprintf(ver, sizeof ver, "%d.%d", best.major, best.minor);
		qpdf_set_minimum_pdf_version_and_extension(out, ver, best.ext);
	}
	qpdf_set_object_stream_mode(out, qpdf_o_disable);
	/* Leave every stream's data as it is: DCT images keep their bytes, and
	 * flate streams are not inflated and deflated again. Streams with no
	 * filter at all still get compressed. */
	qpdf_set_decode_level(out, qpdf_dl_none);
	qpdf_set_compress_streams(out, QPDF_TRUE);
	qpdf_set_deterministic_ID(out, QPDF_TRUE);
	if (qpdf_has_error(out))
		return qpdf_fail(c, out, LP_E_PDF_WRITE_PDF, NULL, NULL);
	errno = 0;
	if (qpdf_write(out) & QPDF_ERRORS)
		return pdf_qpdf_write_fail(c, out, errno, LP_E_WRITE, name);
	return 0;
}

int pdf_merge_write(pdf_ctx *c, const char *haru_path, int cover_pages, pdf_sources *s,
		    int cover_only, const char *path, const char *name)
{
	const check_result *r = c->r;
	qpdf_data out;
	mark *marks = NULL;
	long nmarks;
	int pos, ret = -1;
	pdf_version v, best;
	lp_err why;

	if (qpdf_lazy_load(&why) != 0)
		return pdf_fail_in(c, LP_E_PDF_WRITE_PDF, &why);
	out = quiet_qpdf();
	if (out == NULL)
		return pdf_fail(c, LP_E_NOMEM);
	nmarks = outline_marks(c, s, cover_pages, cover_only, &marks);
	if (nmarks < 0)
		goto cleanup;
	/* qpdf reads the file as it needs it: stream data (the images) only
	 * while writing, so the drawn document is never in memory whole */
	if (qpdf_read(out, haru_path, "") & QPDF_ERRORS) {
		qpdf_fail(c, out, LP_E_PDF_READ_DRAWN, NULL, NULL);
		goto cleanup;
	}
	best = version_of(out);

	/* Walk the packet order: a drawn image page is already next in
	 * place; a PDF's pages go in after the last page placed. */
	pos = cover_pages - 1;
	for (size_t i = 0; !cover_only && i < r->n_files; i++) {
		long partner = pdf_id_partner(c, i);
		int n = pdf_sources_pages(s, r, i);

		if (n == 0 || !pdf_in_volume(c, i) || (partner >= 0 && (size_t)partner < i)) /* an emblem on its portrait's page */
			continue;
		if (r->files[i].info.format != FMT_PDF) {
			pos++;
			continue;
		}
		v = version_of(s->q[i]);
		if (version_cmp(v, best) > 0)
			best = v;
		if (place_pdf_pages(c, out, s, i, n, &pos) != 0)
			goto cleanup;
	}
	if (qpdf_get_num_pages(out) != pos + 1) {
		char got[16], want[16];
		snprintf(got, sizeof got, "%d", qpdf_get_num_pages(out));
		snprintf(want, sizeof want, "%d", pos + 1);
		pdf_fail(c, LP_E_PDF_PAGE_COUNT, got, want);
		goto cleanup;
	}
	if (!cover_only && add_outline(c, out, marks, (size_t)nmarks) != 0)
		goto cleanup;
	if (set_info(c, out) != 0 || write_merged(c, out, path, name, best) != 0)
		goto cleanup;
	ret = 0;
cleanup:
	free(marks);
	qpdf_cleanup(&out);
	return ret;
}
