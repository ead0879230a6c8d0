/*
 * init_scans: `licpack init DIR --from-scans` — DIR holds scans already;
 * they are read (packet/fill.h) and DIR/packet.json is written with every
 * value found and placeholders for the rest, in the shape plain `init`
 * writes. stdout says which template and why, each value and the file it
 * came from (the ID number masked: only packet.json holds it whole), the
 * values two files disagree on, the files assigned by content and the ones
 * whose values were not used. Nothing read is logged or cached.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/init.h"
#include "packet/ident.h"
#include "packet/util.h"

/* The target: an existing folder, without packet.json unless force. */
static int check_folder_target(const char *dir, int force)
{
	struct stat st;
	char *pj;
	int e;

	if (stat(dir, &st) != 0) {
		e = errno;
		if (e == ENOENT) {
			lp_error(TR("'%s' does not exist: --from-scans reads a folder that holds the scans",
				    "'%s' 不存在：--from-scans 读取已放入扫描件的文件夹"), dir);
			return LP_EXIT_USAGE;
		}
		lp_error(TR("'%s': %s", "'%s'：%s"), dir, msg_strerror(e));
		return LP_EXIT_IO;
	}
	if (!S_ISDIR(st.st_mode)) {
		lp_error(TR("'%s': exists and is not a folder", "'%s'：已存在，且不是文件夹"), dir);
		return LP_EXIT_USAGE;
	}
	if (!(pj = lp_path_join(dir, "packet.json"))) {
		lp_error(TR("out of memory", "内存不足"));
		return LP_EXIT_IO;
	}
	e = lstat(pj, &st) == 0;
	if (e && !force)
		lp_error(TR("'%s' exists: init --from-scans replaces it only with --force",
			    "'%s' 已存在：只有加 --force，init --from-scans 才会覆盖它"), pj);
	free(pj);
	return e && !force ? LP_EXIT_USAGE : 0;
}

/* Whether some template offers region: checked before the scans are
 * read, when the template is still to be guessed. */
static int region_known(const template_set *set, const char *region)
{
	const char *const *ids, *const *regions;
	size_t n = template_set_ids(set, &ids);

	for (size_t i = 0; i < n; i++) {
		size_t m = template_set_regions(set, ids[i], &regions);
		for (size_t j = 0; j < m; j++)
			if (strcmp(regions[j], region) == 0)
				return 1;
	}
	return 0;
}

/* A value as stdout shows it: an ID number masked. */
static const char *shown(fill_key k, const char *value, char *buf, size_t n)
{
	if (k != FILL_REP_ID_NUMBER)
		return value;
	idcard_mask(value, buf, n);
	return buf;
}

static void print_value(const char *path, fill_key k, const fill_value *v)
{
	char a[64], b[64];

	if (v->conflict) {
		printf(TR("%s: not filled: %s reads %s, %s reads %s\n", "%s：未填写：%s 识别为 %s，%s 识别为 %s\n"), path,
		       v->from[0], shown(k, v->first, a, sizeof a), v->other_from, shown(k, v->other, b, sizeof b));
		return;
	}
	if (!v->value[0])
		return;
	printf(TR("%s: %s (from ", "%s：%s（取自 "), path, shown(k, v->value, a, sizeof a));
	for (size_t i = 0; i < v->n_from; i++)
		printf("%s%s", i ? TR(", ", "、") : "", v->from[i]);
	printf("%s", TR(")\n", "）\n"));
}

/* What a document read as, for people. */
static const char *kind_name(read_doc_kind k)
{
	const char *m = read_doc_material(k);

	return m ? m : k == READ_DOC_SIGNED_FORM ? TR("a signed form", "签署的表格") : TR("another document", "其他材料");
}

static void print_skipped(const fill_skipped *s)
{
	switch (s->why) {
	case FILL_SKIP_PDF:
		printf(TR("%s: not read (not a JPEG or PNG scan); its values keep their placeholders\n",
			  "%s：未识别（不是 JPEG 或 PNG 扫描件），相关各项保留占位内容\n"), s->name);
		break;
	case FILL_SKIP_UNREAD:
		printf(TR("%s: could not be read; its values keep their placeholders\n",
			  "%s：无法识别，相关各项保留占位内容\n"), s->name);
		break;
	case FILL_SKIP_WRONG:
		printf(TR("%s: named as %s but reads as %s; its values are not used\n",
			  "%s：文件名表明是 %s，内容却是 %s，未采用其内容\n"), s->name, s->material, kind_name(s->kind));
		break;
	case FILL_SKIP_OTHER_PERSON:
		printf(TR("%s: the ID card of someone other than %s, the legal representative on the business licence; its values are not used\n",
			  "%s：不是营业执照上的法定代表人 %s 的身份证，未采用其内容\n"), s->name, s->text);
		break;
	case FILL_SKIP_NAME:
		printf(TR("%s: reads as %s, but its name cannot go into packet.json as it is; rename it (check then finds it by name)\n",
			  "%s：内容为 %s，但其文件名无法原样写入 packet.json，请重命名（check 即可按文件名识别）\n"),
		       s->name, s->material);
		break;
	case FILL_SKIP_CAPITAL:
		printf(TR("%s: the registered capital reads '%s', not a number of 万元; company.capital_wan not filled\n",
			  "%s：注册资本识别为“%s”，不是以万元计的数字，company.capital_wan 未填写\n"), s->name, s->text);
		break;
	}
}

/* Everything stdout says after the template line. Returns the values filled. */
static int report(const char *dir, const fill_values *v)
{
	int n = 0;

	for (int k = 0; k < FILL__KEYS; k++) {
		print_value(fill_key_path((fill_key)k), (fill_key)k, &v->v[k]);
		n += v->v[k].value[0] != '\0';
	}
	for (size_t i = 0; i < v->n_domains; i++) {
		char path[64];
		snprintf(path, sizeof path, "domains[%zu].name", i);
		print_value(path, FILL__KEYS, &v->domains[i].name);
		snprintf(path, sizeof path, "domains[%zu].expiry", i);
		print_value(path, FILL__KEYS, &v->domains[i].expiry);
		n += 1 + (v->domains[i].expiry.value[0] != '\0');
	}
	for (size_t i = 0; i < v->n_assigned; i++)
		printf(TR("files: %s as %s (by its content: it reads as %s)\n", "files：%s 作为 %s（按内容：识别为 %s）\n"),
		       v->assigned[i].name, v->assigned[i].material, kind_name(v->assigned[i].kind));
	for (size_t i = 0; i < v->n_skipped; i++)
		print_skipped(&v->skipped[i]);
	printf(TR("%s/packet.json: %d values read; the rest keep their <...> placeholders (check lists them as unfilled)\n",
		  "%s/packet.json：填入 %d 项识别出的信息；其余各项保留 <...> 占位内容（check 会列为未填写）\n"),
	       dir, n);
	return n;
}

/* The template: given, or guessed. Returns 0 or an exit code. */
static int choose(const template_set *set, const fill_folder *f, const char *dir, const char *tid, const char *region,
		  template **t)
{
	fill_guess_result g;
	lp_err err = { 0 };

	if (!tid) {
		if (fill_guess(set, f, &g) != 0) {
			lp_error(TR("out of memory", "内存不足"));
			return LP_EXIT_IO;
		}
		if (g.best == 0) {
			lp_error(TR("cannot tell the template: no file in '%s' is a material of any template; give --template ID",
				    "无法判断模板：'%s' 中没有任何文件属于某个模板的材料，请用 --template ID 指定"), dir);
			return LP_EXIT_USAGE;
		}
		if (!g.chosen) {
			char list[512] = "";
			for (size_t i = 0; i < g.n_tied && i < FILL_MAX_TIED; i++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", g.tied[i]);
			lp_error(TR("cannot tell the template: %s each recognise %d of the %d files; give --template ID",
				    "无法判断模板：%s 都能认出 %d 个文件（共 %d 个），请用 --template ID 指定"),
				 list, g.best, g.files);
			return LP_EXIT_USAGE;
		}
		tid = g.chosen;
		if (!g.next)
			printf(TR("template: %s (guessed: it recognises %d of the %d files)\n",
				  "模板：%s（推断：认出 %d 个文件（共 %d 个））\n"), tid, g.best, g.files);
		else if (g.next_files < g.best)
			printf(TR("template: %s (guessed: it recognises %d of the %d files; the next best, %s, %d)\n",
				  "模板：%s（推断：认出 %d 个文件（共 %d 个）；其次是 %s，认出 %d 个）\n"),
			       tid, g.best, g.files, g.next, g.next_files);
		else
			printf(TR("template: %s (guessed: it recognises %d of the %d files, as %s does, but the file names fit its material names more closely)\n",
				  "模板：%s（推断：认出 %d 个文件（共 %d 个），与 %s 相同，但文件名与其材料名称更吻合）\n"),
			       tid, g.best, g.files, g.next);
	}
	if (template_resolve(set, tid, region, t, &err) != 0) {
		lp_error_show(&err);
		return LP_EXIT_USAGE;
	}
	return 0;
}

int init_from_scans(const template_set *set, const char *dir, const char *tid, const char *region, int force)
{
	reader_options ro = { NULL, 0, 0 };
	reader *rd = NULL;
	template *given = NULL, *t = NULL;
	fill_folder f = { NULL, 0 };
	fill_values v;
	const char *missing = NULL;
	lp_err err = { 0 };
	char *json = NULL;
	int ret;

	memset(&v, 0, sizeof v);
	if ((ret = check_folder_target(dir, force)) != 0)
		return ret;
	if (tid && template_resolve(set, tid, region, &given, &err) != 0) {
		lp_error_show(&err);
		return LP_EXIT_USAGE;
	}
	if (!tid && region && !region_known(set, region)) {
		lp_error(TR("unknown region '%s': no template has it (licpack templates regions)",
			    "未知地区 '%s'：没有模板提供该地区版本（'licpack templates regions' 列出全部地区）"), region);
		return LP_EXIT_USAGE;
	}
	if (reader_open(&ro, &rd, &missing) != 0) {
		lp_error(TR("cannot read the scans: the language data is not installed (%s missing); "
			    "apt-get install tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr",
			    "无法识别扫描件：未安装识别语言数据（缺少 %s）；"
			    "请执行 'apt-get install tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr'"),
			 missing ? missing : "?");
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	/* two pages at once, as check reads (each engine some 50 MiB) */
	if (fill_scan(set, given, rd, dir, sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1, &f) != 0) {
		lp_error(TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), dir, msg_strerror(errno));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	reader_free(rd);
	rd = NULL;
	if (given)
		printf(TR("template: %s (--template)\n", "模板：%s（--template）\n"), given->id);
	else if ((ret = choose(set, &f, dir, tid, region, &t)) != 0)
		goto cleanup;
	if (fill_merge(given ? given : t, &f, &v) != 0 || !(json = init_packet_json(given ? given : t, &v))) {
		lp_error(TR("out of memory", "内存不足"));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = init_write(dir, "packet.json", json)) != 0)
		goto cleanup;
	report(dir, &v);
cleanup:
	if (json)
		explicit_bzero(json, strlen(json));
	free(json);
	fill_values_release(&v);
	fill_release(&f);
	reader_free(rd);
	template_free(given);
	template_free(t);
	return ret;
}
