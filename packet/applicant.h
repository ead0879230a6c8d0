/*
 * applicant: the metadata in an applicant folder's optional packet.json.
 *
 *   { "template": "icp-renewal", "region": "jiangsu",
 *     "company": {"name": "...", "uscc": "..."},
 *     "legal_rep": {"name": "...", "id_number": "...", "id_expiry": "YYYY-MM-DD"},
 *     "licence": {"number": "京B2-20212732", "expiry": "YYYY-MM-DD"},
 *     "domains": [{"name": "example.com", "expiry": "YYYY-MM-DD"}],
 *     "files": {"material-id": ["relative/path.jpg", ...]} }
 *
 * Every key is optional. Problems with the file itself (not JSON, a key of the
 * wrong type) become `packet-json` findings; checking the values (check
 * digits, dates) is check.c's job.
 */
#ifndef LICPACK_APPLICANT_H
#define LICPACK_APPLICANT_H

#include <stddef.h>

#include "packet/finding.h"

typedef struct {
	char *name;
	char *expiry;
} applicant_domain;

typedef struct {
	char *material;
	char **paths;
	size_t n_paths;
} applicant_files;

typedef struct {
	int present;              /* packet.json exists and could be parsed */
	int found;                /* packet.json exists (usable or not) */
	char *template_id;
	char *region;
	char *company_name;
	char *company_uscc;
	char *rep_name;
	char *rep_id_number;
	char *rep_id_expiry;
	char *licence_number;
	char *licence_expiry;
	applicant_domain *domains;
	size_t n_domains;
	applicant_files *files;
	size_t n_files;
} applicant;

/* Largest packet.json read; a bigger one is a `packet-json` finding. */
#define APPLICANT_MAX_BYTES (1024 * 1024)

/* Load DIR/packet.json into *a (zeroed first). A missing file is fine (present
 * = 0). Returns 0, or -1 when out of memory; problems are added to findings.
 * Free with applicant_release. */
int applicant_load(const char *dir, applicant *a, finding_list *findings);

/* Parse packet.json text (for tests and fuzzing); name is used in messages. */
int applicant_parse(const char *text, size_t len, const char *name, applicant *a,
		    finding_list *findings);

void applicant_release(applicant *a);

#endif
