/*
 * retained.h - retained sizes of groups of objects.
 */
#ifndef HEAPSCAN_RETAINED_H
#define HEAPSCAN_RETAINED_H

#include <stdint.h>

#include "heapscan/graph.h"

typedef struct hs_group_sum {
	uint64_t objects;    /* reachable members */
	uint64_t shallow;    /* their shallow bytes */
	uint64_t retained;   /* bytes freed if all members went (each once) */
} hs_group_sum;

/* class_object_group value: a class object belongs to the group of the
 * class it represents (its package, its defining loader). */
#define HS_GROUP_OWN_CLASS (UINT32_MAX - 1)

/** The group of a node: group_of_class of its class; for a class object
 *  class_object_group, or with HS_GROUP_OWN_CLASS the class's own group. */
uint32_t hs_group_of(const hs_graph *g, const uint32_t *group_of_class, uint32_t class_object_group,
		     uint32_t node);

/** The group of the objects of a class key (hs_graph_class_totals()):
 *  for a class's instances group_of_class of it, for its class object
 *  class_object_group or with HS_GROUP_OWN_CLASS the class's own group. */
uint32_t hs_group_of_key(const uint32_t *group_of_class, uint32_t class_object_group, uint32_t nclasses,
			 uint32_t key);

/**
 * Sum retained sizes by group.  group_of_class[c] is the group of the
 * instances of class c (HS_NONE: not counted); class objects belong to
 * class_object_group (or HS_GROUP_OWN_CLASS, see above).
 * @param[out] out  ngroups entries, filled
 */
int hs_retained_by_group(hs_graph *g, const uint32_t *group_of_class, uint32_t ngroups,
			 uint32_t class_object_group, hs_group_sum *out, hs_error *err);

/**
 * Sums of a grouping that the caller computed in a walk of its own
 * (several groupings at once, hs_retained_by_sets()): kept by the graph's
 * index under the grouping, as hs_retained_by_group() keeps its own, so
 * that the next hs_retained_by_group() with that grouping reads them.
 * Nothing when the graph has no index.  @p sums: ngroups entries.
 */
void hs_retained_learn(hs_graph *g, const uint32_t *group_of_class, uint32_t ngroups, uint32_t class_object_group,
		       const hs_group_sum *sums);

/**
 * Retained sizes of sets of groups that may overlap (a group may be in
 * several sets): a set's retained size counts each object once, as the
 * sum of the retained sizes of its members that no other member
 * dominates, so it is never more than the reachable heap.  The sets of
 * group k are set_ids[set_off[k] .. set_off[k + 1]), each at most once;
 * groups are given as for hs_retained_by_group().  One pass over the
 * objects in node order for the counts, one over the dominator-tree
 * preorder for the retained sizes (hs_graph_class_totals(),
 * hs_graph_retained_by_key_sets()).
 * @param[out] out  nsets entries, filled
 */
int hs_retained_by_sets(hs_graph *g, const uint32_t *group_of_class, uint32_t ngroups,
			uint32_t class_object_group, const uint32_t *set_off, const uint32_t *set_ids,
			uint32_t nsets, hs_group_sum *out, hs_error *err);

enum hs_group_kind { HS_GROUP_CLASS, HS_GROUP_PACKAGE, HS_GROUP_LOADER };

typedef struct hs_groups {
	uint32_t *of_class;    /* class index -> group */
	uint32_t n;
	uint32_t class_objects;  /* group of class objects: for classes, the
	                            java.lang.Class group; for packages and
	                            loaders HS_GROUP_OWN_CLASS (a class object
	                            counts with the package or loader of the
	                            class it represents) */
	char **names;          /* group names (owned) */
	uint64_t *keys;        /* loader ids for HS_GROUP_LOADER */
} hs_groups;

/** The length of a class name without the "+0x7f..." or "/0x7f..." with
 *  which the JVM names a hidden class (lambdas, LambdaForms): the address
 *  changes from run to run, the rest does not.  Class groups, snapshots
 *  and diff use the name without it.  Repeated suffixes all go, so that
 *  the name left has none (a snapshot reads back the name it wrote). */
size_t hs_class_name_stable_len(const char *name);
/** The length of a class group name without the " (loader NAME)" that
 *  hs_groups_make() adds to a name several class loaders define (the
 *  whole length when it has none). */
size_t hs_class_name_bare_len(const char *name);

/** Partition classes into groups of a kind; release with hs_groups_release(). */
int hs_groups_make(hs_groups *out, const hs_dump *d, hs_graph *g, enum hs_group_kind kind,
		   hs_error *err);
void hs_groups_release(hs_groups *gr);

#endif
