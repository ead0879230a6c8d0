/*
 * read_content: what the values read from a scan say about the application
 * — the right document under the right name, the same identifiers as
 * packet.json, dates still valid, forms signed recently enough.
 *
 * Only validated reads (read_fields.c checks check characters, real dates,
 * known formats) raise an error; names are compared by nobody here, as
 * recognition misreads a character of a serif company name often enough
 * (reading-notes) and the identifiers carry the errors. A value expected
 * but not read is content-unconfirmed, a warning.
 *
 * Which document each material is, whether it is the applicant's own, and
 * which forms count as written for this application (with their window for
 * signed-too-early) are the templates' word: each material's `read` key
 * (material.read, templates/README.md).
 */
#include "packet/read_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "packet/ident.h"

const material *read_kind_material(const template *t, read_doc_kind kind)
{
	if (kind == READ_DOC_UNKNOWN || kind == READ_DOC_SIGNED_FORM)
		return NULL;
	for (size_t i = 0; i < t->n_materials; i++) {
		const material *m = &t->materials[i];
		if (m->read.as == kind && m->read.own && (m->per == PER_NONE || m->per == PER_DOMAIN))
			return m;
	}
	return NULL;
}

/* A specific document (not a form, not unknown). */
static int specific(read_doc_kind k)
{
	return k != READ_DOC_UNKNOWN && k != READ_DOC_SIGNED_FORM;
}

static const char *kind_en(read_doc_kind k)
{
	switch (k) {
	case READ_DOC_BUSINESS_LICENCE: return "a business licence";
	case READ_DOC_ID_PORTRAIT: return "an ID card's portrait side";
	case READ_DOC_ID_EMBLEM: return "an ID card's emblem side";
	case READ_DOC_DOMAIN_CERT: return "a domain certificate";
	case READ_DOC_LICENCE: return "a telecom licence";
	case READ_DOC_SIGNED_FORM: return "a signed form";
	case READ_DOC_UNKNOWN: break;
	}
	return "another document";
}

static const char *kind_zh(read_doc_kind k)
{
	switch (k) {
	case READ_DOC_BUSINESS_LICENCE: return "营业执照";
	case READ_DOC_ID_PORTRAIT: return "身份证人像面";
	case READ_DOC_ID_EMBLEM: return "身份证国徽面";
	case READ_DOC_DOMAIN_CERT: return "域名证书";
	case READ_DOC_LICENCE: return "电信业务经营许可证";
	case READ_DOC_SIGNED_FORM: return "签署的表格";
	case READ_DOC_UNKNOWN: break;
	}
	return "其他材料";
}

const char *read_as(const check_result *r, const checked_file *f)
{
	const material *m = &r->tpl->materials[f->material], *o;
	read_doc_kind got;

	if (!f->read || (got = f->read->fields.kind) == READ_DOC_UNKNOWN)
		return NULL;
	if (got == m->read.as)
		return m->id;
	/* another material of the template, or what the document is called
	 * where it is asked for */
	o = read_kind_material(r->tpl, got);
	return o ? o->id : read_doc_material(got);
}

#define ADD(code, en, zh) findings_add(&r->findings, code, mid, f->rel, en, zh)

/* Licence numbers compared without their leading province character
 * (浙B2-... and B2-... are the same licence, and the province is the
 * character recognition gets wrong most) and without spaces. */
static void licence_key(const char *s, char *out, size_t n)
{
	size_t o = 0;

	while ((unsigned char)*s >= 0x80)
		s++;
	for (; *s && o + 1 < n; s++)
		if (*s != ' ')
			out[o++] = *s;
	out[o] = '\0';
}

/* A date read (YYYY-MM-DD or "long-term") against the one packet.json gives
 * (may be NULL) and today: content-mismatch when they differ, else expired /
 * expires-soon (soon_days ahead) when packet.json gives none. */
static int date_findings(check_result *r, checked_file *f, const char *what_en, const char *what_zh,
			 const char *read, const char *given, long today, int soon_days)
{
	const char *mid = r->tpl->materials[f->material].id;
	long d;

	if (!read[0])
		return 0;
	if (given && given[0]) {
		if (strcmp(read, given) == 0 || (strcmp(read, "long-term") == 0 && strcmp(given, "长期") == 0))
			return 0;
		return ADD("content-mismatch",
			   lp_strdupf("'%s': the %s reads %s, packet.json says %s", f->rel, what_en, read, given),
			   lp_strdupf("'%s'：扫描件上的%s为 %s，packet.json 填的是 %s", f->rel, what_zh,
				      strcmp(read, "long-term") == 0 ? "长期" : read, given));
	}
	if (date_parse(read, &d) != 0)
		return 0; /* long-term */
	if (d < today)
		return ADD("expired",
			   lp_strdupf("'%s': the %s read from the scan, %s, has passed", f->rel, what_en, read),
			   lp_strdupf("'%s'：扫描件上的%s %s 已过", f->rel, what_zh, read));
	if (soon_days > 0 && d < today + soon_days)
		return ADD("expires-soon",
			   lp_strdupf("'%s': the %s read from the scan, %s, is less than %d days away", f->rel, what_en,
				      read, soon_days),
			   lp_strdupf("'%s'：扫描件上的%s %s 已不足 %d 天", f->rel, what_zh, read, soon_days));
	return 0;
}

/* The ID number packet.json gives for f's person, or NULL: a staff member's
 * for a material per staff, else the legal representative's. */
static const char *given_id(const check_result *r, const checked_file *f, const char **expiry)
{
	per_kind per = r->tpl->materials[f->material].per;

	*expiry = NULL;
	if (per == PER_NONE) {
		*expiry = r->app.rep_id_expiry;
		return r->app.rep_id_number;
	}
	if (per == PER_STAFF && f->entity >= 0 && (size_t)f->entity < r->app.n_staff) {
		*expiry = r->app.staff[f->entity].id_expiry;
		return r->app.staff[f->entity].id_number;
	}
	return NULL;
}

/* Values of an own document against packet.json. */
static int compare_values(check_result *r, checked_file *f, const struct read_setup *s, long today)
{
	const struct file_read *fr = f->read;
	const read_fields *v = &fr->fields;
	const material *m = &r->tpl->materials[f->material];
	const char *mid = m->id, *given, *expiry;
	const template_rules *rules = &r->tpl->rules;
	char dg[65], a[64], b[64];

	switch (m->read.as) {
	case READ_DOC_BUSINESS_LICENCE:
		if (v->uscc[0] && r->app.company_uscc && r->app.company_uscc[0] &&
		    strcasecmp(v->uscc, r->app.company_uscc) != 0)
			return ADD("content-mismatch",
				   lp_strdupf("'%s': the licence's 统一社会信用代码 is %s, packet.json says %s: the business licence of another company?",
					      f->rel, v->uscc, r->app.company_uscc),
				   lp_strdupf("'%s'：营业执照上的统一社会信用代码为 %s，packet.json 填的是 %s，是否为其他公司的营业执照？",
					      f->rel, v->uscc, r->app.company_uscc));
		return 0;
	case READ_DOC_ID_PORTRAIT:
		given = given_id(r, f, &expiry);
		if (!fr->id_digest[0] || !given || !given[0])
			return 0;
		read_id_digest(s->key, given, dg);
		if (strcmp(dg, fr->id_digest) == 0)
			return 0;
		idcard_mask(given, a, sizeof a);
		return ADD("content-mismatch",
			   lp_strdupf("'%s': the card's 公民身份号码 is %s, packet.json says %s: another person's card?", f->rel,
				      fr->id_masked, a),
			   lp_strdupf("'%s'：身份证上的公民身份号码为 %s，packet.json 填的是 %s，是否为他人的身份证？", f->rel,
				      fr->id_masked, a));
	case READ_DOC_ID_EMBLEM:
		given_id(r, f, &expiry);
		return date_findings(r, f, "card's validity end", "身份证有效期截止日", v->id_valid_until, expiry, today,
				     rules->id_card_min_valid_days);
	case READ_DOC_DOMAIN_CERT: {
		const char *dom = m->per == PER_DOMAIN && f->entity >= 0 && (size_t)f->entity < r->app.n_domains
					  ? r->app.domains[f->entity].name : NULL;
		size_t k;

		if (!v->n_domains || !dom)
			return 0;
		for (k = 0; k < v->n_domains; k++)
			if (strcasecmp(v->domains[k], dom) == 0)
				break;
		if (k == v->n_domains)
			return ADD("content-mismatch",
				   lp_strdupf("'%s': the certificate is for %s, not %s", f->rel, v->domains[0], dom),
				   lp_strdupf("'%s'：该证书的域名是 %s，不是 %s", f->rel, v->domains[0], dom));
		return date_findings(r, f, "domain's expiry", "域名到期日", v->expiry, r->app.domains[f->entity].expiry,
				     today, rules->domain_min_valid_days);
	}
	case READ_DOC_LICENCE:
		if (v->licence_number[0] && r->app.licence_number && r->app.licence_number[0]) {
			licence_key(v->licence_number, a, sizeof a);
			licence_key(r->app.licence_number, b, sizeof b);
			if (strcmp(a, b) != 0)
				return ADD("content-mismatch",
					   lp_strdupf("'%s': the licence number reads %s, packet.json says %s", f->rel,
						      v->licence_number, r->app.licence_number),
					   lp_strdupf("'%s'：许可证编号为 %s，packet.json 填的是 %s", f->rel,
						      v->licence_number, r->app.licence_number));
		}
		return date_findings(r, f, "licence's expiry", "许可证有效期", v->expiry, r->app.licence_expiry, today, 0);
	default:
		return 0;
	}
}

/* The value this material's document must show, when it was not read. */
static const char *missing_value(const material *m, const struct file_read *fr, const char **zh)
{
	const read_fields *v = &fr->fields;

	*zh = NULL;
	switch (m->read.as) {
	case READ_DOC_BUSINESS_LICENCE: *zh = "统一社会信用代码"; return v->uscc[0] ? NULL : "统一社会信用代码 (USCC)";
	case READ_DOC_ID_PORTRAIT: *zh = "公民身份号码"; return fr->id_masked[0] ? NULL : "公民身份号码 (ID number)";
	case READ_DOC_ID_EMBLEM: *zh = "有效期限"; return v->id_valid_until[0] ? NULL : "有效期限 (validity)";
	case READ_DOC_DOMAIN_CERT: *zh = "域名"; return v->n_domains ? NULL : "domain name";
	case READ_DOC_LICENCE: *zh = "许可证编号"; return v->licence_number[0] ? NULL : "licence number";
	case READ_DOC_SIGNED_FORM:
		*zh = "签署日期";
		return m->read.signed_within_days && !v->signed_date[0] ? "signature date" : NULL;
	case READ_DOC_UNKNOWN: break;
	}
	return NULL;
}

int read_content_findings(check_result *r, checked_file *f, const struct read_setup *s, long today)
{
	const struct file_read *fr = f->read;
	const material *m = &r->tpl->materials[f->material];
	const char *mid = m->id, *en, *zh;
	read_doc_kind want = m->read.as, got;
	int days = m->read.signed_within_days;
	long d;

	if (!fr || fr->status != READ_PAGE_OK || want == READ_DOC_UNKNOWN)
		return 0;
	got = fr->fields.kind;
	if (specific(want) && specific(got) && got != want)
		return ADD("wrong-document",
			   lp_strdupf("'%s': named as %s but reads as %s", f->rel, kind_en(want), kind_en(got)),
			   lp_strdupf("'%s'：文件名表明是%s，内容却是%s", f->rel, kind_zh(want), kind_zh(got)));
	if ((en = missing_value(m, fr, &zh)) != NULL)
		return ADD("content-unconfirmed",
			   lp_strdupf("'%s': its %s could not be read; check it by eye", f->rel, en),
			   lp_strdupf("'%s'：未能识别出%s，请人工核对", f->rel, zh));
	if (days && date_parse(fr->fields.signed_date, &d) == 0 && today - d > days)
		return ADD("signed-too-early",
			   lp_strdupf("'%s': signed %s, %ld days before the build date; a form for this application may be at most %d days old",
				      f->rel, fr->fields.signed_date, today - d, days),
			   lp_strdupf("'%s'：签署日期 %s，早于生成日期 %ld 天；本次申请的表格签署不得早于 %d 天",
				      f->rel, fr->fields.signed_date, today - d, days));
	return m->read.own ? compare_values(r, f, s, today) : 0;
}
