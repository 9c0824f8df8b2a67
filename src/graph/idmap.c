/*
 * idmap.c - object id -> dense index, as a rank bitmap.
 *
 * HotSpot object ids are addresses: aligned, dense inside heap regions,
 * with large gaps between regions.  The map keeps one bit per possible
 * object start (id >> shift), in chunks of CHUNK_BITS bits allocated only
 * where objects exist; a JudyL array maps a chunk number to its chunk.
 * Once every id has been added, hs_idmap_seal() numbers the chunks in id
 * order and stores per-chunk and per-512-bit prefix counts, so the rank of
 * an id (its index among all ids, in address order) costs one Judy lookup
 * (skipped when the chunk is the same as last time; replaced by a flat
 * directory when the chunks are not too far apart) and one popcount.
 * On a dense heap this is under one byte per object (see bench/).
 *
 * shift starts at 3 (8-byte alignment); an id that is not a multiple of
 * 8 rebuilds the map with shift 0, so the hprof agent's ids also work.
 */
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

#define CHUNK_BITS HS_IDMAP_CHUNK_BITS
#define CHUNK_WORDS HS_IDMAP_CHUNK_WORDS
/* A flat directory replaces the Judy lookup when the chunks span at most
 * this many chunk numbers (8 bytes each: 128 MiB of directory covers
 * 4 TiB of heap at 8-byte alignment). */
#define MAX_FLAT (16u << 20)

/* Each chunk is cut into SUBS blocks that remember the lowest and highest
 * tag (the reader's checkpoint number) of the ids added in them. */
#define SUBS HS_IDMAP_SUBS
#define SUB_BITS (CHUNK_BITS / SUBS)

#define chunk hs_idmap_chunk

/* Population count without a libgcc call when the build has no -mpopcnt. */
#define popcount64 hs_idmap__popcount

int hs_idmap_init(hs_idmap *m)
{
	memset(m, 0, sizeof(*m));
	m->shift = 3;
	m->last_key = UINT64_MAX;
	return 0;
}

static struct chunk *get_chunk(hs_idmap *m, uint64_t key, int create)
{
	PWord_t pv;
	if (key == m->last_key)
		return m->last;
	if (m->flat) {
		if (key < m->flat_min || key - m->flat_min >= m->flat_n)
			return NULL;
		return (struct chunk *)m->flat[key - m->flat_min];
	}
	JLG(pv, m->chunks, key);
	if (!pv) {
		struct chunk *c;
		if (!create)
			return NULL;
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		memset(c->tag_lo, 0xff, sizeof(c->tag_lo));
		JLI(pv, m->chunks, key);
		if (pv == PJERR) {
			free(c);
			return NULL;
		}
		*pv = (Word_t)c;
		m->nchunks++;
	}
	m->last_key = key;
	m->last = (struct chunk *)*pv;
	return m->last;
}

static int set_bit(hs_idmap *m, uint64_t k, uint32_t tag)
{
	struct chunk *c = get_chunk(m, k / CHUNK_BITS, 1);
	uint32_t b = (uint32_t)(k % CHUNK_BITS);
	uint64_t bit = 1ull << (b & 63);
	if (!c)
		return -1;
	if (tag != HS_IDMAP_NOTAG) {
		unsigned sb = b / SUB_BITS;
		if (tag < c->tag_lo[sb])
			c->tag_lo[sb] = tag;
		if (tag > c->tag_hi[sb])
			c->tag_hi[sb] = tag;
	}
	if (!(c->w[b >> 6] & bit)) {
		c->w[b >> 6] |= bit;
		m->count++;
	} else {
		m->dups++;
	}
	return 0;
}

/* Re-insert every id with shift 0. */
static int reshift(hs_idmap *m)
{
	Pvoid_t old = m->chunks;
	PWord_t pv;
	Word_t key = 0, w;
	unsigned oldshift = m->shift;

	m->chunks = NULL;
	m->nchunks = 0;
	m->count = 0;
	m->last_key = UINT64_MAX;
	m->shift = 0;
	m->tags_lost = 1;   /* the blocks change: where ids were is forgotten */
	JLF(pv, old, key);
	while (pv) {
		struct chunk *c = (struct chunk *)*pv;
		uint32_t i;
		for (i = 0; i < CHUNK_WORDS; i++) {
			uint64_t x = c->w[i];
			while (x) {
				unsigned b = (unsigned)__builtin_ctzll(x);
				uint64_t k = ((uint64_t)key * CHUNK_BITS + i * 64 + b) << oldshift;
				if (set_bit(m, k, HS_IDMAP_NOTAG) < 0)
					return -1;
				x &= x - 1;
			}
		}
		free(c);
		JLN(pv, old, key);
	}
	JLFA(w, old);
	(void)w;
	return 0;
}

int hs_idmap_add_at(hs_idmap *m, uint64_t id, uint32_t tag)
{
	if (m->shift && (id & ((1u << m->shift) - 1)) != 0) {
		if (reshift(m) < 0)
			return -1;
	}
	return set_bit(m, id >> m->shift, tag);
}

int hs_idmap_add(hs_idmap *m, uint64_t id)
{
	return hs_idmap_add_at(m, id, HS_IDMAP_NOTAG);
}

int hs_idmap_tags(const hs_idmap *m, uint64_t id, uint32_t *lo, uint32_t *hi)
{
	const struct chunk *c;
	uint64_t k;
	unsigned sb;
	if (m->tags_lost || !m->sealed)
		return -1;
	if (m->shift && (id & ((1u << m->shift) - 1)) != 0)
		return -1;
	k = id >> m->shift;
	c = get_chunk((hs_idmap *)m, k / CHUNK_BITS, 0);
	if (!c)
		return -1;
	sb = (unsigned)(k % CHUNK_BITS) / SUB_BITS;
	if (c->tag_lo[sb] > c->tag_hi[sb])
		return -1;
	*lo = c->tag_lo[sb];
	*hi = c->tag_hi[sb];
	return 0;
}

int hs_idmap_seal(hs_idmap *m)
{
	PWord_t pv;
	Word_t key = 0;
	uint32_t rank = 0;
	uint64_t nth = 0;

	Word_t first = 0, last = 0;
	int any = 0;

	free(m->byrank);
	free(m->byrank_key);
	free(m->flat);   /* sealed again (a second graph of the dump) */
	m->flat = NULL;
	m->flat_n = 0;
	m->byrank = malloc(sizeof(void *) * (m->nchunks ? m->nchunks : 1));
	m->byrank_key = malloc(sizeof(uint64_t) * (m->nchunks ? m->nchunks : 1));
	if (!m->byrank || !m->byrank_key)
		return -1;
	JLF(pv, m->chunks, key);
	while (pv) {
		struct chunk *c = (struct chunk *)*pv;
		uint32_t i, acc = 0;
		m->byrank[nth] = c;
		m->byrank_key[nth++] = key;
		c->base = rank;
		for (i = 0; i < CHUNK_WORDS; i++) {
			c->prefix[i] = (uint16_t)acc;
			acc += popcount64(c->w[i]);
		}
		rank += acc;
		if (!any)
			first = key;
		last = key;
		any = 1;
		JLN(pv, m->chunks, key);
	}
	if (any && last - first < MAX_FLAT) {
		m->flat_n = last - first + 1;
		m->flat_min = first;
		m->flat = calloc(m->flat_n, sizeof(void *));
		if (m->flat) {
			key = 0;
			JLF(pv, m->chunks, key);
			while (pv) {
				m->flat[key - first] = (void *)*pv;
				JLN(pv, m->chunks, key);
			}
		}
	}
	m->sealed = 1;
	m->last_key = UINT64_MAX;
	return 0;
}

uint32_t hs_idmap__rank_slow(hs_idmap *m, uint64_t id)
{
	uint64_t k;
	struct chunk *c;

	if (m->shift && (id & ((1u << m->shift) - 1)) != 0)
		return HS_IDMAP_NONE;
	k = id >> m->shift;
	c = get_chunk(m, k / CHUNK_BITS, 0);
	if (!c)
		return HS_IDMAP_NONE;
	return hs_idmap__rank_in(c, (uint32_t)(k % CHUNK_BITS));
}

uint64_t hs_idmap_bytes(const hs_idmap *m)
{
	/* chunks plus a JudyL estimate of 16 bytes per key, and the flat
	 * directory */
	return m->nchunks * (sizeof(struct chunk) + 16 + 2 * sizeof(void *)) + m->flat_n * sizeof(void *);
}

/* The id of a rank: a binary search over the chunks in rank order, then
 * over the chunk's per-word prefix counts, then the bit in the word.
 * O(log chunks + log CHUNK_WORDS + 64): cheap enough to call per node. */
uint64_t hs_idmap_select(const hs_idmap *m, uint32_t rank)
{
	uint64_t lo = 0, hi = m->nchunks;
	const struct chunk *c;
	uint32_t r, wlo = 0, whi = CHUNK_WORDS;
	uint64_t x;

	if (!m->byrank || rank >= m->count)
		return 0;
	while (hi - lo > 1) {    /* the last chunk whose base <= rank */
		uint64_t mid = lo + (hi - lo) / 2;
		if (((const struct chunk *)m->byrank[mid])->base <= rank)
			lo = mid;
		else
			hi = mid;
	}
	c = m->byrank[lo];
	r = rank - c->base;
	while (whi - wlo > 1) {  /* the last word with prefix <= r */
		uint32_t mid = wlo + (whi - wlo) / 2;
		if (c->prefix[mid] <= r)
			wlo = mid;
		else
			whi = mid;
	}
	/* words after a full run of empty ones share its prefix: skip to
	 * the word that holds bit r */
	while (wlo < CHUNK_WORDS && r >= c->prefix[wlo] + popcount64(c->w[wlo]))
		wlo++;
	if (wlo == CHUNK_WORDS)
		return 0;
	x = c->w[wlo];
	for (r -= c->prefix[wlo]; r > 0; r--)
		x &= x - 1;
	return ((uint64_t)m->byrank_key[lo] * CHUNK_BITS + wlo * 64 +
		(unsigned)__builtin_ctzll(x)) << m->shift;
}

void hs_idmap_release(hs_idmap *m)
{
	PWord_t pv;
	Word_t key = 0, w;
	JLF(pv, m->chunks, key);
	while (pv) {
		free((void *)*pv);
		JLN(pv, m->chunks, key);
	}
	JLFA(w, m->chunks);
	(void)w;
	free(m->flat);
	free(m->byrank);
	free(m->byrank_key);
	memset(m, 0, sizeof(*m));
}
