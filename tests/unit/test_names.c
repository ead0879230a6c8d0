/*
 * test_names: the file names real users write (issue 13), matched against
 * the shipped templates by packet/match.c.
 *
 * Each case is a path, the template and the domains packet.json lists, and
 * the material (and domain) licpack must take it for. The names come from
 * the regulation's wording (延续申请表), from agency lists (接入合同, 网站备案
 * 信息截图, 股东决定) and from folders users sent; the hosting provider's
 * papers must never be taken for the applicant's own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/support.h"

#include "packet/match.h"
#include "packet/template.h"

typedef struct {
	const char *tpl;       /* template id */
	const char *path;      /* relative to the applicant folder */
	const char *material;  /* expected material id; NULL: none */
	int domain;            /* expected index into DOMAINS, -1 none */
} name_case;

static const char *const DOMAINS[] = { "example.com", "example.cn", "shop.example.cn" };

/* Match each case; print every one that goes wrong before failing. */
static void run_cases(const template_set *set, const name_case *c, size_t n, size_t n_domains)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		template *t = NULL;
		lp_err err = { 0 };
		matcher *m;
		match_result r;
		const char *got;

		assert_int_equal(template_resolve(set, c[i].tpl, NULL, &t, &err), 0);
		m = matcher_new(t, DOMAINS, n_domains);
		assert_non_null(m);
		assert_int_equal(matcher_match(m, c[i].path, &r), 0);
		got = r.material >= 0 && r.ambiguous_with < 0 ? t->materials[r.material].id : NULL;
		if ((got == NULL) != (c[i].material == NULL) ||
		    (got && strcmp(got, c[i].material) != 0) || r.domain != c[i].domain) {
			print_error("%s '%s': got %s (ambiguous with %s, domain %d), want %s (domain %d)\n",
				    c[i].tpl, c[i].path, got ? got : "-",
				    r.ambiguous_with >= 0 ? t->materials[r.ambiguous_with].id : "-",
				    r.domain, c[i].material ? c[i].material : "-", c[i].domain);
			bad++;
		}
		matcher_free(m);
		template_free(t);
	}
	assert_int_equal(bad, 0);
}

#define RUN(set, cases, nd) run_cases(set, cases, sizeof cases / sizeof cases[0], nd)

/* 延续 is the regulation's word (Art. 27); 续期 stays an alias; the long
 * form names the licence too, and must not be ambiguous with it. */
static void test_renewal_application(void **state)
{
	static const name_case c[] = {
		{ "icp-renewal", "延续申请表.pdf", "renewal-application", -1 },
		{ "icp-renewal", "延续申请书.pdf", "renewal-application", -1 },
		{ "icp-renewal", "01_续期申请表.jpg", "renewal-application", -1 },
		{ "icp-renewal", "许可证有效期满继续经营申请表.pdf", "renewal-application", -1 },
		{ "edi-renewal", "许可证有效期满继续经营申请表.pdf", "renewal-application", -1 },
		{ "icp-renewal", "增值电信业务经营许可证.pdf", "current-licence", -1 },
	};
	RUN(*state, c, 0);
}

static void test_hosting_contract_and_filing(void **state)
{
	static const name_case c[] = {
		{ "icp-renewal", "接入合同.pdf", "hosting-contract", -1 },
		{ "icp-renewal", "接入商接入合同.pdf", "hosting-contract", -1 },
		{ "icp-new", "接入合同.pdf", "hosting-contract", -1 },
		{ "icp-renewal", "网站备案截图.png", "icp-filing-screenshot", -1 },
		{ "icp-renewal", "网站备案信息截图.png", "icp-filing-screenshot", -1 },
		{ "icp-new", "网站备案信息截图.png", "icp-filing-screenshot", -1 },
	};
	RUN(*state, c, 0);
}

static void test_resolution_single_shareholder(void **state)
{
	static const name_case c[] = {
		{ "icp-renewal", "股东决定.pdf", "shareholder-resolution", -1 },
		{ "icp-change", "股东决定.pdf", "shareholder-resolution", -1 },
	};
	RUN(*state, c, 0);
}

/* One file with both sides of the legal representative's ID card. */
static void test_combined_id(void **state)
{
	static const name_case c[] = {
		{ "icp-renewal", "身份证正反面.jpg", "legal-rep-id-both", -1 },
		{ "icp-renewal", "法人身份证（正反面）.pdf", "legal-rep-id-both", -1 },
		{ "icp-renewal", "法定代表人身份证复印件.pdf", "legal-rep-id-both", -1 },
		{ "icp-new", "身份证正反面.jpg", "legal-rep-id-both", -1 },
		/* the sides on their own are still the sides */
		{ "icp-renewal", "身份证正面.jpg", "legal-rep-id-portrait", -1 },
		{ "icp-renewal", "法人身份证（反面）.jpg", "legal-rep-id-emblem", -1 },
		{ "icp-renewal", "法定代表人身份证反面.jpg", "legal-rep-id-emblem", -1 },
	};
	RUN(*state, c, 0);
}

/* The domain after a hyphen, a space or in full-width brackets. */
static void test_domain_separators(void **state)
{
	static const name_case c[] = {
		{ "icp-renewal", "域名证书-example.com.jpg", "domain-certificate", 0 },
		{ "icp-renewal", "域名证书 example.com.jpg", "domain-certificate", 0 },
		{ "icp-renewal", "域名证书（example.com）.jpg", "domain-certificate", 0 },
		{ "icp-renewal", "域名证书　example.com.jpg", "domain-certificate", 0 },
		{ "icp-renewal", "域名证书_example.com.jpg", "domain-certificate", 0 },
		/* a hyphen inside a name is part of it */
		{ "icp-renewal", "域名证书-my-example.com.jpg", "domain-certificate", -1 },
	};
	RUN(*state, c, 2);
}

/* A subdomain's certificate is the subdomain's, not its parent's. */
static void test_subdomain(void **state)
{
	static const name_case c[] = {
		{ "icp-renewal", "域名证书_shop.example.cn.jpg", "domain-certificate", 2 },
		{ "icp-renewal", "域名证书_example.cn.jpg", "domain-certificate", 1 },
		{ "icp-renewal", "域名证书-shop.example.cn.jpg", "domain-certificate", 2 },
	};
	static const name_case parent_only[] = {
		{ "icp-renewal", "域名证书_shop.example.cn.jpg", "domain-certificate", -1 },
	};
	RUN(*state, c, 3);
	RUN(*state, parent_only, 2);
}

/* The hosting provider's licence and business licence are never the
 * applicant's (item 6). */
static void test_hosting_provider_papers(void **state)
{
	static const name_case c[] = {
		{ "icp-renewal", "托管商IDC许可证.jpg", "hosting-provider-licence", -1 },
		{ "icp-renewal", "接入商营业执照.jpg", "hosting-provider-business-license", -1 },
		{ "icp-new", "托管商IDC许可证.jpg", "hosting-provider-licence", -1 },
		{ "icp-new", "接入商营业执照.jpg", "hosting-provider-business-license", -1 },
		{ "icp-renewal", "接入商ISP许可证.pdf", "hosting-provider-licence", -1 },
		/* the applicant's own stay the applicant's */
		{ "icp-renewal", "营业执照.jpg", "business-license", -1 },
		{ "icp-renewal", "ICP许可证.pdf", "current-licence", -1 },
	};
	RUN(*state, c, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_renewal_application, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_hosting_contract_and_filing, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_resolution_single_shareholder, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_combined_id, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_domain_separators, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_subdomain, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_hosting_provider_papers, template_set_setup, template_set_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
