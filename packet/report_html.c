/*
 * report_html: the HTML report of a check (see report_html.h).
 *
 * The page is written into a memory stream (open_memstream) piece by piece;
 * every text from outside licpack goes through html_put(). Nothing here
 * decodes an image: the thumbnails arrive as JPEG bytes and leave as
 * base64 data: URIs.
 */
#include "packet/report_html.h"

#include <stdlib.h>
#include <string.h>

#include "packet/ident.h"
#include "packet/normalise.h"
#include "packet/util.h"

void html_thumbs_release(html_thumbs *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->pages[i].jpeg);
	free(t->pages);
	memset(t, 0, sizeof *t);
}

static int is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C;
}

int html_put(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *end = p + strlen((const char *)p);
	uint32_t cp;
	size_t n;

	while (p < end) {
		n = utf8_decode((const char *)p, (size_t)(end - p), &cp);
		if (n == 0) {
			fputs("\xEF\xBF\xBD", f); /* U+FFFD */
			p++;
			continue;
		}
		if (cp == '&')
			fputs("&amp;", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '>')
			fputs("&gt;", f);
		else if (cp == '"')
			fputs("&quot;", f);
		else if (cp == '\'')
			fputs("&#39;", f);
		else if (cp < 0x20) /* its picture: U+2400 + cp */
			fprintf(f, "\xE2\x90%c", (char)(0x80 + cp));
		else if (cp == 0x7F)
			fputs("\xE2\x90\xA1", f); /* U+2421 */
		else if ((cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp))
			fprintf(f, "[U+%04X]", (unsigned)cp);
		else
			fwrite(p, 1, n, f);
		p += n;
	}
	return ferror(f) ? -1 : 0;
}

char *html_escape(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int bad;

	if (!f)
		return NULL;
	bad = html_put(f, s);
	if (fclose(f) != 0 || bad) {
		free(out);
		return NULL;
	}
	return out;
}

char *html_url_path(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, n = strlen(s);
	char *out = malloc(3 * n + 1), *o = out;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '_' || c == '.' || c == '~' || c == '/') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

static void put_base64(FILE *f, const uint8_t *d, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = tab[d[i] >> 2];
		q[1] = tab[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
		q[2] = tab[((d[i + 1] & 15) << 2) | (d[i + 2] >> 6)];
		q[3] = tab[d[i + 2] & 63];
		fwrite(q, 1, 4, f);
	}
	if (n - i == 1) {
		q[0] = tab[d[i] >> 2];
		q[1] = tab[(d[i] & 3) << 4];
		q[2] = q[3] = '=';
		fwrite(q, 1, 4, f);
	} else if (n - i == 2) {
		q[0] = tab[d[i] >> 2];
		q[1] = tab[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
		q[2] = tab[(d[i + 1] & 15) << 2];
		q[3] = '=';
		fwrite(q, 1, 4, f);
	}
}

const char html_style[] =
	"body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",sans-serif;"
	"margin:1.5em;color:#222;background:#fff;line-height:1.4}\n"
	"h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.4em 0 .5em}\n"
	"table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.35em .5em;"
	"text-align:left;vertical-align:top}th{background:#f3f3f3}\n"
	".status{font-weight:bold;font-size:1.1em;padding:.3em .6em;display:inline-block;border-radius:3px}\n"
	".good{background:#e3f4e3;color:#185c18}.bad{background:#fbe3e3;color:#8a1111}\n"
	".st-complete .st{color:#185c18}.st-warn .st{color:#8a5a00}.st-missing .st,.st-invalid .st{color:#8a1111}"
	".st-optional .st{color:#777}\n"
	"figure{display:inline-block;margin:0 .6em .6em 0;padding:.3em;border:3px solid #ddd;"
	"vertical-align:top;max-width:260px}\n"
	"figure.err{border-color:#c62828}figure.warn{border-color:#f0a000}\n"
	"figure img{display:inline-block;margin:0 .2em .2em 0;max-width:240px;max-height:240px}\n"
	".ph{display:inline-block;width:170px;height:240px;background:#eee;color:#777;"
	"text-align:center;line-height:240px;margin:0 .2em .2em 0}\n"
	"figcaption{font-size:.85em;word-break:break-all}.meta{color:#555}.more{color:#555;font-size:.85em}\n"
	"ul.f{margin:.3em 0;padding-left:1.2em;font-size:.85em}li.error{color:#8a1111}li.warning{color:#8a5a00}li.notice{color:#444}\n"
	"code{font-family:monospace}dt{font-weight:bold;margin-top:.6em}dd{margin-left:1.2em}\n";

/* The labels of the page, in English and Chinese. */
typedef struct {
	const char *en, *zh;
} label;

static const char *L(lp_lang lang, label l)
{
	return lang == LANG_ZH ? l.zh : l.en;
}

#define LB(en, zh) ((label){ en, zh })

/* A row of the applicant block; nothing when value is NULL. */
static void kv(FILE *f, const char *key, const char *value)
{
	if (!value)
		return;
	fprintf(f, "<tr><th>%s</th><td>", key);
	html_put(f, value);
	fputs("</td></tr>\n", f);
}

static void put_applicant(FILE *f, const check_result *r, const report_html_opts *o)
{
	lp_lang lg = o->lang;
	const applicant *a = &r->app;
	char masked[64], date[16];

	fprintf(f, "<section id=\"applicant\">\n<h2>%s</h2>\n<table class=\"kv\">\n",
		L(lg, LB("Applicant", "申请人")));
	kv(f, L(lg, LB("Company", "申请单位")), a->company_name);
	kv(f, L(lg, LB("Unified social credit code", "统一社会信用代码")), a->company_uscc);
	if (a->rep_name || a->rep_id_number) {
		fprintf(f, "<tr><th>%s</th><td>", L(lg, LB("Legal representative", "法定代表人")));
		html_put(f, a->rep_name);
		if (a->rep_id_number) {
			idcard_mask(a->rep_id_number, masked, sizeof masked);
			fputs(a->rep_name ? " " : "", f);
			html_put(f, masked);
		}
		fputs("</td></tr>\n", f);
	}
	if (a->licence_number || a->licence_expiry) {
		fprintf(f, "<tr><th>%s</th><td>", L(lg, LB("Licence", "许可证")));
		html_put(f, a->licence_number);
		if (a->licence_expiry) {
			fprintf(f, " %s", L(lg, LB("expires ", "有效期至 ")));
			html_put(f, a->licence_expiry);
		}
		fputs("</td></tr>\n", f);
	}
	fprintf(f, "<tr><th>%s</th><td>", L(lg, LB("Template", "模板")));
	html_put(f, lg == LANG_ZH ? r->tpl->title.zh : r->tpl->title.en);
	fputs(" (<code>", f);
	html_put(f, r->tpl->id);
	fprintf(f, "</code> v%d)</td></tr>\n", r->tpl->version);
	if (r->tpl->region) {
		fprintf(f, "<tr><th>%s</th><td>", L(lg, LB("Region", "地区")));
		html_put(f, lg == LANG_ZH ? r->tpl->region_title.zh : r->tpl->region_title.en);
		fputs(" (<code>", f);
		html_put(f, r->tpl->region);
		fputs("</code>)</td></tr>\n", f);
	}
	kv(f, L(lg, LB("Folder", "文件夹")), o->dir);
	date_format(o->today, date, sizeof date);
	kv(f, L(lg, LB("Date", "日期")), date);
	fputs("</table>\n</section>\n", f);
}

/* "incomplete: 2 errors, 1 warning", as the text report ends. */
static void put_status(FILE *f, const check_result *r, lp_lang lg)
{
	size_t e = findings_count(&r->findings, SEV_ERROR), w = findings_count(&r->findings, SEV_WARNING);

	fprintf(f, "<p id=\"status\" class=\"status %s\">", r->complete ? "good" : "bad");
	if (lg == LANG_ZH)
		fprintf(f, "%s：%zu 个错误，%zu 个警告", r->complete ? "材料齐全" : "材料不全", e, w);
	else
		fprintf(f, "%s: %zu error%s, %zu warning%s", r->complete ? "complete" : "incomplete", e,
			e == 1 ? "" : "s", w, w == 1 ? "" : "s");
	fputs("</p>\n", f);
}

static void put_finding_item(FILE *f, const finding *x, lp_lang lg)
{
	fprintf(f, "<li class=\"%s\"><a href=\"#x-%s\"><code>%s</code></a>: ", severity_name(x->sev),
		x->code, x->code);
	html_put(f, finding_message(x, lg));
	fputs("</li>\n", f);
}

/* The findings keep(r, finding, arg) accepts, as a list; nothing when none. */
static void put_findings_where(FILE *f, const check_result *r, lp_lang lg,
			       int (*keep)(const check_result *, const finding *, const void *), const void *arg)
{
	size_t i;
	int any = 0;

	for (i = 0; i < r->findings.n; i++) {
		if (!keep(r, &r->findings.v[i], arg))
			continue;
		if (!any++)
			fputs("<ul class=\"f\">\n", f);
		put_finding_item(f, &r->findings.v[i], lg);
	}
	if (any)
		fputs("</ul>\n", f);
}

/* A finding about the file named arg. */
static int of_file(const check_result *r, const finding *x, const void *arg)
{
	(void)r;
	return x->file && strcmp(x->file, arg) == 0;
}

/* 1 when file is one of material i's files, whose figure lists its findings. */
static int shown_with_file(const check_result *r, size_t i, const char *file)
{
	size_t j;

	for (j = 0; file && j < r->n_files; j++)
		if (r->files[j].material == (int)i && strcmp(r->files[j].rel, file) == 0)
			return 1;
	return 0;
}

/* A finding about material *arg that none of its files' figures lists. */
static int of_material_row(const check_result *r, const finding *x, const void *arg)
{
	size_t i = *(const size_t *)arg;

	return x->material && strcmp(x->material, r->tpl->materials[i].id) == 0 && !shown_with_file(r, i, x->file);
}

/* The thumbnails of one file (or a placeholder), its caption and its
 * findings, framed by the worst of them. rel: its name; fi: what the probe
 * read (NULL for an unrecognised file). */
static void put_figure(FILE *f, const check_result *r, const char *rel, const file_info *fi, const html_thumbs *t,
		       lp_lang lg)
{
	size_t i;
	int err = 0, warn = 0;

	for (i = 0; i < r->findings.n; i++)
		if (r->findings.v[i].file && strcmp(r->findings.v[i].file, rel) == 0) {
			if (r->findings.v[i].sev == SEV_ERROR)
				err = 1;
			else
				warn = 1;
		}
	fprintf(f, "<figure class=\"%s\">", err ? "err" : warn ? "warn" : "ok");
	for (i = 0; t && i < t->n; i++) {
		const html_thumb *p = &t->pages[i];
		if (!p->jpeg) {
			fprintf(f, "<span class=\"ph\">%s</span>", L(lg, LB("no preview", "无法预览")));
			continue;
		}
		fprintf(f, "<img src=\"data:image/jpeg;base64,");
		put_base64(f, p->jpeg, p->len);
		fprintf(f, "\" width=\"%u\" height=\"%u\" alt=\"", p->width, p->height);
		html_put(f, rel);
		fprintf(f, " %zu\">", i + 1);
	}
	if (t && t->n == 0 && t->more == 0)
		fprintf(f, "<span class=\"ph\">%s</span>", L(lg, LB("no preview", "无法预览")));
	if (t && t->more > 0)
		fprintf(f, "<span class=\"more\">%s%d%s</span>", L(lg, LB("+", "另 ")), t->more,
			L(lg, LB(t->more == 1 ? " page" : " pages", " 页")));
	fputs("<figcaption>", f);
	html_put(f, rel);
	if (fi) {
		fprintf(f, "<br><span class=\"meta\">%s", format_name(fi->format));
		if (fi->width && fi->height)
			fprintf(f, " %u×%u", fi->width, fi->height);
		if (fi->dpi_x > 0)
			fprintf(f, " %.0f dpi", fi->dpi_x);
		if (fi->format == FMT_PDF && fi->pages > 0)
			fprintf(f, " %d %s", fi->pages, L(lg, LB(fi->pages == 1 ? "page" : "pages", "页")));
		fputs("</span>", f);
	}
	fputs("</figcaption>\n", f);
	put_findings_where(f, r, lg, of_file, rel);
	fputs("</figure>\n", f);
}

static void put_materials(FILE *f, const check_result *r, const report_html_opts *o)
{
	lp_lang lg = o->lang;
	size_t i, j;

	fprintf(f, "<section id=\"materials\">\n<h2>%s</h2>\n<table class=\"materials\">\n"
		   "<thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
		L(lg, LB("Materials", "材料")), L(lg, LB("Status", "状态")), L(lg, LB("Material", "材料")),
		L(lg, LB("Files and findings", "文件和问题")));
	for (i = 0; i < r->tpl->n_materials; i++) {
		const material *m = &r->tpl->materials[i];
		const char *cls, *st;
		switch (r->state[i]) {
		case MAT_COMPLETE:
			cls = check_material_warns(r, m->id) ? "st-warn" : "st-complete";
			st = check_material_warns(r, m->id) ? L(lg, LB("! complete, with warnings", "! 齐全，有警告"))
						       : L(lg, LB("✓ complete", "✓ 齐全"));
			break;
		case MAT_MISSING:
			cls = "st-missing";
			st = L(lg, LB("✗ missing", "✗ 缺少"));
			break;
		case MAT_INVALID:
			cls = "st-invalid";
			st = L(lg, LB("✗ invalid", "✗ 有误"));
			break;
		default:
			cls = "st-optional";
			st = L(lg, LB("- optional, absent", "- 可选，未提供"));
		}
		fprintf(f, "<tr class=\"material %s\" id=\"m-", cls);
		html_put(f, m->id);
		fprintf(f, "\"><td class=\"st\">%s</td><td>", st);
		html_put(f, lg == LANG_ZH ? m->title.zh : (m->title.en ? m->title.en : m->id));
		fputs("<br><code>", f);
		html_put(f, m->id);
		fputs("</code></td><td>\n", f);
		for (j = 0; j < r->n_files; j++)
			if (r->files[j].material == (int)i)
				put_figure(f, r, r->files[j].rel, &r->files[j].info, o->files ? &o->files[j] : NULL, lg);
		put_findings_where(f, r, lg, of_material_row, &i);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

static void put_unrecognized(FILE *f, const check_result *r, const report_html_opts *o)
{
	size_t i;

	if (!r->n_unrecognized)
		return;
	fprintf(f, "<section id=\"unrecognized\">\n<h2>%s</h2>\n",
		L(o->lang, LB("Unrecognised files (left out of the packet)", "未识别的文件（不放入材料包）")));
	for (i = 0; i < r->n_unrecognized; i++)
		put_figure(f, r, r->unrecognized[i], NULL, o->unrecognized ? &o->unrecognized[i] : NULL, o->lang);
	fputs("</section>\n", f);
}

/* Every finding, then the explanation of each code that occurs (once). */
static void put_findings(FILE *f, const check_result *r, lp_lang lg)
{
	size_t i, j;

	if (!r->findings.n)
		return;
	fprintf(f, "<section id=\"findings\">\n<h2>%s</h2>\n<ol>\n", L(lg, LB("Findings", "问题")));
	for (i = 0; i < r->findings.n; i++)
		put_finding_item(f, &r->findings.v[i], lg);
	fprintf(f, "</ol>\n<h2>%s</h2>\n<dl>\n", L(lg, LB("What the codes mean", "代码说明")));
	for (i = 0; i < r->findings.n; i++) {
		const char *code = r->findings.v[i].code;
		const finding_code *c = finding_code_find(code);
		for (j = 0; j < i; j++)
			if (strcmp(r->findings.v[j].code, code) == 0)
				break;
		if (j < i || !c)
			continue;
		fprintf(f, "<dt id=\"x-%s\"><code>%s</code> — ", c->code, c->code);
		html_put(f, lg == LANG_ZH ? c->summary_zh : c->summary_en);
		fputs("</dt>\n<dd><p>", f);
		html_put(f, lg == LANG_ZH ? c->explain_zh : c->explain_en);
		fputs("</p><p>", f);
		html_put(f, lg == LANG_ZH ? c->fix_zh : c->fix_en);
		fputs("</p></dd>\n", f);
	}
	fputs("</dl>\n</section>\n", f);
}

char *report_html(const check_result *r, const report_html_opts *o)
{
	char *out = NULL, *dir = o->dir ? strdup(o->dir) : NULL;
	size_t len = 0;
	FILE *f = (!o->dir || dir) ? open_memstream(&out, &len) : NULL;
	report_html_opts shown = *o;
	int bad;

	if (!f) {
		free(dir);
		return NULL;
	}
	/* the folder as every output names it: no ID number in it */
	if (dir)
		mask_id_numbers(dir);
	shown.dir = dir;
	o = &shown;
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
	      "style-src 'unsafe-inline'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	html_put(f, r->app.company_name ? r->app.company_name : o->dir);
	fprintf(f, " — %s</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", L(o->lang, LB("licpack report", "licpack 检查报告")),
		html_style);
	html_put(f, o->lang == LANG_ZH ? r->tpl->title.zh : r->tpl->title.en);
	fputs("</h1>\n", f);
	put_status(f, r, o->lang);
	put_applicant(f, r, o);
	put_materials(f, r, o);
	put_unrecognized(f, r, o);
	put_findings(f, r, o->lang);
	fputs("</body>\n</html>\n", f);
	bad = ferror(f);
	free(dir);
	if (fclose(f) != 0 || bad) {
		free(out);
		return NULL;
	}
	return out;
}
