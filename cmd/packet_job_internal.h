/*
 * packet_job_internal: what cmd/packet_job.c (the run: check, reports,
 * packet) and cmd/packet_outdir.c (the output folder) share. Not for other
 * modules: cmd/packet_job.h is the job's interface.
 */
#ifndef LICPACK_PACKET_JOB_INTERNAL_H
#define LICPACK_PACKET_JOB_INTERNAL_H

#include "cmd/packet_job.h"
#include "packet/volume.h"

/* Refuse an outdir inside the applicant folder (the next check would read
 * our own outputs as materials), before anything is made; then claim it
 * and take its lock (output.h): made (0700) when missing, refused when it
 * holds files licpack did not write (unless force), one run at a time. */
lp_exit open_outdir(const packet_job *job, output_dir *od, lp_err *err);

/* The upload folder, with the packet: licpack's own (the output folder is
 * its), so removed whole. Says so on job->out. Returns 1 when removed. */
int remove_upload(const packet_job *job);

/* The combined PDFs of earlier builds that this one did not write: volumes
 * not in keep (NULL: every volume), and NAME.pdf when keep has volumes.
 * Says on job->out what it removed; returns how many. */
int remove_other_pdfs(const packet_job *job, const volume_plan *keep);

/* The packet files of job's name, at their final names: NAME.pdf, NAME.zip,
 * manifest.json. Removed when a run writes no packet (incomplete, failed),
 * so that no older packet stays beside reports that no longer describe
 * it. Says on job->out what it removed. Returns how many. */
int remove_packet(const packet_job *job);

/* The reports an earlier run left, when this one could not write its own. */
void remove_reports(const packet_job *job);

/* report.json and report.txt, as one step. */
lp_exit write_reports(const packet_job *job, const char *json, const char *text, lp_err *err);

/* report.html (mode 0600: it shows the scans), through the output module. */
lp_exit write_html(const packet_job *job, const char *html, lp_err *err);

#endif
