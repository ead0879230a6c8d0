/*
 * templates: `licpack templates list | show ID | lint FILE`.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "packet/probe.h"

const char usage_templates[] =
	"usage: licpack templates list\n"
	"       licpack templates show ID [--region R]\n"
	"       licpack templates lint FILE\n"
	"\n"
	"List the templates (required-materials lists), show one resolved with its\n"
	"region overlay, or check a template file of your own.\n"
	"\n"
	"  -r, --region R        region overlay for show\n"
	"      --templates DIR   add or override templates from DIR/*.json\n"
	"      --lang LANG       zh or en (default: from LC_ALL, LC_MESSAGES, LANG)\n"
	"  -h, --help            show this help\n";

static void print_formats(unsigned formats)
{
	int f, first = 1;

	for (f = 0; f < FMT__COUNT; f++)
		if (formats & FMT_BIT(f)) {
			printf("%s%s", first ? "" : ",", format_name((file_format)f));
			first = 0;
		}
}

static const char *per_name(per_kind p)
{
	return p == PER_DOMAIN ? "domain" : p == PER_STAFF ? "staff" : p == PER_SHAREHOLDER ? "shareholder" : NULL;
}

static const char *expiry_name(expiry_rule e)
{
	return e == EXPIRY_ID_CARD ? "id_card" : e == EXPIRY_DOMAIN ? "domain" : e == EXPIRY_LICENCE ? "licence" : NULL;
}

static void show(const template *t, lp_lang lang)
{
	size_t i, j;

	printf("%s v%d: %s / %s\n", t->id, t->version, t->title.zh, t->title.en ? t->title.en : "");
	if (t->region)
		printf("region: %s %s\n", t->region, t->region_title.zh ? t->region_title.zh : "");
	printf("purpose: %s\n", lang == LANG_ZH || !t->purpose.en ? (t->purpose.zh ? t->purpose.zh : "") : t->purpose.en);
	printf("watermark: %s\n", t->watermark ? "yes" : "no");
	printf("rules: id_card_min_valid_days=%d domain_min_valid_days=%d licence_renew_before_days=%d\n",
	       t->rules.id_card_min_valid_days, t->rules.domain_min_valid_days, t->rules.licence_renew_before_days);
	for (i = 0; i < t->n_materials; i++) {
		const material *m = &t->materials[i];
		printf("\n%02zu %s %s%s\n", i + 1, m->id, m->title.zh, m->required ? "" : (lang == LANG_ZH ? "（可选）" : " (optional)"));
		if (m->title.en)
			printf("   %s\n", m->title.en);
		printf("   files: %d-", m->count_min);
		if (m->count_max)
			printf("%d", m->count_max);
		else
			printf("any");
		if (per_name(m->per))
			printf(" per %s", per_name(m->per));
		printf("; formats: ");
		print_formats(m->formats);
		printf("\n   ");
		if (m->max_bytes)
			printf("max_bytes=%llu ", (unsigned long long)m->max_bytes);
		if (m->min_long_edge)
			printf("min_long_edge=%u ", m->min_long_edge);
		if (m->min_dpi)
			printf("min_dpi=%u ", m->min_dpi);
		printf("colour=%s seal=%s watermark=%s", m->colour ? "yes" : "no", m->seal ? "yes" : "no",
		       m->watermark ? "yes" : "no");
		if (expiry_name(m->expiry))
			printf(" expiry=%s", expiry_name(m->expiry));
		printf("\n   aliases: %s", m->id);
		printf(", %s", m->title.zh);
		for (j = 0; j < m->n_aliases; j++)
			printf(", %s", m->aliases[j]);
		printf("\n");
	}
}

int cmd_templates(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "region", required_argument, NULL, 'r' },
		{ "templates", required_argument, NULL, 1 },
		{ "lang", required_argument, NULL, 2 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *region = NULL, *dir = NULL, *langarg = NULL, *verb;
	template_set *set = NULL;
	lp_lang lang;
	char err[1024];
	int c, ret = LP_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': region = optarg; break;
		case 1: dir = optarg; break;
		case 2: langarg = optarg; break;
		case 'h': return print_usage(usage_templates);
		default: return usage_error("templates", "unknown option");
		}
	}
	if (lang_choose(langarg, &lang) != 0)
		return usage_error("templates", "--lang: '%s' is not zh or en", langarg);
	verb = optind < argc ? argv[optind] : "list";
	if ((ret = templates_load(dir, &set)) != 0)
		return ret;
	if (strcmp(verb, "list") == 0 && optind + 1 >= argc) {
		const char *const *ids;
		size_t i, n = template_set_ids(set, &ids);
		for (i = 0; i < n; i++) {
			template *t = NULL;
			if (template_resolve(set, ids[i], NULL, &t, err, sizeof err) != 0) {
				lp_error("%s", err);
				ret = LP_EXIT_USAGE;
				continue;
			}
			printf("%-20s %s\n", ids[i], lang == LANG_ZH || !t->title.en ? t->title.zh : t->title.en);
			template_free(t);
		}
	} else if (strcmp(verb, "show") == 0 && optind + 2 == argc) {
		template *t = NULL;
		if (template_resolve(set, argv[optind + 1], region, &t, err, sizeof err) != 0) {
			lp_error("%s", err);
			ret = LP_EXIT_USAGE;
		} else {
			show(t, lang);
			template_free(t);
		}
	} else if (strcmp(verb, "lint") == 0 && optind + 2 == argc) {
		int r = template_lint_file(set, argv[optind + 1], err, sizeof err);
		if (r != 0) {
			lp_error("%s", err);
			ret = r == 3 ? LP_EXIT_IO : LP_EXIT_USAGE;
		} else {
			printf("%s: ok\n", argv[optind + 1]);
		}
	} else {
		ret = usage_error("templates", "expected 'list', 'show ID' or 'lint FILE'");
	}
	template_set_free(set);
	return ret;
}
