/*
 * fuzz_template: one template document, linted as `licpack templates lint
 * FILE` does: parsed, checked against the schema, and resolved against the
 * built-in templates (its `extends` chain, then once per region).
 *
 * packet/template_set.c offers no in-memory parse, so each input is written to one
 * scratch file (in /dev/shm when there is one, so that no disk is worn),
 * unlinked as soon as it is made and read back through /proc/self/fd, so
 * that a crash leaves nothing behind. The answer must be 0, 2 or 3, with a
 * message whenever it is not 0.
 *
 * The harness is a header so that tests/unit/test_hostile.c replays the
 * seeds and regressions through this very code; fuzz_template.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_TEMPLATE_H
#define LICPACK_FUZZ_TEMPLATE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/template.h"

static template_set *set;
static char path[64];
static int fd = -1;

static int fuzz_template_init(int *argc, char ***argv)
{
	lp_err err;
	char scratch[64];

	(void)argc;
	(void)argv;
	if (template_set_new(&set, &err) != 0) {
		fprintf(stderr, "fuzz_template: %s\n", err.en);
		abort();
	}
	snprintf(scratch, sizeof scratch, "%s/licpack-fuzz-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	fd = mkstemp(scratch);
	if (fd < 0) {
		perror("fuzz_template: scratch file");
		abort();
	}
	unlink(scratch);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return 0;
}

static size_t lines(const char *text)
{
	size_t n = 1;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

static int fuzz_template_one(const uint8_t *data, size_t size)
{
	lp_err err;
	int r;

	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	lp_error_clear(&err);
	r = template_lint_file(set, path, &err);
	if (r != 0 && r != 2 && r != 3)
		abort();
	/* a refusal says why, in both languages, one problem a line in each */
	if (r != 0 && (err.code == LP_OK || !err.en[0] || !err.zh[0] || lines(err.en) != lines(err.zh)))
		abort();
	return 0;
}

#endif
