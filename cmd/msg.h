/*
 * msg: every message licpack prints of its own (errors, usage, progress)
 * exists in English and in Chinese; this is how cmd/ writes and picks them.
 *
 * Writing a message: both versions side by side, as two string literals:
 *
 *     lp_error(TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), path, msg_strerror(errno));
 *
 * TR(en, zh) is an expression choosing one of the two by the message
 * language. GCC's -Wformat checks both arms of the ?: against the arguments,
 * so the two versions cannot disagree about their conversions (they must take
 * the arguments in the same order). No catalogue file, no message ids: the
 * English text stays greppable where it is used, with its Chinese beside it.
 *
 * The message language is decided before anything can be printed:
 * msg_lang_init() (first thing in main) takes it from LC_ALL, LC_MESSAGES or
 * LANG, then from a valid `--lang zh|en` anywhere on the command line; a
 * command confirms it with msg_set_lang() once its parser has read --lang.
 * So `licpack check --frobnicate --lang zh` complains in Chinese, and a bad
 * `--lang fr` is reported in the environment's language.
 *
 * Errors that come back from packet/ and pdf/ are values (lp_err, see
 * packet/error.h) that already hold their message in both languages, from
 * the one table of errors: msg_err() picks the one to print. Nothing is
 * translated back from English.
 *
 * State: one variable, the language (global mutable state is allowed in cmd/
 * only; batch's children inherit it across fork).
 */
#ifndef LICPACK_MSG_H
#define LICPACK_MSG_H

#include <stddef.h>
#include <stdio.h>

#include "packet/error.h"
#include "packet/report.h"

/* From the environment, then from --lang VALUE / --lang=VALUE in argv (a
 * value other than zh or en is left for the command to refuse). */
void msg_lang_init(int argc, char **argv);
void msg_set_lang(lp_lang lang);
lp_lang msg_lang(void);

/* One of two string literals, by the message language (see above). */
#define TR(en, zh) (msg_lang() == LANG_ZH ? (zh) : (en))

/* strerror(errnum), in Chinese for the common errors when the language is zh. */
const char *msg_strerror(int errnum);

/* The text of an error of packet/ or pdf/ in the message language. */
const char *msg_err(const lp_err *err);

/* err set to a message of cmd/'s own, in both languages: en and zh are
 * printf formats taking the same arguments (checked as TR's are); code
 * LP_E_CMD. Returns -1. At least one argument. */
#define msg_fail(err, en, zh, ...) \
	(0 && printf(en, __VA_ARGS__) && printf(zh, __VA_ARGS__) ? -1 : msg_fail_args((err), (en), (zh), __VA_ARGS__))
int msg_fail_args(lp_err *err, const char *en, const char *zh, ...);
/* As msg_fail, for a message without arguments. */
int msg_text(lp_err *err, const char *en, const char *zh);

/* lp_error() of each line of msg_err(err) ("templates lint" returns every
 * problem of a file, one a line). */
void lp_error_show(const lp_err *err);

#endif
