/*
 * cmd-top-retained.c - `heapscan top-retained`: the biggest retainers by
 * object, class, thread, class loader or package.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/loaders.h"
#include "heapscan/retained.h"
#include "heapscan/result.h"
#include "util.h"
#include "cmd.h"

enum { O_OBJ = HS_OPT_CMD, O_CLASS, O_THREAD, O_LOADER, O_PKG };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row" },
	HS_TOP_OPT,
	{ O_OBJ, "by-object", NULL, "biggest single objects: the top-level dominators (default)" },
	{ O_CLASS, "by-class", NULL, "retained size of all instances of each class, each object counted once" },
	{ O_THREAD, "by-thread", NULL, "every thread: name, retained bytes and objects, biggest object it retains" },
	{ O_LOADER, "by-classloader", NULL, "retained size of the objects of each class loader's classes" },
	{ O_PKG, "by-package", NULL, "retained size of the objects of each package's classes" },
	{ 0, NULL, NULL, NULL }
};

/* The retained columns every row starts with. */
static void retained_cols(hs_node *row, uint64_t retained, uint64_t total)
{
	hs_res_pct(row, "retained_pct", retained, total);
	hs_res_u64(row, "retained", retained);
}

/* Nodes by retained size, biggest first. */
static int by_ret(const void *a, const void *b, void *ctx)
{
	uint64_t x = hs_graph_retained(ctx, *(const uint32_t *)a);
	uint64_t y = hs_graph_retained(ctx, *(const uint32_t *)b);
	return x < y ? 1 : x > y ? -1 : 0;
}

static int by_object(hs_node *root, hs_graph *g, uint32_t top, uint64_t total, hs_error *err)
{
	static const char *const cols[] = { "retained_pct", "retained", "shallow", "retained_objects", "class", "id", "label", NULL };
	uint32_t cnt, i, n;
	const uint32_t *ch = hs_graph_dom_children(g, 0, &cnt, err);
	char **cls, **det;
	hs_node *t;
	int rc;

	if (!ch && cnt)
		return err->code;
	n = top < cnt ? top : cnt;
	cls = calloc(n + 1, sizeof(char *));
	det = calloc(n + 1, sizeof(char *));
	rc = !cls || !det ? hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory") : 0;
	if (rc == 0)
		rc = hs_graph_fetch_labels(g, ch, n, err);
	if (rc == 0)
		rc = hs_object_descs(g, ch, n, cls, det, err);
	t = hs_res_table(root, "objects", cols);
	for (i = 0; rc == 0 && i < n; i++) {
		uint32_t v = ch[i];
		hs_node *row = hs_res_row(t);
		retained_cols(row, hs_graph_retained(g, v), total);
		hs_res_u64(row, "shallow", hs_graph_shallow(g, v));
		hs_res_u64(row, "retained_objects", hs_graph_retained_count(g, v));
		hs_res_str(row, "class", cls[i] ? cls[i] : hs_graph_class_name(g, v));
		hs_res_u64(row, "id", hs_graph_id(g, v));
		hs_res_str(row, "label", det[i] ? det[i] : hs_graph_label(g, v));
	}
	for (i = 0; cls && det && i < n; i++) {
		free(cls[i]);
		free(det[i]);
	}
	free(cls);
	free(det);
	return rc;
}

static int by_group(hs_node *root, hs_dump *d, hs_graph *g, enum hs_group_kind kind, uint32_t top,
		    uint64_t total, hs_error *err)
{
	static const char *const cols_c[] = { "retained_pct", "retained", "shallow", "instances", "class", NULL };
	static const char *const cols_l[] = { "retained_pct", "retained", "shallow", "instances", "class_loader", NULL };
	static const char *const cols_p[] = { "retained_pct", "retained", "shallow", "instances", "package", NULL };
	const char *const *cols = kind == HS_GROUP_CLASS ? cols_c : kind == HS_GROUP_LOADER ? cols_l : cols_p;
	hs_node *t;
	hs_groups gr;
	hs_group_sum *sum;
	uint32_t *idx, i, n = 0;
	int rc = hs_groups_make(&gr, d, g, kind, err);
	if (rc < 0)
		return rc;
	sum = calloc(gr.n + 1, sizeof(*sum));
	idx = malloc(sizeof(uint32_t) * (gr.n + 1));
	if (!sum || !idx) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto done;
	}
	rc = hs_retained_by_group(g, gr.of_class, gr.n, gr.class_objects, sum, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < gr.n; i++)
		if (sum[i].objects)
			idx[n++] = i;
	{
		/* sort by retained (shell sort: no global comparator state) */
		uint32_t gap, a, b;
		for (gap = n / 2; gap > 0; gap /= 2)
			for (a = gap; a < n; a++) {
				uint32_t x = idx[a];
				for (b = a; b >= gap && sum[idx[b - gap]].retained < sum[x].retained; b -= gap)
					idx[b] = idx[b - gap];
				idx[b] = x;
			}
	}
	if (n > top)
		n = top;
	t = hs_res_table(root, kind == HS_GROUP_CLASS ? "classes" : kind == HS_GROUP_LOADER ? "loaders" : "packages", cols);
	for (i = 0; i < n; i++) {
		hs_group_sum *x = &sum[idx[i]];
		hs_node *row = hs_res_row(t);
		retained_cols(row, x->retained, total);
		hs_res_u64(row, "shallow", x->shallow);
		hs_res_u64(row, "instances", x->objects);
		hs_res_str(row, cols[4], gr.names[idx[i]]);
	}
done:
	free(sum);
	free(idx);
	hs_groups_release(&gr);
	return rc;
}

static int by_thread(hs_node *root, hs_dump *d, hs_graph *g, uint32_t top, uint64_t total, hs_error *err)
{
	static const char *const cols[] = { "retained_pct", "retained", "retained_objects", "thread", "id", "biggest_class", "biggest_retained", NULL };
	uint32_t nt, i, n = 0, *nodes;
	hs_node *t;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	int rc;

	nodes = malloc(sizeof(uint32_t) * (nt + 1));
	if (!nodes)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	for (i = 0; i < nt; i++) {
		uint32_t v = hs_graph_node(g, th[i].object_id), k;
		for (k = 0; k < n && nodes[k] != v; k++)
			;
		if (v && k == n && hs_graph_reachable(g, v))
			nodes[n++] = v;
	}
	hs_sort(nodes, n, sizeof(uint32_t), by_ret, g);
	if (n > top)
		n = top;
	rc = hs_graph_fetch_labels(g, nodes, n, err);
	if (rc < 0)
		goto done;
	t = hs_res_table(root, "threads", cols);
	for (i = 0; i < n; i++) {
		uint32_t v = nodes[i], cnt;
		const uint32_t *ch = hs_graph_dom_children(g, v, &cnt, err);
		char *tname = hs_graph_thread_name_dup(g, v);
		hs_node *row = hs_res_row(t);
		retained_cols(row, hs_graph_retained(g, v), total);
		hs_res_u64(row, "retained_objects", hs_graph_retained_count(g, v));
		hs_res_str(row, "thread", tname ? tname : "<unnamed>");
		hs_res_u64(row, "id", hs_graph_id(g, v));
		hs_res_str(row, "biggest_class", ch && cnt ? hs_graph_class_name(g, ch[0]) : NULL);
		if (ch && cnt)
			hs_res_u64(row, "biggest_retained", hs_graph_retained(g, ch[0]));
		else
			hs_res_null(row, "biggest_retained");
		free(tname);
	}
done:
	free(nodes);
	return rc;
}

int hs_cli_top_retained_result(hs_result **out, hs_dump *d, hs_graph *g, enum hs_cli_by by, uint32_t top, hs_error *err)
{
	uint64_t total = hs_graph_get_stats(g)->reachable_bytes;
	hs_result *r = hs_res_new("top-retained");
	hs_node *root = hs_res_root(r);
	int rc;

	*out = NULL;
	if (!r)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	hs_cli_graph_result(root, d, g);
	if (by == HS_BY_CLASS || by == HS_BY_LOADER || by == HS_BY_PACKAGE)
		rc = by_group(root, d, g, by == HS_BY_CLASS ? HS_GROUP_CLASS : by == HS_BY_LOADER ? HS_GROUP_LOADER : HS_GROUP_PACKAGE,
			      top, total, err);
	else if (by == HS_BY_THREAD)
		rc = by_thread(root, d, g, top, total, err);
	else
		rc = by_object(root, g, top, total, err);
	if (rc == 0)
		rc = hs_res_error(r, err);
	if (rc < 0)
		hs_res_free(r);
	else
		*out = r;
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	static const char *const tables[] = { "objects", "classes", "threads", "loaders", "packages" };
	static const enum hs_cli_by modes[] = { HS_BY_OBJECT, HS_BY_CLASS, HS_BY_THREAD, HS_BY_LOADER, HS_BY_PACKAGE };
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_result *r = NULL;
	int rc, mode = a->set[O_CLASS] ? 1 : a->set[O_THREAD] ? 2 : a->set[O_LOADER] ? 3 : a->set[O_PKG] ? 4 : 0;

	if (a->set[O_OBJ] + a->set[O_CLASS] + a->set[O_THREAD] + a->set[O_LOADER] + a->set[O_PKG] > 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "choose one of --by-object, --by-class, --by-thread, --by-classloader, --by-package");
	if ((rc = hs_cli_open_graph(&d, &g, a, 0, err)) < 0)
		return rc;
	rc = hs_cli_top_retained_result(&r, d, g, modes[mode], hs_cli_top(a), err);
	if (rc == 0)
		rc = hs_cli_render_graph(r, a, tables[mode], d, g, err);
	hs_res_free(r);
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

const struct hs_cmd hs_cmd_top_retained = {
	.name = "top-retained",
	.summary = "the biggest retainers by object, class, thread, class loader or package",
	.usage = "[--by-object|--by-class|--by-thread|--by-classloader|--by-package] [options] [DUMP]",
	.description = "A group's retained size is what would be freed if all its objects went: each\n"
		       "object is counted once, even when instances dominate each other.",
	.opts = opts,
	.run = run,
};
