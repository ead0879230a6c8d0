/*
 * fill: what an applicant folder's scans say, gathered for the packet.json
 * `licpack init DIR --from-scans` writes (issue 12 item 5).
 *
 * fill_scan() lists the folder (packet/scan.h) and reads the JPEG and PNG
 * scans that can give a value (packet/read.h): those whose name is a
 * business licence, the legal representative's ID card or a domain
 * certificate or current licence, and those whose name is no material at
 * all (they may be one by content). fill_guess() then picks the template
 * that recognises the most of the folder's files, by name or by what they
 * read as, and fill_merge() turns the reads into packet.json's values,
 * each with the file it came from; two files that disagree give no value
 * but a conflict naming both.
 *
 * Unlike every other read (packet/read_check.h), the ID number is kept
 * whole here: it goes into the user's own packet.json and nowhere else.
 * fill_release() wipes it. Nothing here prints, logs or caches.
 */
#ifndef LICPACK_FILL_H
#define LICPACK_FILL_H

#include <stddef.h>

#include "packet/match.h"
#include "packet/read.h"
#include "packet/read_fields.h"
#include "packet/template.h"

/* One file of the folder. */
typedef struct {
	char *rel;                /* relative path, as the file system has it */
	char *name;               /* the same for people (scan.h's display name) */
	int image;                /* a JPEG or PNG */
	int wanted;               /* a file whose name may give a value: to read */
	read_doc_kind hint;       /* what its name says it is, for the parse */
	read_page_status status;  /* when read (wanted and a reader given) */
	int read;                 /* read, and status READ_PAGE_OK: fields hold it */
	read_fields fields;       /* the ID number whole: wiped by fill_release */
} fill_file;

typedef struct {
	fill_file *v;
	size_t n;
} fill_folder;

/* Most pages fill_scan reads at once. */
#define FILL_MAX_THREADS 4

/* List dir's files and read (with rd, threads pages at a time; rd NULL:
 * none) those that may give a value, by their names in set's templates
 * (only tpl's, when not NULL). Returns 0, or -1 with errno (the folder
 * cannot be listed, memory). */
int fill_scan(const template_set *set, const template *tpl, reader *rd, const char *dir, int threads,
	      fill_folder *out);
void fill_release(fill_folder *f);

/* What the scan of a material giving values is, from its template `read`
 * key: the applicant's own documents but signed forms, and not a staff
 * member's or shareholder's (READ_DOC_UNKNOWN: it gives none). */
read_doc_kind fill_source_kind(const material *m);

/* The material a file is for t: by its name (m, made from t), else by
 * what it reads as (a material t has; a per-domain one only with
 * one_domain, a per-person one never). Sets *by_content and (may be
 * NULL) *chars, the length of the material's name found in the file's
 * name (0 by content). Returns the material's index, or -1 when none; -2
 * out of memory. */
int fill_material(const template *t, const matcher *m, const fill_file *f, int one_domain, int *by_content,
		  int *chars);

#define FILL_MAX_TIED 8

typedef struct {
	const char *chosen;              /* the template's id (the set's), or NULL */
	const char *tied[FILL_MAX_TIED]; /* the best ones (the first FILL_MAX_TIED) */
	size_t n_tied;                   /* how many tie for the best */
	int best;                        /* files the best recognise */
	int closeness;                   /* and the characters of material names
					    its matches by name found in them */
	const char *next;                /* the best of the rest, or NULL */
	int next_files, next_closeness;  /* its figures */
	int files;                       /* files in the folder */
} fill_guess_result;

/* The template that recognises most of the folder's files (by name or by
 * content, as fill_material); between equals, the one whose material names
 * fit the file names more closely (more characters of them found: the
 * alias 续期申请表 is closer than 申请表). chosen is NULL when several tie
 * on both or none recognises any file. A template that does not resolve
 * (a broken --templates file) is left out. Returns 0, or -1 out of memory. */
int fill_guess(const template_set *set, const fill_folder *f, fill_guess_result *out);

/* The keys of packet.json a scan can fill. */
typedef enum {
	FILL_COMPANY_NAME = 0,
	FILL_COMPANY_USCC,
	FILL_CAPITAL_WAN,
	FILL_REP_NAME,
	FILL_REP_ID_NUMBER,
	FILL_REP_ID_EXPIRY,
	FILL_LICENCE_NUMBER,
	FILL_LICENCE_EXPIRY,
	FILL__KEYS
} fill_key;

/* Its path in packet.json: "company.name", ... */
const char *fill_key_path(fill_key k);

#define FILL_MAX_FROM 4

/* One value: what it is, and the files that say it; or a conflict. */
typedef struct {
	char value[256];             /* "" when none was read, or a conflict */
	const char *from[FILL_MAX_FROM]; /* display names of the files saying it */
	size_t n_from;
	int conflict;                /* two files disagree: value "" */
	char other[256];             /* then: the second value, and its file */
	const char *other_from;
	char first[256];             /* and the first value */
} fill_value;

#define FILL_MAX_DOMAINS 32

typedef struct {
	fill_value name;
	fill_value expiry;
} fill_domain;

/* A file matched by its content, for packet.json's "files". */
typedef struct {
	const char *rel;
	const char *name;
	const char *material;        /* the template's material id */
	read_doc_kind kind;
} fill_assigned;

/* A file whose values were not used, and why. */
typedef enum {
	FILL_SKIP_PDF = 1,        /* not an image: not read */
	FILL_SKIP_UNREAD,         /* the page could not be read */
	FILL_SKIP_WRONG,          /* named as one document, reads as another */
	FILL_SKIP_CAPITAL,        /* the capital is not written as a number of 万元 */
	FILL_SKIP_OTHER_PERSON,   /* one of several ID cards named as the legal
				     representative's, with another name than the
				     licence's 法定代表人 (a staff member's) */
	FILL_SKIP_NAME            /* matched by content, but its name cannot go into
				     packet.json's "files" as it is (not UTF-8,
				     control characters, an ID number): its values
				     are used, the file is not assigned */
} fill_skip_why;

typedef struct {
	const char *name;
	fill_skip_why why;
	const char *material;        /* FILL_SKIP_WRONG: what the name says */
	read_doc_kind kind;          /* and what it reads as */
	read_page_status status;     /* FILL_SKIP_UNREAD */
	char text[64];               /* FILL_SKIP_CAPITAL: the capital as written;
					FILL_SKIP_OTHER_PERSON: the licence's 法定代表人 */
} fill_skipped;

typedef struct {
	fill_value v[FILL__KEYS];
	fill_domain domains[FILL_MAX_DOMAINS];
	size_t n_domains;
	fill_assigned *assigned;
	size_t n_assigned;
	fill_skipped *skipped;
	size_t n_skipped;
} fill_values;

/* The values f's reads give for template t. Returns 0, or -1 out of
 * memory. Release with fill_values_release (which wipes the ID number). */
int fill_merge(const template *t, const fill_folder *f, fill_values *out);
void fill_values_release(fill_values *v);

/* "1000万元" (digits, an optional fraction, then 万): the number of 万元
 * in *wan, 0; -1 when it is not written so. */
int fill_capital_wan(const char *s, double *wan);

#endif
