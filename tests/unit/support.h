/* support: helpers shared by the unit tests (tests/unit/support.c). */
#ifndef LICPACK_TEST_SUPPORT_H
#define LICPACK_TEST_SUPPORT_H

#include <png.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "packet/check.h"
#include "pdf/packet_pdf.h"

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

/* A w x h PNG of format fmt (PNG_FORMAT_*), pixels a gradient with noise
 * (so that a JPEG of it is not trivially small); *len bytes, the caller
 * frees. */
uint8_t *png_of(uint32_t w, uint32_t h, uint32_t fmt, size_t *len);

/* Remove dir and everything below it (links not followed); 0 or -1. */
int rm_tree(const char *dir);

/* How often needle (m bytes, m > 0) occurs in hay[0..n), overlaps counted. */
int occurrences(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m);

/* ---- an applicant folder, checked as build checks it ---- */

/* The packet.json the fixtures write unless told otherwise: icp-renewal,
 * a company with a valid USCC, a legal representative with a valid ID
 * number, a licence and one domain (example.com). */
extern const char fixture_packet_json[];

/* A folder of the test's own, /tmp/licpack-TAG-XXXXXX, with in/ (the
 * applicant folder the test fills) and out/, the built-in templates and the
 * CJK font; and, after packet_fixture_check, the check of in/ and the
 * packet job that build would hand to pdf/. */
typedef struct {
	char dir[64];
	char in[96];
	char out[96];
	char font[1024];
	int font_index;
	template_set *set;
	const char *packet_json; /* written to in/packet.json by each check */
	const char *today;       /* the check's date, "2026-11-28" */
	check_result r;
	int checked;
	char **names;            /* r.n_files packet file names (packet_file_name) */
	pdf_packet_job job;
} packet_fixture;

/* Make one (fails the test when the folder, the templates or the font
 * cannot be had). Free with packet_fixture_free. */
packet_fixture *packet_fixture_new(const char *tag);

/* The same as cmocka set-up and tear-down functions: *state is the
 * fixture. */
int packet_fixture_setup(void **state);
int packet_fixture_teardown(void **state);

/* Write packet.json into in/, check in/ with keep_data (keeping up to
 * keep_bytes of file bytes) and fill job as build does. A check made
 * before is released first. */
void packet_fixture_check(packet_fixture *fx, uint64_t keep_bytes);

/* Release the check and names (the folder stays). */
void packet_fixture_release(packet_fixture *fx);

/* Release everything and remove the folder (kept, and named on stderr,
 * when LICPACK_KEEP is set). NULL is fine. */
void packet_fixture_free(packet_fixture *fx);

/* ---- a check result made in memory, for the report and manifest tests ---- */

/* Template "test-renewal" v3 (测试许可证续期 / Test licence renewal), no
 * region, materials in this order:
 *   0 business-license   营业执照副本 / Business licence     required, 1 file
 *   1 domain-certificate 域名证书 / Domain certificate       required, per domain, any number
 *   2 current-licence    现有许可证 / Current licence         required, any number
 *   3 commitment         承诺书 / Commitment letter           optional
 *   4 security-plan      信息安全方案 / Security plan         required, 1 file
 * Applicant 测试网络科技有限公司 (USCC 91350200776049653A), legal
 * representative 李四 (11010519491231002X, until 2035-01-01), licence
 * 京B2-20212732 until 2027-02-01, domain example.com until 2030-01-01.
 * Files, in packet order:
 *   营业执照.jpg              business-license, jpeg 2480x3508 150 dpi, 123456 bytes, by name
 *   域名证书_example.com.png  domain-certificate (example.com), png 1200x900, 2345 bytes, by name
 *   现有许可证/p1.pdf         current-licence, pdf 2 pages, 34567 bytes, by folder
 *   现有许可证/p2.jpg         current-licence, jpeg 800x600, orientation 6, 4567 bytes, by folder
 * each with the SHA-256 of its index ("0"-"3"). States: complete (with a
 * low-dpi warning), complete, invalid (a corrupt PDF), optional and absent,
 * missing; IMG_1.jpg unrecognised. Findings, in order: low-dpi (warning),
 * corrupt (error), missing (error), unrecognized (warning): incomplete. */
typedef struct {
	template tpl;
	material mats[5];
	checked_file files[4];
	material_state state[5];
	int count[5];
	char *unrecognized[1];
	applicant_domain domains[1];
	check_result r;
} made_check;

void made_check_init(made_check *mc);
void made_check_release(made_check *mc);

/* cmocka set-up and tear-down: *state is a new made_check. */
int made_check_setup(void **state);
int made_check_teardown(void **state);

/* cmocka set-up and tear-down: *state is the built-in template_set (a set-up
 * that cannot make it prints why and fails). */
int template_set_setup(void **state);
int template_set_teardown(void **state);

/* A w x h JPEG (components 1: grey, 3: RGB; dpi 0: none given) whose
 * left half is black and right half white; *len its size. Caller frees. */
uint8_t *half_black_jpeg(uint32_t w, uint32_t h, int components, int dpi, size_t *len);

/* A fuzz harness's entry (tests/fuzz/fuzz_*.h: fuzz_NAME_one). */
typedef int (*fuzz_one_fn)(const uint8_t *data, size_t size);

/* The fuzz target's inputs replayed through one: every file of
 * tests/fuzz/seeds/TARGET, then of tests/fuzz/regressions/TARGET (each in
 * name order, a missing folder none), given as libFuzzer gives them (an
 * exact-size heap copy). Returns how many. */
size_t fuzz_replay(const char *target, fuzz_one_fn one);
/* The same for every file of dir. */
size_t fuzz_replay_dir(const char *dir, fuzz_one_fn one);

/* RUNNING_ON_VALGRIND: valgrind's (non-zero under valgrind) where its
 * header is installed, else 0. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* Under valgrind, make libjpeg-turbo decode on its plain C path: its SIMD
 * code (colour conversion of 1/8-scale rows) leaves memcheck unsure of
 * pixels that are byte for byte the C path's (tests/valgrind.supp). Call
 * first in main(): libjpeg-turbo reads JSIMD_FORCENONE when it first
 * decodes. */
void jpeg_plain_under_valgrind(void);

/* json (pretty-printed, ending in a newline, as licpack writes it) holds
 * exactly the members of expected (compact JSON), in its order: cJSON reads
 * it back and writes it compactly. */
void assert_json_members(const char *json, const char *expected);

#endif
