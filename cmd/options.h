/*
 * options: the one table of a command's options. Each command lists its
 * options once, as cmd_option rows (long name, short letter or id, the
 * value's name, help in English and Chinese); from that table come the
 * getopt_long parser (cmd_parser), the options part of --help (print_help),
 * and `licpack --list-options NAME`, which the man-page test and the shell
 * completions read. The options that several commands share are written
 * once, below, as OPTION_* rows.
 */
#ifndef LICPACK_CMD_OPTIONS_H
#define LICPACK_CMD_OPTIONS_H

#include <getopt.h>
#include <stdio.h>

typedef struct {
	const char *name;    /* the long name, without "--"; NULL ends a table */
	int id;              /* what the parser returns: the short letter (-o), or an OPT_* id */
	const char *arg;     /* NULL for a flag; else the value's name in --help ("OUTDIR") */
	const char *help;    /* one line, or several separated by '\n' */
	const char *help_zh;
} cmd_option;

/* A command's --help: the text before the options (usage lines and what the
 * command does), the options, and the text after them (exit status), in
 * English and Chinese. tail and tail_zh may be NULL. */
typedef struct {
	const char *head, *head_zh;
	const cmd_option *options;
	const char *tail, *tail_zh;
} cmd_help;

/* Ids of the options without a short form. Each command's own start at OPT_OWN. */
enum { OPT_TEMPLATES = 256, OPT_LANG, OPT_TODAY, OPT_MAX_PIXELS, OPT_ALLOW, OPT_NO_WM, OPT_ZIPNAMES,
       OPT_FONT, OPT_SYNC, OPT_MAX_DEPTH, OPT_NO_THUMBS, OPT_OFFICE_TIMEOUT, OPT_NO_READ, OPT_CACHE, OPT_NO_CACHE,
       OPT_PORTAL, OPT_PROFILES, OPT_MAX_FILE_MB, OPT_MAX_PX_UPLOAD, OPT_ID_LAYOUT, OPT_NO_UPLOAD,
       OPT_MAX_PDF_MB, OPT_OWN };

#define OPTION_TEMPLATE \
	{ "template", 't', "ID", "template (default: \"template\" in DIR/packet.json)", \
	  "模板（默认：文件夹中 packet.json 的 \"template\"）" }
#define OPTION_REGION \
	{ "region", 'r', "R", "region overlay (default: \"region\" in packet.json)", \
	  "地区版本（默认：packet.json 的 \"region\"）" }
#define OPTION_TEMPLATES \
	{ "templates", OPT_TEMPLATES, "DIR", "add or override templates from DIR/*.json", \
	  "用 DIR/*.json 增加或替换模板" }
#define OPTION_LANG \
	{ "lang", OPT_LANG, "LANG", "zh or en (default: from LC_ALL, LC_MESSAGES, LANG)", \
	  "zh 或 en（默认：按 LC_ALL、LC_MESSAGES、LANG）" }
#define OPTION_TODAY \
	{ "today", OPT_TODAY, "DATE", "YYYY-MM-DD: today, for the date checks and the\npacket (default: SOURCE_DATE_EPOCH, else the clock)", \
	  "作为今天的日期（YYYY-MM-DD），用于有效期检查和材料包\n（默认：SOURCE_DATE_EPOCH，否则为系统时钟）" }
#define OPTION_MAX_PIXELS \
	{ "max-pixels", OPT_MAX_PIXELS, "N", "refuse images declaring more pixels (default 100000000)", \
	  "拒绝声明像素数超过 N 的图片（默认 100000000）" }
#define OPTION_MAX_DEPTH \
	{ "max-depth", OPT_MAX_DEPTH, "N", "read N levels of folders, the applicant's folder\nbeing 1 (default 16)", \
	  "最多读取 N 层文件夹，申请人文件夹本身算第 1 层（默认 16）" }
#define OPTION_OFFICE_TIMEOUT \
	{ "office-timeout", OPT_OFFICE_TIMEOUT, "S", "give LibreOffice S seconds to convert an Office\ndocument to PDF (default 120)", \
	  "'LibreOffice' 转换一份办公文档为 PDF 最多用 S 秒（默认 120）" }
#define OPTION_ALLOW \
	{ "allow-incomplete", OPT_ALLOW, NULL, "build anyway; the cover is marked 材料不全 / INCOMPLETE", \
	  "材料不全也生成材料包，封面标注“材料不全 / INCOMPLETE”" }
#define OPTION_NO_WM \
	{ "no-watermark", OPT_NO_WM, NULL, "no purpose watermark on ID card pages", "身份证页面不加用途水印" }
#define OPTION_NO_THUMBS \
	{ "no-thumbnails", OPT_NO_THUMBS, NULL, "report.html without images of the scans", "report.html 中不放扫描件的缩略图" }
#define OPTION_ZIPNAMES \
	{ "zip-names", OPT_ZIPNAMES, "STYLE", "zh (default: 01_营业执照副本.jpg) or ascii\n(01_business-license.jpg) for portals that refuse\nChinese names", \
	  "zh（默认：01_营业执照副本.jpg）或 ascii\n（01_business-license.jpg，用于不接受中文文件名的系统）" }
#define OPTION_FONT \
	{ "font", OPT_FONT, "PATH", "CJK TrueType font (default: found with fontconfig)", \
	  "中文 TTF/TTC 字体文件（默认：用 fontconfig 查找）" }
#define OPTION_SYNC \
	{ "sync", OPT_SYNC, NULL, "flush every output to disk before it takes its name\n(survives a crash of the machine; slower)", \
	  "每个输出文件先写入磁盘再改为正式文件名\n（机器意外断电也不丢失；较慢）" }
/* the portal the upload folder is for (check reports what build will fit) */
#define OPTIONS_PORTAL \
	{ "portal", OPT_PORTAL, "NAME", "portal profile of upload/ (default miit;\n'licpack portals list')", \
	  "upload/ 所针对的上传系统配置（默认 'miit'；\n见 'licpack portals list'）" }, \
	{ "profiles", OPT_PROFILES, "DIR", "add or override portal profiles from DIR/*.json", \
	  "用 DIR/*.json 增加或替换上传系统配置" }, \
	{ "max-file-mb", OPT_MAX_FILE_MB, "N", "largest upload file, in MB of 1000000 bytes\n(default: the profile's)", \
	  "上传文件的大小上限，单位 MB（1000000 字节；默认按配置）" }, \
	{ "max-pixels-upload", OPT_MAX_PX_UPLOAD, "N", "most pixels of an upload image (default: the profile's)", \
	  "上传图片的像素数上限（默认按配置）" }
/* reading the scans (check, build, batch) */
#define OPTIONS_READ \
	{ "no-read", OPT_NO_READ, NULL, "do not read the scans' content (as LICPACK_NO_READ=1)", \
	  "不识别扫描件内容（同 LICPACK_NO_READ=1）" }, \
	{ "cache", OPT_CACHE, "DIR", "keep reads in DIR (default: $XDG_CACHE_HOME/licpack)", \
	  "识别结果缓存到 DIR（默认：$XDG_CACHE_HOME/licpack）" }, \
	{ "no-cache", OPT_NO_CACHE, NULL, "read every scan again; keep nothing", "每次重新识别，不保存识别结果" }
/* build's and batch's options for the packet they write */
#define OPTION_ID_LAYOUT \
	{ "id-layout", OPT_ID_LAYOUT, "L", "together (default: both sides of an ID card on one\npage, at true size) or separate (a page each)", \
	  "'together'（默认：身份证正反面按原大印在同一页）\n或 'separate'（每面一页）" }
#define OPTION_MAX_PDF_MB \
	{ "max-pdf-mb", OPT_MAX_PDF_MB, "N", "split the combined PDF into volumes under N MB\n(MB of 1000000 bytes; a material is never split)", \
	  "把合并 PDF 分成不超过 N MB 的分册\n（MB 为 1000000 字节；一份材料不会被拆开）" }
#define OPTION_NO_UPLOAD \
	{ "no-upload", OPT_NO_UPLOAD, NULL, "no upload/ folder", "不生成 upload/ 文件夹" }
#define OPTIONS_PACKET OPTION_ALLOW, OPTION_NO_WM, OPTION_NO_THUMBS, OPTION_ZIPNAMES, OPTION_FONT, OPTION_ID_LAYOUT, \
	OPTION_NO_UPLOAD, OPTIONS_PORTAL
/* how check, build and batch run: language, date, limits */
#define OPTIONS_RUN OPTION_LANG, OPTION_TODAY, OPTION_MAX_PIXELS, OPTION_MAX_DEPTH, OPTION_OFFICE_TIMEOUT
#define OPTION_HELP { "help", 'h', NULL, "show this help", "显示本帮助" }
#define OPTION_END { NULL, 0, NULL, NULL, NULL }

/* The getopt_long parser of one table. cmd_parser_init resets getopt
 * (optind = 1, no messages of its own: option_error says what is wrong);
 * cmd_parser_next returns getopt_long's answer: an option's id, ':' for a
 * missing value, '?' for an unknown option, -1 at the end. */
#define CMD_MAX_OPTIONS 40
typedef struct {
	struct option longopts[CMD_MAX_OPTIONS + 1];
	char shorts[2 * CMD_MAX_OPTIONS + 2];
} cmd_parser;

void cmd_parser_init(cmd_parser *p, const cmd_option *options);
int cmd_parser_next(cmd_parser *p, int argc, char **argv);

/* --help: head, the options (one per line, help aligned in one column,
 * Chinese when the message language is), tail; to stdout. Returns 0. */
int print_help(const cmd_help *h);

/* `--list-options`: one long option a line ("--name", "--name=" when it takes
 * a value, then " -x" when it has the short form -x). */
void list_options(FILE *f, const cmd_option *options);

#endif
