/*
 * licpack — check a folder of scans for a Chinese telecom licence application
 * and build the submission packet. This file is the entry point: one table of
 * subcommands, and the exit path that makes sure stdout really was written.
 *
 * To add a subcommand:
 *   1. write cmd/NAME.c with `int cmd_NAME(int argc, char **argv)` and a
 *      `const char usage_NAME[]` (the whole --help text, written once);
 *   2. declare both in cmd/cmd.h;
 *   3. add a row to commands[] below;
 *   4. add its tests under tests/ (the option-coverage test reads usage_NAME).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

static const command commands[] = {
	{ "check", cmd_check, usage_check, "check a folder: what is missing or wrong" },
	{ "build", cmd_build, usage_build, "check, then write the packet: PDF, zip, manifest, reports" },
	{ "batch", cmd_batch, usage_batch, "check and build every applicant folder under ROOT, in parallel" },
	{ "batch-merge", cmd_batch_merge, usage_batch_merge, "join the summaries of batch --shard runs" },
	{ "init", cmd_init, usage_init, "create a folder to fill in, with packet.json and README.txt" },
	{ "templates", cmd_templates, usage_templates, "list, show or lint the templates" },
};

static void print_main_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: licpack COMMAND [options]\n\nCommands:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'licpack COMMAND --help' shows a command's options; 'licpack --version' the version.\n");
}

/* A full disk or a closed pipe must not pass as success (git's run_builtin). */
static int finish_stdout(int ret)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		lp_error("cannot write to standard output: %s", strerror(errno));
		return LP_EXIT_IO;
	}
	if (fclose(stdout) != 0) {
		lp_error("cannot close standard output: %s", strerror(errno));
		return LP_EXIT_IO;
	}
	return ret;
}

int main(int argc, char **argv)
{
	size_t i;

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
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return finish_stdout(commands[i].fn(argc - 1, argv + 1));
	lp_error("'%s' is not a command", argv[1]);
	print_main_usage(stderr);
	return LP_EXIT_USAGE;
}
