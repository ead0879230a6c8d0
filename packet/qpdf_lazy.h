/*
 * qpdf_lazy: qpdf's C API (qpdf/qpdf-c.h, qpdf/qpdflogger-c.h), with libqpdf
 * loaded on the first call instead of at start (see qpdf_lazy.c for why).
 *
 * Code that uses qpdf includes qpdf's own headers and calls its functions as
 * usual; it calls qpdf_lazy_load() first, so that a library missing at run
 * time is an error it can report (a call without it aborts then).
 */
#ifndef LICPACK_QPDF_LAZY_H
#define LICPACK_QPDF_LAZY_H

#include <stddef.h>

#include "packet/error.h"

/* Load libqpdf once per process (later calls only report the outcome).
 * Returns 0, or -1 with the reason in err ("cannot load 'libqpdf.so.29':
 * ..."). Thread-safe. */
int qpdf_lazy_load(lp_err *err);

#endif
