/*
 * util.c - small internal helpers shared by the library's modules.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"

int hs_u32vec_reserve(hs_u32vec *v, size_t more)
{
	size_t cap = v->cap ? v->cap : 1024;
	uint32_t *na;
	if (v->n + more <= v->cap)
		return 0;
	while (cap < v->n + more)
		cap *= 2;
	if (!(na = realloc(v->a, cap * sizeof(*na))))
		return -1;
	v->a = na;
	v->cap = cap;
	return 0;
}

int hs_u32vec_push(hs_u32vec *v, uint32_t x)
{
	if (v->n == v->cap && hs_u32vec_reserve(v, 1) < 0)
		return -1;
	v->a[v->n++] = x;
	return 0;
}

void hs_u32vec_free(hs_u32vec *v)
{
	free(v->a);
	v->a = NULL;
	v->n = v->cap = 0;
}

int hs_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

size_t hs_u64_sort_unique(uint64_t *v, size_t n)
{
	size_t i, k = 0;
	qsort(v, n, sizeof(uint64_t), hs_u64_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* ---- hs_sort ---------------------------------------------------------- */

/* Ranges this short are finished by insertion sort. */
#define SORT_SHORT 16

static void swap_bytes(char *a, char *b, size_t size)
{
	if (a == b)
		return;
	for (; size >= sizeof(uint64_t); size -= sizeof(uint64_t), a += sizeof(uint64_t), b += sizeof(uint64_t)) {
		uint64_t t;
		memcpy(&t, a, sizeof(t));
		memcpy(a, b, sizeof(t));
		memcpy(b, &t, sizeof(t));
	}
	for (; size > 0; size--, a++, b++) {
		char t = *a;
		*a = *b;
		*b = t;
	}
}

static void sift_down(char *b, size_t root, size_t n, size_t size, hs_sort_cmp cmp, void *ctx)
{
	for (;;) {
		size_t c = 2 * root + 1;
		if (c >= n)
			return;
		if (c + 1 < n && cmp(b + c * size, b + (c + 1) * size, ctx) < 0)
			c++;
		if (cmp(b + root * size, b + c * size, ctx) >= 0)
			return;
		swap_bytes(b + root * size, b + c * size, size);
		root = c;
	}
}

static void heap_sort(char *b, size_t n, size_t size, hs_sort_cmp cmp, void *ctx)
{
	size_t i;
	for (i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp, ctx);
	for (i = n; i-- > 1;) {
		swap_bytes(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp, ctx);
	}
}

static void insertion_sort(char *b, size_t n, size_t size, hs_sort_cmp cmp, void *ctx)
{
	size_t i, j;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size, ctx) > 0; j--)
			swap_bytes(b + (j - 1) * size, b + j * size, size);
}

void hs_sort(void *base, size_t n, size_t size, hs_sort_cmp cmp, void *ctx)
{
	/* the larger side of each split waits here, the smaller goes on: at
	 * most log2(n) entries, fewer than 64 */
	struct { char *lo; size_t n; unsigned budget; } st[64];
	unsigned sp = 0, budget = 0;
	size_t k;

	if (n < 2 || size == 0)
		return;
	for (k = n; k > 1; k >>= 1)
		budget += 2;   /* 2 log2(n) bad splits, then heapsort */
	st[sp].lo = base;
	st[sp].n = n;
	st[sp++].budget = budget;
	while (sp > 0) {
		char *lo = st[--sp].lo;
		size_t m = st[sp].n;
		unsigned left = st[sp].budget;
		while (m > SORT_SHORT) {
			char *mid, *hi, *p, *i, *j;
			size_t nl, nr;
			if (left-- == 0) {
				heap_sort(lo, m, size, cmp, ctx);
				m = 0;
				break;
			}
			/* median of three: lo <= mid <= hi, the pivot then at lo + 1,
			 * and lo and hi stop the scans below */
			mid = lo + (m / 2) * size;
			hi = lo + (m - 1) * size;
			if (cmp(mid, lo, ctx) < 0)
				swap_bytes(mid, lo, size);
			if (cmp(hi, mid, ctx) < 0) {
				swap_bytes(hi, mid, size);
				if (cmp(mid, lo, ctx) < 0)
					swap_bytes(mid, lo, size);
			}
			p = lo + size;
			swap_bytes(mid, p, size);
			i = p;
			j = hi;
			for (;;) {
				do
					i += size;
				while (cmp(i, p, ctx) < 0);
				do
					j -= size;
				while (cmp(p, j, ctx) < 0);
				if (i >= j)
					break;
				swap_bytes(i, j, size);
			}
			swap_bytes(p, j, size);   /* the pivot in its place */
			nl = (size_t)(j - lo) / size;
			nr = m - nl - 1;
			if (nl < nr) {
				st[sp].lo = j + size;
				st[sp].n = nr;
				st[sp++].budget = left;
				m = nl;
			} else {
				st[sp].lo = lo;
				st[sp].n = nl;
				st[sp++].budget = left;
				lo = j + size;
				m = nr;
			}
		}
		insertion_sort(lo, m, size, cmp, ctx);
	}
}

/* A 3-byte sequence at s (its lead byte is s[0]); 0 when it is not one. */
static int seq3(const unsigned char *s, uint32_t *cp)
{
	unsigned char a = s[0], b = s[1], c;
	if (a < 0xe0 || a > 0xef || b < 0x80 || b > 0xbf)
		return 0;
	c = s[2];
	if (c < 0x80 || c > 0xbf || (a == 0xe0 && b < 0xa0))
		return 0;
	*cp = ((uint32_t)(a & 0x0f) << 12) | ((uint32_t)(b & 0x3f) << 6) | (c & 0x3f);
	return 3;
}

int hs_utf8_next(const unsigned char *s, uint32_t *cp)
{
	unsigned char a = s[0];
	uint32_t hi, lo;
	if (a < 0x80) {
		*cp = a;
		return 1;
	}
	if (a == 0xc0 && s[1] == 0x80) {   /* modified UTF-8: U+0000 */
		*cp = 0;
		return 2;
	}
	if (a >= 0xc2 && a <= 0xdf) {
		if (s[1] < 0x80 || s[1] > 0xbf)
			return 0;
		*cp = ((uint32_t)(a & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (a >= 0xe0 && a <= 0xef) {
		if (!seq3(s, &hi))
			return 0;
		if (hi < 0xd800 || hi > 0xdfff) {
			*cp = hi;
			return 3;
		}
		/* modified UTF-8: a high surrogate followed by a low one */
		if (hi <= 0xdbff && s[3] == 0xed && seq3(s + 3, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
			*cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
			return 6;
		}
		return 0;
	}
	if (a >= 0xf0 && a <= 0xf4) {
		int i;
		for (i = 1; i < 4; i++)
			if (s[i] < 0x80 || s[i] > 0xbf)
				return 0;
		if ((a == 0xf0 && s[1] < 0x90) || (a == 0xf4 && s[1] > 0x8f))
			return 0;
		*cp = ((uint32_t)(a & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
		      ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
		return 4;
	}
	return 0;
}

int hs_utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int hs_utf8_chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}
