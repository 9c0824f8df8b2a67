/*
 * suspects.c - leak suspects (after Eclipse MAT's FindLeaksQuery).
 *
 * 1. Top-level dominators (children of the virtual root) retaining more
 *    than the threshold are suspects on their own.
 * 2. Top-level threads are grouped by the shape of what they hold: the
 *    classes along the dominator chain from the thread down to its
 *    accumulation point.  A group of two or more whose sum passes the
 *    threshold is one finding ("20 threads http-nio-*-exec-* each hold a
 *    java.util.HashMap through ThreadLocal Trace.CONTEXT").
 * 3. Other top-level dominators are grouped by class; a class whose
 *    instances together pass the threshold is a suspect.
 * 4. More live threads than max_threads is a finding, with the threads
 *    grouped by name pattern.
 *
 * Accumulation point: from the suspect, walk to the biggest dominated
 * child while it keeps at least 70% of its parent's retained size.  A
 * recursive structure (the same class three times in a row, a linked
 * list) stops the walk at its head; an array inside a java.util
 * collection is reported as the collection, which has an entry count.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/paths.h"
#include "heapscan/suspects.h"

#define ACCUM_PCT 70
#define MAX_PATH 4096

char *hs_name_pattern(const char *name)
{
	size_t n = strlen(name), i, o = 0;
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)name[i])) {
			if (o == 0 || p[o - 1] != '*')
				p[o++] = '*';
		} else {
			p[o++] = name[i];
		}
	}
	p[o] = '\0';
	return p;
}

static const char *cls_name(const hs_graph *g, uint32_t v)
{
	return hs_graph_class_name(g, v);
}

static int is_array(const hs_graph *g, uint32_t v)
{
	const char *n = cls_name(g, v);
	size_t l = strlen(n);
	uint32_t c = hs_graph_class(g, v);
	return c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) && l > 2 && n[l - 1] == ']';
}

uint32_t hs_accumulation_point(hs_graph *g, uint32_t start, hs_error *err)
{
	uint32_t v = start, run = 0, run_start = start;
	for (;;) {
		uint32_t cnt, c;
		const uint32_t *ch = hs_graph_dom_children(g, v, &cnt, err);
		if (!ch || !cnt)
			break;
		c = ch[0];
		if (hs_graph_retained(g, c) * 100 < hs_graph_retained(g, v) * ACCUM_PCT)
			break;
		if (hs_graph_class(g, c) == hs_graph_class(g, v)) {
			if (run == 0)
				run_start = v;
			if (++run >= 3) {
				v = run_start;
				break;
			}
		} else {
			run = 0;
		}
		v = c;
	}
	/* an array held by a java.util collection: report the collection */
	if (v != start && is_array(g, v)) {
		uint32_t p = hs_graph_idom(g, v);
		if (p && p != HS_NONE && strncmp(cls_name(g, p), "java.util.", 10) == 0 && !is_array(g, p))
			v = p;
	}
	return v;
}

struct cc { uint32_t cls; uint64_t count, shallow; };

/* Biggest classes (by shallow bytes) among the objects v dominates. */
static int subtree_classes(hs_graph *g, uint32_t v, hs_suspect *s, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d) + 1, *stack, sp = 0, cap = 1024, i, k;
	struct cc *acc = calloc(nc, sizeof(*acc));
	stack = malloc(cap * sizeof(uint32_t));
	if (!acc || !stack) {
		free(acc);
		free(stack);
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	stack[sp++] = v;
	while (sp > 0) {
		uint32_t x = stack[--sp], cnt, c = hs_graph_class(g, x);
		const uint32_t *ch = hs_graph_dom_children(g, x, &cnt, err);
		if (x != v && c != HS_NONE) {
			uint32_t ix = (c & HS_CLASS_OBJECT_BIT) ? nc - 1 : c;
			acc[ix].count++;
			acc[ix].shallow += hs_graph_shallow(g, x);
		}
		for (i = 0; ch && i < cnt; i++) {
			if (sp == cap) {
				uint32_t *ns;
				cap *= 2;
				ns = realloc(stack, cap * sizeof(uint32_t));
				if (!ns) {
					free(acc);
					free(stack);
					return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
				}
				stack = ns;
			}
			stack[sp++] = ch[i];
		}
	}
	s->ntop = 0;
	for (k = 0; k < 3; k++) {
		uint32_t best = HS_NONE;
		for (i = 0; i < nc; i++)
			if (acc[i].shallow && (best == HS_NONE || acc[i].shallow > acc[best].shallow))
				best = i;
		if (best == HS_NONE)
			break;
		s->top[k].name = best == nc - 1 ? "java.lang.Class" : hs_dump_class(d, best)->name;
		s->top[k].count = acc[best].count;
		s->top[k].shallow = acc[best].shallow;
		acc[best].shallow = 0;
		s->ntop++;
	}
	free(acc);
	free(stack);
	return 0;
}


/* "static field" / "thread" / root kind description of who holds a path */
static char *holder_of(hs_graph *g, hs_suspect *s)
{
	char buf[600];
	uint32_t first;
	if (!s->path_len)
		return strdup("unknown");
	first = s->path[0];
	if (hs_graph_thread_name(g, first)) {
		char *n = hs_graph_thread_name_dup(g, first);
		snprintf(buf, sizeof(buf), "thread %s", n ? n : "?");
		free(n);
		return strdup(buf);
	}
	{
		uint32_t c = hs_graph_class(g, first);
		if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT) && s->path_len > 1 && s->via[1] &&
		    strncmp(s->via[1], "static ", 7) == 0) {
			snprintf(buf, sizeof(buf), "static field %s.%s",
				 hs_dump_class(hs_graph_dump(g), c & ~HS_CLASS_OBJECT_BIT)->name, s->via[1] + 7);
			return strdup(buf);
		}
		if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT)) {
			snprintf(buf, sizeof(buf), "class %s",
				 hs_dump_class(hs_graph_dump(g), c & ~HS_CLASS_OBJECT_BIT)->name);
			return strdup(buf);
		}
	}
	snprintf(buf, sizeof(buf), "%s (GC root: %s)", cls_name(g, first), s->via[0] ? s->via[0] : "?");
	return strdup(buf);
}

/* ThreadLocal held through a ThreadLocalMap$Entry on the path: the
 * static field that holds the ThreadLocal, or its class. */
static char *through_threadlocal(hs_graph *g, hs_suspect *s, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t i, c, nc = hs_dump_class_count(d);
	uint64_t tl = 0;
	char buf[600];
	for (i = 0; i < s->path_len; i++)
		if (strcmp(cls_name(g, s->path[i]), "java.lang.ThreadLocal$ThreadLocalMap$Entry") == 0)
			break;
	if (i == s->path_len)
		return NULL;
	if (hs_paths_field_values(g, &s->path[i], 1, "referent", &tl, err) < 0 || !tl)
		return NULL;
	for (c = 0; c < nc; c++) {
		const hs_class *k = hs_dump_class(d, c);
		unsigned f;
		for (f = 0; f < k->nstatics; f++)
			if (k->statics[f].type == HS_T_OBJECT && k->statics[f].value == tl) {
				const char *fn = hs_dump_string(d, k->statics[f].name_id);
				snprintf(buf, sizeof(buf), "ThreadLocal %s.%s", k->name, fn ? fn : "?");
				return strdup(buf);
			}
	}
	{
		uint32_t tn = hs_graph_node(g, tl);
		snprintf(buf, sizeof(buf), "a %s @ 0x%llx", tn ? cls_name(g, tn) : "ThreadLocal",
			 (unsigned long long)tl);
	}
	return strdup(buf);
}

static int describe(hs_graph *g, const uint32_t *parent, hs_suspect *s, hs_error *err)
{
	uint32_t *p = malloc(sizeof(uint32_t) * MAX_PATH), len;
	int rc;
	if (!p)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	s->accum = hs_accumulation_point(g, s->node, err);
	s->accum_class = cls_name(g, s->accum);
	len = hs_paths_to(parent, s->accum, p, MAX_PATH);
	s->path = p;
	s->path_len = len;
	s->via = calloc(len + 1, sizeof(char *));
	if (!s->via)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	rc = hs_paths_describe(g, p, len, s->via, err);
	if (rc < 0)
		return rc;
	rc = hs_graph_fetch_labels(g, p, len, err);
	if (rc < 0)
		return rc;
	if (hs_graph_label(g, s->accum))
		s->accum_label = strdup(hs_graph_label(g, s->accum));
	s->holder = holder_of(g, s);
	return subtree_classes(g, s->accum, s, err);
}

static int push(hs_suspects *out, hs_suspect **s, hs_error *err)
{
	hs_suspect *n = realloc(out->items, sizeof(*n) * (out->n + 1));
	if (!n)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	out->items = n;
	*s = &n[out->n++];
	memset(*s, 0, sizeof(**s));
	return 0;
}

/* Shape of what a thread holds: hash of the classes down the dominator
 * chain from the thread to its accumulation point. */
static uint64_t shape(hs_graph *g, uint32_t t, uint32_t accum)
{
	uint64_t h = 1469598103934665603ull;
	uint32_t v = accum;
	int guard = 0;
	while (v != t && v && v != HS_NONE && guard++ < MAX_PATH) {
		uint32_t c = hs_graph_class(g, v);
		h = (h ^ c) * 1099511628211ull;
		v = hs_graph_idom(g, v);
	}
	return h;
}

static int by_retained_desc(const void *a, const void *b)
{
	const hs_suspect *x = a, *y = b;
	if (x->kind == HS_SUSPECT_THREAD_COUNT || y->kind == HS_SUSPECT_THREAD_COUNT)
		return (x->kind == HS_SUSPECT_THREAD_COUNT) - (y->kind == HS_SUSPECT_THREAD_COUNT);
	return x->retained < y->retained ? 1 : x->retained > y->retained ? -1 : 0;
}

int hs_suspects_find(hs_suspects *out, hs_graph *g, const hs_suspect_opts *o, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint64_t total = hs_graph_get_stats(g)->reachable_bytes, thr;
	uint32_t cnt, i, j, nt, *parent = NULL, *tnodes = NULL, ntn = 0;
	const uint32_t *top;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	uint8_t *used = NULL;
	uint64_t *shapes = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->reachable = total;
	thr = (uint64_t)((double)total * o->threshold_pct / 100.0);
	top = hs_graph_dom_children(g, 0, &cnt, err);
	if (!top && cnt)
		return err->code;
	rc = hs_paths_bfs(g, &parent, err);
	if (rc < 0)
		return rc;
	used = calloc(cnt + 1, 1);
	shapes = calloc(cnt + 1, sizeof(uint64_t));
	tnodes = malloc(sizeof(uint32_t) * (nt + 1));
	if (!used || !shapes || !tnodes) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto done;
	}
	/* thread names for everything below */
	for (i = 0; i < nt; i++) {
		uint32_t v = hs_graph_node(g, th[i].object_id);
		if (v && hs_graph_reachable(g, v))
			tnodes[ntn++] = v;
	}
	out->threads = ntn;
	rc = hs_graph_fetch_labels(g, tnodes, ntn, err);
	if (rc < 0)
		goto done;

	/* 2. threads holding same-shaped structures */
	for (i = 0; i < cnt; i++)
		if (hs_graph_thread_name(g, top[i]) || strcmp(cls_name(g, top[i]), "java.lang.Thread") == 0) {
			uint32_t acc = hs_accumulation_point(g, top[i], err);
			if (acc != top[i])   /* a thread that holds nothing big is no shape */
				shapes[i] = shape(g, top[i], acc) | 1;
		}
	for (i = 0; i < cnt; i++) {
		uint64_t sum = 0, members = 0;
		if (!shapes[i] || used[i])
			continue;
		for (j = i; j < cnt; j++)
			if (shapes[j] == shapes[i] && !used[j]) {
				sum += hs_graph_retained(g, top[j]);
				members++;
			}
		if (members >= 2 && sum > thr) {
			hs_suspect *s;
			char *n;
			if ((rc = push(out, &s, err)) < 0)
				goto done;
			s->kind = HS_SUSPECT_THREADS;
			s->node = top[i];   /* the biggest: top[] is sorted */
			s->class_name = cls_name(g, top[i]);
			s->retained = sum;
			s->members = members;
			for (j = i; j < cnt; j++)
				if (shapes[j] == shapes[i])
					used[j] = 1;
			if ((rc = describe(g, parent, s, err)) < 0)
				goto done;
			n = hs_graph_thread_name_dup(g, top[i]);
			s->thread_pattern = n ? hs_name_pattern(n) : strdup("?");
			/* keep digit runs all members share (a port, say) */
			if (n && s->thread_pattern) {
				char *keep = strdup(n);
				for (j = i; keep && j < cnt; j++) {
					char *o;
					size_t a, b, la, lb;
					if (shapes[j] != shapes[i] || j == i)
						continue;
					o = hs_graph_thread_name_dup(g, top[j]);
					if (!o)
						continue;
					/* positions where keep and o differ become '*' */
					for (a = b = 0, la = strlen(keep), lb = strlen(o); a < la && b < lb;) {
						if (isdigit((unsigned char)keep[a]) && isdigit((unsigned char)o[b])) {
							size_t ea = a, eb = b;
							while (ea < la && (isdigit((unsigned char)keep[ea]) || keep[ea] == '*'))
								ea++;
							while (eb < lb && isdigit((unsigned char)o[eb]))
								eb++;
							if (ea - a != eb - b || strncmp(keep + a, o + b, ea - a) != 0) {
								memmove(keep + a + 1, keep + ea, la - ea + 1);
								keep[a] = '*';
								la = strlen(keep);
								ea = a + 1;
							}
							a = ea;
							b = eb;
						} else if (keep[a] == '*') {
							a++;
							while (b < lb && isdigit((unsigned char)o[b]))
								b++;
						} else {
							a++;
							b++;
						}
					}
					free(o);
				}
				if (keep) {
					free(s->thread_pattern);
					s->thread_pattern = keep;
				}
			}
			free(n);
			s->through = through_threadlocal(g, s, err);
		}
	}
	/* 1. single objects */
	for (i = 0; i < cnt && hs_graph_retained(g, top[i]) > thr; i++) {
		hs_suspect *s;
		if (used[i])
			continue;
		if ((rc = push(out, &s, err)) < 0)
			goto done;
		s->kind = HS_SUSPECT_OBJECT;
		s->node = top[i];
		s->class_name = cls_name(g, top[i]);
		s->retained = hs_graph_retained(g, top[i]);
		s->members = 1;
		used[i] = 1;
		if ((rc = describe(g, parent, s, err)) < 0)
			goto done;
	}
	/* 3. classes of the remaining top-level dominators */
	for (i = 0; i < cnt; i++) {
		uint64_t sum = 0, members = 0;
		uint32_t c = hs_graph_class(g, top[i]);
		if (used[i] || (c & HS_CLASS_OBJECT_BIT))
			continue;
		for (j = i; j < cnt; j++)
			if (!used[j] && hs_graph_class(g, top[j]) == c) {
				sum += hs_graph_retained(g, top[j]);
				members++;
			}
		if (members >= 2 && sum > thr) {
			hs_suspect *s;
			if ((rc = push(out, &s, err)) < 0)
				goto done;
			s->kind = HS_SUSPECT_CLASS;
			s->node = top[i];
			s->class_name = cls_name(g, top[i]);
			s->retained = sum;
			s->members = members;
			for (j = i; j < cnt; j++)
				if (hs_graph_class(g, top[j]) == c)
					used[j] = 1;
			if ((rc = describe(g, parent, s, err)) < 0)
				goto done;
		}
	}
	/* 4. thread explosion */
	if (ntn > o->max_threads) {
		hs_suspect *s;
		if ((rc = push(out, &s, err)) < 0)
			goto done;
		s->kind = HS_SUSPECT_THREAD_COUNT;
		s->members = ntn;
		s->node = tnodes[0];
		s->class_name = "java.lang.Thread";
		for (i = 0; i < ntn; i++) {
			char *n = hs_graph_thread_name_dup(g, tnodes[i]);
			char *p = hs_name_pattern(n ? n : "<unnamed>");
			free(n);
			if (!p) {
				rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
				goto done;
			}
			for (j = 0; j < s->ngroups && strcmp(s->groups[j].pattern, p); j++)
				;
			if (j == s->ngroups) {
				hs_name_count *ng = realloc(s->groups, sizeof(*ng) * (s->ngroups + 1));
				if (!ng) {
					free(p);
					rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
					goto done;
				}
				s->groups = ng;
				s->groups[j].pattern = p;
				s->groups[j].count = 0;
				s->groups[j].retained = 0;
				s->ngroups++;
			} else {
				free(p);
			}
			s->groups[j].count++;
			s->groups[j].retained += hs_graph_retained(g, tnodes[i]);
			s->retained += hs_graph_retained(g, tnodes[i]);
		}
		/* biggest groups first */
		for (i = 1; i < s->ngroups; i++)
			for (j = i; j > 0 && s->groups[j - 1].count < s->groups[j].count; j--) {
				hs_name_count t = s->groups[j];
				s->groups[j] = s->groups[j - 1];
				s->groups[j - 1] = t;
			}
	}
	for (i = 0; i < out->n; i++)
		out->items[i].pct = total ? 100.0 * (double)out->items[i].retained / (double)total : 0;
	if (out->n > 1)
		qsort(out->items, out->n, sizeof(*out->items), by_retained_desc);
	rc = 0;
done:
	free(parent);
	free(used);
	free(shapes);
	free(tnodes);
	if (rc < 0)
		hs_suspects_release(out);
	return rc;
}

void hs_suspects_release(hs_suspects *s)
{
	uint32_t i, j;
	for (i = 0; i < s->n; i++) {
		hs_suspect *x = &s->items[i];
		if (x->via)
			hs_paths_free_via(x->via, x->path_len);
		free(x->via);
		free(x->path);
		free(x->holder);
		free(x->accum_label);
		free(x->thread_pattern);
		free(x->through);
		for (j = 0; j < x->ngroups; j++)
			free(x->groups[j].pattern);
		free(x->groups);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}
