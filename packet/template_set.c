/*
 * template_set: the set of template documents and where they come from.
 *
 * The built-in templates (compiled into the binary, packet/builtin.h) are
 * loaded by template_set_new; template_set_add_dir adds a --templates DIR,
 * whose files replace the built-ins of the same id (one bad file in DIR and
 * nothing from it is used). Each document is kept as its checked cJSON tree.
 * Inheritance is resolved by id when a template is used, not when it is
 * loaded, so that DIR can override a base: tpl_chain_build walks `extends`
 * from a document up to its root base (a missing base or a loop is an
 * error), and the set caches the ids it lists and each document's regions.
 */
#include "packet/template_internal.h"

#include "packet/builtin.h"
#include "packet/jsontext.h"
#include "packet/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------ documents --- */

void tpl_doc_release(struct tdoc *d)
{
	free(d->name);
	free(d->origin);
	cJSON_Delete(d->json);
	free(d->regions);
	memset(d, 0, sizeof *d);
}

/* Parse and check one file's text into *d. Returns 0, 2 or 3 with err. */
static int doc_load(struct tdoc *d, const char *name, const char *origin, const char *text,
		    size_t len, lp_err *err)
{
	int n_bad = 0;
	vctx v = { name, err, &n_bad };
	cJSON *root;
	const cJSON *it;
	int ret;

	memset(d, 0, sizeof *d);
	ret = tpl_parse_text(name, text, len, &root, err);
	if (ret)
		return ret;
	ret = tpl_want_doc(&v, root);
	if (ret) {
		cJSON_Delete(root);
		return ret;
	}
	d->json = root;
	d->name = strdup(name);
	d->origin = strdup(origin);
	if (!d->name || !d->origin) {
		tpl_doc_release(d);
		return tpl_oom(err);
	}
	d->id = tpl_member(root, "id")->valuestring;
	it = tpl_member(root, "extends");
	d->extends = it ? it->valuestring : NULL;
	d->abstract = cJSON_IsTrue(tpl_member(root, "abstract"));
	return T_OK;
}

int tpl_read_doc(struct tdoc *d, const char *path, lp_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int r, ret;

	r = read_text_file(path, TEMPLATE_MAX_FILE, &text, &len);
	if (r == -2)
		return tpl_fail(err, T_INVALID, LP_E_TPL_TOO_BIG, path);
	/* read_text_file() refuses anything but a regular file with EINVAL */
	if (r != 0 && errno == EINVAL)
		return tpl_fail(err, T_IO, LP_E_NOT_REGULAR, path);
	if (r != 0)
		return (lp_fail_sys(err, LP_E_READ, errno, path), T_IO);
	ret = doc_load(d, path, path, text, len, err);
	free(text);
	return ret;
}

const struct tdoc *tpl_set_find(const template_set *set, const char *id)
{
	if (!set)
		return NULL;
	for (size_t i = 0; i < set->n_docs; i++)
		if (strcmp(set->docs[i].id, id) == 0)
			return &set->docs[i];
	return NULL;
}

/* The base named by `extends`: the document being linted stands in for the
 * set's copy of its own id. */
static const struct tdoc *lookup(const template_set *set, const struct tdoc *self,
				 const char *id)
{
	if (self && strcmp(self->id, id) == 0)
		return self;
	return tpl_set_find(set, id);
}

/* The chain from start up to its root base, start first, in a new array the
 * caller frees (*chain; it may be set even on error). Returns 0, or 2 with
 * err for an unknown base or a loop; 3 when out of memory. */
int tpl_chain_build(const template_set *set, const struct tdoc *start,
		    const struct tdoc ***chain, size_t *n, lp_err *err)
{
	size_t cap = (set ? set->n_docs : 0) + 2;
	const struct tdoc **c = malloc(cap * sizeof *c);
	const struct tdoc *d = start;

	*chain = c;
	*n = 0;
	if (!c)
		return tpl_oom(err);
	c[(*n)++] = d;
	while (d->extends) {
		const struct tdoc *base = lookup(set, start, d->extends);
		if (!base)
			return tpl_fail(err, T_INVALID, LP_E_TPL_EXTENDS_UNKNOWN, d->name, d->extends);
		for (size_t k = 0; k < *n; k++) {
			if (c[k] != base)
				continue;
			/* the loop, as a user would follow it: a -> b -> a */
			char msg[PATH_LEN * 2] = "";
			size_t used = 0;
			for (size_t j = 0; j < *n && used < sizeof msg; j++)
				used += (size_t)snprintf(msg + used, sizeof msg - used, "%s -> ",
							 c[j]->id);
			if (used < sizeof msg)
				tpl_cut_printf(msg + used, sizeof msg - used, "%s", base->id);
			return tpl_fail(err, T_INVALID, LP_E_TPL_EXTENDS_LOOP, start->name, msg);
		}
		/* distinct documents only, so the chain fits in cap */
		c[(*n)++] = base;
		d = base;
	}
	return T_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Region ids of start and its bases, sorted and without repeats, in a new
 * array of pointers into the documents (caller frees the array). */
int tpl_regions_of(const template_set *set, const struct tdoc *start, const char ***out,
		   size_t *n_out)
{
	const struct tdoc **chain = NULL;
	size_t n = 0, count = 0, k = 0;
	const char **ids;
	lp_err ignored;

	*out = NULL;
	*n_out = 0;
	/* a broken chain still lists the regions of the part that exists; the
	 * error itself is reported when the template is resolved */
	if (tpl_chain_build(set, start, &chain, &n, &ignored) == T_IO)
		return T_IO;
	for (size_t i = 0; i < n; i++)
		count += (size_t)cJSON_GetArraySize(tpl_member(chain[i]->json, "regions"));
	ids = malloc((count ? count : 1) * sizeof *ids);
	if (!ids) {
		free(chain);
		return T_IO;
	}
	for (size_t i = 0; i < n; i++) {
		const cJSON *r = tpl_member(chain[i]->json, "regions");
		for (r = r ? r->child : NULL; r; r = r->next)
			ids[k++] = r->string;
	}
	free(chain);
	qsort(ids, k, sizeof *ids, cmp_str);
	count = 0;
	for (size_t i = 0; i < k; i++)
		if (count == 0 || strcmp(ids[count - 1], ids[i]) != 0)
			ids[count++] = ids[i];
	*out = ids;
	*n_out = count;
	return T_OK;
}

/* Recompute the cached id and region lists after the documents changed. */
static int set_refresh(template_set *set, lp_err *err)
{
	const char **ids;
	size_t n = 0;

	/* all caches dropped first: they may point into replaced documents, and
	 * a failure half way must not leave any of them behind */
	for (size_t i = 0; i < set->n_docs; i++) {
		free(set->docs[i].regions);
		set->docs[i].regions = NULL;
		set->docs[i].n_regions = 0;
	}
	free(set->ids);
	set->ids = NULL;
	set->n_ids = 0;
	for (size_t i = 0; i < set->n_docs; i++) {
		struct tdoc *d = &set->docs[i];
		if (tpl_regions_of(set, d, &d->regions, &d->n_regions))
			return tpl_oom(err);
	}
	ids = malloc((set->n_docs ? set->n_docs : 1) * sizeof *ids);
	if (!ids)
		return tpl_oom(err);
	for (size_t i = 0; i < set->n_docs; i++)
		if (!set->docs[i].abstract)
			ids[n++] = set->docs[i].id;
	qsort(ids, n, sizeof *ids, cmp_str);
	set->ids = ids;
	set->n_ids = n;
	return T_OK;
}

/* Move the loaded documents into the set: each replaces the set's document of
 * the same id, or is appended. The array `docs` is left empty. */
static int set_take(template_set *set, struct tdoc *docs, size_t n, lp_err *err)
{
	struct tdoc *grown = realloc(set->docs, (set->n_docs + n + 1) * sizeof *grown);

	if (!grown)
		return tpl_oom(err);
	set->docs = grown;
	for (size_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < set->n_docs; j++)
			if (strcmp(set->docs[j].id, docs[i].id) == 0)
				break;
		if (j < set->n_docs)
			tpl_doc_release(&set->docs[j]);
		else
			set->n_docs++;
		set->docs[j] = docs[i];
		memset(&docs[i], 0, sizeof docs[i]);
	}
	return set_refresh(set, err);
}

/* Two documents of one batch (the built-ins, or one directory) with one id:
 * a copied file someone forgot to rename, so an error rather than a guess. */
static int same_id_twice(const struct tdoc *docs, size_t n, lp_err *err)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(docs[i].id, docs[j].id) == 0)
				return tpl_fail(err, T_INVALID, LP_E_TPL_DUP_ID, docs[i].name, docs[i].id, docs[j].name);
	return T_OK;
}

int template_set_new(template_set **out, lp_err *err)
{
	template_set *set = calloc(1, sizeof *set);
	struct tdoc *docs = calloc(n_builtin_templates + 1, sizeof *docs);
	size_t n = 0;
	int ret = -1;

	*out = NULL;
	if (!set || !docs) {
		tpl_oom(err);
		goto cleanup;
	}
	for (; n < n_builtin_templates; n++) {
		const struct builtin_template *b = &builtin_templates[n];
		if (doc_load(&docs[n], b->name, "builtin", b->data, b->len, err))
			goto cleanup;
	}
	if (same_id_twice(docs, n, err) || set_take(set, docs, n, err))
		goto cleanup;
	*out = set;
	set = NULL;
	ret = 0;
cleanup:
	for (size_t i = 0; i < n; i++)
		tpl_doc_release(&docs[i]);
	free(docs);
	template_set_free(set);
	return ret;
}

void template_set_free(template_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_docs; i++)
		tpl_doc_release(&set->docs[i]);
	free(set->docs);
	free(set->ids);
	free(set);
}

static int is_template_name(const char *name)
{
	size_t n = strlen(name);

	/* hidden files include editors' lock and swap files (.#x.json) */
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

int template_set_add_dir(template_set *set, const char *dir, lp_err *err)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	struct tdoc *docs = NULL;
	size_t n_names = 0, cap = 0, n_docs = 0;
	int ret = T_OK;

	if (!dh)
		return (lp_fail_sys(err, LP_E_OPEN_DIR, errno, dir), T_IO);
	errno = 0;
	while ((e = readdir(dh)) != NULL) {
		if (!is_template_name(e->d_name))
			continue;
		if (n_names == cap) {
			char **g = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *g);
			if (!g) {
				ret = tpl_oom(err);
				goto cleanup;
			}
			names = g;
		}
		if (!(names[n_names] = strdup(e->d_name))) {
			ret = tpl_oom(err);
			goto cleanup;
		}
		n_names++;
		errno = 0;
	}
	if (errno) {
		ret = (lp_fail_sys(err, LP_E_READ_DIR, errno, dir), T_IO);
		goto cleanup;
	}
	/* readdir order differs between file systems; the result must not */
	qsort(names, n_names, sizeof *names, cmp_str);
	docs = calloc(n_names + 1, sizeof *docs);
	if (!docs) {
		ret = tpl_oom(err);
		goto cleanup;
	}
	for (size_t i = 0; i < n_names; i++) {
		char *path = lp_path_join(dir, names[i]);
		struct stat st;
		if (!path) {
			ret = tpl_oom(err);
			goto cleanup;
		}
		/* a directory called x.json is not a template; a dangling link is
		 * left for the read below to report */
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			free(path);
			continue;
		}
		ret = tpl_read_doc(&docs[n_docs], path, err);
		free(path);
		if (ret)
			goto cleanup;
		n_docs++;
	}
	/* all files checked before any goes in: an error leaves the set as it was */
	ret = same_id_twice(docs, n_docs, err);
	if (!ret)
		ret = set_take(set, docs, n_docs, err);
cleanup:
	closedir(dh);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	for (size_t i = 0; i < n_docs; i++)
		tpl_doc_release(&docs[i]);
	free(docs);
	return ret;
}

size_t template_set_ids(const template_set *set, const char *const **ids)
{
	*ids = set->ids;
	return set->n_ids;
}

size_t template_set_regions(const template_set *set, const char *id, const char *const **regions)
{
	const struct tdoc *d = tpl_set_find(set, id);

	*regions = d ? d->regions : NULL;
	return d ? d->n_regions : 0;
}
