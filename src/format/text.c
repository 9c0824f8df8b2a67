/*
 * text.c - text from a dump or a user's file, made safe to print (see
 * format.h): the escaping itself, and a printf whose %s and %c arguments
 * go through it.
 *
 * The escape of a character is printable ASCII and a backslash is kept as
 * it is, so escaping escaped text changes nothing: a string may go through
 * hs_text_escape() and then through a %s of hs_fmt_printf() safely.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "util.h"

/* A growable string. */
struct sbuf {
	char *p;
	size_t n, cap;
	int failed;
};

static int reserve(struct sbuf *b, size_t more)
{
	size_t cap;
	char *np;
	if (b->failed)
		return -1;
	if (b->n + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 128;
	while (cap < b->n + more + 1)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np) {
		b->failed = 1;
		return -1;
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

static void put(struct sbuf *b, const char *s, size_t n)
{
	if (reserve(b, n) < 0)
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

int hs_text_needs_escape(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Append @p s (its first @p len bytes), escaped. */
static void escape(struct sbuf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	char tmp[16];
	while (p < end) {
		uint32_t cp = 0;
		const unsigned char *run = p;
		int k;
		/* a run of plain printable ASCII at once */
		while (p < end && *p >= 0x20 && *p < 0x7f)
			p++;
		if (p > run)
			put(b, (const char *)run, (size_t)(p - run));
		if (p == end)
			break;
		k = hs_utf8_next(p, &cp);
		if (k == 0 || p + k > end) {   /* not UTF-8, or cut by the length */
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
			put(b, tmp, 4);
			p++;
			continue;
		}
		if (cp == '\n')
			put(b, "\\n", 2);
		else if (cp == '\t')
			put(b, "\\t", 2);
		else if (cp == '\r')
			put(b, "\\r", 2);
		else if (cp < 0x20 || cp == 0x7f)
			put(b, tmp, (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", cp));
		else if (hs_text_needs_escape(cp))
			put(b, tmp, (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", cp));
		else if (k == 6)   /* a surrogate pair of modified UTF-8: as UTF-8 */
			put(b, tmp, (size_t)hs_utf8_put(tmp, cp));
		else
			put(b, (const char *)p, (size_t)k);
		p += k;
	}
}

char *hs_text_escape(const char *s)
{
	struct sbuf b = { 0 };
	if (reserve(&b, 0) < 0)
		return NULL;
	b.p[0] = '\0';
	escape(&b, s ? s : "", s ? strlen(s) : 0);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

void hs_text_put(FILE *f, const char *s)
{
	char *e = hs_text_escape(s);
	if (e)
		fputs(e, f);
	else   /* out of memory: at least no raw byte */
		fputs("?", f);
	free(e);
}

/*
 * The formatter: the format's own text as it is, each conversion by
 * snprintf with the same flags, width and precision, except %s and %c,
 * whose text is escaped first (a precision counts bytes of the text, a
 * width the bytes of its escape).
 */
static int vformat(struct sbuf *b, const char *fmt, va_list ap)
{
	const char *p = fmt;
	while (*p) {
		char spec[64], *o = spec, num[24];
		const char *q = strchr(p, '%');
		int len = 0;   /* 0 none, 1 hh, 2 h, 3 l, 4 ll, 5 j, 6 z, 7 t, 8 L */
		int width = -1, prec = -1, k;
		char conv;
		if (!q) {
			put(b, p, strlen(p));
			break;
		}
		put(b, p, (size_t)(q - p));
		p = q + 1;
		if (*p == '%') {
			put(b, "%", 1);
			p++;
			continue;
		}
		*o++ = '%';
		while (*p && strchr("-+ #0'", *p) && o < spec + 8)
			*o++ = *p++;
		if (*p == '*') {
			width = va_arg(ap, int);
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				width = (width < 0 ? 0 : width * 10) + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			prec = 0;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		if (p[0] == 'h' && p[1] == 'h') { len = 1; p += 2; }
		else if (p[0] == 'h') { len = 2; p++; }
		else if (p[0] == 'l' && p[1] == 'l') { len = 4; p += 2; }
		else if (p[0] == 'l') { len = 3; p++; }
		else if (p[0] == 'j') { len = 5; p++; }
		else if (p[0] == 'z') { len = 6; p++; }
		else if (p[0] == 't') { len = 7; p++; }
		else if (p[0] == 'L') { len = 8; p++; }
		conv = *p ? *p++ : '\0';
		if (width >= 0) {
			snprintf(num, sizeof(num), "%d", width);
			memcpy(o, num, strlen(num));
			o += strlen(num);
		}
		if (conv == 's' || conv == 'c') {
			struct sbuf e = { 0 };
			char c[2];
			const char *s;
			size_t n;
			if (conv == 'c') {
				c[0] = (char)va_arg(ap, int);
				c[1] = '\0';
				s = c;
				n = 1;
			} else {
				s = va_arg(ap, const char *);
				if (!s)
					s = "(null)";
				n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			}
			escape(&e, s, n);
			if (e.failed) {
				free(e.p);
				b->failed = 1;
				return -1;
			}
			*o++ = 's';
			*o = '\0';
			k = snprintf(NULL, 0, spec, e.p ? e.p : "");
			if (k > 0 && reserve(b, (size_t)k) == 0) {
				snprintf(b->p + b->n, (size_t)k + 1, spec, e.p ? e.p : "");
				b->n += (size_t)k;
			}
			free(e.p);
			continue;
		}
		if (prec >= 0) {
			snprintf(num, sizeof(num), ".%d", prec);
			memcpy(o, num, strlen(num));
			o += strlen(num);
		}
		{
			static const char *const mods[] = { "", "hh", "h", "l", "ll", "j", "z", "t", "L" };
			memcpy(o, mods[len], strlen(mods[len]));
			o += strlen(mods[len]);
		}
		*o++ = conv;
		*o = '\0';
#define EMIT(type) do { type v_ = va_arg(ap, type); \
		k = snprintf(NULL, 0, spec, v_); \
		if (k > 0 && reserve(b, (size_t)k) == 0) { \
			snprintf(b->p + b->n, (size_t)k + 1, spec, v_); \
			b->n += (size_t)k; } } while (0)
		switch (conv) {
		case 'd': case 'i':
			if (len == 3) EMIT(long);
			else if (len == 4) EMIT(long long);
			else if (len == 5) EMIT(intmax_t);
			else if (len == 6) EMIT(ptrdiff_t);   /* the signed size_t */
			else if (len == 7) EMIT(ptrdiff_t);
			else EMIT(int);
			break;
		case 'o': case 'u': case 'x': case 'X':
			if (len == 3) EMIT(unsigned long);
			else if (len == 4) EMIT(unsigned long long);
			else if (len == 5) EMIT(uintmax_t);
			else if (len == 6) EMIT(size_t);
			else if (len == 7) EMIT(ptrdiff_t);
			else EMIT(unsigned);
			break;
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
			if (len == 8) EMIT(long double);
			else EMIT(double);
			break;
		case 'p':
			EMIT(void *);
			break;
		default:   /* %n, or a format this writer does not know */
			b->failed = 1;
			return -1;
		}
#undef EMIT
	}
	return b->failed ? -1 : 0;
}

int hs_fmt_vprintf(FILE *f, const char *fmt, va_list ap)
{
	struct sbuf b = { 0 };
	int rc = vformat(&b, fmt, ap);
	if (rc == 0 && b.n && fwrite(b.p, 1, b.n, f) != b.n)
		rc = -1;
	free(b.p);
	return rc < 0 ? -1 : (int)b.n;
}

int hs_fmt_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = hs_fmt_vprintf(f, fmt, ap);
	va_end(ap);
	return rc;
}

int hs_fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sbuf b = { 0 };
	int rc = vformat(&b, fmt, ap);
	if (n) {
		size_t k = rc == 0 ? (b.n < n - 1 ? b.n : n - 1) : 0;
		if (k)
			memcpy(buf, b.p, k);
		buf[k] = '\0';
	}
	free(b.p);
	return rc < 0 ? -1 : (int)b.n;
}

int hs_fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = hs_fmt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return rc;
}
