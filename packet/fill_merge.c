/*
 * fill_merge: the values a folder's reads give packet.json, each with the
 * files that say it (the interface is in fill.h).
 *
 * A value comes from the applicant's own documents only: the business
 * licence (name, USCC, legal representative, registered capital), the
 * legal representative's ID card (name, ID number; validity end), the
 * domain certificates and the current licence. A file named as one of
 * them that reads as another document gives nothing (check says
 * wrong-document). Two files that read two values for one key give no
 * value: the key keeps its placeholder and the conflict names both.
 */
#include "packet/fill.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const key_paths[FILL__KEYS] = {
	"company.name", "company.uscc", "company.capital_wan", "legal_rep.name",
	"legal_rep.id_number", "legal_rep.id_expiry", "licence.number", "licence.expiry",
};

const char *fill_key_path(fill_key k)
{
	return (unsigned)k < FILL__KEYS ? key_paths[k] : "?";
}

int fill_capital_wan(const char *s, double *wan)
{
	const char *p = s;
	char *end;
	double d;

	while (*p >= '0' && *p <= '9')
		p++;
	if (p == s)
		return -1;
	if (*p == '.') {
		const char *q = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == q)
			return -1;
	}
	while (*p == ' ')
		p++;
	if (strncmp(p, "万", strlen("万")) != 0)
		return -1;
	d = strtod(s, &end);
	if (end == s || !(d > 0) || !isfinite(d))
		return -1;
	*wan = d;
	return 0;
}

/* One more file saying text for v. */
static void say(fill_value *v, const char *text, const char *from)
{
	if (!text[0] || v->conflict)
		return;
	if (!v->n_from) {
		snprintf(v->value, sizeof v->value, "%s", text);
		v->from[v->n_from++] = from;
	} else if (strcmp(v->value, text) == 0) {
		if (v->n_from < FILL_MAX_FROM)
			v->from[v->n_from++] = from;
	} else {
		v->conflict = 1;
		snprintf(v->first, sizeof v->first, "%s", v->value);
		snprintf(v->other, sizeof v->other, "%s", text);
		v->other_from = from;
		explicit_bzero(v->value, sizeof v->value);
	}
}

static int add_skip(fill_values *out, const fill_file *f, fill_skip_why why, const char *material)
{
	fill_skipped *s = realloc(out->skipped, (out->n_skipped + 1) * sizeof *s);

	if (!s)
		return -1;
	out->skipped = s;
	s += out->n_skipped++;
	memset(s, 0, sizeof *s);
	s->name = f->name;
	s->why = why;
	s->material = material;
	s->kind = f->fields.kind;
	s->status = f->status;
	if (why == FILL_SKIP_CAPITAL)
		snprintf(s->text, sizeof s->text, "%s", f->fields.registered_capital);
	return 0;
}

static int add_assigned(fill_values *out, const fill_file *f, const char *material)
{
	fill_assigned *a = realloc(out->assigned, (out->n_assigned + 1) * sizeof *a);

	if (!a)
		return -1;
	out->assigned = a;
	a += out->n_assigned++;
	a->rel = f->rel;
	a->name = f->name;
	a->material = material;
	a->kind = f->fields.kind;
	return 0;
}

static void domains_say(fill_values *out, const read_fields *v, const char *from)
{
	for (size_t k = 0; k < v->n_domains; k++) {
		size_t d;

		for (d = 0; d < out->n_domains; d++)
			if (strcasecmp(out->domains[d].name.value, v->domains[k]) == 0)
				break;
		if (d == out->n_domains) {
			if (d == FILL_MAX_DOMAINS)
				continue;
			out->n_domains++;
		}
		say(&out->domains[d].name, v->domains[k], from);
		say(&out->domains[d].expiry, v->expiry, from);
	}
}

/* The values of f, read as the source document kind. Returns 0, -1 out of memory. */
static int values_of(fill_values *out, const fill_file *f, read_doc_kind kind)
{
	const read_fields *v = &f->fields;
	char num[32];
	double wan;

	switch (kind) {
	case READ_DOC_BUSINESS_LICENCE:
		say(&out->v[FILL_COMPANY_NAME], v->company, f->name);
		say(&out->v[FILL_COMPANY_USCC], v->uscc, f->name);
		say(&out->v[FILL_REP_NAME], v->legal_rep, f->name);
		if (!v->registered_capital[0])
			break;
		if (fill_capital_wan(v->registered_capital, &wan) != 0)
			return add_skip(out, f, FILL_SKIP_CAPITAL, NULL);
		snprintf(num, sizeof num, "%g", wan);
		say(&out->v[FILL_CAPITAL_WAN], num, f->name);
		break;
	case READ_DOC_ID_PORTRAIT:
		say(&out->v[FILL_REP_NAME], v->id_name, f->name);
		say(&out->v[FILL_REP_ID_NUMBER], v->id_number, f->name);
		break;
	case READ_DOC_ID_EMBLEM:
		say(&out->v[FILL_REP_ID_EXPIRY], strcmp(v->id_valid_until, "long-term") == 0 ? "长期" : v->id_valid_until,
		    f->name);
		break;
	case READ_DOC_DOMAIN_CERT:
		domains_say(out, v, f->name);
		break;
	case READ_DOC_LICENCE:
		say(&out->v[FILL_LICENCE_NUMBER], v->licence_number, f->name);
		say(&out->v[FILL_LICENCE_EXPIRY], v->expiry, f->name);
		break;
	default:
		break;
	}
	return 0;
}

/* The domain certificates read: more than one and a domain's certificate
 * cannot be assigned in "files" without its domain in the name. */
static int domain_reads(const fill_folder *f)
{
	int n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].read && f->v[i].fields.kind == READ_DOC_DOMAIN_CERT;
	return n;
}

/* Whose ID card the legal representative's is, when several are named so
 * (staff members' cards in their own sub-folders match the same names, as
 * init knows no staff names): the 法定代表人 the business licences read,
 * when they agree, in rep (else ""). Returns how many files are named as
 * the legal representative's portrait side; -1 out of memory. */
static int portraits(const template *t, const matcher *m, const fill_folder *f, int one_domain, char rep[64])
{
	int n = 0, agree = 1;

	rep[0] = '\0';
	for (size_t i = 0; i < f->n; i++) {
		const fill_file *ff = &f->v[i];
		int c, k = fill_material(t, m, ff, one_domain, &c, NULL);
		read_doc_kind want;

		if (k == -2)
			return -1;
		if (k < 0 || !ff->read)
			continue;
		want = fill_source_kind(&t->materials[k]);
		n += want == READ_DOC_ID_PORTRAIT;
		if (want != READ_DOC_BUSINESS_LICENCE || ff->fields.kind != want || !ff->fields.legal_rep[0])
			continue;
		if (rep[0] && strcmp(rep, ff->fields.legal_rep) != 0)
			agree = 0;
		snprintf(rep, 64, "%s", ff->fields.legal_rep);
	}
	if (!agree)
		rep[0] = '\0';
	return n;
}

int fill_merge(const template *t, const fill_folder *f, fill_values *out)
{
	matcher *m = matcher_new(t, NULL, 0);
	int one_domain = domain_reads(f) <= 1, ret = -1, n_portraits;
	char rep[64];

	memset(out, 0, sizeof *out);
	if (!m)
		return -1;
	if ((n_portraits = portraits(t, m, f, one_domain, rep)) < 0)
		goto cleanup;
	for (size_t i = 0; i < f->n; i++) {
		const fill_file *ff = &f->v[i];
		int c, k = fill_material(t, m, ff, one_domain, &c, NULL);
		const char *mid;
		read_doc_kind want;

		if (k == -2)
			goto cleanup;
		if (k < 0) {
			/* one of several domain certificates, named by no domain:
			 * its domain is the applicant's all the same (check, reading,
			 * matches it by that domain) */
			if (ff->read && ff->fields.kind == READ_DOC_DOMAIN_CERT && template_material(t, "domain-certificate"))
				domains_say(out, &ff->fields, ff->name);
			continue;
		}
		mid = t->materials[k].id;
		/* a name packet.json cannot hold as it is (not UTF-8, control
		 * characters, an ID number: its display name differs) */
		if (c && (strcmp(ff->rel, ff->name) == 0 ? add_assigned(out, ff, mid) : add_skip(out, ff, FILL_SKIP_NAME, mid)) != 0)
			goto cleanup;
		if ((want = fill_source_kind(&t->materials[k])) == READ_DOC_UNKNOWN)
			continue;
		if (!ff->image || !ff->read) {
			if (add_skip(out, ff, ff->image ? FILL_SKIP_UNREAD : FILL_SKIP_PDF, mid) != 0)
				goto cleanup;
			continue;
		}
		if (ff->fields.kind != want && ff->fields.kind != READ_DOC_UNKNOWN) {
			if (add_skip(out, ff, FILL_SKIP_WRONG, mid) != 0)
				goto cleanup;
			continue;
		}
		if (want == READ_DOC_ID_PORTRAIT && n_portraits > 1 && rep[0] && ff->fields.id_name[0] &&
		    strcmp(ff->fields.id_name, rep) != 0) {
			if (add_skip(out, ff, FILL_SKIP_OTHER_PERSON, mid) != 0)
				goto cleanup;
			snprintf(out->skipped[out->n_skipped - 1].text, sizeof out->skipped[0].text, "%s", rep);
			continue;
		}
		if (values_of(out, ff, want) != 0)
			goto cleanup;
	}
	ret = 0;
cleanup:
	matcher_free(m);
	if (ret != 0)
		fill_values_release(out);
	return ret;
}

void fill_values_release(fill_values *v)
{
	free(v->assigned);
	free(v->skipped);
	explicit_bzero(v, sizeof *v);
}
