/*
 * idmap.h - object id -> dense rank (see idmap.c).  Internal.
 */
#ifndef HEAPSCAN_IDMAP_H
#define HEAPSCAN_IDMAP_H

#include <Judy.h>
#include <stdint.h>

#include "util.h"

#define HS_IDMAP_CHUNK_BITS 32768u
#define HS_IDMAP_CHUNK_WORDS (HS_IDMAP_CHUNK_BITS / 64)
#define HS_IDMAP_SUBS 8u

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
/* A chunk: one bit per possible id, and after sealing its rank base and
 * per-word prefix counts (see idmap.c). */
struct hs_idmap_chunk {
	uint64_t w[HS_IDMAP_CHUNK_WORDS];
	uint32_t base;                          /* rank of the first bit */
	uint16_t prefix[HS_IDMAP_CHUNK_WORDS];  /* bits before each word */
	uint32_t tag_lo[HS_IDMAP_SUBS], tag_hi[HS_IDMAP_SUBS];  /* lo > hi: none */
};

/* Population count without a libgcc call (util.h). */
#define hs_idmap__popcount hs_popcount64

uint32_t hs_idmap__rank_slow(hs_idmap *m, uint64_t id);

/* The rank of bit b of chunk c, HS_IDMAP_NONE when it is not set. */
static inline uint32_t hs_idmap__rank_in(const struct hs_idmap_chunk *c, uint32_t b)
{
	uint32_t wi = b >> 6;
	uint64_t bit = 1ull << (b & 63);
	if (!(c->w[wi] & bit))
		return HS_IDMAP_NONE;
	return c->base + c->prefix[wi] + hs_idmap__popcount(c->w[wi] & (bit - 1));
}

/** Rank of an id, HS_IDMAP_NONE if absent (after sealing).  Inline: the
 *  graph passes call it for every object and reference. */
static inline uint32_t hs_idmap_rank(hs_idmap *m, uint64_t id)
{
	const struct hs_idmap_chunk *c;
	uint64_t k, key;
	if (!m->flat || (m->shift && (id & ((1u << m->shift) - 1)) != 0))
		return hs_idmap__rank_slow(m, id);
	k = id >> m->shift;
	key = k / HS_IDMAP_CHUNK_BITS;
	if (key < m->flat_min || key - m->flat_min >= m->flat_n)
		return HS_IDMAP_NONE;
	c = (const struct hs_idmap_chunk *)m->flat[key - m->flat_min];
	if (!c)
		return HS_IDMAP_NONE;
	return hs_idmap__rank_in(c, (uint32_t)(k % HS_IDMAP_CHUNK_BITS));
}
uint64_t hs_idmap_bytes(const hs_idmap *m);
/** Id of a rank: O(log chunks) (after sealing). */
uint64_t hs_idmap_select(const hs_idmap *m, uint32_t rank);
void hs_idmap_release(hs_idmap *m);

#endif
