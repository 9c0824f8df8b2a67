/*
 * cmd-waste.c - `heapscan waste`: memory the heap wastes (waste.h), a
 * summary by kind, biggest first, then a table for each kind.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/result.h"
#include "heapscan/waste.h"
#include "cmd.h"

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row: the summary by kind of waste" },
	HS_TOP_OPT,
	{ 0, NULL, NULL, NULL }
};

struct cat {
	const char *name;
	uint64_t count, wasted;
};

static void summary(hs_node *root, const hs_waste *w, uint64_t total)
{
	static const char *const cols[] = { "category", "count", "wasted", "wasted_pct", NULL };
	struct cat c[5] = { { "duplicate strings", w->dup_strings, w->dup_wasted }, { "empty collections", 0, 0 },
			    { "sparse collections", 0, 0 }, { "boxed primitives", 0, 0 }, { "zero arrays", 0, 0 } };
	uint64_t all = 0;
	uint32_t i, k;
	hs_node *t;
	for (i = 0; i < w->ncolls; i++) {
		c[w->colls[i].empty ? 1 : 2].count += w->colls[i].count;
		c[w->colls[i].empty ? 1 : 2].wasted += w->colls[i].wasted;
	}
	for (i = 0; i < w->nboxed; i++)
		c[3].count += w->boxed[i].count, c[3].wasted += w->boxed[i].wasted;
	for (i = 0; i < w->nzeros; i++)
		c[4].count += w->zeros[i].count, c[4].wasted += w->zeros[i].wasted;
	for (i = 1; i < 5; i++)   /* biggest first (insertion sort, stable) */
		for (k = i; k > 0 && c[k - 1].wasted < c[k].wasted; k--) {
			struct cat x = c[k];
			c[k] = c[k - 1];
			c[k - 1] = x;
		}
	t = hs_res_table(root, "waste", cols);
	for (i = 0; i < 5; i++) {
		hs_node *row = hs_res_row(t);
		hs_res_str(row, "category", c[i].name);
		hs_res_u64(row, "count", c[i].count);
		hs_res_u64(row, "wasted", c[i].wasted);
		hs_res_pct(row, "wasted_pct", c[i].wasted, total);
		all += c[i].wasted;
	}
	hs_res_u64(root, "wasted_total", all);
	hs_res_pct(root, "wasted_pct", all, total);
}

static void details(hs_node *root, const hs_waste *w, uint64_t total, uint32_t top)
{
	static const char *const dcols[] = { "wasted_pct", "wasted", "count", "value", "holders", NULL };
	static const char *const ccols[] = { "wasted_pct", "wasted", "count", "empty", "size", "capacity", "class", NULL };
	static const char *const rcols[] = { "wasted_pct", "wasted", "count", "class", NULL };
	const hs_waste_row *rows[2] = { w->boxed, w->zeros };
	uint32_t nrows[2] = { w->nboxed, w->nzeros }, i, k;
	hs_node *t = hs_res_table(root, "duplicate_strings", dcols);
	for (i = 0; i < w->ndups && i < top; i++) {
		hs_node *row = hs_res_row(t);
		hs_res_pct(row, "wasted_pct", w->dups[i].wasted, total);
		hs_res_u64(row, "wasted", w->dups[i].wasted);
		hs_res_u64(row, "count", w->dups[i].count);
		hs_res_str(row, "value", w->dups[i].value);
		hs_res_str(row, "holders", w->dups[i].holders);
	}
	t = hs_res_table(root, "collections", ccols);
	for (i = 0; i < w->ncolls && i < top; i++) {
		hs_node *row = hs_res_row(t);
		hs_res_pct(row, "wasted_pct", w->colls[i].wasted, total);
		hs_res_u64(row, "wasted", w->colls[i].wasted);
		hs_res_u64(row, "count", w->colls[i].count);
		hs_res_bool(row, "empty", w->colls[i].empty);
		hs_res_u64(row, "size", w->colls[i].entries);
		hs_res_u64(row, "capacity", w->colls[i].capacity);
		hs_res_str(row, "class", w->colls[i].cls);
	}
	for (k = 0; k < 2; k++) {
		t = hs_res_table(root, k ? "zero_arrays" : "boxed", rcols);
		for (i = 0; i < nrows[k] && i < top; i++) {
			hs_node *row = hs_res_row(t);
			hs_res_pct(row, "wasted_pct", rows[k][i].wasted, total);
			hs_res_u64(row, "wasted", rows[k][i].wasted);
			hs_res_u64(row, "count", rows[k][i].count);
			hs_res_str(row, "class", rows[k][i].cls);
		}
	}
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_result *r = NULL;
	hs_waste w;
	uint64_t total;
	int rc;

	memset(&w, 0, sizeof(w));
	if ((rc = hs_cli_open_graph(&d, &g, a, 0, err)) < 0)
		return rc;
	total = hs_graph_get_stats(g)->reachable_bytes;
	if ((rc = hs_waste_find(&w, g, err)) == 0) {
		r = hs_res_new("waste");
		hs_cli_graph_result(hs_res_root(r), d, g);
		summary(hs_res_root(r), &w, total);
		details(hs_res_root(r), &w, total, hs_cli_top(a));
	}
	if (rc == 0)
		rc = hs_cli_render_graph(r, a, a->set[HS_OPT_CSV] ? "waste" : NULL, d, g, err);
	hs_res_free(r);
	hs_waste_release(&w);
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

const struct hs_cmd hs_cmd_waste = {
	.name = "waste",
	.summary = "duplicate Strings, empty and sparse collections, boxed primitives, zero arrays",
	.usage = "[options] [DUMP]",
	.description = "Memory the heap holds for nothing, by kind, biggest first, as a share of the\n"
		       "reachable heap; then the duplicated String values, the collections by class,\n"
		       "the boxed primitives and the mostly-zero arrays (the manual defines each figure).",
	.opts = opts,
	.run = run,
};
