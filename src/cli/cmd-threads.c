/*
 * cmd-threads.c - `heapscan threads`: MAT's thread overview: every thread
 * with its name, daemon flag, retained size, biggest retained object and
 * stack trace with the local variables (Java frame roots) of each frame.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/paths.h"
#include "heapscan/stacks.h"
#include "heapscan/suspects.h"
#include "cmd.h"

enum { O_GROUP = HS_OPT_CMD, O_GROUP_BY, O_TOP, O_NO_STACKS };

static const hs_opt opts[] = {
	HS_COMMON_OPTS,
	HS_GRAPH_OPTS,
	{ HS_OPT_JSON, "json", NULL, "JSON output" },
	{ O_GROUP, "group", NULL, "collapse threads by name pattern (digits as *), with counts and summed retained size" },
	{ O_GROUP_BY, "group-by", "KEY", "collapse threads by name (as --group) or by frame: their top frames, through the second frame outside the JDK" },
	{ O_TOP, "top", "N", "show the N threads (or groups) retaining most (default: all)" },
	{ O_NO_STACKS, "no-stacks", NULL, "leave out stack traces and locals" },
	{ 0, NULL, NULL, NULL }
};

struct thr {
	uint32_t node;
	const hs_thread_info *info;   /* NULL: a Thread object without a thread root */
	char *name;
	uint64_t daemon;
};

static const hs_graph *sort_graph;
static int by_ret(const void *a, const void *b)
{
	const struct thr *x = a, *y = b;
	uint64_t rx = hs_graph_retained(sort_graph, x->node), ry = hs_graph_retained(sort_graph, y->node);
	return rx < ry ? 1 : rx > ry ? -1 : 0;
}


static void frame_text(const hs_dump *d, const hs_frame *f, char *buf, size_t n)
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

/* --group-by frame: threads standing at the same top frames. */
static int by_frame(const hs_dump *d, hs_graph *g, int json, hs_json *j, uint64_t top, uint64_t total,
		    hs_error *err)
{
	hs_stack_group *sg = NULL;
	uint32_t ng = 0, i, k, nt, shown;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	uint64_t *ret, *obj;
	int rc = hs_stack_groups(d, &sg, &ng, err);
	if (rc < 0)
		return rc;
	ret = calloc(ng + 1, sizeof(uint64_t));
	obj = calloc(ng + 1, sizeof(uint64_t));
	if (!ret || !obj) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto done;
	}
	for (k = 0; k < ng; k++)
		for (i = 0; i < sg[k].n; i++) {
			uint32_t v = hs_graph_node(g, th[sg[k].threads[i]].object_id);
			if (v) {
				ret[k] += hs_graph_retained(g, v);
				obj[k] += hs_graph_retained_count(g, v);
			}
		}
	shown = top && top < ng ? (uint32_t)top : ng;
	if (json) {
		hs_json_begin_arr(j, "groups");
		for (k = 0; k < shown; k++) {
			char *f = hs_frames_text(d, sg[k].frames, sg[k].nframes, 1);
			uint32_t nf = 0;
			const uint64_t *all = hs_dump_trace(d, th[sg[k].threads[0]].trace_serial, &nf);
			const char *w = hs_stack_wait_kind(d, all, nf);
			hs_json_begin_obj(j, NULL);
			j->pretty = 0;
			hs_json_str(j, "frames", f ? f : "");
			hs_json_u64(j, "threads", sg[k].n);
			hs_json_u64(j, "retained", ret[k]);
			hs_json_u64(j, "retained_objects", obj[k]);
			if (w)
				hs_json_str(j, "wait", w);
			hs_json_end_obj(j);
			j->pretty = 1;
			free(f);
		}
		hs_json_end_arr(j);
	} else {
		static const char *cols[] = { "Threads", "Retained %", "Retained", "Top frames (caller first)", NULL };
		static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT };
		hs_table *tb = hs_table_new(cols, al);
		for (k = 0; k < shown; k++) {
			char c1[32], c2[16], c3[32];
			char *f = hs_frames_text(d, sg[k].frames, sg[k].nframes, 0);
			hs_table_addf(tb, "%s\t%s\t%s\t%s", hs_fmt_count(c1, sizeof(c1), sg[k].n),
				      hs_fmt_pct(c2, sizeof(c2), ret[k], total), hs_fmt_count(c3, sizeof(c3), ret[k]),
				      f ? f : "?");
			free(f);
		}
		putchar('\n');
		hs_table_print(tb, stdout);
		hs_table_free(tb);
	}
done:
	free(ret);
	free(obj);
	hs_stack_groups_free(sg, ng);
	return rc;
}

static int run(const hs_args *a, hs_error *err)
{
	hs_dump *d = NULL;
	hs_graph *g = NULL;
	struct thr *t = NULL;
	uint32_t nt, n = 0, i, *nodes = NULL, *objs = NULL, nobjs = 0;
	uint8_t *listed = NULL;
	uint64_t top = 0, nroots, total;
	const hs_thread_info *th;
	const hs_root *roots;
	uint64_t *daemon = NULL;
	int rc, json = a->set[HS_OPT_JSON] > 0, stacks = !a->set[O_NO_STACKS];
	hs_json j;

	int group_name = a->set[O_GROUP] > 0, group_frame = 0;

	if (a->val[O_TOP] && hs_cli_parse_uint(a->val[O_TOP], &top) < 0)
		return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--top takes a number, not '%s'", a->val[O_TOP]);
	if (a->val[O_GROUP_BY]) {
		if (!strcmp(a->val[O_GROUP_BY], "name"))
			group_name = 1;
		else if (!strcmp(a->val[O_GROUP_BY], "frame"))
			group_frame = 1;
		else
			return hs_error_set(err, HS_EUSAGE, HS_NO_OFFSET, "--group-by takes name or frame, not '%s'",
					    a->val[O_GROUP_BY]);
	}
	rc = hs_cli_open_graph(&d, &g, a, 0, err);
	if (rc < 0)
		return rc;
	total = hs_graph_get_stats(g)->reachable_bytes;
	th = hs_dump_threads(d, &nt);
	roots = hs_dump_roots(d, &nroots);
	rc = hs_graph_thread_objects(g, &objs, &nobjs, err);
	if (rc < 0)
		goto done;
	t = calloc((size_t)nt + nobjs + 1, sizeof(*t));
	nodes = malloc(sizeof(uint32_t) * ((size_t)nt + nobjs + 1));
	daemon = calloc((size_t)nt + nobjs + 1, sizeof(uint64_t));
	listed = calloc(hs_graph_nodes(g) / 8 + 1, 1);
	if (!t || !nodes || !daemon || !listed) {
		rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
		goto done;
	}
	/* the threads of the thread roots, then every other Thread object
	 * the roots reach (compiler threads, threads not started or ended) */
	for (i = 0; i < nt; i++) {
		uint32_t v = hs_graph_node(g, th[i].object_id);
		if (!v)
			continue;
		t[n].node = v;
		t[n].info = &th[i];
		nodes[n++] = v;
		listed[v / 8] |= (uint8_t)(1u << (v % 8));
	}
	for (i = 0; i < nobjs; i++) {
		uint32_t v = objs[i];
		if (listed[v / 8] & (1u << (v % 8)))
			continue;
		t[n].node = v;
		t[n].info = NULL;
		nodes[n++] = v;
	}
	rc = hs_graph_fetch_labels(g, nodes, n, err);
	if (rc == 0)
		rc = hs_paths_field_values(g, nodes, n, "daemon", daemon, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < n; i++) {
		t[i].name = hs_graph_thread_name_dup(g, t[i].node);
		if (!t[i].name && t[i].info && t[i].info->name)   /* START_THREAD (hprof agent) */
			t[i].name = strdup(t[i].info->name);
		if (!t[i].name)
			t[i].name = strdup("<unnamed>");
		t[i].daemon = daemon[i];
	}
	sort_graph = g;
	qsort(t, n, sizeof(*t), by_ret);
	if (json) {
		hs_json_init(&j, stdout);
		hs_json_begin_obj(&j, NULL);
		hs_json_str(&j, "dump", hs_dump_path(d));
		hs_json_u64(&j, "threads_total", n);
		hs_json_u64(&j, "reachable_bytes", total);
	} else {
		hs_cli_graph_header(stdout, d, g);
	}
	if (group_frame) {
		rc = by_frame(d, g, json, &j, top, total, err);
		if (rc < 0)
			goto done;
	} else if (group_name) {
		/* by name pattern */
		char **shown = NULL, **pat;
		const char **names = malloc(sizeof(char *) * (n + 1));
		uint32_t *gof = malloc(sizeof(uint32_t) * (n + 1)), *cnt = NULL, np = 0, k;
		uint64_t *ret = NULL, *obj = NULL;
		for (i = 0; names && i < n; i++)
			names[i] = t[i].name;
		if (!names || !gof || hs_name_groups(names, n, gof, &shown, &np) < 0 ||
		    !(cnt = calloc(np + 1, sizeof(uint32_t))) || !(ret = calloc(np + 1, sizeof(uint64_t))) ||
		    !(obj = calloc(np + 1, sizeof(uint64_t)))) {
			free(names); free(gof); free(cnt); free(ret);
			hs_name_groups_free(shown, np);
			rc = hs_error_set(err, HS_ENOMEM, HS_NO_OFFSET, "out of memory");
			goto done;
		}
		free(names);
		pat = shown;
		for (i = 0; i < n; i++) {
			k = gof[i];
			cnt[k]++;
			ret[k] += hs_graph_retained(g, t[i].node);
			obj[k] += hs_graph_retained_count(g, t[i].node);
		}
		free(gof);
		for (i = 1; i < np; i++)
			for (k = i; k > 0 && ret[k - 1] < ret[k]; k--) {
				char *tp = pat[k]; pat[k] = pat[k - 1]; pat[k - 1] = tp;
				uint32_t tc = cnt[k]; cnt[k] = cnt[k - 1]; cnt[k - 1] = tc;
				uint64_t tr = ret[k]; ret[k] = ret[k - 1]; ret[k - 1] = tr;
				tr = obj[k]; obj[k] = obj[k - 1]; obj[k - 1] = tr;
			}
		uint32_t all = np;   /* groups made; np: shown */
		if (top && np > top)
			np = (uint32_t)top;
		if (json) {
			hs_json_begin_arr(&j, "groups");
			for (i = 0; i < np; i++) {
				hs_json_begin_obj(&j, NULL);
				j.pretty = 0;
				hs_json_str(&j, "pattern", pat[i]);
				hs_json_u64(&j, "threads", cnt[i]);
				hs_json_u64(&j, "retained", ret[i]);
				hs_json_u64(&j, "retained_objects", obj[i]);
				hs_json_end_obj(&j);
				j.pretty = 1;
			}
			hs_json_end_arr(&j);
		} else {
			static const char *cols[] = { "Threads", "Retained %", "Retained", "Objects", "Name pattern", NULL };
			static const enum hs_align al[] = { HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_RIGHT, HS_LEFT };
			hs_table *tb = hs_table_new(cols, al);
			for (i = 0; i < np; i++) {
				char c1[32], c2[16], c3[32], c4[32];
				hs_table_addf(tb, "%s\t%s\t%s\t%s\t%s", hs_fmt_count(c1, sizeof(c1), cnt[i]),
					      hs_fmt_pct(c2, sizeof(c2), ret[i], total), hs_fmt_count(c3, sizeof(c3), ret[i]),
					      hs_fmt_count(c4, sizeof(c4), obj[i]), pat[i]);
			}
			putchar('\n');
			hs_table_print(tb, stdout);
			hs_table_free(tb);
		}
		hs_name_groups_free(shown, all);
		free(cnt); free(ret); free(obj);
	} else {
		uint32_t shown = top && top < n ? (uint32_t)top : n;
		if (json)
			hs_json_begin_arr(&j, "threads");
		for (i = 0; i < shown; i++) {
			uint32_t v = t[i].node, cnt, nf = 0, f;
			const uint32_t *ch = hs_graph_dom_children(g, v, &cnt, err);
			const uint64_t *frames = stacks && t[i].info ? hs_dump_trace(d, t[i].info->trace_serial, &nf) : NULL;
			char b1[32], b2[32], b3[48];
			if (json) {
				hs_json_begin_obj(&j, NULL);
				hs_json_str(&j, "name", t[i].name);
				hs_json_hex(&j, "id", hs_graph_id(g, v));
				hs_json_str(&j, "class", hs_graph_class_name(g, v));
				hs_json_bool(&j, "daemon", t[i].daemon != 0);
				hs_json_bool(&j, "thread_root", t[i].info != NULL);
				hs_json_u64(&j, "retained", hs_graph_retained(g, v));
				hs_json_u64(&j, "retained_objects", hs_graph_retained_count(g, v));
				if (ch && cnt) {
					hs_json_str(&j, "biggest_class", hs_graph_class_name(g, ch[0]));
					hs_json_u64(&j, "biggest_retained", hs_graph_retained(g, ch[0]));
				}
				hs_json_begin_arr(&j, "stack");
			} else {
				hs_fmt_printf(stdout, "\n\"%s\"%s%s  %s @ 0x%llx  retains %s (%s), %s", t[i].name,
				       t[i].daemon ? " daemon" : "", t[i].info ? "" : " (no thread root)",
				       hs_graph_class_name(g, v),
				       (unsigned long long)hs_graph_id(g, v),
				       hs_fmt_bytes(b1, sizeof(b1), hs_graph_retained(g, v)),
				       hs_fmt_pct(b2, sizeof(b2), hs_graph_retained(g, v), total),
				       hs_fmt_counted(b3, sizeof(b3), hs_graph_retained_count(g, v), "object", "objects"));
				if (ch && cnt)
					hs_fmt_printf(stdout, "; biggest: %s (%s)", hs_graph_class_name(g, ch[0]),
					       hs_fmt_bytes(b1, sizeof(b1), hs_graph_retained(g, ch[0])));
				putchar('\n');
			}
			for (f = 0; frames && f < nf; f++) {
				const hs_frame *fr = hs_dump_frame(d, frames[f]);
				char fb[1024];
				uint64_t r;
				if (!fr)
					continue;
				frame_text(d, fr, fb, sizeof(fb));
				if (json) {
					hs_json_begin_obj(&j, NULL);
					hs_json_str(&j, "frame", fb);
					hs_json_begin_arr(&j, "locals");
				} else {
					hs_fmt_printf(stdout, "    at %s\n", fb);
				}
				for (r = 0; r < nroots; r++) {
					uint32_t lv;
					if (roots[r].kind != HS_SUB_ROOT_JAVA_FRAME ||
					    roots[r].thread_serial != t[i].info->serial || roots[r].frame != f)
						continue;
					lv = hs_graph_node(g, roots[r].id);
					if (!lv)
						continue;
					if (json) {
						hs_json_begin_obj(&j, NULL);
						j.pretty = 0;
						hs_json_hex(&j, "id", roots[r].id);
						hs_json_str(&j, "class", hs_graph_class_name(g, lv));
						hs_json_u64(&j, "shallow", hs_graph_shallow(g, lv));
						hs_json_u64(&j, "retained", hs_graph_retained(g, lv));
						hs_json_end_obj(&j);
						j.pretty = 1;
					} else {
						hs_fmt_printf(stdout, "        local %s @ 0x%llx, retains %s\n", hs_graph_class_name(g, lv),
						       (unsigned long long)roots[r].id,
						       hs_fmt_bytes(b1, sizeof(b1), hs_graph_retained(g, lv)));
					}
				}
				if (json) {
					hs_json_end_arr(&j);
					hs_json_end_obj(&j);
				}
			}
			if (json) {
				hs_json_end_arr(&j);
				hs_json_end_obj(&j);
			}
		}
		if (json)
			hs_json_end_arr(&j);
	}
	if (json) {
		hs_json_end_obj(&j);
		hs_json_finish(&j);
	}
done:
	for (i = 0; t && i < n; i++)
		free(t[i].name);
	free(t);
	free(nodes);
	free(objs);
	free(listed);
	free(daemon);
	hs_cli_free_graph(g);
	hs_cli_free_dump(d);
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
