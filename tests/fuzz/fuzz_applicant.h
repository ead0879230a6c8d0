/*
 * fuzz_applicant: applicant_parse() on arbitrary packet.json text, then the
 * identifier and date checks (packet/ident.c) that check.c runs on the
 * values, on every parsed string and on the raw input itself.
 *
 * Checked beyond "no crash": every problem comes back as a packet-json
 * finding with both messages; the parsed lists hold what their counts say;
 * the applicant is releasable whatever the parse stopped at. For the
 * identifiers: a code that fails only its check character passes with the
 * expected one put in its place; a mask of a 15- or 18-character ID number
 * never shows it whole and stays valid UTF-8; a parsed date formats back to
 * the same text.
 *
 * The harness is a header so that tests/unit/test_hostile.c replays the
 * seeds and regressions through this very code; fuzz_applicant.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_APPLICANT_H
#define LICPACK_FUZZ_APPLICANT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/applicant.h"
#include "packet/finding.h"
#include "packet/ident.h"
#include "packet/normalise.h"

static void ident_props(const char *s)
{
	char e = 0, fixed[64], out[48], big[256];
	size_t n = strlen(s);
	long d, d2;
	ident_result r;

	r = uscc_check(s, &e);
	if ((unsigned)r > IDENT_CHECK)
		abort();
	if (r == IDENT_CHECK) {
		if (n != 18)
			abort();
		memcpy(fixed, s, 19);
		fixed[17] = e;
		if (uscc_check(fixed, NULL) != IDENT_OK)
			abort();
	}
	r = idcard_check(s, &e);
	if ((unsigned)r > IDENT_CHECK)
		abort();
	if (r == IDENT_CHECK) {
		if (n != 18 || !((e >= '0' && e <= '9') || e == 'X'))
			abort();
		memcpy(fixed, s, 19);
		fixed[17] = e;
		if (idcard_check(fixed, NULL) != IDENT_OK)
			abort();
	}
	/* the report's buffer (check.c: 40 bytes) and a roomy one */
	idcard_mask(s, out, 40);
	idcard_mask(s, big, sizeof big);
	if (utf8_valid(s, n) && (!utf8_valid(out, strlen(out)) || !utf8_valid(big, strlen(big))))
		abort();
	if ((n == 15 || n == 18) && !strchr(s, '*') && (strstr(out, s) || strstr(big, s)))
		abort();
	(void)domain_valid(s);
	(void)licence_number_valid(s);
	(void)licence_number_form(s);
	(void)icp_filing_valid(s);
	if (date_parse(s, &d) == 0) {
		date_format(d, big, sizeof big);
		if (strcmp(big, s) != 0 || date_parse(big, &d2) != 0 || d2 != d)
			abort();
		(void)date_add_months(d, (int)n - 12);
		(void)date_add_months(d, n & 1 ? 2147483647 : -2147483647 - 1);
	}
}

static int fuzz_applicant_one(const uint8_t *data, size_t size)
{
	applicant a;
	finding_list fl = { 0 };
	size_t i, j;
	char *text;

	/* text need not be NUL-terminated: applicant_parse takes a length */
	(void)applicant_parse((const char *)data, size, "packet.json", &a, &fl);
	for (i = 0; i < fl.n; i++)
		if (!fl.v[i].code || !fl.v[i].msg_en || !fl.v[i].msg_zh ||
		    strcmp(fl.v[i].code, "packet-json") != 0)
			abort();
	for (i = 0; i < a.n_domains; i++) {
		if (!a.domains[i].name)
			abort();
		ident_props(a.domains[i].name);
		if (a.domains[i].expiry)
			ident_props(a.domains[i].expiry);
	}
	for (i = 0; i < a.n_files; i++) {
		if (!a.files[i].material)
			abort();
		for (j = 0; j < a.files[i].n_paths; j++)
			if (!a.files[i].paths[j])
				abort();
	}
	{
		const char *fields[] = { a.template_id, a.region, a.company_name, a.company_uscc,
					 a.rep_name, a.rep_id_number, a.rep_id_expiry,
					 a.licence_number, a.licence_expiry };
		for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
			if (fields[i])
				ident_props(fields[i]);
	}
	applicant_release(&a);
	findings_release(&fl);

	/* the raw input, up to its first NUL, as one value */
	if (size <= 256 && (text = malloc(size + 1))) {
		memcpy(text, data, size);
		text[size] = '\0';
		ident_props(text);
		free(text);
	}
	return 0;
}

#endif
