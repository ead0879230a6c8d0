/*
 * build: `licpack build DIR` — check, then write the packet: NAME.pdf,
 * NAME.zip, manifest.json, report.json and report.txt in OUTDIR.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "packet/atomic.h"
#include "packet/ident.h"
#include "packet/manifest.h"
#include "packet/zipout.h"
#include "pdf/font.h"
#include "pdf/packet_pdf.h"

const char usage_build[] =
	"usage: licpack build DIR [options]\n"
	"\n"
	"Check DIR, then write its submission packet into OUTDIR: NAME.pdf (cover\n"
	"sheet and every material), NAME.zip (the materials renamed in template\n"
	"order, the cover and manifest.json), manifest.json, report.json and\n"
	"report.txt. An incomplete folder gets the reports only (exit 1), unless\n"
	"--allow-incomplete. Outputs are mode 0600 and appear whole or not at all.\n"
	"\n"
	"  -o, --output OUTDIR    output folder (default: DIR-packet, beside DIR)\n"
	"  -n, --name NAME        packet file name (default: DIR's name)\n"
	"  -t, --template ID      template (default: \"template\" in DIR/packet.json)\n"
	"  -r, --region R         region overlay (default: \"region\" in packet.json)\n"
	"      --templates DIR    add or override templates from DIR/*.json\n"
	"      --allow-incomplete build anyway; the cover is marked 材料不全 / INCOMPLETE\n"
	"      --no-watermark     no purpose watermark on ID card pages\n"
	"      --zip-names STYLE  zh (default: 01_营业执照副本.jpg) or ascii\n"
	"                         (01_business-license.jpg) for portals that refuse\n"
	"                         Chinese names\n"
	"      --font PATH        CJK TrueType font (default: found with fontconfig)\n"
	"      --lang LANG        zh or en (default: from LC_ALL, LC_MESSAGES, LANG)\n"
	"      --today DATE       YYYY-MM-DD: the build date and the date to check\n"
	"                         against (default: SOURCE_DATE_EPOCH, else today)\n"
	"      --max-pixels N     refuse images declaring more pixels (default 100000000)\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 packet written, 1 incomplete or invalid materials, 2 usage or\n"
	"template error, 3 I/O or internal error.\n";

typedef struct {
	const char *dir;
	const char *outdir;
	const char *name;
	const char *templates_dir;
	const char *lang;
	const char *today;
	const char *font;
	int allow_incomplete;
	int no_watermark;
	int ascii_names;
	check_options check;
} build_args;

enum { OPT_TEMPLATES = 256, OPT_ALLOW, OPT_NO_WM, OPT_ZIPNAMES, OPT_FONT, OPT_LANG, OPT_TODAY, OPT_MAX_PIXELS };

static int parse(int argc, char **argv, build_args *a)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "template", required_argument, NULL, 't' },
		{ "region", required_argument, NULL, 'r' },
		{ "templates", required_argument, NULL, OPT_TEMPLATES },
		{ "allow-incomplete", no_argument, NULL, OPT_ALLOW },
		{ "no-watermark", no_argument, NULL, OPT_NO_WM },
		{ "zip-names", required_argument, NULL, OPT_ZIPNAMES },
		{ "font", required_argument, NULL, OPT_FONT },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "max-pixels", required_argument, NULL, OPT_MAX_PIXELS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;

	memset(a, 0, sizeof *a);
	check_options_init(&a->check);
	a->check.keep_data = 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:n:t:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': a->outdir = optarg; break;
		case 'n': a->name = optarg; break;
		case 't': a->check.template_id = optarg; break;
		case 'r': a->check.region = optarg; break;
		case OPT_TEMPLATES: a->templates_dir = optarg; break;
		case OPT_ALLOW: a->allow_incomplete = 1; break;
		case OPT_NO_WM: a->no_watermark = 1; break;
		case OPT_ZIPNAMES:
			if (strcmp(optarg, "ascii") == 0)
				a->ascii_names = 1;
			else if (strcmp(optarg, "zh") != 0)
				return usage_error("build", "--zip-names: '%s' is not zh or ascii", optarg);
			break;
		case OPT_FONT: a->font = optarg; break;
		case OPT_LANG: a->lang = optarg; break;
		case OPT_TODAY: a->today = optarg; break;
		case OPT_MAX_PIXELS:
			a->check.max_pixels = strtoull(optarg, &end, 10);
			if (*end || !optarg[0] || optarg[0] == '-' || a->check.max_pixels == 0)
				return usage_error("build", "--max-pixels: '%s' is not a positive whole number", optarg);
			break;
		case 'h': return -1;
		default: return option_error("build", c, argv);
		}
	}
	if (optind + 1 != argc)
		return usage_error("build", optind == argc ? "no folder given" : "one folder at a time (for many, use 'licpack batch')");
	a->dir = argv[optind];
	if (a->name && (!a->name[0] || strchr(a->name, '/') || a->name[0] == '.'))
		return usage_error("build", "--name: '%s' must be a plain file name", a->name);
	return 0;
}

/* DIR without trailing slashes, and its last component. Caller frees both. */
static int split_dir(const char *dir, char **trimmed, char **base)
{
	size_t n = strlen(dir);
	char *copy;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	*trimmed = strndup(dir, n);
	copy = *trimmed ? strdup(*trimmed) : NULL;
	*base = copy ? strdup(basename(copy)) : NULL;
	free(copy);
	return *trimmed && *base ? 0 : -1;
}

/* Make outdir (0700) and refuse one inside the applicant folder: the next
 * check would read our own outputs as materials. */
static int prepare_outdir(const char *outdir, const char *dir)
{
	char *ro = NULL, *rd = NULL;
	int ret = LP_EXIT_IO;
	size_t n;

	if (mkdir(outdir, 0700) != 0 && errno != EEXIST) {
		lp_error("cannot create '%s': %s", outdir, strerror(errno));
		return LP_EXIT_IO;
	}
	ro = realpath(outdir, NULL);
	rd = realpath(dir, NULL);
	if (!ro || !rd) {
		lp_error("cannot resolve '%s': %s", ro ? dir : outdir, strerror(errno));
		goto cleanup;
	}
	n = strlen(rd);
	if (strcmp(ro, rd) == 0 || (strncmp(ro, rd, n) == 0 && ro[n] == '/')) {
		lp_error("'%s': the output folder must not be inside the applicant folder", outdir);
		ret = LP_EXIT_USAGE;
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(ro);
	free(rd);
	return ret;
}

static int write_output(const char *outdir, const char *name, const char *text)
{
	char err[512], *path = lp_path_join(outdir, name);
	int r;

	if (!path) {
		lp_error("out of memory");
		return LP_EXIT_IO;
	}
	r = atomic_write_file(path, text, strlen(text), err, sizeof err);
	free(path);
	if (r != 0) {
		lp_error("%s", err);
		return LP_EXIT_IO;
	}
	return 0;
}

/* The zip's entry time: SOURCE_DATE_EPOCH, else the newest input's mtime, so
 * that the same inputs give the same bytes. */
static time_t zip_time(const check_result *r)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (sde && sde[0]) {
		long long t = strtoll(sde, &end, 10);
		if (!*end && t >= 0)
			return (time_t)t;
	}
	return r->newest_mtime > 0 ? (time_t)r->newest_mtime : 315532800; /* 1980-01-01 */
}

typedef struct {
	const build_args *a;
	const check_result *r;
	const char *outdir;
	const char *name;
	char **names;         /* packet name per checked file */
	char date[16];
} packet_ctx;

static int write_zip(const packet_ctx *p, const char *cover_path, const char *manifest, char *err, size_t errlen)
{
	char *zpath = lp_strdupf("%s/%s.zip", p->outdir, p->name);
	zipout *z = NULL;
	size_t i;
	int ret = -1;

	if (!zpath) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (zipout_open(&z, zpath, zip_time(p->r), err, errlen) != 0)
		goto cleanup;
	if (zipout_add_file(z, packet_cover_name(p->a->ascii_names), cover_path, ZIPOUT_STORE, err, errlen) != 0)
		goto abort;
	for (i = 0; i < p->r->n_files; i++) {
		const checked_file *f = &p->r->files[i];
		char *src;
		int rc;
		if (!pdf_file_included(f))
			continue;
		src = lp_path_join(p->a->dir, f->rel);
		if (!src) {
			snprintf(err, errlen, "out of memory");
			goto abort;
		}
		rc = zipout_add_file(z, p->names[i], src, zipout_method_for_name(p->names[i]), err, errlen);
		free(src);
		if (rc != 0)
			goto abort;
	}
	if (zipout_add_buffer(z, "manifest.json", manifest, strlen(manifest), ZIPOUT_DEFLATE, err, errlen) != 0)
		goto abort;
	ret = zipout_commit(z, err, errlen);
	z = NULL;
	goto cleanup;
abort:
	zipout_abort(z);
cleanup:
	free(zpath);
	return ret;
}

/* Cover PDF (for the zip, written aside and removed after), the full PDF,
 * manifest.json and the zip. */
static int write_packet(packet_ctx *p)
{
	const check_result *r = p->r;
	pdf_packet_job job;
	char font_path[PATH_MAX], err[1024];
	char *pdf_path = NULL, *cover_path = NULL, *manifest = NULL, *wm = NULL;
	int font_index = 0, cover_pages = 0, ret = LP_EXIT_IO;

	if (p->a->font) {
		snprintf(font_path, sizeof font_path, "%s", p->a->font);
	} else if (cjk_font_find(font_path, sizeof font_path, &font_index) != 0) {
		lp_error("no Chinese font found: install one (apt-get install fonts-wqy-microhei) or give --font PATH");
		return LP_EXIT_IO;
	}
	wm = lp_strdupf("%s %s", r->tpl->purpose.zh ? r->tpl->purpose.zh : r->tpl->title.zh, p->date);
	pdf_path = lp_strdupf("%s/%s.pdf", p->outdir, p->name);
	cover_path = lp_strdupf("%s/.%s.cover.pdf", p->outdir, p->name);
	if (!wm || !pdf_path || !cover_path)
		goto oom;
	memset(&job, 0, sizeof job);
	job.r = r;
	job.font_path = font_path;
	job.font_index = font_index;
	job.watermark = r->tpl->watermark && !p->a->no_watermark;
	job.watermark_text = wm;
	job.incomplete = !r->complete;
	job.build_date = p->date;
	job.packet_names = p->names;
	job.title = p->name;
	if (pdf_write_packet(&job, cover_path, 1, &cover_pages, err, sizeof err) != 0 ||
	    pdf_write_packet(&job, pdf_path, 0, NULL, err, sizeof err) != 0) {
		lp_error("%s", err);
		goto cleanup;
	}
	manifest = manifest_json(r, p->a->ascii_names, p->date, cover_pages);
	if (!manifest)
		goto oom;
	if ((ret = write_output(p->outdir, "manifest.json", manifest)) != 0)
		goto cleanup;
	if (write_zip(p, cover_path, manifest, err, sizeof err) != 0) {
		lp_error("%s", err);
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	printf("%s/%s.pdf\n%s/%s.zip\n%s/manifest.json\n", p->outdir, p->name, p->outdir, p->name, p->outdir);
	ret = 0;
	goto cleanup;
oom:
	lp_error("out of memory");
cleanup:
	if (cover_path)
		unlink(cover_path);
	free(wm);
	free(pdf_path);
	free(cover_path);
	free(manifest);
	return ret;
}

int cmd_build(int argc, char **argv)
{
	build_args a;
	template_set *set = NULL;
	check_result r;
	packet_ctx p;
	lp_lang lang;
	char err[1024], *trimmed = NULL, *base = NULL, *outdir = NULL, *text = NULL, *json = NULL;
	size_t i;
	int ret;

	memset(&r, 0, sizeof r);
	memset(&p, 0, sizeof p);
	ret = parse(argc, argv, &a);
	if (ret == -1)
		return print_usage(usage_build);
	if (ret)
		return ret;
	if (lang_choose(a.lang, &lang) != 0)
		return usage_error("build", "--lang: '%s' is not zh or en", a.lang);
	if (today_choose(a.today, &a.check.today) != 0)
		return usage_error("build", "--today: '%s' is not a date (YYYY-MM-DD)", a.today);
	if (split_dir(a.dir, &trimmed, &base) != 0) {
		lp_error("out of memory");
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	outdir = a.outdir ? strdup(a.outdir) : lp_strdupf("%s-packet", trimmed);
	if (!outdir) {
		lp_error("out of memory");
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = templates_load(a.templates_dir, &set)) != 0)
		goto cleanup;
	ret = check_folder(set, a.dir, &a.check, &r, err, sizeof err);
	if (ret != LP_EXIT_OK) {
		lp_error("%s", err);
		goto cleanup;
	}
	if ((ret = prepare_outdir(outdir, a.dir)) != 0)
		goto cleanup;
	text = report_text(&r, a.dir, lang, 0);
	json = report_json(&r, a.dir, lang);
	if (!text || !json) {
		lp_error("out of memory");
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = write_output(outdir, "report.json", json)) != 0 ||
	    (ret = write_output(outdir, "report.txt", text)) != 0)
		goto cleanup;
	if (use_colour(stdout)) {
		char *shown = report_text(&r, a.dir, lang, 1);
		fputs(shown ? shown : text, stdout);
		free(shown);
	} else {
		fputs(text, stdout);
	}
	if (!r.complete && !a.allow_incomplete) {
		lp_error(lang == LANG_ZH ? "'%s'：材料不全，未生成材料包（见 %s/report.txt；--allow-incomplete 可强制生成）"
					 : "'%s': incomplete; no packet written (see %s/report.txt; --allow-incomplete builds anyway)",
			 a.dir, outdir);
		ret = LP_EXIT_INCOMPLETE;
		goto cleanup;
	}
	p.a = &a;
	p.r = &r;
	p.outdir = outdir;
	p.name = a.name ? a.name : base;
	date_format(a.check.today, p.date, sizeof p.date);
	p.names = calloc(r.n_files + 1, sizeof *p.names);
	for (i = 0; p.names && i < r.n_files; i++)
		if (!(p.names[i] = packet_file_name(&r, i, a.ascii_names)))
			break;
	if (!p.names || i < r.n_files) {
		lp_error("out of memory");
		ret = LP_EXIT_IO;
		goto cleanup;
	}
	if ((ret = write_packet(&p)) != 0)
		goto cleanup;
	ret = r.complete ? LP_EXIT_OK : LP_EXIT_INCOMPLETE;
cleanup:
	for (i = 0; p.names && i < r.n_files; i++)
		free(p.names[i]);
	free(p.names);
	free(text);
	free(json);
	free(outdir);
	free(trimmed);
	free(base);
	check_result_release(&r);
	template_set_free(set);
	return ret;
}
