/*
 * summary.c - building, writing and reading heap summaries (snapshots).
 * The format is described in summary.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "heapscan/paths.h"
#include "heapscan/retained.h"
#include "heapscan/source.h"
#include "heapscan/summary.h"
#include "heapscan/suspects.h"

#define TOP_DOMINATORS 50
/* A snapshot is small; refuse to read more than this (a dump given by
 * mistake is caught earlier by its header). */
#define MAX_SNAPSHOT (256u << 20)

static int oom(hs_error *err)
{
	return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}


static int named_groups(hs_sum_named **out, uint32_t *n, hs_dump *d, hs_graph *g,
			enum hs_group_kind kind, hs_error *err)
{
	hs_groups gr;
	hs_group_sum *sum;
	uint32_t i;
	int rc = hs_groups_make(&gr, d, g, kind, err);
	if (rc < 0)
		return rc;
	sum = calloc(gr.n + 1, sizeof(*sum));
	*out = calloc(gr.n + 1, sizeof(**out));
	*n = 0;
	if (!sum || !*out) {
		free(sum);
		hs_groups_release(&gr);
		return oom(err);
	}
	rc = hs_retained_by_group(g, gr.of_class, gr.n, gr.class_objects, sum, err);
	for (i = 0; rc == 0 && i < gr.n; i++) {
		if (!sum[i].objects)
			continue;
		(*out)[*n].name = strdup(gr.names[i]);
		(*out)[*n].retained = sum[i].retained;
		(*out)[*n].objects = sum[i].objects;
		(*out)[*n].shallow = sum[i].shallow;
		(*n)++;
	}
	free(sum);
	hs_groups_release(&gr);
	return rc;
}

int hs_summary_build(hs_summary *s, hs_dump *d, hs_graph *g, const char *version, hs_error *err)
{
	const hs_dump_info *in = hs_dump_get_info(d);
	const hs_graph_stats *st = hs_graph_get_stats(g);
	hs_sum_named *cls = NULL;
	uint32_t ncls = 0, i, nt, cnt, *tn = NULL, *acc = NULL, ntn = 0;
	const hs_thread_info *th;
	const uint32_t *top;
	hs_suspects sus;
	hs_suspect_opts so = { 10.0, 1000 };
	int rc;

	memset(s, 0, sizeof(*s));
	s->heapscan_version = strdup(version);
	s->dump = strdup(in->path);
	s->format = strdup(in->version);
	s->idsize = in->idsize;
	s->timestamp_ms = in->timestamp_ms;
	s->file_size = in->file_size;
	s->reachable_bytes = st->reachable_bytes;
	s->reachable_objects = st->reachable;
	s->unreachable_objects = st->unreachable;
	s->unreachable_bytes = st->unreachable_bytes;

	rc = named_groups(&cls, &ncls, d, g, HS_GROUP_CLASS, err);
	if (rc < 0)
		goto done;
	s->classes = calloc(ncls + 1, sizeof(*s->classes));
	if (!s->classes) {
		rc = oom(err);
		goto done;
	}
	for (i = 0; i < ncls; i++) {
		s->classes[i].name = cls[i].name;
		cls[i].name = NULL;
		s->classes[i].instances = cls[i].objects;
		s->classes[i].shallow = cls[i].shallow;
		s->classes[i].retained = cls[i].retained;
	}
	s->nclasses = ncls;
	rc = named_groups(&s->loaders, &s->nloaders, d, g, HS_GROUP_LOADER, err);
	if (rc < 0)
		goto done;

	/* threads and what each holds */
	th = hs_dump_threads(d, &nt);
	tn = malloc(sizeof(uint32_t) * (nt + 1));
	acc = malloc(sizeof(uint32_t) * (nt + 1));
	s->threads = calloc(nt + 1, sizeof(*s->threads));
	if (!tn || !acc || !s->threads) {
		rc = oom(err);
		goto done;
	}
	for (i = 0; i < nt; i++) {
		uint32_t v = hs_graph_node(g, th[i].object_id), k;
		for (k = 0; k < ntn && tn[k] != v; k++)
			;
		if (v && k == ntn && hs_graph_reachable(g, v)) {
			tn[ntn] = v;
			acc[ntn] = hs_accumulation_point(g, v, err);
			ntn++;
		}
	}
	rc = hs_graph_fetch_labels(g, tn, ntn, err);
	if (rc == 0)
		rc = hs_graph_fetch_labels(g, acc, ntn, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < ntn; i++) {
		hs_sum_thread *t = &s->threads[i];
		const char *lab = hs_graph_label(g, acc[i]);
		t->name = hs_graph_thread_name_dup(g, tn[i]);
		if (!t->name)
			t->name = strdup("<unnamed>");
		t->retained = hs_graph_retained(g, tn[i]);
		t->objects = hs_graph_retained_count(g, tn[i]);
		t->held_class = strdup(acc[i] != tn[i] ? hs_graph_class_name(g, acc[i]) : "");
		t->held_retained = acc[i] != tn[i] ? hs_graph_retained(g, acc[i]) : 0;
		t->held_entries = lab && strncmp(lab, "size=", 5) == 0 ? strtoll(lab + 5, NULL, 10) : -1;
	}
	s->nthreads = ntn;
	s->threads_total = ntn;

	/* top dominators */
	top = hs_graph_dom_children(g, 0, &cnt, err);
	if (cnt > TOP_DOMINATORS)
		cnt = TOP_DOMINATORS;
	s->doms = calloc(cnt + 1, sizeof(*s->doms));
	if (!s->doms) {
		rc = oom(err);
		goto done;
	}
	for (i = 0; top && i < cnt; i++) {
		s->doms[i].name = strdup(hs_graph_class_name(g, top[i]));
		s->doms[i].retained = hs_graph_retained(g, top[i]);
		s->doms[i].shallow = hs_graph_shallow(g, top[i]);
		s->doms[i].objects = hs_graph_retained_count(g, top[i]);
	}
	s->ndoms = cnt;

	rc = hs_suspects_find(&sus, g, &so, err);
	if (rc < 0)
		goto done;
	s->suspects = calloc(sus.n + 1, sizeof(*s->suspects));
	if (!s->suspects) {
		hs_suspects_release(&sus);
		rc = oom(err);
		goto done;
	}
	for (i = 0; i < sus.n; i++) {
		const hs_suspect *x = &sus.items[i];
		hs_sum_suspect *y = &s->suspects[i];
		static const char *kinds[] = { "object", "class", "threads", "thread-count" };
		y->kind = strdup(kinds[x->kind]);
		y->class_name = dup_or_empty(x->class_name);
		y->holder = dup_or_empty(x->holder);
		y->accum_class = dup_or_empty(x->accum_class);
		y->thread_pattern = dup_or_empty(x->thread_pattern);
		y->through = dup_or_empty(x->through);
		y->retained = x->retained;
		y->members = x->members;
		y->pct = x->pct;
		y->entries = x->accum_label && strncmp(x->accum_label, "size=", 5) == 0
			     ? strtoll(x->accum_label + 5, NULL, 10) : -1;
	}
	s->nsuspects = sus.n;
	hs_suspects_release(&sus);
	rc = 0;
done:
	if (cls) {
		for (i = 0; i < ncls; i++)
			free(cls[i].name);
		free(cls);
	}
	free(tn);
	free(acc);
	if (rc < 0)
		hs_summary_release(s);
	return rc;
}

/* ---- writing -------------------------------------------------------- */

struct buf {
	char *p;
	size_t n, cap;
	int failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		char *np;
		while (cap < b->n + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void put_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\t')
			put(b, "\\t", 2);
		else if (*s == '\n')
			put(b, "\\n", 2);
		else if (*s == '\\')
			put(b, "\\\\", 2);
		else
			put(b, s, 1);
	}
}

/* fmt: 's' text, 'u' u64, 'i' i64, 'f' double; fields TAB-separated */
static void rec(struct buf *b, const char *type, const char *fmt, ...)
{
	va_list ap;
	char num[64];
	put(b, type, strlen(type));
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		put(b, "\t", 1);
		switch (*fmt) {
		case 's': put_text(b, va_arg(ap, const char *)); break;
		case 'u': snprintf(num, sizeof(num), "%llu", (unsigned long long)va_arg(ap, uint64_t)); put(b, num, strlen(num)); break;
		case 'i': snprintf(num, sizeof(num), "%lld", (long long)va_arg(ap, int64_t)); put(b, num, strlen(num)); break;
		case 'f': snprintf(num, sizeof(num), "%.4f", va_arg(ap, double)); put(b, num, strlen(num)); break;
		}
	}
	va_end(ap);
	put(b, "\n", 1);
}

int hs_summary_write(const hs_summary *s, const char *path, hs_error *err)
{
	struct buf b = { 0 };
	uint32_t i;
	void *z;
	size_t zn, bound;
	FILE *f;
	int rc = 0;

	rec(&b, "heapscan-snapshot", "u", (uint64_t)HS_SNAPSHOT_VERSION);
	rec(&b, "heapscan", "s", s->heapscan_version);
	rec(&b, "dump", "s", s->dump);
	rec(&b, "meta", "suuu", s->format, (uint64_t)s->idsize, s->timestamp_ms, s->file_size);
	rec(&b, "total", "uuuuu", s->reachable_bytes, s->reachable_objects, s->unreachable_objects,
	    s->unreachable_bytes, s->threads_total);
	for (i = 0; i < s->nclasses; i++)
		rec(&b, "class", "suuu", s->classes[i].name, s->classes[i].instances, s->classes[i].shallow,
		    s->classes[i].retained);
	for (i = 0; i < s->nthreads; i++)
		rec(&b, "thread", "suusui", s->threads[i].name, s->threads[i].retained, s->threads[i].objects,
		    s->threads[i].held_class, s->threads[i].held_retained, s->threads[i].held_entries);
	for (i = 0; i < s->nloaders; i++)
		rec(&b, "loader", "suu", s->loaders[i].name, s->loaders[i].retained, s->loaders[i].objects);
	for (i = 0; i < s->ndoms; i++)
		rec(&b, "dominator", "suu", s->doms[i].name, s->doms[i].retained, s->doms[i].shallow);
	for (i = 0; i < s->nsuspects; i++) {
		const hs_sum_suspect *x = &s->suspects[i];
		rec(&b, "suspect", "ssufusisss", x->kind, x->class_name, x->retained, x->pct, x->members,
		    x->holder, x->entries, x->accum_class, x->thread_pattern, x->through);
	}
	if (b.failed)
		return oom(err);
	bound = ZSTD_compressBound(b.n);
	z = malloc(bound);
	if (!z) {
		free(b.p);
		return oom(err);
	}
	zn = ZSTD_compress(z, bound, b.p, b.n, 9);
	free(b.p);
	if (ZSTD_isError(zn)) {
		free(z);
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot compress the snapshot: %s",
				    ZSTD_getErrorName(zn));
	}
	f = fopen(path, "wb");
	if (!f) {
		free(z);
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot write '%s'", path);
	}
	if (fwrite(z, 1, zn, f) != zn)
		rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot write '%s'", path);
	if (fclose(f) != 0 && rc == 0)
		rc = hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot write '%s'", path);
	free(z);
	return rc;
}

/* ---- reading -------------------------------------------------------- */

static int slurp(const char *path, char **out, size_t *len, size_t max, hs_error *err)
{
	hs_src *src;
	size_t cap = 65536, n = 0;
	char *p = malloc(cap);
	int rc;
	*out = NULL;
	if (!p)
		return oom(err);
	rc = hs_src_open(&src, path, 0, err);
	if (rc < 0) {
		free(p);
		return rc;
	}
	for (;;) {
		ssize_t k;
		if (n + 1 >= cap) {
			char *np;
			if (cap >= max)
				break;
			cap *= 2;
			np = realloc(p, cap);
			if (!np) {
				free(p);
				hs_src_free(src);
				return oom(err);
			}
			p = np;
		}
		k = hs_src_read(src, p + n, cap - n - 1, err);
		if (k < 0) {
			free(p);
			hs_src_free(src);
			return (int)k;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	hs_src_free(src);
	p[n] = '\0';
	*out = p;
	*len = n;
	return 0;
}

int hs_summary_is_snapshot(const char *path, hs_error *err)
{
	hs_src *src;
	char head[20];
	size_t n = 0;
	int rc = hs_src_open(&src, path, 0, err);
	if (rc < 0)
		return rc;
	while (n < sizeof(head)) {
		ssize_t k = hs_src_read(src, head + n, sizeof(head) - n, err);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	hs_src_free(src);
	hs_error_clear(err);
	return n >= 17 && memcmp(head, "heapscan-snapshot", 17) == 0;
}

/* split a line in place into fields, unescaping */
static int fields(char *line, char **f, int max)
{
	int n = 0;
	char *p = line, *o;
	while (n < max) {
		f[n++] = p;
		o = p;
		while (*p && *p != '\t') {
			if (*p == '\\' && p[1]) {
				p++;
				*o++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
				p++;
			} else {
				*o++ = *p++;
			}
		}
		if (*p == '\t') {
			*o = '\0';
			p++;
		} else {
			*o = '\0';
			break;
		}
	}
	return n;
}

#define GROW(arr, n, err) do { \
		void *np_ = realloc((arr), sizeof(*(arr)) * ((n) + 1)); \
		if (!np_) { rc = oom(err); goto done; } \
		(arr) = np_; memset(&(arr)[(n)], 0, sizeof(*(arr))); } while (0)

int hs_summary_read(hs_summary *s, const char *path, hs_error *err)
{
	char *text = NULL, *line, *next;
	size_t len;
	int rc, lineno = 0;

	memset(s, 0, sizeof(*s));
	s->from_snapshot = 1;
	rc = slurp(path, &text, &len, MAX_SNAPSHOT, err);
	if (rc < 0)
		return rc;
	for (line = text; line && *line; line = next) {
		char *f[16];
		int n;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		n = fields(line, f, 16);
		if (lineno == 1) {
			if (n < 2 || strcmp(f[0], "heapscan-snapshot") != 0) {
				rc = hs_error_set(err, HS_EFORMAT, 0, "not a heapscan snapshot");
				goto done;
			}
			if (atoi(f[1]) != HS_SNAPSHOT_VERSION) {
				rc = hs_error_set(err, HS_EFORMAT, 0,
						  "snapshot version %s is not supported (this heapscan reads version %d)",
						  f[1], HS_SNAPSHOT_VERSION);
				goto done;
			}
			continue;
		}
#define U(i) ((i) < n ? strtoull(f[i], NULL, 10) : 0)
#define S(i) strdup((i) < n ? f[i] : "")
		if (!strcmp(f[0], "heapscan") && n >= 2) {
			s->heapscan_version = S(1);
		} else if (!strcmp(f[0], "dump") && n >= 2) {
			s->dump = S(1);
		} else if (!strcmp(f[0], "meta") && n >= 5) {
			s->format = S(1);
			s->idsize = (unsigned)U(2);
			s->timestamp_ms = U(3);
			s->file_size = U(4);
		} else if (!strcmp(f[0], "total") && n >= 6) {
			s->reachable_bytes = U(1);
			s->reachable_objects = U(2);
			s->unreachable_objects = U(3);
			s->unreachable_bytes = U(4);
			s->threads_total = U(5);
		} else if (!strcmp(f[0], "class") && n >= 5) {
			GROW(s->classes, s->nclasses, err);
			s->classes[s->nclasses].name = S(1);
			s->classes[s->nclasses].instances = U(2);
			s->classes[s->nclasses].shallow = U(3);
			s->classes[s->nclasses].retained = U(4);
			s->nclasses++;
		} else if (!strcmp(f[0], "thread") && n >= 7) {
			GROW(s->threads, s->nthreads, err);
			s->threads[s->nthreads].name = S(1);
			s->threads[s->nthreads].retained = U(2);
			s->threads[s->nthreads].objects = U(3);
			s->threads[s->nthreads].held_class = S(4);
			s->threads[s->nthreads].held_retained = U(5);
			s->threads[s->nthreads].held_entries = strtoll(f[6], NULL, 10);
			s->nthreads++;
		} else if (!strcmp(f[0], "loader") && n >= 4) {
			GROW(s->loaders, s->nloaders, err);
			s->loaders[s->nloaders].name = S(1);
			s->loaders[s->nloaders].retained = U(2);
			s->loaders[s->nloaders].objects = U(3);
			s->nloaders++;
		} else if (!strcmp(f[0], "dominator") && n >= 4) {
			GROW(s->doms, s->ndoms, err);
			s->doms[s->ndoms].name = S(1);
			s->doms[s->ndoms].retained = U(2);
			s->doms[s->ndoms].shallow = U(3);
			s->ndoms++;
		} else if (!strcmp(f[0], "suspect") && n >= 11) {
			hs_sum_suspect *x;
			GROW(s->suspects, s->nsuspects, err);
			x = &s->suspects[s->nsuspects++];
			x->kind = S(1);
			x->class_name = S(2);
			x->retained = U(3);
			x->pct = strtod(f[4], NULL);
			x->members = U(5);
			x->holder = S(6);
			x->entries = strtoll(f[7], NULL, 10);
			x->accum_class = S(8);
			x->thread_pattern = S(9);
			x->through = S(10);
		}
#undef U
#undef S
	}
	if (lineno == 0)
		rc = hs_error_set(err, HS_EFORMAT, 0, "empty snapshot");
done:
	free(text);
	if (rc < 0)
		hs_summary_release(s);
	return rc;
}

void hs_summary_release(hs_summary *s)
{
	uint32_t i;
	free(s->heapscan_version);
	free(s->dump);
	free(s->format);
	for (i = 0; i < s->nclasses; i++)
		free(s->classes[i].name);
	free(s->classes);
	for (i = 0; i < s->nthreads; i++) {
		free(s->threads[i].name);
		free(s->threads[i].held_class);
	}
	free(s->threads);
	for (i = 0; i < s->nloaders; i++)
		free(s->loaders[i].name);
	free(s->loaders);
	for (i = 0; i < s->ndoms; i++)
		free(s->doms[i].name);
	free(s->doms);
	for (i = 0; i < s->nsuspects; i++) {
		hs_sum_suspect *x = &s->suspects[i];
		free(x->kind);
		free(x->class_name);
		free(x->holder);
		free(x->accum_class);
		free(x->thread_pattern);
		free(x->through);
	}
	free(s->suspects);
	memset(s, 0, sizeof(*s));
}
