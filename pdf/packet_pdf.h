/*
 * packet_pdf: the combined PDF of a packet (SPEC §6) — an A4 cover sheet in
 * Chinese with English subtitles, then every material in template order.
 *
 * Works from a check_result made with keep_data (each file's bytes in
 * memory). Only files that can be shown (JPEG, PNG, PDF that probed OK or
 * repaired) are included; the cover's checklist still lists every material.
 */
#ifndef LICPACK_PACKET_PDF_H
#define LICPACK_PACKET_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "packet/error.h"
#include "packet/check.h"
#include "packet/output.h"

typedef struct {
	const check_result *r;      /* made with check_options.keep_data */
	const char *font_path;      /* CJK TrueType font (cjk_font_find or --font) */
	int font_index;             /* face in a .ttc */
	int watermark;              /* draw the purpose watermark on materials that want it */
	const char *watermark_text; /* e.g. "仅供ICP经营许可证续期使用" */
	int incomplete;             /* mark every cover page "材料不全 / INCOMPLETE" */
	const char *build_date;     /* "YYYY-MM-DD", printed on the cover */
	char *const *packet_names;  /* r->n_files names of the files in the zip, for the checklist */
	const char *title;          /* document title (e.g. the packet name) */
	int id_pairs;               /* both sides of an ID card on one page (--id-layout
				     * together); 0: a page each */
	int sync;                   /* flush the file to disk before its rename (output.h) */
	/* Volumes (packet/volume.h, --max-pdf-mb): with n_volumes > 0 this
	 * build is volume `volume` (1-based) of them. Its cover lists every
	 * material with the volume that holds it (volume_of, per material;
	 * 0: none) and the volumes' file names; only its own materials' pages
	 * follow; every page it draws says "第 k 册 / 共 n 册" in its footer,
	 * with "Volume k of n" too when en. n_volumes 0: the whole packet. */
	int volume, n_volumes;
	const int *volume_of;
	char *const *volume_names;
	int en;
	/* With cover_ready set, a build of the whole packet also hands over
	 * its cover pages alone, as a PDF in memory, from the very rendering
	 * the packet opens with: saved right after they are drawn, before
	 * the materials' pages, so that the caller can pack the cover while
	 * the rest is drawn. Called exactly once a build, on the build's
	 * thread: with the PDF (malloc'ed, the callee's to free), its length
	 * and the number of cover pages; or, when the build fails before
	 * that, with pdf NULL. Their footers count the whole packet's pages
	 * ("第 1 页 / 共 N 页"). */
	void (*cover_ready)(void *arg, uint8_t *pdf, size_t len, int pages);
	void *cover_arg;
} pdf_packet_job;

/* 1 when checked file f can be placed in the PDF. */
int pdf_file_included(const checked_file *f);

/* Write the whole packet PDF (cover_only = 0) or the cover pages alone
 * (cover_only = 1) to out_path, atomically: a temporary file in the same
 * directory, mode 0600, renamed when complete (flushed to disk first with
 * job->sync); on failure nothing is left.
 * *pages gets the number of pages written (may be NULL). Returns 0, or -1
 * with err filled. */
int pdf_write_packet(const pdf_packet_job *job, const char *out_path, int cover_only, int *pages,
		     lp_err *err);

/* The whole packet PDF, as pdf_write_packet, but into file, an output_file
 * (packet/output.h) the caller began beside the final path and commits with
 * the rest of the packet, or aborts; the file is left ready for that,
 * with its verification (pdf_verify_file) set. */
int pdf_write_packet_into(const pdf_packet_job *job, output_file *file, int *pages, lp_err *err);

/* output_verify_fn for a PDF: startxref and %%EOF at the end, and the
 * cross-reference table where startxref says. 0, or -1 with why. */
lp_errcode pdf_verify_file(int fd, uint64_t size);

/* The cover pages alone, into memory: *pdf (malloc'ed, caller frees) of
 * *len bytes, and their number in *pages (may be NULL). */
int pdf_write_cover(const pdf_packet_job *job, uint8_t **pdf, size_t *len, int *pages, lp_err *err);

#endif
