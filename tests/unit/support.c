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

#include <cjson/cJSON.h>
#include <dirent.h>
#include <ftw.h>
#include <jpeglib.h>
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
	lp_err err;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/licpack-%.16s-XXXXXX", tag);
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->in, sizeof fx->in, "%s/in", fx->dir);
	snprintf(fx->out, sizeof fx->out, "%s/out", fx->dir);
	assert_int_equal(mkdir(fx->in, 0700), 0);
	assert_int_equal(mkdir(fx->out, 0700), 0);
	if (cjk_font_find(fx->font, sizeof fx->font, &fx->font_index) != 0)
		fail_msg("no CJK font (apt-get install fonts-wqy-microhei)");
	if (template_set_new(&fx->set, &err) != 0)
		fail_msg("template_set_new: %s", err.en);
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
	lp_err err;
	char *pj = xstrdupf("%s/packet.json", fx->in);
	long today;

	packet_fixture_release(fx);
	write_file(pj, fx->packet_json, strlen(fx->packet_json));
	free(pj);
	check_options_init(&opt);
	opt.keep_data = 1;
	opt.keep_bytes = keep_bytes;
	assert_int_equal(date_parse(fx->today, &today), 0);
	opt.today = today;
	if (check_folder(fx->set, fx->in, &opt, &fx->r, &err) != LP_EXIT_OK)
		fail_msg("check_folder: %s", err.en);
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

static void made_material(material *m, const char *id, const char *zh, const char *en, int required,
			  int count_max, per_kind per)
{
	m->id = (char *)id;
	m->title.zh = (char *)zh;
	m->title.en = (char *)en;
	m->required = required;
	m->count_min = required;
	m->count_max = count_max;
	m->per = per;
}

static void made_file(made_check *mc, size_t i, const char *rel, int material, int k, match_how how,
		      file_format fmt, uint32_t w, uint32_t h, int pages, uint64_t bytes)
{
	checked_file *f = &mc->files[i];

	f->rel = f->raw = (char *)rel;
	f->material = material;
	f->entity = -1;
	f->k = k;
	f->how = how;
	f->bytes = bytes;
	f->info.format = fmt;
	f->info.status = PROBE_OK;
	f->info.width = w;
	f->info.height = h;
	f->info.pages = pages;
	/* a baseline 8-bit colour JPEG, one a PDF can embed (the manifest
	 * lists the others as refused) */
	f->info.bit_depth = 8;
	f->info.components = 3;
	f->info.jpeg_sof = 0;
	/* a recognisable stand-in for a hash: 64 times the file's index */
	memset(f->sha256, '0' + (int)i, 64);
	f->sha256[64] = '\0';
	mc->count[material]++;
}

void made_check_init(made_check *mc)
{
	check_result *r = &mc->r;

	memset(mc, 0, sizeof *mc);
	mc->tpl.id = "test-renewal";
	mc->tpl.version = 3;
	mc->tpl.title.zh = "测试许可证续期";
	mc->tpl.title.en = "Test licence renewal";
	mc->tpl.materials = mc->mats;
	mc->tpl.n_materials = 5;
	made_material(&mc->mats[0], "business-license", "营业执照副本", "Business licence", 1, 1, PER_NONE);
	made_material(&mc->mats[1], "domain-certificate", "域名证书", "Domain certificate", 1, 0, PER_DOMAIN);
	made_material(&mc->mats[2], "current-licence", "现有许可证", "Current licence", 1, 0, PER_NONE);
	made_material(&mc->mats[3], "commitment", "承诺书", "Commitment letter", 0, 1, PER_NONE);
	made_material(&mc->mats[4], "security-plan", "信息安全方案", "Security plan", 1, 1, PER_NONE);

	r->tpl = &mc->tpl;
	r->app.present = r->app.found = 1;
	r->app.template_id = "test-renewal";
	r->app.company_name = "测试网络科技有限公司";
	r->app.company_uscc = "91350200776049653A";
	r->app.rep_name = "李四";
	r->app.rep_id_number = "11010519491231002X";
	r->app.rep_id_expiry = "2035-01-01";
	r->app.licence_number = "京B2-20212732";
	r->app.licence_expiry = "2027-02-01";
	mc->domains[0].name = "example.com";
	mc->domains[0].expiry = "2030-01-01";
	r->app.domains = mc->domains;
	r->app.n_domains = 1;

	made_file(mc, 0, "营业执照.jpg", 0, 1, HOW_NAME, FMT_JPEG, 2480, 3508, 1, 123456);
	mc->files[0].info.dpi_x = mc->files[0].info.dpi_y = 150;
	made_file(mc, 1, "域名证书_example.com.png", 1, 1, HOW_NAME, FMT_PNG, 1200, 900, 1, 2345);
	mc->files[1].entity = 0;
	made_file(mc, 2, "现有许可证/p1.pdf", 2, 1, HOW_FOLDER, FMT_PDF, 0, 0, 2, 34567);
	mc->files[2].errors = 1;
	made_file(mc, 3, "现有许可证/p2.jpg", 2, 2, HOW_FOLDER, FMT_JPEG, 800, 600, 1, 4567);
	mc->files[3].info.orientation = 6;
	r->files = mc->files;
	r->n_files = 4;
	mc->unrecognized[0] = "IMG_1.jpg";
	r->unrecognized = mc->unrecognized;
	r->n_unrecognized = 1;
	mc->state[0] = MAT_COMPLETE;
	mc->state[1] = MAT_COMPLETE;
	mc->state[2] = MAT_INVALID;
	mc->state[3] = MAT_ABSENT_OPTIONAL;
	mc->state[4] = MAT_MISSING;
	r->state = mc->state;
	r->count = mc->count;
	assert_int_equal(findings_add_sev(&r->findings, "low-dpi", SEV_WARNING, "business-license", "营业执照.jpg",
					  strdup("'营业执照.jpg': 150 dpi"), strdup("“营业执照.jpg”：150 dpi")), 0);
	assert_int_equal(findings_add_sev(&r->findings, "corrupt", SEV_ERROR, "current-licence", "现有许可证/p1.pdf",
					  strdup("'现有许可证/p1.pdf': damaged"), strdup("“现有许可证/p1.pdf”已损坏")), 0);
	assert_int_equal(findings_add_sev(&r->findings, "missing", SEV_ERROR, "security-plan", NULL,
					  strdup("no Security plan"), strdup("缺少信息安全方案")), 0);
	assert_int_equal(findings_add_sev(&r->findings, "unrecognized", SEV_WARNING, NULL, "IMG_1.jpg",
					  strdup("'IMG_1.jpg': not recognised"), strdup("“IMG_1.jpg”：无法识别")), 0);
	r->complete = 0;
	r->dir = "acme";
}

void made_check_release(made_check *mc)
{
	findings_release(&mc->r.findings);
}

int made_check_setup(void **state)
{
	made_check *mc = malloc(sizeof *mc);

	assert_non_null(mc);
	made_check_init(mc);
	*state = mc;
	return 0;
}

int made_check_teardown(void **state)
{
	made_check_release(*state);
	free(*state);
	return 0;
}

void assert_json_members(const char *json, const char *expected)
{
	size_t len = strlen(json);
	cJSON *root;
	char *compact;

	assert_true(len > 0 && json[len - 1] == '\n');
	root = cJSON_Parse(json);
	assert_non_null(root);
	compact = cJSON_PrintUnformatted(root);
	assert_non_null(compact);
	assert_string_equal(compact, expected);
	free(compact);
	cJSON_Delete(root);
}

int template_set_setup(void **state)
{
	template_set *set = NULL;
	lp_err err = { 0 };

	if (template_set_new(&set, &err) != 0) {
		print_error("template_set_new: %s\n", err.en);
		return -1;
	}
	*state = set;
	return 0;
}

int template_set_teardown(void **state)
{
	template_set_free(*state);
	return 0;
}

void jpeg_plain_under_valgrind(void)
{
	if (RUNNING_ON_VALGRIND)
		setenv("JSIMD_FORCENONE", "1", 0);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t fuzz_replay_dir(const char *dir, fuzz_one_fn fn)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		assert_non_null(names);
		names[n] = strdup(de->d_name);
		assert_non_null(names[n++]);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n; i++) {
		char path[1024];
		FILE *f;
		uint8_t *data;
		long len;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		len = ftell(f);
		assert_true(len >= 0);
		rewind(f);
		/* an exact-size heap copy, as libFuzzer passes it */
		data = malloc(len ? (size_t)len : 1);
		assert_non_null(data);
		assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		fn(data, (size_t)len);
		free(data);
		free(names[i]);
	}
	free(names);
	return n;
}

size_t fuzz_replay(const char *target, fuzz_one_fn one)
{
	char seeds[256], regressions[256];

	snprintf(seeds, sizeof seeds, "tests/fuzz/seeds/%s", target);
	snprintf(regressions, sizeof regressions, "tests/fuzz/regressions/%s", target);
	return fuzz_replay_dir(seeds, one) + fuzz_replay_dir(regressions, one);
}

uint8_t *half_black_jpeg(uint32_t w, uint32_t h, int components, int dpi, size_t *len)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	uint8_t *row = malloc((size_t)w * (size_t)components);

	assert_non_null(row);
	for (uint32_t x = 0; x < w; x++)
		memset(row + (size_t)components * x, x < w / 2 ? 0 : 255, (size_t)components);
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &n);
	c.image_width = w;
	c.image_height = h;
	c.input_components = components;
	c.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	if (dpi) {
		c.density_unit = 1;
		c.X_density = c.Y_density = (UINT16)dpi;
	}
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < h)
		jpeg_write_scanlines(&c, &row, 1);
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	*len = n;
	return out;
}

/* A w x h PNG of format fmt (PNG_FORMAT_*), pixels a gradient with noise
 * (so that the JPEG is not trivially small); *len bytes, the caller frees. */
uint8_t *png_of(uint32_t w, uint32_t h, uint32_t fmt, size_t *len)
{
	png_image im;
	size_t n;
	uint8_t *px, *out;
	uint32_t seed = 12345;

	memset(&im, 0, sizeof im);
	im.version = PNG_IMAGE_VERSION;
	im.width = w;
	im.height = h;
	im.format = fmt;
	n = PNG_IMAGE_SIZE(im);
	px = malloc(n);
	assert_non_null(px);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		px[i] = (uint8_t)((i / 7) % 200 + (seed >> 28));
	}
	*len = 0;
	assert_true(png_image_write_to_memory(&im, NULL, len, 0, px, 0, NULL));
	out = malloc(*len);
	assert_non_null(out);
	assert_true(png_image_write_to_memory(&im, out, len, 0, px, 0, NULL));
	free(px);
	return out;
}
