/*
 * graph.c - building the object graph from two more passes over the dump,
 * then dominators and retained sizes.
 *
 * Pass "count": every object's class and shallow size go to node-indexed
 * arrays, and its out-degree (references to ids that exist) to off[].
 * off[] is then turned into end positions.  Pass "fill": the same edge
 * enumeration writes each target at --off[node], which leaves off[] at
 * the start positions: a CSR without a cursor array.  Both passes call
 * the same functions (mode COUNT or FILL), so they cannot disagree; when
 * the scan found object ids used twice, a bitmap makes the first record
 * of each id the object in both (first_record).
 *
 * Per object the model costs: 4 (class) + 4 (size in alignment units) +
 * 4 (offset) + 4 per reference, plus the id map (~1 byte), and for the
 * analysis 4 (idom) + 8 (retained bytes) + 4 (retained count) + 4
 * (preorder), plus the dominator computation's temporary arrays.
 * hs_graph_stats reports the measured figure.
 */
#include <stdlib.h>
#include <string.h>

#include "dump_int.h"
#include "graph_int.h"

enum { COUNT, FILL };

struct pass {
	hs_graph *g;
	hs_dump *d;
	int mode;
	hs_error *err;
	uint32_t cur_node;        /* node of the object array being streamed */
	uint64_t last_cid;
	uint32_t last_ci;
	int last_array;
};

static int oom(hs_error *err)
{
	return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory building the object graph");
}

static inline uint32_t node_of(hs_graph *g, uint64_t id)
{
	uint32_t r;
	if (!id)
		return 0;
	r = hs_idmap_rank(g->d->ids, id);
	return r == HS_IDMAP_NONE ? 0 : r + 1;
}

static inline void edge(struct pass *p, uint32_t from, uint64_t id)
{
	hs_graph *g = p->g;
	uint32_t t;
	if (!id)
		return;
	t = node_of(g, id);
	if (!t) {
		if (p->mode == COUNT)
			g->stats.dangling++;
		return;
	}
	if (p->mode == COUNT)
		g->off[from]++;
	else
		g->tgt[--g->off[from]] = t;
}

/* Byte offsets of the reference fields of an instance of class ci in its
 * INSTANCE_DUMP data, computed once per class. */
static int ref_offsets(hs_graph *g, uint32_t ci, hs_error *err)
{
	hs_dump *d = g->d;
	struct hs_refs *r = &g->refs[ci];
	uint32_t k = ci, off = 0, n = 0, cap = 8;
	int guard = 0;

	r->offs = malloc(cap * sizeof(uint32_t));
	if (!r->offs)
		return oom(err);
	while (k != HS_NONE && guard++ < 256) {
		const hs_class *kl = &d->classes[k];
		unsigned f;
		int is_ref_class = kl->name && strcmp(kl->name, "java.lang.ref.Reference") == 0;
		for (f = 0; f < kl->nfields; f++) {
			if (kl->fields[f].type == HS_T_OBJECT) {
				const char *fn = hs_dump_string(d, kl->fields[f].name_id);
				int skip = g->opts.exclude_weak && is_ref_class && fn &&
					   strcmp(fn, "referent") == 0;
				if (is_ref_class && fn && strcmp(fn, "referent") == 0)
					r->referent = off + 1;
				if (!skip) {
					if (n == cap) {
						uint32_t *no;
						cap *= 2;
						no = realloc(r->offs, cap * sizeof(uint32_t));
						if (!no)
							return oom(err);
						r->offs = no;
					}
					r->offs[n++] = off;
				}
			}
			if (kl->name && strcmp(kl->name, "java.lang.Thread") == 0 &&
			    kl->fields[f].type == HS_T_OBJECT) {
				const char *fn = hs_dump_string(d, kl->fields[f].name_id);
				if (fn && strcmp(fn, "name") == 0)
					r->thread_name = off + 1;
			}
			off += hs_type_size(kl->fields[f].type, d->info.idsize);
		}
		k = kl->super;
	}
	r->n = n;
	r->done = 1;
	return 0;
}

static inline uint32_t cls_of(struct pass *p, uint64_t cid, int array)
{
	if (cid != p->last_cid || array != p->last_array) {
		p->last_cid = cid;
		p->last_array = array;
		p->last_ci = hs_dump__object_class(p->d, cid, array);
	}
	return p->last_ci;
}

/* Whether this record is the first of its node's id: when the scan found
 * ids used twice, the first record is the object in both passes (the
 * scan counted the others as duplicates), marked in a bitmap of nodes. */
static inline int first_record(struct pass *p, uint32_t node)
{
	uint64_t bit = 1ull << (node & 63), *w;
	if (!p->g->dup_seen)
		return 1;
	w = &p->g->dup_seen[node >> 6];
	if (*w & bit)
		return 0;
	*w |= bit;
	return 1;
}

static int set_node(hs_graph *g, uint32_t node, uint32_t cls, uint64_t size)
{
	uint64_t units = size >> g->align_shift;
	if (cls < CLS_BIG) {
		g->cls[node] = (uint16_t)cls;
	} else if (cls == HS_NONE) {
		g->cls[node] = CLS_NONE;
	} else {   /* a class object, or a class index beyond 16 bits */
		PWord_t pc;
		JLI(pc, g->cls_big, node);
		if (pc == PJERR)
			return -1;
		*pc = (Word_t)cls;
		g->cls[node] = CLS_BIG;
	}
	if (units >= SIZE_BIG) {   /* rare: two bytes per object for the rest */
		PWord_t pv;
		JLI(pv, g->size_big, node);
		if (pv == PJERR)
			return -1;
		*pv = (Word_t)units;
		g->size[node] = SIZE_BIG;
	} else {
		g->size[node] = (uint16_t)units;
	}
	return 0;
}

/* Shallow size of a node in units of the alignment. */
static uint64_t size_units(const hs_graph *g, uint32_t node)
{
	return side_value(g->size_big, node, g->size[node], SIZE_BIG);
}

static int p_class_dump(void *ctx, const hs_class_dump *c, hs_error *err)
{
	struct pass *p = ctx;
	hs_graph *g = p->g;
	uint32_t node = node_of(g, c->id), ci, i;
	(void)err;
	if (!node || !first_record(p, node))
		return 0;
	ci = hs_dump_class_by_id(p->d, c->id);
	if (ci == HS_NONE)
		return 0;
	if (p->mode == COUNT) {
		if (g->cls[node] != CLS_NONE)
			return 0;    /* duplicate class dump */
		if (set_node(g, node, ci | HS_CLASS_OBJECT_BIT, p->d->classes[ci].mirror_size) < 0)
			return oom(err);
	} else if (g->seen_class[ci]) {
		return 0;
	}
	if (p->mode == FILL)
		g->seen_class[ci] = 1;
	edge(p, node, c->super_id);
	edge(p, node, c->loader_id);
	edge(p, node, c->signers_id);
	edge(p, node, c->domain_id);
	for (i = 0; i < c->nstatics; i++)
		if (c->statics[i].type == HS_T_OBJECT)
			edge(p, node, c->statics[i].value);
	return 0;
}

static int p_instance(void *ctx, uint64_t id, uint64_t class_id, const unsigned char *data,
		      uint32_t len, hs_error *err)
{
	struct pass *p = ctx;
	hs_graph *g = p->g;
	uint32_t node = node_of(g, id), ci, i;
	unsigned isz = p->d->info.idsize;
	struct hs_refs *r;
	if (!node || !first_record(p, node))
		return 0;
	ci = cls_of(p, class_id, 0);
	if (ci == HS_NONE)
		return 0;
	r = &g->refs[ci];
	if (!r->done)
		HS_FORWARD_IF_ERROR(ref_offsets(g, ci, err));
	if (p->mode == COUNT && set_node(g, node, ci, p->d->classes[ci].inst_size) < 0)
		return oom(err);
	edge(p, node, class_id);
	for (i = 0; i < r->n; i++)
		if (r->offs[i] + isz <= len)
			edge(p, node, hs_get_id(data + r->offs[i], isz));
	if (p->mode == COUNT && r->thread_name && r->thread_name - 1 + isz <= len) {
		PWord_t pv;
		JLI(pv, g->thread_name_ids, node);
		if (pv == PJERR)
			return oom(err);
		*pv = hs_get_id(data + r->thread_name - 1, isz);
	}
	return 0;
}

static int p_obj_array(void *ctx, const hs_obj_array *a, hs_error *err)
{
	struct pass *p = ctx;
	hs_graph *g = p->g;
	unsigned isz = p->d->info.idsize;
	uint32_t i;
	(void)err;
	if (a->first == 0) {
		uint32_t ci;
		p->cur_node = node_of(g, a->id);
		if (p->cur_node && !first_record(p, p->cur_node))
			p->cur_node = 0;
		if (!p->cur_node)
			return 0;
		ci = cls_of(p, a->class_id, 1);
		if (p->mode == COUNT &&
		    set_node(g, p->cur_node, ci, ci == HS_NONE ? 0 : hs_dump_array_size(p->d, ci, a->length)) < 0)
			return oom(err);
		edge(p, p->cur_node, a->class_id);
	}
	if (!p->cur_node)
		return 0;
	for (i = 0; i < a->count; i++)
		edge(p, p->cur_node, hs_get_id(a->elems + (size_t)i * isz, isz));
	return 0;
}

static int p_prim_array(void *ctx, uint64_t id, uint8_t type, uint32_t length, hs_error *err)
{
	struct pass *p = ctx;
	hs_graph *g = p->g;
	uint32_t node = node_of(g, id), ci;
	(void)err;
	if (!node || !first_record(p, node))
		return 0;
	ci = hs_dump_prim_array_class(p->d, type);
	if (ci == HS_NONE)
		return 0;
	if (p->mode == COUNT && set_node(g, node, ci, hs_dump_array_size(p->d, ci, length)) < 0)
		return oom(err);
	if (p->d->classes[ci].id)
		edge(p, node, p->d->classes[ci].id);
	return 0;
}

static void p_progress(void *ctx, uint64_t done, uint64_t raw_done, uint64_t raw_total)
{
	struct pass *p = ctx;
	(void)done;
	if (p->d->opts.progress)
		p->d->opts.progress(p->d->opts.progress_ctx,
				    p->mode == COUNT ? "building graph (1/2)" : "building graph (2/2)",
				    raw_done, raw_total);
}

static int run_pass(struct pass *p, hs_error *err)
{
	hs_hprof_visitor v;
	hs_hprof_opts ho;
	hs_src *src = NULL;
	int rc;

	memset(&v, 0, sizeof(v));
	v.ctx = p;
	v.class_dump = p_class_dump;
	v.instance = p_instance;
	v.obj_array = p_obj_array;
	v.prim_array = p_prim_array;
	v.progress = p_progress;
	memset(&ho, 0, sizeof(ho));
	ho.dump_index = p->d->opts.dump_index;
	ho.stop_after_dump = 1;
	rc = hs_dump__open_src(p->d, &src, err);
	if (rc < 0)
		return rc;
	rc = hs_hprof_read(src, &ho, &v, NULL, err);
	/* the dump owns src */
	if (rc == HS_ETRUNC && p->d->info.truncated) {
		hs_error_clear(err);
		rc = 0;
	}
	return rc;
}

static int is_thread_local(uint8_t kind)
{
	return kind == HS_SUB_ROOT_JAVA_FRAME || kind == HS_SUB_ROOT_JNI_LOCAL ||
	       kind == HS_SUB_ROOT_NATIVE_STACK || kind == HS_SUB_ROOT_THREAD_BLOCK;
}

/* Root edges: thread-local roots from their thread object, the others
 * (deduplicated) from the virtual root. */
static int root_edges(struct pass *p, hs_error *err)
{
	hs_graph *g = p->g;
	hs_dump *d = p->d;
	Pvoid_t serial_node = NULL;
	uint64_t i, *seen;
	uint32_t n = g->n, ci;
	int rc = 0;
	Word_t w;

	seen = calloc((n + 63) / 64, sizeof(uint64_t));
	if (!seen)
		return oom(err);
	for (i = 0; i < d->nroots; i++) {
		const hs_root *r = &d->roots[i];
		if (r->kind == HS_SUB_ROOT_THREAD_OBJECT) {
			uint32_t t = node_of(g, r->id);
			PWord_t pv;
			if (!t)
				continue;
			JLI(pv, serial_node, r->thread_serial);
			if (pv == PJERR) {
				rc = oom(err);
				goto done;
			}
			*pv = t;
		}
	}
#define ROOT_EDGE(id_) do { \
		uint32_t t_ = node_of(g, (id_)); \
		if (t_ && !(seen[t_ >> 6] & (1ull << (t_ & 63)))) { \
			seen[t_ >> 6] |= 1ull << (t_ & 63); \
			if (p->mode == COUNT) g->off[0]++; else g->tgt[--g->off[0]] = t_; \
		} } while (0)
	for (i = 0; i < d->nroots; i++) {
		const hs_root *r = &d->roots[i];
		if (is_thread_local(r->kind)) {
			PWord_t pv;
			JLG(pv, serial_node, r->thread_serial);
			if (pv) {
				edge(p, (uint32_t)*pv, r->id);
				continue;
			}
		}
		ROOT_EDGE(r->id);
	}
	if (!d->has_sticky_roots) {
		for (ci = 0; ci < d->nclasses; ci++)
			if (d->classes[ci].has_dump && d->classes[ci].loader_id == 0)
				ROOT_EDGE(d->classes[ci].id);
	}
#undef ROOT_EDGE
done:
	JLFA(w, serial_node);
	(void)w;
	free(seen);
	return rc;
}

static uint64_t ret_units(const hs_graph *g, uint32_t v)
{
	return side_value(g->ret_big, v, g->ret[v], UINT32_MAX);
}

static void track(hs_graph *g, int64_t delta)
{
	g->stats.memory_bytes += (uint64_t)delta;
	if (g->stats.memory_bytes > g->stats.peak_bytes)
		g->stats.peak_bytes = g->stats.memory_bytes;
}

int hs_graph_build(hs_graph **out, hs_dump *d, const hs_graph_opts *o, hs_error *err)
{
	static const hs_graph_opts defaults;
	hs_graph *g;
	struct pass p;
	uint64_t sum, i;
	uint32_t n, k, nrooted = 0;
	size_t dup_bytes;
	int rc;

	*out = NULL;
	if (!d->ids)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "internal: dump opened without build_ids");
	g = calloc(1, sizeof(*g));
	if (!g)
		return oom(err);
	g->d = d;
	g->opts = o ? *o : defaults;
	hs_idmap_seal(d->ids);
	if (d->ids->count >= UINT32_MAX - 2) {
		rc = hs_error_set(err, HS_ELIMIT, HS_NO_OFFSET,
				  "%llu objects: more than heapscan's limit of 4 billion",
				  (unsigned long long)d->ids->count);
		goto fail;
	}
	n = g->n = (uint32_t)d->ids->count + 1;
	dup_bytes = ((size_t)n + 63) / 64 * sizeof(uint64_t);
	g->stats.nodes = n;
	g->stats.idmap_bytes = hs_idmap_bytes(d->ids);
	track(g, (int64_t)g->stats.idmap_bytes);
	for (k = d->info.layout.align; k > 1; k >>= 1)
		g->align_shift++;
	g->cls = malloc(sizeof(uint16_t) * n);
	g->size = calloc(n, sizeof(uint16_t));
	g->off = calloc((size_t)n + 1, sizeof(uint32_t));
	g->refs = calloc(d->nclasses + 1, sizeof(*g->refs));
	g->seen_class = calloc(d->nclasses + 1, 1);
	if (!g->cls || !g->size || !g->off || !g->refs || !g->seen_class) {
		rc = oom(err);
		goto fail;
	}
	track(g, (int64_t)n * 8 + 4 + (int64_t)(d->nclasses + 1) * (int64_t)sizeof(*g->refs));
	memset(g->cls, 0xff, sizeof(uint16_t) * n);   /* CLS_NONE */
	if (d->info.duplicate_ids) {
		g->dup_seen = calloc(1, dup_bytes);
		if (!g->dup_seen) {
			rc = oom(err);
			goto fail;
		}
		track(g, (int64_t)dup_bytes);
	}

	memset(&p, 0, sizeof(p));
	p.g = g;
	p.d = d;
	p.err = err;
	p.mode = COUNT;
	p.last_ci = HS_NONE;
	p.last_cid = 0;
	rc = run_pass(&p, err);
	if (rc < 0)
		goto fail;
	rc = root_edges(&p, err);
	if (rc < 0)
		goto fail;
	/* counts -> end positions */
	sum = 0;
	for (k = 0; k < n; k++) {
		sum += g->off[k];
		if (sum >= UINT32_MAX) {
			rc = hs_error_set(err, HS_ELIMIT, HS_NO_OFFSET,
					  "more than 4 billion references: beyond heapscan's limit");
			goto fail;
		}
		g->off[k] = (uint32_t)sum;
	}
	g->off[n] = (uint32_t)sum;
	g->stats.edges = sum;
	g->tgt = malloc(sizeof(uint32_t) * (sum ? sum : 1));
	if (!g->tgt) {
		rc = oom(err);
		goto fail;
	}
	track(g, (int64_t)sum * 4);
	p.mode = FILL;
	p.last_ci = HS_NONE;
	p.last_cid = 0;
	if (g->dup_seen)
		memset(g->dup_seen, 0, dup_bytes);
	rc = run_pass(&p, err);
	if (rc < 0)
		goto fail;
	rc = root_edges(&p, err);
	if (rc < 0)
		goto fail;
	free(g->seen_class);
	g->seen_class = NULL;
	if (g->dup_seen) {
		free(g->dup_seen);
		g->dup_seen = NULL;
		track(g, -(int64_t)dup_bytes);
	}

	/* dominators */
	if (d->opts.progress)
		d->opts.progress(d->opts.progress_ctx, "dominators", 0, 0);
	g->idom = malloc(sizeof(uint32_t) * n);
	g->order = malloc(sizeof(uint32_t) * n);
	if (!g->idom || !g->order) {
		rc = oom(err);
		goto fail;
	}
	track(g, (int64_t)n * 8);
	{
		uint64_t temp = 0;
		rc = hs_dominators_ex(n, g->off, g->tgt, 0, g->idom, g->order, &g->nreach,
				      g->opts.keep_unreachable, &nrooted, &temp, err);
		track(g, (int64_t)temp);   /* the peak of the temporaries ... */
		track(g, -(int64_t)temp);  /* ... all freed on return */
	}
	if (rc < 0)
		goto fail;

	/* retained sizes, bottom-up in reverse preorder; kept in units of
	 * the alignment in 32 bits, the rare larger ones in ret_big */
	g->ret = malloc(sizeof(uint32_t) * n);
	g->retn = malloc(sizeof(uint32_t) * n);
	if (!g->ret || !g->retn) {
		rc = oom(err);
		goto fail;
	}
	track(g, (int64_t)n * 8);
	for (k = 0; k < n; k++) {
		g->ret[k] = (uint32_t)size_units(g, k);
		g->retn[k] = k ? 1 : 0;
	}
	for (i = g->nreach; i-- > 1;) {
		uint32_t v = g->order[i], p = g->idom[v];
		uint64_t sum = (uint64_t)ret_units(g, p) + ret_units(g, v);
		if (sum >= UINT32_MAX) {
			PWord_t pv;
			JLI(pv, g->ret_big, p);
			if (pv == PJERR) {
				rc = oom(err);
				goto fail;
			}
			*pv = sum;
			g->ret[p] = UINT32_MAX;
		} else {
			g->ret[p] = (uint32_t)sum;
		}
		g->retn[p] += g->retn[v];
	}
	/* order[] is kept: its memory holds the dominator tree's children
	 * when a command asks for them */
	g->stats.reachable = g->nreach ? g->nreach - 1 : 0;
	g->stats.reachable_bytes = hs_graph_retained(g, 0);
	if (g->opts.keep_unreachable) {
		/* kept under the root: what came after the root's own reach in
		 * preorder */
		g->stats.unreachable_kept = 1;
		for (k = nrooted; k < g->nreach; k++) {
			g->stats.unreachable++;
			g->stats.unreachable_bytes += hs_graph_shallow(g, g->order[k]);
		}
	} else {
		for (k = 1; k < n; k++)
			if (g->idom[k] == HS_NONE) {
				g->stats.unreachable++;
				g->stats.unreachable_bytes += hs_graph_shallow(g, k);
			}
	}
	*out = g;
	return 0;
fail:
	hs_graph_free(g);
	return rc;
}

void hs_graph_free(hs_graph *g)
{
	uint32_t i;
	Word_t w;
	if (!g)
		return;
	if (g->refs)
		for (i = 0; i < g->d->nclasses; i++)
			free(g->refs[i].offs);
	free(g->refs);
	free(g->seen_class);
	free(g->dup_seen);
	free(g->cls);
	free(g->size);
	free(g->off);
	free(g->tgt);
	free(g->idom);
	free(g->order);
	free(g->ret);
	free(g->retn);
	free(g->child_off);
	free(g->child);
	free(g->child_sorted);
	JLFA(w, g->thread_name_ids);
	JLFA(w, g->ret_big);
	JLFA(w, g->size_big);
	JLFA(w, g->cls_big);
	{
		PWord_t pv;
		Word_t key = 0;
		JLF(pv, g->labels, key);
		while (pv) {
			free((void *)*pv);
			JLN(pv, g->labels, key);
		}
	}
	JLFA(w, g->labels);
	(void)w;
	free(g);
}

const hs_graph_stats *hs_graph_get_stats(const hs_graph *g) { return &g->stats; }
uint32_t hs_graph_nodes(const hs_graph *g) { return g->n; }
const hs_dump *hs_graph_dump(const hs_graph *g) { return g->d; }

uint32_t hs_graph_node(const hs_graph *g, uint64_t id)
{
	return node_of((hs_graph *)g, id);
}

uint64_t hs_graph_id(const hs_graph *g, uint32_t node)
{
	return node ? hs_idmap_select(g->d->ids, node - 1) : 0;
}

uint32_t hs_graph_class(const hs_graph *g, uint32_t node) { return cls_at(g, node); }

const char *hs_graph_class_name(const hs_graph *g, uint32_t node)
{
	uint32_t c = cls_at(g, node);
	if (node == 0)
		return "<GC roots>";
	if (c == HS_NONE)
		return "<unknown>";
	if (c & HS_CLASS_OBJECT_BIT)
		return "java.lang.Class";
	return g->d->classes[c].name;
}

uint64_t hs_graph_shallow(const hs_graph *g, uint32_t node)
{
	return size_units(g, node) << g->align_shift;
}

const uint32_t *hs_graph_out(const hs_graph *g, uint32_t node, uint32_t *count)
{
	*count = g->off[node + 1] - g->off[node];
	return g->tgt + g->off[node];
}

uint32_t hs_graph_idom(const hs_graph *g, uint32_t node) { return g->idom[node]; }
uint64_t hs_graph_retained(const hs_graph *g, uint32_t node) { return ret_units(g, node) << g->align_shift; }
uint64_t hs_graph_retained_count(const hs_graph *g, uint32_t node) { return g->retn[node]; }
int hs_graph_reachable(const hs_graph *g, uint32_t node) { return g->idom[node] != HS_NONE; }

static const hs_graph *sort_g;
static int by_retained(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t rx = ret_units(sort_g, x), ry = ret_units(sort_g, y);
	if (rx != ry)
		return rx < ry ? 1 : -1;
	return x < y ? -1 : x > y;
}

const uint32_t *hs_graph_dom_children(hs_graph *g, uint32_t node, uint32_t *count, hs_error *err)
{
	if (!g->child_off) {
		/* CSR of the dominator tree; the children go into the memory of
		 * order[], whose phase is over */
		uint32_t n = g->n, k;
		g->child_off = calloc((size_t)n + 1, sizeof(uint32_t));
		g->child_sorted = calloc((n + 63) / 64, sizeof(uint64_t));
		if (!g->child_off || !g->child_sorted) {
			free(g->child_off);
			g->child_off = NULL;
			oom(err);
			*count = 0;
			return NULL;
		}
		track(g, (int64_t)n * 4);
		g->child = g->order;
		g->order = NULL;
		for (k = 1; k < n; k++)
			if (g->idom[k] != HS_NONE)
				g->child_off[g->idom[k]]++;
		for (k = 1; k <= n; k++)
			g->child_off[k] += g->child_off[k - 1];   /* ends */
		for (k = n; k-- > 1;)
			if (g->idom[k] != HS_NONE)
				g->child[--g->child_off[g->idom[k]]] = k;
	}
	*count = g->child_off[node + 1] - g->child_off[node];
	if (g->child_sorted && !(g->child_sorted[node >> 6] & (1ull << (node & 63)))) {
		sort_g = g;
		qsort(g->child + g->child_off[node], *count, sizeof(uint32_t), by_retained);
		g->child_sorted[node >> 6] |= 1ull << (node & 63);
	}
	return g->child + g->child_off[node];
}
