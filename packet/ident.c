/*
 * ident: Chinese identifiers and dates in applicant metadata.
 *
 * The metadata checks (SPEC §4) validate what packet.json says about the
 * applicant before anything is submitted: the 统一社会信用代码 check character
 * (GB 32100-2015), the 身份证号 birth date and check digit (GB 11643, ISO 7064
 * MOD 11-2), domain-name syntax, telecom licence and ICP filing numbers, and
 * the dates that expiry warnings are computed from. It also masks ID numbers,
 * which are personal data and never appear whole in a report. Everything here
 * is a pure function on its arguments: no allocation, no I/O, no locale.
 */
#include "packet/ident.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "packet/normalise.h"

/* --- 统一社会信用代码 --------------------------------------------------- */

/* GB 32100-2015 leaves out I, O, Z, S and V, which are easily misread. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
	/* Only uppercase is accepted: the standard and the business licence
	 * print uppercase, and a lowercase code in packet.json is more likely
	 * a typing slip worth showing than something to fix silently. */
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(uscc_alphabet, c);
	return p ? (int)(p - uscc_alphabet) : -1;
}

ident_result uscc_check(const char *s, char *expected)
{
	/* 3^(i-1) mod 31 for positions 1-17. */
	static const uint8_t weights[17] = { 1,  3,  9,  27, 19, 26, 16, 17, 20,
					     29, 25, 13, 8,  24, 10, 30, 28 };
	uint32_t sum = 0;
	int v, check;

	if (s == NULL || strlen(s) != 18)
		return IDENT_FORMAT;
	for (size_t i = 0; i < 17; i++) {
		v = uscc_value(s[i]);
		if (v < 0)
			return IDENT_FORMAT;
		sum += (uint32_t)v * weights[i];
	}
	v = uscc_value(s[17]);
	if (v < 0)
		return IDENT_FORMAT;
	check = (int)((31 - sum % 31) % 31);
	if (v != check) {
		if (expected != NULL)
			*expected = uscc_alphabet[check];
		return IDENT_CHECK;
	}
	return IDENT_OK;
}

/* --- dates --------------------------------------------------------------- */

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Division rounding towards minus infinity, for dates before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The matching remainder, in [0, b) for b > 0. Computed without a * b so
 * that it cannot overflow even at INT64_MIN. */
static int64_t floor_mod(int64_t a, int64_t b)
{
	int64_t r = a % b;
	return r < 0 ? r + b : r;
}

/* One Gregorian cycle: 400 years of 365 days, 97 of them leap. The calendar
 * repeats exactly after it, which keeps all arithmetic below on small years. */
#define CYCLE_DAYS 146097
#define CYCLE_YEARS 400

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian. */
static int64_t days_from_date(int64_t y, int m, int d)
{
	/* Leap days from year 1 up to, not including, year y. */
	int64_t leaps = floor_div(y - 1, 4) - floor_div(y - 1, 100) + floor_div(y - 1, 400);
	int64_t days = 365 * (y - 1970) + leaps - 477; /* 477 leap days in 1-1969 */

	for (int k = 1; k < m; k++)
		days += month_days(y, k);
	return days + d - 1;
}

static void date_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	/* Reduce to 1970-2369, find the year there, then add the cycles back. */
	int64_t q = floor_div(days, CYCLE_DAYS), r = floor_mod(days, CYCLE_DAYS);
	int64_t yy = 1970 + r / 366; /* never past the answer */
	int mm = 1;

	while (days_from_date(yy + 1, 1, 1) <= r)
		yy++;
	r -= days_from_date(yy, 1, 1);
	while (r >= month_days(yy, mm)) {
		r -= month_days(yy, mm);
		mm++;
	}
	*y = yy + q * CYCLE_YEARS;
	*m = mm;
	*d = (int)r + 1;
}

static int digits_at(const char *s, size_t n, int *value)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return 1;
}

/* Parse exactly YYYYMMDD-shaped fields (sep '-' or none) into a real date. */
static int parse_ymd(const char *s, int sep, int *y, int *m, int *d)
{
	size_t mo = sep ? 5 : 4, da = sep ? 8 : 6;

	if (!digits_at(s, 4, y))
		return 0;
	if (sep && s[4] != '-')
		return 0;
	if (!digits_at(s + mo, 2, m))
		return 0;
	if (sep && s[7] != '-')
		return 0;
	if (!digits_at(s + da, 2, d))
		return 0;
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= month_days(*y, *m);
}

int date_parse(const char *s, long *days)
{
	int y, m, d;

	/* strlen first: parse_ymd then never looks past the NUL. */
	if (s == NULL || strlen(s) != 10 || !parse_ymd(s, 1, &y, &m, &d))
		return -1;
	if (y < 1900 || y > 2999)
		return -1;
	if (days != NULL)
		*days = (long)days_from_date(y, m, d);
	return 0;
}

void date_format(long days, char *out, size_t outlen)
{
	int64_t y;
	int m, d;

	if (out == NULL || outlen == 0)
		return;
	date_from_days(days, &y, &m, &d);
	snprintf(out, outlen, "%04lld-%02d-%02d", (long long)y, m, d);
}

long date_add_months(long days, int months)
{
	int64_t y, total;
	int m, d, dim;

	/* 4800 months are one whole cycle: move by cycles in days, so the
	 * year arithmetic stays small whatever the arguments. */
	int64_t mq = floor_div(months, 12 * CYCLE_YEARS);
	int64_t mr = floor_mod(months, 12 * CYCLE_YEARS);
	int64_t dq = floor_div(days, CYCLE_DAYS);

	date_from_days(floor_mod(days, CYCLE_DAYS), &y, &m, &d);
	total = y * 12 + (m - 1) + mr;
	y = floor_div(total, 12);
	m = (int)(total - y * 12) + 1;
	dim = month_days(y, m);
	if (d > dim)
		d = dim;
	/* Results beyond long's range cannot be represented; saturate rather
	 * than overflow (only absurd inputs get there). The margin of a few
	 * cycles covers base, which is under two cycles. */
	int64_t cycles = dq + mq, limit = INT64_MAX / CYCLE_DAYS - 4;
	if (cycles > limit)
		return LONG_MAX;
	if (cycles < -limit)
		return LONG_MIN;
	total = days_from_date(y, m, d) + cycles * CYCLE_DAYS;
	if (total > LONG_MAX)
		return LONG_MAX;
	if (total < LONG_MIN)
		return LONG_MIN;
	return (long)total;
}

/* --- 身份证号 -------------------------------------------------------------- */

ident_result idcard_check(const char *s, char *expected)
{
	static const uint8_t weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6,
					     3, 7, 9, 10, 5, 8, 4, 2 };
	static const char checks[] = "10X98765432";
	uint32_t sum = 0;
	int y, m, d;
	char last, want;

	if (s == NULL || strlen(s) != 18)
		return IDENT_FORMAT;
	for (size_t i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return IDENT_FORMAT;
		sum += (uint32_t)(s[i] - '0') * weights[i];
	}
	last = s[17] == 'x' ? 'X' : s[17];
	if (!((last >= '0' && last <= '9') || last == 'X'))
		return IDENT_FORMAT;
	/* The earliest birth year is a judgement call: 1800 admits anyone who
	 * can hold a card while still catching a mistyped century. */
	if (!parse_ymd(s + 6, 0, &y, &m, &d) || y < 1800 || y > 2100)
		return IDENT_DATE;
	want = checks[sum % 11];
	if (last != want) {
		if (expected != NULL)
			*expected = want;
		return IDENT_CHECK;
	}
	return IDENT_OK;
}

/* Length in bytes of the character at s (an invalid byte counts alone). */
static size_t char_len(const char *s, size_t len)
{
	uint32_t cp;
	size_t n = utf8_decode(s, len, &cp);
	return n ? n : 1;
}

void idcard_mask(const char *s, char *out, size_t outlen)
{
	size_t len, chars = 0, head, tail, o = 0, i = 0, idx = 0;

	if (out == NULL || outlen == 0)
		return;
	if (s == NULL)
		s = "";
	len = strlen(s);
	/* Count and cut in characters, not bytes, so a mistyped value with a
	 * full-width digit or a Chinese character is never split mid-sequence
	 * (that would put invalid UTF-8 into the report). */
	for (i = 0; i < len; i += char_len(s + i, len - i))
		chars++;
	if (chars == 15 || chars == 18) {
		head = 6;
		tail = 4;
	} else if (chars >= 6) {
		head = 2;
		tail = 2;
	} else {
		head = 0;
		tail = 0;
	}
	for (i = 0; i < len; idx++) {
		size_t n = char_len(s + i, len - i);
		if (idx < head || idx >= chars - tail) {
			if (o + n >= outlen)
				break;
			memcpy(out + o, s + i, n);
			o += n;
		} else {
			if (o + 1 >= outlen)
				break;
			out[o++] = '*';
		}
		i += n;
	}
	out[o] = '\0';
}

/* --- domain names --------------------------------------------------------- */

/* Characters that cannot be part of a non-ASCII label: invisible or spacing
 * characters, the ideographic and full-width dots (a label separator typed
 * with a Chinese input method, which looks right but is not a dot here), and
 * full-width ASCII, which IDNA2008 disallows. */
static int idn_disallowed(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
	       (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0x3002 ||
	       (cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0xFF61 || cp == 0xFEFF ||
	       (cp >= 0xFFF0 && cp <= 0xFFFF);
}

static int ldh(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= '0' && cp <= '9') || cp == '-';
}

static uint32_t puny_adapt(uint64_t delta, uint64_t points, int first)
{
	uint32_t k = 0;

	delta = first ? delta / 700 : delta / 2;
	delta += delta / points;
	while (delta > ((36 - 1) * 26) / 2) {
		delta /= 36 - 1;
		k += 36;
	}
	return (uint32_t)(k + (36 * delta) / (delta + 38));
}

/*
 * Length of the label's ASCII form ("xn--" + Punycode, RFC 3492), which is
 * what the 63 and 253 limits apply to. Only the length is needed, so this
 * runs the encoder and counts instead of writing. The label is re-decoded on
 * each pass to avoid a code-point buffer; it is at most a few hundred bytes.
 * Returns 0 for a label that cannot fit in 63 characters.
 */
static size_t ace_length(const char *s, size_t len)
{
	uint64_t n = 0x80, delta = 0, h = 0, b = 0, total = 0, out;
	uint32_t bias = 72, cp;
	size_t i, k;

	for (i = 0; i < len; i += k) {
		k = utf8_decode(s + i, len - i, &cp);
		total++;
		if (cp < 0x80)
			b++;
	}
	h = b;
	out = 4 + b + (b > 0);
	while (h < total) {
		uint64_t m = UINT64_MAX;
		for (i = 0; i < len; i += k) {
			k = utf8_decode(s + i, len - i, &cp);
			if (cp >= n && cp < m)
				m = cp;
		}
		delta += (m - n) * (h + 1);
		n = m;
		for (i = 0; i < len; i += k) {
			k = utf8_decode(s + i, len - i, &cp);
			if (cp < n)
				delta++;
			if (cp != n)
				continue;
			uint64_t q = delta;
			for (uint32_t kk = 36;; kk += 36) {
				uint32_t t = kk <= bias ? 1 : kk >= bias + 26 ? 26 : kk - bias;
				if (q < t)
					break;
				out++;
				q = (q - t) / (36 - t);
			}
			out++;
			if (out > 63)
				return 0;
			bias = puny_adapt(delta, h + 1, h == b);
			delta = 0;
			h++;
		}
		delta++;
		n++;
	}
	return out > 63 ? 0 : (size_t)out;
}

/* Checks one label of len bytes; returns its length in the DNS (ASCII form),
 * or 0 when invalid. *numeric is set when it is all digits. */
static size_t label_check(const char *s, size_t len, int *numeric)
{
	int ascii = 1, digits = 1;
	uint32_t cp;
	size_t i, k;

	if (len == 0 || s[0] == '-' || s[len - 1] == '-')
		return 0;
	/* No 63-character ASCII form can come from more UTF-8 than this, and
	 * the bound keeps ace_length's passes short. */
	if (len > 63 * 4)
		return 0;
	for (i = 0; i < len; i += k) {
		k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			return 0;
		if (cp < 0x80) {
			if (!ldh(cp))
				return 0;
		} else if (idn_disallowed(cp)) {
			return 0;
		} else {
			ascii = 0;
		}
		if (cp < '0' || cp > '9')
			digits = 0;
	}
	*numeric = digits;
	if (ascii)
		return len <= 63 ? len : 0;
	return ace_length(s, len);
}

int domain_valid(const char *s)
{
	size_t start = 0, len, total = 0, labels = 0;
	int numeric = 0;

	if (s == NULL)
		return 0;
	len = strlen(s);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		/* A trailing dot (the DNS root) is left out: certificates and
		 * packet.json write domains without it. */
		size_t n = label_check(s + start, i - start, &numeric);
		if (n == 0)
			return 0;
		total += n + (labels > 0);
		labels++;
		start = i + 1;
	}
	return labels >= 2 && total <= 253 && !numeric;
}

/* --- licence and filing numbers ------------------------------------------- */

static const char *const provinces[31] = {
	"京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙",
	"皖", "闽", "赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼", "渝",
	"川", "贵", "云", "藏", "陕", "甘", "青", "宁", "新",
};

/* Length of the province abbreviation s starts with, or 0. */
static size_t province_prefix(const char *s)
{
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
		size_t n = strlen(provinces[i]);
		if (strncmp(s, provinces[i], n) == 0)
			return n;
	}
	return 0;
}

static size_t count_digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* The form of the licences issued since 2009: [合字][省]A1|A2|B1|B2 joined
 * by '.' (none twice), '-', 8 digits, and, on some sites' copies, a serial
 * "-n" (浙B2-20080224-1). Returns 1 when s is one, -1 when s starts like
 * one (a category code after the prefixes) and goes wrong, 0 otherwise. */
static int modern_form(const char *s)
{
	static const char *const codes[4] = { "A1", "A2", "B1", "B2" };
	unsigned seen = 0;
	size_t n;

	if (strncmp(s, "合字", strlen("合字")) == 0)
		s += strlen("合字");
	s += province_prefix(s);
	/* One or more categories joined by '.', e.g. B1.B2; a category
	 * listed twice is a typing error, not a licence. */
	for (;;) {
		size_t c;
		for (c = 0; c < 4; c++) {
			if (s[0] == codes[c][0] && s[1] == codes[c][1])
				break;
		}
		if (c == 4)
			return seen ? -1 : 0;
		if (seen & (1u << c))
			return -1;
		seen |= 1u << c;
		s += 2;
		if (*s != '.')
			break;
		s++;
	}
	if (*s != '-' || count_digits(s + 1) != 8)
		return -1;
	s += 9;
	if (*s == '\0')
		return 1;
	if (*s != '-' || s[1] < '1' || s[1] > '9')
		return -1;
	n = count_digits(s + 1);
	return n <= 2 && s[1 + n] == '\0' ? 1 : -1;
}

/* The ICP licences of before 2009, still printed on sites' footers:
 * 京ICP证030173号, 京ICP证000007 (province, "ICP证", 6 digits, 号 or not). */
static int old_icp_form(const char *s)
{
	size_t n = province_prefix(s);

	if (n == 0 || strncmp(s + n, "ICP证", strlen("ICP证")) != 0)
		return 0;
	s += n + strlen("ICP证");
	if (count_digits(s) != 6)
		return 0;
	s += 6;
	return *s == '\0' || strcmp(s, "号") == 0;
}

licence_form licence_number_form(const char *s)
{
	int m;

	if (s == NULL || *s == '\0')
		return LICENCE_MALFORMED;
	if (old_icp_form(s))
		return LICENCE_VALID;
	m = modern_form(s);
	if (m)
		return m > 0 ? LICENCE_VALID : LICENCE_MALFORMED;
	if (icp_filing_valid(s) || strstr(s, "ICP备"))
		return LICENCE_FILING;
	return LICENCE_UNKNOWN;
}

int licence_number_valid(const char *s)
{
	return licence_number_form(s) == LICENCE_VALID;
}

int icp_filing_valid(const char *s)
{
	size_t n;

	if (s == NULL || (n = province_prefix(s)) == 0)
		return 0;
	s += n;
	if (strncmp(s, "ICP备", strlen("ICP备")) != 0)
		return 0;
	s += strlen("ICP备");
	n = count_digits(s);
	if (n != 8 && n != 10)
		return 0;
	s += n;
	if (strncmp(s, "号", strlen("号")) != 0)
		return 0;
	s += strlen("号");
	if (*s == '\0')
		return 1;
	/* The site's serial within the filing: -1, -2, ... (no zero, no
	 * leading zero; no company files thousands of sites). */
	if (*s != '-' || s[1] < '1' || s[1] > '9')
		return 0;
	s++;
	n = count_digits(s);
	return n <= 4 && s[n] == '\0';
}
