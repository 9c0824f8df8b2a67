/*
 * util.c - small internal helpers shared by the library's modules.
 */
#include <stdlib.h>

#include "util.h"

int hs_u32vec_push(hs_u32vec *v, uint32_t x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 1024;
		uint32_t *na = realloc(v->a, cap * sizeof(*na));
		if (!na)
			return -1;
		v->a = na;
		v->cap = cap;
	}
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
