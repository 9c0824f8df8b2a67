/*
 * check_scan.c - what hs_dump_open() (src/graph/scan.c) makes of records
 * that contradict each other, and that they cost no more than the records
 * themselves (issue 14): repeated GC roots and roots with id 0, objects of
 * class ids no record describes, superclass loops, object ids used twice.
 *
 * Each dump is written with tests/support/hprof_writer; every expectation
 * is a count or size worked out by hand from the records written.  The
 * memory bounds are asserted as the sizes of what the dump keeps (roots,
 * classes), which are what grew with the records before.
 *
 * The "two threads" test cases run the same tests with threads = 2, where
 * the scan hands the object records to a second thread (scan.c): the
 * counts must be the same.  test_scan_threads_same compares a scan by one
 * and by two threads of a dump that interleaves class dumps with the
 * objects that name them, thousands of times.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "hprof_writer.h"
#include "unit.h"

static char path[256];
static unsigned threads;   /* hs_open_opts.threads of open_dump() */

enum { S_OBJECT = 1, S_NODE, S_NEXT, S_LATE, S_A, S_B, S_C, S_D, S_F };
enum { OBJECT = 0x1000, NODE = 0x1008, LATE = 0x1010, UNDESCRIBED = 0x1018 };

static void setup(void)
{
	threads = 0;
	snprintf(path, sizeof(path), "%s/heapscan-check-scan-%ld.hprof",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
}

static void setup_two(void)
{
	setup();
	threads = 2;
}

static void teardown(void)
{
	unlink(path);
}

static hs_dump *open_dump(hw *w, int build_ids)
{
	hs_open_opts o;
	hs_error err;
	hs_dump *d = NULL;
	ck_assert_int_eq(hw_write_file(w, path), 0);
	hw_free(w);
	memset(&o, 0, sizeof(o));
	o.build_ids = build_ids;
	o.threads = threads;
	ck_assert_msg(hs_dump_open(&d, path, &o, &err) == 0, "open: %s", err.msg);
	ck_assert_uint_eq(hs_dump_get_info(d)->scan_threads, threads >= 2 ? 2 : 1);
	return d;
}

static hs_graph *build(hs_dump *d)
{
	hs_graph *g = NULL;
	hs_error err;
	ck_assert_msg(hs_graph_build(&g, d, NULL, &err) == 0, "graph: %s", err.msg);
	return g;
}

/* java.lang.Object and Node { Node next } */
static void classes(hw *w)
{
	hw_ifield f[1] = { { S_NEXT, HW_T_OBJECT } };
	hw_class_spec c;
	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NODE, "Node");
	hw_string(w, S_NEXT, "next");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	hw_load_class(w, 2, NODE, S_NODE);
	memset(&c, 0, sizeof(c));
	c.id = OBJECT;
	hw_class_dump(w, &c);
	c.id = NODE;
	c.super_id = OBJECT;
	c.nfields = 1;
	c.fields = f;
	hw_class_dump(w, &c);
}

static void node(hw *w, uint64_t id, uint64_t next)
{
	hw_buf b;
	hw_buf_init(&b, hw_idsize(w));
	hw_buf_id(&b, next);
	hw_instance(w, id, NODE, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
}

static uint32_t class_named(const hs_dump *d, const char *name)
{
	uint32_t ci = hs_dump_class_by_name(d, name);
	ck_assert_msg(ci != HS_NONE, "no class %s", name);
	return ci;
}

/* ---- GC roots ---------------------------------------------------------- */

/*
 * Roots in this order: JNI global 0x2000 (then n more, with other JNI
 * reference ids), n with id 0, sticky class Node twice, Java locals 0x2010
 * in thread 1: frame 0 three times, frame 1 once; the thread object 0x2020
 * of serial 1 twice (another trace serial the second time).  Kept: 5.
 */
START_TEST(test_scan_duplicate_roots)
{
	uint32_t n = 100000, i, nt;
	uint64_t nroots;
	const hs_root *r;
	const hs_dump_info *in;
	hs_dump *d;
	hw *w = hw_new(NULL, 8);

	classes(w);
	node(w, 0x2000, 0);
	node(w, 0x2010, 0);
	node(w, 0x2020, 0);
	hw_root_jni_global(w, 0x2000, 0x1);
	for (i = 0; i < n; i++)
		hw_root_jni_global(w, 0x2000, 0x100 + i);
	for (i = 0; i < n; i++)
		hw_root_unknown(w, 0);
	hw_root_sticky_class(w, NODE);
	hw_root_sticky_class(w, NODE);
	for (i = 0; i < 3; i++)
		hw_root_java_frame(w, 0x2010, 1, 0);
	hw_root_java_frame(w, 0x2010, 1, 1);
	hw_root_thread_object(w, 0x2020, 1, 5);
	hw_root_thread_object(w, 0x2020, 1, 6);
	hw_heap_dump_flush(w, 4096);
	d = open_dump(w, 0);

	in = hs_dump_get_info(d);
	ck_assert_uint_eq(in->roots, 5);
	ck_assert_uint_eq(in->roots_duplicate, n + 1 + 2 + 1);
	ck_assert_uint_eq(in->roots_null, n);
	ck_assert_uint_eq(in->roots_by_kind[HS_SUB_ROOT_JNI_GLOBAL], 1);
	ck_assert_uint_eq(in->roots_by_kind[HS_SUB_ROOT_STICKY_CLASS], 1);
	ck_assert_uint_eq(in->roots_by_kind[HS_SUB_ROOT_JAVA_FRAME], 2);
	ck_assert_uint_eq(in->roots_by_kind[HS_SUB_ROOT_THREAD_OBJECT], 1);
	ck_assert_uint_eq(in->roots_by_kind[HS_SUB_ROOT_UNKNOWN], 0);
	ck_assert_uint_eq(in->threads, 1);
	/* what the dump keeps: the first of each, in dump order */
	r = hs_dump_roots(d, &nroots);
	ck_assert_uint_eq(nroots, 5);
	ck_assert_uint_eq(r[0].kind, HS_SUB_ROOT_JNI_GLOBAL);
	ck_assert_uint_eq(r[0].extra_id, 0x1);
	ck_assert_uint_eq(r[1].kind, HS_SUB_ROOT_STICKY_CLASS);
	ck_assert_uint_eq(r[2].frame, 0);
	ck_assert_uint_eq(r[3].frame, 1);
	ck_assert_uint_eq(r[4].kind, HS_SUB_ROOT_THREAD_OBJECT);
	ck_assert_uint_eq(r[4].frame, 5);
	hs_dump_threads(d, &nt);
	ck_assert_uint_eq(nt, 1);
	hs_dump_free(d);
}
END_TEST

/* Distinct roots are all kept, in order, however many (the hash set
 * grows). */
START_TEST(test_scan_distinct_roots)
{
	uint32_t n = 200000, i;
	uint64_t nroots;
	const hs_root *r;
	hs_dump *d;
	hw *w = hw_new(NULL, 8);

	classes(w);
	for (i = 0; i < n; i++)
		hw_root_jni_global(w, 0x100000 + 8 * (uint64_t)i, 1);
	for (i = 0; i < n; i++)
		hw_root_monitor_used(w, 0x100000 + 8 * (uint64_t)i);
	for (i = 0; i < n; i++)
		hw_root_jni_global(w, 0x100000 + 8 * (uint64_t)i, 2);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	d = open_dump(w, 0);
	r = hs_dump_roots(d, &nroots);
	ck_assert_uint_eq(nroots, 2 * n);
	ck_assert_uint_eq(hs_dump_get_info(d)->roots_duplicate, n);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(r[i].id, 0x100000 + 8 * (uint64_t)i);
		ck_assert_uint_eq(r[n + i].kind, HS_SUB_ROOT_MONITOR_USED);
	}
	hs_dump_free(d);
}
END_TEST

/* ---- unknown classes --------------------------------------------------- */

/*
 * 4-byte ids: Object, Known (named, dumped), Late (named by LOAD_CLASS,
 * dumped after its instance), and 0x1018 (dumped after its instance,
 * never named).  n instances and n object arrays of class ids nothing
 * describes, two more instances of the first of them.  Every object is a
 * root.
 */
START_TEST(test_scan_unknown_classes)
{
	uint32_t n = 50000, i, ci, ca, v;
	uint64_t id = 0x100000, known_n = 0, unk = 0, unk_arr = 0;
	const hs_dump_info *in;
	const hs_class *k;
	hw_class_spec c;
	hs_dump *d;
	hs_graph *g;
	hw_buf b;
	hw *w = hw_new(NULL, 4);

	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NODE, "Known");
	hw_string(w, S_LATE, "Late");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	hw_load_class(w, 2, NODE, S_NODE);
	hw_load_class(w, 3, LATE, S_LATE);
	memset(&c, 0, sizeof(c));
	c.id = OBJECT;
	hw_class_dump(w, &c);
	c.id = NODE;
	c.super_id = OBJECT;
	hw_class_dump(w, &c);
	hw_buf_init(&b, 4);
	hw_buf_u4(&b, 7);
	for (i = 0; i < n; i++) {
		hw_instance(w, id, 0x40000000 + 8 * (uint64_t)i, b.p, 4);
		hw_root_unknown(w, id);
		id += 16;
		hw_obj_array(w, id, 0x50000000 + 8 * (uint64_t)i, 0, NULL);
		hw_root_unknown(w, id);
		id += 16;
	}
	for (i = 0; i < 2; i++) {
		hw_instance(w, id, 0x40000000, b.p, 4);
		hw_root_unknown(w, id);
		id += 16;
	}
	hw_instance(w, id, NODE, b.p, 0);
	hw_root_unknown(w, id);
	id += 16;
	hw_instance(w, id, LATE, b.p, 4);
	hw_root_unknown(w, id);
	id += 16;
	hw_instance(w, id, UNDESCRIBED, b.p, 4);
	hw_root_unknown(w, id);
	c.id = LATE;
	hw_class_dump(w, &c);
	c.id = UNDESCRIBED;
	hw_class_dump(w, &c);
	hw_buf_free(&b);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	d = open_dump(w, 1);

	/* six classes, not one per class id */
	ck_assert_uint_eq(hs_dump_class_count(d), 6);
	in = hs_dump_get_info(d);
	ck_assert_uint_eq(in->unknown_class_ids, 2 * n + 1);
	ck_assert_uint_eq(in->unknown_class_objects, 2 * n + 3);
	ck_assert_uint_eq(in->instances, n + 5);
	ck_assert_uint_eq(in->obj_arrays, n);
	ci = class_named(d, "<unknown class>");
	ca = class_named(d, "<unknown class>[]");
	k = hs_dump_class(d, ci);
	ck_assert_uint_eq(k->instances, n + 3);
	ck_assert_uint_eq(k->kind, HS_CLASS_INSTANCE);
	ck_assert_uint_eq(k->inst_size, 8);     /* 32-bit: the header alone */
	ck_assert_uint_eq(k->shallow, 8ull * (n + 3));
	k = hs_dump_class(d, ca);
	ck_assert_uint_eq(k->instances, n);
	ck_assert_uint_eq(k->kind, HS_CLASS_OBJ_ARRAY);
	ck_assert_uint_eq(k->shallow, 16ull * n);
	ck_assert_uint_eq(hs_dump_class(d, class_named(d, "Late"))->instances, 1);
	/* described too late: a class with no instances */
	ck_assert_uint_eq(hs_dump_class(d, hs_dump_class_by_id(d, UNDESCRIBED))->instances, 0);
	ck_assert_uint_eq(hs_dump_class_by_id(d, 0x40000000), HS_NONE);

	/* the graph puts each object under the same class */
	g = build(d);
	for (v = 1; v < hs_graph_nodes(g); v++) {
		uint32_t c2 = hs_graph_class(g, v);
		if (c2 == ci) {
			unk++;
			ck_assert_uint_eq(hs_graph_shallow(g, v), 8);
		} else if (c2 == ca) {
			unk_arr++;
			ck_assert_uint_eq(hs_graph_shallow(g, v), 16);
		} else if (c2 == hs_dump_class_by_id(d, NODE)) {
			known_n++;
		}
	}
	ck_assert_uint_eq(unk, n + 3);
	ck_assert_uint_eq(unk_arr, n);
	ck_assert_uint_eq(known_n, 1);
	/* and the four class objects, roots as the bootstrap loader's */
	ck_assert_uint_eq(hs_graph_get_stats(g)->reachable, 2 * n + 5 + 4);
	hs_graph_free(g);
	hs_dump_free(d);
}
END_TEST

/* ---- superclass loops ---------------------------------------------------- */

/* A { int } extends B { long } extends A; C { Object } extends A;
 * D { short } extends D.  One instance of each; C's refers to A's. */
START_TEST(test_scan_super_loop)
{
	static const struct { uint64_t name, id, super; uint8_t type; unsigned bytes; } k[] = {
		{ S_A, 0x1100, 0x1108, HW_T_INT, 12 }, { S_B, 0x1108, 0x1100, HW_T_LONG, 12 },
		{ S_C, 0x1110, 0x1100, HW_T_OBJECT, 20 }, { S_D, 0x1118, 0x1118, HW_T_SHORT, 2 } };
	unsigned char data[20] = { 0, 0, 0, 0, 0, 0, 0x20, 0 };   /* C.f = 0x2000 */
	uint32_t a, b, c, dd, cnt;
	hs_dump *d;
	hs_graph *g;
	hw *w = hw_new(NULL, 8);
	unsigned i;

	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_A, "A");
	hw_string(w, S_B, "B");
	hw_string(w, S_C, "C");
	hw_string(w, S_D, "D");
	hw_string(w, S_F, "f");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	for (i = 0; i < 4; i++) {
		hw_ifield f = { S_F, k[i].type };
		hw_class_spec cs;
		hw_load_class(w, 2 + i, k[i].id, k[i].name);
		memset(&cs, 0, sizeof(cs));
		cs.id = k[i].id;
		cs.super_id = k[i].super;
		cs.nfields = 1;
		cs.fields = &f;
		hw_class_dump(w, &cs);
	}
	for (i = 0; i < 4; i++) {
		hw_instance(w, 0x2000 + 0x100 * i, k[i].id, data, k[i].bytes);
		hw_root_unknown(w, 0x2000 + 0x100 * i);
	}
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	d = open_dump(w, 1);

	a = hs_dump_class_by_id(d, 0x1100);
	b = hs_dump_class_by_id(d, 0x1108);
	c = hs_dump_class_by_id(d, 0x1110);
	dd = hs_dump_class_by_id(d, 0x1118);
	/* A's chain reached B, whose superclass A had been seen: B's link is
	 * the one dropped; D's own */
	ck_assert_uint_eq(hs_dump_get_info(d)->super_loops, 2);
	ck_assert_uint_eq(hs_dump_get_info(d)->super_loop_class, 0x1108);
	ck_assert_uint_eq(hs_dump_class(d, a)->super, b);
	ck_assert_uint_eq(hs_dump_class(d, b)->super, HS_NONE);
	ck_assert_uint_eq(hs_dump_class(d, c)->super, a);
	ck_assert_uint_eq(hs_dump_class(d, dd)->super, HS_NONE);
	/* each class's fields once */
	ck_assert_uint_eq(hs_dump_class(d, a)->dump_size, 12);
	ck_assert_uint_eq(hs_dump_class(d, b)->dump_size, 8);
	ck_assert_uint_eq(hs_dump_class(d, c)->dump_size, 20);
	ck_assert_uint_eq(hs_dump_class(d, dd)->dump_size, 2);
	/* no neighbour evidence: the largest layout, 16-byte header, classic */
	ck_assert_uint_eq(hs_dump_get_info(d)->layout.header, 16);
	ck_assert_uint_eq(hs_dump_class(d, a)->inst_size, 32);   /* 16 + 8 + 4 */
	ck_assert_uint_eq(hs_dump_class(d, b)->inst_size, 24);
	ck_assert_uint_eq(hs_dump_class(d, c)->inst_size, 40);   /* 28 -> 32 + 8 */
	ck_assert_uint_eq(hs_dump_class(d, dd)->inst_size, 24);
	/* and the graph reads each field once: C's instance refers to A's
	 * instance, and to its class (by its class index) */
	g = build(d);
	hs_graph_out(g, hs_graph_node(g, 0x2200), &cnt);
	ck_assert_uint_eq(cnt, 1);
	ck_assert_uint_eq(hs_graph_class_ref(g, hs_graph_node(g, 0x2200)), hs_graph_node(g, 0x1110));
	hs_graph_free(g);
	hs_dump_free(d);
}
END_TEST

/* ---- duplicate object ids ------------------------------------------------ */

/*
 * Node 0x2000 -> 0x2010, Node 0x2010, byte[100] 0x2040, Object[] 0x2050
 * {0x2000}; then records whose ids are taken: Node 0x2000 -> 0x2030,
 * byte[5000] 0x2040, an object array 0x2010 {0x2030} and a Node at the id
 * of class Node; a Node at 0x3000, then the CLASS_DUMP of Late with that
 * id; a second CLASS_DUMP of Node.  Node 0x2030 is written last, and only
 * the left-out records refer to it.
 */
static hw *dup_dump(void)
{
	hw *w = hw_new(NULL, 8);
	hw_class_spec c;
	uint64_t e1[1] = { 0x2000 }, e2[1] = { 0x2030 };
	classes(w);
	hw_string(w, S_LATE, "Late");
	hw_load_class(w, 3, 0x3000, S_LATE);
	hw_root_sticky_class(w, NODE);
	node(w, 0x2000, 0x2010);
	node(w, 0x2010, 0);
	hw_prim_array(w, 0x2040, HW_T_BYTE, 100);
	hw_obj_array(w, 0x2050, 0x1020, 1, e1);
	hw_root_jni_global(w, 0x2050, 1);
	hw_root_jni_global(w, 0x2040, 2);
	node(w, 0x2000, 0x2030);
	hw_prim_array(w, 0x2040, HW_T_BYTE, 5000);
	hw_obj_array(w, 0x2010, 0x1020, 1, e2);
	node(w, NODE, 0x2030);
	node(w, 0x3000, 0);
	hw_root_jni_global(w, 0x3000, 3);
	memset(&c, 0, sizeof(c));
	c.id = 0x3000;
	c.super_id = OBJECT;
	hw_class_dump(w, &c);
	c.id = NODE;
	hw_class_dump(w, &c);
	node(w, 0x2030, 0);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	return w;
}

START_TEST(test_scan_duplicate_ids)
{
	const hs_dump_info *in;
	uint32_t node_ci, byte_ci, late_ci, cnt;
	const uint32_t *out;
	hs_dump *d = open_dump(dup_dump(), 1);
	hs_graph *g;

	in = hs_dump_get_info(d);
	/* four objects, Late's class object and Node's second CLASS_DUMP */
	ck_assert_uint_eq(in->duplicate_ids, 6);
	ck_assert_uint_eq(in->duplicate_id_first, 0x2000);
	ck_assert_uint_eq(in->instances, 4);
	ck_assert_uint_eq(in->prim_arrays, 1);
	ck_assert_uint_eq(in->obj_arrays, 1);
	node_ci = hs_dump_class_by_id(d, NODE);
	byte_ci = hs_dump_prim_array_class(d, HS_T_BYTE);
	late_ci = hs_dump_class_by_id(d, 0x3000);
	ck_assert_uint_eq(hs_dump_class(d, node_ci)->instances, 4);
	ck_assert_uint_eq(hs_dump_class(d, byte_ci)->instances, 1);
	/* Late is described, but 0x3000 is a Node: no class object for it,
	 * two java.lang.Class objects in all (Object's, Node's) */
	ck_assert_int_eq(hs_dump_class(d, late_ci)->has_dump, 1);
	ck_assert_uint_eq(in->class_shallow_total,
			  hs_dump_class(d, hs_dump_class_by_id(d, OBJECT))->mirror_size +
			  hs_dump_class(d, node_ci)->mirror_size);

	g = build(d);
	/* 0x1000 0x1008 0x2000 0x2010 0x2030 0x2040 0x2050 0x3000 */
	ck_assert_uint_eq(hs_graph_nodes(g), 9);
	ck_assert_uint_eq(hs_graph_class(g, hs_graph_node(g, 0x2000)), node_ci);
	ck_assert_uint_eq(hs_graph_class(g, hs_graph_node(g, 0x2010)), node_ci);
	ck_assert_uint_eq(hs_graph_class(g, hs_graph_node(g, 0x3000)), node_ci);
	ck_assert_uint_eq(hs_graph_class(g, hs_graph_node(g, NODE)), HS_CLASS_OBJECT_BIT | node_ci);
	ck_assert_uint_eq(hs_graph_shallow(g, hs_graph_node(g, 0x2040)),
			  hs_dump_array_size(d, byte_ci, 100));
	/* the first record's references only: 0x2010, and its class Node */
	out = hs_graph_out(g, hs_graph_node(g, 0x2000), &cnt);
	ck_assert_uint_eq(cnt, 1);
	ck_assert_uint_eq(out[0], hs_graph_node(g, 0x2010));
	ck_assert_uint_eq(hs_graph_class_ref(g, hs_graph_node(g, 0x2000)), hs_graph_node(g, NODE));
	ck_assert_int_eq(hs_graph_reachable(g, hs_graph_node(g, 0x2030)), 0);
	ck_assert_uint_eq(hs_graph_get_stats(g)->unreachable, 1);
	hs_graph_free(g);
	hs_dump_free(d);

	/* without the id map, only the second CLASS_DUMP is seen for one:
	 * every instance record counts */
	d = open_dump(dup_dump(), 0);
	ck_assert_uint_eq(hs_dump_get_info(d)->duplicate_ids, 1);
	ck_assert_uint_eq(hs_dump_get_info(d)->instances, 6);
	hs_dump_free(d);
}
END_TEST

/* ---- one thread or two ------------------------------------------------- */

/*
 * Classes K0..K(nk-1), each named by a LOAD_CLASS before the heap dump;
 * in it, for each class: an instance of it before its CLASS_DUMP (it
 * counts under the class, made on first sight), a Node, a byte[] of
 * i % 50, an Object[] of a class id nothing describes, then the
 * CLASS_DUMP (which the scan's thread keeps: it waits for the other),
 * with a GC root now and then; with dups, every tenth Node repeats the
 * id before it.  Then nfill more Nodes and byte[]s.  In segments of
 * 64 KiB, so that records straddle them.
 */
enum { KBASE = 0x200000, KSTR = 0x10000 };

static hw *interleaved_dump(uint32_t nk, uint32_t nfill, int dups)
{
	hw_ifield f[1] = { { S_NEXT, HW_T_OBJECT } };
	hw_class_spec c;
	uint64_t id = 0x40000000;
	uint32_t i;
	hw *w = hw_new(NULL, 8);

	classes(w);
	for (i = 0; i < nk; i++) {
		char name[32];
		snprintf(name, sizeof(name), "K%u", i);
		hw_string(w, KSTR + i, name);
		hw_load_class(w, 100 + i, KBASE + 8 * (uint64_t)i, KSTR + i);
	}
	for (i = 0; i < nk; i++) {
		hw_instance(w, id, KBASE + 8 * (uint64_t)i, "\0\0\0\0\0\0\0\0", 8);
		id += 24;
		node(w, id, id - 24);
		if (dups && i % 10 == 9)
			node(w, id, 0);   /* the same id again */
		if (i % 7 == 0)
			hw_root_unknown(w, id);
		id += 24;
		hw_prim_array(w, id, HW_T_BYTE, i % 50);
		id += 16 + (i % 50 + 7) / 8 * 8;
		hw_obj_array(w, id, 0x7000000, 0, NULL);
		id += 16;
		memset(&c, 0, sizeof(c));
		c.id = KBASE + 8 * (uint64_t)i;
		c.super_id = OBJECT;
		c.nfields = 1;
		c.fields = f;
		hw_class_dump(w, &c);
	}
	for (i = 0; i < nfill; i++) {
		node(w, id, i % 3 ? id - 24 : 0);
		id += 24;
		hw_prim_array(w, id, HW_T_BYTE, 24);
		id += 40;
	}
	hw_heap_dump_flush(w, 65536);
	return w;
}

static void same_dump(const hs_dump *a, const hs_dump *b)
{
	const hs_dump_info *x = hs_dump_get_info(a), *y = hs_dump_get_info(b);
	uint32_t i;
	ck_assert_uint_eq(x->nclasses, y->nclasses);
	ck_assert_uint_eq(x->instances, y->instances);
	ck_assert_uint_eq(x->obj_arrays, y->obj_arrays);
	ck_assert_uint_eq(x->prim_arrays, y->prim_arrays);
	ck_assert_uint_eq(x->roots, y->roots);
	ck_assert_uint_eq(x->unknown_class_ids, y->unknown_class_ids);
	ck_assert_uint_eq(x->unknown_class_objects, y->unknown_class_objects);
	ck_assert_uint_eq(x->duplicate_ids, y->duplicate_ids);
	ck_assert_uint_eq(x->duplicate_id_first, y->duplicate_id_first);
	ck_assert_uint_eq(x->shallow_total, y->shallow_total);
	ck_assert_uint_eq(x->class_shallow_total, y->class_shallow_total);
	ck_assert_uint_eq(x->layout.evidence_pairs, y->layout.evidence_pairs);
	ck_assert_str_eq(x->layout.name, y->layout.name);
	ck_assert_int_eq(memcmp(x->subrecords, y->subrecords, sizeof(x->subrecords)), 0);
	ck_assert_uint_eq(hs_dump_class_count(a), hs_dump_class_count(b));
	for (i = 0; i < hs_dump_class_count(a); i++) {
		const hs_class *k = hs_dump_class(a, i), *l = hs_dump_class(b, i);
		ck_assert_uint_eq(k->id, l->id);
		ck_assert_str_eq(k->name, l->name);
		ck_assert_uint_eq(k->instances, l->instances);
		ck_assert_uint_eq(k->kind, l->kind);
		ck_assert_uint_eq(k->inst_size, l->inst_size);
		ck_assert_uint_eq(k->super, l->super);
	}
}

static void threads_same(uint32_t nk, uint32_t nfill, int dups)
{
	hs_dump *d[2];
	hs_graph *g[2];
	uint32_t t, v;
	for (t = 0; t < 2; t++) {
		threads = t + 1;
		d[t] = open_dump(interleaved_dump(nk, nfill, dups), 1);
		g[t] = build(d[t]);
	}
	same_dump(d[0], d[1]);
	/* each K has its instance, made before its dump; the Object[]s are
	 * unknown; the duplicates left out */
	ck_assert_uint_eq(hs_dump_class(d[1], class_named(d[1], "K7"))->instances, 1);
	ck_assert_uint_eq(hs_dump_get_info(d[1])->unknown_class_objects, nk);
	ck_assert_uint_eq(hs_dump_get_info(d[1])->duplicate_ids, dups ? nk / 10 : 0);
	ck_assert_uint_eq(hs_dump_get_info(d[1])->instances, 2 * (uint64_t)nk + nfill);
	ck_assert_uint_eq(hs_graph_nodes(g[0]), hs_graph_nodes(g[1]));
	for (v = 1; v < hs_graph_nodes(g[0]); v++) {
		ck_assert_uint_eq(hs_graph_class(g[0], v), hs_graph_class(g[1], v));
		ck_assert_uint_eq(hs_graph_shallow(g[0], v), hs_graph_shallow(g[1], v));
	}
	/* without duplicates, the graph's passes were split at the scan's
	 * checkpoints, whose digests they match */
	ck_assert_uint_eq(hs_graph_get_stats(g[1])->readers, dups ? 1 : 2);
	for (t = 0; t < 2; t++) {
		hs_graph_free(g[t]);
		hs_dump_free(d[t]);
	}
}

/* More class dumps among the objects than the scan waits for: it goes on
 * in one thread part way through. */
START_TEST(test_scan_threads_same)
{
	threads_same(6000, 60000, 0);
}
END_TEST

START_TEST(test_scan_threads_same_dups)
{
	threads_same(300, 20000, 1);
}
END_TEST

/* the malformed dumps' tests, scanned as @p setup says (one thread, two) */
static void add_malformed(Suite *s, const char *name, void (*setup_fn)(void))
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup_fn, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_scan_duplicate_roots);
	tcase_add_test(tc, test_scan_unknown_classes);
	tcase_add_test(tc, test_scan_super_loop);
	tcase_add_test(tc, test_scan_duplicate_ids);
	suite_add_tcase(s, tc);
}

static Suite *suite(void)
{
	Suite *s = suite_create("scan");
	TCase *tc;
	add_malformed(s, "malformed", setup);
	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_scan_distinct_roots);
	suite_add_tcase(s, tc);
	add_malformed(s, "malformed, two threads", setup_two);
	tc = tcase_create("two threads");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_scan_threads_same);
	tcase_add_test(tc, test_scan_threads_same_dups);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
