/*
 * zipout: the packet zip, on libzip, written aside and renamed into place.
 *
 * libzip does most of the work; this file adds what the packet needs and
 * libzip 1.7.3 (Debian 12) does not give by itself:
 *   - The output file itself. libzip's own file source writes
 *     "<archive>.XXXXXX" with mode 0666 minus the umask (zip_mkstempm.c),
 *     i.e. usually world-readable, never fsyncs, and takes the data 8 KiB
 *     at a time from zip_close() (BUFSIZE in zip_close.c), a write(2) each:
 *     two thousand for a packet of scans. So libzip writes through a source
 *     of ours instead (sink_cb): into the temporary file of an output_file
 *     (packet/output.h: mode 0600, our temporary prefix), through a buffer
 *     of SINK_BUFFER bytes; output.c verifies it (the end of central
 *     directory at its end), flushes it with sync and renames it into
 *     place (or the caller does, with the rest of the packet: zipout_close).
 *   - Timestamps that do not depend on TZ. libzip turns a time_t into DOS
 *     date/time with localtime_r (zip_dirent.c, _zip_u2d_time), and
 *     zip_file_set_dostime() goes back through mktime() first, so no API call
 *     can write given fields in every zone (in a zone with daylight saving
 *     some wall-clock times do not exist at all). We still set the mtime so
 *     that libzip does not take the current time, then overwrite the four
 *     date/time bytes of every local and central header in the finished file
 *     with the UTC fields. The headers have fixed offsets and we check every
 *     signature and bound on the way, so this cannot damage the archive.
 *   - Sources whose bytes come when they are written. libzip reads sources
 *     inside zip_close(); ours are bytes already in memory (borrowed, not
 *     copied) or given at that moment by a loader of the caller's
 *     (loaded_source_cb), one entry at a time, which fails the commit with
 *     the loader's message when it cannot give the bytes that were checked.
 *   - Deterministic entries: explicit compression method and level, explicit
 *     external attributes (a file source would otherwise copy the input's
 *     mode), no comments. libzip adds no extra fields to new entries (only
 *     Zip64 and UTF-8 name fields, neither of which applies here; 1.7.3 sets
 *     bit 11 when a name is non-ASCII UTF-8 and no comment is set).
 *   - Zero entries: zip_close() deletes an archive with no entries, so an
 *     empty packet is written by hand as a bare end-of-central-directory.
 */
#include "packet/zipout.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "packet/output.h"


/* Fixed-size zip records (APPNOTE 4.3.7, 4.3.12, 4.3.16). */
#define ENTRY_MODE 0600 /* unzip gives the scans no wider mode */
#define LOCAL_SIG 0x04034b50u
#define CENTRAL_SIG 0x02014b50u
#define EOCD_SIG 0x06054b50u
#define LOCAL_LEN 30
#define CENTRAL_LEN 46
#define EOCD_LEN 22

/* Where libzip writes the archive (see the top of the file). */
#define SINK_BUFFER (1u << 20)

typedef struct {
	int fd;               /* the zipout's temporary file, borrowed */
	uint8_t *buf;         /* bytes waiting to go to the file at buf_off */
	size_t n;
	uint64_t buf_off;
	uint64_t pos;         /* libzip's write position */
	uint64_t end;         /* the file's length so far, buffer included */
	zip_error_t error;
} sink;

struct zipout {
	zip_t *za;            /* open on our sink until commit or abort */
	sink *out;            /* libzip's source owns it; valid while za is */
	output_file own;      /* zipout_open's file; unused with zipout_open_into */
	output_file *file;    /* where the zip goes: &own, or the caller's */
	const char *final_path; /* file's */
	time_t mtime;         /* handed to libzip only to keep it off the clock */
	uint16_t dos_time;    /* what the headers finally say, in UTC */
	uint16_t dos_date;
	uint64_t n_entries;
	int poisoned;         /* an add failed: commit must refuse */
	/* The first failure a file source met inside zip_close(), which
	 * libzip itself reduces to a bare error code. */
	lp_err source_failure;
};

zipout_method zipout_method_for_name(const char *name)
{
	static const char *const stored[] = { ".jpg", ".jpeg", ".png", ".pdf" };
	size_t n, i, k;

	if (!name)
		return ZIPOUT_DEFLATE;
	n = strlen(name);
	for (i = 0; i < sizeof stored / sizeof stored[0]; i++) {
		k = strlen(stored[i]);
		if (n >= k && strcasecmp(name + n - k, stored[i]) == 0)
			return ZIPOUT_STORE;
	}
	return ZIPOUT_DEFLATE;
}

/* DOS date and time of t in UTC, clamped to the years a DOS date can hold
 * (1980-2107); seconds are rounded down to even. */
static void dos_time_utc(time_t t, uint16_t *dtime, uint16_t *ddate)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		/* only for years beyond what int holds: clamp by sign below */
		memset(&tm, 0, sizeof tm);
		tm.tm_year = t < 0 ? 0 : 208;
	}
	if (tm.tm_year < 80) {
		memset(&tm, 0, sizeof tm);
		tm.tm_year = 80;
		tm.tm_mday = 1;
	} else if (tm.tm_year > 207) {
		tm.tm_year = 207;
		tm.tm_mon = 11;
		tm.tm_mday = 31;
		tm.tm_hour = 23;
		tm.tm_min = 59;
		tm.tm_sec = 58;
	}
	*dtime = (uint16_t)((unsigned)tm.tm_hour << 11 | (unsigned)tm.tm_min << 5 |
			    (unsigned)tm.tm_sec / 2);
	*ddate = (uint16_t)((unsigned)(tm.tm_year - 80) << 9 | (unsigned)(tm.tm_mon + 1) << 5 |
			    (unsigned)tm.tm_mday);
}

/* pwrite all of n bytes at off. 0, or -1 with errno (EIO for no progress). */
static int write_at(int fd, const uint8_t *p, size_t n, uint64_t off)
{
	while (n > 0) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

static int sink_flush(sink *k)
{
	if (k->n == 0)
		return 0;
	if (write_at(k->fd, k->buf, k->n, k->buf_off) != 0) {
		zip_error_set(&k->error, ZIP_ER_WRITE, errno);
		return -1;
	}
	k->n = 0;
	return 0;
}

static zip_int64_t sink_write(sink *k, const uint8_t *data, zip_uint64_t len)
{
	if (k->pos != k->buf_off + k->n || len > SINK_BUFFER - k->n) {
		if (sink_flush(k) != 0)
			return -1;
		k->buf_off = k->pos;
	}
	if (len > SINK_BUFFER) { /* larger than the buffer: straight through */
		if (write_at(k->fd, data, (size_t)len, k->pos) != 0) {
			zip_error_set(&k->error, ZIP_ER_WRITE, errno);
			return -1;
		}
		k->buf_off = k->pos + len;
	} else {
		memcpy(k->buf + k->n, data, (size_t)len);
		k->n += (size_t)len;
	}
	k->pos += len;
	if (k->pos > k->end)
		k->end = k->pos;
	return (zip_int64_t)len;
}

/* What both of our libzip sources (sink_cb, loaded_source_cb) answer alike:
 * ZIP_SOURCE_ERROR from error; ZIP_SOURCE_FREE, error let go and the
 * source's own buffer (owned) and struct (self) freed; any other command is
 * not supported. */
static zip_int64_t source_common(zip_error_t *error, zip_source_cmd_t cmd, void *data, zip_uint64_t len, void *owned,
				 void *self)
{
	switch (cmd) {
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(error);
		free(owned);
		free(self);
		return 0;
	default:
		zip_error_set(error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* A source that holds no archive yet and takes a new one: libzip reads
 * nothing from it (a new archive), and writes, seeks back to complete each
 * local header, and commits. */
static zip_int64_t sink_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	sink *k = ud;
	zip_int64_t off;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
						      ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_BEGIN_WRITE,
						      ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE,
						      ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_COMMIT_WRITE,
						      ZIP_SOURCE_ROLLBACK_WRITE, ZIP_SOURCE_REMOVE, -1);
	case ZIP_SOURCE_STAT:
		/* "no such file": libzip makes a new archive (ZIP_CREATE) */
		zip_error_set(&k->error, ZIP_ER_READ, ENOENT);
		return -1;
	case ZIP_SOURCE_OPEN:
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_SEEK:
	case ZIP_SOURCE_REMOVE: /* an archive without entries is ours to write */
		return 0;
	case ZIP_SOURCE_READ:
	case ZIP_SOURCE_TELL:
		return 0;
	case ZIP_SOURCE_BEGIN_WRITE:
		k->pos = k->buf_off = k->end = 0;
		k->n = 0;
		if (ftruncate(k->fd, 0) != 0) {
			zip_error_set(&k->error, ZIP_ER_WRITE, errno);
			return -1;
		}
		return 0;
	case ZIP_SOURCE_WRITE:
		return sink_write(k, data, len);
	case ZIP_SOURCE_SEEK_WRITE:
		off = zip_source_seek_compute_offset(k->pos, k->end, data, len, &k->error);
		if (off < 0)
			return -1;
		k->pos = (uint64_t)off;
		return 0;
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)k->pos;
	case ZIP_SOURCE_COMMIT_WRITE:
		return sink_flush(k);
	case ZIP_SOURCE_ROLLBACK_WRITE:
		k->n = 0; /* zipout_abort removes the file */
		return 0;
	default:
		return source_common(&k->error, cmd, data, len, k->buf, k);
	}
}

/* A zipout writing into f (begun). */
static int open_on(zipout **out, zipout *z, output_file *f, time_t mtime, lp_err *err)
{
	zip_error_t ze;
	sink *k = calloc(1, sizeof *k);
	zip_source_t *src;

	z->file = f;
	z->final_path = f->final_path;
	z->mtime = mtime;
	dos_time_utc(mtime, &z->dos_time, &z->dos_date);
	if (!k || !(k->buf = malloc(SINK_BUFFER))) {
		free(k);
		lp_fail(err, LP_E_CREATE_NOMEM, z->final_path);
		goto fail;
	}
	k->fd = f->fd;
	zip_error_init(&k->error);
	zip_error_init(&ze);
	if (!(src = zip_source_function_create(sink_cb, k, &ze))) {
		lp_fail(err, LP_E_CREATE_DETAIL, z->final_path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_error_fini(&k->error);
		free(k->buf);
		free(k);
		goto fail;
	}
	if (!(z->za = zip_open_from_source(src, ZIP_CREATE, &ze))) {
		lp_fail(err, LP_E_CREATE_DETAIL, z->final_path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_source_free(src);
		goto fail;
	}
	zip_error_fini(&ze);
	z->out = k;
	*out = z;
	return 0;
fail:
	zipout_abort(z);
	return -1;
}

int zipout_open(zipout **out, const char *final_path, time_t mtime, lp_err *err)
{
	zipout *z;

	*out = NULL;
	if (!final_path || !*final_path)
		return lp_fail(err, LP_E_ZIP_NO_PATH);
	if (!(z = calloc(1, sizeof *z)))
		return lp_fail(err, LP_E_CREATE_NOMEM, final_path);
	if (output_begin(&z->own, final_path, 0, err) != 0) {
		free(z);
		return -1;
	}
	return open_on(out, z, &z->own, mtime, err);
}

int zipout_open_into(zipout **out, output_file *f, time_t mtime, lp_err *err)
{
	zipout *z;

	*out = NULL;
	if (!(z = calloc(1, sizeof *z)))
		return lp_fail(err, LP_E_CREATE_NOMEM, f->final_path);
	z->own.fd = -1;
	return open_on(out, z, f, mtime, err);
}

/* Names come from the packet builder, but a zip is read by other people's
 * unzip: refuse anything that could escape the extraction folder or be
 * silently truncated (libzip 1.7.3 casts the length to 16 bits unchecked,
 * zip_set_name.c). UTF-8 validity is checked by libzip (ZIP_FL_ENC_UTF_8). */
static int check_name(const char *name, lp_err *err)
{
	const char *p, *part;
	size_t n;

	if (!name || !*name)
		return lp_fail(err, LP_E_ZIP_NAME_EMPTY);
	n = strlen(name);
	if (n > 65535) {
		char head[41];
		snprintf(head, sizeof head, "%.40s", name);
		return lp_fail(err, LP_E_ZIP_NAME_LONG, head);
	}
	for (p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return lp_fail(err, LP_E_ZIP_NAME_CONTROL, name);
	if (name[n - 1] == '/')
		return lp_fail(err, LP_E_ZIP_NAME_DIR, name);
	for (part = name;; part = p + 1) {
		p = strchr(part, '/');
		n = p ? (size_t)(p - part) : strlen(part);
		if (n == 0 || (n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
			return lp_fail(err, LP_E_ZIP_NAME_PATH, name);
		if (!p)
			break;
	}
	return 0;
}

/* Add src (ownership passes to this function whatever happens) under name. */
static int add_source(zipout *z, const char *name, zip_source_t *src, zipout_method method,
		      lp_err *err)
{
	zip_int64_t idx;
	int code;

	idx = zip_file_add(z->za, name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		code = zip_error_code_zip(zip_get_error(z->za));
		if (code == ZIP_ER_EXISTS)
			return lp_fail(err, LP_E_ZIP_NAME_DUP, name);
		if (code == ZIP_ER_INVAL)
			return lp_fail(err, LP_E_ZIP_NAME_UTF8, name);
		return lp_fail(err, LP_E_ZIP_ADD, name, zip_strerror(z->za));
	}
	/* Level 9 explicitly: libzip's "default" (0) means 9 in 1.7.3 but is
	 * free to change, and the level is visible in the bytes. */
	if (zip_set_file_compression(z->za, (zip_uint64_t)idx,
				     method == ZIPOUT_STORE ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     method == ZIPOUT_STORE ? 0 : 9) != 0 ||
	    zip_file_set_mtime(z->za, (zip_uint64_t)idx, z->mtime, 0) != 0 ||
	    zip_file_set_external_attributes(z->za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
					     (zip_uint32_t)(S_IFREG | ENTRY_MODE) << 16) != 0)
		return lp_fail(err, LP_E_ZIP_ADD, name, zip_strerror(z->za));
	z->n_entries++;
	return 0;
}

/* Add src, just created (NULL: its creation failed, ze saying why), as
 * entry_name; ze is let go. A failure poisons z. Returns 0, or -1. */
static int add_created(zipout *z, const char *entry_name, zip_source_t *src, zip_error_t *ze, zipout_method method,
		       lp_err *err)
{
	if (!src)
		lp_fail(err, LP_E_ZIP_ADD, entry_name, zip_error_strerror(ze));
	zip_error_fini(ze);
	if (!src || add_source(z, entry_name, src, method, err) != 0) {
		z->poisoned = 1;
		return -1;
	}
	return 0;
}

/* An entry from len bytes at data: copied (libzip frees the copy) or, with
 * borrow, used in place (the caller keeps them until commit). */
static int add_bytes(zipout *z, const char *entry_name, const void *data, size_t len, zipout_method method,
		     int borrow, lp_err *err)
{
	zip_source_t *src;
	zip_error_t ze;
	void *copy;

	if (!z)
		return lp_fail(err, LP_E_ZIP_ADD_NOT_OPEN, entry_name);

	if (check_name(entry_name, err) != 0)
		goto poison;
	/* No copy of an empty buffer: libzip 1.7.3 drops zero-length data
	 * without taking ownership (zip_source_buffer.c, buffer_new), so a
	 * 1-byte allocation handed over with freep would leak. */
	copy = NULL;
	if (!borrow && len && !(copy = malloc(len))) {
		lp_fail(err, LP_E_ZIP_ADD_NOMEM, entry_name);
		goto poison;
	}
	if (!borrow && len)
		memcpy(copy, data, len);
	zip_error_init(&ze);
	/* freep = 1: libzip frees the copy with the source; a borrowed buffer is
	 * the caller's */
	if (!(src = zip_source_buffer_create(borrow ? data : copy, len, copy != NULL, &ze)))
		free(copy);
	return add_created(z, entry_name, src, &ze, method, err);
poison:
	z->poisoned = 1;
	return -1;
}

int zipout_add_buffer(zipout *z, const char *entry_name, const void *data, size_t len,
		      zipout_method method, lp_err *err)
{
	return add_bytes(z, entry_name, data, len, method, 0, err);
}

int zipout_add_borrowed(zipout *z, const char *entry_name, const void *data, size_t len,
			zipout_method method, lp_err *err)
{
	return add_bytes(z, entry_name, data, len, method, 1, err);
}

/* A read-only libzip source whose bytes a callback gives when libzip opens
 * it (zipout_add_loaded). Owned by libzip once handed to it. */
struct loaded_source {
	zipout_load_fn load;
	void *arg;
	char *name;          /* the entry's, for messages (owned) */
	uint64_t size;       /* what the bytes must come to */
	const uint8_t *data; /* between ZIP_SOURCE_OPEN and ZIP_SOURCE_CLOSE */
	size_t pos;
	zip_error_t error;
	lp_err *failure;   /* the zipout's source_failure, borrowed */
};

static zip_int64_t loaded_source_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct loaded_source *ls = ud;
	zip_stat_t *st;
	size_t n;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	case ZIP_SOURCE_STAT:
		if (len < sizeof *st) {
			zip_error_set(&ls->error, ZIP_ER_INVAL, 0);
			return -1;
		}
		st = data;
		zip_stat_init(st);
		st->size = ls->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof *st;
	case ZIP_SOURCE_OPEN: {
		lp_err why;
		lp_error_clear(&why);
		if (ls->load(ls->arg, &ls->data, &n, &why) != 0 || n != ls->size) {
			if (ls->failure->code == LP_OK) {
				if (why.code == LP_OK)
					lp_fail(&why, LP_E_ZIP_ENTRY_CHANGED, ls->name);
				lp_error_copy(ls->failure, &why);
			}
			ls->data = NULL;
			zip_error_set(&ls->error, ZIP_ER_CHANGED, 0);
			return -1;
		}
		ls->pos = 0;
		return 0;
	}
	case ZIP_SOURCE_READ:
		n = ls->size - ls->pos < len ? (size_t)(ls->size - ls->pos) : (size_t)len;
		if (n)
			memcpy(data, ls->data + ls->pos, n);
		ls->pos += n;
		return (zip_int64_t)n;
	case ZIP_SOURCE_CLOSE:
		ls->data = NULL;
		return 0;
	default:
		return source_common(&ls->error, cmd, data, len, ls->name, ls);
	}
}

int zipout_add_loaded(zipout *z, const char *entry_name, uint64_t size, zipout_load_fn load, void *arg,
		      zipout_method method, lp_err *err)
{
	struct loaded_source *ls;
	zip_source_t *src;
	zip_error_t ze;

	if (!z)
		return lp_fail(err, LP_E_ZIP_ADD_NOT_OPEN, entry_name);
	if (check_name(entry_name, err) != 0)
		goto poison;
	if (!(ls = calloc(1, sizeof *ls)) || !(ls->name = strdup(entry_name))) {
		lp_fail(err, LP_E_ZIP_ADD_NOMEM, entry_name);
		free(ls);
		goto poison;
	}
	ls->load = load;
	ls->arg = arg;
	ls->size = size;
	ls->failure = &z->source_failure;
	zip_error_init(&ls->error);
	zip_error_init(&ze);
	if (!(src = zip_source_function_create(loaded_source_cb, ls, &ze))) {
		zip_error_fini(&ls->error);
		free(ls->name);
		free(ls);
	}
	return add_created(z, entry_name, src, &ze, method, err);
poison:
	z->poisoned = 1;
	return -1;
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)(v >> 8);
}

/* 0, or -1 with errno set (0 for a short read or write). */
static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;

	while (len) {
		if ((n = pread(fd, buf, len, off)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		buf = (char *)buf + n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n;

	while (len) {
		if ((n = pwrite(fd, buf, len, off)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		buf = (const char *)buf + n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int io_fail(const zipout *z, lp_err *err)
{
	if (!errno)
		return lp_fail(err, LP_E_WRITE_EOF, z->final_path);
	return lp_fail_sys(err, LP_E_WRITE, errno, z->final_path);
}

static int layout_fail(const zipout *z, const char *what, lp_err *err)
{
	return lp_fail(err, LP_E_ZIP_LAYOUT, z->final_path, what);
}

/* Replace the DOS date and time in every local and central header of the
 * finished archive on fd (see the top of the file for why). */
static int fix_times(const zipout *z, int fd, lp_err *err)
{
	unsigned char eocd[EOCD_LEN], local[LOCAL_LEN], stamp[4];
	unsigned char *cd = NULL, *e;
	uint32_t cd_size, cd_off, pos, entry_len, local_off;
	uint64_t i;
	struct stat st;
	int ret = -1;

	put16(stamp, z->dos_time);
	put16(stamp + 2, z->dos_date);
	if (fstat(fd, &st) != 0)
		return io_fail(z, err);
	/* libzip writes no archive comment, so the record ends the file */
	if (st.st_size < EOCD_LEN || pread_all(fd, eocd, EOCD_LEN, st.st_size - EOCD_LEN) != 0)
		return layout_fail(z, "no end of central directory", err);
	if (get32(eocd) != EOCD_SIG || get16(eocd + 20) != 0)
		return layout_fail(z, "no end of central directory", err);
	if (get16(eocd + 10) != z->n_entries)
		return layout_fail(z, "entry count", err);
	cd_size = get32(eocd + 12);
	cd_off = get32(eocd + 16);
	/* this also refuses Zip64, which would put more records before the end */
	if ((uint64_t)cd_off + cd_size + EOCD_LEN != (uint64_t)st.st_size)
		return layout_fail(z, "central directory position", err);
	if (!(cd = malloc(cd_size ? cd_size : 1)))
		return lp_fail(err, LP_E_WRITE_NOMEM, z->final_path);
	if (pread_all(fd, cd, cd_size, cd_off) != 0) {
		io_fail(z, err);
		goto cleanup;
	}
	for (i = 0, pos = 0; i < z->n_entries; i++, pos += entry_len) {
		if (cd_size - pos < CENTRAL_LEN || get32(cd + pos) != CENTRAL_SIG) {
			layout_fail(z, "central header", err);
			goto cleanup;
		}
		e = cd + pos;
		entry_len = CENTRAL_LEN + (uint32_t)get16(e + 28) + get16(e + 30) + get16(e + 32);
		local_off = get32(e + 42);
		if (entry_len > cd_size - pos || (uint64_t)local_off + LOCAL_LEN > cd_off) {
			layout_fail(z, "central header", err);
			goto cleanup;
		}
		memcpy(e + 12, stamp, 4);
		if (pread_all(fd, local, LOCAL_LEN, local_off) != 0 || get32(local) != LOCAL_SIG) {
			layout_fail(z, "local header", err);
			goto cleanup;
		}
		if (pwrite_all(fd, stamp, 4, (off_t)local_off + 10) != 0) {
			io_fail(z, err);
			goto cleanup;
		}
	}
	if (pos != cd_size) {
		layout_fail(z, "central directory size", err);
		goto cleanup;
	}
	if (pwrite_all(fd, cd, cd_size, cd_off) != 0) {
		io_fail(z, err);
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(cd);
	return ret;
}

/* The verification before the rename (output.h): a zip ends with its end
 * of central directory, which says where the central directory is. */
static lp_errcode verify_zip(int fd, uint64_t size)
{
	unsigned char eocd[EOCD_LEN];

	if (size < EOCD_LEN || pread_all(fd, eocd, EOCD_LEN, (off_t)(size - EOCD_LEN)) != 0 ||
	    get32(eocd) != EOCD_SIG ||
	    (uint64_t)get32(eocd + 16) + get32(eocd + 12) + EOCD_LEN != size)
		return LP_E_ZIP_NO_DIRECTORY;
	return LP_OK;
}

/* Write the archive into the file. 0, or -1 with err filled. */
static int finish(zipout *z, lp_err *err)
{
	/* an archive with no entries: just the end of central directory */
	static const unsigned char empty[EOCD_LEN] = { 0x50, 0x4b, 0x05, 0x06 };
	int fd = z->file->fd;

	if (z->poisoned)
		return lp_fail(err, LP_E_ZIP_POISONED, z->final_path);
	if (z->n_entries == 0) {
		zip_discard(z->za);  /* zip_close would want it removed */
	} else if (zip_close(z->za) != 0) {
		/* the source's own account says which input, libzip's does not */
		if (z->source_failure.code != LP_OK)
			return lp_fail_in(err, LP_E_WRITE_BECAUSE, &z->source_failure, z->final_path);
		return lp_fail(err, LP_E_WRITE_DETAIL, z->final_path, zip_strerror(z->za));
	}
	z->za = NULL;
	z->out = NULL; /* freed with libzip's source */
	if (z->n_entries == 0) {
		if (pwrite_all(fd, empty, sizeof empty, 0) != 0)
			return io_fail(z, err);
	} else if (fix_times(z, fd, err) != 0) {
		return -1;
	}
	output_set_external(z->file, verify_zip);
	return 0;
}

void zipout_set_sync(zipout *z, int sync)
{
	if (z)
		z->own.sync = sync;
}

int zipout_commit(zipout *z, lp_err *err)
{
	int ret = -1;

	if (!z)
		return lp_fail(err, LP_E_ZIP_NOT_OPEN);
	if (z->file == &z->own && finish(z, err) == 0)
		ret = output_commit(&z->own, err);
	zipout_abort(z);
	return ret;
}

int zipout_close(zipout *z, lp_err *err)
{
	int ret;

	if (!z)
		return lp_fail(err, LP_E_ZIP_NOT_OPEN);
	ret = finish(z, err);
	zipout_abort(z);
	return ret;
}

void zipout_abort(zipout *z)
{
	if (!z)
		return;
	if (z->za)
		zip_discard(z->za);
	if (z->file == &z->own)
		output_abort(&z->own);
	free(z);
}
