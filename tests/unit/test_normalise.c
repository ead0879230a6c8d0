/*
 * Unit tests for packet/normalise: name normalisation (with and without
 * dots), natural order, the UTF-8 decoder and validator, and name escaping.
 * Every input is first copied into a heap buffer of exactly its size, so
 * that under AddressSanitizer any read past the NUL (the risk with a UTF-8
 * sequence cut short at the end of a name) is reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "packet/normalise.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
	const char *in;
	const char *want;
} str_case;

/* A copy in a buffer with no slack after the NUL. */
static char *exact(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static void run_str(const str_case *cases, size_t n, char *(*fn)(const char *))
{
	for (size_t i = 0; i < n; i++) {
		char *in = exact(cases[i].in);
		char *got = fn(in);
		assert_non_null(got);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("'%s': got '%s', want '%s'", cases[i].in, got,
				 cases[i].want);
		free(got);
		free(in);
	}
}

/* (Longer than most: a table of cases, one a line, grouped by rule; the
 * code that runs them is five lines.) */
static void test_normalise_name(void **state)
{
	static const str_case cases[] = {
		/* the examples from the brief */
		{ "ICP许可证续期申请表", "icp许可证续期申请表" },
		{ "０１＿营业执照（盖章）", "营业执照" },
		{ "Legal Rep ID - Portrait", "legalrepidportrait" },
		{ "YYZZ", "yyzz" },
		{ "p10", "p10" },
		{ "2024年度报告", "2024年度报告" },
		{ "营业执照(盖章)", "营业执照" },
		{ "身份证人像面【复印件】", "身份证人像面" },
		/* width and case */
		{ "ＹＹＺＺ", "yyzz" },
		{ "Ａ＠ｂ～", "a@b~" },
		{ "ＩＣＰ许可证", "icp许可证" },
		{ "CAFÉ", "cafÉ" },           /* only ASCII is lowercased */
		/* bracketed notes, every kind, anywhere */
		{ "营业执照（副本）", "营业执照" },
		{ "营业执照[1]", "营业执照" },
		{ "[扫描件]营业执照", "营业执照" },
		{ "章程〔2〕", "章程" },
		{ "承诺书《模板》", "承诺书" },
		{ "承诺书「签字版」", "承诺书" },
		{ "承诺书『签字版』", "承诺书" },
		{ "承诺书〖签字版〗", "承诺书" },
		{ "营业执照(盖章)副本[2]", "营业执照副本" },
		{ "营业执照(副本(1))", "营业执照" },       /* nested */
		{ "营业执照(副本[1])", "营业执照" },
		{ "营业执照（盖章)", "营业执照" },          /* mixed widths pair */
		/* unmatched brackets are ordinary text */
		{ "营业执照(盖章", "营业执照(盖章" },
		{ "营业执照)盖章(", "营业执照)盖章(" },
		{ "营业执照【盖章", "营业执照【盖章" },
		/* the notes were the whole name: keep their text */
		{ "（营业执照）", "营业执照" },
		{ "【营业执照】【复印件】", "营业执照复印件" },
		{ "(a)[b]", "ab" },
		{ "01_(营业执照)", "营业执照" },
		{ "(1)", "1" },
		{ "()", "" },
		{ "( )", "" },
		/* leading ordinals */
		{ "1_营业执照", "营业执照" },
		{ "01-营业执照", "营业执照" },
		{ "3.营业执照", "营业执照" },
		{ "2、营业执照", "营业执照" },
		{ "2 、 营业执照", "营业执照" },
		{ "(1)营业执照", "营业执照" },
		{ "（1）营业执照", "营业执照" },
		{ "1) 营业执照", "营业执照" },
		{ "1）营业执照", "营业执照" },
		{ "001_yyzz", "yyzz" },
		{ "一、营业执照", "营业执照" },
		{ "十二、章程", "章程" },
		{ "三）章程", "章程" },
		{ "①营业执照", "营业执照" },
		{ "⑳_章程", "章程" },
		{ " _1_营业执照", "营业执照" },
		{ "(盖章)1_营业执照", "营业执照" },
		{ "1(盖章)_营业执照", "营业执照" },
		/* ...and what is not an ordinal */
		{ "2024_年度报告", "2024年度报告" },   /* four digits: a year */
		{ "2024-2025年度报告", "20242025年度报告" },
		{ "3号楼租赁合同", "3号楼租赁合同" },  /* runs into the text */
		{ "1yyzz", "1yyzz" },
		{ "三证合一", "三证合一" },
		{ "三证合一、营业执照", "三证合一营业执照" },
		{ "1_2", "12" },                       /* only a number would be left */
		{ "01-", "01" },
		{ "3.", "3" },
		{ "1_(盖章)", "盖章" },               /* the note is all the text */
		{ "1_2(盖章)", "2盖章" },
		{ "123", "123" },
		{ "①", "①" },
		{ "一、", "一" },
		{ "p02", "p02" },
		{ "1_营业执照_2", "营业执照2" },
		/* separators, ASCII and CJK */
		{ "身份证·人像面", "身份证人像面" },
		{ "身份证、人像面", "身份证人像面" },
		{ "身份证，人像面", "身份证人像面" },
		{ "身份证。人像面", "身份证人像面" },
		{ "身份证－人像面", "身份证人像面" },
		{ "身份证—人像面", "身份证人像面" },
		{ "身份证–人像面", "身份证人像面" },
		{ "身份证・人像面", "身份证人像面" },
		{ "身份证　人像面", "身份证人像面" },   /* U+3000 */
		{ "身份证\xc2\xa0人像面", "身份证人像面" }, /* no-break space */
		{ "a+b,c.d_e-f g", "abcdefg" },
		{ "a\tb\nc", "abc" },
		{ "---", "" },
		{ "", "" },
		/* other punctuation stays */
		{ "a&b#c", "a&b#c" },
		/* invalid UTF-8 is kept byte for byte, never merged or dropped */
		{ "ab\xff" "cd", "ab\xff" "cd" },
		{ "营业\xe6\x89", "营业\xe6\x89" },     /* cut short at the end */
		{ "\xe6\x89(盖章)", "\xe6\x89" },
		{ "\xef\xbc", "\xef\xbc" },             /* a full-width form, cut */
		{ "\xe3\x80", "\xe3\x80" },             /* U+3000, cut */
		{ "\xc0\xa8x\xc0\xa9", "\xc0\xa8x\xc0\xa9" }, /* overlong ( ) */
	};
	(void)state;
	run_str(cases, COUNT(cases), normalise_name);
	char *p = normalise_name(NULL);
	assert_string_equal(p, "");
	free(p);
}

static void test_normalise_keep_dots(void **state)
{
	static const str_case cases[] = {
		{ "证书_Example.COM（盖章）", "证书example.com" },
		{ "Example.COM", "example.com" },
		{ "域名证书 example-site.cn", "域名证书example-site.cn" },
		{ "例子．中国", "例子.中国" },          /* full-width dot folds */
		{ "例子－中国", "例子-中国" },
		{ "例子。中国", "例子中国" },           /* 。 is still dropped */
		{ "Legal Rep ID - Portrait", "legalrepid-portrait" },
		/* '.' and '-' are text here, so they never end an ordinal */
		{ "163.com", "163.com" },
		{ "1.example.com", "1.example.com" },
		{ "01-营业执照", "01-营业执照" },
		{ "1_example.com", "example.com" },
		{ "1_163.com", "163.com" },
		{ "2、example.com", "example.com" },
		{ "０１＿营业执照（盖章）", "营业执照" },
		{ "[www.example.com]", "www.example.com" },
		{ "", "" },
	};
	(void)state;
	run_str(cases, COUNT(cases), normalise_keep_dots);
	char *p = normalise_keep_dots(NULL);
	assert_string_equal(p, "");
	free(p);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_natural_compare(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "p2", "p10", -1 },
		{ "page1", "Page2", -1 },
		{ "a9b", "a10a", -1 },
		{ "x", "x1", -1 },
		{ "a", "B", -1 },
		{ "abc", "abc", 0 },
		{ "", "", 0 },
		{ "", "a", -1 },
		{ "a1b2", "a1b10", -1 },
		{ "v1.9", "v1.10", -1 },
		{ "file0001", "file2", -1 },
		{ "p02", "p3", -1 },
		{ "p10", "p09", 1 },
		/* equal numbers: fewer leading zeros first, then the bytes */
		{ "p2", "p02", -1 },
		{ "p02", "p002", -1 },
		{ "0", "00", -1 },
		{ "p02a1", "p2a01", 1 },   /* the first run that differs decides */
		{ "A", "a", -1 },
		{ "P2A", "p2a", -1 },
		{ "page1", "PAGE1", 1 },
		/* case folding decides before leading zeros and bytes */
		{ "a02", "B2", -1 },
		/* digit runs too long for any integer type */
		{ "x99999999999999999999999", "x100000000000000000000000", -1 },
		{ "x123456789012345678901234567890", "x123456789012345678901234567891", -1 },
		/* digits against other characters compare as characters */
		{ "1a", "a", -1 },
		{ "a", "_", 1 },
		{ "a 1", "a1", -1 },
		{ "a-1", "a1", -1 },
		{ "p2", "p", 1 },
		/* non-ASCII bytes compare bytewise */
		{ "第2页", "第10页", -1 },
		{ "a", "中", -1 },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char *a = exact(cases[i].a), *b = exact(cases[i].b);
		int ab = sign(natural_compare(a, b)), ba = sign(natural_compare(b, a));
		if (ab != cases[i].want || ba != -cases[i].want)
			fail_msg("'%s' vs '%s': got %d / %d, want %d", cases[i].a,
				 cases[i].b, ab, ba, cases[i].want);
		free(a);
		free(b);
	}
	assert_int_equal(natural_compare(NULL, NULL), 0);
	assert_int_equal(sign(natural_compare(NULL, "a")), -1);
}

static int cmp_ptr(const void *x, const void *y)
{
	return natural_compare(*(const char *const *)x, *(const char *const *)y);
}

static void test_natural_sort_order(void **state)
{
	/* Sorting a shuffled list gives exactly this order, and every triple
	 * is consistent (qsort needs a total order). */
	static const char *const want[] = {
		"", "0", "00", "1", "01", "p", "P1", "p1", "p01", "P2", "p2",
		"p02", "p002", "p3", "p9", "p10", "P11", "p100", "page", "Page1",
		"page1", "page1a", "page2", "page10", "第1页", "第2页", "第10页",
	};
	const char *list[COUNT(want)];
	size_t n = COUNT(want);
	(void)state;
	/* reverse with a stride: a fixed shuffle, no randomness */
	for (size_t i = 0; i < n; i++)
		list[i] = want[(i * 7 + 3) % n];
	qsort(list, n, sizeof list[0], cmp_ptr);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(list[i], want[i]);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int ij = sign(natural_compare(want[i], want[j]));
			assert_int_equal(ij, i < j ? -1 : i > j ? 1 : 0);
		}
	}
}

static void test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int want;
	} cases[] = {
		{ "", 0, 1 },
		{ "abc", 3, 1 },
		{ "中文", 6, 1 },
		{ "中文", 5, 0 },                        /* len cuts a character */
		{ "a\0b", 3, 1 },                        /* U+0000 is valid */
		{ "\xc2\x80", 2, 1 },                    /* U+0080 */
		{ "\xdf\xbf", 2, 1 },                    /* U+07FF */
		{ "\xe0\xa0\x80", 3, 1 },                /* U+0800 */
		{ "\xed\x9f\xbf", 3, 1 },                /* U+D7FF */
		{ "\xee\x80\x80", 3, 1 },                /* U+E000 */
		{ "\xef\xbf\xbf", 3, 1 },                /* U+FFFF */
		{ "\xf0\x90\x80\x80", 4, 1 },            /* U+10000 */
		{ "\xf0\x9f\x98\x80", 4, 1 },            /* an emoji */
		{ "\xf4\x8f\xbf\xbf", 4, 1 },            /* U+10FFFF */
		{ "\xc0\xaf", 2, 0 },                    /* overlong '/' */
		{ "\xc1\xbf", 2, 0 },
		{ "\xe0\x80\xaf", 3, 0 },
		{ "\xe0\x9f\xbf", 3, 0 },
		{ "\xf0\x80\x80\xaf", 4, 0 },
		{ "\xf0\x8f\xbf\xbf", 4, 0 },
		{ "\xed\xa0\x80", 3, 0 },                /* U+D800 */
		{ "\xed\xbf\xbf", 3, 0 },                /* U+DFFF */
		{ "\xf4\x90\x80\x80", 4, 0 },            /* U+110000 */
		{ "\xf5\x80\x80\x80", 4, 0 },
		{ "\xf8\x88\x80\x80\x80", 5, 0 },
		{ "\xfe", 1, 0 },
		{ "\xff", 1, 0 },
		{ "\x80", 1, 0 },                        /* lone continuation */
		{ "a\xbf", 2, 0 },
		{ "\xc2", 1, 0 },                        /* truncated */
		{ "\xe4\xbd", 2, 0 },
		{ "\xf0\x9f\x98", 3, 0 },
		{ "\xe4" "a" "\xbd", 3, 0 },
		{ "\xc2\xc2\x80", 3, 0 },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		/* exactly len bytes, no NUL: len alone must bound the reads */
		char *buf = malloc(cases[i].len ? cases[i].len : 1);
		assert_non_null(buf);
		memcpy(buf, cases[i].s, cases[i].len);
		if (utf8_valid(buf, cases[i].len) != cases[i].want)
			fail_msg("case %zu: want %d", i, cases[i].want);
		free(buf);
	}
	assert_int_equal(utf8_valid(NULL, 0), 1);
	assert_int_equal(utf8_valid(NULL, 1), 0);
}

static void test_utf8_decode(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		size_t want;
		uint32_t cp;
	} cases[] = {
		{ "A", 1, 1, 0x41 },
		{ "\xc3\xa9x", 3, 2, 0xE9 },
		{ "中", 3, 3, 0x4E2D },
		{ "\xe3\x80\x80", 3, 3, 0x3000 },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1F600 },
		{ "", 0, 0, 0 },
		{ "中", 2, 0, 0 },
		{ "\xed\xa0\x80", 3, 0, 0 },
		{ "\xc0\x80", 2, 0, 0 },
		{ "\xbf", 1, 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char *buf = malloc(cases[i].len ? cases[i].len : 1);
		uint32_t cp = 0xDEAD;
		assert_non_null(buf);
		memcpy(buf, cases[i].s, cases[i].len);
		assert_int_equal(utf8_decode(buf, cases[i].len, &cp), cases[i].want);
		assert_int_equal(cp, cases[i].want ? cases[i].cp : 0xDEAD);
		free(buf);
	}
}

static void test_escape_name(void **state)
{
	static const str_case cases[] = {
		{ "abc", "abc" },
		{ "营业执照.jpg", "营业执照.jpg" },
		{ "", "" },
		{ "a\\b", "a\\b" },
		{ "a\x01" "b", "a\\x01b" },
		{ "\t\n", "\\x09\\x0A" },
		{ "\x7f", "\\x7F" },
		{ "\xff", "\\xFF" },
		{ "\xc2\x85", "\\xC2\\x85" },              /* C1 control NEL */
		{ "\xc2\xa0", "\xc2\xa0" },                /* no-break space is fine */
		{ "\xe2\x80\xae" "gpj.exe", "\\xE2\\x80\\xAEgpj.exe" }, /* RLO */
		{ "\xe2\x81\xa6x", "\\xE2\\x81\\xA6x" },   /* U+2066 */
		{ "\xe2\x80\x8e", "\\xE2\\x80\\x8E" },     /* U+200E */
		{ "\xe2\x80\x8b", "\xe2\x80\x8b" },        /* zero-width space: Cf, not bidi */
		{ "营业\xe6\x89", "营业\\xE6\\x89" },      /* cut short at the end */
		{ "\xe4\xbd\xa0\xe4", "你\\xE4" },
		{ "\xe4" "a", "\\xE4a" },                  /* valid text after it survives */
		{ "\xc0\xaf", "\\xC0\\xAF" },
		{ "\xed\xa0\x80", "\\xED\\xA0\\x80" },
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
	};
	(void)state;
	run_str(cases, COUNT(cases), escape_name);
	char *p = escape_name(NULL);
	assert_string_equal(p, "");
	free(p);
}

/* A small deterministic generator for the hostile-input test. */
static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void test_hostile_bytes(void **state)
{
	/* Random bytes, biased towards UTF-8 lead bytes, brackets and
	 * separators, through every function: under ASan this finds any
	 * over-read; the checks hold for any input. */
	static const unsigned char pool[] = { '(', ')', '[', ']', '_', '-', '.',
					      '1', '0', 'A', 0xE3, 0x80, 0x90,
					      0x91, 0xEF, 0xBC, 0x88, 0xC2, 0xF0,
					      0xFF, 0x01, ' ' };
	uint32_t seed = 12345;
	(void)state;
	for (int round = 0; round < 4000; round++) {
		size_t len = next_rand(&seed) % 24;
		char *in = malloc(len + 1);
		assert_non_null(in);
		for (size_t i = 0; i < len; i++) {
			uint32_t r = next_rand(&seed);
			in[i] = (char)(r & 1 ? pool[(r >> 1) % sizeof pool] : (r >> 1) % 255 + 1);
		}
		in[len] = '\0';
		char *a = normalise_name(in), *b = normalise_keep_dots(in), *e = escape_name(in);
		assert_non_null(a);
		assert_non_null(b);
		assert_non_null(e);
		assert_true(strlen(a) <= len);
		assert_true(strlen(b) <= len);
		/* valid in, valid out: whole characters are kept or dropped */
		if (utf8_valid(in, len)) {
			assert_true(utf8_valid(a, strlen(a)));
			assert_true(utf8_valid(b, strlen(b)));
		}
		/* the escaped form is always valid and free of C0 controls */
		assert_true(utf8_valid(e, strlen(e)));
		for (const char *c = e; *c; c++)
			assert_true((unsigned char)*c >= 0x20 && *c != 0x7F);
		(void)natural_compare(in, a);
		free(a);
		free(b);
		free(e);
		free(in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise_name),
		cmocka_unit_test(test_normalise_keep_dots),
		cmocka_unit_test(test_natural_compare),
		cmocka_unit_test(test_natural_sort_order),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_escape_name),
		cmocka_unit_test(test_hostile_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
