/*
 * Unit tests for packet/output: a file appears at its final name whole,
 * mode 0600, or not at all; a verification that fails keeps it from its
 * name; several files commit as one step; only licpack's temporaries are
 * ever removed; output folders are claimed (stamp), refused when they hold
 * someone else's files, and locked; and the PDF verifier (pdf/) tells a
 * whole PDF from a cut one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "packet/output.h"
#include "pdf/packet_pdf.h"
#include "tests/unit/support.h"

static char tmpdir[] = "/tmp/test_output.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return sh("rm -rf '%s'", tmpdir);
}

/* Remove everything in tmpdir (hidden names too). */
static void empty_tmpdir(void)
{
	assert_int_equal(sh("find '%s' -mindepth 1 -delete", tmpdir), 0);
}

/* "<tmpdir>/<name>" into buf */
static const char *at(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
	return buf;
}

static void spit(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

/* The names in dir, sorted, one a line (at most 4 KiB). */
static void listing(const char *dir, char *out, size_t len)
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof cmd, "LC_ALL=C ls -A '%s'", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	pclose(p);
}

static void test_write_commit(void **state)
{
	char path[256], got[4096];
	lp_err err;
	output_file o;
	struct stat st;
	mode_t old = umask(0);

	(void)state;
	empty_tmpdir();
	at(path, sizeof path, "a.txt");
	assert_int_equal(output_begin(&o, path, 0, &err), 0);
	/* aside, under licpack's prefix, already private */
	assert_non_null(strstr(o.tmp_path, "/" OUTPUT_TMP_PREFIX "a.txt."));
	assert_int_equal(stat(o.tmp_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(output_write(&o, "hello\n", 6, &err), 0);
	assert_int_equal(output_commit(&o, &err), 0);
	umask(old);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 6);
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, "a.txt\n");
	assert_null(o.tmp_path);
	assert_int_equal(o.fd, -1);
}

static lp_errcode refuse(int fd, uint64_t size)
{
	(void)fd;
	(void)size;
	return LP_E_ZIP_NO_DIRECTORY;
}

/* A file the verifier refuses never takes its name, and an older file
 * there stays. */
static void test_verify_keeps_from_name(void **state)
{
	char path[256], got[4096];
	lp_err err;
	output_file o;

	(void)state;
	empty_tmpdir();
	at(path, sizeof path, "b.txt");
	spit(path, "old\n");
	assert_int_equal(output_begin(&o, path, 0, &err), 0);
	assert_int_equal(output_write(&o, "new\n", 4, &err), 0);
	o.verify = refuse;
	assert_int_equal(output_commit(&o, &err), -1);
	assert_int_equal(err.code, LP_E_ZIP_NO_DIRECTORY);
	assert_non_null(strstr(err.en, "cannot write '"));
	assert_non_null(strstr(err.en, "/b.txt': no zip directory at its end"));
	assert_non_null(strstr(err.zh, "/b.txt'（文件末尾没有 zip 目录，文件不完整）"));
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, "b.txt\n");
	assert_int_equal(unlink(path), 0);
}

/* Someone else wrote less than output_write counted (a file cut behind our
 * back): the size check refuses it. */
static void test_size_checked(void **state)
{
	char path[256];
	lp_err err;
	output_file o;

	(void)state;
	empty_tmpdir();
	at(path, sizeof path, "c.txt");
	assert_int_equal(output_begin(&o, path, 0, &err), 0);
	assert_int_equal(output_write(&o, "0123456789", 10, &err), 0);
	assert_int_equal(ftruncate(o.fd, 4), 0);
	assert_int_equal(output_commit(&o, &err), -1);
	assert_int_equal(err.code, LP_E_WRITE_SHORT);
	assert_non_null(strstr(err.en, "/c.txt': the file is shorter than what was written"));
	assert_int_equal(access(path, F_OK), -1);
}

/* Three files as one step: one refused, none renamed, no temporary left. */
static void test_commit_all(void **state)
{
	char p1[256], p2[256], p3[256], got[4096];
	lp_err err;
	output_file a, b, c;
	output_file *all[3] = { &a, &b, &c };

	(void)state;
	empty_tmpdir();
	at(p1, sizeof p1, "x.pdf");
	at(p2, sizeof p2, "x.zip");
	at(p3, sizeof p3, "manifest.json");
	assert_int_equal(output_begin(&a, p1, 0, &err), 0);
	assert_int_equal(output_begin(&b, p2, 0, &err), 0);
	assert_int_equal(output_begin(&c, p3, 1, &err), 0);
	assert_int_equal(output_write(&a, "a", 1, &err), 0);
	assert_int_equal(output_write(&b, "b", 1, &err), 0);
	assert_int_equal(output_write(&c, "c", 1, &err), 0);
	c.verify = refuse;
	assert_int_equal(output_commit_all(all, 3, &err), -1);
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, "");
	/* and all whole: all three, the folder synced (c has sync) */
	assert_int_equal(output_begin(&a, p1, 0, &err), 0);
	assert_int_equal(output_begin(&b, p2, 0, &err), 0);
	assert_int_equal(output_begin(&c, p3, 1, &err), 0);
	assert_int_equal(output_commit_all(all, 3, &err), 0);
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, "manifest.json\nx.pdf\nx.zip\n");
	unlink(p1);
	unlink(p2);
	unlink(p3);
}

/* Only our prefix: regular files, and folders (output_tree's) with what
 * they hold; a link is removed neither as a file nor followed. */
static void test_remove_temporaries(void **state)
{
	static const char *const names[] = { ".licpack-tmp.a.pdf.AbC123", "a.pdf.tmp-AbC123", ".a.pdf.AbC123",
					     "notes.licpack-tmp.txt", "report.txt" };
	char path[256], got[4096];
	size_t i;

	(void)state;
	empty_tmpdir();
	assert_int_equal(output_is_temporary(".licpack-tmp.x"), 1);
	assert_int_equal(output_is_temporary(".licpack"), 0);
	assert_int_equal(output_is_temporary("x.tmp-123456"), 0);
	for (i = 0; i < sizeof names / sizeof *names; i++)
		spit(at(path, sizeof path, names[i]), "x");
	assert_int_equal(mkdir(at(path, sizeof path, ".licpack-tmp.upload.Xy12Z9"), 0700), 0);
	assert_int_equal(mkdir(at(path, sizeof path, ".licpack-tmp.upload.Xy12Z9/01_a"), 0700), 0);
	spit(at(path, sizeof path, ".licpack-tmp.upload.Xy12Z9/01_a/p.jpg"), "x");
	assert_int_equal(mkdir(at(path, sizeof path, "kept"), 0700), 0);
	spit(at(path, sizeof path, "kept/file"), "x");
	assert_int_equal(symlink("kept", at(path, sizeof path, ".licpack-tmp.link")), 0);
	assert_int_equal(output_remove_temporaries(tmpdir), 2);
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, ".a.pdf.AbC123\n.licpack-tmp.link\na.pdf.tmp-AbC123\nkept\nnotes.licpack-tmp.txt\nreport.txt\n");
	listing(at(path, sizeof path, "kept"), got, sizeof got);
	assert_string_equal(got, "file\n");
	empty_tmpdir();
}

/* A folder output: written aside, in place in one step (replacing an older
 * one whole), never a mix; aborted, nothing stays. */
static void test_tree(void **state)
{
	output_tree t;
	char path[256], got[4096];
	lp_err err;

	(void)state;
	empty_tmpdir();
	assert_int_equal(output_tree_begin(&t, at(path, sizeof path, "upload"), 0, &err), 0);
	assert_int_equal(output_tree_mkdir(&t, "01_a", &err), 0);
	assert_int_equal(output_tree_put(&t, "01_a/one.jpg", "111", 3, &err), 0);
	listing(tmpdir, got, sizeof got);
	assert_int_equal(strncmp(got, ".licpack-tmp.upload.", 20), 0); /* not at its name yet */
	assert_int_equal(output_tree_commit(&t, &err), 0);
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, "upload\n");
	/* a second one replaces the first whole: 01_a goes, 02_b comes */
	assert_int_equal(output_tree_begin(&t, at(path, sizeof path, "upload"), 1, &err), 0);
	assert_int_equal(output_tree_mkdir(&t, "02_b", &err), 0);
	assert_int_equal(output_tree_put(&t, "02_b/two.jpg", "22", 2, &err), 0);
	/* a name written twice is an error, naming the final path */
	assert_int_equal(output_tree_put(&t, "02_b/two.jpg", "22", 2, &err), -1);
	assert_non_null(strstr(err.en, "/upload/02_b/two.jpg': File exists"));
	assert_int_equal(output_tree_commit(&t, &err), 0);
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, "upload\n");
	listing(at(path, sizeof path, "upload"), got, sizeof got);
	assert_string_equal(got, "02_b\n");
	listing(at(path, sizeof path, "upload/02_b"), got, sizeof got);
	assert_string_equal(got, "two.jpg\n");
	/* aborted: the older one stays, the temporary goes */
	assert_int_equal(output_tree_begin(&t, at(path, sizeof path, "upload"), 0, &err), 0);
	assert_int_equal(output_tree_mkdir(&t, "03_c", &err), 0);
	output_tree_abort(&t);
	output_tree_abort(&t);
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, "upload\n");
	assert_int_equal(output_remove_tree(at(path, sizeof path, "upload")), 0);
	listing(tmpdir, got, sizeof got);
	assert_string_equal(got, "");
}

static void test_dir_claim(void **state)
{
	char d[256], path[256], got[4096];
	lp_err err;

	(void)state;
	empty_tmpdir();
	/* made: stamped */
	at(d, sizeof d, "made");
	assert_int_equal(output_dir_claim(d, 0, &err), OUTPUT_DIR_OK);
	listing(d, got, sizeof got);
	assert_string_equal(got, ".licpack\n");
	/* stamped: ours, whatever it holds */
	spit(at(path, sizeof path, "made/x.pdf"), "x");
	assert_int_equal(output_dir_claim(d, 0, &err), OUTPUT_DIR_OK);
	/* someone else's: refused, untouched */
	at(d, sizeof d, "theirs");
	assert_int_equal(mkdir(d, 0755), 0);
	spit(at(path, sizeof path, "theirs/notes.txt"), "mine");
	assert_int_equal(output_dir_claim(d, 0, &err), OUTPUT_DIR_NOT_OURS);
	assert_non_null(strstr(err.en, "/theirs' holds files that licpack did not write"));
	listing(d, got, sizeof got);
	assert_string_equal(got, "notes.txt\n");
	/* with force: stamped, the file kept */
	assert_int_equal(output_dir_claim(d, 1, &err), OUTPUT_DIR_OK);
	listing(d, got, sizeof got);
	assert_string_equal(got, ".licpack\nnotes.txt\n");
	/* empty: taken */
	at(d, sizeof d, "empty");
	assert_int_equal(mkdir(d, 0755), 0);
	assert_int_equal(output_dir_claim(d, 0, &err), OUTPUT_DIR_OK);
	/* a file in the way, a missing parent: errors naming the folder */
	spit(at(d, sizeof d, "file"), "x");
	assert_int_equal(output_dir_claim(d, 0, &err), OUTPUT_DIR_ERROR);
	assert_non_null(strstr(err.en, "/file': Not a directory"));
	at(d, sizeof d, "no/such");
	assert_int_equal(output_dir_claim(d, 0, &err), OUTPUT_DIR_ERROR);
	assert_non_null(strstr(err.en, "/no/such': No such file or directory"));
	empty_tmpdir();
}

/* While a run holds the folder, nobody removes its temporaries; when it
 * has let go, the one who finds it idle does. */
static void test_dir_lock(void **state)
{
	char d[256], path[300];
	lp_err err;
	output_dir od;
	output_file o;

	(void)state;
	empty_tmpdir();
	at(d, sizeof d, "locked");
	assert_int_equal(output_dir_open(&od, d, 0, &err), OUTPUT_DIR_OK);
	assert_true(od.lock_fd >= 0);
	snprintf(path, sizeof path, "%s/p.pdf", d);
	assert_int_equal(output_begin(&o, path, 0, &err), 0);
	output_dir_clean_if_idle(d); /* another open of the stamp: refused the lock */
	assert_int_equal(access(o.tmp_path, F_OK), 0);
	output_dir_close(&od);
	assert_int_equal(od.lock_fd, -1);
	output_dir_clean_if_idle(d);
	assert_int_equal(access(o.tmp_path, F_OK), -1);
	output_abort(&o);
	/* and opening it again removes what a killed run left */
	assert_int_equal(output_begin(&o, path, 0, &err), 0);
	close(o.fd);
	o.fd = -1;
	assert_int_equal(output_dir_open(&od, d, 0, &err), OUTPUT_DIR_OK);
	assert_int_equal(access(o.tmp_path, F_OK), -1);
	output_dir_close(&od);
	output_abort(&o);
	empty_tmpdir();
}

static lp_errcode verify_text(const char *text)
{
	char path[256];
	lp_errcode r;
	int fd;

	spit(at(path, sizeof path, "v.pdf"), text);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	r = pdf_verify_file(fd, strlen(text));
	close(fd);
	unlink(path);
	return r;
}

static void test_pdf_verify(void **state)
{
	static const char whole[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 2\n0000000000 65535 f \n"
				    "0000000009 00000 n \ntrailer\n<< /Size 2 >>\nstartxref\n29\n%%EOF\n";
	char cut[sizeof whole];

	(void)state;
	empty_tmpdir();
	assert_int_equal(verify_text(whole), LP_OK);
	/* cut anywhere in its last bytes: refused */
	memcpy(cut, whole, sizeof whole);
	cut[sizeof whole - 4] = '\0';
	assert_int_equal(verify_text(cut), LP_E_PDF_NO_TRAILER);
	/* startxref pointing elsewhere */
	memcpy(cut, whole, sizeof whole);
	memcpy(strstr(cut, "startxref\n29") + 10, "31", 2);
	assert_int_equal(verify_text(cut), LP_E_PDF_BAD_XREF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_commit),
		cmocka_unit_test(test_verify_keeps_from_name),
		cmocka_unit_test(test_size_checked),
		cmocka_unit_test(test_commit_all),
		cmocka_unit_test(test_remove_temporaries),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_dir_claim),
		cmocka_unit_test(test_dir_lock),
		cmocka_unit_test(test_pdf_verify),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
