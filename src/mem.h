/*
 * mem.h - the big per-object arrays, in memory or in files (see mem.c).
 * Internal.
 */
#ifndef HEAPSCAN_MEM_H
#define HEAPSCAN_MEM_H

#include <stddef.h>
#include <pthread.h>
#include <stdint.h>

#include "heapscan/error.h"

/* Freed arrays kept for reuse at most (hs_mem_free()). */
#define HS_MEM_KEPT_MAX 4

struct hs_mem_block {
	void *p;
	size_t bytes;
	int spilled;          /* a mapping of an unlinked file */
	int mapped;           /* in memory, a mapping of its own (1 MB and
	                         more): hs_mem_to_file() can move it */
	int own_file;         /* in a file of its own (not a part of one that
	                         holds others): hs_mem_to_memory() can move it */
};

typedef struct hs_mem {
	uint64_t budget;      /* bytes the arrays may take in memory; 0: no limit */
	uint64_t used, peak;  /* in memory now, and the most at once */
	uint64_t spilled, spilled_peak;   /* in files now, and the most at once */
	uint64_t spills;      /* arrays put in files */
	char *tmpdir;         /* where the files go (NULL: $TMPDIR or /tmp) */
	struct hs_mem_block *blocks;
	size_t nblocks, cap;
	/* arrays freed but kept for the next of about their size (see
	 * hs_mem_free()): their pages are made already */
	struct hs_mem_block kept[HS_MEM_KEPT_MAX];
	unsigned nkept;
	uint64_t kept_bytes, reused;   /* kept now; bytes handed out again */
	uint64_t moved, moved_bytes;   /* arrays hs_mem_to_file() moved */
} hs_mem;

/** @p budget 0 for no limit; @p tmpdir is copied (NULL: $TMPDIR, /tmp). */
int hs_mem_init(hs_mem *m, uint64_t budget, const char *tmpdir);
void hs_mem_release(hs_mem *m);

/** hs_mem_alloc()'s @p zero: zeroed, its pages not made yet (the caller
 *  has them made, hs_mem_populate(), on another thread). */
#define HS_MEM_ZERO_LATER 2
/** hs_mem_alloc()'s @p zero: zeroed, and in a file whenever there is a
 *  budget at all (an array that the phase to come does not read, whose
 *  memory another one that it reads at random should have). */
#define HS_MEM_FILE 3

/**
 * An array of @p bytes (zeroed when @p zero): in memory while the budget
 * allows, else in a file of the temporary folder, mapped, and unlinked at
 * once so that nothing is left behind on exit, error or signal.  With
 * m == NULL plain malloc/calloc.  NULL and err set when neither works.
 */
void *hs_mem_alloc(hs_mem *m, size_t bytes, int zero, hs_error *err);
/**
 * Free what hs_mem_alloc() gave; NULL is allowed.  An array of 1 MB or
 * more in memory is kept instead (at most HS_MEM_KEPT_MAX) and handed
 * out again by the next hs_mem_alloc() of about its size (at most a
 * fifth bigger), zeroed by memset when asked: its pages are made and
 * written already, where a fresh array's first write to each page costs
 * a fault, the kernel's zeroing and, in a virtual machine, the host's
 * backing.  An allocation that no kept array fits frees them all first,
 * so the arrays in memory never add up to more than without keeping.
 */
void hs_mem_free(hs_mem *m, void *p);
/** Free the arrays hs_mem_free() kept. */
void hs_mem_trim(hs_mem *m);
/**
 * Move array @p p (of m, in memory) to a file of the temporary folder, at
 * the same address: its contents are written to the file, which is then
 * mapped over it.  For an array that a phase to come does not walk at
 * random, to leave the budget's memory to one that it does.  Nothing may
 * write the array meanwhile.  0 when moved; -1 when it cannot be (not an
 * array of m, in a file already, under 1 MB, the file not written), the
 * array as it was.
 */
int hs_mem_to_file(hs_mem *m, void *p);
/**
 * The other way: array @p p (of m, in a file of its own) copied into a
 * mapping of memory put at its address, when the budget holds it.  For
 * an array that a phase to come reads at random.  0 when moved, -1 when
 * not (no room, not such an array, no memory), the array as it was.
 */
int hs_mem_to_memory(hs_mem *m, void *p);
/** The pages of @p p (an array not touched yet) made now, writable, in
 *  one call: no fault for each 4 KB page later.  A zeroed array gets it
 *  from hs_mem_alloc(): code that reads an entry before writing it (a
 *  counter, a "seen" test) would otherwise map the shared zero page
 *  first and fault again on the write, and that second fault flushes
 *  the page from every processor that runs a thread of the process.
 *  For 1 MB and more; where the kernel cannot (before Linux 5.14, or
 *  memory in a file), nothing. */
void hs_mem_populate(void *p, size_t bytes);
/** hs_mem_populate(), then a write to each page that leaves it as it is
 *  (another thread may be writing the array meanwhile).  In a virtual
 *  machine the first write to a page can cost the host's work as well,
 *  which making the page does not: measured here, 1.1 ns a byte on the
 *  first pass over a made array, 0.08 ns on the next. */
void hs_mem_touch(void *p, size_t bytes);

/**
 * Arrays a thread is about to write, made on another (in a virtual
 * machine, the first write to each page of a big fresh array costs more
 * than the work that fills it).  Fills: arrays set to all ones (0xff
 * bytes; NONE in each uint32_t) by the caller and the other thread
 * together, in 4 MB chunks taken from a counter, each chunk's pages
 * made first.  Touches: arrays the caller then writes front to back,
 * made and written once a page (hs_mem_touch()) by the other thread
 * alone, a few MB of each in turn, while the caller goes on; not those
 * in files (their pages would fill the memory the budget keeps them out
 * of).  The other thread runs at the lowest priority: it takes what the
 * process's other threads leave of a core.
 *
 * hs_mem_ahead_init(), then _fill() and _touch() for each array (at most
 * HS_MEM_AHEAD_MAX of each), then hs_mem_ahead_start(): with @p thread,
 * the other thread starts; the caller takes fill chunks too and returns
 * once every array to fill is filled (it waits only for the chunks the
 * other thread is in the middle of).  hs_mem_ahead_join() before the
 * touched arrays are freed: it stops the touches (a caller done early,
 * a search that found what it looked for, does not wait for the rest),
 * waits for the thread, and the lists are empty again for another round.  Without a thread (or when it cannot
 * start), the caller fills and nothing is touched.
 */
#define HS_MEM_AHEAD_MAX 4
typedef struct hs_mem_ahead {
	const hs_mem *mem;
	unsigned char *fill[HS_MEM_AHEAD_MAX], *touch[HS_MEM_AHEAD_MAX];
	size_t fill_bytes[HS_MEM_AHEAD_MAX], touch_bytes[HS_MEM_AHEAD_MAX];
	int nfill, ntouch, started;
	size_t chunks, next, done;   /* fill chunks; taken and done (atomic) */
	int stop;                    /* (atomic) no more touches: joined */
	pthread_t th;
} hs_mem_ahead;
void hs_mem_ahead_init(hs_mem_ahead *a, const hs_mem *m);
void hs_mem_ahead_fill(hs_mem_ahead *a, void *p, size_t bytes);
void hs_mem_ahead_touch(hs_mem_ahead *a, void *p, size_t bytes);
void hs_mem_ahead_start(hs_mem_ahead *a, int thread);
void hs_mem_ahead_join(hs_mem_ahead *a);

/**
 * A file of the temporary folder (unlinked at once) that holds arrays
 * whose phase is paused: written, freed, then read back or mapped when
 * needed again.  fd -1: none.
 */
typedef struct hs_mem_file {
	int fd;
	uint64_t bytes;       /* written so far (the end of the last write) */
} hs_mem_file;

#define HS_MEM_FILE_NONE { -1, 0 }

/** A new empty file (m: its folder); -1 and err set when it cannot be made. */
int hs_mem_file_new(hs_mem *m, hs_mem_file *f, hs_error *err);
/** Write @p bytes at offset @p at: 0, or -1 (no space, I/O error). */
int hs_mem_file_write(hs_mem_file *f, uint64_t at, const void *p, size_t bytes);
/** Read @p bytes at offset @p at: 0, or -1. */
int hs_mem_file_read(const hs_mem_file *f, uint64_t at, void *p, size_t bytes);
/**
 * Map @p bytes at offset @p at (a multiple of the page size) as an array
 * of m, freed with hs_mem_free() like a spilled one: its pages are read
 * when touched.  NULL and err set on failure.
 */
void *hs_mem_file_map(hs_mem *m, const hs_mem_file *f, uint64_t at, size_t bytes, hs_error *err);
void hs_mem_file_close(hs_mem_file *f);
/** Whether @p p is an array of m that lives in a file already. */
int hs_mem_in_file(const hs_mem *m, const void *p);

/**
 * The default budget: a share of the memory this process may use, the
 * smaller of the machine's physical memory and the memory cgroup's limit
 * (v2 memory.max, v1 memory.limit_in_bytes).  0 when unknown.
 */
uint64_t hs_mem_default_budget(void);
/** The smaller of physical memory and the cgroup limit, 0 when unknown. */
uint64_t hs_mem_available(void);
/** Memory free for the page cache now: the smaller of the kernel's
 *  MemAvailable and, for each memory cgroup level with a limit, that
 *  limit less the group's usage; UINT64_MAX when nothing says. */
uint64_t hs_mem_room(void);

#endif
