/*
 * check: matching, per-file checks, counts and metadata (see check.h).
 *
 * Order of work: packet.json, template, scan, match every entry, read and
 * probe the matched files (once each), duplicates, counts per material (and
 * per domain), metadata. Every problem is a finding; nothing here prints.
 */
#include "packet/check.h"

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
#include "packet/scan.h"
#include "packet/util.h"

void check_options_init(check_options *o)
{
	memset(o, 0, sizeof *o);
	o->max_pixels = 100000000ULL;
	o->max_depth = SCAN_MAX_DEPTH;
	o->max_read_bytes = 512ULL * 1024 * 1024;
	o->keep_bytes = CHECK_KEEP_BYTES;
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

const char *material_state_name(material_state s)
{
	switch (s) {
	case MAT_COMPLETE: return "complete";
	case MAT_MISSING: return "missing";
	case MAT_INVALID: return "invalid";
	default: return "optional";
	}
}

/* Shorthand: a finding with both messages formatted from the same arguments
 * would need two format strings anyway, so callers pass both. */
#define ADD(r, code, mat, file, en, zh) findings_add(&(r)->findings, code, mat, file, en, zh)

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

static int scan_finding(check_result *r, const scan_entry *e, int max_depth)
{
	switch (e->kind) {
	case SCAN_LINK_OUTSIDE:
		return ADD(r, "symlink", NULL, e->name,
			   lp_strdupf("'%s': symbolic link to a place outside the folder: refused", e->name),
			   lp_strdupf("'%s'：符号链接指向文件夹之外，已拒绝", e->name));
	case SCAN_LINK_BROKEN:
		return ADD(r, "symlink", NULL, e->name,
			   lp_strdupf("'%s': symbolic link that is broken, loops or names a folder: skipped", e->name),
			   lp_strdupf("'%s'：符号链接已失效、循环或指向文件夹，已跳过", e->name));
	case SCAN_NOT_REGULAR:
		return ADD(r, "not-regular", NULL, e->name,
			   lp_strdupf("'%s': not a regular file (FIFO, socket or device): skipped", e->name),
			   lp_strdupf("'%s'：不是普通文件（管道、套接字或设备），已跳过", e->name));
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
static int match_all(check_result *r, const scan_list *sl, const matcher *mt)
{
	size_t i;

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
			if (add_unrecognized(r, e->name))
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

/* The name people know a format by: "HEIC", "WebP", "Word/Excel". */
static const char *format_label(file_format f)
{
	switch (f) {
	case FMT_HEIF: return "HEIC";
	case FMT_WEBP: return "WebP";
	case FMT_TIFF: return "TIFF";
	case FMT_BMP: return "BMP";
	case FMT_GIF: return "GIF";
	case FMT_ZIP: case FMT_OLE: return "Office";
	default: return format_name(f);
	}
}

/* Findings about one file's content against its material's limits. */
static int check_content(check_result *r, checked_file *f)
{
	const material *m = &r->tpl->materials[f->material];
	const file_info *in = &f->info;
	const char *rel = f->rel;
	size_t before = r->findings.n;
	int ret = 0;

	if (f->converted && in->status == PROBE_OK &&
	    (ret = findings_add_sev(&r->findings, "converted", SEV_NOTICE, m->id, rel,
				    lp_strdupf("'%s': converted from %s (%s) for the packet", rel,
					       format_label(f->conv.from), f->conv.method),
				    lp_strdupf("'%s'：已由 '%s' 转换（'%s'）放入材料包", rel, format_label(f->conv.from),
					       f->conv.method))))
		goto done;
	switch (in->status) {
	case PROBE_OK:
	case PROBE_REPAIRED:
		break;
	case PROBE_CORRUPT:
		ret = ADD(r, "corrupt", m->id, rel, lp_strdupf("'%s': %s", rel, in->reason_en),
			  lp_strdupf("'%s'：%s", rel, in->reason_zh));
		goto done;
	case PROBE_TOO_LARGE:
		if (in->width == 0 && in->reason_en) {  /* a converted file's canvas or page count */
			ret = ADD(r, "too-large", m->id, rel, lp_strdupf("'%s': %s; not converted", rel, in->reason_en),
				  lp_strdupf("'%s'：%s，未转换", rel, in->reason_zh));
			goto done;
		}
		ret = ADD(r, "too-large", m->id, rel,
			  lp_strdupf("'%s': %ux%u pixels is more than the limit; not decoded (reduce the resolution)",
				     rel, in->width, in->height),
			  lp_strdupf("'%s'：%ux%u 像素超过上限，未解码（请降低分辨率）", rel, in->width, in->height));
		goto done;
	case PROBE_ENCRYPTED:
		ret = ADD(r, "encrypted", m->id, rel,
			  lp_strdupf("'%s': the PDF is password-protected; save a copy without a password", rel),
			  lp_strdupf("'%s'：PDF 有密码保护，请另存为无密码的副本", rel));
		goto done;
	case PROBE_REFUSED: {
		const char *en, *zh;
		format_advice(in->format, &en, &zh);
		if (in->format == FMT_EMPTY)
			ret = ADD(r, "empty", m->id, rel, lp_strdupf("'%s': the file is empty (0 bytes)", rel),
				  lp_strdupf("'%s'：文件为空（0 字节）", rel));
		else
			ret = ADD(r, "format", m->id, rel,
				  lp_strdupf("'%s': %s is not accepted: %s", rel, in->reason_en ? in->reason_en : format_name(in->format), en),
				  lp_strdupf("'%s'：不接受 %s：%s", rel, in->reason_zh ? in->reason_zh : format_name(in->format), zh));
		goto done;
	}
	}
	if (in->format == FMT_EMPTY || f->bytes == 0) {
		ret = ADD(r, "empty", m->id, rel, lp_strdupf("'%s': the file is empty (0 bytes)", rel),
			  lp_strdupf("'%s'：文件为空（0 字节）", rel));
		goto done;
	}
	if (!(m->formats & FMT_BIT(in->format))) {
		ret = ADD(r, "format", m->id, rel,
			  lp_strdupf("'%s': %s is not accepted for %s", rel, format_name(in->format), m->id),
			  lp_strdupf("'%s'：%s 不接受 %s 格式", rel, m->title.zh, format_name(in->format)));
		if (ret)
			goto done;
	}
	if (in->format == FMT_JPEG && !probe_jpeg_embeddable(in)) {
		ret = ADD(r, "format", m->id, rel,
			  lp_strdupf("'%s': a JPEG variant (frame type SOF%d, %d-bit, %d components) that cannot go into a PDF unchanged; save it again as an ordinary (baseline) JPEG",
				     rel, in->jpeg_sof, in->bit_depth, in->components),
			  lp_strdupf("'%s'：特殊类型的 JPEG（SOF%d，%d 位，%d 个分量），无法直接放入 PDF，请另存为普通（基线）JPEG",
				     rel, in->jpeg_sof, in->bit_depth, in->components));
		goto done;
	}
	if (in->status == PROBE_REPAIRED &&
	    (ret = ADD(r, "repaired", m->id, rel,
		       lp_strdupf("'%s': the PDF is damaged (%s); re-save it before submitting", rel, in->reason_en),
		       lp_strdupf("'%s'：PDF 有损坏（%s），提交前请重新保存", rel, in->reason_zh))))
		goto done;
	if (in->format == FMT_PDF && in->pdf_restricted &&
	    (ret = ADD(r, "restricted", m->id, rel,
		       lp_strdupf("'%s': the PDF is encrypted, though it opens without a password; the zip gets it still encrypted: save a copy without security",
				  rel),
		       lp_strdupf("'%s'：PDF 已加密（无需密码即可打开），压缩包中仍是加密文件，请另存为不加密的副本", rel))))
		goto done;
	if (m->max_bytes && f->bytes > m->max_bytes &&
	    (ret = ADD(r, "too-big", m->id, rel,
		       lp_strdupf("'%s': %llu bytes, more than the %llu allowed", rel,
				  (unsigned long long)f->bytes, (unsigned long long)m->max_bytes),
		       lp_strdupf("'%s'：%llu 字节，超过上限 %llu 字节", rel, (unsigned long long)f->bytes,
				  (unsigned long long)m->max_bytes))))
		goto done;
	if (in->orientation == -1 &&
	    (ret = ADD(r, "orientation", m->id, rel,
		       lp_strdupf("'%s': the EXIF orientation is not 1-8; the image is shown as stored", rel),
		       lp_strdupf("'%s'：EXIF 方向标记不在 1-8 之间，按原样显示", rel))))
		goto done;
	if (in->format == FMT_JPEG || in->format == FMT_PNG || (f->converted && f->conv.images.format == FMT_TIFF)) {
		uint32_t long_edge = in->width > in->height ? in->width : in->height;
		double dpi = in->dpi_x < in->dpi_y || in->dpi_y == 0 ? in->dpi_x : in->dpi_y;
		if (m->min_long_edge && long_edge < m->min_long_edge &&
		    (ret = ADD(r, "too-small", m->id, rel,
			       lp_strdupf("'%s': %ux%u pixels; the longer side needs at least %u (scan again at a higher resolution)",
					  rel, in->width, in->height, m->min_long_edge),
			       lp_strdupf("'%s'：%ux%u 像素，长边至少需要 %u 像素（请提高分辨率重新扫描）",
					  rel, in->width, in->height, m->min_long_edge))))
			goto done;
		if (m->min_dpi && dpi > 0 && dpi + 0.5 < m->min_dpi &&
		    (ret = ADD(r, "low-dpi", m->id, rel,
			       lp_strdupf("'%s': scanned at %.0f dpi; %u dpi or more is recommended", rel, dpi, m->min_dpi),
			       lp_strdupf("'%s'：扫描分辨率 %.0f dpi，建议不低于 %u dpi", rel, dpi, m->min_dpi))))
			goto done;
		if (m->colour && (in->encoding == COLOUR_GREY || in->pixels == COLOUR_GREY) &&
		    (ret = ADD(r, "greyscale", m->id, rel,
			       in->encoding == COLOUR_GREY
				       ? lp_strdupf("'%s': black-and-white (greyscale) image; scan it again in colour", rel)
				       : lp_strdupf("'%s': saved in colour but every pixel is grey (a black-and-white copy); scan the original in colour", rel),
			       in->encoding == COLOUR_GREY
				       ? lp_strdupf("'%s'：黑白（灰度）图像，请用彩色重新扫描", rel)
				       : lp_strdupf("'%s'：虽为彩色格式，但所有像素均为灰色（黑白复印件），请用彩色扫描原件", rel))))
			goto done;
		/* a grey copy cannot show a red seal; greyscale already says what is wrong */
		if (m->seal && in->pixels != COLOUR_UNKNOWN && !in->red_seal && in->encoding != COLOUR_GREY &&
		    in->pixels != COLOUR_GREY &&
		    (ret = ADD(r, "seal-missing", m->id, rel,
			       lp_strdupf("'%s': no red company seal was seen; the template asks for %s (%s) "
					  "stamped with the company seal", rel, m->title.en, m->id),
			       lp_strdupf("'%s'：未发现红色公章，模板要求%s加盖公章", rel, m->title.zh))))
			goto done;
	}
done:
	for (; before < r->findings.n; before++)
		f->errors += r->findings.v[before].sev == SEV_ERROR;
	return ret;
}

/* Read, hash and probe every matched file. */
/* What loading one file came to; findings are made from it afterwards, in
 * packet order, so that the report does not depend on thread timing. */
typedef struct {
	int rd;     /* 0 read; -1 cannot open or read (err); -2 larger than the limit; -3 no memory;
		       -4 a PDF, and no PDF reader (libqpdf) to load */
	int err;
	int opened;
	int keep;   /* its bytes stay in memory (opt->keep_data, within opt->keep_bytes) */
} load_status;

typedef struct {
	check_result *r;
	const char *dir;
	const scan_list *sl;
	const check_options *opt;
	load_status *st;
	size_t next;              /* the next file to load, under lock */
	pthread_mutex_t lock;
} loader;

/* The extension of a relative path ("docx"), or NULL. */
static const char *path_ext(const char *rel)
{
	const char *slash = strrchr(rel, '/'), *dot = strrchr(rel, '.');

	return dot && (!slash || dot > slash) && dot[1] ? dot + 1 : NULL;
}

/* Convert file f (its len bytes at data already hashed into f->sha256 and
 * probed) for the packet, when its format is one licpack converts: on
 * success f's bytes, sha256 and info become the converted file's, and the
 * converted bytes are returned in *conv (malloc'ed; the caller owns them),
 * else *conv stays NULL and f->info says why it was not converted. Returns
 * 0, or -1 when memory runs out. */
static int convert_loaded(checked_file *f, const uint8_t *data, size_t len, const probe_limits *lim,
			  const check_options *opt, uint8_t **conv)
{
	convert_limits cl = { lim->max_pixels, 0, opt->office_timeout_s, opt->soffice, lim->analyse_pixels };
	file_info fail;
	size_t n = 0;
	int rc;

	*conv = NULL;
	if (!convert_wanted(f->info.format, data, len))
		return 0;
	rc = convert_buffer(data, len, f->info.format, path_ext(f->rel), &cl, conv, &n, &f->conv, &fail);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		f->info = fail;
		return 0;
	}
	memcpy(f->orig_sha256, f->sha256, sizeof f->sha256);
	f->orig_bytes = len;
	f->converted = 1;
	f->bytes = n;
	if (lp_sha256_hex(*conv, n, f->sha256) != 0) {
		free(*conv);
		*conv = NULL;
		return -1;
	}
	probe_buffer(*conv, n, lim, &f->info);
	/* a multi-page TIFF's PDF: its pages' sizes, DPI, colour and seal, as
	 * the pages were probed, for the checks of images (check_content) */
	if (f->info.status == PROBE_OK && f->conv.images.format == FMT_TIFF) {
		int pages = f->info.pages;
		f->info.width = f->conv.images.width;
		f->info.height = f->conv.images.height;
		f->info.dpi_x = f->conv.images.dpi_x;
		f->info.dpi_y = f->conv.images.dpi_y;
		f->info.encoding = f->conv.images.encoding;
		f->info.pixels = f->conv.images.pixels;
		f->info.red_seal = f->conv.images.red_seal;
		f->info.pages = pages;
	}
	return 0;
}

/* Read, hash and probe file i: the expensive part, run on several threads.
 * Touches only files[i] and st[i]. A file whose bytes are not kept is read
 * into the thread's scratch buffer, which serves one file after another. */
static void load_one(loader *ld, size_t i, lp_buffer *scratch)
{
	checked_file *f = &ld->r->files[i];
	const material *mat = &ld->r->tpl->materials[f->material];
	/* The pixels are looked at (a reduced-size decode) only for what they
	 * can tell: a grey copy where colour is required, a missing red seal. A
	 * page of the current licence needs neither. */
	probe_limits lim = { ld->opt->max_pixels, (mat->colour ? PROBE_PIXELS_COLOUR : 0u) |
						   (mat->seal ? PROBE_PIXELS_SEAL : 0u) };
	load_status *st = &ld->st[i];
	uint8_t *data = NULL, *conv = NULL;
	size_t len = 0;
	int fd = scan_open(ld->sl, ld->dir, f->raw);

	if (fd < 0) {
		st->rd = -1;
		st->err = errno;
		return;
	}
	st->opened = 1;
	if (st->keep) {
		st->rd = lp_read_fd(fd, ld->opt->max_read_bytes, &data, &len);
	} else {
		st->rd = lp_read_fd_into(fd, ld->opt->max_read_bytes, scratch, &len);
		data = scratch->data;
	}
	st->err = errno;
	close(fd);
	if (st->rd == -1 && st->err == ENOMEM)
		st->rd = -3;
	if (st->rd != 0)
		return;
	/* the size that counts is what was read, not what the scan saw */
	f->bytes = len;
	if (lp_sha256_hex(data, len, f->sha256) != 0) {
		if (st->keep)
			free(data);
		st->rd = -3;
		return;
	}
	probe_buffer(data, len, &lim, &f->info);
	if (convert_loaded(f, data, len, &lim, ld->opt, &conv) != 0) {
		if (st->keep)
			free(data);
		st->rd = -3;
		return;
	}
	/* a PDF met where libqpdf cannot be loaded: the folder cannot be
	 * checked, which is not the file's fault */
	if (f->info.format == FMT_PDF && qpdf_lazy_load(NULL, 0) != 0)
		st->rd = -4;
	/* A converted file is kept as converted when the original would have
	 * been, and an Office document's PDF always: LibreOffice writes the
	 * time into it, so a second conversion would not give the bytes
	 * checked (check_file_bytes). */
	if (conv && (st->keep || (ld->opt->keep_data && (f->conv.from == FMT_ZIP || f->conv.from == FMT_OLE)))) {
		if (st->keep)
			free(data);
		f->data = conv;
		f->len = f->bytes;
	} else if (st->keep) {
		free(conv);
		f->data = data;
		f->len = len;
	} else {
		free(conv);
	}
}

static void *load_worker(void *arg)
{
	loader *ld = arg;
	lp_buffer scratch = { NULL, 0 };

	for (;;) {
		size_t i;
		pthread_mutex_lock(&ld->lock);
		i = ld->next++;
		pthread_mutex_unlock(&ld->lock);
		if (i >= ld->r->n_files)
			break;
		load_one(ld, i, &scratch);
	}
	free(scratch.data);
	return NULL;
}

/* Read, hash and probe every matched file, on up to opt->threads threads
 * (the decoding of large scans dominates a check), then turn what each
 * came to into findings, in packet order. */
static int read_files(check_result *r, const char *dir, const scan_list *sl, const check_options *opt)
{
	loader ld = { r, dir, sl, opt, NULL, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t tid[CHECK_MAX_THREADS];
	size_t i, nt = opt->threads > 0 ? (size_t)opt->threads : 1, started = 0;

	if (nt > CHECK_MAX_THREADS)
		nt = CHECK_MAX_THREADS;
	if (nt > r->n_files)
		nt = r->n_files;
	ld.st = calloc(r->n_files + 1, sizeof *ld.st);
	if (!ld.st)
		return -1;
	/* Which files stay in memory for the packet: the first ones in packet
	 * order, up to keep_bytes by the sizes the scan saw (the rest are read
	 * again, one at a time, when packed: check_file_bytes). */
	{
		uint64_t kept = 0;
		for (i = 0; opt->keep_data && i < r->n_files; i++) {
			if (r->files[i].bytes > opt->keep_bytes - kept)
				break;
			kept += r->files[i].bytes;
			ld.st[i].keep = 1;
		}
	}
	/* the calling thread works too; the others are a bonus when they start */
	for (i = 1; i < nt; i++)
		if (pthread_create(&tid[started], NULL, load_worker, &ld) == 0)
			started++;
	load_worker(&ld);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);

	for (i = 0; i < r->n_files; i++) {
		checked_file *f = &r->files[i];
		const char *mid = r->tpl->materials[f->material].id;
		const load_status *st = &ld.st[i];
		int bad = 0;

		if (st->rd == -3 || st->rd == -4) {
			int rd = st->rd;
			free(ld.st);
			return rd == -4 ? -2 : -1;
		}
		if (st->rd == -1)
			bad = ADD(r, "unreadable", mid, f->rel,
				  lp_strdupf("'%s': cannot %s: %s", f->rel, st->opened ? "read" : "open", strerror(st->err)),
				  lp_strdupf("'%s'：无法%s：%s", f->rel, st->opened ? "读取" : "打开", lp_strerror_zh(st->err)));
		else if (st->rd == -2)
			bad = ADD(r, "too-big", mid, f->rel,
				  lp_strdupf("'%s': larger than %llu bytes; not read", f->rel,
					     (unsigned long long)opt->max_read_bytes),
				  lp_strdupf("'%s'：大于 %llu 字节，未读取", f->rel, (unsigned long long)opt->max_read_bytes));
		else if (f->mtime > r->newest_mtime)
			r->newest_mtime = f->mtime;
		if (st->rd != 0)
			f->errors++;
		if (bad || (st->rd == 0 && check_content(r, f))) {
			free(ld.st);
			return -1;
		}
	}
	free(ld.st);
	return 0;
}

static int check_duplicates(check_result *r)
{
	size_t i, j;

	for (i = 0; i < r->n_files; i++) {
		checked_file *f = &r->files[i];
		if (!f->sha256[0] || f->bytes == 0)
			continue;
		for (j = 0; j < i; j++) {
			const checked_file *g = &r->files[j];
			/* the originals' bytes: an Office document converts to
			 * different bytes every time */
			if (strcmp(f->converted ? f->orig_sha256 : f->sha256, g->converted ? g->orig_sha256 : g->sha256) != 0)
				continue;
			if (ADD(r, "duplicate", r->tpl->materials[f->material].id, f->rel,
				lp_strdupf("'%s': the same bytes as '%s' (%s); each material needs its own scan",
					   f->rel, g->rel, r->tpl->materials[g->material].id),
				lp_strdupf("'%s'：与“%s”（%s）内容完全相同，每份材料须单独扫描",
					   f->rel, g->rel, r->tpl->materials[g->material].title.zh)))
				return -1;
			f->errors++;
			break;
		}
	}
	return 0;
}

/* Counts against count.min/max for one material, or one domain of it. */
static int check_count(check_result *r, int mi, int n, const char *domain)
{
	const material *m = &r->tpl->materials[mi];
	const char *sep = domain ? " for " : "", *d = domain ? domain : "";
	const char *zsep = domain ? "（" : "", *zend = domain ? "）" : "";

	if (n == 0 && m->required)
		return ADD(r, "missing", m->id, NULL,
			   lp_strdupf("%s (%s)%s%s: no file found", m->title.en ? m->title.en : m->id, m->id, sep, d),
			   lp_strdupf("缺少%s%s%s%s", m->title.zh, zsep, d, zend));
	if (n > 0 && n < m->count_min)
		return ADD(r, "too-few", m->id, NULL,
			   lp_strdupf("%s%s%s: %d file(s), at least %d needed", m->id, sep, d, n, m->count_min),
			   lp_strdupf("%s%s%s%s：%d 个文件，至少需要 %d 个", m->title.zh, zsep, d, zend, n, m->count_min));
	if (m->count_max && n > m->count_max)
		return ADD(r, "too-many", m->id, NULL,
			   lp_strdupf("%s%s%s: %d files, at most %d allowed", m->id, sep, d, n, m->count_max),
			   lp_strdupf("%s%s%s%s：%d 个文件，最多 %d 个", m->title.zh, zsep, d, zend, n, m->count_max));
	return 0;
}

/* 1 when staff member i is one a per-staff material with roles applies to. */
static int role_applies(const material *m, const applicant_staff *st)
{
	size_t k;

	if (!m->n_roles)
		return 1;
	for (k = 0; st->role && k < m->n_roles; k++)
		if (strcmp(m->roles[k], st->role) == 0)
			return 1;
	return 0;
}

/* 1 when file f belongs to a material that stands for material mi (a scan
 * of both ID sides stands for each side). */
static int stands_for(const check_result *r, const checked_file *f, size_t mi)
{
	const material *m = &r->tpl->materials[f->material];

	for (size_t k = 0; k < m->n_stands_for; k++)
		if (strcmp(m->stands_for[k], r->tpl->materials[mi].id) == 0)
			return 1;
	return 0;
}

/* Files of material mi for entity e (any when e is -1), with a file of a
 * material standing for it counting as all that is needed when there are
 * too few of its own. */
static int files_of(const check_result *r, size_t mi, int e)
{
	int n = 0, covered = 0;

	for (size_t i = 0; i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		if (e >= 0 && f->entity != e)
			continue;
		if (f->material == (int)mi)
			n++;
		else if (stands_for(r, f, mi))
			covered = 1;
	}
	return covered && n < r->tpl->materials[mi].count_min ? r->tpl->materials[mi].count_min : n;
}

static int check_counts(check_result *r)
{
	size_t mi, i, e;

	for (mi = 0; mi < r->tpl->n_materials; mi++) {
		const material *m = &r->tpl->materials[mi];
		size_t ne = entity_count(&r->app, m->per);
		int n = 0;
		for (i = 0; i < r->n_files; i++)
			n += r->files[i].material == (int)mi;
		r->count[mi] = n;
		n = files_of(r, mi, -1);
		if (m->per != PER_NONE && ne) {
			for (e = 0; e < ne; e++) {
				int k;
				if (m->per == PER_STAFF && !role_applies(m, &r->app.staff[e]))
					continue;
				k = files_of(r, mi, (int)e);
				if (check_count(r, (int)mi, k, entity_name(&r->app, m->per, e)))
					return -1;
			}
		} else if (m->per != PER_NONE) {
			/* no list of domains (people): at least count_min files, and no
			 * upper limit, since there may be several we were not told about */
			int counted = m->count_max && n > m->count_max ? m->count_max : n;
			if (check_count(r, (int)mi, counted, NULL))
				return -1;
		} else if (check_count(r, (int)mi, n, NULL)) {
			return -1;
		}
	}
	return 0;
}

/* A date in packet.json against today: expired, or within `window` days
 * (finding soon_code: expires-soon, or renewal-late for a renewal). */
static int check_date(check_result *r, const char *what_en, const char *what_zh, const char *material,
		      const char *value, const char *field, long today, int window, const char *soon_code,
		      const char *why_en, const char *why_zh)
{
	long d;

	if (!value)
		return 0;
	/* 长期: ID cards of people over 46 never expire */
	if (strcmp(value, "长期") == 0 || strcmp(value, "long-term") == 0)
		return 0;
	if (date_parse(value, &d) != 0)
		return ADD(r, "date-format", material, "packet.json",
			   lp_strdupf("'packet.json': %s: '%s' is not a date (YYYY-MM-DD)", field, value),
			   lp_strdupf("'packet.json'：%s：“%s”不是日期（应为 YYYY-MM-DD）", field, value));
	if (d < today)
		return ADD(r, "expired", material, "packet.json",
			   lp_strdupf("%s expired on %s", what_en, value),
			   lp_strdupf("%s已于 %s 过期", what_zh, value));
	if (window > 0 && d < today + window)
		return ADD(r, soon_code, material, "packet.json",
			   lp_strdupf("%s expires on %s, %ld days from today; %s", what_en, value, d - today, why_en),
			   lp_strdupf("%s将于 %s 到期（还剩 %ld 天）；%s", what_zh, value, d - today, why_zh));
	return 0;
}

/* The first material with expiry rule e among those repeated per `per`. */
static const char *material_with_expiry(const check_result *r, expiry_rule e, per_kind per)
{
	size_t i;

	for (i = 0; i < r->tpl->n_materials; i++)
		if (r->tpl->materials[i].expiry == e && r->tpl->materials[i].per == per)
			return r->tpl->materials[i].id;
	return NULL;
}

/* A 统一社会信用代码: a bad check character is a warning (some registered
 * codes fail it), a malformed code an error. whose: "company", "shareholder X". */
static int check_uscc(check_result *r, const char *code, const char *whose_en, const char *whose_zh,
		      const char *material)
{
	char expected;
	ident_result u;

	if (!code)
		return 0;
	u = uscc_check(code, &expected);
	if (u == IDENT_CHECK)
		return ADD(r, "uscc-checksum", material, "packet.json",
			   lp_strdupf("%s unified social credit code '%s': the check character should be '%c'; verify it by hand (some registered codes fail this check)",
				      whose_en, code, expected),
			   lp_strdupf("%s统一社会信用代码“%s”校验位应为“%c”，请人工核对（个别已登记代码不符合校验规则）",
				      whose_zh, code, expected));
	if (u != IDENT_OK)
		return ADD(r, "uscc-format", material, "packet.json",
			   lp_strdupf("%s unified social credit code '%s': 18 characters from 0-9 and A-Y (no I, O, S, V, Z) expected",
				      whose_en, code),
			   lp_strdupf("%s统一社会信用代码“%s”格式错误：应为 18 位数字或大写字母（不含 I、O、S、V、Z）", whose_zh, code));
	return 0;
}

/* A 身份证号, always shown masked. */
static int check_idnum(check_result *r, const char *num, const char *whose_en, const char *whose_zh,
		       const char *material)
{
	char expected, masked[40];
	ident_result c;

	if (!num)
		return 0;
	c = idcard_check(num, &expected);
	idcard_mask(num, masked, sizeof masked);
	if (c == IDENT_CHECK)
		return ADD(r, "idcard-checksum", material, "packet.json",
			   lp_strdupf("%s ID number %s: the check digit does not match", whose_en, masked),
			   lp_strdupf("%s身份证号码 %s 校验位不符", whose_zh, masked));
	if (c == IDENT_DATE)
		return ADD(r, "idcard-format", material, "packet.json",
			   lp_strdupf("%s ID number %s: the birth date in it is not a real date", whose_en, masked),
			   lp_strdupf("%s身份证号码 %s 中的出生日期无效", whose_zh, masked));
	if (c == IDENT_FORMAT)
		return ADD(r, "idcard-format", material, "packet.json",
			   lp_strdupf("%s ID number %s: 17 digits and a check digit (0-9 or X) expected", whose_en, masked),
			   lp_strdupf("%s身份证号码 %s 格式错误：应为 17 位数字加 1 位校验码（0-9 或 X）", whose_zh, masked));
	return 0;
}

static const char *role_zh(const char *role)
{
	if (!role)
		return "人员";
	return strcmp(role, "contact") == 0 ? "联系人" : strcmp(role, "security") == 0 ? "信息安全负责人"
		: strcmp(role, "service") == 0 ? "客服负责人" : role;
}

/* Staff in packet.json: required roles, how many, and each one's ID. */
static int check_staff(check_result *r, long today)
{
	const applicant *a = &r->app;
	const template_rules *rules = &r->tpl->rules;
	const char *id_mat = material_with_expiry(r, EXPIRY_ID_CARD, PER_STAFF);
	size_t i, k;

	for (k = 0; k < rules->n_staff_roles; k++) {
		int found = 0;
		for (i = 0; i < a->n_staff; i++)
			found |= a->staff[i].role && strcmp(a->staff[i].role, rules->staff_roles[k]) == 0;
		if (!found && ADD(r, "staff-missing", NULL, "packet.json",
				  lp_strdupf("'packet.json': staff: nobody with the role '%s' (%s) is listed", rules->staff_roles[k],
					     role_zh(rules->staff_roles[k])),
				  lp_strdupf("'packet.json'：staff 中没有%s（%s）", role_zh(rules->staff_roles[k]), rules->staff_roles[k])))
			return -1;
	}
	if (rules->staff_min > 0 && a->n_staff < (size_t)rules->staff_min &&
	    ADD(r, "staff-missing", NULL, "packet.json",
		lp_strdupf("'packet.json': staff: %zu listed, at least %d needed", a->n_staff, rules->staff_min),
		lp_strdupf("'packet.json'：staff 列出 %zu 人，至少需要 %d 人", a->n_staff, rules->staff_min)))
		return -1;
	for (i = 0; i < a->n_staff; i++) {
		const applicant_staff *st = &a->staff[i];
		char field[48], *en = lp_strdupf("staff member %s's", st->name), *zh = lp_strdupf("%s%s的", role_zh(st->role), st->name);
		char *den = lp_strdupf("staff member %s's ID card", st->name), *dzh = lp_strdupf("%s%s的身份证", role_zh(st->role), st->name);
		int bad;
		snprintf(field, sizeof field, "staff[%zu].id_expiry", i);
		bad = !en || !zh || !den || !dzh || check_idnum(r, st->id_number, en, zh, id_mat) ||
		      (id_mat && check_date(r, den, dzh, id_mat, st->id_expiry, field, today,
					    rules->id_card_min_valid_days, "expires-soon",
					    "it must stay valid for the review", "证件须在审核期间保持有效"));
		free(en);
		free(zh);
		free(den);
		free(dzh);
		if (bad)
			return -1;
	}
	return 0;
}

static int check_shareholders(check_result *r)
{
	const applicant *a = &r->app;
	size_t i;

	for (i = 0; i < a->n_shareholders; i++) {
		const applicant_shareholder *sh = &a->shareholders[i];
		char *en = lp_strdupf("shareholder %s's", sh->name), *zh = lp_strdupf("股东%s的", sh->name);
		int bad = !en || !zh || check_uscc(r, sh->uscc, en, zh, NULL) || check_idnum(r, sh->id_number, en, zh, NULL);
		if (!bad && sh->kind && strcmp(sh->kind, "company") != 0 && strcmp(sh->kind, "person") != 0)
			bad = ADD(r, "packet-json", NULL, "packet.json",
				  lp_strdupf("'packet.json': shareholders[%zu].kind: '%s' is not company or person", i, sh->kind),
				  lp_strdupf("'packet.json'：shareholders[%zu].kind：“%s”应为 company 或 person", i, sh->kind));
		free(en);
		free(zh);
		if (bad)
			return -1;
	}
	return 0;
}

/* Rules that are not files: registered capital, the annual-report window,
 * the time limit for changes, the prerequisite licence. */
static int check_rules(check_result *r, long today)
{
	const applicant *a = &r->app;
	const template_rules *rules = &r->tpl->rules;
	const char *pre_mat = material_with_expiry(r, EXPIRY_PREREQUISITE, PER_NONE);
	char date[16];

	if (rules->capital_min_wan_provincial || rules->capital_min_wan_nationwide) {
		int nationwide = a->coverage && strcmp(a->coverage, "nationwide") == 0;
		int min = nationwide ? rules->capital_min_wan_nationwide : rules->capital_min_wan_provincial;
		if (a->coverage && !nationwide && strcmp(a->coverage, "provincial") != 0 &&
		    ADD(r, "packet-json", NULL, "packet.json",
			lp_strdupf("'packet.json': company.coverage: '%s' is not provincial or nationwide", a->coverage),
			lp_strdupf("'packet.json'：company.coverage：“%s”应为 provincial 或 nationwide", a->coverage)))
			return -1;
		if (!a->has_capital) {
			if (ADD(r, "metadata-missing", NULL, "packet.json",
				lp_strdupf("'packet.json': company.capital_wan is not given: the registered capital cannot be checked"),
				lp_strdupf("'packet.json'：未填写 company.capital_wan（注册资本，万元），无法核对")))
				return -1;
		} else if (min > 0 && a->capital_wan < min &&
			   ADD(r, "capital-low", NULL, "packet.json",
			       lp_strdupf("registered capital %.0f万 is below the %d万 required for %s coverage", a->capital_wan, min,
					  nationwide ? "nationwide" : "provincial"),
			       lp_strdupf("注册资本 %.0f 万元，低于%s经营所需的 %d 万元", a->capital_wan,
					  nationwide ? "全国" : "省内", min))) {
			return -1;
		}
	}
	if (rules->annual_report) {
		/* open 1 Jan - 31 Mar; make-up until 30 Apr; locked from 1 May */
		int month;
		date_format(today, date, sizeof date);
		month = atoi(date + 5);
		if (month == 4 && ADD(r, "annual-window", NULL, NULL,
				      lp_strdupf("%s is in the make-up period (1-30 April): the annual report was due by 31 March", date),
				      lp_strdupf("%s 处于补报期（4 月 1 日至 30 日）：年报应在 3 月 31 日前提交", date)))
			return -1;
		if (month >= 5 &&
		    findings_add_sev(&r->findings, "annual-window", SEV_ERROR, NULL, NULL,
				     lp_strdupf("%s: the annual-report system is locked from 1 May; the next window opens on 1 January", date),
				     lp_strdupf("%s：年报系统自 5 月 1 日起锁定，下一次填报从 1 月 1 日开始", date)))
			return -1;
	}
	if (rules->change_within_days > 0) {
		long d;
		if (!a->change_date) {
			if (ADD(r, "metadata-missing", NULL, "packet.json",
				lp_strdupf("'packet.json': change.date is not given: the %d-day limit cannot be checked", rules->change_within_days),
				lp_strdupf("'packet.json'：未填写 change.date（变更日期），无法核对 %d 天时限", rules->change_within_days)))
				return -1;
		} else if (date_parse(a->change_date, &d) != 0) {
			if (ADD(r, "date-format", NULL, "packet.json",
				lp_strdupf("'packet.json': change.date: '%s' is not a date (YYYY-MM-DD)", a->change_date),
				lp_strdupf("'packet.json'：change.date：“%s”不是日期（应为 YYYY-MM-DD）", a->change_date)))
				return -1;
		} else if (today > d + rules->change_within_days) {
			date_format(d + rules->change_within_days, date, sizeof date);
			if (ADD(r, "change-late", NULL, "packet.json",
				lp_strdupf("the change of %s had to be filed within %d days, by %s", a->change_date,
					   rules->change_within_days, date),
				lp_strdupf("%s 的变更须在 %d 天内（%s 前）申请", a->change_date, rules->change_within_days, date)))
				return -1;
		}
	}
	if (pre_mat) {
		size_t k;
		int kind_ok = !rules->n_prerequisite_kinds;
		for (k = 0; a->prereq_kind && k < rules->n_prerequisite_kinds; k++)
			kind_ok |= strcmp(a->prereq_kind, rules->prerequisite_kinds[k]) == 0;
		if (!a->prereq_kind && !a->prereq_expiry) {
			if (ADD(r, "metadata-missing", pre_mat, "packet.json",
				lp_strdupf("'packet.json': prerequisite is not given: the licence this application rests on cannot be checked"),
				lp_strdupf("'packet.json'：未填写 prerequisite（前置许可证），无法核对")))
				return -1;
		} else if (!kind_ok) {
			if (ADD(r, "prerequisite", pre_mat, "packet.json",
				lp_strdupf("prerequisite licence of kind '%s': this application needs one of the kinds the template lists",
					   a->prereq_kind ? a->prereq_kind : "(none)"),
				lp_strdupf("前置许可证类型“%s”不符合要求", a->prereq_kind ? a->prereq_kind : "（未填）")))
				return -1;
		} else if (rules->prerequisite_nationwide &&
			   (!a->prereq_coverage || strcmp(a->prereq_coverage, "nationwide") != 0)) {
			if (ADD(r, "prerequisite", pre_mat, "packet.json",
				lp_strdupf("the prerequisite licence must be nationwide (prerequisite.coverage)"),
				lp_strdupf("前置许可证须为全国性许可（prerequisite.coverage）")))
				return -1;
		}
		if (check_date(r, "the prerequisite licence", "前置许可证", pre_mat, a->prereq_expiry, "prerequisite.expiry",
			       today, rules->prerequisite_min_valid_days, "prerequisite",
			       "it must stay valid longer for this application", "其剩余有效期不满足本申请的要求"))
			return -1;
	}
	return 0;
}

/* The licence number's form (ident.h): a typo or a filing number is an
 * error; a form licpack does not know is a warning, since bureaus have
 * issued more forms than are documented. */
static int check_licence_number(check_result *r, const char *num, const char *lic_mat)
{
	switch (num ? licence_number_form(num) : LICENCE_VALID) {
	case LICENCE_VALID:
		return 0;
	case LICENCE_FILING:
		return ADD(r, "licence-number", lic_mat, "packet.json",
			   lp_strdupf("licence number '%s' is an ICP filing (备案) number, not the licence's number "
				      "(京B2-20212732, 京ICP证030173号)", num),
			   lp_strdupf("许可证编号“%s”是ICP备案号，不是许可证编号（形如 京B2-20212732、京ICP证030173号）", num));
	case LICENCE_UNKNOWN:
		return ADD(r, "licence-number-unknown", lic_mat, "packet.json",
			   lp_strdupf("licence number '%s': not a form licpack knows (京B2-20212732, 京ICP证030173号); "
				      "check it against the licence", num),
			   lp_strdupf("许可证编号“%s”不是已知的格式（京B2-20212732、京ICP证030173号），请对照许可证核实", num));
	default:
		return ADD(r, "licence-number", lic_mat, "packet.json",
			   lp_strdupf("licence number '%s': expected a form like 京B2-20212732", num),
			   lp_strdupf("许可证编号“%s”格式错误，应形如 京B2-20212732", num));
	}
}

static int check_metadata(check_result *r, long today)
{
	const applicant *a = &r->app;
	const template_rules *rules = &r->tpl->rules;
	const char *id_mat = material_with_expiry(r, EXPIRY_ID_CARD, PER_NONE);
	const char *dom_mat = material_with_expiry(r, EXPIRY_DOMAIN, PER_DOMAIN);
	const char *lic_mat = material_with_expiry(r, EXPIRY_LICENCE, PER_NONE);
	int renewal = r->tpl->action && strcmp(r->tpl->action, "renewal") == 0;
	size_t i;

	if (!a->present && a->found)
		return 0; /* packet.json exists but is unusable: its packet-json finding says why */
	if (!a->present)
		return ADD(r, "metadata-missing", NULL, "packet.json",
			   lp_strdupf("no packet.json: company, ID card, licence and domain details cannot be checked (licpack init writes one)"),
			   lp_strdupf("没有 packet.json：无法核对公司、身份证、许可证和域名信息（可用 licpack init 生成）"));
	for (i = 0; i < a->n_unfilled; i++)
		if (ADD(r, "unfilled", NULL, "packet.json",
			lp_strdupf("'packet.json': %s still holds a placeholder; fill it in", a->unfilled[i]),
			lp_strdupf("'packet.json'：%s 仍是占位内容，请填写", a->unfilled[i])))
			return -1;
	if (!a->company_name && !a->n_unfilled &&
	    ADD(r, "metadata-missing", NULL, "packet.json", lp_strdupf("'packet.json': company.name is not given"),
		lp_strdupf("'packet.json'：未填写 company.name（公司名称）")))
		return -1;
	if (check_uscc(r, a->company_uscc, "company's", "公司", "business-license") ||
	    check_idnum(r, a->rep_id_number, "legal representative's", "法定代表人", id_mat))
		return -1;
	if (id_mat && check_date(r, "the legal representative's ID card", "法定代表人身份证", id_mat, a->rep_id_expiry,
				 "legal_rep.id_expiry", today, rules->id_card_min_valid_days, "expires-soon",
				 "it must stay valid for the review; renew the ID card first",
				 "证件须在审核期间保持有效，请先更换身份证"))
		return -1;
	if (check_licence_number(r, a->licence_number, lic_mat))
		return -1;
	/* a renewal filed inside the window is refused: late applications are not renewed */
	if (lic_mat && check_date(r, "the current licence", "现有许可证", lic_mat, a->licence_expiry, "licence.expiry", today,
				  rules->licence_renew_before_days, renewal ? "renewal-late" : "expires-soon",
				  "a renewal must be filed at least 90 days before expiry",
				  "续期申请应在到期前至少 90 天提交"))
		return -1;
	for (i = 0; i < a->n_domains; i++) {
		const applicant_domain *d = &a->domains[i];
		char field[48], *en, *zh;
		int bad;
		snprintf(field, sizeof field, "domains[%zu].expiry", i);
		if (!domain_valid(d->name) &&
		    ADD(r, "domain-syntax", dom_mat, "packet.json",
			lp_strdupf("domain '%s' is not a valid domain name", d->name),
			lp_strdupf("域名“%s”格式错误", d->name)))
			return -1;
		en = lp_strdupf("domain %s", d->name);
		zh = lp_strdupf("域名 %s ", d->name);
		bad = !en || !zh ||
		      (dom_mat && check_date(r, en, zh, dom_mat, d->expiry, field, today, rules->domain_min_valid_days,
					     "expires-soon",
					     "it must stay valid through the review (5 days to accept, 60 to decide); renew it first",
					     "域名须在审查期间（受理 5 天、决定 60 天）保持有效，请先续费"));
		free(en);
		free(zh);
		if (bad)
			return -1;
	}
	return check_staff(r, today) || check_shareholders(r) || check_rules(r, today) ? -1 : 0;
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

lp_exit check_folder(const template_set *set, const char *dir, const check_options *opt,
		     check_result *r, char *err, size_t errlen)
{
	scan_list sl = { 0 };
	matcher *mt = NULL;
	const char **domains = NULL;
	const char *tid, *region;
	lp_exit ret = LP_EXIT_IO;
	size_t i;
	int t;

	memset(r, 0, sizeof *r);
	{
		struct stat st;
		if (stat(dir, &st) != 0) {
			snprintf(err, errlen, "cannot read '%s': %s", dir, strerror(errno));
			return LP_EXIT_IO;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "cannot read '%s': not a folder", dir);
			return LP_EXIT_IO;
		}
		if (access(dir, R_OK | X_OK) != 0) {
			snprintf(err, errlen, "cannot read '%s': %s", dir, strerror(errno));
			return LP_EXIT_IO;
		}
	}
	if (applicant_load(dir, &r->app, &r->findings) != 0) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	tid = opt->template_id ? opt->template_id : r->app.template_id;
	region = opt->region ? opt->region : r->app.region;
	if (!tid && r->app.found && !r->app.present) {
		/* the template would have come from packet.json: say why it did not */
		const char *why = "?";
		for (i = r->findings.n; i-- > 0;)
			if (strcmp(r->findings.v[i].code, "packet-json") == 0)
				why = r->findings.v[i].msg_en;
		snprintf(err, errlen, "'%s': no template: packet.json cannot be used (%s): fix it or give --template ID", dir,
			 why);
		ret = LP_EXIT_USAGE;
		goto cleanup;
	}
	if (!tid) {
		snprintf(err, errlen, "'%s': no template: give --template ID or set \"template\" in packet.json (licpack templates list)", dir);
		ret = LP_EXIT_USAGE;
		goto cleanup;
	}
	t = template_resolve(set, tid, region, &r->tpl, err, errlen);
	if (t != 0) {
		ret = t == 3 ? LP_EXIT_IO : LP_EXIT_USAGE;
		goto cleanup;
	}
	if (scan_folder_depth(dir, opt->max_depth, &sl) != 0) {
		snprintf(err, errlen, "cannot read '%s': %s", dir, strerror(errno));
		goto cleanup;
	}
	r->state = calloc(r->tpl->n_materials + 1, sizeof *r->state);
	r->count = calloc(r->tpl->n_materials + 1, sizeof *r->count);
	domains = calloc(r->app.n_domains + 1, sizeof *domains);
	if (!r->state || !r->count || !domains)
		goto oom;
	for (i = 0; i < r->app.n_domains; i++)
		domains[i] = r->app.domains[i].name;
	mt = matcher_new(r->tpl, domains, r->app.n_domains);
	if (!mt || set_people(mt, &r->app) || check_assignments(r, &sl, dir) || match_all(r, &sl, mt))
		goto oom;
	if (r->n_files)
		qsort(r->files, r->n_files, sizeof *r->files, file_cmp);
	number_files(r);
	r->dir = strdup(dir);
	r->root_real = strdup(sl.root_real);
	r->max_pixels = opt->max_pixels;
	if (!r->dir || !r->root_real)
		goto oom;
	switch (read_files(r, dir, &sl, opt)) {
	case 0:
		break;
	case -2: {
		char why[512];
		qpdf_lazy_load(why, sizeof why);
		snprintf(err, errlen, "'%s': cannot check its PDF files: %s", dir, why);
		goto cleanup;
	}
	default:
		goto oom;
	}
	if (check_duplicates(r) || check_counts(r) || check_metadata(r, opt->today))
		goto oom;
	set_states(r);
	r->complete = findings_count(&r->findings, SEV_ERROR) == 0;
	ret = LP_EXIT_OK;
	goto cleanup;
oom:
	snprintf(err, errlen, "out of memory");
cleanup:
	matcher_free(mt);
	free(domains);
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
	applicant_release(&r->app);
	if (r->tpl)
		template_free(r->tpl);
	memset(r, 0, sizeof *r);
}

/* Convert f's original, n bytes in scratch, again, as load_one did, and
 * put the result in scratch in its place (*n its length): the same
 * bytes as were checked, or an error. */
static int reconvert(const check_result *r, const checked_file *f, lp_buffer *scratch, size_t *n, char *err,
		     size_t errlen)
{
	convert_limits cl = { r->max_pixels, 0, 0, NULL, 0 };
	convert_info ci;
	file_info fail;
	uint8_t *out = NULL;
	size_t len = 0;
	char sha[65];
	int rc = convert_buffer(scratch->data, *n, f->conv.from, path_ext(f->rel), &cl, &out, &len, &ci, &fail);

	if (rc != 0 || lp_sha256_hex(out, len, sha) != 0 || strcmp(sha, f->sha256) != 0) {
		free(out);
		snprintf(err, errlen, rc < 0 ? "out of memory converting '%s' again"
				   : "'%s' did not convert to the same bytes again: check the folder again", f->rel);
		return -1;
	}
	if (scratch->cap < len) {
		uint8_t *d = realloc(scratch->data, len);
		if (!d) {
			free(out);
			snprintf(err, errlen, "out of memory converting '%s' again", f->rel);
			return -1;
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
		     char *err, size_t errlen)
{
	const checked_file *f;
	char sha[65];
	size_t n = 0;
	uint64_t want;
	int fd, rd, e;

	*data = NULL;
	*len = 0;
	if (i >= r->n_files) {
		snprintf(err, errlen, "no such file");
		return -1;
	}
	f = &r->files[i];
	if (f->data) {
		*data = f->data;
		*len = f->len;
		return 0;
	}
	if (!f->sha256[0] || !r->root_real || !r->dir) {
		snprintf(err, errlen, "'%s' was not read when the folder was checked", f->rel);
		return -1;
	}
	fd = scan_open_root(r->root_real, r->dir, f->raw);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read '%s' again: %s", f->rel, strerror(errno));
		return -1;
	}
	/* no more than was hashed: more is a change, and never a long read */
	want = f->converted ? f->orig_bytes : f->bytes;
	rd = lp_read_fd_into(fd, (size_t)want, scratch, &n);
	e = errno;
	close(fd);
	if (rd == -1) {
		snprintf(err, errlen, "cannot read '%s' again: %s", f->rel, strerror(e));
		return -1;
	}
	if (rd == -2 || n != want || lp_sha256_hex(scratch->data, n, sha) != 0 ||
	    strcmp(sha, f->converted ? f->orig_sha256 : f->sha256) != 0) {
		snprintf(err, errlen, "'%s' changed since it was checked: check the folder again", f->rel);
		return -1;
	}
	if (f->converted && reconvert(r, f, scratch, &n, err, errlen) != 0)
		return -1;
	*data = scratch->data;
	*len = n;
	return 0;
}
