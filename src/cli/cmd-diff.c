/*
 * cmd-diff.c - `heapscan diff BASE NEW`: what grew between two dumps or
 * snapshots, per class, plus new or grown suspects and new threads.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/diff.h"
#include "heapscan/format.h"
#include "heapscan/result.h"
#include "cmd.h"

enum { O_MIN_GROWTH = HS_OPT_CMD, O_MIN_GROWTH_BYTES };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output: the totals, the class rows, the suspects and the thread name patterns" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output of the class rows: class,base_instances,new_instances,delta_instances,base_shallow,new_shallow,delta_shallow,base_retained,new_retained,delta_retained" },
	HS_TOP_OPT,
	HS_MATCH_OPT("classes"),
	{ O_MIN_GROWTH, "min-growth", "PCT", "a suspect grown by less than PCT% of what it retained is not reported (default 1)", HS_T_PCT, NULL, 0 },
	{ O_MIN_GROWTH_BYTES, "min-growth-bytes", "SIZE", "nor one grown by less than SIZE (default 64KB); both 0: any growth is reported", HS_T_SIZE, NULL, 0 },
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

/* The totals of both sides and their change. */
static void totals(hs_node *root, const hs_summary *base, const hs_summary *now, const hs_diff *df)
{
	hs_res_u64(root, "base_reachable_bytes", base->reachable_bytes);
	hs_res_u64(root, "new_reachable_bytes", now->reachable_bytes);
	hs_res_i64(root, "delta_reachable_bytes", df->d_reachable);
	hs_res_u64(root, "base_reachable_objects", base->reachable_objects);
	hs_res_u64(root, "new_reachable_objects", now->reachable_objects);
	hs_res_i64(root, "delta_reachable_objects", df->d_objects);
	hs_res_u64(root, "base_threads", base->threads_total);
	hs_res_u64(root, "new_threads", now->threads_total);
	hs_res_i64(root, "delta_threads", df->d_threads);
}

/* The class rows that grew most (--top), of the classes --match takes. */
static void classes(hs_node *root, const hs_diff *df, uint32_t top, const regex_t *re)
{
	static const char *const cols[] = { "class", "base_instances", "new_instances", "delta_instances",
					    "base_shallow", "new_shallow", "delta_shallow", "base_retained",
					    "new_retained", "delta_retained", NULL };
	static const char *const text[] = { "delta_retained", "delta_shallow", "delta_instances",
					    "base_instances", "new_instances", "class", NULL };
	hs_node *t = hs_res_table(root, "classes", cols), *row;
	uint32_t i, shown = 0;

	hs_res_text_cols(t, text);
	for (i = 0; i < df->nrows && shown < top; i++) {
		const hs_diff_row *r = &df->rows[i];
		if (re && regexec(re, r->name, 0, NULL, 0) != 0)
			continue;
		shown++;
		row = hs_res_row(t);
		hs_res_str(row, "class", r->name);
		hs_res_u64(row, "base_instances", r->base_count);
		hs_res_u64(row, "new_instances", r->new_count);
		hs_res_i64(row, "delta_instances", r->d_count);
		hs_res_u64(row, "base_shallow", r->base_shallow);
		hs_res_u64(row, "new_shallow", r->new_shallow);
		hs_res_i64(row, "delta_shallow", r->d_shallow);
		hs_res_u64(row, "base_retained", r->base_retained);
		hs_res_u64(row, "new_retained", r->new_retained);
		hs_res_i64(row, "delta_retained", r->d_retained);
	}
}

/* The suspects of NEW that BASE lacks or that grew above the floor, and
 * the thread name patterns whose number of threads changed. */
static void findings(hs_node *root, const hs_summary *base, const hs_summary *now, const hs_diff *df,
		     double min_pct, uint64_t min_bytes)
{
	static const char *const scols[] = { "status", "kind", "class", "members", "retained", "retained_pct",
					     "base_retained", "delta_retained", "holder", "thread_pattern",
					     "through", NULL };
	static const char *const tcols[] = { "thread_pattern", "base_threads", "new_threads", "delta_threads", NULL };
	hs_node *t = hs_res_table(root, "suspects", scols), *row;
	uint32_t i;

	for (i = 0; i < now->nsuspects; i++) {
		const hs_sum_suspect *x = &now->suspects[i], *y = match_suspect(base, x);
		if (y && !hs_diff_grown(y->retained, x->retained, min_pct, min_bytes))
			continue;
		row = hs_res_row(t);
		hs_res_str(row, "status", y ? "grown" : "new");
		hs_res_str(row, "kind", x->kind);
		hs_res_str(row, "class", x->class_name);
		hs_res_u64(row, "members", x->members);
		hs_res_u64(row, "retained", x->retained);
		hs_res_real(row, "retained_pct", x->pct);
		if (y)
			hs_res_u64(row, "base_retained", y->retained);
		else
			hs_res_null(row, "base_retained");
		hs_res_i64(row, "delta_retained", hs_delta(x->retained, y ? y->retained : 0));
		hs_res_str(row, "holder", *x->holder ? x->holder : NULL);
		hs_res_str(row, "thread_pattern", *x->thread_pattern ? x->thread_pattern : NULL);
		hs_res_str(row, "through", *x->through ? x->through : NULL);
	}
	t = hs_res_table(root, "thread_patterns", tcols);
	for (i = 0; i < df->nthreads; i++) {
		const hs_diff_threads *x = &df->threads[i];
		if (!x->delta)
			continue;
		row = hs_res_row(t);
		hs_res_str(row, "thread_pattern", x->pattern);
		hs_res_u64(row, "base_threads", x->base < 0 ? 0 : (uint64_t)x->base);
		hs_res_u64(row, "new_threads", x->now < 0 ? 0 : (uint64_t)x->now);
		hs_res_i64(row, "delta_threads", x->delta);
	}
}

static const char *str(const hs_node *o, const char *key)
{
	const hs_node *n = hs_node_get(o, key);
	return n && !hs_node_is_null(n) ? hs_node_str(n) : "";
}

static uint64_t u64(const hs_node *o, const char *key)
{
	const hs_node *n = hs_node_get(o, key);
	return n && !hs_node_is_null(n) ? hs_node_u64(n) : 0;
}

static int64_t i64(const hs_node *o, const char *key)
{
	const hs_node *n = hs_node_get(o, key);
	return n && !hs_node_is_null(n) ? hs_node_i64(n) : 0;
}

/* A suspect of the result as a sentence. */
static void print_suspect(const hs_node *x)
{
	const char *kind = str(x, "kind");
	uint64_t members = u64(x, "members");
	char b1[48], b2[48];

	hs_fmt_printf(stdout, "%s suspect: ", !strcmp(str(x, "status"), "grown") ? "Grown" : "New");
	if (!strcmp(kind, "threads"))
		hs_fmt_printf(stdout, "%s \"%s\" retain%s", hs_fmt_counted(b1, sizeof(b1), members, "thread", "threads"),
			      str(x, "thread_pattern"), members == 1 ? "s" : "");
	else if (!strcmp(kind, "thread-count"))
		hs_fmt_printf(stdout, "%s retain%s", hs_fmt_counted(b1, sizeof(b1), members, "live thread", "live threads"),
			      members == 1 ? "s" : "");
	else if (!strcmp(kind, "class"))
		hs_fmt_printf(stdout, "the instances of %s retain", str(x, "class"));
	else
		hs_fmt_printf(stdout, "%s retains", str(x, "class"));
	hs_fmt_printf(stdout, " %s (%.1f%%)", hs_fmt_bytes(b1, sizeof(b1), u64(x, "retained")),
		      hs_node_real(hs_node_get(x, "retained_pct")));
	if (!hs_node_is_null(hs_node_get(x, "base_retained")))
		hs_fmt_printf(stdout, ", was %s", hs_fmt_bytes(b2, sizeof(b2), u64(x, "base_retained")));
	if (*str(x, "through"))
		hs_fmt_printf(stdout, ", through %s", str(x, "through"));
	else if (*str(x, "holder"))
		hs_fmt_printf(stdout, ", held by %s", str(x, "holder"));
	putchar('\n');
}

/* The text report: the totals, the class rows, then the findings as
 * sentences (the thread patterns with more threads only). */
static int print_text(const hs_result *r)
{
	const hs_node *root = hs_res_root((hs_result *)r), *x;
	char b[6][48];

	hs_fmt_printf(stdout, "Base: %s\nNew:  %s\n", str(root, "baseline"), str(root, "dump"));
	hs_fmt_printf(stdout, "Reachable heap: %s -> %s (%s, %s); threads %s -> %s\n\n",
		      hs_fmt_bytes(b[0], sizeof(b[0]), u64(root, "base_reachable_bytes")),
		      hs_fmt_bytes(b[1], sizeof(b[1]), u64(root, "new_reachable_bytes")),
		      hs_fmt_delta(b[2], sizeof(b[2]), i64(root, "delta_reachable_bytes"), "byte", "bytes"),
		      hs_fmt_delta(b[3], sizeof(b[3]), i64(root, "delta_reachable_objects"), "object", "objects"),
		      hs_fmt_count(b[4], sizeof(b[4]), u64(root, "base_threads")),
		      hs_fmt_count(b[5], sizeof(b[5]), u64(root, "new_threads")));
	hs_render_table(r, "classes", stdout);
	putchar('\n');
	for (x = hs_node_first(hs_node_get(root, "suspects")); x; x = hs_node_next(x))
		print_suspect(x);
	for (x = hs_node_first(hs_node_get(root, "thread_patterns")); x; x = hs_node_next(x))
		if (i64(x, "delta_threads") > 0)
			hs_fmt_printf(stdout, "New threads: %s x%s (%s -> %s)\n", str(x, "thread_pattern"),
				      hs_fmt_count(b[0], sizeof(b[0]), (uint64_t)i64(x, "delta_threads")),
				      hs_fmt_count(b[1], sizeof(b[1]), u64(x, "base_threads")),
				      hs_fmt_count(b[2], sizeof(b[2]), u64(x, "new_threads")));
	return ferror(stdout) ? -1 : 0;
}

int hs_cli_diff_result(hs_result **out, const char *base_name, const char *new_name, const hs_summary *base,
		       const hs_summary *now, uint32_t top, const regex_t *re, double min_pct, uint64_t min_bytes,
		       hs_error *err)
{
	hs_diff df;
	hs_result *r;
	int rc;

	*out = NULL;
	if ((rc = hs_diff_compute(&df, base, now, err)) < 0)
		return rc;
	r = hs_res_new("diff");
	hs_res_str(hs_res_root(r), "baseline", base_name);
	hs_res_str(hs_res_root(r), "dump", new_name);
	totals(hs_res_root(r), base, now, &df);
	classes(hs_res_root(r), &df, top, re);
	findings(hs_res_root(r), base, now, &df, min_pct, min_bytes);
	hs_diff_release(&df);
	if ((rc = hs_res_error(r, err)) < 0)
		hs_res_free(r);
	else
		*out = r;
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_summary base, now;
	hs_result *r = NULL;
	regex_t re;
	int rc, have_re = 0;

	if (a->npos != 2)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "usage: heapscan diff [options] BASE NEW");
	if (a->val[HS_OPT_MATCH]) {   /* (checked by hs_cmd_parse: it compiles) */
		if (regcomp(&re, a->val[HS_OPT_MATCH], REG_EXTENDED | REG_NOSUB) != 0)
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "bad --match regex '%s'", a->val[HS_OPT_MATCH]);
		have_re = 1;
	}
	if ((rc = hs_cli_summary(&base, a->pos[0], a, NULL, 0, err)) < 0)
		goto out0;
	if ((rc = hs_cli_summary(&now, a->pos[1], a, NULL, 0, err)) < 0)
		goto out1;
	rc = hs_cli_diff_result(&r, a->pos[0], a->pos[1], &base, &now, hs_cli_top(a), have_re ? &re : NULL,
				a->set[O_MIN_GROWTH] ? a->real[O_MIN_GROWTH] : HS_DIFF_MIN_GROWTH_PCT,
				a->set[O_MIN_GROWTH_BYTES] ? a->num[O_MIN_GROWTH_BYTES] : HS_DIFF_MIN_GROWTH_BYTES, err);
	if (rc == 0) {
		if (a->set[HS_OPT_JSON] || a->set[HS_OPT_CSV])
			rc = hs_cli_render(r, a, "classes", err);
		else
			print_text(r);
	}
	hs_res_free(r);
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
