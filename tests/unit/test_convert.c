/*
 * Unit tests for packet/convert: orientation, which zips are Office
 * documents, a bilevel BMP made in memory converted to a 1-bit PNG, and the
 * LibreOffice runner driven by stand-in programs (a shell script that writes
 * a PDF where soffice would, one that hangs, none at all), so that its
 * arguments, private folder, timeout and process-group kill are tested
 * where LibreOffice is not installed. tests/e2e/convert.sh converts real
 * files of every format, and a .docx with LibreOffice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "packet/check.h"
#include "packet/convert.h"
#include "packet/probe.h"
#include "packet/util.h"
#include "tests/unit/support.h"

/* Every orientation of a 3x2 image whose pixels are numbered 0-5 row by
 * row: what the upright image shows, row by row (EXIF's own pictures). */
static void test_orient_source(void **state)
{
	static const char *want[9] = {
		NULL, "012345", "210543", "543210", "345012", "031425", "304152", "524130", "251403",
	};
	(void)state;
	for (int o = 1; o <= 8; o++) {
		uint32_t W = o >= 5 ? 2 : 3, H = o >= 5 ? 3 : 2, sx, sy;
		char got[7] = { 0 };
		for (uint32_t y = 0; y < H; y++)
			for (uint32_t x = 0; x < W; x++) {
				lp_orient_source(o, 3, 2, x, y, &sx, &sy);
				got[y * W + x] = (char)('0' + sy * 3 + sx);
			}
		assert_string_equal(got, want[o]);
	}
}

static void test_office_zip(void **state)
{
	static const uint8_t plain[] = "PK\003\004....readme.txt....PK\005\006";
	static const uint8_t docx[] = "PK\003\004....word/document.xml....PK\001\002[Content_Types].xml";
	static const uint8_t odt[] = "PK\003\004............................mimetypeapplication/vnd.oasis.opendocument.text";
	(void)state;
	assert_int_equal(convert_wanted(FMT_ZIP, plain, sizeof plain - 1), 0);
	assert_int_equal(convert_wanted(FMT_ZIP, docx, sizeof docx - 1), 1);
	assert_int_equal(convert_wanted(FMT_ZIP, odt, sizeof odt - 1), 1);
	assert_int_equal(convert_wanted(FMT_PDF, docx, sizeof docx - 1), 0);
	assert_int_equal(convert_wanted(FMT_HEIF, docx, 4), 1);
}

/* A 1-bit BMP, 16x4, left half black, 200 dpi. */
static void bilevel_bmp(uint8_t b[62 + 4 * 4])
{
	memset(b, 0, 62 + 4 * 4);
	b[0] = 'B', b[1] = 'M';
	b[2] = 62 + 4 * 4;
	b[10] = 62;              /* pixels after the 2-colour palette */
	b[14] = 40;              /* BITMAPINFOHEADER */
	b[18] = 16, b[22] = 4;   /* 16 x 4 */
	b[26] = 1, b[28] = 1;    /* 1 plane, 1 bit */
	b[38] = 0xC4, b[39] = 0x1E; /* 7876 pixels a metre: 200 dpi */
	b[42] = 0xC4, b[43] = 0x1E;
	b[58] = b[59] = b[60] = 255; /* palette: 0 black, 1 white */
	for (int y = 0; y < 4; y++)
		b[62 + y * 4 + 1] = 0xFF; /* rows: 8 black then 8 white */
}

/* The bilevel BMP: a 1-bit PNG of the same size and density, the same
 * bytes twice. */
static void test_bilevel_bmp(void **state)
{
	uint8_t b[62 + 4 * 4];
	const convert_limits lim = { 1000000, 0, 0, NULL, 0 };
	convert_info ci;
	file_info fail, in;
	uint8_t *out = NULL, *again = NULL;
	size_t n = 0, n2 = 0;
	(void)state;

	bilevel_bmp(b);
	assert_int_equal(convert_buffer(b, sizeof b, FMT_BMP, "bmp", &lim, &out, &n, &ci, &fail), 0);
	assert_int_equal(ci.to, FMT_PNG);
	assert_string_equal(ci.method, "bmp→png");
	assert_int_equal(probe_buffer(out, n, NULL, &in), PROBE_OK);
	assert_int_equal(in.format, FMT_PNG);
	assert_int_equal(in.width, 16);
	assert_int_equal(in.height, 4);
	assert_int_equal(in.bit_depth, 1);
	assert_int_equal((int)(in.dpi_x + 0.5), 200);
	assert_int_equal(convert_buffer(b, sizeof b, FMT_BMP, "bmp", &lim, &again, &n2, &ci, &fail), 0);
	assert_int_equal(n2, n);
	assert_memory_equal(again, out, n);
	free(again);
	free(out);
	/* over the pixel limit: too large, before decoding */
	{
		const convert_limits small = { 63, 0, 0, NULL, 0 };
		assert_int_equal(convert_buffer(b, sizeof b, FMT_BMP, "bmp", &small, &out, &n, &ci, &fail), 1);
		assert_int_equal(fail.status, PROBE_TOO_LARGE);
		assert_null(out);
	}
}

/* 1 when process pid exists and is not a zombie. */
static int process_runs(pid_t pid)
{
	char *path = xstrdupf("/proc/%d/stat", (int)pid), *close_paren;
	size_t len = 0;
	uint8_t *stat = read_file(path, &len);
	int runs = 0;

	if (stat && (close_paren = strrchr((char *)stat, ')')) && close_paren[1] == ' ')
		runs = close_paren[2] != 'Z' && close_paren[2] != 'X';
	free(stat);
	free(path);
	return runs;
}

static const uint8_t DOCX[] = "PK\003\004 [Content_Types].xml";

static char *script(const char *dir, const char *name, const char *body)
{
	char *p = xstrdupf("%s/%s", dir, name);
	write_file(p, body, strlen(body));
	assert_int_equal(chmod(p, 0700), 0);
	return p;
}

/* A stand-in soffice: checks the arguments LibreOffice would get (headless,
 * a private profile URL under TMPDIR, HOME there too), then writes a PDF
 * named after the input into --outdir, as soffice does. */
static void test_office_runner(void **state)
{
	char dir[] = "/tmp/licpack-test-office.XXXXXX";
	char *prog, *tmp;
	convert_limits lim = { 0, 0, 10, NULL, 0 };
	convert_info ci;
	file_info fail;
	uint8_t *out = NULL;
	size_t n = 0;
	(void)state;

	assert_non_null(mkdtemp(dir));
	tmp = xstrdupf("%s/tmp", dir);
	assert_int_equal(mkdir(tmp, 0700), 0);
	prog = script(dir, "soffice",
		      "#!/bin/sh\n"
		      "case \"$*\" in *--headless*--convert-to\\ pdf*) ;; *) exit 3 ;; esac\n"
		      "case \"$*\" in *-env:UserInstallation=file://$TMPDIR/profile*) ;; *) exit 4 ;; esac\n"
		      "[ \"$HOME\" = \"$TMPDIR\" ] || exit 5\n"
		      "while [ $# -gt 1 ]; do [ \"$1\" = --outdir ] && out=$2; shift; done\n"
		      "in=$1; b=$(basename \"$in\" .docx)\n"
		      "printf '%%PDF-1.4 from %s\\n' \"$(head -c 4 \"$in\" | od -An -c | tr -d ' ')\" >\"$out/$b.pdf\"\n");
	lim.soffice = prog;
	setenv("TMPDIR", tmp, 1);
	assert_int_equal(convert_buffer(DOCX, sizeof DOCX - 1, FMT_ZIP, "docx", &lim, &out, &n, &ci, &fail), 0);
	assert_int_equal(ci.to, FMT_PDF);
	assert_string_equal(ci.method, "docx→pdf libreoffice");
	assert_int_equal(n, strlen("%PDF-1.4 from PK003004\n"));
	assert_memory_equal(out, "%PDF-1.4 from PK003004\n", n);
	free(out);
	out = NULL;
	/* the private folder is gone */
	assert_int_equal(rmdir(tmp), 0);
	assert_int_equal(mkdir(tmp, 0700), 0);

	/* one that hangs: killed with its children after the timeout */
	free(prog);
	prog = script(dir, "hang", "#!/bin/sh\nsleep 100 &\necho $! >\"$PIDFILE\"\nsleep 100\n");
	{
		char *pidfile = xstrdupf("%s/pid", dir);
		time_t t0 = time(NULL);
		size_t len = 0;
		uint8_t *pid;
		setenv("PIDFILE", pidfile, 1);
		lim.soffice = prog;
		lim.office_timeout_s = 1;
		assert_int_equal(convert_buffer(DOCX, sizeof DOCX - 1, FMT_ZIP, "docx", &lim, &out, &n, &ci, &fail), 1);
		assert_true(time(NULL) - t0 <= 4);
		assert_int_equal(fail.status, PROBE_CORRUPT);
		assert_string_equal(fail.reason_en, "Office document that LibreOffice did not convert in the time allowed");
		pid = read_file(pidfile, &len);
		assert_non_null(pid);
		/* the background sleep was in the group: gone, or a zombie
		 * left for whoever reaps orphans here */
		usleep(200 * 1000);
		assert_false(process_runs((pid_t)atoi((char *)pid)));
		free(pid);
		free(pidfile);
		unsetenv("PIDFILE");
	}
	assert_int_equal(rmdir(tmp), 0);

	/* none installed: refused, naming the package */
	lim.soffice = "/nonexistent/soffice";
	assert_int_equal(convert_buffer(DOCX, sizeof DOCX - 1, FMT_ZIP, "docx", &lim, &out, &n, &ci, &fail), 1);
	assert_int_equal(fail.status, PROBE_REFUSED);
	assert_non_null(strstr(fail.reason_en, "apt-get install libreoffice-writer-nogui"));
	assert_null(out);
	unsetenv("TMPDIR");
	free(prog);
	free(tmp);
	rm_tree(dir);
}

/* A converted file whose bytes a build does not keep (keep_bytes 0) is
 * converted again from the folder when packed, checked against the SHA-256
 * of the first conversion; an original changed since is an error. */
static void test_not_kept(void **state)
{
	packet_fixture *fx = packet_fixture_new("convert");
	uint8_t b[62 + 4 * 4], *conv = NULL;
	const convert_limits lim = { 1000000, 0, 0, NULL, 0 };
	convert_info ci;
	file_info fail;
	lp_buffer scratch = { NULL, 0 };
	const uint8_t *data;
	size_t len, n = 0, i;
	char *path;
	lp_err err;
	(void)state;

	bilevel_bmp(b);
	path = xstrdupf("%s/营业执照副本.bmp", fx->in);
	write_file(path, b, sizeof b);
	packet_fixture_check(fx, 0);
	for (i = 0; i < fx->r.n_files && !fx->r.files[i].converted; i++)
		;
	assert_true(i < fx->r.n_files);
	assert_null(fx->r.files[i].data);
	assert_int_equal(fx->r.files[i].orig_bytes, sizeof b);
	assert_int_equal(check_file_bytes(&fx->r, i, &scratch, &data, &len, &err), 0);
	assert_int_equal(convert_buffer(b, sizeof b, FMT_BMP, "bmp", &lim, &conv, &n, &ci, &fail), 0);
	assert_int_equal(len, n);
	assert_memory_equal(data, conv, n);
	/* the original changed since the check */
	b[62] = 0xFF;
	write_file(path, b, sizeof b);
	assert_int_equal(check_file_bytes(&fx->r, i, &scratch, &data, &len, &err), -1);
	assert_int_equal(err.code, LP_E_CHANGED);
	assert_non_null(strstr(err.en, "changed since it was checked"));
	free(conv);
	free(scratch.data);
	free(path);
	packet_fixture_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orient_source),
		cmocka_unit_test(test_office_zip),
		cmocka_unit_test(test_bilevel_bmp),
		cmocka_unit_test(test_office_runner),
		cmocka_unit_test(test_not_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
