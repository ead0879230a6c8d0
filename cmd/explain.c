/*
 * explain: `licpack explain [CODE...]` — what a finding code means, why the
 * bureau cares, and how to fix it; with no code, every code with its one-line
 * summary. The texts are the rows of finding_codes[] (packet/finding.c), in
 * English and Chinese.
 *
 * --format roff writes the same as man(7) paragraphs: `licpack explain --all
 * --format roff` is the FINDING CODES section of cmd/licpack.1 (make man
 * puts it there; tests/e2e/manpage.sh checks that it is current).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "packet/finding.h"

static const cmd_option options_explain[] = {
	{ "all", 'a', NULL, "explain every code", "解释全部代码" },
	{ "format", 'f', "FMT", "text (default) or roff (man page paragraphs; the\nFINDING CODES section of licpack(1) is made so)",
	  "text（默认）或 roff（手册页段落；licpack(1) 的\nFINDING CODES 一节即由此生成）" },
	OPTION_LANG,
	OPTION_HELP,
	OPTION_END,
};

const cmd_help help_explain = {
	"usage: licpack explain [CODE...] [options]\n"
	"\n"
	"Explain finding codes (the word after the mark in a report, e.g.\n"
	"'greyscale'): what the code means, why the bureau cares, and how to fix\n"
	"it. With no CODE, list every code with its severity and a one-line summary.\n"
	"\n",
	"用法：licpack explain [代码...] [选项]\n"
	"\n"
	"解释检查结果代码（报告中标记后面的词，如 'greyscale'）：代码的含义、\n"
	"管理局为什么在意，以及如何处理。不给代码时，列出全部代码及其严重程度和\n"
	"一句话说明。\n"
	"\n",
	options_explain,
	"Exit status: 0, or 2 for a code licpack does not know.\n",
	"退出码：0；代码不存在时为 2。\n",
};

#define TEXT_WIDTH 78

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* Columns a string takes on a terminal: every non-ASCII character is taken
 * as wide (the texts' non-ASCII is Chinese and its punctuation). */
static size_t display_width(const char *s, size_t n)
{
	size_t i = 0, w = 0;

	while (i < n) {
		size_t l = utf8_len((unsigned char)s[i]);
		w += l > 1 ? 2 : 1;
		i += l;
	}
	return w;
}

/* Chinese punctuation that must not begin a line. */
static int no_line_start(const char *s)
{
	static const char *const marks[] = { "，", "。", "；", "：", "、", "）", "！", "？", "”", "……" };
	size_t i;

	for (i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strncmp(s, marks[i], strlen(marks[i])) == 0)
			return 1;
	return 0;
}

/* Print text wrapped to TEXT_WIDTH columns, every line indented by indent
 * spaces; the first line starts after a lead of lead_w columns already
 * printed. English breaks at spaces; Chinese between any two characters,
 * except before closing punctuation. */
static void print_wrapped(const char *text, size_t indent, size_t lead_w)
{
	const char *p = text;
	size_t col = lead_w;

	while (*p) {
		const char *u = p;
		size_t n, w;
		int space = 0;

		/* the next unit: an ASCII word, or one non-ASCII character */
		if (*p == ' ') {
			while (*p == ' ')
				p++;
			space = 1;
			u = p;
			if (!*p)
				break;
		}
		if ((unsigned char)*u < 0x80) {
			n = 0;
			while (u[n] && u[n] != ' ' && (unsigned char)u[n] < 0x80)
				n++;
		} else {
			n = utf8_len((unsigned char)*u);
		}
		w = display_width(u, n) + (size_t)space;
		if (col + w > TEXT_WIDTH && col > indent && !no_line_start(u)) {
			printf("\n%*s", (int)indent, "");
			col = indent;
			space = 0;
			w = display_width(u, n);
		}
		if (space)
			putchar(' ');
		fwrite(u, 1, n, stdout);
		col += w;
		p = u + n;
	}
	putchar('\n');
}

static const char *sev_word(severity s)
{
	return s == SEV_ERROR ? TR("error", "错误") : s == SEV_NOTICE ? TR("notice", "提示") : TR("warning", "警告");
}

/* Pad to width columns after printing s. */
static void print_padded(const char *s, size_t width)
{
	size_t w = display_width(s, strlen(s));

	fputs(s, stdout);
	printf("%*s", (int)(width > w ? width - w : 1), "");
}

static void list_codes(void)
{
	size_t i;

	for (i = 0; i < n_finding_codes; i++) {
		const finding_code *fc = &finding_codes[i];
		print_padded(fc->code, 18);
		print_padded(sev_word(fc->sev), 9);
		puts(TR(fc->summary_en, fc->summary_zh));
	}
	fputs(TR("\n'licpack explain CODE' says what a code means and how to fix it.\n",
		 "\n'licpack explain 代码' 说明代码的含义和处理办法。\n"), stdout);
}

static void explain_text(const finding_code *fc)
{
	char head[256];

	snprintf(head, sizeof head, TR("%s (%s): %s", "%s（%s）：%s"), fc->code, sev_word(fc->sev),
		 TR(fc->summary_en, fc->summary_zh));
	puts(head);
	printf("\n  ");
	print_wrapped(TR(fc->explain_en, fc->explain_zh), 2, 2);
	printf("\n  ");
	fputs(TR("How to fix: ", "处理办法："), stdout);
	print_wrapped(TR(fc->fix_en, fc->fix_zh), 2, 2 + display_width(TR("How to fix: ", "处理办法："),
								      strlen(TR("How to fix: ", "处理办法："))));
}

/* ---- roff ---- */

/* Text as roff: backslashes and leading dots escaped, '-' as \- (so that
 * options and codes copy as typed), `...` in bold, non-ASCII as \[uXXXX]
 * (groff reads the page without a preprocessor), one sentence a line. */
static void roff_text(const char *raw_prefix, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int bold = 0, line_start = !raw_prefix[0];

	fputs(raw_prefix, stdout);
	while (*p) {
		if (line_start && (*p == '.' || *p == '\''))
			fputs("\\&", stdout);
		line_start = 0;
		if (*p == '\\') {
			fputs("\\e", stdout);
			p++;
		} else if (*p == '-') {
			fputs("\\-", stdout);
			p++;
		} else if (*p == '`') {
			fputs(bold ? "\\fR" : "\\fB", stdout);
			bold = !bold;
			p++;
		} else if (p[0] == '.' && p[1] == ' ' && p[2] >= 'A' && p[2] <= 'Z') {
			fputs(".\n", stdout);
			line_start = 1;
			p += 2;
		} else if (*p < 0x80) {
			putchar(*p++);
		} else {
			size_t l = utf8_len(*p), k;
			unsigned long cp = l == 2 ? (*p & 0x1fu) : l == 3 ? (*p & 0x0fu) : (*p & 0x07u);
			for (k = 1; k < l && p[k]; k++)
				cp = (cp << 6) | (p[k] & 0x3fu);
			printf("\\[u%04lX]", cp);
			p += k;
		}
	}
	if (bold)
		fputs("\\fR", stdout);
	putchar('\n');
}

/* .TP, the code in bold; "Error: summary." then the explanation; a
 * paragraph "Fix: ...". */
static void explain_roff(const finding_code *fc)
{
	char summary[512];

	snprintf(summary, sizeof summary, TR("%s.", "%s。"), TR(fc->summary_en, fc->summary_zh));
	fputs(".TP\n", stdout);
	roff_text(".B ", fc->code);
	roff_text(fc->sev == SEV_ERROR	  ? TR("\\fIError:\\fR ", "\\fI\\[u9519]\\[u8BEF]\\[uFF1A]\\fR")
		  : fc->sev == SEV_NOTICE ? TR("\\fINotice:\\fR ", "\\fI\\[u63D0]\\[u793A]\\[uFF1A]\\fR")
					  : TR("\\fIWarning:\\fR ", "\\fI\\[u8B66]\\[u544A]\\[uFF1A]\\fR"),
		  summary);
	roff_text("", TR(fc->explain_en, fc->explain_zh));
	fputs(".IP\n", stdout);
	roff_text(TR("\\fIFix:\\fR ", "\\fI\\[u5904]\\[u7406]\\[u529E]\\[u6CD5]\\[uFF1A]\\fR"),
		  TR(fc->fix_en, fc->fix_zh));
}

/* ---- unknown codes ---- */

/* Edit distance of a and b, for suggesting a code; stops counting at 3. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[64], prev, tmp;

	if (la >= 63 || lb >= 63)
		return 3;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb] < 3 ? row[lb] : 3;
}

static int unknown_code(const char *code)
{
	size_t i;

	for (i = 0; i < n_finding_codes; i++)
		if (distance(code, finding_codes[i].code) <= 2) {
			lp_error(TR("unknown finding code '%s' (did you mean '%s'?); 'licpack explain' lists them all",
				    "没有检查结果代码 '%s'（是不是 '%s'？）；'licpack explain' 列出全部代码"),
				 code, finding_codes[i].code);
			return LP_EXIT_USAGE;
		}
	lp_error(TR("unknown finding code '%s'; 'licpack explain' lists them all",
		    "没有检查结果代码 '%s'；'licpack explain' 列出全部代码"), code);
	return LP_EXIT_USAGE;
}

int cmd_explain(int argc, char **argv)
{
	cmd_parser p;
	const char *format = "text", *langarg = NULL;
	lp_lang lang;
	int c, all = 0, roff, i;
	size_t k;

	cmd_parser_init(&p, options_explain);
	while ((c = cmd_parser_next(&p, argc, argv)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'f': format = optarg; break;
		case OPT_LANG: langarg = optarg; break;
		case 'h': return print_help(&help_explain);
		default: return option_error("explain", c, argv);
		}
	}
	if (settle_lang("explain", langarg, &lang) != 0)
		return LP_EXIT_USAGE;
	if (strcmp(format, "text") != 0 && strcmp(format, "roff") != 0)
		return usage_error("explain", TR("--format: '%s' is not text or roff", "--format：'%s' 应为 text 或 roff"),
				   format);
	roff = strcmp(format, "roff") == 0;
	if (all && optind < argc)
		return usage_error("explain", TR("--all or codes, not both", "--all 和代码不能同时给出"));
	/* every code is checked before anything is printed */
	for (i = optind; i < argc; i++)
		if (!finding_code_find(argv[i]))
			return unknown_code(argv[i]);
	if (!all && optind == argc) {
		if (roff)
			return usage_error("explain", TR("--format roff needs --all or codes",
							 "--format roff 须与 --all 或代码一起使用"));
		list_codes();
		return LP_EXIT_OK;
	}
	for (k = 0; all && k < n_finding_codes; k++) {
		if (roff)
			explain_roff(&finding_codes[k]);
		else
			explain_text(&finding_codes[k]);
		if (!roff && k + 1 < n_finding_codes)
			putchar('\n');
	}
	for (i = optind; i < argc; i++) {
		if (roff)
			explain_roff(finding_code_find(argv[i]));
		else
			explain_text(finding_code_find(argv[i]));
		if (!roff && i + 1 < argc)
			putchar('\n');
	}
	return LP_EXIT_OK;
}
