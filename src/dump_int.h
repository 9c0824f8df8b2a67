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
#define HS_NCAND 5

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
	hs_idmap *ids;          /* object ids, when opts.build_ids */
	hs_src *src;            /* open for further passes (rewound) */
};

/* layout.c */
void hs_layout_class_sizes(struct hs_dump *d, uint32_t ci);
unsigned hs_layout_mirror_size(const struct hs_dump *d, const hs_class *k, unsigned class_size);
uint64_t hs_layout_array_size(const hs_cand *c, unsigned align, int elem_type,
			      uint64_t length);
void hs_layout_choose(struct hs_dump *d, const uint64_t *violations, uint64_t pairs,
		      uint64_t id_or);

/* scan.c */
uint32_t hs_dump__class_for_id(struct hs_dump *d, uint64_t id, hs_error *err);
/* The class an instance (array 0) or object array (array 1) of class id
 * cid counts under once the scan is over: its class, or the shared
 * unknown class (see hs_dump_open); HS_NONE for an id the scan never saw
 * on an object. */
uint32_t hs_dump__object_class(const struct hs_dump *d, uint64_t cid, int array);
/* The dump's source rewound to the start; borrowed, do not free. */
int hs_dump__open_src(const struct hs_dump *d, hs_src **out, hs_error *err);

#endif
