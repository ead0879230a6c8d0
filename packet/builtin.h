/* builtin: the template JSON files compiled into the binary (templates/embed.c). */
#ifndef LICPACK_BUILTIN_H
#define LICPACK_BUILTIN_H

#include <stddef.h>

struct builtin_template {
	const char *name;  /* file name, e.g. "icp-renewal.json" */
	const char *data;  /* its bytes, NUL-terminated */
	size_t len;        /* without the NUL */
};

extern const struct builtin_template builtin_templates[];
extern const size_t n_builtin_templates;

#endif
