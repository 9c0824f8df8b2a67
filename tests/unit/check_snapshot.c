/*
 * check_snapshot.c - heap summaries (src/analysis/summary.c) and their file
 * form, snapshots (src/analysis/snapshot.c).
 *
 * "core" builds the summary of a small synthetic dump and checks its class
 * rows and class sets against sets worked out by hand from the object
 * graph below (in shallow sizes of its objects); then writes a summary
 * made by hand and reads it back.  "limits": the 60 superclasses a
 * snapshot keeps.  "malformed": snapshots a reader must refuse, with the
 * messages snapshot.h promises.
 *
 * The dump: classes app.Node (next, val) and app.Pair (left, right);
 *   A -> B -> C             A a JNI global root
 *   P -> X -> Z, P -> Y -> Z   P a JNI global root
 * so A dominates B and C, P dominates X, Y and Z.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/snapshot.h"
#include "hprof_writer.h"
#include "unit.h"

enum { OBJECT = 0x100, CLASS = 0x108, NODE = 0x110, PAIR = 0x118,
       A = 0x1000, B = 0x1100, C = 0x1200, P = 0x1300, X = 0x1400, Y = 0x1500, Z = 0x1600 };
enum { S_OBJECT = 1, S_CLASS, S_NODE, S_PAIR, S_NEXT, S_VAL, S_LEFT, S_RIGHT };

static char path[256], snap[256];

static void setup(void)
{
	const char *t = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(path, sizeof(path), "%s/heapscan-check-snapshot-%ld.hprof", t, (long)getpid());
	snprintf(snap, sizeof(snap), "%s/heapscan-check-snapshot-%ld.hss", t, (long)getpid());
}

static void teardown(void)
{
	unlink(path);
	unlink(snap);
}

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

static void inst2(hw *w, uint64_t id, uint64_t cl, uint64_t a, uint64_t b, int second_is_ref)
{
	hw_buf buf;
	hw_buf_init(&buf, 8);
	hw_buf_id(&buf, a);
	if (second_is_ref)
		hw_buf_id(&buf, b);
	else
		hw_buf_u4(&buf, (uint32_t)b);
	hw_instance(w, id, cl, buf.p, (uint32_t)buf.len);
	hw_buf_free(&buf);
}

static void write_dump(void)
{
	hw *w = hw_new(NULL, 8);
	static const char *names[] = { NULL, "java/lang/Object", "java/lang/Class", "app/Node", "app/Pair",
		"next", "val", "left", "right" };
	hw_ifield nf[2] = { { S_NEXT, HW_T_OBJECT }, { S_VAL, HW_T_INT } };
	hw_ifield pf[2] = { { S_LEFT, HW_T_OBJECT }, { S_RIGHT, HW_T_OBJECT } };
	uint64_t classes[] = { OBJECT, CLASS, NODE, PAIR };
	unsigned i;
	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		hw_string(w, i, names[i]);
	for (i = 0; i < 4; i++)
		hw_load_class(w, i + 1, classes[i], S_OBJECT + i);
	cls(w, OBJECT, 0, 0, NULL);
	cls(w, CLASS, OBJECT, 0, NULL);
	cls(w, NODE, OBJECT, 2, nf);
	cls(w, PAIR, OBJECT, 2, pf);
	for (i = 0; i < 4; i++)
		hw_root_sticky_class(w, classes[i]);
	inst2(w, A, NODE, B, 1, 0);
	inst2(w, B, NODE, C, 2, 0);
	inst2(w, C, NODE, 0, 3, 0);
	hw_root_jni_global(w, A, 0x77);
	inst2(w, P, PAIR, X, Y, 1);
	inst2(w, X, NODE, Z, 4, 0);
	inst2(w, Y, NODE, Z, 5, 0);
	inst2(w, Z, NODE, 0, 6, 0);
	hw_root_jni_global(w, P, 0x78);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	ck_assert_int_eq(hw_write_file(w, path), 0);
	hw_free(w);
}

static const hs_sum_class *row(const hs_summary *s, const char *name)
{
	uint32_t i;
	for (i = 0; i < s->nclasses; i++)
		if (!strcmp(s->classes[i].name, name))
			return &s->classes[i];
	return NULL;
}

START_TEST(test_snapshot_build)
{
	hs_dump *d;
	hs_graph *g;
	hs_open_opts o;
	hs_error err;
	hs_summary s;
	hs_sum_set set;
	const hs_sum_class *node, *pair;
	const char *patterns[] = { "app.*" };
	uint64_t sn, sp;
	uint32_t i;

	write_dump();
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	ck_assert_msg(hs_dump_open(&d, path, &o, &err) == 0, "open: %s", err.msg);
	ck_assert_msg(hs_graph_build(&g, d, NULL, &err) == 0, "graph: %s", err.msg);
	/* every Node has the same shallow size, as every Pair */
	sn = hs_graph_shallow(g, hs_graph_node(g, A));
	sp = hs_graph_shallow(g, hs_graph_node(g, P));
	ck_assert_uint_gt(sn, 0);
	ck_assert_uint_eq(hs_graph_shallow(g, hs_graph_node(g, Z)), sn);
	ck_assert_msg(hs_summary_build(&s, d, g, "test", patterns, 1, &err) == 0, "summary: %s", err.msg);

	node = row(&s, "app.Node");
	pair = row(&s, "app.Pair");
	ck_assert_ptr_nonnull(node);
	ck_assert_ptr_nonnull(pair);
	/* six Nodes; all of them together free just themselves */
	ck_assert_uint_eq(node->instances, 6);
	ck_assert_uint_eq(node->shallow, 6 * sn);
	ck_assert_uint_eq(node->retained, 6 * sn);
	/* the Pair frees X, Y and Z with itself */
	ck_assert_uint_eq(pair->instances, 1);
	ck_assert_uint_eq(pair->retained, sp + 3 * sn);
	/* app.* counts X, Y and Z once: A B C P X Y Z, not the rows' sum */
	ck_assert_uint_eq(s.npatterns, 1);
	ck_assert_str_eq(s.patterns[0].name, "app.*");
	ck_assert_uint_eq(s.patterns[0].retained, 6 * sn + sp);
	ck_assert_uint_eq(s.patterns[0].classes, 2);
	/* the prefix row "app." says the same, for snapshots */
	for (i = 0; i < s.nprefixes && strcmp(s.prefixes[i].name, "app."); i++)
		;
	ck_assert_uint_lt(i, s.nprefixes);
	ck_assert_uint_eq(s.prefixes[i].retained, 6 * sn + sp);
	ck_assert_uint_eq(s.prefixes[i].instances, 7);
	/* and the class set of the pattern, from the summary */
	ck_assert_int_eq(hs_summary_class_set(&s, "app.*", &set), 0);
	ck_assert_uint_eq(set.retained, 6 * sn + sp);
	ck_assert_uint_eq(set.instances, 7);
	ck_assert_uint_eq(set.shallow, 6 * sn + sp);
	/* the totals: the seven objects and the four class objects */
	ck_assert_uint_eq(s.reachable_objects, 11);
	ck_assert_uint_eq(s.unreachable_objects, 0);
	/* A is no thread: no thread rows */
	ck_assert_uint_eq(s.nthreads, 0);
	hs_summary_release(&s);
	hs_graph_free(g);
	hs_dump_free(d);
}
END_TEST

START_TEST(test_snapshot_round_trip)
{
	static char *supers[] = { "app.Base", "app.Root" };
	hs_sum_class classes[2] = {
		{ "app.Leaf", 3, 72, 1000, supers, 2 },
		{ "app.Other", 1, 24, 24, NULL, 0 },
	};
	hs_sum_set prefixes[2] = { { "b.", 5, 1, 2, 2 }, { "app.", 7, 3, 4, 2 } };
	hs_sum_thread threads[1] = { { "tab\there\\ and\nnewline", 500, 9, "java.util.HashMap", 400, 12 } };
	hs_sum_named loaders[1] = { { "app", 800, 20, 0, NULL } };
	hs_sum_named doms[1] = { { "class app.Leaf", 900, 30, 16, "app.Leaf > java.util.HashMap (size=12)" } };
	hs_sum_suspect sus[1] = { { "class", "app.Leaf", "static CACHE", "java.util.HashMap", "", "",
				    900, 3, 30.5, 12, -1, -1, -1 } };
	char *loaded[1] = { "app.Unused" };
	hs_summary s, r;
	hs_error err;

	memset(&s, 0, sizeof(s));
	s.heapscan_version = "9.9";
	s.dump = "/tmp/x.hprof";
	s.format = "JAVA PROFILE 1.0.2";
	s.idsize = 8;
	s.timestamp_ms = 1700000000123ull;
	s.file_size = 123456;
	s.reachable_bytes = 3000;
	s.reachable_objects = 40;
	s.unreachable_objects = 2;
	s.unreachable_bytes = 48;
	s.threads_total = 1;
	s.classes = classes;
	s.nclasses = 2;
	s.prefixes = prefixes;   /* unsorted on purpose */
	s.nprefixes = 2;
	s.threads = threads;
	s.nthreads = 1;
	s.loaders = loaders;
	s.nloaders = 1;
	s.doms = doms;
	s.ndoms = 1;
	s.suspects = sus;
	s.nsuspects = 1;
	s.loaded = loaded;
	s.nloaded = 1;
	s.knows_loaded = s.knows_supers = 1;
	s.suspect_threshold = 5;
	s.truncated = 1;
	s.truncated_at = 4096;
	s.truncated_what = "an INSTANCE_DUMP";

	ck_assert_msg(hs_summary_write(&s, snap, &err) == 0, "write: %s", err.msg);
	ck_assert_int_eq(hs_summary_is_snapshot(snap, &err), 1);
	ck_assert_msg(hs_summary_read(&r, snap, &err) == 0, "read: %s", err.msg);
	ck_assert_int_eq(r.from_snapshot, 1);
	ck_assert_uint_eq(r.version, HS_SNAPSHOT_VERSION);
	ck_assert_str_eq(r.source, snap);
	ck_assert_str_eq(r.heapscan_version, "9.9");
	ck_assert_str_eq(r.dump, "/tmp/x.hprof");
	ck_assert_str_eq(r.format, "JAVA PROFILE 1.0.2");
	ck_assert_uint_eq(r.idsize, 8);
	ck_assert_uint_eq(r.timestamp_ms, 1700000000123ull);
	ck_assert_uint_eq(r.file_size, 123456);
	ck_assert_uint_eq(r.reachable_bytes, 3000);
	ck_assert_uint_eq(r.reachable_objects, 40);
	ck_assert_uint_eq(r.unreachable_objects, 2);
	ck_assert_uint_eq(r.unreachable_bytes, 48);
	ck_assert_uint_eq(r.threads_total, 1);
	ck_assert_int_eq(r.truncated, 1);
	ck_assert_uint_eq(r.truncated_at, 4096);
	ck_assert_str_eq(r.truncated_what, "an INSTANCE_DUMP");
	ck_assert(r.suspect_threshold == 5);
	ck_assert_int_eq(r.knows_loaded, 1);
	ck_assert_int_eq(r.knows_supers, 1);
	ck_assert_uint_eq(r.nclasses, 2);
	ck_assert_str_eq(r.classes[0].name, "app.Leaf");
	ck_assert_uint_eq(r.classes[0].instances, 3);
	ck_assert_uint_eq(r.classes[0].shallow, 72);
	ck_assert_uint_eq(r.classes[0].retained, 1000);
	ck_assert_uint_eq(r.classes[0].nsupers, 2);
	ck_assert_str_eq(r.classes[0].supers[1], "app.Root");
	ck_assert_uint_eq(r.classes[1].nsupers, 0);
	ck_assert_uint_eq(r.nloaded, 1);
	ck_assert_str_eq(r.loaded[0], "app.Unused");
	/* read back sorted by name */
	ck_assert_uint_eq(r.nprefixes, 2);
	ck_assert_str_eq(r.prefixes[0].name, "app.");
	ck_assert_uint_eq(r.prefixes[0].retained, 7);
	ck_assert_uint_eq(r.prefixes[0].classes, 2);
	ck_assert_str_eq(r.prefixes[1].name, "b.");
	/* TAB, backslash and newline survive the escaping */
	ck_assert_uint_eq(r.nthreads, 1);
	ck_assert_str_eq(r.threads[0].name, "tab\there\\ and\nnewline");
	ck_assert_uint_eq(r.threads[0].held_retained, 400);
	ck_assert_int_eq(r.threads[0].held_entries, 12);
	ck_assert_uint_eq(r.nloaders, 1);
	ck_assert_uint_eq(r.loaders[0].retained, 800);
	ck_assert_uint_eq(r.ndoms, 1);
	ck_assert_str_eq(r.doms[0].shape, "app.Leaf > java.util.HashMap (size=12)");
	ck_assert_uint_eq(r.doms[0].objects, 30);
	ck_assert_uint_eq(r.nsuspects, 1);
	ck_assert_str_eq(r.suspects[0].kind, "class");
	ck_assert_str_eq(r.suspects[0].holder, "static CACHE");
	ck_assert(r.suspects[0].pct > 30.49 && r.suspects[0].pct < 30.51);
	ck_assert_int_eq(r.suspects[0].entries, 12);
	ck_assert_int_eq(r.suspects[0].entries_min, -1);
	/* a snapshot answers "app.*" from its prefix row, and cannot answer a
	 * pattern over two classes that is no prefix */
	{
		hs_sum_set set;
		ck_assert_int_eq(hs_summary_class_set(&r, "app.*", &set), 0);
		ck_assert_uint_eq(set.retained, 7);
		ck_assert_int_eq(hs_summary_class_set(&r, "*", &set), -1);
		ck_assert_uint_eq(set.instances, 4);
		ck_assert_uint_eq(set.classes, 2);
	}
	hs_summary_release(&r);
}
END_TEST

START_TEST(test_snapshot_supers_limit)
{
	/* a class with 70 superclasses: the snapshot keeps the nearest 60 */
	char *supers[70], names[70][16];
	hs_sum_class c = { "deep.Leaf", 1, 16, 16, supers, 70 };
	hs_summary s, r;
	hs_error err;
	unsigned i;
	for (i = 0; i < 70; i++) {
		snprintf(names[i], sizeof(names[i]), "deep.S%u", i);
		supers[i] = names[i];
	}
	memset(&s, 0, sizeof(s));
	s.classes = &c;
	s.nclasses = 1;
	s.knows_supers = 1;
	ck_assert_msg(hs_summary_write(&s, snap, &err) == 0, "write: %s", err.msg);
	ck_assert_msg(hs_summary_read(&r, snap, &err) == 0, "read: %s", err.msg);
	ck_assert_uint_eq(r.classes[0].nsupers, 60);
	ck_assert_str_eq(r.classes[0].supers[0], "deep.S0");
	ck_assert_str_eq(r.classes[0].supers[59], "deep.S59");
	hs_summary_release(&r);
}
END_TEST

/* Read a snapshot of this text (uncompressed: the reader's source takes
 * plain files too); returns the reader's code, err filled. */
static int read_text(const char *text, hs_error *err)
{
	FILE *f = fopen(snap, "wb");
	hs_summary r;
	int rc;
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	hs_error_clear(err);
	rc = hs_summary_read(&r, snap, err);
	if (rc == 0)
		hs_summary_release(&r);
	return rc;
}

START_TEST(test_snapshot_malformed)
{
	hs_error err;
	ck_assert_int_eq(read_text("heapscan-snapshot\t2\nheapscan\t1\ndump\ta\ndump\tb\n", &err), HS_EFORMAT);
	ck_assert_str_eq(err.msg, "line 4: a second 'dump' line (the first is line 3)");
	ck_assert_int_eq(read_text("heapscan-snapshot\t3\n", &err), HS_EFORMAT);
	ck_assert_str_eq(err.msg, "snapshot version 3 is not supported (this heapscan reads versions 1 to 2)");
	ck_assert_int_eq(read_text("something else\n", &err), HS_EFORMAT);
	ck_assert_str_eq(err.msg, "not a heapscan snapshot");
	ck_assert_int_eq(read_text("", &err), HS_EFORMAT);
	ck_assert_str_eq(err.msg, "empty snapshot");
	/* unknown records are skipped; a short class row too */
	ck_assert_int_eq(read_text("heapscan-snapshot\t2\nfuture\tx\ty\nclass\tshort\n", &err), 0);
	ck_assert_int_eq(hs_summary_is_snapshot(snap, &err), 1);
	read_text("JAVA PROFILE 1.0.2", &err);
	ck_assert_int_eq(hs_summary_is_snapshot(snap, &err), 0);
}
END_TEST

static Suite *snapshot_suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_snapshot_build);
	tcase_add_test(tc, test_snapshot_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_snapshot_supers_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_snapshot_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(snapshot_suite());
}
