/*
 * ident: Chinese identifiers and dates in applicant metadata.
 *
 * 统一社会信用代码 (GB 32100-2015), 身份证号 (GB 11643, ISO 7064 MOD 11-2),
 * domain names, telecom licence numbers (京B2-20212732), ICP filing numbers
 * (浙ICP备2025183710号-1) and ISO dates. Pure functions: no allocation, no I/O.
 */
#ifndef LICPACK_IDENT_H
#define LICPACK_IDENT_H

#include <stddef.h>

typedef enum {
	IDENT_OK = 0,
	IDENT_FORMAT,   /* wrong length or characters */
	IDENT_DATE,     /* 身份证号: birth date part is not a real date */
	IDENT_CHECK     /* check character does not match */
} ident_result;

/* 18 chars from 0-9 A-H J-N P-R T U W X Y, uppercase only (lowercase is
 * IDENT_FORMAT); check = 31 - (sum mod 31). When the result is IDENT_CHECK
 * and expected != NULL, *expected gets the right check char. */
ident_result uscc_check(const char *s, char *expected);

/* 17 digits + check (0-9 or X, uppercase or lowercase x); digits 7-14 a real
 * date in the years 1800-2100. Checked in that order: FORMAT, DATE, CHECK.
 * *expected (on IDENT_CHECK) is '0'-'9' or uppercase 'X'. */
ident_result idcard_check(const char *s, char *expected);

/* Mask an ID number for output: first 6 and last 4 kept, the rest '*':
 * "11010519491231002X" -> "110105********002X". Anything not 15/18 chars long
 * is masked whole except the first 2 and last 2 characters (or all when shorter
 * than 6). Writes at most outlen bytes including the NUL. */
void idcard_mask(const char *s, char *out, size_t outlen);

/* Domain syntax: labels of 1-63 of [a-z0-9-] (not starting or ending with '-'),
 * or UTF-8 non-ASCII labels (例子.中国); at least two labels; total <= 253; the
 * last label not all digits; case-insensitive. For non-ASCII labels the limits
 * apply to the "xn--" form; spaces, invisible characters, full-width ASCII and
 * the dots 。 ． are refused. No trailing root dot. Returns 1 valid, 0 not. */
int domain_valid(const char *s);

/* Licence number forms (issue 13 item 4): the current one, optional 合字,
 * optional province abbreviation (one of the 31 one-character abbreviations
 * 京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新), then
 * A1|A2|B1|B2 joined by '.' (none twice), '-', 8 digits, optionally a serial
 * "-n" (1-99); and the pre-2009 ICP licence, province + "ICP证" + 6 digits
 * + optional "号" (京ICP证030173号). */
typedef enum {
	LICENCE_VALID = 0,  /* one of the documented forms */
	LICENCE_MALFORMED,  /* empty, or the current form gone wrong (a typo) */
	LICENCE_FILING,     /* an ICP filing number (京ICP备...), not a licence */
	LICENCE_UNKNOWN     /* none of the forms known: may be right, may not */
} licence_form;

licence_form licence_number_form(const char *s);

/* 1 when licence_number_form(s) is LICENCE_VALID, else 0. */
int licence_number_valid(const char *s);

/* ICP filing number: province abbreviation + "ICP备" + 8 or 10 digits + "号",
 * optionally "-n" (n 1-9999, no leading zero). Returns 1 valid, 0 not. */
int icp_filing_valid(const char *s);

/* Strict YYYY-MM-DD (a real calendar date, year 1900-2999) to days since
 * 1970-01-01. Returns 0 on success, -1 when malformed. */
int date_parse(const char *s, long *days);

/* Days since 1970-01-01 back to "YYYY-MM-DD" (out at least 11 bytes). */
void date_format(long days, char *out, size_t outlen);

/* Add months (may be negative) to a date, clamping the day: 2024-01-31 + 1
 * month = 2024-02-29. Saturates at LONG_MIN/LONG_MAX instead of overflowing. */
long date_add_months(long days, int months);

#endif
