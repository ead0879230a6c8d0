/*
 * zipout: the packet zip (SPEC §6), written so that it appears whole or not
 * at all, is private to its owner, and has the same bytes for the same inputs.
 *
 * A zipout collects entries in the order they are added (cover, materials,
 * manifest.json) and writes them on zipout_commit(). What it guarantees about
 * the file:
 *   - entry names are UTF-8; libzip sets general purpose bit 11 on every name
 *     that is not plain ASCII (an ASCII name needs no flag: it reads the same
 *     in every code page);
 *   - each entry is STORED or DEFLATED as the caller says (see
 *     zipout_method_for_name: JPEG, PNG and PDF are already compressed);
 *   - every entry carries the same DOS timestamp, made from the given time_t
 *     in UTC whatever TZ says (see zipout.c for why libzip alone cannot do
 *     that); no extra fields, no entry or archive comments;
 *   - every entry is marked as a Unix regular file with mode 0600, so that
 *     unzip does not widen the permissions of ID card scans on extraction;
 *   - the file is an output_file (packet/output.h): written aside under
 *     licpack's temporary prefix, mode 0600 whatever the umask, verified
 *     (its zip directory at its end) before it takes its name, flushed to
 *     disk first with sync; after any error neither the final file nor a
 *     temporary file is left behind.
 *
 * Errors come back as -1 with err filled (packet/error.h; lowercase, subject quoted,
 * no full stop); nothing is printed. A zipout belongs to one thread.
 */
#ifndef LICPACK_ZIPOUT_H
#define LICPACK_ZIPOUT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "packet/error.h"
#include "packet/output.h"

typedef struct zipout zipout;

typedef enum {
	ZIPOUT_DEFLATE = 0,  /* text: manifest.json, report files */
	ZIPOUT_STORE = 1     /* already compressed: JPEG, PNG, PDF */
} zipout_method;

/* ZIPOUT_STORE for names ending in .jpg .jpeg .png .pdf (any case), else
 * ZIPOUT_DEFLATE. The packet names its files by their probed format, so the
 * extension is trustworthy here. (Not zip_store_for_name: libzip owns the
 * zip_ prefix.) */
zipout_method zipout_method_for_name(const char *name);

/* Start a zip that will appear at final_path. The temporary file is created
 * now, so a missing or unwritable directory is reported here. mtime is the
 * time stamped on every entry (e.g. SOURCE_DATE_EPOCH); it is clamped to what
 * a DOS timestamp can hold, 1980-01-01 to 2107-12-31, and has 2-second
 * resolution. On success *out is a new zipout that zipout_commit() or
 * zipout_abort() frees; on error *out is NULL and nothing is left on disk. */
int zipout_open(zipout **out, const char *final_path, time_t mtime, lp_err *err);

/* As zipout_open, but into f, an output_file the caller began and will
 * commit (with the rest of a packet) or abort: zipout_close writes the
 * zip into it. */
int zipout_open_into(zipout **out, output_file *f, time_t mtime, lp_err *err);

/* Flush the zip to disk before its rename (and the folder after), so that
 * it survives a crash of the machine too (output.h); off by default. Only
 * for zipout_open's own file. */
void zipout_set_sync(zipout *z, int sync);

/* Entry names: non-empty UTF-8, at most 65535 bytes, relative, no ".." part,
 * no backslash or control character, not a directory, not added before.
 *
 * Any failed add poisons the zipout: zipout_commit() will then refuse, so a
 * caller that overlooks an error cannot publish a packet with a hole in it. */

/* Add len bytes at data as entry_name. The bytes are copied: the caller keeps
 * and frees its buffer and may reuse it at once. */
int zipout_add_buffer(zipout *z, const char *entry_name, const void *data, size_t len,
		      zipout_method method, lp_err *err);

/* As zipout_add_buffer, but the bytes are not copied: they must stay valid
 * and unchanged until zipout_commit() or zipout_abort(). For bytes already
 * in memory and hashed (the packet's materials), which are then neither
 * copied nor read from disk again. */
int zipout_add_borrowed(zipout *z, const char *entry_name, const void *data, size_t len,
			zipout_method method, lp_err *err);

/* Where the bytes of an entry come from when the zip is written: load puts
 * them at *data (valid until the next call of any loader of this zip) and
 * their length at *len, or returns -1 with err filled. */
typedef int (*zipout_load_fn)(void *arg, const uint8_t **data, size_t *len, lp_err *err);

/* Add an entry of size bytes that load(arg, ...) gives at commit, when the
 * entry is written, one entry at a time: for bytes that are not kept in
 * memory. Bytes of another length, or a failed load, fail the commit with
 * the loader's message. */
int zipout_add_loaded(zipout *z, const char *entry_name, uint64_t size, zipout_load_fn load, void *arg,
		      zipout_method method, lp_err *err);

/* Write the zip, fsync it (zipout_set_sync), rename it to the final path and free z, whatever
 * the outcome. A zipout with no entries gives a valid empty zip. Returns 0,
 * or -1 with err filled and neither the final file nor a temporary left.
 * An existing file at the final path is replaced only on success. */
int zipout_commit(zipout *z, lp_err *err);

/* For zipout_open_into: write the zip into the caller's output_file, which
 * is then ready for output_commit (verified there). z is freed whatever the
 * outcome; on failure the caller aborts its file. Returns 0, or -1 with err. */
int zipout_close(zipout *z, lp_err *err);

/* Discard everything: remove zipout_open's temporary file (not the caller's
 * of zipout_open_into) and free z. NULL is allowed. */
void zipout_abort(zipout *z);

#endif
