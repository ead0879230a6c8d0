/*
 * summary: the rows of a batch, the per-applicant result file they travel
 * in, and the summary.csv / summary.json files made from them.
 *
 * `licpack batch` (cmd/batch.c) runs one job per applicant in a child
 * process. The child leaves OUTDIR/<applicant>/.result.json:
 *     { "licpack_result": 1, "options": "<what the outputs were made with>",
 *       "started": [seconds, nanoseconds], "row": { ...one row... } }
 * and the parent reads it back. A row is a JSON object with these members,
 * always in this order:
 *     applicant  the folder's name as outputs bear it (summary_output_names:
 *                ID numbers masked), which is also its folder in OUTDIR
 *     company    packet.json's company.name, or null
 *     template   the template id (resolved, else as requested), or null
 *     region     the region overlay, or null
 *     status     "complete", "incomplete" or "failed"
 *     result     "fresh" (made by this run) or "skipped" (up to date)
 *     exit       the applicant's exit code (0, 1, 2 or 3; a crash counts as 3)
 *     errors, warnings   finding counts
 *     missing    ids of the required materials with no file
 *     packet, zip, report   "<applicant>/<applicant>.pdf", ".zip",
 *                "<applicant>/report.json": relative to the folder that holds
 *                the summary, or null when not written
 *     message    why the applicant failed, or null
 *     findings   [{code, severity, material, file, message}]
 *
 * summary_writer turns rows, given in applicant order, into summary.json
 * (one row per line) and summary.csv (UTF-8 with a BOM, CRLF, RFC 4180
 * quoting: what Excel opens without a wizard). `batch` and `batch-merge`
 * both write through it, and a row printed after a parse prints the same
 * bytes, so merged shard summaries equal one full run's byte for byte.
 *
 * Nothing here prints; errors come back as values with err filled.
 */
#ifndef LICPACK_SUMMARY_H
#define LICPACK_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "packet/error.h"
#include "packet/check.h"
#include "packet/report.h"

#define SUMMARY_RESULT_FILE ".result.json"

/* FNV-1a, 64 bits, of the bytes of s: which shard an applicant belongs to
 * (hash mod N == K - 1). Stable across machines and releases. */
uint64_t summary_fnv1a64(const char *s);

/* What a row is made from. r is NULL when the check did not run. */
typedef struct {
	const char *applicant;
	const char *company;
	const char *template_id;   /* used when r is NULL */
	const char *region;        /* used when r is NULL */
	int exit_code;             /* lp_exit: 0 complete, 1 incomplete, else failed */
	const check_result *r;
	int reports_written;
	int packet_written;
	const char *pdf_name;      /* the packet's PDF (its first volume with --max-pdf-mb);
				    * NULL: "<applicant>.pdf" */
	const char *message;       /* kept only for a failed applicant; may be NULL */
	lp_lang lang;              /* of the findings' messages */
} summary_row_in;

/* The names under which applicants' outputs are written (OUTDIR/NAME/,
 * NAME.pdf, NAME.zip, the summary's rows), for the n folder names in names
 * (all the folders of a batch, whichever shard runs them): each name with
 * its ID numbers masked (mask_id_numbers), so that no output or file name
 * shows one. Names without one are kept as they are; a masked name that
 * another folder's name or masked name already is gets _2, _3, ... (the
 * folders in strcmp order), so outputs stay apart and every run (and shard)
 * names a folder's outputs alike. out[i] is names[i]'s; the caller frees
 * each and out itself. Returns out, or NULL when out of memory. */
char **summary_output_names(const char *const *names, size_t n);

/* A new row (result "fresh"). Caller frees with cJSON_Delete; NULL when out
 * of memory. */
cJSON *summary_row_new(const summary_row_in *in);

/* Read the row's status: 0 complete, 1 incomplete, 2 failed; -1 when row is
 * not a row (no applicant or status string). errors and warnings may be NULL. */
int summary_row_status(const cJSON *row, int *errors, int *warnings);

/* Set the row's "result" member ("fresh" or "skipped"). Returns 0 or -1. */
int summary_row_set_result(cJSON *row, const char *result);

/* One CSV record for row, ending in CRLF. Caller frees; NULL when out of memory. */
char *summary_csv_record(const cJSON *row);

/* The CSV header record, ending in CRLF. */
extern const char summary_csv_header[];

/* Write path (OUTDIR/<applicant>/.result.json) atomically (flushed to disk
 * first with sync: output.h). Returns 0, or -1 with err filled. */
int summary_result_write(const char *path, const char *options, const struct timespec *started,
			 const cJSON *row, int sync, lp_err *err);

/* Read a result file. Returns its row (detached: the caller frees it with
 * cJSON_Delete) and, when options/started are not NULL, a copy of its
 * options string (caller frees) and its start time; NULL when the file is
 * missing, unreadable or not a result file (err says which, may be NULL). */
cJSON *summary_result_read(const char *path, char **options, struct timespec *started,
			   lp_err *err);

/* summary.json and summary.csv (or NAME.json / NAME.csv), each appearing
 * whole when committed. */
typedef struct summary_writer summary_writer;

/* base: "summary", or "summary-K-of-N" for one shard; sync as for
 * output.h. Returns 0, or -1 with err filled. */
int summary_writer_begin(summary_writer **out, const char *outdir, const char *base, int sync,
			 lp_err *err);
/* Append a row; rows must come sorted by applicant (bytewise). */
int summary_writer_add(summary_writer *w, const cJSON *row, lp_err *err);
/* Close the files: shard is "K/N" (a shard), "K1,K2/N" (several) or NULL (all
 * applicants); interrupted: the run stopped early. Renames both into place
 * and frees w. counts (may be NULL) gets complete, incomplete, failed,
 * fresh, skipped, in that order. Returns 0, or -1 with err filled. */
int summary_writer_commit(summary_writer *w, const char *shard, int interrupted, size_t counts[5],
			  lp_err *err);
/* Remove the temporary files and free w. NULL is allowed. */
void summary_writer_abort(summary_writer *w);

/* Merge the summary JSON files paths[0..n) into outdir/summary.{json,csv}.
 * The shards must be of one N and each K at most once; an applicant may
 * appear only once. counts as for summary_writer_commit; *interrupted is 1
 * when any input was an interrupted run. Returns 0, 2 (an input is not a
 * summary, or the inputs do not fit together) or 3 (I/O), with err filled. */
int summary_merge(const char *const *paths, size_t n, const char *outdir, size_t counts[5],
		  int *interrupted, lp_err *err);

#endif
