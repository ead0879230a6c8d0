/*
 * read_fields_text: the text side of packet/read_fields.c, shared by its two
 * files and nothing else. A page's text is taken a line at a time as code
 * points, in a compact form (no white space, full-width ASCII folded) and a
 * spaced one; the validators decide whether a value is believable: a
 * person's or a company's name, an issuing authority, a registered capital,
 * a USCC or an ID number whose check character validates, a date that
 * exists. Pure functions on caller buffers: no allocation, no output.
 */
#ifndef PACKET_READ_FIELDS_TEXT_H
#define PACKET_READ_FIELDS_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* A line longer than this (in characters) is cut: a printed page has no
 * such line, and a value past the cut is simply not read. */
#define LINE_CP 512

typedef struct {
	uint32_t compact[LINE_CP];	/* no white space at all */
	uint8_t gap[LINE_CP];		/* 1: white space stood before compact[i] */
	size_t nc;
	uint32_t spaced[LINE_CP];	/* runs of white space as one ' ' */
	size_t ns;
} line_buf;

/* A CJK unified ideograph (the basic block and extension A). */
int rf_is_cjk(uint32_t c);

/* An ASCII digit. */
int rf_is_digit(uint32_t c);

/* cp[0, n) as UTF-8 into out (size outlen); 0, or -1 when it does not fit
 * (out is then ""). */
int rf_to_utf8(const uint32_t *cp, size_t n, char *out, size_t outlen);

/* 1 when cp[at, n) starts with the UTF-8 string s. */
int rf_starts_with(const uint32_t *cp, size_t n, size_t at, const char *s);

/* The number of code points of the UTF-8 string s. */
size_t rf_cp_len(const char *s);

/* 1 when the UTF-8 string s occurs in cp[0, n). */
int rf_contains(const uint32_t *cp, size_t n, const char *s);

/* The line of text starting at *pos (up to '\n' or the end) into lb;
 * *pos moves past it. Invalid UTF-8 bytes become U+FFFD. Returns 0 at the
 * end of the text. */
int rf_next_line(const char *text, size_t len, size_t *pos, line_buf *lb);

/* A person's name: 2-6 Chinese characters, a middle dot allowed inside
 * (少数民族 names). */
int rf_plausible_person(const uint32_t *v, size_t n);

/* A company: Chinese characters and brackets, 4-60 of them, ending as
 * registered names end. */
int rf_plausible_company(const uint32_t *v, size_t n);

/* An issuing authority on an ID card: Chinese characters ending in 局. */
int rf_plausible_issuer(const uint32_t *v, size_t n);

/* 注册资本 as written: a number in digits or Chinese numerals, then units
 * and a currency, with 元 among them (100万元人民币, 壹佰万元整). */
int rf_plausible_capital(const uint32_t *v, size_t n);

/* A USCC at v: exactly 18 identifier characters that validate. */
int rf_take_uscc(const uint32_t *v, size_t n, char out[19]);

/* An ID number at v: 17 digits and a check character that validate. */
int rf_take_id(const uint32_t *v, size_t n, char out[19]);

/* A date starting at v[at] (2026年11月28日, 2026-11-28, 2026.11.28,
 * 2026/11/28) that exists: its length, with "YYYY-MM-DD" in out; else 0. */
size_t rf_date_at(const uint32_t *v, size_t n, size_t at, char out[16]);

/* The end of a period written in v (营业期限, 有效期限): "long-term" when
 * 长期 follows a date or stands alone, else the second of two dates.
 * One date alone is the start or the end, nobody knows: "". */
void rf_period_end(const uint32_t *v, size_t n, char out[16]);

/* The last date written in v, or "". */
void rf_last_date(const uint32_t *v, size_t n, char out[16]);

/* Keep in best the later of two YYYY-MM-DD dates. */
void rf_keep_latest(char best[16], const char *date);

#endif
