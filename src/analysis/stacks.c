/*
 * stacks.c - threads by where they stand.
 *
 * A thread is placed by its top frames: from the top of its stack down to
 * its second frame outside the JDK, e.g. Unsafe.park, LockSupport.parkNanos,
 * SynchronousQueue$TransferQueue.transfer, SynchronousQueue.poll,
 * ConcurrentBag.borrow, HikariPool.getConnection: the JDK frames say how
 * it waits, the two application frames where and for what.  Frames are
 * compared by class and method name (each thread has its own frame ids,
 * and lines of the same method can differ).  Threads are grouped by the
 * text key of those frames in a hash table: one pass over the threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "heapscan/stacks.h"

static const char *frame_class(const hs_dump *d, const hs_frame *f)
{
	const char *c = f ? hs_dump_class_name_by_serial(d, f->class_serial) : NULL;
	return c ? c : "?";
}

static const char *frame_method(const hs_dump *d, const hs_frame *f)
{
	const char *m = f ? hs_dump_string(d, f->method_name_id) : NULL;
	return m ? m : "?";
}

int hs_frames_same(const hs_dump *d, uint64_t a, uint64_t b)
{
	const hs_frame *x = hs_dump_frame(d, a), *y = hs_dump_frame(d, b);
	if (!x || !y)
		return x == y;
	return strcmp(frame_class(d, x), frame_class(d, y)) == 0 && strcmp(frame_method(d, x), frame_method(d, y)) == 0;
}

int hs_frame_is_jdk(const hs_dump *d, uint64_t frame)
{
	static const char *const jdk[] = { "java.", "javax.", "jdk.", "sun.", "com.sun.", NULL };
	const char *c = frame_class(d, hs_dump_frame(d, frame));
	int i;
	for (i = 0; jdk[i]; i++)
		if (strncmp(c, jdk[i], strlen(jdk[i])) == 0)
			return 1;
	return 0;
}

uint32_t hs_stack_key_len(const hs_dump *d, const uint64_t *frames, uint32_t n)
{
	uint32_t i, app = 0;
	for (i = 0; i < n; i++)
		if (!hs_frame_is_jdk(d, frames[i]) && ++app == 2)
			return i + 1;
	return n;
}

char *hs_frames_text(const hs_dump *d, const uint64_t *frames, uint32_t n, int full)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap);
	uint32_t i;
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = n; i-- > 0;) {
		const hs_frame *f = hs_dump_frame(d, frames[i]);
		const char *c = frame_class(d, f), *m = frame_method(d, f), *dot = strrchr(c, '.');
		size_t need;
		if (!full && dot)
			c = dot + 1;
		need = len + strlen(c) + strlen(m) + 8;
		if (need > cap) {
			char *ns;
			cap = need * 2;
			ns = realloc(s, cap);
			if (!ns) {
				free(s);
				return NULL;
			}
			s = ns;
		}
		len += (size_t)sprintf(s + len, "%s%s.%s", len ? " -> " : "", c, m);
	}
	return s;
}

struct key {
	char *text;
	uint32_t group;
	UT_hash_handle hh;
};

/* The key of a thread's top frames: "class.method\n..." */
static char *key_of(const hs_dump *d, const uint64_t *frames, uint32_t n)
{
	size_t cap = 1, i;
	char *k, *p;
	for (i = 0; i < n; i++) {
		const hs_frame *f = hs_dump_frame(d, frames[i]);
		cap += strlen(frame_class(d, f)) + strlen(frame_method(d, f)) + 2;
	}
	k = p = malloc(cap);
	if (!k)
		return NULL;
	for (i = 0; i < n; i++) {
		const hs_frame *f = hs_dump_frame(d, frames[i]);
		p += sprintf(p, "%s.%s\n", frame_class(d, f), frame_method(d, f));
	}
	*p = '\0';
	return k;
}

static int by_size(const void *a, const void *b)
{
	const hs_stack_group *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->threads[0] < y->threads[0] ? -1 : x->threads[0] > y->threads[0];
}

int hs_stack_groups(const hs_dump *d, hs_stack_group **out, uint32_t *nout, hs_error *err)
{
	uint32_t nt, i, ng = 0;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	hs_stack_group *g = calloc(nt + 1, sizeof(*g));
	uint32_t *gof = malloc(sizeof(uint32_t) * (nt + 1));
	struct key *h = NULL, *e, *tmp;
	int rc = 0;
	*out = NULL;
	*nout = 0;
	if (!g || !gof)
		goto oom;
	/* one pass to key and count, then the members of each group */
	for (i = 0; i < nt; i++) {
		uint32_t nf = 0, kl;
		const uint64_t *fr = hs_dump_trace(d, th[i].trace_serial, &nf);
		char *k;
		gof[i] = UINT32_MAX;
		if (!fr || !nf)
			continue;
		kl = hs_stack_key_len(d, fr, nf);
		if (!(k = key_of(d, fr, kl)))
			goto oom;
		HASH_FIND_STR(h, k, e);
		if (e) {
			free(k);
		} else {
			if (!(e = malloc(sizeof(*e)))) {
				free(k);
				goto oom;
			}
			e->text = k;
			e->group = ng;
			g[ng].frames = fr;
			g[ng].nframes = kl;
			ng++;
			HASH_ADD_KEYPTR(hh, h, e->text, strlen(e->text), e);
		}
		gof[i] = e->group;
		g[e->group].n++;
	}
	for (i = 0; i < ng; i++) {
		if (!(g[i].threads = malloc(sizeof(uint32_t) * g[i].n)))
			goto oom;
		g[i].n = 0;
	}
	for (i = 0; i < nt; i++)
		if (gof[i] != UINT32_MAX)
			g[gof[i]].threads[g[gof[i]].n++] = i;
	qsort(g, ng, sizeof(*g), by_size);
	*out = g;
	*nout = ng;
	goto done;
oom:
	rc = hs_error_oom(err, NULL);
	hs_stack_groups_free(g, ng);
done:
	free(gof);
	HASH_ITER(hh, h, e, tmp) {
		HASH_DEL(h, e);
		free(e->text);
		free(e);
	}
	return rc;
}

void hs_stack_groups_free(hs_stack_group *groups, uint32_t n)
{
	uint32_t i;
	for (i = 0; groups && i < n; i++)
		free(groups[i].threads);
	free(groups);
}

/* Frames that mean "waiting for a task", anywhere in the key. */
static int idle_frame(const char *c, const char *m)
{
	const char *dot = strrchr(c, '.');
	const char *simple = dot ? dot + 1 : c;
	return strcmp(m, "getTask") == 0 || strcmp(m, "awaitWork") == 0 ||
	       (strcmp(simple, "ScheduledThreadPoolExecutor$DelayedWorkQueue") == 0 && strcmp(m, "take") == 0) ||
	       (strcmp(c, "java.lang.ref.ReferenceQueue") == 0 && strcmp(m, "remove") == 0);
}

const char *hs_stack_wait_kind(const hs_dump *d, const uint64_t *frames, uint32_t n)
{
	const hs_frame *top = n ? hs_dump_frame(d, frames[0]) : NULL;
	const char *c, *m;
	uint32_t i;
	if (!top)
		return NULL;
	for (i = 0; i < n; i++) {
		const hs_frame *f = hs_dump_frame(d, frames[i]);
		if (idle_frame(frame_class(d, f), frame_method(d, f)))
			return NULL;
	}
	c = frame_class(d, top);
	m = frame_method(d, top);
	if (strcmp(c, "jdk.internal.misc.Unsafe") == 0 && strcmp(m, "park") == 0)
		return "park";
	if (strcmp(c, "java.lang.Object") == 0 && (strcmp(m, "wait") == 0 || strcmp(m, "wait0") == 0))
		return "monitor";
	if ((strncmp(c, "sun.nio.ch.", 11) == 0 || strncmp(c, "java.net.", 9) == 0) &&
	    (strstr(m, "read") || strstr(m, "Read") || strcmp(m, "poll") == 0 || strcmp(m, "park") == 0))
		return "socket";
	return NULL;
}
