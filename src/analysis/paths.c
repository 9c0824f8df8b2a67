/*
 * paths.c - shortest paths from the GC roots and their description.
 *
 * hs_paths_bfs() runs one breadth-first search from the virtual root with
 * a plain array as queue (each node enters once), so parent pointers give
 * a shortest path to every object; but what a thread holds only through a
 * fleeting reference (Thread.parkBlocker, the object it is parked on) is
 * reached that way only when nothing lasting reaches it: such references
 * wait until the queue has run dry, then the search goes on from them.
 *
 * hs_paths_describe() names the references along a path.  The graph keeps
 * no field values, so the instances and object arrays on the path are read
 * again from the dump (one pass, only those objects kept), and each
 * reference is matched by id against the fields of the class, the array's
 * elements or the class's statics.
 *
 * An analysis on a finished graph: it reads the graph through graph.h and
 * the objects again through fetch.h (the graph's pass over the dump), not
 * the graph's layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Judy.h>

#include "heapscan/paths.h"
#include "graph/fetch.h"

/*
 * The threads' fleeting references: for each thread parked on an object
 * that none of its lasting fields holds (Thread.parkBlocker only), the
 * pair thread -> that object, in *out (JudyL).  One fetch of the thread
 * objects.
 */
static int fleeting_refs(hs_graph *g, Pvoid_t *out, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nt, i;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	hs_fetch f;
	int rc = 0;
	*out = NULL;
	hs_fetch_init(&f, g, 0);
	for (i = 0; i < nt; i++) {
		uint32_t v = hs_graph_node(g, th[i].object_id);
		if (v && (rc = hs_fetch_want_instance(&f, v, err)) < 0)
			goto done;
	}
	if ((rc = hs_fetch_run(&f, err)) < 0)
		goto done;
	for (i = 0; i < nt; i++) {
		uint32_t v = hs_graph_node(g, th[i].object_id), len, c, b;
		const unsigned char *data = v ? hs_fetch_instance(&f, v, &len) : NULL;
		uint64_t val = 0;
		uint8_t t;
		PWord_t pv;
		if (!data || (c = hs_graph_class(g, v)) == HS_NONE || (c & HS_CLASS_OBJECT_BIT) ||
		    !hs_field_by_name(d, c, data, len, "parkBlocker", &t, &val) || t != HS_T_OBJECT || !val ||
		    !hs_field_fleeting(hs_field_holding(d, c, data, len, val)) || !(b = hs_graph_node(g, val)))
			continue;
		JLI(pv, *out, v);
		if (pv == PJERR) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		*pv = b;
	}
done:
	hs_fetch_release(&f);
	return rc;
}

/* The threads of the fleeting references as a small open-addressing set
 * (node 0, the virtual root, is no thread: it marks a free slot): the
 * search asks it for every node it takes from the queue, where a JudyL
 * look-up is a library call; this stays in the first-level cache. */
struct tset {
	uint32_t *key, *val;
	uint32_t mask;
};

static uint32_t tset_slot(const struct tset *t, uint32_t v)
{
	return (uint32_t)((v * 2654435761u) >> 7) & t->mask;
}

static int tset_make(struct tset *t, Pvoid_t fleeting)
{
	Word_t n = 0, key = 0;
	PWord_t pv;
	uint32_t size = 16;
	JLC(n, fleeting, 0, -1);
	while (size < 4 * n)
		size *= 2;
	t->mask = size - 1;
	t->key = calloc(size, sizeof(uint32_t));
	t->val = calloc(size, sizeof(uint32_t));
	if (!t->key || !t->val)
		return -1;
	JLF(pv, fleeting, key);
	while (pv) {
		uint32_t h = tset_slot(t, (uint32_t)key);
		while (t->key[h])
			h = (h + 1) & t->mask;
		t->key[h] = (uint32_t)key;
		t->val[h] = (uint32_t)*pv;
		JLN(pv, fleeting, key);
	}
	return 0;
}

/* The object thread v is parked on through a fleeting reference, 0 for
 * none. */
static inline uint32_t tset_get(const struct tset *t, uint32_t v)
{
	uint32_t h = tset_slot(t, v);
	while (t->key[h]) {
		if (t->key[h] == v)
			return t->val[h];
		h = (h + 1) & t->mask;
	}
	return 0;
}

int hs_paths_bfs(hs_graph *g, uint32_t **out, hs_error *err)
{
	return hs_paths_bfs_ex(g, HS_NONE, 0, out, err);
}

static int bfs(hs_graph *g, uint32_t avoid, int strong, uint32_t stop, uint32_t **out, hs_error *err);

int hs_paths_bfs_ex(hs_graph *g, uint32_t avoid, int strong, uint32_t **out, hs_error *err)
{
	return bfs(g, avoid, strong, HS_NONE, out, err);
}

int hs_paths_bfs_until(hs_graph *g, uint32_t target, int strong, uint32_t **out, hs_error *err)
{
	return bfs(g, HS_NONE, strong, target, out, err);
}

/* The search; with @p stop a node, it ends once that one is found: its
 * path is then what the whole search gives it (the nodes before it in
 * the queue are all there is to its path), the rest not searched and not
 * kept for the next command. */
static int bfs(hs_graph *g, uint32_t avoid, int strong, uint32_t stop, uint32_t **out, hs_error *err)
{
	uint32_t n = hs_graph_nodes(g), *parent, *queue, head = 0, tail = 0;
	const char *outer = hs_dump_phase(hs_graph_dump(g));
	Pvoid_t fleeting = NULL, deferred = NULL;   /* thread -> object; queue position -> thread */
	struct tset ft = { NULL, NULL, 0 };         /* fleeting, for the look-ups */
	struct hs_mem_ahead *ahead = NULL;
	PWord_t pv;
	Word_t w, key;
	int rc;
	*out = NULL;
	/* the search from the roots alone: the index may hold its tree */
	if (avoid == HS_NONE && (rc = hs_graph_path_tree(g, strong != 0, out, err)) != 0)
		return rc < 0 ? rc : 0;
	if (hs_graph_refs(g, err) < 0)
		return err->code;
	if ((rc = fleeting_refs(g, &fleeting, err)) < 0)
		return rc;
	if (tset_make(&ft, fleeting) < 0) {
		free(ft.key);
		free(ft.val);
		JLFA(w, fleeting);
		return hs_error_oom(err, NULL);
	}
	hs_dump_progress(hs_graph_dump(g), "shortest paths", 0, 0);
	/* parent[] is written at random, queue[] front to back: the first
	 * in memory, the other in a file when they cannot both be */
	hs_graph_make_room(g, sizeof(uint32_t) * (uint64_t)n);
	parent = hs_graph_array(g, sizeof(uint32_t) * n, 0, err);
	queue = parent ? hs_graph_array(g, sizeof(uint32_t) * n, 0, err) : NULL;
	if (!queue) {
		hs_graph_array_free(g, parent);
		JLFA(w, fleeting);
		free(ft.key);
		free(ft.val);
		return err->code;
	}
	/* parent[] all HS_NONE, and queue[]'s pages made as it grows, with
	 * the other core's help */
	ahead = hs_graph_ahead(g, parent, sizeof(uint32_t) * n, queue, sizeof(uint32_t) * n);
	parent[0] = 0;
	queue[tail++] = 0;
	for (;;) {
		while (head < tail) {
			uint32_t v = queue[head++], cnt, i, c, skip;
			const uint32_t *o = hs_graph_out(g, v, &cnt);
			uint32_t weak = strong ? hs_graph_referent(g, v) : 0;
			if ((skip = tset_get(&ft, v)) != 0) {
				JLI(pv, deferred, head);   /* the threads in BFS order */
				if (pv == PJERR) {
					rc = hs_error_oom(err, NULL);
					goto done;
				}
				*pv = v;
			}
			for (i = 0; i < cnt; i++) {
				if (weak && o[i] == weak) {
					weak = 0;   /* that one reference, as if it were not there */
					continue;
				}
				if (parent[o[i]] == HS_NONE && o[i] != skip && o[i] != avoid) {
					parent[o[i]] = v;
					queue[tail++] = o[i];
				}
			}
			c = hs_graph_class_ref(g, v);   /* after the stored references */
			if (c && parent[c] == HS_NONE && c != avoid) {
				parent[c] = v;
				queue[tail++] = c;
			}
			if (stop != HS_NONE && parent[stop] != HS_NONE)
				goto found;
		}
		/* then what only a fleeting reference reaches, from there on */
		key = 0;
		JLF(pv, deferred, key);
		while (pv) {
			uint32_t t = (uint32_t)*pv, b;
			PWord_t pb;
			JLG(pb, fleeting, t);
			b = pb ? (uint32_t)*pb : 0;
			if (b && parent[b] == HS_NONE && b != avoid) {
				parent[b] = t;
				queue[tail++] = b;
			}
			JLN(pv, deferred, key);
		}
		JLFA(w, deferred);
		if (head == tail)
			break;
	}
	stop = HS_NONE;   /* searched whole: kept */
found:
	rc = 0;
done:
	JLFA(w, deferred);
	JLFA(w, fleeting);
	(void)w;
	free(ft.key);
	free(ft.val);
	hs_graph_ahead_join(ahead);
	hs_graph_array_free(g, queue);
	if (rc < 0) {
		hs_graph_array_free(g, parent);
		return rc;
	}
	*out = parent;
	if (avoid == HS_NONE && stop == HS_NONE)
		hs_graph_learn_path_tree(g, strong != 0, parent);
	if (outer)
		hs_dump_progress(hs_graph_dump(g), outer, 0, 0);
	return 0;
}

void hs_paths_free(const hs_graph *g, uint32_t *parent)
{
	hs_graph_array_free(g, parent);
}

uint32_t hs_paths_to(const uint32_t *parent, uint32_t target, uint32_t *out, uint32_t max)
{
	uint32_t len = 0, v = target, i;
	if (target == 0 || parent[target] == HS_NONE)
		return 0;
	while (v != 0 && v != HS_NONE && len < max) {   /* HS_NONE: a damaged index's */
		out[len++] = v;
		v = parent[v];
	}
	for (i = 0; i < len / 2; i++) {
		uint32_t t = out[i];
		out[i] = out[len - 1 - i];
		out[len - 1 - i] = t;
	}
	return len;
}

/* Depth of node v in the BFS tree (hs_paths_to's length: 1 for a root,
 * 0 for the virtual root), memoised in the JudyL memo for every node its
 * walk up crosses, so that the depths of many nodes cost the size of the
 * union of their paths, not the sum of their lengths.  stack: scratch of
 * *cap entries, grown as needed.  Returns the depth, or UINT32_MAX when
 * out of memory. */
static uint32_t depth_of(const uint32_t *parent, uint32_t nodes, uint32_t v, Pvoid_t *memo, uint32_t **stack,
			 size_t *cap)
{
	size_t n = 0;
	uint32_t d = 0;
	PWord_t pv;

	/* no chain is longer than the nodes (one from a damaged index that
	 * loops ends there) */
	while (v != 0 && v != HS_NONE && v < nodes && n < nodes) {
		JLG(pv, *memo, v);
		if (pv) {
			d = (uint32_t)*pv;
			break;
		}
		if (n == *cap) {
			size_t nc = *cap ? *cap * 2 : 1024;
			uint32_t *ns = realloc(*stack, nc * sizeof(uint32_t));
			if (!ns)
				return UINT32_MAX;
			*stack = ns;
			*cap = nc;
		}
		(*stack)[n++] = v;
		v = parent[v];
	}
	while (n > 0) {
		JLI(pv, *memo, (*stack)[--n]);
		if (pv == PJERR)
			return UINT32_MAX;
		*pv = ++d;
	}
	return d;
}

struct by_depth { uint32_t depth, node; };

static int cmp_depth(const void *a, const void *b)
{
	const struct by_depth *x = a, *y = b;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

int hs_paths_referrers(const hs_graph *g, const uint32_t *parent, uint32_t target, uint32_t max,
		       uint32_t **out, uint32_t *count, hs_error *err)
{
	return hs_paths_referrers_ex(g, parent, target, max, 0, out, count, err);
}

int hs_paths_referrers_ex(const hs_graph *g, const uint32_t *parent, uint32_t target, uint32_t max,
			  int strong, uint32_t **out, uint32_t *count, hs_error *err)
{
	uint32_t n = hs_graph_nodes(g), v, i, nr = 0, *stack = NULL;
	struct by_depth *r = NULL;
	size_t cap = 0, scap = 0;
	Pvoid_t memo = NULL;
	Word_t w;
	int rc = 0;

	*out = NULL;
	*count = 0;
	if (hs_graph_refs((hs_graph *)g, err) < 0)
		return err->code;
	for (v = 0; v < n; v++) {
		uint32_t cnt, k;
		const uint32_t *o;
		if (parent[v] == HS_NONE || v == target)
			continue;
		o = hs_graph_out(g, v, &cnt);
		{
			/* strong: a referent to the target counts only if
			 * another reference of v leads there too */
			uint32_t weak = strong ? hs_graph_referent(g, v) : 0;
			for (k = 0; k < cnt; k++) {
				if (weak && o[k] == weak) {
					weak = 0;
					continue;
				}
				if (o[k] == target)
					break;
			}
		}
		if (k == cnt && hs_graph_class_ref(g, v) != target)   /* nor its class */
			continue;
		if (nr == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct by_depth *nb = realloc(r, nc * sizeof(*r));
			if (!nb)
				goto oom;
			r = nb;
			cap = nc;
		}
		r[nr].node = v;
		r[nr].depth = depth_of(parent, n, v, &memo, &stack, &scap);
		if (r[nr].depth == UINT32_MAX)
			goto oom;
		if (r[nr].depth > max)
			r[nr].depth = max;
		nr++;
	}
	qsort(r, nr, sizeof(*r), cmp_depth);
	*out = malloc(sizeof(uint32_t) * (nr ? nr : 1));
	if (!*out)
		goto oom;
	for (i = 0; i < nr; i++)
		(*out)[i] = r[i].node;
	*count = nr;
	goto done;
oom:
	rc = hs_error_oom(err, "for paths");
done:
	free(r);
	free(stack);
	JLFA(w, memo);
	(void)w;
	return rc;
}

const char *hs_root_kind_name(int kind)
{
	switch (kind) {
	case HS_SUB_ROOT_UNKNOWN: return "unknown root";
	case HS_SUB_ROOT_JNI_GLOBAL: return "JNI global";
	case HS_SUB_ROOT_JNI_LOCAL: return "JNI local";
	case HS_SUB_ROOT_JAVA_FRAME: return "Java local";
	case HS_SUB_ROOT_NATIVE_STACK: return "native stack";
	case HS_SUB_ROOT_STICKY_CLASS: return "system class";
	case HS_SUB_ROOT_THREAD_BLOCK: return "thread block";
	case HS_SUB_ROOT_MONITOR_USED: return "busy monitor";
	case HS_SUB_ROOT_THREAD_OBJECT: return "thread";
	case HS_SUB_ROOT_INTERNED_STRING: return "interned string";
	case HS_SUB_ROOT_FINALIZING: return "finalizing";
	case HS_SUB_ROOT_DEBUGGER: return "debugger";
	case HS_SUB_ROOT_REFERENCE_CLEANUP: return "reference cleanup";
	case HS_SUB_ROOT_VM_INTERNAL: return "VM internal";
	case HS_SUB_ROOT_JNI_MONITOR: return "JNI monitor";
	case HS_SUB_ROOT_UNREACHABLE: return "unreachable";
	}
	return "root";
}

static char *root_desc(const hs_graph *g, uint32_t node)
{
	const hs_dump *d = hs_graph_dump(g);
	uint64_t id = hs_graph_id(g, node), n, i;
	const hs_root *r = hs_dump_roots(d, &n);
	char buf[256];
	int kinds = 0;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (r[i].id != id)
			continue;
		{
			/* each kind once: a thread object is also a local of its frames */
			const char *k = hs_root_kind_name(r[i].kind);
			size_t l = strlen(buf), kl = strlen(k);
			const char *at = buf;
			int seen = 0;
			while (!seen && (at = strstr(at, k)) != NULL) {
				seen = (at == buf || at[-1] == ' ') && (at[kl] == '\0' || at[kl] == ',');
				at += kl;
			}
			if (!seen && kinds < 3) {
				snprintf(buf + l, sizeof(buf) - l, "%s%s", l ? ", " : "", k);
				kinds++;
			}
		}
	}
	if (!kinds) {
		uint32_t c = hs_graph_class(g, node);
		if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT))
			snprintf(buf, sizeof(buf), "system class");
		else
			snprintf(buf, sizeof(buf), "root");
	}
	return strdup(buf);
}

/* How a thread object refers to a local: the frame of its root. */
static char *local_desc(const hs_graph *g, uint32_t thread, uint64_t id)
{
	const hs_dump *d = hs_graph_dump(g);
	uint64_t tid = hs_graph_id(g, thread), n, i;
	const hs_root *r = hs_dump_roots(d, &n);
	uint32_t serial = 0, trace = 0, nt, k;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	char buf[512];
	for (k = 0; k < nt; k++)
		if (th[k].object_id == tid) {
			serial = th[k].serial;
			trace = th[k].trace_serial;
		}
	for (i = 0; i < n; i++) {
		if (r[i].id != id || r[i].thread_serial != serial)
			continue;
		if (r[i].kind == HS_SUB_ROOT_JAVA_FRAME || r[i].kind == HS_SUB_ROOT_JNI_LOCAL) {
			uint32_t nf;
			const uint64_t *fr = hs_dump_trace(d, trace, &nf);
			const hs_frame *f = fr && r[i].frame < nf ? hs_dump_frame(d, fr[r[i].frame]) : NULL;
			if (f) {
				const char *cls = hs_dump_class_name_by_serial(d, f->class_serial);
				const char *m = hs_dump_string(d, f->method_name_id);
				const char *src = hs_dump_string(d, f->source_id);
				if (f->line > 0)
					snprintf(buf, sizeof(buf), "<%s in %s.%s(%s:%d)>", hs_root_kind_name(r[i].kind),
						 cls ? cls : "?", m ? m : "?", src ? src : "?", f->line);
				else
					snprintf(buf, sizeof(buf), "<%s in %s.%s>", hs_root_kind_name(r[i].kind),
						 cls ? cls : "?", m ? m : "?");
			} else {
				snprintf(buf, sizeof(buf), "<%s, frame %u>", hs_root_kind_name(r[i].kind), r[i].frame);
			}
			return strdup(buf);
		}
		snprintf(buf, sizeof(buf), "<%s>", hs_root_kind_name(r[i].kind));
		return strdup(buf);
	}
	return NULL;
}

static char *step_desc(const hs_graph *g, const hs_fetch *f, uint32_t u, uint32_t v)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t c = hs_graph_class(g, u);
	uint64_t vid = hs_graph_id(g, v);
	char buf[512];
	if (c == HS_NONE)
		return strdup("");
	if (c & HS_CLASS_OBJECT_BIT) {
		const hs_class *k = hs_dump_class(d, c & ~HS_CLASS_OBJECT_BIT);
		unsigned i;
		for (i = 0; i < k->nstatics; i++)
			if (k->statics[i].type == HS_T_OBJECT && k->statics[i].value == vid) {
				const char *fn = hs_dump_string(d, k->statics[i].name_id);
				snprintf(buf, sizeof(buf), "static %s", fn ? fn : "?");
				return strdup(buf);
			}
		if (k->super_id == vid)
			return strdup("<super>");
		if (k->loader_id == vid)
			return strdup("<classloader>");
		if (k->domain_id == vid)
			return strdup("<protection domain>");
		if (k->signers_id == vid)
			return strdup("<signers>");
		return strdup("");
	}
	if (hs_dump_class(d, c)->kind == HS_CLASS_OBJ_ARRAY) {
		int64_t ix = hs_fetch_index(f, u);
		if (ix >= 0) {
			snprintf(buf, sizeof(buf), "[%lld]", (long long)ix);
			return strdup(buf);
		}
		return strdup("[?]");
	}
	if (hs_dump_class(d, c)->kind == HS_CLASS_INSTANCE) {
		uint32_t len;
		const unsigned char *data = hs_fetch_instance(f, u, &len);
		const char *fn = data ? hs_field_holding(d, c, data, len, vid) : NULL;
		char *loc;
		if (fn) {
			snprintf(buf, sizeof(buf), ".%s", fn);
			return strdup(buf);
		}
		loc = local_desc(g, u, vid);
		if (loc)
			return loc;
		if (hs_dump_class(d, c)->id == vid)
			return strdup("<class>");
	}
	return strdup("");
}

int hs_paths_describe(hs_graph *g, const uint32_t *nodes, uint32_t n, char **via, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	hs_fetch f;
	uint32_t i;
	int rc = 0;

	hs_fetch_init(&f, g, 0);
	memset(via, 0, sizeof(char *) * n);
	for (i = 0; i + 1 < n; i++) {
		uint32_t c = hs_graph_class(g, nodes[i]);
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT))
			continue;
		if (hs_dump_class(d, c)->kind == HS_CLASS_INSTANCE)
			rc = hs_fetch_want_instance(&f, nodes[i], err);
		else if (hs_dump_class(d, c)->kind == HS_CLASS_OBJ_ARRAY)
			rc = hs_fetch_want_index(&f, nodes[i], hs_graph_id(g, nodes[i + 1]), err);
		if (rc < 0)
			goto done;
	}
	rc = hs_fetch_run(&f, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < n; i++) {
		via[i] = i == 0 ? root_desc(g, nodes[0]) : step_desc(g, &f, nodes[i - 1], nodes[i]);
		if (!via[i]) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	}
done:
	hs_fetch_release(&f);
	if (rc < 0)
		hs_paths_free_via(via, n);
	return rc;
}

void hs_paths_free_via(char **via, uint32_t n)
{
	uint32_t i;
	for (i = 0; i < n; i++) {
		free(via[i]);
		via[i] = NULL;
	}
}

int hs_paths_field_values(hs_graph *g, const uint32_t *nodes, uint32_t n, const char *field,
			  uint64_t *values, hs_error *err)
{
	hs_fetch f;
	uint32_t i;
	int rc = 0;
	hs_fetch_init(&f, g, 0);
	for (i = 0; i < n; i++) {
		values[i] = 0;
		if ((rc = hs_fetch_want_instance(&f, nodes[i], err)) < 0)
			goto done;
	}
	rc = hs_fetch_run(&f, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < n; i++) {
		uint32_t len, c = hs_graph_class(g, nodes[i]);
		const unsigned char *data = hs_fetch_instance(&f, nodes[i], &len);
		uint8_t t;
		if (data && c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT))
			hs_field_by_name(hs_graph_dump(g), c, data, len, field, &t, &values[i]);
	}
done:
	hs_fetch_release(&f);
	return rc;
}

int hs_paths_string_fields(hs_graph *g, const uint32_t *nodes, uint32_t n, const char *field,
			   char **out, hs_error *err)
{
	uint64_t *ids = calloc(n + 1, sizeof(uint64_t));
	uint32_t *sn = malloc(sizeof(uint32_t) * (n + 1)), i;
	int rc;
	memset(out, 0, sizeof(char *) * n);
	if (!ids || !sn) {
		free(ids);
		free(sn);
		return hs_error_oom(err, NULL);
	}
	rc = hs_paths_field_values(g, nodes, n, field, ids, err);
	for (i = 0; rc == 0 && i < n; i++)
		sn[i] = ids[i] ? hs_graph_node(g, ids[i]) : 0;
	if (rc == 0)
		rc = hs_graph_fetch_labels(g, sn, n, err);
	for (i = 0; rc == 0 && i < n; i++)
		out[i] = sn[i] ? hs_graph_string_dup(g, sn[i]) : NULL;
	free(ids);
	free(sn);
	return rc;
}
