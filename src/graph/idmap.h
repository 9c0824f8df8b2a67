/*
 * idmap.h - object id -> dense rank (see idmap.c).  Internal.
 */
#ifndef HEAPSCAN_IDMAP_H
#define HEAPSCAN_IDMAP_H

#include <Judy.h>
#include <stdint.h>

#define HS_IDMAP_NONE UINT32_MAX
#define HS_IDMAP_NOTAG UINT32_MAX

typedef struct hs_idmap {
	Pvoid_t chunks;       /* JudyL chunk number -> struct chunk* */
	uint64_t nchunks;
	uint64_t count;       /* distinct ids */
	uint64_t dups;        /* ids added twice */
	unsigned shift;
	int sealed;
	int tags_lost;        /* the map was rebuilt: no tags */
	uint64_t last_key;    /* one-entry cache of the last chunk */
	void *last;
	void **flat;          /* after sealing: chunk number - flat_min -> chunk */
	uint64_t flat_min, flat_n;
	void **byrank;        /* after sealing: the chunks in id (= rank) order */
	uint64_t *byrank_key; /* their chunk numbers */
} hs_idmap;

int hs_idmap_init(hs_idmap *m);
/** Add an id (before sealing).  -1 when out of memory. */
int hs_idmap_add(hs_idmap *m, uint64_t id);
/** Add an id with a tag (a number that grows as the dump is read, such as
 *  the reader's checkpoint): each block of the map keeps the lowest and
 *  highest tag of its ids. */
int hs_idmap_add_at(hs_idmap *m, uint64_t id, uint32_t tag);
/** The lowest and highest tag of the ids in the block of @p id: 0, or -1
 *  when unknown (no tags, or the map was rebuilt for unaligned ids). */
int hs_idmap_tags(const hs_idmap *m, uint64_t id, uint32_t *lo, uint32_t *hi);
/** Number the ids; no more adds after this. */
int hs_idmap_seal(hs_idmap *m);
/** Rank of an id, HS_IDMAP_NONE if absent (after sealing). */
uint32_t hs_idmap_rank(hs_idmap *m, uint64_t id);
uint64_t hs_idmap_bytes(const hs_idmap *m);
/** Id of a rank: O(log chunks) (after sealing). */
uint64_t hs_idmap_select(const hs_idmap *m, uint32_t rank);
void hs_idmap_release(hs_idmap *m);

#endif
