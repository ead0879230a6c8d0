/*
 * Unit tests for probe_pdf_content_ok() (packet/probe_pdf.c): which page
 * contents a reader can draw to the end, and which are cut short or
 * unbalanced (the cases of qpdf's content-stream-errors.pdf,
 * eof-in-inline-image.pdf and terminate-parsing.pdf among them). Every input
 * is copied into a heap buffer of exactly its length, so that under
 * AddressSanitizer a read past the end is reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "packet/probe_internal.h"

typedef struct {
	const char *content;
	size_t len;  /* 0: strlen */
	int ok;
} content_case;

static const content_case cases[] = {
	{ "", 0, 1 },
	{ "BT /F1 24 Tf 72 720 Td (Potato) Tj ET", 0, 1 },
	{ "q 1 0 0 1 0 0 cm /Im1 Do Q % a comment ( [ <<", 0, 1 },
	{ "[(A) -120 (B)] TJ <48656c6c6f> Tj", 0, 1 },
	{ "/OC << /Type /OCMD /P [1 2] >> BDC EMC", 0, 1 },
	{ "(nested (paren) and \\) escaped) Tj", 0, 1 },
	{ "BI /W 1 /H 1 /BPC 8 /CS /G ID x EI Q", 0, 1 },
	{ "0 0 m true false null", 0, 1 },
	/* content-stream-errors.pdf's three pages */
	{ "BT (Potato) Tj ET [ /oops", 0, 0 },
	{ "BT (Potato) Tj ET << /oops", 0, 0 },
	/* eof-in-inline-image.pdf */
	{ "BT (Potato) Tj ET BI /CS /G /W 1 /H 1 /BPC 8 ID x\x9c" "c\xf8", 0, 0 },
	/* terminate-parsing.pdf: a keyword inside a dictionary */
	{ "/potato/Abort << not seen; stopped parsing.", 0, 0 },
	{ "(unterminated Tj", 0, 0 },
	{ "<48656c6c6f Tj", 0, 0 },
	{ "<4865zz> Tj", 0, 0 },
	{ "[1 2>> d", 0, 0 },
	{ "1 2 ] d", 0, 0 },
	{ ") Tj", 0, 0 },
	{ "<< /A 1 > ", 0, 0 },
	{ "[ 0 m ]", 0, 0 },
	{ "ID", 0, 0 },
	{ "ID ", 0, 0 },
	{ "(a\\", 0, 0 },
	{ "BT\0ET", 5, 1 },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = cases[i].len ? cases[i].len : strlen(cases[i].content);
		uint8_t *copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, cases[i].content, n);
		int got = probe_pdf_content_ok(copy, n);
		if (got != cases[i].ok)
			fail_msg("case %zu ('%s'): %d, expected %d", i, cases[i].content, got, cases[i].ok);
		free(copy);
	}
}

/* Nesting deeper than 64 is refused, not recursed into; 64 levels pass. */
static void test_depth(void **state)
{
	char deep[200];
	(void)state;
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	assert_int_equal(probe_pdf_content_ok((const uint8_t *)deep, 128), 1);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	assert_int_equal(probe_pdf_content_ok((const uint8_t *)deep, 130), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
