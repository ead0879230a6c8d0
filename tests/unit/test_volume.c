/*
 * test_volume: the split of the combined PDF into volumes (packet/volume.h),
 * exactly, on support's made_check: which volume holds each material, the
 * volumes' names, a material alone over the limit (its own volume and the
 * volume-too-big warning naming it, or none when not asked), no volumes
 * when everything fits, and the estimates scaled up for a second plan:
 * from what the volumes measured (volume_plan_rescale), those of the
 * materials in a volume over the limit with a PDF, else with a PNG, else
 * all.
 *
 * The estimates: the files' bytes and 4096 a page, 65536 a volume for the
 * cover. made_check's materials: business-license 123456 + 4096 = 127552,
 * domain-certificate 2345 + 4096 = 6441, current-licence (a PDF of 2 pages
 * and a JPEG) 34567 + 8192 + 4567 + 4096 = 51422; the other two none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/support.h"

#include "packet/volume.h"

#define OVERHEAD 65536u

static void assert_volumes(const volume_plan *vp, int n, const int of[5])
{
	assert_int_equal(vp->n_volumes, n);
	for (int m = 0; m < 5; m++)
		assert_int_equal(vp->of_material[m], of[m]);
}

/* 140000 bytes of room: the licence and the certificate, then the rest. */
static void test_split(void **state)
{
	made_check *mc = *state;
	size_t findings = mc->r.findings.n;
	volume_plan vp;
	static const int of[5] = { 1, 1, 2, 0, 0 };

	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 140000, NULL, 1, "acme", 0, 1, &vp), 0);
	assert_volumes(&vp, 2, of);
	assert_int_equal(vp.n_groups, 3);
	assert_string_equal(vp.names[0], "acme_第1册.pdf");
	assert_string_equal(vp.names[1], "acme_第2册.pdf");
	assert_int_equal(vp.alone_over[0], 0);
	assert_int_equal(vp.alone_over[1], 0);
	assert_int_equal(mc->r.findings.n, findings);
	volume_plan_release(&vp);
	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 140000, NULL, 1, "acme", 1, 1, &vp), 0);
	assert_string_equal(vp.names[0], "acme_vol1.pdf");
	assert_string_equal(vp.names[1], "acme_vol2.pdf");
	volume_plan_release(&vp);
}

/* 100000 bytes of room: the business licence alone is over it: a volume
 * of its own, marked, and a warning that names it; the next material
 * starts the next volume. */
static void test_alone_over(void **state)
{
	made_check *mc = *state;
	size_t findings = mc->r.findings.n;
	volume_plan vp;
	const finding *f;
	static const int of[5] = { 1, 2, 2, 0, 0 };

	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 100000, NULL, 1, "acme", 0, 1, &vp), 0);
	assert_volumes(&vp, 2, of);
	assert_int_equal(vp.alone_over[0], 1);
	assert_int_equal(vp.alone_over[1], 0);
	assert_int_equal(mc->r.findings.n, findings + 1);
	f = &mc->r.findings.v[findings];
	assert_string_equal(f->code, "volume-too-big");
	assert_int_equal(f->sev, SEV_WARNING);
	assert_string_equal(f->material, "business-license");
	assert_null(f->file);
	assert_string_equal(f->msg_en, "'Business licence' alone takes about 0.2 MB of the PDF, over --max-pdf-mb "
				       "0.165536: volume 1 of 2 holds it on its own");
	assert_string_equal(f->msg_zh, "'营业执照副本' 单独约占 0.2 MB，超过 --max-pdf-mb 0.165536：单独成为第 1 册（共 2 册）");
	volume_plan_release(&vp);
	/* asked again without findings: none added */
	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 100000, NULL, 1, "acme", 0, 0, &vp), 0);
	assert_int_equal(mc->r.findings.n, findings + 1);
	volume_plan_release(&vp);
	/* a new plan with findings: its own in place of the earlier plan's
	 * (the licence in volume 1 of 3 now), the other findings kept */
	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 50000, NULL, 1, "acme", 0, 1, &vp), 0);
	assert_int_equal(vp.n_volumes, 3);
	assert_int_equal(mc->r.findings.n, findings + 2);
	for (size_t i = 0; i < findings; i++)
		assert_string_not_equal(mc->r.findings.v[i].code, "volume-too-big");
	f = &mc->r.findings.v[findings];
	assert_string_equal(f->material, "business-license");
	assert_string_equal(f->msg_en, "'Business licence' alone takes about 0.2 MB of the PDF, over --max-pdf-mb "
				       "0.115536: volume 1 of 3 holds it on its own");
	assert_string_equal(mc->r.findings.v[findings + 1].material, "current-licence");
	volume_plan_release(&vp);
}

/* Everything fits: no volumes, the packet keeps its one PDF. */
static void test_fits(void **state)
{
	made_check *mc = *state;
	size_t findings = mc->r.findings.n;
	volume_plan vp;
	static const int none[5] = { 0, 0, 0, 0, 0 };

	assert_int_equal(volume_plan_make(&mc->r, 10000000, NULL, 1, "acme", 0, 1, &vp), 0);
	assert_volumes(&vp, 0, none);
	assert_int_equal(vp.n_groups, 3);
	assert_null(vp.names);
	assert_int_equal(mc->r.findings.n, findings);
	volume_plan_release(&vp);
}

/* A second plan after a volume came out larger than planned: the
 * estimates doubled, the licence alone no longer fits with the rest. */
static void test_scaled(void **state)
{
	made_check *mc = *state;
	volume_plan vp;
	static const int of[5] = { 1, 2, 2, 0, 0 };
	static const double twice[5] = { 2, 2, 2, 2, 2 };

	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 140000, twice, 1, "acme", 0, 0, &vp), 0);
	assert_volumes(&vp, 2, of);
	assert_int_equal(vp.alone_over[0], 1);
	volume_plan_release(&vp);
}

/* A file left out of the packet counts for nothing. */
static void test_left_out(void **state)
{
	made_check *mc = *state;
	volume_plan vp;
	static const int of[5] = { 1, 2, 2, 0, 0 };

	mc->files[1].sha256[0] = '\0'; /* the certificate could not be read */
	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 130000, NULL, 1, "acme", 0, 0, &vp), 0);
	assert_int_equal(vp.n_groups, 2);
	assert_int_equal(vp.of_material[1], 0);
	assert_int_equal(vp.of_material[0], of[0]);
	assert_int_equal(vp.of_material[2], of[2]);
	volume_plan_release(&vp);
}

/* The first plan (140000 bytes of room) measured: the licence and the
 * certificate's volume 20000 bytes over its estimate. The excess goes to
 * the certificate, a PNG (the licence, a JPEG, goes in as it is): its
 * scale becomes (1 + 20000 / 6441) x 1.02; the second plan puts the
 * licence alone, under the limit, the certificate with current-licence.
 * Measured under the limit, or over it alone, nothing is planned again;
 * a volume of JPEGs only has them all scaled. */
static void test_rescale(void **state)
{
	made_check *mc = *state;
	volume_plan vp;
	double scale[5] = { 0 };
	uint64_t bytes[2] = { OVERHEAD + 133993 + 20000, OVERHEAD + 51422 };
	static const int first[5] = { 1, 1, 2, 0, 0 }, second[5] = { 1, 2, 2, 0, 0 };

	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 140000, scale, 1, "acme", 0, 0, &vp), 0);
	assert_volumes(&vp, 2, first);
	assert_int_equal(volume_plan_rescale(&mc->r, &vp, bytes, scale), 1);
	assert_true(scale[0] == 0 && scale[2] == 0 && scale[3] == 0 && scale[4] == 0);
	assert_true(scale[1] > (1 + 20000.0 / 6441) * 1.02 - 1e-9 && scale[1] < (1 + 20000.0 / 6441) * 1.02 + 1e-9);
	volume_plan_release(&vp);
	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 140000, scale, 1, "acme", 0, 0, &vp), 0);
	assert_volumes(&vp, 2, second);
	assert_int_equal(vp.alone_over[0], 0);
	/* measured under the limit: done */
	bytes[0] = OVERHEAD + 127552;
	bytes[1] = OVERHEAD + 60000;
	assert_int_equal(volume_plan_rescale(&mc->r, &vp, bytes, scale), 0);
	volume_plan_release(&vp);
	/* 100000 bytes of room: the licence alone over it is not planned again */
	memset(scale, 0, sizeof scale);
	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 100000, scale, 1, "acme", 0, 0, &vp), 0);
	assert_int_equal(vp.alone_over[0], 1);
	bytes[0] = OVERHEAD + 200000;
	bytes[1] = OVERHEAD + 50000;
	assert_int_equal(volume_plan_rescale(&mc->r, &vp, bytes, scale), 0);
	assert_true(scale[0] == 0 && scale[1] == 0 && scale[2] == 0);
	volume_plan_release(&vp);
	/* no volumes, the one PDF over the limit: current-licence, with a
	 * PDF, takes the excess (not the certificate, a PNG) */
	assert_int_equal(volume_plan_make(&mc->r, 10000000, scale, 1, "acme", 0, 0, &vp), 0);
	assert_int_equal(vp.n_volumes, 0);
	bytes[0] = 10000000 + 1;
	assert_int_equal(volume_plan_rescale(&mc->r, &vp, bytes, scale), 1);
	assert_true(scale[0] == 0 && scale[1] == 0 && scale[2] > 1);
	volume_plan_release(&vp);
}

/* A volume of JPEGs only, over: every material in it scaled. */
static void test_rescale_jpegs(void **state)
{
	made_check *mc = *state;
	volume_plan vp;
	double scale[5] = { 0 };
	uint64_t bytes[2];

	mc->files[1].sha256[0] = '\0'; /* the certificate left out */
	mc->files[2].sha256[0] = '\0'; /* and current-licence's PDF */
	assert_int_equal(volume_plan_make(&mc->r, OVERHEAD + 130000, scale, 1, "acme", 0, 0, &vp), 0);
	assert_int_equal(vp.n_volumes, 2);
	bytes[0] = OVERHEAD + 127552;
	bytes[1] = OVERHEAD + 130001;
	assert_int_equal(volume_plan_rescale(&mc->r, &vp, bytes, scale), 1);
	assert_true(scale[0] == 0 && scale[1] == 0 && scale[2] > 1);
	volume_plan_release(&vp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_split, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_alone_over, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_fits, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_scaled, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_left_out, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_rescale, made_check_setup, made_check_teardown),
		cmocka_unit_test_setup_teardown(test_rescale_jpegs, made_check_setup, made_check_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
