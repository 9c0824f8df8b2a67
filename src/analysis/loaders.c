/*
 * loaders.c - class loaders by name, the same from one run to the next.
 *
 * A loader's address changes with every run, so reports name it by what
 * it is: ClassLoader.name when set (the JDK's own are "app" and
 * "platform"), the web application of a Tomcat loader (its
 * resources.context.path: "/payments"), else its class and its parent's
 * name.  Loaders that still share a name are numbered by the number of
 * classes they define, most first (ties by id).  The fields are read from
 * the dump again, a few passes that read only the loaders' spans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/loaders.h"
#include "heapscan/paths.h"
#include "util.h"


static const char *simple(const char *c)
{
	const char *d = strrchr(c, '.');
	return d ? d + 1 : c;
}

/* The Tomcat web application a loader serves: resources.context.path. */
static int webapp_paths(hs_graph *g, const uint32_t *nodes, uint32_t n, char **out, hs_error *err)
{
	uint64_t *v = calloc(n + 1, sizeof(uint64_t));
	uint32_t *x = calloc(n + 1, sizeof(uint32_t)), i;
	int rc = 0;
	memset(out, 0, sizeof(char *) * n);
	if (!v || !x) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	if ((rc = hs_paths_field_values(g, nodes, n, "resources", v, err)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		x[i] = v[i] ? hs_graph_node(g, v[i]) : 0;
	if ((rc = hs_paths_field_values(g, x, n, "context", v, err)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		x[i] = v[i] ? hs_graph_node(g, v[i]) : 0;
	rc = hs_paths_string_fields(g, x, n, "path", out, err);
done:
	free(v);
	free(x);
	return rc;
}

/* Short names: "app", "webapp /payments", "URLClassLoader (child of app)". */
static int short_names(hs_graph *g, const uint64_t *ids, uint32_t n, char **out, hs_error *err)
{
	uint32_t *nodes = calloc(n + 1, sizeof(uint32_t)), *pn = calloc(n + 1, sizeof(uint32_t)), i;
	uint64_t *par = calloc(n + 1, sizeof(uint64_t));
	char **names = calloc(n + 1, sizeof(char *)), **pnames = calloc(n + 1, sizeof(char *));
	char **web = calloc(n + 1, sizeof(char *));
	int rc = 0;
	if (!nodes || !pn || !par || !names || !pnames || !web) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < n; i++)
		nodes[i] = ids[i] ? hs_graph_node(g, ids[i]) : 0;
	if ((rc = hs_paths_string_fields(g, nodes, n, "name", names, err)) < 0 ||
	    (rc = hs_paths_field_values(g, nodes, n, "parent", par, err)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		pn[i] = par[i] ? hs_graph_node(g, par[i]) : 0;
	if ((rc = hs_paths_string_fields(g, pn, n, "name", pnames, err)) < 0 ||
	    (rc = webapp_paths(g, nodes, n, web, err)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		char buf[600];
		const char *cls = nodes[i] ? hs_graph_class_name(g, nodes[i]) : "?";
		if (!ids[i])
			snprintf(buf, sizeof(buf), "bootstrap");
		else if (names[i] && *names[i])
			snprintf(buf, sizeof(buf), "%s", names[i]);
		else if (web[i])
			snprintf(buf, sizeof(buf), "webapp %s", *web[i] ? web[i] : "/");
		else if (!nodes[i])
			snprintf(buf, sizeof(buf), "unknown loader");
		else
			snprintf(buf, sizeof(buf), "%s (child of %s)", simple(cls),
				 !par[i] ? "bootstrap" : pnames[i] && *pnames[i] ? pnames[i]
				 : pn[i] ? simple(hs_graph_class_name(g, pn[i])) : "?");
		if (!(out[i] = strdup(buf))) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	}
done:
	for (i = 0; i < n; i++) {
		if (names)
			free(names[i]);
		if (pnames)
			free(pnames[i]);
		if (web)
			free(web[i]);
	}
	free(nodes);
	free(pn);
	free(par);
	free(names);
	free(pnames);
	free(web);
	return rc;
}

struct rank {
	uint32_t ix;
	uint64_t classes, id;
	const char *name;
	const char *first;   /* the first of its classes by name */
};

static int by_id(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_name_classes(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->classes != y->classes)
		return x->classes < y->classes ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int names_of(hs_graph *g, const uint64_t *ids, uint32_t n, int full, char **out, hs_error *err);

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Every loader of the dump (the loader of a class, 0 the bootstrap) and
 * the ids asked for, named once per graph and kept there (and in its
 * index, so that later commands do not read the loaders again): a name
 * does not depend on which loaders are asked for together.
 */
int hs_loader_names_all(hs_graph *g, const uint64_t *more, uint32_t nmore, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d), n = 0, m = 0, i;
	uint64_t *ids = malloc(sizeof(uint64_t) * ((size_t)nc + nmore + 2));
	char **sh = NULL, **fu = NULL;
	int rc = 0;
	if (!ids)
		return hs_error_oom(err, NULL);
	ids[n++] = 0;
	for (i = 0; i < nc; i++)
		ids[n++] = hs_dump_class(d, i)->loader_id;
	for (i = 0; i < nmore; i++)
		ids[n++] = more[i];
	qsort(ids, n, sizeof(uint64_t), by_u64);
	for (i = 0; i < n; i++)   /* distinct */
		if (i == 0 || ids[i] != ids[m - 1])
			ids[m++] = ids[i];
	sh = calloc(m + 1, sizeof(char *));
	fu = calloc(m + 1, sizeof(char *));
	if (!sh || !fu) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	/* the short names (a few reads of the loaders' fields), then the full
	 * ones from them: with the class when the name does not say it */
	if ((rc = names_of(g, ids, m, 0, sh, err)) < 0)
		goto done;
	for (i = 0; i < m; i++) {
		uint32_t v = ids[i] ? hs_graph_node(g, ids[i]) : 0;
		const char *cls = v ? hs_graph_class_name(g, v) : NULL;
		if (!cls || strncmp(sh[i], simple(cls), strlen(simple(cls))) == 0)
			fu[i] = strdup(sh[i]);   /* bootstrap, or named by its class already */
		else if ((fu[i] = malloc(strlen(sh[i]) + strlen(cls) + 4)))
			sprintf(fu[i], "%s (%s)", sh[i], cls);
		if (!fu[i]) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
	}
	for (i = 0; i < m && rc == 0; i++)
		if ((rc = hs_graph_set_loader_name(g, ids[i], sh[i], fu[i], err)) == 0)
			sh[i] = fu[i] = NULL;   /* the graph's now */
done:
	for (i = 0; i < m; i++) {
		if (sh)
			free(sh[i]);
		if (fu)
			free(fu[i]);
	}
	free(sh);
	free(fu);
	free(ids);
	return rc;
}

int hs_loader_names(hs_graph *g, const uint64_t *ids, uint32_t n, int full, char **out, hs_error *err)
{
	uint32_t i, nmiss = 0;
	uint64_t *miss = NULL;
	int rc;
	memset(out, 0, sizeof(char *) * n);
	for (i = 0; i < n; i++)
		if (!hs_graph_loader_name(g, ids[i], full)) {
			if (!miss && !(miss = malloc(sizeof(uint64_t) * n)))
				return hs_error_oom(err, NULL);
			miss[nmiss++] = ids[i];
		}
	if (nmiss && (rc = hs_loader_names_all(g, miss, nmiss, err)) < 0) {
		free(miss);
		return rc;
	}
	free(miss);
	for (i = 0; i < n; i++) {
		const char *nm = hs_graph_loader_name(g, ids[i], full);
		if (!(out[i] = strdup(nm ? nm : "?"))) {
			while (i-- > 0) {
				free(out[i]);
				out[i] = NULL;
			}
			return hs_error_oom(err, NULL);
		}
	}
	return 0;
}

static int names_of(hs_graph *g, const uint64_t *ids, uint32_t n, int full, char **out, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d), i, j;
	struct rank *r = calloc(n + 1, sizeof(*r));
	int rc;
	memset(out, 0, sizeof(char *) * n);
	if (!r)
		return hs_error_oom(err, NULL);
	if ((rc = short_names(g, ids, n, out, err)) < 0)
		goto done;
	/* the same name twice: number them */
	for (i = 0; i < n; i++) {
		r[i].ix = i;
		r[i].id = ids[i];
		r[i].name = out[i];
	}
	qsort(r, n, sizeof(*r), by_id);
	for (j = 0; j < nc; j++) {
		struct rank key, *at;
		key.id = hs_dump_class(d, j)->loader_id;
		at = bsearch(&key, r, n, sizeof(*r), by_id);
		if (at) {
			const char *cn = hs_dump_class(d, j)->name;
			at->classes++;
			if (cn && (!at->first || strcmp(cn, at->first) < 0))
				at->first = cn;
		}
	}
	qsort(r, n, sizeof(*r), by_name_classes);
	for (i = 0; i < n;) {
		uint32_t e = i + 1, k;
		while (e < n && strcmp(r[e].name, r[i].name) == 0)
			e++;
		/* told apart by a class each defines when those differ (the
		 * JDK's reflection loaders define one class each), else numbered */
		int by_class = e - i > 1;
		for (k = i; by_class && k < e; k++) {
			uint32_t m;
			if (!r[k].first)
				by_class = 0;
			for (m = i; by_class && m < k; m++)
				if (strcmp(r[m].first, r[k].first) == 0)
					by_class = 0;
		}
		for (k = i; e - i > 1 && k < e; k++) {
			char *o = out[r[k].ix], *nn = malloc(strlen(o) + (by_class ? strlen(r[k].first) : 0) + 32);
			if (!nn) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
			if (by_class)
				sprintf(nn, "%s of %s", o, r[k].first);
			else
				sprintf(nn, "%s #%u", o, k - i + 1);
			free(o);
			out[r[k].ix] = nn;
		}
		i = e;
	}
	for (i = 0; full && i < n; i++) {
		uint32_t v = ids[i] ? hs_graph_node(g, ids[i]) : 0;
		const char *cls = v ? hs_graph_class_name(g, v) : NULL;
		char *nn;
		if (!cls || strncmp(out[i], simple(cls), strlen(simple(cls))) == 0)
			continue;   /* bootstrap, or named by its class already */
		if (!(nn = malloc(strlen(out[i]) + strlen(cls) + 4))) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		sprintf(nn, "%s (%s)", out[i], cls);
		free(out[i]);
		out[i] = nn;
	}
done:
	free(r);
	if (rc < 0)
		for (i = 0; i < n; i++) {
			free(out[i]);
			out[i] = NULL;
		}
	return rc;
}

/* The static field of class object v that holds its biggest dominated
 * child, or NULL. */
static const char *biggest_static(hs_graph *g, uint32_t v, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t c = hs_graph_class(g, v), cnt, i;
	const uint32_t *ch = hs_graph_dom_children(g, v, &cnt, err);
	const hs_class *k;
	if (c == HS_NONE || !(c & HS_CLASS_OBJECT_BIT) || !ch || !cnt)
		return NULL;
	k = hs_dump_class(d, c & ~HS_CLASS_OBJECT_BIT);
	for (i = 0; i < k->nstatics; i++)
		if (k->statics[i].type == HS_T_OBJECT && k->statics[i].value == hs_graph_id(g, ch[0]))
			return hs_dump_string(d, k->statics[i].name_id);
	return NULL;
}

int hs_object_descs(hs_graph *g, const uint32_t *nodes, uint32_t n, char **cls, char **detail, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nc = hs_dump_class_count(d), i, nl = 0;
	uint64_t *lids = malloc(sizeof(uint64_t) * (nc + 1)), *ask = malloc(sizeof(uint64_t) * (n + 1));
	uint32_t *ix = malloc(sizeof(uint32_t) * (n + 1)), na = 0;
	char **ln = NULL;
	int rc = 0;
	memset(cls, 0, sizeof(char *) * n);
	memset(detail, 0, sizeof(char *) * n);
	if (!lids || !ask || !ix) {
		rc = hs_error_oom(err, NULL);
		goto done;
	}
	for (i = 0; i < nc; i++)
		if (hs_dump_class(d, i)->loader_id)
			lids[nl++] = hs_dump_class(d, i)->loader_id;
	nl = (uint32_t)hs_u64_sort_unique(lids, nl);
	for (i = 0; i < n; i++) {
		uint32_t c = hs_graph_class(g, nodes[i]);
		uint64_t id = hs_graph_id(g, nodes[i]);
		char buf[700];
		if (c != HS_NONE && (c & HS_CLASS_OBJECT_BIT)) {
			const hs_class *k = hs_dump_class(d, c & ~HS_CLASS_OBJECT_BIT);
			const char *f = biggest_static(g, nodes[i], err);
			snprintf(buf, sizeof(buf), "class %s", k->name ? k->name : "?");
			if (!(cls[i] = strdup(buf))) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
			if (f) {
				snprintf(buf, sizeof(buf), "static %s", f);
				if (!(detail[i] = strdup(buf))) {
					rc = hs_error_oom(err, NULL);
					goto done;
				}
			}
		} else if (nl && bsearch(&id, lids, nl, sizeof(uint64_t), hs_u64_cmp)) {
			ask[na] = id;
			ix[na++] = i;
		}
	}
	if (na) {
		if (!(ln = calloc(na, sizeof(char *)))) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		if ((rc = hs_loader_names(g, ask, na, 0, ln, err)) < 0)
			goto done;
		for (i = 0; i < na; i++) {
			char *t = malloc(strlen(ln[i]) + 8);
			if (!t) {
				rc = hs_error_oom(err, NULL);
				goto done;
			}
			sprintf(t, "loader %s", ln[i]);
			detail[ix[i]] = t;
		}
	}
done:
	for (i = 0; ln && i < na; i++)
		free(ln[i]);
	free(ln);
	free(lids);
	free(ask);
	free(ix);
	if (rc < 0)
		for (i = 0; i < n; i++) {
			free(cls[i]);
			free(detail[i]);
			cls[i] = detail[i] = NULL;
		}
	return rc;
}
