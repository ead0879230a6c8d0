/*
 * fuzz_read_input: what the reader takes from outside — a scan's bytes
 * decoded for recognition (read_img_decode, packet/read_image.c) and a
 * cache entry (read_cache_parse, packet/read_cache.c).
 *
 * The first byte chooses: 0-1 decode as JPEG, 2-3 as PNG (with a pixel
 * limit of 4 million, so that a hostile header is refused, not obeyed),
 * anything else parse the rest as a cache entry. Properties checked, not
 * just "no crash":
 *   - a decoded image has 1..READ_MAX_SIDE pixels a side and no more
 *     pixels than the limit; turned four times by 90 it is the same bytes;
 *   - a cache entry taken is a status, turn and confidence of the allowed
 *     values, a kind of the enum, and NUL-terminated strings in every field.
 *
 * A header so that tests/unit/test_read.c replays the seeds and
 * regressions through this very code; fuzz_read_input.c is libFuzzer's
 * entry point.
 */
#ifndef LICPACK_FUZZ_READ_INPUT_H
#define LICPACK_FUZZ_READ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/read_cache.h"
#include "packet/read_internal.h"

#define FUZZ_READ_MAX_PIXELS 4000000ULL

static void fuzz_read_image(const uint8_t *data, size_t size, file_format fmt)
{
	read_img img;
	uint8_t *copy;

	if (read_img_decode(data, size, fmt, FUZZ_READ_MAX_PIXELS, &img) != READ_IMG_OK)
		return;
	if (!img.px || img.w < 1 || img.h < 1 || img.w > READ_MAX_SIDE + 1 || img.h > READ_MAX_SIDE + 1 ||
	    (uint64_t)img.w * img.h > FUZZ_READ_MAX_PIXELS)
		abort();
	copy = malloc((size_t)img.w * img.h);
	if (copy) {
		uint32_t w = img.w, h = img.h;

		memcpy(copy, img.px, (size_t)w * h);
		for (int k = 0; k < 4; k++)
			if (read_img_turn(&img, 90) != 0) {
				free(copy);
				read_img_release(&img);
				return;
			}
		if (img.w != w || img.h != h || memcmp(copy, img.px, (size_t)w * h) != 0)
			abort();
		free(copy);
	}
	read_img_release(&img);
}

static void check_field(const char *s, size_t size)
{
	if (!memchr(s, 0, size))
		abort();
}

static void fuzz_read_cache(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct file_read fr;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&fr, 0, sizeof fr);
	if (read_cache_parse(text, size, "v", &fr) == 1) {
		if ((fr.status != READ_PAGE_OK && fr.status != READ_PAGE_TOO_LARGE) ||
		    (fr.turn != 0 && fr.turn != 90 && fr.turn != 180 && fr.turn != 270) || fr.confidence < 0 ||
		    fr.confidence > 100 || fr.fields.kind < READ_DOC_UNKNOWN || fr.fields.kind > READ_DOC_SIGNED_FORM ||
		    fr.fields.n_domains > READ_MAX_DOMAINS)
			abort();
		check_field(fr.fields.company, sizeof fr.fields.company);
		check_field(fr.fields.uscc, sizeof fr.fields.uscc);
		check_field(fr.fields.licence_number, sizeof fr.fields.licence_number);
		check_field(fr.id_masked, sizeof fr.id_masked);
		check_field(fr.id_digest, sizeof fr.id_digest);
		for (size_t k = 0; k < fr.fields.n_domains; k++)
			check_field(fr.fields.domains[k], sizeof fr.fields.domains[k]);
	}
	free(text);
}

static int fuzz_read_input_one(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] < 2)
		fuzz_read_image(data + 1, size - 1, FMT_JPEG);
	else if (data[0] < 4)
		fuzz_read_image(data + 1, size - 1, FMT_PNG);
	else
		fuzz_read_cache(data + 1, size - 1);
	return 0;
}

#endif
