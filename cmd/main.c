/*
 * licpack — check a folder of scans for a Chinese telecom licence application
 * and build the submission packet. This file is the entry point: one table of
 * subcommands, and the exit path that makes sure stdout really was written.
 *
 * To add a subcommand:
 *   1. write cmd/NAME.c with `int cmd_NAME(int argc, char **argv)` and its
 *      `const cmd_help help_NAME` (cmd/options.h): the --help text before and
 *      after the options, in English and Chinese, and its one table of
 *      options, each with its help line in both languages (the parser,
 *      --help, the tests and the shell completions all read that table;
 *      `licpack --list-options NAME` prints it); shared options are the
 *      OPTION_* rows of options.h;
 *      every message it prints written with TR("english", "中文") (msg.h);
 *   2. declare them in cmd/cmd.h;
 *   3. add a row to commands[] below;
 *   4. document it in cmd/licpack.1 (tests/e2e/manpage.sh checks that every
 *      long option is in --help and in the man page) and teach the
 *      completions in cmd/completion/ its arguments;
 *   5. add its tests under tests/.
 *
 * Hidden, for the tests and the shell completions: `licpack --list-commands`
 * and `licpack --list-options NAME` (NAME's long options, one a line,
 * "--name" or "--name=" when it takes a value, then " -x" when it has a
 * short form).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

#define COMMAND(name, fn, summary, summary_zh) \
	{ name, cmd_##fn, &help_##fn, summary, summary_zh }
static const command commands[] = {
	COMMAND("check", check, "check a folder: what is missing or wrong",
		"检查一个申请材料文件夹：缺什么、哪里不对"),
	COMMAND("build", build, "check, then write the packet: PDF, zip, manifest, reports",
		"检查后生成材料包：PDF、ZIP、清单和检查报告"),
	COMMAND("batch", batch, "check and build every applicant folder under ROOT, in parallel",
		"并行检查并生成 ROOT 下每个申请人文件夹的材料包"),
	COMMAND("batch-merge", batch_merge, "join the summaries of batch --shard runs",
		"合并 batch --shard 各分片的汇总"),
	COMMAND("init", init, "create a folder to fill in, with packet.json and README.txt",
		"新建待填写的文件夹，含 packet.json 和 README.txt"),
	COMMAND("templates", templates, "list, show or lint the templates",
		"列出、查看或校验材料模板"),
	COMMAND("portals", portals, "list or show the portal profiles of the upload folder",
		"列出或查看 upload/ 文件夹所针对的上传系统配置"),
	COMMAND("explain", explain, "what a finding code means and how to fix it",
		"解释检查结果代码的含义和处理办法"),
};
#undef COMMAND
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_main_usage(FILE *f)
{
	size_t i;

	fputs(TR("usage: licpack COMMAND [options]\n\nCommands:\n", "用法：licpack 命令 [选项]\n\n命令：\n"), f);
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, TR(commands[i].summary, commands[i].summary_zh));
	fputs(TR("\n'licpack COMMAND --help' shows a command's options; 'licpack --version' the version.\n"
		 "Messages in Chinese or English: --lang zh|en, or LANG (man licpack).\n",
		 "\n'licpack 命令 --help' 显示该命令的选项；'licpack --version' 显示版本。\n"
		 "提示信息的语言：--lang zh|en，或环境变量 LANG（见 'man licpack'）。\n"), f);
}

static const command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

/* `--list-options NAME`: the command's option table (options.h: list_options). */
static int list_command_options(const char *name)
{
	const command *c = name ? command_find(name) : NULL;

	if (!c) {
		lp_error(TR("--list-options: '%s' is not a command", "--list-options：'%s' 不是命令"), name ? name : "");
		return LP_EXIT_USAGE;
	}
	list_options(stdout, c->help->options);
	return LP_EXIT_OK;
}

/* A full disk or a closed pipe must not pass as success (git's run_builtin). */
static int finish_stdout(int ret)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		lp_error(TR("cannot write to standard output: %s", "无法写入标准输出（%s）"), msg_strerror(errno));
		return LP_EXIT_IO;
	}
	if (fclose(stdout) != 0) {
		lp_error(TR("cannot close standard output: %s", "无法关闭标准输出（%s）"), msg_strerror(errno));
		return LP_EXIT_IO;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const command *c;
	size_t i;

	/* before anything can be printed: the language of the messages */
	msg_lang_init(argc, argv);
	if (argc < 2) {
		print_main_usage(stderr);
		return LP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		print_main_usage(stdout);
		return finish_stdout(LP_EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("licpack %s\n", LICPACK_VERSION);
		return finish_stdout(LP_EXIT_OK);
	}
	if (strcmp(argv[1], "--list-commands") == 0) {
		for (i = 0; i < N_COMMANDS; i++)
			printf("%s\n", commands[i].name);
		return finish_stdout(LP_EXIT_OK);
	}
	if (strcmp(argv[1], "--list-options") == 0)
		return finish_stdout(list_command_options(argc > 2 ? argv[2] : NULL));
	if ((c = command_find(argv[1])))
		return finish_stdout(c->fn(argc - 1, argv + 1));
	lp_error(TR("'%s' is not a command", "'%s' 不是 licpack 的命令"), argv[1]);
	print_main_usage(stderr);
	return LP_EXIT_USAGE;
}
