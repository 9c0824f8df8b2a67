/*
 * threads.c - the thread overview: the live threads by retained size,
 * their groups by name pattern or by top frames, and the name patterns.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "heapscan/paths.h"
#include "heapscan/stacks.h"
#include "heapscan/threads.h"
#include "util.h"

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

void hs_name_pattern_keep(char *keep, const char *o)
{
	size_t a, b, la, lb;
	/* digit runs where keep and o differ become '*' */
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
}

struct pgroup {
	char *key;
	uint32_t ix;
	UT_hash_handle hh;
};

int hs_name_groups(const char *const *names, uint32_t n, uint32_t *group_of, char ***shown,
		   uint32_t *ngroups)
{
	struct pgroup *h = NULL, *e, *tmp;
	char **sh = calloc(n + 1, sizeof(char *));
	uint32_t i, ng = 0;
	int rc = 0;
	*shown = NULL;
	*ngroups = 0;
	if (!sh)
		return -1;
	for (i = 0; i < n; i++) {
		const char *name = names[i] ? names[i] : "<unnamed>";
		char *key = hs_name_pattern(name);
		if (!key) {
			rc = -1;
			break;
		}
		HASH_FIND_STR(h, key, e);
		if (e) {
			free(key);
			hs_name_pattern_keep(sh[e->ix], name);
		} else {
			e = malloc(sizeof(*e));
			sh[ng] = strdup(name);
			if (!e || !sh[ng]) {
				free(e);
				free(key);
				rc = -1;
				break;
			}
			e->key = key;
			e->ix = ng++;
			HASH_ADD_KEYPTR(hh, h, e->key, strlen(e->key), e);
		}
		group_of[i] = e->ix;
	}
	HASH_ITER(hh, h, e, tmp) {
		HASH_DEL(h, e);
		free(e->key);
		free(e);
	}
	if (rc < 0) {
		hs_name_groups_free(sh, ng + 1);
		return rc;
	}
	*shown = sh;
	*ngroups = ng;
	return 0;
}

void hs_name_groups_free(char **shown, uint32_t ngroups)
{
	uint32_t i;
	for (i = 0; shown && i < ngroups; i++)
		free(shown[i]);
	free(shown);
}

void hs_thread_frame_text(const hs_dump *d, const hs_frame *f, char *buf, size_t n)
{
	const char *cls = hs_dump_class_name_by_serial(d, f->class_serial);
	const char *m = hs_dump_string(d, f->method_name_id);
	const char *src = hs_dump_string(d, f->source_id);
	if (f->line > 0)
		snprintf(buf, n, "%s.%s(%s:%d)", cls ? cls : "?", m ? m : "?", src ? src : "Unknown Source", f->line);
	else if (f->line == -3)
		snprintf(buf, n, "%s.%s(Native Method)", cls ? cls : "?", m ? m : "?");
	else
		snprintf(buf, n, "%s.%s(%s)", cls ? cls : "?", m ? m : "?", src ? src : "Unknown Source");
}

/* Threads by retained size, biggest first; ties in the order listed. */
struct by_ret_item {
	hs_thread t;
	uint32_t ord;
};

static int by_ret(const void *a, const void *b, void *ctx)
{
	const struct by_ret_item *x = a, *y = b;
	uint64_t rx = hs_graph_retained(ctx, x->t.node), ry = hs_graph_retained(ctx, y->t.node);
	return rx < ry ? 1 : rx > ry ? -1 : x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int oom(hs_error *err)
{
	return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
}

int hs_threads_list(hs_thread_list *out, hs_graph *g, hs_error *err)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nt, n = 0, i, *nodes = NULL, *objs = NULL, nobjs = 0;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	struct by_ret_item *it = NULL;
	uint64_t *daemon = NULL;
	uint8_t *listed = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = hs_graph_thread_objects(g, &objs, &nobjs, err);
	if (rc < 0)
		return rc;
	it = calloc((size_t)nt + nobjs + 1, sizeof(*it));
	nodes = malloc(sizeof(uint32_t) * ((size_t)nt + nobjs + 1));
	daemon = calloc((size_t)nt + nobjs + 1, sizeof(uint64_t));
	listed = calloc(hs_graph_nodes(g) / 8 + 1, 1);
	if (!it || !nodes || !daemon || !listed) {
		rc = oom(err);
		goto done;
	}
	for (i = 0; i < nt; i++) {
		uint32_t v = hs_graph_node(g, th[i].object_id);
		if (!v)
			continue;
		it[n].t.node = v;
		it[n].t.info = &th[i];
		it[n].ord = n;
		nodes[n++] = v;
		listed[v / 8] |= (uint8_t)(1u << (v % 8));
	}
	for (i = 0; i < nobjs; i++) {
		uint32_t v = objs[i];
		if (listed[v / 8] & (1u << (v % 8)))
			continue;
		it[n].t.node = v;
		it[n].ord = n;
		nodes[n++] = v;
	}
	rc = hs_graph_fetch_labels(g, nodes, n, err);
	if (rc == 0)
		rc = hs_paths_field_values(g, nodes, n, "daemon", daemon, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < n; i++) {
		hs_thread *t = &it[i].t;
		t->name = hs_graph_thread_name_dup(g, t->node);
		if (!t->name && t->info && t->info->name)   /* START_THREAD (hprof agent) */
			t->name = strdup(t->info->name);
		if (!t->name)
			t->name = strdup("<unnamed>");
		t->daemon = daemon[i] != 0;
		if (!t->name) {
			rc = oom(err);
			goto done;
		}
	}
	hs_sort(it, n, sizeof(*it), by_ret, g);
	out->t = malloc(sizeof(hs_thread) * (n + 1));
	if (!out->t) {
		rc = oom(err);
		goto done;
	}
	for (i = 0; i < n; i++) {
		out->t[i] = it[i].t;
		it[i].t.name = NULL;
	}
	out->n = n;
done:
	for (i = 0; it && i < n; i++)
		free(it[i].t.name);
	free(it);
	free(nodes);
	free(objs);
	free(listed);
	free(daemon);
	return rc;
}

void hs_threads_release(hs_thread_list *l)
{
	uint32_t i;
	for (i = 0; l->t && i < l->n; i++)
		free(l->t[i].name);
	free(l->t);
	memset(l, 0, sizeof(*l));
}

void hs_thread_groups_free(hs_thread_group *g, uint32_t n)
{
	uint32_t i;
	for (i = 0; g && i < n; i++) {
		free(g[i].pattern);
		free(g[i].frames);
	}
	free(g);
}

/* Groups by retained size, biggest first; ties in order of appearance. */
struct group_item {
	hs_thread_group g;
	uint32_t ord;
};

static int group_by_ret(const void *a, const void *b, void *ctx)
{
	const struct group_item *x = a, *y = b;
	(void)ctx;
	return x->g.retained < y->g.retained ? 1 : x->g.retained > y->g.retained ? -1 :
	       x->ord < y->ord ? -1 : x->ord > y->ord;
}

int hs_threads_by_name(const hs_thread_list *l, const hs_graph *g, hs_thread_group **out, uint32_t *n,
		       hs_error *err)
{
	const char **names = malloc(sizeof(char *) * (l->n + 1));
	uint32_t *gof = malloc(sizeof(uint32_t) * (l->n + 1)), np = 0, i;
	char **shown = NULL;
	hs_thread_group *gr = NULL;
	struct group_item *tmp = NULL;

	*out = NULL;
	*n = 0;
	for (i = 0; names && i < l->n; i++)
		names[i] = l->t[i].name;
	if (!names || !gof || hs_name_groups(names, l->n, gof, &shown, &np) < 0 ||
	    !(gr = calloc(np + 1, sizeof(*gr))) || !(tmp = calloc(np + 1, sizeof(*tmp)))) {
		free(names);
		free(gof);
		free(gr);
		hs_name_groups_free(shown, np);
		return oom(err);
	}
	for (i = 0; i < np; i++) {
		tmp[i].g.pattern = shown[i];   /* taken */
		tmp[i].ord = i;
	}
	free(shown);
	for (i = 0; i < l->n; i++) {
		hs_thread_group *x = &tmp[gof[i]].g;
		x->count++;
		x->retained += hs_graph_retained(g, l->t[i].node);
		x->retained_objects += hs_graph_retained_count(g, l->t[i].node);
	}
	hs_sort(tmp, np, sizeof(*tmp), group_by_ret, NULL);
	for (i = 0; i < np; i++)
		gr[i] = tmp[i].g;
	free(tmp);
	free(names);
	free(gof);
	*out = gr;
	*n = np;
	return 0;
}

int hs_threads_by_frame(const hs_dump *d, const hs_graph *g, hs_thread_group **out, uint32_t *n, hs_error *err)
{
	hs_stack_group *sg = NULL;
	uint32_t ng = 0, i, k, nt;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	hs_thread_group *gr;
	int rc = hs_stack_groups(d, &sg, &ng, err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	gr = calloc(ng + 1, sizeof(*gr));
	if (!gr) {
		hs_stack_groups_free(sg, ng);
		return oom(err);
	}
	for (k = 0; k < ng; k++) {
		uint32_t nf = 0;
		const uint64_t *all = hs_dump_trace(d, th[sg[k].threads[0]].trace_serial, &nf);
		gr[k].count = sg[k].n;
		gr[k].wait = hs_stack_wait_kind(d, all, nf);
		gr[k].frames = hs_frames_text(d, sg[k].frames, sg[k].nframes, 1);
		if (!gr[k].frames)
			rc = oom(err);
		for (i = 0; i < sg[k].n; i++) {
			uint32_t v = hs_graph_node(g, th[sg[k].threads[i]].object_id);
			if (v) {
				gr[k].retained += hs_graph_retained(g, v);
				gr[k].retained_objects += hs_graph_retained_count(g, v);
			}
		}
	}
	hs_stack_groups_free(sg, ng);
	if (rc < 0) {
		hs_thread_groups_free(gr, ng);
		return rc;
	}
	*out = gr;
	*n = ng;
	return 0;
}
