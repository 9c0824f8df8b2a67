/*
 * graph.c - building the object graph from two more passes over the dump,
 * then dominators and retained sizes.
 *
 * Pass "count": every object's class and shallow size go to node-indexed
 * arrays, and its out-degree (nonzero references, not looked up) to off[].
 * off[] is then turned into end positions.  Pass "fill": the same edge
 * enumeration writes each target at --off[node], which leaves off[] at
 * the start positions: a CSR without a cursor array; a reference to an id
 * the dump does not hold fills its slot with a HOLE, and drop_holes()
 * closes the gaps after the pass (most dumps have none).  Both passes call
 * the same functions (mode COUNT or FILL), so on the same bytes they
 * cannot disagree; when the scan found object ids used twice, a bitmap
 * makes the first record of each id the object in both (first_record).
 *
 * On other bytes they can: the file may be overwritten or still being
 * written while it is read.  So each pass checks what it reads against
 * what came before (hs_dump__reread: size, mtime, header, sub-record
 * counts; here: every object id and class id known to the scan, the
 * scan's digest of the object records, and in FILL the same out-degree
 * per object as COUNT, as a sum weighted by that digest), and stops with
 * HS_ECHANGED.  Whatever FILL reads, it writes inside tgt[]: a node never
 * takes a slot below the cursor of the node before it (a check per edge
 * that holds on any CSR being filled), tgt[] starts zeroed (node 0 is a
 * valid target), and off[] stays non-decreasing, so nothing after it can
 * index out of bounds even if a change escaped the digests.
 *
 * Per object the model costs: 4 (class) + 4 (size in alignment units) +
 * 4 (offset) + 4 per reference, plus the id map (~1 byte), and for the
 * analysis 4 (idom) + 8 (retained bytes) + 4 (retained count) + 4
 * (preorder), plus the dominator computation's temporary arrays.
 * hs_graph_stats reports the measured figure.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dump_int.h"
#include "heapscan/index.h"
#include "graph_int.h"
#include "mem.h"
#include "util.h"

enum { COUNT, FILL };

#define CCACHE 1024u   /* entries of the class cache (a power of two) */

struct pass {
	hs_graph *g;
	hs_dump *d;
	int mode;
	hs_error *err;
	uint32_t cur_node;        /* node of the object array being streamed */
	/* class id -> index, direct-mapped: instances of a few hundred
	 * classes interleave, and a JudyL lookup for each was 6% of a run */
	struct { uint64_t id; uint32_t ci; int array; } ccache[CCACHE];
	uint64_t digest;          /* hs_digest_object() of the records read */
	uint64_t degrees;         /* sum of each record's edges times the digest so far */
	uint32_t deg;             /* edges of the current record */
	int overfull;             /* FILL: an edge found no slot left */
	uint64_t holes;           /* FILL: references to ids the dump does not hold */
	uint64_t implicit;        /* COUNT: references to classes, not stored */
	uint64_t dangling;        /* references to ids the dump does not hold */
	/* where this pass's side maps go: the graph's, or a second
	 * thread's own until the halves are merged (Judy is not shared) */
	Pvoid_t *cls_big, *size_big, *weak_ref, *thread_name_ids;
	struct split *split;      /* two threads: the shared progress */
	int tid;                  /* 0, or 1 for the second thread */
	uint64_t start;           /* the first byte this thread reads */
};

/* Two threads reading one pass (see run_split()). */
struct split {
	uint64_t done[2];         /* bytes each has read (atomic) */
	uint64_t total;
};

/* what the out-of-memory errors of this file say was under way */
#define OOM_DOING "building the object graph"

static inline uint32_t node_of(hs_graph *g, uint64_t id)
{
	uint32_t r;
	if (!id)
		return 0;
	r = hs_idmap_rank(g->d->ids, id);
	return r == HS_IDMAP_NONE ? 0 : r + 1;
}

/* A slot whose reference names no object of the dump (dropped after FILL) */
#define HOLE UINT32_MAX

/*
 * COUNT counts every nonzero reference without looking it up: the id map
 * lookup (a random access per reference) is paid once, in FILL.  A
 * reference to an id the dump does not hold is found there, written as a
 * HOLE in the slot COUNT reserved for it, and drop_holes() closes the gaps.
 */
static inline void edge(struct pass *p, uint32_t from, uint64_t id)
{
	hs_graph *g = p->g;
	uint32_t t;
	if (!id)
		return;
	p->deg++;
	if (p->mode == COUNT) {
		g->off[from]++;
		return;
	}
	t = node_of(g, id);
	if (!t) {
		p->dangling++;
		p->holes++;
		t = HOLE;
	}
	{
		/* the node before may be another thread's: its cursor is read
		 * and this node's written as atomics (plain moves on x86) */
		uint32_t at = __atomic_load_n(&g->off[from], __ATOMIC_RELAXED);
		uint32_t low = from ? __atomic_load_n(&g->off[from - 1], __ATOMIC_RELAXED) : 0;
		if (at > low) {
			g->tgt[--at] = t;
			__atomic_store_n(&g->off[from], at, __ATOMIC_RELAXED);
		} else {
			p->overfull = 1;   /* more edges than COUNT found */
		}
	}
}

/* The CSR without its HOLEs (references to ids the dump does not hold),
 * in one pass front to back; each node's edges keep their order. */
static void drop_holes(hs_graph *g)
{
	uint32_t n = g->n, v, i, w = 0;
	for (v = 0; v < n; v++) {
		uint32_t s = g->off[v], e = g->off[v + 1];
		g->off[v] = w;
		for (i = s; i < e; i++)
			if (g->tgt[i] != HOLE)
				g->tgt[w++] = g->tgt[i];
	}
	g->off[n] = w;
}

/* An object record begins: into the digest; *node its node, 0 to skip it.
 * A nonzero id the scan did not see means another file. */
static int object(struct pass *p, unsigned kind, uint64_t id, uint64_t cls, uint64_t len,
		  uint32_t *node, hs_error *err)
{
	p->digest = hs_digest_object(p->digest, kind, id, cls, len);
	p->deg = 0;
	*node = node_of(p->g, id);
	if (!*node && id)
		return hs_dump__changed(err, HS_NO_OFFSET);
	return 0;
}

/* An object record (or a chunk of an object array) ends. */
static int object_end(struct pass *p, hs_error *err)
{
	p->degrees += p->deg * p->digest;
	p->deg = 0;
	return p->overfull ? hs_dump__changed(err, HS_NO_OFFSET) : 0;
}

/* The reference of an instance or array to its class is not stored: the
 * class index already says it (hs_graph_class_ref()).  It is counted, as
 * a reference or (no class object in the dump) as a dangling one. */
static inline void class_ref(struct pass *p, uint32_t ci, uint64_t class_id)
{
	if (p->mode != COUNT || !class_id)
		return;
	if (ci != HS_NONE && p->g->class_node[ci])
		p->implicit++;
	else
		p->dangling++;
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
		return hs_error_oom(err, OOM_DOING);
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
							return hs_error_oom(err, OOM_DOING);
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
	unsigned h = (unsigned)((cid >> 3) ^ (cid >> 13) ^ (uint64_t)array) & (CCACHE - 1);
	if (p->ccache[h].id != cid || p->ccache[h].array != array || !cid) {
		p->ccache[h].id = cid;
		p->ccache[h].array = array;
		p->ccache[h].ci = hs_dump__object_class(p->d, cid, array);
	}
	return p->ccache[h].ci;
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

static int set_node(struct pass *p, uint32_t node, uint32_t cls, uint64_t size)
{
	hs_graph *g = p->g;
	uint64_t units = size >> g->align_shift;
	if (cls < CLS_BIG) {
		g->cls[node] = (uint16_t)cls;
	} else if (cls == HS_NONE) {
		g->cls[node] = CLS_NONE;
	} else {   /* a class object, or a class index beyond 16 bits */
		PWord_t pc;
		JLI(pc, *p->cls_big, node);
		if (pc == PJERR)
			return -1;
		*pc = (Word_t)cls;
		g->cls[node] = CLS_BIG;
	}
	if (units >= SIZE_BIG) {   /* rare: two bytes per object for the rest */
		PWord_t pv;
		JLI(pv, *p->size_big, node);
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
	if (need_at(g, g->size, HS_LAZY_SIZE, node) < 0)
		return 0;
	return side_value(g->size_big, node, g->size[node], SIZE_BIG);
}

static int p_class_dump(void *ctx, const hs_class_dump *c, hs_error *err)
{
	struct pass *p = ctx;
	hs_graph *g = p->g;
	uint32_t node, ci, i;
	HS_FORWARD_IF_ERROR(object(p, HS_OBJ_CLASS, c->id, 0, 0, &node, err));
	if (!node || !first_record(p, node))
		return 0;
	ci = hs_dump_class_by_id(p->d, c->id);
	if (ci == HS_NONE)
		return hs_dump__changed(err, HS_NO_OFFSET);
	/* the edges of the first class dump of a node, in both passes:
	 * seen_class 1 after COUNT took them, 2 after FILL */
	if (p->mode == COUNT) {
		if (g->cls[node] != CLS_NONE)
			return 0;    /* a duplicate, or the id of an instance */
		if (set_node(p, node, ci | HS_CLASS_OBJECT_BIT, p->d->classes[ci].mirror_size) < 0)
			return hs_error_oom(err, OOM_DOING);
		g->seen_class[ci] = 1;
	} else if (g->seen_class[ci] != 1) {
		return 0;
	} else {
		g->seen_class[ci] = 2;
	}
	edge(p, node, c->super_id);
	edge(p, node, c->loader_id);
	edge(p, node, c->signers_id);
	edge(p, node, c->domain_id);
	for (i = 0; i < c->nstatics; i++)
		if (c->statics[i].type == HS_T_OBJECT)
			edge(p, node, c->statics[i].value);
	return object_end(p, err);
}

static int p_instance(void *ctx, uint64_t id, uint64_t class_id, const unsigned char *data,
		      uint32_t len, hs_error *err)
{
	struct pass *p = ctx;
	hs_graph *g = p->g;
	uint32_t node, ci, i;
	unsigned isz = p->d->info.idsize;
	struct hs_refs *r;
	HS_FORWARD_IF_ERROR(object(p, HS_OBJ_INSTANCE, id, class_id, len, &node, err));
	if (!node || !first_record(p, node))
		return 0;
	ci = cls_of(p, class_id, 0);
	if (ci == HS_NONE)   /* the scan gave every object a class, if only <unknown class> */
		return class_id ? hs_dump__changed(err, HS_NO_OFFSET) : 0;
	r = &g->refs[ci];
	if (!r->done)
		HS_FORWARD_IF_ERROR(ref_offsets(g, ci, err));
	if (p->mode == COUNT && set_node(p, node, ci, p->d->classes[ci].inst_size) < 0)
		return hs_error_oom(err, OOM_DOING);
	class_ref(p, ci, class_id);
	for (i = 0; i < r->n; i++)
		if (r->offs[i] + isz <= len)
			edge(p, node, hs_get_id(data + r->offs[i], isz));
	if (p->mode == FILL && r->referent && !g->opts.exclude_weak && r->referent - 1 + isz <= len) {
		/* which of its edges is the weak one, for walks that skip it */
		uint32_t t = node_of(g, hs_get_id(data + r->referent - 1, isz));
		if (t) {
			PWord_t pv;
			JLI(pv, *p->weak_ref, node);
			if (pv == PJERR)
				return hs_error_oom(err, OOM_DOING);
			*pv = t;
		}
	}
	if (p->mode == COUNT && r->thread_name && r->thread_name - 1 + isz <= len) {
		PWord_t pv;
		JLI(pv, *p->thread_name_ids, node);
		if (pv == PJERR)
			return hs_error_oom(err, OOM_DOING);
		*pv = hs_get_id(data + r->thread_name - 1, isz);
	}
	return object_end(p, err);
}

static int p_obj_array(void *ctx, const hs_obj_array *a, hs_error *err)
{
	struct pass *p = ctx;
	unsigned isz = p->d->info.idsize;
	uint32_t i;
	if (a->first == 0) {
		uint32_t ci;
		HS_FORWARD_IF_ERROR(object(p, HS_OBJ_ARRAY, a->id, a->class_id, a->length, &p->cur_node, err));
		if (p->cur_node && !first_record(p, p->cur_node))
			p->cur_node = 0;
		if (!p->cur_node)
			return 0;
		ci = cls_of(p, a->class_id, 1);
		if (ci == HS_NONE && a->class_id)
			return hs_dump__changed(err, HS_NO_OFFSET);
		if (p->mode == COUNT &&
		    set_node(p, p->cur_node, ci, ci == HS_NONE ? 0 : hs_dump_array_size(p->d, ci, a->length)) < 0)
			return hs_error_oom(err, OOM_DOING);
		class_ref(p, ci, a->class_id);
	}
	if (!p->cur_node)
		return 0;
	for (i = 0; i < a->count; i++)
		edge(p, p->cur_node, hs_get_id(a->elems + (size_t)i * isz, isz));
	return object_end(p, err);
}

static int p_prim_array(void *ctx, uint64_t id, uint8_t type, uint32_t length, hs_error *err)
{
	struct pass *p = ctx;
	uint32_t node, ci;
	HS_FORWARD_IF_ERROR(object(p, HS_OBJ_PRIM, id, type, length, &node, err));
	if (!node || !first_record(p, node))
		return 0;
	ci = hs_dump_prim_array_class(p->d, type);
	if (ci == HS_NONE)   /* an element type the scan did not see */
		return hs_dump__changed(err, HS_NO_OFFSET);
	if (p->mode == COUNT && set_node(p, node, ci, hs_dump_array_size(p->d, ci, length)) < 0)
		return hs_error_oom(err, OOM_DOING);
	class_ref(p, ci, p->d->classes[ci].id);
	return object_end(p, err);
}

static const char *pass_phase(const struct pass *p)
{
	return p->mode == COUNT ? "building graph (1/2)" : "building graph (2/2)";
}

static void p_progress(void *ctx, uint64_t done, uint64_t raw_done, uint64_t raw_total)
{
	struct pass *p = ctx;
	struct split *sp = p->split;
	(void)done;
	if (!p->d->opts.progress)
		return;
	if (sp) {
		/* both threads' bytes, said by the first only */
		__atomic_store_n(&sp->done[p->tid], raw_done - p->start, __ATOMIC_RELAXED);
		if (p->tid != 0)
			return;
		raw_done = __atomic_load_n(&sp->done[0], __ATOMIC_RELAXED) +
			   __atomic_load_n(&sp->done[1], __ATOMIC_RELAXED);
		raw_total = sp->total;
	}
	p->d->opts.progress(p->d->opts.progress_ctx, pass_phase(p), raw_done, raw_total);
}

static void pass_visitor(struct pass *p, hs_hprof_visitor *v)
{
	memset(v, 0, sizeof(*v));
	v->ctx = p;
	v->class_dump = p_class_dump;
	v->instance = p_instance;
	v->obj_array = p_obj_array;
	v->prim_array = p_prim_array;
	v->progress = p_progress;
}

static void pass_reset(struct pass *p)
{
	memset(p->ccache, 0, sizeof(p->ccache));
	p->digest = p->degrees = 0;
	p->deg = 0;
	p->overfull = 0;
	p->cur_node = 0;
}

/* One pass over the dump in p->mode by one thread; checked against the scan. */
static int run_pass(struct pass *p, hs_error *err)
{
	hs_hprof_visitor v;
	int rc;

	pass_reset(p);
	if (p->d->opts.progress)
		p->d->opts.progress(p->d->opts.progress_ctx, pass_phase(p), 0, p->d->info.file_size);
	pass_visitor(p, &v);
	rc = hs_dump__reread(p->d, &v, err);
	if (rc == 0 && p->digest != p->d->digest)
		rc = hs_dump__changed(err, HS_NO_OFFSET);
	return rc;
}

/*
 * Two threads for one pass.  With --threads 2 or more and a plain dump
 * file, the heap records are read in two halves, split at the scan's
 * checkpoint nearest the middle: the first by this thread through the
 * dump's source, the second by another through its own handle on the
 * same file (hs_src_dup).  A node's record is in one half only (no id is
 * used twice: a condition), so each thread writes only its own nodes'
 * class, size, degree and edge slots; the edge cursor of the node before
 * is read atomically (edge()).  The rest of the state is each thread's
 * own and merged after: the class cache, digests, counters, and the
 * second thread's side maps (Judy maps are not shared).  The class
 * layouts (ref_offsets) are all made before the threads start.
 *
 * The halves are checked as one pass is: the digest of the object records
 * of the first is the scan's at the split checkpoint (kept there), the
 * second's ends at the scan's total, and the sub-records of both add up to
 * the scan's.  When COUNT does not add up this way (a change of the file,
 * or records that a span does not read, such as other records between the
 * heap segments), the caller undoes it and reads once more with one
 * thread, which says what changed or reads what the halves could not.
 * FILL reads the same halves as COUNT did, so there any difference is a
 * change of the file.
 */
struct half {
	struct pass p;
	hs_hprof_span span;
	hs_hprof_stats st;
	hs_error err;
	hs_src *src;              /* the second thread's handle; NULL: the dump's */
	int rc;
	Pvoid_t cls_big, size_big, weak_ref, thread_name_ids;   /* the second thread's */
};

/* Where to split: the checkpoint nearest the middle of the heap records;
 * 0 when the dump is not one to split. */
static uint32_t split_point(const hs_graph *g)
{
	const hs_dump *d = g->d;
	uint64_t lo, hi, mid;
	uint32_t a = 0, b;
	if (d->opts.threads < 2 || d->ncps < 16 || !hs_src_can_seek(d->src) || g->dup_seen ||
	    d->info.truncated || !d->ids->flat || getenv("HEAPSCAN_ONE_READER"))
		return 0;
	lo = d->cps[0].offset;
	hi = d->cps[d->ncps - 1].offset;
	mid = lo + (hi - lo) / 2;
	b = d->ncps - 1;
	while (a < b) {   /* the first checkpoint at or after mid */
		uint32_t m = a + (b - a) / 2;
		if (d->cps[m].offset < mid)
			a = m + 1;
		else
			b = m;
	}
	return a > 0 && a < d->ncps ? a : 0;
}

static void *half_main(void *arg)
{
	struct half *h = arg;
	hs_hprof_visitor v;
	pass_visitor(&h->p, &v);
	h->rc = hs_dump__reread_spans(h->p.d, h->src, &h->span, 1, &v, &h->st, &h->err);
	return NULL;
}

/* Move the second thread's side map into the graph's. */
static int merge_map(Pvoid_t *into, Pvoid_t *from)
{
	Word_t key = 0, w;
	PWord_t pv, pn;
	int rc = 0;
	JLF(pv, *from, key);
	while (pv) {
		JLI(pn, *into, key);
		if (pn == PJERR) {
			rc = -1;
			break;
		}
		*pn = *pv;
		JLN(pv, *from, key);
	}
	JLFA(w, *from);
	(void)w;
	return rc;
}

/*
 * One pass by two threads, split at checkpoint k.  Returns 0, a negative
 * hs_code, or 1: no second thread could read (nothing was read), or COUNT
 * did not add up; the caller then undoes what COUNT wrote and reads with
 * one thread.
 */
static int run_split(struct pass *p, uint32_t k, hs_error *err)
{
	hs_dump *d = p->d;
	struct split sp;
	struct half *h;
	pthread_t th;
	unsigned i;
	int rc = 0, started = 0, bad = 0, same;
	uint64_t bad_at = HS_NO_OFFSET;

	h = calloc(2, sizeof(*h));
	if (!h)
		return hs_error_oom(err, OOM_DOING);
	memset(&sp, 0, sizeof(sp));
	sp.total = d->info.file_size;
	pass_reset(p);
	if (d->opts.progress)
		d->opts.progress(d->opts.progress_ctx, pass_phase(p), 0, sp.total);
	for (i = 0; i < 2; i++) {
		const hs_checkpoint *c = &d->cps[i ? k : 0];
		h[i].p = *p;
		h[i].p.split = &sp;
		h[i].p.tid = (int)i;
		h[i].p.start = c->offset;
		h[i].p.digest = c->digest;
		h[i].p.dangling = h[i].p.implicit = h[i].p.holes = 0;
		h[i].span.offset = c->offset;
		h[i].span.seg_left = c->seg_left;
		h[i].span.end = i ? UINT64_MAX : d->cps[k].offset;
		hs_error_clear(&h[i].err);
	}
	h[1].p.cls_big = &h[1].cls_big;
	h[1].p.size_big = &h[1].size_big;
	h[1].p.weak_ref = &h[1].weak_ref;
	h[1].p.thread_name_ids = &h[1].thread_name_ids;
	rc = hs_src_dup(d->src, &h[1].src, err);
	if (rc < 0) {   /* one handle only: one thread reads */
		free(h);
		hs_error_clear(err);
		return 1;
	}
	/* the header, as a whole pass checks it */
	same = hs_hprof_same_header(h[1].src, &d->header, err);
	if (same == HS_ENOMEM) {
		hs_src_free(h[1].src);
		free(h);
		return same;
	}
	hs_error_clear(err);
	if (same != 1) {
		bad = 1;
		bad_at = 0;
	} else if (pthread_create(&th, NULL, half_main, &h[1]) == 0) {
		started = 1;
	}
	if (!started && !bad) {   /* no second thread: one reads */
		hs_src_free(h[1].src);
		free(h);
		return 1;
	}
	if (started) {
		half_main(&h[0]);
		pthread_join(th, NULL);
	}
	hs_src_free(h[1].src);
	if (!bad) {
		for (i = 0; i < 2; i++) {
			if (h[i].rc == HS_ENOMEM) {
				*err = h[i].err;
				rc = HS_ENOMEM;
				goto out;
			}
			if (h[i].rc < 0 && !bad) {
				bad = 1;
				bad_at = h[i].err.offset;
			}
		}
	}
	if (!bad) {
		if (h[0].p.digest != d->cps[k].digest || h[1].p.digest != d->digest ||
		    h[0].p.overfull || h[1].p.overfull)
			bad = 1;
		for (i = 0; i < sizeof(h[0].st.subrecords) / sizeof(h[0].st.subrecords[0]) && !bad; i++)
			if (h[0].st.subrecords[i] + h[1].st.subrecords[i] != d->info.subrecords[i])
				bad = 1;
	}
	if (merge_map(p->cls_big, &h[1].cls_big) < 0 || merge_map(p->size_big, &h[1].size_big) < 0 ||
	    merge_map(p->weak_ref, &h[1].weak_ref) < 0 ||
	    merge_map(p->thread_name_ids, &h[1].thread_name_ids) < 0) {
		rc = hs_error_oom(err, OOM_DOING);
		goto out;
	}
	if (bad) {
		if (p->mode == COUNT) {
			rc = 1;
		} else if (h[0].rc < 0 && h[0].rc != HS_ECHANGED) {
			*err = h[0].err;   /* an I/O error, as one thread would meet it */
			rc = h[0].rc;
		} else if (h[1].rc < 0 && h[1].rc != HS_ECHANGED) {
			*err = h[1].err;
			rc = h[1].rc;
		} else {
			/* the halves COUNT read whole: the file changed */
			rc = hs_dump__changed(err, bad_at);
		}
		goto out;
	}
	p->digest = d->digest;
	p->degrees = h[0].p.degrees + h[1].p.degrees;
	p->implicit += h[0].p.implicit + h[1].p.implicit;
	p->dangling += h[0].p.dangling + h[1].p.dangling;
	p->holes += h[0].p.holes + h[1].p.holes;
	p->overfull = 0;
out:
	{
		Word_t w;
		JLFA(w, h[1].cls_big);
		JLFA(w, h[1].size_big);
		JLFA(w, h[1].weak_ref);
		JLFA(w, h[1].thread_name_ids);
		(void)w;
	}
	free(h);
	return rc;
}

/* Undo what a COUNT by two threads wrote, for one thread to read again. */
static void undo_count(hs_graph *g)
{
	Word_t w;
	uint32_t n = g->n;
	memset(g->off, 0, sizeof(uint32_t) * ((size_t)n + 1));
	memset(g->cls, 0xff, sizeof(uint16_t) * n);
	memset(g->size, 0, sizeof(uint16_t) * n);
	memset(g->seen_class, 0, g->d->nclasses + 1);
	JLFA(w, g->cls_big);
	JLFA(w, g->size_big);
	JLFA(w, g->thread_name_ids);
	(void)w;
}

/* One pass, by two threads when the dump allows it. */
static int graph_pass(struct pass *p, uint32_t k, hs_error *err)
{
	if (k) {
		int rc = run_split(p, k, err);
		if (rc <= 0)
			return rc;
		undo_count(p->g);
		p->implicit = p->dangling = p->holes = 0;
	}
	return run_pass(p, err);
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
		return hs_error_oom(err, OOM_DOING);
	for (i = 0; i < d->nroots; i++) {
		const hs_root *r = &d->roots[i];
		if (r->kind == HS_SUB_ROOT_THREAD_OBJECT) {
			uint32_t t = node_of(g, r->id);
			PWord_t pv;
			if (!t)
				continue;
			JLI(pv, serial_node, r->thread_serial);
			if (pv == PJERR) {
				rc = hs_error_oom(err, OOM_DOING);
				goto done;
			}
			*pv = t;
		}
	}
#define ROOT_EDGE(id_) do { \
		uint32_t t_ = node_of(g, (id_)); \
		if (t_ && !(seen[t_ >> 6] & (1ull << (t_ & 63)))) { \
			seen[t_ >> 6] |= 1ull << (t_ & 63); \
			if (p->mode == COUNT) g->off[0]++; \
			else if (g->off[0] > 0) g->tgt[--g->off[0]] = t_; \
			else p->overfull = 1; \
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

static uint32_t extra_class_ref(const void *ctx, uint32_t v)
{
	return class_ref_of(ctx, v);
}

static void dom_progress(void *ctx, uint64_t done, uint64_t total)
{
	hs_dump_progress(ctx, "dominators", done, total);
}

static uint64_t ret_units(const hs_graph *g, uint32_t v)
{
	if (need_at(g, g->ret, HS_LAZY_RET, v) < 0)
		return 0;
	return side_value(g->ret_big, v, g->ret[v], UINT32_MAX);
}

static void track(hs_graph *g, int64_t delta)
{
	g->stats.memory_bytes += (uint64_t)delta;
	if (g->stats.memory_bytes > g->stats.peak_bytes)
		g->stats.peak_bytes = g->stats.memory_bytes;
}

static int tree_make(hs_graph *g, uint32_t *child, hs_error *err);
static int64_t tree_bytes(const hs_graph *g);

/*
 * With the tree's children made, idom[] is over: the commands go down the
 * tree, and what they ask of idom[] is whether a node is in the tree, a
 * bit each (reach[], as from an index).  Its 4 bytes a node go before the
 * shortest-path search takes 8 (on the 1.39 GB bench dump, the peak of
 * suspects, snapshot, check and diff was 68 MB above that of dominators).
 * The few commands that walk up (hs_graph_idom()) make it again from the
 * children (HS_LAZY_IDOM, as from an index).  Kept when the bitmap cannot
 * be had.
 */
static void drop_idom(hs_graph *g)
{
	uint32_t n = g->n, v;
	size_t nw = ((size_t)n + 63) / 64;
	uint64_t *reach = g->reach ? NULL : calloc(nw ? nw : 1, sizeof(uint64_t));
	if (!reach)
		return;
	for (v = 0; v < n; v++)
		reach[v >> 6] |= (uint64_t)(g->idom[v] != HS_NONE) << (v & 63);
	reach[0] |= 1;   /* the root */
	g->reach = reach;
	hs_mem_free(&g->d->mem, g->idom);
	g->idom = NULL;
	g->lazy |= HS_LAZY_IDOM;
	track(g, (int64_t)nw * 8 - (int64_t)n * 4);
}

/* tree_make() on a thread of its own */
struct tree_job {
	hs_graph *g;
	uint32_t *child;
	int rc;
	hs_error err;
};

static void *tree_run(void *arg)
{
	struct tree_job *j = arg;
	j->rc = tree_make(j->g, j->child, &j->err);
	return NULL;
}

int hs_graph_build(hs_graph **out, hs_dump *d, const hs_graph_opts *o, hs_error *err)
{
	static const hs_graph_opts defaults;
	hs_graph *g;
	struct pass p;
	uint64_t sum, i, degrees;
	uint32_t n, k, nrooted = 0, split;
	size_t dup_bytes;
	uint32_t *spare[3] = { NULL, NULL, NULL };
	struct tree_job tj;
	pthread_t tree_tid;
	int rc, tree_started = 0;

	*out = NULL;
	if (!d->ids)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "internal: dump opened without build_ids");
	g = calloc(1, sizeof(*g));
	if (!g)
		return hs_error_oom(err, OOM_DOING);
	g->d = d;
	g->opts = o ? *o : defaults;
	if (hs_idmap_seal(d->ids) < 0) {
		rc = hs_error_oom(err, OOM_DOING);
		goto fail;
	}
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
	g->cls = hs_mem_alloc(&d->mem, sizeof(uint16_t) * n, 0, err);
	g->size = g->cls ? hs_mem_alloc(&d->mem, sizeof(uint16_t) * n, 1, err) : NULL;
	g->off = g->size ? hs_mem_alloc(&d->mem, sizeof(uint32_t) * ((size_t)n + 1), 1, err) : NULL;
	if (!g->off) {
		rc = err->code;
		goto fail;
	}
	g->refs = calloc(d->nclasses + 1, sizeof(*g->refs));
	g->seen_class = calloc(d->nclasses + 1, 1);
	g->class_node = calloc(d->nclasses + 1, sizeof(uint32_t));
	if (!g->cls || !g->size || !g->off || !g->refs || !g->seen_class || !g->class_node) {
		rc = hs_error_oom(err, OOM_DOING);
		goto fail;
	}
	for (k = 0; k < d->nclasses; k++)
		g->class_node[k] = d->classes[k].id ? node_of(g, d->classes[k].id) : 0;
	track(g, (int64_t)n * 8 + 4 + (int64_t)(d->nclasses + 1) * (int64_t)sizeof(*g->refs));
	memset(g->cls, 0xff, sizeof(uint16_t) * n);   /* CLS_NONE */
	if (d->info.duplicate_ids) {
		g->dup_seen = calloc(1, dup_bytes);
		if (!g->dup_seen) {
			rc = hs_error_oom(err, OOM_DOING);
			goto fail;
		}
		track(g, (int64_t)dup_bytes);
	}

	memset(&p, 0, sizeof(p));
	p.g = g;
	p.d = d;
	p.err = err;
	p.mode = COUNT;
	p.cls_big = &g->cls_big;
	p.size_big = &g->size_big;
	p.weak_ref = &g->weak_ref;
	p.thread_name_ids = &g->thread_name_ids;
	split = split_point(g);
	for (k = 0; split && k < d->nclasses; k++)   /* before any thread reads them */
		if (!g->refs[k].done && (rc = ref_offsets(g, k, err)) < 0)
			goto fail;
	rc = graph_pass(&p, split, err);
	if (rc < 0)
		goto fail;
	if (rc > 0)   /* COUNT by two threads did not add up: one read it */
		split = 0;
	rc = root_edges(&p, err);
	if (rc < 0)
		goto fail;
	degrees = p.degrees;
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
	g->stats.edges = sum + p.implicit;
	/* zeroed: a slot FILL would leave unwritten still names a node */
	g->tgt = hs_mem_alloc(&d->mem, sizeof(uint32_t) * (sum ? sum : 1), 1, err);
	if (!g->tgt) {
		rc = err->code;
		goto fail;
	}
	track(g, (int64_t)sum * 4);
	p.mode = FILL;
	if (g->dup_seen)
		memset(g->dup_seen, 0, dup_bytes);
	rc = split ? run_split(&p, split, err) : 1;
	if (rc > 0) {   /* one thread reads (FILL by two returns 1 only before reading) */
		split = 0;
		rc = run_pass(&p, err);
	}
	if (rc < 0)
		goto fail;
	g->stats.readers = split ? 2 : 1;
	rc = root_edges(&p, err);
	if (rc < 0)
		goto fail;
	g->stats.dangling += p.dangling;
	/* each object as many edges as COUNT gave it: off[] holds the starts */
	if (p.degrees != degrees || p.overfull || g->off[0] != 0) {
		rc = hs_dump__changed(err, HS_NO_OFFSET);
		goto fail;
	}
	if (p.holes) {
		drop_holes(g);
		sum = g->off[n];
		g->stats.edges = sum + p.implicit;
	}
	free(g->seen_class);
	g->seen_class = NULL;
	if (g->dup_seen) {
		free(g->dup_seen);
		g->dup_seen = NULL;
		track(g, -(int64_t)dup_bytes);
	}

	/* dominators */
	hs_dump_progress(d, "dominators", 0, 0);
	{
		/* The DFS reads the references, the classes and its pre[]
		 * at random, writes order[] front to back and does not touch
		 * idom[] or the shallow sizes.  When the budget cannot hold
		 * pre[] beside the arrays in memory and those two, they go
		 * to files and pre[] gets the memory: in a file, each of its
		 * random writes would be a page read and written back. */
		uint64_t a4 = sizeof(uint32_t) * (uint64_t)n;
		int tight = d->mem.budget && d->mem.used + 3 * a4 > d->mem.budget;
		if (tight && d->mem.used + a4 > d->mem.budget)
			(void)hs_mem_to_file(&d->mem, g->size);
		g->idom = hs_mem_alloc(&d->mem, a4, tight ? HS_MEM_FILE : 0, err);
		g->order = g->idom ? hs_mem_alloc(&d->mem, a4, tight ? HS_MEM_FILE : 0, err) : NULL;
	}
	if (!g->order) {
		rc = err->code;
		goto fail;
	}
	track(g, (int64_t)n * 8);
	{
		/* the references go to a file while the temporaries live
		 * when the budget would not hold both (the successor and
		 * predecessor lists are then not held at once);
		 * hs_graph_refs() maps them back for the commands that walk
		 * them */
		uint64_t temp = 0;
		struct hs_dom_refs dr;
		memset(&dr, 0, sizeof(dr));
		dr.off = g->off;
		dr.tgt = g->tgt;
		dr.nedges = sum;
		g->nedges = sum;
		/* the index's sections that are known now, on the other core
		 * meanwhile; not when the references may leave memory in the
		 * middle (a budget that the dominators' temporaries would
		 * pass: twice what they take, to be sure) */
		if (g->opts.index_path && d->opts.threads >= 2 &&
		    (!d->mem.budget ||
		     d->mem.used + 2 * (((uint64_t)n + 1) * 12 + sum * 4) <= d->mem.budget))
			g->stats.index_early = hs_index__write_early(d, g, g->opts.index_path) == 0;
		g->opts.index_path = NULL;   /* the caller's */
		/* the other core makes the pages of the dominators'
		 * temporaries ahead of the DFS, with what the index's writer
		 * leaves of it */
		dr.threads = (int)d->opts.threads;
		dr.cold = g->cls;
		rc = hs_dominators_park(n, &dr, extra_class_ref, g, 0, g->idom, g->order,
					&g->nreach, g->opts.keep_unreachable, &nrooted, &temp, &d->mem,
					dom_progress, d, err);
		g->off = dr.off;
		g->tgt = dr.tgt;
		spare[0] = dr.spare[0];
		spare[1] = dr.spare[1];
		spare[2] = dr.spare[2];
		if (dr.parked) {
			g->refs_file = dr.file;
			g->refs_tgt_at = dr.tgt_at;
			g->refs_parked = 1;
		}
		track(g, (int64_t)temp);   /* the peak of the temporaries ... */
		track(g, -(int64_t)temp);  /* ... all freed on return */
		if (dr.parked)
			track(g, -((int64_t)n + 1 + (int64_t)sum) * 4);
	}
	if (rc < 0)
		goto fail;

	/* retained sizes, bottom-up in reverse preorder; kept in units of
	 * the alignment in 32 bits, the rare larger ones in ret_big.  The
	 * dominators' spare arrays serve: their pages are in memory already
	 * (new ones cost the kernel's zeroing) */
	g->ret = spare[0] ? spare[0] : hs_mem_alloc(&d->mem, sizeof(uint32_t) * n, 0, err);
	spare[0] = NULL;
	g->retn = !g->ret ? NULL : spare[1] ? spare[1] : hs_mem_alloc(&d->mem, sizeof(uint32_t) * n, 0, err);
	spare[1] = NULL;
	if (!g->retn) {
		rc = err->code;
		goto fail;
	}
	track(g, (int64_t)n * 8);
	/* the dominator tree's children on the other core meanwhile, into
	 * the dominators' third spare array (nothing here touches mem until
	 * it is joined) */
	if (spare[2] && d->opts.threads >= 2) {
		tj.g = g;
		tj.child = spare[2];
		hs_error_clear(&tj.err);
		if (pthread_create(&tree_tid, NULL, tree_run, &tj) == 0)
			tree_started = 1;
	}
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
				rc = hs_error_oom(err, OOM_DOING);
				goto join_fail;
			}
			*pv = sum;
			g->ret[p] = UINT32_MAX;
		} else {
			g->ret[p] = (uint32_t)sum;
		}
		g->retn[p] += g->retn[v];
	}
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
	/* the tree made: order[] is over.  Else order[] is kept, its
	 * memory to hold the tree's children when a command asks for them
	 * (dom_tree()) */
	if (tree_started) {
		pthread_join(tree_tid, NULL);
		tree_started = 0;
		if (tj.rc == 0) {
			hs_mem_free(&d->mem, g->order);
			g->order = NULL;
			spare[2] = NULL;
			track(g, tree_bytes(g) + ((int64_t)g->nreach + 1) * 4 - (int64_t)n * 4);
			drop_idom(g);
		}
	}
	hs_mem_free(&d->mem, spare[2]);
	*out = g;
	return 0;
join_fail:
	if (tree_started)
		pthread_join(tree_tid, NULL);
fail:
	hs_mem_free(&d->mem, spare[0]);
	hs_mem_free(&d->mem, spare[1]);
	if (g->child != spare[2])   /* else the graph's, freed with it */
		hs_mem_free(&d->mem, spare[2]);
	hs_graph_free(g);
	return rc;
}

static void free_strings(Pvoid_t *a);

void hs_graph_free(hs_graph *g)
{
	uint32_t i;
	Word_t w;
	if (!g)
		return;
	{
		/* an index still being written reads the graph: it ends first */
		hs_error e;
		hs_index_write_wait(g, NULL, &e);
	}
	hs_index__free(g);
	if (g->refs_parked)
		hs_mem_file_close(&g->refs_file);
	if (g->refs)
		for (i = 0; i < g->d->nclasses; i++)
			free(g->refs[i].offs);
	free(g->refs);
	free(g->seen_class);
	free(g->dup_seen);
	free(g->class_node);
	hs_mem_free(&g->d->mem, g->cls);
	hs_mem_free(&g->d->mem, g->size);
	hs_mem_free(&g->d->mem, g->off);
	hs_mem_free(&g->d->mem, g->tgt);
	hs_mem_free(&g->d->mem, g->idom);
	hs_mem_free(&g->d->mem, g->order);
	hs_mem_free(&g->d->mem, g->ret);
	hs_mem_free(&g->d->mem, g->retn);
	hs_mem_free(&g->d->mem, g->child_off);
	hs_mem_free(&g->d->mem, g->child);
	free(g->child_sorted);
	if (g->kid_copy) {
		Word_t k = 0;
		PWord_t pv;
		JLF(pv, g->kid_copy, k);
		while (pv) {
			free((void *)*pv);
			JLN(pv, g->kid_copy, k);
		}
		JLFA(w, g->kid_copy);
	}
	free(g->child_has);
	free(g->child_rank);
	free(g->reach);
	for (i = 0; i < sizeof(g->blk_done) / sizeof(g->blk_done[0]); i++)
		free(g->blk_done[i]);
	JLFA(w, g->thread_name_ids);
	JLFA(w, g->weak_ref);
	JLFA(w, g->ret_big);
	JLFA(w, g->size_big);
	JLFA(w, g->cls_big);
	free_strings(&g->labels);
	J1FA(w, g->label_tried);
	free_strings(&g->loader_short);
	free_strings(&g->loader_full);
	(void)w;
	free(g);
}

/* A JudyL of malloc'd strings, strings and all. */
static void free_strings(Pvoid_t *a)
{
	PWord_t pv;
	Word_t key = 0, w;
	JLF(pv, *a, key);
	while (pv) {
		free((void *)*pv);
		JLN(pv, *a, key);
	}
	JLFA(w, *a);
	(void)w;
}

const char *hs_graph_loader_name(const hs_graph *g, uint64_t id, int full)
{
	PWord_t pv;
	JLG(pv, full ? g->loader_full : g->loader_short, id);
	return pv ? (const char *)*pv : NULL;
}

int hs_graph_set_loader_name(hs_graph *g, uint64_t id, char *short_name, char *full_name, hs_error *err)
{
	PWord_t p1, p2;
	JLI(p1, g->loader_short, id);
	JLI(p2, g->loader_full, id);
	if (p1 == PJERR || p2 == PJERR) {
		free(short_name);
		free(full_name);
		return hs_error_oom(err, OOM_DOING);
	}
	free((void *)*p1);
	free((void *)*p2);
	*p1 = (Word_t)short_name;
	*p2 = (Word_t)full_name;
	return 0;
}

const hs_graph_stats *hs_graph_get_stats(const hs_graph *g) { return &g->stats; }
uint32_t hs_graph_nodes(const hs_graph *g) { return g->n; }

void *hs_graph_array(const hs_graph *g, size_t bytes, int zero, hs_error *err)
{
	return hs_mem_alloc(&g->d->mem, bytes, zero, err);
}

void hs_graph_array_free(const hs_graph *g, void *p)
{
	hs_mem_free(&g->d->mem, p);
}

void hs_graph_make_room(hs_graph *g, uint64_t bytes)
{
	hs_mem *m = &g->d->mem;
	/* read least at random by what follows a search first */
	void *move[] = { g->size, g->retn, g->child, g->ret, g->child_off };
	unsigned i;
	uint64_t files;
	int all;
	/* an array an index has still to fill could be written meanwhile */
	if ((g->lazy & ~HS_LAZY_IDOM) || g->blk_pending)
		return;
	if (!m->budget || m->used + bytes <= m->budget)
		return;
	hs_mem_trim(m);
	/* What the search reads in files: the arrays there, the references
	 * when they are in one, and the new arrays.  When the memory free
	 * for the page cache holds them with half as much again to spare,
	 * the pages stay and only enough arrays move for the new ones;
	 * when not (a memory cgroup near its limit), all of them move: the
	 * memory they leave keeps more of those files' pages, which the
	 * search reads at random, in the page cache.  Each move writes the
	 * array to a file, about 0.15 s for 77 MB here: not for nothing. */
	files = m->spilled + bytes + (g->refs_parked ? ((uint64_t)g->n + 1 + g->nedges) * 4 : 0);
	all = hs_mem_room() < files + files / 2;
	for (i = 0; i < sizeof(move) / sizeof(move[0]); i++) {
		if (!all && m->used + bytes <= m->budget)
			break;
		if (move[i])
			(void)hs_mem_to_file(m, move[i]);
	}
	/* the classes, which the search reads at random (each node's
	 * reference to its class), back in memory if they went to a file
	 * for the dominators and fit beside the new arrays */
	if (g->cls && m->used + bytes + sizeof(uint16_t) * (uint64_t)g->n <= m->budget)
		(void)hs_mem_to_memory(m, g->cls);
}

struct hs_mem_ahead *hs_graph_ahead(const hs_graph *g, void *fill, size_t fill_bytes, void *next, size_t next_bytes)
{
	hs_mem_ahead *a = g->d->opts.threads >= 2 ? malloc(sizeof(*a)) : NULL;
	if (!a) {
		memset(fill, 0xff, fill_bytes);
		return NULL;
	}
	hs_mem_ahead_init(a, &g->d->mem);
	hs_mem_ahead_fill(a, fill, fill_bytes);
	hs_mem_ahead_touch(a, next, next_bytes);
	hs_mem_ahead_start(a, 1);
	return a;
}

void hs_graph_ahead_join(struct hs_mem_ahead *a)
{
	if (a) {
		hs_mem_ahead_join(a);
		free(a);
	}
}
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

const hs_class *hs_graph_class_of(const hs_graph *g, uint32_t node)
{
	uint32_t c;
	if (node == 0 || node >= g->n)
		return NULL;
	c = cls_at(g, node);
	return c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) ? NULL : &g->d->classes[c];
}

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

uint32_t hs_graph_referent(const hs_graph *g, uint32_t node)
{
	uint32_t c = cls_at(g, node);
	PWord_t pv;
	if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || !g->d->classes[c].is_reference)
		return 0;
	JLG(pv, g->weak_ref, node);
	return pv ? (uint32_t)*pv : 0;
}

uint32_t hs_graph_class_ref(const hs_graph *g, uint32_t node)
{
	return class_ref_of(g, node);
}

/* The references back from the file the dominators moved them to:
 * mapped, so that only the pages read come into memory. */
static int unpark_refs(hs_graph *g, hs_error *err)
{
	uint64_t ob = ((uint64_t)g->n + 1) * 4;
	g->off = hs_mem_file_map(&g->d->mem, &g->refs_file, 0, ob, err);
	if (!g->off)
		return err->code;
	g->tgt = hs_mem_file_map(&g->d->mem, &g->refs_file, g->refs_tgt_at,
				 (g->nedges ? g->nedges : 1) * 4, err);
	if (!g->tgt) {
		hs_mem_free(&g->d->mem, g->off);
		g->off = NULL;
		return err->code;
	}
	hs_mem_file_close(&g->refs_file);
	g->refs_parked = 0;
	track(g, (int64_t)(ob + g->nedges * 4));
	return 0;
}

int hs_graph_refs(hs_graph *g, hs_error *err)
{
	if (g->refs_parked)
		return unpark_refs(g, err);
	(void)err;
	return 0;   /* from an index: read block by block (hs_graph_out()) */
}

const uint32_t *hs_graph_out(const hs_graph *g, uint32_t node, uint32_t *count)
{
	static const uint32_t none[1];
	if (g->refs_parked) {
		hs_error e;
		if (unpark_refs((hs_graph *)g, &e) < 0) {
			*count = 0;
			return none;
		}
	}
	/* from an index, the block that holds them; none if it cannot be
	 * read */
	if (need_at(g, g->tgt, HS_LAZY_REFS, node) < 0 || !g->off) {
		*count = 0;
		return none;
	}
	*count = g->off[node + 1] - g->off[node];
	return g->tgt + g->off[node];
}

uint32_t hs_graph_idom(const hs_graph *g, uint32_t node)
{
	return need(g, g->idom, HS_LAZY_IDOM) < 0 ? HS_NONE : g->idom[node];
}

uint64_t hs_graph_retained(const hs_graph *g, uint32_t node) { return ret_units(g, node) << g->align_shift; }

uint64_t hs_graph_retained_count(const hs_graph *g, uint32_t node)
{
	return need_at(g, g->retn, HS_LAZY_RETN, node) < 0 ? (node ? 1 : 0) : g->retn[node];
}

int hs_graph_reachable(const hs_graph *g, uint32_t node)
{
	if (g->idom)
		return g->idom[node] != HS_NONE;
	/* a graph from an index: the nodes its dominator tree holds, read
	 * with the retained counts (the block of them that holds the node) */
	if (need_at(g, g->retn, HS_LAZY_RETN, node) < 0 || !g->reach)
		return node == 0;
	return (g->reach[node >> 6] >> (node & 63)) & 1;
}

/* Nodes by retained size, largest first, ties in node order (ctx: the
 * graph). */
static int by_retained(const void *a, const void *b, void *ctx)
{
	const hs_graph *g = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t rx = ret_units(g, x), ry = ret_units(g, y);
	if (rx != ry)
		return rx < ry ? 1 : -1;
	return x < y ? -1 : x > y;
}

/*
 * The CSR of the dominator tree from idom[], the children in @p child
 * (an array of mem with nreach entries at least): child_has[],
 * child_rank[], child_sorted[] and child_off[] made.  Nothing track()ed
 * and nothing of mem touched but child_off[]'s allocation: it may run on
 * a thread of its own beside the retained sizes (hs_graph_build()).
 * 0, or a negative hs_code (err set; all it made freed).
 */
static int tree_make(hs_graph *g, uint32_t *child, hs_error *err)
{
	uint32_t n = g->n, k, nk = 0;
	size_t nw = ((size_t)n + 63) / 64, w;
	g->child_has = calloc(nw ? nw : 1, sizeof(uint64_t));
	g->child_rank = malloc(sizeof(uint32_t) * (nw + 1));
	g->child_sorted = calloc(nw ? nw : 1, sizeof(uint64_t));
	if (!g->child_has || !g->child_rank || !g->child_sorted) {
		hs_error_oom(err, OOM_DOING);
		goto fail;
	}
	for (k = 1; k < n; k++)
		if (g->idom[k] != HS_NONE)
			g->child_has[g->idom[k] >> 6] |= 1ull << (g->idom[k] & 63);
	for (w = 0; w < nw; w++) {
		g->child_rank[w] = nk;
		nk += hs_popcount64(g->child_has[w]);
	}
	g->child_rank[nw] = nk;
	g->child_off = hs_mem_alloc(&g->d->mem, sizeof(uint32_t) * ((size_t)nk + 1), 1, err);
	if (!g->child_off)
		goto fail;
	g->child = child;
	for (k = 1; k < n; k++)
		if (g->idom[k] != HS_NONE)
			g->child_off[dom_kid_rank(g, g->idom[k])]++;
	for (k = 1; k <= nk; k++)
		g->child_off[k] += g->child_off[k - 1];   /* ends */
	for (k = n; k-- > 1;)
		if (g->idom[k] != HS_NONE)
			g->child[--g->child_off[dom_kid_rank(g, g->idom[k])]] = k;
	return 0;
fail:
	free(g->child_has);
	free(g->child_rank);
	free(g->child_sorted);
	g->child_has = g->child_sorted = NULL;
	g->child_rank = NULL;
	return err->code;
}

/* what tree_make() adds to the graph's memory, children aside */
static int64_t tree_bytes(const hs_graph *g)
{
	size_t nw = ((size_t)g->n + 63) / 64;
	return ((int64_t)g->child_rank[nw] + 1) * 4 + (int64_t)nw * 20;
}

static int dom_tree(hs_graph *g, hs_error *err)
{
	if (!g->child_off && (g->lazy & HS_LAZY_TREE)) {
		/* a graph from an index: the tree is in it, read block by
		 * block as the nodes are asked for (dom_at()) */
		hs_index__lazy_at(g, HS_LAZY_TREE, HS_NONE);
		if (!g->child_off)
			return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "cannot read the dominator tree from the index");
	}
	if (!g->child_sorted && g->child_off) {
		g->child_sorted = calloc((g->n + 63) / 64, sizeof(uint64_t));
		if (!g->child_sorted)
			return hs_error_oom(err, OOM_DOING);
	}
	if (!g->child_off && !g->idom)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "no dominator tree");
	if (!g->child_off) {
		/* made by hs_graph_build() beside the retained sizes, unless
		 * that failed: the children go into the memory of order[],
		 * whose phase is over */
		uint32_t *child = g->order;
		int fresh = !child;
		if (fresh && !(child = hs_mem_alloc(&g->d->mem, sizeof(uint32_t) * g->n, 0, err)))
			return err->code;
		if (tree_make(g, child, err) < 0) {
			if (fresh)
				hs_mem_free(&g->d->mem, child);
			return err->code;
		}
		g->order = NULL;
		track(g, tree_bytes(g) + (fresh ? (int64_t)g->n * 4 : 0));
		/* on one thread nothing else reads idom[] now (with more, an
		 * index's writer may be, until it is joined) */
		if (g->d->opts.threads < 2)
			drop_idom(g);
	}
	return 0;
}

/* The children of @p node in the tree made by dom_tree(): from an index,
 * the block that holds them read. */
static int dom_at(hs_graph *g, uint32_t node, hs_error *err)
{
	if (node >= g->n)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "no such node");
	if (need_at(g, g->child_has, HS_LAZY_TREE, node) < 0)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "cannot read the dominator tree from the index");
	return 0;
}

/* The most threads a pass over all nodes or a walk by groups takes. */
#define PASS_THREADS 8u

/* fn(&jobs[i]) for i < n: job 0 on the caller's thread, each other on a
 * thread of its own (on the caller's when one cannot start). */
static void par_jobs(void *jobs, size_t size, unsigned n, void *(*fn)(void *))
{
	pthread_t tid[PASS_THREADS];
	int started[PASS_THREADS] = { 0 };
	unsigned i;
	for (i = 1; i < n; i++)
		started[i] = pthread_create(&tid[i], NULL, fn, (char *)jobs + i * size) == 0;
	fn(jobs);
	for (i = 1; i < n; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			fn((char *)jobs + i * size);
	}
}

/* The threads a pass over @p nodes nodes takes: one below
 * HEAPSCAN_PASS_SPLIT (default 65,536; the threads would cost more than
 * they save), else --threads, at most PASS_THREADS. */
static unsigned pass_threads(const hs_graph *g, uint64_t nodes)
{
	const char *e = getenv("HEAPSCAN_PASS_SPLIT");
	unsigned long min = e && *e ? strtoul(e, NULL, 10) : 65536;
	unsigned t = g->d->opts.threads;
	if (nodes < min)
		return 1;
	return t < 1 ? 1 : t > PASS_THREADS ? PASS_THREADS : t;
}

/*
 * The preorder of the dominator tree cut into @p *nparts runs of whole
 * subtrees of the root's children, about as long each: part i is
 * pre[at[i] .. at[i + 1]) and holds the subtrees of the root's children
 * first[i] .. first[i + 1] - 1 (their retained counts say how long
 * each is).  The walks by group take a part each, on threads of their
 * own: the root has no class, so no subtree of one part has an ancestor
 * in another.  0, or -1 when the counts do not add up.
 */
static int pre_parts(hs_graph *g, unsigned want, uint32_t *at, uint32_t *first, unsigned *nparts)
{
	uint32_t a, c = dom_kids(g, 0, &a), i, np = g->nreach;
	uint64_t sum = 1, next;
	unsigned k = 0;
	at[0] = 1;
	first[0] = 0;
	next = 1 + (np - 1) / want;
	for (i = 0; i < c; i++) {
		if (sum >= next && k + 1 < want) {
			k++;
			at[k] = (uint32_t)sum;
			first[k] = i;
			next = sum + (np - sum) / (want - k);
		}
		sum += g->retn[g->child[a + i]];
	}
	if (np && sum != np)
		return -1;
	at[k + 1] = np ? np : 1;
	first[k + 1] = c;
	*nparts = k + 1;
	return 0;
}

/* The class key of a node (hs_graph_class_totals()), HS_NONE for none. */
static inline uint32_t class_key(const hs_graph *g, uint32_t v, uint32_t nc)
{
	uint32_t c = cls_at(g, v), i;
	if (c == HS_NONE)
		return HS_NONE;
	i = c & ~HS_CLASS_OBJECT_BIT;
	if (i >= nc)
		return HS_NONE;
	return (c & HS_CLASS_OBJECT_BIT) ? nc + i : i;
}

/* the class totals of nodes lo .. hi - 1 */
struct ct_job {
	const hs_graph *g;
	uint32_t lo, hi, nc;
	int has_size;
	uint64_t *objects, *shallow;
};

static void *ct_run(void *arg)
{
	struct ct_job *j = arg;
	const hs_graph *g = j->g;
	uint32_t v;
	/* node order: the arrays are read front to back */
	for (v = j->lo; v < j->hi; v++) {
		uint32_t k;
		if (g->idom ? g->idom[v] == HS_NONE : !((g->reach[v >> 6] >> (v & 63)) & 1))
			continue;
		if ((k = class_key(g, v, j->nc)) == HS_NONE)
			continue;
		j->objects[k]++;
		if (j->has_size)
			j->shallow[k] += side_value(g->size_big, v, g->size[v], SIZE_BIG);
	}
	return NULL;
}

int hs_graph_class_totals(hs_graph *g, uint64_t *objects, uint64_t *shallow, hs_error *err)
{
	uint32_t nc = hs_dump_class_count(g->d), v;
	unsigned nt = pass_threads(g, g->n), i;
	struct ct_job job[PASS_THREADS];
	int has_size, rc = 0;
	memset(objects, 0, sizeof(uint64_t) * 2 * (size_t)nc);
	memset(shallow, 0, sizeof(uint64_t) * 2 * (size_t)nc);
	/* from an index, the arrays read whole first (on two threads), not
	 * block by block as the pass comes to them */
	if ((g->lazy | g->blk_pending) & (HS_LAZY_RETN | HS_LAZY_SIZE | HS_LAZY_CLS))
		hs_index__lazy(g, (g->idom ? 0 : HS_LAZY_RETN) | HS_LAZY_SIZE | HS_LAZY_CLS);
	/* the nodes of the dominator tree: idom[] or, from an index, its
	 * bitmap (as hs_graph_reachable()) */
	if (!g->idom && (need(g, g->retn, HS_LAZY_RETN) < 0 || !g->reach))
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "cannot read the dominator tree from the index");
	/* an array an index cannot give counts as its accessor's neutral
	 * value (hs_index__lazy()): no bytes */
	has_size = need(g, g->size, HS_LAZY_SIZE) == 0;
	for (i = 0; i < nt; i++) {
		job[i].g = g;
		job[i].lo = (uint32_t)((uint64_t)g->n * i / nt);
		job[i].hi = (uint32_t)((uint64_t)g->n * (i + 1) / nt);
		job[i].nc = nc;
		job[i].has_size = has_size;
		job[i].objects = i ? calloc(2 * (size_t)nc + 1, sizeof(uint64_t)) : objects;
		job[i].shallow = i ? calloc(2 * (size_t)nc + 1, sizeof(uint64_t)) : shallow;
		if (!job[i].objects || !job[i].shallow) {
			rc = hs_error_oom(err, NULL);
			nt = i + 1;
			break;
		}
	}
	job[0].lo = 1;   /* the root: no class */
	if (rc == 0)
		par_jobs(job, sizeof(job[0]), nt, ct_run);
	for (i = 1; i < nt; i++) {
		for (v = 0; rc == 0 && v < 2 * nc; v++) {
			objects[v] += job[i].objects[v];
			shallow[v] += job[i].shallow[v];
		}
		free(job[i].objects);
		free(job[i].shallow);
	}
	if (rc < 0)
		return rc;
	for (v = 0; v < 2 * nc; v++)
		shallow[v] <<= g->align_shift;
	return 0;
}

/*
 * The pass over one part of the dominator tree's preorder (pre_parts()),
 * walked as it goes (an explicit stack: the tree may be millions deep;
 * no preorder array, whose 4 bytes a node would be most of the pass's
 * memory), with counters of its own: active[s], members of set s on the
 * path from the root to the node; kopen[k], nodes of key k on it that are
 * open (have children); the members whose subtrees are open, where each
 * ends in the preorder and its key.
 */
struct ks_job {
	hs_graph *g;
	const uint32_t *set_off, *set_ids;
	uint32_t nsets, nc, lo, hi, kid_lo, kid_hi;
	int has_ret, oom, bad;
	uint64_t *retained;
};

static void *ks_run(void *arg)
{
	struct ks_job *j = arg;
	hs_graph *g = j->g;
	const uint32_t *set_off = j->set_off, *set_ids = j->set_ids;
	uint32_t nc = j->nc, np = j->hi, i = j->lo, a0, x;
	uint32_t *active = calloc((size_t)j->nsets + 1, sizeof(uint32_t));
	uint32_t *kopen = calloc(2 * (size_t)nc + 1, sizeof(uint32_t));
	struct open { uint32_t end, key; } *op = NULL;
	size_t nop = 0, opcap = 0;
	hs_u32vec st = { 0 };
	uint64_t *retained = j->retained;

	if (!active || !kopen || hs_u32vec_reserve(&st, (size_t)(j->kid_hi - j->kid_lo) + 1) < 0) {
		j->oom = 1;
		goto done;
	}
	/* the root's children of the part, pushed in reverse so that they
	 * come out in CSR order */
	dom_kids(g, 0, &a0);
	for (x = j->kid_hi; x-- > j->kid_lo;)
		st.a[st.n++] = g->child[a0 + x];
	/* a subtree is a run of the preorder, as long as its retained
	 * count: the members entered are left when the run ends */
	while (st.n > 0) {
		uint32_t v = st.a[--st.n], key, a, b, k, rn, c, at;
		uint64_t r;
		if (i >= np) {   /* more nodes than the counts say */
			j->bad = 1;
			break;
		}
		c = dom_kids(g, v, &at);
		if (c) {
			if ((uint64_t)st.n + c > (uint64_t)np - i - 1 || hs_u32vec_reserve(&st, c) < 0) {
				j->bad = (uint64_t)st.n + c > (uint64_t)np - i - 1;
				j->oom = !j->bad;
				break;
			}
			for (k = c; k-- > 0;) {
				uint32_t w = g->child[at + k];
				st.a[st.n++] = w;
				/* visited soon: what the pass and the walk read of
				 * it asked of memory now */
				__builtin_prefetch(&g->child_has[w >> 6]);
				if (g->cls)
					__builtin_prefetch(&g->cls[w]);
				if (j->has_ret)
					__builtin_prefetch(&g->ret[w]);
				__builtin_prefetch(&g->retn[w]);
			}
		}
		while (nop > 0 && op[nop - 1].end <= i) {
			key = op[--nop].key;
			kopen[key]--;
			for (k = set_off[key]; k < set_off[key + 1]; k++)
				active[set_ids[k]]--;
		}
		k = i++;   /* v's place in the preorder */
		if ((key = class_key(g, v, nc)) == HS_NONE)
			continue;
		/* below an object of its own key (a chain of list nodes, an
		 * array of arrays) every set of it is entered already, for all
		 * of its subtree: nothing to add, nothing to enter */
		if (kopen[key])
			continue;
		a = set_off[key];
		b = set_off[key + 1];
		if (a == b)
			continue;
		r = j->has_ret ? side_value(g->ret_big, v, g->ret[v], UINT32_MAX) : 0;
		rn = g->retn[v];
		if (rn <= 1) {   /* a leaf: its subtree is itself */
			for (x = a; x < b; x++)
				if (!active[set_ids[x]])
					retained[set_ids[x]] += r;
			continue;
		}
		for (x = a; x < b; x++) {
			uint32_t y = set_ids[x];
			if (!active[y])
				retained[y] += r;
			active[y]++;
		}
		if (nop == opcap) {
			size_t nc2 = opcap ? opcap * 2 : 1024;
			struct open *no = realloc(op, nc2 * sizeof(*no));
			if (!no) {
				j->oom = 1;
				goto done;
			}
			op = no;
			opcap = nc2;
		}
		op[nop].end = k + rn;
		op[nop].key = key;
		nop++;
		kopen[key]++;
	}
	if (!j->oom && i != np)
		j->bad = 1;
done:
	free(active);
	free(kopen);
	free(op);
	hs_u32vec_free(&st);
	return NULL;
}

int hs_graph_retained_by_key_sets(hs_graph *g, const uint32_t *set_off, const uint32_t *set_ids, uint32_t nsets,
				  uint64_t *retained, hs_error *err)
{
	struct ks_job job[PASS_THREADS];
	uint32_t at[PASS_THREADS + 1], first[PASS_THREADS + 1], np, s;
	unsigned nparts, i;
	int rc = 0, has_ret;

	memset(retained, 0, sizeof(uint64_t) * nsets);
	/* all of the tree, from an index with the retained sizes and
	 * classes that the pass reads (on two threads) */
	if ((g->lazy | g->blk_pending) & (HS_LAZY_TREE | HS_LAZY_RET | HS_LAZY_CLS))
		hs_index__lazy(g, HS_LAZY_TREE | HS_LAZY_RET | HS_LAZY_CLS);
	if (dom_tree(g, err) < 0)
		return err->code;
	if (need(g, g->child_has, HS_LAZY_TREE) < 0 || need(g, g->retn, HS_LAZY_RETN) < 0)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "cannot read the dominator tree from the index");
	np = g->nreach;
	/* retained sizes an index cannot give count as their accessor's
	 * neutral value (hs_index__lazy()): no bytes; the retained counts
	 * are there (the tree needs them, above) */
	has_ret = need(g, g->ret, HS_LAZY_RET) == 0;
	if (pre_parts(g, pass_threads(g, np), at, first, &nparts) < 0)
		return hs_error_set(err, HS_EFORMAT, HS_NO_OFFSET, "the dominator tree's retained counts do not add up");
	for (i = 0; i < nparts; i++) {
		job[i].g = g;
		job[i].set_off = set_off;
		job[i].set_ids = set_ids;
		job[i].nsets = nsets;
		job[i].nc = hs_dump_class_count(g->d);
		job[i].lo = at[i];
		job[i].hi = at[i + 1];
		job[i].kid_lo = first[i];
		job[i].kid_hi = first[i + 1];
		job[i].has_ret = has_ret;
		job[i].oom = job[i].bad = 0;
		job[i].retained = i ? calloc((size_t)nsets + 1, sizeof(uint64_t)) : retained;
		if (!job[i].retained) {
			rc = hs_error_oom(err, NULL);
			nparts = i;
			break;
		}
	}
	if (rc == 0)
		par_jobs(job, sizeof(job[0]), nparts, ks_run);
	for (i = 0; i < nparts; i++) {
		if (job[i].oom && rc == 0)
			rc = hs_error_oom(err, NULL);
		if (job[i].bad && rc == 0)
			rc = hs_error_set(err, HS_EFORMAT, HS_NO_OFFSET,
					  "the dominator tree's retained counts do not add up");
		if (i) {
			for (s = 0; s < nsets; s++)
				retained[s] += job[i].retained[s];
			free(job[i].retained);
		}
	}
	if (rc < 0)
		return rc;
	for (s = 0; s < nsets; s++)
		retained[s] <<= g->align_shift;
	return 0;
}

/* The children of @p node sorted in a copy (hs_graph_dom_children()),
 * or NULL. */
static const uint32_t *kid_copy(const hs_graph *g, uint32_t node)
{
	PWord_t pv;
	if (!g->kid_copy)
		return NULL;
	JLG(pv, g->kid_copy, node);
	return pv ? (const uint32_t *)*pv : NULL;
}

const uint32_t *hs_graph_dom_children_any(hs_graph *g, uint32_t node, uint32_t *count, hs_error *err)
{
	uint32_t at;
	const uint32_t *c;
	if (dom_tree(g, err) < 0 || dom_at(g, node, err) < 0) {
		*count = 0;
		return NULL;
	}
	*count = dom_kids(g, node, &at);
	return (c = kid_copy(g, node)) ? c : g->child + at;
}

int hs_graph_dom_children_sorted(const hs_graph *g, uint32_t node)
{
	return g->child_sorted && node < g->n && ((g->child_sorted[node >> 6] >> (node & 63)) & 1);
}

const uint32_t *hs_graph_dom_children(hs_graph *g, uint32_t node, uint32_t *count, hs_error *err)
{
	uint32_t at;
	const uint32_t *c;
	if (dom_tree(g, err) < 0 || dom_at(g, node, err) < 0) {
		*count = 0;
		return NULL;
	}
	*count = dom_kids(g, node, &at);
	if ((c = kid_copy(g, node)))
		return c;
	if (g->child_sorted && !(g->child_sorted[node >> 6] & (1ull << (node & 63)))) {
		/* an index's writer reads the children on its thread meanwhile
		 * (index.c): sorted in a copy, the CSR left as it is */
		if (*count > 1 && __atomic_load_n(&g->kids_frozen, __ATOMIC_ACQUIRE)) {
			uint32_t *cp = malloc(sizeof(uint32_t) * *count);
			PWord_t pv = NULL;
			if (cp)
				JLI(pv, g->kid_copy, node);
			if (!cp || pv == PJERR || !pv) {
				free(cp);
				*count = 0;
				hs_error_oom(err, OOM_DOING);
				return NULL;
			}
			memcpy(cp, g->child + at, sizeof(uint32_t) * *count);
			hs_sort(cp, *count, sizeof(uint32_t), by_retained, g);
			*pv = (Word_t)cp;
			track(g, (int64_t)*count * 4);
			g->child_sorted[node >> 6] |= 1ull << (node & 63);
			return cp;
		}
		if (*count > 1)
			hs_sort(g->child + at, *count, sizeof(uint32_t), by_retained, g);
		g->child_sorted[node >> 6] |= 1ull << (node & 63);
	}
	return g->child + at;
}
