/*
 * match: which material a file is (SPEC §3).
 *
 * In this order, the first that applies decides: an explicit assignment in
 * packet.json (done by check.c, which owns the applicant), a sub-folder named
 * after a material, the file name. Names are compared after normalise_name();
 * the longest alias contained in the name wins, and a tie between two
 * materials is an ambiguity. For per-domain materials, the domain named in
 * the path picks the domain; a name that holds only a domain picks the
 * template's per-domain material. A path that names a person or company
 * given with matcher_set_entities() (a staff member, a shareholder) is
 * matched against that kind's per-entity materials first, so that
 * "李四_身份证人像面.jpg" is staff member 李四's ID card, not the legal
 * representative's; when none of those fits, the ordinary materials are tried.
 */
#ifndef LICPACK_MATCH_H
#define LICPACK_MATCH_H

#include <stddef.h>

#include "packet/template.h"

typedef enum { HOW_NONE = 0, HOW_ASSIGNED, HOW_FOLDER, HOW_NAME, HOW_DOMAIN,
	       HOW_CONTENT /* what it reads (packet/read_check.c), no name matching */ } match_how;

typedef struct {
	int material;        /* index into the template's materials, -1 when none */
	int ambiguous_with;  /* the other material of a tie, or -1 */
	int domain;          /* index into the domain list, -1 when none found */
	int entity;          /* with a per-staff / per-shareholder material: index into
				that kind's names; else -1 */
	match_how how;
	int chars;           /* the length in characters of the alias that decided
				(folder or name rule); 0 otherwise */
} match_result;

typedef struct matcher matcher;

/* Prepare the normalised aliases of t and the domain names (may be NULL/0).
 * Keeps pointers to neither. Returns NULL when out of memory; free with
 * matcher_free. */
matcher *matcher_new(const template *t, const char *const *domains, size_t n_domains);
void matcher_free(matcher *m);

/* Names of the staff members (kind PER_STAFF) or shareholders (PER_SHAREHOLDER)
 * to look for in paths. Copies them. Returns 0, or -1 when out of memory. */
int matcher_set_entities(matcher *m, per_kind kind, const char *const *names, size_t n);

/* Match a path relative to the applicant folder. Returns 0, -1 when out of memory. */
int matcher_match(const matcher *m, const char *rel, match_result *out);

/* The domain named in rel (index into the matcher's domains), or -1. */
int matcher_domain(const matcher *m, const char *rel);

/* The staff member or shareholder (by kind) named in rel: its index, -1
 * when none, -2 when out of memory. */
int matcher_entity(const matcher *m, per_kind kind, const char *rel);

/* Stable name for how: "packet.json", "folder", "name", "domain", "none". */
const char *match_how_name(match_how how);

#endif
