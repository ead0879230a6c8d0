/*
 * batch: `licpack batch ROOT -o OUTDIR` — every immediate sub-folder of ROOT
 * is an applicant; each one gets what `licpack build` writes, in
 * OUTDIR/<applicant>/, and OUTDIR/summary.csv and summary.json list them all.
 * `licpack batch-merge` (batch_merge.c) joins the summaries of --shard runs.
 *
 * How it runs:
 *   - The parent lists ROOT (hidden entries skipped; a symbolic link to a
 *     folder is an applicant, a broken one an applicant that fails), keeps
 *     the applicants of its shard, sorts them bytewise, and starts them in
 *     that order, at most -j at once.
 *   - Each applicant runs in a child process of its own (fork, then
 *     packet_job_run, the function `build` calls, then _exit with the job's
 *     exit code), so that a crash or a leak in one cannot touch another, and
 *     memory is bounded by the largest applicant. The child prints nothing;
 *     it leaves OUTDIR/<applicant>/.result.json (packet/summary.h), written
 *     atomically as its last act. The parent keeps a few bytes per applicant
 *     and reads the result files again when it writes the summary.
 *   - The parent makes OUTDIR/<applicant>/ or takes an existing one as
 *     licpack's (packet/output.h: its ".licpack" stamp, or empty, or
 *     --force); a folder holding files licpack did not write is refused
 *     (failed, nothing written into it). The child's job holds the folder's
 *     lock (one run per applicant at a time) and writes its result under it.
 *   - A child that dies of a signal, or leaves no result, is recorded as
 *     failed (exit 3) by the parent, which writes the result file for it and
 *     removes the temporary files the child left in its output folder
 *     (licpack's temporaries only: output_dir_clean_if_idle).
 *   - Re-running skips an applicant whose result is newer than everything in
 *     its folder (a recursive scan of modification times; nothing is read),
 *     than the templates (the licpack binary's own mtime, as the built-in
 *     templates are inside it, and --templates DIR's files), and was made
 *     with the same options. Applicants that failed with exit 3 (I/O,
 *     crash) are always run again. --force runs everything.
 *   - SIGINT / SIGTERM: no new applicant is started, the signal is passed to
 *     the running children, their temporary files are removed, the summary
 *     of what was finished is written, and the exit status is 130 / 143.
 *     Every output appears by rename, so none is ever half-written.
 * Signals are blocked and taken with sigtimedwait() in the one loop that also
 * reaps children and redraws the progress bar: no handler, no race.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/batch_index.h"
#include "cmd/batch_progress.h"
#include "cmd/packet_job.h"
#include "packet/applicant.h"
#include "packet/ident.h"
#include "packet/normalise.h"
#include "packet/output.h"
#include "packet/scan.h"
#include "packet/summary.h"
#include "pdf/font.h"

enum { OPT_CHECK_ONLY = OPT_OWN, OPT_SHARD, OPT_FORCE };

static const cmd_option options_batch[] = {
	{ "output", 'o', "OUTDIR", "output folder (required)", "输出文件夹（必需）" },
	{ "jobs", 'j', "N", "applicants at once (default: the number of CPUs)", "同时处理的申请人数（默认：CPU 数）" },
	{ "check-only", OPT_CHECK_ONLY, NULL, "write the reports only, no packets", "只写检查报告，不生成材料包" },
	{ "template", 't', "ID", "template for folders whose packet.json names none\n(unlike build, packet.json's \"template\" wins)",
	  "packet.json 未写模板时使用的模板\n（与 build 不同，以 packet.json 的 \"template\" 为准）" },
	{ "region", 'r', "R", "region for folders whose packet.json names none", "packet.json 未写地区时使用的地区版本" },
	OPTION_TEMPLATES,
	{ "shard", OPT_SHARD, "K/N",
	  "only the applicants whose folder name's FNV-1a\n64-bit hash, mod N, is K-1; the summary is then\n"
	  "summary-K-of-N.csv/.json ('licpack batch-merge'\njoins the shards)",
	  "只处理文件夹名的 64 位 FNV-1a 哈希值除以 N 余 K-1 的\n申请人；汇总文件改为 summary-K-of-N.csv/.json\n"
	  "（用 'licpack batch-merge' 合并各分片）" },
	{ "force", OPT_FORCE, NULL, "run every applicant, up to date or not, and write\ninto OUTDIR/<applicant>/ folders holding files that\nlicpack did not write (kept; its outputs replaced)",
	  "不论是否已是最新，全部重新处理；OUTDIR/<申请人>/\n里有不是 licpack 写的文件时也写入（那些文件保留）" },
	{ "quiet", 'q', NULL, "no progress on stderr, only failures", "标准错误上不显示进度，只报告失败" },
	OPTIONS_PACKET,
	OPTION_LANG,
	OPTION_TODAY,
	OPTION_MAX_PIXELS,
	OPTION_MAX_DEPTH,
	OPTION_OFFICE_TIMEOUT,
	OPTION_SYNC,
	OPTION_HELP,
	OPTION_END,
};

const cmd_help help_batch = {
	"usage: licpack batch ROOT -o OUTDIR [options]\n"
	"\n"
	"Check and build every applicant folder in ROOT: each sub-folder (hidden\n"
	"ones skipped) is one applicant, run in a process of its own, several at\n"
	"once. OUTDIR/<applicant>/ gets what 'licpack build' writes (report.json,\n"
	"report.txt and, when complete, the packet). OUTDIR/summary.csv (UTF-8 with\n"
	"BOM, CRLF: Excel opens it as is) and OUTDIR/summary.json list every\n"
	"applicant, sorted by name: company, template, status, error and warning\n"
	"counts, missing materials, output paths (relative to OUTDIR) and, in the\n"
	"JSON, every finding.\n"
	"\n"
	"A re-run skips each applicant whose outputs are newer than every file in\n"
	"its folder, the templates and the licpack binary, and were made with the\n"
	"same options; it is listed as 'skipped'. Applicants that failed with an\n"
	"I/O error or a crash are always run again.\n"
	"\n",
	"用法：licpack batch ROOT -o OUTDIR [选项]\n"
	"\n"
	"检查 ROOT 中的每个申请人文件夹并生成材料包：每个子文件夹（隐藏的除外）是\n"
	"一个申请人，各在独立的进程中运行，可同时运行多个。OUTDIR/<申请人>/ 中写入\n"
	"'licpack build' 会写的内容（report.json、report.txt，材料齐全时还有材料包）。\n"
	"OUTDIR/summary.csv（带 BOM 的 UTF-8，CRLF 换行，电子表格软件可直接打开）和\n"
	"OUTDIR/summary.json 按名称顺序列出每个申请人：公司、模板、状态、错误和警告数、\n"
	"缺少的材料、输出路径（相对于 OUTDIR），JSON 中还有每条检查结果。\n"
	"\n"
	"再次运行时，输出比文件夹中每个文件、模板和 licpack 程序都新、且选项相同的\n"
	"申请人会被跳过，记为 'skipped'。因读写错误或崩溃而失败的申请人总会重新运行。\n"
	"\n",
	options_batch,
	"Progress goes to stderr: a bar on a terminal (not with NO_COLOR), else\n"
	"one line per applicant. The summary files' paths go to stdout.\n"
	"\n"
	"Exit status: 0 every applicant complete, 1 some incomplete, 3 some failed\n"
	"(failed wins), 2 usage or template error, 130 / 143 stopped by SIGINT /\n"
	"SIGTERM (the summary then lists the applicants finished).\n",
	"进度显示在标准错误上：终端上为进度条（设置了 NO_COLOR 时除外），否则每个申请人\n"
	"一行。汇总文件的路径输出到标准输出。\n"
	"\n"
	"退出码：0 全部齐全；1 有申请人材料不全；3 有申请人失败（优先于 1）；2 用法或\n"
	"模板错误；130 / 143 被 SIGINT / SIGTERM 中止（汇总中列出已完成的申请人）。\n",
};

typedef struct {
	const char *root;
	const char *outdir;
	folder_args f;             /* -t and -r: defaults for folders whose packet.json names none */
	long jobs;
	unsigned long shard_k, shard_n;   /* 0/0: no shard */
	int check_only;
	int force;
	int quiet;
} batch_args;

static int parse_count(const char *s, unsigned long *out)
{
	char *end;

	if (!s[0] || s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return *end || errno || *out == 0 ? -1 : 0;
}

static int parse_shard(const char *s, unsigned long *k, unsigned long *n)
{
	const char *slash = strchr(s, '/');
	char kbuf[32];

	if (!slash || (size_t)(slash - s) >= sizeof kbuf)
		return -1;
	memcpy(kbuf, s, (size_t)(slash - s));
	kbuf[slash - s] = '\0';
	if (parse_count(kbuf, k) != 0 || parse_count(slash + 1, n) != 0 || *k > *n || *n > 1000000)
		return -1;
	return 0;
}

static int parse(int argc, char **argv, batch_args *a)
{
	unsigned long jobs;
	cmd_parser p;
	int c, r;

	memset(a, 0, sizeof *a);
	check_options_init(&a->f.check);
	check_options_env(&a->f.check);
	a->f.check.threads = 1; /* the applicants run in parallel already */
	cmd_parser_init(&p, options_batch);
	while ((c = cmd_parser_next(&p, argc, argv)) != -1) {
		switch (c) {
		case 'o': a->outdir = optarg; break;
		case 'j':
			if (parse_count(optarg, &jobs) != 0 || jobs > 4096)
				return usage_error("batch", TR("--jobs: '%s' is not a whole number from 1 to 4096",
							       "--jobs：'%s' 应为 1 到 4096 之间的整数"), optarg);
			a->jobs = (long)jobs;
			break;
		case OPT_CHECK_ONLY: a->check_only = 1; break;
		case OPT_SHARD:
			if (parse_shard(optarg, &a->shard_k, &a->shard_n) != 0)
				return usage_error("batch", TR("--shard: '%s' is not K/N with 1 <= K <= N",
							       "--shard：'%s' 应为 K/N，且 1 <= K <= N"), optarg);
			break;
		case OPT_FORCE: a->force = 1; break;
		case 'q': a->quiet = 1; break;
		case 'h': return -1;
		default:
			if ((r = folder_option("batch", c, argv, &a->f)) != 1)
				return r;
			break;
		}
	}
	if (optind + 1 != argc)
		return usage_error("batch", optind == argc ? TR("no ROOT folder given", "没有指定 ROOT 文件夹")
							   : TR("one ROOT folder at a time", "一次只能处理一个 ROOT 文件夹"));
	a->root = argv[optind];
	if (!a->outdir)
		return usage_error("batch", TR("no output folder: give -o OUTDIR", "没有指定输出文件夹：请用 -o OUTDIR 指定"));
	if (a->jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		a->jobs = n > 0 ? (n > 4096 ? 4096 : n) : 1;
	}
	return 0;
}

/* ---- the applicants ---- */

enum { E_PENDING = 0, E_RUNNING, E_DONE, E_INTERRUPTED };

/* What the parent keeps per applicant: a few bytes, whatever the batch size. */
typedef struct {
	char *name;
	unsigned char state;     /* E_* */
	unsigned char status;    /* S_*, when E_DONE */
	unsigned char skipped;   /* up to date: not run */
	char *message;           /* failed, and its result file could not be written */
} entry;

typedef struct {
	pid_t pid;
	size_t index;
	struct timespec started;
} slot;

typedef struct {
	const batch_args *a;
	const template_set *set;
	lp_lang lang;
	const char *font;          /* found once by the parent, for every child */
	int font_index;
	char *options;             /* what the outputs depend on besides the inputs */
	struct timespec templates_mtime;
	entry *e;
	size_t n;
	char *outdir_real;         /* realpath of -o */
} batch;

static int name_cmp(const void *x, const void *y)
{
	return strcmp(((const entry *)x)->name, ((const entry *)y)->name);
}

static int ts_ge(const struct timespec *x, const struct timespec *y)
{
	return x->tv_sec > y->tv_sec || (x->tv_sec == y->tv_sec && x->tv_nsec >= y->tv_nsec);
}

static void ts_max(struct timespec *m, const struct timespec *t)
{
	if (ts_ge(t, m))
		*m = *t;
}

/* The clock file systems stamp modification times with: anything written
 * after this moment gets an mtime at or after it. */
static void now_fs(struct timespec *t)
{
#ifdef CLOCK_REALTIME_COARSE
	if (clock_gettime(CLOCK_REALTIME_COARSE, t) == 0)
		return;
#endif
	clock_gettime(CLOCK_REALTIME, t);
}

/* 1 when the folder holding outdir is this applicant (or inside it): the
 * output folder is not an applicant (SPEC §3: the tool's own outputs are
 * skipped). */
static int holds(const char *applicant_real, const char *outdir_real)
{
	size_t n = strlen(applicant_real);

	return strncmp(outdir_real, applicant_real, n) == 0 && (outdir_real[n] == '/' || outdir_real[n] == '\0');
}

/* List ROOT's applicants (of this shard), sorted. Prints the error; returns
 * 0 or an exit code. */
static int list_applicants(batch *b, const char *outdir_real)
{
	const batch_args *a = b->a;
	char *root_real = realpath(a->root, NULL);
	DIR *d;
	struct dirent *de;
	size_t cap = 0;
	int ret = LP_EXIT_IO;

	if (!root_real || !(d = opendir(a->root))) {
		lp_error(TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), a->root, msg_strerror(errno));
		free(root_real);
		return LP_EXIT_IO;
	}
	if (strcmp(root_real, outdir_real) == 0) {
		lp_error(TR("'%s': the output folder must not be ROOT itself", "'%s'：输出文件夹不能就是 ROOT 本身"), a->outdir);
		ret = LP_EXIT_USAGE;
		goto cleanup;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		struct stat st;
		char *path, *real;
		int is_link, applicant;

		if (de->d_name[0] == '.')
			continue;
		if (a->shard_n && summary_fnv1a64(de->d_name) % a->shard_n != a->shard_k - 1)
			continue;
		if (!(path = lp_path_join(a->root, de->d_name)))
			goto oom;
		if (lstat(path, &st) != 0) {
			free(path);
			continue;   /* gone since readdir */
		}
		is_link = S_ISLNK(st.st_mode);
		/* a link to a folder is an applicant; a broken link too (it will fail, visibly) */
		applicant = S_ISDIR(st.st_mode) || (is_link && (stat(path, &st) != 0 || S_ISDIR(st.st_mode)));
		real = !applicant ? NULL : is_link ? realpath(path, NULL) : lp_path_join(root_real, de->d_name);
		free(path);
		if (real && holds(real, outdir_real)) {
			if (!a->quiet)
				lp_error(TR("skipping '%s': it holds the output folder", "跳过 '%s'：输出文件夹在它里面"),
					 de->d_name);
			applicant = 0;
		}
		free(real);
		if (!applicant)
			continue;
		if (b->n == cap) {
			entry *p = realloc(b->e, (cap ? cap * 2 : 256) * sizeof *p);
			if (!p)
				goto oom;
			b->e = p;
			cap = cap ? cap * 2 : 256;
		}
		memset(&b->e[b->n], 0, sizeof b->e[b->n]);
		if (!(b->e[b->n].name = strdup(de->d_name)))
			goto oom;
		b->n++;
	}
	if (errno) {
		lp_error(TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), a->root, msg_strerror(errno));
		goto cleanup;
	}
	if (b->n > 1)
		qsort(b->e, b->n, sizeof *b->e, name_cmp);
	ret = 0;
	goto cleanup;
oom:
	lp_error(TR("out of memory", "内存不足"));
cleanup:
	closedir(d);
	free(root_real);
	return ret;
}

/* ---- up to date? ---- */

/* 1 when path, or anything under it that is not hidden, was modified at or
 * after t, or cannot be examined. follow: path itself may be a link to a
 * folder (an applicant in ROOT). Links inside are not followed into
 * folders, as the scan does not follow them. */
static int changed_since(const char *path, const struct timespec *t, int follow, int depth, int max_depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (lstat(path, &st) != 0 || ts_ge(&st.st_mtim, t))
		return 1;
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) != 0)
			return follow;  /* a dangling link inside is what it is; the applicant itself must be re-read */
		if (ts_ge(&st.st_mtim, t))
			return 1;
		if (!follow || !S_ISDIR(st.st_mode))
			return 0;
	}
	if (!S_ISDIR(st.st_mode) || depth > max_depth + 1)
		return 0;
	if (!(d = opendir(path)))
		return 1;
	while (!ret && (de = readdir(d)) != NULL) {
		char *child;
		if (de->d_name[0] == '.')
			continue;
		if (!(child = lp_path_join(path, de->d_name))) {
			ret = 1;
			break;
		}
		ret = changed_since(child, t, 0, depth + 1, max_depth);
		free(child);
	}
	closedir(d);
	return ret;
}

static const char *row_str(const cJSON *row, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* 1 when OUTDIR/rel exists (rel NULL: nothing to look for). */
static int output_exists(const batch *b, const char *rel)
{
	char *p;
	struct stat st;
	int r;

	if (!rel)
		return 1;
	if (!(p = lp_path_join(b->a->outdir, rel)))
		return 0;
	r = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return r;
}

/* The previous row of applicant i when its outputs are up to date, else NULL. */
static cJSON *up_to_date(const batch *b, size_t i)
{
	const char *name = b->e[i].name;
	char *rpath = lp_strdupf("%s/%s/%s", b->a->outdir, name, SUMMARY_RESULT_FILE);
	char *dir = lp_path_join(b->a->root, name), *options = NULL;
	const cJSON *ex;
	struct timespec started;
	cJSON *row = NULL;
	int ok = 0;

	if (!rpath || !dir)
		goto cleanup;
	row = summary_result_read(rpath, &options, &started, NULL, 0);
	if (!row || strcmp(options, b->options) != 0)
		goto cleanup;
	/* I/O errors and crashes may not happen again: always retried */
	ex = cJSON_GetObjectItemCaseSensitive(row, "exit");
	if (!cJSON_IsNumber(ex) || ex->valueint >= LP_EXIT_IO)
		goto cleanup;
	if (ts_ge(&b->templates_mtime, &started))
		goto cleanup;
	if (!output_exists(b, row_str(row, "report")) || !output_exists(b, row_str(row, "packet")) ||
	    !output_exists(b, row_str(row, "zip")))
		goto cleanup;
	if (changed_since(dir, &started, 1, 0, b->a->f.check.max_depth))
		goto cleanup;
	ok = 1;
cleanup:
	if (!ok) {
		cJSON_Delete(row);
		row = NULL;
	}
	free(options);
	free(rpath);
	free(dir);
	return row;
}

/* The newest of the licpack binary (its built-in templates) and --templates DIR. */
static void templates_time(const char *dir, struct timespec *m)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	m->tv_sec = 0;
	m->tv_nsec = 0;
	if (stat("/proc/self/exe", &st) != 0) {
		/* cannot tell how old the built-in templates are: nothing is up to date */
		m->tv_sec = (time_t)INT64_MAX / 2;
		return;
	}
	ts_max(m, &st.st_mtim);
	if (!dir)
		return;
	if (stat(dir, &st) == 0)
		ts_max(m, &st.st_mtim);
	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d)) != NULL) {
		char *p = lp_path_join(dir, de->d_name);
		if (p && de->d_name[0] != '.' && stat(p, &st) == 0)
			ts_max(m, &st.st_mtim);
		free(p);
	}
	closedir(d);
}

/* Everything besides the inputs that the outputs depend on. */
static char *options_string(const batch *b)
{
	const batch_args *a = b->a;
	char today[16];

	date_format(a->f.check.today, today, sizeof today);
	return lp_strdupf("v1 root=%s check-only=%d allow-incomplete=%d watermark=%d zip-names=%s "
			  "template=%s region=%s templates=%s lang=%s today=%s max-pixels=%llu max-depth=%d font=%s#%d thumbnails=%d",
			  a->root, a->check_only, a->f.allow_incomplete, !a->f.no_watermark,
			  a->f.ascii_names ? "ascii" : "zh", a->f.check.template_id ? a->f.check.template_id : "-",
			  a->f.check.region ? a->f.check.region : "-", a->f.templates_dir ? a->f.templates_dir : "-",
			  b->lang == LANG_ZH ? "zh" : "en", today, (unsigned long long)a->f.check.max_pixels,
			  a->f.check.max_depth, b->font ? b->font : "-", b->font_index, !a->f.no_thumbnails);
}

/* ---- one applicant, in the child ---- */

/* The row of an applicant that failed before or outside its job (crash,
 * no result): company, template and region from its packet.json. Caller
 * frees; NULL when out of memory. */
static cJSON *failed_row(const batch *b, const char *name, const char *message)
{
	char *dir = lp_path_join(b->a->root, name);
	finding_list fl = { 0 };
	applicant app;
	summary_row_in in;
	cJSON *row;

	memset(&app, 0, sizeof app);
	if (dir)
		applicant_load(dir, &app, &fl);
	memset(&in, 0, sizeof in);
	in.applicant = name;
	in.company = app.company_name;
	in.template_id = app.template_id ? app.template_id : b->a->f.check.template_id;
	in.region = app.region ? app.region : b->a->f.check.region;
	in.exit_code = LP_EXIT_IO;
	in.message = message;
	in.lang = b->lang;
	row = summary_row_new(&in);
	applicant_release(&app);
	findings_release(&fl);
	free(dir);
	return row;
}

/* Run applicant name; write its result file. Returns its exit code. */
static int run_applicant(const batch *b, const char *name)
{
	const batch_args *a = b->a;
	char *dir = lp_path_join(a->root, name), *outdir = lp_path_join(a->outdir, name);
	char *rpath = lp_strdupf("%s/%s/%s", a->outdir, name, SUMMARY_RESULT_FILE);
	const char *crash = getenv("LICPACK_TEST_CRASH");
	finding_list fl = { 0 };
	applicant app;
	packet_job job;
	packet_job_result res;
	summary_row_in in;
	struct timespec started;
	char err[1024], werr[1024];
	cJSON *row = NULL;
	DIR *probe;
	int code;

	now_fs(&started);
	memset(&app, 0, sizeof app);
	memset(&res, 0, sizeof res);
	if (!dir || !outdir || !rpath) {
		lp_error(TR("out of memory", "内存不足"));
		code = LP_EXIT_IO;
		goto cleanup;
	}
	/* for the test suite only: a child that dies of a signal */
	if (crash && strcmp(crash, name) == 0)
		kill(getpid(), SIGKILL);
	/* A folder that cannot be listed fails here, as an I/O error: the check
	 * would first miss its packet.json and call it a template problem. */
	if (!(probe = opendir(dir))) {
		snprintf(err, sizeof err, TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), dir, msg_strerror(errno));
		code = LP_EXIT_IO;
		goto record;
	}
	closedir(probe);
	/* packet.json's template and region win; the flags are the defaults */
	applicant_load(dir, &app, &fl);
	memset(&job, 0, sizeof job);
	job.set = b->set;
	job.dir = dir;
	job.outdir = outdir;
	job.name = name;
	job.check = a->f.check;
	job.check.template_id = app.template_id ? NULL : a->f.check.template_id;
	job.check.region = app.region ? NULL : a->f.check.region;
	job.lang = b->lang;
	job.check_only = a->check_only;
	job.allow_incomplete = a->f.allow_incomplete;
	job.no_watermark = a->f.no_watermark;
	job.no_thumbnails = a->f.no_thumbnails;
	job.sync = a->f.sync;
	job.force = a->force;
	job.ascii_names = a->f.ascii_names;
	job.font = b->font;
	job.font_index = b->font_index;
	code = packet_job_run(&job, &res, err, sizeof err);
record:
	memset(&in, 0, sizeof in);
	in.applicant = name;
	in.company = app.company_name;
	in.template_id = app.template_id ? app.template_id : a->f.check.template_id;
	in.region = app.region ? app.region : a->f.check.region;
	in.exit_code = code;
	in.r = res.checked ? &res.r : NULL;
	in.reports_written = res.reports_written;
	in.packet_written = res.packet_written;
	in.message = err;
	in.lang = b->lang;
	if (!(row = summary_row_new(&in))) {
		lp_error(TR("'%s': out of memory", "'%s'：内存不足"), name);
		code = LP_EXIT_IO;
	} else if (summary_result_write(rpath, b->options, &started, row, a->f.sync, werr, sizeof werr) != 0) {
		/* the parent records the applicant as failed; say why here */
		char buf[2048];
		lp_error(TR("'%s': %s", "'%s'：%s"), name, msg_lib(werr, "无法写入结果文件", buf, sizeof buf));
		code = LP_EXIT_IO;
	}
cleanup:
	cJSON_Delete(row);
	packet_job_result_release(&res);
	applicant_release(&app);
	findings_release(&fl);
	free(dir);
	free(outdir);
	free(rpath);
	return code;
}

/* ---- the run ---- */

typedef struct {
	batch *b;
	progress prog;
	slot *slots;
	size_t n_slots, running;
	int stop;               /* the signal that stopped the run, or 0 */
	sigset_t waitset;
} runner;

static void note_row(runner *rn, size_t i, const cJSON *row, int skipped)
{
	entry *e = &rn->b->e[i];
	int errors = 0, warnings = 0, st = summary_row_status(row, &errors, &warnings);

	e->state = E_DONE;
	e->status = st == 0 ? S_COMPLETE : st == 1 ? S_INCOMPLETE : S_FAILED;
	e->skipped = (unsigned char)skipped;
	progress_item(&rn->prog, e->name, e->status, errors, warnings, skipped, row_str(row, "message"));
}

/* Applicant i failed outside its job: record it (result file, or memory). */
static void note_failure(runner *rn, size_t i, const struct timespec *started, const char *message)
{
	batch *b = rn->b;
	entry *e = &b->e[i];
	char *rpath = lp_strdupf("%s/%s/%s", b->a->outdir, e->name, SUMMARY_RESULT_FILE);
	cJSON *row = failed_row(b, e->name, message);
	char err[512];

	if (!rpath || !row || summary_result_write(rpath, b->options, started, row, b->a->f.sync, err, sizeof err) != 0)
		e->message = strdup(message);
	e->state = E_DONE;
	e->status = S_FAILED;
	progress_item(&rn->prog, e->name, S_FAILED, 0, 0, 0, message);
	cJSON_Delete(row);
	free(rpath);
}

/* Start applicant i. Returns 0 (started, or finished already), or -1 when no
 * process could be made now and others are running (try again later). */
static int start(runner *rn, size_t i)
{
	batch *b = rn->b;
	entry *e = &b->e[i];
	char *outdir = lp_path_join(b->a->outdir, e->name);
	char *rpath = lp_strdupf("%s/%s/%s", b->a->outdir, e->name, SUMMARY_RESULT_FILE);
	char msg[1024];
	struct timespec started;
	pid_t pid;
	size_t s;
	int ret = 0, claim;

	now_fs(&started);
	if (!outdir || !rpath) {
		note_failure(rn, i, &started, TR("out of memory", "内存不足"));
		goto cleanup;
	}
	/* made, or an existing one taken as licpack's (output.h): a folder of
	 * someone else's files is refused before anything is written there,
	 * the result file included */
	if ((claim = output_dir_claim(outdir, b->a->force, msg, sizeof msg)) != OUTPUT_DIR_OK) {
		char buf[1024];
		if (claim == OUTPUT_DIR_NOT_OURS)
			packet_job_not_ours(outdir, msg, sizeof msg);
		else
			snprintf(msg, sizeof msg, "%s", msg_lib(msg, "无法使用输出文件夹", buf, sizeof buf));
		e->state = E_DONE;
		e->status = S_FAILED;
		e->message = strdup(msg);
		progress_item(&rn->prog, e->name, S_FAILED, 0, 0, 0, msg);
		goto cleanup;
	}
	/* the result says the outputs are current: it goes first, comes back last */
	if (unlink(rpath) != 0 && errno != ENOENT) {
		snprintf(msg, sizeof msg, TR("cannot remove '%s': %s", "无法删除 '%s'（%s）"), rpath, msg_strerror(errno));
		note_failure(rn, i, &started, msg);
		goto cleanup;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		if (rn->running > 0) {
			ret = -1;
			goto cleanup;
		}
		snprintf(msg, sizeof msg, TR("cannot start a process: %s", "无法启动子进程（%s）"), msg_strerror(errno));
		note_failure(rn, i, &started, msg);
		goto cleanup;
	}
	if (pid == 0) {
		int code;
		/* (what the child does not need, freed so that valgrind's leak check
		 * at its _exit sees nothing lost) */
		free(outdir);
		free(rpath);
		/* the child takes signals as any program does */
		signal(SIGCHLD, SIG_DFL);
		if (sigismember(&rn->waitset, SIGINT))
			signal(SIGINT, SIG_DFL);
		if (sigismember(&rn->waitset, SIGTERM))
			signal(SIGTERM, SIG_DFL);
		sigprocmask(SIG_UNBLOCK, &rn->waitset, NULL);
		code = run_applicant(b, e->name);
		_exit(code);
	}
	for (s = 0; s < rn->n_slots && rn->slots[s].pid; s++)
		;
	rn->slots[s].pid = pid;
	rn->slots[s].index = i;
	rn->slots[s].started = started;
	rn->running++;
	e->state = E_RUNNING;
cleanup:
	free(outdir);
	free(rpath);
	return ret;
}

/* A child has ended with wait status ws. */
static void finished(runner *rn, pid_t pid, int ws)
{
	batch *b = rn->b;
	slot *sl = NULL;
	entry *e;
	char *outdir, *rpath, err[512], msg[768];
	cJSON *row;
	size_t s;

	for (s = 0; s < rn->n_slots; s++)
		if (rn->slots[s].pid == pid)
			sl = &rn->slots[s];
	if (!sl)
		return;
	e = &b->e[sl->index];
	outdir = lp_path_join(b->a->outdir, e->name);
	rpath = lp_strdupf("%s/%s/%s", b->a->outdir, e->name, SUMMARY_RESULT_FILE);
	/* a child killed: its temporaries, unless another run holds the
	 * folder now (and has removed them itself) */
	if (WIFSIGNALED(ws) && outdir)
		output_dir_clean_if_idle(outdir);
	row = rpath ? summary_result_read(rpath, NULL, NULL, err, sizeof err) : NULL;
	if (row) {
		/* a finished result counts even when the child was then stopped */
		note_row(rn, sl->index, row, 0);
	} else if (WIFSIGNALED(ws) && rn->stop && (WTERMSIG(ws) == SIGINT || WTERMSIG(ws) == SIGTERM)) {
		e->state = E_INTERRUPTED;
	} else {
		char buf[1024];
		if (WIFSIGNALED(ws) && msg_lang() == LANG_ZH)
			snprintf(msg, sizeof msg, "崩溃：被信号 %d 终止", WTERMSIG(ws));
		else if (WIFSIGNALED(ws))
			snprintf(msg, sizeof msg, "crashed: killed by signal %d (%s)", WTERMSIG(ws), strsignal(WTERMSIG(ws)));
		else
			snprintf(msg, sizeof msg, TR("stopped with exit status %d and left no result (%s)",
						     "以退出码 %d 结束，但没有留下结果（%s）"),
				 WEXITSTATUS(ws), rpath ? msg_lib(err, "无法读取结果文件", buf, sizeof buf) : TR("out of memory", "内存不足"));
		note_failure(rn, sl->index, &sl->started, msg);
	}
	cJSON_Delete(row);
	free(outdir);
	free(rpath);
	sl->pid = 0;
	rn->running--;
}

static void on_sigchld(int sig)
{
	(void)sig;  /* only to have SIGCHLD queued, not discarded */
}

/* Take every signal that is pending; wait up to timeout_ms for the first. */
static void take_signals(runner *rn, long timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	int sig;
	size_t s;

	while ((sig = sigtimedwait(&rn->waitset, NULL, &ts)) > 0 || (sig < 0 && errno == EINTR)) {
		ts.tv_sec = 0;
		ts.tv_nsec = 0;
		if (sig != SIGINT && sig != SIGTERM)
			continue;
		if (!rn->stop)
			rn->stop = sig;
		for (s = 0; s < rn->n_slots; s++)
			if (rn->slots[s].pid)
				kill(rn->slots[s].pid, sig);
	}
}

static void reap(runner *rn)
{
	pid_t pid;
	int ws;

	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
		finished(rn, pid, ws);
}

/* Start, wait, reap until every applicant is done or a signal stops the run. */
static void run_all(runner *rn)
{
	batch *b = rn->b;
	size_t next = 0;

	for (;;) {
		while (!rn->stop && rn->running < rn->n_slots && next < b->n) {
			cJSON *row = b->a->force ? NULL : up_to_date(b, next);
			if (row) {
				note_row(rn, next++, row, 1);
				cJSON_Delete(row);
				continue;
			}
			if (start(rn, next) != 0)
				break;
			next++;
		}
		if (rn->running == 0 && (rn->stop || next >= b->n))
			break;
		take_signals(rn, rn->running ? 250 : 0);
		reap(rn);
		progress_draw(&rn->prog, 0);
	}
	/* a signal that came during the last step still stops the run */
	take_signals(rn, 0);
}

/* The summary rows in order; a row that cannot be read back is rebuilt from
 * what the parent kept. Prints the error; returns 0 or an exit code. */
static int write_summary(batch *b, int stop, size_t counts[5])
{
	const batch_args *a = b->a;
	summary_writer *w = NULL;
	char err[1024], base[64], shard[48];
	size_t i;
	int ret = LP_EXIT_IO;

	if (a->shard_n) {
		snprintf(base, sizeof base, "summary-%lu-of-%lu", a->shard_k, a->shard_n);
		snprintf(shard, sizeof shard, "%lu/%lu", a->shard_k, a->shard_n);
	} else {
		snprintf(base, sizeof base, "summary");
	}
	if (summary_writer_begin(&w, a->outdir, base, a->f.sync, err, sizeof err) != 0)
		goto fail;
	for (i = 0; i < b->n; i++) {
		entry *e = &b->e[i];
		char *rpath;
		cJSON *row = NULL;
		int r;
		if (e->state != E_DONE)
			continue;
		rpath = lp_strdupf("%s/%s/%s", a->outdir, e->name, SUMMARY_RESULT_FILE);
		if (!e->message && rpath)
			row = summary_result_read(rpath, NULL, NULL, NULL, 0);
		if (!row)
			row = failed_row(b, e->name, e->message ? e->message
							      : TR("its result file cannot be read", "无法读取其结果文件"));
		free(rpath);
		if (!row) {
			snprintf(err, sizeof err, "%s", TR("out of memory", "内存不足"));
			goto fail;
		}
		r = summary_row_set_result(row, e->skipped ? "skipped" : "fresh");
		if (r == 0)
			r = summary_writer_add(w, row, err, sizeof err);
		else
			snprintf(err, sizeof err, "%s", TR("out of memory", "内存不足"));
		cJSON_Delete(row);
		if (r != 0)
			goto fail;
	}
	ret = summary_writer_commit(w, a->shard_n ? shard : NULL, stop != 0, counts, err, sizeof err) == 0 ? 0 : LP_EXIT_IO;
	w = NULL;
	if (ret == 0) {
		printf("%s/%s.csv\n%s/%s.json\n", a->outdir, base, a->outdir, base);
		return batch_index_write(a->outdir, base, b->lang, a->f.sync);
	}
fail:
	summary_writer_abort(w);
	lp_error_lib(err, "无法写入汇总文件");
	return LP_EXIT_IO;
}

int cmd_batch(int argc, char **argv)
{
	batch_args a;
	batch b;
	runner rn;
	template_set *set = NULL;
	char font_path[PATH_MAX];
	struct sigaction sa, old_int, old_term, old_chld;
	sigset_t old_mask;
	size_t counts[5] = { 0 }, i;
	int ret, sigs_set = 0;

	memset(&b, 0, sizeof b);
	memset(&rn, 0, sizeof rn);
	ret = parse(argc, argv, &a);
	if (ret == -1)
		return print_help(&help_batch);
	if (ret)
		return ret;
	b.a = &a;
	if ((ret = settle_lang_today("batch", a.f.lang, &b.lang, a.f.today, &a.f.check.today)) != 0)
		return ret;
	if ((ret = templates_load(a.f.templates_dir, &set)) != 0)
		return ret;
	b.set = set;
	/* the font is looked up once, not by every child */
	if (!a.check_only) {
		if (a.f.font) {
			b.font = a.f.font;
		} else if (cjk_font_find(font_path, sizeof font_path, &b.font_index) == 0) {
			b.font = font_path;
		} else {
			lp_error("%s", TR("no Chinese font found: install one (apt-get install fonts-wqy-microhei) or give --font PATH",
					  "找不到中文字体：请安装一种（apt-get install fonts-wqy-microhei），或用 --font PATH 指定字体文件"));
			ret = LP_EXIT_IO;
			goto cleanup;
		}
	}
	if (mkdir(a.outdir, 0700) != 0 && errno != EEXIST) {
		lp_error(TR("cannot create '%s': %s", "无法创建 '%s'（%s）"), a.outdir, msg_strerror(errno));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if (!(b.outdir_real = realpath(a.outdir, NULL))) {
		lp_error(TR("cannot resolve '%s': %s", "无法解析路径 '%s'（%s）"), a.outdir, msg_strerror(errno));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = list_applicants(&b, b.outdir_real)) != 0)
		goto cleanup;
	templates_time(a.f.templates_dir, &b.templates_mtime);
	if (!(b.options = options_string(&b))) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}

	rn.b = &b;
	rn.n_slots = (size_t)a.jobs < b.n ? (size_t)a.jobs : b.n;
	if (rn.n_slots == 0)
		rn.n_slots = 1;
	if (!(rn.slots = calloc(rn.n_slots, sizeof *rn.slots))) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	progress_init(&rn.prog, a.quiet ? P_QUIET : use_colour(stderr) ? P_BAR : P_LINES, b.n);

	/* Signals: SIGCHLD, and SIGINT / SIGTERM unless we were started with them
	 * ignored (nohup, a background job), blocked and taken in the loop. */
	sigemptyset(&rn.waitset);
	sigaddset(&rn.waitset, SIGCHLD);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &old_chld);
	if (sigaction(SIGINT, NULL, &old_int) == 0 && old_int.sa_handler != SIG_IGN)
		sigaddset(&rn.waitset, SIGINT);
	if (sigaction(SIGTERM, NULL, &old_term) == 0 && old_term.sa_handler != SIG_IGN)
		sigaddset(&rn.waitset, SIGTERM);
	sigprocmask(SIG_BLOCK, &rn.waitset, &old_mask);
	sigs_set = 1;

	progress_draw(&rn.prog, 1);
	run_all(&rn);
	progress_end(&rn.prog);

	ret = write_summary(&b, rn.stop, counts);
	if (rn.stop) {
		lp_error(TR("stopped by %s: %zu of %zu applicants finished", "被 %s 中止：已完成 %zu 个申请人（共 %zu 个）"),
			 rn.stop == SIGINT ? "SIGINT" : "SIGTERM", rn.prog.done, b.n);
		ret = 128 + rn.stop;
	} else if (ret == 0) {
		if (!a.quiet && msg_lang() == LANG_ZH)
			fprintf(stderr, "共 %zu 个申请人：%zu 个齐全，%zu 个材料不全，%zu 个失败（其中 %zu 个已是最新，跳过）\n",
				b.n, counts[0], counts[1], counts[2], counts[4]);
		else if (!a.quiet)
			fprintf(stderr, "%zu applicant%s: %zu complete, %zu incomplete, %zu failed (%zu skipped as up to date)\n",
				b.n, b.n == 1 ? "" : "s", counts[0], counts[1], counts[2], counts[4]);
		ret = counts[2] ? LP_EXIT_IO : counts[1] ? LP_EXIT_INCOMPLETE : LP_EXIT_OK;
	}
cleanup:
	if (sigs_set) {
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		sigaction(SIGCHLD, &old_chld, NULL);
	}
	for (i = 0; i < b.n; i++) {
		free(b.e[i].name);
		free(b.e[i].message);
	}
	free(b.e);
	free(b.options);
	free(rn.slots);
	free(b.outdir_real);
	template_set_free(set);
	return ret;
}
