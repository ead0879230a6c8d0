/*
 * manifest: names of the files inside the packet, and manifest.json.
 *
 * Each material file is renamed NN_<title>[_<domain>][_k].<ext>: NN is the
 * material's position in the template (01, 02, ...), the title is the
 * Chinese title (or, with ascii names, the material id, for portals that
 * refuse non-ASCII names), the domain is added for per-domain materials, k
 * (from 1) when the material can hold more than one file, and the extension
 * follows the detected format. manifest.json records, for every file in the
 * packet, its material, original path, packet name, size, pages and
 * SHA-256, with the applicant's metadata (ID number masked); files left out
 * of the packet (damaged, refused formats) are listed under "refused", with
 * no packet name and no pages.
 */
#ifndef LICPACK_MANIFEST_H
#define LICPACK_MANIFEST_H

#include "packet/check.h"
#include "packet/volume.h"

/* 1 when checked file f goes into the packet (PDF and zip): read, hashed,
 * probed OK or repaired, a JPEG the PDF can embed, a PNG or a PDF. */
int packet_file_included(const checked_file *f);

/* Name of checked file i inside the packet. Caller frees; NULL when out of memory. */
char *packet_file_name(const check_result *r, size_t i, int ascii);

/* Name of the cover PDF inside the zip: "00_封面.pdf" or "00_cover.pdf". */
const char *packet_cover_name(int ascii);

/* manifest.json text (ends in a newline). build_date is "YYYY-MM-DD";
 * cover_pages is the number of cover pages. Caller frees; NULL when out of memory. */
char *manifest_json(const check_result *r, int ascii, const char *build_date, int cover_pages);

/* The same with an "upload" section: the upload folder's files as plan
 * (filled by pdf/upload_write.c) has them; plan NULL: none. With vols
 * (--max-pdf-mb; packet/volume.h) a "pdf" section says how the combined
 * PDF is split: the limit and each volume's file name and materials; and
 * every file its "volume". vols NULL: no such section. */
struct upload_plan;
char *manifest_json_upload(const check_result *r, int ascii, const char *build_date, int cover_pages,
			   const struct upload_plan *plan, const volume_plan *vols);

#endif
