/*
 * atomic: an output file that appears whole at its final name, or not at all.
 *
 * atomic_begin() creates "<final>.tmp-XXXXXX" beside the final path with mode
 * 0600 whatever the umask (outputs hold ID card scans: personal data);
 * atomic_commit() renames it over the final name, having flushed it to disk
 * first (and the directory after) when sync is set; atomic_abort() removes
 * it. Never in /tmp: the rename must stay on one file system, and personal
 * data must not leave the output folder.
 *
 * Without sync, a file is whole or absent at its final name whenever licpack
 * stops, killed or not, which is what every other tool that writes files
 * gives; sync adds the same after a crash of the machine itself, at the
 * price of waiting for the disk (build --sync).
 */
#ifndef LICPACK_ATOMIC_H
#define LICPACK_ATOMIC_H

#include <stddef.h>

typedef struct {
	int fd;           /* open for writing; -1 after commit or abort */
	char *final_path;
	char *tmp_path;
	int flushed;      /* atomic_flush done: commit only renames */
	int sync;         /* fsync before the rename and the directory after */
} atomic_file;

/* sync: flush the file to disk before its rename, and the directory after
 * (see the top). Returns 0, or -1 with err filled ("cannot create
 * '<final>': <why>"). */
int atomic_begin(atomic_file *a, const char *final_path, int sync, char *err, size_t errlen);

/* Write all of data to a's fd. Returns 0, or -1 with err filled. */
int atomic_write(atomic_file *a, const void *data, size_t len, char *err, size_t errlen);

/* With a->sync, fsync now (say, on a worker thread), so that atomic_commit
 * has only the rename left to do; without, nothing. Returns 0, or -1 with err
 * filled (a stays as it was). */
int atomic_flush(atomic_file *a, char *err, size_t errlen);

/* fsync (with sync), close, rename into place, fsync the directory (with
 * sync); frees a's strings.
 * On failure the temporary file is removed. Returns 0, or -1 with err filled. */
int atomic_commit(atomic_file *a, char *err, size_t errlen);

/* Close and remove the temporary file; frees a's strings. Safe to call twice. */
void atomic_abort(atomic_file *a);

/* Convenience: the whole of data to path, atomically, flushed to disk with sync. */
int atomic_write_file(const char *path, const void *data, size_t len, int sync, char *err, size_t errlen);

#endif
