/*
 * check_hprof.c - unit tests for the streaming HPROF reader (hprof.h).
 *
 * Every test builds a dump with tests/support/hprof_writer, writes it to a
 * file under a temporary folder, opens it with hs_src_open and reads it with
 * hs_hprof_read through a visitor that records everything it is given.  The
 * assertions are on exact counts, values and error offsets.
 *
 * Offset convention checked by the malformed cases: err->offset is the byte
 * offset, in the decompressed stream, of the start of the top-level record or
 * heap sub-record (its tag byte) being parsed when the error happened.  When
 * the input ends between two sub-records of a heap record, or after the last
 * whole record of a cut compressed stream, that is where the next one would
 * start (stats->last_good_offset).  Header errors are at offset 0, except
 * those of the fixed part after the version string (id size, cut header),
 * which are at its offset (19 for "JAVA PROFILE 1.0.x").
 *
 * TCases: core (formats, every record kind, segments, several dumps,
 * compression), limits (chunked arrays, big records, caps), malformed.
 */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "heapscan/error.h"
#include "heapscan/hprof.h"
#include "heapscan/source.h"
#include "hprof_writer.h"
#include "unit.h"

/* ---- temporary folder (one per TCase, made in the parent process) ---- */

static char tmp_dir[PATH_MAX];

static void tmp_setup(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/check_hprof-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmp_dir)) {
		perror("mkdtemp");
		abort();
	}
}

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX + 256];
	struct stat st;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void tmp_teardown(void)
{
	if (tmp_dir[0])
		rm_tree(tmp_dir);
}

static const char *tmp_path(char *buf, size_t n, const char *name)
{
	int k = snprintf(buf, n, "%s/%s", tmp_dir, name);
	ck_assert_msg(k >= 0 && (size_t)k < n, "path too long: %s/%s", tmp_dir, name);
	return buf;
}

/* ---- a visitor that records everything ---------------------------------- */

struct rec { uint8_t tag; uint64_t off; uint32_t len; };
struct str { uint64_t id; char *text; uint32_t len; };
struct lcls { uint32_t serial, trace; uint64_t class_id, name_id; };
struct trc { uint32_t serial, thread, n; uint64_t ids[8]; };
struct cls { hs_class_dump c; hs_static_field *statics; hs_field *fields; };
struct inst { uint64_t id, class_id; unsigned char *data; uint32_t len; };
struct oarr {
	uint64_t id, class_id;
	uint32_t length, got, chunks;
	int order_bad;           /* a chunk did not follow the previous one */
	uint64_t *elems;
};
struct parr {
	uint64_t id;
	uint8_t type;
	uint32_t length;
	uint32_t data_calls, ndata;
	unsigned char *data;
};
struct hinfo { uint32_t heap_id; uint64_t name_id; };

#define VEC(T, name) T *name; size_t n_##name, cap_##name

struct seen {
	unsigned idsize;
	int headers;
	hs_hprof_header hdr;
	VEC(struct rec, recs);
	VEC(struct str, strs);
	VEC(struct lcls, lcs);
	VEC(hs_frame, frames);
	VEC(struct trc, traces);
	VEC(hs_thread_start, threads);
	unsigned heap_begins;
	uint64_t heap_begin_off;
	VEC(hs_root, roots);
	VEC(struct cls, classes);
	VEC(struct inst, insts);
	VEC(struct oarr, oarrs);
	VEC(struct parr, parrs);
	VEC(struct hinfo, hinfos);
	unsigned progress_calls;
	uint64_t progress_done, progress_raw_done, progress_raw_total;
	/* behaviour */
	uint32_t want;           /* returned by prim_array_want */
	long stop_after_roots;   /* > 0: fail the pass at that many roots */
	uint64_t obj_elems;      /* elements seen in all obj_array chunks */
	int obj_array_order_bad; /* a chunk came for an array not started */
};

static void *vec_slot(void *pv, size_t *n, size_t *cap, size_t elem)
{
	void **pp = pv;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *q = realloc(*pp, c * elem);
		if (!q)
			abort();
		*pp = q;
		*cap = c;
	}
	memset((char *)*pp + *n * elem, 0, elem);
	return (char *)*pp + (*n)++ * elem;
}

#define PUSH(s, name) \
	((__typeof__((s)->name))vec_slot(&(s)->name, &(s)->n_##name, &(s)->cap_##name, \
					 sizeof(*(s)->name)))

static void *xmemdup(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);
	if (!q)
		abort();
	if (n)
		memcpy(q, p, n);
	return q;
}

static void seen_free(struct seen *s)
{
	size_t i;
	for (i = 0; i < s->n_strs; i++)
		free(s->strs[i].text);
	for (i = 0; i < s->n_classes; i++) {
		free(s->classes[i].statics);
		free(s->classes[i].fields);
	}
	for (i = 0; i < s->n_insts; i++)
		free(s->insts[i].data);
	for (i = 0; i < s->n_oarrs; i++)
		free(s->oarrs[i].elems);
	for (i = 0; i < s->n_parrs; i++)
		free(s->parrs[i].data);
	free(s->recs);
	free(s->strs);
	free(s->lcs);
	free(s->frames);
	free(s->traces);
	free(s->threads);
	free(s->roots);
	free(s->classes);
	free(s->insts);
	free(s->oarrs);
	free(s->parrs);
	free(s->hinfos);
	memset(s, 0, sizeof(*s));
}

static int v_header(void *ctx, const hs_hprof_header *h, hs_error *err)
{
	struct seen *s = ctx;
	(void)err;
	s->headers++;
	s->hdr = *h;
	s->idsize = h->idsize;
	return 0;
}

static int v_record(void *ctx, uint8_t tag, uint64_t offset, uint32_t length, hs_error *err)
{
	struct seen *s = ctx;
	struct rec *r = PUSH(s, recs);
	(void)err;
	r->tag = tag;
	r->off = offset;
	r->len = length;
	return 0;
}

static int v_string(void *ctx, uint64_t id, const char *utf8, uint32_t len, hs_error *err)
{
	struct seen *s = ctx;
	struct str *r = PUSH(s, strs);
	(void)err;
	r->id = id;
	r->len = len;
	r->text = malloc((size_t)len + 1);
	if (!r->text)
		abort();
	memcpy(r->text, utf8, len);
	r->text[len] = '\0';
	return 0;
}

static int v_load_class(void *ctx, uint32_t serial, uint64_t class_id, uint32_t trace,
			uint64_t name_id, hs_error *err)
{
	struct seen *s = ctx;
	struct lcls *r = PUSH(s, lcs);
	(void)err;
	r->serial = serial;
	r->class_id = class_id;
	r->trace = trace;
	r->name_id = name_id;
	return 0;
}

static int v_frame(void *ctx, const hs_frame *f, hs_error *err)
{
	struct seen *s = ctx;
	(void)err;
	*PUSH(s, frames) = *f;
	return 0;
}

static int v_trace(void *ctx, uint32_t serial, uint32_t thread_serial, uint32_t nframes,
		   const unsigned char *frame_ids, hs_error *err)
{
	struct seen *s = ctx;
	struct trc *r = PUSH(s, traces);
	uint32_t i;
	(void)err;
	r->serial = serial;
	r->thread = thread_serial;
	r->n = nframes;
	for (i = 0; i < nframes && i < 8; i++)
		r->ids[i] = hs_get_id(frame_ids + (size_t)i * s->idsize, s->idsize);
	return 0;
}

static int v_start_thread(void *ctx, const hs_thread_start *t, hs_error *err)
{
	struct seen *s = ctx;
	(void)err;
	*PUSH(s, threads) = *t;
	return 0;
}

static int v_heap_begin(void *ctx, uint64_t offset, hs_error *err)
{
	struct seen *s = ctx;
	(void)err;
	s->heap_begins++;
	s->heap_begin_off = offset;
	return 0;
}

static int v_root(void *ctx, const hs_root *r, hs_error *err)
{
	struct seen *s = ctx;
	*PUSH(s, roots) = *r;
	if (s->stop_after_roots > 0 && (long)s->n_roots >= s->stop_after_roots)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "visitor stops at %zu roots",
				    s->n_roots);
	return 0;
}

static int v_class_dump(void *ctx, const hs_class_dump *c, hs_error *err)
{
	struct seen *s = ctx;
	struct cls *r = PUSH(s, classes);
	(void)err;
	r->c = *c;
	r->statics = xmemdup(c->statics, c->nstatics * sizeof(*c->statics));
	r->fields = xmemdup(c->fields, c->nfields * sizeof(*c->fields));
	r->c.statics = NULL;
	r->c.fields = NULL;
	return 0;
}

static int v_instance(void *ctx, uint64_t id, uint64_t class_id, const unsigned char *data,
		      uint32_t len, hs_error *err)
{
	struct seen *s = ctx;
	struct inst *r = PUSH(s, insts);
	(void)err;
	r->id = id;
	r->class_id = class_id;
	r->len = len;
	r->data = xmemdup(data, len);
	return 0;
}

static int v_obj_array(void *ctx, const hs_obj_array *a, hs_error *err)
{
	struct seen *s = ctx;
	struct oarr *r;
	uint32_t i;
	(void)err;
	if (a->first == 0) {
		r = PUSH(s, oarrs);
		r->id = a->id;
		r->class_id = a->class_id;
		r->length = a->length;
		r->elems = calloc(a->length ? a->length : 1, sizeof(uint64_t));
		if (!r->elems)
			abort();
	} else {
		if (s->n_oarrs == 0) {
			s->obj_array_order_bad = 1;
			return 0;
		}
		r = &s->oarrs[s->n_oarrs - 1];
	}
	r->chunks++;
	if (a->id != r->id || a->class_id != r->class_id || a->length != r->length ||
	    a->first != r->got || (uint64_t)a->first + a->count > a->length) {
		r->order_bad = 1;
		return 0;
	}
	for (i = 0; i < a->count; i++)
		r->elems[a->first + i] = hs_get_id(a->elems + (size_t)i * s->idsize, s->idsize);
	r->got += a->count;
	s->obj_elems += a->count;
	return 0;
}

static int v_prim_array(void *ctx, uint64_t id, uint8_t type, uint32_t length, hs_error *err)
{
	struct seen *s = ctx;
	struct parr *r = PUSH(s, parrs);
	(void)err;
	r->id = id;
	r->type = type;
	r->length = length;
	return 0;
}

static uint32_t v_prim_array_want(void *ctx, uint64_t id, uint8_t type, uint32_t length)
{
	struct seen *s = ctx;
	(void)id;
	(void)type;
	(void)length;
	return s->want;
}

static int v_prim_array_data(void *ctx, uint64_t id, uint8_t type, uint32_t length,
			     const unsigned char *data, uint32_t nbytes, hs_error *err)
{
	struct seen *s = ctx;
	struct parr *r;
	(void)err;
	if (s->n_parrs == 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "data before prim_array");
	r = &s->parrs[s->n_parrs - 1];
	if (r->id != id || r->type != type || r->length != length)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "data for another array");
	r->data_calls++;
	free(r->data);
	r->data = xmemdup(data, nbytes);
	r->ndata = nbytes;
	return 0;
}

static int v_heap_info(void *ctx, uint32_t heap_id, uint64_t name_id, hs_error *err)
{
	struct seen *s = ctx;
	struct hinfo *r = PUSH(s, hinfos);
	(void)err;
	r->heap_id = heap_id;
	r->name_id = name_id;
	return 0;
}

static void v_progress(void *ctx, uint64_t done, uint64_t raw_done, uint64_t raw_total)
{
	struct seen *s = ctx;
	s->progress_calls++;
	s->progress_done = done;
	s->progress_raw_done = raw_done;
	s->progress_raw_total = raw_total;
}

static hs_hprof_visitor full_visitor(struct seen *s)
{
	hs_hprof_visitor v;
	memset(&v, 0, sizeof(v));
	v.ctx = s;
	v.header = v_header;
	v.record = v_record;
	v.string = v_string;
	v.load_class = v_load_class;
	v.frame = v_frame;
	v.trace = v_trace;
	v.start_thread = v_start_thread;
	v.heap_begin = v_heap_begin;
	v.root = v_root;
	v.class_dump = v_class_dump;
	v.instance = v_instance;
	v.obj_array = v_obj_array;
	v.prim_array = v_prim_array;
	v.prim_array_want = v_prim_array_want;
	v.prim_array_data = v_prim_array_data;
	v.heap_info = v_heap_info;
	v.progress = v_progress;
	return v;
}

/* ---- running the reader ------------------------------------------------- */

struct run {
	int rc;
	hs_error err;
	hs_hprof_stats st;
};

static int read_file(const char *path, const hs_hprof_opts *o, const hs_hprof_visitor *v,
		     struct run *r)
{
	hs_src *src = NULL;

	memset(r, 0, sizeof(*r));
	hs_error_clear(&r->err);
	r->rc = hs_src_open(&src, path, 0, &r->err);
	if (r->rc < 0) {
		ck_assert_ptr_null(src);
		return r->rc;
	}
	r->rc = hs_hprof_read(src, o, v, &r->st, &r->err);
	hs_src_free(src);
	return r->rc;
}

static void write_or_die(const hw *w, const char *path)
{
	ck_assert_msg(hw_write_file(w, path) == 0, "cannot write %s: %s", path, strerror(errno));
}

/* Write w to tmp/name and read it with the full visitor into s. */
static int run_hw(const hw *w, const char *name, const hs_hprof_opts *o, struct seen *s,
		  struct run *r)
{
	char path[PATH_MAX];
	hs_hprof_visitor v = full_visitor(s);
	write_or_die(w, tmp_path(path, sizeof(path), name));
	return read_file(path, o, &v, r);
}

/* An error as the convention wants it: code, offset, a message. */
#define ASSERT_ERR(r, code_, off_) do { \
	ck_assert_int_eq((r)->rc, (code_)); \
	ck_assert_int_eq((r)->err.code, (code_)); \
	ck_assert_uint_eq((r)->err.offset, (uint64_t)(off_)); \
	ck_assert_msg((r)->err.msg[0] != '\0', "empty error message"); \
} while (0)

#define ASSERT_OK(r) \
	ck_assert_msg((r)->rc == 0, "hs_hprof_read: %d at offset %llu: %s", (r)->rc, \
		      (unsigned long long)(r)->err.offset, (r)->err.msg)

/* Identifiers that use every byte of the id size (and its top bit for 4). */
static uint64_t ID(unsigned idsize, uint64_t x)
{
	return idsize == 8 ? (UINT64_C(0x7eadbeef) << 32) | x : UINT64_C(0xc0000000) | x;
}

static uint64_t sum_subrecords(const hs_hprof_stats *st)
{
	uint64_t n = 0;
	int i;
	for (i = 0; i < 256; i++)
		n += st->subrecords[i];
	return n;
}

static uint64_t sum_records(const hs_hprof_stats *st)
{
	uint64_t n = 0;
	int i;
	for (i = 0; i < 256; i++)
		n += st->records[i];
	return n;
}

/* Records are reported in order, back to back, covering the whole file. */
static void check_record_chain(const struct seen *s, uint64_t header_len, uint64_t file_len)
{
	uint64_t off = header_len;
	size_t i;
	for (i = 0; i < s->n_recs; i++) {
		ck_assert_msg(s->recs[i].off == off, "record %zu (tag 0x%02x) at %llu, expected %llu",
			      i, s->recs[i].tag, (unsigned long long)s->recs[i].off,
			      (unsigned long long)off);
		off += 9 + (uint64_t)s->recs[i].len;
	}
	ck_assert_uint_eq(off, file_len);
}

/* ---- the sample dump: every HotSpot record and sub-record kind ----------- */

#define N_SAMPLE_STRINGS 8
#define N_SAMPLE_ROOTS 9
#define N_PRIM_TYPES 8

static const uint8_t prim_types[N_PRIM_TYPES] = {
	HS_T_BOOLEAN, HS_T_CHAR, HS_T_FLOAT, HS_T_DOUBLE, HS_T_BYTE, HS_T_SHORT, HS_T_INT, HS_T_LONG
};

static const char utf8_text[] = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x98\x83";

struct sample {
	unsigned idsize;
	size_t heap_len;       /* heap body length */
	size_t heap_off;       /* file offset of the first heap record */
	size_t mode;
	hw_buf foo_fields;     /* instance bytes of the Foo object */
};

static void sample_free(struct sample *x) { hw_buf_free(&x->foo_fields); }

/* Expected roots, in dump order. */
static void sample_roots(unsigned z, hs_root out[N_SAMPLE_ROOTS])
{
	static const struct { uint8_t kind; uint64_t id, extra; uint32_t thread, frame; } t[] = {
		{ HS_SUB_ROOT_UNKNOWN, 0x500, 0, 0, UINT32_MAX },
		{ HS_SUB_ROOT_JNI_GLOBAL, 0x501, 0x601, 0, UINT32_MAX },
		{ HS_SUB_ROOT_JNI_LOCAL, 0x502, 0, 1, 3 },
		{ HS_SUB_ROOT_JAVA_FRAME, 0x503, 0, 1, 4 },
		{ HS_SUB_ROOT_NATIVE_STACK, 0x504, 0, 2, UINT32_MAX },
		{ HS_SUB_ROOT_STICKY_CLASS, 0x100, 0, 0, UINT32_MAX },
		{ HS_SUB_ROOT_THREAD_BLOCK, 0x505, 0, 3, UINT32_MAX },
		{ HS_SUB_ROOT_MONITOR_USED, 0x506, 0, 0, UINT32_MAX },
		/* the reader puts the stack trace serial in frame */
		{ HS_SUB_ROOT_THREAD_OBJECT, 0x400, 0, 1, 7 },
	};
	int i;
	for (i = 0; i < N_SAMPLE_ROOTS; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].kind = t[i].kind;
		out[i].id = ID(z, t[i].id);
		out[i].extra_id = t[i].extra ? ID(z, t[i].extra) : 0;
		out[i].thread_serial = t[i].thread;
		out[i].frame = t[i].frame;
	}
}

static const hw_static *foo_statics(unsigned z, hw_static st[9])
{
	static const struct { uint8_t type; uint64_t value; } t[9] = {
		{ HS_T_OBJECT, 0 },
		{ HS_T_BOOLEAN, 1 },
		{ HS_T_CHAR, 0x263a },
		{ HS_T_FLOAT, 0x3fc00000 },
		{ HS_T_DOUBLE, UINT64_C(0x400921fb54442d18) },
		{ HS_T_BYTE, 0xfe },
		{ HS_T_SHORT, 0x8001 },
		{ HS_T_INT, 0x80000001 },
		{ HS_T_LONG, UINT64_C(0x8000000000000001) },
	};
	int i;
	for (i = 0; i < 9; i++) {
		st[i].name_id = ID(z, 0x1000 + (uint64_t)i);
		st[i].type = t[i].type;
		st[i].value = t[i].type == HS_T_OBJECT ? ID(z, 0x705) : t[i].value;
	}
	return st;
}

static const hw_ifield *foo_fields(unsigned z, hw_ifield f[9])
{
	static const uint8_t types[9] = {
		HS_T_INT, HS_T_OBJECT, HS_T_BOOLEAN, HS_T_LONG, HS_T_DOUBLE, HS_T_CHAR,
		HS_T_SHORT, HS_T_BYTE, HS_T_FLOAT
	};
	int i;
	for (i = 0; i < 9; i++) {
		f[i].name_id = ID(z, 0x2000 + (uint64_t)i);
		f[i].type = types[i];
	}
	return f;
}

/* Heap sub-records of the sample (HotSpot kinds only). */
static void sample_heap(hw *w, struct sample *x)
{
	const unsigned z = hw_idsize(w);
	hw_static st[9];
	hw_ifield fl[9];
	hw_cpool_entry cp[2] = { { 1, HS_T_INT, 0x01020304 }, { 2, HS_T_OBJECT, 0 } };
	hw_class_spec obj, foo;
	uint64_t elems[3];
	int i;

	hw_root_unknown(w, ID(z, 0x500));
	hw_root_jni_global(w, ID(z, 0x501), ID(z, 0x601));
	hw_root_jni_local(w, ID(z, 0x502), 1, 3);
	hw_root_java_frame(w, ID(z, 0x503), 1, 4);
	hw_root_native_stack(w, ID(z, 0x504), 2);
	hw_root_sticky_class(w, ID(z, 0x100));
	hw_root_thread_block(w, ID(z, 0x505), 3);
	hw_root_monitor_used(w, ID(z, 0x506));
	hw_root_thread_object(w, ID(z, 0x400), 1, 7);

	memset(&obj, 0, sizeof(obj));
	obj.id = ID(z, 0x100);
	hw_class_dump(w, &obj);

	cp[1].value = ID(z, 0x704);
	memset(&foo, 0, sizeof(foo));
	foo.id = ID(z, 0x200);
	foo.trace_serial = 7;
	foo.super_id = ID(z, 0x100);
	foo.loader_id = ID(z, 0x700);
	foo.signers_id = ID(z, 0x701);
	foo.domain_id = ID(z, 0x702);
	foo.reserved1 = 0;
	foo.reserved2 = ID(z, 0x703);
	foo.instance_size = 24;
	foo.ncpool = 2;
	foo.cpool = cp;
	foo.nstatics = 9;
	foo.statics = foo_statics(z, st);
	foo.nfields = 9;
	foo.fields = foo_fields(z, fl);
	hw_class_dump(w, &foo);

	hw_buf_init(&x->foo_fields, z);
	hw_buf_value(&x->foo_fields, HS_T_INT, 0x7fffffff);
	hw_buf_value(&x->foo_fields, HS_T_OBJECT, ID(z, 0x801));
	hw_buf_value(&x->foo_fields, HS_T_BOOLEAN, 1);
	hw_buf_value(&x->foo_fields, HS_T_LONG, UINT64_C(0x0123456789abcdef));
	hw_buf_value(&x->foo_fields, HS_T_DOUBLE, UINT64_C(0x400921fb54442d18));
	hw_buf_value(&x->foo_fields, HS_T_CHAR, 0x263a);
	hw_buf_value(&x->foo_fields, HS_T_SHORT, 0xfffe);
	hw_buf_value(&x->foo_fields, HS_T_BYTE, 0x80);
	hw_buf_value(&x->foo_fields, HS_T_FLOAT, 0x3f800000);
	hw_instance_ex(w, ID(z, 0x800), 7, ID(z, 0x200), x->foo_fields.p,
		       (uint32_t)x->foo_fields.len);
	hw_instance(w, ID(z, 0x801), ID(z, 0x100), NULL, 0);

	elems[0] = ID(z, 0x800);
	elems[1] = 0;
	elems[2] = ID(z, 0x801);
	hw_obj_array(w, ID(z, 0x900), ID(z, 0x901), 3, elems);
	hw_obj_array_ex(w, ID(z, 0x902), 7, ID(z, 0x901), 0, NULL);

	for (i = 0; i < N_PRIM_TYPES; i++)
		hw_prim_array(w, ID(z, 0xa00 + (uint64_t)i), prim_types[i], 5 + (uint32_t)i);
	hw_prim_array(w, ID(z, 0xa20), HS_T_BYTE, 0);
}

/* The whole sample file; mode is the hw_heap_dump_flush mode. */
static hw *sample_new(const char *version, unsigned z, size_t mode, struct sample *x)
{
	hw *w = hw_new(version, z);
	uint64_t frames[2] = { ID(z, 0x300), ID(z, 0x301) };
	static const unsigned char junk[5] = { 0x01, 0x00, 0x00, 0x00, 0x00 };

	memset(x, 0, sizeof(*x));
	x->idsize = z;
	x->mode = mode;
	hw_string(w, ID(z, 1), "java/lang/Object");
	hw_string(w, ID(z, 2), "com/example/Foo");
	hw_string(w, ID(z, 3), "");
	hw_string(w, ID(z, 4), utf8_text);
	hw_string(w, ID(z, 5), "run");
	hw_string(w, ID(z, 6), "()V");
	hw_string(w, ID(z, 7), "Foo.java");
	hw_string(w, ID(z, 8), "main");
	hw_load_class(w, 1, ID(z, 0x100), ID(z, 1));
	hw_load_class_ex(w, 2, ID(z, 0x200), 7, ID(z, 2));
	hw_frame(w, ID(z, 0x300), ID(z, 5), ID(z, 6), ID(z, 7), 2, 42);
	hw_frame(w, ID(z, 0x301), ID(z, 5), ID(z, 6), 0, 2, -3);
	hw_trace(w, 7, 1, 2, frames);
	hw_trace(w, 8, 1, 0, NULL);
	hw_start_thread(w, 1, ID(z, 0x400), 7, ID(z, 8), ID(z, 0x401), ID(z, 0x402));
	hw_record(w, 0x42, junk, sizeof(junk));  /* unknown tag: skipped */
	hw_heap_summary(w, 1000, 10, UINT64_C(0x100000000), 20);
	sample_heap(w, x);
	x->heap_len = hw_heap_len(w);
	x->heap_off = hw_heap_dump_flush(w, mode);
	hw_end_thread(w, 1);
	hw_unload_class(w, 2);
	return w;
}

static uint32_t sample_segments(const struct sample *x)
{
	if (x->mode == HW_ONE_RECORD)
		return 0;
	return x->heap_len == 0 ? 1 : (uint32_t)((x->heap_len + x->mode - 1) / x->mode);
}

/* Assert that s and r are exactly what reading the sample must give
 * (s->want is the prim_array_want answer that was used). */
static void check_sample(const struct sample *x, const hw *w, const struct seen *s,
			 const struct run *r)
{
	const unsigned z = x->idsize;
	hs_root roots[N_SAMPLE_ROOTS];
	hw_static st[9];
	hw_ifield fl[9];
	const hs_hprof_stats *S = &r->st;
	uint32_t nseg = sample_segments(x);
	size_t i;

	ASSERT_OK(r);
	ck_assert_int_eq(S->truncated, 0);
	ck_assert_uint_eq(S->bytes, hw_len(w));
	ck_assert_uint_eq(S->last_good_offset, hw_len(w));
	ck_assert_uint_eq(S->heap_dumps, 1);

	/* header */
	ck_assert_int_eq(s->headers, 1);
	ck_assert_uint_eq(s->hdr.idsize, z);
	ck_assert_uint_eq(s->hdr.timestamp_ms, HW_DEFAULT_TIME);
	ck_assert_uint_eq(s->hdr.header_len, strlen(s->hdr.version) + 1 + 12);

	/* top-level records */
	ck_assert_uint_eq(S->records[HS_TAG_STRING], N_SAMPLE_STRINGS);
	ck_assert_uint_eq(S->records[HS_TAG_LOAD_CLASS], 2);
	ck_assert_uint_eq(S->records[HS_TAG_UNLOAD_CLASS], 1);
	ck_assert_uint_eq(S->records[HS_TAG_FRAME], 2);
	ck_assert_uint_eq(S->records[HS_TAG_TRACE], 2);
	ck_assert_uint_eq(S->records[HS_TAG_START_THREAD], 1);
	ck_assert_uint_eq(S->records[HS_TAG_END_THREAD], 1);
	ck_assert_uint_eq(S->records[HS_TAG_HEAP_SUMMARY], 1);
	ck_assert_uint_eq(S->records[0x42], 1);
	ck_assert_uint_eq(S->records[HS_TAG_HEAP_DUMP], nseg ? 0 : 1);
	ck_assert_uint_eq(S->records[HS_TAG_HEAP_DUMP_SEGMENT], nseg);
	ck_assert_uint_eq(S->records[HS_TAG_HEAP_DUMP_END], nseg ? 1 : 0);
	ck_assert_uint_eq(sum_records(S), 19 + (nseg ? nseg + 1 : 1));
	ck_assert_uint_eq(s->n_recs, sum_records(S));
	check_record_chain(s, s->hdr.header_len, hw_len(w));
	ck_assert_uint_eq(s->recs[17].off, x->heap_off);
	ck_assert_uint_eq(s->recs[17].tag, nseg ? HS_TAG_HEAP_DUMP_SEGMENT : HS_TAG_HEAP_DUMP);

	/* strings */
	ck_assert_uint_eq(s->n_strs, N_SAMPLE_STRINGS);
	ck_assert_uint_eq(s->strs[0].id, ID(z, 1));
	ck_assert_str_eq(s->strs[0].text, "java/lang/Object");
	ck_assert_uint_eq(s->strs[1].id, ID(z, 2));
	ck_assert_str_eq(s->strs[1].text, "com/example/Foo");
	ck_assert_uint_eq(s->strs[2].id, ID(z, 3));
	ck_assert_uint_eq(s->strs[2].len, 0);
	ck_assert_uint_eq(s->strs[3].id, ID(z, 4));
	ck_assert_uint_eq(s->strs[3].len, strlen(utf8_text));
	ck_assert_str_eq(s->strs[3].text, utf8_text);
	ck_assert_str_eq(s->strs[7].text, "main");

	/* classes, frames, traces, threads */
	ck_assert_uint_eq(s->n_lcs, 2);
	ck_assert_uint_eq(s->lcs[0].serial, 1);
	ck_assert_uint_eq(s->lcs[0].class_id, ID(z, 0x100));
	ck_assert_uint_eq(s->lcs[0].trace, 0);
	ck_assert_uint_eq(s->lcs[0].name_id, ID(z, 1));
	ck_assert_uint_eq(s->lcs[1].serial, 2);
	ck_assert_uint_eq(s->lcs[1].class_id, ID(z, 0x200));
	ck_assert_uint_eq(s->lcs[1].trace, 7);
	ck_assert_uint_eq(s->lcs[1].name_id, ID(z, 2));
	ck_assert_uint_eq(s->n_frames, 2);
	ck_assert_uint_eq(s->frames[0].id, ID(z, 0x300));
	ck_assert_uint_eq(s->frames[0].method_name_id, ID(z, 5));
	ck_assert_uint_eq(s->frames[0].signature_id, ID(z, 6));
	ck_assert_uint_eq(s->frames[0].source_id, ID(z, 7));
	ck_assert_uint_eq(s->frames[0].class_serial, 2);
	ck_assert_int_eq(s->frames[0].line, 42);
	ck_assert_uint_eq(s->frames[1].id, ID(z, 0x301));
	ck_assert_uint_eq(s->frames[1].source_id, 0);
	ck_assert_int_eq(s->frames[1].line, -3);
	ck_assert_uint_eq(s->n_traces, 2);
	ck_assert_uint_eq(s->traces[0].serial, 7);
	ck_assert_uint_eq(s->traces[0].thread, 1);
	ck_assert_uint_eq(s->traces[0].n, 2);
	ck_assert_uint_eq(s->traces[0].ids[0], ID(z, 0x300));
	ck_assert_uint_eq(s->traces[0].ids[1], ID(z, 0x301));
	ck_assert_uint_eq(s->traces[1].serial, 8);
	ck_assert_uint_eq(s->traces[1].n, 0);
	ck_assert_uint_eq(s->n_threads, 1);
	ck_assert_uint_eq(s->threads[0].serial, 1);
	ck_assert_uint_eq(s->threads[0].object_id, ID(z, 0x400));
	ck_assert_uint_eq(s->threads[0].trace_serial, 7);
	ck_assert_uint_eq(s->threads[0].name_id, ID(z, 8));
	ck_assert_uint_eq(s->threads[0].group_id, ID(z, 0x401));
	ck_assert_uint_eq(s->threads[0].parent_group_id, ID(z, 0x402));

	/* heap */
	ck_assert_uint_eq(s->heap_begins, 1);
	ck_assert_uint_eq(s->heap_begin_off, x->heap_off);
	ck_assert_uint_eq(sum_subrecords(S), N_SAMPLE_ROOTS + 2 + 2 + 2 + N_PRIM_TYPES + 1);
	ck_assert_uint_eq(S->subrecords[HS_SUB_CLASS_DUMP], 2);
	ck_assert_uint_eq(S->subrecords[HS_SUB_INSTANCE_DUMP], 2);
	ck_assert_uint_eq(S->subrecords[HS_SUB_OBJ_ARRAY_DUMP], 2);
	ck_assert_uint_eq(S->subrecords[HS_SUB_PRIM_ARRAY_DUMP], N_PRIM_TYPES + 1);

	sample_roots(z, roots);
	ck_assert_uint_eq(s->n_roots, N_SAMPLE_ROOTS);
	for (i = 0; i < N_SAMPLE_ROOTS; i++) {
		const hs_root *a = &s->roots[i], *e = &roots[i];
		ck_assert_uint_eq(S->subrecords[e->kind], 1);
		ck_assert_uint_eq(a->kind, e->kind);
		ck_assert_uint_eq(a->id, e->id);
		ck_assert_uint_eq(a->extra_id, e->extra_id);
		ck_assert_uint_eq(a->thread_serial, e->thread_serial);
		ck_assert_uint_eq(a->frame, e->frame);
	}

	ck_assert_uint_eq(s->n_classes, 2);
	ck_assert_uint_eq(s->classes[0].c.id, ID(z, 0x100));
	ck_assert_uint_eq(s->classes[0].c.super_id, 0);
	ck_assert_uint_eq(s->classes[0].c.nstatics, 0);
	ck_assert_uint_eq(s->classes[0].c.nfields, 0);
	ck_assert_uint_eq(s->classes[0].c.instance_size, 0);
	{
		const struct cls *c = &s->classes[1];
		foo_statics(z, st);
		foo_fields(z, fl);
		ck_assert_uint_eq(c->c.id, ID(z, 0x200));
		ck_assert_uint_eq(c->c.trace_serial, 7);
		ck_assert_uint_eq(c->c.super_id, ID(z, 0x100));
		ck_assert_uint_eq(c->c.loader_id, ID(z, 0x700));
		ck_assert_uint_eq(c->c.signers_id, ID(z, 0x701));
		ck_assert_uint_eq(c->c.domain_id, ID(z, 0x702));
		ck_assert_uint_eq(c->c.instance_size, 24);
		ck_assert_uint_eq(c->c.nstatics, 9);
		ck_assert_uint_eq(c->c.nfields, 9);
		for (i = 0; i < 9; i++) {
			ck_assert_uint_eq(c->statics[i].name_id, st[i].name_id);
			ck_assert_uint_eq(c->statics[i].type, st[i].type);
			ck_assert_uint_eq(c->statics[i].value, st[i].value);
			ck_assert_uint_eq(c->fields[i].name_id, fl[i].name_id);
			ck_assert_uint_eq(c->fields[i].type, fl[i].type);
		}
	}

	ck_assert_uint_eq(s->n_insts, 2);
	ck_assert_uint_eq(s->insts[0].id, ID(z, 0x800));
	ck_assert_uint_eq(s->insts[0].class_id, ID(z, 0x200));
	ck_assert_uint_eq(s->insts[0].len, x->foo_fields.len);
	ck_assert_uint_eq(x->foo_fields.len, 30 + z);
	ck_assert_mem_eq(s->insts[0].data, x->foo_fields.p, x->foo_fields.len);
	ck_assert_uint_eq(s->insts[1].id, ID(z, 0x801));
	ck_assert_uint_eq(s->insts[1].class_id, ID(z, 0x100));
	ck_assert_uint_eq(s->insts[1].len, 0);

	ck_assert_uint_eq(s->n_oarrs, 2);
	ck_assert_int_eq(s->obj_array_order_bad, 0);
	ck_assert_uint_eq(s->oarrs[0].id, ID(z, 0x900));
	ck_assert_uint_eq(s->oarrs[0].class_id, ID(z, 0x901));
	ck_assert_uint_eq(s->oarrs[0].length, 3);
	ck_assert_uint_eq(s->oarrs[0].got, 3);
	ck_assert_uint_eq(s->oarrs[0].chunks, 1);
	ck_assert_int_eq(s->oarrs[0].order_bad, 0);
	ck_assert_uint_eq(s->oarrs[0].elems[0], ID(z, 0x800));
	ck_assert_uint_eq(s->oarrs[0].elems[1], 0);
	ck_assert_uint_eq(s->oarrs[0].elems[2], ID(z, 0x801));
	ck_assert_uint_eq(s->oarrs[1].id, ID(z, 0x902));
	ck_assert_uint_eq(s->oarrs[1].length, 0);
	ck_assert_uint_eq(s->oarrs[1].chunks, 1);  /* one call with count 0 */
	ck_assert_uint_eq(s->oarrs[1].got, 0);

	ck_assert_uint_eq(s->n_parrs, N_PRIM_TYPES + 1);
	for (i = 0; i < N_PRIM_TYPES + 1; i++) {
		const struct parr *p = &s->parrs[i];
		uint8_t type = i < N_PRIM_TYPES ? prim_types[i] : HS_T_BYTE;
		uint32_t len = i < N_PRIM_TYPES ? 5 + (uint32_t)i : 0;
		uint64_t total = (uint64_t)len * hs_type_size(type, z);
		uint64_t k, want = s->want < total ? s->want : total;
		ck_assert_uint_eq(p->id, ID(z, i < N_PRIM_TYPES ? 0xa00 + i : 0xa20));
		ck_assert_uint_eq(p->type, type);
		ck_assert_uint_eq(p->length, len);
		if (total == 0 || s->want == 0) {
			ck_assert_uint_eq(p->ndata, 0);
			continue;
		}
		ck_assert_uint_eq(p->data_calls, 1);
		ck_assert_uint_eq(p->ndata, want);
		for (k = 0; k < want; k++)
			ck_assert_uint_eq(p->data[k], hw_prim_byte(p->id, k));
	}
	ck_assert_uint_eq(s->n_hinfos, 0);
}

/* Read the sample with id size z, the given version and heap mode. */
static void sample_case(const char *version, unsigned z, size_t mode, uint32_t want)
{
	struct sample x;
	struct seen s;
	struct run r;
	hw *w = sample_new(version, z, mode, &x);

	memset(&s, 0, sizeof(s));
	s.want = want;
	run_hw(w, "sample.hprof", NULL, &s, &r);
	if (version)
		ck_assert_str_eq(s.hdr.version, version);
	check_sample(&x, w, &s, &r);
	seen_free(&s);
	sample_free(&x);
	hw_free(w);
}

/* ======================================================================= */
/* core                                                                    */
/* ======================================================================= */

/* Both id sizes, one HEAP_DUMP record. */
START_TEST(test_hprof_idsizes)
{
	sample_case("JAVA PROFILE 1.0.2", _i ? 8 : 4, HW_ONE_RECORD, 0);
}
END_TEST

START_TEST(test_hprof_versions)
{
	static const char *const versions[] = {
		"JAVA PROFILE 1.0.1", "JAVA PROFILE 1.0.2", "JAVA PROFILE 1.0.3"
	};
	int v;
	for (v = 0; v < 3; v++)
		sample_case(versions[v], _i ? 8 : 4, HW_ONE_RECORD, 0);
}
END_TEST

/* The header alone is a valid (empty) dump. */
START_TEST(test_hprof_header_only)
{
	hw *w = hw_new_ts("JAVA PROFILE 1.0.2", 8, UINT64_C(0x123456789abc));
	struct seen s;
	struct run r;

	memset(&s, 0, sizeof(s));
	run_hw(w, "header.hprof", NULL, &s, &r);
	ASSERT_OK(&r);
	ck_assert_int_eq(s.headers, 1);
	ck_assert_str_eq(s.hdr.version, "JAVA PROFILE 1.0.2");
	ck_assert_uint_eq(s.hdr.idsize, 8);
	ck_assert_uint_eq(s.hdr.timestamp_ms, UINT64_C(0x123456789abc));
	ck_assert_uint_eq(s.hdr.header_len, 31);
	ck_assert_uint_eq(r.st.bytes, 31);
	ck_assert_uint_eq(r.st.heap_dumps, 0);
	ck_assert_uint_eq(sum_records(&r.st), 0);
	ck_assert_uint_eq(s.n_recs, 0);
	ck_assert_uint_eq(s.heap_begins, 0);
	seen_free(&s);
	hw_free(w);
}
END_TEST

/* Sub-records straddling HEAP_DUMP_SEGMENT boundaries. */
START_TEST(test_hprof_segments)
{
	static const size_t modes[] = { 7, 100, 4096, 1, 2, 3, 13 };
	size_t m;
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		sample_case(NULL, 4, modes[m], 0);
		sample_case(NULL, 8, modes[m], 0);
	}
}
END_TEST

/* prim_array_want: the leading bytes arrive, also across segments. */
START_TEST(test_hprof_prim_array_data)
{
	static const uint32_t wants[] = { 1, 3, 16, 64, UINT32_MAX };
	size_t i;
	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		sample_case(NULL, _i ? 8 : 4, HW_ONE_RECORD, wants[i]);
		sample_case(NULL, _i ? 8 : 4, 7, wants[i]);
		sample_case(NULL, _i ? 8 : 4, 100, wants[i]);
	}
}
END_TEST

/* Empty segments, and a sub-record cut across an empty segment. */
START_TEST(test_hprof_empty_segments)
{
	const unsigned z = _i ? 8 : 4;
	hw *w = hw_new(NULL, z);
	struct seen s;
	struct run r;
	size_t p_inst, sizes[5];
	unsigned char fields[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

	memset(&s, 0, sizeof(s));
	hw_root_unknown(w, ID(z, 1));
	p_inst = hw_instance(w, ID(z, 2), ID(z, 3), fields, sizeof(fields));
	hw_root_sticky_class(w, ID(z, 3));
	sizes[0] = 0;                 /* empty first segment */
	sizes[1] = p_inst + 3;        /* cut inside the instance id */
	sizes[2] = 0;                 /* empty segment inside the instance */
	sizes[3] = 0;
	sizes[4] = 2 * z + 8 - 2;     /* cut inside the field bytes */
	hw_heap_dump_flush_sizes(w, sizes, 5, 1);
	run_hw(w, "empty-segments.hprof", NULL, &s, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(r.st.heap_dumps, 1);
	ck_assert_uint_eq(r.st.records[HS_TAG_HEAP_DUMP_SEGMENT], 6);
	ck_assert_uint_eq(r.st.records[HS_TAG_HEAP_DUMP_END], 1);
	ck_assert_uint_eq(s.n_recs, 7);
	check_record_chain(&s, 31, hw_len(w));
	ck_assert_uint_eq(s.heap_begins, 1);
	ck_assert_uint_eq(s.heap_begin_off, 31);
	ck_assert_uint_eq(s.n_roots, 2);
	ck_assert_uint_eq(s.roots[0].id, ID(z, 1));
	ck_assert_uint_eq(s.roots[1].kind, HS_SUB_ROOT_STICKY_CLASS);
	ck_assert_uint_eq(s.roots[1].id, ID(z, 3));
	ck_assert_uint_eq(s.n_insts, 1);
	ck_assert_uint_eq(s.insts[0].id, ID(z, 2));
	ck_assert_uint_eq(s.insts[0].class_id, ID(z, 3));
	ck_assert_uint_eq(s.insts[0].len, sizeof(fields));
	ck_assert_mem_eq(s.insts[0].data, fields, sizeof(fields));
	ck_assert_uint_eq(sum_subrecords(&r.st), 3);
	seen_free(&s);
	hw_free(w);
}
END_TEST

/* Android: 1.0.3 roots, JNI_MONITOR, PRIM_ARRAY_NODATA, HEAP_DUMP_INFO. */
START_TEST(test_hprof_android)
{
	static const uint8_t one_id[] = {
		HS_SUB_ROOT_INTERNED_STRING, HS_SUB_ROOT_FINALIZING, HS_SUB_ROOT_DEBUGGER,
		HS_SUB_ROOT_REFERENCE_CLEANUP, HS_SUB_ROOT_VM_INTERNAL, HS_SUB_ROOT_UNREACHABLE
	};
	static const size_t modes[] = { HW_ONE_RECORD, 5, 4096 };
	const unsigned z = _i ? 8 : 4;
	size_t m, i;

	for (m = 0; m < 3; m++) {
		hw *w = hw_new("JAVA PROFILE 1.0.3", z);
		struct seen s;
		struct run r;
		hw_class_spec c;

		memset(&s, 0, sizeof(s));
		s.want = 4;
		hw_string(w, ID(z, 1), "app");
		hw_heap_dump_info(w, 0x41, ID(z, 0x99));   /* 'A' app heap */
		for (i = 0; i < 6; i++)
			hw_root_id(w, one_id[i], ID(z, 0x10 + i));
		hw_root_jni_monitor(w, ID(z, 0x20), 5, 9);
		hw_heap_dump_info(w, 0x5a, ID(z, 1));      /* 'Z' zygote heap */
		hw_prim_array_nodata(w, ID(z, 0x30), HS_T_INT, 1000000);
		hw_prim_array(w, ID(z, 0x31), HS_T_SHORT, 3);
		memset(&c, 0, sizeof(c));
		c.id = ID(z, 0x40);
		hw_class_dump(w, &c);
		hw_heap_dump_flush(w, modes[m]);
		run_hw(w, "android.hprof", NULL, &s, &r);
		ASSERT_OK(&r);
		ck_assert_str_eq(s.hdr.version, "JAVA PROFILE 1.0.3");
		ck_assert_uint_eq(r.st.heap_dumps, 1);
		ck_assert_uint_eq(sum_subrecords(&r.st), 12);
		ck_assert_uint_eq(r.st.subrecords[HS_SUB_HEAP_DUMP_INFO], 2);
		ck_assert_uint_eq(r.st.subrecords[HS_SUB_ROOT_JNI_MONITOR], 1);
		ck_assert_uint_eq(r.st.subrecords[HS_SUB_PRIM_ARRAY_NODATA], 1);
		ck_assert_uint_eq(r.st.subrecords[HS_SUB_PRIM_ARRAY_DUMP], 1);
		ck_assert_uint_eq(r.st.subrecords[HS_SUB_CLASS_DUMP], 1);
		ck_assert_uint_eq(s.n_roots, 7);
		for (i = 0; i < 6; i++) {
			ck_assert_uint_eq(r.st.subrecords[one_id[i]], 1);
			ck_assert_uint_eq(s.roots[i].kind, one_id[i]);
			ck_assert_uint_eq(s.roots[i].id, ID(z, 0x10 + i));
			ck_assert_uint_eq(s.roots[i].extra_id, 0);
			ck_assert_uint_eq(s.roots[i].thread_serial, 0);
			ck_assert_uint_eq(s.roots[i].frame, UINT32_MAX);
		}
		ck_assert_uint_eq(s.roots[6].kind, HS_SUB_ROOT_JNI_MONITOR);
		ck_assert_uint_eq(s.roots[6].id, ID(z, 0x20));
		ck_assert_uint_eq(s.roots[6].thread_serial, 5);
		ck_assert_uint_eq(s.roots[6].frame, 9);
		ck_assert_uint_eq(s.n_hinfos, 2);
		ck_assert_uint_eq(s.hinfos[0].heap_id, 0x41);
		ck_assert_uint_eq(s.hinfos[0].name_id, ID(z, 0x99));
		ck_assert_uint_eq(s.hinfos[1].heap_id, 0x5a);
		ck_assert_uint_eq(s.hinfos[1].name_id, ID(z, 1));
		ck_assert_uint_eq(s.n_parrs, 2);
		ck_assert_uint_eq(s.parrs[0].id, ID(z, 0x30));
		ck_assert_uint_eq(s.parrs[0].type, HS_T_INT);
		ck_assert_uint_eq(s.parrs[0].length, 1000000);
		ck_assert_uint_eq(s.parrs[0].data_calls, 0);  /* no data to give */
		ck_assert_uint_eq(s.parrs[1].id, ID(z, 0x31));
		ck_assert_uint_eq(s.parrs[1].data_calls, 1);
		ck_assert_uint_eq(s.parrs[1].ndata, 4);
		ck_assert_uint_eq(s.parrs[1].data[0], hw_prim_byte(ID(z, 0x31), 0));
		ck_assert_uint_eq(s.parrs[1].data[3], hw_prim_byte(ID(z, 0x31), 3));
		ck_assert_uint_eq(s.n_classes, 1);
		ck_assert_uint_eq(s.classes[0].c.id, ID(z, 0x40));
		ck_assert_uint_eq(r.st.bytes, hw_len(w));
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* A zero-length HEAP_DUMP, and an empty segment run. */
START_TEST(test_hprof_empty_heap_dump)
{
	const unsigned z = _i ? 8 : 4;
	int seg;

	for (seg = 0; seg < 2; seg++) {
		hw *w = hw_new(NULL, z);
		struct seen s;
		struct run r;
		size_t off;

		memset(&s, 0, sizeof(s));
		hw_string(w, ID(z, 1), "before");
		off = hw_heap_dump_flush(w, seg ? 64 : HW_ONE_RECORD);
		hw_string(w, ID(z, 2), "after");
		run_hw(w, "empty-heap.hprof", NULL, &s, &r);
		ASSERT_OK(&r);
		ck_assert_uint_eq(r.st.heap_dumps, 1);
		ck_assert_uint_eq(s.heap_begins, 1);
		ck_assert_uint_eq(s.heap_begin_off, off);
		ck_assert_uint_eq(sum_subrecords(&r.st), 0);
		ck_assert_uint_eq(r.st.records[HS_TAG_HEAP_DUMP], seg ? 0 : 1);
		ck_assert_uint_eq(r.st.records[HS_TAG_HEAP_DUMP_SEGMENT], seg ? 1 : 0);
		ck_assert_uint_eq(r.st.records[HS_TAG_HEAP_DUMP_END], seg ? 1 : 0);
		ck_assert_uint_eq(s.n_strs, 2);
		ck_assert_str_eq(s.strs[1].text, "after");
		ck_assert_uint_eq(s.n_recs, seg ? 4 : 3);
		check_record_chain(&s, 31, hw_len(w));
		ck_assert_uint_eq(r.st.bytes, hw_len(w));
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* Unknown top-level tags are skipped by their length. */
START_TEST(test_hprof_unknown_tag_skipped)
{
	const unsigned z = _i ? 8 : 4;
	hw *w = hw_new(NULL, z);
	struct seen s;
	struct run r;
	unsigned char body[40];
	size_t i;

	memset(&s, 0, sizeof(s));
	/* bodies that look like records, to catch a reader that parses them */
	for (i = 0; i < sizeof(body); i++)
		body[i] = (unsigned char)(i % 3 == 0 ? HS_TAG_STRING : 0xff);
	hw_string(w, ID(z, 1), "one");
	hw_record(w, 0x42, body, sizeof(body));
	hw_record(w, 0xff, body, 17);
	hw_record(w, 0x99, NULL, 0);
	hw_record(w, HS_TAG_CPU_SAMPLES, body, 8);
	hw_record(w, HS_TAG_ALLOC_SITES, body, 30);
	hw_record(w, HS_TAG_CONTROL_SETTINGS, body, 6);
	hw_root_unknown(w, ID(z, 5));
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	hw_record(w, 0x43, body, sizeof(body));
	hw_string(w, ID(z, 2), "two");
	run_hw(w, "unknown-tag.hprof", NULL, &s, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(r.st.records[0x42], 1);
	ck_assert_uint_eq(r.st.records[0x43], 1);
	ck_assert_uint_eq(r.st.records[0xff], 1);
	ck_assert_uint_eq(r.st.records[0x99], 1);
	ck_assert_uint_eq(r.st.records[HS_TAG_STRING], 2);
	ck_assert_uint_eq(sum_records(&r.st), 10);
	ck_assert_uint_eq(s.n_strs, 2);
	ck_assert_str_eq(s.strs[0].text, "one");
	ck_assert_str_eq(s.strs[1].text, "two");
	ck_assert_uint_eq(s.n_roots, 1);
	ck_assert_uint_eq(s.roots[0].id, ID(z, 5));
	check_record_chain(&s, 31, hw_len(w));
	ck_assert_uint_eq(r.st.bytes, hw_len(w));
	seen_free(&s);
	hw_free(w);
}
END_TEST

/* Two heap dumps: dump_index picks one; stats count both. */
static hw *two_dumps(unsigned z, size_t mode0, size_t mode1, size_t *off0, size_t *off1)
{
	hw *w = hw_new(NULL, z);
	unsigned char f4[4] = { 0xde, 0xad, 0xbe, 0xef };
	unsigned char f8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	hw_class_spec c;

	hw_string(w, ID(z, 1), "first");
	/* dump 0: 3 roots, 1 instance, 1 array */
	hw_root_unknown(w, ID(z, 0x10));
	hw_root_sticky_class(w, ID(z, 0x11));
	hw_root_java_frame(w, ID(z, 0x12), 1, 2);
	hw_instance(w, ID(z, 0x13), ID(z, 0x11), f4, 4);
	{
		uint64_t e[2] = { ID(z, 0x13), ID(z, 0x12) };
		hw_obj_array(w, ID(z, 0x14), ID(z, 0x11), 2, e);
	}
	*off0 = hw_heap_dump_flush(w, mode0);
	hw_string(w, ID(z, 2), "between");
	/* dump 1: 2 roots, 1 class, 2 instances */
	hw_root_monitor_used(w, ID(z, 0x20));
	hw_root_thread_object(w, ID(z, 0x21), 4, 5);
	memset(&c, 0, sizeof(c));
	c.id = ID(z, 0x22);
	hw_class_dump(w, &c);
	hw_instance(w, ID(z, 0x23), ID(z, 0x22), f8, 8);
	hw_instance(w, ID(z, 0x24), ID(z, 0x22), f8, 3);
	*off1 = hw_heap_dump_flush(w, mode1);
	hw_string(w, ID(z, 3), "last");
	return w;
}

START_TEST(test_hprof_two_dumps)
{
	static const size_t modes[][2] = {
		{ HW_ONE_RECORD, HW_ONE_RECORD }, { 7, 7 }, { HW_ONE_RECORD, 5 }, { 9, HW_ONE_RECORD },
		{ 4096, 100 }
	};
	const unsigned z = _i ? 8 : 4;
	size_t m;

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		unsigned idx;
		for (idx = 0; idx < 3; idx++) {
			size_t off0, off1;
			hw *w = two_dumps(z, modes[m][0], modes[m][1], &off0, &off1);
			hs_hprof_opts o = { idx, 0, 0, NULL };
			struct seen s;
			struct run r;

			memset(&s, 0, sizeof(s));
			run_hw(w, "two.hprof", &o, &s, &r);
			ASSERT_OK(&r);
			ck_assert_uint_eq(r.st.heap_dumps, 2);
			ck_assert_uint_eq(r.st.bytes, hw_len(w));
			ck_assert_uint_eq(s.n_strs, 3);   /* top-level records: all of them */
			ck_assert_str_eq(s.strs[2].text, "last");
			check_record_chain(&s, 31, hw_len(w));
			if (idx == 0) {
				ck_assert_uint_eq(s.heap_begins, 1);
				ck_assert_uint_eq(s.heap_begin_off, off0);
				ck_assert_uint_eq(sum_subrecords(&r.st), 5);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_ROOT_UNKNOWN], 1);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_ROOT_STICKY_CLASS], 1);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_ROOT_JAVA_FRAME], 1);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_INSTANCE_DUMP], 1);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_OBJ_ARRAY_DUMP], 1);
				ck_assert_uint_eq(s.n_roots, 3);
				ck_assert_uint_eq(s.roots[2].id, ID(z, 0x12));
				ck_assert_uint_eq(s.roots[2].thread_serial, 1);
				ck_assert_uint_eq(s.roots[2].frame, 2);
				ck_assert_uint_eq(s.n_insts, 1);
				ck_assert_uint_eq(s.insts[0].id, ID(z, 0x13));
				ck_assert_uint_eq(s.insts[0].len, 4);
				ck_assert_uint_eq(s.insts[0].data[3], 0xef);
				ck_assert_uint_eq(s.n_oarrs, 1);
				ck_assert_uint_eq(s.oarrs[0].got, 2);
				ck_assert_uint_eq(s.oarrs[0].elems[1], ID(z, 0x12));
				ck_assert_uint_eq(s.n_classes, 0);
			} else if (idx == 1) {
				ck_assert_uint_eq(s.heap_begins, 1);
				ck_assert_uint_eq(s.heap_begin_off, off1);
				ck_assert_uint_eq(sum_subrecords(&r.st), 5);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_ROOT_MONITOR_USED], 1);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_ROOT_THREAD_OBJECT], 1);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_CLASS_DUMP], 1);
				ck_assert_uint_eq(r.st.subrecords[HS_SUB_INSTANCE_DUMP], 2);
				ck_assert_uint_eq(s.n_roots, 2);
				ck_assert_uint_eq(s.roots[0].id, ID(z, 0x20));
				ck_assert_uint_eq(s.roots[1].id, ID(z, 0x21));
				ck_assert_uint_eq(s.roots[1].thread_serial, 4);
				ck_assert_uint_eq(s.n_classes, 1);
				ck_assert_uint_eq(s.n_insts, 2);
				ck_assert_uint_eq(s.insts[0].len, 8);
				ck_assert_uint_eq(s.insts[1].id, ID(z, 0x24));
				ck_assert_uint_eq(s.insts[1].len, 3);
				ck_assert_mem_eq(s.insts[1].data, "\1\2\3", 3);
				ck_assert_uint_eq(s.n_oarrs, 0);
			} else {
				/* no such dump: nothing from the heap */
				ck_assert_uint_eq(s.heap_begins, 0);
				ck_assert_uint_eq(sum_subrecords(&r.st), 0);
				ck_assert_uint_eq(s.n_roots + s.n_insts + s.n_classes + s.n_oarrs, 0);
			}
			seen_free(&s);
			hw_free(w);
		}
	}
}
END_TEST

/* Three dumps written as HotSpot's hprof agent does: one HEAP_DUMP each. */
START_TEST(test_hprof_three_heap_dump_records)
{
	const unsigned z = _i ? 8 : 4;
	unsigned idx;

	for (idx = 0; idx < 3; idx++) {
		hw *w = hw_new(NULL, z);
		hs_hprof_opts o = { idx, 0, 0, NULL };
		struct seen s;
		struct run r;
		size_t off[3];
		unsigned d, k;

		memset(&s, 0, sizeof(s));
		for (d = 0; d < 3; d++) {
			for (k = 0; k <= d; k++)
				hw_root_unknown(w, ID(z, 0x100 * d + k));
			off[d] = hw_heap_dump_flush(w, HW_ONE_RECORD);
		}
		run_hw(w, "three.hprof", &o, &s, &r);
		ASSERT_OK(&r);
		ck_assert_uint_eq(r.st.heap_dumps, 3);
		ck_assert_uint_eq(s.heap_begins, 1);
		ck_assert_uint_eq(s.heap_begin_off, off[idx]);
		ck_assert_uint_eq(s.n_roots, idx + 1);
		ck_assert_uint_eq(r.st.subrecords[HS_SUB_ROOT_UNKNOWN], idx + 1);
		ck_assert_uint_eq(s.roots[idx].id, ID(z, 0x100 * idx + idx));
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* stop_after_dump: nothing after the selected dump is read. */
START_TEST(test_hprof_stop_after_dump)
{
	const unsigned z = _i ? 8 : 4;
	static const size_t modes[] = { HW_ONE_RECORD, 7 };
	size_t m;

	for (m = 0; m < 2; m++) {
		size_t off0, off1;
		hw *w = two_dumps(z, modes[m], modes[m], &off0, &off1);
		hs_hprof_opts o = { 0, 1, 0, NULL };
		struct seen s;
		struct run r;

		memset(&s, 0, sizeof(s));
		run_hw(w, "stop.hprof", &o, &s, &r);
		ASSERT_OK(&r);
		ck_assert_uint_eq(r.st.heap_dumps, 1);
		ck_assert_uint_eq(s.heap_begins, 1);
		ck_assert_uint_eq(s.n_roots, 3);
		ck_assert_uint_eq(s.n_strs, 1);           /* "between" not read */
		ck_assert_uint_eq(r.st.records[HS_TAG_STRING], 1);
		ck_assert_uint_eq(r.st.bytes, r.st.last_good_offset);
		ck_assert_uint_lt(r.st.bytes, off1);
		ck_assert_uint_eq(r.st.bytes, s.recs[s.n_recs - 1].off + 9 + s.recs[s.n_recs - 1].len);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* stop_after_dump when the selected segment run is not closed by
 * HEAP_DUMP_END but by the next dump's HEAP_DUMP, or by another record:
 * nothing from that record on is read or counted. */
START_TEST(test_hprof_stop_after_unclosed_dump)
{
	const unsigned z = _i ? 8 : 4;
	int next;

	for (next = 0; next < 2; next++) {
		hw *w = hw_new(NULL, z);
		hs_hprof_opts o = { 0, 1, 0, NULL };
		struct seen s;
		struct run r;
		size_t sizes[1] = { 5 }, off1;

		memset(&s, 0, sizeof(s));
		hw_root_unknown(w, ID(z, 1));
		hw_root_unknown(w, ID(z, 2));
		hw_heap_dump_flush_sizes(w, sizes, 1, 0);   /* two segments, no END */
		if (next == 0) {
			hw_root_unknown(w, ID(z, 3));
			off1 = hw_heap_dump_flush(w, HW_ONE_RECORD);
			hw_string(w, ID(z, 4), "after");
		} else {
			off1 = hw_string(w, ID(z, 4), "after");
		}
		run_hw(w, "unclosed.hprof", &o, &s, &r);
		ASSERT_OK(&r);
		ck_assert_uint_eq(s.heap_begins, 1);
		ck_assert_uint_eq(s.n_roots, 2);
		ck_assert_uint_eq(s.n_strs, 0);
		ck_assert_uint_eq(r.st.heap_dumps, 1);
		ck_assert_uint_eq(r.st.records[HS_TAG_HEAP_DUMP_SEGMENT], 2);
		ck_assert_uint_eq(r.st.records[HS_TAG_HEAP_DUMP], 0);
		ck_assert_uint_eq(r.st.records[HS_TAG_STRING], 0);
		ck_assert_uint_eq(r.st.last_good_offset, off1);
		ck_assert_uint_le(r.st.bytes, off1 + 9);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* A visitor with no callbacks at all reads the same counts. */
START_TEST(test_hprof_null_visitor)
{
	static const size_t modes[] = { HW_ONE_RECORD, 7, 100 };
	size_t m;

	for (m = 0; m < 3; m++) {
		struct sample x;
		struct seen s;
		struct run r1, r2;
		hs_hprof_visitor v0;
		char path[PATH_MAX];
		hw *w = sample_new(NULL, _i ? 8 : 4, modes[m], &x);

		memset(&s, 0, sizeof(s));
		memset(&v0, 0, sizeof(v0));
		run_hw(w, "null.hprof", NULL, &s, &r1);
		check_sample(&x, w, &s, &r1);
		read_file(tmp_path(path, sizeof(path), "null.hprof"), NULL, &v0, &r2);
		ASSERT_OK(&r2);
		ck_assert_mem_eq(r2.st.records, r1.st.records, sizeof(r1.st.records));
		ck_assert_mem_eq(r2.st.subrecords, r1.st.subrecords, sizeof(r1.st.subrecords));
		ck_assert_uint_eq(r2.st.bytes, r1.st.bytes);
		ck_assert_uint_eq(r2.st.heap_dumps, 1);
		/* stats may be NULL */
		{
			hs_src *src;
			hs_error err;
			hs_error_clear(&err);
			ck_assert_int_eq(hs_src_open(&src, path, 0, &err), 0);
			ck_assert_int_eq(hs_hprof_read(src, NULL, &v0, NULL, &err), 0);
			hs_src_free(src);
		}
		seen_free(&s);
		sample_free(&x);
		hw_free(w);
	}
}
END_TEST

/* A callback's error stops the pass and comes back unchanged. */
START_TEST(test_hprof_visitor_error)
{
	struct sample x;
	struct seen s;
	struct run r;
	hw *w = sample_new(NULL, _i ? 8 : 4, 7, &x);

	memset(&s, 0, sizeof(s));
	s.stop_after_roots = 3;
	run_hw(w, "stop-visitor.hprof", NULL, &s, &r);
	ck_assert_int_eq(r.rc, HS_EUSAGE);
	ck_assert_int_eq(r.err.code, HS_EUSAGE);
	ck_assert_str_eq(r.err.msg, "visitor stops at 3 roots");
	ck_assert_uint_eq(s.n_roots, 3);
	ck_assert_uint_eq(s.n_classes + s.n_insts + s.n_oarrs + s.n_parrs, 0);
	ck_assert_uint_eq(s.n_lcs, 2);
	ck_assert_uint_eq(r.st.truncated, 0);
	seen_free(&s);
	sample_free(&x);
	hw_free(w);
}
END_TEST

/* gzip (one and several members) and zstd copies give identical results. */
static void write_gzip(const char *path, const unsigned char *p, size_t n, int members)
{
	size_t done = 0;
	int i;
	for (i = 0; i < members; i++) {
		size_t k = i == members - 1 ? n - done : n / (size_t)members;
		gzFile g = gzopen(path, i == 0 ? "wb6" : "ab6");
		ck_assert_ptr_nonnull(g);
		if (k > 0)
			ck_assert_int_eq(gzwrite(g, p + done, (unsigned)k), (int)k);
		ck_assert_int_eq(gzclose(g), Z_OK);
		done += k;
	}
}

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	if (n)
		ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static void write_zstd(const char *path, const unsigned char *p, size_t n, size_t keep)
{
	size_t bound = ZSTD_compressBound(n), z;
	unsigned char *buf = malloc(bound);
	ck_assert_ptr_nonnull(buf);
	z = ZSTD_compress(buf, bound, p, n, 3);
	ck_assert_msg(!ZSTD_isError(z), "ZSTD_compress: %s", ZSTD_getErrorName(z));
	write_bytes(path, buf, keep < z ? keep : z);
	free(buf);
}

/* zstd with a content checksum, the last @p drop bytes left out. */
static void write_zstd_checksum(const char *path, const unsigned char *p, size_t n, size_t drop)
{
	size_t bound = ZSTD_compressBound(n), z;
	unsigned char *buf = malloc(bound);
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(cc);
	ck_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)));
	z = ZSTD_compress2(cc, buf, bound, p, n);
	ck_assert_msg(!ZSTD_isError(z), "ZSTD_compress2: %s", ZSTD_getErrorName(z));
	ck_assert_uint_gt(z, drop);
	write_bytes(path, buf, z - drop);
	ZSTD_freeCCtx(cc);
	free(buf);
}

static size_t file_size(const char *path)
{
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	return (size_t)st.st_size;
}

START_TEST(test_hprof_compressed)
{
	static const size_t modes[] = { HW_ONE_RECORD, 100 };
	size_t m;

	for (m = 0; m < 2; m++) {
		struct sample x;
		hw *w = sample_new(NULL, _i ? 8 : 4, modes[m], &x);
		struct run plain;
		struct seen s0;
		char path[PATH_MAX];
		int kind;

		memset(&s0, 0, sizeof(s0));
		s0.want = 5;
		run_hw(w, "plain.hprof", NULL, &s0, &plain);
		check_sample(&x, w, &s0, &plain);
		for (kind = 0; kind < 3; kind++) {
			struct seen s;
			struct run r;
			hs_hprof_visitor v;
			hs_src *src;
			hs_error err;

			memset(&s, 0, sizeof(s));
			s.want = 5;
			v = full_visitor(&s);
			tmp_path(path, sizeof(path), kind == 2 ? "sample.hprof.zst" : "sample.hprof.gz");
			if (kind == 2)
				write_zstd(path, hw_bytes(w), hw_len(w), SIZE_MAX);
			else
				write_gzip(path, hw_bytes(w), hw_len(w), kind == 0 ? 1 : 3);
			read_file(path, NULL, &v, &r);
			check_sample(&x, w, &s, &r);
			ck_assert_mem_eq(r.st.records, plain.st.records, sizeof(r.st.records));
			ck_assert_mem_eq(r.st.subrecords, plain.st.subrecords, sizeof(r.st.subrecords));
			ck_assert_uint_eq(r.st.bytes, plain.st.bytes);
			ck_assert_uint_eq(s.n_recs, s0.n_recs);
			ck_assert_mem_eq(s.recs, s0.recs, s.n_recs * sizeof(*s.recs));
			hs_error_clear(&err);
			ck_assert_int_eq(hs_src_open(&src, path, 0, &err), 0);
			ck_assert_int_eq(hs_src_compression(src),
					 kind == 2 ? HS_COMP_ZSTD : HS_COMP_GZIP);
			ck_assert_uint_eq(hs_src_file_size(src), file_size(path));
			hs_src_free(src);
			seen_free(&s);
		}
		seen_free(&s0);
		sample_free(&x);
		hw_free(w);
	}
}
END_TEST

/* ======================================================================= */
/* limits                                                                  */
/* ======================================================================= */

#define BIG_ARRAY 100000u

static uint64_t big_elem(unsigned z, uint32_t i)
{
	return i % 7 == 3 ? 0 : ID(z, 0x100000 + (uint64_t)i * 3);
}

/* An object array of 100,000 elements comes in several chunks that
 * reassemble exactly, also when it is cut across segments. */
static void big_array_case(unsigned z, size_t mode, int with_callback)
{
	hw *w = hw_new(NULL, z);
	uint64_t *e = malloc(BIG_ARRAY * sizeof(*e));
	struct seen s;
	struct run r;
	hs_hprof_visitor v;
	char path[PATH_MAX];
	uint32_t i;

	ck_assert_ptr_nonnull(e);
	for (i = 0; i < BIG_ARRAY; i++)
		e[i] = big_elem(z, i);
	memset(&s, 0, sizeof(s));
	hw_root_unknown(w, ID(z, 1));
	hw_obj_array(w, ID(z, 2), ID(z, 3), BIG_ARRAY, e);
	hw_root_sticky_class(w, ID(z, 3));
	hw_obj_array(w, ID(z, 4), ID(z, 3), 2, e + 1);
	hw_heap_dump_flush(w, mode);
	hw_string(w, ID(z, 5), "end");
	write_or_die(w, tmp_path(path, sizeof(path), "big-array.hprof"));
	v = full_visitor(&s);
	if (!with_callback)
		v.obj_array = NULL;
	read_file(path, NULL, &v, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(r.st.bytes, hw_len(w));
	ck_assert_uint_eq(r.st.subrecords[HS_SUB_OBJ_ARRAY_DUMP], 2);
	ck_assert_uint_eq(s.n_roots, 2);
	ck_assert_uint_eq(s.roots[1].id, ID(z, 3));
	ck_assert_uint_eq(s.n_strs, 1);
	if (with_callback) {
		ck_assert_int_eq(s.obj_array_order_bad, 0);
		ck_assert_uint_eq(s.n_oarrs, 2);
		ck_assert_uint_eq(s.oarrs[0].id, ID(z, 2));
		ck_assert_uint_eq(s.oarrs[0].class_id, ID(z, 3));
		ck_assert_uint_eq(s.oarrs[0].length, BIG_ARRAY);
		ck_assert_int_eq(s.oarrs[0].order_bad, 0);
		ck_assert_uint_eq(s.oarrs[0].got, BIG_ARRAY);
		ck_assert_uint_ge(s.oarrs[0].chunks, 2);
		for (i = 0; i < BIG_ARRAY; i++)
			if (s.oarrs[0].elems[i] != e[i])
				ck_abort_msg("element %u: 0x%llx, expected 0x%llx", i,
					     (unsigned long long)s.oarrs[0].elems[i],
					     (unsigned long long)e[i]);
		ck_assert_uint_eq(s.oarrs[1].length, 2);
		ck_assert_uint_eq(s.oarrs[1].chunks, 1);
		ck_assert_uint_eq(s.oarrs[1].elems[0], e[1]);
		ck_assert_uint_eq(s.oarrs[1].elems[1], e[2]);
		ck_assert_uint_eq(s.obj_elems, BIG_ARRAY + 2);
	} else {
		ck_assert_uint_eq(s.n_oarrs, 0);
	}
	seen_free(&s);
	free(e);
	hw_free(w);
}

START_TEST(test_hprof_big_obj_array)
{
	static const size_t modes[] = { HW_ONE_RECORD, 7, 100, 4096, 65536 * 4 + 3 };
	size_t m;
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		big_array_case(_i ? 8 : 4, modes[m], 1);
}
END_TEST

START_TEST(test_hprof_big_obj_array_skipped)
{
	big_array_case(_i ? 8 : 4, HW_ONE_RECORD, 0);
	big_array_case(_i ? 8 : 4, 7, 0);
}
END_TEST

/* The big array in the dump that is not selected is skipped whole. */
START_TEST(test_hprof_big_obj_array_other_dump)
{
	const unsigned z = _i ? 8 : 4;
	hw *w = hw_new(NULL, z);
	uint64_t *e = calloc(BIG_ARRAY, sizeof(*e));
	hs_hprof_opts o = { 1, 0, 0, NULL };
	struct seen s;
	struct run r;

	ck_assert_ptr_nonnull(e);
	memset(&s, 0, sizeof(s));
	hw_obj_array(w, ID(z, 2), ID(z, 3), BIG_ARRAY, e);
	hw_heap_dump_flush(w, 1000);
	hw_root_unknown(w, ID(z, 9));
	hw_heap_dump_flush(w, 1000);
	run_hw(w, "other.hprof", &o, &s, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(r.st.heap_dumps, 2);
	ck_assert_uint_eq(s.n_oarrs, 0);
	ck_assert_uint_eq(s.n_roots, 1);
	ck_assert_uint_eq(s.roots[0].id, ID(z, 9));
	ck_assert_uint_eq(sum_subrecords(&r.st), 1);
	seen_free(&s);
	free(e);
	hw_free(w);
}
END_TEST

/* A string bigger than the reader's initial buffer is held whole. */
START_TEST(test_hprof_big_string)
{
	const unsigned z = _i ? 8 : 4;
	const size_t n = (5u << 20) + 3;
	char *text = malloc(n);
	hw *w = hw_new(NULL, z);
	struct seen s;
	struct run r;
	size_t i;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	memset(&s, 0, sizeof(s));
	hw_string(w, ID(z, 1), "small");
	hw_string_n(w, ID(z, 2), text, (uint32_t)n);
	hw_string(w, ID(z, 3), "small again");
	run_hw(w, "big-string.hprof", NULL, &s, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(s.n_strs, 3);
	ck_assert_uint_eq(s.strs[1].id, ID(z, 2));
	ck_assert_uint_eq(s.strs[1].len, n);
	ck_assert_mem_eq(s.strs[1].text, text, n);
	ck_assert_str_eq(s.strs[2].text, "small again");
	seen_free(&s);
	free(text);
	hw_free(w);
}
END_TEST

/* A STRING longer than HS_MAX_RECORD_HELD: HS_ELIMIT at the record. */
START_TEST(test_hprof_string_over_limit)
{
	const unsigned z = _i ? 8 : 4;
	hw *w = hw_new(NULL, z);
	struct seen s;
	struct run r;
	size_t off;

	memset(&s, 0, sizeof(s));
	hw_string(w, ID(z, 1), "fine");
	off = hw_record_header(w, HS_TAG_STRING, HS_MAX_RECORD_HELD + 1);
	hw_id(w, ID(z, 2));
	hw_raw(w, "not that long", 13);
	run_hw(w, "string-limit.hprof", NULL, &s, &r);
	ASSERT_ERR(&r, HS_ELIMIT, off);
	ck_assert_uint_eq(s.n_strs, 1);
	ck_assert_uint_eq(r.st.last_good_offset, off);
	ck_assert_int_eq(r.st.truncated, 0);
	seen_free(&s);
	hw_free(w);
}
END_TEST

/* An instance with more field bytes than HS_MAX_INSTANCE_DATA. */
START_TEST(test_hprof_instance_over_limit)
{
	const unsigned z = _i ? 8 : 4;
	static const size_t modes[] = { HW_ONE_RECORD, 1 << 20 };
	size_t m;

	for (m = 0; m < 2; m++) {
		hw *w = hw_new(NULL, z);
		struct seen s;
		struct run r;
		size_t p_inst;
		uint32_t n = HS_MAX_INSTANCE_DATA + 1;
		unsigned char *data = calloc(n, 1);
		char path[PATH_MAX];
		hs_hprof_visitor v;

		ck_assert_ptr_nonnull(data);
		memset(&s, 0, sizeof(s));
		hw_root_unknown(w, ID(z, 1));
		p_inst = hw_instance(w, ID(z, 2), ID(z, 3), data, n);
		hw_root_unknown(w, ID(z, 4));
		hw_heap_dump_flush(w, modes[m]);
		run_hw(w, "instance-limit.hprof", NULL, &s, &r);
		ASSERT_ERR(&r, HS_ELIMIT, hw_heap_offset(w, p_inst));
		ck_assert_uint_eq(r.err.tag, HS_SUB_INSTANCE_DUMP);
		ck_assert_uint_eq(s.n_roots, 1);
		ck_assert_uint_eq(s.n_insts, 0);
		ck_assert_uint_eq(r.st.last_good_offset, hw_heap_offset(w, p_inst - 1) + 1);
		/* without an instance callback nothing is held: it is skipped */
		seen_free(&s);
		v = full_visitor(&s);
		v.instance = NULL;
		read_file(tmp_path(path, sizeof(path), "instance-limit.hprof"), NULL, &v, &r);
		ASSERT_OK(&r);
		ck_assert_uint_eq(s.n_roots, 2);
		seen_free(&s);
		free(data);
		hw_free(w);
	}
}
END_TEST

/* An instance of exactly HS_MAX_INSTANCE_DATA field bytes is fine. */
START_TEST(test_hprof_instance_at_limit)
{
	const unsigned z = 8;
	hw *w = hw_new(NULL, z);
	struct seen s;
	struct run r;
	uint32_t n = HS_MAX_INSTANCE_DATA, i;
	unsigned char *data = malloc(n);

	ck_assert_ptr_nonnull(data);
	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 7 + (i >> 11));
	memset(&s, 0, sizeof(s));
	hw_instance(w, ID(z, 2), ID(z, 3), data, n);
	hw_root_unknown(w, ID(z, 4));
	hw_heap_dump_flush(w, _i ? (1u << 20) + 1 : HW_ONE_RECORD);
	run_hw(w, "instance-at-limit.hprof", NULL, &s, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(s.n_insts, 1);
	ck_assert_uint_eq(s.insts[0].len, n);
	ck_assert_mem_eq(s.insts[0].data, data, n);
	ck_assert_uint_eq(s.n_roots, 1);
	seen_free(&s);
	free(data);
	hw_free(w);
}
END_TEST

/* prim_array_want is capped at the array and at HS_MAX_INSTANCE_DATA. */
START_TEST(test_hprof_prim_array_want_capped)
{
	const unsigned z = 4;
	hw *w = hw_new(NULL, z);
	struct seen s;
	struct run r;
	uint32_t n = HS_MAX_INSTANCE_DATA / 4 + 100;  /* ints */
	uint64_t k;

	memset(&s, 0, sizeof(s));
	s.want = UINT32_MAX;
	hw_prim_array(w, ID(z, 1), HS_T_INT, n);
	hw_prim_array(w, ID(z, 2), HS_T_CHAR, 3);
	hw_root_unknown(w, ID(z, 3));
	hw_heap_dump_flush(w, _i ? 65537 : HW_ONE_RECORD);
	run_hw(w, "prim-want.hprof", NULL, &s, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(s.n_parrs, 2);
	ck_assert_uint_eq(s.parrs[0].length, n);
	ck_assert_uint_eq(s.parrs[0].data_calls, 1);
	ck_assert_uint_eq(s.parrs[0].ndata, HS_MAX_INSTANCE_DATA);
	for (k = 0; k < HS_MAX_INSTANCE_DATA; k += 4099)
		ck_assert_uint_eq(s.parrs[0].data[k], hw_prim_byte(ID(z, 1), k));
	ck_assert_uint_eq(s.parrs[1].ndata, 6);
	ck_assert_mem_eq(s.parrs[1].data,
			 ((unsigned char[]){ hw_prim_byte(ID(z, 2), 0), hw_prim_byte(ID(z, 2), 1),
					     hw_prim_byte(ID(z, 2), 2), hw_prim_byte(ID(z, 2), 3),
					     hw_prim_byte(ID(z, 2), 4), hw_prim_byte(ID(z, 2), 5) }),
			 6);
	ck_assert_uint_eq(s.n_roots, 1);
	ck_assert_uint_eq(s.roots[0].id, ID(z, 3));
	seen_free(&s);
	hw_free(w);
}
END_TEST

/* Class dumps with 65535 statics and fields (the u2 maximum). */
START_TEST(test_hprof_class_max_fields)
{
	const unsigned z = _i ? 8 : 4;
	hw *w = hw_new(NULL, z);
	hw_static *st = calloc(65535, sizeof(*st));
	hw_ifield *fl = calloc(65535, sizeof(*fl));
	hw_class_spec c;
	struct seen s;
	struct run r;
	unsigned i;

	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(fl);
	for (i = 0; i < 65535; i++) {
		st[i].name_id = ID(z, i);
		st[i].type = prim_types[i % N_PRIM_TYPES];
		st[i].value = i & 1;
		fl[i].name_id = ID(z, 70000 + i);
		fl[i].type = i % 9 == 0 ? HS_T_OBJECT : prim_types[i % N_PRIM_TYPES];
	}
	memset(&c, 0, sizeof(c));
	c.id = ID(z, 1);
	c.nstatics = 65535;
	c.statics = st;
	c.nfields = 65535;
	c.fields = fl;
	hw_class_dump(w, &c);
	hw_heap_dump_flush(w, 4093);
	memset(&s, 0, sizeof(s));
	run_hw(w, "max-fields.hprof", NULL, &s, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(s.n_classes, 1);
	ck_assert_uint_eq(s.classes[0].c.nstatics, 65535);
	ck_assert_uint_eq(s.classes[0].c.nfields, 65535);
	/* plain ifs: a Check assertion per element would be slow */
	for (i = 0; i < 65535; i++) {
		const hs_static_field *a = &s.classes[0].statics[i];
		const hs_field *f = &s.classes[0].fields[i];
		if (a->name_id != ID(z, i) || a->type != st[i].type || a->value != (i & 1u))
			ck_abort_msg("static %u: name 0x%llx type %u value %llu", i,
				     (unsigned long long)a->name_id, a->type,
				     (unsigned long long)a->value);
		if (f->name_id != ID(z, 70000 + i) || f->type != fl[i].type)
			ck_abort_msg("field %u: name 0x%llx type %u", i,
				     (unsigned long long)f->name_id, f->type);
	}
	seen_free(&s);
	free(st);
	free(fl);
	hw_free(w);
}
END_TEST

/* Progress is reported on big inputs; a 70 MB record is skipped by
 * seeking (the file is sparse). */
START_TEST(test_hprof_progress)
{
	const uint32_t big = 70u << 20;
	hw *w = hw_new(NULL, 8);
	hw *tail = hw_new_empty(8);
	struct seen s;
	struct run r;
	hs_hprof_visitor v;
	char path[PATH_MAX];
	FILE *f;
	size_t off_big, off_tail;

	memset(&s, 0, sizeof(s));
	off_big = hw_record_header(w, 0x42, big);
	off_tail = off_big + 9 + big;
	hw_string(tail, 1, "after the big one");
	write_or_die(w, tmp_path(path, sizeof(path), "sparse.hprof"));
	f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, (long)off_tail, SEEK_SET), 0);
	ck_assert_uint_eq(fwrite(hw_bytes(tail), 1, hw_len(tail), f), hw_len(tail));
	ck_assert_int_eq(fclose(f), 0);
	v = full_visitor(&s);
	read_file(path, NULL, &v, &r);
	ASSERT_OK(&r);
	ck_assert_uint_eq(r.st.records[0x42], 1);
	ck_assert_uint_eq(s.n_strs, 1);
	ck_assert_str_eq(s.strs[0].text, "after the big one");
	ck_assert_uint_eq(r.st.bytes, off_tail + hw_len(tail));
	ck_assert_uint_eq(s.progress_calls, 1);
	ck_assert_uint_eq(s.progress_done, off_tail);
	ck_assert_uint_eq(s.progress_raw_total, off_tail + hw_len(tail));
	ck_assert_uint_ge(s.progress_raw_done, s.progress_done);
	ck_assert_uint_le(s.progress_raw_done, s.progress_raw_total);
	seen_free(&s);
	hw_free(tail);
	hw_free(w);
}
END_TEST

/* ======================================================================= */
/* malformed                                                               */
/* ======================================================================= */

/* Write raw bytes and read them. */
static void run_raw(const void *p, size_t n, const char *name, struct seen *s, struct run *r)
{
	char path[PATH_MAX];
	hs_hprof_visitor v = full_visitor(s);
	write_bytes(tmp_path(path, sizeof(path), name), p, n);
	read_file(path, NULL, &v, r);
}

START_TEST(test_hprof_empty_file)
{
	struct seen s;
	struct run r;
	char path[PATH_MAX];
	hs_hprof_visitor v;

	memset(&s, 0, sizeof(s));
	run_raw("", 0, "empty.hprof", &s, &r);
	ASSERT_ERR(&r, HS_EFORMAT, 0);
	ck_assert_int_eq(s.headers, 0);
	/* the same through gzip and zstd */
	v = full_visitor(&s);
	write_gzip(tmp_path(path, sizeof(path), "empty.hprof.gz"), (const unsigned char *)"", 0, 1);
	read_file(path, NULL, &v, &r);
	ASSERT_ERR(&r, HS_EFORMAT, 0);
	write_zstd(tmp_path(path, sizeof(path), "empty.hprof.zst"), (const unsigned char *)"", 0,
		   SIZE_MAX);
	read_file(path, NULL, &v, &r);
	ASSERT_ERR(&r, HS_EFORMAT, 0);
	ck_assert_int_eq(s.headers, 0);
	seen_free(&s);
}
END_TEST

START_TEST(test_hprof_wrong_version)
{
	static const char *const bad[] = {
		"JAVA PROFILE 9.9", "JAVA PROFILE 1.0.4", "JAVA PROFILE 1.0.0", "JAVA PROFILE 1.0",
		"JAVA PROFILE 1.0.22", "java profile 1.0.2", "JAVA PROFILE 1.1.2"
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hw *w = hw_new(bad[i], 4);
		struct seen s;
		struct run r;
		memset(&s, 0, sizeof(s));
		hw_string(w, 1, "x");
		run_hw(w, "version.hprof", NULL, &s, &r);
		ASSERT_ERR(&r, HS_EFORMAT, 0);
		ck_assert_int_eq(s.headers, 0);
		ck_assert_uint_eq(s.n_recs, 0);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

START_TEST(test_hprof_not_hprof)
{
#define BYTES(lit) { lit, sizeof(lit) - 1 }
	static const struct { const char *bytes; size_t n; } bad[] = {
		BYTES("\x7f" "ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0\x3e\0\1\0\0\0"),
		BYTES("PK\3\4\24\0\0\0\10\0"),
		BYTES("JAVA"),
		BYTES("\0"),
		BYTES("JAVA PROFILE 1.0.2"),            /* no NUL, nothing after */
		BYTES("<?xml version=\"1.0\"?>\n<heap/>\n"),
	};
#undef BYTES
	size_t i;
	unsigned char noise[4096];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct seen s;
		struct run r;
		memset(&s, 0, sizeof(s));
		run_raw(bad[i].bytes, bad[i].n, "not.hprof", &s, &r);
		ASSERT_ERR(&r, HS_EFORMAT, 0);
		ck_assert_int_eq(s.headers, 0);
		seen_free(&s);
	}
	for (i = 0; i < sizeof(noise); i++)
		noise[i] = (unsigned char)(i * 37 + 11);
	{
		struct seen s;
		struct run r;
		memset(&s, 0, sizeof(s));
		run_raw(noise, sizeof(noise), "noise.hprof", &s, &r);
		ASSERT_ERR(&r, HS_EFORMAT, 0);
		seen_free(&s);
	}
}
END_TEST

START_TEST(test_hprof_bad_idsize)
{
	static const unsigned sizes[] = { 5, 0, 2, 16, 0x04000000 };
	static const char *const versions[] = { "JAVA PROFILE 1.0.1", "JAVA PROFILE 1.0.2",
						 "JAVA PROFILE 1.0.3" };
	size_t i, v;

	for (v = 0; v < 3; v++)
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			hw *w = hw_new(versions[v], sizes[i]);
			struct seen s;
			struct run r;
			memset(&s, 0, sizeof(s));
			hw_record(w, HS_TAG_STRING, "\0\0\0\0\0x", 6);
			run_hw(w, "idsize.hprof", NULL, &s, &r);
			ASSERT_ERR(&r, HS_EFORMAT, 19);
			ck_assert_int_eq(s.headers, 0);
			ck_assert_uint_eq(s.n_recs, 0);
			seen_free(&s);
			hw_free(w);
		}
}
END_TEST

/* The header ends before the id size / timestamp. */
START_TEST(test_hprof_truncated_header)
{
	size_t cut;
	for (cut = 19; cut < 31; cut++) {
		hw *w = hw_new(NULL, 8);
		struct seen s;
		struct run r;
		memset(&s, 0, sizeof(s));
		hw_truncate(w, cut);
		run_hw(w, "short-header.hprof", NULL, &s, &r);
		/* at the fixed part after the version string, as for a bad
		 * id size */
		ASSERT_ERR(&r, HS_ETRUNC, 19);
		ck_assert_int_eq(r.st.truncated, 1);
		ck_assert_int_eq(s.headers, 0);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* An unknown heap sub-record tag: HS_EFORMAT at its tag byte. */
START_TEST(test_hprof_unknown_subrecord)
{
	static const size_t modes[] = { HW_ONE_RECORD, 7, 100, 4096, 1 };
	static const uint8_t tags[] = { 0x42, 0x00, 0x09, 0x24, 0x80, 0xc2 };
	const unsigned z = _i ? 8 : 4;
	size_t m, t;

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		for (t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
			hw *w = hw_new(NULL, z);
			struct seen s;
			struct run r;
			size_t pos;
			unsigned char junk[20];

			memset(junk, 0, sizeof(junk));
			junk[0] = tags[t];
			memset(&s, 0, sizeof(s));
			hw_root_unknown(w, ID(z, 1));
			hw_root_jni_local(w, ID(z, 2), 3, 4);
			hw_instance(w, ID(z, 5), ID(z, 6), "abcdefg", 7);
			pos = hw_heap_raw(w, junk, sizeof(junk));
			hw_root_unknown(w, ID(z, 9));
			hw_heap_dump_flush(w, modes[m]);
			run_hw(w, "unknown-sub.hprof", NULL, &s, &r);
			ASSERT_ERR(&r, HS_EFORMAT, hw_heap_offset(w, pos));
			ck_assert_uint_eq(r.err.tag, tags[t]);
			ck_assert_int_eq(r.st.truncated, 0);
			ck_assert_uint_eq(s.n_roots, 2);
			ck_assert_uint_eq(s.n_insts, 1);
			ck_assert_mem_eq(s.insts[0].data, "abcdefg", 7);
			/* the end of the instance (a segment header may follow) */
			ck_assert_uint_eq(r.st.last_good_offset, hw_heap_offset(w, pos - 1) + 1);
			seen_free(&s);
			hw_free(w);
		}
}
END_TEST

/* The file ends in the middle of an INSTANCE_DUMP. */
START_TEST(test_hprof_truncated_instance)
{
	static const size_t modes[] = { HW_ONE_RECORD, 7, 100, 4096 };
	const unsigned z = _i ? 8 : 4;
	size_t m, c;

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		for (c = 0; c < 4; c++) {
			hw *w = hw_new(NULL, z);
			struct seen s;
			struct run r;
			size_t p_inst, off, cut;
			unsigned char fields[40];
			hw_class_spec cls;
			int with_cb = c != 3;

			memset(fields, 0x5a, sizeof(fields));
			memset(&s, 0, sizeof(s));
			memset(&cls, 0, sizeof(cls));
			cls.id = ID(z, 3);
			hw_string(w, ID(z, 1), "s");
			hw_root_unknown(w, ID(z, 1));
			hw_root_java_frame(w, ID(z, 2), 1, 0);
			hw_class_dump(w, &cls);
			p_inst = hw_instance(w, ID(z, 4), ID(z, 3), fields, sizeof(fields));
			hw_root_unknown(w, ID(z, 5));
			hw_heap_dump_flush(w, modes[m]);
			off = hw_heap_offset(w, p_inst);
			/* cut before a body byte, so segment headers stay whole
			 * (see test_hprof_truncated_segment_header for those) */
			switch (c) {
			case 0: cut = 1 + 2 * z + 8 + 10; break;  /* in the field bytes */
			case 1: cut = 5; break;                   /* in the fixed part */
			case 2: cut = 1; break;                   /* just the tag */
			default: cut = 1 + 2 * z + 8 + 39; break; /* last byte missing */
			}
			hw_truncate(w, hw_heap_offset(w, p_inst + cut));
			{
				char path[PATH_MAX];
				hs_hprof_visitor v = full_visitor(&s);
				if (!with_cb)
					v.instance = NULL;
				write_or_die(w, tmp_path(path, sizeof(path), "cut-instance.hprof"));
				read_file(path, NULL, &v, &r);
			}
			ck_assert_msg(r.rc == HS_ETRUNC,
				      "mode %zu cut %zu: rc %d offset %llu: %s", modes[m], c, r.rc,
				      (unsigned long long)r.err.offset, r.err.msg);
			ASSERT_ERR(&r, HS_ETRUNC, off);
			ck_assert_int_eq(r.st.truncated, 1);
			ck_assert_uint_eq(r.st.last_good_offset, hw_heap_offset(w, p_inst - 1) + 1);
			ck_assert_uint_eq(s.n_strs, 1);
			ck_assert_uint_eq(s.n_roots, 2);
			ck_assert_uint_eq(s.n_classes, 1);
			ck_assert_uint_eq(s.n_insts, 0);
			seen_free(&s);
			hw_free(w);
		}
}
END_TEST

/*
 * A sub-record straddles two segments and the file ends right at, or
 * inside, the header of the second segment: still HS_ETRUNC at the
 * sub-record.
 */
START_TEST(test_hprof_truncated_segment_header)
{
	const unsigned z = _i ? 8 : 4;
	size_t k;

	for (k = 0; k < 9; k++) {
		hw *w = hw_new(NULL, z);
		struct seen s;
		struct run r;
		size_t p_inst, sizes[1], off, seg2;
		unsigned char fields[16] = { 0 };

		memset(&s, 0, sizeof(s));
		hw_root_unknown(w, ID(z, 1));
		p_inst = hw_instance(w, ID(z, 2), ID(z, 3), fields, sizeof(fields));
		sizes[0] = p_inst + 6;   /* the instance is cut after 6 bytes */
		hw_heap_dump_flush_sizes(w, sizes, 1, 1);
		off = hw_heap_offset(w, p_inst);
		seg2 = hw_heap_offset(w, p_inst + 6) - 9;
		ck_assert_uint_eq(hw_bytes(w)[seg2], HS_TAG_HEAP_DUMP_SEGMENT);
		hw_truncate(w, seg2 + k);
		run_hw(w, "cut-segment.hprof", NULL, &s, &r);
		ck_assert_msg(r.rc == HS_ETRUNC, "cut %zu bytes into the segment header: rc %d: %s",
			      k, r.rc, r.err.msg);
		ASSERT_ERR(&r, HS_ETRUNC, off);
		ck_assert_int_eq(r.st.truncated, 1);
		ck_assert_uint_eq(s.n_roots, 1);
		ck_assert_uint_eq(s.n_insts, 0);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* A HEAP_DUMP whose length runs past the end, cut between sub-records:
 * HS_ETRUNC where the next sub-record would start (= last_good_offset). */
START_TEST(test_hprof_truncated_at_subrecord_boundary)
{
	const unsigned z = _i ? 8 : 4;
	hw *w = hw_new(NULL, z);
	struct seen s;
	struct run r;
	size_t p;

	memset(&s, 0, sizeof(s));
	hw_root_unknown(w, ID(z, 1));
	hw_root_unknown(w, ID(z, 2));
	p = hw_root_unknown(w, ID(z, 3));
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	hw_truncate(w, hw_heap_offset(w, p));
	run_hw(w, "cut-boundary.hprof", NULL, &s, &r);
	ASSERT_ERR(&r, HS_ETRUNC, hw_heap_offset(w, p));
	ck_assert_int_eq(r.st.truncated, 1);
	ck_assert_uint_eq(r.st.last_good_offset, hw_heap_offset(w, p));
	ck_assert_uint_eq(s.n_roots, 2);
	seen_free(&s);
	hw_free(w);
}
END_TEST

/* The file ends inside a heap dump that is not the selected one: HS_ETRUNC
 * at the heap record that is cut. */
START_TEST(test_hprof_truncated_other_dump)
{
	static const size_t modes[] = { HW_ONE_RECORD, 64 };
	const unsigned z = _i ? 8 : 4;
	size_t m;

	for (m = 0; m < 2; m++) {
		size_t off0, off1, cut, rec;
		hw *w = two_dumps(z, modes[m], modes[m], &off0, &off1);
		hs_hprof_opts o = { 1, 0, 0, NULL };
		struct seen s;
		struct run r;

		memset(&s, 0, sizeof(s));
		cut = off0 + 9 + 20;   /* 20 bytes into the first heap record */
		rec = off0;            /* the record that holds the cut */
		hw_truncate(w, cut);
		run_hw(w, "cut-other.hprof", &o, &s, &r);
		ASSERT_ERR(&r, HS_ETRUNC, rec);
		ck_assert_int_eq(r.st.truncated, 1);
		ck_assert_uint_eq(r.st.heap_dumps, 1);
		ck_assert_uint_eq(s.heap_begins, 0);
		ck_assert_uint_eq(s.n_roots, 0);
		ck_assert_uint_eq(r.st.last_good_offset, off0);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* A top-level record whose length runs past the end of the file. */
START_TEST(test_hprof_record_past_eof)
{
	const unsigned z = _i ? 8 : 4;
	int variant;

	for (variant = 0; variant < 4; variant++) {
		hw *w = hw_new(NULL, z);
		struct seen s;
		struct run r;
		size_t off;
		char path[PATH_MAX];
		hs_hprof_visitor v;

		memset(&s, 0, sizeof(s));
		hw_string(w, ID(z, 1), "whole");
		switch (variant) {
		case 0:   /* STRING, held */
		case 1:   /* STRING, no callback: skipped */
			off = hw_record_header(w, HS_TAG_STRING, 100);
			hw_id(w, ID(z, 2));
			hw_raw(w, "cut", 3);
			break;
		case 2:   /* unknown tag */
			off = hw_record_header(w, 0x42, 1000);
			hw_raw(w, "0123456789", 10);
			break;
		default:  /* LOAD_CLASS with only its serial */
			off = hw_record_header(w, HS_TAG_LOAD_CLASS, 8 + 2 * z);
			hw_u4(w, 1);
			break;
		}
		write_or_die(w, tmp_path(path, sizeof(path), "past-eof.hprof"));
		v = full_visitor(&s);
		if (variant == 1)
			v.string = NULL;
		read_file(path, NULL, &v, &r);
		ASSERT_ERR(&r, HS_ETRUNC, off);
		ck_assert_int_eq(r.st.truncated, 1);
		ck_assert_uint_eq(r.st.last_good_offset, off);
		ck_assert_uint_eq(s.n_strs, variant == 1 ? 0 : 1);
		ck_assert_uint_eq(s.n_lcs, 0);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* The file ends inside a record header. */
START_TEST(test_hprof_truncated_record_header)
{
	size_t k;
	for (k = 1; k < 9; k++) {
		hw *w = hw_new(NULL, 4);
		struct seen s;
		struct run r;
		size_t off;

		memset(&s, 0, sizeof(s));
		hw_string(w, 1, "whole");
		off = hw_string(w, 2, "cut");
		hw_truncate(w, off + k);
		run_hw(w, "cut-header.hprof", NULL, &s, &r);
		ASSERT_ERR(&r, HS_ETRUNC, off);
		ck_assert_int_eq(r.st.truncated, 1);
		ck_assert_uint_eq(r.st.last_good_offset, off);
		ck_assert_uint_eq(s.n_strs, 1);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* A sub-record that runs past the end of its HEAP_DUMP record, or past the
 * last segment of a run: HS_EFORMAT at the sub-record. */
START_TEST(test_hprof_subrecord_past_record)
{
	const unsigned z = _i ? 8 : 4;
	int seg;

	for (seg = 0; seg < 2; seg++) {
		hw *w = hw_new(NULL, z);
		struct seen s;
		struct run r;
		size_t p;

		memset(&s, 0, sizeof(s));
		hw_root_unknown(w, ID(z, 1));
		p = hw_instance_header(w, ID(z, 2), ID(z, 3), 40);
		hw_heap_raw(w, "only ten..", 10);
		hw_heap_dump_flush(w, seg ? 4096 : HW_ONE_RECORD);
		hw_string(w, ID(z, 4), "after");
		run_hw(w, "sub-past.hprof", NULL, &s, &r);
		ASSERT_ERR(&r, HS_EFORMAT, hw_heap_offset(w, p));
		ck_assert_uint_eq(r.err.tag, HS_SUB_INSTANCE_DUMP);
		ck_assert_int_eq(r.st.truncated, 0);
		ck_assert_uint_eq(s.n_roots, 1);
		ck_assert_uint_eq(s.n_insts, 0);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* Bad types in arrays and class dumps. */
START_TEST(test_hprof_bad_types)
{
	const unsigned z = _i ? 8 : 4;
	int variant;

	for (variant = 0; variant < 5; variant++) {
		hw *w = hw_new(NULL, z);
		struct seen s;
		struct run r;
		size_t p = 0;
		hw_class_spec c;
		hw_static st = { 1, 3, 0 };          /* type 3: invalid */
		hw_ifield fl = { 1, 12 };            /* type 12: invalid */
		hw_cpool_entry cp = { 1, 1, 0 };     /* type 1: invalid */

		memset(&s, 0, sizeof(s));
		memset(&c, 0, sizeof(c));
		c.id = ID(z, 7);
		hw_root_unknown(w, ID(z, 1));
		switch (variant) {
		case 0:
			p = hw_prim_array(w, ID(z, 2), 3, 4);
			break;
		case 1:
			p = hw_prim_array_nodata(w, ID(z, 2), HS_T_OBJECT, 4);
			break;
		case 2:
			c.nstatics = 1;
			c.statics = &st;
			p = hw_class_dump(w, &c);
			break;
		case 3:
			c.nfields = 1;
			c.fields = &fl;
			p = hw_class_dump(w, &c);
			break;
		default:
			c.ncpool = 1;
			c.cpool = &cp;
			p = hw_class_dump(w, &c);
			break;
		}
		hw_root_unknown(w, ID(z, 9));
		hw_heap_dump_flush(w, HW_ONE_RECORD);
		run_hw(w, "bad-type.hprof", NULL, &s, &r);
		ASSERT_ERR(&r, HS_EFORMAT, hw_heap_offset(w, p));
		ck_assert_uint_eq(s.n_roots, 1);
		ck_assert_uint_eq(s.n_classes + s.n_parrs, 0);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* Top-level records too short for their fixed part. */
START_TEST(test_hprof_short_records)
{
	const unsigned z = _i ? 8 : 4;
	static const struct { uint8_t tag; uint32_t len8, len4; } t[] = {
		{ HS_TAG_STRING, 7, 3 },
		{ HS_TAG_LOAD_CLASS, 23, 15 },
		{ HS_TAG_FRAME, 39, 23 },
		{ HS_TAG_TRACE, 11, 11 },
		{ HS_TAG_START_THREAD, 39, 23 },
	};
	size_t i;
	unsigned char zero[64];

	memset(zero, 0, sizeof(zero));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		hw *w = hw_new(NULL, z);
		struct seen s;
		struct run r;
		size_t off;

		memset(&s, 0, sizeof(s));
		hw_string(w, ID(z, 1), "ok");
		off = hw_record(w, t[i].tag, zero, z == 8 ? t[i].len8 : t[i].len4);
		hw_string(w, ID(z, 2), "after");
		run_hw(w, "short.hprof", NULL, &s, &r);
		ASSERT_ERR(&r, HS_EFORMAT, off);
		ck_assert_uint_eq(s.n_strs, 1);
		seen_free(&s);
		hw_free(w);
	}
	/* a TRACE whose frame count does not fit its length */
	{
		hw *w = hw_new(NULL, z);
		struct seen s;
		struct run r;
		size_t off;
		uint64_t ids[2] = { 1, 2 };

		memset(&s, 0, sizeof(s));
		off = hw_trace(w, 1, 1, 2, ids);
		hw_patch_u4(w, off + 9 + 8, 3);   /* claim 3 frames */
		run_hw(w, "trace.hprof", NULL, &s, &r);
		ASSERT_ERR(&r, HS_EFORMAT, off);
		ck_assert_uint_eq(s.n_traces, 0);
		seen_free(&s);
		hw_free(w);
	}
}
END_TEST

/* gzip data without its trailer, gzip / zstd cut in the middle, a gzip
 * file with a header only: HS_ETRUNC once every whole record before the cut
 * has been delivered. */
#define CUT_INSTANCES 20000u

START_TEST(test_hprof_truncated_compressed)
{
	const unsigned z = 8;
	hw *w = hw_new(NULL, z);
	size_t *pos = malloc(CUT_INSTANCES * sizeof(*pos));
	unsigned char fields[40];
	char path[PATH_MAX];
	uint32_t i, k;
	int kind;

	ck_assert_ptr_nonnull(pos);
	hw_string(w, ID(z, 1), "start");
	for (i = 0; i < CUT_INSTANCES; i++) {
		for (k = 0; k < sizeof(fields); k++)
			fields[k] = hw_prim_byte(i, k);   /* does not compress much */
		pos[i] = hw_instance(w, ID(z, 0x1000 + i), ID(z, 2), fields, sizeof(fields));
	}
	hw_heap_dump_flush(w, 4096);
	hw_string(w, ID(z, 3), "end");

	for (kind = 0; kind < 6; kind++) {
		static const char *const what[] = {
			"gzip without trailer", "gzip cut", "zstd cut", "gzip header only",
			"multi-member gzip without trailer", "zstd without its checksum"
		};
		struct seen s;
		struct run r;
		hs_hprof_visitor v;
		size_t n, whole = 0;

		memset(&s, 0, sizeof(s));
		v = full_visitor(&s);
		if (kind == 5) {
			/* the 4-byte content checksum ends the frame */
			tmp_path(path, sizeof(path), "cut.hprof.zst");
			write_zstd_checksum(path, hw_bytes(w), hw_len(w), 4);
		} else if (kind == 2) {
			tmp_path(path, sizeof(path), "cut.hprof.zst");
			write_zstd(path, hw_bytes(w), hw_len(w), SIZE_MAX);
			n = file_size(path);
			write_zstd(path, hw_bytes(w), hw_len(w), n / 2);
		} else {
			tmp_path(path, sizeof(path), "cut.hprof.gz");
			write_gzip(path, hw_bytes(w), hw_len(w), kind == 4 ? 4 : 1);
			n = file_size(path);
			/* the gzip trailer is 8 bytes (CRC, size): without it
			 * every byte of the dump is there but the file is cut */
			n = kind == 0 || kind == 4 ? n - 8 : kind == 1 ? n / 2 : 12;
			ck_assert_int_eq(truncate(path, (off_t)n), 0);
		}
		read_file(path, NULL, &v, &r);
		ck_assert_msg(r.rc == HS_ETRUNC, "%s: rc %d (%s)", what[kind], r.rc, r.err.msg);
		ck_assert_int_eq(r.err.code, HS_ETRUNC);
		ck_assert_msg(r.err.msg[0] != '\0', "empty message");
		ck_assert_int_eq(r.st.truncated, 1);
		switch (kind) {
		case 0:
		case 4:
		case 5:
			/* everything was decompressed: all records seen */
			ck_assert_uint_eq(r.err.offset, hw_len(w));
			ck_assert_uint_eq(r.st.last_good_offset, hw_len(w));
			ck_assert_uint_eq(s.n_strs, 2);
			ck_assert_uint_eq(s.n_insts, CUT_INSTANCES);
			break;
		case 3:
			ck_assert_uint_eq(r.err.offset, 0);
			ck_assert_int_eq(s.headers, 0);
			break;
		default:
			/* cut somewhere in the heap dump: the error is at the
			 * record or sub-record that is cut, which starts at the
			 * end of the last whole one or after a segment header */
			ck_assert_uint_gt(r.err.offset, 31);
			ck_assert_uint_lt(r.err.offset, hw_len(w));
			ck_assert_msg(r.err.offset == r.st.last_good_offset ||
				      r.err.offset == r.st.last_good_offset + 9,
				      "%s: error at %llu, last good %llu", what[kind],
				      (unsigned long long)r.err.offset,
				      (unsigned long long)r.st.last_good_offset);
			for (i = 0; i < CUT_INSTANCES; i++)
				if (hw_heap_offset(w, pos[i]) < r.err.offset)
					whole++;
			ck_assert_uint_gt(whole, 0);
			ck_assert_uint_lt(whole, CUT_INSTANCES);
			ck_assert_uint_eq(s.n_insts, whole);
			ck_assert_uint_eq(s.insts[whole - 1].id, ID(z, 0x1000 + whole - 1));
			break;
		}
		seen_free(&s);
	}
	free(pos);
	hw_free(w);
}
END_TEST

/* A gzip file whose CRC is wrong: HS_EFORMAT from the decompressor, at the
 * record or sub-record being parsed when it was found (the dump is bigger
 * than the reader's buffer, so that is not the start of the file). */
#define CRC_INSTANCES 150000u

START_TEST(test_hprof_corrupt_gzip)
{
	const unsigned z = 8;
	hw *w = hw_new(NULL, z);
	unsigned char fields[40];
	char path[PATH_MAX];
	struct seen s;
	struct run r;
	hs_hprof_visitor v;
	FILE *f;
	size_t n;
	uint32_t i;
	int c;

	memset(fields, 0, sizeof(fields));
	for (i = 0; i < CRC_INSTANCES; i++)
		hw_instance(w, ID(z, 0x1000 + i), ID(z, 2), fields, sizeof(fields));
	hw_heap_dump_flush(w, 1u << 20);
	hw_string(w, ID(z, 3), "end");
	ck_assert_uint_gt(hw_len(w), 8u << 20);
	tmp_path(path, sizeof(path), "bad-crc.hprof.gz");
	write_gzip(path, hw_bytes(w), hw_len(w), 1);
	n = file_size(path);
	f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, (long)(n - 8), SEEK_SET), 0);   /* the CRC */
	c = fgetc(f);
	ck_assert_int_eq(fseek(f, (long)(n - 8), SEEK_SET), 0);
	fputc(c ^ 0x55, f);
	ck_assert_int_eq(fclose(f), 0);

	memset(&s, 0, sizeof(s));
	v = full_visitor(&s);
	read_file(path, NULL, &v, &r);
	ck_assert_int_eq(r.rc, HS_EFORMAT);
	ck_assert_int_eq(r.err.code, HS_EFORMAT);
	ck_assert_msg(r.err.msg[0] != '\0', "empty message");
	ck_assert_int_eq(r.st.truncated, 0);
	ck_assert_msg(r.err.offset == r.st.last_good_offset ||
		      r.err.offset == r.st.last_good_offset + 9,
		      "error at %llu is not where the record being parsed starts "
		      "(last good offset %llu)", (unsigned long long)r.err.offset,
		      (unsigned long long)r.st.last_good_offset);
	seen_free(&s);
	hw_free(w);
}
END_TEST

START_TEST(test_hprof_directory)
{
	char path[PATH_MAX];
	hs_src *src = (hs_src *)&path;   /* must be reset to NULL */
	hs_error err;
	int rc;

	tmp_path(path, sizeof(path), "a-directory.hprof");
	ck_assert_int_eq(mkdir(path, 0700), 0);
	hs_error_clear(&err);
	rc = hs_src_open(&src, path, 0, &err);
	ck_assert_int_eq(rc, HS_EIO);
	ck_assert_int_eq(err.code, HS_EIO);
	ck_assert_ptr_null(src);
	ck_assert_uint_eq(err.offset, HS_NO_OFFSET);
	ck_assert_msg(err.msg[0] != '\0', "empty message");
	rmdir(path);
}
END_TEST

START_TEST(test_hprof_missing_file)
{
	char path[PATH_MAX];
	hs_src *src = (hs_src *)&path;
	hs_error err;
	int rc;

	tmp_path(path, sizeof(path), "no-such-file.hprof");
	hs_error_clear(&err);
	rc = hs_src_open(&src, path, 0, &err);
	ck_assert_int_eq(rc, HS_EIO);
	ck_assert_int_eq(err.code, HS_EIO);
	ck_assert_ptr_null(src);
	ck_assert_uint_eq(err.offset, HS_NO_OFFSET);
	ck_assert_msg(err.msg[0] != '\0', "empty message");
}
END_TEST

/* ======================================================================= */

/* ---- spans: reading again from a checkpoint ----------------------------- */

struct span_seen {
	uint64_t ids[4096];
	uint32_t n;
	uint64_t cp_off[4096], cp_left[4096];
	uint32_t ncp;
	int tagged;           /* record the checkpoint each object follows */
	uint32_t cp_of[4096];
};

static void sp_checkpoint(void *ctx, uint64_t off, uint64_t left)
{
	struct span_seen *s = ctx;
	ck_assert_uint_lt(s->ncp, 4096);
	s->cp_off[s->ncp] = off;
	s->cp_left[s->ncp++] = left;
}

static void sp_add(struct span_seen *s, uint64_t id)
{
	ck_assert_uint_lt(s->n, 4096);
	s->cp_of[s->n] = s->ncp - 1;
	s->ids[s->n++] = id;
}

static int sp_instance(void *ctx, uint64_t id, uint64_t cid, const unsigned char *data, uint32_t len,
		       hs_error *err)
{
	(void)cid; (void)data; (void)len; (void)err;
	sp_add(ctx, id);
	return 0;
}

static int sp_obj_array(void *ctx, const hs_obj_array *a, hs_error *err)
{
	(void)err;
	if (a->first == 0)
		sp_add(ctx, a->id);
	return 0;
}

static int sp_prim(void *ctx, uint64_t id, uint8_t type, uint32_t length, hs_error *err)
{
	(void)type; (void)length; (void)err;
	sp_add(ctx, id);
	return 0;
}

/*
 * A dump whose sub-records straddle segments of odd sizes: a whole pass
 * with a checkpoint at every sub-record (step 1) and at every 100 bytes,
 * then every span between two checkpoints read again after seeking there
 * must give exactly the objects the whole pass gave after the first
 * checkpoint and before the second; the last span runs to the dump's end,
 * and one span over all checkpoints gives every object.
 */
START_TEST(test_hprof_spans)
{
	const unsigned z = (_i & 1) ? 8 : 4;
	const uint32_t step = (_i & 2) ? 100 : 1;
	static const size_t sizes[] = { 7, 13, 1, 0, 50, 3, 200, 9 };
	hw *w = hw_new(NULL, z);
	struct span_seen *all = calloc(1, sizeof(*all)), *part = calloc(1, sizeof(*part));
	hs_hprof_stats full, st;
	hs_hprof_visitor v;
	hs_hprof_opts o;
	hs_error err;
	hs_src *src;
	char path[PATH_MAX];
	uint64_t elems[3];
	uint32_t i, k, j;

	ck_assert_ptr_nonnull(all);
	ck_assert_ptr_nonnull(part);
	hw_root_unknown(w, ID(z, 5));
	for (i = 0; i < 300; i++) {
		unsigned char f[12];
		memset(f, (int)i, sizeof(f));
		switch (i % 3) {
		case 0: hw_instance(w, ID(z, 0x1000 + 8 * (uint64_t)i), ID(z, 0x10), f, i % 12); break;
		case 1:
			elems[0] = ID(z, i); elems[1] = 0; elems[2] = ID(z, 7);
			hw_obj_array(w, ID(z, 0x1000 + 8 * (uint64_t)i), ID(z, 0x11), i % 4, elems);
			break;
		default: hw_prim_array(w, ID(z, 0x1000 + 8 * (uint64_t)i), HS_T_INT, i % 9); break;
		}
	}
	hw_heap_dump_flush_sizes(w, sizes, sizeof(sizes) / sizeof(sizes[0]), 1);
	hw_string(w, ID(z, 1), "after the dump");
	write_or_die(w, tmp_path(path, sizeof(path), "spans.hprof"));

	memset(&v, 0, sizeof(v));
	v.instance = sp_instance;
	v.obj_array = sp_obj_array;
	v.prim_array = sp_prim;
	v.checkpoint = sp_checkpoint;
	memset(&o, 0, sizeof(o));
	o.checkpoint_step = step;
	v.ctx = all;
	hs_error_clear(&err);
	ck_assert_int_eq(hs_src_open(&src, path, HS_SRC_REWIND, &err), 0);
	ck_assert_int_eq(hs_hprof_read(src, &o, &v, &full, &err), 0);
	ck_assert_uint_eq(all->n, 300);
	ck_assert_uint_ge(all->ncp, step == 1 ? 301 : 10);
	v.checkpoint = NULL;
	for (k = 0; k < all->ncp; k++) {
		hs_hprof_span sp;
		uint32_t want = 0;
		sp.offset = all->cp_off[k];
		sp.seg_left = all->cp_left[k];
		sp.end = k + 1 < all->ncp ? all->cp_off[k + 1] : UINT64_MAX;
		memset(part, 0, sizeof(*part));
		part->ncp = 1;
		v.ctx = part;
		ck_assert_int_eq(hs_hprof_read_spans(src, z, &sp, 1, &v, NULL, &err), 0);
		for (j = 0; j < all->n; j++)
			if (all->cp_of[j] == k) {
				ck_assert_uint_lt(want, part->n);
				ck_assert_uint_eq(part->ids[want], all->ids[j]);
				want++;
			}
		ck_assert_uint_eq(part->n, want);
	}
	{   /* one span from the first checkpoint to the end */
		hs_hprof_span sp = { all->cp_off[0], all->cp_left[0], UINT64_MAX };
		memset(part, 0, sizeof(*part));
		v.ctx = part;
		ck_assert_int_eq(hs_hprof_read_spans(src, z, &sp, 1, &v, &st, &err), 0);
		ck_assert_uint_eq(part->n, 300);
		ck_assert_mem_eq(part->ids, all->ids, 300 * sizeof(uint64_t));
		ck_assert_mem_eq(st.subrecords, full.subrecords, sizeof(st.subrecords));
	}
	{   /* two halves split at the middle checkpoint (how the graph's
	     * passes are read by two threads): the same objects, and
	     * sub-records that add up to the whole pass's */
		uint32_t mid = all->ncp / 2;
		hs_hprof_span a = { all->cp_off[0], all->cp_left[0], all->cp_off[mid] };
		hs_hprof_span b = { all->cp_off[mid], all->cp_left[mid], UINT64_MAX };
		hs_hprof_stats sa, sb;
		memset(part, 0, sizeof(*part));
		v.ctx = part;
		ck_assert_int_eq(hs_hprof_read_spans(src, z, &a, 1, &v, &sa, &err), 0);
		ck_assert_int_eq(hs_hprof_read_spans(src, z, &b, 1, &v, &sb, &err), 0);
		ck_assert_uint_eq(part->n, 300);
		ck_assert_mem_eq(part->ids, all->ids, 300 * sizeof(uint64_t));
		for (j = 0; j < sizeof(full.subrecords) / sizeof(full.subrecords[0]); j++)
			ck_assert_uint_eq(sa.subrecords[j] + sb.subrecords[j], full.subrecords[j]);
	}
	hs_src_free(src);
	free(all);
	free(part);
	hw_free(w);
}
END_TEST


static Suite *hprof_suite(void)
{
	Suite *s = suite_create("hprof");
	TCase *core = tcase_create("core");
	TCase *limits = tcase_create("limits");
	TCase *bad = tcase_create("malformed");

	tcase_add_unchecked_fixture(core, tmp_setup, tmp_teardown);
	tcase_add_unchecked_fixture(limits, tmp_setup, tmp_teardown);
	tcase_add_unchecked_fixture(bad, tmp_setup, tmp_teardown);
	/* generous: the suite also runs under valgrind */
	tcase_set_timeout(core, 600);
	tcase_set_timeout(limits, 600);
	tcase_set_timeout(bad, 600);

	/* _i = 0: 4-byte ids, _i = 1: 8-byte ids */
	tcase_add_loop_test(core, test_hprof_idsizes, 0, 2);
	tcase_add_loop_test(core, test_hprof_versions, 0, 2);
	tcase_add_test(core, test_hprof_header_only);
	tcase_add_test(core, test_hprof_segments);
	tcase_add_loop_test(core, test_hprof_spans, 0, 4);
	tcase_add_loop_test(core, test_hprof_prim_array_data, 0, 2);
	tcase_add_loop_test(core, test_hprof_empty_segments, 0, 2);
	tcase_add_loop_test(core, test_hprof_android, 0, 2);
	tcase_add_loop_test(core, test_hprof_empty_heap_dump, 0, 2);
	tcase_add_loop_test(core, test_hprof_unknown_tag_skipped, 0, 2);
	tcase_add_loop_test(core, test_hprof_two_dumps, 0, 2);
	tcase_add_loop_test(core, test_hprof_three_heap_dump_records, 0, 2);
	tcase_add_loop_test(core, test_hprof_stop_after_dump, 0, 2);
	tcase_add_loop_test(core, test_hprof_stop_after_unclosed_dump, 0, 2);
	tcase_add_loop_test(core, test_hprof_null_visitor, 0, 2);
	tcase_add_loop_test(core, test_hprof_visitor_error, 0, 2);
	tcase_add_loop_test(core, test_hprof_compressed, 0, 2);
	suite_add_tcase(s, core);

	tcase_add_loop_test(limits, test_hprof_big_obj_array, 0, 2);
	tcase_add_loop_test(limits, test_hprof_big_obj_array_skipped, 0, 2);
	tcase_add_loop_test(limits, test_hprof_big_obj_array_other_dump, 0, 2);
	tcase_add_loop_test(limits, test_hprof_big_string, 0, 2);
	tcase_add_loop_test(limits, test_hprof_string_over_limit, 0, 2);
	tcase_add_loop_test(limits, test_hprof_instance_over_limit, 0, 2);
	tcase_add_loop_test(limits, test_hprof_instance_at_limit, 0, 2);
	tcase_add_loop_test(limits, test_hprof_prim_array_want_capped, 0, 2);
	tcase_add_loop_test(limits, test_hprof_class_max_fields, 0, 2);
	tcase_add_test(limits, test_hprof_progress);
	suite_add_tcase(s, limits);

	tcase_add_test(bad, test_hprof_empty_file);
	tcase_add_test(bad, test_hprof_wrong_version);
	tcase_add_test(bad, test_hprof_not_hprof);
	tcase_add_test(bad, test_hprof_bad_idsize);
	tcase_add_test(bad, test_hprof_truncated_header);
	tcase_add_loop_test(bad, test_hprof_unknown_subrecord, 0, 2);
	tcase_add_loop_test(bad, test_hprof_truncated_instance, 0, 2);
	tcase_add_loop_test(bad, test_hprof_truncated_segment_header, 0, 2);
	tcase_add_loop_test(bad, test_hprof_truncated_at_subrecord_boundary, 0, 2);
	tcase_add_loop_test(bad, test_hprof_truncated_other_dump, 0, 2);
	tcase_add_loop_test(bad, test_hprof_record_past_eof, 0, 2);
	tcase_add_test(bad, test_hprof_truncated_record_header);
	tcase_add_loop_test(bad, test_hprof_subrecord_past_record, 0, 2);
	tcase_add_loop_test(bad, test_hprof_bad_types, 0, 2);
	tcase_add_loop_test(bad, test_hprof_short_records, 0, 2);
	tcase_add_test(bad, test_hprof_truncated_compressed);
	tcase_add_test(bad, test_hprof_corrupt_gzip);
	tcase_add_test(bad, test_hprof_directory);
	tcase_add_test(bad, test_hprof_missing_file);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	return tu_run(hprof_suite());
}
