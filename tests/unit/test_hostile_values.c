/*
 * Unit tests for the defences against hostile names and packet.json values
 * (issue 17 items 12, 17, 18, 19): mask_id_numbers() and display_name()
 * (ID numbers in names), same_name() (NFC/NFD), and applicant_parse()'s
 * strict reading (trailing text, NUL, invalid UTF-8, repeated keys, blank
 * values, control characters stored escaped). Exact strings throughout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "packet/applicant.h"
#include "packet/normalise.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_mask_id_numbers(void **state)
{
	static const struct {
		const char *in, *want;
		size_t n;
	} cases[] = {
		{ "身份证人像面_11010519491231002X.jpg", "身份证人像面_110105********002X.jpg", 1 },
		{ "11010519491231002x", "110105********002x", 1 },
		{ "a440304199001011233b320102198512120014", "a440304********1233b320102********0014", 2 },
		{ "440304199001011233/p1.jpg", "440304********1233/p1.jpg", 1 },
		/* wrong check character, impossible date, part of a longer number */
		{ "320102198512120015.jpg", "320102198512120015.jpg", 0 },
		{ "320102198513120014.jpg", "320102198513120014.jpg", 0 },
		{ "3201021985121200149", "3201021985121200149", 0 },
		{ "9320102198512120014", "9320102198512120014", 0 },
		{ "11010519491231002XX", "11010519491231002XX", 0 },
		/* 15-digit first-generation numbers are left alone (see normalise.h) */
		{ "110105491231002.jpg", "110105491231002.jpg", 0 },
		{ "", "", 0 },
		{ "1101051949123100", "1101051949123100", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		char *s = strdup(cases[i].in);
		assert_non_null(s);
		assert_int_equal(mask_id_numbers(s), cases[i].n);
		assert_string_equal(s, cases[i].want);
		free(s);
	}
}

static void test_display_name(void **state)
{
	char *s = display_name("\033[2J_11010519491231002X\342\200\256.jpg");

	(void)state;
	assert_non_null(s);
	assert_string_equal(s, "\\x1B[2J_110105********002X\\xE2\\x80\\xAE.jpg");
	free(s);
}

static void test_same_name(void **state)
{
	(void)state;
	assert_true(same_name("scan.jpg", "scan.jpg"));
	assert_false(same_name("scan.jpg", "Scan.jpg"));
	assert_true(same_name("caf\303\251.jpg", "cafe\314\201.jpg"));             /* é: NFC, NFD */
	assert_true(same_name("\343\201\214.jpg", "\343\201\213\343\202\231.jpg")); /* が: NFC, NFD */
	assert_false(same_name("caf\303\251.jpg", "cafe.jpg"));
	assert_false(same_name("caf\351.jpg", "caf\303\251.jpg")); /* Latin-1 byte: bytewise */
	assert_true(same_name("\377", "\377"));
}

/* The packet-json messages of parsing text, joined by '\n'. */
static char *parse_messages(const char *text, size_t len, applicant *a)
{
	finding_list fl = { 0 };
	size_t i, n = 1;
	char *out;

	assert_int_equal(applicant_parse(text, len, "packet.json", a, &fl), 0);
	for (i = 0; i < fl.n; i++)
		n += strlen(fl.v[i].msg_en) + 1;
	out = calloc(1, n);
	assert_non_null(out);
	for (i = 0; i < fl.n; i++) {
		assert_string_equal(fl.v[i].code, "packet-json");
		strcat(out, fl.v[i].msg_en);
		if (i + 1 < fl.n)
			strcat(out, "\n");
	}
	findings_release(&fl);
	return out;
}

static void test_parse_strict(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen */
		const char *want;
	} cases[] = {
		{ "{\"template\": \"icp-renewal\"}\n\n", 0, "" },
		{ "{\"template\": \"icp-renewal\"} {}", 0, "'packet.json':1:29: text after the end of the JSON value" },
		{ "{\"a\": 1}\0{}", 11, "'packet.json':1:9: a NUL byte: not JSON text" },
		{ "{\"company\": {\"name\": \"x\\u0000y\"}}", 0,
		  "'packet.json': company.name: holds a NUL character (\\u0000), which cuts it short" },
		{ "{\"company\": {\"name\": \"x\\\\u0000y\"}}", 0, "" },
		{ "{\"company\": {\"name\": \"\xff\"}}", 0, "'packet.json': company.name: not valid UTF-8 text" },
		{ "{\"region\": \"a\", \"template\": \"b\", \"region\": \"c\", \"region\": \"d\"}", 0,
		  "'packet.json': region: given more than once (only the first would count)" },
		{ "{\"domains\": [{\"name\": \"a.cn\", \"name\": \"b.cn\"}]}", 0,
		  "'packet.json': domains[0].name: given more than once (only the first would count)" },
		{ "{\"company\": {\"name\": \" \xe3\x80\x80\\t\"}}", 0,
		  "'packet.json': company.name: empty: give a value or leave the key out" },
		{ "{\"domains\": [\"\"]}", 0, "'packet.json': domains[0]: empty: give a value or leave the entry out" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		applicant a;
		char *got = parse_messages(cases[i].text, cases[i].len ? cases[i].len : strlen(cases[i].text), &a);
		assert_string_equal(got, cases[i].want);
		free(got);
		applicant_release(&a);
	}
}

static void test_values_escaped(void **state)
{
	static const char text[] = "{\"company\": {\"name\": \"\\u001b]0;x\\u0007\xe7\xa4\xba\xe4\xbe\x8b\"},"
				   " \"legal_rep\": {\"name\": \"\x1b[31m\\u202e\"}}";
	applicant a;
	char *got = parse_messages(text, strlen(text), &a);

	(void)state;
	assert_string_equal(got, "");
	assert_string_equal(a.company_name, "\\x1B]0;x\\x07示例");
	assert_string_equal(a.rep_name, "\\x1B[31m\\xE2\\x80\\xAE");
	free(got);
	applicant_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_id_numbers),
		cmocka_unit_test(test_display_name),
		cmocka_unit_test(test_same_name),
		cmocka_unit_test(test_parse_strict),
		cmocka_unit_test(test_values_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
