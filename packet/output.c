/*
 * output: write aside, verify, rename; output folders claimed, stamped and
 * locked (see output.h).
 */
/* renameat2 (RENAME_EXCHANGE): glibc declares it for _GNU_SOURCE only */
#define _GNU_SOURCE
#include "packet/output.h"

#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/util.h"

static void release(output_file *o)
{
	free(o->final_path);
	free(o->tmp_path);
	o->final_path = o->tmp_path = NULL;
	o->fd = -1;
	o->closed = 0;
	o->written = 0;
	o->by_fd = 0;
	o->verify = NULL;
}

int output_is_temporary(const char *name)
{
	return strncmp(name, OUTPUT_TMP_PREFIX, sizeof OUTPUT_TMP_PREFIX - 1) == 0;
}

int output_begin(output_file *o, const char *final_path, int sync, lp_err *err)
{
	const char *slash = strrchr(final_path, '/');
	int dirlen = slash ? (int)(slash - final_path) + 1 : 0;

	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->sync = sync;
	o->final_path = strdup(final_path);
	o->tmp_path = lp_strdupf("%.*s" OUTPUT_TMP_PREFIX "%s.XXXXXX", dirlen, final_path, final_path + dirlen);
	if (!o->final_path || !o->tmp_path) {
		lp_nomem(err);
		release(o);
		return -1;
	}
	o->fd = mkstemp(o->tmp_path);
	if (o->fd < 0) {
		lp_fail_sys(err, LP_E_CREATE, errno, final_path);
		free(o->tmp_path); /* nothing was made: nothing to remove */
		o->tmp_path = NULL;
		release(o);
		return -1;
	}
	/* mkstemp's 0600 is still filtered by the umask: set it outright */
	if (fcntl(o->fd, F_SETFD, FD_CLOEXEC) != 0 || fchmod(o->fd, 0600) != 0) {
		lp_fail_sys(err, LP_E_CREATE, errno, final_path);
		output_abort(o);
		return -1;
	}
	return 0;
}

int output_write(output_file *o, const void *data, size_t len, lp_err *err)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(o->fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			lp_fail_sys(err, LP_E_WRITE, w < 0 ? errno : ENOSPC, o->final_path);
			return -1;
		}
		p += w;
		len -= (size_t)w;
		o->written += (uint64_t)w;
	}
	return 0;
}

void output_set_external(output_file *o, output_verify_fn verify)
{
	o->by_fd = 1;
	o->verify = verify;
}

/* Why a file came out short when whoever wrote it did not say (qpdf 11
 * does not report a failed flush at its fclose): try to write a little
 * more where it ends; a full disk then says so (ENOSPC, EDQUOT, EFBIG):
 * its errno, else 0 (the verifier's words stand). The file is cut back
 * after the try. */
static int short_errno(const output_file *o, uint64_t size)
{
	static const char zeros[65536];
	ssize_t w = pwrite(o->fd, zeros, sizeof zeros, (off_t)size);
	int e = errno;

	if (ftruncate(o->fd, (off_t)size) != 0 || w == (ssize_t)sizeof zeros)
		return 0;
	return w < 0 ? e : ENOSPC;
}

/* err for a file that came out short: the disk's error, or why (a code whose
 * text names the file as {1}). */
static int fail_short(const output_file *o, uint64_t size, lp_errcode why, lp_err *err)
{
	int e = short_errno(o, size);

	if (e)
		return lp_fail_sys(err, LP_E_WRITE, e, o->final_path);
	return lp_fail(err, why, o->final_path);
}

int output_close(output_file *o, lp_err *err)
{
	struct stat st;
	lp_errcode why;

	if (o->closed)
		return 0;
	if (o->fd < 0) {
		return lp_fail(err, LP_E_WRITE_NOT_OPEN, o->final_path ? o->final_path : "?");
	}
	if (fstat(o->fd, &st) != 0) {
		lp_fail_sys(err, LP_E_WRITE, errno, o->final_path);
		return -1;
	}
	if (!o->by_fd && (uint64_t)st.st_size != o->written)
		return fail_short(o, (uint64_t)st.st_size, LP_E_WRITE_SHORT, err);
	if (o->verify && (why = o->verify(o->fd, (uint64_t)st.st_size)) != LP_OK)
		return fail_short(o, (uint64_t)st.st_size, why, err);
	if (o->sync && fsync(o->fd) != 0) {
		lp_fail_sys(err, LP_E_WRITE, errno, o->final_path);
		return -1;
	}
	if (close(o->fd) != 0) {
		o->fd = -1;
		lp_fail_sys(err, LP_E_WRITE, errno, o->final_path);
		return -1;
	}
	o->fd = -1;
	o->closed = 1;
	return 0;
}

int output_sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	int fd, ret = 0;

	if (!dir) {
		errno = ENOMEM;
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = -1;
	} else {
		/* some file systems cannot fsync a folder: nothing more to do there */
		if (fsync(fd) != 0 && errno != EINVAL)
			ret = -1;
		close(fd);
	}
	free(dir);
	return ret;
}

/* Rename o (closed) into place; o's strings freed. */
static int rename_into_place(output_file *o, lp_err *err)
{
	if (rename(o->tmp_path, o->final_path) != 0) {
		lp_fail_sys(err, LP_E_WRITE, errno, o->final_path);
		output_abort(o);
		return -1;
	}
	free(o->tmp_path); /* that name is no longer ours to remove */
	o->tmp_path = NULL;
	return 0;
}

int output_commit(output_file *o, lp_err *err)
{
	output_file *one[1] = { o };

	return output_commit_all(one, 1, err);
}

int output_commit_all(output_file *const *o, size_t n, lp_err *err)
{
	const char *synced_dir = NULL;
	size_t i;
	int ret = -1;

	for (i = 0; i < n; i++)
		if (o[i] && output_close(o[i], err) != 0)
			goto cleanup;
	for (i = 0; i < n; i++)
		if (o[i] && rename_into_place(o[i], err) != 0)
			goto cleanup;
	for (i = 0; i < n; i++)
		if (o[i] && o[i]->sync && !synced_dir) {
			/* one folder for a packet: its files share it */
			if (output_sync_dir_of(o[i]->final_path) != 0) {
				lp_fail_sys(err, LP_E_WRITE, errno, o[i]->final_path);
				goto cleanup;
			}
			synced_dir = o[i]->final_path;
		}
	ret = 0;
cleanup:
	for (i = 0; i < n; i++)
		if (o[i])
			output_abort(o[i]);
	return ret;
}

void output_abort(output_file *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp_path)
		unlink(o->tmp_path);
	release(o);
}

int output_write_file(const char *path, const void *data, size_t len, int sync, lp_err *err)
{
	output_file o;

	if (output_begin(&o, path, sync, err) != 0)
		return -1;
	if (output_write(&o, data, len, err) != 0) {
		output_abort(&o);
		return -1;
	}
	return output_commit(&o, err);
}

int output_remove_temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *path;
		if (!output_is_temporary(de->d_name) || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISREG(st.st_mode) && unlinkat(dirfd(d), de->d_name, 0) == 0)
			n++;
		/* a folder output's temporary (output_tree) */
		if (S_ISDIR(st.st_mode) && (path = lp_path_join(dir, de->d_name))) {
			n += output_remove_tree(path) == 0;
			free(path);
		}
	}
	closedir(d);
	return n;
}

/* ---- a folder as one output ---- */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int output_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	/* FTW_PHYS: links are entries, not followed; FTW_DEPTH: contents first */
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static int sync_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	int fd, r;

	(void)st;
	(void)ftw;
	if (flag != FTW_DP)
		return 0;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	r = fsync(fd) == 0 || errno == EINVAL ? 0 : -1;
	close(fd);
	return r;
}

void output_tree_abort(output_tree *t)
{
	if (t->tmp_path)
		output_remove_tree(t->tmp_path);
	free(t->tmp_path);
	free(t->final_path);
	t->tmp_path = t->final_path = NULL;
}

int output_tree_begin(output_tree *t, const char *final_path, int sync, lp_err *err)
{
	const char *slash = strrchr(final_path, '/');
	int dirlen = slash ? (int)(slash - final_path) + 1 : 0;

	memset(t, 0, sizeof *t);
	t->sync = sync;
	t->final_path = strdup(final_path);
	t->tmp_path = lp_strdupf("%.*s" OUTPUT_TMP_PREFIX "%s.XXXXXX", dirlen, final_path, final_path + dirlen);
	if (!t->final_path || !t->tmp_path) {
		lp_nomem(err);
		output_tree_abort(t);
		return -1;
	}
	if (!mkdtemp(t->tmp_path)) { /* 0700 */
		lp_fail_sys(err, LP_E_CREATE, errno, final_path);
		free(t->tmp_path);
		t->tmp_path = NULL;
		output_tree_abort(t);
		return -1;
	}
	return 0;
}

int output_tree_mkdir(output_tree *t, const char *rel, lp_err *err)
{
	char *path = lp_path_join(t->tmp_path, rel);
	int ret = 0;

	if (!path)
		ret = lp_nomem(err);
	else if (mkdir(path, 0700) != 0)
		ret = lp_fail_sys(err, LP_E_CREATE_IN, errno, t->final_path, rel);
	free(path);
	return ret;
}

int output_tree_put(output_tree *t, const char *rel, const void *data, size_t len, lp_err *err)
{
	char *path = lp_path_join(t->tmp_path, rel);
	const char *p = data;
	int fd = -1, ret = -1, e = ENOMEM;

	if (!path || (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		e = path ? errno : ENOMEM;
		goto cleanup;
	}
	if (fchmod(fd, 0600) != 0) {
		e = errno;
		goto cleanup;
	}
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? errno : ENOSPC;
			goto cleanup;
		}
		p += w;
		len -= (size_t)w;
	}
	if (t->sync && fsync(fd) != 0) {
		e = errno;
		goto cleanup;
	}
	ret = close(fd);
	fd = -1;
	e = errno;
cleanup:
	if (fd >= 0)
		close(fd);
	if (ret != 0)
		lp_fail_sys(err, LP_E_WRITE_IN, e, t->final_path, rel);
	free(path);
	return ret;
}

int output_tree_commit(output_tree *t, lp_err *err)
{
	struct stat st;
	int had = lstat(t->final_path, &st) == 0, r;

	if (t->sync && nftw(t->tmp_path, sync_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0) {
		lp_fail_sys(err, LP_E_WRITE, errno, t->final_path);
		goto fail;
	}
	/* one step: the new folder and an older one swap names; the older
	 * one, now at the temporary name, goes */
	r = had ? renameat2(AT_FDCWD, t->tmp_path, AT_FDCWD, t->final_path, RENAME_EXCHANGE)
		: rename(t->tmp_path, t->final_path);
	if (r != 0 && had && (errno == EINVAL || errno == ENOSYS)) {
		/* a file system without the exchange: the older one is removed
		 * first, so that for a moment there is none (never a mix) */
		if (output_remove_tree(t->final_path) == 0)
			r = rename(t->tmp_path, t->final_path), had = 0;
	}
	if (r != 0) {
		lp_fail_sys(err, LP_E_WRITE, errno, t->final_path);
		goto fail;
	}
	if (!had) {
		free(t->tmp_path);
		t->tmp_path = NULL;
	}
	if (t->sync && output_sync_dir_of(t->final_path) != 0) {
		lp_fail_sys(err, LP_E_WRITE, errno, t->final_path);
		output_tree_abort(t);
		return -1;
	}
	output_tree_abort(t); /* the older folder, swapped out, if any */
	return 0;
fail:
	output_tree_abort(t);
	return -1;
}

/* ---- output folders ---- */

/* 1 when folder path holds nothing but (perhaps) our stamp, 0 when it
 * holds something, -1 when it cannot be listed (errno). */
static int only_stamp(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (!d)
		return -1;
	while (empty && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    strcmp(de->d_name, OUTPUT_STAMP) != 0)
			empty = 0;
	closedir(d);
	return empty;
}

static const char stamp_text[] =
	"This folder is written by licpack. licpack removes only what it wrote here\n"
	"(its own temporary files, named " OUTPUT_TMP_PREFIX "*), and replaces its own outputs.\n";

/* Write the stamp unless it is there. 0, or -1 with errno. */
static int write_stamp(const char *stamp)
{
	int fd = open(stamp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	ssize_t w;

	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	w = write(fd, stamp_text, sizeof stamp_text - 1);
	if (w != (ssize_t)(sizeof stamp_text - 1)) {
		int e = w < 0 ? errno : ENOSPC;
		close(fd);
		unlink(stamp);
		errno = e;
		return -1;
	}
	if (close(fd) != 0) {
		int e = errno;
		unlink(stamp);
		errno = e;
		return -1;
	}
	return 0;
}

int output_dir_claim(const char *path, int force, lp_err *err)
{
	char *stamp = lp_path_join(path, OUTPUT_STAMP);
	struct stat st;
	int ret = OUTPUT_DIR_ERROR, empty;

	if (!stamp) {
		lp_nomem(err);
		return OUTPUT_DIR_ERROR;
	}
	if (mkdir(path, 0700) != 0) {
		if (errno != EEXIST || stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			lp_fail_sys(err, LP_E_CREATE, errno == EEXIST ? ENOTDIR : errno, path);
			goto cleanup;
		}
		if (lstat(stamp, &st) == 0 && S_ISREG(st.st_mode)) {
			ret = OUTPUT_DIR_OK;
			goto cleanup;
		}
		empty = only_stamp(path);
		if (empty < 0) {
			lp_fail_sys(err, LP_E_READ, errno, path);
			goto cleanup;
		}
		if (!empty && !force) {
			lp_fail(err, LP_E_NOT_OURS, path);
			ret = OUTPUT_DIR_NOT_OURS;
			goto cleanup;
		}
	}
	if (write_stamp(stamp) != 0) {
		lp_fail_sys(err, LP_E_WRITE, errno, stamp);
		goto cleanup;
	}
	ret = OUTPUT_DIR_OK;
cleanup:
	free(stamp);
	return ret;
}

/* The stamp, open and locked (LOCK_NB with nonblock): its fd, or -1 with
 * errno (EWOULDBLOCK: held by another run). */
static int lock_stamp(const char *path, int nonblock)
{
	char *stamp = lp_path_join(path, OUTPUT_STAMP);
	int fd = stamp ? open(stamp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1, r;

	free(stamp);
	if (fd < 0)
		return -1;
	while ((r = flock(fd, LOCK_EX | (nonblock ? LOCK_NB : 0))) != 0 && errno == EINTR)
		;
	if (r != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int output_dir_open(output_dir *d, const char *path, int force, lp_err *err)
{
	int r;

	d->lock_fd = -1;
	if ((r = output_dir_claim(path, force, err)) != OUTPUT_DIR_OK)
		return r;
	if ((d->lock_fd = lock_stamp(path, 0)) < 0) {
		lp_fail_sys(err, LP_E_LOCK_IN, errno, path, OUTPUT_STAMP);
		return OUTPUT_DIR_ERROR;
	}
	/* under the lock, any temporary here is a killed run's */
	output_remove_temporaries(path);
	return OUTPUT_DIR_OK;
}

void output_dir_close(output_dir *d)
{
	if (d->lock_fd >= 0)
		close(d->lock_fd); /* the lock goes with it */
	d->lock_fd = -1;
}

void output_dir_clean_if_idle(const char *path)
{
	int fd = lock_stamp(path, 1);

	if (fd < 0)
		return;
	output_remove_temporaries(path);
	close(fd);
}
