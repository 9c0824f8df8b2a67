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
 *    grouped by name pattern: what the threads of each pattern have in
 *    common (class, top frames, what each holds), the bytes they retain
 *    beyond the other findings (a thread group of 2. is counted there),
 *    and an estimate of their native stacks (HS_STACK_SIZE_ASSUMED each).
 * 5. A pile-up: HS_PILEUP_MIN or more threads waiting at the same top
 *    frames (stacks.c: parked, in Object.wait or a socket read; not idle
 *    pool workers), with the object they all park on when the dump shows
 *    one; threads that each park on their own object are no pile-up.
 *
 * Accumulation point: from the suspect, walk to the biggest dominated
 * child while it keeps at least 70% of its parent's retained size.  A
 * recursive structure (the same class three times in a row, a linked
 * list) stops the walk at its head; an array inside a java.util
 * collection is reported as the collection, which has an entry count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Judy.h>

#include "heapscan/loaders.h"
#include "heapscan/paths.h"
#include "heapscan/stacks.h"
#include "heapscan/suspects.h"
#include "util.h"

#define ACCUM_PCT 70
#define MAX_PATH 4096

static const char *cls_name(const hs_graph *g, uint32_t v)
{
	return hs_graph_class_name(g, v);
}

static int is_prim_array(const hs_graph *g, uint32_t v)
{
	uint32_t c = hs_graph_class(g, v);
	return c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) &&
	       hs_dump_class(hs_graph_dump(g), c)->kind == HS_CLASS_PRIM_ARRAY;
}

static int is_obj_array(const hs_graph *g, uint32_t v)
{
	uint32_t c = hs_graph_class(g, v);
	return c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) &&
	       hs_dump_class(hs_graph_dump(g), c)->kind == HS_CLASS_OBJ_ARRAY;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A collection's own structure: java.util's nodes, entries and bins. */
static int is_node_class(const char *n)
{
	return strncmp(n, "java.util.", 10) == 0 && strchr(n, '$') &&
	       (ends_with(n, "Node") || ends_with(n, "Entry") || ends_with(n, "Segment") ||
		ends_with(n, "TreeBin") || ends_with(n, "Index") || ends_with(n, "Cell"));
}

/* A java.util object other than a node: a collection (or its wrapper). */
static int is_collection(const hs_graph *g, uint32_t v)
{
	const char *n = cls_name(g, v);
	uint32_t c = hs_graph_class(g, v);
	return c != HS_NONE && !(c & HS_CLASS_OBJECT_BIT) && !is_obj_array(g, v) &&
	       strncmp(n, "java.util.", 10) == 0 && !is_node_class(n);
}

/* The table array of a java.util collection (its owner in the dominator
 * or BFS tree) is reported as the collection, which has an entry count. */
static uint32_t collection_of(const hs_graph *g, uint32_t v, uint32_t owner)
{
	if ((is_obj_array(g, v) || is_prim_array(g, v)) && owner && owner != HS_NONE && is_collection(g, owner))
		return owner;
	return v;
}


/*
 * The walk down from start, kept (each node's dominator is the one before
 * it): what shapes compare and what collection_of() asks of the last, with
 * no walk up the tree (from an index that would read all of it).
 */
int hs_accumulation_path(hs_graph *g, uint32_t start, uint32_t **path, uint32_t *len, hs_error *err)
{
	uint32_t v = start, run = 0, run_start = 0, n = 0, cap = 16, *p = malloc(sizeof(uint32_t) * cap);
	*path = NULL;
	*len = 0;
	if (!p)
		return hs_error_oom(err, NULL);
	p[n++] = start;
	for (;;) {
		uint32_t cnt, c, i;
		uint64_t rc;
		/* the biggest child (the first of hs_graph_dom_children()'s
		 * order, ties to the lower node) without sorting them all,
		 * nor reading the size of each when they are in that order */
		const uint32_t *ch = hs_graph_dom_children_any(g, v, &cnt, err);
		if (!ch || !cnt)
			break;
		c = ch[0];
		rc = hs_graph_retained(g, c);
		for (i = hs_graph_dom_children_sorted(g, v) ? cnt : 1; i < cnt; i++) {
			uint64_t r = hs_graph_retained(g, ch[i]);
			if (r > rc || (r == rc && ch[i] < c)) {
				c = ch[i];
				rc = r;
			}
		}
		if (rc * 100 < hs_graph_retained(g, v) * ACCUM_PCT)
			break;
		if (hs_graph_class(g, c) == hs_graph_class(g, v)) {
			if (run == 0)
				run_start = n - 1;
			if (++run >= 3) {
				n = run_start + 1;   /* back to where the run started */
				break;
			}
		} else {
			run = 0;
		}
		if (n == cap) {
			uint32_t *np = realloc(p, sizeof(uint32_t) * (cap *= 2));
			if (!np) {
				free(p);
				return hs_error_oom(err, NULL);
			}
			p = np;
		}
		p[n++] = v = c;
	}
	/* a collection's table array: the collection, one step up */
	if (n > 1 && collection_of(g, p[n - 1], p[n - 2]) != p[n - 1])
		n--;
	*path = p;
	*len = n;
	return 0;
}

uint32_t hs_accumulation_point(hs_graph *g, uint32_t start, hs_error *err)
{
	uint32_t *p, n, v;
	if (hs_accumulation_path(g, start, &p, &n, err) < 0)
		return start;
	v = p[n - 1];
	free(p);
	return v;
}


struct agg {
	const char *name;
	uint64_t count, val;
};

static int agg_by_name(const void *a, const void *b)
{
	return strcmp(((const struct agg *)a)->name, ((const struct agg *)b)->name);
}

/*
 * The (up to) 3 biggest classes by @p val, classes of the same name taken
 * together (50 class loaders each defining a LeakedPlugin are one row).
 * count/val are indexed by class, the last slot for java.lang.Class.
 */
static int top3(const hs_dump *d, uint32_t nc, const uint64_t *count, const uint64_t *val,
		struct agg out[3], uint32_t *nout)
{
	struct agg *a = malloc(sizeof(*a) * nc);
	uint32_t i, n = 0, m = 0, k;
	*nout = 0;
	if (!a)
		return -1;
	for (i = 0; i < nc; i++)
		if (count[i]) {
			a[n].name = i == nc - 1 ? "java.lang.Class" : hs_dump_class(d, i)->name;
			a[n].count = count[i];
			a[n].val = val[i];
			n++;
		}
	qsort(a, n, sizeof(*a), agg_by_name);
	for (i = 0; i < n; i++) {
		if (m && strcmp(a[m - 1].name, a[i].name) == 0) {
			a[m - 1].count += a[i].count;
			a[m - 1].val += a[i].val;
		} else {
			a[m++] = a[i];
		}
	}
	for (k = 0; k < 3 && k < m; k++) {
		uint32_t best = k;
		struct agg t;
		for (i = k + 1; i < m; i++)
			if (a[i].val > a[best].val)
				best = i;
		t = a[k];
		a[k] = a[best];
		a[best] = t;
		out[k] = a[k];
	}
	*nout = k;
	free(a);
	return 0;
}


static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The most common string of a sorted array, and its count. */
static const char *most_common(const char **v, size_t n, uint64_t *count)
{
	size_t i = 0, best = 0, bestn = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && strcmp(v[j], v[i]) == 0)
			j++;
		if (j - i > bestn) {
			bestn = j - i;
			best = i;
		}
		i = j;
	}
	if (count)
		*count = bestn;
	return n ? v[best] : NULL;
}

/* Class loader ids of the dump's classes, sorted, without duplicates. */
static uint64_t *loader_ids(const hs_dump *d, size_t *n)
{
	uint32_t nc = hs_dump_class_count(d), i;
	uint64_t *v = malloc(sizeof(uint64_t) * (nc + 1));
	size_t k = 0;
	if (!v)
		return NULL;
	for (i = 0; i < nc; i++)
		if (hs_dump_class(d, i)->loader_id)
			v[k++] = hs_dump_class(d, i)->loader_id;
	*n = hs_u64_sort_unique(v, k);
	return v;
}

/* Names of class loaders as one pattern ("plugin-loader-*"): the most
 * common pattern among those whose ClassLoader.name is set, in *out
 * (NULL when none is).  Returns 0 or an hs_code: the names are read from
 * the dump again, and that pass may fail. */
static int loader_pattern(hs_graph *g, const uint32_t *nodes, uint32_t n, char **out, hs_error *err)
{
	char **names = calloc(n + 1, sizeof(char *));
	const char **pat = calloc(n + 1, sizeof(char *));
	uint32_t i, m = 0;
	int rc;
	*out = NULL;
	if (!names || !pat) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	if ((rc = hs_paths_string_fields(g, nodes, n, "name", names, err)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		if (names[i] && *names[i] && (pat[m] = hs_name_pattern(names[i])) != NULL)
			m++;
	qsort(pat, m, sizeof(char *), cmp_name);
	if (m && !(*out = strdup(most_common(pat, m, NULL))))
		rc = hs_error_oom(err, NULL);
done:
	for (i = 0; names && i < n; i++)
		free(names[i]);
	for (i = 0; i < m; i++)
		free((void *)pat[i]);
	free(names);
	free(pat);
	return rc;
}

/*
 * What accumulates below the roots (the accumulation point, or the members
 * of a group): the biggest classes by shallow bytes among the dominated
 * objects, and the class loaders and classes kept alive there.  Without
 * with_roots there is one root, itself left out.
 */
static int subtree_classes(hs_graph *g, const uint32_t *roots, uint32_t nroots, int with_roots,
			   hs_suspect *s, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d) + 1, i, k;
	uint64_t *ccount = calloc(nc, sizeof(uint64_t)), *cshallow = calloc(nc, sizeof(uint64_t));
	uint64_t *lcount = calloc(nc, sizeof(uint64_t));
	struct agg t[3];
	hs_u32vec st = { 0 }, lnodes = { 0 };
	const char **cnames = NULL;
	size_t ncn = 0, cncap = 0, nl = 0;
	uint64_t *lids = loader_ids(d, &nl);
	int rc = 0;

	if (!ccount || !cshallow || !lcount || !lids) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < nroots; i++)
		if (hs_u32vec_push(&st, roots[i]) < 0) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	while (st.n > 0) {
		uint32_t x = st.a[--st.n], cnt, c = hs_graph_class(g, x);
		const uint32_t *ch = hs_graph_dom_children(g, x, &cnt, err);
		/* without the roots: a single root, the accumulation point */
		if ((with_roots || x != roots[0]) && c != HS_NONE) {
			uint32_t ix = (c & HS_CLASS_OBJECT_BIT) ? nc - 1 : c;
			uint64_t id = hs_graph_id(g, x);
			ccount[ix]++;
			cshallow[ix] += hs_graph_shallow(g, x);
			if (c & HS_CLASS_OBJECT_BIT) {
				if (ncn == cncap) {
					size_t cap = cncap ? cncap * 2 : 64;
					const char **nn = realloc(cnames, cap * sizeof(char *));
					if (!nn) {
						rc = hs_error_oom(err, NULL);
						goto done;
					}
					cnames = nn;
					cncap = cap;
				}
				cnames[ncn++] = hs_dump_class(d, c & ~HS_CLASS_OBJECT_BIT)->name;
			} else if (bsearch(&id, lids, nl, sizeof(uint64_t), hs_u64_cmp)) {
				lcount[c]++;
				if (lnodes.n < 4096 && hs_u32vec_push(&lnodes, x) < 0) {
					rc = hs_error_oom(err, NULL);
					goto done;
				}
			}
		}
		for (i = 0; ch && i < cnt; i++)
			if (hs_u32vec_push(&st, ch[i]) < 0) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
	}
	if (top3(d, nc, ccount, cshallow, t, &s->ntop) < 0) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (k = 0; k < s->ntop; k++) {
		s->top[k].name = t[k].name;
		s->top[k].count = t[k].count;
		s->top[k].shallow = t[k].val;
	}
	s->classes = ncn;
	if (ncn) {
		qsort(cnames, ncn, sizeof(char *), cmp_name);
		s->class_example = most_common(cnames, ncn, &s->class_example_n);
	}
	if (lnodes.n) {
		uint32_t best = 0;
		for (i = 0; i < nc - 1; i++) {
			s->loaders += lcount[i];
			if (lcount[i] > lcount[best])
				best = i;
		}
		s->loader_class = hs_dump_class(d, best)->name;
		s->loader_class_n = lcount[best];
		rc = loader_pattern(g, lnodes.a, (uint32_t)lnodes.n, &s->loader_names, err);
	}
done:
	free(ccount);
	free(cshallow);
	free(lcount);
	free(lids);
	hs_u32vec_free(&st);
	hs_u32vec_free(&lnodes);
	free(cnames);
	return rc;
}

/*
 * The elements an accumulation point holds: walk down the dominator tree
 * through the collection's own structure (its table arrays, nodes and
 * entries, a HashSet's HashMap) and count the first objects that are not
 * part of it, by class, with their retained sizes.  For a plain object or
 * array these are the objects it dominates directly.
 */
static int elements(hs_graph *g, uint32_t accum, hs_suspect *s, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d) + 1, i, k;
	uint64_t *cnt = calloc(nc, sizeof(uint64_t)), *ret = calloc(nc, sizeof(uint64_t));
	hs_u32vec st = { 0 };
	int rc = 0;
	if (!cnt || !ret || hs_u32vec_push(&st, accum) < 0) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	while (st.n > 0) {
		uint32_t x = st.a[--st.n], n;
		const uint32_t *ch = hs_graph_dom_children(g, x, &n, err);
		int x_coll = x == accum ? !is_prim_array(g, x) : is_collection(g, x);
		for (i = 0; ch && i < n; i++) {
			uint32_t y = ch[i], c = hs_graph_class(g, y);
			int structure = is_obj_array(g, y) ? (x_coll || x == accum || is_node_class(cls_name(g, x)))
				      : is_node_class(cls_name(g, y)) || (x_coll && is_collection(g, y) && x != accum)
				      || (x == accum && is_collection(g, x) && is_collection(g, y));
			if (structure) {
				if (hs_u32vec_push(&st, y) < 0) {
					rc = hs_error_oom(err, NULL);
					goto done;
				}
				continue;
			}
			if (c == HS_NONE)
				continue;
			c = (c & HS_CLASS_OBJECT_BIT) ? nc - 1 : c;
			cnt[c]++;
			ret[c] += hs_graph_retained(g, y);
			s->nelem_total++;
		}
	}
	{
		struct agg t[3];
		if (top3(d, nc, cnt, ret, t, &s->nelems) < 0) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		for (k = 0; k < s->nelems; k++) {
			s->elems[k].name = t[k].name;
			s->elems[k].count = t[k].count;
			s->elems[k].retained = t[k].val;
		}
	}
done:
	free(cnt);
	free(ret);
	hs_u32vec_free(&st);
	return rc;
}

/*
 * Where the shortest paths of a group's members meet: the deepest object
 * of the BFS tree that the paths of more than half of the members pass
 * through (counts only grow towards the root along a tree path, so that
 * object is unique).  *out is 0 when there is none.
 */
static int meet_point(const uint32_t *parent, const uint32_t *members, uint64_t m, uint32_t *out,
		      uint64_t *through, hs_error *err)
{
	Pvoid_t counts = NULL;
	PWord_t pv;
	Word_t w, key;
	uint64_t i, step = m > 100000 ? m / 100000 : 1, sampled = 0, best = 0;
	uint32_t at = 0;
	*through = 0;
	*out = 0;
	for (i = 0; i < m; i += step) {
		uint32_t v = parent[members[i]];
		int guard = 0;
		sampled++;
		while (v != 0 && v != HS_NONE && guard++ < MAX_PATH) {
			JLI(pv, counts, v);
			if (pv == PJERR) {
				JLFA(w, counts);
				return hs_error_oom(err, NULL);
			}
			(*pv)++;
			v = parent[v];
		}
	}
	/* the biggest count; among equal counts the deepest (walk up from a
	 * member through it and keep the first) */
	key = 0;
	JLF(pv, counts, key);
	while (pv) {
		if (*pv > best)
			best = *pv;
		JLN(pv, counts, key);
	}
	if (best * 2 > sampled && best >= 2) {
		for (i = 0; i < m && !at; i += step) {
			uint32_t v = parent[members[i]];
			int guard = 0;
			while (v != 0 && v != HS_NONE && guard++ < MAX_PATH) {
				JLG(pv, counts, v);
				if (pv && *pv == best) {
					at = v;
					break;
				}
				v = parent[v];
			}
		}
		*through = best * step > m ? m : best * step;
	}
	JLFA(w, counts);
	(void)w;
	*out = at;
	return 0;
}

/* Who holds the accumulation point, in words: the nearest static field,
 * thread (or thread's local variable) on the path, else its GC root. */
static char *holder_of(hs_graph *g, hs_suspect *s)
{
	const hs_dump *d = hs_graph_dump(g);
	char buf[700];
	uint32_t i;
	if (!s->path_len)
		return strdup("unknown");
	for (i = s->path_len; i-- > 0;) {
		uint32_t v = s->path[i], c = hs_graph_class(g, v);
		const char *via = i + 1 < s->path_len ? s->via[i + 1] : NULL;
		if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT) && via && strncmp(via, "static ", 7) == 0) {
			snprintf(buf, sizeof(buf), "static field %s.%s",
				 hs_dump_class(d, c & ~HS_CLASS_OBJECT_BIT)->name, via + 7);
			return strdup(buf);
		}
		if (hs_graph_thread_name(g, v)) {
			char *n = hs_graph_thread_name_dup(g, v);
			if (via && via[0] == '<' && strncmp(via, "<Java local", 11) == 0)
				snprintf(buf, sizeof(buf), "a local variable of thread %s (%.*s)", n ? n : "?",
					 (int)strlen(via) - 2, via + 1);
			else
				snprintf(buf, sizeof(buf), "thread %s", n ? n : "?");
			free(n);
			return strdup(buf);
		}
	}
	{
		uint32_t first = s->path[0], c = hs_graph_class(g, first);
		if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT))
			snprintf(buf, sizeof(buf), "class %s (GC root: %s)", hs_dump_class(d, c & ~HS_CLASS_OBJECT_BIT)->name,
				 s->via[0] ? s->via[0] : "?");
		else
			snprintf(buf, sizeof(buf), "%s @ 0x%llx (GC root: %s)", cls_name(g, first),
				 (unsigned long long)hs_graph_id(g, first), s->via[0] ? s->via[0] : "?");
	}
	return strdup(buf);
}

/* ThreadLocal held through a ThreadLocalMap$Entry on the path: the
 * static field that holds the ThreadLocal, or its class, in *out (NULL
 * when there is none).  Returns 0 or an hs_code: the Entry is read from
 * the dump again, and that pass may fail. */
static int through_threadlocal(hs_graph *g, hs_suspect *s, char **out, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t i, c, nc = hs_dump_class_count(d);
	uint64_t tl = 0;
	char buf[600];
	*out = NULL;
	for (i = 0; i < s->path_len; i++)
		if (strcmp(cls_name(g, s->path[i]), "java.lang.ThreadLocal$ThreadLocalMap$Entry") == 0)
			break;
	if (i == s->path_len)
		return 0;
	HS_FORWARD_IF_ERROR(hs_paths_field_values(g, &s->path[i], 1, "referent", &tl, err));
	if (!tl)
		return 0;
	for (c = 0; c < nc; c++) {
		const hs_class *k = hs_dump_class(d, c);
		unsigned f;
		for (f = 0; f < k->nstatics; f++)
			if (k->statics[f].type == HS_T_OBJECT && k->statics[f].value == tl) {
				const char *fn = hs_dump_string(d, k->statics[f].name_id);
				snprintf(buf, sizeof(buf), "ThreadLocal %s.%s", k->name, fn ? fn : "?");
				return (*out = strdup(buf)) ? 0 : hs_error_oom(err, NULL);
			}
	}
	{
		uint32_t tn = hs_graph_node(g, tl);
		snprintf(buf, sizeof(buf), "a %s @ 0x%llx", tn ? cls_name(g, tn) : "ThreadLocal",
			 (unsigned long long)tl);
	}
	return (*out = strdup(buf)) ? 0 : hs_error_oom(err, NULL);
}

/* Path to the accumulation point @p accum, its description, holder and
 * what accumulates below the @p nroots roots. */
static int describe(hs_graph *g, const uint32_t *parent, hs_suspect *s, uint32_t accum,
		    const uint32_t *roots, uint32_t nroots, int with_roots, hs_error *err)
{
	uint32_t *p = malloc(sizeof(uint32_t) * MAX_PATH), len;
	int rc;
	if (!p)
		return hs_error_oom(err, NULL);
	s->accum = accum;
	s->accum_class = cls_name(g, s->accum);
	len = hs_paths_to(parent, s->accum, p, MAX_PATH);
	s->path = p;
	s->path_len = len;
	s->via = calloc(len + 1, sizeof(char *));
	if (!s->via)
		return hs_error_oom(err, NULL);
	rc = hs_paths_describe(g, p, len, s->via, err);
	if (rc < 0)
		return rc;
	rc = hs_graph_fetch_labels(g, p, len, err);
	if (rc < 0)
		return rc;
	if (hs_graph_label(g, s->accum))
		s->accum_label = strdup(hs_graph_label(g, s->accum));
	s->holder = holder_of(g, s);
	if (!s->holder)
		return hs_error_oom(err, NULL);
	return subtree_classes(g, roots, nroots, with_roots, s, err);
}

static int push(hs_suspects *out, hs_suspect **s, hs_error *err)
{
	hs_suspect *n = realloc(out->items, sizeof(*n) * (out->n + 1));
	if (!n)
		return hs_error_oom(err, NULL);
	out->items = n;
	*s = &n[out->n++];
	memset(*s, 0, sizeof(**s));
	return 0;
}

/* Shape of what a thread holds: hash of the classes down the dominator
 * chain from the thread to its accumulation point (path[], from
 * hs_accumulation_path()), from the accumulation point up. */
static uint64_t shape(hs_graph *g, const uint32_t *path, uint32_t n)
{
	uint64_t h = 1469598103934665603ull;
	uint32_t i;
	for (i = n - 1; i > 0 && n - 1 - i < MAX_PATH; i--) {
		uint32_t c = hs_graph_class(g, path[i]);
		h = (h ^ c) * 1099511628211ull;
	}
	return h;
}

/* min, lower median, max and rounded average of v[0..n), sorting v */
static void spread(uint64_t *v, uint32_t n, uint64_t *mn, uint64_t *med, uint64_t *mx, uint64_t *avg)
{
	uint64_t sum = 0;
	uint32_t i;
	*mn = *med = *mx = *avg = 0;
	if (!n)
		return;
	qsort(v, n, sizeof(uint64_t), hs_u64_cmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	*mn = v[0];
	*med = v[(n - 1) / 2];
	*mx = v[n - 1];
	*avg = (sum + n / 2) / n;
}

/* What each member of a THREADS group holds: its own accumulation point,
 * with entry counts when all of them are collections.  Members are the
 * top[j] (j >= i) with shapes[j] == shapes[i], top[i] the biggest. */
static int each_member(hs_graph *g, const uint32_t *parent, const uint32_t *top, uint32_t cnt,
		       const uint64_t *shapes, uint32_t i, hs_suspect *s, hs_error *err)
{
	uint32_t *acc = malloc(sizeof(uint32_t) * (cnt + 1 + MAX_PATH)), n = 0, j, withsize = 0, np;
	uint64_t *ent = malloc(sizeof(uint64_t) * (cnt + 1)), *ret = malloc(sizeof(uint64_t) * (cnt + 1));
	int rc = 0;
	if (!acc || !ent || !ret) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (j = i; j < cnt; j++)
		if (shapes[j] == shapes[i])
			acc[n++] = hs_accumulation_point(g, top[j], err);
	if (n == 0)   /* i >= cnt: no member */
		goto done;
	/* with the labels of the biggest member's path, which describe()
	 * wants next: one pass over the dump for both */
	np = hs_paths_to(parent, acc[0], acc + n, MAX_PATH);
	if ((rc = hs_graph_fetch_labels(g, acc, n + np, err)) < 0)
		goto done;
	for (j = 0; j < n; j++) {
		const char *l = hs_graph_label(g, acc[j]);
		ret[j] = hs_graph_retained(g, acc[j]);
		if (l && strncmp(l, "size=", 5) == 0)
			ent[withsize++] = strtoull(l + 5, NULL, 10);
	}
	s->each_entries = n && withsize == n;
	if (s->each_entries)
		spread(ent, n, &s->entries_min, &s->entries_median, &s->entries_max, &s->entries_avg);
	spread(ret, n, &s->each_min, &s->each_median, &s->each_max, &s->each_avg);
done:
	free(acc);
	free(ent);
	free(ret);
	return rc;
}

/* memory findings by retained size, then pile-ups (biggest first), then
 * the thread count */
static int kind_rank(const hs_suspect *x)
{
	return x->kind == HS_SUSPECT_THREAD_COUNT ? 2 : x->kind == HS_SUSPECT_PILEUP ? 1 : 0;
}

static int by_retained_desc(const void *a, const void *b)
{
	const hs_suspect *x = a, *y = b;
	if (kind_rank(x) != kind_rank(y))
		return kind_rank(x) - kind_rank(y);
	if (x->kind == HS_SUSPECT_PILEUP && x->members != y->members)
		return x->members < y->members ? 1 : -1;
	return x->retained < y->retained ? 1 : x->retained > y->retained ? -1 : 0;
}

/* The most common of n strings (sorting them), and its count. */
static const char *commonest(const char **v, uint32_t n, uint64_t *count)
{
	*count = 0;
	if (!n)
		return NULL;
	qsort(v, n, sizeof(char *), cmp_name);
	return most_common(v, n, count);
}

/*
 * THREAD_COUNT: per name group (gof[i] of tnodes[i]) the counts, what the
 * threads have in common and which other finding counts them already;
 * s->retained the bytes of the threads no other finding counts.
 */
static int thread_groups(hs_graph *g, hs_suspect *s, const uint32_t *tnodes, const uint32_t *tinfo,
			 uint32_t ntn, const uint32_t *gof, const uint32_t *top, uint32_t cnt,
			 const uint32_t *fnode, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nti, i, k, *fin = calloc(ntn + 1, sizeof(uint32_t)), *ord = malloc(sizeof(uint32_t) * (ntn + 1));
	const hs_thread_info *th = hs_dump_threads(d, &nti);
	const char **cls = malloc(sizeof(char *) * (ntn + 1)), **held = malloc(sizeof(char *) * (ntn + 1));
	Pvoid_t at = NULL;   /* top-level node -> its index in top[] + 1 */
	PWord_t pv;
	Word_t w;
	int rc = 0;
	if (!fin || !ord || !cls || !held) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < cnt; i++)
		if (fnode[i]) {
			JLI(pv, at, top[i]);
			if (pv == PJERR) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
			*pv = i + 1;
		}
	for (i = 0; i < ntn; i++) {
		uint64_t r = hs_graph_retained(g, tnodes[i]);
		JLG(pv, at, tnodes[i]);
		fin[i] = pv ? fnode[*pv - 1] : 0;
		s->groups[gof[i]].count++;
		s->groups[gof[i]].retained += r;
		s->retained_all += r;
		if (fin[i])
			s->groups[gof[i]].in_findings++;
		else
			s->retained += r;
	}
	/* the threads of each group in turn: ord lists them group by group */
	{
		uint32_t *start = calloc(s->ngroups + 1, sizeof(uint32_t)), *fill;
		if (!start) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		for (i = 0; i < ntn; i++)
			start[gof[i] + 1]++;
		for (k = 0; k < s->ngroups; k++)
			start[k + 1] += start[k];
		fill = malloc(sizeof(uint32_t) * (s->ngroups + 1));
		if (!fill) {
			free(start);
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		memcpy(fill, start, sizeof(uint32_t) * (s->ngroups + 1));
		for (i = 0; i < ntn; i++)
			ord[fill[gof[i]]++] = i;
		free(fill);
		for (k = 0; k < s->ngroups && rc == 0; k++) {
			hs_name_count *gr = &s->groups[k];
			uint32_t a = start[k], b = start[k + 1], m, nh = 0, common = 0, nf0 = 0;
			const uint64_t *f0 = NULL;
			uint64_t c;
			for (m = a; m < b; m++) {
				uint32_t t = ord[m], acc = hs_accumulation_point(g, tnodes[t], err);
				uint32_t nf = 0;
				const uint64_t *fr = tinfo[t] == HS_NONE ? NULL
						     : hs_dump_trace(d, th[tinfo[t]].trace_serial, &nf);
				cls[m - a] = hs_graph_class_name(g, tnodes[t]);
				if (acc != tnodes[t])
					held[nh++] = cls_name(g, acc);
				if (m == a) {
					f0 = fr;
					nf0 = common = fr ? nf : 0;
				} else {
					uint32_t j = 0;
					while (j < common && j < nf && fr && hs_frames_same(d, f0[j], fr[j]))
						j++;
					common = j;
				}
				if (fin[t] && !gr->finding)
					gr->finding = fin[t];
			}
			(void)nf0;
			gr->class_name = commonest(cls, b - a, &gr->of_class);
			gr->holds = commonest(held, nh, &c);
			gr->holding = c;
			if (common && !(gr->frames = hs_frames_text(d, f0, common > 6 ? 6 : common, 0)))
				rc = hs_error_oom(err, NULL);
		}
		free(start);
	}
done:
	JLFA(w, at);
	(void)w;
	free(fin);
	free(ord);
	free(cls);
	free(held);
	return rc;
}

static int is_jdk_class(const char *n)
{
	return strncmp(n, "java.", 5) == 0 || strncmp(n, "jdk.", 4) == 0 || strncmp(n, "sun.", 4) == 0;
}

/* THREADS without a ThreadLocal: the application's classes on the path
 * below the thread, each with the field it holds the next step by
 * ("Sender.accumulator -> RecordAccumulator.batches -> ProducerBatch.buffer";
 * more than 3: the first, "...", the last two), in *out (NULL if none). */
static int through_holders(hs_graph *g, hs_suspect *s, char **out, hs_error *err)
{
	uint32_t i, idx[MAX_PATH], n = 0;
	char buf[900];
	size_t l = 0;
	*out = NULL;
	for (i = 1; i + 1 < s->path_len && n < MAX_PATH; i++) {
		uint32_t c = hs_graph_class(g, s->path[i]);
		const char *via = s->via[i + 1];
		if (c == HS_NONE || (c & HS_CLASS_OBJECT_BIT) || is_obj_array(g, s->path[i]) ||
		    is_jdk_class(cls_name(g, s->path[i])) || !via || via[0] != '.')
			continue;
		idx[n++] = i;
	}
	buf[0] = '\0';
	for (i = 0; i < n && l < sizeof(buf) - 1; i++) {
		const char *nm = cls_name(g, s->path[idx[i]]), *dot = strrchr(nm, '.');
		if (n > 3 && i > 0 && i < n - 2) {
			if (i == 1)
				l += (size_t)snprintf(buf + l, sizeof(buf) - l, " -> ...");
			continue;
		}
		l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s%s%s", i ? " -> " : "", dot ? dot + 1 : nm,
				      s->via[idx[i] + 1]);
	}
	if (n && !(*out = strdup(buf)))
		return hs_error_oom(err, NULL);
	return 0;
}

/*
 * Who owns the object threads wait on, in words: walk up its referrers
 * (the one nearest a GC root that is no thread, each time) while they are
 * the JDK's, up to 4 steps: "com.zaxxer.hikari.util.ConcurrentBag
 * .handoffQueue -> SynchronousQueue .transferer -> SynchronousQueue$TransferQueue".
 * Threads and their stack frames refer to it too, but only while waiting.
 */
static int owner_chain(hs_graph *g, const uint32_t *parent, uint32_t obj, char **out, hs_error *err)
{
	uint32_t chain[6], n = 1, i;
	char *via[6] = { 0 }, buf[1200];
	size_t l = 0;
	int rc = 0;
	*out = NULL;
	chain[0] = obj;
	while (n < 5) {
		uint32_t *refs = NULL, nr = 0, k, pick = 0;
		if ((rc = hs_paths_referrers(g, parent, chain[n - 1], MAX_PATH, &refs, &nr, err)) < 0)
			return rc;
		for (k = 0; k < nr && !pick; k++) {
			uint32_t c = hs_graph_class(g, refs[k]);
			if (refs[k] && c != HS_NONE && !hs_graph_thread_name(g, refs[k]) &&
			    strcmp(cls_name(g, refs[k]), "java.lang.Thread") != 0)
				pick = refs[k];
		}
		free(refs);
		if (!pick)
			break;
		chain[n++] = pick;
		if ((hs_graph_class(g, pick) & HS_CLASS_OBJECT_BIT) || !is_jdk_class(cls_name(g, pick)))
			break;
	}
	/* root first for hs_paths_describe */
	for (i = 0; i < n / 2; i++) {
		uint32_t t = chain[i];
		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	if ((rc = hs_paths_describe(g, chain, n, via, err)) < 0)
		return rc;
	buf[0] = '\0';
	for (i = 0; i < n && l < sizeof(buf) - 1; i++) {
		uint32_t c = hs_graph_class(g, chain[i]);
		const char *nm = (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT))
				 ? hs_dump_class(hs_graph_dump(g), c & ~HS_CLASS_OBJECT_BIT)->name : cls_name(g, chain[i]);
		const char *dot = strrchr(nm, '.');
		if (i > 0 && i < n - 1 && dot)
			nm = dot + 1;
		l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s%s%s%s%s",
				      i ? " " : "", i ? (via[i] && *via[i] ? via[i] : "?") : "", i ? " -> " : "",
				      (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT)) ? "class " : "", nm);
	}
	hs_paths_free_via(via, n);
	return (*out = strdup(buf)) ? 0 : hs_error_oom(err, NULL);
}

/*
 * The object threads waiting in Object.wait all wait on, when the dump
 * shows it: a local variable that the frame calling wait holds in every
 * one of them (the dump has no other record of a monitor's owner or
 * waiters).  0 when there is none or more than one.
 */
static uint32_t shared_local(hs_graph *g, const hs_thread_info *th, const uint32_t *members, uint32_t n,
			     const uint64_t *frames, uint32_t nframes, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint64_t nr, r;
	const hs_root *roots = hs_dump_roots(d, &nr);
	Pvoid_t serial = NULL, seen = NULL;   /* thread serial -> member + 1; id -> (count << 32 | last member + 1) */
	PWord_t pv, ps;
	Word_t w;
	uint32_t f = 0, i, found = 0, nfound = 0;
	/* the caller of Object.wait */
	while (f < nframes) {
		const hs_frame *fr = hs_dump_frame(d, frames[f]);
		const char *c = fr ? hs_dump_class_name_by_serial(d, fr->class_serial) : NULL;
		const char *m = fr ? hs_dump_string(d, fr->method_name_id) : NULL;
		if (!c || !m || strcmp(c, "java.lang.Object") || strncmp(m, "wait", 4))
			break;
		f++;
	}
	for (i = 0; i < n; i++) {
		JLI(pv, serial, th[members[i]].serial);
		if (pv == PJERR)
			goto oom;
		*pv = i + 1;
	}
	for (r = 0; r < nr; r++) {
		uint32_t mem, cnt;
		if (roots[r].kind != HS_SUB_ROOT_JAVA_FRAME || roots[r].frame != f || !roots[r].id)
			continue;
		JLG(ps, serial, roots[r].thread_serial);
		if (!ps)
			continue;
		mem = (uint32_t)*ps;
		JLI(pv, seen, roots[r].id);
		if (pv == PJERR)
			goto oom;
		cnt = (uint32_t)(*pv >> 32);
		if ((uint32_t)*pv != mem)   /* once per member */
			*pv = ((Word_t)(cnt + 1) << 32) | mem;
	}
	w = 0;
	JLF(pv, seen, w);
	while (pv) {
		uint32_t v = hs_graph_node(g, w);
		if ((uint32_t)(*pv >> 32) == n && v && !hs_graph_thread_name(g, v)) {
			found = v;
			nfound++;
		}
		JLN(pv, seen, w);
	}
	JLFA(w, serial);
	JLFA(w, seen);
	return nfound == 1 ? found : 0;
oom:
	JLFA(w, serial);
	JLFA(w, seen);
	hs_error_oom(err, NULL);
	return 0;
}

/* 5. Threads piled up at the same frames, waiting. */
static int pileups(hs_suspects *out, hs_graph *g, const uint32_t *parent, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	hs_stack_group *sg = NULL;
	uint32_t ng = 0, k, nti;
	const hs_thread_info *th = hs_dump_threads(d, &nti);
	int rc = hs_stack_groups(d, &sg, &ng, err);
	for (k = 0; rc == 0 && k < ng && sg[k].n >= HS_PILEUP_MIN; k++) {
		uint32_t nf0 = 0;
		const uint64_t *f0 = hs_dump_trace(d, th[sg[k].threads[0]].trace_serial, &nf0);
		const char *kind = hs_stack_wait_kind(d, f0, nf0);   /* the whole stack: idle? */
		uint32_t *nodes, n = 0, i, distinct = 1;
		uint64_t *blk;
		hs_suspect *s;
		char **names;
		if (!kind)
			continue;
		nodes = malloc(sizeof(uint32_t) * sg[k].n);
		blk = calloc(sg[k].n, sizeof(uint64_t));
		if (!nodes || !blk) {
			free(nodes);
			free(blk);
			rc = hs_error_oom(err, NULL);
			break;
		}
		for (i = 0; i < sg[k].n; i++) {
			uint32_t v = hs_graph_node(g, th[sg[k].threads[i]].object_id);
			if (v && hs_graph_reachable(g, v))
				nodes[n++] = v;
		}
		if (n < HS_PILEUP_MIN || (rc = hs_paths_field_values(g, nodes, n, "parkBlocker", blk, err)) < 0) {
			free(nodes);
			free(blk);
			continue;
		}
		/* each parked on an object of its own: no shared wait */
		if (!strcmp(kind, "park")) {
			uint64_t *sorted = malloc(sizeof(uint64_t) * n);
			size_t u;
			if (!sorted) {
				free(nodes);
				free(blk);
				rc = hs_error_oom(err, NULL);
				break;
			}
			memcpy(sorted, blk, sizeof(uint64_t) * n);
			u = hs_u64_sort_unique(sorted, n);
			distinct = u == n && sorted[0] != 0;
			free(sorted);
		} else {
			distinct = 0;
		}
		if (distinct || (rc = push(out, &s, err)) < 0) {
			free(nodes);
			free(blk);
			continue;
		}
		s->kind = HS_SUSPECT_PILEUP;
		s->members = n;
		s->node = nodes[0];
		s->class_name = cls_name(g, nodes[0]);
		s->wait_kind = kind;
		for (i = 1; i < n && blk[i] == blk[0]; i++)
			;
		if (!strcmp(kind, "park") && i == n && blk[0])
			s->blocker = hs_graph_node(g, blk[0]);
		else if (!strcmp(kind, "monitor"))
			s->blocker = shared_local(g, th, sg[k].threads, sg[k].n, f0, nf0, err);
		s->frames = hs_frames_text(d, sg[k].frames, sg[k].nframes, 0);
		s->frames_full = hs_frames_text(d, sg[k].frames, sg[k].nframes, 1);
		names = calloc(n + 1, sizeof(char *));
		if (!s->frames || !s->frames_full || !names ||
		    (rc = hs_graph_fetch_labels(g, nodes, n, err)) < 0) {
			free(names);
			free(nodes);
			free(blk);
			rc = rc < 0 ? rc : hs_error_oom(err, NULL);
			break;
		}
		/* the members' name pattern, when they have one */
		for (i = 0; i < n; i++)
			names[i] = hs_graph_thread_name_dup(g, nodes[i]);
		if (names[0]) {
			char *p0 = hs_name_pattern(names[0]);
			s->thread_pattern = strdup(names[0]);
			for (i = 1; p0 && s->thread_pattern && i < n; i++) {
				char *pi = names[i] ? hs_name_pattern(names[i]) : NULL;
				if (!pi || strcmp(pi, p0)) {
					free(s->thread_pattern);
					s->thread_pattern = NULL;
				} else {
					hs_name_pattern_keep(s->thread_pattern, names[i]);
				}
				free(pi);
			}
			free(p0);
		}
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		free(nodes);
		free(blk);
		if (s->blocker && s->blocker != HS_NONE &&
		    ((rc = describe(g, parent, s, s->blocker, &s->blocker, 1, 0, err)) < 0 ||
		     (rc = owner_chain(g, parent, s->blocker, &s->through, err)) < 0))
			break;
	}
	hs_stack_groups_free(sg, ng);
	return rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Names for the class loaders and class objects among the suspects'
 * objects, accumulation points and paths (hs_object_descs), once each. */
static int name_objects(hs_graph *g, hs_suspects *out, hs_error *err)
{
	uint32_t *nodes, n = 0, i, k, all = 0;
	char **cls = NULL, **det = NULL;
	int rc = 0;
	for (i = 0; i < out->n; i++)
		all += 2 + out->items[i].path_len;
	if (!(nodes = malloc(sizeof(uint32_t) * (all + 1))))
		return hs_error_oom(err, NULL);
	for (i = 0; i < out->n; i++) {
		const hs_suspect *s = &out->items[i];
		if (s->kind == HS_SUSPECT_OBJECT && s->node)
			nodes[n++] = s->node;
		if (s->accum && s->accum != HS_NONE)
			nodes[n++] = s->accum;
		for (k = 0; k < s->path_len; k++)
			nodes[n++] = s->path[k];
	}
	/* each once */
	qsort(nodes, n, sizeof(uint32_t), cmp_u32);
	for (i = 0, k = 0; i < n; i++)
		if (!k || nodes[k - 1] != nodes[i])
			nodes[k++] = nodes[i];
	n = k;
	cls = calloc(n + 1, sizeof(char *));
	det = calloc(n + 1, sizeof(char *));
	if (!cls || !det) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	if ((rc = hs_object_descs(g, nodes, n, cls, det, err)) < 0)
		goto done;
	for (i = 0; i < out->n && rc == 0; i++) {
		hs_suspect *s = &out->items[i];
		for (k = 0; k < n; k++) {
			char buf[900];
			int loader = det[k] && !cls[k] && strncmp(det[k], "loader ", 7) == 0;
			if (loader) {
				/* "class loader app (jdk...AppClassLoader)"; the class once */
				const char *c = cls_name(g, nodes[k]), *dot = strrchr(c, '.');
				const char *sc = dot ? dot + 1 : c;
				if (strncmp(det[k] + 7, sc, strlen(sc)) == 0)
					snprintf(buf, sizeof(buf), "class loader %s", det[k] + 7);
				else
					snprintf(buf, sizeof(buf), "class loader %s (%s)", det[k] + 7, c);
			} else if (cls[k]) {
				snprintf(buf, sizeof(buf), "%s%s%s%s", cls[k], det[k] ? " (" : "", det[k] ? det[k] : "",
					 det[k] ? ")" : "");
			} else {
				continue;
			}
			if (loader && s->kind == HS_SUSPECT_OBJECT && nodes[k] == s->node && !(s->node_name = strdup(buf)))
				rc = hs_error_oom(err, NULL);
			if (loader) {   /* on the path */
				uint32_t m;
				for (m = 0; m < s->path_len && rc == 0; m++) {
					if (s->path[m] != nodes[k])
						continue;
					if (!s->path_loaders && !(s->path_loaders = calloc(s->path_len, sizeof(char *))))
						rc = hs_error_oom(err, NULL);
					else if (!(s->path_loaders[m] = strdup(det[k] + 7)))
						rc = hs_error_oom(err, NULL);
				}
			}
			if (nodes[k] == s->accum) {
				if (!(s->accum_name = strdup(buf)))
					rc = hs_error_oom(err, NULL);
				else
					s->accum_class = s->accum_name;
			}
		}
	}
done:
	for (i = 0; i < n; i++) {
		if (cls)
			free(cls[i]);
		if (det)
			free(det[i]);
	}
	free(cls);
	free(det);
	free(nodes);
	return rc;
}

/* Positions of the top-level dominators by their class (ctx: the classes
 * by position), then by position. */
static int by_class_then_position(const void *a, const void *b, void *ctx)
{
	const uint32_t *cls = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (cls[x] != cls[y])
		return cls[x] < cls[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

int hs_suspects_find(hs_suspects *out, hs_graph *g, const hs_suspect_opts *o, hs_error *err)
{
	hs_dump_progress(hs_graph_dump(g), "suspects", 0, 0);
	const hs_dump *d = hs_graph_dump(g);
	uint64_t total = hs_graph_get_stats(g)->reachable_bytes, thr;
	uint32_t cnt, i, j, nt, *parent = NULL, *tnodes = NULL, ntn = 0;
	const uint32_t *top;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	uint8_t *used = NULL;
	uint64_t *shapes = NULL;
	uint32_t *fnode = NULL, *tinfo = NULL;   /* finding of top[i]; hs_thread_info of tnodes[i] */
	uint32_t *tobjs = NULL, ntobjs = 0;
	/* step 3: the class of each top-level dominator; their positions by
	 * class (byc), where each is in it (at) and where its class's run
	 * starts (lead); the classes settled, by their run's start */
	uint32_t *tcls = NULL, *byc = NULL, *at = NULL, *lead = NULL;
	uint8_t *settled = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->reachable = total;
	thr = (uint64_t)((double)total * o->threshold_pct / 100.0);
	/* from an index, its shortest-path tree is read on a second thread
	 * while the shapes below walk the dominator tree */
	hs_graph_path_tree_ahead(g, 0);
	top = hs_graph_dom_children(g, 0, &cnt, err);
	if (!top && cnt)
		return err->code;
	used = calloc(cnt + 1, 1);
	shapes = calloc(cnt + 1, sizeof(uint64_t));
	rc = hs_graph_thread_objects(g, &tobjs, &ntobjs, err);
	if (rc < 0)
		goto done;
	tnodes = malloc(sizeof(uint32_t) * ((size_t)nt + ntobjs + 1));
	tinfo = malloc(sizeof(uint32_t) * ((size_t)nt + ntobjs + 1));
	fnode = calloc(cnt + 1, sizeof(uint32_t));
	if (!used || !shapes || !tnodes || !tinfo || !fnode) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	/* thread names for everything below */
	for (i = 0; i < nt; i++) {
		uint32_t v = hs_graph_node(g, th[i].object_id);
		if (v && hs_graph_reachable(g, v)) {
			tinfo[ntn] = i;
			tnodes[ntn++] = v;
		}
	}
	/* and the reachable Thread objects with no thread root (compiler
	 * threads, threads not started or ended), as `threads` lists them and
	 * the threads rule counts them: no stack in the dump (tinfo HS_NONE) */
	{
		Pvoid_t rooted = NULL;
		Word_t w;
		int r1 = 0;
		for (i = 0; i < ntn && r1 != JERR; i++)
			J1S(r1, rooted, tnodes[i]);
		for (i = 0; i < ntobjs && r1 != JERR; i++) {
			J1T(r1, rooted, tobjs[i]);
			if (!r1) {
				tinfo[ntn] = HS_NONE;
				tnodes[ntn++] = tobjs[i];
			}
		}
		J1FA(w, rooted);
		(void)w;
		if (r1 == JERR) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	}
	out->threads = ntn;
	rc = hs_graph_fetch_labels(g, tnodes, ntn, err);
	if (rc < 0)
		goto done;

	/* 2. threads holding same-shaped structures */
	for (i = 0; i < cnt; i++)
		if (hs_graph_thread_name(g, top[i]) || strcmp(cls_name(g, top[i]), "java.lang.Thread") == 0) {
			uint32_t *p, np;
			if ((rc = hs_accumulation_path(g, top[i], &p, &np, err)) < 0)
				goto done;
			if (np > 1)   /* a thread that holds nothing big is no shape */
				shapes[i] = shape(g, p, np) | 1;
			free(p);
		}
	if ((rc = hs_paths_bfs(g, &parent, err)) < 0)
		goto done;
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
			uint32_t acc;
			char *n;
			if ((rc = push(out, &s, err)) < 0)
				goto done;
			s->kind = HS_SUSPECT_THREADS;
			s->node = top[i];   /* the biggest: top[] is sorted */
			s->class_name = cls_name(g, top[i]);
			s->retained = sum;
			s->members = members;
			for (j = i; j < cnt; j++)
				if (shapes[j] == shapes[i]) {
					used[j] = 1;
					fnode[j] = top[i];
				}
			acc = hs_accumulation_point(g, top[i], err);
			if ((rc = each_member(g, parent, top, cnt, shapes, i, s, err)) < 0 ||
			    (rc = describe(g, parent, s, acc, &acc, 1, 0, err)) < 0 ||
			    (rc = elements(g, acc, s, err)) < 0)
				goto done;
			n = hs_graph_thread_name_dup(g, top[i]);
			s->thread_pattern = n ? hs_name_pattern(n) : strdup("?");
			/* keep digit runs all members share (a port, say) */
			if (n && s->thread_pattern) {
				char *keep = strdup(n);
				for (j = i; keep && j < cnt; j++) {
					char *o;
					if (shapes[j] != shapes[i] || j == i)
						continue;
					o = hs_graph_thread_name_dup(g, top[j]);
					if (o)
						hs_name_pattern_keep(keep, o);
					free(o);
				}
				if (keep) {
					free(s->thread_pattern);
					s->thread_pattern = keep;
				}
			}
			free(n);
			if ((rc = through_threadlocal(g, s, &s->through, err)) < 0 ||
			    (!s->through && (rc = through_holders(g, s, &s->through, err)) < 0))
				goto done;
		}
	}
	/* 1. single objects */
	for (i = 0; i < cnt && hs_graph_retained(g, top[i]) > thr; i++) {
		hs_suspect *s;
		uint32_t acc;
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
		fnode[i] = top[i];
		acc = hs_accumulation_point(g, top[i], err);
		if ((rc = describe(g, parent, s, acc, &acc, 1, 0, err)) < 0 ||
		    (rc = elements(g, acc, s, err)) < 0)
			goto done;
	}
	/* 3. classes of the remaining top-level dominators; live threads are
	 * left to the thread-explosion finding when there are too many.  The
	 * members of a class are those after the first of it that may lead
	 * (in byc[], the top-level dominators by class, then by position);
	 * a class is settled by that first one: either it makes the class a
	 * suspect and they are all used, or a later one, with fewer members,
	 * would not make it either */
	if (cnt) {
		tcls = malloc(sizeof(uint32_t) * cnt);
		byc = malloc(sizeof(uint32_t) * cnt);
		at = malloc(sizeof(uint32_t) * cnt);
		lead = malloc(sizeof(uint32_t) * cnt);
		settled = calloc(cnt, 1);
		if (!tcls || !byc || !at || !lead || !settled) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		for (i = 0; i < cnt; i++) {
			tcls[i] = hs_graph_class(g, top[i]);
			byc[i] = i;
		}
		hs_sort(byc, cnt, sizeof(uint32_t), by_class_then_position, tcls);
		for (i = 0; i < cnt; i++) {   /* where each is, where its run starts */
			at[byc[i]] = i;
			lead[byc[i]] = i > 0 && tcls[byc[i - 1]] == tcls[byc[i]] ? lead[byc[i - 1]] : i;
		}
	}
	for (i = 0; i < cnt; i++) {
		uint64_t sum = 0, members = 0;
		uint32_t c = tcls[i], p;
		if (used[i] || (c & HS_CLASS_OBJECT_BIT) || settled[lead[i]])
			continue;
		if (ntn > o->max_threads && hs_graph_thread_name(g, top[i]))
			continue;
		settled[lead[i]] = 1;
		for (p = at[i]; p < cnt && tcls[byc[p]] == c; p++) {
			j = byc[p];
			if (!used[j]) {
				sum += hs_graph_retained(g, top[j]);
				members++;
			}
		}
		if (members >= 2 && sum > thr) {
			hs_suspect *s;
			uint32_t *mem = malloc(sizeof(uint32_t) * members), nm = 0, meet;
			if (!mem || (rc = push(out, &s, err)) < 0) {
				free(mem);
				if (!mem)
					rc = hs_error_oom(err, NULL);
				goto done;
			}
			s->kind = HS_SUSPECT_CLASS;
			s->node = top[i];
			s->class_name = cls_name(g, top[i]);
			s->retained = sum;
			s->members = members;
			for (p = at[i]; p < cnt && tcls[byc[p]] == c; p++) {
				j = byc[p];
				if (!used[j]) {
					used[j] = 1;
					fnode[j] = top[i];
					mem[nm++] = top[j];
				}
			}
			if ((rc = meet_point(parent, mem, nm, &meet, &s->meet, err)) < 0) {
				free(mem);
				goto done;
			}
			if (meet)
				meet = collection_of(g, meet, parent[meet]);
			rc = describe(g, parent, s, meet ? meet : top[i], mem, nm, 1, err);
			free(mem);
			if (rc < 0)
				goto done;
			s->elems[0].name = s->class_name;
			s->elems[0].count = members;
			s->elems[0].retained = sum;
			s->nelems = 1;
			s->nelem_total = members;
		}
	}
	/* 4. thread explosion */
	if (ntn > o->max_threads) {
		hs_suspect *s = NULL;
		char **names = calloc(ntn, sizeof(char *)), **shown = NULL;
		uint32_t *gof = malloc(sizeof(uint32_t) * ntn), ng = 0;
		int r2 = names && gof ? 0 : -1;
		for (i = 0; r2 == 0 && i < ntn; i++)
			names[i] = hs_graph_thread_name_dup(g, tnodes[i]);
		if (r2 == 0)
			r2 = hs_name_groups((const char *const *)names, ntn, gof, &shown, &ng);
		for (i = 0; names && i < ntn; i++)
			free(names[i]);
		free(names);
		if (r2 < 0)
			rc = hs_error_oom(err, NULL);
		else if ((rc = push(out, &s, err)) == 0 && !(s->groups = calloc(ng + 1, sizeof(*s->groups))))
			rc = hs_error_oom(err, NULL);
		if (rc < 0 || !s) {
			free(gof);
			hs_name_groups_free(shown, ng);
			goto done;
		}
		s->kind = HS_SUSPECT_THREAD_COUNT;
		s->members = ntn;
		s->node = tnodes[0];
		s->class_name = "java.lang.Thread";
		s->ngroups = ng;
		for (j = 0; j < ng; j++)
			s->groups[j].pattern = shown[j];   /* owned by the suspect now */
		free(shown);
		s->stack_estimate = (uint64_t)ntn * HS_STACK_SIZE_ASSUMED;
		rc = thread_groups(g, s, tnodes, tinfo, ntn, gof, top, cnt, fnode, err);
		free(gof);
		if (rc < 0)
			goto done;
		/* biggest groups first */
		for (i = 1; i < s->ngroups; i++)
			for (j = i; j > 0 && s->groups[j - 1].count < s->groups[j].count; j--) {
				hs_name_count t = s->groups[j];
				s->groups[j] = s->groups[j - 1];
				s->groups[j - 1] = t;
			}
	}
	/* 5. pile-ups */
	if ((rc = pileups(out, g, parent, err)) < 0 || (rc = name_objects(g, out, err)) < 0)
		goto done;
	for (i = 0; i < out->n; i++)
		out->items[i].pct = total ? 100.0 * (double)out->items[i].retained / (double)total : 0;
	if (out->n > 1)
		qsort(out->items, out->n, sizeof(*out->items), by_retained_desc);
	rc = 0;
done:
	hs_paths_free(g, parent);
	free(tcls);
	free(byc);
	free(at);
	free(lead);
	free(settled);
	free(used);
	free(shapes);
	free(tnodes);
	free(tobjs);
	free(tinfo);
	free(fnode);
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
		free(x->loader_names);
		for (j = 0; j < x->ngroups; j++) {
			free(x->groups[j].pattern);
			free(x->groups[j].frames);
		}
		free(x->frames);
		free(x->frames_full);
		free(x->node_name);
		free(x->accum_name);
		for (j = 0; x->path_loaders && j < x->path_len; j++)
			free(x->path_loaders[j]);
		free(x->path_loaders);
		free(x->groups);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}
