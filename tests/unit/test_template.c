/*
 * test_template: the template engine (packet/template_*.c) and the shipped
 * templates (the JSON files in templates/).
 *
 * The shipped icp-renewal is checked material by material, since the check
 * command's verdicts rest on it; the other shipped templates for their rules,
 * their region overlays, their aliases and the agreement of the materials
 * they share. The merge rules run on the small templates under
 * tests/data/templates/derived; every schema and syntax error has a fixture
 * under tests/data/templates/lint and is checked for its exact message.
 * Paths are relative to the repository root, where the tests run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/support.h"

#include "packet/probe.h"
#include "packet/template.h"

#define DATA "tests/data/templates"
#define MiB (1024 * 1024)


#define ALL_FORMATS (FMT_BIT(FMT_JPEG) | FMT_BIT(FMT_PNG) | FMT_BIT(FMT_PDF))
#define IMAGES (FMT_BIT(FMT_JPEG) | FMT_BIT(FMT_PNG))

static template *resolve_ok(const template_set *set, const char *id, const char *region)
{
	template *t = NULL;
	lp_err err = { 0 };
	int r = template_resolve(set, id, region, &t, &err);

	if (r != 0)
		print_error("resolve %s/%s: %s\n", id, region ? region : "-", err.en);
	assert_int_equal(r, 0);
	assert_non_null(t);
	return t;
}

static void expect_resolve_error(const template_set *set, const char *id, const char *region,
				 const char *msg)
{
	template *t = (template *)1;
	lp_err err = { 0 };

	assert_int_equal(template_resolve(set, id, region, &t, &err), 2);
	assert_null(t);
	assert_string_equal(err.en, msg);
}

static int has_alias(const material *m, const char *alias)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n_aliases; i++)
		n += strcmp(m->aliases[i], alias) == 0;
	return (int)n;
}

static void assert_ids(const template *t, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n && i < t->n_materials; i++)
		assert_string_equal(t->materials[i].id, ids[i]);
	assert_int_equal(t->n_materials, n);
}

/* A list of strings (roles, kinds) equals the NULL-terminated want. */
static void assert_strings(char *const *list, size_t n, const char *const *want)
{
	size_t k = 0;

	for (; want[k]; k++) {
		assert_true(k < n);
		assert_string_equal(list[k], want[k]);
	}
	assert_int_equal(n, k);
}

/* 1 when the set offers this template id. */
static int set_has(const template_set *set, const char *id)
{
	const char *const *ids;
	size_t n = template_set_ids(set, &ids);

	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

static const char *const shipped_ids[] = {
	"callcenter-new", "callcenter-renewal", "cdn-new", "cdn-renewal", "code106-new",
	"code95-new", "edi-new", "edi-renewal", "icp-annual", "icp-change", "icp-new",
	"icp-renewal", "idc-new", "idc-renewal", "isp-new", "isp-renewal", "multiparty-new",
	"multiparty-renewal", "sp-new", "sp-renewal", "vas-annual",
};
#define N_SHIPPED (sizeof shipped_ids / sizeof shipped_ids[0])

static const char *const shipped_regions[] = {
	"beijing", "guangdong", "heilongjiang", "hubei", "jiangsu", "shanghai",
};
#define N_REGIONS (sizeof shipped_regions / sizeof shipped_regions[0])
#define REGIONS_KNOWN "(known: beijing, guangdong, heilongjiang, hubei, jiangsu, shanghai)"

/* ------------------------------------------------------------ built-in --- */

static void test_builtin_ids(void **state)
{
	const template_set *set = *state;
	const char *const *ids;
	const char *const *regions;

	/* the twenty of the issue, sorted; the abstract bases are not offered */
	assert_int_equal(template_set_ids(set, &ids), N_SHIPPED);
	for (size_t i = 0; i < N_SHIPPED; i++)
		assert_string_equal(ids[i], shipped_ids[i]);
	/* every template inherits every region from base-common */
	for (size_t i = 0; i < N_SHIPPED; i++) {
		assert_int_equal(template_set_regions(set, shipped_ids[i], &regions), N_REGIONS);
		for (size_t k = 0; k < N_REGIONS; k++)
			assert_string_equal(regions[k], shipped_regions[k]);
	}
	assert_int_equal(template_set_regions(set, "base-common", &regions), N_REGIONS);
	assert_int_equal(template_set_regions(set, "no-such", &regions), 0);
	assert_null(regions);
}

struct want_material {
	const char *id, *zh;
	int required, min, max;
	per_kind per;
	unsigned formats;
	uint32_t long_edge, dpi;
	int colour, seal, watermark;
	expiry_rule expiry;
};

static const char *const renewal_ids[] = {
	"renewal-application", "business-license", "legal-rep-id-portrait",
	"legal-rep-id-emblem", "domain-certificate", "current-licence", "undertaking",
	"shareholder-resolution", "hosting-contract", "icp-filing-screenshot",
	"credit-screenshot", "articles-of-association",
	/* added by issue 13 after the twelve, so the packet's numbering stays */
	"legal-rep-id-both", "hosting-provider-licence", "hosting-provider-business-license",
	"proof-of-operation",
};
#define N_RENEWAL (sizeof renewal_ids / sizeof renewal_ids[0])

static const struct want_material renewal[] = {
	{ "renewal-application", "续期申请表", 1, 1, 0, PER_NONE, ALL_FORMATS, 1000, 300, 0, 1, 0, EXPIRY_NONE },
	{ "business-license", "营业执照副本", 1, 1, 1, PER_NONE, ALL_FORMATS, 1000, 300, 1, 0, 0, EXPIRY_NONE },
	{ "legal-rep-id-portrait", "法定代表人身份证人像面", 1, 1, 1, PER_NONE, ALL_FORMATS, 600, 200, 1, 0, 1, EXPIRY_ID_CARD },
	{ "legal-rep-id-emblem", "法定代表人身份证国徽面", 1, 1, 1, PER_NONE, ALL_FORMATS, 600, 200, 1, 0, 1, EXPIRY_ID_CARD },
	{ "domain-certificate", "域名证书", 1, 1, 1, PER_DOMAIN, ALL_FORMATS, 1000, 300, 0, 0, 0, EXPIRY_DOMAIN },
	{ "current-licence", "现有许可证", 1, 1, 0, PER_NONE, ALL_FORMATS, 1000, 300, 0, 0, 0, EXPIRY_LICENCE },
	{ "undertaking", "依法经营承诺书", 1, 1, 1, PER_NONE, ALL_FORMATS, 1000, 300, 1, 1, 0, EXPIRY_NONE },
	{ "shareholder-resolution", "股东会决议", 1, 1, 0, PER_NONE, ALL_FORMATS, 1000, 300, 0, 1, 0, EXPIRY_NONE },
	{ "hosting-contract", "服务器托管或接入协议", 1, 1, 0, PER_NONE, ALL_FORMATS, 1000, 300, 0, 1, 0, EXPIRY_CONTRACT },
	{ "icp-filing-screenshot", "ICP备案截图", 1, 1, 0, PER_NONE, IMAGES, 0, 0, 0, 0, 0, EXPIRY_NONE },
	{ "credit-screenshot", "企业信用信息公示截图", 0, 1, 0, PER_NONE, ALL_FORMATS, 0, 0, 0, 0, 0, EXPIRY_NONE },
	{ "articles-of-association", "公司章程", 0, 1, 0, PER_NONE, ALL_FORMATS, 1000, 300, 0, 0, 0, EXPIRY_NONE },
	{ "legal-rep-id-both", "法定代表人身份证正反面", 0, 1, 1, PER_NONE, ALL_FORMATS, 600, 200, 1, 0, 1, EXPIRY_ID_CARD },
	{ "hosting-provider-licence", "接入商电信业务经营许可证", 0, 1, 0, PER_NONE, ALL_FORMATS, 1000, 300, 0, 0, 0, EXPIRY_NONE },
	{ "hosting-provider-business-license", "接入商营业执照", 0, 1, 1, PER_NONE, ALL_FORMATS, 1000, 300, 0, 0, 0, EXPIRY_NONE },
	{ "proof-of-operation", "业务开展证明（与用户签署的服务协议）", 0, 1, 0, PER_NONE, ALL_FORMATS, 1000, 300, 0, 0, 0, EXPIRY_NONE },
};

static void test_icp_renewal_materials(void **state)
{
	template *t = resolve_ok(*state, "icp-renewal", NULL);
	size_t n = sizeof renewal / sizeof renewal[0];

	assert_ids(t, renewal_ids, n);
	for (size_t i = 0; i < n; i++) {
		const material *m = &t->materials[i];
		const struct want_material *w = &renewal[i];
		assert_string_equal(m->id, w->id);
		assert_string_equal(m->title.zh, w->zh);
		assert_non_null(m->title.en);
		assert_true(m->title.en[0] != '\0');
		assert_int_equal(m->required, w->required);
		assert_int_equal(m->count_min, w->min);
		assert_int_equal(m->count_max, w->max);
		assert_int_equal(m->per, w->per);
		assert_int_equal(m->formats, w->formats);
		assert_int_equal(m->max_bytes, 10 * MiB);
		assert_int_equal(m->min_long_edge, w->long_edge);
		assert_int_equal(m->min_dpi, w->dpi);
		assert_int_equal(m->colour, w->colour);
		assert_int_equal(m->seal, w->seal);
		assert_int_equal(m->watermark, w->watermark);
		assert_int_equal(m->expiry, w->expiry);
		assert_ptr_equal(template_material(t, w->id), m);
	}
	assert_null(template_material(t, "no-such-material"));
	template_free(t);
}

static void test_icp_renewal_header(void **state)
{
	template *t = resolve_ok(*state, "icp-renewal", NULL);

	assert_string_equal(t->id, "icp-renewal");
	assert_int_equal(t->version, 1);
	assert_string_equal(t->licence, "icp");
	assert_string_equal(t->action, "renewal");
	assert_string_equal(t->title.zh, "ICP经营许可证续期");
	assert_string_equal(t->title.en, "ICP licence renewal");
	assert_string_equal(t->purpose.zh, "仅供ICP经营许可证续期使用");
	assert_string_equal(t->purpose.en, "For ICP licence renewal only");
	assert_null(t->region);
	assert_null(t->region_title.zh);
	assert_int_equal(t->watermark, 1);
	assert_int_equal(t->rules.id_card_min_valid_days, 90);
	assert_int_equal(t->rules.domain_min_valid_days, 65);
	assert_int_equal(t->rules.licence_renew_before_days, 90);
	/* none of the rules that are not files applies to an ICP renewal */
	assert_int_equal(t->rules.prerequisite_min_valid_days, 0);
	assert_int_equal(t->rules.capital_min_wan_provincial, 0);
	assert_int_equal(t->rules.capital_min_wan_nationwide, 0);
	assert_int_equal(t->rules.annual_report, 0);
	assert_int_equal(t->rules.change_within_days, 0);
	assert_int_equal(t->rules.staff_min, 0);
	assert_int_equal(t->rules.n_staff_roles, 0);
	assert_int_equal(t->rules.n_prerequisite_kinds, 0);
	assert_int_equal(t->rules.prerequisite_nationwide, 0);
	for (size_t i = 0; i < t->n_materials; i++)
		assert_int_equal(t->materials[i].n_roles, 0);
	assert_string_equal(t->origin, "builtin");
	assert_true(t->n_sources >= 5);
	assert_non_null(strstr(t->notes, "Convention"));
	assert_non_null(strstr(t->notes, "5 MB"));
	template_free(t);
}

struct want_aliases {
	const char *id;
	const char *aliases[10];
};

static const struct want_aliases renewal_aliases[] = {
	{ "business-license", { "营业执照", "执照", "yyzz", "business license", "business licence" } },
	{ "legal-rep-id-portrait", { "人像面", "正面", "头像面", "renxiang", "rxm", "id-front", "portrait",
				     "身份证正面", "身份证人像面" } },
	{ "legal-rep-id-emblem", { "国徽面", "反面", "背面", "guohui", "ghm", "id-back", "emblem",
				   "身份证反面", "身份证国徽面" } },
	{ "domain-certificate", { "域名证书", "域名", "ymzs", "domain" } },
	{ "current-licence", { "许可证", "现有许可证", "xkz", "licence", "license" } },
	{ "undertaking", { "承诺书", "cns", "undertaking" } },
	{ "shareholder-resolution", { "决议", "股东会决议", "股东决议", "resolution" } },
	{ "hosting-contract", { "托管协议", "接入协议", "托管", "hosting" } },
	{ "icp-filing-screenshot", { "备案截图", "icp备案", "beian" } },
	{ "renewal-application", { "续期申请表", "续期申请", "申请表", "application" } },
	{ "credit-screenshot", { "信用公示", "公示截图" } },
	{ "articles-of-association", { "章程" } },
};

static void test_icp_renewal_aliases(void **state)
{
	template *t = resolve_ok(*state, "icp-renewal", NULL);

	for (size_t i = 0; i < sizeof renewal_aliases / sizeof renewal_aliases[0]; i++) {
		const struct want_aliases *w = &renewal_aliases[i];
		const material *m = template_material(t, w->id);
		assert_non_null(m);
		for (size_t k = 0; k < 10 && w->aliases[k]; k++) {
			if (has_alias(m, w->aliases[k]) != 1)
				print_error("%s: alias '%s'\n", w->id, w->aliases[k]);
			assert_int_equal(has_alias(m, w->aliases[k]), 1);
		}
	}
	for (size_t i = 0; i < t->n_materials; i++) {
		const material *m = &t->materials[i];
		/* the id and title always, and once */
		assert_int_equal(has_alias(m, m->id), 1);
		assert_int_equal(has_alias(m, m->title.zh), 1);
		/* shared by both ID sides, so it names neither */
		assert_int_equal(has_alias(m, "身份证"), 0);
	}
	template_free(t);
}

static void test_icp_renewal_jiangsu(void **state)
{
	template *t = resolve_ok(*state, "icp-renewal", "jiangsu");
	const material *m;

	/* the overlay's material comes after the template's own */
	assert_int_equal(t->n_materials, N_RENEWAL + 1);
	for (size_t i = 0; i < N_RENEWAL; i++)
		assert_string_equal(t->materials[i].id, renewal_ids[i]);
	m = &t->materials[N_RENEWAL];
	assert_string_equal(m->id, "site-evaluation-report");
	assert_string_equal(m->title.zh, "第三方网站评估报告");
	assert_int_equal(m->required, 1);
	assert_int_equal(m->watermark, 0);
	assert_int_equal(t->watermark, 0);
	assert_int_equal(t->rules.domain_min_valid_days, 183);
	assert_int_equal(t->rules.id_card_min_valid_days, 90);
	assert_int_equal(t->rules.licence_renew_before_days, 90);
	assert_string_equal(t->region, "jiangsu");
	assert_string_equal(t->region_title.zh, "江苏");
	assert_string_equal(t->region_title.en, "Jiangsu");
	assert_string_equal(t->sources[t->n_sources - 1], "icp-1.com/icp/5331.html");
	assert_non_null(strstr(t->notes, "Jiangsu"));
	/* the ID sides keep their own flag; the template-wide switch is off */
	assert_int_equal(template_material(t, "legal-rep-id-portrait")->watermark, 1);
	template_free(t);
}

static void test_icp_renewal_guangdong(void **state)
{
	template *t = resolve_ok(*state, "icp-renewal", "guangdong");

	/* issue 13: the network evaluation report and the 3 staff are asked of
	 * new applications (base-new's overlay); a renewal keeps its own list
	 * and only the 6-month domain rule */
	assert_int_equal(t->n_materials, N_RENEWAL);
	for (size_t i = 0; i < N_RENEWAL; i++)
		assert_string_equal(t->materials[i].id, renewal_ids[i]);
	assert_null(template_material(t, "network-evaluation-report"));
	assert_null(template_material(t, "staff-social-insurance"));
	assert_int_equal(t->rules.staff_min, 0);
	assert_int_equal(t->rules.domain_min_valid_days, 183);
	assert_int_equal(t->watermark, 1);
	assert_string_equal(t->region_title.zh, "广东");
	assert_int_equal(t->region_sourced, 1);
	assert_null(template_material(t, "site-evaluation-report"));
	template_free(t);

	/* a new application in Guangdong: the report, 3 staff x 3 months */
	t = resolve_ok(*state, "edi-new", "guangdong");
	assert_int_equal(t->rules.staff_min, 3);
	assert_int_equal(template_material(t, "network-evaluation-report")->required, 1);
	template_free(t);
	/* number resources: no network evaluation report */
	t = resolve_ok(*state, "code95-new", "guangdong");
	assert_null(template_material(t, "network-evaluation-report"));
	template_free(t);
}

static void test_regions_other(void **state)
{
	template *t, *plain = resolve_ok(*state, "icp-renewal", NULL);
	const material *m;

	/* Shanghai: the business licence copy sealed; notes on form filling */
	t = resolve_ok(*state, "icp-renewal", "shanghai");
	assert_int_equal(t->n_materials, N_RENEWAL);
	m = template_material(t, "business-license");
	assert_int_equal(m->seal, 1);
	assert_string_equal(m->title.zh, "营业执照副本");
	assert_non_null(strstr(m->title.en, "A4"));
	assert_non_null(strstr(t->notes, "无"));
	assert_non_null(strstr(t->notes, "blue-black"));
	assert_string_equal(t->region_title.en, "Shanghai");
	/* no source for the Shanghai overlay: templates show says so */
	assert_int_equal(t->region_sourced, 0);
	template_free(t);

	/* Beijing: notes only */
	t = resolve_ok(*state, "icp-renewal", "beijing");
	assert_int_equal(t->n_materials, N_RENEWAL);
	assert_non_null(strstr(t->notes, "京B2-20212732"));
	assert_int_equal(t->rules.domain_min_valid_days, 65);
	template_free(t);

	/* Heilongjiang: an optional server-location proof */
	t = resolve_ok(*state, "icp-renewal", "heilongjiang");
	assert_int_equal(t->n_materials, N_RENEWAL + 1);
	m = &t->materials[N_RENEWAL];
	assert_string_equal(m->id, "server-location-proof");
	assert_string_equal(m->title.zh, "机房位于省内证明");
	assert_int_equal(m->required, 0);
	assert_non_null(strstr(t->notes, "north-eastern"));
	assert_string_equal(t->sources[t->n_sources - 1], "ljicp.com/article/13513");
	template_free(t);

	/* Hubei: the undertaking and 真实性声明 on the bureau's templates */
	t = resolve_ok(*state, "icp-renewal", "hubei");
	assert_int_equal(t->n_materials, N_RENEWAL + 1);
	m = &t->materials[N_RENEWAL];
	assert_string_equal(m->id, "authenticity-declaration");
	assert_string_equal(m->title.zh, "真实性声明");
	assert_int_equal(m->required, 1);
	assert_int_equal(m->seal, 1);
	assert_int_equal(m->colour, 1);
	m = template_material(t, "undertaking");
	assert_string_equal(m->title.zh, "依法经营承诺书");
	assert_non_null(strstr(m->title.en, "Hubei"));
	/* the patch changes the title only */
	assert_int_equal(m->seal, template_material(plain, "undertaking")->seal);
	assert_int_equal(m->count_max, 1);
	assert_non_null(strstr(t->notes, "真实性声明"));
	template_free(t);

	/* Jiangsu on a template with no domain material still sets its rules,
	 * but its website evaluation report is for ICP only (issue 13) */
	t = resolve_ok(*state, "idc-new", "jiangsu");
	assert_int_equal(t->watermark, 0);
	assert_int_equal(t->rules.domain_min_valid_days, 183);
	assert_null(template_material(t, "site-evaluation-report"));
	template_free(t);
	t = resolve_ok(*state, "icp-annual", "jiangsu");
	assert_null(template_material(t, "site-evaluation-report"));
	template_free(t);
	t = resolve_ok(*state, "code106-new", "jiangsu");
	assert_null(template_material(t, "site-evaluation-report"));
	template_free(t);
	t = resolve_ok(*state, "icp-new", "jiangsu");
	assert_int_equal(template_material(t, "site-evaluation-report")->required, 1);
	template_free(t);

	/* Guangdong on a template that has the staff materials already: patched
	 * in place (the 3-months title), not added twice */
	t = resolve_ok(*state, "icp-new", "guangdong");
	m = template_material(t, "staff-social-insurance");
	assert_int_equal(t->region_sourced, 1);
	assert_string_equal(m->title.zh, "人员社保缴纳证明（近3个月）");
	assert_int_equal(t->rules.staff_min, 3);
	assert_string_equal(t->materials[9].id, "staff-id-portrait");
	assert_string_equal(t->materials[t->n_materials - 1].id, "network-evaluation-report");
	template_free(t);
	template_free(plain);
}

static void test_icp_new(void **state)
{
	static const char *const ids[] = {
		"application-form", "business-license", "legal-rep-id-portrait",
		"legal-rep-id-emblem", "legal-rep-id-both", "company-overview", "articles-of-association",
		"shareholding-chart", "shareholder-documents", "staff-id-portrait",
		"staff-id-emblem", "staff-social-insurance", "business-plan",
		"service-quality-measures", "security-measures", "reputation-proof",
		"no-dishonesty-declaration", "undertaking", "domain-certificate", "hosting-contract",
		"icp-filing-screenshot", "hosting-provider-licence",
		"hosting-provider-business-license", "prior-approvals",
	};
	template *t = resolve_ok(*state, "icp-new", NULL);
	template *r = resolve_ok(*state, "icp-renewal", NULL);
	const material *m;

	assert_ids(t, ids, sizeof ids / sizeof ids[0]);
	assert_string_equal(t->action, "new");
	assert_string_equal(t->licence, "icp");
	assert_string_equal(t->purpose.zh, "仅供ICP经营许可证申请使用");
	/* required here, optional in the renewal */
	assert_int_equal(template_material(t, "articles-of-association")->required, 1);
	assert_int_equal(template_material(t, "prior-approvals")->required, 0);
	assert_int_equal(template_material(t, "shareholder-documents")->per, PER_SHAREHOLDER);
	assert_int_equal(template_material(t, "staff-id-portrait")->per, PER_STAFF);
	assert_int_equal(template_material(t, "staff-id-emblem")->per, PER_STAFF);
	assert_int_equal(template_material(t, "staff-social-insurance")->per, PER_STAFF);
	assert_string_equal(template_material(t, "staff-social-insurance")->title.zh, "人员社保缴纳证明");
	/* shared with the renewal through base-common; the title patch keeps
	 * everything else */
	m = template_material(t, "domain-certificate");
	assert_string_equal(m->title.zh, "域名证书");
	assert_string_equal(m->title.en, "Domain name certificate (in the company's name)");
	assert_int_equal(m->per, PER_DOMAIN);
	assert_int_equal(m->expiry, EXPIRY_DOMAIN);
	assert_int_equal(template_material(t, "business-license")->seal,
			 template_material(r, "business-license")->seal);
	template_free(t);
	template_free(r);

	t = resolve_ok(*state, "icp-new", "jiangsu");
	assert_string_equal(t->materials[t->n_materials - 1].id, "site-evaluation-report");
	assert_int_equal(t->watermark, 0);
	template_free(t);
}

static void test_unknown_id_and_region(void **state)
{
	const template_set *set = *state;

	expect_resolve_error(set, "icp-renewl", NULL,
			     "unknown template 'icp-renewl' (known: callcenter-new, callcenter-renewal, "
			     "cdn-new, cdn-renewal, code106-new, code95-new, edi-new, edi-renewal, "
			     "icp-annual, icp-change, icp-new, icp-renewal, idc-new, idc-renewal, isp-new, "
			     "isp-renewal, multiparty-new, multiparty-renewal, sp-new, sp-renewal, vas-annual)");
	expect_resolve_error(set, "base-common", NULL,
			     "template 'base-common' is an abstract base: use one of the templates that extend it");
	expect_resolve_error(set, "base-new", NULL,
			     "template 'base-new' is an abstract base: use one of the templates that extend it");
	expect_resolve_error(set, "icp-renewal", "mars",
			     "unknown region 'mars' for template 'icp-renewal' " REGIONS_KNOWN);
	expect_resolve_error(set, "icp-renewal", "Jiangsu",
			     "unknown region 'Jiangsu' for template 'icp-renewal' " REGIONS_KNOWN);
}

/* The rules that are not files, as the shipped templates set them. */
static void add_dir_ok(template_set *set, const char *dir);

struct want_rules {
	const char *id;
	int capital_prov, capital_nat, annual, change_days, staff_min, renew_days, prereq_days;
	const char *staff_roles[4];
	const char *kinds[3];
	int nationwide;
	/* issue 13: 0 where not given */
	int prereq_coverage, staff_advised, foreign_max, paid_in;
};

static const struct want_rules shipped_rules[] = {
	{ "icp-new", 100, 1000, 0, 0, 0, 90, 0, { "contact", "security" }, { NULL }, 0, 0, 3, 50, 0 },
	{ "edi-new", 100, 1000, 0, 0, 0, 90, 0, { "contact", "security" }, { NULL }, 0, 0, 3, 100, 0 },
	{ "idc-new", 100, 1000, 0, 0, 0, 90, 0, { "contact", "security" }, { NULL }, 0, 0, 3, 50, 1 },
	{ "cdn-new", 100, 1000, 0, 0, 3, 90, 0, { "contact", "security" }, { NULL }, 0, 0, 0, 50, 0 },
	{ "isp-new", 100, 1000, 0, 0, 0, 90, 0, { "contact", "security" }, { NULL }, 0, 0, 0, 50, 1 },
	{ "sp-new", 100, 1000, 0, 0, 0, 90, 0, { "contact", "security" }, { NULL }, 0, 0, 0, 50, 0 },
	{ "callcenter-new", 100, 1000, 0, 0, 0, 90, 0, { "contact", "security", "service" }, { NULL }, 0, 0, 0, 100, 0 },
	{ "multiparty-new", 100, 1000, 0, 0, 0, 90, 0, { "contact", "security" }, { NULL }, 0, 0, 0, 100, 0 },
	{ "code95-new", 1000, 1000, 0, 0, 0, 90, 365, { "contact", "security" },
	  { "callcenter", "multiparty" }, 1, 0, 0, 50, 0 },
	{ "code106-new", 100, 1000, 0, 0, 3, 90, 0, { "contact", "security" }, { "sp" }, 0, 1, 0, 50, 0 },
	{ "icp-annual", 0, 0, 1, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "icp-change", 0, 0, 0, 30, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "icp-renewal", 0, 0, 0, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "edi-renewal", 0, 0, 0, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "idc-renewal", 0, 0, 0, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "cdn-renewal", 0, 0, 0, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "isp-renewal", 0, 0, 0, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "sp-renewal", 0, 0, 0, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "callcenter-renewal", 0, 0, 0, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "multiparty-renewal", 0, 0, 0, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
	{ "vas-annual", 0, 0, 1, 0, 0, 90, 0, { NULL }, { NULL }, 0, 0, 0, 0, 0 },
};

static void test_shipped_rules(void **state)
{
	size_t n = sizeof shipped_rules / sizeof shipped_rules[0];

	assert_int_equal(n, N_SHIPPED);
	for (size_t i = 0; i < n; i++) {
		const struct want_rules *w = &shipped_rules[i];
		template *t = resolve_ok(*state, w->id, NULL);
		const template_rules *r = &t->rules;
		int got[] = { r->capital_min_wan_provincial, r->capital_min_wan_nationwide,
			      r->annual_report, r->change_within_days, r->staff_min,
			      r->licence_renew_before_days, r->prerequisite_min_valid_days,
			      r->id_card_min_valid_days, r->domain_min_valid_days };
		int want[] = { w->capital_prov, w->capital_nat, w->annual, w->change_days,
			       w->staff_min, w->renew_days, w->prereq_days, 90, 65 };
		for (size_t k = 0; k < sizeof got / sizeof got[0]; k++) {
			if (got[k] != want[k])
				print_error("%s: rule %zu (in the order of struct want_rules) is %d, want %d\n",
					    w->id, k, got[k], want[k]);
			assert_int_equal(got[k], want[k]);
		}
		assert_strings(r->staff_roles, r->n_staff_roles, w->staff_roles);
		assert_strings(r->prerequisite_kinds, r->n_prerequisite_kinds, w->kinds);
		assert_int_equal(r->prerequisite_nationwide, w->nationwide);
		assert_int_equal(r->prerequisite_coverage, w->prereq_coverage);
		assert_int_equal(r->staff_advised, w->staff_advised);
		assert_int_equal(r->foreign_share_max, w->foreign_max);
		assert_int_equal(r->capital_paid_in, w->paid_in);
		/* the id says the licence and the action */
		assert_true(strncmp(w->id, t->licence, strlen(t->licence)) == 0);
		assert_string_equal(w->id + strlen(t->licence) + 1, t->action);
		assert_true(t->n_sources >= 1);
		assert_true(strlen(t->notes) > 40);
		template_free(t);
	}
}

static void test_shipped_prerequisites(void **state)
{
	template *t = resolve_ok(*state, "code95-new", NULL);
	const material *m = template_material(t, "prerequisite-licence");

	/* the prerequisite is a material too, its date the prerequisite's */
	assert_non_null(m);
	assert_int_equal(m->required, 1);
	assert_int_equal(m->expiry, EXPIRY_PREREQUISITE);
	assert_string_equal(m->title.zh, "跨地区呼叫中心或多方通信业务经营许可证（正文、附页、特别规定事项）");
	assert_string_equal(t->materials[1].id, "prerequisite-licence");
	/* a number application: the 码号 form and papers, not the licence application form */
	assert_string_equal(t->materials[0].id, "number-application-form");
	assert_null(template_material(t, "application-form"));
	assert_non_null(template_material(t, "operator-cooperation-agreement"));
	assert_non_null(template_material(t, "platform-screenshots"));
	assert_non_null(template_material(t, "number-use-plan"));
	template_free(t);

	t = resolve_ok(*state, "code106-new", NULL);
	m = template_material(t, "prerequisite-licence");
	assert_int_equal(m->expiry, EXPIRY_PREREQUISITE);
	assert_string_equal(m->title.zh, "SP业务经营许可证（正文、附页、特别规定事项）");
	assert_null(template_material(t, "application-form"));
	/* 3 staff x 3 months */
	m = template_material(t, "staff-social-insurance");
	assert_string_equal(m->title.zh, "人员社保缴纳证明（近3个月）");
	assert_int_equal(m->per, PER_STAFF);
	template_free(t);

	/* no other template has a prerequisite */
	for (size_t i = 0; i < N_SHIPPED; i++) {
		if (strncmp(shipped_ids[i], "code", 4) == 0)
			continue;
		t = resolve_ok(*state, shipped_ids[i], NULL);
		assert_null(template_material(t, "prerequisite-licence"));
		for (size_t k = 0; k < t->n_materials; k++)
			assert_int_not_equal(t->materials[k].expiry, EXPIRY_PREREQUISITE);
		template_free(t);
	}
}

/* 1 when s has a byte outside ASCII (a Chinese alias). */
static int non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* Every template with every region: it resolves, its materials have both
 * titles and aliases in Chinese and in ASCII (English words or pinyin
 * initials) besides the id and title added by the loader, and the
 * per-entity materials are where the issue puts them. */
static void test_shipped_every_region(void **state)
{
	for (size_t i = 0; i < N_SHIPPED; i++)
		for (size_t r = 0; r <= N_REGIONS; r++) {
			const char *region = r < N_REGIONS ? shipped_regions[r] : NULL;
			template *t = resolve_ok(*state, shipped_ids[i], region);
			int staff = 0, shareholder = 0;
			for (size_t k = 0; k < t->n_materials; k++) {
				const material *m = &t->materials[k];
				size_t zh = 0, ascii = 0;
				assert_true(m->title.zh[0] != '\0');
				assert_true(m->title.en[0] != '\0');
				assert_true(non_ascii(m->title.zh));
				for (size_t a = 0; a < m->n_aliases; a++) {
					if (strcmp(m->aliases[a], m->id) == 0 ||
					    strcmp(m->aliases[a], m->title.zh) == 0)
						continue;
					if (non_ascii(m->aliases[a]))
						zh++;
					else
						ascii++;
				}
				if (zh < 1 || ascii < 2)
					print_error("%s/%s: material %s: %zu Chinese and %zu ASCII aliases\n",
						    shipped_ids[i], region ? region : "-", m->id, zh, ascii);
				assert_true(zh >= 1 && ascii >= 2);
				staff += m->per == PER_STAFF;
				shareholder += m->per == PER_SHAREHOLDER;
			}
			/* new applications: staff (ID both sides, social insurance) and
			 * one shareholder-documents per shareholder */
			if (strcmp(t->action, "new") == 0)
				assert_int_equal(staff, 3);
			else
				assert_int_equal(staff, 0);
			/* a change may bring the new shareholders' documents */
			assert_int_equal(shareholder, strcmp(t->action, "new") == 0 || strcmp(t->action, "change") == 0);
			template_free(t);
		}
}

/* A material shared by several templates (through a base, or defined again
 * for a pair of templates or an overlay) means the same everywhere: same
 * files, formats, limits and flags, and the same aliases. Titles and
 * `required` may differ (a patch says "optional here"). */
static int same_material(const material *m, const material *o)
{
	if (m->count_min != o->count_min || m->count_max != o->count_max || m->per != o->per ||
	    m->formats != o->formats || m->max_bytes != o->max_bytes ||
	    m->min_long_edge != o->min_long_edge || m->min_dpi != o->min_dpi ||
	    m->colour != o->colour || m->seal != o->seal || m->watermark != o->watermark ||
	    m->expiry != o->expiry || m->n_roles != o->n_roles)
		return 0;
	/* the aliases written in the JSON (the loader appends the id and the
	 * title, when they are not there already, after them) */
	for (size_t a = 0; a < m->n_aliases; a++) {
		if (strcmp(m->aliases[a], m->id) == 0)
			break;
		if (a >= o->n_aliases || strcmp(m->aliases[a], o->aliases[a]) != 0)
			return 0;
	}
	return 1;
}

static void test_shipped_materials_agree(void **state)
{
	struct seen {
		const material *m;
		const char *where;
	} seen[96];
	template *all[(N_SHIPPED) * (N_REGIONS + 1)];
	size_t n_seen = 0, n_all = 0;

	/* within one region (or none): an overlay may patch a material on
	 * purpose (Shanghai asks for the business licence as a sealed copy) */
	for (size_t r = 0; r <= N_REGIONS; r++) {
		n_seen = 0;
		for (size_t i = 0; i < N_SHIPPED; i++) {
			template *t = resolve_ok(*state, shipped_ids[i], r < N_REGIONS ? shipped_regions[r] : NULL);
			all[n_all++] = t;
			for (size_t k = 0; k < t->n_materials; k++) {
				const material *m = &t->materials[k], *o = NULL;
				size_t s;
				for (s = 0; s < n_seen; s++)
					if (strcmp(seen[s].m->id, m->id) == 0)
						break;
				if (s == n_seen) {
					assert_true(n_seen < sizeof seen / sizeof seen[0]);
					seen[n_seen].m = m;
					seen[n_seen++].where = t->id;
					continue;
				}
				o = seen[s].m;
				if (!same_material(m, o))
					print_error("material %s differs between %s/%s and %s\n", m->id,
						    t->id, t->region ? t->region : "-", seen[s].where);
				assert_true(same_material(m, o));
			}
		}
		assert_true(n_seen > 40);
	}
	for (size_t i = 0; i < n_all; i++)
		template_free(all[i]);
}

static void test_lint_good_new_rules(void **state)
{
	lp_err err = { 0 };
	template_set *set = *state;
	template *t;
	const material *m;

	/* a user's own template with every new key: linted, then resolved */
	assert_int_equal(template_lint_file(set, DATA "/lint/good-new-rules.json", &err), 0);
	{
		char dir[] = "/tmp/test_template_rules_XXXXXX", path[128];
		FILE *in, *out;
		int c;
		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof path, "%s/good.json", dir);
		in = fopen(DATA "/lint/good-new-rules.json", "rb");
		out = fopen(path, "wb");
		assert_non_null(in);
		assert_non_null(out);
		while ((c = getc(in)) != EOF)
			putc(c, out);
		fclose(in);
		assert_int_equal(fclose(out), 0);
		add_dir_ok(set, dir);
		assert_int_equal(unlink(path), 0);
		assert_int_equal(rmdir(dir), 0);
	}
	t = resolve_ok(set, "good-new-rules", NULL);
	assert_int_equal(t->rules.prerequisite_min_valid_days, 365);
	assert_int_equal(t->rules.capital_min_wan_provincial, 100);
	assert_int_equal(t->rules.capital_min_wan_nationwide, 1000);
	assert_int_equal(t->rules.annual_report, 0);
	assert_int_equal(t->rules.change_within_days, 30);
	assert_int_equal(t->rules.staff_min, 3);
	assert_int_equal(t->rules.n_staff_roles, 0);
	assert_strings(t->rules.prerequisite_kinds, t->rules.n_prerequisite_kinds,
		       (const char *const[]){ "callcenter", "multiparty", NULL });
	assert_int_equal(t->rules.prerequisite_nationwide, 1);
	/* the defaults of the keys it does not give */
	assert_int_equal(t->rules.id_card_min_valid_days, 90);
	assert_int_equal(t->rules.licence_renew_before_days, 90);
	assert_int_equal(t->materials[0].expiry, EXPIRY_PREREQUISITE);
	m = &t->materials[1];
	assert_int_equal(m->per, PER_STAFF);
	assert_strings(m->roles, m->n_roles, (const char *const[]){ "contact", "security", "service", NULL });
	template_free(t);
}

/* ------------------------------------------------------------- merging --- */

static void add_dir_ok(template_set *set, const char *dir)
{
	lp_err err = { 0 };
	int r = template_set_add_dir(set, dir, &err);

	if (r != 0)
		print_error("add_dir %s: %s\n", dir, err.en);
	assert_int_equal(r, 0);
}

static void test_extends_patch_remove(void **state)
{
	static const char *const ids[] = { "beta", "gamma", "delta" };
	template_set *set = *state;
	const char *const *list;
	template *t;
	const material *m;

	add_dir_ok(set, DATA "/derived");
	/* the abstract base is not offered */
	assert_int_equal(template_set_ids(set, &list), N_SHIPPED + 2);
	/* sorted among the built-ins: after sp-renewal, before vas-annual */
	assert_string_equal(list[N_SHIPPED - 1], "t-child");
	assert_string_equal(list[N_SHIPPED], "t-grand");
	assert_string_equal(list[N_SHIPPED + 1], "vas-annual");
	assert_false(set_has(set, "t-base"));
	expect_resolve_error(set, "t-base", NULL,
			     "template 't-base' is an abstract base: use one of the templates that extend it");

	t = resolve_ok(set, "t-child", NULL);
	/* alpha removed, beta patched in place, delta appended */
	assert_ids(t, ids, 3);
	assert_string_equal(t->id, "t-child");
	assert_int_equal(t->version, 2);
	assert_string_equal(t->licence, "edi"); /* inherited */
	assert_string_equal(t->action, "new");
	assert_string_equal(t->title.zh, "测试派生");
	assert_string_equal(t->title.en, "Test child");
	assert_string_equal(t->purpose.zh, "仅供测试派生使用");
	assert_string_equal(t->purpose.en, "For Test child only");
	assert_int_equal(t->watermark, 1);
	assert_int_equal(t->rules.id_card_min_valid_days, 60);
	assert_int_equal(t->rules.domain_min_valid_days, 0);
	assert_int_equal(t->rules.licence_renew_before_days, 90);
	/* rules merge key by key; a list given replaces the inherited one */
	assert_int_equal(t->rules.capital_min_wan_provincial, 100);
	assert_int_equal(t->rules.capital_min_wan_nationwide, 1000);
	assert_strings(t->rules.staff_roles, t->rules.n_staff_roles,
		       (const char *const[]){ "service", NULL });
	assert_strings(t->rules.prerequisite_kinds, t->rules.n_prerequisite_kinds,
		       (const char *const[]){ "callcenter", NULL });
	assert_int_equal(t->rules.annual_report, 1);
	assert_int_equal(t->rules.prerequisite_nationwide, 1);
	assert_int_equal(t->rules.prerequisite_min_valid_days, 0);
	assert_int_equal(t->rules.change_within_days, 0);
	assert_int_equal(t->rules.staff_min, 0);
	assert_string_equal(t->origin, DATA "/derived/t-child.json");
	/* concatenated, the page both cite only once */
	assert_int_equal(t->n_sources, 3);
	assert_string_equal(t->sources[0], "base.example");
	assert_string_equal(t->sources[1], "shared.example");
	assert_string_equal(t->sources[2], "child.example");
	assert_string_equal(t->notes, "base notes");

	m = &t->materials[0];
	assert_string_equal(m->title.zh, "乙材料"); /* kept */
	assert_string_equal(m->title.en, "Beta, patched");
	assert_int_equal(m->colour, 1);
	assert_int_equal(m->seal, 1);
	assert_int_equal(m->count_min, 2);
	assert_int_equal(m->count_max, 0);
	assert_int_equal(m->min_dpi, 300);
	assert_int_equal(m->n_aliases, 4);
	assert_string_equal(m->aliases[0], "yi");
	assert_string_equal(m->aliases[1], "b");
	assert_string_equal(m->aliases[2], "beta");
	assert_string_equal(m->aliases[3], "乙材料");

	m = &t->materials[1]; /* untouched, with the defaults it did not set */
	assert_string_equal(m->title.en, "丙材料");
	assert_int_equal(m->required, 1);
	assert_int_equal(m->count_min, 1);
	assert_int_equal(m->count_max, 1);
	assert_int_equal(m->per, PER_STAFF);
	assert_strings(m->roles, m->n_roles, (const char *const[]){ "contact", NULL });
	assert_int_equal(m->expiry, EXPIRY_ID_CARD);
	assert_int_equal(m->formats, FMT_BIT(FMT_PNG));
	assert_int_equal(m->max_bytes, 0);
	assert_int_equal(m->min_long_edge, 0);
	assert_int_equal(m->min_dpi, 0);
	assert_int_equal(m->colour + m->seal + m->watermark, 0);

	m = &t->materials[2];
	assert_int_equal(m->required, 0);
	assert_int_equal(m->formats, FMT_BIT(FMT_PDF) | FMT_BIT(FMT_JPEG));
	assert_int_equal(m->max_bytes, 1000);
	assert_int_equal(m->min_long_edge, 500);
	assert_int_equal(m->watermark, 1);
	assert_int_equal(m->per, PER_NONE);
	assert_int_equal(m->n_roles, 0);
	assert_null(m->roles);
	template_free(t);
}

static void test_chain_and_order(void **state)
{
	static const char *const ids[] = { "epsilon", "gamma", "beta", "delta" };
	template_set *set = *state;
	const char *const *regions;
	template *t;

	add_dir_ok(set, DATA "/derived");
	t = resolve_ok(set, "t-grand", NULL);
	/* `order` puts the listed ones first, the rest keep their order */
	assert_ids(t, ids, 4);
	assert_int_equal(t->version, 3);
	assert_string_equal(t->title.zh, "测试派生"); /* from t-child */
	assert_string_equal(t->action, "new");
	assert_int_equal(t->watermark, 0);
	assert_int_equal(t->rules.id_card_min_valid_days, 30);
	assert_int_equal(t->rules.change_within_days, 30);
	assert_int_equal(t->rules.prerequisite_min_valid_days, 365);
	assert_int_equal(t->rules.annual_report, 0); /* true in t-child, false here */
	assert_int_equal(t->rules.prerequisite_nationwide, 1);
	assert_int_equal(t->rules.capital_min_wan_nationwide, 1000); /* from t-base */
	assert_strings(t->rules.staff_roles, t->rules.n_staff_roles,
		       (const char *const[]){ "service", NULL });
	assert_int_equal(t->materials[0].expiry, EXPIRY_PREREQUISITE);
	/* roles replaced whole by the patch */
	assert_strings(t->materials[1].roles, t->materials[1].n_roles,
		       (const char *const[]){ "security", "service", NULL });
	assert_string_equal(t->notes, ""); /* replaced by an empty one */
	assert_int_equal(template_set_regions(set, "t-grand", &regions), 2);
	assert_string_equal(regions[0], "north");
	assert_string_equal(regions[1], "south");
	template_free(t);
}

static void test_region_overlay(void **state)
{
	static const char *const north[] = { "beta", "gamma", "delta", "north-extra" };
	static const char *const south[] = { "south-extra", "beta", "delta" };
	template_set *set = *state;
	template *t;

	add_dir_ok(set, DATA "/derived");
	/* the base's overlay, then the child's, after the whole template */
	t = resolve_ok(set, "t-child", "north");
	assert_ids(t, north, 4);
	assert_int_equal(t->materials[2].required, 1); /* patched by the child's overlay */
	assert_int_equal(t->watermark, 0);
	assert_int_equal(t->rules.id_card_min_valid_days, 60);
	assert_int_equal(t->rules.domain_min_valid_days, 30);
	assert_int_equal(t->rules.staff_min, 3);
	assert_strings(t->rules.prerequisite_kinds, t->rules.n_prerequisite_kinds,
		       (const char *const[]){ "sp", "multiparty", NULL });
	assert_int_equal(t->rules.prerequisite_nationwide, 1); /* the child's, untouched */
	assert_string_equal(t->region, "north");
	assert_string_equal(t->region_title.zh, "北方");
	assert_string_equal(t->region_title.en, "北方");
	assert_string_equal(t->sources[t->n_sources - 1], "north.example");
	assert_string_equal(t->notes, "base notes\nnorth from base\nnorth from child");
	template_free(t);

	t = resolve_ok(set, "t-child", "south");
	assert_ids(t, south, 3);
	assert_int_equal(t->materials[2].required, 0);
	assert_int_equal(t->watermark, 1);
	assert_int_equal(t->rules.licence_renew_before_days, 120);
	/* false and an empty list replace true and a list */
	assert_int_equal(t->rules.prerequisite_nationwide, 0);
	assert_int_equal(t->rules.n_staff_roles, 0);
	assert_int_equal(t->rules.staff_min, 0); /* north's, not here */
	assert_string_equal(t->region_title.en, "South");
	template_free(t);

	/* a region of the child is not a region of the base's other users */
	expect_resolve_error(set, "icp-renewal", "south",
			     "unknown region 'south' for template 'icp-renewal' " REGIONS_KNOWN);
}

static void test_extends_loop(void **state)
{
	template_set *set = *state;
	const char *const *regions;

	/* loading does not follow `extends`; resolving does */
	add_dir_ok(set, DATA "/loop");
	expect_resolve_error(set, "loop-a", NULL,
			     DATA "/loop/loop-a.json: extends: loop: loop-a -> loop-b -> loop-c -> loop-a");
	expect_resolve_error(set, "loop-b", "anywhere",
			     DATA "/loop/loop-b.json: extends: loop: loop-b -> loop-c -> loop-a -> loop-b");
	expect_resolve_error(set, "self", NULL, DATA "/loop/self.json: extends: loop: self -> self");
	expect_resolve_error(set, "orphan", NULL,
			     DATA "/loop/orphan.json: extends: unknown template 'missing-base'");
	assert_int_equal(template_set_regions(set, "loop-a", &regions), 0);
}

/* ------------------------------------------------------- directories --- */

static void test_add_dir_override(void **state)
{
	template_set *set = *state;
	const char *const *ids;
	template *t;

	/* a trailing slash is fine; .hidden.json (not JSON) and readme.txt are skipped */
	add_dir_ok(set, DATA "/override/");
	assert_int_equal(template_set_ids(set, &ids), N_SHIPPED + 1);
	assert_true(set_has(set, "icp-renewal"));
	assert_true(set_has(set, "local-only"));

	t = resolve_ok(set, "icp-renewal", NULL);
	assert_int_equal(t->version, 7);
	assert_string_equal(t->title.zh, "本地续期模板");
	assert_string_equal(t->origin, DATA "/override/icp-renewal.json");
	/* the built-in base's materials in its order, then its own */
	assert_int_equal(t->n_materials, 7);
	assert_string_equal(t->materials[0].id, "business-license");
	assert_string_equal(t->materials[5].id, "articles-of-association");
	assert_string_equal(t->materials[6].id, "local-extra");
	template_free(t);

	t = resolve_ok(set, "icp-new", NULL);
	assert_string_equal(t->origin, "builtin");
	template_free(t);

	expect_resolve_error(set, "local-only", "jiangsu",
			     "unknown region 'jiangsu' for template 'local-only' (it has no regions)");
}

static void test_add_dir_errors(void **state)
{
	template_set *set = *state;
	const char *const *ids;
	lp_err err;

	/* one bad file: nothing of the directory goes in */
	assert_int_equal(template_set_add_dir(set, DATA "/bad-dir", &err), 2);
	assert_string_equal(err.en, DATA "/bad-dir/b-bad.json: materials[0].sael: unknown key");
	assert_int_equal(template_set_ids(set, &ids), N_SHIPPED);

	assert_int_equal(template_set_add_dir(set, DATA "/dup-dir", &err), 2);
	assert_string_equal(err.en, DATA "/dup-dir/two.json: id: 'dup' is also the id of "
			    DATA "/dup-dir/one.json");
	assert_int_equal(template_set_ids(set, &ids), N_SHIPPED);

	assert_int_equal(template_set_add_dir(set, DATA "/no-such-dir", &err), 3);
	assert_string_equal(err.en, "cannot open directory '" DATA
			    "/no-such-dir': No such file or directory");
}

/* A fresh directory under /tmp with a file of the given size: a template
 * padded with spaces (valid JSON at any size from about 100 bytes). */
static void write_padded(const char *path, size_t size)
{
	static const char head[] =
		"{\"id\": \"padded\", \"version\": 1, \"title\": {\"zh\": \"填充\"},"
		" \"materials\": [{\"id\": \"one\", \"title\": {\"zh\": \"一\"}}]}";
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(head, 1, sizeof head - 1, f), sizeof head - 1);
	for (size_t i = sizeof head - 1; i < size; i++)
		assert_int_not_equal(fputc(' ', f), EOF);
	assert_int_equal(fclose(f), 0);
}

static void test_size_limit_and_dirs(void **state)
{
	template_set *set = *state;
	char dir[] = "/tmp/test_template_XXXXXX";
	char path[128], sub[128], msg[256];
	lp_err err;
	const char *const *ids;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/padded.json", dir);
	snprintf(sub, sizeof sub, "%s/folder.json", dir);

	write_padded(path, MiB);
	assert_int_equal(template_lint_file(set, path, &err), 0);
	/* a directory named *.json is not a template */
	assert_int_equal(mkdir(sub, 0700), 0);
	add_dir_ok(set, dir);
	assert_int_equal(template_set_ids(set, &ids), N_SHIPPED + 1);

	write_padded(path, MiB + 1);
	assert_int_equal(template_lint_file(set, path, &err), 2);
	snprintf(msg, sizeof msg, "%s: file is larger than 1 MiB", path);
	assert_string_equal(err.en, msg);
	assert_int_equal(template_set_add_dir(set, dir, &err), 2);
	assert_string_equal(err.en, msg);

	assert_int_equal(template_lint_file(set, sub, &err), 3);
	snprintf(msg, sizeof msg, "cannot read '%s': not a regular file", sub);
	assert_string_equal(err.en, msg);

	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* --------------------------------------------------------------- lint --- */

struct lint_case {
	const char *file;
	int code;
	const char *msg; /* after "<path>" */
};

static const struct lint_case lint_cases[] = {
	{ "good-minimal.json", 0, NULL },
	/* syntax: line and column (characters) where cJSON stopped */
	{ "syntax-missing-comma.json", 2, ":5:3: JSON syntax error near '\"materials\": []'" },
	{ "syntax-trailing-comma.json", 2, ":7:3: JSON syntax error near ']'" },
	{ "syntax-unterminated.json", 2, ":4:20: JSON syntax error near '未结束'" },
	{ "syntax-trailing-garbage.json", 2, ":2:1: JSON syntax error near '}'" },
	{ "syntax-eof.json", 2, ":5:1: JSON syntax error at end of file" },
	{ "empty.json", 2, ": file is empty" },
	{ "blank.json", 2, ": file holds only white space" },
	{ "not-utf8.json", 2, ":2:22: not valid UTF-8 text (byte 0xe9)" },
	{ "not-object.json", 2, ": expected a JSON object at the top level" },
	/* schema: the field path */
	{ "unknown-key.json", 2, ": materials[2].colr: unknown key" },
	{ "top-unknown-key.json", 2, ": extend: unknown key" },
	{ "duplicate-key.json", 2, ": materials[2].seal: duplicate key" },
	{ "count-min-negative.json", 2, ": materials[2].count.min: expected a whole number >= 0" },
	{ "count-min-fraction.json", 2, ": materials[2].count.min: expected a whole number >= 0" },
	{ "count-max-below-min.json", 2,
	  ": materials[2].count.max: must be 0 (no limit) or at least count.min (3)" },
	{ "huge-max-bytes.json", 2, ": materials[2].max_bytes: too large (at most 9007199254740992)" },
	{ "duplicate-material.json", 2, ": materials[2].id: duplicate material id 'first'" },
	{ "bad-material-id.json", 2,
	  ": materials[2].id: 'Third_Item' is not a valid id (use a-z, 0-9 and '-')" },
	{ "bad-format.json", 2, ": materials[2].formats[1]: unknown format 'webp' (use jpeg, png or pdf)" },
	{ "empty-formats.json", 2, ": materials[2].formats: expected at least one format" },
	{ "bool-wrong-type.json", 2, ": materials[2].colour: expected true or false" },
	{ "bad-per.json", 2, ": materials[2].per: expected one of domain, staff, shareholder, none" },
	{ "bad-expiry.json", 2,
	  ": materials[2].expiry: expected one of id_card, domain, licence, prerequisite, contract, none" },
	{ "expiry-not-string.json", 2,
	  ": materials[2].expiry: expected one of id_card, domain, licence, prerequisite, contract, none" },
	{ "material-roles-string.json", 2, ": materials[2].roles: expected an array" },
	{ "material-roles-unknown.json", 2,
	  ": materials[2].roles[0]: unknown role 'boss' (use contact, security or service)" },
	{ "material-roles-empty-string.json", 2, ": materials[2].roles[0]: expected a non-empty string" },
	{ "duplicate-alias.json", 2, ": materials[2].aliases[2]: duplicate alias 'DiSan'" },
	{ "material-missing-id.json", 2, ": materials[2].id: required key is missing" },
	{ "material-missing-title.json", 2, ": materials[2].title.zh: required key is missing" },
	{ "missing-id.json", 2, ": id: required key is missing" },
	{ "missing-version.json", 2, ": version: required key is missing" },
	{ "version-zero.json", 2, ": version: expected a whole number >= 1" },
	{ "missing-title.json", 2, ": title.zh: required key is missing" },
	{ "missing-materials.json", 2, ": materials: required key is missing" },
	{ "rules-wrong.json", 2, ": rules.id_card_min_valid_days: expected a whole number >= 0" },
	{ "rules-unknown.json", 2, ": rules.domain_min_valid_day: unknown key" },
	{ "rules-not-object.json", 2, ": rules: expected an object" },
	/* the rules that are not files: one bad type each */
	{ "rules-prerequisite-days-negative.json", 2,
	  ": rules.prerequisite_min_valid_days: expected a whole number >= 0" },
	{ "rules-capital-provincial-string.json", 2,
	  ": rules.capital_min_wan_provincial: expected a whole number >= 0" },
	{ "rules-capital-nationwide-fraction.json", 2,
	  ": rules.capital_min_wan_nationwide: expected a whole number >= 0" },
	{ "rules-annual-report-string.json", 2, ": rules.annual_report: expected true or false" },
	{ "rules-change-days-bool.json", 2, ": rules.change_within_days: expected a whole number >= 0" },
	{ "rules-staff-min-null.json", 2, ": rules.staff_min: expected a whole number >= 0" },
	{ "rules-staff-roles-string.json", 2, ": rules.staff_roles: expected an array" },
	{ "rules-staff-roles-unknown.json", 2,
	  ": rules.staff_roles[1]: unknown role 'boss' (use contact, security or service)" },
	{ "rules-staff-roles-duplicate.json", 2, ": rules.staff_roles[2]: duplicate role 'contact'" },
	{ "rules-prerequisite-kinds-object.json", 2, ": rules.prerequisite_kinds: expected an array" },
	{ "rules-prerequisite-kinds-bad-id.json", 2,
	  ": rules.prerequisite_kinds[1]: 'Call Centre' is not a valid id (use a-z, 0-9 and '-')" },
	{ "rules-prerequisite-kinds-duplicate.json", 2, ": rules.prerequisite_kinds[1]: duplicate kind 'sp'" },
	{ "rules-prerequisite-nationwide-number.json", 2,
	  ": rules.prerequisite_nationwide: expected true or false" },
	{ "region-rules-staff-min.json", 2,
	  ": regions.guangdong.rules.staff_min: expected a whole number >= 0" },
	{ "good-new-rules.json", 0, NULL },
	{ "region-unknown-key.json", 2, ": regions.jiangsu.materials[0].sael: unknown key" },
	{ "bad-region-id.json", 2,
	  ": regions.Jiang Su: 'Jiang Su' is not a valid id (use a-z, 0-9 and '-')" },
	/* only the merged result shows these */
	{ "no-materials.json", 2, ": no materials" },
	{ "alias-clash.json", 2, ": alias '身份证' of material 'fourth' also names material 'third'" },
	{ "extends-unknown.json", 2, ": extends: unknown template 'no-such-base'" },
	/* every problem, not the first only: removing 'undertaking' also
	 * breaks the base's hubei overlay, which patches it */
	{ "remove-unknown.json", 2,
	  ": remove[1]: no material 'nope' to remove\nbase-common.json: regions.hubei.materials[0]"
	  ".title.zh: required key is missing (no material 'undertaking' to patch)" },
	{ "order-unknown.json", 2, ": order[1]: no material 'business-licence' to order" },
	{ "patch-needs-title.json", 2,
	  ": materials[1].title.zh: required key is missing (no material 'new-thing' to patch)" },
	{ "count-after-merge.json", 2,
	  ": material 'business-license': count.max 1 is less than count.min 3" },
	{ "region-remove-unknown.json", 2,
	  ": regions.hubei.remove[0]: no material 'undertakings' to remove" },
	{ "material-roles-not-staff.json", 2,
	  ": material 'third': roles given, but it is not \"per\": \"staff\"" },
	{ "region-roles-not-staff.json", 2,
	  ": region hubei: material 'a': roles given, but it is not \"per\": \"staff\"" },
};

static void test_lint_fixtures(void **state)
{
	size_t n = sizeof lint_cases / sizeof lint_cases[0], seen = 0;
	DIR *d;
	struct dirent *e;

	for (size_t i = 0; i < n; i++) {
		const struct lint_case *c = &lint_cases[i];
		char path[300], want[800];
		lp_err err = { 0 };
		int r;
		snprintf(path, sizeof path, DATA "/lint/%s", c->file);
		r = template_lint_file(*state, path, &err);
		if (r != c->code)
			print_error("%s: %s\n", c->file, err.en);
		assert_int_equal(r, c->code);
		if (c->msg) {
			snprintf(want, sizeof want, "%s%s", path, c->msg);
			assert_string_equal(err.en, want);
		}
	}
	/* every fixture in the directory has its case above */
	d = opendir(DATA "/lint");
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t i;
		if (e->d_name[0] == '.')
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(lint_cases[i].file, e->d_name) == 0)
				break;
		if (i == n)
			print_error("no test case for %s\n", e->d_name);
		assert_true(i < n);
		seen++;
	}
	closedir(d);
	assert_int_equal(seen, n);
}

static void test_lint_without_set(void **state)
{
	lp_err err = { 0 };

	(void)state;
	/* bases unknown: a derived file is checked on its own */
	assert_int_equal(template_lint_file(NULL, DATA "/lint/extends-unknown.json", &err), 0);
	assert_int_equal(template_lint_file(NULL, DATA "/lint/remove-unknown.json", &err), 0);
	/* a file without `extends` is still resolved */
	assert_int_equal(template_lint_file(NULL, DATA "/lint/alias-clash.json", &err), 2);
	assert_int_equal(template_lint_file(NULL, DATA "/lint/unknown-key.json", &err), 2);
	assert_string_equal(err.en, DATA "/lint/unknown-key.json: materials[2].colr: unknown key");
	assert_int_equal(template_lint_file(NULL, DATA "/lint/no-such.json", &err), 3);
	assert_string_equal(err.en, "cannot read '" DATA "/lint/no-such.json': No such file or directory");
}

static void test_lint_shipped(void **state)
{
	DIR *d = opendir("templates");
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char path[300];
		lp_err err = { 0 };
		int r;
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof path, "templates/%s", e->d_name);
		r = template_lint_file(*state, path, &err);
		if (r)
			print_error("%s\n", err.en);
		assert_int_equal(r, 0);
		assert_int_equal(template_lint_file(NULL, path, &err), 0);
		n++;
	}
	closedir(d);
	assert_true(n >= 3);
}

/* Errors are values: a code and both languages; no error wanted is fine. */
static void test_error_values(void **state)
{
	lp_err err;
	template *t;

	lp_error_clear(&err);
	assert_int_equal(template_resolve(*state, "nope", NULL, &t, &err), 2);
	assert_int_equal(err.code, LP_E_TPL_UNKNOWN);
	assert_true(strncmp(err.en, "unknown template 'nope' (known: ", 32) == 0);
	assert_true(strncmp(err.zh, "没有模板 'nope'（可用的模板：", strlen("没有模板 'nope'（可用的模板：")) == 0);
	assert_int_equal(template_lint_file(*state, DATA "/lint/empty.json", &err), 2);
	assert_int_equal(err.code, LP_E_TPL_EMPTY);
	assert_string_equal(err.zh, "'" DATA "/lint/empty.json'：文件为空");
	assert_int_equal(template_resolve(*state, "nope", NULL, &t, NULL), 2);
	assert_int_equal(template_lint_file(*state, DATA "/lint/empty.json", NULL), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_builtin_ids, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_icp_renewal_materials, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_icp_renewal_header, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_icp_renewal_aliases, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_icp_renewal_jiangsu, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_icp_renewal_guangdong, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_regions_other, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_icp_new, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_rules, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_prerequisites, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_every_region, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_materials_agree, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_lint_good_new_rules, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_id_and_region, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_extends_patch_remove, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_chain_and_order, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_region_overlay, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_extends_loop, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_add_dir_override, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_add_dir_errors, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_size_limit_and_dirs, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_lint_fixtures, template_set_setup, template_set_teardown),
		cmocka_unit_test(test_lint_without_set),
		cmocka_unit_test_setup_teardown(test_lint_shipped, template_set_setup, template_set_teardown),
		cmocka_unit_test_setup_teardown(test_error_values, template_set_setup, template_set_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
