/*
 * readfields: the text of one page on stdin (as tesseract writes it), the
 * fields packet/read_fields.c finds in it on stdout as one JSON object.
 * Used by tests/read/accuracy.sh to score recognition against mkdoc's
 * ground truth. Usage: readfields [HINT] < page.txt, HINT a kind name as
 * printed ("business-licence", ...). Exit 0, or 3 when stdin cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet/read_fields.h"

static const char *const kind_names[] = {
	"unknown", "business-licence", "id-portrait", "id-emblem",
	"domain-cert", "licence", "signed-form",
};

/* s as a JSON string (the values are validated text: no control
 * characters, but quotes and backslashes are escaped all the same). */
static void put_json(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void field(const char *name, const char *value, int *first)
{
	printf("%s\"%s\": ", *first ? "" : ", ", name);
	put_json(value);
	*first = 0;
}

int main(int argc, char **argv)
{
	read_doc_kind hint = READ_DOC_UNKNOWN;
	size_t len = 0, cap = 1 << 16;
	char *text = malloc(cap);
	read_fields f;
	int first = 1, ret = 3;

	if (argc > 1)
		for (int k = 0; k < 7; k++)
			if (strcmp(argv[1], kind_names[k]) == 0)
				hint = (read_doc_kind)k;
	if (!text)
		goto cleanup;
	for (;;) {
		size_t n = fread(text + len, 1, cap - len - 1, stdin);
		len += n;
		if (n == 0)
			break;
		if (len + 1 == cap) {
			char *t = realloc(text, cap * 2);
			if (!t)
				goto cleanup;
			text = t;
			cap *= 2;
		}
	}
	if (ferror(stdin))
		goto cleanup;
	text[len] = '\0';
	read_fields_parse(text, hint, &f);
	printf("{");
	field("kind", kind_names[f.kind], &first);
	field("company", f.company, &first);
	field("uscc", f.uscc, &first);
	field("legal_rep", f.legal_rep, &first);
	field("registered_capital", f.registered_capital, &first);
	field("term_until", f.term_until, &first);
	field("id_name", f.id_name, &first);
	field("id_number", f.id_number, &first);
	field("id_issuer", f.id_issuer, &first);
	field("id_valid_until", f.id_valid_until, &first);
	printf(", \"domains\": [");
	for (size_t i = 0; i < f.n_domains; i++) {
		printf(i ? ", " : "");
		put_json(f.domains[i]);
	}
	printf("]");
	field("holder", f.holder, &first);
	field("licence_number", f.licence_number, &first);
	field("expiry", f.expiry, &first);
	field("signed_date", f.signed_date, &first);
	printf("}\n");
	ret = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 3;
cleanup:
	free(text);
	return ret;
}
