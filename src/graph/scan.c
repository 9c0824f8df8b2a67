/*
 * scan.c - hs_dump_open(): the first pass over a dump.
 *
 * Collects everything whose size grows with classes rather than objects:
 * strings, LOAD_CLASS names, class dumps (copied into the arena), GC roots,
 * threads, frames and traces, and per class the number of instances and
 * the data the size model needs (array lengths, neighbour evidence).
 * Memory is O(classes + strings + roots); instances are only counted.
 *
 * Class identity: the JudyL class_ix maps a class object id to its index in
 * d->classes.  An instance may precede its CLASS_DUMP (the hprof agent
 * writes them in any order, each class named by a LOAD_CLASS before), so
 * an index is created on first sight and filled in when the dump arrives.
 * A class id that neither record has described when an object of it is
 * read costs no class: its objects count under one shared unknown class,
 * and the id goes into the Judy1 unknown_ids, so that the graph's passes
 * put them there too (hs_dump__object_class).
 *
 * Bounds on what crafted records cost (see hs_dump_open): a repeated GC
 * root is found in the hash set root_slots and only counted; a superclass
 * link that would close a loop is not made, which a union-find over the
 * chains (hs_class_acc.top) tells in near-constant time, so every walk up
 * a chain ends; a record whose object id is taken (known when the id map
 * is built) is only counted.
 *
 * With two threads, the object records are counted by a second thread
 * while this one parses (see "the object records in a second thread").
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dump_int.h"

struct scan_pipe;

struct scan {
	hs_dump *d;
	struct scan_pipe *pipe;   /* object records go to a second thread */
	struct scan_pipe *pipe_owned;   /* that thread, even once idle */
	/* class id (and array kind) -> class, direct-mapped: instances of a
	 * few hundred classes interleave, and the Judy lookups for each were
	 * 14% of a scan.  Only settled answers are kept (an id, once known or
	 * unknown, stays so).  id 0 never hits: slots start at id 0. */
	struct { uint64_t id; uint32_t ci; int array; } ccache[1024];
	/* layout evidence: the previous object */
	uint64_t prev_id;
	uint32_t prev_size[HS_NCAND];
	int prev_valid;
	uint64_t violations[HS_NCAND];
	uint64_t pairs;
	uint64_t id_or;
	int cp_failed;
	/* per array element type (the HPROF type code) and candidate layout:
	 * the array header and element size, so that each array's sizes are
	 * a multiply-add each (array_evidence; a call per candidate was 16%
	 * of the scan) */
	uint32_t arr_base[16][HS_NCAND], arr_es[16][HS_NCAND];
};

static int pipe_settle(struct scan *s, hs_error *err);

static void array_tables(struct scan *s)
{
	int t;
	unsigned c;
	for (t = 0; t < 16; t++)
		for (c = 0; c < HS_NCAND; c++) {
			/* hs_layout_array_size() of an empty array and of one
			 * element: its header and element size (align 1) */
			uint64_t h = hs_layout_array_size(&hs_cands[c], 1, t, 0);
			s->arr_base[t][c] = (uint32_t)h;
			s->arr_es[t][c] = (uint32_t)(hs_layout_array_size(&hs_cands[c], 1, t, 1) - h);
		}
}

static char *java_name(hs_arena *ar, const char *vm);


static uint32_t new_class(hs_dump *d, uint64_t id, hs_error *err)
{
	hs_class *k;
	if (d->nclasses == d->classes_cap) {
		uint32_t cap = d->classes_cap ? d->classes_cap * 2 : 1024;
		hs_class *nc = realloc(d->classes, cap * sizeof(*nc));
		hs_class_acc *na;
		if (!nc)
			return (uint32_t)hs_error_oom(err, NULL), HS_NONE;
		d->classes = nc;
		na = realloc(d->acc, cap * sizeof(*na));
		if (!na)
			return (uint32_t)hs_error_oom(err, NULL), HS_NONE;
		d->acc = na;
		d->classes_cap = cap;
	}
	k = &d->classes[d->nclasses];
	memset(k, 0, sizeof(*k));
	memset(&d->acc[d->nclasses], 0, sizeof(d->acc[0]));
	d->acc[d->nclasses].top = d->nclasses;
	k->id = id;
	k->super = HS_NONE;
	if (id) {
		PWord_t pv;
		JLI(pv, d->class_ix, id);
		if (pv == PJERR)
			return (uint32_t)hs_error_oom(err, NULL), HS_NONE;
		*pv = d->nclasses + 1;
	}
	return d->nclasses++;
}

uint32_t hs_dump__class_for_id(hs_dump *d, uint64_t id, hs_error *err)
{
	PWord_t pv;
	JLG(pv, d->class_ix, id);
	if (pv)
		return (uint32_t)(*pv - 1);
	return new_class(d, id, err);
}

/* The shared class of instances (array 0) or object arrays (array 1) of
 * class ids no record describes. */
static uint32_t unknown_class(hs_dump *d, int array, hs_error *err)
{
	if (d->unknown_class[array] == HS_NONE) {
		uint32_t ci = new_class(d, 0, err);
		if (ci == HS_NONE)
			return ci;
		d->classes[ci].name = array ? "<unknown class>[]" : "<unknown class>";
		d->classes[ci].kind = array ? HS_CLASS_OBJ_ARRAY : HS_CLASS_INSTANCE;
		d->unknown_class[array] = ci;
	}
	return d->unknown_class[array];
}

uint32_t hs_dump__object_class(const hs_dump *d, uint64_t cid, int array)
{
	int in;
	J1T(in, d->unknown_ids, cid);
	if (in)
		return d->unknown_class[array];
	return hs_dump_class_by_id(d, cid);
}

/* The class an object of class id cid counts under (see the top comment):
 * a class once a CLASS_DUMP or LOAD_CLASS has named the id, the unknown
 * class before, for good. */
static uint32_t object_class_slow(struct scan *s, uint64_t cid, int array, hs_error *err)
{
	hs_dump *d = s->d;
	PWord_t pv;
	int in;

	J1T(in, d->unknown_ids, cid);
	if (!in) {
		JLG(pv, d->class_ix, cid);
		if (pv)
			return (uint32_t)(*pv - 1);
		JLG(pv, d->load_names, cid);
		if (pv)
			return new_class(d, cid, err);
		J1S(in, d->unknown_ids, cid);
		if (in == JERR) {
			hs_error_oom(err, NULL);
			return HS_NONE;
		}
		d->info.unknown_class_ids++;
	}
	return unknown_class(d, array, err);
}

static uint32_t object_class(struct scan *s, uint64_t cid, int array, hs_error *err)
{
	unsigned h = (unsigned)((cid >> 3) ^ (cid >> 13) ^ (uint64_t)array) & 1023u;
	uint32_t ci;
	if (cid && s->ccache[h].id == cid && s->ccache[h].array == array)
		return s->ccache[h].ci;
	ci = object_class_slow(s, cid, array, err);
	if (cid && ci != HS_NONE) {
		s->ccache[h].id = cid;
		s->ccache[h].array = array;
		s->ccache[h].ci = ci;
	}
	return ci;
}

/* Layout evidence: compare the previous object's candidate sizes with the
 * distance to this one, then remember this one. */
static inline void evidence(struct scan *s, uint64_t id, const uint32_t *sizes)
{
	unsigned c;
	s->id_or |= id;
	if (s->prev_valid && id > s->prev_id && id - s->prev_id < (1u << 20)) {
		uint64_t gap = id - s->prev_id;
		s->pairs++;
		for (c = 0; c < HS_NCAND; c++)
			if (s->prev_size[c] > gap)
				s->violations[c]++;
	}
	s->prev_id = id;
	if (sizes) {
		memcpy(s->prev_size, sizes, sizeof(s->prev_size));
		s->prev_valid = 1;
	} else {
		s->prev_valid = 0;
	}
}

/* A record whose object id an earlier record has: left out, counted. */
static void note_duplicate(hs_dump *d, uint64_t id)
{
	if (!d->info.duplicate_ids++)
		d->info.duplicate_id_first = id;
}

/* Add an object id to the id map when one is built: 1 if new, 0 if an
 * earlier record had it (counted), -1 out of memory. */
static int add_id(hs_dump *d, uint64_t id, uint32_t tag)
{
	uint64_t dups;
	if (!d->ids)
		return 1;
	dups = d->ids->dups;
	if (hs_idmap_add_at(d->ids, id, tag) < 0)
		return -1;
	if (d->ids->dups == dups)
		return 1;
	note_duplicate(d, id);
	return 0;
}

/*
 * Link class k to its superclass (super_id) unless that would close a
 * loop, which happens when k is already the top of the superclass's chain:
 * the link is then dropped for good (super_cut) and counted.  k must have
 * no superclass yet, so it is the top of its own chain; top[] is a
 * union-find with path halving toward each chain's top.
 */
static void link_super(hs_dump *d, uint32_t k, uint32_t sup)
{
	uint32_t t = sup;
	if (d->acc[k].super_cut)
		return;
	while (d->acc[t].top != t) {
		d->acc[t].top = d->acc[d->acc[t].top].top;
		t = d->acc[t].top;
	}
	if (t == k) {
		d->acc[k].super_cut = 1;
		if (!d->info.super_loops++)
			d->info.super_loop_class = d->classes[k].id;
		return;
	}
	d->classes[k].super = sup;
	d->acc[k].top = sup;
}

/* ---- visitor callbacks ---------------------------------------------- */

static int v_header(void *ctx, const hs_hprof_header *h, hs_error *err)
{
	struct scan *s = ctx;
	(void)err;
	memcpy(s->d->info.version, h->version, sizeof(h->version));
	s->d->info.idsize = h->idsize;
	s->d->info.timestamp_ms = h->timestamp_ms;
	s->d->header = *h;
	return 0;
}

static int v_string(void *ctx, uint64_t id, const char *utf8, uint32_t len, hs_error *err)
{
	hs_dump *d = ((struct scan *)ctx)->d;
	PWord_t pv;
	char *p;
	if (pipe_settle(ctx, err) < 0)
		return err->code;
	p = hs_arena_strndup(&d->arena, utf8, len);
	if (!p)
		return hs_error_oom(err, NULL);
	JLI(pv, d->strings, id);
	if (pv == PJERR)
		return hs_error_oom(err, NULL);
	*pv = (Word_t)p;
	return 0;
}

static int v_load_class(void *ctx, uint32_t serial, uint64_t class_id, uint32_t trace,
			uint64_t name_id, hs_error *err)
{
	hs_dump *d = ((struct scan *)ctx)->d;
	PWord_t pv;
	(void)trace;
	if (pipe_settle(ctx, err) < 0)
		return err->code;
	{
		const char *nm = hs_dump_string(d, name_id);
		if (nm && strcmp(nm, "java/lang/Module") == 0)
			d->has_module = 1;
	}
	JLI(pv, d->load_names, class_id);
	if (pv == PJERR)
		return hs_error_oom(err, NULL);
	*pv = name_id;
	JLI(pv, d->serial_class, serial);
	if (pv == PJERR)
		return hs_error_oom(err, NULL);
	*pv = class_id;
	return 0;
}

static int v_frame(void *ctx, const hs_frame *f, hs_error *err)
{
	hs_dump *d = ((struct scan *)ctx)->d;
	PWord_t pv;
	hs_frame *c;
	if (pipe_settle(ctx, err) < 0)
		return err->code;
	c = hs_arena_alloc(&d->arena, sizeof(*c));
	if (!c)
		return hs_error_oom(err, NULL);
	*c = *f;
	JLI(pv, d->frames, f->id);
	if (pv == PJERR)
		return hs_error_oom(err, NULL);
	*pv = (Word_t)c;
	return 0;
}

static int v_trace(void *ctx, uint32_t serial, uint32_t thread_serial, uint32_t nframes,
		   const unsigned char *ids, hs_error *err)
{
	hs_dump *d = ((struct scan *)ctx)->d;
	PWord_t pv;
	uint32_t i;
	hs_trace_rec *t;
	if (pipe_settle(ctx, err) < 0)
		return err->code;
	t = hs_arena_alloc(&d->arena, sizeof(*t));
	if (!t)
		return hs_error_oom(err, NULL);
	t->thread_serial = thread_serial;
	t->nframes = nframes;
	t->frames = hs_arena_alloc(&d->arena, (size_t)nframes * 8 + 8);
	if (!t->frames)
		return hs_error_oom(err, NULL);
	for (i = 0; i < nframes; i++)
		t->frames[i] = hs_get_id(ids + (size_t)i * d->info.idsize, d->info.idsize);
	JLI(pv, d->traces, serial);
	if (pv == PJERR)
		return hs_error_oom(err, NULL);
	*pv = (Word_t)t;
	return 0;
}

static int v_start_thread(void *ctx, const hs_thread_start *t, hs_error *err)
{
	hs_dump *d = ((struct scan *)ctx)->d;
	PWord_t pv;
	if (pipe_settle(ctx, err) < 0)
		return err->code;
	JLI(pv, d->thread_names, t->serial);
	if (pv == PJERR)
		return hs_error_oom(err, NULL);
	*pv = t->name_id;
	return 0;
}

/* ---- GC roots: each distinct root once ------------------------------ */

/* Java frame and JNI local roots name a frame of their thread's stack
 * (`threads` lists each frame's locals); the frame field of the other
 * kinds is no place and does not tell roots apart. */
static int root_has_frame(uint8_t kind)
{
	return kind == HS_SUB_ROOT_JAVA_FRAME || kind == HS_SUB_ROOT_JNI_LOCAL;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static uint64_t root_hash(const hs_root *r)
{
	uint64_t where = (uint64_t)r->thread_serial << 32 | (root_has_frame(r->kind) ? r->frame : 0);
	return mix64(r->id ^ mix64(where ^ (uint64_t)r->kind << 56));
}

static int same_root(const hs_root *a, const hs_root *b)
{
	return a->kind == b->kind && a->id == b->id && a->thread_serial == b->thread_serial &&
	       (!root_has_frame(a->kind) || a->frame == b->frame);
}

/* Rebuild the hash set at twice the size. */
static int root_slots_grow(hs_dump *d)
{
	uint64_t cap = d->root_slots_cap ? d->root_slots_cap * 2 : 8192, i;
	uint32_t *t = calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	for (i = 0; i < d->nroots; i++) {
		uint64_t h = root_hash(&d->roots[i]) & (cap - 1);
		while (t[h])
			h = (h + 1) & (cap - 1);
		t[h] = (uint32_t)(i + 1);
	}
	free(d->root_slots);
	d->root_slots = t;
	d->root_slots_cap = cap;
	return 0;
}

/* Keep root r unless an equal one is kept (linear probing in root_slots,
 * which stays at most half full).  Returns 1 if kept, 0 for a duplicate,
 * or a negative hs_code. */
static int add_root(hs_dump *d, const hs_root *r, hs_error *err)
{
	uint64_t h;
	if (d->nroots >= UINT32_MAX - 1)
		return hs_error_set(err, HS_ELIMIT, HS_NO_OFFSET,
				    "more than 4 billion distinct GC roots: beyond heapscan's limit");
	if ((d->nroots + 1) * 2 > d->root_slots_cap && root_slots_grow(d) < 0)
		return hs_error_oom(err, NULL);
	for (h = root_hash(r) & (d->root_slots_cap - 1); d->root_slots[h];
	     h = (h + 1) & (d->root_slots_cap - 1))
		if (same_root(&d->roots[d->root_slots[h] - 1], r))
			return 0;
	if (d->nroots == d->roots_cap) {
		uint64_t cap = d->roots_cap ? d->roots_cap * 2 : 4096;
		hs_root *nr = realloc(d->roots, cap * sizeof(*nr));
		if (!nr)
			return hs_error_oom(err, NULL);
		d->roots = nr;
		d->roots_cap = cap;
	}
	d->roots[d->nroots++] = *r;
	d->root_slots[h] = (uint32_t)d->nroots;
	return 1;
}

static int v_root(void *ctx, const hs_root *r, hs_error *err)
{
	struct scan *s = ctx;
	hs_dump *d = s->d;
	int rc;
	if (r->id == 0) {
		d->info.roots_null++;
		return 0;
	}
	rc = add_root(d, r, err);
	if (rc <= 0) {
		if (rc == 0)
			d->info.roots_duplicate++;
		return rc;
	}
	d->info.roots++;
	d->info.roots_by_kind[r->kind]++;
	if (r->kind == HS_SUB_ROOT_STICKY_CLASS)
		d->has_sticky_roots = 1;
	if (r->kind == HS_SUB_ROOT_THREAD_OBJECT) {
		hs_thread_info *t;
		if (d->nthreads == d->threads_cap) {
			uint32_t cap = d->threads_cap ? d->threads_cap * 2 : 256;
			hs_thread_info *nt = realloc(d->threads, cap * sizeof(*nt));
			if (!nt)
				return hs_error_oom(err, NULL);
			d->threads = nt;
			d->threads_cap = cap;
		}
		t = &d->threads[d->nthreads++];
		t->serial = r->thread_serial;
		t->object_id = r->id;
		t->trace_serial = r->frame;
		t->name = NULL;
		d->info.threads++;
	}
	return 0;
}

/* A checkpoint every HS_CHECKPOINT_STEP bytes of heap records; objects
 * added to the id map from here on are tagged with its number.  Out of
 * memory is reported when the pass ends (the callback returns nothing). */
static void do_checkpoint(struct scan *s, uint64_t offset, uint64_t seg_left)
{
	hs_dump *d = s->d;
	if (s->cp_failed)
		return;
	if (d->ncps == d->cps_cap) {
		uint32_t cap = d->cps_cap ? d->cps_cap * 2 : 1024;
		hs_checkpoint *n = realloc(d->cps, sizeof(*n) * cap);
		if (!n || d->ncps >= UINT32_MAX / 4) {
			free(n == d->cps ? NULL : n);
			s->cp_failed = 1;
			return;
		}
		d->cps = n;
		d->cps_cap = cap;
	}
	d->cps[d->ncps].offset = offset;
	d->cps[d->ncps].seg_left = seg_left;
	d->cps[d->ncps].digest = d->digest;
	d->ncps++;
}

static int v_class_dump(void *ctx, const hs_class_dump *c, hs_error *err)
{
	struct scan *s = ctx;
	hs_dump *d = s->d;
	uint32_t ci;
	hs_class *k;
	unsigned i, fb = 0;

	if (pipe_settle(s, err) < 0)
		return err->code;
	ci = hs_dump__class_for_id(d, c->id, err);
	if (d->ids)
		d->digest = hs_digest_object(d->digest, HS_OBJ_CLASS, c->id, 0, 0);
	if (ci == HS_NONE)
		return err->code;
	k = &d->classes[ci];
	if (k->has_dump) {
		note_duplicate(d, c->id);   /* a second CLASS_DUMP: keep the first */
		return 0;
	}
	switch (add_id(d, c->id, HS_IDMAP_NOTAG)) {   /* class dumps all come first */
	case -1:
		return hs_error_oom(err, NULL);
	case 0:
		/* an object took the id first: it is the object, the class
		 * keeps its description but has no class object */
		d->acc[ci].mirror_dup = 1;
		break;
	}
	k->has_dump = 1;
	{
		PWord_t pn;
		JLG(pn, d->load_names, c->id);
		if (pn && hs_dump_string(d, *pn))
			k->name = java_name(&d->arena, hs_dump_string(d, *pn));
	}
	k->super_id = c->super_id;
	k->loader_id = c->loader_id;
	k->signers_id = c->signers_id;
	k->domain_id = c->domain_id;
	k->nfields = c->nfields;
	k->nstatics = c->nstatics;
	k->fields = hs_arena_alloc(&d->arena, sizeof(hs_field) * (c->nfields + 1u));
	k->statics = hs_arena_alloc(&d->arena, sizeof(hs_static_field) * (c->nstatics + 1u));
	if (!k->fields || !k->statics)
		return hs_error_oom(err, NULL);
	memcpy((void *)k->fields, c->fields, sizeof(hs_field) * c->nfields);
	memcpy((void *)k->statics, c->statics, sizeof(hs_static_field) * c->nstatics);
	for (i = 0; i < c->nfields; i++)
		fb += hs_type_size(c->fields[i].type, d->info.idsize);
	k->field_bytes = fb;
	d->info.nclasses++;
	/* class objects are neighbours in the heap too, but their size is not
	 * modelled: break the evidence chain */
	s->prev_valid = 0;
	return 0;
}

/* Resolve superclass and sizes of a class when first needed. */
static const uint32_t *inst_sizes(struct scan *s, uint32_t ci)
{
	hs_dump *d = s->d;
	hs_class_acc *a = &d->acc[ci];
	if (!a->sizes_done) {
		/* link supers along the chain */
		uint32_t k = ci;
		int guard = 0;
		while (k != HS_NONE && d->classes[k].has_dump && d->classes[k].super == HS_NONE &&
		       d->classes[k].super_id && guard++ < 256) {
			PWord_t pv;
			JLG(pv, d->class_ix, d->classes[k].super_id);
			if (!pv || !d->classes[*pv - 1].has_dump)
				break;
			link_super(d, k, (uint32_t)(*pv - 1));
			k = d->classes[k].super;
		}
		if (!d->classes[ci].has_dump)
			return NULL;
		hs_layout_class_sizes(d, ci);
		a = &d->acc[ci];
	}
	return a->cand_size[0] || a->cand_size[HS_NCAND - 1] ? a->cand_size : NULL;
}

static int do_instance(struct scan *s, uint64_t id, uint64_t class_id, uint32_t len, hs_error *err)
{
	uint32_t ci;
	if (s->d->ids)
		s->d->digest = hs_digest_object(s->d->digest, HS_OBJ_INSTANCE, id, class_id, len);
	switch (add_id(s->d, id, s->d->ncps - 1)) {
	case -1:
		return hs_error_oom(err, NULL);
	case 0:
		return 0;
	}
	ci = object_class(s, class_id, 0, err);
	if (ci == HS_NONE)
		return err->code;
	s->d->classes[ci].instances++;
	s->d->info.instances++;
	if (ci == s->d->unknown_class[0])
		s->d->info.unknown_class_objects++;
	evidence(s, id, inst_sizes(s, ci));
	return 0;
}

static void count_array(hs_dump *d, uint32_t ci, uint32_t length)
{
	hs_class_acc *a = &d->acc[ci];
	d->classes[ci].instances++;
	a->sum_len += length;
	if (!a->mod)
		a->mod = calloc(64, sizeof(uint32_t));
	if (a->mod)
		a->mod[length & 63]++;
}

static void array_evidence(struct scan *s, uint64_t id, int type, uint32_t length)
{
	uint32_t sz[HS_NCAND];
	const uint32_t *base = s->arr_base[type & 15], *es = s->arr_es[type & 15];
	unsigned c;
	/* hs_layout_array_size(&hs_cands[c], 8, type, length), from the tables */
	for (c = 0; c < HS_NCAND; c++)
		sz[c] = (uint32_t)(((uint64_t)base[c] + (uint64_t)length * es[c] + 7) & ~(uint64_t)7);
	evidence(s, id, sz);
}

static int do_obj_array(struct scan *s, uint64_t id, uint64_t class_id, uint32_t length,
			hs_error *err)
{
	uint32_t ci;
	if (s->d->ids)
		s->d->digest = hs_digest_object(s->d->digest, HS_OBJ_ARRAY, id, class_id, length);
	switch (add_id(s->d, id, s->d->ncps - 1)) {
	case -1:
		return hs_error_oom(err, NULL);
	case 0:
		return 0;
	}
	ci = object_class(s, class_id, 1, err);
	if (ci == HS_NONE)
		return err->code;
	s->d->classes[ci].kind = HS_CLASS_OBJ_ARRAY;
	count_array(s->d, ci, length);
	s->d->info.obj_arrays++;
	if (ci == s->d->unknown_class[1])
		s->d->info.unknown_class_objects++;
	array_evidence(s, id, HS_T_OBJECT, length);
	return 0;
}

static uint32_t prim_class(hs_dump *d, int type, hs_error *err)
{
	if (d->prim_class[type] == HS_NONE) {
		uint32_t ci = new_class(d, 0, err);
		if (ci == HS_NONE)
			return ci;
		d->classes[ci].kind = HS_CLASS_PRIM_ARRAY;
		d->classes[ci].elem_type = (uint8_t)type;
		d->prim_class[type] = ci;
	}
	return d->prim_class[type];
}

static int do_prim_array(struct scan *s, uint64_t id, uint8_t type, uint32_t length, hs_error *err)
{
	uint32_t ci;
	if (s->d->ids)
		s->d->digest = hs_digest_object(s->d->digest, HS_OBJ_PRIM, id, type, length);
	switch (add_id(s->d, id, s->d->ncps - 1)) {
	case -1:
		return hs_error_oom(err, NULL);
	case 0:
		return 0;
	}
	ci = prim_class(s->d, type, err);
	if (ci == HS_NONE)
		return err->code;
	count_array(s->d, ci, length);
	s->d->info.prim_arrays++;
	array_evidence(s, id, type, length);
	return 0;
}

/*
 * ---- the object records in a second thread ----------------------------
 *
 * With --threads 2 or more the scan's thread only parses (with the
 * source's read-ahead thread under it): the object records and
 * checkpoints go, in batches, to a second thread that does what they
 * cost beyond parsing, in file order: the digest, the checkpoints, the
 * id map, the counts per class and the layout evidence.  The same
 * functions run on the same records in the same order as with one
 * thread, so the dump comes out the same.  The records this thread keeps
 * (strings, LOAD_CLASS, frames, traces, threads, class dumps) read or
 * write what the second thread does, so each waits for it to have
 * caught up (pipe_settle); they all come before the objects in the dumps
 * the JDK writes.  GC roots share nothing with it and go on at once.  A
 * dump that interleaves them with objects more than a few thousand
 * times goes on in this thread alone.  An error of the second thread
 * (out of memory) stops the read at the next batch, and is the one
 * reported: its record came first.
 */
enum { PREC_INSTANCE, PREC_OBJ_ARRAY, PREC_PRIM_ARRAY, PREC_CHECKPOINT };

struct prec {
	uint64_t id, cls;   /* a checkpoint: offset, seg_left */
	uint32_t len, kind;
};

#define PIPE_BATCH 4096u   /* records in a batch */
#define PIPE_NBUF 8u       /* batches in flight */
#define PIPE_MAX_SETTLES 4096u   /* waits before going on in one thread */

struct scan_pipe {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t work, room;
	struct prec *buf[PIPE_NBUF];
	uint32_t fill[PIPE_NBUF];
	uint64_t head, tail;     /* batches handed over, batches done */
	uint64_t settled;        /* head when the second thread last had done all */
	int done;                /* no more batches */
	int rc;                  /* the second thread's first error */
	hs_error err;
	struct prec *cur;        /* the batch being filled: buf[head % PIPE_NBUF] */
	uint32_t ncur;
	unsigned settles;
};

static int run_prec(struct scan *s, const struct prec *r, hs_error *err)
{
	switch (r->kind) {
	case PREC_INSTANCE:
		return do_instance(s, r->id, r->cls, r->len, err);
	case PREC_OBJ_ARRAY:
		return do_obj_array(s, r->id, r->cls, r->len, err);
	case PREC_PRIM_ARRAY:
		return do_prim_array(s, r->id, (uint8_t)r->cls, r->len, err);
	default:
		do_checkpoint(s, r->id, r->cls);
		return 0;
	}
}

static void *pipe_main(void *arg)
{
	struct scan *s = arg;
	struct scan_pipe *p = s->pipe;
	int rc = 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		uint32_t i, n, b;
		while (p->tail == p->head && !p->done)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->tail == p->head)
			break;
		b = (uint32_t)(p->tail % PIPE_NBUF);
		n = p->fill[b];
		pthread_mutex_unlock(&p->mu);
		for (i = 0; i < n && rc == 0; i++)
			rc = run_prec(s, &p->buf[b][i], &p->err);
		pthread_mutex_lock(&p->mu);
		if (rc < 0 && p->rc == 0)
			p->rc = rc;
		p->tail++;
		pthread_cond_signal(&p->room);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Hand the batch being filled over (when it has records); with wait, also
 * wait until the second thread has done all.  Returns its error, if any
 * (copied to err). */
static int pipe_flush(struct scan_pipe *p, int wait, hs_error *err)
{
	int rc;
	pthread_mutex_lock(&p->mu);
	if (p->ncur) {
		p->fill[p->head % PIPE_NBUF] = p->ncur;
		p->head++;
		pthread_cond_signal(&p->work);
	}
	while (p->head - p->tail >= (wait ? 1 : PIPE_NBUF) && !p->rc)
		pthread_cond_wait(&p->room, &p->mu);
	rc = p->rc;
	pthread_mutex_unlock(&p->mu);
	p->cur = p->buf[p->head % PIPE_NBUF];
	p->ncur = 0;
	if (rc < 0)
		*err = p->err;
	return rc;
}

static inline int pipe_push(struct scan *s, uint32_t kind, uint64_t id, uint64_t cls, uint32_t len,
			    hs_error *err)
{
	struct scan_pipe *p = s->pipe;
	struct prec *r = &p->cur[p->ncur++];
	r->id = id;
	r->cls = cls;
	r->len = len;
	r->kind = kind;
	return p->ncur == PIPE_BATCH ? pipe_flush(p, 0, err) : 0;
}

/* Before a record this thread keeps: the second thread has done all
 * before it.  After too many waits, this thread goes on alone. */
static int pipe_settle(struct scan *s, hs_error *err)
{
	struct scan_pipe *p = s->pipe;
	int rc;
	if (!p)
		return 0;
	if (!p->ncur && p->head == p->settled)
		return 0;
	rc = pipe_flush(p, 1, err);
	p->settled = p->head;
	if (rc == 0 && ++p->settles >= PIPE_MAX_SETTLES)
		s->pipe = NULL;   /* idle from here on; pipe_stop ends it */
	return rc;
}

static int pipe_start(struct scan *s)
{
	struct scan_pipe *p = calloc(1, sizeof(*p));
	unsigned i;
	if (!p)
		return -1;
	for (i = 0; i < PIPE_NBUF; i++)
		if (!(p->buf[i] = malloc(sizeof(struct prec) * PIPE_BATCH)))
			goto fail;
	hs_error_clear(&p->err);
	p->cur = p->buf[0];
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->work, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	if (pthread_cond_init(&p->room, NULL) != 0) {
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	s->pipe = s->pipe_owned = p;
	if (pthread_create(&p->th, NULL, pipe_main, s) != 0) {
		s->pipe = s->pipe_owned = NULL;
		pthread_cond_destroy(&p->room);
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return 0;
fail:
	for (i = 0; i < PIPE_NBUF; i++)
		free(p->buf[i]);
	free(p);
	return -1;
}

/* The rest of the records done, the second thread ended.  Returns its
 * error (copied to err) or 0. */
static int pipe_stop(struct scan *s, hs_error *err)
{
	struct scan_pipe *p = s->pipe_owned;
	int rc;
	unsigned i;
	if (!p)
		return 0;
	rc = pipe_flush(p, 1, err);
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	for (i = 0; i < PIPE_NBUF; i++)
		free(p->buf[i]);
	free(p);
	s->pipe = s->pipe_owned = NULL;
	return rc;
}

/* ---- object callbacks: here, or to the second thread ------------------ */

static void v_checkpoint(void *ctx, uint64_t offset, uint64_t seg_left)
{
	struct scan *s = ctx;
	hs_error e;
	if (!s->pipe) {
		do_checkpoint(s, offset, seg_left);
		return;
	}
	/* an error of the second thread stops the read at the next object */
	hs_error_clear(&e);
	(void)pipe_push(s, PREC_CHECKPOINT, offset, seg_left, 0, &e);
}

static int v_instance(void *ctx, uint64_t id, uint64_t class_id, const unsigned char *data,
		      uint32_t len, hs_error *err)
{
	struct scan *s = ctx;
	(void)data;
	if (s->pipe)
		return pipe_push(s, PREC_INSTANCE, id, class_id, len, err);
	return do_instance(s, id, class_id, len, err);
}

static int v_obj_array(void *ctx, const hs_obj_array *a, hs_error *err)
{
	struct scan *s = ctx;
	if (a->first != 0)
		return 0;
	if (s->pipe)
		return pipe_push(s, PREC_OBJ_ARRAY, a->id, a->class_id, a->length, err);
	return do_obj_array(s, a->id, a->class_id, a->length, err);
}

static int v_prim_array(void *ctx, uint64_t id, uint8_t type, uint32_t length, hs_error *err)
{
	struct scan *s = ctx;
	if (s->pipe)
		return pipe_push(s, PREC_PRIM_ARRAY, id, type, length, err);
	return do_prim_array(s, id, type, length, err);
}

static void v_progress(void *ctx, uint64_t done, uint64_t raw_done, uint64_t raw_total)
{
	struct scan *s = ctx;
	(void)done;
	if (s->d->opts.progress)
		s->d->opts.progress(s->d->opts.progress_ctx, "reading", raw_done, raw_total);
}

/* ---- names ---------------------------------------------------------- */

/* "java/lang/String" -> "java.lang.String"; "[[I" -> "int[][]";
 * "[Ljava/lang/Object;" -> "java.lang.Object[]". */
static char *java_name(hs_arena *ar, const char *vm)
{
	size_t dims = 0, n, i;
	const char *base;
	char *out, *p;
	static const struct { char c; const char *n; } prim[] = {
		{ 'Z', "boolean" }, { 'B', "byte" }, { 'C', "char" }, { 'S', "short" },
		{ 'I', "int" }, { 'J', "long" }, { 'F', "float" }, { 'D', "double" } };

	while (vm[dims] == '[')
		dims++;
	base = vm + dims;
	n = strlen(base);
	if (dims > 0) {
		if (base[0] == 'L' && n >= 2 && base[n - 1] == ';') {
			base++;
			n -= 2;
		} else if (n == 1) {
			for (i = 0; i < sizeof(prim) / sizeof(prim[0]); i++)
				if (prim[i].c == base[0]) {
					base = prim[i].n;
					n = strlen(base);
					break;
				}
		}
	}
	out = hs_arena_alloc(ar, n + 2 * dims + 1);
	if (!out)
		return NULL;
	memcpy(out, base, n);
	for (i = 0; i < n; i++)
		if (out[i] == '/')
			out[i] = '.';
	p = out + n;
	for (i = 0; i < dims; i++) {
		*p++ = '[';
		*p++ = ']';
	}
	*p = '\0';
	return out;
}

static const char *prim_names[12] = {
	[HS_T_BOOLEAN] = "boolean[]", [HS_T_CHAR] = "char[]", [HS_T_FLOAT] = "float[]",
	[HS_T_DOUBLE] = "double[]", [HS_T_BYTE] = "byte[]", [HS_T_SHORT] = "short[]",
	[HS_T_INT] = "int[]", [HS_T_LONG] = "long[]" };

static int finish(struct scan *s, hs_error *err)
{
	hs_dump *d = s->d;
	uint32_t i, ref_ci = HS_NONE;
	int t;

	/* names and kinds */
	for (i = 0; i < d->nclasses; i++) {
		hs_class *k = &d->classes[i];
		PWord_t pv;
		if (!k->id && k->name)
			continue;   /* the unknown classes */
		if (k->kind == HS_CLASS_PRIM_ARRAY && !k->id) {
			k->name = prim_names[k->elem_type];
			continue;
		}
		JLG(pv, d->load_names, k->id);
		if (pv) {
			const char *vm = hs_dump_string(d, *pv);
			if (vm) {
				k->name = java_name(&d->arena, vm);
				if (!k->name)
					return hs_error_oom(err, NULL);
			}
		}
		if (!k->name) {
			char buf[64];
			snprintf(buf, sizeof(buf), "<unknown class 0x%llx>", (unsigned long long)k->id);
			k->name = hs_arena_strndup(&d->arena, buf, strlen(buf));
			if (!k->name)
				return hs_error_oom(err, NULL);
		}
		if (k->kind == HS_CLASS_INSTANCE && strchr(k->name, '[') &&
		    k->name[strlen(k->name) - 1] == ']')
			k->kind = HS_CLASS_OBJ_ARRAY;
	}
	/* primitive array classes: a real class record named "int[]" takes over
	 * the synthetic one so that class ids resolve */
	for (t = 0; t < 12; t++) {
		uint32_t syn = d->prim_class[t], real;
		if (!prim_names[t])
			continue;
		real = HS_NONE;
		for (i = 0; i < d->nclasses; i++)
			if (d->classes[i].id && d->classes[i].name &&
			    strcmp(d->classes[i].name, prim_names[t]) == 0) {
				real = i;
				break;
			}
		if (real == HS_NONE)
			continue;
		d->classes[real].kind = HS_CLASS_PRIM_ARRAY;
		d->classes[real].elem_type = (uint8_t)t;
		if (syn != HS_NONE) {
			hs_class_acc *sa = &d->acc[syn], *ra = &d->acc[real];
			d->classes[real].instances += d->classes[syn].instances;
			d->classes[syn].instances = 0;
			ra->sum_len += sa->sum_len;
			sa->sum_len = 0;
			if (sa->mod) {
				if (!ra->mod) {
					ra->mod = sa->mod;
					sa->mod = NULL;
				} else {
					unsigned m;
					for (m = 0; m < 64; m++)
						ra->mod[m] += sa->mod[m];
					memset(sa->mod, 0, 64 * sizeof(uint32_t));
				}
			}
			d->classes[syn].name = "<merged>";
		}
		d->prim_class[t] = real;
	}
	/* superclasses and sizes of all classes */
	for (i = 0; i < d->nclasses; i++) {
		hs_class *k = &d->classes[i];
		if (k->has_dump && k->super == HS_NONE && k->super_id) {
			PWord_t pv;
			JLG(pv, d->class_ix, k->super_id);
			if (pv)
				link_super(d, i, (uint32_t)(*pv - 1));
		}
	}
	hs_layout_detect_jdk5(d);
	for (i = 0; i < d->nclasses; i++) {
		hs_class *k = &d->classes[i];
		uint32_t j = i;
		int guard = 0;
		hs_layout_class_sizes(d, i);
		k->dump_size = 0;
		while (j != HS_NONE && guard++ < 256) {
			k->dump_size += d->classes[j].field_bytes;
			j = d->classes[j].super;
		}
		if (strcmp(k->name, "java.lang.ref.Reference") == 0)
			ref_ci = i;
		if (strcmp(k->name, "java.lang.Class") == 0 && k->id)
			d->java_lang_class = i;
	}
	if (ref_ci != HS_NONE) {
		for (i = 0; i < d->nclasses; i++) {
			uint32_t j = i;
			int guard = 0;
			while (j != HS_NONE && guard++ < 256) {
				if (j == ref_ci) {
					d->classes[i].is_reference = 1;
					break;
				}
				j = d->classes[j].super;
			}
		}
	}
	hs_layout_choose(d, s->violations, s->pairs, s->id_or);

	/* class objects: counted as java.lang.Class instances (as jcmd and MAT
	 * do), each the size of a java.lang.Class instance plus its statics */
	d->info.class_shallow_total = 0;
	{
		unsigned csize = d->java_lang_class != HS_NONE ? d->classes[d->java_lang_class].inst_size
				 : d->info.layout.header;
		uint64_t mirrors = 0;
		for (i = 0; i < d->nclasses; i++) {
			hs_class *k = &d->classes[i];
			if (!k->has_dump || d->acc[i].mirror_dup)
				continue;
			k->mirror_size = hs_layout_mirror_size(d, k, csize);
			d->info.class_shallow_total += k->mirror_size;
			mirrors++;
		}
		if (d->java_lang_class != HS_NONE) {
			hs_class *jc = &d->classes[d->java_lang_class];
			jc->instances += mirrors;
			jc->shallow += d->info.class_shallow_total;
		}
	}
	/* thread names from START_THREAD (hprof agent) */
	for (i = 0; i < d->nthreads; i++) {
		PWord_t pv;
		JLG(pv, d->thread_names, d->threads[i].serial);
		if (pv)
			d->threads[i].name = hs_dump_string(d, *pv);
	}
	return 0;
}

void hs_dump_progress(const hs_dump *d, const char *phase, uint64_t done, uint64_t total)
{
	if (!d)
		return;
	/* the current phase is bookkeeping, not the dump's content: a
	 * nested phase (a re-read inside suspects) hands it back after */
	((hs_dump *)d)->phase = phase;
	if (d->opts.progress)
		d->opts.progress(d->opts.progress_ctx, phase, done, total);
}

uint64_t hs_default_max_memory(void) { return hs_mem_default_budget(); }
uint64_t hs_memory_available(void) { return hs_mem_available(); }

void hs_dump_memory(const hs_dump *d, uint64_t *in_memory_peak, uint64_t *spilled_peak, uint64_t *spills)
{
	*in_memory_peak = d->mem.peak;
	*spilled_peak = d->mem.spilled_peak;
	*spills = d->mem.spills;
}

void hs_dump_memory_moves(const hs_dump *d, uint64_t *reused, uint64_t *moved, uint64_t *moved_bytes)
{
	*reused = d->mem.reused;
	*moved = d->mem.moved;
	*moved_bytes = d->mem.moved_bytes;
}

const char *hs_dump_phase(const hs_dump *d)
{
	return d->phase;
}

int hs_dump__changed(hs_error *err, uint64_t offset)
{
	return hs_error_set(err, HS_ECHANGED, offset, "%s", hs_strerror(HS_ECHANGED));
}

/* Through the dump's own source: reopening the path would not work for
 * standard input, which was spooled once. */
int hs_dump__reread(const hs_dump *d, const hs_hprof_visitor *v, hs_error *err)
{
	hs_hprof_opts ho;
	hs_hprof_stats *st;
	hs_error e2;
	int rc;

	rc = hs_src_rewind(d->src, err);
	if (rc < 0)
		return rc;
	st = malloc(sizeof(*st));
	if (!st)
		return hs_error_oom(err, NULL);
	memset(&ho, 0, sizeof(ho));
	ho.dump_index = d->opts.dump_index;
	ho.stop_after_dump = 1;
	ho.expect = &d->header;
	rc = hs_hprof_read(d->src, &ho, v, st, err);
	if (rc < 0 && rc != HS_ENOMEM && rc != HS_ECHANGED && hs_src_check(d->src, &e2) == HS_ECHANGED)
		rc = hs_dump__changed(err, err->offset);   /* what the change made of the file */
	if (rc == HS_ETRUNC && d->info.truncated) {
		hs_error_clear(err);   /* analysed up to the cut, as the scan was */
		rc = 0;
	} else if (rc == HS_ETRUNC || rc == HS_EFORMAT || rc == HS_ELIMIT) {
		/* the scan read these bytes without this error */
		rc = hs_dump__changed(err, err->offset);
	}
	if (rc == 0 && memcmp(st->subrecords, d->info.subrecords, sizeof(st->subrecords)) != 0)
		rc = hs_dump__changed(err, HS_NO_OFFSET);
	if (rc == 0)
		rc = hs_src_check(d->src, err);
	free(st);
	return rc;
}

/* The spans of a plain dump (fetch.c), checked as a whole re-read is:
 * the file must be the one the scan read, and an error the scan did not
 * meet in these bytes means it changed. */
int hs_dump__reread_spans(const hs_dump *d, hs_src *src, const hs_hprof_span *spans, size_t n,
			  const hs_hprof_visitor *v, hs_hprof_stats *stats, hs_error *err)
{
	hs_error e2;
	int rc;
	if (!src)
		src = d->src;
	rc = hs_src_check(src, err);
	if (rc < 0)
		return rc;
	rc = hs_hprof_read_spans(src, d->info.idsize, spans, n, v, stats, err);
	if (rc < 0 && rc != HS_ENOMEM && rc != HS_ECHANGED && hs_src_check(src, &e2) == HS_ECHANGED)
		rc = hs_dump__changed(err, err->offset);
	if (rc == HS_ETRUNC && d->info.truncated) {
		hs_error_clear(err);   /* read up to the cut, as the scan was */
		rc = 0;
	} else if (rc == HS_ETRUNC || rc == HS_EFORMAT || rc == HS_ELIMIT) {
		rc = hs_dump__changed(err, err->offset);
	}
	if (rc == 0)
		rc = hs_src_check(src, err);
	return rc;
}

int hs_dump_open(hs_dump **out, const char *path, const hs_open_opts *opts, hs_error *err)
{
	hs_src *src;
	int rc;
	*out = NULL;
	rc = hs_src_open_in(&src, path, HS_SRC_REWIND, opts ? opts->tmpdir : NULL, err);
	if (rc < 0)
		return rc;
	return hs_dump_open_src(out, src, path, opts, err);
}

int hs_dump_open_src(hs_dump **out, hs_src *src, const char *path, const hs_open_opts *opts, hs_error *err)
{
	static const hs_open_opts defaults;
	hs_dump *d;
	hs_hprof_visitor v;
	hs_hprof_opts ho;
	hs_hprof_stats *st = NULL;
	struct scan s;
	int rc, t;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	st = calloc(1, sizeof(*st));
	if (!d || !st || !(d->path = strdup(path))) {
		free(d);
		free(st);
		hs_src_free(src);
		return hs_error_oom(err, NULL);
	}
	d->opts = opts ? *opts : defaults;
	d->info.path = d->path;
	if (hs_mem_init(&d->mem, d->opts.max_memory, d->opts.tmpdir) < 0) {
		rc = hs_error_oom(err, NULL);
		goto fail;
	}
	d->opts.tmpdir = NULL;   /* the copy in mem is the one kept */
	d->java_lang_class = HS_NONE;
	for (t = 0; t < 12; t++)
		d->prim_class[t] = HS_NONE;
	d->unknown_class[0] = d->unknown_class[1] = HS_NONE;
	hs_error_clear(err);
	if (d->opts.build_ids) {
		d->ids = malloc(sizeof(*d->ids));
		if (!d->ids) {
			rc = hs_error_oom(err, NULL);
			goto fail;
		}
		hs_idmap_init(d->ids);
	}
	if (d->opts.threads >= 2)
		hs_src_set_readahead(src, 1);
	d->info.file_size = hs_src_file_size(src);
	d->info.compression = (int)hs_src_compression(src);

	memset(&s, 0, sizeof(s));
	s.d = d;
	array_tables(&s);
	memset(&v, 0, sizeof(v));
	v.ctx = &s;
	v.header = v_header;
	v.string = v_string;
	v.load_class = v_load_class;
	v.frame = v_frame;
	v.trace = v_trace;
	v.start_thread = v_start_thread;
	v.root = v_root;
	v.class_dump = v_class_dump;
	v.instance = v_instance;
	v.obj_array = v_obj_array;
	v.prim_array = v_prim_array;
	v.progress = v_progress;
	memset(&ho, 0, sizeof(ho));
	ho.dump_index = d->opts.dump_index;
	if (d->ids && hs_src_can_seek(src)) {
		/* where to come back to read a few objects again (fetch.c) */
		v.checkpoint = v_checkpoint;
		ho.checkpoint_step = HS_CHECKPOINT_STEP;
	}
	hs_dump_progress(d, "reading", 0, d->info.file_size);
	/* a plain dump: the second thread takes the object records, and this
	 * one reads as it parses (three threads on two cores were slower); a
	 * compressed one: the second thread reads and decompresses */
	d->info.scan_threads = 1;
	if (d->opts.threads >= 2 && hs_src_compression(src) == HS_COMP_NONE &&
	    !getenv("HEAPSCAN_ONE_READER") && pipe_start(&s) == 0) {
		d->info.scan_threads = 2;
		hs_src_set_readahead(src, 0);
	}
	rc = hs_hprof_read(src, &ho, &v, st, err);
	{
		int prc = pipe_stop(&s, err);   /* its error came first */
		if (prc < 0)
			rc = prc;
	}
	if (d->opts.threads >= 2)
		hs_src_set_readahead(src, 1);   /* for the passes after */
	if (rc == 0 && s.cp_failed)
		rc = hs_error_oom(err, NULL);
	/* a file written while it was read: say so rather than what its
	 * bytes looked like (a truncation, a bad record) */
	if (rc != HS_ENOMEM) {
		hs_error e2;
		if (hs_src_check(src, &e2) == HS_ECHANGED)
			rc = hs_dump__changed(err, rc < 0 ? err->offset : HS_NO_OFFSET);
	}
	d->info.bytes = st->bytes;
	d->info.heap_dumps = st->heap_dumps;
	d->info.dump_index = d->opts.dump_index;
	memcpy(d->info.records, st->records, sizeof(st->records));
	memcpy(d->info.subrecords, st->subrecords, sizeof(st->subrecords));
	if (rc == HS_ETRUNC && !d->opts.strict) {
		d->info.truncated = 1;
		d->info.trunc_error = *err;
		hs_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		goto fail;
	if (d->info.heap_dumps == 0 && d->info.truncated) {
		/* what is wrong is the cut, not the kind of file */
		rc = hs_error_set(err, HS_ETRUNC, d->info.trunc_error.offset,
				  "the dump is cut short before its first heap dump (%s)", d->info.trunc_error.msg);
		goto fail;
	}
	if (d->info.heap_dumps == 0) {
		rc = hs_error_set(err, HS_EFORMAT, st->bytes,
				  "the file ends before any heap dump record: it is cut short, or holds no heap dump");
		goto fail;
	}
	if (d->opts.dump_index >= d->info.heap_dumps) {
		rc = hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				  "no heap dump #%u: the file holds %u", d->opts.dump_index + 1,
				  d->info.heap_dumps);
		goto fail;
	}
	rc = finish(&s, err);
	if (rc < 0)
		goto fail;
	d->src = src;   /* kept for later passes */
	free(st);
	*out = d;
	return 0;
fail:
	hs_src_free(src);
	free(st);
	hs_dump_free(d);
	return rc;
}

void hs_dump_free(hs_dump *d)
{
	Word_t w;
	uint32_t i;
	unsigned c;
	if (!d)
		return;
	for (i = 0; i < d->nclasses; i++) {
		free(d->acc[i].mod);
		for (c = 0; c < HS_NCAND; c++)
			free(d->acc[i].occ[c]);
	}
	hs_src_free(d->src);
	hs_mem_release(&d->mem);
	free(d->cps);
	free(d->classes);
	free(d->acc);
	if (d->ids) {
		hs_idmap_release(d->ids);
		free(d->ids);
	}
	free(d->roots);
	free(d->root_slots);
	free(d->threads);
	JLFA(w, d->strings);
	JLFA(w, d->load_names);
	JLFA(w, d->serial_class);
	JLFA(w, d->class_ix);
	JLFA(w, d->thread_names);
	JLFA(w, d->traces);
	JLFA(w, d->frames);
	J1FA(w, d->unknown_ids);
	(void)w;
	hs_arena_release(&d->arena);
	free(d->path);
	free(d);
}

const hs_dump_info *hs_dump_get_info(const hs_dump *d) { return &d->info; }
uint32_t hs_dump_class_count(const hs_dump *d) { return d->nclasses; }
const hs_class *hs_dump_class(const hs_dump *d, uint32_t i) { return &d->classes[i]; }
const char *hs_dump_path(const hs_dump *d) { return d->path; }

uint32_t hs_dump_class_by_id(const hs_dump *d, uint64_t id)
{
	PWord_t pv;
	JLG(pv, d->class_ix, id);
	return pv ? (uint32_t)(*pv - 1) : HS_NONE;
}

uint32_t hs_dump_class_by_name(const hs_dump *d, const char *name)
{
	uint32_t i;
	for (i = 0; i < d->nclasses; i++)
		if (d->classes[i].name && strcmp(d->classes[i].name, name) == 0)
			return i;
	return HS_NONE;
}

uint32_t hs_dump_prim_array_class(const hs_dump *d, int type)
{
	return type >= 0 && type < 12 ? d->prim_class[type] : HS_NONE;
}

const char *hs_dump_string(const hs_dump *d, uint64_t id)
{
	PWord_t pv;
	JLG(pv, d->strings, id);
	return pv ? (const char *)*pv : NULL;
}

uint64_t hs_dump_array_size(const hs_dump *d, uint32_t cls, uint64_t length)
{
	const hs_layout *l = &d->info.layout;
	const hs_class *k = &d->classes[cls];
	unsigned es, base;
	if (k->kind == HS_CLASS_OBJ_ARRAY) {
		es = l->ref;
		base = l->array_header_ref;
	} else {
		es = hs_type_size(k->elem_type, 8);
		base = es == 8 ? l->array_header_long : l->array_header;
	}
	return (base + length * es + l->align - 1) / l->align * l->align;
}

const hs_root *hs_dump_roots(const hs_dump *d, uint64_t *count)
{
	*count = d->nroots;
	return d->roots;
}

const hs_thread_info *hs_dump_threads(const hs_dump *d, uint32_t *count)
{
	*count = d->nthreads;
	return d->threads;
}

const uint64_t *hs_dump_trace(const hs_dump *d, uint32_t serial, uint32_t *nframes)
{
	PWord_t pv;
	JLG(pv, d->traces, serial);
	if (!pv) {
		*nframes = 0;
		return NULL;
	}
	*nframes = ((hs_trace_rec *)*pv)->nframes;
	return ((hs_trace_rec *)*pv)->frames;
}

const hs_frame *hs_dump_frame(const hs_dump *d, uint64_t id)
{
	PWord_t pv;
	JLG(pv, d->frames, id);
	return pv ? (const hs_frame *)*pv : NULL;
}

const char *hs_dump_class_name_by_serial(const hs_dump *d, uint32_t serial)
{
	PWord_t pv;
	uint32_t ci;
	JLG(pv, d->serial_class, serial);
	if (!pv)
		return NULL;
	ci = hs_dump_class_by_id(d, *pv);
	return ci == HS_NONE ? NULL : d->classes[ci].name;
}
