/*
 * error: the one table of the core's errors, and the rendering of an error
 * into both languages when it happens (see error.h).
 */
#include <string.h>

#include "packet/error.h"
#include "packet/util.h"

static const struct {
	const char *name, *en, *zh;
} table[] = {
	{ "OK", "", "" },
#define LP_ERROR(code, en, zh) { #code, en, zh },
#include "packet/error_table.h"
#undef LP_ERROR
};

const char *lp_error_template(lp_errcode code, int zh)
{
	if ((size_t)code >= sizeof table / sizeof table[0])
		return NULL;
	return zh ? table[code].zh : table[code].en;
}

const char *lp_error_name(lp_errcode code)
{
	if ((size_t)code >= sizeof table / sizeof table[0])
		return NULL;
	return table[code].name;
}

/* Append len bytes of s to out (size bytes, *used used), cutting at the end
 * (between two UTF-8 characters, not inside one). */
static void put(char *out, size_t size, size_t *used, const char *s, size_t len)
{
	if (*used + 1 >= size)
		return;
	if (len > size - 1 - *used) {
		len = size - 1 - *used;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out + *used, s, len);
	*used += len;
	out[*used] = '\0';
}

/* The template tpl with its placeholders filled, into out (from *used on). */
static void render(char *out, size_t size, size_t *used, const char *tpl, int zh, int errnum,
		   const lp_err *inner, size_t nargs, const char *const *args)
{
	const char *p, *s;

	for (p = tpl; *p; p++) {
		s = NULL;
		if (p[0] == '{' && p[1] && p[2] == '}') {
			if (p[1] >= '1' && p[1] <= '9')
				s = (size_t)(p[1] - '0') <= nargs && args[p[1] - '0'] ? args[p[1] - '0'] : "";
			else if (p[1] == 'e')
				s = zh ? lp_strerror_zh(errnum) : strerror(errnum);
			else if (p[1] == 'i')
				s = lp_error_text(inner, zh);
		}
		if (s) {
			put(out, size, used, s, strlen(s));
			p += 2;
		} else {
			put(out, size, used, p, 1);
		}
	}
}

static void fill(lp_err *err, lp_errcode code, int errnum, const lp_err *inner, size_t nargs,
		 const char *const *args)
{
	size_t en = strlen(err->en), zh = strlen(err->zh);

	render(err->en, sizeof err->en, &en, lp_error_template(code, 0), 0, errnum, inner, nargs, args);
	render(err->zh, sizeof err->zh, &zh, lp_error_template(code, 1), 1, errnum, inner, nargs, args);
}

int lp_error_set(lp_err *err, lp_errcode code, int errnum, const lp_err *inner, size_t nargs,
		 const char *const *args)
{
	lp_err in;

	if (!err)
		return -1;
	if (inner == err) { /* wrapping itself: render from a copy */
		in = *err;
		inner = &in;
	}
	if ((size_t)code >= sizeof table / sizeof table[0])
		code = LP_E_NOMEM;
	err->code = code;
	err->errnum = errnum ? errnum : (inner ? inner->errnum : 0);
	err->en[0] = err->zh[0] = '\0';
	fill(err, code, errnum, inner, nargs, args);
	return -1;
}

/* A line is added whole in both languages or not at all, so that the
 * lines of the two texts stay paired (a problem and its translation). */
int lp_error_append(lp_err *err, lp_errcode code, size_t nargs, const char *const *args)
{
	lp_err line;
	size_t en, zh, len_en, len_zh;

	if (!err)
		return -1;
	if (err->code == LP_OK)
		return lp_error_set(err, code, 0, NULL, nargs, args);
	lp_error_set(&line, code, 0, NULL, nargs, args);
	en = strlen(err->en);
	zh = strlen(err->zh);
	len_en = strlen(line.en);
	len_zh = strlen(line.zh);
	if (en + 1 + len_en + 1 >= sizeof err->en || zh + 1 + len_zh + 1 >= sizeof err->zh)
		return -1;
	put(err->en, sizeof err->en, &en, "\n", 1);
	put(err->en, sizeof err->en, &en, line.en, len_en);
	put(err->zh, sizeof err->zh, &zh, "\n", 1);
	put(err->zh, sizeof err->zh, &zh, line.zh, len_zh);
	return -1;
}

int lp_nomem(lp_err *err)
{
	return lp_fail(err, LP_E_NOMEM);
}

void lp_error_clear(lp_err *err)
{
	if (!err)
		return;
	err->code = LP_OK;
	err->errnum = 0;
	err->en[0] = err->zh[0] = '\0';
}

void lp_error_copy(lp_err *dst, const lp_err *src)
{
	if (dst && src && dst != src)
		*dst = *src;
}

const char *lp_error_text(const lp_err *err, int zh)
{
	if (!err || err->code == LP_OK)
		return "";
	return zh ? err->zh : err->en;
}
