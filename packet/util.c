/*
 * util: formatted strings, paths, whole-file reads, SHA-256 (see util.h).
 */
#include "packet/util.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *lp_strdupf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *lp_path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (la && a[la - 1] == '/')
		return lp_strdupf("%s%s", a, b);
	return lp_strdupf("%s/%s", a, b);
}

/* Into b->data, grown as needed, with a NUL after the bytes. */
int lp_read_fd_into(int fd, size_t max, lp_buffer *b, size_t *len)
{
	struct stat st;
	size_t n = 0, want;

	*len = 0;
	if (fstat(fd, &st) != 0)
		return -1;
	if (st.st_size < 0 || (uint64_t)st.st_size > max)
		return -2;
	/* One byte more than the size, so that growth since fstat is noticed. */
	want = (size_t)st.st_size + 1;
	for (;;) {
		ssize_t r;
		if (b->cap < want) {
			uint8_t *nb = realloc(b->data, want);
			if (!nb)
				return -1;
			b->data = nb;
			b->cap = want;
		}
		r = read(fd, b->data + n, b->cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max)
			return -2;
		if (n == b->cap)
			want = b->cap * 2 > max + 1 ? max + 1 : b->cap * 2;
	}
	if (n == b->cap) {
		uint8_t *nb = realloc(b->data, n + 1);
		if (!nb)
			return -1;
		b->data = nb;
		b->cap = n + 1;
	}
	b->data[n] = 0;
	*len = n;
	return 0;
}

int lp_read_fd(int fd, size_t max, uint8_t **out, size_t *len)
{
	lp_buffer b = { NULL, 0 };
	int r = lp_read_fd_into(fd, max, &b, len);

	*out = NULL;
	if (r != 0) {
		int e = errno;
		free(b.data);
		errno = e;
		*len = 0;
		return r;
	}
	*out = b.data;
	return 0;
}

void lp_orient_source(int o, uint32_t w, uint32_t h, uint32_t x, uint32_t y, uint32_t *sx, uint32_t *sy)
{
	switch (o) {
	case 2: *sx = w - 1 - x; *sy = y; break;
	case 3: *sx = w - 1 - x; *sy = h - 1 - y; break;
	case 4: *sx = x; *sy = h - 1 - y; break;
	case 5: *sx = y; *sy = x; break;
	case 6: *sx = y; *sy = h - 1 - x; break;
	case 7: *sx = w - 1 - y; *sy = h - 1 - x; break;
	case 8: *sx = w - 1 - y; *sy = x; break;
	default: *sx = x; *sy = y; break;
	}
}

int lp_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	static const char hex[] = "0123456789abcdef";

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return -1;
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

/* Chinese for the errno values a user meets; strerror() speaks English,
 * since licpack never calls setlocale. */
static const struct {
	int e;
	const char *zh;
} errno_zh[] = {
	{ ENOENT, "文件或文件夹不存在" },
	{ EACCES, "没有访问权限" },
	{ EPERM, "操作不被允许" },
	{ ENOTDIR, "路径中有一项不是文件夹" },
	{ EISDIR, "这是文件夹，不是文件" },
	{ ENOSPC, "磁盘空间不足" },
	{ EDQUOT, "超出磁盘配额" },
	{ EROFS, "文件系统为只读" },
	{ EEXIST, "文件已存在" },
	{ ENOTEMPTY, "文件夹不是空的" },
	{ EMFILE, "打开的文件过多" },
	{ ENFILE, "系统中打开的文件过多" },
	{ EIO, "读写出错（磁盘或设备故障）" },
	{ ELOOP, "符号链接层数过多（可能是循环链接）" },
	{ ENAMETOOLONG, "文件名过长" },
	{ ENOMEM, "内存不足" },
	{ EBUSY, "设备或资源正忙" },
	{ EXDEV, "不能跨文件系统移动" },
	{ EINVAL, "参数无效" },
	{ EFBIG, "文件过大" },
	{ EAGAIN, "资源暂时不可用，请重试" },
	{ EPIPE, "管道已关闭" },
	{ ESTALE, "网络文件句柄已失效" },
};


const char *lp_strerror_zh(int errnum)
{
	size_t i;

	for (i = 0; i < sizeof errno_zh / sizeof errno_zh[0]; i++)
		if (errno_zh[i].e == errnum)
			return errno_zh[i].zh;
	return strerror(errnum);
}
