/*
 * atomic: write aside, then rename (see atomic.h).
 */
#include "packet/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/util.h"

static void release(atomic_file *a)
{
	free(a->final_path);
	free(a->tmp_path);
	a->final_path = a->tmp_path = NULL;
	a->fd = -1;
	a->flushed = 0;
}

int atomic_begin(atomic_file *a, const char *final_path, int sync, char *err, size_t errlen)
{
	a->fd = -1;
	a->flushed = 0;
	a->sync = sync;
	a->final_path = strdup(final_path);
	a->tmp_path = lp_strdupf("%s.tmp-XXXXXX", final_path);
	if (!a->final_path || !a->tmp_path) {
		snprintf(err, errlen, "out of memory");
		release(a);
		return -1;
	}
	a->fd = mkstemp(a->tmp_path);
	/* mkstemp's 0600 is still filtered by the umask: set it outright */
	if (a->fd < 0 || fchmod(a->fd, 0600) != 0) {
		snprintf(err, errlen, "cannot create '%s': %s", final_path, strerror(errno));
		atomic_abort(a);
		return -1;
	}
	return 0;
}

int atomic_write(atomic_file *a, const void *data, size_t len, char *err, size_t errlen)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(a->fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, "cannot write '%s': %s", a->final_path,
				 w < 0 ? strerror(errno) : "no space");
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static void sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	/* best effort: some file systems cannot fsync a directory */
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int atomic_flush(atomic_file *a, char *err, size_t errlen)
{
	if (!a->sync)
		return 0;
	if (fsync(a->fd) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", a->final_path, strerror(errno));
		return -1;
	}
	a->flushed = 1;
	return 0;
}

int atomic_commit(atomic_file *a, char *err, size_t errlen)
{
	int fd = a->fd;

	a->fd = -1;
	if ((a->sync && !a->flushed && fsync(fd) != 0) || close(fd) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", a->final_path, strerror(errno));
		unlink(a->tmp_path);
		release(a);
		return -1;
	}
	if (rename(a->tmp_path, a->final_path) != 0) {
		snprintf(err, errlen, "cannot rename into '%s': %s", a->final_path, strerror(errno));
		unlink(a->tmp_path);
		release(a);
		return -1;
	}
	if (a->sync)
		sync_dir_of(a->final_path);
	release(a);
	return 0;
}

void atomic_abort(atomic_file *a)
{
	if (a->fd >= 0)
		close(a->fd);
	if (a->tmp_path)
		unlink(a->tmp_path);
	release(a);
}

int atomic_write_file(const char *path, const void *data, size_t len, int sync, char *err, size_t errlen)
{
	atomic_file a;

	if (atomic_begin(&a, path, sync, err, errlen) != 0)
		return -1;
	if (atomic_write(&a, data, len, err, errlen) != 0) {
		atomic_abort(&a);
		return -1;
	}
	return atomic_commit(&a, err, errlen);
}
