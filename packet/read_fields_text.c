/*
 * read_fields_text: characters, lines, validators and dates for
 * packet/read_fields.c (read_fields_text.h says what each does).
 */
#include "packet/read_fields_text.h"

#include <stdio.h>
#include <string.h>

#include "packet/ident.h"
#include "packet/normalise.h"

/* --- characters ------------------------------------------------------------ */

int rf_is_cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

int rf_is_digit(uint32_t c)
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
	case 0x3008: case 0x300A: case 0x3010: case 0x300C:	/* 〈《【「 */
		return '(';
	case 0x3009: case 0x300B: case 0x3011: case 0x300D:	/* 〉》】」 */
		return ')';
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
int rf_to_utf8(const uint32_t *cp, size_t n, char *out, size_t outlen)
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
int rf_starts_with(const uint32_t *cp, size_t n, size_t at, const char *s)
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

size_t rf_cp_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int rf_contains(const uint32_t *cp, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (rf_starts_with(cp, n, i, s))
			return 1;
	return 0;
}

/* --- lines ----------------------------------------------------------------- */

/* The line of text starting at *pos (up to '\n' or the end) into lb;
 * *pos moves past it. Invalid UTF-8 bytes become U+FFFD. Returns 0 at the
 * end of the text. */
int rf_next_line(const char *text, size_t len, size_t *pos, line_buf *lb)
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
		if (lb->nc < LINE_CP) {
			lb->gap[lb->nc] = (uint8_t)space;
			lb->compact[lb->nc++] = c;
		}
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
/* --- validators ------------------------------------------------------------ */

/* A person's name: 2-6 Chinese characters, a middle dot allowed inside
 * (少数民族 names). */
int rf_plausible_person(const uint32_t *v, size_t n)
{
	size_t han = 0;

	if (n < 2 || n > 12)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (rf_is_cjk(v[i]))
			han++;
		else if (!((v[i] == 0xB7 || v[i] == 0x30FB || v[i] == 0x2022) &&
			   i > 0 && i + 1 < n))
			return 0;
	}
	return han >= 2 && (han <= 4 || han < n);
}

/* A company: Chinese characters and brackets, 4-60 of them, ending as
 * registered names end. */
int rf_plausible_company(const uint32_t *v, size_t n)
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
		} else if (!rf_is_cjk(v[i]))
			return 0;
	}
	if (depth != 0)
		return 0;
	for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
		size_t k = rf_cp_len(ends[e]);
		if (k <= n && rf_starts_with(v, n, n - k, ends[e]))
			return 1;
	}
	return 0;
}

/* An issuing authority on an ID card: Chinese characters ending in 局. */
int rf_plausible_issuer(const uint32_t *v, size_t n)
{
	if (n < 4 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!rf_is_cjk(v[i]))
			return 0;
	return rf_starts_with(v, n, n - 1, "局");
}

/* 注册资本 as written: a number in digits or Chinese numerals, then units
 * and a currency, with 元 among them (100万元人民币, 壹佰万元整). */
int rf_plausible_capital(const uint32_t *v, size_t n)
{
	static const char numerals[] = "零一二三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟";
	static const char units[] = "万亿元整人民币美欧港";
	int number = 0, yuan = 0;

	if (n < 2 || n > 30)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char b[5];
		if (rf_is_digit(v[i])) {
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
		if (!rf_is_digit(c) && !(c >= 'A' && c <= 'Z'))
			break;
		out[k++] = (char)c;
	}
	out[k < want + 1 ? k : want] = '\0';
	return k;
}

/* A USCC at v: exactly 18 identifier characters that validate. */
int rf_take_uscc(const uint32_t *v, size_t n, char out[19])
{
	char s[20] = "";

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
int rf_take_id(const uint32_t *v, size_t n, char out[19])
{
	char s[20] = "";

	if (ident_chars(v, n, s, 18) != 18)
		return 0;
	for (size_t i = 0; i < 17; i++)
		if (!rf_is_digit((unsigned char)s[i]))
			return 0;
	if (idcard_check(s, NULL) != IDENT_OK)
		return 0;
	memcpy(out, s, 19);
	return 1;
}

/* --- dates ----------------------------------------------------------------- */

/* Up to max digits at v[at] as a number; with letters set (inside the
 * 年...日 form, whose characters anchor it), o/O read as 0 and l/I/i/| as 1:
 * tesseract's habit in small print ("07 A ol 日"). */
static size_t digits(const uint32_t *v, size_t n, size_t at, size_t max, int letters, int *val)
{
	size_t k = 0;

	*val = 0;
	while (at + k < n && k < max) {
		uint32_t c = v[at + k];
		if (letters && (c == 'o' || c == 'O'))
			c = '0';
		else if (letters && (c == 'l' || c == 'I' || c == 'i' || c == '|'))
			c = '1';
		else if (!rf_is_digit(c))
			break;
		*val = *val * 10 + (int)(c - '0');
		k++;
	}
	return k;
}

/* A date starting at v[at] (2026年11月28日, 2026-11-28, 2026.11.28,
 * 2026/11/28) that exists: its length, with "YYYY-MM-DD" in out; else 0. */
size_t rf_date_at(const uint32_t *v, size_t n, size_t at, char out[16])
{
	int y, m, d;
	size_t i = at, k;
	uint32_t sep;
	long days;

	if (at > 0 && rf_is_digit(v[at - 1]))
		return 0;
	if (digits(v, n, i, 4, 0, &y) != 4)
		return 0;
	i += 4;
	if (i >= n)
		return 0;
	sep = v[i];
	if (sep != 0x5E74 && sep != '-' && sep != '.' && sep != '/')	/* 年 */
		return 0;
	i++;
	if ((k = digits(v, n, i, 2, sep == 0x5E74, &m)) == 0)
		return 0;
	i += k;
	/* 月, or in the 年...日 form any one character read for it (A, 只) */
	if (i >= n || (sep == 0x5E74 ? rf_is_digit(v[i]) : v[i] != sep))
		return 0;
	i++;
	if ((k = digits(v, n, i, 2, sep == 0x5E74, &d)) == 0)
		return 0;
	i += k;
	if (sep == 0x5E74) {
		if (i >= n || v[i] != 0x65E5)	/* 日 */
			return 0;
		i++;
	} else if (i < n && rf_is_digit(v[i]))
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
void rf_period_end(const uint32_t *v, size_t n, char out[16])
{
	char date[16] = "";
	int dates = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t k = rf_date_at(v, n, i, date);
		if (k) {
			if (++dates == 2)
				memcpy(out, date, 16);
			i += k - 1;
		} else if (rf_starts_with(v, n, i, "长期")) {
			if (dates <= 1)
				snprintf(out, 16, "long-term");
			return;
		}
	}
	if (dates != 2)
		out[0] = '\0';
}

/* The last date written in v, or "". */
void rf_last_date(const uint32_t *v, size_t n, char out[16])
{
	char date[16] = "";

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t k = rf_date_at(v, n, i, date);
		if (k) {
			memcpy(out, date, 16);
			i += k - 1;
		}
	}
}

/* Keep in best the later of two YYYY-MM-DD dates. */
void rf_keep_latest(char best[16], const char *date)
{
	if (best[0] == '\0' || strcmp(date, best) > 0)
		snprintf(best, 16, "%s", date);
}

