/*
 * fuzz_match: matcher_match() and matcher_domain() with the built-in
 * icp-renewal template, on a fuzzed relative path and a fuzzed domain list.
 *
 * Input: the path, then '\n'-separated domain names (at most 16). The
 * result must be consistent: a material index inside the template or -1, a
 * domain index inside the list or -1, an ambiguity only between two
 * different materials, and HOW_NONE exactly when no material matched.
 *
 * The harness is a header so that tests/unit/test_hostile.c replays the
 * seeds and regressions through this very code; fuzz_match.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_MATCH_H
#define LICPACK_FUZZ_MATCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/match.h"
#include "packet/template.h"

enum { MAX_DOMAINS = 16 };

static template *tpl;

static int fuzz_match_init(int *argc, char ***argv)
{
	template_set *set = NULL;
	lp_err err;

	(void)argc;
	(void)argv;
	if (template_set_new(&set, &err) != 0 ||
	    template_resolve(set, "icp-renewal", NULL, &tpl, &err) != 0) {
		fprintf(stderr, "fuzz_match: %s\n", err.en);
		abort();
	}
	template_set_free(set);
	return 0;
}

static int fuzz_match_one(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *p, *nl;
	const char *domains[MAX_DOMAINS];
	size_t n = 0;
	matcher *m;
	match_result r;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* a path from a directory listing holds no NUL: what follows one is lost */
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	for (p = nl ? nl + 1 : NULL; p && n < MAX_DOMAINS; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		domains[n++] = p;
	}
	m = matcher_new(tpl, domains, n);
	if (!m)
		abort();
	if (matcher_match(m, buf, &r) != 0)
		abort();
	if (r.material < -1 || r.material >= (int)tpl->n_materials)
		abort();
	if (r.ambiguous_with < -1 || r.ambiguous_with >= (int)tpl->n_materials ||
	    (r.ambiguous_with >= 0 && (r.material < 0 || r.ambiguous_with == r.material)))
		abort();
	if (r.domain < -1 || r.domain >= (int)n)
		abort();
	if ((r.how == HOW_NONE) != (r.material < 0))
		abort();
	if (matcher_domain(m, buf) != r.domain)
		abort();
	(void)match_how_name(r.how);
	matcher_free(m);
	free(buf);
	return 0;
}

#endif
