/*
 * test_scan: the walk of an applicant folder (packet/scan.h), by its exact
 * listing.
 *
 * Each test builds a folder in /tmp and compares scan_folder's whole result
 * with the expected one, one line per entry: "kind rel [size] [errno]",
 * in the order the scan gives (natural order, SPEC §3). What is skipped
 * (hidden files, OS litter, packet.json and README.txt at the top) must be
 * absent; what is refused (links leaving the folder, special files,
 * unreadable or too deep sub-folders) must be listed with its reason.
 * The unreadable sub-folder is read in a child without root's power over
 * file modes (support's fork_unprivileged), so that it is tested as root too.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/support.h"

#include "packet/scan.h"

static const char *const kind_names[] = { "file", "link-outside", "link-broken", "not-regular",
					  "unreadable", "too-deep" };

/* The errno values a scan gives, by name (strerrorname_np needs _GNU_SOURCE). */
static const char *errname(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EISDIR: return "EISDIR";
	case EACCES: return "EACCES";
	case ELOOP: return "ELOOP";
	default: return "other";
	}
}

typedef struct {
	char dir[64];     /* the test's folder */
	char root[96];    /* the applicant folder inside it */
} scan_fixture;

static int setup(void **state)
{
	scan_fixture *fx = calloc(1, sizeof *fx);

	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/licpack-scan-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->root, sizeof fx->root, "%s/folder", fx->dir);
	assert_int_equal(mkdir(fx->root, 0700), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	scan_fixture *fx = *state;

	/* a test that failed half way may leave a folder without permissions */
	sh("chmod -R u+rwx '%s' 2>/dev/null", fx->dir);
	rm_tree(fx->dir);
	free(fx);
	return 0;
}

/* Create rel (and its parent folders) under root, holding len bytes of 'x'. */
static void put(const char *root, const char *rel, size_t len)
{
	char *path = xstrdupf("%s/%s", root, rel), *slash;
	char *data = malloc(len + 1);

	assert_non_null(data);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0700) != 0)
			assert_int_equal(errno, EEXIST);
		*slash = '/';
	}
	memset(data, 'x', len);
	write_file(path, data, len);
	free(data);
	free(path);
}

/* The scan as text: "kind rel" with " size=N" for files and " errno=E" when
 * the entry has one; name= too when the display name differs from rel. */
static char *listing(const scan_list *l)
{
	char *out = xstrdupf("%s", "");

	for (size_t i = 0; i < l->n; i++) {
		const scan_entry *e = &l->v[i];
		char *line = xstrdupf("%s%s %s", out, kind_names[e->kind], e->rel), *more;

		free(out);
		if (e->kind == SCAN_FILE)
			more = xstrdupf("%s size=%llu", line, (unsigned long long)e->size);
		else if (e->err != 0)
			more = xstrdupf("%s errno=%s", line, errname(e->err));
		else
			more = xstrdupf("%s", line);
		free(line);
		if (strcmp(e->name, e->rel) != 0)
			out = xstrdupf("%s name=%s\n", more, e->name);
		else
			out = xstrdupf("%s\n", more);
		free(more);
	}
	return out;
}

static void assert_scan(const char *root, const char *expected)
{
	scan_list l;
	char *got;

	assert_int_equal(scan_folder(root, &l), 0);
	got = listing(&l);
	assert_string_equal(got, expected);
	free(got);
	scan_release(&l);
}

/* Natural order ("p2" before "p10", case aside), sub-folders walked and
 * listed by their path, sizes and modification times as on disk. */
static void test_natural_order(void **state)
{
	scan_fixture *fx = *state;
	struct timeval when[2] = { { 1700000000, 0 }, { 1700000001, 0 } };
	scan_list l;
	char *p;

	put(fx->root, "p10.jpg", 10);
	put(fx->root, "p2.jpg", 2);
	put(fx->root, "P1.jpg", 1);
	put(fx->root, "现有许可证/p10.jpg", 3);
	put(fx->root, "现有许可证/p9.jpg", 4);
	put(fx->root, "a/b/c.png", 0);
	put(fx->root, "B.pdf", 5);
	assert_scan(fx->root,
		    "file a/b/c.png size=0\n"
		    "file B.pdf size=5\n"
		    "file P1.jpg size=1\n"
		    "file p2.jpg size=2\n"
		    "file p10.jpg size=10\n"
		    "file 现有许可证/p9.jpg size=4\n"
		    "file 现有许可证/p10.jpg size=3\n");
	p = xstrdupf("%s/B.pdf", fx->root);
	assert_int_equal(utimes(p, when), 0);
	free(p);
	assert_int_equal(scan_folder(fx->root, &l), 0);
	assert_string_equal(l.v[1].rel, "B.pdf");
	assert_int_equal(l.v[1].mtime, 1700000001);
	scan_release(&l);
}

/* Hidden files and folders, OS litter, and packet.json and README.txt at
 * the top are never listed; in a sub-folder the last two are files like
 * any other. */
static void test_skipped(void **state)
{
	scan_fixture *fx = *state;

	put(fx->root, "营业执照.jpg", 7);
	put(fx->root, ".DS_Store", 1);
	put(fx->root, ".hidden/营业执照.jpg", 1);
	put(fx->root, "~$申请表.docx", 1);
	put(fx->root, "Thumbs.db", 1);
	put(fx->root, "desktop.ini", 1);
	put(fx->root, "__MACOSX/._营业执照.jpg", 1);
	put(fx->root, "$RECYCLE.BIN/x.jpg", 1);
	put(fx->root, "packet.json", 2);
	put(fx->root, "README.txt", 3);
	put(fx->root, "sub/packet.json", 4);
	put(fx->root, "sub/README.txt", 5);
	put(fx->root, "sub/.x.jpg", 1);
	assert_scan(fx->root,
		    "file sub/packet.json size=4\n"
		    "file sub/README.txt size=5\n"
		    "file 营业执照.jpg size=7\n");
}

/* A link to a file inside the folder is that file; a link out of the
 * folder is refused; a dangling link, a link to a folder and a FIFO are
 * listed with their reason, never opened. */
static void test_links_and_special_files(void **state)
{
	scan_fixture *fx = *state;
	char *p;

	put(fx->root, "real.jpg", 6);
	put(fx->dir, "outside.jpg", 9);
	p = xstrdupf("%s/in-link.jpg", fx->root);
	assert_int_equal(symlink("real.jpg", p), 0);
	free(p);
	p = xstrdupf("%s/out-link.jpg", fx->root);
	assert_int_equal(symlink("../outside.jpg", p), 0);
	free(p);
	p = xstrdupf("%s/dangling.jpg", fx->root);
	assert_int_equal(symlink("nowhere.jpg", p), 0);
	free(p);
	put(fx->root, "sub/s.jpg", 2);
	p = xstrdupf("%s/dir-link", fx->root);
	assert_int_equal(symlink("sub", p), 0);
	free(p);
	p = xstrdupf("%s/pipe.jpg", fx->root);
	assert_int_equal(mkfifo(p, 0600), 0);
	free(p);
	assert_scan(fx->root,
		    "link-broken dangling.jpg errno=ENOENT\n"
		    "link-broken dir-link errno=EISDIR\n"
		    "file in-link.jpg size=6\n"
		    "link-outside out-link.jpg\n"
		    "not-regular pipe.jpg\n"
		    "file real.jpg size=6\n"
		    "file sub/s.jpg size=2\n");
}

/* Sub-folders nested deeper than SCAN_MAX_DEPTH are listed, not read. */
static void test_too_deep(void **state)
{
	scan_fixture *fx = *state;
	char rel[256] = "";

	for (int i = 0; i < SCAN_MAX_DEPTH; i++)
		strcat(rel, "d/");
	strcat(rel, "x.jpg");
	put(fx->root, rel, 1);
	put(fx->root, "d/top.jpg", 1);
	/* levels 1-15 are read; the 16th "d" is where the scan stops */
	rel[2 * SCAN_MAX_DEPTH - 1] = '\0';
	{
		char *want = xstrdupf("too-deep %s\nfile d/top.jpg size=1\n", rel);
		assert_scan(fx->root, want);
		free(want);
	}
}

/* Bytes that are not UTF-8 and control characters are kept in rel (to
 * open the file) and written as \xHH in name (for reports). */
static void test_names_escaped(void **state)
{
	scan_fixture *fx = *state;

	put(fx->root, "bad\xff.jpg", 1);
	put(fx->root, "tab\there.jpg", 2);
	assert_scan(fx->root,
		    "file bad\xff.jpg size=1 name=bad\\xFF.jpg\n"
		    "file tab\there.jpg size=2 name=tab\\x09here.jpg\n");
}

/* A sub-folder that cannot be listed is a finding, the rest is still
 * scanned; a folder that cannot be opened at all is the caller's error.
 * In a child that file modes apply to, root included: it sends back the
 * listing (or "error ERRNO"). */
static void test_unreadable(void **state)
{
	scan_fixture *fx = *state;
	char *locked = xstrdupf("%s/locked", fx->root), got[1024];
	int fd[2], status;
	ssize_t n, r;
	pid_t pid;

	put(fx->root, "locked/in.jpg", 1);
	put(fx->root, "ok.jpg", 3);
	assert_int_equal(chmod(locked, 0), 0);
	assert_int_equal(pipe(fd), 0);
	pid = fork_unprivileged();
	assert_true(pid >= 0);
	if (pid == 0) {
		scan_list l;
		char *text;

		close(fd[0]);
		if (scan_folder(fx->root, &l) != 0)
			_exit(3);
		text = listing(&l);
		dprintf(fd[1], "%s", text);
		free(text);
		scan_release(&l);
		if (scan_folder(locked, &l) == 0)
			_exit(4);
		dprintf(fd[1], "whole: %s\n", errname(errno));
		free(locked);
		_exit(0);
	}
	close(fd[1]);
	for (n = 0; (r = read(fd[0], got + n, sizeof got - 1 - (size_t)n)) > 0;)
		n += r;
	close(fd[0]);
	got[n] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(chmod(locked, 0700), 0);
	free(locked);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(got,
			    "unreadable locked errno=EACCES\n"
			    "file ok.jpg size=3\n"
			    "whole: EACCES\n");
}

static void test_missing_folder(void **state)
{
	scan_fixture *fx = *state;
	char *path = xstrdupf("%s/none", fx->dir);
	scan_list l;

	errno = 0;
	assert_int_equal(scan_folder(path, &l), -1);
	assert_int_equal(errno, ENOENT);
	free(path);
}

/* scan_open opens what the scan listed, and refuses what has changed into
 * a link out of the folder (ELOOP) or into something not regular (EINVAL)
 * since. */
static void test_open(void **state)
{
	scan_fixture *fx = *state;
	scan_list l;
	char buf[8], *p;
	int fd;

	put(fx->root, "a.jpg", 4);
	put(fx->root, "b.jpg", 4);
	put(fx->root, "c.jpg", 4);
	put(fx->dir, "outside.jpg", 9);
	assert_int_equal(scan_folder(fx->root, &l), 0);
	assert_int_equal(l.n, 3);

	fd = scan_open(&l, fx->root, "a.jpg");
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof buf), 4);
	assert_memory_equal(buf, "xxxx", 4);
	close(fd);

	p = xstrdupf("%s/b.jpg", fx->root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("../outside.jpg", p), 0);
	free(p);
	errno = 0;
	assert_int_equal(scan_open(&l, fx->root, "b.jpg"), -1);
	assert_int_equal(errno, ELOOP);

	p = xstrdupf("%s/c.jpg", fx->root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
	free(p);
	errno = 0;
	assert_int_equal(scan_open(&l, fx->root, "c.jpg"), -1);
	assert_int_equal(errno, EINVAL);

	errno = 0;
	assert_int_equal(scan_open(&l, fx->root, "gone.jpg"), -1);
	assert_int_equal(errno, ENOENT);
	scan_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_natural_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_and_special_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_deep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
