/*
 * analysis.h - analyses over an opened dump: histogram now, graph-based
 * analyses in graph.h.
 */
#ifndef HEAPSCAN_ANALYSIS_H
#define HEAPSCAN_ANALYSIS_H

#include <stdint.h>

#include "heapscan/dump.h"

enum hs_hist_sort { HS_SORT_BYTES, HS_SORT_COUNT, HS_SORT_NAME };

typedef struct hs_hist_row {
	uint32_t cls;          /* class index */
	const char *name;      /* borrowed from the dump */
	uint64_t instances;
	uint64_t shallow;
} hs_hist_row;

typedef struct hs_histogram {
	hs_hist_row *rows;     /* owned */
	uint32_t nrows;
	uint32_t total_rows;   /* before --top */
	uint64_t instances, shallow;  /* totals of the rows matched (before --top) */
} hs_histogram;

typedef struct hs_hist_opts {
	enum hs_hist_sort sort;
	uint32_t top;          /* 0: all */
	const char *match;     /* POSIX extended regex on the class name, or NULL */
	int include_empty;     /* keep classes with no instances */
} hs_hist_opts;

/**
 * Class histogram from the scan.  One row per class with instances (class
 * objects count as java.lang.Class instances).
 * @param[out] out  filled; release with hs_histogram_release()
 */
int hs_histogram_build(hs_histogram *out, const hs_dump *d, const hs_hist_opts *o, hs_error *err);
/** The same, counting only objects reachable from the GC roots. */
struct hs_graph;
int hs_histogram_build_live(hs_histogram *out, const hs_dump *d, struct hs_graph *g,
			    const hs_hist_opts *o, hs_error *err);
void hs_histogram_release(hs_histogram *h);

#endif
