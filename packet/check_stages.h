/*
 * check_stages: the stages check_folder() (check.c) runs after matching,
 * each in its own file: reading and probing the matched files
 * (check_files.c), and the rules on counts, dates, identifiers and
 * metadata (check_rules.c). Private to packet/check*.c.
 */
#ifndef PACKET_CHECK_STAGES_H
#define PACKET_CHECK_STAGES_H

#include "packet/check.h"
#include "packet/scan.h"

/* A finding on r (finding.h's findings_add), as every stage adds them. */
#define ADD(r, code, mat, file, en, zh) findings_add(&(r)->findings, code, mat, file, en, zh)

/* Read, hash and probe every matched file, on opt->jobs threads; each
 * file's findings are added in packet order. -1 only for no memory. */
int read_files(check_result *r, const char *dir, const scan_list *sl, const check_options *opt);

/* The same bytes matched twice (by SHA-256). */
int check_duplicates(check_result *r);

/* Files per material (and per person, per domain) against the template. */
int check_counts(check_result *r);

/* packet.json's values: dates, USCC, ID numbers, staff, shareholders,
 * the template's rules, licence numbers. today: days since the epoch. */
int check_metadata(check_result *r, long today);

#endif
