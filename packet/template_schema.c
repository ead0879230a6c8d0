/*
 * template_schema: reading one template file and checking it against the
 * schema on its own (see templates/README.md for the schema).
 *
 * tpl_parse_text checks that a file's text is UTF-8 JSON, with the line and
 * column of a syntax error; tpl_want_doc checks the parsed tree: every key
 * known and not repeated, every value of the right type, ids well formed,
 * no duplicates, each error with its field path ("materials[2].count.min").
 * Checks that need the merged template are template_resolve.c's. Also here:
 * the message helpers the module's files share (tpl_fail, tpl_join, ...)
 * and the tables of names (per, expiry, roles, rule keys). Nothing here
 * prints or keeps state.
 */
#include "packet/template_internal.h"

#include "packet/jsontext.h"
#include "packet/probe.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int tpl_oom(lp_err *err)
{
	lp_nomem(err);
	return T_IO;
}

/* ---------------------------------------------------------------- text --- */

/* Offset of the first byte of data that is not valid UTF-8 (or is a NUL,
 * which would cut the text short for cJSON), or len when all is well. Kept
 * here rather than using utf8_valid() because the message needs where. */
static size_t utf8_bad_offset(const unsigned char *d, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = d[i];
		size_t need, k;
		uint32_t cp, min;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			need = 2, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			need = 3, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			need = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		for (k = 1; k < need; k++) {
			if (i + k >= len || (d[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (d[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need;
	}
	return len;
}

/* Up to 16 characters of the line at text[off], for "near '...'". When the
 * parser stopped at the end of a line (cJSON reports some errors one past
 * the offending token), the characters just before it on the same line are
 * shown instead. Empty when there is nothing on the line either way. */
static void snippet_at(const char *text, size_t len, size_t off, char *out, size_t outlen)
{
	size_t start = off, end, chars = 0, n;

	if (off >= len || text[off] == '\n' || text[off] == '\r') {
		/* step back over at most 16 characters, not past the line start */
		while (start > 0 && text[start - 1] != '\n' && text[start - 1] != '\r' && chars < 16) {
			start--;
			if (((unsigned char)text[start] & 0xC0) != 0x80)
				chars++;
		}
		while (start < off && (text[start] == ' ' || text[start] == '\t'))
			start++;
		end = off;
	} else {
		end = off;
		while (end < len && text[end] != '\n' && text[end] != '\r' && chars < 16) {
			end++;
			while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80)
				end++;
			chars++;
		}
	}
	n = end - start;
	if (n >= outlen)
		n = outlen - 1; /* cannot happen with 16 characters and outlen 80 */
	memcpy(out, text + start, n);
	out[n] = '\0';
	/* control characters (other than tab) would garble the message */
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			*p = '?';
}

/* Parse one template file's bytes (text[len] must be NUL). Returns 0 with
 * *root set (caller deletes it), or 2 with err filled. */
int tpl_parse_text(const char *name, const char *text, size_t len, cJSON **root,
		   lp_err *err)
{
	const char *end = NULL;
	size_t bad;
	int line, col;
	char near[80], ln[16], cl[16], byte[8];

	*root = NULL;
	if (len == 0)
		return tpl_fail(err, T_INVALID, LP_E_TPL_EMPTY, name);
	if (len > TEMPLATE_MAX_FILE)
		return tpl_fail(err, T_INVALID, LP_E_TPL_TOO_BIG, name);
	if (strspn(text, " \t\r\n") == len)
		return tpl_fail(err, T_INVALID, LP_E_TPL_BLANK, name);
	bad = utf8_bad_offset((const unsigned char *)text, len);
	if (bad < len) {
		text_position(text, bad, &line, &col);
		snprintf(ln, sizeof ln, "%d", line);
		snprintf(cl, sizeof cl, "%d", col);
		snprintf(byte, sizeof byte, "0x%02x", (unsigned char)text[bad]);
		return tpl_fail(err, T_INVALID, LP_E_TPL_UTF8, name, ln, cl, byte);
	}
	/* The length includes the NUL: with require_null_terminated, cJSON 1.7
	 * rejects every document whose length stops short of the terminator.
	 * The parse end comes back through `end`, not cJSON_GetErrorPtr(),
	 * which is global state shared between threads. */
	*root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	if (*root)
		return T_OK;
	bad = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
	text_position(text, bad, &line, &col);
	snprintf(ln, sizeof ln, "%d", line);
	snprintf(cl, sizeof cl, "%d", col);
	snippet_at(text, len, bad, near, sizeof near);
	if (near[0])
		return tpl_fail(err, T_INVALID, LP_E_TPL_SYNTAX_NEAR, name, ln, cl, near);
	while (bad < len && strchr(" \t\r\n", text[bad]))
		bad++;
	if (bad == len)
		return tpl_fail(err, T_INVALID, LP_E_TPL_SYNTAX_END, name, ln, cl);
	/* a blank line in the middle: nothing to quote */
	return tpl_fail(err, T_INVALID, LP_E_TPL_SYNTAX, name, ln, cl);
}

/* -------------------------------------------------------------- schema --- */


/* One problem found by a check: with v->n_bad, it is counted and each one
 * after the first goes on a new line of err; without, err holds it alone. */
int tpl_problem_args(const vctx *v, lp_errcode code, size_t nargs, const char *const *args)
{
	if (v->n_bad && (*v->n_bad)++ > 0)
		lp_error_append(v->err, code, nargs, args);
	else
		lp_error_set(v->err, code, 0, NULL, nargs, args);
	return T_INVALID;
}

/* A problem at a field: "<file>: <path>: <what>" ({1} and {2} of code). */
#define bad(v, path, code, ...) tpl_problem((v), (code), (v)->file, (path), __VA_ARGS__)

/* A number of a message, as text. */
static const char *num(char buf[32], double x)
{
	snprintf(buf, 32, "%.0f", x);
	return buf;
}

/* snprintf that may cut: field paths and labels only grow long with absurd
 * keys, and a cut message is still right about where it starts. (Through
 * vsnprintf so that -Wformat-truncation does not ask for a check that would
 * have nothing better to do.) */
void tpl_cut_printf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

void tpl_join(char *out, const char *prefix, const char *key)
{
	if (prefix[0])
		tpl_cut_printf(out, PATH_LEN, "%s.%s", prefix, key);
	else
		tpl_cut_printf(out, PATH_LEN, "%s", key);
}

void tpl_index_path(char *out, const char *prefix, size_t i)
{
	tpl_cut_printf(out, PATH_LEN, "%s[%zu]", prefix, i);
}

/* 1 when s is a valid id: a-z, 0-9 and '-', not starting or ending with '-'. */
static int id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ID_MAX_LEN || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* 1 when a key of obj before a has a's name (cJSON keeps both copies of a
 * repeated key and finds the first). */
static int repeated_key(const cJSON *obj, const cJSON *a)
{
	for (const cJSON *b = obj->child; b != a; b = b->next)
		if (strcmp(a->string, b->string) == 0)
			return 1;
	return 0;
}

/* Unknown and repeated keys. cJSON keeps both copies of a repeated key and
 * finds the first, so a second "seal" would otherwise be silently ignored. */
static int check_keys(const vctx *v, const cJSON *obj, const char *path,
		      const char *const *allowed)
{
	const cJSON *a;
	char p[PATH_LEN];
	int ret = T_OK;

	for (a = obj->child; a; a = a->next) {
		size_t k;
		for (k = 0; allowed[k]; k++)
			if (strcmp(a->string, allowed[k]) == 0)
				break;
		tpl_join(p, path, a->string);
		if (!allowed[k]) {
			ret = bad(v, p, LP_E_TPL_UNKNOWN_KEY);
			continue;
		}
		if (repeated_key(obj, a))
			ret = bad(v, p, LP_E_TPL_DUP_KEY);
	}
	return ret;
}

/* The member called key, matched exactly (cJSON_GetObjectItem ignores case). */
const cJSON *tpl_member(const cJSON *obj, const char *key)
{
	return obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static int want_whole(const vctx *v, const cJSON *it, const char *path, double min, double max)
{
	char n[32];

	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < min ||
	    it->valuedouble != floor(it->valuedouble))
		return bad(v, path, LP_E_TPL_WHOLE_MIN, num(n, min));
	if (it->valuedouble > max)
		return bad(v, path, LP_E_TPL_TOO_LARGE, num(n, max));
	return T_OK;
}

static int want_bool(const vctx *v, const cJSON *it, const char *path)
{
	return cJSON_IsBool(it) ? T_OK : bad(v, path, LP_E_TPL_BOOL);
}

static int want_string(const vctx *v, const cJSON *it, const char *path)
{
	if (!cJSON_IsString(it) || !it->valuestring[0])
		return bad(v, path, LP_E_TPL_NONEMPTY_STRING);
	return T_OK;
}

static int want_id(const vctx *v, const cJSON *it, const char *path)
{
	if (want_string(v, it, path))
		return T_INVALID;
	if (!id_ok(it->valuestring))
		return bad(v, path, LP_E_TPL_BAD_ID, it->valuestring);
	return T_OK;
}

/* An optional {"zh": ..., "en": ...}; with need_zh, zh must be there. */
static int want_text2(const vctx *v, const cJSON *parent, const char *key, const char *prefix,
		      int need_zh)
{
	static const char *const keys[] = { "zh", "en", NULL };
	const cJSON *it = tpl_member(parent, key), *s;
	char p[PATH_LEN], q[PATH_LEN];

	tpl_join(p, prefix, key);
	if (!it) {
		if (!need_zh)
			return T_OK;
		tpl_join(q, p, "zh");
		return bad(v, q, LP_E_TPL_MISSING_KEY);
	}
	if (!cJSON_IsObject(it))
		return bad(v, p, LP_E_TPL_OBJECT);
	if (check_keys(v, it, p, keys))
		return T_INVALID;
	tpl_join(q, p, "zh");
	s = tpl_member(it, "zh");
	if (!s && need_zh)
		return bad(v, q, LP_E_TPL_MISSING_KEY);
	if (s && want_string(v, s, q))
		return T_INVALID;
	tpl_join(q, p, "en");
	s = tpl_member(it, "en");
	if (s && want_string(v, s, q))
		return T_INVALID;
	return T_OK;
}

/* An array of non-empty strings; with ids, each a valid id; no repeats. */
static int want_strings(const vctx *v, const cJSON *it, const char *path, int ids,
			const char *repeat_what)
{
	const cJSON *a, *b;
	char p[PATH_LEN];
	size_t i = 0;

	if (!cJSON_IsArray(it))
		return bad(v, path, LP_E_TPL_ARRAY);
	for (a = it->child; a; a = a->next, i++) {
		tpl_index_path(p, path, i);
		if (ids ? want_id(v, a, p) : want_string(v, a, p))
			return T_INVALID;
		if (!repeat_what)
			continue;
		/* aliases differing only in ASCII case match the same files */
		for (b = it->child; b != a; b = b->next)
			if (strcasecmp(a->valuestring, b->valuestring) == 0)
				return bad(v, p, LP_E_TPL_DUP_ITEM, repeat_what, a->valuestring);
	}
	return T_OK;
}

static int want_count(const vctx *v, const cJSON *m, const char *prefix)
{
	static const char *const keys[] = { "min", "max", NULL };
	const cJSON *it = tpl_member(m, "count"), *min, *max;
	char p[PATH_LEN], q[PATH_LEN], n[32];

	if (!it)
		return T_OK;
	tpl_join(p, prefix, "count");
	if (!cJSON_IsObject(it))
		return bad(v, p, LP_E_TPL_OBJECT);
	if (check_keys(v, it, p, keys))
		return T_INVALID;
	min = tpl_member(it, "min");
	max = tpl_member(it, "max");
	tpl_join(q, p, "min");
	if (min && want_whole(v, min, q, 0, WHOLE_MAX))
		return T_INVALID;
	tpl_join(q, p, "max");
	if (max && want_whole(v, max, q, 0, WHOLE_MAX))
		return T_INVALID;
	/* only when both are here: a patch may give one and inherit the other,
	 * and the merged pair is checked when resolving */
	if (min && max && max->valuedouble != 0 && max->valuedouble < min->valuedouble)
		return bad(v, q, LP_E_TPL_COUNT_MAX, num(n, min->valuedouble));
	return T_OK;
}

static int want_enum(const vctx *v, const cJSON *it, const char *path, const char *const *names,
		     const char *expected)
{
	if (cJSON_IsString(it))
		for (size_t k = 0; names[k]; k++)
			if (strcmp(it->valuestring, names[k]) == 0)
				return T_OK;
	return bad(v, path, LP_E_TPL_ONE_OF, expected);
}

/* In enum order (template.h): the index is the value. */
const char *const tpl_per_names[] = { "none", "domain", "staff", "shareholder", NULL };
const char *const tpl_expiry_names[] = {
	"none", "id_card", "domain", "licence", "prerequisite", "contract", NULL
};
/* The staff roles packet.json may give (staff[].role): 联系人, 信息安全负责人,
 * 客服负责人. A material's `roles` and rules.staff_roles use these. */
const char *const tpl_role_names[] = { "contact", "security", "service", NULL };

/* An array of role names, none repeated (an empty array is allowed). */
static int want_roles(const vctx *v, const cJSON *it, const char *path)
{
	const cJSON *a, *b;
	char p[PATH_LEN];
	size_t i = 0;

	if (!cJSON_IsArray(it))
		return bad(v, path, LP_E_TPL_ARRAY);
	for (a = it->child; a; a = a->next, i++) {
		size_t k;
		tpl_index_path(p, path, i);
		if (want_string(v, a, p))
			return T_INVALID;
		for (k = 0; tpl_role_names[k]; k++)
			if (strcmp(a->valuestring, tpl_role_names[k]) == 0)
				break;
		if (!tpl_role_names[k])
			return bad(v, p, LP_E_TPL_ROLE, a->valuestring);
		for (b = it->child; b != a; b = b->next)
			if (strcmp(a->valuestring, b->valuestring) == 0)
				return bad(v, p, LP_E_TPL_DUP_ROLE, a->valuestring);
	}
	return T_OK;
}

static int want_formats(const vctx *v, const cJSON *it, const char *path)
{
	const cJSON *a;
	char p[PATH_LEN];
	size_t i = 0;

	if (!cJSON_IsArray(it))
		return bad(v, path, LP_E_TPL_ARRAY);
	if (!it->child)
		return bad(v, path, LP_E_TPL_NO_FORMAT);
	for (a = it->child; a; a = a->next, i++) {
		tpl_index_path(p, path, i);
		if (want_string(v, a, p))
			return T_INVALID;
		if (format_from_name(a->valuestring) == FMT_UNKNOWN)
			return bad(v, p, LP_E_TPL_FORMAT, a->valuestring);
	}
	return T_OK;
}

/* obj's optional list `key` (at prefix.key): strings, or ids when ids. */
static int want_key_strings(const vctx *v, const cJSON *obj, const char *prefix, const char *key, int ids,
			    const char *what)
{
	const cJSON *it = tpl_member(obj, key);
	char p[PATH_LEN];

	if (!it)
		return T_OK;
	tpl_join(p, prefix, key);
	return want_strings(v, it, p, ids, what);
}

/* The kinds of document `read.as` names, in read_doc_kind order (read_fields.h):
 * the index is the value; READ_DOC_UNKNOWN (0) has no name. */
static const char *const read_names[] = {
	NULL, "business-licence", "id-portrait", "id-emblem", "domain-certificate", "licence", "signed-form"
};
#define READ_NAMES_LIST "business-licence, id-portrait, id-emblem, domain-certificate, licence or signed-form"

const char *template_read_name(read_doc_kind kind)
{
	return (size_t)kind < sizeof read_names / sizeof read_names[0] ? read_names[kind] : NULL;
}

read_doc_kind tpl_read_kind(const char *name)
{
	for (size_t k = 1; k < sizeof read_names / sizeof read_names[0]; k++)
		if (strcmp(read_names[k], name) == 0)
			return (read_doc_kind)k;
	return READ_DOC_UNKNOWN;
}

/* A material's `read` (at path): false, or {"as": kind, "own": bool,
 * "signed_within_days": n}, the window only for a signed form. */
static int want_read(const vctx *v, const cJSON *it, const char *path)
{
	static const char *const keys[] = { "as", "own", "signed_within_days", NULL };
	const cJSON *as, *x;
	char p[PATH_LEN];
	int ret;

	if (cJSON_IsFalse(it))
		return T_OK;
	if (!cJSON_IsObject(it))
		return bad(v, path, LP_E_TPL_OBJECT_OR_FALSE);
	ret = check_keys(v, it, path, keys);
	tpl_join(p, path, "as");
	if (!(as = tpl_member(it, "as")))
		ret = bad(v, p, LP_E_TPL_MISSING_KEY);
	else if (want_string(v, as, p))
		ret = T_INVALID;
	else if (!tpl_read_kind(as->valuestring))
		ret = bad(v, p, LP_E_TPL_READ_KIND, as->valuestring, READ_NAMES_LIST);
	tpl_join(p, path, "own");
	if ((x = tpl_member(it, "own")) && want_bool(v, x, p))
		ret = T_INVALID;
	tpl_join(p, path, "signed_within_days");
	if ((x = tpl_member(it, "signed_within_days"))) {
		if (want_whole(v, x, p, 1, WHOLE_MAX))
			ret = T_INVALID;
		else if (cJSON_IsString(as) && tpl_read_kind(as->valuestring) &&
			 tpl_read_kind(as->valuestring) != READ_DOC_SIGNED_FORM)
			ret = bad(v, p, LP_E_TPL_SIGNED_ONLY, as->valuestring);
	}
	return ret;
}

/* One material object at prefix ("materials[2]"). need_title: it cannot be a
 * patch of an inherited material, so it must be complete. */
static int want_material(const vctx *v, const cJSON *m, const char *prefix, int need_title)
{
	static const char *const keys[] = {
		"id", "title", "aliases", "required", "count", "per", "formats", "max_bytes",
		"min_long_edge", "min_dpi", "colour", "seal", "watermark", "expiry", "roles",
		"stands_for", "sources", "read", NULL
	};
	static const char *const bools[] = { "required", "colour", "seal", "watermark", NULL };
	const cJSON *it;
	char p[PATH_LEN];
	int ret;

	if (!cJSON_IsObject(m))
		return bad(v, prefix, LP_E_TPL_OBJECT);
	ret = check_keys(v, m, prefix, keys);
	tpl_join(p, prefix, "id");
	it = tpl_member(m, "id");
	if (!it)
		ret = bad(v, p, LP_E_TPL_MISSING_KEY);
	else if (want_id(v, it, p))
		ret = T_INVALID;
	if (want_text2(v, m, "title", prefix, need_title) || want_count(v, m, prefix))
		ret = T_INVALID;
	if (want_key_strings(v, m, prefix, "aliases", 0, "alias"))
		ret = T_INVALID;
	for (size_t k = 0; bools[k]; k++) {
		tpl_join(p, prefix, bools[k]);
		if ((it = tpl_member(m, bools[k])) && want_bool(v, it, p))
			ret = T_INVALID;
	}
	tpl_join(p, prefix, "per");
	if ((it = tpl_member(m, "per")) &&
	    want_enum(v, it, p, tpl_per_names, "domain, staff, shareholder, none"))
		ret = T_INVALID;
	tpl_join(p, prefix, "expiry");
	if ((it = tpl_member(m, "expiry")) &&
	    want_enum(v, it, p, tpl_expiry_names, "id_card, domain, licence, prerequisite, contract, none"))
		ret = T_INVALID;
	tpl_join(p, prefix, "roles");
	if ((it = tpl_member(m, "roles")) && want_roles(v, it, p))
		ret = T_INVALID;
	if (want_key_strings(v, m, prefix, "stands_for", 1, "id"))
		ret = T_INVALID;
	if (want_key_strings(v, m, prefix, "sources", 0, NULL))
		ret = T_INVALID;
	tpl_join(p, prefix, "formats");
	if ((it = tpl_member(m, "formats")) && want_formats(v, it, p))
		ret = T_INVALID;
	tpl_join(p, prefix, "max_bytes");
	if ((it = tpl_member(m, "max_bytes")) && want_whole(v, it, p, 0, BYTES_MAX))
		ret = T_INVALID;
	tpl_join(p, prefix, "min_long_edge");
	if ((it = tpl_member(m, "min_long_edge")) && want_whole(v, it, p, 0, WHOLE_MAX))
		ret = T_INVALID;
	tpl_join(p, prefix, "min_dpi");
	if ((it = tpl_member(m, "min_dpi")) && want_whole(v, it, p, 0, WHOLE_MAX))
		ret = T_INVALID;
	tpl_join(p, prefix, "read");
	if ((it = tpl_member(m, "read")) && want_read(v, it, p))
		ret = T_INVALID;
	return ret;
}

static int want_materials(const vctx *v, const cJSON *arr, const char *path, int need_title)
{
	const cJSON *a, *b;
	char p[PATH_LEN], q[PATH_LEN];
	size_t i = 0;
	int ret = T_OK;

	if (!cJSON_IsArray(arr))
		return bad(v, path, LP_E_TPL_ARRAY);
	for (a = arr->child; a; a = a->next, i++) {
		const cJSON *id = tpl_member(a, "id");
		tpl_index_path(p, path, i);
		if (want_material(v, a, p, need_title))
			ret = T_INVALID;
		if (!cJSON_IsString(id))
			continue;
		for (b = arr->child; b != a; b = b->next) {
			const cJSON *other = tpl_member(b, "id");
			if (cJSON_IsString(other) && strcmp(other->valuestring, id->valuestring) == 0) {
				tpl_join(q, p, "id");
				ret = bad(v, q, LP_E_TPL_DUP_MATERIAL, id->valuestring);
				break;
			}
		}
	}
	return ret;
}

/* The keys of `rules` and where each goes in template_rules. Whole numbers
 * are days, or 万元 for capital; lists replace the inherited list whole. */
#define RULE(name, kind) { #name, kind, offsetof(template_rules, name), 0 }
#define RULE_LIST(name, kind) \
	{ #name, kind, offsetof(template_rules, name), offsetof(template_rules, n_##name) }

const struct rule_spec tpl_rule_specs[] = {
	RULE(id_card_min_valid_days, RULE_WHOLE),
	RULE(domain_min_valid_days, RULE_WHOLE),
	RULE(licence_renew_before_days, RULE_WHOLE),
	RULE(prerequisite_min_valid_days, RULE_WHOLE),
	RULE(capital_min_wan_provincial, RULE_WHOLE),
	RULE(capital_min_wan_nationwide, RULE_WHOLE),
	RULE(annual_report, RULE_BOOL),
	RULE(change_within_days, RULE_WHOLE),
	RULE(staff_min, RULE_WHOLE),
	RULE_LIST(staff_roles, RULE_ROLES),
	RULE_LIST(prerequisite_kinds, RULE_IDS),
	RULE(prerequisite_nationwide, RULE_BOOL),
	RULE(prerequisite_coverage, RULE_BOOL),
	RULE(staff_advised, RULE_WHOLE),
	RULE(foreign_share_max, RULE_WHOLE),
	RULE(capital_paid_in, RULE_BOOL),
	{ NULL, RULE_WHOLE, 0, 0 },
};

static const struct rule_spec *rule_find(const char *name)
{
	for (const struct rule_spec *r = tpl_rule_specs; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

/* A value of `rules`, as its rule's kind says. */
static int want_rule_value(const vctx *v, const cJSON *a, const char *p, enum rule_kind kind)
{
	switch (kind) {
	case RULE_WHOLE: return want_whole(v, a, p, 0, WHOLE_MAX);
	case RULE_BOOL: return want_bool(v, a, p);
	case RULE_ROLES: return want_roles(v, a, p);
	case RULE_IDS: return want_strings(v, a, p, 1, "kind");
	}
	return T_OK;
}

/* `rules` (sources 0: each value as its rule wants it) or `rule_sources`
 * (sources 1: for a key of `rules`, the sources of that rule): objects
 * keyed by the rules' names. As check_keys, a name no rule has is said
 * first (each time it appears: it is the mistake to fix), then a name
 * given twice. */
static int want_rule_map(const vctx *v, const cJSON *it, const char *path, int sources)
{
	char p[PATH_LEN];
	int ret = T_OK;

	if (!cJSON_IsObject(it))
		return bad(v, path, LP_E_TPL_OBJECT);
	for (const cJSON *a = it->child; a; a = a->next) {
		const struct rule_spec *r = rule_find(a->string);
		tpl_join(p, path, a->string);
		if (!r)
			ret = bad(v, p, sources ? LP_E_TPL_UNKNOWN_RULE : LP_E_TPL_UNKNOWN_KEY);
		else if (repeated_key(it, a))
			ret = bad(v, p, LP_E_TPL_DUP_KEY);
		else if (sources ? want_strings(v, a, p, 0, NULL) : want_rule_value(v, a, p, r->kind))
			ret = T_INVALID;
	}
	return ret;
}

/* The keys a layer (a template, or one region overlay) may have in common. */
static int want_layer_lists(const vctx *v, const cJSON *obj, const char *prefix, int need_title)
{
	const cJSON *it;
	char p[PATH_LEN];
	int ret = T_OK;

	tpl_join(p, prefix, "rules");
	if ((it = tpl_member(obj, "rules")) && want_rule_map(v, it, p, 0))
		ret = T_INVALID;
	tpl_join(p, prefix, "watermark");
	if ((it = tpl_member(obj, "watermark")) && want_bool(v, it, p))
		ret = T_INVALID;
	tpl_join(p, prefix, "materials");
	if ((it = tpl_member(obj, "materials")) && want_materials(v, it, p, need_title))
		ret = T_INVALID;
	if (want_key_strings(v, obj, prefix, "remove", 1, "id"))
		ret = T_INVALID;
	if (want_key_strings(v, obj, prefix, "order", 1, "id"))
		ret = T_INVALID;
	if (want_key_strings(v, obj, prefix, "sources", 0, NULL))
		ret = T_INVALID;
	tpl_join(p, prefix, "notes");
	if ((it = tpl_member(obj, "notes")) && !cJSON_IsString(it))
		ret = bad(v, p, LP_E_TPL_STRING);
	tpl_join(p, prefix, "rule_sources");
	if ((it = tpl_member(obj, "rule_sources")) && want_rule_map(v, it, p, 1))
		ret = T_INVALID;
	return ret;
}

static int want_regions(const vctx *v, const cJSON *it)
{
	static const char *const keys[] = {
		"title", "watermark", "rules", "materials", "remove", "order", "sources", "notes",
		"rule_sources", NULL
	};
	char p[PATH_LEN];
	int ret = T_OK;

	if (!cJSON_IsObject(it))
		return bad(v, "regions", LP_E_TPL_OBJECT);
	for (const cJSON *r = it->child; r; r = r->next) {
		tpl_join(p, "regions", r->string);
		if (repeated_key(it, r)) {
			ret = bad(v, p, LP_E_TPL_DUP_KEY);
			continue;
		}
		if (!id_ok(r->string))
			ret = bad(v, p, LP_E_TPL_BAD_ID, r->string);
		if (!cJSON_IsObject(r)) {
			ret = bad(v, p, LP_E_TPL_OBJECT);
			continue;
		}
		if (check_keys(v, r, p, keys) | want_text2(v, r, "title", p, 0) |
		    want_layer_lists(v, r, p, 0))
			ret = T_INVALID;
	}
	return ret;
}

/* The whole document, on its own. */
int tpl_want_doc(const vctx *v, const cJSON *root)
{
	static const char *const keys[] = {
		"id", "version", "licence", "action", "abstract", "extends", "title", "purpose",
		"rules", "watermark", "materials", "remove", "order", "regions", "sources", "notes",
		"rule_sources", NULL
	};
	const cJSON *it;
	int derived, ret;

	if (!cJSON_IsObject(root))
		return tpl_fail(v->err, T_INVALID, LP_E_TPL_TOP_OBJECT, v->file);
	/* every check runs, so that lint reports every problem at once */
	ret = check_keys(v, root, "", keys);
	if (!(it = tpl_member(root, "id")))
		ret = bad(v, "id", LP_E_TPL_MISSING_KEY);
	else if (want_id(v, it, "id"))
		ret = T_INVALID;
	if (!(it = tpl_member(root, "version")))
		ret = bad(v, "version", LP_E_TPL_MISSING_KEY);
	else if (want_whole(v, it, "version", 1, WHOLE_MAX))
		ret = T_INVALID;
	if ((it = tpl_member(root, "licence")) && want_id(v, it, "licence"))
		ret = T_INVALID;
	if ((it = tpl_member(root, "action")) && want_id(v, it, "action"))
		ret = T_INVALID;
	if ((it = tpl_member(root, "abstract")) && want_bool(v, it, "abstract"))
		ret = T_INVALID;
	if ((it = tpl_member(root, "extends")) && want_id(v, it, "extends"))
		ret = T_INVALID;
	derived = it != NULL;
	if (want_text2(v, root, "title", "", !derived) | want_text2(v, root, "purpose", "", 0))
		ret = T_INVALID;
	if (!derived && !tpl_member(root, "materials"))
		ret = bad(v, "materials", LP_E_TPL_MISSING_KEY);
	if (want_layer_lists(v, root, "", !derived))
		ret = T_INVALID;
	if ((it = tpl_member(root, "regions")) && want_regions(v, it))
		ret = T_INVALID;
	return ret;
}
