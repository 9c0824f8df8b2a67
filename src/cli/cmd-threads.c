/*
 * cmd-threads.c - `heapscan threads`: MAT's thread overview: every thread
 * with its name, daemon flag, retained size, biggest retained object and
 * stack trace with the local variables (Java frame roots) of each frame.
 * The threads and their groups come from threads.c; this file makes them
 * a result, and prints the stacks of the text output from it.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/result.h"
#include "heapscan/stacks.h"
#include "heapscan/threads.h"
#include "cmd.h"

enum { O_GROUP = HS_OPT_CMD, O_GROUP_BY, O_NO_STACKS };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ HS_OPT_CSV, "csv", NULL, "CSV output with a header row: one row per thread (per group with --group, --group-by)" },
	{ O_GROUP, "group", NULL, "collapse threads by name pattern (digits as *), with counts and summed retained size" },
	{ O_GROUP_BY, "group-by", "KEY", "collapse threads by name (as --group) or by frame: their top frames, through the second frame outside the JDK",
	  HS_T_ENUM, "name|frame" },
	HS_TOP_OPT,
	{ O_NO_STACKS, "no-stacks", NULL, "leave out stack traces and locals" },
	{ 0, NULL, NULL, NULL }
};

/* The locals of frame @p f of thread @p t: its Java frame roots. */
static void locals(hs_node *list, hs_graph *g, const hs_thread *t, uint32_t f)
{
	uint64_t nroots, r;
	const hs_root *roots = hs_dump_roots(hs_graph_dump(g), &nroots);
	for (r = 0; r < nroots; r++) {
		uint32_t lv;
		hs_node *o;
		if (roots[r].kind != HS_SUB_ROOT_JAVA_FRAME || roots[r].thread_serial != t->info->serial ||
		    roots[r].frame != f || !(lv = hs_graph_node(g, roots[r].id)))
			continue;
		o = hs_res_obj(list, NULL);
		hs_res_u64(o, "id", roots[r].id);
		hs_res_str(o, "class", hs_graph_class_name(g, lv));
		hs_res_u64(o, "shallow", hs_graph_shallow(g, lv));
		hs_res_u64(o, "retained", hs_graph_retained(g, lv));
	}
}

static void stack(hs_node *row, hs_graph *g, const hs_thread *t)
{
	const hs_dump *d = hs_graph_dump(g);
	uint32_t nf = 0, f;
	const uint64_t *frames = t->info ? hs_dump_trace(d, t->info->trace_serial, &nf) : NULL;
	hs_node *list = hs_res_list(row, "stack");
	for (f = 0; frames && f < nf; f++) {
		const hs_frame *fr = hs_dump_frame(d, frames[f]);
		char fb[1024];
		hs_node *o;
		if (!fr)
			continue;
		hs_thread_frame_text(d, fr, fb, sizeof(fb));
		o = hs_res_obj(list, NULL);
		hs_res_str(o, "frame", fb);
		locals(hs_res_list(o, "locals"), g, t, f);
	}
}

static void thread_rows(hs_node *root, hs_graph *g, const hs_thread_list *l, uint32_t shown, int stacks)
{
	static const char *const cols[] = { "retained_pct", "retained", "retained_objects", "thread", "id", "class",
					    "daemon", "thread_root", "biggest_class", "biggest_retained", NULL };
	uint64_t total = hs_graph_get_stats(g)->reachable_bytes;
	hs_node *t = hs_res_table(root, "threads", cols);
	uint32_t i;
	for (i = 0; i < shown; i++) {
		uint32_t v = l->t[i].node, cnt = 0;
		hs_error e;
		const uint32_t *ch = hs_graph_dom_children(g, v, &cnt, &e);
		hs_node *row = hs_res_row(t);
		hs_res_pct(row, "retained_pct", hs_graph_retained(g, v), total);
		hs_res_u64(row, "retained", hs_graph_retained(g, v));
		hs_res_u64(row, "retained_objects", hs_graph_retained_count(g, v));
		hs_res_str(row, "thread", l->t[i].name);
		hs_res_u64(row, "id", hs_graph_id(g, v));
		hs_res_str(row, "class", hs_graph_class_name(g, v));
		hs_res_bool(row, "daemon", l->t[i].daemon);
		hs_res_bool(row, "thread_root", l->t[i].info != NULL);
		hs_res_str(row, "biggest_class", ch && cnt ? hs_graph_class_name(g, ch[0]) : NULL);
		if (ch && cnt)
			hs_res_u64(row, "biggest_retained", hs_graph_retained(g, ch[0]));
		else
			hs_res_null(row, "biggest_retained");
		if (stacks)
			stack(row, g, &l->t[i]);
		else
			hs_res_null(row, "stack");
	}
}

static void group_rows(hs_node *root, const hs_thread_group *gr, uint32_t shown, int by_frame, uint64_t total)
{
	static const char *const by_name_cols[] = { "count", "retained_pct", "retained", "retained_objects", "pattern", NULL };
	static const char *const by_frame_cols[] = { "count", "retained_pct", "retained", "retained_objects", "wait", "frames", NULL };
	hs_node *t = hs_res_table(root, "groups", by_frame ? by_frame_cols : by_name_cols);
	uint32_t i;
	for (i = 0; i < shown; i++) {
		hs_node *row = hs_res_row(t);
		hs_res_u64(row, "count", gr[i].count);
		hs_res_pct(row, "retained_pct", gr[i].retained, total);
		hs_res_u64(row, "retained", gr[i].retained);
		hs_res_u64(row, "retained_objects", gr[i].retained_objects);
		hs_res_str(row, by_frame ? "frames" : "pattern", by_frame ? gr[i].frames : gr[i].pattern);
		if (by_frame)
			hs_res_str(row, "wait", gr[i].wait);
	}
}

/* The result: the threads (or their groups), the first @p top. */
static hs_result *list_result(hs_dump *d, hs_graph *g, const hs_thread_list *l, const hs_thread_group *gr, uint32_t ng,
			      int grouped, int by_frame, uint32_t top, int stacks)
{
	hs_result *r = hs_res_new("threads");
	hs_node *root = hs_res_root(r);
	uint32_t n = grouped ? ng : l->n;
	hs_cli_graph_result(root, d, g);
	hs_res_u64(root, "threads_total", l->n);
	if (grouped)
		group_rows(root, gr, n < top ? n : top, by_frame, hs_graph_get_stats(g)->reachable_bytes);
	else
		thread_rows(root, g, l, n < top ? n : top, stacks);
	return r;
}

int hs_cli_threads_result(hs_result **out, hs_dump *d, hs_graph *g, uint32_t top, int stacks, hs_error *err)
{
	hs_thread_list l = { NULL, 0 };
	int rc = hs_threads_list(&l, g, err);
	*out = NULL;
	if (rc < 0)
		return rc;
	*out = list_result(d, g, &l, NULL, 0, 0, 0, top, stacks);
	hs_threads_release(&l);
	if (!*out)
		return hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
	if ((rc = hs_res_error(*out, err)) < 0) {
		hs_res_free(*out);
		*out = NULL;
	}
	return rc;
}

/* The text output's stacks, one block per thread of the result. */
static void stacks_text(hs_result *r)
{
	const hs_node *row, *fr, *lv;
	char b1[48], b2[48], b3[48], b4[48];
	for (row = hs_node_first(hs_node_get(hs_res_root(r), "threads")); row; row = hs_node_next(row)) {
		const hs_node *big = hs_node_get(row, "biggest_class");
		hs_fmt_printf(stdout, "\n\"%s\"%s%s  %s @ %s  retains %s (%s), %s", hs_node_str(hs_node_get(row, "thread")),
			      hs_node_u64(hs_node_get(row, "daemon")) ? " daemon" : "",
			      hs_node_u64(hs_node_get(row, "thread_root")) ? "" : " (no thread root)",
			      hs_node_str(hs_node_get(row, "class")), hs_node_text(hs_node_get(row, "id"), b4, sizeof(b4)),
			      hs_fmt_bytes(b1, sizeof(b1), hs_node_u64(hs_node_get(row, "retained"))),
			      hs_node_text(hs_node_get(row, "retained_pct"), b2, sizeof(b2)),
			      hs_fmt_counted(b3, sizeof(b3), hs_node_u64(hs_node_get(row, "retained_objects")), "object", "objects"));
		if (!hs_node_is_null(big))
			hs_fmt_printf(stdout, "; biggest: %s (%s)", hs_node_str(big),
				      hs_fmt_bytes(b1, sizeof(b1), hs_node_u64(hs_node_get(row, "biggest_retained"))));
		putchar('\n');
		for (fr = hs_node_first(hs_node_get(row, "stack")); fr; fr = hs_node_next(fr)) {
			hs_fmt_printf(stdout, "    at %s\n", hs_node_str(hs_node_get(fr, "frame")));
			for (lv = hs_node_first(hs_node_get(fr, "locals")); lv; lv = hs_node_next(lv))
				hs_fmt_printf(stdout, "        local %s @ %s, retains %s\n", hs_node_str(hs_node_get(lv, "class")),
					      hs_node_text(hs_node_get(lv, "id"), b3, sizeof(b3)),
					      hs_fmt_bytes(b1, sizeof(b1), hs_node_u64(hs_node_get(lv, "retained"))));
		}
	}
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	hs_thread_list l = { NULL, 0 };
	hs_thread_group *gr = NULL;
	uint32_t ng = 0, n, top = hs_cli_top(a);
	int by_frame = a->set[O_GROUP_BY] && a->num[O_GROUP_BY] == 1;
	int grouped = a->set[O_GROUP] || a->set[O_GROUP_BY], text = !a->set[HS_OPT_JSON] && !a->set[HS_OPT_CSV];
	hs_result *r = NULL;
	int rc;

	if ((rc = hs_cli_open_graph(&d, &g, a, 0, err)) < 0)
		return rc;
	rc = hs_threads_list(&l, g, err);
	if (rc == 0 && grouped)
		rc = by_frame ? hs_threads_by_frame(d, g, &gr, &ng, err) : hs_threads_by_name(&l, g, &gr, &ng, err);
	if (rc < 0)
		goto done;
	r = list_result(d, g, &l, gr, ng, grouped, by_frame, top, !a->set[O_NO_STACKS]);
	n = grouped ? ng : l.n;
	rc = hs_cli_render_graph(r, a, grouped ? "groups" : "threads", d, g, err);
	if (rc == 0 && text && n > top) {
		char b[64];
		hs_fmt_printf(stdout, "... and %s (--top 0 shows all)\n",
			      grouped ? hs_fmt_counted(b, sizeof(b), n - top, "more group", "more groups")
				      : hs_fmt_counted(b, sizeof(b), n - top, "more thread", "more threads"));
	}
	if (rc == 0 && text && !grouped && !a->set[O_NO_STACKS])
		stacks_text(r);
done:
	hs_res_free(r);
	hs_thread_groups_free(gr, ng);
	hs_threads_release(&l);
	hs_cli_free_graph(a, g);
	hs_cli_free_dump(a, d);
	return rc;
}

const struct hs_cmd hs_cmd_threads = {
	.name = "threads",
	.summary = "every thread: name, retained size, biggest object, stack with locals",
	.usage = "[options] [DUMP]",
	.description = "Threads come from the dump's thread roots, and every other java.lang.Thread object\n"
		       "the roots reach is listed too, marked \"(no thread root)\" (compiler threads,\n"
		       "threads not started or ended); stacks and frames come from the TRACE and\n"
		       "FRAME records, locals from the Java-frame roots.",
	.opts = opts,
	.run = run,
};
