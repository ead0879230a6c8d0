/*
 * output: every file licpack writes, and the folders it writes them into.
 *
 * One scheme for every output (the packet's PDF and zip, manifest.json, the
 * reports, batch's result and summary files): output_begin() creates a
 * temporary file ".licpack-tmp.<final name>.XXXXXX" beside the final path,
 * mode 0600 whatever the umask (outputs hold ID card scans: personal data);
 * the writer fills it (output_write, or by its fd, or by its path for a
 * library that opens files itself); output_close() verifies it (its size,
 * and a verify callback such as "ends with the PDF trailer"), flushes it to
 * disk with sync, and closes it, checking the close; output_commit() renames
 * it over the final name and, with sync, then flushes the folder. Several
 * files commit as one step (output_commit_all): all are verified and closed
 * before the first is renamed, so a failure leaves none of them new. Never
 * in /tmp: the rename must stay on one file system, and personal data must
 * not leave the output folder.
 *
 * The temporary prefix is what proves licpack wrote a file: "is this one of
 * our temporaries" (output_is_temporary) is a test of that prefix, and
 * nothing else is ever removed as a temporary.
 *
 * An output folder is licpack's when it holds the stamp file ".licpack",
 * written when licpack created the folder, found it empty, or was told
 * --force. output_dir_open() claims a folder that way (refusing a non-empty
 * one that is not licpack's), takes the folder's lock (flock on the stamp:
 * one writer per output folder at a time; a second waits), and then removes
 * the temporaries a killed run left there: under the lock no other run has
 * any. The lock goes with the process (or its fd) and cannot go stale.
 *
 * Errors come back as -1 with err filled (packet/error.h). Nothing is
 * printed.
 */
#ifndef LICPACK_OUTPUT_H
#define LICPACK_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "packet/error.h"

#define OUTPUT_TMP_PREFIX ".licpack-tmp."
#define OUTPUT_STAMP ".licpack"

/* Checks a finished temporary file before it may take its name: LP_OK when
 * whole, else the code saying why (e.g. LP_E_PDF_NO_TRAILER: "no PDF
 * trailer at its end"), whose text names the file as {1}. */
typedef lp_errcode (*output_verify_fn)(int fd, uint64_t size);

typedef struct {
	int fd;                  /* the temporary file, open for writing; -1 when closed */
	char *final_path;
	char *tmp_path;          /* NULL once renamed or removed */
	int sync;                /* fsync before the rename, the folder after */
	int closed;              /* output_close done: commit only renames */
	uint64_t written;        /* bytes written through output_write */
	int by_fd;               /* written through fd or path by someone else:
	                          * the size is not ours to check */
	output_verify_fn verify; /* optional, run by output_close */
} output_file;

/* Start final_path's temporary file. Returns 0, or -1 with err filled
 * ("cannot create '<final>': <why>"); o is then empty (abort is harmless). */
int output_begin(output_file *o, const char *final_path, int sync, lp_err *err);

/* Write all of data. Returns 0, or -1 with err filled (the final name and
 * the system's reason, "No space left on device" on a full disk). */
int output_write(output_file *o, const void *data, size_t len, lp_err *err);

/* Say that o's bytes were written by someone else, through o->fd or
 * o->tmp_path (qpdf, libzip's sink): output_close then checks the file by
 * its verify callback only. */
void output_set_external(output_file *o, output_verify_fn verify);

/* Verify, fsync (with sync), close. After it only the rename is left (it
 * may run on a worker thread). Returns 0, or -1 with err filled; o then
 * still holds its temporary for output_abort to remove. */
int output_close(output_file *o, lp_err *err);

/* output_close (if not done), rename into place, fsync the folder (with
 * sync). Frees o's strings; on failure the temporary is removed. */
int output_commit(output_file *o, lp_err *err);

/* The n files (NULL entries skipped) as one step: every one closed and
 * verified first, then renamed in order, the folder flushed once at the end
 * with sync. On failure before the first rename nothing changes at a final
 * name; all of them are released either way. */
int output_commit_all(output_file *const *o, size_t n, lp_err *err);

/* Close and remove the temporary; frees o's strings. Safe to call twice and
 * on an output_file that output_begin failed on. */
void output_abort(output_file *o);

/* The whole of data to path, as one output. */
int output_write_file(const char *path, const void *data, size_t len, int sync, lp_err *err);

/* 1 when name (a name in a folder, not a path) is one of our temporaries. */
int output_is_temporary(const char *name);

/* fsync the folder holding path. 0, or -1 with errno (EINVAL, a file system
 * that cannot sync a folder, counts as done). */
int output_sync_dir_of(const char *path);

/* Remove every temporary of ours (regular files only) from folder dir. Only
 * under the folder's lock (or with its writer known dead). Returns how many. */
int output_remove_temporaries(const char *dir);

/* ---- a folder as one output (the packet's upload/) ----
 * output_tree_begin() makes the temporary folder ".licpack-tmp.<name>.XXXXXX"
 * (0700) beside final_path; output_tree_mkdir() and output_tree_put() fill
 * it (files 0600, each written whole, fsync'd with sync);
 * output_tree_commit() puts it in place in one rename (swapped with an
 * older one by renameat2's RENAME_EXCHANGE, the older then removed), the
 * folders flushed first with sync. Whole or absent, as every output; a
 * temporary folder a killed run left is removed with the temporary files. */
typedef struct {
	char *final_path;
	char *tmp_path;          /* NULL once committed or removed */
	int sync;
} output_tree;

int output_tree_begin(output_tree *t, const char *final_path, int sync, lp_err *err);
/* A folder rel (one level: "01_营业执照") inside the tree. */
int output_tree_mkdir(output_tree *t, const char *rel, lp_err *err);
/* The file rel ("01_营业执照/01_营业执照.jpg") with data. Errors name the
 * final path ("cannot write 'out/upload/01_营业执照/...': No space left on device"). */
int output_tree_put(output_tree *t, const char *rel, const void *data, size_t len, lp_err *err);
int output_tree_commit(output_tree *t, lp_err *err);
/* Remove the temporary folder; frees t's strings. Safe to call twice. */
void output_tree_abort(output_tree *t);

/* Remove path and all it holds; links are removed, never followed. 0, or
 * -1 with errno. Only for licpack's own folders (upload/, temporaries). */
int output_remove_tree(const char *path);

/* ---- output folders ---- */

enum { OUTPUT_DIR_OK = 0, OUTPUT_DIR_ERROR = -1, OUTPUT_DIR_NOT_OURS = -2 };

/* Make folder path (0700; its parent must exist) or take an existing one
 * as licpack's: one that has the stamp, is empty, or with force. Writes the
 * stamp. Returns OUTPUT_DIR_OK, OUTPUT_DIR_NOT_OURS (a non-empty folder
 * without the stamp: nothing was written; err names it), or
 * OUTPUT_DIR_ERROR with err filled. */
int output_dir_claim(const char *path, int force, lp_err *err);

typedef struct {
	int lock_fd;             /* the stamp, locked; -1 when not held */
} output_dir;

/* output_dir_claim, then the folder's lock (waiting for another run to
 * finish), then output_remove_temporaries. d->lock_fd is -1 on failure.
 * Same returns as output_dir_claim. */
int output_dir_open(output_dir *d, const char *path, int force, lp_err *err);

/* Let go of the lock (closing the stamp). Safe on a closed d. */
void output_dir_close(output_dir *d);

/* Remove the temporaries in path when no run holds its lock (a writer
 * killed, its parent tidying up). A run that holds it removes them itself. */
void output_dir_clean_if_idle(const char *path);

#endif
