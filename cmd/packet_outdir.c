/*
 * packet_outdir: the output folder of a packet job (packet_job_internal.h):
 * claimed and locked, the reports written into it, and what an earlier
 * build left there removed when this one writes no packet or a packet of
 * another layout.
 */
#include "cmd/packet_job_internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packet/output.h"
#include "packet/util.h"
#include "packet/volume.h"

#include "cmd/msg.h"

/* path resolved, or when it does not exist yet its parent resolved and its
 * last part: where it will be. Caller frees; NULL with errno. */
static char *resolve_to_be(const char *path)
{
	char *r = realpath(path, NULL), *copy, *slash, *parent;

	if (r || errno != ENOENT)
		return r;
	if (!(copy = strdup(path)))
		return NULL;
	slash = strrchr(copy, '/');
	while (slash && slash > copy && slash[1] == '\0') { /* "out/" */
		*slash = '\0';
		slash = strrchr(copy, '/');
	}
	if (!slash) {
		parent = realpath(".", NULL);
		r = parent ? lp_path_join(parent, copy) : NULL;
	} else {
		*slash = '\0';
		parent = realpath(slash == copy ? "/" : copy, NULL);
		r = parent ? lp_path_join(parent, slash + 1) : NULL;
	}
	free(parent);
	free(copy);
	return r;
}

/* Refuse an outdir inside the applicant folder (the next check would read
 * our own outputs as materials), before anything is made; then claim it
 * and take its lock (output.h): made (0700) when missing, refused when it
 * holds files licpack did not write (unless force), one run at a time. */
lp_exit open_outdir(const packet_job *job, output_dir *od, lp_err *err)
{
	char *ro = NULL, *rd = NULL;
	lp_exit ret = LP_EXIT_IO;
	size_t n;
	int r;

	ro = resolve_to_be(job->outdir);
	rd = realpath(job->dir, NULL);
	if (!ro || !rd) {
		lp_fail_sys(err, LP_E_RESOLVE, errno, ro ? job->dir : job->outdir);
		goto cleanup;
	}
	n = strlen(rd);
	if (strcmp(ro, rd) == 0 || (strncmp(ro, rd, n) == 0 && ro[n] == '/')) {
		msg_fail(err, "'%s': the output folder must not be inside the applicant folder", "'%s'：输出文件夹不能放在申请材料文件夹里面（请用 -o 指定别处）", job->outdir);
		ret = LP_EXIT_USAGE;
		goto cleanup;
	}
	r = output_dir_open(od, job->outdir, job->force, err);
	if (r == OUTPUT_DIR_NOT_OURS) {
		packet_job_not_ours(job->outdir, err);
		ret = LP_EXIT_USAGE;
	} else if (r == OUTPUT_DIR_OK) {
		ret = LP_EXIT_OK;
	}
cleanup:
	free(ro);
	free(rd);
	return ret;
}

void packet_job_not_ours(const char *outdir, lp_err *err)
{
	msg_fail(err, "'%s' holds files that licpack did not write: licpack writes only into a folder it made, an "
		    "empty one, or with --force (which keeps those files and replaces only licpack's outputs)", "'%s' 里有不是 licpack 写的文件：licpack 只写入它自己建立的文件夹或空文件夹；"
		    "确需写入请加 --force（那些文件会保留，只替换 licpack 的输出）",
		 outdir);
}

/* The upload folder, with the packet: licpack's own (the output folder is
 * its), so removed whole. Says so on job->out. Returns 1 when removed. */
int remove_upload(const packet_job *job)
{
	char *path = lp_path_join(job->outdir, "upload");
	struct stat st;
	int n = 0;

	if (path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && output_remove_tree(path) == 0) {
		if (job->out)
			fprintf(job->out, TR("removed the previous packet's '%s': it is out of date\n",
					     "已删除过时的旧材料包文件 '%s'\n"), path);
		n = 1;
	}
	free(path);
	return n;
}

/* 1 when file name is one of job's volumes of any build: NAME_第k册.pdf
 * or NAME_volk.pdf (packet/volume.h). */
static int is_volume_name(const packet_job *job, const char *file)
{
	size_t n = strlen(job->name), d = 0;
	const char *rest = file + n, *tail;

	if (strncmp(file, job->name, n) != 0)
		return 0;
	if (strncmp(rest, "_第", strlen("_第")) == 0) {
		rest += strlen("_第");
		tail = "册.pdf";
	} else if (strncmp(rest, "_vol", 4) == 0) {
		rest += 4;
		tail = ".pdf";
	} else {
		return 0;
	}
	while (rest[d] >= '0' && rest[d] <= '9')
		d++;
	return d > 0 && rest[0] != '0' && strcmp(rest + d, tail) == 0;
}

/* The combined PDFs of earlier builds that this one did not write: volumes
 * not in keep (NULL: every volume), and NAME.pdf when keep has volumes.
 * Says on job->out what it removed; returns how many. */
int remove_other_pdfs(const packet_job *job, const volume_plan *keep)
{
	DIR *d = opendir(job->outdir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		int drop = is_volume_name(job, e->d_name), k;
		char *path;
		struct stat st;
		for (k = 0; drop && keep && k < keep->n_volumes; k++)
			drop = strcmp(e->d_name, keep->names[k]) != 0;
		if (!drop && keep && keep->n_volumes > 0 && strncmp(e->d_name, job->name, strlen(job->name)) == 0 &&
		    strcmp(e->d_name + strlen(job->name), ".pdf") == 0)
			drop = 1;
		if (!drop || !(path = lp_path_join(job->outdir, e->d_name)))
			continue;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0) {
			if (job->out)
				fprintf(job->out, TR("removed the previous packet's '%s': it is out of date\n",
						     "已删除过时的旧材料包文件 '%s'\n"), path);
			n++;
		}
		free(path);
	}
	if (d)
		closedir(d);
	return n;
}

/* The packet files of job's name, at their final names: NAME.pdf, NAME.zip,
 * manifest.json. Removed when a run writes no packet (incomplete, failed),
 * so that no older packet stays beside reports that no longer describe
 * it. Says on job->out what it removed. Returns how many. */
int remove_packet(const packet_job *job)
{
	char *paths[3] = { lp_strdupf("%s/%s.pdf", job->outdir, job->name),
			   lp_strdupf("%s/%s.zip", job->outdir, job->name), lp_path_join(job->outdir, "manifest.json") };
	int i, n = 0;

	for (i = 0; i < 3; i++) {
		struct stat st;
		if (paths[i] && lstat(paths[i], &st) == 0 && S_ISREG(st.st_mode) && unlink(paths[i]) == 0) {
			if (job->out)
				fprintf(job->out, TR("removed the previous packet's '%s': it is out of date\n",
						     "已删除过时的旧材料包文件 '%s'\n"), paths[i]);
			n++;
		}
		free(paths[i]);
	}
	n += remove_upload(job);
	n += remove_other_pdfs(job, NULL);
	return n;
}

/* The reports an earlier run left, when this one could not write its own. */
void remove_reports(const packet_job *job)
{
	static const char *const names[] = { "report.json", "report.txt", "report.html" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *path = lp_path_join(job->outdir, names[i]);
		if (path)
			unlink(path);
		free(path);
	}
}

/* report.json and report.txt, as one step. */
lp_exit write_reports(const packet_job *job, const char *json, const char *text, lp_err *err)
{
	char *jpath = lp_path_join(job->outdir, "report.json"), *tpath = lp_path_join(job->outdir, "report.txt");
	output_file j = { .fd = -1 }, t = { .fd = -1 };
	output_file *both[2] = { &j, &t };
	lp_exit ret = LP_EXIT_IO;

	if (!jpath || !tpath) {
		lp_nomem(err);
		goto cleanup;
	}
	if (output_begin(&j, jpath, job->sync, err) != 0 || output_begin(&t, tpath, job->sync, err) != 0 ||
	    output_write(&j, json, strlen(json), err) != 0 || output_write(&t, text, strlen(text), err) != 0 ||
	    output_commit_all(both, 2, err) != 0) {
		goto cleanup;
	}
	ret = LP_EXIT_OK;
cleanup:
	output_abort(&j);
	output_abort(&t);
	free(jpath);
	free(tpath);
	return ret;
}

/* report.html (mode 0600: it shows the scans), through the output module. */
lp_exit write_html(const packet_job *job, const char *html, lp_err *err)
{
	char *path = lp_path_join(job->outdir, "report.html");
	lp_exit ret = LP_EXIT_IO;

	if (!path)
		lp_nomem(err);
	else if (output_write_file(path, html, strlen(html), job->sync, err) == 0)
		ret = LP_EXIT_OK;
	free(path);
	return ret;
}
