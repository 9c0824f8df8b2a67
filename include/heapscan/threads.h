/*
 * threads.h - the thread overview (after MAT's): every live thread with
 * its name, daemon flag and retained size, biggest first; threads grouped
 * by name pattern or by the frames they stand at; and the name patterns
 * that group threads ("http-nio-8080-exec-12" -> "http-nio-8080-exec-*").
 */
#ifndef HEAPSCAN_THREADS_H
#define HEAPSCAN_THREADS_H

#include <stddef.h>
#include <stdint.h>

#include "heapscan/dump.h"
#include "heapscan/graph.h"

typedef struct hs_thread {
	uint32_t node;
	const hs_thread_info *info;   /* NULL: a Thread object without a thread root */
	char *name;                   /* never NULL ("<unnamed>") */
	int daemon;
} hs_thread;

typedef struct hs_thread_list {
	hs_thread *t;
	uint32_t n;
} hs_thread_list;

/**
 * The threads of the dump's thread roots, then every other Thread object
 * the roots reach (compiler threads, threads not started or ended), by
 * retained size, biggest first (ties in that order).
 * @param[out] out  release with hs_threads_release()
 */
int hs_threads_list(hs_thread_list *out, hs_graph *g, hs_error *err);
void hs_threads_release(hs_thread_list *l);

/** A group of threads: by name pattern, or by the top frames they share. */
typedef struct hs_thread_group {
	char *pattern;            /* by name: the pattern; by frame: NULL */
	char *frames;             /* by frame: the frames, caller first, full
	                             class names (hs_frames_text()); else NULL */
	const char *wait;         /* by frame: hs_stack_wait_kind() or NULL */
	uint64_t count, retained, retained_objects;
} hs_thread_group;

/** The threads of @p l by name pattern (hs_name_groups()), the groups by
 *  retained size, biggest first (ties in order of appearance). */
int hs_threads_by_name(const hs_thread_list *l, const hs_graph *g, hs_thread_group **out, uint32_t *n,
		       hs_error *err);
/** The dump's threads with a stack by their top frames
 *  (hs_stack_groups(): biggest groups first). */
int hs_threads_by_frame(const hs_dump *d, const hs_graph *g, hs_thread_group **out, uint32_t *n, hs_error *err);
void hs_thread_groups_free(hs_thread_group *g, uint32_t n);

/** A stack frame as Java prints it: "a.B.m(B.java:12)",
 *  "a.B.m(Native Method)", "a.B.m(Unknown Source)". */
void hs_thread_frame_text(const hs_dump *d, const hs_frame *f, char *buf, size_t n);

/** "http-nio-8080-exec-12" -> "http-nio-*-exec-*" (malloc'd): the key
 *  that groups threads by name. */
char *hs_name_pattern(const char *name);

/** The name shown for a group: start from one member's name and call this
 *  with every other member's (same hs_name_pattern()); digit runs that
 *  differ become '*', those all share stay: "http-nio-8080-exec-*". */
void hs_name_pattern_keep(char *shown, const char *name);

/**
 * Group names (of threads) by hs_name_pattern().  group_of[i] receives the
 * group of names[i], groups numbered in the order they first appear;
 * *shown their names as hs_name_pattern_keep() makes them (*ngroups of
 * them, free with hs_name_groups_free()).  Returns 0 or -1 (no memory).
 */
int hs_name_groups(const char *const *names, uint32_t n, uint32_t *group_of, char ***shown,
		   uint32_t *ngroups);
void hs_name_groups_free(char **shown, uint32_t ngroups);

#endif
