/*
 * templates: `licpack templates list | show ID | lint FILE`.
 *
 * list prints one template a line: its id, its Chinese title and, when it
 * differs, its English title. regions prints the region overlays, one a
 * line (id, then Chinese title): of one template, or of all of them (the
 * shell completions offer these for --region). show prints one template resolved (with its
 * region overlay) as text for people or, with --format json, as one JSON
 * object for scripts (templates/table.sh builds the README's table from it).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "cmd/cmd.h"
#include "packet/jsontext.h"
#include "packet/probe.h"

static const cmd_option options_templates[] = {
	{ "region", 'r', "R", "region overlay for show", "show 使用的地区版本" },
	{ "format", 'f', "F", "text (default) or json, for list and show", "list 和 show 的输出格式：text（默认）或 json" },
	OPTION_TEMPLATES,
	OPTION_LANG,
	OPTION_HELP,
	OPTION_END,
};

const cmd_help help_templates = {
	"usage: licpack templates list [--format text|json]\n"
	"       licpack templates show ID [--region R] [--format text|json]\n"
	"       licpack templates regions [ID]\n"
	"       licpack templates lint FILE\n"
	"\n"
	"List the templates (required-materials lists), show one resolved with its\n"
	"region overlay, list the region overlays (of one template, or of all), or\n"
	"check a template file of your own.\n"
	"\n",
	"用法：licpack templates list [--format text|json]\n"
	"      licpack templates show ID [--region R] [--format text|json]\n"
	"      licpack templates regions [ID]\n"
	"      licpack templates lint 文件\n"
	"\n"
	"列出全部模板（各类许可证所需材料清单）；查看一个模板（含地区版本的增改）；\n"
	"列出地区版本（某个模板的，或全部模板的）；或校验自己编写的模板文件。\n"
	"\n",
	options_templates,
	NULL,
	NULL,
};

/* Names as the template JSON spells them (templates/README.md). */
static const char *per_name(per_kind p)
{
	return p == PER_DOMAIN ? "domain" : p == PER_STAFF ? "staff" : p == PER_SHAREHOLDER ? "shareholder" : "none";
}

static const char *per_zh(per_kind p)
{
	return p == PER_DOMAIN ? "每个域名" : p == PER_STAFF ? "每位人员" : p == PER_SHAREHOLDER ? "每位股东" : "";
}

static const char *expiry_name(expiry_rule e)
{
	switch (e) {
	case EXPIRY_ID_CARD: return "id_card";
	case EXPIRY_DOMAIN: return "domain";
	case EXPIRY_LICENCE: return "licence";
	case EXPIRY_PREREQUISITE: return "prerequisite";
	case EXPIRY_CONTRACT: return "contract";
	case EXPIRY_NONE: break;
	}
	return "none";
}

/* ---------------------------------------------------------------- text --- */

static void print_formats(unsigned formats)
{
	int f, first = 1;

	for (f = 0; f < FMT__COUNT; f++)
		if (formats & FMT_BIT(f)) {
			printf("%s%s", first ? "" : ",", format_name((file_format)f));
			first = 0;
		}
}

static void print_list(const char *sep, char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? sep : "", list[i]);
}

/* The rules on one line: the three date windows always, the others only
 * when set (most templates leave them at 0 / false / empty). */
static const char *yes_no(int b)
{
	return b ? TR("yes", "是") : TR("no", "否");
}

static void print_rules(const template_rules *r)
{
	fputs(TR("rules: ", "规则："), stdout);
	printf("id_card_min_valid_days=%d domain_min_valid_days=%d licence_renew_before_days=%d",
	       r->id_card_min_valid_days, r->domain_min_valid_days, r->licence_renew_before_days);
	if (r->prerequisite_min_valid_days)
		printf(" prerequisite_min_valid_days=%d", r->prerequisite_min_valid_days);
	if (r->capital_min_wan_provincial)
		printf(" capital_min_wan_provincial=%d", r->capital_min_wan_provincial);
	if (r->capital_min_wan_nationwide)
		printf(" capital_min_wan_nationwide=%d", r->capital_min_wan_nationwide);
	if (r->annual_report)
		printf(" annual_report=%s", yes_no(1));
	if (r->change_within_days)
		printf(" change_within_days=%d", r->change_within_days);
	if (r->staff_min)
		printf(" staff_min=%d", r->staff_min);
	if (r->n_staff_roles) {
		printf(" staff_roles=");
		print_list(",", r->staff_roles, r->n_staff_roles);
	}
	if (r->n_prerequisite_kinds) {
		printf(" prerequisite_kinds=");
		print_list(",", r->prerequisite_kinds, r->n_prerequisite_kinds);
	}
	if (r->prerequisite_nationwide)
		printf(" prerequisite_nationwide=%s", yes_no(1));
	if (r->prerequisite_coverage)
		printf(" prerequisite_coverage=%s", yes_no(1));
	if (r->staff_advised)
		printf(" staff_advised=%d", r->staff_advised);
	if (r->foreign_share_max)
		printf(" foreign_share_max=%d", r->foreign_share_max);
	if (r->capital_paid_in)
		printf(" capital_paid_in=%s", yes_no(1));
	printf("\n");
}

/* The template's keys (max_bytes=, colour=, ...) stay as templates/README.md
 * spells them in both languages; the labels and yes/no follow --lang. */
static void show_text(const template *t, lp_lang lang)
{
	size_t i, j;

	printf("%s v%d: %s / %s\n", t->id, t->version, t->title.zh, t->title.en ? t->title.en : "");
	if (t->region) {
		printf(TR("region: %s %s\n", "地区：%s %s\n"), t->region, t->region_title.zh ? t->region_title.zh : "");
		if (!t->region_sourced)
			fputs(TR("  unsourced: this region's overlay cites no source; treat it as hearsay\n",
				 "  无出处：该地区版本未注明任何来源，仅供参考\n"), stdout);
	}
	printf(TR("purpose: %s\n", "用途：%s\n"),
	       lang == LANG_ZH || !t->purpose.en ? (t->purpose.zh ? t->purpose.zh : "") : t->purpose.en);
	printf(TR("watermark: %s\n", "水印：%s\n"), yes_no(t->watermark));
	print_rules(&t->rules);
	/* each rule's sources ("capital_min_wan_nationwide: 工信部令第42号 ..."), then
	 * each material's after its aliases, then the template's */
	for (i = 0; i < t->n_rule_sources; i++)
		printf(TR("  source of %s\n", "  出处 %s\n"), t->rule_sources[i]);
	for (i = 0; i < t->n_materials; i++) {
		const material *m = &t->materials[i];
		printf("\n%02zu %s %s%s\n", i + 1, m->id, m->title.zh, m->required ? "" : TR(" (optional)", "（可选）"));
		if (m->title.en)
			printf("   %s\n", m->title.en);
		printf(TR("   files: %d-", "   文件数：%d-"), m->count_min);
		if (m->count_max)
			printf("%d", m->count_max);
		else
			printf("%s", TR("any", "不限"));
		if (m->per != PER_NONE)
			printf(TR(" per %s", "，%s"), lang == LANG_ZH ? per_zh(m->per) : per_name(m->per));
		if (m->n_roles) {
			printf("%s", TR(" (roles: ", "（角色："));
			print_list(", ", m->roles, m->n_roles);
			printf("%s", TR(")", "）"));
		}
		printf("%s", TR("; formats: ", "；格式："));
		print_formats(m->formats);
		printf("\n   ");
		if (m->max_bytes)
			printf("max_bytes=%llu ", (unsigned long long)m->max_bytes);
		if (m->min_long_edge)
			printf("min_long_edge=%u ", m->min_long_edge);
		if (m->min_dpi)
			printf("min_dpi=%u ", m->min_dpi);
		printf("colour=%s seal=%s watermark=%s", yes_no(m->colour), yes_no(m->seal), yes_no(m->watermark));
		if (m->expiry != EXPIRY_NONE)
			printf(" expiry=%s", expiry_name(m->expiry));
		if (m->read.as != READ_DOC_UNKNOWN) {
			printf(TR("\n   read: as=%s own=%s", "\n   识别：as=%s own=%s"), template_read_name(m->read.as),
			       yes_no(m->read.own));
			if (m->read.signed_within_days)
				printf(" signed_within_days=%d", m->read.signed_within_days);
		}
		if (m->n_stands_for) {
			printf("%s", TR("\n   stands for: ", "\n   可代替："));
			print_list(", ", m->stands_for, m->n_stands_for);
		}
		/* the resolved aliases include the id and the Chinese title (the
		 * loader adds them, skipping ones given already): those first */
		printf(TR("\n   aliases: %s, %s", "\n   别名：%s, %s"), m->id, m->title.zh);
		for (j = 0; j < m->n_aliases; j++)
			if (strcasecmp(m->aliases[j], m->id) != 0 && strcasecmp(m->aliases[j], m->title.zh) != 0)
				printf(", %s", m->aliases[j]);
		for (j = 0; j < m->n_sources; j++)
			printf(TR("\n   source: %s", "\n   出处：%s"), m->sources[j]);
		printf("\n");
	}
	if (t->n_sources)
		printf("%s", TR("\nsources:\n", "\n出处：\n"));
	for (i = 0; i < t->n_sources; i++)
		printf("  %s\n", t->sources[i]);
}

/* ---------------------------------------------------------------- JSON --- */

/* Helpers that clear *ok when cJSON runs out of memory, so that a builder
 * checks once at the end. */
static void put_text(cJSON *o, const char *key, const text2 *t, int *ok)
{
	cJSON *x = cJSON_AddObjectToObject(o, key);

	if (!x || !cJSON_AddStringToObject(x, "zh", t->zh ? t->zh : "") ||
	    !cJSON_AddStringToObject(x, "en", t->en ? t->en : t->zh ? t->zh : ""))
		*ok = 0;
}

static void put_strings(cJSON *o, const char *key, char *const *list, size_t n, int *ok)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);

	if (!a) {
		*ok = 0;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *s = cJSON_CreateString(list[i]);
		if (!s || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			*ok = 0;
			return;
		}
	}
}

static void put(int *ok, const void *added)
{
	if (!added)
		*ok = 0;
}

static void put_rules(cJSON *o, const template_rules *r, int *ok)
{
	cJSON *x = cJSON_AddObjectToObject(o, "rules");

	if (!x) {
		*ok = 0;
		return;
	}
	put(ok, cJSON_AddNumberToObject(x, "id_card_min_valid_days", r->id_card_min_valid_days));
	put(ok, cJSON_AddNumberToObject(x, "domain_min_valid_days", r->domain_min_valid_days));
	put(ok, cJSON_AddNumberToObject(x, "licence_renew_before_days", r->licence_renew_before_days));
	put(ok, cJSON_AddNumberToObject(x, "prerequisite_min_valid_days", r->prerequisite_min_valid_days));
	put(ok, cJSON_AddNumberToObject(x, "capital_min_wan_provincial", r->capital_min_wan_provincial));
	put(ok, cJSON_AddNumberToObject(x, "capital_min_wan_nationwide", r->capital_min_wan_nationwide));
	put(ok, cJSON_AddBoolToObject(x, "annual_report", r->annual_report));
	put(ok, cJSON_AddNumberToObject(x, "change_within_days", r->change_within_days));
	put(ok, cJSON_AddNumberToObject(x, "staff_min", r->staff_min));
	put_strings(x, "staff_roles", r->staff_roles, r->n_staff_roles, ok);
	put_strings(x, "prerequisite_kinds", r->prerequisite_kinds, r->n_prerequisite_kinds, ok);
	put(ok, cJSON_AddBoolToObject(x, "prerequisite_nationwide", r->prerequisite_nationwide));
	put(ok, cJSON_AddBoolToObject(x, "prerequisite_coverage", r->prerequisite_coverage));
	put(ok, cJSON_AddNumberToObject(x, "staff_advised", r->staff_advised));
	put(ok, cJSON_AddNumberToObject(x, "foreign_share_max", r->foreign_share_max));
	put(ok, cJSON_AddBoolToObject(x, "capital_paid_in", r->capital_paid_in));
}

static void put_material(cJSON *arr, const material *m, int *ok)
{
	cJSON *o = cJSON_CreateObject(), *x, *f;

	if (!o || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		*ok = 0;
		return;
	}
	put(ok, cJSON_AddStringToObject(o, "id", m->id));
	put_text(o, "title", &m->title, ok);
	put_strings(o, "aliases", m->aliases, m->n_aliases, ok);
	put(ok, cJSON_AddBoolToObject(o, "required", m->required));
	if ((x = cJSON_AddObjectToObject(o, "count"))) {
		put(ok, cJSON_AddNumberToObject(x, "min", m->count_min));
		put(ok, cJSON_AddNumberToObject(x, "max", m->count_max));
	} else {
		*ok = 0;
	}
	put(ok, cJSON_AddStringToObject(o, "per", per_name(m->per)));
	put_strings(o, "roles", m->roles, m->n_roles, ok);
	put_strings(o, "stands_for", m->stands_for, m->n_stands_for, ok);
	put_strings(o, "sources", m->sources, m->n_sources, ok);
	if ((x = cJSON_AddArrayToObject(o, "formats"))) {
		for (int k = 0; k < FMT__COUNT; k++)
			if (m->formats & FMT_BIT(k)) {
				f = cJSON_CreateString(format_name((file_format)k));
				if (!f || !cJSON_AddItemToArray(x, f)) {
					cJSON_Delete(f);
					*ok = 0;
				}
			}
	} else {
		*ok = 0;
	}
	put(ok, cJSON_AddNumberToObject(o, "max_bytes", (double)m->max_bytes));
	put(ok, cJSON_AddNumberToObject(o, "min_long_edge", m->min_long_edge));
	put(ok, cJSON_AddNumberToObject(o, "min_dpi", m->min_dpi));
	put(ok, cJSON_AddBoolToObject(o, "colour", m->colour));
	put(ok, cJSON_AddBoolToObject(o, "seal", m->seal));
	put(ok, cJSON_AddBoolToObject(o, "watermark", m->watermark));
	put(ok, cJSON_AddStringToObject(o, "expiry", expiry_name(m->expiry)));
	if (m->read.as == READ_DOC_UNKNOWN) {
		put(ok, cJSON_AddNullToObject(o, "read"));
	} else if ((x = cJSON_AddObjectToObject(o, "read"))) {
		put(ok, cJSON_AddStringToObject(x, "as", template_read_name(m->read.as)));
		put(ok, cJSON_AddBoolToObject(x, "own", m->read.own));
		put(ok, cJSON_AddNumberToObject(x, "signed_within_days", m->read.signed_within_days));
	} else {
		*ok = 0;
	}
}

/* The resolved template as one JSON object, keys as in the template files,
 * with the region overlays it offers (`regions`, for --region). */
static cJSON *template_json(const template *t, const char *const *regions, size_t n_regions)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	int ok = o != NULL;

	if (!o)
		return NULL;
	put(&ok, cJSON_AddStringToObject(o, "id", t->id));
	put(&ok, cJSON_AddNumberToObject(o, "version", t->version));
	put(&ok, cJSON_AddStringToObject(o, "licence", t->licence ? t->licence : ""));
	put(&ok, cJSON_AddStringToObject(o, "action", t->action ? t->action : ""));
	put_text(o, "title", &t->title, &ok);
	put_text(o, "purpose", &t->purpose, &ok);
	if (t->region) {
		put(&ok, cJSON_AddStringToObject(o, "region", t->region));
		put_text(o, "region_title", &t->region_title, &ok);
		put(&ok, cJSON_AddBoolToObject(o, "region_sourced", t->region_sourced));
	} else {
		put(&ok, cJSON_AddNullToObject(o, "region"));
		put(&ok, cJSON_AddNullToObject(o, "region_title"));
	}
	put_strings(o, "regions", (char *const *)regions, n_regions, &ok);
	put(&ok, cJSON_AddBoolToObject(o, "watermark", t->watermark));
	put_rules(o, &t->rules, &ok);
	if ((arr = cJSON_AddArrayToObject(o, "materials")))
		for (size_t i = 0; i < t->n_materials; i++)
			put_material(arr, &t->materials[i], &ok);
	else
		ok = 0;
	put_strings(o, "sources", t->sources, t->n_sources, &ok);
	put_strings(o, "rule_sources", t->rule_sources, t->n_rule_sources, &ok);
	put(&ok, cJSON_AddStringToObject(o, "notes", t->notes ? t->notes : ""));
	put(&ok, cJSON_AddStringToObject(o, "origin", t->origin ? t->origin : ""));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Print and free a JSON tree; LP_EXIT_IO when it could not be built. */
static int print_json(cJSON *o)
{
	char *s = o ? json_print_nl(o) : NULL;

	cJSON_Delete(o);
	if (!s) {
		lp_error(TR("out of memory", "内存不足"));
		return LP_EXIT_IO;
	}
	fputs(s, stdout);
	free(s);
	return LP_EXIT_OK;
}

/* ------------------------------------------------------------ commands --- */

static int list(const template_set *set, int json)
{
	const char *const *ids;
	size_t i, n = template_set_ids(set, &ids);
	cJSON *arr = json ? cJSON_CreateArray() : NULL;
	lp_err err = { 0 };
	int ret = LP_EXIT_OK, ok = 1;

	if (json && !arr)
		return print_json(NULL);
	for (i = 0; i < n; i++) {
		template *t = NULL;
		if (template_resolve(set, ids[i], NULL, &t, &err) != 0) {
			lp_error_show(&err);
			ret = LP_EXIT_USAGE;
			continue;
		}
		if (json) {
			cJSON *o = cJSON_CreateObject();
			if (!o || !cJSON_AddItemToArray(arr, o)) {
				cJSON_Delete(o);
				ok = 0;
			} else {
				put(&ok, cJSON_AddStringToObject(o, "id", t->id));
				put_text(o, "title", &t->title, &ok);
				put(&ok, cJSON_AddStringToObject(o, "licence", t->licence));
				put(&ok, cJSON_AddStringToObject(o, "action", t->action));
			}
		} else if (t->title.en && strcmp(t->title.en, t->title.zh) != 0) {
			/* the Chinese title always: it is what the bureau's forms say */
			printf("%-20s %s  %s\n", ids[i], t->title.zh, t->title.en);
		} else {
			printf("%-20s %s\n", ids[i], t->title.zh);
		}
		template_free(t);
	}
	if (json) {
		if (!ok) {
			cJSON_Delete(arr);
			arr = NULL;
		}
		if (print_json(arr) != LP_EXIT_OK)
			return LP_EXIT_IO;
	}
	return ret;
}

static int str_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The region overlays of template id, or of every template (id NULL): the
 * region id and its Chinese title, one a line, sorted, each once. */
static int regions(const template_set *set, const char *id)
{
	const char *const *ids, *const *regs;
	const char **all = NULL;
	size_t i, j, k, n_ids, n_all = 0, cap = 0;
	lp_err err = { 0 };
	int ret = LP_EXIT_OK;

	if (id) {
		ids = &id;
		n_ids = 1;
	} else {
		n_ids = template_set_ids(set, &ids);
	}
	for (i = 0; i < n_ids; i++) {
		template *t = NULL;
		size_t n = template_set_regions(set, ids[i], &regs);
		if (id && template_resolve(set, id, NULL, &t, &err) != 0) {
			lp_error_show(&err);
			ret = LP_EXIT_USAGE;
			goto cleanup;
		}
		template_free(t);
		for (j = 0; j < n; j++) {
			for (k = 0; k < n_all && strcmp(all[k], regs[j]) != 0; k++)
				;
			if (k < n_all)
				continue;
			if (n_all == cap) {
				const char **p = realloc(all, (cap ? cap * 2 : 16) * sizeof *p);
				if (!p) {
					lp_error(TR("out of memory", "内存不足"));
					ret = LP_EXIT_IO;
					goto cleanup;
				}
				all = p;
				cap = cap ? cap * 2 : 16;
			}
			all[n_all++] = regs[j];
		}
	}
	if (n_all > 1)
		qsort(all, n_all, sizeof *all, str_cmp);
	for (k = 0; k < n_all; k++) {
		/* the title: from the first template that offers the region */
		template *t = NULL;
		const char *title = "";
		for (i = 0; i < n_ids && !t; i++) {
			size_t n = template_set_regions(set, ids[i], &regs);
			for (j = 0; j < n && strcmp(regs[j], all[k]) != 0; j++)
				;
			if (j < n && template_resolve(set, ids[i], all[k], &t, &err) != 0)
				t = NULL;
		}
		if (t && t->region_title.zh)
			title = t->region_title.zh;
		printf("%-12s %s\n", all[k], title);
		template_free(t);
	}
cleanup:
	free(all);
	return ret;
}

int cmd_templates(int argc, char **argv)
{
	const char *region = NULL, *dir = NULL, *langarg = NULL, *format = "text", *verb;
	template_set *set = NULL;
	lp_lang lang;
	lp_err err = { 0 };
	int c, json, ret = LP_EXIT_OK;
	cmd_parser p;

	cmd_parser_init(&p, options_templates);
	while ((c = cmd_parser_next(&p, argc, argv)) != -1) {
		switch (c) {
		case 'r': region = optarg; break;
		case 'f': format = optarg; break;
		case OPT_TEMPLATES: dir = optarg; break;
		case OPT_LANG: langarg = optarg; break;
		case 'h': return print_help(&help_templates);
		default: return option_error("templates", c, argv);
		}
	}
	if (settle_lang("templates", langarg, &lang) != 0)
		return LP_EXIT_USAGE;
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return usage_error("templates", TR("--format: '%s' is not text or json", "--format：'%s' 应为 text 或 json"),
				   format);
	json = strcmp(format, "json") == 0;
	verb = optind < argc ? argv[optind] : "list";
	if ((ret = templates_load(dir, &set)) != 0)
		return ret;
	if (strcmp(verb, "list") == 0 && optind + 1 >= argc) {
		ret = list(set, json);
	} else if (strcmp(verb, "show") == 0 && optind + 2 == argc) {
		template *t = NULL;
		if (template_resolve(set, argv[optind + 1], region, &t, &err) != 0) {
			lp_error_show(&err);
			ret = LP_EXIT_USAGE;
		} else {
			const char *const *regions;
			size_t n_regions = template_set_regions(set, argv[optind + 1], &regions);
			if (json)
				ret = print_json(template_json(t, regions, n_regions));
			else
				show_text(t, lang);
			template_free(t);
		}
	} else if (strcmp(verb, "regions") == 0 && optind + 2 >= argc) {
		ret = regions(set, optind + 1 < argc ? argv[optind + 1] : NULL);
	} else if (strcmp(verb, "lint") == 0 && optind + 2 == argc) {
		/* every problem of the file, one a line */
		lp_err all = { 0 };
		int r = template_lint_file(set, argv[optind + 1], &all);
		if (r != 0) {
			lp_error_show(&all);
			ret = r == 3 ? LP_EXIT_IO : LP_EXIT_USAGE;
		} else {
			printf(TR("%s: ok\n", "%s：没有发现问题\n"), argv[optind + 1]);
		}
	} else {
		ret = usage_error("templates", TR("expected 'list', 'show ID', 'regions [ID]' or 'lint FILE'",
						  "应为 'list'、'show ID'、'regions [ID]' 或 'lint 文件'"));
	}
	template_set_free(set);
	return ret;
}
