/*
 * init: `licpack init DIR --template ID` — a ready-to-fill applicant folder:
 * packet.json with every key the template needs, holding placeholders that
 * `check` reports as unfilled; one sub-folder per material, named by its
 * Chinese title; and README.txt (Chinese) saying what goes where.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "cmd/init.h"
#include "packet/output.h"
#include "packet/jsontext.h"
#include "packet/probe.h"
#include "packet/util.h"

enum { OPT_FROM_SCANS = OPT_OWN, OPT_INIT_FORCE };

static const cmd_option options_init[] = {
	{ "template", 't', "ID", "template (licpack templates list); with --from-scans,\ndefault: guessed from the files", "模板（'licpack templates list' 列出全部模板）；\n使用 --from-scans 时默认按文件推断" },
	{ "from-scans", OPT_FROM_SCANS, NULL, "DIR holds scans already: read them and write\nDIR/packet.json with the values found", "文件夹中已有扫描件：识别其内容，\n把识别出的信息写入 文件夹/packet.json" },
	{ "force", OPT_INIT_FORCE, NULL, "with --from-scans: replace an existing packet.json", "与 --from-scans 一起使用：覆盖已有的 packet.json" },
	{ "region", 'r', "R", "region overlay", "地区版本" },
	OPTION_TEMPLATES,
	OPTION_LANG,
	OPTION_HELP,
	OPTION_END,
};

const cmd_help help_init = {
	"usage: licpack init DIR --template ID [options]\n"
	"       licpack init DIR --from-scans [--template ID] [--force] [options]\n"
	"\n"
	"Create an applicant folder to fill in: packet.json with placeholders\n"
	"(\"<...>\", which check reports as unfilled), one sub-folder per material\n"
	"named by its Chinese title, and README.txt (always in Chinese) listing\n"
	"what goes where. DIR must not exist or be empty; nothing is changed\n"
	"otherwise.\n"
	"\n"
	"With --from-scans, DIR already holds the scans: init reads them on this\n"
	"machine (tesseract; nothing is sent anywhere, nothing cached) and writes\n"
	"only DIR/packet.json, with the values read (company name, USCC, legal\n"
	"representative, registered capital, ID number and validity, domains,\n"
	"licence number and expiry) and placeholders for the rest; it says on\n"
	"stdout which file each value came from (the ID number masked there; only\n"
	"packet.json holds it whole). Two files that read differently give no value:\n"
	"the key keeps its placeholder and both files are named. A file whose name\n"
	"is no material but whose content is one is assigned under \"files\".\n"
	"Without --template, the template is the one that recognises the most\n"
	"files (by name, or by what they read as); between equals, the one whose\n"
	"material names fit the file names more closely; when still tied, init\n"
	"names them and asks for --template. An existing packet.json is replaced\n"
	"only with --force.\n"
	"\n",
	"用法：licpack init 文件夹 --template ID [选项]\n"
	"      licpack init 文件夹 --from-scans [--template ID] [--force] [选项]\n"
	"\n"
	"新建一个待填写的申请人文件夹：含占位内容（\"<...>\"，check 会报告为未填写）的\n"
	"packet.json、每种材料一个以中文名称命名的子文件夹，以及说明各放什么的\n"
	"README.txt（总是中文）。文件夹必须不存在或为空，否则不做任何改动。\n"
	"\n"
	"使用 --from-scans 时，文件夹中已有扫描件：init 在本机识别其内容（不发送、\n"
	"不缓存任何内容），只写入 文件夹/packet.json：识别出的信息（公司名称、\n"
	"统一社会信用代码、法定代表人、注册资本、身份证号码及有效期、域名、许可证编号\n"
	"及有效期）和其余各项的占位内容，并在标准输出说明每项取自哪个文件（此处身份证号\n"
	"码已遮盖，只有 packet.json 中是完整号码）。两个文件识别结果不同的项不填写，\n"
	"保留占位内容并列出这两个文件。文件名不符合任何材料、但内容可识别的文件写入\n"
	"\"files\"。未指定 --template 时，选用能认出最多文件（按文件名或按内容）的模板；\n"
	"认出的一样多时，选材料名称与文件名更吻合的模板；仍无法区分时，列出它们并\n"
	"请用 --template 指定。已有 packet.json 时，只有加 --force 才会覆盖。\n"
	"\n",
	options_init,
	"Exit status: 0 written; 2 usage error, a folder that is not empty, with\n"
	"--from-scans a packet.json already there (no --force) or a template that\n"
	"cannot be guessed; 3 I/O error, or the language data not installed.\n",
	"退出码：0 已写入；2 用法错误、文件夹不为空、使用 --from-scans 时已有\n"
	"packet.json（未加 --force）或无法推断模板；3 读写错误，或未安装识别语言数据。\n",
};

/* 0 when path does not exist or is an empty folder; else an exit code. */
static int check_target(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (!d) {
		int e = errno;
		if (e == ENOENT)
			return 0;
		if (e == ENOTDIR) {
			lp_error(TR("'%s': exists and is not a folder", "'%s'：已存在，且不是文件夹"), path);
			return LP_EXIT_USAGE;
		}
		lp_error(TR("'%s': %s", "'%s'：%s"), path, msg_strerror(e));
		return LP_EXIT_IO;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	if (!empty) {
		lp_error(TR("'%s' is not empty: init only fills a new or empty folder",
			    "'%s' 不是空文件夹：init 只填充新的或空的文件夹"), path);
		return LP_EXIT_USAGE;
	}
	return 0;
}

static int has_per(const template *t, per_kind per)
{
	size_t i;

	for (i = 0; i < t->n_materials; i++)
		if (t->materials[i].per == per)
			return 1;
	return 0;
}

static int has_expiry(const template *t, expiry_rule e)
{
	size_t i;

	for (i = 0; i < t->n_materials; i++)
		if (t->materials[i].expiry == e)
			return 1;
	return 0;
}

/* Add key: "<placeholder>" to obj; cJSON failures are collected in *ok. */
static void ph(cJSON *obj, const char *key, const char *text, int *ok)
{
	if (!cJSON_AddStringToObject(obj, key, text))
		*ok = 0;
}

static cJSON *obj_in(cJSON *parent, const char *key, int *ok)
{
	cJSON *o = cJSON_AddObjectToObject(parent, key);

	if (!o)
		*ok = 0;
	return o;
}

static cJSON *record_in(cJSON *parent, const char *key, int *ok)
{
	cJSON *arr = cJSON_AddArrayToObject(parent, key), *o = cJSON_CreateObject();

	if (!arr || !o || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		*ok = 0;
		return NULL;
	}
	return o;
}

/* The object at key in parent, made when missing; NULL out of memory. */
static cJSON *obj_get(cJSON *parent, const char *key)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);

	return o ? o : cJSON_AddObjectToObject(parent, key);
}

/* obj.key = item (replacing a placeholder). */
static void put(cJSON *obj, const char *key, cJSON *item, int *ok)
{
	if (!obj || !item) {
		cJSON_Delete(item);
		*ok = 0;
	} else if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
		if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item))
			*ok = 0;
	} else if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		*ok = 0;
	}
}

/* The domain records read, in place of the placeholder one. */
static void put_domains(cJSON *root, const fill_values *v, int *ok)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < v->n_domains; i++) {
		cJSON *d = cJSON_CreateObject();
		if (!d || !cJSON_AddItemToArray(arr, d)) {
			cJSON_Delete(d);
			*ok = 0;
			break;
		}
		ph(d, "name", v->domains[i].name.value, ok);
		ph(d, "expiry", v->domains[i].expiry.value[0] ? v->domains[i].expiry.value : "<域名到期日 YYYY-MM-DD>", ok);
	}
	put(root, "domains", arr, ok);
}

/* The values read, over the placeholders. */
static void put_values(cJSON *root, const fill_values *v, int *ok)
{
	for (int k = 0; k < FILL__KEYS; k++) {
		const char *path = fill_key_path((fill_key)k), *dot = strchr(path, '.');
		char obj[32];

		if (!v->v[k].value[0] || !dot || (size_t)(dot - path) >= sizeof obj)
			continue;
		snprintf(obj, sizeof obj, "%.*s", (int)(dot - path), path);
		put(obj_get(root, obj), dot + 1,
		    k == FILL_CAPITAL_WAN ? cJSON_CreateNumber(strtod(v->v[k].value, NULL))
					  : cJSON_CreateString(v->v[k].value), ok);
	}
	if (v->n_domains)
		put_domains(root, v, ok);
	for (size_t i = 0; i < v->n_assigned; i++) {
		cJSON *files = obj_get(root, "files"), *arr = files ? cJSON_GetObjectItemCaseSensitive(files, v->assigned[i].material) : NULL;
		if (files && !arr)
			arr = cJSON_AddArrayToObject(files, v->assigned[i].material);
		if (!arr || !cJSON_AddItemToArray(arr, cJSON_CreateString(v->assigned[i].rel)))
			*ok = 0;
	}
}

char *init_packet_json(const template *t, const fill_values *v)
{
	cJSON *root = cJSON_CreateObject(), *o;
	int ok = root != NULL;
	size_t i;
	char *out;

	if (!root)
		return NULL;
	ph(root, "template", t->id, &ok);
	if (t->region)
		ph(root, "region", t->region, &ok);
	if ((o = obj_in(root, "company", &ok))) {
		ph(o, "name", "<公司名称 company name>", &ok);
		ph(o, "uscc", "<统一社会信用代码 18 位>", &ok);
		if (t->rules.capital_min_wan_provincial || t->rules.capital_min_wan_nationwide) {
			ph(o, "capital_wan", "<注册资本（万元，数字）>", &ok);
			ph(o, "coverage", "<provincial 或 nationwide>", &ok);
		}
	}
	if ((o = obj_in(root, "legal_rep", &ok))) {
		ph(o, "name", "<法定代表人姓名>", &ok);
		ph(o, "id_number", "<身份证号码 18 位>", &ok);
		ph(o, "id_expiry", "<身份证有效期至 YYYY-MM-DD 或 长期>", &ok);
	}
	if (has_expiry(t, EXPIRY_LICENCE) && (o = obj_in(root, "licence", &ok))) {
		ph(o, "number", "<许可证编号，如 京B2-20212732>", &ok);
		ph(o, "expiry", "<许可证有效期至 YYYY-MM-DD>", &ok);
	}
	if (has_per(t, PER_DOMAIN) && (o = record_in(root, "domains", &ok))) {
		ph(o, "name", "<域名，如 example.com>", &ok);
		ph(o, "expiry", "<域名到期日 YYYY-MM-DD>", &ok);
	}
	if (has_per(t, PER_STAFF) || t->rules.n_staff_roles || t->rules.staff_min) {
		cJSON *arr = cJSON_AddArrayToObject(root, "staff");
		size_t n = t->rules.n_staff_roles ? t->rules.n_staff_roles : 1;
		for (i = 0; arr && i < n; i++) {
			cJSON *s = cJSON_CreateObject();
			if (!s || !cJSON_AddItemToArray(arr, s)) {
				cJSON_Delete(s);
				ok = 0;
				break;
			}
			ph(s, "role", t->rules.n_staff_roles ? t->rules.staff_roles[i] : "<contact、security 或 service>", &ok);
			ph(s, "name", "<姓名>", &ok);
			ph(s, "id_number", "<身份证号码>", &ok);
			ph(s, "id_expiry", "<身份证有效期至 YYYY-MM-DD>", &ok);
		}
		if (!arr)
			ok = 0;
	}
	if (has_per(t, PER_SHAREHOLDER) && (o = record_in(root, "shareholders", &ok))) {
		ph(o, "name", "<股东名称或姓名>", &ok);
		ph(o, "kind", "<company 或 person>", &ok);
		ph(o, "uscc", "<企业股东的统一社会信用代码>", &ok);
		ph(o, "id_number", "<自然人股东的身份证号码>", &ok);
	}
	if (t->rules.change_within_days && (o = obj_in(root, "change", &ok))) {
		ph(o, "date", "<变更登记日期 YYYY-MM-DD>", &ok);
		ph(o, "what", "<变更事项>", &ok);
		ph(o, "kind", "<name、legal_rep、capital、entity、shareholders、coverage 或 domain>", &ok);
		ph(o, "decision_date", "<公司作出变更决定的日期 YYYY-MM-DD（第二十八条的变更）>", &ok);
	}
	if (has_expiry(t, EXPIRY_CONTRACT) && (o = obj_in(root, "hosting", &ok)))
		ph(o, "expiry", "<托管或接入协议有效期至 YYYY-MM-DD>", &ok);
	if (has_expiry(t, EXPIRY_PREREQUISITE) && (o = obj_in(root, "prerequisite", &ok))) {
		ph(o, "kind", "<前置许可证类型>", &ok);
		ph(o, "number", "<前置许可证编号>", &ok);
		ph(o, "expiry", "<前置许可证有效期至 YYYY-MM-DD>", &ok);
		ph(o, "coverage", "<provincial 或 nationwide>", &ok);
	}
	if (!cJSON_AddObjectToObject(root, "files"))
		ok = 0;
	if (v && ok)
		put_values(root, v, &ok);
	out = ok ? json_print_nl(root) : NULL;
	cJSON_Delete(root);
	return out;
}

static const char *per_zh(per_kind p)
{
	return p == PER_DOMAIN ? "每个域名" : p == PER_STAFF ? "每位人员" : p == PER_SHAREHOLDER ? "每位股东" : NULL;
}

static char *readme(const template *t, const char *dir)
{
	char *s = lp_strdupf("%s（%s）材料文件夹\n\n"
			     "1. 填写 packet.json：把所有 <...> 占位内容换成真实信息（日期写成 YYYY-MM-DD）。\n"
			     "2. 把扫描件放进对应的子文件夹（文件夹名即材料名）；多页材料按页码命名，如 p1.jpg、p2.jpg。\n"
			     "3. 运行 licpack check %s 检查，齐全后运行 licpack build %s 生成材料包。\n\n"
			     "材料清单：\n",
			     t->title.zh, t->id, dir, dir), *next;
	size_t i;

	for (i = 0; s && i < t->n_materials; i++) {
		const material *m = &t->materials[i];
		char count[64], fmts[32] = "";
		int f;
		for (f = 0; f < FMT__COUNT; f++)
			if (m->formats & FMT_BIT(f)) {
				size_t l = strlen(fmts);
				snprintf(fmts + l, sizeof fmts - l, "%s%s", l ? "/" : "", f == FMT_JPEG ? "JPG" : f == FMT_PNG ? "PNG" : "PDF");
			}
		if (m->count_max == m->count_min)
			snprintf(count, sizeof count, "%d 个文件", m->count_min);
		else if (m->count_max)
			snprintf(count, sizeof count, "%d-%d 个文件", m->count_min, m->count_max);
		else
			snprintf(count, sizeof count, "至少 %d 个文件", m->count_min);
		next = lp_strdupf("%s%02zu %s/  %s；%s%s%s；%s%s%s\n", s, i + 1, m->title.zh, m->required ? "必需" : "可选",
				  per_zh(m->per) ? per_zh(m->per) : "", per_zh(m->per) ? " " : "", count, fmts,
				  m->colour ? "；须彩色" : "", m->seal ? "；须加盖公章" : "");
		free(s);
		s = next;
	}
	if (s && (has_per(t, PER_DOMAIN) || has_per(t, PER_STAFF) || has_per(t, PER_SHAREHOLDER))) {
		next = lp_strdupf("%s\n按域名、人员或股东分别提供的材料：文件名（或其所在子文件夹名）须写明域名、姓名或名称，"
				  "如 域名证书_example.com.jpg、李四/人像面.jpg。\n", s);
		free(s);
		s = next;
	}
	return s;
}

int init_write(const char *dir, const char *name, const char *text)
{
	lp_err err = { 0 };
	char *path = lp_path_join(dir, name);
	int r = path ? output_write_file(path, text, strlen(text), 1, &err) : -1;

	if (r != 0 && path)
		lp_error_show(&err);
	else if (r != 0)
		lp_error(TR("out of memory", "内存不足"));
	free(path);
	return r == 0 ? 0 : LP_EXIT_IO;
}

int cmd_init(int argc, char **argv)
{
	cmd_parser p;
	const char *tid = NULL, *region = NULL, *tdir = NULL, *langarg = NULL, *dir;
	int from_scans = 0, force = 0;
	template_set *set = NULL;
	lp_lang lang;
	template *t = NULL;
	lp_err err = { 0 };
	char *json = NULL, *text = NULL;
	size_t i;
	int c, ret;

	cmd_parser_init(&p, options_init);
	while ((c = cmd_parser_next(&p, argc, argv)) != -1) {
		switch (c) {
		case 't': tid = optarg; break;
		case 'r': region = optarg; break;
		case OPT_TEMPLATES: tdir = optarg; break;
		case OPT_LANG: langarg = optarg; break;
		case OPT_FROM_SCANS: from_scans = 1; break;
		case OPT_INIT_FORCE: force = 1; break;
		case 'h': return print_help(&help_init);
		default: return option_error("init", c, argv);
		}
	}
	if (settle_lang("init", langarg, &lang) != 0)
		return LP_EXIT_USAGE;
	if (optind + 1 != argc)
		return usage_error("init", optind == argc ? TR("no folder given", "没有指定文件夹")
							  : TR("one folder at a time", "一次只能新建一个文件夹"));
	if (force && !from_scans)
		return usage_error("init", TR("--force goes with --from-scans only", "--force 只能与 --from-scans 一起使用"));
	if (!tid && !from_scans)
		return usage_error("init", TR("--template ID is required (licpack templates list)",
					      "必须用 --template ID 指定模板（'licpack templates list' 列出全部模板）"));
	dir = argv[optind];
	if ((ret = templates_load(tdir, &set)) != 0)
		return ret;
	if (from_scans) {
		ret = init_from_scans(set, dir, tid, region, force);
		goto cleanup;
	}
	if (template_resolve(set, tid, region, &t, &err) != 0) {
		lp_error_show(&err);
		ret = LP_EXIT_USAGE;
		goto cleanup;
	}
	if ((ret = check_target(dir)) != 0)
		goto cleanup;
	json = init_packet_json(t, NULL);
	text = readme(t, dir);
	if (!json || !text) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	/* 0700: the folder will hold ID card scans */
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		lp_error(TR("cannot create '%s': %s", "无法创建 '%s'（%s）"), dir, msg_strerror(errno));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	for (i = 0; i < t->n_materials; i++) {
		char *sub = lp_path_join(dir, t->materials[i].title.zh);
		if (!sub || (mkdir(sub, 0700) != 0 && errno != EEXIST)) {
			lp_error(TR("cannot create '%s': %s", "无法创建 '%s'（%s）"), sub ? sub : dir,
				 sub ? msg_strerror(errno) : msg_strerror(ENOMEM));
			free(sub);
			ret = LP_EXIT_IO;
			goto cleanup;
		}
		free(sub);
	}
	if ((ret = init_write(dir, "packet.json", json)) != 0 || (ret = init_write(dir, "README.txt", text)) != 0)
		goto cleanup;
	printf("%s/packet.json\n%s/README.txt\n", dir, dir);
	printf(TR("%zu material folders in %s\n", "%zu 个材料子文件夹，位于 %s\n"), t->n_materials, dir);
cleanup:
	free(json);
	free(text);
	template_free(t);
	template_set_free(set);
	return ret;
}
