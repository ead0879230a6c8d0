/*
 * normalise: file-name text made comparable, and natural ordering.
 *
 * The matcher (SPEC §3) decides which material a scanned file belongs to by
 * looking for a material's aliases inside the file's stem. People name files
 * every way imaginable ("01＿营业执照（盖章）", "Legal Rep ID - Portrait",
 * "yyzz"), so both the stem and the aliases go through normalise_name(),
 * which folds width and case, removes bracketed notes and a leading ordinal,
 * and drops separators. This module also offers the natural sort used to
 * order multi-page materials, a strict UTF-8 decoder and validator, and the
 * escaping used whenever a file name is shown to the user, with the ID
 * numbers (身份证号) in it masked.
 *
 * Everything works on a sequence of "units": one decoded code point, or one
 * byte that is not part of valid UTF-8 (kept as it is; it can never match an
 * alias, but it must not be lost or merged with its neighbours).
 */
#include "packet/normalise.h"

#include "packet/ident.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t need;
	uint32_t c, min;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* The lead byte fixes the length, and with it the smallest code point
	 * that length may encode (anything smaller is an overlong form). */
	if ((u[0] & 0xE0) == 0xC0) {
		need = 2;
		c = u[0] & 0x1F;
		min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		need = 3;
		c = u[0] & 0x0F;
		min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		need = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else {
		return 0; /* a continuation byte, or 0xF8-0xFF */
	}
	/* Check each continuation byte before touching the next one, so a
	 * sequence cut short by the NUL (or by len) stops at the NUL. */
	for (size_t i = 1; i < need; i++) {
		if (i >= len || (u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need;
}

int utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* --- escape_name ------------------------------------------------------- */

static int is_control(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return 1;
	/* Bidirectional controls are invisible yet reorder what follows, the
	 * classic way to make "gpj.exe" look like "exe.jpg" in a report. */
	return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

char *escape_name(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len, i = 0, o = 0;
	char *out;

	if (s == NULL)
		s = "";
	len = strlen(s);
	/* At worst every byte becomes the four characters \xHH. */
	if (len > (SIZE_MAX - 1) / 4)
		return NULL;
	out = malloc(len * 4 + 1);
	if (out == NULL)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n != 0 && !is_control(cp)) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		/* An invalid byte is escaped alone so that the valid text after
		 * it survives; a control character has all its bytes escaped. */
		if (n == 0)
			n = 1;
		for (size_t k = 0; k < n; k++) {
			unsigned char b = (unsigned char)s[i + k];
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[b >> 4];
			out[o++] = hex[b & 0x0F];
		}
		i += n;
	}
	out[o] = '\0';
	return out;
}

/* --- the same name in another normal form ------------------------------ */

static int all_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

int same_name(const char *a, const char *b)
{
	char *na, *nb;
	int same;

	if (strcmp(a, b) == 0)
		return 1;
	if (all_ascii(a) || all_ascii(b))
		return 0; /* ASCII is its own normal form: only non-ASCII can differ */
	/* utf8proc_NFC: NULL for invalid UTF-8 (then the bytes have decided) */
	na = (char *)utf8proc_NFC((const utf8proc_uint8_t *)a);
	nb = na ? (char *)utf8proc_NFC((const utf8proc_uint8_t *)b) : NULL;
	same = na && nb && strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

/* --- ID numbers in names ------------------------------------------------- */

static int is_digit_char(char c)
{
	return c >= '0' && c <= '9';
}

size_t mask_id_numbers(char *s)
{
	size_t i = 0, n = 0, len = s ? strlen(s) : 0;

	while (i + 18 <= len) {
		char id[19];
		size_t k;
		/* 17 digits and a check character, not part of a longer number */
		if ((i > 0 && is_digit_char(s[i - 1])) || !is_digit_char(s[i])) {
			i++;
			continue;
		}
		for (k = 0; k < 17 && is_digit_char(s[i + k]); k++)
			;
		if (k < 17 || is_digit_char(s[i + 18]) || s[i + 18] == 'X' || s[i + 18] == 'x') {
			i += k ? k : 1;
			continue;
		}
		memcpy(id, s + i, 18);
		id[18] = '\0';
		if (idcard_check(id, NULL) != IDENT_OK) {
			i += 17;
			continue;
		}
		memset(s + i + 6, '*', 8); /* as idcard_mask: the birth date hidden */
		n++;
		i += 18;
	}
	return n;
}

char *display_name(const char *s)
{
	char *out = escape_name(s);

	if (out)
		mask_id_numbers(out);
	return out;
}

/* --- natural_compare --------------------------------------------------- */

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * The order has three keys, each consulted only when the ones before tie, so
 * that it is a total order (qsort needs that) and never depends on the
 * algorithm's path:
 *   1. the strings as sequences of numbers (digit runs, by value) and
 *      case-folded bytes: "p2" < "p10", "page1" < "Page2";
 *   2. leading zeros, fewer first, at the first digit run where they differ:
 *      "p2" < "p02";
 *   3. the bytes: "A" < "a".
 * A digit run meeting a non-digit byte compares as its first digit does; no
 * non-digit byte lies between '0' and '9', so this agrees with comparing any
 * digit and keeps key 1 consistent.
 */
int natural_compare(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)(a ? a : "");
	const unsigned char *y = (const unsigned char *)(b ? b : "");
	size_t i = 0, j = 0;
	int zeros = 0; /* key 2, the first difference seen */

	while (x[i] != '\0' && y[j] != '\0') {
		if (is_digit(x[i]) && is_digit(y[j])) {
			size_t zi = 0, zj = 0, ni = 0, nj = 0;
			while (x[i + zi] == '0')
				zi++;
			while (y[j + zj] == '0')
				zj++;
			while (is_digit(x[i + zi + ni]))
				ni++;
			while (is_digit(y[j + zj + nj]))
				nj++;
			/* Without leading zeros, a longer run is a larger
			 * number; equal lengths compare digit by digit. This
			 * handles runs of any length without overflow. */
			if (ni != nj)
				return ni < nj ? -1 : 1;
			for (size_t k = 0; k < ni; k++) {
				if (x[i + zi + k] != y[j + zj + k])
					return x[i + zi + k] < y[j + zj + k] ? -1 : 1;
			}
			if (zeros == 0 && zi != zj)
				zeros = zi < zj ? -1 : 1;
			i += zi + ni;
			j += zj + nj;
			continue;
		}
		unsigned char cx = ascii_lower(x[i]), cy = ascii_lower(y[j]);
		if (cx != cy)
			return cx < cy ? -1 : 1;
		i++;
		j++;
	}
	if (x[i] != '\0' || y[j] != '\0')
		return x[i] == '\0' ? -1 : 1; /* a prefix sorts first */
	if (zeros != 0)
		return zeros;
	int c = strcmp((const char *)x, (const char *)y);
	return (c > 0) - (c < 0);
}

/* --- normalise_name ---------------------------------------------------- */

/* A code point, or (for a byte that is not valid UTF-8) INVALID_BIT plus
 * the byte, which is never equal to any code point tested below. */
#define INVALID_BIT 0x80000000u

typedef struct {
	uint32_t cp;
	uint32_t off;  /* where its bytes start in the input */
	uint8_t len;   /* how many input bytes it came from */
	uint8_t gone;  /* removed as a bracketed note or its bracket */
} unit;

/* Bracket pairs whose content is a decoration. The full-width （） are not
 * listed: folding has already turned them into ASCII ( ). */
static const uint32_t bracket_pairs[][2] = {
	{ '(', ')' },
	{ '[', ']' },
	{ 0x3010, 0x3011 }, /* 【 】 */
	{ 0x3014, 0x3015 }, /* 〔 〕 */
	{ 0x300A, 0x300B }, /* 《 》 */
	{ 0x300C, 0x300D }, /* 「 」 */
	{ 0x300E, 0x300F }, /* 『 』 */
	{ 0x3016, 0x3017 }, /* 〖 〗 */
};

static uint32_t closer_for(uint32_t cp)
{
	for (size_t i = 0; i < sizeof bracket_pairs / sizeof bracket_pairs[0]; i++) {
		if (bracket_pairs[i][0] == cp)
			return bracket_pairs[i][1];
	}
	return 0;
}

/* Full-width ASCII to ASCII, the ideographic and no-break spaces to a space,
 * then ASCII to lowercase. */
static uint32_t fold(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFF01 - 0x21;
	else if (cp == 0x3000 || cp == 0x00A0)
		cp = ' ';
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

/* Separators are dropped from the result. With keep_dots, '.' and '-' stay
 * (domain names need them); everything else is dropped either way. Input is
 * already folded, so '，' and '－' arrive here as ',' and '-'. */
static int is_separator(uint32_t cp, int keep_dots)
{
	switch (cp) {
	case '.':
	case '-':
		return !keep_dots;
	case ' ':
	case '\t':
	case '\n':
	case '\v':
	case '\f':
	case '\r':
	case '_':
	case ',':
	case '+':
	case 0x00B7: /* · middle dot */
	case 0x2013: /* – en dash */
	case 0x2014: /* — em dash */
	case 0x2015: /* ― horizontal bar, often typed for a dash */
	case 0x3001: /* 、 */
	case 0x3002: /* 。 */
	case 0x30FB: /* ・ katakana middle dot, what some IMEs type for · */
		return 1;
	default:
		return 0;
	}
}

static int is_ascii_digit(uint32_t cp)
{
	return cp >= '0' && cp <= '9';
}

static int is_cjk_numeral(uint32_t cp)
{
	static const uint32_t nums[] = { 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
					 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341 };
	/* 一 二 三 四 五 六 七 八 九 十 */
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		if (nums[i] == cp)
			return 1;
	}
	return 0;
}

/* Mark bracketed notes as gone. remove: the bracket and its content (nested
 * brackets of the same kind included); otherwise only the two brackets, for
 * when the notes were all there was. An opener with no closer is ordinary
 * text. Names are short, so the quadratic rescan costs nothing. */
static void mark_brackets(unit *u, size_t n, int remove)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t open = u[i].cp, close = closer_for(open);
		size_t depth = 1, j;

		if (close == 0 || u[i].gone)
			continue;
		for (j = i + 1; j < n; j++) {
			if (u[j].cp == open)
				depth++;
			else if (u[j].cp == close && --depth == 0)
				break;
		}
		if (j == n)
			continue;
		if (remove) {
			for (size_t k = i; k <= j; k++)
				u[k].gone = 1;
			i = j;
		} else {
			u[i].gone = 1;
			u[j].gone = 1;
		}
	}
}

/* Index of the next unit at or after i that is kept and not a separator. */
static size_t skip_separators(const unit *u, size_t n, size_t i, int keep_dots)
{
	while (i < n && (u[i].gone || is_separator(u[i].cp, keep_dots)))
		i++;
	return i;
}

/* 1 when, from i on, something other than separators and ASCII digits is
 * kept: stripping an ordinal must not leave nothing, or only a number
 * ("1_2" is more likely a page than an ordinal and a page). */
static int has_text_from(const unit *u, size_t n, size_t i, int keep_dots)
{
	for (; i < n; i++) {
		if (!u[i].gone && !is_separator(u[i].cp, keep_dots) &&
		    !is_ascii_digit(u[i].cp))
			return 1;
	}
	return 0;
}

/*
 * Where the name proper starts, after any leading ordinal. An ordinal is
 *   - 1 to 3 ASCII digits followed by a separator or ')': "1_", "01-", "3.",
 *     "2、", "1)". Four digits are more likely a year, and digits run straight
 *     into text are part of it ("2024年度报告", "3号楼"), so both are kept;
 *   - 1 to 3 Chinese numerals followed by '、' or ')': "一、", "十二、";
 *   - a circled number ① to ⑳, with or without a separator.
 * "(1)" and "（1）" need no rule: bracket removal has taken them already.
 * With keep_dots, '.' and '-' are text and so never end an ordinal, which
 * keeps "163.com" intact.
 */
static size_t skip_ordinal(const unit *u, size_t n, size_t start, int keep_dots)
{
	size_t i = start, k = 0, after;

	if (i >= n)
		return start;
	if (u[i].cp >= 0x2460 && u[i].cp <= 0x2473) {
		after = i + 1;
	} else {
		int digits = is_ascii_digit(u[i].cp);
		if (!digits && !is_cjk_numeral(u[i].cp))
			return start;
		/* Removed notes are skipped over as if they were not there. */
		while (i < n && (u[i].gone || (digits ? is_ascii_digit(u[i].cp)
						     : is_cjk_numeral(u[i].cp)))) {
			if (!u[i].gone)
				k++;
			i++;
		}
		if (k > 3 || i >= n)
			return start;
		if (u[i].cp == ')')
			after = i + 1;
		else if (digits && is_separator(u[i].cp, keep_dots))
			after = i;
		else if (!digits && u[i].cp == 0x3001)
			after = i + 1;
		else
			return start;
	}
	after = skip_separators(u, n, after, keep_dots);
	return has_text_from(u, n, after, keep_dots) ? after : start;
}

/* Write the kept units from start on, less separators; returns the length. */
static size_t emit(const unit *u, size_t n, size_t start, const char *src,
		   int keep_dots, char *out)
{
	size_t o = 0;

	for (size_t i = start; i < n; i++) {
		if (u[i].gone || is_separator(u[i].cp, keep_dots))
			continue;
		if (u[i].cp < 0x80) {
			out[o++] = (char)u[i].cp; /* ASCII, possibly folded */
		} else {
			memcpy(out + o, src + u[i].off, u[i].len);
			o += u[i].len;
		}
	}
	out[o] = '\0';
	return o;
}

static size_t run(unit *u, size_t n, const char *src, int keep_dots, int remove,
		  char *out)
{
	size_t start;

	for (size_t i = 0; i < n; i++)
		u[i].gone = 0;
	mark_brackets(u, n, remove);
	start = skip_separators(u, n, 0, keep_dots);
	start = skip_ordinal(u, n, start, keep_dots);
	return emit(u, n, start, src, keep_dots, out);
}

static char *normalise(const char *s, int keep_dots, int keep_notes)
{
	size_t len, n = 0, i = 0;
	unit *u;
	char *out;

	if (s == NULL)
		s = "";
	len = strlen(s);
	/* The offsets are 32-bit to keep units small; no file name comes near. */
	if (len >= UINT32_MAX)
		return NULL;
	/* Folding only ever shortens text, so the input length is enough. */
	out = malloc(len + 1);
	u = malloc((len ? len : 1) * sizeof *u);
	if (out == NULL || u == NULL) {
		free(out);
		free(u);
		return NULL;
	}
	while (i < len) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			cp = INVALID_BIT | (unsigned char)s[i];
			k = 1;
		} else {
			cp = fold(cp);
		}
		u[n].cp = cp;
		u[n].off = (uint32_t)i;
		u[n].len = (uint8_t)k;
		u[n].gone = 0;
		n++;
		i += k;
	}
	/* Bracketed notes are decorations only when some text is left beside
	 * them: "（营业执照）" or "01_(营业执照)" is a name in brackets, so then
	 * only the brackets go. A bare number does not count as text. */
	size_t olen = run(u, n, s, keep_dots, !keep_notes, out);
	if (!keep_notes && strspn(out, "0123456789") == olen)
		run(u, n, s, keep_dots, 0, out);
	free(u);
	return out;
}

char *normalise_name(const char *s)
{
	return normalise(s, 0, 0);
}

char *normalise_keep_notes(const char *s)
{
	return normalise(s, 0, 1);
}

char *normalise_keep_dots(const char *s)
{
	return normalise(s, 1, 0);
}
