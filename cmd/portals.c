/*
 * portals: `licpack portals list | show NAME` — the portal profiles that the
 * upload folder is made for (packet/upload_profile.h): list prints one a
 * line (id, Chinese title, English title); show prints one profile's
 * figures, each marked "(assumed)" where no public source gives it, and
 * its sources and notes.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "packet/upload_profile.h"

static const cmd_option options_portals[] = {
	{ "profiles", OPT_PROFILES, "DIR", "add or override portal profiles from DIR/*.json",
	  "用 DIR/*.json 增加或替换上传系统配置" },
	OPTION_LANG,
	OPTION_HELP,
	OPTION_END,
};

const cmd_help help_portals = {
	"usage: licpack portals list\n"
	"       licpack portals show NAME\n"
	"\n"
	"List the portal profiles that build's upload/ folder is made for (--portal\n"
	"NAME), or show one: the formats it takes, from how many pages a material\n"
	"goes up as one PDF, the largest file, the longest edge and pixels of an\n"
	"image, the minimum resolution fitting keeps, and its file names. Figures\n"
	"that no public source gives are marked (assumed).\n"
	"\n",
	"用法：licpack portals list\n"
	"      licpack portals show 名称\n"
	"\n"
	"列出 build 生成 upload/ 文件夹时可选的上传系统配置（--portal 名称），或查看其中\n"
	"一个：接受的格式、多少页起合并为一个 PDF、单个文件大小上限、图片长边和像素上限、\n"
	"缩小时保留的最低分辨率，以及文件名要求。没有公开来源的数字标注为（推定）。\n"
	"\n",
	options_portals,
	NULL,
	NULL,
};

static const char *assumed(const upload_profile *p, const char *key)
{
	return upload_profile_assumed(p, key) ? TR(" (assumed)", "（推定）") : "";
}

static void show(const upload_profile *p)
{
	printf("%s — %s\n", p->id, TR(p->title.en, p->title.zh));
	printf(TR("  formats:            %s%s%s\n", "  格式：              %s%s%s\n"), p->take_jpeg ? "jpg" : "",
	       p->take_png ? " png" : "", p->take_pdf ? " pdf" : "");
	if (p->pdf_from_pages)
		printf(TR("  one PDF from:       %d pages (JPG per page below)\n", "  合并为 PDF：        %d 页起（不足时每页一个 JPG）\n"),
		       p->pdf_from_pages);
	else
		printf("%s", TR("  one PDF from:       never (JPG per page)\n", "  合并为 PDF：        从不（每页一个 JPG）\n"));
	printf(TR("  largest file:       %llu bytes%s\n", "  单个文件上限：      %llu 字节%s\n"), (unsigned long long)p->max_bytes,
	       assumed(p, "max_file_mb"));
	printf(TR("  longest edge:       %u pixels%s\n", "  长边上限：          %u 像素%s\n"), p->max_long_edge,
	       assumed(p, "max_long_edge"));
	printf(TR("  most pixels:        %llu%s\n", "  像素数上限：        %llu%s\n"), (unsigned long long)p->max_pixels,
	       assumed(p, "max_pixels"));
	if (p->min_width || p->min_height)
		printf(TR("  smallest image:     %ux%u pixels\n", "  最小尺寸：          %ux%u 像素\n"), p->min_width, p->min_height);
	printf(TR("  minimum resolution: %u dpi%s\n", "  最低分辨率：        %u dpi%s\n"), p->min_dpi, assumed(p, "min_dpi"));
	printf(TR("  file names:         %s\n", "  文件名：            %s\n"),
	       p->ascii_names ? TR("ASCII (02_business-license.jpg)", "ASCII（02_business-license.jpg）")
			      : TR("Chinese (02_营业执照副本.jpg)", "中文（02_营业执照副本.jpg）"));
	if (p->sources)
		printf(TR("  sources: %s\n", "  来源：%s\n"), p->sources);
	if (p->notes)
		printf(TR("  notes: %s\n", "  说明：%s\n"), p->notes);
	printf(TR("  from: %s\n", "  出处：%s\n"), p->origin);
}

int cmd_portals(int argc, char **argv)
{
	const char *dir = NULL, *langarg = NULL, *verb;
	upload_profile_set *set = NULL;
	const upload_profile *p;
	lp_lang lang;
	lp_err err = { 0 };
	cmd_parser parser;
	size_t i;
	int c, ret = LP_EXIT_OK;

	cmd_parser_init(&parser, options_portals);
	while ((c = cmd_parser_next(&parser, argc, argv)) != -1) {
		switch (c) {
		case OPT_PROFILES: dir = optarg; break;
		case OPT_LANG: langarg = optarg; break;
		case 'h': return print_help(&help_portals);
		default: return option_error("portals", c, argv);
		}
	}
	if (settle_lang("portals", langarg, &lang) != 0)
		return LP_EXIT_USAGE;
	verb = optind < argc ? argv[optind] : "list";
	if (upload_profile_set_new(&set, &err) != 0 ||
	    (dir && upload_profile_set_add_dir(set, dir, &err) != 0)) {
		lp_error_show(&err);
		upload_profile_set_free(set);
		return LP_EXIT_USAGE;
	}
	if (strcmp(verb, "list") == 0 && optind + 1 >= argc) {
		for (i = 0; i < upload_profile_count(set); i++) {
			p = upload_profile_at(set, i);
			printf("%-12s %s  %s\n", p->id, p->title.zh, p->title.en);
		}
	} else if (strcmp(verb, "show") == 0 && optind + 2 == argc) {
		if ((p = upload_profile_find(set, argv[optind + 1])))
			show(p);
		else
			ret = usage_error("portals", TR("unknown portal '%s' (licpack portals list)",
							"未知的上传系统 '%s'（见 licpack portals list）"),
					  argv[optind + 1]);
	} else {
		ret = usage_error("portals", TR("expected 'list' or 'show NAME'", "应为 'list' 或 'show 名称'"));
	}
	upload_profile_set_free(set);
	return ret;
}
