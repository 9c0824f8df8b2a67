/*
 * snapshot.c - the file form of a heap summary: writing a snapshot and
 * reading one back.  The format is described in snapshot.h.
 *
 * Writing builds the whole text in memory (a snapshot is a few hundred KB),
 * compresses it with zstd in one call and commits it through hs_outfile,
 * so that a baseline is never left half written.  Reading decompresses the
 * whole file (at most MAX_SNAPSHOT bytes of text), then splits it in place
 * into lines and TAB-separated fields; the summary it fills owns copies of
 * the fields.  Unknown record types are skipped, so that a newer heapscan's
 * additions do not stop an older reader.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "heapscan/outfile.h"
#include "heapscan/retained.h"
#include "heapscan/snapshot.h"
#include "heapscan/source.h"

/* A snapshot is small; refuse to read more than this (a dump given by
 * mistake is caught earlier by its header). */
#define MAX_SNAPSHOT (256u << 20)
/* Superclasses a snapshot's "super" record keeps (the nearest ones): the
 * hierarchy rules ("Foo+") seldom look further, and the record stays short. */
#define MAX_SUPERS 60

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
	hs_outfile out;
	int rc;

	/* a snapshot read from a version 1 file has no prefix rows: it stays
	 * version 1 */
	rec(&b, "heapscan-snapshot", "u", (uint64_t)(s->version ? s->version : HS_SNAPSHOT_VERSION));
	rec(&b, "heapscan", "s", s->heapscan_version);
	rec(&b, "dump", "s", s->dump);
	rec(&b, "meta", "suuu", s->format, (uint64_t)s->idsize, s->timestamp_ms, s->file_size);
	rec(&b, "total", "uuuuu", s->reachable_bytes, s->reachable_objects, s->unreachable_objects,
	    s->unreachable_bytes, s->threads_total);
	if (s->truncated)
		rec(&b, "truncated", "us", s->truncated_at, s->truncated_what);
	if (s->knows_loaded || s->knows_supers)
		rec(&b, "keeps", "ss", s->knows_loaded ? "loaded" : "", s->knows_supers ? "supers" : "");
	rec(&b, "suspect-threshold", "f", s->suspect_threshold ? s->suspect_threshold : HS_SUMMARY_SUSPECT_THRESHOLD);
	for (i = 0; i < s->nclasses; i++)
		rec(&b, "class", "suuu", s->classes[i].name, s->classes[i].instances, s->classes[i].shallow,
		    s->classes[i].retained);
	for (i = 0; i < s->nclasses; i++) {
		const hs_sum_class *c = &s->classes[i];
		uint32_t k;
		if (!c->nsupers)
			continue;
		put(&b, "super\t", 6);
		put_text(&b, c->name);
		for (k = 0; k < c->nsupers && k < MAX_SUPERS; k++) {
			put(&b, "\t", 1);
			put_text(&b, c->supers[k]);
		}
		put(&b, "\n", 1);
	}
	for (i = 0; i < s->nloaded; i++)
		rec(&b, "loaded", "s", s->loaded[i]);
	for (i = 0; i < s->nprefixes; i++)
		rec(&b, "prefix", "suuuu", s->prefixes[i].name, s->prefixes[i].retained, s->prefixes[i].instances,
		    s->prefixes[i].shallow, (uint64_t)s->prefixes[i].classes);
	for (i = 0; i < s->nthreads; i++)
		rec(&b, "thread", "suusui", s->threads[i].name, s->threads[i].retained, s->threads[i].objects,
		    s->threads[i].held_class, s->threads[i].held_retained, s->threads[i].held_entries);
	for (i = 0; i < s->nloaders; i++)
		rec(&b, "loader", "suu", s->loaders[i].name, s->loaders[i].retained, s->loaders[i].objects);
	for (i = 0; i < s->ndoms; i++)
		rec(&b, "dominator", "suuus", s->doms[i].name, s->doms[i].retained, s->doms[i].shallow,
		    s->doms[i].objects, s->doms[i].shape);
	for (i = 0; i < s->nsuspects; i++) {
		const hs_sum_suspect *x = &s->suspects[i];
		/* the last three were added later: readers before them stop at 11 */
		rec(&b, "suspect", "ssufusisssiii", x->kind, x->class_name, x->retained, x->pct, x->members,
		    x->holder, x->entries, x->accum_class, x->thread_pattern, x->through, x->entries_min,
		    x->entries_max, x->entries_avg);
	}
	if (b.failed)
		return hs_error_oom(err, NULL);
	bound = ZSTD_compressBound(b.n);
	z = malloc(bound);
	if (!z) {
		free(b.p);
		return hs_error_oom(err, NULL);
	}
	zn = ZSTD_compress(z, bound, b.p, b.n, 9);
	free(b.p);
	if (ZSTD_isError(zn)) {
		free(z);
		return hs_error_set(err, HS_EIO, HS_NO_OFFSET, "cannot compress the snapshot: %s",
				    ZSTD_getErrorName(zn));
	}
	/* all or nothing: a baseline is never left empty or half written */
	rc = hs_outfile_open(&out, path, err);
	if (rc == 0) {
		fwrite(z, 1, zn, out.f);   /* a short write fails the commit */
		rc = hs_outfile_commit(&out, err);
	}
	free(z);
	return rc;
}

/* ---- reading -------------------------------------------------------- */

/* The whole decompressed text of @p src, at most @p max bytes. */
static int slurp(hs_src *src, char **out, size_t *len, size_t max, hs_error *err)
{
	size_t cap = 65536, n = 0;
	char *p = malloc(cap);
	*out = NULL;
	if (!p)
		return hs_error_oom(err, NULL);
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
				return hs_error_oom(err, NULL);
			}
			p = np;
		}
		k = hs_src_read(src, p + n, cap - n - 1, err);
		if (k < 0) {
			free(p);
			return (int)k;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	p[n] = '\0';
	*out = p;
	*len = n;
	return 0;
}

/* Whether the first bytes of @p src are a snapshot's. */
static int head_is_snapshot(hs_src *src)
{
	char head[20];
	size_t n = 0;
	while (n < sizeof(head)) {
		ssize_t k = hs_src_read(src, head + n, sizeof(head) - n, NULL);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	return n >= 17 && memcmp(head, "heapscan-snapshot", 17) == 0;
}

int hs_summary_is_snapshot(const char *path, hs_error *err)
{
	hs_src *src;
	int rc = hs_src_open(&src, path, 0, err), is;
	if (rc < 0)
		return rc;
	is = head_is_snapshot(src);
	hs_src_free(src);
	hs_error_clear(err);
	return is;
}

int hs_summary_is_snapshot_src(hs_src *src, hs_error *err)
{
	int is = head_is_snapshot(src), rc;
	hs_error_clear(err);
	rc = hs_src_rewind(src, err);
	return rc < 0 ? rc : is;
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
		if (!np_) { rc = hs_error_oom(err, NULL); goto done; } \
		(arr) = np_; memset(&(arr)[(n)], 0, sizeof(*(arr))); } while (0)

/* A record that a snapshot holds once (heapscan, dump, meta, total): a
 * second one is an error rather than a silent choice between the two. */
static int once(int *seen, const char *what, int lineno, hs_error *err)
{
	if (*seen)
		return hs_error_set(err, HS_EFORMAT, HS_NO_OFFSET, "line %d: a second '%s' line (the first is line %d)",
				    lineno, what, *seen);
	*seen = lineno;
	return 0;
}

int hs_summary_read(hs_summary *s, const char *path, hs_error *err)
{
	hs_src *src;
	int rc = hs_src_open(&src, path, 0, err);
	if (rc < 0) {
		memset(s, 0, sizeof(*s));
		return rc;
	}
	rc = hs_summary_read_src(s, src, path, err);
	hs_src_free(src);
	return rc;
}

int hs_summary_read_src(hs_summary *s, hs_src *src, const char *path, hs_error *err)
{
	char *text = NULL, *line, *next;
	size_t len;
	int rc, lineno = 0;
	int seen_heapscan = 0, seen_dump = 0, seen_meta = 0, seen_total = 0, seen_truncated = 0;
	uint32_t super_hint = 0;

	memset(s, 0, sizeof(*s));
	s->from_snapshot = 1;
	s->source = strdup(path);
	rc = slurp(src, &text, &len, MAX_SNAPSHOT, err);
	if (rc < 0)
		goto done;
	for (line = text; line && *line; line = next) {
		char *f[MAX_SUPERS + 2];
		int n;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		n = fields(line, f, MAX_SUPERS + 2);
		if (lineno == 1) {
			if (n < 2 || strcmp(f[0], "heapscan-snapshot") != 0) {
				rc = hs_error_set(err, HS_EFORMAT, 0, "not a heapscan snapshot");
				goto done;
			}
			if (atoi(f[1]) < HS_SNAPSHOT_MIN_VERSION || atoi(f[1]) > HS_SNAPSHOT_VERSION) {
				rc = hs_error_set(err, HS_EFORMAT, 0,
						  "snapshot version %s is not supported (this heapscan reads versions %d to %d)",
						  f[1], HS_SNAPSHOT_MIN_VERSION, HS_SNAPSHOT_VERSION);
				goto done;
			}
			s->version = (unsigned)atoi(f[1]);
			continue;
		}
#define U(i) ((i) < n ? strtoull(f[i], NULL, 10) : 0)
#define S(i) strdup((i) < n ? f[i] : "")
		if (!strcmp(f[0], "heapscan") && n >= 2) {
			if ((rc = once(&seen_heapscan, f[0], lineno, err)) < 0)
				goto done;
			s->heapscan_version = S(1);
		} else if (!strcmp(f[0], "dump") && n >= 2) {
			if ((rc = once(&seen_dump, f[0], lineno, err)) < 0)
				goto done;
			s->dump = S(1);
		} else if (!strcmp(f[0], "meta") && n >= 5) {
			if ((rc = once(&seen_meta, f[0], lineno, err)) < 0)
				goto done;
			s->format = S(1);
			s->idsize = (unsigned)U(2);
			s->timestamp_ms = U(3);
			s->file_size = U(4);
		} else if (!strcmp(f[0], "total") && n >= 6) {
			if ((rc = once(&seen_total, f[0], lineno, err)) < 0)
				goto done;
			s->reachable_bytes = U(1);
			s->reachable_objects = U(2);
			s->unreachable_objects = U(3);
			s->unreachable_bytes = U(4);
			s->threads_total = U(5);
		} else if (!strcmp(f[0], "truncated") && n >= 3) {
			if ((rc = once(&seen_truncated, f[0], lineno, err)) < 0)
				goto done;
			s->truncated = 1;
			s->truncated_at = U(1);
			s->truncated_what = S(2);
		} else if (!strcmp(f[0], "class") && n >= 5) {
			GROW(s->classes, s->nclasses, err);
			s->classes[s->nclasses].name = S(1);
			if (s->classes[s->nclasses].name)   /* snapshots before hidden-class names were stable */
				s->classes[s->nclasses].name[hs_class_name_stable_len(s->classes[s->nclasses].name)] = '\0';
			s->classes[s->nclasses].instances = U(2);
			s->classes[s->nclasses].shallow = U(3);
			s->classes[s->nclasses].retained = U(4);
			s->nclasses++;
		} else if (!strcmp(f[0], "keeps")) {
			int k;
			for (k = 1; k < n; k++) {
				if (!strcmp(f[k], "loaded"))
					s->knows_loaded = 1;
				else if (!strcmp(f[k], "supers"))
					s->knows_supers = 1;
			}
		} else if (!strcmp(f[0], "suspect-threshold") && n >= 2) {
			s->suspect_threshold = strtod(f[1], NULL);
		} else if (!strcmp(f[0], "loaded") && n >= 2) {
			GROW(s->loaded, s->nloaded, err);
			if (!(s->loaded[s->nloaded] = S(1))) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
			s->nloaded++;
		} else if (!strcmp(f[0], "super") && n >= 3) {
			/* the class row of that name, written before */
			hs_sum_class *c = NULL;
			uint32_t k, tries;
			int j;
			/* written in the order of the class rows: look from the row
			 * after the last one found */
			for (k = super_hint, tries = 0; tries < s->nclasses; tries++, k = (k + 1) % s->nclasses)
				if (!strcmp(s->classes[k].name, f[1])) {
					c = &s->classes[k];
					super_hint = (k + 1) % s->nclasses;
					break;
				}
			if (c && !c->nsupers) {
				c->supers = calloc((size_t)n, sizeof(char *));
				if (!c->supers) {
					rc = hs_error_oom(err, NULL);
					goto done;
				}
				for (j = 2; j < n; j++)
					if (!(c->supers[c->nsupers++] = strdup(f[j]))) {
						rc = hs_error_oom(err, NULL);
						goto done;
					}
			}
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
			s->doms[s->ndoms].objects = U(4);
			s->doms[s->ndoms].shape = S(5);
			s->ndoms++;
		} else if (!strcmp(f[0], "prefix") && n >= 6) {
			GROW(s->prefixes, s->nprefixes, err);
			s->prefixes[s->nprefixes].name = S(1);
			s->prefixes[s->nprefixes].retained = U(2);
			s->prefixes[s->nprefixes].instances = U(3);
			s->prefixes[s->nprefixes].shallow = U(4);
			s->prefixes[s->nprefixes].classes = (uint32_t)U(5);
			s->nprefixes++;
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
			x->entries_min = n >= 14 ? strtoll(f[11], NULL, 10) : -1;
			x->entries_max = n >= 14 ? strtoll(f[12], NULL, 10) : -1;
			x->entries_avg = n >= 14 ? strtoll(f[13], NULL, 10) : -1;
		}
#undef U
#undef S
	}
	if (!(s->suspect_threshold > 0 && s->suspect_threshold <= 100))
		s->suspect_threshold = HS_SUMMARY_SUSPECT_THRESHOLD;   /* what every snapshot before said */
	if (lineno == 0)
		rc = hs_error_set(err, HS_EFORMAT, 0, "empty snapshot");
	else   /* written sorted; make sure */
		hs_summary_sort_prefixes(s);
done:
	free(text);
	if (rc < 0)
		hs_summary_release(s);
	return rc;
}
