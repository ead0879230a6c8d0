/*
 * volume: which volume of the combined PDF holds each material (see
 * volume.h). The estimate of a material is the bytes of its files (JPEGs
 * and PDFs go in as they are, a PNG's compressed data mostly too) and a
 * little for each page's caption, footer and structure.
 */
#include "packet/volume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/manifest.h"
#include "packet/upload.h"
#include "packet/util.h"

/* What a page costs besides its image: caption, footer, watermark, objects. */
#define PAGE_OVERHEAD 4096u

char *volume_file_name(const char *name, int k, int ascii)
{
	return ascii ? lp_strdupf("%s_vol%d.pdf", name, k) : lp_strdupf("%s_第%d册.pdf", name, k);
}

void volume_plan_release(volume_plan *vp)
{
	for (int k = 0; vp->names && k < vp->n_volumes; k++)
		free(vp->names[k]);
	free(vp->names);
	free(vp->of_material);
	free(vp->alone_over);
	memset(vp, 0, sizeof *vp);
}

/* The estimated bytes of each material's pages (est, per material; scale:
 * per material, NULL: 1) and which materials must share a volume with the
 * one before (joined: an ID card's sides on one page; NULL: not wanted). */
static void estimate(const check_result *r, const double *scale, int id_pairs, double *est, int *joined)
{
	for (size_t i = 0; i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		int pages = f->info.format == FMT_PDF ? (f->info.pages > 0 ? f->info.pages : 1) : 1;
		long partner = id_pairs ? upload_id_partner(r, i) : -1;

		if (!packet_file_included(f))
			continue;
		est[f->material] += (scale && scale[f->material] > 1 ? scale[f->material] : 1) *
				    ((double)f->bytes + (double)pages * PAGE_OVERHEAD);
		if (partner >= 0 && joined) {
			int a = f->material, b = r->files[partner].material;
			for (int m = (a < b ? a : b) + 1; m <= (a < b ? b : a); m++)
				joined[m] = 1;
		}
	}
}

/* The volume-too-big warning of volume k, which holds one material (or an
 * ID card's two sides) over the limit: it names the first of them. */
static int warn_alone(check_result *r, const volume_plan *vp, int k, double bytes)
{
	const material *m = NULL;
	char *en, *zh;

	for (size_t j = 0; j < r->tpl->n_materials && !m; j++)
		if (vp->of_material[j] == k)
			m = &r->tpl->materials[j];
	if (!m)
		return 0;
	en = lp_strdupf("'%s' alone takes about %.1f MB of the PDF, over --max-pdf-mb %g: volume %d of %d holds it "
			"on its own", m->title.en ? m->title.en : m->id, bytes / 1e6, (double)vp->max_bytes / 1e6, k,
			vp->n_volumes);
	zh = lp_strdupf("'%s' 单独约占 %.1f MB，超过 --max-pdf-mb %g：单独成为第 %d 册（共 %d 册）",
			m->title.zh ? m->title.zh : m->id, bytes / 1e6, (double)vp->max_bytes / 1e6, k, vp->n_volumes);
	return findings_add(&r->findings, "volume-too-big", m->id, NULL, en, zh);
}

/* Drop the volume-too-big findings of an earlier plan from r. */
static void drop_warnings(check_result *r)
{
	finding_list *l = &r->findings;
	size_t keep = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].code, "volume-too-big") != 0) {
			l->v[keep++] = l->v[i];
			continue;
		}
		free(l->v[i].material);
		free(l->v[i].file);
		free(l->v[i].msg_en);
		free(l->v[i].msg_zh);
	}
	l->n = keep;
}

int volume_plan_make(check_result *r, uint64_t max_bytes, const double *scale, int id_pairs, const char *name,
		     int ascii, int add_findings, volume_plan *vp)
{
	size_t nm = r->tpl->n_materials;
	double *est = calloc(nm + 1, sizeof *est), *group = calloc(nm + 1, sizeof *group);
	int *joined = calloc(nm + 1, sizeof *joined);
	double budget = max_bytes > VOLUME_OVERHEAD ? (double)(max_bytes - VOLUME_OVERHEAD) : 0, used = 0;
	int ret = -1, n = 0;

	memset(vp, 0, sizeof *vp);
	vp->max_bytes = max_bytes;
	vp->of_material = calloc(nm + 1, sizeof *vp->of_material);
	vp->alone_over = calloc(nm + 1, sizeof *vp->alone_over);
	if (!est || !group || !joined || !vp->of_material || !vp->alone_over)
		goto cleanup;
	estimate(r, scale, id_pairs, est, joined);
	if (add_findings)
		drop_warnings(r);
	/* groups of materials that go together, each placed whole: in this
	 * volume when it fits, else it starts the next; one over the budget
	 * on its own is a volume of its own */
	for (size_t m = 0; m < nm;) {
		size_t e = m + 1;
		double g = est[m];
		while (e < nm && joined[e])
			g += est[e++];
		if (g > 0) {
			vp->n_groups++;
			if (n == 0 || used + g > budget || vp->alone_over[n - 1]) {
				n++;
				used = 0;
			}
			used += g;
			group[n - 1] = used;
			if (used > budget) /* only when it is alone: anything else went to the next */
				vp->alone_over[n - 1] = 1;
			for (size_t j = m; j < e; j++)
				if (est[j] > 0)
					vp->of_material[j] = n;
		}
		m = e;
	}
	if (n <= 1) { /* it all fits: one PDF, as without the option */
		memset(vp->of_material, 0, (nm + 1) * sizeof *vp->of_material);
		memset(vp->alone_over, 0, (nm + 1) * sizeof *vp->alone_over);
		ret = 0;
		goto cleanup;
	}
	vp->names = calloc((size_t)n, sizeof *vp->names);
	if (!vp->names)
		goto cleanup;
	vp->n_volumes = n;
	for (int k = 1; k <= n; k++) {
		if (!(vp->names[k - 1] = volume_file_name(name, k, ascii)))
			goto cleanup;
		if (vp->alone_over[k - 1] && add_findings &&
		    warn_alone(r, vp, k, group[k - 1] + VOLUME_OVERHEAD) != 0)
			goto cleanup;
	}
	ret = 0;
cleanup:
	if (ret != 0)
		volume_plan_release(vp);
	free(est);
	free(group);
	free(joined);
	return ret;
}

/* How unsure the estimate of material m is: 2 when it has a PDF (its
 * pages are copied with what they use and written anew, with no object
 * streams: they can take far more than the file did), 1 another file that
 * is not a JPEG (a PNG recompressed at times), 0 JPEGs only (they go in as
 * they are). */
static int doubt(const check_result *r, size_t m)
{
	int d = 0;

	for (size_t i = 0; i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		if ((size_t)f->material == m && packet_file_included(f) && f->info.format != FMT_JPEG)
			d = f->info.format == FMT_PDF ? 2 : d > 1 ? d : 1;
	}
	return d;
}

int volume_plan_rescale(const check_result *r, const volume_plan *vp, const uint64_t *bytes, double *scale)
{
	size_t nm = r->tpl->n_materials;
	double *est = calloc(nm + 1, sizeof *est);
	int n = vp->n_volumes > 0 ? vp->n_volumes : 1, again = 0;

	if (!est)
		return -1;
	estimate(r, scale, 0, est, NULL);
	for (int k = 1; k <= n; k++) {
		double planned = VOLUME_OVERHEAD, doubtful = 0, excess;
		int most = 0;
		if (bytes[k - 1] <= vp->max_bytes || (vp->n_volumes > 0 && vp->alone_over[k - 1]))
			continue;
		/* the materials of volume k (with no volumes: every one with
		 * pages), and the most doubtful of them */
		for (size_t m = 0; m < nm; m++)
			if (est[m] > 0 && (vp->n_volumes == 0 || vp->of_material[m] == k)) {
				int d = doubt(r, m);
				planned += est[m];
				most = d > most ? d : most;
			}
		for (size_t m = 0; m < nm; m++)
			if (est[m] > 0 && (vp->n_volumes == 0 || vp->of_material[m] == k) && doubt(r, m) == most)
				doubtful += est[m];
		excess = (double)bytes[k - 1] - planned;
		if (doubtful <= 0)
			continue;
		/* what the estimate missed, shared by the most doubtful
		 * materials in proportion to their estimates, 2 % over */
		for (size_t m = 0; m < nm; m++)
			if (est[m] > 0 && (vp->n_volumes == 0 || vp->of_material[m] == k) && doubt(r, m) == most)
				scale[m] = (scale[m] > 1 ? scale[m] : 1) * (1 + (excess > 0 ? excess : 0) / doubtful) * 1.02;
		again = 1;
	}
	free(est);
	return again;
}
