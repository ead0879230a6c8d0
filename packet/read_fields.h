/*
 * read_fields: the values a recognised page states, each validated before it
 * is believed (check characters, dates that exist, known formats). Input is
 * the UTF-8 text tesseract returned for one page (chi_sim); tesseract
 * puts spaces between Chinese characters and inside dates, the parser
 * tolerates that. Nothing here prints, logs or keeps the text.
 */
#ifndef PACKET_READ_FIELDS_H
#define PACKET_READ_FIELDS_H

#include <stddef.h>

typedef enum {
	READ_DOC_UNKNOWN = 0,
	READ_DOC_BUSINESS_LICENCE,	/* 营业执照 */
	READ_DOC_ID_PORTRAIT,		/* 身份证 人像面 */
	READ_DOC_ID_EMBLEM,		/* 身份证 国徽面 */
	READ_DOC_DOMAIN_CERT,		/* 域名证书 */
	READ_DOC_LICENCE,		/* 现有许可证 */
	READ_DOC_SIGNED_FORM		/* application, undertaking, resolution, contract */
} read_doc_kind;

#define READ_MAX_DOMAINS 16

/* Every string is "" when the field was not found or did not validate. */
typedef struct {
	read_doc_kind kind;		/* what the text looks like */
	char company[256];		/* 名称 / 单位名称 / company on a form */
	char uscc[19];			/* 统一社会信用代码, GB 32100 check character valid */
	char legal_rep[64];		/* 法定代表人 */
	char registered_capital[64];	/* 注册资本 as written */
	char term_until[16];		/* 营业期限 end: YYYY-MM-DD or "long-term" */
	char id_name[64];		/* 姓名 */
	char id_number[19];		/* 公民身份号码, GB 11643 check digit valid, birth date exists */
	char id_issuer[128];		/* 签发机关 */
	char id_valid_until[16];	/* 有效期限 end: YYYY-MM-DD or "long-term" */
	char domains[READ_MAX_DOMAINS][254]; /* lower-case, syntactically valid */
	size_t n_domains;
	char holder[256];		/* 域名持有者 / 注册者 */
	char licence_number[64];	/* B2-20190001, 京ICP证030173号, ... (packet/ident.c knows the forms) */
	char expiry[16];		/* 有效期至 / 到期 date: YYYY-MM-DD */
	char signed_date[16];		/* latest written date on a form: YYYY-MM-DD */
} read_fields;

/* Parse one page's text. hint is what the file was matched as (or
 * READ_DOC_UNKNOWN); the result's kind is what the text itself says.
 * Returns 0, or -1 for a NULL argument. Never allocates. */
int read_fields_parse(const char *text, read_doc_kind hint, read_fields *out);

/* The material id a kind stands for in the templates ("business-license",
 * ...), or NULL for READ_DOC_UNKNOWN / READ_DOC_SIGNED_FORM. */
const char *read_doc_material(read_doc_kind kind);

#endif
