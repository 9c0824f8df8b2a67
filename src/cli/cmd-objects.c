/*
 * cmd-objects.c - `heapscan objects CLASS`: the instances of a class,
 * biggest retained first, filtered with --where (where.h): the common
 * cases of MAT's OQL.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/inspect.h"
#include "heapscan/result.h"
#include "heapscan/where.h"
#include "cmd.h"

enum { O_SUB = HS_OPT_CMD, O_WHERE };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row" },
	HS_TOP_OPT,
	{ O_SUB, "subclasses", NULL, "also the instances of the subclasses of CLASS" },
	{ O_WHERE, "where", "EXPR", "only the instances EXPR selects, e.g. \"size > 10000\" or \"name ~ 'http-*'\" (see the manual)", HS_T_WHERE, NULL, 0 },
	{ 0, NULL, NULL, NULL }
};

static int build(hs_node *root, hs_graph *g, const char *cls, int sub, const hs_where *w, uint32_t top,
		 hs_error *err)
{
	static const char *const cols[] = { "retained_pct", "retained", "shallow", "size", "class", "id", "label", NULL };
	uint64_t total = hs_graph_get_stats(g)->reachable_bytes, sum = 0;
	uint32_t *nodes, n, i;
	hs_contents *c;
	hs_node *t;
	int rc = hs_objects_query(g, cls, sub, w, top, &nodes, &n, &c, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++)
		sum += hs_graph_shallow(g, nodes[i]);
	hs_res_str(root, "class", cls);
	hs_res_u64(root, "count", n);
	hs_res_u64(root, "shallow_total", sum);
	t = hs_res_table(root, "objects", cols);
	for (i = 0; i < n && i < top; i++) {
		uint32_t v = nodes[i];
		int64_t size = hs_contents_size(c, v);
		hs_node *row = hs_res_row(t);
		hs_res_pct(row, "retained_pct", hs_graph_retained(g, v), total);
		hs_res_u64(row, "retained", hs_graph_retained(g, v));
		hs_res_u64(row, "shallow", hs_graph_shallow(g, v));
		if (size >= 0)
			hs_res_u64(row, "size", (uint64_t)size);
		else
			hs_res_null(row, "size");
		hs_res_str(row, "class", hs_graph_class_name(g, v));
		hs_res_u64(row, "id", hs_graph_id(g, v));
		hs_res_str(row, "label", hs_graph_label(g, v));
	}
	free(nodes);
	hs_contents_free(c);
	return 0;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_where *w = NULL;
	hs_result *r = NULL;
	hs_args b = *a;
	const char *cls;
	int rc;

	hs_cli_dump_last(&b);
	if (!(cls = hs_cli_extra(&b, 1, 0)))
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "usage: heapscan objects [options] CLASS [DUMP]");
	if (a->val[O_WHERE] && (rc = hs_where_parse(&w, a->val[O_WHERE], err)) < 0)
		return rc;
	if ((rc = hs_cli_open_graph(&d, &g, &b, 1, err)) == 0) {
		r = hs_res_new("objects");
		hs_cli_graph_result(hs_res_root(r), d, g);
		rc = build(hs_res_root(r), g, cls, a->set[O_SUB], w, hs_cli_top(a), err);
	}
	if (rc == 0)
		rc = hs_cli_render_graph(r, a, "objects", d, g, err);
	hs_res_free(r);
	hs_where_free(w);
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

const struct hs_cmd hs_cmd_objects = {
	.name = "objects",
	.summary = "the instances of a class, biggest retained first, filtered with --where",
	.usage = "[options] CLASS [DUMP]",
	.description = "Lists the reachable instances of CLASS (a Java name: java.util.HashMap, byte[])\n"
		       "with their retained size, their size (entries of a collection, length of an\n"
		       "array or String) and a label.  --where selects on their fields.",
	.opts = opts,
	.run = run,
};
