/*
 * read: libtesseract's engines, pooled, and one page read with them (the
 * interface and what it promises are in read.h).
 *
 * Two pools of engines: ones loaded with chi_sim for the text, and, as
 * orientation detection needs an engine of its own in tesseract 5, ones
 * loaded with "osd"; one of each kind per thread using it at the time.
 * Engines are made when first needed and kept until reader_free, so a
 * folder of twelve scans starts each at most once per thread; the osd ones
 * (some 40 MiB each) can be let go earlier (reader_drop_osd), once the
 * turns of a folder's pages are known (reader_turn), so that they do not
 * sit beside the text engines while those recognise.
 */
#include "packet/read.h"
#include "packet/read_internal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>
#include <tesseract/capi.h>
#include <tesseract/version.h>

#include "tesseract_soname.h"

#define DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"
/* OSD's confidence below which a turn is not believed (tesseract's own
 * command line says 2.13 for a clean upside-down page, and well under 1 for
 * an upright page whose text is too sparse to tell). */
#define OSD_MIN_CONF 1.5f
/* A page OSD is unsure of that reads with a mean confidence under this is
 * read the other way up too; that read wins when it is better by
 * TURN_BETTER_BY points (upright text reads at 80-95, upside-down text
 * at 20-40 in the tests' pages). */
#define RETRY_BELOW_CONF 60
#define TURN_BETTER_BY 20

typedef struct engine {
	TessBaseAPI *api;
	struct engine *next;
} engine;

/* libtesseract's functions that licpack calls, and libgomp's one. */
#define TESS_FUNCTIONS(X)                                                                           \
	X(TessVersion) X(TessBaseAPICreate) X(TessBaseAPIDelete) X(TessBaseAPIEnd)                  \
	X(TessBaseAPISetVariable) X(TessBaseAPIInit2) X(TessBaseAPISetPageSegMode) X(TessBaseAPIClear) \
	X(TessBaseAPISetImage) X(TessBaseAPISetSourceResolution) X(TessBaseAPIDetectOrientationScript) \
	X(TessMonitorCreate) X(TessMonitorDelete) X(TessMonitorSetCancelFunc) X(TessMonitorSetCancelThis) \
	X(TessBaseAPIRecognize) X(TessBaseAPIMeanTextConf) X(TessBaseAPIGetUTF8Text) X(TessDeleteText) \
	X(omp_set_max_active_levels)

typedef struct {
#define TESS_MEMBER(name) __typeof__(name) *name;
	TESS_FUNCTIONS(TESS_MEMBER)
#undef TESS_MEMBER
} tess_api;

struct reader {
	tess_api t;     /* libtesseract, loaded with the first engine (load_tesseract) */
	int loaded;     /* 0 not yet, 1 loaded, -1 could not be */
	char datapath[1024];
	char version[64];
	int page_ms;
	uint64_t max_decoded;
	pthread_mutex_t lock;
	engine *idle;   /* text engines no thread is using */
	engine *osd_idle; /* orientation engines no thread is using */
};

static const char *const data_files[] = { "chi_sim.traineddata", "eng.traineddata", "osd.traineddata" };

/* libtesseract and its functions. Not linked with -ltesseract: it brings
 * leptonica, libarchive, libcurl, libgomp and a dozen more libraries that
 * the dynamic loader would map at every start of licpack (20 runs of
 * `licpack explain missing`: 1.05 s of CPU time linked, 0.43 s not),
 * though most runs read nothing (--no-read, the cache, the test suite); as
 * libqpdf (packet/qpdf_lazy.c) it is loaded when a reader is opened. The
 * library stays loaded to the end of the process: its OpenMP threads may
 * outlive the reader. Returns 0, or -1 when the library or a function is
 * missing. */
static int load_tesseract(tess_api *t)
{
	void *lib = dlopen(LICPACK_TESS_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!lib)
		return -1;
#define TESS_LOAD(name)                                \
	if (!(*(void **)&t->name = dlsym(lib, #name))) { \
		dlclose(lib);                            \
		return -1;                               \
	}
	TESS_FUNCTIONS(TESS_LOAD)
#undef TESS_LOAD
	return 0;
}

int reader_open(const reader_options *o, reader **out, const char **missing)
{
	const char *dp = o && o->datapath ? o->datapath : getenv("TESSDATA_PREFIX");
	reader *rd;

	*out = NULL;
	*missing = NULL;
	if (!dp || !*dp)
		dp = DEFAULT_TESSDATA;
	for (size_t i = 0; i < sizeof data_files / sizeof data_files[0]; i++) {
		char path[1200];

		snprintf(path, sizeof path, "%s/%s", dp, data_files[i]);
		if (access(path, R_OK) != 0) {
			*missing = data_files[i];
			return -1;
		}
	}
	rd = calloc(1, sizeof *rd);
	if (!rd) {
		*missing = "memory";
		return -1;
	}
	snprintf(rd->datapath, sizeof rd->datapath, "%s", dp);
	snprintf(rd->version, sizeof rd->version, "tesseract %s / licpack-read %d", TESSERACT_VERSION_STR,
		 READ_ENGINE_VERSION);
	rd->page_ms = o && o->page_ms > 0 ? o->page_ms : READ_PAGE_MS;
	rd->max_decoded = o && o->max_decoded ? o->max_decoded : READ_MAX_DECODED;
	pthread_mutex_init(&rd->lock, NULL);
	*out = rd;
	return 0;
}

static void engine_free(const reader *rd, engine *e)
{
	if (!e)
		return;
	if (e->api) {
		rd->t.TessBaseAPIEnd(e->api);
		rd->t.TessBaseAPIDelete(e->api);
	}
	free(e);
}

void reader_free(reader *rd)
{
	if (!rd)
		return;
	while (rd->idle) {
		engine *e = rd->idle;

		rd->idle = e->next;
		engine_free(rd, e);
	}
	reader_drop_osd(rd);
	pthread_mutex_destroy(&rd->lock);
	free(rd);
}

const char *reader_version(const reader *rd)
{
	return rd->version;
}

/* One tesseract engine for lang, quiet (its messages would go to stderr). */
static TessBaseAPI *engine_make(const reader *rd, const char *lang, TessPageSegMode psm)
{
	TessBaseAPI *api = rd->t.TessBaseAPICreate();

	if (!api)
		return NULL;
	rd->t.TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	if (rd->t.TessBaseAPIInit2(api, rd->datapath, lang, OEM_DEFAULT) != 0) {
		rd->t.TessBaseAPIDelete(api);
		return NULL;
	}
	rd->t.TessBaseAPISetPageSegMode(api, psm);
	return api;
}

void reader_drop_osd(reader *rd)
{
	engine *e;

	pthread_mutex_lock(&rd->lock);
	e = rd->osd_idle;
	rd->osd_idle = NULL;
	pthread_mutex_unlock(&rd->lock);
	while (e) {
		engine *next = e->next;

		engine_free(rd, e);
		e = next;
	}
}

/* An idle engine of the kind (osd: orientation, else text), or a new one;
 * NULL when none can be made. */
static engine *engine_take(reader *rd, int osd)
{
	engine **pool = osd ? &rd->osd_idle : &rd->idle, *e;

	pthread_mutex_lock(&rd->lock);
	/* the library only when a page is read: a check whose reads are all
	 * cached loads nothing */
	if (!rd->loaded)
		rd->loaded = load_tesseract(&rd->t) == 0 ? 1 : -1;
	e = rd->loaded == 1 ? *pool : NULL;
	if (e)
		*pool = e->next;
	pthread_mutex_unlock(&rd->lock);
	if (e || rd->loaded != 1)
		return e;
	e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	/* chi_sim alone, the page as one block of text: measured on the
	 * generated documents (make read-accuracy), chi_sim+eng with automatic
	 * layout lost lines that chi_sim reads (a date under a watermark, Latin
	 * letters read as English words); chi_sim's own Latin letters and
	 * digits read the identifiers and domains. */
	e->api = osd ? engine_make(rd, "osd", PSM_OSD_ONLY) : engine_make(rd, "chi_sim", PSM_SINGLE_BLOCK);
	if (!e->api) {
		engine_free(rd, e);
		return NULL;
	}
	return e;
}

static void engine_give_back(reader *rd, engine *e, int osd)
{
	engine **pool = osd ? &rd->osd_idle : &rd->idle;

	rd->t.TessBaseAPIClear(e->api);
	pthread_mutex_lock(&rd->lock);
	e->next = *pool;
	*pool = e;
	pthread_mutex_unlock(&rd->lock);
}

/* The budget: recognition asks this between words and stops when it says so. */
typedef struct {
	struct timespec end;
	int over;
} budget;

static bool budget_over(void *arg, int words)
{
	budget *b = arg;
	struct timespec now;

	(void)words;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > b->end.tv_sec || (now.tv_sec == b->end.tv_sec && now.tv_nsec >= b->end.tv_nsec))
		b->over = 1;
	return b->over;
}

/* How far img is turned clockwise, by OSD (0 when it cannot tell at all),
 * and whether OSD is sure of it (*sure). Returns -1 when no orientation
 * engine can be made. */
static int detect_turn(reader *rd, const read_img *img, int *sure)
{
	int deg = 0;
	float conf = 0, script_conf = 0;
	const char *script = NULL;
	engine *e = engine_take(rd, 1);

	if (!e)
		return -1;
	rd->t.omp_set_max_active_levels(0); /* see reader_page_turned */
	rd->t.TessBaseAPISetImage(e->api, img->px, (int)img->w, (int)img->h, 1, (int)img->w);
	rd->t.TessBaseAPISetSourceResolution(e->api, img->dpi >= 50 ? (int)img->dpi : 150);
	if (!rd->t.TessBaseAPIDetectOrientationScript(e->api, &deg, &conf, &script, &script_conf))
		deg = 0;
	engine_give_back(rd, e, 1);
	/* script points into the osd data's character set: capi.h says to
	 * TessDeleteText it, but tesseract 5.3.0 hands out its own string
	 * (freeing it corrupts the heap) */
	if (deg != 90 && deg != 180 && deg != 270)
		deg = 0;
	*sure = conf >= OSD_MIN_CONF;
	return deg;
}

/* Recognise img upright into out (status, confidence, text). */
static void recognise(reader *rd, engine *e, const read_img *img, read_page *out)
{
	ETEXT_DESC *mon = rd->t.TessMonitorCreate();
	budget b = { { 0, 0 }, 0 };
	char *t;

	if (!mon) {
		out->status = READ_PAGE_FAILED;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &b.end);
	b.end.tv_sec += rd->page_ms / 1000;
	b.end.tv_nsec += (long)(rd->page_ms % 1000) * 1000000L;
	if (b.end.tv_nsec >= 1000000000L) {
		b.end.tv_sec++;
		b.end.tv_nsec -= 1000000000L;
	}
	rd->t.TessMonitorSetCancelFunc(mon, budget_over);
	rd->t.TessMonitorSetCancelThis(mon, &b);
	rd->t.TessBaseAPISetImage(e->api, img->px, (int)img->w, (int)img->h, 1, (int)img->w);
	rd->t.TessBaseAPISetSourceResolution(e->api, img->dpi >= 50 ? (int)img->dpi : 150);
	if (rd->t.TessBaseAPIRecognize(e->api, mon) != 0 && !b.over) {
		out->status = READ_PAGE_FAILED;
	} else if (b.over || budget_over(&b, 0)) {
		out->status = READ_PAGE_TIMEOUT;
	} else {
		out->confidence = rd->t.TessBaseAPIMeanTextConf(e->api);
		t = rd->t.TessBaseAPIGetUTF8Text(e->api);
		out->text = t ? strdup(t) : NULL;
		if (t) {
			memset(t, 0, strlen(t));
			rd->t.TessDeleteText(t);
		}
		out->status = out->text ? READ_PAGE_OK : READ_PAGE_FAILED;
	}
	rd->t.TessMonitorDelete(mon);
}

/* out holds a read of img as it is, with a poor confidence: read img
 * turned back by turn too, and keep that instead when it reads clearly
 * better (by TURN_BETTER_BY points). */
static void try_turned(reader *rd, engine *e, read_img *img, int turn, read_page *out)
{
	read_page alt;

	memset(&alt, 0, sizeof alt);
	if (read_img_turn(img, 360 - turn) != 0)
		return;
	recognise(rd, e, img, &alt);
	if (alt.status == READ_PAGE_OK && alt.confidence >= out->confidence + TURN_BETTER_BY) {
		read_page_release(out);
		*out = alt;
		out->orientation = turn;
	} else {
		read_page_release(&alt);
	}
}

/* Decode data for reading: 0, or -1 with out->status saying why not. */
static int decode(const reader *rd, const uint8_t *data, size_t len, file_format fmt, read_img *img,
		  read_page_status *status)
{
	read_img_status st = read_img_decode(data, len, fmt, rd->max_decoded, img);

	if (st == READ_IMG_OK)
		return 0;
	*status = st == READ_IMG_FORMAT ? READ_PAGE_FORMAT
		: st == READ_IMG_TOO_LARGE ? READ_PAGE_TOO_LARGE
		: st == READ_IMG_CORRUPT ? READ_PAGE_UNDECODABLE : READ_PAGE_FAILED;
	return -1;
}

int reader_turn(reader *rd, const uint8_t *data, size_t len, file_format fmt, read_turn *out)
{
	read_img img;
	read_page_status st;
	int ret = -1;

	if (!rd || !data || !out || decode(rd, data, len, fmt, &img, &st) != 0)
		return -1;
	out->turn = detect_turn(rd, &img, &out->sure);
	if (out->turn >= 0)
		ret = 0;
	read_img_release(&img);
	return ret;
}

int reader_page_turned(reader *rd, const uint8_t *data, size_t len, file_format fmt, const read_turn *t,
		       read_page *out)
{
	read_img img;
	engine *e = NULL;
	int turn, sure = 0;

	if (!rd || !data || !out)
		return -1;
	memset(out, 0, sizeof *out);
	if (decode(rd, data, len, fmt, &img, &out->status) != 0)
		return 0;
	e = engine_take(rd, 0);
	if (!e) {
		out->status = READ_PAGE_FAILED;
		goto cleanup;
	}
	/* Debian's libtesseract runs its networks on OpenMP threads; pages are
	 * already read on threads of ours, and with both the two CPUs spent
	 * half their time switching (check of the 12-scan sample: 23 s, 8 s of
	 * it in the kernel; 14 s with one OpenMP thread). The setting belongs
	 * to the calling thread. */
	rd->t.omp_set_max_active_levels(0);
	if (t) {
		turn = t->turn;
		sure = t->sure;
	} else if ((turn = detect_turn(rd, &img, &sure)) < 0) {
		out->status = READ_PAGE_FAILED;
		goto cleanup;
	}
	if (!sure) {
		/* OSD unsure (small pages, sparse text): read the page as it is
		 * and, when that reads badly, the other way up too */
		recognise(rd, e, &img, out);
		if (out->status != READ_PAGE_OK || out->confidence >= RETRY_BELOW_CONF)
			goto cleanup;
		try_turned(rd, e, &img, turn ? turn : 180, out);
		goto cleanup;
	}
	/* upright: turned back by what OSD saw */
	out->orientation = turn;
	if (turn && read_img_turn(&img, 360 - turn) != 0) {
		out->status = READ_PAGE_FAILED;
		goto cleanup;
	}
	recognise(rd, e, &img, out);
cleanup:
	if (e)
		engine_give_back(rd, e, 0);
	read_img_release(&img);
	return 0;
}

int reader_page(reader *rd, const uint8_t *data, size_t len, file_format fmt, read_page *out)
{
	return reader_page_turned(rd, data, len, fmt, NULL, out);
}

void read_page_release(read_page *p)
{
	if (p->text) {
		memset(p->text, 0, strlen(p->text));
		free(p->text);
	}
	p->text = NULL;
}
