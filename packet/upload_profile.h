/*
 * upload_profile: what a submission portal takes, per uploaded file.
 *
 * A portal profile is a small JSON file (profiles/NAME.json, compiled into the
 * binary as the templates are; --profiles DIR adds or overrides): the
 * formats it takes, from how many pages a material goes up as one PDF
 * rather than a JPG per page, the largest file (in MB of 1,000,000 bytes:
 * the stricter reading of "MB"), the longest edge and pixel count of an
 * image, the smallest resolution a page may be fitted down to (min_dpi),
 * and whether file names must be ASCII. Figures no public source gives
 * are listed under "assumed" (`licpack portals show` marks them), and
 * --max-file-mb / --max-pixels-upload override them.
 *
 * upload_profile_set_new() reads the built-in ones, _add_dir() a folder's;
 * errors come back as lp_err (packet/error.h), nothing is printed.
 */
#ifndef LICPACK_UPLOAD_PROFILE_H
#define LICPACK_UPLOAD_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "packet/error.h"
#include "packet/builtin.h"
#include "packet/template.h"

#define UPLOAD_PROFILE_DEFAULT "miit"

typedef struct upload_profile {
	char *id;               /* "miit" */
	text2 title;
	int take_jpeg, take_png, take_pdf;
	int pdf_from_pages;     /* a material of this many pages or more goes up as one
				 * PDF; 0: never (images only) */
	uint64_t max_bytes;     /* per file; 0 = no limit */
	uint32_t max_long_edge; /* pixels; 0 = no limit */
	uint64_t max_pixels;    /* width x height; 0 = no limit */
	uint32_t min_width, min_height; /* below it the portal refuses an image (not fitted: upscaling adds nothing) */
	uint32_t min_dpi;       /* fitting never goes below it for the page's size */
	int ascii_names;        /* 02_business-license.jpg */
	int jpeg_quality;       /* of re-encoded pages, first try (fitting lowers it to 70) */
	char **assumed;         /* keys with no public source */
	size_t n_assumed;
	char *sources;          /* one paragraph */
	char *notes;
	char *origin;           /* "builtin" or the file it came from */
} upload_profile;

/* (check.h names the struct too) */
typedef struct upload_profile_set upload_profile_set;

/* The built-in profiles. 0, or -1 with err filled. Free with _free. */
int upload_profile_set_new(upload_profile_set **out, lp_err *err);

/* Add or override from dir/NAME.json. 0, or -1 with err filled (the set is
 * then unchanged). */
int upload_profile_set_add_dir(upload_profile_set *set, const char *dir, lp_err *err);

/* Add or override one profile from len bytes of JSON (where names it in
 * messages). 0, or -1 with err filled (the set is then unchanged). */
int upload_profile_set_add_text(upload_profile_set *set, const char *text, size_t len, const char *where,
				lp_err *err);

/* The profile called id, or NULL. */
const upload_profile *upload_profile_find(const upload_profile_set *set, const char *id);

/* The profiles in id order. */
size_t upload_profile_count(const upload_profile_set *set);
const upload_profile *upload_profile_at(const upload_profile_set *set, size_t i);

/* 1 when key (e.g. "max_file_mb") is one of p's assumed figures. */
int upload_profile_assumed(const upload_profile *p, const char *key);

void upload_profile_set_free(upload_profile_set *set);

/* The profile JSON files compiled in (templates/embed.c -s builtin_profiles). */
extern const struct builtin_template builtin_profiles[];
extern const size_t n_builtin_profiles;

#endif
