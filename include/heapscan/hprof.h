/*
 * hprof.h - streaming HPROF record reader.
 *
 * The reader makes one forward pass over a dump through a fixed buffer and
 * calls a visitor for each record and heap sub-record.  It never holds more
 * than one record's fixed part in memory: object array elements arrive in
 * chunks and primitive array contents are skipped.
 *
 * Formats: "JAVA PROFILE 1.0.1", "1.0.2" (HotSpot, hprof agent) and
 * "1.0.3" (Android); identifier size 4 or 8.  A heap dump is either one
 * HEAP_DUMP record or a run of HEAP_DUMP_SEGMENT records closed by
 * HEAP_DUMP_END; a sub-record may straddle two segments.  A file may hold
 * several heap dumps (the hprof agent writes one per request): the visitor
 * sees the sub-records of the selected one only, and hs_hprof_stats counts
 * them all.
 *
 * Record lengths are unsigned 32-bit; a zero-length heap dump is empty.
 * Every length is checked against the limits below before memory is used.
 */
#ifndef HEAPSCAN_HPROF_H
#define HEAPSCAN_HPROF_H

#include <stddef.h>
#include <stdint.h>

#include "heapscan/error.h"
#include "heapscan/source.h"

/* Top-level record tags. */
enum hs_tag {
	HS_TAG_STRING = 0x01, HS_TAG_LOAD_CLASS = 0x02, HS_TAG_UNLOAD_CLASS = 0x03,
	HS_TAG_FRAME = 0x04, HS_TAG_TRACE = 0x05, HS_TAG_ALLOC_SITES = 0x06,
	HS_TAG_HEAP_SUMMARY = 0x07, HS_TAG_START_THREAD = 0x0a, HS_TAG_END_THREAD = 0x0b,
	HS_TAG_HEAP_DUMP = 0x0c, HS_TAG_CPU_SAMPLES = 0x0d, HS_TAG_CONTROL_SETTINGS = 0x0e,
	HS_TAG_HEAP_DUMP_SEGMENT = 0x1c, HS_TAG_HEAP_DUMP_END = 0x2c
};

/* Heap dump sub-record tags, including Android's. */
enum hs_sub {
	HS_SUB_ROOT_UNKNOWN = 0xff, HS_SUB_ROOT_JNI_GLOBAL = 0x01, HS_SUB_ROOT_JNI_LOCAL = 0x02,
	HS_SUB_ROOT_JAVA_FRAME = 0x03, HS_SUB_ROOT_NATIVE_STACK = 0x04,
	HS_SUB_ROOT_STICKY_CLASS = 0x05, HS_SUB_ROOT_THREAD_BLOCK = 0x06,
	HS_SUB_ROOT_MONITOR_USED = 0x07, HS_SUB_ROOT_THREAD_OBJECT = 0x08,
	HS_SUB_CLASS_DUMP = 0x20, HS_SUB_INSTANCE_DUMP = 0x21,
	HS_SUB_OBJ_ARRAY_DUMP = 0x22, HS_SUB_PRIM_ARRAY_DUMP = 0x23,
	/* Android (HPROF 1.0.3) */
	HS_SUB_ROOT_INTERNED_STRING = 0x89, HS_SUB_ROOT_FINALIZING = 0x8a,
	HS_SUB_ROOT_DEBUGGER = 0x8b, HS_SUB_ROOT_REFERENCE_CLEANUP = 0x8c,
	HS_SUB_ROOT_VM_INTERNAL = 0x8d, HS_SUB_ROOT_JNI_MONITOR = 0x8e,
	HS_SUB_ROOT_UNREACHABLE = 0x90, HS_SUB_PRIM_ARRAY_NODATA = 0xc3,
	HS_SUB_HEAP_DUMP_INFO = 0xfe
};

/* Basic types of fields and primitive arrays. */
enum hs_type {
	HS_T_OBJECT = 2, HS_T_BOOLEAN = 4, HS_T_CHAR = 5, HS_T_FLOAT = 6, HS_T_DOUBLE = 7,
	HS_T_BYTE = 8, HS_T_SHORT = 9, HS_T_INT = 10, HS_T_LONG = 11
};

/* Limits on untrusted lengths.  Records the reader must hold whole (a
 * string, a stack trace, an instance's fields) are capped so that a corrupt
 * length cannot make it allocate gigabytes; real ones are far smaller (a
 * Java class has at most 65535 fields of at most 8 bytes). */
#define HS_MAX_RECORD_HELD   (64u << 20)  /* STRING, TRACE, ... bodies */
#define HS_MAX_INSTANCE_DATA (16u << 20)  /* INSTANCE_DUMP field bytes */

/** Size in the dump of a basic type (@p idsize for objects), 0 if invalid. */
unsigned hs_type_size(int type, unsigned idsize);
/** Java name of a basic type ("int"), or NULL. */
const char *hs_type_name(int type);
/** Name of a top-level tag or sub-record tag ("HEAP_DUMP_SEGMENT"). */
const char *hs_tag_name(int tag);
const char *hs_sub_name(int sub);

typedef struct hs_hprof_header {
	char     version[24];  /* "JAVA PROFILE 1.0.2" */
	unsigned idsize;       /* 4 or 8 */
	uint64_t timestamp_ms; /* ms since the epoch */
	uint64_t header_len;
} hs_hprof_header;

typedef struct hs_root {
	uint8_t  kind;          /* enum hs_sub root tag */
	uint64_t id;
	uint64_t extra_id;      /* JNI global ref id */
	uint32_t thread_serial; /* for thread-local kinds, else 0 */
	uint32_t frame;         /* frame number (JAVA_FRAME, JNI_LOCAL), stack depth
	                         * (JNI_MONITOR), stack trace serial (THREAD_OBJECT),
	                         * else UINT32_MAX */
} hs_root;

typedef struct hs_static_field {
	uint64_t name_id;
	uint8_t  type;
	uint64_t value;         /* raw bits; an object id for HS_T_OBJECT */
} hs_static_field;

typedef struct hs_field {
	uint64_t name_id;
	uint8_t  type;
} hs_field;

typedef struct hs_class_dump {
	uint64_t id, super_id, loader_id, signers_id, domain_id;
	uint32_t trace_serial;
	uint32_t instance_size;          /* as written by the dumper */
	uint16_t nstatics, nfields;
	const hs_static_field *statics;  /* borrowed for the callback only */
	const hs_field *fields;          /* declared instance fields, in dump order */
} hs_class_dump;

typedef struct hs_obj_array {
	uint64_t id, class_id;
	uint32_t length;
	uint32_t first;          /* index of elems[0] in the array */
	uint32_t count;          /* elements in this chunk */
	const unsigned char *elems;  /* count big-endian ids, borrowed */
} hs_obj_array;

typedef struct hs_frame {
	uint64_t id, method_name_id, signature_id, source_id;
	uint32_t class_serial;
	int32_t  line;           /* >0 line, 0 none, -1 unknown, -2 compiled, -3 native */
} hs_frame;

typedef struct hs_thread_start {
	uint32_t serial, trace_serial;
	uint64_t object_id, name_id, group_id, parent_group_id;
} hs_thread_start;

/*
 * Callbacks; any may be NULL.  Pointers passed in are borrowed and valid
 * only during the call.  A callback returns 0 to go on, or a negative
 * hs_code (having filled err) to stop the pass.
 */
typedef struct hs_hprof_visitor {
	void *ctx;
	int (*header)(void *ctx, const hs_hprof_header *h, hs_error *err);
	/* every top-level record, before its body is read */
	int (*record)(void *ctx, uint8_t tag, uint64_t offset, uint32_t length, hs_error *err);
	int (*string)(void *ctx, uint64_t id, const char *utf8, uint32_t len, hs_error *err);
	int (*load_class)(void *ctx, uint32_t serial, uint64_t class_id, uint32_t trace,
			  uint64_t name_id, hs_error *err);
	int (*frame)(void *ctx, const hs_frame *f, hs_error *err);
	int (*trace)(void *ctx, uint32_t serial, uint32_t thread_serial, uint32_t nframes,
		     const unsigned char *frame_ids, hs_error *err);
	int (*start_thread)(void *ctx, const hs_thread_start *t, hs_error *err);
	/* the selected heap dump begins (once) */
	int (*heap_begin)(void *ctx, uint64_t offset, hs_error *err);
	int (*root)(void *ctx, const hs_root *r, hs_error *err);
	int (*class_dump)(void *ctx, const hs_class_dump *c, hs_error *err);
	int (*instance)(void *ctx, uint64_t id, uint64_t class_id, const unsigned char *data,
			uint32_t len, hs_error *err);
	/* called once per chunk of elements; first == 0 starts a new array
	 * (an empty array gives one call with count == 0) */
	int (*obj_array)(void *ctx, const hs_obj_array *a, hs_error *err);
	int (*prim_array)(void *ctx, uint64_t id, uint8_t type, uint32_t length, hs_error *err);
	/* optional: how many leading content bytes of this primitive array
	 * the visitor wants (0: none, the default); they then arrive through
	 * prim_array_data (big-endian elements, as in the dump) */
	uint32_t (*prim_array_want)(void *ctx, uint64_t id, uint8_t type, uint32_t length);
	int (*prim_array_data)(void *ctx, uint64_t id, uint8_t type, uint32_t length,
			       const unsigned char *data, uint32_t nbytes, hs_error *err);
	/* Android HEAP_DUMP_INFO: the heap (app, image, zygote) that follows */
	int (*heap_info)(void *ctx, uint32_t heap_id, uint64_t name_id, hs_error *err);
	/* optional, with hs_hprof_opts.checkpoint_step: called at the start
	 * of a heap sub-record of the selected dump at least that many bytes
	 * after the last call (and at the first one), with the sub-record's
	 * offset and the bytes left in its segment from there: the state
	 * hs_hprof_read_spans() resumes from */
	void (*checkpoint)(void *ctx, uint64_t offset, uint64_t seg_left);
	/* progress: decompressed bytes done, compressed bytes done and total */
	void (*progress)(void *ctx, uint64_t done, uint64_t raw_done, uint64_t raw_total);
} hs_hprof_visitor;

typedef struct hs_hprof_stats {
	uint64_t bytes;              /* decompressed bytes read */
	uint64_t records[256];       /* top-level records by tag */
	uint64_t subrecords[256];    /* heap sub-records by tag, selected dump */
	unsigned heap_dumps;         /* heap dumps in the file */
	uint64_t last_good_offset;   /* end of the last whole record */
	int      truncated;          /* the input ended inside a record */
} hs_hprof_stats;

typedef struct hs_hprof_opts {
	unsigned dump_index;         /* 0-based heap dump to report */
	int stop_after_dump;         /* stop reading after the selected dump */
	uint32_t checkpoint_step;    /* bytes between checkpoint calls */
	/* a pass over a file read before: its header must be this one (version,
	 * identifier size, timestamp), else HS_ECHANGED at offset 0 before any
	 * visitor is called; NULL for a first pass */
	const hs_hprof_header *expect;
} hs_hprof_opts;

/* A run of heap sub-records to read again: from a checkpoint (its offset
 * and seg_left) up to the first sub-record that starts at or after end. */
typedef struct hs_hprof_span {
	uint64_t offset, seg_left, end;
} hs_hprof_span;

/**
 * Read the whole source once.
 * @param[out] stats  counts of what was read (may be NULL)
 * @return 0; HS_ETRUNC when the input ended inside a record (the visitor has
 *         seen every whole record before it, stats->truncated is set); or
 *         another negative hs_code.  err->offset is the byte offset of the
 *         offending record in the decompressed stream; a visitor that returns
 *         HS_ECHANGED without an offset gets its heap sub-record's.
 */
int hs_hprof_read(hs_src *src, const hs_hprof_opts *opts, const hs_hprof_visitor *v,
		  hs_hprof_stats *stats, hs_error *err);

/**
 * Read the heap sub-records of the given spans of a seekable source
 * (hs_src_can_seek()), in the order given, with the visitor's heap
 * callbacks and its progress (no header or record calls).
 * @param idsize  the dump's identifier size
 * @param[out] stats  the heap sub-records read, by kind (may be NULL)
 * @return 0 or a negative hs_code, as hs_hprof_read()
 */
int hs_hprof_read_spans(hs_src *src, unsigned idsize, const hs_hprof_span *spans, size_t n,
			const hs_hprof_visitor *v, hs_hprof_stats *stats, hs_error *err);

/**
 * Whether a seekable source starts with the header @p expect describes
 * (version, identifier size, timestamp), read from offset 0.
 * @return 1 the same, 0 another, or a negative hs_code
 */
int hs_hprof_same_header(hs_src *src, const hs_hprof_header *expect, hs_error *err);

/** Decode a big-endian id of @p idsize bytes. */
static inline uint64_t hs_get_id(const unsigned char *p, unsigned idsize)
{
	if (idsize == 8)
		return ((uint64_t)p[0] << 56) | ((uint64_t)p[1] << 48) | ((uint64_t)p[2] << 40) |
		       ((uint64_t)p[3] << 32) | ((uint64_t)p[4] << 24) | ((uint64_t)p[5] << 16) |
		       ((uint64_t)p[6] << 8) | p[7];
	return ((uint64_t)p[0] << 24) | ((uint64_t)p[1] << 16) | ((uint64_t)p[2] << 8) | p[3];
}

static inline uint32_t hs_get_u4(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline uint16_t hs_get_u2(const unsigned char *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

#endif
