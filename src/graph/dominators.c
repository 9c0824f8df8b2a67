/*
 * dominators.c - immediate dominators by the Semi-NCA algorithm, with
 * jump pointers for the NCA step.
 *
 * Semi-NCA (Georgiadis, Tarjan, Werneck, "Finding dominators in practice",
 * 2006) computes semidominators as Lengauer and Tarjan do ("A fast
 * algorithm for finding dominators in a flowgraph", 1979, with simple
 * path compression), then each immediate dominator as the nearest common
 * ancestor of the vertex's DFS parent and its semidominator in the partly
 * built dominator tree: for w in preorder, walk up the dominator tree from
 * parent(w) to the first vertex numbered <= semi(w).
 *
 * Walked one step at a time, that last step is quadratic: on the chain
 * 0 -> a1 -> ... -> ak with a1 and ak both pointing at b1..bm, each b
 * walks the whole chain (k = m = 100,000 took 12 s).  The dominator tree
 * only grows, by leaves in preorder, so each new vertex gets a skew-binary
 * jump pointer (Myers, "An applicative random-access stack", 1983): with
 * its depth d, jump(w) is the ancestor at depth d - (2^j - 1) for some j,
 * set in O(1) from idom(w)'s pointers.  Preorder numbers decrease going up
 * the tree, so "first ancestor <= semi(w)" is a monotone search, and
 * taking the jump whenever it stays above semi(w), else one idom step,
 * finds it in O(log n) steps.
 *
 * Complexity: the DFS and the predecessor lists O(n + m); semidominators
 * O(m log n) (path compression without balanced linking, Tarjan and van
 * Leeuwen 1984); the NCA step O(n log n).  So O(m log n) on every input,
 * and on ordinary heaps the walk still ends at the first step or two.
 *
 * Nothing here recurses: the depth-first search keeps an explicit stack
 * of (vertex, next edge) pairs, and path compression walks the ancestor
 * chain into a reusable array first, then compresses it top-down.  A chain
 * of millions of objects costs memory, not C stack.
 *
 * Data structures (all indexed by DFS preorder number except pre[]):
 *   pre[v]      preorder number of node v, NONE if unreached; after the
 *               predecessor lists are built it is reused as the ancestor
 *               array of the link-eval forest, then as the depth of each
 *               vertex in the dominator tree
 *   order[i]    node with preorder number i (output)
 *   parent[i]   DFS tree parent (also the largest predecessor numbered
 *               before i); later reused for idom in preorder
 *   semi[i]     in the idom[] output array until the end; first the
 *               smallest predecessor numbered before i
 *   label[i]    first how many predecessors are numbered after i, then
 *               the link-eval labels, then the jump pointers
 *   poff/psrc   predecessor lists in CSR form, as preorder numbers, of the
 *               predecessors numbered after the vertex only (the others
 *               need no eval()), and only for the vertices that have such
 *               predecessors and a semidominator candidate above the root.
 *               The edges are read in node order, front to back.
 * The DFS fills parent[], semi[] and the counts in label[] as it meets
 * each edge (struct dfs_aux); one pass over the edges after it fills the
 * lists.  Under a --max-memory budget too small for parent[] and label[]
 * beside the references, a pass after the DFS fills them instead.

 * The NCA step adds no memory: depth and jump pointers live in arrays
 * whose own phase is over, so the peak (reported as temp_peak) is still
 * that of the semidominator phase.
 *
 * Part of the graph layer: hs_graph_build() runs it once the references
 * are in place (the analyses read its results through graph.h); it works
 * on any CSR and knows nothing of dumps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "heapscan/graph.h"
#include "graph_int.h"
#include "mem.h"
#include "util.h"

#define NONE UINT32_MAX

int hs_dominators(uint32_t n, const uint32_t *off, const uint32_t *tgt, uint32_t root,
		  uint32_t *idom, uint32_t *order, uint32_t *nreach, int keep_unreachable,
		  hs_error *err)
{
	return hs_dominators_ex(n, off, tgt, root, idom, order, nreach, keep_unreachable, NULL, NULL, err);
}

int hs_dominators_ex(uint32_t n, const uint32_t *off, const uint32_t *tgt, uint32_t root,
		     uint32_t *idom, uint32_t *order, uint32_t *nreach, int keep_unreachable,
		     uint32_t *nrooted, uint64_t *temp_peak, hs_error *err)
{
	return hs_dominators_mem(n, off, tgt, NULL, NULL, root, idom, order, nreach, keep_unreachable,
				 nrooted, temp_peak, NULL, NULL, NULL, err);
}

/* The next reference of x from edge position *e (the stored edges, then
 * position off[x + 1] for the extra one): 1 and *y set, or 0 at the end. */
static inline int next_edge(uint32_t x, uint32_t *e, const uint32_t *off, const uint32_t *tgt,
			    uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
			    uint32_t *y)
{
	if (*e < off[x + 1]) {
		*y = tgt[(*e)++];
		return 1;
	}
	if (*e == off[x + 1] && extra) {
		(*e)++;
		*y = extra(extra_ctx, x);
		return *y != 0;
	}
	return 0;
}

/* What the DFS learns of each edge x -> y as it meets it (see dom_core):
 * the DFS parent of each vertex, the smallest predecessor numbered before
 * it (semi), and how many predecessors are numbered after it (cnt), all
 * by preorder number. */
struct dfs_aux {
	uint32_t *parent, *semi, *cnt;   /* NULL: a pass after the DFS learns them */
	/* told every 2^20 vertices numbered, as the first of six stages */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
	uint64_t total;
};

/* Depth-first numbering (preorder) of what v reaches and nothing has
 * numbered yet; v's DFS parent is the root (number 0).  st holds nodes,
 * cur the next edge position of each.  With a->cnt, every edge from what
 * it numbers is told to a (each edge is met once, with both ends numbered:
 * a DFS numbers y when it first meets an edge to it). */
static int number_from(uint32_t v, const uint32_t *off, const uint32_t *tgt,
		       uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
		       uint32_t *pre, const struct dfs_aux *a, uint32_t *order, uint32_t *nr,
		       hs_u32vec *st, hs_u32vec *cur)
{
	if (pre[v] != NONE)
		return 0;
	pre[v] = *nr;
	if (a->cnt)
		a->parent[*nr] = 0;
	order[(*nr)++] = v;
	st->n = cur->n = 0;
	if (hs_u32vec_push(st, v) < 0 || hs_u32vec_push(cur, off[v]) < 0)
		return -1;
	while (st->n > 0) {
		uint32_t x = st->a[st->n - 1], y, p, i;
		if (next_edge(x, &cur->a[cur->n - 1], off, tgt, extra, extra_ctx, &y)) {
			i = pre[x];
			if ((p = pre[y]) == NONE) {
				p = pre[y] = *nr;
				if (a->cnt)
					a->parent[p] = i;
				order[(*nr)++] = y;
				if (hs_u32vec_push(st, y) < 0 || hs_u32vec_push(cur, off[y]) < 0)
					return -1;
				if (a->progress && (*nr & 0xfffff) == 0)
					a->progress(a->progress_ctx, *nr, a->total);
			}
			if (!a->cnt)
				continue;
			if (i < p) {
				if (a->semi[p] > i)
					a->semi[p] = i;
			} else if (p < i && p) {
				a->cnt[p]++;
			}
		} else {
			st->n--;
			cur->n--;
		}
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

#define BIT(b_, i_) ((b_)[(i_) >> 6] >> ((i_) & 63) & 1)
#define SETBIT(b_, i_) ((b_)[(i_) >> 6] |= 1ull << ((i_) & 63))

/*
 * --keep-unreachable: the objects no GC root reaches hang under the root
 * from pseudo-roots, chosen as Eclipse MAT does (GarbageCleaner): first
 * every unreached object that no other unreached object refers to, in
 * node order; what they reach is then numbered too.  What is left is
 * reached only from cycles among themselves: one pseudo-root for each
 * strongly connected component of it that nothing else left refers to (a
 * "source" component), which is what MAT's heuristic approximates: its
 * lowest node, and these in node order.  They come from the finishing
 * order of a depth-first search of the leftovers (started in node order):
 * the node finished last is in a source component, and, once what it
 * reaches is marked, the unmarked node finished last is again (Kosaraju's
 * argument: what is left stays closed under predecessors).  A source
 * component is entered first by its lowest node, which the search
 * finishes last of the component.
 */
/* An iterative depth-first search from v over the objects the root did
 * not reach (pre[] NONE) and not marked in bits yet: marks them, and with
 * fin appends each in finishing order. */
static int mark_from(uint32_t v, const uint32_t *off, const uint32_t *tgt,
		     uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
		     const uint32_t *pre, uint64_t *bits, hs_u32vec *st, hs_u32vec *cur, hs_u32vec *fin)
{
	uint32_t x, y;
	SETBIT(bits, v);
	st->n = cur->n = 0;
	if (hs_u32vec_push(st, v) < 0 || hs_u32vec_push(cur, off[v]) < 0)
		return -1;
	while (st->n > 0) {
		x = st->a[st->n - 1];
		if (next_edge(x, &cur->a[cur->n - 1], off, tgt, extra, extra_ctx, &y)) {
			if (pre[y] == NONE && !BIT(bits, y)) {
				SETBIT(bits, y);
				if (hs_u32vec_push(st, y) < 0 || hs_u32vec_push(cur, off[y]) < 0)
					return -1;
			}
		} else {
			if (fin && hs_u32vec_push(fin, x) < 0)
				return -1;
			st->n--;
			cur->n--;
		}
	}
	return 0;
}

static int pseudo_roots(uint32_t n, const uint32_t *off, const uint32_t *tgt,
			uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
			uint32_t *pre, const struct dfs_aux *aux, uint32_t *order, uint32_t *nr,
			hs_u32vec *st, hs_u32vec *cur)
{
	uint64_t *bits = calloc(((size_t)n + 63) / 64, sizeof(uint64_t));
	hs_u32vec fin = { 0 }, roots = { 0 };
	uint32_t v, x, y, e, i;
	int rc = -1;

	if (!bits)
		return -1;
	/* referred to by another unreached object */
	for (x = 0; x < n; x++) {
		if (pre[x] != NONE)
			continue;
		for (e = off[x]; next_edge(x, &e, off, tgt, extra, extra_ctx, &y);)
			if (y != x && pre[y] == NONE)
				SETBIT(bits, y);
	}
	for (v = 0; v < n; v++)
		if (pre[v] == NONE && !BIT(bits, v) &&
		    number_from(v, off, tgt, extra, extra_ctx, pre, aux, order, nr, st, cur) < 0)
			goto done;
	if (*nr == n)
		goto ok;
	/* the leftovers' finishing order; bits now marks the ones seen */
	memset(bits, 0, sizeof(uint64_t) * (((size_t)n + 63) / 64));
	for (v = 0; v < n; v++)
		if (pre[v] == NONE && !BIT(bits, v) &&
		    mark_from(v, off, tgt, extra, extra_ctx, pre, bits, st, cur, &fin) < 0)
			goto done;
	/* in reverse finishing order, each node not yet marked is the
	 * pseudo-root of a source component: mark what it reaches */
	memset(bits, 0, sizeof(uint64_t) * (((size_t)n + 63) / 64));
	for (i = fin.n; i-- > 0;) {
		v = fin.a[i];
		if (BIT(bits, v))
			continue;
		if (hs_u32vec_push(&roots, v) < 0 ||
		    mark_from(v, off, tgt, extra, extra_ctx, pre, bits, st, cur, NULL) < 0)
			goto done;
	}
	/* numbered from in node order, as the first ones */
	qsort(roots.a, roots.n, sizeof(uint32_t), cmp_u32);
	for (i = 0; i < roots.n; i++)
		if (number_from(roots.a[i], off, tgt, extra, extra_ctx, pre, aux, order, nr, st, cur) < 0)
			goto done;
ok:
	rc = 0;
done:
	free(bits);
	free(fin.a);
	free(roots.a);
	return rc;
}
#undef BIT
#undef SETBIT

/*
 * The edges after the DFS are read in node order, front to back: from
 * off[] and tgt[] in memory, or from the file they were moved to (see
 * struct hs_dom_refs in graph_int.h) through two small buffers.
 */
#define OFF_BUF 65536u
#define TGT_BUF 262144u

struct estream {
	const uint32_t *off, *tgt;   /* in memory; NULL: read from f */
	const hs_mem_file *f;
	uint64_t tgt_at, nedges;
	uint32_t n;
	uint32_t *ob, ob_first, ob_count;   /* off[ob_first ..] */
	uint32_t *tb, tb_count;
	uint64_t tb_first;                  /* tgt[tb_first ..] */
	int bad;                            /* a read failed */
};

static inline uint32_t es_off(struct estream *s, uint32_t x)
{
	if (s->off)
		return s->off[x];
	if (x - s->ob_first >= s->ob_count || x < s->ob_first) {
		uint32_t k = s->n + 1 - x < OFF_BUF ? s->n + 1 - x : OFF_BUF;
		if (hs_mem_file_read(s->f, (uint64_t)x * 4, s->ob, (size_t)k * 4) < 0) {
			s->bad = 1;
			s->ob_count = 0;
			return 0;
		}
		s->ob_first = x;
		s->ob_count = k;
	}
	return s->ob[x - s->ob_first];
}

/* The targets from position pos (before end) on: *k of them. */
static inline const uint32_t *es_tgt(struct estream *s, uint64_t pos, uint64_t end, uint32_t *k)
{
	uint64_t left;
	if (s->tgt) {
		*k = (uint32_t)(end - pos);
		return s->tgt + pos;
	}
	if (pos < s->tb_first || pos >= s->tb_first + s->tb_count) {
		uint64_t c = s->nedges - pos < TGT_BUF ? s->nedges - pos : TGT_BUF;
		if (pos >= s->nedges ||
		    hs_mem_file_read(s->f, s->tgt_at + pos * 4, s->tb, (size_t)c * 4) < 0) {
			s->bad = 1;
			s->tb_count = 0;
			*k = 0;
			return NULL;
		}
		s->tb_first = pos;
		s->tb_count = (uint32_t)c;
	}
	left = s->tb_first + s->tb_count - pos;
	*k = (uint32_t)(end - pos < left ? end - pos : left);
	return s->tb + (pos - s->tb_first);
}

/* The edges of the reached nodes, node by node in node order (x), as
 * preorder numbers: the body sees i = pre[x] and p = pre[y] for every
 * edge x -> y to a reached y, stored edges then the extra one. */
#define EACH_EDGE(...) do { \
		uint32_t x_, y_, p, k_, j_; \
		uint64_t e_, end_; \
		const uint32_t *t_; \
		for (x_ = 0; x_ < n && !es.bad; x_++) { \
			uint32_t i = pre[x_]; \
			if (i == NONE) \
				continue; \
			e_ = es_off(&es, x_); \
			end_ = es_off(&es, x_ + 1); \
			for (; e_ < end_ && (t_ = es_tgt(&es, e_, end_, &k_)); e_ += k_) \
				for (j_ = 0; j_ < k_; j_++) \
					if ((p = pre[t_[j_]]) != NONE) { __VA_ARGS__; } \
			if (extra && (y_ = extra(extra_ctx, x_)) && (p = pre[y_]) != NONE) \
				{ __VA_ARGS__; } \
			TICK_X(x_); \
		} \
		if (es.bad) \
			goto io_error; \
	} while (0)

/* Give back the pages of an array whose contents are kept elsewhere for
 * a while (the page-aligned part inside it: reading it gives zeros). */
static void drop_pages(void *p, size_t bytes)
{
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, b = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
}

/* Move the references to a file: off[] at 0, tgt[] at the next page.
 * 0 when moved (r->off and r->tgt freed and NULL), -1 when they stay.
 * Only when the budget asks for it: with the temporaries still to come
 * (parent[] and label[] unless the DFS made them (fused), the lists'
 * offsets, and at most one list entry per reference) the arrays in
 * memory would pass it.  Writing the file and reading it back (twice
 * when parent[] and label[] wait for the move, once otherwise)
 * costs system time (a fifth more wall time at one thread on a large
 * dump), which a budget with room to spare need not pay. */
static int park_refs(uint32_t n, uint32_t nr, int fused, struct hs_dom_refs *r, hs_mem *mem)
{
	hs_error e;
	uint64_t ob = ((uint64_t)n + 1) * 4;
	/* with fused, parent[] and label[] are there already */
	uint64_t more = (fused ? 0 : ((uint64_t)n + 1) * 4 + ((uint64_t)nr + 1) * 4) + ((uint64_t)nr + 1) * 4 +
			r->nedges * 4;
	if (!mem->budget || mem->used + more <= mem->budget)
		return -1;   /* room enough: they stay */
	if (hs_mem_in_file(mem, r->off) && hs_mem_in_file(mem, r->tgt))
		return -1;   /* already in files: the kernel pages them */
	if (hs_mem_file_new(mem, &r->file, &e) < 0)
		return -1;
	r->tgt_at = (ob + 65535) & ~(uint64_t)65535;
	if (hs_mem_file_write(&r->file, 0, r->off, ob) < 0 ||
	    hs_mem_file_write(&r->file, r->tgt_at, r->tgt, r->nedges * 4) < 0) {
		hs_mem_file_close(&r->file);
		return -1;
	}
	hs_mem_free(mem, r->off);
	hs_mem_free(mem, r->tgt);
	r->off = r->tgt = NULL;
	r->parked = 1;
	return 0;
}

/*
 * Pages made on another thread (hs_mem_ahead, mem.h).  The DFS and the
 * pass that fills the lists write arrays nothing wrote before, and the
 * first write to each 4 KB page is a fault in which the kernel zeroes the
 * page (and, in a virtual machine, the host backs it): on a 4 GB dump
 * those faults were most of the DFS's time, which runs alone on one core.
 * So, with --threads 2 or more (struct hs_dom_refs.threads), pre[] and
 * semi[] are set to NONE by both threads, then the other one makes and
 * writes the pages of order[], parent[] and label[] ahead of the DFS, and
 * of the lists during the pass that fills them, at the lowest priority:
 * when the index's writer encodes on that core beside the dominators, it
 * takes only what the writer leaves (at the default priority the two
 * slowed each other: 1.03x wall on the 1.39 GB dump).  Filling pre[] and
 * semi[] on the DFS's thread alone cost it 1 s of its 4.8 on the 4.14 GB
 * dump.
 */

static int dom_core(uint32_t n, const uint32_t *off, const uint32_t *tgt, struct hs_dom_refs *park,
		    uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
		    uint32_t root, uint32_t *idom, uint32_t *order, uint32_t *nreach,
		    int keep_unreachable, uint32_t *nrooted, uint64_t *temp_peak, hs_mem *mem,
		    void (*progress)(void *ctx, uint64_t done, uint64_t total), void *progress_ctx,
		    hs_error *err)
{
	uint32_t *pre = NULL, *parent = NULL, *semi = NULL, *label = NULL, *poff = NULL,
		 *psrc = NULL;
	uint64_t *multi = NULL;
	uint32_t *mrank = NULL, nm = 0;
	hs_u32vec st = { 0 }, cur = { 0 };
	uint32_t nr = 0, i, v, stage = 1;
	int fused, pf_on = park && park->threads >= 2;
	hs_mem_ahead pf;
	uint64_t ne = 0, nedges = off[n];
	int64_t peak = 0, parked = 0;   /* bytes held beyond the caller's arrays,
	                                   less what was moved to files */
	size_t nw = 0, w;
	int rc = HS_ENOMEM, err_set = 0;
	hs_mem_file ofile = HS_MEM_FILE_NONE;   /* order[] while it is not needed */
	struct estream es;

	/* the big temporaries come from mem (in memory or in files); on
	 * failure it has said why */
#define BIG(p_, bytes_, zero_) do { \
		(p_) = hs_mem_alloc(mem, (bytes_), (zero_), err); \
		if (!(p_)) { \
			rc = err->code; \
			err_set = 1; \
			goto done; \
		} } while (0)
	/* progress: six stages of n steps, told every 2^20: the DFS (its
	 * vertices, struct dfs_aux), the pass that learns what the DFS did
	 * not (none when fused), the lists' sizes (quick), the pass that
	 * fills them, the semidominators and the NCA walk */
#define TICK(stage_, k_) \
	((progress && ((k_) & 0xfffff) == 0) \
		 ? progress(progress_ctx, (uint64_t)(stage_) * n + (k_), (uint64_t)n * 6) : (void)0)
#define TICK_X(k_) TICK(stage, k_)
	hs_mem_ahead_init(&pf, mem);
	*nreach = 0;
	BIG(pre, sizeof(uint32_t) * n, 0);
	semi = idom;   /* free until the end */
	/*
	 * The DFS meets every edge of what it reaches once, with both ends
	 * numbered (it numbers y as it first meets an edge to it), so it
	 * can learn there all that the semidominators need of the edges but
	 * the lists below (struct dfs_aux), instead of two passes over the
	 * references after it (a fifth of the dominators' time on a large
	 * dump).  That needs parent[] and label[] (as the counts) before
	 * the DFS, while the references are still in memory: when the
	 * budget would not hold them all, they come after the references
	 * are moved to a file, and the passes learn it from there.
	 */
	fused = !park || !mem || !mem->budget ||
		mem->used + ((uint64_t)n + 1) * 8 + (uint64_t)n / 8 <= mem->budget;
	hs_mem_ahead_fill(&pf, pre, sizeof(uint32_t) * n);
	if (fused) {
		/* each vertex's smallest predecessor, learned by the DFS */
		hs_mem_ahead_fill(&pf, semi, sizeof(uint32_t) * n);
		/* n + 1 entries (only nr are touched): with park they are
		 * handed back for retained sizes and the tree, as is pre[] */
		BIG(parent, sizeof(uint32_t) * ((size_t)n + 1), pf_on ? HS_MEM_ZERO_LATER : 1);
		BIG(label, sizeof(uint32_t) * ((size_t)n + 1), pf_on ? HS_MEM_ZERO_LATER : 1);
		/* in the order the DFS first writes them */
		hs_mem_ahead_touch(&pf, order, sizeof(uint32_t) * n);
		hs_mem_ahead_touch(&pf, parent, sizeof(uint32_t) * ((size_t)n + 1));
		hs_mem_ahead_touch(&pf, label, sizeof(uint32_t) * ((size_t)n + 1));
	}
	/* pre[] and semi[] all NONE, with the other thread when it runs,
	 * which then goes on ahead of the DFS */
	hs_mem_ahead_start(&pf, pf_on);
	{
		struct dfs_aux aux = { parent, semi, label, progress, progress_ctx, (uint64_t)n * 6 };
		/* iterative DFS from the root; with keep_unreachable, then
		 * from the pseudo-roots of the objects it left unreached
		 * (pseudo_roots) */
		if (number_from(root, off, tgt, extra, extra_ctx, pre, &aux, order, &nr, &st, &cur) < 0)
			goto done;
		if (nrooted)
			*nrooted = nr;   /* what the root's own edges reach */
		if (keep_unreachable && nr < n &&
		    pseudo_roots(n, off, tgt, extra, extra_ctx, pre, &aux, order, &nr, &st, &cur) < 0)
			goto done;
	}
	hs_mem_ahead_join(&pf);
	free(cur.a);
	cur.a = NULL;
	peak = (int64_t)n * 4 + (int64_t)st.cap * 8 + (fused ? ((int64_t)n + 1) * 8 : 0);
	TICK(1, 0);

	/* From here on the references are read front to back only, and
	 * order[] is not read until the end: with park, and a budget that
	 * the temporaries would pass, both go to files while the
	 * temporaries live (when a file cannot be written they stay in
	 * memory) */
	memset(&es, 0, sizeof(es));
	es.off = off;
	es.tgt = tgt;
	es.n = n;
	es.nedges = nedges;
	if (park && park_refs(n, nr, fused, park, mem) == 0) {
		parked += ((int64_t)n + 1 + (int64_t)nedges) * 4;
		es.off = es.tgt = NULL;
		es.f = &park->file;
		es.tgt_at = park->tgt_at;
		es.ob = malloc(sizeof(uint32_t) * OFF_BUF);
		es.tb = malloc(sizeof(uint32_t) * TGT_BUF);
		if (!es.ob || !es.tb)
			goto done;
		parked -= (int64_t)(OFF_BUF + TGT_BUF) * 4;
	}
	off = tgt = NULL;
	/* the classes too, when the temporaries read at random from here
	 * on cannot all be in memory: what they leave keeps more of those
	 * in files in the page cache */
	if (park && park->parked && park->cold &&
	    (hs_mem_in_file(mem, idom) || (!fused && mem->used + ((uint64_t)n + 1) * 8 > mem->budget)))
		(void)hs_mem_to_file(mem, park->cold);
	if (park && park->parked && !hs_mem_in_file(mem, order)) {
		hs_error e;
		if (hs_mem_file_new(mem, &ofile, &e) == 0 &&
		    hs_mem_file_write(&ofile, 0, order, (size_t)nr * 4) == 0) {
			drop_pages(order, (size_t)nr * 4);
			parked += (int64_t)nr * 4;
		} else {
			hs_mem_file_close(&ofile);
		}
	}

	/*
	 * Every predecessor v < w (in preorder) of a vertex w is an ancestor
	 * of w in the DFS tree: v was numbered first, and had it finished
	 * before w was reached, its edge to w would have reached w.  So the
	 * DFS parent of w is its largest such predecessor, and the smallest
	 * one is a candidate semidominator that needs no eval().  A vertex
	 * without one is the root or a pseudo-root, whose parent and
	 * semidominator are the root.  Only the predecessors numbered after
	 * w need the link-eval forest, and only while the semidominator is
	 * above 0: those lists are stored, for the vertices that have any
	 * (multi[], ranked by mrank[]); the root's direct successors (sticky
	 * class roots: millions of instance -> class edges) and most objects
	 * of a heap have none.
	 */
	nw = ((size_t)nr + 63) / 64;
	multi = calloc(nw ? nw : 1, sizeof(uint64_t));
	mrank = malloc(sizeof(uint32_t) * (nw + 1));
	if (!multi || !mrank)
		goto done;
	if (!fused) {
		/* one pass over the edges learns what the DFS did not */
		BIG(parent, sizeof(uint32_t) * ((size_t)n + 1), 1);
		BIG(label, sizeof(uint32_t) * ((size_t)nr + 1), 1);
		for (i = 0; i < nr; i++)
			semi[i] = NONE;
		EACH_EDGE({
			if (i < p) {
				if (parent[p] < i)
					parent[p] = i;
				if (semi[p] > i)
					semi[p] = i;
			} else if (p < i && p) {
				label[p]++;
			}
		});
	}
	for (i = 1; i < nr; i++)
		if (label[i])
			multi[i >> 6] |= 1ull << (i & 63);
	semi[0] = 0;
	for (i = 1; i < nr; i++)
		if (semi[i] == NONE || semi[i] == 0) {
			semi[i] = 0;
			multi[i >> 6] &= ~(1ull << (i & 63));
		}
	for (w = 0, nm = 0; w < nw; w++) {
		mrank[w] = nm;
		nm += hs_popcount64(multi[w]);
	}
	mrank[nw] = nm;
#define IS_MULTI(p_) (multi[(p_) >> 6] >> ((p_) & 63) & 1)
#define RANK(p_) (mrank[(p_) >> 6] + hs_popcount64(multi[(p_) >> 6] & ((1ull << ((p_) & 63)) - 1)))
	stage = 2;
	BIG(poff, sizeof(uint32_t) * ((size_t)nm + 1), 1);
	{
		/* each list's size was counted: poff[rank] its end */
		uint32_t r = 0;
		for (i = 1; i < nr; i++)
			if (IS_MULTI(i)) {
				ne += label[i];
				poff[r++] = (uint32_t)(ne < UINT32_MAX ? ne : UINT32_MAX);
			}
	}
	if (ne >= UINT32_MAX) {
		rc = hs_error_set(err, HS_ELIMIT, HS_NO_OFFSET, "more than 4 billion references");
		goto done;
	}
	poff[nm] = (uint32_t)ne;
	stage = 3;
	BIG(psrc, sizeof(uint32_t) * (ne ? ne : 1), 0);
	hs_mem_ahead_touch(&pf, psrc, sizeof(uint32_t) * ne);
	hs_mem_ahead_start(&pf, pf_on);
	/* poff[rank] ends as the start of the list */
	EACH_EDGE({
		if (p < i && IS_MULTI(p))
			psrc[--poff[RANK(p)]] = i;
	});
	hs_mem_ahead_join(&pf);

	/* pre, parent, the bitmap and ranks, poff, psrc, and the DFS stack;
	 * then label; less what is in files */
	{
		int64_t t = (int64_t)n * 4 + ((int64_t)nr + 1) * 4 + (int64_t)nw * 12 + 4 +
			    ((int64_t)nm + 1) * 4 + (int64_t)ne * 4 + (int64_t)st.cap * 4 +
			    ((int64_t)nr + 1) * 4 - parked;
		if (t > peak)
			peak = t;
	}

	/* pre[] becomes the ancestor array of the link-eval forest */
	{
		uint32_t *anc = pre;
		for (i = 0; i < nr; i++) {
			label[i] = i;
			anc[i] = NONE;
		}
		st.n = 0;
		for (i = nr; i-- > 1;) {
			uint32_t s = semi[i], e, e_end = 0;
			TICK(4, nr - i);
			e = 0;
			if (s > 0 && IS_MULTI(i)) {
				uint32_t r = RANK(i);
				e = poff[r];
				e_end = poff[r + 1];
			}
			/* the list holds only predecessors numbered after i:
			 * processed, so each is in the forest */
			for (; e < e_end && s > 0; e++) {
				uint32_t p = psrc[e], u;
				/* eval(p) with path compression */
				if (anc[p] == NONE) {
					u = p;
				} else {
					uint32_t x = p;
					st.n = 0;
					while (anc[anc[x]] != NONE) {
						if (hs_u32vec_push(&st, x) < 0)
							goto done;
						x = anc[x];
					}
					while (st.n > 0) {
						uint32_t y = st.a[--st.n];
						if (semi[label[anc[y]]] < semi[label[y]])
							label[y] = label[anc[y]];
						anc[y] = anc[anc[y]];
					}
					u = label[p];
				}
				if (semi[u] < s)
					s = semi[u];
			}
			semi[i] = s;
			anc[i] = parent[i];  /* link */
		}
	}
#undef IS_MULTI
#undef RANK
	hs_mem_free(mem, psrc);
	psrc = NULL;
	hs_mem_free(mem, poff);
	poff = NULL;
	free(multi);
	multi = NULL;
	free(mrank);
	mrank = NULL;

	/* NCA: parent[] becomes idom in preorder.  The dominator tree grows
	 * by leaves in preorder; each gets its depth (in pre[]) and a
	 * skew-binary jump pointer (in label[]), so the walk up from the DFS
	 * parent to the first vertex <= semi takes O(log n) steps (see the
	 * header comment) */
	{
		uint32_t *depth = pre, *jump = label;
		depth[0] = 0;
		jump[0] = 0;
		for (i = 1; i < nr; i++) {
			uint32_t x = parent[i], t = semi[i], j;
			TICK(5, i);
			/* preorder numbers decrease going up: a jump that
			 * stays above t skips only vertices above t */
			while (x > t)
				x = jump[x] > t ? jump[x] : parent[x];
			parent[i] = x;
			depth[i] = depth[x] + 1;
			j = jump[x];
			jump[i] = depth[x] - depth[j] == depth[j] - depth[jump[j]] ? jump[j] : x;
		}
	}
	if (!park) {
		hs_mem_free(mem, label);
		label = NULL;
		hs_mem_free(mem, pre);
		pre = NULL;
	}
	if (ofile.fd >= 0) {
		if (hs_mem_file_read(&ofile, 0, order, (size_t)nr * 4) < 0)
			goto io_error;
		hs_mem_file_close(&ofile);
	}

	for (v = 0; v < n; v++)
		idom[v] = NONE;
	idom[order[0]] = order[0];
	for (i = 1; i < nr; i++)
		idom[order[i]] = order[parent[i]];
	*nreach = nr;
	if (progress)
		progress(progress_ctx, (uint64_t)n * 6, (uint64_t)n * 6);
	if (temp_peak)
		*temp_peak = peak > 0 ? (uint64_t)peak : 0;
	if (park) {
		/* two arrays of n whose pages are already in memory: the
		 * caller's next ones (retained sizes and counts) */
		park->spare[0] = pre;
		park->spare[1] = parent;
		park->spare[2] = label;   /* nr + 1 entries */
		pre = parent = label = NULL;
	}
	rc = 0;
	goto done;
io_error:
	rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot read back a temporary file of the dominators: %s",
			  strerror(errno));
	err_set = 1;
done:
#undef TICK_X
#undef TICK
#undef BIG
	hs_mem_ahead_join(&pf);   /* before the arrays it makes go */
	if (rc < 0 && !err_set)
		hs_error_set(err, rc, HS_NO_OFFSET, "out of memory computing the dominators of %lu objects",
			     (unsigned long)n);
	hs_mem_free(mem, pre);
	hs_mem_free(mem, parent);
	hs_mem_free(mem, label);
	free(multi);
	free(mrank);
	hs_mem_free(mem, poff);
	hs_mem_free(mem, psrc);
	free(st.a);
	free(cur.a);
	free(es.ob);
	free(es.tb);
	hs_mem_file_close(&ofile);
	return rc;
}
#undef EACH_EDGE

int hs_dominators_mem(uint32_t n, const uint32_t *off, const uint32_t *tgt,
		      uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
		      uint32_t root, uint32_t *idom, uint32_t *order, uint32_t *nreach,
		      int keep_unreachable, uint32_t *nrooted, uint64_t *temp_peak, hs_mem *mem,
		      void (*progress)(void *ctx, uint64_t done, uint64_t total), void *progress_ctx,
		      hs_error *err)
{
	return dom_core(n, off, tgt, NULL, extra, extra_ctx, root, idom, order, nreach, keep_unreachable,
			nrooted, temp_peak, mem, progress, progress_ctx, err);
}

int hs_dominators_park(uint32_t n, struct hs_dom_refs *r,
		       uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
		       uint32_t root, uint32_t *idom, uint32_t *order, uint32_t *nreach,
		       int keep_unreachable, uint32_t *nrooted, uint64_t *temp_peak, hs_mem *mem,
		       void (*progress)(void *ctx, uint64_t done, uint64_t total), void *progress_ctx,
		       hs_error *err)
{
	r->parked = 0;
	r->file.fd = -1;
	r->file.bytes = 0;
	return dom_core(n, r->off, r->tgt, mem ? r : NULL, extra, extra_ctx, root, idom, order, nreach,
			keep_unreachable, nrooted, temp_peak, mem, progress, progress_ctx, err);
}
