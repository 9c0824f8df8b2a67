/*
 * cmd-histogram.c - `heapscan histogram`: instances and shallow bytes per
 * class, from the scan alone (memory grows with classes, not objects).
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/analysis.h"
#include "heapscan/format.h"
#include "heapscan/graph.h"
#include "heapscan/result.h"
#include "cmd.h"

enum { O_SORT = HS_OPT_CMD, O_LIVE };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: {\"classes\":[{\"class\",\"instances\",\"shallow\"}],...}" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row: class,instances,shallow" },
	{ O_SORT, "sort", "KEY", "sort by bytes (default), count or name", HS_T_ENUM, "bytes|count|name|size" },
	HS_TOP_OPT,
	HS_MATCH_OPT("classes"),
	{ O_LIVE, "live", NULL, "count only objects reachable from GC roots (builds the object graph, like jmap -histo:live)" },
	{ 0, NULL, NULL, NULL }
};

/* The histogram as a result: a table of classes and the totals. */
static hs_result *result(const hs_dump *d, const hs_histogram *h)
{
	static const char *const cols[] = { "class", "instances", "shallow", NULL };
	static const char *const text[] = { "instances", "shallow", "class", NULL };
	hs_result *r = hs_res_new("histogram");
	hs_node *root = hs_res_root(r), *t, *row;
	char buf[64];
	uint32_t i;

	hs_res_str(root, "dump", hs_dump_get_info(d)->path);
	t = hs_res_table(root, "classes", cols);
	hs_res_text_cols(t, text);
	hs_res_numbered(t);
	for (i = 0; i < h->nrows; i++) {
		row = hs_res_row(t);
		hs_res_str(row, "class", h->rows[i].name);
		hs_res_u64(row, "instances", h->rows[i].instances);
		hs_res_u64(row, "shallow", h->rows[i].shallow);
	}
	row = hs_res_total(t);
	hs_res_u64(row, "instances", h->instances);
	hs_res_u64(row, "shallow", h->shallow);
	hs_res_strf(row, "class", "Total (%s%s)", hs_fmt_counted(buf, sizeof(buf), h->total_rows, "class", "classes"),
		    h->nrows < h->total_rows ? ", top rows shown" : "");
	hs_res_u64(root, "classes_total", h->total_rows);
	hs_res_u64(root, "instances_total", h->instances);
	hs_res_u64(root, "shallow_total", h->shallow);
	return r;
}

static int run(const hs_args *a, hs_error *err)
{
	static const int sorts[] = { HS_SORT_BYTES, HS_SORT_COUNT, HS_SORT_NAME, HS_SORT_BYTES };
	hs_dump *d = NULL;
	hs_histogram h;
	hs_hist_opts o;
	hs_result *r;
	int rc;

	memset(&o, 0, sizeof(o));
	o.sort = a->set[O_SORT] ? sorts[a->num[O_SORT]] : HS_SORT_BYTES;
	o.top = a->set[HS_OPT_TOP] ? hs_cli_top(a) : UINT32_MAX;
	o.match = a->val[HS_OPT_MATCH];
	if (a->set[O_LIVE]) {
		hs_graph *g = NULL;
		rc = hs_cli_open_graph(&d, &g, a, 0, err);
		if (rc < 0)
			return rc;
		rc = hs_histogram_build_live(&h, d, g, &o, err);
		hs_cli_free_graph(g);
	} else {
		rc = hs_cli_open(&d, a, 0, err);
		if (rc < 0)
			return rc;
		rc = hs_histogram_build(&h, d, &o, err);
	}
	if (rc == 0) {
		r = result(d, &h);
		if ((rc = hs_res_error(r, err)) == 0) {
			if (!a->set[HS_OPT_JSON] && !a->set[HS_OPT_CSV])
				hs_cli_header(stdout, d);
			rc = hs_cli_render(r, a, "classes", err);
		}
		hs_res_free(r);
		hs_histogram_release(&h);
	}
	hs_cli_free_dump(d);
	return rc;
}

const struct hs_cmd hs_cmd_histogram = {
	.name = "histogram",
	.summary = "instances and shallow bytes per class",
	.usage = "[options] [DUMP]",
	.description = "One row per class (Java names: java.lang.String, byte[], java.lang.Object[]),\n"
		       "with the number of instances and their total shallow size, largest first.\n"
		       "Class objects count as java.lang.Class instances.",
	.opts = opts,
	.run = run,
};
