/*
 * summary.c - building a heap summary from an analysed graph, and the
 * questions a summary answers (the classes of a pattern together).
 *
 * The file form of a summary, a snapshot, is snapshot.c's (format in
 * snapshot.h); the class name patterns are the rules' (rules.c).
 *
 * A summary owns every string and array in it (hs_summary_release()).  Its
 * prefix rows are sorted by name: hs_summary_class_set() finds them by
 * bisection, and whoever fills them (the build, the snapshot reader) sorts
 * them with hs_summary_sort_prefixes().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "heapscan/paths.h"
#include "heapscan/retained.h"
#include "heapscan/rules.h"
#include "heapscan/snapshot.h"   /* HS_SNAPSHOT_VERSION: what a summary built now is */
#include "heapscan/summary.h"
#include "heapscan/suspects.h"
#include "util.h"

/* The top dominators a summary keeps: those a CI diff shows. */
#define TOP_DOMINATORS 50

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
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
	uint32_t *chain = NULL, n = 0, i, *run_start = NULL, nruns = 0;
	const char *lab = hs_graph_label(g, acc);
	char *out = NULL;
	hs_error err;
	/* up from the accumulation point to top: the walk down that found
	 * it (hs_accumulation_path()), turned round */
	if (hs_accumulation_path(g, top, &chain, &n, &err) < 0 || chain[n - 1] != acc)
		goto done;
	for (i = 0; i < n / 2; i++) {
		uint32_t t = chain[i];
		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
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

void hs_summary_sort_prefixes(hs_summary *s)
{
	if (s->nprefixes > 1)
		qsort(s->prefixes, s->nprefixes, sizeof(*s->prefixes), by_set_name);
}

/* Indexes into a table of names (ctx), by name. */
static int by_name(const void *a, const void *b, void *ctx)
{
	const char *const *names = ctx;
	return strcmp(names[*(const uint32_t *)a], names[*(const uint32_t *)b]);
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

/* The objects and shallow bytes of each group of @p gr: the sums of its
 * class keys' (hs_graph_class_totals()). */
static void group_totals(const hs_groups *gr, uint32_t nc, const uint64_t *objects, const uint64_t *shallow,
			 hs_group_sum *sum)
{
	uint32_t k;
	for (k = 0; k < 2 * nc; k++) {
		uint32_t x = hs_group_of_key(gr->of_class, gr->class_objects, nc, k);
		if (x == HS_NONE || x >= gr->n)
			continue;
		sum[x].objects += objects[k];
		sum[x].shallow += shallow[k];
	}
}

/*
 * The class rows, the prefix rows, the pattern sets and the class loader
 * rows, from the class and loader groups of the dump: groups without a
 * reachable object are left out.  Their retained sizes come from one walk
 * of the dominator tree for them all (each object is in the set of its
 * class, the prefix and pattern sets of its class and the set of its
 * loader): the sets are counted apart, so that they are what a walk per
 * kind would give.
 */
static int class_sets(hs_summary *s, hs_dump *d, hs_graph *g, const char *const *patterns,
		      uint32_t npatterns, hs_error *err)
{
	hs_groups gr, lg;
	hs_group_sum *sum = NULL, *lsum = NULL;
	struct key *h = NULL, *e, *tmp;
	char **keys = NULL;
	uint32_t nkeys = 0, keycap = 0, *live = NULL, nlive = 0, *m_off = NULL, *members = NULL, i, k;
	uint32_t nsets, nkept = 0, *kept = NULL, *first = NULL, *row_of = NULL, nc = hs_dump_class_count(d);
	uint32_t *goff = NULL, *gids = NULL, *koff = NULL, *kids = NULL, nall = 0;
	uint64_t *kobj = NULL, *kshal = NULL, *ret = NULL;
	const char *outer = hs_dump_phase(d);
	size_t nm = 0, mcap = 0;
	int rc = hs_groups_make(&gr, d, g, HS_GROUP_CLASS, err);
	if (rc < 0)
		return rc;
	if ((rc = hs_groups_make(&lg, d, g, HS_GROUP_LOADER, err)) < 0) {
		hs_groups_release(&gr);
		return rc;
	}
	sum = calloc(gr.n + 1, sizeof(*sum));
	lsum = calloc(lg.n + 1, sizeof(*lsum));
	live = malloc(sizeof(uint32_t) * (gr.n + 1));
	s->classes = calloc(gr.n + 1, sizeof(*s->classes));
	kobj = malloc(sizeof(uint64_t) * (2 * (size_t)nc + 1));
	kshal = malloc(sizeof(uint64_t) * (2 * (size_t)nc + 1));
	if (!sum || !lsum || !live || !s->classes || !kobj || !kshal) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	hs_dump_progress(d, "retained sizes of groups", 0, 0);
	if ((rc = hs_graph_class_totals(g, kobj, kshal, err)) < 0)
		goto done;
	group_totals(&gr, nc, kobj, kshal, sum);
	group_totals(&lg, nc, kobj, kshal, lsum);
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
		s->nclasses++;   /* the retained size after the walk */
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
		size_t l, len = hs_class_name_bare_len(name);
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
			if (hs_rules_class_in(patterns[k], &s->classes[row_of[live[i]]]) &&
			    push(&members, &nm, &mcap, live[i]) < 0) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
	}
	nsets = nkept + npatterns;
	m_off[nsets] = (uint32_t)nm;
	s->prefixes = calloc(nkept + 1, sizeof(*s->prefixes));
	s->patterns = calloc(npatterns + 1, sizeof(*s->patterns));
	s->loaders = calloc(lg.n + 1, sizeof(*s->loaders));
	if (!s->prefixes || !s->patterns || !s->loaders) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}

	/* the sets of the walk: the class groups [0, gr.n), the prefix and
	 * pattern sets [gr.n, gr.n + nsets), the loader groups after them;
	 * first the prefix and pattern sets of each class group ... */
	goff = calloc(gr.n + 2, sizeof(uint32_t));
	gids = malloc(sizeof(uint32_t) * ((size_t)nm + 1));
	koff = malloc(sizeof(uint32_t) * (2 * (size_t)nc + 1));
	if (!goff || !gids || !koff) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (k = 0; k < nsets; k++)
		for (i = m_off[k]; i < m_off[k + 1]; i++)
			goff[members[i] + 2]++;
	for (i = 2; i < gr.n + 2; i++)
		goff[i] += goff[i - 1];
	for (k = 0; k < nsets; k++)
		for (i = m_off[k]; i < m_off[k + 1]; i++)
			gids[goff[members[i] + 1]++] = gr.n + k;
	/* ... then every set of each class key */
	{
		size_t total = 0;
		uint32_t pass, nk = 2 * nc;
		for (pass = 0; pass < 2; pass++) {
			total = 0;
			for (k = 0; k < nk; k++) {
				uint32_t cg = hs_group_of_key(gr.of_class, gr.class_objects, nc, k);
				uint32_t lgk = hs_group_of_key(lg.of_class, lg.class_objects, nc, k);
				if (pass)
					koff[k] = (uint32_t)total;
				if (cg != HS_NONE && cg < gr.n) {
					if (pass)
						kids[total] = cg;
					total++;
					for (i = goff[cg]; i < goff[cg + 1]; i++) {
						if (pass)
							kids[total] = gids[i];
						total++;
					}
				}
				if (lgk != HS_NONE && lgk < lg.n) {
					if (pass)
						kids[total] = gr.n + nsets + lgk;
					total++;
				}
			}
			if (!pass && !(kids = malloc(sizeof(uint32_t) * (total + 1)))) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
		}
		koff[nk] = (uint32_t)total;
	}
	nall = gr.n + nsets + lg.n;
	if (!(ret = malloc(sizeof(uint64_t) * ((size_t)nall + 1)))) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	if ((rc = hs_graph_retained_by_key_sets(g, koff, kids, nall, ret, err)) < 0)
		goto done;
	if (outer)
		hs_dump_progress(d, outer, 0, 0);
	/* the class and loader groups are those of top-retained --by-class
	 * and --by-classloader, walked as their own sets: kept for the
	 * index, the next of those commands reads them */
	for (i = 0; i < gr.n; i++)
		sum[i].retained = ret[i];
	for (i = 0; i < lg.n; i++)
		lsum[i].retained = ret[gr.n + nsets + i];
	hs_retained_learn(g, gr.of_class, gr.n, gr.class_objects, sum);
	hs_retained_learn(g, lg.of_class, lg.n, lg.class_objects, lsum);

	for (i = 0; i < nlive; i++)
		s->classes[row_of[live[i]]].retained = ret[live[i]];
	for (k = 0; k < nsets; k++) {
		hs_sum_set *x = k < nkept ? &s->prefixes[k] : &s->patterns[k - nkept];
		x->name = strdup(k < nkept ? keys[kept[k]] : patterns[k - nkept]);
		if (!x->name) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		x->retained = ret[gr.n + k];
		for (i = m_off[k]; i < m_off[k + 1]; i++) {
			x->instances += sum[members[i]].objects;
			x->shallow += sum[members[i]].shallow;
		}
		x->classes = m_off[k + 1] - m_off[k];
		if (k < nkept)
			s->nprefixes++;
		else
			s->npatterns++;
	}
	for (i = 0; i < lg.n; i++) {
		hs_sum_named *x = &s->loaders[s->nloaders];
		if (!lsum[i].objects)
			continue;
		if (!(x->name = strdup(lg.names[i]))) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		x->retained = ret[gr.n + nsets + i];
		x->objects = lsum[i].objects;
		x->shallow = lsum[i].shallow;
		s->nloaders++;
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
	free(sum);
	free(lsum);
	free(live);
	free(goff);
	free(gids);
	free(koff);
	free(kids);
	free(kobj);
	free(kshal);
	free(ret);
	hs_groups_release(&gr);
	hs_groups_release(&lg);
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
		if (hs_rules_class_in(pattern, &s->classes[i])) {
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
