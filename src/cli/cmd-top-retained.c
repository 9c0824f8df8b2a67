/*
 * cmd-top-retained.c - `heapscan top-retained`: the biggest retainers by
 * object, class, thread, class loader or package.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/loaders.h"
#include "heapscan/retained.h"
#include "cmd.h"

enum { O_TOP = HS_OPT_CMD, O_OBJ, O_CLASS, O_THREAD, O_LOADER, O_PKG };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row" },
	{ O_TOP, "top", "N", "show the first N rows (default 20, 0: all)" },
	{ O_OBJ, "by-object", NULL, "biggest single objects: the top-level dominators (default)" },
	{ O_CLASS, "by-class", NULL, "retained size of all instances of each class, each object counted once" },
	{ O_THREAD, "by-thread", NULL, "every thread: name, retained bytes and objects, biggest object it retains" },
	{ O_LOADER, "by-classloader", NULL, "retained size of the objects of each class loader's classes" },
	{ O_PKG, "by-package", NULL, "retained size of the objects of each package's classes" },
	{ 0, NULL, NULL, NULL }
};

enum { COL_S, COL_N, COL_PCT };

struct out {
	int json, csv;
	hs_json j;
	hs_table *t;
	const char **keys;   /* field names for JSON/CSV */
	const int *kinds;
	int ncols;
	uint64_t total;
};

static void begin(struct out *o, const char *const *heads, const enum hs_align *al, const char **keys,
		  const int *kinds, int ncols, const char *what)
{
	o->keys = keys;
	o->kinds = kinds;
	o->ncols = ncols;
	if (o->json) {
		hs_json_begin_arr(&o->j, what);
	} else if (o->csv) {
		hs_csv_row(stdout, keys, ncols);
	} else {
		o->t = hs_table_new(heads, al);
	}
}

/* One row; vals[i] is a string (COL_S) or a number (COL_N, COL_PCT). */
static void row(struct out *o, const char *const *s, const uint64_t *n)
{
	int i;
	if (o->json) {
		hs_json_begin_obj(&o->j, NULL);
		o->j.pretty = 0;
		for (i = 0; i < o->ncols; i++) {
			if (o->kinds[i] == COL_S)
				hs_json_str(&o->j, o->keys[i], s[i]);
			else if (o->kinds[i] == COL_PCT)
				hs_json_dbl(&o->j, o->keys[i], o->total ? 100.0 * (double)n[i] / (double)o->total : 0);
			else
				hs_json_u64(&o->j, o->keys[i], n[i]);
		}
		hs_json_end_obj(&o->j);
		o->j.pretty = 1;
	} else {
		char buf[16][64];
		const char *cells[16];
		for (i = 0; i < o->ncols; i++) {
			if (o->kinds[i] == COL_S)
				cells[i] = s[i] ? s[i] : "";
			else if (o->kinds[i] == COL_PCT)
				cells[i] = o->csv ? (snprintf(buf[i], 64, "%.4f", o->total ? 100.0 * (double)n[i] / (double)o->total : 0), buf[i])
					 : hs_fmt_pct(buf[i], 64, n[i], o->total);
			else
				cells[i] = o->csv ? (snprintf(buf[i], 64, "%llu", (unsigned long long)n[i]), buf[i])
					 : hs_fmt_count(buf[i], 64, n[i]);
		}
		if (o->csv)
			hs_csv_row(stdout, cells, o->ncols);
		else
			hs_table_add(o->t, cells);
	}
}

static void end(struct out *o)
{
	if (o->json)
		hs_json_end_arr(&o->j);
	else if (!o->csv) {
		putchar('\n');
		hs_table_print(o->t, stdout);
	}
}

static const hs_graph *cmp_g;
static int by_ret(const void *a, const void *b)
{
	uint64_t x = hs_graph_retained(cmp_g, *(const uint32_t *)a);
	uint64_t y = hs_graph_retained(cmp_g, *(const uint32_t *)b);
	return x < y ? 1 : x > y ? -1 : 0;
}

static void id_str(char *buf, size_t n, const hs_graph *g, uint32_t v)
{
	snprintf(buf, n, "0x%llx", (unsigned long long)hs_graph_id(g, v));
}

static int by_object(struct out *o, hs_graph *g, uint32_t top, hs_error *err)
{
	static const char *heads[] = { "Retained %", "Retained", "Shallow", "Objects", "Class", "Id", "Details", NULL };
	static const char *keys[] = { "retained_pct", "retained", "shallow", "retained_objects", "class", "id", "label" };
	static const int kinds[] = { COL_PCT, COL_N, COL_N, COL_N, COL_S, COL_S, COL_S };
	static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT, HS_LEFT, HS_LEFT };
	uint32_t cnt, i, n;
	const uint32_t *ch = hs_graph_dom_children(g, 0, &cnt, err);
	int rc;
	if (!ch && cnt)
		return err->code;
	n = top && top < cnt ? top : cnt;
	char **cls = calloc(n + 1, sizeof(char *)), **det = calloc(n + 1, sizeof(char *));
	if (!cls || !det) {
		free(cls);
		free(det);
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	rc = hs_graph_fetch_labels(g, ch, n, err);
	if (rc == 0)
		rc = hs_object_descs(g, ch, n, cls, det, err);
	if (rc < 0) {
		free(cls);
		free(det);
		return rc;
	}
	begin(o, heads, al, keys, kinds, 7, "objects");
	for (i = 0; i < n; i++) {
		uint32_t v = ch[i];
		char id[32];
		const char *s[7] = { 0 };
		uint64_t nv[7] = { 0 };
		id_str(id, sizeof(id), g, v);
		nv[0] = nv[1] = hs_graph_retained(g, v);
		nv[2] = hs_graph_shallow(g, v);
		nv[3] = hs_graph_retained_count(g, v);
		s[4] = cls[i] ? cls[i] : hs_graph_class_name(g, v);
		s[5] = id;
		s[6] = det[i] ? det[i] : hs_graph_label(g, v);
		row(o, s, nv);
	}
	end(o);
	for (i = 0; i < n; i++) {
		free(cls[i]);
		free(det[i]);
	}
	free(cls);
	free(det);
	return 0;
}

static int by_group(struct out *o, hs_dump *d, hs_graph *g, enum hs_group_kind kind, uint32_t top,
		    hs_error *err)
{
	static const char *heads[] = { "Retained %", "Retained", "Shallow", "Objects", NULL, NULL };
	static const char *keys_c[] = { "retained_pct", "retained", "shallow", "instances", "class" };
	static const char *keys_l[] = { "retained_pct", "retained", "shallow", "objects", "classloader" };
	static const char *keys_p[] = { "retained_pct", "retained", "shallow", "objects", "package" };
	static const int kinds[] = { COL_PCT, COL_N, COL_N, COL_N, COL_S };
	static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT };
	const char *hd[6];
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
	if (top && n > top)
		n = top;
	memcpy(hd, heads, sizeof(heads));
	hd[3] = kind == HS_GROUP_CLASS ? "Instances" : "Objects";
	hd[4] = kind == HS_GROUP_CLASS ? "Class" : kind == HS_GROUP_LOADER ? "Class loader" : "Package";
	begin(o, hd, al, kind == HS_GROUP_CLASS ? keys_c : kind == HS_GROUP_LOADER ? keys_l : keys_p,
	      kinds, 5, kind == HS_GROUP_CLASS ? "classes" : kind == HS_GROUP_LOADER ? "classloaders" : "packages");
	for (i = 0; i < n; i++) {
		const char *s[5] = { 0 };
		uint64_t nv[5] = { 0 };
		hs_group_sum *x = &sum[idx[i]];
		nv[0] = nv[1] = x->retained;
		nv[2] = x->shallow;
		nv[3] = x->objects;
		s[4] = gr.names[idx[i]];
		row(o, s, nv);
	}
	end(o);
done:
	free(sum);
	free(idx);
	hs_groups_release(&gr);
	return rc;
}

static int by_thread(struct out *o, hs_dump *d, hs_graph *g, uint32_t top, hs_error *err)
{
	static const char *heads[] = { "Retained %", "Retained", "Objects", "Thread", "Id", "Biggest object", "Its retained", NULL };
	static const char *keys[] = { "retained_pct", "retained", "retained_objects", "name", "id", "biggest_class", "biggest_retained" };
	static const int kinds[] = { COL_PCT, COL_N, COL_N, COL_S, COL_S, COL_S, COL_N };
	static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT, HS_LEFT, HS_LEFT, HS_RIGHT };
	uint32_t nt, i, n = 0, *nodes;
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
	cmp_g = g;
	qsort(nodes, n, sizeof(uint32_t), by_ret);
	if (top && n > top)
		n = top;
	rc = hs_graph_fetch_labels(g, nodes, n, err);
	if (rc < 0)
		goto done;
	begin(o, heads, al, keys, kinds, 7, "threads");
	for (i = 0; i < n; i++) {
		uint32_t v = nodes[i], cnt;
		const uint32_t *ch = hs_graph_dom_children(g, v, &cnt, err);
		char id[32], *tname;
		const char *s[7] = { 0 };
		uint64_t nv[7] = { 0 };
		id_str(id, sizeof(id), g, v);
		nv[0] = nv[1] = hs_graph_retained(g, v);
		nv[2] = hs_graph_retained_count(g, v);
		tname = hs_graph_thread_name_dup(g, v);
		s[3] = tname ? tname : "<unnamed>";
		s[4] = id;
		if (ch && cnt) {
			s[5] = hs_graph_class_name(g, ch[0]);
			nv[6] = hs_graph_retained(g, ch[0]);
		}
		row(o, s, nv);
		free(tname);
	}
	end(o);
done:
	free(nodes);
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	struct out o;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	uint64_t v;
	uint32_t top = 20;
	int rc, modes = a->set[O_OBJ] + a->set[O_CLASS] + a->set[O_THREAD] + a->set[O_LOADER] + a->set[O_PKG];

	memset(&o, 0, sizeof(o));
	if (modes > 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "choose one of --by-object, --by-class, --by-thread, --by-classloader, --by-package");
	if (a->set[HS_OPT_JSON] && a->set[HS_OPT_CSV])
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--json and --csv exclude each other");
	if (a->val[O_TOP]) {
		if (hs_cli_parse_uint(a->val[O_TOP], &v) < 0 || v > UINT32_MAX)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--top takes a number, not '%s'", a->val[O_TOP]);
		top = (uint32_t)v;
	}
	rc = hs_cli_open_graph(&d, &g, a, 0, err);
	if (rc < 0)
		return rc;
	o.json = a->set[HS_OPT_JSON] > 0;
	o.csv = a->set[HS_OPT_CSV] > 0;
	o.total = hs_graph_get_stats(g)->reachable_bytes;
	if (o.json) {
		hs_json_init(&o.j, stdout);
		hs_json_begin_obj(&o.j, NULL);
		hs_json_str(&o.j, "dump", hs_dump_path(d));
		hs_json_u64(&o.j, "reachable_objects", hs_graph_get_stats(g)->reachable);
		hs_json_u64(&o.j, "reachable_bytes", o.total);
		hs_json_u64(&o.j, "unreachable_objects", hs_graph_get_stats(g)->unreachable);
		hs_json_u64(&o.j, "unreachable_bytes", hs_graph_get_stats(g)->unreachable_bytes);
	} else if (!o.csv) {
		hs_cli_graph_header(stdout, d, g);
	}
	if (a->set[O_CLASS])
		rc = by_group(&o, d, g, HS_GROUP_CLASS, top, err);
	else if (a->set[O_LOADER])
		rc = by_group(&o, d, g, HS_GROUP_LOADER, top, err);
	else if (a->set[O_PKG])
		rc = by_group(&o, d, g, HS_GROUP_PACKAGE, top, err);
	else if (a->set[O_THREAD])
		rc = by_thread(&o, d, g, top, err);
	else
		rc = by_object(&o, g, top, err);
	if (rc == 0 && o.json) {
		hs_json_end_obj(&o.j);
		hs_json_finish(&o.j);
	}
	hs_table_free(o.t);
	hs_cli_free_graph(g);
	hs_cli_free_dump(d);
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
