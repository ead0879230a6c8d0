/*
 * read_check: an applicant folder's scans read, several at a time, and the
 * findings drawn from what they say (the interface is in read_check.h).
 *
 * Two passes, each on the same threads: the turns of the pages to read
 * (orientation detection), then, the orientation engines let go, their
 * text (peak memory: 12 scans 216 -> 185 MB). The threads (packet/pool)
 * take the next file in turn; each gets the file's bytes as they were checked (check_file_bytes, so a file changed
 * since is not read), looks in the cache, else reads the page, and keeps
 * the result in the file's own slot. The findings are added afterwards, in
 * packet order, so that the report is the same however the threads ran.
 */
#include "packet/read_check.h"
#include "packet/read_cache.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "packet/ident.h"
#include "packet/pool.h"

typedef struct {
	check_result *r;
	const struct read_setup *s;
	int turning;    /* the first pass: the pages' turns (turn_one) */
	read_turn *turns; /* 2 a file: its first page's turn, a PDF's last page's */
	unsigned char *have; /* a file's bit 0: turns[2i] found; bit 1: turns[2i+1] */
} read_pool;

/* Whether f is a file the reader takes, as the probe could read it: a JPEG
 * or PNG scan, or a PDF (the scans its pages are, read_pdf). */
static int readable(const checked_file *f)
{
	return f->sha256[0] &&
	       (f->info.format == FMT_JPEG || f->info.format == FMT_PNG || f->info.format == FMT_PDF) &&
	       (f->info.status == PROBE_OK || f->info.status == PROBE_REPAIRED);
}

/* The clockwise turn EXIF orientation o applies to show the stored pixels
 * (1: none; 3: 180; 6: 90; 8: 270); mirrored ones count as none. */
static int exif_turn(int o)
{
	return o == 3 ? 180 : o == 6 ? 90 : o == 8 ? 270 : 0;
}

int read_upright_exif(int turn)
{
	return turn == 180 ? 3 : turn == 90 ? 8 : turn == 270 ? 6 : 1;
}

void read_id_digest(const unsigned char key[32], const char *id, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	out[0] = '\0';
	if (!c)
		return;
	if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 && EVP_DigestUpdate(c, key, 32) == 1 &&
	    EVP_DigestUpdate(c, id, strlen(id)) == 1 && EVP_DigestFinal_ex(c, md, &n) == 1 && n == 32)
		for (unsigned k = 0; k < 32; k++)
			snprintf(out + 2 * k, 3, "%02x", md[k]);
	EVP_MD_CTX_free(c);
}

/* The values text states, as fr keeps them: the ID number only masked and
 * as a digest. */
static void keep_fields(const struct read_setup *s, read_doc_kind hint, struct file_read *fr, const char *text)
{
	read_fields_parse(text, hint, &fr->fields);
	if (fr->fields.id_number[0]) {
		idcard_mask(fr->fields.id_number, fr->id_masked, sizeof fr->id_masked);
		read_id_digest(s->key, fr->fields.id_number, fr->id_digest);
		memset(fr->fields.id_number, 0, sizeof fr->fields.id_number);
	}
}

/* Read one image, JPEG or PNG bytes, into fr (nothing cached); t: its
 * turn, found already, or NULL. */
static void read_image(const struct read_setup *s, read_doc_kind hint, const uint8_t *data, size_t len,
		       file_format fmt, const read_turn *t, struct file_read *fr)
{
	read_page pg;

	if (reader_page_turned(s->rd, data, len, fmt, t, &pg) != 0) {
		fr->status = READ_PAGE_FAILED;
		return;
	}
	fr->status = pg.status;
	fr->turn = pg.orientation;
	fr->confidence = pg.confidence;
	if (pg.text)
		keep_fields(s, hint, fr, pg.text);
	read_page_release(&pg);
}

/* Read a PDF's scanned pages into fr: its first page, which says what the
 * document is (a licence's 正文, a card's side, a certificate) and holds
 * the values compared, orientation and legibility; for a signed form of
 * more than one page its last page too, where it is signed (the latest
 * date of the two is kept). A page that is not one scanned JPEG
 * (pdf_page_jpegs) is not read: a first page so is READ_PAGE_FORMAT. */
static void read_pdf(const struct read_setup *s, read_doc_kind hint, const uint8_t *data, size_t len, int pages,
		     const read_turn *const t[2], struct file_read *fr)
{
	pdf_jpeg_page pg = { NULL, 0, 0 };
	struct file_read last;

	if (pdf_page_jpegs(data, len, 0, 1, &pg) != 1) {
		free(pg.jpeg);
		fr->status = READ_PAGE_FORMAT;
		return;
	}
	read_image(s, hint, pg.jpeg, pg.len, FMT_JPEG, t[0], fr);
	free(pg.jpeg);
	pg.jpeg = NULL;
	if (fr->status != READ_PAGE_OK || hint != READ_DOC_SIGNED_FORM || pages < 2 ||
	    pdf_page_jpegs(data, len, pages - 1, 1, &pg) != 1) {
		free(pg.jpeg);
		return;
	}
	memset(&last, 0, sizeof last);
	read_image(s, hint, pg.jpeg, pg.len, FMT_JPEG, t[1], &last);
	free(pg.jpeg);
	if (last.status == READ_PAGE_OK && strcmp(last.fields.signed_date, fr->fields.signed_date) > 0)
		memcpy(fr->fields.signed_date, last.fields.signed_date, sizeof fr->fields.signed_date);
}

/* Read the file data[0..len) (its SHA-256 sha; a PDF of pages pages) into
 * fr: from the cache, or read now and cached; t: the turns of its first
 * and (a PDF's) last page, each found already or NULL. */
static void read_scan(const struct read_setup *s, read_doc_kind hint, const uint8_t *data, size_t len,
		      file_format fmt, int pages, const read_turn *const t[2], const char *sha, struct file_read *fr)
{
	if (s->cache_dir && read_cache_get(s->cache_dir, sha, reader_version(s->rd), fr) == 1) {
		fr->cached = 1;
		return;
	}
	if (fmt == FMT_PDF)
		read_pdf(s, hint, data, len, pages, t, fr);
	else
		read_image(s, hint, data, len, fmt, t[0], fr);
	if (s->cache_dir && (fr->status == READ_PAGE_OK || fr->status == READ_PAGE_TOO_LARGE))
		read_cache_put(s->cache_dir, sha, reader_version(s->rd), fr);
}

/* The first pass: the turns of the pages of file i that the second will
 * read (none for a file read already or cached), so that the orientation
 * engines are let go before the text engines recognise (peak memory). */
static void turn_one(read_pool *p, size_t i, lp_buffer *scratch)
{
	const checked_file *f = &p->r->files[i];
	const struct read_setup *s = p->s;
	struct file_read cached;
	const uint8_t *data = NULL;
	size_t len = 0;
	lp_err err;

	if (f->read || !readable(f) ||
	    (s->cache_dir && read_cache_get(s->cache_dir, f->sha256, reader_version(s->rd), &cached) == 1) ||
	    check_file_bytes(p->r, i, scratch, &data, &len, &err) != 0)
		return;
	if (f->info.format != FMT_PDF) {
		if (reader_turn(s->rd, data, len, f->info.format, &p->turns[2 * i]) == 0)
			p->have[i] |= 1;
		return;
	}
	/* the pages read_pdf reads */
	for (int k = 0; k < 2; k++) {
		pdf_jpeg_page pg = { NULL, 0, 0 };
		if (k && (p->r->tpl->materials[f->material].read.as != READ_DOC_SIGNED_FORM || f->info.pages < 2))
			break;
		if (pdf_page_jpegs(data, len, k ? f->info.pages - 1 : 0, 1, &pg) == 1 &&
		    reader_turn(s->rd, pg.jpeg, pg.len, FMT_JPEG, &p->turns[2 * i + k]) == 0)
			p->have[i] |= (unsigned char)(1u << k);
		free(pg.jpeg);
	}
}

/* The second pass: file i's text. Returns 0, or -1 out of memory (fail
 * filled). */
static int read_one(read_pool *p, size_t i, lp_buffer *scratch, lp_err *fail)
{
	checked_file *f = &p->r->files[i];
	struct file_read *fr = f->read;
	const uint8_t *data = NULL;
	size_t len = 0;
	lp_err err;

	if (fr)
		goto shown; /* read already, to find its material (read_by_content) */
	fr = calloc(1, sizeof *fr);
	if (!fr)
		return lp_nomem(fail);
	f->read = fr;
	if (!readable(f)) {
		fr->status = READ_PAGE_FORMAT;
		return 0;
	}
	/* the bytes only when the cache does not have the read */
	if (!(p->s->cache_dir && read_cache_get(p->s->cache_dir, f->sha256, reader_version(p->s->rd), fr) == 1)) {
		if (check_file_bytes(p->r, i, scratch, &data, &len, &err) != 0) {
			fr->status = READ_PAGE_UNDECODABLE;
			return 0;
		}
		const read_turn *t[2] = { p->have[i] & 1 ? &p->turns[2 * i] : NULL,
					  p->have[i] & 2 ? &p->turns[2 * i + 1] : NULL };
		read_scan(p->s, p->r->tpl->materials[f->material].read.as, data, len, f->info.format,
			  f->info.pages, t, f->sha256, fr);
	} else {
		fr->cached = 1;
	}
shown:
	if (fr->status == READ_PAGE_OK)
		fr->shown_turn = ((fr->turn - exif_turn(f->info.orientation)) % 360 + 360) % 360;
	return 0;
}

int read_by_content(const check_result *r, const struct read_setup *s, const char *root, const char *rel,
		    int *mat, int *entity, struct file_read **out)
{
	struct file_read *fr = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	char *path, sha[65];
	const material *m;
	file_format fmt;
	struct stat st;
	int fd, ret = 0;

	*mat = *entity = -1;
	*out = NULL;
	if (!s->rd)
		return 0;
	if (!(path = lp_path_join(root, rel)))
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || lp_read_fd(fd, READ_CONTENT_MAX_BYTES, &data, &len) != 0) {
		close(fd);
		return 0;
	}
	close(fd);
	fmt = len > 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF ? FMT_JPEG
	    : len > 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0 ? FMT_PNG
	    : len > 5 && memcmp(data, "%PDF-", 5) == 0 ? FMT_PDF : FMT_UNKNOWN;
	if (fmt == FMT_UNKNOWN || lp_sha256_hex(data, len, sha) != 0)
		goto cleanup;
	if (!(fr = calloc(1, sizeof *fr))) {
		ret = -1;
		goto cleanup;
	}
	/* a PDF by its first page (no form, so no last page) */
	{
		const read_turn *none[2] = { NULL, NULL };
		read_scan(s, READ_DOC_UNKNOWN, data, len, fmt, 1, none, sha, fr);
	}
	m = fr->status == READ_PAGE_OK ? read_kind_material(r->tpl, fr->fields.kind) : NULL;
	if (!m)
		goto cleanup;
	if (m->per == PER_DOMAIN) {
		/* a domain certificate: for one of packet.json's domains */
		for (size_t k = 0; *entity < 0 && k < fr->fields.n_domains; k++)
			for (size_t d = 0; d < r->app.n_domains; d++)
				if (r->app.domains[d].name && strcasecmp(r->app.domains[d].name, fr->fields.domains[k]) == 0)
					*entity = (int)d;
		if (*entity < 0)
			goto cleanup;
	} else if (m->per != PER_NONE) {
		goto cleanup; /* whose it is cannot be told from the content */
	}
	*mat = (int)(m - r->tpl->materials);
	*out = fr;
	fr = NULL;
cleanup:
	free(fr);
	free(data);
	return ret;
}

/* pool_run's work: file i in the pass p is in, with the thread's scratch
 * buffer */
static int work(void *arg, size_t i, void *scratch, lp_err *err)
{
	read_pool *p = arg;

	if (!p->turning)
		return read_one(p, i, scratch, err);
	turn_one(p, i, scratch);
	return 0;
}

#define ADD(r, code, f, en, zh) findings_add(&(r)->findings, code, (r)->tpl->materials[(f)->material].id, \
					     (f)->rel, en, zh)

/* The findings on one file read. Returns 0, or -1 out of memory. */
static int file_findings(check_result *r, checked_file *f)
{
	const struct file_read *fr = f->read;
	const char *rel = f->rel;
	int ret = 0;

	if (fr && fr->status == READ_PAGE_FORMAT && readable(f) &&
	    r->tpl->materials[f->material].read.as != READ_DOC_UNKNOWN)
		return ADD(r, "not-read", f,
			   lp_strdupf("'%s': not read: its first page is not a plain scan (it has text, drawings or several images); its content was not checked", rel),
			   lp_strdupf("'%s'：未识别：其首页不是单纯的扫描图像（含文字、图形或多幅图像），未检查其内容", rel));
	if (!fr || fr->status == READ_PAGE_FORMAT || fr->status == READ_PAGE_UNDECODABLE)
		return 0;
	if (fr->status == READ_PAGE_TIMEOUT || fr->status == READ_PAGE_TOO_LARGE || fr->status == READ_PAGE_FAILED)
		return ADD(r, "content-unconfirmed", f,
			   lp_strdupf("'%s': could not be read (%s); check its content by eye", rel,
				      fr->status == READ_PAGE_TIMEOUT ? "over the time allowed for a page"
				      : fr->status == READ_PAGE_TOO_LARGE ? "too many pixels to read"
									  : "the reader failed"),
			   lp_strdupf("'%s'：无法识别其内容（%s），请人工核对", rel,
				      fr->status == READ_PAGE_TIMEOUT ? "超过每页允许的时间"
				      : fr->status == READ_PAGE_TOO_LARGE ? "像素过多"
									  : "识别失败"));
	if (fr->shown_turn && f->info.format == FMT_PDF)
		/* a PDF's pages go into the packet as they are: not turned */
		ret = ADD(r, fr->shown_turn == 180 ? "upside-down" : "rotated", f,
			  lp_strdupf("'%s': its first page is %s; scan it again the right way up", rel,
				     fr->shown_turn == 180 ? "upside down"
				     : fr->shown_turn == 90 ? "turned 90° clockwise" : "turned 90° counter-clockwise"),
			  lp_strdupf("'%s'：首页%s，请正向重新扫描", rel,
				     fr->shown_turn == 180 ? "上下颠倒" : fr->shown_turn == 90 ? "顺时针旋转了 90°" : "逆时针旋转了 90°"));
	else if (fr->shown_turn == 180)
		ret = ADD(r, "upside-down", f,
			  lp_strdupf("'%s': the page is upside down; the packet's PDF shows it upright, scan it again the right way up for the portal", rel),
			  lp_strdupf("'%s'：页面上下颠倒；材料包 PDF 中已摆正，上传系统前请正向重新扫描", rel));
	else if (fr->shown_turn)
		ret = ADD(r, "rotated", f,
			  lp_strdupf("'%s': the page is turned 90° %s; the packet's PDF shows it upright", rel,
				     fr->shown_turn == 90 ? "clockwise" : "counter-clockwise"),
			  lp_strdupf("'%s'：页面%s旋转了 90°；材料包 PDF 中已摆正", rel,
				     fr->shown_turn == 90 ? "顺时针" : "逆时针"));
	if (ret == 0 && fr->confidence < READ_ILLEGIBLE_CONF)
		ret = ADD(r, "illegible", f,
			  lp_strdupf("'%s': the text is hard to read (recognition confidence %d of 100); a reviewer may not read it either: scan it again, sharper", rel, fr->confidence),
			  lp_strdupf("'%s'：文字难以辨认（识别置信度 %d/100），审核人员也可能看不清，请重新扫描得更清晰", rel, fr->confidence));
	return ret;
}

int read_folder(check_result *r, const struct read_setup *s, long today)
{
	read_pool p;
	pool_job job = { r->n_files, s->threads < CHECK_MAX_THREADS ? s->threads : CHECK_MAX_THREADS,
			 sizeof(lp_buffer), NULL, pool_buffer_done, work, &p };
	lp_err err;
	int ret = 0;
	size_t i;

	if (!s->rd)
		return findings_add(&r->findings, "read-unavailable", NULL, NULL,
				    lp_strdupf("scans not read: the language data is not installed (%s missing); "
					       "apt-get install tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr",
					       s->missing ? s->missing : "?"),
				    lp_strdupf("未识别扫描件内容：未安装识别语言数据（缺少 %s）；"
					       "请执行 'apt-get install tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr'",
					       s->missing ? s->missing : "?"));
	memset(&p, 0, sizeof p);
	p.r = r;
	p.s = s;
	p.turns = calloc(2 * r->n_files + 2, sizeof *p.turns);
	p.have = calloc(r->n_files + 1, 1);
	if (!p.turns || !p.have) {
		free(p.turns);
		free(p.have);
		return -1;
	}
	/* two passes, each on the threads: the pages' turns, then (the
	 * orientation engines let go) their text */
	for (p.turning = 1; p.turning >= 0 && ret == 0; p.turning--) {
		ret = pool_run(&job, &err);
		if (p.turning)
			reader_drop_osd(s->rd);
	}
	free(p.turns);
	free(p.have);
	if (ret != 0)
		return -1;
	for (i = 0; i < r->n_files; i++) {
		size_t before = r->findings.n;

		if (file_findings(r, &r->files[i]) != 0 ||
		    read_content_findings(r, &r->files[i], s, today) != 0)
			return -1;
		for (; before < r->findings.n; before++)
			r->files[i].errors += r->findings.v[before].sev == SEV_ERROR;
	}
	return 0;
}
