/*
 * dump_int.h - internals of hs_dump shared by the library's modules
 * (scan, layout, graph).  Not installed, not for the CLI.
 *
 * Ownership: everything hangs off struct hs_dump and is freed by
 * hs_dump_free(): strings and field tables live in the arena, Judy arrays
 * map ids to indexes, and the plain arrays are malloc'd vectors.
 */
#ifndef HEAPSCAN_DUMP_INT_H
#define HEAPSCAN_DUMP_INT_H

#include <Judy.h>
#include <stddef.h>

#include "heapscan/dump.h"
#include "mem.h"
#include "graph/idmap.h"

/* A bump allocator for strings and per-class tables: many small pieces,
 * all freed together. */
struct hs_arena_chunk;
typedef struct hs_arena {
	struct hs_arena_chunk *head;
	size_t used, cap;
	uint64_t total;
} hs_arena;

void *hs_arena_alloc(hs_arena *a, size_t n);
char *hs_arena_strndup(hs_arena *a, const char *s, size_t n);
void hs_arena_release(hs_arena *a);

/* Number of candidate layouts tried against the dump. */
#define HS_NCAND 7

typedef struct hs_cand {
	const char *name;
	unsigned idsize, header, ref, abase, abase_long, abase_ref, new_layout, oop_align;
} hs_cand;

extern const hs_cand hs_cands[HS_NCAND];

/* Per-class scan accumulators not exposed in hs_class. */
typedef struct hs_class_acc {
	uint64_t sum_len;        /* arrays: total elements */
	uint32_t *mod;           /* arrays: counts of length mod 64 (lazily) */
	uint32_t cand_size[HS_NCAND]; /* instance size per candidate, 0 = unknown */
	uint32_t end_old[HS_NCAND];   /* classic layout: end of fields, for subclasses */
	uint8_t *occ[HS_NCAND];       /* new layout: occupied bytes, for subclasses */
	uint32_t occ_len[HS_NCAND];
	uint32_t top;            /* union-find toward the top of the superclass
	                          * chain (scan.c, link_super) */
	uint8_t  sizes_done;
	uint8_t  super_cut;      /* the superclass link closed a loop: dropped */
	uint8_t  mirror_dup;     /* an earlier record has the class object's id */
} hs_class_acc;

typedef struct hs_trace_rec {
	uint32_t thread_serial, nframes;
	uint64_t *frames;
} hs_trace_rec;

/* Where the heap records can be read again from (see fetch.c): a
 * sub-record's offset and what is left of its segment there. */
typedef struct hs_checkpoint {
	uint64_t offset, seg_left;
	uint64_t digest;   /* hs_digest_object() of the object records before it */
} hs_checkpoint;

/* Bytes of heap records between two checkpoints: 24 bytes of memory per
 * 64 KiB of dump, and a re-read of one object reads about this much. */
#define HS_CHECKPOINT_STEP (64u << 10)

struct hs_dump {
	char *path;
	hs_open_opts opts;
	hs_dump_info info;
	hs_arena arena;
	Pvoid_t strings;        /* JudyL id -> char* (arena) */
	Pvoid_t load_names;     /* JudyL class id -> name string id */
	Pvoid_t serial_class;   /* JudyL class serial -> class id */
	Pvoid_t class_ix;       /* JudyL class id -> index + 1 */
	hs_class *classes;
	hs_class_acc *acc;
	uint32_t nclasses, classes_cap;
	uint32_t prim_class[12];  /* by hs_type, HS_NONE until needed */
	uint32_t unknown_class[2]; /* "<unknown class>" and "<unknown class>[]",
	                              HS_NONE until needed */
	Pvoid_t unknown_ids;    /* Judy1 of the class ids counted under them */
	hs_root *roots;
	uint64_t nroots, roots_cap;
	uint32_t *root_slots;   /* hash set of the roots: index + 1, 0 empty */
	uint64_t root_slots_cap;  /* a power of two, at least twice nroots */
	hs_thread_info *threads;
	uint32_t nthreads, threads_cap;
	Pvoid_t thread_names;   /* JudyL thread serial -> name string id (START_THREAD) */
	Pvoid_t traces;         /* JudyL serial -> hs_trace_rec* */
	Pvoid_t frames;         /* JudyL frame id -> hs_frame* */
	uint32_t java_lang_class; /* index of java.lang.Class or HS_NONE */
	int has_sticky_roots;
	int has_module;          /* LOAD_CLASS java/lang/Module: JDK 9+ */
	int jdk5;                /* JDK 5 or older (hs_layout_detect_jdk5) */
	hs_idmap *ids;          /* object ids, when opts.build_ids */
	hs_src *src;            /* open for further passes (rewound) */
	hs_checkpoint *cps;     /* seekable dumps with ids: checkpoints in
	                           file order, the id map's tags index them */
	uint32_t ncps, cps_cap;
	const char *phase;      /* the last hs_dump_progress() phase */
	hs_mem mem;             /* the graph's big arrays (opts.max_memory) */
	hs_hprof_header header; /* as the scan read it; later passes must read it too */
	uint64_t digest;        /* hs_digest_object() of the selected dump, when build_ids */
};

/*
 * What the scan saw, for the passes after it to compare (see
 * hs_dump__reread): a digest of the object records of the selected heap
 * dump in file order, each its kind, id, class id (element type for a
 * primitive array) and length.  A graph pass that computes another read
 * another file, even one of the same size and modification time.
 */
enum { HS_OBJ_CLASS = 1, HS_OBJ_INSTANCE, HS_OBJ_ARRAY, HS_OBJ_PRIM };

static inline uint64_t hs_digest_object(uint64_t h, unsigned kind, uint64_t id, uint64_t cls,
					uint64_t len)
{
	h = (h ^ id) * 0x9e3779b97f4a7c15ull;
	h = (h ^ cls ^ (len << 3 | kind)) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

/* layout.c */
void hs_layout_class_sizes(struct hs_dump *d, uint32_t ci);
void hs_layout_detect_jdk5(struct hs_dump *d);
unsigned hs_layout_mirror_size(const struct hs_dump *d, const hs_class *k, unsigned class_size);
uint64_t hs_layout_array_size(const hs_cand *c, unsigned align, int elem_type,
			      uint64_t length);
void hs_layout_choose(struct hs_dump *d, const uint64_t *violations, uint64_t pairs,
		      uint64_t id_or);

/* scan.c */
uint32_t hs_dump__class_for_id(struct hs_dump *d, uint64_t id, hs_error *err);
/*
 * One more pass over the selected heap dump (the graph's, labels', paths'),
 * through the dump's own source rewound.  It must read what the scan read:
 * the file's size and modification time (before and after), its header,
 * the number of heap sub-records of each kind, and a truncation only where
 * the scan met one.  Otherwise, and for a record the scan could parse but
 * this pass cannot, it fails with HS_ECHANGED ("the dump changed while it
 * was read", at the offset where it was noticed when there is one); a
 * visitor returns HS_ECHANGED for what it finds different itself.
 * Returns 0 or a negative hs_code.
 */
int hs_dump__reread(const struct hs_dump *d, const hs_hprof_visitor *v, hs_error *err);
/* The same for the given spans of a plain dump (hs_hprof_read_spans). */
int hs_dump__reread_spans(const struct hs_dump *d, hs_src *src, const hs_hprof_span *spans, size_t n,
			  const hs_hprof_visitor *v, hs_hprof_stats *stats, hs_error *err);
/* HS_ECHANGED with its message, at offset (or HS_NO_OFFSET). */
int hs_dump__changed(hs_error *err, uint64_t offset);
/* The class an instance (array 0) or object array (array 1) of class id
 * cid counts under once the scan is over: its class, or the shared
 * unknown class (see hs_dump_open); HS_NONE for an id the scan never saw
 * on an object. */
uint32_t hs_dump__object_class(const struct hs_dump *d, uint64_t cid, int array);

#endif
