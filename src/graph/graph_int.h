/*
 * graph_int.h - the layout of hs_graph, shared by graph.c and labels.c.
 * Internal.
 */
#ifndef HEAPSCAN_GRAPH_INT_H
#define HEAPSCAN_GRAPH_INT_H

#include <Judy.h>

#include "heapscan/graph.h"
#include "dump_int.h"
#include "util.h"

struct hs_refs {
	uint32_t *offs;       /* byte offsets of reference fields */
	uint32_t n;
	uint32_t referent;    /* offset + 1 of Reference.referent, 0 if none */
	uint32_t thread_name; /* offset + 1 of Thread.name, 0 if none */
	int done;
};

#define SIZE_BIG 0xffffu
#define CLS_NONE 0xffffu
#define CLS_BIG 0xfffeu

struct hs_graph {
	hs_dump *d;
	hs_graph_opts opts;
	hs_graph_stats stats;
	uint32_t n;           /* nodes, including the virtual root 0 */
	unsigned align_shift;
	uint16_t *cls;        /* class index; CLS_BIG: see cls_big; CLS_NONE: none */
	Pvoid_t cls_big;      /* JudyL node -> class index, for class objects
	                         (HS_CLASS_OBJECT_BIT | index) and indexes >= CLS_BIG */
	uint16_t *size;       /* shallow size >> align_shift; SIZE_BIG: see size_big */
	Pvoid_t size_big;     /* JudyL node -> size >> align_shift, when >= SIZE_BIG
	                         (objects of 512 KB and more with 8-byte alignment) */
	uint32_t *off, *tgt;  /* CSR of references */
	uint32_t *idom;       /* immediate dominator, HS_NONE unreachable */
	uint32_t *order;      /* reachable nodes in DFS preorder; becomes child[] */
	uint32_t nreach;
	uint32_t *ret;        /* retained bytes >> align_shift; UINT32_MAX: see ret_big */
	Pvoid_t ret_big;      /* JudyL node -> retained units, when >= UINT32_MAX */
	uint32_t *retn;       /* retained objects */
	uint32_t *child_off, *child;  /* dominator tree children, on demand:
	                                 child_off[] per node that has any */
	uint64_t *child_has;  /* nodes with children (bitmap) */
	uint32_t *child_rank; /* nodes with children before each 64 */
	uint64_t *child_sorted;
	Pvoid_t kid_copy;     /* JudyL node -> its children sorted in a copy of
	                         their own (malloc), made while kids_frozen */
	uint32_t kids_frozen; /* (atomic) an index's writer reads child[] on its
	                         thread: hs_graph_dom_children() sorts copies */
	struct hs_refs *refs; /* per class */
	uint32_t *class_node; /* class index -> node of its class object (0: none):
	                         the reference of each instance and array to
	                         its class, not stored in tgt */
	uint8_t *seen_class;
	uint64_t *dup_seen;   /* while building, when ids repeat: nodes whose
	                         first record was seen in this pass */
	Pvoid_t thread_name_ids;  /* JudyL thread node -> name String id */
	Pvoid_t weak_ref;         /* JudyL node of a Reference -> the node its
	                             referent edge leads to (when that edge is
	                             in the graph: not exclude_weak) */
	Pvoid_t labels;           /* JudyL node -> char* label */
	Pvoid_t loader_short, loader_full;   /* JudyL loader id -> char* name */
	struct hs_index_writer *writer;   /* an index being written (index.c) */
	Pvoid_t label_tried;      /* Judy1 of the nodes whose labels were fetched,
	                             with a label or none */
	struct hs_index_state *idx;   /* the index this graph was read from or
	                                 is written to, and what the command
	                                 learned for it (index.c) */
	hs_mem_file refs_file;    /* off[] and tgt[] while they are out of
	                             memory (hs_graph_refs() maps them back):
	                             moved there during the dominators */
	int refs_parked;          /* refs_file holds them (0 in a graph from
	                             an index, whose blocks hs_graph_out() reads) */
	uint64_t refs_tgt_at;     /* where tgt[] starts in it */
	uint64_t nedges;          /* entries of tgt[] */
	unsigned lazy;            /* from an index: the arrays (HS_LAZY_*) not
	                             read yet, read when first asked for */
	unsigned lazy_failed;     /* those that could not be read */
	uint64_t *reach;          /* from an index, without idom[]: the nodes in
	                             the dominator tree (bitmap) */
	/* from an index, the arrays read block by block (index.c): blocks of
	 * 1 << blk_shift nodes; the kinds (HS_LAZY_*) of which some are not
	 * read yet, and for each kind (its bit's number) the blocks read */
	unsigned blk_shift;
	unsigned blk_pending;
	uint64_t *blk_done[7];
};

/* dominators.c: hs_dominators_mem() on references that it may move out
 * of memory once its depth-first search is done, the phase where they
 * and the dominator temporaries would otherwise be held at once (and
 * order[], not read again until the end, with them): when mem has a
 * budget that they would pass together.  With mem NULL nothing moves. */
struct hs_dom_refs {
	uint32_t *off, *tgt;  /* in: the CSR, arrays of mem; out: NULL if moved */
	uint64_t nedges;      /* entries of tgt[] (off[n]) */
	int parked;           /* out: moved to file, off[] at 0, tgt[] at tgt_at */
	hs_mem_file file;
	uint64_t tgt_at;
	uint32_t *spare[3];   /* out: arrays of mem (contents undefined) that the
	                         caller frees or reuses: two of n entries, one
	                         of nreach + 1 */
	int threads;          /* in: 2 or more, a second thread makes the pages
	                         of the temporaries ahead of the first */
	void *cold;           /* in: an array of mem that the DFS reads at
	                         random and the passes after it front to back
	                         (the classes, for extra()), or NULL: when the
	                         references are moved, it goes to a file too,
	                         its memory left to the temporaries' pages */
};
int hs_dominators_park(uint32_t n, struct hs_dom_refs *r,
		       uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
		       uint32_t root, uint32_t *idom, uint32_t *order, uint32_t *nreach,
		       int keep_unreachable, uint32_t *nrooted, uint64_t *temp_peak, hs_mem *mem,
		       void (*progress)(void *ctx, uint64_t done, uint64_t total), void *progress_ctx,
		       hs_error *err);

/* The arrays of a graph from an index that are read when first needed
 * (hs_index__lazy()): a command reads only what it asks for. */
#define HS_LAZY_CLS   1u   /* cls[] */
#define HS_LAZY_SIZE  2u   /* size[] */
#define HS_LAZY_RET   4u   /* ret[] */
#define HS_LAZY_RETN  8u   /* retn[] */
#define HS_LAZY_TREE 16u   /* child_off[], child[], child_has[], child_rank[]
                              and reach */
#define HS_LAZY_IDOM 32u   /* idom[], from the tree */
#define HS_LAZY_REFS 64u   /* off[] and tgt[] */
#define HS_LAZY_ALL 127u

/* index.c: freeing what a graph from an index holds of it. */
void hs_index__free(hs_graph *g);
/* index.c: read the arrays @p what of a graph from an index that are not
 * read yet.  0 when they are all there; -1 when one cannot be (out of
 * memory, or a section that does not decode: said once on stderr), and
 * it stays missing: its accessors then give a neutral value, never a
 * crash. */
int hs_index__lazy(hs_graph *g, unsigned what);
/* index.c: the same for the one kind @p what (HS_LAZY_CLS ... TREE) at
 * node @p v alone: the block that holds it (and what that block needs).
 * With v HS_NONE, the kind's arrays made, no block read. */
int hs_index__lazy_at(hs_graph *g, unsigned what, uint32_t v);
/* index.c: start writing the index at @p index_path while the dominators
 * are computed (hs_index_write_start() finishes it): 0, or -1 (then
 * hs_index_write_start() writes it all). */
int hs_index__write_early(hs_dump *d, hs_graph *g, const char *index_path);

/* An array of a graph from an index, read when first needed: 0 there. */
static inline int need(const hs_graph *g, const void *array, unsigned what)
{
	if (__builtin_expect(array != NULL && !(g->blk_pending & what), 1))
		return 0;
	return hs_index__lazy((hs_graph *)g, what);
}

/* The entry for node v of an array of one kind (@p what, one bit): 0
 * there.  From an index, only the block that holds it is read. */
static inline int need_at(const hs_graph *g, const void *array, unsigned what, uint32_t v)
{
	if (__builtin_expect(array != NULL, 1)) {
		uint32_t b;
		if (__builtin_expect(!(g->blk_pending & what), 1))
			return 0;
		b = v >> g->blk_shift;
		if ((__atomic_load_n(&g->blk_done[__builtin_ctz(what)][b >> 6], __ATOMIC_ACQUIRE) >> (b & 63)) & 1)
			return 0;
	}
	return hs_index__lazy_at((hs_graph *)g, what, v);
}


/* The dominator-tree children of v: their count, and *at where they
 * start in child[].  child_off[] has an entry only for the nodes that
 * have children (most objects are leaves of the dominator tree):
 * child_has[] marks them and child_rank[] counts them before each 64
 * nodes; child_off[nk] is the end of the last one's (nk: their number,
 * child_rank[(n + 63) / 64]).  Built from idom[] (graph.c) or read from
 * an index (index.c). */
static inline uint32_t dom_kid_rank(const hs_graph *g, uint32_t v)
{
	return g->child_rank[v >> 6] +
	       hs_popcount64(g->child_has[v >> 6] & ((1ull << (v & 63)) - 1));
}

static inline uint32_t dom_kids(const hs_graph *g, uint32_t v, uint32_t *at)
{
	uint32_t r;
	if (!((g->child_has[v >> 6] >> (v & 63)) & 1)) {
		*at = 0;
		return 0;
	}
	r = dom_kid_rank(g, v);
	*at = g->child_off[r];
	return g->child_off[r + 1] - *at;
}

/* A per-node value kept narrow, with the rare wide ones in a JudyL: the
 * narrow value, or the side table's when it is the marker. */
static inline uint64_t side_value(Pvoid_t big, uint32_t node, uint64_t narrow, uint64_t marker)
{
	PWord_t pv;
	if (narrow != marker)
		return narrow;
	JLG(pv, big, node);
	return pv ? (uint64_t)*pv : marker;
}

/* The class of a node (hs_graph_class()): 16 bits for instances and
 * arrays, a JudyL for class objects and the rare indexes beyond. */
static inline uint32_t cls_at(const hs_graph *g, uint32_t node)
{
	uint16_t c;
	PWord_t pv;
	if (need_at(g, g->cls, HS_LAZY_CLS, node) < 0)
		return HS_NONE;
	c = g->cls[node];
	if (c < CLS_BIG)
		return c;
	if (c == CLS_NONE)
		return HS_NONE;
	JLG(pv, g->cls_big, node);   /* index 0xfffe itself may be in it */
	return pv ? (uint32_t)*pv : HS_NONE;
}

/* The node an instance or array refers to as its class (0: none; class
 * objects have none). */
static inline uint32_t class_ref_of(const hs_graph *g, uint32_t node)
{
	uint32_t c = cls_at(g, node);
	return c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) ? 0 : g->class_node[c];
}

#endif
