/*
 * stacks.h - threads by where they stand: their top stack frames, and
 * pile-ups (many threads waiting at the same frames).
 */
#ifndef HEAPSCAN_STACKS_H
#define HEAPSCAN_STACKS_H

#include <stdint.h>

#include "heapscan/dump.h"

/** 1 when two frames are the same method (class and name; lines may
 *  differ, frame ids always do: each thread's frames have their own). */
int hs_frames_same(const hs_dump *d, uint64_t a, uint64_t b);

/** 1 when a frame's class is the JDK's (java., javax., jdk., sun., com.sun.). */
int hs_frame_is_jdk(const hs_dump *d, uint64_t frame);

/**
 * The frames frames[0..n) (top of the stack first) as text, caller first:
 * "HikariPool.getConnection -> ConcurrentBag.borrow -> ... -> Unsafe.park";
 * simple class names unless @p full.  Malloc'd, NULL when out of memory.
 */
char *hs_frames_text(const hs_dump *d, const uint64_t *frames, uint32_t n, int full);

/**
 * How many top frames place a thread: from the top of the stack through
 * its second frame outside the JDK (the application's method and its
 * caller), or the whole stack when it has fewer.
 */
uint32_t hs_stack_key_len(const hs_dump *d, const uint64_t *frames, uint32_t n);

/** A group of threads standing at the same top frames. */
typedef struct hs_stack_group {
	uint32_t *threads;        /* indices into hs_dump_threads(), owned */
	uint32_t n;
	const uint64_t *frames;   /* the first member's frames, borrowed from the dump */
	uint32_t nframes;         /* hs_stack_key_len() of them */
} hs_stack_group;

/**
 * Group the dump's threads with a stack by their hs_stack_key_len() top
 * frames (threads without frames are left out), biggest groups first,
 * ties in the order of their first thread.
 * @param[out] out  *n groups; free with hs_stack_groups_free()
 */
int hs_stack_groups(const hs_dump *d, hs_stack_group **out, uint32_t *n, hs_error *err);
void hs_stack_groups_free(hs_stack_group *groups, uint32_t n);

/**
 * What a thread waits in, from its whole stack frames[0..n): "park" (LockSupport.park: a lock, a
 * queue, a pool), "monitor" (Object.wait), "socket" (a blocking socket or
 * selector read), or NULL when its top frame is no wait.  Idle workers of
 * a thread pool (waiting for a task in getTask(), awaitWork(), a delay
 * queue's take()) and Thread.sleep are not waits for something: NULL.
 */
const char *hs_stack_wait_kind(const hs_dump *d, const uint64_t *frames, uint32_t n);

#endif
