/*
 * cmd-dominators.c - `heapscan dominators`: MAT's dominator tree in a
 * terminal.  Rows are the children of the virtual root (or of --from),
 * largest retained size first; --depth expands each into its biggest
 * dominated children; --group-by sums the top level by class, class
 * loader or package.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/loaders.h"
#include "heapscan/result.h"
#include "heapscan/retained.h"
#include "heapscan/inspect.h"
#include "cmd.h"

enum { O_DEPTH = HS_OPT_CMD, O_CHILDREN, O_MIN, O_FROM, O_GROUP, O_IMMEDIATE };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: a tree of rows with id, class, shallow, retained, retained_objects, label, children" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row; the tree depth first, with a depth column" },
	HS_TOP_OPT,
	{ O_DEPTH, "depth", "N", "expand each row N levels into its biggest dominated children (default 0)", HS_T_COUNT, NULL, 1000 },
	{ O_CHILDREN, "children", "K", "children shown per expanded row (default 5, 0: all)", HS_T_COUNT, NULL, 0 },
	{ O_MIN, "min-retained", "SIZE|PCT", "hide rows retaining less than SIZE bytes (10MB) or PCT of the heap (1%)", HS_T_SIZE_PCT, NULL, 0 },
	{ O_FROM, "from", "OBJID", "start at this object (hex id, 0x...) instead of the GC roots", HS_T_ID, NULL, 0 },
	{ O_GROUP, "group-by", "KEY", "group the top level by class, classloader or package", HS_T_ENUM, "class|classloader|package|loader", 0 },
	{ O_IMMEDIATE, "immediate", "CLASS", "the immediate dominators of the instances of CLASS, grouped by their class" },
	{ 0, NULL, NULL, NULL }
};

static const char *const cols[] = { "retained_pct", "retained", "shallow", "retained_objects", "class", "id", "label", NULL };

struct ctx {
	hs_graph *g;
	hs_dump *d;
	uint64_t total;
	uint64_t min;
	uint32_t top, depth, children;
	int fold;                 /* the rest of each expanded row's children as one row (the report) */
	hs_error *err;
	/* how the rows shown name some objects: a class object as "class
	 * NAME" with its biggest static field, a class loader by its name
	 * (hs_object_descs) */
	uint32_t *dnodes;         /* sorted */
	char **classes, **details; /* of dnodes[i] */
	uint32_t ndetails;
};

static uint32_t desc_at(const struct ctx *c, uint32_t v)
{
	uint32_t lo = 0, hi = c->ndetails;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->dnodes[mid] == v)
			return mid;
		if (c->dnodes[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return UINT32_MAX;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Descriptions of the rows shown: nodes (n of them) are sorted and kept. */
static int fetch_details(struct ctx *c, uint32_t *nodes, uint32_t n, hs_error *err)
{
	char **cls = calloc(n + 1, sizeof(char *)), **det = calloc(n + 1, sizeof(char *));
	uint32_t i, k = 0;
	if (!cls || !det) {
		free(cls);
		free(det);
		free(nodes);
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	qsort(nodes, n, sizeof(uint32_t), cmp_u32);
	for (i = 0; i < n; i++)   /* each once */
		if (!k || nodes[k - 1] != nodes[i])
			nodes[k++] = nodes[i];
	c->dnodes = nodes;
	c->classes = cls;
	c->details = det;
	c->ndetails = k;
	return hs_object_descs(c->g, nodes, k, cls, det, err);
}

/* The fields of object v in a row (or in "from"). */
static void row_fields(const struct ctx *c, hs_node *row, uint32_t v)
{
	uint32_t k = hs_graph_class(c->g, v), at = desc_at(c, v);
	const char *lab = hs_graph_label(c->g, v);
	hs_res_pct(row, "retained_pct", hs_graph_retained(c->g, v), c->total);
	hs_res_u64(row, "retained", hs_graph_retained(c->g, v));
	hs_res_u64(row, "shallow", hs_graph_shallow(c->g, v));
	hs_res_u64(row, "retained_objects", hs_graph_retained_count(c->g, v));
	hs_res_str(row, "class", at != UINT32_MAX && c->classes[at] ? c->classes[at] : hs_graph_class_name(c->g, v));
	hs_res_str(row, "class_object_of", k != HS_NONE && (k & HS_CLASS_OBJECT_BIT)
		   ? hs_dump_class(c->d, k & ~HS_CLASS_OBJECT_BIT)->name : NULL);
	hs_res_u64(row, "id", hs_graph_id(c->g, v));
	hs_res_str(row, "label", lab ? lab : at != UINT32_MAX ? c->details[at] : NULL);
}

/* The row "other" that stands for the children of @p parent not shown:
 * their number, and what the parent retains beyond itself and the rows
 * shown (no per-child sums: a parent may have millions of children). */
static void other_row(const struct ctx *c, hs_node *t, uint32_t parent, uint32_t n, uint64_t shown,
		      uint64_t shown_objects)
{
	uint64_t ret = parent ? hs_graph_retained(c->g, parent) - hs_graph_shallow(c->g, parent) : c->total;
	uint64_t objs = parent ? hs_graph_retained_count(c->g, parent) - 1 : hs_graph_get_stats(c->g)->reachable;
	hs_node *row = hs_res_row(t);
	ret = ret > shown ? ret - shown : 0;
	objs = objs > shown_objects ? objs - shown_objects : 0;
	hs_res_pct(row, "retained_pct", ret, c->total);
	hs_res_u64(row, "retained", ret);
	hs_res_null(row, "shallow");
	hs_res_u64(row, "retained_objects", objs);
	hs_res_null(row, "class");
	hs_res_null(row, "id");
	hs_res_null(row, "label");
	hs_res_u64(row, "count", n);
}

/* The rows below @p from into table @p t: an explicit stack of (node,
 * level, next child, the table its children go to). */
static int tree(struct ctx *c, uint32_t from, hs_node *t)
{
	struct fr { uint32_t node, level, next, cnt; const uint32_t *ch; hs_node *t; uint64_t shown, shown_objects; } *st;
	size_t sp;
	uint32_t cnt;
	const uint32_t *ch = hs_graph_dom_children(c->g, from, &cnt, c->err);
	if (!ch && cnt)
		return c->err->code;
	st = malloc(sizeof(*st) * (c->depth + 2));
	if (!st)
		return hs_error_set(c->err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	st[0].node = from;
	st[0].shown = st[0].shown_objects = 0;
	st[0].level = 0;
	st[0].next = 0;
	st[0].ch = ch;
	st[0].cnt = cnt;
	st[0].t = t;
	sp = 1;
	while (sp > 0) {
		struct fr *f = &st[sp - 1];
		uint32_t limit = f->level == 0 ? c->top : c->children;
		if (f->next < f->cnt && f->next < limit && hs_graph_retained(c->g, f->ch[f->next]) >= c->min) {
			uint32_t v = f->ch[f->next++];
			hs_node *row = hs_res_row(f->t);
			row_fields(c, row, v);
			f->shown += hs_graph_retained(c->g, v);
			f->shown_objects += hs_graph_retained_count(c->g, v);
			if (f->level < c->depth) {
				struct fr *n = &st[sp++];
				n->node = v;
				n->shown = n->shown_objects = 0;
				n->level = f->level + 1;
				n->next = 0;
				n->ch = hs_graph_dom_children(c->g, v, &n->cnt, c->err);
				if (!n->ch)
					n->cnt = 0;
				/* folding, a row whose children are all too small to show has none */
				n->t = n->cnt && (!c->fold || hs_graph_retained(c->g, n->ch[0]) >= c->min) ? hs_res_children(row) : NULL;
			}
		} else {
			if (c->fold && f->t && f->next < f->cnt)
				other_row(c, f->t, f->node, f->cnt - f->next, f->shown, f->shown_objects);
			sp--;
		}
	}
	free(st);
	return 0;
}

/* Nodes that will be shown, for fetching labels in one pass. */
static uint32_t *shown(struct ctx *c, uint32_t from, uint32_t *n)
{
	uint32_t cap = 1024, cnt, i, lvl;
	uint32_t *out = malloc(cap * sizeof(uint32_t)), *frontier, nf = 1, *next;
	*n = 0;
	frontier = malloc(sizeof(uint32_t));
	if (!out || !frontier) {
		free(out);
		free(frontier);
		return NULL;
	}
	frontier[0] = from;
	if (from)
		out[(*n)++] = from;
	for (lvl = 0; lvl <= c->depth && nf > 0; lvl++) {
		uint32_t limit = lvl == 0 ? c->top : c->children, nn = 0;
		next = NULL;
		for (i = 0; i < nf; i++) {
			const uint32_t *ch = hs_graph_dom_children(c->g, frontier[i], &cnt, c->err);
			uint32_t k;
			for (k = 0; ch && k < cnt && k < limit && hs_graph_retained(c->g, ch[k]) >= c->min; k++) {
				uint32_t *no;
				if (*n == cap) {
					cap *= 2;
					no = realloc(out, cap * sizeof(uint32_t));
					if (!no)
						goto stop;
					out = no;
				}
				out[(*n)++] = ch[k];
				no = realloc(next, (nn + 1) * sizeof(uint32_t));
				if (!no)
					goto stop;
				next = no;
				next[nn++] = ch[k];
			}
		}
		free(frontier);
		frontier = next;
		nf = nn;
	}
stop:
	free(frontier);
	return out;
}

/* MAT's grouping of the dominator tree: the top-level dominators only,
 * summed per class, class loader or package. */
static int grouped(struct ctx *c, hs_node *root, enum hs_group_kind kind)
{
	static const char *const cols_c[] = { "retained_pct", "retained", "shallow", "count", "class", NULL };
	static const char *const cols_l[] = { "retained_pct", "retained", "shallow", "count", "class_loader", NULL };
	static const char *const cols_p[] = { "retained_pct", "retained", "shallow", "count", "package", NULL };
	const char *const *gcols = kind == HS_GROUP_CLASS ? cols_c : kind == HS_GROUP_LOADER ? cols_l : cols_p;
	hs_groups gr;
	hs_group_sum *sum;
	hs_node *t;
	uint32_t *idx, i, n = 0, cnt, k;
	const uint32_t *ch;
	int rc = hs_groups_make(&gr, c->d, c->g, kind, c->err);
	if (rc < 0)
		return rc;
	sum = calloc(gr.n + 1, sizeof(*sum));
	idx = malloc(sizeof(uint32_t) * (gr.n + 1));
	if (!sum || !idx) {
		rc = hs_error_set(c->err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto done;
	}
	ch = hs_graph_dom_children(c->g, 0, &cnt, c->err);
	for (k = 0; ch && k < cnt; k++) {
		uint32_t g = hs_group_of(c->g, gr.of_class, gr.class_objects, ch[k]);
		if (g == HS_NONE)
			continue;
		sum[g].objects++;
		sum[g].shallow += hs_graph_shallow(c->g, ch[k]);
		sum[g].retained += hs_graph_retained(c->g, ch[k]);
	}
	for (i = 0; i < gr.n; i++)
		if (sum[i].objects && sum[i].retained >= c->min)
			idx[n++] = i;
	for (i = 1; i < n; i++) {   /* by retained, descending (insertion sort) */
		uint32_t x = idx[i], b;
		for (b = i; b > 0 && sum[idx[b - 1]].retained < sum[x].retained; b--)
			idx[b] = idx[b - 1];
		idx[b] = x;
	}
	if (n > c->top)
		n = c->top;
	t = hs_res_table(root, kind == HS_GROUP_CLASS ? "classes" : kind == HS_GROUP_LOADER ? "loaders" : "packages", gcols);
	for (i = 0; i < n; i++) {
		hs_group_sum *s = &sum[idx[i]];
		hs_node *row = hs_res_row(t);
		hs_res_pct(row, "retained_pct", s->retained, c->total);
		hs_res_u64(row, "retained", s->retained);
		hs_res_u64(row, "shallow", s->shallow);
		hs_res_u64(row, "count", s->objects);
		hs_res_str(row, gcols[4], gr.names[idx[i]]);
	}
done:
	free(sum);
	free(idx);
	hs_groups_release(&gr);
	return rc;
}

/* The tree below @p from (0: the GC roots) as table "dominators", with
 * "from" the object it starts at. */
static int dominators(struct ctx *c, hs_node *root, uint32_t from)
{
	uint32_t nn, *nodes = shown(c, from, &nn);
	int rc;
	if (!nodes)
		return hs_error_set(c->err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	rc = hs_graph_fetch_labels(c->g, nodes, nn, c->err);
	if (rc == 0)
		rc = fetch_details(c, nodes, nn, c->err);   /* keeps nodes */
	else
		free(nodes);
	if (rc == 0 && from)
		row_fields(c, hs_res_obj(root, "from"), from);
	if (rc == 0)
		rc = tree(c, from, hs_res_table(root, "dominators", cols));
	return rc;
}

/* MAT's "immediate dominators" of the instances of a class, grouped by
 * the dominator's class (table "immediate_dominators"). */
static int immediate(struct ctx *c, hs_node *root, const char *cls)
{
	static const char *const icols[] = { "retained_pct", "retained", "shallow", "count", "dominator_count", "class", "id", NULL };
	uint32_t *nodes, n, ng, i;
	hs_idom_group *gs = NULL;
	hs_node *t;
	int rc = hs_instances_of(c->g, cls, 0, &nodes, &n, c->err);
	if (rc < 0)
		return rc;
	rc = hs_immediate_dominators(c->g, nodes, n, &gs, &ng, c->err);
	free(nodes);
	if (rc < 0)
		return rc;
	hs_res_str(root, "class", cls);
	hs_res_u64(root, "instances", n);
	t = hs_res_table(root, "immediate_dominators", icols);
	for (i = 0; i < ng && i < c->top; i++) {
		hs_node *row = hs_res_row(t);
		hs_res_pct(row, "retained_pct", gs[i].retained, c->total);
		hs_res_u64(row, "retained", gs[i].retained);
		hs_res_u64(row, "shallow", gs[i].shallow);
		hs_res_u64(row, "count", gs[i].objects);
		hs_res_u64(row, "dominator_count", gs[i].dominators);
		hs_res_str(row, "class", gs[i].name);
		if (gs[i].biggest)
			hs_res_u64(row, "id", hs_graph_id(c->g, gs[i].biggest));
		else
			hs_res_null(row, "id");
	}
	free(gs);
	return 0;
}

/* The node of --from, checked: 0 and an error when there is none. */
static uint32_t from_node(hs_graph *g, uint64_t id, hs_error *err)
{
	uint32_t v = hs_graph_node(g, id);
	if (!v)
		hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no object 0x%llx in the dump", (unsigned long long)id);
	else if (!hs_graph_reachable(g, v))
		hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET,
			     "object 0x%llx is not reachable from a GC root (try --keep-unreachable)", (unsigned long long)id);
	return v && hs_graph_reachable(g, v) ? v : 0;
}

static void text_from(const hs_result *r)
{
	const hs_node *f = hs_node_get(hs_res_root((hs_result *)r), "from");
	char b1[32], b2[32], b3[48], b4[16];
	if (!f)
		return;
	hs_fmt_printf(stdout, "From: %s @ %s%s%s, retains %s (%s), %s\n",
		      hs_node_str(hs_node_get(f, "class")), hs_node_text(hs_node_get(f, "id"), b1, sizeof(b1)),
		      hs_node_str(hs_node_get(f, "label")) ? " " : "",
		      hs_node_str(hs_node_get(f, "label")) ? hs_node_str(hs_node_get(f, "label")) : "",
		      hs_fmt_bytes(b2, sizeof(b2), hs_node_u64(hs_node_get(f, "retained"))),
		      hs_node_text(hs_node_get(f, "retained_pct"), b4, sizeof(b4)),
		      hs_fmt_counted(b3, sizeof(b3), hs_node_u64(hs_node_get(f, "retained_objects")), "object", "objects"));
}

static void ctx_release(struct ctx *c)
{
	uint32_t i;
	for (i = 0; i < c->ndetails; i++) {
		free(c->classes[i]);
		free(c->details[i]);
	}
	free(c->classes);
	free(c->details);
	free(c->dnodes);
}

int hs_cli_dominators_result(hs_result **out, hs_dump *d, hs_graph *g, const hs_cli_dom_opts *o, hs_error *err)
{
	struct ctx c;
	hs_result *r = hs_res_new("dominators");
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.err = err;
	c.g = g;
	c.d = d;
	c.top = o->top;
	c.depth = o->depth;
	c.children = o->children;
	c.min = o->min;
	c.fold = o->fold;
	c.total = hs_graph_get_stats(g)->reachable_bytes;
	hs_cli_graph_result(hs_res_root(r), d, g);
	rc = dominators(&c, hs_res_root(r), 0);
	if (rc == 0)
		rc = hs_res_error(r, err);
	ctx_release(&c);
	if (rc < 0)
		hs_res_free(r);
	else
		*out = r;
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	static const enum hs_group_kind kinds[] = { HS_GROUP_CLASS, HS_GROUP_LOADER, HS_GROUP_PACKAGE, HS_GROUP_LOADER };
	static const char *const tables[] = { "classes", "loaders", "packages", "loaders" };
	struct ctx c;
	hs_result *r = NULL;
	uint32_t from = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	c.err = err;
	if (a->val[O_IMMEDIATE] && (a->set[O_GROUP] || a->set[O_FROM] || a->set[O_DEPTH]))
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--immediate goes with neither --group-by, --from nor --depth");
	c.top = hs_cli_top(a);
	c.depth = (uint32_t)a->num[O_DEPTH];
	c.children = !a->set[O_CHILDREN] ? 5 : a->num[O_CHILDREN] ? (uint32_t)a->num[O_CHILDREN] : UINT32_MAX;
	if ((rc = hs_cli_open_graph(&c.d, &c.g, a, 0, err)) < 0)
		return rc;
	c.total = hs_graph_get_stats(c.g)->reachable_bytes;
	if (a->set[O_MIN])
		c.min = a->pct[O_MIN] ? (uint64_t)(a->real[O_MIN] / 100.0 * (double)c.total) : a->num[O_MIN];
	if (a->set[O_FROM] && !(from = from_node(c.g, a->num[O_FROM], err)))
		rc = err->code;
	if (rc == 0) {
		r = hs_res_new("dominators");
		hs_cli_graph_result(hs_res_root(r), c.d, c.g);
		rc = a->val[O_IMMEDIATE] ? immediate(&c, hs_res_root(r), a->val[O_IMMEDIATE])
		     : a->set[O_GROUP] ? grouped(&c, hs_res_root(r), kinds[a->num[O_GROUP]])
				     : dominators(&c, hs_res_root(r), from);
	}
	if (rc == 0 && (rc = hs_res_error(r, err)) == 0) {
		if (!a->set[HS_OPT_JSON] && !a->set[HS_OPT_CSV]) {
			hs_cli_graph_header(stdout, c.d, c.g);
			text_from(r);
			putchar('\n');
		}
		rc = hs_cli_render(r, a, a->val[O_IMMEDIATE] ? "immediate_dominators"
				   : a->set[O_GROUP] ? tables[a->num[O_GROUP]] : "dominators", err);
	}
	hs_res_free(r);
	ctx_release(&c);
	hs_cli_free_graph(a, c.g);
	hs_cli_free_dump(a, c.d);
	return rc;
}

const struct hs_cmd hs_cmd_dominators = {
	.name = "dominators",
	.summary = "the dominator tree: which objects keep the heap alive",
	.usage = "[options] [DUMP]",
	.description = "Lists the top-level dominators (objects only the GC roots keep alive, each with\n"
		       "everything only it keeps alive), biggest retained size first.",
	.opts = opts,
	.run = run,
};
