/*
 * index.h - the index of an analysed dump: what hs_dump_open() and
 * hs_graph_build() computed, kept in a file so that the next command on
 * the same dump starts from it instead of reading the dump again.
 *
 * An index holds the scan's tables (strings, classes with their fields and
 * statics, GC roots, threads, stack traces, the detected layout, the id
 * map and the checkpoints that let a few objects be read again), the
 * object graph in its compact form (class and size per object, the
 * references), the dominator tree with retained sizes and counts, and the
 * labels fetched so far (thread names, the values of the biggest
 * objects).  A command reads the node-indexed arrays it asks for only,
 * when it first asks (path needs no dominators, threads no references);
 * the dominator tree is read as its children, not rebuilt from the
 * immediate dominators.  Node-indexed arrays are stored as differences from the node
 * (references, dominators) and as what a node adds to its own size
 * (retained sizes), then compressed with zstd: most of them are small
 * numbers.
 *
 * It is trusted only when it matches, and everything else makes it a
 * miss, never an error:
 *  - the dump: its size, modification time (nanoseconds) and a hash of
 *    its first and last MiB;
 *  - what the graph depends on: the heap dump of the file (--dump N),
 *    exclude_weak and keep_unreachable;
 *  - the program: the index format version and the build of heapscan that
 *    wrote it (its executable's size, time and inode), since the index
 *    keeps the library's own structures;
 *  - itself: a checksum of its header and one of each section, checked
 *    before a section is decompressed, and the lengths of everything.
 * It is written to a temporary file in the index's folder and renamed over
 * the old one, so a reader sees a whole index or none, and two commands
 * writing at once leave one of the two whole indexes.
 */
#ifndef HEAPSCAN_INDEX_H
#define HEAPSCAN_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"

/* Format of the index file; a change makes older indexes misses. */
#define HS_INDEX_FORMAT 8

/** Why an index was not used (hs_index_load() returning 0). */
enum hs_index_miss {
	HS_INDEX_NONE = 0,      /* there is no index file */
	HS_INDEX_STALE,         /* the dump is not the one it was made of */
	HS_INDEX_OTHER_BUILD,   /* another format or build of heapscan made it */
	HS_INDEX_CORRUPT,       /* cut short, or its checksums do not match */
	HS_INDEX_UNUSABLE       /* the dump cannot be indexed (a pipe) */
};
const char *hs_index_miss_text(int why);

/**
 * The index file of a dump for the given options (opts->dump_index, and
 * the graph options, which name the file: "DUMP.hsidx",
 * "DUMP.exclude-weak.hsidx", "DUMP.dump2.hsidx"...).
 * @p dir NULL: beside the dump when @p for_write is 0 or its folder is
 * writable, else in the cache folder ($XDG_CACHE_HOME/heapscan, else
 * ~/.cache/heapscan, created when writing); there and in @p dir the name
 * also holds a hash of the dump's absolute path, so two dumps of one name
 * do not share an index.  Returns 0, or -1 when no place is found (a
 * dump that is no regular file, no cache folder).
 */
int hs_index_path(char *out, size_t n, const char *dump_path, const char *dir,
		  const hs_open_opts *opts, const hs_graph_opts *go, int for_write);

/**
 * Open the dump @p dump_path from its index @p index_path instead of
 * scanning it: the dump and its graph as hs_dump_open() and
 * hs_graph_build() would have made them with these options (the dump's
 * file is opened too, for the commands that read a few objects again).
 * @return 1 with *d and *g set; 0 when the index cannot be used, with
 *         the reason in *why (enum hs_index_miss); a negative hs_code for
 *         an error that a scan would meet too (out of memory, --strict and
 *         a truncated dump, a dump that cannot be opened).
 */
int hs_index_load(hs_dump **d, hs_graph **g, const char *index_path, const char *dump_path,
		  const hs_open_opts *opts, const hs_graph_opts *go, int *why, hs_error *err);

/**
 * Write the index of a dump and its graph to @p index_path (through a
 * temporary file renamed over it).  The labels of the thread objects and
 * of the @p top_labels objects with the largest retained sizes are fetched
 * first (hs_graph_fetch_labels()) so that they are in it.
 * @return 0, or a negative hs_code (the file is then not there).
 */
int hs_index_write(const hs_dump *d, hs_graph *g, const char *index_path, uint32_t top_labels,
		   uint64_t *bytes, hs_error *err);

/**
 * The same, with the part that reads only what no longer changes once the
 * graph is built done by a second thread when opts.threads >= 2, while the
 * caller goes on with its analysis (which may fetch labels and allocate,
 * but must not free the graph or the dump: hs_graph_free() waits for the
 * writer).  Returns 0 once started, or a negative hs_code (nothing
 * written); the outcome is hs_index_write_wait()'s.
 */
int hs_index_write_start(hs_dump *d, hs_graph *g, const char *index_path, uint32_t top_labels,
			 hs_error *err);
/** Wait for the index hs_index_write_start() writes: 0 written (*bytes
 *  its size), a negative hs_code (and *err) if it could not be, 1 when no
 *  index was being written. */
int hs_index_write_wait(hs_graph *g, uint64_t *bytes, hs_error *err);

/**
 * An index that learns: when @p g was read from an index and the command
 * added to what it keeps (labels fetched from the dump, the shortest-path
 * tree of a search from the GC roots, numbers learned), they are added at
 * the end of the file, under an exclusive flock(), and its header written
 * again; the sections there stay where they are.  Once the bytes no
 * section holds (labels replaced) would be over a quarter of the file,
 * the index is copied afresh instead, through a temporary file renamed
 * over it as hs_index_write() does.  An index another command replaced
 * or added to meanwhile is left alone.  Returns 1 updated (*bytes its
 * size), 0 nothing to do, or a negative hs_code.
 */
int hs_index_update(hs_graph *g, uint64_t *bytes, hs_error *err);

/** For the fuzz target of the index (tests/fuzz/fuzz-index.c) only: the
 *  same as hs_index_load() without the checks of checksums, of the build
 *  and of the dump's key, so that what decodes the sections is what is
 *  tried; a miss or an error, never a crash, whatever the file holds. */
int hs_index__load_unchecked(hs_dump **d, hs_graph **g, const char *index_path, const char *dump_path,
			     const hs_open_opts *opts, int *why, hs_error *err);

#endif
