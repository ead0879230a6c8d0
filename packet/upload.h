/*
 * upload: what goes into the packet's upload/ folder, and what the check
 * says about the portal's limits.
 *
 * upload_plan_make() decides, from the check's result and a portal profile,
 * the folders (one per material with files, in template order:
 * "NN_<title>", ASCII "NN_<id>" when asked or the profile wants it) and the
 * files in each: a JPG per page when the material (per domain or person
 * for repeated ones) has fewer pages than the profile's pdf_from_pages,
 * else one PDF of its pages in order. pdf/upload_write.c then writes them.
 *
 * upload_check_file() is the check's part: a scan over the template's byte
 * limit or the profile's limits gets `fitted` (a notice: the build fits
 * it) when fitting can bring it under them without going below the
 * profile's minimum resolution for the page's size, and `too-big` (an
 * error) when it cannot.
 */
#ifndef LICPACK_UPLOAD_H
#define LICPACK_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "packet/error.h"
#include "packet/check.h"
#include "packet/upload_fit.h"
#include "packet/upload_profile.h"

/* One page of the upload: page `page` (0-based) of checked file `file`. */
typedef struct {
	size_t file;
	int page;
} upload_page;

typedef enum {
	UPLOAD_COPY = 0,   /* the file's own bytes (a JPEG, or a PNG the portal takes, within every limit) */
	UPLOAD_IMAGE,      /* one page as JPG, re-encoded (turned upright, fitted, or from PNG) */
	UPLOAD_RENDER,     /* one page of a PDF material, rendered as JPG */
	UPLOAD_PDF,        /* the pages as one PDF */
	UPLOAD_ID_PAIR     /* both sides of an ID card on one A4 page, as JPG (pages: portrait, emblem) */
} upload_kind;

typedef struct {
	char *name;           /* "01_营业执照副本/01_营业执照副本.jpg", relative to upload/ */
	upload_kind kind;
	int material;         /* index into tpl->materials */
	upload_page *pages;
	size_t n_pages;
	/* filled by the writer */
	uint64_t bytes;
	char sha256[65];
	uint32_t width, height;  /* of a JPG/PNG; 0 for a PDF */
	int fitted;              /* pixels dropped or quality lowered to fit */
	lp_err *unfit;           /* not NULL: it could not be brought within the
				  * limits and was not written; why (the writer's
				  * error, both languages), of page file unfit_file */
	size_t unfit_file;
	int too_big;             /* a file of it has the check's too-big: it is
				  * not attempted, not written (set by the plan) */
} upload_item;

typedef struct upload_plan {
	const upload_profile *profile;
	uint64_t max_bytes;       /* the profile's, or --max-file-mb */
	uint64_t max_pixels;      /* the profile's, or --max-pixels-upload */
	int ascii;
	int id_pairs;             /* ID card sides on one page (--id-layout together) */
	char **folders;           /* "01_营业执照副本" */
	size_t n_folders;
	upload_item *items;       /* in template order; an item's folder is the start of its name */
	size_t n_items;
} upload_plan;

/* Overrides of a profile's figures (0: the profile's). */
typedef struct {
	uint64_t max_bytes;
	uint64_t max_pixels;
} upload_overrides;

/* The plan for r under profile p (id_pairs: the sides of an ID card on one
 * page, which goes into both sides' folders). Returns 0, or -1 when out of
 * memory. */
int upload_plan_make(const check_result *r, const upload_profile *p, const upload_overrides *ov, int ascii,
		     int id_pairs, upload_plan *out);

/* 1 when material_id is an ID card side's (portrait or emblem): the
 * materials whose files upload_id_partner pairs. */
int upload_id_side(const char *material_id);

/* The file that shows the other side of ID card file i (its emblem side
 * for a portrait, the portrait for an emblem: same person, same k), both
 * images in the packet; -1 when there is none. */
long upload_id_partner(const check_result *r, size_t i);
void upload_plan_release(upload_plan *plan);

/* The long edge of the page a material's scan shows: an ID card's side
 * (85.6 mm) or A4. */
double upload_page_mm(const material *m);

/* What one PDF upload of n JPEG pages adds to their bytes (objects, xref):
 * a generous bound, so that the pages' shares leave room for it. */
#define UPLOAD_PDF_OVERHEAD(n) (4096 + 1024 * (uint64_t)(n))

/* The limits a page of material m must meet under p (with the overrides).
 * slot_pages: the pages of the upload slot it goes up in; when p sends
 * that many as one PDF (pdf_from_pages), the page gets its share of the
 * byte limit, the PDF's overhead taken off first. 0 or 1: a page alone. */
fit_limits upload_limits(const upload_profile *p, const upload_overrides *ov, const material *m, int slot_pages);

/* The pages of the upload slot file i of r goes up in: every page of the
 * files of its material and entity that go into the packet (what
 * upload_plan_make groups), at least 1. */
int upload_slot_pages(const check_result *r, size_t i);

/* The check's part at its start: r->portal from opt (the built-in
 * profiles and opt->profiles_dir's). Returns 0 (also with no opt->portal),
 * or -1 with err filled: an unknown portal, a profile that cannot be read.
 * check_result_release frees it (upload_check_release). */
int upload_check_open(const check_options *opt, check_result *r, lp_err *err);
void upload_check_release(check_result *r);

/* `too-small` when image f (JPEG or PNG, as read or converted) has fewer
 * pixels than portal p takes at least (min_width x min_height, either way
 * up: its long edge against the larger, its short edge against the
 * smaller): the portal refuses it, and enlarging adds nothing to a scan
 * too small to read, so it is not made larger but reported, naming the
 * file and the minimum. Returns 1 when it added the finding, 0 when the
 * image is large enough (or p has no minimum), -1 when out of memory. */
int upload_check_small(finding_list *l, const material *m, const checked_file *f, const upload_profile *p);

/* Whether file i of r (an image: JPEG or PNG; others FIT_NONE) goes up
 * under p as it is (FIT_NONE), fitted (FIT_YES) or not at all (FIT_NO),
 * judged against the limit the build fits it to (in a slot that goes up as
 * one PDF, its share: upload_slot_pages). Over a limit, or re-encoded near
 * one, the file is fitted once to say which (the estimate from its header
 * alone misses scans saved at a low quality). Reads r only: the check runs
 * it on several threads. */
fit_verdict upload_judge(const check_result *r, size_t i, const upload_profile *p, const upload_overrides *ov);

/* The check's findings on file i of r from v (upload_judge's): `fitted` or
 * `too-big`, also for the template's own max_bytes. Returns 1 when it
 * judged the file's size (the caller then skips its own too-big), 0 when
 * it had nothing to say, -1 when out of memory. */
int upload_check_file(finding_list *l, const check_result *r, size_t i, const upload_profile *p,
		      const upload_overrides *ov, fit_verdict v);

#endif
