/*
 * template_resolve: turning one template id (and a region) into the flat
 * `template` the checks use.
 *
 * The documents of the `extends` chain are applied as layers from the root
 * base down, then the region overlays in the same order: scalars replace,
 * `title`, `purpose` and `rules` merge key by key, a material whose id is
 * already there is patched key by key (its lists replaced whole), `remove`
 * and `order` name materials that must be there. Checks that need the
 * merged result happen here (count.max below count.min after patching, an
 * alias naming two materials, staff roles on a material not per staff,
 * stands_for naming what it cannot stand for). template_lint_file resolves
 * one file as the user would get it, plain and with each region.
 */
#include "packet/template_internal.h"

#include "packet/normalise.h"
#include "packet/probe.h"
#include "packet/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ----------------------------------------------------------- resolving --- */

/* Replace *dst with a copy of s. Returns 0, or 3 when out of memory. */
static int set_str(char **dst, const char *s)
{
	char *c = strdup(s);

	if (!c)
		return T_IO;
	free(*dst);
	*dst = c;
	return T_OK;
}

static void text2_release(text2 *t)
{
	free(t->zh);
	free(t->en);
	t->zh = t->en = NULL;
}

/* The keys given in a {"zh", "en"} object replace those in dst. */
static int apply_text2(text2 *dst, const cJSON *obj)
{
	const cJSON *it;

	if (!obj)
		return T_OK;
	if ((it = tpl_member(obj, "zh")) && set_str(&dst->zh, it->valuestring))
		return T_IO;
	if ((it = tpl_member(obj, "en")) && set_str(&dst->en, it->valuestring))
		return T_IO;
	return T_OK;
}

static void strings_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* Replace *list (n entries) with copies of the strings of the JSON array arr
 * (already checked). Returns 0, or 3 when out of memory (*list unchanged). */
static int strings_set(char ***list, size_t *n, const cJSON *arr)
{
	size_t count = (size_t)cJSON_GetArraySize(arr), k = 0;
	char **copy = calloc(count + 1, sizeof *copy);

	if (!copy)
		return T_IO;
	for (const cJSON *a = arr->child; a; a = a->next)
		if (!(copy[k++] = strdup(a->valuestring))) {
			strings_free(copy, k);
			return T_IO;
		}
	strings_free(*list, *n);
	*list = copy;
	*n = count;
	return T_OK;
}

static void material_release(material *m)
{
	free(m->id);
	text2_release(&m->title);
	strings_free(m->aliases, m->n_aliases);
	strings_free(m->roles, m->n_roles);
	strings_free(m->stands_for, m->n_stands_for);
	strings_free(m->sources, m->n_sources);
	memset(m, 0, sizeof *m);
}

static void material_defaults(material *m)
{
	memset(m, 0, sizeof *m);
	m->required = 1;
	m->count_min = 1;
	m->count_max = 1;
	m->formats = FMT_BIT(FMT_JPEG) | FMT_BIT(FMT_PNG) | FMT_BIT(FMT_PDF);
}

static int index_of(const char *const *names, const char *s)
{
	for (int k = 0; names[k]; k++)
		if (strcmp(names[k], s) == 0)
			return k;
	return 0;
}

/* Copy the keys present in obj (already checked) onto m. */
/* Append the strings of arr to *list, each as "key: string" when key is
 * given, skipping those already there (bases and overlays often cite the
 * same page). */
static int append_sources(char ***list, size_t *n, const cJSON *arr, const char *key)
{
	for (const cJSON *a = arr ? arr->child : NULL; a; a = a->next) {
		char *s = key ? lp_strdupf("%s: %s", key, a->valuestring) : strdup(a->valuestring);
		size_t i;
		char **g;
		if (!s)
			return T_IO;
		for (i = 0; i < *n && strcmp((*list)[i], s) != 0; i++)
			;
		if (i < *n) {
			free(s);
			continue;
		}
		g = realloc(*list, (*n + 1) * sizeof *g);
		if (!g) {
			free(s);
			return T_IO;
		}
		*list = g;
		g[(*n)++] = s;
	}
	return T_OK;
}

static int material_apply(material *m, const cJSON *obj)
{
	const cJSON *it, *a;

	if ((it = tpl_member(obj, "id")) && set_str(&m->id, it->valuestring))
		return T_IO;
	if (apply_text2(&m->title, tpl_member(obj, "title")))
		return T_IO;
	if ((it = tpl_member(obj, "aliases")) && strings_set(&m->aliases, &m->n_aliases, it))
		return T_IO;
	if ((it = tpl_member(obj, "roles")) && strings_set(&m->roles, &m->n_roles, it))
		return T_IO;
	if ((it = tpl_member(obj, "stands_for")) && strings_set(&m->stands_for, &m->n_stands_for, it))
		return T_IO;
	if (append_sources(&m->sources, &m->n_sources, tpl_member(obj, "sources"), NULL))
		return T_IO;
	if ((it = tpl_member(obj, "required")))
		m->required = cJSON_IsTrue(it);
	if ((it = tpl_member(obj, "colour")))
		m->colour = cJSON_IsTrue(it);
	if ((it = tpl_member(obj, "seal")))
		m->seal = cJSON_IsTrue(it);
	if ((it = tpl_member(obj, "watermark")))
		m->watermark = cJSON_IsTrue(it);
	if ((it = tpl_member(obj, "count"))) {
		if ((a = tpl_member(it, "min")))
			m->count_min = (int)a->valuedouble;
		if ((a = tpl_member(it, "max")))
			m->count_max = (int)a->valuedouble;
	}
	if ((it = tpl_member(obj, "per")))
		m->per = (per_kind)index_of(tpl_per_names, it->valuestring);
	if ((it = tpl_member(obj, "expiry")))
		m->expiry = (expiry_rule)index_of(tpl_expiry_names, it->valuestring);
	if ((it = tpl_member(obj, "formats"))) {
		m->formats = 0;
		for (a = it->child; a; a = a->next)
			m->formats |= FMT_BIT(format_from_name(a->valuestring));
	}
	if ((it = tpl_member(obj, "max_bytes")))
		m->max_bytes = (uint64_t)it->valuedouble;
	if ((it = tpl_member(obj, "min_long_edge")))
		m->min_long_edge = (uint32_t)it->valuedouble;
	if ((it = tpl_member(obj, "min_dpi")))
		m->min_dpi = (uint32_t)it->valuedouble;
	/* replaced whole; false: nothing declared */
	if ((it = tpl_member(obj, "read"))) {
		memset(&m->read, 0, sizeof m->read);
		if (cJSON_IsObject(it)) {
			m->read.as = tpl_read_kind(tpl_member(it, "as")->valuestring);
			a = tpl_member(it, "own");
			m->read.own = !a || cJSON_IsTrue(a);
			if ((a = tpl_member(it, "signed_within_days")))
				m->read.signed_within_days = (int)a->valuedouble;
		}
	}
	return T_OK;
}

static material *find_material(template *t, const char *id)
{
	for (size_t i = 0; i < t->n_materials; i++)
		if (strcmp(t->materials[i].id, id) == 0)
			return &t->materials[i];
	return NULL;
}

static int apply_remove(const vctx *c, template *t, const cJSON *arr, const char *path)
{
	size_t i = 0;
	char p[PATH_LEN];
	int ret = T_OK;

	for (const cJSON *a = arr ? arr->child : NULL; a; a = a->next, i++) {
		material *m = find_material(t, a->valuestring);
		if (!m) {
			tpl_index_path(p, path, i);
			ret = tpl_problem(c, LP_E_TPL_NO_REMOVE, c->file, p, a->valuestring);
			continue;
		}
		material_release(m);
		memmove(m, m + 1, (size_t)(t->materials + t->n_materials - (m + 1)) * sizeof *m);
		t->n_materials--;
	}
	return ret;
}

static int apply_materials(const vctx *c, template *t, const cJSON *arr, const char *path)
{
	size_t i = 0;
	char p[PATH_LEN];
	int ret = T_OK;

	for (const cJSON *a = arr ? arr->child : NULL; a; a = a->next, i++) {
		const char *id = tpl_member(a, "id")->valuestring;
		material *m = find_material(t, id);
		const cJSON *title;
		if (m) {
			if (material_apply(m, a))
				return tpl_oom(c->err);
			continue;
		}
		/* not a patch, so a new material, which needs its title */
		title = tpl_member(a, "title");
		if (!tpl_member(title, "zh")) {
			tpl_index_path(p, path, i);
			ret = tpl_problem(c, LP_E_TPL_NO_PATCH, c->file, p, id);
			continue;
		}
		m = realloc(t->materials, (t->n_materials + 1) * sizeof *m);
		if (!m)
			return tpl_oom(c->err);
		t->materials = m;
		m = &t->materials[t->n_materials++];
		material_defaults(m);
		if (material_apply(m, a))
			return tpl_oom(c->err);
	}
	return ret;
}

/* The listed materials go first, in the order given; the others follow in
 * the order they had. */
static int apply_order(const vctx *c, template *t, const cJSON *arr, const char *path)
{
	material *sorted;
	char *taken;
	size_t i = 0, k = 0;
	char p[PATH_LEN];
	int ret = T_OK;

	if (!arr)
		return T_OK;
	for (const cJSON *a = arr->child; a; a = a->next, i++)
		if (!find_material(t, a->valuestring)) {
			tpl_index_path(p, path, i);
			ret = tpl_problem(c, LP_E_TPL_NO_ORDER, c->file, p, a->valuestring);
		}
	if (ret)
		return ret;
	sorted = malloc((t->n_materials + 1) * sizeof *sorted);
	taken = calloc(t->n_materials + 1, 1);
	if (!sorted || !taken) {
		free(sorted);
		free(taken);
		return tpl_oom(c->err);
	}
	/* the load-time check refused repeated ids, so k stays within bounds */
	for (const cJSON *a = arr->child; a; a = a->next) {
		size_t j = (size_t)(find_material(t, a->valuestring) - t->materials);
		sorted[k++] = t->materials[j];
		taken[j] = 1;
	}
	for (i = 0; i < t->n_materials; i++)
		if (!taken[i])
			sorted[k++] = t->materials[i];
	free(taken);
	free(t->materials);
	t->materials = sorted;
	return T_OK;
}

/* The template's sources, appended; a rule's sources replace what a base
 * said of that rule (as the rule's value does). */
static int apply_sources(template *t, const cJSON *obj)
{
	const cJSON *rs = tpl_member(obj, "rule_sources");

	if (append_sources(&t->sources, &t->n_sources, tpl_member(obj, "sources"), NULL))
		return T_IO;
	for (const cJSON *r = rs ? rs->child : NULL; r; r = r->next) {
		size_t len = strlen(r->string), k = 0;
		for (size_t i = 0; i < t->n_rule_sources; i++) {
			const char *e = t->rule_sources[i];
			if (strncmp(e, r->string, len) == 0 && e[len] == ':')
				free(t->rule_sources[i]);
			else
				t->rule_sources[k++] = t->rule_sources[i];
		}
		t->n_rule_sources = k;
		if (append_sources(&t->rule_sources, &t->n_rule_sources, r, r->string))
			return T_IO;
	}
	return T_OK;
}

/* The keys given in a `rules` object (already checked) replace those in r;
 * a list replaces the inherited list whole. Returns 0, or 3 when out of memory. */
static int apply_rules(template_rules *r, const cJSON *obj)
{
	const cJSON *it;

	for (const struct rule_spec *k = tpl_rule_specs; k->name; k++) {
		char *field = (char *)r + k->field;
		if (!(it = tpl_member(obj, k->name)))
			continue;
		switch (k->kind) {
		case RULE_WHOLE:
			*(int *)field = (int)it->valuedouble;
			break;
		case RULE_BOOL:
			*(int *)field = cJSON_IsTrue(it);
			break;
		case RULE_ROLES:
		case RULE_IDS:
			if (strings_set((char ***)field, (size_t *)((char *)r + k->count), it))
				return T_IO;
			break;
		}
	}
	return T_OK;
}

static void rules_release(template_rules *r)
{
	strings_free(r->staff_roles, r->n_staff_roles);
	strings_free(r->prerequisite_kinds, r->n_prerequisite_kinds);
	r->staff_roles = r->prerequisite_kinds = NULL;
	r->n_staff_roles = r->n_prerequisite_kinds = 0;
}

/* The worse of two results: running out of memory over a problem found. */
static int worse(int a, int b)
{
	return a == T_IO || b == T_IO ? T_IO : a ? a : b;
}

/* What a template and a region overlay have in common, in this order:
 * rules, watermark, sources, notes, remove, materials, order. With
 * append_notes (a region), notes are added to the template's notes. */
static int apply_layer_lists(const vctx *c, template *t, const cJSON *obj, const char *prefix,
			     int append_notes)
{
	const cJSON *it;
	char p[PATH_LEN];
	int ret;

	if (apply_rules(&t->rules, tpl_member(obj, "rules")))
		return tpl_oom(c->err);
	if ((it = tpl_member(obj, "watermark")))
		t->watermark = cJSON_IsTrue(it);
	if (apply_sources(t, obj))
		return tpl_oom(c->err);
	if ((it = tpl_member(obj, "notes")) && (!append_notes || it->valuestring[0])) {
		char *n = append_notes && t->notes && t->notes[0]
				  ? lp_strdupf("%s\n%s", t->notes, it->valuestring)
				  : strdup(it->valuestring);
		if (!n)
			return tpl_oom(c->err);
		free(t->notes);
		t->notes = n;
	}
	/* a problem is reported and the rest still applied, so that lint
	 * finds every one; only running out of memory stops here */
	tpl_join(p, prefix, "remove");
	ret = apply_remove(c, t, tpl_member(obj, "remove"), p);
	tpl_join(p, prefix, "materials");
	if (ret != T_IO)
		ret = worse(ret, apply_materials(c, t, tpl_member(obj, "materials"), p));
	tpl_join(p, prefix, "order");
	if (ret != T_IO)
		ret = worse(ret, apply_order(c, t, tpl_member(obj, "order"), p));
	return ret;
}

static int apply_doc(const vctx *c, template *t, const cJSON *root)
{
	static const char *const scalars[] = { "id", "licence", "action", NULL };
	char **fields[] = { &t->id, &t->licence, &t->action };
	const cJSON *it;

	for (size_t k = 0; scalars[k]; k++)
		if ((it = tpl_member(root, scalars[k])) && set_str(fields[k], it->valuestring))
			return tpl_oom(c->err);
	t->version = (int)tpl_member(root, "version")->valuedouble;
	if (apply_text2(&t->title, tpl_member(root, "title")) ||
	    apply_text2(&t->purpose, tpl_member(root, "purpose")))
		return tpl_oom(c->err);
	return apply_layer_lists(c, t, root, "", 0);
}

/* An empty string where a key was never given, and the defaults that are
 * made from other keys. Strings of a resolved template are never NULL
 * (except region and region_title without a region). */
static int fill_defaults(template *t)
{
	char **plain[] = { &t->licence, &t->action, &t->notes, NULL };

	for (size_t k = 0; plain[k]; k++)
		if (!*plain[k] && !(*plain[k] = strdup("")))
			return T_IO;
	if (!t->title.en && !(t->title.en = strdup(t->title.zh)))
		return T_IO;
	if (!t->purpose.zh && !(t->purpose.zh = lp_strdupf("仅供%s使用", t->title.zh)))
		return T_IO;
	if (!t->purpose.en && !(t->purpose.en = lp_strdupf("For %s only", t->title.en)))
		return T_IO;
	if (t->region) {
		if (!t->region_title.zh && !(t->region_title.zh = strdup(t->region)))
			return T_IO;
		if (!t->region_title.en && !(t->region_title.en = strdup(t->region_title.zh)))
			return T_IO;
	}
	for (size_t i = 0; i < t->n_materials; i++) {
		material *m = &t->materials[i];
		const char *own[2] = { m->id, m->title.zh };
		char **g;
		if (!m->title.en && !(m->title.en = strdup(m->title.zh)))
			return T_IO;
		g = realloc(m->aliases, (m->n_aliases + 2) * sizeof *g);
		if (!g)
			return T_IO;
		m->aliases = g;
		for (size_t k = 0; k < 2; k++) {
			size_t j;
			for (j = 0; j < m->n_aliases; j++)
				if (strcasecmp(m->aliases[j], own[k]) == 0)
					break;
			if (j < m->n_aliases)
				continue;
			if (!(m->aliases[m->n_aliases] = strdup(own[k])))
				return T_IO;
			m->n_aliases++;
		}
	}
	return T_OK;
}

/* What only the merged result can show. label: "x.json" or "x.json: region r". */
/* The groups of materials the matcher keeps apart (packet/match.c). */
static int match_group(per_kind p)
{
	return p == PER_STAFF ? 1 : p == PER_SHAREHOLDER ? 2 : 0;
}

/* v->file is the label: "x.json" or "x.json: region r". Every problem is
 * reported (through v), not the first only. */
static int check_merged(const vctx *v, const template *t, int abstract)
{
	const char *label = v->file;
	char **norm = NULL;
	int *owner = NULL;
	size_t n = 0, total = 0;
	int ret = T_OK;

	if (!t->n_materials && !abstract)
		return tpl_problem(v, LP_E_TPL_NO_MATERIALS, label);
	for (size_t i = 0; i < t->n_materials; i++) {
		const material *m = &t->materials[i];
		char a[24], b[16];
		if (m->count_max && m->count_max < m->count_min) {
			snprintf(a, sizeof a, "%d", m->count_max);
			snprintf(b, sizeof b, "%d", m->count_min);
			ret = tpl_problem(v, LP_E_TPL_COUNT_ORDER, label, m->id, a, b);
		}
		/* roles pick among the staff, so a material repeated for each
		 * domain (or for nothing) has none to pick from */
		if (m->n_roles && m->per != PER_STAFF)
			ret = tpl_problem(v, LP_E_TPL_ROLES_NOT_STAFF, label, m->id);
		for (size_t k = 0; k < m->n_stands_for; k++) {
			const material *o = template_material(t, m->stands_for[k]);
			snprintf(a, sizeof a, "%zu", k);
			if (!o || o == m || o->per != m->per)
				ret = tpl_problem(v, !o ? LP_E_TPL_STANDS_FOR_NONE
						  : o == m ? LP_E_TPL_STANDS_FOR_SELF : LP_E_TPL_STANDS_FOR_PER,
						  label, m->id, a, m->stands_for[k]);
		}
		total += m->n_aliases;
	}
	/* The matcher compares normalised names, and a tie between two
	 * materials is reported as ambiguous on every file it matches: an
	 * alias shared by two materials ("身份证" for both ID sides) can only
	 * produce ambiguity, so it is refused here, where it is written. The
	 * matcher looks at per-staff and per-shareholder materials apart from
	 * the rest (a path naming a person picks that person's materials), so
	 * a staff ID card may share "人像面" with the legal representative's. */
	norm = calloc(total + 1, sizeof *norm);
	owner = calloc(total + 1, sizeof *owner);
	if (!norm || !owner) {
		ret = tpl_oom(v->err);
		goto cleanup;
	}
	for (size_t i = 0; i < t->n_materials && ret != T_IO; i++) {
		const material *m = &t->materials[i];
		for (size_t j = 0; j < m->n_aliases; j++) {
			char *s = normalise_name(m->aliases[j]);
			if (!s) {
				ret = tpl_oom(v->err);
				break;
			}
			for (size_t k = 0; k < n; k++)
				if (owner[k] != (int)i && s[0] && strcmp(norm[k], s) == 0 &&
				    match_group(t->materials[owner[k]].per) == match_group(m->per)) {
					ret = tpl_problem(v, LP_E_TPL_SHARED_ALIAS, label, m->aliases[j], m->id,
							  t->materials[owner[k]].id);
					break;
				}
			norm[n] = s;
			owner[n++] = (int)i;
		}
	}
cleanup:
	for (size_t k = 0; k < n; k++)
		free(norm[k]);
	free(norm);
	free(owner);
	return ret;
}

static int region_listed(const char *const *regions, size_t n, const char *region)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(regions[i], region) == 0)
			return 1;
	return 0;
}

/* "a, b, c" of up to n names into out (truncated to fit). */
static void name_list(char *out, size_t outlen, const char *const *names, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && used < outlen; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%s", i ? ", " : "", names[i]);
}

/* Resolve start (which need not be in set) with its bases from set. */
static int resolve_doc(const template_set *set, const struct tdoc *start, const char *region,
		       template **out, lp_err *err)
{
	const struct tdoc **chain = NULL;
	const char **regions = NULL;
	size_t n = 0, n_regions = 0;
	template *t = calloc(1, sizeof *t);
	char label[PATH_LEN * 2], p[PATH_LEN], list[PATH_LEN];
	int ret, n_bad = 0, found = T_OK;

	*out = NULL;
	if (!t)
		return tpl_oom(err);
	t->watermark = 1;
	t->rules.id_card_min_valid_days = 90;
	t->rules.domain_min_valid_days = 0;
	t->rules.licence_renew_before_days = 90;
	/* the other rules default to 0, false and empty lists (the calloc) */
	if ((ret = tpl_chain_build(set, start, &chain, &n, err)))
		goto cleanup;
	if (region) {
		if ((ret = tpl_regions_of(set, start, &regions, &n_regions))) {
			ret = tpl_oom(err);
			goto cleanup;
		}
		if (!region_listed(regions, n_regions, region)) {
			name_list(list, sizeof list, regions, n_regions);
			ret = tpl_fail(err, T_INVALID, n_regions ? LP_E_TPL_UNKNOWN_REGION : LP_E_TPL_NO_REGIONS,
				   region, start->id, list);
			goto cleanup;
		}
	}
	/* the root base first, the template asked for last */
	/* A problem in a layer is counted and the next layers still applied,
	 * so that every problem is reported at once. */
	for (size_t i = n; i-- > 0;) {
		vctx c = { chain[i]->name, err, &n_bad };
		if ((ret = worse(found, apply_doc(&c, t, chain[i]->json))) == T_IO)
			goto cleanup;
		found = ret;
	}
	if (region) {
		if (set_str(&t->region, region)) {
			ret = tpl_oom(err);
			goto cleanup;
		}
		tpl_join(p, "regions", region);
		for (size_t i = n; i-- > 0;) {
			vctx c = { chain[i]->name, err, &n_bad };
			const cJSON *r = tpl_member(tpl_member(chain[i]->json, "regions"), region);
			if (!r)
				continue;
			if (apply_text2(&t->region_title, tpl_member(r, "title"))) {
				ret = tpl_oom(err);
				goto cleanup;
			}
			if ((ret = worse(found, apply_layer_lists(&c, t, r, p, 1))) == T_IO)
				goto cleanup;
			found = ret;
			if (cJSON_GetArraySize(tpl_member(r, "sources")) > 0)
				t->region_sourced = 1;
		}
	}
	/* a derived template's own version and origin, not its base's */
	t->version = (int)tpl_member(start->json, "version")->valuedouble;
	if (set_str(&t->origin, start->origin) || fill_defaults(t)) {
		ret = tpl_oom(err);
		goto cleanup;
	}
	if (region)
		tpl_cut_printf(label, sizeof label, "%s: region %s", start->name, region);
	else
		tpl_cut_printf(label, sizeof label, "%s", start->name);
	{
		vctx c = { label, err, &n_bad };
		if ((ret = worse(found, check_merged(&c, t, start->abstract))))
			goto cleanup;
	}
	*out = t;
	t = NULL;
cleanup:
	free(chain);
	free(regions);
	template_free(t);
	return ret;
}

int template_resolve(const template_set *set, const char *id, const char *region,
		     template **out, lp_err *err)
{
	const struct tdoc *d = tpl_set_find(set, id);
	/* twenty-odd built-in ids, plus whatever --templates adds */
	char list[PATH_LEN * 4];

	*out = NULL;
	if (!d) {
		name_list(list, sizeof list, set->ids, set->n_ids);
		return tpl_fail(err, T_INVALID, LP_E_TPL_UNKNOWN, id, list);
	}
	if (d->abstract)
		return tpl_fail(err, T_INVALID, LP_E_TPL_ABSTRACT, id);
	return resolve_doc(set, d, region, out, err);
}

void template_free(template *t)
{
	if (!t)
		return;
	free(t->id);
	free(t->licence);
	free(t->action);
	text2_release(&t->title);
	text2_release(&t->purpose);
	free(t->region);
	text2_release(&t->region_title);
	for (size_t i = 0; i < t->n_materials; i++)
		material_release(&t->materials[i]);
	free(t->materials);
	for (size_t i = 0; i < t->n_sources; i++)
		free(t->sources[i]);
	free(t->sources);
	strings_free(t->rule_sources, t->n_rule_sources);
	free(t->notes);
	free(t->origin);
	rules_release(&t->rules);
	free(t);
}

/* Does all hold line (of len bytes) as one of its lines? */
static int has_line(const char *all, const char *line, size_t len)
{
	for (const char *l = all; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
		if (strncmp(l, line, len) == 0 && (l[len] == '\n' || l[len] == '\0'))
			return 1;
	return 0;
}

/* Append line (len bytes) to text (a buffer of LP_ERROR_TEXT bytes) on a
 * line of its own, when it fits whole. */
static void put_line(char *text, const char *line, size_t len)
{
	size_t used = strlen(text);

	if (used + len + 2 < LP_ERROR_TEXT)
		snprintf(text + used, LP_ERROR_TEXT - used, "%s%.*s", used ? "\n" : "", (int)len, line);
}

/* Add to all (one problem a line, in each language) the problems of more it
 * does not hold yet. A problem of the merged template is found again with
 * each region, labelled "NAME: region R: ...": it is left out when all
 * holds it as "NAME: ...". The English lines decide; the Chinese line of
 * the same problem goes with its English one. */
static void add_problems(lp_err *all, const lp_err *more, const char *name, const char *region)
{
	char plain[PATH_LEN * 4], label[PATH_LEN * 2];
	const char *zh = more->zh;
	size_t lab;

	if (!all)
		return;
	tpl_cut_printf(label, sizeof label, "%s: region %s: ", name, region ? region : "");
	lab = strlen(label);
	for (const char *l = more->en; *l;) {
		const char *end = strchr(l, '\n'), *zend = strchr(zh, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		size_t zlen = zend ? (size_t)(zend - zh) : strlen(zh);
		int seen = has_line(all->en, l, len);
		if (!seen && region && strncmp(l, label, lab) == 0) {
			tpl_cut_printf(plain, sizeof plain, "%s: %.*s", name, (int)(len - lab), l + lab);
			seen = has_line(all->en, plain, strlen(plain));
		}
		if (!seen && strlen(all->en) + len + 2 < LP_ERROR_TEXT && strlen(all->zh) + zlen + 2 < LP_ERROR_TEXT) {
			if (all->code == LP_OK)
				all->code = more->code;
			put_line(all->en, l, len);
			put_line(all->zh, zh, zlen);
		}
		l += len + (end != NULL);
		zh += zlen + (zend != NULL);
	}
}

int template_lint_file(const template_set *set, const char *path, lp_err *err)
{
	struct tdoc d;
	const char **regions = NULL;
	size_t n_regions = 0;
	template *t = NULL;
	lp_err *one = NULL;
	int ret, found;

	if ((ret = tpl_read_doc(&d, path, err)))
		return ret;
	/* Without a set, a derived template's bases are unknown: the file is
	 * checked on its own. Otherwise it is resolved as the template the user
	 * would get, once plain and once for each region, which finds what only
	 * merging shows (a patch of a material that is not inherited, say). */
	if (d.extends && !set)
		goto cleanup;
	if ((ret = tpl_regions_of(set, &d, &regions, &n_regions)) || !(one = malloc(sizeof *one))) {
		ret = tpl_oom(err);
		goto cleanup;
	}
	/* plain (i == 0), then each region; every problem of each, once */
	lp_error_clear(err);
	found = T_OK;
	for (size_t i = 0; i <= n_regions; i++) {
		const char *region = i ? regions[i - 1] : NULL;
		lp_error_clear(one);
		ret = resolve_doc(set, &d, region, &t, one);
		template_free(t);
		t = NULL;
		if (ret == T_IO) {
			lp_error_copy(err, one);
			goto cleanup;
		}
		add_problems(err, one, d.name, region);
		found = worse(found, ret);
	}
	ret = found;
cleanup:
	free(one);
	free(regions);
	tpl_doc_release(&d);
	return ret;
}

const material *template_material(const template *t, const char *id)
{
	for (size_t i = 0; i < t->n_materials; i++)
		if (strcmp(t->materials[i].id, id) == 0)
			return &t->materials[i];
	return NULL;
}