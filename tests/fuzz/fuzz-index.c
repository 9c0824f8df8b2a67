/*
 * fuzz-index.c - fuzz target: the index reader (src/graph/index.c).
 *
 * The input is an index file.  It is loaded without the checks of its
 * checksums, build and key (hs_index__load_unchecked()), so that the code
 * that decodes the sections and checks what they say meets whatever the
 * fuzzer makes of them; the dump it names is a file holding only an HPROF
 * header (nothing is read from it here).  An index that loads is then
 * walked as the commands walk a graph: every node's id, class, sizes,
 * dominator, references and label, the dominator tree from the root, the
 * classes, GC roots, threads and their stacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/index.h"
#include "fuzz.h"

static char dump_path[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const unsigned char hdr[31] = "JAVA PROFILE 1.0.2";
	FILE *f;
	(void)argc;
	(void)argv;
	snprintf(dump_path, sizeof(dump_path), "%s/index-dump.hprof", hs_fuzz_dir());
	f = fopen(dump_path, "wb");
	if (!f)
		hs_fuzz_fail("cannot write %s", dump_path);
	fwrite(hdr, 1, sizeof(hdr), f);   /* id size 0 and time 0: never read */
	fclose(f);
	return 0;
}

static void walk(hs_dump *d, hs_graph *g)
{
	uint32_t n = hs_graph_nodes(g), v, i, cnt, nt;
	uint64_t sum = 0, nr, k;
	const hs_root *roots;
	const hs_thread_info *th;
	hs_error err;

	for (i = 0; i < hs_dump_class_count(d); i++) {
		const hs_class *c = hs_dump_class(d, i);
		sum += strlen(c->name) + c->nfields + c->nstatics;
		if (c->super != HS_NONE && c->super >= hs_dump_class_count(d))
			hs_fuzz_fail("class %u: superclass %u of %u", i, c->super, hs_dump_class_count(d));
		if (c->nfields)
			sum += c->fields[c->nfields - 1].type;
		if (c->nstatics)
			sum += c->statics[c->nstatics - 1].type;
	}
	roots = hs_dump_roots(d, &nr);
	for (k = 0; k < nr; k++)
		sum += roots[k].kind + hs_graph_node(g, roots[k].id);
	th = hs_dump_threads(d, &nt);
	for (i = 0; i < nt; i++) {
		uint32_t nf, j;
		const uint64_t *fr = hs_dump_trace(d, th[i].trace_serial, &nf);
		for (j = 0; fr && j < nf; j++)
			sum += hs_dump_frame(d, fr[j]) != NULL;
	}
	if (hs_graph_refs(g, &err) < 0)
		hs_fuzz_check(err.code, &err, "hs_graph_refs");
	for (v = 0; v < n; v++) {
		const uint32_t *o = hs_graph_out(g, v, &cnt);
		const char *l = hs_graph_label(g, v);
		uint32_t c = hs_graph_class(g, v), id = hs_graph_idom(g, v);
		for (i = 0; i < cnt; i++)
			if (o[i] >= n)
				hs_fuzz_fail("node %u: reference to %u of %u", v, o[i], n);
		if (c != HS_NONE && (c & ~HS_CLASS_OBJECT_BIT) >= hs_dump_class_count(d))
			hs_fuzz_fail("node %u: class %u of %u", v, c, hs_dump_class_count(d));
		if (id != HS_NONE && id >= n)
			hs_fuzz_fail("node %u: dominator %u of %u", v, id, n);
		sum += hs_graph_id(g, v) + hs_graph_shallow(g, v) + hs_graph_retained(g, v) +
		       hs_graph_retained_count(g, v) + hs_graph_class_ref(g, v) + hs_graph_referent(g, v) +
		       strlen(hs_graph_class_name(g, v)) + (l ? strlen(l) : 0);
		if (hs_graph_thread_name(g, v))
			sum += strlen(hs_graph_thread_name(g, v));
	}
	{
		/* the walk of the tree by class (each class key a set of its
		 * own), split between threads; then the class totals */
		uint32_t nk = 2 * hs_dump_class_count(d), k, *off = malloc(sizeof(uint32_t) * ((size_t)nk + 2));
		uint64_t *ret = malloc(sizeof(uint64_t) * ((size_t)nk + 1)), *o2 = malloc(sizeof(uint64_t) * ((size_t)nk + 1));
		uint64_t *sh = malloc(sizeof(uint64_t) * ((size_t)nk + 1));
		if (off && ret && o2 && sh) {
			for (k = 0; k <= nk; k++)
				off[k] = k;
			if (hs_graph_retained_by_key_sets(g, off, off, nk, ret, &err) < 0)
				hs_fuzz_check(err.code, &err, "hs_graph_retained_by_key_sets");
			else
				for (k = 0; k < nk; k++)
					sum += ret[k];
			if (hs_graph_class_totals(g, o2, sh, &err) < 0)
				hs_fuzz_check(err.code, &err, "hs_graph_class_totals");
		}
		free(off);
		free(ret);
		free(o2);
		free(sh);
	}
	{
		/* learned numbers: any key, any count, read or not */
		uint32_t key[2] = { 3, (uint32_t)sum };
		uint64_t vals[6];
		sum += (uint64_t)hs_graph_learned(g, key, 2, vals, 6);
	}
	if (sum == 42)   /* keep the walk */
		fputc(' ', stderr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;
	hs_dump *d;
	hs_graph *g;
	hs_open_opts o;
	hs_error err;
	int rc, why;

	if (size > HS_FUZZ_MAX_INPUT)
		return 0;
	path = hs_fuzz_file(0, data, size);
	memset(&o, 0, sizeof(o));
	o.build_ids = 1;
	o.threads = 1 + (unsigned)(size & 1);   /* the arrays read on one thread and on two */
	hs_error_clear(&err);
	rc = hs_index__load_unchecked(&d, &g, path, dump_path, &o, &why, &err);
	if (rc < 0) {
		hs_fuzz_check(rc, &err, "hs_index__load_unchecked");
		return 0;
	}
	if (rc == 1) {
		walk(d, g);
		hs_graph_free(g);
		hs_dump_free(d);
	}
	return 0;
}
