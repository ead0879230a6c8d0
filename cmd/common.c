/*
 * common: what every subcommand shares — messages, language, colour, the
 * template set, and the date that counts as today. (The language of the
 * messages themselves, and TR(en, zh), are in msg.c.)
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/msg.h"
#include "packet/ident.h"

void lp_error(const char *fmt, ...)
{
	va_list ap;

	fputs("licpack: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("licpack: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, TR("\nTry 'licpack %s%s--help'.\n", "\n请运行 'licpack %s%s--help' 查看用法。\n"),
		cmd ? cmd : "", cmd ? " " : "");
	return LP_EXIT_USAGE;
}

int lang_choose(const char *arg, lp_lang *out)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	size_t i;

	if (arg) {
		if (strcmp(arg, "zh") == 0 || strncmp(arg, "zh_", 3) == 0 || strncmp(arg, "zh-", 3) == 0)
			*out = LANG_ZH;
		else if (strcmp(arg, "en") == 0 || strncmp(arg, "en_", 3) == 0 || strncmp(arg, "en-", 3) == 0)
			*out = LANG_EN;
		else
			return -1;
		return 0;
	}
	/* the first variable that is set decides, as setlocale would */
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && v[0]) {
			*out = strncmp(v, "zh", 2) == 0 ? LANG_ZH : LANG_EN;
			return 0;
		}
	}
	*out = LANG_EN;
	return 0;
}

int use_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc && nc[0])
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

int templates_load(const char *dir, template_set **out)
{
	lp_err err = { 0 };
	int r;

	if (template_set_new(out, &err) != 0) {
		lp_error_show(&err);
		return LP_EXIT_IO;
	}
	if (!dir)
		return 0;
	r = template_set_add_dir(*out, dir, &err);
	if (r != 0) {
		lp_error_show(&err);
		template_set_free(*out);
		*out = NULL;
		return r == 2 ? LP_EXIT_USAGE : LP_EXIT_IO;
	}
	return 0;
}

int today_choose(const char *arg, long *days)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	if (arg)
		return date_parse(arg, days);
	if (sde && sde[0]) {
		char *end;
		long long t = strtoll(sde, &end, 10);
		if (*end == '\0' && t >= 0) {
			*days = (long)(t / 86400);
			return 0;
		}
	}
	{
		/* the user's calendar day, not UTC's: in China the two differ for 8 hours */
		time_t now = time(NULL);
		struct tm tm;
		char buf[16];
		if (!localtime_r(&now, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%d", &tm))
			return -1;
		return date_parse(buf, days);
	}
}

int option_error(const char *cmd, int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (c == ':')
		return usage_error(cmd, TR("option '%s' needs a value", "选项 '%s' 需要一个值"), arg);
	if (optopt && optopt < 128 && arg[0] == '-' && arg[1] != '-')
		return usage_error(cmd, TR("unknown option '-%c'", "未知选项 '-%c'"), optopt);
	return usage_error(cmd, TR("unknown option '%s'", "未知选项 '%s'"), arg);
}

int settle_lang(const char *cmd, const char *lang_arg, lp_lang *lang)
{
	if (lang_choose(lang_arg, lang) != 0)
		return usage_error(cmd, TR("--lang: '%s' is not zh or en", "--lang：'%s' 应为 zh 或 en"), lang_arg);
	msg_set_lang(*lang);
	return 0;
}

int settle_lang_today(const char *cmd, const char *lang_arg, lp_lang *lang, const char *today_arg, long *today)
{
	if (settle_lang(cmd, lang_arg, lang) != 0)
		return LP_EXIT_USAGE;
	if (today_choose(today_arg, today) != 0)
		return usage_error(cmd, TR("--today: '%s' is not a date (YYYY-MM-DD)", "--today：'%s' 不是日期（应为 YYYY-MM-DD）"),
				   today_arg);
	return 0;
}

static int parse_max_pixels(const char *cmd, const char *arg, uint64_t *out)
{
	char *end;

	*out = strtoull(arg, &end, 10);
	if (*end || !arg[0] || arg[0] == '-' || *out == 0)
		return usage_error(cmd, TR("--max-pixels: '%s' is not a positive whole number", "--max-pixels：'%s' 不是正整数"),
				   arg);
	return 0;
}

/* --max-file-mb N (a number of MB, fractions allowed) or --max-pixels-upload N */
static int parse_upload_limit(const char *cmd, const char *opt, const char *arg, double unit, uint64_t *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (*end || !arg[0] || !(v > 0) || v * unit > 1e15)
		return usage_error(cmd, TR("--%s: '%s' is not a positive number", "--%s：'%s' 不是正数"), opt, arg);
	*out = (uint64_t)(v * unit);
	return 0;
}

static int parse_max_depth(const char *cmd, const char *arg, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || !arg[0] || arg[0] == '-' || arg[0] == '+' || v < 1 || v > 1000)
		return usage_error(cmd, TR("--max-depth: '%s' is not a whole number from 1 to 1000",
					   "--max-depth：'%s' 应为 1 到 1000 之间的整数"), arg);
	*out = (int)v;
	return 0;
}

static int parse_office_timeout(const char *cmd, const char *arg, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || !arg[0] || arg[0] == '-' || arg[0] == '+' || v < 1 || v > 86400)
		return usage_error(cmd, TR("--office-timeout: '%s' is not a whole number of seconds from 1 to 86400",
					   "--office-timeout：'%s' 应为 1 到 86400 之间的整秒数"), arg);
	*out = (int)v;
	return 0;
}

static int parse_zip_names(const char *cmd, const char *arg, int *ascii)
{
	if (strcmp(arg, "ascii") == 0)
		*ascii = 1;
	else if (strcmp(arg, "zh") == 0)
		*ascii = 0;
	else
		return usage_error(cmd, TR("--zip-names: '%s' is not zh or ascii", "--zip-names：'%s' 应为 zh 或 ascii"), arg);
	return 0;
}

void check_options_env(check_options *o)
{
	/* LICPACK_SOFFICE names the LibreOffice program to run (default:
	 * soffice on PATH); set to a path that does not exist, it makes
	 * licpack behave as where LibreOffice is not installed */
	const char *s = getenv("LICPACK_SOFFICE");

	if (s && *s)
		o->soffice = s;
}

int folder_option(const char *cmd, int c, char **argv, folder_args *f)
{
	const char *arg = optarg;

	switch (c) {
	case 't': f->check.template_id = arg; return 1;
	case 'r': f->check.region = arg; return 1;
	case OPT_TEMPLATES: f->templates_dir = arg; return 1;
	case OPT_LANG: f->lang = arg; return 1;
	case OPT_TODAY: f->today = arg; return 1;
	case OPT_FONT: f->font = arg; return 1;
	case OPT_ALLOW: f->allow_incomplete = 1; return 1;
	case OPT_NO_WM: f->no_watermark = 1; return 1;
	case OPT_NO_THUMBS: f->no_thumbnails = 1; return 1;
	case OPT_SYNC: f->sync = 1; return 1;
	case OPT_NO_READ: f->no_read = 1; return 1;
	case OPT_CACHE: f->cache = arg; return 1;
	case OPT_NO_CACHE: f->no_cache = 1; return 1;
	case OPT_MAX_PIXELS: return parse_max_pixels(cmd, arg, &f->check.max_pixels) ? LP_EXIT_USAGE : 1;
	case OPT_MAX_DEPTH: return parse_max_depth(cmd, arg, &f->check.max_depth) ? LP_EXIT_USAGE : 1;
	case OPT_OFFICE_TIMEOUT:
		return parse_office_timeout(cmd, arg, &f->check.office_timeout_s) ? LP_EXIT_USAGE : 1;
	case OPT_ZIPNAMES: return parse_zip_names(cmd, arg, &f->ascii_names) ? LP_EXIT_USAGE : 1;
	case OPT_PORTAL: f->check.portal = arg; return 1;
	case OPT_NO_UPLOAD: f->no_upload = 1; return 1;
	case OPT_ID_LAYOUT:
		if (strcmp(arg, "together") != 0 && strcmp(arg, "separate") != 0)
			return usage_error(cmd, TR("--id-layout: '%s' is not together or separate",
						   "--id-layout：'%s' 应为 together 或 separate"), arg);
		f->id_separate = strcmp(arg, "separate") == 0;
		return 1;
	case OPT_PROFILES: f->check.profiles_dir = arg; return 1;
	case OPT_MAX_FILE_MB:
		return parse_upload_limit(cmd, "max-file-mb", arg, 1e6, &f->check.upload_max_bytes) ? LP_EXIT_USAGE : 1;
	case OPT_MAX_PDF_MB:
		return parse_upload_limit(cmd, "max-pdf-mb", arg, 1e6, &f->max_pdf_bytes) ? LP_EXIT_USAGE : 1;
	case OPT_MAX_PX_UPLOAD:
		return parse_upload_limit(cmd, "max-pixels-upload", arg, 1, &f->check.upload_max_pixels) ? LP_EXIT_USAGE : 1;
	default: return option_error(cmd, c, argv);
	}
}
