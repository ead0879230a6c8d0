/*
 * Unit tests for packet/ident: every function against the reference examples
 * (docs licence-materials.md) and the edges around them, one table per
 * function. Expected check characters, day counts and Punycode lengths were
 * computed independently (Python's datetime and punycode codec), not with
 * the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>

#include <cmocka.h>

#include "packet/ident.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
	const char *in;
	ident_result want;
	char expected; /* the right check character for IDENT_CHECK, else 0 */
} ident_case;

static void test_uscc(void **state)
{
	static const ident_case cases[] = {
		{ "91350200776049653A", IDENT_OK, 0 },
		{ "91110000802100433B", IDENT_OK, 0 },
		{ "91440300MA5F111110", IDENT_OK, 0 },
		{ "121000000000000000", IDENT_CHECK, 'F' },
		{ "12100000000000000F", IDENT_OK, 0 },
		{ "000000000000000000", IDENT_OK, 0 },   /* sum 0: 31 means 0 */
		{ "Y1000000000000000X", IDENT_OK, 0 },
		{ "91310115MA1H7GLA3W", IDENT_OK, 0 },
		/* the last character changed: IDENT_CHECK naming the right one */
		{ "91350200776049653B", IDENT_CHECK, 'A' },
		{ "913502007760496530", IDENT_CHECK, 'A' },
		{ "91350200776049653Y", IDENT_CHECK, 'A' },
		{ "91110000802100433A", IDENT_CHECK, 'B' },
		/* a body character changed also moves the check */
		{ "91350200776049654A", IDENT_CHECK, 0 },
		/* lowercase is refused as a format error, never folded */
		{ "91350200776049653a", IDENT_FORMAT, 0 },
		{ "91310115ma1h7gla3w", IDENT_FORMAT, 0 },
		/* I O Z S V are not in the alphabet, in the body or as check */
		{ "9135020077604965I0", IDENT_FORMAT, 0 },
		{ "91350200776049653O", IDENT_FORMAT, 0 },
		{ "91350200776049653Z", IDENT_FORMAT, 0 },
		{ "S1350200776049653A", IDENT_FORMAT, 0 },
		{ "913502V0776049653A", IDENT_FORMAT, 0 },
		/* lengths */
		{ "", IDENT_FORMAT, 0 },
		{ "91350200776049653", IDENT_FORMAT, 0 },
		{ "91350200776049653A0", IDENT_FORMAT, 0 },
		{ "91350200776049653A ", IDENT_FORMAT, 0 },
		{ " 91350200776049653A", IDENT_FORMAT, 0 },
		{ "9135020077604965-3A", IDENT_FORMAT, 0 },
		/* full-width digits are bytes, not characters of the alphabet */
		{ "\xef\xbc\x99" "1350200776049653A", IDENT_FORMAT, 0 },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char got = '?';
		ident_result r = uscc_check(cases[i].in, &got);
		assert_int_equal(r, cases[i].want);
		if (r == IDENT_CHECK && cases[i].expected != 0)
			assert_int_equal(got, cases[i].expected);
		if (r != IDENT_CHECK)
			assert_int_equal(got, '?'); /* untouched otherwise */
	}
}

static void test_uscc_expected_fixes_every_wrong_check(void **state)
{
	/* Whatever wrong check character is written, the one reported makes
	 * the code valid: walk all 30 wrong characters. */
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char code[] = "91350200776049653A";
	(void)state;
	for (size_t i = 0; alphabet[i] != '\0'; i++) {
		char got = 0;
		code[17] = alphabet[i];
		if (alphabet[i] == 'A') {
			assert_int_equal(uscc_check(code, &got), IDENT_OK);
			continue;
		}
		assert_int_equal(uscc_check(code, &got), IDENT_CHECK);
		assert_int_equal(got, 'A');
	}
	code[17] = '1';
	assert_int_equal(uscc_check(code, NULL), IDENT_CHECK);
	assert_int_equal(uscc_check(NULL, NULL), IDENT_FORMAT);
}

static void test_idcard(void **state)
{
	static const ident_case cases[] = {
		{ "11010519491231002X", IDENT_OK, 0 },
		{ "11010519491231002x", IDENT_OK, 0 }, /* lowercase x */
		{ "440304200002291236", IDENT_OK, 0 }, /* 2000 is leap */
		{ "110101200001010010", IDENT_OK, 0 },
		{ "320106198001011233", IDENT_OK, 0 },
		{ "110105210001010007", IDENT_OK, 0 }, /* 2100: last year */
		{ "110105180001010002", IDENT_OK, 0 }, /* 1800: first year */
		/* wrong check: the expected one is reported, X uppercase */
		{ "110105194912310021", IDENT_CHECK, 'X' },
		{ "110105194912310020", IDENT_CHECK, 'X' },
		{ "440304200002291230", IDENT_CHECK, '6' },
		{ "44030420000229123X", IDENT_CHECK, '6' },
		{ "44030420000229123x", IDENT_CHECK, '6' },
		/* birth dates that do not exist or are out of range */
		{ "110105194902300021", IDENT_DATE, 0 },
		{ "110105190002290009", IDENT_DATE, 0 }, /* 1900 not leap */
		{ "110105200002300000", IDENT_DATE, 0 },
		{ "110105194913010000", IDENT_DATE, 0 },
		{ "110105194900010000", IDENT_DATE, 0 },
		{ "110105194901000000", IDENT_DATE, 0 },
		{ "110105194904310000", IDENT_DATE, 0 },
		{ "110105210101010000", IDENT_DATE, 0 }, /* after 2100 */
		{ "110105179912310000", IDENT_DATE, 0 }, /* before 1800 */
		{ "110105000001010000", IDENT_DATE, 0 },
		/* format */
		{ "", IDENT_FORMAT, 0 },
		{ "110105491231002", IDENT_FORMAT, 0 },   /* old 15-digit */
		{ "11010519491231002", IDENT_FORMAT, 0 },
		{ "11010519491231002X0", IDENT_FORMAT, 0 },
		{ "1101051949123100XX", IDENT_FORMAT, 0 }, /* X only last */
		{ "X10105194912310021", IDENT_FORMAT, 0 },
		{ "11010519491231002Y", IDENT_FORMAT, 0 },
		{ "11010519491231002 ", IDENT_FORMAT, 0 },
		{ "110105 19491231002X", IDENT_FORMAT, 0 },
		/* format is reported before a bad date */
		{ "11010519490230002Y", IDENT_FORMAT, 0 },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char got = '?';
		ident_result r = idcard_check(cases[i].in, &got);
		assert_int_equal(r, cases[i].want);
		if (r == IDENT_CHECK)
			assert_int_equal(got, cases[i].expected);
		else
			assert_int_equal(got, '?');
	}
	assert_int_equal(idcard_check(NULL, NULL), IDENT_FORMAT);
	assert_int_equal(idcard_check("110105194912310021", NULL), IDENT_CHECK);
}

static void test_idcard_mask(void **state)
{
	static const struct {
		const char *in;
		size_t outlen;
		const char *want;
	} cases[] = {
		{ "11010519491231002X", 64, "110105********002X" },
		{ "11010519491231002X", 19, "110105********002X" }, /* exact */
		{ "11010519491231002X", 18, "110105********002" },  /* cut */
		{ "11010519491231002X", 7, "110105" },
		{ "11010519491231002X", 1, "" },
		{ "110105491231002", 64, "110105*****1002" },     /* 15 chars */
		{ "1101051949123100", 64, "11************00" },   /* 16 chars */
		{ "123456", 64, "12**56" },
		{ "12345", 64, "*****" },
		{ "1", 64, "*" },
		{ "", 64, "" },
		/* counted in characters: a Chinese character is one, kept whole
		 * or masked whole, never split into invalid UTF-8 */
		{ "身份证号码未填写", 64, "身份****填写" },
		{ "身份证号码未填写", 7, "身份" },
		{ "身份证号码未填写", 6, "身" },
		{ "身12345", 64, "身1**45" },
		/* an invalid byte counts as one character */
		{ "\xff" "23456", 64, "\xff" "2**56" },
		/* a truncated sequence at the end is masked, not over-read */
		{ "1234567\xe4\xbd", 64, "12*****\xe4\xbd" },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char out[64];
		memset(out, 'Z', sizeof out);
		idcard_mask(cases[i].in, out, cases[i].outlen);
		assert_string_equal(out, cases[i].want);
		/* nothing written past outlen */
		if (cases[i].outlen < sizeof out)
			assert_int_equal(out[cases[i].outlen], 'Z');
	}
	char out[4] = "abc";
	idcard_mask("11010519491231002X", out, 0);
	assert_string_equal(out, "abc");
	idcard_mask(NULL, out, sizeof out);
	assert_string_equal(out, "");
	idcard_mask("x", NULL, 10); /* must not crash */
}

typedef struct {
	const char *in;
	int want;
} valid_case;

static void run_valid(const valid_case *cases, size_t n, int (*fn)(const char *))
{
	for (size_t i = 0; i < n; i++) {
		int got = fn(cases[i].in);
		if (got != cases[i].want)
			fail_msg("'%s': got %d, want %d", cases[i].in, got, cases[i].want);
	}
}

/* 63 and 64 characters: the longest label allowed, and one more. */
#define L63 "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123"
#define L64 L63 "4"

static void test_domain(void **state)
{
	static const valid_case cases[] = {
		{ "example.com", 1 },
		{ "Example.COM", 1 },
		{ "www.example.com.cn", 1 },
		{ "a.cn", 1 },
		{ "xn--fsqu00a.xn--fiqs8s", 1 },
		{ "例子.中国", 1 },
		{ "例子.com", 1 },
		{ "中文abc-123.cn", 1 },
		{ "münchen.de", 1 },
		{ "163.com", 1 },
		{ "1-2.example.com", 1 },
		{ "a-b.c-d", 1 },
		{ "example.c0m", 1 },     /* TLD not all digits: fine */
		{ L63 ".com", 1 },
		{ L64 ".com", 0 },
		/* 27 CJK characters encode to exactly 63 ("xn--" + 59), 28 to 64 */
		{ "一严乊乯五亹仞伃伨位佲侗侼信倆倫偐偵傚傿僤儉儮兓典冝凂.cn", 1 },
		{ "一严乊乯五亹仞伃伨位佲侗侼信倆倫偐偵傚傿僤儉儮兓典冝凂凧.cn", 0 },
		{ "测试中文域名很长的标签一二三四五六七八九十.cn", 0 },
		/* 253 in total is allowed, 254 is not (four 63s and dots = 255) */
		{ L63 "." L63 "." L63 "." "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1", 1 },
		{ L63 "." L63 "." L63 "." "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12", 0 },
		{ "", 0 },
		{ "com", 0 },
		{ "中国", 0 },
		{ ".com", 0 },
		{ "example.", 0 },
		{ "example.com.", 0 },
		{ "example..com", 0 },
		{ "-example.com", 0 },
		{ "example-.com", 0 },
		{ "example.-com", 0 },
		{ "exa mple.com", 0 },
		{ "exa_mple.com", 0 },
		{ "example.com/", 0 },
		{ "http://example.com", 0 },
		{ "192.168.1.1", 0 },
		{ "example.123", 0 },
		{ "例子。中国", 0 },          /* ideographic full stop */
		{ "例子．中国", 0 },          /* full-width full stop */
		{ "ｅｘａｍｐｌｅ.com", 0 },  /* full-width letters */
		{ "例\xe3\x80\x80子.cn", 0 },  /* U+3000 inside a label */
		{ "exa\xe2\x80\x8bmple.com", 0 }, /* zero-width space */
		{ "\xff.com", 0 },
		{ "\xe4\xbe.com", 0 },         /* truncated sequence */
		{ "ex\xc0\xaf.com", 0 },       /* overlong '/' */
	};
	(void)state;
	run_valid(cases, COUNT(cases), domain_valid);
	assert_int_equal(domain_valid(NULL), 0);
}

static void test_licence_number(void **state)
{
	static const valid_case cases[] = {
		{ "浙B2-20080101", 1 },
		{ "京B2-20212732", 1 },
		{ "合字B1.B2-20130004", 1 },
		{ "B2-20233776", 1 },
		{ "A1-20080101", 1 },
		{ "粤A2.B1.B2-20190001", 1 },
		{ "合字京B2-20130004", 1 },
		{ "新B1-00000000", 1 },
		{ "B3-20080101", 0 },
		{ "京B2-2008010", 0 },
		{ "京B2-200801011", 0 },
		{ "京ICP-20080101", 0 },
		{ "", 0 },
		{ "京", 0 },
		{ "京B2", 0 },
		{ "京B2-", 0 },
		{ "京b2-20212732", 0 },
		{ "京B2—20212732", 0 },       /* em dash */
		{ "京B2 -20212732", 0 },
		{ "京B2-20212732 ", 0 },
		{ "京B2-2021273A", 0 },
		{ "京B2.-20212732", 0 },
		{ ".B2-20212732", 0 },
		{ "B1.B1-20130004", 0 },      /* category twice */
		{ "B1B2-20130004", 0 },
		{ "港B2-20212732", 0 },       /* not one of the 31 */
		{ "京京B2-20212732", 0 },
		{ "字B2-20212732", 0 },
		{ "京合字B2-20212732", 0 },   /* 合字 comes first */
		/* the pre-2009 ICP licences (issue 13 item 4) */
		{ "京ICP证030173号", 1 },
		{ "京ICP证000007", 1 },
		{ "沪ICP证070095号", 1 },
		{ "京ICP证03017号", 0 },      /* 5 digits */
		{ "京ICP证0301730号", 0 },    /* 7 */
		{ "ICP证030173号", 0 },       /* province required */
		{ "京ICP证030173号-1", 0 },
		/* a copy's serial */
		{ "浙B2-20080224-1", 1 },
		{ "浙B2-20080224-12", 1 },
		{ "浙B2-20080224-0", 0 },
		{ "浙B2-20080224-01", 0 },
		{ "浙B2-20080224-123", 0 },
		{ "浙B2-20080224-", 0 },
	};
	(void)state;
	run_valid(cases, COUNT(cases), licence_number_valid);
	assert_int_equal(licence_number_valid(NULL), 0);
}

/* Which kind of wrong: a typo of the current form and a filing number are
 * errors, a form never seen only a warning (check.c). */
static void test_licence_number_form(void **state)
{
	static const struct {
		const char *s;
		licence_form want;
	} cases[] = {
		{ "京B2-20212732", LICENCE_VALID },
		{ "京ICP证030173号", LICENCE_VALID },
		{ "浙B2-2008010", LICENCE_MALFORMED },
		{ "B1.B1-20130004", LICENCE_MALFORMED },
		{ "京B2—20212732", LICENCE_MALFORMED },
		{ "", LICENCE_MALFORMED },
		{ "京ICP备12345678号", LICENCE_FILING },
		{ "浙ICP备2025183710号-1", LICENCE_FILING },
		{ "京ICP备1234号", LICENCE_FILING },
		{ "京ICP证B2-20190001", LICENCE_UNKNOWN },
		{ "京ICP证03017号", LICENCE_UNKNOWN },
		{ "电信与信息服务业务经营许可证", LICENCE_UNKNOWN },
		{ "港B2-20212732", LICENCE_UNKNOWN },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		licence_form got = licence_number_form(cases[i].s);
		if (got != cases[i].want)
			print_error("'%s': form %d, want %d\n", cases[i].s, got, cases[i].want);
		assert_int_equal(got, cases[i].want);
	}
	assert_int_equal(licence_number_form(NULL), LICENCE_MALFORMED);
}

static void test_icp_filing(void **state)
{
	static const valid_case cases[] = {
		{ "浙ICP备2025183710号-1", 1 },
		{ "京ICP备12345678号", 1 },
		{ "粤ICP备12345678号-12", 1 },
		{ "沪ICP备2025183710号", 1 },
		{ "新ICP备12345678号-9999", 1 },
		{ "京ICP备1234567号", 0 },       /* 7 digits */
		{ "京ICP备123456789号", 0 },     /* 9 */
		{ "京ICP备12345678901号", 0 },   /* 11 */
		{ "ICP备12345678号", 0 },        /* province required */
		{ "港ICP备12345678号", 0 },
		{ "京icp备12345678号", 0 },
		{ "京ICP证12345678号", 0 },      /* a licence, not a filing */
		{ "京ICP备12345678", 0 },
		{ "京ICP备12345678号-", 0 },
		{ "京ICP备12345678号-0", 0 },
		{ "京ICP备12345678号-01", 0 },
		{ "京ICP备12345678号-12345", 0 },
		{ "京ICP备12345678号-1a", 0 },
		{ "京ICP备12345678号1", 0 },
		{ "京ICP备12345678号 ", 0 },
		{ "京 ICP备12345678号", 0 },
		{ "", 0 },
	};
	(void)state;
	run_valid(cases, COUNT(cases), icp_filing_valid);
	assert_int_equal(icp_filing_valid(NULL), 0);
}

static void test_date_parse(void **state)
{
	static const struct {
		const char *in;
		int ret;
		long days;
	} cases[] = {
		{ "1970-01-01", 0, 0 },
		{ "1969-12-31", 0, -1 },
		{ "1900-01-01", 0, -25567 },
		{ "2000-02-29", 0, 11016 },
		{ "2024-02-29", 0, 19782 },
		{ "2025-06-30", 0, 20269 },
		{ "2100-03-01", 0, 47541 },
		{ "2999-12-31", 0, 376199 },
		{ "2023-02-29", -1, 0 },
		{ "1900-02-29", -1, 0 },  /* not leap: divisible by 100 */
		{ "2100-02-29", -1, 0 },
		{ "2024-04-31", -1, 0 },
		{ "2024-13-01", -1, 0 },
		{ "2024-00-10", -1, 0 },
		{ "2024-01-00", -1, 0 },
		{ "2024-01-32", -1, 0 },
		{ "1899-12-31", -1, 0 },
		{ "3000-01-01", -1, 0 },
		{ "2024-1-05", -1, 0 },
		{ "2024-01-5", -1, 0 },
		{ "24-01-05", -1, 0 },
		{ "2024/01/05", -1, 0 },
		{ "20240105", -1, 0 },
		{ "2024-01-05 ", -1, 0 },
		{ " 2024-01-05", -1, 0 },
		{ "2024-01-05T00:00", -1, 0 },
		{ "2024-01-0x", -1, 0 },
		{ "+024-01-05", -1, 0 },
		{ "2024-01", -1, 0 },
		{ "", -1, 0 },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		long days = 12345;
		int r = date_parse(cases[i].in, &days);
		if (r != cases[i].ret)
			fail_msg("'%s': got %d", cases[i].in, r);
		assert_int_equal(days, r == 0 ? cases[i].days : 12345);
	}
	assert_int_equal(date_parse(NULL, NULL), -1);
	assert_int_equal(date_parse("2024-02-29", NULL), 0);
}

static void test_date_format(void **state)
{
	static const struct {
		long days;
		const char *want;
	} cases[] = {
		{ 0, "1970-01-01" },
		{ -1, "1969-12-31" },
		{ -25567, "1900-01-01" },
		{ 19782, "2024-02-29" },
		{ 376199, "2999-12-31" },
		{ 376200, "3000-01-01" },
		{ 146096, "2369-12-31" },
		{ -146097, "1570-01-01" },
		{ -719162, "0001-01-01" },
		{ 2932896, "9999-12-31" },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char out[16];
		date_format(cases[i].days, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
	char small[5] = "zzzz";
	date_format(0, small, sizeof small);
	assert_string_equal(small, "1970");
	date_format(0, small, 0);
	assert_string_equal(small, "1970");
	/* the extremes must not overflow (checked under UBSan) */
	char big[32];
	date_format(LONG_MAX, big, sizeof big);
	date_format(LONG_MIN, big, sizeof big);
}

static void test_date_round_trip(void **state)
{
	/* Every day in the accepted range formats and parses back to itself,
	 * and consecutive days are consecutive numbers. */
	char buf[16];
	long prev = -25568;
	(void)state;
	for (long d = -25567; d <= 376199; d++) {
		long back = 0;
		date_format(d, buf, sizeof buf);
		assert_int_equal(date_parse(buf, &back), 0);
		assert_int_equal(back, d);
		assert_int_equal(back, prev + 1);
		prev = back;
	}
}

static void test_date_add_months(void **state)
{
	static const struct {
		const char *from;
		int months;
		const char *want;
	} cases[] = {
		{ "2024-01-31", 1, "2024-02-29" },
		{ "2023-01-31", 1, "2023-02-28" },
		{ "2024-03-31", -1, "2024-02-29" },
		{ "2024-02-29", 12, "2025-02-28" },
		{ "2024-02-29", 48, "2028-02-29" },
		{ "2020-05-15", 0, "2020-05-15" },
		{ "1970-01-01", -1, "1969-12-01" },
		{ "2025-12-31", 2, "2026-02-28" },
		{ "2024-08-31", -6, "2024-02-29" },
		{ "1900-01-31", 1, "1900-02-28" },
		{ "2999-12-31", 1, "3000-01-31" },
		{ "2024-01-15", -4800, "1624-01-15" },
		{ "2024-01-15", 4801, "2424-02-15" },
		{ "2024-10-31", -25, "2022-09-30" },
		{ "2024-05-31", 3, "2024-08-31" },
		{ "2024-11-30", 3, "2025-02-28" },
	};
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		long d = 0;
		char out[16];
		assert_int_equal(date_parse(cases[i].from, &d), 0);
		date_format(date_add_months(d, cases[i].months), out, sizeof out);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%s %+d: got %s, want %s", cases[i].from, cases[i].months,
				 out, cases[i].want);
	}
	/* absurd arguments saturate instead of overflowing */
	assert_int_equal(date_add_months(LONG_MAX, INT_MAX), LONG_MAX);
	assert_int_equal(date_add_months(LONG_MIN, INT_MIN), LONG_MIN);
	assert_int_equal(date_add_months(0, INT_MAX), 65362691328L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_uscc_expected_fixes_every_wrong_check),
		cmocka_unit_test(test_idcard),
		cmocka_unit_test(test_idcard_mask),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_licence_number),
		cmocka_unit_test(test_licence_number_form),
		cmocka_unit_test(test_icp_filing),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_date_round_trip),
		cmocka_unit_test(test_date_add_months),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
