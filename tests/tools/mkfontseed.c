/*
 * mkfontseed DIR: the fuzz_font seeds, made from this machine's CJK font
 * (tests/tools/fontseed.h): DIR/subset.ttf, a few glyphs of it, and
 * DIR/cmap-past-end.ttf, the same with a cmap segment mapping one past the
 * last glyph (the input that crashed libharu 2.3.0). Exit 0, or 1 with a
 * message when there is no CJK font or a file cannot be written.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pdf/font.h"
#include "tests/tools/fontseed.h"

static int put(const char *dir, const char *name, const uint8_t *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")) || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "mkfontseed: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char font[4096];
	int index, ret;
	uint8_t *sub;
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: mkfontseed DIR\n");
		return 2;
	}
	if (cjk_font_find(font, sizeof font, &index) != 0 || font_subset(font, index, FONTSEED_TEXT, &sub, &len) != 0) {
		fprintf(stderr, "mkfontseed: no CJK font to subset (make deps installs one)\n");
		return 1;
	}
	ret = put(argv[1], "subset.ttf", sub, len);
	if (!ret && font_break_cmap(sub, len) < 0) {
		fprintf(stderr, "mkfontseed: the subset has no format 4 cmap\n");
		ret = 1;
	}
	if (!ret)
		ret = put(argv[1], "cmap-past-end.ttf", sub, len);
	free(sub);
	return ret;
}
