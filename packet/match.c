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

struct matcher {
	alias *aliases;
	size_t n_aliases;
	char **domains;   /* lowercased */
	size_t n_domains;
	int per_domain;   /* the template's only per-domain material, or -1 */
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
	for (i = 0; i < t->n_materials; i++) {
		const material *mat = &t->materials[i];
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
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n_aliases; i++)
		free(m->aliases[i].text);
	free(m->aliases);
	for (i = 0; i < m->n_domains; i++)
		free(m->domains[i]);
	free(m->domains);
	free(m);
}

/* Best material for one name (already normalised): the longest alias it
 * contains; a tie of equal length between two materials sets *tie. */
static int best_alias(const matcher *m, const char *norm, int *tie)
{
	size_t i, best_len = 0;
	int best = -1;

	*tie = -1;
	for (i = 0; i < m->n_aliases; i++) {
		const alias *a = &m->aliases[i];
		if (a->chars < best_len || !strstr(norm, a->text))
			continue;
		if (a->chars > best_len) {
			best_len = a->chars;
			best = a->material;
			*tie = -1;
		} else if (a->material != best) {
			*tie = a->material;
		}
	}
	return best;
}

/* Match one path component (a folder name or a file stem). */
static int match_component(const matcher *m, const char *name, int *tie)
{
	char *norm = normalise_name(name);
	int best;

	if (!norm)
		return -2;
	best = best_alias(m, norm, tie);
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
			int left_ok = p == text || !is_domain_char(p[-1]);
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

int matcher_match(const matcher *m, const char *rel, match_result *out)
{
	const char *slash, *start = rel, *base = strrchr(rel, '/');
	char *stem = NULL;
	int best, tie;

	out->material = out->ambiguous_with = out->domain = -1;
	out->how = HOW_NONE;
	base = base ? base + 1 : rel;

	/* 1. a sub-folder, the top-most that names a material */
	while ((slash = strchr(start, '/'))) {
		char *comp = strndup(start, (size_t)(slash - start));
		if (!comp)
			return -1;
		best = match_component(m, comp, &tie);
		free(comp);
		if (best == -2)
			return -1;
		if (best >= 0) {
			out->material = best;
			out->ambiguous_with = tie;
			out->how = HOW_FOLDER;
			goto domain;
		}
		start = slash + 1;
	}

	/* 2. the file name without its extension */
	{
		const char *dot = strrchr(base, '.');
		size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
		stem = strndup(base, n);
		if (!stem)
			return -1;
	}
	best = match_component(m, stem, &tie);
	free(stem);
	if (best == -2)
		return -1;
	if (best >= 0) {
		out->material = best;
		out->ambiguous_with = tie;
		out->how = HOW_NAME;
	}
domain:
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

const char *match_how_name(match_how how)
{
	switch (how) {
	case HOW_ASSIGNED: return "packet.json";
	case HOW_FOLDER: return "folder";
	case HOW_NAME: return "name";
	case HOW_DOMAIN: return "domain";
	default: return "none";
	}
}
