/*
 * build: `licpack build DIR` — check, then write the packet: NAME.pdf,
 * NAME.zip, manifest.json, report.json and report.txt in OUTDIR. The work
 * itself is packet_job_run() (cmd/packet_job.c), which `batch` shares.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/packet_job.h"

static const cmd_option options_build[] = {
	{ "output", 'o', "OUTDIR", "output folder (default: DIR-packet, beside DIR)",
	  "输出文件夹（默认：与文件夹并列的 'DIR-packet'）" },
	{ "name", 'n', "NAME", "packet file name (default: DIR's name)", "材料包文件名（默认：文件夹名）" },
	OPTION_TEMPLATE,
	OPTION_REGION,
	OPTION_TEMPLATES,
	OPTIONS_PACKET,
	OPTION_LANG,
	OPTION_TODAY,
	OPTION_MAX_PIXELS,
	OPTION_SYNC,
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
	folder_args f;
} build_args;

static int parse(int argc, char **argv, build_args *a)
{
	cmd_parser p;
	int c, r;

	memset(a, 0, sizeof *a);
	check_options_init(&a->f.check);
	a->f.check.keep_data = 1;
	cmd_parser_init(&p, options_build);
	while ((c = cmd_parser_next(&p, argc, argv)) != -1) {
		switch (c) {
		case 'o': a->outdir = optarg; break;
		case 'n': a->name = optarg; break;
		case 'h': return -1;
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

/* DIR without trailing slashes, and its last component. Caller frees both. */
static int split_dir(const char *dir, char **trimmed, char **base)
{
	size_t n = strlen(dir);
	char *copy;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	*trimmed = strndup(dir, n);
	copy = *trimmed ? strdup(*trimmed) : NULL;
	*base = copy ? strdup(basename(copy)) : NULL;
	free(copy);
	return *trimmed && *base ? 0 : -1;
}

int cmd_build(int argc, char **argv)
{
	build_args a;
	template_set *set = NULL;
	packet_job job;
	packet_job_result res;
	lp_lang lang;
	char err[1024], *trimmed = NULL, *base = NULL, *outdir = NULL;
	int ret;

	memset(&res, 0, sizeof res);
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
	job.no_thumbnails = a.f.no_thumbnails;
	job.ascii_names = a.f.ascii_names;
	job.sync = a.f.sync;
	job.font = a.f.font;
	job.out = stdout;
	job.colour = use_colour(stdout);
	ret = packet_job_run(&job, &res, err, sizeof err);
	/* in the message language already, library errors included */
	if (ret != LP_EXIT_OK && err[0])
		lp_error("%s", err);
cleanup:
	packet_job_result_release(&res);
	free(outdir);
	free(trimmed);
	free(base);
	template_set_free(set);
	return ret;
}
