/*
 * support: helpers the unit tests share (linked into every tests/unit/test_*
 * program by the Makefile): running a shell command, formatting a string,
 * reading and writing whole files, a PNG written into memory, whether a
 * tool is installed (saying so when not), a child process that file
 * permissions apply to even when the tests run as root, and an applicant
 * folder checked the way build checks it (packet_fixture: the PDF, report
 * and manifest tests start from one).
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
#include <ftw.h>
#include <sys/stat.h>
#include <png.h>
#include <string.h>

#include "packet/ident.h"
#include "packet/manifest.h"
#include "pdf/font.h"

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

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

int rm_tree(const char *dir)
{
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int occurrences(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	int count = 0;

	if (m == 0 || m > n)
		return 0;
	for (size_t i = 0; i + m <= n;) {
		const uint8_t *p = memchr(hay + i, needle[0], n - m + 1 - i);
		if (p == NULL)
			break;
		i = (size_t)(p - hay);
		if (memcmp(p, needle, m) == 0)
			count++;
		i++;
	}
	return count;
}

const char fixture_packet_json[] =
	"{ \"template\": \"icp-renewal\",\n"
	"  \"company\": {\"name\": \"测试网络科技有限公司\", \"uscc\": \"91350200776049653A\"},\n"
	"  \"legal_rep\": {\"name\": \"李四\", \"id_number\": \"11010519491231002X\", \"id_expiry\": \"2035-01-01\"},\n"
	"  \"licence\": {\"number\": \"京B2-20212732\", \"expiry\": \"2027-02-01\"},\n"
	"  \"domains\": [{\"name\": \"example.com\", \"expiry\": \"2030-01-01\"}] }\n";

packet_fixture *packet_fixture_new(const char *tag)
{
	packet_fixture *fx = calloc(1, sizeof *fx);
	char err[256];

	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/licpack-%.16s-XXXXXX", tag);
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->in, sizeof fx->in, "%s/in", fx->dir);
	snprintf(fx->out, sizeof fx->out, "%s/out", fx->dir);
	assert_int_equal(mkdir(fx->in, 0700), 0);
	assert_int_equal(mkdir(fx->out, 0700), 0);
	if (cjk_font_find(fx->font, sizeof fx->font, &fx->font_index) != 0)
		fail_msg("no CJK font (apt-get install fonts-wqy-microhei)");
	if (template_set_new(&fx->set, err, sizeof err) != 0)
		fail_msg("template_set_new: %s", err);
	fx->packet_json = fixture_packet_json;
	fx->today = "2026-11-28";
	return fx;
}

int packet_fixture_setup(void **state)
{
	*state = packet_fixture_new("unit");
	return 0;
}

int packet_fixture_teardown(void **state)
{
	packet_fixture_free(*state);
	return 0;
}

void packet_fixture_release(packet_fixture *fx)
{
	if (fx->names != NULL)
		for (size_t i = 0; i < fx->r.n_files; i++)
			free(fx->names[i]);
	free(fx->names);
	fx->names = NULL;
	if (fx->checked)
		check_result_release(&fx->r);
	fx->checked = 0;
}

void packet_fixture_check(packet_fixture *fx, uint64_t keep_bytes)
{
	check_options opt;
	char err[512], *pj = xstrdupf("%s/packet.json", fx->in);
	long today;

	packet_fixture_release(fx);
	write_file(pj, fx->packet_json, strlen(fx->packet_json));
	free(pj);
	check_options_init(&opt);
	opt.keep_data = 1;
	opt.keep_bytes = keep_bytes;
	assert_int_equal(date_parse(fx->today, &today), 0);
	opt.today = today;
	if (check_folder(fx->set, fx->in, &opt, &fx->r, err, sizeof err) != LP_EXIT_OK)
		fail_msg("check_folder: %s", err);
	fx->checked = 1;
	fx->names = calloc(fx->r.n_files + 1, sizeof *fx->names);
	assert_non_null(fx->names);
	for (size_t i = 0; i < fx->r.n_files; i++)
		assert_non_null(fx->names[i] = packet_file_name(&fx->r, i, 0));
	memset(&fx->job, 0, sizeof fx->job);
	fx->job.r = &fx->r;
	fx->job.font_path = fx->font;
	fx->job.font_index = fx->font_index;
	fx->job.watermark = fx->r.tpl->watermark;
	fx->job.watermark_text = fx->r.tpl->purpose.zh;
	fx->job.incomplete = !fx->r.complete;
	fx->job.build_date = fx->today;
	fx->job.packet_names = fx->names;
	fx->job.title = "测试网络科技有限公司 ICP经营许可证续期";
}

void packet_fixture_free(packet_fixture *fx)
{
	if (fx == NULL)
		return;
	packet_fixture_release(fx);
	template_set_free(fx->set);
	if (getenv("LICPACK_KEEP") == NULL)
		rm_tree(fx->dir);
	else
		fprintf(stderr, "kept %s\n", fx->dir);
	free(fx);
}
