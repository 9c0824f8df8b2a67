/*
 * waste.h - memory a heap wastes: duplicate Strings, empty and sparsely
 * filled collections, boxed primitives in collections, primitive arrays
 * that are mostly zeros (man/heapscan.1, "waste", defines each figure).
 */
#ifndef HEAPSCAN_WASTE_H
#define HEAPSCAN_WASTE_H

#include <stdint.h>

#include "heapscan/graph.h"

/* A collection is sparse when fewer than 1 in HS_WASTE_SPARSE_DIV of its
 * slots hold an entry (a HashMap fills up to 3 in 4 before it grows). */
#define HS_WASTE_SPARSE_DIV 4
/* Primitive arrays looked at: of at least this many bytes (smaller ones
 * cannot waste much each), and counted when at least HS_WASTE_ZERO_PCT
 * percent of their elements are zero. */
#define HS_WASTE_ZERO_MIN_BYTES 1024
#define HS_WASTE_ZERO_PCT 90
/* Strings compared: those whose value array is at most this long (the
 * values are held in memory while they are compared). */
#define HS_WASTE_STRING_MAX_BYTES (1u << 20)

typedef struct hs_waste_dup {
	char *value;         /* the value, UTF-8, at most 100 chars (owned) */
	uint64_t count;      /* Strings with that value */
	uint64_t wasted;     /* bytes freed if one String and array remained */
	char *holders;       /* "Class.field (n), ..." most first (owned) */
} hs_waste_dup;

typedef struct hs_waste_coll {
	const char *cls;     /* borrowed from the dump */
	int empty;           /* 1: no entry; 0: sparse */
	uint64_t count, entries, capacity, wasted;
} hs_waste_coll;

typedef struct hs_waste_row {
	const char *cls;     /* borrowed from the dump */
	uint64_t count, wasted;
} hs_waste_row;

typedef struct hs_waste {
	hs_waste_dup *dups;        /* most wasted first */
	uint32_t ndups;
	uint64_t dup_strings, dup_wasted;   /* duplicates beyond the first, bytes */
	hs_waste_coll *colls;      /* most wasted first */
	uint32_t ncolls;
	hs_waste_row *boxed, *zeros;
	uint32_t nboxed, nzeros;
} hs_waste;

/**
 * Find the waste of the reachable heap: a few passes over the dump (the
 * Strings' values, the collections' fields and sizes, the primitive
 * arrays' contents).
 * @param[out] out  released with hs_waste_release()
 */
int hs_waste_find(hs_waste *out, hs_graph *g, hs_error *err);
void hs_waste_release(hs_waste *w);

#endif
