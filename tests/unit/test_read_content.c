/*
 * test_read_content: the content findings (packet/read_content.c) follow
 * each material's `read` key in the templates, not a table in the code.
 *
 * A check_result is made by hand around a resolved template, with one
 * checked file whose read values are set (no recognition runs): the
 * shipped icp-new, then a user template in a --templates folder that
 * patches those materials (a 30-day window for the application form,
 * `"read": false` on the undertaking, the business licence not the
 * applicant's own), and the findings change as the templates say.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/ident.h"
#include "packet/read_check.h"

/* A template like icp-new, whose materials' `read` keys a user changed. */
static const char user_template[] =
	"{\"id\": \"my-icp-new\", \"version\": 1, \"extends\": \"icp-new\",\n"
	" \"title\": {\"zh\": \"自定义\", \"en\": \"Custom\"},\n"
	" \"materials\": [\n"
	"  {\"id\": \"application-form\", \"read\": {\"as\": \"signed-form\", \"signed_within_days\": 30}},\n"
	"  {\"id\": \"undertaking\", \"read\": false},\n"
	"  {\"id\": \"business-license\", \"read\": {\"as\": \"business-licence\", \"own\": false}}\n"
	" ]}\n";

typedef struct {
	template_set *set;
	char dir[64];
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	char path[128];
	lp_err err;
	FILE *f;

	if (!fx)
		return -1;
	*state = fx;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/test_read_content.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(path, sizeof path, "%s/my-icp-new.json", fx->dir);
	if (!(f = fopen(path, "w")))
		return -1;
	fputs(user_template, f);
	fclose(f);
	if (template_set_new(&fx->set, &err) != 0 ||
	    template_set_add_dir(fx->set, fx->dir, &err) != 0) {
		print_error("templates: %s\n", err.en);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	char path[128];

	snprintf(path, sizeof path, "%s/my-icp-new.json", fx->dir);
	unlink(path);
	rmdir(fx->dir);
	template_set_free(fx->set);
	free(fx);
	return 0;
}

/* The findings, one "code|material|file|message" a line, on a file of
 * material mid (template tpl_id) whose read is fr; today 2026-11-28. */
static char *findings_for(const fixture *fx, const char *tpl_id, const char *mid, const struct file_read *fr)
{
	check_result r;
	checked_file f;
	struct file_read copy = *fr;
	struct read_setup s;
	char *out = NULL;
	lp_err err;
	size_t len = 0;
	long today = 0;
	FILE *m;

	memset(&r, 0, sizeof r);
	memset(&f, 0, sizeof f);
	memset(&s, 0, sizeof s);
	assert_int_equal(template_resolve(fx->set, tpl_id, NULL, &r.tpl, &err), 0);
	assert_non_null(template_material(r.tpl, mid));
	r.app.company_uscc = (char *)"91110108MA01ABCDEN";
	f.rel = (char *)"scan.jpg";
	f.material = (int)(template_material(r.tpl, mid) - r.tpl->materials);
	f.entity = -1;
	f.read = &copy;
	r.files = &f;
	r.n_files = 1;
	assert_int_equal(date_parse("2026-11-28", &today), 0);
	assert_int_equal(read_content_findings(&r, &f, &s, today), 0);
	m = open_memstream(&out, &len);
	assert_non_null(m);
	for (size_t i = 0; i < r.findings.n; i++)
		fprintf(m, "%s|%s|%s|%s\n", r.findings.v[i].code, r.findings.v[i].material, r.findings.v[i].file,
			r.findings.v[i].msg_en);
	fclose(m);
	findings_release(&r.findings);
	template_free(r.tpl);
	return out;
}

static struct file_read form_signed(const char *date)
{
	struct file_read fr;

	memset(&fr, 0, sizeof fr);
	fr.status = READ_PAGE_OK;
	fr.confidence = 90;
	fr.fields.kind = READ_DOC_SIGNED_FORM;
	snprintf(fr.fields.signed_date, sizeof fr.fields.signed_date, "%s", date);
	return fr;
}

static void expect(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

/* got is the one signed-too-early finding on a form of material mid. */
static void expect_early(char *got, const char *mid, const char *date, int ago, int window)
{
	char want[512];

	snprintf(want, sizeof want,
		 "signed-too-early|%s|scan.jpg|'scan.jpg': signed %s, %d days before the build date; a form for this "
		 "application may be at most %d days old\n", mid, date, ago, window);
	expect(got, want);
}

/* The window is the template's: 10 days in icp-new, 30 in the user's. */
static void test_signed_window(void **state)
{
	fixture *fx = *state;
	struct file_read fr = form_signed("2026-11-02");

	expect_early(findings_for(fx, "icp-new", "application-form", &fr), "application-form", "2026-11-02", 26, 10);
	expect(findings_for(fx, "my-icp-new", "application-form", &fr), "");
	fr = form_signed("2026-10-20");
	expect_early(findings_for(fx, "my-icp-new", "application-form", &fr), "application-form", "2026-10-20", 39, 30);
	/* a form with a window must show its date; the contract has none */
	fr = form_signed("");
	expect(findings_for(fx, "icp-new", "application-form", &fr),
	       "content-unconfirmed|application-form|scan.jpg|'scan.jpg': its signature date could not be read; "
	       "check it by eye\n");
	expect(findings_for(fx, "icp-new", "hosting-contract", &fr), "");
	fr = form_signed("2026-01-02");
	expect(findings_for(fx, "icp-new", "hosting-contract", &fr), "");
}

/* "read": false: nothing is expected of the undertaking any more. */
static void test_read_removed(void **state)
{
	fixture *fx = *state;
	struct file_read fr = form_signed("2026-11-02");

	expect_early(findings_for(fx, "icp-new", "undertaking", &fr), "undertaking", "2026-11-02", 26, 10);
	expect(findings_for(fx, "my-icp-new", "undertaking", &fr), "");
	/* nor is it any document in particular: an ID card under its name is
	 * not a wrong document */
	fr.fields.kind = READ_DOC_ID_PORTRAIT;
	expect(findings_for(fx, "my-icp-new", "undertaking", &fr), "");
}

/* "own": whose values are compared with packet.json. */
static void test_own(void **state)
{
	fixture *fx = *state;
	struct file_read fr;

	memset(&fr, 0, sizeof fr);
	fr.status = READ_PAGE_OK;
	fr.confidence = 90;
	fr.fields.kind = READ_DOC_BUSINESS_LICENCE;
	snprintf(fr.fields.uscc, sizeof fr.fields.uscc, "91350200776049653A");
	expect(findings_for(fx, "icp-new", "business-license", &fr),
	       "content-mismatch|business-license|scan.jpg|'scan.jpg': the licence's 统一社会信用代码 is "
	       "91350200776049653A, packet.json says 91110108MA01ABCDEN: the business licence of another company?\n");
	expect(findings_for(fx, "icp-new", "hosting-provider-business-license", &fr), "");
	expect(findings_for(fx, "my-icp-new", "business-license", &fr), "");
	/* an ID card named as a business licence is the wrong document either way */
	fr.fields.kind = READ_DOC_ID_EMBLEM;
	expect(findings_for(fx, "my-icp-new", "business-license", &fr),
	       "wrong-document|business-license|scan.jpg|'scan.jpg': named as a business licence but reads as an "
	       "ID card's emblem side\n");
}

/* What an unnamed file is taken for: the template's own material of that
 * kind, not per staff, and none when no material declares it as its own. */
static void test_kind_material(void **state)
{
	fixture *fx = *state;
	template *t = NULL, *u = NULL;
	lp_err err;

	assert_int_equal(template_resolve(fx->set, "icp-new", NULL, &t, &err), 0);
	assert_int_equal(template_resolve(fx->set, "my-icp-new", NULL, &u, &err), 0);
	assert_string_equal(read_kind_material(t, READ_DOC_BUSINESS_LICENCE)->id, "business-license");
	assert_string_equal(read_kind_material(t, READ_DOC_ID_PORTRAIT)->id, "legal-rep-id-portrait");
	assert_string_equal(read_kind_material(t, READ_DOC_ID_EMBLEM)->id, "legal-rep-id-emblem");
	assert_string_equal(read_kind_material(t, READ_DOC_DOMAIN_CERT)->id, "domain-certificate");
	assert_null(read_kind_material(t, READ_DOC_LICENCE)); /* a new application has none */
	assert_null(read_kind_material(t, READ_DOC_SIGNED_FORM));
	assert_null(read_kind_material(t, READ_DOC_UNKNOWN));
	/* the user's business licence is not the applicant's own, and the
	 * hosting provider's never was */
	assert_null(read_kind_material(u, READ_DOC_BUSINESS_LICENCE));
	template_free(t);
	template_free(u);
}

/* The shipped templates, with every region: the materials the reading
 * work had in its table keep exactly what it said (the application
 * forms under other ids have the 10-day window too); nothing else is read
 * as a particular document. */
static const struct {
	const char *material;
	read_doc_kind as;
	int own, days;
} shipped[] = {
	{ "business-license", READ_DOC_BUSINESS_LICENCE, 1, 0 },
	{ "hosting-provider-business-license", READ_DOC_BUSINESS_LICENCE, 0, 0 },
	{ "legal-rep-id-portrait", READ_DOC_ID_PORTRAIT, 1, 0 },
	{ "legal-rep-id-emblem", READ_DOC_ID_EMBLEM, 1, 0 },
	{ "staff-id-portrait", READ_DOC_ID_PORTRAIT, 1, 0 },
	{ "staff-id-emblem", READ_DOC_ID_EMBLEM, 1, 0 },
	{ "domain-certificate", READ_DOC_DOMAIN_CERT, 1, 0 },
	{ "current-licence", READ_DOC_LICENCE, 1, 0 },
	{ "application-form", READ_DOC_SIGNED_FORM, 1, 10 },
	{ "undertaking", READ_DOC_SIGNED_FORM, 1, 10 },
	{ "authenticity-declaration", READ_DOC_SIGNED_FORM, 1, 10 },
	{ "shareholder-resolution", READ_DOC_SIGNED_FORM, 1, 0 },
	{ "hosting-contract", READ_DOC_SIGNED_FORM, 1, 0 },
	{ "renewal-application", READ_DOC_SIGNED_FORM, 1, 10 },
	{ "change-application", READ_DOC_SIGNED_FORM, 1, 10 },
	{ "website-change-form", READ_DOC_SIGNED_FORM, 1, 10 },
	{ "number-application-form", READ_DOC_SIGNED_FORM, 1, 10 },
	{ "no-dishonesty-declaration", READ_DOC_SIGNED_FORM, 1, 10 },
};

static void check_shipped(const template *t)
{
	for (size_t i = 0; i < t->n_materials; i++) {
		const material *m = &t->materials[i];
		size_t k;
		for (k = 0; k < sizeof shipped / sizeof shipped[0]; k++)
			if (strcmp(shipped[k].material, m->id) == 0)
				break;
		if (k == sizeof shipped / sizeof shipped[0]) {
			if (m->read.as != READ_DOC_UNKNOWN)
				fail_msg("%s %s: %s read as %s", t->id, t->region ? t->region : "", m->id,
					 template_read_name(m->read.as));
			continue;
		}
		if (m->read.as != shipped[k].as || m->read.own != shipped[k].own ||
		    m->read.signed_within_days != shipped[k].days)
			fail_msg("%s %s: %s read as %s own %d within %d", t->id, t->region ? t->region : "", m->id,
				 template_read_name(m->read.as), m->read.own, m->read.signed_within_days);
	}
}

static void test_shipped(void **state)
{
	fixture *fx = *state;
	const char *const *ids, *const *regions;
	size_t n = template_set_ids(fx->set, &ids), seen = 0;
	lp_err err;

	for (size_t i = 0; i < n; i++) {
		size_t n_regions = template_set_regions(fx->set, ids[i], &regions);
		for (size_t r = 0; r <= n_regions; r++) {
			template *t = NULL;
			assert_int_equal(template_resolve(fx->set, ids[i], r ? regions[r - 1] : NULL, &t, &err), 0);
			if (strcmp(t->origin, "builtin") == 0)
				check_shipped(t);
			seen += template_material(t, "authenticity-declaration") != NULL;
			template_free(t);
		}
	}
	assert_true(seen > 0); /* Hubei's overlay was among them */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_window),
		cmocka_unit_test(test_read_removed),
		cmocka_unit_test(test_own),
		cmocka_unit_test(test_kind_material),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
