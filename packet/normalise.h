/*
 * normalise: file-name text made comparable, and natural ordering.
 *
 * Matching (SPEC §3) compares a file's stem with material aliases after both
 * pass through normalise_name(): full-width forms folded to ASCII (Ａ->a,
 * （->(, U+3000->space), ASCII lowercased, decorations removed (bracketed
 * notes such as "(盖章)", "（复印件）", "【扫描件】", "[1]"; a leading number
 * like "1_", "01-", "3." ), and separators dropped (space, _ - . · 、 ， , +).
 * Invalid UTF-8 bytes are kept as they are (they never match an alias).
 */
#ifndef LICPACK_NORMALISE_H
#define LICPACK_NORMALISE_H

#include <stddef.h>
#include <stdint.h>

/* Normalise s into a new string the caller frees. NULL only when out of memory. */
char *normalise_name(const char *s);

/* Same, but a bracketed note keeps its text (only the brackets go):
 * "法人身份证（正反面）" -> "法人身份证正反面". The matcher's second try,
 * for names whose only telling word is in brackets. Caller frees. */
char *normalise_keep_notes(const char *s);

/* Same, but keeps '.' and '-' (for finding domain names in a file name):
 * "证书_Example.COM（盖章）" -> "证书example.com". Caller frees. */
char *normalise_keep_dots(const char *s);

/* Natural order, for multi-page materials: "p2" < "p10", "a" < "B" (case-
 * insensitive, ties broken bytewise). strcmp-like result. */
int natural_compare(const char *a, const char *b);

/* 1 when s is valid UTF-8, else 0. */
int utf8_valid(const char *s, size_t len);

/* Decode the one UTF-8 sequence at the start of the len bytes at s: returns
 * its length (1-4) and sets *cp, or returns 0 when those bytes do not start a
 * valid sequence (overlong, surrogate, above U+10FFFF, truncated, or len 0).
 * Never reads beyond s[len - 1]. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Copy s into out with every byte that is not part of valid UTF-8, and every
 * control character, written as \xHH. Control characters are C0, DEL, C1 and
 * the invisible bidirectional controls (U+200E/F, U+202A-E, U+2066-9) that can
 * make a name display reversed. Caller frees. */
char *escape_name(const char *s);

/* 1 when a and b are the same name, bytewise or once both are in Unicode
 * normal form C: "é" written as one code point (NFC, as most systems and
 * editors write it) or as "e" and a combining accent (NFD, as macOS file
 * systems have stored names). Invalid UTF-8 compares bytewise. */
int same_name(const char *a, const char *b);

/* Mask, in place, every 身份证号 in s: 17 digits and a check character (0-9,
 * X or x) that idcard_check() accepts (a real birth date, the right check
 * character), not part of a longer run of digits. Its birth date (characters
 * 7-14) becomes "********", as idcard_mask() writes it. The 15-digit numbers
 * of the first-generation cards are left alone: they have no check character,
 * so any 15-digit number with a date in it would be taken for one, and those
 * cards stopped being valid in 2013. Returns how many were masked. */
size_t mask_id_numbers(char *s);

/* A file name as every output shows it: escape_name(), then
 * mask_id_numbers(). Caller frees; NULL when out of memory. */
char *display_name(const char *s);

#endif
