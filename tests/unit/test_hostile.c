/*
 * test_hostile: the fuzz targets' inputs replayed in the ordinary test run,
 * and the regressions the fuzzers and the hostile-folder tests found.
 *
 * The seven libFuzzer harnesses (tests/fuzz/fuzz_*.h) are compiled into this
 * file, so that every seed in tests/fuzz/seeds/ and
 * every input kept in tests/fuzz/regressions/ runs through the very same
 * code and property checks under the plain build, ASan+UBSan and valgrind,
 * even where clang and libFuzzer are not installed. The tests below them pin
 * each fixed bug by its input. Paths are relative to the repository root,
 * where the tests run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/scan.h"

#include "tests/unit/support.h"

#include "tests/fuzz/fuzz_probe.h"
#include "tests/fuzz/fuzz_convert.h"
#include "tests/fuzz/fuzz_applicant.h"
#include "tests/fuzz/fuzz_normalise.h"
#include "tests/fuzz/fuzz_match.h"
#include "tests/fuzz/fuzz_template.h"

static void replay(const char *target, fuzz_one_fn fn)
{
	size_t n = fuzz_replay(target, fn);

	print_message("%s: %zu inputs replayed\n", target, n);
}

static void test_replay_probe(void **state)
{
	(void)state;
	replay("probe", fuzz_probe_one);
}

static void test_replay_convert(void **state)
{
	(void)state;
	replay("convert", fuzz_convert_one);
}

static void test_replay_applicant(void **state)
{
	(void)state;
	replay("applicant", fuzz_applicant_one);
}

static void test_replay_normalise(void **state)
{
	(void)state;
	replay("normalise", fuzz_normalise_one);
}

static void test_replay_match(void **state)
{
	(void)state;
	fuzz_match_init(NULL, NULL);
	replay("match", fuzz_match_one);
	template_free(tpl);
	tpl = NULL;
}

static void test_replay_template(void **state)
{
	(void)state;
	fuzz_template_init(NULL, NULL);
	replay("template", fuzz_template_one);
	/* the shipped templates lint clean through the same path */
	fuzz_replay_dir("templates", fuzz_template_one);
	template_set_free(set);
	set = NULL;
	close(fd);
	fd = -1;
}

/* --- regressions ----------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A PNG signature and IHDR (16-bit RGBA, w x h) with a correct CRC, then a
 * cut-off IDAT: enough for the probe to decide before it decodes. */
static size_t png_header(uint8_t *out, uint32_t w, uint32_t h)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	memcpy(out, sig, 8);
	put32(out + 8, 13);
	memcpy(out + 12, "IHDR", 4);
	put32(out + 16, w);
	put32(out + 20, h);
	out[24] = 16; /* bit depth */
	out[25] = 6;  /* RGBA */
	out[26] = out[27] = out[28] = 0;
	put32(out + 29, (uint32_t)crc32(0L, out + 12, 17));
	put32(out + 33, 100);
	memcpy(out + 37, "IDAT", 4);
	return 41;
}

/* Found by hostile testing: a 780 KB PNG declaring 100000000 x 1 pixels
 * (within the 100-megapixel limit) made `licpack check` take 2 GB of memory
 * and 10 s, as libpng allocates whole rows. Now refused from its header. */
static void test_png_wide_row_refused(void **state)
{
	static const probe_limits lim = { 100000000ULL, 1 }, unlimited = { 0, 1 };
	uint8_t png[64];
	size_t n = png_header(png, 100000000u, 1);
	file_info in;

	(void)state;
	assert_int_equal(probe_buffer(png, n, &lim, &in), PROBE_TOO_LARGE);
	assert_int_equal(in.width, 100000000u);
	assert_int_equal(in.height, 1u);
	assert_non_null(in.reason_en);
	/* no pixel limit at all: the side limit still holds */
	assert_int_equal(probe_buffer(png, n, &unlimited, &in), PROBE_TOO_LARGE);
	n = png_header(png, 1, 50000000u);
	assert_int_equal(probe_buffer(png, n, &unlimited, &in), PROBE_TOO_LARGE);
	/* a million pixels wide is still read (and this one is cut short) */
	n = png_header(png, 1000000u, 1);
	assert_int_equal(probe_buffer(png, n, &lim, &in), PROBE_CORRUPT);
}

/* --- the folder changing between scan and read ------------------------------ */

/* A scratch folder holding a.jpg, b.jpg and c.jpg, scanned. */
static char *scanned_folder(scan_list *sl)
{
	static const char *const names[] = { "a.jpg", "b.jpg", "c.jpg" };
	char tmpl[] = "tests/out/hostile-XXXXXX", *dir;

	mkdir("tests/out", 0755);
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	dir = strdup(dir);
	assert_non_null(dir);
	for (size_t i = 0; i < 3; i++) {
		char path[256];
		FILE *f;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		assert_non_null(f = fopen(path, "w"));
		fputs("x", f);
		fclose(f);
	}
	assert_int_equal(scan_folder(dir, sl), 0);
	assert_int_equal(sl->n, 3);
	return dir;
}

static void remove_folder(char *dir)
{
	static const char *const names[] = { "a.jpg", "b.jpg", "c.jpg" };
	char path[256];

	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

/* A file that vanishes, turns into a FIFO, or into a link out of the folder
 * after the scan: scan_open() refuses each at once (a FIFO must not block
 * the open) with the errno check.c reports. The window itself is inside
 * check_folder(), out of reach of the end-to-end tests. */
static void test_scan_open_after_change(void **state)
{
	scan_list sl;
	char *dir = scanned_folder(&sl), path[256];
	int fd;

	(void)state;
	/* unchanged: opens */
	fd = scan_open(&sl, dir, "a.jpg");
	assert_true(fd >= 0);
	close(fd);
	/* vanished */
	snprintf(path, sizeof path, "%s/a.jpg", dir);
	assert_int_equal(unlink(path), 0);
	errno = 0;
	assert_int_equal(scan_open(&sl, dir, "a.jpg"), -1);
	assert_int_equal(errno, ENOENT);
	/* replaced by a FIFO: refused without blocking */
	snprintf(path, sizeof path, "%s/b.jpg", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	errno = 0;
	assert_int_equal(scan_open(&sl, dir, "b.jpg"), -1);
	assert_int_equal(errno, EINVAL);
	/* replaced by a link leaving the folder */
	snprintf(path, sizeof path, "%s/c.jpg", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	errno = 0;
	assert_int_equal(scan_open(&sl, dir, "c.jpg"), -1);
	assert_int_equal(errno, ELOOP);
	scan_release(&sl);
	remove_folder(dir);
}

int main(void)
{
	jpeg_plain_under_valgrind();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_probe),
		cmocka_unit_test(test_replay_convert),
		cmocka_unit_test(test_replay_applicant),
		cmocka_unit_test(test_replay_normalise),
		cmocka_unit_test(test_replay_match),
		cmocka_unit_test(test_replay_template),
		cmocka_unit_test(test_png_wide_row_refused),
		cmocka_unit_test(test_scan_open_after_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
