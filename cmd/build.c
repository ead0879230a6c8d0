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
 * signal.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/packet_job.h"
#include "packet/output.h"

const char usage_build[] =
	"usage: licpack build DIR [options]\n"
	"\n"
	"Check DIR, then write its submission packet into OUTDIR: NAME.pdf (cover\n"
	"sheet and every material), NAME.zip (the materials renamed in template\n"
	"order, the cover and manifest.json), manifest.json, report.json and\n"
	"report.txt. An incomplete folder gets the reports only (exit 1), unless\n"
	"--allow-incomplete. Outputs are mode 0600 and appear whole or not at all.\n"
	"\n"
	"  -o, --output OUTDIR    output folder (default: DIR-packet, beside DIR)\n"
	"  -n, --name NAME        packet file name (default: DIR's name)\n"
	"  -t, --template ID      template (default: \"template\" in DIR/packet.json)\n"
	"  -r, --region R         region overlay (default: \"region\" in packet.json)\n"
	"      --templates DIR    add or override templates from DIR/*.json\n"
	"      --allow-incomplete build anyway; the cover is marked 材料不全 / INCOMPLETE\n"
	"      --no-watermark     no purpose watermark on ID card pages\n"
	"      --zip-names STYLE  zh (default: 01_营业执照副本.jpg) or ascii\n"
	"                         (01_business-license.jpg) for portals that refuse\n"
	"                         Chinese names\n"
	"      --font PATH        CJK TrueType font (default: found with fontconfig)\n"
	"      --lang LANG        zh or en (default: from LC_ALL, LC_MESSAGES, LANG)\n"
	"      --today DATE       YYYY-MM-DD: the build date and the date to check\n"
	"                         against (default: SOURCE_DATE_EPOCH, else today)\n"
	"      --max-pixels N     refuse images declaring more pixels (default 100000000)\n"
	"      --max-depth N      read N levels of folders, DIR being 1 (default 16)\n"
	"      --sync             flush every output to disk before it takes its name\n"
	"                         (survives a crash of the machine; slower)\n"
	"      --force            write into an OUTDIR that holds files licpack did not\n"
	"                         write (they are kept; licpack's outputs are replaced)\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 packet written, 1 incomplete or invalid materials, 2 usage or\n"
	"template error, 3 I/O or internal error.\n";

const char usage_build_zh[] =
	"用法：licpack build 文件夹 [选项]\n"
	"\n"
	"先检查文件夹，再把提交用的材料包写入输出文件夹 OUTDIR：NAME.pdf（封面和\n"
	"全部材料）、NAME.zip（按模板顺序重命名的材料、封面和 manifest.json）、\n"
	"manifest.json、report.json 和 report.txt。材料不全时只写检查报告（退出码 1），\n"
	"除非指定 --allow-incomplete。输出文件权限为 0600，要么完整写出，要么不出现。\n"
	"\n"
	"  -o, --output OUTDIR    输出文件夹（默认：与文件夹并列的 'DIR-packet'）\n"
	"  -n, --name NAME        材料包文件名（默认：文件夹名）\n"
	"  -t, --template ID      模板（默认：文件夹中 packet.json 的 \"template\"）\n"
	"  -r, --region R         地区版本（默认：packet.json 的 \"region\"）\n"
	"      --templates DIR    用 DIR/*.json 增加或替换模板\n"
	"      --allow-incomplete 材料不全也生成材料包，封面标注“材料不全 / INCOMPLETE”\n"
	"      --no-watermark     身份证页面不加用途水印\n"
	"      --zip-names STYLE  zh（默认：01_营业执照副本.jpg）或 ascii\n"
	"                         （01_business-license.jpg，用于不接受中文文件名的系统）\n"
	"      --font PATH        中文 TTF/TTC 字体文件（默认：用 fontconfig 查找）\n"
	"      --lang LANG        zh 或 en（默认：按 LC_ALL、LC_MESSAGES、LANG）\n"
	"      --today DATE       生成日期，也是判断有效期的日期，格式 YYYY-MM-DD\n"
	"                         （默认：SOURCE_DATE_EPOCH，否则为今天）\n"
	"      --max-pixels N     拒绝声明像素数超过 N 的图片（默认 100000000）\n"
	"      --max-depth N      最多读取 N 层文件夹，DIR 本身算第 1 层（默认 16）\n"
	"      --sync             每个输出文件先写入磁盘再改为正式文件名\n"
	"                         （机器意外断电也不丢失；较慢）\n"
	"      --force            输出文件夹里有不是 licpack 写的文件时也写入\n"
	"                         （那些文件保留，只替换 licpack 的输出）\n"
	"  -h, --help             显示本帮助\n"
	"\n"
	"退出码：0 已生成材料包；1 材料不全或有误；2 用法或模板错误；3 读写或内部错误。\n";



/* The parser's table, and the one list of build's options (main.c). */
enum { OPT_BUILD_FORCE = OPT_OWN };

const struct option longopts_build[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "name", required_argument, NULL, 'n' },
	{ "template", required_argument, NULL, 't' },
	{ "region", required_argument, NULL, 'r' },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "allow-incomplete", no_argument, NULL, OPT_ALLOW },
	{ "no-watermark", no_argument, NULL, OPT_NO_WM },
	{ "zip-names", required_argument, NULL, OPT_ZIPNAMES },
	{ "font", required_argument, NULL, OPT_FONT },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "today", required_argument, NULL, OPT_TODAY },
	{ "max-pixels", required_argument, NULL, OPT_MAX_PIXELS },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "sync", no_argument, NULL, OPT_SYNC },
	{ "force", no_argument, NULL, OPT_BUILD_FORCE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
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
	int c, r;

	memset(a, 0, sizeof *a);
	check_options_init(&a->f.check);
	a->f.check.keep_data = 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:n:t:r:h", longopts_build, NULL)) != -1) {
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

/* Run job in a child process (see the top); the job's exit code, or, when
 * SIGINT or SIGTERM came, death by that signal after the clean-up. */
static int run_guarded(const packet_job *job, char *err, size_t errlen)
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
	pid = fork();
	if (pid <= 0) {
		/* the child (or, with no process to be had, this one, unguarded):
		 * the job, then back to cmd_build, which frees all and returns to
		 * main, which checks stdout */
		sigprocmask(SIG_SETMASK, &old, NULL);
		code = packet_job_run(job, &res, err, errlen);
		packet_job_result_release(&res);
		return code;
	}
	err[0] = '\0';
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
		output_dir_clean_if_idle(job->outdir);
		if (!sig)
			sig = WTERMSIG(ws);
		if (sig == SIGINT || sig == SIGTERM) {
			signal(sig, SIG_DFL);
			raise(sig);
		}
		snprintf(err, errlen, TR("the build died of signal %d", "生成过程被信号 %d 终止"), WTERMSIG(ws));
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
	char err[1024], *trimmed = NULL, *base = NULL, *outdir = NULL;
	int ret;

	ret = parse(argc, argv, &a);
	if (ret == -1)
		return print_usage(usage_build, usage_build_zh);
	if (ret)
		return ret;
	if ((ret = settle_lang_today("build", a.f.lang, &lang, a.f.today, &a.f.check.today)) != 0)
		return ret;
	if (split_dir(a.dir, &trimmed, &base) != 0) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	outdir = a.outdir ? strdup(a.outdir) : lp_strdupf("%s-packet", trimmed);
	if (!outdir) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = templates_load(a.f.templates_dir, &set)) != 0)
		goto cleanup;
	memset(&job, 0, sizeof job);
	job.set = set;
	job.dir = a.dir;
	job.outdir = outdir;
	job.name = a.name ? a.name : base;
	job.check = a.f.check;
	job.lang = lang;
	job.allow_incomplete = a.f.allow_incomplete;
	job.no_watermark = a.f.no_watermark;
	job.ascii_names = a.f.ascii_names;
	job.sync = a.f.sync;
	job.force = a.force;
	job.font = a.f.font;
	job.out = stdout;
	job.colour = use_colour(stdout);
	ret = run_guarded(&job, err, sizeof err);
	/* in the message language already, library errors included (the
	 * parent has nothing to add: its child said it) */
	if (ret != LP_EXIT_OK && err[0])
		lp_error("%s", err);
cleanup:
	free(outdir);
	free(trimmed);
	free(base);
	template_set_free(set);
	return ret;
}
