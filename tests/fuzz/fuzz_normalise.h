/*
 * fuzz_normalise: the file-name text functions on arbitrary bytes.
 *
 * The input is split at its first NUL (or in the middle when there is
 * none) into two names. Properties checked, not just "no crash":
 *   - utf8_valid agrees with walking utf8_decode over the bytes;
 *   - escape_name's result is valid UTF-8 without C0 controls or DEL;
 *   - normalise_name / normalise_keep_dots of valid UTF-8 are valid UTF-8
 *     (they need not be idempotent: stripping a leading ordinal or a
 *     bracketed note can expose another);
 *   - natural_compare is reflexive and antisymmetric, and 0 only for equal
 *     strings (ties are broken bytewise).
 *
 * The harness is a header so that tests/unit/test_hostile.c replays the
 * seeds and regressions through this very code; fuzz_normalise.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_NORMALISE_H
#define LICPACK_FUZZ_NORMALISE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/normalise.h"
#include "tests/fuzz/fuzz_text.h"

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void check_escape(const char *s)
{
	char *e = escape_name(s);

	fuzz_clean_text(e);
	free(e);
}

static void check_normalise(const char *s)
{
	char *a = normalise_name(s), *b = normalise_keep_dots(s);
	int valid = utf8_valid(s, strlen(s));

	if (!a || !b)
		abort();
	if (valid && (!utf8_valid(a, strlen(a)) || !utf8_valid(b, strlen(b))))
		abort();
	free(a);
	free(b);
}

static int fuzz_normalise_one(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *x, *y;
	const void *nul = memchr(data, 0, size);
	size_t cut = nul ? (size_t)((const uint8_t *)nul - data) : size / 2, i;
	uint32_t cp;
	int walk_ok = 1;

	if (!buf)
		return 0;
	/* x = data[0, cut), y = data[cut(+1 when NUL), size) */
	memcpy(buf, data, cut);
	buf[cut] = '\0';
	x = buf;
	y = buf + cut + 1;
	memcpy(y, data + cut + (nul ? 1 : 0), size - cut - (nul ? 1 : 0));
	y[size - cut - (nul ? 1 : 0)] = '\0';

	/* utf8_valid over the raw bytes (NULs included) against utf8_decode */
	for (i = 0; i < size;) {
		size_t n = utf8_decode((const char *)data + i, size - i, &cp);
		if (n == 0) {
			walk_ok = 0;
			break;
		}
		if (n > size - i || cp > 0x10FFFF)
			abort();
		i += n;
	}
	if (utf8_valid((const char *)data, size) != walk_ok)
		abort();

	check_escape(x);
	check_escape(y);
	check_normalise(x);
	check_normalise(y);

	if (natural_compare(x, x) != 0 || natural_compare(y, y) != 0)
		abort();
	if (sign(natural_compare(x, y)) != -sign(natural_compare(y, x)))
		abort();
	if ((natural_compare(x, y) == 0) != (strcmp(x, y) == 0))
		abort();
	free(buf);
	return 0;
}

#endif
