/*
 * summary: batch rows, result files, summary.csv / summary.json, and the
 * merge of shard summaries (see summary.h).
 */
#include "packet/summary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/output.h"
#include "packet/jsontext.h"
#include "packet/normalise.h"
#include "packet/util.h"

/* Largest result or summary file read back: findings of one applicant are a
 * few kilobytes; a merged summary of a very large batch is much more. */
#define RESULT_MAX_BYTES ((size_t)64 << 20)
#define SUMMARY_MAX_BYTES ((size_t)4 << 30)

uint64_t summary_fnv1a64(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Add key: s (or null) to o; clears *ok on failure. */
static void put_str(cJSON *o, const char *key, const char *s, int *ok)
{
	cJSON *v = str_or_null(s);

	if (!v || !cJSON_AddItemToObject(o, key, v)) {
		cJSON_Delete(v);
		*ok = 0;
	}
}

static void put_num(cJSON *o, const char *key, double n, int *ok)
{
	if (!cJSON_AddNumberToObject(o, key, n))
		*ok = 0;
}

/* 1 when s is one of the n strings at v (NULL entries skipped). */
static int among(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] && strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

/* Masked names are rare (a folder named after an ID number); the checks of
 * a taken name are linear in n, which only they pay. */
char **summary_output_names(const char *const *names, size_t n)
{
	char **out = calloc(n + 1, sizeof *out), **masked = calloc(n + 1, sizeof *masked);
	const char *const **order = calloc(n + 1, sizeof *order);
	size_t i, j;
	int ok = out && masked && order;

	/* names kept as they are hold their place from the start */
	for (i = 0; ok && i < n; i++) {
		order[i] = &names[i];
		ok = (masked[i] = strdup(names[i])) != NULL;
		if (ok && mask_id_numbers(masked[i]) == 0) {
			out[i] = masked[i];
			masked[i] = NULL;
		}
	}
	if (ok && n > 1)
		qsort(order, n, sizeof *order, by_name);
	/* a masked one, in name order, takes the first of NAME, NAME_2, ...
	 * that is no folder's name and no output name given so far */
	for (j = 0; ok && j < n; j++) {
		size_t k = (size_t)(order[j] - names);
		unsigned suffix = 1;
		char *cand;
		if (!masked[k])
			continue;
		cand = masked[k];
		while (cand && (among(out, n, cand) || among((char *const *)names, n, cand))) {
			if (cand != masked[k])
				free(cand);
			cand = lp_strdupf("%s_%u", masked[k], ++suffix);
		}
		ok = cand != NULL;
		out[k] = cand;
		if (cand == masked[k])
			masked[k] = NULL;
	}
	for (i = 0; masked && i < n; i++)
		free(masked[i]);
	free(masked);
	free(order);
	if (!ok) {
		for (i = 0; out && i < n; i++)
			free(out[i]);
		free(out);
		return NULL;
	}
	return out;
}

static char *path_in(const char *applicant, const char *file, int written)
{
	return written ? lp_strdupf("%s/%s", applicant, file) : NULL;
}

cJSON *summary_row_new(const summary_row_in *in)
{
	const check_result *r = in->r;
	cJSON *row = cJSON_CreateObject(), *missing, *findings;
	char *pdf = NULL, *zip = NULL, *rep = NULL, *pdf_name = NULL, *zip_name = NULL, *message = NULL;
	const char *status = in->exit_code == 0 ? "complete" : in->exit_code == 1 ? "incomplete" : "failed";
	int ok = row != NULL;
	size_t i;

	if (!ok)
		return NULL;
	pdf_name = in->pdf_name ? lp_strdupf("%s", in->pdf_name) : lp_strdupf("%s.pdf", in->applicant);
	zip_name = lp_strdupf("%s.zip", in->applicant);
	if (!pdf_name || !zip_name) {
		ok = 0;
		goto cleanup;
	}
	pdf = path_in(in->applicant, pdf_name, in->packet_written);
	zip = path_in(in->applicant, zip_name, in->packet_written);
	rep = path_in(in->applicant, "report.json", in->reports_written);
	if ((in->packet_written && (!pdf || !zip)) || (in->reports_written && !rep)) {
		ok = 0;
		goto cleanup;
	}
	put_str(row, "applicant", in->applicant, &ok);
	put_str(row, "company", in->company, &ok);
	put_str(row, "template", r && r->tpl ? r->tpl->id : in->template_id, &ok);
	put_str(row, "region", r && r->tpl ? r->tpl->region : in->region, &ok);
	put_str(row, "status", status, &ok);
	put_str(row, "result", "fresh", &ok);
	put_num(row, "exit", in->exit_code, &ok);
	put_num(row, "errors", r ? (double)findings_count(&r->findings, SEV_ERROR) : 0, &ok);
	put_num(row, "warnings", r ? (double)findings_count(&r->findings, SEV_WARNING) : 0, &ok);
	missing = cJSON_AddArrayToObject(row, "missing");
	if (!missing)
		ok = 0;
	for (i = 0; ok && r && r->tpl && r->state && i < r->tpl->n_materials; i++) {
		cJSON *id;
		if (r->state[i] != MAT_MISSING)
			continue;
		id = cJSON_CreateString(r->tpl->materials[i].id);
		if (!id || !cJSON_AddItemToArray(missing, id)) {
			cJSON_Delete(id);
			ok = 0;
		}
	}
	put_str(row, "packet", pdf, &ok);
	put_str(row, "zip", zip, &ok);
	put_str(row, "report", rep, &ok);
	/* a failure's message may name the folder's path: no ID number in it */
	if (in->exit_code >= 2 && in->message && in->message[0] && (message = strdup(in->message)))
		mask_id_numbers(message);
	if (in->exit_code >= 2 && in->message && in->message[0] && !message)
		ok = 0;
	put_str(row, "message", message, &ok);
	findings = cJSON_AddArrayToObject(row, "findings");
	if (!findings)
		ok = 0;
	else if (ok && r)
		report_findings_json(findings, &r->findings, in->lang, &ok);
cleanup:
	free(pdf);
	free(zip);
	free(rep);
	free(pdf_name);
	free(zip_name);
	free(message);
	if (!ok) {
		cJSON_Delete(row);
		return NULL;
	}
	return row;
}

int summary_row_status(const cJSON *row, int *errors, int *warnings)
{
	const char *s = json_get_str(row, "status");

	if (!cJSON_IsObject(row) || !json_get_str(row, "applicant") || !s)
		return -1;
	if (errors)
		*errors = json_get_int(row, "errors");
	if (warnings)
		*warnings = json_get_int(row, "warnings");
	if (strcmp(s, "complete") == 0)
		return 0;
	if (strcmp(s, "incomplete") == 0)
		return 1;
	if (strcmp(s, "failed") == 0)
		return 2;
	return -1;
}

int summary_row_set_result(cJSON *row, const char *result)
{
	cJSON *v = cJSON_CreateString(result);

	if (!v)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(row, "result"))
		return cJSON_ReplaceItemInObjectCaseSensitive(row, "result", v) ? 0 : (cJSON_Delete(v), -1);
	return cJSON_AddItemToObject(row, "result", v) ? 0 : (cJSON_Delete(v), -1);
}

/* ---- CSV ---- */

const char summary_csv_header[] =
	"applicant,company,template,region,status,result,errors,warnings,missing,packet,zip,message\r\n";

typedef struct {
	char *p;
	size_t n, cap;
	int oom;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->n + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap))) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void buf_str(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* One text field, RFC 4180: quoted when it holds a comma, a quote, CR or LF,
 * quotes doubled. A field that a spreadsheet would take for a formula (first
 * character = + - @ TAB CR) gets a leading apostrophe, as OWASP advises for
 * CSV opened in Excel: company names come from packet.json, i.e. from the
 * applicant. */
static void csv_text(buf *b, const char *s)
{
	int quote;
	const char *p;

	if (!s)
		return;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_str(b, "\"");
	if (strchr("=+-@\t\r", s[0]) && s[0])
		buf_str(b, "'");
	for (p = s; *p; p++)
		buf_add(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	if (quote)
		buf_str(b, "\"");
}

char *summary_csv_record(const cJSON *row)
{
	static const char *const texts1[] = { "applicant", "company", "template", "region", "status", "result" };
	static const char *const texts2[] = { "packet", "zip", "message" };
	const cJSON *missing = cJSON_GetObjectItemCaseSensitive(row, "missing"), *m;
	buf b = { 0 }, ids = { 0 };
	char num[32];
	size_t i;

	for (i = 0; i < sizeof texts1 / sizeof texts1[0]; i++) {
		csv_text(&b, json_get_str(row, texts1[i]));
		buf_str(&b, ",");
	}
	snprintf(num, sizeof num, "%d,%d,", json_get_int(row, "errors"), json_get_int(row, "warnings"));
	buf_str(&b, num);
	cJSON_ArrayForEach(m, missing) {
		if (!cJSON_IsString(m))
			continue;
		if (ids.n)
			buf_str(&ids, ";");
		buf_str(&ids, m->valuestring);
	}
	if (ids.oom)
		b.oom = 1;
	csv_text(&b, ids.n ? ids.p : NULL);
	free(ids.p);
	for (i = 0; i < sizeof texts2 / sizeof texts2[0]; i++) {
		buf_str(&b, ",");
		csv_text(&b, json_get_str(row, texts2[i]));
	}
	buf_str(&b, "\r\n");
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* ---- result files ---- */

int summary_result_write(const char *path, const char *options, const struct timespec *started,
			 const cJSON *row, int sync, lp_err *err)
{
	cJSON *doc = cJSON_CreateObject(), *st, *copy;
	char *text = NULL;
	int ok = doc != NULL, ret = -1;

	put_num(doc, "licpack_result", 1, &ok);
	put_str(doc, "options", options, &ok);
	st = ok ? cJSON_AddArrayToObject(doc, "started") : NULL;
	if (!st || !cJSON_AddItemToArray(st, cJSON_CreateNumber((double)started->tv_sec)) ||
	    !cJSON_AddItemToArray(st, cJSON_CreateNumber((double)started->tv_nsec)))
		ok = 0;
	copy = ok ? cJSON_Duplicate(row, 1) : NULL;
	if (!copy || !cJSON_AddItemToObject(doc, "row", copy)) {
		cJSON_Delete(copy);
		ok = 0;
	}
	text = ok ? cJSON_Print(doc) : NULL;
	if (!text) {
		lp_nomem(err);
		goto cleanup;
	}
	ret = output_write_file(path, text, strlen(text), sync, err);
cleanup:
	cJSON_free(text);
	cJSON_Delete(doc);
	return ret;
}

cJSON *summary_result_read(const char *path, char **options, struct timespec *started,
			   lp_err *err)
{
	char *text = NULL;
	size_t len;
	cJSON *doc = NULL, *row = NULL;
	const cJSON *v, *st;

	if (options)
		*options = NULL;
	if (read_text_file(path, RESULT_MAX_BYTES, &text, &len) != 0) {
		lp_fail_sys(err, LP_E_READ, errno, path);
		return NULL;
	}
	doc = cJSON_ParseWithLength(text, len);
	v = cJSON_GetObjectItemCaseSensitive(doc, "licpack_result");
	st = cJSON_GetObjectItemCaseSensitive(doc, "started");
	if (!cJSON_IsNumber(v) || v->valueint != 1 || !cJSON_IsArray(st) || cJSON_GetArraySize(st) != 2 ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "options")) ||
	    summary_row_status(cJSON_GetObjectItemCaseSensitive(doc, "row"), NULL, NULL) < 0) {
		lp_fail(err, LP_E_SUMMARY_NOT_RESULT, path);
		goto cleanup;
	}
	if (options && !(*options = strdup(json_get_str(doc, "options")))) {
		lp_nomem(err);
		goto cleanup;
	}
	if (started) {
		started->tv_sec = (time_t)cJSON_GetArrayItem(st, 0)->valuedouble;
		started->tv_nsec = (long)cJSON_GetArrayItem(st, 1)->valuedouble;
	}
	row = cJSON_DetachItemFromObjectCaseSensitive(doc, "row");
cleanup:
	cJSON_Delete(doc);
	free(text);
	return row;
}

/* ---- summary files ---- */

enum { C_COMPLETE, C_INCOMPLETE, C_FAILED, C_FRESH, C_SKIPPED };

struct summary_writer {
	output_file json, csv;
	size_t rows;
	size_t counts[5];
	char *last;          /* the previous row's applicant, to keep the order honest */
};

int summary_writer_begin(summary_writer **out, const char *outdir, const char *base, int sync, lp_err *err)
{
	summary_writer *w = calloc(1, sizeof *w);
	char *jpath = NULL, *cpath = NULL;
	static const char bom_header[] = "\xEF\xBB\xBF";
	static const char json_head[] = "{\n\t\"licpack_summary\":\t1,\n\t\"applicants\":\t[";

	*out = NULL;
	if (!w || !(jpath = lp_strdupf("%s/%s.json", outdir, base)) || !(cpath = lp_strdupf("%s/%s.csv", outdir, base))) {
		lp_nomem(err);
		free(w);
		free(jpath);
		return -1;
	}
	w->json.fd = w->csv.fd = -1;
	if (output_begin(&w->json, jpath, sync, err) != 0 ||
	    output_begin(&w->csv, cpath, sync, err) != 0)
		goto fail;
	if (output_write(&w->json, json_head, strlen(json_head), err) != 0 ||
	    output_write(&w->csv, bom_header, 3, err) != 0 ||
	    output_write(&w->csv, summary_csv_header, strlen(summary_csv_header), err) != 0)
		goto fail;
	free(jpath);
	free(cpath);
	*out = w;
	return 0;
fail:
	free(jpath);
	free(cpath);
	summary_writer_abort(w);
	return -1;
}

int summary_writer_add(summary_writer *w, const cJSON *row, lp_err *err)
{
	char *line = NULL, *rec = NULL;
	const char *name = json_get_str(row, "applicant"), *result = json_get_str(row, "result");
	int st = summary_row_status(row, NULL, NULL), ret = -1;

	if (st < 0) {
		lp_fail(err, LP_E_SUMMARY_ROW_INVALID);
		return -1;
	}
	if (w->last && strcmp(w->last, name) >= 0) {
		lp_fail(err, LP_E_SUMMARY_ROW_ORDER, name);
		return -1;
	}
	free(w->last);
	if (!(w->last = strdup(name)) || !(line = cJSON_PrintUnformatted(row)) || !(rec = summary_csv_record(row))) {
		lp_nomem(err);
		goto cleanup;
	}
	if (output_write(&w->json, w->rows ? ",\n\t\t" : "\n\t\t", w->rows ? 4 : 3, err) != 0 ||
	    output_write(&w->json, line, strlen(line), err) != 0 ||
	    output_write(&w->csv, rec, strlen(rec), err) != 0)
		goto cleanup;
	w->rows++;
	w->counts[st == 0 ? C_COMPLETE : st == 1 ? C_INCOMPLETE : C_FAILED]++;
	w->counts[result && strcmp(result, "skipped") == 0 ? C_SKIPPED : C_FRESH]++;
	ret = 0;
cleanup:
	cJSON_free(line);
	free(rec);
	return ret;
}

int summary_writer_commit(summary_writer *w, const char *shard, int interrupted, size_t counts[5],
			  lp_err *err)
{
	char *tail = NULL, *shard_json = NULL;
	int ret = -1;

	if (shard) {
		cJSON *s = cJSON_CreateString(shard);
		shard_json = s ? cJSON_PrintUnformatted(s) : NULL;
		cJSON_Delete(s);
	}
	tail = lp_strdupf("%s],\n\t\"counts\":\t{\"applicants\":%zu,\"complete\":%zu,\"incomplete\":%zu,"
			  "\"failed\":%zu,\"fresh\":%zu,\"skipped\":%zu},\n"
			  "\t\"shard\":\t%s,\n\t\"interrupted\":\t%s\n}\n",
			  "\n\t", w->rows, w->counts[C_COMPLETE], w->counts[C_INCOMPLETE],
			  w->counts[C_FAILED], w->counts[C_FRESH], w->counts[C_SKIPPED],
			  shard_json ? shard_json : "null", interrupted ? "true" : "false");
	if (!tail || (shard && !shard_json)) {
		lp_nomem(err);
		goto fail;
	}
	if (output_write(&w->json, tail, strlen(tail), err) != 0)
		goto fail;
	if (counts)
		memcpy(counts, w->counts, sizeof w->counts);
	{
		output_file *both[2] = { &w->json, &w->csv };
		ret = output_commit_all(both, 2, err);
	}
fail:
	cJSON_free(shard_json);
	free(tail);
	summary_writer_abort(w);
	return ret;
}

void summary_writer_abort(summary_writer *w)
{
	if (!w)
		return;
	if (w->json.fd >= 0 || w->json.tmp_path)
		output_abort(&w->json);
	if (w->csv.fd >= 0 || w->csv.tmp_path)
		output_abort(&w->csv);
	free(w->last);
	free(w);
}

/* ---- merge ---- */

static int row_cmp(const void *a, const void *b)
{
	return strcmp(json_get_str(*(cJSON *const *)a, "applicant"), json_get_str(*(cJSON *const *)b, "applicant"));
}

/* Parse "K/N" or "K1,K2,.../N" (NULL: all applicants, "1/1") into n and
 * the marks in have[0..n). Returns 0; -1 when malformed, of another N, or a
 * K is marked already; -2 when out of memory. *have is allocated when n is
 * first learned. */
static int shard_mark(const char *s, unsigned long *n, unsigned char **have)
{
	const char *slash = s ? strrchr(s, '/') : NULL;
	unsigned long nn = 1, k;
	char *end;
	const char *p;

	if (s) {
		if (!slash || !slash[1])
			return -1;
		errno = 0;
		nn = strtoul(slash + 1, &end, 10);
		if (*end || nn == 0 || errno || nn > 1000000)
			return -1;
	}
	if (*n == 0) {
		if (!(*have = calloc(nn, 1)))
			return -2;
		*n = nn;
	} else if (*n != nn) {
		return -1;
	}
	if (!s) {
		if ((*have)[0])
			return -1;
		(*have)[0] = 1;
		return 0;
	}
	for (p = s; p < slash; p = end + 1) {
		if (*p < '0' || *p > '9')
			return -1;
		k = strtoul(p, &end, 10);
		if (k < 1 || k > nn || (*end != ',' && end != slash) || (*have)[k - 1])
			return -1;
		(*have)[k - 1] = 1;
		if (end == slash)
			break;
	}
	return 0;
}

/* What the summaries being merged hold: their rows, the shards of N they
 * are, whether any was interrupted. merge_rows_release frees it. */
typedef struct {
	cJSON **rows;
	size_t n, cap;
	unsigned long shard_n;
	unsigned char *have;  /* have[k]: shard k+1 of shard_n is among them */
	int interrupted;
} merge_rows;

static void merge_rows_release(merge_rows *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		cJSON_Delete(m->rows[i]);
	free(m->rows);
	free(m->have);
}

/* The summary at path read into m: its rows appended, its shard marked.
 * 0; 2 when it is not a summary, or one that does not fit the others; 3
 * when it cannot be read or memory ran out (the error recorded). */
static int merge_file(merge_rows *m, const char *path, lp_err *err)
{
	cJSON *doc, *row;
	const cJSON *v, *sh, *apps;
	char *text = NULL;
	size_t len;
	int ret = 2, st;

	if (read_text_file(path, SUMMARY_MAX_BYTES, &text, &len) != 0) {
		lp_fail_sys(err, LP_E_READ, errno, path);
		free(text);
		return 3;
	}
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	v = cJSON_GetObjectItemCaseSensitive(doc, "licpack_summary");
	apps = cJSON_GetObjectItemCaseSensitive(doc, "applicants");
	sh = cJSON_GetObjectItemCaseSensitive(doc, "shard");
	if (!doc) {
		lp_fail(err, LP_E_SUMMARY_NOT_JSON, path);
		goto cleanup;
	}
	if (!cJSON_IsNumber(v) || v->valueint != 1 || !cJSON_IsArray(apps) ||
	    !(cJSON_IsNull(sh) || cJSON_IsString(sh))) {
		lp_fail(err, LP_E_SUMMARY_NOT_SUMMARY, path);
		goto cleanup;
	}
	if ((st = shard_mark(cJSON_IsString(sh) ? sh->valuestring : NULL, &m->shard_n, &m->have)) != 0) {
		if (st == -2) {
			lp_nomem(err);
			ret = 3;
		} else if (cJSON_IsString(sh)) {
			lp_fail(err, LP_E_SUMMARY_SHARD_MISFIT, path, sh->valuestring);
		} else {
			lp_fail(err, LP_E_SUMMARY_WHOLE_MISFIT, path);
		}
		goto cleanup;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "interrupted")))
		m->interrupted = 1;
	while ((row = cJSON_DetachItemFromArray((cJSON *)apps, 0)) != NULL) {
		if (summary_row_status(row, NULL, NULL) < 0) {
			lp_fail(err, LP_E_SUMMARY_APPLICANT_INVALID, path);
			cJSON_Delete(row);
			goto cleanup;
		}
		if (m->n == m->cap) {
			cJSON **p = realloc(m->rows, (m->cap ? m->cap * 2 : 64) * sizeof *m->rows);
			if (!p) {
				cJSON_Delete(row);
				lp_nomem(err);
				ret = 3;
				goto cleanup;
			}
			m->rows = p;
			m->cap = m->cap ? m->cap * 2 : 64;
		}
		m->rows[m->n++] = row;
	}
	ret = 0;
cleanup:
	cJSON_Delete(doc);
	return ret;
}

/* The shards the merge holds, "K1,K2,.../N", into *shard; NULL when every
 * shard of N is there (the merge is the whole batch, as one run). 0, or -1
 * out of memory. */
static int shards_present(const merge_rows *m, char **shard)
{
	buf b = { 0 };
	char num[32];
	unsigned long k;
	int all = 1;

	*shard = NULL;
	for (k = 0; k < m->shard_n; k++)
		all &= m->have[k];
	if (all)
		return 0;
	for (k = 0; k < m->shard_n; k++) {
		if (!m->have[k])
			continue;
		snprintf(num, sizeof num, "%s%lu", b.n ? "," : "", k + 1);
		buf_str(&b, num);
	}
	snprintf(num, sizeof num, "/%lu", m->shard_n);
	buf_str(&b, num);
	if (b.oom) {
		free(b.p);
		return -1;
	}
	*shard = b.p;
	return 0;
}

int summary_merge(const char *const *paths, size_t n, const char *outdir, size_t counts[5],
		  int *interrupted, lp_err *err)
{
	merge_rows m = { 0 };
	char *shard = NULL;
	summary_writer *w = NULL;
	size_t i;
	int ret = 3;

	for (i = 0; i < n; i++)
		if ((ret = merge_file(&m, paths[i], err)) != 0)
			goto cleanup;
	ret = 2;
	if (m.n > 1)
		qsort(m.rows, m.n, sizeof *m.rows, row_cmp);
	for (i = 1; i < m.n; i++) {
		if (strcmp(json_get_str(m.rows[i - 1], "applicant"), json_get_str(m.rows[i], "applicant")) == 0) {
			lp_fail(err, LP_E_SUMMARY_APPLICANT_TWICE, json_get_str(m.rows[i], "applicant"));
			goto cleanup;
		}
	}
	ret = 3;
	if (shards_present(&m, &shard) != 0) {
		lp_nomem(err);
		goto cleanup;
	}
	if (summary_writer_begin(&w, outdir, "summary", 0, err) != 0)
		goto cleanup;
	for (i = 0; i < m.n; i++)
		if (summary_writer_add(w, m.rows[i], err) != 0)
			goto cleanup;
	ret = summary_writer_commit(w, shard, m.interrupted, counts, err) == 0 ? 0 : 3;
	w = NULL;
cleanup:
	*interrupted = m.interrupted;
	summary_writer_abort(w);
	merge_rows_release(&m);
	free(shard);
	return ret;
}
