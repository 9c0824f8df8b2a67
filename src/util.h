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
/** Room for @p more entries after the n there are, so that that many can
 *  be written at a[n ...] without a push each; 0, or -1 when out of
 *  memory (@p v unchanged). */
int hs_u32vec_reserve(hs_u32vec *v, size_t more);
void hs_u32vec_free(hs_u32vec *v);

/**
 * The character at @p s, for output that must stay valid UTF-8: returns
 * how many bytes it takes and sets *cp, or returns 0 when the byte at @p s
 * starts no valid sequence (a stray continuation byte, an overlong form, a
 * surrogate on its own, a sequence cut short or beyond U+10FFFF).  Java's
 * modified UTF-8, which dumps use, is accepted too: C0 80 is U+0000 (2
 * bytes) and a surrogate pair written as two 3-byte sequences is the one
 * character it stands for (6 bytes).  @p s is NUL-terminated; *s != 0.
 */
int hs_utf8_next(const unsigned char *s, uint32_t *cp);
/** The characters of UTF-8 @p s (its bytes but continuation bytes): the
 *  width of a table cell or heading. */
int hs_utf8_chars(const char *s);
/** Write @p cp (at most U+10FFFF, no surrogate) as UTF-8 to @p out (4
 *  bytes of room); returns the bytes written. */
int hs_utf8_put(char *out, uint32_t cp);

/** qsort/bsearch comparison of uint64_t values. */
int hs_u64_cmp(const void *a, const void *b);
/** Sort @p v and drop repeated values; returns how many remain. */
size_t hs_u64_sort_unique(uint64_t *v, size_t n);

/** A comparison for hs_sort(): <0, 0, >0 as for qsort, with the caller's
 *  @p ctx (the graph whose retained sizes order nodes, the names that
 *  indexes stand for), so that no comparison reads a file-scope variable. */
typedef int (*hs_sort_cmp)(const void *a, const void *b, void *ctx);
/**
 * Sort @p n elements of @p size bytes at @p base, as qsort() does but with
 * a context for the comparison (C11 has no qsort_r, and the BSD and GNU
 * ones disagree on the argument order).  Not stable: comparisons that must
 * give one order break ties themselves.  Introsort: a quicksort with an
 * explicit stack (the smaller side first, so it holds at most log2 n
 * ranges), heapsort when a range splits badly too often, insertion sort
 * for short ranges; O(n log n) on every input, no allocation, cannot fail.
 */
void hs_sort(void *base, size_t n, size_t size, hs_sort_cmp cmp, void *ctx);

/* Population count without a libgcc call (__popcountdi2, a function with
 * a table) when the build has no -mpopcnt: a few arithmetic instructions
 * inline, on every x86-64.  With -mpopcnt (or an -march that has it) the
 * one instruction. */
static inline unsigned hs_popcount64(uint64_t x)
{
#ifdef __POPCNT__
	return (unsigned)__builtin_popcountll(x);
#else
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
#endif
}

#endif
