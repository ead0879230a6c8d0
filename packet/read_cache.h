/*
 * read_cache: reads kept between runs, so that a second check of an
 * unchanged folder reads nothing again.
 *
 * One small JSON file per scan, named by the scan's SHA-256, in a folder
 * only its owner may enter (0700, files 0600), holding what the reader
 * concluded (status, turn, confidence, the validated fields the checks
 * and report.json use: company, USCC, legal representative, dates,
 * domains, holder, licence number) and the reader's version:
 * an entry made by another version, or damaged, is a miss (and is written
 * anew). Never the recognised text, and never an ID number whole: it is
 * kept masked (110105********002X) and as SHA-256 of a random key (the
 * folder's file "key", 0600) and the number, which compares it with
 * packet.json's and cannot be turned back without that key. Writes go to a temporary name and are renamed
 * into place, so a reader never sees half an entry.
 */
#ifndef LICPACK_READ_CACHE_H
#define LICPACK_READ_CACHE_H

#include "packet/read_check.h"

/* Make dir (and its parent, when missing) mode 0700. Returns 0, or -1 with errno. */
int read_cache_prepare(const char *dir);
/* The folder's key (32 random bytes in DIR/key, made when missing).
 * Returns 0, or -1. */
int read_cache_key(const char *dir, unsigned char key[32]);
/* 1 and *out filled when dir holds a good entry for sha256 made by version;
 * 0 otherwise (out untouched). */
int read_cache_get(const char *dir, const char *sha256, const char *version, struct file_read *out);
/* The entry text[0..len) (text[len] is a NUL) as read_cache_get takes
 * it: 1 and *out filled when it is good and made by version, else 0. */
int read_cache_parse(const char *text, size_t len, const char *version, struct file_read *out);
/* Store in's conclusions. Returns 0, or -1 (a cache that cannot be written
 * only costs the next run a read). */
int read_cache_put(const char *dir, const char *sha256, const char *version, const struct file_read *in);

#endif
