/*
 * build: `licpack build DIR` — check, then write the packet: NAME.pdf,
 * NAME.zip, manifest.json, report.json and report.txt in OUTDIR. The work
 * itself is packet_job_run() (cmd/packet_job.c), which `batch` shares.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/packet_job.h"

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
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 packet written, 1 incomplete or invalid materials, 2 usage or\n"
	"template error, 3 I/O or internal error.\n";

typedef struct {
	const char *dir;
	const char *outdir;
	const char *name;
	const char *templates_dir;
	const char *lang;
	const char *today;
	const char *font;
	int allow_incomplete;
	int no_watermark;
	int ascii_names;
	check_options check;
} build_args;

enum { OPT_TEMPLATES = 256, OPT_ALLOW, OPT_NO_WM, OPT_ZIPNAMES, OPT_FONT, OPT_LANG, OPT_TODAY, OPT_MAX_PIXELS };

static int parse(int argc, char **argv, build_args *a)
{
	static const struct option longopts[] = {
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;

	memset(a, 0, sizeof *a);
	check_options_init(&a->check);
	a->check.keep_data = 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:n:t:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': a->outdir = optarg; break;
		case 'n': a->name = optarg; break;
		case 't': a->check.template_id = optarg; break;
		case 'r': a->check.region = optarg; break;
		case OPT_TEMPLATES: a->templates_dir = optarg; break;
		case OPT_ALLOW: a->allow_incomplete = 1; break;
		case OPT_NO_WM: a->no_watermark = 1; break;
		case OPT_ZIPNAMES:
			if (strcmp(optarg, "ascii") == 0)
				a->ascii_names = 1;
			else if (strcmp(optarg, "zh") != 0)
				return usage_error("build", "--zip-names: '%s' is not zh or ascii", optarg);
			break;
		case OPT_FONT: a->font = optarg; break;
		case OPT_LANG: a->lang = optarg; break;
		case OPT_TODAY: a->today = optarg; break;
		case OPT_MAX_PIXELS:
			a->check.max_pixels = strtoull(optarg, &end, 10);
			if (*end || !optarg[0] || optarg[0] == '-' || a->check.max_pixels == 0)
				return usage_error("build", "--max-pixels: '%s' is not a positive whole number", optarg);
			break;
		case 'h': return -1;
		default: return option_error("build", c, argv);
		}
	}
	if (optind + 1 != argc)
		return usage_error("build", optind == argc ? "no folder given" : "one folder at a time (for many, use 'licpack batch')");
	a->dir = argv[optind];
	if (a->name && (!a->name[0] || strchr(a->name, '/') || a->name[0] == '.'))
		return usage_error("build", "--name: '%s' must be a plain file name", a->name);
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
		return print_usage(usage_build);
	if (ret)
		return ret;
	if (lang_choose(a.lang, &lang) != 0)
		return usage_error("build", "--lang: '%s' is not zh or en", a.lang);
	if (today_choose(a.today, &a.check.today) != 0)
		return usage_error("build", "--today: '%s' is not a date (YYYY-MM-DD)", a.today);
	if (split_dir(a.dir, &trimmed, &base) != 0) {
		lp_error("out of memory");
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	outdir = a.outdir ? strdup(a.outdir) : lp_strdupf("%s-packet", trimmed);
	if (!outdir) {
		lp_error("out of memory");
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = templates_load(a.templates_dir, &set)) != 0)
		goto cleanup;
	memset(&job, 0, sizeof job);
	job.set = set;
	job.dir = a.dir;
	job.outdir = outdir;
	job.name = a.name ? a.name : base;
	job.check = a.check;
	job.lang = lang;
	job.allow_incomplete = a.allow_incomplete;
	job.no_watermark = a.no_watermark;
	job.ascii_names = a.ascii_names;
	job.font = a.font;
	job.out = stdout;
	job.colour = use_colour(stdout);
	ret = packet_job_run(&job, &res, err, sizeof err);
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
