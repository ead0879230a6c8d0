/*
 * batch_index: the batch's index.html, from its summary (batch_index.h).
 */
#include "cmd/batch_index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "packet/output.h"
#include "packet/index_html.h"
#include "packet/util.h"

/* Largest summary read back: ample for a hundred thousand applicants. */
#define SUMMARY_MAX_BYTES (512u * 1024 * 1024)

int batch_index_write(const char *outdir, const char *base, lp_lang lang, int sync)
{
	const char *suffix = strncmp(base, "summary", 7) == 0 ? base + 7 : "";
	char *spath = lp_strdupf("%s/%s.json", outdir, base), *ipath = lp_strdupf("%s/index%s.html", outdir, suffix);
	char *html = NULL;
	lp_err err = { 0 };
	uint8_t *json = NULL;
	size_t len = 0;
	int fd = -1, ret = LP_EXIT_IO;

	if (!spath || !ipath) {
		lp_error(TR("out of memory", "内存不足"));
		goto cleanup;
	}
	if ((fd = open(spath, O_RDONLY | O_CLOEXEC)) < 0 || lp_read_fd(fd, SUMMARY_MAX_BYTES, &json, &len) != 0) {
		lp_error(TR("cannot read '%s': %s", "无法读取 '%s'（%s）"), spath, msg_strerror(errno));
		goto cleanup;
	}
	if (!(html = index_html((const char *)json, len, lang, &err))) {
		lp_error(TR("'%s' is not a licpack summary", "'%s' 不是 licpack 汇总文件"), spath);
		goto cleanup;
	}
	if (output_write_file(ipath, html, strlen(html), sync, &err) != 0) {
		lp_error_show(&err);
		goto cleanup;
	}
	printf("%s\n", ipath);
	ret = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	free(json);
	free(html);
	free(spath);
	free(ipath);
	return ret;
}
