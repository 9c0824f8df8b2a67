/*
 * hprof_mutate.h - a structure-aware mutator of HPROF dumps, for fuzzing.
 *
 * hm_parse() cuts a dump into its header, its top-level records and, in
 * each heap dump (a HEAP_DUMP record, or a run of HEAP_DUMP_SEGMENTs read
 * as one stream, as the reader does, so that sub-records may straddle
 * segments), its sub-records.  hm_mutate() changes a few of them in ways
 * that keep the file well-formed: ids, counts with the data they count,
 * lengths, class ids, field types and values, string texts, whole records
 * and sub-records copied, moved, dropped or made up from the dump's own
 * classes, the cut into segments.  hm_write() puts the dump back together
 * with every record length recomputed, so that most mutants get past the
 * reader and exercise the graph and the analyses rather than the first
 * length check.
 *
 * What cannot be parsed (no HPROF header, a sub-record of unknown tag, a
 * record cut short) is kept as raw bytes and written back as it was, so
 * that hm_write(hm_parse(x)) == x for any x.
 *
 * hm_reduce() keeps the objects nearest the GC roots of a big dump, the
 * classes they need and the strings still named: small seeds from real
 * dumps.
 *
 * No global state; the randomness comes from the caller's seed.  Out of
 * memory is an error return, never an abort: the fuzzer goes on.
 */
#ifndef HPROF_MUTATE_H
#define HPROF_MUTATE_H

#include <stddef.h>
#include <stdint.h>

typedef struct hm_dump hm_dump;

/* A byte-level mutator to fall back on (libFuzzer's LLVMFuzzerMutate):
 * mutates data[0..size) in place, at most max_size bytes; returns the new
 * size. */
typedef size_t (*hm_raw_fn)(uint8_t *data, size_t size, size_t max_size);

/** Parse @p in (which must outlive the result and not change meanwhile).
 *  Never fails on malformed input; NULL only when out of memory. */
hm_dump *hm_parse(const uint8_t *in, size_t len);
void hm_free(hm_dump *m);

/** 1 when the input had an HPROF header and every byte was parsed into
 *  records and sub-records (nothing kept raw), else 0. */
int hm_well_formed(const hm_dump *m);
/** Heap sub-records, and top-level records (a run of segments counts
 *  once). */
size_t hm_subrecords(const hm_dump *m);
size_t hm_records(const hm_dump *m);

/** Bytes hm_write() writes. */
size_t hm_size(const hm_dump *m);
/** Write the dump (hm_size() bytes) to @p out. */
void hm_write(const hm_dump *m, uint8_t *out);

/**
 * Apply one structure-aware mutation chosen with @p seed.  @p raw, when
 * not NULL, mutates the bytes of a string or of an object's data.
 * @return 0, 1 when the dump has nothing to mutate (no HPROF header, no
 *         records), -1 when out of memory (the dump is then unchanged or
 *         changed, but whole)
 */
int hm_mutate(hm_dump *m, uint32_t seed, hm_raw_fn raw);
/** Name of the last mutation applied ("instance-class", ...), for stats. */
const char *hm_last_op(const hm_dump *m);

/**
 * For LLVMFuzzerCustomMutator: mutate data[0..size) in place, at most
 * max_size bytes, with one to a few structure-aware mutations; what could
 * not be parsed is dropped first half of the time (the fuzzer keeps
 * inputs for the errors they make: their mutants should get past them
 * too).  An input that is no HPROF dump, a result that would not fit, and
 * one call in twenty go to @p raw (or to a few byte flips when it is
 * NULL) instead.
 * @param[out] op  (may be NULL) the name of the last mutation applied, a
 *                 string literal: "raw" for the fallback
 * @return the new size
 */
size_t hm_mutate_bytes(uint8_t *data, size_t size, size_t max_size, uint32_t seed, hm_raw_fn raw,
		       const char **op);

/**
 * Keep at most @p max_objects instances and arrays: those found first by
 * a breadth-first walk from the GC roots (thread objects first, then the
 * other roots, then the static fields of the classes that class loaders
 * define), with the classes they need (their classes and superclasses,
 * the classes they refer to); drop the rest, with its roots and its
 * LOAD_CLASS records, the stack traces of the threads dropped and the
 * frames and STRING records that nothing left names; cut arrays to their
 * first 256 elements.
 * @return 0, or -1 when out of memory
 */
int hm_reduce(hm_dump *m, size_t max_objects);

#endif
