/*
 * cmd-inspect.c - `heapscan inspect OBJID`: one object, as MAT's
 * inspector shows it: class, sizes, its shortest path from a GC root,
 * its fields (or elements) with their values, the objects it dominates
 * and the objects that refer to it.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/inspect.h"
#include "heapscan/paths.h"
#include "heapscan/result.h"
#include "cmd.h"

enum { O_ALL = HS_OPT_CMD, O_REFERRERS };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row: the fields (or array elements)" },
	HS_TOP_OPT,
	{ O_ALL, "all", NULL, "every element of an array, not the first N" },
	{ O_REFERRERS, "referrers", "N", "show the N biggest referrers (default 20, 0: all)", HS_T_COUNT, NULL, 0 },
	{ 0, NULL, NULL, NULL }
};

/* Bytes of an array read: --all, else enough for --top elements. */
#define ALL_BYTES (16u << 20)

struct ctx {
	hs_graph *g;
	hs_contents *c;    /* the object and what the report shows */
	uint64_t total;
};

static void obj_row(const struct ctx *x, hs_node *row, uint32_t v)
{
	hs_res_pct(row, "retained_pct", hs_graph_retained(x->g, v), x->total);
	hs_res_u64(row, "retained", hs_graph_retained(x->g, v));
	hs_res_u64(row, "shallow", hs_graph_shallow(x->g, v));
	hs_res_str(row, "class", hs_graph_class_name(x->g, v));
	hs_res_u64(row, "id", hs_graph_id(x->g, v));
	hs_res_str(row, "label", hs_graph_label(x->g, v));
}

/* A value (field or element) into @p row: its type, its text and, for a
 * reference, the id, class and retained size of the object. */
static void value_cols(const struct ctx *x, hs_node *row, uint8_t type, uint64_t bits)
{
	char buf[800];
	uint32_t t = type == HS_T_OBJECT && bits ? hs_graph_node(x->g, bits) : 0;
	hs_res_str(row, "type", type != HS_T_OBJECT ? hs_type_name(type) : t ? hs_graph_class_name(x->g, t) : NULL);
	hs_res_str(row, "value", hs_contents_value_text(x->c, type, bits, buf, sizeof(buf)));
	if (t) {
		hs_res_u64(row, "id", bits);
		hs_res_u64(row, "retained", hs_graph_retained(x->g, t));
	} else {
		hs_res_null(row, "id");
		hs_res_null(row, "retained");
	}
}

/* Everything the report names: fields' and elements' targets, dominated
 * objects, referrers, the path. */
static int gather(hs_graph *g, uint32_t v, uint32_t top, uint32_t nref, const uint32_t *refs, uint32_t nrefs,
		  const uint32_t *path, uint32_t plen, int all, uint32_t **out, uint32_t *n, hs_error *err)
{
	hs_contents *c;
	hs_fval *f = NULL;
	uint32_t nf = 0, i, bytes, len, cnt, k = 0, isz = hs_dump_get_info(hs_graph_dump(g))->idsize;
	uint8_t et;
	const unsigned char *a;
	const uint32_t *ch;
	int rc = hs_contents_fetch(&c, g, &v, 1, all ? ALL_BYTES : top * 8u, err);
	if (rc < 0)
		return rc;
	if ((rc = hs_contents_fields(c, v, &f, &nf, err)) < 0)
		goto done;
	a = hs_contents_array(c, v, &bytes, &et, &len);
	ch = hs_graph_dom_children(g, v, &cnt, err);
	*out = malloc(sizeof(uint32_t) * ((size_t)nf + bytes / isz + top + nref + nrefs + plen + 2));
	if (!*out) {
		rc = hs_error_oom(err, "inspecting an object");
		goto done;
	}
	(*out)[k++] = v;
	for (i = 0; i < nf; i++)
		if (f[i].type == HS_T_OBJECT && f[i].bits && hs_graph_node(g, f[i].bits))
			(*out)[k++] = hs_graph_node(g, f[i].bits);
	for (i = 0; a && et == HS_T_OBJECT && i + isz <= bytes; i += isz)
		if (hs_graph_node(g, hs_get_id(a + i, isz)))
			(*out)[k++] = hs_graph_node(g, hs_get_id(a + i, isz));
	for (i = 0; ch && i < cnt && i < top; i++)
		(*out)[k++] = ch[i];
	for (i = 0; i < nrefs && i < nref; i++)
		(*out)[k++] = refs[i];
	for (i = 0; i < plen; i++)
		(*out)[k++] = path[i];
	*n = k;
done:
	free(f);
	hs_contents_free(c);
	return rc;
}

static int build(hs_node *root, hs_graph *g, uint32_t v, uint32_t top, uint32_t nref, int all, hs_error *err)
{
	static const char *const fcols[] = { "field", "type", "value", "retained", NULL };
	static const char *const ecols[] = { "slot", "type", "value", "retained", NULL };
	static const char *const ocols[] = { "retained", "shallow", "class", "id", "label", NULL };
	static const char *const rcols[] = { "via", "retained", "shallow", "class", "id", "label", NULL };
	static const char *const pcols[] = { "via", "class", "id", "shallow", "retained", "label", NULL };
	struct ctx x = { g, NULL, hs_graph_get_stats(g)->reachable_bytes };
	uint32_t *parent = NULL, *refs = NULL, nrefs = 0, *nodes = NULL, nn = 0, path[256], plen = 0, i, nf = 0,
		 bytes = 0, len = 0, cnt, isz = hs_dump_get_info(hs_graph_dump(g))->idsize;
	char **via = NULL, buf[64];
	hs_fval *f = NULL;
	const unsigned char *a;
	const uint32_t *ch;
	uint8_t et = 0;
	hs_node *o, *t;
	int64_t size;
	int rc;

	if ((rc = hs_paths_bfs_until(g, v, 1, &parent, err)) == 0)
		plen = hs_paths_to(parent, v, path, 256);
	if (rc == 0)
		rc = hs_referrers(g, v, &refs, &nrefs, err);
	if (rc == 0)
		rc = gather(g, v, top, nref, refs, nrefs, path, plen, all, &nodes, &nn, err);
	if (rc == 0)
		rc = hs_contents_fetch(&x.c, g, nodes, nn, all ? ALL_BYTES : top * 8u, err);
	if (rc == 0 && plen && (via = calloc(plen, sizeof(char *))) != NULL)
		rc = hs_paths_describe(g, path, plen, via, err);
	if (rc == 0)
		rc = hs_contents_fields(x.c, v, &f, &nf, err);
	if (rc < 0)
		goto done;
	o = hs_res_obj(root, "object");
	obj_row(&x, o, v);
	hs_res_u64(o, "retained_objects", hs_graph_retained_count(g, v));
	if ((size = hs_contents_size(x.c, v)) >= 0)
		hs_res_u64(o, "size", (uint64_t)size);
	else
		hs_res_null(o, "size");
	hs_res_str(root, "root", plen && via ? via[0] : NULL);
	t = hs_res_table(root, "steps", pcols);
	for (i = 0; i < plen; i++) {
		hs_node *row = hs_res_row(t);
		hs_res_str(row, "via", i && via ? via[i] : NULL);
		hs_res_str(row, "class", hs_graph_class_name(g, path[i]));
		hs_res_u64(row, "id", hs_graph_id(g, path[i]));
		hs_res_u64(row, "shallow", hs_graph_shallow(g, path[i]));
		hs_res_u64(row, "retained", hs_graph_retained(g, path[i]));
		hs_res_str(row, "label", hs_graph_label(g, path[i]));
	}
	t = hs_res_table(root, "fields", fcols);
	for (i = 0; i < nf; i++) {
		hs_node *row = hs_res_row(t);
		hs_res_str(row, "field", f[i].name);
		value_cols(&x, row, f[i].type, f[i].bits);
	}
	if ((a = hs_contents_array(x.c, v, &bytes, &et, &len)) != NULL) {
		unsigned es = et == HS_T_OBJECT ? isz : hs_type_size(et, isz);
		hs_res_u64(root, "length", len);
		t = hs_res_table(root, "array_elements", ecols);
		for (i = 0; es && (i + 1) * es <= bytes && (all || i < top); i++) {
			hs_node *row = hs_res_row(t);
			uint64_t bits = es == 1 ? a[i] : es == 2 ? hs_get_u2(a + i * es) : es == 4 ? hs_get_u4(a + i * es)
				      : hs_get_id(a + i * es, 8);
			hs_res_u64(row, "slot", i);
			value_cols(&x, row, et, bits);
		}
	}
	ch = hs_graph_dom_children(g, v, &cnt, err);
	hs_res_u64(root, "dominated_total", ch ? cnt : 0);
	t = hs_res_table(root, "dominated", ocols);
	for (i = 0; ch && i < cnt && i < top; i++)
		obj_row(&x, hs_res_row(t), ch[i]);
	hs_res_u64(root, "referrers_total", nrefs);
	t = hs_res_table(root, "referrers", rcols);
	for (i = 0; i < nrefs && i < nref; i++) {
		hs_node *row = hs_res_row(t);
		hs_res_str(row, "via", hs_contents_via(x.c, refs[i], v, buf, sizeof(buf)));
		obj_row(&x, row, refs[i]);
	}
done:
	if (via)
		hs_paths_free_via(via, plen);
	free(via);
	free(f);
	free(refs);
	free(nodes);
	hs_paths_free(g, parent);
	hs_contents_free(x.c);
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_result *r = NULL;
	hs_args b = *a;
	const char *s;
	uint64_t id;
	uint32_t v = 0, nref = !a->set[O_REFERRERS] ? 20 : a->num[O_REFERRERS] ? (uint32_t)a->num[O_REFERRERS] : UINT32_MAX;
	int rc;

	hs_cli_dump_last(&b);
	if (!(s = hs_cli_extra(&b, 1, 0)))
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "usage: heapscan inspect [options] OBJID [DUMP]");
	if (hs_cli_parse_id(s, &id) < 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "object id must be hex (0x...), not '%s'", s);
	if ((rc = hs_cli_open_graph(&d, &g, &b, 1, err)) < 0)
		return rc;
	if (!(v = hs_graph_node(g, id)))
		rc = hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no object 0x%llx in the dump", (unsigned long long)id);
	if (rc == 0) {
		r = hs_res_new("inspect");
		hs_cli_graph_result(hs_res_root(r), d, g);
		rc = build(hs_res_root(r), g, v, hs_cli_top(a), nref, a->set[O_ALL], err);
	}
	if (rc == 0)
		rc = hs_cli_render_graph(r, a, !a->set[HS_OPT_CSV] ? NULL : hs_node_get(hs_res_root(r), "array_elements") ? "array_elements" : "fields", d, g, err);
	hs_res_free(r);
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

const struct hs_cmd hs_cmd_inspect = {
	.name = "inspect",
	.summary = "one object: its fields and values, path from a GC root, what it dominates, who refers to it",
	.usage = "[options] OBJID [DUMP]",
	.description = "Shows an object's class, shallow and retained size, its shortest path from a GC\n"
		       "root, every field with its type and value (Strings and boxed primitives as\n"
		       "values, references as class, id and retained size), the first elements of an\n"
		       "array, the objects it dominates and the objects that refer to it.",
	.opts = opts,
	.run = run,
};
