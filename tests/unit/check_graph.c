/*
 * check_graph.c - the object graph, dominators, retained sizes and paths on
 * a synthetic dump whose dominator tree is known by construction.
 *
 * The dump (ids in hex):
 *   classes Object 100, Class 108, Node 110 (next: ref, val: int),
 *   Pair 118 (left, right: ref), Reference 120 (referent: ref),
 *   WeakReference 128 < Reference, Holder 130 (static INSTANCE: ref),
 *   Thread 138 (name: ref), Object[] 140; all sticky class roots.
 *   A->B->C            A is a JNI global root
 *   P1{left X, right Y}, X->Z, Y->Z     P1 JNI global: Z dominated by P1
 *   thread T1 (thread root, serial 1) holds D in a Java frame; D->E
 *   W weak reference (JNI global) with referent R
 *   Holder.INSTANCE = H, H->I
 *   OA Object[4] {K1, K2, null, K1}, JNI global
 *   P2{left PA int[3], right null}, JNI global
 *   U->V unreachable
 * Every expectation below is a set of objects written out by hand.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/paths.h"
#include "heapscan/retained.h"
#include "hprof_writer.h"
#include "graph/idmap.h"
#include "unit.h"

enum {
	OBJECT = 0x100, CLASS = 0x108, NODE = 0x110, PAIR = 0x118, REF = 0x120, WEAK = 0x128,
	HOLDER = 0x130, THREAD = 0x138, OBJARR = 0x140, INTARR = 0x148,
	A = 0x10000, B = 0x10100, C = 0x10200, P1 = 0x10300, X = 0x10400, Y = 0x10500, Z = 0x10600,
	T1 = 0x10700, D = 0x10800, E = 0x10900, W = 0x10a00, R = 0x10b00, H = 0x10c00, I = 0x10d00,
	OA = 0x10e00, K1 = 0x10f00, K2 = 0x11000, P2 = 0x11100, PA = 0x11200, U = 0x11300, V = 0x11400,
	BIG1 = 0x11500, BIG2 = 0x11600   /* int[1] and int[400001]: sizes beyond 16 bits of units */
};

/* string ids */
enum { S_OBJECT = 1, S_CLASS, S_NODE, S_PAIR, S_REF, S_WEAK, S_HOLDER, S_THREAD, S_OBJARR,
       S_NEXT, S_VAL, S_LEFT, S_RIGHT, S_REFERENT, S_INSTANCE, S_NAME, S_INTARR, S_MAIN, S_RUN, S_SRC };

static char path[256];

static void cls(hw *w, uint64_t id, uint64_t super, uint64_t name, int nf, const hw_ifield *f,
		int ns, const hw_static *st)
{
	hw_class_spec c;
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.super_id = super;
	c.nfields = (uint16_t)nf;
	c.fields = f;
	c.nstatics = (uint16_t)ns;
	c.statics = st;
	hw_class_dump(w, &c);
	(void)name;
}

static void node(hw *w, uint64_t id, uint64_t next)
{
	hw_buf b;
	hw_buf_init(&b, 8);
	hw_buf_id(&b, next);
	hw_buf_u4(&b, 7);
	hw_instance(w, id, NODE, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
}

static void pair(hw *w, uint64_t id, uint64_t l, uint64_t r)
{
	hw_buf b;
	hw_buf_init(&b, 8);
	hw_buf_id(&b, l);
	hw_buf_id(&b, r);
	hw_instance(w, id, PAIR, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
}

static void write_dump(const char *file, int segment)
{
	hw *w = hw_new(NULL, 8);
	static const char *names[] = { NULL, "java/lang/Object", "java/lang/Class", "Node", "Pair",
		"java/lang/ref/Reference", "java/lang/ref/WeakReference", "Holder", "java/lang/Thread",
		"[Ljava/lang/Object;", "next", "val", "left", "right", "referent", "INSTANCE", "name", "[I",
		"main", "run", "Main.java" };
	hw_ifield nf[2] = { { S_NEXT, HW_T_OBJECT }, { S_VAL, HW_T_INT } };
	hw_ifield pf[2] = { { S_LEFT, HW_T_OBJECT }, { S_RIGHT, HW_T_OBJECT } };
	hw_ifield rf[1] = { { S_REFERENT, HW_T_OBJECT } };
	hw_ifield tf[1] = { { S_NAME, HW_T_OBJECT } };
	hw_static hs[1] = { { S_INSTANCE, HW_T_OBJECT, H } };
	uint64_t classes[] = { OBJECT, CLASS, NODE, PAIR, REF, WEAK, HOLDER, THREAD, OBJARR, INTARR };
	uint64_t cname[] = { S_OBJECT, S_CLASS, S_NODE, S_PAIR, S_REF, S_WEAK, S_HOLDER, S_THREAD, S_OBJARR, S_INTARR };
	uint64_t elems[4] = { K1, K2, 0, K1 };
	uint64_t frame = 0x900;
	hw_buf b;
	unsigned i;

	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		hw_string(w, i, names[i]);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		hw_load_class(w, i + 1, classes[i], cname[i]);
	hw_frame(w, frame, S_RUN, S_RUN, S_SRC, 3, 42);
	hw_trace(w, 5, 1, 1, &frame);

	cls(w, OBJECT, 0, S_OBJECT, 0, NULL, 0, NULL);
	cls(w, CLASS, OBJECT, S_CLASS, 0, NULL, 0, NULL);
	cls(w, NODE, OBJECT, S_NODE, 2, nf, 0, NULL);
	cls(w, PAIR, OBJECT, S_PAIR, 2, pf, 0, NULL);
	cls(w, REF, OBJECT, S_REF, 1, rf, 0, NULL);
	cls(w, WEAK, REF, S_WEAK, 0, NULL, 0, NULL);
	cls(w, HOLDER, OBJECT, S_HOLDER, 0, NULL, 1, hs);
	cls(w, THREAD, OBJECT, S_THREAD, 1, tf, 0, NULL);
	cls(w, OBJARR, OBJECT, S_OBJARR, 0, NULL, 0, NULL);
	cls(w, INTARR, OBJECT, S_INTARR, 0, NULL, 0, NULL);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		hw_root_sticky_class(w, classes[i]);

	node(w, A, B);
	node(w, B, C);
	node(w, C, 0);
	hw_root_jni_global(w, A, 0x77);
	pair(w, P1, X, Y);
	node(w, X, Z);
	node(w, Y, Z);
	node(w, Z, 0);
	hw_root_jni_global(w, P1, 0x78);
	hw_buf_init(&b, 8);
	hw_buf_id(&b, 0);
	hw_instance(w, T1, THREAD, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_root_thread_object(w, T1, 1, 5);
	hw_root_java_frame(w, D, 1, 0);
	node(w, D, E);
	node(w, E, 0);
	hw_buf_init(&b, 8);
	hw_buf_id(&b, R);
	hw_instance(w, W, WEAK, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_root_jni_global(w, W, 0x79);
	node(w, R, 0);
	node(w, H, I);
	node(w, I, 0);
	hw_obj_array(w, OA, OBJARR, 4, elems);
	hw_root_jni_global(w, OA, 0x7a);
	node(w, K1, 0);
	node(w, K2, 0);
	pair(w, P2, PA, 0);
	hw_root_jni_global(w, P2, 0x7b);
	hw_prim_array(w, PA, HW_T_INT, 3);
	node(w, U, V);
	node(w, V, 0);
	hw_prim_array(w, BIG1, HW_T_INT, 1);
	hw_root_jni_global(w, BIG1, 0x7c);
	hw_prim_array(w, BIG2, HW_T_INT, 400001);
	hw_root_jni_global(w, BIG2, 0x7d);
	hw_heap_dump_flush(w, segment ? 37 : HW_ONE_RECORD);
	ck_assert_int_eq(hw_write_file(w, file), 0);
	hw_free(w);
}

static hs_dump *dump;
static hs_graph *graph;

static void open_graph(int exclude_weak, int keep_unreachable, int segment)
{
	hs_open_opts o;
	hs_graph_opts go;
	hs_error err;
	snprintf(path, sizeof(path), "%s/heapscan-check-graph-%ld.hprof",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	write_dump(path, segment);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	ck_assert_msg(hs_dump_open(&dump, path, &o, &err) == 0, "open: %s", err.msg);
	memset(&go, 0, sizeof(go));
	go.exclude_weak = exclude_weak;
	go.keep_unreachable = keep_unreachable;
	ck_assert_msg(hs_graph_build(&graph, dump, &go, &err) == 0, "graph: %s", err.msg);
}

/* Write w (its heap flushed) to the test's file, free it, and open the
 * dump and its graph with the default options. */
static void open_written(hw *w)
{
	tu_open(w, "graph", path, sizeof(path), &dump, &graph);
}

static void teardown(void)
{
	tu_close(&dump, &graph, path);
}

static uint32_t N(uint64_t id)
{
	uint32_t n = hs_graph_node(graph, id);
	ck_assert_msg(n != 0, "no node for 0x%llx", (unsigned long long)id);
	return n;
}

/* sum of shallow sizes of a 0-terminated list of ids */
static uint64_t S(const uint64_t *ids)
{
	uint64_t s = 0;
	for (; *ids; ids++)
		s += hs_graph_shallow(graph, N(*ids));
	return s;
}

#define RETAINS(obj, ...) do { \
		const uint64_t set_[] = { __VA_ARGS__, 0 }; \
		ck_assert_uint_eq(hs_graph_retained(graph, N(obj)), S(set_)); \
		ck_assert_uint_eq(hs_graph_retained_count(graph, N(obj)), sizeof(set_) / sizeof(set_[0]) - 1); \
	} while (0)

START_TEST(test_graph_dominators)
{
	open_graph(0, 0, _i);
	/* idoms */
	ck_assert_uint_eq(hs_graph_idom(graph, N(A)), 0);
	ck_assert_uint_eq(hs_graph_idom(graph, N(B)), N(A));
	ck_assert_uint_eq(hs_graph_idom(graph, N(C)), N(B));
	ck_assert_uint_eq(hs_graph_idom(graph, N(Z)), N(P1));
	ck_assert_uint_eq(hs_graph_idom(graph, N(X)), N(P1));
	ck_assert_uint_eq(hs_graph_idom(graph, N(D)), N(T1));
	ck_assert_uint_eq(hs_graph_idom(graph, N(H)), N(HOLDER));
	ck_assert_uint_eq(hs_graph_idom(graph, N(K1)), N(OA));
	ck_assert_uint_eq(hs_graph_idom(graph, N(R)), N(W));
	/* retained sets */
	RETAINS(A, A, B, C);
	RETAINS(P1, P1, X, Y, Z);
	RETAINS(X, X);
	RETAINS(T1, T1, D, E);
	RETAINS(W, W, R);
	RETAINS(OA, OA, K1, K2);
	RETAINS(P2, P2, PA);
	RETAINS(HOLDER, HOLDER, H, I);
	/* unreachable: U and V */
	ck_assert_uint_eq(hs_graph_get_stats(graph)->unreachable, 2);
	ck_assert_uint_eq(hs_graph_get_stats(graph)->unreachable_bytes,
			  hs_graph_shallow(graph, N(U)) + hs_graph_shallow(graph, N(V)));
	ck_assert(!hs_graph_reachable(graph, N(U)));
	/* the root retains exactly the reachable heap */
	ck_assert_uint_eq(hs_graph_retained(graph, 0), hs_graph_get_stats(graph)->reachable_bytes);
	/* an object of more than 65,535 alignment units (kept apart from the
	 * 16-bit sizes): 400,000 ints more than int[1] */
	ck_assert_uint_eq(hs_graph_shallow(graph, N(BIG2)) - hs_graph_shallow(graph, N(BIG1)), 1600000);
	RETAINS(BIG2, BIG2);
	teardown();
}
END_TEST

START_TEST(test_graph_exclude_weak)
{
	open_graph(1, 0, 0);
	RETAINS(W, W);
	ck_assert(!hs_graph_reachable(graph, N(R)));
	ck_assert_uint_eq(hs_graph_get_stats(graph)->unreachable, 3);
	teardown();
}
END_TEST

START_TEST(test_graph_keep_unreachable)
{
	open_graph(0, 1, 0);
	ck_assert_uint_eq(hs_graph_idom(graph, N(U)), 0);
	ck_assert_uint_eq(hs_graph_idom(graph, N(V)), N(U));
	RETAINS(U, U, V);
	teardown();
}
END_TEST

START_TEST(test_graph_edges)
{
	uint32_t n, i, has_class = 0, has_b = 0;
	const uint32_t *o;
	open_graph(0, 0, 0);
	/* A -> B stored, and -> its class Node by its class index */
	o = hs_graph_out(graph, N(A), &n);
	ck_assert_uint_eq(n, 1);
	for (i = 0; i < n; i++) {
		has_class += o[i] == N(NODE);
		has_b += o[i] == N(B);
	}
	ck_assert_uint_eq(has_b, 1);
	ck_assert_uint_eq(has_class, 0);
	ck_assert_uint_eq(hs_graph_class_ref(graph, N(A)), N(NODE));
	/* OA -> K1, K2, K1 (duplicates kept, null dropped), and its class */
	o = hs_graph_out(graph, N(OA), &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(hs_graph_class_ref(graph, N(OA)), N(OBJARR));
	/* thread -> D (Java frame root), and its class */
	o = hs_graph_out(graph, N(T1), &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(o[0], N(D));
	ck_assert_uint_eq(hs_graph_class_ref(graph, N(T1)), N(THREAD));
	/* class Holder -> superclass Object, static INSTANCE; a class object
	 * has no class reference of its own */
	o = hs_graph_out(graph, N(HOLDER), &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(hs_graph_class_ref(graph, N(HOLDER)), 0);
	/* the references counted are the stored ones and those to classes */
	{
		uint64_t sum = 0;
		uint32_t v, c;
		for (v = 0; v < hs_graph_nodes(graph); v++) {   /* the root's too */
			hs_graph_out(graph, v, &c);
			sum += c + (hs_graph_class_ref(graph, v) != 0);
		}
		ck_assert_uint_eq(hs_graph_get_stats(graph)->edges, sum);
	}
	ck_assert_uint_eq(hs_graph_class(graph, N(HOLDER)), HS_CLASS_OBJECT_BIT | hs_dump_class_by_id(dump, HOLDER));
	/* hs_graph_class_of(): the class of instances and arrays only */
	ck_assert_ptr_eq(hs_graph_class_of(graph, N(OA)), hs_dump_class(dump, hs_dump_class_by_id(dump, OBJARR)));
	ck_assert_int_eq(hs_graph_class_of(graph, N(OA))->kind, HS_CLASS_OBJ_ARRAY);
	ck_assert_ptr_eq(hs_graph_class_of(graph, N(T1)), hs_dump_class(dump, hs_dump_class_by_id(dump, THREAD)));
	ck_assert_ptr_null(hs_graph_class_of(graph, N(HOLDER)));
	ck_assert_ptr_null(hs_graph_class_of(graph, 0));
	ck_assert_ptr_null(hs_graph_class_of(graph, hs_graph_nodes(graph)));
	teardown();
}
END_TEST

START_TEST(test_graph_paths)
{
	uint32_t *parent, p[16], len;
	char *via[16];
	hs_error err;
	open_graph(0, 0, 0);
	ck_assert_int_eq(hs_paths_bfs(graph, &parent, &err), 0);
	len = hs_paths_to(parent, N(Z), p, 16);
	ck_assert_uint_eq(len, 3);
	ck_assert_uint_eq(p[0], N(P1));
	ck_assert_int_eq(hs_paths_describe(graph, p, len, via, &err), 0);
	ck_assert_str_eq(via[0], "JNI global");
	ck_assert(strcmp(via[1], ".left") == 0 || strcmp(via[1], ".right") == 0);
	ck_assert_str_eq(via[2], ".next");
	hs_paths_free_via(via, len);
	/* an array index */
	len = hs_paths_to(parent, N(K2), p, 16);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(hs_paths_describe(graph, p, len, via, &err), 0);
	ck_assert_str_eq(via[1], "[1]");
	hs_paths_free_via(via, len);
	/* a static field */
	len = hs_paths_to(parent, N(H), p, 16);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(hs_paths_describe(graph, p, len, via, &err), 0);
	ck_assert_str_eq(via[0], "system class");
	ck_assert_str_eq(via[1], "static INSTANCE");
	hs_paths_free_via(via, len);
	/* a thread local, with its frame */
	len = hs_paths_to(parent, N(E), p, 16);
	ck_assert_uint_eq(len, 3);
	ck_assert_uint_eq(p[0], N(T1));
	ck_assert_int_eq(hs_paths_describe(graph, p, len, via, &err), 0);
	ck_assert_str_eq(via[0], "thread");
	ck_assert_str_eq(via[1], "<Java local in Node.run(Main.java:42)>");
	hs_paths_free_via(via, len);
	ck_assert_uint_eq(parent[N(U)], HS_NONE);
	/* the search that stops at its object: every object's path as the
	 * whole search's, with and without weak references; it stopped
	 * (nodes the whole search reached that it did not) for a root */
	{
		uint32_t v, n = hs_graph_nodes(graph), *part, *whole, q[16], ql, wl;
		int strong, stopped = 0;
		for (strong = 0; strong < 2; strong++) {
			ck_assert_int_eq(hs_paths_bfs_ex(graph, HS_NONE, strong, &whole, &err), 0);
			for (v = 1; v < n; v++) {
				uint32_t k, unreached = 0;
				ck_assert_int_eq(hs_paths_bfs_until(graph, v, strong, &part, &err), 0);
				wl = hs_paths_to(whole, v, p, 16);
				ql = hs_paths_to(part, v, q, 16);
				ck_assert_uint_eq(ql, wl);
				ck_assert_int_eq(memcmp(p, q, sizeof(uint32_t) * wl), 0);
				for (k = 1; k < n; k++)
					unreached += part[k] == HS_NONE && whole[k] != HS_NONE;
				stopped += v == N(P1) && unreached > 0;
				hs_paths_free(graph, part);
			}
			hs_paths_free(graph, whole);
		}
		ck_assert_int_eq(stopped, 2);
	}
	hs_paths_free(graph, parent);
	teardown();
}
END_TEST

/* One path per referrer, nearest a root first, ties in node order; the
 * virtual root first for a GC root (class Node is a sticky class, and
 * every Node refers to it). */
START_TEST(test_graph_referrers)
{
	uint32_t *parent, *r, n;
	hs_error err;
	open_graph(0, 0, 0);
	ck_assert_int_eq(hs_paths_bfs(graph, &parent, &err), 0);
	ck_assert_int_eq(hs_paths_referrers(graph, parent, N(Z), 100, &r, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(r[0], N(X));
	ck_assert_uint_eq(r[1], N(Y));
	free(r);
	ck_assert_int_eq(hs_paths_referrers(graph, parent, N(K1), 100, &r, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(r[0], N(OA));
	free(r);
	ck_assert_int_eq(hs_paths_referrers(graph, parent, N(NODE), 100, &r, &n, &err), 0);
	{
		/* depth 1: A; 2: B, X, Y, D (held by thread T1), R, H, K1, K2;
		 * 3: C, Z, E, I; U and V are unreachable */
		const uint64_t want[] = { A, B, X, Y, D, R, H, K1, K2, C, Z, E, I };
		uint32_t i;
		ck_assert_uint_eq(n, 14);
		ck_assert_uint_eq(r[0], 0);
		for (i = 0; i < 13; i++)
			ck_assert_uint_eq(r[i + 1], N(want[i]));
	}
	free(r);
	/* depths count up to max: beyond it, node order */
	ck_assert_int_eq(hs_paths_referrers(graph, parent, N(NODE), 2, &r, &n, &err), 0);
	{
		const uint64_t want[] = { A, B, C, X, Y, Z, D, E, R, H, I, K1, K2 };
		uint32_t i;
		ck_assert_uint_eq(n, 14);
		for (i = 0; i < 13; i++)
			ck_assert_uint_eq(r[i + 1], N(want[i]));
	}
	free(r);
	hs_paths_free(graph, parent);
	teardown();
}
END_TEST

/*
 * 160,000 referrers of one object, chained from a root so that the one
 * with the highest id is nearest it: each in the order of its depth, the
 * reverse of node order, and for those deeper than max (100,000) node
 * order.  Well under a second; sorting them by insertion and walking each
 * one's path from the root took a minute, which the tcase's timeout
 * catches.
 */
START_TEST(test_graph_referrers_many)
{
	enum { TARGET = 0x8000, REFS = 0x100000, MAX = 100000 };
	uint32_t n = 160000, i, *parent, *r, nr;
	hw_ifield f[2] = { { S_NEXT, HW_T_OBJECT }, { S_VAL, HW_T_OBJECT } };
	hs_error err;
	hw *w = hw_new(NULL, 8);

	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NODE, "Ref");
	hw_string(w, S_NEXT, "next");
	hw_string(w, S_VAL, "target");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	hw_load_class(w, 2, NODE, S_NODE);
	cls(w, OBJECT, 0, S_OBJECT, 0, NULL, 0, NULL);
	cls(w, NODE, OBJECT, S_NODE, 2, f, 0, NULL);
	hw_instance(w, TARGET, OBJECT, NULL, 0);
	for (i = 0; i < n; i++) {
		hw_buf b;
		hw_buf_init(&b, 8);
		hw_buf_id(&b, i ? REFS + 16 * (uint64_t)(i - 1) : 0);
		hw_buf_id(&b, TARGET);
		hw_instance(w, REFS + 16 * (uint64_t)i, NODE, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
	}
	hw_root_jni_global(w, REFS + 16 * (uint64_t)(n - 1), 1);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	open_written(w);

	ck_assert_int_eq(hs_paths_bfs(graph, &parent, &err), 0);
	ck_assert_int_eq(hs_paths_referrers(graph, parent, N(TARGET), MAX, &r, &nr, &err), 0);
	ck_assert_uint_eq(nr, n);
	for (i = 0; i < n; i++) {
		/* depth d is the object n - d; those from depth MAX on tie */
		uint32_t obj = i < MAX - 1 ? n - 1 - i : i - (MAX - 1);
		ck_assert_msg(r[i] == N(REFS + 16 * (uint64_t)obj), "referrer %u is node %u, not %u",
			      i, r[i], N(REFS + 16 * (uint64_t)obj));
	}
	free(r);
	hs_paths_free(graph, parent);
	teardown();
}
END_TEST

START_TEST(test_graph_group_retained)
{
	hs_groups gr;
	hs_group_sum *sum;
	hs_error err;
	uint32_t node_ci;
	open_graph(0, 0, 0);
	ck_assert_int_eq(hs_groups_make(&gr, dump, graph, HS_GROUP_CLASS, &err), 0);
	sum = calloc(gr.n, sizeof(*sum));
	ck_assert_int_eq(hs_retained_by_group(graph, gr.of_class, gr.n, gr.class_objects, sum, &err), 0);
	/* all reachable Nodes: each counted once although A dominates B and C */
	node_ci = gr.of_class[hs_dump_class_by_id(dump, NODE)];
	{
		const uint64_t nodes[] = { A, B, C, X, Y, Z, D, E, R, H, I, K1, K2, 0 };
		ck_assert_uint_eq(sum[node_ci].objects, 13);
		ck_assert_uint_eq(sum[node_ci].retained, S(nodes));
	}
	free(sum);
	hs_groups_release(&gr);
	teardown();
}
END_TEST

START_TEST(test_graph_set_retained)
{
	/* overlapping sets of classes: {Node, Pair}, {Pair}, {Node} */
	hs_groups gr;
	hs_group_sum sum[3], *by_group;
	hs_error err;
	uint32_t node_g, pair_g, *off, ids[4], k;
	open_graph(0, 0, 0);
	ck_assert_int_eq(hs_groups_make(&gr, dump, graph, HS_GROUP_CLASS, &err), 0);
	node_g = gr.of_class[hs_dump_class_by_id(dump, NODE)];
	pair_g = gr.of_class[hs_dump_class_by_id(dump, PAIR)];
	off = calloc(gr.n + 1, sizeof(uint32_t));
	/* sets per group, as offsets into ids: Node in 0 and 2, Pair in 0 and 1 */
	for (k = 0; k <= gr.n; k++)
		off[k] = (k > node_g ? 2 : 0) + (k > pair_g ? 2 : 0);
	if (node_g < pair_g) {
		ids[0] = 0, ids[1] = 2, ids[2] = 0, ids[3] = 1;
	} else {
		ids[0] = 0, ids[1] = 1, ids[2] = 0, ids[3] = 2;
	}
	ck_assert_int_eq(hs_retained_by_sets(graph, gr.of_class, gr.n, gr.class_objects, off, ids, 3, sum, &err), 0);
	{
		/* each object once: P1 dominates the Nodes X, Y and Z */
		const uint64_t both[] = { A, B, C, P1, X, Y, Z, D, E, R, H, I, K1, K2, P2, PA, 0 };
		const uint64_t pairs[] = { P1, X, Y, Z, P2, PA, 0 };
		const uint64_t nodes[] = { A, B, C, X, Y, Z, D, E, R, H, I, K1, K2, 0 };
		ck_assert_uint_eq(sum[0].retained, S(both));
		ck_assert_uint_eq(sum[0].objects, 15);
		ck_assert_uint_eq(sum[1].retained, S(pairs));
		ck_assert_uint_eq(sum[1].objects, 2);
		ck_assert_uint_eq(sum[2].retained, S(nodes));
		ck_assert_uint_eq(sum[2].objects, 13);
		ck_assert_uint_eq(sum[0].shallow, sum[1].shallow + sum[2].shallow);
	}
	/* a one-class set is that class's group */
	by_group = calloc(gr.n, sizeof(*by_group));
	ck_assert_int_eq(hs_retained_by_group(graph, gr.of_class, gr.n, gr.class_objects, by_group, &err), 0);
	ck_assert_uint_eq(sum[2].retained, by_group[node_g].retained);
	ck_assert_uint_eq(sum[1].retained, by_group[pair_g].retained);
	free(by_group);
	free(off);
	hs_groups_release(&gr);
	teardown();
}
END_TEST

/*
 * Retained sizes by class on a graph big enough for the passes to split
 * the dominator tree's preorder between threads (150,000 objects of six
 * classes, random references, a chain 2,000 deep): with 1, 2 and 3
 * threads, each group's objects, shallow and retained bytes are those of
 * a brute force that walks up the dominator tree from every object and
 * counts it once for each group it meets on the way (itself included).
 */
START_TEST(test_graph_group_retained_threads)
{
	enum { NOBJ = 150000, CHAIN = 2000, BASE = 0x100000, NCLS = 6 };
	hw_ifield f[2] = { { S_NEXT, HW_T_OBJECT }, { S_VAL, HW_T_OBJECT } };
	uint64_t seed = 7;
	uint32_t i, t, v, ng = 0;
	hs_group_sum *got[4] = { NULL }, *bf = NULL;
	uint32_t *stamp = NULL;
	hs_error err;
	hw *w = hw_new(NULL, 8);

	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	cls(w, OBJECT, 0, S_OBJECT, 0, NULL, 0, NULL);
	for (i = 0; i < NCLS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "app/K%u", i);
		hw_string(w, 100 + i, name);
		hw_load_class(w, 2 + i, 0x200 + 8 * i, 100 + i);
		cls(w, 0x200 + 8 * i, OBJECT, 100 + i, 2, f, 0, NULL);
	}
	hw_string(w, S_NEXT, "next");
	hw_string(w, S_VAL, "val");
	for (i = 0; i < NOBJ; i++) {
		hw_buf b;
		uint64_t next, val;
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		next = i + 1 < CHAIN ? i + 1 : (seed >> 33) % NOBJ;
		val = (seed >> 13) % (NOBJ + NOBJ / 4);   /* a fifth null */
		hw_buf_init(&b, 8);
		hw_buf_id(&b, BASE + 16 * next);
		hw_buf_id(&b, val < NOBJ ? BASE + 16 * val : 0);
		hw_instance(w, BASE + 16 * (uint64_t)i, 0x200 + 8 * ((seed >> 40) % NCLS), b.p, (uint32_t)b.len);
		hw_buf_free(&b);
	}
	for (i = 0; i < 40; i++)
		hw_root_jni_global(w, BASE + 16 * (uint64_t)(i * 3677 % NOBJ), 1 + i);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	snprintf(path, sizeof(path), "%s/heapscan-check-graph-%ld.hprof", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	ck_assert_int_eq(hw_write_file(w, path), 0);
	hw_free(w);
	for (t = 1; t <= 3; t++) {
		hs_open_opts o;
		hs_groups gr;
		memset(&o, 0, sizeof(o));
		o.build_ids = 1;
		o.threads = t;
		ck_assert_msg(hs_dump_open(&dump, path, &o, &err) == 0, "open: %s", err.msg);
		ck_assert_msg(hs_graph_build(&graph, dump, NULL, &err) == 0, "graph: %s", err.msg);
		ck_assert_int_eq(hs_groups_make(&gr, dump, graph, HS_GROUP_CLASS, &err), 0);
		ng = gr.n;
		got[t] = calloc(ng + 1, sizeof(hs_group_sum));
		ck_assert_ptr_nonnull(got[t]);
		ck_assert_int_eq(hs_retained_by_group(graph, gr.of_class, gr.n, gr.class_objects, got[t], &err), 0);
		if (t == 1) {   /* the brute force */
			bf = calloc(ng + 1, sizeof(hs_group_sum));
			stamp = malloc(sizeof(uint32_t) * (ng + 1));
			ck_assert_ptr_nonnull(bf);
			ck_assert_ptr_nonnull(stamp);
			memset(stamp, 0, sizeof(uint32_t) * (ng + 1));
			for (v = 1; v < hs_graph_nodes(graph); v++) {
				uint32_t a = v, k;
				uint64_t sh = hs_graph_shallow(graph, v);
				if (!hs_graph_reachable(graph, v))
					continue;
				if ((k = hs_group_of(graph, gr.of_class, gr.class_objects, v)) != HS_NONE) {
					bf[k].objects++;
					bf[k].shallow += sh;
				}
				while (a != 0 && a != HS_NONE) {
					k = hs_group_of(graph, gr.of_class, gr.class_objects, a);
					if (k != HS_NONE && stamp[k] != v) {
						stamp[k] = v;
						bf[k].retained += sh;
					}
					a = hs_graph_idom(graph, a);
				}
			}
		}
		hs_groups_release(&gr);
		hs_graph_free(graph);
		hs_dump_free(dump);
		graph = NULL;
		dump = NULL;
	}
	for (t = 1; t <= 3; t++)
		for (i = 0; i < ng; i++) {
			ck_assert_uint_eq(got[t][i].objects, bf[i].objects);
			ck_assert_uint_eq(got[t][i].shallow, bf[i].shallow);
			ck_assert_msg(got[t][i].retained == bf[i].retained, "%u threads, group %u: %llu retained, not %llu",
				      t, i, (unsigned long long)got[t][i].retained, (unsigned long long)bf[i].retained);
		}
	/* the six classes hold nearly all: no group left empty by mistake */
	for (i = 0, v = 0; i < ng; i++)
		v += bf[i].objects > 1000;
	ck_assert_uint_eq(v, NCLS);
	for (t = 1; t <= 3; t++)
		free(got[t]);
	free(bf);
	free(stamp);
	unlink(path);
}
END_TEST

/* The id map against a sorted array: rank and select agree with the
 * brute force on ids spread over dense runs, sparse singles and far
 * regions (chunks with empty words between them), at 8-byte and 1-byte
 * alignment. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void idmap_check(int odd)
{
	enum { N = 100000 };
	uint64_t *ids = malloc(sizeof(uint64_t) * N), seed = 12345, x;
	uint32_t i, n = 0;
	hs_idmap m;
	ck_assert_ptr_nonnull(ids);
	hs_idmap_init(&m);
	x = 0x7f0000000ull;
	while (n < N) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		switch ((seed >> 33) % 4) {
		case 0: x += 8; break;                            /* dense */
		case 1: x += 8 * (1 + (seed >> 40) % 5000); break;   /* gaps */
		case 2: x += 8 * (1 + (seed >> 40) % 64); break;
		default: if ((seed >> 50) % 100 == 0) x += 1ull << 32; else x += 16; /* far region */
		}
		ids[n] = x + (odd && n % 1000 == 7 ? 3 : 0);
		n++;
	}
	for (i = 0; i < N; i++)   /* in another order than the ids' */
		ck_assert_int_eq(hs_idmap_add(&m, ids[(uint64_t)i * 7919 % N]), 0);
	ck_assert_int_eq(hs_idmap_add(&m, ids[5]), 0);   /* a duplicate */
	ck_assert_int_eq(hs_idmap_seal(&m), 0);
	qsort(ids, N, sizeof(uint64_t), cmp_u64);
	ck_assert_uint_eq(m.count, N);
	ck_assert_uint_eq(m.dups, 1);
	for (i = 0; i < N; i++) {   /* one assertion per kind: cheap under sanitizers */
		if (hs_idmap_rank(&m, ids[i]) != i)
			ck_abort_msg("rank of 0x%llx: %u, expected %u", (unsigned long long)ids[i],
				     hs_idmap_rank(&m, ids[i]), i);
		if (hs_idmap_select(&m, i) != ids[i])
			ck_abort_msg("select %u: 0x%llx, expected 0x%llx", i,
				     (unsigned long long)hs_idmap_select(&m, i), (unsigned long long)ids[i]);
	}
	ck_assert_uint_eq(hs_idmap_rank(&m, ids[0] - 8), HS_IDMAP_NONE);
	ck_assert_uint_eq(hs_idmap_select(&m, N), 0);
	hs_idmap_release(&m);
	free(ids);
}

START_TEST(test_graph_idmap_rank_select)
{
	idmap_check(0);
	idmap_check(1);
}
END_TEST

/*
 * References to ids the dump does not hold: counted as dangling, never
 * stored, and the neighbours of each dropped slot keep their place (the
 * pass that counts references reserves a slot for every nonzero one; the
 * pass that fills them finds the missing ones).  Own dump, by hand:
 *   P{left M1, right Q} and Q->M2, both P and OA JNI globals,
 *   OA Object[6] {M1, Q, M3, null, P, K}, K->Q, and a JNI global to M4.
 * Dangling: M1 (P), M2 (Q), M1 and M3 (OA) = 4; the root to M4 is not a
 * reference of an object.  idom(Q) is the root (P and OA both reach it).
 */
START_TEST(test_graph_dangling)
{
	enum { P = 0x20000, Q = 0x20100, K = 0x20200, OA2 = 0x20300,
	       M1 = 0x90000, M2 = 0x90100, M3 = 0x90200, M4 = 0x90300 };
	static const char *names[] = { NULL, "java/lang/Object", "Node", "Pair", "[Ljava/lang/Object;",
		"next", "val", "left", "right" };
	hw_ifield nf[2] = { { 5, HW_T_OBJECT }, { 6, HW_T_INT } };
	hw_ifield pf[2] = { { 7, HW_T_OBJECT }, { 8, HW_T_OBJECT } };
	uint64_t elems[6] = { M1, Q, M3, 0, P, K };
	hw *w = hw_new(NULL, 8);
	const uint32_t *out;
	uint32_t n, v, c, i, seen_q = 0, seen_p = 0, seen_k = 0;
	uint64_t sum = 0;
	unsigned k;

	for (k = 1; k < sizeof(names) / sizeof(names[0]); k++)
		hw_string(w, k, names[k]);
	hw_load_class(w, 1, OBJECT, 1);
	hw_load_class(w, 2, NODE, 2);
	hw_load_class(w, 3, PAIR, 3);
	hw_load_class(w, 4, OBJARR, 4);
	cls(w, OBJECT, 0, 1, 0, NULL, 0, NULL);
	cls(w, NODE, OBJECT, 2, 2, nf, 0, NULL);
	cls(w, PAIR, OBJECT, 3, 2, pf, 0, NULL);
	cls(w, OBJARR, OBJECT, 4, 0, NULL, 0, NULL);
	hw_root_sticky_class(w, OBJECT);
	hw_root_sticky_class(w, NODE);
	hw_root_sticky_class(w, PAIR);
	hw_root_sticky_class(w, OBJARR);
	pair(w, P, M1, Q);
	node(w, Q, M2);
	hw_obj_array(w, OA2, OBJARR, 6, elems);
	node(w, K, Q);
	hw_root_jni_global(w, P, 0x77);
	hw_root_jni_global(w, OA2, 0x78);
	hw_root_jni_global(w, M4, 0x79);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	open_written(w);

	ck_assert_uint_eq(hs_graph_get_stats(graph)->dangling, 4);
	out = hs_graph_out(graph, N(P), &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(out[0], N(Q));
	hs_graph_out(graph, N(Q), &n);
	ck_assert_uint_eq(n, 0);
	out = hs_graph_out(graph, N(OA2), &n);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++) {
		seen_q += out[i] == N(Q);
		seen_p += out[i] == N(P);
		seen_k += out[i] == N(K);
	}
	ck_assert_uint_eq(seen_q + seen_p + seen_k, 3);
	ck_assert_uint_eq(seen_q * seen_p * seen_k, 1);
	out = hs_graph_out(graph, N(K), &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(out[0], N(Q));
	/* the stored references and those to classes are all there is */
	for (v = 0; v < hs_graph_nodes(graph); v++) {
		hs_graph_out(graph, v, &c);
		sum += c + (hs_graph_class_ref(graph, v) != 0);
	}
	ck_assert_uint_eq(hs_graph_get_stats(graph)->edges, sum);
	ck_assert_uint_eq(hs_graph_idom(graph, N(Q)), 0);
	ck_assert_uint_eq(hs_graph_idom(graph, N(K)), N(OA2));
	ck_assert_uint_eq(hs_graph_retained(graph, N(OA2)),
			  hs_graph_shallow(graph, N(OA2)) + hs_graph_shallow(graph, N(K)));
	ck_assert_uint_eq(hs_graph_retained(graph, N(P)), hs_graph_shallow(graph, N(P)));
	teardown();
}
END_TEST


static Suite *suite(void)
{
	Suite *s = suite_create("graph");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_graph_dominators, 0, 2);  /* one record / 37-byte segments */
	tcase_add_test(tc, test_graph_exclude_weak);
	tcase_add_test(tc, test_graph_idmap_rank_select);
	tcase_add_test(tc, test_graph_keep_unreachable);
	tcase_add_test(tc, test_graph_edges);
	tcase_add_test(tc, test_graph_dangling);
	tcase_add_test(tc, test_graph_paths);
	tcase_add_test(tc, test_graph_referrers);
	tcase_add_test(tc, test_graph_group_retained);
	tcase_add_test(tc, test_graph_set_retained);
	tcase_add_test(tc, test_graph_group_retained_threads);
	suite_add_tcase(s, tc);
	/* well under a second; 20 s means a quadratic step is back */
	tc = tcase_create("limits");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_graph_referrers_many);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
