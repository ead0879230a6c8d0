/*
 * read_cache: one JSON file per scan read, by its SHA-256 (the interface
 * and its promises are in read_cache.h).
 */
#include "packet/read_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

/* An entry is a few hundred bytes; anything much larger is not ours. */
#define ENTRY_MAX 65536

static int entry_path(const char *dir, const char *sha256, char *out, size_t n)
{
	if (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64)
		return -1;
	return snprintf(out, n, "%s/read-%s.json", dir, sha256) < (int)n ? 0 : -1;
}

int read_cache_prepare(const char *dir)
{
	char parent[4096];
	char *slash;

	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT || snprintf(parent, sizeof parent, "%s", dir) >= (int)sizeof parent)
		return -1;
	slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return -1;
	*slash = '\0';
	if (mkdir(parent, 0700) != 0 && errno != EEXIST)
		return -1;
	return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static const char *status_name(read_page_status s)
{
	return s == READ_PAGE_OK ? "ok" : s == READ_PAGE_TOO_LARGE ? "too-large" : NULL;
}

int read_cache_get(const char *dir, const char *sha256, const char *version, struct file_read *out)
{
	char path[4200], buf[ENTRY_MAX + 1];
	const cJSON *v, *st, *turn, *conf;
	cJSON *root = NULL;
	ssize_t n;
	int fd, ret = 0;

	if (entry_path(dir, sha256, path, sizeof path) != 0)
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, ENTRY_MAX + 1);
	close(fd);
	if (n <= 0 || n > ENTRY_MAX)
		return 0;
	buf[n] = '\0';
	/* the NUL counted: cJSON checks that it ends the text */
	root = cJSON_ParseWithLengthOpts(buf, (size_t)n + 1, NULL, 1);
	v = cJSON_GetObjectItemCaseSensitive(root, "reader");
	st = cJSON_GetObjectItemCaseSensitive(root, "status");
	turn = cJSON_GetObjectItemCaseSensitive(root, "turn");
	conf = cJSON_GetObjectItemCaseSensitive(root, "confidence");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, version) != 0 || !cJSON_IsString(st) ||
	    !cJSON_IsNumber(turn) || !cJSON_IsNumber(conf))
		goto cleanup;
	if (turn->valueint != 0 && turn->valueint != 90 && turn->valueint != 180 && turn->valueint != 270)
		goto cleanup;
	if (conf->valueint < 0 || conf->valueint > 100)
		goto cleanup;
	if (strcmp(st->valuestring, "ok") == 0)
		out->status = READ_PAGE_OK;
	else if (strcmp(st->valuestring, "too-large") == 0)
		out->status = READ_PAGE_TOO_LARGE;
	else
		goto cleanup;
	out->turn = turn->valueint;
	out->confidence = conf->valueint;
	ret = 1;
cleanup:
	cJSON_Delete(root);
	return ret;
}

int read_cache_put(const char *dir, const char *sha256, const char *version, const struct file_read *in)
{
	char path[4200], tmp[4300];
	cJSON *root = NULL;
	char *text = NULL;
	int fd = -1, ret = -1;
	size_t len;

	if (!status_name(in->status) || entry_path(dir, sha256, path, sizeof path) != 0)
		return -1;
	root = cJSON_CreateObject();
	if (!root || !cJSON_AddStringToObject(root, "reader", version) ||
	    !cJSON_AddStringToObject(root, "status", status_name(in->status)) ||
	    !cJSON_AddNumberToObject(root, "turn", in->turn) ||
	    !cJSON_AddNumberToObject(root, "confidence", in->confidence))
		goto cleanup;
	text = cJSON_PrintUnformatted(root);
	if (!text)
		goto cleanup;
	snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		goto cleanup;
	len = strlen(text);
	if (fchmod(fd, 0600) != 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0) {
		fd = -1;
		unlink(tmp);
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	free(text);
	cJSON_Delete(root);
	return ret;
}
