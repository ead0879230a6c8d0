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
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 complete, 1 incomplete or invalid, 2 usage or template error,\n"
	"3 I/O or internal error.\n";

typedef struct {
	const char *dir;
	const char *templates_dir;
	const char *format;
	const char *lang;
	const char *today;
	int strict;
	check_options check;
} check_args;

enum { OPT_TEMPLATES = 256, OPT_STRICT, OPT_LANG, OPT_TODAY, OPT_MAX_PIXELS };

static int parse(int argc, char **argv, check_args *a)
{
	static const struct option longopts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "region", required_argument, NULL, 'r' },
		{ "templates", required_argument, NULL, OPT_TEMPLATES },
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "max-pixels", required_argument, NULL, OPT_MAX_PIXELS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;

	memset(a, 0, sizeof *a);
	check_options_init(&a->check);
	a->format = "text";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:r:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': a->check.template_id = optarg; break;
		case 'r': a->check.region = optarg; break;
		case 'f': a->format = optarg; break;
		case OPT_TEMPLATES: a->templates_dir = optarg; break;
		case OPT_STRICT: a->strict = 1; break;
		case OPT_LANG: a->lang = optarg; break;
		case OPT_TODAY: a->today = optarg; break;
		case OPT_MAX_PIXELS:
			a->check.max_pixels = strtoull(optarg, &end, 10);
			if (*end || !optarg[0] || optarg[0] == '-' || a->check.max_pixels == 0)
				return usage_error("check", "--max-pixels: '%s' is not a positive whole number", optarg);
			break;
		case 'h': return -1;
		default: return option_error("check", c, argv);
		}
	}
	if (optind + 1 != argc)
		return usage_error("check", optind == argc ? "no folder given" : "one folder at a time (for many, use 'licpack batch')");
	a->dir = argv[optind];
	if (strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0)
		return usage_error("check", "--format: '%s' is not text or json", a->format);
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
		return print_usage(usage_check);
	if (ret)
		return ret;
	if (lang_choose(a.lang, &lang) != 0)
		return usage_error("check", "--lang: '%s' is not zh or en", a.lang);
	if (today_choose(a.today, &a.check.today) != 0)
		return usage_error("check", "--today: '%s' is not a date (YYYY-MM-DD)", a.today);
	if ((ret = templates_load(a.templates_dir, &set)) != 0)
		return ret;
	ret = check_folder(set, a.dir, &a.check, &r, err, sizeof err);
	if (ret != LP_EXIT_OK) {
		lp_error("%s", err);
		goto cleanup;
	}
	out = strcmp(a.format, "json") == 0 ? report_json(&r, a.dir, lang)
					     : report_text(&r, a.dir, lang, use_colour(stdout));
	if (!out) {
		lp_error("out of memory");
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
