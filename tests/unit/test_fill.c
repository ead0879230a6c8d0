/*
 * test_fill: what `init --from-scans` makes of a folder's reads
 * (packet/fill.h), without recognition: the reads are written here as
 * read_fields, as the reader would give them.
 *
 * The template guess over the built-in templates (the most files
 * recognised; between equals, the closest names; a tie asks; nothing
 * recognised; a --templates file that does not resolve left out), the merge of the values (each with its files; two USCCs
 * give a conflict naming both and no value; an ID card named as the
 * emblem side that reads as the portrait side gives nothing; a file
 * matched by content is assigned; a PDF and an unread page are said; a
 * capital not written in digits is said; 长期; of two cards named as the
 * legal representative's, the one with the licence's name), the capital
 * parser, and
 * which files fill_scan would read (by name: sources and unnamed files,
 * not the undertaking; images by their bytes).
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

#include "packet/fill.h"

/* A field of a read, as the reader would fill it. */
#define SET(field, value) snprintf(field, sizeof field, "%s", value)

static template_set *set;

static int setup(void **state)
{
	lp_err err;

	(void)state;
	return template_set_new(&set, &err) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	template_set_free(set);
	return 0;
}

/* The three test_merge tests' template, icp-renewal, as *state. */
static int icp_renewal(void **state)
{
	template *t;
	lp_err err;

	if (template_resolve(set, "icp-renewal", NULL, &t, &err) != 0)
		return -1;
	*state = t;
	return 0;
}

static int icp_renewal_free(void **state)
{
	template_free(*state);
	return 0;
}

/* A file of the folder: its name, and what it read as (kind UNKNOWN with
 * read 0: not read). */
static fill_file file(const char *rel, int read, read_doc_kind kind)
{
	fill_file f;

	memset(&f, 0, sizeof f);
	f.rel = (char *)rel;
	f.name = (char *)rel;
	f.image = strstr(rel, ".pdf") == NULL;
	f.wanted = 1;
	f.read = read;
	f.status = read ? READ_PAGE_OK : READ_PAGE_TIMEOUT;
	f.fields.kind = kind;
	return f;
}

static void guess(fill_file *v, size_t n, fill_guess_result *g)
{
	fill_folder f = { v, n };

	assert_int_equal(fill_guess(set, &f, g), 0);
}

static void test_guess(void **state)
{
	fill_guess_result g;
	fill_file renewal[] = {
		file("续期申请表.jpg", 0, READ_DOC_UNKNOWN),
		file("营业执照.jpg", 0, READ_DOC_UNKNOWN),
		file("身份证人像面.jpg", 0, READ_DOC_UNKNOWN),
		file("IMG_2041.jpg", 1, READ_DOC_DOMAIN_CERT),
	};
	fill_file common[] = {
		file("营业执照.jpg", 0, READ_DOC_UNKNOWN),
		file("身份证人像面.jpg", 0, READ_DOC_UNKNOWN),
	};
	fill_file none[] = { file("notes.txt", 0, READ_DOC_UNKNOWN), file("IMG_1.jpg", 1, READ_DOC_UNKNOWN) };

	(void)state;
	/* the domain certificate by content: only ICP templates have one;
	 * 续期申请表 fits icp-renewal's title more closely than icp-new's 申请表 */
	guess(renewal, 4, &g);
	assert_non_null(g.chosen);
	assert_string_equal(g.chosen, "icp-renewal");
	assert_int_equal(g.best, 4);
	assert_int_equal(g.files, 4);
	assert_int_equal(g.n_tied, 1);
	assert_non_null(g.next);
	assert_int_equal(g.next_files, 4);
	assert_true(g.next_closeness < g.closeness);
	/* the common materials only: every template recognises both alike */
	guess(common, 2, &g);
	assert_null(g.chosen);
	assert_int_equal(g.best, 2);
	assert_true(g.n_tied > FILL_MAX_TIED);
	/* nothing recognised */
	guess(none, 2, &g);
	assert_null(g.chosen);
	assert_int_equal(g.best, 0);
	assert_int_equal(g.n_tied, 0);
}

/* A --templates file that does not resolve (its base is unknown) is left
 * out of the guess, not an error. */
static void test_guess_broken_template(void **state)
{
	char dir[] = "/tmp/licpack-fill-tpl-XXXXXX";
	lp_err err;
	static const char broken[] =
		"{\"id\": \"broken-new\", \"version\": 1, \"extends\": \"no-such-base\", \"licence\": \"icp\",\n"
		" \"action\": \"new\", \"title\": {\"zh\": \"坏模板\", \"en\": \"Broken\"},\n"
		" \"purpose\": {\"zh\": \"仅供测试\", \"en\": \"Test only\"}}\n";
	fill_file v[] = { file("续期申请表.jpg", 0, READ_DOC_UNKNOWN), file("IMG_1.jpg", 1, READ_DOC_DOMAIN_CERT) };
	fill_folder f = { v, 2 };
	fill_guess_result g;
	template_set *own;
	template *t;
	char *path;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xstrdupf("%s/broken.json", dir);
	write_file(path, broken, strlen(broken));
	free(path);
	assert_int_equal(template_set_new(&own, &err), 0);
	assert_int_equal(template_set_add_dir(own, dir, &err), 0);
	/* the file is taken, and does not resolve */
	assert_int_not_equal(template_resolve(own, "broken-new", NULL, &t, &err), 0);
	assert_int_equal(fill_guess(own, &f, &g), 0);
	assert_non_null(g.chosen);
	assert_string_equal(g.chosen, "icp-renewal");
	template_set_free(own);
	rm_tree(dir);
}

static void test_merge(void **state)
{
	const template *t = *state;
	fill_values v;
	fill_file f[] = {
		file("营业执照.jpg", 1, READ_DOC_BUSINESS_LICENCE),
		file("营业执照副本2.jpg", 1, READ_DOC_BUSINESS_LICENCE),
		file("身份证人像面.jpg", 1, READ_DOC_ID_PORTRAIT),
		file("身份证国徽面.jpg", 1, READ_DOC_ID_PORTRAIT),
		file("IMG_7.jpg", 1, READ_DOC_LICENCE),
		file("域名证书_example.com.pdf", 0, READ_DOC_UNKNOWN),
		file("承诺书.jpg", 0, READ_DOC_UNKNOWN),
		file("身份证反面.jpg", 0, READ_DOC_UNKNOWN),
	};
	fill_folder folder = { f, sizeof f / sizeof f[0] };

	SET(f[0].fields.company, "样本科技有限公司");
	SET(f[0].fields.uscc, "91350200776049653A");
	SET(f[0].fields.legal_rep, "张三");
	SET(f[0].fields.registered_capital, "壹仟万元");
	SET(f[1].fields.company, "样本科技有限公司");
	SET(f[1].fields.uscc, "91110108MA01ABCDEN");
	SET(f[2].fields.id_name, "张三");
	SET(f[2].fields.id_number, "11010519491231002X");
	SET(f[3].fields.id_number, "110101199003074477");
	SET(f[4].fields.licence_number, "浙B2-20080101");
	SET(f[4].fields.expiry, "2027-04-30");
	f[6].wanted = 0; /* the undertaking: named, gives no value */
	assert_int_equal(fill_merge(t, &folder, &v), 0);

	assert_string_equal(v.v[FILL_COMPANY_NAME].value, "样本科技有限公司");
	assert_int_equal(v.v[FILL_COMPANY_NAME].n_from, 2);
	assert_string_equal(v.v[FILL_COMPANY_NAME].from[0], "营业执照.jpg");
	assert_string_equal(v.v[FILL_COMPANY_NAME].from[1], "营业执照副本2.jpg");
	/* two USCCs: no value, both files named */
	assert_string_equal(v.v[FILL_COMPANY_USCC].value, "");
	assert_int_equal(v.v[FILL_COMPANY_USCC].conflict, 1);
	assert_string_equal(v.v[FILL_COMPANY_USCC].first, "91350200776049653A");
	assert_string_equal(v.v[FILL_COMPANY_USCC].from[0], "营业执照.jpg");
	assert_string_equal(v.v[FILL_COMPANY_USCC].other, "91110108MA01ABCDEN");
	assert_string_equal(v.v[FILL_COMPANY_USCC].other_from, "营业执照副本2.jpg");
	/* the name on the licence and on the card agree */
	assert_string_equal(v.v[FILL_REP_NAME].value, "张三");
	assert_int_equal(v.v[FILL_REP_NAME].n_from, 2);
	assert_string_equal(v.v[FILL_REP_NAME].from[1], "身份证人像面.jpg");
	/* the whole number, from the portrait side only */
	assert_string_equal(v.v[FILL_REP_ID_NUMBER].value, "11010519491231002X");
	assert_int_equal(v.v[FILL_REP_ID_NUMBER].n_from, 1);
	assert_string_equal(v.v[FILL_REP_ID_EXPIRY].value, "");
	assert_string_equal(v.v[FILL_CAPITAL_WAN].value, "");
	assert_string_equal(v.v[FILL_LICENCE_NUMBER].value, "浙B2-20080101");
	assert_string_equal(v.v[FILL_LICENCE_EXPIRY].value, "2027-04-30");
	assert_string_equal(v.v[FILL_LICENCE_EXPIRY].from[0], "IMG_7.jpg");
	assert_int_equal(v.n_domains, 0);
	/* IMG_7.jpg matched by what it reads */
	assert_int_equal(v.n_assigned, 1);
	assert_string_equal(v.assigned[0].rel, "IMG_7.jpg");
	assert_string_equal(v.assigned[0].material, "current-licence");
	/* what was not used, in folder order */
	assert_int_equal(v.n_skipped, 4);
	assert_int_equal(v.skipped[0].why, FILL_SKIP_CAPITAL);
	assert_string_equal(v.skipped[0].name, "营业执照.jpg");
	assert_string_equal(v.skipped[0].text, "壹仟万元");
	assert_int_equal(v.skipped[1].why, FILL_SKIP_WRONG);
	assert_string_equal(v.skipped[1].name, "身份证国徽面.jpg");
	assert_string_equal(v.skipped[1].material, "legal-rep-id-emblem");
	assert_int_equal(v.skipped[1].kind, READ_DOC_ID_PORTRAIT);
	assert_int_equal(v.skipped[2].why, FILL_SKIP_PDF);
	assert_string_equal(v.skipped[2].name, "域名证书_example.com.pdf");
	assert_int_equal(v.skipped[3].why, FILL_SKIP_UNREAD);
	assert_string_equal(v.skipped[3].name, "身份证反面.jpg");
	fill_values_release(&v);
}

/* 长期, capital in digits; of three domain certificates, two named by no
 * domain: their domains are taken, but they are not assigned by content
 * (check could not tell which domain each is for). */
static void test_merge_domains(void **state)
{
	const template *t = *state;
	fill_values v;
	fill_file g[] = {
		file("营业执照.jpg", 1, READ_DOC_BUSINESS_LICENCE),
		file("国徽面.jpg", 1, READ_DOC_ID_EMBLEM),
		file("IMG_1.jpg", 1, READ_DOC_DOMAIN_CERT),
		file("IMG_2.jpg", 1, READ_DOC_DOMAIN_CERT),
		file("域名证书_example.com.jpg", 1, READ_DOC_DOMAIN_CERT),
	};
	fill_folder gf = { g, sizeof g / sizeof g[0] };

	SET(g[0].fields.registered_capital, "500.5 万元人民币");
	SET(g[1].fields.id_valid_until, "long-term");
	g[2].fields.n_domains = g[3].fields.n_domains = 1;
	SET(g[2].fields.domains[0], "example.org");
	SET(g[3].fields.domains[0], "example.net");
	g[4].fields.n_domains = 1;
	SET(g[4].fields.domains[0], "example.com");
	SET(g[4].fields.expiry, "2027-05-01");
	assert_int_equal(fill_merge(t, &gf, &v), 0);
	assert_string_equal(v.v[FILL_CAPITAL_WAN].value, "500.5");
	assert_string_equal(v.v[FILL_REP_ID_EXPIRY].value, "长期");
	assert_int_equal(v.n_domains, 3);
	assert_string_equal(v.domains[0].name.value, "example.org");
	assert_string_equal(v.domains[0].name.from[0], "IMG_1.jpg");
	assert_string_equal(v.domains[0].expiry.value, "");
	assert_string_equal(v.domains[1].name.value, "example.net");
	assert_string_equal(v.domains[2].name.value, "example.com");
	assert_string_equal(v.domains[2].expiry.value, "2027-05-01");
	assert_int_equal(v.n_assigned, 0);
	assert_int_equal(v.n_skipped, 0);
	fill_values_release(&v);
}

/* Two cards named as the legal representative's (a staff member's in his
 * own folder): the one with the licence's 法定代表人 is taken. */
static void test_merge_two_cards(void **state)
{
	const template *t = *state;
	fill_values v;
	fill_file h[] = {
		file("李四/身份证人像面.jpg", 1, READ_DOC_ID_PORTRAIT),
		file("营业执照.jpg", 1, READ_DOC_BUSINESS_LICENCE),
		file("身份证人像面.jpg", 1, READ_DOC_ID_PORTRAIT),
	};
	fill_folder hf = { h, sizeof h / sizeof h[0] };

	SET(h[0].fields.id_name, "李四");
	SET(h[0].fields.id_number, "110101199003074477");
	SET(h[1].fields.legal_rep, "张三");
	SET(h[2].fields.id_name, "张三");
	SET(h[2].fields.id_number, "11010519491231002X");
	assert_int_equal(fill_merge(t, &hf, &v), 0);
	assert_string_equal(v.v[FILL_REP_ID_NUMBER].value, "11010519491231002X");
	assert_int_equal(v.v[FILL_REP_NAME].n_from, 2);
	assert_string_equal(v.v[FILL_REP_NAME].from[0], "营业执照.jpg");
	assert_string_equal(v.v[FILL_REP_NAME].from[1], "身份证人像面.jpg");
	assert_int_equal(v.n_skipped, 1);
	assert_int_equal(v.skipped[0].why, FILL_SKIP_OTHER_PERSON);
	assert_string_equal(v.skipped[0].name, "李四/身份证人像面.jpg");
	assert_string_equal(v.skipped[0].text, "张三");
	fill_values_release(&v);
	/* matched by content, a name packet.json cannot hold: the values
	 * used, the file not assigned */
	h[0].rel = (char *)"IMG_\x1b.jpg";
	h[0].name = (char *)"IMG_\\x1B.jpg";
	h[0].fields.kind = READ_DOC_LICENCE;
	SET(h[0].fields.licence_number, "浙B2-20080101");
	hf.n = 1;
	assert_int_equal(fill_merge(t, &hf, &v), 0);
	assert_string_equal(v.v[FILL_LICENCE_NUMBER].value, "浙B2-20080101");
	assert_int_equal(v.n_assigned, 0);
	assert_int_equal(v.n_skipped, 1);
	assert_int_equal(v.skipped[0].why, FILL_SKIP_NAME);
	assert_string_equal(v.skipped[0].material, "current-licence");
	fill_values_release(&v);
	h[0] = file("李四/身份证人像面.jpg", 1, READ_DOC_ID_PORTRAIT);
	SET(h[0].fields.id_name, "李四");
	SET(h[0].fields.id_number, "110101199003074477");
	/* one card only: taken, whatever its name (a conflict shows it) */
	hf.n = 2;
	assert_int_equal(fill_merge(t, &hf, &v), 0);
	assert_string_equal(v.v[FILL_REP_ID_NUMBER].value, "110101199003074477");
	assert_int_equal(v.v[FILL_REP_NAME].conflict, 1);
	assert_string_equal(v.v[FILL_REP_NAME].other_from, "营业执照.jpg");
	assert_int_equal(v.n_skipped, 0);
	fill_values_release(&v);
}

static void test_capital(void **state)
{
	static const struct {
		const char *s;
		int ret;
		double wan;
	} cases[] = {
		{ "1000万元", 0, 1000 },
		{ "1000万元人民币", 0, 1000 },
		{ "100.5 万元", 0, 100.5 },
		{ "壹仟万元", -1, 0 },
		{ "万元", -1, 0 },
		{ "1000元", -1, 0 },
		{ "1000.万元", -1, 0 },
		{ "0万元", -1, 0 },
		{ "", -1, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double wan = -1;
		int r = fill_capital_wan(cases[i].s, &wan);
		if (r != cases[i].ret || (r == 0 && wan != cases[i].wan))
			fail_msg("'%s': got %d %g, want %d %g", cases[i].s, r, wan, cases[i].ret, cases[i].wan);
	}
}

/* Which files fill_scan reads, by their names and bytes (no reader: none
 * is read). */
static void test_scan_wanted(void **state)
{
	char dir[] = "/tmp/licpack-fill-XXXXXX";
	static const uint8_t jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 };
	static const struct {
		const char *name;
		int wanted, image;
	} want[] = {
		{ "IMG_1.jpg", 1, 1 },
		{ "notes.txt", 1, 0 },
		{ "承诺书.jpg", 0, 0 },
		{ "营业执照.jpg", 1, 1 },
		{ "营业执照.pdf", 1, 0 },
	};
	fill_folder f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *p = xstrdupf("%s/%s", dir, want[i].name);
		write_file(p, want[i].image ? (const void *)jpeg : "%PDF-1.4\n", want[i].image ? sizeof jpeg : 9);
		free(p);
	}
	assert_int_equal(fill_scan(set, NULL, NULL, dir, 2, &f), 0);
	assert_int_equal(f.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < f.n; i++) {
		assert_string_equal(f.v[i].rel, want[i].name);
		if (f.v[i].wanted != want[i].wanted || f.v[i].image != want[i].image || f.v[i].read)
			fail_msg("%s: wanted %d image %d read %d", f.v[i].rel, f.v[i].wanted, f.v[i].image, f.v[i].read);
	}
	fill_release(&f);
	rm_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guess),
		cmocka_unit_test(test_guess_broken_template),
		cmocka_unit_test_setup_teardown(test_merge, icp_renewal, icp_renewal_free),
		cmocka_unit_test_setup_teardown(test_merge_domains, icp_renewal, icp_renewal_free),
		cmocka_unit_test_setup_teardown(test_merge_two_cards, icp_renewal, icp_renewal_free),
		cmocka_unit_test(test_capital),
		cmocka_unit_test(test_scan_wanted),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
