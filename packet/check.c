/*
 * check: the orchestration of a check (see check.h) and matching; the later
 * stages are in check_files.c and check_rules.c (check_stages.h).
 *
 * Order of work: packet.json, template, scan, match every entry, read and
 * probe the matched files (once each), duplicates, counts per material (and
 * per domain), metadata. Every problem is a finding; nothing here prints.
 */
#include "packet/check.h"
#include "packet/check_stages.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/ident.h"
#include "packet/normalise.h"
#include "packet/qpdf_lazy.h"
#include "packet/read_check.h"
#include "packet/scan.h"
#include "packet/upload.h"
#include "packet/util.h"

void check_options_init(check_options *o)
{
	memset(o, 0, sizeof *o);
	o->max_pixels = 100000000ULL;
	o->max_depth = SCAN_MAX_DEPTH;
	o->max_read_bytes = 512ULL * 1024 * 1024;
	o->keep_bytes = CHECK_KEEP_BYTES;
	o->portal = UPLOAD_PROFILE_DEFAULT;
	{
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o->threads = n > 0 ? (int)(n < CHECK_MAX_THREADS ? n : CHECK_MAX_THREADS) : 1;
	}
}

size_t entity_count(const applicant *a, per_kind kind)
{
	return kind == PER_DOMAIN ? a->n_domains : kind == PER_STAFF ? a->n_staff
		: kind == PER_SHAREHOLDER ? a->n_shareholders : 0;
}

const char *entity_name(const applicant *a, per_kind kind, size_t i)
{
	if (i >= entity_count(a, kind))
		return NULL;
	return kind == PER_DOMAIN ? a->domains[i].name : kind == PER_STAFF ? a->staff[i].name
										: a->shareholders[i].name;
}

const char *checked_file_entity(const check_result *r, const checked_file *f)
{
	if (f->entity < 0)
		return NULL;
	return entity_name(&r->app, r->tpl->materials[f->material].per, (size_t)f->entity);
}

int check_material_warns(const check_result *r, const char *id)
{
	for (size_t i = 0; i < r->findings.n; i++)
		if (r->findings.v[i].material && r->findings.v[i].sev != SEV_NOTICE &&
		    strcmp(r->findings.v[i].material, id) == 0)
			return 1;
	return 0;
}

const char *material_state_name(material_state s)
{
	switch (s) {
	case MAT_COMPLETE: return "complete";
	case MAT_MISSING: return "missing";
	case MAT_INVALID: return "invalid";
	default: return "optional";
	}
}


static int add_unrecognized(check_result *r, const char *rel)
{
	char **v = realloc(r->unrecognized, (r->n_unrecognized + 1) * sizeof *v);

	if (!v)
		return -1;
	r->unrecognized = v;
	if (!(v[r->n_unrecognized] = strdup(rel)))
		return -1;
	r->n_unrecognized++;
	return ADD(r, "unrecognized", NULL, rel,
		   lp_strdupf("'%s': matches no material; it is left out of the packet (rename it or assign it in packet.json)", rel),
		   lp_strdupf("'%s'：无法对应任何材料，未纳入材料包（请重命名，或在 packet.json 中指定）", rel));
}

static int add_file(check_result *r, const scan_entry *e, int material, int entity, match_how how)
{
	checked_file *v = realloc(r->files, (r->n_files + 1) * sizeof *v), *f;

	if (!v)
		return -1;
	r->files = v;
	f = &v[r->n_files];
	memset(f, 0, sizeof *f);
	if (!(f->rel = strdup(e->name)) || !(f->raw = strdup(e->rel)))
		return -1;
	f->material = material;
	f->entity = entity;
	f->how = how;
	f->bytes = e->size;
	f->mtime = e->mtime;
	r->n_files++;
	return 0;
}

/* "./a//b" and "a/b" name the same file. Writes the canonical form into a
 * new string; NULL when the path leaves the folder (absolute, "..") or on no
 * memory (*oom set). */
static char *canonical_rel(const char *p, int *oom)
{
	char *out = malloc(strlen(p) + 1), *o = out;
	const char *s = p;

	*oom = !out;
	if (!out || p[0] == '/' || p[0] == '\0')
		goto refuse;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 2 && s[0] == '.' && s[1] == '.')
			goto refuse;
		if (n && !(n == 1 && s[0] == '.')) {
			if (o != out)
				*o++ = '/';
			memcpy(o, s, n);
			o += n;
		}
		s += n;
		while (*s == '/')
			s++;
	}
	*o = '\0';
	if (o == out)
		goto refuse;
	return out;
refuse:
	free(out);
	return NULL;
}

/* The packet.json assignment of rel: material index, -1 none, -2 no memory. */
static int assigned_material(check_result *r, const char *rel)
{
	size_t i, j;

	for (i = 0; i < r->app.n_files; i++) {
		const material *m = template_material(r->tpl, r->app.files[i].material);
		for (j = 0; j < r->app.files[i].n_paths; j++) {
			int oom;
			char *c = canonical_rel(r->app.files[i].paths[j], &oom);
			int same = c && same_name(c, rel);
			free(c);
			if (oom)
				return -2;
			if (same && m)
				return (int)(m - r->tpl->materials);
		}
	}
	return -1;
}

/* Assignments that name an unknown material or a path that is not a file of
 * the folder are findings. */
/* Why an assigned path (canonical, c) is not a file the scan took: what the
 * scan found there (a link, a FIFO), or what the folder holds under that name
 * that the scan skips (hidden and system files, folders). English and
 * Chinese, static strings. */
static void why_not_taken(const scan_list *sl, const char *dir, const char *c, const char **en, const char **zh)
{
	struct stat st;
	char *abs;
	size_t k;

	*en = "assigned in packet.json but not found in the folder";
	*zh = "packet.json 中已指定，但文件夹中没有该文件";
	for (k = 0; k < sl->n; k++) {
		if (!same_name(sl->v[k].rel, c))
			continue;
		switch (sl->v[k].kind) {
		case SCAN_LINK_OUTSIDE:
			*en = "assigned in packet.json, but it is a symbolic link to a place outside the folder: refused";
			*zh = "packet.json 中已指定，但它是指向文件夹之外的符号链接，已拒绝";
			return;
		case SCAN_LINK_BROKEN:
			*en = "assigned in packet.json, but it is a symbolic link that is broken, loops or names a folder";
			*zh = "packet.json 中已指定，但它是已失效、循环或指向文件夹的符号链接";
			return;
		case SCAN_NOT_REGULAR:
			*en = "assigned in packet.json, but it is not a regular file (FIFO, socket or device)";
			*zh = "packet.json 中已指定，但它不是普通文件（管道、套接字或设备）";
			return;
		default:
			*en = "assigned in packet.json, but it cannot be read";
			*zh = "packet.json 中已指定，但无法读取";
			return;
		}
	}
	abs = lp_path_join(dir, c);
	if (abs && lstat(abs, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			*en = "assigned in packet.json, but it is a folder: assign the files in it";
			*zh = "packet.json 中已指定，但它是文件夹：请指定其中的文件";
		} else {
			*en = "assigned in packet.json, but it is a hidden or system file, which licpack skips "
			      "(a name starting with '.' or '~', or in such a folder): rename it";
			*zh = "packet.json 中已指定，但它是隐藏文件或系统文件，licpack 不读取"
			      "（名称以 '.' 或 '~' 开头，或位于这样的文件夹中）：请改名";
		}
	}
	free(abs);
}

/* The files packet.json assigns: each a material of the template, inside the
 * folder, and a file the scan took; else an `assignment` finding saying which
 * of those it is not. Paths are shown as file names are (display_name). */
static int check_assignments(check_result *r, const scan_list *sl, const char *dir)
{
	size_t i, j, k;

	for (i = 0; i < r->app.n_files; i++) {
		const applicant_files *af = &r->app.files[i];
		if (!template_material(r->tpl, af->material)) {
			if (ADD(r, "assignment", NULL, "packet.json",
				lp_strdupf("'packet.json': files.%s: no such material in template '%s'", af->material, r->tpl->id),
				lp_strdupf("'packet.json'：files.%s：模板 '%s' 中没有这种材料", af->material, r->tpl->id)))
				return -1;
			continue;
		}
		for (j = 0; j < af->n_paths; j++) {
			int oom, found = 0, ret = 0;
			char *c = canonical_rel(af->paths[j], &oom), *shown;
			const char *en, *zh;
			if (oom)
				return -1;
			if (!(shown = display_name(c ? c : af->paths[j]))) {
				free(c);
				return -1;
			}
			if (!c) {
				ret = ADD(r, "assignment", af->material, shown,
					  lp_strdupf("'%s': refused: a path in packet.json must stay inside the folder", shown),
					  lp_strdupf("'%s'：已拒绝：packet.json 中的路径必须位于文件夹之内", shown));
			} else {
				for (k = 0; k < sl->n; k++)
					found |= sl->v[k].kind == SCAN_FILE && same_name(sl->v[k].rel, c);
				if (!found) {
					why_not_taken(sl, dir, c, &en, &zh);
					ret = ADD(r, "assignment", af->material, shown, lp_strdupf("'%s': %s", shown, en),
						  lp_strdupf("'%s'：%s", shown, zh));
				}
			}
			free(c);
			free(shown);
			if (ret)
				return -1;
		}
	}
	return 0;
}

/* The entries the scan passed over for what they are, and what the finding
 * on each says after the entry's name. */
static const struct {
	scan_kind kind;
	const char *code, *en, *zh;
} skipped_kinds[] = {
	{ SCAN_LINK_OUTSIDE, "symlink", "symbolic link to a place outside the folder: refused",
	  "符号链接指向文件夹之外，已拒绝" },
	{ SCAN_LINK_BROKEN, "symlink", "symbolic link that is broken, loops or names a folder: skipped",
	  "符号链接已失效、循环或指向文件夹，已跳过" },
	{ SCAN_NOT_REGULAR, "not-regular", "not a regular file (FIFO, socket or device): skipped",
	  "不是普通文件（管道、套接字或设备），已跳过" },
};

static int scan_finding(check_result *r, const scan_entry *e, int max_depth)
{
	for (size_t i = 0; i < sizeof skipped_kinds / sizeof *skipped_kinds; i++)
		if (e->kind == skipped_kinds[i].kind)
			return ADD(r, skipped_kinds[i].code, NULL, e->name,
				   lp_strdupf("'%s': %s", e->name, skipped_kinds[i].en),
				   lp_strdupf("'%s'：%s", e->name, skipped_kinds[i].zh));
	switch (e->kind) {
	case SCAN_TOO_DEEP:
		return ADD(r, "unreadable", NULL, e->name,
			   lp_strdupf("'%s': nested more than %d folders deep; not read (move its files up, or --max-depth)",
				      e->name, max_depth),
			   lp_strdupf("'%s'：文件夹嵌套超过 %d 层，未读取（请把文件移到上层，或使用 --max-depth）", e->name,
				      max_depth));
	case SCAN_UNREADABLE:
		return ADD(r, "unreadable", NULL, e->name,
			   lp_strdupf("'%s': cannot be read: %s", e->name, strerror(e->err)),
			   lp_strdupf("'%s'：无法读取：%s", e->name, lp_strerror_zh(e->err)));
	default:
		return 0;
	}
}

/* Which domain, staff member or shareholder a matched file is for: the one
 * its path names, or the only one there is; -1 (with a finding when there
 * are several to choose from) otherwise. */
static int entity_of(check_result *r, const match_result *m, const char *rel)
{
	const material *mat = &r->tpl->materials[m->material];
	size_t n = entity_count(&r->app, mat->per);
	int who = mat->per == PER_DOMAIN ? m->domain : m->entity;

	if (mat->per == PER_NONE)
		return -1;
	if (who >= 0)
		return who;
	if (n == 1)
		return 0;
	if (n == 0)
		return -1;
	if (mat->per == PER_DOMAIN)
		ADD(r, "domain-unknown", mat->id, rel,
		    lp_strdupf("'%s': cannot tell which domain it is for; put the domain name in the file name", rel),
		    lp_strdupf("'%s'：无法判断属于哪个域名，请在文件名中写明域名", rel));
	else
		ADD(r, "person-unknown", mat->id, rel,
		    lp_strdupf("'%s': cannot tell whose it is; put the %s's name in the file name or a sub-folder",
			       rel, mat->per == PER_STAFF ? "staff member" : "shareholder"),
		    lp_strdupf("'%s'：无法判断属于哪一位%s，请在文件名或子文件夹名中写明姓名/名称",
			       rel, mat->per == PER_STAFF ? "人员" : "股东"));
	return -1;
}

/* Match every scanned entry to a material, or list it. */
/* A file no name matched: its content may say what it is (reading on). */
static int match_by_content(check_result *r, const scan_list *sl, const scan_entry *e, const check_options *opt,
			    int *matched)
{
	struct file_read *fr;
	int m, ent;

	*matched = 0;
	if (!opt->read || read_by_content(r, opt->read, sl->root_real, e->rel, &m, &ent, &fr) != 0)
		return opt->read ? -1 : 0;
	if (m < 0)
		return 0;
	if (add_file(r, e, m, ent, HOW_CONTENT)) {
		free(fr);
		return -1;
	}
	r->files[r->n_files - 1].read = fr;
	*matched = 1;
	return 0;
}

static int match_all(check_result *r, const scan_list *sl, const matcher *mt, const check_options *opt)
{
	size_t i;
	int by_content;

	for (i = 0; i < sl->n; i++) {
		const scan_entry *e = &sl->v[i];
		match_result m;
		int a;

		if (e->kind != SCAN_FILE) {
			if (scan_finding(r, e, sl->max_depth))
				return -1;
			continue;
		}
		a = assigned_material(r, e->rel);
		if (a == -2)
			return -1;
		if (a >= 0) {
			m.material = a;
			m.ambiguous_with = -1;
			m.how = HOW_ASSIGNED;
			m.domain = matcher_domain(mt, e->rel);
			m.entity = matcher_entity(mt, r->tpl->materials[a].per, e->rel);
			if (m.domain == -2 || m.entity == -2)
				return -1;
		} else if (matcher_match(mt, e->rel, &m) != 0) {
			return -1;
		}
		if (m.material < 0) {
			if (match_by_content(r, sl, e, opt, &by_content) || (!by_content && add_unrecognized(r, e->name)))
				return -1;
			continue;
		}
		if (m.ambiguous_with >= 0) {
			const material *x = &r->tpl->materials[m.material], *y = &r->tpl->materials[m.ambiguous_with];
			if (ADD(r, "ambiguous", NULL, e->name,
				lp_strdupf("'%s': the name fits both '%s' and '%s'; left out (rename it or assign it in packet.json)",
					   e->name, x->id, y->id),
				lp_strdupf("'%s'：文件名同时符合“%s”和“%s”，未纳入（请重命名，或在 packet.json 中指定）",
					   e->name, x->title.zh, y->title.zh)))
				return -1;
			continue;
		}
		if (add_file(r, e, m.material, entity_of(r, &m, e->name), m.how))
			return -1;
	}
	return 0;
}

static int file_cmp(const void *pa, const void *pb)
{
	const checked_file *a = pa, *b = pb;

	if (a->material != b->material)
		return a->material < b->material ? -1 : 1;
	if (a->entity != b->entity)
		return a->entity < b->entity ? -1 : 1;
	return natural_compare(a->rel, b->rel);
}

static void set_states(check_result *r)
{
	size_t i, j;

	for (i = 0; i < r->tpl->n_materials; i++) {
		const material *m = &r->tpl->materials[i];
		int missing = 0, invalid = 0;
		for (j = 0; j < r->findings.n; j++) {
			const finding *f = &r->findings.v[j];
			if (!f->material || strcmp(f->material, m->id) != 0 || f->sev != SEV_ERROR)
				continue;
			if (strcmp(f->code, "missing") == 0)
				missing = 1;
			else
				invalid = 1;
		}
		r->state[i] = missing && r->count[i] == 0 ? MAT_MISSING
			    : missing || invalid     ? MAT_INVALID
			    : r->count[i] == 0       ? MAT_ABSENT_OPTIONAL
						     : MAT_COMPLETE;
	}
}

/* Number each file within its material: 1..n in packet order. */
static void number_files(check_result *r)
{
	size_t i;
	int k = 0, last = -1;

	for (i = 0; i < r->n_files; i++) {
		if (r->files[i].material != last)
			k = 0;
		last = r->files[i].material;
		r->files[i].k = ++k;
	}
}

/* Tell the matcher the names of the staff and shareholders to look for. */
static int set_people(matcher *mt, const applicant *a)
{
	static const per_kind kinds[] = { PER_STAFF, PER_SHAREHOLDER };
	size_t k, i;

	for (k = 0; k < 2; k++) {
		size_t n = entity_count(a, kinds[k]);
		const char **names = calloc(n + 1, sizeof *names);
		int r;
		if (!names)
			return -1;
		for (i = 0; i < n; i++)
			names[i] = entity_name(a, kinds[k], i);
		r = matcher_set_entities(mt, kinds[k], names, n);
		free(names);
		if (r)
			return -1;
	}
	return 0;
}

/* dir is a folder this process may list. LP_EXIT_OK, or LP_EXIT_IO with
 * the error recorded. */
static lp_exit folder_readable(const char *dir, lp_err *err)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		lp_fail_sys(err, LP_E_READ, errno, dir);
		return LP_EXIT_IO;
	}
	if (!S_ISDIR(st.st_mode)) {
		lp_fail(err, LP_E_NOT_FOLDER, dir);
		return LP_EXIT_IO;
	}
	if (access(dir, R_OK | X_OK) != 0) {
		lp_fail_sys(err, LP_E_READ, errno, dir);
		return LP_EXIT_IO;
	}
	return LP_EXIT_OK;
}

/* The folder's packet.json into r->app, and the template it names (or
 * opt's) resolved into r->tpl with the upload profile opened.
 * LP_EXIT_OK; LP_EXIT_USAGE when there is no template or it does not
 * resolve, LP_EXIT_IO when it cannot be read or memory ran out (the
 * error recorded). What it loaded is check_result_release's. */
static lp_exit choose_template(const template_set *set, const char *dir, const check_options *opt,
			       check_result *r, lp_err *err)
{
	const char *tid, *region;
	size_t i;
	int t;

	if (applicant_load(dir, &r->app, &r->findings) != 0) {
		lp_nomem(err);
		return LP_EXIT_IO;
	}
	tid = opt->template_id ? opt->template_id : r->app.template_id;
	region = opt->region ? opt->region : r->app.region;
	if (!tid && r->app.found && !r->app.present) {
		/* the template would have come from packet.json: say why it did not */
		const char *why_en = "?", *why_zh = "?";
		for (i = r->findings.n; i-- > 0;)
			if (strcmp(r->findings.v[i].code, "packet-json") == 0) {
				why_en = r->findings.v[i].msg_en;
				why_zh = r->findings.v[i].msg_zh;
			}
		lp_fail(err, LP_E_NO_TEMPLATE_JSON, dir, why_en, why_zh);
		return LP_EXIT_USAGE;
	}
	if (!tid) {
		lp_fail(err, LP_E_NO_TEMPLATE, dir);
		return LP_EXIT_USAGE;
	}
	t = template_resolve(set, tid, region, &r->tpl, err);
	if (t != 0)
		return t == 3 ? LP_EXIT_IO : LP_EXIT_USAGE;
	if (upload_check_open(opt, r, err) != 0)
		return LP_EXIT_USAGE;
	return LP_EXIT_OK;
}

/* Every scanned file given its material (by packet.json, by name, or by
 * content), sorted into packet order and numbered. 0, or -1 out of
 * memory. */
static int match_folder(check_result *r, const scan_list *sl, const char *dir, const check_options *opt)
{
	matcher *mt = NULL;
	const char **domains = NULL;
	size_t i;
	int ret = -1;

	r->state = calloc(r->tpl->n_materials + 1, sizeof *r->state);
	r->count = calloc(r->tpl->n_materials + 1, sizeof *r->count);
	domains = calloc(r->app.n_domains + 1, sizeof *domains);
	if (!r->state || !r->count || !domains)
		goto cleanup;
	for (i = 0; i < r->app.n_domains; i++)
		domains[i] = r->app.domains[i].name;
	mt = matcher_new(r->tpl, domains, r->app.n_domains);
	if (!mt || set_people(mt, &r->app) || check_assignments(r, sl, dir) || match_all(r, sl, mt, opt))
		goto cleanup;
	if (r->n_files)
		qsort(r->files, r->n_files, sizeof *r->files, file_cmp);
	number_files(r);
	ret = 0;
cleanup:
	matcher_free(mt);
	free(domains);
	return ret;
}

lp_exit check_folder(const template_set *set, const char *dir, const check_options *opt,
		     check_result *r, lp_err *err)
{
	scan_list sl = { 0 };
	lp_exit ret;

	memset(r, 0, sizeof *r);
	if ((ret = folder_readable(dir, err)) != LP_EXIT_OK)
		return ret;
	if ((ret = choose_template(set, dir, opt, r, err)) != LP_EXIT_OK)
		goto cleanup;
	ret = LP_EXIT_IO;
	if (scan_folder_depth(dir, opt->max_depth, &sl) != 0) {
		lp_fail_sys(err, LP_E_READ, errno, dir);
		goto cleanup;
	}
	if (match_folder(r, &sl, dir, opt) != 0)
		goto oom;
	r->dir = strdup(dir);
	r->root_real = strdup(sl.root_real);
	r->max_pixels = opt->max_pixels;
	if (!r->dir || !r->root_real)
		goto oom;
	switch (read_files(r, dir, &sl, opt)) {
	case 0:
		break;
	case -2: {
		lp_err why;
		lp_error_clear(&why);
		qpdf_lazy_load(&why);
		lp_fail_in(err, LP_E_NO_QPDF, &why, dir);
		goto cleanup;
	}
	default:
		goto oom;
	}
	if (check_duplicates(r) || check_counts(r) || check_metadata(r, opt->today) ||
	    (opt->read && read_folder(r, opt->read, opt->today)))
		goto oom;
	set_states(r);
	r->complete = findings_count(&r->findings, SEV_ERROR) == 0;
	ret = LP_EXIT_OK;
	goto cleanup;
oom:
	lp_nomem(err);
cleanup:
	scan_release(&sl);
	return ret;
}

void check_result_release(check_result *r)
{
	size_t i;

	for (i = 0; i < r->n_files; i++) {
		free(r->files[i].rel);
		free(r->files[i].raw);
		free(r->files[i].data);
		free(r->files[i].preview.px);
		free(r->files[i].picture.px);
		free(r->files[i].read);
	}
	free(r->files);
	free(r->dir);
	free(r->root_real);
	for (i = 0; i < r->n_unrecognized; i++)
		free(r->unrecognized[i]);
	free(r->unrecognized);
	free(r->state);
	free(r->count);
	findings_release(&r->findings);
	upload_check_release(r);
	applicant_release(&r->app);
	if (r->tpl)
		template_free(r->tpl);
	memset(r, 0, sizeof *r);
}

/* Convert f's original, n bytes in scratch, again, as load_one did, and
 * put the result in scratch in its place (*n its length): the same
 * bytes as were checked, or an error. */
static int reconvert(const check_result *r, const checked_file *f, lp_buffer *scratch, size_t *n, lp_err *err)
{
	convert_limits cl = { r->max_pixels, 0, 0, NULL, 0 };
	convert_info ci;
	file_info fail;
	uint8_t *out = NULL;
	size_t len = 0;
	char sha[65];
	int rc = convert_buffer(scratch->data, *n, f->conv.from, check_path_ext(f->rel), &cl, &out, &len, &ci, &fail);

	if (rc != 0 || lp_sha256_hex(out, len, sha) != 0 || strcmp(sha, f->sha256) != 0) {
		free(out);
		return lp_fail(err, rc < 0 ? LP_E_RECONVERT_NOMEM : LP_E_RECONVERT_DIFFERS, f->rel);
	}
	if (scratch->cap < len) {
		uint8_t *d = realloc(scratch->data, len);
		if (!d) {
			free(out);
			return lp_fail(err, LP_E_RECONVERT_NOMEM, f->rel);
		}
		scratch->data = d;
		scratch->cap = len;
	}
	memcpy(scratch->data, out, len);
	free(out);
	*n = len;
	return 0;
}

int check_file_bytes(const check_result *r, size_t i, lp_buffer *scratch, const uint8_t **data, size_t *len,
		     lp_err *err)
{
	const checked_file *f;
	char sha[65];
	size_t n = 0;
	uint64_t want;
	int fd, rd, e;

	*data = NULL;
	*len = 0;
	if (i >= r->n_files) {
		return lp_fail(err, LP_E_NO_SUCH_FILE);
	}
	f = &r->files[i];
	if (f->data) {
		*data = f->data;
		*len = f->len;
		return 0;
	}
	if (!f->sha256[0] || !r->root_real || !r->dir) {
		return lp_fail(err, LP_E_NOT_READ, f->rel);
	}
	fd = scan_open_root(r->root_real, r->dir, f->raw);
	if (fd < 0) {
		return lp_fail_sys(err, LP_E_READ_AGAIN, errno, f->rel);
	}
	/* no more than was hashed: more is a change, and never a long read */
	want = f->converted ? f->orig_bytes : f->bytes;
	rd = lp_read_fd_into(fd, (size_t)want, scratch, &n);
	e = errno;
	close(fd);
	if (rd == -1) {
		return lp_fail_sys(err, LP_E_READ_AGAIN, e, f->rel);
	}
	if (rd == -2 || n != want || lp_sha256_hex(scratch->data, n, sha) != 0 ||
	    strcmp(sha, f->converted ? f->orig_sha256 : f->sha256) != 0) {
		return lp_fail(err, LP_E_CHANGED, f->rel);
	}
	if (f->converted && reconvert(r, f, scratch, &n, err) != 0)
		return -1;
	*data = scratch->data;
	*len = n;
	return 0;
}
