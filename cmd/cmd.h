/*
 * cmd: the command line. main.c holds the table of subcommands; each lives in
 * its own file (check.c, templates.c, ...) and follows the same shape: parse
 * argv into an options struct, call the core in packet/ or pdf/, print, and
 * return an exit code (packet/check.h: lp_exit). Only cmd/ prints usage and
 * decides the process's exit status.
 */
#ifndef LICPACK_CMD_H
#define LICPACK_CMD_H

#include <getopt.h>
#include <stdio.h>

#include "packet/error.h"
#include "cmd/msg.h"
#include "cmd/options.h"
#include "packet/check.h"
#include "packet/read_check.h"
#include "packet/report.h"
#include "packet/template.h"

#define LICPACK_VERSION "0.1.0"

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const cmd_help *help;         /* its --help and its one table of options (options.h) */
	const char *summary;          /* one line for `licpack --help` */
	const char *summary_zh;
} command;

/* Each command: its function, and its --help with its one table of options
 * (the table its parser reads; `licpack --list-options NAME` prints it for
 * the tests and the shell completions). */
int cmd_check(int argc, char **argv);
extern const cmd_help help_check;
int cmd_build(int argc, char **argv);
extern const cmd_help help_build;
int cmd_batch(int argc, char **argv);
extern const cmd_help help_batch;
int cmd_batch_merge(int argc, char **argv);
extern const cmd_help help_batch_merge;
int cmd_init(int argc, char **argv);
extern const cmd_help help_init;
int cmd_templates(int argc, char **argv);
extern const cmd_help help_templates;
int cmd_explain(int argc, char **argv);
int cmd_portals(int argc, char **argv);
extern const cmd_help help_portals;
extern const cmd_help help_explain;

/* "licpack: " + message + newline, on stderr. Write the message with
 * TR("english", "中文") (msg.h). */
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

/* A usage error: "licpack: <msg>" and a pointer to --help (in the message
 * language); returns LP_EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After getopt_long returned '?' or ':' (optstring starting with ':'): say
 * which option was wrong, without getopt's own message. Returns LP_EXIT_USAGE. */
int option_error(const char *cmd, int c, char **argv);

/* After parsing: the language (--lang, else the locale), made the message
 * language. Returns 0 or LP_EXIT_USAGE, having said what is wrong. */
int settle_lang(const char *cmd, const char *lang_arg, lp_lang *lang);

/* After parsing: the language (--lang, else the locale; also made the
 * message language) and today's date (--today, SOURCE_DATE_EPOCH or the
 * clock). Returns 0 or LP_EXIT_USAGE, having said what is wrong. */
int settle_lang_today(const char *cmd, const char *lang_arg, lp_lang *lang, const char *today_arg, long *today);

/* What the options that check, build and batch share set. */
typedef struct {
	const char *templates_dir;  /* --templates */
	const char *lang;           /* --lang */
	const char *today;          /* --today */
	const char *font;           /* --font (build, batch) */
	int allow_incomplete;       /* --allow-incomplete (build, batch) */
	int no_watermark;           /* --no-watermark (build, batch) */
	int id_separate;            /* --id-layout separate (build, batch) */
	int no_upload;              /* --no-upload (build, batch) */
	uint64_t max_pdf_bytes;     /* --max-pdf-mb, in bytes (build); 0: one PDF */
	int no_thumbnails;          /* --no-thumbnails (check, build, batch) */
	int ascii_names;            /* --zip-names ascii (build, batch) */
	int sync;                   /* --sync (build, batch) */
	int no_read;                /* --no-read, or LICPACK_NO_READ set (check, build, batch) */
	const char *cache;          /* --cache DIR */
	int no_cache;               /* --no-cache */
	struct read_setup read;     /* what reading_start made; check.read points here */
	char cache_dir[4096];       /* the cache folder in use */
	check_options check;        /* -t, -r, --max-pixels and --max-depth land here */
} folder_args;

/* What the environment says for the check: LICPACK_SOFFICE, the
 * LibreOffice program that converts Office documents (o->soffice). */
void check_options_env(check_options *o);

/* Take option c (its argument in optarg) if it is one of the shared ones:
 * returns 1 when taken, else LP_EXIT_USAGE after saying what is wrong (a bad
 * value, or an option the command does not know). Which of them a command
 * accepts is decided by its getopt table. */
int folder_option(const char *cmd, int c, char **argv, folder_args *f);

/* Reading the scans (cmd/reading.c): unless --no-read or LICPACK_NO_READ,
 * open the reader (a missing language data gives read-unavailable, not an
 * error) and the cache, and point f->check.read at them. reading_stop
 * frees what reading_start made; both are safe to call once each. */
void reading_start(folder_args *f);
void reading_stop(folder_args *f);

#endif
