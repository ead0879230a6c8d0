/*
 * template: the required-materials lists, loaded from JSON (see template.h;
 * the schema and the merge rules are documented in templates/README.md).
 *
 * The module works in two stages. Loading (template_set_new, _add_dir,
 * _lint_file) reads each file, checks that it is UTF-8 JSON, and checks it
 * against the schema on its own: every key known, every value of the right
 * type, ids well formed, no duplicates. A document that passes is kept as its
 * cJSON tree. Resolving (template_resolve) then walks the `extends` chain from
 * the root base down to the template asked for and applies each document as a
 * layer onto one flat `template`, then the region overlays in the same order.
 * Checks that need the merged result (a patch naming a material that is not
 * there, count.max below count.min after patching, an alias shared by two
 * materials, staff roles on a material that is not per staff) happen there.
 * The `rules` (date windows, capital, staff, prerequisite) merge key by key;
 * their lists, like a material's aliases and roles, are replaced whole.
 *
 * Bases are looked up by id when resolving, not when loading, so that a
 * --templates DIR can override a base and every template built on it.
 * Nothing here prints or keeps global state; errors come back as a status
 * (0, 2 for a template error, 3 for I/O or memory) and a message.
 */
#include "packet/template.h"

#include "packet/builtin.h"
#include "packet/jsontext.h"
#include "packet/normalise.h"
#include "packet/probe.h"
#include "packet/util.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static int oom(char *err, size_t errlen)
{
	return fail(err, errlen, T_IO, "out of memory");
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
static int parse_text(const char *name, const char *text, size_t len, cJSON **root,
		      char *err, size_t errlen)
{
	const char *end = NULL;
	size_t bad;
	int line, col;
	char near[80];

	*root = NULL;
	if (len == 0)
		return fail(err, errlen, T_INVALID, "%s: file is empty", name);
	if (len > TEMPLATE_MAX_FILE)
		return fail(err, errlen, T_INVALID, "%s: file is larger than 1 MiB", name);
	if (strspn(text, " \t\r\n") == len)
		return fail(err, errlen, T_INVALID, "%s: file holds only white space", name);
	bad = utf8_bad_offset((const unsigned char *)text, len);
	if (bad < len) {
		text_position(text, bad, &line, &col);
		return fail(err, errlen, T_INVALID, "%s:%d:%d: not valid UTF-8 text (byte 0x%02x)",
			    name, line, col, (unsigned char)text[bad]);
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
	snippet_at(text, len, bad, near, sizeof near);
	if (near[0])
		return fail(err, errlen, T_INVALID, "%s:%d:%d: JSON syntax error near '%s'", name,
			    line, col, near);
	while (bad < len && strchr(" \t\r\n", text[bad]))
		bad++;
	if (bad == len)
		return fail(err, errlen, T_INVALID, "%s:%d:%d: JSON syntax error at end of file",
			    name, line, col);
	/* a blank line in the middle: nothing to quote */
	return fail(err, errlen, T_INVALID, "%s:%d:%d: JSON syntax error", name, line, col);
}

/* -------------------------------------------------------------- schema --- */

/* Where a check is (the file's name, for messages) and the message buffer;
 * used when loading and when applying a document as a layer. */
typedef struct {
	const char *file;
	char *err;
	size_t errlen;
} vctx;

static int bad(const vctx *v, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(const vctx *v, const char *path, const char *fmt, ...)
{
	char what[PATH_LEN * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return fail(v->err, v->errlen, T_INVALID, "%s: %s: %s", v->file, path, what);
}

/* snprintf that may cut: field paths and labels only grow long with absurd
 * keys, and a cut message is still right about where it starts. (Through
 * vsnprintf so that -Wformat-truncation does not ask for a check that would
 * have nothing better to do.) */
static void cut_printf(char *out, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cut_printf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

static void join(char *out, const char *prefix, const char *key)
{
	if (prefix[0])
		cut_printf(out, PATH_LEN, "%s.%s", prefix, key);
	else
		cut_printf(out, PATH_LEN, "%s", key);
}

static void index_path(char *out, const char *prefix, size_t i)
{
	cut_printf(out, PATH_LEN, "%s[%zu]", prefix, i);
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

/* Unknown and repeated keys. cJSON keeps both copies of a repeated key and
 * finds the first, so a second "seal" would otherwise be silently ignored. */
static int check_keys(const vctx *v, const cJSON *obj, const char *path,
		      const char *const *allowed)
{
	const cJSON *a, *b;
	char p[PATH_LEN];

	for (a = obj->child; a; a = a->next) {
		size_t k;
		for (k = 0; allowed[k]; k++)
			if (strcmp(a->string, allowed[k]) == 0)
				break;
		join(p, path, a->string);
		if (!allowed[k])
			return bad(v, p, "unknown key");
		for (b = obj->child; b != a; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return bad(v, p, "duplicate key");
	}
	return T_OK;
}

/* The member called key, matched exactly (cJSON_GetObjectItem ignores case). */
static const cJSON *member(const cJSON *obj, const char *key)
{
	return obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static int want_whole(const vctx *v, const cJSON *it, const char *path, double min, double max)
{
	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < min ||
	    it->valuedouble != floor(it->valuedouble))
		return bad(v, path, "expected a whole number >= %.0f", min);
	if (it->valuedouble > max)
		return bad(v, path, "too large (at most %.0f)", max);
	return T_OK;
}

static int want_bool(const vctx *v, const cJSON *it, const char *path)
{
	return cJSON_IsBool(it) ? T_OK : bad(v, path, "expected true or false");
}

static int want_string(const vctx *v, const cJSON *it, const char *path)
{
	if (!cJSON_IsString(it) || !it->valuestring[0])
		return bad(v, path, "expected a non-empty string");
	return T_OK;
}

static int want_id(const vctx *v, const cJSON *it, const char *path)
{
	if (want_string(v, it, path))
		return T_INVALID;
	if (!id_ok(it->valuestring))
		return bad(v, path, "'%s' is not a valid id (use a-z, 0-9 and '-')",
			   it->valuestring);
	return T_OK;
}

/* An optional {"zh": ..., "en": ...}; with need_zh, zh must be there. */
static int want_text2(const vctx *v, const cJSON *parent, const char *key, const char *prefix,
		      int need_zh)
{
	static const char *const keys[] = { "zh", "en", NULL };
	const cJSON *it = member(parent, key), *s;
	char p[PATH_LEN], q[PATH_LEN];

	join(p, prefix, key);
	if (!it) {
		if (!need_zh)
			return T_OK;
		join(q, p, "zh");
		return bad(v, q, "required key is missing");
	}
	if (!cJSON_IsObject(it))
		return bad(v, p, "expected an object");
	if (check_keys(v, it, p, keys))
		return T_INVALID;
	join(q, p, "zh");
	s = member(it, "zh");
	if (!s && need_zh)
		return bad(v, q, "required key is missing");
	if (s && want_string(v, s, q))
		return T_INVALID;
	join(q, p, "en");
	s = member(it, "en");
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
		return bad(v, path, "expected an array");
	for (a = it->child; a; a = a->next, i++) {
		index_path(p, path, i);
		if (ids ? want_id(v, a, p) : want_string(v, a, p))
			return T_INVALID;
		if (!repeat_what)
			continue;
		/* aliases differing only in ASCII case match the same files */
		for (b = it->child; b != a; b = b->next)
			if (strcasecmp(a->valuestring, b->valuestring) == 0)
				return bad(v, p, "duplicate %s '%s'", repeat_what, a->valuestring);
	}
	return T_OK;
}

static int want_count(const vctx *v, const cJSON *m, const char *prefix)
{
	static const char *const keys[] = { "min", "max", NULL };
	const cJSON *it = member(m, "count"), *min, *max;
	char p[PATH_LEN], q[PATH_LEN];

	if (!it)
		return T_OK;
	join(p, prefix, "count");
	if (!cJSON_IsObject(it))
		return bad(v, p, "expected an object");
	if (check_keys(v, it, p, keys))
		return T_INVALID;
	min = member(it, "min");
	max = member(it, "max");
	join(q, p, "min");
	if (min && want_whole(v, min, q, 0, WHOLE_MAX))
		return T_INVALID;
	join(q, p, "max");
	if (max && want_whole(v, max, q, 0, WHOLE_MAX))
		return T_INVALID;
	/* only when both are here: a patch may give one and inherit the other,
	 * and the merged pair is checked when resolving */
	if (min && max && max->valuedouble != 0 && max->valuedouble < min->valuedouble)
		return bad(v, q, "must be 0 (no limit) or at least count.min (%.0f)",
			   min->valuedouble);
	return T_OK;
}

static int want_enum(const vctx *v, const cJSON *it, const char *path, const char *const *names,
		     const char *expected)
{
	if (cJSON_IsString(it))
		for (size_t k = 0; names[k]; k++)
			if (strcmp(it->valuestring, names[k]) == 0)
				return T_OK;
	return bad(v, path, "expected one of %s", expected);
}

/* In enum order (template.h): the index is the value. */
static const char *const per_names[] = { "none", "domain", "staff", "shareholder", NULL };
static const char *const expiry_names[] = {
	"none", "id_card", "domain", "licence", "prerequisite", NULL
};
/* The staff roles packet.json may give (staff[].role): 联系人, 信息安全负责人,
 * 客服负责人. A material's `roles` and rules.staff_roles use these. */
static const char *const role_names[] = { "contact", "security", "service", NULL };

/* An array of role names, none repeated (an empty array is allowed). */
static int want_roles(const vctx *v, const cJSON *it, const char *path)
{
	const cJSON *a, *b;
	char p[PATH_LEN];
	size_t i = 0;

	if (!cJSON_IsArray(it))
		return bad(v, path, "expected an array");
	for (a = it->child; a; a = a->next, i++) {
		size_t k;
		index_path(p, path, i);
		if (want_string(v, a, p))
			return T_INVALID;
		for (k = 0; role_names[k]; k++)
			if (strcmp(a->valuestring, role_names[k]) == 0)
				break;
		if (!role_names[k])
			return bad(v, p, "unknown role '%s' (use contact, security or service)",
				   a->valuestring);
		for (b = it->child; b != a; b = b->next)
			if (strcmp(a->valuestring, b->valuestring) == 0)
				return bad(v, p, "duplicate role '%s'", a->valuestring);
	}
	return T_OK;
}

static int want_formats(const vctx *v, const cJSON *it, const char *path)
{
	const cJSON *a;
	char p[PATH_LEN];
	size_t i = 0;

	if (!cJSON_IsArray(it))
		return bad(v, path, "expected an array");
	if (!it->child)
		return bad(v, path, "expected at least one format");
	for (a = it->child; a; a = a->next, i++) {
		index_path(p, path, i);
		if (want_string(v, a, p))
			return T_INVALID;
		if (format_from_name(a->valuestring) == FMT_UNKNOWN)
			return bad(v, p, "unknown format '%s' (use jpeg, png or pdf)",
				   a->valuestring);
	}
	return T_OK;
}

/* One material object at prefix ("materials[2]"). need_title: it cannot be a
 * patch of an inherited material, so it must be complete. */
static int want_material(const vctx *v, const cJSON *m, const char *prefix, int need_title)
{
	static const char *const keys[] = {
		"id", "title", "aliases", "required", "count", "per", "formats", "max_bytes",
		"min_long_edge", "min_dpi", "colour", "seal", "watermark", "expiry", "roles",
		"stands_for", NULL
	};
	static const char *const bools[] = { "required", "colour", "seal", "watermark", NULL };
	const cJSON *it;
	char p[PATH_LEN];

	if (!cJSON_IsObject(m))
		return bad(v, prefix, "expected an object");
	if (check_keys(v, m, prefix, keys))
		return T_INVALID;
	join(p, prefix, "id");
	it = member(m, "id");
	if (!it)
		return bad(v, p, "required key is missing");
	if (want_id(v, it, p) || want_text2(v, m, "title", prefix, need_title) ||
	    want_count(v, m, prefix))
		return T_INVALID;
	join(p, prefix, "aliases");
	if ((it = member(m, "aliases")) && want_strings(v, it, p, 0, "alias"))
		return T_INVALID;
	for (size_t k = 0; bools[k]; k++) {
		join(p, prefix, bools[k]);
		if ((it = member(m, bools[k])) && want_bool(v, it, p))
			return T_INVALID;
	}
	join(p, prefix, "per");
	if ((it = member(m, "per")) &&
	    want_enum(v, it, p, per_names, "domain, staff, shareholder, none"))
		return T_INVALID;
	join(p, prefix, "expiry");
	if ((it = member(m, "expiry")) &&
	    want_enum(v, it, p, expiry_names, "id_card, domain, licence, prerequisite, none"))
		return T_INVALID;
	join(p, prefix, "roles");
	if ((it = member(m, "roles")) && want_roles(v, it, p))
		return T_INVALID;
	join(p, prefix, "stands_for");
	if ((it = member(m, "stands_for")) && want_strings(v, it, p, 1, "id"))
		return T_INVALID;
	join(p, prefix, "formats");
	if ((it = member(m, "formats")) && want_formats(v, it, p))
		return T_INVALID;
	join(p, prefix, "max_bytes");
	if ((it = member(m, "max_bytes")) && want_whole(v, it, p, 0, BYTES_MAX))
		return T_INVALID;
	join(p, prefix, "min_long_edge");
	if ((it = member(m, "min_long_edge")) && want_whole(v, it, p, 0, WHOLE_MAX))
		return T_INVALID;
	join(p, prefix, "min_dpi");
	if ((it = member(m, "min_dpi")) && want_whole(v, it, p, 0, WHOLE_MAX))
		return T_INVALID;
	return T_OK;
}

static int want_materials(const vctx *v, const cJSON *arr, const char *path, int need_title)
{
	const cJSON *a, *b;
	char p[PATH_LEN], q[PATH_LEN];
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return bad(v, path, "expected an array");
	for (a = arr->child; a; a = a->next, i++) {
		const char *id;
		index_path(p, path, i);
		if (want_material(v, a, p, need_title))
			return T_INVALID;
		id = member(a, "id")->valuestring;
		for (b = arr->child; b != a; b = b->next)
			if (strcmp(member(b, "id")->valuestring, id) == 0) {
				join(q, p, "id");
				return bad(v, q, "duplicate material id '%s'", id);
			}
	}
	return T_OK;
}

/* The keys of `rules` and where each goes in template_rules. Whole numbers
 * are days, or 万元 for capital; lists replace the inherited list whole. */
enum rule_kind { RULE_WHOLE, RULE_BOOL, RULE_ROLES, RULE_IDS };

struct rule_spec {
	const char *name;
	enum rule_kind kind;
	size_t field;         /* offsetof the int, or of the char ** of a list */
	size_t count;         /* lists: offsetof the size_t count */
};

#define RULE(name, kind) { #name, kind, offsetof(template_rules, name), 0 }
#define RULE_LIST(name, kind) \
	{ #name, kind, offsetof(template_rules, name), offsetof(template_rules, n_##name) }

static const struct rule_spec rule_specs[] = {
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
	{ NULL, RULE_WHOLE, 0, 0 },
};

static const struct rule_spec *rule_find(const char *name)
{
	for (const struct rule_spec *r = rule_specs; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

static int want_rules(const vctx *v, const cJSON *it, const char *path)
{
	char p[PATH_LEN];

	if (!cJSON_IsObject(it))
		return bad(v, path, "expected an object");
	for (const cJSON *a = it->child; a; a = a->next) {
		const struct rule_spec *r = rule_find(a->string);
		int ret = T_OK;
		join(p, path, a->string);
		if (!r)
			return bad(v, p, "unknown key");
		for (const cJSON *b = it->child; b != a; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return bad(v, p, "duplicate key");
		switch (r->kind) {
		case RULE_WHOLE: ret = want_whole(v, a, p, 0, WHOLE_MAX); break;
		case RULE_BOOL: ret = want_bool(v, a, p); break;
		case RULE_ROLES: ret = want_roles(v, a, p); break;
		case RULE_IDS: ret = want_strings(v, a, p, 1, "kind"); break;
		}
		if (ret)
			return ret;
	}
	return T_OK;
}

/* The keys a layer (a template, or one region overlay) may have in common. */
static int want_layer_lists(const vctx *v, const cJSON *obj, const char *prefix, int need_title)
{
	const cJSON *it;
	char p[PATH_LEN];

	join(p, prefix, "rules");
	if ((it = member(obj, "rules")) && want_rules(v, it, p))
		return T_INVALID;
	join(p, prefix, "watermark");
	if ((it = member(obj, "watermark")) && want_bool(v, it, p))
		return T_INVALID;
	join(p, prefix, "materials");
	if ((it = member(obj, "materials")) && want_materials(v, it, p, need_title))
		return T_INVALID;
	join(p, prefix, "remove");
	if ((it = member(obj, "remove")) && want_strings(v, it, p, 1, "id"))
		return T_INVALID;
	join(p, prefix, "order");
	if ((it = member(obj, "order")) && want_strings(v, it, p, 1, "id"))
		return T_INVALID;
	join(p, prefix, "sources");
	if ((it = member(obj, "sources")) && want_strings(v, it, p, 0, NULL))
		return T_INVALID;
	join(p, prefix, "notes");
	if ((it = member(obj, "notes")) && !cJSON_IsString(it))
		return bad(v, p, "expected a string");
	return T_OK;
}

static int want_regions(const vctx *v, const cJSON *it)
{
	static const char *const keys[] = {
		"title", "watermark", "rules", "materials", "remove", "order", "sources", "notes",
		NULL
	};
	char p[PATH_LEN];

	if (!cJSON_IsObject(it))
		return bad(v, "regions", "expected an object");
	for (const cJSON *r = it->child; r; r = r->next) {
		join(p, "regions", r->string);
		for (const cJSON *b = it->child; b != r; b = b->next)
			if (strcmp(b->string, r->string) == 0)
				return bad(v, p, "duplicate key");
		if (!id_ok(r->string))
			return bad(v, p, "'%s' is not a valid id (use a-z, 0-9 and '-')", r->string);
		if (!cJSON_IsObject(r))
			return bad(v, p, "expected an object");
		if (check_keys(v, r, p, keys) || want_text2(v, r, "title", p, 0) ||
		    want_layer_lists(v, r, p, 0))
			return T_INVALID;
	}
	return T_OK;
}

/* The whole document, on its own. */
static int want_doc(const vctx *v, const cJSON *root)
{
	static const char *const keys[] = {
		"id", "version", "licence", "action", "abstract", "extends", "title", "purpose",
		"rules", "watermark", "materials", "remove", "order", "regions", "sources", "notes",
		NULL
	};
	const cJSON *it;
	int derived;

	if (!cJSON_IsObject(root))
		return fail(v->err, v->errlen, T_INVALID, "%s: expected a JSON object at the top level",
			    v->file);
	if (check_keys(v, root, "", keys))
		return T_INVALID;
	if (!(it = member(root, "id")))
		return bad(v, "id", "required key is missing");
	if (want_id(v, it, "id"))
		return T_INVALID;
	if (!(it = member(root, "version")))
		return bad(v, "version", "required key is missing");
	if (want_whole(v, it, "version", 1, WHOLE_MAX))
		return T_INVALID;
	if ((it = member(root, "licence")) && want_id(v, it, "licence"))
		return T_INVALID;
	if ((it = member(root, "action")) && want_id(v, it, "action"))
		return T_INVALID;
	if ((it = member(root, "abstract")) && want_bool(v, it, "abstract"))
		return T_INVALID;
	if ((it = member(root, "extends")) && want_id(v, it, "extends"))
		return T_INVALID;
	derived = it != NULL;
	if (want_text2(v, root, "title", "", !derived) || want_text2(v, root, "purpose", "", 0))
		return T_INVALID;
	if (!derived && !member(root, "materials"))
		return bad(v, "materials", "required key is missing");
	if (want_layer_lists(v, root, "", !derived))
		return T_INVALID;
	if ((it = member(root, "regions")) && want_regions(v, it))
		return T_INVALID;
	return T_OK;
}

/* ------------------------------------------------------------ documents --- */

static void doc_release(struct tdoc *d)
{
	free(d->name);
	free(d->origin);
	cJSON_Delete(d->json);
	free(d->regions);
	memset(d, 0, sizeof *d);
}

/* Parse and check one file's text into *d. Returns 0, 2 or 3 with err. */
static int doc_load(struct tdoc *d, const char *name, const char *origin, const char *text,
		    size_t len, char *err, size_t errlen)
{
	vctx v = { name, err, errlen };
	cJSON *root;
	const cJSON *it;
	int ret;

	memset(d, 0, sizeof *d);
	ret = parse_text(name, text, len, &root, err, errlen);
	if (ret)
		return ret;
	ret = want_doc(&v, root);
	if (ret) {
		cJSON_Delete(root);
		return ret;
	}
	d->json = root;
	d->name = strdup(name);
	d->origin = strdup(origin);
	if (!d->name || !d->origin) {
		doc_release(d);
		return oom(err, errlen);
	}
	d->id = member(root, "id")->valuestring;
	it = member(root, "extends");
	d->extends = it ? it->valuestring : NULL;
	d->abstract = cJSON_IsTrue(member(root, "abstract"));
	return T_OK;
}

static int read_doc(struct tdoc *d, const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	int r, ret;

	r = read_text_file(path, TEMPLATE_MAX_FILE, &text, &len);
	if (r == -2)
		return fail(err, errlen, T_INVALID, "%s: file is larger than 1 MiB", path);
	/* read_text_file() refuses anything but a regular file with EINVAL */
	if (r != 0 && errno == EINVAL)
		return fail(err, errlen, T_IO, "cannot read '%s': not a regular file", path);
	if (r != 0)
		return fail(err, errlen, T_IO, "cannot read '%s': %s", path, strerror(errno));
	ret = doc_load(d, path, path, text, len, err, errlen);
	free(text);
	return ret;
}

static const struct tdoc *set_find(const template_set *set, const char *id)
{
	if (!set)
		return NULL;
	for (size_t i = 0; i < set->n_docs; i++)
		if (strcmp(set->docs[i].id, id) == 0)
			return &set->docs[i];
	return NULL;
}

/* The base named by `extends`: the document being linted stands in for the
 * set's copy of its own id. */
static const struct tdoc *lookup(const template_set *set, const struct tdoc *self,
				 const char *id)
{
	if (self && strcmp(self->id, id) == 0)
		return self;
	return set_find(set, id);
}

/* The chain from start up to its root base, start first, in a new array the
 * caller frees (*chain; it may be set even on error). Returns 0, or 2 with
 * err for an unknown base or a loop; 3 when out of memory. */
static int chain_build(const template_set *set, const struct tdoc *start,
		       const struct tdoc ***chain, size_t *n, char *err, size_t errlen)
{
	size_t cap = (set ? set->n_docs : 0) + 2;
	const struct tdoc **c = malloc(cap * sizeof *c);
	const struct tdoc *d = start;

	*chain = c;
	*n = 0;
	if (!c)
		return oom(err, errlen);
	c[(*n)++] = d;
	while (d->extends) {
		const struct tdoc *base = lookup(set, start, d->extends);
		if (!base)
			return fail(err, errlen, T_INVALID, "%s: extends: unknown template '%s'",
				    d->name, d->extends);
		for (size_t k = 0; k < *n; k++) {
			if (c[k] != base)
				continue;
			/* the loop, as a user would follow it: a -> b -> a */
			char msg[PATH_LEN * 2] = "";
			size_t used = 0;
			for (size_t j = 0; j < *n && used < sizeof msg; j++)
				used += (size_t)snprintf(msg + used, sizeof msg - used, "%s -> ",
							 c[j]->id);
			if (used < sizeof msg)
				cut_printf(msg + used, sizeof msg - used, "%s", base->id);
			return fail(err, errlen, T_INVALID, "%s: extends: loop: %s", start->name,
				    msg);
		}
		/* distinct documents only, so the chain fits in cap */
		c[(*n)++] = base;
		d = base;
	}
	return T_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Region ids of start and its bases, sorted and without repeats, in a new
 * array of pointers into the documents (caller frees the array). */
static int regions_of(const template_set *set, const struct tdoc *start, const char ***out,
		      size_t *n_out)
{
	const struct tdoc **chain = NULL;
	size_t n = 0, count = 0, k = 0;
	const char **ids;
	char ignored[8];

	*out = NULL;
	*n_out = 0;
	/* a broken chain still lists the regions of the part that exists; the
	 * error itself is reported when the template is resolved */
	if (chain_build(set, start, &chain, &n, ignored, sizeof ignored) == T_IO)
		return T_IO;
	for (size_t i = 0; i < n; i++)
		count += (size_t)cJSON_GetArraySize(member(chain[i]->json, "regions"));
	ids = malloc((count ? count : 1) * sizeof *ids);
	if (!ids) {
		free(chain);
		return T_IO;
	}
	for (size_t i = 0; i < n; i++) {
		const cJSON *r = member(chain[i]->json, "regions");
		for (r = r ? r->child : NULL; r; r = r->next)
			ids[k++] = r->string;
	}
	free(chain);
	qsort(ids, k, sizeof *ids, cmp_str);
	count = 0;
	for (size_t i = 0; i < k; i++)
		if (count == 0 || strcmp(ids[count - 1], ids[i]) != 0)
			ids[count++] = ids[i];
	*out = ids;
	*n_out = count;
	return T_OK;
}

/* Recompute the cached id and region lists after the documents changed. */
static int set_refresh(template_set *set, char *err, size_t errlen)
{
	const char **ids;
	size_t n = 0;

	/* all caches dropped first: they may point into replaced documents, and
	 * a failure half way must not leave any of them behind */
	for (size_t i = 0; i < set->n_docs; i++) {
		free(set->docs[i].regions);
		set->docs[i].regions = NULL;
		set->docs[i].n_regions = 0;
	}
	free(set->ids);
	set->ids = NULL;
	set->n_ids = 0;
	for (size_t i = 0; i < set->n_docs; i++) {
		struct tdoc *d = &set->docs[i];
		if (regions_of(set, d, &d->regions, &d->n_regions))
			return oom(err, errlen);
	}
	ids = malloc((set->n_docs ? set->n_docs : 1) * sizeof *ids);
	if (!ids)
		return oom(err, errlen);
	for (size_t i = 0; i < set->n_docs; i++)
		if (!set->docs[i].abstract)
			ids[n++] = set->docs[i].id;
	qsort(ids, n, sizeof *ids, cmp_str);
	set->ids = ids;
	set->n_ids = n;
	return T_OK;
}

/* Move the loaded documents into the set: each replaces the set's document of
 * the same id, or is appended. The array `docs` is left empty. */
static int set_take(template_set *set, struct tdoc *docs, size_t n, char *err, size_t errlen)
{
	struct tdoc *grown = realloc(set->docs, (set->n_docs + n + 1) * sizeof *grown);

	if (!grown)
		return oom(err, errlen);
	set->docs = grown;
	for (size_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < set->n_docs; j++)
			if (strcmp(set->docs[j].id, docs[i].id) == 0)
				break;
		if (j < set->n_docs)
			doc_release(&set->docs[j]);
		else
			set->n_docs++;
		set->docs[j] = docs[i];
		memset(&docs[i], 0, sizeof docs[i]);
	}
	return set_refresh(set, err, errlen);
}

/* Two documents of one batch (the built-ins, or one directory) with one id:
 * a copied file someone forgot to rename, so an error rather than a guess. */
static int same_id_twice(const struct tdoc *docs, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(docs[i].id, docs[j].id) == 0)
				return fail(err, errlen, T_INVALID,
					    "%s: id: '%s' is also the id of %s", docs[i].name,
					    docs[i].id, docs[j].name);
	return T_OK;
}

int template_set_new(template_set **out, char *err, size_t errlen)
{
	template_set *set = calloc(1, sizeof *set);
	struct tdoc *docs = calloc(n_builtin_templates + 1, sizeof *docs);
	size_t n = 0;
	int ret = -1;

	*out = NULL;
	if (!set || !docs) {
		oom(err, errlen);
		goto cleanup;
	}
	for (; n < n_builtin_templates; n++) {
		const struct builtin_template *b = &builtin_templates[n];
		if (doc_load(&docs[n], b->name, "builtin", b->data, b->len, err, errlen))
			goto cleanup;
	}
	if (same_id_twice(docs, n, err, errlen) || set_take(set, docs, n, err, errlen))
		goto cleanup;
	*out = set;
	set = NULL;
	ret = 0;
cleanup:
	for (size_t i = 0; i < n; i++)
		doc_release(&docs[i]);
	free(docs);
	template_set_free(set);
	return ret;
}

void template_set_free(template_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_docs; i++)
		doc_release(&set->docs[i]);
	free(set->docs);
	free(set->ids);
	free(set);
}

static int is_template_name(const char *name)
{
	size_t n = strlen(name);

	/* hidden files include editors' lock and swap files (.#x.json) */
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

int template_set_add_dir(template_set *set, const char *dir, char *err, size_t errlen)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	struct tdoc *docs = NULL;
	size_t n_names = 0, cap = 0, n_docs = 0;
	int ret = T_OK;

	if (!dh)
		return fail(err, errlen, T_IO, "cannot open directory '%s': %s", dir,
			    strerror(errno));
	errno = 0;
	while ((e = readdir(dh)) != NULL) {
		if (!is_template_name(e->d_name))
			continue;
		if (n_names == cap) {
			char **g = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *g);
			if (!g) {
				ret = oom(err, errlen);
				goto cleanup;
			}
			names = g;
		}
		if (!(names[n_names] = strdup(e->d_name))) {
			ret = oom(err, errlen);
			goto cleanup;
		}
		n_names++;
		errno = 0;
	}
	if (errno) {
		ret = fail(err, errlen, T_IO, "cannot read directory '%s': %s", dir,
			   strerror(errno));
		goto cleanup;
	}
	/* readdir order differs between file systems; the result must not */
	qsort(names, n_names, sizeof *names, cmp_str);
	docs = calloc(n_names + 1, sizeof *docs);
	if (!docs) {
		ret = oom(err, errlen);
		goto cleanup;
	}
	for (size_t i = 0; i < n_names; i++) {
		char *path = lp_path_join(dir, names[i]);
		struct stat st;
		if (!path) {
			ret = oom(err, errlen);
			goto cleanup;
		}
		/* a directory called x.json is not a template; a dangling link is
		 * left for the read below to report */
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			free(path);
			continue;
		}
		ret = read_doc(&docs[n_docs], path, err, errlen);
		free(path);
		if (ret)
			goto cleanup;
		n_docs++;
	}
	/* all files checked before any goes in: an error leaves the set as it was */
	ret = same_id_twice(docs, n_docs, err, errlen);
	if (!ret)
		ret = set_take(set, docs, n_docs, err, errlen);
cleanup:
	closedir(dh);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	for (size_t i = 0; i < n_docs; i++)
		doc_release(&docs[i]);
	free(docs);
	return ret;
}

size_t template_set_ids(const template_set *set, const char *const **ids)
{
	*ids = set->ids;
	return set->n_ids;
}

size_t template_set_regions(const template_set *set, const char *id, const char *const **regions)
{
	const struct tdoc *d = set_find(set, id);

	*regions = d ? d->regions : NULL;
	return d ? d->n_regions : 0;
}

/* ----------------------------------------------------------- resolving --- */

/* Replace *dst with a copy of s. Returns 0, or 3 when out of memory. */
static int set_str(char **dst, const char *s)
{
	char *c = strdup(s);

	if (!c)
		return T_IO;
	free(*dst);
	*dst = c;
	return T_OK;
}

static void text2_release(text2 *t)
{
	free(t->zh);
	free(t->en);
	t->zh = t->en = NULL;
}

/* The keys given in a {"zh", "en"} object replace those in dst. */
static int apply_text2(text2 *dst, const cJSON *obj)
{
	const cJSON *it;

	if (!obj)
		return T_OK;
	if ((it = member(obj, "zh")) && set_str(&dst->zh, it->valuestring))
		return T_IO;
	if ((it = member(obj, "en")) && set_str(&dst->en, it->valuestring))
		return T_IO;
	return T_OK;
}

static void strings_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* Replace *list (n entries) with copies of the strings of the JSON array arr
 * (already checked). Returns 0, or 3 when out of memory (*list unchanged). */
static int strings_set(char ***list, size_t *n, const cJSON *arr)
{
	size_t count = (size_t)cJSON_GetArraySize(arr), k = 0;
	char **copy = calloc(count + 1, sizeof *copy);

	if (!copy)
		return T_IO;
	for (const cJSON *a = arr->child; a; a = a->next)
		if (!(copy[k++] = strdup(a->valuestring))) {
			strings_free(copy, k);
			return T_IO;
		}
	strings_free(*list, *n);
	*list = copy;
	*n = count;
	return T_OK;
}

static void material_release(material *m)
{
	free(m->id);
	text2_release(&m->title);
	strings_free(m->aliases, m->n_aliases);
	strings_free(m->roles, m->n_roles);
	strings_free(m->stands_for, m->n_stands_for);
	memset(m, 0, sizeof *m);
}

static void material_defaults(material *m)
{
	memset(m, 0, sizeof *m);
	m->required = 1;
	m->count_min = 1;
	m->count_max = 1;
	m->formats = FMT_BIT(FMT_JPEG) | FMT_BIT(FMT_PNG) | FMT_BIT(FMT_PDF);
}

static int index_of(const char *const *names, const char *s)
{
	for (int k = 0; names[k]; k++)
		if (strcmp(names[k], s) == 0)
			return k;
	return 0;
}

/* Copy the keys present in obj (already checked) onto m. */
static int material_apply(material *m, const cJSON *obj)
{
	const cJSON *it, *a;

	if ((it = member(obj, "id")) && set_str(&m->id, it->valuestring))
		return T_IO;
	if (apply_text2(&m->title, member(obj, "title")))
		return T_IO;
	if ((it = member(obj, "aliases")) && strings_set(&m->aliases, &m->n_aliases, it))
		return T_IO;
	if ((it = member(obj, "roles")) && strings_set(&m->roles, &m->n_roles, it))
		return T_IO;
	if ((it = member(obj, "stands_for")) && strings_set(&m->stands_for, &m->n_stands_for, it))
		return T_IO;
	if ((it = member(obj, "required")))
		m->required = cJSON_IsTrue(it);
	if ((it = member(obj, "colour")))
		m->colour = cJSON_IsTrue(it);
	if ((it = member(obj, "seal")))
		m->seal = cJSON_IsTrue(it);
	if ((it = member(obj, "watermark")))
		m->watermark = cJSON_IsTrue(it);
	if ((it = member(obj, "count"))) {
		if ((a = member(it, "min")))
			m->count_min = (int)a->valuedouble;
		if ((a = member(it, "max")))
			m->count_max = (int)a->valuedouble;
	}
	if ((it = member(obj, "per")))
		m->per = (per_kind)index_of(per_names, it->valuestring);
	if ((it = member(obj, "expiry")))
		m->expiry = (expiry_rule)index_of(expiry_names, it->valuestring);
	if ((it = member(obj, "formats"))) {
		m->formats = 0;
		for (a = it->child; a; a = a->next)
			m->formats |= FMT_BIT(format_from_name(a->valuestring));
	}
	if ((it = member(obj, "max_bytes")))
		m->max_bytes = (uint64_t)it->valuedouble;
	if ((it = member(obj, "min_long_edge")))
		m->min_long_edge = (uint32_t)it->valuedouble;
	if ((it = member(obj, "min_dpi")))
		m->min_dpi = (uint32_t)it->valuedouble;
	return T_OK;
}

static material *find_material(template *t, const char *id)
{
	for (size_t i = 0; i < t->n_materials; i++)
		if (strcmp(t->materials[i].id, id) == 0)
			return &t->materials[i];
	return NULL;
}

static int apply_remove(const vctx *c, template *t, const cJSON *arr, const char *path)
{
	size_t i = 0;
	char p[PATH_LEN];

	for (const cJSON *a = arr ? arr->child : NULL; a; a = a->next, i++) {
		material *m = find_material(t, a->valuestring);
		if (!m) {
			index_path(p, path, i);
			return fail(c->err, c->errlen, T_INVALID, "%s: %s: no material '%s' to remove",
				    c->file, p, a->valuestring);
		}
		material_release(m);
		memmove(m, m + 1, (size_t)(t->materials + t->n_materials - (m + 1)) * sizeof *m);
		t->n_materials--;
	}
	return T_OK;
}

static int apply_materials(const vctx *c, template *t, const cJSON *arr, const char *path)
{
	size_t i = 0;
	char p[PATH_LEN];

	for (const cJSON *a = arr ? arr->child : NULL; a; a = a->next, i++) {
		const char *id = member(a, "id")->valuestring;
		material *m = find_material(t, id);
		const cJSON *title;
		if (m) {
			if (material_apply(m, a))
				return oom(c->err, c->errlen);
			continue;
		}
		/* not a patch, so a new material, which needs its title */
		title = member(a, "title");
		if (!member(title, "zh")) {
			index_path(p, path, i);
			return fail(c->err, c->errlen, T_INVALID,
				    "%s: %s.title.zh: required key is missing (no material '%s' to patch)",
				    c->file, p, id);
		}
		m = realloc(t->materials, (t->n_materials + 1) * sizeof *m);
		if (!m)
			return oom(c->err, c->errlen);
		t->materials = m;
		m = &t->materials[t->n_materials++];
		material_defaults(m);
		if (material_apply(m, a))
			return oom(c->err, c->errlen);
	}
	return T_OK;
}

/* The listed materials go first, in the order given; the others follow in
 * the order they had. */
static int apply_order(const vctx *c, template *t, const cJSON *arr, const char *path)
{
	material *sorted;
	char *taken;
	size_t i = 0, k = 0;
	char p[PATH_LEN];

	if (!arr)
		return T_OK;
	for (const cJSON *a = arr->child; a; a = a->next, i++)
		if (!find_material(t, a->valuestring)) {
			index_path(p, path, i);
			return fail(c->err, c->errlen, T_INVALID, "%s: %s: no material '%s' to order",
				    c->file, p, a->valuestring);
		}
	sorted = malloc((t->n_materials + 1) * sizeof *sorted);
	taken = calloc(t->n_materials + 1, 1);
	if (!sorted || !taken) {
		free(sorted);
		free(taken);
		return oom(c->err, c->errlen);
	}
	/* the load-time check refused repeated ids, so k stays within bounds */
	for (const cJSON *a = arr->child; a; a = a->next) {
		size_t j = (size_t)(find_material(t, a->valuestring) - t->materials);
		sorted[k++] = t->materials[j];
		taken[j] = 1;
	}
	for (i = 0; i < t->n_materials; i++)
		if (!taken[i])
			sorted[k++] = t->materials[i];
	free(taken);
	free(t->materials);
	t->materials = sorted;
	return T_OK;
}

static int apply_sources(template *t, const cJSON *arr)
{
	for (const cJSON *a = arr ? arr->child : NULL; a; a = a->next) {
		size_t i;
		char **g;
		/* bases and overlays often cite the same page */
		for (i = 0; i < t->n_sources; i++)
			if (strcmp(t->sources[i], a->valuestring) == 0)
				break;
		if (i < t->n_sources)
			continue;
		g = realloc(t->sources, (t->n_sources + 1) * sizeof *g);
		if (!g)
			return T_IO;
		t->sources = g;
		if (!(g[t->n_sources] = strdup(a->valuestring)))
			return T_IO;
		t->n_sources++;
	}
	return T_OK;
}

/* The keys given in a `rules` object (already checked) replace those in r;
 * a list replaces the inherited list whole. Returns 0, or 3 when out of memory. */
static int apply_rules(template_rules *r, const cJSON *obj)
{
	const cJSON *it;

	for (const struct rule_spec *k = rule_specs; k->name; k++) {
		char *field = (char *)r + k->field;
		if (!(it = member(obj, k->name)))
			continue;
		switch (k->kind) {
		case RULE_WHOLE:
			*(int *)field = (int)it->valuedouble;
			break;
		case RULE_BOOL:
			*(int *)field = cJSON_IsTrue(it);
			break;
		case RULE_ROLES:
		case RULE_IDS:
			if (strings_set((char ***)field, (size_t *)((char *)r + k->count), it))
				return T_IO;
			break;
		}
	}
	return T_OK;
}

static void rules_release(template_rules *r)
{
	strings_free(r->staff_roles, r->n_staff_roles);
	strings_free(r->prerequisite_kinds, r->n_prerequisite_kinds);
	r->staff_roles = r->prerequisite_kinds = NULL;
	r->n_staff_roles = r->n_prerequisite_kinds = 0;
}

/* What a template and a region overlay have in common, in this order:
 * rules, watermark, sources, notes, remove, materials, order. With
 * append_notes (a region), notes are added to the template's notes. */
static int apply_layer_lists(const vctx *c, template *t, const cJSON *obj, const char *prefix,
			     int append_notes)
{
	const cJSON *it;
	char p[PATH_LEN];
	int ret;

	if (apply_rules(&t->rules, member(obj, "rules")))
		return oom(c->err, c->errlen);
	if ((it = member(obj, "watermark")))
		t->watermark = cJSON_IsTrue(it);
	if (apply_sources(t, member(obj, "sources")))
		return oom(c->err, c->errlen);
	if ((it = member(obj, "notes")) && (!append_notes || it->valuestring[0])) {
		char *n = append_notes && t->notes && t->notes[0]
				  ? lp_strdupf("%s\n%s", t->notes, it->valuestring)
				  : strdup(it->valuestring);
		if (!n)
			return oom(c->err, c->errlen);
		free(t->notes);
		t->notes = n;
	}
	join(p, prefix, "remove");
	if ((ret = apply_remove(c, t, member(obj, "remove"), p)))
		return ret;
	join(p, prefix, "materials");
	if ((ret = apply_materials(c, t, member(obj, "materials"), p)))
		return ret;
	join(p, prefix, "order");
	return apply_order(c, t, member(obj, "order"), p);
}

static int apply_doc(const vctx *c, template *t, const cJSON *root)
{
	static const char *const scalars[] = { "id", "licence", "action", NULL };
	char **fields[] = { &t->id, &t->licence, &t->action };
	const cJSON *it;

	for (size_t k = 0; scalars[k]; k++)
		if ((it = member(root, scalars[k])) && set_str(fields[k], it->valuestring))
			return oom(c->err, c->errlen);
	t->version = (int)member(root, "version")->valuedouble;
	if (apply_text2(&t->title, member(root, "title")) ||
	    apply_text2(&t->purpose, member(root, "purpose")))
		return oom(c->err, c->errlen);
	return apply_layer_lists(c, t, root, "", 0);
}

/* An empty string where a key was never given, and the defaults that are
 * made from other keys. Strings of a resolved template are never NULL
 * (except region and region_title without a region). */
static int fill_defaults(template *t)
{
	char **plain[] = { &t->licence, &t->action, &t->notes, NULL };

	for (size_t k = 0; plain[k]; k++)
		if (!*plain[k] && !(*plain[k] = strdup("")))
			return T_IO;
	if (!t->title.en && !(t->title.en = strdup(t->title.zh)))
		return T_IO;
	if (!t->purpose.zh && !(t->purpose.zh = lp_strdupf("仅供%s使用", t->title.zh)))
		return T_IO;
	if (!t->purpose.en && !(t->purpose.en = lp_strdupf("For %s only", t->title.en)))
		return T_IO;
	if (t->region) {
		if (!t->region_title.zh && !(t->region_title.zh = strdup(t->region)))
			return T_IO;
		if (!t->region_title.en && !(t->region_title.en = strdup(t->region_title.zh)))
			return T_IO;
	}
	for (size_t i = 0; i < t->n_materials; i++) {
		material *m = &t->materials[i];
		const char *own[2] = { m->id, m->title.zh };
		char **g;
		if (!m->title.en && !(m->title.en = strdup(m->title.zh)))
			return T_IO;
		g = realloc(m->aliases, (m->n_aliases + 2) * sizeof *g);
		if (!g)
			return T_IO;
		m->aliases = g;
		for (size_t k = 0; k < 2; k++) {
			size_t j;
			for (j = 0; j < m->n_aliases; j++)
				if (strcasecmp(m->aliases[j], own[k]) == 0)
					break;
			if (j < m->n_aliases)
				continue;
			if (!(m->aliases[m->n_aliases] = strdup(own[k])))
				return T_IO;
			m->n_aliases++;
		}
	}
	return T_OK;
}

/* What only the merged result can show. label: "x.json" or "x.json: region r". */
/* The groups of materials the matcher keeps apart (packet/match.c). */
static int match_group(per_kind p)
{
	return p == PER_STAFF ? 1 : p == PER_SHAREHOLDER ? 2 : 0;
}

static int check_merged(const template *t, int abstract, const char *label, char *err,
			size_t errlen)
{
	char **norm = NULL;
	int *owner = NULL;
	size_t n = 0, total = 0;
	int ret = T_OK;

	if (!t->n_materials && !abstract)
		return fail(err, errlen, T_INVALID, "%s: no materials", label);
	for (size_t i = 0; i < t->n_materials; i++) {
		const material *m = &t->materials[i];
		if (m->count_max && m->count_max < m->count_min)
			return fail(err, errlen, T_INVALID,
				    "%s: material '%s': count.max %d is less than count.min %d",
				    label, m->id, m->count_max, m->count_min);
		/* roles pick among the staff, so a material repeated for each
		 * domain (or for nothing) has none to pick from */
		if (m->n_roles && m->per != PER_STAFF)
			return fail(err, errlen, T_INVALID,
				    "%s: material '%s': roles given, but it is not \"per\": \"staff\"",
				    label, m->id);
		for (size_t k = 0; k < m->n_stands_for; k++) {
			const material *o = template_material(t, m->stands_for[k]);
			if (!o || o == m || o->per != m->per)
				return fail(err, errlen, T_INVALID,
					    "%s: material '%s': stands_for[%zu]: '%s' is %s", label, m->id,
					    k, m->stands_for[k],
					    !o ? "no material of this template"
					    : o == m ? "the material itself"
						     : "repeated for something else (\"per\" differs)");
		}
		total += m->n_aliases;
	}
	/* The matcher compares normalised names, and a tie between two
	 * materials is reported as ambiguous on every file it matches: an
	 * alias shared by two materials ("身份证" for both ID sides) can only
	 * produce ambiguity, so it is refused here, where it is written. The
	 * matcher looks at per-staff and per-shareholder materials apart from
	 * the rest (a path naming a person picks that person's materials), so
	 * a staff ID card may share "人像面" with the legal representative's. */
	norm = calloc(total + 1, sizeof *norm);
	owner = calloc(total + 1, sizeof *owner);
	if (!norm || !owner) {
		ret = oom(err, errlen);
		goto cleanup;
	}
	for (size_t i = 0; i < t->n_materials && !ret; i++) {
		const material *m = &t->materials[i];
		for (size_t j = 0; j < m->n_aliases && !ret; j++) {
			char *s = normalise_name(m->aliases[j]);
			if (!s) {
				ret = oom(err, errlen);
				break;
			}
			for (size_t k = 0; k < n; k++)
				if (owner[k] != (int)i && s[0] && strcmp(norm[k], s) == 0 &&
				    match_group(t->materials[owner[k]].per) == match_group(m->per)) {
					ret = fail(err, errlen, T_INVALID,
						   "%s: alias '%s' of material '%s' also names material '%s'",
						   label, m->aliases[j], m->id,
						   t->materials[owner[k]].id);
					break;
				}
			norm[n] = s;
			owner[n++] = (int)i;
		}
	}
cleanup:
	for (size_t k = 0; k < n; k++)
		free(norm[k]);
	free(norm);
	free(owner);
	return ret;
}

static int region_listed(const char *const *regions, size_t n, const char *region)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(regions[i], region) == 0)
			return 1;
	return 0;
}

/* "a, b, c" of up to n names into out (truncated to fit). */
static void name_list(char *out, size_t outlen, const char *const *names, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && used < outlen; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%s", i ? ", " : "", names[i]);
}

/* Resolve start (which need not be in set) with its bases from set. */
static int resolve_doc(const template_set *set, const struct tdoc *start, const char *region,
		       template **out, char *err, size_t errlen)
{
	const struct tdoc **chain = NULL;
	const char **regions = NULL;
	size_t n = 0, n_regions = 0;
	template *t = calloc(1, sizeof *t);
	char label[PATH_LEN * 2], p[PATH_LEN], list[PATH_LEN];
	int ret;

	*out = NULL;
	if (!t)
		return oom(err, errlen);
	t->watermark = 1;
	t->rules.id_card_min_valid_days = 90;
	t->rules.domain_min_valid_days = 0;
	t->rules.licence_renew_before_days = 90;
	/* the other rules default to 0, false and empty lists (the calloc) */
	if ((ret = chain_build(set, start, &chain, &n, err, errlen)))
		goto cleanup;
	if (region) {
		if ((ret = regions_of(set, start, &regions, &n_regions))) {
			ret = oom(err, errlen);
			goto cleanup;
		}
		if (!region_listed(regions, n_regions, region)) {
			name_list(list, sizeof list, regions, n_regions);
			ret = fail(err, errlen, T_INVALID,
				   n_regions ? "unknown region '%s' for template '%s' (known: %s)"
					     : "unknown region '%s' for template '%s'%s",
				   region, start->id, n_regions ? list : " (it has no regions)");
			goto cleanup;
		}
	}
	/* the root base first, the template asked for last */
	for (size_t i = n; i-- > 0;) {
		vctx c = { chain[i]->name, err, errlen };
		if ((ret = apply_doc(&c, t, chain[i]->json)))
			goto cleanup;
	}
	if (region) {
		if (set_str(&t->region, region)) {
			ret = oom(err, errlen);
			goto cleanup;
		}
		join(p, "regions", region);
		for (size_t i = n; i-- > 0;) {
			vctx c = { chain[i]->name, err, errlen };
			const cJSON *r = member(member(chain[i]->json, "regions"), region);
			if (!r)
				continue;
			if (apply_text2(&t->region_title, member(r, "title"))) {
				ret = oom(err, errlen);
				goto cleanup;
			}
			if ((ret = apply_layer_lists(&c, t, r, p, 1)))
				goto cleanup;
		}
	}
	/* a derived template's own version and origin, not its base's */
	t->version = (int)member(start->json, "version")->valuedouble;
	if (set_str(&t->origin, start->origin) || fill_defaults(t)) {
		ret = oom(err, errlen);
		goto cleanup;
	}
	if (region)
		cut_printf(label, sizeof label, "%s: region %s", start->name, region);
	else
		cut_printf(label, sizeof label, "%s", start->name);
	if ((ret = check_merged(t, start->abstract, label, err, errlen)))
		goto cleanup;
	*out = t;
	t = NULL;
cleanup:
	free(chain);
	free(regions);
	template_free(t);
	return ret;
}

int template_resolve(const template_set *set, const char *id, const char *region,
		     template **out, char *err, size_t errlen)
{
	const struct tdoc *d = set_find(set, id);
	/* twenty-odd built-in ids, plus whatever --templates adds */
	char list[PATH_LEN * 4];

	*out = NULL;
	if (!d) {
		name_list(list, sizeof list, set->ids, set->n_ids);
		return fail(err, errlen, T_INVALID, "unknown template '%s' (known: %s)", id, list);
	}
	if (d->abstract)
		return fail(err, errlen, T_INVALID,
			    "template '%s' is an abstract base: use one of the templates that extend it",
			    id);
	return resolve_doc(set, d, region, out, err, errlen);
}

void template_free(template *t)
{
	if (!t)
		return;
	free(t->id);
	free(t->licence);
	free(t->action);
	text2_release(&t->title);
	text2_release(&t->purpose);
	free(t->region);
	text2_release(&t->region_title);
	for (size_t i = 0; i < t->n_materials; i++)
		material_release(&t->materials[i]);
	free(t->materials);
	for (size_t i = 0; i < t->n_sources; i++)
		free(t->sources[i]);
	free(t->sources);
	free(t->notes);
	free(t->origin);
	rules_release(&t->rules);
	free(t);
}

int template_lint_file(const template_set *set, const char *path, char *err, size_t errlen)
{
	struct tdoc d;
	const char **regions = NULL;
	size_t n_regions = 0;
	template *t = NULL;
	int ret;

	if ((ret = read_doc(&d, path, err, errlen)))
		return ret;
	/* Without a set, a derived template's bases are unknown: the file is
	 * checked on its own. Otherwise it is resolved as the template the user
	 * would get, once plain and once for each region, which finds what only
	 * merging shows (a patch of a material that is not inherited, say). */
	if (d.extends && !set)
		goto cleanup;
	if ((ret = resolve_doc(set, &d, NULL, &t, err, errlen)))
		goto cleanup;
	template_free(t);
	t = NULL;
	if ((ret = regions_of(set, &d, &regions, &n_regions))) {
		ret = oom(err, errlen);
		goto cleanup;
	}
	for (size_t i = 0; i < n_regions && !ret; i++) {
		ret = resolve_doc(set, &d, regions[i], &t, err, errlen);
		template_free(t);
		t = NULL;
	}
cleanup:
	free(regions);
	doc_release(&d);
	return ret;
}

const material *template_material(const template *t, const char *id)
{
	for (size_t i = 0; i < t->n_materials; i++)
		if (strcmp(t->materials[i].id, id) == 0)
			return &t->materials[i];
	return NULL;
}
