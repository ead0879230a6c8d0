/*
 * probe_pdf: whether a PDF opens, how many pages it has, and its page size.
 *
 * PDF structure is left to qpdf (through its C API), which repairs what it
 * can the way viewers do: a file it opens only with warnings (a broken xref
 * table, a missing trailer it had to reconstruct) is reported as repaired, a
 * file it cannot open or that has no pages as corrupt, one that needs a
 * password as encrypted. qpdf tries the empty user password itself, so a
 * file that merely restricts printing or editing opens normally; it is
 * marked pdf_restricted, since its bytes stay encrypted wherever they go.
 *
 * Then every stream is decoded once, by writing the file to /dev/null (one
 * stream in memory at a time): a stream whose data cannot be decoded
 * (LZW/Flate damage) makes the file corrupt. JPEG (DCT) images are left out
 * of that write and read by probe_jpeg instead (bad_images): qpdf decodes
 * each whole into memory, 26 MB for an A4 page scanned at 300 dpi, and that
 * was 70 % of `check`'s time on the sample folder (perf, 2-page PDF: 0.45 s
 * of 0.66 s); probe_jpeg decodes the same entropy data, to its end, at 1/8
 * scale. A damaged JPEG makes the file corrupt, as before. And every
 * page's content is tokenised (probe_pdf_content_ok): a page whose drawing
 * instructions are cut short or unbalanced makes it repaired (it shows,
 * perhaps only in part).
 *
 * Before qpdf sees the bytes, predictor parameters no real file uses are
 * refused (absurd_parameters): qpdf 11.3 allocates rows of /Columns x
 * /Colors bytes before reading any data, so a 180-byte xref stream with
 * /Columns 4000000000 cost 7 s and 1.6 GB.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <qpdf/qpdf-c.h>

#include "packet/probe.h"
#include "packet/probe_internal.h"
#include "packet/qpdf_lazy.h"

/* Page-tree levels searched for an inherited MediaBox; qpdf has already
 * rejected loops, and real files have a handful of levels. */
enum { MAX_PAGE_TREE_DEPTH = 64 };

/* PDF's largest page side is 14400 units (200 in); UserUnit aside, anything
 * far beyond is a damaged number, not a page. */
#define MAX_PAGE_SIDE 1e6

/* First page's MediaBox (own or inherited), in points, as stored. Left at 0
 * when absent or unreadable: the page count is what matters. */
static void first_page_size(qpdf_data q, file_info *out)
{
	qpdf_oh node = qpdf_get_page_n(q, 0);
	for (int depth = 0; depth < MAX_PAGE_TREE_DEPTH && qpdf_oh_is_dictionary(q, node);
	     depth++) {
		if (qpdf_oh_has_key(q, node, "/MediaBox")) {
			qpdf_oh box = qpdf_oh_get_key(q, node, "/MediaBox");
			double v[4];
			if (!qpdf_oh_is_array(q, box) || qpdf_oh_get_array_n_items(q, box) != 4)
				return;
			for (int i = 0; i < 4; i++) {
				qpdf_oh item = qpdf_oh_get_array_item(q, box, i);
				if (!qpdf_oh_get_value_as_number(q, item, &v[i]) || !isfinite(v[i]))
					return;
			}
			double w = fabs(v[2] - v[0]), h = fabs(v[3] - v[1]);
			if (w < MAX_PAGE_SIDE && h < MAX_PAGE_SIDE) {
				out->width = (uint32_t)lround(w);
				out->height = (uint32_t)lround(h);
			}
			return;
		}
		node = qpdf_oh_get_key(q, node, "/Parent");
	}
}

/* Predictor parameters (PDF 32000 7.4.4.4) beyond these are damage or
 * attack: a row of 2^18 columns of 32 16-bit colours is 16 MB, and a scan
 * wider than 2^18 pixels (22 m at 300 dpi) is not a document. */
#define MAX_PREDICTOR_COLUMNS 262144
#define MAX_PREDICTOR_COLORS 32
#define MAX_PREDICTOR_BPC 16

/* The non-negative integer after key at p (PDF whitespace first); -1 when
 * none follows, and values past 2^40 saturate there. */
static long long int_after(const uint8_t *p, const uint8_t *end)
{
	long long v = -1;

	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t' || *p == '\f' || *p == 0))
		p++;
	if (p < end && *p == '+')
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		v = v < 0 ? *p - '0' : (v < (1LL << 40) ? v * 10 + (*p - '0') : v);
	return v;
}

/* 1 when a /Columns, /Colors or /BitsPerComponent anywhere in the file's
 * bytes holds an integer beyond what a decoder should be asked to allocate
 * for. Dictionaries inside compressed object streams are not seen; a
 * stream's own dictionary never is in one (PDF 32000 7.5.7). */
static int absurd_parameters(const uint8_t *data, size_t len)
{
	static const struct {
		const char *key;
		long long max;
	} keys[] = {
		{ "/Columns", MAX_PREDICTOR_COLUMNS },
		{ "/Colors", MAX_PREDICTOR_COLORS },
		{ "/BitsPerComponent", MAX_PREDICTOR_BPC },
	};
	const uint8_t *end = data + len, *p = data;

	while ((p = memchr(p, '/', (size_t)(end - p))) != NULL) {
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			size_t n = strlen(keys[i].key);
			if ((size_t)(end - p) > n && memcmp(p, keys[i].key, n) == 0 &&
			    int_after(p + n, end) > keys[i].max)
				return 1;
		}
		p++;
	}
	return 0;
}

/* The writer below writes what the trailer reaches. A document is its
 * /Root (with /Encrypt and /ID to read it); anything else a trailer holds
 * is not shown by a reader nor copied into the packet, so it is not decoded
 * either: qpdf's many-nulls.pdf hangs an array of a million nulls (3.5 KB
 * compressed) there, which took 0.4 s to write out, 16 s under ASan. */
static void trailer_to_document(qpdf_data q)
{
	enum { MAX_KEYS = 64 };
	char drop[MAX_KEYS][64];
	qpdf_oh trailer = qpdf_get_trailer(q);
	int n;

	/* in rounds of MAX_KEYS; a name of 64 bytes or more stays */
	do {
		n = 0;
		qpdf_oh_begin_dict_key_iter(q, trailer);
		while (n < MAX_KEYS && qpdf_oh_dict_more_keys(q)) {
			const char *key = qpdf_oh_dict_next_key(q);
			if (strcmp(key, "/Root") != 0 && strcmp(key, "/Encrypt") != 0 &&
			    strcmp(key, "/ID") != 0 && strlen(key) < sizeof drop[0])
				memcpy(drop[n++], key, strlen(key) + 1);
		}
		for (int i = 0; i < n; i++)
			qpdf_oh_remove_key(q, trailer, drop[i]);
	} while (n == MAX_KEYS);
}

static int is_pdf_space(uint8_t c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

static int is_pdf_delimiter(uint8_t c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
	       c == '}' || c == '/' || c == '%';
}

/* Past an inline image's data: the offset after "EI" that follows white
 * space and is followed by white space or the end, from p; 0 when none. */
static size_t inline_image_end(const uint8_t *d, size_t len, size_t p)
{
	for (; p + 2 <= len; p++)
		if (d[p] == 'E' && d[p + 1] == 'I' && p > 0 && is_pdf_space(d[p - 1]) &&
		    (p + 2 == len || is_pdf_space(d[p + 2]) || is_pdf_delimiter(d[p + 2])))
			return p + 2;
	return 0;
}

/* Whether a page's content (its streams, decoded and joined) is well
 * formed, as far as a reader needs: strings, arrays and dictionaries
 * closed, no operator inside an array or dictionary, no stray closing
 * delimiter, every inline image's data ended by EI (PDF 32000 7.2, 8.9.7).
 * Operators and their operands are not checked. Returns 1 when well
 * formed. Linear in len; nesting is counted, not recursed. */
int probe_pdf_content_ok(const uint8_t *d, size_t len)
{
	enum { MAX_NEST = 64 };
	char open[MAX_NEST];  /* '[' or '<' (for "<<") or '{' */
	int depth = 0;
	size_t p = 0;

	while (p < len) {
		uint8_t c = d[p];
		if (is_pdf_space(c)) {
			p++;
		} else if (c == '%') {
			while (p < len && d[p] != '\n' && d[p] != '\r')
				p++;
		} else if (c == '(') {
			int level = 1;
			for (p++; p < len && level > 0; p++) {
				if (d[p] == '\\')
					p++;
				else if (d[p] == '(')
					level++;
				else if (d[p] == ')')
					level--;
			}
			if (level > 0)
				return 0;
		} else if (c == '<' && p + 1 < len && d[p + 1] == '<') {
			if (depth == MAX_NEST)
				return 0;
			open[depth++] = '<';
			p += 2;
		} else if (c == '<') {
			for (p++; p < len && d[p] != '>'; p++)
				if (!is_pdf_space(d[p]) && !((d[p] >= '0' && d[p] <= '9') ||
							      ((d[p] | 0x20) >= 'a' && (d[p] | 0x20) <= 'f')))
					return 0;
			if (p == len)
				return 0;
			p++;
		} else if (c == '[' || c == '{') {
			if (depth == MAX_NEST)
				return 0;
			open[depth++] = (char)c;
			p++;
		} else if (c == ']' || c == '}' || c == '>') {
			char want = c == ']' ? '[' : c == '}' ? '{' : '<';
			if (depth == 0 || open[depth - 1] != want ||
			    (c == '>' && (p + 1 >= len || d[p + 1] != '>')))
				return 0;
			depth--;
			p += c == '>' ? 2 : 1;
		} else if (c == ')') {
			return 0;
		} else {
			/* a name, a number or an operator: up to a delimiter */
			size_t start = p++;
			while (p < len && !is_pdf_space(d[p]) && !is_pdf_delimiter(d[p]))
				p++;
			size_t n = p - start;
			const uint8_t *w = d + start;
			int number = c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9');
			int keyword = c != '/' && !number && !(n == 4 && !memcmp(w, "true", 4)) &&
				      !(n == 5 && !memcmp(w, "false", 5)) && !(n == 4 && !memcmp(w, "null", 4));
			if (keyword && depth > 0)
				return 0;
			if (keyword && n == 2 && !memcmp(w, "ID", 2)) {
				/* one white-space byte, then the data up to EI */
				if (p >= len || !(p = inline_image_end(d, len, p + 1)))
					return 0;
			}
		}
	}
	return depth == 0;
}

/* Each page's content, joined and decoded, through probe_pdf_content_ok().
 * Returns 1 when a page's content is not well formed. qpdf's own
 * tokeniser (content normalisation on writing) would say the same, but
 * qpdf 11.3's took 5.4 s on a 5 KB file of its fuzz corpus (99999d.pdf). */
static int bad_page_content(qpdf_data q, int pages)
{
	int bad = 0;

	for (int i = 0; i < pages && !bad; i++) {
		unsigned char *buf = NULL;
		size_t len = 0;
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		if (qpdf_oh_get_page_content_data(q, page, &buf, &len) & QPDF_ERRORS) {
			qpdf_get_error(q);
			bad = 1;
		} else if (buf) {
			bad = !probe_pdf_content_ok(buf, len);
		}
		free(buf);
	}
	return bad;
}

/* Image XObjects looked at in one file, and how deep forms nest in forms:
 * bounds on the work for a hostile file; real scans have one image a page. */
enum { MAX_IMAGES = 4096, MAX_FORM_DEPTH = 8, MAX_XOBJECTS = 256 };

int probe_pdf_dct_filter(qpdf_data q, qpdf_oh dict)
{
	qpdf_oh f = qpdf_oh_get_key(q, dict, "/Filter");
	if (qpdf_oh_is_name_and_equals(q, f, "/DCTDecode"))
		return 1;
	if (!qpdf_oh_is_array(q, f))
		return 0;
	int n = qpdf_oh_get_array_n_items(q, f);
	if (n < 1 || !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_array_item(q, f, n - 1), "/DCTDecode"))
		return 0;
	return n == 1 ? 1 : 2;
}

/* The array's first n items, as a new array. */
static qpdf_oh array_head(qpdf_data q, qpdf_oh a, int n)
{
	qpdf_oh head = qpdf_oh_new_array(q);
	for (int i = 0; i < n; i++)
		qpdf_oh_append_item(q, head, qpdf_oh_get_array_item(q, a, i));
	return head;
}

/* 1 when a JPEG image's data is damaged. A lone DCTDecode stream's bytes
 * are the JPEG file. For a chain (Flate, then DCT: rare) the DCT step is
 * dropped from the stream's filters (this qpdf object is only read, then
 * thrown away) and qpdf decodes the rest; asked to decode the JPEG too,
 * qpdf 11.3's decoder prints libjpeg's warnings ("Corrupt JPEG data") on
 * stderr and reports no error. A chain qpdf cannot decode is not judged. */
static int bad_jpeg_stream(qpdf_data q, qpdf_oh stream, int kind)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	QPDF_BOOL filtered = QPDF_TRUE;
	file_info info;
	int bad = 0;

	if (kind == 2) {
		qpdf_oh d = qpdf_oh_get_dict(q, stream);
		qpdf_oh f = qpdf_oh_get_key(q, d, "/Filter");
		qpdf_oh p = qpdf_oh_get_key(q, d, "/DecodeParms");
		int n = qpdf_oh_get_array_n_items(q, f);
		qpdf_oh_replace_key(q, d, "/Filter", array_head(q, f, n - 1));
		if (qpdf_oh_is_array(q, p) && qpdf_oh_get_array_n_items(q, p) == n)
			qpdf_oh_replace_key(q, d, "/DecodeParms", array_head(q, p, n - 1));
	}
	if (qpdf_oh_get_stream_data(q, stream, kind == 1 ? qpdf_dl_none : qpdf_dl_specialized,
				    &filtered, &buf, &len) & QPDF_ERRORS) {
		qpdf_get_error(q);
		free(buf);
		return 1;
	}
	while (qpdf_more_warnings(q)) {
		const char *text = qpdf_get_error_full_text(q, qpdf_next_warning(q));
		if (text && strstr(text, "error decoding stream data"))
			bad = 1;
	}
	if (!bad && (kind == 1 || filtered))
		bad = probe_buffer(buf, len, NULL, &info) != PROBE_OK;
	free(buf);
	return bad;
}

/* The JPEG images a resource dictionary draws, and those of the forms it
 * draws, to depth levels; *budget counts the images left to look at.
 * Returns 1 at the first damaged one. */
static int bad_images_in(qpdf_data q, qpdf_oh resources, int depth, int *budget)
{
	qpdf_oh xo[MAX_XOBJECTS];
	int n = 0;

	if (!qpdf_oh_is_dictionary(q, resources))
		return 0;
	qpdf_oh dict = qpdf_oh_get_key(q, resources, "/XObject");
	if (!qpdf_oh_is_dictionary(q, dict))
		return 0;
	/* qpdf has one key iterator per file: the values are gathered first */
	qpdf_oh_begin_dict_key_iter(q, dict);
	while (n < MAX_XOBJECTS && qpdf_oh_dict_more_keys(q))
		xo[n++] = qpdf_oh_get_key(q, dict, qpdf_oh_dict_next_key(q));
	for (int i = 0; i < n && *budget > 0; i++) {
		if (!qpdf_oh_is_stream(q, xo[i]))
			continue;
		qpdf_oh d = qpdf_oh_get_dict(q, xo[i]);
		qpdf_oh subtype = qpdf_oh_get_key(q, d, "/Subtype");
		if (qpdf_oh_is_name_and_equals(q, subtype, "/Image")) {
			int kind = probe_pdf_dct_filter(q, d);
			(*budget)--;
			if (kind && bad_jpeg_stream(q, xo[i], kind))
				return 1;
		} else if (qpdf_oh_is_name_and_equals(q, subtype, "/Form") && depth > 1 &&
			   bad_images_in(q, qpdf_oh_get_key(q, d, "/Resources"), depth - 1, budget)) {
			return 1;
		}
	}
	return 0;
}

static int bad_images(qpdf_data q, int pages)
{
	int budget = MAX_IMAGES, bad = 0;

	if (qpdf_push_inherited_attributes_to_page(q) & QPDF_ERRORS) {
		qpdf_get_error(q);
		return 0;  /* judged by the write already */
	}
	for (int i = 0; i < pages && !bad && budget > 0; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		bad = bad_images_in(q, qpdf_oh_get_key(q, page, "/Resources"), MAX_FORM_DEPTH, &budget);
		qpdf_oh_release_all(q);
	}
	return bad;
}

/* Decode every stream (see the top of the file), into nothing, and check
 * each page's content. Returns PROBE_OK, PROBE_REPAIRED or PROBE_CORRUPT,
 * with the reason set in out for the last two. qpdf's warnings are told
 * apart by their text (qpdf 11.3: "error decoding stream data for object N
 * G: ..." for a stream it could not decode). */
static probe_status decode_everything(qpdf_data q, int pages, file_info *out)
{
	int undecodable = 0;

	while (qpdf_more_warnings(q))  /* the open's, already judged */
		qpdf_next_warning(q);
	trailer_to_document(q);
	if (qpdf_init_write(q, "/dev/null") & QPDF_ERRORS)
		return PROBE_OK;  /* no /dev/null: the content is not judged */
	qpdf_set_decode_level(q, qpdf_dl_specialized);  /* all but DCT: bad_images */
	/* else a stream already compressed with Flate alone is copied as it
	 * is, undecoded (and nothing is compressed again) */
	qpdf_set_compress_streams(q, QPDF_FALSE);
	if (qpdf_write(q) & QPDF_ERRORS)
		return probe_fail(out, PROBE_CORRUPT, "damaged PDF whose content cannot be read",
				  "PDF 文件已损坏，内容无法读取");
	while (qpdf_more_warnings(q)) {
		const char *text = qpdf_get_error_full_text(q, qpdf_next_warning(q));
		if (text && strstr(text, "error decoding stream data"))
			undecodable = 1;
	}
	if (undecodable || bad_images(q, pages))
		return probe_fail(out, PROBE_CORRUPT, "damaged PDF: some of its data cannot be decoded",
				  "PDF 文件已损坏：部分数据无法解码");
	if (bad_page_content(q, pages))
		return probe_fail(out, PROBE_REPAIRED, "a page's drawing instructions have errors",
				  "页面内容指令有错误");
	return PROBE_OK;
}

/* A logger that drops everything: library code never prints. */
void probe_pdf_silence(qpdf_data q)
{
	qpdflogger_handle log = qpdflogger_create();
	qpdflogger_set_info(log, qpdf_log_dest_discard, NULL, NULL);
	qpdflogger_set_warn(log, qpdf_log_dest_discard, NULL, NULL);
	qpdflogger_set_error(log, qpdf_log_dest_discard, NULL, NULL);
	qpdf_set_logger(q, log);
	qpdflogger_cleanup(&log);  /* the qpdf object holds its own reference */
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
}

probe_status probe_pdf(const uint8_t *data, size_t len, file_info *out)
{
	probe_status st = PROBE_OK;
	qpdf_data q;

	/* check.c turns this into an error of the tool, not of the file */
	if (qpdf_lazy_load(NULL) != 0)
		return probe_fail(out, PROBE_CORRUPT, "no PDF reader: libqpdf cannot be loaded",
				  "无法读取 PDF：无法加载 libqpdf");
	q = qpdf_init();
	if (!q)
		return probe_fail(out, PROBE_CORRUPT, "out of memory reading PDF",
				  "读取 PDF 时内存不足");
	probe_pdf_silence(q);
	if (absurd_parameters(data, len)) {
		st = probe_fail(out, PROBE_CORRUPT, "damaged PDF with impossible stream parameters",
				"PDF 文件已损坏：数据流参数不可能成立");
		goto cleanup;
	}

	QPDF_ERROR_CODE rc = qpdf_read_memory(q, "input", (const char *)data,
					      (unsigned long long)len, NULL);
	if (rc & QPDF_ERRORS) {
		qpdf_error e = qpdf_get_error(q);
		if (e && qpdf_get_error_code(q, e) == qpdf_e_password)
			st = probe_fail(out, PROBE_ENCRYPTED, "PDF is password-protected",
					"PDF 文件有密码保护");
		else
			st = probe_fail(out, PROBE_CORRUPT, "damaged PDF that cannot be opened",
					"PDF 文件已损坏，无法打开");
		goto cleanup;
	}

	/* The page tree is read lazily: this is where a broken one shows. */
	int pages = qpdf_get_num_pages(q);
	if (pages < 0 || qpdf_has_error(q)) {
		st = probe_fail(out, PROBE_CORRUPT, "PDF page tree cannot be read",
				"PDF 页面结构无法读取");
		goto cleanup;
	}
	if (pages == 0) {
		st = probe_fail(out, PROBE_CORRUPT, "PDF has no pages", "PDF 文件没有页面");
		goto cleanup;
	}
	out->pages = pages;
	first_page_size(q, out);
	if (qpdf_has_error(q)) {  /* a damaged page dictionary: size unknown */
		qpdf_get_error(q);
		out->width = out->height = 0;
	}
	out->pdf_restricted = qpdf_is_encrypted(q) ? 1 : 0;
	if (qpdf_more_warnings(q))
		st = probe_fail(out, PROBE_REPAIRED, "its structure had to be repaired",
				"文件结构需要修复");
	probe_status content = decode_everything(q, pages, out);
	if (content != PROBE_OK && !(content == PROBE_REPAIRED && st == PROBE_REPAIRED))
		st = content;
	else if (st == PROBE_REPAIRED)  /* decode_everything may have set its own reason */
		probe_fail(out, PROBE_REPAIRED, "its structure had to be repaired", "文件结构需要修复");

cleanup:
	/* An error left unretrieved makes qpdf_cleanup() print "application
	 * did not handle error" through qpdf's default logger, not ours
	 * (qpdf 11.3); retrieving it clears it. */
	if (qpdf_has_error(q))
		qpdf_get_error(q);
	qpdf_cleanup(&q);
	return st;
}
