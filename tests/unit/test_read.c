/*
 * Unit tests for the reading engine's inputs and keeping (packet/read_image.c,
 * packet/read_cache.c): the scaled grey decode (a 300-dpi A4 JPEG comes out
 * at 150 dpi, a large PNG without a density at READ_MAX_SIDE, a small scan
 * unshrunk, a header over the pixel limit refused before decoding, damaged
 * bytes and other formats refused), quarter turns, the cache (round trip,
 * another reader's entry and a damaged one missed, modes 0700/0600, no
 * whole ID number kept) and the fuzz seeds of fuzz_read_input replayed.
 * Recognition itself (tesseract) is tested end to end: tests/e2e/reading.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jpeglib.h>
#include <png.h>

#include "packet/read_cache.h"
#include "packet/read_internal.h"
#include "tests/fuzz/fuzz_read_input.h"
#include "tests/unit/support.h"

typedef struct {
	uint8_t *data;
	size_t len, cap;
} mem;

static void mem_write(png_structp p, png_bytep d, size_t n)
{
	mem *m = png_get_io_ptr(p);

	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		m->data = realloc(m->data, m->cap);
		assert_non_null(m->data);
	}
	memcpy(m->data + m->len, d, n);
	m->len += n;
}

static void mem_flush(png_structp p)
{
	(void)p;
}

/* An RGB w x h PNG without a density, white. Caller frees. */
static uint8_t *make_png(uint32_t w, uint32_t h, size_t *len)
{
	png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(p);
	uint8_t *row = malloc((size_t)w * 3);
	mem m = { NULL, 0, 0 };

	assert_non_null(row);
	memset(row, 255, (size_t)w * 3);
	png_set_write_fn(p, &m, mem_write, mem_flush);
	png_set_IHDR(p, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(p, info);
	for (uint32_t y = 0; y < h; y++)
		png_write_row(p, row);
	png_write_end(p, NULL);
	png_destroy_write_struct(&p, &info);
	free(row);
	*len = m.len;
	return m.data;
}

static void test_scaled_decode(void **state)
{
	size_t len;
	uint8_t *j = half_black_jpeg(2480, 3508, 1, 300, &len), *p;
	read_img img;

	(void)state;
	/* A4 at 300 dpi: libjpeg's 4/8 gives 150 dpi exactly */
	assert_int_equal(read_img_decode(j, len, FMT_JPEG, 100000000, &img), READ_IMG_OK);
	assert_int_equal(img.w, 1240);
	assert_int_equal(img.h, 1754);
	assert_true(img.dpi > 149.9 && img.dpi < 150.1);
	assert_int_equal(img.px[0], 0);                     /* left half black */
	assert_true(img.px[img.w - 1] > 250);               /* right half white */
	read_img_release(&img);
	/* over the pixel limit once scaled: refused, nothing kept */
	assert_int_equal(read_img_decode(j, len, FMT_JPEG, 1000000, &img), READ_IMG_TOO_LARGE);
	assert_null(img.px);
	free(j);

	/* small: left as it is, even at 300 dpi */
	j = half_black_jpeg(800, 600, 1, 300, &len);
	assert_int_equal(read_img_decode(j, len, FMT_JPEG, 100000000, &img), READ_IMG_OK);
	assert_int_equal(img.w, 800);
	assert_int_equal(img.h, 600);
	read_img_release(&img);
	/* cut short: still decodes what is there, or refuses; never more */
	assert_true(read_img_decode(j, 40, FMT_JPEG, 100000000, &img) != READ_IMG_OK);
	free(j);

	/* no density, 3000 wide: capped at READ_MAX_SIDE */
	p = make_png(3000, 1000, &len);
	assert_int_equal(read_img_decode(p, len, FMT_PNG, 100000000, &img), READ_IMG_OK);
	assert_int_equal(img.w, 2000);
	assert_int_equal(img.h, 667);
	assert_int_equal(img.px[0], 255);
	read_img_release(&img);
	assert_int_equal(read_img_decode(p, len, FMT_PNG, 2999999, &img), READ_IMG_TOO_LARGE);
	assert_int_equal(read_img_decode(p, len / 2, FMT_PNG, 100000000, &img), READ_IMG_CORRUPT);
	assert_int_equal(read_img_decode(p, len, FMT_PDF, 100000000, &img), READ_IMG_FORMAT);
	free(p);
}

static void test_turn(void **state)
{
	uint8_t px[6] = { 1, 2, 3, 4, 5, 6 }; /* 3 x 2: 1 2 3 / 4 5 6 */
	read_img img = { malloc(6), 3, 2, 0 };
	static const uint8_t cw[6] = { 4, 1, 5, 2, 6, 3 }; /* 2 x 3 */
	static const uint8_t half[6] = { 6, 5, 4, 3, 2, 1 };

	(void)state;
	assert_non_null(img.px);
	memcpy(img.px, px, 6);
	assert_int_equal(read_img_turn(&img, 90), 0);
	assert_int_equal(img.w, 2);
	assert_int_equal(img.h, 3);
	assert_memory_equal(img.px, cw, 6);
	assert_int_equal(read_img_turn(&img, 90), 0);
	assert_memory_equal(img.px, half, 6);
	assert_int_equal(read_img_turn(&img, 180), 0);
	assert_memory_equal(img.px, px, 6);
	assert_int_equal(read_img_turn(&img, 270), 0);
	assert_int_equal(read_img_turn(&img, 90), 0);
	assert_memory_equal(img.px, px, 6);
	read_img_release(&img);
}

static void test_cache(void **state)
{
	char dir[] = "tests/out/unit-read-XXXXXX", sub[600], path[700];
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	unsigned char key[32], key2[32];
	struct file_read in, out;
	struct stat st;
	size_t len;
	uint8_t *text;

	(void)state;
	sh("mkdir -p tests/out");
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/a/licpack", dir);
	assert_int_equal(read_cache_prepare(sub), 0);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(read_cache_key(sub, key), 0);
	assert_int_equal(read_cache_key(sub, key2), 0);
	assert_memory_equal(key, key2, 32);
	snprintf(path, sizeof path, "%s/key", sub);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	memset(&in, 0, sizeof in);
	in.status = READ_PAGE_OK;
	in.turn = 270;
	in.confidence = 81;
	in.fields.kind = READ_DOC_ID_PORTRAIT;
	strcpy(in.fields.company, "示例科技有限公司");
	strcpy(in.fields.id_name, "张三");
	strcpy(in.fields.domains[0], "example.com");
	in.fields.n_domains = 1;
	strcpy(in.id_masked, "110105********002X");
	read_id_digest(key, "11010519491231002X", in.id_digest);
	assert_int_equal(strlen(in.id_digest), 64);
	assert_int_equal(read_cache_put(sub, sha, "reader 1", &in), 0);
	memset(&out, 0, sizeof out);
	assert_int_equal(read_cache_get(sub, sha, "reader 1", &out), 1);
	assert_int_equal(out.status, READ_PAGE_OK);
	assert_int_equal(out.turn, 270);
	assert_int_equal(out.confidence, 81);
	assert_int_equal(out.fields.kind, READ_DOC_ID_PORTRAIT);
	assert_string_equal(out.fields.company, "示例科技有限公司");
	assert_string_equal(out.fields.id_name, ""); /* not kept */
	assert_string_equal(out.fields.domains[0], "example.com");
	assert_int_equal(out.fields.n_domains, 1);
	assert_string_equal(out.id_masked, "110105********002X");
	assert_string_equal(out.id_digest, in.id_digest);
	/* another reader's entry, a missing one: misses */
	assert_int_equal(read_cache_get(sub, sha, "reader 2", &out), 0);
	assert_int_equal(read_cache_get(sub, "ab", "reader 1", &out), 0);

	snprintf(path, sizeof path, "%s/read-%s.json", sub, sha);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = read_file(path, &len);
	assert_non_null(text);
	assert_int_equal(occurrences(text, len, (const uint8_t *)"11010519491231002X", 18), 0);
	assert_int_equal(occurrences(text, len, (const uint8_t *)"张三", strlen("张三")), 0);
	/* damaged: a miss, and the next put writes it whole */
	write_file(path, text, len / 2);
	assert_int_equal(read_cache_get(sub, sha, "reader 1", &out), 0);
	assert_int_equal(read_cache_put(sub, sha, "reader 1", &in), 0);
	assert_int_equal(read_cache_get(sub, sha, "reader 1", &out), 1);
	free(text);
	/* out-of-range values are refused */
	assert_int_equal(read_cache_parse("{\"reader\":\"v\",\"status\":\"ok\",\"turn\":45,\"confidence\":1,\"fields\":{\"kind\":0}}",
					  strlen("{\"reader\":\"v\",\"status\":\"ok\",\"turn\":45,\"confidence\":1,\"fields\":{\"kind\":0}}"),
					  "v", &out), 0);
	rm_tree(dir);
}

static void test_replay_seeds(void **state)
{
	(void)state;
	assert_true(fuzz_replay("read_input", fuzz_read_input_one) >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scaled_decode),
		cmocka_unit_test(test_turn),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_replay_seeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
