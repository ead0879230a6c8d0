/*
 * finding: one problem found in an applicant folder, and the list of them.
 *
 * A finding has a stable code (see finding_codes[] in packet/finding.c for
 * every code, its severity and its explanation), the material and the file it concerns (either
 * may be NULL), and a message in English and in Chinese; the report picks one
 * language when it prints. The list owns every string in it.
 */
#ifndef LICPACK_FINDING_H
#define LICPACK_FINDING_H

#include <stddef.h>

#include "packet/util.h"

/* A notice says what licpack did (a file converted): it is neither a
 * problem nor counted as a warning, and --strict does not fail on it. */
typedef enum { SEV_ERROR = 0, SEV_WARNING, SEV_NOTICE } severity;

/* "error", "warning", "notice": for JSON, CSV and HTML classes. */
const char *severity_name(severity s);

typedef struct {
	const char *code;   /* a string literal: a code of finding_codes[] */
	severity sev;
	char *material;     /* material id, or NULL */
	char *file;         /* relative path, or NULL */
	char *msg_en;
	char *msg_zh;
} finding;

typedef struct {
	finding *v;
	size_t n, cap;
} finding_list;

/* Add a finding; the caller formats each message (lp_strdupf). Takes
 * ownership of msg_en and msg_zh (freed even on failure); copies material and
 * file. The severity is the code's default (finding_codes[]).
 * Returns 0, or -1 when out of memory. */
int findings_add(finding_list *l, const char *code, const char *material, const char *file,
		 char *msg_en, char *msg_zh);

/* As findings_add, with an explicit severity. */
int findings_add_sev(finding_list *l, const char *code, severity sev, const char *material,
		     const char *file, char *msg_en, char *msg_zh);

size_t findings_count(const finding_list *l, severity sev);

/* 1 when a finding of l with code names file. */
int findings_name(const finding_list *l, const char *code, const char *file);
void findings_release(finding_list *l);

/* Finding codes: every code licpack emits, with its default severity, a
 * one-line summary, and the long explanation `licpack explain CODE` prints
 * (and the man page's FINDING CODES section, made from it): what it means
 * and why the bureau cares, then how to fix it. Each text exists in English
 * and Chinese; the Chinese ones quote what is not Chinese ('licpack init',
 * 'yyzz') unless it is a code, an option, a file name or an acronym. */
typedef struct {
	const char *code;
	severity sev;
	const char *summary_en;
	const char *summary_zh;
	const char *explain_en;   /* what it means, why it matters */
	const char *explain_zh;
	const char *fix_en;       /* what to do about it */
	const char *fix_zh;
} finding_code;

extern const finding_code finding_codes[];
extern const size_t n_finding_codes;
/* The entry for code, or NULL. */
const finding_code *finding_code_find(const char *code);

#endif
