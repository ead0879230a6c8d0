/*
 * build: `licpack build DIR` — check, then write the packet: NAME.pdf,
 * NAME.zip, manifest.json, report.json and report.txt in OUTDIR. The work
 * itself is packet_job_run() (cmd/packet_job.c), which `batch` shares.
 *
 * The job runs in a child process, as batch's do, so that SIGINT or
 * SIGTERM cannot leave its temporary files (copies of the scans) behind:
 * the parent passes the signal on, waits for the child, removes what it
 * left in OUTDIR (output_dir_clean_if_idle: only licpack's temporaries,
 * and only when no other run holds the folder), and dies of the same
 * signal. The parent is the child's subreaper (PR_SET_CHILD_SUBREAPER):
 * what the child left running when it died, the guardian of a LibreOffice
 * conversion (packet/convert_office.c, which kills soffice and removes its
 * private folder when the child dies), becomes the parent's, and the
 * parent waits for it, so that when licpack has exited nothing of the
 * conversion is left.
 */
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/packet_job.h"
#include "packet/normalise.h"
#include "packet/output.h"

enum { OPT_BUILD_FORCE = OPT_OWN };

static const cmd_option options_build[] = {
	{ "output", 'o', "OUTDIR", "output folder (default: DIR-packet, beside DIR)",
	  "输出文件夹（默认：与文件夹并列的 'DIR-packet'）" },
	{ "name", 'n', "NAME", "packet file name (default: DIR's name)", "材料包文件名（默认：文件夹名）" },
	OPTION_TEMPLATE,
	OPTION_REGION,
	OPTION_TEMPLATES,
	OPTIONS_PACKET,
	OPTION_MAX_PDF_MB,
	OPTIONS_RUN,
	OPTION_SYNC,
	OPTIONS_READ,
	{ "force", OPT_BUILD_FORCE, NULL, "write into an OUTDIR that holds files licpack did not\nwrite (they are kept; licpack's outputs are replaced)",
	  "输出文件夹里有不是 licpack 写的文件时也写入\n（那些文件保留，只替换 licpack 的输出）" },
	OPTION_HELP,
	OPTION_END,
};

const cmd_help help_build = {
	"usage: licpack build DIR [options]\n"
	"\n"
	"Check DIR, then write its submission packet into OUTDIR: NAME.pdf (cover\n"
	"sheet and every material), NAME.zip (the materials renamed in template\n"
	"order, the cover and manifest.json), manifest.json, report.json and\n"
	"report.txt. An incomplete folder gets the reports only (exit 1), unless\n"
	"--allow-incomplete. Outputs are mode 0600 and appear whole or not at all.\n"
	"\n",
	"用法：licpack build 文件夹 [选项]\n"
	"\n"
	"先检查文件夹，再把提交用的材料包写入输出文件夹 OUTDIR：NAME.pdf（封面和\n"
	"全部材料）、NAME.zip（按模板顺序重命名的材料、封面和 manifest.json）、\n"
	"manifest.json、report.json 和 report.txt。材料不全时只写检查报告（退出码 1），\n"
	"除非指定 --allow-incomplete。输出文件权限为 0600，要么完整写出，要么不出现。\n"
	"\n",
	options_build,
	"Exit status: 0 packet written, 1 incomplete or invalid materials, 2 usage or\n"
	"template error, 3 I/O or internal error.\n",
	"退出码：0 已生成材料包；1 材料不全或有误；2 用法或模板错误；3 读写或内部错误。\n",
};

typedef struct {
	const char *dir;
	const char *outdir;
	const char *name;
	int force;
	folder_args f;
} build_args;

static int parse(int argc, char **argv, build_args *a)
{
	cmd_parser p;
	int c, r;

	memset(a, 0, sizeof *a);
	check_options_init(&a->f.check);
	check_options_env(&a->f.check);
	a->f.check.keep_data = 1;
	cmd_parser_init(&p, options_build);
	while ((c = cmd_parser_next(&p, argc, argv)) != -1) {
		switch (c) {
		case 'o': a->outdir = optarg; break;
		case 'n': a->name = optarg; break;
		case 'h': return -1;
		case OPT_BUILD_FORCE: a->force = 1; break;
		default:
			if ((r = folder_option("build", c, argv, &a->f)) != 1)
				return r;
			break;
		}
	}
	if (optind + 1 != argc)
		return usage_error("build", optind == argc ? TR("no folder given", "没有指定文件夹")
							   : TR("one folder at a time (for many, use 'licpack batch')",
								"一次只能处理一个文件夹（多个请用 'licpack batch'）"));
	a->dir = argv[optind];
	if (a->name && (!a->name[0] || strchr(a->name, '/') || a->name[0] == '.'))
		return usage_error("build", TR("--name: '%s' must be a plain file name",
					       "--name：'%s' 必须是单纯的文件名（不含 /，不以 . 开头）"), a->name);
	return 0;
}

/* DIR without trailing slashes, and its last component. Caller frees both.
 * "." and ".." (also at the end of a longer path) name no folder: then both
 * come from DIR's real path, so that `build .` writes NAME.pdf into
 * ../NAME-packet, not "..pdf" into ".-packet". */
static int split_dir(const char *dir, char **trimmed, char **base)
{
	size_t n = strlen(dir);
	char *copy, *real = NULL;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	*trimmed = strndup(dir, n);
	copy = *trimmed ? strdup(*trimmed) : NULL;
	*base = copy ? strdup(basename(copy)) : NULL;
	if (*base && (strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) && (real = realpath(dir, NULL)) &&
	    strcmp(real, "/") != 0) {
		free(*trimmed);
		free(*base);
		free(copy);
		*trimmed = real;
		real = NULL;
		copy = strdup(*trimmed);
		*base = copy ? strdup(basename(copy)) : NULL;
	}
	free(real);
	free(copy);
	return *trimmed && *base ? 0 : -1;
}

/* The processes the child left behind when it died (now ours, as its
 * subreaper): waited for, GRACE_S seconds at most; they clean up after
 * themselves (a conversion's guardian removes its folder). */
#define GRACE_S 15
static void reap_orphans(void)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	long waited = 0;
	pid_t w;

	while ((w = waitpid(-1, NULL, WNOHANG)) >= 0 && waited < GRACE_S * 50) {
		if (w == 0) {
			nanosleep(&nap, NULL);
			waited++;
		}
	}
}

/* Run job in a child process (see the top); the job's exit code, or, when
 * SIGINT or SIGTERM came, death by that signal after the clean-up. */
static int run_guarded(const packet_job *job, lp_err *err)
{
	sigset_t stop, old;
	packet_job_result res;
	int ws, sig = 0, code;
	pid_t pid;

	struct sigaction sa;

	/* a signal ignored by whoever started us (a background job's SIGINT)
	 * stays ignored, as batch does */
	sigemptyset(&stop);
	if (sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
		sigaddset(&stop, SIGINT);
	if (sigaction(SIGTERM, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
		sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGCHLD);
	fflush(stdout);
	fflush(stderr);
	signal(SIGCHLD, SIG_DFL); /* a child to wait for, whatever we were given */
	sigprocmask(SIG_BLOCK, &stop, &old);
	prctl(PR_SET_CHILD_SUBREAPER, 1); /* not inherited: the child stays as it was */
	pid = fork();
	if (pid <= 0) {
		/* the child (or, with no process to be had, this one, unguarded):
		 * the job, then back to cmd_build, which frees all and returns to
		 * main, which checks stdout */
		sigprocmask(SIG_SETMASK, &old, NULL);
		code = packet_job_run(job, &res, err);
		packet_job_result_release(&res);
		return code;
	}
	lp_error_clear(err);
	for (;;) {
		int got = sigwaitinfo(&stop, NULL);
		pid_t w;
		if (got == SIGINT || got == SIGTERM) {
			sig = got;
			kill(pid, got);
		}
		w = waitpid(pid, &ws, sig ? 0 : WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			ws = LP_EXIT_IO << 8;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (WIFSIGNALED(ws)) {
		reap_orphans();
		output_dir_clean_if_idle(job->outdir);
		if (!sig)
			sig = WTERMSIG(ws);
		if (sig == SIGINT || sig == SIGTERM) {
			signal(sig, SIG_DFL);
			raise(sig);
		}
		msg_fail(err, "the build died of signal %d", "生成过程被信号 %d 终止", WTERMSIG(ws));
		return LP_EXIT_IO;
	}
	if (sig) { /* the child finished before the signal reached it */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return WEXITSTATUS(ws);
}

int cmd_build(int argc, char **argv)
{
	build_args a;
	template_set *set = NULL;
	packet_job job;
	lp_lang lang;
	lp_err err = { 0 };
	char *trimmed = NULL, *base = NULL, *outdir = NULL, *out_name = NULL, *masked_base = NULL;
	int ret;

	ret = parse(argc, argv, &a);
	if (ret == -1)
		return print_help(&help_build);
	if (ret)
		return ret;
	if ((ret = settle_lang_today("build", a.f.lang, &lang, a.f.today, &a.f.check.today)) != 0)
		return ret;
	if (split_dir(a.dir, &trimmed, &base) != 0) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	/* no ID number in the name of anything written: a folder named
	 * 张三_11010519491231002X gives 张三_110105********002X.pdf in
	 * 张三_110105********002X-packet (the folder's own path is the user's) */
	out_name = strdup(a.name ? a.name : base);
	if (out_name)
		mask_id_numbers(out_name);
	if (a.outdir) {
		outdir = strdup(a.outdir);
	} else if ((masked_base = strdup(base))) {
		size_t keep = strlen(trimmed) >= strlen(base) ? strlen(trimmed) - strlen(base) : 0;
		mask_id_numbers(masked_base);
		outdir = lp_strdupf("%.*s%s-packet", (int)keep, trimmed, masked_base);
	}
	if (!outdir || !out_name) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = templates_load(a.f.templates_dir, &set)) != 0)
		goto cleanup;
	reading_start(&a.f);
	memset(&job, 0, sizeof job);
	job.set = set;
	job.dir = a.dir;
	job.outdir = outdir;
	job.name = out_name;
	job.check = a.f.check;
	job.lang = lang;
	job.allow_incomplete = a.f.allow_incomplete;
	job.no_watermark = a.f.no_watermark;
	job.id_separate = a.f.id_separate;
	job.no_upload = a.f.no_upload;
	job.max_pdf_bytes = a.f.max_pdf_bytes;
	job.no_thumbnails = a.f.no_thumbnails;
	job.ascii_names = a.f.ascii_names;
	job.sync = a.f.sync;
	job.force = a.force;
	job.font = a.f.font;
	job.out = stdout;
	job.colour = use_colour(stdout);
	ret = run_guarded(&job, &err);
	/* in the message language already, library errors included (the
	 * parent has nothing to add: its child said it) */
	if (ret != LP_EXIT_OK && err.code != LP_OK)
		lp_error_show(&err);
cleanup:
	reading_stop(&a.f);
	free(outdir);
	free(trimmed);
	free(base);
	free(out_name);
	free(masked_base);
	template_set_free(set);
	return ret;
}
