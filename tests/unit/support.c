/*
 * support: helpers the unit tests share (linked into every tests/unit/test_*
 * program by the Makefile): running a shell command, formatting a string,
 * reading and writing whole files, a PNG written into memory, whether a
 * tool is installed (saying so when not), a child process that file
 * permissions apply to even when the tests run as root.
 */
#include "tests/unit/support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <png.h>
#include <string.h>

int sh(const char *fmt, ...)
{
	va_list ap;
	char cmd[4096];
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

char *xstrdupf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	/* NUL-terminated too, so that headers can be parsed as text */
	buf = realloc(buf, n + 1);
	assert_non_null(buf);
	buf[n] = 0;
	*len = n;
	return buf;
}

void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

void png_mem_write(png_structp png, png_bytep data, size_t n)
{
	membuf *m = png_get_io_ptr(png);
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		m->buf = realloc(m->buf, m->cap);
		assert_non_null(m->buf);
	}
	memcpy(m->buf + m->len, data, n);
	m->len += n;
}

void png_mem_flush(png_structp png)
{
	(void)png;
}

int have_tool(const char *name)
{
	if (sh("command -v '%s' >/dev/null 2>&1", name) == 0)
		return 1;
	/* stdout: cmocka's own lines are there, so the line lands in its test */
	printf("SKIPPED: '%s' is not installed (make deps-test installs it); "
	       "the checks that use it are left out\n", name);
	fflush(stdout);
	return 0;
}

/* Raw capget/capset: glibc has no wrapper and libcap is not worth a
 * dependency for three bits of the effective set. */
static int drop_dac_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	const int caps[] = { CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER };

	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		data[CAP_TO_INDEX(caps[i])].effective &= ~CAP_TO_MASK(caps[i]);
		data[CAP_TO_INDEX(caps[i])].permitted &= ~CAP_TO_MASK(caps[i]);
		data[CAP_TO_INDEX(caps[i])].inheritable &= ~CAP_TO_MASK(caps[i]);
	}
	return syscall(SYS_capset, &hdr, data) == 0 ? 0 : -1;
}

pid_t fork_unprivileged(void)
{
	pid_t pid;

	fflush(NULL);  /* nothing buffered is written twice */
	pid = fork();
	if (pid == 0 && geteuid() == 0 && drop_dac_capabilities() != 0)
		_exit(125);
	return pid;
}
