/*
 * match: aliases and domains against file paths (see match.h).
 */
#include "packet/match.h"

#include <stdlib.h>
#include <string.h>

#include "packet/normalise.h"
#include "packet/util.h"

typedef struct {
	char *text;     /* normalised alias */
	size_t chars;   /* its length in characters: "longest" counts characters */
	int material;
} alias;

/* Names of people or companies of one kind, normalised like file names. */
typedef struct {
	char **names;
	size_t n;
} entity_names;

struct matcher {
	alias *aliases;
	size_t n_aliases;
	per_kind *per;        /* per material: its per kind */
	char **domains;       /* lowercased */
	size_t n_domains;
	int per_domain;       /* the template's only per-domain material, or -1 */
	entity_names people[2]; /* [0] staff, [1] shareholders */
};

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A copy with ASCII letters lowercased (domain names are case-insensitive). */
static char *ascii_lower(const char *s)
{
	char *d = strdup(s), *p;

	for (p = d; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

static int add_alias(matcher *m, size_t *cap, const char *raw, int material)
{
	char *t = normalise_name(raw);
	size_t i;

	if (!t)
		return -1;
	/* an alias that normalises to nothing, or repeats one, adds nothing */
	for (i = 0; i < m->n_aliases; i++)
		if (m->aliases[i].material == material && strcmp(m->aliases[i].text, t) == 0)
			break;
	if (!t[0] || i < m->n_aliases) {
		free(t);
		return 0;
	}
	if (m->n_aliases == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		alias *v = realloc(m->aliases, nc * sizeof *v);
		if (!v) {
			free(t);
			return -1;
		}
		m->aliases = v;
		*cap = nc;
	}
	m->aliases[m->n_aliases].text = t;
	m->aliases[m->n_aliases].chars = utf8_chars(t);
	m->aliases[m->n_aliases].material = material;
	m->n_aliases++;
	return 0;
}

matcher *matcher_new(const template *t, const char *const *domains, size_t n_domains)
{
	matcher *m = calloc(1, sizeof *m);
	size_t i, j, cap = 0;

	if (!m)
		return NULL;
	m->per_domain = -1;
	m->per = calloc(t->n_materials + 1, sizeof *m->per);
	if (!m->per)
		goto fail;
	for (i = 0; i < t->n_materials; i++) {
		const material *mat = &t->materials[i];
		m->per[i] = mat->per;
		if (add_alias(m, &cap, mat->id, (int)i) || add_alias(m, &cap, mat->title.zh, (int)i))
			goto fail;
		for (j = 0; j < mat->n_aliases; j++)
			if (add_alias(m, &cap, mat->aliases[j], (int)i))
				goto fail;
		if (mat->per == PER_DOMAIN)
			m->per_domain = m->per_domain == -1 ? (int)i : -2;
	}
	if (m->per_domain < 0)
		m->per_domain = -1;
	if (n_domains) {
		m->domains = calloc(n_domains, sizeof *m->domains);
		if (!m->domains)
			goto fail;
		for (i = 0; i < n_domains; i++) {
			m->domains[i] = ascii_lower(domains[i] ? domains[i] : "");
			if (!m->domains[i])
				goto fail;
			m->n_domains++;
		}
	}
	return m;
fail:
	matcher_free(m);
	return NULL;
}

void matcher_free(matcher *m)
{
	size_t i, k;

	if (!m)
		return;
	for (i = 0; i < m->n_aliases; i++)
		free(m->aliases[i].text);
	free(m->aliases);
	for (i = 0; i < m->n_domains; i++)
		free(m->domains[i]);
	free(m->domains);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < m->people[k].n; i++)
			free(m->people[k].names[i]);
		free(m->people[k].names);
	}
	free(m->per);
	free(m);
}

int matcher_set_entities(matcher *m, per_kind kind, const char *const *names, size_t n)
{
	entity_names *e;
	size_t i;

	if (kind != PER_STAFF && kind != PER_SHAREHOLDER)
		return 0;
	e = &m->people[kind == PER_STAFF ? 0 : 1];
	e->names = calloc(n + 1, sizeof *e->names);
	if (!e->names)
		return -1;
	for (i = 0; i < n; i++) {
		e->names[i] = normalise_name(names[i] ? names[i] : "");
		if (!e->names[i])
			return -1;
		e->n++;
	}
	return 0;
}

/* Materials fall in groups by what they repeat for: people (staff, or
 * shareholders) or not. A name is matched within one group. */
static int in_group(const matcher *m, int material, per_kind group)
{
	per_kind p = m->per[material];

	if (group == PER_STAFF || group == PER_SHAREHOLDER)
		return p == group;
	return p == PER_NONE || p == PER_DOMAIN;
}

/* Best material of group for one name (already normalised): the longest
 * alias it contains (its length in *chars); a tie of equal length between
 * two materials sets *tie. */
static int best_alias(const matcher *m, const char *norm, per_kind group, int *tie, size_t *chars)
{
	size_t i, best_len = 0;
	int best = -1;

	*tie = -1;
	for (i = 0; i < m->n_aliases; i++) {
		const alias *a = &m->aliases[i];
		if (a->chars < best_len || !in_group(m, a->material, group) || !strstr(norm, a->text))
			continue;
		if (a->chars > best_len) {
			best_len = a->chars;
			best = a->material;
			*tie = -1;
		} else if (a->material != best) {
			*tie = a->material;
		}
	}
	*chars = best_len;
	return best;
}

/* Match one path component (a folder name or a file stem). Bracketed notes
 * are decorations ("营业执照（盖章）"), but when the rest names nothing, the
 * note may be all that tells: "法人身份证（正反面）", "身份证（反面）". */
static int match_component(const matcher *m, const char *name, per_kind group, int *tie, size_t *chars)
{
	char *norm = normalise_name(name);
	int best;

	if (!norm)
		return -2;
	best = best_alias(m, norm, group, tie, chars);
	free(norm);
	if (best >= 0)
		return best;
	norm = normalise_keep_notes(name);
	if (!norm)
		return -2;
	best = best_alias(m, norm, group, tie, chars);
	free(norm);
	return best;
}

/* The person of kind k (0 staff, 1 shareholders) named in rel: the longest
 * name contained in the normalised path. -1 none, -2 out of memory. */
static int find_person(const matcher *m, int k, const char *rel)
{
	const entity_names *e = &m->people[k];
	size_t i, best_len = 0;
	int best = -1;
	char *norm;

	if (!e->n)
		return -1;
	norm = normalise_name(rel);
	if (!norm)
		return -2;
	for (i = 0; i < e->n; i++) {
		size_t len = strlen(e->names[i]);
		if (len > best_len && strstr(norm, e->names[i])) {
			best = (int)i;
			best_len = len;
		}
	}
	free(norm);
	return best;
}

/* Characters that continue an ASCII domain name. (A Chinese character next
 * to a domain ends it: "证书example.com" names example.com.) */
static int is_domain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* The longest domain that occurs in text bounded by non-domain characters
 * (so "example.com" is not found in "myexample.com" or "example.com.cn").
 * A trailing '.' after the domain is allowed: it starts the extension. */
static int find_domain(const matcher *m, const char *text)
{
	size_t i, best_len = 0;
	int best = -1;

	for (i = 0; i < m->n_domains; i++) {
		const char *d = m->domains[i], *p = text;
		size_t dl = strlen(d);
		if (!dl || dl <= best_len)
			continue;
		while ((p = strstr(p, d))) {
			char after = p[dl];
			/* a hyphen after a title is a separator ("域名证书-example.com"),
			 * one inside a name is not ("my-example.com") */
			int left_ok = p == text || !is_domain_char(p[-1]) ||
				      (p[-1] == '-' && (p - 1 == text || !is_domain_char(p[-2])));
			int right_ok = !is_domain_char(after) ||
				       (after == '.' && !strchr(p + dl + 1, '.') && !strchr(p + dl + 1, '/'));
			if (left_ok && right_ok) {
				best = (int)i;
				best_len = dl;
				break;
			}
			p++;
		}
	}
	return best;
}

int matcher_domain(const matcher *m, const char *rel)
{
	char *norm;
	int d;

	if (!m->n_domains)
		return -1;
	norm = ascii_lower(rel);
	if (!norm)
		return -2;
	d = find_domain(m, norm);
	free(norm);
	return d;
}

/* The first n bytes of name matched within group: out filled in, with
 * how, when they name a material. 1 when they do, 0 when not, -1 out of
 * memory. */
static int match_part(const matcher *m, const char *name, size_t n, per_kind group, match_how how,
		      match_result *out)
{
	char *part = strndup(name, n);
	int best, tie;
	size_t chars;

	if (!part)
		return -1;
	best = match_component(m, part, group, &tie, &chars);
	free(part);
	if (best == -2)
		return -1;
	if (best < 0)
		return 0;
	out->material = best;
	out->ambiguous_with = tie;
	out->how = how;
	out->chars = (int)chars;
	return 1;
}

/* Folder rule, then file-name rule, within one group of materials. */
static int match_in_group(const matcher *m, const char *rel, per_kind group, match_result *out)
{
	const char *slash, *start = rel, *base = strrchr(rel, '/'), *dot;
	int r;

	base = base ? base + 1 : rel;
	/* 1. a sub-folder, the top-most that names a material */
	for (; (slash = strchr(start, '/')); start = slash + 1)
		if ((r = match_part(m, start, (size_t)(slash - start), group, HOW_FOLDER, out)) != 0)
			return r < 0 ? -1 : 0;
	/* 2. the file name without its extension */
	dot = strrchr(base, '.');
	r = match_part(m, base, dot && dot != base ? (size_t)(dot - base) : strlen(base), group, HOW_NAME, out);
	return r < 0 ? -1 : 0;
}

int matcher_match(const matcher *m, const char *rel, match_result *out)
{
	int k;

	out->material = out->ambiguous_with = out->domain = out->entity = -1;
	out->how = HOW_NONE;
	out->chars = 0;
	/* a named staff member or shareholder: that kind's materials first */
	for (k = 0; k < 2 && out->material < 0; k++) {
		int who = find_person(m, k, rel);
		if (who == -2)
			return -1;
		if (who < 0)
			continue;
		if (match_in_group(m, rel, k == 0 ? PER_STAFF : PER_SHAREHOLDER, out) != 0)
			return -1;
		if (out->material >= 0)
			out->entity = who;
	}
	if (out->material < 0 && match_in_group(m, rel, PER_NONE, out) != 0)
		return -1;
	out->domain = matcher_domain(m, rel);
	if (out->domain == -2)
		return -1;
	/* 3. a name that holds nothing but a domain: the per-domain material */
	if (out->material < 0 && out->domain >= 0 && m->per_domain >= 0) {
		out->material = m->per_domain;
		out->how = HOW_DOMAIN;
	}
	return 0;
}

/* The staff member or shareholder (per kind) named in rel: index or -1;
 * -2 when out of memory. */
int matcher_entity(const matcher *m, per_kind kind, const char *rel)
{
	if (kind != PER_STAFF && kind != PER_SHAREHOLDER)
		return -1;
	return find_person(m, kind == PER_STAFF ? 0 : 1, rel);
}

const char *match_how_name(match_how how)
{
	switch (how) {
	case HOW_ASSIGNED: return "packet.json";
	case HOW_FOLDER: return "folder";
	case HOW_NAME: return "name";
	case HOW_DOMAIN: return "domain";
	case HOW_CONTENT: return "content";
	default: return "none";
	}
}
