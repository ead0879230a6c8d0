/*
 * read_cache: one JSON file per scan read, by its SHA-256 (the interface
 * and its promises are in read_cache.h).
 */
#include "packet/read_cache.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

/* An entry is a few hundred bytes; anything much larger is not ours. */
#define ENTRY_MAX 65536

/* The values kept: those the findings and report.json use, and no more
 * (not the name on an ID card nor its issuing office); the ID number only
 * masked and as a keyed digest (read_check.h). */
#define F(name, member) { name, offsetof(struct file_read, member), sizeof ((struct file_read *)0)->member }
static const struct {
	const char *name;
	size_t off, size;
} kept[] = {
	F("company", fields.company), F("uscc", fields.uscc), F("legal_rep", fields.legal_rep),
	F("id_valid_until", fields.id_valid_until),
	F("holder", fields.holder), F("licence_number", fields.licence_number), F("expiry", fields.expiry),
	F("signed", fields.signed_date), F("id_masked", id_masked), F("id_digest", id_digest),
};
#undef F

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

int read_cache_key(const char *dir, unsigned char key[32])
{
	char path[4200];
	int fd, ret = -1;

	if (snprintf(path, sizeof path, "%s/key", dir) >= (int)sizeof path)
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		ret = read(fd, key, 32) == 32 ? 0 : -1;
		close(fd);
		if (ret == 0)
			return 0;
		unlink(path); /* damaged: the entries keyed by it are misses from now */
	}
	if (getrandom(key, 32, 0) != 32)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	ret = write(fd, key, 32) == 32 ? 0 : -1;
	if (close(fd) != 0)
		ret = -1;
	return ret;
}

static const char *status_name(read_page_status s)
{
	return s == READ_PAGE_OK ? "ok" : s == READ_PAGE_TOO_LARGE ? "too-large" : NULL;
}

/* The "fields" object of an entry into fr. Returns 0, or -1 when it is
 * not what read_cache_put writes. */
static int get_fields(const cJSON *o, struct file_read *fr)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind"), *doms, *d;

	if (!cJSON_IsObject(o) || !cJSON_IsNumber(kind) || kind->valueint < READ_DOC_UNKNOWN ||
	    kind->valueint > READ_DOC_SIGNED_FORM)
		return -1;
	fr->fields.kind = (read_doc_kind)kind->valueint;
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, kept[i].name);

		if (!s)
			continue;
		if (!cJSON_IsString(s) || strlen(s->valuestring) >= kept[i].size)
			return -1;
		memcpy((char *)fr + kept[i].off, s->valuestring, strlen(s->valuestring) + 1);
	}
	doms = cJSON_GetObjectItemCaseSensitive(o, "domains");
	cJSON_ArrayForEach(d, doms) {
		if (!cJSON_IsString(d) || strlen(d->valuestring) >= sizeof fr->fields.domains[0] ||
		    fr->fields.n_domains >= READ_MAX_DOMAINS)
			return -1;
		strcpy(fr->fields.domains[fr->fields.n_domains++], d->valuestring);
	}
	return 0;
}

int read_cache_get(const char *dir, const char *sha256, const char *version, struct file_read *out)
{
	char path[4200], buf[ENTRY_MAX + 1];
	ssize_t n;
	int fd;

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
	return read_cache_parse(buf, (size_t)n, version, out);
}

int read_cache_parse(const char *text, size_t len, const char *version, struct file_read *out)
{
	const cJSON *v, *st, *turn, *conf;
	cJSON *root = NULL;
	struct file_read tmp;
	int ret = 0;

	memset(&tmp, 0, sizeof tmp);
	/* the NUL counted: cJSON checks that it ends the text */
	root = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
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
	if (strcmp(st->valuestring, "ok") != 0 && strcmp(st->valuestring, "too-large") != 0)
		goto cleanup;
	if (get_fields(cJSON_GetObjectItemCaseSensitive(root, "fields"), &tmp) != 0)
		goto cleanup;
	tmp.status = strcmp(st->valuestring, "ok") == 0 ? READ_PAGE_OK : READ_PAGE_TOO_LARGE;
	tmp.turn = turn->valueint;
	tmp.confidence = conf->valueint;
	*out = tmp;
	ret = 1;
cleanup:
	cJSON_Delete(root);
	return ret;
}

static int put_fields(cJSON *root, const struct file_read *in)
{
	cJSON *o = cJSON_AddObjectToObject(root, "fields"), *doms;

	if (!o || !cJSON_AddNumberToObject(o, "kind", in->fields.kind))
		return -1;
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		const char *s = (const char *)in + kept[i].off;

		if (s[0] && !cJSON_AddStringToObject(o, kept[i].name, s))
			return -1;
	}
	if (!in->fields.n_domains)
		return 0;
	doms = cJSON_AddArrayToObject(o, "domains");
	for (size_t k = 0; doms && k < in->fields.n_domains; k++) {
		cJSON *d = cJSON_CreateString(in->fields.domains[k]);

		if (!d || !cJSON_AddItemToArray(doms, d)) {
			cJSON_Delete(d);
			return -1;
		}
	}
	return doms ? 0 : -1;
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
	if (put_fields(root, in) != 0)
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
