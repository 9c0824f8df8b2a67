/*
 * cmd-report.c - `heapscan report DUMP -o report.html`: the results of
 * suspects, info, top-retained (by class, class loader, package),
 * threads and dominators, and with --baseline those of diff, in one
 * self-contained HTML page (render-html.c) to attach to a ticket.
 *
 * The dump and its graph are opened once; each result comes from its
 * command's own builder, so the page says what `--json` says.  The page
 * must stay small (HS_REPORT_MAX_BYTES) whatever the dump: it is made
 * with the largest row limits of budgets[] first, then with smaller ones
 * until it fits.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "heapscan/diff.h"
#include "heapscan/format.h"
#include "heapscan/outfile.h"
#include "heapscan/result.h"
#include "heapscan/suspects.h"
#include "cmd.h"

enum { O_OUTPUT = HS_OPT_CMD, O_BASELINE, O_THRESHOLD };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ O_OUTPUT, "output", "FILE", "write the report to FILE (also -o FILE), all or nothing; required" },
	{ O_BASELINE, "baseline", "BASE", "compare with BASE, a dump or a snapshot: what grew, and which findings are new" },
	{ O_THRESHOLD, "threshold", "PCT", "report what retains more than PCT% of the reachable heap (default 10)", HS_T_PCT },
	{ 0, NULL, NULL, NULL }
};

/* The page is attached to tickets and mailed around: under 2 MB, with a
 * margin for what the limits below cannot bound (long class names). */
#define HS_REPORT_MAX_BYTES (1900u * 1000u)

/* Row limits of the page's tables and tree, largest first.  A dominator
 * row's children below dom_min_pct of the heap are folded into one row
 * "other", so the tree has at most 100 / dom_min_pct rows per level. */
static const struct budget {
	uint32_t classes, groups, threads;
	int stacks;
	uint32_t dom_top, dom_depth, dom_children;
	double dom_min_pct;
} budgets[] = {
	{ 500, 100, 100, 1, 40, 12, 12, 0.2 },
	{ 200, 50, 50, 1, 30, 10, 10, 0.5 },
	{ 100, 30, 20, 1, 20, 8, 8, 1.0 },
	{ 50, 20, 10, 0, 10, 4, 5, 2.0 },
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The text output's sentences of each finding, one string each (or one
 * saying there is none).  *out and its strings are the caller's. */
static int finding_texts(char ***out, uint32_t *n, const hs_result *sus, hs_error *err)
{
	const hs_node *root = hs_res_root((hs_result *)sus), *f;
	uint32_t cnt = 0, i = 0;
	char **t;
	for (f = hs_node_first(hs_node_get(root, "suspects")); f; f = hs_node_next(f))
		cnt++;
	t = calloc(cnt + 1, sizeof(char *));
	if (!t)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	*out = t;
	*n = cnt ? cnt : 1;
	for (f = hs_node_first(hs_node_get(root, "suspects")); f; f = hs_node_next(f), i++) {
		size_t len;
		FILE *m = open_memstream(&t[i], &len);
		if (!m)
			return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		hs_cli_suspect_text(m, root, f, i + 1);
		if (fclose(m) != 0)
			return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	}
	if (!cnt) {
		char b[48];
		if (asprintf(&t[0], "No leak suspect: nothing retains more than %.4g%% of the reachable heap, and %s.",
			     hs_node_real(hs_node_get(root, "threshold_pct")),
			     hs_fmt_counted(b, sizeof(b), hs_node_u64(hs_node_get(root, "threads_total")), "live thread",
					    "live threads")) < 0) {
			t[0] = NULL;
			return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		}
	}
	return 0;
}

/* The results that depend on the budget, and the page made of them into
 * *page (the caller's). */
static int page(char **page, size_t *len, hs_html_report *rep, hs_dump *d, hs_graph *g, const struct budget *b,
		hs_error *err)
{
	hs_result *cls = NULL, *ld = NULL, *pk = NULL, *th = NULL, *dom = NULL;
	hs_cli_dom_opts dopt;
	FILE *m;
	int rc;

	dopt.top = b->dom_top;
	dopt.depth = b->dom_depth;
	dopt.children = b->dom_children;
	dopt.min = (uint64_t)(b->dom_min_pct / 100.0 * (double)hs_graph_get_stats(g)->reachable_bytes);
	dopt.fold = 1;
	*page = NULL;
	if ((rc = hs_cli_top_retained_result(&cls, d, g, HS_BY_CLASS, b->classes, err)) < 0 ||
	    (rc = hs_cli_top_retained_result(&ld, d, g, HS_BY_LOADER, b->groups, err)) < 0 ||
	    (rc = hs_cli_top_retained_result(&pk, d, g, HS_BY_PACKAGE, b->groups, err)) < 0 ||
	    (rc = hs_cli_threads_result(&th, d, g, b->threads, b->stacks, err)) < 0 ||
	    (rc = hs_cli_dominators_result(&dom, d, g, &dopt, err)) < 0)
		goto done;
	rep->classes = cls;
	rep->loaders = ld;
	rep->packages = pk;
	rep->threads = th;
	rep->dominators = dom;
	m = open_memstream(page, len);
	if (!m) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto done;
	}
	rc = hs_render_html(rep, m);
	if (fclose(m) != 0 || rc < 0)
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory writing the report");
done:
	rep->classes = rep->loaders = rep->packages = rep->threads = rep->dominators = NULL;
	hs_res_free(cls);
	hs_res_free(ld);
	hs_res_free(pk);
	hs_res_free(th);
	hs_res_free(dom);
	return rc;
}

/* The diff against the baseline: its summary was read before the dump
 * was opened (so that two graphs are never in memory at once), that of
 * the dump comes from the graph already built. */
static int diff(hs_result **out, const char *base_name, const hs_summary *base, hs_dump *d, hs_graph *g,
		hs_error *err)
{
	hs_summary now;
	int rc = hs_summary_build(&now, d, g, PACKAGE_VERSION, NULL, 0, err);
	if (rc < 0)
		return rc;
	rc = hs_cli_diff_result(out, base_name, hs_dump_path(d), base, &now, 50, NULL, HS_DIFF_MIN_GROWTH_PCT,
				HS_DIFF_MIN_GROWTH_BYTES, err);
	hs_summary_release(&now);
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_suspect_opts so = { 10.0, 1000 };
	hs_html_report rep;
	hs_summary base;
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_result *sus = NULL, *info = NULL, *df = NULL;
	hs_outfile of;
	char **texts = NULL, *html = NULL;
	size_t len = 0;
	uint32_t ntexts = 0, i;
	int rc, have_base = 0;
	double t0 = now_s();

	memset(&rep, 0, sizeof(rep));
	if (!a->val[O_OUTPUT])
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "report needs -o FILE");
	if (a->npos > 1)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "too many arguments: '%s'", a->pos[1]);
	if (a->set[O_THRESHOLD] && a->real[O_THRESHOLD] <= 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET,
				    "--threshold takes a percentage above 0 and up to 100, not '%s'", a->val[O_THRESHOLD]);
	if (a->set[O_THRESHOLD])
		so.threshold_pct = a->real[O_THRESHOLD];
	if (a->val[O_BASELINE]) {
		if ((rc = hs_cli_summary(&base, a->val[O_BASELINE], a, NULL, 0, err)) < 0)
			return rc;
		have_base = 1;
	}
	if ((rc = hs_cli_open_graph(&d, &g, a, 0, err)) < 0)
		goto done;
	if ((rc = hs_cli_suspects_result(&sus, d, g, &so, err)) < 0 || (rc = hs_cli_info_result(&info, a, d, g, err)) < 0 ||
	    (have_base && (rc = diff(&df, a->val[O_BASELINE], &base, d, g, err)) < 0) ||
	    (rc = finding_texts(&texts, &ntexts, sus, err)) < 0)
		goto done;
	rep.info = info;
	rep.suspects = sus;
	rep.diff = df;
	rep.finding_texts = (const char *const *)texts;
	rep.nfindings = ntexts;
	rep.generator = "heapscan " PACKAGE_VERSION;
	for (i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
		free(html);
		rep.analysis_seconds = now_s() - t0;
		if ((rc = page(&html, &len, &rep, d, g, &budgets[i], err)) < 0)
			goto done;
		if (len <= HS_REPORT_MAX_BYTES)
			break;
	}
	if (len > HS_REPORT_MAX_BYTES && !a->set[HS_OPT_QUIET])
		fprintf(stderr, "heapscan: warning: the report is %zu bytes even with the smallest tables\n", len);
	if ((rc = hs_outfile_open(&of, a->val[O_OUTPUT], err)) < 0)
		goto done;
	fwrite(html, 1, len, of.f);
	if ((rc = hs_outfile_commit(&of, err)) < 0)
		goto done;
	if (!a->set[HS_OPT_QUIET]) {
		char b[48];
		hs_fmt_printf(stderr, "heapscan: wrote %s (%s)\n", a->val[O_OUTPUT], hs_fmt_bytes(b, sizeof(b), len));
	}
done:
	free(html);
	for (i = 0; texts && i < ntexts; i++)
		free(texts[i]);
	free(texts);
	hs_res_free(sus);
	hs_res_free(info);
	hs_res_free(df);
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	if (have_base)
		hs_summary_release(&base);
	return rc;
}

const struct hs_cmd hs_cmd_report = {
	.name = "report",
	.summary = "one self-contained HTML page: findings, treemap of the dominator tree, tables",
	.usage = "[options] [DUMP] -o FILE",
	.description = "The findings of 'suspects' as cards, a treemap of the dominator tree to click\n"
		       "through, the classes, class loaders and packages by retained size, and the\n"
		       "threads with their stacks; with --baseline, what grew and which findings are\n"
		       "new.  The page needs no network (style and script are inside it), reads\n"
		       "without JavaScript and stays under 2 MB.",
	.opts = opts,
	.run = run,
};
