/*
 * report_page: thumbnails for report.html, then the page (report_page.h).
 */
#include "pdf/report_page.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/ident.h"
#include "packet/report_html.h"
#include "packet/scan.h"
#include "packet/thumb.h"
#include "packet/util.h"
#include "pdf/font.h"

/* Largest unrecognised file read for its thumbnail. */
#define UNRECOGNIZED_MAX_BYTES (64u * 1024 * 1024)

/* The watermark, with its font found on first use. */
typedef struct {
	const report_page_opts *o;
	char text[512];
	char path[4096];
	int index;
	int tried, found;
} mark_ctx;

/* The mark to draw, or NULL when none can be (no font): the caller then
 * shows a placeholder rather than an unmarked ID card. */
static const thumb_mark *mark_get(mark_ctx *m, thumb_mark *out)
{
	if (!m->tried) {
		m->tried = 1;
		if (m->o->font_path) {
			snprintf(m->path, sizeof m->path, "%s", m->o->font_path);
			m->index = m->o->font_index;
			m->found = 1;
		} else {
			m->found = cjk_font_find(m->path, sizeof m->path, &m->index) == 0;
		}
	}
	if (!m->found)
		return NULL;
	out->text = m->text;
	out->font_path = m->path;
	out->font_index = m->index;
	return out;
}

/* One thumbnail of an image in t (n = 1), or nothing (a placeholder). */
static void thumb_image(const uint8_t *data, size_t len, const file_info *fi, int marked, mark_ctx *mc,
			html_thumbs *t)
{
	thumb_mark mk;
	const thumb_mark *pm = NULL;
	char err[256];

	if ((fi->format != FMT_JPEG && fi->format != FMT_PNG) || fi->status != PROBE_OK)
		return;
	if (marked && !(pm = mark_get(mc, &mk)))
		return;
	if (!(t->pages = calloc(1, sizeof *t->pages)))
		return;
	if (thumb_from_image(data, len, fi->format, fi->orientation, pm, &t->pages[0], err, sizeof err) != 0) {
		free(t->pages);
		t->pages = NULL;
		return;
	}
	t->n = 1;
}

static void thumbs_files(const check_result *r, mark_ctx *mc, html_thumbs *files)
{
	lp_buffer scratch = { NULL, 0 };
	size_t i;

	for (i = 0; i < r->n_files; i++) {
		const checked_file *f = &r->files[i];
		const uint8_t *data;
		size_t len;
		char err[256];
		if (f->info.status != PROBE_OK ||
		    check_file_bytes(r, i, &scratch, &data, &len, err, sizeof err) != 0)
			continue;
		thumb_image(data, len, &f->info, r->tpl->materials[f->material].watermark, mc, &files[i]);
	}
	free(scratch.data);
}

/* Unrecognised files: read again (they were only listed), probed, and
 * shown when they are images. Their names are the ones for people; one
 * that had to be written with \xHH cannot be opened by it and gets the
 * placeholder. */
static void thumbs_unrecognized(const check_result *r, mark_ctx *mc, html_thumbs *out)
{
	size_t i;

	for (i = 0; i < r->n_unrecognized; i++) {
		uint8_t *data = NULL;
		size_t len = 0;
		file_info fi;
		probe_limits lim = { 100000000, 0 };
		int fd;
		if (strchr(r->unrecognized[i], '\\') || !r->root_real)
			continue;
		fd = scan_open_root(r->root_real, r->dir, r->unrecognized[i]);
		if (fd < 0)
			continue;
		if (lp_read_fd(fd, UNRECOGNIZED_MAX_BYTES, &data, &len) == 0 &&
		    probe_buffer(data, len, &lim, &fi) == PROBE_OK)
			thumb_image(data, len, &fi, 1, mc, &out[i]);
		close(fd);
		free(data);
	}
}

char *html_report_make(const check_result *r, const report_page_opts *o)
{
	html_thumbs *files = NULL, *unrec = NULL;
	report_html_opts ho;
	mark_ctx mc;
	char date[16], *out = NULL;
	size_t i;

	memset(&mc, 0, sizeof mc);
	mc.o = o;
	date_format(o->today, date, sizeof date);
	snprintf(mc.text, sizeof mc.text, "%s %s", r->tpl->purpose.zh ? r->tpl->purpose.zh : r->tpl->title.zh, date);
	memset(&ho, 0, sizeof ho);
	ho.dir = o->dir;
	ho.lang = o->lang;
	ho.today = o->today;
	if (o->thumbnails) {
		files = calloc(r->n_files + 1, sizeof *files);
		unrec = calloc(r->n_unrecognized + 1, sizeof *unrec);
		if (!files || !unrec)
			goto cleanup;
		thumbs_files(r, &mc, files);
		thumbs_unrecognized(r, &mc, unrec);
		ho.files = files;
		ho.unrecognized = unrec;
	}
	out = report_html(r, &ho);
cleanup:
	for (i = 0; files && i < r->n_files; i++)
		html_thumbs_release(&files[i]);
	for (i = 0; unrec && i < r->n_unrecognized; i++)
		html_thumbs_release(&unrec[i]);
	free(files);
	free(unrec);
	return out;
}
