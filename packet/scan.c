/*
 * scan: walking an applicant folder (see scan.h).
 *
 * Links are resolved with realpath() and accepted only when the target is a
 * regular file below the folder's own real path; sub-folders are entered only
 * when they are real directories (not links), so a link loop cannot recurse.
 */
#include "packet/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/normalise.h"
#include "packet/util.h"

/* Files people's systems leave behind; never materials. */
static int is_litter(const char *name)
{
	static const char *const litter[] = { "Thumbs.db", "desktop.ini", "__MACOSX", "$RECYCLE.BIN", NULL };
	size_t i;

	if (name[0] == '.' || name[0] == '~')
		return 1;
	for (i = 0; litter[i]; i++)
		if (strcmp(name, litter[i]) == 0)
			return 1;
	return 0;
}

static int add_entry(scan_list *l, const char *rel, scan_kind kind, int err, const struct stat *st)
{
	scan_entry *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		scan_entry *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	e = &l->v[l->n];
	memset(e, 0, sizeof *e);
	e->rel = strdup(rel);
	e->name = display_name(rel);
	if (!e->rel || !e->name) {
		free(e->rel);
		free(e->name);
		return -1;
	}
	e->kind = kind;
	e->err = err;
	if (st) {
		e->size = (uint64_t)st->st_size;
		e->mtime = (int64_t)st->st_mtime;
	}
	l->n++;
	return 0;
}

/* 1 when real (an absolute, resolved path) lies strictly below root. */
static int inside(const char *root, const char *real)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return 1;
	return strncmp(real, root, n) == 0 && real[n] == '/';
}

/* Classify a link: a regular file inside the folder is a file. */
static int add_link(scan_list *l, const char *abs, const char *rel)
{
	char *real = realpath(abs, NULL);
	struct stat st;
	int ret;

	if (!real)
		return add_entry(l, rel, SCAN_LINK_BROKEN, errno, NULL);
	if (!inside(l->root_real, real))
		ret = add_entry(l, rel, SCAN_LINK_OUTSIDE, 0, NULL);
	else if (stat(real, &st) != 0)
		ret = add_entry(l, rel, SCAN_LINK_BROKEN, errno, NULL);
	else if (S_ISREG(st.st_mode))
		ret = add_entry(l, rel, SCAN_FILE, 0, &st);
	else if (S_ISDIR(st.st_mode))
		ret = add_entry(l, rel, SCAN_LINK_BROKEN, EISDIR, NULL);
	else
		ret = add_entry(l, rel, SCAN_NOT_REGULAR, 0, NULL);
	free(real);
	return ret;
}

static int walk(scan_list *l, const char *root, const char *rel, int depth)
{
	char *abs = rel[0] ? lp_path_join(root, rel) : strdup(root);
	DIR *d = NULL;
	struct dirent *de;
	int ret = -1;

	if (!abs)
		return -1;
	d = opendir(abs);
	if (!d) {
		/* the top folder is the caller's error; a sub-folder is a finding */
		ret = rel[0] ? add_entry(l, rel, SCAN_UNREADABLE, errno, NULL) : -1;
		goto cleanup;
	}
	while ((errno = 0, de = readdir(d))) {
		char *crel, *cabs;
		struct stat st;
		int r = 0;

		if (is_litter(de->d_name))
			continue;
		/* packet.json, and the README.txt that licpack init writes beside it */
		if (!rel[0] && (strcmp(de->d_name, "packet.json") == 0 || strcmp(de->d_name, "README.txt") == 0))
			continue;
		crel = rel[0] ? lp_path_join(rel, de->d_name) : strdup(de->d_name);
		cabs = crel ? lp_path_join(root, crel) : NULL;
		if (!cabs) {
			free(crel);
			goto cleanup;
		}
		if (lstat(cabs, &st) != 0)
			r = add_entry(l, crel, SCAN_UNREADABLE, errno, NULL);
		else if (S_ISLNK(st.st_mode))
			r = add_link(l, cabs, crel);
		else if (S_ISDIR(st.st_mode))
			r = depth + 1 < l->max_depth ? walk(l, root, crel, depth + 1)
						       : add_entry(l, crel, SCAN_TOO_DEEP, 0, NULL);
		else if (S_ISREG(st.st_mode))
			r = add_entry(l, crel, SCAN_FILE, 0, &st);
		else
			r = add_entry(l, crel, SCAN_NOT_REGULAR, 0, NULL);
		free(crel);
		free(cabs);
		if (r != 0)
			goto cleanup;
	}
	ret = errno ? add_entry(l, rel, SCAN_UNREADABLE, errno, NULL) : 0;
cleanup:
	if (d)
		closedir(d);
	free(abs);
	return ret;
}

static int entry_cmp(const void *a, const void *b)
{
	return natural_compare(((const scan_entry *)a)->rel, ((const scan_entry *)b)->rel);
}

int scan_folder(const char *dir, scan_list *out)
{
	return scan_folder_depth(dir, SCAN_MAX_DEPTH, out);
}

int scan_folder_depth(const char *dir, int max_depth, scan_list *out)
{
	memset(out, 0, sizeof *out);
	out->max_depth = max_depth > 0 ? max_depth : SCAN_MAX_DEPTH;
	out->root_real = realpath(dir, NULL);
	if (!out->root_real)
		return -1;
	if (walk(out, dir, "", 0) != 0) {
		int saved = errno;
		scan_release(out);
		errno = saved;
		return -1;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, entry_cmp);
	return 0;
}

void scan_release(scan_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].rel);
		free(l->v[i].name);
	}
	free(l->v);
	free(l->root_real);
	memset(l, 0, sizeof *l);
}

int scan_open(const scan_list *l, const char *dir, const char *rel)
{
	return scan_open_root(l->root_real, dir, rel);
}

int scan_open_root(const char *root_real, const char *dir, const char *rel)
{
	char *abs = lp_path_join(dir, rel), *real = NULL;
	struct stat st;
	int fd = -1, saved;

	if (!abs)
		return -1;
	real = realpath(abs, NULL);
	if (!real)
		goto cleanup;
	if (!inside(root_real, real)) {
		errno = ELOOP;
		goto cleanup;
	}
	/* O_NONBLOCK: should the file have become a FIFO, open must not wait */
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		goto cleanup;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		fd = -1;
		errno = EINVAL;
	}
cleanup:
	saved = errno;
	free(abs);
	free(real);
	errno = saved;
	return fd;
}
