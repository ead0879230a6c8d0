/*
 * reading: check, build and batch switch the reading of scans on here —
 * the reader (packet/read.h), its cache folder, and the environment
 * variable that turns it off (LICPACK_NO_READ, which the test suite sets
 * so that only the reading tests pay for recognition).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "packet/read_cache.h"

/* The cache folder: --cache, else $XDG_CACHE_HOME/licpack, else
 * ~/.cache/licpack; "" when there is none. */
static void cache_dir(folder_args *f, char *out, size_t n)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	out[0] = '\0';
	if (f->no_cache)
		return;
	if (f->cache)
		snprintf(out, n, "%s", f->cache);
	else if (xdg && xdg[0] == '/')
		snprintf(out, n, "%s/licpack", xdg);
	else if (home && home[0] == '/')
		snprintf(out, n, "%s/.cache/licpack", home);
	if (out[0] && (read_cache_prepare(out) != 0 || read_cache_key(out, f->read.key) != 0)) {
		lp_error(TR("cannot use the cache folder '%s'; scans are read without it",
			   "无法使用缓存文件夹 '%s'，将不使用缓存识别"), out);
		out[0] = '\0';
	}
}

void reading_start(folder_args *f)
{
	const char *env = getenv("LICPACK_NO_READ");
	reader_options ro = { NULL, 0, 0 };

	if (f->no_read || (env && env[0] && strcmp(env, "0") != 0))
		return;
	/* recognition allocates and frees page-sized buffers: mapped and
	 * unmapped each time, not left in the heap, where glibc's growing
	 * threshold would put them after the first (12 scans: peak
	 * 226 -> 216 MB of resident set, no slower) */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	memset(&f->read, 0, sizeof f->read);
	/* without a cache, ID numbers read are compared by a key of this run */
	if (getrandom(f->read.key, sizeof f->read.key, 0) != (ssize_t)sizeof f->read.key)
		memset(f->read.key, 0, sizeof f->read.key);
	if (reader_open(&ro, &f->read.rd, &f->read.missing) != 0)
		f->read.rd = NULL;
	else
		cache_dir(f, f->cache_dir, sizeof f->cache_dir);
	f->read.cache_dir = f->cache_dir[0] ? f->cache_dir : NULL;
	/* each thread holds an engine of its own (some 50 MiB): two at most */
	f->read.threads = f->check.threads > 0 ? f->check.threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (f->read.threads < 1 || f->read.threads > 2)
		f->read.threads = f->read.threads < 1 ? 1 : 2;
	f->check.read = &f->read;
}

void reading_stop(folder_args *f)
{
	if (!f->check.read)
		return;
	reader_free(f->read.rd);
	f->read.rd = NULL;
	f->check.read = NULL;
}
