/*
 * read: the reading engine — what a scan says, recognised on this machine
 * with libtesseract (chi_sim), never sent anywhere.
 *
 * A reader holds the language data's place and a pool of recognition
 * engines, one per thread that reads at the time (each engine costs tens of
 * MiB, made when first needed, kept for the next page). reader_page() takes
 * one scan (JPEG or PNG bytes), decodes it scaled down to the resolution
 * recognition needs, asks orientation and script detection (OSD) which way
 * up it is, turns it upright and recognises it within a time budget. The
 * text it returns is for the caller to parse (packet/read_fields.c) and
 * free at once: it is never written out, logged or kept.
 */
#ifndef LICPACK_READ_H
#define LICPACK_READ_H

#include <stddef.h>
#include <stdint.h>

#include "packet/probe.h"

/* Bumped when what a read gives changes: part of the cache key. */
#define READ_ENGINE_VERSION 2

/* Budget of one page's recognition, milliseconds (a page over it is
 * content-unconfirmed), and the most pixels decoded for a page. */
#define READ_PAGE_MS 30000
#define READ_MAX_DECODED (48ULL * 1000 * 1000)

typedef struct reader reader;

typedef struct {
	const char *datapath;   /* tessdata folder; NULL: $TESSDATA_PREFIX, else Debian's */
	int page_ms;            /* recognition budget per page; 0: READ_PAGE_MS */
	uint64_t max_decoded;   /* 0: READ_MAX_DECODED */
} reader_options;

/* A reader, when the language data (chi_sim, eng, osd) is installed.
 * Returns 0, or -1 with *missing naming the first file not found (a
 * string literal, e.g. "chi_sim.traineddata") and nothing to free; the
 * caller frees a reader with reader_free. No engine is made yet. */
int reader_open(const reader_options *o, reader **out, const char **missing);
void reader_free(reader *rd);

/* "tesseract 5.3.0 / licpack-read 1": what made a read (cache key). */
const char *reader_version(const reader *rd);

typedef enum {
	READ_PAGE_OK = 0,
	READ_PAGE_TIMEOUT,      /* over the budget: what was read is dropped */
	READ_PAGE_UNDECODABLE,  /* the pixels could not be decoded */
	READ_PAGE_TOO_LARGE,    /* more pixels than max_decoded even scaled */
	READ_PAGE_FORMAT,       /* not an image licpack reads (PDF...) */
	READ_PAGE_FAILED        /* out of memory, engine would not start */
} read_page_status;

typedef struct {
	read_page_status status;
	int orientation;        /* how far the scan is turned clockwise: 0, 90, 180, 270 */
	int confidence;         /* mean word confidence, 0-100 */
	char *text;             /* UTF-8 when READ_PAGE_OK, else NULL; read_page_release */
} read_page;

/* Read one page. Thread-safe: each call borrows an engine from rd's pool.
 * Returns 0 (out->status says how it went), or -1 for a NULL argument. */
int reader_page(reader *rd, const uint8_t *data, size_t len, file_format fmt, read_page *out);
/* A page's turn, found before it is read (reader_turn): how far it is
 * turned clockwise (0, 90, 180, 270) and whether OSD is sure of it. */
typedef struct {
	int turn;
	int sure;
} read_turn;

/* The turn of one page, by orientation detection alone. Returns 0, or -1
 * when the page cannot be decoded or no engine made (reader_page will say
 * which). */
int reader_turn(reader *rd, const uint8_t *data, size_t len, file_format fmt, read_turn *out);
/* reader_page with the turn found already (t NULL: found now). */
int reader_page_turned(reader *rd, const uint8_t *data, size_t len, file_format fmt, const read_turn *t,
		       read_page *out);
/* Let the idle orientation engines go (made again if needed): the turns of
 * a folder's pages are found first, then the text engines recognise
 * without them beside (packet/read_check.c). */
void reader_drop_osd(reader *rd);
/* Frees the text, after wiping it. */
void read_page_release(read_page *p);

#endif
