/*
 * fuzz_applicant: applicant_parse() on arbitrary packet.json text. Every
 * problem must come back as a packet-json finding with both messages, the
 * applicant must be releasable whatever the parse stopped at, and the
 * parsed lists must hold what their counts say.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/applicant.h"
#include "packet/finding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	applicant a;
	finding_list fl = { 0 };
	size_t i, j;

	/* text need not be NUL-terminated: applicant_parse takes a length */
	(void)applicant_parse((const char *)data, size, "packet.json", &a, &fl);
	for (i = 0; i < fl.n; i++)
		if (!fl.v[i].code || !fl.v[i].msg_en || !fl.v[i].msg_zh ||
		    strcmp(fl.v[i].code, "packet-json") != 0)
			abort();
	for (i = 0; i < a.n_domains; i++)
		if (!a.domains[i].name)
			abort();
	for (i = 0; i < a.n_files; i++) {
		if (!a.files[i].material)
			abort();
		for (j = 0; j < a.files[i].n_paths; j++)
			if (!a.files[i].paths[j])
				abort();
	}
	applicant_release(&a);
	findings_release(&fl);
	return 0;
}
