/*
 * read_cache: reads kept between runs, so that a second check of an
 * unchanged folder reads nothing again.
 *
 * One small JSON file per scan, named by the scan's SHA-256, in a folder
 * only its owner may enter (0700, files 0600), holding what the reader
 * concluded (status, turn, confidence) and the reader's version: an entry
 * made by another version, or damaged, is a miss (and is written anew).
 * Never the recognised text. Writes go to a temporary name and are renamed
 * into place, so a reader never sees half an entry.
 */
#ifndef LICPACK_READ_CACHE_H
#define LICPACK_READ_CACHE_H

#include "packet/read_check.h"

/* Make dir (and its parent, when missing) mode 0700. Returns 0, or -1 with errno. */
int read_cache_prepare(const char *dir);
/* 1 and *out filled when dir holds a good entry for sha256 made by version;
 * 0 otherwise (out untouched). */
int read_cache_get(const char *dir, const char *sha256, const char *version, struct file_read *out);
/* Store in's conclusions. Returns 0, or -1 (a cache that cannot be written
 * only costs the next run a read). */
int read_cache_put(const char *dir, const char *sha256, const char *version, const struct file_read *in);

#endif
