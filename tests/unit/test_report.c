/*
 * test_report: the text and JSON reports of a check (packet/report.h), line
 * for line and member for member.
 *
 * The check result is made in memory (support's made_check: a template of
 * five materials, four files, one finding of each kind of outcome), so that
 * what is tested is the report's rendering: a mark per material in template
 * order (✓ complete, ! warnings only, ✗ missing or invalid, - optional and
 * absent), its files with format and size, its findings, then the findings
 * of no material under "Other:", the totals and the hint to `licpack
 * explain`; in English and in Chinese, with and without colour. The JSON is
 * compared after cJSON reads it back and writes it compactly: every member,
 * in order, and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "tests/unit/support.h"

#include "packet/report.h"

static void assert_text(const check_result *r, lp_lang lang, int colour, const char *expected)
{
	char *got = report_text(r, "acme", lang, colour);

	assert_non_null(got);
	assert_string_equal(got, expected);
	free(got);
}

static void test_text_en(void **state)
{
	const made_check *mc = *state;

	assert_text(&mc->r, LANG_EN, 0,
		    "acme — Test licence renewal (test-renewal v3)\n"
		    "Applicant: 测试网络科技有限公司\n"
		    "! Business licence (business-license)\n"
		    "    营业执照.jpg  jpeg 2480x3508\n"
		    "    ! low-dpi: '营业执照.jpg': 150 dpi\n"
		    "✓ Domain certificate (domain-certificate)\n"
		    "    域名证书_example.com.png  png 1200x900\n"
		    "✗ Current licence (current-licence)\n"
		    "    现有许可证/p1.pdf  pdf 2 pages\n"
		    "    现有许可证/p2.jpg  jpeg 800x600\n"
		    "    ✗ corrupt: '现有许可证/p1.pdf': damaged\n"
		    "- Commitment letter (commitment, optional)\n"
		    "✗ Security plan (security-plan)\n"
		    "    ✗ missing: no Security plan\n"
		    "Other:\n"
		    "    ! unrecognized: 'IMG_1.jpg': not recognised\n"
		    "incomplete: 2 errors, 2 warnings\n"
		    "what each code means and how to fix it: licpack explain CODE (e.g. licpack explain greyscale)\n");
}

static void test_text_zh(void **state)
{
	const made_check *mc = *state;

	assert_text(&mc->r, LANG_ZH, 0,
		    "acme — 测试许可证续期 (test-renewal v3)\n"
		    "申请单位：测试网络科技有限公司\n"
		    "! 营业执照副本 (business-license)\n"
		    "    营业执照.jpg  jpeg 2480x3508\n"
		    "    ! low-dpi: “营业执照.jpg”：150 dpi\n"
		    "✓ 域名证书 (domain-certificate)\n"
		    "    域名证书_example.com.png  png 1200x900\n"
		    "✗ 现有许可证 (current-licence)\n"
		    "    现有许可证/p1.pdf  pdf 2 页\n"
		    "    现有许可证/p2.jpg  jpeg 800x600\n"
		    "    ✗ corrupt: “现有许可证/p1.pdf”已损坏\n"
		    "- 承诺书 (commitment，可选)\n"
		    "✗ 信息安全方案 (security-plan)\n"
		    "    ✗ missing: 缺少信息安全方案\n"
		    "其他：\n"
		    "    ! unrecognized: “IMG_1.jpg”：无法识别\n"
		    "材料不全：2 个错误，2 个警告\n"
		    "各问题的含义和处理方法：licpack explain 代码（如 licpack explain greyscale）\n");
}

/* Colour: the marks and codes in red (errors), yellow (warnings), green
 * (complete), dim (optional, ids); the folder bold; nothing else changes. */
static void test_text_colour(void **state)
{
	const made_check *mc = *state;

	assert_text(&mc->r, LANG_EN, 1,
		    "\033[1macme\033[0m — Test licence renewal (test-renewal v3)\n"
		    "Applicant: 测试网络科技有限公司\n"
		    "\033[33m!\033[0m Business licence \033[2m(business-license)\033[0m\n"
		    "    营业执照.jpg  jpeg 2480x3508\n"
		    "    \033[33m! low-dpi\033[0m: '营业执照.jpg': 150 dpi\n"
		    "\033[32m✓\033[0m Domain certificate \033[2m(domain-certificate)\033[0m\n"
		    "    域名证书_example.com.png  png 1200x900\n"
		    "\033[31m✗\033[0m Current licence \033[2m(current-licence)\033[0m\n"
		    "    现有许可证/p1.pdf  pdf 2 pages\n"
		    "    现有许可证/p2.jpg  jpeg 800x600\n"
		    "    \033[31m✗ corrupt\033[0m: '现有许可证/p1.pdf': damaged\n"
		    "\033[2m-\033[0m Commitment letter \033[2m(commitment, optional)\033[0m\n"
		    "\033[31m✗\033[0m Security plan \033[2m(security-plan)\033[0m\n"
		    "    \033[31m✗ missing\033[0m: no Security plan\n"
		    "Other:\n"
		    "    \033[33m! unrecognized\033[0m: 'IMG_1.jpg': not recognised\n"
		    "\033[31mincomplete\033[0m: 2 errors, 2 warnings\n"
		    "what each code means and how to fix it: licpack explain CODE (e.g. licpack explain greyscale)\n");
}

/* A complete folder without findings: every mark ✓ (or - for the absent
 * optional one), no "Other:", no hint, singular counts spelt right; a
 * region shows beside the template, a one-page PDF is "1 page". */
static void test_text_complete(void **state)
{
	made_check *mc = *state;

	findings_release(&mc->r.findings);
	mc->state[2] = MAT_COMPLETE;
	mc->state[4] = MAT_COMPLETE;
	mc->files[2].info.pages = 1;
	mc->r.complete = 1;
	mc->tpl.region = "jiangsu";
	assert_text(&mc->r, LANG_EN, 0,
		    "acme — Test licence renewal (test-renewal v3, jiangsu)\n"
		    "Applicant: 测试网络科技有限公司\n"
		    "✓ Business licence (business-license)\n"
		    "    营业执照.jpg  jpeg 2480x3508\n"
		    "✓ Domain certificate (domain-certificate)\n"
		    "    域名证书_example.com.png  png 1200x900\n"
		    "✓ Current licence (current-licence)\n"
		    "    现有许可证/p1.pdf  pdf 1 page\n"
		    "    现有许可证/p2.jpg  jpeg 800x600\n"
		    "- Commitment letter (commitment, optional)\n"
		    "✓ Security plan (security-plan)\n"
		    "complete: 0 errors, 0 warnings\n");
	assert_int_equal(findings_add_sev(&mc->r.findings, "low-dpi", SEV_WARNING, "business-license",
					  "营业执照.jpg", strdup("low"), strdup("低")), 0);
	assert_text(&mc->r, LANG_ZH, 0,
		    "acme — 测试许可证续期 (test-renewal v3, jiangsu)\n"
		    "申请单位：测试网络科技有限公司\n"
		    "! 营业执照副本 (business-license)\n"
		    "    营业执照.jpg  jpeg 2480x3508\n"
		    "    ! low-dpi: 低\n"
		    "✓ 域名证书 (domain-certificate)\n"
		    "    域名证书_example.com.png  png 1200x900\n"
		    "✓ 现有许可证 (current-licence)\n"
		    "    现有许可证/p1.pdf  pdf 1 页\n"
		    "    现有许可证/p2.jpg  jpeg 800x600\n"
		    "- 承诺书 (commitment，可选)\n"
		    "✓ 信息安全方案 (security-plan)\n"
		    "材料齐全：0 个错误，1 个警告\n"
		    "各问题的含义和处理方法：licpack explain 代码（如 licpack explain greyscale）\n");
}

/* The JSON's members: folder, status, template, counts, materials (each
 * with its files), findings, unrecognized; messages in the language asked,
 * everything else the same in both. */
static const char JSON_FILES[] =
	"\"files\":[{\"path\":\"营业执照.jpg\",\"format\":\"jpeg\",\"width\":2480,\"height\":3508,\"dpi\":150,"
	"\"pages\":1,\"bytes\":123456,\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\","
	"\"matched_by\":\"name\",\"domain\":null,\"person\":null}]";

static void test_json(void **state)
{
	const made_check *mc = *state;
	char *en = report_json(&mc->r, "acme", LANG_EN), *zh = report_json(&mc->r, "acme", LANG_ZH);
	char *expected_en, *expected_zh;
	const char *fmt =
		"{\"folder\":\"acme\",\"status\":\"incomplete\","
		"\"template\":{\"id\":\"test-renewal\",\"version\":3,\"region\":null,\"title\":\"%s\"},"
		"\"counts\":{\"errors\":2,\"warnings\":2,\"files\":4},"
		"\"materials\":["
		"{\"id\":\"business-license\",\"title\":\"%s\",\"required\":true,\"status\":\"complete\",%s},"
		"{\"id\":\"domain-certificate\",\"title\":\"%s\",\"required\":true,\"status\":\"complete\","
		"\"files\":[{\"path\":\"域名证书_example.com.png\",\"format\":\"png\",\"width\":1200,\"height\":900,"
		"\"dpi\":0,\"pages\":1,\"bytes\":2345,"
		"\"sha256\":\"1111111111111111111111111111111111111111111111111111111111111111\","
		"\"matched_by\":\"name\",\"domain\":\"example.com\",\"person\":null}]},"
		"{\"id\":\"current-licence\",\"title\":\"%s\",\"required\":true,\"status\":\"invalid\","
		"\"files\":[{\"path\":\"现有许可证/p1.pdf\",\"format\":\"pdf\",\"width\":0,\"height\":0,\"dpi\":0,"
		"\"pages\":2,\"bytes\":34567,"
		"\"sha256\":\"2222222222222222222222222222222222222222222222222222222222222222\","
		"\"matched_by\":\"folder\",\"domain\":null,\"person\":null},"
		"{\"path\":\"现有许可证/p2.jpg\",\"format\":\"jpeg\",\"width\":800,\"height\":600,\"dpi\":0,"
		"\"pages\":1,\"bytes\":4567,"
		"\"sha256\":\"3333333333333333333333333333333333333333333333333333333333333333\","
		"\"matched_by\":\"folder\",\"domain\":null,\"person\":null,\"orientation\":6}]},"
		"{\"id\":\"commitment\",\"title\":\"%s\",\"required\":false,\"status\":\"optional\",\"files\":[]},"
		"{\"id\":\"security-plan\",\"title\":\"%s\",\"required\":true,\"status\":\"missing\",\"files\":[]}],"
		"\"findings\":["
		"{\"code\":\"low-dpi\",\"severity\":\"warning\",\"material\":\"business-license\","
		"\"file\":\"营业执照.jpg\",\"message\":\"%s\"},"
		"{\"code\":\"corrupt\",\"severity\":\"error\",\"material\":\"current-licence\","
		"\"file\":\"现有许可证/p1.pdf\",\"message\":\"%s\"},"
		"{\"code\":\"missing\",\"severity\":\"error\",\"material\":\"security-plan\",\"file\":null,"
		"\"message\":\"%s\"},"
		"{\"code\":\"unrecognized\",\"severity\":\"warning\",\"material\":null,\"file\":\"IMG_1.jpg\","
		"\"message\":\"%s\"}],"
		"\"unrecognized\":[\"IMG_1.jpg\"]}";

	assert_non_null(en);
	assert_non_null(zh);
	expected_en = xstrdupf(fmt, "Test licence renewal", "Business licence", JSON_FILES, "Domain certificate",
			       "Current licence", "Commitment letter", "Security plan", "'营业执照.jpg': 150 dpi",
			       "'现有许可证/p1.pdf': damaged", "no Security plan", "'IMG_1.jpg': not recognised");
	expected_zh = xstrdupf(fmt, "测试许可证续期", "营业执照副本", JSON_FILES, "域名证书", "现有许可证", "承诺书",
			       "信息安全方案", "“营业执照.jpg”：150 dpi", "“现有许可证/p1.pdf”已损坏",
			       "缺少信息安全方案", "“IMG_1.jpg”：无法识别");
	assert_json_members(en, expected_en);
	assert_json_members(zh, expected_zh);
	free(expected_en);
	free(expected_zh);
	free(en);
	free(zh);
}

/* A person's file names the person, not a domain; a file without a hash
 * (unreadable) has a null sha256. */
static void test_json_person(void **state)
{
	made_check *mc = *state;
	applicant_staff staff = { "security", "王五", NULL, NULL };
	cJSON *root, *file;
	char *json, *compact;

	mc->mats[0].per = PER_STAFF;
	mc->r.app.staff = &staff;
	mc->r.app.n_staff = 1;
	mc->files[0].entity = 0;
	mc->files[0].sha256[0] = '\0';
	json = report_json(&mc->r, "acme", LANG_EN);
	assert_non_null(json);
	root = cJSON_Parse(json);
	assert_non_null(root);
	file = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "materials"), 0),
						      "files"), 0);
	compact = cJSON_PrintUnformatted(file);
	assert_string_equal(compact,
			    "{\"path\":\"营业执照.jpg\",\"format\":\"jpeg\",\"width\":2480,\"height\":3508,\"dpi\":150,"
			    "\"pages\":1,\"bytes\":123456,\"sha256\":null,\"matched_by\":\"name\",\"domain\":null,"
			    "\"person\":\"王五\"}");
	free(compact);
	cJSON_Delete(root);
	free(json);
}

static void test_finding_message(void **state)
{
	const made_check *mc = *state;

	assert_string_equal(finding_message(&mc->r.findings.v[2], LANG_EN), "no Security plan");
	assert_string_equal(finding_message(&mc->r.findings.v[2], LANG_ZH), "缺少信息安全方案");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_en, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_text_zh, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_text_colour, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_text_complete, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_json, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_json_person, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_finding_message, made_check_setup, made_check_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
