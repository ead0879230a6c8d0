/*
 * msg: the message language, Chinese errno texts, and the translation of
 * the library errors cmd/ prints (see msg.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/msg.h"
#include "packet/util.h"

static lp_lang message_lang = LANG_EN;

void msg_set_lang(lp_lang lang)
{
	message_lang = lang;
}

lp_lang msg_lang(void)
{
	return message_lang;
}

void msg_lang_init(int argc, char **argv)
{
	lp_lang lang;
	int i;

	if (lang_choose(NULL, &lang) == 0)
		message_lang = lang;
	/* the last valid --lang wins, as it will in the command's own parser */
	for (i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			v = argv[i] + 7;
		if (v && lang_choose(v, &lang) == 0)
			message_lang = lang;
	}
}

/* ---------------------------------------------------------- errno --- */

const char *msg_strerror(int errnum)
{
	return message_lang == LANG_ZH ? lp_strerror_zh(errnum) : strerror(errnum);
}

/* The Chinese for a strerror() text that a library put into its message
 * (licpack never calls setlocale, so strerror speaks English), or NULL. */
static const char *errno_text_zh(const char *text, size_t len)
{
	return lp_errno_text_zh(text, len);
}

/* ------------------------------------------------ library messages --- */

/* English pattern (%s: any text, the shortest that lets the rest match)
 * and its Chinese: $N is the Nth %s as it was, @N the Nth %s translated in
 * turn (an errno text, or a detail this table knows). First match wins.
 * The patterns follow the messages of packet/ and pdf/ as they are written
 * there; one that no longer matches only falls back to the generic form. */
static const struct {
	const char *en;
	const char *zh;
} lib_zh[] = {
	{ "out of memory", "内存不足" },
	/* files: output.c, zipout.c, check.c, template_set.c, summary.c, pdf/ */
	{ "cannot read '%s': %s", "无法读取 '$1'（@2）" },
	{ "cannot create '%s': %s", "无法创建 '$1'（@2）" },
	{ "cannot write '%s': %s", "无法写入 '$1'（@2）" },
	{ "cannot rename into '%s': %s", "无法写入 '$1'（@2）" },
	{ "cannot rename '%s' to '%s': %s", "无法把 '$1' 改名为 '$2'（@3）" },
	{ "cannot open directory '%s': %s", "无法打开文件夹 '$1'（@2）" },
	{ "cannot read directory '%s': %s", "无法读取文件夹 '$1'（@2）" },
	{ "cannot open font '%s': %s", "无法打开字体 '$1'（@2）" },
	{ "cannot read font '%s': %s", "无法读取字体 '$1'（@2）" },
	{ "cannot use font '%s': %s", "无法使用字体 '$1'（@2）" },
	{ "cannot open '%s': %s", "无法打开 '$1'（@2）" },
	{ "cannot resolve '%s': %s", "无法解析路径 '$1'（@2）" },
	{ "cannot remove '%s': %s", "无法删除 '$1'（@2）" },
	{ "cannot add '%s': %s", "无法把 '$1' 放入压缩包（@2）" },
	{ "cannot create a temporary file beside '%s': %s", "无法在 '$1' 旁创建临时文件（@2）" },
	{ "cannot set the mode of '%s': %s", "无法设置 '$1' 的权限（@2）" },
	{ "cannot lock '%s': %s", "无法锁定 '$1'（@2）" },
	{ "'%s' holds files that licpack did not write", "'$1' 里有不是 licpack 写的文件" },
	{ "no PDF trailer at its end (the file is cut short)", "文件末尾没有 PDF 尾部（文件不完整）" },
	{ "its cross-reference table is not where its trailer says", "交叉引用表不在文件尾部所指的位置（文件不完整）" },
	{ "no zip directory at its end", "文件末尾没有 zip 目录（文件不完整）" },
	{ "the file is shorter than what was written", "文件比写入的内容短（文件不完整）" },
	{ "cannot read it back: %s", "无法读回（@1）" },
	{ "not a folder", "不是文件夹" },
	{ "not a regular file", "不是普通文件" },
	{ "file shrank while read", "读取过程中文件变小了" },
	/* fonts: pdf/font.c (the details of --font PATH) */
	{ "not a TrueType font (too short)", "不是 TTF/TTC 字体文件（文件过短）" },
	{ "not a TrueType font", "不是 TTF/TTC 字体文件" },
	{ "CFF outlines (OpenType/CFF), which libharu cannot embed", "是 CFF 轮廓的 OTF 字体，无法嵌入 PDF（请改用 TTF/TTC 字体）" },
	{ "font collection has no font number %s", "字体集中没有第 $1 号字体" },
	{ "font number %s asked of a single font", "单个字体文件中没有第 $1 号字体（只有第 0 号）" },
	{ "font has no glyphs", "字体中没有字形" },
	{ "no '%s' table", "字体缺少 '$1' 表" },
	{ "invalid 'head' table (units per em %s)", "字体的 'head' 表无效（units per em 为 $1）" },
	{ "invalid 'hhea' table (%s metrics for %s glyphs)", "字体的 'hhea' 表无效（$2 个字形却有 $1 项水平度量）" },
	/* templates: template_*.c */
	{ "unknown template '%s' (known: %s)", "没有模板 '$1'（可用的模板：$2）" },
	{ "unknown region '%s' for template '%s' (known: %s)", "模板 '$2' 没有地区 '$1'（可用的地区：$3）" },
	{ "unknown region '%s' for template '%s' (it has no regions)", "模板 '$2' 没有地区 '$1'（该模板没有地区版本）" },
	{ "template '%s' is an abstract base: use one of the templates that extend it",
	  "模板 '$1' 是基础模板，不能直接使用：请改用继承它的模板" },
	{ "%s:%s:%s: JSON syntax error near '%s'", "'$1' 第 $2 行第 $3 列：JSON 语法错误（'$4' 附近）" },
	{ "%s:%s:%s: JSON syntax error at end of file", "'$1' 第 $2 行第 $3 列：JSON 语法错误（文件意外结束）" },
	{ "%s:%s:%s: JSON syntax error", "'$1' 第 $2 行第 $3 列：JSON 语法错误" },
	{ "%s:%s:%s: not valid UTF-8 text (byte %s)", "'$1' 第 $2 行第 $3 列：不是有效的 UTF-8 文本（字节 $4）" },
	{ "%s: file is empty", "'$1'：文件为空" },
	{ "%s: file is larger than 1 MiB", "'$1'：文件超过 1 MiB" },
	{ "%s: file holds only white space", "'$1'：文件中只有空白字符" },
	{ "%s: extends: unknown template '%s'", "'$1'：extends 指向不存在的模板 '$2'" },
	{ "%s: extends: loop: %s", "'$1'：extends 构成循环（$2）" },
	{ "%s: no materials", "'$1'：没有任何材料" },
	/* check.c */
	{ "'%s': no template: give --template ID or set \"template\" in packet.json (licpack templates list)",
	  "'$1'：未指定模板：请用 --template ID 指定，或在 packet.json 中填写 \"template\"（'licpack templates list' 列出全部模板）" },
	{ "'%s': no template: packet.json cannot be used (%s): fix it or give --template ID",
	  "'$1'：无法确定模板：packet.json 无法使用（@2）：请修正它，或用 --template ID 指定" },
	/* why packet.json cannot be used: applicant.c */
	{ "'packet.json':%s:%s: not valid JSON", "'packet.json' 第 $1 行第 $2 列：不是有效的 JSON" },
	{ "'packet.json':%s:%s: text after the end of the JSON value", "'packet.json' 第 $1 行第 $2 列：JSON 值结束后还有多余内容" },
	{ "'packet.json':%s:%s: a NUL byte: not JSON text", "'packet.json' 第 $1 行第 $2 列：含有 NUL 字节，不是 JSON 文本" },
	{ "'packet.json':%s:%s: nested more than %s arrays or objects deep", "'packet.json' 第 $1 行第 $2 列：数组或对象嵌套超过 $3 层" },
	{ "'packet.json': larger than %s bytes", "'packet.json'：超过 $1 字节" },
	{ "'packet.json': symbolic link to a place outside the folder: refused", "'packet.json'：符号链接指向文件夹之外，已拒绝" },
	{ "'packet.json': symbolic link to nothing (broken): refused", "'packet.json'：符号链接已失效，已拒绝" },
	{ "'packet.json': not a regular file (a folder, FIFO, socket or device)", "'packet.json'：不是普通文件（是文件夹、管道、套接字或设备）" },
	{ "'packet.json': cannot read: %s", "'packet.json'：无法读取：@1" },
	{ "'packet.json': %s: expected an object", "'packet.json'：$1：应为对象" },
	/* summaries: summary.c */
	{ "'%s' is not a licpack result file", "'$1' 不是 licpack 的结果文件" },
	{ "'%s': not JSON", "'$1'：不是 JSON 文件" },
	{ "'%s' is not a licpack batch summary", "'$1' 不是 'licpack batch' 写的汇总文件" },
	{ "'%s': shard %s does not fit with the others (another N, or a shard given twice)",
	  "'$1'：分片 $2 与其他分片对不上（N 不同，或同一分片给了两次）" },
	{ "'%s': an applicant without a name or a status", "'$1'：有申请人缺少名称或状态" },
	{ "'%s' is in more than one summary", "'$1' 出现在不止一份汇总中" },
	{ "summary rows out of order at '%s'", "汇总行的顺序有误（在 '$1' 处）" },
	{ "a summary row without an applicant or a status", "汇总中有一行缺少申请人或状态" },
	/* the PDF and the zip: pdf/, zipout.c */
	{ "cannot decode the PNG: %s", "无法解码 PNG 图片（$1）" },
	{ "'%s': too large for the PDF", "'$1'：图片过大，无法放入 PDF" },
	{ "'%s': cannot put the JPEG into the PDF", "'$1'：无法把该 JPEG 放入 PDF" },
	{ "'%s': the image has no size", "'$1'：图片没有尺寸信息" },
	{ "'%s' changed since it was checked: check the folder again", "'$1' 在检查之后被改动过：请重新检查该文件夹" },
	{ "cannot read '%s' again: %s", "无法再次读取 '$1'（@2）" },
	{ "'%s' was not read when the folder was checked", "检查文件夹时未能读取 '$1'" },
	{ "'%s': cannot check its PDF files: %s", "'$1'：无法检查其中的 PDF 文件（$2）" },
	{ "cannot include '%s': %s", "无法放入 '$1'（$2）" },
	{ "cannot write the PDF: %s", "无法生成 PDF（$1）" },
	{ "cannot load '%s': %s", "无法加载 '$1'（$2）" },
};

typedef struct {
	const char *s;
	size_t len;
} span;

#define MAX_CAPS 6

/* Does s match pattern p? Captures go to caps from index n on. */
static int match(const char *p, const char *s, span *caps, int n)
{
	for (;;) {
		if (p[0] == '%' && p[1] == 's') {
			const char *e;
			if (n >= MAX_CAPS)
				return 0;
			for (e = s;; e++) {
				caps[n].s = s;
				caps[n].len = (size_t)(e - s);
				if (match(p + 2, e, caps, n + 1))
					return 1;
				if (!*e)
					return 0;
			}
		}
		if (*p != *s)
			return 0;
		if (!*p)
			return 1;
		p++;
		s++;
	}
}

/* Append s[0..len) to buf (size bytes, *used of them used), cutting at the end. */
static void put(char *buf, size_t size, size_t *used, const char *s, size_t len)
{
	if (*used + 1 >= size)
		return;
	if (len > size - 1 - *used)
		len = size - 1 - *used;
	memcpy(buf + *used, s, len);
	*used += len;
	buf[*used] = '\0';
}

static int translate(const char *err, char *buf, size_t size, int depth);

/* A captured detail, translated when the tables know it. */
static void put_detail(char *buf, size_t size, size_t *used, const span *c, int depth)
{
	char text[1024], sub[1024];
	const char *zh = errno_text_zh(c->s, c->len);
	size_t n = c->len < sizeof text - 1 ? c->len : sizeof text - 1;

	if (zh) {
		put(buf, size, used, zh, strlen(zh));
		return;
	}
	memcpy(text, c->s, n);
	text[n] = '\0';
	if (depth < 2 && translate(text, sub, sizeof sub, depth + 1) == 0)
		put(buf, size, used, sub, strlen(sub));
	else
		put(buf, size, used, c->s, c->len);
}

/* err in Chinese by the table; 0, or -1 when no pattern matches. */
static int translate(const char *err, char *buf, size_t size, int depth)
{
	span caps[MAX_CAPS];
	size_t i, used = 0;
	const char *z;

	for (i = 0; i < sizeof lib_zh / sizeof lib_zh[0]; i++) {
		if (!match(lib_zh[i].en, err, caps, 0))
			continue;
		buf[0] = '\0';
		for (z = lib_zh[i].zh; *z; z++) {
			if ((*z == '$' || *z == '@') && z[1] >= '1' && z[1] <= '0' + MAX_CAPS) {
				const span *c = &caps[z[1] - '1'];
				if (*z == '$')
					put(buf, size, &used, c->s, c->len);
				else
					put_detail(buf, size, &used, c, depth);
				z++;
			} else {
				put(buf, size, &used, z, 1);
			}
		}
		return 0;
	}
	return -1;
}

const char *msg_lib(const char *err, const char *fallback_zh, char *buf, size_t len)
{
	if (message_lang != LANG_ZH || !err || !err[0] || len == 0)
		return err;
	if (translate(err, buf, len, 0) == 0)
		return buf;
	snprintf(buf, len, "%s（%s）", fallback_zh ? fallback_zh : "出错", err);
	return buf;
}

void lp_error_lib(const char *err, const char *fallback_zh)
{
	char buf[2048];

	lp_error("%s", msg_lib(err, fallback_zh, buf, sizeof buf));
}
