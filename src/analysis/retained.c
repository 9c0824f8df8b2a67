/*
 * retained.c - retained sizes of groups of objects (all instances of a
 * class, of a class loader, of a package).
 *
 * A group's retained size is the size of what would be freed if all its
 * objects went: the sum of the retained sizes of its members that no other
 * member dominates.  One pass over the dominator tree in preorder keeps,
 * per group, how many members are on the current path (a member's subtree
 * is the run of the preorder as long as its retained count); a member
 * adds its retained size only when that count is zero.  Nothing recurses.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "heapscan/loaders.h"
#include "heapscan/paths.h"
#include "heapscan/retained.h"
#include "util.h"

uint32_t hs_group_of(const hs_graph *g, const uint32_t *group_of_class, uint32_t class_object_group,
		     uint32_t node)
{
	uint32_t c = hs_graph_class(g, node);
	if (c == HS_NONE)
		return HS_NONE;
	if (!(c & HS_CLASS_OBJECT_BIT))
		return group_of_class[c];
	if (class_object_group == HS_GROUP_OWN_CLASS)
		return group_of_class[c & ~HS_CLASS_OBJECT_BIT];
	return class_object_group;
}

/*
 * The sums of a grouping are the same for every command on the graph:
 * kept by its index under the grouping itself (the number of groups, the
 * class objects' group, each class's group), so that the next command
 * with that grouping reads them (top-retained --by-class, histogram
 * --retained, ...) instead of walking the whole dominator tree again.
 */
static uint32_t *group_key(const hs_graph *g, const uint32_t *group_of_class, uint32_t ngroups,
			   uint32_t class_object_group, uint32_t *nkey)
{
	uint32_t nc = hs_dump_class_count(hs_graph_dump(g)), *key = malloc(sizeof(uint32_t) * ((size_t)nc + 2));
	if (!key)
		return NULL;
	key[0] = ngroups;
	key[1] = class_object_group;
	if (nc)
		memcpy(key + 2, group_of_class, sizeof(uint32_t) * nc);
	*nkey = nc + 2;
	return key;
}

/* The numbers kept under a grouping's key: objects, shallow and retained
 * bytes of each group. */
static uint64_t *group_vals(const hs_group_sum *sums, uint32_t ngroups)
{
	uint64_t *vals = ngroups < UINT32_MAX / 3 ? malloc(sizeof(uint64_t) * 3 * ((size_t)ngroups + 1)) : NULL;
	uint32_t i;
	for (i = 0; vals && i < ngroups; i++) {
		vals[3 * i] = sums[i].objects;
		vals[3 * i + 1] = sums[i].shallow;
		vals[3 * i + 2] = sums[i].retained;
	}
	return vals;
}

void hs_retained_learn(hs_graph *g, const uint32_t *group_of_class, uint32_t ngroups, uint32_t class_object_group,
		       const hs_group_sum *sums)
{
	uint32_t nkey = 0, *key = group_key(g, group_of_class, ngroups, class_object_group, &nkey);
	uint64_t *vals = key ? group_vals(sums, ngroups) : NULL;
	if (vals)
		hs_graph_learn(g, key, nkey, vals, 3 * ngroups);
	free(vals);
	free(key);
}

int hs_retained_by_group(hs_graph *g, const uint32_t *group_of_class, uint32_t ngroups,
			 uint32_t class_object_group, hs_group_sum *out, hs_error *err)
{
	/* each group a set of its own */
	uint32_t *ids, i, *off, nkey = 0, *key = group_key(g, group_of_class, ngroups, class_object_group, &nkey);
	uint64_t *vals = key && ngroups < UINT32_MAX / 3 ? malloc(sizeof(uint64_t) * 3 * ((size_t)ngroups + 1)) : NULL;
	int rc;
	if (vals && hs_graph_learned(g, key, nkey, vals, 3 * ngroups)) {
		for (i = 0; i < ngroups; i++) {
			out[i].objects = vals[3 * i];
			out[i].shallow = vals[3 * i + 1];
			out[i].retained = vals[3 * i + 2];
		}
		free(vals);
		free(key);
		return 0;
	}
	free(vals);
	free(key);
	ids = malloc(sizeof(uint32_t) * (ngroups + 1));
	off = malloc(sizeof(uint32_t) * (ngroups + 2));
	if (!ids || !off) {
		free(ids);
		free(off);
		return hs_error_oom(err, NULL);
	}
	for (i = 0; i <= ngroups; i++) {
		ids[i] = i;
		off[i] = i;
	}
	off[ngroups + 1] = ngroups + 1;
	rc = hs_retained_by_sets(g, group_of_class, ngroups, class_object_group, off, ids, ngroups, out, err);
	if (rc == 0)
		hs_retained_learn(g, group_of_class, ngroups, class_object_group, out);
	free(ids);
	free(off);
	return rc;
}

uint32_t hs_group_of_key(const uint32_t *group_of_class, uint32_t class_object_group, uint32_t nclasses,
			 uint32_t key)
{
	if (key < nclasses)
		return group_of_class[key];
	if (class_object_group == HS_GROUP_OWN_CLASS)
		return group_of_class[key - nclasses];
	return class_object_group;
}

/* Objects, shallow and retained bytes of sets given by class key (as
 * hs_graph_retained_by_key_sets()). */
static int retained_by_key_sets(hs_graph *g, const uint32_t *key_off, const uint32_t *key_sets, uint32_t nsets,
				hs_group_sum *out, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	const char *outer = hs_dump_phase(d);
	uint32_t nk = 2 * hs_dump_class_count(d), k, j;
	uint64_t *objects = malloc(sizeof(uint64_t) * ((size_t)nk + 1));
	uint64_t *shallow = malloc(sizeof(uint64_t) * ((size_t)nk + 1));
	uint64_t *retained = malloc(sizeof(uint64_t) * ((size_t)nsets + 1));
	int rc;

	memset(out, 0, sizeof(*out) * nsets);
	if (!objects || !shallow || !retained) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	hs_dump_progress(d, "retained sizes of groups", 0, 0);
	if ((rc = hs_graph_class_totals(g, objects, shallow, err)) < 0 ||
	    (rc = hs_graph_retained_by_key_sets(g, key_off, key_sets, nsets, retained, err)) < 0)
		goto done;
	for (k = 0; k < nk; k++)
		for (j = key_off[k]; j < key_off[k + 1]; j++) {
			out[key_sets[j]].objects += objects[k];
			out[key_sets[j]].shallow += shallow[k];
		}
	for (k = 0; k < nsets; k++)
		out[k].retained = retained[k];
	if (outer)
		hs_dump_progress(d, outer, 0, 0);
done:
	free(objects);
	free(shallow);
	free(retained);
	return rc;
}

int hs_retained_by_sets(hs_graph *g, const uint32_t *group_of_class, uint32_t ngroups,
			uint32_t class_object_group, const uint32_t *set_off, const uint32_t *set_ids,
			uint32_t nsets, hs_group_sum *out, hs_error *err)
{
	uint32_t nc = hs_dump_class_count(hs_graph_dump(g)), nk = 2 * nc, k, j;
	/* the sets of each class key: those of its group */
	uint32_t *koff = malloc(sizeof(uint32_t) * ((size_t)nk + 1)), *kids = NULL;
	size_t total = 0;
	int rc;

	if (!koff) {
		memset(out, 0, sizeof(*out) * nsets);
		return hs_error_oom(err, NULL);
	}
	for (k = 0; k < nk; k++) {
		uint32_t gr = hs_group_of_key(group_of_class, class_object_group, nc, k);
		koff[k] = (uint32_t)total;
		if (gr != HS_NONE && gr < ngroups)
			total += set_off[gr + 1] - set_off[gr];
	}
	koff[nk] = (uint32_t)total;
	if (!(kids = malloc(sizeof(uint32_t) * (total + 1)))) {
		free(koff);
		memset(out, 0, sizeof(*out) * nsets);
		return hs_error_oom(err, NULL);
	}
	for (k = 0; k < nk; k++) {
		uint32_t gr = hs_group_of_key(group_of_class, class_object_group, nc, k), *at = kids + koff[k];
		if (gr != HS_NONE && gr < ngroups)
			for (j = set_off[gr]; j < set_off[gr + 1]; j++)
				*at++ = set_ids[j];
	}
	rc = retained_by_key_sets(g, koff, kids, nsets, out, err);
	free(koff);
	free(kids);
	return rc;
}


struct gname {
	char *name;
	uint32_t index;
	UT_hash_handle hh;
};

static uint32_t intern(struct gname **h, hs_groups *out, const char *name, uint64_t key,
		       uint32_t *cap)
{
	struct gname *e;
	HASH_FIND_STR(*h, name, e);
	if (e)
		return e->index;
	if (out->n == *cap) {
		uint32_t nc = *cap ? *cap * 2 : 64;
		char **nn = realloc(out->names, nc * sizeof(char *));
		uint64_t *nk;
		if (!nn)
			return HS_NONE;
		out->names = nn;
		nk = realloc(out->keys, nc * sizeof(uint64_t));
		if (!nk)
			return HS_NONE;
		out->keys = nk;
		*cap = nc;
	}
	e = malloc(sizeof(*e));
	if (!e)
		return HS_NONE;
	e->name = strdup(name);
	if (!e->name) {
		free(e);
		return HS_NONE;
	}
	e->index = out->n;
	out->names[out->n] = e->name;
	out->keys[out->n] = key;
	out->n++;
	HASH_ADD_KEYPTR(hh, *h, e->name, strlen(e->name), e);
	return e->index;
}

/* ---- class names that several loaders define ------------------------ */

struct cname {
	const char *name;
	uint64_t loader;
	int ambiguous;
	struct cname *first;   /* the entry of this class's name */
	UT_hash_handle hh;
};

/*
 * For each class whose name another loader defines too, a suffix telling
 * its loader, the same from run to run (ids are not): " (loader NAME)"
 * with the loader's name by hs_loader_names() (ClassLoader.name, "webapp
 * /payments", ...), " (loader bootstrap)" for the bootstrap loader.
 * suffix[i] is NULL for unambiguous classes.
 */
static int loader_suffixes(const hs_dump *d, hs_graph *g, char ***out, hs_error *err)
{
	uint32_t nc = hs_dump_class_count(d), i, nl = 0;
	struct cname *h = NULL, *e, *tmp, *all = calloc(nc + 1, sizeof(*all));
	char **suf = calloc(nc + 1, sizeof(char *));
	uint64_t *lids = malloc(sizeof(uint64_t) * (nc + 1));
	uint32_t *lnodes = NULL;
	char **lnames = NULL;
	int rc = 0, any = 0;

	*out = NULL;
	if (!all || !suf || !lids) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < nc; i++) {
		const hs_class *c = hs_dump_class(d, i);
		if (!c->name)
			continue;
		HASH_FIND_STR(h, c->name, e);
		if (!e) {
			e = &all[i];
			e->name = c->name;
			e->loader = c->loader_id;
			HASH_ADD_KEYPTR(hh, h, e->name, strlen(e->name), e);
		} else if (e->loader != c->loader_id) {
			e->ambiguous = any = 1;
		}
		all[i].first = e;
	}
#define AMBIGUOUS(i) (all[i].first && all[i].first->ambiguous)
	if (!any || !g)
		goto done;
	/* the loaders involved, and their names */
	for (i = 0; i < nc; i++)
		if (AMBIGUOUS(i) && hs_dump_class(d, i)->loader_id)
			lids[nl++] = hs_dump_class(d, i)->loader_id;
	nl = (uint32_t)hs_u64_sort_unique(lids, nl);
	lnodes = malloc(sizeof(uint32_t) * (nl + 1));
	lnames = calloc(nl + 1, sizeof(char *));
	if (!lnodes || !lnames) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < nl; i++)
		lnodes[i] = hs_graph_node(g, lids[i]);
	if ((rc = hs_loader_names(g, lids, nl, 0, lnames, err)) < 0)
		goto done;
	for (i = 0; i < nc; i++) {
		const hs_class *c = hs_dump_class(d, i);
		char buf[300];
		if (!AMBIGUOUS(i))
			continue;
		if (!c->loader_id) {
			snprintf(buf, sizeof(buf), " (loader bootstrap)");
		} else {
			uint64_t *at = bsearch(&c->loader_id, lids, nl, sizeof(uint64_t), hs_u64_cmp);
			size_t ix = at ? (size_t)(at - lids) : 0;
			if (at && lnames[ix]) {
				snprintf(buf, sizeof(buf), " (loader %s)", lnames[ix]);
			} else {
				const char *lc = at && lnodes[ix] ? hs_graph_class_name(g, lnodes[ix]) : "?";
				const char *dot = strrchr(lc, '.');
				snprintf(buf, sizeof(buf), " (loader %s)", dot ? dot + 1 : lc);
			}
		}
		if (!(suf[i] = strdup(buf))) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	}
#undef AMBIGUOUS
done:
	HASH_ITER(hh, h, e, tmp)
		HASH_DEL(h, e);
	free(all);
	free(lids);
	free(lnodes);
	for (i = 0; lnames && i < nl; i++)
		free(lnames[i]);
	free(lnames);
	if (rc < 0) {
		for (i = 0; suf && i < nc; i++)
			free(suf[i]);
		free(suf);
		return rc;
	}
	*out = suf;
	return 0;
}

size_t hs_class_name_bare_len(const char *name)
{
	const char *l = strstr(name, " (loader ");
	return l ? (size_t)(l - name) : strlen(name);
}

size_t hs_class_name_stable_len(const char *name)
{
	size_t l = strlen(name);
	for (;;) {   /* every such suffix: what is left is stable too */
		size_t i = l;
		while (i > 0 && isxdigit((unsigned char)name[i - 1]))
			i--;
		if (!(i >= 3 && i < l && name[i - 1] == 'x' && name[i - 2] == '0' &&
		      (name[i - 3] == '+' || name[i - 3] == '/')))
			return l;
		l = i - 3;
	}
}

/* The loaders of the dump's classes, sorted, and their full names
 * (hs_loader_names): the rows of a grouping by class loader. */
static int loader_group_names(const hs_dump *d, hs_graph *g, uint64_t **ids, char ***names, uint32_t *n,
			      hs_error *err)
{
	uint32_t nc = hs_dump_class_count(d), i, k = 0;
	uint64_t *v = malloc(sizeof(uint64_t) * (nc + 1));
	char **nm;
	int rc;
	*ids = NULL;
	*names = NULL;
	*n = 0;
	if (!v)
		return hs_error_oom(err, NULL);
	for (i = 0; i < nc; i++)
		if (hs_dump_class(d, i)->loader_id)
			v[k++] = hs_dump_class(d, i)->loader_id;
	k = (uint32_t)hs_u64_sort_unique(v, k);
	if (!(nm = calloc(k + 1, sizeof(char *)))) {
		free(v);
		return hs_error_oom(err, NULL);
	}
	if ((rc = hs_loader_names(g, v, k, 1, nm, err)) < 0) {
		free(v);
		free(nm);
		return rc;
	}
	*ids = v;
	*names = nm;
	*n = k;
	return 0;
}

int hs_groups_make(hs_groups *out, const hs_dump *d, hs_graph *g, enum hs_group_kind kind,
		   hs_error *err)
{
	uint32_t nc = hs_dump_class_count(d), i, cap = 0;
	struct gname *h = NULL, *e, *tmp;
	int rc = 0;

	char **suffix = NULL, **lnames = NULL;
	uint64_t *lids = NULL;
	uint32_t nl = 0;

	memset(out, 0, sizeof(*out));
	out->of_class = malloc(sizeof(uint32_t) * (nc + 1));
	if (!out->of_class)
		return hs_error_oom(err, NULL);
	if (kind == HS_GROUP_CLASS && (rc = loader_suffixes(d, g, &suffix, err)) < 0)
		goto done;
	if (kind == HS_GROUP_LOADER && g && (rc = loader_group_names(d, g, &lids, &lnames, &nl, err)) < 0)
		goto done;
	for (i = 0; i < nc; i++) {
		const hs_class *k = hs_dump_class(d, i);
		char buf[800];
		const char *name = k->name;
		uint64_t key = 0;
		if (!name || strcmp(name, "<merged>") == 0) {
			out->of_class[i] = HS_NONE;
			continue;
		}
		if (kind == HS_GROUP_CLASS) {
			/* a hidden class (lambda, LambdaForm) without the address the
			 * JVM appends, which changes from run to run */
			size_t l = hs_class_name_stable_len(name);
			snprintf(buf, sizeof(buf), "%.*s%s", (int)l, name, suffix && suffix[i] ? suffix[i] : "");
			name = buf;
		} else if (kind == HS_GROUP_PACKAGE && k->kind == HS_CLASS_PRIM_ARRAY) {
			name = "<primitive arrays>";
		} else if (kind == HS_GROUP_PACKAGE) {
			const char *base = name, *dot;
			size_t l = strlen(name);
			while (l > 2 && name[l - 1] == ']')
				l -= 2;
			snprintf(buf, sizeof(buf), "%.*s", (int)l, base);
			dot = strrchr(buf, '.');
			if (dot)
				buf[dot - buf] = '\0';
			else
				snprintf(buf, sizeof(buf), "<default package>");
			name = buf;
		} else if (kind == HS_GROUP_LOADER) {
			uint32_t ln;
			key = k->loader_id;
			if (k->kind == HS_CLASS_PRIM_ARRAY || !k->loader_id) {
				name = "<bootstrap>";
				key = 0;
			} else {
				uint64_t *at = lids ? bsearch(&k->loader_id, lids, nl, sizeof(uint64_t), hs_u64_cmp) : NULL;
				ln = g ? hs_graph_node(g, k->loader_id) : 0;
				if (at && lnames[at - lids])
					snprintf(buf, sizeof(buf), "%s", lnames[at - lids]);
				else
					snprintf(buf, sizeof(buf), "%s @ 0x%llx",
						 ln ? hs_graph_class_name(g, ln) : "<unknown loader>",
						 (unsigned long long)k->loader_id);
				name = buf;
			}
		}
		out->of_class[i] = intern(&h, out, name, key, &cap);
		if (out->of_class[i] == HS_NONE) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	}
	if (kind == HS_GROUP_CLASS) {
		uint32_t jlc = hs_dump_class_by_name(d, "java.lang.Class");
		out->class_objects = jlc != HS_NONE ? out->of_class[jlc] : intern(&h, out, "java.lang.Class", 0, &cap);
		if (out->class_objects == HS_NONE)
			rc = hs_error_oom(err, NULL);
	} else {
		out->class_objects = HS_GROUP_OWN_CLASS;
	}
done:
	HASH_ITER(hh, h, e, tmp) {
		HASH_DEL(h, e);
		free(e);  /* the name is owned by out->names */
	}
	for (i = 0; suffix && i < nc; i++)
		free(suffix[i]);
	free(suffix);
	for (i = 0; lnames && i < nl; i++)
		free(lnames[i]);
	free(lnames);
	free(lids);
	if (rc < 0)
		hs_groups_release(out);
	return rc;
}

void hs_groups_release(hs_groups *gr)
{
	uint32_t i;
	for (i = 0; i < gr->n; i++)
		free(gr->names[i]);
	free(gr->names);
	free(gr->keys);
	free(gr->of_class);
	memset(gr, 0, sizeof(*gr));
}
