/*
 * check_fuzz.c - the reader and the graph builder on thousands of corrupted
 * dumps: random byte flips, insertions, truncations and absurd lengths in
 * a valid synthetic dump.  Each must come back with 0 or a documented
 * error code and a message; a crash, a hang, a leak (under ASan/valgrind)
 * or an undocumented code fails.  Deterministic (fixed seeds).
 * HS_TEST_SCALE=small runs fewer cases (for sanitizer builds).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/paths.h"
#include "heapscan/suspects.h"
#include "hprof_writer.h"
#include "unit.h"

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* a small valid dump with a bit of everything */
static hw *base_dump(unsigned idsize)
{
	hw *w = hw_new(NULL, idsize);
	hw_ifield f[2] = { { 3, HW_T_OBJECT }, { 4, HW_T_INT } };
	hw_static st[1] = { { 5, HW_T_OBJECT, 0x2000 } };
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
	hw_load_class(w, 1, 0x1000, 1);
	hw_load_class(w, 2, 0x1008, 2);
	hw_load_class(w, 3, 0x1010, 6);
	hw_frame(w, frame, 3, 4, 5, 2, 10);
	hw_trace(w, 1, 1, 1, &frame);
	memset(&c, 0, sizeof(c));
	c.id = 0x1000;
	hw_class_dump(w, &c);
	c.id = 0x1008;
	c.super_id = 0x1000;
	c.nfields = 2;
	c.fields = f;
	c.nstatics = 1;
	c.statics = st;
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
	hw_heap_dump_flush(w, 41);
	return w;
}

static int allowed(int rc)
{
	return rc == 0 || rc == HS_EFORMAT || rc == HS_ETRUNC || rc == HS_ELIMIT || rc == HS_EUSAGE;
}

START_TEST(test_fuzz_mutations)
{
	const char *scale = getenv("HS_TEST_SCALE");
	int cases = scale && !strcmp(scale, "small") ? 400 : 3000, i;
	char path[256];
	snprintf(path, sizeof(path), "%s/heapscan-fuzz-%ld.hprof", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	for (i = 0; i < cases; i++) {
		hw *w = base_dump(i % 3 ? 8 : 4);
		size_t len = hw_len(w), k, n;
		unsigned char *p = malloc(len + 64);
		FILE *f;
		hs_dump *d = NULL;
		hs_graph *g = NULL;
		hs_error err;
		hs_open_opts o;
		int rc;
		memcpy(p, hw_bytes(w), len);
		n = 1 + next() % 4;
		for (k = 0; k < n && len > 32; k++) {
			size_t at = 31 + next() % (len - 31);  /* keep the header mostly */
			switch (next() % 5) {
			case 0: p[at] ^= (unsigned char)(1u << (next() % 8)); break;
			case 1: p[at] = (unsigned char)next(); break;
			case 2: /* an absurd length or count */
				if (at + 4 <= len)
					memset(p + at, 0xff, 4);
				break;
			case 3: len = at; break;  /* truncate */
			case 4: if (at + 4 <= len) memset(p + at, 0, 4); break;
			}
		}
		f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(p, 1, len, f), len);
		fclose(f);
		memset(&o, 0, sizeof(o));
		o.build_ids = 1;
		hs_error_clear(&err);
		rc = hs_dump_open(&d, path, &o, &err);
		ck_assert_msg(allowed(rc), "case %d: open returned %d", i, rc);
		if (rc < 0)
			ck_assert_msg(err.msg[0] != '\0', "case %d: error %d without a message", i, rc);
		if (rc == 0) {
			rc = hs_graph_build(&g, d, NULL, &err);
			ck_assert_msg(allowed(rc), "case %d: graph returned %d", i, rc);
			if (rc == 0) {
				hs_suspects s;
				hs_suspect_opts so = { 10.0, 1000 };
				rc = hs_suspects_find(&s, g, &so, &err);
				ck_assert_msg(allowed(rc), "case %d: suspects returned %d", i, rc);
				if (rc == 0)
					hs_suspects_release(&s);
				/* labels and path descriptions read the (mutated) dump again */
				{
					uint32_t nn = hs_graph_nodes(g), *all = malloc(sizeof(uint32_t) * nn), v, *par = NULL;
					ck_assert_ptr_nonnull(all);
					for (v = 0; v < nn; v++)
						all[v] = v;
					rc = hs_graph_fetch_labels(g, all, nn, &err);
					ck_assert_msg(allowed(rc), "case %d: labels returned %d", i, rc);
					if (hs_paths_bfs(g, &par, &err) == 0) {
						uint32_t len = hs_paths_to(par, nn - 1, all, nn);
						char **via = calloc(len + 1, sizeof(char *));
						ck_assert_ptr_nonnull(via);
						rc = hs_paths_describe(g, all, len, via, &err);
						ck_assert_msg(allowed(rc), "case %d: paths returned %d", i, rc);
						if (rc == 0)
							hs_paths_free_via(via, len);
						free(via);
						hs_paths_free(g, par);
					}
					free(all);
				}
				/* retained sizes still add up */
				ck_assert_uint_eq(hs_graph_retained(g, 0), hs_graph_get_stats(g)->reachable_bytes);
			}
			hs_graph_free(g);
		}
		hs_dump_free(d);
		free(p);
		hw_free(w);
	}
	unlink(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzz");
	TCase *tc = tcase_create("malformed");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_fuzz_mutations);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
