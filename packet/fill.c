/*
 * fill: the folder's files listed and read, and the template guessed, for
 * `init --from-scans` (the interface is in fill.h; the values are merged
 * in fill_merge.c).
 *
 * A file is read when its name is, in some template (or the one given), a
 * material that gives packet.json a value (the sources table), or when its
 * name is no material in any of them: it may be one by what it reads.
 * Pages are read a few at a time (the threads init asks for, each with an
 * engine of its own), and never through check's cache (which must not
 * hold an ID number).
 */
#include "packet/fill.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/pool.h"
#include "packet/read_check.h"
#include "packet/scan.h"
#include "packet/util.h"

read_doc_kind fill_source_kind(const material *m)
{
	read_doc_kind k = m->read.as;

	/* the applicant's own documents (the legal representative's ID card,
	 * not a staff member's), which say something packet.json holds */
	if (!m->read.own || m->per == PER_STAFF || m->per == PER_SHAREHOLDER || k == READ_DOC_SIGNED_FORM)
		return READ_DOC_UNKNOWN;
	return k;
}

/* The templates a folder is matched against, each with its matcher. */
typedef struct {
	const char **ids;       /* the set's strings: ids[i] is t[i]'s */
	template **t;
	matcher **m;
	size_t n;
} tpl_list;

static void tl_free(tpl_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		matcher_free(l->m[i]);
		template_free(l->t[i]);
	}
	free(l->ids);
	free(l->t);
	free(l->m);
	memset(l, 0, sizeof *l);
}

/* Every template of set a user can pick (no region); one that does not
 * resolve (a broken --templates file: `templates lint` says why) is left
 * out. Returns 0, or -1 out of memory. */
static int tl_load(const template_set *set, tpl_list *l)
{
	const char *const *ids;
	size_t n = template_set_ids(set, &ids);
	lp_err err;

	memset(l, 0, sizeof *l);
	l->ids = calloc(n ? n : 1, sizeof *l->ids);
	l->t = calloc(n ? n : 1, sizeof *l->t);
	l->m = calloc(n ? n : 1, sizeof *l->m);
	if (!l->ids || !l->t || !l->m)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		template *t;
		if (template_resolve(set, ids[i], NULL, &t, &err) != 0)
			continue;
		l->ids[l->n] = ids[i];
		l->t[l->n++] = t;
		if (!(l->m[l->n - 1] = matcher_new(t, NULL, 0)))
			goto nomem;
	}
	return 0;
nomem:
	tl_free(l);
	return -1;
}

/* The material m names rel as (-1: none, or a tie; with *chars the
 * length of the alias that decided); -2 out of memory. */
static int by_name(const matcher *m, const char *rel, int *chars)
{
	match_result mr;

	*chars = 0;
	if (matcher_match(m, rel, &mr) != 0)
		return -2;
	if (mr.material < 0 || mr.ambiguous_with >= 0)
		return -1;
	*chars = mr.chars;
	return mr.material;
}

/* Whether rel is worth reading: 1 (with *hint what its name says it is)
 * when a template names it as a source, or none names it at all; 0 when
 * it is named only as materials that give no value; -1 out of memory. */
static int wanted(const template *const *t, matcher *const *m, size_t n, const char *rel, read_doc_kind *hint)
{
	int named = 0;

	*hint = READ_DOC_UNKNOWN;
	for (size_t i = 0; i < n; i++) {
		int chars, k = by_name(m[i], rel, &chars);
		if (k == -2)
			return -1;
		if (k < 0)
			continue;
		named = 1;
		if ((*hint = fill_source_kind(&t[i]->materials[k])) != READ_DOC_UNKNOWN)
			return 1;
	}
	return !named;
}

/* Open and read f (with rd, when given). */
static void read_file(const scan_list *sl, const char *dir, reader *rd, read_doc_kind hint, fill_file *f)
{
	uint8_t *data = NULL;
	size_t len = 0;
	file_format fmt;
	read_page pg;
	int fd = scan_open(sl, dir, f->rel);

	f->status = READ_PAGE_UNDECODABLE;
	if (fd < 0 || lp_read_fd(fd, READ_CONTENT_MAX_BYTES, &data, &len) != 0) {
		f->image = 1; /* could not be opened: said as not read */
		goto cleanup;
	}
	fmt = len > 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF ? FMT_JPEG
	    : len > 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0 ? FMT_PNG : FMT_UNKNOWN;
	f->image = fmt != FMT_UNKNOWN;
	if (!f->image || !rd)
		goto cleanup;
	if (reader_page(rd, data, len, fmt, &pg) != 0) {
		f->status = READ_PAGE_FAILED;
		goto cleanup;
	}
	f->status = pg.status;
	if (pg.text && pg.status == READ_PAGE_OK) {
		read_fields_parse(pg.text, hint, &f->fields);
		f->read = 1;
	}
	read_page_release(&pg);
cleanup:
	if (fd >= 0)
		close(fd);
	free(data);
}

/* The files to read, shared by the threads that read them. */
typedef struct {
	const scan_list *sl;
	const char *dir;
	reader *rd;
	fill_folder *f;
} read_pool;

/* pool_run's work: file i, when it is wanted */
static int read_work(void *arg, size_t i, void *ctx, lp_err *err)
{
	read_pool *p = arg;

	(void)ctx;
	(void)err;
	if (p->f->v[i].wanted)
		read_file(p->sl, p->dir, p->rd, p->f->v[i].hint, &p->f->v[i]);
	return 0;
}

/* Read f's wanted files, threads at a time (each thread an engine of
 * its own: tens of MiB). Returns 0, or -1 out of memory. */
static int read_all(const scan_list *sl, const char *dir, reader *rd, fill_folder *f, int threads)
{
	read_pool p = { sl, dir, rd, f };
	pool_job job = { f->n, threads < FILL_MAX_THREADS ? threads : FILL_MAX_THREADS, 0, NULL, NULL, read_work, &p };
	lp_err err;

	return pool_run(&job, &err);
}

int fill_scan(const template_set *set, const template *tpl, reader *rd, const char *dir, int threads,
	      fill_folder *out)
{
	scan_list sl;
	tpl_list tl;
	matcher *one = NULL;
	int ret = -1, e = ENOMEM;

	memset(out, 0, sizeof *out);
	memset(&tl, 0, sizeof tl);
	if (scan_folder(dir, &sl) != 0)
		return -1;
	if (tpl ? !(one = matcher_new(tpl, NULL, 0)) : tl_load(set, &tl) != 0)
		goto cleanup;
	if (!(out->v = calloc(sl.n ? sl.n : 1, sizeof *out->v)))
		goto cleanup;
	for (size_t i = 0; i < sl.n; i++) {
		const scan_entry *en = &sl.v[i];
		fill_file *f = &out->v[out->n];
		read_doc_kind hint;
		int w;

		if (en->kind != SCAN_FILE)
			continue;
		if (!(f->rel = strdup(en->rel)) || !(f->name = strdup(en->name))) {
			free(f->rel);
			goto cleanup;
		}
		out->n++;
		w = tpl ? wanted(&tpl, &one, 1, f->rel, &hint)
			: wanted((const template *const *)tl.t, tl.m, tl.n, f->rel, &hint);
		if (w < 0)
			goto cleanup;
		f->wanted = w;
		f->hint = hint;
	}
	if (read_all(&sl, dir, rd, out, threads) != 0)
		goto cleanup;
	ret = 0;
cleanup:
	if (ret != 0)
		fill_release(out);
	matcher_free(one);
	tl_free(&tl);
	scan_release(&sl);
	errno = ret ? e : 0;
	return ret;
}

void fill_release(fill_folder *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].rel);
		free(f->v[i].name);
		explicit_bzero(&f->v[i].fields, sizeof f->v[i].fields);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}

int fill_material(const template *t, const matcher *m, const fill_file *f, int one_domain, int *by_content,
		  int *chars)
{
	const char *mid;
	const material *mat;
	int ch, k = by_name(m, f->rel, &ch);

	*by_content = 0;
	if (chars)
		*chars = ch;
	if (k != -1)
		return k;
	if (!f->read || !(mid = read_doc_material(f->fields.kind)) || !(mat = template_material(t, mid)))
		return -1;
	if (mat->per == PER_STAFF || mat->per == PER_SHAREHOLDER || (mat->per == PER_DOMAIN && !one_domain))
		return -1;
	*by_content = 1;
	return (int)(mat - t->materials);
}

int fill_guess(const template_set *set, const fill_folder *f, fill_guess_result *out)
{
	tpl_list tl;
	int *score = NULL, *close = NULL, ret = -1;

	memset(out, 0, sizeof *out);
	out->files = (int)f->n;
	if (tl_load(set, &tl) != 0)
		return -1;
	score = calloc(tl.n ? tl.n : 1, sizeof *score);
	close = calloc(tl.n ? tl.n : 1, sizeof *close);
	if (!score || !close)
		goto cleanup;
	for (size_t i = 0; i < tl.n; i++) {
		for (size_t j = 0; j < f->n; j++) {
			int c, chars, k = fill_material(tl.t[i], tl.m[i], &f->v[j], 1, &c, &chars);
			if (k == -2)
				goto cleanup;
			score[i] += k >= 0;
			close[i] += k >= 0 ? chars : 0;
		}
		if (score[i] > out->best || (score[i] == out->best && close[i] > out->closeness)) {
			out->best = score[i];
			out->closeness = close[i];
		}
	}
	for (size_t i = 0; out->best > 0 && i < tl.n; i++) {
		if (score[i] == out->best && close[i] == out->closeness) {
			if (out->n_tied++ < FILL_MAX_TIED)
				out->tied[out->n_tied - 1] = tl.ids[i];
		} else if (!out->next || score[i] > out->next_files ||
			   (score[i] == out->next_files && close[i] > out->next_closeness)) {
			out->next_files = score[i];
			out->next_closeness = close[i];
			out->next = tl.ids[i];
		}
	}
	if (out->n_tied == 1)
		out->chosen = out->tied[0];
	ret = 0;
cleanup:
	free(score);
	free(close);
	tl_free(&tl);
	return ret;
}
