/*
 * graph.h - the object graph, the dominator tree and retained sizes.
 *
 * Nodes are dense 32-bit indexes: node 0 is a virtual root, and objects
 * (class objects, instances, arrays) are numbered 1..N in the order of
 * their ids (addresses).  Outgoing references are kept in compressed
 * sparse row form: one offsets array and one targets array, no per-object
 * allocation.
 *
 * Edges follow Eclipse MAT's conventions:
 *   instance      -> its class, its non-null reference fields
 *   object array  -> its class, its non-null elements
 *   prim. array   -> its class
 *   class         -> superclass, class loader, signers, protection domain,
 *                    static reference fields
 *   thread object -> the objects its Java frames, JNI locals, native stack
 *                    and thread block roots hold (so a thread's retained
 *                    size includes what only its stack holds)
 *   virtual root  -> every other GC root (and, when the dump has no sticky
 *                    class roots, the classes of the bootstrap loader)
 * References to ids that are not in the dump are dropped.
 * java.lang.ref.Reference.referent is an ordinary edge unless exclude_weak.
 */
#ifndef HEAPSCAN_GRAPH_H
#define HEAPSCAN_GRAPH_H

#include <stdint.h>

#include "heapscan/dump.h"

typedef struct hs_graph hs_graph;

#define HS_CLASS_OBJECT_BIT 0x80000000u

typedef struct hs_graph_opts {
	int exclude_weak;        /* drop Reference.referent edges */
	int keep_unreachable;    /* hang unreachable objects under the root */
	const char *index_path;  /* when set, the index that hs_index_write_start()
	                            will write there is begun on a second thread
	                            while the dominators are computed (read by
	                            hs_graph_build() only) */
} hs_graph_opts;

typedef struct hs_graph_stats {
	uint32_t nodes;          /* objects + 1 (the virtual root) */
	uint64_t edges;
	uint64_t dangling;       /* references to ids not in the dump */
	uint32_t reachable;      /* objects reachable from the root */
	uint64_t unreachable, unreachable_bytes;  /* no GC root reaches them */
	uint8_t unreachable_kept;  /* keep_unreachable: they are in the tree,
	                              under the virtual root, and counted in
	                              reachable and reachable_bytes too */
	uint64_t reachable_bytes;  /* shallow bytes of reachable objects */
	uint64_t memory_bytes;   /* bytes the in-memory model uses now */
	uint64_t peak_bytes;     /* the most it used at once */
	uint64_t idmap_bytes;
	uint8_t readers;         /* threads that read the dump for the graph: 2
	                            when its heap records were split in two
	                            halves (--threads 2 and a plain file), else 1;
	                            0 when the graph came from an index */
	uint8_t index_early;     /* the index (hs_graph_opts.index_path) was
	                            begun while the dominators were computed */
} hs_graph_stats;

/**
 * Build the graph of an opened dump (two more passes over the file) and
 * compute dominators and retained sizes.
 * @param[out] out  freed with hs_graph_free()
 * @return 0, or a negative hs_code; HS_ECHANGED when a pass reads other
 *         bytes than the scan did (the file was overwritten or is still
 *         being written), at the offset where it was noticed if known
 */
int hs_graph_build(hs_graph **out, hs_dump *d, const hs_graph_opts *o, hs_error *err);
void hs_graph_free(hs_graph *g);

const hs_graph_stats *hs_graph_get_stats(const hs_graph *g);
/** The dump the graph was built from (borrowed). */
const hs_dump *hs_graph_dump(const hs_graph *g);
uint32_t hs_graph_nodes(const hs_graph *g);

/** Node of an object id, or 0 when the id is not an object of the dump. */
uint32_t hs_graph_node(const hs_graph *g, uint64_t id);
/** Object id of a node (0 for the virtual root). */
uint64_t hs_graph_id(const hs_graph *g, uint32_t node);
/** Class index of the object; for class objects HS_CLASS_OBJECT_BIT | the
 *  class's own index (their class is java.lang.Class). */
uint32_t hs_graph_class(const hs_graph *g, uint32_t node);
/** The class of an instance or array (borrowed from the dump); NULL for a
 *  class object, the virtual root or an object of no known class. */
const hs_class *hs_graph_class_of(const hs_graph *g, uint32_t node);
/** The first primitive array @p node references (a String's value array),
 *  0 when it references none. */
uint32_t hs_graph_value_array(const hs_graph *g, uint32_t node);
/** Class name to show for a node ("java.lang.Class" for class objects). */
const char *hs_graph_class_name(const hs_graph *g, uint32_t node);
uint64_t hs_graph_shallow(const hs_graph *g, uint32_t node);

/** An array as big as the graph's own, from the same budget: in memory
 *  within --max-memory, else in a file (see hs_open_opts.max_memory).
 *  Freed with hs_graph_array_free(). */
void *hs_graph_array(const hs_graph *g, size_t bytes, int zero, hs_error *err);
void hs_graph_array_free(const hs_graph *g, void *p);
/**
 * Room within --max-memory for @p bytes of new arrays that a search walks
 * at random (a shortest-path search's parent[]): when the arrays in memory
 * and those would pass it, the graph's arrays that a search of the
 * references does not read (shallow and retained sizes, the dominator
 * tree) move to files, all of them: what they leave also keeps more of
 * the references in the page cache when those are in a file.  Where a new
 * array lands decides the time: in a file too small a share of memory
 * leaves every random write a page read back and written out again
 * (20 s of a 32 s run in a cgroup of a quarter of the dump).  Nothing
 * when there is no budget, the room is there, or the graph is still read
 * from an index.
 */
void hs_graph_make_room(hs_graph *g, uint64_t bytes);
/**
 * The shortest-path tree from the GC roots (strong: weak referents
 * skipped) that the graph's index keeps, so that a path search need not
 * run again.  hs_graph_path_tree(): 1 and *out (an hs_graph_array(), the
 * parent of each node) when the index has it, 0 when not (the caller
 * searches), or an hs_code.  hs_graph_learn_path_tree(): a tree the caller
 * searched, kept for the index when the graph has one (written with it,
 * or the index rewritten when the command ends).
 */
int hs_graph_path_tree(hs_graph *g, int strong, uint32_t **out, hs_error *err);
void hs_graph_learn_path_tree(hs_graph *g, int strong, const uint32_t *parent);
/** The index's tree read ahead, on a thread of its own (with two threads
 *  or more) while the caller does something else; hs_graph_path_tree()
 *  then waits for it.  Nothing when the index has none. */
void hs_graph_path_tree_ahead(hs_graph *g, int strong);
/**
 * Numbers a command computed over the whole graph (the retained sizes of
 * groups of objects), kept by the graph's index under an exact key so
 * that the next command reads them instead.  hs_graph_learned(): 1 and
 * @p vals filled when the index holds @p nvals numbers under the key
 * @p key (@p nkey words), else 0 (the caller computes).
 * hs_graph_learn(): numbers the caller computed, kept for the index when
 * the graph has one (at most HS_GRAPH_LEARN_MAX keys in an index).
 */
#define HS_GRAPH_LEARN_MAX 4
int hs_graph_learned(hs_graph *g, const uint32_t *key, uint32_t nkey, uint64_t *vals, uint32_t nvals);
void hs_graph_learn(hs_graph *g, const uint32_t *key, uint32_t nkey, const uint64_t *vals, uint32_t nvals);

/**
 * Two hs_graph_array()s about to be written: @p fill (of @p fill_bytes)
 * set to all ones (0xff bytes) now, with another thread's help when the
 * dump was opened with two threads or more, and @p next (of @p
 * next_bytes; may be NULL), which the caller then writes front to back,
 * made and written once a page by that thread while the caller goes on
 * (in a virtual machine the first write to a page of a fresh array can
 * cost more than the work).  Returns what hs_graph_ahead_join() takes
 * before @p next is freed (NULL when nothing runs).
 */
struct hs_mem_ahead *hs_graph_ahead(const hs_graph *g, void *fill, size_t fill_bytes, void *next, size_t next_bytes);
void hs_graph_ahead_join(struct hs_mem_ahead *a);

/** Make sure the outgoing references are in memory: a graph read from an
 *  index (index.h) reads them when first needed.  Call before walking
 *  references (hs_graph_out()).  Returns 0 or a negative hs_code. */
int hs_graph_refs(hs_graph *g, hs_error *err);
/** Outgoing references (borrowed), but for the reference of an instance
 *  or array to its class, which hs_graph_class_ref() gives: it is not
 *  stored (the class index says it), and it comes after these in the
 *  order walks follow. */
const uint32_t *hs_graph_out(const hs_graph *g, uint32_t node, uint32_t *count);
/** The node the referent of a java.lang.ref.Reference (or subclass)
 *  instance leads to, one of its hs_graph_out() references; 0 when it is
 *  no Reference, its referent is null or not in the dump, or the graph
 *  leaves referents out (exclude_weak).  Walks that follow strong
 *  references only skip that one reference. */
uint32_t hs_graph_referent(const hs_graph *g, uint32_t node);
/** The class object an instance or array refers to, 0 for none. */
uint32_t hs_graph_class_ref(const hs_graph *g, uint32_t node);

/** Dominators: immediate dominator (0 = the virtual root; HS_NONE when
 *  unreachable), retained bytes and retained object count. */
uint32_t hs_graph_idom(const hs_graph *g, uint32_t node);
uint64_t hs_graph_retained(const hs_graph *g, uint32_t node);
uint64_t hs_graph_retained_count(const hs_graph *g, uint32_t node);
int hs_graph_reachable(const hs_graph *g, uint32_t node);

/** Children of a node in the dominator tree, sorted by retained size,
 *  largest first (borrowed). */
const uint32_t *hs_graph_dom_children(hs_graph *g, uint32_t node, uint32_t *count, hs_error *err);
/** 1 when hs_graph_dom_children_any() gives @p node's children in
 *  hs_graph_dom_children()'s order already (an earlier call sorted
 *  them), so that the first is the biggest; else 0. */
int hs_graph_dom_children_sorted(const hs_graph *g, uint32_t node);
/** Reachable objects (not the virtual root) and their shallow bytes by
 *  class key: the instances and arrays of class c (an index below
 *  hs_dump_class_count(), nc) under key c, the class object of c under
 *  key nc + c; objects of no class are left out.  @p objects and
 *  @p shallow have 2 * nc entries, all filled.  One pass in node order,
 *  split between the threads. */
int hs_graph_class_totals(hs_graph *g, uint64_t *objects, uint64_t *shallow, hs_error *err);
/** Retained bytes of sets of objects chosen by class key (as above),
 *  sets that may overlap: the objects of key k are members of the sets
 *  set_ids[set_off[k] .. set_off[k + 1]) (set_off: 2 * nc + 1 entries),
 *  each set at most once.
 *  A set's retained size counts each object once: the sum of the retained
 *  sizes of its members that no other member dominates.  One walk of
 *  the dominator tree in preorder, split between the threads by the
 *  root's children (no preorder array kept).
 *  @p retained: nsets entries, all filled. */
int hs_graph_retained_by_key_sets(hs_graph *g, const uint32_t *set_off, const uint32_t *set_ids, uint32_t nsets,
				  uint64_t *retained, hs_error *err);
/** The same children in no particular order (cheaper: no sort), for
 *  walks whose result does not depend on the order. */
const uint32_t *hs_graph_dom_children_any(hs_graph *g, uint32_t node, uint32_t *count, hs_error *err);

/** Every reachable instance of java.lang.Thread or a subclass (with a
 *  thread root or not), in node order: *out malloc'd (free() it), *count
 *  of them.  0, or an error (out of memory). */
int hs_graph_thread_objects(const hs_graph *g, uint32_t **out, uint32_t *count, hs_error *err);
/** The name of the class loader with this object id (0: the bootstrap),
 *  short or full, as hs_loader_names_all() gave it to the graph (or an
 *  index kept it); NULL when not named yet (borrowed). */
const char *hs_graph_loader_name(const hs_graph *g, uint64_t id, int full);
/** Keep those names (the graph owns @p short_name and @p full_name from
 *  here on, and frees them on an error too). */
int hs_graph_set_loader_name(hs_graph *g, uint64_t id, char *short_name, char *full_name, hs_error *err);
/** Thread object node -> thread name (NULL if unknown; borrowed). */
const char *hs_graph_thread_name(const hs_graph *g, uint32_t node);
/** The thread's name without the label's quotes, malloc'd (the caller
 *  frees it), or NULL if unknown. */
char *hs_graph_thread_name_dup(const hs_graph *g, uint32_t node);
/** A String's value without the label's quotes, malloc'd, or NULL if its
 *  label was not fetched (hs_graph_fetch_labels()) or it is no String. */
char *hs_graph_string_dup(const hs_graph *g, uint32_t node);
/** A short description of an object: a String's value, a collection's
 *  size ("size=12"), a thread's name; NULL if none (borrowed). */
const char *hs_graph_label(const hs_graph *g, uint32_t node);

/**
 * Fetch the labels (string values, collection sizes, thread names) of the
 * given nodes; may read the dump once more.  An error of that pass
 * (HS_ECHANGED: the file changed since the graph was built) names the
 * dump's file in its message, offset included.
 */
int hs_graph_fetch_labels(hs_graph *g, const uint32_t *nodes, uint32_t n, hs_error *err);

/* Internal: the dominator computation (src/graph/dominators.c), on a
 * plain CSR.  It is part of the graph layer, which runs it on the
 * references it has just built (hs_graph_build()); it reads no dump.
 * idom[v] for v in 0..n-1 gets the immediate dominator of v, idom[root]
 * = root, HS_NONE for unreachable; order receives the reachable nodes in
 * DFS preorder (count returned in *nreach). Memory is returned on error. */
int hs_dominators(uint32_t n, const uint32_t *off, const uint32_t *tgt, uint32_t root,
		  uint32_t *idom, uint32_t *order, uint32_t *nreach, int keep_unreachable,
		  hs_error *err);
/* The same, also reporting (when not NULL) how many of order[] the root
 * reaches by its own edges, before keep_unreachable hangs the rest under
 * it (== *nreach without it), and the most temporary memory it held at
 * once. */
int hs_dominators_ex(uint32_t n, const uint32_t *off, const uint32_t *tgt, uint32_t root,
		     uint32_t *idom, uint32_t *order, uint32_t *nreach, int keep_unreachable,
		     uint32_t *nrooted, uint64_t *temp_peak, hs_error *err);

/* The same, with the big temporaries from @p mem (src/mem.h: in memory
 * within its budget, else in files; NULL: malloc), and, when @p extra is
 * given, one more successor of each node v that the CSR does not store:
 * extra(extra_ctx, v), 0 for none, taken after v's stored edges (the
 * object graph's reference of an instance to its class). */
struct hs_mem;
int hs_dominators_mem(uint32_t n, const uint32_t *off, const uint32_t *tgt,
		      uint32_t (*extra)(const void *ctx, uint32_t v), const void *extra_ctx,
		      uint32_t root, uint32_t *idom, uint32_t *order, uint32_t *nreach,
		      int keep_unreachable, uint32_t *nrooted, uint64_t *temp_peak, struct hs_mem *mem,
		      void (*progress)(void *ctx, uint64_t done, uint64_t total), void *progress_ctx,
		      hs_error *err);

#endif
