/*
 * fetch.c - the contents of a few objects, read again from the dump (see
 * fetch.h).
 *
 * The pass is checked as the graph's are (hs_dump__reread), and a wanted
 * instance or array must still be of the class the graph has for it.  The
 * copies keep their own lengths, and every reader of them (fields by
 * name, string values) stays inside those, so a change that went unseen
 * gives wrong labels, never a read out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "graph_int.h"

/* what the out-of-memory errors of this file say was under way */
#define OOM_DOING "reading objects again"

void hs_fetch_init(hs_fetch *f, hs_graph *g, uint32_t prim_max)
{
	memset(f, 0, sizeof(*f));
	f->g = g;
	f->prim_max = prim_max;
}

void hs_fetch_stream(hs_fetch *f, hs_fetch_sink fn, void *ctx)
{
	f->sink = fn;
	f->sink_ctx = ctx;
}

/* Node 0, the virtual root, stands for "no object" (a null field, the
 * bootstrap loader): nothing to read, and no pass for it. */
static int want(hs_fetch *f, Pvoid_t *set, uint32_t node, Word_t val, hs_error *err)
{
	PWord_t pv;
	if (!node)
		return 0;
	f->any = 1;
	JLI(pv, *set, node);
	if (pv == PJERR)
		return hs_error_oom(err, OOM_DOING);
	if (!*pv)
		*pv = val;
	return 0;
}

/* The bit of an object id in inst_ids[]. */
static inline uint32_t id_bit(uint64_t id)
{
	return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >> 49) & (HS_FETCH_FILTER_BITS - 1);
}

int hs_fetch_want_instance(hs_fetch *f, uint32_t node, hs_error *err)
{
	if (node) {
		uint32_t b = id_bit(hs_graph_id(f->g, node));
		f->inst_ids[b >> 6] |= 1ull << (b & 63);
	}
	return want(f, &f->inst, node, 1, err);
}

int hs_fetch_want_prim(hs_fetch *f, uint32_t node, hs_error *err)
{
	return want(f, &f->prim, node, 1, err);
}

int hs_fetch_want_index(hs_fetch *f, uint32_t node, uint64_t elem_id, hs_error *err)
{
	return want(f, &f->arr, node, (Word_t)elem_id, err);
}

int hs_fetch_want_count(hs_fetch *f, uint32_t node, hs_error *err)
{
	return want(f, &f->cnt, node, 1, err);
}

int hs_fetch_want_zeros(hs_fetch *f, uint32_t node, hs_error *err)
{
	return want(f, &f->zeros, node, 1, err);
}

int hs_fetch_want_elems(hs_fetch *f, uint32_t node, hs_error *err)
{
	return want(f, &f->elems, node, 1, err);
}

int hs_fetch_prim_length(const hs_fetch *f, uint32_t node, uint32_t *length)
{
	PWord_t pv;
	JLG(pv, f->plen, node);
	if (!pv)
		return 0;
	*length = (uint32_t)(*pv - 1);
	return 1;
}

int hs_fetch_zeros(const hs_fetch *f, uint32_t node, uint32_t *zeros, uint32_t *seen)
{
	PWord_t pv;
	uint32_t len, c = hs_graph_class(f->g, node), ts;
	JLG(pv, f->zeros, node);
	if (!pv || *pv < 2 || !hs_fetch_prim_length(f, node, &len) || c == HS_NONE || (c & HS_CLASS_OBJECT_BIT))
		return 0;
	ts = hs_type_size(f->g->d->classes[c].elem_type, f->g->d->info.idsize);
	*zeros = (uint32_t)(*pv - 2);
	*seen = ts && (uint64_t)len * ts > HS_MAX_INSTANCE_DATA ? HS_MAX_INSTANCE_DATA / ts : len;
	return 1;
}

int hs_fetch_count(const hs_fetch *f, uint32_t node, uint32_t *length, uint32_t *nonnull)
{
	PWord_t pv;
	uint64_t v;
	JLG(pv, f->cnt, node);
	if (!pv || *pv < 2)
		return 0;
	v = (uint64_t)*pv - 2;
	*length = (uint32_t)(v >> 32);
	*nonnull = (uint32_t)v;
	return 1;
}

/* Copy data into the slot of a wanted node (once). */
static int keep(Pvoid_t set, uint32_t node, const unsigned char *data, uint32_t len, hs_error *err)
{
	PWord_t pv;
	unsigned char *c;
	JLG(pv, set, node);
	if (!pv || *pv != 1)
		return 0;
	c = malloc(len + 4u);
	if (!c)
		return hs_error_oom(err, OOM_DOING);
	memcpy(c, &len, 4);
	memcpy(c + 4, data, len);
	*pv = (Word_t)c;
	return 0;
}

/* Hand data of a wanted node to the sink (once); its slot becomes 0: read,
 * nothing kept. */
static int hand(hs_fetch *f, Pvoid_t set, uint32_t node, const unsigned char *data, uint32_t n,
		uint32_t length, hs_error *err)
{
	PWord_t pv;
	JLG(pv, set, node);
	if (!pv || *pv != 1)
		return 0;
	*pv = 0;
	return f->sink(f->sink_ctx, node, data, n, length, err);
}

static const unsigned char *kept(Pvoid_t set, uint32_t node, uint32_t *len)
{
	PWord_t pv;
	JLG(pv, set, node);
	if (!pv || *pv <= 1)
		return NULL;
	memcpy(len, (void *)*pv, 4);
	return (const unsigned char *)*pv + 4;
}

/* Is a wanted node still of class ci (the class index of its record)?
 * Not asked when ids repeat in the dump: the graph has the class of the
 * last record of an id, this pass may meet another first. */
static int same_class(const hs_fetch *f, uint32_t node, uint32_t ci, hs_error *err)
{
	if (f->g->d->ids->dups || hs_graph_class(f->g, node) == ci)
		return 0;
	return hs_dump__changed(err, HS_NO_OFFSET);
}

static int f_instance(void *ctx, uint64_t id, uint64_t cid, const unsigned char *data, uint32_t len,
		      hs_error *err)
{
	hs_fetch *f = ctx;
	PWord_t pv;
	uint32_t node, b = id_bit(id);
	if (!f->inst || !((f->inst_ids[b >> 6] >> (b & 63)) & 1))
		return 0;
	node = hs_graph_node(f->g, id);
	JLG(pv, f->inst, node);
	if (!node || !pv || *pv != 1)
		return 0;
	HS_FORWARD_IF_ERROR(same_class(f, node, hs_dump__object_class(f->g->d, cid, 0), err));
	if (f->sink)
		return hand(f, f->inst, node, data, len, UINT32_MAX, err);
	return keep(f->inst, node, data, len, err);
}

static uint32_t f_prim_want(void *ctx, uint64_t id, uint8_t type, uint32_t length)
{
	hs_fetch *f = ctx;
	PWord_t pv = NULL, pz = NULL;
	uint32_t node;
	(void)type;
	(void)length;
	if (!f->prim && !f->zeros)
		return 0;
	node = hs_graph_node(f->g, id);
	if (f->zeros)
		JLG(pz, f->zeros, node);
	if (pz && *pz == 1)
		return UINT32_MAX;   /* all of it (the reader caps it) */
	if (f->prim)
		JLG(pv, f->prim, node);
	return pv ? (f->prim_max ? f->prim_max : 1) : 0;
}

static int f_prim_data(void *ctx, uint64_t id, uint8_t type, uint32_t length, const unsigned char *data,
		       uint32_t n, hs_error *err)
{
	hs_fetch *f = ctx;
	uint32_t node = hs_graph_node(f->g, id);
	PWord_t pv = NULL, pz = NULL, pl;
	if (f->prim)
		JLG(pv, f->prim, node);
	if (f->zeros)
		JLG(pz, f->zeros, node);
	if (pv && *pv != 1)
		pv = NULL;
	if (pz && *pz != 1)
		pz = NULL;
	if (!node || (!pv && !pz))
		return 0;
	HS_FORWARD_IF_ERROR(same_class(f, node, hs_dump_prim_array_class(f->g->d, type), err));
	if (pv && f->sink) {
		HS_FORWARD_IF_ERROR(hand(f, f->prim, node, data, n < f->prim_max ? n : f->prim_max, length, err));
		if (!pz)
			return 0;
		pv = NULL;
	}
	JLI(pl, f->plen, node);
	if (pl == PJERR)
		return hs_error_oom(err, OOM_DOING);
	*pl = (Word_t)length + 1;
	if (pz) {
		unsigned ts = hs_type_size(type, f->g->d->info.idsize), k;
		uint32_t i, z = 0;
		for (i = 0; ts && i + ts <= n; i += ts) {
			for (k = 0; k < ts && !data[i + k]; k++)
				;
			z += k == ts;
		}
		*pz = 2 + (Word_t)z;
	}
	return pv ? keep(f->prim, node, data, n < f->prim_max ? n : f->prim_max, err) : 0;
}

static int f_obj_array(void *ctx, const hs_obj_array *a, hs_error *err)
{
	hs_fetch *f = ctx;
	unsigned isz = f->g->d->info.idsize;
	uint32_t i;
	if (a->first == 0) {
		uint32_t node = hs_graph_node(f->g, a->id);
		PWord_t pa = NULL, pc = NULL;
		if (f->arr)
			JLG(pa, f->arr, node);
		if (f->cnt)
			JLG(pc, f->cnt, node);
		if (node && (pa || pc))
			HS_FORWARD_IF_ERROR(same_class(f, node, hs_dump__object_class(f->g->d, a->class_id, 1), err));
	}
	if (f->elems) {
		if (a->first == 0) {
			JLG(f->cur_elems, f->elems, hs_graph_node(f->g, a->id));
			if (f->cur_elems && *f->cur_elems != 1)
				f->cur_elems = NULL;   /* copied already: a duplicate record */
			if (f->cur_elems) {
				uint64_t want = (uint64_t)a->length * isz;
				uint32_t len = want < f->prim_max ? (uint32_t)want : f->prim_max - f->prim_max % isz;
				unsigned char *c = malloc((size_t)len + 4u);
				if (!c)
					return hs_error_oom(err, OOM_DOING);
				memcpy(c, &len, 4);
				*f->cur_elems = (Word_t)c;
				f->cur_elems_at = 0;
			}
		}
		if (f->cur_elems) {
			unsigned char *c = (unsigned char *)*f->cur_elems;
			uint32_t len, take;
			memcpy(&len, c, 4);
			take = len - f->cur_elems_at < (uint64_t)a->count * isz ? len - f->cur_elems_at : a->count * isz;
			if (take)   /* an empty array has no elements to copy */
				memcpy(c + 4 + f->cur_elems_at, a->elems, take);
			f->cur_elems_at += take;
			if (f->cur_elems_at >= len)
				f->cur_elems = NULL;
		}
	}
	if (f->cnt) {
		if (a->first == 0) {
			JLG(f->cur_cnt, f->cnt, hs_graph_node(f->g, a->id));
			if (f->cur_cnt && *f->cur_cnt != 1)
				f->cur_cnt = NULL;   /* counted already: a duplicate record */
			if (f->cur_cnt)
				*f->cur_cnt = 2 + ((Word_t)a->length << 32);
		}
		if (f->cur_cnt) {
			uint32_t nn = 0;
			for (i = 0; i < a->count; i++)
				nn += hs_get_id(a->elems + (size_t)i * isz, isz) != 0;
			*f->cur_cnt += nn;
		}
	}
	if (!f->arr)
		return 0;
	if (a->first == 0) {
		PWord_t pv;
		f->cur_arr = hs_graph_node(f->g, a->id);
		JLG(pv, f->arr, f->cur_arr);
		f->cur_want = pv ? *pv : 0;
		f->cur_found = 0;
		if (!pv)
			f->cur_arr = 0;
	}
	if (!f->cur_arr || f->cur_found)
		return 0;
	for (i = 0; i < a->count; i++)
		if (hs_get_id(a->elems + (size_t)i * isz, isz) == f->cur_want) {
			PWord_t pv;
			JLI(pv, f->arr_ix, f->cur_arr);
			if (pv == PJERR)
				return hs_error_oom(err, OOM_DOING);
			*pv = (Word_t)a->first + i + 1;
			f->cur_found = 1;
			break;
		}
	return 0;
}

struct tag_range {
	uint32_t lo, hi;
};

static int by_lo(const void *a, const void *b)
{
	const struct tag_range *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* Add the checkpoint range of every node of a set; -1 when one is not
 * known (the caller then reads the whole dump). */
static int add_ranges(const hs_fetch *f, Pvoid_t set, struct tag_range **r, size_t *n, size_t *cap)
{
	const hs_dump *d = f->g->d;
	PWord_t pv;
	Word_t node = 0;
	JLF(pv, set, node);
	while (pv) {
		struct tag_range t;
		uint32_t c = hs_graph_class(f->g, (uint32_t)node);   /* never 0: see want */
		if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT)) {
			/* a class object: never an instance or array to read, and
			 * its CLASS DUMP (untagged) comes first in the dump */
			JLN(pv, set, node);
			continue;
		}
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 256;
			struct tag_range *nr = realloc(*r, nc * sizeof(*nr));
			if (!nr)
				return -1;
			*r = nr;
			*cap = nc;
		}
		if (hs_idmap_tags(d->ids, hs_graph_id(f->g, (uint32_t)node), &t.lo, &t.hi) < 0 ||
		    t.hi >= d->ncps)
			return -1;
		(*r)[(*n)++] = t;
		JLN(pv, set, node);
	}
	return 0;
}

/*
 * The spans of the dump that hold the wanted objects: their blocks' ranges
 * of checkpoints, sorted and merged.  *out is NULL when one whole pass is
 * the way: a compressed or unseekable dump, no checkpoints, an object whose
 * place is unknown, or spans that would cover half of the dump anyway.
 */
static int plan_spans(const hs_fetch *f, hs_hprof_span **out, size_t *nout, hs_error *err)
{
	const hs_dump *d = f->g->d;
	struct tag_range *r = NULL;
	size_t n = 0, cap = 0, i, k = 0;
	uint64_t covered = 0;
	hs_hprof_span *sp;

	*out = NULL;
	*nout = 0;
	if (!d->ncps || !d->src || !hs_src_can_seek(d->src) || getenv("HEAPSCAN_NO_SPANS"))
		return 0;
	if (add_ranges(f, f->inst, &r, &n, &cap) < 0 || add_ranges(f, f->prim, &r, &n, &cap) < 0 ||
	    add_ranges(f, f->arr, &r, &n, &cap) < 0 || add_ranges(f, f->cnt, &r, &n, &cap) < 0 ||
	    add_ranges(f, f->zeros, &r, &n, &cap) < 0 || add_ranges(f, f->elems, &r, &n, &cap) < 0 || !n) {
		free(r);
		return 0;
	}
	qsort(r, n, sizeof(*r), by_lo);
	for (i = 1; i < n; i++) {   /* merge overlapping and adjacent ranges */
		if (r[i].lo <= r[k].hi + 1) {
			if (r[i].hi > r[k].hi)
				r[k].hi = r[i].hi;
		} else {
			r[++k] = r[i];
		}
	}
	n = k + 1;
	for (i = 0; i < n; i++)
		covered += r[i].hi - r[i].lo + 1;
	if (covered * 2 > d->ncps) {
		free(r);
		return 0;
	}
	sp = malloc(n * sizeof(*sp));
	if (!sp) {
		free(r);
		return hs_error_oom(err, OOM_DOING);
	}
	for (i = 0; i < n; i++) {
		sp[i].offset = d->cps[r[i].lo].offset;
		sp[i].seg_left = d->cps[r[i].lo].seg_left;
		sp[i].end = r[i].hi + 1 < d->ncps ? d->cps[r[i].hi + 1].offset : UINT64_MAX;
	}
	free(r);
	*out = sp;
	*nout = n;
	return 0;
}

int hs_fetch_run(hs_fetch *f, hs_error *err)
{
	hs_hprof_span *spans = NULL;
	size_t nspans = 0;
	const char *outer;
	hs_hprof_visitor v;
	int rc;
	if (!f->any)
		return 0;
	memset(&v, 0, sizeof(v));
	v.ctx = f;
	if (f->inst)
		v.instance = f_instance;
	if (f->arr || f->cnt || f->elems)
		v.obj_array = f_obj_array;
	if (f->prim || f->zeros) {
		v.prim_array_want = f_prim_want;
		v.prim_array_data = f_prim_data;
	}
	outer = hs_dump_phase(f->g->d);
	hs_dump_progress(f->g->d, "reading objects again", 0, 0);
	rc = plan_spans(f, &spans, &nspans, err);
	if (rc < 0)
		return rc;
	if (spans) {
		/* only the checkpoint spans that hold the objects */
		hs_dump_info *in = &f->g->d->info;
		size_t i;
		rc = hs_dump__reread_spans(f->g->d, NULL, spans, nspans, &v, NULL, err);
		in->rereads_spans++;
		for (i = 0; i < nspans; i++)
			in->reread_span_bytes += (spans[i].end == UINT64_MAX ? in->bytes : spans[i].end) -
						 spans[i].offset;
		free(spans);
	} else {
		rc = hs_dump__reread(f->g->d, &v, err);
		f->g->d->info.rereads_whole++;
	}
	if (outer)
		hs_dump_progress(f->g->d, outer, 0, 0);
	/* the reports that asked read the dump long after it was opened:
	 * the error names it (out of memory is no fault of the file) */
	if (rc < 0 && rc != HS_ENOMEM)
		hs_error_name_file(err, f->g->d->path);
	return rc;
}

const unsigned char *hs_fetch_instance(const hs_fetch *f, uint32_t node, uint32_t *len)
{
	return kept(f->inst, node, len);
}

const unsigned char *hs_fetch_prim(const hs_fetch *f, uint32_t node, uint32_t *len)
{
	return kept(f->prim, node, len);
}

const unsigned char *hs_fetch_elems(const hs_fetch *f, uint32_t node, uint32_t *len)
{
	return kept(f->elems, node, len);
}

int64_t hs_fetch_index(const hs_fetch *f, uint32_t node)
{
	PWord_t pv;
	JLG(pv, f->arr_ix, node);
	return pv ? (int64_t)*pv - 1 : -1;
}

static void free_copies(Pvoid_t *set)
{
	PWord_t pv;
	Word_t key = 0, w;
	JLF(pv, *set, key);
	while (pv) {
		if (*pv > 1)
			free((void *)*pv);
		JLN(pv, *set, key);
	}
	JLFA(w, *set);
	(void)w;
}

void hs_fetch_release(hs_fetch *f)
{
	Word_t w;
	free_copies(&f->inst);
	free_copies(&f->prim);
	free_copies(&f->elems);
	JLFA(w, f->plen);
	JLFA(w, f->zeros);
	JLFA(w, f->arr);
	JLFA(w, f->arr_ix);
	JLFA(w, f->cnt);
	(void)w;
}

/* Walks the fields of instance data of class ci, superclass chain last:
 * calls fn for each with its offset; stops when fn returns non-zero. */
static int each_field(const hs_dump *d, uint32_t ci, uint32_t len,
		      int (*fn)(void *ctx, const hs_field *fl, uint32_t off, unsigned size), void *ctx)
{
	uint32_t k = ci, off = 0;
	int guard = 0;
	while (k != HS_NONE && guard++ < 256) {
		const hs_class *kl = &d->classes[k];
		unsigned i;
		for (i = 0; i < kl->nfields; i++) {
			unsigned sz = hs_type_size(kl->fields[i].type, d->info.idsize);
			if (off + sz <= len && fn(ctx, &kl->fields[i], off, sz))
				return 1;
			off += sz;
		}
		k = kl->super;
	}
	return 0;
}

struct each {
	const hs_dump *d;
	const unsigned char *data;
	int (*fn)(void *ctx, uint32_t owner, const hs_field *fl, uint64_t val);
	void *ctx;
	uint32_t owner;
};

static uint64_t raw_at(const unsigned char *data, uint32_t off, unsigned size)
{
	switch (size) {
	case 1: return data[off];
	case 2: return hs_get_u2(data + off);
	case 4: return hs_get_u4(data + off);
	default: return hs_get_id(data + off, 8);
	}
}

void hs_fields_each(const hs_dump *d, uint32_t ci, const unsigned char *data, uint32_t len,
		    int (*fn)(void *ctx, uint32_t owner, const hs_field *fl, uint64_t val), void *ctx)
{
	uint32_t k = ci, off = 0;
	int guard = 0;
	while (k != HS_NONE && guard++ < 256) {
		const hs_class *kl = &d->classes[k];
		unsigned i;
		for (i = 0; i < kl->nfields; i++) {
			unsigned sz = hs_type_size(kl->fields[i].type, d->info.idsize);
			if (off + sz <= len && fn(ctx, k, &kl->fields[i], raw_at(data, off, sz)))
				return;
			off += sz;
		}
		k = kl->super;
	}
}

struct by_name {
	const hs_dump *d;
	const unsigned char *data;
	const char *name;
	uint8_t type;
	uint64_t val;
};

static int match_name(void *ctx, const hs_field *fl, uint32_t off, unsigned size)
{
	struct by_name *b = ctx;
	const char *fn = hs_dump_string(b->d, fl->name_id);
	if (!fn || strcmp(fn, b->name) != 0)
		return 0;
	b->type = fl->type;
	switch (size) {
	case 1: b->val = b->data[off]; break;
	case 2: b->val = hs_get_u2(b->data + off); break;
	case 4: b->val = hs_get_u4(b->data + off); break;
	default: b->val = hs_get_id(b->data + off, 8); break;
	}
	return 1;
}

int hs_field_by_name(const hs_dump *d, uint32_t ci, const unsigned char *data, uint32_t len,
		     const char *name, uint8_t *type, uint64_t *val)
{
	struct by_name b = { d, data, name, 0, 0 };
	if (!each_field(d, ci, len, match_name, &b))
		return 0;
	*type = b.type;
	*val = b.val;
	return 1;
}

struct holding {
	const hs_dump *d;
	const unsigned char *data;
	uint64_t id;
	const char *name;
};

int hs_field_fleeting(const char *name)
{
	return name && strcmp(name, "parkBlocker") == 0;
}

static int match_id(void *ctx, const hs_field *fl, uint32_t off, unsigned size)
{
	struct holding *h = ctx;
	const char *fn;
	if (fl->type != HS_T_OBJECT || hs_get_id(h->data + off, size) != h->id)
		return 0;
	fn = hs_dump_string(h->d, fl->name_id);
	if (!h->name || hs_field_fleeting(h->name))
		h->name = fn;
	return !hs_field_fleeting(fn);   /* a lasting field: the answer */
}

const char *hs_field_holding(const hs_dump *d, uint32_t ci, const unsigned char *data, uint32_t len,
			     uint64_t id)
{
	struct holding h = { d, data, id, NULL };
	each_field(d, ci, len, match_id, &h);
	return h.name;
}

int hs_field_type(const hs_dump *d, uint32_t ci, const char *name, uint8_t *type)
{
	uint32_t k = ci;
	int guard = 0;
	while (k != HS_NONE && guard++ < 256) {
		const hs_class *kl = &d->classes[k];
		unsigned i;
		for (i = 0; i < kl->nfields; i++) {
			const char *fn = hs_dump_string(d, kl->fields[i].name_id);
			if (fn && strcmp(fn, name) == 0) {
				*type = kl->fields[i].type;
				return 1;
			}
		}
		k = kl->super;
	}
	return 0;
}
