/*
 * fuzz_read_fields: read_fields_parse on arbitrary bytes as page text.
 *
 * The first byte chooses the hint (mod 7), the rest is the text (cut at its
 * first NUL, as a C string is). Properties checked, not just "no crash":
 *   - the kind is one of the enum's values;
 *   - every string field is NUL-terminated inside its array and valid UTF-8;
 *   - every value found validates: the USCC by GB 32100, the ID number by
 *     GB 11643, each date by date_parse (or is "long-term" where allowed),
 *     each domain by domain_valid, the licence number by its forms;
 *   - n_domains is at most READ_MAX_DOMAINS;
 *   - the registered capital, as init --from-scans takes it
 *     (fill_capital_wan), is either refused or a positive finite number
 *     written in digits;
 *   - the same input parsed twice gives the same bytes, the stack under
 *     each parse filled with a different pattern first (a value copied
 *     with the uninitialised bytes after its NUL differs then).
 *
 * A header so that tests/unit/test_read_fields.c replays the seeds and
 * regressions through this very code; fuzz_read_fields.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_READ_FIELDS_H
#define LICPACK_FUZZ_READ_FIELDS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "packet/fill.h"
#include "packet/ident.h"
#include "packet/normalise.h"
#include "packet/read_fields.h"

static void check_string(const char *s, size_t size)
{
	const char *nul = memchr(s, 0, size);

	if (!nul || !utf8_valid(s, (size_t)(nul - s)))
		abort();
}

static void check_date(const char *s, int long_term)
{
	long days;

	check_string(s, 16);
	if (s[0] && date_parse(s, &days) != 0 && !(long_term && strcmp(s, "long-term") == 0))
		abort();
}

static void check_fields(const read_fields *f)
{
	if ((int)f->kind < READ_DOC_UNKNOWN || f->kind > READ_DOC_SIGNED_FORM)
		abort();
	check_string(f->company, sizeof f->company);
	check_string(f->uscc, sizeof f->uscc);
	check_string(f->legal_rep, sizeof f->legal_rep);
	check_string(f->registered_capital, sizeof f->registered_capital);
	check_string(f->id_name, sizeof f->id_name);
	check_string(f->id_number, sizeof f->id_number);
	check_string(f->id_issuer, sizeof f->id_issuer);
	check_string(f->holder, sizeof f->holder);
	check_string(f->licence_number, sizeof f->licence_number);
	if (f->uscc[0] && uscc_check(f->uscc, NULL) != IDENT_OK)
		abort();
	if (f->id_number[0] && idcard_check(f->id_number, NULL) != IDENT_OK)
		abort();
	if (f->licence_number[0] && !licence_number_valid(f->licence_number))
		abort();
	check_date(f->term_until, 1);
	check_date(f->id_valid_until, 1);
	check_date(f->expiry, 0);
	check_date(f->signed_date, 0);
	if (f->n_domains > READ_MAX_DOMAINS)
		abort();
	for (size_t i = 0; i < f->n_domains; i++) {
		check_string(f->domains[i], sizeof f->domains[i]);
		if (!domain_valid(f->domains[i]))
			abort();
	}
	{
		double wan = -1;
		if (fill_capital_wan(f->registered_capital, &wan) == 0 &&
		    (!(wan > 0) || !isfinite(wan) || f->registered_capital[0] < '0' || f->registered_capital[0] > '9'))
			abort();
	}
}

/* Fills the stack the parse will use with byte b. */
__attribute__((noinline)) static void scribble_stack(int b)
{
	volatile char pad[32768];

	memset((char *)pad, b, sizeof pad);
	(void)pad[0];
}

static int fuzz_read_fields_one(const uint8_t *data, size_t size)
{
	char *text;
	read_fields *a, *b;
	read_doc_kind hint = size ? (read_doc_kind)(data[0] % 7) : READ_DOC_UNKNOWN;

	if (size == 0)
		return 0;
	text = malloc(size);
	a = malloc(sizeof *a);
	b = malloc(sizeof *b);
	if (text && a && b) {
		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		scribble_stack(0xA5);
		if (read_fields_parse(text, hint, a) != 0)
			abort();
		check_fields(a);
		scribble_stack(0x5A);
		if (read_fields_parse(text, hint, b) != 0 || memcmp(a, b, sizeof *a) != 0)
			abort();
	}
	free(text);
	free(a);
	free(b);
	return 0;
}

#endif
