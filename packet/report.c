/*
 * report: text and JSON renderings of a check (see report.h).
 *
 * The text report groups findings under the material they concern, in
 * template order, with a mark per material: ✓ complete, ✗ missing or invalid,
 * ! warnings only, - optional and absent. Findings that concern no material
 * (packet.json, unrecognised files) follow at the end.
 */
#include "packet/report.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/ident.h"
#include "packet/jsontext.h"
#include "packet/normalise.h"
#include "packet/read_check.h"
#include "packet/util.h"

const char *finding_message(const finding *f, lp_lang lang)
{
	return lang == LANG_ZH ? f->msg_zh : f->msg_en;
}

/* A growing string; on out-of-memory it sets failed and stops growing. */
typedef struct {
	char *s;
	size_t n, cap;
	int failed;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int need;

	if (b->failed)
		return;
	va_start(ap, fmt);
	need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0) {
		b->failed = 1;
		return;
	}
	if (b->n + (size_t)need + 1 > b->cap) {
		size_t cap = (b->n + (size_t)need + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)need;
}

static char *sb_detach(sbuf *b)
{
	if (b->failed || !b->s) {
		free(b->s);
		return b->failed ? NULL : strdup("");
	}
	return b->s;
}

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

static const char *col(int on, const char *c)
{
	return on ? c : "";
}

static void text_finding(sbuf *b, const finding *f, lp_lang lang, int colour)
{
	int err = f->sev == SEV_ERROR, note = f->sev == SEV_NOTICE;

	sb_printf(b, "    %s%s %s%s: %s\n", col(colour && !note, err ? C_RED : C_YELLOW), err ? "✗" : note ? "i" : "!", f->code,
		  col(colour, C_OFF), finding_message(f, lang));
}

char *report_text(const check_result *r, const char *dir, lp_lang lang, int colour)
{
	sbuf b = { 0 };
	size_t i, j, errors = findings_count(&r->findings, SEV_ERROR);
	size_t warnings = findings_count(&r->findings, SEV_WARNING);
	int zh = lang == LANG_ZH, other = 0;
	/* a folder's name is a client's text too: shown as file names are */
	char *shown = display_name(dir);

	if (!shown)
		return NULL;
	sb_printf(&b, "%s%s%s — %s (%s v%d%s%s)\n", col(colour, C_BOLD), shown, col(colour, C_OFF),
		  zh ? r->tpl->title.zh : r->tpl->title.en, r->tpl->id, r->tpl->version,
		  r->tpl->region ? ", " : "", r->tpl->region ? r->tpl->region : "");
	if (r->app.company_name)
		sb_printf(&b, "%s%s\n", zh ? "申请单位：" : "Applicant: ", r->app.company_name);
	for (i = 0; i < r->tpl->n_materials; i++) {
		const material *m = &r->tpl->materials[i];
		const char *mark, *c;
		switch (r->state[i]) {
		case MAT_COMPLETE:
			mark = check_material_warns(r, m->id) ? "!" : "✓";
			c = check_material_warns(r, m->id) ? C_YELLOW : C_GREEN;
			break;
		case MAT_ABSENT_OPTIONAL:
			mark = "-";
			c = C_DIM;
			break;
		default:
			mark = "✗";
			c = C_RED;
		}
		sb_printf(&b, "%s%s%s %s %s(%s%s)%s\n", col(colour, c), mark, col(colour, C_OFF),
			  zh ? m->title.zh : (m->title.en ? m->title.en : m->id), col(colour, C_DIM), m->id,
			  r->state[i] == MAT_ABSENT_OPTIONAL ? (zh ? "，可选" : ", optional") : "", col(colour, C_OFF));
		for (j = 0; j < r->n_files; j++) {
			const checked_file *f = &r->files[j];
			if (f->material != (int)i)
				continue;
			sb_printf(&b, "    %s", f->rel);
			if (f->info.format == FMT_JPEG || f->info.format == FMT_PNG)
				sb_printf(&b, "  %s %ux%u", format_name(f->info.format), f->info.width, f->info.height);
			else if (f->info.format == FMT_PDF && f->info.pages > 0)
				sb_printf(&b, "  pdf %d %s", f->info.pages, zh ? "页" : (f->info.pages == 1 ? "page" : "pages"));
			else if (f->info.format == FMT_PDF)  /* encrypted or damaged: pages unknown */
				sb_printf(&b, "  pdf");
			if (f->how == HOW_CONTENT) /* the notice: no name said what it is */
				sb_printf(&b, "  %s", zh ? "（文件名未注明，按内容识别）" : "(recognised by its content, not its name)");
			sb_printf(&b, "\n");
		}
		for (j = 0; j < r->findings.n; j++)
			if (r->findings.v[j].material && strcmp(r->findings.v[j].material, m->id) == 0)
				text_finding(&b, &r->findings.v[j], lang, colour);
	}
	for (j = 0; j < r->findings.n; j++) {
		const finding *f = &r->findings.v[j];
		if (f->material && template_material(r->tpl, f->material))
			continue;
		if (!other++)
			sb_printf(&b, "%s\n", zh ? "其他：" : "Other:");
		text_finding(&b, f, lang, colour);
	}
	if (r->complete)
		sb_printf(&b, "%s%s%s", col(colour, C_GREEN), zh ? "材料齐全" : "complete", col(colour, C_OFF));
	else
		sb_printf(&b, "%s%s%s", col(colour, C_RED), zh ? "材料不全" : "incomplete", col(colour, C_OFF));
	if (zh)
		sb_printf(&b, "：%zu 个错误，%zu 个警告\n", errors, warnings);
	else
		sb_printf(&b, ": %zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
			  warnings == 1 ? "" : "s");
	if (errors + warnings)
		sb_printf(&b, "%s\n", zh ? "各问题的含义和处理方法：licpack explain 代码（如 licpack explain greyscale）"
				      : "what each code means and how to fix it: licpack explain CODE (e.g. licpack explain greyscale)");
	free(shown);
	return sb_detach(&b);
}

/* The fields of a read that were found: the ID number masked. */
static void json_put_fields(cJSON *o, const struct file_read *fr, int *ok)
{
	const read_fields *v = &fr->fields;
	cJSON *fo = cJSON_AddObjectToObject(o, "fields"), *doms;
	const struct {
		const char *key, *value;
	} str[] = {
		{ "company", v->company }, { "uscc", v->uscc }, { "legal_rep", v->legal_rep },
		{ "id_number", fr->id_masked }, { "id_valid_until", v->id_valid_until }, { "holder", v->holder },
		{ "licence_number", v->licence_number }, { "expiry", v->expiry }, { "signed", v->signed_date },
	};

	if (!fo) {
		*ok = 0;
		return;
	}
	for (size_t i = 0; i < sizeof str / sizeof str[0]; i++)
		if (str[i].value[0])
			json_put_str(fo, str[i].key, str[i].value, ok);
	if (!v->n_domains)
		return;
	doms = cJSON_AddArrayToObject(fo, "domains");
	for (size_t k = 0; doms && k < v->n_domains; k++) {
		cJSON *d = cJSON_CreateString(v->domains[k]);

		if (!d || !cJSON_AddItemToArray(doms, d)) {
			cJSON_Delete(d);
			*ok = 0;
		}
	}
	if (!doms)
		*ok = 0;
}

/* "read": what was read from the file (issue 12's report contract); none
 * for a file not read (a PDF, a damaged scan, reading off). */
static void json_put_read(cJSON *o, const check_result *r, const checked_file *f, int *ok)
{
	const struct file_read *fr = f->read;
	cJSON *ro;

	if (!fr || (fr->status != READ_PAGE_OK && fr->status != READ_PAGE_TIMEOUT && fr->status != READ_PAGE_TOO_LARGE))
		return;
	ro = cJSON_AddObjectToObject(o, "read");
	if (!ro) {
		*ok = 0;
		return;
	}
	json_put_str(ro, "as", read_as(r, f), ok);
	json_put_num(ro, "orientation", fr->shown_turn, ok);
	json_put_num(ro, "confidence", fr->status == READ_PAGE_OK ? fr->confidence : 0, ok);
	json_put_fields(ro, fr, ok);
}

static cJSON *json_file(const check_result *r, const checked_file *f, int *ok)
{
	cJSON *o = cJSON_CreateObject();

	if (!o) {
		*ok = 0;
		return NULL;
	}
	json_put_str(o, "path", f->rel, ok);
	json_put_str(o, "format", format_name(f->info.format), ok);
	json_put_num(o, "width", f->info.width, ok);
	json_put_num(o, "height", f->info.height, ok);
	json_put_num(o, "dpi", f->info.dpi_x, ok);
	json_put_num(o, "pages", f->info.pages, ok);
	json_put_num(o, "bytes", (double)f->bytes, ok);
	json_put_str(o, "sha256", f->sha256[0] ? f->sha256 : NULL, ok);
	json_put_str(o, "matched_by", match_how_name(f->how), ok);
	json_put_str(o, "domain", r->tpl->materials[f->material].per == PER_DOMAIN ? checked_file_entity(r, f) : NULL, ok);
	json_put_str(o, "person", r->tpl->materials[f->material].per == PER_DOMAIN ? NULL : checked_file_entity(r, f), ok);
	if (f->info.orientation)
		json_put_num(o, "orientation", f->info.orientation, ok);
	json_put_read(o, r, f, ok);
	return o;
}

void report_findings_json(cJSON *arr, const finding_list *l, lp_lang lang, int *ok)
{
	if (!arr)
		*ok = 0;
	for (size_t i = 0; arr && i < l->n; i++) {
		const finding *f = &l->v[i];
		cJSON *fo = json_push_obj(arr, ok);
		if (!fo)
			break;
		json_put_str(fo, "code", f->code, ok);
		json_put_str(fo, "severity", severity_name(f->sev), ok);
		json_put_str(fo, "material", f->material, ok);
		json_put_str(fo, "file", f->file, ok);
		json_put_str(fo, "message", finding_message(f, lang), ok);
	}
}

char *report_json(const check_result *r, const char *dir, lp_lang lang)
{
	cJSON *root = cJSON_CreateObject(), *t, *arr, *o;
	int ok = root != NULL;
	size_t i, j;
	char *out, *shown;

	if (!root)
		return NULL;
	if ((shown = dir ? strdup(dir) : NULL))
		mask_id_numbers(shown); /* as in every output */
	json_put_str(root, "folder", shown ? shown : dir, &ok);
	ok &= !dir || shown;
	free(shown);
	json_put_str(root, "status", r->complete ? "complete" : "incomplete", &ok);
	t = cJSON_AddObjectToObject(root, "template");
	if (t) {
		json_put_str(t, "id", r->tpl->id, &ok);
		json_put_num(t, "version", r->tpl->version, &ok);
		json_put_str(t, "region", r->tpl->region, &ok);
		json_put_str(t, "title", lang == LANG_ZH ? r->tpl->title.zh : r->tpl->title.en, &ok);
	} else {
		ok = 0;
	}
	o = cJSON_AddObjectToObject(root, "counts");
	if (o) {
		json_put_num(o, "errors", (double)findings_count(&r->findings, SEV_ERROR), &ok);
		json_put_num(o, "warnings", (double)findings_count(&r->findings, SEV_WARNING), &ok);
		json_put_num(o, "files", (double)r->n_files, &ok);
	} else {
		ok = 0;
	}
	arr = cJSON_AddArrayToObject(root, "materials");
	for (i = 0; arr && i < r->tpl->n_materials; i++) {
		const material *m = &r->tpl->materials[i];
		cJSON *mo = cJSON_CreateObject(), *files;
		if (!mo || !cJSON_AddItemToArray(arr, mo)) {
			cJSON_Delete(mo);
			ok = 0;
			break;
		}
		json_put_str(mo, "id", m->id, &ok);
		json_put_str(mo, "title", lang == LANG_ZH ? m->title.zh : m->title.en, &ok);
		if (!cJSON_AddBoolToObject(mo, "required", m->required))
			ok = 0;
		json_put_str(mo, "status", material_state_name(r->state[i]), &ok);
		files = cJSON_AddArrayToObject(mo, "files");
		for (j = 0; files && j < r->n_files; j++)
			if (r->files[j].material == (int)i) {
				cJSON *fo = json_file(r, &r->files[j], &ok);
				if (fo && !cJSON_AddItemToArray(files, fo)) {
					cJSON_Delete(fo);
					ok = 0;
				}
			}
		if (!files)
			ok = 0;
	}
	if (!arr)
		ok = 0;
	report_findings_json(cJSON_AddArrayToObject(root, "findings"), &r->findings, lang, &ok);
	arr = cJSON_AddArrayToObject(root, "unrecognized");
	for (i = 0; arr && i < r->n_unrecognized; i++) {
		cJSON *s = cJSON_CreateString(r->unrecognized[i]);
		if (!s || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			ok = 0;
		}
	}
	if (!arr)
		ok = 0;
	out = ok ? json_print_nl(root) : NULL;
	cJSON_Delete(root);
	return out;
}
