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
