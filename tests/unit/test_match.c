/*
 * test_match: which material a path is, and why (packet/match.h, SPEC §3).
 *
 * The template here is made in the test, not read from templates/, so that
 * what is tested is the matching rule and not today's aliases: a sub-folder
 * naming a material (the top-most one) before the file name; in a name, the
 * longest alias wins and an equal-length tie between two materials is an
 * ambiguity naming both; a per-domain material by the domain in the name,
 * or by a name that is only a domain; a named staff member's or
 * shareholder's own materials before the ordinary ones; nothing matched is
 * "none". Each case states every member of the match_result.
 *
 * test_check_folder then runs the whole check over a folder with a template
 * of the test's own (--templates): which files it keeps, for which material,
 * by which rule and in which order, what it lists as unrecognised, and the
 * ambiguity reported naming both materials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tests/unit/support.h"

#include "packet/check.h"
#include "packet/ident.h"
#include "packet/match.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The test template's materials: id, Chinese title, aliases, per kind. */
static const struct {
	const char *id, *zh;
	const char *aliases[4];
	per_kind per;
} MATERIALS[] = {
	{ "business-license", "营业执照副本", { "营业执照", "yyzz" }, PER_NONE },
	{ "legal-rep-id-portrait", "法定代表人身份证人像面", { "身份证人像面", "人像面" }, PER_NONE },
	{ "legal-rep-id-emblem", "法定代表人身份证国徽面", { "身份证国徽面", "国徽面" }, PER_NONE },
	{ "domain-certificate", "域名证书", { "ymzs" }, PER_DOMAIN },
	{ "current-licence", "现有许可证", { "许可证", "xkz" }, PER_NONE },
	{ "commitment", "承诺书", { "cns" }, PER_NONE },
	{ "security-commitment", "信息安全承诺书", { "xxaq" }, PER_NONE },
	{ "application", "申请", { NULL }, PER_NONE },
	{ "form", "表格", { NULL }, PER_NONE },
	{ "staff-id-portrait", "人员身份证人像面", { "身份证人像面" }, PER_STAFF },
	{ "shareholder-license", "股东营业执照", { "营业执照" }, PER_SHAREHOLDER },
};

static const char *const DOMAINS[] = { "example.com", "example.org" };
static const char *const STAFF[] = { "李四", "王五" };
static const char *const HOLDERS[] = { "示例控股有限公司" };

typedef struct {
	template t;
	material mats[COUNT(MATERIALS)];
	matcher *m;
} match_fixture;

static int setup(void **state)
{
	match_fixture *fx = calloc(1, sizeof *fx);

	assert_non_null(fx);
	for (size_t i = 0; i < COUNT(MATERIALS); i++) {
		material *mat = &fx->mats[i];
		mat->id = (char *)MATERIALS[i].id;
		mat->title.zh = (char *)MATERIALS[i].zh;
		mat->title.en = (char *)MATERIALS[i].id;
		mat->aliases = (char **)MATERIALS[i].aliases;
		while (mat->n_aliases < 4 && MATERIALS[i].aliases[mat->n_aliases] != NULL)
			mat->n_aliases++;
		mat->per = MATERIALS[i].per;
		mat->count_min = 1;
	}
	fx->t.id = "test";
	fx->t.materials = fx->mats;
	fx->t.n_materials = COUNT(MATERIALS);
	fx->m = matcher_new(&fx->t, DOMAINS, COUNT(DOMAINS));
	assert_non_null(fx->m);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	match_fixture *fx = *state;

	matcher_free(fx->m);
	free(fx);
	return 0;
}

/* One path and everything its match must say: the material's id (NULL:
 * none), the other material of a tie, the domain, the person, how. */
typedef struct {
	const char *rel;
	const char *material, *ambiguous_with;
	int domain, entity;
	const char *how;
} match_case;

static const char *id_of(const match_fixture *fx, int i)
{
	return i < 0 ? "(none)" : fx->mats[i].id;
}

static void expect(const match_fixture *fx, const matcher *m, const match_case *c)
{
	match_result r;
	char got[512], want[512];

	assert_int_equal(matcher_match(m, c->rel, &r), 0);
	snprintf(got, sizeof got, "%s: %s, tie %s, domain %d, entity %d, by %s", c->rel,
		 id_of(fx, r.material), id_of(fx, r.ambiguous_with), r.domain, r.entity,
		 match_how_name(r.how));
	snprintf(want, sizeof want, "%s: %s, tie %s, domain %d, entity %d, by %s", c->rel,
		 c->material ? c->material : "(none)", c->ambiguous_with ? c->ambiguous_with : "(none)",
		 c->domain, c->entity, c->how);
	assert_string_equal(got, want);
}

static void expect_all(const match_fixture *fx, const matcher *m, const match_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect(fx, m, &cases[i]);
}

/* The file name: an alias (or the id, or the Chinese title) in the stem,
 * after normalisation (case, decorations, separators); the extension does
 * not count; no alias, no material. */
static void test_by_name(void **state)
{
	const match_fixture *fx = *state;
	static const match_case cases[] = {
		{ "营业执照.jpg", "business-license", NULL, -1, -1, "name" },
		{ "01_营业执照（盖章）.jpg", "business-license", NULL, -1, -1, "name" },
		{ "YYZZ.PNG", "business-license", NULL, -1, -1, "name" },
		{ "Business-License.pdf", "business-license", NULL, -1, -1, "name" },
		{ "营业执照副本.jpg", "business-license", NULL, -1, -1, "name" },
		{ "身份证国徽面.jpg", "legal-rep-id-emblem", NULL, -1, -1, "name" },
		{ "scan_人像面_2.jpg", "legal-rep-id-portrait", NULL, -1, -1, "name" },
		{ "IMG_2041.jpg", NULL, NULL, -1, -1, "none" },
		{ "scans/IMG_2041.jpg", NULL, NULL, -1, -1, "none" },
		{ "xkz.营业执照", "current-licence", NULL, -1, -1, "name" },
	};
	expect_all(fx, fx->m, cases, COUNT(cases));
}

/* The longest alias wins, by characters; two materials' aliases of the
 * same length are a tie: the first material in template order, the other
 * named. */
static void test_longest_and_ties(void **state)
{
	const match_fixture *fx = *state;
	static const match_case cases[] = {
		{ "信息安全承诺书.jpg", "security-commitment", NULL, -1, -1, "name" },
		{ "承诺书.jpg", "commitment", NULL, -1, -1, "name" },
		{ "法定代表人身份证人像面.jpg", "legal-rep-id-portrait", NULL, -1, -1, "name" },
		{ "申请表格.jpg", "application", "form", -1, -1, "name" },
		{ "表格申请.jpg", "application", "form", -1, -1, "name" },
		/* a longer alias of a third material settles it */
		{ "申请表格_营业执照.jpg", "business-license", NULL, -1, -1, "name" },
	};
	expect_all(fx, fx->m, cases, COUNT(cases));
}

/* A sub-folder that names a material decides, before the file name; the
 * top-most such folder; folders naming nothing are passed over. */
static void test_by_folder(void **state)
{
	const match_fixture *fx = *state;
	static const match_case cases[] = {
		{ "现有许可证/p1.jpg", "current-licence", NULL, -1, -1, "folder" },
		{ "营业执照/身份证人像面.jpg", "business-license", NULL, -1, -1, "folder" },
		{ "scans/现有许可证/营业执照/x.jpg", "current-licence", NULL, -1, -1, "folder" },
		{ "scans/2024/营业执照.jpg", "business-license", NULL, -1, -1, "name" },
		{ "申请表格/a.jpg", "application", "form", -1, -1, "folder" },
	};
	expect_all(fx, fx->m, cases, COUNT(cases));
}

/* Domains: found in the path whole (not inside a longer name), any case;
 * a name holding only a domain is the per-domain material. */
static void test_domains(void **state)
{
	const match_fixture *fx = *state;
	static const match_case cases[] = {
		{ "域名证书_example.com.jpg", "domain-certificate", NULL, 0, -1, "name" },
		{ "域名证书_example.org.jpg", "domain-certificate", NULL, 1, -1, "name" },
		{ "example.org.jpg", "domain-certificate", NULL, 1, -1, "domain" },
		{ "Example.COM.png", "domain-certificate", NULL, 0, -1, "domain" },
		{ "example.com/证书.jpg", "domain-certificate", NULL, 0, -1, "domain" },
		{ "myexample.com.jpg", NULL, NULL, -1, -1, "none" },
		{ "域名证书.jpg", "domain-certificate", NULL, -1, -1, "name" },
		/* a domain in another material's name is recorded, not used */
		{ "营业执照_example.com.jpg", "business-license", NULL, 0, -1, "name" },
	};
	expect_all(fx, fx->m, cases, COUNT(cases));
	assert_int_equal(matcher_domain(fx->m, "证书example.com.jpg"), 0);
	assert_int_equal(matcher_domain(fx->m, "sub/EXAMPLE.ORG/x.jpg"), 1);
	assert_int_equal(matcher_domain(fx->m, "example.net.jpg"), -1);
}

/* A named staff member or shareholder: that kind's materials first, with
 * the person's index; the ordinary materials when none of those fits. */
static void test_people(void **state)
{
	const match_fixture *fx = *state;
	static const match_case without[] = {
		{ "李四_身份证人像面.jpg", "legal-rep-id-portrait", NULL, -1, -1, "name" },
	};
	static const match_case cases[] = {
		{ "李四_身份证人像面.jpg", "staff-id-portrait", NULL, -1, 0, "name" },
		{ "王五/身份证人像面.jpg", "staff-id-portrait", NULL, -1, 1, "name" },
		{ "身份证人像面.jpg", "legal-rep-id-portrait", NULL, -1, -1, "name" },
		{ "李四_身份证国徽面.jpg", "legal-rep-id-emblem", NULL, -1, -1, "name" },
		{ "示例控股有限公司_营业执照.jpg", "shareholder-license", NULL, -1, 0, "name" },
		{ "营业执照.jpg", "business-license", NULL, -1, -1, "name" },
	};

	expect_all(fx, fx->m, without, COUNT(without));
	assert_int_equal(matcher_set_entities(fx->m, PER_STAFF, STAFF, COUNT(STAFF)), 0);
	assert_int_equal(matcher_set_entities(fx->m, PER_SHAREHOLDER, HOLDERS, COUNT(HOLDERS)), 0);
	expect_all(fx, fx->m, cases, COUNT(cases));
	assert_int_equal(matcher_entity(fx->m, PER_STAFF, "x/王五_p1.jpg"), 1);
	assert_int_equal(matcher_entity(fx->m, PER_STAFF, "张三.jpg"), -1);
	assert_int_equal(matcher_entity(fx->m, PER_SHAREHOLDER, "示例控股有限公司.pdf"), 0);
	assert_int_equal(matcher_entity(fx->m, PER_DOMAIN, "李四.jpg"), -1);
}

/* Without domains, nothing is matched by domain. */
static void test_no_domains(void **state)
{
	const match_fixture *fx = *state;
	matcher *m = matcher_new(&fx->t, NULL, 0);
	static const match_case cases[] = {
		{ "example.com.jpg", NULL, NULL, -1, -1, "none" },
		{ "域名证书_example.com.jpg", "domain-certificate", NULL, -1, -1, "name" },
	};

	assert_non_null(m);
	expect_all(fx, m, cases, COUNT(cases));
	matcher_free(m);
}

static void test_how_names(void **state)
{
	(void)state;
	assert_string_equal(match_how_name(HOW_ASSIGNED), "packet.json");
	assert_string_equal(match_how_name(HOW_FOLDER), "folder");
	assert_string_equal(match_how_name(HOW_NAME), "name");
	assert_string_equal(match_how_name(HOW_DOMAIN), "domain");
	assert_string_equal(match_how_name(HOW_NONE), "none");
}

static const char TEMPLATE_JSON[] =
	"{\"id\": \"match-test\", \"version\": 1, \"licence\": \"icp\", \"action\": \"new\",\n"
	" \"title\": {\"zh\": \"匹配测试\", \"en\": \"Match test\"},\n"
	" \"purpose\": {\"zh\": \"仅供测试\", \"en\": \"Test only\"},\n"
	" \"materials\": [\n"
	"  {\"id\": \"business-license\", \"title\": {\"zh\": \"营业执照副本\", \"en\": \"Business licence\"},\n"
	"   \"aliases\": [\"营业执照\"], \"count\": {\"min\": 1, \"max\": 1}, \"formats\": [\"jpeg\"]},\n"
	"  {\"id\": \"current-licence\", \"title\": {\"zh\": \"现有许可证\", \"en\": \"Current licence\"},\n"
	"   \"aliases\": [\"许可证\"], \"count\": {\"min\": 1, \"max\": 0}, \"formats\": [\"jpeg\"]},\n"
	"  {\"id\": \"application\", \"title\": {\"zh\": \"申请\", \"en\": \"Application\"},\n"
	"   \"count\": {\"min\": 0, \"max\": 1}, \"formats\": [\"jpeg\"]},\n"
	"  {\"id\": \"form\", \"title\": {\"zh\": \"表格\", \"en\": \"Form\"},\n"
	"   \"count\": {\"min\": 0, \"max\": 1}, \"formats\": [\"jpeg\"]},\n"
	"  {\"id\": \"commitment\", \"title\": {\"zh\": \"承诺书\", \"en\": \"Commitment\"},\n"
	"   \"count\": {\"min\": 0, \"max\": 1}, \"formats\": [\"jpeg\"]}\n"
	" ]}\n";

/* The whole check: files kept in packet order (material, then natural
 * order) with their rule and position; an assignment in packet.json before
 * any name; unrecognised files listed; an ambiguous name reported with both
 * materials and left out; hidden files and packet.json never seen. */
static void test_check_folder(void **state)
{
	packet_fixture *fx = packet_fixture_new("match");
	char *tdir = xstrdupf("%s/templates", fx->dir);
	lp_err err;
	static const char *const files[] = { "营业执照.jpg", "现有许可证/p10.jpg", "现有许可证/p2.jpg",
					     "申请表格.jpg", "IMG_1.jpg", "scans/承诺书.jpg", "scans/IMG_2.jpg",
					     ".hidden_营业执照.jpg" };
	char *got = xstrdupf("%s", ""), *more;
	check_options opt;
	check_result r;
	long today;

	(void)state;
	assert_int_equal(mkdir(tdir, 0700), 0);
	{
		char *path = xstrdupf("%s/match-test.json", tdir);
		write_file(path, TEMPLATE_JSON, strlen(TEMPLATE_JSON));
		free(path);
	}
	if (template_set_add_dir(fx->set, tdir, &err) != 0)
		fail_msg("template_set_add_dir: %s", err.en);
	for (size_t i = 0; i < COUNT(files); i++) {
		char *path = xstrdupf("%s/%s", fx->in, files[i]), *slash = strrchr(path, '/');
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
		write_file(path, "x", 1);
		free(path);
	}
	{
		static const char pj[] = "{\"template\": \"match-test\", \"company\": {\"name\": \"测试\"},\n"
					 " \"files\": {\"commitment\": [\"scans/IMG_2.jpg\"]}}\n";
		char *path = xstrdupf("%s/packet.json", fx->in);
		write_file(path, pj, strlen(pj));
		free(path);
	}
	check_options_init(&opt);
	assert_int_equal(date_parse("2026-11-28", &today), 0);
	opt.today = today;
	if (check_folder(fx->set, fx->in, &opt, &r, &err) != LP_EXIT_OK)
		fail_msg("check_folder: %s", err.en);
	for (size_t i = 0; i < r.n_files; i++) {
		more = xstrdupf("%s%s: %s #%d by %s\n", got, r.files[i].rel,
				r.tpl->materials[r.files[i].material].id, r.files[i].k,
				match_how_name(r.files[i].how));
		free(got);
		got = more;
	}
	for (size_t i = 0; i < r.n_unrecognized; i++) {
		more = xstrdupf("%sunrecognized: %s\n", got, r.unrecognized[i]);
		free(got);
		got = more;
	}
	for (size_t i = 0; i < r.findings.n; i++) {
		const finding *f = &r.findings.v[i];
		if (strcmp(f->code, "ambiguous") != 0 && strcmp(f->code, "unrecognized") != 0)
			continue;
		more = xstrdupf("%s%s %s %s\n", got, f->code, f->sev == SEV_ERROR ? "error" : "warning", f->file);
		free(got);
		got = more;
		/* the ambiguity names both materials, by id and by Chinese title */
		if (strcmp(f->code, "ambiguous") == 0) {
			assert_non_null(strstr(f->msg_en, "'application' and 'form'"));
			assert_non_null(strstr(f->msg_zh, "“申请”和“表格”"));
		}
	}
	assert_string_equal(got,
			    "营业执照.jpg: business-license #1 by name\n"
			    "现有许可证/p2.jpg: current-licence #1 by folder\n"
			    "现有许可证/p10.jpg: current-licence #2 by folder\n"
			    "scans/IMG_2.jpg: commitment #1 by packet.json\n"
			    "scans/承诺书.jpg: commitment #2 by name\n"
			    "unrecognized: IMG_1.jpg\n"
			    "unrecognized warning IMG_1.jpg\n"
			    "ambiguous warning 申请表格.jpg\n");
	free(got);
	check_result_release(&r);
	free(tdir);
	packet_fixture_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_longest_and_ties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_people, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_domains, setup, teardown),
		cmocka_unit_test(test_how_names),
		cmocka_unit_test(test_check_folder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
