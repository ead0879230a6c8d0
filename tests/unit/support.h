/* support: helpers shared by the unit tests (tests/unit/support.c). */
#ifndef LICPACK_TEST_SUPPORT_H
#define LICPACK_TEST_SUPPORT_H

#include <png.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Run a shell command made with printf; its exit status, or -1 when it did
 * not exit normally. */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 1 when the command name is on PATH. Otherwise 0, after printing
 * "SKIPPED: ..." on stdout (in the running test's output, where
 * tests/run.sh counts it as a check not made): make deps-test installs
 * every tool the unit tests use, so in CI this never happens. */
int have_tool(const char *name);

/* fork(); in the child, when running as root, first drop the capabilities
 * that let root ignore file permissions (CAP_DAC_OVERRIDE,
 * CAP_DAC_READ_SEARCH, CAP_FOWNER), so that it is refused what the modes
 * refuse, as an ordinary user is: permission tests then also test as root,
 * as CI runs. Returns fork()'s value; the child _exit()s when done and
 * reports through a pipe or its exit status, not cmocka's assertions. A
 * child that cannot drop them _exit(125)s. */
pid_t fork_unprivileged(void);

/* printf into a new string; fails the test when out of memory. */
char *xstrdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The whole of path (NUL-terminated too, not counted in *len), or NULL
 * when it cannot be opened; fails the test when out of memory. */
uint8_t *read_file(const char *path, size_t *len);

/* Write len bytes to path; fails the test on any error. */
void write_file(const char *path, const void *data, size_t len);

/* libpng write callbacks collecting a PNG in memory (png_set_write_fn with
 * a membuf as the io pointer). */
typedef struct {
	uint8_t *buf;
	size_t len, cap;
} membuf;
void png_mem_write(png_structp png, png_bytep data, size_t n);
void png_mem_flush(png_structp png);

#endif
