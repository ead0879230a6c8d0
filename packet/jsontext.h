/*
 * jsontext: reading a small JSON file with errors a person can act on.
 *
 * Shared by the template loader and packet.json: read the file (with a size
 * limit), parse it with cJSON, and turn cJSON's error pointer into a 1-based
 * line and column (columns count characters, not bytes).
 */
#ifndef LICPACK_JSONTEXT_H
#define LICPACK_JSONTEXT_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* Read a whole file into a NUL-terminated buffer the caller frees. Returns 0;
 * -1 when it cannot be read (errno set); -2 when it is larger than max bytes. */
int read_text_file(const char *path, size_t max, char **out, size_t *len);

/* Parse len bytes of JSON. Returns the root (caller frees with cJSON_Delete),
 * or NULL with *line and *col set to where parsing stopped. */
cJSON *json_parse_at(const char *text, size_t len, int *line, int *col);

/* The line and column (1-based, column in UTF-8 characters) of byte offset
 * off in text. */
void text_position(const char *text, size_t off, int *line, int *col);

/* Building JSON: each helper adds one member and clears *ok when cJSON fails
 * (out of memory), so that a builder checks once at the end. A NULL string
 * becomes null. */
void json_put_str(cJSON *o, const char *key, const char *value, int *ok);
void json_put_num(cJSON *o, const char *key, double value, int *ok);
cJSON *json_put_obj(cJSON *o, const char *key, int *ok);
cJSON *json_put_arr(cJSON *o, const char *key, int *ok);
/* Reading JSON: the member key of o (matched exactly) as a string, or NULL
 * when it is missing or not one; as an int, or 0. */
const char *json_get_str(const cJSON *o, const char *key);
int json_get_int(const cJSON *o, const char *key);
/* root pretty-printed, with a final newline, in a string the caller frees
 * with free(); NULL when out of memory. Does not free root. */
char *json_print_nl(const cJSON *root);

/* Append a new object to arr; NULL (and *ok cleared) on failure. */
cJSON *json_push_obj(cJSON *arr, int *ok);

#endif
