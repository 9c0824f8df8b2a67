/*
 * loaders.h - class loaders named by what they are, not where they are.
 */
#ifndef HEAPSCAN_LOADERS_H
#define HEAPSCAN_LOADERS_H

#include <stdint.h>

#include "heapscan/graph.h"

/**
 * Names of class loaders that stay the same from run to run (no
 * addresses): "bootstrap" for id 0; ClassLoader.name when set ("app",
 * "platform", "plugin-loader-7"); "webapp /payments" for a Tomcat web
 * application's loader (its resources.context.path); else the class and
 * its parent ("URLClassLoader (child of app)").  Loaders left with the
 * same name get " #1", " #2", ... by the number of classes they define,
 * most first.  With @p full the loader's class follows in parentheses
 * when the name does not say it: "app (jdk.internal.loader.ClassLoaders$AppClassLoader)".
 * Reads the loaders' fields from the dump again.
 * @param[out] out  n malloc'd strings, the caller frees each
 */
int hs_loader_names(hs_graph *g, const uint64_t *ids, uint32_t n, int full, char **out, hs_error *err);

/**
 * How reports name some objects: a class object as "class NAME" (*cls)
 * with the static field that holds the biggest object it dominates
 * ("static CACHE", *detail); a class loader by "loader NAME"
 * (hs_loader_names(), *detail).  NULL where the object is neither: the
 * report's usual class name and label apply.  The loaders of @p nodes must
 * be unique (a node listed once).
 * @param[out] cls, detail  n malloc'd strings or NULLs, the caller frees each
 */
/** Name every loader of the dump (and the ids in @p more) once, into the
 *  graph (hs_graph_loader_name()), which an index keeps: hs_loader_names()
 *  then reads nothing. */
int hs_loader_names_all(hs_graph *g, const uint64_t *more, uint32_t nmore, hs_error *err);

int hs_object_descs(hs_graph *g, const uint32_t *nodes, uint32_t n, char **cls, char **detail, hs_error *err);

#endif
