/*
 * batch_index: index.html beside a batch's summary (batch, batch-merge).
 */
#ifndef LICPACK_CMD_BATCH_INDEX_H
#define LICPACK_CMD_BATCH_INDEX_H

#include "packet/report.h"

/* Read OUTDIR/BASE.json (a summary just written) and write the index page
 * beside it, atomically with mode 0600: OUTDIR/index.html for "summary",
 * OUTDIR/index-K-of-N.html for "summary-K-of-N". Prints its path on stdout.
 * Prints the error; returns 0 or LP_EXIT_IO. */
int batch_index_write(const char *outdir, const char *base, lp_lang lang, int sync);

#endif
