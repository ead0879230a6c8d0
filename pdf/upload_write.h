/*
 * upload_write: the files of the upload folder, as packet/upload.c planned
 * them, written into an output_tree (packet/output.h) that the caller
 * began and commits with the packet.
 *
 * A JPEG the portal takes as it is goes in byte for byte (the fast path: no
 * decoding). Other images are decoded, turned upright by their EXIF
 * orientation and fitted (packet/upload_fit.h); pages of PDF materials are
 * rendered by poppler (pdf_thumb.c) at 200 dpi or the profile's minimum if
 * higher, then fitted the same way; a material that goes up as one PDF gets
 * its pages, each fitted to its share of the byte limit, one to an A4 page
 * (libharu), in order. An ID card's two sides on one A4 page are composed
 * row by row into the encoder (fit_rows), from the check's decode of each
 * side (checked_file.picture) when it is large enough. Each item's size,
 * SHA-256, pixels and whether it was fitted are filled in for the manifest.
 */
#ifndef LICPACK_UPLOAD_WRITE_H
#define LICPACK_UPLOAD_WRITE_H

#include <stddef.h>

#include "packet/check.h"
#include "packet/output.h"
#include "packet/thumb.h"
#include "packet/upload.h"

/* The resolution PDF pages are rendered at, when the profile asks for less. */
#define UPLOAD_RENDER_DPI 200

/* Write plan's folders and files into tree; mark (NULL: none) is the
 * purpose watermark drawn into the pixels of the materials that take it
 * (ID cards). An item that cannot be brought within the limits without
 * going below the minimum resolution (a page, or a PDF that comes out over
 * the byte limit all the same) is not written: item->unfit says why, and
 * the others are written. 0, or -1 with err (naming the file) when a file
 * cannot be read, decoded or written, or memory runs out. */
int upload_write(const check_result *r, upload_plan *plan, output_tree *tree, const thumb_mark *mark, lp_err *err);

#endif
