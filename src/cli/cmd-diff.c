/*
 * cmd-diff.c - `heapscan diff BASE NEW`: what grew between two dumps or
 * snapshots, per class, plus new or grown suspects and new threads.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/diff.h"
#include "heapscan/format.h"
#include "cmd.h"

enum { O_TOP = HS_OPT_CMD, O_MATCH, O_MIN_GROWTH, O_MIN_GROWTH_BYTES };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output of the class rows: class,base_instances,new_instances,delta_instances,base_shallow,new_shallow,delta_shallow,base_retained,new_retained,delta_retained" },
	{ O_TOP, "top", "N", "show the N classes that grew most (default 20, 0: all)" },
	{ O_MATCH, "match", "REGEX", "only classes whose name matches REGEX" },
	{ O_MIN_GROWTH, "min-growth", "PCT", "a suspect grown by less than PCT% of what it retained is not reported (default 1)" },
	{ O_MIN_GROWTH_BYTES, "min-growth-bytes", "SIZE", "nor one grown by less than SIZE (default 64KB); both 0: any growth is reported" },
	{ 0, NULL, NULL, NULL }
};

static const hs_sum_suspect *match_suspect(const hs_summary *s, const hs_sum_suspect *x)
{
	uint32_t i;
	for (i = 0; i < s->nsuspects; i++) {
		const hs_sum_suspect *y = &s->suspects[i];
		if (!strcmp(x->kind, y->kind) && !strcmp(x->class_name, y->class_name) &&
		    !strcmp(x->thread_pattern, y->thread_pattern) && !strcmp(x->accum_class, y->accum_class))
			return y;
	}
	return NULL;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_summary base, now;
	hs_diff df;
	uint64_t top = 20;
	uint32_t i, shown = 0;
	regex_t re;
	int rc, have_re = 0, json = a->set[HS_OPT_JSON] > 0, csv = a->set[HS_OPT_CSV] > 0;
	double min_pct = HS_DIFF_MIN_GROWTH_PCT;
	uint64_t min_bytes = HS_DIFF_MIN_GROWTH_BYTES;
	char b1[48], b2[48], b3[48], b4[48], b5[48], b6[48];

	if (a->npos != 2)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "usage: heapscan diff [options] BASE NEW");
	if (a->val[O_TOP] && hs_cli_parse_uint(a->val[O_TOP], &top) < 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--top takes a number, not '%s'", a->val[O_TOP]);
	if (a->val[O_MIN_GROWTH]) {
		const char *end = "?";
		if (hs_cli_parse_decimal(a->val[O_MIN_GROWTH], &min_pct, &end) == 0 && *end == '%')
			end++;
		if (*end || min_pct > 100)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
					    "--min-growth takes a percentage from 0 to 100, not '%s'", a->val[O_MIN_GROWTH]);
	}
	if (a->val[O_MIN_GROWTH_BYTES] && hs_cli_parse_size(a->val[O_MIN_GROWTH_BYTES], &min_bytes) < 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--min-growth-bytes takes a size (64KB), not '%s'",
				    a->val[O_MIN_GROWTH_BYTES]);
	if (a->val[O_MATCH]) {
		if (regcomp(&re, a->val[O_MATCH], REG_EXTENDED | REG_NOSUB) != 0)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "bad --match regex '%s'", a->val[O_MATCH]);
		have_re = 1;
	}
	rc = hs_cli_summary(&base, a->pos[0], a, NULL, 0, err);
	if (rc < 0)
		goto out0;
	rc = hs_cli_summary(&now, a->pos[1], a, NULL, 0, err);
	if (rc < 0)
		goto out1;
	rc = hs_diff_compute(&df, &base, &now, err);
	if (rc < 0)
		goto out2;
	if (json) {
		hs_json j;
		hs_json_init(&j, stdout);
		hs_json_begin_obj(&j, NULL);
		hs_json_str(&j, "base", a->pos[0]);
		hs_json_str(&j, "new", a->pos[1]);
		hs_json_u64(&j, "base_reachable_bytes", base.reachable_bytes);
		hs_json_u64(&j, "new_reachable_bytes", now.reachable_bytes);
		hs_json_i64(&j, "delta_reachable_bytes", df.d_reachable);
		hs_json_u64(&j, "base_reachable_objects", base.reachable_objects);
		hs_json_u64(&j, "new_reachable_objects", now.reachable_objects);
		hs_json_i64(&j, "delta_reachable_objects", df.d_objects);
		hs_json_u64(&j, "base_threads", base.threads_total);
		hs_json_u64(&j, "new_threads", now.threads_total);
		hs_json_i64(&j, "delta_threads", df.d_threads);
		hs_json_begin_arr(&j, "classes");
		for (i = 0; i < df.nrows && (!top || shown < top); i++) {
			hs_diff_row *r = &df.rows[i];
			if (have_re && regexec(&re, r->name, 0, NULL, 0) != 0)
				continue;
			shown++;
			hs_json_begin_obj(&j, NULL);
			j.pretty = 0;
			hs_json_str(&j, "class", r->name);
			hs_json_u64(&j, "base_instances", r->base_count);
			hs_json_u64(&j, "new_instances", r->new_count);
			hs_json_i64(&j, "delta_instances", r->d_count);
			hs_json_u64(&j, "base_shallow", r->base_shallow);
			hs_json_u64(&j, "new_shallow", r->new_shallow);
			hs_json_i64(&j, "delta_shallow", r->d_shallow);
			hs_json_u64(&j, "base_retained", r->base_retained);
			hs_json_u64(&j, "new_retained", r->new_retained);
			hs_json_i64(&j, "delta_retained", r->d_retained);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_end_arr(&j);
		hs_json_begin_arr(&j, "suspects");
		for (i = 0; i < now.nsuspects; i++) {
			const hs_sum_suspect *x = &now.suspects[i], *y = match_suspect(&base, x);
			if (y && !hs_diff_grown(y->retained, x->retained, min_pct, min_bytes))
				continue;
			hs_json_begin_obj(&j, NULL);
			j.pretty = 0;
			hs_json_str(&j, "status", y ? "grown" : "new");
			hs_json_str(&j, "kind", x->kind);
			hs_json_str(&j, "class", x->class_name);
			hs_json_u64(&j, "members", x->members);
			hs_json_u64(&j, "retained", x->retained);
			hs_json_dbl(&j, "retained_pct", x->pct);
			hs_json_i64(&j, "delta_retained", hs_delta(x->retained, y ? y->retained : 0));
			hs_json_str(&j, "holder", x->holder);
			if (*x->thread_pattern)
				hs_json_str(&j, "thread_pattern", x->thread_pattern);
			if (*x->through)
				hs_json_str(&j, "through", x->through);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_end_arr(&j);
		hs_json_begin_arr(&j, "threads");
		for (i = 0; i < df.nthreads; i++) {
			if (!df.threads[i].delta)
				continue;
			hs_json_begin_obj(&j, NULL);
			j.pretty = 0;
			hs_json_str(&j, "pattern", df.threads[i].pattern);
			hs_json_i64(&j, "base", df.threads[i].base);
			hs_json_i64(&j, "new", df.threads[i].now);
			hs_json_i64(&j, "delta", df.threads[i].delta);
			hs_json_end_obj(&j);
			j.pretty = 1;
		}
		hs_json_end_arr(&j);
		hs_json_end_obj(&j);
		hs_json_finish(&j);
	} else if (csv) {
		static const char *hdr[] = { "class", "base_instances", "new_instances", "delta_instances",
					     "base_shallow", "new_shallow", "delta_shallow", "base_retained",
					     "new_retained", "delta_retained" };
		hs_csv_row(stdout, hdr, 10);
		for (i = 0; i < df.nrows && (!top || shown < top); i++) {
			hs_diff_row *r = &df.rows[i];
			char v[9][32];
			const char *cells[10];
			int k;
			if (have_re && regexec(&re, r->name, 0, NULL, 0) != 0)
				continue;
			shown++;
			snprintf(v[0], 32, "%llu", (unsigned long long)r->base_count);
			snprintf(v[1], 32, "%llu", (unsigned long long)r->new_count);
			snprintf(v[2], 32, "%lld", (long long)r->d_count);
			snprintf(v[3], 32, "%llu", (unsigned long long)r->base_shallow);
			snprintf(v[4], 32, "%llu", (unsigned long long)r->new_shallow);
			snprintf(v[5], 32, "%lld", (long long)r->d_shallow);
			snprintf(v[6], 32, "%llu", (unsigned long long)r->base_retained);
			snprintf(v[7], 32, "%llu", (unsigned long long)r->new_retained);
			snprintf(v[8], 32, "%lld", (long long)r->d_retained);
			cells[0] = r->name;
			for (k = 0; k < 9; k++)
				cells[k + 1] = v[k];
			hs_csv_row(stdout, cells, 10);
		}
	} else {
		static const char *cols[] = { "Δ Retained", "Δ Shallow", "Δ Instances", "Base", "New", "Class", NULL };
		static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT };
		hs_table *t = hs_table_new(cols, al);
		hs_fmt_printf(stdout, "Base: %s\nNew:  %s\n", a->pos[0], a->pos[1]);
		hs_fmt_printf(stdout, "Reachable heap: %s -> %s (%s, %s); threads %s -> %s\n",
		       hs_fmt_bytes(b1, sizeof(b1), base.reachable_bytes), hs_fmt_bytes(b2, sizeof(b2), now.reachable_bytes),
		       hs_fmt_delta(b3, sizeof(b3), df.d_reachable, "byte", "bytes"),
		       hs_fmt_delta(b4, sizeof(b4), df.d_objects, "object", "objects"),
		       hs_fmt_count(b5, sizeof(b5), base.threads_total), hs_fmt_count(b6, sizeof(b6), now.threads_total));
		for (i = 0; i < df.nrows && (!top || shown < top); i++) {
			hs_diff_row *r = &df.rows[i];
			if (have_re && regexec(&re, r->name, 0, NULL, 0) != 0)
				continue;
			shown++;
			hs_table_addf(t, "%s\t%s\t%s\t%s\t%s\t%s", hs_fmt_delta(b1, sizeof(b1), r->d_retained, NULL, NULL),
				      hs_fmt_delta(b2, sizeof(b2), r->d_shallow, NULL, NULL),
				      hs_fmt_delta(b3, sizeof(b3), r->d_count, NULL, NULL),
				      hs_fmt_count(b4, sizeof(b4), r->base_count), hs_fmt_count(b5, sizeof(b5), r->new_count),
				      r->name);
		}
		putchar('\n');
		hs_table_print(t, stdout);
		hs_table_free(t);
		for (i = 0; i < now.nsuspects; i++) {
			const hs_sum_suspect *x = &now.suspects[i], *y = match_suspect(&base, x);
			if (y && !hs_diff_grown(y->retained, x->retained, min_pct, min_bytes))
				continue;
			hs_fmt_printf(stdout, "\n%s suspect: ", y ? "Grown" : "New");
			if (!strcmp(x->kind, "threads"))
				hs_fmt_printf(stdout, "%s \"%s\" retain%s",
					      hs_fmt_counted(b3, sizeof(b3), x->members, "thread", "threads"),
					      x->thread_pattern, x->members == 1 ? "s" : "");
			else if (!strcmp(x->kind, "thread-count"))
				hs_fmt_printf(stdout, "%s retain%s", hs_fmt_counted(b3, sizeof(b3), x->members, "live thread", "live threads"),
					      x->members == 1 ? "s" : "");
			else if (!strcmp(x->kind, "class"))
				hs_fmt_printf(stdout, "the instances of %s retain", x->class_name);
			else
				hs_fmt_printf(stdout, "%s retains", x->class_name);
			hs_fmt_printf(stdout, " %s (%.1f%%)", hs_fmt_bytes(b1, sizeof(b1), x->retained), x->pct);
			if (y)
				hs_fmt_printf(stdout, ", was %s", hs_fmt_bytes(b2, sizeof(b2), y->retained));
			if (*x->through)
				hs_fmt_printf(stdout, ", through %s", x->through);
			else if (*x->holder)
				hs_fmt_printf(stdout, ", held by %s", x->holder);
		}
		for (i = 0; i < df.nthreads; i++)
			if (df.threads[i].delta > 0)
				hs_fmt_printf(stdout, "\nNew threads: %s x%s (%s -> %s)", df.threads[i].pattern,
				       hs_fmt_count(b3, sizeof(b3), (uint64_t)df.threads[i].delta),
				       hs_fmt_count(b4, sizeof(b4), df.threads[i].base < 0 ? 0 : (uint64_t)df.threads[i].base),
				       hs_fmt_count(b5, sizeof(b5), df.threads[i].now < 0 ? 0 : (uint64_t)df.threads[i].now));
		putchar('\n');
	}
	hs_diff_release(&df);
out2:
	hs_summary_release(&now);
out1:
	hs_summary_release(&base);
out0:
	if (have_re)
		regfree(&re);
	return rc;
}

const struct hs_cmd hs_cmd_diff = {
	.name = "diff",
	.summary = "what grew between two dumps or snapshots",
	.usage = "[options] BASE NEW",
	.description = "BASE and NEW are dumps or snapshots.  Classes are matched by name (ids change\n"
		       "between runs; a name several class loaders define is one row); rows are sorted\n"
		       "by retained growth, then come new and grown leak suspects and the thread name\n"
		       "patterns with more threads.  A suspect counts as grown when it grew by at\n"
		       "least --min-growth PCT (1%) and --min-growth-bytes SIZE (64KB).",
	.opts = opts,
	.run = run,
};
