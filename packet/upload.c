/*
 * upload: the plan of the upload folder, and the check's word on what the
 * portal takes (see upload.h).
 */
#include "packet/upload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/imageio.h"
#include "packet/manifest.h"
#include "packet/normalise.h"

double upload_page_mm(const material *m)
{
	size_t n = strlen(m->id);

	/* the sides of an ID card, for the legal representative or staff */
	if ((n > 12 && strcmp(m->id + n - 12, "-id-portrait") == 0) ||
	    (n > 10 && strcmp(m->id + n - 10, "-id-emblem") == 0))
		return FIT_ID_CARD_MM;
	return FIT_A4_MM;
}

static uint64_t min_limit(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

fit_limits upload_limits(const upload_profile *p, const upload_overrides *ov, const material *m, int slot_pages)
{
	fit_limits lim;

	memset(&lim, 0, sizeof lim);
	lim.max_bytes = min_limit(ov && ov->max_bytes ? ov->max_bytes : p->max_bytes, m ? m->max_bytes : 0);
	if (lim.max_bytes && slot_pages > 1 && p->pdf_from_pages && slot_pages >= p->pdf_from_pages)
		lim.max_bytes = lim.max_bytes > UPLOAD_PDF_OVERHEAD(slot_pages)
					? (lim.max_bytes - UPLOAD_PDF_OVERHEAD(slot_pages)) / (uint64_t)slot_pages
					: 1;
	lim.max_long_edge = p->max_long_edge;
	lim.max_pixels = ov && ov->max_pixels ? ov->max_pixels : p->max_pixels;
	lim.page_mm = m ? upload_page_mm(m) : FIT_A4_MM;
	lim.min_long_edge = fit_min_edge(p->min_dpi, lim.page_mm);
	lim.quality = p->jpeg_quality;
	return lim;
}

static int pages_of(const checked_file *f)
{
	return f->info.format == FMT_PDF && f->info.pages > 0 ? f->info.pages : 1;
}

int upload_slot_pages(const check_result *r, size_t i)
{
	const checked_file *f = &r->files[i];
	size_t a = i, b = i + 1;
	int n = 0;

	/* the files of one material and entity are next to each other */
	while (a > 0 && r->files[a - 1].material == f->material && r->files[a - 1].entity == f->entity)
		a--;
	while (b < r->n_files && r->files[b].material == f->material && r->files[b].entity == f->entity)
		b++;
	for (; a < b; a++)
		n += packet_file_included(&r->files[a]) ? pages_of(&r->files[a]) : 0;
	return n > 0 ? n : 1;
}

/* Whether fitting file i of r to lim works: its pixels fitted as the build
 * fits them (without the watermark an ID card's copy carries). The
 * estimate from the header alone is only a bound: a scan saved at a low
 * JPEG quality comes out larger when re-encoded at the build's quality
 * (the samples' pages at 2481x3509 re-encoded at 1754 pixels and quality
 * 70 kept 55 % of their bytes where the estimate said 12 %). FIT_YES or
 * FIT_NO; FIT_YES also when the bytes cannot be read or decoded again
 * (other findings say so); FIT_NONE when it goes up as re-encoded, at
 * full size and under the byte limit (as the build counts `fitted`).
 *
 * An upright PNG at its own size within lim is encoded from its rows as
 * they come, as the build encodes it (fit_image): no picture held. A whole
 * decode of the sample's 2481x3509 domain certificate held 26 MB of pixels
 * and took half of the check's time (the page faults of a fresh picture):
 * check of the sample folder 0.34 s, 71 MB; from the rows, 0.10 s, 20 MB. */
static fit_verdict fit_trial(const check_result *r, size_t i, const fit_limits *lim)
{
	const checked_file *f = &r->files[i];
	lp_buffer scratch = { NULL, 0 };
	const uint8_t *d;
	size_t len;
	fit_out fo;
	lp_err why;
	int rc = FIT_ERROR;

	if (check_file_bytes(r, i, &scratch, &d, &len, &why) == 0)
		rc = fit_image(d, len, f->info.format, f->info.orientation, lim, &fo, &why);
	free(scratch.data);
	if (rc != FIT_OK)
		return rc == FIT_CANNOT ? FIT_NO : FIT_YES;
	free(fo.jpeg);
	return fo.reduced || (lim->max_bytes && f->bytes > lim->max_bytes) ? FIT_YES : FIT_NONE;
}

/* Over a limit: whether the fitter's last resort fits, the smallest edge
 * allowed at the lowest quality (one encoding, from a decode scaled that
 * far): what it reaches when nothing larger fits. */
static fit_verdict floor_trial(const check_result *r, size_t i, const fit_limits *lim)
{
	fit_limits l = *lim;

	if (!l.min_long_edge)
		return FIT_YES; /* no minimum: fitting can always get there */
	if (!l.max_long_edge || l.min_long_edge < l.max_long_edge)
		l.max_long_edge = l.min_long_edge;
	l.quality = FIT_MIN_QUALITY;
	l.start_edge = 0;
	return fit_trial(r, i, &l) == FIT_NO ? FIT_NO : FIT_YES;
}

fit_verdict upload_judge(const check_result *r, size_t i, const upload_profile *p, const upload_overrides *ov)
{
	const checked_file *f = &r->files[i];
	const material *m = &r->tpl->materials[f->material];
	const file_info *in = &f->info;
	fit_limits lim;
	fit_verdict v;

	/* only what goes into the packet: not a damaged, refused or
	 * too-large file (its own finding says why; decoding it is no use) */
	if ((in->format != FMT_JPEG && in->format != FMT_PNG) || !packet_file_included(f))
		return FIT_NONE;
	lim = upload_limits(p, ov, m, upload_slot_pages(r, i));
	v = fit_estimate(f->bytes, in->width, in->height, in->format, &lim);
	/* within the limits as it is, but re-encoded as JPEG on the way up
	 * (a PNG the portal does not take, a turned scan, an ID card's copy
	 * with the watermark): tried when its JPEG may come near the limit */
	if (v == FIT_NONE && lim.max_bytes &&
	    ((in->format == FMT_PNG && !p->take_png) || in->orientation > 1 || m->watermark) &&
	    fit_jpeg_guess(f->bytes, in->width, in->height, in->format) * 2 > (double)lim.max_bytes)
		return fit_trial(r, i, &lim);
	return v == FIT_YES ? floor_trial(r, i, &lim) : v;
}

int upload_check_file(finding_list *l, const check_result *r, size_t i, const upload_profile *p,
		      const upload_overrides *ov, fit_verdict v)
{
	const checked_file *f = &r->files[i];
	const material *m = &r->tpl->materials[f->material];
	const file_info *in = &f->info;
	int slot_pages = upload_slot_pages(r, i);
	fit_limits lim = upload_limits(p, ov, m, slot_pages);
	uint64_t whole = upload_limits(p, ov, m, 1).max_bytes;
	char en[160], zh[160];
	int ret;

	if (v == FIT_NONE || (in->format != FMT_JPEG && in->format != FMT_PNG))
		return 0;
	/* the limit it is held to: a page's share when its slot is one PDF */
	if (lim.max_bytes != whole) {
		snprintf(en, sizeof en, "%llu bytes a page of a %d-page PDF of at most %llu bytes, %u pixels a side",
			 (unsigned long long)lim.max_bytes, slot_pages, (unsigned long long)whole, lim.max_long_edge);
		snprintf(zh, sizeof zh, "%d 页合为一个不超过 %llu 字节的 PDF，每页 %llu 字节、每边 %u 像素", slot_pages,
			 (unsigned long long)whole, (unsigned long long)lim.max_bytes, lim.max_long_edge);
	} else {
		snprintf(en, sizeof en, "%llu bytes, %u pixels a side", (unsigned long long)lim.max_bytes, lim.max_long_edge);
		snprintf(zh, sizeof zh, "%llu 字节、每边 %u 像素", (unsigned long long)lim.max_bytes, lim.max_long_edge);
	}
	if (v == FIT_YES)
		ret = findings_add(l, "fitted", m->id, f->rel,
				   lp_strdupf("'%s': %llu bytes, %ux%u pixels, is more than portal '%s' takes (%s); the upload copy is made smaller, no less than %u dpi",
					      f->rel, (unsigned long long)f->bytes, in->width, in->height, p->id, en, p->min_dpi),
				   lp_strdupf("'%s'：%llu 字节、%ux%u 像素，超过上传系统 '%s' 的限制（%s）；上传用的副本会缩小，分辨率不低于 %u dpi",
					      f->rel, (unsigned long long)f->bytes, in->width, in->height, p->id, zh, p->min_dpi));
	else
		ret = findings_add(l, "too-big", m->id, f->rel,
				   lp_strdupf("'%s': %llu bytes, %ux%u pixels, cannot be brought under what portal '%s' takes (%s) without going below %u dpi; scan it again at a lower resolution or save it with more compression",
					      f->rel, (unsigned long long)f->bytes, in->width, in->height, p->id, en, p->min_dpi),
				   lp_strdupf("'%s'：%llu 字节、%ux%u 像素，无法在不低于 %u dpi 的前提下缩小到上传系统 '%s' 的限制（%s）以内；请降低分辨率重新扫描，或提高压缩率另存",
					      f->rel, (unsigned long long)f->bytes, in->width, in->height, p->min_dpi, p->id, zh));
	return ret == 0 ? 1 : -1;
}

int upload_check_small(finding_list *l, const material *m, const checked_file *f, const upload_profile *p)
{
	const file_info *in = &f->info;
	uint32_t lo = p->min_width < p->min_height ? p->min_width : p->min_height;
	uint32_t hi = p->min_width < p->min_height ? p->min_height : p->min_width;
	uint32_t w = in->width, h = in->height;

	if ((in->format != FMT_JPEG && in->format != FMT_PNG) || !w || !h || (!lo && !hi) ||
	    ((w > h ? w : h) >= hi && (w > h ? h : w) >= lo))
		return 0;
	return findings_add(l, "too-small", m->id, f->rel,
			    lp_strdupf("'%s': %ux%u pixels, smaller than portal '%s' takes (at least %ux%u); too small to "
				       "read, and not enlarged: scan it again at 200 to 300 dpi",
				       f->rel, w, h, p->id, p->min_width, p->min_height),
			    lp_strdupf("'%s'：%ux%u 像素，小于上传系统 '%s' 要求的最小尺寸（至少 %ux%u）；这么小的扫描件"
				       "无法看清，也不会被放大：请以 200 至 300 dpi 重新扫描",
				       f->rel, w, h, p->id, p->min_width, p->min_height)) == 0 ? 1 : -1;
}

int upload_check_open(const check_options *opt, check_result *r, lp_err *err)
{
	if (!opt->portal)
		return 0;
	if (upload_profile_set_new(&r->profiles, err) != 0 ||
	    (opt->profiles_dir && upload_profile_set_add_dir(r->profiles, opt->profiles_dir, err) != 0))
		return -1;
	if (!(r->portal = upload_profile_find(r->profiles, opt->portal))) {
		lp_fail(err, LP_E_UNKNOWN_PORTAL, opt->portal);
		return -1;
	}
	r->upload_max_bytes = opt->upload_max_bytes;
	r->upload_max_pixels = opt->upload_max_pixels;
	return 0;
}

void upload_check_release(check_result *r)
{
	upload_profile_set_free(r->profiles);
	r->profiles = NULL;
	r->portal = NULL;
}

/* ---- the plan ---- */

static int push_item(upload_plan *plan, upload_item *it)
{
	upload_item *g = realloc(plan->items, (plan->n_items + 1) * sizeof *g);

	if (!g)
		return -1;
	plan->items = g;
	plan->items[plan->n_items++] = *it;
	return 0;
}

/* How one page of an image goes up: its own bytes when the portal takes
 * them as they are, else re-encoded. */
static upload_kind image_kind(const upload_plan *plan, const material *m, const checked_file *f)
{
	const upload_overrides ov = { plan->max_bytes, plan->max_pixels };
	fit_limits lim = upload_limits(plan->profile, &ov, m, 1);
	int upright = f->info.orientation <= 1;

	if (f->info.format == FMT_PDF)
		return UPLOAD_RENDER;
	/* the purpose watermark goes into the pixels of an ID card's copy
	 * (when the template and --no-watermark let it: the writer knows) */
	if (m->watermark)
		return UPLOAD_IMAGE;
	if (upright && fit_estimate(f->bytes, f->info.width, f->info.height, f->info.format, &lim) == FIT_NONE &&
	    (f->info.format == FMT_JPEG || plan->profile->take_png))
		return UPLOAD_COPY;
	return UPLOAD_IMAGE;
}

/* The items of files [a, b) of r (one material, one entity). */
static int plan_group(const check_result *r, upload_plan *plan, const char *folder, size_t a, size_t b)
{
	const material *m = &r->tpl->materials[r->files[a].material];
	const char *ent = checked_file_entity(r, &r->files[a]);
	int total = 0, k;
	size_t i, n = 0;
	upload_item it;

	for (i = a; i < b; i++)
		total += pages_of(&r->files[i]);
	if (plan->profile->pdf_from_pages && total >= plan->profile->pdf_from_pages) {
		memset(&it, 0, sizeof it);
		it.kind = UPLOAD_PDF;
		it.material = r->files[a].material;
		it.name = lp_strdupf("%s/%02d_%s%s%s.pdf", folder, it.material + 1, plan->ascii ? m->id : m->title.zh,
				     ent ? "_" : "", ent ? ent : "");
		it.pages = calloc((size_t)total, sizeof *it.pages);
		if (!it.name || !it.pages || push_item(plan, &it) != 0) {
			free(it.name);
			free(it.pages);
			return -1;
		}
		for (i = a; i < b; i++)
			for (k = 0; k < pages_of(&r->files[i]); k++) {
				it.pages[n].file = i;
				it.pages[n++].page = k;
			}
		it.n_pages = n;
		plan->items[plan->n_items - 1].n_pages = n;
		mask_id_numbers(plan->items[plan->n_items - 1].name);
		return 0;
	}
	for (i = a; i < b; i++) {
		const checked_file *f = &r->files[i];
		char *stem = packet_file_name(r, i, plan->ascii), *dot;
		int np = pages_of(f);
		if (!stem)
			return -1;
		if ((dot = strrchr(stem, '.')))
			*dot = '\0';
		long partner = plan->id_pairs ? upload_id_partner(r, i) : -1;
		for (k = 0; k < np; k++) {
			memset(&it, 0, sizeof it);
			it.kind = partner >= 0 ? UPLOAD_ID_PAIR : image_kind(plan, m, f);
			it.material = f->material;
			it.name = np > 1 ? lp_strdupf("%s/%s_p%d.jpg", folder, stem, k + 1)
					 : lp_strdupf("%s/%s.%s", folder, stem,
						      it.kind == UPLOAD_COPY && f->info.format == FMT_PNG ? "png" : "jpg");
			it.pages = calloc(2, sizeof *it.pages);
			if (!it.name || !it.pages || push_item(plan, &it) != 0) {
				free(it.name);
				free(it.pages);
				free(stem);
				return -1;
			}
			it.pages[0].file = i;
			it.pages[0].page = k;
			plan->items[plan->n_items - 1].n_pages = 1;
			if (partner >= 0) { /* the portrait side first, above */
				int portrait = strstr(m->id, "-id-portrait") != NULL;
				it.pages[portrait ? 1 : 0].file = (size_t)partner;
				it.pages[portrait ? 0 : 1].file = i;
				plan->items[plan->n_items - 1].n_pages = 2;
			}
		}
		free(stem);
	}
	return 0;
}

/* 1 when material id ends with suffix; *stem its length before it. */
static int id_ends(const char *id, const char *suffix, size_t *stem)
{
	size_t n = strlen(id), k = strlen(suffix);

	if (n <= k || strcmp(id + n - k, suffix) != 0)
		return 0;
	*stem = n - k;
	return 1;
}

static int is_image(const checked_file *f)
{
	return packet_file_included(f) && (f->info.format == FMT_JPEG || f->info.format == FMT_PNG);
}

int upload_id_side(const char *material_id)
{
	size_t stem;

	return id_ends(material_id, "-id-portrait", &stem) || id_ends(material_id, "-id-emblem", &stem);
}

long upload_id_partner(const check_result *r, size_t i)
{
	const checked_file *f = &r->files[i];
	const char *id = r->tpl->materials[f->material].id, *want;
	size_t stem, j;

	if (!is_image(f))
		return -1;
	if (id_ends(id, "-id-portrait", &stem))
		want = "-id-emblem";
	else if (id_ends(id, "-id-emblem", &stem))
		want = "-id-portrait";
	else
		return -1;
	for (j = 0; j < r->n_files; j++) {
		const checked_file *g = &r->files[j];
		const char *gid = r->tpl->materials[g->material].id;
		if (j != i && g->entity == f->entity && g->k == f->k && strncmp(gid, id, stem) == 0 &&
		    strcmp(gid + stem, want) == 0 && is_image(g))
			return (long)j;
	}
	return -1;
}

int upload_plan_make(const check_result *r, const upload_profile *p, const upload_overrides *ov, int ascii,
		     int id_pairs, upload_plan *out)
{
	size_t mi, i, j;

	memset(out, 0, sizeof *out);
	out->profile = p;
	out->max_bytes = ov && ov->max_bytes ? ov->max_bytes : p->max_bytes;
	out->max_pixels = ov && ov->max_pixels ? ov->max_pixels : p->max_pixels;
	out->ascii = ascii || p->ascii_names;
	out->id_pairs = id_pairs;
	for (mi = 0; mi < r->tpl->n_materials; mi++) {
		const material *m = &r->tpl->materials[mi];
		char *folder = NULL, **g;
		for (i = 0; i < r->n_files; i++)
			if (r->files[i].material == (int)mi && packet_file_included(&r->files[i]))
				break;
		if (i == r->n_files)
			continue;
		if (!(folder = lp_strdupf("%02zu_%s", mi + 1, out->ascii ? m->id : m->title.zh)) ||
		    !(g = realloc(out->folders, (out->n_folders + 1) * sizeof *g))) {
			free(folder);
			goto oom;
		}
		out->folders = g;
		out->folders[out->n_folders++] = folder;
		/* the files of one entity are next to each other in packet order */
		while (i < r->n_files) {
			for (j = i; j < r->n_files && r->files[j].material == (int)mi && r->files[j].entity == r->files[i].entity &&
				    packet_file_included(&r->files[j]);
			     j++)
				;
			if (j > i && plan_group(r, out, folder, i, j) != 0)
				goto oom;
			for (i = j > i ? j : i + 1;
			     i < r->n_files && !(r->files[i].material == (int)mi && packet_file_included(&r->files[i])); i++)
				;
		}
	}
	/* what the check said cannot be fitted is not tried again */
	for (i = 0; i < out->n_items; i++)
		for (j = 0; j < out->items[i].n_pages && !out->items[i].too_big; j++)
			out->items[i].too_big =
				findings_name(&r->findings, "too-big", r->files[out->items[i].pages[j].file].rel);
	return 0;
oom:
	upload_plan_release(out);
	return -1;
}

void upload_plan_release(upload_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n_folders; i++)
		free(plan->folders[i]);
	free(plan->folders);
	for (i = 0; i < plan->n_items; i++) {
		free(plan->items[i].name);
		free(plan->items[i].pages);
		free(plan->items[i].unfit);
	}
	free(plan->items);
	memset(plan, 0, sizeof *plan);
}
