/*
 * check_rules: duplicates, files per material, and packet.json's values
 * against the template: dates and expiry, USCC and ID numbers, staff,
 * shareholders, the template's rules and licence numbers. Stages of
 * check_folder() (check.c); nothing here reads a file.
 */
#include "packet/check_stages.h"


#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/ident.h"
#include "packet/normalise.h"
#include "packet/qpdf_lazy.h"
#include "packet/scan.h"
#include "packet/util.h"

int check_duplicates(check_result *r)
{
	size_t i, j;

	for (i = 0; i < r->n_files; i++) {
		checked_file *f = &r->files[i];
		if (!f->sha256[0] || f->bytes == 0)
			continue;
		for (j = 0; j < i; j++) {
			const checked_file *g = &r->files[j];
			if (strcmp(f->sha256, g->sha256) != 0)
				continue;
			if (ADD(r, "duplicate", r->tpl->materials[f->material].id, f->rel,
				lp_strdupf("'%s': the same bytes as '%s' (%s); each material needs its own scan",
					   f->rel, g->rel, r->tpl->materials[g->material].id),
				lp_strdupf("'%s'：与“%s”（%s）内容完全相同，每份材料须单独扫描",
					   f->rel, g->rel, r->tpl->materials[g->material].title.zh)))
				return -1;
			f->errors++;
			break;
		}
	}
	return 0;
}

/* Counts against count.min/max for one material, or one domain of it. */
static int check_count(check_result *r, int mi, int n, const char *domain)
{
	const material *m = &r->tpl->materials[mi];
	const char *sep = domain ? " for " : "", *d = domain ? domain : "";
	const char *zsep = domain ? "（" : "", *zend = domain ? "）" : "";

	if (n == 0 && m->required)
		return ADD(r, "missing", m->id, NULL,
			   lp_strdupf("%s (%s)%s%s: no file found", m->title.en ? m->title.en : m->id, m->id, sep, d),
			   lp_strdupf("缺少%s%s%s%s", m->title.zh, zsep, d, zend));
	if (n > 0 && n < m->count_min)
		return ADD(r, "too-few", m->id, NULL,
			   lp_strdupf("%s%s%s: %d file(s), at least %d needed", m->id, sep, d, n, m->count_min),
			   lp_strdupf("%s%s%s%s：%d 个文件，至少需要 %d 个", m->title.zh, zsep, d, zend, n, m->count_min));
	if (m->count_max && n > m->count_max)
		return ADD(r, "too-many", m->id, NULL,
			   lp_strdupf("%s%s%s: %d files, at most %d allowed", m->id, sep, d, n, m->count_max),
			   lp_strdupf("%s%s%s%s：%d 个文件，最多 %d 个", m->title.zh, zsep, d, zend, n, m->count_max));
	return 0;
}

/* 1 when staff member i is one a per-staff material with roles applies to. */
static int role_applies(const material *m, const applicant_staff *st)
{
	size_t k;

	if (!m->n_roles)
		return 1;
	for (k = 0; st->role && k < m->n_roles; k++)
		if (strcmp(m->roles[k], st->role) == 0)
			return 1;
	return 0;
}

/* 1 when file f belongs to a material that stands for material mi (a scan
 * of both ID sides stands for each side). */
static int stands_for(const check_result *r, const checked_file *f, size_t mi)
{
	const material *m = &r->tpl->materials[f->material];

	for (size_t k = 0; k < m->n_stands_for; k++)
		if (strcmp(m->stands_for[k], r->tpl->materials[mi].id) == 0)
			return 1;
	return 0;
}

/* Files of material mi for entity e (any when e is -1), with a file of a
 * material standing for it counting as all that is needed when there are
 * too few of its own. */
static int files_of(const check_result *r, size_t mi, int e)
{
	int n = 0, covered = 0;

	for (size_t i = 0; i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		if (e >= 0 && f->entity != e)
			continue;
		if (f->material == (int)mi)
			n++;
		else if (stands_for(r, f, mi))
			covered = 1;
	}
	return covered && n < r->tpl->materials[mi].count_min ? r->tpl->materials[mi].count_min : n;
}

int check_counts(check_result *r)
{
	size_t mi, i, e;

	for (mi = 0; mi < r->tpl->n_materials; mi++) {
		const material *m = &r->tpl->materials[mi];
		size_t ne = entity_count(&r->app, m->per);
		int n = 0;
		for (i = 0; i < r->n_files; i++)
			n += r->files[i].material == (int)mi;
		r->count[mi] = n;
		n = files_of(r, mi, -1);
		if (m->per != PER_NONE && ne) {
			for (e = 0; e < ne; e++) {
				int k;
				if (m->per == PER_STAFF && !role_applies(m, &r->app.staff[e]))
					continue;
				k = files_of(r, mi, (int)e);
				if (check_count(r, (int)mi, k, entity_name(&r->app, m->per, e)))
					return -1;
			}
		} else if (m->per != PER_NONE) {
			/* no list of domains (people): at least count_min files, and no
			 * upper limit, since there may be several we were not told about */
			int counted = m->count_max && n > m->count_max ? m->count_max : n;
			if (check_count(r, (int)mi, counted, NULL))
				return -1;
		} else if (check_count(r, (int)mi, n, NULL)) {
			return -1;
		}
	}
	return 0;
}

/* A date in packet.json against today: expired, or within `window` days
 * (finding soon_code: expires-soon, or renewal-late for a renewal). */
static int check_date(check_result *r, const char *what_en, const char *what_zh, const char *material,
		      const char *value, const char *field, long today, int window, const char *soon_code,
		      const char *why_en, const char *why_zh)
{
	long d;

	if (!value)
		return 0;
	/* 长期: ID cards of people over 46 never expire */
	if (strcmp(value, "长期") == 0 || strcmp(value, "long-term") == 0)
		return 0;
	if (date_parse(value, &d) != 0)
		return ADD(r, "date-format", material, "packet.json",
			   lp_strdupf("'packet.json': %s: '%s' is not a date (YYYY-MM-DD)", field, value),
			   lp_strdupf("'packet.json'：%s：“%s”不是日期（应为 YYYY-MM-DD）", field, value));
	if (d < today)
		return ADD(r, "expired", material, "packet.json",
			   lp_strdupf("%s expired on %s", what_en, value),
			   lp_strdupf("%s已于 %s 过期", what_zh, value));
	if (window > 0 && d < today + window)
		return ADD(r, soon_code, material, "packet.json",
			   lp_strdupf("%s expires on %s, %ld days from today; %s", what_en, value, d - today, why_en),
			   lp_strdupf("%s将于 %s 到期（还剩 %ld 天）；%s", what_zh, value, d - today, why_zh));
	return 0;
}

/* The first material with expiry rule e among those repeated per `per`. */
static const char *material_with_expiry(const check_result *r, expiry_rule e, per_kind per)
{
	size_t i;

	for (i = 0; i < r->tpl->n_materials; i++)
		if (r->tpl->materials[i].expiry == e && r->tpl->materials[i].per == per)
			return r->tpl->materials[i].id;
	return NULL;
}

/* A 统一社会信用代码: a bad check character is a warning (some registered
 * codes fail it), a malformed code an error. whose: "company", "shareholder X". */
static int check_uscc(check_result *r, const char *code, const char *whose_en, const char *whose_zh,
		      const char *material)
{
	char expected;
	ident_result u;

	if (!code)
		return 0;
	u = uscc_check(code, &expected);
	if (u == IDENT_CHECK)
		return ADD(r, "uscc-checksum", material, "packet.json",
			   lp_strdupf("%s unified social credit code '%s': the check character should be '%c'; verify it by hand (some registered codes fail this check)",
				      whose_en, code, expected),
			   lp_strdupf("%s统一社会信用代码“%s”校验位应为“%c”，请人工核对（个别已登记代码不符合校验规则）",
				      whose_zh, code, expected));
	if (u != IDENT_OK)
		return ADD(r, "uscc-format", material, "packet.json",
			   lp_strdupf("%s unified social credit code '%s': 18 characters from 0-9 and A-Y (no I, O, S, V, Z) expected",
				      whose_en, code),
			   lp_strdupf("%s统一社会信用代码“%s”格式错误：应为 18 位数字或大写字母（不含 I、O、S、V、Z）", whose_zh, code));
	return 0;
}

/* A 身份证号, always shown masked. */
static int check_idnum(check_result *r, const char *num, const char *whose_en, const char *whose_zh,
		       const char *material)
{
	char expected, masked[40];
	ident_result c;

	if (!num)
		return 0;
	c = idcard_check(num, &expected);
	idcard_mask(num, masked, sizeof masked);
	if (c == IDENT_CHECK)
		return ADD(r, "idcard-checksum", material, "packet.json",
			   lp_strdupf("%s ID number %s: the check digit does not match", whose_en, masked),
			   lp_strdupf("%s身份证号码 %s 校验位不符", whose_zh, masked));
	if (c == IDENT_DATE)
		return ADD(r, "idcard-format", material, "packet.json",
			   lp_strdupf("%s ID number %s: the birth date in it is not a real date", whose_en, masked),
			   lp_strdupf("%s身份证号码 %s 中的出生日期无效", whose_zh, masked));
	if (c == IDENT_FORMAT)
		return ADD(r, "idcard-format", material, "packet.json",
			   lp_strdupf("%s ID number %s: 17 digits and a check digit (0-9 or X) expected", whose_en, masked),
			   lp_strdupf("%s身份证号码 %s 格式错误：应为 17 位数字加 1 位校验码（0-9 或 X）", whose_zh, masked));
	return 0;
}

static const char *role_zh(const char *role)
{
	if (!role)
		return "人员";
	return strcmp(role, "contact") == 0 ? "联系人" : strcmp(role, "security") == 0 ? "信息安全负责人"
		: strcmp(role, "service") == 0 ? "客服负责人" : role;
}

/* Staff in packet.json: required roles, how many, and each one's ID. */
static int check_staff(check_result *r, long today)
{
	const applicant *a = &r->app;
	const template_rules *rules = &r->tpl->rules;
	const char *id_mat = material_with_expiry(r, EXPIRY_ID_CARD, PER_STAFF);
	size_t i, k;

	for (k = 0; k < rules->n_staff_roles; k++) {
		int found = 0;
		for (i = 0; i < a->n_staff; i++)
			found |= a->staff[i].role && strcmp(a->staff[i].role, rules->staff_roles[k]) == 0;
		if (!found && ADD(r, "staff-missing", NULL, "packet.json",
				  lp_strdupf("'packet.json': staff: nobody with the role '%s' (%s) is listed", rules->staff_roles[k],
					     role_zh(rules->staff_roles[k])),
				  lp_strdupf("'packet.json'：staff 中没有%s（%s）", role_zh(rules->staff_roles[k]), rules->staff_roles[k])))
			return -1;
	}
	if (rules->staff_min > 0 && a->n_staff < (size_t)rules->staff_min &&
	    ADD(r, "staff-missing", NULL, "packet.json",
		lp_strdupf("'packet.json': staff: %zu listed, at least %d needed", a->n_staff, rules->staff_min),
		lp_strdupf("'packet.json'：staff 列出 %zu 人，至少需要 %d 人", a->n_staff, rules->staff_min)))
		return -1;
	for (i = 0; i < a->n_staff; i++) {
		const applicant_staff *st = &a->staff[i];
		char field[48], *en = lp_strdupf("staff member %s's", st->name), *zh = lp_strdupf("%s%s的", role_zh(st->role), st->name);
		char *den = lp_strdupf("staff member %s's ID card", st->name), *dzh = lp_strdupf("%s%s的身份证", role_zh(st->role), st->name);
		int bad;
		snprintf(field, sizeof field, "staff[%zu].id_expiry", i);
		bad = !en || !zh || !den || !dzh || check_idnum(r, st->id_number, en, zh, id_mat) ||
		      (id_mat && check_date(r, den, dzh, id_mat, st->id_expiry, field, today,
					    rules->id_card_min_valid_days, "expires-soon",
					    "it must stay valid for the review", "证件须在审核期间保持有效"));
		free(en);
		free(zh);
		free(den);
		free(dzh);
		if (bad)
			return -1;
	}
	return 0;
}

static int check_shareholders(check_result *r)
{
	const applicant *a = &r->app;
	size_t i;

	for (i = 0; i < a->n_shareholders; i++) {
		const applicant_shareholder *sh = &a->shareholders[i];
		char *en = lp_strdupf("shareholder %s's", sh->name), *zh = lp_strdupf("股东%s的", sh->name);
		int bad = !en || !zh || check_uscc(r, sh->uscc, en, zh, NULL) || check_idnum(r, sh->id_number, en, zh, NULL);
		if (!bad && sh->kind && strcmp(sh->kind, "company") != 0 && strcmp(sh->kind, "person") != 0)
			bad = ADD(r, "packet-json", NULL, "packet.json",
				  lp_strdupf("'packet.json': shareholders[%zu].kind: '%s' is not company or person", i, sh->kind),
				  lp_strdupf("'packet.json'：shareholders[%zu].kind：“%s”应为 company 或 person", i, sh->kind));
		free(en);
		free(zh);
		if (bad)
			return -1;
	}
	return 0;
}

/* Rules that are not files: registered capital, the annual-report window,
 * the time limit for changes, the prerequisite licence. */
static int check_rules(check_result *r, long today)
{
	const applicant *a = &r->app;
	const template_rules *rules = &r->tpl->rules;
	const char *pre_mat = material_with_expiry(r, EXPIRY_PREREQUISITE, PER_NONE);
	char date[16];

	if (rules->capital_min_wan_provincial || rules->capital_min_wan_nationwide) {
		int nationwide = a->coverage && strcmp(a->coverage, "nationwide") == 0;
		int min = nationwide ? rules->capital_min_wan_nationwide : rules->capital_min_wan_provincial;
		if (a->coverage && !nationwide && strcmp(a->coverage, "provincial") != 0 &&
		    ADD(r, "packet-json", NULL, "packet.json",
			lp_strdupf("'packet.json': company.coverage: '%s' is not provincial or nationwide", a->coverage),
			lp_strdupf("'packet.json'：company.coverage：“%s”应为 provincial 或 nationwide", a->coverage)))
			return -1;
		if (!a->has_capital) {
			if (ADD(r, "metadata-missing", NULL, "packet.json",
				lp_strdupf("'packet.json': company.capital_wan is not given: the registered capital cannot be checked"),
				lp_strdupf("'packet.json'：未填写 company.capital_wan（注册资本，万元），无法核对")))
				return -1;
		} else if (min > 0 && a->capital_wan < min &&
			   ADD(r, "capital-low", NULL, "packet.json",
			       lp_strdupf("registered capital %.0f万 is below the %d万 required for %s coverage", a->capital_wan, min,
					  nationwide ? "nationwide" : "provincial"),
			       lp_strdupf("注册资本 %.0f 万元，低于%s经营所需的 %d 万元", a->capital_wan,
					  nationwide ? "全国" : "省内", min))) {
			return -1;
		}
	}
	if (rules->annual_report) {
		/* open 1 Jan - 31 Mar; make-up until 30 Apr; locked from 1 May */
		int month;
		date_format(today, date, sizeof date);
		month = atoi(date + 5);
		if (month == 4 && ADD(r, "annual-window", NULL, NULL,
				      lp_strdupf("%s is in the make-up period (1-30 April): the annual report was due by 31 March", date),
				      lp_strdupf("%s 处于补报期（4 月 1 日至 30 日）：年报应在 3 月 31 日前提交", date)))
			return -1;
		if (month >= 5 &&
		    findings_add_sev(&r->findings, "annual-window", SEV_ERROR, NULL, NULL,
				     lp_strdupf("%s: the annual-report system is locked from 1 May; the next window opens on 1 January", date),
				     lp_strdupf("%s：年报系统自 5 月 1 日起锁定，下一次填报从 1 月 1 日开始", date)))
			return -1;
	}
	if (rules->change_within_days > 0) {
		long d;
		if (!a->change_date) {
			if (ADD(r, "metadata-missing", NULL, "packet.json",
				lp_strdupf("'packet.json': change.date is not given: the %d-day limit cannot be checked", rules->change_within_days),
				lp_strdupf("'packet.json'：未填写 change.date（变更日期），无法核对 %d 天时限", rules->change_within_days)))
				return -1;
		} else if (date_parse(a->change_date, &d) != 0) {
			if (ADD(r, "date-format", NULL, "packet.json",
				lp_strdupf("'packet.json': change.date: '%s' is not a date (YYYY-MM-DD)", a->change_date),
				lp_strdupf("'packet.json'：change.date：“%s”不是日期（应为 YYYY-MM-DD）", a->change_date)))
				return -1;
		} else if (today > d + rules->change_within_days) {
			date_format(d + rules->change_within_days, date, sizeof date);
			if (ADD(r, "change-late", NULL, "packet.json",
				lp_strdupf("the change of %s had to be filed within %d days, by %s", a->change_date,
					   rules->change_within_days, date),
				lp_strdupf("%s 的变更须在 %d 天内（%s 前）申请", a->change_date, rules->change_within_days, date)))
				return -1;
		}
	}
	if (pre_mat) {
		size_t k;
		int kind_ok = !rules->n_prerequisite_kinds;
		for (k = 0; a->prereq_kind && k < rules->n_prerequisite_kinds; k++)
			kind_ok |= strcmp(a->prereq_kind, rules->prerequisite_kinds[k]) == 0;
		if (!a->prereq_kind && !a->prereq_expiry) {
			if (ADD(r, "metadata-missing", pre_mat, "packet.json",
				lp_strdupf("'packet.json': prerequisite is not given: the licence this application rests on cannot be checked"),
				lp_strdupf("'packet.json'：未填写 prerequisite（前置许可证），无法核对")))
				return -1;
		} else if (!kind_ok) {
			if (ADD(r, "prerequisite", pre_mat, "packet.json",
				lp_strdupf("prerequisite licence of kind '%s': this application needs one of the kinds the template lists",
					   a->prereq_kind ? a->prereq_kind : "(none)"),
				lp_strdupf("前置许可证类型“%s”不符合要求", a->prereq_kind ? a->prereq_kind : "（未填）")))
				return -1;
		} else if (rules->prerequisite_nationwide &&
			   (!a->prereq_coverage || strcmp(a->prereq_coverage, "nationwide") != 0)) {
			if (ADD(r, "prerequisite", pre_mat, "packet.json",
				lp_strdupf("the prerequisite licence must be nationwide (prerequisite.coverage)"),
				lp_strdupf("前置许可证须为全国性许可（prerequisite.coverage）")))
				return -1;
		}
		if (check_date(r, "the prerequisite licence", "前置许可证", pre_mat, a->prereq_expiry, "prerequisite.expiry",
			       today, rules->prerequisite_min_valid_days, "prerequisite",
			       "it must stay valid longer for this application", "其剩余有效期不满足本申请的要求"))
			return -1;
	}
	return 0;
}

/* The licence number's form (ident.h): a typo or a filing number is an
 * error; a form licpack does not know is a warning, since bureaus have
 * issued more forms than are documented. */
static int check_licence_number(check_result *r, const char *num, const char *lic_mat)
{
	switch (num ? licence_number_form(num) : LICENCE_VALID) {
	case LICENCE_VALID:
		return 0;
	case LICENCE_FILING:
		return ADD(r, "licence-number", lic_mat, "packet.json",
			   lp_strdupf("licence number '%s' is an ICP filing (备案) number, not the licence's number "
				      "(京B2-20212732, 京ICP证030173号)", num),
			   lp_strdupf("许可证编号“%s”是ICP备案号，不是许可证编号（形如 京B2-20212732、京ICP证030173号）", num));
	case LICENCE_UNKNOWN:
		return ADD(r, "licence-number-unknown", lic_mat, "packet.json",
			   lp_strdupf("licence number '%s': not a form licpack knows (京B2-20212732, 京ICP证030173号); "
				      "check it against the licence", num),
			   lp_strdupf("许可证编号“%s”不是已知的格式（京B2-20212732、京ICP证030173号），请对照许可证核实", num));
	default:
		return ADD(r, "licence-number", lic_mat, "packet.json",
			   lp_strdupf("licence number '%s': expected a form like 京B2-20212732", num),
			   lp_strdupf("许可证编号“%s”格式错误，应形如 京B2-20212732", num));
	}
}

int check_metadata(check_result *r, long today)
{
	const applicant *a = &r->app;
	const template_rules *rules = &r->tpl->rules;
	const char *id_mat = material_with_expiry(r, EXPIRY_ID_CARD, PER_NONE);
	const char *dom_mat = material_with_expiry(r, EXPIRY_DOMAIN, PER_DOMAIN);
	const char *lic_mat = material_with_expiry(r, EXPIRY_LICENCE, PER_NONE);
	int renewal = r->tpl->action && strcmp(r->tpl->action, "renewal") == 0;
	size_t i;

	if (!a->present && a->found)
		return 0; /* packet.json exists but is unusable: its packet-json finding says why */
	if (!a->present)
		return ADD(r, "metadata-missing", NULL, "packet.json",
			   lp_strdupf("no packet.json: company, ID card, licence and domain details cannot be checked (licpack init writes one)"),
			   lp_strdupf("没有 packet.json：无法核对公司、身份证、许可证和域名信息（可用 licpack init 生成）"));
	for (i = 0; i < a->n_unfilled; i++)
		if (ADD(r, "unfilled", NULL, "packet.json",
			lp_strdupf("'packet.json': %s still holds a placeholder; fill it in", a->unfilled[i]),
			lp_strdupf("'packet.json'：%s 仍是占位内容，请填写", a->unfilled[i])))
			return -1;
	if (!a->company_name && !a->n_unfilled &&
	    ADD(r, "metadata-missing", NULL, "packet.json", lp_strdupf("'packet.json': company.name is not given"),
		lp_strdupf("'packet.json'：未填写 company.name（公司名称）")))
		return -1;
	if (check_uscc(r, a->company_uscc, "company's", "公司", "business-license") ||
	    check_idnum(r, a->rep_id_number, "legal representative's", "法定代表人", id_mat))
		return -1;
	if (id_mat && check_date(r, "the legal representative's ID card", "法定代表人身份证", id_mat, a->rep_id_expiry,
				 "legal_rep.id_expiry", today, rules->id_card_min_valid_days, "expires-soon",
				 "it must stay valid for the review; renew the ID card first",
				 "证件须在审核期间保持有效，请先更换身份证"))
		return -1;
	if (check_licence_number(r, a->licence_number, lic_mat))
		return -1;
	/* a renewal filed inside the window is refused: late applications are not renewed */
	if (lic_mat && check_date(r, "the current licence", "现有许可证", lic_mat, a->licence_expiry, "licence.expiry", today,
				  rules->licence_renew_before_days, renewal ? "renewal-late" : "expires-soon",
				  "a renewal must be filed at least 90 days before expiry",
				  "续期申请应在到期前至少 90 天提交"))
		return -1;
	for (i = 0; i < a->n_domains; i++) {
		const applicant_domain *d = &a->domains[i];
		char field[48], *en, *zh;
		int bad;
		snprintf(field, sizeof field, "domains[%zu].expiry", i);
		if (!domain_valid(d->name) &&
		    ADD(r, "domain-syntax", dom_mat, "packet.json",
			lp_strdupf("domain '%s' is not a valid domain name", d->name),
			lp_strdupf("域名“%s”格式错误", d->name)))
			return -1;
		en = lp_strdupf("domain %s", d->name);
		zh = lp_strdupf("域名 %s ", d->name);
		bad = !en || !zh ||
		      (dom_mat && check_date(r, en, zh, dom_mat, d->expiry, field, today, rules->domain_min_valid_days,
					     "expires-soon",
					     "it must stay valid through the review (5 days to accept, 60 to decide); renew it first",
					     "域名须在审查期间（受理 5 天、决定 60 天）保持有效，请先续费"));
		free(en);
		free(zh);
		if (bad)
			return -1;
	}
	return check_staff(r, today) || check_shareholders(r) || check_rules(r, today) ? -1 : 0;
}

