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
#include "heapscan/retained.h"
#include "cmd.h"

enum { O_TOP = HS_OPT_CMD, O_DEPTH, O_CHILDREN, O_MIN, O_FROM, O_GROUP };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: rows with id, class, shallow, retained, retained_objects, children" },
	{ O_TOP, "top", "N", "show the N biggest top-level dominators (default 20, 0: all)" },
	{ O_DEPTH, "depth", "N", "expand each row N levels into its biggest dominated children (default 0)" },
	{ O_CHILDREN, "children", "K", "children shown per expanded row (default 5)" },
	{ O_MIN, "min-retained", "SIZE|PCT", "hide rows retaining less than SIZE bytes (10MB) or PCT of the heap (1%)" },
	{ O_FROM, "from", "OBJID", "start at this object (hex id, 0x...) instead of the GC roots" },
	{ O_GROUP, "group-by", "KEY", "group the top level by class, classloader or package" },
	{ 0, NULL, NULL, NULL }
};

struct ctx {
	hs_graph *g;
	hs_dump *d;
	uint64_t total;
	uint64_t min;
	uint32_t top, depth, children;
	int json;
	hs_table *t;
	hs_json j;
	hs_error *err;
	/* the rows' details where the label says nothing: a class object's
	 * biggest static field, a class loader's name (hs_object_descs) */
	uint32_t *dnodes;         /* sorted */
	char **details;           /* of dnodes[i] */
	uint32_t ndetails;
};

static const char *detail_of(const struct ctx *c, uint32_t v)
{
	uint32_t lo = 0, hi = c->ndetails;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->dnodes[mid] == v)
			return c->details[mid];
		if (c->dnodes[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Details of the rows shown: nodes (n of them) are sorted and kept. */
static int fetch_details(struct ctx *c, uint32_t *nodes, uint32_t n, hs_error *err)
{
	char **cls = calloc(n + 1, sizeof(char *)), **det = calloc(n + 1, sizeof(char *));
	uint32_t i, k = 0;
	int rc;
	if (!cls || !det) {
		free(cls);
		free(det);
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	qsort(nodes, n, sizeof(uint32_t), cmp_u32);
	for (i = 0; i < n; i++)   /* each once */
		if (!k || nodes[k - 1] != nodes[i])
			nodes[k++] = nodes[i];
	rc = hs_object_descs(c->g, nodes, k, cls, det, err);
	for (i = 0; i < k; i++)
		free(cls[i]);
	free(cls);
	if (rc < 0) {
		free(det);
		return rc;
	}
	c->dnodes = nodes;
	c->details = det;
	c->ndetails = k;
	return 0;
}

static void row_text(struct ctx *c, uint32_t v, unsigned level)
{
	char pct[16], r[32], s[32], o[32], cls[600], id[32];
	const char *lab = hs_graph_label(c->g, v);
	uint32_t k = hs_graph_class(c->g, v);
	if (k != HS_NONE && (k & HS_CLASS_OBJECT_BIT))
		snprintf(cls, sizeof(cls), "%*sclass %s", (int)level * 2, "",
			 hs_dump_class(c->d, k & ~HS_CLASS_OBJECT_BIT)->name);
	else
		snprintf(cls, sizeof(cls), "%*s%s", (int)level * 2, "", hs_graph_class_name(c->g, v));
	snprintf(id, sizeof(id), "0x%llx", (unsigned long long)hs_graph_id(c->g, v));
	hs_table_addf(c->t, "%s\t%s\t%s\t%s\t%s\t%s\t%s", hs_fmt_pct(pct, sizeof(pct), hs_graph_retained(c->g, v), c->total),
		      hs_fmt_count(r, sizeof(r), hs_graph_retained(c->g, v)),
		      hs_fmt_count(s, sizeof(s), hs_graph_shallow(c->g, v)),
		      hs_fmt_count(o, sizeof(o), hs_graph_retained_count(c->g, v)), cls, id,
		      lab ? lab : detail_of(c, v) ? detail_of(c, v) : "");
}

static void row_json(struct ctx *c, uint32_t v)
{
	uint32_t k = hs_graph_class(c->g, v);
	const char *lab = hs_graph_label(c->g, v);
	hs_json_hex(&c->j, "id", hs_graph_id(c->g, v));
	hs_json_str(&c->j, "class", hs_graph_class_name(c->g, v));
	if (k != HS_NONE && (k & HS_CLASS_OBJECT_BIT))
		hs_json_str(&c->j, "class_object_of", hs_dump_class(c->d, k & ~HS_CLASS_OBJECT_BIT)->name);
	hs_json_u64(&c->j, "shallow", hs_graph_shallow(c->g, v));
	hs_json_u64(&c->j, "retained", hs_graph_retained(c->g, v));
	hs_json_u64(&c->j, "retained_objects", hs_graph_retained_count(c->g, v));
	hs_json_dbl(&c->j, "retained_pct", c->total ? 100.0 * (double)hs_graph_retained(c->g, v) / (double)c->total : 0);
	if (lab)
		hs_json_str(&c->j, "label", lab);
	if (detail_of(c, v))
		hs_json_str(&c->j, "detail", detail_of(c, v));
}

/* Rows below v: an explicit stack of (node, level, next child). */
static int emit(struct ctx *c, uint32_t from)
{
	struct fr { uint32_t v, level, next, cnt; const uint32_t *ch; } *st;
	size_t sp = 0;
	uint32_t cnt;
	const uint32_t *ch = hs_graph_dom_children(c->g, from, &cnt, c->err);
	if (!ch && cnt)
		return c->err->code;
	st = malloc(sizeof(*st) * (c->depth + 2));
	if (!st)
		return hs_error_set(c->err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	st[0].v = from;
	st[0].level = 0;
	st[0].next = 0;
	st[0].ch = ch;
	st[0].cnt = cnt;
	sp = 1;
	if (c->json)
		hs_json_begin_arr(&c->j, "dominators");
	while (sp > 0) {
		struct fr *f = &st[sp - 1];
		uint32_t limit = f->level == 0 ? c->top : c->children;
		if (f->next < f->cnt && (limit == 0 || f->next < limit) &&
		    hs_graph_retained(c->g, f->ch[f->next]) >= c->min) {
			uint32_t v = f->ch[f->next++];
			if (c->json) {
				hs_json_begin_obj(&c->j, NULL);
				row_json(c, v);
			} else {
				row_text(c, v, f->level);
			}
			if (f->level < c->depth) {
				struct fr *n = &st[sp++];
				n->v = v;
				n->level = f->level + 1;
				n->next = 0;
				n->ch = hs_graph_dom_children(c->g, v, &n->cnt, c->err);
				if (c->json)
					hs_json_begin_arr(&c->j, "children");
			} else if (c->json) {
				hs_json_end_obj(&c->j);
			}
		} else {
			sp--;
			if (c->json) {
				hs_json_end_arr(&c->j);
				if (sp > 0)
					hs_json_end_obj(&c->j);
			}
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
	for (lvl = 0; lvl <= c->depth && nf > 0; lvl++) {
		uint32_t limit = lvl == 0 ? c->top : c->children, nn = 0;
		next = NULL;
		for (i = 0; i < nf; i++) {
			const uint32_t *ch = hs_graph_dom_children(c->g, frontier[i], &cnt, c->err);
			uint32_t k;
			for (k = 0; k < cnt && (limit == 0 || k < limit) &&
				    hs_graph_retained(c->g, ch[k]) >= c->min; k++) {
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

static int grouped(struct ctx *c, const char *key)
{
	hs_groups gr;
	enum hs_group_kind kind;
	hs_group_sum *sum;
	uint32_t *idx, i, n = 0;
	int rc;

	if (!strcmp(key, "class"))
		kind = HS_GROUP_CLASS;
	else if (!strcmp(key, "classloader") || !strcmp(key, "loader"))
		kind = HS_GROUP_LOADER;
	else if (!strcmp(key, "package"))
		kind = HS_GROUP_PACKAGE;
	else
		return hs_error_set(c->err, HS_EUSAGE, HS_NO_OFFSET,
				    "--group-by takes class, classloader or package, not '%s'", key);
	rc = hs_groups_make(&gr, c->d, c->g, kind, c->err);
	if (rc < 0)
		return rc;
	sum = calloc(gr.n + 1, sizeof(*sum));
	idx = malloc(sizeof(uint32_t) * (gr.n + 1));
	if (!sum || !idx) {
		free(sum);
		free(idx);
		hs_groups_release(&gr);
		return hs_error_set(c->err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	/* MAT's grouping of the dominator tree: the top-level dominators
	 * only, summed per group */
	{
		uint32_t cnt, k;
		const uint32_t *ch = hs_graph_dom_children(c->g, 0, &cnt, c->err);
		for (k = 0; k < cnt; k++) {
			uint32_t g = hs_group_of(c->g, gr.of_class, gr.class_objects, ch[k]);
			if (g == HS_NONE)
				continue;
			sum[g].objects++;
			sum[g].shallow += hs_graph_shallow(c->g, ch[k]);
			sum[g].retained += hs_graph_retained(c->g, ch[k]);
		}
	}
	for (i = 0; i < gr.n; i++)
		if (sum[i].objects && sum[i].retained >= c->min)
			idx[n++] = i;
	/* sort by retained, descending (insertion sort is fine for the
	 * number of groups shown; use qsort for many) */
	{
		uint32_t a, b;
		for (a = 1; a < n; a++) {
			uint32_t x = idx[a];
			for (b = a; b > 0 && sum[idx[b - 1]].retained < sum[x].retained; b--)
				idx[b] = idx[b - 1];
			idx[b] = x;
		}
	}
	if (c->top && n > c->top)
		n = c->top;
	if (c->json) {
		hs_json_begin_arr(&c->j, "groups");
		for (i = 0; i < n; i++) {
			hs_group_sum *s = &sum[idx[i]];
			hs_json_begin_obj(&c->j, NULL);
			hs_json_str(&c->j, "group", gr.names[idx[i]]);
			hs_json_u64(&c->j, "objects", s->objects);
			hs_json_u64(&c->j, "shallow", s->shallow);
			hs_json_u64(&c->j, "retained", s->retained);
			hs_json_end_obj(&c->j);
		}
		hs_json_end_arr(&c->j);
	} else {
		static const char *cols[] = { "Retained %", "Retained", "Shallow", "Objects", NULL, NULL };
		static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT };
		const char *cc[6];
		memcpy(cc, cols, sizeof(cols));
		cc[4] = kind == HS_GROUP_CLASS ? "Class" : kind == HS_GROUP_LOADER ? "Class loader" : "Package";
		hs_table_free(c->t);
		c->t = hs_table_new(cc, al);
		for (i = 0; i < n; i++) {
			hs_group_sum *s = &sum[idx[i]];
			char p[16], r[32], sh[32], o[32];
			hs_table_addf(c->t, "%s\t%s\t%s\t%s\t%s", hs_fmt_pct(p, sizeof(p), s->retained, c->total),
				      hs_fmt_count(r, sizeof(r), s->retained), hs_fmt_count(sh, sizeof(sh), s->shallow),
				      hs_fmt_count(o, sizeof(o), s->objects), gr.names[idx[i]]);
		}
	}
	free(sum);
	free(idx);
	hs_groups_release(&gr);
	return 0;
}

static int run(const hs_args *a, hs_error *err)
{
	static const char *cols[] = { "Retained %", "Retained", "Shallow", "Objects", "Class", "Id",
				      "Details", NULL };
	static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT, HS_LEFT,
					    HS_LEFT };
	struct ctx c;
	uint64_t v;
	uint32_t from = 0, *nodes, nn;
	int rc;

	memset(&c, 0, sizeof(c));
	c.err = err;
	c.top = 20;
	c.children = 5;
	if (a->val[O_TOP]) {
		if (hs_cli_parse_uint(a->val[O_TOP], &v) < 0 || v > UINT32_MAX)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--top takes a number, not '%s'", a->val[O_TOP]);
		c.top = (uint32_t)v;
	}
	if (a->val[O_DEPTH]) {
		if (hs_cli_parse_uint(a->val[O_DEPTH], &v) < 0 || v > 1000)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--depth takes a number up to 1000, not '%s'", a->val[O_DEPTH]);
		c.depth = (uint32_t)v;
	}
	if (a->val[O_CHILDREN]) {
		if (hs_cli_parse_uint(a->val[O_CHILDREN], &v) < 0 || v > UINT32_MAX)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--children takes a number, not '%s'", a->val[O_CHILDREN]);
		c.children = (uint32_t)v;
	}
	c.json = a->set[HS_OPT_JSON] > 0;
	rc = hs_cli_open_graph(&c.d, &c.g, a, 0, err);
	if (rc < 0)
		return rc;
	c.total = hs_graph_get_stats(c.g)->reachable_bytes;
	if (a->val[O_MIN]) {
		const char *m = a->val[O_MIN];
		size_t l = strlen(m);
		if (l > 1 && m[l - 1] == '%') {
			const char *end;
			double pct;
			if (hs_cli_parse_decimal(m, &pct, &end) < 0 || end != m + l - 1 || pct > 100) {
				rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
						  "--min-retained takes a size (10MB) or a percentage (1%%), not '%s'", m);
				goto done;
			}
			c.min = (uint64_t)(pct / 100.0 * (double)c.total);
		} else if (hs_cli_parse_size(m, &c.min) < 0) {
			rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					  "--min-retained takes a size (10MB) or a percentage (1%%), not '%s'", m);
			goto done;
		}
	}
	if (a->val[O_FROM]) {
		char *end;
		unsigned long long id = strtoull(a->val[O_FROM], &end, 16);
		if (*end || !*a->val[O_FROM]) {
			rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--from takes a hex object id (0x...), not '%s'", a->val[O_FROM]);
			goto done;
		}
		from = hs_graph_node(c.g, id);
		if (!from) {
			rc = hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no object 0x%llx in the dump", id);
			goto done;
		}
		if (!hs_graph_reachable(c.g, from)) {
			rc = hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET,
					  "object 0x%llx is not reachable from a GC root (try --keep-unreachable)", id);
			goto done;
		}
	}
	if (c.json) {
		hs_json_init(&c.j, stdout);
		hs_json_begin_obj(&c.j, NULL);
		hs_json_str(&c.j, "dump", hs_dump_path(c.d));
		hs_json_u64(&c.j, "reachable_objects", hs_graph_get_stats(c.g)->reachable);
		hs_json_u64(&c.j, "reachable_bytes", c.total);
		hs_json_u64(&c.j, "unreachable_objects", hs_graph_get_stats(c.g)->unreachable);
		hs_json_u64(&c.j, "unreachable_bytes", hs_graph_get_stats(c.g)->unreachable_bytes);
		if (from) {
			hs_json_begin_obj(&c.j, "from");
			row_json(&c, from);
			hs_json_end_obj(&c.j);
		}
	} else {
		c.t = hs_table_new(cols, al);
		hs_cli_graph_header(stdout, c.d, c.g);
	}
	if (a->val[O_GROUP]) {
		rc = grouped(&c, a->val[O_GROUP]);
	} else {
		nodes = shown(&c, from, &nn);
		if (nodes) {
			if (from) {
				nodes = realloc(nodes, (nn + 1) * sizeof(uint32_t));
				if (nodes)
					nodes[nn++] = from;
			}
			if (nodes)
				rc = hs_graph_fetch_labels(c.g, nodes, nn, err);
			if (rc == 0 && nodes)
				rc = fetch_details(&c, nodes, nn, err);   /* keeps nodes */
			else
				free(nodes);
		}
		if (rc == 0 && from && !c.json) {
			row_text(&c, from, 0);
			hs_table_rule(c.t);
		}
		if (rc == 0)
			rc = emit(&c, from);
	}
	if (rc == 0) {
		if (c.json) {
			hs_json_end_obj(&c.j);
			hs_json_finish(&c.j);
		} else {
			putchar('\n');
			hs_table_print(c.t, stdout);
		}
	}
done:
	for (nn = 0; nn < c.ndetails; nn++)
		free(c.details[nn]);
	free(c.details);
	free(c.dnodes);
	hs_table_free(c.t);
	hs_cli_free_graph(c.g);
	hs_cli_free_dump(c.d);
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
