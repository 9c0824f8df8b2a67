/*
 * check_suspects.c - leak suspects (src/analysis/suspects.c) on a small
 * synthetic dump whose answer is known by construction:
 *
 *   Cache (a JNI global) -> int[100000]          about two thirds of the heap
 *   Small_0 .. Small_9 (JNI globals) -> int[5000] each, about 3% each and
 *                                       a third together
 *
 * With the usual 10% threshold the Cache is a single-object suspect and
 * the Smalls a class suspect (none of them alone is above it); the
 * expected retained sizes are sums of the shallow sizes of those objects,
 * added up here, not taken from the suspects.  The names, counts and
 * order follow from the same construction.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/suspects.h"
#include "hprof_writer.h"
#include "unit.h"

enum { OBJECT = 0x100, CLASS = 0x108, CACHE = 0x110, SMALL = 0x118, INTARR = 0x120,
       CACHE_OBJ = 0x1000, BIG = 0x1100, SMALL_OBJ = 0x2000, SMALL_ARR = 0x3000 };
enum { S_OBJECT = 1, S_CLASS, S_CACHE, S_SMALL, S_INTARR, S_DATA };
#define NSMALL 10

static char path[256];
static hs_dump *dump;
static hs_graph *graph;

static void cls(hw *w, uint64_t id, uint64_t super, int nf, const hw_ifield *f)
{
	hw_class_spec c;
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.super_id = super;
	c.nfields = (uint16_t)nf;
	c.fields = f;
	hw_class_dump(w, &c);
}

static void holder(hw *w, uint64_t id, uint64_t cl, uint64_t data)
{
	hw_buf b;
	hw_buf_init(&b, 8);
	hw_buf_id(&b, data);
	hw_instance(w, id, cl, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
}

static void setup(void)
{
	static const char *names[] = { NULL, "java/lang/Object", "java/lang/Class", "app/Cache", "app/Small",
		"[I", "data" };
	hw_ifield df[1] = { { S_DATA, HW_T_OBJECT } };
	uint64_t classes[] = { OBJECT, CLASS, CACHE, SMALL, INTARR };
	hw *w = hw_new(NULL, 8);
	unsigned i;

	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		hw_string(w, i, names[i]);
	for (i = 0; i < 5; i++)
		hw_load_class(w, i + 1, classes[i], S_OBJECT + i);
	cls(w, OBJECT, 0, 0, NULL);
	cls(w, CLASS, OBJECT, 0, NULL);
	cls(w, CACHE, OBJECT, 1, df);
	cls(w, SMALL, OBJECT, 1, df);
	cls(w, INTARR, OBJECT, 0, NULL);
	for (i = 0; i < 5; i++)
		hw_root_sticky_class(w, classes[i]);
	holder(w, CACHE_OBJ, CACHE, BIG);
	hw_prim_array(w, BIG, HW_T_INT, 100000);
	hw_root_jni_global(w, CACHE_OBJ, 0x70);
	for (i = 0; i < NSMALL; i++) {
		holder(w, SMALL_OBJ + 0x10 * i, SMALL, SMALL_ARR + 0x10 * i);
		hw_prim_array(w, SMALL_ARR + 0x10 * i, HW_T_INT, 5000);
		hw_root_jni_global(w, SMALL_OBJ + 0x10 * i, 0x80 + i);
	}
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	tu_open(w, "suspects", path, sizeof(path), &dump, &graph);
}

static void teardown(void)
{
	tu_close(&dump, &graph, path);
}

static uint64_t shallow(uint64_t id)
{
	uint32_t n = hs_graph_node(graph, id);
	ck_assert_msg(n != 0, "no node for 0x%llx", (unsigned long long)id);
	return hs_graph_shallow(graph, n);
}

/* What the Cache and the Smalls retain, from the construction. */
static void expected(uint64_t *cache, uint64_t *smalls)
{
	unsigned i;
	*cache = shallow(CACHE_OBJ) + shallow(BIG);
	*smalls = 0;
	for (i = 0; i < NSMALL; i++)
		*smalls += shallow(SMALL_OBJ + 0x10 * i) + shallow(SMALL_ARR + 0x10 * i);
}

START_TEST(test_suspects_object_and_class)
{
	hs_suspect_opts so = { 10, 1000 };
	hs_suspects sus;
	hs_error err;
	uint64_t cache, smalls, reachable = hs_graph_get_stats(graph)->reachable_bytes;
	expected(&cache, &smalls);
	/* the construction's premise: the Cache above 10%, each Small below,
	 * the Smalls together above */
	ck_assert_uint_gt(cache * 10, reachable);
	ck_assert_uint_lt(smalls / NSMALL * 10, reachable);
	ck_assert_uint_gt(smalls * 10, reachable);

	ck_assert_msg(hs_suspects_find(&sus, graph, &so, &err) == 0, "suspects: %s", err.msg);
	ck_assert_uint_eq(sus.reachable, reachable);
	ck_assert_uint_eq(sus.n, 2);
	/* biggest first: the Cache, on its own */
	ck_assert_int_eq(sus.items[0].kind, HS_SUSPECT_OBJECT);
	ck_assert_uint_eq(sus.items[0].node, hs_graph_node(graph, CACHE_OBJ));
	ck_assert_str_eq(sus.items[0].class_name, "app.Cache");
	ck_assert_uint_eq(sus.items[0].retained, cache);
	ck_assert(sus.items[0].pct > 100.0 * (double)cache / (double)reachable - 0.01 &&
		  sus.items[0].pct < 100.0 * (double)cache / (double)reachable + 0.01);
	/* it accumulates in its array */
	ck_assert_uint_eq(sus.items[0].accum, hs_graph_node(graph, BIG));
	/* then the ten Smalls together */
	ck_assert_int_eq(sus.items[1].kind, HS_SUSPECT_CLASS);
	ck_assert_str_eq(sus.items[1].class_name, "app.Small");
	ck_assert_uint_eq(sus.items[1].members, NSMALL);
	ck_assert_uint_eq(sus.items[1].retained, smalls);
	hs_suspects_release(&sus);
}
END_TEST

START_TEST(test_suspects_threshold)
{
	/* above the Cache's share nothing is a suspect; between the Smalls'
	 * share and the Cache's, only the Cache */
	hs_suspects sus;
	hs_error err;
	uint64_t cache, smalls, reachable = hs_graph_get_stats(graph)->reachable_bytes;
	double pc, ps;
	hs_suspect_opts so = { 0, 1000 };
	expected(&cache, &smalls);
	pc = 100.0 * (double)cache / (double)reachable;
	ps = 100.0 * (double)smalls / (double)reachable;
	ck_assert(ps + 1 < pc && pc < 99);
	so.threshold_pct = pc + 1;
	ck_assert_msg(hs_suspects_find(&sus, graph, &so, &err) == 0, "suspects: %s", err.msg);
	ck_assert_uint_eq(sus.n, 0);
	hs_suspects_release(&sus);
	so.threshold_pct = ps + 1;
	ck_assert_msg(hs_suspects_find(&sus, graph, &so, &err) == 0, "suspects: %s", err.msg);
	ck_assert_uint_eq(sus.n, 1);
	ck_assert_int_eq(sus.items[0].kind, HS_SUSPECT_OBJECT);
	ck_assert_uint_eq(sus.items[0].retained, cache);
	hs_suspects_release(&sus);
}
END_TEST

START_TEST(test_suspects_name_pattern)
{
	char *p = hs_name_pattern("http-nio-8080-exec-12");
	char shown[64];
	ck_assert_str_eq(p, "http-nio-*-exec-*");
	free(p);
	p = hs_name_pattern("main");
	ck_assert_str_eq(p, "main");
	free(p);
	/* digit runs all members share stay */
	snprintf(shown, sizeof(shown), "%s", "http-nio-8080-exec-1");
	hs_name_pattern_keep(shown, "http-nio-8080-exec-2");
	ck_assert_str_eq(shown, "http-nio-8080-exec-*");
}
END_TEST

static Suite *suspects_suite(void)
{
	Suite *s = suite_create("suspects");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_suspects_object_and_class);
	tcase_add_test(tc, test_suspects_name_pattern);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_suspects_threshold);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suspects_suite());
}
