/*
 * fuzz_profile: one portal profile (packet/upload_profile.h), as --profiles
 * DIR reads each file: parsed strictly into a set of the built-in ones. The
 * answer is 0, or -1 with an error (a code and its message in both
 * languages); a profile taken must have the figures its parser promises
 * (an id, a JPG format, a quality from 70 to 100).
 *
 * The harness is a header so that a unit test can replay the seeds through
 * this very code; fuzz_profile.c is libFuzzer's entry point.
 */
#ifndef LICPACK_FUZZ_PROFILE_H
#define LICPACK_FUZZ_PROFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/upload_profile.h"

static int fuzz_profile_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int fuzz_profile_one(const uint8_t *data, size_t size)
{
	upload_profile_set *set = NULL;
	lp_err err;
	char *text = malloc(size + 1);
	size_t i;

	if (!text || upload_profile_set_new(&set, &err) != 0)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	lp_error_clear(&err);
	if (upload_profile_set_add_text(set, text, size, "fuzz.json", &err) != 0) {
		if (err.code == LP_OK || !err.en[0] || !err.zh[0])
			abort();
	} else {
		for (i = 0; i < upload_profile_count(set); i++) {
			const upload_profile *p = upload_profile_at(set, i);
			if (!p->id || !p->id[0] || !p->take_jpeg || p->jpeg_quality < 70 || p->jpeg_quality > 100)
				abort();
		}
	}
	upload_profile_set_free(set);
	free(text);
	return 0;
}

#endif
