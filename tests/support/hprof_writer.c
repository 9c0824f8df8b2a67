/*
 * hprof_writer.c - build HPROF heap dumps byte by byte, for tests
 * (see hprof_writer.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hprof_writer.h"

enum {
	TAG_STRING = 0x01, TAG_LOAD_CLASS = 0x02, TAG_UNLOAD_CLASS = 0x03, TAG_FRAME = 0x04,
	TAG_TRACE = 0x05, TAG_HEAP_SUMMARY = 0x07, TAG_START_THREAD = 0x0a,
	TAG_END_THREAD = 0x0b, TAG_HEAP_DUMP = 0x0c, TAG_HEAP_DUMP_SEGMENT = 0x1c,
	TAG_HEAP_DUMP_END = 0x2c
};

enum {
	SUB_ROOT_UNKNOWN = 0xff, SUB_ROOT_JNI_GLOBAL = 0x01, SUB_ROOT_JNI_LOCAL = 0x02,
	SUB_ROOT_JAVA_FRAME = 0x03, SUB_ROOT_NATIVE_STACK = 0x04, SUB_ROOT_STICKY_CLASS = 0x05,
	SUB_ROOT_THREAD_BLOCK = 0x06, SUB_ROOT_MONITOR_USED = 0x07,
	SUB_ROOT_THREAD_OBJECT = 0x08, SUB_CLASS_DUMP = 0x20, SUB_INSTANCE_DUMP = 0x21,
	SUB_OBJ_ARRAY_DUMP = 0x22, SUB_PRIM_ARRAY_DUMP = 0x23, SUB_ROOT_JNI_MONITOR = 0x8e,
	SUB_PRIM_ARRAY_NODATA = 0xc3, SUB_HEAP_DUMP_INFO = 0xfe
};

/* Where one flushed piece of the heap body went. */
struct seg {
	size_t body_pos, len, file_off;
};

struct hw {
	unsigned idsize;
	hw_buf file;
	hw_buf heap;
	struct seg *segs;   /* last flush */
	size_t nsegs, segs_cap;
};

/* ---- buffers ---------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "hprof_writer: out of memory (%zu bytes)\n", n);
		abort();
	}
	return q;
}

void hw_buf_init(hw_buf *b, unsigned idsize)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->idsize = idsize;
}

void hw_buf_free(hw_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static void buf_reserve(hw_buf *b, size_t n)
{
	size_t cap;
	if (b->cap - b->len >= n)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void hw_buf_raw(hw_buf *b, const void *bytes, size_t n)
{
	if (n == 0)
		return;
	buf_reserve(b, n);
	if (bytes)
		memcpy(b->p + b->len, bytes, n);
	else
		memset(b->p + b->len, 0, n);
	b->len += n;
}

/* The low n bytes of v, big-endian. */
static void buf_be(hw_buf *b, uint64_t v, unsigned n)
{
	unsigned i;
	buf_reserve(b, n);
	for (i = 0; i < n; i++)
		b->p[b->len + i] = (unsigned char)(v >> (8 * (n - 1 - i)));
	b->len += n;
}

void hw_buf_u1(hw_buf *b, uint8_t v) { buf_be(b, v, 1); }
void hw_buf_u2(hw_buf *b, uint16_t v) { buf_be(b, v, 2); }
void hw_buf_u4(hw_buf *b, uint32_t v) { buf_be(b, v, 4); }
void hw_buf_u8(hw_buf *b, uint64_t v) { buf_be(b, v, 8); }
void hw_buf_id(hw_buf *b, uint64_t v) { buf_be(b, v, b->idsize); }

static unsigned type_size(int type, unsigned idsize)
{
	switch (type) {
	case HW_T_OBJECT: return idsize;
	case HW_T_BOOLEAN: case HW_T_BYTE: return 1;
	case HW_T_CHAR: case HW_T_SHORT: return 2;
	case HW_T_FLOAT: case HW_T_INT: return 4;
	case HW_T_DOUBLE: case HW_T_LONG: return 8;
	}
	return 0;
}

void hw_buf_value(hw_buf *b, int type, uint64_t v)
{
	buf_be(b, v, type_size(type, b->idsize));
}

/* ---- writer ----------------------------------------------------------- */

hw *hw_new_empty(unsigned idsize)
{
	hw *w = xrealloc(NULL, sizeof(*w));
	w->idsize = idsize;
	hw_buf_init(&w->file, idsize);
	hw_buf_init(&w->heap, idsize);
	w->segs = NULL;
	w->nsegs = w->segs_cap = 0;
	return w;
}

hw *hw_new_ts(const char *version, unsigned idsize, uint64_t timestamp_ms)
{
	hw *w = hw_new_empty(idsize);
	if (!version)
		version = "JAVA PROFILE 1.0.2";
	hw_buf_raw(&w->file, version, strlen(version) + 1);
	hw_buf_u4(&w->file, idsize);
	hw_buf_u4(&w->file, (uint32_t)(timestamp_ms >> 32));
	hw_buf_u4(&w->file, (uint32_t)timestamp_ms);
	return w;
}

hw *hw_new(const char *version, unsigned idsize)
{
	return hw_new_ts(version, idsize, HW_DEFAULT_TIME);
}

void hw_free(hw *w)
{
	if (!w)
		return;
	hw_buf_free(&w->file);
	hw_buf_free(&w->heap);
	free(w->segs);
	free(w);
}

unsigned hw_idsize(const hw *w) { return w->idsize; }
const unsigned char *hw_bytes(const hw *w) { return w->file.p; }
size_t hw_len(const hw *w) { return w->file.len; }
unsigned hw_type_size(const hw *w, int type) { return type_size(type, w->idsize); }

void hw_truncate(hw *w, size_t len)
{
	if (len < w->file.len)
		w->file.len = len;
}

void hw_patch(hw *w, size_t off, const void *bytes, size_t n)
{
	if (off > w->file.len || n > w->file.len - off) {
		fprintf(stderr, "hprof_writer: patch of %zu bytes at %zu past the end (%zu)\n",
			n, off, w->file.len);
		abort();
	}
	memcpy(w->file.p + off, bytes, n);
}

void hw_patch_u4(hw *w, size_t off, uint32_t v)
{
	unsigned char b[4];
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
	hw_patch(w, off, b, 4);
}

int hw_write_file(const hw *w, const char *path)
{
	FILE *f = fopen(path, "wb");
	int saved;

	if (!f)
		return -1;
	if (w->file.len > 0 && fwrite(w->file.p, 1, w->file.len, f) != w->file.len) {
		saved = errno;
		fclose(f);
		errno = saved;
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* ---- raw bytes ---------------------------------------------------------- */

void hw_raw(hw *w, const void *bytes, size_t n) { hw_buf_raw(&w->file, bytes, n); }
void hw_u1(hw *w, uint8_t v) { hw_buf_u1(&w->file, v); }
void hw_u2(hw *w, uint16_t v) { hw_buf_u2(&w->file, v); }
void hw_u4(hw *w, uint32_t v) { hw_buf_u4(&w->file, v); }
void hw_u8(hw *w, uint64_t v) { hw_buf_u8(&w->file, v); }
void hw_id(hw *w, uint64_t v) { hw_buf_id(&w->file, v); }

/* ---- top-level records ------------------------------------------------- */

size_t hw_record_header(hw *w, uint8_t tag, uint32_t length)
{
	size_t off = w->file.len;
	hw_buf_u1(&w->file, tag);
	hw_buf_u4(&w->file, 0);
	hw_buf_u4(&w->file, length);
	return off;
}

size_t hw_record(hw *w, uint8_t tag, const void *body, uint32_t n)
{
	size_t off = hw_record_header(w, tag, n);
	hw_buf_raw(&w->file, body, n);
	return off;
}

/* Build a body in a scratch buffer, then append it as one record. */
static size_t emit(hw *w, uint8_t tag, hw_buf *body)
{
	size_t off = hw_record(w, tag, body->p, (uint32_t)body->len);
	hw_buf_free(body);
	return off;
}

size_t hw_string_n(hw *w, uint64_t id, const void *utf8, uint32_t n)
{
	hw_buf b;
	hw_buf_init(&b, w->idsize);
	hw_buf_id(&b, id);
	hw_buf_raw(&b, utf8, n);
	return emit(w, TAG_STRING, &b);
}

size_t hw_string(hw *w, uint64_t id, const char *text)
{
	return hw_string_n(w, id, text, (uint32_t)strlen(text));
}

size_t hw_load_class_ex(hw *w, uint32_t serial, uint64_t class_id, uint32_t trace_serial,
			uint64_t name_id)
{
	hw_buf b;
	hw_buf_init(&b, w->idsize);
	hw_buf_u4(&b, serial);
	hw_buf_id(&b, class_id);
	hw_buf_u4(&b, trace_serial);
	hw_buf_id(&b, name_id);
	return emit(w, TAG_LOAD_CLASS, &b);
}

size_t hw_load_class(hw *w, uint32_t serial, uint64_t class_id, uint64_t name_id)
{
	return hw_load_class_ex(w, serial, class_id, 0, name_id);
}

size_t hw_unload_class(hw *w, uint32_t serial)
{
	hw_buf b;
	hw_buf_init(&b, w->idsize);
	hw_buf_u4(&b, serial);
	return emit(w, TAG_UNLOAD_CLASS, &b);
}

size_t hw_frame(hw *w, uint64_t frame_id, uint64_t method_name_id, uint64_t signature_id,
		uint64_t source_id, uint32_t class_serial, int32_t line)
{
	hw_buf b;
	hw_buf_init(&b, w->idsize);
	hw_buf_id(&b, frame_id);
	hw_buf_id(&b, method_name_id);
	hw_buf_id(&b, signature_id);
	hw_buf_id(&b, source_id);
	hw_buf_u4(&b, class_serial);
	hw_buf_u4(&b, (uint32_t)line);
	return emit(w, TAG_FRAME, &b);
}

size_t hw_trace(hw *w, uint32_t serial, uint32_t thread_serial, uint32_t nframes,
		const uint64_t *frame_ids)
{
	hw_buf b;
	uint32_t i;
	hw_buf_init(&b, w->idsize);
	hw_buf_u4(&b, serial);
	hw_buf_u4(&b, thread_serial);
	hw_buf_u4(&b, nframes);
	for (i = 0; i < nframes; i++)
		hw_buf_id(&b, frame_ids[i]);
	return emit(w, TAG_TRACE, &b);
}

size_t hw_start_thread(hw *w, uint32_t serial, uint64_t object_id, uint32_t trace_serial,
		       uint64_t name_id, uint64_t group_id, uint64_t parent_group_id)
{
	hw_buf b;
	hw_buf_init(&b, w->idsize);
	hw_buf_u4(&b, serial);
	hw_buf_id(&b, object_id);
	hw_buf_u4(&b, trace_serial);
	hw_buf_id(&b, name_id);
	hw_buf_id(&b, group_id);
	hw_buf_id(&b, parent_group_id);
	return emit(w, TAG_START_THREAD, &b);
}

size_t hw_end_thread(hw *w, uint32_t serial)
{
	hw_buf b;
	hw_buf_init(&b, w->idsize);
	hw_buf_u4(&b, serial);
	return emit(w, TAG_END_THREAD, &b);
}

size_t hw_heap_summary(hw *w, uint32_t live_bytes, uint32_t live_instances,
		       uint64_t alloc_bytes, uint64_t alloc_instances)
{
	hw_buf b;
	hw_buf_init(&b, w->idsize);
	hw_buf_u4(&b, live_bytes);
	hw_buf_u4(&b, live_instances);
	hw_buf_u8(&b, alloc_bytes);
	hw_buf_u8(&b, alloc_instances);
	return emit(w, TAG_HEAP_SUMMARY, &b);
}

size_t hw_heap_dump_end(hw *w)
{
	return hw_record_header(w, TAG_HEAP_DUMP_END, 0);
}

/* ---- heap sub-records ---------------------------------------------------- */

static size_t sub_begin(hw *w, uint8_t tag)
{
	size_t pos = w->heap.len;
	hw_buf_u1(&w->heap, tag);
	return pos;
}

static size_t root_id_u4(hw *w, uint8_t tag, uint64_t id, uint32_t a)
{
	size_t pos = sub_begin(w, tag);
	hw_buf_id(&w->heap, id);
	hw_buf_u4(&w->heap, a);
	return pos;
}

static size_t root_id_u4_u4(hw *w, uint8_t tag, uint64_t id, uint32_t a, uint32_t b)
{
	size_t pos = root_id_u4(w, tag, id, a);
	hw_buf_u4(&w->heap, b);
	return pos;
}

size_t hw_root_id(hw *w, uint8_t tag, uint64_t id)
{
	size_t pos = sub_begin(w, tag);
	hw_buf_id(&w->heap, id);
	return pos;
}

size_t hw_root_unknown(hw *w, uint64_t id) { return hw_root_id(w, SUB_ROOT_UNKNOWN, id); }

size_t hw_root_jni_global(hw *w, uint64_t id, uint64_t ref_id)
{
	size_t pos = hw_root_id(w, SUB_ROOT_JNI_GLOBAL, id);
	hw_buf_id(&w->heap, ref_id);
	return pos;
}

size_t hw_root_jni_local(hw *w, uint64_t id, uint32_t thread_serial, uint32_t frame)
{
	return root_id_u4_u4(w, SUB_ROOT_JNI_LOCAL, id, thread_serial, frame);
}

size_t hw_root_java_frame(hw *w, uint64_t id, uint32_t thread_serial, uint32_t frame)
{
	return root_id_u4_u4(w, SUB_ROOT_JAVA_FRAME, id, thread_serial, frame);
}

size_t hw_root_native_stack(hw *w, uint64_t id, uint32_t thread_serial)
{
	return root_id_u4(w, SUB_ROOT_NATIVE_STACK, id, thread_serial);
}

size_t hw_root_sticky_class(hw *w, uint64_t id) { return hw_root_id(w, SUB_ROOT_STICKY_CLASS, id); }

size_t hw_root_thread_block(hw *w, uint64_t id, uint32_t thread_serial)
{
	return root_id_u4(w, SUB_ROOT_THREAD_BLOCK, id, thread_serial);
}

size_t hw_root_monitor_used(hw *w, uint64_t id) { return hw_root_id(w, SUB_ROOT_MONITOR_USED, id); }

size_t hw_root_thread_object(hw *w, uint64_t id, uint32_t thread_serial, uint32_t trace_serial)
{
	return root_id_u4_u4(w, SUB_ROOT_THREAD_OBJECT, id, thread_serial, trace_serial);
}

size_t hw_root_jni_monitor(hw *w, uint64_t id, uint32_t thread_serial, uint32_t depth)
{
	return root_id_u4_u4(w, SUB_ROOT_JNI_MONITOR, id, thread_serial, depth);
}

size_t hw_heap_dump_info(hw *w, uint32_t heap_id, uint64_t name_id)
{
	size_t pos = sub_begin(w, SUB_HEAP_DUMP_INFO);
	hw_buf_u4(&w->heap, heap_id);
	hw_buf_id(&w->heap, name_id);
	return pos;
}

size_t hw_class_dump(hw *w, const hw_class_spec *c)
{
	hw_buf *h = &w->heap;
	size_t pos = sub_begin(w, SUB_CLASS_DUMP);
	unsigned i;

	hw_buf_id(h, c->id);
	hw_buf_u4(h, c->trace_serial);
	hw_buf_id(h, c->super_id);
	hw_buf_id(h, c->loader_id);
	hw_buf_id(h, c->signers_id);
	hw_buf_id(h, c->domain_id);
	hw_buf_id(h, c->reserved1);
	hw_buf_id(h, c->reserved2);
	hw_buf_u4(h, c->instance_size);
	hw_buf_u2(h, c->ncpool);
	for (i = 0; i < c->ncpool; i++) {
		hw_buf_u2(h, c->cpool[i].index);
		hw_buf_u1(h, c->cpool[i].type);
		hw_buf_value(h, c->cpool[i].type, c->cpool[i].value);
	}
	hw_buf_u2(h, c->nstatics);
	for (i = 0; i < c->nstatics; i++) {
		hw_buf_id(h, c->statics[i].name_id);
		hw_buf_u1(h, c->statics[i].type);
		hw_buf_value(h, c->statics[i].type, c->statics[i].value);
	}
	hw_buf_u2(h, c->nfields);
	for (i = 0; i < c->nfields; i++) {
		hw_buf_id(h, c->fields[i].name_id);
		hw_buf_u1(h, c->fields[i].type);
	}
	return pos;
}

size_t hw_instance_header(hw *w, uint64_t id, uint64_t class_id, uint32_t n)
{
	size_t pos = sub_begin(w, SUB_INSTANCE_DUMP);
	hw_buf_id(&w->heap, id);
	hw_buf_u4(&w->heap, 0);
	hw_buf_id(&w->heap, class_id);
	hw_buf_u4(&w->heap, n);
	return pos;
}

size_t hw_instance_ex(hw *w, uint64_t id, uint32_t trace_serial, uint64_t class_id,
		      const void *field_bytes, uint32_t n)
{
	size_t pos = sub_begin(w, SUB_INSTANCE_DUMP);
	hw_buf_id(&w->heap, id);
	hw_buf_u4(&w->heap, trace_serial);
	hw_buf_id(&w->heap, class_id);
	hw_buf_u4(&w->heap, n);
	hw_buf_raw(&w->heap, field_bytes, n);
	return pos;
}

size_t hw_instance(hw *w, uint64_t id, uint64_t class_id, const void *field_bytes, uint32_t n)
{
	return hw_instance_ex(w, id, 0, class_id, field_bytes, n);
}

size_t hw_obj_array_ex(hw *w, uint64_t id, uint32_t trace_serial, uint64_t array_class_id,
		       uint32_t n, const uint64_t *elems)
{
	size_t pos = sub_begin(w, SUB_OBJ_ARRAY_DUMP);
	uint32_t i;
	hw_buf_id(&w->heap, id);
	hw_buf_u4(&w->heap, trace_serial);
	hw_buf_u4(&w->heap, n);
	hw_buf_id(&w->heap, array_class_id);
	buf_reserve(&w->heap, (size_t)n * w->idsize);
	for (i = 0; i < n; i++)
		hw_buf_id(&w->heap, elems[i]);
	return pos;
}

size_t hw_obj_array(hw *w, uint64_t id, uint64_t array_class_id, uint32_t n, const uint64_t *elems)
{
	return hw_obj_array_ex(w, id, 0, array_class_id, n, elems);
}

uint8_t hw_prim_byte(uint64_t id, uint64_t k)
{
	uint64_t x = id * UINT64_C(0x9e3779b97f4a7c15) + k * UINT64_C(31) + (k >> 8);
	return (uint8_t)(x ^ (x >> 29) ^ (x >> 47));
}

static size_t prim_header(hw *w, uint8_t tag, uint64_t id, uint8_t type, uint32_t n)
{
	size_t pos = sub_begin(w, tag);
	hw_buf_id(&w->heap, id);
	hw_buf_u4(&w->heap, 0);
	hw_buf_u4(&w->heap, n);
	hw_buf_u1(&w->heap, type);
	return pos;
}

size_t hw_prim_array_data(hw *w, uint64_t id, uint8_t type, uint32_t n, const void *data)
{
	size_t pos = prim_header(w, SUB_PRIM_ARRAY_DUMP, id, type, n);
	hw_buf_raw(&w->heap, data, (size_t)n * type_size(type, w->idsize));
	return pos;
}

size_t hw_prim_array(hw *w, uint64_t id, uint8_t type, uint32_t n)
{
	size_t pos = prim_header(w, SUB_PRIM_ARRAY_DUMP, id, type, n);
	size_t k, total = (size_t)n * type_size(type, w->idsize);
	buf_reserve(&w->heap, total);
	for (k = 0; k < total; k++)
		w->heap.p[w->heap.len + k] = hw_prim_byte(id, k);
	w->heap.len += total;
	return pos;
}

size_t hw_prim_array_nodata(hw *w, uint64_t id, uint8_t type, uint32_t n)
{
	return prim_header(w, SUB_PRIM_ARRAY_NODATA, id, type, n);
}

size_t hw_heap_raw(hw *w, const void *bytes, size_t n)
{
	size_t pos = w->heap.len;
	hw_buf_raw(&w->heap, bytes, n);
	return pos;
}

size_t hw_heap_len(const hw *w) { return w->heap.len; }

/* ---- flushing ------------------------------------------------------------ */

static void seg_add(hw *w, size_t body_pos, size_t len, size_t file_off)
{
	if (w->nsegs == w->segs_cap) {
		w->segs_cap = w->segs_cap ? 2 * w->segs_cap : 16;
		w->segs = xrealloc(w->segs, w->segs_cap * sizeof(*w->segs));
	}
	w->segs[w->nsegs].body_pos = body_pos;
	w->segs[w->nsegs].len = len;
	w->segs[w->nsegs].file_off = file_off;
	w->nsegs++;
}

static size_t put_piece(hw *w, uint8_t tag, size_t body_pos, size_t len)
{
	size_t off = hw_record(w, tag, w->heap.p ? w->heap.p + body_pos : NULL, (uint32_t)len);
	seg_add(w, body_pos, len, off);
	return off;
}

size_t hw_heap_dump_flush_sizes(hw *w, const size_t *sizes, size_t nsizes, int end)
{
	size_t first = w->file.len, pos = 0, i;

	w->nsegs = 0;
	for (i = 0; i < nsizes; i++) {
		size_t k = sizes[i];
		if (k > w->heap.len - pos)
			k = w->heap.len - pos;
		put_piece(w, TAG_HEAP_DUMP_SEGMENT, pos, k);
		pos += k;
	}
	if (pos < w->heap.len || nsizes == 0)
		put_piece(w, TAG_HEAP_DUMP_SEGMENT, pos, w->heap.len - pos);
	if (end)
		hw_heap_dump_end(w);
	w->heap.len = 0;
	return first;
}

size_t hw_heap_dump_flush(hw *w, size_t mode)
{
	size_t first = w->file.len, pos = 0;

	w->nsegs = 0;
	if (mode == HW_ONE_RECORD) {
		put_piece(w, TAG_HEAP_DUMP, 0, w->heap.len);
		w->heap.len = 0;
		return first;
	}
	do {
		size_t k = w->heap.len - pos < mode ? w->heap.len - pos : mode;
		put_piece(w, TAG_HEAP_DUMP_SEGMENT, pos, k);
		pos += k;
	} while (pos < w->heap.len);
	hw_heap_dump_end(w);
	w->heap.len = 0;
	return first;
}

size_t hw_heap_offset(const hw *w, size_t pos)
{
	size_t i;

	for (i = 0; i < w->nsegs; i++) {
		const struct seg *s = &w->segs[i];
		if (pos >= s->body_pos && pos < s->body_pos + s->len)
			return s->file_off + 9 + (pos - s->body_pos);
	}
	/* the end of the body */
	if (w->nsegs > 0) {
		const struct seg *s = &w->segs[w->nsegs - 1];
		return s->file_off + 9 + s->len;
	}
	return (size_t)-1;
}
