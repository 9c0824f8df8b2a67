/*
 * dump.h - a heap dump opened for analysis.
 *
 * hs_dump_open() reads the dump once (the "scan") and keeps what grows with
 * the number of classes, not objects: strings, classes with their fields and
 * per-class counts and shallow sizes, GC roots, threads, stack traces and
 * the detected object layout.  The histogram and `info` need nothing more.
 * The object graph (graph.h) is built on demand from further passes.
 *
 * Size model (see also man/heapscan.1, "SHALLOW SIZE"): the shallow size of
 * an object is its size in the JVM that wrote the dump: object header,
 * fields laid out by HotSpot's field layout rules (the classic layout of
 * JDK <= 14 or the one of JDK >= 15), references of 4 bytes with compressed
 * oops and 8 without, array header and element size, rounded up to the
 * object alignment.  The candidate layouts are tested against the dump
 * itself: HotSpot object ids are addresses, so consecutive objects must not
 * overlap; the largest candidate layout that no pair of neighbours
 * contradicts is chosen.
 */
#ifndef HEAPSCAN_DUMP_H
#define HEAPSCAN_DUMP_H

#include <stdint.h>

#include "heapscan/error.h"
#include "heapscan/hprof.h"

typedef struct hs_dump hs_dump;

#define HS_NONE UINT32_MAX

enum hs_class_kind { HS_CLASS_INSTANCE, HS_CLASS_OBJ_ARRAY, HS_CLASS_PRIM_ARRAY };

/* A class, as the dump describes it.  Read-only; owned by the hs_dump. */
typedef struct hs_class {
	uint64_t id;              /* class object id (0 for a synthetic class) */
	const char *name;         /* Java notation: java.lang.String, int[], a.B[][] */
	uint32_t super;           /* index of the superclass, or HS_NONE */
	uint64_t super_id, loader_id, signers_id, domain_id;
	uint8_t  kind;            /* enum hs_class_kind */
	uint8_t  elem_type;       /* for primitive arrays: enum hs_type */
	uint8_t  has_dump;        /* a CLASS_DUMP record was seen */
	uint8_t  is_reference;    /* java.lang.ref.Reference or a subclass */
	uint16_t nfields;         /* declared instance fields */
	const hs_field *fields;
	uint16_t nstatics;
	const hs_static_field *statics;
	uint32_t field_bytes;     /* bytes of this class's fields in an INSTANCE_DUMP */
	uint32_t dump_size;       /* instance field bytes incl. superclasses (dump format) */
	uint32_t inst_size;       /* shallow size of an instance (instance classes) */
	uint32_t mirror_size;     /* shallow size of the class object itself */
	uint64_t instances;       /* instances / arrays of this class in the dump */
	uint64_t shallow;         /* their total shallow size */
} hs_class;

/* The object layout detected for the JVM that wrote the dump. */
typedef struct hs_layout {
	const char *name;         /* e.g. "64-bit, compressed oops, JDK 15+ field layout" */
	unsigned header;          /* instance header bytes */
	unsigned ref;             /* reference size */
	unsigned array_header;    /* offset of the first element of an int[] */
	unsigned array_header_long; /* ... of a long[] / double[] */
	unsigned array_header_ref;  /* ... of an Object[] */
	unsigned align;           /* object alignment */
	int      compressed_refs;
	int      new_field_layout;  /* JDK 15+ */
	uint64_t evidence_pairs;    /* neighbouring objects used to decide */
} hs_layout;

typedef struct hs_thread_info {
	uint32_t serial;
	uint64_t object_id;
	uint32_t trace_serial;
	const char *name;         /* from START_THREAD, or NULL (HotSpot writes none) */
} hs_thread_info;

typedef struct hs_dump_info {
	const char *path;
	char     version[24];
	unsigned idsize;
	uint64_t timestamp_ms;
	uint64_t file_size;       /* on disk */
	int      compression;     /* enum hs_src_comp */
	uint64_t bytes;           /* decompressed bytes read */
	unsigned heap_dumps;      /* heap dumps in the file */
	unsigned dump_index;      /* the one analysed */
	uint64_t records[256];    /* top-level records by tag */
	uint64_t subrecords[256]; /* heap sub-records by tag (selected dump) */
	uint64_t nclasses;        /* CLASS_DUMP records */
	uint64_t instances, obj_arrays, prim_arrays;
	uint64_t roots;           /* GC roots kept: distinct, with an object id */
	uint64_t roots_by_kind[256];  /* ... by kind */
	uint64_t roots_duplicate; /* root records left out: the same kind, id and
	                           * thread (and frame, for Java frame and JNI
	                           * local roots) as one kept */
	uint64_t roots_null;      /* root records left out: object id 0 */
	uint64_t threads;         /* ROOT_THREAD_OBJECT roots kept */
	uint64_t unknown_class_ids;     /* class ids of objects that no record described
	                                 * before them (see hs_dump_open) */
	uint64_t unknown_class_objects; /* the objects counted under them */
	uint64_t duplicate_ids;   /* records left out because their object id was
	                           * taken by an earlier one (see hs_dump_open) */
	uint64_t duplicate_id_first;  /* the first such id */
	uint64_t super_loops;     /* superclass links dropped to break a loop */
	uint64_t super_loop_class;    /* the id of the first class left without
	                               * its superclass */
	uint64_t shallow_total;   /* instances + arrays (not class objects) */
	uint64_t class_shallow_total; /* class objects */
	hs_layout layout;
	int      truncated;       /* the dump ended inside a record */
	hs_error trunc_error;     /* what was cut, and where */
	/* later passes that read objects again (labels, paths): whole passes
	 * over the dump, and reads of the spans that hold the objects */
	uint64_t rereads_whole, rereads_spans, reread_span_bytes;
	/* threads that scanned the dump: 2 when a second one took the object
	 * records (hs_open_opts.threads), 0 when it came from an index */
	unsigned scan_threads;
} hs_dump_info;

typedef void (*hs_progress_fn)(void *ctx, const char *phase, uint64_t done, uint64_t total);

typedef struct hs_open_opts {
	unsigned dump_index;      /* which heap dump of the file (0-based) */
	int strict;               /* a truncated dump is an error */
	int build_ids;            /* also collect object ids for hs_graph_build() */
	hs_progress_fn progress;  /* may be NULL */
	void *progress_ctx;
	/* bytes the graph's big arrays may take in memory (0: no limit);
	 * arrays beyond it go to unlinked files in tmpdir (NULL: $TMPDIR,
	 * else /tmp), mapped: slower, but no out-of-memory kill; a dump
	 * that is no regular file (a pipe) is copied to tmpdir as well */
	uint64_t max_memory;
	const char *tmpdir;
	/* threads: 2 or more reads and decompresses the dump in a second
	 * thread while the first parses, or for a plain dump file, has a
	 * second thread take the scan's object records and the graph's
	 * passes read by two threads (0 and 1: one thread) */
	unsigned threads;
} hs_open_opts;

/** A default for hs_open_opts.max_memory: 60% of the smaller of physical
 *  memory and the memory cgroup's limit (v2 memory.max, v1
 *  memory.limit_in_bytes); 0 when neither is known. */
uint64_t hs_default_max_memory(void);
/** What that share is taken of (0 when unknown). */
uint64_t hs_memory_available(void);

/** Bytes the graph's arrays took in memory and in files at most, and how
 *  many arrays went to files. */
void hs_dump_memory(const hs_dump *d, uint64_t *in_memory_peak, uint64_t *spilled_peak,
		    uint64_t *spills);
/** Bytes of the graph's arrays given out again from freed ones, whose
 *  pages were made already (hs_mem_free()); arrays moved from memory to
 *  files to leave the memory to others, and their bytes. */
void hs_dump_memory_moves(const hs_dump *d, uint64_t *reused, uint64_t *moved, uint64_t *moved_bytes);

/**
 * Open and scan a dump.
 *
 * What the scan makes of inconsistent records (a dump is untrusted, and
 * none of these may cost more than the records themselves):
 *  - GC roots: a root repeating one already kept (same kind, object id and
 *    thread serial, and for Java frame and JNI local roots the same frame)
 *    and a root with object id 0 are left out, counted in roots_duplicate
 *    and roots_null.
 *  - Unknown classes: an instance or object array whose class id had been
 *    described by neither a CLASS_DUMP nor a LOAD_CLASS record when it was
 *    read counts under one shared class, "<unknown class>" (instances,
 *    sized as an instance without fields: the object header) or
 *    "<unknown class>[]" (object arrays), and so do all later objects of
 *    that class id, even if a CLASS_DUMP for it comes later.
 *  - Duplicate object ids: when object ids are collected (opts->build_ids),
 *    a record whose id an earlier record has is left out (the first record
 *    of an id is the object); a second CLASS_DUMP of a class always is.
 *    Both are counted in duplicate_ids.
 *  - Superclass loops: superclasses are followed until a class repeats;
 *    the class whose superclass link would lead back to a class already on
 *    its chain is given no superclass (counted in super_loops), so each
 *    class's fields count once.
 * @param[out] out  the dump, freed with hs_dump_free()
 * @return 0, or a negative hs_code.  A truncated dump is not an error
 *         unless opts->strict: info->truncated tells.  A file whose size
 *         or modification time changed while it was scanned is
 *         HS_ECHANGED, whatever its bytes looked like.  opts->progress is
 *         called as each pass over the file begins (done 0), here, in
 *         hs_graph_build() and in each later read of a few objects
 *         ("reading objects again": labels, paths).
 */
int hs_dump_open(hs_dump **out, const char *path, const hs_open_opts *opts, hs_error *err);
/**
 * hs_dump_open() of a source opened already, with HS_SRC_REWIND and at its
 * start (hs_src_rewind() after a look at its first bytes): the dump owns
 * @p src from now on, and frees it on an error too.  @p path names it in
 * the info.  For a caller that must read the input before it knows it is
 * a dump (a snapshot or a dump from a pipe, which can be opened once).
 */
struct hs_src;
int hs_dump_open_src(hs_dump **out, struct hs_src *src, const char *path, const hs_open_opts *opts,
		     hs_error *err);
void hs_dump_free(hs_dump *d);

/** Borrowed; lives as long as the dump. */
const hs_dump_info *hs_dump_get_info(const hs_dump *d);

/**
 * Tell the dump's progress callback (hs_open_opts) which phase of the work
 * runs now and how far it is (total 0: unknown).  @p phase must be a
 * string that lives as long as the program (a literal): callers time
 * phases by it.
 */
void hs_dump_progress(const hs_dump *d, const char *phase, uint64_t done, uint64_t total);
/** The phase last named by hs_dump_progress() (NULL: none), for a nested
 *  phase to name again when it ends. */
const char *hs_dump_phase(const hs_dump *d);

uint32_t hs_dump_class_count(const hs_dump *d);
/** Borrowed; index < hs_dump_class_count(). */
const hs_class *hs_dump_class(const hs_dump *d, uint32_t index);
/** Class index of a class object id, or HS_NONE. */
uint32_t hs_dump_class_by_id(const hs_dump *d, uint64_t id);
/** First class with this Java name, or HS_NONE. */
uint32_t hs_dump_class_by_name(const hs_dump *d, const char *name);
/** Index of the synthetic or real class of primitive arrays of @p type. */
uint32_t hs_dump_prim_array_class(const hs_dump *d, int type);

/** HPROF string for an id, or NULL (borrowed). */
const char *hs_dump_string(const hs_dump *d, uint64_t id);

/** Shallow size of an array of @p length elements of class @p cls. */
uint64_t hs_dump_array_size(const hs_dump *d, uint32_t cls, uint64_t length);

/** GC roots kept, in dump order (borrowed): see hs_dump_open(). */
const hs_root *hs_dump_roots(const hs_dump *d, uint64_t *count);

/** Threads from START_THREAD / ROOT_THREAD_OBJECT records (borrowed). */
const hs_thread_info *hs_dump_threads(const hs_dump *d, uint32_t *count);
/** Stack trace by serial: frame ids (decoded), or NULL. */
const uint64_t *hs_dump_trace(const hs_dump *d, uint32_t serial, uint32_t *nframes);
/** A stack frame by id, or NULL. */
const hs_frame *hs_dump_frame(const hs_dump *d, uint64_t id);
/** Class name for a LOAD_CLASS serial (frames name classes by serial). */
const char *hs_dump_class_name_by_serial(const hs_dump *d, uint32_t serial);

/** Path the dump was opened from (borrowed). */
const char *hs_dump_path(const hs_dump *d);

/* Internal to the library (graph.c re-reads the dump). */
struct hs_dump_internal;

#endif
