/*
 * match: which material a file is (SPEC §3).
 *
 * In this order, the first that applies decides: an explicit assignment in
 * packet.json (done by check.c, which owns the applicant), a sub-folder named
 * after a material, the file name. Names are compared after normalise_name();
 * the longest alias contained in the name wins, and a tie between two
 * materials is an ambiguity. For per-domain materials, the domain named in
 * the path picks the domain; a name that holds only a domain picks the
 * template's per-domain material.
 */
#ifndef LICPACK_MATCH_H
#define LICPACK_MATCH_H

#include <stddef.h>

#include "packet/template.h"

typedef enum { HOW_NONE = 0, HOW_ASSIGNED, HOW_FOLDER, HOW_NAME, HOW_DOMAIN } match_how;

typedef struct {
	int material;        /* index into the template's materials, -1 when none */
	int ambiguous_with;  /* the other material of a tie, or -1 */
	int domain;          /* index into the domain list, -1 when none found */
	match_how how;
} match_result;

typedef struct matcher matcher;

/* Prepare the normalised aliases of t and the domain names (may be NULL/0).
 * Keeps pointers to neither. Returns NULL when out of memory; free with
 * matcher_free. */
matcher *matcher_new(const template *t, const char *const *domains, size_t n_domains);
void matcher_free(matcher *m);

/* Match a path relative to the applicant folder. Returns 0, -1 when out of memory. */
int matcher_match(const matcher *m, const char *rel, match_result *out);

/* The domain named in rel (index into the matcher's domains), or -1. */
int matcher_domain(const matcher *m, const char *rel);

/* Stable name for how: "packet.json", "folder", "name", "domain", "none". */
const char *match_how_name(match_how how);

#endif
