/*
 * cmd: the command line. main.c holds the table of subcommands; each lives in
 * its own file (check.c, templates.c, ...) and follows the same shape: parse
 * argv into an options struct, call the core in packet/ or pdf/, print, and
 * return an exit code (packet/check.h: lp_exit). Only cmd/ prints usage and
 * decides the process's exit status.
 */
#ifndef LICPACK_CMD_H
#define LICPACK_CMD_H

#include <stdio.h>

#include "packet/check.h"
#include "packet/report.h"
#include "packet/template.h"

#define LICPACK_VERSION "0.1.0"

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;    /* the whole --help text */
	const char *summary;  /* one line for `licpack --help` */
} command;

int cmd_check(int argc, char **argv);
int cmd_templates(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_batch_merge(int argc, char **argv);
extern const char usage_batch[];
extern const char usage_batch_merge[];
int cmd_init(int argc, char **argv);
extern const char usage_init[];
extern const char usage_build[];
extern const char usage_check[];
extern const char usage_templates[];

/* "licpack: " + message + newline, on stderr. */
void lp_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Language from --lang's value (NULL: from LC_ALL, LC_MESSAGES, LANG).
 * Returns 0, or -1 for a value other than zh/en. */
int lang_choose(const char *arg, lp_lang *out);

/* Colour on stdout: a terminal and NO_COLOR not set. */
int use_colour(FILE *f);

/* The built-in templates plus --templates DIR. Prints the error; returns 0 or an exit code. */
int templates_load(const char *dir, template_set **out);

/* --today YYYY-MM-DD (NULL: SOURCE_DATE_EPOCH, else the clock), as days since
 * 1970-01-01. Returns 0 or -1 for a bad value. */
int today_choose(const char *arg, long *days);

/* Print usage text to stdout (for --help) and return 0. */
int print_usage(const char *usage);

/* A usage error: "licpack: <msg>" and a pointer to --help; returns LP_EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After getopt_long returned '?' or ':' (optstring starting with ':'): say
 * which option was wrong, without getopt's own message. Returns LP_EXIT_USAGE. */
int option_error(const char *cmd, int c, char **argv);

#endif
