/*
 * check_mutate.c - the structure-aware mutator of the dump fuzz target
 * (hprof_mutate.c): a dump is written back byte for byte when unchanged,
 * whatever it holds; its mutants stay well-formed and most of them get
 * past hs_dump_open() and hs_graph_build() (the share is printed, next to
 * that of random byte flips, and must stay above a floor); hm_reduce()
 * keeps what it says.  Deterministic (fixed seeds); HS_TEST_SCALE=small
 * runs fewer mutants.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "hprof_mutate.h"
#include "hprof_writer.h"

static char path[256];

/* A small dump with a bit of everything, as check_fuzz.c's. */
static hw *base_dump(unsigned idsize, size_t segments)
{
	hw *w = hw_new(NULL, idsize);
	hw_ifield f[2] = { { 3, HW_T_OBJECT }, { 4, HW_T_INT } };
	hw_static st[1] = { { 5, HW_T_OBJECT, 0x2000 } };
	hw_cpool_entry cp[1] = { { 1, HW_T_LONG, 7 } };
	hw_class_spec c;
	uint64_t el[3] = { 0x2000, 0x2010, 0 }, frame = 0x50;
	hw_buf b;
	int i;
	hw_string(w, 1, "java/lang/Object");
	hw_string(w, 2, "Node");
	hw_string(w, 3, "next");
	hw_string(w, 4, "val");
	hw_string(w, 5, "ROOT");
	hw_string(w, 6, "[Ljava/lang/Object;");
	hw_string(w, 7, "unused");
	hw_load_class(w, 1, 0x1000, 1);
	hw_load_class(w, 2, 0x1008, 2);
	hw_load_class(w, 3, 0x1010, 6);
	hw_frame(w, frame, 3, 4, 5, 2, 10);
	hw_trace(w, 1, 1, 1, &frame);
	hw_start_thread(w, 1, 0x2050, 1, 2, 0, 0);
	memset(&c, 0, sizeof(c));
	c.id = 0x1000;
	hw_class_dump(w, &c);
	c.id = 0x1008;
	c.super_id = 0x1000;
	c.nfields = 2;
	c.fields = f;
	c.nstatics = 1;
	c.statics = st;
	c.ncpool = 1;
	c.cpool = cp;
	hw_class_dump(w, &c);
	memset(&c, 0, sizeof(c));
	c.id = 0x1010;
	c.super_id = 0x1000;
	hw_class_dump(w, &c);
	hw_root_sticky_class(w, 0x1000);
	for (i = 0; i < 6; i++) {
		hw_buf_init(&b, idsize);
		hw_buf_id(&b, i < 5 ? 0x2000 + 0x10 * (i + 1) : 0);
		hw_buf_u4(&b, (uint32_t)i);
		hw_instance(w, 0x2000 + 0x10 * i, 0x1008, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
	}
	hw_obj_array(w, 0x3000, 0x1010, 3, el);
	hw_prim_array(w, 0x3100, HW_T_CHAR, 7);
	hw_root_thread_object(w, 0x2050, 1, 1);
	hw_root_java_frame(w, 0x3000, 1, 0);
	hw_root_jni_global(w, 0x3100, 1);
	hw_heap_dump_flush(w, segments);
	return w;
}

static int write_file(const unsigned char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	return 0;
}

/* 0 not opened, 1 opened, 2 graph built */
static int reach(const unsigned char *p, size_t n)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_open_opts o;
	hs_error err;
	int r = 0;
	write_file(p, n);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	if (hs_dump_open(&d, path, &o, &err) == 0) {
		r = 1;
		if (hs_graph_build(&g, d, NULL, &err) == 0)
			r = 2;
		hs_graph_free(g);
	}
	hs_dump_free(d);
	return r;
}

/* well_formed < 0: either */
static void roundtrip(const unsigned char *p, size_t n, int well_formed)
{
	hm_dump *m = hm_parse(p, n);
	unsigned char *out;
	ck_assert_ptr_nonnull(m);
	if (well_formed >= 0)
		ck_assert_int_eq(hm_well_formed(m), well_formed);
	ck_assert_uint_eq(hm_size(m), n);
	out = malloc(n + 1);
	ck_assert_ptr_nonnull(out);
	hm_write(m, out);
	ck_assert_msg(memcmp(out, p, n) == 0, "a dump of %zu bytes is not written back as it was", n);
	free(out);
	hm_free(m);
}

START_TEST(test_roundtrip)
{
	size_t segs[] = { HW_ONE_RECORD, 7, 1, 100 };
	unsigned k, id;
	for (id = 4; id <= 8; id += 4)
		for (k = 0; k < sizeof(segs) / sizeof(segs[0]); k++) {
			hw *w = base_dump(id, segs[k]);
			size_t n = hw_len(w), cut;
			roundtrip(hw_bytes(w), n, 1);
			for (cut = 0; cut < n; cut += 7)   /* cut anywhere: kept raw */
				roundtrip(hw_bytes(w), cut, cut < 31 ? 0 : cut == 31 ? 1 : -1);
			hw_free(w);
		}
	roundtrip((const unsigned char *)"not a dump", 10, 0);
	roundtrip((const unsigned char *)"", 0, 0);
}
END_TEST

START_TEST(test_mutants_reach_the_graph)
{
	const char *scale = getenv("HS_TEST_SCALE");
	int n = scale && !strcmp(scale, "small") ? 300 : 3000, i;
	int well = 0, built = 0, opened = 0, flips_built = 0;
	for (i = 0; i < n; i++) {
		hw *w = base_dump(i % 3 ? 8 : 4, i % 2 ? HW_ONE_RECORD : 37);
		size_t len = hw_len(w), cap = 2 * len + 4096, k;
		unsigned char *p = malloc(cap);
		hm_dump *m;
		int r;
		ck_assert_ptr_nonnull(p);
		memcpy(p, hw_bytes(w), len);
		len = hm_mutate_bytes(p, len, cap, (uint32_t)i * 2654435761u + 1, NULL, NULL);
		m = hm_parse(p, len);
		ck_assert_ptr_nonnull(m);
		well += hm_well_formed(m);
		hm_free(m);
		r = reach(p, len);
		opened += r >= 1;
		built += r == 2;
		/* the same number of random byte flips after the header, for
		 * comparison */
		len = hw_len(w);
		memcpy(p, hw_bytes(w), len);
		for (k = 0; k < 4; k++)
			p[31 + (size_t)(((uint64_t)i * 7919 + k * 104729) % (len - 31))] ^= (unsigned char)(1u << (k + i) % 8);
		flips_built += reach(p, len) == 2;
		free(p);
		hw_free(w);
	}
	printf("check_mutate: %d mutants: %.1f%% well-formed, %.1f%% past hs_dump_open, %.1f%% past hs_graph_build"
	       " (4 random byte flips: %.1f%%)\n", n, 100.0 * well / n, 100.0 * opened / n, 100.0 * built / n,
	       100.0 * flips_built / n);
	ck_assert_msg(well >= n * 8 / 10, "%d of %d mutants well-formed", well, n);
	ck_assert_msg(built >= n * 6 / 10, "%d of %d mutants past hs_graph_build", built, n);
}
END_TEST

START_TEST(test_reduce)
{
	hw *w = base_dump(8, 11);
	hm_dump *m = hm_parse(hw_bytes(w), hw_len(w));
	unsigned char *out;
	size_t n;
	hs_dump *d;
	hs_open_opts o;
	hs_error err;
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(hm_reduce(m, 3), 0);
	ck_assert_int_eq(hm_well_formed(m), 1);
	n = hm_size(m);
	out = malloc(n);
	ck_assert_ptr_nonnull(out);
	hm_write(m, out);
	hm_free(m);
	write_file(out, n);
	free(out);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(hs_dump_open(&d, path, &o, &err), 0);
	/* the three objects nearest the roots: the thread object, then the
	 * array and the char[] that roots hold; every class stays */
	ck_assert_uint_eq(hs_dump_get_info(d)->instances, 1);
	ck_assert_uint_eq(hs_dump_get_info(d)->obj_arrays, 1);
	ck_assert_uint_eq(hs_dump_get_info(d)->prim_arrays, 1);
	ck_assert_uint_eq(hs_dump_get_info(d)->nclasses, 3);
	/* the strings no record names are gone: "ROOT" stays (a static) */
	ck_assert_str_eq(hs_dump_string(d, 5), "ROOT");
	ck_assert_ptr_null(hs_dump_string(d, 7));
	hs_dump_free(d);
	hw_free(w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mutate");
	TCase *tc = tcase_create("mutator");
	SRunner *sr;
	int failed;
	snprintf(path, sizeof(path), "%s/heapscan-mutate-%ld.hprof", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_mutants_reach_the_graph);
	tcase_add_test(tc, test_reduce);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(path);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
