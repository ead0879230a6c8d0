/*
 * qpdf_lazy: libqpdf, loaded the first time a PDF is met rather than when
 * licpack starts (qpdf_lazy.h).
 *
 * libqpdf is C++ and brings libstdc++, GnuTLS and a dozen more libraries;
 * linked in the ordinary way, the dynamic loader maps and relocates them all
 * at every start, which took 7 of the 11 ms that `licpack --version` took
 * here (make bench: `check` and `build` of a folder of JPEG scans never
 * touch a PDF). So licpack is not linked with -lqpdf. This file defines each
 * function of qpdf's C API that licpack calls, under its own name and with
 * the signature qpdf-c.h declares (the compiler checks every one against
 * it), as a call through a pointer that dlopen() and dlsym() fill in once,
 * on the first call. The library is the one the build found
 * (LICPACK_QPDF_SONAME, from the Makefile).
 *
 * The pointers are process-wide state, written once under pthread_once and
 * read-only after: what the dynamic loader would have done at start, done
 * later. qpdf_lazy_load() reports a missing library as an error to show;
 * a call made without it that cannot load the library aborts.
 */
#include "packet/qpdf_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>
#include <qpdf/qpdflogger-c.h>

#include "qpdf_soname.h"

/* Every function licpack uses: R(ret, name, params, args) for those that
 * return a value, V(name, params, args) for void ones. */
#define QPDF_FUNCTIONS(R, V)                                                                        \
	R(QPDF_ERROR_CODE, qpdf_add_page_at,                                                        \
	  (qpdf_data q, qpdf_data newpage_qpdf, qpdf_oh newpage, QPDF_BOOL before, qpdf_oh refpage), \
	  (q, newpage_qpdf, newpage, before, refpage))                                              \
	V(qpdf_cleanup, (qpdf_data *q), (q))                                                        \
	R(int, qpdf_find_page_by_oh, (qpdf_data q, qpdf_oh oh), (q, oh))                            \
	R(unsigned char const *, qpdf_get_buffer, (qpdf_data q), (q))                               \
	R(size_t, qpdf_get_buffer_length, (qpdf_data q), (q))                                       \
	R(qpdf_error, qpdf_get_error, (qpdf_data q), (q))                                           \
	R(enum qpdf_error_code_e, qpdf_get_error_code, (qpdf_data q, qpdf_error e), (q, e))         \
	R(char const *, qpdf_get_error_full_text, (qpdf_data q, qpdf_error e), (q, e))              \
	R(int, qpdf_get_num_pages, (qpdf_data q), (q))                                              \
	R(qpdf_oh, qpdf_get_page_n, (qpdf_data q, size_t zero_based_index), (q, zero_based_index))  \
	R(char const *, qpdf_get_error_message_detail, (qpdf_data q, qpdf_error e), (q, e))         \
	R(int, qpdf_get_pdf_extension_level, (qpdf_data q), (q))                                    \
	R(char const *, qpdf_get_pdf_version, (qpdf_data q), (q))                                   \
	R(qpdf_oh, qpdf_get_root, (qpdf_data q), (q))                                               \
	R(qpdf_oh, qpdf_get_trailer, (qpdf_data q), (q))                                            \
	R(QPDF_BOOL, qpdf_has_error, (qpdf_data q), (q))                                            \
	R(qpdf_data, qpdf_init, (void), ())                                                         \
	R(QPDF_BOOL, qpdf_is_encrypted, (qpdf_data q), (q))                                         \
	R(QPDF_ERROR_CODE, qpdf_init_write, (qpdf_data q, char const *filename), (q, filename))     \
	R(QPDF_ERROR_CODE, qpdf_init_write_memory, (qpdf_data q), (q))                              \
	R(qpdf_oh, qpdf_make_indirect_object, (qpdf_data q, qpdf_oh oh), (q, oh))                   \
	R(QPDF_BOOL, qpdf_more_warnings, (qpdf_data q), (q))                                        \
	R(qpdf_error, qpdf_next_warning, (qpdf_data q), (q))                                        \
	V(qpdf_oh_append_item, (qpdf_data q, qpdf_oh oh, qpdf_oh item), (q, oh, item))              \
	V(qpdf_oh_begin_dict_key_iter, (qpdf_data q, qpdf_oh dict), (q, dict))                      \
	R(QPDF_BOOL, qpdf_oh_dict_more_keys, (qpdf_data q), (q))                                    \
	R(char const *, qpdf_oh_dict_next_key, (qpdf_data q), (q))                                  \
	R(qpdf_oh, qpdf_oh_get_array_item, (qpdf_data q, qpdf_oh oh, int n), (q, oh, n))            \
	R(int, qpdf_oh_get_array_n_items, (qpdf_data q, qpdf_oh oh), (q, oh))                       \
	R(char const *, qpdf_oh_get_binary_string_value, (qpdf_data q, qpdf_oh oh, size_t *length), \
	  (q, oh, length))                                                                          \
	R(qpdf_oh, qpdf_oh_get_dict, (qpdf_data q, qpdf_oh oh), (q, oh))                            \
	R(int, qpdf_oh_get_int_value_as_int, (qpdf_data q, qpdf_oh oh), (q, oh))                    \
	R(qpdf_oh, qpdf_oh_get_key, (qpdf_data q, qpdf_oh oh, char const *key), (q, oh, key))       \
	R(char const *, qpdf_oh_get_name, (qpdf_data q, qpdf_oh oh), (q, oh))                       \
	R(double, qpdf_oh_get_numeric_value, (qpdf_data q, qpdf_oh oh), (q, oh))                    \
	R(QPDF_ERROR_CODE, qpdf_oh_get_page_content_data,                                           \
	  (qpdf_data q, qpdf_oh page_oh, unsigned char **bufp, size_t *len), (q, page_oh, bufp, len)) \
	R(int, qpdf_oh_get_object_id, (qpdf_data q, qpdf_oh oh), (q, oh))                           \
	R(QPDF_ERROR_CODE, qpdf_oh_get_stream_data,                                                 \
	  (qpdf_data q, qpdf_oh oh, enum qpdf_stream_decode_level_e level, QPDF_BOOL *filtered,     \
	   unsigned char **bufp, size_t *len), (q, oh, level, filtered, bufp, len))                 \
	R(char const *, qpdf_oh_get_utf8_value, (qpdf_data q, qpdf_oh oh), (q, oh))                 \
	R(QPDF_BOOL, qpdf_oh_get_value_as_number, (qpdf_data q, qpdf_oh oh, double *value),         \
	  (q, oh, value))                                                                           \
	R(QPDF_BOOL, qpdf_oh_has_key, (qpdf_data q, qpdf_oh oh, char const *key), (q, oh, key))     \
	R(QPDF_BOOL, qpdf_oh_is_array, (qpdf_data q, qpdf_oh oh), (q, oh))                          \
	R(QPDF_BOOL, qpdf_oh_is_dictionary, (qpdf_data q, qpdf_oh oh), (q, oh))                     \
	R(QPDF_BOOL, qpdf_oh_is_number, (qpdf_data q, qpdf_oh oh), (q, oh))                         \
	R(QPDF_BOOL, qpdf_oh_is_stream, (qpdf_data q, qpdf_oh oh), (q, oh))                         \
	R(QPDF_BOOL, qpdf_oh_is_name_and_equals, (qpdf_data q, qpdf_oh oh, char const *name),       \
	  (q, oh, name))                                                                            \
	R(qpdf_oh, qpdf_oh_new_array, (qpdf_data q), (q))                                           \
	R(qpdf_oh, qpdf_oh_new_dictionary, (qpdf_data q), (q))                                      \
	R(qpdf_oh, qpdf_oh_new_integer, (qpdf_data q, long long value), (q, value))                 \
	R(qpdf_oh, qpdf_oh_new_name, (qpdf_data q, char const *name), (q, name))                    \
	R(qpdf_oh, qpdf_oh_new_null, (qpdf_data q), (q))                                            \
	R(qpdf_oh, qpdf_oh_new_real_from_double, (qpdf_data q, double value, int places),           \
	  (q, value, places))                                                                       \
	R(qpdf_oh, qpdf_oh_new_stream, (qpdf_data q), (q))                                          \
	R(qpdf_oh, qpdf_oh_new_unicode_string, (qpdf_data q, char const *utf8_str), (q, utf8_str))  \
	V(qpdf_oh_release_all, (qpdf_data q), (q))                                                  \
	V(qpdf_oh_remove_key, (qpdf_data q, qpdf_oh oh, char const *key), (q, oh, key))            \
	V(qpdf_oh_replace_key, (qpdf_data q, qpdf_oh oh, char const *key, qpdf_oh item),            \
	  (q, oh, key, item))                                                                       \
	V(qpdf_oh_replace_stream_data,                                                              \
	  (qpdf_data q, qpdf_oh oh, unsigned char const *buf, size_t len, qpdf_oh filter,           \
	   qpdf_oh decode_parms), (q, oh, buf, len, filter, decode_parms))                          \
	R(QPDF_ERROR_CODE, qpdf_push_inherited_attributes_to_page, (qpdf_data q), (q))              \
	R(QPDF_ERROR_CODE, qpdf_read, (qpdf_data q, char const *filename, char const *password),   \
	  (q, filename, password))                                                                  \
	R(QPDF_ERROR_CODE, qpdf_remove_page, (qpdf_data q, qpdf_oh page), (q, page))                \
	R(QPDF_ERROR_CODE, qpdf_read_memory,                                                        \
	  (qpdf_data q, char const *description, char const *buffer, unsigned long long size,       \
	   char const *password),                                                                   \
	  (q, description, buffer, size, password))                                                 \
	V(qpdf_set_compress_streams, (qpdf_data q, QPDF_BOOL value), (q, value))                    \
	V(qpdf_set_content_normalization, (qpdf_data q, QPDF_BOOL value), (q, value))              \
	V(qpdf_set_decode_level, (qpdf_data q, enum qpdf_stream_decode_level_e level), (q, level))  \
	V(qpdf_set_deterministic_ID, (qpdf_data q, QPDF_BOOL value), (q, value))                    \
	V(qpdf_set_logger, (qpdf_data q, qpdflogger_handle logger), (q, logger))                    \
	V(qpdf_set_minimum_pdf_version_and_extension,                                               \
	  (qpdf_data q, char const *version, int extension_level), (q, version, extension_level))   \
	V(qpdf_set_object_stream_mode, (qpdf_data q, enum qpdf_object_stream_e mode), (q, mode))    \
	V(qpdf_set_r6_encryption_parameters2,                                                       \
	  (qpdf_data q, char const *user_password, char const *owner_password,                      \
	   QPDF_BOOL allow_accessibility, QPDF_BOOL allow_extract, QPDF_BOOL allow_assemble,        \
	   QPDF_BOOL allow_annotate_and_form, QPDF_BOOL allow_form_filling,                         \
	   QPDF_BOOL allow_modify_other, enum qpdf_r3_print_e print, QPDF_BOOL encrypt_metadata),   \
	  (q, user_password, owner_password, allow_accessibility, allow_extract, allow_assemble,    \
	   allow_annotate_and_form, allow_form_filling, allow_modify_other, print, encrypt_metadata)) \
	V(qpdf_set_suppress_warnings, (qpdf_data q, QPDF_BOOL value), (q, value))                   \
	V(qpdf_silence_errors, (qpdf_data q), (q))                                                  \
	R(QPDF_ERROR_CODE, qpdf_write, (qpdf_data q), (q))                                          \
	R(qpdflogger_handle, qpdflogger_create, (void), ())                                         \
	V(qpdflogger_set_info, (qpdflogger_handle l, enum qpdf_log_dest_e dest, qpdf_log_fn_t fn,   \
				void *udata), (l, dest, fn, udata))                                 \
	V(qpdflogger_set_warn, (qpdflogger_handle l, enum qpdf_log_dest_e dest, qpdf_log_fn_t fn,   \
				void *udata), (l, dest, fn, udata))                                 \
	V(qpdflogger_set_error, (qpdflogger_handle l, enum qpdf_log_dest_e dest, qpdf_log_fn_t fn,  \
				 void *udata), (l, dest, fn, udata))                                \
	V(qpdflogger_cleanup, (qpdflogger_handle * l), (l))

#define POINTER_R(ret, name, params, args) ret(*name) params;
#define POINTER_V(name, params, args) void(*name) params;
static struct {
	QPDF_FUNCTIONS(POINTER_R, POINTER_V)
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
/* why the load failed: dlerror()'s text, or the name of the missing symbol */
static char load_error[512];
static int load_no_symbol;

/* dlsym returns an object pointer; POSIX guarantees it converts to a
 * function pointer, which ISO C leaves undefined: copy the bits. */
static int resolve(void *lib, const char *name, void *slot, size_t size)
{
	void *p = dlsym(lib, name);

	if (!p) {
		snprintf(load_error, sizeof load_error, "%s", name);
		load_no_symbol = 1;
		return -1;
	}
	memcpy(slot, &p, size);
	return 0;
}

static void load(void)
{
	/* RTLD_NOW: a library without one of the functions fails here, not
	 * in the middle of a build; never unloaded */
	void *lib = dlopen(LICPACK_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		const char *why = dlerror();
		snprintf(load_error, sizeof load_error, "%s", why ? why : "unknown error");
		return;
	}
#define RESOLVE_R(ret, name, params, args) \
	if (resolve(lib, #name, &api.name, sizeof api.name) != 0) \
		return;
#define RESOLVE_V(name, params, args) RESOLVE_R(void, name, params, args)
	QPDF_FUNCTIONS(RESOLVE_R, RESOLVE_V)
	loaded = 1;
}

int qpdf_lazy_load(lp_err *err)
{
	pthread_once(&once, load);
	if (loaded)
		return 0;
	return lp_fail(err, load_no_symbol ? LP_E_QPDF_NO_SYMBOL : LP_E_QPDF_LOAD, LICPACK_QPDF_SONAME, load_error);
}

static void need(void)
{
	if (qpdf_lazy_load(NULL) != 0)
		abort(); /* the caller skipped qpdf_lazy_load(), which says why */
}

#define WRAP_R(ret, name, params, args) \
	ret name params                 \
	{                               \
		need();                 \
		return api.name args;   \
	}
#define WRAP_V(name, params, args) \
	void name params           \
	{                          \
		need();            \
		api.name args;     \
	}
QPDF_FUNCTIONS(WRAP_R, WRAP_V)
