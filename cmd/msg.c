/*
 * msg: the message language, Chinese errno texts, and the errors of
 * packet/ and pdf/ in it (see msg.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/msg.h"
#include "packet/util.h"

static lp_lang message_lang = LANG_EN;

void msg_set_lang(lp_lang lang)
{
	message_lang = lang;
}

lp_lang msg_lang(void)
{
	return message_lang;
}

void msg_lang_init(int argc, char **argv)
{
	lp_lang lang;
	int i;

	if (lang_choose(NULL, &lang) == 0)
		message_lang = lang;
	/* the last valid --lang wins, as it will in the command's own parser */
	for (i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			v = argv[i] + 7;
		if (v && lang_choose(v, &lang) == 0)
			message_lang = lang;
	}
}

/* ---------------------------------------------------------- errno --- */

const char *msg_strerror(int errnum)
{
	return message_lang == LANG_ZH ? lp_strerror_zh(errnum) : strerror(errnum);
}

/* ------------------------------------------------ library errors --- */

const char *msg_err(const lp_err *err)
{
	return lp_error_text(err, message_lang == LANG_ZH);
}

int msg_fail_args(lp_err *err, const char *en, const char *zh, ...)
{
	va_list ap;

	if (!err)
		return -1;
	lp_error_clear(err);
	err->code = LP_E_CMD;
	va_start(ap, zh);
	vsnprintf(err->en, sizeof err->en, en, ap);
	va_end(ap);
	va_start(ap, zh);
	vsnprintf(err->zh, sizeof err->zh, zh, ap);
	va_end(ap);
	return -1;
}

int msg_text(lp_err *err, const char *en, const char *zh)
{
	if (!err)
		return -1;
	lp_error_clear(err);
	err->code = LP_E_CMD;
	snprintf(err->en, sizeof err->en, "%s", en);
	snprintf(err->zh, sizeof err->zh, "%s", zh);
	return -1;
}

void lp_error_show(const lp_err *err)
{
	const char *text = msg_err(err), *nl;

	while ((nl = strchr(text, '\n')) != NULL) {
		lp_error("%.*s", (int)(nl - text), text);
		text = nl + 1;
	}
	lp_error("%s", text);
}
