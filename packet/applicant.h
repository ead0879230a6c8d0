/*
 * applicant: the metadata in an applicant folder's optional packet.json.
 *
 *   { "template": "icp-renewal", "region": "jiangsu",
 *     "company": {"name": "...", "uscc": "...", "capital_wan": 1000, "paid_in_wan": 1000,
 *                 "coverage": "provincial" | "nationwide", "foreign_share": 0},
 *     "legal_rep": {"name": "...", "id_number": "...", "id_expiry": "YYYY-MM-DD"},
 *     "licence": {"number": "京B2-20212732", "expiry": "YYYY-MM-DD"},
 *     "domains": [{"name": "example.com", "expiry": "YYYY-MM-DD"}],
 *     "staff": [{"role": "contact" | "security" | "service", "name": "...",
 *                "id_number": "...", "id_expiry": "YYYY-MM-DD"}],
 *     "shareholders": [{"name": "...", "kind": "company" | "person",
 *                       "uscc": "...", "id_number": "..."}],
 *     "change": {"date": "YYYY-MM-DD", "what": "...", "kind": "name" | ...,
 *                "decision_date": "YYYY-MM-DD"},
 *     "hosting": {"expiry": "YYYY-MM-DD"},
 *     "prerequisite": {"kind": "callcenter", "number": "...", "expiry": "YYYY-MM-DD",
 *                      "coverage": "provincial" | "nationwide"},
 *     "files": {"material-id": ["relative/path.jpg", ...]} }
 *
 * Every key is optional. Problems with the file itself (not JSON, a key of the
 * wrong type, an unknown key) become `packet-json` findings; a value written
 * as a placeholder, "<...>" (what `licpack init` writes), is recorded as
 * unfilled and treated as absent. Checking the values (check digits, dates)
 * is check.c's job.
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
	char *role;
	char *name;
	char *id_number;
	char *id_expiry;
} applicant_staff;

typedef struct {
	char *name;
	char *kind;
	char *uscc;
	char *id_number;
} applicant_shareholder;

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
	double capital_wan;       /* registered capital in 万元; valid when has_capital */
	int has_capital;
	char *coverage;           /* "provincial" or "nationwide" */
	double paid_in_wan;       /* paid-in capital in 万元; valid when has_paid_in */
	int has_paid_in;
	double foreign_share;     /* foreign investors' share in %; valid when has_foreign_share */
	int has_foreign_share;
	char *rep_name;
	char *rep_id_number;
	char *rep_id_expiry;
	char *licence_number;
	char *licence_expiry;
	char *change_date;
	char *change_what;
	char *change_kind;        /* what changed (check_rules.c knows the kinds), or NULL */
	char *change_decision_date; /* the company's decision (Art. 28 changes count from it) */
	char *hosting_expiry;     /* the hosting or access contract's end date */
	char *prereq_kind;
	char *prereq_number;
	char *prereq_expiry;
	char *prereq_coverage;
	applicant_domain *domains;
	size_t n_domains;
	applicant_staff *staff;
	size_t n_staff;
	applicant_shareholder *shareholders;
	size_t n_shareholders;
	applicant_files *files;
	size_t n_files;
	char **unfilled;          /* paths of placeholder values, e.g. "company.name" */
	size_t n_unfilled;
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

/* 1 when s is a placeholder such as "<公司名称>". */
int applicant_is_placeholder(const char *s);

#endif
