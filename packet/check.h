/*
 * check: an applicant folder against a template — the heart of licpack.
 *
 * check_folder() loads packet.json, resolves the template (and region),
 * scans the folder, matches every file to a material, reads each matched
 * file once (hash, probe), and records every problem as a finding. It never
 * writes anything and never modifies the folder. The result is what the
 * report prints and what `build` packs.
 */
#ifndef LICPACK_CHECK_H
#define LICPACK_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "packet/error.h"
#include "packet/applicant.h"
#include "packet/convert.h"
#include "packet/finding.h"
#include "packet/match.h"
#include "packet/probe.h"
#include "packet/template.h"
#include "packet/util.h"

/* Exit codes of the whole tool (SPEC §5). */
typedef enum {
	LP_EXIT_OK = 0,          /* complete (warnings allowed unless --strict) */
	LP_EXIT_INCOMPLETE = 1,  /* incomplete or invalid materials */
	LP_EXIT_USAGE = 2,       /* usage or template error */
	LP_EXIT_IO = 3           /* I/O or internal error */
} lp_exit;

typedef struct {
	const char *template_id;   /* overrides packet.json's; NULL: packet.json's */
	const char *region;        /* overrides packet.json's; NULL: packet.json's */
	long today;                /* days since 1970-01-01 */
	uint64_t max_pixels;       /* refuse images declaring more; default 100e6 */
	int max_depth;             /* folders read, counting the applicant's; default
				      SCAN_MAX_DEPTH (scan.h) */
	uint64_t max_read_bytes;   /* never read a file larger than this; default 512 MiB */
	int keep_data;             /* keep files' bytes in checked_file.data (build): all
				      of them when they come to keep_bytes or less, else none */
	uint64_t keep_bytes;       /* default CHECK_KEEP_BYTES */
	int office_timeout_s;      /* seconds LibreOffice may take for one document;
				      0: CONVERT_OFFICE_TIMEOUT (packet/convert.h) */
	const char *soffice;       /* the LibreOffice program; NULL: soffice on PATH
				      (cmd/ sets it from LICPACK_SOFFICE) */
	int threads;               /* files read and probed at once; default: online CPUs
				      (batch, which runs applicants in parallel, sets 1) */
	int thumbnails;            /* keep each JPEG's thumbnail-sized picture from the
				      probe's decode (checked_file.preview), for
				      report.html; default 0 */
	int id_pictures;           /* keep an ID card side's picture from the probe's
				      decode (checked_file.picture), for the upload
				      folder's ID page (upload.h), when there is a
				      portal; default 0 */
	const char *portal;        /* the portal profile the upload folder is made for
				      (packet/upload_profile.h); default "miit"; NULL: none */
	const char *profiles_dir;  /* --profiles: more profiles */
	uint64_t upload_max_bytes; /* --max-file-mb, in bytes; 0: the profile's */
	uint64_t upload_max_pixels; /* --max-pixels-upload; 0: the profile's */
	const struct read_setup *read; /* reading the scans (packet/read_check.h); NULL: not read */
} check_options;

/* Most threads check_folder uses. */
#define CHECK_MAX_THREADS 8

/* The bytes a build keeps in memory from the check: a packet of a dozen
 * scans is built without reading a file twice, and a folder of fifty
 * without holding any of them (each is read again, and its hash checked,
 * one file at a time: check_file_bytes). */
#define CHECK_KEEP_BYTES (16ULL * 1024 * 1024)

void check_options_init(check_options *o);

/* 8-bit RGB pixels, w*h*3 bytes, rows top to bottom (thumb.h's thumb_rgb). */
typedef struct {
	uint8_t *px;
	unsigned w, h;
} check_picture;

typedef struct {
	char *rel;            /* path relative to the folder, for people: bytes that
				 are not UTF-8 written as \xHH (scan.h) */
	char *raw;            /* the same as the file system has it, for opening */
	int material;         /* index into tpl->materials */
	int entity;           /* for a per-entity material: index into app.domains,
				 app.staff or app.shareholders (by the material's per); else -1 */
	int k;                /* 1-based position within its material */
	match_how how;
	uint64_t bytes;
	int64_t mtime;
	char sha256[65];      /* "" when the file could not be read */
	file_info info;
	int errors;           /* error findings on this file */
	uint8_t *data;        /* the bytes, when kept (keep_data); else NULL */
	size_t len;
	check_picture preview; /* with opt->thumbnails, a whole JPEG's picture at most
				 THUMB_EDGE on the long edge, as stored (before EXIF
				 rotation), from the probe's decode; px NULL: none */
	check_picture picture; /* with opt->id_pictures and an ID card side, the JPEG's
				 whole picture at the probe's decode size, as stored;
				 px NULL: none */
	/* A file converted for the packet (packet/convert.h): bytes, len,
	 * sha256, info and data above are the converted file's; the original's
	 * size and SHA-256 are here. converted 0: the file is as it was read. */
	int converted;
	convert_info conv;
	uint64_t orig_bytes;
	char orig_sha256[65];
	struct file_read *read; /* what was read from it (packet/read_check.h); NULL: not read */
} checked_file;

typedef enum { MAT_COMPLETE = 0, MAT_MISSING, MAT_INVALID, MAT_ABSENT_OPTIONAL } material_state;

typedef struct {
	template *tpl;
	applicant app;
	checked_file *files;      /* matched files, in packet order */
	size_t n_files;
	char **unrecognized;      /* relative paths */
	size_t n_unrecognized;
	material_state *state;    /* one per material */
	int *count;               /* files per material */
	finding_list findings;
	int complete;             /* no error findings */
	int64_t newest_mtime;     /* of the files read and packet.json */
	char *dir;                /* the folder, as given, and its realpath: to read */
	char *root_real;          /* files again (check_file_bytes) */
	uint64_t max_pixels;      /* check_options.max_pixels: to convert a file again */
	const struct upload_profile *portal;  /* the portal profile judged by (opt.portal), or NULL */
	struct upload_profile_set *profiles;  /* owns portal */
	uint64_t upload_max_bytes, upload_max_pixels; /* opt's overrides */
} check_result;

/* Check dir. Returns LP_EXIT_OK when the check ran (complete or not: see
 * out->complete), LP_EXIT_USAGE for a template problem, LP_EXIT_IO when the
 * folder cannot be read or memory runs out; err says why. Release *out in
 * every case. */
lp_exit check_folder(const template_set *set, const char *dir, const check_options *opt,
		     check_result *out, lp_err *err);
void check_result_release(check_result *r);

/* The bytes of checked file i as they were checked and hashed (a converted
 * file's converted bytes, converted again from the original when they were
 * not kept, the original checked against its SHA-256 first): the ones kept
 * in memory, or else read again from the folder into *scratch (grown as
 * needed; the caller owns it, one per thread, and frees scratch->data at
 * the end), in which case they stay valid until scratch is used again. A
 * file that is not what was hashed any more is an error: "'NAME' changed
 * since it was checked". Returns 0, or -1 with err. */
int check_file_bytes(const check_result *r, size_t i, lp_buffer *scratch, const uint8_t **data, size_t *len,
		     lp_err *err);

/* Whether a finding on material id warns (a warning or an error; notices
 * do not): a complete material with one is "complete, with warnings". */
int check_material_warns(const check_result *r, const char *id);

/* The name of f's domain, staff member or shareholder, or NULL. */
const char *checked_file_entity(const check_result *r, const checked_file *f);

/* Number of entities of a kind in the applicant's metadata, and the name of one. */
size_t entity_count(const applicant *a, per_kind kind);
const char *entity_name(const applicant *a, per_kind kind, size_t i);

/* Status names for reports: "complete", "missing", "invalid", "optional". */
const char *material_state_name(material_state s);

#endif
