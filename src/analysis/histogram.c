/*
 * histogram.c - the class histogram: rows from the per-class counts of the
 * scan, filtered by a regex, sorted, cut to the top N.  Memory is one row
 * per class.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/analysis.h"

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

int hs_histogram_build(hs_histogram *out, const hs_dump *d, const hs_hist_opts *o, hs_error *err)
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
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	for (i = 0; i < n; i++) {
		const hs_class *k = hs_dump_class(d, i);
		if (!k->instances && !o->include_empty)
			continue;
		if (!k->name || strcmp(k->name, "<merged>") == 0)
			continue;
		if (have_re && regexec(&re, k->name, 0, NULL, 0) != 0)
			continue;
		out->rows[out->nrows].cls = i;
		out->rows[out->nrows].name = k->name;
		out->rows[out->nrows].instances = k->instances;
		out->rows[out->nrows].shallow = k->shallow;
		out->instances += k->instances;
		out->shallow += k->shallow;
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
