/*
 * check: `licpack check DIR` — is this folder ready to submit?
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "pdf/report_page.h"

enum { OPT_STRICT = OPT_OWN };

static const cmd_option options_check[] = {
	OPTION_TEMPLATE,
	OPTION_REGION,
	OPTION_TEMPLATES,
	{ "format", 'f', "FMT", "text (default), json or html (one page with thumbnails)",
	  "text（默认，供人阅读）、json（供脚本使用）或 html（带缩略图的网页）" },
	OPTION_NO_THUMBS,
	OPTIONS_READ,
	{ "strict", OPT_STRICT, NULL, "warnings count as problems (exit 1)", "警告也算问题（退出码 1）" },
	OPTIONS_RUN,
	OPTIONS_PORTAL,
	OPTION_HELP,
	OPTION_END,
};

const cmd_help help_check = {
	"usage: licpack check DIR [options]\n"
	"\n"
	"Check an applicant folder against its template and report what is missing\n"
	"or wrong. Writes nothing; never modifies the folder.\n"
	"\n",
	"用法：licpack check 文件夹 [选项]\n"
	"\n"
	"按模板检查申请人的材料文件夹，报告缺少什么、哪里不符合要求。\n"
	"只读取，不写入任何文件，也不改动文件夹。\n"
	"\n",
	options_check,
	"Exit status: 0 complete, 1 incomplete or invalid, 2 usage or template error,\n"
	"3 I/O or internal error. 'licpack explain CODE' explains a finding code.\n",
	"退出码：0 材料齐全；1 材料不全或有误；2 用法或模板错误；3 读写或内部错误。\n"
	"'licpack explain 代码' 解释检查结果代码的含义和处理办法。\n",
};

typedef struct {
	const char *dir;
	const char *format;
	int strict;
	folder_args f;
} check_args;

static int parse(int argc, char **argv, check_args *a)
{
	cmd_parser p;
	int c, r;

	memset(a, 0, sizeof *a);
	check_options_init(&a->f.check);
	check_options_env(&a->f.check);
	a->format = "text";
	cmd_parser_init(&p, options_check);
	while ((c = cmd_parser_next(&p, argc, argv)) != -1) {
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
	if (strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0 && strcmp(a->format, "html") != 0)
		return usage_error("check", TR("--format: '%s' is not text, json or html", "--format：'%s' 应为 text、json 或 html"),
				   a->format);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	check_args a;
	template_set *set = NULL;
	check_result r;
	lp_lang lang;
	lp_err err = { 0 };
	char *out = NULL;
	int ret;

	ret = parse(argc, argv, &a);
	if (ret == -1)
		return print_help(&help_check);
	if (ret)
		return ret;
	if ((ret = settle_lang_today("check", a.f.lang, &lang, a.f.today, &a.f.check.today)) != 0)
		return ret;
	if ((ret = templates_load(a.f.templates_dir, &set)) != 0)
		return ret;
	/* the page's JPEG thumbnails come from the check's own decode */
	a.f.check.thumbnails = strcmp(a.format, "html") == 0 && !a.f.no_thumbnails;
	reading_start(&a.f);
	ret = check_folder(set, a.dir, &a.f.check, &r, &err);
	if (ret != LP_EXIT_OK) {
		lp_error_show(&err);
		goto cleanup;
	}
	if (strcmp(a.format, "html") == 0) {
		report_page_opts po = { a.dir, lang, a.f.check.today, !a.f.no_thumbnails, NULL, 0, a.f.check.threads };
		out = html_report_make(&r, &po);
	} else {
		out = strcmp(a.format, "json") == 0 ? report_json(&r, a.dir, lang)
						     : report_text(&r, a.dir, lang, use_colour(stdout));
	}
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
	reading_stop(&a.f);
	template_set_free(set);
	return ret;
}
