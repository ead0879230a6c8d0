/*
 * report: a check_result as text for people and as JSON for scripts.
 *
 * Both come back as strings (the caller prints or writes them), in one
 * language: Chinese or English messages; codes, ids and paths are the same in
 * both. The JSON's shape is documented in README.md ("check --format json").
 */
#ifndef LICPACK_REPORT_H
#define LICPACK_REPORT_H

#include <cjson/cJSON.h>

#include "packet/check.h"

typedef enum { LANG_EN = 0, LANG_ZH } lp_lang;

/* The message of a finding in lang. */
const char *finding_message(const finding *f, lp_lang lang);

/* The findings of l appended to arr as report.json has them: objects of
 * code, severity, material, file and message (in lang). A NULL arr, or
 * memory running out, clears *ok. */
void report_findings_json(cJSON *arr, const finding_list *l, lp_lang lang, int *ok);

/* Text report; colour adds ANSI colours. Caller frees; NULL when out of memory. */
char *report_text(const check_result *r, const char *dir, lp_lang lang, int colour);

/* JSON report (pretty-printed, ending in a newline). Caller frees; NULL when out of memory. */
char *report_json(const check_result *r, const char *dir, lp_lang lang);

#endif
