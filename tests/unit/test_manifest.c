/*
 * test_manifest: the names of files inside the packet and manifest.json
 * (packet/manifest.h), exactly.
 *
 * From support's made_check (a check result made in memory): each file's
 * packet name NN_<title>[_<domain or person>][_k].<ext> (Chinese titles, or
 * material ids with ascii names; k only where a material takes several
 * files, counted per domain; the extension from the format found, not the
 * file's own), the cover's name, and manifest.json read back by cJSON and
 * written compactly: every member, in order, nothing else, the ID number
 * masked.
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

#include "packet/manifest.h"

static void assert_names(const check_result *r, int ascii, const char *expected)
{
	char *got = xstrdupf("%s", ""), *name, *more;

	for (size_t i = 0; i < r->n_files; i++) {
		name = packet_file_name(r, i, ascii);
		assert_non_null(name);
		more = xstrdupf("%s%s\n", got, name);
		free(got);
		free(name);
		got = more;
	}
	assert_string_equal(got, expected);
	free(got);
}

static void test_packet_names(void **state)
{
	const made_check *mc = *state;

	assert_names(&mc->r, 0,
		     "01_营业执照副本.jpg\n"
		     "02_域名证书_example.com_1.png\n"
		     "03_现有许可证_1.pdf\n"
		     "03_现有许可证_2.jpg\n");
	assert_names(&mc->r, 1,
		     "01_business-license.jpg\n"
		     "02_domain-certificate_example.com_1.png\n"
		     "03_current-licence_1.pdf\n"
		     "03_current-licence_2.jpg\n");
	assert_string_equal(packet_cover_name(0), "00_封面.pdf");
	assert_string_equal(packet_cover_name(1), "00_cover.pdf");
}

/* k counts within the domain of a per-domain material; a person's name
 * goes where a domain would; the extension follows the format found. */
static void test_packet_names_per_entity(void **state)
{
	made_check *mc = *state;
	applicant_domain domains[2] = { { "example.com", NULL }, { "example.org", NULL } };
	applicant_staff staff = { "security", "王五", NULL, NULL };

	mc->r.app.domains = domains;
	mc->r.app.n_domains = 2;
	mc->r.app.staff = &staff;
	mc->r.app.n_staff = 1;
	mc->mats[0].per = PER_STAFF;
	mc->files[0].entity = 0;
	mc->files[0].info.format = FMT_PNG;      /* named .jpg, a PNG inside */
	mc->files[2].material = 1;                /* example.org */
	mc->files[2].entity = 1;
	mc->files[3].material = 1;                /* example.com again */
	mc->files[3].entity = 0;
	assert_names(&mc->r, 0,
		     "01_营业执照副本_王五.png\n"
		     "02_域名证书_example.com_1.png\n"
		     "02_域名证书_example.org_1.pdf\n"
		     "02_域名证书_example.com_2.jpg\n");
}

/* Every member of manifest.json; with ascii names only the cover's and the
 * files' packet names change. The legal representative's ID number is
 * masked (the packet.json in the folder keeps it whole). */
static void test_manifest_json(void **state)
{
	made_check *mc = *state;
	const char *fmt =
		"{\"generator\":\"licpack\",\"template\":{\"id\":\"test-renewal\",\"version\":3,\"region\":%s},"
		"\"applicant\":{\"company\":{\"name\":\"测试网络科技有限公司\",\"uscc\":\"91350200776049653A\"},"
		"\"legal_rep\":{\"name\":\"李四\",\"id_number\":\"110105********002X\",\"id_expiry\":\"2035-01-01\"},"
		"\"licence\":{\"number\":\"京B2-20212732\",\"expiry\":\"2027-02-01\"},"
		"\"domains\":[{\"name\":\"example.com\",\"expiry\":\"2030-01-01\"}]},"
		"\"build_date\":\"2026-11-28\",\"status\":\"%s\",\"cover\":{\"name\":\"%s\",\"pages\":%d},"
		"\"files\":["
		"{\"material\":\"business-license\",\"domain\":null,\"person\":null,\"original\":\"营业执照.jpg\","
		"\"packet_name\":\"%s\",\"format\":\"jpeg\",\"bytes\":123456,\"pages\":1,"
		"\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\"},"
		"{\"material\":\"domain-certificate\",\"domain\":\"example.com\",\"person\":null,"
		"\"original\":\"域名证书_example.com.png\",\"packet_name\":\"%s\",\"format\":\"png\",\"bytes\":2345,"
		"\"pages\":1,\"sha256\":\"1111111111111111111111111111111111111111111111111111111111111111\"},"
		"{\"material\":\"current-licence\",\"domain\":null,\"person\":null,\"original\":\"现有许可证/p1.pdf\","
		"\"packet_name\":\"%s\",\"format\":\"pdf\",\"bytes\":34567,\"pages\":2,"
		"\"sha256\":\"2222222222222222222222222222222222222222222222222222222222222222\"},"
		"{\"material\":\"current-licence\",\"domain\":null,\"person\":null,\"original\":\"现有许可证/p2.jpg\","
		"\"packet_name\":\"%s\",\"format\":\"jpeg\",\"bytes\":4567,\"pages\":1,"
		"\"sha256\":\"3333333333333333333333333333333333333333333333333333333333333333\"}],"
		"\"refused\":[]}";
	char *json, *expected;

	json = manifest_json(&mc->r, 0, "2026-11-28", 1);
	assert_non_null(json);
	assert_null(strstr(json, "11010519491231002X"));
	expected = xstrdupf(fmt, "null", "incomplete", "00_封面.pdf", 1, "01_营业执照副本.jpg",
			    "02_域名证书_example.com_1.png", "03_现有许可证_1.pdf", "03_现有许可证_2.jpg");
	assert_json_members(json, expected);
	free(expected);
	free(json);

	mc->r.complete = 1;
	mc->tpl.region = "jiangsu";
	json = manifest_json(&mc->r, 1, "2026-11-28", 2);
	assert_non_null(json);
	expected = xstrdupf(fmt, "\"jiangsu\"", "complete", "00_cover.pdf", 2, "01_business-license.jpg",
			    "02_domain-certificate_example.com_1.png", "03_current-licence_1.pdf",
			    "03_current-licence_2.jpg");
	assert_json_members(json, expected);
	free(expected);
	free(json);
}

/* What packet.json did not give is null, not left out; no domains is an
 * empty list. */
static void test_manifest_json_sparse(void **state)
{
	made_check *mc = *state;
	cJSON *root;
	char *json, *applicant;

	mc->r.app.company_uscc = NULL;
	mc->r.app.rep_id_number = NULL;
	mc->r.app.rep_id_expiry = NULL;
	mc->r.app.licence_number = NULL;
	mc->r.app.licence_expiry = NULL;
	mc->r.app.n_domains = 0;
	mc->r.n_files = 0;
	json = manifest_json(&mc->r, 0, "2026-11-28", 1);
	assert_non_null(json);
	root = cJSON_Parse(json);
	assert_non_null(root);
	applicant = cJSON_PrintUnformatted(cJSON_GetObjectItem(root, "applicant"));
	assert_string_equal(applicant,
			    "{\"company\":{\"name\":\"测试网络科技有限公司\",\"uscc\":null},"
			    "\"legal_rep\":{\"name\":\"李四\",\"id_number\":null,\"id_expiry\":null},"
			    "\"licence\":{\"number\":null,\"expiry\":null},\"domains\":[]}");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "files")), 0);
	free(applicant);
	cJSON_Delete(root);
	free(json);
}

/* A converted file: the converted bytes' sha256 and size in the entry,
 * the original's beside them under "converted", the packet name ending in
 * the converted format's extension. */
static void test_manifest_converted(void **state)
{
	made_check *mc = *state;
	checked_file *f = &mc->r.files[0];
	cJSON *root, *file;
	char *json, *conv;

	f->converted = 1;
	f->conv.from = FMT_HEIF;
	f->conv.to = FMT_JPEG;
	snprintf(f->conv.method, sizeof f->conv.method, "heif→jpeg q90");
	f->orig_bytes = 98765;
	memset(f->orig_sha256, 'a', 64);
	f->orig_sha256[64] = '\0';
	json = manifest_json(&mc->r, 0, "2026-11-28", 1);
	assert_non_null(json);
	root = cJSON_Parse(json);
	assert_non_null(root);
	file = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "files"), 0);
	assert_string_equal(cJSON_GetObjectItem(file, "packet_name")->valuestring, "01_营业执照副本.jpg");
	assert_string_equal(cJSON_GetObjectItem(file, "sha256")->valuestring,
			    "0000000000000000000000000000000000000000000000000000000000000000");
	conv = cJSON_PrintUnformatted(cJSON_GetObjectItem(file, "converted"));
	assert_string_equal(conv, "{\"from\":\"heif\",\"original_bytes\":98765,\"original_sha256\":"
			    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"method\":\"heif→jpeg q90\"}");
	/* a file used as it was has no "converted" */
	assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "files"), 1), "converted"));
	free(conv);
	cJSON_Delete(root);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_packet_names, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_packet_names_per_entity, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_manifest_json, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_manifest_json_sparse, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_manifest_converted, made_check_setup, made_check_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
