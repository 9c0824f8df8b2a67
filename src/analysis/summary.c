/*
 * summary.c - building, writing and reading heap summaries (snapshots).
 * The format is described in summary.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>
#include <zstd.h>

#include "heapscan/outfile.h"
#include "heapscan/paths.h"
#include "heapscan/retained.h"
#include "heapscan/source.h"
#include "heapscan/summary.h"
#include "heapscan/suspects.h"
#include "util.h"

#define TOP_DOMINATORS 50
/* A snapshot is small; refuse to read more than this (a dump given by
 * mistake is caught earlier by its header). */
#define MAX_SNAPSHOT (256u << 20)
/* Superclasses a snapshot's "super" record keeps (the nearest ones). */
#define MAX_SUPERS 60


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
		return hs_error_oom(err, NULL);
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

/* What a top-level object is, malloc'd: its class name, or "class NAME"
 * for a class object (rather than java.lang.Class, which says nothing). */
static char *object_name(hs_graph *g, uint32_t v)
{
	uint32_t c = hs_graph_class(g, v);
	if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT)) {
		const hs_class *k = hs_dump_class(hs_graph_dump(g), c & ~HS_CLASS_OBJECT_BIT);
		if (k && k->name) {
			size_t n = strlen(k->name) + 7;
			char *p = malloc(n);
			if (p)
				snprintf(p, n, "class %s", k->name);
			return p;
		}
	}
	return strdup(hs_graph_class_name(g, v));
}

#define SHAPE_STEPS 8
/*
 * The shape of what a top-level object holds: the classes on the
 * dominator-tree path from it down to its accumulation point, a run of
 * one class written once with its length ("Node x3"), and the
 * accumulation point's label ("java.util.HashMap (size=2000)").  Ids and
 * values are left out, so that the shape of one heap compares with the
 * next run's.  At most SHAPE_STEPS steps: the first and the last ones.
 */
static char *shape_of(hs_graph *g, uint32_t top, uint32_t acc)
{
	struct buf2 { char *p; size_t n, cap; } b = { 0 };
	uint32_t *chain = NULL, n = 0, cap = 0, i, *run_start = NULL, nruns = 0;
	const char *lab = hs_graph_label(g, acc);
	char *out = NULL;
	/* up from the accumulation point; top is an ancestor of it */
	for (i = acc;; i = hs_graph_idom(g, i)) {
		if (n == cap) {
			uint32_t nc = cap ? cap * 2 : 16, *nch = realloc(chain, nc * sizeof(uint32_t));
			if (!nch)
				goto done;
			chain = nch;
			cap = nc;
		}
		chain[n++] = i;
		if (i == top || i == 0 || i == HS_NONE)
			break;
	}
	run_start = malloc(sizeof(uint32_t) * (n + 1));
	if (!run_start)
		goto done;
	for (i = n; i-- > 0;)   /* top first */
		if (i == n - 1 || hs_graph_class(g, chain[i]) != hs_graph_class(g, chain[i + 1]))
			run_start[nruns++] = i;
	for (i = 0; i < nruns; i++) {
		uint32_t len = run_start[i] - (i + 1 < nruns ? run_start[i + 1] : (uint32_t)-1);
		char *name, num[48];
		size_t need;
		if (nruns > SHAPE_STEPS && i >= SHAPE_STEPS / 2 && i < nruns - (SHAPE_STEPS - SHAPE_STEPS / 2)) {
			if (i == SHAPE_STEPS / 2) {
				snprintf(num, sizeof(num), " > ... %u steps", nruns - SHAPE_STEPS);
				name = strdup("");
			} else {
				continue;
			}
		} else {
			name = object_name(g, chain[run_start[i]]);
			if (len > 1)
				snprintf(num, sizeof(num), " x%u", len);
			else
				num[0] = '\0';
		}
		if (!name)
			goto done;
		need = b.n + strlen(name) + strlen(num) + 4;
		if (need > b.cap) {
			char *np = realloc(b.p, need * 2);
			if (!np) {
				free(name);
				goto done;
			}
			b.p = np;
			b.cap = need * 2;
		}
		b.n += (size_t)sprintf(b.p + b.n, "%s%s%s", b.n && *name ? " > " : "", name, num);
		free(name);
	}
	if (lab && acc != top && !hs_graph_thread_name(g, acc)) {
		size_t need = b.n + strlen(lab) + 4;
		char *np = realloc(b.p, need);
		if (!np)
			goto done;
		b.p = np;
		b.n += (size_t)sprintf(b.p + b.n, " (%s)", lab);
	}
	out = b.p ? b.p : strdup("");
	b.p = NULL;
done:
	free(b.p);
	free(chain);
	free(run_start);
	return out;
}

/* Where a class row's " (loader NAME)" suffix starts (hs_groups_make adds
 * it to names several class loaders define), or the end of the name. */
static const char *bare_end(const char *s)
{
	const char *l = strstr(s, " (loader ");
	return l ? l : s + strlen(s);
}

int hs_glob_match(const char *p, const char *s)
{
	/* iterative, with one backtrack point: the last '*'; a pattern
	 * without "(loader" matches the name without its loader suffix */
	const char *star = NULL, *resume = NULL;
	const char *end = strstr(p, "(loader") ? s + strlen(s) : bare_end(s);
	while (s < end) {
		if (*p == '*') {
			star = ++p;
			resume = s;
		} else if (*p == '?' || (*p && *p == *s)) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* @p pattern without a trailing '+' into @p buf; 1 when it had one, -1
 * when it is too long to be a pattern (hs_rules_add() keeps lines short). */
static int base_glob(const char *pattern, char *buf, size_t n)
{
	size_t l = strlen(pattern);
	int plus = l > 0 && pattern[l - 1] == '+';
	if (l >= n)
		return -1;
	memcpy(buf, pattern, l - (size_t)plus);
	buf[l - (size_t)plus] = '\0';
	return plus;
}

int hs_summary_class_in(const char *pattern, const hs_sum_class *c)
{
	char g[1100];
	uint32_t k;
	int plus = base_glob(pattern, g, sizeof(g));
	if (plus <= 0)
		return plus == 0 && hs_glob_match(pattern, c->name);
	/* every class is a java.lang.Object */
	if (hs_glob_match(g, c->name) || hs_glob_match(g, "java.lang.Object"))
		return 1;
	for (k = 0; k < c->nsupers; k++)
		if (hs_glob_match(g, c->supers[k]))
			return 1;
	return 0;
}

int hs_summary_pattern_defined(const hs_summary *s, const char *pattern)
{
	char g[1100];
	uint32_t i;
	if (base_glob(pattern, g, sizeof(g)) < 0)
		return 0;
	for (i = 0; i < s->nclasses; i++)
		if (hs_glob_match(g, s->classes[i].name))
			return 1;
	for (i = 0; i < s->nloaded; i++)
		if (hs_glob_match(g, s->loaded[i]))
			return 1;
	return 0;
}

/* ---- sets of classes ------------------------------------------------ */

struct key {
	char *name;
	uint32_t ix;
	UT_hash_handle hh;
};

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_set_name(const void *a, const void *b)
{
	return strcmp(((const hs_sum_set *)a)->name, ((const hs_sum_set *)b)->name);
}

/* Indexes into a table of names (ctx), by name. */
static int by_name(const void *a, const void *b, void *ctx)
{
	const char *const *names = ctx;
	return strcmp(names[*(const uint32_t *)a], names[*(const uint32_t *)b]);
}

/*
 * Fill out[0..nsets) with the exact retained size of each set of class
 * groups; members[m_off[k] .. m_off[k + 1]) are the groups of set k.
 */
static int sets_retained(hs_graph *g, const hs_groups *gr, uint32_t nsets, const uint32_t *m_off,
			 const uint32_t *members, hs_group_sum *out, hs_error *err)
{
	uint32_t *off = calloc(gr->n + 2, sizeof(uint32_t)), *ids, k, i;
	int rc;
	if (!off)
		return hs_error_oom(err, NULL);
	ids = malloc(sizeof(uint32_t) * ((size_t)m_off[nsets] + 1));
	if (!ids) {
		free(off);
		return hs_error_oom(err, NULL);
	}
	/* members per set -> sets per group */
	for (k = 0; k < nsets; k++)
		for (i = m_off[k]; i < m_off[k + 1]; i++)
			off[members[i] + 2]++;
	for (i = 2; i < gr->n + 2; i++)
		off[i] += off[i - 1];
	for (k = 0; k < nsets; k++)
		for (i = m_off[k]; i < m_off[k + 1]; i++)
			ids[off[members[i] + 1]++] = k;
	rc = hs_retained_by_sets(g, gr->of_class, gr->n, gr->class_objects, off, ids, nsets, out, err);
	free(off);
	free(ids);
	return rc;
}

/* append v to a growable u32 array */
static int push(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		uint32_t *na = realloc(*a, nc * sizeof(uint32_t));
		if (!na)
			return -1;
		*a = na;
		*cap = nc;
	}
	(*a)[(*n)++] = v;
	return 0;
}

/* The names of the superclasses of class @p ci into @p c (the reader
 * has broken superclass loops; the walk stops after every class anyway). */
static int supers_of(hs_sum_class *c, hs_dump *d, uint32_t ci)
{
	uint32_t nc = hs_dump_class_count(d), j, steps = 0;
	if (ci == HS_NONE)
		return 0;
	for (j = hs_dump_class(d, ci)->super; j != HS_NONE && j < nc && steps++ < nc;
	     j = hs_dump_class(d, j)->super) {
		const char *n = hs_dump_class(d, j)->name;
		char **ns;
		if (!n || !strcmp(n, "java.lang.Object"))
			continue;
		ns = realloc(c->supers, sizeof(char *) * (c->nsupers + 1));
		if (!ns)
			return -1;
		c->supers = ns;
		if (!(c->supers[c->nsupers] = strndup(n, hs_class_name_stable_len(n))))
			return -1;
		c->nsupers++;
	}
	return 0;
}

/*
 * The class rows, the prefix rows and the pattern sets, from the class
 * groups of the dump: groups without a reachable object are left out.
 */
static int class_sets(hs_summary *s, hs_dump *d, hs_graph *g, const char *const *patterns,
		      uint32_t npatterns, hs_error *err)
{
	hs_groups gr;
	hs_group_sum *sum = NULL, *psum = NULL;
	struct key *h = NULL, *e, *tmp;
	char **keys = NULL;
	uint32_t nkeys = 0, keycap = 0, *live = NULL, nlive = 0, *m_off = NULL, *members = NULL, i, k;
	uint32_t nsets, nkept = 0, *kept = NULL, *first = NULL, *row_of = NULL, nc = hs_dump_class_count(d);
	size_t nm = 0, mcap = 0;
	int rc = hs_groups_make(&gr, d, g, HS_GROUP_CLASS, err);
	if (rc < 0)
		return rc;
	sum = calloc(gr.n + 1, sizeof(*sum));
	live = malloc(sizeof(uint32_t) * (gr.n + 1));
	s->classes = calloc(gr.n + 1, sizeof(*s->classes));
	if (!sum || !live || !s->classes) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	rc = hs_retained_by_group(g, gr.of_class, gr.n, gr.class_objects, sum, err);
	if (rc < 0)
		goto done;
	first = malloc(sizeof(uint32_t) * (gr.n + 1));
	row_of = malloc(sizeof(uint32_t) * (gr.n + 1));
	if (!first || !row_of) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < gr.n; i++)
		first[i] = HS_NONE;
	for (i = 0; i < nc; i++)
		if (gr.of_class[i] != HS_NONE && first[gr.of_class[i]] == HS_NONE)
			first[gr.of_class[i]] = i;
	for (i = 0; i < gr.n; i++) {
		hs_sum_class *c;
		if (!sum[i].objects)
			continue;
		live[nlive++] = i;
		row_of[i] = s->nclasses;
		c = &s->classes[s->nclasses];
		c->name = strdup(gr.names[i]);
		if (!c->name || supers_of(c, d, first[i]) < 0) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		c->instances = sum[i].objects;
		c->shallow = sum[i].shallow;
		c->retained = sum[i].retained;
		s->nclasses++;
	}
	/* the classes without a row: a rule naming one of them names a class
	 * of the dump, which has no reachable instance */
	for (i = 0; i < nc; i++) {
		const hs_class *k = hs_dump_class(d, i);
		char **nl;
		if (gr.of_class[i] == HS_NONE || sum[gr.of_class[i]].objects || !k->name)
			continue;
		nl = realloc(s->loaded, sizeof(char *) * (s->nloaded + 1));
		if (!nl) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		s->loaded = nl;
		if (!(s->loaded[s->nloaded] = strndup(k->name, hs_class_name_stable_len(k->name)))) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		s->nloaded++;
	}
	if (s->nloaded) {
		uint32_t o = 1;
		qsort(s->loaded, s->nloaded, sizeof(char *), by_str);
		for (i = 1; i < s->nloaded; i++) {
			if (!strcmp(s->loaded[i], s->loaded[o - 1]))
				free(s->loaded[i]);
			else
				s->loaded[o++] = s->loaded[i];
		}
		s->nloaded = o;
	}
	s->knows_loaded = s->knows_supers = 1;

	/* candidate prefixes: "", and each name up to a '.' (with it) or up
	 * to a '$' or '[' (without it), and a name with a loader suffix
	 * without the suffix */
	for (i = 0; i < nlive; i++) {
		const char *name = gr.names[live[i]];
		size_t l, len = (size_t)(bare_end(name) - name);
		for (l = 0; l <= len; l++) {
			size_t kl;
			if (l == 0)
				kl = 0;
			else if (name[l - 1] == '.')
				kl = l;
			else if (l < len && (name[l] == '$' || name[l] == '[') && name[l - 1] != '$' && name[l - 1] != '[')
				kl = l;
			else if (l == len && name[len] != '\0')
				kl = l;   /* a name several loaders define: all of them */
			else
				continue;
			HASH_FIND(hh, h, name, kl, e);
			if (e)
				continue;
			if (nkeys == keycap) {
				uint32_t nc = keycap ? keycap * 2 : 256;
				char **nk = realloc(keys, nc * sizeof(char *));
				if (!nk) {
					rc = hs_error_oom(err, NULL);
					goto done;
				}
				keys = nk;
				keycap = nc;
			}
			e = malloc(sizeof(*e));
			if (!e || !(keys[nkeys] = strndup(name, kl))) {
				free(e);
				rc = hs_error_oom(err, NULL);
				goto done;
			}
			e->name = keys[nkeys];
			e->ix = nkeys++;
			HASH_ADD_KEYPTR(hh, h, e->name, kl, e);
		}
	}
	/* members of each prefix: a run of the names in sorted order */
	hs_sort(live, nlive, sizeof(uint32_t), by_name, gr.names);
	if (nkeys)
		qsort(keys, nkeys, sizeof(char *), by_str);
	nsets = nkeys + npatterns;
	m_off = malloc(sizeof(uint32_t) * (nsets + 1));
	kept = malloc(sizeof(uint32_t) * (nkeys + 1));
	if (!m_off || !kept) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	{
		uint32_t nk = 0;
		for (k = 0; k < nkeys; k++) {
			size_t kl = strlen(keys[k]), start = nm;
			uint32_t a = 0, b = nlive;
			while (a < b) {   /* the first name >= the key */
				uint32_t mid = a + (b - a) / 2;
				if (strcmp(gr.names[live[mid]], keys[k]) < 0)
					a = mid + 1;
				else
					b = mid;
			}
			for (i = a; i < nlive && strncmp(gr.names[live[i]], keys[k], kl) == 0; i++)
				if (push(&members, &nm, &mcap, live[i]) < 0) {
					rc = hs_error_oom(err, NULL);
					goto done;
				}
			if (nm - start < 2) {   /* one class: its class row says it */
				nm = start;
				continue;
			}
			m_off[nk] = (uint32_t)start;
			kept[nk++] = k;
		}
		nkept = nk;
	}
	for (k = 0; k < npatterns; k++) {
		m_off[nkept + k] = (uint32_t)nm;
		for (i = 0; i < nlive; i++)
			if (hs_summary_class_in(patterns[k], &s->classes[row_of[live[i]]]) &&
			    push(&members, &nm, &mcap, live[i]) < 0) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
	}
	nsets = nkept + npatterns;
	m_off[nsets] = (uint32_t)nm;
	psum = calloc(nsets + 1, sizeof(*psum));
	s->prefixes = calloc(nkept + 1, sizeof(*s->prefixes));
	s->patterns = calloc(npatterns + 1, sizeof(*s->patterns));
	if (!psum || !s->prefixes || !s->patterns) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	if (nsets && (rc = sets_retained(g, &gr, nsets, m_off, members ? members : live, psum, err)) < 0)
		goto done;
	for (k = 0; k < nsets; k++) {
		hs_sum_set *x = k < nkept ? &s->prefixes[k] : &s->patterns[k - nkept];
		x->name = strdup(k < nkept ? keys[kept[k]] : patterns[k - nkept]);
		if (!x->name) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		x->retained = psum[k].retained;
		x->instances = psum[k].objects;
		x->shallow = psum[k].shallow;
		x->classes = m_off[k + 1] - m_off[k];
		if (k < nkept)
			s->nprefixes++;
		else
			s->npatterns++;
	}
done:
	HASH_ITER(hh, h, e, tmp) {
		HASH_DEL(h, e);
		free(e);
	}
	for (k = 0; k < nkeys; k++)
		free(keys[k]);
	free(keys);
	free(kept);
	free(first);
	free(row_of);
	free(m_off);
	free(members);
	free(psum);
	free(sum);
	free(live);
	hs_groups_release(&gr);
	return rc;
}

int hs_summary_build(hs_summary *s, hs_dump *d, hs_graph *g, const char *version,
		     const char *const *patterns, uint32_t npatterns, hs_error *err)
{
	return hs_summary_build_ex(s, d, g, version, patterns, npatterns, HS_SUMMARY_SUSPECT_THRESHOLD, err);
}

int hs_summary_build_ex(hs_summary *s, hs_dump *d, hs_graph *g, const char *version,
			const char *const *patterns, uint32_t npatterns, double suspect_threshold,
			hs_error *err)
{
	const hs_dump_info *in = hs_dump_get_info(d);
	const hs_graph_stats *st = hs_graph_get_stats(g);
	uint32_t i, nt, cnt, *tn = NULL, *acc = NULL, ntn = 0, *objs = NULL, nobjs = 0;
	uint8_t *listed = NULL;
	const hs_thread_info *th;
	const uint32_t *top;
	hs_suspects sus;
	hs_suspect_opts so = { HS_SUMMARY_SUSPECT_THRESHOLD, 1000 };
	int rc, pass;

	hs_dump_progress(d, "summary", 0, 0);
	memset(s, 0, sizeof(*s));
	s->heapscan_version = strdup(version);
	s->dump = strdup(in->path);
	s->source = strdup(in->path);
	s->format = strdup(in->version);
	s->idsize = in->idsize;
	s->timestamp_ms = in->timestamp_ms;
	s->file_size = in->file_size;
	s->reachable_bytes = st->reachable_bytes;
	s->reachable_objects = st->reachable;
	s->unreachable_objects = st->unreachable;
	s->unreachable_bytes = st->unreachable_bytes;
	if (in->truncated) {   /* a baseline cut short must not pass for whole */
		s->truncated = 1;
		s->truncated_at = in->trunc_error.offset;
		s->truncated_what = strdup(in->trunc_error.msg);
		if (!s->truncated_what) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	}

	s->version = HS_SNAPSHOT_VERSION;
	s->suspect_threshold = suspect_threshold < HS_SUMMARY_SUSPECT_THRESHOLD ? suspect_threshold
			       : HS_SUMMARY_SUSPECT_THRESHOLD;
	rc = class_sets(s, d, g, patterns, npatterns, err);
	if (rc < 0)
		goto done;
	rc = named_groups(&s->loaders, &s->nloaders, d, g, HS_GROUP_LOADER, err);
	hs_graph_dom_preorder_release(g);   /* its memory, for the paths below */
	if (rc < 0)
		goto done;

	/* threads and what each holds: those of the thread roots, then the
	 * other Thread objects the roots reach (as the threads command) */
	th = hs_dump_threads(d, &nt);
	rc = hs_graph_thread_objects(g, &objs, &nobjs, err);
	if (rc < 0)
		goto done;
	tn = malloc(sizeof(uint32_t) * ((size_t)nt + nobjs + 1));
	acc = malloc(sizeof(uint32_t) * ((size_t)nt + nobjs + TOP_DOMINATORS + 1));
	s->threads = calloc((size_t)nt + nobjs + 1, sizeof(*s->threads));
	listed = calloc(hs_graph_nodes(g) / 8 + 1, 1);
	if (!tn || !acc || !s->threads || !listed) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < nt + nobjs; i++) {
		uint32_t v = i < nt ? hs_graph_node(g, th[i].object_id) : objs[i - nt];
		if (v && !(listed[v / 8] & (1u << (v % 8))) && hs_graph_reachable(g, v)) {
			listed[v / 8] |= (uint8_t)(1u << (v % 8));
			tn[ntn] = v;
			acc[ntn] = hs_accumulation_point(g, v, err);
			ntn++;
		}
	}
	/* top dominators, and where each accumulates (acc[ntn + i]) */
	top = hs_graph_dom_children(g, 0, &cnt, err);
	if (!top)
		cnt = 0;
	if (cnt > TOP_DOMINATORS)
		cnt = TOP_DOMINATORS;
	for (i = 0; i < cnt; i++)
		acc[ntn + i] = hs_accumulation_point(g, top[i], err);
	rc = hs_graph_fetch_labels(g, tn, ntn, err);
	if (rc == 0)
		rc = hs_graph_fetch_labels(g, acc, ntn + cnt, err);
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

	s->doms = calloc(cnt + 1, sizeof(*s->doms));
	if (!s->doms) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < cnt; i++) {
		s->doms[i].name = object_name(g, top[i]);
		s->doms[i].retained = hs_graph_retained(g, top[i]);
		s->doms[i].shallow = hs_graph_shallow(g, top[i]);
		s->doms[i].objects = hs_graph_retained_count(g, top[i]);
		s->doms[i].shape = shape_of(g, top[i], acc[ntn + i]);
		s->ndoms = i + 1;
		if (!s->doms[i].name || !s->doms[i].shape) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	}

	/* the suspects above the usual threshold, and below it those above a
	 * lower one: a lower threshold alone would find other suspects (each
	 * object above it on its own, where the usual one groups them by
	 * class), not more */
	for (pass = 0; pass < 2; pass++) {
		hs_sum_suspect *ns;
		if (pass == 1 && !(suspect_threshold < HS_SUMMARY_SUSPECT_THRESHOLD))
			break;
		so.threshold_pct = pass ? suspect_threshold : HS_SUMMARY_SUSPECT_THRESHOLD;
		rc = hs_suspects_find(&sus, g, &so, err);
		if (rc < 0)
			goto done;
		ns = realloc(s->suspects, sizeof(*s->suspects) * (s->nsuspects + sus.n + 1));
		if (!ns) {
			hs_suspects_release(&sus);
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		s->suspects = ns;
		for (i = 0; i < sus.n; i++) {
			const hs_suspect *x = &sus.items[i];
			hs_sum_suspect *y = &s->suspects[s->nsuspects];
			static const char *kinds[] = { "object", "class", "threads", "thread-count", "pile-up" };
			if (pass == 1 && (x->pct > HS_SUMMARY_SUSPECT_THRESHOLD || x->kind == HS_SUSPECT_THREAD_COUNT ||
					  x->kind == HS_SUSPECT_PILEUP))
				continue;   /* the first pass has it */
			memset(y, 0, sizeof(*y));
			y->kind = strdup(kinds[x->kind]);
			/* a class object that is its own accumulation point: by the
			 * static field that holds most, "class Basic (static MAP)" */
			y->class_name = x->node_name ? strdup(x->node_name)
					: x->accum_name && x->accum == x->node ? strdup(x->accum_name)
					: x->node ? object_name(g, x->node) : dup_or_empty(x->class_name);
			y->holder = dup_or_empty(x->holder);
			y->accum_class = dup_or_empty(x->accum_class);
			y->thread_pattern = dup_or_empty(x->thread_pattern);
			y->through = dup_or_empty(x->through);
			y->retained = x->retained;
			y->members = x->members;
			y->pct = x->pct;
			y->entries = x->accum_label && strncmp(x->accum_label, "size=", 5) == 0
				     ? strtoll(x->accum_label + 5, NULL, 10) : -1;
			y->entries_min = y->entries_max = y->entries_avg = -1;
			if (x->kind == HS_SUSPECT_THREADS && x->each_entries && x->entries_min != x->entries_max) {
				y->entries_min = (int64_t)x->entries_min;
				y->entries_max = (int64_t)x->entries_max;
				y->entries_avg = (int64_t)x->entries_avg;
			}
			s->nsuspects++;
		}
		hs_suspects_release(&sus);
	}
	rc = 0;
done:
	free(tn);
	free(acc);
	free(objs);
	free(listed);
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
	else if (s->nprefixes > 1)   /* written sorted; make sure */
		qsort(s->prefixes, s->nprefixes, sizeof(*s->prefixes), by_set_name);
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
	free(s->source);
	free(s->format);
	free(s->truncated_what);
	for (i = 0; i < s->nclasses; i++) {
		uint32_t k;
		for (k = 0; k < s->classes[i].nsupers; k++)
			free(s->classes[i].supers[k]);
		free(s->classes[i].supers);
		free(s->classes[i].name);
	}
	free(s->classes);
	for (i = 0; i < s->nloaded; i++)
		free(s->loaded[i]);
	free(s->loaded);
	for (i = 0; i < s->nthreads; i++) {
		free(s->threads[i].name);
		free(s->threads[i].held_class);
	}
	free(s->threads);
	for (i = 0; i < s->nloaders; i++)
		free(s->loaders[i].name);
	free(s->loaders);
	for (i = 0; i < s->ndoms; i++) {
		free(s->doms[i].name);
		free(s->doms[i].shape);
	}
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
	for (i = 0; i < s->nprefixes; i++)
		free(s->prefixes[i].name);
	free(s->prefixes);
	for (i = 0; i < s->npatterns; i++)
		free(s->patterns[i].name);
	free(s->patterns);
	memset(s, 0, sizeof(*s));
}

int hs_summary_class_set(const hs_summary *s, const char *pattern, hs_sum_set *out)
{
	uint32_t i, last = 0;
	size_t l = strlen(pattern);
	memset(out, 0, sizeof(*out));
	for (i = 0; i < s->nclasses; i++)
		if (hs_summary_class_in(pattern, &s->classes[i])) {
			out->instances += s->classes[i].instances;
			out->shallow += s->classes[i].shallow;
			out->classes++;
			last = i;
		}
	/* computed from the dump */
	for (i = 0; i < s->npatterns; i++)
		if (!strcmp(s->patterns[i].name, pattern)) {
			out->retained = s->patterns[i].retained;
			return 0;
		}
	if (out->classes <= 1) {
		out->retained = out->classes ? s->classes[last].retained : 0;
		return 0;
	}
	/* PREFIX* with no other wildcard: a prefix row */
	if (l && pattern[l - 1] == '+')   /* no prefix row is a hierarchy */
		return -1;
	if (s->nprefixes && l && pattern[l - 1] == '*' && strcspn(pattern, "*?") == l - 1) {
		hs_sum_set key;
		const hs_sum_set *p;
		char *name = strndup(pattern, l - 1);
		if (!name)
			return -1;
		key.name = name;
		p = bsearch(&key, s->prefixes, s->nprefixes, sizeof(*s->prefixes), by_set_name);
		free(name);
		if (p) {
			out->retained = p->retained;
			return 0;
		}
	}
	/* NAME with no wildcard, matching the rows of the loaders that define
	 * it: the prefix row of NAME, when it holds just those rows */
	if (s->nprefixes && l && strcspn(pattern, "*?") == l && !strstr(pattern, "(loader")) {
		hs_sum_set key;
		const hs_sum_set *p;
		key.name = (char *)pattern;
		p = bsearch(&key, s->prefixes, s->nprefixes, sizeof(*s->prefixes), by_set_name);
		if (p && p->classes == out->classes) {
			out->retained = p->retained;
			return 0;
		}
	}
	return -1;
}
