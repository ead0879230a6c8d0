/*
 * batch-merge: `licpack batch-merge SUMMARY... [-o OUTDIR]` joins the
 * summaries that `licpack batch --shard K/N` runs wrote (summary-K-of-N.json)
 * into one summary.csv and summary.json; with all N shards they are byte for
 * byte what one run over every applicant writes. The joining itself is
 * summary_merge() (packet/summary.c); this file finds the inputs and says
 * what happened.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/batch_index.h"
#include "cmd/cmd.h"
#include "packet/summary.h"
#include "packet/util.h"

static const cmd_option options_batch_merge[] = {
	{ "output", 'o', "OUTDIR", "where to write summary.csv and summary.json",
	  "summary.csv 和 summary.json 的写入位置" },
	OPTION_LANG,
	OPTION_HELP,
	OPTION_END,
};

const cmd_help help_batch_merge = {
	"usage: licpack batch-merge [-o OUTDIR] SUMMARY...\n"
	"\n"
	"Join the summaries of 'licpack batch --shard K/N' runs into one\n"
	"summary.csv and summary.json in OUTDIR (default: the first SUMMARY folder,\n"
	"or the folder of the first SUMMARY file). A SUMMARY is a summary JSON\n"
	"file, or a folder: its shard summaries (summary-K-of-N.json), else its\n"
	"summary.json. With all N shards, the files are byte for byte those one\n"
	"run over every applicant writes. Paths in the summary are relative to the\n"
	"folder that holds it: copy the shards' applicant folders into OUTDIR.\n"
	"\n",
	"用法：licpack batch-merge [-o OUTDIR] 汇总...\n"
	"\n"
	"把 'licpack batch --shard K/N' 各次运行的汇总合并为 OUTDIR 中的一份\n"
	"summary.csv 和 summary.json（默认 OUTDIR：第一个汇总文件夹，或第一个汇总\n"
	"文件所在的文件夹）。汇总可以是汇总 JSON 文件，也可以是文件夹：取其中的分片\n"
	"汇总（summary-K-of-N.json），没有则取 summary.json。N 个分片齐全时，合并结果\n"
	"与一次处理全部申请人写出的文件逐字节相同。汇总中的路径相对于汇总所在的\n"
	"文件夹：请把各分片的申请人文件夹复制到 OUTDIR。\n"
	"\n",
	options_batch_merge,
	"Exit status: 0 every applicant complete, 1 some incomplete, 3 some failed\n"
	"or an I/O error, 2 usage error or summaries that do not fit together.\n",
	"退出码：0 全部齐全；1 有申请人材料不全；3 有申请人失败或读写错误；2 用法错误，\n"
	"或各汇总之间对不上。\n",
};

static int is_shard_summary(const char *name)
{
	unsigned long k, n;
	int used = 0;

	return sscanf(name, "summary-%lu-of-%lu.json%n", &k, &n, &used) == 2 && used > 0 && name[used] == '\0';
}

static int name_strcmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The summary files ARG stands for, appended to *paths. Returns 0, or an
 * exit code after printing the error. */
static int merge_inputs(const char *arg, char ***paths, size_t *n, size_t *cap)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	size_t first = *n;
	char *p;

	if (stat(arg, &st) != 0) {
		lp_error(TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), arg, msg_strerror(errno));
		return LP_EXIT_IO;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!(d = opendir(arg))) {
			lp_error(TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), arg, msg_strerror(errno));
			return LP_EXIT_IO;
		}
		while ((de = readdir(d)) != NULL) {
			if (!is_shard_summary(de->d_name))
				continue;
			if (*n == *cap) {
				char **q = realloc(*paths, (*cap ? *cap * 2 : 16) * sizeof *q);
				if (!q) {
					closedir(d);
					goto oom;
				}
				*paths = q;
				*cap = *cap ? *cap * 2 : 16;
			}
			if (!((*paths)[*n] = lp_path_join(arg, de->d_name))) {
				closedir(d);
				goto oom;
			}
			(*n)++;
		}
		closedir(d);
		if (*n > first) {
			qsort(*paths + first, *n - first, sizeof **paths, name_strcmp);
			return 0;
		}
		p = lp_path_join(arg, "summary.json");
	} else {
		p = strdup(arg);
	}
	if (!p)
		goto oom;
	if (*n == *cap) {
		char **q = realloc(*paths, (*cap ? *cap * 2 : 16) * sizeof *q);
		if (!q) {
			free(p);
			goto oom;
		}
		*paths = q;
		*cap = *cap ? *cap * 2 : 16;
	}
	(*paths)[(*n)++] = p;
	return 0;
oom:
	lp_error(TR("out of memory", "内存不足"));
	return LP_EXIT_IO;
}

int cmd_batch_merge(int argc, char **argv)
{
	const char *outdir = NULL, *langarg = NULL;
	lp_lang lang;
	char **paths = NULL, *first_dir = NULL;
	lp_err err = { 0 };
	size_t n = 0, cap = 0, counts[5] = { 0 }, i;
	int c, ret = 0, interrupted = 0;
	cmd_parser p;
	struct stat st;

	cmd_parser_init(&p, options_batch_merge);
	while ((c = cmd_parser_next(&p, argc, argv)) != -1) {
		switch (c) {
		case 'o': outdir = optarg; break;
		case OPT_LANG: langarg = optarg; break;
		case 'h': return print_help(&help_batch_merge);
		default: return option_error("batch-merge", c, argv);
		}
	}
	if (settle_lang("batch-merge", langarg, &lang) != 0)
		return LP_EXIT_USAGE;
	if (optind == argc)
		return usage_error("batch-merge", TR("no summary given", "没有指定汇总文件或文件夹"));
	for (i = (size_t)optind; i < (size_t)argc && ret == 0; i++)
		ret = merge_inputs(argv[i], &paths, &n, &cap);
	if (ret)
		goto cleanup;
	if (!outdir) {
		if (stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode)) {
			outdir = argv[optind];
		} else {
			const char *slash = strrchr(argv[optind], '/');
			first_dir = slash ? strndup(argv[optind], slash == argv[optind] ? 1 : (size_t)(slash - argv[optind]))
					  : strdup(".");
			if (!first_dir) {
				lp_error(TR("out of memory", "内存不足"));
				ret = LP_EXIT_IO;
				goto cleanup;
			}
			outdir = first_dir;
		}
	} else if (mkdir(outdir, 0700) != 0 && errno != EEXIST) {
		lp_error(TR("cannot create '%s': %s", "无法创建 '%s'（%s）"), outdir, msg_strerror(errno));
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	ret = summary_merge((const char *const *)paths, n, outdir, counts, &interrupted, &err);
	if (ret) {
		lp_error_show(&err);
		ret = ret == 2 ? LP_EXIT_USAGE : LP_EXIT_IO;
		goto cleanup;
	}
	printf("%s/summary.csv\n%s/summary.json\n", outdir, outdir);
	if ((ret = batch_index_write(outdir, "summary", lang, 0)) != 0)
		goto cleanup;
	if (interrupted)
		lp_error(TR("some of the summaries are of interrupted runs: applicants are missing",
			    "部分汇总来自被中止的运行：有申请人缺失"));
	ret = counts[2] ? LP_EXIT_IO : counts[1] ? LP_EXIT_INCOMPLETE : LP_EXIT_OK;
cleanup:
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(first_dir);
	return ret;
}
