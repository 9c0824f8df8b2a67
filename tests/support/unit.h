/*
 * unit.h - what the unit suites (tests/unit/check_*.c) share: running a
 * Check suite, and a synthetic dump written, opened and its graph built.
 */
#ifndef HEAPSCAN_TESTS_UNIT_H
#define HEAPSCAN_TESTS_UNIT_H

#include <stddef.h>

#include <check.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"
#include "hprof_writer.h"

/* Runs @p s (CK_NORMAL) and frees it: EXIT_SUCCESS when no test failed,
 * else EXIT_FAILURE, for main() to return. */
int tu_run(Suite *s);

/* @p w written to $TMPDIR (else /tmp) as heapscan-check-TAG-PID.hprof,
 * its name in @p path (@p cap bytes), and freed; the dump opened with
 * object ids and its graph built with the default options.  Fails the
 * test on any error. */
void tu_open(hw *w, const char *tag, char *path, size_t cap, hs_dump **d, hs_graph **g);

/* The graph and dump freed, set to NULL, and the file removed. */
void tu_close(hs_dump **d, hs_graph **g, const char *path);

#endif
