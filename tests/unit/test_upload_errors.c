/*
 * test_upload_errors: the errors of the upload profiles (packet/upload_profile.h)
 * and of fitting a scan to a portal's limits (packet/upload_fit.h), as values:
 * each refusal's code, its English exactly as it was written before errors
 * became values (cmd/ prints it; the e2e tests compare it), and its Chinese
 * from the one table (packet/error_table.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "packet/imageio.h"
#include "packet/upload_fit.h"
#include "packet/upload_profile.h"
#include "tests/unit/support.h"

/* text as a profile named "x.json": -1, and err filled. */
static int add(const char *text, lp_err *err)
{
	upload_profile_set *set = NULL;
	int r;

	assert_int_equal(upload_profile_set_new(&set, err), 0);
	lp_error_clear(err);
	r = upload_profile_set_add_text(set, text, strlen(text), "x.json", err);
	upload_profile_set_free(set);
	return r;
}

static void test_profile_refusals(void **state)
{
	lp_err err;

	(void)state;
	assert_int_equal(add("{\"id\": }", &err), -1);
	assert_int_equal(err.code, LP_E_PROFILE_JSON);
	assert_string_equal(err.en, "'x.json': not valid JSON at line 1, column 8");
	assert_string_equal(err.zh, "'x.json'：第 1 行第 8 列不是有效的 JSON");

	assert_int_equal(add("[1]", &err), -1);
	assert_int_equal(err.code, LP_E_PROFILE_NOT_OBJECT);
	assert_string_equal(err.en, "'x.json': not a JSON object");
	assert_string_equal(err.zh, "'x.json'：不是 JSON 对象");

	assert_int_equal(add("{\"id\": \"a\", \"colour\": 1}", &err), -1);
	assert_int_equal(err.code, LP_E_PROFILE_UNKNOWN_KEY);
	assert_string_equal(err.en, "'x.json': unknown key \"colour\"");
	assert_string_equal(err.zh, "'x.json'：未知的键 \"colour\"");

	assert_int_equal(add("{\"id\": \"Bad Id\"}", &err), -1);
	assert_int_equal(err.code, LP_E_PROFILE_BAD_VALUE);
	assert_string_equal(err.en, "'x.json': \"id\" is missing or not valid");
	assert_string_equal(err.zh, "'x.json'：\"id\" 缺失或无效");
}

/* A profile file over 64 KiB in a --profiles folder. */
static void test_profile_too_large(void **state)
{
	char dir[] = "/tmp/test_upload_errors.XXXXXX", path[128], want[256];
	upload_profile_set *set = NULL;
	lp_err err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/big.json", dir);
	assert_non_null(f = fopen(path, "w"));
	for (int i = 0; i < 70 * 1024; i++)
		fputc(' ', f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(upload_profile_set_new(&set, &err), 0);
	assert_int_equal(upload_profile_set_add_dir(set, dir, &err), -1);
	assert_int_equal(err.code, LP_E_PROFILE_TOO_LARGE);
	snprintf(want, sizeof want, "cannot read '%s': larger than 64 KiB", path);
	assert_string_equal(err.en, want);
	snprintf(want, sizeof want, "无法读取 '%s'（超过 64 KiB）", path);
	assert_string_equal(err.zh, want);
	upload_profile_set_free(set);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* w x h grey pixels, for fit_pixels (which frees them). */
static thumb_rgb grey(uint32_t w, uint32_t h)
{
	thumb_rgb img = { malloc((size_t)w * h * 3), w, h };

	assert_non_null(img.px);
	memset(img.px, 128, (size_t)w * h * 3);
	return img;
}

static void test_fit_refusals(void **state)
{
	fit_limits lim = { 0 };
	fit_out out;
	thumb_rgb img;
	lp_err err;
	static const uint8_t junk[16] = { 0 };

	(void)state;
	/* the long edge limit below the minimum resolution */
	img = grey(100, 60);
	lim.max_long_edge = 50;
	lim.min_long_edge = 80;
	assert_int_equal(fit_pixels(&img, &lim, &out, &err), FIT_CANNOT);
	assert_null(img.px);
	assert_int_equal(err.code, LP_E_FIT_BELOW_MIN_EDGE);
	assert_string_equal(err.en, "50 pixels on the long side would be fewer than the 80 the minimum resolution needs");
	assert_string_equal(err.zh, "长边只能有 50 像素，少于最低分辨率所需的 80 像素");

	/* 10 bytes: no JPEG is that small, at any edge down to the minimum */
	img = grey(100, 60);
	memset(&lim, 0, sizeof lim);
	lim.max_bytes = 10;
	lim.min_long_edge = 100;
	assert_int_equal(fit_pixels(&img, &lim, &out, &err), FIT_CANNOT);
	assert_null(out.jpeg);
	assert_int_equal(err.code, LP_E_FIT_TOO_LARGE);
	assert_non_null(strstr(err.en, " bytes at 100 pixels on the long side and quality 70 "
				       "is still more than the 10 allowed"));
	assert_non_null(strstr(err.zh, "长边 100 像素、质量 70 时仍有 "));
	assert_non_null(strstr(err.zh, " 字节，超过允许的 10 字节"));

	/* not an image */
	assert_int_equal(fit_decode_upright(junk, sizeof junk, FMT_PDF, 1, 100, &img, &err), FIT_ERROR);
	assert_int_equal(err.code, LP_E_FIT_NOT_IMAGE);
	assert_string_equal(err.en, "not an image");
	assert_string_equal(err.zh, "不是图片");
	/* a JPEG that is not one: libjpeg's own words kept */
	assert_int_equal(fit_decode_upright(junk, sizeof junk, FMT_JPEG, 1, 100, &img, &err), FIT_ERROR);
	assert_int_equal(err.code, LP_E_JPEG_DECODE);
	assert_true(strncmp(err.en, "cannot decode JPEG: ", 20) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_refusals),
		cmocka_unit_test(test_profile_too_large),
		cmocka_unit_test(test_fit_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
