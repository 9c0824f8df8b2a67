/*
 * histogram.c - the class histogram: rows from the per-class counts of the
 * scan, filtered by a regex, sorted, cut to the top N.  Memory is one row
 * per class.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/analysis.h"
#include "heapscan/graph.h"

static int by_bytes(const void *a, const void *b)
{
	const hs_hist_row *x = a, *y = b;
	if (x->shallow != y->shallow)
		return x->shallow < y->shallow ? 1 : -1;
	if (x->instances != y->instances)
		return x->instances < y->instances ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int by_count(const void *a, const void *b)
{
	const hs_hist_row *x = a, *y = b;
	if (x->instances != y->instances)
		return x->instances < y->instances ? 1 : -1;
	if (x->shallow != y->shallow)
		return x->shallow < y->shallow ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
	const hs_hist_row *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->cls < y->cls ? -1 : x->cls > y->cls);
}

static int build(hs_histogram *out, const hs_dump *d, const uint64_t *cnt, const uint64_t *bytes,
		 const hs_hist_opts *o, hs_error *err);

int hs_histogram_build(hs_histogram *out, const hs_dump *d, const hs_hist_opts *o, hs_error *err)
{
	return build(out, d, NULL, NULL, o, err);
}

int hs_histogram_build_live(hs_histogram *out, const hs_dump *d, struct hs_graph *g,
			    const hs_hist_opts *o, hs_error *err)
{
	uint32_t nc = hs_dump_class_count(d), n = hs_graph_nodes(g), v;
	uint32_t jlc = hs_dump_class_by_name(d, "java.lang.Class");
	uint64_t *cnt = calloc(nc + 1, sizeof(uint64_t)), *bytes = calloc(nc + 1, sizeof(uint64_t));
	int rc;
	if (!cnt || !bytes) {
		free(cnt);
		free(bytes);
		return hs_error_oom(err, NULL);
	}
	for (v = 1; v < n; v++) {
		uint32_t c = hs_graph_class(g, v);
		if (c == HS_NONE || !hs_graph_reachable(g, v))
			continue;
		if (c & HS_CLASS_OBJECT_BIT)
			c = jlc;
		if (c == HS_NONE)
			continue;
		cnt[c]++;
		bytes[c] += hs_graph_shallow(g, v);
	}
	rc = build(out, d, cnt, bytes, o, err);
	free(cnt);
	free(bytes);
	return rc;
}

static int build(hs_histogram *out, const hs_dump *d, const uint64_t *cnt, const uint64_t *bytes,
		 const hs_hist_opts *o, hs_error *err)
{
	uint32_t n = hs_dump_class_count(d), i;
	regex_t re;
	int have_re = 0;

	memset(out, 0, sizeof(*out));
	if (o->match) {
		int rc = regcomp(&re, o->match, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char buf[128];
			regerror(rc, &re, buf, sizeof(buf));
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "bad --match regex '%s': %s",
					    o->match, buf);
		}
		have_re = 1;
	}
	out->rows = calloc(n + 1, sizeof(*out->rows));
	if (!out->rows) {
		if (have_re)
			regfree(&re);
		return hs_error_oom(err, NULL);
	}
	for (i = 0; i < n; i++) {
		const hs_class *k = hs_dump_class(d, i);
		uint64_t ki = cnt ? cnt[i] : k->instances, ks = bytes ? bytes[i] : k->shallow;
		if (!ki && !o->include_empty)
			continue;
		if (!k->name || strcmp(k->name, "<merged>") == 0)
			continue;
		if (have_re && regexec(&re, k->name, 0, NULL, 0) != 0)
			continue;
		out->rows[out->nrows].cls = i;
		out->rows[out->nrows].name = k->name;
		out->rows[out->nrows].instances = ki;
		out->rows[out->nrows].shallow = ks;
		out->instances += ki;
		out->shallow += ks;
		out->nrows++;
	}
	if (have_re)
		regfree(&re);
	qsort(out->rows, out->nrows, sizeof(*out->rows),
	      o->sort == HS_SORT_COUNT ? by_count : o->sort == HS_SORT_NAME ? by_name : by_bytes);
	out->total_rows = out->nrows;
	if (o->top && o->top < out->nrows)
		out->nrows = o->top;
	return 0;
}

void hs_histogram_release(hs_histogram *h)
{
	free(h->rows);
	memset(h, 0, sizeof(*h));
}
