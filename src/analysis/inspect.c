/*
 * inspect.c - the instances of a class, the contents of a few objects,
 * their referrers and immediate dominators (inspect.h).
 *
 * Contents come from one pass over the dump (graph/fetch.h): the field
 * bytes of instances, the first bytes of arrays, and what sizes need (the
 * value arrays of Strings, the lengths of object arrays); then the labels
 * (hs_graph_fetch_labels()), which give the entry counts of collections.
 * Nothing here walks the graph recursively: referrers are one scan of the
 * references, immediate dominators a loop up the dominator tree.  Only the
 * graph's public interface is used (heapscan/graph.h, and graph/fetch.h
 * for contents).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/inspect.h"
#include "heapscan/where.h"
#include "graph/fetch.h"
#include "util.h"

#define OOM_DOING "inspecting objects"

struct hs_contents {
	hs_graph *g;
	hs_fetch f;
	char text[704];   /* the text of the last String value looked up (a label: 160 bytes of the dump, at most 4 of UTF-8 each) */
};

static int by_retained(const void *a, const void *b, void *ctx)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t rx = hs_graph_retained(ctx, x), ry = hs_graph_retained(ctx, y);
	if (rx != ry)
		return rx < ry ? 1 : -1;
	return x < y ? -1 : x > y;
}

int hs_instances_of(hs_graph *g, const char *name, int subclasses, uint32_t **out, uint32_t *n,
		    hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d), i, k, nn = 0, cap = 64, v, any = 0;
	unsigned char *want = calloc(nc + 1, 1);
	uint32_t *nodes = malloc(sizeof(uint32_t) * cap);

	*out = NULL;
	*n = 0;
	if (!want || !nodes) {
		free(want);
		free(nodes);
		return hs_error_oom(err, OOM_DOING);
	}
	for (i = 0; i < nc; i++)
		if (hs_dump_class(d, i)->name && strcmp(hs_dump_class(d, i)->name, name) == 0)
			want[i] = 1, any = 1;
	if (!any) {
		free(want);
		free(nodes);
		return hs_error_set(err, HS_ENOTFOUND, HS_NO_OFFSET, "no class '%s' in the dump", name);
	}
	if (subclasses)
		for (i = 0; i < nc; i++) {
			int guard = 0;
			for (k = hs_dump_class(d, i)->super; k != HS_NONE && !want[i] && guard++ < 256;
			     k = hs_dump_class(d, k)->super)
				if (want[k] == 1)
					want[i] = 2;
		}
	for (v = 1; v < hs_graph_nodes(g); v++) {
		uint32_t c = hs_graph_class(g, v);
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || c >= nc || !want[c] || !hs_graph_reachable(g, v))
			continue;
		if (nn == cap) {
			uint32_t *nv = realloc(nodes, sizeof(uint32_t) * (cap *= 2));
			if (!nv) {
				free(want);
				free(nodes);
				return hs_error_oom(err, OOM_DOING);
			}
			nodes = nv;
		}
		nodes[nn++] = v;
	}
	free(want);
	hs_sort(nodes, nn, sizeof(uint32_t), by_retained, g);
	*out = nodes;
	*n = nn;
	return 0;
}

static int is_class_named(const hs_graph *g, uint32_t node, const char *name)
{
	const hs_class *k = hs_graph_class_of(g, node);
	return k && k->name && strcmp(k->name, name) == 0;
}

int hs_contents_fetch(hs_contents **out, hs_graph *g, const uint32_t *nodes, uint32_t n,
		      uint32_t array_bytes, hs_error *err)
{
	hs_contents *c = calloc(1, sizeof(*c));
	uint32_t i;
	int rc = 0;
	*out = NULL;
	if (!c)
		return hs_error_oom(err, OOM_DOING);
	if ((rc = hs_graph_refs(g, err)) < 0) {
		free(c);
		return rc;
	}
	c->g = g;
	hs_fetch_init(&c->f, g, array_bytes);
	for (i = 0; rc == 0 && i < n; i++) {
		uint32_t v = nodes[i];
		const hs_class *k = hs_graph_class_of(g, v);
		if (!k)
			continue;
		switch (k->kind) {
		case HS_CLASS_INSTANCE: {
			uint32_t arr = is_class_named(g, v, "java.lang.String") ? hs_graph_value_array(g, v) : 0;
			rc = hs_fetch_want_instance(&c->f, v, err);
			if (rc == 0 && arr)
				rc = hs_fetch_want_prim(&c->f, arr, err);
			break;
		}
		case HS_CLASS_OBJ_ARRAY:
			rc = hs_fetch_want_elems(&c->f, v, err);
			if (rc == 0)
				rc = hs_fetch_want_count(&c->f, v, err);
			break;
		default:
			rc = hs_fetch_want_prim(&c->f, v, err);
			break;
		}
	}
	if (rc == 0)
		rc = hs_fetch_run(&c->f, err);
	if (rc == 0)
		rc = hs_graph_fetch_labels(g, nodes, n, err);
	if (rc < 0) {
		hs_contents_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void hs_contents_free(hs_contents *c)
{
	if (!c)
		return;
	hs_fetch_release(&c->f);
	free(c);
}

struct collect {
	const hs_dump *d;
	hs_fval *v;
	uint32_t n, cap;
	int oom;
};

static int collect_one(void *ctx, uint32_t owner, const hs_field *fl, uint64_t val)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? c->cap * 2 : 16;
		hs_fval *nv = realloc(c->v, sizeof(*nv) * cap);
		if (!nv) {
			c->oom = 1;
			return 1;
		}
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n].name = hs_dump_string(c->d, fl->name_id);
	c->v[c->n].owner = hs_dump_class(c->d, owner)->name;
	c->v[c->n].type = fl->type;
	c->v[c->n].bits = val;
	c->n++;
	return 0;
}

int hs_contents_fields(const hs_contents *c, uint32_t node, hs_fval **out, uint32_t *n, hs_error *err)
{
	const hs_graph *g = c->g;
	const hs_dump *d = hs_graph_dump(g);
	uint32_t k = node && node < hs_graph_nodes(g) ? hs_graph_class(g, node) : HS_NONE, len, i;
	struct collect col;
	const unsigned char *data;
	*out = NULL;
	*n = 0;
	if (k == HS_NONE)
		return 0;
	memset(&col, 0, sizeof(col));
	col.d = d;
	if (k & HS_CLASS_OBJECT_BIT) {
		const hs_class *kl = hs_dump_class(d, k & ~HS_CLASS_OBJECT_BIT);
		hs_field fl;
		for (i = 0; i < kl->nstatics && !col.oom; i++) {
			fl.name_id = kl->statics[i].name_id;
			fl.type = kl->statics[i].type;
			collect_one(&col, k & ~HS_CLASS_OBJECT_BIT, &fl, kl->statics[i].value);
		}
	} else if ((data = hs_fetch_instance(&c->f, node, &len)) != NULL) {
		hs_fields_each(d, k, data, len, collect_one, &col);
	}
	if (col.oom) {
		free(col.v);
		return hs_error_oom(err, OOM_DOING);
	}
	*out = col.v;
	*n = col.n;
	return 0;
}

struct one {
	const hs_dump *d;
	const char *name;
	hs_fval *out;
	int found;
};

static int find_one(void *ctx, uint32_t owner, const hs_field *fl, uint64_t val)
{
	struct one *o = ctx;
	const char *fn = hs_dump_string(o->d, fl->name_id);
	if (!fn || strcmp(fn, o->name) != 0)
		return 0;
	o->out->name = fn;
	o->out->owner = hs_dump_class(o->d, owner)->name;
	o->out->type = fl->type;
	o->out->bits = val;
	o->found = 1;
	return 1;
}

int hs_contents_field(const hs_contents *c, uint32_t node, const char *name, hs_fval *out)
{
	const hs_dump *d = hs_graph_dump(c->g);
	uint32_t k = hs_graph_class_of(c->g, node) ? hs_graph_class(c->g, node) : HS_NONE, len;
	const unsigned char *data;
	struct one o = { d, name, out, 0 };
	if (k == HS_NONE || !(data = hs_fetch_instance(&c->f, node, &len)))
		return 0;
	hs_fields_each(d, k, data, len, find_one, &o);
	return o.found;
}

const unsigned char *hs_contents_array(const hs_contents *c, uint32_t node, uint32_t *bytes,
				       uint8_t *elem_type, uint32_t *length)
{
	const hs_class *k = hs_graph_class_of(c->g, node);
	uint32_t nn;
	const unsigned char *p;
	if (!k)
		return NULL;
	if (k->kind == HS_CLASS_OBJ_ARRAY) {
		p = hs_fetch_elems(&c->f, node, bytes);
		*elem_type = HS_T_OBJECT;
		if (!p || !hs_fetch_count(&c->f, node, length, &nn))
			return NULL;
		return p;
	}
	if (k->kind != HS_CLASS_PRIM_ARRAY)
		return NULL;
	*elem_type = k->elem_type;
	p = hs_fetch_prim(&c->f, node, bytes);
	if (!p || !hs_fetch_prim_length(&c->f, node, length))
		return NULL;
	return p;
}

int64_t hs_contents_size(const hs_contents *c, uint32_t node)
{
	const hs_graph *g = c->g;
	const hs_class *k = hs_graph_class_of(g, node);
	uint32_t len, nn;
	const char *lab;
	if (!k)
		return -1;
	if (k->kind == HS_CLASS_OBJ_ARRAY)
		return hs_fetch_count(&c->f, node, &len, &nn) ? (int64_t)len : -1;
	if (k->kind == HS_CLASS_PRIM_ARRAY)
		return hs_fetch_prim_length(&c->f, node, &len) ? (int64_t)len : -1;
	if (is_class_named(g, node, "java.lang.String")) {
		uint32_t arr = hs_graph_value_array(g, node);
		hs_fval coder;
		const hs_class *ac = arr ? hs_graph_class_of(g, arr) : NULL;
		if (!arr || !ac || !hs_fetch_prim_length(&c->f, arr, &len))
			return arr ? -1 : 0;
		if (ac->elem_type == HS_T_CHAR)   /* JDK 8: char[] */
			return len;
		return hs_contents_field(c, node, "coder", &coder) && coder.bits == 1 ? len / 2 : len;
	}
	lab = hs_graph_label(g, node);
	if (lab && strncmp(lab, "size=", 5) == 0)
		return strtoll(lab + 5, NULL, 10);
	return -1;
}

const char *hs_value_text(uint8_t type, uint64_t bits, char *buf, size_t size)
{
	union { uint32_t u; float f; } f32;
	union { uint64_t u; double d; } f64;
	switch (type) {
	case HS_T_BOOLEAN: snprintf(buf, size, "%s", bits ? "true" : "false"); break;
	case HS_T_BYTE: snprintf(buf, size, "%d", (int)(int8_t)bits); break;
	case HS_T_SHORT: snprintf(buf, size, "%d", (int)(int16_t)bits); break;
	case HS_T_INT: snprintf(buf, size, "%ld", (long)(int32_t)bits); break;
	case HS_T_LONG: snprintf(buf, size, "%lld", (long long)(int64_t)bits); break;
	case HS_T_CHAR:
		if (bits >= 0x20 && bits < 0x7f && bits != '\'')
			snprintf(buf, size, "'%c'", (char)bits);
		else
			snprintf(buf, size, "'\\u%04x'", (unsigned)(bits & 0xffff));
		break;
	case HS_T_FLOAT: f32.u = (uint32_t)bits; snprintf(buf, size, "%.9g", (double)f32.f); break;
	case HS_T_DOUBLE: f64.u = bits; snprintf(buf, size, "%.17g", f64.d); break;
	default: snprintf(buf, size, "0x%llx", (unsigned long long)bits); break;
	}
	return buf;
}

int hs_referrers(hs_graph *g, uint32_t node, uint32_t **out, uint32_t *n, hs_error *err)
{
	uint32_t v, nn = 0, cap = 16, *r = malloc(sizeof(uint32_t) * cap);
	int rc;
	*out = NULL;
	*n = 0;
	if (!r)
		return hs_error_oom(err, OOM_DOING);
	if ((rc = hs_graph_refs(g, err)) < 0) {
		free(r);
		return rc;
	}
	for (v = 1; v < hs_graph_nodes(g); v++) {
		uint32_t cnt, i;
		const uint32_t *o = hs_graph_out(g, v, &cnt);
		for (i = 0; i < cnt && o[i] != node; i++)
			;
		if (i == cnt)
			continue;
		if (nn == cap) {
			uint32_t *nr = realloc(r, sizeof(uint32_t) * (cap *= 2));
			if (!nr) {
				free(r);
				return hs_error_oom(err, OOM_DOING);
			}
			r = nr;
		}
		r[nn++] = v;
	}
	hs_sort(r, nn, sizeof(uint32_t), by_retained, g);
	*out = r;
	*n = nn;
	return 0;
}

static int by_group_retained(const void *a, const void *b)
{
	const hs_idom_group *x = a, *y = b;
	if (x->retained != y->retained)
		return x->retained < y->retained ? 1 : -1;
	if (x->objects != y->objects)
		return x->objects < y->objects ? 1 : -1;
	return strcmp(x->name, y->name);
}

int hs_immediate_dominators(hs_graph *g, const uint32_t *nodes, uint32_t count, hs_idom_group **out,
			    uint32_t *n, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d), i, ng = 0;
	/* per class (nc: class objects, nc + 1: the GC roots): its group + 1 */
	uint32_t *group = calloc(nc + 2, sizeof(uint32_t));
	unsigned char *skip = calloc(nc + 1, 1);
	hs_idom_group *gs = calloc(nc + 2, sizeof(*gs));
	Pvoid_t seen = NULL;   /* dominators counted */
	Word_t w;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!group || !skip || !gs) {
		rc = hs_error_oom(err, OOM_DOING);
		goto done;
	}
	for (i = 0; i < count; i++) {
		uint32_t c = hs_graph_class(g, nodes[i]);
		if (c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) && c < nc)
			skip[c] = 1;
	}
	for (i = 0; i < count; i++) {
		uint32_t v = nodes[i], dom = hs_graph_idom(g, v), c, slot;
		int passed = 0, r;
		hs_idom_group *x;
		if (dom == HS_NONE)
			continue;
		/* up past dominators of the classes asked about (bounded by the
		 * tree's height: each step goes one level up) */
		while (dom != 0 && (c = hs_graph_class(g, dom)) != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) && c < nc &&
		       skip[c]) {
			dom = hs_graph_idom(g, dom);
			passed = 1;
		}
		c = dom == 0 ? HS_NONE : hs_graph_class(g, dom);
		slot = c == HS_NONE ? nc + 1 : (c & HS_CLASS_OBJECT_BIT) ? nc : c;
		if (!group[slot]) {
			group[slot] = ++ng;
			gs[ng - 1].cls = c == HS_NONE ? HS_NONE : (c & HS_CLASS_OBJECT_BIT) ? HS_CLASS_OBJECT_BIT : c;
			gs[ng - 1].name = c == HS_NONE ? "<GC roots>" : (c & HS_CLASS_OBJECT_BIT) ? "java.lang.Class"
				: hs_dump_class(d, c)->name ? hs_dump_class(d, c)->name : "<unknown class>";
			gs[ng - 1].biggest = dom;
		}
		x = &gs[group[slot] - 1];
		x->objects++;
		x->shallow += hs_graph_shallow(g, v);
		if (!passed)   /* else another member holds it, and counts it */
			x->retained += hs_graph_retained(g, v);
		if (hs_graph_retained(g, dom) > hs_graph_retained(g, x->biggest))
			x->biggest = dom;
		r = Judy1Set(&seen, dom, PJE0);
		if (r == JERR) {
			rc = hs_error_oom(err, OOM_DOING);
			goto done;
		}
		x->dominators += r;
	}
	qsort(gs, ng, sizeof(*gs), by_group_retained);
	*out = gs;
	*n = ng;
	gs = NULL;
done:
	Judy1FreeArray(&seen, PJE0);
	(void)w;
	free(group);
	free(skip);
	free(gs);
	return rc;
}

void hs_contents_where_value(const hs_contents *c, uint32_t node, const char *name, hs_wval *out)
{
	hs_fval f;
	memset(out, 0, sizeof(*out));
	if (!strcmp(name, "retained") || !strcmp(name, "shallow")) {
		out->kind = HS_WV_NUM;
		out->num = (double)(name[0] == 'r' ? hs_graph_retained(c->g, node) : hs_graph_shallow(c->g, node));
		return;
	}
	if (!strcmp(name, "size")) {
		int64_t sz = hs_contents_size(c, node);
		if (sz >= 0) {
			out->kind = HS_WV_NUM;
			out->num = (double)sz;
			return;
		}
		/* else a field named size, if it has one */
	}
	if (!hs_contents_field(c, node, name, &f))
		return;
	if (f.type == HS_T_OBJECT) {
		uint32_t t = f.bits ? hs_graph_node(c->g, f.bits) : 0;
		const char *lab = t ? hs_graph_label(c->g, t) : NULL;
		size_t n;
		if (!f.bits) {
			out->kind = HS_WV_NULL;
		} else if (t && is_class_named(c->g, t, "java.lang.String") && lab && (n = strlen(lab)) >= 2 &&
			   lab[0] == '"' && lab[n - 1] == '"') {
			/* the label, quotes left out: kept in the contents' buffer */
			hs_contents *m = (hs_contents *)c;
			if (n - 2 >= sizeof(m->text))
				n = sizeof(m->text) + 1;
			memcpy(m->text, lab + 1, n - 2);
			m->text[n - 2] = '\0';
			out->kind = HS_WV_TEXT;
			out->text = m->text;
		} else {
			out->kind = HS_WV_NUM;
			out->num = (double)f.bits;
		}
		return;
	}
	out->kind = HS_WV_NUM;
	switch (f.type) {
	case HS_T_BYTE: out->num = (int8_t)f.bits; break;
	case HS_T_SHORT: out->num = (int16_t)f.bits; break;
	case HS_T_INT: out->num = (int32_t)f.bits; break;
	case HS_T_LONG: out->num = (double)(int64_t)f.bits; break;
	case HS_T_FLOAT: {
		union { uint32_t u; float f; } x;
		x.u = (uint32_t)f.bits;
		out->num = x.f;
		break;
	}
	case HS_T_DOUBLE: {
		union { uint64_t u; double d; } x;
		x.u = f.bits;
		out->num = x.d;
		break;
	}
	default: out->num = (double)f.bits; break;
	}
}

struct wctx {
	const hs_contents *c;
	uint32_t node;
};

static void where_lookup(void *ctx, const char *name, hs_wval *out)
{
	const struct wctx *w = ctx;
	hs_contents_where_value(w->c, w->node, name, out);
}

/* The Strings the fields named in @p w refer to, for their values. */
static int referenced_strings(hs_graph *g, const hs_contents *c, const uint32_t *nodes, uint32_t n,
			      const hs_where *w, hs_error *err)
{
	uint32_t nn, i, k, cnt = 0, *s = malloc(sizeof(uint32_t) * ((size_t)n + 1));
	const char *const *names = hs_where_names(w, &nn);
	int rc;
	if (!s)
		return hs_error_oom(err, OOM_DOING);
	for (k = 0; k < nn; k++)
		for (i = 0; i < n; i++) {
			hs_fval f;
			uint32_t t;
			if (hs_contents_field(c, nodes[i], names[k], &f) && f.type == HS_T_OBJECT && f.bits &&
			    (t = hs_graph_node(g, f.bits)) && is_class_named(g, t, "java.lang.String")) {
				if (cnt == n) {   /* a second name: one more pass */
					if ((rc = hs_graph_fetch_labels(g, s, cnt, err)) < 0)
						goto done;
					cnt = 0;
				}
				s[cnt++] = t;
			}
		}
	rc = hs_graph_fetch_labels(g, s, cnt, err);
done:
	free(s);
	return rc;
}

int hs_objects_query(hs_graph *g, const char *name, int subclasses, const hs_where *w, uint32_t show,
		     uint32_t **out, uint32_t *n, hs_contents **contents, hs_error *err)
{
	uint32_t *nodes = NULL, nn = 0, i, k = 0;
	hs_contents *c = NULL;
	int rc;
	*out = NULL;
	*n = 0;
	*contents = NULL;
	if ((rc = hs_instances_of(g, name, subclasses, &nodes, &nn, err)) < 0)
		return rc;
	rc = hs_contents_fetch(&c, g, nodes, w ? nn : (show < nn ? show : nn), 0, err);
	if (rc == 0 && w)
		rc = referenced_strings(g, c, nodes, nn, w, err);
	if (rc < 0) {
		free(nodes);
		hs_contents_free(c);
		return rc;
	}
	if (w) {
		for (i = 0; i < nn; i++) {
			struct wctx x = { c, nodes[i] };
			if (hs_where_eval(w, where_lookup, &x))
				nodes[k++] = nodes[i];
		}
		nn = k;
	}
	*out = nodes;
	*n = nn;
	*contents = c;
	return 0;
}

/* Boxed primitives print as their value. */
static int is_box(const char *n)
{
	static const char *const boxes[] = { "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte",
					     "java.lang.Character", "java.lang.Boolean", "java.lang.Float",
					     "java.lang.Double", NULL };
	int i;
	for (i = 0; n && boxes[i]; i++)
		if (!strcmp(n, boxes[i]))
			return 1;
	return 0;
}

const char *hs_contents_value_text(const hs_contents *c, uint8_t type, uint64_t bits, char *buf, size_t size)
{
	uint32_t t;
	const char *lab, *cn;
	hs_fval f;
	if (type != HS_T_OBJECT)
		return hs_value_text(type, bits, buf, size);
	if (!bits) {
		snprintf(buf, size, "null");
		return buf;
	}
	t = hs_graph_node(c->g, bits);
	if (!t) {
		snprintf(buf, size, "0x%llx (not in the dump)", (unsigned long long)bits);
		return buf;
	}
	cn = hs_graph_class_name(c->g, t);
	lab = hs_graph_label(c->g, t);
	if (is_class_named(c->g, t, "java.lang.String") && lab) {
		snprintf(buf, size, "%s", lab);
		return buf;
	}
	if (is_box(cn) && hs_contents_field(c, t, "value", &f)) {
		char v[64];
		snprintf(buf, size, "%s", hs_value_text(f.type, f.bits, v, sizeof(v)));
		return buf;
	}
	snprintf(buf, size, "%s@0x%llx%s%s", cn, (unsigned long long)bits, lab ? " " : "", lab ? lab : "");
	return buf;
}

const char *hs_contents_via(const hs_contents *c, uint32_t from, uint32_t to, char *buf, size_t size)
{
	const hs_graph *g = c->g;
	const hs_dump *d = hs_graph_dump(g);
	uint32_t k = from && from < hs_graph_nodes(g) ? hs_graph_class(g, from) : HS_NONE, len, i,
		 isz = hs_dump_get_info(d)->idsize;
	uint64_t id = hs_graph_id(g, to);
	const unsigned char *data;
	if (k == HS_NONE)
		return NULL;
	if (k & HS_CLASS_OBJECT_BIT) {
		const hs_class *kl = hs_dump_class(d, k & ~HS_CLASS_OBJECT_BIT);
		for (i = 0; i < kl->nstatics; i++)
			if (kl->statics[i].type == HS_T_OBJECT && kl->statics[i].value == id) {
				snprintf(buf, size, "static %s", hs_dump_string(d, kl->statics[i].name_id));
				return buf;
			}
		return NULL;
	}
	if (hs_dump_class(d, k)->kind == HS_CLASS_OBJ_ARRAY) {
		if (!(data = hs_fetch_elems(&c->f, from, &len)))
			return NULL;
		for (i = 0; i + isz <= len; i += isz)
			if (hs_get_id(data + i, isz) == id) {
				snprintf(buf, size, "[%u]", i / isz);
				return buf;
			}
		return NULL;
	}
	if (!(data = hs_fetch_instance(&c->f, from, &len)))
		return NULL;
	{
		/* the field holding it (a lasting one rather than a fleeting one) */
		const char *name = hs_field_holding(d, k, data, len, id);
		if (!name)
			return NULL;
		snprintf(buf, size, ".%s", name);
		return buf;
	}
}
