/*
 * hprof.c - the streaming HPROF reader (see hprof.h for the contract).
 *
 * Data structures:
 *   struct rd     a view over an hs_src; rd_need(n) makes n bytes
 *                 contiguous at buf+pos.  The view is the source's own
 *                 chunk (hs_src_borrow: no copy) until a record runs past
 *                 its end; that record alone is put together in a buffer
 *                 that grows only for records that must be held whole, up
 *                 to the caps in hprof.h.
 *   heap stream   the bodies of the HEAP_DUMP / HEAP_DUMP_SEGMENT records of
 *                 one dump, read as one logical stream: seg_left counts what
 *                 remains of the current record, and a sub-record that runs
 *                 past it is assembled in a scratch buffer from the next
 *                 segment(s).  This is how sub-records straddling segment
 *                 boundaries are read.
 *
 * Invariants: rd->base + rd->pos is always the stream offset of the next
 * unread byte, so error offsets are exact.  A truncated input stops the pass
 * with HS_ETRUNC after every whole record before it has been delivered.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/hprof.h"

/* own's first size (records that straddle two pieces of the source) */
#define BUF_INIT (1u << 16)
/* Object array elements are handed over in chunks of at most this many. */
#define ARRAY_CHUNK 65536u
/* Progress is reported every this many bytes. */
#define PROGRESS_STEP (64u << 20)

struct rd {
	hs_src *src;
	const unsigned char *buf;   /* the view: a borrowed piece, or own */
	unsigned char *own;         /* where records that straddle two pieces are put together */
	size_t cap, pos, len;       /* cap: own's size */
	uint64_t base;      /* stream offset of buf[0] */
	const unsigned char *pend;  /* the rest of a piece partly copied to own */
	size_t pend_len;
	int eof;
	int src_trunc;      /* the decompressor found the stream cut short */
	int src_failed;     /* the source failed (I/O, corrupt compressed data) */
	hs_error src_err;
	hs_error *err;
};

static uint64_t rd_off(const struct rd *r) { return r->base + r->pos; }
static size_t rd_avail(const struct rd *r) { return r->len - r->pos; }

/* Start reading at stream offset @p at (a new pass or a seek). */
static void rd_reset(struct rd *r, uint64_t at)
{
	r->base = at;
	r->buf = r->own;
	r->pos = r->len = r->pend_len = 0;
	r->eof = 0;
}

/* The next piece of the input: the rest of the piece last borrowed, or a
 * new one.  Valid until the next call. */
static ssize_t rd_piece(struct rd *r, const unsigned char **p)
{
	if (r->pend_len) {
		ssize_t k = (ssize_t)r->pend_len;
		*p = r->pend;
		r->pend_len = 0;
		return k;
	}
	return hs_src_borrow(r->src, p, r->err);
}

/* Make n bytes contiguous.  Returns 0, 1 if the input ends first (the
 * bytes available are left in place), or < 0 on an error.  The view is
 * the source's piece itself (no copy) until a record runs past its end:
 * then the record's first part and what it needs of the next piece are
 * copied to own, and the view moves back into the piece after them. */
static int rd_fill(struct rd *r, size_t n)
{
	while (r->len - r->pos < n && !r->eof) {
		size_t left = r->len - r->pos, take;
		const unsigned char *p = NULL;
		ssize_t k;
		if (left > 0) {
			/* the record's first part goes to own before the piece
			 * it is in goes back to the source */
			if (n > r->cap) {
				int in_own = r->buf == r->own;
				size_t cap = r->cap;
				unsigned char *nb;
				while (cap < n)
					cap *= 2;
				nb = realloc(r->own, cap);
				if (!nb)
					return hs_error_set(r->err, HS_ENOMEM, rd_off(r), "out of memory");
				r->own = nb;
				r->cap = cap;
				if (in_own)
					r->buf = nb;
			}
			if (r->buf != r->own || r->pos > 0) {
				memmove(r->own, r->buf + r->pos, left);
				r->base += r->pos;
				r->buf = r->own;
				r->pos = 0;
				r->len = left;
			}
		}
		k = rd_piece(r, &p);
		if (k < 0) {
			if (r->err->code == HS_ETRUNC || r->err->offset == HS_NO_OFFSET)
				r->err->offset = r->base + r->len;
			if (k == HS_ETRUNC) {
				/* a compressed stream cut short: the end of the input,
				 * reported once the whole records before it are read */
				r->eof = 1;
				r->src_trunc = 1;
				r->src_err = *r->err;
				hs_error_clear(r->err);
				break;
			}
			r->src_failed = 1;
			return (int)k;
		}
		if (k == 0) {
			r->eof = 1;
			break;
		}
		if (left == 0) {
			/* the view moves to the new piece, no copy */
			r->base += r->len;
			r->buf = p;
			r->pos = 0;
			r->len = (size_t)k;
			continue;
		}
		take = n - left < (size_t)k ? n - left : (size_t)k;
		memcpy(r->own + left, p, take);
		r->len = left + take;
		if (take < (size_t)k) {
			r->pend = p + take;
			r->pend_len = (size_t)k - take;
		}
	}
	return r->len - r->pos >= n ? 0 : 1;
}

static inline int rd_need(struct rd *r, size_t n)
{
	return r->len - r->pos >= n ? 0 : rd_fill(r, n);
}

/* Skip n bytes (may be far more than the buffer).  Returns 0 or 1 (end). */
static int rd_skip(struct rd *r, uint64_t n)
{
	size_t a = rd_avail(r);
	int64_t k;

	if (n <= a) {
		r->pos += (size_t)n;
		return 0;
	}
	n -= a;
	r->base += r->len;
	r->buf = r->own;
	r->pos = r->len = 0;
	if (r->pend_len) {
		size_t m = n < r->pend_len ? (size_t)n : r->pend_len;
		r->pend += m;
		r->pend_len -= m;
		r->base += m;
		n -= m;
		if (n == 0)
			return 0;
	}
	if (r->eof)
		return 1;
	k = hs_src_skip(r->src, n, r->err);
	if (k < 0) {
		if (k == HS_ETRUNC) {
			r->eof = 1;
			r->src_trunc = 1;
			r->src_err = *r->err;
			hs_error_clear(r->err);
			return 1;
		}
		r->src_failed = 1;
		return (int)k;
	}
	r->base += (uint64_t)k;
	if ((uint64_t)k < n) {
		r->eof = 1;
		return 1;
	}
	return 0;
}

unsigned hs_type_size(int type, unsigned idsize)
{
	switch (type) {
	case HS_T_OBJECT: return idsize;
	case HS_T_BOOLEAN: case HS_T_BYTE: return 1;
	case HS_T_CHAR: case HS_T_SHORT: return 2;
	case HS_T_FLOAT: case HS_T_INT: return 4;
	case HS_T_DOUBLE: case HS_T_LONG: return 8;
	}
	return 0;
}

const char *hs_type_name(int type)
{
	switch (type) {
	case HS_T_OBJECT: return "Object";
	case HS_T_BOOLEAN: return "boolean";
	case HS_T_CHAR: return "char";
	case HS_T_FLOAT: return "float";
	case HS_T_DOUBLE: return "double";
	case HS_T_BYTE: return "byte";
	case HS_T_SHORT: return "short";
	case HS_T_INT: return "int";
	case HS_T_LONG: return "long";
	}
	return NULL;
}

const char *hs_tag_name(int tag)
{
	switch (tag) {
	case HS_TAG_STRING: return "STRING";
	case HS_TAG_LOAD_CLASS: return "LOAD_CLASS";
	case HS_TAG_UNLOAD_CLASS: return "UNLOAD_CLASS";
	case HS_TAG_FRAME: return "FRAME";
	case HS_TAG_TRACE: return "TRACE";
	case HS_TAG_ALLOC_SITES: return "ALLOC_SITES";
	case HS_TAG_HEAP_SUMMARY: return "HEAP_SUMMARY";
	case HS_TAG_START_THREAD: return "START_THREAD";
	case HS_TAG_END_THREAD: return "END_THREAD";
	case HS_TAG_HEAP_DUMP: return "HEAP_DUMP";
	case HS_TAG_CPU_SAMPLES: return "CPU_SAMPLES";
	case HS_TAG_CONTROL_SETTINGS: return "CONTROL_SETTINGS";
	case HS_TAG_HEAP_DUMP_SEGMENT: return "HEAP_DUMP_SEGMENT";
	case HS_TAG_HEAP_DUMP_END: return "HEAP_DUMP_END";
	}
	return NULL;
}

const char *hs_sub_name(int sub)
{
	switch (sub) {
	case HS_SUB_ROOT_UNKNOWN: return "ROOT_UNKNOWN";
	case HS_SUB_ROOT_JNI_GLOBAL: return "ROOT_JNI_GLOBAL";
	case HS_SUB_ROOT_JNI_LOCAL: return "ROOT_JNI_LOCAL";
	case HS_SUB_ROOT_JAVA_FRAME: return "ROOT_JAVA_FRAME";
	case HS_SUB_ROOT_NATIVE_STACK: return "ROOT_NATIVE_STACK";
	case HS_SUB_ROOT_STICKY_CLASS: return "ROOT_STICKY_CLASS";
	case HS_SUB_ROOT_THREAD_BLOCK: return "ROOT_THREAD_BLOCK";
	case HS_SUB_ROOT_MONITOR_USED: return "ROOT_MONITOR_USED";
	case HS_SUB_ROOT_THREAD_OBJECT: return "ROOT_THREAD_OBJECT";
	case HS_SUB_CLASS_DUMP: return "CLASS_DUMP";
	case HS_SUB_INSTANCE_DUMP: return "INSTANCE_DUMP";
	case HS_SUB_OBJ_ARRAY_DUMP: return "OBJ_ARRAY_DUMP";
	case HS_SUB_PRIM_ARRAY_DUMP: return "PRIM_ARRAY_DUMP";
	case HS_SUB_ROOT_INTERNED_STRING: return "ROOT_INTERNED_STRING";
	case HS_SUB_ROOT_FINALIZING: return "ROOT_FINALIZING";
	case HS_SUB_ROOT_DEBUGGER: return "ROOT_DEBUGGER";
	case HS_SUB_ROOT_REFERENCE_CLEANUP: return "ROOT_REFERENCE_CLEANUP";
	case HS_SUB_ROOT_VM_INTERNAL: return "ROOT_VM_INTERNAL";
	case HS_SUB_ROOT_JNI_MONITOR: return "ROOT_JNI_MONITOR";
	case HS_SUB_ROOT_UNREACHABLE: return "ROOT_UNREACHABLE";
	case HS_SUB_PRIM_ARRAY_NODATA: return "PRIM_ARRAY_NODATA";
	case HS_SUB_HEAP_DUMP_INFO: return "HEAP_DUMP_INFO";
	}
	return NULL;
}

/* ---- pass state ---------------------------------------------------- */

struct pass {
	struct rd rd;
	const hs_hprof_visitor *v;
	const hs_hprof_opts *o;
	hs_hprof_stats *st;
	hs_error *err;
	unsigned idsz;
	uint64_t next_progress;
	uint64_t next_checkpoint;
	uint64_t span_end;       /* hs_hprof_read_spans: stop at this offset */
	/* heap stream */
	uint64_t cur_start;      /* offset of the (sub-)record being parsed */
	uint64_t seg_left;       /* bytes left in the current heap record */
	int in_dump;             /* inside a run of segments */
	int selected;            /* the current dump is the selected one */
	int dump_done;           /* the selected dump has ended */
	unsigned char *scratch;  /* straddling sub-records are assembled here */
	size_t scratch_cap;
	hs_static_field *statics;
	hs_field *fields;
	size_t statics_cap, fields_cap;
};

#define TRUNC(p, off, what, need) \
	(hs_error_set((p)->err, HS_ETRUNC, (off), "truncated %s: need %llu bytes, have %llu", \
		      (what), (unsigned long long)(need), (unsigned long long)rd_avail(&(p)->rd)))

static int read_header(struct pass *p)
{
	struct rd *r = &p->rd;
	hs_hprof_header h;
	size_t n = 0;
	int rc;

	memset(&h, 0, sizeof(h));
	rc = rd_need(r, 1);
	if (rc < 0)
		return rc;
	if (rc > 0 && r->src_trunc)
		return hs_error_set(p->err, HS_ETRUNC, 0, "%s", r->src_err.msg);
	if (rc > 0)
		return hs_error_set(p->err, HS_EFORMAT, 0, "empty file, not an HPROF heap dump");
	/* the version string is NUL-terminated; look at most 32 bytes */
	rc = rd_need(r, 32);
	if (rc < 0)
		return rc;
	while (n < rd_avail(r) && n < 32 && r->buf[r->pos + n] != '\0')
		n++;
	if (n >= rd_avail(r) || n >= sizeof(h.version) ||
	    memcmp(r->buf + r->pos, "JAVA PROFILE 1.0.", 17) != 0 || n != 18 ||
	    (r->buf[r->pos + 17] < '1' || r->buf[r->pos + 17] > '3')) {
		if (n >= 12 && memcmp(r->buf + r->pos, "JAVA PROFILE", 12) == 0 && n < 32)
			return hs_error_set(p->err, HS_EFORMAT, 0,
					    "unsupported HPROF version '%.*s'", (int)n,
					    (const char *)r->buf + r->pos);
		return hs_error_set(p->err, HS_EFORMAT, 0,
				    "not an HPROF heap dump (no 'JAVA PROFILE 1.0.x' header)");
	}
	memcpy(h.version, r->buf + r->pos, n);
	rc = rd_need(r, n + 1 + 12);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return hs_error_set(p->err, HS_ETRUNC, n + 1, "truncated header: need 12 bytes, have %zu",
				    rd_avail(r) - n - 1);
	h.idsize = hs_get_u4(r->buf + r->pos + n + 1);
	if (h.idsize != 4 && h.idsize != 8)
		return hs_error_set(p->err, HS_EFORMAT, n + 1,
				    "unsupported identifier size %u (expected 4 or 8)", h.idsize);
	h.timestamp_ms = ((uint64_t)hs_get_u4(r->buf + r->pos + n + 5) << 32) |
			 hs_get_u4(r->buf + r->pos + n + 9);
	h.header_len = n + 13;
	if (p->o->expect &&
	    (strcmp(h.version, p->o->expect->version) != 0 || h.idsize != p->o->expect->idsize ||
	     h.timestamp_ms != p->o->expect->timestamp_ms))
		return hs_error_set(p->err, HS_ECHANGED, 0, "%s", hs_strerror(HS_ECHANGED));
	r->pos += n + 13;
	p->idsz = h.idsize;
	if (p->v->header)
		HS_FORWARD_IF_ERROR(p->v->header(p->v->ctx, &h, p->err));
	return 0;
}

/*
 * Heap stream: read the next top-level record header while inside a heap
 * dump whose current record is exhausted.  Returns 0 and sets seg_left when
 * a continuation segment follows; 1 when the dump has ended (the record is
 * left unread for the main loop).
 */
static int heap_next_segment(struct pass *p)
{
	struct rd *r = &p->rd;
	int rc;

	for (;;) {
		uint8_t tag;
		uint32_t len;
		if (!p->in_dump)
			return 1;
		rc = rd_need(r, 9);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return 2;   /* the input ends inside a record header */
		tag = r->buf[r->pos];
		if (tag != HS_TAG_HEAP_DUMP_SEGMENT)
			return 1;
		len = hs_get_u4(r->buf + r->pos + 5);
		p->st->records[tag]++;
		if (p->v->record)
			HS_FORWARD_IF_ERROR(p->v->record(p->v->ctx, tag, rd_off(r), len, p->err));
		r->pos += 9;
		p->seg_left = len;
		if (len > 0)
			return 0;
	}
}

/*
 * Make n bytes of the heap stream contiguous and return them in *out.
 * `what` and `start` describe the sub-record for messages.
 */
static int heap_need(struct pass *p, size_t n, const unsigned char **out,
		     const char *what, uint64_t start)
{
	struct rd *r = &p->rd;
	size_t have = 0;
	int rc;

	if (p->seg_left >= n) {
		rc = rd_need(r, n);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return TRUNC(p, start, what, n);
		*out = r->buf + r->pos;
		r->pos += n;
		p->seg_left -= n;
		return 0;
	}
	/* straddles: assemble in scratch */
	if (p->scratch_cap < n) {
		unsigned char *s = realloc(p->scratch, n);
		if (!s)
			return hs_error_set(p->err, HS_ENOMEM, start, "out of memory");
		p->scratch = s;
		p->scratch_cap = n;
	}
	while (have < n) {
		size_t k = n - have;
		if (p->seg_left == 0) {
			rc = heap_next_segment(p);
			if (rc < 0)
				return rc;
			if (rc > 0) {
				if (rc == 2 || (rd_avail(r) == 0 && r->eof))
					return hs_error_set(p->err, HS_ETRUNC, start,
							    "truncated %s: need %zu bytes, have %zu",
							    what, n, have);
				return hs_error_set(p->err, HS_EFORMAT, start,
						    "%s runs past the end of the heap dump record "
						    "(needs %zu bytes, %zu left)", what, n, have);
			}
			continue;
		}
		if (k > p->seg_left)
			k = (size_t)p->seg_left;
		rc = rd_need(r, k);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return hs_error_set(p->err, HS_ETRUNC, start,
					    "truncated %s: need %zu bytes, have %zu", what, n,
					    have + rd_avail(r));
		memcpy(p->scratch + have, r->buf + r->pos, k);
		r->pos += k;
		p->seg_left -= k;
		have += k;
	}
	*out = p->scratch;
	return 0;
}

/* Skip n bytes of the heap stream. */
static int heap_skip(struct pass *p, uint64_t n, const char *what, uint64_t start)
{
	while (n > 0) {
		uint64_t k;
		int rc;
		if (p->seg_left == 0) {
			rc = heap_next_segment(p);
			if (rc < 0)
				return rc;
			if (rc > 0) {
				if (rc == 2 || (rd_avail(&p->rd) == 0 && p->rd.eof))
					return hs_error_set(p->err, HS_ETRUNC, start,
							    "truncated %s", what);
				return hs_error_set(p->err, HS_EFORMAT, start,
						    "%s runs past the end of the heap dump record", what);
			}
			continue;
		}
		k = n < p->seg_left ? n : p->seg_left;
		rc = rd_skip(&p->rd, k);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return hs_error_set(p->err, HS_ETRUNC, start, "truncated %s", what);
		p->seg_left -= k;
		n -= k;
	}
	return 0;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	void *na;
	if (*cap >= need)
		return 0;
	na = realloc(*arr, need * elem);
	if (!na)
		return -1;
	*arr = na;
	*cap = need;
	return 0;
}

static int class_dump(struct pass *p, uint64_t start)
{
	const unsigned id = p->idsz;
	const unsigned char *b;
	hs_class_dump c;
	unsigned i, ncp;

	memset(&c, 0, sizeof(c));
	HS_FORWARD_IF_ERROR(heap_need(p, 7 * id + 8 + 2, &b, "CLASS_DUMP", start));
	c.id = hs_get_id(b, id);
	c.trace_serial = hs_get_u4(b + id);
	c.super_id = hs_get_id(b + id + 4, id);
	c.loader_id = hs_get_id(b + 2 * id + 4, id);
	c.signers_id = hs_get_id(b + 3 * id + 4, id);
	c.domain_id = hs_get_id(b + 4 * id + 4, id);
	c.instance_size = hs_get_u4(b + 7 * id + 4);
	ncp = hs_get_u2(b + 7 * id + 8);
	for (i = 0; i < ncp; i++) {
		unsigned ts;
		HS_FORWARD_IF_ERROR(heap_need(p, 3, &b, "CLASS_DUMP", start));
		ts = hs_type_size(b[2], id);
		if (!ts)
			return hs_error_set(p->err, HS_EFORMAT, start,
					    "CLASS_DUMP has constant pool entry of unknown type %u", b[2]);
		HS_FORWARD_IF_ERROR(heap_skip(p, ts, "CLASS_DUMP", start));
	}
	HS_FORWARD_IF_ERROR(heap_need(p, 2, &b, "CLASS_DUMP", start));
	c.nstatics = hs_get_u2(b);
	if (grow((void **)&p->statics, &p->statics_cap, c.nstatics + 1u, sizeof(*p->statics)))
		return hs_error_set(p->err, HS_ENOMEM, start, "out of memory");
	for (i = 0; i < c.nstatics; i++) {
		unsigned ts;
		hs_static_field *f = &p->statics[i];
		HS_FORWARD_IF_ERROR(heap_need(p, id + 1, &b, "CLASS_DUMP", start));
		f->name_id = hs_get_id(b, id);
		f->type = b[id];
		ts = hs_type_size(f->type, id);
		if (!ts)
			return hs_error_set(p->err, HS_EFORMAT, start,
					    "CLASS_DUMP has static field of unknown type %u", f->type);
		HS_FORWARD_IF_ERROR(heap_need(p, ts, &b, "CLASS_DUMP", start));
		switch (ts) {
		case 1: f->value = b[0]; break;
		case 2: f->value = hs_get_u2(b); break;
		case 4: f->value = hs_get_u4(b); break;
		default: f->value = hs_get_id(b, 8); break;
		}
	}
	HS_FORWARD_IF_ERROR(heap_need(p, 2, &b, "CLASS_DUMP", start));
	c.nfields = hs_get_u2(b);
	if (grow((void **)&p->fields, &p->fields_cap, c.nfields + 1u, sizeof(*p->fields)))
		return hs_error_set(p->err, HS_ENOMEM, start, "out of memory");
	for (i = 0; i < c.nfields; i++) {
		HS_FORWARD_IF_ERROR(heap_need(p, id + 1, &b, "CLASS_DUMP", start));
		p->fields[i].name_id = hs_get_id(b, id);
		p->fields[i].type = b[id];
		if (!hs_type_size(b[id], id))
			return hs_error_set(p->err, HS_EFORMAT, start,
					    "CLASS_DUMP has instance field of unknown type %u", b[id]);
	}
	c.statics = p->statics;
	c.fields = p->fields;
	if (p->v->class_dump)
		return p->v->class_dump(p->v->ctx, &c, p->err);
	return 0;
}

static int obj_array(struct pass *p, uint64_t start)
{
	const unsigned id = p->idsz;
	const unsigned char *b;
	hs_obj_array a;

	HS_FORWARD_IF_ERROR(heap_need(p, 2 * id + 8, &b, "OBJ_ARRAY_DUMP", start));
	a.id = hs_get_id(b, id);
	a.length = hs_get_u4(b + id + 4);
	a.class_id = hs_get_id(b + id + 8, id);
	a.first = 0;
	if (!p->v->obj_array)
		return heap_skip(p, (uint64_t)a.length * id, "OBJ_ARRAY_DUMP", start);
	if (a.length == 0) {
		a.count = 0;
		a.elems = NULL;
		return p->v->obj_array(p->v->ctx, &a, p->err);
	}
	while (a.first < a.length) {
		uint32_t k = a.length - a.first;
		if (k > ARRAY_CHUNK)
			k = ARRAY_CHUNK;
		HS_FORWARD_IF_ERROR(heap_need(p, (size_t)k * id, &b, "OBJ_ARRAY_DUMP", start));
		a.count = k;
		a.elems = b;
		HS_FORWARD_IF_ERROR(p->v->obj_array(p->v->ctx, &a, p->err));
		a.first += k;
	}
	return 0;
}

static int root(struct pass *p, uint8_t sub, uint64_t start)
{
	const unsigned id = p->idsz;
	const unsigned char *b;
	hs_root rt;
	size_t n;

	switch (sub) {
	case HS_SUB_ROOT_JNI_GLOBAL: n = 2 * id; break;
	case HS_SUB_ROOT_JNI_LOCAL: case HS_SUB_ROOT_JAVA_FRAME:
	case HS_SUB_ROOT_THREAD_OBJECT: case HS_SUB_ROOT_JNI_MONITOR: n = id + 8; break;
	case HS_SUB_ROOT_NATIVE_STACK: case HS_SUB_ROOT_THREAD_BLOCK: n = id + 4; break;
	default: n = id; break;
	}
	HS_FORWARD_IF_ERROR(heap_need(p, n, &b, hs_sub_name(sub), start));
	if (!p->v->root)
		return 0;
	memset(&rt, 0, sizeof(rt));
	rt.kind = sub;
	rt.id = hs_get_id(b, id);
	rt.frame = UINT32_MAX;
	switch (sub) {
	case HS_SUB_ROOT_JNI_GLOBAL: rt.extra_id = hs_get_id(b + id, id); break;
	case HS_SUB_ROOT_JNI_LOCAL: case HS_SUB_ROOT_JAVA_FRAME: case HS_SUB_ROOT_JNI_MONITOR:
		rt.thread_serial = hs_get_u4(b + id);
		rt.frame = hs_get_u4(b + id + 4);
		break;
	case HS_SUB_ROOT_THREAD_OBJECT:
		rt.thread_serial = hs_get_u4(b + id);
		rt.frame = hs_get_u4(b + id + 4);  /* stack trace serial */
		break;
	case HS_SUB_ROOT_NATIVE_STACK: case HS_SUB_ROOT_THREAD_BLOCK:
		rt.thread_serial = hs_get_u4(b + id);
		break;
	default: break;
	}
	return p->v->root(p->v->ctx, &rt, p->err);
}

/* One heap sub-record; the tag byte has been consumed from the stream. */
static int sub_record(struct pass *p, uint8_t sub, uint64_t start)
{
	const unsigned id = p->idsz;
	const unsigned char *b;
	int sel = p->selected;

	switch (sub) {
	case HS_SUB_ROOT_UNKNOWN: case HS_SUB_ROOT_JNI_GLOBAL: case HS_SUB_ROOT_JNI_LOCAL:
	case HS_SUB_ROOT_JAVA_FRAME: case HS_SUB_ROOT_NATIVE_STACK: case HS_SUB_ROOT_STICKY_CLASS:
	case HS_SUB_ROOT_THREAD_BLOCK: case HS_SUB_ROOT_MONITOR_USED: case HS_SUB_ROOT_THREAD_OBJECT:
	case HS_SUB_ROOT_INTERNED_STRING: case HS_SUB_ROOT_FINALIZING: case HS_SUB_ROOT_DEBUGGER:
	case HS_SUB_ROOT_REFERENCE_CLEANUP: case HS_SUB_ROOT_VM_INTERNAL:
	case HS_SUB_ROOT_JNI_MONITOR: case HS_SUB_ROOT_UNREACHABLE:
		if (!sel) {
			const hs_hprof_visitor *v = p->v;
			int rc;
			hs_hprof_visitor nv = *v;
			nv.root = NULL;
			p->v = &nv;
			rc = root(p, sub, start);
			p->v = v;
			return rc;
		}
		return root(p, sub, start);
	case HS_SUB_CLASS_DUMP: {
		if (!sel) {
			const hs_hprof_visitor *v = p->v;
			hs_hprof_visitor nv = *v;
			int rc;
			nv.class_dump = NULL;
			p->v = &nv;
			rc = class_dump(p, start);
			p->v = v;
			return rc;
		}
		return class_dump(p, start);
	}
	case HS_SUB_INSTANCE_DUMP: {
		uint64_t oid, cid;
		uint32_t n;
		HS_FORWARD_IF_ERROR(heap_need(p, 2 * id + 8, &b, "INSTANCE_DUMP", start));
		oid = hs_get_id(b, id);
		cid = hs_get_id(b + id + 4, id);
		n = hs_get_u4(b + 2 * id + 4);
		if (!sel || !p->v->instance)
			return heap_skip(p, n, "INSTANCE_DUMP", start);
		if (n > HS_MAX_INSTANCE_DATA)
			return hs_error_set(p->err, HS_ELIMIT, start,
					    "INSTANCE_DUMP of %u field bytes exceeds the limit of %u",
					    n, HS_MAX_INSTANCE_DATA);
		HS_FORWARD_IF_ERROR(heap_need(p, n, &b, "INSTANCE_DUMP", start));
		return p->v->instance(p->v->ctx, oid, cid, b, n, p->err);
	}
	case HS_SUB_OBJ_ARRAY_DUMP:
		if (!sel) {
			uint32_t n;
			HS_FORWARD_IF_ERROR(heap_need(p, 2 * id + 8, &b, "OBJ_ARRAY_DUMP", start));
			n = hs_get_u4(b + id + 4);
			return heap_skip(p, (uint64_t)n * id, "OBJ_ARRAY_DUMP", start);
		}
		return obj_array(p, start);
	case HS_SUB_PRIM_ARRAY_DUMP: case HS_SUB_PRIM_ARRAY_NODATA: {
		uint64_t oid;
		uint32_t n;
		uint8_t t;
		unsigned ts;
		const char *what = hs_sub_name(sub);
		HS_FORWARD_IF_ERROR(heap_need(p, id + 9, &b, what, start));
		oid = hs_get_id(b, id);
		n = hs_get_u4(b + id + 4);
		t = b[id + 8];
		ts = hs_type_size(t, id);
		if (!ts || t == HS_T_OBJECT)
			return hs_error_set(p->err, HS_EFORMAT, start,
					    "%s has unknown element type %u", what, t);
		if (sel && p->v->prim_array)
			HS_FORWARD_IF_ERROR(p->v->prim_array(p->v->ctx, oid, t, n, p->err));
		if (sub == HS_SUB_PRIM_ARRAY_NODATA)
			return 0;
		if (sel && p->v->prim_array_want && p->v->prim_array_data) {
			uint64_t total = (uint64_t)n * ts;
			uint32_t want = p->v->prim_array_want(p->v->ctx, oid, t, n);
			if (want > 0 && total > 0) {
				if (want > total)
					want = (uint32_t)total;
				if (want > HS_MAX_INSTANCE_DATA)
					want = HS_MAX_INSTANCE_DATA;
				HS_FORWARD_IF_ERROR(heap_need(p, want, &b, what, start));
				HS_FORWARD_IF_ERROR(p->v->prim_array_data(p->v->ctx, oid, t, n, b, want,
									  p->err));
				return heap_skip(p, total - want, what, start);
			}
		}
		return heap_skip(p, (uint64_t)n * ts, what, start);
	}
	case HS_SUB_HEAP_DUMP_INFO: {
		HS_FORWARD_IF_ERROR(heap_need(p, 4 + id, &b, "HEAP_DUMP_INFO", start));
		if (sel && p->v->heap_info)
			return p->v->heap_info(p->v->ctx, hs_get_u4(b), hs_get_id(b + 4, id), p->err);
		return 0;
	}
	}
	return hs_error_set(p->err, HS_EFORMAT, start, "unknown heap dump sub-record tag 0x%02x", sub);
}

/* Parse sub-records until the current heap record (and any continuation
 * segments) are used up, or (reading spans) until a sub-record would start
 * at or after p->span_end. */
static int heap_body(struct pass *p)
{
	struct rd *r = &p->rd;
	int rc;

	for (;;) {
		uint64_t start;
		uint8_t sub;
		if (p->seg_left == 0) {
			/* a segment ending exactly at a sub-record boundary: the
			 * main loop reads the next record */
			return 0;
		}
		p->cur_start = rd_off(r);
		if (p->cur_start >= p->span_end)
			return 0;
		rc = rd_need(r, 1);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return hs_error_set(p->err, HS_ETRUNC, rd_off(r),
					    "truncated heap dump: %llu bytes of the record missing",
					    (unsigned long long)p->seg_left);
		start = rd_off(r);
		p->cur_start = start;
		if (p->v->checkpoint && p->selected && start >= p->next_checkpoint) {
			p->next_checkpoint = start + p->o->checkpoint_step;
			p->v->checkpoint(p->v->ctx, start, p->seg_left);
		}
		sub = r->buf[r->pos++];
		p->seg_left--;
		p->err->tag = sub;
		rc = sub_record(p, sub, start);
		if (rc < 0) {
			if (rc == HS_ECHANGED && p->err->offset == HS_NO_OFFSET)
				p->err->offset = start;   /* a visitor found it here */
			return rc;
		}
		if (p->selected)
			p->st->subrecords[sub]++;   /* counted once whole */
		p->err->tag = 0;
		p->st->last_good_offset = rd_off(r);
		if (p->v->progress && rd_off(r) >= p->next_progress) {
			p->next_progress = rd_off(r) + PROGRESS_STEP;
			p->v->progress(p->v->ctx, rd_off(r), hs_src_raw_pos(r->src),
				       hs_src_file_size(r->src));
		}
	}
}

/* A record that must be held whole (strings, traces, ...). */
static int held(struct pass *p, uint32_t len, uint8_t tag, uint64_t start, const unsigned char **out)
{
	int rc;
	if (len > HS_MAX_RECORD_HELD)
		return hs_error_set(p->err, HS_ELIMIT, start,
				    "%s record of %u bytes exceeds the limit of %u",
				    hs_tag_name(tag), len, HS_MAX_RECORD_HELD);
	rc = rd_need(&p->rd, len);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return hs_error_set(p->err, HS_ETRUNC, start, "truncated %s: need %u bytes, have %zu",
				    hs_tag_name(tag), len, rd_avail(&p->rd));
	*out = p->rd.buf + p->rd.pos;
	return 0;
}

static int too_short(struct pass *p, uint8_t tag, uint64_t start, uint32_t len, uint32_t need)
{
	return hs_error_set(p->err, HS_EFORMAT, start, "%s record of %u bytes is too short (need %u)",
			    hs_tag_name(tag), len, need);
}

static int record(struct pass *p, uint8_t tag, uint32_t len, uint64_t start)
{
	const hs_hprof_visitor *v = p->v;
	const unsigned id = p->idsz;
	const unsigned char *b;

	switch (tag) {
	case HS_TAG_STRING:
		if (len < id)
			return too_short(p, tag, start, len, id);
		if (!v->string)
			break;
		HS_FORWARD_IF_ERROR(held(p, len, tag, start, &b));
		HS_FORWARD_IF_ERROR(v->string(v->ctx, hs_get_id(b, id), (const char *)b + id,
					      len - id, p->err));
		break;
	case HS_TAG_LOAD_CLASS:
		if (len < 2 * id + 8)
			return too_short(p, tag, start, len, 2 * id + 8);
		if (!v->load_class)
			break;
		HS_FORWARD_IF_ERROR(held(p, len, tag, start, &b));
		HS_FORWARD_IF_ERROR(v->load_class(v->ctx, hs_get_u4(b), hs_get_id(b + 4, id),
						  hs_get_u4(b + 4 + id), hs_get_id(b + 8 + id, id),
						  p->err));
		break;
	case HS_TAG_FRAME:
		if (len < 4 * id + 8)
			return too_short(p, tag, start, len, 4 * id + 8);
		if (v->frame) {
			hs_frame f;
			HS_FORWARD_IF_ERROR(held(p, len, tag, start, &b));
			f.id = hs_get_id(b, id);
			f.method_name_id = hs_get_id(b + id, id);
			f.signature_id = hs_get_id(b + 2 * id, id);
			f.source_id = hs_get_id(b + 3 * id, id);
			f.class_serial = hs_get_u4(b + 4 * id);
			f.line = (int32_t)hs_get_u4(b + 4 * id + 4);
			HS_FORWARD_IF_ERROR(v->frame(v->ctx, &f, p->err));
		}
		break;
	case HS_TAG_TRACE:
		if (len < 12)
			return too_short(p, tag, start, len, 12);
		if (v->trace) {
			uint32_t nf;
			HS_FORWARD_IF_ERROR(held(p, len, tag, start, &b));
			nf = hs_get_u4(b + 8);
			if ((uint64_t)nf * id > len - 12)
				return hs_error_set(p->err, HS_EFORMAT, start,
						    "TRACE claims %u frames but has room for %u",
						    nf, (len - 12) / id);
			HS_FORWARD_IF_ERROR(v->trace(v->ctx, hs_get_u4(b), hs_get_u4(b + 4), nf,
						     b + 12, p->err));
		}
		break;
	case HS_TAG_START_THREAD:
		if (len < 4 * id + 8)
			return too_short(p, tag, start, len, 4 * id + 8);
		if (v->start_thread) {
			hs_thread_start t;
			HS_FORWARD_IF_ERROR(held(p, len, tag, start, &b));
			t.serial = hs_get_u4(b);
			t.object_id = hs_get_id(b + 4, id);
			t.trace_serial = hs_get_u4(b + 4 + id);
			t.name_id = hs_get_id(b + 8 + id, id);
			t.group_id = hs_get_id(b + 8 + 2 * id, id);
			t.parent_group_id = hs_get_id(b + 8 + 3 * id, id);
			HS_FORWARD_IF_ERROR(v->start_thread(v->ctx, &t, p->err));
		}
		break;
	default:
		break;
	}
	{
		int rc = rd_skip(&p->rd, len);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return hs_error_set(p->err, HS_ETRUNC, start,
					    "truncated %s record: %u bytes claimed, the file ends at offset %llu",
					    hs_tag_name(tag) ? hs_tag_name(tag) : "unknown", len,
					    (unsigned long long)p->rd.base);
	}
	return 0;
}

int hs_hprof_read(hs_src *src, const hs_hprof_opts *opts, const hs_hprof_visitor *v,
		  hs_hprof_stats *stats, hs_error *err)
{
	static const hs_hprof_opts defaults;   /* all zero */
	hs_hprof_stats local_stats;
	struct pass p;
	int rc;

	memset(&p, 0, sizeof(p));
	if (!stats)
		stats = &local_stats;
	memset(stats, 0, sizeof(*stats));
	p.v = v;
	p.o = opts ? opts : &defaults;
	p.st = stats;
	p.err = err;
	p.rd.src = src;
	p.rd.err = err;
	p.rd.cap = BUF_INIT;
	p.rd.buf = p.rd.own = malloc(p.rd.cap);
	p.next_progress = PROGRESS_STEP;
	p.span_end = UINT64_MAX;
	if (!p.rd.buf)
		return hs_error_set(err, HS_ENOMEM, 0, "out of memory");

	rc = read_header(&p);
	if (rc < 0)
		goto done;
	stats->last_good_offset = rd_off(&p.rd);

	for (;;) {
		uint8_t tag;
		uint32_t len;
		uint64_t start;

		p.cur_start = rd_off(&p.rd);
		rc = rd_need(&p.rd, 1);
		if (rc < 0)
			goto done;
		if (rc > 0)
			break;  /* clean end */
		start = rd_off(&p.rd);
		p.cur_start = start;
		rc = rd_need(&p.rd, 9);
		if (rc < 0)
			goto done;
		if (rc > 0) {
			rc = hs_error_set(err, HS_ETRUNC, start,
					  "truncated record header: need 9 bytes, have %zu",
					  rd_avail(&p.rd));
			goto done;
		}
		tag = p.rd.buf[p.rd.pos];
		len = hs_get_u4(p.rd.buf + p.rd.pos + 5);
		err->tag = tag;
		stats->records[tag]++;
		if (v->record) {
			rc = v->record(v->ctx, tag, start, len, err);
			if (rc < 0)
				goto done;
		}
		p.rd.pos += 9;
		if (tag == HS_TAG_HEAP_DUMP || tag == HS_TAG_HEAP_DUMP_SEGMENT) {
			if (!p.in_dump || tag == HS_TAG_HEAP_DUMP) {
				/* a new heap dump begins; it also ends an unclosed run
				 * of segments */
				if (p.selected) {
					p.dump_done = 1;
					p.selected = 0;
				}
				if (p.dump_done && p.o->stop_after_dump) {
					stats->records[tag]--;
					break;
				}
				stats->heap_dumps++;
				p.selected = (stats->heap_dumps - 1 == p.o->dump_index);
				if (p.selected && v->heap_begin) {
					rc = v->heap_begin(v->ctx, start, err);
					if (rc < 0)
						goto done;
				}
			}
			p.in_dump = (tag == HS_TAG_HEAP_DUMP_SEGMENT);
			p.seg_left = len;
			if (!p.selected) {
				rc = rd_skip(&p.rd, len);
				if (rc < 0)
					goto done;
				if (rc > 0) {
					rc = hs_error_set(err, HS_ETRUNC, start,
							  "truncated %s record: %u bytes claimed",
							  hs_tag_name(tag), len);
					goto done;
				}
				p.seg_left = 0;
			} else {
				rc = heap_body(&p);
				if (rc < 0)
					goto done;
			}
			if (tag == HS_TAG_HEAP_DUMP) {
				if (p.selected) {
					p.dump_done = 1;
					p.selected = 0;
				}
			}
		} else {
			if (tag == HS_TAG_HEAP_DUMP_END || p.in_dump) {
				if (p.selected)
					p.dump_done = 1;
				p.in_dump = 0;
				p.selected = 0;
				if (p.dump_done && p.o->stop_after_dump && tag != HS_TAG_HEAP_DUMP_END) {
					stats->records[tag]--;
					break;   /* the record after an unclosed dump is not ours */
				}
			}
			rc = record(&p, tag, len, start);
			if (rc < 0)
				goto done;
		}
		err->tag = 0;
		stats->last_good_offset = rd_off(&p.rd);
		if (p.dump_done && p.o->stop_after_dump)
			break;
		if (v->progress && rd_off(&p.rd) >= p.next_progress) {
			p.next_progress = rd_off(&p.rd) + PROGRESS_STEP;
			v->progress(v->ctx, rd_off(&p.rd), hs_src_raw_pos(src), hs_src_file_size(src));
		}
	}
	rc = 0;
	if (p.rd.src_trunc) {
		/* every record was whole, but the compressed stream was cut */
		rc = hs_error_set(err, HS_ETRUNC, rd_off(&p.rd), "%s", p.rd.src_err.msg);
	}
done:
	if (rc < 0 && p.rd.src_failed)
		err->offset = p.cur_start;   /* where the record being read starts */
	stats->bytes = rd_off(&p.rd);
	if (rc == HS_ETRUNC)
		stats->truncated = 1;
	free(p.rd.own);
	free(p.scratch);
	free(p.statics);
	free(p.fields);
	return rc;
}

int hs_hprof_same_header(hs_src *src, const hs_hprof_header *expect, hs_error *err)
{
	unsigned char b[64];
	size_t vlen = strnlen(expect->version, sizeof(expect->version)), need = vlen + 1 + 12, have = 0;
	int rc;
	if (need > sizeof(b))
		return 0;
	rc = hs_src_seek(src, 0, err);
	if (rc < 0)
		return rc;
	while (have < need) {
		ssize_t k = hs_src_read(src, b + have, need - have, err);
		if (k < 0)
			return (int)k;
		if (k == 0)
			return 0;
		have += (size_t)k;
	}
	return memcmp(b, expect->version, vlen) == 0 && b[vlen] == '\0' &&
	       hs_get_u4(b + vlen + 1) == expect->idsize &&
	       hs_get_u4(b + vlen + 5) == (uint32_t)(expect->timestamp_ms >> 32) &&
	       hs_get_u4(b + vlen + 9) == (uint32_t)expect->timestamp_ms;
}

/*
 * Spans: the heap sub-records between two checkpoints, read after seeking
 * there.  The state of the heap stream at a sub-record's start is its
 * offset and what is left of its segment (seg_left); from there the
 * segments that follow are read as in a whole pass, until a sub-record
 * would start at or after the span's end or the dump ends.
 */
int hs_hprof_read_spans(hs_src *src, unsigned idsize, const hs_hprof_span *spans, size_t n,
			const hs_hprof_visitor *v, hs_hprof_stats *out_stats, hs_error *err)
{
	static const hs_hprof_opts defaults;   /* all zero */
	hs_hprof_stats stats;
	struct pass p;
	size_t i;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	memset(&stats, 0, sizeof(stats));
	p.v = v;
	p.o = &defaults;
	p.st = &stats;
	p.err = err;
	p.idsz = idsize;
	p.rd.src = src;
	p.rd.err = err;
	p.rd.cap = BUF_INIT;
	p.rd.buf = p.rd.own = malloc(p.rd.cap);
	p.next_progress = v->progress ? 0 : UINT64_MAX;
	p.next_checkpoint = UINT64_MAX;
	if (!p.rd.buf)
		return hs_error_oom(err, NULL);
	for (i = 0; i < n && rc == 0; i++) {
		const hs_hprof_span *sp = &spans[i];
		rc = hs_src_seek(src, sp->offset, err);
		if (rc < 0)
			break;
		rd_reset(&p.rd, sp->offset);
		p.in_dump = 1;
		p.selected = 1;
		p.seg_left = sp->seg_left;
		p.span_end = sp->end;
		for (;;) {
			rc = heap_body(&p);
			if (rc < 0 || rd_off(&p.rd) >= sp->end)
				break;
			/* the segment is used up: go on into the next one */
			rc = heap_next_segment(&p);
			if (rc != 0) {
				if (rc > 0)
					rc = 0;   /* the dump (or the input) ends */
				break;
			}
		}
	}
	err->tag = 0;
	if (rc < 0 && p.rd.src_failed)
		err->offset = p.cur_start;
	if (out_stats)
		*out_stats = stats;
	free(p.rd.own);
	free(p.scratch);
	free(p.statics);
	free(p.fields);
	return rc;
}
