/*
 * tool: what the test programs that make files (tests/tools/mk*.c,
 * tests/bench/gen.c) share: dying with a message, and reading a number from
 * the command line. Each is one file that includes this once, after
 * defining TOOL_NAME, the name its messages start with ("mkfixture").
 */
#ifndef LICPACK_TOOL_H
#define LICPACK_TOOL_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef TOOL_NAME
#error "define TOOL_NAME before including tool.h"
#endif

/* "TOOL_NAME: message" on stderr, and exit status 2. */
static inline void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static inline void die(const char *fmt, ...)
{
	va_list ap;

	fputs(TOOL_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* s as a whole decimal number from min to max, or die naming what. */
static inline long tool_number(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("%s: '%s' is not a number from %ld to %ld", what, s, min, max);
	return v;
}

#endif
