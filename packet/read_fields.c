/*
 * read_fields: from the text tesseract returned for one page to the values
 * the page states (read_fields.h). The text is taken a line at a time and
 * normalised twice: a compact form without any white space (tesseract puts
 * spaces between Chinese characters and inside numbers) with full-width
 * ASCII folded to ASCII, and a spaced form that keeps single spaces between
 * words for the domain names. A field is the value after its label (名称,
 * 统一社会信用代码, ...), up to the next label or the end of the line, or on
 * the next line when the label ends its line. Every value must pass its
 * validator (check character, a date that exists, a known form, a plausible
 * name) or the field stays "": a garbled read yields nothing, never a wrong
 * value. Letters that cannot occur in an identifier (O, I in a USCC or an ID
 * number) are read as the digits they resemble, and the result is believed
 * only when its check character validates. The page's kind is the one whose
 * labels score highest. Fixed-size buffers on the stack; no allocation, no
 * output, nothing kept.
 */
#include "packet/read_fields.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "packet/ident.h"
#include "packet/normalise.h"
#include "packet/read_fields_text.h"


typedef enum {
	F_NONE = 0,	/* a label that only ends the value before it */
	F_COMPANY, F_USCC, F_LEGAL_REP, F_CAPITAL, F_TERM, F_NAME, F_ID,
	F_ISSUER, F_VALID, F_DOMAIN, F_HOLDER, F_LICNO, F_EXPIRY
} field_id;

/* Longer labels first where one contains another at the same start. */
static const struct {
	const char *label;
	field_id field;
} labels[] = {
	{ "统一社会信用代码", F_USCC }, { "社会信用代码", F_USCC },
	{ "法定代表人签字", F_NONE }, { "法定代表人签名", F_NONE },
	{ "法定代表人(签字)", F_NONE }, { "法定代表人(签名)", F_NONE },
	{ "法定代表人", F_LEGAL_REP },
	{ "注册资本", F_CAPITAL }, { "营业期限", F_TERM },
	{ "公民身份号码", F_ID }, { "身份证号码", F_ID }, { "身份证号", F_ID },
	{ "姓名", F_NAME }, { "签发机关", F_ISSUER }, { "有效期限", F_VALID },
	{ "域名持有者", F_HOLDER }, { "域名持有人", F_HOLDER },
	{ "域名注册者", F_HOLDER }, { "域名注册人", F_HOLDER },
	{ "注册服务机构", F_NONE }, { "域名注册证书", F_NONE }, { "域名证书", F_NONE },
	{ "注册者", F_HOLDER }, { "注册人", F_HOLDER }, { "持有者", F_HOLDER },
	{ "域名", F_DOMAIN },
	{ "经营许可证编号", F_LICNO }, { "许可证编号", F_LICNO }, { "证书编号", F_NONE },
	{ "编号", F_LICNO },
	{ "单位名称", F_COMPANY }, { "企业名称", F_COMPANY }, { "公司名称", F_COMPANY },
	{ "申请单位", F_COMPANY }, { "名称", F_COMPANY },
	/* 名 of a widely spaced 名　　称 is often lost */
	{ "称", F_COMPANY },
	{ "有效期至", F_EXPIRY }, { "到期日期", F_EXPIRY }, { "到期时间", F_EXPIRY },
	{ "到期日", F_EXPIRY }, { "有效期", F_VALID },
	{ "类型", F_NONE }, { "住所", F_NONE }, { "成立日期", F_NONE },
	{ "经营范围", F_NONE }, { "登记机关", F_NONE }, { "性别", F_NONE },
	{ "民族", F_NONE }, { "出生", F_NONE }, { "住址", F_NONE },
	{ "注册日期", F_NONE }, { "注册时间", F_NONE }, { "发证机关", F_NONE },
	{ "发证日期", F_NONE }, { "业务种类", F_NONE }, { "业务覆盖范围", F_NONE },
	{ "服务项目", F_NONE }, { "签署日期", F_NONE }, { "签字", F_NONE },
	{ "签名", F_NONE }, { "盖章", F_NONE }, { "经办人", F_NONE },
	{ "联系电话", F_NONE }, { "地址", F_NONE }, { "网址", F_NONE },
	{ "邮编", F_NONE },
};
#define N_LABELS (sizeof labels / sizeof labels[0])

/* What each kind's pages say; each mark counts once per page. */
static const struct {
	const char *mark;
	read_doc_kind kind;
	int weight;
} marks[] = {
	{ "营业执照", READ_DOC_BUSINESS_LICENCE, 3 },
	{ "统一社会信用代码", READ_DOC_BUSINESS_LICENCE, 1 },
	{ "法定代表人", READ_DOC_BUSINESS_LICENCE, 1 },
	{ "注册资本", READ_DOC_BUSINESS_LICENCE, 1 },
	{ "营业期限", READ_DOC_BUSINESS_LICENCE, 1 },
	{ "登记机关", READ_DOC_BUSINESS_LICENCE, 1 },
	{ "经营范围", READ_DOC_BUSINESS_LICENCE, 1 },
	{ "成立日期", READ_DOC_BUSINESS_LICENCE, 1 },
	{ "公民身份号码", READ_DOC_ID_PORTRAIT, 3 },
	{ "性别", READ_DOC_ID_PORTRAIT, 1 },
	{ "民族", READ_DOC_ID_PORTRAIT, 1 },
	{ "出生", READ_DOC_ID_PORTRAIT, 1 },
	{ "住址", READ_DOC_ID_PORTRAIT, 1 },
	{ "签发机关", READ_DOC_ID_EMBLEM, 3 },
	{ "居民身份证", READ_DOC_ID_EMBLEM, 2 },
	{ "有效期限", READ_DOC_ID_EMBLEM, 1 },
	{ "域名注册证书", READ_DOC_DOMAIN_CERT, 3 },
	{ "域名证书", READ_DOC_DOMAIN_CERT, 3 },
	{ "域名持有者", READ_DOC_DOMAIN_CERT, 2 },
	{ "注册服务机构", READ_DOC_DOMAIN_CERT, 1 },
	{ "域名", READ_DOC_DOMAIN_CERT, 1 },
	{ "经营许可证", READ_DOC_LICENCE, 3 },
	{ "许可证编号", READ_DOC_LICENCE, 2 },
	{ "增值电信业务", READ_DOC_LICENCE, 1 },
	{ "业务种类", READ_DOC_LICENCE, 1 },
	{ "业务覆盖范围", READ_DOC_LICENCE, 1 },
	{ "发证机关", READ_DOC_LICENCE, 1 },
	/* a form's title names the licence it is for: 经营许可证...申请表 */
	{ "申请表", READ_DOC_SIGNED_FORM, 4 },
	{ "承诺书", READ_DOC_SIGNED_FORM, 4 },
	{ "决议", READ_DOC_SIGNED_FORM, 4 },
	{ "委托书", READ_DOC_SIGNED_FORM, 4 },
	{ "合同", READ_DOC_SIGNED_FORM, 2 },
	{ "协议", READ_DOC_SIGNED_FORM, 2 },
	{ "签字", READ_DOC_SIGNED_FORM, 1 },
	{ "签名", READ_DOC_SIGNED_FORM, 1 },
	{ "盖章", READ_DOC_SIGNED_FORM, 1 },
	{ "声明", READ_DOC_SIGNED_FORM, 1 },
};
#define N_MARKS (sizeof marks / sizeof marks[0])
#define N_KINDS 7

static int label_at(const uint32_t *cp, size_t n, size_t at)
{
	int best = -1;
	size_t best_len = 0;

	for (size_t l = 0; l < N_LABELS; l++) {
		size_t k = rf_cp_len(labels[l].label);
		if (k > best_len && rf_starts_with(cp, n, at, labels[l].label)) {
			best = (int)l;
			best_len = k;
		}
	}
	return best;
}

/* The end of the value that starts at cp[at]: the next label or n. */
static size_t value_end(const uint32_t *cp, size_t n, size_t at)
{
	for (size_t i = at; i < n; i++)
		if (label_at(cp, n, i) >= 0)
			return i;
	return n;
}

/* Past the colon after a label, and past a note in brackets right after
 * it: 申请单位(盖章): ... */
static size_t skip_separators(const uint32_t *cp, size_t n, size_t at)
{
	for (;;) {
		size_t k = 1;
		while (at < n && (cp[at] == ':' || cp[at] == ';' || cp[at] == '.' ||
				  cp[at] == ',' || cp[at] == '|' || cp[at] == '_' ||
				  cp[at] == '"' || cp[at] == '\'' || cp[at] == '`' ||
				  cp[at] == 0x201C || cp[at] == 0x201D || cp[at] == 0x3002))
			at++;
		if (at >= n || cp[at] != '(')
			return at;
		/* 盖章, 签字, or what tesseract made of them (ERE) */
		while (at + k < n && k < 6 && cp[at + k] != ')' && cp[at + k] != '(')
			k++;
		if (k == 1 || at + k >= n || cp[at + k] != ')')
			return at;
		at += k + 1;
	}
}

/* --- domains and licence numbers ------------------------------------------- */

static int domain_char(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || rf_is_digit(c) ||
	       c == '.' || c == '-' || c == '@' || c == '_';
}

/* A domain token out of the spaced line: lower case, syntactically valid,
 * a top-level label of letters (2-24) or xn--; no e-mail addresses. */
static int domain_token(const uint32_t *v, size_t n, char out[254])
{
	char s[254] = "";
	size_t dot = 0, len;

	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = v[i];
		if (c == '@' || c == '_')
			return 0;
		s[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		if (c == '.')
			dot = i + 1;
	}
	len = n;
	while (len > 0 && s[len - 1] == '.')
		len--;
	s[len] = '\0';
	if (dot == 0 || dot >= len || !domain_valid(s))
		return 0;
	/* l beside a digit may be a misread 1 (ybzhanghe8l.net for ...81.net):
	 * a domain has no check character to tell, so none. (i and o beside
	 * a digit are too common in real names, hai80, to refuse.) */
	for (size_t i = 0; i + 1 < len; i++) {
		int d0 = s[i] >= '0' && s[i] <= '9', d1 = s[i + 1] >= '0' && s[i + 1] <= '9';
		if ((d0 && s[i + 1] == 'l') || (d1 && s[i] == 'l'))
			return 0;
	}
	if (strncmp(s + dot, "xn--", 4) != 0) {
		if (len - dot < 2 || len - dot > 24)
			return 0;
		for (size_t i = dot; i < len; i++)
			if (s[i] < 'a' || s[i] > 'z')
				return 0;
	}
	memcpy(out, s, len + 1);
	return 1;
}

static void add_domain(read_fields *out, const char *d)
{
	for (size_t i = 0; i < out->n_domains; i++)
		if (strcmp(out->domains[i], d) == 0)
			return;
	if (out->n_domains < READ_MAX_DOMAINS)
		snprintf(out->domains[out->n_domains++], 254, "%s", d);
}

/* Every domain token of the spaced line into out; how many there were. */
static size_t line_domains(const line_buf *lb, read_fields *out, int only)
{
	size_t found = 0, other = 0;

	/* with only set, the line must hold nothing but domain names (and
	 * punctuation): this pass counts, a second one adds */
	if (only) {
		for (size_t i = 0; i < lb->ns; i++)
			if (!domain_char(lb->spaced[i]) && lb->spaced[i] != ' ' &&
			    lb->spaced[i] != ',' && lb->spaced[i] != ';')
				return 0;
	}

	for (size_t i = 0; i < lb->ns;) {
		size_t j = i, k = 0;
		uint32_t tok[253];
		char d[254] = "";
		/* a space beside a dot is tesseract's ("example. com") */
		while (j < lb->ns && k < 253 &&
		       (domain_char(lb->spaced[j]) ||
			(lb->spaced[j] == ' ' && j > i && j + 1 < lb->ns &&
			 (lb->spaced[j - 1] == '.' || lb->spaced[j + 1] == '.')))) {
			if (lb->spaced[j] != ' ')
				tok[k++] = lb->spaced[j];
			j++;
		}
		if (k > 0 && domain_token(tok, k, d)) {
			if (!only)
				add_domain(out, d);
			found++;
		} else if (k > 0)
			other++;
		i = j > i ? j : i + 1;
	}
	if (only && (other || !found))
		return 0;
	return only ? line_domains(lb, out, 0) : found;
}

static int licence_char(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || rf_is_digit(c) || c == '.' || c == '-' ||
	       c == 0x4E00;	/* 一, tesseract's dash between digits */
}

/* A licence number in one of ident.c's forms starting at v[at], standing
 * alone (no letter or digit right before or after it): 1 and out. */
static int licence_at(const uint32_t *v, size_t n, size_t at, char out[64])
{
	uint32_t cand[40];
	size_t k = 0, i = at;

	/* after a letter, a digit or a Chinese character (闽 misread as 间
	 * must not leave "B2-..." as the number), it is the tail of something */
	if (at > 0 && (rf_is_cjk(v[at - 1]) || (v[at - 1] < 0x80 && (rf_is_digit(v[at - 1]) ||
	    (v[at - 1] >= 'A' && v[at - 1] <= 'Z')))))
		return 0;
	/* 合字 and a province, or "ICP证" and 号 of the old form */
	while (i < n && k < 40 && (licence_char(v[i]) || rf_is_cjk(v[i]) ||
				   (v[i] >= 'a' && v[i] <= 'z'))) {
		cand[k++] = v[i] == 0x4E00 ? '-' : v[i];
		i++;
	}
	for (; k > 0; k--) {
		uint32_t after = at + k < n ? v[at + k] : 0;
		if (after < 0x80 && (rf_is_digit(after) || (after >= 'A' && after <= 'Z') ||
				     (after == '-' && at + k + 1 < n && rf_is_digit(v[at + k + 1]))))
			continue;
		if (rf_to_utf8(cand, k, out, 64) == 0 && licence_number_valid(out))
			return 1;
	}
	out[0] = '\0';
	return 0;
}

static int find_licence(const uint32_t *v, size_t n, char out[64])
{
	for (size_t i = 0; i < n; i++)
		if (licence_at(v, n, i, out))
			return 1;
	return 0;
}

/* --- fields ---------------------------------------------------------------- */

/* v without a trailing seal note: (盖章), 盖章, (公章), (签章). */
static size_t strip_seal(const uint32_t *v, size_t n)
{
	static const char *const notes[] = { "(盖章)", "(公章)", "(签章)", "盖章", "公章" };

	for (size_t e = 0; e < sizeof notes / sizeof notes[0]; e++) {
		size_t k = rf_cp_len(notes[e]);
		if (k <= n && rf_starts_with(v, n, n - k, notes[e]))
			return n - k;
	}
	return n;
}

static void set_text(char *dst, size_t size, const uint32_t *v, size_t n)
{
	if (dst[0] == '\0')
		rf_to_utf8(v, n, dst, size);
}

static void set_date(char dst[16], const char *date)
{
	if (dst[0] == '\0')
		snprintf(dst, 16, "%s", date);
}

/* One labelled value v[0, n) into out, when it validates and the field is
 * still empty (the first value read wins). */
static void assign(read_fields *out, field_id f, const uint32_t *v, size_t n,
		   read_doc_kind hint)
{
	char s[16] = "";

	/* a full stop or stray mark tesseract put after the value */
	while (n > 0 && (v[n - 1] == '.' || v[n - 1] == ',' || v[n - 1] == ';' ||
			 v[n - 1] == ':' || v[n - 1] == '_' || v[n - 1] == '|' ||
			 v[n - 1] == '(' || v[n - 1] == 0x3002))
		n--;
	switch (f) {
	case F_COMPANY:
		n = strip_seal(v, n);
		if (rf_plausible_company(v, n))
			set_text(out->company, sizeof out->company, v, n);
		break;
	case F_HOLDER:
		if (rf_plausible_company(v, n) || rf_plausible_person(v, n))
			set_text(out->holder, sizeof out->holder, v, n);
		break;
	case F_USCC:
		if (out->uscc[0] == '\0')
			rf_take_uscc(v, n, out->uscc);
		break;
	case F_ID:
		if (out->id_number[0] == '\0')
			rf_take_id(v, n, out->id_number);
		break;
	case F_LEGAL_REP:
		if (rf_plausible_person(v, n))
			set_text(out->legal_rep, sizeof out->legal_rep, v, n);
		break;
	case F_NAME:
		if (rf_plausible_person(v, n))
			set_text(out->id_name, sizeof out->id_name, v, n);
		break;
	case F_CAPITAL:
		if (rf_plausible_capital(v, n))
			set_text(out->registered_capital, sizeof out->registered_capital, v, n);
		break;
	case F_ISSUER:
		if (rf_plausible_issuer(v, n))
			set_text(out->id_issuer, sizeof out->id_issuer, v, n);
		break;
	case F_TERM:
		rf_period_end(v, n, s);
		if (s[0])
			set_date(out->term_until, s);
		break;
	case F_VALID:
		rf_period_end(v, n, s);
		if (s[0] == '\0')
			break;
		if (out->kind == READ_DOC_ID_EMBLEM ||
		    (out->kind == READ_DOC_UNKNOWN && hint == READ_DOC_ID_EMBLEM))
			set_date(out->id_valid_until, s);
		else if ((out->kind == READ_DOC_DOMAIN_CERT || out->kind == READ_DOC_LICENCE) &&
			 strcmp(s, "long-term") != 0)
			set_date(out->expiry, s);
		break;
	case F_EXPIRY:
		rf_last_date(v, n, s);
		if (s[0])
			set_date(out->expiry, s);
		break;
	case F_LICNO:
		if (out->licence_number[0] == '\0')
			find_licence(v, n, out->licence_number);
		break;
	case F_DOMAIN:
	case F_NONE:
		break;
	}
}

/* The labelled values of one line; a label that ends its line takes its
 * value from the start of the next line (tesseract reads a wide gap
 * between label and value as two blocks). Returns 1 when the line has a
 * 域名 label. */
static int line_fields(read_fields *out, const line_buf *cur, const line_buf *next,
		       read_doc_kind hint)
{
	const uint32_t *c = cur->compact;
	size_t n = cur->nc;
	int domain_label = 0;

	for (size_t i = 0; i < n; i++) {
		int l = label_at(c, n, i);
		size_t start, end;
		if (l < 0)
			continue;
		domain_label |= labels[l].field == F_DOMAIN;
		start = skip_separators(c, n, i + rf_cp_len(labels[l].label));
		end = value_end(c, n, start);
		if (start == end && next && labels[l].field != F_NONE) {
			size_t e = value_end(next->compact, next->nc, 0);
			assign(out, labels[l].field, next->compact, e, hint);
		} else
			assign(out, labels[l].field, c + start, end - start, hint);
		i = (end > i ? end : i + 1) - 1;
	}
	return domain_label;
}

/* --- the page -------------------------------------------------------------- */

static read_doc_kind classify(const char *text, size_t len, read_doc_kind hint,
			      line_buf *lb)
{
	unsigned char seen[N_MARKS] = { 0 };
	int score[N_KINDS] = { 0 }, best = 0, ties = 0;
	read_doc_kind kind = READ_DOC_UNKNOWN;
	size_t pos = 0;

	while (rf_next_line(text, len, &pos, lb))
		for (size_t m = 0; m < N_MARKS; m++)
			if (!seen[m] && rf_contains(lb->compact, lb->nc, marks[m].mark))
				seen[m] = 1;
	for (size_t m = 0; m < N_MARKS; m++)
		if (seen[m])
			score[marks[m].kind] += marks[m].weight;
	for (int k = 1; k < N_KINDS; k++) {
		if (score[k] > best) {
			best = score[k];
			kind = (read_doc_kind)k;
			ties = 0;
		} else if (score[k] == best && best > 0)
			ties = 1;
	}
	if (best > 0 && (int)hint > 0 && (int)hint < N_KINDS && score[hint] == best)
		return hint;
	return ties ? READ_DOC_UNKNOWN : kind;
}

/* The one value that validates anywhere on the page, when no label gave
 * it: a USCC (not one that is also a valid ID number), an ID number, a
 * licence number. Two different values: neither. */
static void unlabelled(const char *text, size_t len, read_fields *out, line_buf *lb)
{
	int want_uscc = out->uscc[0] == '\0' && out->kind != READ_DOC_ID_PORTRAIT &&
			out->kind != READ_DOC_ID_EMBLEM && out->kind != READ_DOC_UNKNOWN;
	int want_id = out->id_number[0] == '\0' && out->kind == READ_DOC_ID_PORTRAIT;
	int want_lic = out->licence_number[0] == '\0' && out->kind == READ_DOC_LICENCE;
	char uscc[19] = "", id[19] = "", lic[64] = "", s[64] = "", tmp[19] = "";
	int bad_uscc = 0, bad_id = 0, bad_lic = 0;
	size_t pos = 0;

	if (!want_uscc && !want_id && !want_lic)
		return;
	while (rf_next_line(text, len, &pos, lb)) {
		const uint32_t *v = lb->compact;
		for (size_t i = 0; i < lb->nc; i++) {
			/* not the tail of a longer word: after white space or
			 * a character that is no letter or digit */
			if (i > 0 && !lb->gap[i] && v[i - 1] < 0x80 && (rf_is_digit(v[i - 1]) ||
			    (v[i - 1] >= 'A' && v[i - 1] <= 'Z')))
				continue;
			if (want_uscc && rf_take_uscc(v + i, lb->nc - i, s) &&
			    !rf_take_id(v + i, lb->nc - i, tmp)) {
				bad_uscc |= uscc[0] && strcmp(uscc, s) != 0;
				memcpy(uscc, s, 19);
			}
			if (want_id && rf_take_id(v + i, lb->nc - i, s)) {
				bad_id |= id[0] && strcmp(id, s) != 0;
				memcpy(id, s, 19);
			}
			if (want_lic && licence_at(v, lb->nc, i, s)) {
				bad_lic |= lic[0] && strcmp(lic, s) != 0;
				memcpy(lic, s, 64);
			}
		}
	}
	if (want_uscc && !bad_uscc)
		memcpy(out->uscc, uscc, 19);
	if (want_id && !bad_id)
		memcpy(out->id_number, id, 19);
	if (want_lic && !bad_lic)
		memcpy(out->licence_number, lic, 64);
}

/* The latest date written on the page, for a signed form. */
static void latest_date(const char *text, size_t len, read_fields *out, line_buf *lb)
{
	size_t pos = 0;
	char date[16] = "";

	/* A signature's date ends its line; a date inside a sentence (成立于
	 * 2016年3月8日，...) is what the text is about, and taking it when the
	 * real one is garbled would give a wrong date, not none. */
	while (rf_next_line(text, len, &pos, lb))
		for (size_t i = 0; i < lb->nc; i++) {
			size_t k = rf_date_at(lb->compact, lb->nc, i, date), e = i + k;
			if (!k)
				continue;
			while (e < lb->nc && (lb->compact[e] == '.' || lb->compact[e] == 0x3002))
				e++;
			if (e == lb->nc)
				rf_keep_latest(out->signed_date, date);
			i += k - 1;
		}
}

/* The name on an ID card whose 姓名 label was garbled: the last word of
 * the one line above 性别 / 出生 that ends in a plausible name. */
static void unlabelled_name(const char *text, size_t len, read_fields *out, line_buf *lb)
{
	size_t pos = 0, found = 0;
	char name[64] = "";

	while (rf_next_line(text, len, &pos, lb)) {
		size_t j = lb->ns, i;
		if (rf_contains(lb->compact, lb->nc, "性别") || rf_contains(lb->compact, lb->nc, "出生"))
			break;
		while (j > 0 && lb->spaced[j - 1] == ' ')
			j--;
		for (i = j; i > 0 && lb->spaced[i - 1] != ' '; i--)
			;
		/* the mark tesseract reads in the gap after the label */
		while (i < j && !rf_is_cjk(lb->spaced[i]))
			i++;
		if (rf_plausible_person(lb->spaced + i, j - i)) {
			found++;
			rf_to_utf8(lb->spaced + i, j - i, name, sizeof name);
		}
	}
	if (found == 1)
		memcpy(out->id_name, name, sizeof name);
}

/* The company when no label gave it (a label tesseract garbled): the one
 * space-delimited word on the page that is a plausible company name and
 * not a company type (有限责任公司). Two different ones: none. */
static void unlabelled_company(const char *text, size_t len, read_fields *out, line_buf *lb)
{
	size_t pos = 0;
	char found[256] = "", s[256] = "";

	while (rf_next_line(text, len, &pos, lb))
		for (size_t i = 0; i < lb->ns;) {
			size_t j = i;
			while (j < lb->ns && lb->spaced[j] != ' ')
				j++;
			if (rf_plausible_company(lb->spaced + i, j - i) &&
			    !rf_starts_with(lb->spaced, j, i, "有限") &&
			    !rf_starts_with(lb->spaced, j, i, "股份") &&
			    rf_to_utf8(lb->spaced + i, j - i, s, sizeof s) == 0) {
				if (found[0] && strcmp(found, s) != 0)
					return;
				memcpy(found, s, sizeof found);
			}
			i = j + 1;
		}
	memcpy(out->company, found, sizeof found);
}

int read_fields_parse(const char *text, read_doc_kind hint, read_fields *out)
{
	line_buf a, b, *cur = &a, *next = &b, *t;
	size_t len, pos = 0;
	int have_next, domain_pending = 0;

	if (text == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof *out);
	len = strlen(text);
	out->kind = classify(text, len, hint, cur);

	have_next = rf_next_line(text, len, &pos, next);
	while (have_next) {
		size_t found = 0;
		int domain_label;
		t = cur;
		cur = next;
		next = t;
		have_next = rf_next_line(text, len, &pos, next);
		domain_label = line_fields(out, cur, have_next ? next : NULL, hint);
		/* domains: on a 域名 line, the line after one that had none,
		 * and on a certificate the lines of domain names alone */
		if (domain_label || domain_pending || out->kind == READ_DOC_DOMAIN_CERT) {
			int latin_only = 1;
			for (size_t i = 0; i < cur->nc && latin_only; i++)
				latin_only = cur->compact[i] < 0x80;
			if (domain_label || domain_pending || latin_only)
				found = line_domains(cur, out, !domain_label && !domain_pending);
		}
		domain_pending = domain_label && found == 0;
	}
	unlabelled(text, len, out, cur);
	if (out->id_name[0] == '\0' && out->kind == READ_DOC_ID_PORTRAIT)
		unlabelled_name(text, len, out, cur);
	if (out->company[0] == '\0' && (out->kind == READ_DOC_BUSINESS_LICENCE ||
	    out->kind == READ_DOC_LICENCE || out->kind == READ_DOC_SIGNED_FORM))
		unlabelled_company(text, len, out, cur);
	if (out->kind == READ_DOC_SIGNED_FORM ||
	    (out->kind == READ_DOC_UNKNOWN && hint == READ_DOC_SIGNED_FORM))
		latest_date(text, len, out, cur);
	return 0;
}

const char *read_doc_material(read_doc_kind kind)
{
	switch (kind) {
	case READ_DOC_BUSINESS_LICENCE:
		return "business-license";
	case READ_DOC_ID_PORTRAIT:
		return "legal-rep-id-portrait";
	case READ_DOC_ID_EMBLEM:
		return "legal-rep-id-emblem";
	case READ_DOC_DOMAIN_CERT:
		return "domain-certificate";
	case READ_DOC_LICENCE:
		return "current-licence";
	case READ_DOC_UNKNOWN:
	case READ_DOC_SIGNED_FORM:
		break;
	}
	return NULL;
}
