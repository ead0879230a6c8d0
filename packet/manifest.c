/*
 * manifest: packet names and manifest.json (see manifest.h).
 */
#include "packet/manifest.h"
#include "packet/upload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/ident.h"
#include "packet/jsontext.h"
#include "packet/normalise.h"
#include "packet/read_check.h"
#include "packet/util.h"

static const char *ext_for(file_format f)
{
	return f == FMT_JPEG ? "jpg" : f == FMT_PNG ? "png" : f == FMT_PDF ? "pdf" : "bin";
}

const char *packet_cover_name(int ascii)
{
	return ascii ? "00_cover.pdf" : "00_封面.pdf";
}

int packet_file_included(const checked_file *f)
{
	/* read and hashed (its bytes kept, or read again when packed) */
	if (f == NULL || f->sha256[0] == '\0' || f->bytes == 0)
		return 0;
	if (f->info.status != PROBE_OK && f->info.status != PROBE_REPAIRED)
		return 0;
	if (f->info.format == FMT_JPEG)
		return probe_jpeg_embeddable(&f->info);
	return f->info.format == FMT_PNG || f->info.format == FMT_PDF;
}

char *packet_file_name(const check_result *r, size_t i, int ascii)
{
	const checked_file *f = &r->files[i];
	const material *m = &r->tpl->materials[f->material];
	const char *dom = checked_file_entity(r, f);
	int multi = m->count_max != 1, k = 1;
	size_t j;
	char ksuffix[24] = "", *name;

	/* k counts within the material, or within the domain for per-domain ones */
	for (j = 0; j < i; j++)
		k += r->files[j].material == f->material && r->files[j].entity == f->entity;
	/* a one-file material with more files (--allow-incomplete builds a
	 * folder with too many): the first keeps the plain name, the others
	 * _2, _3, so that no two entries of the zip share a name */
	if (multi || k > 1)
		snprintf(ksuffix, sizeof ksuffix, "_%d", k);
	name = lp_strdupf("%02d_%s%s%s%s.%s", f->material + 1, ascii ? m->id : m->title.zh, dom ? "_" : "",
			  dom ? dom : "", ksuffix, ext_for(f->info.format));
	/* the entity part comes from packet.json: an ID number in it stays there */
	if (name)
		mask_id_numbers(name);
	return name;
}

static void put_applicant(cJSON *root, const applicant *a, int *ok)
{
	cJSON *ap = json_put_obj(root, "applicant", ok), *o, *arr;
	char masked[40];
	size_t i;

	if (!ap)
		return;
	if ((o = json_put_obj(ap, "company", ok))) {
		json_put_str(o, "name", a->company_name, ok);
		json_put_str(o, "uscc", a->company_uscc, ok);
	}
	if ((o = json_put_obj(ap, "legal_rep", ok))) {
		json_put_str(o, "name", a->rep_name, ok);
		if (a->rep_id_number)
			idcard_mask(a->rep_id_number, masked, sizeof masked);
		json_put_str(o, "id_number", a->rep_id_number ? masked : NULL, ok);
		json_put_str(o, "id_expiry", a->rep_id_expiry, ok);
	}
	if ((o = json_put_obj(ap, "licence", ok))) {
		json_put_str(o, "number", a->licence_number, ok);
		json_put_str(o, "expiry", a->licence_expiry, ok);
	}
	arr = json_put_arr(ap, "domains", ok);
	for (i = 0; arr && i < a->n_domains; i++) {
		cJSON *d = json_push_obj(arr, ok);
		json_put_str(d, "name", a->domains[i].name, ok);
		json_put_str(d, "expiry", a->domains[i].expiry, ok);
	}
}

/* A converted file's original, beside the converted bytes' sha256 and
 * bytes (packet/convert.h): "converted": {"from": "heif", "original_bytes":
 * N, "original_sha256": "...", "method": "heif→jpeg q90"}; absent for a
 * file used as it was. */
static void put_converted(cJSON *o, const checked_file *f, int *ok)
{
	cJSON *c;

	if (!f->converted || !(c = json_put_obj(o, "converted", ok)))
		return;
	json_put_str(c, "from", format_name(f->conv.from), ok);
	json_put_num(c, "original_bytes", (double)f->orig_bytes, ok);
	json_put_str(c, "original_sha256", f->orig_sha256, ok);
	json_put_str(c, "method", f->conv.method, ok);
}

static void put_upload(cJSON *root, const check_result *r, const upload_plan *plan, int *ok)
{
	static const char *const how[] = { "copied", "re-encoded", "rendered", "combined", "id-sides-on-one-page" };
	cJSON *u = json_put_obj(root, "upload", ok), *arr, *o, *from;
	size_t i, k;

	if (!u)
		return;
	json_put_str(u, "folder", "upload", ok);
	json_put_str(u, "portal", plan->profile->id, ok);
	json_put_num(u, "max_bytes", (double)plan->max_bytes, ok);
	if (!(arr = json_put_arr(u, "files", ok)))
		return;
	for (i = 0; i < plan->n_items; i++) {
		const upload_item *it = &plan->items[i];
		const char *dot = strrchr(it->name, '.');
		if (it->unfit || it->too_big)
			continue; /* not written: its too-big finding says why */
		if (!(o = json_push_obj(arr, ok)))
			return;
		json_put_str(o, "name", it->name, ok);
		json_put_str(o, "material", r->tpl->materials[it->material].id, ok);
		json_put_str(o, "format", dot ? dot + 1 : NULL, ok);
		json_put_num(o, "bytes", (double)it->bytes, ok);
		json_put_str(o, "sha256", it->sha256, ok);
		if (it->kind != UPLOAD_PDF) {
			json_put_num(o, "width", it->width, ok);
			json_put_num(o, "height", it->height, ok);
		}
		json_put_num(o, "pages", (double)it->n_pages, ok);
		json_put_str(o, "how", how[it->kind], ok);
		if (!cJSON_AddBoolToObject(o, "fitted", it->fitted))
			*ok = 0;
		if (!(from = json_put_arr(o, "from", ok)))
			return;
		/* the originals, each once, in page order */
		for (k = 0; k < it->n_pages; k++) {
			cJSON *s;
			if (k && it->pages[k].file == it->pages[k - 1].file)
				continue;
			if (!(s = cJSON_CreateString(r->files[it->pages[k].file].rel)) || !cJSON_AddItemToArray(from, s)) {
				cJSON_Delete(s);
				*ok = 0;
				return;
			}
		}
	}
}

char *manifest_json(const check_result *r, int ascii, const char *build_date, int cover_pages)
{
	return manifest_json_upload(r, ascii, build_date, cover_pages, NULL, NULL);
}

/* "pdf": how the combined PDF is split into volumes (see manifest.h). */
static void put_volumes(cJSON *root, const check_result *r, const volume_plan *v, int *ok)
{
	cJSON *o = json_put_obj(root, "pdf", ok), *arr, *vol, *mats;

	if (!o)
		return;
	json_put_num(o, "max_bytes", (double)v->max_bytes, ok);
	if (!(arr = json_put_arr(o, "volumes", ok)))
		return;
	for (int k = 1; k <= v->n_volumes; k++) {
		if (!(vol = json_push_obj(arr, ok)))
			return;
		json_put_num(vol, "volume", k, ok);
		json_put_str(vol, "name", v->names[k - 1], ok);
		if (!cJSON_AddBoolToObject(vol, "over_limit", v->alone_over[k - 1]))
			*ok = 0;
		if (!(mats = json_put_arr(vol, "materials", ok)))
			return;
		for (size_t m = 0; m < r->tpl->n_materials; m++) {
			cJSON *s;
			if (v->of_material[m] != k)
				continue;
			if (!(s = cJSON_CreateString(r->tpl->materials[m].id)) || !cJSON_AddItemToArray(mats, s)) {
				cJSON_Delete(s);
				*ok = 0;
				return;
			}
		}
	}
}

char *manifest_json_upload(const check_result *r, int ascii, const char *build_date, int cover_pages,
			   const upload_plan *plan, const volume_plan *vols)
{
	cJSON *root = cJSON_CreateObject(), *t, *arr;
	int ok = root != NULL;
	size_t i;
	char *out;

	if (!root)
		return NULL;
	json_put_str(root, "generator", "licpack", &ok);
	if ((t = json_put_obj(root, "template", &ok))) {
		json_put_str(t, "id", r->tpl->id, &ok);
		json_put_num(t, "version", r->tpl->version, &ok);
		json_put_str(t, "region", r->tpl->region, &ok);
	}
	put_applicant(root, &r->app, &ok);
	json_put_str(root, "build_date", build_date, &ok);
	json_put_str(root, "status", r->complete ? "complete" : "incomplete", &ok);
	if ((t = json_put_obj(root, "cover", &ok))) {
		json_put_str(t, "name", packet_cover_name(ascii), &ok);
		json_put_num(t, "pages", cover_pages, &ok);
	}
	arr = json_put_arr(root, "files", &ok);
	for (i = 0; arr && i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		cJSON *o;
		char *name;
		if (!packet_file_included(f))
			continue;
		o = json_push_obj(arr, &ok);
		name = packet_file_name(r, i, ascii);
		if (!o || !name) {
			free(name);
			ok = 0;
			break;
		}
		json_put_str(o, "material", r->tpl->materials[f->material].id, &ok);
		json_put_str(o, "domain", r->tpl->materials[f->material].per == PER_DOMAIN ? checked_file_entity(r, f) : NULL, &ok);
	json_put_str(o, "person", r->tpl->materials[f->material].per == PER_DOMAIN ? NULL : checked_file_entity(r, f), &ok);
		json_put_str(o, "original", f->rel, &ok);
		json_put_str(o, "packet_name", name, &ok);
		json_put_str(o, "format", format_name(f->info.format), &ok);
		json_put_num(o, "bytes", (double)f->bytes, &ok);
		json_put_num(o, "pages", f->info.pages, &ok);
		json_put_str(o, "sha256", f->sha256, &ok);
		put_converted(o, f, &ok);
		if (vols && vols->n_volumes > 0)
			json_put_num(o, "volume", vols->of_material[f->material], &ok);
		/* read as upside-down or rotated: the PDF page turns it upright by
		 * this many degrees clockwise (the file itself is untouched; a
		 * PDF's pages go in as they are) */
		if (f->read && f->read->shown_turn && f->info.format != FMT_PDF)
			json_put_num(o, "turned_in_pdf", (360 - f->read->shown_turn) % 360, &ok);
		free(name);
	}
	/* files that are in neither the PDF nor the zip */
	arr = json_put_arr(root, "refused", &ok);
	for (i = 0; arr && i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		cJSON *o;
		if (packet_file_included(f))
			continue;
		if (!(o = json_push_obj(arr, &ok)))
			break;
		json_put_str(o, "material", r->tpl->materials[f->material].id, &ok);
		json_put_str(o, "original", f->rel, &ok);
		json_put_str(o, "format", format_name(f->info.format), &ok);
		json_put_num(o, "bytes", (double)f->bytes, &ok);
		json_put_str(o, "sha256", f->sha256[0] ? f->sha256 : NULL, &ok);
		put_converted(o, f, &ok);
	}
	if (vols && vols->n_volumes > 0)
		put_volumes(root, r, vols, &ok);
	if (plan)
		put_upload(root, r, plan, &ok);
	out = ok ? json_print_nl(root) : NULL;
	cJSON_Delete(root);
	return out;
}
