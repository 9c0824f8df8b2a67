/*
 * inspect.h - looking at objects themselves: the instances of a class,
 * an object's fields and array elements with their values, its referrers,
 * the "size" of an object (a collection's entries, an array's length, a
 * String's length), and MAT's immediate dominators of a class.
 */
#ifndef HEAPSCAN_INSPECT_H
#define HEAPSCAN_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "heapscan/graph.h"

/**
 * The reachable instances (and arrays) of the classes named @p name (all
 * classes of that name, whatever their loader), and with @p subclasses
 * those of every class whose superclass chain reaches one of them;
 * biggest retained size first, ties in node order.
 * @param[out] out  malloc'd, *n nodes (the caller frees it)
 * @return 0, HS_ENOTFOUND when no class has that name, or an hs_code
 */
int hs_instances_of(hs_graph *g, const char *name, int subclasses, uint32_t **out, uint32_t *n,
		    hs_error *err);

/* One field of an object, or one static field of a class. */
typedef struct hs_fval {
	const char *name;      /* borrowed from the dump */
	const char *owner;     /* the class declaring it (borrowed) */
	uint8_t type;          /* enum hs_type */
	uint64_t bits;         /* the value's bits; an object id for references */
} hs_fval;

/* The contents of some objects, read from the dump in one pass. */
typedef struct hs_contents hs_contents;

/**
 * Read the contents of @p nodes: an instance's fields, the first
 * @p array_bytes bytes of an array's elements (and its length), the size
 * of what has one (hs_contents_size()): one pass for the contents, and
 * the passes labels take (hs_graph_fetch_labels()).
 * @param[out] out  freed with hs_contents_free()
 */
int hs_contents_fetch(hs_contents **out, hs_graph *g, const uint32_t *nodes, uint32_t n,
		      uint32_t array_bytes, hs_error *err);
void hs_contents_free(hs_contents *c);
/** The fields of @p node: an instance's own fields first, then its
 *  superclasses'; a class object's static fields.  malloc'd into *out (the
 *  caller frees it), *n of them; 0 or HS_ENOMEM. */
int hs_contents_fields(const hs_contents *c, uint32_t node, hs_fval **out, uint32_t *n, hs_error *err);
/** An array's elements read (big-endian, as in the dump: ids for object
 *  arrays), *bytes of them, its element type and length; NULL when
 *  @p node is no array or was not read. */
const unsigned char *hs_contents_array(const hs_contents *c, uint32_t node, uint32_t *bytes,
				       uint8_t *elem_type, uint32_t *length);
/** The value of field @p name of @p node (a computed one: none): 1 and
 *  *out, or 0 when it has none. */
int hs_contents_field(const hs_contents *c, uint32_t node, const char *name, hs_fval *out);
/** An object's size: a collection's entries (as its label says), an
 *  array's length, a String's length in chars; -1 when it has none. */
int64_t hs_contents_size(const hs_contents *c, uint32_t node);

struct hs_wval;
struct hs_where;
/** The value @p name has for a --where expression (where.h) on @p node:
 *  a field (a String it refers to as text, other references as their id,
 *  null as null), or the computed retained, shallow, size. */
void hs_contents_where_value(const hs_contents *c, uint32_t node, const char *name, struct hs_wval *out);

/**
 * `objects`: the reachable instances of class @p name (see
 * hs_instances_of()) that expression @p w selects (NULL: all), biggest
 * retained first, with the contents of the first @p show of them read
 * (sizes, labels).
 * @param[out] out       malloc'd, *n nodes (the caller frees it)
 * @param[out] contents  freed with hs_contents_free()
 */
int hs_objects_query(hs_graph *g, const char *name, int subclasses, const struct hs_where *w, uint32_t show,
		     uint32_t **out, uint32_t *n, hs_contents **contents, hs_error *err);

/** A field's or element's value as text: a primitive as Java prints it,
 *  a String as its value in quotes, a boxed primitive (its contents read)
 *  as its value, null, else "CLASS@0xID" with its label; into @p buf. */
const char *hs_contents_value_text(const hs_contents *c, uint8_t type, uint64_t bits, char *buf, size_t size);
/** How @p from refers to @p to, if its contents were read: ".field",
 *  "static FIELD", "[slot]"; NULL when not found (borrowed from the dump,
 *  or written into @p buf). */
const char *hs_contents_via(const hs_contents *c, uint32_t from, uint32_t to, char *buf, size_t size);

/** A primitive value as Java prints it ("12", "1.5", "true", "'a'"),
 *  into @p buf. */
const char *hs_value_text(uint8_t type, uint64_t bits, char *buf, size_t size);

/**
 * The distinct objects that refer to @p node (class objects through a
 * static field included; an instance's reference to its class is no
 * referrer of the class), biggest retained size first.  One scan of every
 * object's references.
 * @param[out] out  malloc'd, *n nodes (the caller frees it)
 */
int hs_referrers(hs_graph *g, uint32_t node, uint32_t **out, uint32_t *n, hs_error *err);

/* The immediate dominators of a set of objects, grouped by their class. */
typedef struct hs_idom_group {
	uint32_t cls;          /* class index of the dominators, or
	                          HS_CLASS_OBJECT_BIT for class objects, or
	                          HS_NONE for the GC roots (virtual root) */
	const char *name;      /* its name (borrowed) */
	uint64_t dominators;   /* distinct dominators of the group */
	uint64_t objects;      /* the objects they immediately dominate */
	uint64_t shallow;      /* those objects' shallow bytes */
	uint64_t retained;     /* their retained bytes (disjoint: siblings) */
	uint32_t biggest;      /* the dominator retaining most of them */
} hs_idom_group;

/**
 * MAT's "immediate dominators" of @p nodes: for each, the object that
 * dominates it directly (skipping dominators of the same classes as
 * @p nodes, so that a chain of HashMaps shows what holds the outer one),
 * grouped by the dominator's class, most retained first.
 * @param[out] out  malloc'd, *n groups (the caller frees it)
 */
int hs_immediate_dominators(hs_graph *g, const uint32_t *nodes, uint32_t count, hs_idom_group **out,
			    uint32_t *n, hs_error *err);

#endif
