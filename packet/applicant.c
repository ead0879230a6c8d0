/*
 * applicant: packet.json, read into an `applicant` (see applicant.h).
 *
 * The parser is forgiving where that helps a person (missing keys are simply
 * absent) and strict where a silent mistake would cost them (a key of the
 * wrong type, or an unknown key that is probably a typo, is a finding naming
 * the key). Objects and arrays of records are described by tables of their
 * string fields, so each section is one table, not one more parser.
 *
 * Before any field is read, the whole tree is checked for what cJSON lets
 * pass silently: text after the JSON value, a NUL (raw, or \u0000, which
 * would cut a value short), invalid UTF-8 and keys given twice in one object
 * (cJSON's lookups take the first). Each is a `packet-json` error naming the
 * key. Every value is then stored with its control characters (ESC, bidi
 * overrides) and invalid bytes escaped as file names are (escape_name), so
 * that no value from the file can drive the terminal a report is printed on.
 * Assignment paths under "files" are kept as written: they are compared with
 * the names on disk, and escaped where they are shown (check.c).
 */
#include "packet/applicant.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/jsontext.h"
#include "packet/normalise.h"
#include "packet/scan.h"
#include "packet/util.h"

/* A string member of an object, stored at an offset into the struct it fills. */
typedef struct {
	const char *key;
	size_t off;
} field;

typedef struct {
	const char *name;   /* the file's name, for messages */
	applicant *a;
	finding_list *fl;
	int oom;
} parser;

#define LP_STR_(x) #x
#define LP_STR(x) LP_STR_(x)

#define FIELD_AT(base, f) ((char **)((char *)(base) + (f)->off))

static void bad(parser *p, const char *path, const char *what_en, const char *what_zh)
{
	char *safe = escape_name(path);

	if (!safe || findings_add(p->fl, "packet-json", NULL, p->name, lp_strdupf("'%s': %s: %s", p->name, safe, what_en),
				  lp_strdupf("'%s'：%s：%s", p->name, safe, what_zh)))
		p->oom = 1;
	free(safe);
}

/* A value as stored: escaped for display (see the top of this file). */
static char *store(parser *p, const char *s)
{
	char *v = escape_name(s);

	if (!v)
		p->oom = 1;
	return v;
}

int applicant_is_placeholder(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 2 && s[0] == '<' && s[n - 1] == '>';
}

static void note_unfilled(parser *p, const char *path)
{
	char **v = realloc(p->a->unfilled, (p->a->n_unfilled + 1) * sizeof *v);

	if (!v || !(v[p->a->n_unfilled] = escape_name(path))) {
		if (v)
			p->a->unfilled = v;
		p->oom = 1;
		return;
	}
	p->a->unfilled = v;
	p->a->n_unfilled++;
}

/* 1 when s holds nothing but white space (ASCII, or the ideographic space
 * U+3000 that Chinese input methods type). */
static int is_blank(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || strncmp(s, "\xE3\x80\x80", 3) == 0)
		s += *s == '\xE3' ? 3 : 1;
	return *s == '\0';
}

/* The string at obj[key] into *out; absent or null leaves it NULL; a
 * placeholder is noted as unfilled and left NULL. */
static void get_string(parser *p, const cJSON *obj, const char *key, const char *prefix, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char path[160];

	if (!v || cJSON_IsNull(v))
		return;
	snprintf(path, sizeof path, "%s%s", prefix, key);
	if (!cJSON_IsString(v)) {
		bad(p, path, "expected a string", "应为字符串");
		return;
	}
	if (applicant_is_placeholder(v->valuestring)) {
		note_unfilled(p, path);
		return;
	}
	if (is_blank(v->valuestring))
		bad(p, path, "empty: give a value or leave the key out", "为空：请填写，或删去该键");
	*out = store(p, v->valuestring);
}

/* Unknown keys: every member of obj must be in fields or extra. */
static void check_keys(parser *p, const cJSON *obj, const field *fields, const char *const *extra,
		       const char *prefix)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		int found = 0;
		const field *f;
		const char *const *x;
		for (f = fields; f && f->key; f++)
			found |= strcmp(f->key, it->string) == 0;
		for (x = extra; x && *x; x++)
			found |= strcmp(*x, it->string) == 0;
		if (!found) {
			char path[160];
			snprintf(path, sizeof path, "%s%s", prefix, it->string);
			bad(p, path, "unknown key", "未知的键");
		}
	}
}

static void get_fields(parser *p, const cJSON *obj, const field *fields, const char *prefix, void *base)
{
	const field *f;

	for (f = fields; f->key; f++)
		get_string(p, obj, f->key, prefix, FIELD_AT(base, f));
}

/* An optional object member whose string fields fill base. */
static const cJSON *get_section(parser *p, const cJSON *root, const char *key, const field *fields,
				const char *const *extra, void *base)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, key);
	char prefix[64];

	if (!o || cJSON_IsNull(o))
		return NULL;
	if (!cJSON_IsObject(o)) {
		bad(p, key, "expected an object", "应为对象");
		return NULL;
	}
	snprintf(prefix, sizeof prefix, "%s.", key);
	check_keys(p, o, fields, extra, prefix);
	get_fields(p, o, fields, prefix, base);
	return o;
}

/* An array of records of `size` bytes, each an object with string fields;
 * the first field is required. A bare string is short for {first: string}.
 * The array gets one zeroed slot past *n so that a record abandoned half-way
 * is still freed by applicant_release. */
static void get_records(parser *p, const cJSON *root, const char *key, const field *fields, size_t size,
			void **out, size_t *n)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key), *it;
	char *recs;
	int i = 0;

	if (!arr || cJSON_IsNull(arr))
		return;
	if (!cJSON_IsArray(arr)) {
		bad(p, key, "expected an array", "应为数组");
		return;
	}
	recs = calloc((size_t)cJSON_GetArraySize(arr) + 1, size);
	if (!recs) {
		p->oom = 1;
		return;
	}
	*out = recs;
	cJSON_ArrayForEach(it, arr) {
		char prefix[64];
		void *rec = recs + *n * size;
		const field *f;
		snprintf(prefix, sizeof prefix, "%s[%d]", key, i++);
		if (cJSON_IsString(it) && !applicant_is_placeholder(it->valuestring)) {
			if (is_blank(it->valuestring))
				bad(p, prefix, "empty: give a value or leave the entry out", "为空：请填写，或删去该项");
			if (!(*FIELD_AT(rec, fields) = store(p, it->valuestring)))
				return;
			(*n)++;
			continue;
		}
		if (!cJSON_IsObject(it)) {
			if (cJSON_IsString(it))
				note_unfilled(p, prefix);
			else
				bad(p, prefix, "expected an object", "应为对象");
			continue;
		}
		strcat(prefix, ".");
		check_keys(p, it, fields, NULL, prefix);
		get_fields(p, it, fields, prefix, rec);
		if (!*FIELD_AT(rec, fields)) {
			/* no name: not a record; free what it had and reuse the slot */
			int unfilled = cJSON_GetObjectItemCaseSensitive(it, fields->key) != NULL;
			for (f = fields; f->key; f++) {
				free(*FIELD_AT(rec, f));
				*FIELD_AT(rec, f) = NULL;
			}
			if (!unfilled) {
				char msg_en[96], msg_zh[96];
				prefix[strlen(prefix) - 1] = '\0';
				snprintf(msg_en, sizeof msg_en, "needs a \"%s\"", fields->key);
				snprintf(msg_zh, sizeof msg_zh, "缺少 \"%s\"", fields->key);
				bad(p, prefix, msg_en, msg_zh);
			}
			continue;
		}
		(*n)++;
	}
}

static void get_files(parser *p, const cJSON *root)
{
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "files"), *it;
	applicant *a = p->a;

	if (!obj || cJSON_IsNull(obj))
		return;
	if (!cJSON_IsObject(obj)) {
		bad(p, "files", "expected an object", "应为对象");
		return;
	}
	a->files = calloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof *a->files);
	if (!a->files) {
		p->oom = 1;
		return;
	}
	cJSON_ArrayForEach(it, obj) {
		applicant_files *af = &a->files[a->n_files];
		const cJSON *e;
		char path[160];

		snprintf(path, sizeof path, "files.%s", it->string);
		if (!cJSON_IsString(it) && !cJSON_IsArray(it)) {
			bad(p, path, "expected an array of paths", "应为路径数组");
			continue;
		}
		if (!(af->material = store(p, it->string)) ||
		    !(af->paths = calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof *af->paths))) {
			p->oom = 1;
			return;
		}
		a->n_files++;
		if (cJSON_IsString(it)) {
			if (!(af->paths[0] = strdup(it->valuestring)))
				p->oom = 1;
			else
				af->n_paths = 1;
			continue;
		}
		cJSON_ArrayForEach(e, it) {
			if (!cJSON_IsString(e)) {
				bad(p, path, "expected an array of paths", "应为路径数组");
				continue;
			}
			if (!(af->paths[af->n_paths] = strdup(e->valuestring))) {
				p->oom = 1;
				return;
			}
			af->n_paths++;
		}
	}
}

/* A number in section sec (company.capital_wan, ...): absent, a placeholder
 * (unfilled) or a number from 0 to max; *has says whether it was given. */
static void get_number(parser *p, const cJSON *sec, const char *sec_name, const char *key, double max,
		       const char *what_en, const char *what_zh, double *out, int *has)
{
	const cJSON *v = sec ? cJSON_GetObjectItemCaseSensitive(sec, key) : NULL;
	char path[64];

	snprintf(path, sizeof path, "%s.%s", sec_name, key);
	if (!v || cJSON_IsNull(v))
		return;
	if (cJSON_IsString(v) && applicant_is_placeholder(v->valuestring)) {
		note_unfilled(p, path);
		return;
	}
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max) {
		bad(p, path, what_en, what_zh);
		return;
	}
	*out = v->valuedouble;
	*has = 1;
}

static void get_capital(parser *p, const cJSON *company)
{
	get_number(p, company, "company", "capital_wan", 1e12, "expected a number of 万元 (10,000 yuan)",
		   "应为数字（万元）", &p->a->capital_wan, &p->a->has_capital);
	get_number(p, company, "company", "paid_in_wan", 1e12, "expected a number of 万元 (10,000 yuan)",
		   "应为数字（万元）", &p->a->paid_in_wan, &p->a->has_paid_in);
	get_number(p, company, "company", "foreign_share", 100, "expected a percentage from 0 to 100",
		   "应为 0 到 100 的百分比", &p->a->foreign_share, &p->a->has_foreign_share);
}

/* --- what cJSON lets pass ------------------------------------------------ */

static int key_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Keys given more than once in obj, each said once. */
static void check_duplicates(parser *p, const cJSON *obj, const char *path)
{
	const cJSON *it;
	const char **keys;
	size_t n = 0, i;

	cJSON_ArrayForEach(it, obj)
		n++;
	if (n < 2)
		return;
	if (!(keys = malloc(n * sizeof *keys))) {
		p->oom = 1;
		return;
	}
	n = 0;
	cJSON_ArrayForEach(it, obj)
		keys[n++] = it->string;
	qsort(keys, n, sizeof *keys, key_cmp);
	for (i = 1; i < n; i++) {
		char sub[160];
		if (strcmp(keys[i], keys[i - 1]) != 0 || (i > 1 && strcmp(keys[i - 1], keys[i - 2]) == 0))
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", keys[i]);
		bad(p, sub, "given more than once (only the first would count)", "重复出现（只有第一个会被采用）");
	}
	free(keys);
}

/* node's keys and strings, and those below it: valid UTF-8, no key twice in
 * one object, no NUL. alt is the same place in the tree parsed with every
 * \u0000 made \u0001 (NULL when the text has none): where the two differ,
 * a NUL cut the text short. */
static void check_tree(parser *p, const cJSON *node, const cJSON *alt, const char *path)
{
	const cJSON *it, *ait = alt ? alt->child : NULL;
	int i = 0, object = cJSON_IsObject(node);

	if (cJSON_IsString(node)) {
		if (!utf8_valid(node->valuestring, strlen(node->valuestring)))
			bad(p, path, "not valid UTF-8 text", "不是有效的 UTF-8 文本");
		if (alt && strcmp(node->valuestring, alt->valuestring) != 0)
			bad(p, path, "holds a NUL character (\\u0000), which cuts it short",
			    "含有 NUL 字符（\\u0000），内容会被截断");
		return;
	}
	if (object)
		check_duplicates(p, node, path);
	cJSON_ArrayForEach(it, node) {
		char sub[160];
		if (object) {
			snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", it->string);
			if (!utf8_valid(it->string, strlen(it->string)))
				bad(p, sub, "the key is not valid UTF-8 text", "键名不是有效的 UTF-8 文本");
			if (ait && strcmp(it->string, ait->string) != 0)
				bad(p, sub, "the key holds a NUL character (\\u0000)", "键名含有 NUL 字符（\\u0000）");
		} else {
			snprintf(sub, sizeof sub, "%s[%d]", path, i++);
		}
		check_tree(p, it, ait, sub);
		if (ait)
			ait = ait->next;
	}
}

/* The offset of the first \u0000 escape in text (an escaped backslash
 * before "u0000" is text, not an escape), or len when there is none; with
 * copy, every one is written there as \u0001. */
static size_t nul_escape(const char *text, size_t len, char *copy)
{
	size_t i, first = len;

	for (i = 0; i < len; i++) {
		if (text[i] != '\\' || i + 1 >= len)
			continue;
		if (text[i + 1] == 'u' && i + 6 <= len && memcmp(text + i + 2, "0000", 4) == 0) {
			if (first == len)
				first = i;
			if (copy)
				copy[i + 5] = '1';
		}
		i++; /* the escaped character */
	}
	return first;
}

/* 1 when the first len bytes of text open more than CJSON_NESTING_LIMIT
 * arrays and objects at once (cJSON's limit, which it reports as a syntax
 * error). Brackets inside strings do not count. */
static int too_deep(const char *text, size_t len)
{
	size_t i, depth = 0;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > CJSON_NESTING_LIMIT)
				return 1;
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return 0;
}

/* Parse the whole text: one JSON value and only white space after it, no NUL
 * byte. NULL (with a finding, or p->oom) when it is not that; else the root,
 * and in *alt the tree with each \u0000 made \u0001 when there is one (both
 * for the caller to cJSON_Delete). */
static cJSON *parse_whole(parser *p, const char *text, size_t len, cJSON **alt)
{
	const char *end = NULL, *nul = memchr(text, '\0', len);
	const char *why_en = "not valid JSON", *why_zh = "不是有效的 JSON";
	cJSON *root = NULL;
	char *copy;
	int line, col;

	*alt = NULL;
	if (nul) {
		end = nul;
		why_en = "a NUL byte: not JSON text";
		why_zh = "含有 NUL 字节，不是 JSON 文本";
		goto refuse;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root && end && end >= text && too_deep(text, (size_t)(end - text) + 1)) {
		why_en = "nested more than " LP_STR(CJSON_NESTING_LIMIT) " arrays or objects deep";
		why_zh = "数组或对象嵌套超过 " LP_STR(CJSON_NESTING_LIMIT) " 层";
	}
	if (!root)
		goto refuse;
	while (end < text + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
		end++;
	if (end < text + len) {
		why_en = "text after the end of the JSON value";
		why_zh = "JSON 值结束后还有多余内容";
		goto refuse;
	}
	if (nul_escape(text, len, NULL) == len)
		return root;
	if (!(copy = malloc(len)))
		goto oom;
	memcpy(copy, text, len);
	nul_escape(text, len, copy);
	*alt = cJSON_ParseWithLengthOpts(copy, len, NULL, 0);
	free(copy);
	if (*alt)
		return root;
oom:
	p->oom = 1;
	cJSON_Delete(root);
	return NULL;
refuse:
	cJSON_Delete(root);
	text_position(text, end && end >= text ? (size_t)(end - text) : 0, &line, &col);
	if (findings_add(p->fl, "packet-json", NULL, p->name, lp_strdupf("'%s':%d:%d: %s", p->name, line, col, why_en),
			 lp_strdupf("'%s' 第 %d 行第 %d 列：%s", p->name, line, col, why_zh)))
		p->oom = 1;
	return NULL;
}

#define F(type, member) { #member, offsetof(type, member) }

int applicant_parse(const char *text, size_t len, const char *name, applicant *a, finding_list *fl)
{
	static const field top[] = { { "template", offsetof(applicant, template_id) },
				     { "region", offsetof(applicant, region) }, { NULL, 0 } };
	static const char *const top_extra[] = { "company", "legal_rep", "licence", "domains", "staff",
						 "shareholders", "change", "prerequisite", "files", "hosting",
						 "$schema", "comment", NULL };
	static const field company[] = { { "name", offsetof(applicant, company_name) },
					 { "uscc", offsetof(applicant, company_uscc) },
					 { "coverage", offsetof(applicant, coverage) }, { NULL, 0 } };
	static const char *const company_extra[] = { "capital_wan", "paid_in_wan", "foreign_share", NULL };
	static const field rep[] = { { "name", offsetof(applicant, rep_name) },
				     { "id_number", offsetof(applicant, rep_id_number) },
				     { "id_expiry", offsetof(applicant, rep_id_expiry) }, { NULL, 0 } };
	static const field lic[] = { { "number", offsetof(applicant, licence_number) },
				     { "expiry", offsetof(applicant, licence_expiry) }, { NULL, 0 } };
	static const field change[] = { { "date", offsetof(applicant, change_date) },
					{ "what", offsetof(applicant, change_what) },
					{ "kind", offsetof(applicant, change_kind) },
					{ "decision_date", offsetof(applicant, change_decision_date) }, { NULL, 0 } };
	static const field hosting[] = { { "expiry", offsetof(applicant, hosting_expiry) }, { NULL, 0 } };
	static const field prereq[] = { { "kind", offsetof(applicant, prereq_kind) },
					{ "number", offsetof(applicant, prereq_number) },
					{ "expiry", offsetof(applicant, prereq_expiry) },
					{ "coverage", offsetof(applicant, prereq_coverage) }, { NULL, 0 } };
	static const field domain[] = { F(applicant_domain, name), F(applicant_domain, expiry), { NULL, 0 } };
	static const field staff[] = { F(applicant_staff, name), F(applicant_staff, role),
				       F(applicant_staff, id_number), F(applicant_staff, id_expiry), { NULL, 0 } };
	static const field holder[] = { F(applicant_shareholder, name), F(applicant_shareholder, kind),
					F(applicant_shareholder, uscc), F(applicant_shareholder, id_number),
					{ NULL, 0 } };
	parser p = { name, a, fl, 0 };
	cJSON *root, *alt = NULL;

	memset(a, 0, sizeof *a);
	root = parse_whole(&p, text, len, &alt);
	if (!root)
		return p.oom ? -1 : 0;
	if (!cJSON_IsObject(root)) {
		bad(&p, "(top level)", "expected an object", "应为对象");
		goto cleanup;
	}
	check_tree(&p, root, alt, "");
	a->present = 1;
	check_keys(&p, root, top, top_extra, "");
	get_fields(&p, root, top, "", a);
	get_capital(&p, get_section(&p, root, "company", company, company_extra, a));
	get_section(&p, root, "legal_rep", rep, NULL, a);
	get_section(&p, root, "licence", lic, NULL, a);
	get_section(&p, root, "change", change, NULL, a);
	get_section(&p, root, "prerequisite", prereq, NULL, a);
	get_section(&p, root, "hosting", hosting, NULL, a);
	get_records(&p, root, "domains", domain, sizeof *a->domains, (void **)&a->domains, &a->n_domains);
	get_records(&p, root, "staff", staff, sizeof *a->staff, (void **)&a->staff, &a->n_staff);
	get_records(&p, root, "shareholders", holder, sizeof *a->shareholders, (void **)&a->shareholders,
		    &a->n_shareholders);
	get_files(&p, root);
cleanup:
	cJSON_Delete(alt);
	cJSON_Delete(root);
	return p.oom ? -1 : 0;
}

/* Why packet.json cannot be read, as a finding; err is errno from
 * opening it through scan_open_root (ELOOP: a link out of the folder,
 * EINVAL: not a regular file, ENOENT for a link: a broken link). */
static int unreadable(finding_list *fl, int err, int link)
{
	if (link && err == ENOENT)
		return findings_add(fl, "packet-json", NULL, "packet.json",
				    lp_strdupf("'packet.json': symbolic link to nothing (broken): refused"),
				    lp_strdupf("'packet.json'：符号链接已失效，已拒绝"));
	if (err == ELOOP)
		return findings_add(fl, "packet-json", NULL, "packet.json",
				    lp_strdupf("'packet.json': symbolic link to a place outside the folder: refused"),
				    lp_strdupf("'packet.json'：符号链接指向文件夹之外，已拒绝"));
	if (err == EINVAL)
		return findings_add(fl, "packet-json", NULL, "packet.json",
				    lp_strdupf("'packet.json': not a regular file (a folder, FIFO, socket or device)"),
				    lp_strdupf("'packet.json'：不是普通文件（是文件夹、管道、套接字或设备）"));
	return findings_add(fl, "packet-json", NULL, "packet.json",
			    lp_strdupf("'packet.json': cannot read: %s", strerror(err)),
			    lp_strdupf("'packet.json'：无法读取：%s", lp_strerror_zh(err)));
}

/* packet.json is opened as materials are (scan_open_root): a link is
 * followed only to a regular file inside the folder. */
int applicant_load(const char *dir, applicant *a, finding_list *fl)
{
	char *path = lp_path_join(dir, "packet.json"), *root = NULL;
	uint8_t *text = NULL;
	struct stat st;
	size_t len;
	int fd = -1, r, ret = 0;

	memset(a, 0, sizeof *a);
	if (!path)
		return -1;
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT) {
			a->found = 1;
			ret = unreadable(fl, errno, 0);
		}
		goto cleanup;
	}
	a->found = 1;
	root = realpath(dir, NULL);
	fd = root ? scan_open_root(root, dir, "packet.json") : -1;
	if (fd < 0) {
		ret = unreadable(fl, errno, S_ISLNK(st.st_mode));
		goto cleanup;
	}
	r = lp_read_fd(fd, APPLICANT_MAX_BYTES, &text, &len);
	if (r == -2)
		ret = findings_add(fl, "packet-json", NULL, "packet.json",
				   lp_strdupf("'packet.json': larger than %d bytes", APPLICANT_MAX_BYTES),
				   lp_strdupf("'packet.json'：超过 %d 字节", APPLICANT_MAX_BYTES));
	else if (r == -1)
		ret = errno == ENOMEM ? -1 : unreadable(fl, errno, 0);
	else
		ret = applicant_parse((const char *)text, len, "packet.json", a, fl);
	a->found = 1; /* applicant_parse starts from a zeroed struct */
cleanup:
	if (fd >= 0)
		close(fd);
	free(text);
	free(root);
	free(path);
	return ret;
}

/* Free the string fields of n + 1 records (the extra zeroed slot may hold a
 * half-parsed one) and the array. */
static void free_records(void *recs, size_t n, size_t size, size_t nfields)
{
	size_t i, j;

	for (i = 0; recs && i <= n; i++)
		for (j = 0; j < nfields; j++)
			free(((char **)((char *)recs + i * size))[j]);
	free(recs);
}

void applicant_release(applicant *a)
{
	char **strings[] = { &a->template_id, &a->region, &a->company_name, &a->company_uscc, &a->coverage,
			     &a->rep_name, &a->rep_id_number, &a->rep_id_expiry, &a->licence_number,
			     &a->licence_expiry, &a->change_date, &a->change_what, &a->prereq_kind,
			     &a->prereq_number, &a->prereq_expiry, &a->prereq_coverage, &a->change_kind,
			     &a->change_decision_date, &a->hosting_expiry };
	size_t i, j;

	for (i = 0; i < sizeof strings / sizeof strings[0]; i++)
		free(*strings[i]);
	/* records are structs of char pointers only: freed field by field */
	free_records(a->domains, a->n_domains, sizeof *a->domains, sizeof *a->domains / sizeof(char *));
	free_records(a->staff, a->n_staff, sizeof *a->staff, sizeof *a->staff / sizeof(char *));
	free_records(a->shareholders, a->n_shareholders, sizeof *a->shareholders,
		     sizeof *a->shareholders / sizeof(char *));
	for (i = 0; a->files && i <= a->n_files; i++) {
		for (j = 0; j < a->files[i].n_paths; j++)
			free(a->files[i].paths[j]);
		free(a->files[i].paths);
		free(a->files[i].material);
	}
	free(a->files);
	for (i = 0; i < a->n_unfilled; i++)
		free(a->unfilled[i]);
	free(a->unfilled);
	memset(a, 0, sizeof *a);
}
