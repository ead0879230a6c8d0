/*
 * fuzz_text: a property the harnesses that make text for people check
 * alike (fuzz_normalise's escaped names, fuzz_html's escaped text).
 */
#ifndef LICPACK_FUZZ_TEXT_H
#define LICPACK_FUZZ_TEXT_H

#include <stdlib.h>
#include <string.h>

#include "packet/normalise.h"

/* Abort unless e (a function's result) is a string of valid UTF-8 with no
 * C0 control character and no DEL; its length. */
static inline size_t fuzz_clean_text(const char *e)
{
	size_t i, n;

	if (!e)
		abort();
	n = strlen(e);
	if (!utf8_valid(e, n))
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)e[i] < 0x20 || e[i] == 0x7f)
			abort();
	return n;
}

#endif
