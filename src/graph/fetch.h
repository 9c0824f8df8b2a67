/*
 * fetch.h - the contents of a few objects, read again from the dump.
 *
 * The graph keeps no field values.  Reports that need some (a String's
 * characters, a collection's size, the field or array slot that holds the
 * next object of a path) say which objects they want, then one pass over
 * the dump copies just those: an instance's field bytes, the first bytes
 * of a primitive array, or the index at which an object array holds a
 * given id.  Internal to the library.
 *
 * On a plain (uncompressed, seekable) dump the pass reads only the spans
 * that hold the wanted objects: the first pass left a checkpoint every
 * HS_CHECKPOINT_STEP bytes of heap records (dump_int.h), and the id map
 * knows, for each block of ids, the first and last checkpoint before its
 * objects.  HotSpot writes objects in address order within a space, so a
 * block's objects lie within a few checkpoints.  When the spans would
 * cover half of the dump (or the environment sets HEAPSCAN_NO_SPANS, for
 * tests) the whole dump is read as before; the result is the same.
 */
#ifndef HEAPSCAN_FETCH_H
#define HEAPSCAN_FETCH_H

#include <stdint.h>

#include <Judy.h>

#include "heapscan/graph.h"

/* Takes one wanted object as the pass reads it (hs_fetch_stream()): @p n
 * bytes of data (an instance's fields, or the first bytes of a primitive
 * array, at most prim_max), @p length the array's element count, or
 * UINT32_MAX for an instance.  Returns 0 or an hs_code (the pass stops). */
typedef int (*hs_fetch_sink)(void *ctx, uint32_t node, const unsigned char *data, uint32_t n, uint32_t length,
			     hs_error *err);

#define HS_FETCH_FILTER_BITS 32768u

typedef struct hs_fetch {
	hs_graph *g;
	uint32_t prim_max;   /* bytes kept of each wanted primitive array */
	Pvoid_t inst;        /* node -> copy (u32 length, bytes); 1 while wanted */
	Pvoid_t prim;        /* node -> copy (u32 length, bytes); 1 while wanted */
	Pvoid_t arr;         /* object array node -> the element id wanted */
	Pvoid_t arr_ix;      /* object array node -> its index + 1, once found */
	Pvoid_t cnt;         /* object array node -> 1 while wanted, then
	                        2 + (length << 32 | non-null elements) */
	Pvoid_t plen;        /* prim. array node -> length + 1, once read */
	Pvoid_t zeros;       /* prim. array node -> 1 while wanted, then
	                        2 + its zero elements (no copy kept) */
	Pvoid_t elems;       /* object array node -> copy (u32 length, the
	                        ids of its first elements); 1 while wanted */
	PWord_t cur_elems;   /* the slot of the array being copied */
	uint32_t cur_elems_at;
	PWord_t cur_cnt;     /* the slot of the array being counted */
	uint32_t cur_arr;
	uint64_t cur_want;
	int cur_found;
	int any;
	hs_fetch_sink sink;  /* set: instances and primitive arrays go to it */
	void *sink_ctx;
	/* the ids of the wanted instances, hashed to one bit each: most
	 * instances a pass meets are not wanted, and this tells so before
	 * their node and inst are looked up */
	uint64_t inst_ids[HS_FETCH_FILTER_BITS / 64];
} hs_fetch;

void hs_fetch_init(hs_fetch *f, hs_graph *g, uint32_t prim_max);
int hs_fetch_want_instance(hs_fetch *f, uint32_t node, hs_error *err);
int hs_fetch_want_prim(hs_fetch *f, uint32_t node, hs_error *err);
/** Want the index at which object array @p node holds @p elem_id. */
int hs_fetch_want_index(hs_fetch *f, uint32_t node, uint64_t elem_id, hs_error *err);
/** Want the length and the non-null elements of object array @p node. */
int hs_fetch_want_count(hs_fetch *f, uint32_t node, hs_error *err);
/** Want the number of zero elements of primitive array @p node (its
 *  first HS_MAX_INSTANCE_DATA bytes), and its length. */
int hs_fetch_want_zeros(hs_fetch *f, uint32_t node, hs_error *err);
/** Want the ids of the first elements of object array @p node, as many
 *  as prim_max bytes hold, and its length. */
int hs_fetch_want_elems(hs_fetch *f, uint32_t node, hs_error *err);
/** Hand the wanted instances and primitive arrays to @p fn as the pass
 *  reads them instead of copying them: memory stays that of the wanted
 *  sets whatever the objects hold (hs_fetch_instance(), hs_fetch_prim()
 *  and hs_fetch_prim_length() then know none of them).  Before
 *  hs_fetch_run(). */
void hs_fetch_stream(hs_fetch *f, hs_fetch_sink fn, void *ctx);
/** One pass over the dump for everything wanted (none if nothing is). */
int hs_fetch_run(hs_fetch *f, hs_error *err);
const unsigned char *hs_fetch_instance(const hs_fetch *f, uint32_t node, uint32_t *len);
const unsigned char *hs_fetch_prim(const hs_fetch *f, uint32_t node, uint32_t *len);
/** Length and non-null elements of a wanted object array: 1 if known. */
int hs_fetch_count(const hs_fetch *f, uint32_t node, uint32_t *length, uint32_t *nonnull);
/** Length of a wanted primitive array (prim, zeros): 1 if known. */
int hs_fetch_prim_length(const hs_fetch *f, uint32_t node, uint32_t *length);
/** Zero elements of a primitive array wanted by hs_fetch_want_zeros(), and
 *  the elements looked at: 1 if known. */
int hs_fetch_zeros(const hs_fetch *f, uint32_t node, uint32_t *zeros, uint32_t *seen);
/** The first element ids of an object array (big-endian, id size each),
 *  *len bytes, or NULL. */
const unsigned char *hs_fetch_elems(const hs_fetch *f, uint32_t node, uint32_t *len);
/** Calls @p fn for each field of instance data of class @p ci (its own
 *  fields first, then its superclasses'), with its declaring class, its
 *  type and value (raw bits, an id for references); stops when @p fn
 *  returns non-zero. */
void hs_fields_each(const hs_dump *d, uint32_t ci, const unsigned char *data, uint32_t len,
		    int (*fn)(void *ctx, uint32_t owner, const hs_field *fl, uint64_t val), void *ctx);
/** The index found for an object array, or -1. */
int64_t hs_fetch_index(const hs_fetch *f, uint32_t node);
void hs_fetch_release(hs_fetch *f);

/** A named field of instance data of class @p ci (searching the superclass
 *  chain): 1 with its type and value, 0 if absent. */
int hs_field_by_name(const hs_dump *d, uint32_t ci, const unsigned char *data, uint32_t len,
		     const char *name, uint8_t *type, uint64_t *val);
/** The type of a named field of class @p ci: 1 if the class has it. */
int hs_field_type(const hs_dump *d, uint32_t ci, const char *name, uint8_t *type);
/** 1 for a field that holds an object only for a moment, not for the
 *  holder's lifetime: Thread.parkBlocker (set while the thread parks). */
int hs_field_fleeting(const char *name);
/** The name of the reference field of instance data that holds @p id, or
 *  NULL; a lasting field rather than a fleeting one when both hold it
 *  (a thread's Runnable is its .target, and its .parkBlocker too while it
 *  parks on it). */
const char *hs_field_holding(const hs_dump *d, uint32_t ci, const unsigned char *data, uint32_t len,
			     uint64_t id);

#endif
