/*
 * util: small helpers every module needs — formatted strings, paths, reading
 * a file descriptor whole, SHA-256 in hex.
 */
#ifndef LICPACK_UTIL_H
#define LICPACK_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* printf into a new string (caller frees); NULL when out of memory. */
char *lp_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "a" + "/" + "b" in a new string (caller frees); NULL when out of memory. */
char *lp_path_join(const char *a, const char *b);

/* Read fd to its end into a new buffer (caller frees), at most max bytes;
 * a NUL follows the last byte (not counted in *len), so text can be parsed.
 * Returns 0; -1 on a read error or no memory (errno set); -2 when the file
 * holds more than max bytes. */
int lp_read_fd(int fd, size_t max, uint8_t **out, size_t *len);

/* A buffer that the bytes of one file after another go through: data holds
 * cap bytes (malloc'ed, or NULL with cap 0 to start); whoever owns the
 * buffer frees data at the end. */
typedef struct {
	uint8_t *data;
	size_t cap;
} lp_buffer;

/* As lp_read_fd, into b (grown as needed, never shrunk) rather than a new
 * buffer: the bytes are at b->data, valid until b is used again. */
int lp_read_fd_into(int fd, size_t max, lp_buffer *b, size_t *len);

/* EXIF orientation o (2-8) of a w x h image as stored: the stored pixel
 * (*sx, *sy) that the upright image shows at (x, y) (for 5-8 the upright
 * image is h wide and w high). */
void lp_orient_source(int o, uint32_t w, uint32_t h, uint32_t x, uint32_t y, uint32_t *sx, uint32_t *sy);

/* Big-endian reads (file formats: JPEG, PNG, TrueType); the caller has
 * checked that the bytes are there. */
static inline uint16_t lp_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t lp_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* SHA-256 of data as 64 lowercase hex digits and a NUL (out: 65 bytes).
 * Returns 0, or -1 when libcrypto fails. */
int lp_sha256_hex(const void *data, size_t len, char out[65]);

/* errnum in Chinese (strerror's English for one the table does not know). */
const char *lp_strerror_zh(int errnum);

#endif
