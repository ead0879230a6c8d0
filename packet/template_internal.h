/*
 * template_internal: what the template module's files share, private to
 * them (packet/template_schema.c, template_set.c, template_resolve.c).
 *
 * A template file is loaded into a `struct tdoc` (its checked cJSON tree)
 * by template_set.c, using the syntax and schema checks of
 * template_schema.c; template_resolve.c applies the documents of an
 * `extends` chain as layers onto one flat `template`. Status values are
 * T_OK, T_INVALID (2, a template error) and T_IO (3, I/O or memory); every
 * function that fails writes its message into err and returns the status.
 */
#ifndef LICPACK_TEMPLATE_INTERNAL_H
#define LICPACK_TEMPLATE_INTERNAL_H

#include "packet/error.h"
#include "packet/template.h"

#include <cjson/cJSON.h>
#include <stddef.h>

enum { T_OK = 0, T_INVALID = 2, T_IO = 3 };

#define TEMPLATE_MAX_FILE (1024 * 1024)
#define ID_MAX_LEN 64
/* Large enough for any real count, page or day number, small enough that
 * arithmetic on it in the checks cannot overflow an int. */
#define WHOLE_MAX 1000000000.0
/* Doubles hold every whole number up to 2^53 exactly. */
#define BYTES_MAX 9007199254740992.0
#define PATH_LEN 256

/* One template file as loaded: its checked JSON and what resolving needs. */
struct tdoc {
	char *name;           /* for messages: the path, or the built-in file name */
	char *origin;         /* "builtin" or the path */
	cJSON *json;
	const char *id;       /* inside json */
	const char *extends;  /* inside json, or NULL */
	int abstract;
	const char **regions; /* cache: region ids of this doc and its bases, sorted */
	size_t n_regions;
};

struct template_set {
	struct tdoc *docs;
	size_t n_docs;
	const char **ids;     /* cache: the ids of non-abstract docs, sorted */
	size_t n_ids;
};

/* Where a check is (the file's name, for messages) and the message buffer;
 * used when loading and when applying a document as a layer. */
typedef struct {
	const char *file;
	lp_err *err;
	int *n_bad;     /* when not NULL: schema errors are counted and each one
			   after the first is added to err on a new line, so that
			   one pass reports them all; NULL: err holds the last */
} vctx;

/* The keys of `rules` and where each goes in template_rules. Whole numbers
 * are days, or 万元 for capital; lists replace the inherited list whole. */
enum rule_kind { RULE_WHOLE, RULE_BOOL, RULE_ROLES, RULE_IDS };

struct rule_spec {
	const char *name;
	enum rule_kind kind;
	size_t field;         /* offsetof the int, or of the char ** of a list */
	size_t count;         /* lists: offsetof the size_t count */
};

/* template_schema.c: messages, syntax, schema. */
/* err set to code with its arguments; the value is ret (a T_ result). */
#define tpl_fail(err, ret, code, ...) ((void)lp_fail((err), (code), __VA_ARGS__), (ret))
int tpl_oom(lp_err *err); /* "out of memory", T_IO */
/* One problem of a template (see vctx's n_bad); T_INVALID. */
#define tpl_problem(v, code, ...) \
	tpl_problem_args((v), (code), LP_ERROR_NARGS(__VA_ARGS__), LP_ERROR_ARGS(__VA_ARGS__))
int tpl_problem_args(const vctx *v, lp_errcode code, size_t nargs, const char *const *args);
void tpl_cut_printf(char *out, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tpl_join(char *out, const char *prefix, const char *key);
void tpl_index_path(char *out, const char *prefix, size_t i);
const cJSON *tpl_member(const cJSON *obj, const char *key);
int tpl_parse_text(const char *name, const char *text, size_t len, cJSON **root,
		   lp_err *err);
int tpl_want_doc(const vctx *v, const cJSON *root);
read_doc_kind tpl_read_kind(const char *name); /* READ_DOC_UNKNOWN: no such name */
extern const char *const tpl_per_names[];
extern const char *const tpl_expiry_names[];
extern const char *const tpl_role_names[];
extern const struct rule_spec tpl_rule_specs[];

/* template_set.c: documents and the set. */
void tpl_doc_release(struct tdoc *d);
int tpl_read_doc(struct tdoc *d, const char *path, lp_err *err);
const struct tdoc *tpl_set_find(const template_set *set, const char *id);
int tpl_chain_build(const template_set *set, const struct tdoc *start,
		    const struct tdoc ***out, size_t *n, lp_err *err);
int tpl_regions_of(const template_set *set, const struct tdoc *start, const char ***out,
		   size_t *n);

#endif
