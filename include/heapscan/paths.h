/*
 * paths.h - paths from the GC roots to objects, with field names.
 */
#ifndef HEAPSCAN_PATHS_H
#define HEAPSCAN_PATHS_H

#include <stdint.h>

#include "heapscan/graph.h"

/**
 * Breadth-first tree from the virtual root: (*out)[v] is the node before
 * v on a shortest path from a GC root (0 for roots themselves), HS_NONE
 * when v is unreachable.  Paths prefer lasting references: an object a
 * thread holds only through Thread.parkBlocker is reached through it only
 * when no other path reaches it (the pool a thread waits on is shown as
 * the pool's, not as the thread's).  Iterative; one u32 per node plus a
 * queue; reads the thread objects from the dump once.
 * @param[out] out  freed with hs_paths_free()
 */
int hs_paths_bfs(hs_graph *g, uint32_t **out, hs_error *err);
/**
 * The same tree without entering node @p avoid (HS_NONE: none): shortest
 * paths that do not pass through it; avoid and what only it leads to are
 * HS_NONE.  A path to a referrer of an object in this tree, then to the
 * object, passes through no object twice.  With @p strong, following
 * strong references only: the referent of each java.lang.Reference is
 * skipped (hs_graph_referent()), so the tree is that of the graph without
 * weak references, with the retained sizes of this one.
 */
int hs_paths_bfs_ex(hs_graph *g, uint32_t avoid, int strong, uint32_t **out, hs_error *err);
/** The same search (avoiding none), ended once @p target is found: its
 *  path in *out is the one the whole search gives; other nodes may have
 *  none yet.  The index's tree when it holds one. */
int hs_paths_bfs_until(hs_graph *g, uint32_t target, int strong, uint32_t **out, hs_error *err);
/** Free the parent array of hs_paths_bfs() (NULL is allowed). */
void hs_paths_free(const hs_graph *g, uint32_t *parent);

/** Nodes of the path from a root to @p target (root first) along the BFS
 *  tree, at most @p max; returns the length (0 if unreachable). */
uint32_t hs_paths_to(const uint32_t *parent, uint32_t target, uint32_t *out, uint32_t max);

/**
 * The distinct referrers of @p target that a GC root reaches (each node
 * with a reference to it and a BFS parent), nearest a root first: by the
 * length of their path (hs_paths_to, counted up to @p max), ties in node
 * order; the virtual root 0 first when @p target is itself a GC root.
 * Near-linear: one scan of the references, each depth computed once.
 * @param[out] out    malloc'd array of *count nodes, the caller frees it
 * @param[out] count  how many
 */
int hs_paths_referrers(const hs_graph *g, const uint32_t *parent, uint32_t target, uint32_t max,
		       uint32_t **out, uint32_t *count, hs_error *err);
/** The same, counting a referrer whose only reference to @p target is a
 *  Reference's referent out when @p strong (see hs_paths_bfs_ex()). */
int hs_paths_referrers_ex(const hs_graph *g, const uint32_t *parent, uint32_t target, uint32_t max,
			  int strong, uint32_t **out, uint32_t *count, hs_error *err);

/**
 * Describe each step of a path: via[0] says which kind of GC root nodes[0]
 * is ("thread object", "sticky class", "JNI global", ...); via[i] how
 * nodes[i-1] refers to nodes[i] (".field", "[12]", "static FIELD",
 * "Java local in frame 3 (Foo.bar:42)", "<class>").  Reads the dump once
 * (an error of that pass names the file, as hs_graph_fetch_labels()'s).
 * @param[out] via  n malloc'd strings, freed with hs_paths_free_via()
 */
int hs_paths_describe(hs_graph *g, const uint32_t *nodes, uint32_t n, char **via, hs_error *err);
void hs_paths_free_via(char **via, uint32_t n);

/** Name of a GC root kind ("sticky class"). */
const char *hs_root_kind_name(int kind);

/** The values of a named field of each node (ids for references, 0 when
 *  absent), fetched from the dump: a ThreadLocalMap$Entry's referent,
 *  a ClassLoader's name, ... */
int hs_paths_field_values(hs_graph *g, const uint32_t *nodes, uint32_t n, const char *field,
			  uint64_t *values, hs_error *err);

/** The String a named field of each node refers to, as text (malloc'd into
 *  out[i]; NULL when the field is null, absent or no String), e.g. the
 *  names of class loaders.  Free each out[i]. */
int hs_paths_string_fields(hs_graph *g, const uint32_t *nodes, uint32_t n, const char *field,
			   char **out, hs_error *err);

#endif
