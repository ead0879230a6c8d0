/*
 * jsontext: file reading and located JSON parse errors (see jsontext.h).
 */
#include "packet/jsontext.h"

#include "packet/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int read_text_file(const char *path, size_t max, char **out, size_t *len)
{
	/* O_NONBLOCK: a FIFO named packet.json must not hang the tool */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	uint8_t *buf = NULL;
	int ret = -1, saved;

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		goto cleanup;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto cleanup;
	}
	ret = lp_read_fd(fd, max, &buf, len);
	*out = (char *)buf;
cleanup:
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

void text_position(const char *text, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && text[i]; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else if ((c & 0xC0) != 0x80) {
			/* count a character at its first byte, not at continuation bytes */
			(*col)++;
		}
	}
}

cJSON *json_parse_at(const char *text, size_t len, int *line, int *col)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);

	*line = *col = 0;
	if (root)
		return root;
	text_position(text, end && end >= text ? (size_t)(end - text) : 0, line, col);
	return NULL;
}

void json_put_str(cJSON *o, const char *key, const char *value, int *ok)
{
	if (!o || !(value ? cJSON_AddStringToObject(o, key, value) : cJSON_AddNullToObject(o, key)))
		*ok = 0;
}

void json_put_num(cJSON *o, const char *key, double value, int *ok)
{
	if (!o || !cJSON_AddNumberToObject(o, key, value))
		*ok = 0;
}

cJSON *json_put_obj(cJSON *o, const char *key, int *ok)
{
	cJSON *c = o ? cJSON_AddObjectToObject(o, key) : NULL;

	if (!c)
		*ok = 0;
	return c;
}

cJSON *json_put_arr(cJSON *o, const char *key, int *ok)
{
	cJSON *c = o ? cJSON_AddArrayToObject(o, key) : NULL;

	if (!c)
		*ok = 0;
	return c;
}

const char *json_get_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int json_get_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valueint : 0;
}

cJSON *json_push_obj(cJSON *arr, int *ok)
{
	cJSON *c = arr ? cJSON_CreateObject() : NULL;

	if (!c || !cJSON_AddItemToArray(arr, c)) {
		cJSON_Delete(c);
		*ok = 0;
		return NULL;
	}
	return c;
}

char *json_print_nl(const cJSON *root)
{
	char *text = cJSON_Print(root), *out;

	if (!text)
		return NULL;
	out = lp_strdupf("%s\n", text);
	cJSON_free(text);
	return out;
}
