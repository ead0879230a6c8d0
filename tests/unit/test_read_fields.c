/*
 * Unit tests for packet/read_fields: page texts as tesseract writes them
 * (spaces between Chinese characters and inside numbers, full-width
 * punctuation, O for 0), and garbled reads that must give "" rather than a
 * wrong value. Every case states every field: what is not listed must be
 * empty. The identifiers were computed independently (Python, GB 32100
 * weights and ISO 7064 MOD 11-2), not with the code under test. The fuzz
 * harness's seeds and regressions are replayed through the same checks
 * the fuzzer makes (tests/fuzz/fuzz_read_fields.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/support.h"

#include "packet/read_fields.h"
#include "tests/fuzz/fuzz_read_fields.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
	const char *company, *uscc, *legal_rep, *capital, *term, *id_name,
		*id_number, *issuer, *valid, *domains[4], *holder, *licence,
		*expiry, *signed_date;
} want_fields;

typedef struct {
	const char *name;
	const char *text;
	read_doc_kind hint, kind;
	want_fields want;
} read_case;

static void expect(const char *what, const char *got, const char *want, const char *name)
{
	if (strcmp(got, want ? want : "") != 0)
		fail_msg("%s: %s is \"%s\", want \"%s\"", name, what, got, want ? want : "");
}

static void check_case(const read_case *c)
{
	read_fields f;
	size_t n = 0;

	assert_int_equal(read_fields_parse(c->text, c->hint, &f), 0);
	if (f.kind != c->kind)
		fail_msg("%s: kind %d, want %d", c->name, f.kind, c->kind);
	expect("company", f.company, c->want.company, c->name);
	expect("uscc", f.uscc, c->want.uscc, c->name);
	expect("legal_rep", f.legal_rep, c->want.legal_rep, c->name);
	expect("registered_capital", f.registered_capital, c->want.capital, c->name);
	expect("term_until", f.term_until, c->want.term, c->name);
	expect("id_name", f.id_name, c->want.id_name, c->name);
	expect("id_number", f.id_number, c->want.id_number, c->name);
	expect("id_issuer", f.id_issuer, c->want.issuer, c->name);
	expect("id_valid_until", f.id_valid_until, c->want.valid, c->name);
	expect("holder", f.holder, c->want.holder, c->name);
	expect("licence_number", f.licence_number, c->want.licence, c->name);
	expect("expiry", f.expiry, c->want.expiry, c->name);
	expect("signed_date", f.signed_date, c->want.signed_date, c->name);
	while (n < 4 && c->want.domains[n])
		n++;
	if (f.n_domains != n)
		fail_msg("%s: %zu domains, want %zu", c->name, f.n_domains, n);
	for (size_t i = 0; i < n; i++)
		expect("domain", f.domains[i], c->want.domains[i], c->name);
	check_fields(&f);
}

static const read_case cases[] = {
	{ "licence, spaced as tesseract writes it",
	  "营 业 执 照\n"
	  "(副 本)\n"
	  "统一社会信用代码 9131 0000 MA1F L0W1 0N\n"
	  "名 称 上海样本信息科技有限公司\n"
	  "类 型 有限责任公司(自然人投资或控股)\n"
	  "法定代表人 王 小 明          注册资本 壹佰万元整\n"
	  "成立日期 2016 年 03 月 08 日\n"
	  "营业期限 2016 年 03 月 08 日 至 2046 年 03 月 07 日\n"
	  "登记机关 样本市市场监督管理局\n",
	  READ_DOC_UNKNOWN, READ_DOC_BUSINESS_LICENCE,
	  { .company = "上海样本信息科技有限公司", .uscc = "91310000MA1FL0W10N",
	    .legal_rep = "王小明", .capital = "壹佰万元整", .term = "2046-03-07" } },
	{ "licence, full-width colons, 长期, O for 0 in the USCC",
	  "营业执照\n名称：北京样本网络有限公司。\n统一社会信用代码：91110108MAO1XY2OQU\n"
	  "法定代表人：李四\n注册资本：100万元人民币\n营业期限：2019年1月5日至长期\n",
	  READ_DOC_BUSINESS_LICENCE, READ_DOC_BUSINESS_LICENCE,
	  { .company = "北京样本网络有限公司", .uscc = "91110108MA01XY20QU",
	    .legal_rep = "李四", .capital = "100万元人民币", .term = "long-term" } },
	{ "licence, values on the line after their labels",
	  "营业执照\n统一社会信用代码\n91440300MA5G0K1P9C\n名称\n深圳样本数据服务有限公司\n",
	  READ_DOC_UNKNOWN, READ_DOC_BUSINESS_LICENCE,
	  { .company = "深圳样本数据服务有限公司", .uscc = "91440300MA5G0K1P9C" } },
	{ "licence, garbled: one USCC character wrong, 17 characters, a name with Latin",
	  "营业执照\n统一社会信用代码 91310000MA1FL0W11N\n名称 样本科技有限公司a\n"
	  "法定代表人 王x明\n营业期限 2016年03月08日至2046年02月30日\n注册资本 壹佰万\n",
	  READ_DOC_UNKNOWN, READ_DOC_BUSINESS_LICENCE, { 0 } },
	{ "licence, 17 characters read, the unlabelled search finds nothing either",
	  "营业执照\n统一社会信用代码 91310000MA1FL0W1N\n",
	  READ_DOC_UNKNOWN, READ_DOC_BUSINESS_LICENCE, { 0 } },
	{ "licence, a USCC without its label is found alone on the page",
	  "营业执照\n9133010668800174QK\n法定代表人 赵六\n",
	  READ_DOC_UNKNOWN, READ_DOC_BUSINESS_LICENCE,
	  { .uscc = "9133010668800174QK", .legal_rep = "赵六" } },
	{ "licence, two different unlabelled USCCs: neither",
	  "营业执照\n9133010668800174QK\n91310000MA1FL0W10N\n",
	  READ_DOC_UNKNOWN, READ_DOC_BUSINESS_LICENCE, { 0 } },
	{ "ID portrait",
	  "姓 名 张 三\n性 别 男 民 族 汉\n出 生 1990 年 3 月 7 日\n住 址 样本市样本区样本路1号\n"
	  "公民身份号码 1101 0819 9003 0712 38\n",
	  READ_DOC_UNKNOWN, READ_DOC_ID_PORTRAIT,
	  { .id_name = "张三", .id_number = "110108199003071238" } },
	{ "ID portrait, I and O in the number, the number unlabelled",
	  "姓名 欧阳晓燕\n性别 女\n5101O7I97602294416\n",
	  READ_DOC_ID_PORTRAIT, READ_DOC_ID_PORTRAIT,
	  { .id_name = "欧阳晓燕", .id_number = "510107197602294416" } },
	{ "ID portrait, check digit wrong, and a birth date that does not exist",
	  "公民身份号码 110108199003071239\n姓名 张三丰收大地\n",
	  READ_DOC_UNKNOWN, READ_DOC_ID_PORTRAIT, { 0 } },
	{ "ID portrait, 1976-02-30",
	  "公民身份号码 510107197602304411\n", READ_DOC_UNKNOWN, READ_DOC_ID_PORTRAIT, { 0 } },
	{ "ID emblem, dotted dates",
	  "中华人民共和国\n居民身份证\n签发机关 样本市公安局样本分局\n有效期限 2016.03.08-2036.03.08\n",
	  READ_DOC_UNKNOWN, READ_DOC_ID_EMBLEM,
	  { .issuer = "样本市公安局样本分局", .valid = "2036-03-08" } },
	{ "ID emblem, 长期",
	  "签 发 机 关 样本县公安局\n有 效 期 限 2020.01.15 - 长期\n",
	  READ_DOC_UNKNOWN, READ_DOC_ID_EMBLEM,
	  { .issuer = "样本县公安局", .valid = "long-term" } },
	{ "ID emblem, one date alone is no end date",
	  "签发机关 样本县公安局\n有效期限 2020.01.15\n", READ_DOC_UNKNOWN, READ_DOC_ID_EMBLEM,
	  { .issuer = "样本县公安局" } },
	{ "domain certificate, several domains, an e-mail address left out",
	  "域名注册证书\n域名: sample-shop.cn, www-sample.com.cn\n"
	  "  yangben.net\n"
	  "域名持有者: 杭州样本电子商务有限公司\n"
	  "注册日期: 2020-05-01 到期日期: 2027-05-01\n"
	  "联系邮箱 admin@sample-shop.cn\n",
	  READ_DOC_UNKNOWN, READ_DOC_DOMAIN_CERT,
	  { .domains = { "sample-shop.cn", "www-sample.com.cn", "yangben.net" },
	    .holder = "杭州样本电子商务有限公司", .expiry = "2027-05-01" } },
	{ "domain certificate, domain on the line after its label, a dotted number refused",
	  "域名证书\n域名\nEXAMPLE-SAMPLE.COM\n证书编号 2020.05.01\n有效期: 2020年5月1日 至 2030年5月1日\n",
	  READ_DOC_UNKNOWN, READ_DOC_DOMAIN_CERT,
	  { .domains = { "example-sample.com" }, .expiry = "2030-05-01" } },
	{ "domain certificate, a space after the dot, the second domain unlabelled",
	  "域名注册证书\n域名             ybmingzhang88.com.cn\nybheyun56. net\n"
	  "example .org and more\n",
	  READ_DOC_UNKNOWN, READ_DOC_DOMAIN_CERT,
	  { .domains = { "ybmingzhang88.com.cn", "ybheyun56.net" } } },
	{ "domain certificate, l beside a digit: maybe a misread 1, not taken",
	  "域名证书\n域名: ybzhanghe8l.net, ybhebo28.com, hai80.cn, 3lab.com\n",
	  READ_DOC_UNKNOWN, READ_DOC_DOMAIN_CERT, { .domains = { "ybhebo28.com", "hai80.cn" } } },
	{ "current licence, 一 for the dash",
	  "中华人民共和国\n增值电信业务经营许可证\n经营许可证编号: 京B2一20190001\n"
	  "公司名称: 北京样本网络有限公司\n有效期至 2029 年 01 月 05 日\n",
	  READ_DOC_UNKNOWN, READ_DOC_LICENCE,
	  { .company = "北京样本网络有限公司", .licence = "京B2-20190001", .expiry = "2029-01-05" } },
	{ "current licence, old ICP form unlabelled",
	  "经营许可证\n京ICP证030173号\n", READ_DOC_UNKNOWN, READ_DOC_LICENCE,
	  { .licence = "京ICP证030173号" } },
	{ "current licence, nine digits: not a licence number, not a shorter one either",
	  "经营许可证\n许可证编号 B2-201900012\n", READ_DOC_UNKNOWN, READ_DOC_LICENCE, { 0 } },
	{ "current licence, a filing number is not a licence",
	  "经营许可证\n许可证编号 浙ICP备2025183710号-1\n", READ_DOC_UNKNOWN, READ_DOC_LICENCE, { 0 } },
	{ "signed form: company with seal note, the latest date",
	  "增值电信业务经营许可证续期申请表\n申请单位(盖章): 样本科技有限公司(盖章)\n"
	  "成立日期 2016年3月8日\n法定代表人(签字):\n日期: 2026 年 11 月 28 日\n",
	  READ_DOC_UNKNOWN, READ_DOC_SIGNED_FORM,
	  { .company = "样本科技有限公司", .signed_date = "2026-11-28" } },
	{ "signed form by hint, no title read: the kind is unknown, the dates are read",
	  "单位名称 样本科技有限公司\n2026-11-02\n2026.11.20\n2026年13月01日\n",
	  READ_DOC_SIGNED_FORM, READ_DOC_UNKNOWN,
	  { .company = "样本科技有限公司", .signed_date = "2026-11-20" } },
	/* what tesseract made of the measured pages (tests/read/accuracy.sh) */
	{ "form: brackets read as 〈, a garbled seal note, the title naming a licence",
	  "电信业务经营许可证续期申请表\n申请单位 〈盖章)     样本科技有限公司\n"
	  "法定代表人 (EF) :\n2026 年 07 A ol 日\n",
	  READ_DOC_UNKNOWN, READ_DOC_SIGNED_FORM,
	  { .company = "样本科技有限公司", .signed_date = "2026-07-01" } },
	{ "form: the signature's date garbled, a date inside a sentence is not taken",
	  "依法经营承诺书\n申请单位 (ERE) 样本科技有限公司\n"
	  "本单位成立于2018年06月17日，现就电信业务经营许可事项郑重承诺;\n2026 09 A 23日\n",
	  READ_DOC_UNKNOWN, READ_DOC_SIGNED_FORM, { .company = "样本科技有限公司" } },
	{ "form: the label lost, the one company name on the page",
	  "依法经营承诺书\nPSL (BE) 。 样本星河科技有限公司\n一、遵守法律法规;\n",
	  READ_DOC_UNKNOWN, READ_DOC_SIGNED_FORM, { .company = "样本星河科技有限公司" } },
	{ "form: the label lost, two company names: neither",
	  "服务器托管协议\nPSL 样本星河科技有限公司\nAB 示例数据中心有限公司\n",
	  READ_DOC_UNKNOWN, READ_DOC_SIGNED_FORM, { 0 } },
	{ "licence: the 名 of 名 称 lost",
	  "营业执照\na 称                虚构明远信息技术有限公司\n类 型 有限责任公司\n",
	  READ_DOC_UNKNOWN, READ_DOC_BUSINESS_LICENCE, { .company = "虚构明远信息技术有限公司" } },
	{ "licence number: the province misread, the rest is not the number",
	  "经营许可证\n经营许可证编号:        间B2-20184207\n", READ_DOC_UNKNOWN, READ_DOC_LICENCE,
	  { 0 } },
	{ "ID portrait: labels garbled, a quote in the gap",
	  "wee ”张强刚\n性别 “男  民族 = 5M\nARSHSB 110108199003071238\n签发 ”x\n",
	  READ_DOC_UNKNOWN, READ_DOC_ID_PORTRAIT,
	  { .id_name = "张强刚", .id_number = "110108199003071238" } },
	{ "ID portrait: the number run into a word is not taken",
	  "性别 男 民族 汉\nARSHSB110108199003071238\n", READ_DOC_UNKNOWN, READ_DOC_ID_PORTRAIT,
	  { 0 } },
	{ "ID emblem: a quote after the label",
	  "签发机关 ”试样市公安局博雅分局\n有效期限“2020.12.21-2030.12.21\n",
	  READ_DOC_UNKNOWN, READ_DOC_ID_EMBLEM,
	  { .issuer = "试样市公安局博雅分局", .valid = "2030-12-21" } },
	{ "nothing recognisable", "@@@ ### \xff\xfe garbage 123\n", READ_DOC_UNKNOWN,
	  READ_DOC_UNKNOWN, { 0 } },
	{ "empty", "", READ_DOC_BUSINESS_LICENCE, READ_DOC_UNKNOWN, { 0 } },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++)
		check_case(&cases[i]);
}

static void test_null(void **state)
{
	read_fields f;

	(void)state;
	assert_int_equal(read_fields_parse(NULL, READ_DOC_UNKNOWN, &f), -1);
	assert_int_equal(read_fields_parse("", READ_DOC_UNKNOWN, NULL), -1);
}

static void test_material(void **state)
{
	(void)state;
	assert_string_equal(read_doc_material(READ_DOC_BUSINESS_LICENCE), "business-license");
	assert_string_equal(read_doc_material(READ_DOC_ID_PORTRAIT), "legal-rep-id-portrait");
	assert_string_equal(read_doc_material(READ_DOC_ID_EMBLEM), "legal-rep-id-emblem");
	assert_string_equal(read_doc_material(READ_DOC_DOMAIN_CERT), "domain-certificate");
	assert_string_equal(read_doc_material(READ_DOC_LICENCE), "current-licence");
	assert_null(read_doc_material(READ_DOC_UNKNOWN));
	assert_null(read_doc_material(READ_DOC_SIGNED_FORM));
}

/* More domains than the array holds: the first READ_MAX_DOMAINS, in order;
 * a line far longer than a page's is cut, not overrun. */
static void test_limits(void **state)
{
	char text[8192];
	size_t o;
	read_fields f;

	(void)state;
	o = (size_t)snprintf(text, sizeof text, "域名证书\n域名:");
	for (int i = 0; i < 20; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, " d%02d.example.cn", i);
	o += (size_t)snprintf(text + o, sizeof text - o, "\n名称 ");
	while (o < sizeof text - 10)
		o += (size_t)snprintf(text + o, sizeof text - o, "样");
	assert_int_equal(read_fields_parse(text, READ_DOC_UNKNOWN, &f), 0);
	assert_int_equal(f.kind, READ_DOC_DOMAIN_CERT);
	assert_int_equal(f.n_domains, READ_MAX_DOMAINS);
	assert_string_equal(f.domains[0], "d00.example.cn");
	assert_string_equal(f.domains[15], "d15.example.cn");
	assert_string_equal(f.company, "");
}

static void test_replay_seeds(void **state)
{
	(void)state;
	assert_true(fuzz_replay("read_fields", fuzz_read_fields_one) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_material),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_replay_seeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
