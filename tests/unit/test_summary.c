/*
 * Unit tests for packet/summary: the shard hash against the published FNV-1a
 * test vectors, CSV quoting (RFC 4180, the formula guard), result files
 * written and read back, the summary files' exact bytes, and the merge's
 * refusals (a shard twice, shards of different N, an applicant twice).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "packet/jsontext.h"
#include "packet/summary.h"

static char tmpdir[] = "/tmp/test_summary.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
	char *text = NULL;
	size_t len;

	assert_int_equal(read_text_file(path, 1 << 20, &text, &len), 0);
	return text;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_fnv1a64(void **state)
{
	(void)state;
	/* the FNV reference vectors (Fowler, Noll, Vo: test_fnv.c) */
	assert_true(summary_fnv1a64("") == UINT64_C(0xcbf29ce484222325));
	assert_true(summary_fnv1a64("a") == UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(summary_fnv1a64("foobar") == UINT64_C(0x85944171f73967e8));
	/* bytes, not characters: computed with Python over str.encode() */
	assert_true(summary_fnv1a64("公司-001") == UINT64_C(0xd5a953cfc839b629));
}

static cJSON *row_of(const char *json)
{
	cJSON *row = cJSON_Parse(json);

	assert_non_null(row);
	return row;
}

static void test_csv_record(void **state)
{
	static const struct {
		const char *row, *want;
	} cases[] = {
		{ "{\"applicant\":\"acme\",\"company\":\"示例科技有限公司\",\"template\":\"icp-renewal\",\"region\":null,"
		  "\"status\":\"incomplete\",\"result\":\"fresh\",\"errors\":3,\"warnings\":1,"
		  "\"missing\":[\"business-license\",\"undertaking\"],\"packet\":null,\"zip\":null,\"message\":null}",
		  "acme,示例科技有限公司,icp-renewal,,incomplete,fresh,3,1,business-license;undertaking,,,\r\n" },
		/* commas, quotes and line breaks quoted, quotes doubled */
		{ "{\"applicant\":\"a,b\",\"company\":\"Acme \\\"Q\\\"\",\"template\":null,\"region\":null,"
		  "\"status\":\"failed\",\"result\":\"skipped\",\"errors\":0,\"warnings\":0,\"missing\":[],"
		  "\"packet\":null,\"zip\":null,\"message\":\"line 1\\nline 2\"}",
		  "\"a,b\",\"Acme \"\"Q\"\"\",,,failed,skipped,0,0,,,,\"line 1\nline 2\"\r\n" },
		/* a field a spreadsheet would run as a formula */
		{ "{\"applicant\":\"x\",\"company\":\"=HYPERLINK(1)\",\"template\":null,\"region\":null,"
		  "\"status\":\"complete\",\"result\":\"fresh\",\"errors\":0,\"warnings\":0,\"missing\":[],"
		  "\"packet\":\"x/x.pdf\",\"zip\":\"x/x.zip\",\"message\":null}",
		  "x,'=HYPERLINK(1),,,complete,fresh,0,0,,x/x.pdf,x/x.zip,\r\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cJSON *row = row_of(cases[i].row);
		char *rec = summary_csv_record(row);
		assert_non_null(rec);
		assert_string_equal(rec, cases[i].want);
		free(rec);
		cJSON_Delete(row);
	}
}

static void test_result_round_trip(void **state)
{
	char path[256], *opts = NULL, want[512];
	lp_err err;
	struct timespec t = { 1764288000, 123456789 }, back;
	cJSON *row = row_of("{\"applicant\":\"acme\",\"status\":\"complete\",\"exit\":0}"), *got;

	(void)state;
	snprintf(path, sizeof path, "%s/.result.json", tmpdir);
	assert_int_equal(summary_result_write(path, "v1 opts", &t, row, 0, &err), 0);
	got = summary_result_read(path, &opts, &back, &err);
	assert_non_null(got);
	assert_string_equal(opts, "v1 opts");
	assert_true(back.tv_sec == t.tv_sec && back.tv_nsec == t.tv_nsec);
	assert_true(cJSON_Compare(row, got, 1));
	free(opts);
	cJSON_Delete(got);
	cJSON_Delete(row);
	/* not a result file */
	spit(path, "{\"row\": {}}");
	assert_null(summary_result_read(path, NULL, NULL, &err));
	assert_int_equal(err.code, LP_E_SUMMARY_NOT_RESULT);
	snprintf(want, sizeof want, "'%s' is not a licpack result file", path);
	assert_string_equal(err.en, want);
	snprintf(want, sizeof want, "'%s' 不是 licpack 的结果文件", path);
	assert_string_equal(err.zh, want);
}

static void test_writer_bytes(void **state)
{
	char path[256], *text;
	lp_err err;
	summary_writer *w;
	size_t counts[5];
	cJSON *a = row_of("{\"applicant\":\"a\",\"status\":\"complete\",\"result\":\"fresh\",\"errors\":0}");
	cJSON *b = row_of("{\"applicant\":\"b\",\"status\":\"failed\",\"result\":\"skipped\",\"message\":\"x\"}");

	(void)state;
	assert_int_equal(summary_writer_begin(&w, tmpdir, "summary", 0, &err), 0);
	assert_int_equal(summary_writer_add(w, a, &err), 0);
	assert_int_equal(summary_writer_add(w, b, &err), 0);
	/* out of order: refused */
	assert_int_equal(summary_writer_add(w, a, &err), -1);
	assert_int_equal(err.code, LP_E_SUMMARY_ROW_ORDER);
	assert_string_equal(err.en, "summary rows out of order at 'a'");
	assert_int_equal(summary_writer_commit(w, "2/3", 0, counts, &err), 0);
	assert_true(counts[0] == 1 && counts[1] == 0 && counts[2] == 1 && counts[3] == 1 && counts[4] == 1);
	snprintf(path, sizeof path, "%s/summary.json", tmpdir);
	text = slurp(path);
	assert_string_equal(text,
		"{\n\t\"licpack_summary\":\t1,\n\t\"applicants\":\t[\n"
		"\t\t{\"applicant\":\"a\",\"status\":\"complete\",\"result\":\"fresh\",\"errors\":0},\n"
		"\t\t{\"applicant\":\"b\",\"status\":\"failed\",\"result\":\"skipped\",\"message\":\"x\"}\n"
		"\t],\n\t\"counts\":\t{\"applicants\":2,\"complete\":1,\"incomplete\":0,\"failed\":1,\"fresh\":1,\"skipped\":1},\n"
		"\t\"shard\":\t\"2/3\",\n\t\"interrupted\":\tfalse\n}\n");
	free(text);
	snprintf(path, sizeof path, "%s/summary.csv", tmpdir);
	text = slurp(path);
	assert_string_equal(text,
		"\xEF\xBB\xBF" "applicant,company,template,region,status,result,errors,warnings,missing,packet,zip,message\r\n"
		"a,,,,complete,fresh,0,0,,,,\r\n"
		"b,,,,failed,skipped,0,0,,,,x\r\n");
	free(text);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static void shard_file(const char *name, const char *shard, const char *applicant)
{
	char path[256], text[512];

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	snprintf(text, sizeof text,
		 "{\"licpack_summary\":1,\"applicants\":[{\"applicant\":\"%s\",\"status\":\"complete\"}],"
		 "\"shard\":%s,\"interrupted\":false}", applicant, shard);
	spit(path, text);
}

static void test_merge(void **state)
{
	char p1[512], p2[512], p3[512], out[256], *text, want[1024];
	lp_err err;
	const char *paths[3] = { p1, p2, p3 };
	size_t counts[5];
	int interrupted;

	(void)state;
	snprintf(out, sizeof out, "%s/merged", tmpdir);
	assert_int_equal(mkdir(out, 0700), 0);
	snprintf(p1, sizeof p1, "%s/s1.json", tmpdir);
	snprintf(p2, sizeof p2, "%s/s2.json", tmpdir);
	snprintf(p3, sizeof p3, "%s/s3.json", tmpdir);
	shard_file("s1.json", "\"1/3\"", "c");
	shard_file("s2.json", "\"3/3\"", "a");
	shard_file("s3.json", "\"2/3\"", "b");
	assert_int_equal(summary_merge(paths, 3, out, counts, &interrupted, &err), 0);
	snprintf(p1, sizeof p1, "%s/summary.json", out);
	text = slurp(p1);
	/* sorted by applicant, whatever the order of the inputs */
	assert_non_null(strstr(text, "\t\t{\"applicant\":\"a\",\"status\":\"complete\"},\n"
				     "\t\t{\"applicant\":\"b\",\"status\":\"complete\"},\n"
				     "\t\t{\"applicant\":\"c\",\"status\":\"complete\"}\n"));
	assert_non_null(strstr(text, "\"shard\":\tnull"));
	free(text);
	/* two of three: the shards are named */
	snprintf(p1, sizeof p1, "%s/s1.json", tmpdir);
	assert_int_equal(summary_merge(paths, 2, out, counts, &interrupted, &err), 0);
	snprintf(p3, sizeof p3, "%s/summary.json", out);
	text = slurp(p3);
	assert_non_null(strstr(text, "\"shard\":\t\"1,3/3\""));
	free(text);
	/* a shard twice, another N, an applicant twice, not a summary */
	snprintf(p3, sizeof p3, "%s/s3.json", tmpdir);
	shard_file("s3.json", "\"1/3\"", "b");
	assert_int_equal(summary_merge(paths, 3, out, counts, &interrupted, &err), 2);
	assert_int_equal(err.code, LP_E_SUMMARY_SHARD_MISFIT);
	snprintf(want, sizeof want,
		 "'%s': shard 1/3 does not fit with the others (another N, or a shard given twice)", p3);
	assert_string_equal(err.en, want);
	shard_file("s3.json", "\"2/4\"", "b");
	assert_int_equal(summary_merge(paths, 3, out, counts, &interrupted, &err), 2);
	assert_int_equal(err.code, LP_E_SUMMARY_SHARD_MISFIT);
	/* a whole batch's summary beside shards: its own words in Chinese */
	shard_file("s3.json", "null", "b");
	assert_int_equal(summary_merge(paths, 3, out, counts, &interrupted, &err), 2);
	assert_int_equal(err.code, LP_E_SUMMARY_WHOLE_MISFIT);
	snprintf(want, sizeof want,
		 "'%s': shard (all applicants) does not fit with the others (another N, or a shard given twice)", p3);
	assert_string_equal(err.en, want);
	snprintf(want, sizeof want, "'%s'：分片（全部申请人）与其他分片对不上（N 不同，或同一分片给了两次）", p3);
	assert_string_equal(err.zh, want);
	shard_file("s3.json", "\"2/3\"", "a");
	assert_int_equal(summary_merge(paths, 3, out, counts, &interrupted, &err), 2);
	assert_int_equal(err.code, LP_E_SUMMARY_APPLICANT_TWICE);
	assert_string_equal(err.en, "'a' is in more than one summary");
	assert_string_equal(err.zh, "'a' 出现在不止一份汇总中");
	spit(p3, "[1, 2]");
	assert_int_equal(summary_merge(paths, 3, out, counts, &interrupted, &err), 2);
	assert_int_equal(err.code, LP_E_SUMMARY_NOT_SUMMARY);
}

/* Outputs' names: ID numbers masked; names without one kept; the same
 * masked name given once, then _2, _3 in name order, never a name another
 * folder has or was given; the same answer whatever order the names come
 * in (every shard lists all of ROOT). */
static void test_output_names(void **state)
{
	static const char *const names[] = {
		"张三_11010519500118002X",  /* masked like the next, later in order: _2 */
		"王五",
		"张三_11010519491231002X",
		"张三_110105********002X_2",  /* a folder really named so: kept, so _3 */
		"ref_3201021985121200149",  /* 19 digits: not an ID number */
		"440304199001011233",
		"张三_110105********002X-packet",
	};
	static const char *const want[] = {
		"张三_110105********002X_3", "王五", "张三_110105********002X", "张三_110105********002X_2",
		"ref_3201021985121200149", "440304********1233", "张三_110105********002X-packet",
	};
	const size_t n = sizeof names / sizeof names[0];
	const char *rev[sizeof names / sizeof names[0]];
	char **out, **out2;
	size_t i;

	(void)state;
	out = summary_output_names(names, n);
	assert_non_null(out);
	for (i = 0; i < n; i++)
		assert_string_equal(out[i], want[i]);
	for (i = 0; i < n; i++)
		rev[i] = names[n - 1 - i];
	out2 = summary_output_names(rev, n);
	assert_non_null(out2);
	for (i = 0; i < n; i++)
		assert_string_equal(out2[n - 1 - i], want[i]);
	for (i = 0; i < n; i++) {
		free(out[i]);
		free(out2[i]);
	}
	free(out);
	free(out2);
	out = summary_output_names(NULL, 0);
	assert_non_null(out);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv1a64),
		cmocka_unit_test(test_csv_record),
		cmocka_unit_test(test_result_round_trip),
		cmocka_unit_test(test_writer_bytes),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_output_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
