/*
 * error: what went wrong in the core, as a value.
 *
 * A function of packet/ or pdf/ that can fail takes an lp_err *err and,
 * when it fails, fills it with lp_fail() and friends: a code from the one
 * table of errors (packet/error_table.h), the errno of a failed system call
 * when there was one, and the message rendered in both languages from the
 * table's English and Chinese texts, as findings carry theirs. cmd/ picks the
 * language when it prints (cmd/msg.c); nothing in the core translates text
 * back, and a message reworded in the table keeps its Chinese beside it.
 *
 * The table's texts hold placeholders: {1} to {4} are the arguments given
 * (strings: a path, a name, a number the caller wrote out, a library's own
 * detail, which stays as the library said it), {e} the system error's text
 * in the message's language, {i} the text of an inner error (lp_fail_in) in
 * the message's language. Both texts of a code use {e} and {i} alike;
 * the arguments they show may differ (a finding's message given once in
 * each language). tests/unit/test_error.c checks every code of the table.
 *
 * Some callers collect several problems in one error (templates lint reports
 * every problem of a file): lp_error_add() appends a line to each language.
 */
#ifndef LICPACK_ERROR_H
#define LICPACK_ERROR_H

#include <stddef.h>

typedef enum {
	LP_OK = 0,
#define LP_ERROR(code, en, zh) LP_E_##code,
#include "packet/error_table.h"
#undef LP_ERROR
	LP_E_COUNT
} lp_errcode;

/* The longest message kept, in each language; a longer one is cut. */
#define LP_ERROR_TEXT 4096

typedef struct {
	lp_errcode code; /* LP_OK: nothing went wrong (yet) */
	int errnum;      /* errno of the failed system call, or 0 */
	char en[LP_ERROR_TEXT];
	char zh[LP_ERROR_TEXT];
} lp_err;

/* The arguments of the macros below are strings (const char *); a NULL one
 * reads as "". */
#define LP_ERROR_ARGS(...) ((const char *const[]){ NULL, __VA_ARGS__ })
#define LP_ERROR_NARGS(...) (sizeof LP_ERROR_ARGS(__VA_ARGS__) / sizeof(const char *) - 1)

/* Set err to code with its arguments; returns -1 (so that "return
 * lp_fail(...)" ends a failing function). err may be NULL. */
#define lp_fail(err, code, ...) \
	lp_error_set((err), (code), 0, NULL, LP_ERROR_NARGS(__VA_ARGS__), LP_ERROR_ARGS(__VA_ARGS__))
/* As lp_fail, for a failed system call: errnum fills {e}. */
#define lp_fail_sys(err, code, errnum, ...) \
	lp_error_set((err), (code), (errnum), NULL, LP_ERROR_NARGS(__VA_ARGS__), LP_ERROR_ARGS(__VA_ARGS__))
/* As lp_fail, around an inner error: its text fills {i}, its errno is kept. */
#define lp_fail_in(err, code, inner, ...) \
	lp_error_set((err), (code), 0, (inner), LP_ERROR_NARGS(__VA_ARGS__), LP_ERROR_ARGS(__VA_ARGS__))
/* As lp_fail, as one more line of err when it already holds an error. */
#define lp_error_add(err, code, ...) \
	lp_error_append((err), (code), LP_ERROR_NARGS(__VA_ARGS__), LP_ERROR_ARGS(__VA_ARGS__))

/* "out of memory" */
int lp_nomem(lp_err *err);

/* What the macros call: args[1..nargs] are the arguments (args[0] unused). */
int lp_error_set(lp_err *err, lp_errcode code, int errnum, const lp_err *inner, size_t nargs,
		 const char *const *args);
int lp_error_append(lp_err *err, lp_errcode code, size_t nargs, const char *const *args);

/* Clear err (LP_OK, no text). */
void lp_error_clear(lp_err *err);

/* Copy src into dst (dst may be NULL). */
void lp_error_copy(lp_err *dst, const lp_err *src);

/* The text of err in Chinese (zh != 0) or English; "" when it holds none. */
const char *lp_error_text(const lp_err *err, int zh);

/* The table, for tests and tools: code's English and Chinese texts with
 * their placeholders, and its name ("READ"); NULL past the end. */
const char *lp_error_template(lp_errcode code, int zh);
const char *lp_error_name(lp_errcode code);

#endif
