/*
 * scan: the files of an applicant folder, found without trusting the folder.
 *
 * scan_folder() walks DIR recursively and lists what it finds, relative to
 * DIR, in natural order. It never follows a symbolic link out of the folder,
 * never opens anything that is not a regular file (a FIFO would block), and
 * skips hidden files, OS litter and packet.json. What it refuses or skips is
 * listed too, with the reason, so that the report can name it.
 */
#ifndef LICPACK_SCAN_H
#define LICPACK_SCAN_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	SCAN_FILE = 0,        /* a regular file (or a link to one inside the folder) */
	SCAN_LINK_OUTSIDE,    /* symbolic link leaving the folder: refused */
	SCAN_LINK_BROKEN,     /* dangling or looping link, or a link to a folder */
	SCAN_NOT_REGULAR,     /* FIFO, socket, device: skipped, never opened */
	SCAN_UNREADABLE,      /* a sub-folder or file that cannot be listed/stat'ed */
	SCAN_TOO_DEEP         /* a sub-folder nested deeper than the limit: not read */
} scan_kind;

typedef struct {
	char *rel;            /* path relative to the folder, '/'-separated, as the
				 file system has it (for opening) */
	char *name;           /* the same for people and reports (display_name):
				 bytes that are not UTF-8, and control characters,
				 written as \xHH; ID numbers masked */
	scan_kind kind;
	int err;              /* errno for SCAN_UNREADABLE */
	uint64_t size;        /* bytes, for SCAN_FILE */
	int64_t mtime;        /* seconds, for SCAN_FILE */
} scan_entry;

typedef struct {
	scan_entry *v;
	size_t n, cap;
	char *root_real;      /* realpath of the folder */
	int max_depth;        /* the limit it was scanned with */
} scan_list;

/* How many folders deep, counting DIR itself, the scan reads by default
 * (`--max-depth`): DIR's sub-folders 15 levels down are read, one 16 levels
 * down is listed as SCAN_TOO_DEEP. */
#define SCAN_MAX_DEPTH 16

/* Returns 0; -1 with errno when DIR itself cannot be opened or memory runs out. */
int scan_folder(const char *dir, scan_list *out);

/* The same, reading at most max_depth folders deep (counting DIR; at least 1). */
int scan_folder_depth(const char *dir, int max_depth, scan_list *out);
void scan_release(scan_list *l);

/* Open a scanned file for reading: refuses links out of the folder and
 * anything not regular, even if the folder changed since the scan. Returns an
 * fd or -1 with errno (ELOOP for a link that now leaves the folder). */
int scan_open(const scan_list *l, const char *dir, const char *rel);

/* The same, with only the folder's realpath kept from the scan. */
int scan_open_root(const char *root_real, const char *dir, const char *rel);

#endif
