/*
 * mem.c - the big per-object arrays (classes, sizes, references, dominator
 * tree, retained sizes), in memory or in files.
 *
 * A dump bigger than the memory heapscan may use must still be analysed
 * (on a laptop, or in a container whose memory cgroup would OOM-kill it).
 * Every big array is asked for here.  While the arrays in memory stay
 * within the budget they are anonymous mappings of their own (malloc below
 * 1 MB); past it, an array goes to a file
 * of the temporary folder, sized with ftruncate (sparse: zero for free),
 * mapped shared, and unlinked at once: the kernel writes its pages out
 * under memory pressure and reads them back when touched, and the file
 * disappears with the mapping however the process ends (exit, error,
 * Ctrl-C, kill).  The budget counts only these arrays; the rest (id map,
 * class tables, labels) is small beside them.
 *
 * An array whose phase is paused can also be written to such a file and
 * freed (hs_mem_file_*): the dominators do it with the references, which
 * they only read front to back once their DFS is done, and the graph maps
 * them back when a command walks them.
 *
 * Which arrays get the memory decides the time when not all can: an array
 * read or written at random in a file costs a page read and written back
 * for each miss, one read front to back costs little.  So an array in
 * memory can move to a file at the same address (hs_mem_to_file(): its
 * bytes written, the file mapped over it) and back (hs_mem_to_memory()),
 * and the graph moves out those that the next phase does not read at
 * random.  A freed array of 1 MB or more is kept for the next one of about
 * its size (hs_mem_free()): its pages are made already.
 *
 * Data structure: a list of the blocks handed out, with their size and
 * where they live, so that hs_mem_free() knows how to give each back, and
 * the few freed ones kept.  Arrays are few (tens), so a linear search is
 * fine.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mem.h"

int hs_mem_init(hs_mem *m, uint64_t budget, const char *tmpdir)
{
	memset(m, 0, sizeof(*m));
	m->budget = budget;
	if (tmpdir && !(m->tmpdir = strdup(tmpdir)))
		return HS_ENOMEM;
	return 0;
}

void hs_mem_release(hs_mem *m)
{
	size_t i;
	if (!m)
		return;
	hs_mem_trim(m);
	for (i = 0; i < m->nblocks; i++) {
		if (m->blocks[i].spilled || m->blocks[i].mapped)
			munmap(m->blocks[i].p, m->blocks[i].bytes ? m->blocks[i].bytes : 1);
		else
			free(m->blocks[i].p);
	}
	free(m->blocks);
	free(m->tmpdir);
	memset(m, 0, sizeof(*m));
}

/* A new file of the temporary folder, already unlinked; -1 and err set
 * when none can be made (@p bytes: what it was for, for the message). */
static int temp_fd(const hs_mem *m, size_t bytes, hs_error *err)
{
	const char *dir = m && m->tmpdir ? m->tmpdir : getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/heapscan-XXXXXX", dir) >= sizeof(path)) {
		hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "temporary folder name too long: %s", dir);
		return -1;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		hs_error_set(err, HS_EIO, HS_NO_OFFSET,
			     "cannot make a temporary file in %s for %zu bytes beyond the memory limit: %s",
			     dir, bytes, strerror(errno));
		return -1;
	}
	unlink(path);   /* gone with the mapping, however the process ends */
	return fd;
}

/* A mapping of a new, already unlinked file of @p bytes. */
static void *spill(hs_mem *m, size_t bytes, hs_error *err)
{
	const char *dir = m->tmpdir ? m->tmpdir : getenv("TMPDIR");
	void *p;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = temp_fd(m, bytes, err);
	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t)(bytes ? bytes : 1)) < 0) {
		hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot size a temporary file in %s to %zu bytes: %s",
			     dir, bytes, strerror(errno));
		close(fd);
		return NULL;
	}
	p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "cannot map a temporary file of %zu bytes: %s",
			     bytes, strerror(errno));
		return NULL;
	}
	return p;
}

/* The block list grows by one; -1 when memory is out. */
static int add_block(hs_mem *m, void *p, size_t bytes, int spilled, hs_error *err)
{
	if (m->nblocks == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		struct hs_mem_block *nb = realloc(m->blocks, cap * sizeof(*nb));
		if (!nb) {
			hs_error_oom(err, NULL);
			return -1;
		}
		m->blocks = nb;
		m->cap = cap;
	}
	m->blocks[m->nblocks].p = p;
	m->blocks[m->nblocks].bytes = bytes;
	m->blocks[m->nblocks].spilled = spilled;
	m->blocks[m->nblocks].mapped = 0;
	m->blocks[m->nblocks].own_file = 0;
	m->nblocks++;
	return 0;
}

int hs_mem_file_new(hs_mem *m, hs_mem_file *f, hs_error *err)
{
	f->bytes = 0;
	f->fd = temp_fd(m, 0, err);
	return f->fd < 0 ? -1 : 0;
}

int hs_mem_file_write(hs_mem_file *f, uint64_t at, const void *p, size_t bytes)
{
	const char *c = p;
	while (bytes > 0) {
		ssize_t w = pwrite(f->fd, c, bytes > (1u << 30) ? (1u << 30) : bytes, (off_t)at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		at += (uint64_t)w;
		bytes -= (size_t)w;
	}
	if (at > f->bytes)
		f->bytes = at;
	return 0;
}

int hs_mem_file_read(const hs_mem_file *f, uint64_t at, void *p, size_t bytes)
{
	char *c = p;
	while (bytes > 0) {
		ssize_t r = pread(f->fd, c, bytes > (1u << 30) ? (1u << 30) : bytes, (off_t)at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		at += (uint64_t)r;
		bytes -= (size_t)r;
	}
	return 0;
}

void *hs_mem_file_map(hs_mem *m, const hs_mem_file *f, uint64_t at, size_t bytes, hs_error *err)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, (off_t)at);
	if (p == MAP_FAILED) {
		hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "cannot map a temporary file of %zu bytes: %s",
			     bytes, strerror(errno));
		return NULL;
	}
	if (add_block(m, p, bytes, 1, err) < 0) {
		munmap(p, bytes ? bytes : 1);
		return NULL;
	}
	m->spilled += bytes;
	if (m->spilled > m->spilled_peak)
		m->spilled_peak = m->spilled;
	return p;
}

void hs_mem_file_close(hs_mem_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->bytes = 0;
}

/* The block handed out as @p p, or NULL (not one of m's). */
static struct hs_mem_block *find_block(const hs_mem *m, const void *p)
{
	size_t i;
	for (i = 0; m && i < m->nblocks; i++)
		if (m->blocks[i].p == p)
			return &m->blocks[i];
	return NULL;
}

int hs_mem_in_file(const hs_mem *m, const void *p)
{
	const struct hs_mem_block *b = find_block(m, p);
	return b && b->spilled;
}

void hs_mem_populate(void *p, size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, e = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
	if (bytes >= (1u << 20) && e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)bytes;
#endif
}

void hs_mem_touch(void *p, size_t bytes)
{
	unsigned char *c = p, *e = c + bytes;
	hs_mem_populate(p, bytes);
	/* one byte of each page, as it is: an atomic or of 0, so that a
	 * write of another thread to that byte meanwhile stays */
	for (c = (unsigned char *)(((uintptr_t)c + 4095) & ~(uintptr_t)4095); c < e; c += 4096)
		(void)__atomic_fetch_or(c, (unsigned char)0, __ATOMIC_RELAXED);
}

#define AHEAD_STEP (4u << 20)

void hs_mem_ahead_init(hs_mem_ahead *a, const hs_mem *m)
{
	memset(a, 0, sizeof(*a));
	a->mem = m;
}

void hs_mem_ahead_fill(hs_mem_ahead *a, void *p, size_t bytes)
{
	if (p && a->nfill < HS_MEM_AHEAD_MAX) {
		a->fill[a->nfill] = p;
		a->fill_bytes[a->nfill++] = bytes;
		a->chunks += (bytes + AHEAD_STEP - 1) / AHEAD_STEP;
	} else if (p) {
		memset(p, 0xff, bytes);
	}
}

void hs_mem_ahead_touch(hs_mem_ahead *a, void *p, size_t bytes)
{
	if (p && a->ntouch < HS_MEM_AHEAD_MAX && bytes >= AHEAD_STEP && !hs_mem_in_file(a->mem, p)) {
		a->touch[a->ntouch] = p;
		a->touch_bytes[a->ntouch++] = bytes;
	}
}

/* fill chunks until none is left to take */
static void ahead_fill(hs_mem_ahead *a)
{
	size_t c, k;
	while ((c = __atomic_fetch_add(&a->next, 1, __ATOMIC_RELAXED)) < a->chunks) {
		size_t at, len;
		int i = 0;
		while (c >= (k = (a->fill_bytes[i] + AHEAD_STEP - 1) / AHEAD_STEP)) {   /* array i's chunks */
			c -= k;
			i++;
		}
		at = c * AHEAD_STEP;
		len = a->fill_bytes[i] - at < AHEAD_STEP ? a->fill_bytes[i] - at : AHEAD_STEP;
		hs_mem_populate(a->fill[i] + at, len);   /* the pages in one call, not a fault each */
		memset(a->fill[i] + at, 0xff, len);
		__atomic_fetch_add(&a->done, 1, __ATOMIC_RELEASE);
	}
}

static void *ahead_run(void *arg)
{
	hs_mem_ahead *a = arg;
	size_t at, most = 0;
	int i;
	/* only what a core has to spare (Linux: the nice value is the
	 * thread's own) */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
	ahead_fill(a);
	for (i = 0; i < a->ntouch; i++)
		most = a->touch_bytes[i] > most ? a->touch_bytes[i] : most;
	for (at = 0; at < most && !__atomic_load_n(&a->stop, __ATOMIC_RELAXED); at += AHEAD_STEP)
		for (i = 0; i < a->ntouch; i++)
			if (at < a->touch_bytes[i])
				hs_mem_touch(a->touch[i] + at,
					     a->touch_bytes[i] - at < AHEAD_STEP ? a->touch_bytes[i] - at : AHEAD_STEP);
	return NULL;
}

void hs_mem_ahead_start(hs_mem_ahead *a, int thread)
{
	a->started = thread && (a->chunks || a->ntouch) && pthread_create(&a->th, NULL, ahead_run, a) == 0;
	ahead_fill(a);
	while (__atomic_load_n(&a->done, __ATOMIC_ACQUIRE) < a->chunks)
		sched_yield();
}

void hs_mem_ahead_join(hs_mem_ahead *a)
{
	__atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
	if (a->started)
		pthread_join(a->th, NULL);
	hs_mem_ahead_init(a, a->mem);
}

#define KEEP_MIN (1u << 20)

void hs_mem_trim(hs_mem *m)
{
	unsigned i;
	for (i = 0; m && i < m->nkept; i++)
		munmap(m->kept[i].p, m->kept[i].bytes);
	if (m) {
		m->nkept = 0;
		m->kept_bytes = 0;
	}
}

/* A kept array for @p bytes (hs_mem_free()), taken off the list, or NULL:
 * the smallest that holds them and wastes at most a fifth of it.  Not for
 * HS_MEM_ZERO_LATER, whose caller makes the pages on another thread:
 * zeroing a kept array would be this thread's work. */
static void *take_kept(hs_mem *m, size_t bytes, int zero)
{
	unsigned i, best = HS_MEM_KEPT_MAX;
	void *p;
	if (bytes < KEEP_MIN || zero == HS_MEM_ZERO_LATER || (zero == HS_MEM_FILE && m->budget))
		return NULL;
	for (i = 0; i < m->nkept; i++)
		if (m->kept[i].bytes >= bytes && m->kept[i].bytes - bytes <= m->kept[i].bytes / 5 &&
		    (best == HS_MEM_KEPT_MAX || m->kept[i].bytes < m->kept[best].bytes))
			best = i;
	if (best == HS_MEM_KEPT_MAX)
		return NULL;
	p = m->kept[best].p;
	m->kept_bytes -= m->kept[best].bytes;
	m->kept[best] = m->kept[--m->nkept];
	if (zero)
		memset(p, 0, bytes);
	m->reused += bytes;
	return p;
}

void *hs_mem_alloc(hs_mem *m, size_t bytes, int zero, hs_error *err)
{
	struct hs_mem_block b;
	if (!m) {
		void *p = zero ? calloc(bytes ? bytes : 1, 1) : malloc(bytes ? bytes : 1);
		if (!p)
			hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory (%zu bytes)", bytes);
		return p;
	}
	if (m->nblocks == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		struct hs_mem_block *nb = realloc(m->blocks, cap * sizeof(*nb));
		if (!nb) {
			hs_error_oom(err, NULL);
			return NULL;
		}
		m->blocks = nb;
		m->cap = cap;
	}
	b.bytes = bytes;
	b.mapped = 0;
	b.own_file = 0;
	b.spilled = 0;
	if ((b.p = take_kept(m, bytes, zero)) != NULL) {
		b.mapped = 1;   /* in memory, its pages made already */
	} else {
		/* none fits: the kept ones go before anything big is made */
		if (bytes >= KEEP_MIN)
			hs_mem_trim(m);
		b.spilled = m->budget && (m->used + bytes > m->budget || zero == HS_MEM_FILE);
		if (!b.spilled && bytes >= KEEP_MIN) {
			/* a mapping of its own (zeroed, as every new one),
			 * which hs_mem_to_file() can replace with a file's */
			b.p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (b.p == MAP_FAILED)   /* a file may still do */
				b.spilled = 1;
			else if (zero && zero != HS_MEM_ZERO_LATER)
				hs_mem_populate(b.p, bytes);
			b.mapped = b.p != MAP_FAILED;
		} else if (!b.spilled) {
			b.p = zero ? calloc(bytes ? bytes : 1, 1) : malloc(bytes ? bytes : 1);
			if (!b.p)   /* the allocator said no: a file may still do */
				b.spilled = 1;
		}
	}
	if (b.spilled) {
		b.own_file = 1;
		b.p = spill(m, bytes, err);
		if (!b.p)
			return NULL;
		m->spilled += bytes;
		m->spills++;
		if (m->spilled > m->spilled_peak)
			m->spilled_peak = m->spilled;
	} else {
		m->used += bytes;
		if (m->used > m->peak)
			m->peak = m->used;
	}
	m->blocks[m->nblocks++] = b;
	return b.p;
}

void hs_mem_free(hs_mem *m, void *p)
{
	struct hs_mem_block *b;
	if (!p)
		return;
	if (!(b = find_block(m, p))) {
		free(p);   /* not ours (or no m): a plain allocation */
		return;
	}
	if (b->spilled) {
		munmap(b->p, b->bytes ? b->bytes : 1);
		m->spilled -= b->bytes;
	} else {
		m->used -= b->bytes;
		if (b->mapped && m->nkept < HS_MEM_KEPT_MAX) {
			m->kept[m->nkept++] = *b;
			m->kept_bytes += b->bytes;
		} else if (b->mapped) {
			munmap(b->p, b->bytes);
		} else {
			free(b->p);
		}
	}
	*b = m->blocks[--m->nblocks];
}

/* A number from a one-line file ("max" and errors: 0, no limit). */
static uint64_t read_limit(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned long long v = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	/* v1 says "no limit" with a huge number (PAGE_COUNTER_MAX pages) */
	return v >= (1ull << 60) ? 0 : (uint64_t)v;
}

/* A number in a file of the cgroup tree, or @p none. */
static uint64_t read_number(const char *path, uint64_t none)
{
	FILE *f = fopen(path, "r");
	unsigned long long v;
	if (!f)
		return none;
	if (fscanf(f, "%llu", &v) != 1)
		v = none;
	fclose(f);
	return (uint64_t)v;
}

/* The smallest limit on the group's path and its ancestors ("/a/b", then
 * "/a", then the root), 0 for none; with @p usage, in *room the smallest
 * of a level's limit less its usage (UINT64_MAX for none). */
static uint64_t group_limit(const char *root, const char *group, const char *limit, const char *usage,
			    uint64_t *room)
{
	char g[4096], path[8300];
	uint64_t best = 0;
	snprintf(g, sizeof(g), "%s", group);
	if (room)
		*room = UINT64_MAX;
	for (;;) {
		uint64_t v, use;
		char *slash;
		snprintf(path, sizeof(path), "%s%s/%s", root, strcmp(g, "/") ? g : "", limit);
		v = read_limit(path);
		if (v && (!best || v < best))
			best = v;
		if (v && usage && room) {
			snprintf(path, sizeof(path), "%s%s/%s", root, strcmp(g, "/") ? g : "", usage);
			use = read_number(path, 0);
			if ((v > use ? v - use : 0) < *room)
				*room = v > use ? v - use : 0;
		}
		if (!g[0] || strcmp(g, "/") == 0 || !(slash = strrchr(g, '/')))
			break;
		if (slash == g)
			strcpy(g, "/");
		else
			*slash = '\0';
	}
	return best;
}

/* The smallest memory cgroup limit of this process (0: none) and, with
 * @p room, the smallest room under one (UINT64_MAX: none). */
static uint64_t cgroup_limit(uint64_t *room)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[4096];
	uint64_t best = 0;
	if (room)
		*room = UINT64_MAX;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b, *nl;
		uint64_t v = 0, r = UINT64_MAX;
		if (!a || !(b = strchr(a + 1, ':')))
			continue;
		if ((nl = strchr(b, '\n')))
			*nl = '\0';
		*b = '\0';
		if (strcmp(a + 1, "") == 0 && strncmp(line, "0", 1) == 0)
			v = group_limit("/sys/fs/cgroup", b + 1, "memory.max", "memory.current", &r);   /* v2 */
		else if (strstr(a + 1, "memory"))
			v = group_limit("/sys/fs/cgroup/memory", b + 1, "memory.limit_in_bytes",
					"memory.usage_in_bytes", &r);
		if (v && (!best || v < best))
			best = v;
		if (room && r < *room)
			*room = r;
	}
	fclose(f);
	return best;
}

uint64_t hs_mem_room(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[4096];
	uint64_t best = UINT64_MAX, cg;
	if (f) {
		unsigned long long kb;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
				best = (uint64_t)kb * 1024;
				break;
			}
		fclose(f);
	}
	(void)cgroup_limit(&cg);
	return cg < best ? cg : best;
}

uint64_t hs_mem_available(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	uint64_t phys = pages > 0 && psize > 0 ? (uint64_t)pages * (uint64_t)psize : 0;
	uint64_t cg = cgroup_limit(NULL);
	if (cg && (!phys || cg < phys))
		return cg;
	return phys;
}

uint64_t hs_mem_default_budget(void)
{
	/* 60%: the dump's pages in the page cache, the id map, the class
	 * tables and the allocator's slack need the rest */
	return hs_mem_available() / 10 * 6;
}

int hs_mem_to_file(hs_mem *m, void *p)
{
	struct hs_mem_block *b = find_block(m, p);
	hs_error err;
	size_t done = 0;
	int fd;
	if (!b || b->spilled || !b->mapped || (fd = temp_fd(m, b->bytes, &err)) < 0)
		return -1;
	while (done < b->bytes) {
		ssize_t k = pwrite(fd, (const char *)p + done, b->bytes - done, (off_t)done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {   /* no space left, an I/O error */
			close(fd);
			return -1;
		}
		done += (size_t)k;
	}
	/* the file's pages in place of the memory's, at once: a reader
	 * meanwhile sees the same bytes from either */
	if (mmap(p, b->bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
		close(fd);
		return -1;
	}
	close(fd);
	b->spilled = 1;
	b->mapped = 0;
	b->own_file = 1;
	m->used -= b->bytes;
	m->spilled += b->bytes;
	m->spills++;
	if (m->spilled > m->spilled_peak)
		m->spilled_peak = m->spilled;
	m->moved++;
	m->moved_bytes += b->bytes;
	return 0;
}

int hs_mem_to_memory(hs_mem *m, void *p)
{
	struct hs_mem_block *b = find_block(m, p);
	void *q;
	if (!b || !b->spilled || !b->own_file || (m->budget && m->used + b->bytes > m->budget))
		return -1;
	q = mmap(NULL, b->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		return -1;
	memcpy(q, p, b->bytes);
	/* the memory's pages in place of the file's, at once (the file
	 * goes with its last mapping) */
	if (mremap(q, b->bytes, b->bytes, MREMAP_MAYMOVE | MREMAP_FIXED, p) == MAP_FAILED) {
		munmap(q, b->bytes);
		return -1;
	}
	b->spilled = 0;
	b->own_file = 0;
	b->mapped = 1;
	m->spilled -= b->bytes;
	m->used += b->bytes;
	if (m->used > m->peak)
		m->peak = m->used;
	return 0;
}
