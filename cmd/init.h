/*
 * init: what `licpack init` (init.c) and `init --from-scans`
 * (init_scans.c) share: the packet.json they write.
 */
#ifndef LICPACK_CMD_INIT_H
#define LICPACK_CMD_INIT_H

#include "packet/fill.h"
#include "packet/template.h"

/* packet.json for t: every key the template needs, holding the values in
 * v (may be NULL) and "<...>" placeholders for the rest. NULL when out of
 * memory; the caller frees (and, holding an ID number, wipes) it. */
char *init_packet_json(const template *t, const fill_values *v);

/* Write text as dir/name, atomically (mode 0600). Returns 0, or an exit
 * code after saying what went wrong. */
int init_write(const char *dir, const char *name, const char *text);

/* `init DIR --from-scans`: tid may be NULL (guessed). Returns an exit code. */
int init_from_scans(const template_set *set, const char *dir, const char *tid, const char *region, int force);

#endif
