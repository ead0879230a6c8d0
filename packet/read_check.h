/*
 * read_check: the content checks — an applicant folder's scans read
 * (packet/read.h), and what they say turned into findings.
 *
 * read_folder() runs after the form checks of check_folder(): it reads the
 * matched JPEG and PNG scans (PDF materials are skipped, said in the
 * report), several at a time, each one once (a cached read is reused, see
 * packet/read_cache.h), keeps what was read beside each file
 * (checked_file.read, for report.json) and adds the findings: upside-down,
 * rotated, illegible, content-unconfirmed; without the language data, one
 * read-unavailable. It never prints and never keeps the recognised text.
 */
#ifndef LICPACK_READ_CHECK_H
#define LICPACK_READ_CHECK_H

#include "packet/check.h"
#include "packet/read.h"

/* How a folder is read (check_options.read; NULL: not read at all). */
struct read_setup {
	reader *rd;             /* NULL: the language data is missing */
	const char *missing;    /* then: the file not found (reader_open) */
	const char *cache_dir;  /* NULL: no cache */
	int threads;            /* pages read at once; 0: check_options.threads */
};

/* Below this mean confidence a page is illegible to the reviewer too. */
#define READ_ILLEGIBLE_CONF 45

/* What was read from one file (checked_file.read). */
struct file_read {
	read_page_status status;  /* READ_PAGE_FORMAT: not an image read (PDF) */
	int cached;               /* taken from the cache, not read now */
	int turn;                 /* how far the scan's stored pixels are turned
				     clockwise (OSD): 0, 90, 180, 270 */
	int shown_turn;           /* the same as a viewer shows it, after its
				     EXIF orientation: what the findings say */
	int confidence;           /* 0-100 */
};

/* Read r's files and add the findings. Returns 0, or -1 out of memory. */
int read_folder(check_result *r, const struct read_setup *s);
/* The EXIF orientation (1, 3, 6, 8) that shows a scan turned clockwise
 * by turn upright. */
int read_upright_exif(int turn);

#endif
