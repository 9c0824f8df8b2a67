/*
 * check_index.c - the index of a dump (index.h) gives back exactly the
 * dump and graph it was written from, and a damaged index is a miss.
 *
 * For real dumps of the samples (plain from zstd and gzip files, 174,000
 * objects and more, so that each big section spans many compressed
 * blocks), for the default graph and those of exclude_weak and
 * keep_unreachable: the dump is opened and its graph built, labels of
 * some objects fetched, the index written and loaded back, and every
 * object's id, class, size, references, class reference, dominator,
 * retained size and count, label and thread name, every class (name,
 * sizes, counts, fields, statics), GC root, thread and the dump's figures
 * are compared with the originals.  Then the index's bytes are changed one
 * at a time at random places and cut at random lengths: each load must be
 * a miss (HS_INDEX_CORRUPT), never a crash (the sanitizer build runs this).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/index.h"
#include "unit.h"

static char ipath[512], tmp_dump[512];

static const char *sample(const char *name)
{
	static char p[512];
	const char *s = getenv("SAMPLES");
	snprintf(p, sizeof(p), "%s/%s", s ? s : "samples", name);
	return p;
}

static void same_dump(const hs_dump *a, const hs_dump *b)
{
	const hs_dump_info *x = hs_dump_get_info(a), *y = hs_dump_get_info(b);
	uint32_t i, j, n1, n2;
	uint64_t r1, r2, k;
	const hs_root *ra, *rb;
	const hs_thread_info *ta, *tb;

	ck_assert_str_eq(x->version, y->version);
	ck_assert_uint_eq(x->idsize, y->idsize);
	ck_assert_uint_eq(x->bytes, y->bytes);
	ck_assert_uint_eq(x->file_size, y->file_size);
	ck_assert_uint_eq(x->heap_dumps, y->heap_dumps);
	ck_assert_uint_eq(x->nclasses, y->nclasses);
	ck_assert_uint_eq(x->instances, y->instances);
	ck_assert_uint_eq(x->obj_arrays, y->obj_arrays);
	ck_assert_uint_eq(x->prim_arrays, y->prim_arrays);
	ck_assert_uint_eq(x->roots, y->roots);
	ck_assert_uint_eq(x->threads, y->threads);
	ck_assert_uint_eq(x->shallow_total, y->shallow_total);
	ck_assert_uint_eq(x->class_shallow_total, y->class_shallow_total);
	ck_assert_int_eq(memcmp(x->records, y->records, sizeof(x->records)), 0);
	ck_assert_int_eq(memcmp(x->subrecords, y->subrecords, sizeof(x->subrecords)), 0);
	ck_assert_int_eq(memcmp(x->roots_by_kind, y->roots_by_kind, sizeof(x->roots_by_kind)), 0);
	ck_assert_str_eq(x->layout.name, y->layout.name);
	ck_assert_uint_eq(x->layout.header, y->layout.header);
	ck_assert_uint_eq(x->layout.ref, y->layout.ref);
	ck_assert_uint_eq(x->layout.align, y->layout.align);
	ck_assert_uint_eq(x->layout.array_header, y->layout.array_header);
	ck_assert_int_eq(x->truncated, y->truncated);

	ck_assert_uint_eq(hs_dump_class_count(a), hs_dump_class_count(b));
	for (i = 0; i < hs_dump_class_count(a); i++) {
		const hs_class *c = hs_dump_class(a, i), *d = hs_dump_class(b, i);
		ck_assert_str_eq(c->name, d->name);
		ck_assert_uint_eq(c->id, d->id);
		ck_assert_uint_eq(c->super, d->super);
		ck_assert_uint_eq(c->loader_id, d->loader_id);
		ck_assert_uint_eq(c->kind, d->kind);
		ck_assert_uint_eq(c->elem_type, d->elem_type);
		ck_assert_uint_eq(c->is_reference, d->is_reference);
		ck_assert_uint_eq(c->inst_size, d->inst_size);
		ck_assert_uint_eq(c->mirror_size, d->mirror_size);
		ck_assert_uint_eq(c->dump_size, d->dump_size);
		ck_assert_uint_eq(c->instances, d->instances);
		ck_assert_uint_eq(c->shallow, d->shallow);
		ck_assert_uint_eq(c->nfields, d->nfields);
		ck_assert_uint_eq(c->nstatics, d->nstatics);
		for (j = 0; j < c->nfields; j++) {
			ck_assert_uint_eq(c->fields[j].name_id, d->fields[j].name_id);
			ck_assert_uint_eq(c->fields[j].type, d->fields[j].type);
		}
		for (j = 0; j < c->nstatics; j++) {
			ck_assert_uint_eq(c->statics[j].name_id, d->statics[j].name_id);
			ck_assert_uint_eq(c->statics[j].value, d->statics[j].value);
		}
		if (c->nfields)
			ck_assert_str_eq(hs_dump_string(a, c->fields[0].name_id), hs_dump_string(b, d->fields[0].name_id));
		ck_assert_uint_eq(hs_dump_class_by_id(b, c->id), hs_dump_class_by_id(a, c->id));
	}
	ra = hs_dump_roots(a, &r1);
	rb = hs_dump_roots(b, &r2);
	ck_assert_uint_eq(r1, r2);
	for (k = 0; k < r1; k++) {
		ck_assert_uint_eq(ra[k].kind, rb[k].kind);
		ck_assert_uint_eq(ra[k].id, rb[k].id);
		ck_assert_uint_eq(ra[k].thread_serial, rb[k].thread_serial);
		ck_assert_uint_eq(ra[k].frame, rb[k].frame);
	}
	ta = hs_dump_threads(a, &n1);
	tb = hs_dump_threads(b, &n2);
	ck_assert_uint_eq(n1, n2);
	for (i = 0; i < n1; i++) {
		uint32_t f1, f2;
		const uint64_t *s1, *s2;
		ck_assert_uint_eq(ta[i].object_id, tb[i].object_id);
		ck_assert_uint_eq(ta[i].serial, tb[i].serial);
		s1 = hs_dump_trace(a, ta[i].trace_serial, &f1);
		s2 = hs_dump_trace(b, tb[i].trace_serial, &f2);
		ck_assert_uint_eq(f1, f2);
		for (j = 0; j < f1; j++) {
			const hs_frame *fa = hs_dump_frame(a, s1[j]), *fb = hs_dump_frame(b, s2[j]);
			ck_assert_uint_eq(s1[j], s2[j]);
			ck_assert_int_eq(fa == NULL, fb == NULL);
			if (fa) {
				ck_assert_uint_eq(fa->method_name_id, fb->method_name_id);
				ck_assert_int_eq(fa->line, fb->line);
			}
		}
	}
}

static void same_graph(hs_graph *g, hs_graph *h)
{
	const hs_graph_stats *x = hs_graph_get_stats(g), *y = hs_graph_get_stats(h);
	uint32_t n = hs_graph_nodes(g), v, i;
	hs_error err;

	ck_assert_uint_eq(n, hs_graph_nodes(h));
	ck_assert_uint_eq(x->edges, y->edges);
	ck_assert_uint_eq(x->reachable, y->reachable);
	ck_assert_uint_eq(x->reachable_bytes, y->reachable_bytes);
	ck_assert_uint_eq(x->unreachable, y->unreachable);
	ck_assert_uint_eq(x->unreachable_bytes, y->unreachable_bytes);
	ck_assert_uint_eq(x->unreachable_kept, y->unreachable_kept);
	ck_assert_int_eq(hs_graph_refs(h, &err), 0);
	for (v = 0; v < n; v++) {
		uint32_t c1, c2;
		const uint32_t *o1 = hs_graph_out(g, v, &c1), *o2 = hs_graph_out(h, v, &c2);
		const char *l1 = hs_graph_label(g, v), *l2 = hs_graph_label(h, v);
		ck_assert_uint_eq(hs_graph_id(g, v), hs_graph_id(h, v));
		ck_assert_uint_eq(hs_graph_node(h, hs_graph_id(g, v)), v);
		ck_assert_uint_eq(hs_graph_class(g, v), hs_graph_class(h, v));
		ck_assert_uint_eq(hs_graph_shallow(g, v), hs_graph_shallow(h, v));
		ck_assert_uint_eq(hs_graph_class_ref(g, v), hs_graph_class_ref(h, v));
		ck_assert_uint_eq(hs_graph_idom(g, v), hs_graph_idom(h, v));
		ck_assert_uint_eq(hs_graph_retained(g, v), hs_graph_retained(h, v));
		ck_assert_uint_eq(hs_graph_retained_count(g, v), hs_graph_retained_count(h, v));
		ck_assert_uint_eq(c1, c2);
		for (i = 0; i < c1; i++)
			ck_assert_uint_eq(o1[i], o2[i]);
		ck_assert_int_eq(l1 == NULL, l2 == NULL);
		if (l1)
			ck_assert_str_eq(l1, l2);
	}
}

/* a graph and its dump freed */
static void drop(hs_graph *g, hs_dump *d)
{
	hs_graph_free(g);
	hs_dump_free(d);
}

/* Open the dump, build, label some objects, write the index. */
static void build(const char *dump, const hs_graph_opts *go, hs_dump **d, hs_graph **g, uint64_t *bytes)
{
	hs_open_opts o;
	hs_error err;
	uint32_t nodes[64], i, n;
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	ck_assert_msg(hs_dump_open(d, dump, &o, &err) == 0, "open %s: %s", dump, err.msg);
	ck_assert_msg(hs_graph_build(g, *d, go, &err) == 0, "graph: %s", err.msg);
	n = hs_graph_nodes(*g);
	for (i = 0; i < 64; i++)
		nodes[i] = (uint32_t)(((uint64_t)i * 2654435761u) % n);
	ck_assert_int_eq(hs_graph_fetch_labels(*g, nodes, 64, &err), 0);
	snprintf(ipath, sizeof(ipath), "%s/heapscan-check-index-%ld.hsidx",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	ck_assert_msg(hs_index_write(*d, *g, ipath, 100, bytes, &err) == 0, "write: %s", err.msg);
}

static void roundtrip(const char *name, int exclude_weak, int keep_unreachable)
{
	hs_dump *d, *d2;
	hs_graph *g, *g2;
	hs_graph_opts go;
	hs_open_opts o;
	hs_error err;
	uint64_t bytes;
	int why;
	struct stat st;

	memset(&go, 0, sizeof(go));
	go.exclude_weak = exclude_weak;
	go.keep_unreachable = keep_unreachable;
	build(sample(name), &go, &d, &g, &bytes);
	ck_assert_int_eq(stat(ipath, &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, bytes);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, sample(name), &o, &go, &why, &err), 1);
	same_dump(d, d2);
	same_graph(g, g2);
	hs_graph_free(g2);
	hs_dump_free(d2);
	/* another graph's options: not this index */
	go.exclude_weak = !exclude_weak;
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, sample(name), &o, &go, &why, &err), 0);
	ck_assert_int_eq(why, HS_INDEX_NONE);
	hs_graph_free(g);
	hs_dump_free(d);
	unlink(ipath);
}

START_TEST(test_index_roundtrip)
{
	static const char *const names[] = { "threadlocal-leak.hprof.zst", "shared-sessions.hprof.zst",
					     "basic-gz.hprof.gz", "classloader-leak.hprof.zst" };
	roundtrip(names[_i % 4], _i / 4 == 1, _i / 4 == 2);
}
END_TEST

static unsigned char *slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	unsigned char *b;
	long len;
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	b = malloc((size_t)len);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(fread(b, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return b;
}

static void put(const char *p, const unsigned char *b, size_t n)
{
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	fclose(f);
}

START_TEST(test_index_damaged)
{
	hs_dump *d, *d2;
	hs_graph *g, *g2;
	hs_open_opts o;
	hs_error err;
	uint64_t bytes;
	unsigned char *b;
	size_t n, k;
	int why, rc;
	uint32_t seed = 12345;

	/* a plain dump: the key hashes its first and last MiB */
	build(sample("threadlocal-leak.hprof.zst"), NULL, &d, &g, &bytes);
	b = slurp(ipath, &n);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	for (k = 0; k < 160; k++) {
		unsigned char *c = malloc(n);
		size_t at;
		memcpy(c, b, n);
		seed = seed * 1103515245u + 12345u;
		/* the first 300 bytes (header, key, table) often, the rest
		 * anywhere */
		at = k < 40 ? (seed >> 8) % 300 : (size_t)((seed >> 4) % n);
		c[at] ^= (unsigned char)(1u << (k % 8));
		put(ipath, c, n);
		free(c);
		rc = hs_index_load(&d2, &g2, ipath, sample("threadlocal-leak.hprof.zst"), &o, NULL, &why, &err);
		ck_assert_msg(rc == 0, "byte %zu changed: loaded (%d)", at, rc);
		ck_assert_msg(why == HS_INDEX_CORRUPT || why == HS_INDEX_OTHER_BUILD || why == HS_INDEX_NONE ||
			      why == HS_INDEX_STALE, "byte %zu: why %d", at, why);
	}
	for (k = 0; k < 40; k++) {
		size_t len;
		seed = seed * 1103515245u + 12345u;
		len = k == 0 ? 0 : (size_t)((seed >> 4) % n);
		put(ipath, b, len);
		rc = hs_index_load(&d2, &g2, ipath, sample("threadlocal-leak.hprof.zst"), &o, NULL, &why, &err);
		ck_assert_msg(rc == 0 && why == HS_INDEX_CORRUPT, "cut at %zu: %d, why %d", len, rc, why);
	}
	/* and whole again: loads */
	put(ipath, b, n);
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, sample("threadlocal-leak.hprof.zst"), &o, NULL, &why, &err), 1);
	hs_graph_free(g2);
	hs_dump_free(d2);
	free(b);
	hs_graph_free(g);
	hs_dump_free(d);
	unlink(ipath);
}
END_TEST

/* The dump changed after the index was written: a miss, "stale". */
START_TEST(test_index_stale)
{
	hs_dump *d, *d2;
	hs_graph *g, *g2;
	hs_open_opts o;
	hs_error err;
	uint64_t bytes;
	unsigned char *b;
	size_t n;
	int why;

	snprintf(tmp_dump, sizeof(tmp_dump), "%s/heapscan-check-index-%ld.hprof.gz",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	b = slurp(sample("basic-gz.hprof.gz"), &n);
	put(tmp_dump, b, n);
	build(tmp_dump, NULL, &d, &g, &bytes);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, tmp_dump, &o, NULL, &why, &err), 1);
	hs_graph_free(g2);
	hs_dump_free(d2);
	sleep(0);
	b[n - 5] ^= 1;   /* inside the gzip trailer's size: same length */
	put(tmp_dump, b, n);
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, tmp_dump, &o, NULL, &why, &err), 0);
	ck_assert_int_eq(why, HS_INDEX_STALE);
	free(b);
	hs_graph_free(g);
	hs_dump_free(d);
	unlink(ipath);
	unlink(tmp_dump);
}
END_TEST

/* Numbers learned under a key (hs_graph_learn()) are in the index the
 * command leaves, read back under that exact key and no other; more keys
 * than an index keeps are not learned, and nothing breaks. */
START_TEST(test_index_learned)
{
	hs_dump *d, *d2;
	hs_graph *g, *g2;
	hs_open_opts o;
	hs_error err;
	uint64_t bytes, vals[4], got[4];
	uint32_t key[3] = { 7, 1, 3 }, other[3] = { 7, 1, 4 }, k;
	int why;

	build(sample("basic-gz.hprof.gz"), NULL, &d, &g, &bytes);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, sample("basic-gz.hprof.gz"), &o, NULL, &why, &err), 1);
	ck_assert_int_eq(hs_graph_learned(g2, key, 3, got, 4), 0);
	for (k = 0; k < HS_GRAPH_LEARN_MAX + 2; k++) {
		vals[0] = k;
		vals[1] = 1;
		vals[2] = UINT64_MAX;
		vals[3] = 1000000007ull * k;
		key[2] = 3 + k;
		hs_graph_learn(g2, key, 3, vals, 4);
		hs_graph_learn(g2, key, 3, vals, 4);   /* once is enough */
	}
	ck_assert_int_eq(hs_index_update(g2, &bytes, &err), 1);
	hs_graph_free(g2);
	hs_dump_free(d2);
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, sample("basic-gz.hprof.gz"), &o, NULL, &why, &err), 1);
	for (k = 0; k < HS_GRAPH_LEARN_MAX + 2; k++) {
		key[2] = 3 + k;
		memset(got, 0, sizeof(got));
		if (k >= HS_GRAPH_LEARN_MAX) {
			ck_assert_int_eq(hs_graph_learned(g2, key, 3, got, 4), 0);
			continue;
		}
		ck_assert_int_eq(hs_graph_learned(g2, key, 3, got, 4), 1);
		ck_assert_uint_eq(got[0], k);
		ck_assert_uint_eq(got[1], 1);
		ck_assert_uint_eq(got[2], UINT64_MAX);
		ck_assert_uint_eq(got[3], 1000000007ull * k);
		/* a key that differs, or as long as another's start */
		ck_assert_int_eq(hs_graph_learned(g2, key, 2, got, 4), 0);
		ck_assert_int_eq(hs_graph_learned(g2, key, 3, got, 3), 0);
	}
	other[2] = 3 + HS_GRAPH_LEARN_MAX + 5;
	ck_assert_int_eq(hs_graph_learned(g2, other, 3, got, 4), 0);
	drop(g2, d2);
	drop(g, d);
	unlink(ipath);
}
END_TEST

/* the @p k objects of round @p r of labels fetched (some fetched before
 * again among them) */
static void fetch_round(hs_graph *g, uint32_t r, uint32_t k)
{
	uint32_t *nodes = malloc(sizeof(uint32_t) * k), i, n = hs_graph_nodes(g);
	hs_error err;
	ck_assert_ptr_nonnull(nodes);
	for (i = 0; i < k; i++)
		nodes[i] = (uint32_t)(((uint64_t)k * r + i) * 40503u % n);
	ck_assert_int_eq(hs_graph_fetch_labels(g, nodes, k, &err), 0);
	free(nodes);
}

/*
 * What a command learns is added at the end of the index it read: the
 * bytes before stay as they were (a command that read the index before
 * reads its sections after), the next load finds the labels and numbers
 * added, and a command that read the index before the update does not
 * update it again (its header is not the file's any more).  Added to
 * again and again, the index is copied afresh once the bytes no section
 * holds grow over a quarter of it, and still reads back the same.
 */
START_TEST(test_index_update_in_place)
{
	const char *name = sample("threadlocal-leak.hprof.zst");
	hs_dump *d, *d2, *d3;
	hs_graph *g, *g2, *g3;
	hs_open_opts o;
	hs_error err;
	uint64_t bytes, b2, vals[2] = { 42, 4242 }, got[2];
	uint32_t key[2] = { 9, 9 }, r;
	unsigned char *before, *after;
	size_t nb, na;
	int why, shrank = 0;

	build(name, NULL, &d, &g, &bytes);
	before = slurp(ipath, &nb);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, name, &o, NULL, &why, &err), 1);
	ck_assert_int_eq(hs_index_load(&d3, &g3, ipath, name, &o, NULL, &why, &err), 1);
	fetch_round(g2, 1, 64);
	fetch_round(g, 1, 64);
	hs_graph_learn(g2, key, 2, vals, 2);
	ck_assert_int_eq(hs_index_update(g2, &b2, &err), 1);
	after = slurp(ipath, &na);
	ck_assert_uint_eq(na, b2);
	ck_assert_uint_gt(na, nb);
	ck_assert_int_eq(memcmp(before + 2048, after + 2048, nb - 2048), 0);
	ck_assert_int_ne(memcmp(before, after, 2048), 0);
	free(before);
	free(after);
	/* read before: all of it still reads back (what it had not read yet,
	 * now), and it leaves the index alone */
	fetch_round(g3, 2, 64);
	ck_assert_int_eq(hs_index_update(g3, &b2, &err), 0);
	hs_graph_free(g3);
	hs_dump_free(d3);
	hs_graph_free(g2);
	hs_dump_free(d2);
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, name, &o, NULL, &why, &err), 1);
	same_graph(g, g2);
	ck_assert_int_eq(hs_graph_learned(g2, key, 2, got, 2), 1);
	ck_assert_uint_eq(got[0], 42);
	ck_assert_uint_eq(got[1], 4242);
	hs_graph_free(g2);
	hs_dump_free(d2);
	/* added to round after round: copied afresh at some point */
	for (r = 1; r < 12 && !shrank; r++) {
		struct stat st0, st1;
		ck_assert_int_eq(stat(ipath, &st0), 0);
		ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, name, &o, NULL, &why, &err), 1);
		fetch_round(g2, r, 8192);
		fetch_round(g, r, 8192);
		ck_assert_int_eq(hs_index_update(g2, &b2, &err), 1);
		ck_assert_int_eq(stat(ipath, &st1), 0);
		ck_assert_uint_eq((uint64_t)st1.st_size, b2);
		if (st1.st_ino != st0.st_ino) {
			shrank++;
			ck_assert_int_lt(st1.st_size, st0.st_size);
		}
		hs_graph_free(g2);
		hs_dump_free(d2);
	}
	ck_assert_int_gt(shrank, 0);
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, name, &o, NULL, &why, &err), 1);
	same_graph(g, g2);
	ck_assert_int_eq(hs_graph_learned(g2, key, 2, got, 2), 1);
	ck_assert_uint_eq(got[1], 4242);
	drop(g2, d2);
	drop(g, d);
	unlink(ipath);
}
END_TEST

/*
 * The writer's thread encodes the dominator tree while the command goes
 * on: the children the command sorts meanwhile are sorted in copies of
 * their own, so the index is byte for byte the one written with nothing
 * sorted meanwhile, and each node's children come sorted by retained
 * size all the same (then, and read back from the index).  In blocks of
 * 64 nodes, so that the writer's thread takes a while.
 */
START_TEST(test_index_frozen_children)
{
	const char *name = sample("threadlocal-leak.hprof.zst");
	char pa[600], pb[600];
	hs_dump *d1, *d2, *d3;
	hs_graph *g1, *g2, *g3;
	hs_open_opts o;
	hs_error err;
	uint64_t bytes;
	unsigned char *a, *b;
	size_t na, nb;
	uint32_t v, i, n, withkids = 0;
	int why;

	setenv("HEAPSCAN_INDEX_BLOCK", "64", 1);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	o.threads = 2;
	snprintf(pa, sizeof(pa), "%s/heapscan-check-frozen-a-%ld.hsidx", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	snprintf(pb, sizeof(pb), "%s/heapscan-check-frozen-b-%ld.hsidx", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	ck_assert_msg(hs_dump_open(&d1, name, &o, &err) == 0, "open: %s", err.msg);
	ck_assert_msg(hs_graph_build(&g1, d1, NULL, &err) == 0, "graph: %s", err.msg);
	ck_assert_msg(hs_index_write_start(d1, g1, pa, 100, &err) == 0, "start: %s", err.msg);
	ck_assert_msg(hs_index_write_wait(g1, &bytes, &err) == 0, "wait: %s", err.msg);
	ck_assert_msg(hs_dump_open(&d2, name, &o, &err) == 0, "open: %s", err.msg);
	ck_assert_msg(hs_graph_build(&g2, d2, NULL, &err) == 0, "graph: %s", err.msg);
	ck_assert_msg(hs_index_write_start(d2, g2, pb, 100, &err) == 0, "start: %s", err.msg);
	/* from the last node down, while the writer's thread encodes from
	 * the first up: they meet on the way */
	n = hs_graph_nodes(g2);
	for (v = n; v-- > 0;) {
		uint32_t c;
		const uint32_t *ch = hs_graph_dom_children(g2, v, &c, &err);
		ck_assert(ch != NULL || c == 0);
		withkids += c > 1;
		for (i = 1; i < c; i++)
			ck_assert_uint_ge(hs_graph_retained(g2, ch[i - 1]), hs_graph_retained(g2, ch[i]));
	}
	ck_assert_uint_gt(withkids, 1000);
	ck_assert_msg(hs_index_write_wait(g2, &bytes, &err) == 0, "wait: %s", err.msg);
	a = slurp(pa, &na);
	b = slurp(pb, &nb);
	ck_assert_uint_eq(na, nb);
	ck_assert_int_eq(memcmp(a, b, na), 0);
	free(a);
	free(b);
	ck_assert_int_eq(hs_index_load(&d3, &g3, pb, name, &o, NULL, &why, &err), 1);
	same_graph(g1, g3);
	for (v = 0; v < n; v++) {
		uint32_t c2, c3;
		const uint32_t *x = hs_graph_dom_children(g2, v, &c2, &err), *y = hs_graph_dom_children(g3, v, &c3, &err);
		ck_assert_uint_eq(c2, c3);
		for (i = 0; i < c2; i++)
			ck_assert_uint_eq(x[i], y[i]);
	}
	hs_graph_free(g3);
	hs_dump_free(d3);
	hs_graph_free(g2);
	hs_dump_free(d2);
	hs_graph_free(g1);
	hs_dump_free(d1);
	unlink(pa);
	unlink(pb);
	unsetenv("HEAPSCAN_INDEX_BLOCK");
}
END_TEST

/* the entries of a folder, but . and .. */
static int entries(const char *dir)
{
	DIR *f = opendir(dir);
	struct dirent *e;
	int n = 0;
	ck_assert_ptr_nonnull(f);
	while ((e = readdir(f)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(f);
	return n;
}

/*
 * An index begun while the dominators are computed (go.index_path, two
 * threads), in blocks of the default size and of 64 nodes: a graph freed
 * before hs_index_write_start() leaves nothing; finished, it holds the
 * same graph, node by node, as the one built.
 */
START_TEST(test_index_early)
{
	const char *name = sample("threadlocal-leak.hprof.zst");
	char dir[] = "/tmp/heapscan-check-early-XXXXXX";
	hs_dump *d, *d2;
	hs_graph *g, *g2;
	hs_graph_opts go, go2;
	hs_open_opts o;
	hs_error err;
	uint64_t bytes;
	int why;
	struct stat st;

	if (_i)
		setenv("HEAPSCAN_INDEX_BLOCK", "64", 1);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(ipath, sizeof(ipath), "%s/early.hsidx", dir);
	memset(&go, 0, sizeof(go));
	memset(&go2, 0, sizeof(go2));
	go.index_path = ipath;
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	o.threads = 2;
	ck_assert_msg(hs_dump_open(&d, name, &o, &err) == 0, "open: %s", err.msg);
	ck_assert_msg(hs_graph_build(&g, d, &go, &err) == 0, "graph: %s", err.msg);
	ck_assert_uint_eq(hs_graph_get_stats(g)->index_early, 1);
	hs_graph_free(g);
	ck_assert_int_eq(entries(dir), 0);
	ck_assert_msg(hs_graph_build(&g, d, &go, &err) == 0, "graph: %s", err.msg);
	ck_assert_uint_eq(hs_graph_get_stats(g)->index_early, 1);
	ck_assert_msg(hs_index_write_start(d, g, ipath, 100, &err) == 0, "start: %s", err.msg);
	ck_assert_msg(hs_index_write_wait(g, &bytes, &err) == 0, "wait: %s", err.msg);
	ck_assert_int_eq(stat(ipath, &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, bytes);
	ck_assert_int_eq(entries(dir), 1);
	ck_assert_int_eq(hs_index_load(&d2, &g2, ipath, name, &o, &go2, &why, &err), 1);
	same_dump(d, d2);
	same_graph(g, g2);
	drop(g2, d2);
	drop(g, d);
	unlink(ipath);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("index");
	TCase *tc = tcase_create("index");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_index_roundtrip, 0, 12);
	tcase_add_test(tc, test_index_damaged);
	tcase_add_test(tc, test_index_stale);
	tcase_add_test(tc, test_index_learned);
	tcase_add_test(tc, test_index_update_in_place);
	tcase_add_test(tc, test_index_frozen_children);
	tcase_add_loop_test(tc, test_index_early, 0, 2);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
