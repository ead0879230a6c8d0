/*
 * check_files: reading, hashing and probing the matched files (on several
 * threads, findings added afterwards in packet order so that the report does
 * not depend on thread timing), and the findings about each file's content
 * against its material's limits. A stage of check_folder() (check.c).
 */
#include "packet/check_stages.h"
#include "packet/upload.h"


#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/ident.h"
#include "packet/normalise.h"
#include "packet/pool.h"
#include "packet/qpdf_lazy.h"
#include "packet/scan.h"
#include "packet/thumb.h"
#include "packet/util.h"

/* The name people know a format by: "HEIC", "WebP", "Word/Excel". */
static const char *format_label(file_format f)
{
	switch (f) {
	case FMT_HEIF: return "HEIC";
	case FMT_WEBP: return "WebP";
	case FMT_TIFF: return "TIFF";
	case FMT_BMP: return "BMP";
	case FMT_GIF: return "GIF";
	case FMT_ZIP: case FMT_OLE: return "Office";
	default: return format_name(f);
	}
}

/* The findings that say what the file is before its limits are looked at:
 * converted from another format, unreadable, too large to decode,
 * password-protected, refused, empty, of a format the material does not
 * accept, or a JPEG that cannot go into a PDF unchanged. Returns 1 when
 * the file's checks end here, 0 when they go on, -1 out of memory. */
static int refused_findings(check_result *r, const checked_file *f)
{
	const material *m = &r->tpl->materials[f->material];
	const file_info *in = &f->info;
	const char *rel = f->rel;

	if (f->converted && in->status == PROBE_OK &&
	    findings_add_sev(&r->findings, "converted", SEV_NOTICE, m->id, rel,
			     lp_strdupf("'%s': converted from %s (%s) for the packet", rel,
					format_label(f->conv.from), f->conv.method),
			     lp_strdupf("'%s'：已由 '%s' 转换（'%s'）放入材料包", rel, format_label(f->conv.from),
					f->conv.method)))
		return -1;
	switch (in->status) {
	case PROBE_OK:
	case PROBE_REPAIRED:
		break;
	case PROBE_CORRUPT:
		return ADD(r, "corrupt", m->id, rel, lp_strdupf("'%s': %s", rel, in->reason_en),
			   lp_strdupf("'%s'：%s", rel, in->reason_zh)) ? -1 : 1;
	case PROBE_TOO_LARGE:
		if (in->width == 0 && in->reason_en)  /* a converted file's canvas or page count */
			return ADD(r, "too-large", m->id, rel, lp_strdupf("'%s': %s; not converted", rel, in->reason_en),
				   lp_strdupf("'%s'：%s，未转换", rel, in->reason_zh)) ? -1 : 1;
		return ADD(r, "too-large", m->id, rel,
			   lp_strdupf("'%s': %ux%u pixels is more than the limit; not decoded (reduce the resolution)",
				      rel, in->width, in->height),
			   lp_strdupf("'%s'：%ux%u 像素超过上限，未解码（请降低分辨率）", rel, in->width, in->height)) ? -1 : 1;
	case PROBE_ENCRYPTED:
		return ADD(r, "encrypted", m->id, rel,
			   lp_strdupf("'%s': the PDF is password-protected; save a copy without a password", rel),
			   lp_strdupf("'%s'：PDF 有密码保护，请另存为无密码的副本", rel)) ? -1 : 1;
	case PROBE_REFUSED:
		if (in->format != FMT_EMPTY) {
			const char *en, *zh;
			format_advice(in->format, &en, &zh);
			return ADD(r, "format", m->id, rel,
				   lp_strdupf("'%s': %s is not accepted: %s", rel, in->reason_en ? in->reason_en : format_name(in->format), en),
				   lp_strdupf("'%s'：不接受 %s：%s", rel, in->reason_zh ? in->reason_zh : format_name(in->format), zh)) ? -1 : 1;
		}
		break;  /* empty: said below */
	}
	if (in->format == FMT_EMPTY || f->bytes == 0)
		return ADD(r, "empty", m->id, rel, lp_strdupf("'%s': the file is empty (0 bytes)", rel),
			   lp_strdupf("'%s'：文件为空（0 字节）", rel)) ? -1 : 1;
	if (!(m->formats & FMT_BIT(in->format)) &&
	    ADD(r, "format", m->id, rel,
		lp_strdupf("'%s': %s is not accepted for %s", rel, format_name(in->format), m->id),
		lp_strdupf("'%s'：%s 不接受 %s 格式", rel, m->title.zh, format_name(in->format))))
		return -1;
	if (in->format == FMT_JPEG && !probe_jpeg_embeddable(in))
		return ADD(r, "format", m->id, rel,
			   lp_strdupf("'%s': a JPEG variant (frame type SOF%d, %d-bit, %d components) that cannot go into a PDF unchanged; save it again as an ordinary (baseline) JPEG",
				      rel, in->jpeg_sof, in->bit_depth, in->components),
			   lp_strdupf("'%s'：特殊类型的 JPEG（SOF%d，%d 位，%d 个分量），无法直接放入 PDF，请另存为普通（基线）JPEG",
				      rel, in->jpeg_sof, in->bit_depth, in->components)) ? -1 : 1;
	return 0;
}

/* The findings about an image's pixels: too few for the template or the
 * portal, a low resolution, grey where colour is asked for, no red seal
 * where one is. 0, or -1 out of memory. */
static int image_findings(check_result *r, const checked_file *f)
{
	const material *m = &r->tpl->materials[f->material];
	const file_info *in = &f->info;
	const char *rel = f->rel;
	uint32_t long_edge = in->width > in->height ? in->width : in->height;
	double dpi = in->dpi_x < in->dpi_y || in->dpi_y == 0 ? in->dpi_x : in->dpi_y;

	if (m->min_long_edge && long_edge < m->min_long_edge &&
	    ADD(r, "too-small", m->id, rel,
		lp_strdupf("'%s': %ux%u pixels; the longer side needs at least %u (scan again at a higher resolution)",
			   rel, in->width, in->height, m->min_long_edge),
		lp_strdupf("'%s'：%ux%u 像素，长边至少需要 %u 像素（请提高分辨率重新扫描）",
			   rel, in->width, in->height, m->min_long_edge)))
		return -1;
	/* below the portal's minimum (the template's, above, says enough) */
	if (r->portal && !(m->min_long_edge && long_edge < m->min_long_edge) &&
	    upload_check_small(&r->findings, m, f, r->portal) < 0)
		return -1;
	if (m->min_dpi && dpi > 0 && dpi + 0.5 < m->min_dpi &&
	    ADD(r, "low-dpi", m->id, rel,
		lp_strdupf("'%s': scanned at %.0f dpi; %u dpi or more is recommended", rel, dpi, m->min_dpi),
		lp_strdupf("'%s'：扫描分辨率 %.0f dpi，建议不低于 %u dpi", rel, dpi, m->min_dpi)))
		return -1;
	if (m->colour && (in->encoding == COLOUR_GREY || in->pixels == COLOUR_GREY) &&
	    ADD(r, "greyscale", m->id, rel,
		in->encoding == COLOUR_GREY
			? lp_strdupf("'%s': black-and-white (greyscale) image; scan it again in colour", rel)
			: lp_strdupf("'%s': saved in colour but every pixel is grey (a black-and-white copy); scan the original in colour", rel),
		in->encoding == COLOUR_GREY
			? lp_strdupf("'%s'：黑白（灰度）图像，请用彩色重新扫描", rel)
			: lp_strdupf("'%s'：虽为彩色格式，但所有像素均为灰色（黑白复印件），请用彩色扫描原件", rel)))
		return -1;
	/* a grey copy cannot show a red seal; greyscale already says what is wrong */
	if (m->seal && in->pixels != COLOUR_UNKNOWN && !in->red_seal && in->encoding != COLOUR_GREY &&
	    in->pixels != COLOUR_GREY &&
	    ADD(r, "seal-missing", m->id, rel,
		lp_strdupf("'%s': no red company seal was seen; the template asks for %s (%s) "
			   "stamped with the company seal", rel, m->title.en, m->id),
		lp_strdupf("'%s'：未发现红色公章，模板要求%s加盖公章", rel, m->title.zh)))
		return -1;
	return 0;
}

/* Findings about one file's content against its material's limits. */
static int check_content(check_result *r, checked_file *f, fit_verdict upload)
{
	const material *m = &r->tpl->materials[f->material];
	const file_info *in = &f->info;
	const char *rel = f->rel;
	size_t before = r->findings.n;
	int ret = 0, sized = 0;

	if ((ret = refused_findings(r, f)) != 0) {
		ret = ret < 0 ? -1 : 0;
		goto done;
	}
	if (in->status == PROBE_REPAIRED &&
	    (ret = ADD(r, "repaired", m->id, rel,
		       lp_strdupf("'%s': the PDF is damaged (%s); re-save it before submitting", rel, in->reason_en),
		       lp_strdupf("'%s'：PDF 有损坏（%s），提交前请重新保存", rel, in->reason_zh))))
		goto done;
	if (in->format == FMT_PDF && in->pdf_restricted &&
	    (ret = ADD(r, "restricted", m->id, rel,
		       lp_strdupf("'%s': the PDF is encrypted, though it opens without a password; the zip gets it still encrypted: save a copy without security",
				  rel),
		       lp_strdupf("'%s'：PDF 已加密（无需密码即可打开），压缩包中仍是加密文件，请另存为不加密的副本", rel))))
		goto done;
	/* an image over the template's or the portal's limits: `fitted` when
	 * the build can bring its upload copy under them, else `too-big` */
	if (r->portal) {
		const upload_overrides ov = { r->upload_max_bytes, r->upload_max_pixels };
		if ((sized = upload_check_file(&r->findings, r, (size_t)(f - r->files), r->portal, &ov, upload)) < 0) {
			ret = -1;
			goto done;
		}
		if (sized && r->findings.v[r->findings.n - 1].sev == SEV_ERROR)
			goto done;
	}
	if (!sized && m->max_bytes && f->bytes > m->max_bytes &&
	    (ret = ADD(r, "too-big", m->id, rel,
		       lp_strdupf("'%s': %llu bytes, more than the %llu allowed", rel,
				  (unsigned long long)f->bytes, (unsigned long long)m->max_bytes),
		       lp_strdupf("'%s'：%llu 字节，超过上限 %llu 字节", rel, (unsigned long long)f->bytes,
				  (unsigned long long)m->max_bytes))))
		goto done;
	if (in->orientation == -1 &&
	    (ret = ADD(r, "orientation", m->id, rel,
		       lp_strdupf("'%s': the EXIF orientation is not 1-8; the image is shown as stored", rel),
		       lp_strdupf("'%s'：EXIF 方向标记不在 1-8 之间，按原样显示", rel))))
		goto done;
	if (in->format == FMT_JPEG || in->format == FMT_PNG || (f->converted && f->conv.images.format == FMT_TIFF))
		ret = image_findings(r, f);
done:
	for (; before < r->findings.n; before++)
		f->errors += r->findings.v[before].sev == SEV_ERROR;
	return ret;
}

/* Read, hash and probe every matched file. */
/* What loading one file came to; findings are made from it afterwards, in
 * packet order, so that the report does not depend on thread timing. */
typedef struct {
	int rd;     /* 0 read; -1 cannot open or read (err); -2 larger than the limit; -3 no memory;
		       -4 a PDF, and no PDF reader (libqpdf) to load */
	int err;
	int opened;
	int keep;   /* its bytes stay in memory (opt->keep_data, within opt->keep_bytes) */
	fit_verdict upload;  /* upload_judge's, with a portal */
} load_status;

typedef struct {
	check_result *r;
	const char *dir;
	const scan_list *sl;
	const check_options *opt;
	load_status *st;
} loader;

/* The extension of a relative path ("docx"), or NULL. */
const char *check_path_ext(const char *rel)
{
	const char *slash = strrchr(rel, '/'), *dot = strrchr(rel, '.');

	return dot && (!slash || dot > slash) && dot[1] ? dot + 1 : NULL;
}

/* Convert file f (its len bytes at data already hashed into f->sha256 and
 * probed) for the packet, when its format is one licpack converts: on
 * success f's bytes, sha256 and info become the converted file's, and the
 * converted bytes are returned in *conv (malloc'ed; the caller owns them),
 * else *conv stays NULL and f->info says why it was not converted. Returns
 * 0, or -1 when memory runs out. */
static int convert_loaded(checked_file *f, const uint8_t *data, size_t len, const probe_limits *lim,
			  const check_options *opt, uint8_t **conv)
{
	convert_limits cl = { lim->max_pixels, 0, opt->office_timeout_s, opt->soffice, lim->analyse_pixels };
	file_info fail;
	size_t n = 0;
	int rc;

	*conv = NULL;
	if (!convert_wanted(f->info.format, data, len))
		return 0;
	rc = convert_buffer(data, len, f->info.format, check_path_ext(f->rel), &cl, conv, &n, &f->conv, &fail);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		f->info = fail;
		return 0;
	}
	memcpy(f->orig_sha256, f->sha256, sizeof f->sha256);
	f->orig_bytes = len;
	f->converted = 1;
	f->bytes = n;
	if (lp_sha256_hex(*conv, n, f->sha256) != 0) {
		free(*conv);
		*conv = NULL;
		return -1;
	}
	probe_buffer(*conv, n, lim, &f->info);
	/* a multi-page TIFF's PDF: its pages' sizes, DPI, colour and seal, as
	 * the pages were probed, for the checks of images (check_content) */
	if (f->info.status == PROBE_OK && f->conv.images.format == FMT_TIFF) {
		int pages = f->info.pages;
		f->info.width = f->conv.images.width;
		f->info.height = f->conv.images.height;
		f->info.dpi_x = f->conv.images.dpi_x;
		f->info.dpi_y = f->conv.images.dpi_y;
		f->info.encoding = f->conv.images.encoding;
		f->info.pixels = f->conv.images.pixels;
		f->info.red_seal = f->conv.images.red_seal;
		f->info.pages = pages;
	}
	return 0;
}

/* Read, hash and probe file i: the expensive part, run on several threads.
 * Touches only files[i] and st[i]. A file whose bytes are not kept is read
 * into the thread's scratch buffer, which serves one file after another. */
static void load_one(loader *ld, size_t i, lp_buffer *scratch)
{
	checked_file *f = &ld->r->files[i];
	const material *mat = &ld->r->tpl->materials[f->material];
	/* The pixels are looked at (a reduced-size decode) only for what they
	 * can tell: a grey copy where colour is required, a missing red seal. A
	 * page of the current licence needs neither. */
	probe_limits lim = { ld->opt->max_pixels, (mat->colour ? PROBE_PIXELS_COLOUR : 0u) |
						   (mat->seal ? PROBE_PIXELS_SEAL : 0u) };
	load_status *st = &ld->st[i];
	uint8_t *data = NULL, *conv = NULL;
	size_t len = 0;
	int fd = scan_open(ld->sl, ld->dir, f->raw);

	if (fd < 0) {
		st->rd = -1;
		st->err = errno;
		return;
	}
	st->opened = 1;
	if (st->keep) {
		st->rd = lp_read_fd(fd, ld->opt->max_read_bytes, &data, &len);
	} else {
		st->rd = lp_read_fd_into(fd, ld->opt->max_read_bytes, scratch, &len);
		data = scratch->data;
	}
	st->err = errno;
	close(fd);
	if (st->rd == -1 && st->err == ENOMEM)
		st->rd = -3;
	if (st->rd != 0)
		return;
	/* the size that counts is what was read, not what the scan saw */
	f->bytes = len;
	if (lp_sha256_hex(data, len, f->sha256) != 0) {
		if (st->keep)
			free(data);
		st->rd = -3;
		return;
	}
	/* with report.html's thumbnails wanted, a JPEG's thumbnail is gathered
	 * from this decode (one decode of the scan, not two) */
	thumb_acc acc;
	thumb_keep keep;
	thumb_tee tee;
	probe_rows thumb_rows, keep_rows, rows, *to = NULL;
	int want_pic = ld->opt->id_pictures && ld->opt->portal && upload_id_side(mat->id);
	thumb_acc_init(&acc);
	thumb_rows = thumb_acc_rows(&acc);
	/* an ID card side's whole picture, for the upload's ID page: taken
	 * from this decode too */
	keep_rows = thumb_keep_rows(&keep);
	if (ld->opt->thumbnails && want_pic) {
		rows = thumb_tee_rows(&tee, thumb_rows, keep_rows);
		to = &rows;
	} else if (ld->opt->thumbnails)
		to = &thumb_rows;
	else if (want_pic)
		to = &keep_rows;
	probe_buffer_rows(data, len, &lim, to, &f->info);
	if (f->info.status == PROBE_OK) {
		/* not whole: none */
		(void)thumb_acc_take(&acc, &f->preview);
		(void)thumb_keep_take(&keep, &f->picture);
	}
	thumb_acc_release(&acc);
	thumb_keep_release(&keep);
	if (convert_loaded(f, data, len, &lim, ld->opt, &conv) != 0) {
		if (st->keep)
			free(data);
		st->rd = -3;
		return;
	}
	/* a PDF met where libqpdf cannot be loaded: the folder cannot be
	 * checked, which is not the file's fault */
	if (f->info.format == FMT_PDF && qpdf_lazy_load(NULL) != 0)
		st->rd = -4;
	/* A converted file is kept as converted when the original would have
	 * been, and an Office document's PDF always: LibreOffice writes the
	 * time into it, so a second conversion would not give the bytes
	 * checked (check_file_bytes). */
	if (conv && (st->keep || (ld->opt->keep_data && (f->conv.from == FMT_ZIP || f->conv.from == FMT_OLE)))) {
		if (st->keep)
			free(data);
		f->data = conv;
		f->len = f->bytes;
	} else if (st->keep) {
		free(conv);
		f->data = data;
		f->len = len;
	} else {
		free(conv);
	}
}

/* pool_run's work: file i, with the thread's scratch buffer */
static int load_work(void *arg, size_t i, void *scratch, lp_err *err)
{
	(void)err;
	load_one(arg, i, scratch);
	return 0;
}

/* Read, hash and probe every matched file, on up to opt->threads threads
 * (the decoding of large scans dominates a check), then turn what each
 * came to into findings, in packet order. */
/* pool_run's work: upload_judge of file i when it was read */
static int judge_work(void *arg, size_t i, void *ctx, lp_err *err)
{
	loader *ld = arg;
	const upload_overrides ov = { ld->r->upload_max_bytes, ld->r->upload_max_pixels };

	(void)ctx;
	(void)err;
	if (ld->st[i].rd == 0)
		ld->st[i].upload = upload_judge(ld->r, i, ld->r->portal, &ov);
	return 0;
}

int read_files(check_result *r, const char *dir, const scan_list *sl, const check_options *opt)
{
	loader ld = { r, dir, sl, opt, NULL };
	pool_job job = { r->n_files, opt->threads < CHECK_MAX_THREADS ? opt->threads : CHECK_MAX_THREADS,
			 sizeof(lp_buffer), NULL, pool_buffer_done, load_work, &ld };
	lp_err err;
	size_t i;

	ld.st = calloc(r->n_files + 1, sizeof *ld.st);
	if (!ld.st)
		return -1;
	/* Whether the files stay in memory for the packet: all of them when
	 * they come to keep_bytes or less by the sizes the scan saw, else none
	 * (each is read again, one at a time, when packed: check_file_bytes).
	 * Keeping the first 16 MiB of a 50-scan folder saved no time measured
	 * (672 ms against 660 ms a build) for 16 MiB more memory at its peak. */
	{
		uint64_t total = 0;
		for (i = 0; opt->keep_data && i < r->n_files && total <= opt->keep_bytes; i++)
			total += r->files[i].bytes;
		for (i = 0; opt->keep_data && total <= opt->keep_bytes && i < r->n_files; i++)
			ld.st[i].keep = 1;
	}
	if (pool_run(&job, &err) != 0) {
		free(ld.st);
		return -1; /* out of memory: load_work does not fail */
	}
	/* what the portal makes of each image, once every file is loaded (a
	 * page's share of a PDF slot needs the slot's pages); a fit trial
	 * costs a decode and an encoding, so on the same threads */
	if (r->portal) {
		job.work = judge_work;
		job.ctx_size = 0;
		job.ctx_done = NULL;
		if (pool_run(&job, &err) != 0) {
			free(ld.st);
			return -1;
		}
	}

	for (i = 0; i < r->n_files; i++) {
		checked_file *f = &r->files[i];
		const char *mid = r->tpl->materials[f->material].id;
		const load_status *st = &ld.st[i];
		int bad = 0;

		if (st->rd == -3 || st->rd == -4) {
			int rd = st->rd;
			free(ld.st);
			return rd == -4 ? -2 : -1;
		}
		if (st->rd == -1)
			bad = ADD(r, "unreadable", mid, f->rel,
				  lp_strdupf("'%s': cannot %s: %s", f->rel, st->opened ? "read" : "open", strerror(st->err)),
				  lp_strdupf("'%s'：无法%s：%s", f->rel, st->opened ? "读取" : "打开", lp_strerror_zh(st->err)));
		else if (st->rd == -2)
			bad = ADD(r, "too-big", mid, f->rel,
				  lp_strdupf("'%s': larger than %llu bytes; not read", f->rel,
					     (unsigned long long)opt->max_read_bytes),
				  lp_strdupf("'%s'：大于 %llu 字节，未读取", f->rel, (unsigned long long)opt->max_read_bytes));
		else if (f->mtime > r->newest_mtime)
			r->newest_mtime = f->mtime;
		if (st->rd != 0)
			f->errors++;
		if (bad || (st->rd == 0 && check_content(r, f, st->upload))) {
			free(ld.st);
			return -1;
		}
	}
	free(ld.st);
	return 0;
}

