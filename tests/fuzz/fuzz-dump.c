/*
 * fuzz-dump.c - fuzz target: a dump through the whole analysis.
 *
 * The input is a dump file (plain, gzip or zstd).  It is opened, its graph
 * built (dominators, retained sizes), then everything the commands do
 * with it runs: histograms, the dominator tree, leak suspects, labels of
 * every object, paths to a few objects with their descriptions, field
 * values, retained sizes by class, package and loader, a summary written
 * as a snapshot and read back (which must give the same numbers), a diff
 * and rules.  Options vary with the input's length (graph arrays in
 * files, a read-ahead thread, weak references left out, unreachable
 * objects kept), so that one input always takes the same way.
 *
 * Invariants checked besides the sanitizers: documented error codes with
 * messages (fuzz.h); never HS_ECHANGED, since the file does not change;
 * the virtual root retains the reachable heap, no group more than it,
 * and groups' shallow sizes add up to at most it; the snapshot round
 * trip.
 *
 * HS_FUZZ_STATS=1 prints at exit how many of the mutants of the custom
 * mutator (fuzz-dump-mutator.c) got past hs_dump_open() and
 * hs_graph_build(), by mutation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/analysis.h"
#include "heapscan/diff.h"
#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "heapscan/paths.h"
#include "heapscan/retained.h"
#include "heapscan/summary.h"
#include "heapscan/suspects.h"
#include "fuzz.h"

/* Labels of at most this many nodes, paths to at most this many. */
#define MAX_LABELS 65536u
#define MAX_PATHS 8u
#define PATH_LEN 64u

/* Set by the custom mutator: the input to run is its mutant, made by
 * this mutation. */
int hs_fuzz_mutant;
const char *hs_fuzz_mutation;

static struct stat_row {
	const char *op;
	uint64_t runs, opened, built;
} stats[128];
static int stats_on;

static struct stat_row *stat_row(const char *op)
{
	int i;
	for (i = 1; i < 128 && stats[i].op && strcmp(stats[i].op, op); i++)
		;
	if (i == 128)
		return &stats[0];
	stats[i].op = op;
	return &stats[i];
}

static void print_stats(void)
{
	const struct stat_row *t = &stats[0];
	int i;
	if (!t->runs)
		return;
	fprintf(stderr, "heapscan fuzz: %llu mutants, %llu (%.1f%%) past hs_dump_open, %llu (%.1f%%) past hs_graph_build\n",
		(unsigned long long)t->runs, (unsigned long long)t->opened, 100.0 * t->opened / t->runs,
		(unsigned long long)t->built, 100.0 * t->built / t->runs);
	for (i = 1; i < 128 && stats[i].op; i++)
		fprintf(stderr, "  %-22s %8llu mutants, %5.1f%% opened, %5.1f%% graph built\n", stats[i].op,
			(unsigned long long)stats[i].runs, 100.0 * stats[i].opened / stats[i].runs,
			100.0 * stats[i].built / stats[i].runs);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	stats_on = getenv("HS_FUZZ_STATS") && strcmp(getenv("HS_FUZZ_STATS"), "0");
	stats[0].op = "all";
	if (stats_on)
		atexit(print_stats);
	hs_fuzz_dir();
	return 0;
}

static void check(int rc, const hs_error *err, const char *call)
{
	hs_fuzz_check(rc, err, call);
	if (rc == HS_ECHANGED)
		hs_fuzz_fail("%s: HS_ECHANGED on a file that did not change: %s", call, err->msg);
}

static void histograms(hs_dump *d, hs_graph *g)
{
	hs_histogram h;
	hs_hist_opts ho;
	hs_error err;
	int rc;
	memset(&ho, 0, sizeof(ho));
	ho.sort = HS_SORT_NAME;
	ho.include_empty = 1;
	hs_error_clear(&err);
	rc = hs_histogram_build(&h, d, &ho, &err);
	check(rc, &err, "hs_histogram_build");
	if (rc == 0)
		hs_histogram_release(&h);
	if (!g)
		return;
	ho.sort = HS_SORT_BYTES;
	ho.include_empty = 0;
	ho.top = 5;
	ho.match = "java|\\$";
	rc = hs_histogram_build_live(&h, d, g, &ho, &err);
	check(rc, &err, "hs_histogram_build_live");
	if (rc == 0)
		hs_histogram_release(&h);
}

/* Labels of every node (up to MAX_LABELS), read back as the commands do. */
static void labels(hs_graph *g, uint32_t *nodes, uint32_t n)
{
	hs_error err;
	uint32_t i;
	int rc;
	hs_error_clear(&err);
	rc = hs_graph_fetch_labels(g, nodes, n, &err);
	check(rc, &err, "hs_graph_fetch_labels");
	if (rc < 0)
		return;
	for (i = 0; i < n; i++) {
		const char *l = hs_graph_label(g, nodes[i]);
		char *s;
		if (l && strlen(l) > (1u << 20))
			hs_fuzz_fail("a label of %zu bytes", strlen(l));
		(void)hs_graph_class_name(g, nodes[i]);
		s = hs_graph_string_dup(g, nodes[i]);
		free(s);
		s = hs_graph_thread_name_dup(g, nodes[i]);
		free(s);
		(void)hs_graph_thread_name(g, nodes[i]);
	}
}

/* Paths from the roots to some of the nodes, described. */
static void paths(hs_graph *g, const uint32_t *targets, uint32_t nt)
{
	uint32_t *parent = NULL, path[PATH_LEN], i;
	hs_error err;
	int rc;
	hs_error_clear(&err);
	rc = hs_paths_bfs(g, &parent, &err);
	check(rc, &err, "hs_paths_bfs");
	if (rc < 0)
		return;
	for (i = 0; i < nt; i++) {
		uint32_t len = hs_paths_to(parent, targets[i], path, PATH_LEN);
		char *via[PATH_LEN];
		if (len > PATH_LEN)
			hs_fuzz_fail("hs_paths_to gave %u nodes, at most %u asked", len, PATH_LEN);
		if (!len)
			continue;
		rc = hs_paths_describe(g, path, len, via, &err);
		check(rc, &err, "hs_paths_describe");
		if (rc == 0)
			hs_paths_free_via(via, len);
	}
	hs_paths_free(g, parent);
}

static void fields(hs_graph *g, const uint32_t *nodes, uint32_t n)
{
	static const char *const names[] = { "name", "value", "referent", "table", "size" };
	uint64_t values[MAX_PATHS];
	char *text[MAX_PATHS];
	hs_error err;
	uint32_t k, i;
	int rc;
	hs_error_clear(&err);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		rc = hs_paths_field_values(g, nodes, n, names[k], values, &err);
		check(rc, &err, "hs_paths_field_values");
		memset(text, 0, sizeof(text));
		rc = hs_paths_string_fields(g, nodes, n, names[k], text, &err);
		check(rc, &err, "hs_paths_string_fields");
		for (i = 0; i < n; i++)
			free(text[i]);
	}
}

/* Retained sizes by class, package and class loader (top-retained). */
static void groups(hs_dump *d, hs_graph *g)
{
	static const enum hs_group_kind kinds[] = { HS_GROUP_CLASS, HS_GROUP_PACKAGE, HS_GROUP_LOADER };
	uint64_t total;
	hs_error err;
	size_t k;
	hs_error_clear(&err);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		hs_groups gr;
		hs_group_sum *sum;
		uint32_t i;
		int rc = hs_groups_make(&gr, d, g, kinds[k], &err);
		check(rc, &err, "hs_groups_make");
		if (rc < 0)
			continue;
		sum = calloc(gr.n + 1, sizeof(*sum));
		if (!sum)
			hs_fuzz_fail("out of memory");
		rc = hs_retained_by_group(g, gr.of_class, gr.n, gr.class_objects, sum, &err);
		check(rc, &err, "hs_retained_by_group");
		for (i = 0, total = 0; rc == 0 && i < gr.n; i++) {
			if (sum[i].retained > hs_graph_get_stats(g)->reachable_bytes)
				hs_fuzz_fail("group '%s' retains %llu bytes of a heap of %llu", gr.names[i],
					     (unsigned long long)sum[i].retained,
					     (unsigned long long)hs_graph_get_stats(g)->reachable_bytes);
			total += sum[i].shallow;
		}
		if (rc == 0 && total > hs_graph_get_stats(g)->reachable_bytes)
			hs_fuzz_fail("the groups' shallow sizes add up to %llu bytes, the heap has %llu",
				     (unsigned long long)total,
				     (unsigned long long)hs_graph_get_stats(g)->reachable_bytes);
		free(sum);
		hs_groups_release(&gr);
	}
}

static void summary(hs_dump *d, hs_graph *g)
{
	static const char *const patterns[] = { "*", "java.lang.*", "*[]", "Node", "java.util.HashMap*" };
	hs_summary s, back;
	hs_diff df;
	hs_error err;
	int rc;
	hs_error_clear(&err);
	rc = hs_summary_build(&s, d, g, "fuzz", patterns, sizeof(patterns) / sizeof(patterns[0]), &err);
	check(rc, &err, "hs_summary_build");
	if (rc < 0)
		return;
	hs_fuzz_roundtrip(&s, &back);
	rc = hs_diff_compute(&df, &back, &s, &err);
	check(rc, &err, "hs_diff_compute");
	if (rc == 0)
		hs_diff_release(&df);
	hs_fuzz_rules(&s, &back);
	hs_fuzz_rules(&back, &s);
	hs_summary_release(&back);
	hs_summary_release(&s);
}

static void analyse(hs_dump *d, hs_graph *g, size_t size)
{
	const hs_graph_stats *st = hs_graph_get_stats(g);
	uint32_t n = hs_graph_nodes(g), nl = n < MAX_LABELS ? n : MAX_LABELS, *nodes, targets[MAX_PATHS];
	uint32_t nt = 0, cnt = 0, i;
	const uint32_t *top;
	hs_suspects sus;
	hs_suspect_opts so = { size % 2 ? 1.0 : 10.0, size % 3 ? 1000 : 2 };
	hs_error err;
	int rc;

	if (!n || n != st->nodes)
		hs_fuzz_fail("a graph of %u nodes says %u", n, st->nodes);
	if (hs_graph_retained(g, 0) != st->reachable_bytes)
		hs_fuzz_fail("the root retains %llu bytes, the reachable heap is %llu",
			     (unsigned long long)hs_graph_retained(g, 0), (unsigned long long)st->reachable_bytes);
	hs_error_clear(&err);
	top = hs_graph_dom_children(g, 0, &cnt, &err);
	if (!top)
		hs_fuzz_check(err.code, &err, "hs_graph_dom_children");
	for (i = 0; top && i < cnt && nt < MAX_PATHS / 2; i++)
		targets[nt++] = top[i];
	for (i = 1; top && i < cnt; i++)
		if (hs_graph_retained(g, top[i]) > hs_graph_retained(g, top[i - 1]))
			hs_fuzz_fail("dominator children out of order");
	if (n > 1)
		targets[nt++] = n - 1;

	rc = hs_suspects_find(&sus, g, &so, &err);
	check(rc, &err, "hs_suspects_find");
	if (rc == 0) {
		for (i = 0; i < sus.n && nt < MAX_PATHS; i++)
			if (sus.items[i].node && sus.items[i].node < n)
				targets[nt++] = sus.items[i].node;
		hs_suspects_release(&sus);
	}

	nodes = malloc(sizeof(uint32_t) * (nl + 1));
	if (!nodes)
		hs_fuzz_fail("out of memory");
	for (i = 0; i < nl; i++)
		nodes[i] = n - 1 - i;   /* the last objects first: classes and the root too */
	labels(g, nodes, nl);
	free(nodes);
	paths(g, targets, nt);
	fields(g, targets, nt);
	histograms(d, g);
	groups(d, g);
	summary(d, g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stat_row *row = NULL;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_open_opts o;
	hs_graph_opts go;
	hs_error err;
	int rc;

	if (stats_on && hs_fuzz_mutant) {
		row = stat_row(hs_fuzz_mutation ? hs_fuzz_mutation : "?");
		row->runs++;
		stats[0].runs++;
	}
	hs_fuzz_mutant = 0;
	if (size > HS_FUZZ_MAX_INPUT)
		return 0;
	memset(&o, 0, sizeof(o));
	memset(&go, 0, sizeof(go));
	o.build_ids = 1;
	if (size % 5 == 1) {
		o.max_memory = 1;   /* every graph array in a file */
		o.tmpdir = hs_fuzz_dir();
	}
	if (size % 7 == 2)
		o.threads = 2;
	go.exclude_weak = size % 3 == 1;
	go.keep_unreachable = size % 4 == 3;

	hs_error_clear(&err);
	rc = hs_dump_open(&d, hs_fuzz_file(0, data, size), &o, &err);
	check(rc, &err, "hs_dump_open");
	if (rc < 0)
		goto out;
	if (row) {
		row->opened++;
		stats[0].opened++;
	}
	rc = hs_graph_build(&g, d, &go, &err);
	check(rc, &err, "hs_graph_build");
	if (rc < 0) {
		histograms(d, NULL);
		goto out;
	}
	if (row) {
		row->built++;
		stats[0].built++;
	}
	analyse(d, g, size);
out:
	hs_graph_free(g);
	hs_dump_free(d);
	return 0;
}
