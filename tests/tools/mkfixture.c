/*
 * mkfixture: synthetic files for the end-to-end tests, so that the tests need
 * no ImageMagick and no real person's documents.
 *
 *   mkfixture jpeg OUT WxH [--grey] [--grey-pixels] [--dpi N] [--seal]
 *                  [--orientation N] [--quality Q] [--text-lines] [--variant N]
 *   mkfixture png  OUT WxH [--grey] [--dpi N] [--seal] [--palette] [--alpha]
 *                  [--text-lines] [--variant N]
 *   mkfixture pdf  OUT PAGES [--rotate R,R,...] [--tree-rotate R]
 *                  [--box X0,Y0,X1,Y1[/X0,Y0,X1,Y1...]] [--tree-box]
 *                  [--crop X0,Y0,X1,Y1] [--private BYTES]
 *                                     a small valid PDF (hand-written, with xref):
 *                                     /Rotate per page (lists cycle; -1: none),
 *                                     or on the page tree; media boxes per
 *                                     page, or the first on the page tree;
 *                                     --private: an array of about BYTES in page
 *                                     1's /PieceInfo (qpdf --object-streams=generate
 *                                     packs it into next to nothing)
 *   mkfixture heic|webp|tiff|gif|bmp|zip OUT
 *                                     just enough of the format to be sniffed
 *   mkfixture truncate FILE N         cut FILE to N bytes; N < 0: drop -N from the end
 *   mkfixture flip FILE OFFSET        invert one byte; OFFSET < 0 counts from the end
 *   mkfixture jpeg-damage FILE cut PERCENT | dnl | size WxH
 *                                     a JPEG mkfixture wrote, damaged: its scan
 *                                     cut at PERCENT % of its data and closed
 *                                     with an end marker; its height moved to
 *                                     a DNL marker after the scan; its frame
 *                                     header saying WxH
 *
 * A page is white paper with a coloured frame and a blue title band, black
 * marks along the bottom that spell --variant in binary (so that two pages
 * made with different variants never have the same bytes), optional lines of
 * "text", and an optional red company seal (a thick ring round a filled dot).
 * --grey writes a 1-component JPEG or a grey PNG; --grey-pixels writes a
 * 3-component JPEG whose pixels are all grey (a black-and-white copy saved in
 * colour). The same arguments always give the same bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#define TOOL_NAME "mkfixture"
#include "tool.h"

/* --- the page ---------------------------------------------------------- */

typedef struct {
	uint32_t w, h;
	int grey;          /* 1-component JPEG / grey PNG */
	int grey_pixels;   /* 3 components, every pixel grey */
	int dpi;           /* 0: no density written */
	int seal;
	int orientation;   /* 0: no EXIF */
	int quality;
	int text_lines;
	int variant;
	int palette;
	int alpha;
} page;

typedef struct {
	uint8_t r, g, b, a;
} rgba;

static const rgba WHITE = { 255, 255, 255, 255 };
static const rgba BLACK = { 20, 20, 20, 255 };
static const rgba BAND = { 30, 60, 160, 255 };    /* blue title band */
static const rgba FRAME = { 190, 150, 60, 255 };  /* gold printed border */
static const rgba SEAL = { 215, 35, 35, 255 };    /* seal ink */

/* A small deterministic generator (LCG) for line lengths. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7FFF;
}

/* Length of text line k, as a share (per mille) of the text width. */
static uint32_t line_permille(const page *p, uint32_t k)
{
	uint32_t s = (uint32_t)p->variant * 7919u + k * 104729u + 1u;

	next_random(&s);
	return 400 + next_random(&s) % 600;
}

static rgba page_pixel(const page *p, uint32_t x, uint32_t y)
{
	uint64_t W = p->w, H = p->h;
	uint64_t X = x, Y = y;
	uint64_t m = (W < H ? W : H);
	uint64_t frame = m / 100 + 1, inset = m / 25;

	/* the seal: a thick ring and a dot, lower right */
	if (p->seal) {
		int64_t cx = (int64_t)(W * 72 / 100), cy = (int64_t)(H * 78 / 100);
		int64_t R = (int64_t)(m * 11 / 100), dx = (int64_t)X - cx, dy = (int64_t)Y - cy;
		int64_t d2 = dx * dx + dy * dy;
		if ((d2 <= R * R && d2 >= (R * 75 / 100) * (R * 75 / 100)) || d2 <= (R * 30 / 100) * (R * 30 / 100))
			return SEAL;
	}
	/* the printed border */
	if ((X >= inset && X < inset + frame && Y >= inset && Y < H - inset) ||
	    (X + inset + frame > W && X + inset < W && Y >= inset && Y < H - inset) ||
	    (Y >= inset && Y < inset + frame && X >= inset && X < W - inset) ||
	    (Y + inset + frame > H && Y + inset < H && X >= inset && X < W - inset))
		return FRAME;
	/* the title band */
	if (Y >= H * 6 / 100 && Y < H * 10 / 100 && X >= W * 15 / 100 && X < W * 85 / 100)
		return BAND;
	/* the variant, in binary: 16 cells along the bottom, black for a 1 */
	if (Y >= H * 90 / 100 && Y < H * 92 / 100 && X >= W * 10 / 100 && X < W * 90 / 100) {
		uint64_t cell = (X - W * 10 / 100) * 16 / (W * 80 / 100 + 1);
		if ((p->variant >> cell) & 1 && (X - W * 10 / 100) % (W * 5 / 100 + 1) < W * 4 / 100)
			return BLACK;
	}
	/* lines of text between the band and the bottom marks */
	if (p->text_lines && Y >= H * 14 / 100 && Y < H * 86 / 100 && X >= W * 12 / 100) {
		uint64_t pitch = H / 40 + 1, k = (Y - H * 14 / 100) / pitch;
		uint64_t within = (Y - H * 14 / 100) % pitch;
		uint64_t len = W * 76 / 100 * line_permille(p, (uint32_t)k) / 1000;
		if (within < pitch / 3 && X < W * 12 / 100 + len)
			return BLACK;
	}
	return WHITE;
}

static uint8_t luma(rgba c)
{
	return (uint8_t)((c.r * 299u + c.g * 587u + c.b * 114u + 500u) / 1000u);
}

static void parse_size(const char *s, page *p)
{
	unsigned long w, h;
	char x, extra;

	if (sscanf(s, "%lu%c%lu%c", &w, &x, &h, &extra) != 3 || x != 'x' || w == 0 || h == 0 ||
	    w > 65535 || h > 65535)
		die("size: '%s' is not WxH (1-65535 each)", s);
	p->w = (uint32_t)w;
	p->h = (uint32_t)h;
}

/* Options common to jpeg and png; png refuses the JPEG-only ones. */
static void parse_page(int argc, char **argv, int is_png, page *p)
{
	int i;

	memset(p, 0, sizeof *p);
	p->quality = 85;
	parse_size(argv[0], p);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--grey"))
			p->grey = 1;
		else if (!strcmp(a, "--seal"))
			p->seal = 1;
		else if (!strcmp(a, "--text-lines"))
			p->text_lines = 1;
		else if (!strcmp(a, "--dpi") && v)
			p->dpi = (int)tool_number(argv[++i], 1, 65535, "--dpi");
		else if (!strcmp(a, "--variant") && v)
			p->variant = (int)tool_number(argv[++i], 0, 65535, "--variant");
		else if (!is_png && !strcmp(a, "--grey-pixels"))
			p->grey_pixels = 1;
		else if (!is_png && !strcmp(a, "--orientation") && v)
			p->orientation = (int)tool_number(argv[++i], 0, 65535, "--orientation");
		else if (!is_png && !strcmp(a, "--quality") && v)
			p->quality = (int)tool_number(argv[++i], 1, 100, "--quality");
		else if (is_png && !strcmp(a, "--palette"))
			p->palette = 1;
		else if (is_png && !strcmp(a, "--alpha"))
			p->alpha = 1;
		else
			die("unknown or incomplete option '%s'", a);
	}
	if (p->grey + p->palette + p->alpha > 1)
		die("--grey, --palette and --alpha exclude each other");
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		die("cannot create '%s': %s", path, strerror(errno));
	return f;
}

static void close_out(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f))
		die("cannot write '%s'", path);
}

/* --- JPEG -------------------------------------------------------------- */

/* APP1 "Exif" with IFD0 holding only the Orientation tag (big-endian). */
static void write_exif(struct jpeg_compress_struct *c, int orientation)
{
	uint8_t b[] = {
		'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0, 42, 0, 0, 0, 8,      /* TIFF header, IFD0 at 8 */
		0, 1,                             /* one entry */
		0x01, 0x12, 0, 3, 0, 0, 0, 1,     /* Orientation, SHORT, count 1 */
		0, 0, 0, 0,                       /* the value, left-justified */
		0, 0, 0, 0,                       /* no next IFD */
	};
	b[24] = (uint8_t)(orientation >> 8);
	b[25] = (uint8_t)orientation;
	jpeg_write_marker(c, JPEG_APP0 + 1, b, sizeof b);
}

static void make_jpeg(const char *out, int argc, char **argv)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr err;
	page p;
	FILE *f;
	JSAMPLE *row;
	uint32_t x, y;
	int comps;

	if (argc < 1)
		die("jpeg: WxH missing");
	parse_page(argc, argv, 0, &p);
	comps = p.grey ? 1 : 3;
	row = malloc((size_t)p.w * 3);
	if (!row)
		die("out of memory");
	f = open_out(out);
	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = p.w;
	c.image_height = p.h;
	c.input_components = comps;
	c.in_color_space = p.grey ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, p.quality, TRUE);
	c.write_JFIF_header = TRUE;
	if (p.dpi) {
		c.density_unit = 1;
		c.X_density = c.Y_density = (UINT16)p.dpi;
	} else {
		c.density_unit = 0;
		c.X_density = c.Y_density = 1;
	}
	jpeg_start_compress(&c, TRUE);
	if (p.orientation)
		write_exif(&c, p.orientation);
	for (y = 0; y < p.h; y++) {
		for (x = 0; x < p.w; x++) {
			rgba px = page_pixel(&p, x, y);
			if (p.grey) {
				row[x] = luma(px);
			} else if (p.grey_pixels) {
				row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = luma(px);
			} else {
				row[3 * x] = px.r;
				row[3 * x + 1] = px.g;
				row[3 * x + 2] = px.b;
			}
		}
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	close_out(f, out);
}

/* --- PNG --------------------------------------------------------------- */

static const rgba palette_colours[] = { { 255, 255, 255, 255 }, { 20, 20, 20, 255 },
					{ 30, 60, 160, 255 }, { 190, 150, 60, 255 },
					{ 215, 35, 35, 255 } };

static uint8_t palette_index(rgba c)
{
	uint8_t i;

	for (i = 0; i < sizeof palette_colours / sizeof palette_colours[0]; i++)
		if (palette_colours[i].r == c.r && palette_colours[i].g == c.g && palette_colours[i].b == c.b)
			return i;
	die("internal: colour %u,%u,%u is not in the palette", c.r, c.g, c.b);
}

static void make_png(const char *out, int argc, char **argv)
{
	png_structp png;
	png_infop info;
	page p;
	FILE *f;
	uint8_t *row;
	uint32_t x, y;
	int type, bpp;

	if (argc < 1)
		die("png: WxH missing");
	parse_page(argc, argv, 1, &p);
	type = p.grey ? PNG_COLOR_TYPE_GRAY : p.palette ? PNG_COLOR_TYPE_PALETTE
		     : p.alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB;
	bpp = p.grey || p.palette ? 1 : p.alpha ? 4 : 3;
	row = malloc((size_t)p.w * (size_t)bpp);
	if (!row)
		die("out of memory");
	f = open_out(out);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!png || !info)
		die("out of memory");
	if (setjmp(png_jmpbuf(png)))
		die("libpng failed writing '%s'", out);
	png_init_io(png, f);
	png_set_IHDR(png, info, p.w, p.h, 8, type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	if (p.palette) {
		png_color pal[sizeof palette_colours / sizeof palette_colours[0]];
		size_t i;
		for (i = 0; i < sizeof pal / sizeof pal[0]; i++) {
			pal[i].red = palette_colours[i].r;
			pal[i].green = palette_colours[i].g;
			pal[i].blue = palette_colours[i].b;
		}
		png_set_PLTE(png, info, pal, (int)(sizeof pal / sizeof pal[0]));
	}
	if (p.dpi) {
		png_uint_32 ppm = (png_uint_32)(p.dpi / 0.0254 + 0.5);
		png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
	}
	png_write_info(png, info);
	for (y = 0; y < p.h; y++) {
		for (x = 0; x < p.w; x++) {
			rgba px = page_pixel(&p, x, y);
			if (p.grey) {
				row[x] = luma(px);
			} else if (p.palette) {
				row[x] = palette_index(px);
			} else {
				row[bpp * x] = px.r;
				row[bpp * x + 1] = px.g;
				row[bpp * x + 2] = px.b;
				/* paper is transparent (black at alpha 0): it must print as white */
				if (p.alpha) {
					int paper = px.r == WHITE.r && px.g == WHITE.g && px.b == WHITE.b;
					if (paper)
						row[bpp * x] = row[bpp * x + 1] = row[bpp * x + 2] = 0;
					row[bpp * x + 3] = paper ? 0 : 255;
				}
			}
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	close_out(f, out);
}

/* --- PDF --------------------------------------------------------------- */

/* A growing text buffer: PDF objects are written into it so that each
 * object's offset is known for the xref table. */
typedef struct {
	char *s;
	size_t n, cap;
} text;

static void text_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(text *t, const char *fmt, ...)
{
	va_list ap;
	int need;

	va_start(ap, fmt);
	need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0)
		die("formatting failed");
	if (t->n + (size_t)need + 1 > t->cap) {
		t->cap = (t->n + (size_t)need + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			die("out of memory");
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
	va_end(ap);
	t->n += (size_t)need;
}

/* The page options of `mkfixture pdf`: /Rotate per page (cycled through
 * the list; -1: none of its own), /Rotate on the page tree (inherited; -1:
 * none), a media box per page (cycled) or one on the page tree, and a crop
 * box on every page (none when crop[2] is 0). */
typedef struct {
	long rotate[16], tree_rotate;
	int n_rotate;
	double box[16][4], crop[4];
	int n_box, tree_box;
	long private_bytes; /* > 0: page 1's /PieceInfo holds an array this long */
} pdf_opts;

/* "A,B,C" into at most max longs (or, with boxes, "X0,Y0,X1,Y1/..." into
 * 4-number boxes); returns how many. */
static int parse_list(const char *s, long *out, int max)
{
	int n = 0;
	char *end;

	while (*s && n < max) {
		out[n++] = strtol(s, &end, 10);
		if (end == s || (*end && *end != ','))
			die("pdf: bad list '%s'", s);
		s = *end ? end + 1 : end;
	}
	return n;
}

static void parse_box(const char *s, double *b)
{
	if (sscanf(s, "%lf,%lf,%lf,%lf", &b[0], &b[1], &b[2], &b[3]) != 4)
		die("pdf: bad box '%s' (X0,Y0,X1,Y1)", s);
}

static void pdf_options(int argc, char **argv, pdf_opts *o)
{
	memset(o, 0, sizeof *o);
	o->tree_rotate = -1;
	o->rotate[0] = -1;
	o->n_rotate = 1;
	o->box[0][2] = 595;
	o->box[0][3] = 842;
	o->n_box = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rotate") && i + 1 < argc) {
			o->n_rotate = parse_list(argv[++i], o->rotate, 16);
		} else if (!strcmp(argv[i], "--tree-rotate") && i + 1 < argc) {
			o->tree_rotate = tool_number(argv[++i], -360000, 360000, "--tree-rotate");
		} else if (!strcmp(argv[i], "--box") && i + 1 < argc) {
			const char *b = argv[++i];
			for (o->n_box = 0; b && o->n_box < 16; o->n_box++) {
				parse_box(b, o->box[o->n_box]);
				b = strchr(b, '/');
				b = b ? b + 1 : NULL;
			}
		} else if (!strcmp(argv[i], "--tree-box")) {
			o->tree_box = 1;
		} else if (!strcmp(argv[i], "--crop") && i + 1 < argc) {
			parse_box(argv[++i], o->crop);
		} else if (!strcmp(argv[i], "--private") && i + 1 < argc) {
			o->private_bytes = tool_number(argv[++i], 4, 100000000, "--private");
		} else {
			die("pdf: unknown option '%s'", argv[i]);
		}
	}
}

/* Objects: 1 catalog, 2 page tree, then per page k (0-based) 3+2k the page
 * and 4+2k its content stream (a blue band along the top of its box, k+1
 * black bars below it and a black square in the bottom left corner: which
 * way up it was drawn shows when it is rendered). */
static void make_pdf(const char *out, int argc, char **argv)
{
	text t = { 0 };
	long pages, k, nobj, i;
	size_t *offset, xref;
	pdf_opts o;
	FILE *f;

	if (argc < 1)
		die("pdf: PAGES missing");
	pages = tool_number(argv[0], 1, 1000, "pages");
	pdf_options(argc, argv, &o);
	nobj = 2 + 2 * pages + (o.private_bytes > 0);
	offset = calloc((size_t)nobj + 1, sizeof *offset);
	if (!offset)
		die("out of memory");
	text_add(&t, "%%PDF-1.4\n%%\xE2\xE3\xCF\xD3\n");
	offset[1] = t.n;
	text_add(&t, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	offset[2] = t.n;
	text_add(&t, "2 0 obj\n<< /Type /Pages /Count %ld /Kids [", pages);
	for (k = 0; k < pages; k++)
		text_add(&t, "%s%ld 0 R", k ? " " : "", 3 + 2 * k);
	text_add(&t, "]");
	if (o.tree_rotate != -1)
		text_add(&t, " /Rotate %ld", o.tree_rotate);
	if (o.tree_box)
		text_add(&t, " /MediaBox [%g %g %g %g]", o.box[0][0], o.box[0][1], o.box[0][2], o.box[0][3]);
	text_add(&t, " >>\nendobj\n");
	for (k = 0; k < pages; k++) {
		text body = { 0 };
		const double *b = o.box[k % o.n_box];
		long bar, rot = o.rotate[k % o.n_rotate];
		text_add(&body, "1 0 0 1 %g %g cm\n0.12 0.24 0.63 rg 40 %g %g 34 re f\n0.08 0.08 0.08 rg\n", b[0], b[1],
			 b[3] - b[1] - 80, b[2] - b[0] - 80);
		for (bar = 0; bar <= k && bar < 40; bar++)
			text_add(&body, "40 %g 200 8 re f\n", b[3] - b[1] - 120 - 16 * bar);
		text_add(&body, "40 60 40 40 re f\n");
		offset[3 + 2 * k] = t.n;
		text_add(&t, "%ld 0 obj\n<< /Type /Page /Parent 2 0 R ", 3 + 2 * k);
		if (!o.tree_box)
			text_add(&t, "/MediaBox [%g %g %g %g] ", b[0], b[1], b[2], b[3]);
		if (o.crop[2] != 0)
			text_add(&t, "/CropBox [%g %g %g %g] ", o.crop[0], o.crop[1], o.crop[2], o.crop[3]);
		if (rot != -1)
			text_add(&t, "/Rotate %ld ", rot);
		if (k == 0 && o.private_bytes > 0)
			text_add(&t, "/PieceInfo << /Licpack << /LastModified (D:20261128000000Z) /Private %ld 0 R >> >> ",
				 nobj);
		text_add(&t, "/Resources << >> /Contents %ld 0 R >>\nendobj\n", 4 + 2 * k);
		offset[4 + 2 * k] = t.n;
		text_add(&t, "%ld 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n", 4 + 2 * k,
			 body.n, body.s);
		free(body.s);
	}
	if (o.private_bytes > 0) { /* an application's private data: "[ 0 0 ... ]" */
		offset[nobj] = t.n;
		text_add(&t, "%ld 0 obj\n[", nobj);
		for (long b = 2; b < o.private_bytes; b += 2)
			text_add(&t, " 0");
		text_add(&t, "]\nendobj\n");
	}
	xref = t.n;
	/* each entry exactly 20 bytes: 10 digits, space, 5 digits, space, n/f, space, LF */
	text_add(&t, "xref\n0 %ld\n0000000000 65535 f \n", nobj + 1);
	for (i = 1; i <= nobj; i++)
		text_add(&t, "%010zu 00000 n \n", offset[i]);
	text_add(&t, "trailer\n<< /Size %ld /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", nobj + 1, xref);
	f = open_out(out);
	fwrite(t.s, 1, t.n, f);
	close_out(f, out);
	free(t.s);
	free(offset);
}

/* --- formats licpack refuses: just their signatures -------------------- */

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Header bytes, then filler up to size (a repeating pattern, no NULs so
 * that the filler alone could never pass for anything). */
static void write_header_file(const char *out, const uint8_t *head, size_t hlen, size_t size)
{
	FILE *f = open_out(out);
	size_t i;

	fwrite(head, 1, hlen, f);
	for (i = hlen; i < size; i++)
		fputc(0x80 + (int)(i % 61), f);
	close_out(f, out);
}

static void make_signature(const char *kind, const char *out)
{
	uint8_t b[64];
	size_t n = 0, size = 1024;

	memset(b, 0, sizeof b);
	if (!strcmp(kind, "heic")) {
		/* ISO BMFF: ftyp box (size 24) with brand heic, compatible mif1 heic */
		static const uint8_t ftyp[] = { 0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0,
						'm', 'i', 'f', '1', 'h', 'e', 'i', 'c' };
		memcpy(b, ftyp, n = sizeof ftyp);
		/* then a 'free' box over the rest */
		b[n + 0] = (uint8_t)((size - n) >> 24);
		b[n + 1] = (uint8_t)((size - n) >> 16);
		b[n + 2] = (uint8_t)((size - n) >> 8);
		b[n + 3] = (uint8_t)(size - n);
		memcpy(b + n + 4, "free", 4);
		n += 8;
	} else if (!strcmp(kind, "webp")) {
		memcpy(b, "RIFF", 4);
		put_le32(b + 4, (uint32_t)(size - 8));
		memcpy(b + 8, "WEBPVP8 ", 8);
		put_le32(b + 16, (uint32_t)(size - 20));
		n = 20;
	} else if (!strcmp(kind, "tiff")) {
		memcpy(b, "II*\0\x08\0\0\0", 8);
		n = 8;
	} else if (!strcmp(kind, "gif")) {
		memcpy(b, "GIF89a\x01\x00\x01\x00\x00\x00\x00", 13);
		n = 13;
	} else if (!strcmp(kind, "bmp")) {
		b[0] = 'B';
		b[1] = 'M';
		put_le32(b + 2, (uint32_t)size);
		put_le32(b + 10, 54);  /* pixel data offset */
		put_le32(b + 14, 40);  /* BITMAPINFOHEADER */
		put_le32(b + 18, 1);
		put_le32(b + 22, 1);
		b[26] = 1;
		b[28] = 24;
		n = 54;
	} else if (!strcmp(kind, "zip")) {
		/* an empty zip: the end-of-central-directory record alone */
		memcpy(b, "PK\x05\x06", 4);
		n = size = 22;
	} else {
		die("unknown kind '%s'", kind);
	}
	write_header_file(out, b, n, size);
}

/* --- damaging files ---------------------------------------------------- */

static long file_size(FILE *f, const char *path)
{
	long n;

	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		die("cannot seek in '%s': %s", path, strerror(errno));
	return n;
}

static void truncate_file(const char *path, const char *arg)
{
	FILE *f = fopen(path, "rb");
	long size, n = tool_number(arg, -2147483647L, 2147483647L, "size");
	char *buf;

	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	size = file_size(f, path);
	if (n < 0)
		n += size;
	if (n < 0 || n > size)
		die("'%s' has %ld bytes; cannot cut it to %s", path, size, arg);
	buf = malloc((size_t)n + 1);
	if (!buf || fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read '%s'", path);
	fclose(f);
	f = open_out(path);
	fwrite(buf, 1, (size_t)n, f);
	close_out(f, path);
	free(buf);
}

static void flip_byte(const char *path, const char *arg)
{
	FILE *f = fopen(path, "r+b");
	long size, off = tool_number(arg, -2147483647L, 2147483647L, "offset");
	int c;

	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	size = file_size(f, path);
	if (off < 0)
		off += size;
	if (off < 0 || off >= size)
		die("'%s' has %ld bytes; no byte at %s", path, size, arg);
	if (fseek(f, off, SEEK_SET) != 0 || (c = fgetc(f)) == EOF || fseek(f, off, SEEK_SET) != 0 ||
	    fputc(c ^ 0xFF, f) == EOF)
		die("cannot change '%s'", path);
	close_out(f, path);
}

/* A JPEG this program wrote (one baseline scan, ending with FF D9),
 * damaged as kind says (see the usage at the top). */
static void damage_jpeg(const char *path, const char *kind, const char *arg)
{
	FILE *f = fopen(path, "rb");
	long size, sof = -1, data = -1, end;
	unsigned char *b;

	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	size = file_size(f, path);
	b = malloc((size_t)size + 6);
	if (!b || fseek(f, 0, SEEK_SET) != 0 || fread(b, 1, (size_t)size, f) != (size_t)size)
		die("cannot read '%s'", path);
	fclose(f);
	for (long p = 2; p + 4 <= size && b[p] == 0xFF && data < 0; p += 2 + (b[p + 2] << 8 | b[p + 3])) {
		if (b[p + 1] == 0xC0)
			sof = p + 5; /* height, then width */
		if (b[p + 1] == 0xDA)
			data = p + 2 + (b[p + 2] << 8 | b[p + 3]);
	}
	end = size - 2;
	if (sof < 0 || data < 0 || b[end] != 0xFF || b[end + 1] != 0xD9)
		die("'%s': not a baseline JPEG written by mkfixture", path);
	if (!strcmp(kind, "cut") && arg) {
		long keep = data + (end - data) * tool_number(arg, 0, 99, "percent") / 100;
		if (b[keep - 1] == 0xFF)
			keep--; /* not half of a stuffed FF 00 */
		b[keep] = 0xFF;
		b[keep + 1] = 0xD9;
		size = keep + 2;
	} else if (!strcmp(kind, "dnl") && !arg) {
		unsigned char dnl[6] = { 0xFF, 0xDC, 0x00, 0x04, b[sof], b[sof + 1] };
		b[sof] = b[sof + 1] = 0;
		memcpy(b + end, dnl, sizeof dnl);
		b[end + 6] = 0xFF;
		b[end + 7] = 0xD9;
		size += 6;
	} else if (!strcmp(kind, "size") && arg) {
		unsigned long w, h;
		if (sscanf(arg, "%lux%lu", &w, &h) != 2 || w > 65535 || h > 65535)
			die("size: WxH, each at most 65535");
		b[sof] = (unsigned char)(h >> 8);
		b[sof + 1] = (unsigned char)h;
		b[sof + 2] = (unsigned char)(w >> 8);
		b[sof + 3] = (unsigned char)w;
	} else {
		die("jpeg-damage: cut PERCENT, dnl or size WxH");
	}
	f = open_out(path);
	fwrite(b, 1, (size_t)size, f);
	close_out(f, path);
	free(b);
}

int main(int argc, char **argv)
{
	const char *kind;

	if (argc < 3) {
		fprintf(stderr,
			"usage: mkfixture jpeg OUT WxH [--grey] [--grey-pixels] [--dpi N] [--seal]\n"
			"                      [--orientation N] [--quality Q] [--text-lines] [--variant N]\n"
			"       mkfixture png OUT WxH [--grey] [--dpi N] [--seal] [--palette] [--alpha]\n"
			"                      [--text-lines] [--variant N]\n"
			"       mkfixture pdf OUT PAGES [--rotate R,R,...] [--tree-rotate R]\n"
			"                      [--box X0,Y0,X1,Y1[/...]] [--tree-box] [--crop X0,Y0,X1,Y1]\n"
			"                      [--private BYTES]\n"
			"       mkfixture heic|webp|tiff|gif|bmp|zip OUT\n"
			"       mkfixture truncate FILE N        (N < 0: drop -N bytes from the end)\n"
			"       mkfixture flip FILE OFFSET       (OFFSET < 0: from the end)\n"
			"       mkfixture jpeg-damage FILE cut PERCENT | dnl | size WxH\n");
		return 2;
	}
	kind = argv[1];
	if (!strcmp(kind, "jpeg"))
		make_jpeg(argv[2], argc - 3, argv + 3);
	else if (!strcmp(kind, "png"))
		make_png(argv[2], argc - 3, argv + 3);
	else if (!strcmp(kind, "pdf"))
		make_pdf(argv[2], argc - 3, argv + 3);
	else if (!strcmp(kind, "truncate") && argc == 4)
		truncate_file(argv[2], argv[3]);
	else if (!strcmp(kind, "flip") && argc == 4)
		flip_byte(argv[2], argv[3]);
	else if (!strcmp(kind, "jpeg-damage") && (argc == 4 || argc == 5))
		damage_jpeg(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	else if (argc == 3)
		make_signature(kind, argv[2]);
	else
		die("'%s': unknown kind or wrong arguments", kind);
	return 0;
}
