/*
 * suspects.h - leak suspects, as Eclipse MAT's "Leak Suspects" report:
 * big single retainers, classes whose instances together retain much,
 * threads that each hold a large structure through the same path, and
 * thread explosions.
 */
#ifndef HEAPSCAN_SUSPECTS_H
#define HEAPSCAN_SUSPECTS_H

#include <stdint.h>

#include "heapscan/graph.h"
#include "heapscan/threads.h"   /* hs_name_pattern(), hs_name_groups() */

enum hs_suspect_kind {
	HS_SUSPECT_OBJECT,        /* one object retains > threshold */
	HS_SUSPECT_CLASS,         /* top-level instances of a class together */
	HS_SUSPECT_THREADS,       /* threads holding the same-shaped structure */
	HS_SUSPECT_THREAD_COUNT,  /* too many live threads */
	HS_SUSPECT_PILEUP         /* many threads waiting at the same frames */
};

/* Threads in a thread-count finding: their native stacks are estimated at
 * this many bytes each, HotSpot's default thread stack size (-Xss) on
 * 64-bit Linux; the dump does not record the real one. */
#define HS_STACK_SIZE_ASSUMED (1024 * 1024)

/* Fewer threads waiting at the same frames are no pile-up. */
#define HS_PILEUP_MIN 5

typedef struct hs_class_count {
	const char *name;         /* borrowed from the dump */
	uint64_t count, shallow;
} hs_class_count;

typedef struct hs_class_retained {
	const char *name;         /* borrowed from the dump */
	uint64_t count, retained;
} hs_class_retained;

typedef struct hs_name_count {
	char *pattern;            /* thread name with digits replaced by '*' */
	uint64_t count;
	uint64_t retained;
	/* THREAD_COUNT: what the threads of the pattern have in common */
	const char *class_name;   /* the most common class among them */
	uint64_t of_class;        /* threads of that class */
	char *frames;             /* the top frames all of them share, caller
	                             first (hs_frames_text), or NULL */
	const char *holds;        /* the most common class of what each holds
	                             (its accumulation point), or NULL */
	uint64_t holding;         /* threads holding that */
	uint32_t finding;         /* node of the finding most of them are
	                             counted in already (0: none) */
	uint64_t in_findings;     /* threads counted in other findings */
} hs_name_count;

typedef struct hs_suspect {
	enum hs_suspect_kind kind;
	uint64_t retained;        /* bytes (for groups: the sum) */
	double pct;               /* of the reachable heap */
	uint32_t node;            /* the object, or the biggest member of a group */
	const char *class_name;   /* of node */
	uint64_t members;         /* objects / threads in the finding */
	char *holder;             /* who holds it, in words: the nearest static
	                             field, thread or GC root above the
	                             accumulation point */
	uint32_t accum;           /* accumulation point */
	const char *accum_class;
	char *accum_label;        /* e.g. "size=50000" or NULL */
	uint32_t *path;           /* GC root ... accumulation point */
	char **via;               /* per step, see hs_paths_describe() */
	uint32_t path_len;
	uint64_t meet;            /* CLASS: members whose shortest paths pass
	                             through the accumulation point (0: the
	                             members have no common referrer) */
	hs_class_count top[3];    /* what accumulates: biggest classes below,
	                             by shallow bytes */
	uint32_t ntop;
	hs_class_retained elems[3]; /* the elements held there: the first objects
	                             below the accumulation point that are not
	                             a collection's own structure (nodes,
	                             entries, tables), by class and retained */
	uint32_t nelems;
	uint64_t nelem_total;     /* elements of all classes */
	uint64_t loaders;         /* class loaders kept alive below it */
	const char *loader_class; /* the most common class among them */
	uint64_t loader_class_n;  /* loaders of that class */
	char *loader_names;       /* their names as a pattern ("plugin-*") */
	uint64_t classes;         /* classes (java.lang.Class objects) below it */
	const char *class_example; /* the most common class name among them */
	uint64_t class_example_n; /* classes of that name */
	char *thread_pattern;     /* THREADS: name pattern of the threads */
	char *through;            /* THREADS: "ThreadLocal com.example.Trace.CONTEXT" */
	/* THREADS: what each member holds, over the members' own accumulation
	 * points (node and accum above are the biggest member's): the entry
	 * counts when every one is a collection (each_entries), and their
	 * retained bytes; the median is the lower middle value, the average
	 * rounded to the nearest */
	int each_entries;
	uint64_t entries_min, entries_median, entries_max, entries_avg;
	uint64_t each_min, each_median, each_max, each_avg;
	hs_name_count *groups;    /* THREAD_COUNT: by name pattern */
	uint32_t ngroups;
	uint64_t retained_all;    /* THREAD_COUNT: retained by all live threads,
	                             the bytes of other findings included
	                             (retained: without them) */
	uint64_t stack_estimate;  /* THREAD_COUNT: members x HS_STACK_SIZE_ASSUMED */
	const char *wait_kind;    /* PILEUP: hs_stack_wait_kind() */
	char *frames;             /* PILEUP: the frames they wait at, caller first */
	char *frames_full;        /* the same with full class names */
	char *node_name;          /* OBJECT: a class loader as "class loader app
	                             (jdk.internal.loader.ClassLoaders$AppClassLoader)",
	                             or NULL */
	char **path_loaders;      /* per step of path: a class loader's name
	                             ("app", "webapp /payments"), else NULL;
	                             NULL when the path has none */
	char *accum_name;         /* a class object as accumulation point:
	                             "class a.B (static CACHE)" (accum_class
	                             points to it), or NULL */
	uint32_t blocker;         /* PILEUP: the object all of them park on
	                             (Thread.parkBlocker), 0 when not one; path,
	                             holder and accum describe it */
} hs_suspect;

typedef struct hs_suspects {
	hs_suspect *items;
	uint32_t n;
	uint64_t reachable;
	uint64_t threads;
} hs_suspects;

typedef struct hs_suspect_opts {
	double threshold_pct;     /* default 10 */
	uint64_t max_threads;     /* default 1000 */
} hs_suspect_opts;

/** Find the suspects.  @param[out] out  release with hs_suspects_release(). */
int hs_suspects_find(hs_suspects *out, hs_graph *g, const hs_suspect_opts *o, hs_error *err);
void hs_suspects_release(hs_suspects *s);

/** Accumulation point below an object (see suspects.c). */
uint32_t hs_accumulation_point(hs_graph *g, uint32_t start, hs_error *err);
/** The dominator-tree path from @p start down to its accumulation point,
 *  both in it: *path (free() it) of *len nodes; 0, or an error. */
int hs_accumulation_path(hs_graph *g, uint32_t start, uint32_t **path, uint32_t *len, hs_error *err);

#endif
