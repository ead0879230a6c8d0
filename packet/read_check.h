/*
 * read_check: the content checks — an applicant folder's scans read
 * (packet/read.h), and what they say turned into findings.
 *
 * read_folder() runs after the form checks of check_folder(): it reads the
 * matched JPEG and PNG scans and the PDFs whose pages are scans (the first
 * page; a signed form's last page too; a PDF whose first page is not a
 * plain scan is not read, a not-read notice when its material declares
 * what to read), several at a time, each one once (a cached read is reused, see
 * packet/read_cache.h), keeps what was read beside each file
 * (checked_file.read, for report.json) and adds the findings: upside-down,
 * rotated, illegible, content-unconfirmed, not-read; without the language data, one
 * read-unavailable. It never prints and never keeps the recognised text.
 */
#ifndef LICPACK_READ_CHECK_H
#define LICPACK_READ_CHECK_H

#include "packet/check.h"
#include "packet/read.h"
#include "packet/read_fields.h"

/* How a folder is read (check_options.read; NULL: not read at all). */
struct read_setup {
	reader *rd;             /* NULL: the language data is missing */
	const char *missing;    /* then: the file not found (reader_open) */
	const char *cache_dir;  /* NULL: no cache */
	int threads;            /* pages read at once; 0: check_options.threads */
	unsigned char key[32];  /* keys the digests of ID numbers read (the
				   cache's key, read_cache_key, or a random one) */
};

/* Below this mean confidence a page is illegible to the reviewer too. */
#define READ_ILLEGIBLE_CONF 45

/* What was read from one file (checked_file.read). */
struct file_read {
	read_page_status status;  /* READ_PAGE_FORMAT: not read (not a scan) */
	int cached;               /* taken from the cache, not read now */
	int turn;                 /* how far the scan's stored pixels are turned
				     clockwise (OSD): 0, 90, 180, 270 */
	int shown_turn;           /* the same as a viewer shows it, after its
				     EXIF orientation: what the findings say */
	int confidence;           /* 0-100 */
	read_fields fields;       /* validated values read (read_fields.h); its
				     id_number is always "": see id_masked */
	char id_masked[20];       /* the ID number read, masked for reports */
	char id_digest[65];       /* SHA-256 of key and the number: to compare */
};

/* The most bytes of a file no name matched that are read to find what it is. */
#define READ_CONTENT_MAX_BYTES (64ULL * 1024 * 1024)

/* Whether the scan root/rel, which matches no material by its name, reads
 * as one of r's materials (a business licence, an ID card side, a domain
 * certificate for one of packet.json's domains, the current licence).
 * Returns 0 with *mat the material's index (and *entity, -1 or the
 * domain's index, and *out what was read, the caller's to free), or with
 * *mat -1 when it does not; -1 only when memory runs out. */
int read_by_content(const check_result *r, const struct read_setup *s, const char *root, const char *rel,
		    int *mat, int *entity, struct file_read **out);

/* Read r's files and add the findings (dates against today, days since
 * 1970-01-01). Returns 0, or -1 out of memory. */
int read_folder(check_result *r, const struct read_setup *s, long today);

/* The digest an ID number is compared by (out: 65 bytes). */
void read_id_digest(const unsigned char key[32], const char *id, char out[65]);

/* The content findings on file f (packet/read_content.c): wrong-document,
 * content-mismatch, content-unconfirmed, signed-too-early, and the dates
 * read fed to expired / expires-soon. Returns 0, or -1 out of memory. */
int read_content_findings(check_result *r, checked_file *f, const struct read_setup *s, long today);
/* The material of t a file reading as kind is taken for (by its content, or
 * in report.json's "as"): the first that declares that kind in its `read`,
 * is the applicant's own and is not per staff or shareholder (whose it is
 * cannot be told from the content); NULL: none, or a kind (a form, unknown)
 * that does not tell which material. */
const material *read_kind_material(const template *t, read_doc_kind kind);
/* The material id a read file is reported "as", or NULL. */
const char *read_as(const check_result *r, const checked_file *f);
/* The EXIF orientation (1, 3, 6, 8) that shows a scan turned clockwise
 * by turn upright. */
int read_upright_exif(int turn);

#endif
