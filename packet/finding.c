/*
 * finding: the list of findings and the table of finding codes.
 *
 * The code table is the one place that says which codes exist, how severe
 * each is by default, and what it means; `grep '"low-dpi"'` lands here and at
 * the check that emits it.
 */
#include "packet/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const finding_code finding_codes[] = {
	/* materials */
	{ "missing", SEV_ERROR, "a required material has no file", "缺少必需材料" },
	{ "too-few", SEV_ERROR, "fewer files than the material needs", "文件数量不足" },
	{ "too-many", SEV_ERROR, "more files than the material allows", "文件数量过多" },
	{ "ambiguous", SEV_WARNING, "a file name matches two materials equally well", "文件名同时匹配两种材料" },
	{ "unrecognized", SEV_WARNING, "a file matches no material and is left out", "文件无法识别，未纳入材料包" },
	{ "person-unknown", SEV_WARNING, "a per-person file does not name its person", "无法判断文件对应的人员或股东" },
	{ "domain-unknown", SEV_WARNING, "a per-domain file does not name its domain", "无法判断文件对应的域名" },
	/* files */
	{ "empty", SEV_ERROR, "the file is empty (0 bytes)", "文件为空（0 字节）" },
	{ "corrupt", SEV_ERROR, "the file is damaged or incomplete", "文件损坏或不完整" },
	{ "format", SEV_ERROR, "the file's format is not accepted", "文件格式不被接受" },
	{ "encrypted", SEV_ERROR, "the PDF needs a password", "PDF 文件需要密码" },
	{ "repaired", SEV_WARNING, "the PDF is damaged but could be repaired", "PDF 文件有损坏，已可修复读取" },
	{ "too-large", SEV_ERROR, "the image declares more pixels than allowed", "图片像素数超过上限" },
	{ "too-big", SEV_ERROR, "the file is larger than allowed", "文件大小超过上限" },
	{ "too-small", SEV_ERROR, "the image has too few pixels", "图片分辨率过低" },
	{ "low-dpi", SEV_WARNING, "the scan's resolution is below the recommendation", "扫描分辨率低于建议值" },
	{ "greyscale", SEV_ERROR, "a colour copy is required", "需要彩色扫描件" },
	{ "seal-missing", SEV_WARNING, "no red company seal was seen", "未发现红色公章" },
	{ "duplicate", SEV_ERROR, "the same file is used twice", "同一文件被重复使用" },
	{ "orientation", SEV_WARNING, "the EXIF orientation is invalid and was ignored", "EXIF 方向标记无效，已忽略" },
	{ "unreadable", SEV_ERROR, "the file cannot be read", "文件无法读取" },
	{ "symlink", SEV_WARNING, "a symbolic link leaves the folder and is refused", "符号链接指向文件夹之外，已拒绝" },
	{ "not-regular", SEV_WARNING, "not a regular file: skipped", "不是普通文件，已跳过" },
	/* packet.json and metadata */
	{ "packet-json", SEV_ERROR, "packet.json cannot be used", "packet.json 无法使用" },
	{ "assignment", SEV_ERROR, "a file assigned in packet.json cannot be used", "packet.json 指定的文件无法使用" },
	{ "metadata-missing", SEV_WARNING, "applicant information is missing from packet.json", "packet.json 缺少申请人信息" },
	{ "uscc-format", SEV_ERROR, "the unified social credit code is malformed", "统一社会信用代码格式错误" },
	{ "uscc-checksum", SEV_WARNING, "the unified social credit code's check character does not match", "统一社会信用代码校验位不符" },
	{ "idcard-format", SEV_ERROR, "the ID number is malformed", "身份证号码格式错误" },
	{ "idcard-checksum", SEV_ERROR, "the ID number's check digit does not match", "身份证号码校验位不符" },
	{ "domain-syntax", SEV_ERROR, "a domain name is malformed", "域名格式错误" },
	{ "licence-number", SEV_ERROR, "the licence number is malformed", "许可证编号格式错误" },
	{ "date-format", SEV_ERROR, "a date is not YYYY-MM-DD", "日期格式应为 YYYY-MM-DD" },
	{ "expired", SEV_ERROR, "a document has expired", "证件已过期" },
	{ "expires-soon", SEV_WARNING, "a document expires within the required window", "证件即将到期" },
	{ "renewal-late", SEV_ERROR, "the licence expires too soon for a renewal to be accepted", "距许可证到期不足续期所需时间" },
	{ "unfilled", SEV_ERROR, "packet.json still holds a placeholder", "packet.json 中仍有未填写的占位内容" },
	{ "staff-missing", SEV_ERROR, "a required staff member is not listed", "缺少所需的人员信息" },
	{ "capital-low", SEV_ERROR, "the registered capital is below the minimum", "注册资本低于最低要求" },
	{ "annual-window", SEV_WARNING, "outside the annual-report window", "不在年报填报期内" },
	{ "change-late", SEV_ERROR, "the change was not filed within the time limit", "变更申请已超过时限" },
	{ "prerequisite", SEV_ERROR, "the prerequisite licence does not qualify", "前置许可证不符合要求" },
};
const size_t n_finding_codes = sizeof finding_codes / sizeof finding_codes[0];

const finding_code *finding_code_find(const char *code)
{
	size_t i;

	for (i = 0; i < n_finding_codes; i++)
		if (strcmp(finding_codes[i].code, code) == 0)
			return &finding_codes[i];
	return NULL;
}

static char *dup_or_null(const char *s, int *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = 1;
	return d;
}

int findings_add_sev(finding_list *l, const char *code, severity sev, const char *material,
		     const char *file, char *msg_en, char *msg_zh)
{
	finding *f;
	int failed = 0;

	if (!msg_en || !msg_zh)
		goto fail;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		finding *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			goto fail;
		l->v = v;
		l->cap = cap;
	}
	f = &l->v[l->n];
	f->code = code;
	f->sev = sev;
	f->material = dup_or_null(material, &failed);
	f->file = dup_or_null(file, &failed);
	f->msg_en = msg_en;
	f->msg_zh = msg_zh;
	if (failed) {
		free(f->material);
		free(f->file);
		goto fail;
	}
	l->n++;
	return 0;
fail:
	free(msg_en);
	free(msg_zh);
	return -1;
}

int findings_add(finding_list *l, const char *code, const char *material, const char *file,
		 char *msg_en, char *msg_zh)
{
	const finding_code *fc = finding_code_find(code);

	/* An unknown code is a programming error; keep it visible as an error. */
	return findings_add_sev(l, fc ? fc->code : code, fc ? fc->sev : SEV_ERROR, material, file,
				msg_en, msg_zh);
}

size_t findings_count(const finding_list *l, severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->v[i].sev == sev;
	return n;
}

void findings_release(finding_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].material);
		free(l->v[i].file);
		free(l->v[i].msg_en);
		free(l->v[i].msg_zh);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
