/*
 * packet_job: the work `build` does for one applicant folder, shared by
 * `build` (one folder) and `batch` (one job per applicant, each in its own
 * process).
 *
 * packet_job_run() checks the folder, claims and locks the output folder
 * (packet/output.h: one run at a time; a folder holding files licpack did
 * not write is refused unless force), writes report.json, report.txt and
 * report.html there, and then, when the folder is complete (or the job allows an
 * incomplete one), the packet: NAME.pdf, NAME.zip and manifest.json,
 * committed as one step. Every output appears atomically (written aside,
 * verified, renamed) with mode 0600. A run that writes no packet removes
 * the one an earlier run left (it would no longer match the reports).
 *
 * Nothing here writes to stderr: a job that stops early says why in err, and
 * the caller decides where that goes (build: "licpack: <err>" on stderr;
 * batch: the applicant's .result.json). The report text and the paths written
 * go to job->out when it is not NULL (build: stdout; batch: nowhere).
 */
#ifndef LICPACK_PACKET_JOB_H
#define LICPACK_PACKET_JOB_H

#include <stdio.h>

#include "packet/error.h"
#include "packet/check.h"
#include "packet/output.h"
#include "packet/report.h"
#include "packet/template.h"

typedef struct {
	const template_set *set;
	const char *dir;          /* the applicant folder */
	const char *outdir;       /* made (0700) when missing; must not be inside dir */
	const char *name;         /* the packet's file name: NAME.pdf, NAME.zip */
	check_options check;      /* keep_data is set by the job as it needs */
	lp_lang lang;             /* of the reports; err is in the message language
	                           * (msg.h), which build and batch set to the same */
	int check_only;           /* the reports only, never a packet (batch --check-only) */
	int allow_incomplete;     /* write the packet of an incomplete folder too */
	int no_watermark;
	int id_separate;          /* --id-layout separate: a page per ID card side */
	int no_upload;            /* --no-upload: no upload/ folder (an older one is removed) */
	uint64_t max_pdf_bytes;   /* --max-pdf-mb: volumes under this size (packet/volume.h); 0: one PDF */
	int no_thumbnails;         /* report.html without images */
	int ascii_names;          /* --zip-names ascii */
	int sync;                 /* --sync: outputs flushed to disk before their rename */
	int force;                /* --force: write into an outdir licpack did not make */
	const char *font;         /* CJK font file; NULL: ask fontconfig (cjk_font_find) */
	int font_index;           /* face in a .ttc, with font */
	FILE *out;                /* report text, then the paths written; NULL: print nothing */
	int colour;               /* colour the report text printed on out */
} packet_job;

typedef struct {
	check_result r;           /* the check; meaningful when checked */
	int checked;              /* check_folder ran to the end */
	int reports_written;      /* report.json and report.txt are in outdir */
	int packet_written;       /* NAME.pdf, NAME.zip and manifest.json are in outdir */
	char pdf[512];            /* with packet_written: the PDF's file name, or its
				   * first volume's (--max-pdf-mb) */
	int outdir_locked;        /* outdir is claimed and its lock held (output.h) */
	output_dir outdir;        /* held until packet_job_result_release */
} packet_job_result;

/* Run job. Returns LP_EXIT_OK (complete; with a packet unless check_only),
 * LP_EXIT_INCOMPLETE (incomplete; a packet only with allow_incomplete),
 * LP_EXIT_USAGE (template problem, output folder inside the applicant's or
 * not licpack's) or
 * LP_EXIT_IO. Whenever it returns something other than LP_EXIT_OK, err says
 * why in both languages (LP_OK when there is nothing to add: an incomplete
 * folder in check_only mode). *res is filled in every case; release it with
 * packet_job_result_release. */
lp_exit packet_job_run(const packet_job *job, packet_job_result *res, lp_err *err);

/* Release res: the check result, and the output folder's lock (so that a
 * caller may still write there under it, as batch does its result file). */
void packet_job_result_release(packet_job_result *res);

/* err: outdir is refused (output_dir_claim's OUTPUT_DIR_NOT_OURS), in the
 * message language, saying what --force does. */
void packet_job_not_ours(const char *outdir, lp_err *err);

#endif
