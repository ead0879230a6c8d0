/*
 * Unit tests for packet/error: every error the core can return has its
 * Chinese text in the one table, with the same system-error and inner-error
 * placeholders as its English one, and no placeholder past the arguments a
 * code can take; an error is rendered in both languages when it happens,
 * arguments, errno text and inner errors in place, cut (not overrun) when
 * too long; lines added to an error stay paired across the languages.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "packet/error.h"

/* Does text hold a byte outside ASCII (a Chinese character)? */
static int has_non_ascii(const char *text)
{
	for (; *text; text++)
		if ((unsigned char)*text >= 0x80)
			return 1;
	return 0;
}

/* The placeholders of tpl as a bit set: bit 0 {e}, bit 1 {i}, bit 1+N {N};
 * *bad set when a '{' starts something else than a known placeholder
 * followed by '}' while looking like one ({x} with x a letter or digit). */
static unsigned placeholders(const char *tpl, int *bad)
{
	unsigned set = 0;

	for (const char *p = tpl; *p; p++) {
		if (p[0] != '{' || !p[1] || p[2] != '}')
			continue;
		if (p[1] == 'e')
			set |= 1u;
		else if (p[1] == 'i')
			set |= 2u;
		else if (p[1] >= '1' && p[1] <= '4')
			set |= 1u << (1 + (p[1] - '0'));
		else if ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= '0' && p[1] <= '9'))
			*bad = 1;
	}
	return set;
}

/* The table: every code has a name and both texts; the Chinese one is
 * Chinese, uses {e} and {i} exactly when the English does, and no
 * argument placeholder but {1}-{4}. The arguments themselves may be used
 * differently by the two texts (a finding's message given in each
 * language, say), but every argument the Chinese text uses exists. */
static void test_table_complete(void **state)
{
	size_t n = 0;

	(void)state;
	for (int c = LP_OK + 1; c < LP_E_COUNT; c++) {
		const char *en = lp_error_template((lp_errcode)c, 0), *zh = lp_error_template((lp_errcode)c, 1);
		int bad_en = 0, bad_zh = 0;
		unsigned pe, pz;

		assert_non_null(lp_error_name((lp_errcode)c));
		assert_non_null(en);
		assert_non_null(zh);
		assert_true(en[0] != '\0');
		assert_true(zh[0] != '\0');
		pe = placeholders(en, &bad_en);
		pz = placeholders(zh, &bad_zh);
		if (bad_en || bad_zh || (pe & 3u) != (pz & 3u))
			fail_msg("%s: placeholders differ or are unknown: \"%s\" / \"%s\"", lp_error_name((lp_errcode)c), en, zh);
		/* cmd/'s own messages (CMD) are whole texts of each language;
		 * qpdf's own account (PDF_QPDF) is only ever the {i} of a code
		 * that says in each language what failed */
		if (c != LP_E_CMD && c != LP_E_PDF_QPDF && !has_non_ascii(zh))
			fail_msg("%s: the Chinese text is not Chinese: \"%s\"", lp_error_name((lp_errcode)c), zh);
		n++;
	}
	assert_true(n > 100);
	assert_null(lp_error_template(LP_E_COUNT, 0));
	assert_null(lp_error_name(LP_E_COUNT));
}

/* An error renders both languages at once, with its arguments and the
 * errno text of each language. */
static void test_render_sys(void **state)
{
	lp_err e;

	(void)state;
	lp_error_clear(&e);
	assert_int_equal(lp_fail_sys(&e, LP_E_READ, ENOENT, "a/b.jpg"), -1);
	assert_int_equal(e.code, LP_E_READ);
	assert_int_equal(e.errnum, ENOENT);
	assert_string_equal(e.en, "cannot read 'a/b.jpg': No such file or directory");
	assert_string_equal(e.zh, "无法读取 'a/b.jpg'（文件或文件夹不存在）");
	assert_string_equal(lp_error_text(&e, 0), e.en);
	assert_string_equal(lp_error_text(&e, 1), e.zh);
}

/* Several arguments, a NULL one read as "", and no error at all. */
static void test_render_args(void **state)
{
	lp_err e;

	(void)state;
	lp_error_clear(&e);
	assert_string_equal(lp_error_text(&e, 0), "");
	assert_string_equal(lp_error_text(NULL, 1), "");
	lp_fail(&e, LP_E_TPL_UNKNOWN_REGION, "hubei", "icp-renewal", "beijing, jiangsu");
	assert_string_equal(e.en, "unknown region 'hubei' for template 'icp-renewal' (known: beijing, jiangsu)");
	assert_string_equal(e.zh, "模板 'icp-renewal' 没有地区 'hubei'（可用的地区：beijing, jiangsu）");
	lp_fail(&e, LP_E_ZIP_ADD, NULL, "boom");
	assert_string_equal(e.en, "cannot add '': boom");
	assert_int_equal(lp_nomem(&e), -1);
	assert_int_equal(e.code, LP_E_NOMEM);
	assert_string_equal(e.zh, "内存不足");
	assert_int_equal(lp_nomem(NULL), -1); /* no error wanted: fine */
}

/* An inner error goes in each language's own text, its errno kept. */
static void test_render_inner(void **state)
{
	lp_err in, out;

	(void)state;
	lp_fail_sys(&in, LP_E_WRITE, ENOSPC, "out/x.zip");
	lp_fail_in(&out, LP_E_WRITE_BECAUSE, &in, "out/y.zip");
	assert_int_equal(out.code, LP_E_WRITE_BECAUSE);
	assert_int_equal(out.errnum, ENOSPC);
	assert_string_equal(out.en, "cannot write 'out/y.zip': cannot write 'out/x.zip': No space left on device");
	assert_string_equal(out.zh, "无法写入 'out/y.zip'：无法写入 'out/x.zip'（磁盘空间不足）");
	/* wrapping itself */
	lp_fail_in(&in, LP_E_WRITE_BECAUSE, &in, "z");
	assert_string_equal(in.en, "cannot write 'z': cannot write 'out/x.zip': No space left on device");
}

/* Lines added to an error pair up across the languages. */
static void test_append(void **state)
{
	lp_err e;

	(void)state;
	lp_error_clear(&e);
	lp_error_add(&e, LP_E_TPL_UNKNOWN_KEY, "t.json", "materials[0].x");
	lp_error_add(&e, LP_E_TPL_NO_MATERIALS, "t.json");
	assert_int_equal(e.code, LP_E_TPL_UNKNOWN_KEY);
	assert_string_equal(e.en, "t.json: materials[0].x: unknown key\nt.json: no materials");
	assert_string_equal(e.zh, "'t.json'：materials[0].x：未知的键\n't.json'：没有任何材料");
}

/* A message longer than the buffer is cut, NUL-terminated, in bounds. */
static void test_cut(void **state)
{
	static char longpath[3 * LP_ERROR_TEXT];
	lp_err e;

	(void)state;
	memset(longpath, 'a', sizeof longpath - 1);
	lp_fail_sys(&e, LP_E_READ, EIO, longpath);
	assert_int_equal(strlen(e.en), LP_ERROR_TEXT - 1);
	assert_int_equal(strlen(e.zh), LP_ERROR_TEXT - 1);
	assert_memory_equal(e.en, "cannot read 'aaa", 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_render_sys),
		cmocka_unit_test(test_render_args),
		cmocka_unit_test(test_render_inner),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
