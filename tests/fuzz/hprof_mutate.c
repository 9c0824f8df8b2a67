/*
 * hprof_mutate.c - the structure-aware HPROF mutator (see hprof_mutate.h).
 *
 * Model: the input stays where it is; records and sub-records point into
 * it, and one that a mutation changes gets a malloc'd copy of its own.  A
 * run of HEAP_DUMP_SEGMENTs is joined into one malloc'd stream when
 * parsed, and written back cut at the segment lengths read (the last
 * segment taking what is left), so an unchanged dump is written back byte
 * for byte.
 *
 * The indexes (ids of objects, classes and strings, serials, class dumps
 * by id) are rebuilt before each mutation, since the one before may have
 * moved things; every offset a mutation uses is checked against the
 * sub-record it points into, whatever the bytes say.
 */
#include <stdlib.h>
#include <string.h>

#include "hprof_mutate.h"

enum {
	T_STRING = 0x01, T_LOAD_CLASS = 0x02, T_FRAME = 0x04, T_TRACE = 0x05,
	T_START_THREAD = 0x0a, T_HEAP_DUMP = 0x0c, T_SEGMENT = 0x1c, T_END = 0x2c
};

enum {
	S_UNKNOWN = 0xff, S_JNI_GLOBAL = 0x01, S_JNI_LOCAL = 0x02, S_JAVA_FRAME = 0x03,
	S_NATIVE_STACK = 0x04, S_STICKY_CLASS = 0x05, S_THREAD_BLOCK = 0x06,
	S_MONITOR_USED = 0x07, S_THREAD_OBJECT = 0x08, S_CLASS_DUMP = 0x20,
	S_INSTANCE = 0x21, S_OBJ_ARRAY = 0x22, S_PRIM_ARRAY = 0x23,
	S_INTERNED = 0x89, S_FINALIZING = 0x8a, S_DEBUGGER = 0x8b, S_REF_CLEANUP = 0x8c,
	S_VM_INTERNAL = 0x8d, S_JNI_MONITOR = 0x8e, S_UNREACHABLE = 0x90,
	S_PRIM_NODATA = 0xc3, S_HEAP_INFO = 0xfe
};

enum { TY_OBJECT = 2 };

/* Bytes of a record or sub-record: borrowed from the input, or ours. */
struct bytes {
	const unsigned char *p;
	size_t len;
	unsigned char *own;
};

struct seg {
	uint32_t len, time;
};

struct rec {
	uint8_t tag;
	uint32_t time;
	struct bytes body;         /* records other than heap dumps */
	int heap;                  /* a HEAP_DUMP, or a run of HEAP_DUMP_SEGMENTs */
	struct bytes *subs;
	size_t nsubs, subs_cap;
	const unsigned char *rest; /* the unparsed end of the heap stream */
	size_t rest_len;
	unsigned char *stream;     /* the segments joined (ours), or NULL */
	struct seg *segs;          /* as read, or as a mutation cut them */
	size_t nsegs;
};

struct where {
	uint64_t id;
	size_t rec, sub;
};

struct hm_dump {
	const unsigned char *in;
	size_t len;
	size_t header_len;         /* 0: no HPROF header, all of in is raw */
	unsigned idsize;
	struct rec *recs;
	size_t nrecs, recs_cap;
	size_t tail;               /* in[tail..len) was not parsed */
	/* indexes (reindex()) */
	uint64_t *objs, *classes, *strings;
	size_t nobjs, nclasses, nstrings, objs_cap, classes_cap, strings_cap;
	uint32_t *serials;
	size_t nserials, serials_cap;
	struct where *cls;         /* class dumps by id */
	size_t ncls, cls_cap;
	size_t total_subs;
	uint64_t max_id;
	uint64_t rng;
	const char *op;
};

/* ---- bytes ----------------------------------------------------------- */

static uint32_t get_u4(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static unsigned get_u2(const unsigned char *p)
{
	return (unsigned)(p[0] << 8 | p[1]);
}

static uint64_t get_id(const unsigned char *p, unsigned id)
{
	return id == 8 ? (uint64_t)get_u4(p) << 32 | get_u4(p + 4) : get_u4(p);
}

static void put_u4(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void put_u2(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put_id(unsigned char *p, uint64_t v, unsigned id)
{
	if (id == 8) {
		put_u4(p, (uint32_t)(v >> 32));
		put_u4(p + 4, (uint32_t)v);
	} else {
		put_u4(p, (uint32_t)v);
	}
}

/* Bytes of v, big-endian, in n bytes (1, 2, 4 or 8). */
static void put_n(unsigned char *p, uint64_t v, unsigned n)
{
	unsigned i;
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

static unsigned type_size(unsigned t, unsigned id)
{
	switch (t) {
	case TY_OBJECT: return id;
	case 4: case 8: return 1;
	case 5: case 9: return 2;
	case 6: case 10: return 4;
	case 7: case 11: return 8;
	}
	return 0;
}

/*
 * Replace the bytes [at, at + del) of b with ins new bytes, which the
 * caller fills in.  Returns where they go (b is ours from then on), or
 * NULL when out of memory (b unchanged).  ins == del == 0 just makes b
 * writable.
 */
static unsigned char *splice(struct bytes *b, size_t at, size_t del, size_t ins)
{
	size_t n = b->len - del + ins;
	unsigned char *p;
	if (at > b->len || del > b->len - at)
		return NULL;
	p = malloc(n ? n : 1);
	if (!p)
		return NULL;
	if (at)
		memcpy(p, b->p, at);
	if (b->len - at - del)
		memcpy(p + at + ins, b->p + at + del, b->len - at - del);
	free(b->own);
	b->own = p;
	b->p = p;
	b->len = n;
	return p + at;
}

static void bytes_free(struct bytes *b)
{
	free(b->own);
	b->own = NULL;
}

/* ---- parsing --------------------------------------------------------- */

/* Where the parts of a CLASS_DUMP are. */
struct cd {
	uint64_t id, super;
	size_t cp, st, fl;         /* offsets of the counts of the constant
	                              pool, the statics and the fields */
	size_t end;                /* the sub-record's size */
	unsigned ncp, nst, nfl;
};

#define CD_SUPER(id) (1 + (id) + 4)
#define CD_LOADER(id) (1 + 2 * (id) + 4)
#define CD_ISIZE(id) (1 + 7 * (id) + 4)

static int class_parse(const unsigned char *p, size_t n, unsigned id, struct cd *c)
{
	size_t q = 1 + 7 * (size_t)id + 8;
	unsigned i;
	if (n < q + 2)
		return -1;
	c->id = get_id(p + 1, id);
	c->super = get_id(p + CD_SUPER(id), id);
	c->cp = q;
	c->ncp = get_u2(p + q);
	q += 2;
	for (i = 0; i < c->ncp; i++) {
		unsigned ts;
		if (n < q + 3 || !(ts = type_size(p[q + 2], id)))
			return -1;
		q += 3 + ts;
	}
	if (n < q + 2)
		return -1;
	c->st = q;
	c->nst = get_u2(p + q);
	q += 2;
	for (i = 0; i < c->nst; i++) {
		unsigned ts;
		if (n < q + id + 1 || !(ts = type_size(p[q + id], id)))
			return -1;
		q += id + 1 + ts;
	}
	if (n < q + 2)
		return -1;
	c->fl = q;
	c->nfl = get_u2(p + q);
	q += 2;
	for (i = 0; i < c->nfl; i++) {
		if (n < q + id + 1 || !type_size(p[q + id], id))
			return -1;
		q += id + 1;
	}
	if (q > n)
		return -1;
	c->end = q;
	return 0;
}

/* Offset of static i of a parsed class dump (i == nst: just after them). */
static size_t static_at(const unsigned char *p, const struct cd *c, unsigned id, unsigned i)
{
	size_t q = c->st + 2;
	unsigned k;
	for (k = 0; k < i; k++)
		q += id + 1 + type_size(p[q + id], id);
	return q;
}

#define INST_CLASS(id) (1 + (id) + 4)
#define INST_LEN(id) (1 + 2 * (id) + 4)
#define INST_DATA(id) (1 + 2 * (id) + 8)
#define OARR_LEN(id) (1 + (id) + 4)
#define OARR_CLASS(id) (1 + (id) + 8)
#define OARR_DATA(id) (1 + 2 * (id) + 8)
#define PARR_LEN(id) (1 + (id) + 4)
#define PARR_TYPE(id) (1 + (id) + 8)
#define PARR_DATA(id) (1 + (id) + 9)

/* Size of the sub-record at p (tag included), 0 when its tag is unknown
 * or it runs past n. */
static size_t sub_size(const unsigned char *p, size_t n, unsigned id)
{
	size_t k;
	switch (p[0]) {
	case S_UNKNOWN: case S_STICKY_CLASS: case S_MONITOR_USED: case S_INTERNED:
	case S_FINALIZING: case S_DEBUGGER: case S_REF_CLEANUP: case S_VM_INTERNAL:
	case S_UNREACHABLE:
		k = 1 + id;
		break;
	case S_JNI_GLOBAL: k = 1 + 2 * id; break;
	case S_JNI_LOCAL: case S_JAVA_FRAME: case S_THREAD_OBJECT: case S_JNI_MONITOR:
		k = 1 + id + 8;
		break;
	case S_NATIVE_STACK: case S_THREAD_BLOCK: k = 1 + id + 4; break;
	case S_HEAP_INFO: k = 1 + 4 + id; break;
	case S_PRIM_NODATA: k = 1 + id + 9; break;
	case S_INSTANCE:
		if (n < INST_DATA(id))
			return 0;
		k = INST_DATA(id) + (size_t)get_u4(p + INST_LEN(id));
		break;
	case S_OBJ_ARRAY:
		if (n < OARR_DATA(id))
			return 0;
		k = OARR_DATA(id) + (size_t)get_u4(p + OARR_LEN(id)) * id;
		break;
	case S_PRIM_ARRAY: {
		unsigned ts;
		if (n < PARR_DATA(id))
			return 0;
		ts = type_size(p[PARR_TYPE(id)], id);
		if (!ts || p[PARR_TYPE(id)] == TY_OBJECT)
			return 0;
		k = PARR_DATA(id) + (size_t)get_u4(p + PARR_LEN(id)) * ts;
		break;
	}
	case S_CLASS_DUMP: {
		struct cd c;
		if (class_parse(p, n, id, &c) < 0)
			return 0;
		k = c.end;
		break;
	}
	default:
		return 0;
	}
	return k <= n ? k : 0;
}

static struct rec *new_rec(hm_dump *m, size_t at)
{
	if (m->nrecs == m->recs_cap) {
		size_t cap = m->recs_cap ? 2 * m->recs_cap : 64;
		struct rec *nr = realloc(m->recs, cap * sizeof(*nr));
		if (!nr)
			return NULL;
		m->recs = nr;
		m->recs_cap = cap;
	}
	memmove(m->recs + at + 1, m->recs + at, (m->nrecs - at) * sizeof(*m->recs));
	m->nrecs++;
	memset(&m->recs[at], 0, sizeof(*m->recs));
	return &m->recs[at];
}

static int sub_insert(struct rec *r, size_t at, struct bytes b)
{
	if (r->nsubs == r->subs_cap) {
		size_t cap = r->subs_cap ? 2 * r->subs_cap : 64;
		struct bytes *ns = realloc(r->subs, cap * sizeof(*ns));
		if (!ns)
			return -1;
		r->subs = ns;
		r->subs_cap = cap;
	}
	memmove(r->subs + at + 1, r->subs + at, (r->nsubs - at) * sizeof(*r->subs));
	r->subs[at] = b;
	r->nsubs++;
	return 0;
}

static void sub_remove(struct rec *r, size_t at)
{
	bytes_free(&r->subs[at]);
	memmove(r->subs + at, r->subs + at + 1, (r->nsubs - at - 1) * sizeof(*r->subs));
	r->nsubs--;
}

static int parse_subs(hm_dump *m, struct rec *r, const unsigned char *s, size_t n)
{
	size_t pos = 0;
	while (pos < n) {
		size_t k = sub_size(s + pos, n - pos, m->idsize);
		struct bytes b = { s + pos, k, NULL };
		if (!k)
			break;
		if (sub_insert(r, r->nsubs, b) < 0)
			return -1;
		pos += k;
	}
	r->rest = s + pos;
	r->rest_len = n - pos;
	return 0;
}

hm_dump *hm_parse(const uint8_t *in, size_t len)
{
	hm_dump *m = calloc(1, sizeof(*m));
	size_t n = 0, pos;
	unsigned id;
	if (!m)
		return NULL;
	m->in = in;
	m->len = len;
	m->rng = 1;
	while (n < len && n < 32 && in[n])
		n++;
	if (n != 18 || len < n + 13 || memcmp(in, "JAVA PROFILE 1.0.", 17) != 0)
		return m;
	id = get_u4(in + n + 1);
	if (id != 4 && id != 8)
		return m;
	m->idsize = id;
	m->header_len = n + 13;
	pos = m->header_len;
	while (pos + 9 <= len) {
		uint8_t tag = in[pos];
		size_t rl = get_u4(in + pos + 5);
		struct rec *r;
		if (rl > len - pos - 9)
			break;   /* cut short: raw */
		r = new_rec(m, m->nrecs);
		if (!r)
			goto oom;
		r->tag = tag;
		r->time = get_u4(in + pos + 1);
		if (tag == T_SEGMENT) {
			size_t q = pos, total = 0, k = 0, i;
			while (q + 9 <= len && in[q] == T_SEGMENT && get_u4(in + q + 5) <= len - q - 9) {
				total += get_u4(in + q + 5);
				q += 9 + get_u4(in + q + 5);
				k++;
			}
			r->heap = 1;
			r->segs = malloc(k * sizeof(*r->segs));
			r->stream = malloc(total ? total : 1);
			if (!r->segs || !r->stream)
				goto oom;
			r->nsegs = k;
			for (q = pos, total = 0, i = 0; i < k; i++) {
				uint32_t l = get_u4(in + q + 5);
				r->segs[i].len = l;
				r->segs[i].time = get_u4(in + q + 1);
				memcpy(r->stream + total, in + q + 9, l);
				total += l;
				q += 9 + l;
			}
			if (parse_subs(m, r, r->stream, total) < 0)
				goto oom;
			pos = q;
			continue;
		}
		if (tag == T_HEAP_DUMP) {
			r->heap = 1;
			r->segs = malloc(sizeof(*r->segs));
			if (!r->segs)
				goto oom;
			r->nsegs = 1;
			r->segs[0].len = (uint32_t)rl;
			r->segs[0].time = r->time;
			if (parse_subs(m, r, in + pos + 9, rl) < 0)
				goto oom;
		} else {
			r->body.p = in + pos + 9;
			r->body.len = rl;
		}
		pos += 9 + rl;
	}
	m->tail = pos;
	return m;
oom:
	hm_free(m);
	return NULL;
}

static void rec_release(struct rec *r)
{
	size_t j;
	bytes_free(&r->body);
	for (j = 0; j < r->nsubs; j++)
		bytes_free(&r->subs[j]);
	free(r->subs);
	free(r->stream);
	free(r->segs);
}

void hm_free(hm_dump *m)
{
	size_t i;
	if (!m)
		return;
	for (i = 0; i < m->nrecs; i++)
		rec_release(&m->recs[i]);
	free(m->recs);
	free(m->objs);
	free(m->classes);
	free(m->strings);
	free(m->serials);
	free(m->cls);
	free(m);
}

int hm_well_formed(const hm_dump *m)
{
	size_t i;
	if (!m->header_len || m->tail != m->len)
		return 0;
	for (i = 0; i < m->nrecs; i++)
		if (m->recs[i].heap && m->recs[i].rest_len)
			return 0;
	return 1;
}

size_t hm_subrecords(const hm_dump *m)
{
	size_t i, n = 0;
	for (i = 0; i < m->nrecs; i++)
		n += m->recs[i].nsubs;
	return n;
}

size_t hm_records(const hm_dump *m)
{
	return m->nrecs;
}

const char *hm_last_op(const hm_dump *m)
{
	return m->op ? m->op : "none";
}

/* ---- writing --------------------------------------------------------- */

static size_t heap_len(const struct rec *r)
{
	size_t j, n = r->rest_len;
	for (j = 0; j < r->nsubs; j++)
		n += r->subs[j].len;
	return n;
}

/* A cursor in a heap stream: copies its next bytes. */
struct cursor {
	const struct rec *r;
	size_t sub, off;
};

static void copy_stream(struct cursor *c, uint8_t *out, size_t k)
{
	while (k > 0 && c->sub <= c->r->nsubs) {
		const struct rec *r = c->r;
		const unsigned char *src = c->sub < r->nsubs ? r->subs[c->sub].p : r->rest;
		size_t len = c->sub < r->nsubs ? r->subs[c->sub].len : r->rest_len;
		size_t t = len - c->off < k ? len - c->off : k;
		if (out)
			memcpy(out, src + c->off, t);
		if (out)
			out += t;
		k -= t;
		c->off += t;
		if (c->off == len) {
			c->sub++;
			c->off = 0;
		}
	}
}

static void head(uint8_t *out, uint8_t tag, uint32_t time, size_t len)
{
	out[0] = tag;
	put_u4(out + 1, time);
	put_u4(out + 5, (uint32_t)len);
}

/* Write (out != NULL) or count the bytes of the dump. */
static size_t emit(const hm_dump *m, uint8_t *out)
{
	size_t o = 0, i, s;
	if (!m->header_len) {
		if (out)
			memcpy(out, m->in, m->len);
		return m->len;
	}
	if (out)
		memcpy(out, m->in, m->header_len);
	o = m->header_len;
	for (i = 0; i < m->nrecs; i++) {
		const struct rec *r = &m->recs[i];
		struct cursor c = { r, 0, 0 };
		size_t left;
		if (!r->heap) {
			if (out) {
				head(out + o, r->tag, r->time, r->body.len);
				if (r->body.len)
					memcpy(out + o + 9, r->body.p, r->body.len);
			}
			o += 9 + r->body.len;
			continue;
		}
		left = heap_len(r);
		if (r->tag == T_HEAP_DUMP || r->nsegs == 0) {
			if (out) {
				head(out + o, T_HEAP_DUMP, r->time, left);
				copy_stream(&c, out + o + 9, left);
			}
			o += 9 + left;
			continue;
		}
		for (s = 0; s < r->nsegs; s++) {
			size_t l = s + 1 == r->nsegs || r->segs[s].len > left ? left : r->segs[s].len;
			if (out) {
				head(out + o, T_SEGMENT, r->segs[s].time, l);
				copy_stream(&c, out + o + 9, l);
			}
			o += 9 + l;
			left -= l;
		}
	}
	if (out)
		memcpy(out + o, m->in + m->tail, m->len - m->tail);
	return o + (m->len - m->tail);
}

size_t hm_size(const hm_dump *m)
{
	return emit(m, NULL);
}

void hm_write(const hm_dump *m, uint8_t *out)
{
	emit(m, out);
}

/* ---- indexes --------------------------------------------------------- */

static int push64(uint64_t **a, size_t *n, size_t *cap, uint64_t v)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 256;
		uint64_t *na = realloc(*a, nc * sizeof(*na));
		if (!na)
			return -1;
		*a = na;
		*cap = nc;
	}
	(*a)[(*n)++] = v;
	return 0;
}

static int push32(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 256;
		uint32_t *na = realloc(*a, nc * sizeof(*na));
		if (!na)
			return -1;
		*a = na;
		*cap = nc;
	}
	(*a)[(*n)++] = v;
	return 0;
}

static int push_where(struct where **a, size_t *n, size_t *cap, uint64_t id, size_t rec, size_t sub)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 256;
		struct where *na = realloc(*a, nc * sizeof(*na));
		if (!na)
			return -1;
		*a = na;
		*cap = nc;
	}
	(*a)[*n].id = id;
	(*a)[*n].rec = rec;
	(*a)[*n].sub = sub;
	(*n)++;
	return 0;
}

static int by_where_id(const void *a, const void *b)
{
	uint64_t x = ((const struct where *)a)->id, y = ((const struct where *)b)->id;
	return x < y ? -1 : x > y;
}

static const struct where *find_where(const struct where *a, size_t n, uint64_t id)
{
	struct where key;
	key.id = id;
	return n ? bsearch(&key, a, n, sizeof(*a), by_where_id) : NULL;
}

static int reindex(hm_dump *m)
{
	const unsigned id = m->idsize;
	size_t i, j;
	int rc = 0;
	m->nobjs = m->nclasses = m->nstrings = m->nserials = m->ncls = m->total_subs = 0;
	m->max_id = 0;
	for (i = 0; i < m->nrecs && rc == 0; i++) {
		const struct rec *r = &m->recs[i];
		const unsigned char *b = r->body.p;
		size_t n = r->body.len;
		if (!r->heap) {
			if (r->tag == T_STRING && n >= id)
				rc = push64(&m->strings, &m->nstrings, &m->strings_cap, get_id(b, id));
			else if (r->tag == T_LOAD_CLASS && n >= 2 * id + 8)
				rc = push64(&m->classes, &m->nclasses, &m->classes_cap, get_id(b + 4, id));
			else if (r->tag == T_START_THREAD && n >= 4 * id + 8)
				rc = push32(&m->serials, &m->nserials, &m->serials_cap, get_u4(b));
			else if (r->tag == T_TRACE && n >= 12)
				rc = push32(&m->serials, &m->nserials, &m->serials_cap, get_u4(b));
			continue;
		}
		m->total_subs += r->nsubs;
		for (j = 0; j < r->nsubs && rc == 0; j++) {
			const unsigned char *p = r->subs[j].p;
			uint64_t v = r->subs[j].len > id ? get_id(p + 1, id) : 0;
			switch (p[0]) {
			case S_INSTANCE: case S_OBJ_ARRAY: case S_PRIM_ARRAY: case S_PRIM_NODATA:
				rc = push64(&m->objs, &m->nobjs, &m->objs_cap, v);
				break;
			case S_CLASS_DUMP:
				rc = push64(&m->classes, &m->nclasses, &m->classes_cap, v);
				if (rc == 0)
					rc = push_where(&m->cls, &m->ncls, &m->cls_cap, v, i, j);
				break;
			case S_THREAD_OBJECT:
				rc = push32(&m->serials, &m->nserials, &m->serials_cap, get_u4(p + 1 + id));
				break;
			default:
				continue;
			}
			if (v > m->max_id)
				m->max_id = v;
		}
	}
	if (m->ncls > 1)
		qsort(m->cls, m->ncls, sizeof(*m->cls), by_where_id);
	return rc;
}

/* The class dump of a class id, or NULL. */
static const struct bytes *class_of(const hm_dump *m, uint64_t cid)
{
	const struct where *w = find_where(m->cls, m->ncls, cid);
	return w ? &m->recs[w->rec].subs[w->sub] : NULL;
}

/*
 * The field types of an instance of class cid in dump order (the class's
 * own fields, then its superclass's, ...), at most max of them.  Returns
 * how many, or -1 when a class of the chain has no dump or the chain does
 * not end (a cycle).  *bytes gets their size in the dump.  With stop, the
 * walk ends before that class and *bytes is the offset of its fields
 * (-1 if it is not in the chain).
 */
static int chain_types(const hm_dump *m, uint64_t cid, uint64_t stop, uint8_t *types, int max, size_t *bytes)
{
	int n = 0, depth;
	*bytes = 0;
	for (depth = 0; cid && depth < 64; depth++) {
		const struct bytes *s;
		struct cd c;
		unsigned i;
		size_t q;
		if (stop && cid == stop)
			return n;
		s = class_of(m, cid);
		if (!s || class_parse(s->p, s->len, m->idsize, &c) < 0)
			return -1;
		for (i = 0, q = c.fl + 2; i < c.nfl; i++, q += m->idsize + 1) {
			*bytes += type_size(s->p[q + m->idsize], m->idsize);
			if (n < max && types)
				types[n] = s->p[q + m->idsize];
			n++;
		}
		cid = c.super;
	}
	return cid || stop ? -1 : n;
}

/* ---- random choices -------------------------------------------------- */

static uint64_t rnd(hm_dump *m)
{
	/* xorshift64* */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 0x2545F4914F6CDD1Dull;
}

static size_t below(hm_dump *m, size_t n)
{
	return n ? (size_t)(rnd(m) % n) : 0;
}

static uint64_t id_mask(const hm_dump *m)
{
	return m->idsize == 8 ? ~(uint64_t)0 : 0xffffffffu;
}

/* A fresh id, above the others, aligned as HotSpot's are. */
static uint64_t new_id(hm_dump *m)
{
	return ((m->max_id + 8 + 8 * below(m, 16)) & ~(uint64_t)7) & id_mask(m);
}

/* An id for a reference: mostly one of the dump's objects or classes. */
static uint64_t pick_id(hm_dump *m, uint64_t self)
{
	size_t k = below(m, 20);
	uint64_t v;
	if (k < 9 && m->nobjs)
		v = m->objs[below(m, m->nobjs)];
	else if (k < 12 && m->nclasses)
		v = m->classes[below(m, m->nclasses)];
	else if (k == 12 && m->nstrings)
		v = m->strings[below(m, m->nstrings)];   /* no object */
	else if (k == 13)
		v = 0;
	else if (k == 14)
		v = self;
	else if (k == 15)
		v = self + 8 * (below(m, 5) + 1);
	else if (k == 16)
		v = rnd(m);
	else if (k == 17)
		v = ~(uint64_t)0;
	else if (m->nobjs)
		v = m->objs[below(m, m->nobjs)] + below(m, 3) + 1;   /* inside an object */
	else
		v = self;
	return v & id_mask(m);
}

static uint64_t pick_class(hm_dump *m, uint64_t self)
{
	if (m->nclasses && below(m, 4))
		return m->classes[below(m, m->nclasses)];
	return pick_id(m, self);
}

static uint32_t pick_u4(hm_dump *m, uint32_t old)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 7, 8, 16, 255, 256, 65535, 65536, 0x7fffffffu, 0x80000000u,
		0xfffffffeu, 0xffffffffu
	};
	switch (below(m, 7)) {
	case 0: return v[below(m, sizeof(v) / sizeof(v[0]))];
	case 1: return old + 1;
	case 2: return old - 1;
	case 3: return m->nserials ? m->serials[below(m, m->nserials)] : old ^ 1;
	case 4: return (uint32_t)below(m, 64);
	case 5: return old ^ (1u << below(m, 32));
	default: return (uint32_t)rnd(m);
	}
}

/* A value of a primitive type of n bytes. */
static uint64_t pick_value(hm_dump *m, unsigned n)
{
	static const uint64_t v[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000u,
		0xffffffffu, 0x7fffffffffffffffull, 0x8000000000000000ull, ~(uint64_t)0,
		0x3ff0000000000000ull /* 1.0 */, 0x7ff8000000000000ull /* NaN */
	};
	if (below(m, 3))
		return v[below(m, sizeof(v) / sizeof(v[0]))];
	if (below(m, 2))
		return below(m, 100);
	return rnd(m) >> (64 - 8 * n);
}

static uint8_t pick_type(hm_dump *m, int allow_object)
{
	static const uint8_t bad[] = { 0, 1, 3, 12, 0xff };
	if (below(m, 40) == 0)
		return bad[below(m, sizeof(bad))];
	if (allow_object && below(m, 3) == 0)
		return TY_OBJECT;
	return (uint8_t)(4 + below(m, 8));
}

/* Fill n bytes with what a heap holds: ids of the dump, zeros, small
 * numbers, text. */
static void fill(hm_dump *m, unsigned char *p, size_t n, int refs)
{
	const unsigned id = m->idsize;
	size_t i = 0;
	int how = (int)below(m, 4);
	while (i < n) {
		if (refs && i + id <= n && (how == 0 || below(m, 2))) {
			put_id(p + i, pick_id(m, 0), id);
			i += id;
		} else if (how == 1) {
			p[i++] = 0;
		} else if (how == 2) {
			p[i++] = (unsigned char)("abcdefghij-0123456789 $.[L;"[below(m, 27)]);
		} else {
			p[i++] = (unsigned char)rnd(m);
		}
	}
}

/* A random sub-record whose tag is in want (0-terminated; NULL: any).
 * Returns 0 and where it is, or -1 when there is none. */
static int pick_sub(hm_dump *m, const char *want, size_t *ri, size_t *si)
{
	size_t total = m->total_subs, t, k, i, j;
	if (!total || !m->nrecs)
		return -1;
	for (t = 0; t < 48; t++) {
		k = below(m, total);
		for (i = 0; i < m->nrecs && k >= m->recs[i].nsubs; i++)
			k -= m->recs[i].nsubs;
		if (i < m->nrecs && (!want || strchr(want, m->recs[i].subs[k].p[0]))) {
			*ri = i;
			*si = k;
			return 0;
		}
	}
	/* a rare tag: the first one from a random record on */
	k = below(m, m->nrecs);
	for (t = 0; t < m->nrecs; t++) {
		i = (k + t) % m->nrecs;
		for (j = 0; j < m->recs[i].nsubs; j++)
			if (strchr(want, m->recs[i].subs[j].p[0])) {
				*ri = i;
				*si = j;
				return 0;
			}
	}
	return -1;
}

/* A random record of a tag (0: any that is no heap dump), or -1. */
static int pick_rec(hm_dump *m, int tag, size_t *ri)
{
	size_t i, n = 0, k;
	for (i = 0; i < m->nrecs; i++)
		if (!m->recs[i].heap && (!tag || m->recs[i].tag == tag))
			n++;
	if (!n)
		return -1;
	k = below(m, n);
	for (i = 0; i < m->nrecs; i++)
		if (!m->recs[i].heap && (!tag || m->recs[i].tag == tag) && k-- == 0) {
			*ri = i;
			return 0;
		}
	return -1;
}

static int pick_heap(hm_dump *m, size_t *ri)
{
	size_t i, n = 0, k;
	for (i = 0; i < m->nrecs; i++)
		n += m->recs[i].heap;
	if (!n)
		return -1;
	k = below(m, n);
	for (i = 0; i < m->nrecs; i++)
		if (m->recs[i].heap && k-- == 0) {
			*ri = i;
			return 0;
		}
	return -1;
}

#define NOMEM(p) do { if (!(p)) return -1; } while (0)

/* ---- class layout changes, carried over to the instances ------------- */

/*
 * A field of class cid (at index fi of its own fields) changes from
 * old_size to new_size bytes in every instance (new_size 0: removed;
 * old_size 0: inserted at fi): resize the instances of cid and of its
 * subclasses to match, as a dumper would have written them.  Called
 * before the class dump itself changes (the layout is read from it).
 */
static int carry_to_instances(hm_dump *m, uint64_t cid, unsigned fi, size_t old_size, size_t new_size)
{
	const unsigned id = m->idsize;
	const struct bytes *cs = class_of(m, cid);
	struct cd c;
	size_t i, j, in_class = 0, q;
	unsigned k;
	if (!cs || class_parse(cs->p, cs->len, id, &c) < 0)
		return 0;
	for (k = 0, q = c.fl + 2; k < fi && k < c.nfl; k++, q += id + 1)
		in_class += type_size(cs->p[q + id], id);
	for (i = 0; i < m->nrecs; i++) {
		struct rec *r = &m->recs[i];
		for (j = 0; j < r->nsubs; j++) {
			struct bytes *s = &r->subs[j];
			size_t before, at;
			uint32_t n;
			unsigned char *w;
			if (s->p[0] != S_INSTANCE)
				continue;
			if (chain_types(m, get_id(s->p + INST_CLASS(id), id), cid, NULL, 0, &before) < 0)
				continue;
			n = get_u4(s->p + INST_LEN(id));
			at = before + in_class;
			if (at + old_size > n)
				continue;
			w = splice(s, INST_DATA(id) + at, old_size, new_size);
			NOMEM(w);
			fill(m, w, new_size, new_size == id);
			put_u4(s->own + INST_LEN(id), (uint32_t)(n - old_size + new_size));
		}
	}
	return 0;
}

/* ---- mutations of sub-records ---------------------------------------- */

/* An id in a sub-record: the object's own, its class, a reference. */
static int op_ref(hm_dump *m)
{
	const unsigned id = m->idsize;
	size_t ri, si, at = 1;
	struct bytes *s;
	uint64_t self, v;
	unsigned char *w;
	if (pick_sub(m, NULL, &ri, &si) < 0)
		return 1;
	s = &m->recs[ri].subs[si];
	self = s->len > id ? get_id(s->p + 1, id) : 0;
	v = pick_id(m, self);
	m->op = "ref-own-id";
	switch (s->p[0]) {
	case S_CLASS_DUMP: {
		struct cd c;
		size_t k = below(m, 6);
		if (class_parse(s->p, s->len, id, &c) < 0)
			return 1;
		if (k == 1) {
			at = CD_SUPER(id);
			v = below(m, 8) ? pick_class(m, self) : below(m, 2) ? self : 0;
			m->op = "class-super";
		} else if (k == 2) {
			at = CD_LOADER(id);
			m->op = "class-loader";
		} else if (k == 3) {
			at = 1 + (2 + below(m, 5)) * id + 4;   /* signers, domain, reserved */
			m->op = "class-other-id";
		} else if (k >= 4 && c.nst) {
			unsigned i = (unsigned)below(m, c.nst);
			at = static_at(s->p, &c, id, i);
			if (s->p[at + id] != TY_OBJECT) {
				unsigned ts = type_size(s->p[at + id], id);
				NOMEM(w = splice(s, 0, 0, 0));
				put_n(w + at + id + 1, pick_value(m, ts), ts);
				m->op = "class-static-value";
				return 0;
			}
			at += id + 1;
			m->op = "class-static-ref";
		} else {
			m->op = "class-id";
		}
		break;
	}
	case S_INSTANCE: {
		size_t k = below(m, 4);
		uint32_t n = get_u4(s->p + INST_LEN(id));
		if (k == 1) {
			at = INST_CLASS(id);
			v = pick_class(m, self);
			m->op = "instance-class";
		} else if (k >= 2 && n >= id) {
			uint8_t types[256];
			size_t bytes, off = 0;
			int nt = chain_types(m, get_id(s->p + INST_CLASS(id), id), 0, types, 256, &bytes), i, nref = 0;
			at = INST_DATA(id) + below(m, n - id + 1);
			if (nt > 0 && nt <= 256 && bytes == n) {
				for (i = 0; i < nt; i++)
					nref += types[i] == TY_OBJECT;
				if (nref) {
					nref = (int)below(m, (size_t)nref);
					for (i = 0; i < nt; i++) {
						if (types[i] == TY_OBJECT && nref-- == 0)
							break;
						off += type_size(types[i], id);
					}
					at = INST_DATA(id) + off;
				}
			}
			m->op = "instance-field-ref";
		} else {
			m->op = "instance-id";
		}
		break;
	}
	case S_OBJ_ARRAY: {
		size_t k = below(m, 4);
		uint32_t n = get_u4(s->p + OARR_LEN(id));
		if (k == 1) {
			at = OARR_CLASS(id);
			v = pick_class(m, self);
			m->op = "array-class";
		} else if (k >= 2 && n) {
			size_t e, times = 1 + (below(m, 4) == 0) * below(m, 8);
			NOMEM(w = splice(s, 0, 0, 0));
			for (e = 0; e < times; e++)
				put_id(w + OARR_DATA(id) + below(m, n) * id, pick_id(m, self), id);
			m->op = "array-element";
			return 0;
		} else {
			m->op = "array-id";
		}
		break;
	}
	case S_HEAP_INFO:
		at = 1 + 4;
		v = m->nstrings && below(m, 2) ? m->strings[below(m, m->nstrings)] : v;
		m->op = "heap-info-name";
		break;
	case S_JNI_GLOBAL:
		if (below(m, 3) == 0)
			at = 1 + id;
		m->op = "root-id";
		break;
	case S_PRIM_ARRAY: case S_PRIM_NODATA:
		m->op = "prim-id";
		break;
	default:
		m->op = "root-id";
		break;
	}
	if (at + id > s->len)
		return 1;
	NOMEM(w = splice(s, 0, 0, 0));
	put_id(w + at, v, id);
	return 0;
}

static uint32_t new_count(hm_dump *m, uint32_t n, uint32_t cap)
{
	uint32_t v;
	switch (below(m, 8)) {
	case 0: v = 0; break;
	case 1: v = 1; break;
	case 2: v = n + 1; break;
	case 3: v = n ? n - 1 : 2; break;
	case 4: v = n * 2 + 1; break;
	case 5: v = n / 2; break;
	default: v = (uint32_t)below(m, 32); break;
	}
	return v > cap ? cap : v;
}

/* A count, with the data it counts: instance field bytes, array
 * elements, class fields, statics and constants. */
static int op_count(hm_dump *m)
{
	const unsigned id = m->idsize;
	size_t ri, si;
	struct bytes *s;
	unsigned char *w;
	if (pick_sub(m, "\x21\x22\x23\x20\xc3", &ri, &si) < 0)
		return 1;
	s = &m->recs[ri].subs[si];
	switch (s->p[0]) {
	case S_INSTANCE: {
		uint32_t n = get_u4(s->p + INST_LEN(id)), v;
		size_t want;
		int nt = chain_types(m, get_id(s->p + INST_CLASS(id), id), 0, NULL, 0, &want);
		if (nt >= 0 && want != n && below(m, 2))
			v = (uint32_t)want;   /* as its class says */
		else if (below(m, 2))
			v = below(m, 2) ? n + id : (n >= id ? n - id : 0);
		else
			v = new_count(m, n, 1u << 16);
		if (v > n) {
			NOMEM(w = splice(s, INST_DATA(id) + n, 0, v - n));
			fill(m, w, v - n, 1);
		} else {
			NOMEM(splice(s, INST_DATA(id) + v, n - v, 0));
		}
		put_u4(s->own + INST_LEN(id), v);
		m->op = "instance-length";
		return 0;
	}
	case S_OBJ_ARRAY: {
		uint32_t n = get_u4(s->p + OARR_LEN(id)), v = new_count(m, n, n + 4096);
		if (v > n) {
			size_t e;
			NOMEM(w = splice(s, OARR_DATA(id) + (size_t)n * id, 0, (size_t)(v - n) * id));
			for (e = 0; e < v - n; e++)
				put_id(w + e * id, below(m, 4) ? pick_id(m, 0) : 0, id);
		} else {
			NOMEM(splice(s, OARR_DATA(id) + (size_t)v * id, (size_t)(n - v) * id, 0));
		}
		put_u4(s->own + OARR_LEN(id), v);
		m->op = "array-length";
		return 0;
	}
	case S_PRIM_ARRAY: {
		uint32_t n = get_u4(s->p + PARR_LEN(id)), v = new_count(m, n, n + 4096);
		unsigned ts = type_size(s->p[PARR_TYPE(id)], id);
		if (v > n) {
			NOMEM(w = splice(s, PARR_DATA(id) + (size_t)n * ts, 0, (size_t)(v - n) * ts));
			fill(m, w, (size_t)(v - n) * ts, 0);
		} else {
			NOMEM(splice(s, PARR_DATA(id) + (size_t)v * ts, (size_t)(n - v) * ts, 0));
		}
		put_u4(s->own + PARR_LEN(id), v);
		m->op = "prim-length";
		return 0;
	}
	case S_PRIM_NODATA:
		NOMEM(w = splice(s, 0, 0, 0));
		put_u4(w + PARR_LEN(id), pick_u4(m, get_u4(s->p + PARR_LEN(id))));
		m->op = "nodata-length";
		return 0;
	case S_CLASS_DUMP: {
		struct cd c;
		size_t k = below(m, 6), at;
		if (class_parse(s->p, s->len, id, &c) < 0)
			return 1;
		if (k <= 1 && c.nfl < 65535) {
			/* a new instance field, in the instances too */
			unsigned i = (unsigned)below(m, c.nfl + 1u);
			uint8_t t = pick_type(m, 1);
			if (below(m, 5))
				NOMEM(carry_to_instances(m, c.id, i, 0, type_size(t, id)) == 0 ? s : NULL);
			at = c.fl + 2 + (size_t)i * (id + 1);
			NOMEM(w = splice(s, at, 0, id + 1));
			put_id(w, m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id);
			w[id] = t;
			put_u2(s->own + c.fl, c.nfl + 1);
			m->op = "class-add-field";
		} else if (k == 2 && c.nfl) {
			unsigned i = (unsigned)below(m, c.nfl);
			at = c.fl + 2 + (size_t)i * (id + 1);
			if (below(m, 5))
				NOMEM(carry_to_instances(m, c.id, i, type_size(s->p[at + id], id), 0) == 0 ? s : NULL);
			NOMEM(splice(s, at, id + 1, 0));
			put_u2(s->own + c.fl, c.nfl - 1);
			m->op = "class-drop-field";
		} else if (k == 3 && c.nst < 65535) {
			uint8_t t = pick_type(m, 1);
			unsigned ts = type_size(t, id);
			if (!ts)
				t = TY_OBJECT, ts = id;
			at = static_at(s->p, &c, id, (unsigned)below(m, c.nst + 1u));
			NOMEM(w = splice(s, at, 0, id + 1 + ts));
			put_id(w, m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id);
			w[id] = t;
			if (t == TY_OBJECT)
				put_id(w + id + 1, pick_id(m, c.id), id);
			else
				put_n(w + id + 1, pick_value(m, ts), ts);
			put_u2(s->own + c.st, c.nst + 1);
			m->op = "class-add-static";
		} else if (k == 4 && c.nst) {
			at = static_at(s->p, &c, id, (unsigned)below(m, c.nst));
			NOMEM(splice(s, at, id + 1 + type_size(s->p[at + id], id), 0));
			put_u2(s->own + c.st, c.nst - 1);
			m->op = "class-drop-static";
		} else if (c.ncp && below(m, 2)) {
			NOMEM(splice(s, c.cp + 2, 3 + type_size(s->p[c.cp + 4], id), 0));
			put_u2(s->own + c.cp, c.ncp - 1);
			m->op = "class-drop-constant";
		} else if (c.ncp < 65535) {
			uint8_t t = pick_type(m, 1);
			unsigned ts = type_size(t, id);
			if (!ts)
				t = 10, ts = 4;
			NOMEM(w = splice(s, c.cp + 2, 0, 3 + ts));
			put_u2(w, (unsigned)below(m, 65536));
			w[2] = t;
			put_n(w + 3, pick_value(m, ts), ts);
			put_u2(s->own + c.cp, c.ncp + 1);
			m->op = "class-add-constant";
		} else {
			return 1;
		}
		return 0;
	}
	}
	return 1;
}

/* A type: of a primitive array's elements, of a field or a static. */
static int op_type(hm_dump *m)
{
	const unsigned id = m->idsize;
	size_t ri, si;
	struct bytes *s;
	unsigned char *w;
	if (pick_sub(m, "\x23\x20\xc3", &ri, &si) < 0)
		return 1;
	s = &m->recs[ri].subs[si];
	if (s->p[0] == S_PRIM_ARRAY || s->p[0] == S_PRIM_NODATA) {
		uint32_t n = get_u4(s->p + PARR_LEN(id));
		unsigned ts = type_size(s->p[PARR_TYPE(id)], id), nts;
		uint8_t t = pick_type(m, 0);
		if (s->p[0] == S_PRIM_NODATA || !(nts = type_size(t, id)) || t == TY_OBJECT) {
			/* a type the reader must refuse, or no data to resize */
			NOMEM(w = splice(s, 0, 0, 0));
			w[PARR_TYPE(id)] = t;
		} else {
			size_t old = (size_t)n * ts, now = (size_t)n * nts;
			if (now > old) {
				NOMEM(w = splice(s, PARR_DATA(id) + old, 0, now - old));
				fill(m, w, now - old, 0);
			} else {
				NOMEM(splice(s, PARR_DATA(id) + now, old - now, 0));
			}
			s->own[PARR_TYPE(id)] = t;
		}
		m->op = "prim-type";
		return 0;
	} else {
		struct cd c;
		uint8_t t = pick_type(m, 1);
		unsigned nts = type_size(t, id);
		size_t at;
		if (class_parse(s->p, s->len, id, &c) < 0)
			return 1;
		if (c.nfl && (below(m, 3) || !c.nst)) {
			unsigned i = (unsigned)below(m, c.nfl);
			at = c.fl + 2 + (size_t)i * (id + 1);
			if (nts && below(m, 5))
				NOMEM(carry_to_instances(m, c.id, i, type_size(s->p[at + id], id), nts) == 0 ? s : NULL);
			NOMEM(w = splice(s, 0, 0, 0));
			w[at + id] = t;
			m->op = "class-field-type";
			return 0;
		}
		if (c.nst && nts) {
			unsigned ts;
			at = static_at(s->p, &c, id, (unsigned)below(m, c.nst));
			ts = type_size(s->p[at + id], id);
			NOMEM(w = splice(s, at + id + 1, ts, nts));
			if (t == TY_OBJECT)
				put_id(w, pick_id(m, c.id), id);
			else
				put_n(w, pick_value(m, nts), nts);
			s->own[at + id] = t;
			m->op = "class-static-type";
			return 0;
		}
	}
	return 1;
}

/* A value that is no id: a primitive field, array contents, an
 * instance size, a serial, a frame number. */
static int op_value(hm_dump *m)
{
	const unsigned id = m->idsize;
	size_t ri, si;
	struct bytes *s;
	unsigned char *w;
	if (pick_sub(m, NULL, &ri, &si) < 0)
		return 1;
	s = &m->recs[ri].subs[si];
	switch (s->p[0]) {
	case S_INSTANCE: {
		uint32_t n = get_u4(s->p + INST_LEN(id));
		uint8_t types[256];
		size_t bytes, off = 0;
		int nt = chain_types(m, get_id(s->p + INST_CLASS(id), id), 0, types, 256, &bytes), i, nprim = 0;
		if (below(m, 8) == 0) {
			NOMEM(w = splice(s, 0, 0, 0));
			put_u4(w + 1 + id, pick_u4(m, get_u4(s->p + 1 + id)));
			m->op = "instance-trace";
			return 0;
		}
		if (!n)
			return 1;
		NOMEM(w = splice(s, 0, 0, 0));
		if (nt > 0 && nt <= 256 && bytes == n) {
			for (i = 0; i < nt; i++)
				nprim += types[i] != TY_OBJECT;
			if (nprim) {
				nprim = (int)below(m, (size_t)nprim);
				for (i = 0; i < nt; i++) {
					if (types[i] != TY_OBJECT && nprim-- == 0)
						break;
					off += type_size(types[i], id);
				}
				put_n(w + INST_DATA(id) + off, pick_value(m, type_size(types[i], id)),
				      type_size(types[i], id));
				m->op = "instance-field-value";
				return 0;
			}
		}
		w[INST_DATA(id) + below(m, n)] = (unsigned char)rnd(m);
		m->op = "instance-byte";
		return 0;
	}
	case S_PRIM_ARRAY: {
		uint32_t n = get_u4(s->p + PARR_LEN(id));
		unsigned ts = type_size(s->p[PARR_TYPE(id)], id);
		size_t len = (size_t)n * ts, at, k;
		if (!len)
			return 1;
		at = below(m, len);
		k = 1 + below(m, len - at < 16 ? len - at : 16);
		NOMEM(w = splice(s, 0, 0, 0));
		fill(m, w + PARR_DATA(id) + at, k, 0);
		m->op = "prim-data";
		return 0;
	}
	case S_CLASS_DUMP:
		NOMEM(w = splice(s, 0, 0, 0));
		if (below(m, 3)) {
			put_u4(w + CD_ISIZE(id), pick_u4(m, get_u4(s->p + CD_ISIZE(id))));
			m->op = "class-instance-size";
		} else {
			put_u4(w + 1 + id, pick_u4(m, get_u4(s->p + 1 + id)));
			m->op = "class-trace";
		}
		return 0;
	case S_OBJ_ARRAY: case S_PRIM_NODATA:
		NOMEM(w = splice(s, 0, 0, 0));
		put_u4(w + 1 + id, pick_u4(m, get_u4(s->p + 1 + id)));
		m->op = "array-trace";
		return 0;
	case S_JNI_LOCAL: case S_JAVA_FRAME: case S_THREAD_OBJECT: case S_JNI_MONITOR:
	case S_NATIVE_STACK: case S_THREAD_BLOCK: {
		size_t at = 1 + id + (s->len >= 1 + id + 8 && below(m, 2) ? 4 : 0);
		NOMEM(w = splice(s, 0, 0, 0));
		put_u4(w + at, pick_u4(m, get_u4(s->p + at)));
		m->op = "root-serial";
		return 0;
	}
	case S_HEAP_INFO:
		NOMEM(w = splice(s, 0, 0, 0));
		put_u4(w + 1, pick_u4(m, get_u4(s->p + 1)));
		m->op = "heap-info-id";
		return 0;
	}
	return 1;
}

/* Sub-records copied, dropped, moved, swapped, a root retagged. */
static int op_shuffle(hm_dump *m)
{
	const unsigned id = m->idsize;
	size_t ri, si, rj;
	struct rec *r;
	struct bytes b;
	if (pick_sub(m, NULL, &ri, &si) < 0)
		return 1;
	r = &m->recs[ri];
	switch (below(m, 5)) {
	case 0: case 1: {   /* a copy, as itself or as a new object */
		unsigned char *w;
		b.p = r->subs[si].p;
		b.len = r->subs[si].len;
		b.own = NULL;
		NOMEM(w = splice(&b, 0, 0, 0));
		if (below(m, 2) && b.len >= 1 + id && b.p[0] != S_HEAP_INFO) {
			put_id(w + 1, new_id(m), id);
			m->op = "sub-copy-new-id";
		} else {
			m->op = "sub-copy";
		}
		if (pick_heap(m, &rj) < 0)
			rj = ri;
		if (sub_insert(&m->recs[rj], below(m, m->recs[rj].nsubs + 1), b) < 0) {
			bytes_free(&b);
			return -1;
		}
		return 0;
	}
	case 2:
		sub_remove(r, si);
		m->op = "sub-drop";
		return 0;
	case 3: {
		b = r->subs[si];
		memmove(r->subs + si, r->subs + si + 1, (r->nsubs - si - 1) * sizeof(*r->subs));
		r->nsubs--;
		if (pick_heap(m, &rj) < 0)
			rj = ri;
		if (sub_insert(&m->recs[rj], below(m, m->recs[rj].nsubs + 1), b) < 0) {
			bytes_free(&b);
			return -1;
		}
		m->op = "sub-move";
		return 0;
	}
	default: {
		size_t sj = below(m, r->nsubs);
		b = r->subs[si];
		r->subs[si] = r->subs[sj];
		r->subs[sj] = b;
		m->op = "sub-swap";
		return 0;
	}
	}
}

static int add_sub(hm_dump *m, unsigned char *p, size_t n)
{
	struct bytes b = { p, n, p };
	size_t ri;
	if (pick_heap(m, &ri) < 0) {
		struct rec *r = new_rec(m, m->nrecs);
		if (!r) {
			free(p);
			return -1;
		}
		r->tag = T_HEAP_DUMP;
		r->heap = 1;
		ri = m->nrecs - 1;
	}
	if (sub_insert(&m->recs[ri], below(m, m->recs[ri].nsubs + 1), b) < 0) {
		free(p);
		return -1;
	}
	return 0;
}

/* A sub-record made up from the dump's own ids and classes. */
static int op_new(hm_dump *m)
{
	static const uint8_t roots[] = {
		S_UNKNOWN, S_JNI_GLOBAL, S_JNI_LOCAL, S_JAVA_FRAME, S_NATIVE_STACK, S_STICKY_CLASS,
		S_THREAD_BLOCK, S_MONITOR_USED, S_THREAD_OBJECT, S_THREAD_OBJECT, S_JAVA_FRAME,
		S_INTERNED, S_FINALIZING, S_DEBUGGER, S_REF_CLEANUP, S_VM_INTERNAL, S_JNI_MONITOR,
		S_UNREACHABLE
	};
	const unsigned id = m->idsize;
	unsigned char *p, tmp[64];
	size_t n;
	switch (below(m, 6)) {
	case 0: case 1: {   /* a root */
		uint8_t t = roots[below(m, sizeof(roots))];
		tmp[0] = t;
		put_id(tmp + 1, t == S_STICKY_CLASS ? pick_class(m, 0) : pick_id(m, 0), id);
		n = sub_size(tmp, sizeof(tmp), id);
		if (n > 1 + id)
			put_id(tmp + 1 + id, pick_id(m, 0), id);   /* JNI global ref id */
		if (n >= 1 + id + 4)
			put_u4(tmp + 1 + id, pick_u4(m, 1));
		if (n >= 1 + id + 8)
			put_u4(tmp + 1 + id + 4, (uint32_t)below(m, 4));
		NOMEM(p = malloc(n));
		memcpy(p, tmp, n);
		m->op = "new-root";
		break;
	}
	case 2: {   /* an instance of a class of the dump, fields filled */
		uint8_t types[512];
		uint64_t cid = m->ncls ? m->cls[below(m, m->ncls)].id : pick_class(m, 0);
		size_t bytes = 0, off;
		int nt = chain_types(m, cid, 0, types, 512, &bytes), i;
		if (nt < 0 || nt > 512)
			bytes = id * below(m, 4), nt = 0;
		n = INST_DATA(id) + bytes;
		NOMEM(p = malloc(n));
		p[0] = S_INSTANCE;
		put_id(p + 1, new_id(m), id);
		put_u4(p + 1 + id, 1);
		put_id(p + INST_CLASS(id), cid, id);
		put_u4(p + INST_LEN(id), (uint32_t)bytes);
		fill(m, p + INST_DATA(id), bytes, 0);
		for (i = 0, off = 0; i < nt; off += type_size(types[i], id), i++)
			if (types[i] == TY_OBJECT)
				put_id(p + INST_DATA(id) + off, below(m, 4) ? pick_id(m, 0) : 0, id);
		m->op = "new-instance";
		break;
	}
	case 3: {   /* an object array */
		uint32_t len = (uint32_t)below(m, 8), e;
		n = OARR_DATA(id) + (size_t)len * id;
		NOMEM(p = malloc(n));
		p[0] = S_OBJ_ARRAY;
		put_id(p + 1, new_id(m), id);
		put_u4(p + 1 + id, 1);
		put_u4(p + OARR_LEN(id), len);
		put_id(p + OARR_CLASS(id), pick_class(m, 0), id);
		for (e = 0; e < len; e++)
			put_id(p + OARR_DATA(id) + (size_t)e * id, pick_id(m, 0), id);
		m->op = "new-array";
		break;
	}
	case 4: {   /* a primitive array */
		uint8_t t = (uint8_t)(4 + below(m, 8));
		uint32_t len = (uint32_t)below(m, 24);
		n = PARR_DATA(id) + (size_t)len * type_size(t, id);
		NOMEM(p = malloc(n));
		p[0] = S_PRIM_ARRAY;
		put_id(p + 1, new_id(m), id);
		put_u4(p + 1 + id, 1);
		put_u4(p + PARR_LEN(id), len);
		p[PARR_TYPE(id)] = t;
		fill(m, p + PARR_DATA(id), n - PARR_DATA(id), 0);
		m->op = "new-prim-array";
		break;
	}
	default: {   /* a class: a subclass of one of the dump's, or a cycle */
		unsigned nst = (unsigned)below(m, 3), nfl = (unsigned)below(m, 5), i;
		uint64_t cid = new_id(m);
		size_t q;
		n = 1 + 7 * id + 8 + 2 + 2 + (size_t)nst * (2 * id + 1) + 2 + (size_t)nfl * (id + 1);
		NOMEM(p = calloc(1, n));
		p[0] = S_CLASS_DUMP;
		put_id(p + 1, cid, id);
		put_id(p + CD_SUPER(id), below(m, 10) ? pick_class(m, cid) : cid, id);
		if (below(m, 2))
			put_id(p + CD_LOADER(id), pick_id(m, 0), id);
		put_u4(p + CD_ISIZE(id), (uint32_t)(8 * below(m, 8)));
		q = 1 + 7 * id + 8;
		put_u2(p + q, 0);
		put_u2(p + q + 2, nst);
		q += 4;
		for (i = 0; i < nst; i++, q += 2 * id + 1) {
			put_id(p + q, m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id);
			p[q + id] = TY_OBJECT;
			put_id(p + q + id + 1, pick_id(m, cid), id);
		}
		put_u2(p + q, nfl);
		q += 2;
		for (i = 0; i < nfl; i++, q += id + 1) {
			put_id(p + q, m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id);
			p[q + id] = below(m, 2) ? TY_OBJECT : (uint8_t)(4 + below(m, 8));
		}
		m->op = "new-class";
		break;
	}
	}
	return add_sub(m, p, n);
}

/* The bytes of a string or of an object's data through the raw mutator,
 * the lengths fixed after it. */
static int op_raw(hm_dump *m, hm_raw_fn raw)
{
	const unsigned id = m->idsize;
	size_t ri, si, at, len, cap, n;
	struct bytes *s;
	unsigned char *buf, *w;
	unsigned ts = 1;
	int kind;
	if (!raw)
		return 1;
	kind = (int)below(m, 3);
	if (kind == 0) {
		if (pick_rec(m, T_STRING, &ri) < 0 || m->recs[ri].body.len < id)
			return 1;
		s = &m->recs[ri].body;
		at = id;
		len = s->len - id;
		m->op = "string-raw";
	} else {
		if (pick_sub(m, "\x21\x23", &ri, &si) < 0)
			return 1;
		s = &m->recs[ri].subs[si];
		kind = s->p[0];
		if (kind == S_INSTANCE) {
			at = INST_DATA(id);
			m->op = "instance-raw";
		} else {
			at = PARR_DATA(id);
			ts = type_size(s->p[PARR_TYPE(id)], id);
			m->op = "prim-raw";
		}
		len = s->len - at;
	}
	cap = 2 * len + 64;
	NOMEM(buf = malloc(cap));
	memcpy(buf, s->p + at, len);
	n = raw(buf, len, cap);
	if (n > cap)
		n = cap;
	n -= n % ts;
	w = splice(s, at, len, n);
	if (!w) {
		free(buf);
		return -1;
	}
	memcpy(w, buf, n);
	free(buf);
	if (kind == S_INSTANCE)
		put_u4(s->own + INST_LEN(id), (uint32_t)n);
	else if (kind == S_PRIM_ARRAY)
		put_u4(s->own + PARR_LEN(id), (uint32_t)(n / ts));
	return 0;
}

/* ---- mutations of top-level records ---------------------------------- */

static const char *const names[] = {
	"java/lang/Object", "java/lang/String", "java/lang/Class", "java/lang/Thread",
	"java/lang/ThreadGroup", "java/lang/ThreadLocal", "java/lang/ThreadLocal$ThreadLocalMap",
	"java/lang/ThreadLocal$ThreadLocalMap$Entry", "[Ljava/lang/ThreadLocal$ThreadLocalMap$Entry;",
	"java/util/HashMap", "java/util/HashMap$Node", "[Ljava/util/HashMap$Node;",
	"java/util/ArrayList", "java/util/concurrent/ConcurrentHashMap", "java/lang/ClassLoader",
	"java/net/URLClassLoader", "java/lang/ref/Reference", "java/lang/ref/WeakReference",
	"java/lang/ref/SoftReference", "java/lang/ref/Finalizer", "[Ljava/lang/Object;", "[B", "[C",
	"[I", "[[I", "[[[Ljava/lang/String;", "[J", "[Z", "com/example/Leak$$Lambda+0x0000000800c01234",
	"com/example/Leak$$Lambda/0x0000000800c01234", "com/example/cache/Cache$Entry",
	"java/util/LinkedHashMap$Entry", "jdk/internal/misc/Unsafe",
	"value", "name", "coder", "count", "size", "table", "next", "key", "referent", "threadLocals",
	"inheritableThreadLocals", "elementData", "parent", "classLoader", "holder", "threadStatus",
	"http-nio-8080-exec-12", "main", "", "[", "L;", "$", "+0x", "a\tb\nc\\d", "\xff\xfe\xfd",
	"\xc3\xa9t\xc3\xa9", "a (loader b)"
};

static int op_string(hm_dump *m, hm_raw_fn raw)
{
	const unsigned id = m->idsize;
	size_t ri, rj;
	struct bytes *s;
	unsigned char *w;
	size_t k = below(m, 6);
	(void)raw;
	if (pick_rec(m, T_STRING, &ri) < 0 || m->recs[ri].body.len < id)
		return 1;
	s = &m->recs[ri].body;
	if (k <= 1) {
		const char *t = names[below(m, sizeof(names) / sizeof(names[0]))];
		size_t l = strlen(t);
		NOMEM(w = splice(s, id, s->len - id, l));
		memcpy(w, t, l);
		m->op = "string-name";
	} else if (k == 2 && pick_rec(m, T_STRING, &rj) == 0 && rj != ri && m->recs[rj].body.len >= id) {
		/* the texts of two strings swapped: two names trade places */
		struct bytes a = m->recs[ri].body, *b = &m->recs[rj].body;
		size_t la = a.len - id, lb = b->len - id;
		unsigned char *ta = malloc(la ? la : 1);
		NOMEM(ta);
		memcpy(ta, a.p + id, la);
		w = splice(s, id, la, lb);
		if (!w) {
			free(ta);
			return -1;
		}
		memcpy(w, b->p + id, lb);
		w = splice(b, id, lb, la);
		if (w)
			memcpy(w, ta, la);
		free(ta);
		NOMEM(w);
		m->op = "string-swap";
	} else if (k == 3) {
		static const char *const ends[] = { "$1", "[]", ";", "+0x0000000800c01234", "/0x7f", "." };
		const char *t = ends[below(m, 6)];
		size_t l = strlen(t);
		NOMEM(w = splice(s, s->len, 0, l));
		memcpy(w, t, l);
		m->op = "string-append";
	} else if (k == 4) {
		static const char *const starts[] = { "[", "[L", "[[", "java/lang/", "com/example/" };
		const char *t = starts[below(m, 5)];
		size_t l = strlen(t);
		NOMEM(w = splice(s, id, 0, l));
		memcpy(w, t, l);
		m->op = "string-prepend";
	} else {
		NOMEM(w = splice(s, 0, 0, 0));
		put_id(w, pick_id(m, get_id(s->p, id)), id);
		m->op = "string-id";
	}
	return 0;
}

/* LOAD_CLASS, START_THREAD, FRAME, TRACE fields; records copied or
 * dropped; a class given a name of its own. */
static int op_record(hm_dump *m)
{
	const unsigned id = m->idsize;
	size_t ri, k = below(m, 8);
	struct bytes *s;
	unsigned char *w;
	if (k == 0) {
		/* a new START_THREAD for an instance, or a LOAD_CLASS for a class */
		int thread = below(m, 2);
		size_t n = thread ? 4 * id + 8 : 2 * id + 8;
		struct rec *r;
		if (!m->nrecs)
			return 1;
		r = new_rec(m, below(m, m->nrecs));
		NOMEM(r);
		r->tag = thread ? T_START_THREAD : T_LOAD_CLASS;
		NOMEM(w = splice(&r->body, 0, 0, n));
		memset(w, 0, n);
		put_u4(w, pick_u4(m, 1));
		if (thread) {
			put_id(w + 4, pick_id(m, 0), id);
			put_u4(w + 4 + id, pick_u4(m, 1));
			put_id(w + 8 + id, m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id);
		} else {
			put_id(w + 4, m->ncls ? m->cls[below(m, m->ncls)].id : pick_class(m, 0), id);
			put_id(w + 8 + id, m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id);
		}
		m->op = thread ? "new-start-thread" : "new-load-class";
		return 0;
	}
	if (k == 1) {
		struct rec *r;
		struct bytes b;
		uint8_t tag;
		if (pick_rec(m, 0, &ri) < 0)
			return 1;
		if (below(m, 2)) {
			rec_release(&m->recs[ri]);
			memmove(m->recs + ri, m->recs + ri + 1, (m->nrecs - ri - 1) * sizeof(*m->recs));
			m->nrecs--;
			m->op = "record-drop";
			return 0;
		}
		b = m->recs[ri].body;
		b.own = NULL;
		tag = m->recs[ri].tag;
		NOMEM(splice(&b, 0, 0, 0));
		r = new_rec(m, below(m, m->nrecs + 1));
		if (!r) {
			bytes_free(&b);
			return -1;
		}
		r->tag = tag;
		r->body = b;
		m->op = "record-copy";
		return 0;
	}
	if (pick_rec(m, k < 5 ? T_LOAD_CLASS : k < 6 ? T_START_THREAD : k < 7 ? T_FRAME : T_TRACE, &ri) < 0)
		return 1;
	s = &m->recs[ri].body;
	switch (m->recs[ri].tag) {
	case T_LOAD_CLASS:
		if (s->len < 2 * id + 8)
			return 1;
		NOMEM(w = splice(s, 0, 0, 0));
		switch (below(m, 3)) {
		case 0: put_u4(w, pick_u4(m, get_u4(w))); break;
		case 1: put_id(w + 4, pick_class(m, 0), id); break;
		default: put_id(w + 8 + id, m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id); break;
		}
		m->op = "load-class";
		return 0;
	case T_START_THREAD:
		if (s->len < 4 * id + 8)
			return 1;
		NOMEM(w = splice(s, 0, 0, 0));
		switch (below(m, 4)) {
		case 0: put_u4(w, pick_u4(m, get_u4(w))); break;
		case 1: put_id(w + 4, pick_id(m, 0), id); break;
		case 2: put_u4(w + 4 + id, pick_u4(m, get_u4(w + 4 + id))); break;
		default: put_id(w + 8 + id, m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id); break;
		}
		m->op = "start-thread";
		return 0;
	case T_FRAME:
		if (s->len < 4 * id + 8)
			return 1;
		NOMEM(w = splice(s, 0, 0, 0));
		if (below(m, 2))
			put_id(w + id * below(m, 4), m->nstrings ? m->strings[below(m, m->nstrings)] : 0, id);
		else
			put_u4(w + 4 * id + 4 * below(m, 2), pick_u4(m, 0));
		m->op = "frame";
		return 0;
	default: {   /* TRACE: serials, or frames added or dropped */
		uint32_t nf;
		if (s->len < 12)
			return 1;
		nf = get_u4(s->p + 8);
		if (below(m, 2) && (uint64_t)nf * id <= s->len - 12) {
			if (nf && below(m, 2)) {
				NOMEM(splice(s, 12 + (size_t)(nf - 1) * id, id, 0));
				put_u4(s->own + 8, nf - 1);
			} else {
				NOMEM(w = splice(s, 12 + (size_t)nf * id, 0, id));
				put_id(w, pick_id(m, 0), id);
				put_u4(s->own + 8, nf + 1);
			}
		} else {
			NOMEM(w = splice(s, 0, 0, 0));
			put_u4(w + 4 * below(m, 3), pick_u4(m, get_u4(w)));
		}
		m->op = "trace";
		return 0;
	}
	}
}

/* How heap dumps are cut: one record or segments (of other sizes), a
 * HEAP_DUMP_END, a second heap dump. */
static int op_heap(hm_dump *m)
{
	size_t ri, len, i, n;
	struct rec *r;
	if (pick_heap(m, &ri) < 0)
		return 1;
	r = &m->recs[ri];
	len = heap_len(r);
	switch (below(m, 4)) {
	case 0: case 1: {
		size_t step = below(m, 2) ? 1 + below(m, 64) : 1 + below(m, len + 1);
		struct seg *ns;
		n = len / step + 1;
		if (n > 100000)
			return 1;
		NOMEM(ns = calloc(n, sizeof(*ns)));
		for (i = 0; i < n; i++)
			ns[i].len = (uint32_t)step;
		if (below(m, 4) == 0)
			ns[below(m, n)].len = 0;   /* an empty segment */
		free(r->segs);
		r->segs = ns;
		r->nsegs = n;
		r->tag = T_SEGMENT;
		if (below(m, 4) && (ri + 1 == m->nrecs || m->recs[ri + 1].tag != T_END)) {
			struct rec *e = new_rec(m, ri + 1);
			NOMEM(e);
			e->tag = T_END;
		}
		m->op = "heap-segments";
		return 0;
	}
	case 2:
		r->tag = r->tag == T_HEAP_DUMP ? T_SEGMENT : T_HEAP_DUMP;
		if (ri + 1 < m->nrecs && m->recs[ri + 1].tag == T_END && below(m, 2)) {
			rec_release(&m->recs[ri + 1]);
			memmove(m->recs + ri + 1, m->recs + ri + 2, (m->nrecs - ri - 2) * sizeof(*m->recs));
			m->nrecs--;
		}
		m->op = "heap-retag";
		return 0;
	default: {
		/* a second heap dump: a copy of some of this one's sub-records */
		struct rec *c = new_rec(m, below(m, 2) ? ri + 1 : m->nrecs);
		size_t j, from;
		NOMEM(c);
		r = &m->recs[ri];
		c->tag = T_HEAP_DUMP;
		c->heap = 1;
		from = below(m, r->nsubs + 1);
		for (j = from; j < r->nsubs && j < from + 64; j++) {
			struct bytes b = r->subs[j];
			b.own = NULL;
			NOMEM(splice(&b, 0, 0, 0));
			if (sub_insert(c, c->nsubs, b) < 0) {
				bytes_free(&b);
				return -1;
			}
		}
		m->op = "heap-second-dump";
		return 0;
	}
	}
}

int hm_mutate(hm_dump *m, uint32_t seed, hm_raw_fn raw)
{
	int tries;
	m->rng = ((uint64_t)seed << 1 | 1) * 0x9E3779B97F4A7C15ull;
	m->op = NULL;
	if (!m->header_len)
		return 1;
	for (tries = 0; tries < 16; tries++) {
		size_t k = below(m, 100);
		int rc;
		if (reindex(m) < 0)
			return -1;
		if (k < 20)
			rc = op_ref(m);
		else if (k < 34)
			rc = op_count(m);
		else if (k < 41)
			rc = op_type(m);
		else if (k < 55)
			rc = op_value(m);
		else if (k < 67)
			rc = op_shuffle(m);
		else if (k < 78)
			rc = op_new(m);
		else if (k < 83)
			rc = op_raw(m, raw);
		else if (k < 91)
			rc = op_string(m, raw);
		else if (k < 97)
			rc = op_record(m);
		else
			rc = op_heap(m);
		if (rc <= 0)
			return rc;
	}
	return 1;
}

/* Drop what could not be parsed (the ends of heap dumps, what follows
 * the last whole record): a mutant of an input the fuzzer kept for the
 * error it made then gets past it. */
static void repair(hm_dump *m)
{
	size_t i;
	for (i = 0; i < m->nrecs; i++)
		m->recs[i].rest_len = 0;
	m->tail = m->len;
}

/* A few byte flips, when there is no raw mutator. */
static size_t flip(uint8_t *data, size_t size, size_t max_size, uint32_t seed)
{
	uint64_t r = (uint64_t)seed * 0x9E3779B97F4A7C15ull + 1;
	int i;
	if (!size) {
		if (!max_size)
			return 0;
		data[0] = (uint8_t)seed;
		return 1;
	}
	for (i = 0; i < 4; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		data[r % size] ^= (uint8_t)(1u << (r >> 32) % 8);
	}
	return size;
}

size_t hm_mutate_bytes(uint8_t *data, size_t size, size_t max_size, uint32_t seed, hm_raw_fn raw,
		       const char **op)
{
	hm_dump *m = NULL;
	const char *last = NULL;
	uint8_t *out;
	size_t n, i, k;
	int done = 0;
	if (seed % 20 == 0)
		goto fallback;
	m = hm_parse(data, size);
	if (!m || !m->header_len || !m->nrecs)
		goto fallback;
	if (!hm_well_formed(m) && (seed >> 3) % 2)
		repair(m);
	k = 1 + (seed >> 5) % 4 / 3 * (1 + (seed >> 8) % 3);   /* mostly 1, else 2 to 4 */
	for (i = 0; i < k; i++) {
		int rc = hm_mutate(m, seed + (uint32_t)i * 0x9E3779B9u, raw);
		if (rc < 0)
			break;
		if (rc == 0) {
			done = 1;
			last = hm_last_op(m);
		}
	}
	n = hm_size(m);
	if (!done || n > max_size || !(out = malloc(n ? n : 1)))
		goto fallback;
	hm_write(m, out);
	memcpy(data, out, n);
	free(out);
	if (op)
		*op = last;
	hm_free(m);
	return n;
fallback:
	hm_free(m);
	if (op)
		*op = "raw";
	return raw ? raw(data, size, max_size) : flip(data, size, max_size, seed);
}

/* ---- reduction ------------------------------------------------------- */

/* Arrays are cut to this many elements: a seed needs no more. */
#define CUT 256u

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int is_object(uint8_t tag)
{
	return tag == S_INSTANCE || tag == S_OBJ_ARRAY || tag == S_PRIM_ARRAY || tag == S_PRIM_NODATA;
}

/* The walk of hm_reduce(): objects and classes by id, which are kept,
 * and the queue of those whose references are still to follow. */
struct walk {
	hm_dump *m;
	struct where *ix;
	size_t n;
	uint8_t *keep;
	size_t *queue, head, tail, kept, max;
};

static const struct bytes *walk_sub(const struct walk *w, size_t k)
{
	return &w->m->recs[w->ix[k].rec].subs[w->ix[k].sub];
}

/* Keep a class and its superclasses (free: they are what the kept
 * objects need to be read). */
static void keep_class(struct walk *w, uint64_t id)
{
	int depth;
	for (depth = 0; id && depth < 64; depth++) {
		const struct where *o = find_where(w->ix, w->n, id);
		size_t k;
		if (!o || walk_sub(w, (size_t)(o - w->ix))->p[0] != S_CLASS_DUMP)
			return;
		k = (size_t)(o - w->ix);
		if (w->keep[k])
			return;
		w->keep[k] = 1;
		w->queue[w->tail++] = k;
		id = get_id(walk_sub(w, k)->p + CD_SUPER(w->m->idsize), w->m->idsize);
	}
}

static void visit(struct walk *w, uint64_t id)
{
	const struct where *o;
	size_t k;
	if (!id || !(o = find_where(w->ix, w->n, id)))
		return;
	k = (size_t)(o - w->ix);
	if (walk_sub(w, k)->p[0] == S_CLASS_DUMP) {
		keep_class(w, id);
		return;
	}
	if (w->keep[k] || w->kept >= w->max)
		return;
	w->keep[k] = 1;
	w->kept++;
	w->queue[w->tail++] = k;
}

/* Follow the references of a kept object or class. */
static void follow(struct walk *w, const struct bytes *s)
{
	const unsigned id = w->m->idsize;
	if (s->p[0] == S_INSTANCE) {
		uint8_t types[1024];
		size_t bytes, off = 0;
		uint32_t n = get_u4(s->p + INST_LEN(id));
		uint64_t cid = get_id(s->p + INST_CLASS(id), id);
		int nt, k;
		keep_class(w, cid);
		nt = chain_types(w->m, cid, 0, types, 1024, &bytes);
		if (nt < 0 || nt > 1024 || bytes != n)
			return;
		for (k = 0; k < nt; off += type_size(types[k], id), k++)
			if (types[k] == TY_OBJECT)
				visit(w, get_id(s->p + INST_DATA(id) + off, id));
	} else if (s->p[0] == S_OBJ_ARRAY) {
		uint32_t n = get_u4(s->p + OARR_LEN(id)), e;
		keep_class(w, get_id(s->p + OARR_CLASS(id), id));
		for (e = 0; e < n && e < CUT; e++)
			visit(w, get_id(s->p + OARR_DATA(id) + (size_t)e * id, id));
	} else if (s->p[0] == S_CLASS_DUMP) {
		struct cd c;
		unsigned k;
		if (class_parse(s->p, s->len, id, &c) < 0)
			return;
		for (k = 0; k < 3; k++)   /* loader, signers, protection domain */
			visit(w, get_id(s->p + CD_LOADER(id) + (size_t)k * id, id));
		for (k = 0; k < c.nst; k++) {
			size_t at = static_at(s->p, &c, id, k);
			if (s->p[at + id] == TY_OBJECT)
				visit(w, get_id(s->p + at + id + 1, id));
		}
	}
}

static int used_name(uint64_t **a, size_t *n, size_t *cap, const unsigned char *p, unsigned id)
{
	return push64(a, n, cap, get_id(p, id));
}

/* Drop what the walk did not keep: objects, classes, the roots and
 * LOAD_CLASS records of dropped ones (last: the walk's places are those
 * of the records before); cut long arrays. */
static int drop(hm_dump *m, const struct walk *w)
{
	const unsigned id = m->idsize;
	size_t i, j, o;
	for (i = 0; i < m->nrecs; i++) {
		struct rec *r = &m->recs[i];
		for (j = 0, o = 0; j < r->nsubs; j++) {
			struct bytes *s = &r->subs[j];
			if (s->p[0] != S_HEAP_INFO) {
				const struct where *f = find_where(w->ix, w->n, get_id(s->p + 1, id));
				int mine = is_object(s->p[0]) || s->p[0] == S_CLASS_DUMP;
				/* an object or class not kept (or a copy of one), a
				 * root of one */
				if (f && (!w->keep[f - w->ix] || (mine && (f->rec != i || f->sub != j)))) {
					bytes_free(s);
					continue;
				}
			}
			if (s->p[0] == S_PRIM_ARRAY && get_u4(s->p + PARR_LEN(id)) > CUT) {
				unsigned ts = type_size(s->p[PARR_TYPE(id)], id);
				if (!splice(s, PARR_DATA(id) + CUT * ts, s->len - PARR_DATA(id) - CUT * ts, 0))
					return -1;
				put_u4(s->own + PARR_LEN(id), CUT);
			}
			if (s->p[0] == S_OBJ_ARRAY && get_u4(s->p + OARR_LEN(id)) > CUT) {
				if (!splice(s, OARR_DATA(id) + CUT * id, s->len - OARR_DATA(id) - CUT * id, 0))
					return -1;
				put_u4(s->own + OARR_LEN(id), CUT);
			}
			r->subs[o++] = *s;
		}
		r->nsubs = o;
	}
	for (i = 0, o = 0; i < m->nrecs; i++) {
		struct rec *r = &m->recs[i];
		if (r->tag == T_LOAD_CLASS && r->body.len >= 2 * id + 8) {
			const struct where *f = find_where(w->ix, w->n, get_id(r->body.p + 4, id));
			if (f && !w->keep[f - w->ix]) {
				rec_release(r);
				continue;
			}
		}
		m->recs[o++] = *r;
	}
	m->nrecs = o;
	return 0;
}

/* Drop the stack traces of threads no longer there, and the frames no
 * trace left names. */
static int drop_traces(hm_dump *m)
{
	const unsigned id = m->idsize;
	uint64_t *serials = NULL, *frames = NULL;
	size_t ns = 0, scap = 0, nf = 0, fcap = 0, i, j;
	int rc = -1;
	for (i = 0; i < m->nrecs; i++)
		for (j = 0; j < m->recs[i].nsubs; j++) {
			const unsigned char *p = m->recs[i].subs[j].p;
			if (p[0] == S_THREAD_OBJECT && push64(&serials, &ns, &scap, get_u4(p + 1 + id + 4)) < 0)
				goto out;
		}
	if (ns > 1)
		qsort(serials, ns, sizeof(*serials), by_u64);
	for (i = 0, j = 0; i < m->nrecs; i++) {
		struct rec *r = &m->recs[i];
		if (r->tag == T_TRACE && r->body.len >= 12) {
			uint64_t serial = get_u4(r->body.p);
			uint32_t k, n = get_u4(r->body.p + 8);
			if (!ns || !bsearch(&serial, serials, ns, sizeof(*serials), by_u64)) {
				rec_release(r);
				continue;
			}
			for (k = 0; k < n && 12 + (size_t)(k + 1) * id <= r->body.len; k++)
				if (push64(&frames, &nf, &fcap, get_id(r->body.p + 12 + (size_t)k * id, id)) < 0)
					goto out;
		}
		m->recs[j++] = *r;
	}
	m->nrecs = j;
	if (nf > 1)
		qsort(frames, nf, sizeof(*frames), by_u64);
	for (i = 0, j = 0; i < m->nrecs; i++) {
		struct rec *r = &m->recs[i];
		if (r->tag == T_FRAME && r->body.len >= id) {
			uint64_t fid = get_id(r->body.p, id);
			if (!nf || !bsearch(&fid, frames, nf, sizeof(*frames), by_u64)) {
				rec_release(r);
				continue;
			}
		}
		m->recs[j++] = *r;
	}
	m->nrecs = j;
	rc = 0;
out:
	free(serials);
	free(frames);
	return rc;
}

/* Drop the STRING records that nothing left names. */
static int drop_strings(hm_dump *m)
{
	const unsigned id = m->idsize;
	uint64_t *names = NULL;
	size_t nnames = 0, cap = 0, i, j;
	for (i = 0; i < m->nrecs; i++) {
		const struct rec *r = &m->recs[i];
		const unsigned char *b = r->body.p;
		int e = 0;
		if (r->tag == T_LOAD_CLASS && r->body.len >= 2 * id + 8)
			e = used_name(&names, &nnames, &cap, b + 8 + id, id);
		else if (r->tag == T_START_THREAD && r->body.len >= 4 * id + 8)
			e = used_name(&names, &nnames, &cap, b + 8 + id, id);
		else if (r->tag == T_FRAME && r->body.len >= 4 * id + 8)
			e = used_name(&names, &nnames, &cap, b + id, id) |
			    used_name(&names, &nnames, &cap, b + 2 * id, id) |
			    used_name(&names, &nnames, &cap, b + 3 * id, id);
		for (j = 0; j < r->nsubs && !e; j++) {
			const struct bytes *s = &r->subs[j];
			struct cd c;
			unsigned k;
			if (s->p[0] == S_HEAP_INFO)
				e = used_name(&names, &nnames, &cap, s->p + 5, id);
			if (s->p[0] != S_CLASS_DUMP || class_parse(s->p, s->len, id, &c) < 0)
				continue;
			for (k = 0; k < c.nst && !e; k++)
				e = used_name(&names, &nnames, &cap, s->p + static_at(s->p, &c, id, k), id);
			for (k = 0; k < c.nfl && !e; k++)
				e = used_name(&names, &nnames, &cap, s->p + c.fl + 2 + (size_t)k * (id + 1), id);
		}
		if (e) {
			free(names);
			return -1;
		}
	}
	if (nnames > 1)
		qsort(names, nnames, sizeof(*names), by_u64);
	for (i = 0, j = 0; i < m->nrecs; i++) {
		struct rec *r = &m->recs[i];
		if (r->tag == T_STRING && r->body.len >= id) {
			uint64_t sid = get_id(r->body.p, id);
			if (!nnames || !bsearch(&sid, names, nnames, sizeof(*names), by_u64)) {
				rec_release(r);
				continue;
			}
		}
		m->recs[j++] = *r;
	}
	m->nrecs = j;
	free(names);
	return 0;
}

int hm_reduce(hm_dump *m, size_t max_objects)
{
	const unsigned id = m->idsize;
	struct walk w;
	size_t i, j, cap = 0, pass;
	int rc = -1;
	if (!m->header_len)
		return 0;
	memset(&w, 0, sizeof(w));
	w.m = m;
	w.max = max_objects;
	if (reindex(m) < 0)
		return -1;
	for (i = 0; i < m->nrecs; i++)
		for (j = 0; j < m->recs[i].nsubs; j++) {
			const unsigned char *p = m->recs[i].subs[j].p;
			if ((is_object(p[0]) || p[0] == S_CLASS_DUMP) &&
			    push_where(&w.ix, &w.n, &cap, get_id(p + 1, id), i, j) < 0)
				goto out;
		}
	if (w.n > 1)
		qsort(w.ix, w.n, sizeof(*w.ix), by_where_id);
	w.keep = calloc(w.n + 1, 1);
	w.queue = malloc((w.n + 1) * sizeof(*w.queue));
	if (!w.keep || !w.queue)
		goto out;
	/* from the thread objects, the other roots (not classes: every
	 * class is one), the classes of class loaders (the application's) */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < m->nrecs; i++)
			for (j = 0; j < m->recs[i].nsubs; j++) {
				const struct bytes *s = &m->recs[i].subs[j];
				const struct where *f;
				uint8_t t = s->p[0];
				if (pass < 2 && !is_object(t) && t != S_CLASS_DUMP && t != S_HEAP_INFO &&
				    (t == S_THREAD_OBJECT) == (pass == 0) &&
				    (f = find_where(w.ix, w.n, get_id(s->p + 1, id))) != NULL &&
				    walk_sub(&w, (size_t)(f - w.ix))->p[0] != S_CLASS_DUMP)
					visit(&w, f->id);
				if (pass == 2 && t == S_CLASS_DUMP && get_id(s->p + CD_LOADER(id), id))
					keep_class(&w, get_id(s->p + 1, id));
			}
	while (w.head < w.tail)
		follow(&w, walk_sub(&w, w.queue[w.head++]));
	if (drop(m, &w) < 0 || drop_traces(m) < 0 || drop_strings(m) < 0)
		goto out;
	rc = 0;
out:
	free(w.ix);
	free(w.keep);
	free(w.queue);
	return rc;
}
