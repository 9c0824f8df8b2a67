/*
 * diff.h - comparing two heap summaries (dumps or snapshots).
 * Classes are matched by name, since object ids change between runs.
 */
#ifndef HEAPSCAN_DIFF_H
#define HEAPSCAN_DIFF_H

#include "heapscan/summary.h"

typedef struct hs_diff_row {
	const char *name;       /* borrowed from a summary */
	uint64_t base_count, new_count, base_shallow, new_shallow, base_retained, new_retained;
	int64_t d_count, d_shallow, d_retained;
} hs_diff_row;

typedef struct hs_diff_threads {
	char *pattern;
	int64_t base, now, delta;
} hs_diff_threads;

typedef struct hs_diff {
	hs_diff_row *rows;
	uint32_t nrows;
	hs_diff_threads *threads;  /* name patterns whose count changed */
	uint32_t nthreads;
	int64_t d_reachable, d_objects, d_threads;
} hs_diff;

/** now - base as a signed number, saturated at INT64_MIN and INT64_MAX:
 *  the counts of a damaged snapshot can be near 2^64, and a difference
 *  of their casts to int64_t would overflow. */
int64_t hs_delta(uint64_t now, uint64_t base);

/** The magnitude of a signed number (of INT64_MIN too). */
uint64_t hs_abs64(int64_t v);

/* The noise floor of diff's findings (documented in heapscan(1), diff):
 * a suspect that grew is a finding when it grew by at least this
 * percentage of what it retained and by at least this many bytes. */
#define HS_DIFF_MIN_GROWTH_PCT 1.0
#define HS_DIFF_MIN_GROWTH_BYTES ((uint64_t)64 << 10)

/** Whether @p was -> @p now is growth above the floor: by @p min_bytes or
 *  more, and by @p min_pct percent of @p was or more (any growth from 0
 *  bytes passes the percentage).  With both 0, any growth. */
int hs_diff_grown(uint64_t was, uint64_t now, double min_pct, uint64_t min_bytes);

/** Rows sorted by retained growth (then shallow growth), largest first. */
int hs_diff_compute(hs_diff *out, const hs_summary *base, const hs_summary *now, hs_error *err);
void hs_diff_release(hs_diff *d);

/** A base row for class name, or NULL. */
const hs_sum_class *hs_summary_class(const hs_summary *s, const char *name);

#endif
