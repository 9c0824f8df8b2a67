/*
 * util.h - small internal helpers shared by the library's modules.
 */
#ifndef HEAPSCAN_UTIL_H
#define HEAPSCAN_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* A growable array of uint32_t, most often the explicit stack of a walk
 * over the object graph or the dominator tree (nothing recurses). */
typedef struct hs_u32vec {
	uint32_t *a;
	size_t n, cap;
} hs_u32vec;

/** Append @p x; returns 0, or -1 when out of memory (@p v unchanged). */
int hs_u32vec_push(hs_u32vec *v, uint32_t x);
void hs_u32vec_free(hs_u32vec *v);

/** qsort/bsearch comparison of uint64_t values. */
int hs_u64_cmp(const void *a, const void *b);
/** Sort @p v and drop repeated values; returns how many remain. */
size_t hs_u64_sort_unique(uint64_t *v, size_t n);

#endif
