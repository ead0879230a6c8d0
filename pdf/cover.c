/*
 * cover: the cover sheet of the packet PDF, in Chinese with English
 * subtitles (SPEC §6).
 *
 * Page one holds the licence and the applicant (a grid of labelled values)
 * and the start of the checklist: one row per material of the template with
 * its number, title, status, the files' names in the zip, their pages and
 * short hashes. The table runs on over as many pages as it needs, repeating
 * its header row; a row too tall for a page is split between its files.
 * When the job is incomplete every cover page carries a red stamp.
 *
 * The same code lays out and draws: cover_render(draw = 0) takes every
 * decision without touching a page and so counts the pages, which the
 * footers ("第 n 页 / 共 N 页") need before the first page is drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/finding.h"
#include "packet/ident.h"
#include "packet/manifest.h"
#include "pdf/internal.h"

#define MARGIN 42.52f                     /* 15 mm */
#define CONTENT_W (PDF_A4_W - 2 * MARGIN)
#define BOTTOM 42.0f                      /* the table stops above the footer */
#define PAD 3.2f                          /* inside a cell */
#define LEAD 1.3f                         /* line height / size */
#define MAX_WRAP 48                       /* lines measured per paragraph */

#define SIZE_BODY 9.5f
#define SIZE_FILE 8.5f
#define SIZE_SUB 7.0f                     /* English subtitles */
#define SIZE_HEAD 8.5f

typedef struct {
	float r, g, b;
} rgb;

static const rgb BLACK = { 0, 0, 0 };
static const rgb GREY = { 0.38f, 0.38f, 0.38f };
static const rgb RED = { 0.80f, 0.05f, 0.05f };
static const rgb GREEN = { 0.05f, 0.45f, 0.15f };
static const rgb ORANGE = { 0.80f, 0.32f, 0.0f };
static const rgb RULE = { 0.35f, 0.35f, 0.35f };
static const rgb SHADE = { 0.92f, 0.92f, 0.92f };

/* Checklist columns: No., material, status, files, pages, SHA-256. */
#define NCOL 6
static const float col_w[NCOL] = { 26, 148, 56, 178, 34, 0 /* the rest */ };

typedef struct {
	pdf_ctx *c;
	int draw;           /* 0: lay out only */
	HPDF_Page page;     /* the current page (drawing) */
	int pages;          /* cover pages begun */
	float y;            /* top of the free space on the current page */
	float x[NCOL + 1];  /* column edges */
	int rows_on_page;   /* checklist rows on the current page */
	float header_h;     /* height of the checklist's header row */
	float fresh;        /* room for rows on a continuation page */
} pen;

/* ---- primitives ---- */

static void fill_rgb(pen *p, rgb col)
{
	if (p->draw)
		HPDF_Page_SetRGBFill(p->page, col.r, col.g, col.b);
}

static void rule(pen *p, float x0, float y0, float x1, float y1)
{
	if (!p->draw)
		return;
	HPDF_Page_SetRGBStroke(p->page, RULE.r, RULE.g, RULE.b);
	HPDF_Page_SetLineWidth(p->page, 0.5f);
	HPDF_Page_MoveTo(p->page, x0, y0);
	HPDF_Page_LineTo(p->page, x1, y1);
	HPDF_Page_Stroke(p->page);
}

static void shade(pen *p, float x, float y, float w, float h)
{
	if (!p->draw)
		return;
	HPDF_Page_SetRGBFill(p->page, SHADE.r, SHADE.g, SHADE.b);
	HPDF_Page_Rectangle(p->page, x, y, w, h);
	HPDF_Page_Fill(p->page);
	HPDF_Page_SetRGBFill(p->page, 0, 0, 0);
}

/* A paragraph: utf8 (cleaned here) wrapped to width, from top down, at most
 * max_lines lines (the last cut short with "…" when the text is longer).
 * Returns the height it takes; draws only when p->draw. */
static float para(pen *p, float x, float top, float width, float size, rgb col,
		  const char *utf8, size_t max_lines)
{
	pdf_ctx *c = p->c;
	char text[1024], cut[1024];
	pdf_text_line lines[MAX_WRAP];
	size_t n = 0, shown;
	float lh = size * LEAD;

	if (utf8 == NULL || *utf8 == '\0')
		return 0;
	pdf_text_clean(text, sizeof text, utf8);
	if (pdf_text_wrap(c->font, size, text, width, lines, MAX_WRAP, &n) != 0 || n == 0)
		return 0;
	if (max_lines > MAX_WRAP)
		max_lines = MAX_WRAP;
	shown = n < max_lines ? n : max_lines;
	if (p->draw) {
		fill_rgb(p, col);
		for (size_t k = 0; k < shown; k++) {
			/* centre the em box in the line box */
			float base = top - k * lh - lh / 2 - (c->ascent - 0.5f) * size;
			const char *s = text + lines[k].start;
			size_t len = lines[k].len;
			if (k + 1 == shown && shown < n) {
				/* the last line shown: as much of the rest as fits, then "…" */
				char rest[1024];
				snprintf(rest, sizeof rest, "%s", s);
				for (char *q = rest; *q; q++)
					if (*q == '\n')
						*q = ' ';
				pdf_text_fit(c, size, rest, strlen(rest), width, cut, sizeof cut);
				s = cut;
				len = strlen(cut);
			}
			pdf_text(c, p->page, x, base, size, s, len);
		}
		fill_rgb(p, BLACK);
	}
	return shown * lh;
}

/* ---- pages ---- */

/* The red stamp of an incomplete packet, top right. Returns its width. */
static float stamp_width(pen *p)
{
	return pdf_text_width(p->c->font, 12, "材料不全 / INCOMPLETE") + 14;
}

static void stamp(pen *p)
{
	float w = stamp_width(p), h = 22;
	float x = PDF_A4_W - MARGIN - w, y = PDF_A4_H - MARGIN - h + 2;

	if (!p->draw)
		return;
	HPDF_Page_SetRGBStroke(p->page, RED.r, RED.g, RED.b);
	HPDF_Page_SetLineWidth(p->page, 1.6f);
	HPDF_Page_Rectangle(p->page, x, y, w, h);
	HPDF_Page_Stroke(p->page);
	fill_rgb(p, RED);
	pdf_text(p->c, p->page, x + 7, y + 6.5f, 12, "材料不全 / INCOMPLETE",
		 strlen("材料不全 / INCOMPLETE"));
	fill_rgb(p, BLACK);
}

/* The line at the top of a continuation page: its height with the space
 * below it. */
static float continued_line(pen *p, float top)
{
	pdf_ctx *c = p->c;
	char line[512];
	float w = CONTENT_W - (c->job->incomplete ? stamp_width(p) + 10 : 0);

	snprintf(line, sizeof line, "%s — 材料清单（续）/ Checklist (continued)", c->r->tpl->title.zh);
	return para(p, MARGIN, top, w, 9, GREY, line, 2) + 14;
}

/* Begin a cover page: footer, stamp, and on a continuation page a line
 * saying what it continues. */
static int new_page(pen *p)
{
	pdf_ctx *c = p->c;

	p->pages++;
	p->rows_on_page = 0;
	p->y = PDF_A4_H - MARGIN;
	if (p->draw) {
		p->page = pdf_new_page(c, 0);
		if (p->page == NULL)
			return -1;
		pdf_page_footer(c, p->page, PDF_A4_W);
	}
	if (c->job->incomplete)
		stamp(p);
	if (p->pages > 1)
		p->y -= continued_line(p, p->y);
	return pdf_hpdf_check(c, LP_E_PDF_DRAW_COVER_PAGE, NULL);
}

/* ---- the header block ---- */

static const char *or_dash(const char *s)
{
	return s != NULL && *s != '\0' ? s : "—";
}

typedef struct {
	const char *zh, *en;  /* the label */
	const char *value;
} field;

/* One row of the grid: one field across the width, or two side by side. */
static void grid_row(pen *p, const field *a, const field *b)
{
	const float kw = 96, vw = b ? CONTENT_W / 2 - kw : CONTENT_W - kw;
	const field *f[2] = { a, b };
	float h = 0, top = p->y;

	for (int pass = 0; pass < 2; pass++) {
		float x = MARGIN;
		/* pass 0 measures, pass 1 draws at the measured height */
		int draw = p->draw;
		if (pass == 0)
			p->draw = 0;
		else {
			shade(p, MARGIN, top - h, kw, h);
			if (b)
				shade(p, MARGIN + kw + vw, top - h, kw, h);
		}
		for (int i = 0; i < 2 && f[i]; i++) {
			float kh = para(p, x + PAD, top - PAD, kw - 2 * PAD, SIZE_HEAD, BLACK, f[i]->zh, 2);
			kh += para(p, x + PAD, top - PAD - kh, kw - 2 * PAD, 6.5f, GREY, f[i]->en, 2);
			float vh = para(p, x + kw + PAD, top - PAD, vw - 2 * PAD, 10, BLACK,
					or_dash(f[i]->value), 4);
			if (pass == 0) {
				if (kh + 2 * PAD > h)
					h = kh + 2 * PAD;
				if (vh + 2 * PAD > h)
					h = vh + 2 * PAD;
			}
			x += kw + vw;
		}
		p->draw = draw;
	}
	/* rules: top, bottom, and the cell edges */
	rule(p, MARGIN, top, MARGIN + CONTENT_W, top);
	rule(p, MARGIN, top - h, MARGIN + CONTENT_W, top - h);
	rule(p, MARGIN, top, MARGIN, top - h);
	rule(p, MARGIN + kw, top, MARGIN + kw, top - h);
	if (b) {
		rule(p, MARGIN + kw + vw, top, MARGIN + kw + vw, top - h);
		rule(p, MARGIN + 2 * kw + vw, top, MARGIN + 2 * kw + vw, top - h);
	}
	rule(p, MARGIN + CONTENT_W, top, MARGIN + CONTENT_W, top - h);
	p->y -= h;
}

/* With volumes (--max-pdf-mb): which this is, and every volume's file. */
static void volumes_row(pen *p)
{
	const pdf_packet_job *j = p->c->job;
	char v[1024];
	size_t n;

	n = (size_t)snprintf(v, sizeof v, "第 %d 册 / 共 %d 册 (volume %d of %d)：", j->volume, j->n_volumes,
			     j->volume, j->n_volumes);
	for (int k = 0; k < j->n_volumes && n < sizeof v; k++)
		n += (size_t)snprintf(v + n, sizeof v - n, "%s%s", k ? "、" : "", j->volume_names[k]);
	field vol_f = { "分册", "Volumes", v };
	grid_row(p, &vol_f, NULL);
}

static void header_block(pen *p)
{
	pdf_ctx *c = p->c;
	const check_result *r = c->r;
	const template *t = r->tpl;
	const applicant *a = &r->app;
	char region[256], tpl[256], idm[64];
	float tw = CONTENT_W - (c->job->incomplete ? stamp_width(p) + 12 : 0);

	p->y -= para(p, MARGIN, p->y, tw, 18, BLACK, t->title.zh, 2);
	p->y -= para(p, MARGIN, p->y, tw, 10.5f, GREY, t->title.en, 2);
	p->y -= 2;
	p->y -= para(p, MARGIN, p->y, CONTENT_W, 9, GREY,
		     "申请材料封面及清单 · Cover sheet and checklist of the materials", 2);
	p->y -= 10;

	if (t->region != NULL)
		snprintf(region, sizeof region, "%s %s", or_dash(t->region_title.zh),
			 t->region_title.en ? t->region_title.en : "");
	else
		snprintf(region, sizeof region, "未指定 / not specified");
	snprintf(tpl, sizeof tpl, "%s v%d%s%s", t->id, t->version, t->region ? " + " : "",
		 t->region ? t->region : "");
	idm[0] = '\0';
	if (a->rep_id_number != NULL && *a->rep_id_number)
		idcard_mask(a->rep_id_number, idm, sizeof idm);

	field region_f = { "地区", "Region", region };
	field date_f = { "生成日期", "Build date", c->job->build_date };
	field company_f = { "公司名称", "Company", a->company_name };
	field uscc_f = { "统一社会信用代码", "Unified social credit code", a->company_uscc };
	field tpl_f = { "模板", "Template", tpl };
	field rep_f = { "法定代表人", "Legal representative", a->rep_name };
	field id_f = { "身份证号", "ID card number", idm };
	field lic_f = { "许可证编号", "Licence number", a->licence_number };
	field exp_f = { "许可证有效期至", "Licence valid until", a->licence_expiry };

	grid_row(p, &company_f, NULL);
	grid_row(p, &uscc_f, &region_f);
	grid_row(p, &rep_f, &id_f);
	grid_row(p, &lic_f, &exp_f);
	grid_row(p, &tpl_f, &date_f);
	if (c->job->n_volumes > 0)
		volumes_row(p);
	p->y -= 14;
	p->y -= para(p, MARGIN, p->y, CONTENT_W, 11, BLACK, "材料清单 Checklist", 1);
	p->y -= 4;
}

/* ---- the checklist ---- */

static void table_header(pen *p)
{
	static const char *const zh[NCOL] = { "序号", "材料", "状态", "文件（压缩包内名称）", "页数", "SHA-256" };
	static const char *const en[NCOL] = { "No.", "Material", "Status", "Files (names in the zip)",
					      "Pages", "first 8 hex digits" };
	float h = 0, top = p->y;

	for (int pass = 0; pass < 2; pass++) {
		int draw = p->draw;
		if (pass == 0)
			p->draw = 0;
		else
			shade(p, MARGIN, top - h, CONTENT_W, h);
		for (int i = 0; i < NCOL; i++) {
			float w = p->x[i + 1] - p->x[i] - 2 * PAD;
			float ch = para(p, p->x[i] + PAD, top - PAD, w, SIZE_HEAD, BLACK, zh[i], 2);
			ch += para(p, p->x[i] + PAD, top - PAD - ch, w, 6.5f, GREY, en[i], 3);
			if (pass == 0 && ch + 2 * PAD > h)
				h = ch + 2 * PAD;
		}
		p->draw = draw;
	}
	rule(p, MARGIN, top, MARGIN + CONTENT_W, top);
	rule(p, MARGIN, top - h, MARGIN + CONTENT_W, top - h);
	for (int i = 0; i <= NCOL; i++)
		rule(p, p->x[i], top, p->x[i], top - h);
	p->y -= h;
	p->header_h = h;
}

static void status_text(material_state s, const char **zh, const char **en, rgb *col)
{
	switch (s) {
	case MAT_COMPLETE: *zh = "齐全"; *en = "Complete"; *col = GREEN; break;
	case MAT_MISSING: *zh = "缺少"; *en = "Missing"; *col = RED; break;
	case MAT_INVALID: *zh = "有误"; *en = "Invalid"; *col = ORANGE; break;
	default: *zh = "可选"; *en = "Optional, not given"; *col = GREY; break;
	}
}

/* The name a file has in the zip (or, lacking one, its own path). */
static const char *file_name(const pdf_ctx *c, size_t i)
{
	if (c->job->packet_names != NULL && c->job->packet_names[i] != NULL)
		return c->job->packet_names[i];
	return c->r->files[i].rel;
}

/* One file's part of the files, pages and hash columns: its height, drawn
 * from top when p->draw. */
static float file_block(pen *p, size_t i, float top)
{
	pdf_ctx *c = p->c;
	const checked_file *f = &c->r->files[i];
	float w = p->x[4] - p->x[3] - 2 * PAD;
	float h = para(p, p->x[3] + PAD, top, w, SIZE_FILE, BLACK, file_name(c, i), 6);
	char pages[16], hash[9];
	int included = pdf_file_included(f);

	if (!included)
		h += para(p, p->x[3] + PAD, top - h, w, 6.5f, RED, "未收入 PDF / not in the PDF", 2);
	if (included)
		snprintf(pages, sizeof pages, "%d", pdf_sources_pages(c->src, c->r, i));
	else
		snprintf(pages, sizeof pages, "—");
	if (f->sha256[0] != '\0')
		snprintf(hash, sizeof hash, "%.8s", f->sha256);
	else
		snprintf(hash, sizeof hash, "—");
	para(p, p->x[4] + PAD, top, p->x[5] - p->x[4] - 2 * PAD, SIZE_FILE, BLACK, pages, 1);
	para(p, p->x[5] + PAD, top, p->x[6] - p->x[5] - 2 * PAD, SIZE_FILE, BLACK, hash, 1);
	return h + 2; /* a little air between files */
}

/* Number, title and status of material mi: their height, drawn at top. */
static float left_cells(pen *p, size_t mi, float top, int continued)
{
	pdf_ctx *c = p->c;
	const material *m = &c->r->tpl->materials[mi];
	const char *szh, *sen;
	char no[16], title[512];
	rgb col;
	float w1 = p->x[2] - p->x[1] - 2 * PAD, w2 = p->x[3] - p->x[2] - 2 * PAD, h1, h2;

	snprintf(no, sizeof no, "%02zu", mi + 1);
	snprintf(title, sizeof title, "%s%s", m->title.zh, continued ? "（续）" : "");
	para(p, p->x[0] + PAD, top, p->x[1] - p->x[0] - 2 * PAD, SIZE_BODY, BLACK, no, 1);
	h1 = para(p, p->x[1] + PAD, top, w1, SIZE_BODY, BLACK, title, 4);
	h1 += para(p, p->x[1] + PAD, top - h1, w1, SIZE_SUB, GREY, m->title.en, 3);
	status_text(c->r->state[mi], &szh, &sen, &col);
	h2 = para(p, p->x[2] + PAD, top, w2, SIZE_BODY, col, szh, 1);
	h2 += para(p, p->x[2] + PAD, top - h2, w2, SIZE_SUB, GREY, sen, 2);
	if (c->job->n_volumes > 0) { /* the volume that holds it */
		int k = c->job->volume_of[mi];
		char vz[32] = "—", ve[32] = "";
		if (k > 0) {
			snprintf(vz, sizeof vz, "第 %d 册", k);
			snprintf(ve, sizeof ve, "Vol. %d", k);
		}
		h2 += para(p, p->x[2] + PAD, top - h2, w2, SIZE_BODY, BLACK, vz, 1);
		h2 += para(p, p->x[2] + PAD, top - h2, w2, SIZE_SUB, GREY, ve, 1);
	}
	return h1 > h2 ? h1 : h2;
}

/* The rules of a row (part) from top down h. */
static void row_rules(pen *p, float top, float h)
{
	rule(p, MARGIN, top - h, MARGIN + CONTENT_W, top - h);
	for (int i = 0; i <= NCOL; i++)
		rule(p, p->x[i], top, p->x[i], top - h);
}

/* Start a continuation page for the table. */
static int table_page(pen *p)
{
	if (new_page(p) != 0)
		return -1;
	table_header(p);
	return 0;
}

/* The checklist row of material mi: placed whole on this page or the
 * next, or split between its files over as many pages as it needs. */
static int material_row(pen *p, size_t mi)
{
	pdf_ctx *c = p->c;
	const check_result *r = c->r;
	size_t *idx, nb = 0, start = 0;
	float *bh;
	int continued = 0, ret = -1;

	idx = malloc((r->n_files + 1) * sizeof *idx);
	bh = malloc((r->n_files + 1) * sizeof *bh);
	if (idx == NULL || bh == NULL) {
		pdf_fail(c, LP_E_NOMEM);
		goto cleanup;
	}
	/* the files of this material, and each one's height */
	for (size_t i = 0; i < r->n_files; i++)
		if ((size_t)r->files[i].material == mi) {
			int draw = p->draw;
			p->draw = 0;
			idx[nb] = i;
			bh[nb] = file_block(p, i, 0);
			p->draw = draw;
			nb++;
		}
	for (;;) {
		int draw = p->draw;
		float left, sum = 0, h, avail = p->y - BOTTOM;
		size_t k = start;

		p->draw = 0;
		left = left_cells(p, mi, 0, continued);
		p->draw = draw;
		while (k < nb && 2 * PAD + (sum + bh[k] > left ? sum + bh[k] : left) <= avail)
			sum += bh[k++];
		if (k < nb || 2 * PAD + left > avail) {
			/* Not all of it fits here. Unless it would not fit on a
			 * page of its own either, it goes on the next page;
			 * else it starts here, when anything of it fits. */
			float rest = 0;
			for (size_t j = start; j < nb; j++)
				rest += bh[j];
			if (p->rows_on_page > 0 && !(k > start && 2 * PAD + rest > p->fresh)) {
				if (table_page(p) != 0)
					goto cleanup;
				continue;
			}
			if (k == start && nb > 0)
				sum += bh[k++]; /* a fresh page holds one file at least */
		}
		h = 2 * PAD + (sum > left ? sum : left);
		if (nb == 0 && h < 2 * PAD + SIZE_BODY * LEAD)
			h = 2 * PAD + SIZE_BODY * LEAD;
		left_cells(p, mi, p->y - PAD, continued);
		if (nb == 0)
			para(p, p->x[3] + PAD, p->y - PAD, p->x[4] - p->x[3] - 2 * PAD, SIZE_FILE, GREY,
			     "—", 1);
		float off = 0;
		for (size_t j = start; j < k; j++) {
			file_block(p, idx[j], p->y - PAD - off);
			off += bh[j];
		}
		row_rules(p, p->y, h);
		p->y -= h;
		p->rows_on_page++;
		if (pdf_hpdf_check(c, LP_E_PDF_DRAW_COVER, NULL) != 0)
			goto cleanup;
		if (k >= nb)
			break;
		start = k;
		continued = 1;
		if (table_page(p) != 0)
			goto cleanup;
	}
	ret = 0;
cleanup:
	free(idx);
	free(bh);
	return ret;
}

/* The counts under the checklist, when they fit on its last page. */
static int summary(pen *p)
{
	pdf_ctx *c = p->c;
	const check_result *r = c->r;
	int n[4] = { 0, 0, 0, 0 };
	size_t errors = findings_count(&r->findings, SEV_ERROR), warnings = findings_count(&r->findings, SEV_WARNING);
	char zh[512], en[512];
	float h;

	for (size_t i = 0; i < r->tpl->n_materials; i++)
		if ((unsigned)r->state[i] < 4)
			n[r->state[i]]++;
	snprintf(zh, sizeof zh,
		 "共 %zu 项材料：齐全 %d，缺少 %d，有误 %d，可选未提供 %d。错误 %zu 条，警告 %zu 条，"
		 "未识别文件 %zu 个；详见 report.txt。",
		 r->tpl->n_materials, n[MAT_COMPLETE], n[MAT_MISSING], n[MAT_INVALID], n[MAT_ABSENT_OPTIONAL], errors,
		 warnings, r->n_unrecognized);
	snprintf(en, sizeof en,
		 "%zu materials: %d complete, %d missing, %d invalid, %d optional not given. "
		 "%zu errors, %zu warnings, %zu unrecognised files; see report.txt.",
		 r->tpl->n_materials, n[MAT_COMPLETE], n[MAT_MISSING], n[MAT_INVALID], n[MAT_ABSENT_OPTIONAL], errors,
		 warnings, r->n_unrecognized);
	{
		int draw = p->draw;
		p->draw = 0;
		h = 8 + para(p, MARGIN, 0, CONTENT_W, 9, BLACK, zh, 4) +
		    para(p, MARGIN, 0, CONTENT_W, SIZE_SUB, GREY, en, 4);
		p->draw = draw;
	}
	/* A page of its own for two lines would waste paper: the checklist
	 * above says the same per material, and report.txt says it all. */
	if (p->y - h < BOTTOM)
		return 0;
	p->y -= 8;
	p->y -= para(p, MARGIN, p->y, CONTENT_W, 9, BLACK, zh, 4);
	p->y -= para(p, MARGIN, p->y, CONTENT_W, SIZE_SUB, GREY, en, 4);
	return pdf_hpdf_check(c, LP_E_PDF_DRAW_COVER, NULL);
}

int cover_render(pdf_ctx *c, int draw, int *pages)
{
	pen p;
	float x = MARGIN;

	memset(&p, 0, sizeof p);
	p.c = c;
	p.draw = draw;
	for (int i = 0; i < NCOL; i++) {
		p.x[i] = x;
		x += col_w[i];
	}
	p.x[NCOL] = MARGIN + CONTENT_W;
	if (new_page(&p) != 0)
		return -1;
	header_block(&p);
	table_header(&p);
	{
		int draw = p.draw;
		p.draw = 0;
		p.fresh = PDF_A4_H - MARGIN - continued_line(&p, 0) - p.header_h - BOTTOM;
		p.draw = draw;
	}
	for (size_t mi = 0; mi < c->r->tpl->n_materials; mi++)
		if (material_row(&p, mi) != 0)
			return -1;
	if (summary(&p) != 0)
		return -1;
	*pages = p.pages;
	return c->failed ? -1 : 0;
}
