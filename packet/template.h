/*
 * template: the required-materials lists, loaded from JSON.
 *
 * A template_set holds the raw template documents by id: the ones compiled
 * into the binary (templates/NAME.json, see templates/README.md for the schema)
 * plus any added from a --templates DIR, which override built-ins of the same
 * id. template_resolve() turns one id (and optionally a region) into a flat,
 * validated `template`: the `extends` chain merged, the region overlay applied.
 * Errors are returned as values with a message that names the file and the
 * line and column (JSON syntax) or the field path (schema), e.g.
 *   "my.json:12:5: JSON syntax error near '}'"
 *   "my.json: materials[2].count.min: expected a whole number >= 0"
 */
#ifndef LICPACK_TEMPLATE_H
#define LICPACK_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "packet/error.h"
#include "packet/read_fields.h"

typedef struct {
	char *zh;
	char *en;
} text2;

typedef enum { PER_NONE = 0, PER_DOMAIN, PER_STAFF, PER_SHAREHOLDER } per_kind;

/* Which metadata date must not be expired for this material. */
typedef enum {
	EXPIRY_NONE = 0,
	EXPIRY_ID_CARD,      /* legal_rep.id_expiry (per staff: that person's id_expiry) */
	EXPIRY_DOMAIN,       /* the domain's expiry */
	EXPIRY_LICENCE,      /* licence.expiry */
	EXPIRY_PREREQUISITE, /* prerequisite.expiry: a licence the application rests on */
	EXPIRY_CONTRACT      /* hosting.expiry: the hosting or access contract in force */
} expiry_rule;

/* What a material's scans are read as: its `read` key (templates/README.md).
 * Every readable scan is read for its orientation and legibility; this says
 * which document it must be and what its values are checked against. */
typedef struct {
	read_doc_kind as;       /* READ_DOC_UNKNOWN: nothing declared */
	int own;                /* the applicant's own document: its values are
				   compared with packet.json (default 1) */
	int signed_within_days; /* as READ_DOC_SIGNED_FORM, a form written for this
				   application: signed-too-early when signed longer
				   ago than this; 0: its date is not checked */
} material_read;

typedef struct {
	char *id;             /* "business-license" */
	text2 title;          /* zh "营业执照副本", en "Business licence (duplicate)" */
	char **aliases;       /* as written in the JSON; the id and title.zh are always aliases too */
	size_t n_aliases;
	int required;         /* 1: missing is an error */
	int count_min;        /* files (per entity when per != PER_NONE) */
	int count_max;        /* 0 = no upper limit */
	per_kind per;         /* repeated for each domain / staff member / shareholder */
	unsigned formats;     /* FMT_BIT(FMT_JPEG) | ... (probe.h) */
	uint64_t max_bytes;   /* 0 = no limit */
	uint32_t min_long_edge; /* pixels on the longer side; 0 = no limit (hard: error) */
	uint32_t min_dpi;     /* recommendation (warning); 0 = none (screenshots) */
	int colour;           /* colour copy required */
	int seal;             /* must bear the red company seal */
	int watermark;        /* purpose watermark goes across it in the PDF */
	expiry_rule expiry;
	char **roles;         /* per staff: only staff with these roles (none: every staff member) */
	size_t n_roles;
	char **stands_for;    /* ids of materials a file of this one also satisfies (one
				 scan of both ID sides stands for each side); none: NULL/0 */
	size_t n_stands_for;
	char **sources;       /* where this material's requirement comes from; none: NULL/0 */
	size_t n_sources;
	material_read read;   /* what its scans are read as */
} material;

typedef struct {
	int id_card_min_valid_days;    /* ID card must stay valid this long (default 90) */
	int domain_min_valid_days;     /* domain must stay valid this long (default 0) */
	int licence_renew_before_days; /* renewal window before licence expiry (default 90) */
	int prerequisite_min_valid_days; /* prerequisite licence must stay valid this long (default 0) */
	int capital_min_wan_provincial;  /* registered capital (万元) for provincial coverage; 0 = no rule */
	int capital_min_wan_nationwide;  /* ... for nationwide coverage; 0 = no rule */
	int annual_report;               /* 1: the annual-report window (1 Jan - 31 Mar, make-up to 30 Apr) applies */
	int change_within_days;          /* a change must be filed within this many days of change.date; 0 = none */
	int staff_min;                   /* at least this many staff in packet.json (default 0) */
	char **staff_roles;              /* roles packet.json's staff must include */
	size_t n_staff_roles;
	char **prerequisite_kinds;       /* licence kinds accepted as the prerequisite ("callcenter", ...) */
	size_t n_prerequisite_kinds;
	int prerequisite_nationwide;     /* 1: the prerequisite licence must be nationwide */
	int prerequisite_coverage;       /* 1: nationwide company.coverage needs a nationwide prerequisite */
	int staff_advised;               /* fewer staff than this is a warning (bureaus differ); 0 = none */
	int foreign_share_max;           /* company.foreign_share above this % is an error; 0 = no rule */
	int capital_paid_in;             /* 1: company.paid_in_wan must reach the capital minimum */
} template_rules;

typedef struct {
	char *id;             /* "icp-renewal" */
	int version;
	char *licence;        /* "icp" */
	char *action;         /* "renewal" */
	text2 title;          /* "ICP经营许可证续期" / "ICP licence renewal" */
	text2 purpose;        /* watermark text: "仅供ICP经营许可证续期使用" */
	char *region;         /* the applied region overlay id, or NULL */
	text2 region_title;   /* its title, when region != NULL */
	int region_sourced;   /* 1 when an overlay of that region cites sources */
	int watermark;        /* 0 when the overlay forbids watermarks (Jiangsu) */
	template_rules rules;
	material *materials;  /* in template (= packet) order */
	size_t n_materials;
	char **sources;
	size_t n_sources;
	char **rule_sources;  /* "rule_key: source", one per source of a rule */
	size_t n_rule_sources;
	char *notes;
	char *origin;         /* "builtin" or the path it was loaded from */
} template;

typedef struct template_set template_set;

/* A new set holding the built-in templates. Caller frees with template_set_free.
 * Returns 0, or -1 with err filled (a built-in that does not parse is a bug). */
int template_set_new(template_set **out, lp_err *err);
void template_set_free(template_set *set);

/* Add every *.json in dir (not recursive); a template with the id of an
 * existing one replaces it. Returns 0, 2 (template error) or 3 (I/O error),
 * with err filled. */
int template_set_add_dir(template_set *set, const char *dir, lp_err *err);

/* Ids of the templates a user can pick (not abstract bases), sorted. The array
 * and strings belong to the set. */
size_t template_set_ids(const template_set *set, const char *const **ids);

/* Region ids that template `id` (or its bases) defines, sorted; owned by the set. */
size_t template_set_regions(const template_set *set, const char *id, const char *const **regions);

/* Resolve id (+ region, may be NULL) into *out. Returns 0, or 2 with err filled
 * (unknown id, unknown region, schema error, extends loop). Free with template_free. */
int template_resolve(const template_set *set, const char *id, const char *region,
		     template **out, lp_err *err);
void template_free(template *t);

/* Check one template file on its own (syntax and schema; `extends` is looked
 * up in set, which may be NULL to skip that). Returns 0, 2 or 3 with err filled. */
int template_lint_file(const template_set *set, const char *path, lp_err *err);

/* The name the `read` key gives a kind ("business-licence", ...), or NULL
 * for READ_DOC_UNKNOWN. */
const char *template_read_name(read_doc_kind kind);

/* The material with this id, or NULL. */
const material *template_material(const template *t, const char *id);

#endif
