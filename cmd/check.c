/*
 * check: `licpack check DIR` — is this folder ready to submit?
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

const char usage_check[] =
	"usage: licpack check DIR [options]\n"
	"\n"
	"Check an applicant folder against its template and report what is missing\n"
	"or wrong. Writes nothing; never modifies the folder.\n"
	"\n"
	"  -t, --template ID     template (default: \"template\" in DIR/packet.json)\n"
	"  -r, --region R        region overlay (default: \"region\" in packet.json)\n"
	"      --templates DIR   add or override templates from DIR/*.json\n"
	"  -f, --format FMT      text (default) or json\n"
	"      --strict          warnings count as problems (exit 1)\n"
	"      --lang LANG       zh or en (default: from LC_ALL, LC_MESSAGES, LANG)\n"
	"      --today DATE      YYYY-MM-DD to check dates against (default: today,\n"
	"                        or SOURCE_DATE_EPOCH)\n"
	"      --max-pixels N    refuse images declaring more pixels (default 100000000)\n"
	"      --max-depth N     read N levels of folders, DIR being 1 (default 16)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 complete, 1 incomplete or invalid, 2 usage or template error,\n"
	"3 I/O or internal error. 'licpack explain CODE' explains a finding code.\n";

const char usage_check_zh[] =
	"用法：licpack check 文件夹 [选项]\n"
	"\n"
	"按模板检查申请人的材料文件夹，报告缺少什么、哪里不符合要求。\n"
	"只读取，不写入任何文件，也不改动文件夹。\n"
	"\n"
	"  -t, --template ID     模板（默认：文件夹中 packet.json 的 \"template\"）\n"
	"  -r, --region R        地区版本（默认：packet.json 的 \"region\"）\n"
	"      --templates DIR   用 DIR/*.json 增加或替换模板\n"
	"  -f, --format FMT      text（默认，供人阅读）或 json（供脚本使用）\n"
	"      --strict          警告也算问题（退出码 1）\n"
	"      --lang LANG       zh 或 en（默认：按 LC_ALL、LC_MESSAGES、LANG）\n"
	"      --today DATE      按此日期（YYYY-MM-DD）判断有效期（默认：今天，\n"
	"                        或 SOURCE_DATE_EPOCH）\n"
	"      --max-pixels N    拒绝声明像素数超过 N 的图片（默认 100000000）\n"
	"      --max-depth N     最多读取 N 层文件夹，DIR 本身算第 1 层（默认 16）\n"
	"  -h, --help            显示本帮助\n"
	"\n"
	"退出码：0 材料齐全；1 材料不全或有误；2 用法或模板错误；3 读写或内部错误。\n"
	"'licpack explain 代码' 解释检查结果代码的含义和处理办法。\n";

enum { OPT_STRICT = OPT_OWN };

/* The parser's table, and the one list of check's options (main.c). */
const struct option longopts_check[] = {
	{ "template", required_argument, NULL, 't' },
	{ "region", required_argument, NULL, 'r' },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "format", required_argument, NULL, 'f' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "today", required_argument, NULL, OPT_TODAY },
	{ "max-pixels", required_argument, NULL, OPT_MAX_PIXELS },
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

typedef struct {
	const char *dir;
	const char *format;
	int strict;
	folder_args f;
} check_args;

static int parse(int argc, char **argv, check_args *a)
{
	int c, r;

	memset(a, 0, sizeof *a);
	check_options_init(&a->f.check);
	a->format = "text";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:r:f:h", longopts_check, NULL)) != -1) {
		switch (c) {
		case 'f': a->format = optarg; break;
		case OPT_STRICT: a->strict = 1; break;
		case 'h': return -1;
		default:
			if ((r = folder_option("check", c, argv, &a->f)) != 1)
				return r;
			break;
		}
	}
	if (optind + 1 != argc)
		return usage_error("check", optind == argc ? TR("no folder given", "没有指定文件夹")
							   : TR("one folder at a time (for many, use 'licpack batch')",
								"一次只能检查一个文件夹（多个请用 'licpack batch'）"));
	a->dir = argv[optind];
	if (strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0)
		return usage_error("check", TR("--format: '%s' is not text or json", "--format：'%s' 应为 text 或 json"),
				   a->format);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	check_args a;
	template_set *set = NULL;
	check_result r;
	lp_lang lang;
	char err[1024], *out = NULL;
	int ret;

	ret = parse(argc, argv, &a);
	if (ret == -1)
		return print_usage(usage_check, usage_check_zh);
	if (ret)
		return ret;
	if ((ret = settle_lang_today("check", a.f.lang, &lang, a.f.today, &a.f.check.today)) != 0)
		return ret;
	if ((ret = templates_load(a.f.templates_dir, &set)) != 0)
		return ret;
	ret = check_folder(set, a.dir, &a.f.check, &r, err, sizeof err);
	if (ret != LP_EXIT_OK) {
		lp_error_lib(err, "无法检查该文件夹");
		goto cleanup;
	}
	out = strcmp(a.format, "json") == 0 ? report_json(&r, a.dir, lang)
					     : report_text(&r, a.dir, lang, use_colour(stdout));
	if (!out) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	fputs(out, stdout);
	ret = !r.complete || (a.strict && findings_count(&r.findings, SEV_WARNING)) ? LP_EXIT_INCOMPLETE : LP_EXIT_OK;
cleanup:
	free(out);
	check_result_release(&r);
	template_set_free(set);
	return ret;
}
