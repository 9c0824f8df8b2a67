/*
 * summary.h - a small summary of a dump, and its file form (a snapshot).
 *
 * A summary holds what CI needs to compare two heaps without the dumps:
 * totals, per-class instances / shallow / retained bytes, threads and
 * thread name patterns with retained sizes, class loaders, the top
 * dominators, what each thread holds at its accumulation point, and the
 * leak suspects.  It is built from an analysed graph, or read back from a
 * snapshot file written by hs_summary_write().
 *
 * Snapshot format (version 2): zstd-compressed UTF-8 text, one record per
 * line, fields separated by TAB; in text fields TAB, newline and
 * backslash are written \t, \n and \\.  The first line is
 * "heapscan-snapshot<TAB>2".  Record types (first field):
 *   heapscan VERSION | dump PATH | meta FORMAT IDSIZE TIMESTAMP_MS FILE_SIZE
 *   total REACHABLE_BYTES REACHABLE_OBJECTS UNREACHABLE_OBJECTS UNREACHABLE_BYTES THREADS
 *   truncated OFFSET WHAT     only when the dump was cut short: the figures
 *                             cover the records before OFFSET (of the
 *                             decompressed dump); WHAT is what was cut
 *   keeps loaded supers       what the snapshot knows in full (below)
 *   suspect-threshold PCT     the suspects kept are those above PCT% (10
 *                             when absent)
 *   class NAME INSTANCES SHALLOW RETAINED
 *   super NAME SUPERCLASS...  a class row's superclasses, nearest first,
 *                             java.lang.Object left out (at most 60)
 *   loaded NAME               a class of the dump without a class row
 *   prefix PREFIX RETAINED INSTANCES SHALLOW CLASSES          (version 2)
 *   thread NAME RETAINED OBJECTS HELD_CLASS HELD_RETAINED HELD_ENTRIES
 *   loader NAME RETAINED OBJECTS
 *   dominator CLASS RETAINED SHALLOW OBJECTS SHAPE            (OBJECTS, SHAPE: version 2)
 *   suspect KIND CLASS RETAINED PCT MEMBERS HOLDER ACCUM_CLASS ENTRIES THREAD_PATTERN THROUGH
 * A class row's RETAINED counts each object once (what would be freed if
 * all the class's instances went).  A prefix row is the same for all the
 * classes whose names start with PREFIX together, so that a rule on
 * "com.example.*" or "java.util.HashMap*" gets the exact retained size of
 * the set from a snapshot; there is one for "" (every class), and for each
 * name prefix ending in '.' or just before a '$' or '[' that at least two
 * classes share.  Version 1 had no prefix rows and three dominator fields;
 * it is still read.  A dominator's SHAPE is the path of classes in the
 * dominator tree from it down to where its memory accumulates, e.g.
 * "java.lang.Thread > java.lang.ThreadLocal$ThreadLocalMap > ... >
 * java.util.HashMap (size=2000)".  The heapscan, dump, meta, total and
 * truncated records come once each (truncated may be absent).  "keeps
 * loaded": every class of the dump is a class row or a loaded record;
 * "keeps supers": each class row with a superclass other than Object has
 * a super record.  Snapshots without them are older.  Readers ignore record types they do not know; a new
 * version number means an incompatible change.  (Documented in
 * man/heapscan.1.)
 */
#ifndef HEAPSCAN_SUMMARY_H
#define HEAPSCAN_SUMMARY_H

#include <stdint.h>

#include "heapscan/graph.h"

#define HS_SNAPSHOT_VERSION 2
/* The oldest snapshot version this heapscan reads. */
#define HS_SNAPSHOT_MIN_VERSION 1

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
 * patterns (hs_glob_match()), the exact retained size of the set of
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
/** Write a snapshot file (zstd-compressed). */
int hs_summary_write(const hs_summary *s, const char *path, hs_error *err);
/** Is this file a snapshot (rather than a dump)?  1 yes, 0 no, < 0 error.
 *  It is read from its start: not for a pipe (see the _src forms). */
int hs_summary_is_snapshot(const char *path, hs_error *err);
/** The same of a source at its start, opened with HS_SRC_REWIND (so that
 *  a pipe is spooled): its first bytes are read, then it is rewound for
 *  hs_summary_read_src() or hs_dump_open_src(). */
struct hs_src;
int hs_summary_is_snapshot_src(struct hs_src *src, hs_error *err);
/** Read a snapshot.  A record written once (heapscan, dump, meta, total)
 *  that comes twice is an error, HS_EFORMAT "line 4: a second 'dump' line
 *  (the first is line 3)";
 *  on any error @p out holds nothing to release. */
int hs_summary_read(hs_summary *out, const char *path, hs_error *err);
/** hs_summary_read() of an open source, from where it stands; @p path
 *  names it.  The source stays the caller's. */
int hs_summary_read_src(hs_summary *out, struct hs_src *src, const char *path, hs_error *err);
void hs_summary_release(hs_summary *s);

/**
 * The classes matching a pattern, together: instances and shallow bytes
 * added up, and the retained size of the set, each object counted once.
 * Returns 0, or -1 when the summary cannot tell the retained size (a
 * snapshot, and a pattern that matches several classes and is not a
 * stored prefix followed by '*'); instances, shallow and classes are
 * filled in either case.
 */
int hs_summary_class_set(const hs_summary *s, const char *pattern, hs_sum_set *out);

/**
 * Whether class row @p c is one of @p pattern's classes: its name matches
 * the glob, or, for a pattern ending in '+' ("java.lang.Thread+"), the
 * name or that of one of its superclasses matches the glob before the '+'.
 */
int hs_summary_class_in(const char *pattern, const hs_sum_class *c);
/** Whether some class of the dump has a name that @p pattern's glob (the
 *  part before a '+') matches: a class row, or one in loaded[]. */
int hs_summary_pattern_defined(const hs_summary *s, const char *pattern);

/** Glob match on a whole class name: '*' any run of characters, '?' one;
 *  nothing else is special ('[' is a character of array names). */
int hs_glob_match(const char *pattern, const char *name);

#endif
