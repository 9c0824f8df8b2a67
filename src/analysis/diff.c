/*
 * diff.c - per-class and per-thread-pattern deltas between two summaries.
 * A uthash table maps class names of the base to rows.
 */
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "heapscan/diff.h"
#include "heapscan/suspects.h"

struct ent {
	const char *name;
	uint32_t ix;
	UT_hash_handle hh;
};

static int cmp_rows(const void *a, const void *b)
{
	const hs_diff_row *x = a, *y = b;
	if (x->d_retained != y->d_retained)
		return x->d_retained < y->d_retained ? 1 : -1;
	if (x->d_shallow != y->d_shallow)
		return x->d_shallow < y->d_shallow ? 1 : -1;
	return strcmp(x->name, y->name);
}

int hs_diff_grown(uint64_t was, uint64_t now, double min_pct, uint64_t min_bytes)
{
	uint64_t d;
	if (now <= was)
		return 0;
	d = now - was;
	if (d < min_bytes)
		return 0;
	return was == 0 || 100.0 * (double)d / (double)was >= min_pct;
}

const hs_sum_class *hs_summary_class(const hs_summary *s, const char *name)
{
	uint32_t i;
	for (i = 0; i < s->nclasses; i++)
		if (strcmp(s->classes[i].name, name) == 0)
			return &s->classes[i];
	return NULL;
}

static int thread_patterns(hs_diff *out, const hs_summary *base, const hs_summary *now)
{
	uint32_t i, j, n = base->nthreads + now->nthreads, ng = 0;
	const char **names = malloc(sizeof(char *) * (n + 1));
	uint32_t *gof = malloc(sizeof(uint32_t) * (n + 1));
	char **shown = NULL;
	int rc = -1;
	for (i = 0; names && i < n; i++)
		names[i] = i < base->nthreads ? base->threads[i].name : now->threads[i - base->nthreads].name;
	if (!names || !gof || hs_name_groups(names, n, gof, &shown, &ng) < 0)
		goto done;
	out->threads = calloc(ng + 1, sizeof(*out->threads));
	if (!out->threads)
		goto done;
	for (j = 0; j < ng; j++) {
		out->threads[j].pattern = shown[j];   /* owned by out now */
		shown[j] = NULL;
	}
	out->nthreads = ng;
	for (i = 0; i < n; i++) {
		if (i < base->nthreads)
			out->threads[gof[i]].base++;
		else
			out->threads[gof[i]].now++;
	}
	rc = 0;
done:
	free(names);
	free(gof);
	hs_name_groups_free(shown, ng);
	if (rc < 0)
		return rc;
	for (j = 0; j < out->nthreads; j++)
		out->threads[j].delta = out->threads[j].now - out->threads[j].base;
	/* biggest growth first */
	for (i = 1; i < out->nthreads; i++)
		for (j = i; j > 0 && out->threads[j - 1].delta < out->threads[j].delta; j--) {
			hs_diff_threads t = out->threads[j];
			out->threads[j] = out->threads[j - 1];
			out->threads[j - 1] = t;
		}
	return 0;
}

int64_t hs_delta(uint64_t now, uint64_t base)
{
	if (now >= base)
		return now - base > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(now - base);
	return base - now > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(base - now);
}

uint64_t hs_abs64(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

int hs_diff_compute(hs_diff *out, const hs_summary *base, const hs_summary *now, hs_error *err)
{
	struct ent *h = NULL, *e, *tmp;
	uint32_t i, n = 0;
	uint8_t *seen;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->rows = calloc(base->nclasses + now->nclasses + 1, sizeof(*out->rows));
	seen = calloc(base->nclasses + 1, 1);
	if (!out->rows || !seen) {
		free(seen);
		free(out->rows);
		return hs_error_oom(err, NULL);
	}
	for (i = 0; i < base->nclasses; i++) {
		HASH_FIND_STR(h, base->classes[i].name, e);
		if (e)
			continue;  /* same name from two loaders: first one */
		e = malloc(sizeof(*e));
		if (!e) {
			rc = hs_error_oom(err, NULL);
			goto done;
		}
		e->name = base->classes[i].name;
		e->ix = i;
		HASH_ADD_KEYPTR(hh, h, e->name, strlen(e->name), e);
	}
	for (i = 0; i < now->nclasses; i++) {
		hs_diff_row *r = &out->rows[n++];
		const hs_sum_class *c = &now->classes[i];
		r->name = c->name;
		r->new_count = c->instances;
		r->new_shallow = c->shallow;
		r->new_retained = c->retained;
		HASH_FIND_STR(h, c->name, e);
		if (e && !seen[e->ix]) {
			const hs_sum_class *b = &base->classes[e->ix];
			seen[e->ix] = 1;
			r->base_count = b->instances;
			r->base_shallow = b->shallow;
			r->base_retained = b->retained;
		}
	}
	for (i = 0; i < base->nclasses; i++)
		if (!seen[i]) {
			HASH_FIND_STR(h, base->classes[i].name, e);
			if (e && e->ix != i)
				continue;
			hs_diff_row *r = &out->rows[n++];
			r->name = base->classes[i].name;
			r->base_count = base->classes[i].instances;
			r->base_shallow = base->classes[i].shallow;
			r->base_retained = base->classes[i].retained;
		}
	for (i = 0; i < n; i++) {
		hs_diff_row *r = &out->rows[i];
		r->d_count = hs_delta(r->new_count, r->base_count);
		r->d_shallow = hs_delta(r->new_shallow, r->base_shallow);
		r->d_retained = hs_delta(r->new_retained, r->base_retained);
	}
	qsort(out->rows, n, sizeof(*out->rows), cmp_rows);
	out->nrows = n;
	out->d_reachable = hs_delta(now->reachable_bytes, base->reachable_bytes);
	out->d_objects = hs_delta(now->reachable_objects, base->reachable_objects);
	out->d_threads = hs_delta(now->threads_total, base->threads_total);
	if (thread_patterns(out, base, now) < 0)
		rc = hs_error_oom(err, NULL);
done:
	HASH_ITER(hh, h, e, tmp) {
		HASH_DEL(h, e);
		free(e);
	}
	free(seen);
	if (rc < 0)
		hs_diff_release(out);
	return rc;
}

void hs_diff_release(hs_diff *d)
{
	uint32_t i;
	for (i = 0; i < d->nthreads; i++)
		free(d->threads[i].pattern);
	free(d->threads);
	free(d->rows);
	memset(d, 0, sizeof(*d));
}
