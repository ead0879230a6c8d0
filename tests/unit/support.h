/* support: helpers shared by the unit tests (tests/unit/support.c). */
#ifndef LICPACK_TEST_SUPPORT_H
#define LICPACK_TEST_SUPPORT_H

/* Run a shell command made with printf; its exit status, or -1 when it did
 * not exit normally. */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* printf into a new string; fails the test when out of memory. */
char *xstrdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
