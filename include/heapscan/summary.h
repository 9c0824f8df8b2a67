/*
 * summary.h - a small summary of a dump.
 *
 * A summary holds what CI needs to compare two heaps without the dumps:
 * totals, per-class instances / shallow / retained bytes, threads and
 * thread name patterns with retained sizes, class loaders, the top
 * dominators, what each thread holds at its accumulation point, and the
 * leak suspects.  It is built from an analysed graph, or read back from a
 * snapshot file written by hs_summary_write().
 *
 * The file form, a snapshot, is snapshot.h's; the class name patterns
 * (hs_rules_class_in()) are the rules'.  hs_summary_release() frees every
 * string and array a summary holds.
 */
#ifndef HEAPSCAN_SUMMARY_H
#define HEAPSCAN_SUMMARY_H

#include <stdint.h>

#include "heapscan/graph.h"

typedef struct hs_sum_class {
	char *name;
	uint64_t instances, shallow, retained;
	char **supers;           /* its superclasses' names, nearest first,
				  * java.lang.Object left out (every class has it) */
	uint32_t nsupers;
} hs_sum_class;

/* A set of classes: those whose names start with a prefix (stored in
 * snapshots) or match a pattern (computed from a dump on request). */
typedef struct hs_sum_set {
	char *name;              /* the prefix, or the pattern */
	uint64_t retained;       /* each object once */
	uint64_t instances, shallow;
	uint32_t classes;        /* class rows in the set */
} hs_sum_set;

typedef struct hs_sum_thread {
	char *name;
	uint64_t retained, objects;
	char *held_class;        /* class at the thread's accumulation point */
	uint64_t held_retained;
	int64_t held_entries;    /* collection entries there, -1 if not a collection */
} hs_sum_thread;

typedef struct hs_sum_named {
	char *name;
	uint64_t retained, objects, shallow;
	char *shape;             /* dominators: what it holds (see summary.c, shape_of) */
} hs_sum_named;

typedef struct hs_sum_suspect {
	char *kind, *class_name, *holder, *accum_class, *thread_pattern, *through;
	uint64_t retained, members;
	double pct;
	int64_t entries;
	/* threads: the members' entry counts when they differ, else -1 */
	int64_t entries_min, entries_max, entries_avg;
} hs_sum_suspect;

typedef struct hs_summary {
	char *heapscan_version, *dump, *format;
	char *source;            /* the file this summary comes from: dump or snapshot */
	unsigned idsize;
	uint64_t timestamp_ms, file_size;
	uint64_t reachable_bytes, reachable_objects, unreachable_objects, unreachable_bytes;
	uint64_t threads_total;
	hs_sum_class *classes;   uint32_t nclasses;
	hs_sum_thread *threads;  uint32_t nthreads;
	hs_sum_named *loaders;   uint32_t nloaders;
	hs_sum_named *doms;      uint32_t ndoms;
	hs_sum_suspect *suspects; uint32_t nsuspects;
	hs_sum_set *prefixes;    uint32_t nprefixes;   /* sorted by name */
	hs_sum_set *patterns;    uint32_t npatterns;   /* asked of hs_summary_build() */
	char **loaded;           /* classes of the dump without a class row (no
				  * reachable instance), sorted, without loader */
	uint32_t nloaded;
	int knows_loaded;        /* loaded[] is complete: built from a dump, or a
				  * snapshot with a "keeps loaded" record */
	int knows_supers;        /* the classes' supers[] are known (the same,
				  * "keeps supers") */
	double suspect_threshold; /* the suspects are all those above this
				  * percentage of the heap (10 for snapshots
				  * that do not say) */
	int from_snapshot;
	unsigned version;        /* of the snapshot read; HS_SNAPSHOT_VERSION when built */
	/* the dump was cut short (hs_dump_info.truncated): the figures are of
	 * the records before truncated_at; truncated_what says what was cut */
	int truncated;
	uint64_t truncated_at;
	char *truncated_what;
} hs_summary;

/**
 * Build from an analysed dump.  For each of the npatterns class name
 * patterns (hs_rules_class_in()), the exact retained size of the set of
 * classes it matches is computed as well (out->patterns).
 * @param[out] out  release with hs_summary_release()
 */
int hs_summary_build(hs_summary *out, hs_dump *d, hs_graph *g, const char *version,
		     const char *const *patterns, uint32_t npatterns, hs_error *err);
/** The suspect threshold of hs_summary_build() (percent of the heap). */
#define HS_SUMMARY_SUSPECT_THRESHOLD 10.0
/** hs_summary_build() finding the suspects above @p suspect_threshold
 *  percent of the reachable heap (hs_summary_build(): 10), e.g. for a
 *  rule "suspect <= 3%". */
int hs_summary_build_ex(hs_summary *out, hs_dump *d, hs_graph *g, const char *version,
			const char *const *patterns, uint32_t npatterns, double suspect_threshold,
			hs_error *err);
void hs_summary_release(hs_summary *s);
/** Sort the prefix rows by name, as hs_summary_class_set() needs them
 *  (for whoever fills them: the build, the snapshot reader). */
void hs_summary_sort_prefixes(hs_summary *s);

/**
 * The classes matching a pattern, together: instances and shallow bytes
 * added up, and the retained size of the set, each object counted once.
 * Returns 0, or -1 when the summary cannot tell the retained size (a
 * snapshot, and a pattern that matches several classes and is not a
 * stored prefix followed by '*'); instances, shallow and classes are
 * filled in either case.
 */
int hs_summary_class_set(const hs_summary *s, const char *pattern, hs_sum_set *out);

#endif
