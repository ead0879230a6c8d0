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
 * Errors that come back from packet/ and pdf/ in err buffers are English
 * (those layers have no language of their own and other engineers own them).
 * msg_lib() translates the common ones where cmd/ prints them: the pattern
 * table in msg.c covers reading, creating and writing files, out of memory,
 * unknown templates and regions, template syntax errors, summaries; the
 * errno text inside them (strerror) is translated too. An error it does not
 * know is printed behind a Chinese sentence saying what failed, with the
 * English detail kept in parentheses: technical, and better shown as the
 * library wrote it than guessed at.
 *
 * State: one variable, the language (global mutable state is allowed in cmd/
 * only; batch's children inherit it across fork).
 */
#ifndef LICPACK_MSG_H
#define LICPACK_MSG_H

#include <stddef.h>

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

/* A library error (English, from an err buffer) in the message language:
 * err itself in English; in Chinese, its translation, or
 * "<fallback_zh>（<err>）" when msg.c has no pattern for it. The result is
 * err or buf (len bytes). */
const char *msg_lib(const char *err, const char *fallback_zh, char *buf, size_t len);

/* lp_error() of msg_lib(err, fallback_zh). */
void lp_error_lib(const char *err, const char *fallback_zh);

#endif
