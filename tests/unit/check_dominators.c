/*
 * check_dominators.c - hs_dominators() (src/graph/dominators.c) against
 * a brute-force reference.
 *
 * The reference knows nothing of semidominators: d dominates v iff v is
 * reachable from the root but no longer is once d is deleted, and idom(v)
 * is the strict dominator of v that has the most dominators itself (strict
 * dominators form a chain, so that one is dominated by all the others).
 * With at most 64 nodes every set is one uint64_t and a breadth-first
 * search is a few mask operations, so thousands of graphs cost little.
 *
 * Random graphs come from a fixed-seed xorshift generator: every run sees
 * the same graphs, and a failure prints the graph that failed.
 *
 * The "limits" cases run chains millions of nodes deep with the default
 * stack; HS_TEST_SCALE (a factor, default 1) shrinks them for valgrind,
 * e.g. HS_TEST_SCALE=0.04 turns the 5,000,000-node cases into 200,000;
 * "small" (the sanitizer build of scripts/test.sh) is 0.2.
 *
 * The "adversarial" cases are shapes that made the dominator-tree walk
 * quadratic (300,000 nodes each, under a 20 s timeout: CK_TIMEOUT_MULTIPLIER
 * for slow builds; CK_FORK=no runs without timeouts), the same shapes at
 * small sizes against the reference, and graphs of hundreds of nodes with
 * deep dominator trees against a second, O(n)-memory form of it.
 */
#include <check.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/error.h"
#include "heapscan/graph.h"
#include "graph/graph_int.h"
#include "mem.h"
#include "unit.h"

#define NONE UINT32_MAX
#define MAXN 64                 /* the reference works on 64-bit sets */
#define MAXE (MAXN * MAXN * 4)  /* dense graphs with duplicates */

/* ------------------------------------------------------------------ */
/* helpers                                                            */

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s ? s : 0x9e3779b97f4a7c15ull;
}

/* xorshift64* */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd(uint32_t bound)
{
	return bound ? (uint32_t)((rng() >> 11) % bound) : 0;
}

static double scale(void)
{
	const char *s = getenv("HS_TEST_SCALE");
	double f = !s || !*s ? 1.0 : strcmp(s, "small") == 0 ? 0.2 : strtod(s, NULL);
	return f > 0 ? f : 1.0;
}

static uint32_t scaled(uint32_t full)
{
	double v = full * scale();
	if (v < 16)
		v = 16;
	if (v > 50000000.0)
		v = 50000000.0;
	return (uint32_t)v;
}

static uint64_t bit(uint32_t v)
{
	return 1ull << v;
}

static uint64_t all_nodes(uint32_t n)
{
	return n >= 64 ? ~0ull : bit(n) - 1;
}

static int popcount(uint64_t x)
{
	return __builtin_popcountll(x);
}

static int lowest(uint64_t x)
{
	return __builtin_ctzll(x);
}

/* A graph as an edge list (kept in the order given) and in CSR form. */
struct graph {
	uint32_t n, m, root;
	uint32_t src[MAXE], dst[MAXE];
	uint32_t off[MAXN + 1], tgt[MAXE];
	uint64_t adj[MAXN];     /* successor sets */
};

static void add_edge(struct graph *g, uint32_t a, uint32_t b)
{
	if (g->m < MAXE) {
		g->src[g->m] = a;
		g->dst[g->m] = b;
		g->m++;
	}
}

/* CSR with each node's edges in edge-list order */
static void build_csr(struct graph *g)
{
	uint32_t i, pos[MAXN + 1];

	memset(g->off, 0, sizeof(g->off));
	memset(g->adj, 0, sizeof(g->adj));
	for (i = 0; i < g->m; i++) {
		g->off[g->src[i] + 1]++;
		g->adj[g->src[i]] |= bit(g->dst[i]);
	}
	for (i = 0; i < g->n; i++)
		g->off[i + 1] += g->off[i];
	memcpy(pos, g->off, sizeof(pos));
	for (i = 0; i < g->m; i++)
		g->tgt[pos[g->src[i]]++] = g->dst[i];
}

static void print_graph(const struct graph *g, const char *what, int keep)
{
	uint32_t v, e;

	fprintf(stderr, "%s: n=%u root=%u keep_unreachable=%d m=%u\n", what, g->n, g->root, keep, g->m);
	for (v = 0; v < g->n; v++) {
		if (g->off[v] == g->off[v + 1])
			continue;
		fprintf(stderr, "  %u ->", v);
		for (e = g->off[v]; e < g->off[v + 1]; e++)
			fprintf(stderr, " %u", g->tgt[e]);
		fprintf(stderr, "\n");
	}
}

/* Nodes reachable from src through nodes of allowed only. */
static uint64_t reach_from(const uint64_t *adj, uint32_t src, uint64_t allowed)
{
	uint64_t seen, frontier;

	if (!(allowed & bit(src)))
		return 0;
	seen = frontier = bit(src);
	while (frontier) {
		uint64_t next = 0, f = frontier;
		while (f) {
			next |= adj[lowest(f)];
			f &= f - 1;
		}
		frontier = next & allowed & ~seen;
		seen |= frontier;
	}
	return seen;
}

/*
 * The reference: idom[] from deletion reachability; returns the set of
 * nodes reachable from the root.  Also checks itself: the dominators of
 * idom(v) must be exactly the strict dominators of v.
 */
static uint64_t brute_idom(uint32_t n, const uint64_t *adj, uint32_t root, uint32_t *idom)
{
	uint64_t all = all_nodes(n), r = reach_from(adj, root, all), dom[MAXN], rest;
	uint32_t v;

	for (v = 0; v < n; v++)
		dom[v] = (r & bit(v)) ? bit(root) | bit(v) : 0;
	for (rest = r & ~bit(root); rest; rest &= rest - 1) {
		uint32_t d = (uint32_t)lowest(rest);
		uint64_t lost = r & ~reach_from(adj, root, all & ~bit(d)) & ~bit(d);
		for (; lost; lost &= lost - 1)
			dom[lowest(lost)] |= bit(d);
	}
	for (v = 0; v < n; v++) {
		uint64_t strict = dom[v] & ~bit(v), s;
		int best = -1, bestc = -1;
		if (!(r & bit(v))) {
			idom[v] = NONE;
			continue;
		}
		if (v == root) {
			idom[v] = root;
			continue;
		}
		for (s = strict; s; s &= s - 1) {
			int d = lowest(s);
			if (popcount(dom[d]) > bestc) {
				bestc = popcount(dom[d]);
				best = d;
			}
		}
		ck_assert_msg(best >= 0 && dom[best] == strict,
			      "reference: strict dominators of %u do not form a chain", v);
		idom[v] = (uint32_t)best;
	}
	return r;
}

/*
 * Is order[0..cnt) a depth-first preorder of the graph adj from root?
 * Each next node must be a successor of a node still on the DFS stack,
 * and a node may leave the stack only when all its successors are visited.
 * Returns NULL or a description of the problem.
 */
static const char *dfs_order_problem(uint32_t n, const uint64_t *adj, uint32_t root,
				     const uint32_t *order, uint32_t cnt, uint32_t *at)
{
	uint32_t stack[MAXN], sp = 0, k;
	uint64_t visited = 0;

	*at = 0;
	if (cnt == 0 || order[0] != root)
		return "order[0] is not the root";
	stack[sp++] = root;
	visited = bit(root);
	for (k = 1; k < cnt; k++) {
		uint32_t v = order[k];
		*at = k;
		if (v >= n)
			return "node out of range";
		if (visited & bit(v))
			return "node listed twice";
		while (sp > 0 && !(adj[stack[sp - 1]] & bit(v))) {
			if (adj[stack[sp - 1]] & ~visited)
				return "not a DFS preorder (left a node with unvisited successors)";
			sp--;
		}
		if (sp == 0)
			return "not a DFS preorder (node is no successor of the DFS stack)";
		stack[sp++] = v;
		visited |= bit(v);
	}
	*at = cnt;
	while (sp > 0) {
		if (adj[stack[--sp]] & ~visited)
			return "DFS preorder stops before visiting every reachable node";
	}
	return NULL;
}

static void fill(uint32_t *a, size_t n, uint32_t val)
{
	size_t i;
	for (i = 0; i < n; i++)
		a[i] = val;
}

/*
 * hs_dominators_park(), as the graph builder calls it: the edges copied
 * into arrays of an hs_mem, which it may move to a file.  tight: a
 * budget just too small for parent[] and label[] beside the edges, so
 * that a pass after the DFS learns what the DFS learns otherwise, from
 * the edges moved to a file, and the temporaries are files too.
 * threads 2: a second thread makes the temporaries' pages (arrays of
 * 4 MB and more).  Fills idom, order and *nreach; 0 or the error.
 */
static int park_run(uint32_t n, const uint32_t *off, const uint32_t *tgt, uint32_t root, int keep, int tight,
		    int threads, uint32_t *idom, uint32_t *order, uint32_t *nreach, hs_error *err)
{
	hs_mem mem;
	struct hs_dom_refs r;
	uint32_t nrooted = 0;
	uint64_t peak = 0, m = off[n];
	int rc;

	ck_assert_int_eq(hs_mem_init(&mem, 0, NULL), 0);
	memset(&r, 0, sizeof(r));
	r.off = hs_mem_alloc(&mem, sizeof(uint32_t) * ((size_t)n + 1), 0, err);
	r.tgt = hs_mem_alloc(&mem, sizeof(uint32_t) * (m ? (size_t)m : 1), 0, err);
	ck_assert(r.off && r.tgt);
	memcpy(r.off, off, sizeof(uint32_t) * ((size_t)n + 1));
	memcpy(r.tgt, tgt, sizeof(uint32_t) * (size_t)m);
	r.nedges = m;
	r.threads = threads;
	if (tight)   /* dominators.c's test for the DFS to learn, missed by one byte */
		mem.budget = mem.used + ((uint64_t)n + 1) * 8 + n / 8 - 1;
	rc = hs_dominators_park(n, &r, NULL, NULL, root, idom, order, nreach, keep, &nrooted, &peak, &mem,
				NULL, NULL, err);
	if (rc == 0 && tight && !r.parked)
		rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "test: the tight budget did not move the edges");
	if (r.parked)
		hs_mem_file_close(&r.file);
	hs_mem_release(&mem);   /* the edges, if not moved, and the spares */
	return rc;
}

/*
 * Run hs_dominators on g (and hs_dominators_ex, which must agree).
 * Outputs are pre-filled with garbage so every entry must be written.
 */
static int run_small(const struct graph *g, int keep, uint32_t *idom, uint32_t *order, uint32_t *nreach,
		     char *msg, size_t msglen)
{
	uint32_t idom2[MAXN], order2[MAXN], nreach2 = 12345, off_copy[MAXN + 1], nrooted = 777, nplain;
	uint32_t *tgt_copy = malloc(sizeof(uint32_t) * (g->m ? g->m : 1));
	uint64_t peak = 0;
	hs_error err;
	int rc, rc2, tight;

	ck_assert_ptr_nonnull(tgt_copy);
	memcpy(off_copy, g->off, sizeof(uint32_t) * (g->n + 1));
	memcpy(tgt_copy, g->tgt, sizeof(uint32_t) * g->m);
	hs_error_clear(&err);
	fill(idom, MAXN, 0xa5a5a5a5u);
	fill(order, MAXN, 0xa5a5a5a5u);
	*nreach = 54321;
	rc = hs_dominators(g->n, g->off, g->tgt, g->root, idom, order, nreach, keep, &err);
	fill(idom2, MAXN, 0x5a5a5a5au);
	fill(order2, MAXN, 0x5a5a5a5au);
	rc2 = hs_dominators_ex(g->n, g->off, g->tgt, g->root, idom2, order2, &nreach2, keep, &nrooted, &peak, &err);
	msg[0] = '\0';
	if (rc != 0 || rc2 != 0)
		snprintf(msg, msglen, "returned %d / %d (%.200s)", rc, rc2, err.msg);
	else if (memcmp(off_copy, g->off, sizeof(uint32_t) * (g->n + 1)) ||
		 memcmp(tgt_copy, g->tgt, sizeof(uint32_t) * g->m))
		snprintf(msg, msglen, "the input graph was modified");
	else if (nreach2 != *nreach || memcmp(idom, idom2, sizeof(uint32_t) * g->n) ||
		 memcmp(order, order2, sizeof(uint32_t) * *nreach))
		snprintf(msg, msglen, "hs_dominators and hs_dominators_ex disagree");
	else if (peak == 0)
		snprintf(msg, msglen, "hs_dominators_ex reported no temporary memory");
	else if (!keep && nrooted != *nreach)
		snprintf(msg, msglen, "nrooted %u, nreach %u without keep_unreachable", nrooted, *nreach);
	else if (keep && (hs_dominators(g->n, g->off, g->tgt, g->root, idom2, order2, &nplain, 0, &err) != 0 ||
			  nrooted != nplain || memcmp(order2, order, sizeof(uint32_t) * nplain)))
		snprintf(msg, msglen, "with keep_unreachable, nrooted %u is not the %u the root reaches", nrooted,
			 nplain);
	/* as the graph builder runs it: the DFS learning the edges, and
	 * (one graph in four: each makes temporary files) a pass after it
	 * learning them from the edges in a file */
	for (tight = 0; !msg[0] && tight < 2; tight++) {
		static unsigned calls;
		if (tight && calls++ % 4)
			break;
		fill(idom2, MAXN, 0x5a5a5a5au);
		fill(order2, MAXN, 0x5a5a5a5au);
		nreach2 = 12345;
		if ((rc2 = park_run(g->n, g->off, g->tgt, g->root, keep, tight, 1, idom2, order2, &nreach2, &err)) != 0)
			snprintf(msg, msglen, "hs_dominators_park%s returned %d (%.200s)", tight ? " (tight budget)" : "",
				 rc2, err.msg);
		else if (nreach2 != *nreach || memcmp(idom, idom2, sizeof(uint32_t) * g->n) ||
			 memcmp(order, order2, sizeof(uint32_t) * *nreach))
			snprintf(msg, msglen, "hs_dominators and hs_dominators_park%s disagree",
				 tight ? " (tight budget)" : "");
	}
	free(tgt_copy);
	return msg[0] ? -1 : 0;
}

/*
 * The graph the implementation is meant to see with keep_unreachable,
 * Eclipse MAT's pseudo-roots: a DFS from the root; then each node left
 * that no other node left refers to, in increasing index order; then, of
 * what is still left, the lowest node of each strongly connected
 * component that nothing else still left refers to, in increasing index
 * order.  Each start gets an edge from the root and its own DFS.  By
 * brute force: components from reachability both ways.  Fills aug (a copy
 * of adj with the extra root edges), starts[] and the node set of each
 * start.
 */
static uint32_t augment(const struct graph *g, uint64_t *aug, uint32_t *starts, uint64_t *sets,
			uint64_t *root_set)
{
	uint64_t all = all_nodes(g->n), visited, left, refd = 0, pick = 0;
	uint32_t v, u, k = 0;

	memcpy(aug, g->adj, sizeof(uint64_t) * g->n);
	visited = *root_set = reach_from(g->adj, g->root, all);
	left = all & ~visited;
	for (v = 0; v < g->n; v++)
		if (left & bit(v))
			refd |= g->adj[v] & ~bit(v) & left;
	for (v = 0; v < g->n; v++)
		if ((left & bit(v)) && !(refd & bit(v)))
			pick |= bit(v);
	for (int phase = 0; phase < 2; phase++) {
		if (phase == 1) {
			/* the source components of what is left */
			left = all & ~visited;
			pick = 0;
			for (v = 0; v < g->n; v++) {
				uint64_t fwd, scc = 0, into = 0;
				if (!(left & bit(v)))
					continue;
				fwd = reach_from(g->adj, v, left);
				for (u = 0; u < g->n; u++)
					if ((fwd & bit(u)) && (reach_from(g->adj, u, left) & bit(v)))
						scc |= bit(u);
				for (u = 0; u < g->n; u++)
					if ((left & ~scc & bit(u)) && (g->adj[u] & scc))
						into = 1;
				if (!into && lowest(scc) == (int)v)
					pick |= bit(v);
			}
		}
		for (v = 0; v < g->n; v++) {
			if (!(pick & bit(v)) || (visited & bit(v)))
				continue;
			starts[k] = v;
			sets[k] = reach_from(g->adj, v, all & ~visited);
			visited |= sets[k];
			aug[g->root] |= bit(v);
			k++;
		}
	}
	return k;
}

/* Compare one run on g against the reference; NULL if all is well. */
static const char *check_graph(const struct graph *g, int keep, char *msg, size_t msglen)
{
	uint32_t idom[MAXN], order[MAXN], ref[MAXN], nreach, v, at, starts[MAXN], nstarts = 0, k, pos;
	uint64_t aug[MAXN], sets[MAXN], r, rootset = 0, seen;
	const uint64_t *adj = g->adj;
	const char *why;

	if (run_small(g, keep, idom, order, &nreach, msg, msglen) < 0)
		return msg;
	if (keep) {
		nstarts = augment(g, aug, starts, sets, &rootset);
		adj = aug;
	}
	r = brute_idom(g->n, adj, g->root, ref);
	if (keep && r != all_nodes(g->n)) {
		snprintf(msg, msglen, "test bug: augmented graph does not reach every node");
		return msg;
	}
	for (v = 0; v < g->n; v++) {
		if (idom[v] != ref[v]) {
			snprintf(msg, msglen, "idom[%u] = %d, expected %d", v, (int)idom[v], (int)ref[v]);
			return msg;
		}
	}
	if (nreach != (uint32_t)popcount(r)) {
		snprintf(msg, msglen, "nreach = %u, expected %d", nreach, popcount(r));
		return msg;
	}
	why = dfs_order_problem(g->n, adj, g->root, order, nreach, &at);
	if (why) {
		snprintf(msg, msglen, "order[]: %s at position %u", why, at);
		return msg;
	}
	seen = 0;
	for (k = 0; k < nreach; k++)
		seen |= bit(order[k]);
	if (seen != r) {
		snprintf(msg, msglen, "order[] does not hold exactly the reachable nodes");
		return msg;
	}
	if (keep) {
		/* the root's own DFS first, then each start with its nodes */
		seen = 0;
		pos = (uint32_t)popcount(rootset);
		for (k = 0; k < pos; k++)
			seen |= bit(order[k]);
		if (seen != rootset) {
			snprintf(msg, msglen, "order[] does not start with the nodes reachable from the root");
			return msg;
		}
		for (k = 0; k < nstarts; k++) {
			uint32_t j, cnt = (uint32_t)popcount(sets[k]);
			if (order[pos] != starts[k]) {
				snprintf(msg, msglen, "extra DFS #%u starts at %u, expected %u", k, order[pos],
					 starts[k]);
				return msg;
			}
			seen = 0;
			for (j = pos; j < pos + cnt; j++)
				seen |= bit(order[j]);
			if (seen != sets[k]) {
				snprintf(msg, msglen, "extra DFS #%u from %u visits the wrong nodes", k, starts[k]);
				return msg;
			}
			pos += cnt;
		}
	}
	return NULL;
}

static void expect_ok(const struct graph *g, int keep, const char *what)
{
	char msg[256];
	const char *why = check_graph(g, keep, msg, sizeof(msg));
	if (why) {
		print_graph(g, what, keep);
		ck_abort_msg("%s: %s", what, why);
	}
}

/* ------------------------------------------------------------------ */
/* random graphs                                                      */

enum family {
	F_UNIFORM,      /* m = n * density, uniform endpoints */
	F_CHAIN,        /* a deep path plus a few extra edges */
	F_CYCLES,       /* one or more cycles with chords */
	F_DIAMONDS,     /* a ladder of diamonds, with some cross edges */
	F_TREE,         /* a random tree plus extra edges */
	F_DAG,          /* edges from lower to higher index only */
	F_DENSE,        /* near complete, with self loops and duplicates */
	F_SPLIT,        /* a reachable part and an unreachable part feeding it */
	F_BACKEDGES,    /* a path with many back edges (irreducible loops) */
	F_TINY,         /* 1..6 nodes, anything goes */
	NFAMILIES
};

static const char *const family_name[NFAMILIES] = {
	"uniform", "chain", "cycles", "diamonds", "tree", "dag", "dense", "split", "backedges", "tiny"
};

#define RANDOM_PER_FAMILY 5000
#define KEEP_PER_FAMILY 3000

static uint32_t pick_n(void)
{
	switch (rnd(4)) {
	case 0: return 1 + rnd(8);
	case 1: return 1 + rnd(20);
	default: return 1 + rnd(60);
	}
}

static uint32_t pick_density_edges(uint32_t n)
{
	static const uint32_t per100[] = { 0, 25, 50, 100, 120, 150, 200, 300, 500, 1000, 2000 };
	uint32_t m;
	if (rnd(8) == 0)
		m = n * n;      /* roughly complete */
	else
		m = n * per100[rnd(sizeof(per100) / sizeof(per100[0]))] / 100;
	return m < MAXE / 2 ? m : MAXE / 2;
}

static void gen(struct graph *g, enum family f)
{
	uint32_t n = f == F_TINY ? 1 + rnd(6) : pick_n(), i, j, k, m, perm[MAXN];

	memset(g, 0, offsetof(struct graph, src));
	g->n = n;
	g->m = 0;
	g->root = 0;
	switch (f) {
	case F_UNIFORM:
	case F_TINY:
		m = f == F_TINY ? rnd(3 * n + 1) : pick_density_edges(n);
		for (i = 0; i < m; i++)
			add_edge(g, rnd(n), rnd(n));
		break;
	case F_CHAIN:
		for (i = 0; i + 1 < n; i++)
			add_edge(g, i, i + 1);
		m = rnd(4);
		for (i = 0; i < m; i++)
			add_edge(g, rnd(n), rnd(n));
		break;
	case F_CYCLES: {
		uint32_t start = 0;
		while (start < n) {
			uint32_t len = 1 + rnd(n - start);
			for (i = 0; i < len; i++)
				add_edge(g, start + i, start + (i + 1) % len);
			if (start > 0)  /* enter the cycle from before, somewhere */
				add_edge(g, rnd(start), start + rnd(len));
			start += len;
		}
		m = rnd(n / 2 + 1);
		for (i = 0; i < m; i++)
			add_edge(g, rnd(n), rnd(n));
		break;
	}
	case F_DIAMONDS:
		/* top i, sides i+1, i+2, join i+3 = next top */
		for (i = 0; i + 3 < n; i += 3) {
			add_edge(g, i, i + 1);
			add_edge(g, i, i + 2);
			add_edge(g, i + 1, i + 3);
			add_edge(g, i + 2, i + 3);
			if (rnd(4) == 0)
				add_edge(g, i + 1, i + 2);
			if (rnd(6) == 0)
				add_edge(g, i + 3, i);  /* loop back */
		}
		for (; i + 1 < n; i++)
			add_edge(g, i, i + 1);
		m = rnd(3);
		for (i = 0; i < m; i++)
			add_edge(g, rnd(n), rnd(n));
		break;
	case F_TREE:
		for (i = 1; i < n; i++)
			add_edge(g, rnd(i), i);
		m = rnd(n + 1) / (1 + rnd(3));
		for (i = 0; i < m; i++)
			add_edge(g, rnd(n), rnd(n));
		break;
	case F_DAG: {
		uint32_t p = 1 + rnd(100);  /* percent */
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (rnd(100) < p)
					add_edge(g, i, j);
		break;
	}
	case F_DENSE:
		m = n * n + rnd(n * n + 1);
		for (i = 0; i < m; i++)
			add_edge(g, rnd(n), rnd(n));
		for (i = 0; i < n; i++)
			if (rnd(2))
				add_edge(g, i, i);
		break;
	case F_SPLIT: {
		/* nodes < cut are reachable candidates; >= cut only point back */
		uint32_t cut = 1 + rnd(n);
		m = pick_density_edges(cut);
		for (i = 0; i < m; i++)
			add_edge(g, rnd(cut), rnd(cut));
		for (i = 1; i < cut; i++)
			if (rnd(3))
				add_edge(g, rnd(i), i);
		if (cut < n) {
			m = pick_density_edges(n - cut) + rnd(n);
			for (i = 0; i < m; i++)
				add_edge(g, cut + rnd(n - cut), rnd(n));
		}
		break;
	}
	case F_BACKEDGES:
		for (i = 0; i + 1 < n; i++)
			add_edge(g, i, i + 1);
		m = rnd(2 * n + 1);
		for (i = 0; i < m; i++) {
			j = rnd(n);
			add_edge(g, j, rnd(j + 1));
		}
		m = rnd(n / 3 + 1);   /* some forward skips */
		for (i = 0; i < m; i++) {
			j = rnd(n);
			add_edge(g, j, j + rnd(n - j));
		}
		break;
	default:
		ck_abort_msg("bad family");
	}

	/* self loops and duplicate edges anywhere */
	if (rnd(3) == 0)
		for (i = 0; i < n; i++)
			if (rnd(4) == 0)
				add_edge(g, i, i);
	if (rnd(3) == 0 && g->m > 0) {
		m = 1 + rnd(g->m);
		for (i = 0; i < m; i++) {
			k = rnd(g->m);
			add_edge(g, g->src[k], g->dst[k]);
		}
	}
	/* relabel the nodes (the root moves too) */
	for (i = 0; i < n; i++)
		perm[i] = i;
	if (rnd(2)) {
		for (i = n; i-- > 1;) {
			j = rnd(i + 1);
			k = perm[i];
			perm[i] = perm[j];
			perm[j] = k;
		}
		for (i = 0; i < g->m; i++) {
			g->src[i] = perm[g->src[i]];
			g->dst[i] = perm[g->dst[i]];
		}
	}
	g->root = rnd(4) == 0 ? rnd(n) : perm[0];
	/* edge order: as generated or shuffled */
	if (rnd(3)) {
		for (i = g->m; i-- > 1;) {
			j = rnd(i + 1);
			k = g->src[i], g->src[i] = g->src[j], g->src[j] = k;
			k = g->dst[i], g->dst[i] = g->dst[j], g->dst[j] = k;
		}
	}
	build_csr(g);
}

static struct graph G;  /* 200 KiB: keep it off the stack */

static void random_family(int f, int keep, uint32_t count)
{
	uint32_t i;
	char what[128];

	rng_seed(0x243f6a8885a308d3ull * (uint64_t)(f + 1) + (keep ? 0x13198a2e03707344ull : 0));
	for (i = 0; i < count; i++) {
		gen(&G, (enum family)f);
		snprintf(what, sizeof(what), "family %s, graph #%u", family_name[f], i);
		expect_ok(&G, keep, what);
	}
}

START_TEST(test_dominators_random)
{
	random_family(_i, 0, RANDOM_PER_FAMILY);
}
END_TEST

START_TEST(test_dominators_keep_unreachable_random)
{
	random_family(_i, 1, KEEP_PER_FAMILY);
}
END_TEST

/* Exhaustive: every graph on 3 nodes (9 possible edges, 512 graphs),
 * every root, with and without keep_unreachable. */
START_TEST(test_dominators_all_3_node_graphs)
{
	uint32_t mask, a, b, root;
	char what[64];

	for (mask = 0; mask < 512; mask++)
		for (root = 0; root < 3; root++) {
			memset(&G, 0, offsetof(struct graph, src));
			G.n = 3;
			G.root = root;
			for (a = 0; a < 3; a++)
				for (b = 0; b < 3; b++)
					if (mask >> (a * 3 + b) & 1)
						add_edge(&G, a, b);
			build_csr(&G);
			snprintf(what, sizeof(what), "3-node graph mask %u", mask);
			expect_ok(&G, 0, what);
			expect_ok(&G, 1, what);
		}
}
END_TEST

/* ------------------------------------------------------------------ */
/* hand-made graphs with known answers                                */

static void make(struct graph *g, uint32_t n, uint32_t root, const uint32_t (*edges)[2], uint32_t m)
{
	uint32_t i;
	memset(g, 0, offsetof(struct graph, src));
	g->n = n;
	g->root = root;
	for (i = 0; i < m; i++)
		add_edge(g, edges[i][0], edges[i][1]);
	build_csr(g);
}

static void expect_idoms(const struct graph *g, int keep, const uint32_t *want, uint32_t want_nreach,
			 const char *what)
{
	uint32_t idom[MAXN], order[MAXN], nreach, v;
	char msg[256];

	if (run_small(g, keep, idom, order, &nreach, msg, sizeof(msg)) < 0)
		ck_abort_msg("%s: %s", what, msg);
	for (v = 0; v < g->n; v++)
		ck_assert_msg(idom[v] == want[v], "%s: idom[%u] = %d, expected %d", what, v, (int)idom[v],
			      (int)want[v]);
	ck_assert_msg(nreach == want_nreach, "%s: nreach = %u, expected %u", what, nreach, want_nreach);
	expect_ok(g, keep, what);   /* the reference and the order checks too */
}

static void expect_order(const struct graph *g, int keep, const uint32_t *want, uint32_t cnt)
{
	uint32_t idom[MAXN], order[MAXN], nreach, i;
	char msg[256];

	if (run_small(g, keep, idom, order, &nreach, msg, sizeof(msg)) < 0)
		ck_abort_msg("%s", msg);
	ck_assert_uint_eq(nreach, cnt);
	for (i = 0; i < cnt; i++)
		ck_assert_msg(order[i] == want[i], "order[%u] = %u, expected %u", i, order[i], want[i]);
}

START_TEST(test_dominators_diamond)
{
	static const uint32_t e[][2] = { { 0, 1 }, { 0, 2 }, { 1, 3 }, { 2, 3 } };
	static const uint32_t want[] = { 0, 0, 0, 0 };
	static const uint32_t pre[] = { 0, 1, 3, 2 };
	make(&G, 4, 0, e, 4);
	expect_idoms(&G, 0, want, 4, "diamond");
	expect_order(&G, 0, pre, 4);
}
END_TEST

START_TEST(test_dominators_diamond_chain)
{
	/* two diamonds in a row, then a tail: 0<1,2>3<4,5>6-7 */
	static const uint32_t e[][2] = { { 0, 1 }, { 0, 2 }, { 1, 3 }, { 2, 3 }, { 3, 4 },
					 { 3, 5 }, { 4, 6 }, { 5, 6 }, { 6, 7 } };
	static const uint32_t want[] = { 0, 0, 0, 0, 3, 3, 3, 6 };
	make(&G, 8, 0, e, 9);
	expect_idoms(&G, 0, want, 8, "diamond chain");
}
END_TEST

START_TEST(test_dominators_chain)
{
	static const uint32_t e[][2] = { { 0, 1 }, { 1, 2 }, { 2, 3 }, { 3, 4 } };
	static const uint32_t want[] = { 0, 0, 1, 2, 3 };
	static const uint32_t pre[] = { 0, 1, 2, 3, 4 };
	make(&G, 5, 0, e, 4);
	expect_idoms(&G, 0, want, 5, "chain");
	expect_order(&G, 0, pre, 5);
}
END_TEST

START_TEST(test_dominators_cycle_to_root)
{
	/* 0->1->2->3->0: the edge back to the root changes nothing */
	static const uint32_t e[][2] = { { 0, 1 }, { 1, 2 }, { 2, 3 }, { 3, 0 } };
	static const uint32_t want[] = { 0, 0, 1, 2 };
	make(&G, 4, 0, e, 4);
	expect_idoms(&G, 0, want, 4, "cycle to the root");
	/* the same cycle rooted at 2 */
	{
		static const uint32_t want2[] = { 3, 0, 2, 2 };
		make(&G, 4, 2, e, 4);
		expect_idoms(&G, 0, want2, 4, "cycle rooted at 2");
	}
}
END_TEST

START_TEST(test_dominators_irreducible)
{
	/* 0->1, 0->2, 1<->2: neither of 1, 2 dominates the other; 3 after both */
	static const uint32_t e[][2] = { { 0, 1 }, { 0, 2 }, { 1, 2 }, { 2, 1 }, { 1, 3 }, { 2, 3 } };
	static const uint32_t want[] = { 0, 0, 0, 0 };
	make(&G, 4, 0, e, 6);
	expect_idoms(&G, 0, want, 4, "irreducible loop");
}
END_TEST

/* Lengauer & Tarjan 1979, figure 1: R, A..L as 0..12. */
enum { R, A, B, C, D, E, F, Gn, H, I, J, K, L };

START_TEST(test_dominators_lengauer_tarjan)
{
	static const uint32_t e[][2] = {
		{ R, A }, { R, B }, { R, C }, { A, D }, { B, A }, { B, D }, { B, E },
		{ C, F }, { C, Gn }, { D, L }, { E, H }, { F, I }, { Gn, I }, { Gn, J },
		{ H, E }, { H, K }, { I, K }, { J, I }, { K, I }, { K, R }, { L, H }
	};
	static const uint32_t want[13] = {
		[R] = R, [A] = R, [B] = R, [C] = R, [D] = R, [E] = R, [F] = C,
		[Gn] = C, [H] = R, [I] = R, [J] = Gn, [K] = R, [L] = D
	};
	uint32_t perm[13], i, j, t, trial;
	uint32_t pe[21][2], pw[13];

	make(&G, 13, R, e, 21);
	expect_idoms(&G, 0, want, 13, "Lengauer-Tarjan figure 1");
	expect_idoms(&G, 1, want, 13, "Lengauer-Tarjan figure 1, keep_unreachable");
	/* the same graph under other numberings and edge orders */
	rng_seed(1979);
	for (trial = 0; trial < 200; trial++) {
		for (i = 0; i < 13; i++)
			perm[i] = i;
		for (i = 13; i-- > 1;) {
			j = rnd(i + 1);
			t = perm[i], perm[i] = perm[j], perm[j] = t;
		}
		for (i = 0; i < 21; i++) {
			pe[i][0] = perm[e[i][0]];
			pe[i][1] = perm[e[i][1]];
		}
		for (i = 21; i-- > 1;) {
			j = rnd(i + 1);
			t = pe[i][0], pe[i][0] = pe[j][0], pe[j][0] = t;
			t = pe[i][1], pe[i][1] = pe[j][1], pe[j][1] = t;
		}
		for (i = 0; i < 13; i++)
			pw[perm[i]] = perm[want[i]];
		make(&G, 13, perm[R], (const uint32_t(*)[2])pe, 21);
		expect_idoms(&G, 0, pw, 13, "Lengauer-Tarjan figure 1, renumbered");
	}
}
END_TEST

START_TEST(test_dominators_unreachable)
{
	/* root 2 -> 3; 0 <-> 1 and 4 -> 0 unreachable */
	static const uint32_t e[][2] = { { 2, 3 }, { 0, 1 }, { 1, 0 }, { 4, 0 }, { 3, 2 } };
	static const uint32_t want[] = { NONE, NONE, 2, 2, NONE };
	static const uint32_t pre[] = { 2, 3 };
	make(&G, 5, 2, e, 5);
	expect_idoms(&G, 0, want, 2, "unreachable part");
	expect_order(&G, 0, pre, 2);
}
END_TEST

START_TEST(test_dominators_keep_unreachable)
{
	/* as above: 4 is the one unreached node no other unreached node
	 * refers to: the pseudo-root, whose DFS visits 0 and 1; 4 dominates
	 * 0 (not the root, as when the lowest unreached node, 0, came first) */
	static const uint32_t e[][2] = { { 2, 3 }, { 0, 1 }, { 1, 0 }, { 4, 0 }, { 3, 2 } };
	static const uint32_t want[] = { 4, 0, 2, 2, 2 };
	static const uint32_t pre[] = { 2, 3, 4, 0, 1 };
	make(&G, 5, 2, e, 5);
	expect_idoms(&G, 1, want, 5, "keep_unreachable");
	expect_order(&G, 1, pre, 5);
}
END_TEST

START_TEST(test_dominators_keep_unreachable_order)
{
	/* 1 -> 2, 3 -> 1, 5 -> 4 -> 2; root 0 alone.  Pseudo-roots: 3 (with
	 * 1, 2) and 5 (with 4), which no unreached node refers to.  2 is
	 * reached from 1 and from 4: idom root. */
	static const uint32_t e[][2] = { { 1, 2 }, { 3, 1 }, { 5, 4 }, { 4, 2 } };
	static const uint32_t want[] = { 0, 3, 0, 0, 5, 0 };
	static const uint32_t pre[] = { 0, 3, 1, 2, 5, 4 };
	make(&G, 6, 0, e, 4);
	expect_idoms(&G, 1, want, 6, "keep_unreachable order");
	expect_order(&G, 1, pre, 6);
	/* without 4 -> 2, 1 dominates 2 */
	{
		static const uint32_t want2[] = { 0, 3, 1, 0, 5, 0 };
		make(&G, 6, 0, e, 3);
		expect_idoms(&G, 1, want2, 6, "keep_unreachable order 2");
	}
	/* a root in the middle of the numbering: root 3 -> 4; 0..2 and 5.
	 * Pseudo-roots 2 (with 1) and 5 (with 0); 1 is reached from 2 and 0 */
	{
		static const uint32_t e3[][2] = { { 3, 4 }, { 0, 1 }, { 2, 1 }, { 5, 3 }, { 5, 0 } };
		static const uint32_t want3[] = { 5, 3, 3, 3, 3, 3 };
		static const uint32_t pre3[] = { 3, 4, 2, 1, 5, 0 };
		make(&G, 6, 3, e3, 5);
		expect_idoms(&G, 1, want3, 6, "keep_unreachable, root 3");
		expect_order(&G, 1, pre3, 6);
	}
}
END_TEST

START_TEST(test_dominators_ex_matches)
{
	/* run_small checks hs_dominators_ex against hs_dominators; here
	 * also a NULL temp_peak */
	uint32_t idom[13], order[13], nreach = 0;
	hs_error err;
	static const uint32_t e[][2] = { { R, A }, { R, B }, { A, C }, { B, C } };

	make(&G, 4, 0, e, 4);
	hs_error_clear(&err);
	ck_assert_int_eq(hs_dominators_ex(G.n, G.off, G.tgt, 0, idom, order, &nreach, 0, NULL, NULL, &err), 0);
	ck_assert_uint_eq(nreach, 4);
	ck_assert_uint_eq(idom[C], R);
	ck_assert_int_eq(hs_dominators_ex(G.n, G.off, G.tgt, 0, idom, order, &nreach, 0, NULL, NULL, NULL), 0);
	ck_assert_uint_eq(idom[C], R);
}
END_TEST

/* ------------------------------------------------------------------ */
/* edge cases ("malformed" inputs that are still legal)               */

START_TEST(test_dominators_single_node)
{
	static const uint32_t want[] = { 0 };
	static const uint32_t loop[][2] = { { 0, 0 }, { 0, 0 }, { 0, 0 } };
	make(&G, 1, 0, NULL, 0);
	expect_idoms(&G, 0, want, 1, "single node");
	expect_idoms(&G, 1, want, 1, "single node, keep");
	make(&G, 1, 0, loop, 1);
	expect_idoms(&G, 0, want, 1, "single node with a self loop");
	make(&G, 1, 0, loop, 3);
	expect_idoms(&G, 0, want, 1, "single node with three self loops");
	expect_idoms(&G, 1, want, 1, "single node with three self loops, keep");
}
END_TEST

START_TEST(test_dominators_self_loops)
{
	/* every node loops on itself; 0->1->2, 0->2 */
	static const uint32_t e[][2] = { { 0, 0 }, { 1, 1 }, { 0, 1 }, { 2, 2 }, { 1, 2 }, { 0, 2 }, { 2, 2 } };
	static const uint32_t want[] = { 0, 0, 0 };
	make(&G, 3, 0, e, 7);
	expect_idoms(&G, 0, want, 3, "self loops");
	/* a self loop is a second predecessor of its node: 0->1->2, 2->2 */
	{
		static const uint32_t e2[][2] = { { 2, 2 }, { 0, 1 }, { 1, 2 } };
		static const uint32_t want2[] = { 0, 0, 1 };
		make(&G, 3, 0, e2, 3);
		expect_idoms(&G, 0, want2, 3, "self loop after a chain");
	}
}
END_TEST

START_TEST(test_dominators_duplicate_edges)
{
	/* 0=>1 twice, 1=>2 three times, 0->3, 3->2: duplicates make 2 look
	 * like it has four predecessors */
	static const uint32_t e[][2] = { { 0, 1 }, { 0, 1 }, { 1, 2 }, { 1, 2 }, { 1, 2 }, { 0, 3 }, { 3, 2 } };
	static const uint32_t want[] = { 0, 0, 0, 0 };
	static const uint32_t want2[] = { 0, 0, 1, NONE };
	make(&G, 4, 0, e, 7);
	expect_idoms(&G, 0, want, 4, "duplicate edges");
	make(&G, 4, 0, e, 5);
	expect_idoms(&G, 0, want2, 3, "only duplicate edges");
}
END_TEST

START_TEST(test_dominators_isolated_root)
{
	/* the root has no edges: nothing else is reachable */
	static const uint32_t e[][2] = { { 0, 1 }, { 1, 2 }, { 2, 0 } };
	static const uint32_t want[] = { NONE, NONE, NONE, 3 };
	static const uint32_t want_keep[] = { 3, 0, 1, 3 };
	make(&G, 4, 3, e, 3);
	expect_idoms(&G, 0, want, 1, "isolated root");
	expect_idoms(&G, 1, want_keep, 4, "isolated root, keep");
}
END_TEST

START_TEST(test_dominators_last_node_root)
{
	/* root is node n-1, edges to lower indices, plus edges into the root */
	static const uint32_t e[][2] = { { 5, 4 }, { 4, 3 }, { 3, 5 }, { 5, 2 }, { 2, 3 }, { 3, 1 }, { 1, 0 }, { 0, 5 } };
	static const uint32_t want[] = { 1, 3, 5, 5, 5, 5 };
	make(&G, 6, 5, e, 8);
	expect_idoms(&G, 0, want, 6, "root is the last node");
}
END_TEST

START_TEST(test_dominators_complete)
{
	/* complete graph with self loops, every root: idom = root for all */
	uint32_t n, a, b, root, want[MAXN];
	char what[64];
	for (n = 1; n <= MAXN; n += 7) {
		for (root = 0; root < n; root += 1 + n / 4) {
			memset(&G, 0, offsetof(struct graph, src));
			G.n = n;
			G.root = root;
			for (a = 0; a < n; a++)
				for (b = 0; b < n; b++)
					add_edge(&G, a, b);
			build_csr(&G);
			for (a = 0; a < n; a++)
				want[a] = root;
			snprintf(what, sizeof(what), "complete graph K%u, root %u", n, root);
			expect_idoms(&G, 0, want, n, what);
		}
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* limits: millions of nodes, default stack                           */

struct big {
	uint32_t n;
	uint32_t *off, *tgt, *idom, *order;
	uint64_t m;
};

static void big_alloc(struct big *b, uint32_t n, uint64_t m)
{
	b->n = n;
	b->m = m;
	b->off = malloc(sizeof(uint32_t) * ((size_t)n + 1));
	b->tgt = malloc(sizeof(uint32_t) * (m ? (size_t)m : 1));
	b->idom = malloc(sizeof(uint32_t) * (size_t)n);
	b->order = malloc(sizeof(uint32_t) * (size_t)n);
	ck_assert_msg(b->off && b->tgt && b->idom && b->order, "cannot allocate %u nodes", n);
}

static void big_free(struct big *b)
{
	free(b->off);
	free(b->tgt);
	free(b->idom);
	free(b->order);
}

static uint32_t big_run(struct big *b, uint32_t root, int keep)
{
	uint32_t nreach = 0;
	hs_error err;
	int rc;

	hs_error_clear(&err);
	memset(b->idom, 0xa5, sizeof(uint32_t) * b->n);
	rc = hs_dominators(b->n, b->off, b->tgt, root, b->idom, b->order, &nreach, keep, &err);
	ck_assert_msg(rc == 0, "hs_dominators returned %d: %s", rc, err.msg);
	if (b->n >= (1u << 20)) {
		/* as the graph builder runs it with two threads: the second
		 * makes the pages of the temporaries (4 MB and more) */
		uint32_t *idom = malloc(sizeof(uint32_t) * (size_t)b->n), *order = malloc(sizeof(uint32_t) * (size_t)b->n);
		uint32_t nr2 = 0;
		ck_assert(idom && order);
		memset(idom, 0x5a, sizeof(uint32_t) * b->n);
		rc = park_run(b->n, b->off, b->tgt, root, keep, 0, 2, idom, order, &nr2, &err);
		ck_assert_msg(rc == 0, "hs_dominators_park returned %d: %s", rc, err.msg);
		ck_assert_msg(nr2 == nreach && !memcmp(idom, b->idom, sizeof(uint32_t) * b->n) &&
			      !memcmp(order, b->order, sizeof(uint32_t) * nreach),
			      "hs_dominators and hs_dominators_park with two threads disagree");
		free(idom);
		free(order);
	}
	return nreach;
}

/* first v with idom[v] != want(v), or n */
#define FIRST_BAD(b, expr, bad) do { \
		uint32_t v_; \
		(bad) = (b)->n; \
		for (v_ = 0; v_ < (b)->n; v_++) { \
			uint32_t v = v_; \
			if ((b)->idom[v] != (uint32_t)(expr)) { \
				(bad) = v; \
				break; \
			} \
		} \
	} while (0)

START_TEST(test_dominators_deep_chain)
{
	struct big b;
	uint32_t n = scaled(5000000), i, bad, nreach;

	big_alloc(&b, n, n - 1);
	for (i = 0; i < n; i++)
		b.off[i] = i;
	b.off[n] = n - 1;
	for (i = 0; i + 1 < n; i++)
		b.tgt[i] = i + 1;
	nreach = big_run(&b, 0, 0);
	ck_assert_uint_eq(nreach, n);
	FIRST_BAD(&b, v == 0 ? 0 : v - 1, bad);
	ck_assert_msg(bad == n, "chain of %u: idom[%u] = %u", n, bad, b.idom[bad]);
	for (i = 0; i < n && b.order[i] == i; i++)
		;
	ck_assert_msg(i == n, "chain of %u: order[%u] = %u", n, i, i < n ? b.order[i] : 0);

	/* rooted in the middle with keep_unreachable: 0 starts the second
	 * DFS and runs into the root at n/2 */
	{
		uint32_t r = n / 2;
		nreach = big_run(&b, r, 1);
		ck_assert_uint_eq(nreach, n);
		FIRST_BAD(&b, v == 0 ? r : v == r ? r : v - 1, bad);
		ck_assert_msg(bad == n, "chain of %u rooted at %u, keep: idom[%u] = %u", n, r, bad,
			      b.idom[bad]);
		nreach = big_run(&b, r, 0);
		ck_assert_uint_eq(nreach, n - r);
		FIRST_BAD(&b, v < r ? NONE : v == r ? r : v - 1, bad);
		ck_assert_msg(bad == n, "chain of %u rooted at %u: idom[%u] = %u", n, r, bad, b.idom[bad]);
	}
	big_free(&b);
}
END_TEST

START_TEST(test_dominators_deep_chain_backwards)
{
	/* n-1 -> n-2 -> ... -> 0, every node also pointing back at the root:
	 * the root has n-1 predecessors */
	struct big b;
	uint32_t n = scaled(5000000), i, bad, nreach, root = n - 1;

	big_alloc(&b, n, 2ull * (n - 1));
	for (i = 0; i < n; i++) {
		b.off[i] = i == 0 ? 0 : 2 * i - 1;
	}
	/* node 0: -> root; node i>0, i<root: -> i-1, -> root; root: -> root-1 */
	b.off[n] = 2 * (n - 1);
	b.tgt[0] = root;
	for (i = 1; i < root; i++) {
		b.tgt[2 * i - 1] = i - 1;
		b.tgt[2 * i] = root;
	}
	b.tgt[2 * root - 1] = root - 1;
	nreach = big_run(&b, root, 0);
	ck_assert_uint_eq(nreach, n);
	FIRST_BAD(&b, v == root ? root : v + 1, bad);
	ck_assert_msg(bad == n, "backward chain of %u: idom[%u] = %u", n, bad, b.idom[bad]);
	big_free(&b);
}
END_TEST

START_TEST(test_dominators_broom)
{
	struct big b;
	uint32_t n = scaled(5000000), i, bad, nreach;

	big_alloc(&b, n, n - 1);
	b.off[0] = 0;
	for (i = 1; i <= n; i++)
		b.off[i] = n - 1;
	for (i = 0; i + 1 < n; i++)
		b.tgt[i] = i + 1;
	nreach = big_run(&b, 0, 0);
	ck_assert_uint_eq(nreach, n);
	FIRST_BAD(&b, 0, bad);
	ck_assert_msg(bad == n, "broom of %u: idom[%u] = %u", n, bad, b.idom[bad]);
	for (i = 0; i < n && b.order[i] == i; i++)
		;
	ck_assert_msg(i == n, "broom of %u: order[%u] = %u", n, i, i < n ? b.order[i] : 0);
	big_free(&b);
}
END_TEST

/*
 * One node t with P predecessors:
 *   0 hub:        0 -> h, h -> a_1..a_P, each a_j -> t           idom(t) = h
 *   1 chain, t first:  0 -> a_1, a_j -> t, a_j -> a_{j+1}        idom(t) = a_1
 *   2 chain, t last:   0 -> a_1, a_j -> a_{j+1}, a_j -> t        idom(t) = a_1
 *   3 hub, root also -> t (t's predecessors need not be looked at) idom(t) = 0
 * Numbering: 0 root; hub variants h = 1, a_j = 1 + j, t = P + 2;
 * chain variants a_j = j, t = P + 1.
 */
START_TEST(test_dominators_many_preds)
{
	struct big b;
	uint32_t P = scaled(1000000), n, i, t, bad, nreach, k;
	int hub = _i == 0 || _i == 3;

	n = hub ? P + 3 : P + 2;
	t = n - 1;
	big_alloc(&b, n, 3ull * P + 2);
	k = 0;
	if (hub) {
		b.off[0] = 0;
		b.tgt[k++] = 1;
		if (_i == 3)
			b.tgt[k++] = t;
		b.off[1] = k;
		for (i = 0; i < P; i++)
			b.tgt[k++] = 2 + i;
		for (i = 0; i < P; i++) {
			b.off[2 + i] = k;
			b.tgt[k++] = t;
		}
		b.off[t] = k;
		b.off[n] = k;
	} else {
		b.off[0] = 0;
		b.tgt[k++] = 1;
		for (i = 1; i <= P; i++) {
			b.off[i] = k;
			if (_i == 1)
				b.tgt[k++] = t;
			if (i < P)
				b.tgt[k++] = i + 1;
			if (_i == 2)
				b.tgt[k++] = t;
		}
		b.off[t] = k;
		b.off[n] = k;
	}
	nreach = big_run(&b, 0, 0);
	ck_assert_uint_eq(nreach, n);
	if (hub)
		FIRST_BAD(&b, v == 0 ? 0 : v == 1 ? 0 : v == t ? (_i == 3 ? 0 : 1) : 1, bad);
	else
		FIRST_BAD(&b, v == 0 ? 0 : v == t ? 1 : v - 1, bad);
	ck_assert_msg(bad == n, "variant %d, %u predecessors: idom[%u] = %u", _i, P, bad, b.idom[bad]);
	big_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* adversarial shapes: quadratic for a naive NCA walk or stressing     */
/* path compression; known answers at any size                        */

/*
 * SH_QUAD(k, m): 0 -> a1 -> ... -> ak, a1 and ak both -> b1..bm, the chain
 *   edge first.  The DFS runs down the chain, so every b hangs under ak
 *   with semidominator a1: a step-by-step NCA walk crosses the whole chain
 *   for each b (k * m steps).  idom(a1) = 0, idom(a(i+1)) = ai, idom(b) = a1.
 *   a_i = i, b_j = k + j; n = 1 + k + m.
 * SH_LADDER(k): 0 -> a1, 0 -> b1, ai -> a(i+1) first, ai -> bi,
 *   bi -> b(i+1).  The DFS runs down the a rail and takes the b rail
 *   backwards, each bi with semidominator 0 and DFS parent ai: i steps up
 *   for each.  idom(a(i+1)) = ai, idom(bi) = 0.  a_i = i, b_i = k + i;
 *   n = 1 + 2k.
 * SH_BACKCHAIN(k): 0 -> 1 -> ... -> k, and k -> every node 1..k-1 (in
 *   decreasing order, m = 1; increasing, m = 0): each node has a
 *   predecessor at the far end of the DFS path, so every semidominator
 *   evaluation compresses a long path.  idom(i) = i - 1; n = 1 + k.
 * Edges are emitted in increasing source order, each source's in order.
 */
enum shape { SH_QUAD, SH_LADDER, SH_BACKCHAIN, NSHAPES };

static const char *const shape_name[NSHAPES] = { "quadratic", "ladder", "back-chain" };

typedef void (*edge_fn)(void *ctx, uint32_t a, uint32_t b);

static uint32_t shape_n(enum shape s, uint32_t k, uint32_t m)
{
	return s == SH_QUAD ? 1 + k + m : s == SH_LADDER ? 1 + 2 * k : 1 + k;
}

static void shape_edges(enum shape s, uint32_t k, uint32_t m, edge_fn edge, void *ctx)
{
	uint32_t i, j;

	switch (s) {
	case SH_QUAD:
		edge(ctx, 0, 1);
		for (i = 1; i <= k; i++) {
			if (i < k)
				edge(ctx, i, i + 1);
			if (i == 1 || i == k)
				for (j = 1; j <= m; j++)
					edge(ctx, i, k + j);
		}
		break;
	case SH_LADDER:
		edge(ctx, 0, 1);
		edge(ctx, 0, k + 1);
		for (i = 1; i <= k; i++) {
			if (i < k)
				edge(ctx, i, i + 1);
			edge(ctx, i, k + i);
		}
		for (i = 1; i < k; i++)
			edge(ctx, k + i, k + i + 1);
		break;
	case SH_BACKCHAIN:
		for (i = 0; i < k; i++)
			edge(ctx, i, i + 1);
		for (j = 1; j < k; j++)
			edge(ctx, k, m ? k - j : j);
		break;
	default:
		ck_abort_msg("bad shape");
	}
}

static uint32_t shape_idom(enum shape s, uint32_t k, uint32_t v)
{
	switch (s) {
	case SH_QUAD:
		return v == 0 ? 0 : v <= k ? v - 1 : 1;
	case SH_LADDER:
		return v <= k && v > 0 ? v - 1 : 0;
	default:
		return v == 0 ? 0 : v - 1;
	}
}

static void small_edge(void *ctx, uint32_t a, uint32_t b)
{
	add_edge(ctx, a, b);
}

/* At small sizes against the reference, as built and relabeled with
 * shuffled edge orders (other DFS trees), with and without
 * keep_unreachable (the relabeled root may leave nodes unreachable). */
START_TEST(test_dominators_adversarial_small)
{
	enum shape s = (enum shape)_i;
	uint32_t k, m, i, j, t, v, n, perm[MAXN];
	char what[128];

	rng_seed(0x452821e638d01377ull + (uint64_t)_i);
	for (k = 1; k <= 40; k++) {
		for (m = 0; m <= (s == SH_QUAD ? 20u : 1u); m++) {
			n = shape_n(s, k, m);
			if (n > MAXN)
				continue;
			memset(&G, 0, offsetof(struct graph, src));
			G.n = n;
			shape_edges(s, k, m, small_edge, &G);
			build_csr(&G);
			snprintf(what, sizeof(what), "%s k=%u m=%u", shape_name[s], k, m);
			{
				uint32_t want[MAXN];
				for (v = 0; v < n; v++)
					want[v] = shape_idom(s, k, v);
				expect_idoms(&G, 0, want, n, what);
			}
			expect_ok(&G, 1, what);
			for (t = 0; t < 8; t++) {
				for (i = 0; i < n; i++)
					perm[i] = i;
				for (i = n; i-- > 1;) {
					j = rnd(i + 1);
					v = perm[i], perm[i] = perm[j], perm[j] = v;
				}
				for (i = 0; i < G.m; i++) {
					G.src[i] = perm[G.src[i]];
					G.dst[i] = perm[G.dst[i]];
				}
				if (t & 1) {
					for (i = G.m; i-- > 1;) {
						j = rnd(i + 1);
						v = G.src[i], G.src[i] = G.src[j], G.src[j] = v;
						v = G.dst[i], G.dst[i] = G.dst[j], G.dst[j] = v;
					}
				}
				G.root = t & 2 ? rnd(n) : perm[0];
				build_csr(&G);
				snprintf(what, sizeof(what), "%s k=%u m=%u, variant %u", shape_name[s], k, m, t);
				expect_ok(&G, 0, what);
				expect_ok(&G, 1, what);
			}
		}
	}
}
END_TEST

/* CSR in struct big from edges emitted in increasing source order */
struct big_fill {
	struct big *b;
	uint32_t src;   /* sources < src have their off[] set */
	uint64_t k;
};

static void big_edge(void *ctx, uint32_t a, uint32_t t)
{
	struct big_fill *f = ctx;
	if (a + 1 < f->src || f->k >= f->b->m)   /* no ck_assert per edge: slow */
		ck_abort_msg("test bug: edges out of order");
	while (f->src <= a)
		f->b->off[f->src++] = (uint32_t)f->k;
	f->b->tgt[f->k++] = t;
}

/*
 * The shapes big: 300,000 for the quadratic ones (the old step-by-step
 * walk took 11.7 s at 100,000, so about 100 s here), 1,000,000 for the
 * back-chain.  Now each takes well under a second; the tcase's 20 s
 * timeout (CK_TIMEOUT_MULTIPLIER for slow builds) fails the test if the
 * quadratic behaviour comes back.
 */
START_TEST(test_dominators_adversarial_big)
{
	/* loop: quadratic, ladder, back-chain both ways */
	enum shape s = _i == 0 ? SH_QUAD : _i == 1 ? SH_LADDER : SH_BACKCHAIN;
	uint32_t k = s == SH_BACKCHAIN ? scaled(1000000) : scaled(300000);
	uint32_t m = s == SH_QUAD ? k : s == SH_BACKCHAIN ? (uint32_t)(_i - 2) : 0;
	uint32_t n = shape_n(s, k, m), bad, nreach;
	uint64_t ne = s == SH_QUAD ? k + 2ull * m : s == SH_LADDER ? 3ull * k : 2ull * k - 1;
	struct big b;
	struct big_fill f;

	big_alloc(&b, n, ne);
	f.b = &b;
	f.src = 0;
	f.k = 0;
	shape_edges(s, k, m, big_edge, &f);
	while (f.src <= n)
		b.off[f.src++] = (uint32_t)f.k;
	ck_assert_msg(f.k == ne, "test bug: %llu edges, expected %llu", (unsigned long long)f.k,
		      (unsigned long long)ne);
	nreach = big_run(&b, 0, 0);
	ck_assert_uint_eq(nreach, n);
	FIRST_BAD(&b, shape_idom(s, k, v), bad);
	ck_assert_msg(bad == n, "%s k=%u m=%u: idom[%u] = %u, expected %u", shape_name[s], k, m, bad,
		      b.idom[bad], shape_idom(s, k, bad));
	big_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* mid-size graphs against the definition                             */

/*
 * Hundreds of nodes, deep dominator trees: deep enough for long jump
 * pointers and long compressed paths, small enough for the definition.
 * The reference is brute_idom()'s, with O(n) memory: one search from the
 * root per deleted node d counts, for every node it cuts off, one more
 * strict dominator; a second round picks, among the strict dominators of
 * each node, the one with the most dominators itself.
 */
struct elist {
	uint32_t n, m, cap;
	uint32_t *src, *dst;
};

static void el_edge(void *ctx, uint32_t a, uint32_t b)
{
	struct elist *el = ctx;
	if (el->m == el->cap) {
		el->cap = el->cap ? 2 * el->cap : 1024;
		el->src = realloc(el->src, sizeof(uint32_t) * el->cap);
		el->dst = realloc(el->dst, sizeof(uint32_t) * el->cap);
		ck_assert_msg(el->src && el->dst, "out of memory");
	}
	el->src[el->m] = a;
	el->dst[el->m] = b;
	el->m++;
}

/* struct big from an edge list, each node's edges in list order */
static void big_from_elist(struct big *b, const struct elist *el)
{
	uint32_t i, *pos;

	big_alloc(b, el->n, el->m);
	memset(b->off, 0, sizeof(uint32_t) * ((size_t)el->n + 1));
	for (i = 0; i < el->m; i++)
		b->off[el->src[i] + 1]++;
	for (i = 0; i < el->n; i++)
		b->off[i + 1] += b->off[i];
	pos = malloc(sizeof(uint32_t) * el->n);
	ck_assert_ptr_nonnull(pos);
	memcpy(pos, b->off, sizeof(uint32_t) * el->n);
	for (i = 0; i < el->m; i++)
		b->tgt[pos[el->src[i]]++] = el->dst[i];
	free(pos);
}

/* nodes reachable from root without passing through del (NONE: none
 * deleted) into mark[] as stamp; returns how many */
static uint32_t mid_reach(const struct big *b, uint32_t root, uint32_t del, uint32_t *mark, uint32_t stamp,
			  uint32_t *queue)
{
	uint32_t head = 0, tail = 0, e;

	if (root == del)
		return 0;
	mark[root] = stamp;
	queue[tail++] = root;
	while (head < tail) {
		uint32_t x = queue[head++];
		for (e = b->off[x]; e < b->off[x + 1]; e++) {
			uint32_t y = b->tgt[e];
			if (y != del && mark[y] != stamp) {
				mark[y] = stamp;
				queue[tail++] = y;
			}
		}
	}
	return tail;
}

static void mid_reference(const struct big *b, uint32_t root, uint32_t *ref)
{
	uint32_t n = b->n, v, d, round, stamp = 0;
	uint32_t *mark = malloc(sizeof(uint32_t) * n), *reach = malloc(sizeof(uint32_t) * n),
		 *queue = malloc(sizeof(uint32_t) * n), *ndom = calloc(n, sizeof(uint32_t));

	ck_assert_msg(mark && reach && queue && ndom, "out of memory");
	fill(mark, n, 0);
	fill(reach, n, 0);
	mid_reach(b, root, NONE, reach, 1, queue);
	for (v = 0; v < n; v++)
		ref[v] = reach[v] == 1 ? root : NONE;
	for (round = 0; round < 2; round++) {
		for (d = 0; d < n; d++) {
			if (d == root || reach[d] != 1)
				continue;
			mid_reach(b, root, d, mark, ++stamp, queue);
			for (v = 0; v < n; v++) {
				if (v == d || reach[v] != 1 || mark[v] == stamp)
					continue;
				/* d strictly dominates v */
				if (round == 0)
					ndom[v]++;
				else if (ref[v] == root || ndom[d] > ndom[ref[v]])
					ref[v] = d;
			}
		}
	}
	free(mark);
	free(reach);
	free(queue);
	free(ndom);
}

enum mid_family { MID_CHAIN, MID_TREE, MID_QUAD, MID_LADDER, MID_BACKCHAIN, NMID };

static void mid_gen(struct elist *el, enum mid_family f)
{
	uint32_t n, k, i, j, extra, *perm;

	el->m = 0;
	switch (f) {
	case MID_CHAIN:    /* a path with a few random edges either way */
		n = 200 + rnd(800);
		for (i = 0; i + 1 < n; i++)
			el_edge(el, i, i + 1);
		break;
	case MID_TREE:     /* a deep random tree: parents close by */
		n = 200 + rnd(800);
		for (i = 1; i < n; i++)
			el_edge(el, i - 1 - rnd(i < 4 ? i : 4), i);
		break;
	case MID_QUAD:
		k = 50 + rnd(400);
		n = shape_n(SH_QUAD, k, k / (1 + rnd(4)));
		shape_edges(SH_QUAD, k, n - 1 - k, el_edge, el);
		break;
	case MID_LADDER:
		k = 100 + rnd(400);
		n = shape_n(SH_LADDER, k, 0);
		shape_edges(SH_LADDER, k, 0, el_edge, el);
		break;
	default:
		k = 200 + rnd(800);
		n = shape_n(SH_BACKCHAIN, k, 0);
		shape_edges(SH_BACKCHAIN, k, rnd(2), el_edge, el);
		break;
	}
	el->n = n;
	extra = rnd(4) == 0 ? 0 : rnd(n / 10 + 1);
	for (i = 0; i < extra; i++)
		el_edge(el, rnd(n), rnd(n));
	/* half the time relabeled, and edge orders shuffled */
	if (rnd(2)) {
		perm = malloc(sizeof(uint32_t) * n);
		ck_assert_ptr_nonnull(perm);
		for (i = 0; i < n; i++)
			perm[i] = i;
		for (i = n; i-- > 1;) {
			uint32_t t;
			j = rnd(i + 1);
			t = perm[i], perm[i] = perm[j], perm[j] = t;
		}
		for (i = 0; i < el->m; i++) {
			el->src[i] = perm[el->src[i]];
			el->dst[i] = perm[el->dst[i]];
		}
		free(perm);
	}
	if (rnd(3) == 0) {
		for (i = el->m; i-- > 1;) {
			uint32_t t;
			j = rnd(i + 1);
			t = el->src[i], el->src[i] = el->src[j], el->src[j] = t;
			t = el->dst[i], el->dst[i] = el->dst[j], el->dst[j] = t;
		}
	}
}

START_TEST(test_dominators_midsize)
{
	struct elist el = { 0 };
	uint32_t count = scaled(60), g, v, nreach, *ref;
	struct big b;

	rng_seed(0xbe5466cf34e90c6cull + (uint64_t)_i);
	for (g = 0; g < count; g++) {
		uint32_t root;
		mid_gen(&el, (enum mid_family)_i);
		big_from_elist(&b, &el);
		root = rnd(8) == 0 ? rnd(b.n) : 0;
		ref = malloc(sizeof(uint32_t) * b.n);
		ck_assert_ptr_nonnull(ref);
		mid_reference(&b, root, ref);
		nreach = big_run(&b, root, 0);
		for (v = 0; v < b.n; v++)
			if (b.idom[v] != ref[v])
				break;
		ck_assert_msg(v == b.n, "%u-node graph #%u of family %d, root %u: idom[%u] = %d, expected %d",
			      b.n, g, _i, root, v, (int)b.idom[v], (int)ref[v]);
		for (v = 0; v < b.n; v++)
			nreach -= ref[v] != NONE;
		ck_assert_msg(nreach == 0, "graph #%u of family %d: nreach off by %d", g, _i, (int)nreach);
		free(ref);
		big_free(&b);
	}
	free(el.src);
	free(el.dst);
}
END_TEST

/* hs_mem_touch() (the DFS's page-making thread) writes each page of an
 * array that the DFS writes at the same time: what the DFS wrote stays.
 * Here the main thread writes every byte (the first of each page over and
 * over) while another touches the pages; then every byte is checked. */
struct touch_job {
	unsigned char *p;
	size_t bytes;
	int rounds;
};

static void *touch_run(void *arg)
{
	struct touch_job *j = arg;
	int r;
	for (r = 0; r < j->rounds; r++)
		hs_mem_touch(j->p, j->bytes);
	return NULL;
}

START_TEST(test_mem_touch_keeps_writes)
{
	hs_mem mem;
	hs_error err;
	size_t bytes = (size_t)16 << 20, i;
	unsigned char *p;
	struct touch_job j;
	pthread_t th;
	int pass;

	ck_assert_int_eq(hs_mem_init(&mem, 0, NULL), 0);
	p = hs_mem_alloc(&mem, bytes, HS_MEM_ZERO_LATER, &err);
	ck_assert_ptr_nonnull(p);
	j.p = p + 100;   /* not on a page boundary: the first part page is left */
	j.bytes = bytes - 200;
	j.rounds = 20;
	ck_assert_int_eq(pthread_create(&th, NULL, touch_run, &j), 0);
	for (pass = 1; pass <= 20; pass++)
		for (i = 0; i < bytes; i += 4096)
			p[i] = (unsigned char)(pass * 7 + i / 4096);
	for (i = 0; i < bytes; i++)
		if (i % 4096)
			p[i] = (unsigned char)(i * 13 + 1);
	pthread_join(th, NULL);
	for (i = 0; i < bytes; i++) {
		unsigned char want = i % 4096 ? (unsigned char)(i * 13 + 1) : (unsigned char)(20 * 7 + i / 4096);
		ck_assert_msg(p[i] == want, "byte %zu: %u, expected %u", i, p[i], want);
	}
	hs_mem_release(&mem);
}
END_TEST

/* hs_mem_free() keeps a freed array of 1 MB or more for the next
 * allocation of about its size: the same memory comes back (zeroed when
 * asked, as it was left otherwise), the smallest that fits; one a fifth
 * smaller or more, or a HS_MEM_ZERO_LATER one, is new and frees the kept
 * ones first; the budget's count is of arrays handed out. */
START_TEST(test_mem_keeps_freed_arrays)
{
	hs_mem mem;
	hs_error err;
	size_t mb = (size_t)1 << 20, i;
	unsigned char *a, *b, *c, *d, *e;

	ck_assert_int_eq(hs_mem_init(&mem, 0, NULL), 0);
	a = hs_mem_alloc(&mem, 8 * mb, 0, &err);
	b = hs_mem_alloc(&mem, 4 * mb, 0, &err);
	c = hs_mem_alloc(&mem, 4096, 0, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	memset(a, 0xab, 8 * mb);
	memset(b, 0xcd, 4 * mb);
	hs_mem_free(&mem, a);
	hs_mem_free(&mem, b);
	hs_mem_free(&mem, c);   /* small: freed, not kept */
	ck_assert_uint_eq(mem.nkept, 2);
	ck_assert_uint_eq(mem.kept_bytes, 12 * mb);
	ck_assert_uint_eq(mem.used, 0);
	/* 3.5 MB: the 4 MB one (the smallest that fits), as it was */
	d = hs_mem_alloc(&mem, 7 * mb / 2, 0, &err);
	ck_assert_ptr_eq(d, b);
	ck_assert_uint_eq(d[0], 0xcd);
	ck_assert_uint_eq(mem.used, 7 * mb / 2);
	ck_assert_uint_eq(mem.reused, 7 * mb / 2);
	/* 7 MB zeroed: the 8 MB one, zeroed over the 7 MB */
	e = hs_mem_alloc(&mem, 7 * mb, 1, &err);
	ck_assert_ptr_eq(e, a);
	for (i = 0; i < 7 * mb; i++)
		ck_assert_msg(e[i] == 0, "byte %zu: %u", i, e[i]);
	ck_assert_uint_eq(mem.nkept, 0);
	hs_mem_free(&mem, d);
	hs_mem_free(&mem, e);
	ck_assert_uint_eq(mem.nkept, 2);
	/* 2 MB: a fifth or less of either would be used; both freed first */
	a = hs_mem_alloc(&mem, 2 * mb, 1, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(mem.nkept, 0);
	ck_assert_uint_eq(mem.kept_bytes, 0);
	hs_mem_free(&mem, a);
	ck_assert_uint_eq(mem.nkept, 1);
	/* zeroed on another thread later: never a kept one */
	b = hs_mem_alloc(&mem, 2 * mb, HS_MEM_ZERO_LATER, &err);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(mem.nkept, 0);
	for (i = 0; i < 2 * mb; i += 4096)
		ck_assert_uint_eq(b[i], 0);
	hs_mem_free(&mem, b);
	/* at most HS_MEM_KEPT_MAX kept; the others freed */
	{
		void *p[HS_MEM_KEPT_MAX + 2];
		for (i = 0; i < HS_MEM_KEPT_MAX + 2; i++)
			ck_assert_ptr_nonnull(p[i] = hs_mem_alloc(&mem, mb * (i + 1), 0, &err));
		for (i = 0; i < HS_MEM_KEPT_MAX + 2; i++)
			hs_mem_free(&mem, p[i]);
		ck_assert_uint_eq(mem.nkept, HS_MEM_KEPT_MAX);
	}
	hs_mem_trim(&mem);
	ck_assert_uint_eq(mem.nkept, 0);
	ck_assert_uint_eq(mem.kept_bytes, 0);
	hs_mem_release(&mem);   /* nothing left: no leak (ASan, valgrind) */
}
END_TEST

/* hs_mem_to_file() moves an array in memory to a file at the same
 * address: the same bytes there, writes to it kept, the budget's count
 * moved from memory to files; what it cannot move (in a file already,
 * under 1 MB, not an array of mem) stays as it was. */
START_TEST(test_mem_to_file)
{
	hs_mem mem;
	hs_error err;
	size_t bytes = ((size_t)3 << 20) + 123, i;
	unsigned char *p, *small, *q, other[16];

	ck_assert_int_eq(hs_mem_init(&mem, 64u << 20, NULL), 0);
	p = hs_mem_alloc(&mem, bytes, 0, &err);
	small = hs_mem_alloc(&mem, 4096, 1, &err);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(small);
	ck_assert_uint_eq(mem.used, bytes + 4096);
	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(i * 7 + i / 4096);
	ck_assert_int_eq(hs_mem_in_file(&mem, p), 0);
	ck_assert_int_eq(hs_mem_to_file(&mem, p), 0);
	ck_assert_int_eq(hs_mem_in_file(&mem, p), 1);
	ck_assert_uint_eq(mem.used, 4096);
	ck_assert_uint_eq(mem.spilled, bytes);
	ck_assert_uint_eq(mem.moved, 1);
	ck_assert_uint_eq(mem.moved_bytes, bytes);
	for (i = 0; i < bytes; i++)
		ck_assert_msg(p[i] == (unsigned char)(i * 7 + i / 4096), "byte %zu: %u", i, p[i]);
	p[bytes - 1] = 0x5a;
	p[0] = 0xa5;
	ck_assert_uint_eq(p[bytes - 1], 0x5a);
	ck_assert_uint_eq(p[0], 0xa5);
	/* and back: memory at the same address, the same bytes */
	ck_assert_int_eq(hs_mem_to_memory(&mem, p), 0);
	ck_assert_int_eq(hs_mem_in_file(&mem, p), 0);
	ck_assert_uint_eq(mem.used, bytes + 4096);
	ck_assert_uint_eq(mem.spilled, 0);
	ck_assert_uint_eq(p[bytes - 1], 0x5a);
	ck_assert_uint_eq(p[0], 0xa5);
	for (i = 1; i < bytes - 1; i++)
		ck_assert_msg(p[i] == (unsigned char)(i * 7 + i / 4096), "byte %zu: %u", i, p[i]);
	ck_assert_int_eq(hs_mem_to_memory(&mem, p), -1);   /* in memory already */
	ck_assert_int_eq(hs_mem_to_file(&mem, p), 0);
	ck_assert_uint_eq(p[0], 0xa5);
	/* no room for it within the budget: stays in its file */
	mem.budget = bytes;
	ck_assert_int_eq(hs_mem_to_memory(&mem, p), -1);
	ck_assert_int_eq(hs_mem_in_file(&mem, p), 1);
	mem.budget = 64u << 20;
	/* not again, not small ones, not strangers */
	ck_assert_int_eq(hs_mem_to_file(&mem, p), -1);
	ck_assert_int_eq(hs_mem_to_file(&mem, small), -1);
	ck_assert_int_eq(hs_mem_to_file(&mem, other), -1);
	ck_assert_int_eq(hs_mem_to_memory(&mem, other), -1);
	ck_assert_int_eq(hs_mem_to_memory(&mem, small), -1);
	ck_assert_uint_eq(mem.moved, 2);
	/* an array asked for in a file is one whenever there is a budget,
	 * and zeroed */
	q = hs_mem_alloc(&mem, 2u << 20, HS_MEM_FILE, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(hs_mem_in_file(&mem, q), 1);
	for (i = 0; i < (2u << 20); i += 511)
		ck_assert_uint_eq(q[i], 0);
	hs_mem_free(&mem, q);
	hs_mem_free(&mem, p);   /* a file's mapping: unmapped, not kept */
	ck_assert_uint_eq(mem.nkept, 0);
	ck_assert_uint_eq(mem.spilled, 0);
	hs_mem_free(&mem, small);
	hs_mem_release(&mem);
	/* the memory free for the page cache: something, and never more
	 * than the machine's or the cgroup's memory */
	{
		uint64_t room = hs_mem_room(), avail = hs_mem_available();
		ck_assert_uint_gt(room, 0);
		if (room != UINT64_MAX && avail)
			ck_assert_uint_le(room, avail);
	}
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *dominators_suite(void)
{
	Suite *s = suite_create("dominators");
	TCase *tc;

	tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_dominators_diamond);
	tcase_add_test(tc, test_mem_touch_keeps_writes);
	tcase_add_test(tc, test_mem_keeps_freed_arrays);
	tcase_add_test(tc, test_mem_to_file);
	tcase_add_test(tc, test_dominators_diamond_chain);
	tcase_add_test(tc, test_dominators_chain);
	tcase_add_test(tc, test_dominators_cycle_to_root);
	tcase_add_test(tc, test_dominators_irreducible);
	tcase_add_test(tc, test_dominators_lengauer_tarjan);
	tcase_add_test(tc, test_dominators_unreachable);
	tcase_add_test(tc, test_dominators_keep_unreachable);
	tcase_add_test(tc, test_dominators_keep_unreachable_order);
	tcase_add_test(tc, test_dominators_ex_matches);
	tcase_add_test(tc, test_dominators_all_3_node_graphs);
	tcase_add_loop_test(tc, test_dominators_random, 0, NFAMILIES);
	tcase_add_loop_test(tc, test_dominators_keep_unreachable_random, 0, NFAMILIES);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_dominators_deep_chain);
	tcase_add_test(tc, test_dominators_deep_chain_backwards);
	tcase_add_test(tc, test_dominators_broom);
	tcase_add_loop_test(tc, test_dominators_many_preds, 0, 4);
	suite_add_tcase(s, tc);

	/* each well under a second; 20 s means a quadratic step is back */
	tc = tcase_create("adversarial");
	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_dominators_adversarial_big, 0, 4);
	tcase_add_loop_test(tc, test_dominators_adversarial_small, 0, NSHAPES);
	tcase_add_loop_test(tc, test_dominators_midsize, 0, NMID);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_dominators_single_node);
	tcase_add_test(tc, test_dominators_self_loops);
	tcase_add_test(tc, test_dominators_duplicate_edges);
	tcase_add_test(tc, test_dominators_isolated_root);
	tcase_add_test(tc, test_dominators_last_node_root);
	tcase_add_test(tc, test_dominators_complete);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(dominators_suite());
}
