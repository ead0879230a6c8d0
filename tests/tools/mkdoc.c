/*
 * mkdoc: renders a fictitious document, marked 样本 SAMPLE, as a scan would
 * show it, and writes the fields it states as ground truth for the reading
 * tests (tests/read/accuracy.sh) and the samples (samples/make-samples.sh).
 *
 *   mkdoc KIND OUT.jpg|OUT.png [options]
 *   KIND: business-licence id-portrait id-emblem domain-cert licence signed-form
 *   --seed N          the random values (default 1); the same seed, the same bytes
 *   --font sans|serif|PATH   WenQuanYi Micro Hei (default) or AR PL UMing
 *   --dpi N           resolution (default 200); pages are A4, ID cards 85.6 x 54 mm
 *   --noise N         grey noise of amplitude N (0-100, default 0)
 *   --skew DEG        rotate by DEG degrees (-5 to 5) about the centre
 *   --rotate 0|90|180|270    turn the page clockwise (after the skew)
 *   --quality Q       JPEG quality (default 85)
 *   --bad-check       print the USCC / ID number with a wrong check character
 *   --truth FILE      write the ground truth there (default: OUT with .json)
 *   --ocr-copy FILE   also write what a reader sees: OUT decoded again (JPEG
 *                     losses included), in grey, scaled to --ocr-scale
 *                     percent (default 60), as PNG
 *   --set KEY=VALUE   a value instead of a random one: company uscc legal_rep
 *                     capital term_until id_name id_number id_issuer
 *                     id_valid_from id_valid_until domains (comma-separated)
 *                     holder licence_number expiry signed_date title, and
 *                     the printed-only founded term reg_date birth sex
 *
 * The ground truth has the keys tests/tools/readfields prints, with the
 * values a perfect reader would return: "" where the page states none, and
 * "" for an identifier printed with a wrong check character (whose printed
 * form is kept under "printed"). Every identifier is generated with a valid
 * check character (GB 32100, GB 11643); names, places and domains are made
 * from word lists that contain 样本 / 示例 or are plainly invented.
 * Exit 0, 2 for a usage error, 3 when a font or the output cannot be used.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <jpeglib.h>
#include <png.h>

#include "packet/ident.h"
#include "packet/imageio.h"

#define SANS_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define SERIF_FONT "/usr/share/fonts/truetype/arphic/uming.ttc"
#define MAX_DOMAINS 4

typedef enum { K_LICENCE_BIZ, K_ID_PORTRAIT, K_ID_EMBLEM, K_DOMAIN, K_LICENCE, K_FORM } kind;
static const char *const kind_names[] = {
	"business-licence", "id-portrait", "id-emblem", "domain-cert", "licence", "signed-form",
};

/* The values a document states (UTF-8), and how it is drawn. */
typedef struct {
	char company[128], uscc[19], legal_rep[32], capital[48], founded[32], term[64],
		term_until[16], id_name[32], id_number[19], sex[8], birth[40], issuer[96],
		id_valid_from[16], id_valid_until[16], domains[MAX_DOMAINS][64], holder[128],
		licence_number[48], expiry[16], reg_date[16], signed_date[16], title[96],
		printed_uscc[19], printed_id[19];
	size_t n_domains;
} doc_values;

typedef struct {
	int w, h;
	uint8_t *px;	/* RGB */
	double dpi;
	FT_Face face;
} canvas;

typedef struct {
	kind k;
	const char *out, *truth, *font, *ocr_copy;
	unsigned long seed;
	double dpi, skew;
	int noise, rotate, quality, bad_check, ocr_scale;
} options;

/* --- random values --------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

#define PICK(a) ((a)[pick(sizeof(a) / sizeof((a)[0]))])

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
					 "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗" };
static const char *const given[] = { "明", "华", "丽", "强", "芳", "军", "敏", "静", "伟", "磊",
				      "洋", "艳", "勇", "杰", "娟", "涛", "超", "霞", "平", "刚",
				      "晓", "文", "宇", "欣", "思", "雨", "嘉", "子", "启", "博" };
static const char *const places[] = { "示例", "样本", "虚构", "试样" };
static const char *const words[] = { "星河", "云帆", "启明", "蓝海", "青禾", "远航", "瑞丰",
				      "恒信", "新锐", "华彩", "启航", "明远", "博雅", "九章" };
static const char *const trades[] = { "科技", "网络科技", "信息技术", "数据服务", "电子商务",
				       "文化传媒", "软件", "互联网服务" };
static const char *const suffixes[] = { "有限公司", "有限公司", "股份有限公司" };
static const char *const provinces[] = { "京", "沪", "粤", "浙", "苏", "川", "鄂", "闽", "鲁", "津" };
static const char *const syllables[] = { "xing", "he", "yun", "fan", "qi", "ming", "lan", "hai",
					  "qing", "yuan", "rui", "feng", "bo", "ya", "jiu", "zhang" };
static const char *const tlds[] = { "com", "cn", "net", "com.cn" };

static void person(char *out, size_t size)
{
	snprintf(out, size, "%s%s%s", PICK(surnames), PICK(given), pick(3) ? PICK(given) : "");
}

static void company(char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s", PICK(places), PICK(words), PICK(trades), PICK(suffixes));
}

/* A random date between the years lo and hi (days 1-28: always exists). */
static void rdate(int lo, int hi, int *y, int *m, int *d)
{
	*y = lo + (int)pick((unsigned)(hi - lo + 1));
	*m = 1 + (int)pick(12);
	*d = 1 + (int)pick(28);
}

static void iso(char out[16], int y, int m, int d)
{
	snprintf(out, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 91 (enterprise), a 6-digit region, a 9-character organisation code,
 * the check character got from ident.c's checker. */
static void make_uscc(char out[19])
{
	char expected = 0;

	snprintf(out, 19, "91%02u%02u%02u", 11 + pick(55), pick(20), pick(20));
	for (int i = 8; i < 17; i++)
		out[i] = uscc_alphabet[pick(pick(2) ? 10 : 31)];
	out[17] = '0';
	out[18] = '\0';
	if (uscc_check(out, &expected) == IDENT_CHECK)
		out[17] = expected;
}

static void make_id(char out[19], int y, int m, int d)
{
	char expected = 0;

	snprintf(out, 19, "%02u%02u%02u%04d%02d%02d%03u0", 11 + pick(55), 1 + pick(20),
		 1 + pick(30), y, m, d, pick(1000));
	if (idcard_check(out, &expected) == IDENT_CHECK)
		out[17] = expected;
}

/* The same identifier with another check character from its alphabet. */
static void spoil_check(char *s, const char *alphabet)
{
	size_t n = strlen(alphabet);
	const char *p = strchr(alphabet, s[17]);
	size_t at = p ? (size_t)(p - alphabet) : 0;

	s[17] = alphabet[(at + 1 + pick((unsigned)n - 1)) % n];
}

static void make_domains(doc_values *v)
{
	v->n_domains = 1 + pick(3);
	for (size_t i = 0; i < v->n_domains; i++)
		snprintf(v->domains[i], sizeof v->domains[i], "yb%s%s%u.%s", PICK(syllables),
			 PICK(syllables), 10 + pick(90), PICK(tlds));
}

/* Every value, random from the seed; --set replaces some of them later. */
static void random_values(doc_values *v)
{
	int y, m, d, y2;

	memset(v, 0, sizeof *v);
	company(v->company, sizeof v->company);
	make_uscc(v->uscc);
	person(v->legal_rep, sizeof v->legal_rep);
	snprintf(v->capital, sizeof v->capital, "%u万元人民币", (1 + pick(50)) * 100);
	rdate(2005, 2022, &y, &m, &d);
	snprintf(v->founded, sizeof v->founded, "%d年%02d月%02d日", y, m, d);
	if (pick(2)) {
		snprintf(v->term, sizeof v->term, "%d年%02d月%02d日 至 长期", y, m, d);
		snprintf(v->term_until, sizeof v->term_until, "long-term");
	} else {
		snprintf(v->term, sizeof v->term, "%d年%02d月%02d日 至 %d年%02d月%02d日", y, m, d,
			 y + 30, m, d);
		iso(v->term_until, y + 30, m, d);
	}
	person(v->id_name, sizeof v->id_name);
	rdate(1960, 2000, &y, &m, &d);
	make_id(v->id_number, y, m, d);
	snprintf(v->sex, sizeof v->sex, "%s", (v->id_number[16] - '0') % 2 ? "男" : "女");
	snprintf(v->birth, sizeof v->birth, "%d 年 %d 月 %d 日", y, m, d);
	snprintf(v->issuer, sizeof v->issuer, "%s市公安局%s分局", PICK(places), PICK(words));
	rdate(2016, 2025, &y, &m, &d);
	iso(v->id_valid_from, y, m, d);
	y2 = pick(4) ? y + 10 + 10 * (int)pick(2) : 0;
	if (y2)
		iso(v->id_valid_until, y2, m, d);
	else
		snprintf(v->id_valid_until, sizeof v->id_valid_until, "long-term");
	make_domains(v);
	snprintf(v->holder, sizeof v->holder, "%s", v->company);
	rdate(2015, 2024, &y, &m, &d);
	iso(v->reg_date, y, m, d);
	snprintf(v->licence_number, sizeof v->licence_number, "%sB2-%d%04u", PICK(provinces),
		 2009 + (int)pick(16), pick(10000));
	rdate(2027, 2031, &y, &m, &d);
	iso(v->expiry, y, m, d);
	rdate(2026, 2026, &y, &m, &d);
	iso(v->signed_date, y, m, d);
	snprintf(v->title, sizeof v->title, "%s", pick(2) ? "依法经营承诺书" : "电信业务经营许可证续期申请表");
}

/* --- drawing --------------------------------------------------------------- */

static int px(const canvas *c, double mm)
{
	return (int)lround(mm * c->dpi / 25.4);
}

static void fill_rect(canvas *c, double x0, double y0, double x1, double y1, uint32_t rgb)
{
	int a = px(c, x0), b = px(c, y0), e = px(c, x1), f = px(c, y1);

	for (int y = b < 0 ? 0 : b; y < f && y < c->h; y++)
		for (int x = a < 0 ? 0 : a; x < e && x < c->w; x++) {
			uint8_t *p = c->px + 3 * ((size_t)y * (size_t)c->w + (size_t)x);
			p[0] = (uint8_t)(rgb >> 16);
			p[1] = (uint8_t)(rgb >> 8);
			p[2] = (uint8_t)rgb;
		}
}

/* A frame of width t mm inside the rectangle. */
static void frame(canvas *c, double x0, double y0, double x1, double y1, double t, uint32_t rgb)
{
	fill_rect(c, x0, y0, x1, y0 + t, rgb);
	fill_rect(c, x0, y1 - t, x1, y1, rgb);
	fill_rect(c, x0, y0, x0 + t, y1, rgb);
	fill_rect(c, x1 - t, y0, x1, y1, rgb);
}

/* Points inside the ellipse (or, with points > 0, the star) at cx,cy. */
static void fill_shape(canvas *c, double cx, double cy, double rx, double ry, int points,
		       uint32_t rgb)
{
	double X = cx * c->dpi / 25.4, Y = cy * c->dpi / 25.4;
	double RX = rx * c->dpi / 25.4, RY = ry * c->dpi / 25.4;

	for (int y = (int)(Y - RY); y <= (int)(Y + RY); y++)
		for (int x = (int)(X - RX); x <= (int)(X + RX); x++) {
			double dx = (x - X) / RX, dy = (y - Y) / RY, r = hypot(dx, dy), in;
			if (x < 0 || y < 0 || x >= c->w || y >= c->h)
				continue;
			if (points) {
				/* a star: the radius swings between 1 and 0.38 */
				double a = atan2(dx, -dy) * points / (2 * M_PI);
				double t = fabs(a - floor(a) - 0.5) * 2;
				in = r <= 0.38 + 0.62 * t;
			} else
				in = r <= 1;
			if (in) {
				uint8_t *p = c->px + 3 * ((size_t)y * (size_t)c->w + (size_t)x);
				p[0] = (uint8_t)(rgb >> 16);
				p[1] = (uint8_t)(rgb >> 8);
				p[2] = (uint8_t)rgb;
			}
		}
}

/* UTF-8 text with its top-left at x,y mm, size in points, ink colour rgb;
 * returns the width drawn in mm. Characters the font lacks are skipped. */
static double text(canvas *c, double x, double y, double pt, uint32_t rgb, const char *s)
{
	int pen = px(c, x), base;
	const unsigned char *u = (const unsigned char *)s;

	if (FT_Set_Char_Size(c->face, 0, (FT_F26Dot6)(pt * 64), (FT_UInt)c->dpi, (FT_UInt)c->dpi))
		return 0;
	base = px(c, y) + (int)(c->face->size->metrics.ascender >> 6);
	while (*u) {
		uint32_t cp = *u;
		int n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
		FT_Bitmap *bm;
		cp = n == 1 ? cp : n == 2 ? cp & 0x1F : n == 3 ? cp & 0x0F : cp & 0x07;
		for (int k = 1; k < n && u[k]; k++)
			cp = (cp << 6) | (u[k] & 0x3F);
		u += n;
		if (FT_Load_Char(c->face, cp, FT_LOAD_RENDER | FT_LOAD_NO_BITMAP))
			continue;
		bm = &c->face->glyph->bitmap;
		for (unsigned r = 0; r < bm->rows; r++)
			for (unsigned q = 0; q < bm->width; q++) {
				int X = pen + c->face->glyph->bitmap_left + (int)q;
				int Y = base - c->face->glyph->bitmap_top + (int)r;
				unsigned a = bm->buffer[r * (unsigned)bm->pitch + q];
				uint8_t *p;
				if (X < 0 || Y < 0 || X >= c->w || Y >= c->h || a == 0)
					continue;
				p = c->px + 3 * ((size_t)Y * (size_t)c->w + (size_t)X);
				for (int ch = 0; ch < 3; ch++) {
					unsigned ink = (rgb >> (16 - 8 * ch)) & 0xFF;
					p[ch] = (uint8_t)((p[ch] * (255 - a) + ink * a) / 255);
				}
			}
		pen += (int)(c->face->glyph->advance.x >> 6);
	}
	return (pen - px(c, x)) * 25.4 / c->dpi;
}

/* Text centred on the page's width. */
static void centred(canvas *c, double y, double pt, uint32_t rgb, const char *s)
{
	canvas probe = *c;
	double w;

	probe.w = probe.h = 0;	/* measure only: nothing lands on a 0x0 canvas */
	w = text(&probe, 0, y, pt, rgb, s);
	text(c, (c->w * 25.4 / c->dpi - w) / 2, y, pt, rgb, s);
}

#define INK 0x1A1A1A
#define GREY 0x555555
#define SAMPLE_BLUE 0x1E46B4

/* The band every page carries: 样本 SAMPLE, fictitious. */
static void sample_band(canvas *c, double y, double pt)
{
	centred(c, y, pt, SAMPLE_BLUE, "样本 SAMPLE · 虚构数据 FICTITIOUS TEST DATA");
}

/* A label and its value on one row. */
static void row(canvas *c, double x, double vx, double y, double pt, const char *label,
		const char *value)
{
	text(c, x, y, pt, INK, label);
	text(c, vx, y, pt, INK, value);
}

/* --- the documents --------------------------------------------------------- */

static void draw_business_licence(canvas *c, const doc_values *v)
{
	static const uint32_t green = 0x007850;
	double y = 92;

	frame(c, 8, 8, 202, 289, 3, green);
	sample_band(c, 13, 9);
	centred(c, 28, 40, green, "营 业 执 照");
	centred(c, 50, 16, INK, "（副  本）");
	row(c, 25, 70, 72, 13, "统一社会信用代码", v->printed_uscc);
	row(c, 25, 70, y, 13, "名        称", v->company);
	row(c, 25, 70, y += 13, 13, "类        型", "有限责任公司");
	row(c, 25, 70, y += 13, 13, "法定代表人", v->legal_rep);
	row(c, 25, 70, y += 13, 13, "注册资本", v->capital);
	row(c, 25, 70, y += 13, 13, "成立日期", v->founded);
	row(c, 25, 70, y += 13, 13, "营业期限", v->term);
	row(c, 25, 70, y += 13, 13, "住        所", "示例省示例市示例区示例路1号");
	row(c, 25, 70, y += 13, 13, "经营范围", "第二类增值电信业务；软件开发");
	text(c, 125, 235, 13, INK, "登记机关");
	text(c, 118, 255, 13, INK, "2025 年 01 月 01 日");
}

static void draw_id_portrait(canvas *c, const doc_values *v)
{
	static const uint32_t lab = 0x3C5A8C;

	fill_rect(c, 0, 0, 85.6, 54, 0xECF2F8);
	frame(c, 0.5, 0.5, 85.1, 53.5, 0.4, 0x96AAC8);
	/* the photo first, cut off above the number: a grey silhouette, plainly nobody */
	fill_rect(c, 58, 5, 80, 37, 0xD7DEE6);
	fill_shape(c, 69, 16, 5, 6.5, 0, 0x969EAA);
	fill_shape(c, 69, 37, 10, 12, 0, 0x969EAA);
	fill_rect(c, 55, 37, 85, 53, 0xECF2F8);
	text(c, 6, 5, 8, lab, "姓名");
	text(c, 17, 4.5, 11, INK, v->id_name);
	text(c, 6, 12, 8, lab, "性别");
	text(c, 17, 11.5, 10, INK, v->sex);
	text(c, 29, 12, 8, lab, "民族");
	text(c, 39, 11.5, 10, INK, "汉");
	text(c, 6, 19, 8, lab, "出生");
	text(c, 17, 18.5, 10, INK, v->birth);
	text(c, 6, 26, 8, lab, "住址");
	text(c, 17, 25.5, 10, INK, "示例省示例市示例区");
	text(c, 17, 31, 10, INK, "示例路1号101室");
	text(c, 6, 43, 8, lab, "公民身份号码");
	text(c, 27, 42, 12, INK, v->printed_id);
	text(c, 6, 49, 5, SAMPLE_BLUE, "样本 SAMPLE · 虚构 FICTITIOUS");
}

static void draw_id_emblem(canvas *c, const doc_values *v)
{
	static const uint32_t lab = 0x3C5A8C;
	char period[48];
	int y, m, d;

	fill_rect(c, 0, 0, 85.6, 54, 0xF0F4EC);
	frame(c, 0.5, 0.5, 85.1, 53.5, 0.4, 0xA0B496);
	/* a plain red star, not the national emblem */
	fill_shape(c, 15, 15, 9, 9, 5, 0xC81414);
	text(c, 30, 7, 11, 0x282828, "中华人民共和国");
	text(c, 30, 15, 18, 0x282828, "居民身份证");
	sscanf(v->id_valid_from, "%d-%d-%d", &y, &m, &d);
	if (strcmp(v->id_valid_until, "long-term") == 0)
		snprintf(period, sizeof period, "%04d.%02d.%02d-长期", y, m, d);
	else
		snprintf(period, sizeof period, "%04d.%02d.%02d-%.4s.%.2s.%.2s", y, m, d,
			 v->id_valid_until, v->id_valid_until + 5, v->id_valid_until + 8);
	text(c, 14, 35, 8, lab, "签发机关");
	text(c, 29, 34.5, 10, INK, v->issuer);
	text(c, 14, 42, 8, lab, "有效期限");
	text(c, 29, 41.5, 10, INK, period);
	text(c, 6, 49, 5, SAMPLE_BLUE, "样本 SAMPLE · 虚构 FICTITIOUS");
}

static void draw_domain_cert(canvas *c, const doc_values *v)
{
	static const uint32_t blue = 0x143C8C;
	double y = 85;

	frame(c, 9, 10, 201, 288, 2.5, blue);
	sample_band(c, 15, 9);
	centred(c, 32, 30, blue, "域名注册证书");
	centred(c, 50, 10, GREY, "DOMAIN NAME CERTIFICATE (SAMPLE)");
	for (size_t i = 0; i < v->n_domains; i++, y += 12)
		row(c, 30, 75, y, 13, i ? "" : "域名", v->domains[i]);
	row(c, 30, 75, y += 4, 13, "域名持有者", v->holder);
	row(c, 30, 75, y += 14, 13, "注册日期", v->reg_date);
	row(c, 30, 75, y += 14, 13, "到期日期", v->expiry);
	row(c, 30, 75, y += 14, 13, "注册服务机构", "示例域名注册服务机构（虚构）");
}

static void draw_licence(canvas *c, const doc_values *v)
{
	char expiry[40];
	double y = 92;

	snprintf(expiry, sizeof expiry, "%.4s年%.2s月%.2s日", v->expiry, v->expiry + 5, v->expiry + 8);
	frame(c, 8, 9, 202, 289, 3, 0xB48C3C);
	sample_band(c, 14, 9);
	centred(c, 28, 20, INK, "中华人民共和国");
	centred(c, 42, 28, INK, "增值电信业务经营许可证");
	text(c, 25, 72, 13, INK, "经营许可证编号：");
	text(c, 72, 72, 13, INK, v->licence_number);
	row(c, 25, 72, y, 13, "公司名称", v->company);
	row(c, 25, 72, y += 13, 13, "法定代表人", v->legal_rep);
	row(c, 25, 72, y += 13, 13, "业务种类", "第二类增值电信业务中的信息服务业务");
	row(c, 25, 72, y += 13, 13, "业务覆盖范围", "示例省");
	row(c, 25, 72, y += 13, 13, "有效期至", expiry);
	text(c, 125, 235, 13, INK, "发证机关");
	text(c, 118, 255, 13, INK, "2022 年 04 月 30 日");
}

static void draw_form(canvas *c, const doc_values *v)
{
	char line[160], date[48];

	snprintf(date, sizeof date, "%.4s 年 %.2s 月 %.2s 日", v->signed_date, v->signed_date + 5,
		 v->signed_date + 8);
	sample_band(c, 10, 9);
	centred(c, 28, 22, INK, v->title);
	row(c, 25, 75, 60, 13, "申请单位（盖章）", v->company);
	row(c, 25, 75, 73, 13, "统一社会信用代码", v->printed_uscc);
	snprintf(line, sizeof line, "本单位成立于%s，现就电信业务经营许可事项郑重承诺：", v->founded);
	text(c, 25, 95, 12, INK, line);
	text(c, 25, 107, 12, INK, "一、遵守电信管理法律法规，依法经营；");
	text(c, 25, 119, 12, INK, "二、所提交的申请材料真实、完整、有效。");
	text(c, 25, 200, 13, INK, "法定代表人（签字）：");
	text(c, 118, 230, 13, INK, date);
}

/* --- the scan: skew, turn, noise ------------------------------------------- */

/* The canvas turned by deg degrees about its centre (bilinear, white
 * corners); returns 0 or -1 when out of memory. */
static int skew(canvas *c, double deg)
{
	double a = deg * M_PI / 180, ca = cos(a), sa = sin(a), cx = c->w / 2.0, cy = c->h / 2.0;
	uint8_t *out = malloc((size_t)c->w * (size_t)c->h * 3);

	if (!out)
		return -1;
	for (int y = 0; y < c->h; y++)
		for (int x = 0; x < c->w; x++) {
			double sx = ca * (x - cx) + sa * (y - cy) + cx;
			double sy = -sa * (x - cx) + ca * (y - cy) + cy;
			int x0 = (int)floor(sx), y0 = (int)floor(sy);
			double fx = sx - x0, fy = sy - y0;
			uint8_t *o = out + 3 * ((size_t)y * (size_t)c->w + (size_t)x);
			for (int ch = 0; ch < 3; ch++) {
				double acc = 0;
				for (int k = 0; k < 4; k++) {
					int X = x0 + (k & 1), Y = y0 + (k >> 1);
					double wgt = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
					double val = 255;
					if (X >= 0 && Y >= 0 && X < c->w && Y < c->h)
						val = c->px[3 * ((size_t)Y * (size_t)c->w + (size_t)X) + (size_t)ch];
					acc += wgt * val;
				}
				o[ch] = (uint8_t)lround(acc);
			}
		}
	free(c->px);
	c->px = out;
	return 0;
}

/* Turned clockwise by 90, 180 or 270 degrees; 0 or -1 out of memory. */
static int turn(canvas *c, int deg)
{
	int w = deg == 180 ? c->w : c->h, h = deg == 180 ? c->h : c->w;
	uint8_t *out;

	if (deg == 0)
		return 0;
	out = malloc((size_t)w * (size_t)h * 3);
	if (!out)
		return -1;
	for (int y = 0; y < c->h; y++)
		for (int x = 0; x < c->w; x++) {
			int X = deg == 90 ? c->h - 1 - y : deg == 180 ? c->w - 1 - x : y;
			int Y = deg == 90 ? x : deg == 180 ? c->h - 1 - y : c->w - 1 - x;
			memcpy(out + 3 * ((size_t)Y * (size_t)w + (size_t)X),
			       c->px + 3 * ((size_t)y * (size_t)c->w + (size_t)x), 3);
		}
	free(c->px);
	c->px = out;
	c->w = w;
	c->h = h;
	return 0;
}

/* Grey noise of amplitude n, and paper a little off white. */
static void add_noise(canvas *c, int n)
{
	for (size_t i = 0; i < (size_t)c->w * (size_t)c->h; i++) {
		int d = n ? (int)pick((unsigned)(2 * n + 1)) - n : 0;
		for (int ch = 0; ch < 3; ch++) {
			int val = c->px[3 * i + (size_t)ch] + d - (n ? 4 : 0);
			c->px[3 * i + (size_t)ch] = (uint8_t)(val < 0 ? 0 : val > 255 ? 255 : val);
		}
	}
}

/* --- output ---------------------------------------------------------------- */

/* c as a baseline JPEG of that quality (packet/imageio.c's encoder),
 * declaring its density in whole dots per inch. */
static int write_jpeg(const canvas *c, const char *path, int quality)
{
	const imageio_enc o = { quality, 0, 0, floor(c->dpi), floor(c->dpi) };
	uint8_t *jpg;
	size_t len;
	lp_err err;
	FILE *f;
	int ret = -1;

	if (imageio_encode(c->px, (uint32_t)c->w, (uint32_t)c->h, 3, &o, &jpg, &len, &err) != 0)
		return -1;
	if ((f = fopen(path, "wb")) != NULL) {
		ret = fwrite(jpg, 1, len, f) == len ? 0 : -1;
		if (fclose(f) != 0)
			ret = -1;
	}
	free(jpg);
	return ret;
}

static int write_png(const canvas *c, const char *path)
{
	png_structp png = NULL;
	png_infop info = NULL;
	FILE *f = fopen(path, "wb");
	int ret = -1;

	if (!f)
		return -1;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png)
		info = png_create_info_struct(png);
	if (!png || !info || setjmp(png_jmpbuf(png)))
		goto cleanup;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_pHYs(png, info, (png_uint_32)lround(c->dpi / 0.0254),
		     (png_uint_32)lround(c->dpi / 0.0254), PNG_RESOLUTION_METER);
	png_write_info(png, info);
	for (int y = 0; y < c->h; y++)
		png_write_row(png, c->px + 3 * (size_t)y * (size_t)c->w);
	png_write_end(png, info);
	ret = 0;
cleanup:
	png_destroy_write_struct(&png, &info);
	if (fclose(f) != 0)
		ret = -1;
	return ret;
}

static void json_pair(FILE *f, const char *key, const char *value, int *first)
{
	fprintf(f, "%s\"%s\": \"", *first ? "" : ", ", key);
	for (; *value; value++) {
		if (*value == '"' || *value == '\\')
			fputc('\\', f);
		fputc(*value, f);
	}
	fputc('"', f);
	*first = 0;
}

/* The ground truth: what a perfect reader returns for this page. */
static int write_truth(const char *path, kind k, const doc_values *v)
{
	FILE *f = fopen(path, "w");
	int first = 1, uscc_shown = k == K_LICENCE_BIZ || k == K_FORM;
	int good_uscc = strcmp(v->uscc, v->printed_uscc) == 0;
	int good_id = strcmp(v->id_number, v->printed_id) == 0;

	if (!f)
		return -1;
	fputc('{', f);
	json_pair(f, "kind", kind_names[k], &first);
	json_pair(f, "company", k == K_LICENCE_BIZ || k == K_LICENCE || k == K_FORM ? v->company : "", &first);
	json_pair(f, "uscc", uscc_shown && good_uscc ? v->uscc : "", &first);
	json_pair(f, "legal_rep", k == K_LICENCE_BIZ || k == K_LICENCE ? v->legal_rep : "", &first);
	json_pair(f, "registered_capital", k == K_LICENCE_BIZ ? v->capital : "", &first);
	json_pair(f, "term_until", k == K_LICENCE_BIZ ? v->term_until : "", &first);
	json_pair(f, "id_name", k == K_ID_PORTRAIT ? v->id_name : "", &first);
	json_pair(f, "id_number", k == K_ID_PORTRAIT && good_id ? v->id_number : "", &first);
	json_pair(f, "id_issuer", k == K_ID_EMBLEM ? v->issuer : "", &first);
	json_pair(f, "id_valid_until", k == K_ID_EMBLEM ? v->id_valid_until : "", &first);
	fprintf(f, ", \"domains\": [");
	for (size_t i = 0; k == K_DOMAIN && i < v->n_domains; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", v->domains[i]);
	fprintf(f, "]");
	json_pair(f, "holder", k == K_DOMAIN ? v->holder : "", &first);
	json_pair(f, "licence_number", k == K_LICENCE ? v->licence_number : "", &first);
	json_pair(f, "expiry", k == K_DOMAIN || k == K_LICENCE ? v->expiry : "", &first);
	json_pair(f, "signed_date", k == K_FORM ? v->signed_date : "", &first);
	fprintf(f, ", \"printed\": {");
	first = 1;
	json_pair(f, "uscc", uscc_shown ? v->printed_uscc : "", &first);
	json_pair(f, "id_number", k == K_ID_PORTRAIT ? v->printed_id : "", &first);
	fprintf(f, "}}\n");
	return fclose(f) == 0 ? 0 : -1;
}

/* The JPEG at path decoded into c (RGB), replacing its pixels; 0 or -1. */
static int read_back_jpeg(canvas *c, const char *path)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_error_mgr jerr;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	/* our own file, just written: libjpeg's default error exit is enough */
	cinfo.err = jpeg_std_error(&jerr);
	jpeg_create_decompress(&cinfo);
	jpeg_stdio_src(&cinfo, f);
	jpeg_read_header(&cinfo, TRUE);
	cinfo.out_color_space = JCS_RGB;
	jpeg_start_decompress(&cinfo);
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW r = c->px + 3 * (size_t)cinfo.output_scanline * (size_t)c->w;
		jpeg_read_scanlines(&cinfo, &r, 1);
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	fclose(f);
	return 0;
}

/* c in grey, scaled by pct percent (area average), as a PNG at path. */
static int write_ocr_copy(const canvas *c, const char *path, int pct)
{
	canvas g = *c;
	int ret;
	double f = 100.0 / pct;

	g.w = (int)(c->w * pct / 100);
	g.h = (int)(c->h * pct / 100);
	g.dpi = c->dpi * pct / 100;
	g.px = malloc((size_t)g.w * (size_t)g.h * 3);
	if (!g.px)
		return -1;
	for (int y = 0; y < g.h; y++)
		for (int x = 0; x < g.w; x++) {
			int x0 = (int)(x * f), x1 = (int)((x + 1) * f), y0 = (int)(y * f), y1 = (int)((y + 1) * f);
			unsigned long sum = 0, n = 0;
			for (int yy = y0; yy < y1 && yy < c->h; yy++)
				for (int xx = x0; xx < x1 && xx < c->w; xx++, n++) {
					const uint8_t *p = c->px + 3 * ((size_t)yy * (size_t)c->w + (size_t)xx);
					sum += (299u * p[0] + 587u * p[1] + 114u * p[2]) / 1000u;
				}
			memset(g.px + 3 * ((size_t)y * (size_t)g.w + (size_t)x), n ? (int)(sum / n) : 255, 3);
		}
	ret = write_png(&g, path);
	free(g.px);
	return ret;
}

/* --- options --------------------------------------------------------------- */

/* KEY=VALUE into v; 0, or -1 for an unknown key or a value too long. */
static int set_value(doc_values *v, const char *kv)
{
	static const struct {
		const char *key;
		size_t off, size;
	} keys[] = {
#define K(name, field) { name, offsetof(doc_values, field), sizeof(((doc_values *)0)->field) }
		K("company", company), K("uscc", uscc), K("legal_rep", legal_rep),
		K("capital", capital), K("term_until", term_until), K("id_name", id_name),
		K("id_number", id_number), K("id_issuer", issuer), K("id_valid_from", id_valid_from),
		K("id_valid_until", id_valid_until), K("holder", holder),
		K("licence_number", licence_number), K("expiry", expiry),
		K("signed_date", signed_date), K("title", title), K("founded", founded),
		K("birth", birth), K("sex", sex), K("term", term), K("reg_date", reg_date),
#undef K
	};
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : 0;

	if (!eq)
		return -1;
	if (klen == 7 && strncmp(kv, "domains", 7) == 0) {
		const char *p = eq + 1;
		v->n_domains = 0;
		while (*p && v->n_domains < MAX_DOMAINS) {
			size_t n = strcspn(p, ",");
			if (n >= sizeof v->domains[0])
				return -1;
			memcpy(v->domains[v->n_domains], p, n);
			v->domains[v->n_domains++][n] = '\0';
			p += n + (p[n] == ',');
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i].key) == klen && strncmp(kv, keys[i].key, klen) == 0) {
			if (strlen(eq + 1) >= keys[i].size)
				return -1;
			strcpy((char *)v + keys[i].off, eq + 1);
			return 0;
		}
	return -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: mkdoc KIND OUT.jpg|OUT.png [--seed N] [--font sans|serif|PATH] "
			"[--dpi N] [--noise N] [--skew DEG] [--rotate 0|90|180|270] [--quality Q] "
			"[--bad-check] [--truth FILE] [--ocr-copy FILE [--ocr-scale P]] "
			"[--set KEY=VALUE]...\n"
			"  KIND: business-licence id-portrait id-emblem domain-cert licence signed-form\n");
	return 2;
}

/* argv into o and the values (random from the seed, then --set); 0 or 2. */
static int parse_args(int argc, char **argv, options *o, doc_values *v)
{
	int k;

	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->dpi = 200;
	o->quality = 85;
	o->font = SANS_FONT;
	o->ocr_scale = 60;
	if (argc < 3)
		return usage();
	for (k = 0; k < 6 && strcmp(argv[1], kind_names[k]) != 0; k++)
		;
	if (k == 6)
		return usage();
	o->k = (kind)k;
	o->out = argv[2];
	/* the seed first: --set values then replace the random ones */
	for (int i = 3; i + 1 < argc; i++)
		if (strcmp(argv[i], "--seed") == 0)
			o->seed = strtoul(argv[i + 1], NULL, 10);
	rng_state = o->seed * 0x2545F4914F6CDD1Dull + 1;
	random_values(v);
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--bad-check") == 0) {
			o->bad_check = 1;
			continue;
		}
		if (!val)
			return usage();
		i++;
		if (strcmp(a, "--seed") == 0)
			continue;
		else if (strcmp(a, "--font") == 0)
			o->font = strcmp(val, "sans") == 0 ? SANS_FONT :
				  strcmp(val, "serif") == 0 ? SERIF_FONT : val;
		else if (strcmp(a, "--dpi") == 0)
			o->dpi = atof(val);
		else if (strcmp(a, "--noise") == 0)
			o->noise = atoi(val);
		else if (strcmp(a, "--skew") == 0)
			o->skew = atof(val);
		else if (strcmp(a, "--rotate") == 0)
			o->rotate = atoi(val);
		else if (strcmp(a, "--quality") == 0)
			o->quality = atoi(val);
		else if (strcmp(a, "--truth") == 0)
			o->truth = val;
		else if (strcmp(a, "--ocr-copy") == 0)
			o->ocr_copy = val;
		else if (strcmp(a, "--ocr-scale") == 0)
			o->ocr_scale = atoi(val);
		else if (strcmp(a, "--set") != 0 || set_value(v, val) != 0)
			return usage();
	}
	if (o->dpi < 50 || o->dpi > 600 || o->noise < 0 || o->noise > 100 || fabs(o->skew) > 5 ||
	    (o->rotate != 0 && o->rotate != 90 && o->rotate != 180 && o->rotate != 270) ||
	    o->quality < 1 || o->quality > 100 || o->ocr_scale < 10 || o->ocr_scale > 100)
		return usage();
	return 0;
}

int main(int argc, char **argv)
{
	static void (*const draw[])(canvas *, const doc_values *) = {
		draw_business_licence, draw_id_portrait, draw_id_emblem,
		draw_domain_cert, draw_licence, draw_form,
	};
	options o;
	doc_values v;
	canvas c = { 0 };
	FT_Library ft = NULL;
	char truth[4096];
	const char *ext;
	int ret = parse_args(argc, argv, &o, &v), card;

	if (ret)
		return ret;
	ret = 3;
	snprintf(v.printed_uscc, sizeof v.printed_uscc, "%s", v.uscc);
	snprintf(v.printed_id, sizeof v.printed_id, "%s", v.id_number);
	if (o.bad_check) {
		spoil_check(v.printed_uscc, uscc_alphabet);
		spoil_check(v.printed_id, "0123456789X");
	}
	if (FT_Init_FreeType(&ft) || FT_New_Face(ft, o.font, 0, &c.face)) {
		fprintf(stderr, "mkdoc: cannot open the font '%s'\n", o.font);
		goto cleanup;
	}
	card = o.k == K_ID_PORTRAIT || o.k == K_ID_EMBLEM;
	c.dpi = o.dpi;
	c.w = px(&c, card ? 85.6 : 210);
	c.h = px(&c, card ? 54 : 297);
	c.px = malloc((size_t)c.w * (size_t)c.h * 3);
	if (!c.px)
		goto cleanup;
	memset(c.px, 255, (size_t)c.w * (size_t)c.h * 3);
	draw[o.k](&c, &v);
	if ((o.skew != 0 && skew(&c, o.skew) != 0) || turn(&c, o.rotate) != 0)
		goto cleanup;
	add_noise(&c, o.noise);
	ext = strrchr(o.out, '.');
	if ((ext && strcmp(ext, ".png") == 0 ? write_png(&c, o.out) : write_jpeg(&c, o.out, o.quality))) {
		fprintf(stderr, "mkdoc: cannot write '%s': %s\n", o.out, strerror(errno));
		goto cleanup;
	}
	if (o.ocr_copy && ((ext && strcmp(ext, ".png") == 0 ? 0 : read_back_jpeg(&c, o.out)) != 0 ||
			   write_ocr_copy(&c, o.ocr_copy, o.ocr_scale) != 0)) {
		fprintf(stderr, "mkdoc: cannot write '%s'\n", o.ocr_copy);
		goto cleanup;
	}
	if (!o.truth) {
		snprintf(truth, sizeof truth, "%.*s.json", ext ? (int)(ext - o.out) : (int)strlen(o.out), o.out);
		o.truth = truth;
	}
	if (write_truth(o.truth, o.k, &v) != 0) {
		fprintf(stderr, "mkdoc: cannot write '%s': %s\n", o.truth, strerror(errno));
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(c.px);
	if (c.face)
		FT_Done_Face(c.face);
	if (ft)
		FT_Done_FreeType(ft);
	return ret;
}
