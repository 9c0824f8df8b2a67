/*
 * check_changed.c - a dump that changes while heapscan reads it: overwritten
 * in place (cp over it), still being written, grown or cut.  The graph is
 * built from several passes over the file (scan, count, fill, then labels
 * and paths); each must notice that it reads other bytes than the one before
 * and fail with HS_ECHANGED, "the dump changed while it was read", at the
 * offset of the first record found different when there is one; never crash
 * or read out of bounds (run under ASan by scripts/test.sh).
 *
 * The file is changed at exact points through the progress callback, which
 * the library calls as each pass begins.  Changes of the same size keep the
 * file's modification time (as a write within the clock's granularity
 * would), so that only the contents can tell.
 *
 * The dump (ids in hex): classes Object 100, Pair 108 (left, right: ref),
 * Pair2 110 (the same fields), String 118 (value: ref), byte[] 120,
 * char[] 128; pairs P[i] = 1000 + 10 i for i < 40, each P[i].left = P[i+1],
 * P[39].left = the String 2000, whose value is the byte[4] 2010; P[0] is a
 * JNI global root.  Variants change a few records without changing sizes.
 *
 * The "split" test case runs the same tests with --threads 2 on dumps
 * padded with 24 unreachable byte[65536] (12 before the pairs, 12 after):
 * enough heap records for the graph's passes to be read by two threads,
 * split near the pairs.  A change must be found the same way, at the same
 * offset, and the unchanged dump read by two threads (stats.readers).
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/paths.h"
#include "heapscan/summary.h"
#include "heapscan/suspects.h"
#include "hprof_writer.h"
#include "unit.h"

enum { OBJECT = 0x100, PAIR = 0x108, PAIR2 = 0x110, STRING = 0x118, BYTES = 0x120, CHARS = 0x128,
       P0 = 0x1000, STR = 0x2000, VALUE = 0x2010, NP = 40 };
enum { S_OBJECT = 1, S_PAIR, S_PAIR2, S_STRING, S_BYTES, S_CHARS, S_LEFT, S_RIGHT, S_VALUE };

#define MSG "the dump changed while it was read"

struct variant {
	int descending;       /* pairs written from P[39] down to P[0] */
	int moved_ref;        /* P[10].right = P[20] and P[30].left = 0: same edges, other owners */
	int p5_pair2;         /* P[5] of class Pair2 */
	int p5_other_id;      /* P[5] with an id no other pass saw */
	int char_value;       /* the String's value a char[2] rather than a byte[4] */
	uint64_t time;        /* header timestamp, 0: the default */
};

/* The "split" test case: padded dumps, opened with two threads. */
static int split_mode;
enum { NPAD = 24, PAD_BYTES = 65536 };

static void pad(hw *w, int from, int to)
{
	int j;
	for (j = from; j < to; j++)
		hw_prim_array(w, 0x100000 + (uint64_t)j * 0x20000, HW_T_BYTE, PAD_BYTES);
}

/* File offsets of records of the last dump made. */
static size_t off_p5, off_p10, off_value;

static uint64_t pid_of(int i) { return P0 + 0x10u * (unsigned)i; }

static hw *make(const struct variant *v)
{
	hw *w = v->time ? hw_new_ts(NULL, 8, v->time) : hw_new(NULL, 8);
	static const char *names[] = { NULL, "java/lang/Object", "Pair", "Pair2", "java/lang/String",
				       "[B", "[C", "left", "right", "value" };
	hw_ifield pf[2] = { { S_LEFT, HW_T_OBJECT }, { S_RIGHT, HW_T_OBJECT } };
	hw_ifield sf[1] = { { S_VALUE, HW_T_OBJECT } };
	uint64_t classes[] = { OBJECT, PAIR, PAIR2, STRING, BYTES, CHARS };
	uint64_t cname[] = { S_OBJECT, S_PAIR, S_PAIR2, S_STRING, S_BYTES, S_CHARS };
	size_t pos5 = 0, pos10 = 0, posv;
	hw_class_spec c;
	hw_buf b;
	unsigned i;
	int k;

	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		hw_string(w, i, names[i]);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		hw_load_class(w, i + 1, classes[i], cname[i]);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.id = classes[i];
		c.super_id = classes[i] == OBJECT ? 0 : OBJECT;
		if (classes[i] == PAIR || classes[i] == PAIR2) {
			c.nfields = 2;
			c.fields = pf;
		} else if (classes[i] == STRING) {
			c.nfields = 1;
			c.fields = sf;
		}
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, classes[i]);
	}
	hw_root_jni_global(w, P0, 0x77);
	if (split_mode)
		pad(w, 0, NPAD / 2);
	for (k = 0; k < NP; k++) {
		int i2 = v->descending ? NP - 1 - k : k;
		uint64_t left = i2 + 1 < NP ? pid_of(i2 + 1) : STR, right = 0, id = pid_of(i2), cls = PAIR;
		size_t pos;
		if (v->moved_ref && i2 == 10)
			right = pid_of(20);
		if (v->moved_ref && i2 == 30)
			left = 0;
		if (i2 == 5 && v->p5_pair2)
			cls = PAIR2;
		if (i2 == 5 && v->p5_other_id)
			id = 0x9000;
		hw_buf_init(&b, 8);
		hw_buf_id(&b, left);
		hw_buf_id(&b, right);
		pos = hw_instance(w, id, cls, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		if (i2 == 5)
			pos5 = pos;
		if (i2 == 10)
			pos10 = pos;
	}
	hw_buf_init(&b, 8);
	hw_buf_id(&b, VALUE);
	hw_instance(w, STR, STRING, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	posv = v->char_value ? hw_prim_array_data(w, VALUE, HW_T_CHAR, 2, "\0h\0i")
			     : hw_prim_array_data(w, VALUE, HW_T_BYTE, 4, "heap");
	if (split_mode)
		pad(w, NPAD / 2, NPAD);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	off_p5 = hw_heap_offset(w, pos5);
	off_p10 = hw_heap_offset(w, pos10);
	off_value = hw_heap_offset(w, posv);
	return w;
}

static char path[256];

static void set_path(void)
{
	snprintf(path, sizeof(path), "%s/heapscan-check-changed-%ld.hprof",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
}

/* How the file is changed. */
enum { SAME_SIZE, GROW, SHRINK };

/* Write w's bytes over the file in place; SAME_SIZE keeps its mtime. */
static void overwrite(const hw *w, int how)
{
	struct stat st;
	struct timespec ts[2];
	ck_assert_int_eq(stat(path, &st), 0);
	if (how == SAME_SIZE)
		ck_assert_uint_eq((uint64_t)st.st_size, hw_len(w));
	ck_assert_int_eq(hw_write_file(w, path), 0);
	if (how == SAME_SIZE) {
		ts[0] = st.st_atim;
		ts[1] = st.st_mtim;
		ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
}

/* Grow the file by a whole STRING record, or cut its last 20 bytes. */
static void resize(int how)
{
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	if (how == GROW) {
		static const unsigned char rec[] = { 0x01, 0, 0, 0, 0, 0, 0, 0, 10,
						     0, 0, 0, 0, 0, 0, 0x7f, 0x01, 'h', 'i' };
		FILE *f = fopen(path, "ab");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(rec, 1, sizeof(rec), f), sizeof(rec));
		ck_assert_int_eq(fclose(f), 0);
	} else {
		ck_assert_int_eq(truncate(path, st.st_size - 20), 0);
	}
}

/* The change to make when a pass begins. */
struct hook {
	const char *phase;    /* "reading", "building graph (1/2)", "... (2/2)" */
	int how;
	const hw *with;       /* SAME_SIZE: the bytes written over the file */
	int done;
};

static void on_progress(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
	struct hook *h = ctx;
	(void)total;
	if (h->done || done != 0 || strcmp(phase, h->phase) != 0)
		return;
	h->done = 1;
	if (h->how == SAME_SIZE)
		overwrite(h->with, SAME_SIZE);
	else
		resize(h->how);
}

static int open_dump(hs_dump **d, struct hook *h, hs_error *err)
{
	hs_open_opts o;
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	o.threads = split_mode ? 2 : 1;
	o.progress = h ? on_progress : NULL;
	o.progress_ctx = h;
	hs_error_clear(err);
	return hs_dump_open(d, path, &o, err);
}

static void assert_changed(int rc, const hs_error *err, uint64_t offset)
{
	ck_assert_int_eq(rc, HS_ECHANGED);
	ck_assert_int_eq(err->code, HS_ECHANGED);
	ck_assert_str_eq(err->msg, MSG);
	ck_assert_msg(err->offset == offset, "offset %llu, expected %llu",
		      (unsigned long long)err->offset, (unsigned long long)offset);
}

/* Build the graph of dump a while the hook changes the file. */
static void build_changed(const struct variant *a, struct hook *h, uint64_t want_offset)
{
	hw *wa = make(a);
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_error err;
	set_path();
	ck_assert_int_eq(hw_write_file(wa, path), 0);
	ck_assert_msg(open_dump(&d, h, &err) == 0, "open: %s", err.msg);
	assert_changed(hs_graph_build(&g, d, NULL, &err), &err, want_offset);
	ck_assert_ptr_null(g);
	ck_assert(h->done);
	hs_dump_free(d);
	hw_free(wa);
	unlink(path);
}

/* Nothing changes: both orders of records give the whole chain, and the
 * labels and paths read fine. */
START_TEST(test_unchanged)
{
	struct variant a = { 0 };
	hw *w;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_error err;
	uint32_t path_nodes[NP + 2], n, *parent = NULL, str;
	char *via[NP + 2];
	a.descending = _i;
	w = make(&a);
	set_path();
	ck_assert_int_eq(hw_write_file(w, path), 0);
	ck_assert_msg(open_dump(&d, NULL, &err) == 0, "open: %s", err.msg);
	ck_assert_msg(hs_graph_build(&g, d, NULL, &err) == 0, "graph: %s", err.msg);
	ck_assert_uint_eq(hs_graph_get_stats(g)->readers, split_mode ? 2 : 1);
	str = hs_graph_node(g, STR);
	ck_assert_uint_eq(hs_graph_idom(g, str), hs_graph_node(g, pid_of(NP - 1)));
	ck_assert_int_eq(hs_graph_fetch_labels(g, &str, 1, &err), 0);
	ck_assert_str_eq(hs_graph_label(g, str), "\"heap\"");
	ck_assert_int_eq(hs_paths_bfs(g, &parent, &err), 0);
	n = hs_paths_to(parent, str, path_nodes, NP + 2);
	ck_assert_uint_eq(n, NP + 1);
	ck_assert_int_eq(hs_paths_describe(g, path_nodes, n, via, &err), 0);
	ck_assert_str_eq(via[1], ".left");
	hs_paths_free_via(via, n);
	hs_paths_free(g, parent);
	hs_graph_free(g);
	hs_dump_free(d);
	hw_free(w);
	unlink(path);
}
END_TEST

/* Other bytes of the same size and mtime between the scan and the graph:
 * an object of another class (found by the digest of the records, at the
 * end of the pass), an object id the scan never saw (at its record), a
 * header of another time (at offset 0). */
START_TEST(test_same_size_after_scan)
{
	struct variant a = { 0 }, b = { 0 };
	struct hook h = { "building graph (1/2)", SAME_SIZE, NULL, 0 };
	hw *wb;
	uint64_t want;
	switch (_i) {
	case 0: b.p5_pair2 = 1; break;
	case 1: b.p5_other_id = 1; break;
	default: b.time = HW_DEFAULT_TIME + 1000; break;
	}
	wb = make(&b);
	want = _i == 0 ? HS_NO_OFFSET : _i == 1 ? off_p5 : 0;
	h.with = wb;
	build_changed(&a, &h, want);
	hw_free(wb);
}
END_TEST

/* Other bytes of the same size and mtime between the count and the fill
 * pass: P[10] gets a reference P[30] loses.  Records in descending id
 * order: P[9] is not filled yet when P[10] is, so P[10]'s extra edge
 * finds no slot (at its record); ascending: it takes one of P[9]'s, and
 * the sum of degrees tells at the end.  Before the check, the first
 * wrote below off[] and crashed in the dominators. */
START_TEST(test_same_size_between_count_and_fill)
{
	struct variant a = { 0 }, b = { 0 };
	struct hook h = { "building graph (2/2)", SAME_SIZE, NULL, 0 };
	hw *wb;
	a.descending = b.descending = _i;
	b.moved_ref = 1;
	wb = make(&b);
	h.with = wb;
	build_changed(&a, &h, _i ? off_p10 : HS_NO_OFFSET);
	hw_free(wb);
}
END_TEST

/* The file grows or shrinks as a pass begins: the scan (a dump still being
 * written), the count pass, the fill pass. */
START_TEST(test_grown_or_cut)
{
	static const char *const phases[] = { "reading", "building graph (1/2)", "building graph (2/2)" };
	struct variant a = { 0 };
	struct hook h = { NULL, 0, NULL, 0 };
	hw *wa = make(&a);
	hs_dump *d = NULL;
	hs_error err;
	int rc;
	h.phase = phases[_i / 2];
	h.how = _i % 2 ? SHRINK : GROW;
	set_path();
	ck_assert_int_eq(hw_write_file(wa, path), 0);
	rc = open_dump(&d, &h, &err);
	if (_i / 2 == 0) {
		/* the scan read another file than the one it opened */
		ck_assert_int_eq(rc, HS_ECHANGED);
		ck_assert_str_eq(err.msg, MSG);
		ck_assert_ptr_null(d);
	} else {
		hs_graph *g = NULL;
		ck_assert_msg(rc == 0, "open: %s", err.msg);
		assert_changed(hs_graph_build(&g, d, NULL, &err), &err, HS_NO_OFFSET);
		hs_dump_free(d);
	}
	ck_assert(h.done);
	hw_free(wa);
	unlink(path);
}
END_TEST

/* -XX:+HeapDumpOnOutOfMemoryError still writing: the scan sees the first
 * part (a truncated dump, analysed up to the cut), the graph the whole. */
START_TEST(test_still_being_written)
{
	struct variant a = { 0 };
	hw *wa = make(&a), *part = make(&a);
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_error err;
	set_path();
	hw_truncate(part, off_p10 + 7);
	ck_assert_int_eq(hw_write_file(part, path), 0);
	ck_assert_msg(open_dump(&d, NULL, &err) == 0, "open: %s", err.msg);
	ck_assert(hs_dump_get_info(d)->truncated);
	ck_assert_int_eq(hw_write_file(wa, path), 0);
	assert_changed(hs_graph_build(&g, d, NULL, &err), &err, HS_NO_OFFSET);
	hs_dump_free(d);
	hw_free(wa);
	hw_free(part);
	unlink(path);
}
END_TEST

/* After the graph: the labels and the path descriptions read the dump
 * again.  The String's value of another type, same size and mtime (at the
 * array's record); or the file cut.  Their errors name the file. */
START_TEST(test_changed_before_labels_and_paths)
{
	struct variant a = { 0 }, b = { 0 };
	hw *wa = make(&a), *wb;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_error err;
	uint32_t str, path_nodes[NP + 2], n, *parent = NULL;
	char *via[NP + 2], want[512];
	size_t value_at;
	int rc;
	b.char_value = 1;
	wb = make(&b);
	value_at = off_value;
	set_path();
	ck_assert_int_eq(hw_write_file(wa, path), 0);
	ck_assert_msg(open_dump(&d, NULL, &err) == 0, "open: %s", err.msg);
	ck_assert_msg(hs_graph_build(&g, d, NULL, &err) == 0, "graph: %s", err.msg);
	ck_assert_uint_eq(hs_graph_get_stats(g)->readers, split_mode ? 2 : 1);
	str = hs_graph_node(g, STR);
	ck_assert_int_eq(hs_paths_bfs(g, &parent, &err), 0);
	n = hs_paths_to(parent, str, path_nodes, NP + 2);
	ck_assert_uint_eq(n, NP + 1);
	if (_i == 0) {
		overwrite(wb, SAME_SIZE);
		rc = hs_graph_fetch_labels(g, &str, 1, &err);
		snprintf(want, sizeof(want), "%s: offset %zu (0x%zx): %s", path, value_at, value_at, MSG);
	} else {
		resize(SHRINK);
		rc = hs_paths_describe(g, path_nodes, n, via, &err);
		snprintf(want, sizeof(want), "%s: %s", path, MSG);
	}
	ck_assert_int_eq(rc, HS_ECHANGED);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_null(hs_graph_label(g, str));
	hs_paths_free(g, parent);
	hs_graph_free(g);
	hs_dump_free(d);
	hw_free(wa);
	hw_free(wb);
	unlink(path);
}
END_TEST

/*
 * A holder of a class loader: H (JNI global) holds the loader L, named by
 * the String "plugin-loader-7", and four int[2000]; class Plugin is L's.
 * Its suspect (H, where no child holds most) lists the loaders it keeps by
 * their names, which takes two more passes over the dump: the loader's
 * name field, then the name's value.
 */
enum { HOLDER = 0x300, LOADER = 0x308, PLUGIN = 0x310, INTS = 0x318,
       H = 0x5000, L = 0x5010, LNAME = 0x5020, LNAME_V = 0x5030, ARR = 0x5100 };
enum { S_HOLDER = 20, S_LOADER, S_PLUGIN, S_INTS, S_A, S_B, S_C, S_D, S_E, S_NAME };

static hw *make_loader_dump(void)
{
	hw *w = hw_new(NULL, 8);
	static const struct { uint64_t id, name; const char *text; } cl[] = {
		{ OBJECT, S_OBJECT, "java/lang/Object" }, { STRING, S_STRING, "java/lang/String" },
		{ BYTES, S_BYTES, "[B" }, { HOLDER, S_HOLDER, "Holder" }, { LOADER, S_LOADER, "MyLoader" },
		{ PLUGIN, S_PLUGIN, "Plugin" }, { INTS, S_INTS, "[I" } };
	hw_ifield hf[5] = { { S_A, HW_T_OBJECT }, { S_B, HW_T_OBJECT }, { S_C, HW_T_OBJECT },
			    { S_D, HW_T_OBJECT }, { S_E, HW_T_OBJECT } };
	hw_ifield lf[1] = { { S_NAME, HW_T_OBJECT } };
	hw_ifield sf[1] = { { S_VALUE, HW_T_OBJECT } };
	static const char *const fnames[] = { "a", "b", "c", "d", "e", "name" };
	hw_class_spec c;
	hw_buf b;
	unsigned i;

	hw_string(w, S_VALUE, "value");
	for (i = 0; i < 6; i++)
		hw_string(w, S_A + i, fnames[i]);
	for (i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
		hw_string(w, cl[i].name, cl[i].text);
		hw_load_class(w, i + 1, cl[i].id, cl[i].name);
	}
	for (i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.id = cl[i].id;
		c.super_id = cl[i].id == OBJECT ? 0 : OBJECT;
		if (cl[i].id == HOLDER) {
			c.nfields = 5;
			c.fields = hf;
		} else if (cl[i].id == LOADER) {
			c.nfields = 1;
			c.fields = lf;
		} else if (cl[i].id == STRING) {
			c.nfields = 1;
			c.fields = sf;
		} else if (cl[i].id == PLUGIN) {
			c.loader_id = L;
		}
		hw_class_dump(w, &c);
		if (cl[i].id != PLUGIN)
			hw_root_sticky_class(w, cl[i].id);
	}
	hw_root_jni_global(w, H, 0x77);
	hw_buf_init(&b, 8);
	hw_buf_id(&b, L);
	for (i = 0; i < 4; i++)
		hw_buf_id(&b, ARR + 0x10 * i);
	hw_instance(w, H, HOLDER, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_buf_init(&b, 8);
	hw_buf_id(&b, LNAME);
	hw_instance(w, L, LOADER, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_buf_init(&b, 8);
	hw_buf_id(&b, LNAME_V);
	hw_instance(w, LNAME, STRING, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_prim_array_data(w, LNAME_V, HW_T_BYTE, 15, "plugin-loader-7");
	for (i = 0; i < 4; i++)
		hw_prim_array(w, ARR + 0x10 * i, HW_T_INT, 2000);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	return w;
}

/*
 * Two threads T1, T2 (thread roots) each keep an int[5000] through a
 * ThreadLocal: T.threadLocals -> ThreadLocalMap .table -> Entry[] [0] ->
 * Entry .value; every Entry's referent is the ThreadLocal TL of the static
 * field Trace.CONTEXT.  The suspect is the two threads together, "through
 * ThreadLocal Trace.CONTEXT", which takes a pass to read the referent.
 */
enum { THREAD = 0x400, TLMAP = 0x408, ENTRY = 0x410, ENTRIES = 0x418, TLOCAL = 0x420, TRACE = 0x428,
       TL = 0x6000 };
enum { S_THREAD = 40, S_TLMAP, S_ENTRY, S_ENTRIES, S_TLOCAL, S_TRACE, S_TLS, S_TABLE, S_REFERENT,
       S_VALUE2, S_CONTEXT };

static hw *make_threadlocal_dump(void)
{
	hw *w = hw_new(NULL, 8);
	static const struct { uint64_t id, name; const char *text; } cl[] = {
		{ OBJECT, S_OBJECT, "java/lang/Object" }, { THREAD, S_THREAD, "java/lang/Thread" },
		{ TLMAP, S_TLMAP, "java/lang/ThreadLocal$ThreadLocalMap" },
		{ ENTRY, S_ENTRY, "java/lang/ThreadLocal$ThreadLocalMap$Entry" },
		{ ENTRIES, S_ENTRIES, "[Ljava/lang/ThreadLocal$ThreadLocalMap$Entry;" },
		{ TLOCAL, S_TLOCAL, "java/lang/ThreadLocal" }, { TRACE, S_TRACE, "Trace" },
		{ INTS, S_INTS, "[I" } };
	static const char *const fnames[] = { "threadLocals", "table", "referent", "value", "CONTEXT" };
	hw_ifield tf[1] = { { S_TLS, HW_T_OBJECT } };
	hw_ifield mf[1] = { { S_TABLE, HW_T_OBJECT } };
	hw_ifield ef[2] = { { S_REFERENT, HW_T_OBJECT }, { S_VALUE2, HW_T_OBJECT } };
	hw_static st[1] = { { S_CONTEXT, HW_T_OBJECT, TL } };
	hw_class_spec c;
	hw_buf b;
	unsigned i, t;

	for (i = 0; i < 5; i++)
		hw_string(w, S_TLS + i, fnames[i]);
	for (i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
		hw_string(w, cl[i].name, cl[i].text);
		hw_load_class(w, i + 1, cl[i].id, cl[i].name);
	}
	for (i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.id = cl[i].id;
		c.super_id = cl[i].id == OBJECT ? 0 : OBJECT;
		if (cl[i].id == THREAD) {
			c.nfields = 1;
			c.fields = tf;
		} else if (cl[i].id == TLMAP) {
			c.nfields = 1;
			c.fields = mf;
		} else if (cl[i].id == ENTRY) {
			c.nfields = 2;
			c.fields = ef;
		} else if (cl[i].id == TRACE) {
			c.nstatics = 1;
			c.statics = st;
		}
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, cl[i].id);
	}
	hw_instance(w, TL, TLOCAL, "", 0);
	for (t = 0; t < 2; t++) {
		uint64_t base = 0x7000 + 0x100 * t, entry = base + 0x30, arr = base + 0x40;
		uint64_t ids[4] = { base + 0x10, base + 0x20, entry, arr };   /* map, table, entry, value */
		hw_root_thread_object(w, base, t + 1, 0);
		hw_buf_init(&b, 8);
		hw_buf_id(&b, ids[0]);
		hw_instance(w, base, THREAD, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		hw_buf_init(&b, 8);
		hw_buf_id(&b, ids[1]);
		hw_instance(w, ids[0], TLMAP, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		hw_obj_array(w, ids[1], ENTRIES, 1, &entry);
		hw_buf_init(&b, 8);
		hw_buf_id(&b, TL);
		hw_buf_id(&b, arr);
		hw_instance(w, entry, ENTRY, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		hw_prim_array(w, arr, HW_T_INT, 5000);
	}
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	return w;
}

/* Counts the passes that read objects again; cuts the file at the n-th. */
struct pass_hook {
	int seen, cut_at;
};

static void on_reread(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
	struct pass_hook *h = ctx;
	(void)done;
	(void)total;
	if (strcmp(phase, "reading objects again") == 0 && ++h->seen == h->cut_at)
		resize(SHRINK);
}

/* Run the suspects (what 0) or a summary (1) on the loader dump, or the
 * suspects on the ThreadLocal dump (2), cutting the file as the analysis's
 * h->cut_at-th later pass begins. */
static int analyse(int what, struct pass_hook *h, hs_error *err)
{
	hw *w = what == 2 ? make_threadlocal_dump() : make_loader_dump();
	hs_open_opts o;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	int rc;
	ck_assert_int_eq(hw_write_file(w, path), 0);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	o.threads = split_mode ? 2 : 1;
	o.progress = on_reread;
	o.progress_ctx = h;
	ck_assert_msg(hs_dump_open(&d, path, &o, err) == 0, "open: %s", err->msg);
	ck_assert_msg(hs_graph_build(&g, d, NULL, err) == 0, "graph: %s", err->msg);
	hs_error_clear(err);
	if (what != 1) {
		hs_suspects s;
		hs_suspect_opts so = { 10.0, 1000 };
		rc = hs_suspects_find(&s, g, &so, err);
		if (rc == 0) {
			ck_assert_uint_ge(s.n, 1);
			if (h->cut_at == 0 && what == 0)
				ck_assert_str_eq(s.items[0].loader_names, "plugin-loader-*");
			if (h->cut_at == 0 && what == 2)
				ck_assert_str_eq(s.items[0].through, "ThreadLocal Trace.CONTEXT");
			hs_suspects_release(&s);
		}
	} else {
		hs_summary sum;
		rc = hs_summary_build(&sum, d, g, "test", NULL, 0, err);
		if (rc == 0)
			hs_summary_release(&sum);
	}
	hs_graph_free(g);
	hs_dump_free(d);
	hw_free(w);
	return rc;
}

/* Every later pass an analysis makes checks the file, and its error
 * reaches the caller: none is taken for "nothing found" (the ThreadLocal
 * of a suspect once was). */
START_TEST(test_no_pass_unchecked)
{
	struct pass_hook h = { 0, 0 };
	hs_error err;
	int k, passes;
	set_path();
	ck_assert_msg(analyse(_i, &h, &err) == 0, "unchanged: %s", err.msg);
	passes = h.seen;
	ck_assert_int_ge(passes, 2);
	for (k = 1; k <= passes; k++) {
		struct pass_hook hk = { 0, k };
		int rc = analyse(_i, &hk, &err);
		ck_assert_msg(rc == HS_ECHANGED, "file cut as pass %d of %d began: %d %s", k, passes, rc, err.msg);
		ck_assert_ptr_nonnull(strstr(err.msg, MSG));
	}
	unlink(path);
}
END_TEST

static void split_on(void) { split_mode = 1; }
static void split_off(void) { split_mode = 0; }

static Suite *suite(void)
{
	Suite *s = suite_create("changed");
	const char *names[2] = { "core", "split" };
	int k;
	for (k = 0; k < 2; k++) {
		TCase *tc = tcase_create(names[k]);
		if (k)
			tcase_add_checked_fixture(tc, split_on, split_off);
		tcase_add_loop_test(tc, test_unchanged, 0, 2);
		tcase_add_loop_test(tc, test_same_size_after_scan, 0, 3);
		tcase_add_loop_test(tc, test_same_size_between_count_and_fill, 0, 2);
		tcase_add_loop_test(tc, test_grown_or_cut, 0, 6);
		tcase_add_test(tc, test_still_being_written);
		tcase_add_loop_test(tc, test_changed_before_labels_and_paths, 0, 2);
		tcase_add_loop_test(tc, test_no_pass_unchecked, 0, 3);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	return tu_run(suite());
}
