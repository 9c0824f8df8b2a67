/*
 * hprof_writer.h - build HPROF heap dumps byte by byte, for tests.
 *
 * A writer (hw) holds the whole dump in a growable memory buffer.  hw_new()
 * writes the file header; top-level records are appended as they are asked
 * for.  Heap dump sub-records go into a pending heap body instead, which
 * hw_heap_dump_flush() emits either as one HEAP_DUMP record or as a run of
 * HEAP_DUMP_SEGMENT records cut at arbitrary byte positions (so sub-records
 * straddle segment boundaries) closed by HEAP_DUMP_END.  A dump may hold
 * several heap dumps: flush once per heap dump.
 *
 * Everything is big-endian, identifiers are written with the writer's id
 * size (any size from 1 to 8, so that malformed files can be made too).
 * Functions that append a top-level record return its offset in the file;
 * functions that append a heap sub-record return the position of its tag
 * byte in the pending heap body, which hw_heap_offset() turns into a file
 * offset once the body has been flushed.
 *
 * Allocation failures abort(): this is test code.  No global state.
 */
#ifndef HPROF_WRITER_H
#define HPROF_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct hw hw;

/* Default timestamp written by hw_new (ms since the epoch). */
#define HW_DEFAULT_TIME UINT64_C(0x0000018c0a0b0c0d)

/* hw_heap_dump_flush mode: one HEAP_DUMP record; any value > 0 is the
 * maximum size of each HEAP_DUMP_SEGMENT record body. */
#define HW_ONE_RECORD 0

/* Basic types (same values as HPROF / enum hs_type). */
enum {
	HW_T_OBJECT = 2, HW_T_BOOLEAN = 4, HW_T_CHAR = 5, HW_T_FLOAT = 6, HW_T_DOUBLE = 7,
	HW_T_BYTE = 8, HW_T_SHORT = 9, HW_T_INT = 10, HW_T_LONG = 11
};

/* ---- writer ---------------------------------------------------------- */

/** New dump with header "@p version\0", @p idsize, HW_DEFAULT_TIME.
 *  @p version NULL means "JAVA PROFILE 1.0.2". */
hw *hw_new(const char *version, unsigned idsize);
/** Same with an explicit timestamp. */
hw *hw_new_ts(const char *version, unsigned idsize, uint64_t timestamp_ms);
/** A writer with an empty buffer (no header), for raw malformed files;
 *  ids are written with @p idsize bytes. */
hw *hw_new_empty(unsigned idsize);
void hw_free(hw *w);

unsigned hw_idsize(const hw *w);
const unsigned char *hw_bytes(const hw *w);
size_t hw_len(const hw *w);
/** Cut the file to its first @p len bytes (len <= hw_len). */
void hw_truncate(hw *w, size_t len);
/** Overwrite @p n bytes of the file at @p off (off + n <= hw_len). */
void hw_patch(hw *w, size_t off, const void *bytes, size_t n);
/** Overwrite a big-endian u4 of the file at @p off. */
void hw_patch_u4(hw *w, size_t off, uint32_t v);
/** Write the file bytes to @p path.  Returns 0, or -1 (errno set). */
int hw_write_file(const hw *w, const char *path);
/** Size in the dump of a basic type, 0 for an invalid type. */
unsigned hw_type_size(const hw *w, int type);

/* ---- raw bytes at the end of the file --------------------------------- */

void hw_raw(hw *w, const void *bytes, size_t n);
void hw_u1(hw *w, uint8_t v);
void hw_u2(hw *w, uint16_t v);
void hw_u4(hw *w, uint32_t v);
void hw_u8(hw *w, uint64_t v);
void hw_id(hw *w, uint64_t v);

/* ---- top-level records (return the record's file offset) -------------- */

/** Record header only: tag, time delta 0, @p length (which may lie). */
size_t hw_record_header(hw *w, uint8_t tag, uint32_t length);
/** Whole record with the given body. */
size_t hw_record(hw *w, uint8_t tag, const void *body, uint32_t n);

size_t hw_string(hw *w, uint64_t id, const char *text);
size_t hw_string_n(hw *w, uint64_t id, const void *utf8, uint32_t n);
size_t hw_load_class(hw *w, uint32_t serial, uint64_t class_id, uint64_t name_id);
size_t hw_load_class_ex(hw *w, uint32_t serial, uint64_t class_id, uint32_t trace_serial,
			uint64_t name_id);
size_t hw_unload_class(hw *w, uint32_t serial);
size_t hw_frame(hw *w, uint64_t frame_id, uint64_t method_name_id, uint64_t signature_id,
		uint64_t source_id, uint32_t class_serial, int32_t line);
size_t hw_trace(hw *w, uint32_t serial, uint32_t thread_serial, uint32_t nframes,
		const uint64_t *frame_ids);
size_t hw_start_thread(hw *w, uint32_t serial, uint64_t object_id, uint32_t trace_serial,
		       uint64_t name_id, uint64_t group_id, uint64_t parent_group_id);
size_t hw_end_thread(hw *w, uint32_t serial);
size_t hw_heap_summary(hw *w, uint32_t live_bytes, uint32_t live_instances,
		       uint64_t alloc_bytes, uint64_t alloc_instances);
/** A zero-length HEAP_DUMP_END record. */
size_t hw_heap_dump_end(hw *w);

/* ---- heap dump sub-records (return the body position of the tag) ------ */

/* Roots. */
size_t hw_root_unknown(hw *w, uint64_t id);
size_t hw_root_jni_global(hw *w, uint64_t id, uint64_t ref_id);
size_t hw_root_jni_local(hw *w, uint64_t id, uint32_t thread_serial, uint32_t frame);
size_t hw_root_java_frame(hw *w, uint64_t id, uint32_t thread_serial, uint32_t frame);
size_t hw_root_native_stack(hw *w, uint64_t id, uint32_t thread_serial);
size_t hw_root_sticky_class(hw *w, uint64_t id);
size_t hw_root_thread_block(hw *w, uint64_t id, uint32_t thread_serial);
size_t hw_root_monitor_used(hw *w, uint64_t id);
size_t hw_root_thread_object(hw *w, uint64_t id, uint32_t thread_serial, uint32_t trace_serial);
/* Android roots: any one-id root by tag (0x89..0x8d, 0x90, also 0xff,
 * 0x05, 0x07), and JNI_MONITOR. */
size_t hw_root_id(hw *w, uint8_t tag, uint64_t id);
size_t hw_root_jni_monitor(hw *w, uint64_t id, uint32_t thread_serial, uint32_t depth);
/* Android HEAP_DUMP_INFO. */
size_t hw_heap_dump_info(hw *w, uint32_t heap_id, uint64_t name_id);

/* CLASS_DUMP. */
typedef struct hw_cpool_entry {
	uint16_t index;
	uint8_t  type;
	uint64_t value;
} hw_cpool_entry;

typedef struct hw_static {
	uint64_t name_id;
	uint8_t  type;
	uint64_t value;     /* the low hw_type_size() bytes are written */
} hw_static;

typedef struct hw_ifield {
	uint64_t name_id;
	uint8_t  type;
} hw_ifield;

typedef struct hw_class_spec {
	uint64_t id, super_id, loader_id, signers_id, domain_id, reserved1, reserved2;
	uint32_t trace_serial;
	uint32_t instance_size;
	uint16_t ncpool;
	const hw_cpool_entry *cpool;
	uint16_t nstatics;
	const hw_static *statics;
	uint16_t nfields;
	const hw_ifield *fields;
} hw_class_spec;

size_t hw_class_dump(hw *w, const hw_class_spec *spec);

/* INSTANCE_DUMP with @p n field bytes (build them with an hw_buf). */
size_t hw_instance(hw *w, uint64_t id, uint64_t class_id, const void *field_bytes, uint32_t n);
size_t hw_instance_ex(hw *w, uint64_t id, uint32_t trace_serial, uint64_t class_id,
		      const void *field_bytes, uint32_t n);
/* INSTANCE_DUMP header claiming @p n field bytes, none written. */
size_t hw_instance_header(hw *w, uint64_t id, uint64_t class_id, uint32_t n);

/* OBJ_ARRAY_DUMP of @p n elements. */
size_t hw_obj_array(hw *w, uint64_t id, uint64_t array_class_id, uint32_t n,
		    const uint64_t *elems);
size_t hw_obj_array_ex(hw *w, uint64_t id, uint32_t trace_serial, uint64_t array_class_id,
		       uint32_t n, const uint64_t *elems);

/* PRIM_ARRAY_DUMP of @p n elements of @p type; content byte k is
 * hw_prim_byte(id, k). */
size_t hw_prim_array(hw *w, uint64_t id, uint8_t type, uint32_t n);
/* ... with explicit content (n * size bytes). */
size_t hw_prim_array_data(hw *w, uint64_t id, uint8_t type, uint32_t n, const void *data);
/* Android PRIM_ARRAY_NODATA. */
size_t hw_prim_array_nodata(hw *w, uint64_t id, uint8_t type, uint32_t n);
/** The deterministic content byte @p k of the primitive array @p id. */
uint8_t hw_prim_byte(uint64_t id, uint64_t k);

/* Raw bytes in the pending heap body (an unknown tag, a cut record). */
size_t hw_heap_raw(hw *w, const void *bytes, size_t n);
/** Length of the pending heap body. */
size_t hw_heap_len(const hw *w);

/*
 * Emit the pending heap body and empty it.  @p mode HW_ONE_RECORD: one
 * HEAP_DUMP record (possibly of length 0).  @p mode K > 0: HEAP_DUMP_SEGMENT
 * records of K bytes (the last one shorter) then HEAP_DUMP_END; an empty
 * body gives one empty segment.  Returns the file offset of the first
 * record written.
 */
size_t hw_heap_dump_flush(hw *w, size_t mode);
/*
 * Segments of the given body sizes in order (0 allowed: an empty segment),
 * then one more with what is left if anything is; HEAP_DUMP_END only when
 * @p end is set.  Sizes past the end of the body are cut short.
 */
size_t hw_heap_dump_flush_sizes(hw *w, const size_t *sizes, size_t nsizes, int end);
/** File offset of body position @p pos of the last flushed heap body. */
size_t hw_heap_offset(const hw *w, size_t pos);

/* ---- field buffers: big-endian values for INSTANCE_DUMP --------------- */

typedef struct hw_buf {
	unsigned char *p;
	size_t len, cap;
	unsigned idsize;
} hw_buf;

void hw_buf_init(hw_buf *b, unsigned idsize);
void hw_buf_free(hw_buf *b);
void hw_buf_raw(hw_buf *b, const void *bytes, size_t n);
void hw_buf_u1(hw_buf *b, uint8_t v);
void hw_buf_u2(hw_buf *b, uint16_t v);
void hw_buf_u4(hw_buf *b, uint32_t v);
void hw_buf_u8(hw_buf *b, uint64_t v);
void hw_buf_id(hw_buf *b, uint64_t v);
/** A value of a basic type (the low size bytes of @p v). */
void hw_buf_value(hw_buf *b, int type, uint64_t v);

#endif
