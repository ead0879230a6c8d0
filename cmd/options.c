/*
 * options: getopt_long tables, --help and --list-options made from one
 * cmd_option table per command (options.h).
 */
#include "cmd/options.h"

#include <ctype.h>
#include <string.h>

#include "cmd/msg.h"

static int has_short(const cmd_option *o)
{
	return o->id > 0 && o->id < 128 && isalpha(o->id);
}

void cmd_parser_init(cmd_parser *p, const cmd_option *options)
{
	size_t n = 0, s = 0;

	memset(p, 0, sizeof *p);
	p->shorts[s++] = ':';
	/* a table longer than CMD_MAX_OPTIONS is a programming error that
	 * tests/e2e/manpage.sh would show: the rest are not parsed */
	for (; options[n].name && n < CMD_MAX_OPTIONS; n++) {
		const cmd_option *o = &options[n];
		p->longopts[n] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->id };
		if (has_short(o)) {
			p->shorts[s++] = (char)o->id;
			if (o->arg)
				p->shorts[s++] = ':';
		}
	}
	optind = 1;
	opterr = 0;
}

int cmd_parser_next(cmd_parser *p, int argc, char **argv)
{
	return getopt_long(argc, argv, p->shorts, p->longopts, NULL);
}

/* "  -o, --output OUTDIR" or "      --sync": the left column of one option */
static int option_left(const cmd_option *o, char *buf, size_t len)
{
	char s[8] = "    ";

	if (has_short(o))
		snprintf(s, sizeof s, "-%c, ", o->id);
	return snprintf(buf, len, "  %s--%s%s%s", s, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

int print_help(const cmd_help *h)
{
	int zh = msg_lang() == LANG_ZH;
	const cmd_option *o;
	char left[128];
	int col = 0;

	for (o = h->options; o->name; o++) {
		int w = option_left(o, left, sizeof left);
		if (w > col)
			col = w;
	}
	col += 2;
	fputs(zh ? h->head_zh : h->head, stdout);
	for (o = h->options; o->name; o++) {
		const char *text = zh ? o->help_zh : o->help, *nl;
		int w = option_left(o, left, sizeof left);

		printf("%s%*s", left, col - w, "");
		while ((nl = strchr(text, '\n'))) {
			printf("%.*s\n%*s", (int)(nl - text), text, col, "");
			text = nl + 1;
		}
		printf("%s\n", text);
	}
	if (zh ? h->tail_zh : h->tail)
		printf("\n%s", zh ? h->tail_zh : h->tail);
	return 0;
}

void list_options(FILE *f, const cmd_option *options)
{
	const cmd_option *o;

	for (o = options; o->name; o++) {
		fprintf(f, "--%s%s", o->name, o->arg ? "=" : "");
		if (has_short(o))
			fprintf(f, " -%c", o->id);
		fputc('\n', f);
	}
}
