/*
 * volume: the split of a packet's combined PDF into volumes under a size
 * limit (`--max-pdf-mb N`, issue 14 item 5).
 *
 * volume_plan_make() decides, from the sizes of the checked files, which
 * volume holds each material: materials in template order, as many to a
 * volume as fit under the limit with the cover every volume repeats; a
 * material is never split, and the two sides of an ID card drawn on one
 * page stay together. A material (or such a pair) alone over the limit
 * gets a volume of its own and a `volume-too-big` warning naming it. When
 * everything fits in one volume there are none: the packet keeps its one
 * NAME.pdf. The plan is an estimate (JPEG scans are embedded byte for
 * byte, so it is close); the caller measures the volumes it writes and,
 * when one holding several materials is over the limit after all, has
 * volume_plan_rescale() scale up the estimates of that volume's materials
 * (those it is least sure of: a PDF's pages written anew can take far
 * more than its file did) and plans again.
 */
#ifndef LICPACK_VOLUME_H
#define LICPACK_VOLUME_H

#include <stdint.h>

#include "packet/check.h"

typedef struct {
	uint64_t max_bytes;  /* the limit */
	int n_volumes;       /* 0: no split (everything fits in one PDF) */
	int n_groups;        /* materials (or ID card pairs) with pages: what could be split */
	int *of_material;    /* per material of r->tpl: its volume (1-based); 0: no pages */
	int *alone_over;     /* per volume (index k - 1): 1 when its one material is over the limit */
	char **names;        /* per volume: its file name (NAME_第k册.pdf, or NAME_volk.pdf with ascii) */
} volume_plan;

/* The bytes every volume costs besides its materials' pages: the cover
 * sheet, its font subset and the PDF's structure (an estimate). */
#define VOLUME_OVERHEAD (64u * 1024u)

/* Plan r's volumes under max_bytes for packet name (ascii: ASCII file
 * names). id_pairs: the two sides of an ID card share a page (upload.h's
 * upload_id_partner). scale, per material of r->tpl (values under 1 count
 * as 1; NULL: all 1), multiplies each material's estimate.
 * With add_findings, a material alone over the limit adds `volume-too-big`
 * to r->findings, in place of those of an earlier plan. Returns 0 (*vp filled; release with volume_plan_release)
 * or -1 when out of memory. */
int volume_plan_make(check_result *r, uint64_t max_bytes, const double *scale, int id_pairs, const char *name,
		     int ascii, int add_findings, volume_plan *vp);

/* After vp's PDFs were written, bytes[k - 1] the size of volume k (with no
 * volumes, bytes[0] the one PDF's): for each volume over the limit that
 * does not hold one material alone, raise scale (per material of r->tpl,
 * for volume_plan_make) of its materials so that their estimates take up
 * the bytes the plan missed: of its materials with a PDF when it has any
 * (a PDF's pages are written anew), else of those with other files than
 * JPEGs (a JPEG goes in as it is), else of all of them, 2 % over. Returns 1
 * when scale changed (plan again), 0 when no volume needs it, -1 when out
 * of memory. */
int volume_plan_rescale(const check_result *r, const volume_plan *vp, const uint64_t *bytes, double *scale);

void volume_plan_release(volume_plan *vp);

/* Volume k's file name for packet name: "NAME_第2册.pdf", or
 * "NAME_vol2.pdf" with ascii. Caller frees; NULL when out of memory. */
char *volume_file_name(const char *name, int k, int ascii);

#endif
