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
#include "cmd/batch.h"
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
	OPTION_MAX_PDF_MB,
	OPTIONS_RUN,
	OPTION_SYNC,
	OPTIONS_READ,
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

/* In the order of the summary's rows: by the outputs' names. */
static int name_cmp(const void *x, const void *y)
{
	return strcmp(((const entry *)x)->out, ((const entry *)y)->out);
}

/* Each entry's outputs' name (entry.out), from the names of all of ROOT's
 * folders (all n_all of them, every shard's: every shard names a folder's
 * outputs alike); at[i] is entry i's index in all. Returns 0 or -1 (out
 * of memory). */
static int name_outputs(batch *b, char **all, size_t n_all, const size_t *at)
{
	char **outs = summary_output_names((const char *const *)all, n_all);
	size_t i;

	if (!outs)
		return -1;
	for (i = 0; i < b->n; i++) {
		b->e[i].out = outs[at[i]];
		outs[at[i]] = NULL;
	}
	for (i = 0; i < n_all; i++)
		free(outs[i]);
	free(outs);
	return 0;
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
	size_t cap = 0, n_all = 0, cap_all = 0, *at = NULL, i;
	char **all = NULL;
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
		if (n_all == cap_all) {
			char **p = realloc(all, (cap_all ? cap_all * 2 : 256) * sizeof *p);
			if (!p)
				goto oom;
			all = p;
			cap_all = cap_all ? cap_all * 2 : 256;
		}
		if (!(all[n_all] = strdup(de->d_name)))
			goto oom;
		n_all++;
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
			size_t *q = realloc(at, (cap ? cap * 2 : 256) * sizeof *q);
			if (p)
				b->e = p;
			if (q)
				at = q;
			if (!p || !q)
				goto oom;
			cap = cap ? cap * 2 : 256;
		}
		at[b->n] = n_all - 1;
		memset(&b->e[b->n], 0, sizeof b->e[b->n]);
		if (!(b->e[b->n].name = strdup(de->d_name)))
			goto oom;
		b->n++;
	}
	if (errno) {
		lp_error(TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), a->root, msg_strerror(errno));
		goto cleanup;
	}
	if (name_outputs(b, all, n_all, at) != 0)
		goto oom;
	if (b->n > 1)
		qsort(b->e, b->n, sizeof *b->e, name_cmp);
	ret = 0;
	goto cleanup;
oom:
	lp_error(TR("out of memory", "内存不足"));
cleanup:
	closedir(d);
	free(root_real);
	for (i = 0; i < n_all; i++)
		free(all[i]);
	free(all);
	free(at);
	return ret;
}

/* The summary rows in order; a row that cannot be read back is rebuilt from
 * what the parent kept. Prints the error; returns 0 or an exit code. */
static int write_summary(batch *b, int stop, size_t counts[5])
{
	const batch_args *a = b->a;
	summary_writer *w = NULL;
	lp_err err = { 0 };
	char base[64], shard[48];
	size_t i;
	int ret = LP_EXIT_IO;

	if (a->shard_n) {
		snprintf(base, sizeof base, "summary-%lu-of-%lu", a->shard_k, a->shard_n);
		snprintf(shard, sizeof shard, "%lu/%lu", a->shard_k, a->shard_n);
	} else {
		snprintf(base, sizeof base, "summary");
	}
	if (summary_writer_begin(&w, a->outdir, base, a->f.sync, &err) != 0)
		goto fail;
	for (i = 0; i < b->n; i++) {
		entry *e = &b->e[i];
		char *rpath;
		cJSON *row = NULL;
		int r;
		if (e->state != E_DONE)
			continue;
		rpath = lp_strdupf("%s/%s/%s", a->outdir, e->out, SUMMARY_RESULT_FILE);
		if (!e->message && rpath)
			row = summary_result_read(rpath, NULL, NULL, NULL);
		if (!row)
			row = failed_row(b, e, e->message ? e->message
							      : TR("its result file cannot be read", "无法读取其结果文件"));
		free(rpath);
		if (!row) {
			lp_nomem(&err);
			goto fail;
		}
		r = summary_row_set_result(row, e->skipped ? "skipped" : "fresh");
		if (r == 0)
			r = summary_writer_add(w, row, &err);
		else
			lp_nomem(&err);
		cJSON_Delete(row);
		if (r != 0)
			goto fail;
	}
	ret = summary_writer_commit(w, a->shard_n ? shard : NULL, stop != 0, counts, &err) == 0 ? 0 : LP_EXIT_IO;
	w = NULL;
	if (ret == 0) {
		printf("%s/%s.csv\n%s/%s.json\n", a->outdir, base, a->outdir, base);
		return batch_index_write(a->outdir, base, b->lang, a->f.sync);
	}
fail:
	summary_writer_abort(w);
	lp_error_show(&err);
	return LP_EXIT_IO;
}

/* What the run needs before any applicant starts: the font (looked up
 * once, not by every child, into font_path when found), the output folder
 * made and resolved, the applicants listed, the options the outputs
 * depend on. 0, or an exit code with the error shown. */
static int batch_prepare(batch *b, char *font_path, size_t font_size)
{
	const batch_args *a = b->a;
	int ret;

	if (!a->check_only) {
		if (a->f.font) {
			b->font = a->f.font;
		} else if (cjk_font_find(font_path, font_size, &b->font_index) == 0) {
			b->font = font_path;
		} else {
			lp_error("%s", TR("no Chinese font found: install one (apt-get install fonts-wqy-microhei) or give --font PATH",
					  "找不到中文字体：请安装一种（apt-get install fonts-wqy-microhei），或用 --font PATH 指定字体文件"));
			return LP_EXIT_IO;
		}
	}
	if (mkdir(a->outdir, 0700) != 0 && errno != EEXIST) {
		lp_error(TR("cannot create '%s': %s", "无法创建 '%s'（%s）"), a->outdir, msg_strerror(errno));
		return LP_EXIT_IO;
	}
	if (!(b->outdir_real = realpath(a->outdir, NULL))) {
		lp_error(TR("cannot resolve '%s': %s", "无法解析路径 '%s'（%s）"), a->outdir, msg_strerror(errno));
		return LP_EXIT_IO;
	}
	if ((ret = list_applicants(b, b->outdir_real)) != 0)
		return ret;
	templates_time(a->f.templates_dir, &b->templates_mtime);
	if (!(b->options = options_string(b))) {
		lp_error(TR("out of memory", "内存不足"));
		return LP_EXIT_IO;
	}
	return 0;
}

/* The signal dispositions and mask the run changes, to be put back. */
typedef struct {
	struct sigaction old_int, old_term, old_chld;
	sigset_t old_mask;
} saved_signals;

/* Signals: SIGCHLD, and SIGINT / SIGTERM unless we were started with them
 * ignored (nohup, a background job), blocked and taken in the loop. */
static void signals_take(runner *rn, saved_signals *s)
{
	struct sigaction sa;

	sigemptyset(&rn->waitset);
	sigaddset(&rn->waitset, SIGCHLD);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &s->old_chld);
	if (sigaction(SIGINT, NULL, &s->old_int) == 0 && s->old_int.sa_handler != SIG_IGN)
		sigaddset(&rn->waitset, SIGINT);
	if (sigaction(SIGTERM, NULL, &s->old_term) == 0 && s->old_term.sa_handler != SIG_IGN)
		sigaddset(&rn->waitset, SIGTERM);
	sigprocmask(SIG_BLOCK, &rn->waitset, &s->old_mask);
}

static void signals_restore(const saved_signals *s)
{
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
	sigaction(SIGCHLD, &s->old_chld, NULL);
}

/* The run's last word on stderr and its exit code: 128 + the signal that
 * stopped it; else, when the summary was written (ret 0), the counts, and
 * 3 if any applicant failed, 1 if any is incomplete; else ret. */
static int batch_outcome(const batch *b, const runner *rn, int ret, const size_t counts[5])
{
	if (rn->stop) {
		lp_error(TR("stopped by %s: %zu of %zu applicants finished", "被 %s 中止：已完成 %zu 个申请人（共 %zu 个）"),
			 rn->stop == SIGINT ? "SIGINT" : "SIGTERM", rn->prog.done, b->n);
		return 128 + rn->stop;
	}
	if (ret != 0)
		return ret;
	if (!b->a->quiet && msg_lang() == LANG_ZH)
		fprintf(stderr, "共 %zu 个申请人：%zu 个齐全，%zu 个材料不全，%zu 个失败（其中 %zu 个已是最新，跳过）\n",
			b->n, counts[0], counts[1], counts[2], counts[4]);
	else if (!b->a->quiet)
		fprintf(stderr, "%zu applicant%s: %zu complete, %zu incomplete, %zu failed (%zu skipped as up to date)\n",
			b->n, b->n == 1 ? "" : "s", counts[0], counts[1], counts[2], counts[4]);
	return counts[2] ? LP_EXIT_IO : counts[1] ? LP_EXIT_INCOMPLETE : LP_EXIT_OK;
}

int cmd_batch(int argc, char **argv)
{
	batch_args a;
	batch b;
	runner rn;
	template_set *set = NULL;
	char font_path[PATH_MAX];
	saved_signals saved;
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
	reading_start(&a.f);
	if ((ret = batch_prepare(&b, font_path, sizeof font_path)) != 0)
		goto cleanup;

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
	signals_take(&rn, &saved);
	sigs_set = 1;

	progress_draw(&rn.prog, 1);
	run_all(&rn);
	progress_end(&rn.prog);

	ret = batch_outcome(&b, &rn, write_summary(&b, rn.stop, counts), counts);
cleanup:
	reading_stop(&a.f);
	if (sigs_set)
		signals_restore(&saved);
	for (i = 0; i < b.n; i++) {
		free(b.e[i].name);
		free(b.e[i].out);
		free(b.e[i].message);
	}
	free(b.e);
	free(b.options);
	free(rn.slots);
	free(b.outdir_real);
	template_set_free(set);
	return ret;
}
