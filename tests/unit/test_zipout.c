/*
 * test_zipout: the packet zip, checked byte by byte and by other readers.
 *
 * Each test gets a fresh folder with in/ (the inputs) and out/ (where the
 * zip goes). The packet built here is the shape the build writes: a cover,
 * materials with Chinese names, manifest.json. It is read back three ways:
 * by walking its headers here (so that the local headers, which Python's
 * zipfile does not report, are checked too), by python3's zipfile, and by
 * unzip and 7z's own integrity tests. A missing external tool is reported
 * by a "SKIPPED:" line (support's have_tool; tests/run.sh counts it) and
 * its check left out; everything else must hold exactly.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>

#include "tests/unit/support.h"

#include "packet/zipout.h"

/* 2023-11-14 22:13:21 UTC: an odd second, which a DOS time rounds down. */
#define T_FIXED ((time_t)1700000001)
/* The same, as DOS fields written out by hand: 22:13:20, 2023-11-14. */
#define DOS_TIME ((22u << 11) | (13u << 5) | (20u / 2))
#define DOS_DATE (((2023u - 1980u) << 9) | (11u << 5) | 14u)

#define N_ENTRIES 5
#define PATH_LEN 1024
#define MSG_LEN 3072

struct fixture {
	char dir[PATH_LEN];     /* the test's folder, under $TMPDIR or /tmp */
	char in[PATH_LEN];      /* dir/in */
	char out[PATH_LEN];     /* dir/out */
	char zip[PATH_LEN];     /* dir/out/p.zip */
	char script[PATH_LEN];  /* dir/check.py */
	mode_t old_umask;
	char *old_tz;       /* owned copy of TZ, or NULL when unset */
};

/* What goes into the packet, in order. src == NULL: added from memory
 * (zipout_add_buffer); else a file under in/ whose bytes a loader reads
 * when the zip is written (zipout_add_loaded), as the packet's materials
 * are when a folder is too large to keep in memory. */
struct entry {
	const char *name;
	const char *src;    /* file name under in/ */
	zipout_method method;
	unsigned char *data;
	size_t len;
};

static struct entry entries[N_ENTRIES] = {
	{ "00_封面.pdf", NULL, ZIPOUT_STORE, NULL, 0 },
	{ "01_营业执照.jpg", "yyzz.jpg", ZIPOUT_STORE, NULL, 0 },
	{ "02_法定代表人身份证人像面.png", "id-front.png", ZIPOUT_STORE, NULL, 0 },
	{ "03_域名证书_2.pdf", "domain-b.pdf", ZIPOUT_STORE, NULL, 0 },
	{ "manifest.json", NULL, ZIPOUT_DEFLATE, NULL, 0 },
};

/* Reads the zip with Python's zipfile: one line per entry, then the archive
 * comment. argv[2:] are reference files holding each entry's bytes. */
static const char check_py[] =
	"import sys, zipfile\n"
	"z = zipfile.ZipFile(sys.argv[1])\n"
	"for i, ref in zip(z.infolist(), sys.argv[2:]):\n"
	"    same = z.read(i) == open(ref, 'rb').read()\n"
	"    print('%s|%d|%#06x|%r|%o|%d|%s|%s|%s' % (i.filename, i.compress_type,\n"
	"          i.flag_bits, i.date_time, i.external_attr >> 16, i.create_system,\n"
	"          i.extra.hex(), i.comment.hex(), 'same' if same else 'DIFF'))\n"
	"print('entries=%d comment=%s' % (len(z.infolist()), z.comment.hex()))\n";

/* ---- small helpers ---- */

static void fill(unsigned char *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
}

static unsigned char *make_bytes(const char *head, size_t head_len, size_t body,
				 const char *tail, size_t tail_len, uint32_t seed, size_t *len)
{
	unsigned char *p = malloc(head_len + body + tail_len);

	assert_non_null(p);
	memcpy(p, head, head_len);
	fill(p + head_len, body, seed);
	memcpy(p + head_len + body, tail, tail_len);
	*len = head_len + body + tail_len;
	return p;
}


/* Whole file in a new buffer the caller frees; the file must exist. */
static unsigned char *read_whole(const char *path, size_t *len)
{
	unsigned char *p = read_file(path, len);

	assert_non_null(p);
	return p;
}

static void pathf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < len);
}

/* Names in dir, sorted, each followed by '\n', in out. */
static void listing(const char *dir, char *out, size_t outlen)
{
	struct dirent **names;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	assert_true(n >= 0);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			assert_true(strlen(out) + strlen(names[i]->d_name) + 2 <= outlen);
			strcat(out, names[i]->d_name);
			strcat(out, "\n");
		}
		free(names[i]);
	}
	free(names);
}

static void assert_listing(const char *dir, const char *expected)
{
	char got[1024];

	listing(dir, got, sizeof got);
	assert_string_equal(got, expected);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		chmod(path, 0700);  /* undo a test's chmod before removing */
	return remove(path);
}

static void set_tz(const char *tz)
{
	if (tz)
		assert_int_equal(setenv("TZ", tz, 1), 0);
	else
		unsetenv("TZ");
	tzset();
}

static void touch_mtime(const char *path, time_t t)
{
	struct timeval tv[2] = { { t, 0 }, { t, 0 } };

	assert_int_equal(utimes(path, tv), 0);
}

/* dir holds just the zip's temporary file, still private. */
static void assert_temp_only(const char *dir)
{
	char got[PATH_LEN], path[PATH_LEN];
	struct stat st;

	listing(dir, got, sizeof got);
	assert_int_equal(strncmp(got, ".licpack-tmp.p.zip.", 19), 0);
	assert_int_equal(strlen(got), strlen(".licpack-tmp.p.zip.XXXXXX\n"));
	got[strlen(got) - 1] = '\0';
	pathf(path, sizeof path, "%s/%s", dir, got);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

/* ---- fixture ---- */

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	const char *tz = getenv("TZ"), *tmp = getenv("TMPDIR");
	char path[PATH_LEN];
	size_t i;

	assert_non_null(fx);
	pathf(fx->dir, sizeof fx->dir, "%s/licpack-zipout-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	pathf(fx->in, sizeof fx->in, "%s/in", fx->dir);
	pathf(fx->out, sizeof fx->out, "%s/out", fx->dir);
	pathf(fx->zip, sizeof fx->zip, "%s/p.zip", fx->out);
	pathf(fx->script, sizeof fx->script, "%s/check.py", fx->dir);
	assert_int_equal(mkdir(fx->in, 0700), 0);
	assert_int_equal(mkdir(fx->out, 0700), 0);
	write_file(fx->script, check_py, sizeof check_py - 1);
	fx->old_umask = umask(022);
	fx->old_tz = tz ? strdup(tz) : NULL;

	/* Look-alikes of each format; the JPEG is larger than libzip's
	 * 8 KiB copy buffer so that a file is read in several pieces. */
	entries[0].data = make_bytes("%PDF-1.7\n", 9, 2000, "\n%%EOF\n", 7, 1, &entries[0].len);
	entries[1].data = make_bytes("\xff\xd8\xff\xe0", 4, 100000, "\xff\xd9", 2, 2, &entries[1].len);
	entries[2].data = make_bytes("\x89PNG\r\n\x1a\n", 8, 3000, "IEND\xae\x42\x60\x82", 8, 3,
				     &entries[2].len);
	entries[3].data = make_bytes("%PDF-1.4\n", 9, 5000, "\n%%EOF\n", 7, 4, &entries[3].len);
	{
		static const char manifest[] =
			"{\n  \"template\": \"icp-renewal\",\n"
			"  \"files\": [{\"material\": \"营业执照\", \"packet_name\": "
			"\"01_营业执照.jpg\"}]\n}\n";
		entries[4].len = sizeof manifest - 1;
		entries[4].data = malloc(entries[4].len);
		assert_non_null(entries[4].data);
		memcpy(entries[4].data, manifest, entries[4].len);
	}
	/* Inputs on disk; every entry also gets a reference copy for Python. */
	for (i = 0; i < N_ENTRIES; i++) {
		pathf(path, sizeof path, "%s/ref%zu", fx->dir, i);
		write_file(path, entries[i].data, entries[i].len);
		if (entries[i].src) {
			pathf(path, sizeof path, "%s/%s", fx->in, entries[i].src);
			write_file(path, entries[i].data, entries[i].len);
			/* world-readable input: its mode must not reach the zip */
			assert_int_equal(chmod(path, 0644), 0);
		}
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	umask(fx->old_umask);
	set_tz(fx->old_tz);
	free(fx->old_tz);
	for (i = 0; i < N_ENTRIES; i++) {
		free(entries[i].data);
		entries[i].data = NULL;
	}
	assert_int_equal(nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(fx);
	return 0;
}

static void touch_inputs(struct fixture *fx, time_t t)
{
	char path[PATH_LEN];
	size_t i;

	for (i = 0; i < N_ENTRIES; i++) {
		if (entries[i].src) {
			pathf(path, sizeof path, "%s/%s", fx->in, entries[i].src);
			touch_mtime(path, t);
		}
	}
}

/* A loader that reads a file under in/ at commit, into one buffer that
 * serves every entry in turn. */
typedef struct {
	char path[PATH_LEN];
	unsigned char **buf;  /* the shared buffer, freed by the caller */
} file_loader;

static int load_file(void *arg, const uint8_t **data, size_t *len, lp_err *err)
{
	file_loader *fl = arg;

	(void)err;
	free(*fl->buf);
	*fl->buf = read_whole(fl->path, len);
	*data = *fl->buf;
	return 0;
}

/* Build the packet at path, adding every entry. Returns zipout_commit's
 * result with its message in err. */
static int build(struct fixture *fx, const char *path, time_t t, lp_err *err)
{
	file_loader loaders[N_ENTRIES];
	unsigned char *buf = NULL;
	zipout *z;
	size_t i;
	int ret;

	if (zipout_open(&z, path, t, err) != 0)
		return -1;
	for (i = 0; i < N_ENTRIES; i++) {
		if (entries[i].src) {
			pathf(loaders[i].path, sizeof loaders[i].path, "%s/%s", fx->in, entries[i].src);
			loaders[i].buf = &buf;
			assert_int_equal(zipout_add_loaded(z, entries[i].name, entries[i].len, load_file,
							   &loaders[i], entries[i].method, err), 0);
		} else {
			assert_int_equal(zipout_add_buffer(z, entries[i].name, entries[i].data,
							   entries[i].len, entries[i].method,
							   err), 0);
		}
	}
	ret = zipout_commit(z, err);
	free(buf);
	return ret;
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* DOS time and date in the first local header. */
static void first_stamp(const char *zip, uint16_t *dtime, uint16_t *ddate)
{
	size_t len;
	unsigned char *p = read_whole(zip, &len);

	assert_true(len >= 30);
	assert_int_equal(get32(p), 0x04034b50u);
	*dtime = get16(p + 10);
	*ddate = get16(p + 12);
	free(p);
}

/* ---- tests ---- */

static void method_by_extension(void **state)
{
	(void)state;
	assert_int_equal(zipout_method_for_name("01_营业执照.jpg"), ZIPOUT_STORE);
	assert_int_equal(zipout_method_for_name("a.JPEG"), ZIPOUT_STORE);
	assert_int_equal(zipout_method_for_name("a.Png"), ZIPOUT_STORE);
	assert_int_equal(zipout_method_for_name("00_封面.PDF"), ZIPOUT_STORE);
	assert_int_equal(zipout_method_for_name("manifest.json"), ZIPOUT_DEFLATE);
	assert_int_equal(zipout_method_for_name("report.txt"), ZIPOUT_DEFLATE);
	assert_int_equal(zipout_method_for_name("a.jpg.json"), ZIPOUT_DEFLATE);
	assert_int_equal(zipout_method_for_name("jpg"), ZIPOUT_DEFLATE);
	assert_int_equal(zipout_method_for_name("a.jpgx"), ZIPOUT_DEFLATE);
	assert_int_equal(zipout_method_for_name(""), ZIPOUT_DEFLATE);
	assert_int_equal(zipout_method_for_name(NULL), ZIPOUT_DEFLATE);
}

/* Every header field that matters, read straight from the bytes. */
static void headers_are_exact(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	unsigned char *p;
	size_t len, pos = 0, i, n;
	uint32_t local_off[N_ENTRIES], cd_off, cd_size, size;
	int ok = build(fx, fx->zip, T_FIXED, &err);

	assert_string_equal(err.en, "");
	assert_int_equal(ok, 0);
	p = read_whole(fx->zip, &len);
	for (i = 0; i < N_ENTRIES; i++) {
		const unsigned char *h = p + pos;
		int store = entries[i].method == ZIPOUT_STORE;

		n = strlen(entries[i].name);
		assert_true(pos + 30 + n <= len);
		local_off[i] = (uint32_t)pos;
		assert_int_equal(get32(h), 0x04034b50u);
		assert_int_equal(get16(h + 4), store ? 10 : 20);               /* version needed */
		/* bit 11 on non-ASCII names; bit 1 = deflate level 9 */
		assert_int_equal(get16(h + 6), (non_ascii(entries[i].name) ? 0x800 : 0) |
						       (store ? 0 : 0x2));
		assert_int_equal(get16(h + 8), store ? 0 : 8);
		assert_int_equal(get16(h + 10), DOS_TIME);
		assert_int_equal(get16(h + 12), DOS_DATE);
		size = get32(h + 18);
		assert_int_equal(get32(h + 22), entries[i].len);
		if (store) {
			assert_int_equal(size, entries[i].len);
			assert_memory_equal(h + 30 + n, entries[i].data, entries[i].len);
		}
		assert_int_equal(get16(h + 26), n);
		assert_int_equal(get16(h + 28), 0);                            /* no extra field */
		assert_memory_equal(h + 30, entries[i].name, n);
		pos += 30 + n + size;
	}
	cd_off = (uint32_t)pos;
	for (i = 0; i < N_ENTRIES; i++) {
		const unsigned char *h = p + pos;
		int store = entries[i].method == ZIPOUT_STORE;

		n = strlen(entries[i].name);
		assert_true(pos + 46 + n <= len);
		assert_int_equal(get32(h), 0x02014b50u);
		assert_int_equal(get16(h + 4), 0x0300 | 63);                   /* made by: Unix */
		assert_int_equal(get16(h + 6), store ? 10 : 20);
		assert_int_equal(get16(h + 8), get16(p + local_off[i] + 6));   /* same flags */
		assert_int_equal(get16(h + 10), store ? 0 : 8);
		assert_int_equal(get16(h + 12), DOS_TIME);
		assert_int_equal(get16(h + 14), DOS_DATE);
		assert_int_equal(get32(h + 16), get32(p + local_off[i] + 14)); /* CRC */
		assert_int_equal(get16(h + 28), n);
		assert_int_equal(get16(h + 30), 0);                            /* extra */
		assert_int_equal(get16(h + 32), 0);                            /* comment */
		assert_int_equal(get16(h + 34), 0);                            /* disk */
		assert_int_equal(get16(h + 36), 0);                            /* internal */
		assert_int_equal(get32(h + 38), (uint32_t)(S_IFREG | 0600) << 16);
		assert_int_equal(get32(h + 42), local_off[i]);
		assert_memory_equal(h + 46, entries[i].name, n);
		pos += 46 + n;
	}
	cd_size = (uint32_t)(pos - cd_off);
	assert_int_equal(len, pos + 22);
	assert_int_equal(get32(p + pos), 0x06054b50u);
	assert_int_equal(get16(p + pos + 4), 0);
	assert_int_equal(get16(p + pos + 6), 0);
	assert_int_equal(get16(p + pos + 8), N_ENTRIES);
	assert_int_equal(get16(p + pos + 10), N_ENTRIES);
	assert_int_equal(get32(p + pos + 12), cd_size);
	assert_int_equal(get32(p + pos + 16), cd_off);
	assert_int_equal(get16(p + pos + 20), 0);                              /* no comment */
	free(p);
}

/* What other readers see, and what is left on disk. */
static void other_readers_agree(void **state)
{
	struct fixture *fx = *state;
	static const char *expected =
		"00_封面.pdf|0|0x0800|(2023, 11, 14, 22, 13, 20)|100600|3|||same\n"
		"01_营业执照.jpg|0|0x0800|(2023, 11, 14, 22, 13, 20)|100600|3|||same\n"
		"02_法定代表人身份证人像面.png|0|0x0800|(2023, 11, 14, 22, 13, 20)|100600|3|||same\n"
		"03_域名证书_2.pdf|0|0x0800|(2023, 11, 14, 22, 13, 20)|100600|3|||same\n"
		"manifest.json|8|0x0002|(2023, 11, 14, 22, 13, 20)|100600|3|||same\n"
		"entries=5 comment=\n";
	lp_err err = { 0 };
	char cmd[8 * PATH_LEN], got[4096];
	struct stat st;
	FILE *f;
	size_t n;

	assert_int_equal(build(fx, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(stat(fx->zip, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);   /* under umask 022 */
	assert_listing(fx->out, "p.zip\n");           /* no temporary file left */

	if (have_tool("python3")) {
		pathf(cmd, sizeof cmd,
		      "PYTHONIOENCODING=utf-8 python3 %s %s %s/ref0 %s/ref1 %s/ref2 %s/ref3 %s/ref4",
		      fx->script, fx->zip, fx->dir, fx->dir, fx->dir, fx->dir, fx->dir);
		f = popen(cmd, "r");
		assert_non_null(f);
		n = fread(got, 1, sizeof got - 1, f);
		got[n] = '\0';
		assert_int_equal(pclose(f), 0);
		assert_string_equal(got, expected);
		pathf(cmd, sizeof cmd, "python3 -m zipfile -t %s >/dev/null 2>&1", fx->zip);
		assert_int_equal(system(cmd), 0);
	}
	if (have_tool("unzip")) {
		pathf(cmd, sizeof cmd, "unzip -tq %s >/dev/null 2>&1", fx->zip);
		assert_int_equal(system(cmd), 0);
	}
	if (have_tool("7z")) {
		pathf(cmd, sizeof cmd, "7z t %s >/dev/null 2>&1", fx->zip);
		assert_int_equal(system(cmd), 0);
	}
}

/* Files a and b hold the same bytes. */
static void assert_same_bytes(const char *a, const char *b)
{
	size_t la, lb;
	unsigned char *pa = read_whole(a, &la), *pb = read_whole(b, &lb);

	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	free(pa);
	free(pb);
}

/* Same inputs, same bytes: whatever TZ says and whenever it runs, even for
 * a UTC wall-clock time that does not exist in the local zone. */
static void same_bytes_any_zone_any_day(void **state)
{
	struct fixture *fx = *state;
	/* 2024-03-31 02:30 UTC: clocks in Berlin jump from 02:00 to 03:00 */
	const time_t gap = 1711852200;
	char a[PATH_LEN], b[PATH_LEN];
	lp_err err = { 0 };
	uint16_t dtime, ddate;

	pathf(a, sizeof a, "%s/a.zip", fx->out);
	pathf(b, sizeof b, "%s/b.zip", fx->out);

	set_tz("Asia/Shanghai");
	assert_int_equal(build(fx, a, T_FIXED, &err), 0);
	/* a different second on the clock and different input mtimes */
	sleep(2);
	touch_inputs(fx, 86400 * 365);
	set_tz("UTC");
	assert_int_equal(build(fx, b, T_FIXED, &err), 0);
	assert_same_bytes(a, b);

	set_tz("Europe/Berlin");
	assert_int_equal(build(fx, a, gap, &err), 0);
	set_tz("UTC");
	assert_int_equal(build(fx, b, gap, &err), 0);
	assert_same_bytes(a, b);
	first_stamp(a, &dtime, &ddate);
	assert_int_equal(dtime, (2u << 11) | (30u << 5));
	assert_int_equal(ddate, ((2024u - 1980u) << 9) | (3u << 5) | 31u);
	assert_listing(fx->out, "a.zip\nb.zip\n");
}

/* Times a DOS stamp cannot hold are clamped, not wrapped. */
static void stamp_clamped_to_dos_range(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	uint16_t dtime, ddate;

	assert_int_equal(build(fx, fx->zip, 0, &err), 0);
	first_stamp(fx->zip, &dtime, &ddate);
	assert_int_equal(dtime, 0);
	assert_int_equal(ddate, (1u << 5) | 1u);       /* 1980-01-01 */
	assert_int_equal(build(fx, fx->zip, -1, &err), 0);
	first_stamp(fx->zip, &dtime, &ddate);
	assert_int_equal(dtime, 0);
	assert_int_equal(ddate, (1u << 5) | 1u);
	/* beyond the years struct tm can hold: gmtime_r fails */
	assert_int_equal(build(fx, fx->zip, -((time_t)1 << 62), &err), 0);
	first_stamp(fx->zip, &dtime, &ddate);
	assert_int_equal(dtime, 0);
	assert_int_equal(ddate, (1u << 5) | 1u);
	assert_int_equal(build(fx, fx->zip, (time_t)1 << 40, &err), 0);
	first_stamp(fx->zip, &dtime, &ddate);
	assert_int_equal(dtime, (23u << 11) | (59u << 5) | 29u);
	assert_int_equal(ddate, (127u << 9) | (12u << 5) | 31u);  /* 2107-12-31 */
	assert_int_equal(build(fx, fx->zip, (time_t)1 << 62, &err), 0);
	first_stamp(fx->zip, &dtime, &ddate);
	assert_int_equal(dtime, (23u << 11) | (59u << 5) | 29u);
	assert_int_equal(ddate, (127u << 9) | (12u << 5) | 31u);
}

static void mode_0600_whatever_the_umask(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	struct stat st;

	umask(0);
	assert_int_equal(build(fx, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(stat(fx->zip, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* 0277 would turn a plain mkstemp file into 0400 */
	umask(0277);
	assert_int_equal(unlink(fx->zip), 0);
	assert_int_equal(build(fx, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(stat(fx->zip, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* an older, world-readable packet is replaced, not inherited from */
	umask(022);
	assert_int_equal(chmod(fx->zip, 0644), 0);
	assert_int_equal(build(fx, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(stat(fx->zip, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_listing(fx->out, "p.zip\n");
}

static void empty_zip_is_valid(void **state)
{
	struct fixture *fx = *state;
	static const unsigned char eocd[22] = { 'P', 'K', 5, 6 };
	lp_err err = { 0 };
	char cmd[2 * PATH_LEN];
	unsigned char *p;
	struct stat st;
	size_t len;
	zipout *z;

	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(zipout_commit(z, &err), 0);
	p = read_whole(fx->zip, &len);
	assert_int_equal(len, sizeof eocd);
	assert_memory_equal(p, eocd, sizeof eocd);
	free(p);
	assert_int_equal(stat(fx->zip, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_listing(fx->out, "p.zip\n");
	if (have_tool("python3")) {
		pathf(cmd, sizeof cmd, "python3 -m zipfile -t %s >/dev/null 2>&1", fx->zip);
		assert_int_equal(system(cmd), 0);
	}
}

static void abort_leaves_nothing(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	unsigned char *buf = NULL;
	file_loader fl;
	zipout *z;

	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	assert_temp_only(fx->out);
	pathf(fl.path, sizeof fl.path, "%s/yyzz.jpg", fx->in);
	fl.buf = &buf;
	assert_int_equal(zipout_add_loaded(z, "01_营业执照.jpg", entries[1].len, load_file, &fl, ZIPOUT_STORE,
					   &err), 0);
	assert_int_equal(zipout_add_buffer(z, "manifest.json", "{}", 2, ZIPOUT_DEFLATE, &err),
			 0);
	zipout_abort(z);
	assert_null(buf); /* nothing was loaded */
	assert_listing(fx->out, "");

	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	zipout_abort(z);
	assert_listing(fx->out, "");
	zipout_abort(NULL);
	/* and the inputs are as they were */
	assert_listing(fx->in, "domain-b.pdf\nid-front.png\nyyzz.jpg\n");
}

static void open_fails_in_missing_folder(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	char path[PATH_LEN], expected[MSG_LEN];
	zipout *z = (zipout *)&z;  /* anything but NULL */

	pathf(path, sizeof path, "%s/missing/p.zip", fx->dir);
	pathf(expected, sizeof expected, "cannot create '%s': No such file or directory", path);
	assert_int_equal(zipout_open(&z, path, T_FIXED, &err), -1);
	assert_null(z);
	assert_string_equal(err.en, expected);
	assert_int_equal(zipout_open(&z, "", T_FIXED, &err), -1);
	assert_string_equal(err.en, "cannot create zip: empty output path");
}

/* In a child without root's power over file modes (fork_unprivileged), so
 * that this also tests as root, as CI runs: the child sends back "rc z err". */
static void open_fails_in_unwritable_folder(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	char expected[MSG_LEN], got[MSG_LEN + 16];
	int fd[2], status;
	ssize_t n;
	pid_t pid;

	assert_int_equal(chmod(fx->out, 0500), 0);
	assert_int_equal(pipe(fd), 0);
	pid = fork_unprivileged();
	assert_true(pid >= 0);
	if (pid == 0) {
		zipout *z = (zipout *)&z;  /* anything but NULL */
		int rc = zipout_open(&z, fx->zip, T_FIXED, &err);

		close(fd[0]);
		dprintf(fd[1], "%d %s %s", rc, z == NULL ? "null" : "set", err.en);
		_exit(0);
	}
	close(fd[1]);
	n = read(fd[0], got, sizeof got - 1);
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);  /* 125: could not drop root's power */
	assert_true(n > 0);
	got[n] = '\0';
	pathf(expected, sizeof expected, "-1 null cannot create '%s': Permission denied", fx->zip);
	assert_string_equal(got, expected);
	assert_int_equal(chmod(fx->out, 0700), 0);
	assert_listing(fx->out, "");
}

/* The last step fails (a folder sits at the final path, which root cannot
 * overwrite either): the error comes back and no temporary file remains. */
static void commit_fails_at_rename(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	char expected[MSG_LEN], inner[PATH_LEN];

	assert_int_equal(mkdir(fx->zip, 0700), 0);
	pathf(inner, sizeof inner, "%s/keep", fx->zip);
	write_file(inner, "x", 1);
	pathf(expected, sizeof expected, "cannot write '%s': Is a directory", fx->zip);
	assert_int_equal(build(fx, fx->zip, T_FIXED, &err), -1);
	assert_string_equal(err.en, expected);
	assert_listing(fx->out, "p.zip\n");
	assert_listing(fx->zip, "keep\n");
}

/* Each bad add has its own message, and poisons the zipout. */
static void expect_add_error(struct fixture *fx, const char *name, const char *expected)
{
	lp_err err = { 0 };
	char poisoned[MSG_LEN];
	zipout *z;
	int ret;

	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(zipout_add_buffer(z, "manifest.json", "{}", 2, ZIPOUT_DEFLATE, &err),
			 0);
	ret = zipout_add_buffer(z, name, "x", 1, ZIPOUT_DEFLATE, &err);
	assert_int_equal(ret, -1);
	assert_string_equal(err.en, expected);
	assert_int_equal(zipout_commit(z, &err), -1);
	pathf(poisoned, sizeof poisoned, "cannot write '%s': an entry could not be added", fx->zip);
	assert_string_equal(err.en, poisoned);
	assert_listing(fx->out, "");
}

static void bad_adds_are_refused(void **state)
{
	struct fixture *fx = *state;

	expect_add_error(fx, "manifest.json", "duplicate entry name 'manifest.json'");
	expect_add_error(fx, "", "invalid entry name '': empty");
	expect_add_error(fx, "bad\xff\xfe.jpg", "invalid entry name 'bad\xff\xfe.jpg': not UTF-8");
	expect_add_error(fx, "/etc/x.jpg",
			 "invalid entry name '/etc/x.jpg': not a plain relative path");
	expect_add_error(fx, "a/../../x.jpg",
			 "invalid entry name 'a/../../x.jpg': not a plain relative path");
	expect_add_error(fx, "a//x.jpg",
			 "invalid entry name 'a//x.jpg': not a plain relative path");
	expect_add_error(fx, "./x.jpg", "invalid entry name './x.jpg': not a plain relative path");
	expect_add_error(fx, "..", "invalid entry name '..': not a plain relative path");
	expect_add_error(fx, "a\\x.jpg",
			 "invalid entry name 'a\\x.jpg': control character or backslash");
	expect_add_error(fx, "a\nx.jpg",
			 "invalid entry name 'a\nx.jpg': control character or backslash");
	expect_add_error(fx, "材料/", "invalid entry name '材料/': a directory");
}

/* A name at the zip limit is kept whole; one byte more is refused, where
 * libzip 1.7.3 would silently cut its length to 16 bits. */
static void long_names(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	char expected[MSG_LEN];
	char *name = malloc(65537);
	unsigned char *p;
	size_t len;
	zipout *z;

	assert_non_null(name);
	memset(name, 'a', 65536);
	name[65536] = '\0';
	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(zipout_add_buffer(z, name, "x", 1, ZIPOUT_DEFLATE, &err), -1);
	pathf(expected, sizeof expected, "invalid entry name '%.40s...': longer than 65535 bytes",
	      name);
	assert_string_equal(err.en, expected);
	zipout_abort(z);

	name[65535] = '\0';
	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(zipout_add_buffer(z, name, "x", 1, ZIPOUT_DEFLATE, &err), 0);
	assert_int_equal(zipout_commit(z, &err), 0);
	p = read_whole(fx->zip, &len);
	assert_true(len > 30 + 65535);
	assert_int_equal(get16(p + 26), 65535);
	assert_memory_equal(p + 30, name, 65535);
	free(p);
	free(name);
}

/* Add "first" from a buffer as name (borrowed, or copied) and an empty
 * entry, then overwrite the buffer with "later" before the commit: the first
 * entry, stored under its ASCII name (libzip sets no UTF-8 flag), holds
 * want. */
static void add_then_overwrite(const struct fixture *fx, int borrowed, const char *name, const char *want)
{
	lp_err err = { 0 };
	char buf[16];
	unsigned char *p;
	size_t len;
	zipout *z;

	memcpy(buf, "first", 6);
	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	if (borrowed) {
		assert_int_equal(zipout_add_borrowed(z, name, buf, 5, ZIPOUT_STORE, &err), 0);
		assert_int_equal(zipout_add_borrowed(z, "empty.txt", NULL, 0, ZIPOUT_DEFLATE, &err), 0);
	} else {
		assert_int_equal(zipout_add_buffer(z, name, buf, 5, ZIPOUT_STORE, &err), 0);
		assert_int_equal(zipout_add_buffer(z, "empty.txt", NULL, 0, ZIPOUT_DEFLATE, &err), 0);
	}
	memcpy(buf, "later", 6);
	assert_int_equal(zipout_commit(z, &err), 0);
	p = read_whole(fx->zip, &len);
	assert_true(len > 30 + 5 + 5);
	assert_int_equal(get16(p + 6), 0); /* no UTF-8 flag */
	assert_int_equal(get16(p + 8), 0); /* stored */
	assert_int_equal(get16(p + 26), 5);
	assert_memory_equal(p + 30, name, 5);
	assert_memory_equal(p + 35, want, 5);
	free(p);
}

/* A buffer is copied: the caller may reuse it before the commit. */
static void buffers_are_copied(void **state)
{
	add_then_overwrite(*state, 0, "a.txt", "first");
}

/* A borrowed buffer is not copied: what it holds at the commit is written. */
static void borrowed_buffers_are_not_copied(void **state)
{
	add_then_overwrite(*state, 1, "a.jpg", "later");
}

/* Loaders for zipout_add_loaded: the bytes of an entry, asked for at commit. */
typedef struct {
	const char *bytes;  /* what to give; NULL: fail */
	size_t len;
	int calls;
} loader_arg;

static char shared[32]; /* one buffer that every loader fills in turn, as a scratch buffer would be */

static int test_loader(void *arg, const uint8_t **data, size_t *len, lp_err *err)
{
	loader_arg *la = arg;
	la->calls++;
	if (!la->bytes) {
		return lp_fail(err, LP_E_CHANGED, "x.jpg");
	}
	memcpy(shared, la->bytes, la->len);
	*data = (const uint8_t *)shared;
	*len = la->len;
	return 0;
}

static void loaded_entries(void **state)
{
	struct fixture *fx = *state;
	lp_err err = { 0 };
	unsigned char *p;
	size_t len;
	zipout *z;
	loader_arg a = { "first", 5, 0 }, b = { "second", 6, 0 };

	/* each entry's bytes are loaded when it is written, one after the
	 * other, so that one buffer serves them all */
	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(zipout_add_loaded(z, "a.jpg", 5, test_loader, &a, ZIPOUT_STORE, &err), 0);
	assert_int_equal(zipout_add_loaded(z, "b.jpg", 6, test_loader, &b, ZIPOUT_STORE, &err), 0);
	assert_int_equal(a.calls, 0); /* not before the commit */
	assert_int_equal(zipout_commit(z, &err), 0);
	assert_int_equal(a.calls, 1);
	assert_int_equal(b.calls, 1);
	p = read_whole(fx->zip, &len);
	assert_memory_equal(p + 30, "a.jpg", 5);
	assert_memory_equal(p + 35, "first", 5);
	assert_memory_equal(p + 40 + 30, "b.jpg", 5);
	assert_memory_equal(p + 40 + 35, "second", 6);
	free(p);

	/* a loader that fails: the commit fails with its message, and leaves
	 * neither the zip nor a temporary file */
	assert_int_equal(unlink(fx->zip), 0);
	a.bytes = NULL;
	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(zipout_add_loaded(z, "a.jpg", 5, test_loader, &a, ZIPOUT_STORE, &err), 0);
	assert_int_equal(zipout_commit(z, &err), -1);
	assert_int_equal(err.code, LP_E_WRITE_BECAUSE);
	assert_non_null(strstr(err.en, "'x.jpg' changed since it was checked: check the folder again"));
	assert_non_null(strstr(err.zh, "'x.jpg' 在检查之后被改动过"));
	assert_listing(fx->out, "");

	/* bytes of another length than announced */
	a.bytes = "first";
	assert_int_equal(zipout_open(&z, fx->zip, T_FIXED, &err), 0);
	assert_int_equal(zipout_add_loaded(z, "a.jpg", 4, test_loader, &a, ZIPOUT_STORE, &err), 0);
	assert_int_equal(zipout_commit(z, &err), -1);
	assert_listing(fx->out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(method_by_extension),
		cmocka_unit_test_setup_teardown(headers_are_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(other_readers_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(same_bytes_any_zone_any_day, setup, teardown),
		cmocka_unit_test_setup_teardown(stamp_clamped_to_dos_range, setup, teardown),
		cmocka_unit_test_setup_teardown(mode_0600_whatever_the_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_zip_is_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(open_fails_in_missing_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(open_fails_in_unwritable_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(commit_fails_at_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_adds_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(long_names, setup, teardown),
		cmocka_unit_test_setup_teardown(buffers_are_copied, setup, teardown),
		cmocka_unit_test_setup_teardown(borrowed_buffers_are_not_copied, setup, teardown),
		cmocka_unit_test_setup_teardown(loaded_entries, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
