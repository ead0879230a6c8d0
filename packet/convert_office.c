/*
 * convert_office: an Office document (doc, docx, xls, xlsx, odt, wps) into
 * PDF through LibreOffice, when `soffice` is installed.
 *
 * The document's bytes (as read and hashed for the check; the applicant's
 * file is never opened here) are written into a private temporary folder
 * (mkdtemp, mode 0700) with LibreOffice's user profile beside them
 * (-env:UserInstallation), so that no setting, lock or recent-documents
 * list of the user's is read or written and two conversions at once do not
 * share a profile. soffice runs headless in a session (and process group)
 * of its own with its output thrown away, under a guardian: a small
 * /bin/sh script (GUARD below) that starts it with setsid and, when told to
 * stop, kills the whole group (soffice is a script that starts oosplash
 * and soffice.bin), waits for it to be gone and removes the private
 * folder. The guardian is told to stop by licpack when office_timeout_s
 * seconds have passed (SIGTERM), by the kernel when the licpack thread
 * that started it dies (PR_SET_PDEATHSIG: licpack interrupted by SIGINT or
 * SIGTERM, or killed, while a document converts), and by the terminal's
 * Ctrl-C (it stays in licpack's process group). A process-group kill from
 * licpack alone would not do: a licpack that is being killed runs no more
 * code, so nothing would kill LibreOffice or remove the folder; and
 * PR_SET_PDEATHSIG on soffice itself would reach soffice only, not the
 * soffice.bin it starts, nor remove anything. The PDF it wrote is read back
 * and the folder removed. LibreOffice is asked for nothing that uses the
 * network, and the profile it starts from is new, with no extension or
 * update check set up.
 * Without soffice on PATH the document stays refused, with the command that
 * installs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "packet/convert_internal.h"
#include "packet/util.h"

extern char **environ;

/* The largest PDF read back from LibreOffice. */
#define OFFICE_PDF_MAX ((size_t)256 * 1024 * 1024)

static conv_result res(int status, const char *en, const char *zh)
{
	conv_result r = { status, en, zh };
	return r;
}

/* The soffice to run: lim->soffice, or "soffice" found on PATH; NULL when
 * there is none. Caller frees. */
static char *find_soffice(const convert_limits *lim)
{
	const char *path = getenv("PATH");
	char *copy, *tok, *save = NULL, *found = NULL;

	if (lim->soffice)
		return access(lim->soffice, X_OK) == 0 ? strdup(lim->soffice) : NULL;
	if (!path || !(copy = strdup(path)))
		return NULL;
	for (tok = strtok_r(copy, ":", &save); tok && !found; tok = strtok_r(NULL, ":", &save)) {
		char *p = lp_path_join(*tok ? tok : ".", "soffice");
		if (p && access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

/* The extension LibreOffice is given: the original's when it is one of
 * Office's, else one that fits the container. */
static const char *office_ext(file_format fmt, const char *ext, const uint8_t *d, size_t n)
{
	static const char *known[] = { "doc", "docx", "xls", "xlsx", "odt", "ods", "wps", "et", "rtf", "ppt",
				       "pptx", "odp" };
	for (size_t i = 0; ext && i < sizeof known / sizeof known[0]; i++)
		if (!strcasecmp(ext, known[i]))
			return known[i];
	if (fmt == FMT_OLE)
		return "doc";
	if (n >= 30 && !memcmp(d + 30, "mimetype", 8))
		return "odt";
	return "docx";
}

static int write_all(const char *path, const uint8_t *d, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), ok;
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < n) {
		ssize_t w = write(fd, d + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	ok = done == n;
	if (close(fd) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

static int remove_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st, (void)f;
	if (type == FTW_DP)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

/* file:// URL of an absolute path, bytes other than [A-Za-z0-9/._-] %-escaped. */
static char *file_url(const char *path)
{
	size_t n = strlen(path);
	char *u = malloc(7 + 3 * n + 1), *o = u;

	if (!u)
		return NULL;
	o += sprintf(o, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/._-", *p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return u;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* The guardian: sh -c GUARD licpack-office DIR PROGRAM ARGS... runs
 * PROGRAM in a session of its own (setsid: its pid is the group's id) and
 * exits with its status, killing what it left running (soffice.bin,
 * oosplash); on SIGTERM, SIGINT or SIGHUP it kills the group, waits (5 s
 * at most) until no process of it is left, removes DIR and exits 143. */
static const char GUARD[] =
	"d=$1; shift; p=\n"
	"stop() {\n"
	"  trap '' INT TERM HUP; p=${p:-$!}\n"
	"  if [ -n \"$p\" ]; then\n"
	"    kill -KILL \"-$p\" 2>/dev/null; n=0\n"
	"    while kill -0 \"-$p\" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done\n"
	"  fi\n"
	"  rm -rf \"$d\"; exit 143\n"
	"}\n"
	"trap stop INT TERM HUP\n"
	"s=$(command -v setsid || echo /usr/bin/setsid)\n"
	"\"$s\" \"$@\" & p=$!\n"
	"wait \"$p\"; rc=$?\n"
	"kill -KILL \"-$p\" 2>/dev/null\n"
	"exit $rc\n";

/* How long the guardian has to clean up after a SIGTERM before it is killed. */
#define GUARD_GRACE_S 10

/* Run argv under the guardian (GUARD, which removes dir when stopped),
 * with env, no input, output thrown away; stop it after timeout seconds.
 * Returns the program's exit status, -2 on timeout, -1 when it could not
 * be started. Only async-signal-safe calls between fork and exec: checking
 * runs threads. */
static int run_bounded(char *const argv[], char *const env[], const char *dir, int timeout)
{
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC), status = 0, ret = -1;
	double end = now_s() + timeout;
	pid_t pid, w, self = getpid();
	size_t n = 0;
	char **gargv;

	while (argv[n])
		n++;
	gargv = calloc(n + 6, sizeof *gargv);
	if (devnull < 0 || !gargv) {
		if (devnull >= 0)
			close(devnull);
		free(gargv);
		return -1;
	}
	gargv[0] = "/bin/sh";
	gargv[1] = "-c";
	gargv[2] = (char *)GUARD;
	gargv[3] = "licpack-office";
	gargv[4] = (char *)dir;
	memcpy(gargv + 5, argv, (n + 1) * sizeof *argv);
	pid = fork();
	if (pid == 0) {
		/* told when this thread (and so licpack) dies; if it died
		 * already, nothing is started */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != self)
			_exit(127);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execve(gargv[0], gargv, env);
		_exit(127);
	}
	close(devnull);
	free(gargv);
	if (pid < 0)
		return -1;
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
			break;
		}
		if (w < 0 && errno != EINTR)
			break;
		if (now_s() > end) {
			/* the guardian kills the group and removes the folder */
			kill(pid, SIGTERM);
			end = now_s() + GUARD_GRACE_S;
			while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now_s() < end)
				nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
			if (w == 0) {
				kill(pid, SIGKILL);
				while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
					;
			}
			ret = -2;
			break;
		}
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
	return ret;
}

/* environ with HOME and TMPDIR pointing into the private folder: no file of
 * the user's is read or written. Caller frees the array and the two strings. */
static char **private_env(const char *dir, char **home, char **tmp)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 3, sizeof *env);
	*home = lp_strdupf("HOME=%s", dir);
	*tmp = lp_strdupf("TMPDIR=%s", dir);
	if (!env || !*home || !*tmp) {
		free(env);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "HOME=", 5) && strncmp(environ[i], "TMPDIR=", 7))
			env[k++] = environ[i];
	env[k++] = *home;
	env[k++] = *tmp;
	return env;
}

int conv_office(const uint8_t *d, size_t n, file_format fmt, const char *ext, const convert_limits *lim,
		conv_buf *out, conv_result *r, convert_info *ci)
{
	const char *tmpdir = getenv("TMPDIR"), *e = office_ext(fmt, ext, d, n);
	char *soffice = find_soffice(lim), *dir = NULL, *in = NULL, *outdir = NULL, *pdf = NULL, *url = NULL,
	     *prof = NULL, *home = NULL, *tmp = NULL, **env = NULL;
	int timeout = lim->office_timeout_s > 0 ? lim->office_timeout_s : CONVERT_OFFICE_TIMEOUT, ret = 1, rc, fd;
	uint8_t *bytes = NULL;
	size_t len = 0;

	if (!soffice) {
		*r = res(CONV_REFUSED,
			 "Office document (LibreOffice, which would convert it, is not installed: apt-get install libreoffice-writer-nogui)",
			 "办公软件文档（未安装可转换它的 'LibreOffice'：'apt-get install libreoffice-writer-nogui'）");
		return 1;
	}
	dir = lp_strdupf("%s/licpack-office.XXXXXX", tmpdir && *tmpdir == '/' ? tmpdir : "/tmp");
	if (!dir || !mkdtemp(dir)) {
		*r = res(CONV_REFUSED, "Office document that could not be converted (no temporary folder)",
			 "办公软件文档无法转换（无法创建临时文件夹）");
		free(dir);
		dir = NULL;
		goto cleanup;
	}
	in = lp_strdupf("%s/document.%s", dir, e);
	outdir = lp_strdupf("%s/out", dir);
	pdf = lp_strdupf("%s/out/document.pdf", dir);
	prof = lp_strdupf("%s/profile", dir);
	url = prof ? file_url(prof) : NULL;
	env = private_env(dir, &home, &tmp);
	if (!in || !outdir || !pdf || !url || !env) {
		ret = -1;
		goto cleanup;
	}
	if (write_all(in, d, n) != 0 || mkdir(outdir, 0700) != 0) {
		*r = res(CONV_REFUSED, "Office document that could not be converted (the temporary copy failed)",
			 "办公软件文档无法转换（无法写入临时副本）");
		goto cleanup;
	}
	{
		char *envarg = lp_strdupf("-env:UserInstallation=%s", url);
		char *argv[] = { soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
				 "--nolockcheck", "--nofirststartwizard", envarg, "--convert-to", "pdf",
				 "--outdir", outdir, in, NULL };
		if (!envarg) {
			ret = -1;
			goto cleanup;
		}
		rc = run_bounded(argv, env, dir, timeout);
		free(envarg);
	}
	if (rc == -2) {
		*r = res(CONV_CORRUPT, "Office document that LibreOffice did not convert in the time allowed",
			 "'LibreOffice' 未能在限定时间内转换该办公软件文档");
		goto cleanup;
	}
	fd = open(pdf, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (rc != 0 || fd < 0 || lp_read_fd(fd, OFFICE_PDF_MAX, &bytes, &len) != 0 || len < 8 ||
	    memcmp(bytes, "%PDF-", 5)) {
		*r = res(CONV_CORRUPT, "Office document that LibreOffice could not convert (damaged, or a kind it cannot read)",
			 "'LibreOffice' 无法转换该办公软件文档（已损坏，或无法读取的类型）");
		if (fd >= 0)
			close(fd);
		goto cleanup;
	}
	close(fd);
	conv_buf_put(out, bytes, len);
	if (out->failed) {
		ret = -1;
		goto cleanup;
	}
	ci->to = FMT_PDF;
	ci->pages = 0;  /* the probe counts them */
	snprintf(ci->method, sizeof ci->method, "%s→pdf libreoffice", e);
	ret = 0;
cleanup:
	if (dir)
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(bytes);
	free(env);
	free(home);
	free(tmp);
	free(url);
	free(prof);
	free(pdf);
	free(outdir);
	free(in);
	free(dir);
	free(soffice);
	return ret;
}
