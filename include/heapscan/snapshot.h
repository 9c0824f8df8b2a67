/*
 * snapshot.h - the file form of a heap summary (summary.h): a snapshot,
 * what `heapscan snapshot` writes and `check` and `diff` read as a
 * baseline.  The functions keep the summary's names (hs_summary_write(),
 * hs_summary_read()): they write and read an hs_summary.
 *
 * Format (version 2): zstd-compressed UTF-8 text, one record per
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
#ifndef HEAPSCAN_SNAPSHOT_H
#define HEAPSCAN_SNAPSHOT_H

#include "heapscan/summary.h"

#define HS_SNAPSHOT_VERSION 2
/* The oldest snapshot version this heapscan reads. */
#define HS_SNAPSHOT_MIN_VERSION 1

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

#endif
