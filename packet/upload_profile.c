/*
 * upload_profile: portal profiles, read from the JSON compiled in and from
 * --profiles DIR (see upload_profile.h). Read as strictly as templates: an
 * unknown key, a value of the wrong type or out of range is an error naming
 * the file and the key, so that a typo never silently means "no limit".
 */
#include "packet/upload_profile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "packet/jsontext.h"
#include "packet/util.h"

#define MB 1000000ULL
#define PROFILE_MAX_FILE (64 * 1024)

struct upload_profile_set {
	upload_profile *v;
	size_t n;
};

static void profile_release(upload_profile *p)
{
	size_t i;

	free(p->id);
	free(p->title.zh);
	free(p->title.en);
	for (i = 0; i < p->n_assumed; i++)
		free(p->assumed[i]);
	free(p->assumed);
	free(p->sources);
	free(p->notes);
	free(p->origin);
	memset(p, 0, sizeof *p);
}

static const char *const known_keys[] = { "id", "title", "formats", "pdf_from_pages", "max_file_mb",
					  "max_long_edge", "max_pixels", "min_width", "min_height", "min_dpi",
					  "ascii_names", "jpeg_quality", "assumed", "sources", "notes", NULL };

static int known_key(const char *k)
{
	size_t i;

	for (i = 0; known_keys[i]; i++)
		if (strcmp(k, known_keys[i]) == 0)
			return 1;
	return 0;
}

/* A whole number in [lo, hi] at key (absent: *out untouched). 0 or -1. */
static int get_num(const cJSON *root, const char *key, double lo, double hi, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi)
		return -1;
	*out = v->valuedouble;
	return 0;
}

/* The texts of a string array at key into *out (NULL when absent). 0 or -1. */
static int get_strings(const cJSON *root, const char *key, char ***out, size_t *n)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key), *e;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr) || !(*out = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **out)))
		return -1;
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e) || !e->valuestring[0] || !((*out)[k] = strdup(e->valuestring)))
			return -1;
		*n = ++k;
	}
	return 0;
}

static char *dup_str(const cJSON *root, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
	return cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
}

/* The formats the portal takes (names[0..n)) set in p: jpg, png, pdf.
 * NULL, or "formats" when one is unknown, or JPG is not among them, or
 * PDF is not while pages go up as PDFs from a count (from > 0): every page
 * can go up as JPG; a PDF only where the portal takes one. */
static const char *take_formats(upload_profile *p, char *const *names, size_t n, double from)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], "jpg") == 0)
			p->take_jpeg = 1;
		else if (strcmp(names[i], "png") == 0)
			p->take_png = 1;
		else if (strcmp(names[i], "pdf") == 0)
			p->take_pdf = 1;
		else
			return "formats";
	}
	if (!p->take_jpeg || (from > 0 && !p->take_pdf))
		return "formats";
	return NULL;
}

/* Parse one profile's JSON (from where, for messages). 0, or -1 with err. */
static int profile_parse(const char *text, size_t len, const char *where, const char *origin, upload_profile *p,
			 lp_err *err)
{
	cJSON *root;
	const cJSON *e, *t;
	char **formats = NULL;
	size_t n_formats = 0, i;
	double mb = 0, edge = 0, px = 0, minw = 0, minh = 0, dpi = 0, from = 5, q = 90;
	const char *bad = NULL;
	int line = 0, col = 0, ret = -1;

	memset(p, 0, sizeof *p);
	if (!(root = json_parse_at(text, len, &line, &col))) {
		char l[16], c[16];

		snprintf(l, sizeof l, "%d", line);
		snprintf(c, sizeof c, "%d", col);
		lp_fail(err, LP_E_PROFILE_JSON, where, l, c);
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		lp_fail(err, LP_E_PROFILE_NOT_OBJECT, where);
		goto cleanup;
	}
	cJSON_ArrayForEach(e, root) if (!known_key(e->string)) {
		lp_fail(err, LP_E_PROFILE_UNKNOWN_KEY, where, e->string);
		goto cleanup;
	}
	t = cJSON_GetObjectItemCaseSensitive(root, "title");
	p->id = dup_str(root, "id");
	p->sources = dup_str(root, "sources");
	p->notes = dup_str(root, "notes");
	p->origin = strdup(origin);
	if (cJSON_IsObject(t)) {
		p->title.zh = dup_str(t, "zh");
		p->title.en = dup_str(t, "en");
	}
	if (!p->id || !p->id[0] || strspn(p->id, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(p->id))
		bad = "id";
	else if (!p->title.zh || !p->title.en)
		bad = "title";
	else if (get_strings(root, "formats", &formats, &n_formats) || !n_formats)
		bad = "formats";
	else if (get_num(root, "pdf_from_pages", 0, 1000, &from))
		bad = "pdf_from_pages";
	else if (get_num(root, "max_file_mb", 0, 10000, &mb))
		bad = "max_file_mb";
	else if (get_num(root, "max_long_edge", 0, 65500, &edge))
		bad = "max_long_edge";
	else if (get_num(root, "max_pixels", 0, 1e9, &px))
		bad = "max_pixels";
	else if (get_num(root, "min_width", 0, 65500, &minw) || get_num(root, "min_height", 0, 65500, &minh))
		bad = "min_width";
	else if (get_num(root, "min_dpi", 0, 1200, &dpi))
		bad = "min_dpi";
	else if (get_num(root, "jpeg_quality", 70, 100, &q))
		bad = "jpeg_quality";
	else if (get_strings(root, "assumed", &p->assumed, &p->n_assumed))
		bad = "assumed";
	else if (cJSON_GetObjectItemCaseSensitive(root, "ascii_names") &&
		 !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(root, "ascii_names")))
		bad = "ascii_names";
	if (!bad)
		bad = take_formats(p, formats, n_formats, from);
	if (bad) {
		lp_fail(err, LP_E_PROFILE_BAD_VALUE, where, bad);
		goto cleanup;
	}
	p->pdf_from_pages = (int)from;
	p->max_bytes = (uint64_t)(mb * (double)MB);
	p->max_long_edge = (uint32_t)edge;
	p->max_pixels = (uint64_t)px;
	p->min_width = (uint32_t)minw;
	p->min_height = (uint32_t)minh;
	p->min_dpi = (uint32_t)dpi;
	p->jpeg_quality = (int)q;
	p->ascii_names = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "ascii_names"));
	ret = p->origin ? 0 : -1;
	if (ret)
		lp_nomem(err);
cleanup:
	for (i = 0; formats && formats[i]; i++)
		free(formats[i]);
	free(formats);
	cJSON_Delete(root);
	if (ret)
		profile_release(p);
	return ret;
}

/* Take p into set, replacing the one of the same id. 0 or -1 (p released). */
static int set_put(upload_profile_set *set, upload_profile *p)
{
	upload_profile *g;
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].id, p->id) == 0) {
			profile_release(&set->v[i]);
			set->v[i] = *p;
			return 0;
		}
	if (!(g = realloc(set->v, (set->n + 1) * sizeof *g))) {
		profile_release(p);
		return -1;
	}
	set->v = g;
	/* kept in id order: list prints them so */
	for (i = set->n; i > 0 && strcmp(set->v[i - 1].id, p->id) > 0; i--)
		set->v[i] = set->v[i - 1];
	set->v[i] = *p;
	set->n++;
	return 0;
}

int upload_profile_set_new(upload_profile_set **out, lp_err *err)
{
	upload_profile_set *set = calloc(1, sizeof *set);
	upload_profile p;
	size_t i;

	*out = NULL;
	if (!set) {
		lp_nomem(err);
		return -1;
	}
	for (i = 0; i < n_builtin_profiles; i++) {
		if (profile_parse(builtin_profiles[i].data, builtin_profiles[i].len, builtin_profiles[i].name, "builtin",
				  &p, err) != 0) {
			upload_profile_set_free(set);
			return -1;
		}
		if (set_put(set, &p) != 0) {
			upload_profile_set_free(set);
			lp_nomem(err);
			return -1;
		}
	}
	*out = set;
	return 0;
}

static int is_json_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int upload_profile_set_add_dir(upload_profile_set *set, const char *dir, lp_err *err)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char **names = NULL, *path = NULL, *text = NULL;
	upload_profile *got = NULL;
	size_t n = 0, n_got = 0, i, len;
	int ret = -1;

	if (!dh) {
		lp_fail_sys(err, LP_E_OPEN_DIR, errno, dir);
		return -1;
	}
	while ((e = readdir(dh)) != NULL) {
		char **g;
		if (!is_json_name(e->d_name))
			continue;
		if (!(g = realloc(names, (n + 1) * sizeof *g)) || !(g[n] = strdup(e->d_name))) {
			names = g ? g : names;
			lp_nomem(err);
			goto cleanup;
		}
		names = g;
		n++;
	}
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	if (!(got = calloc(n + 1, sizeof *got))) {
		lp_nomem(err);
		goto cleanup;
	}
	/* every file read before any goes in: an error leaves the set as it was */
	for (i = 0; i < n; i++) {
		struct stat st;
		int r;
		free(path);
		free(text);
		text = NULL;
		if (!(path = lp_path_join(dir, names[i]))) {
			lp_nomem(err);
			goto cleanup;
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			continue;
		r = read_text_file(path, PROFILE_MAX_FILE, &text, &len);
		if (r != 0) {
			if (r == -2)
				lp_fail(err, LP_E_PROFILE_TOO_LARGE, path);
			else
				lp_fail_sys(err, LP_E_READ, errno, path);
			goto cleanup;
		}
		if (profile_parse(text, len, path, path, &got[n_got], err) != 0)
			goto cleanup;
		n_got++;
	}
	for (i = 0; i < n_got; i++)
		if (set_put(set, &got[i]) != 0) {
			lp_nomem(err);
			for (i++; i < n_got; i++)
				profile_release(&got[i]);
			n_got = 0;
			goto cleanup;
		}
	n_got = 0;
	ret = 0;
cleanup:
	closedir(dh);
	for (i = 0; i < n_got; i++)
		profile_release(&got[i]);
	free(got);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(path);
	free(text);
	return ret;
}

int upload_profile_set_add_text(upload_profile_set *set, const char *text, size_t len, const char *where,
				lp_err *err)
{
	upload_profile p;

	if (profile_parse(text, len, where, where, &p, err) != 0)
		return -1;
	if (set_put(set, &p) != 0) {
		lp_nomem(err);
		return -1;
	}
	return 0;
}

const upload_profile *upload_profile_find(const upload_profile_set *set, const char *id)
{
	size_t i;

	for (i = 0; set && id && i < set->n; i++)
		if (strcmp(set->v[i].id, id) == 0)
			return &set->v[i];
	return NULL;
}

size_t upload_profile_count(const upload_profile_set *set)
{
	return set ? set->n : 0;
}

const upload_profile *upload_profile_at(const upload_profile_set *set, size_t i)
{
	return set && i < set->n ? &set->v[i] : NULL;
}

int upload_profile_assumed(const upload_profile *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n_assumed; i++)
		if (strcmp(p->assumed[i], key) == 0)
			return 1;
	return 0;
}

void upload_profile_set_free(upload_profile_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		profile_release(&set->v[i]);
	free(set->v);
	free(set);
}
