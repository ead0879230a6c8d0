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

/* A line longer than this (in characters) is cut: a printed page has no
 * such line, and a value past the cut is simply not read. */
#define LINE_CP 512

typedef struct {
	uint32_t compact[LINE_CP];	/* no white space at all */
	size_t nc;
	uint32_t spaced[LINE_CP];	/* runs of white space as one ' ' */
	size_t ns;
} line_buf;

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
	{ "申请表", READ_DOC_SIGNED_FORM, 3 },
	{ "承诺书", READ_DOC_SIGNED_FORM, 3 },
	{ "决议", READ_DOC_SIGNED_FORM, 3 },
	{ "委托书", READ_DOC_SIGNED_FORM, 3 },
	{ "合同", READ_DOC_SIGNED_FORM, 2 },
	{ "协议", READ_DOC_SIGNED_FORM, 2 },
	{ "签字", READ_DOC_SIGNED_FORM, 1 },
	{ "签名", READ_DOC_SIGNED_FORM, 1 },
	{ "盖章", READ_DOC_SIGNED_FORM, 1 },
	{ "声明", READ_DOC_SIGNED_FORM, 1 },
};
#define N_MARKS (sizeof marks / sizeof marks[0])
#define N_KINDS 7

/* --- characters ------------------------------------------------------------ */

static int is_cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

static int is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static int is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
	       c == 0x3000 || c == 0xA0;
}

/* Full-width ASCII and the punctuation tesseract writes for it, to ASCII;
 * the dashes to '-'. Everything else is kept. */
static uint32_t fold(uint32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		return c - 0xFF01 + 0x21;
	switch (c) {
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212:
		return '-';
	case 0x3001:	/* 、 */
		return ',';
	case 0x2018: case 0x2019:
		return '\'';
	default:
		return c;
	}
}

static size_t put_utf8(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* cp[0, n) as UTF-8 into out (size outlen); 0, or -1 when it does not fit
 * (out is then ""). */
static int to_utf8(const uint32_t *cp, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char b[4];
		size_t k = put_utf8(cp[i], b);
		if (o + k + 1 > outlen) {
			out[0] = '\0';
			return -1;
		}
		memcpy(out + o, b, k);
		o += k;
	}
	out[o] = '\0';
	return 0;
}

/* 1 when cp[at, n) starts with the UTF-8 string s. */
static int starts_with(const uint32_t *cp, size_t n, size_t at, const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		uint32_t c;
		size_t k = utf8_decode(s + i, len - i, &c);
		if (k == 0 || at >= n || cp[at] != c)
			return 0;
		i += k;
		at++;
	}
	return 1;
}

static size_t cp_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int contains(const uint32_t *cp, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (starts_with(cp, n, i, s))
			return 1;
	return 0;
}

/* --- lines ----------------------------------------------------------------- */

/* The line of text starting at *pos (up to '\n' or the end) into lb;
 * *pos moves past it. Invalid UTF-8 bytes become U+FFFD. Returns 0 at the
 * end of the text. */
static int next_line(const char *text, size_t len, size_t *pos, line_buf *lb)
{
	size_t i = *pos;
	int space = 0;

	if (i >= len)
		return 0;
	lb->nc = lb->ns = 0;
	while (i < len && text[i] != '\n') {
		uint32_t c;
		size_t k = utf8_decode(text + i, len - i, &c);
		if (k == 0) {
			c = 0xFFFD;
			k = 1;
		}
		i += k;
		c = fold(c);
		if (is_space(c) || c < 0x20) {
			space = lb->ns > 0;
			continue;
		}
		if (lb->nc < LINE_CP)
			lb->compact[lb->nc++] = c;
		if (space && lb->ns < LINE_CP)
			lb->spaced[lb->ns++] = ' ';
		if (lb->ns < LINE_CP)
			lb->spaced[lb->ns++] = c;
		space = 0;
	}
	*pos = i < len ? i + 1 : i;
	return 1;
}

/* The label starting at cp[at], longest first: its index, or -1. */
static int label_at(const uint32_t *cp, size_t n, size_t at)
{
	int best = -1;
	size_t best_len = 0;

	for (size_t l = 0; l < N_LABELS; l++) {
		size_t k = cp_len(labels[l].label);
		if (k > best_len && starts_with(cp, n, at, labels[l].label)) {
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
				  cp[at] == ',' || cp[at] == '|' || cp[at] == '_'))
			at++;
		if (at >= n || cp[at] != '(')
			return at;
		while (at + k < n && k < 6 && is_cjk(cp[at + k]))
			k++;
		if (k == 1 || at + k >= n || cp[at + k] != ')')
			return at;
		at += k + 1;
	}
}

/* --- validators ------------------------------------------------------------ */

/* A person's name: 2-6 Chinese characters, a middle dot allowed inside
 * (少数民族 names). */
static int plausible_person(const uint32_t *v, size_t n)
{
	size_t han = 0;

	if (n < 2 || n > 12)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (is_cjk(v[i]))
			han++;
		else if (!((v[i] == 0xB7 || v[i] == 0x30FB || v[i] == 0x2022) &&
			   i > 0 && i + 1 < n))
			return 0;
	}
	return han >= 2 && (han <= 4 || han < n);
}

/* A company: Chinese characters and brackets, 4-60 of them, ending as
 * registered names end. */
static int plausible_company(const uint32_t *v, size_t n)
{
	static const char *const ends[] = {
		"公司", "集团", "中心", "厂", "企业", "合伙)", "研究院", "研究所",
		"事务所", "合作社", "商行", "学校", "医院",
	};
	int depth = 0;

	if (n < 4 || n > 60)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '(')
			depth++;
		else if (v[i] == ')') {
			if (--depth < 0)
				return 0;
		} else if (!is_cjk(v[i]))
			return 0;
	}
	if (depth != 0)
		return 0;
	for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
		size_t k = cp_len(ends[e]);
		if (k <= n && starts_with(v, n, n - k, ends[e]))
			return 1;
	}
	return 0;
}

/* An issuing authority on an ID card: Chinese characters ending in 局. */
static int plausible_issuer(const uint32_t *v, size_t n)
{
	if (n < 4 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_cjk(v[i]))
			return 0;
	return starts_with(v, n, n - 1, "局");
}

/* 注册资本 as written: a number in digits or Chinese numerals, then units
 * and a currency, with 元 among them (100万元人民币, 壹佰万元整). */
static int plausible_capital(const uint32_t *v, size_t n)
{
	static const char numerals[] = "零一二三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟";
	static const char units[] = "万亿元整人民币美欧港";
	int number = 0, yuan = 0;

	if (n < 2 || n > 30)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char b[5];
		if (is_digit(v[i])) {
			number = 1;
			continue;
		}
		if (v[i] == '.' || v[i] == ',')
			continue;
		if (v[i] < 0x80)
			return 0;
		b[put_utf8(v[i], b)] = '\0';
		if (strstr(numerals, b))
			number = 1;
		else if (strstr(units, b))
			yuan |= v[i] == 0x5143;	/* 元 */
		else
			return 0;
	}
	return number && yuan;
}

/* Up to want characters of an identifier from v: ASCII letters and digits,
 * uppercased; O/o as 0, I/l/| as 1 when oi is set (they cannot occur in a
 * USCC or an ID number). Stops at anything else. Returns the count. */
static size_t ident_chars(const uint32_t *v, size_t n, char *out, size_t want)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < want + 1; i++) {
		uint32_t c = v[i];
		if (c == 'O' || c == 'o')
			c = '0';
		else if (c == 'I' || c == 'l' || c == '|')
			c = '1';
		else if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (!is_digit(c) && !(c >= 'A' && c <= 'Z'))
			break;
		out[k++] = (char)c;
	}
	out[k < want + 1 ? k : want] = '\0';
	return k;
}

/* A USCC at v: exactly 18 identifier characters that validate. */
static int take_uscc(const uint32_t *v, size_t n, char out[19])
{
	char s[20];

	if (ident_chars(v, n, s, 18) != 18)
		return 0;
	/* S and Z are not in the alphabet either: 5 and 2 misread */
	for (size_t i = 0; i < 18; i++) {
		if (s[i] == 'S')
			s[i] = '5';
		else if (s[i] == 'Z')
			s[i] = '2';
	}
	if (uscc_check(s, NULL) != IDENT_OK)
		return 0;
	memcpy(out, s, 19);
	return 1;
}

/* An ID number at v: 17 digits and a check character that validate. */
static int take_id(const uint32_t *v, size_t n, char out[19])
{
	char s[20];

	if (ident_chars(v, n, s, 18) != 18)
		return 0;
	for (size_t i = 0; i < 17; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	if (idcard_check(s, NULL) != IDENT_OK)
		return 0;
	memcpy(out, s, 19);
	return 1;
}

/* --- dates ----------------------------------------------------------------- */

static size_t digits(const uint32_t *v, size_t n, size_t at, size_t max, int *val)
{
	size_t k = 0;

	*val = 0;
	while (at + k < n && k < max && is_digit(v[at + k])) {
		*val = *val * 10 + (int)(v[at + k] - '0');
		k++;
	}
	return k;
}

/* A date starting at v[at] (2026年11月28日, 2026-11-28, 2026.11.28,
 * 2026/11/28) that exists: its length, with "YYYY-MM-DD" in out; else 0. */
static size_t date_at(const uint32_t *v, size_t n, size_t at, char out[16])
{
	int y, m, d;
	size_t i = at, k;
	uint32_t sep;
	long days;

	if (at > 0 && is_digit(v[at - 1]))
		return 0;
	if (digits(v, n, i, 4, &y) != 4)
		return 0;
	i += 4;
	if (i >= n)
		return 0;
	sep = v[i];
	if (sep != 0x5E74 && sep != '-' && sep != '.' && sep != '/')	/* 年 */
		return 0;
	i++;
	if ((k = digits(v, n, i, 2, &m)) == 0)
		return 0;
	i += k;
	if (i >= n || v[i] != (sep == 0x5E74 ? 0x6708 : sep))	/* 月 */
		return 0;
	i++;
	if ((k = digits(v, n, i, 2, &d)) == 0)
		return 0;
	i += k;
	if (sep == 0x5E74) {
		if (i >= n || v[i] != 0x65E5)	/* 日 */
			return 0;
		i++;
	} else if (i < n && is_digit(v[i]))
		return 0;
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
	if (date_parse(out, &days) != 0) {
		out[0] = '\0';
		return 0;
	}
	return i - at;
}

/* The end of a period written in v (营业期限, 有效期限): "long-term" when
 * 长期 follows a date or stands alone, else the second of two dates.
 * One date alone is the start or the end, nobody knows: "". */
static void period_end(const uint32_t *v, size_t n, char out[16])
{
	char date[16];
	int dates = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t k = date_at(v, n, i, date);
		if (k) {
			if (++dates == 2)
				memcpy(out, date, 16);
			i += k - 1;
		} else if (starts_with(v, n, i, "长期")) {
			if (dates <= 1)
				snprintf(out, 16, "long-term");
			return;
		}
	}
	if (dates != 2)
		out[0] = '\0';
}

/* The last date written in v, or "". */
static void last_date(const uint32_t *v, size_t n, char out[16])
{
	char date[16];

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t k = date_at(v, n, i, date);
		if (k) {
			memcpy(out, date, 16);
			i += k - 1;
		}
	}
}

/* Keep in best the later of two YYYY-MM-DD dates. */
static void keep_latest(char best[16], const char *date)
{
	if (best[0] == '\0' || strcmp(date, best) > 0)
		snprintf(best, 16, "%s", date);
}

/* --- domains and licence numbers ------------------------------------------- */

static int domain_char(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       c == '.' || c == '-' || c == '@' || c == '_';
}

/* A domain token out of the spaced line: lower case, syntactically valid,
 * a top-level label of letters (2-24) or xn--; no e-mail addresses. */
static int domain_token(const uint32_t *v, size_t n, char out[254])
{
	char s[254];
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
static size_t line_domains(const line_buf *lb, read_fields *out)
{
	size_t found = 0;

	for (size_t i = 0; i < lb->ns;) {
		size_t j = i;
		char d[254];
		while (j < lb->ns && domain_char(lb->spaced[j]))
			j++;
		if (j > i && domain_token(lb->spaced + i, j - i, d)) {
			add_domain(out, d);
			found++;
		}
		i = j > i ? j : i + 1;
	}
	return found;
}

static int licence_char(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '-' ||
	       c == 0x4E00;	/* 一, tesseract's dash between digits */
}

/* A licence number in one of ident.c's forms starting at v[at], standing
 * alone (no letter or digit right before or after it): 1 and out. */
static int licence_at(const uint32_t *v, size_t n, size_t at, char out[64])
{
	uint32_t cand[40];
	size_t k = 0, i = at;

	if (at > 0 && v[at - 1] < 0x80 && (is_digit(v[at - 1]) ||
	    (v[at - 1] >= 'A' && v[at - 1] <= 'Z')))
		return 0;
	/* 合字 and a province, or "ICP证" and 号 of the old form */
	while (i < n && k < 40 && (licence_char(v[i]) || is_cjk(v[i]) ||
				   (v[i] >= 'a' && v[i] <= 'z'))) {
		cand[k++] = v[i] == 0x4E00 ? '-' : v[i];
		i++;
	}
	for (; k > 0; k--) {
		uint32_t after = at + k < n ? v[at + k] : 0;
		if (after < 0x80 && (is_digit(after) || (after >= 'A' && after <= 'Z') ||
				     (after == '-' && at + k + 1 < n && is_digit(v[at + k + 1]))))
			continue;
		if (to_utf8(cand, k, out, 64) == 0 && licence_number_valid(out))
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
		size_t k = cp_len(notes[e]);
		if (k <= n && starts_with(v, n, n - k, notes[e]))
			return n - k;
	}
	return n;
}

static void set_text(char *dst, size_t size, const uint32_t *v, size_t n)
{
	if (dst[0] == '\0')
		to_utf8(v, n, dst, size);
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
	char s[64];

	/* a full stop or stray mark tesseract put after the value */
	while (n > 0 && (v[n - 1] == '.' || v[n - 1] == ',' || v[n - 1] == ';' ||
			 v[n - 1] == ':' || v[n - 1] == '_' || v[n - 1] == '|' ||
			 v[n - 1] == '(' || v[n - 1] == 0x3002))
		n--;
	switch (f) {
	case F_COMPANY:
		n = strip_seal(v, n);
		if (plausible_company(v, n))
			set_text(out->company, sizeof out->company, v, n);
		break;
	case F_HOLDER:
		if (plausible_company(v, n) || plausible_person(v, n))
			set_text(out->holder, sizeof out->holder, v, n);
		break;
	case F_USCC:
		if (out->uscc[0] == '\0')
			take_uscc(v, n, out->uscc);
		break;
	case F_ID:
		if (out->id_number[0] == '\0')
			take_id(v, n, out->id_number);
		break;
	case F_LEGAL_REP:
		if (plausible_person(v, n))
			set_text(out->legal_rep, sizeof out->legal_rep, v, n);
		break;
	case F_NAME:
		if (plausible_person(v, n))
			set_text(out->id_name, sizeof out->id_name, v, n);
		break;
	case F_CAPITAL:
		if (plausible_capital(v, n))
			set_text(out->registered_capital, sizeof out->registered_capital, v, n);
		break;
	case F_ISSUER:
		if (plausible_issuer(v, n))
			set_text(out->id_issuer, sizeof out->id_issuer, v, n);
		break;
	case F_TERM:
		period_end(v, n, s);
		if (s[0])
			set_date(out->term_until, s);
		break;
	case F_VALID:
		period_end(v, n, s);
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
		last_date(v, n, s);
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
		start = skip_separators(c, n, i + cp_len(labels[l].label));
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

	while (next_line(text, len, &pos, lb))
		for (size_t m = 0; m < N_MARKS; m++)
			if (!seen[m] && contains(lb->compact, lb->nc, marks[m].mark))
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
	char uscc[19] = "", id[19] = "", lic[64] = "", s[64], tmp[19];
	int bad_uscc = 0, bad_id = 0, bad_lic = 0;
	size_t pos = 0;

	if (!want_uscc && !want_id && !want_lic)
		return;
	while (next_line(text, len, &pos, lb)) {
		const uint32_t *v = lb->compact;
		for (size_t i = 0; i < lb->nc; i++) {
			if (i > 0 && v[i - 1] < 0x80 && (is_digit(v[i - 1]) ||
			    (v[i - 1] >= 'A' && v[i - 1] <= 'Z')))
				continue;
			if (want_uscc && take_uscc(v + i, lb->nc - i, s) &&
			    !take_id(v + i, lb->nc - i, tmp)) {
				bad_uscc |= uscc[0] && strcmp(uscc, s) != 0;
				memcpy(uscc, s, 19);
			}
			if (want_id && take_id(v + i, lb->nc - i, s)) {
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
	char date[16];

	while (next_line(text, len, &pos, lb))
		for (size_t i = 0; i < lb->nc; i++) {
			size_t k = date_at(lb->compact, lb->nc, i, date);
			if (k) {
				keep_latest(out->signed_date, date);
				i += k - 1;
			}
		}
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

	have_next = next_line(text, len, &pos, next);
	while (have_next) {
		size_t found = 0;
		int domain_label;
		t = cur;
		cur = next;
		next = t;
		have_next = next_line(text, len, &pos, next);
		domain_label = line_fields(out, cur, have_next ? next : NULL, hint);
		/* domains: on a 域名 line, the line after one that had none,
		 * and on a certificate the lines of domain names alone */
		if (domain_label || domain_pending || out->kind == READ_DOC_DOMAIN_CERT) {
			int latin_only = 1;
			for (size_t i = 0; i < cur->nc && latin_only; i++)
				latin_only = cur->compact[i] < 0x80;
			if (domain_label || domain_pending || latin_only)
				found = line_domains(cur, out);
		}
		domain_pending = domain_label && found == 0;
	}
	unlabelled(text, len, out, cur);
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
