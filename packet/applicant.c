/*
 * applicant: packet.json, read into an `applicant` (see applicant.h).
 *
 * The parser is forgiving where that helps a person (missing keys are simply
 * absent) and strict where a silent mistake would cost them (a key of the
 * wrong type, or an unknown top-level key that is probably a typo, is a
 * finding naming the key).
 */
#include "packet/applicant.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/jsontext.h"

static int bad(finding_list *fl, const char *name, const char *path, const char *what_en,
	       const char *what_zh)
{
	return findings_add(fl, "packet-json", NULL, name,
			    lp_strdupf("'%s': %s: %s", name, path, what_en),
			    lp_strdupf("'%s'：%s：%s", name, path, what_zh));
}

/* Copy the string at obj[key] into *out. Absent or null: left NULL. */
static int get_string(const cJSON *obj, const char *key, const char *prefix, char **out,
		      const char *name, finding_list *fl)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char path[128];

	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v)) {
		snprintf(path, sizeof path, "%s%s", prefix, key);
		return bad(fl, name, path, "expected a string", "应为字符串");
	}
	*out = strdup(v->valuestring);
	return *out ? 0 : -1;
}

static int check_keys(const cJSON *obj, const char *const *known, const char *prefix,
		      const char *name, finding_list *fl)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		size_t i;
		int found = 0;
		for (i = 0; known[i]; i++)
			found |= strcmp(known[i], it->string) == 0;
		if (!found) {
			char path[160];
			snprintf(path, sizeof path, "%s%s", prefix, it->string);
			if (bad(fl, name, path, "unknown key", "未知的键") != 0)
				return -1;
		}
	}
	return 0;
}

static const cJSON *get_object(const cJSON *root, const char *key, const char *name,
			       finding_list *fl, int *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);

	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsObject(v)) {
		*err |= bad(fl, name, key, "expected an object", "应为对象");
		return NULL;
	}
	return v;
}

static int parse_domains(const cJSON *root, const char *name, applicant *a, finding_list *fl)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "domains"), *it;
	static const char *const keys[] = { "name", "expiry", NULL };
	int i = 0;

	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return bad(fl, name, "domains", "expected an array", "应为数组");
	a->domains = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *a->domains);
	if (!a->domains)
		return -1;
	cJSON_ArrayForEach(it, arr) {
		char prefix[48];
		applicant_domain *d = &a->domains[a->n_domains];
		snprintf(prefix, sizeof prefix, "domains[%d].", i++);
		if (cJSON_IsString(it)) {
			/* a bare name is a convenient short form */
			d->name = strdup(it->valuestring);
			if (!d->name)
				return -1;
			a->n_domains++;
			continue;
		}
		if (!cJSON_IsObject(it)) {
			prefix[strlen(prefix) - 1] = '\0';
			if (bad(fl, name, prefix, "expected an object or a string", "应为对象或字符串"))
				return -1;
			continue;
		}
		if (check_keys(it, keys, prefix, name, fl) || get_string(it, "name", prefix, &d->name, name, fl) ||
		    get_string(it, "expiry", prefix, &d->expiry, name, fl))
			return -1;
		if (!d->name) {
			free(d->expiry);
			d->expiry = NULL;
			if (bad(fl, name, prefix, "a domain needs a \"name\"", "域名条目缺少 \"name\""))
				return -1;
			continue;
		}
		a->n_domains++;
	}
	return 0;
}

static int parse_files(const cJSON *root, const char *name, applicant *a, finding_list *fl)
{
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "files"), *it;

	if (!obj || cJSON_IsNull(obj))
		return 0;
	if (!cJSON_IsObject(obj))
		return bad(fl, name, "files", "expected an object", "应为对象");
	a->files = calloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof *a->files);
	if (!a->files)
		return -1;
	cJSON_ArrayForEach(it, obj) {
		applicant_files *af = &a->files[a->n_files];
		const cJSON *p;
		char path[160];

		snprintf(path, sizeof path, "files.%s", it->string);
		if (cJSON_IsString(it)) {
			af->paths = calloc(1, sizeof *af->paths);
			if (!af->paths || !(af->paths[0] = strdup(it->valuestring)))
				return -1;
			af->n_paths = 1;
		} else if (cJSON_IsArray(it)) {
			af->paths = calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof *af->paths);
			if (!af->paths)
				return -1;
			cJSON_ArrayForEach(p, it) {
				if (!cJSON_IsString(p)) {
					if (bad(fl, name, path, "expected an array of paths", "应为路径数组"))
						return -1;
					continue;
				}
				if (!(af->paths[af->n_paths] = strdup(p->valuestring)))
					return -1;
				af->n_paths++;
			}
		} else {
			if (bad(fl, name, path, "expected an array of paths", "应为路径数组"))
				return -1;
			continue;
		}
		if (!(af->material = strdup(it->string)))
			return -1;
		a->n_files++;
	}
	return 0;
}

int applicant_parse(const char *text, size_t len, const char *name, applicant *a,
		    finding_list *fl)
{
	static const char *const top[] = { "template", "region", "company", "legal_rep", "licence",
					   "domains", "files", "$schema", "comment", NULL };
	static const char *const company[] = { "name", "uscc", NULL };
	static const char *const rep[] = { "name", "id_number", "id_expiry", NULL };
	static const char *const lic[] = { "number", "expiry", NULL };
	const cJSON *o;
	cJSON *root;
	int line, col, err = 0;

	memset(a, 0, sizeof *a);
	root = json_parse_at(text, len, &line, &col);
	if (!root)
		return findings_add(fl, "packet-json", NULL, name,
				    lp_strdupf("'%s':%d:%d: not valid JSON", name, line, col),
				    lp_strdupf("'%s':%d:%d：不是有效的 JSON", name, line, col));
	if (!cJSON_IsObject(root)) {
		err = bad(fl, name, "(top level)", "expected an object", "应为对象");
		goto cleanup;
	}
	a->present = 1;
	err |= check_keys(root, top, "", name, fl);
	err |= get_string(root, "template", "", &a->template_id, name, fl);
	err |= get_string(root, "region", "", &a->region, name, fl);
	if ((o = get_object(root, "company", name, fl, &err))) {
		err |= check_keys(o, company, "company.", name, fl);
		err |= get_string(o, "name", "company.", &a->company_name, name, fl);
		err |= get_string(o, "uscc", "company.", &a->company_uscc, name, fl);
	}
	if ((o = get_object(root, "legal_rep", name, fl, &err))) {
		err |= check_keys(o, rep, "legal_rep.", name, fl);
		err |= get_string(o, "name", "legal_rep.", &a->rep_name, name, fl);
		err |= get_string(o, "id_number", "legal_rep.", &a->rep_id_number, name, fl);
		err |= get_string(o, "id_expiry", "legal_rep.", &a->rep_id_expiry, name, fl);
	}
	if ((o = get_object(root, "licence", name, fl, &err))) {
		err |= check_keys(o, lic, "licence.", name, fl);
		err |= get_string(o, "number", "licence.", &a->licence_number, name, fl);
		err |= get_string(o, "expiry", "licence.", &a->licence_expiry, name, fl);
	}
	err |= parse_domains(root, name, a, fl);
	err |= parse_files(root, name, a, fl);
cleanup:
	cJSON_Delete(root);
	return err ? -1 : 0;
}

int applicant_load(const char *dir, applicant *a, finding_list *fl)
{
	char *path = lp_strdupf("%s/packet.json", dir), *text = NULL;
	size_t len;
	int r, ret = 0, found;

	memset(a, 0, sizeof *a);
	if (!path)
		return -1;
	r = read_text_file(path, APPLICANT_MAX_BYTES, &text, &len);
	found = r != -1 || errno != ENOENT;
	if (r == -2)
		ret = findings_add(fl, "packet-json", NULL, "packet.json",
				   lp_strdupf("'packet.json': larger than %d bytes", APPLICANT_MAX_BYTES),
				   lp_strdupf("'packet.json'：超过 %d 字节", APPLICANT_MAX_BYTES));
	else if (r == -1 && errno != ENOENT)
		ret = findings_add(fl, "packet-json", NULL, "packet.json",
				   lp_strdupf("'packet.json': cannot read: %s", strerror(errno)),
				   lp_strdupf("'packet.json'：无法读取：%s", strerror(errno)));
	else if (r == 0)
		ret = applicant_parse(text, len, "packet.json", a, fl);
	a->found = found;
	free(text);
	free(path);
	return ret;
}

void applicant_release(applicant *a)
{
	size_t i, j;

	free(a->template_id);
	free(a->region);
	free(a->company_name);
	free(a->company_uscc);
	free(a->rep_name);
	free(a->rep_id_number);
	free(a->rep_id_expiry);
	free(a->licence_number);
	free(a->licence_expiry);
	/* The arrays have one zeroed slot past the count, where a parse that
	 * stopped half-way may have left strings: free through it. */
	for (i = 0; a->domains && i <= a->n_domains; i++) {
		free(a->domains[i].name);
		free(a->domains[i].expiry);
	}
	free(a->domains);
	for (i = 0; a->files && i <= a->n_files; i++) {
		for (j = 0; j < a->files[i].n_paths; j++)
			free(a->files[i].paths[j]);
		free(a->files[i].paths);
		free(a->files[i].material);
	}
	free(a->files);
	memset(a, 0, sizeof *a);
}
