/*
 * cmd-histogram.c - `heapscan histogram`: instances and shallow bytes per
 * class, from the scan alone (memory grows with classes, not objects).
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/analysis.h"
#include "heapscan/format.h"
#include "heapscan/graph.h"
#include "heapscan/result.h"
#include "heapscan/retained.h"
#include "util.h"
#include "cmd.h"

enum { O_SORT = HS_OPT_CMD, O_LIVE, O_RETAINED };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: {\"classes\":[{\"class\",\"instances\",\"shallow\"}],...}" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row: class,instances,shallow" },
	{ O_SORT, "sort", "KEY", "sort by bytes (default), count or name", HS_T_ENUM, "bytes|count|name|size" },
	HS_TOP_OPT,
	HS_MATCH_OPT("classes"),
	{ O_LIVE, "live", NULL, "count only objects reachable from GC roots (builds the object graph, like jmap -histo:live)" },
	{ O_RETAINED, "retained", NULL, "also each class's retained size, all its instances together, each object once (implies --live; sorts by it)" },
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
	if (h->nrows < h->total_rows)
		hs_res_strf(row, "class", "Total (%s; the first %u shown, --top 0 shows all)",
			    hs_fmt_counted(buf, sizeof(buf), h->total_rows, "class", "classes"), h->nrows);
	else
		hs_res_strf(row, "class", "Total (%s)", hs_fmt_counted(buf, sizeof(buf), h->total_rows, "class", "classes"));
	hs_res_u64(root, "classes_total", h->total_rows);
	hs_res_u64(root, "instances_total", h->instances);
	hs_res_u64(root, "shallow_total", h->shallow);
	return r;
}

/* The order of --retained's rows: retained size (no --sort), shallow
 * (bytes, size), count or name; ties in the order of the groups, as a
 * stable sort leaves them. */
struct by_key {
	const hs_group_sum *sum;
	char *const *names;
	int key;   /* -1 retained, else --sort's choice */
};

static int by_key(const void *pa, const void *pb, void *c)
{
	const struct by_key *k = c;
	uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
	const hs_group_sum *x = &k->sum[ia], *y = &k->sum[ib];
	int r;
	if (k->key < 0)
		r = x->retained > y->retained ? -1 : x->retained < y->retained;
	else if (k->key == 0 || k->key == 3)
		r = x->shallow > y->shallow ? -1 : x->shallow < y->shallow;
	else if (k->key == 1)
		r = x->objects > y->objects ? -1 : x->objects < y->objects;
	else
		r = strcmp(k->names[ia], k->names[ib]);
	return r ? r : ia < ib ? -1 : ia > ib;
}

/* --retained: the reachable objects of each class with its retained
 * size, as top-retained --by-class counts them (classes of one name in
 * several loaders apart), sorted as asked, retained size by default. */
static int with_retained(const hs_args *a, hs_error *err)
{
	static const char *const cols[] = { "class", "instances", "shallow", "retained", NULL };
	static const char *const text[] = { "instances", "shallow", "retained", "class", NULL };
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_result *r = NULL;
	hs_groups gr;
	hs_group_sum *sum = NULL;
	regex_t re;
	int have_re = 0;
	uint32_t i, *idx = NULL, n = 0, top = hs_cli_top(a);
	uint64_t inst = 0, shallow = 0;
	hs_node *t, *row;
	int rc;

	memset(&gr, 0, sizeof(gr));
	if ((rc = hs_cli_open_graph(&d, &g, a, 0, err)) < 0)
		return rc;
	/* checked already (HS_T_REGEX) */
	if (a->val[HS_OPT_MATCH] && regcomp(&re, a->val[HS_OPT_MATCH], REG_EXTENDED | REG_NOSUB) == 0)
		have_re = 1;
	if ((rc = hs_groups_make(&gr, d, g, HS_GROUP_CLASS, err)) < 0)
		goto done;
	sum = calloc(gr.n + 1, sizeof(*sum));
	idx = malloc(sizeof(uint32_t) * (gr.n + 1));
	if (!sum || !idx) {
		rc = hs_error_oom(err, "the histogram");
		goto done;
	}
	if ((rc = hs_retained_by_group(g, gr.of_class, gr.n, gr.class_objects, sum, err)) < 0)
		goto done;
	for (i = 0; i < gr.n; i++)
		if (sum[i].objects && (!have_re || regexec(&re, gr.names[i], 0, NULL, 0) == 0))
			idx[n++] = i;
	{
		struct by_key ctx = { sum, gr.names, !a->set[O_SORT] ? -1 : (int)a->num[O_SORT] };
		hs_sort(idx, n, sizeof(uint32_t), by_key, &ctx);
	}
	r = hs_res_new("histogram");
	hs_res_str(hs_res_root(r), "dump", hs_dump_get_info(d)->path);
	t = hs_res_table(hs_res_root(r), "classes", cols);
	hs_res_text_cols(t, text);
	hs_res_numbered(t);
	for (i = 0; i < n; i++) {
		const hs_group_sum *x = &sum[idx[i]];
		inst += x->objects;
		shallow += x->shallow;
		if (i >= top)
			continue;
		row = hs_res_row(t);
		hs_res_str(row, "class", gr.names[idx[i]]);
		hs_res_u64(row, "instances", x->objects);
		hs_res_u64(row, "shallow", x->shallow);
		hs_res_u64(row, "retained", x->retained);
	}
	hs_res_u64(hs_res_root(r), "classes_total", n);
	hs_res_u64(hs_res_root(r), "instances_total", inst);
	hs_res_u64(hs_res_root(r), "shallow_total", shallow);
	if ((rc = hs_res_error(r, err)) == 0) {
		if (!a->set[HS_OPT_JSON] && !a->set[HS_OPT_CSV])
			hs_cli_header(stdout, d);
		rc = hs_cli_render(r, a, "classes", err);
	}
done:
	hs_res_free(r);
	free(sum);
	free(idx);
	hs_groups_release(&gr);
	if (have_re)
		regfree(&re);
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	static const int sorts[] = { HS_SORT_BYTES, HS_SORT_COUNT, HS_SORT_NAME, HS_SORT_BYTES };
	hs_dump *d = NULL;
	hs_histogram h;
	hs_hist_opts o;
	hs_result *r;
	int rc;

	if (a->set[O_RETAINED])
		return with_retained(a, err);
	memset(&o, 0, sizeof(o));
	o.sort = a->set[O_SORT] ? sorts[a->num[O_SORT]] : HS_SORT_BYTES;
	o.top = hs_cli_top(a);
	o.match = a->val[HS_OPT_MATCH];
	if (a->set[O_LIVE]) {
		hs_graph *g = NULL;
		rc = hs_cli_open_graph(&d, &g, a, 0, err);
		if (rc < 0)
			return rc;
		rc = hs_histogram_build_live(&h, d, g, &o, err);
		hs_cli_free_graph(a, g);
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
	hs_cli_free_dump(a, d);
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
